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
    }
}
