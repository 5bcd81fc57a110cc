//! Windows code pages → `encoding_rs` encodings, for the 8-bit text that RTF (`\ansicpg`,
//! MS-OXRTFEX 2.1.3.1) and TNEF (attOemCodepage, MS-OXTNEF 2.1.3.3) carry. MIME charsets are
//! decoded by mail-parser itself (its `full_encoding` feature, on encoding_rs).
//!
//! The [msg] part of issue 18 writes the crate-wide `crate::codepage`; once merged, this
//! module should become a thin call into it (see the helper report).

use encoding_rs::Encoding;

/// The encoding of Windows code page `cp`, if encoding_rs knows one for it (never a guess:
/// an unknown code page is `None`).
pub(crate) fn encoding_for_codepage(cp: u32) -> Option<&'static Encoding> {
    let label: &str = match cp {
        65001 => "utf-8",
        1200 => "utf-16le",
        1201 => "utf-16be",
        20127 | 1252 => "windows-1252",
        1250 | 1251 | 1253 | 1254 | 1255 | 1256 | 1257 | 1258 | 874 => {
            return Encoding::for_label(format!("windows-{cp}").as_bytes());
        }
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        54936 => "gb18030",
        50220..=50222 => "iso-2022-jp",
        51932 | 20932 => "euc-jp",
        866 => "ibm866",
        20866 => "koi8-r",
        21866 => "koi8-u",
        10000 => "macintosh",
        10007 => "x-mac-cyrillic",
        28591 => "windows-1252",
        28592..=28606 => return Encoding::for_label(format!("iso-8859-{}", cp - 28590).as_bytes()),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The Windows code page of MIME charset `label` (PR_INTERNET_CPID), when encoding_rs knows
/// the charset and it has one.
pub(crate) fn codepage_of_charset(label: &str) -> Option<u32> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    let cp = match enc.name() {
        "UTF-8" => 65001,
        "windows-1252" => 1252,
        "Shift_JIS" => 932,
        "GBK" => 936,
        "gb18030" => 54936,
        "EUC-KR" => 949,
        "Big5" => 950,
        "ISO-2022-JP" => 50220,
        "EUC-JP" => 51932,
        "IBM866" => 866,
        "KOI8-R" => 20866,
        "KOI8-U" => 21866,
        "macintosh" => 10000,
        "x-mac-cyrillic" => 10007,
        "windows-874" => 874,
        name => {
            if let Some(n) = name.strip_prefix("windows-") {
                n.parse().ok()?
            } else if let Some(n) = name.strip_prefix("ISO-8859-") {
                28590 + n.parse::<u32>().ok()?
            } else {
                return None;
            }
        }
    };
    // Only code pages this module decodes again.
    encoding_for_codepage(cp).is_some_and(|e| e == enc).then_some(cp)
}

/// Decodes 8-bit text in code page `cp`; an unknown code page falls back to Windows-1252
/// (the RTF default, MS-OXRTFEX 2.1.3.1.1) and malformed sequences become U+FFFD.
pub(crate) fn decode_codepage(cp: u32, bytes: &[u8]) -> String {
    let enc = encoding_for_codepage(cp).unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_cjk_code_pages_decode() {
        assert_eq!(decode_codepage(1252, b"caf\xe9"), "café");
        assert_eq!(decode_codepage(1251, b"\xcf\xf0\xe8"), "При");
        assert_eq!(decode_codepage(932, b"\x82\xa0"), "あ");
        assert_eq!(decode_codepage(50220, b"\x1b$B$\"\x1b(B"), "あ");
        assert!(encoding_for_codepage(12345).is_none());
        assert_eq!(codepage_of_charset("iso-8859-1"), Some(1252));
        assert_eq!(codepage_of_charset("ISO-2022-JP"), Some(50220));
        assert_eq!(codepage_of_charset("koi8-r"), Some(20866));
        assert_eq!(codepage_of_charset("iso-8859-2"), Some(28592));
        assert_eq!(codepage_of_charset("nonsense"), None);
    }
}
