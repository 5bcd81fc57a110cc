//! 8-bit string decoding for ANSI files. A minimal private helper of the PST reader: the
//! code page of a message is PR_MESSAGE_CODEPAGE, else the ANSI code page of its
//! PR_MESSAGE_LOCALE_ID, else the store's, else Windows-1252 — never a guess from the bytes.
//! (PR_INTERNET_CPID names the MIME body's charset, not the one of PT_STRING8 properties.)
//! To be merged with the crate-wide `codepage` module when there is one.

use encoding_rs::Encoding;

/// The code page used when nothing names one.
pub const DEFAULT_CODEPAGE: u32 = 1252;

/// The encoding of Windows code page `cp`, if encoding_rs knows it.
pub fn encoding(cp: u32) -> Option<&'static Encoding> {
    use encoding_rs::*;
    Some(match cp {
        874 => WINDOWS_874,
        932 => SHIFT_JIS,
        936 | 54936 => GB18030,
        949 => EUC_KR,
        950 => BIG5,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1252 | 20127 | 28591 => WINDOWS_1252,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        20866 => KOI8_R,
        21866 => KOI8_U,
        28592 => ISO_8859_2,
        28595 => ISO_8859_5,
        28597 => ISO_8859_7,
        50220..=50222 => ISO_2022_JP,
        51932 => EUC_JP,
        65001 => UTF_8,
        _ => return None,
    })
}

/// The ANSI code page of a Windows locale id (by its primary language, [MS-LCID]).
pub fn codepage_of_locale(lcid: u32) -> u32 {
    match lcid & 0x3ff {
        0x11 => 932,
        0x12 => 949,
        0x04 if matches!(lcid, 0x0804 | 0x1004) => 936,
        0x04 => 950,
        0x02 | 0x19 | 0x22 | 0x23 | 0x2f | 0x1a if lcid != 0x041a => 1251,
        0x05 | 0x0e | 0x15 | 0x18 | 0x1b | 0x24 | 0x1a => 1250,
        0x08 => 1253,
        0x1f => 1254,
        0x0d => 1255,
        0x01 | 0x20 | 0x29 => 1256,
        0x25..=0x27 => 1257,
        0x2a => 1258,
        0x1e => 874,
        _ => DEFAULT_CODEPAGE,
    }
}

/// Decodes 8-bit text in code page `cp` (Windows-1252 when `cp` is unknown).
pub fn decode(bytes: &[u8], cp: u32) -> String {
    let enc = encoding(cp).unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_text_decodes_by_its_code_page() {
        // "日本" in Shift_JIS.
        assert_eq!(decode(&[0x93, 0xfa, 0x96, 0x7b], 932), "日本");
        assert_eq!(codepage_of_locale(0x0411), 932);
        assert_eq!(decode(b"caf\xe9", 9999), "café");
    }
}
