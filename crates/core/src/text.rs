//! 8-bit string conversion for PtypString8 values and ASCIIZ fields.
//!
//! MAPI 8-bit strings are in the session code page; oxmapi sessions use Windows-1252
//! (code page 1252, the `DefaultCodePage` our client sends in Connect). Bytes 0x00–0x7F and
//! 0xA0–0xFF map to the same code points; 0x80–0x9F use the Windows-1252 table below.

const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decodes Windows-1252 bytes. Every byte maps to a character, so decoding never fails.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

/// Encodes text as Windows-1252; characters outside the code page become `?`.
pub fn encode_cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            let cp = c as u32;
            if cp < 0x80 || (0xA0..=0xFF).contains(&cp) {
                cp as u8
            } else {
                CP1252_HIGH.iter().position(|&h| h == c).map(|i| 0x80 + i as u8).unwrap_or(b'?')
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips() {
        let all: Vec<u8> = (1..=255u8).collect();
        assert_eq!(encode_cp1252(&decode_cp1252(&all)), all);
        assert_eq!(decode_cp1252(&[0x80]), "€");
        assert_eq!(encode_cp1252("日"), b"?");
    }
}
