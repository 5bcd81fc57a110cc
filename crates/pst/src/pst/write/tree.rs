//! Data trees and subnode trees of a Unicode file ([MS-PST] 2.2.2.8.3): a node's data as one
//! data block, an XBLOCK over up to 1,021 data blocks or an XXBLOCK over XBLOCKs; its
//! subnodes in an SLBLOCK of up to 340 entries or an SIBLOCK over up to 510 SLBLOCKs.
//! Internal blocks carry the internal bit in their id and are never encoded.

use super::super::PstError;
use super::super::ndb::{Le, Ndb};
use super::ndb::NdbWriter;
use super::{MAX_BLOCK_DATA, NodeContent};

/// Block ids an XBLOCK or XXBLOCK holds: (8176 − 8) / 8.
pub const XBLOCK_MAX: usize = (MAX_BLOCK_DATA - 8) / 8;
/// SLENTRYs an SLBLOCK holds: (8176 − 8) / 24.
pub const SLBLOCK_MAX: usize = (MAX_BLOCK_DATA - 8) / 24;
/// SIENTRYs an SIBLOCK holds: (8176 − 8) / 16.
pub const SIBLOCK_MAX: usize = (MAX_BLOCK_DATA - 8) / 16;
/// The largest node data a data tree holds (`lcbTotal` is 32 bits; an XXBLOCK reaches
/// 1,021 × 1,021 blocks).
pub const MAX_NODE_DATA: u64 = u32::MAX as u64;
/// How deep subnodes may nest (a message, its attachment, an embedded message, its
/// attachment…), and how deep a release follows internal blocks.
pub const MAX_SUBNODE_NESTING: u32 = 32;
/// How deep a release follows references before calling the file looped.
pub const MAX_RELEASE_DEPTH: u32 = 3 * MAX_SUBNODE_NESTING;

/// Refuses content the format cannot hold, before anything is written.
pub fn validate(c: &NodeContent, depth: u32) -> Result<(), PstError> {
    let bad = |w: String| Err(PstError::Corrupt(w));
    if depth > MAX_SUBNODE_NESTING {
        return bad(format!("subnodes nest deeper than {MAX_SUBNODE_NESTING}"));
    }
    if let Some(b) = c.blocks.iter().find(|b| b.len() > MAX_BLOCK_DATA) {
        return bad(format!("a data block of {} bytes is over {MAX_BLOCK_DATA}", b.len()));
    }
    if c.blocks.len() > XBLOCK_MAX * XBLOCK_MAX || c.data_len() as u64 > MAX_NODE_DATA {
        return bad(format!("{} bytes in {} blocks do not fit one data tree", c.data_len(), c.blocks.len()));
    }
    if c.subnodes.len() > SLBLOCK_MAX * SIBLOCK_MAX {
        return bad(format!("{} subnodes do not fit one subnode tree", c.subnodes.len()));
    }
    let mut ids: Vec<u32> = c.subnodes.iter().map(|s| s.0).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return bad("two subnodes have the same id".into());
    }
    c.subnodes.iter().try_for_each(|(_, s)| validate(s, depth + 1))
}

/// The header of an XBLOCK/XXBLOCK (btype 1) or SLBLOCK/SIBLOCK (btype 2).
fn internal_header(btype: u8, level: u8, count: usize, extra: u32) -> Vec<u8> {
    let mut b = vec![btype, level];
    b.extend_from_slice(&(count as u16).to_le_bytes());
    b.extend_from_slice(&extra.to_le_bytes());
    b
}

impl NdbWriter {
    /// Writes a node's data; returns the id of its top block.
    pub(crate) fn write_data_tree(&mut self, blocks: &[Vec<u8>]) -> Result<u64, PstError> {
        match blocks {
            [] => self.write_block(&[], false),
            [one] => self.write_block(one, false),
            many => {
                let mut bids = Vec::with_capacity(many.len());
                for b in many {
                    bids.push(self.write_block(b, false)?);
                }
                let sizes: Vec<u64> = many.iter().map(|b| b.len() as u64).collect();
                if bids.len() <= XBLOCK_MAX {
                    return self.write_xblock(1, &bids, sizes.iter().sum());
                }
                let mut xbids = Vec::new();
                for (ids, lens) in bids.chunks(XBLOCK_MAX).zip(sizes.chunks(XBLOCK_MAX)) {
                    xbids.push(self.write_xblock(1, ids, lens.iter().sum())?);
                }
                self.write_xblock(2, &xbids, sizes.iter().sum())
            }
        }
    }

    fn write_xblock(&mut self, level: u8, bids: &[u64], total: u64) -> Result<u64, PstError> {
        let mut b = internal_header(1, level, bids.len(), total as u32);
        bids.iter().for_each(|id| b.extend_from_slice(&id.to_le_bytes()));
        self.write_block(&b, true)
    }

    /// Writes a subnode tree (0 when there are no subnodes); returns its top block's id.
    pub(crate) fn write_subnode_tree(&mut self, subs: &[(u32, NodeContent)]) -> Result<u64, PstError> {
        if subs.is_empty() {
            return Ok(0);
        }
        let mut sorted: Vec<&(u32, NodeContent)> = subs.iter().collect();
        sorted.sort_by_key(|s| s.0);
        let mut entries = Vec::with_capacity(sorted.len());
        for (nid, content) in sorted {
            let data = self.write_data_tree(&content.blocks)?;
            let sub = self.write_subnode_tree(&content.subnodes)?;
            entries.push((*nid, data, sub));
        }
        let mut leaves = Vec::new();
        for chunk in entries.chunks(SLBLOCK_MAX) {
            let mut b = internal_header(2, 0, chunk.len(), 0);
            for (nid, data, sub) in chunk {
                b.extend_from_slice(&(*nid as u64).to_le_bytes());
                b.extend_from_slice(&data.to_le_bytes());
                b.extend_from_slice(&sub.to_le_bytes());
            }
            leaves.push((chunk[0].0, self.write_block(&b, true)?));
        }
        if let [(_, one)] = leaves[..] {
            return Ok(one);
        }
        let mut b = internal_header(2, 1, leaves.len(), 0);
        for (nid, bid) in &leaves {
            b.extend_from_slice(&(*nid as u64).to_le_bytes());
            b.extend_from_slice(&bid.to_le_bytes());
        }
        self.write_block(&b, true)
    }
}

/// The block ids an internal block references: an XBLOCK's or XXBLOCK's children, an
/// SLBLOCK's data and subnode blocks, an SIBLOCK's SLBLOCKs.
pub fn children(view: &Ndb, bid: u64) -> Result<Vec<u64>, PstError> {
    let b = view.block(bid)?;
    let (btype, level, count) = (b.u8_at(0)?, b.u8_at(1)?, b.u16_at(2)? as usize);
    let mut out = Vec::new();
    match (btype, level) {
        (1, _) => {
            for i in 0..count {
                out.push(b.u64_at(8 + 8 * i)?);
            }
        }
        (2, 0) => {
            for i in 0..count {
                out.push(b.u64_at(8 + 24 * i + 8)?);
                out.push(b.u64_at(8 + 24 * i + 16)?);
            }
        }
        (2, 1) => {
            for i in 0..count {
                out.push(b.u64_at(8 + 16 * i + 8)?);
            }
        }
        _ => {
            return Err(PstError::Corrupt(format!(
                "block {bid:#x} is not an internal block (btype {btype})"
            )));
        }
    }
    out.retain(|&c| c != 0);
    Ok(out)
}
