//! RTF decoders never panic and keep what they should: PR_RTF_COMPRESSED ([MS-OXRTFCP])
//! round trips, de-encapsulated HTML ([MS-OXRTFEX]) and plain text come back from escaped
//! input (proptest).

use oxmapi_pst::rtf::{compress, decompress, html_from_rtf, text_from_rtf};
use proptest::prelude::*;

/// `s` as RTF text: `\`, `{`, `}` escaped, non-ASCII as `\uN?`.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{}?", *unit as i16));
                }
            }
        }
    }
    out
}

proptest! {
    #[test]
    fn any_bytes_decompress_without_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = decompress(&data);
    }

    #[test]
    fn any_header_then_bytes_decompress_without_panic(
        size in any::<u32>(), raw in any::<u32>(), kind in prop_oneof![Just(0x7546_5A4Cu32), Just(0x414C_454D), any::<u32>()],
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut d = Vec::new();
        for v in [size, raw, kind, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&body);
        let _ = decompress(&d);
        // And with a consistent COMPSIZE.
        let n = (d.len() - 4) as u32;
        d[..4].copy_from_slice(&n.to_le_bytes());
        let _ = decompress(&d);
    }

    #[test]
    fn any_bytes_walk_without_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = text_from_rtf(&data);
        let mut with_header = b"{\\rtf1\\fromhtml1 ".to_vec();
        with_header.extend_from_slice(&data);
        let _ = html_from_rtf(&with_header);
    }

    #[test]
    fn compression_round_trips(rtf in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Some(c) = compress(&rtf) {
            // The crate stops at a NUL, as RTF has none.
            let end = rtf.iter().position(|&b| b == 0).unwrap_or(rtf.len());
            prop_assert_eq!(decompress(&c).unwrap(), rtf[..end].to_vec());
        }
    }

    #[test]
    fn text_comes_back_out_of_rtf(s in "[^\\x00-\\x1f]{0,60}") {
        let rtf = format!("{{\\rtf1\\ansi\\ansicpg1252{{\\fonttbl{{\\f0 Arial;}}}}\\pard {}\\par}}", escape(&s));
        prop_assert_eq!(text_from_rtf(rtf.as_bytes()), format!("{s}\r\n"));
    }

    #[test]
    fn html_comes_back_out_of_encapsulated_rtf(s in "[^\\x00-\\x1f]{0,60}") {
        let rtf = format!(
            "{{\\rtf1\\ansi\\fromhtml1 {{\\*\\htmltag19 <html><body>}}\\htmlrtf {{\\b x}}\\htmlrtf0 {}{{\\*\\htmltag27 </body></html>}}}}",
            escape(&s)
        );
        prop_assert_eq!(html_from_rtf(rtf.as_bytes()).unwrap(), format!("<html><body>{s}</body></html>"));
    }
}
