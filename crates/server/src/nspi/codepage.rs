//! Code pages of the address book (MS-OXNSPI 2.2.1.5, 3.1.4.1): which `CodePage` values a STAT
//! may carry, and the 8-bit form of PtypString8 values in them.
//!
//! Windows-1252, ISO-8859-1, US-ASCII and UTF-8 are converted exactly. The other recognised
//! Windows / ISO code pages are accepted (clients bind with their ANSI code page) and their
//! PtypString8 values carry the ASCII range exactly, other characters as `?`; clients that need
//! every character ask for PtypString.

use oxmapi_core::text::{decode_cp1252, encode_cp1252};
use oxmapi_wire::mapihttp::nspi::CP_WINUNICODE;

/// Windows-1252 (Western European), the default.
pub const CP_WINDOWS_1252: u32 = 1252;
/// ISO-8859-1.
pub const CP_LATIN1: u32 = 28591;
/// UTF-8.
pub const CP_UTF8: u32 = 65001;

/// True for the code pages a STAT may name for 8-bit strings (CP_WINUNICODE is not one of
/// them: it is only meaningful where the method says so).
pub fn is_supported(cp: u32) -> bool {
    matches!(
        cp,
        437 | 737 | 775 | 850 | 852 | 855 | 857 | 858 | 860..=866 | 869 | 874 | 932 | 936 | 949 | 950
            | 1250..=1258 | 10000 | 20127 | 20261 | 20866 | 21866 | 28591..=28606 | 50220..=50222
            | 51932 | 51949 | 54936 | 65001
    )
}

/// Why a STAT's code page is refused for a method that returns 8-bit strings: `None` when it is
/// usable.
pub fn refusal(cp: u32) -> Option<oxmapi_core::ErrorCode> {
    use oxmapi_core::error::codes;
    if cp == CP_WINUNICODE {
        Some(codes::MAPI_E_NO_SUPPORT)
    } else if !is_supported(cp) {
        Some(codes::MAPI_E_UNKNOWN_CPID)
    } else {
        None
    }
}

/// Encodes `s` as a PtypString8 value in code page `cp`.
pub fn encode(s: &str, cp: u32) -> Vec<u8> {
    match cp {
        CP_UTF8 => s.as_bytes().to_vec(),
        CP_LATIN1 => s.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect(),
        CP_WINDOWS_1252 | CP_WINUNICODE => encode_cp1252(s),
        _ => s.chars().map(|c| if c.is_ascii() { c as u8 } else { b'?' }).collect(),
    }
}

/// Decodes a PtypString8 value sent in code page `cp`.
pub fn decode(b: &[u8], cp: u32) -> String {
    match cp {
        CP_UTF8 => String::from_utf8_lossy(b).into_owned(),
        CP_LATIN1 => b.iter().map(|&x| x as char).collect(),
        CP_WINDOWS_1252 | CP_WINUNICODE => decode_cp1252(b),
        _ => b.iter().map(|&x| if x.is_ascii() { x as char } else { char::REPLACEMENT_CHARACTER }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(encode("Zoë €", 1252), b"Zo\xEB \x80");
        assert_eq!(decode(b"Zo\xEB \x80", 1252), "Zoë €");
        assert_eq!(encode("Zoë €", 28591), b"Zo\xEB ?");
        assert_eq!(encode("Zoë", 65001), "Zoë".as_bytes());
        assert_eq!(encode("Zoë", 1251), b"Zo?");
        assert_eq!(decode(b"Zo\xEB", 1251), "Zo\u{FFFD}");
        assert!(
            is_supported(1251) && is_supported(20261) && !is_supported(0xFF) && !is_supported(CP_WINUNICODE)
        );
        assert_eq!(refusal(CP_WINUNICODE), Some(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT));
        assert_eq!(refusal(0xFF), Some(oxmapi_core::error::codes::MAPI_E_UNKNOWN_CPID));
        assert_eq!(refusal(1252), None);
    }
}
