//! PR_RTF_COMPRESSED ([MS-OXRTFCP] 2.1.3.1): the 16-byte header (COMPSIZE, RAWSIZE, COMPTYPE,
//! CRC) is checked here before the `compressed-rtf` crate sees the bytes, because the crate
//! slices and allocates by the header's sizes.

use super::MAX_RTF_SIZE;

/// COMPTYPE of compressed content, "LZFu" ([MS-OXRTFCP] 2.1.3.1.1).
const COMPRESSED: u32 = 0x7546_5A4C;
/// COMPTYPE of uncompressed content, "MELA".
const UNCOMPRESSED: u32 = 0x414C_454D;
/// The header length.
const HEADER: usize = 16;
/// One control byte and eight two-byte references expand to at most 8 × 17 bytes, so RAWSIZE
/// can be at most this many times the compressed length.
const MAX_RATIO: usize = 9;

/// Why a PR_RTF_COMPRESSED value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RtfError {
    /// Shorter than its header or than COMPSIZE says.
    Truncated,
    /// RAWSIZE larger than [`MAX_RTF_SIZE`] or than the data could expand to.
    TooLarge(u32),
    /// An unknown COMPTYPE.
    UnknownType(u32),
    /// The crate refused the content (CRC, dictionary reference, …).
    Corrupt(String),
}

impl std::fmt::Display for RtfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RtfError::Truncated => write!(f, "compressed RTF is truncated"),
            RtfError::TooLarge(n) => write!(f, "compressed RTF claims {n} bytes, over the limit"),
            RtfError::UnknownType(t) => write!(f, "compressed RTF has unknown COMPTYPE 0x{t:08X}"),
            RtfError::Corrupt(why) => write!(f, "compressed RTF is corrupt: {why}"),
        }
    }
}

impl std::error::Error for RtfError {}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The RTF bytes of a PR_RTF_COMPRESSED value.
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, RtfError> {
    if data.len() < HEADER {
        return Err(RtfError::Truncated);
    }
    let comp_size = u32_at(data, 0) as usize;
    let raw_size = u32_at(data, 4);
    let comp_type = u32_at(data, 8);
    // COMPSIZE counts the bytes after itself.
    let total = comp_size.checked_add(4).ok_or(RtfError::Truncated)?;
    if total > data.len() || total < HEADER {
        return Err(RtfError::Truncated);
    }
    let data = &data[..total];
    let body = total - HEADER;
    match comp_type {
        COMPRESSED => {
            if raw_size as usize > MAX_RTF_SIZE || raw_size as usize > body.saturating_mul(MAX_RATIO) {
                return Err(RtfError::TooLarge(raw_size));
            }
        }
        UNCOMPRESSED => {
            if raw_size as usize > body {
                return Err(RtfError::Truncated);
            }
        }
        other => return Err(RtfError::UnknownType(other)),
    }
    let text = compressed_rtf::decompress_rtf(data).map_err(|e| RtfError::Corrupt(e.to_string()))?;
    // The crate maps each byte to the char of the same value; undo that.
    Ok(text.chars().map(|c| c as u32 as u8).collect())
}

/// PR_RTF_COMPRESSED for `rtf` (compressed form); `None` when the crate refuses it.
pub fn compress(rtf: &[u8]) -> Option<Vec<u8>> {
    let latin1: String = rtf.iter().map(|&b| b as char).collect();
    compressed_rtf::compress_rtf(&latin1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_crate() {
        let rtf = b"{\\rtf1\\ansi\\ansicpg1252 Hello \\'e9 world}";
        let c = compress(rtf).unwrap();
        assert_eq!(decompress(&c).unwrap(), rtf);
    }

    /// The spec's own example ([MS-OXRTFCP] 3.1.1), compressed form.
    #[test]
    fn reads_the_spec_example() {
        let c = [
            0x2d, 0, 0, 0, 0x2b, 0, 0, 0, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a,
            0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c,
            0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0,
        ];
        assert_eq!(decompress(&c).unwrap(), b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
    }

    #[test]
    fn a_header_asking_for_gigabytes_is_refused_before_allocating() {
        let mut c = compress(b"{\\rtf1 x}").unwrap();
        c[4..8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert!(matches!(decompress(&c), Err(RtfError::TooLarge(_))));
        let mut u = vec![0u8; 16];
        u[0] = 12;
        u[4..8].copy_from_slice(&100u32.to_le_bytes());
        u[8..12].copy_from_slice(&UNCOMPRESSED.to_le_bytes());
        assert_eq!(decompress(&u), Err(RtfError::Truncated));
        assert_eq!(decompress(&[1, 2, 3]), Err(RtfError::Truncated));
    }
}
