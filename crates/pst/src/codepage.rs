//! 8-bit strings by Windows code page: which code page a message's PtypString8 values are in,
//! and their text.
//!
//! A message says its code page itself; nothing here looks at the bytes to guess one. The order
//! ([`string8_codepage`]):
//!
//! 1. PR_MESSAGE_CODEPAGE (PidTagMessageCodepage, [MS-OXPROPS] 2.779): the code page of the
//!    message's 8-bit strings;
//! 2. the ANSI code page of PR_MESSAGE_LOCALE_ID (PidTagMessageLocaleId, [MS-OXPROPS] 2.781),
//!    Windows' own mapping of a locale to its default ANSI code page (LOCALE_IDEFAULTANSICODEPAGE);
//! 3. PR_INTERNET_CPID (PidTagInternetCodepage, [MS-OXCMAIL] 2.1.3.1.4), the charset of the MIME
//!    body the message came from, with ISO-2022-JP (50220–50222, a 7-bit transfer form that no
//!    8-bit string is stored in) read as its 8-bit form, Shift-JIS (932);
//! 4. a code page the caller gives (the store's, the profile's, or 1252).
//!
//! PR_INTERNET_CPID comes *after* the locale, not before it: on the test corpus it is wrong for
//! the 8-bit strings of 7 of the 32 ANSI MSG files, all of which carry a locale that is right
//! (ISO-2022-JP 50220 on cp932 strings, UTF-8 65001 and 1251 on cp1252 strings under German
//! locale 1031; `tests/msg_corpus.rs` checks every recorded subject).

use encoding_rs::Encoding;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_INTERNET_CPID, PR_MESSAGE_CODEPAGE, PR_MESSAGE_LOCALE_ID};
use oxmapi_core::value::PropValue;

/// Windows-1252, the code page of last resort most callers give.
pub const CP_WINDOWS_1252: u32 = 1252;
/// UTF-16LE, a code page number MAPI uses for Unicode (not an 8-bit code page).
pub const CP_UTF16LE: u32 = 1200;
/// UTF-8.
pub const CP_UTF8: u32 = 65001;

/// The encoding of Windows code page `cp`, where encoding_rs has one (the WHATWG set: the
/// Windows single-byte pages, the CJK double-byte pages, KOI8, ISO-8859-x, UTF-8, ISO-2022-JP…).
/// ISO-8859-1 (28591) and US-ASCII (20127) decode as Windows-1252, their superset.
pub fn encoding_for(cp: u32) -> Option<&'static Encoding> {
    use encoding_rs::*;
    Some(match cp {
        874 => WINDOWS_874,
        932 => SHIFT_JIS,
        936 => GBK,
        949 => EUC_KR,
        950 => BIG5,
        866 => IBM866,
        1200 => UTF_16LE,
        1201 => UTF_16BE,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1252 | 20127 | 28591 => WINDOWS_1252,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        10000 => MACINTOSH,
        10007 => X_MAC_CYRILLIC,
        20866 => KOI8_R,
        21866 => KOI8_U,
        20932 | 51932 => EUC_JP,
        28592 => ISO_8859_2,
        28593 => ISO_8859_3,
        28594 => ISO_8859_4,
        28595 => ISO_8859_5,
        28596 => ISO_8859_6,
        28597 => ISO_8859_7,
        28598 => ISO_8859_8,
        28600 => ISO_8859_10,
        28603 => ISO_8859_13,
        28604 => ISO_8859_14,
        28605 => ISO_8859_15,
        28606 => ISO_8859_16,
        38598 => ISO_8859_8_I,
        50220..=50222 => ISO_2022_JP,
        51936 => GBK,
        52936 | 54936 => GB18030,
        65001 => UTF_8,
        _ => return None,
    })
}

/// The Windows code page of MIME charset `label` (for PR_INTERNET_CPID), when encoding_rs knows
/// the charset and this module decodes that code page back to the same encoding.
pub fn codepage_of_charset(label: &str) -> Option<u32> {
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
    encoding_for(cp).is_some_and(|e| e == enc).then_some(cp)
}

/// The default ANSI code page of Windows locale `lcid` (LOCALE_IDEFAULTANSICODEPAGE), by its
/// primary language (and, for Chinese and the languages written in two scripts, its sublanguage).
/// `None` for locales whose default is Unicode only (Hindi, Armenian, Georgian…) and for
/// LCID 0 / unknown languages.
pub fn ansi_codepage_of_lcid(lcid: u32) -> Option<u32> {
    let langid = (lcid & 0xFFFF) as u16;
    let primary = langid & 0x3FF;
    Some(match langid {
        // Chinese: PRC and Singapore simplified, the others traditional.
        0x0804 | 0x1004 => 936,
        0x0404 | 0x0C04 | 0x1404 | 0x7C04 => 950,
        // Serbian, Bosnian, Azeri, Uzbek: Cyrillic sublanguages.
        0x0C1A | 0x1C1A | 0x201A | 0x281A | 0x301A | 0x082C | 0x0843 => 1251,
        // Serbian / Bosnian / Croatian Latin.
        0x081A | 0x141A | 0x241A | 0x2C1A | 0x101A => 1250,
        // Azeri and Uzbek Latin.
        0x042C | 0x0443 => 1254,
        _ => match primary {
            0x00 => return None,
            0x11 => 932,                                     // Japanese
            0x12 => 949,                                     // Korean
            0x1E => 874,                                     // Thai
            0x2A => 1258,                                    // Vietnamese
            0x08 => 1253,                                    // Greek
            0x0D | 0x3D => 1255,                             // Hebrew, Yiddish
            0x01 | 0x20 | 0x29 | 0x63 | 0x80 | 0x8C => 1256, // Arabic, Urdu, Farsi, Pashto, Uyghur, Dari
            0x25..=0x27 => 1257,                             // Estonian, Latvian, Lithuanian
            0x1F => 1254,                                    // Turkish
            0x02 | 0x19 | 0x22 | 0x23 | 0x2F | 0x3F | 0x40 | 0x44 | 0x50 | 0x6D | 0x85 => 1251,
            0x05 | 0x0E | 0x15 | 0x18 | 0x1A | 0x1B | 0x1C | 0x24 | 0x2E => 1250,
            // Languages with no ANSI code page (Indic scripts, Armenian, Georgian, …).
            0x2B | 0x37 | 0x39 | 0x45..=0x4E | 0x57 | 0x5A | 0x5B | 0x65 => return None,
            _ => 1252,
        },
    })
}

/// The code page of `props`' 8-bit strings: PR_MESSAGE_CODEPAGE, else the ANSI code page of
/// PR_MESSAGE_LOCALE_ID, else PR_INTERNET_CPID, else `default` (see the module documentation).
/// Code pages encoding_rs cannot decode are passed over.
pub fn string8_codepage(props: &PropBag, default: u32) -> u32 {
    let declared = |tag| match props.get(tag) {
        Some(PropValue::I32(v)) => Some(*v as u32),
        _ => None,
    };
    let usable = |cp: &u32| encoding_for(*cp).is_some() && *cp != CP_UTF16LE && *cp != 1201;
    declared(PR_MESSAGE_CODEPAGE)
        .filter(usable)
        .or_else(|| declared(PR_MESSAGE_LOCALE_ID).and_then(ansi_codepage_of_lcid))
        .or_else(|| {
            declared(PR_INTERNET_CPID)
                .map(|cp| if (50220..=50222).contains(&cp) { 932 } else { cp })
                .filter(usable)
        })
        .unwrap_or(default)
}

/// The text of 8-bit string `bytes` in code page `cp` (Windows-1252 when encoding_rs has no
/// decoder for `cp`); malformed sequences become U+FFFD.
pub fn decode(bytes: &[u8], cp: u32) -> String {
    let enc = encoding_for(cp).unwrap_or(encoding_rs::WINDOWS_1252);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Replaces every PtypString8 and PtypMultipleString8 value of `props` by its text in code page
/// `cp` (PtypString / PtypMultipleString, same property id).
pub fn decode_string8_props(props: &mut PropBag, cp: u32) {
    let tags: Vec<_> = props
        .iter()
        .filter(|t| matches!(t.value, PropValue::String8(_) | PropValue::MvString8(_)))
        .map(|t| t.tag)
        .collect();
    for tag in tags {
        let text = match props.remove(tag) {
            Some(PropValue::String8(b)) => PropValue::Unicode(decode(&b, cp)),
            Some(PropValue::MvString8(v)) => PropValue::MvUnicode(v.iter().map(|b| decode(b, cp)).collect()),
            Some(other) => other,
            None => continue,
        };
        props.set(tag, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::catalogue::tags::PR_SUBJECT;

    #[test]
    fn the_message_codepage_wins_then_the_locale_then_the_default() {
        let mut p = PropBag::new();
        assert_eq!(string8_codepage(&p, 1252), 1252);
        p.set(PR_INTERNET_CPID, PropValue::I32(20866));
        assert_eq!(string8_codepage(&p, 1252), 20866, "the MIME charset when nothing else is said");
        p.set(PR_INTERNET_CPID, PropValue::I32(50220));
        assert_eq!(string8_codepage(&p, 1252), 932, "ISO-2022-JP strings are stored as Shift-JIS");
        p.set(PR_INTERNET_CPID, PropValue::I32(65001));
        p.set(PR_MESSAGE_LOCALE_ID, PropValue::I32(1031));
        assert_eq!(string8_codepage(&p, 1252), 1252, "the locale comes before PR_INTERNET_CPID");
        p.set(PR_MESSAGE_LOCALE_ID, PropValue::I32(1041));
        assert_eq!(string8_codepage(&p, 1252), 932);
        p.set(PR_MESSAGE_CODEPAGE, PropValue::I32(1251));
        assert_eq!(string8_codepage(&p, 1252), 1251);
        p.set(PR_MESSAGE_CODEPAGE, PropValue::I32(12345));
        assert_eq!(string8_codepage(&p, 1252), 932, "an unknown code page is passed over");
    }

    #[test]
    fn charsets_map_to_code_pages_that_decode_back() {
        assert_eq!(decode(b"caf\xe9", 1252), "café");
        assert_eq!(decode(b"\xcf\xf0\xe8", 1251), "При");
        assert_eq!(decode(b"\x82\xa0", 932), "あ");
        assert_eq!(decode(b"\x1b$B$\"\x1b(B", 50220), "あ");
        assert!(encoding_for(12345).is_none());
        assert_eq!(codepage_of_charset("iso-8859-1"), Some(1252));
        assert_eq!(codepage_of_charset("ISO-2022-JP"), Some(50220));
        assert_eq!(codepage_of_charset("koi8-r"), Some(20866));
        assert_eq!(codepage_of_charset("iso-8859-2"), Some(28592));
        assert_eq!(codepage_of_charset("nonsense"), None);
    }

    #[test]
    fn locales_map_to_their_ansi_code_pages() {
        assert_eq!(ansi_codepage_of_lcid(1049), Some(1251));
        assert_eq!(ansi_codepage_of_lcid(1031), Some(1252));
        assert_eq!(ansi_codepage_of_lcid(1028), Some(950));
        assert_eq!(ansi_codepage_of_lcid(2052), Some(936));
        assert_eq!(ansi_codepage_of_lcid(1045), Some(1250));
        assert_eq!(ansi_codepage_of_lcid(0x0439), None);
        assert_eq!(ansi_codepage_of_lcid(0), None);
    }

    #[test]
    fn string8_values_become_text() {
        let mut p = PropBag::new();
        p.set(PR_SUBJECT, PropValue::String8(vec![0x93, 0xfa, 0x96, 0x7b]));
        decode_string8_props(&mut p, 932);
        assert_eq!(p.get(PR_SUBJECT), Some(&PropValue::Unicode("日本".into())));
        assert_eq!(decode(&[0xF6], 1252), "ö");
        assert_eq!(decode(&[0xF6], 999_999), "ö");
    }
}
