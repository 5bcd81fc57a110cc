//! The file header ([MS-PST] 2.2.2.6): format (Unicode or ANSI), encryption, the roots of the
//! node and block B-trees, with both CRCs checked.

use super::PstError;
use super::crypt::{CryptMethod, crc};

/// How many bytes of the file the header reader needs (the Unicode header is the longer one).
pub const HEADER_LEN: usize = 564;

/// `dwMagic`: "!BDN".
const MAGIC: &[u8; 4] = b"!BDN";

/// Which of the two on-disk layouts a file uses (`wVer`, [MS-PST] 2.2.2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Outlook 97–2002: 32-bit block ids and offsets (`wVer` 14 or 15).
    Ansi,
    /// Outlook 2003 and later: 64-bit block ids and offsets (`wVer` ≥ 23), 512-byte pages.
    Unicode,
}

impl Format {
    /// The name `pst info` prints.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ansi => "ansi",
            Format::Unicode => "unicode",
        }
    }
}

/// A BREF: a block id and the byte offset of the page or block it names ([MS-PST] 2.2.2.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockRef {
    /// The block or page id.
    pub bid: u64,
    /// Its offset in the file.
    pub ib: u64,
}

/// The facts of a file header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Unicode or ANSI.
    pub format: Format,
    /// `wVer`.
    pub version: u16,
    /// `wVerClient`.
    pub client_version: u16,
    /// `wMagicClient`: "SM" for a PST, "SO" for an OST.
    pub client_magic: [u8; 2],
    /// `bCryptMethod`.
    pub crypt: CryptMethod,
    /// `ibFileEof`: the file size the header records.
    pub file_eof: u64,
    /// `cbAMapFree`: free bytes in the allocation map.
    pub amap_free: u64,
    /// `fAMapValid` says the allocation map can be trusted.
    pub amap_valid: bool,
    /// The root page of the node B-tree (`BREFNBT`).
    pub node_btree: BlockRef,
    /// The root page of the block B-tree (`BREFBBT`).
    pub block_btree: BlockRef,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
}

impl Header {
    /// Parses the first bytes of a file. Refuses a wrong magic, an unknown version, a bad CRC
    /// (`dwCRCPartial` over the 471 bytes from `wMagicClient`; for Unicode also `dwCRCFull` over
    /// 516 bytes) and an unknown `bCryptMethod`.
    pub fn parse(b: &[u8]) -> Result<Header, PstError> {
        let bad = |why: String| PstError::Header(why);
        if b.len() < 512 {
            return Err(bad(format!("the file is {} bytes, shorter than a header", b.len())));
        }
        if &b[0..4] != MAGIC {
            return Err(bad("no !BDN magic: not a PST or OST file".into()));
        }
        let version = u16_at(b, 10);
        let format = match version {
            14 | 15 => Format::Ansi,
            23 => Format::Unicode,
            36 => return Err(bad("4 KiB-page OST (wVer 36) is not supported".into())),
            v => return Err(bad(format!("unknown file version wVer={v}"))),
        };
        let partial = u32_at(b, 4);
        let computed = crc(&b[8..8 + 471]);
        if partial != computed {
            return Err(bad(format!(
                "header CRC mismatch (dwCRCPartial {partial:#010x}, computed {computed:#010x})"
            )));
        }
        let (root, crypt_at) = match format {
            Format::Unicode => {
                if b.len() < HEADER_LEN {
                    return Err(bad("truncated Unicode header".into()));
                }
                let full = u32_at(b, 524);
                let computed = crc(&b[8..8 + 516]);
                if full != computed {
                    return Err(bad(format!(
                        "header CRC mismatch (dwCRCFull {full:#010x}, computed {computed:#010x})"
                    )));
                }
                (180, 513)
            }
            Format::Ansi => (164, 461),
        };
        let crypt = match b[crypt_at] {
            0 => CryptMethod::None,
            1 => CryptMethod::Permute,
            2 => CryptMethod::Cyclic,
            x => return Err(bad(format!("unknown encryption bCryptMethod={x}"))),
        };
        let (file_eof, amap_free, nbt, bbt, amap_valid) = match format {
            Format::Unicode => (
                u64_at(b, root + 4),
                u64_at(b, root + 20),
                BlockRef { bid: u64_at(b, root + 36), ib: u64_at(b, root + 44) },
                BlockRef { bid: u64_at(b, root + 52), ib: u64_at(b, root + 60) },
                b[root + 68] != 0,
            ),
            Format::Ansi => (
                u32_at(b, root + 4) as u64,
                u32_at(b, root + 12) as u64,
                BlockRef { bid: u32_at(b, root + 20) as u64, ib: u32_at(b, root + 24) as u64 },
                BlockRef { bid: u32_at(b, root + 28) as u64, ib: u32_at(b, root + 32) as u64 },
                b[root + 36] != 0,
            ),
        };
        Ok(Header {
            format,
            version,
            client_version: u16_at(b, 12),
            client_magic: [b[8], b[9]],
            crypt,
            file_eof,
            amap_free,
            amap_valid,
            node_btree: nbt,
            block_btree: bbt,
        })
    }

    /// True for an OST ("SO" client magic).
    pub fn is_ost(&self) -> bool {
        &self.client_magic == b"SO"
    }
}

/// Recomputes the header CRCs of `buf` in place (both formats), so that tests and fuzz
/// targets that change a file's bytes still get past the header check.
pub fn fix_header_crcs(buf: &mut [u8]) {
    if buf.len() < HEADER_LEN {
        return;
    }
    let partial = crc(&buf[8..8 + 471]);
    buf[4..8].copy_from_slice(&partial.to_le_bytes());
    if u16_at(buf, 10) >= 23 {
        let full = crc(&buf[8..8 + 516]);
        buf[524..528].copy_from_slice(&full.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_or_foreign_file_is_refused() {
        assert!(Header::parse(b"!BDN").is_err());
        assert!(Header::parse(&[0u8; 600]).is_err());
    }

    #[test]
    fn fixed_crcs_pass_the_check() {
        let mut b = vec![0u8; 600];
        b[0..4].copy_from_slice(MAGIC);
        b[10] = 23;
        b[513] = 1;
        fix_header_crcs(&mut b);
        let h = Header::parse(&b).unwrap();
        assert_eq!((h.format, h.crypt), (Format::Unicode, CryptMethod::Permute));
    }

    #[test]
    fn a_header_with_a_bad_crc_is_refused() {
        let mut b = vec![0u8; 600];
        b[0..4].copy_from_slice(MAGIC);
        b[10] = 23;
        let err = Header::parse(&b).unwrap_err().to_string();
        assert!(err.contains("CRC"), "{err}");
    }
}
