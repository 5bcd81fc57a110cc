//! Sharing identical data blocks ([MS-PST] 2.2.2.7.7.3 BBTENTRY `cRef`: a block may be
//! referenced from more than one place, and is freed when the last reference goes).
//!
//! A node rewritten after a small change — a folder's contents table after one more row, a
//! message saved again — is cut into the same blocks as before except where it changed. The
//! writer remembers the content hash of every data block it writes; a new block whose bytes
//! equal a live block's (the hash matches and the bytes, read back, are the same) takes a
//! reference to that block instead of being written. The cost of a commit then follows what
//! changed, not the size of the node: appending a message to a folder of 30,000 rewrites the
//! last blocks of its table, not all of them.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

/// The most blocks whose hashes the writer keeps; past it, new blocks are still written (and
/// still shared if they match a remembered one) but no longer remembered (8 bytes of hash and
/// 8 of id each, plus the maps' overhead: about 64 MiB at the limit).
pub const MAX_REMEMBERED_BLOCKS: usize = 1 << 20;

/// Content hashes of the live data blocks this writer wrote.
#[derive(Default)]
pub struct BlockDedup {
    hasher: RandomState,
    by_hash: HashMap<u64, Vec<u64>>,
    hash_of: HashMap<u64, u64>,
}

impl BlockDedup {
    /// The hash of a block's (plain) bytes.
    pub fn hash(&self, data: &[u8]) -> u64 {
        self.hasher.hash_one(data)
    }

    /// The remembered blocks whose bytes hash to `hash` (candidates to compare).
    pub fn candidates(&self, hash: u64) -> &[u64] {
        self.by_hash.get(&hash).map_or(&[], Vec::as_slice)
    }

    /// Remembers block `bid` (a data block just written) under `hash`.
    pub fn remember(&mut self, bid: u64, hash: u64) {
        if self.hash_of.len() >= MAX_REMEMBERED_BLOCKS {
            return;
        }
        self.by_hash.entry(hash).or_default().push(bid);
        self.hash_of.insert(bid, hash);
    }

    /// Forgets block `bid` (it was freed).
    pub fn forget(&mut self, bid: u64) {
        let Some(h) = self.hash_of.remove(&bid) else { return };
        if let Some(v) = self.by_hash.get_mut(&h) {
            v.retain(|b| *b != bid);
            if v.is_empty() {
                self.by_hash.remove(&h);
            }
        }
    }

    /// Forgets every block (the writer's view of the file was replaced).
    pub fn clear(&mut self) {
        self.by_hash.clear();
        self.hash_of.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forgotten_block_is_no_longer_a_candidate() {
        let mut d = BlockDedup::default();
        let h = d.hash(b"rows");
        d.remember(0x10, h);
        d.remember(0x14, h);
        assert_eq!(d.candidates(h), &[0x10, 0x14]);
        d.forget(0x10);
        assert_eq!(d.candidates(h), &[0x14]);
        d.forget(0x14);
        assert!(d.candidates(h).is_empty());
        assert_ne!(d.hash(b"rows"), d.hash(b"rows!"));
    }
}
