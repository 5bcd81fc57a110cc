//! The Unicode file header as the writer keeps it ([MS-PST] 2.2.2.6): every field the writer
//! changes (page and block id counters, `dwUnique`, `rgnid[]`, the ROOT structure of 2.2.2.5),
//! over the raw 564 bytes read from the file so that fields it does not know are kept.

use super::super::PstError;
use super::super::crypt::CryptMethod;
use super::super::header::{BlockRef, HEADER_LEN, fix_header_crcs};

/// `wVer` of a Unicode file.
pub const VERSION_UNICODE: u16 = 23;
/// `wVerClient` Outlook writes ([MS-PST] 2.2.2.6).
pub const CLIENT_VERSION: u16 = 19;
/// `fAMapValid`: the AMaps can be trusted (VALID_AMAP2, [MS-PST] 2.2.2.5).
pub const AMAP_VALID: u8 = 2;
/// `fAMapValid`: a writer is (or died) in the middle of a change; the AMaps must be rebuilt.
pub const AMAP_INVALID: u8 = 0;

/// Offsets in the Unicode header.
const AT_BID_NEXT_P: usize = 32;
const AT_UNIQUE: usize = 40;
const AT_RGNID: usize = 44;
const AT_ROOT: usize = 180;
const AT_FM: usize = 256;
const AT_FP: usize = 384;
const AT_SENTINEL: usize = 512;
const AT_CRYPT: usize = 513;
const AT_BID_NEXT_B: usize = 516;

/// The start values of `rgnid[]` for a new file ([MS-PST] 2.4.1), per NID_TYPE; the first id
/// allocated is one above (see [`FileHeader::next_nid`]).
fn initial_rgnid() -> [u32; 32] {
    let mut r = [0x400u32; 32];
    r[0x03] = 0x4000; // NID_TYPE_SEARCH_FOLDER
    r[0x04] = 0x10000; // NID_TYPE_NORMAL_MESSAGE
    r[0x08] = 0x8000; // NID_TYPE_ASSOC_MESSAGE
    r
}

/// The header fields the writer maintains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHeader {
    raw: Vec<u8>,
    /// `bidNextP`: the next page id (pages take ids one by one).
    pub bid_next_p: u64,
    /// `bidNextB`: the next block id (steps of 4: the low two bits are flags, 2.2.2.2).
    pub bid_next_b: u64,
    /// `dwUnique`: changed on every header write.
    pub unique: u32,
    /// `rgnid[]`: the next nidIndex of each NID_TYPE.
    pub rgnid: [u32; 32],
    /// `ibFileEof`.
    pub file_eof: u64,
    /// `ibAMapLast`: the offset of the last AMap page.
    pub amap_last: u64,
    /// `cbAMapFree`.
    pub amap_free: u64,
    /// `cbPMapFree` (deprecated; kept as read, 0 in new files).
    pub pmap_free: u64,
    /// The node B-tree root page.
    pub nbt: BlockRef,
    /// The block B-tree root page.
    pub bbt: BlockRef,
    /// `fAMapValid`.
    pub amap_valid: u8,
    /// `bCryptMethod`.
    pub crypt: CryptMethod,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

impl FileHeader {
    /// The header of a new, empty file (the roots and sizes are set by the creator).
    pub fn new(crypt: CryptMethod) -> FileHeader {
        let mut raw = vec![0u8; HEADER_LEN];
        raw[0..4].copy_from_slice(b"!BDN");
        raw[8..10].copy_from_slice(b"SM");
        raw[10..12].copy_from_slice(&VERSION_UNICODE.to_le_bytes());
        raw[12..14].copy_from_slice(&CLIENT_VERSION.to_le_bytes());
        raw[14] = 1; // bPlatformCreate
        raw[15] = 1; // bPlatformAccess
        // rgbFM and rgbFP are deprecated and "MUST be filled with 0xFF".
        raw[AT_FM..AT_FM + 128].fill(0xFF);
        raw[AT_FP..AT_FP + 128].fill(0xFF);
        raw[AT_SENTINEL] = 0x80;
        FileHeader {
            raw,
            bid_next_p: 1,
            bid_next_b: 4,
            unique: 1,
            rgnid: initial_rgnid(),
            file_eof: 0,
            amap_last: 0,
            amap_free: 0,
            pmap_free: 0,
            nbt: BlockRef::default(),
            bbt: BlockRef::default(),
            amap_valid: AMAP_VALID,
            crypt,
        }
    }

    /// Parses the header of a Unicode file (the reader's `Header::parse` has checked magic,
    /// version and CRCs before).
    pub fn parse(b: &[u8]) -> Result<FileHeader, PstError> {
        if b.len() < HEADER_LEN {
            return Err(PstError::Header("truncated Unicode header".into()));
        }
        let crypt = match b[AT_CRYPT] {
            0 => CryptMethod::None,
            1 => CryptMethod::Permute,
            2 => CryptMethod::Cyclic,
            x => return Err(PstError::Header(format!("unknown encryption bCryptMethod={x}"))),
        };
        let mut rgnid = [0u32; 32];
        for (i, n) in rgnid.iter_mut().enumerate() {
            *n = u32_at(b, AT_RGNID + 4 * i);
        }
        let r = AT_ROOT;
        Ok(FileHeader {
            raw: b[..HEADER_LEN].to_vec(),
            bid_next_p: u64_at(b, AT_BID_NEXT_P),
            bid_next_b: u64_at(b, AT_BID_NEXT_B),
            unique: u32_at(b, AT_UNIQUE),
            rgnid,
            file_eof: u64_at(b, r + 4),
            amap_last: u64_at(b, r + 12),
            amap_free: u64_at(b, r + 20),
            pmap_free: u64_at(b, r + 28),
            nbt: BlockRef { bid: u64_at(b, r + 36), ib: u64_at(b, r + 44) },
            bbt: BlockRef { bid: u64_at(b, r + 52), ib: u64_at(b, r + 60) },
            amap_valid: b[r + 68],
            crypt,
        })
    }

    /// The 564 bytes to write, both CRCs computed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.raw.clone();
        b[AT_BID_NEXT_P..AT_BID_NEXT_P + 8].copy_from_slice(&self.bid_next_p.to_le_bytes());
        b[AT_UNIQUE..AT_UNIQUE + 4].copy_from_slice(&self.unique.to_le_bytes());
        for (i, n) in self.rgnid.iter().enumerate() {
            b[AT_RGNID + 4 * i..AT_RGNID + 4 * i + 4].copy_from_slice(&n.to_le_bytes());
        }
        let r = AT_ROOT;
        b[r + 4..r + 12].copy_from_slice(&self.file_eof.to_le_bytes());
        b[r + 12..r + 20].copy_from_slice(&self.amap_last.to_le_bytes());
        b[r + 20..r + 28].copy_from_slice(&self.amap_free.to_le_bytes());
        b[r + 28..r + 36].copy_from_slice(&self.pmap_free.to_le_bytes());
        b[r + 36..r + 44].copy_from_slice(&self.nbt.bid.to_le_bytes());
        b[r + 44..r + 52].copy_from_slice(&self.nbt.ib.to_le_bytes());
        b[r + 52..r + 60].copy_from_slice(&self.bbt.bid.to_le_bytes());
        b[r + 60..r + 68].copy_from_slice(&self.bbt.ib.to_le_bytes());
        b[r + 68] = self.amap_valid;
        b[AT_CRYPT] = match self.crypt {
            CryptMethod::None => 0,
            CryptMethod::Permute => 1,
            CryptMethod::Cyclic => 2,
        };
        b[AT_BID_NEXT_B..AT_BID_NEXT_B + 8].copy_from_slice(&self.bid_next_b.to_le_bytes());
        fix_header_crcs(&mut b);
        b
    }

    /// Takes the next page id.
    pub fn next_page_bid(&mut self) -> u64 {
        let bid = self.bid_next_p;
        self.bid_next_p += 1;
        bid
    }

    /// Takes the next block id; `internal` sets the bit of XBLOCK/XXBLOCK/SLBLOCK/SIBLOCK ids
    /// ([MS-PST] 2.2.2.2).
    pub fn next_block_bid(&mut self, internal: bool) -> u64 {
        let bid = self.bid_next_b;
        self.bid_next_b += 4;
        if internal { bid | 2 } else { bid }
    }

    /// Takes the next node id of a NID_TYPE (the low 5 bits). `rgnid[]` holds the last
    /// nidIndex used, as Outlook keeps it (its files' highest nidIndex of a type equals
    /// `rgnid[type]`), so the counter is advanced first.
    pub fn next_nid(&mut self, nid_type: u8) -> u32 {
        let t = (nid_type & 0x1f) as usize;
        self.rgnid[t] = self.rgnid[t].wrapping_add(1) & 0x07FF_FFFF;
        (self.rgnid[t] << 5) | t as u32
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::header::{Format, Header};
    use super::*;

    #[test]
    fn a_new_header_reads_back_with_the_reader() {
        let mut h = FileHeader::new(CryptMethod::Permute);
        h.nbt = BlockRef { bid: 5, ib: 0x4800 };
        h.file_eof = 0x42400;
        let b = h.to_bytes();
        let r = Header::parse(&b).unwrap();
        assert_eq!(
            (r.format, r.crypt, r.version, r.client_version),
            (Format::Unicode, CryptMethod::Permute, 23, 19)
        );
        assert_eq!((r.node_btree, r.file_eof, r.amap_valid), (h.nbt, 0x42400, true));
        assert_eq!(FileHeader::parse(&b).unwrap(), FileHeader { raw: b.clone(), ..h });
    }

    #[test]
    fn node_ids_follow_rgnid() {
        let mut h = FileHeader::new(CryptMethod::None);
        assert_eq!(h.next_nid(0x02), (0x401 << 5) | 2);
        assert_eq!(h.next_nid(0x02), (0x402 << 5) | 2);
        assert_eq!(h.next_nid(0x04), (0x10001 << 5) | 4);
        assert_eq!(h.next_block_bid(true), 6);
        assert_eq!(h.next_block_bid(false), 8);
    }
}
