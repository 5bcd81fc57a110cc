//! Page and block trailers of a Unicode file ([MS-PST] 2.2.2.7.1 PAGETRAILER, 2.2.2.8.1
//! BLOCKTRAILER) and the signature both carry ([MS-PST] 5.5 ComputeSig).

use super::super::crypt::crc;
use super::super::ndb::PAGE_LEN;

/// Bytes of a page before its trailer.
pub const PAGE_DATA_LEN: usize = PAGE_LEN - 16;
/// Blocks start and end on 64-byte boundaries ([MS-PST] 2.2.2.8).
pub const BLOCK_ALIGN: u64 = 64;
/// The Unicode BLOCKTRAILER size.
pub const BLOCK_TRAILER_LEN: usize = 16;

/// Page types (`ptype`, [MS-PST] 2.2.2.7.1).
pub mod ptype {
    /// Block B-tree page.
    pub const BBT: u8 = 0x80;
    /// Node B-tree page.
    pub const NBT: u8 = 0x81;
    /// Free map page (deprecated).
    pub const FMAP: u8 = 0x82;
    /// Page map page (deprecated).
    pub const PMAP: u8 = 0x83;
    /// Allocation map page.
    pub const AMAP: u8 = 0x84;
    /// Free page map page (deprecated).
    pub const FPMAP: u8 = 0x85;
    /// Density list page.
    pub const DLIST: u8 = 0x86;
}

/// [MS-PST] 5.5: the 16-bit signature of a page or block at `ib` with id `bid`.
pub fn compute_sig(ib: u64, bid: u64) -> u16 {
    let x = ib ^ bid;
    ((x >> 16) as u16) ^ (x as u16)
}

/// The on-disk size of a block holding `cb` bytes: data and trailer, rounded up to 64.
pub fn block_size(cb: usize) -> u64 {
    (cb as u64 + BLOCK_TRAILER_LEN as u64).div_ceil(BLOCK_ALIGN) * BLOCK_ALIGN
}

/// A whole page: `data` (at most 496 bytes, zero-padded) and its trailer. The map pages
/// (AMap, PMap, FMap, FPMap) carry no signature and their own offset as id, as Outlook writes
/// them; the others `ComputeSig(ib, bid)`.
pub fn page(data: &[u8], ptype: u8, ib: u64, bid: u64) -> Vec<u8> {
    let mut p = vec![0u8; PAGE_LEN];
    let n = data.len().min(PAGE_DATA_LEN);
    p[..n].copy_from_slice(&data[..n]);
    let is_map = matches!(ptype, ptype::AMAP | ptype::PMAP | ptype::FMAP | ptype::FPMAP);
    let (sig, bid) = if is_map { (0, ib) } else { (compute_sig(ib, bid), bid) };
    let c = crc(&p[..PAGE_DATA_LEN]);
    p[PAGE_DATA_LEN] = ptype;
    p[PAGE_DATA_LEN + 1] = ptype;
    p[PAGE_DATA_LEN + 2..PAGE_DATA_LEN + 4].copy_from_slice(&sig.to_le_bytes());
    p[PAGE_DATA_LEN + 4..PAGE_DATA_LEN + 8].copy_from_slice(&c.to_le_bytes());
    p[PAGE_DATA_LEN + 8..PAGE_LEN].copy_from_slice(&bid.to_le_bytes());
    p
}

/// A whole block: the (already encoded) data, padding, and the BLOCKTRAILER (cb, wSig, dwCRC
/// of the data, bid) in the last 16 bytes.
pub fn block(data: &[u8], ib: u64, bid: u64) -> Vec<u8> {
    let size = block_size(data.len()) as usize;
    let mut b = vec![0u8; size];
    b[..data.len()].copy_from_slice(data);
    let t = size - BLOCK_TRAILER_LEN;
    b[t..t + 2].copy_from_slice(&(data.len() as u16).to_le_bytes());
    b[t + 2..t + 4].copy_from_slice(&compute_sig(ib, bid).to_le_bytes());
    b[t + 4..t + 8].copy_from_slice(&crc(data).to_le_bytes());
    b[t + 8..t + 16].copy_from_slice(&bid.to_le_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_an_outlook_dlist_page() {
        // sample1.pst: the DList page at 0x4200 has bid 0x4df and wSig 0x46df.
        assert_eq!(compute_sig(0x4200, 0x4df), 0x46df);
    }

    #[test]
    fn blocks_are_64_byte_aligned() {
        assert_eq!(block_size(0), 64);
        assert_eq!(block_size(48), 64);
        assert_eq!(block_size(49), 128);
        assert_eq!(block_size(8176), 8192);
        let b = block(b"abc", 0x8000, 8);
        assert_eq!(b.len(), 64);
        assert_eq!(&b[48..50], &3u16.to_le_bytes());
    }
}
