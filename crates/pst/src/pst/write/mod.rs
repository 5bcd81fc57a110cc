//! Writing Unicode PST files ([MS-PST]): the NDB layer made writable (node and block B-trees,
//! allocation map, data and subnode trees, the commit order of [MS-PST] 2.6), builders for the
//! LTP structures (heap-on-node, BTH, property and table contexts, [MS-PST] 2.3), and the
//! messaging layer on top (a new store with the nodes of [MS-PST] 2.7.1, folders, messages).
//!
//! The reader in the parent module stays the judge: everything written here is read back by
//! it in the tests, and by independent readers (libpff, libpst) in the acceptance scenario.

pub mod alloc;
pub mod allocation_report;
pub mod amap;
pub mod bth;
pub mod btree;
pub mod copy;
pub mod copy_search;
#[cfg(test)]
mod crash_proptest;
pub mod dedup;
pub mod dlist;
#[cfg(test)]
mod dlist_tests;
pub mod file_header;
pub mod folder;
pub mod heap;
#[cfg(test)]
mod ltp_tests;
pub mod message;
pub mod names;
pub mod ndb;
#[cfg(test)]
mod ndb_tests;
pub mod pc;
#[cfg(test)]
mod peer_tests;
pub mod repair;
pub mod search;
pub mod store;
mod store_folders;
mod store_messages;
#[cfg(test)]
mod store_proptest;
#[cfg(test)]
mod store_tests;
pub mod tc;
pub mod template;
#[cfg(test)]
mod testkit;
pub mod trailer;
pub mod tree;
pub mod value;

pub use allocation_report::{AllocationIssue, AllocationReport, Severity};
pub use ndb::NdbWriter;
pub use repair::{check_allocation, repair};
pub use store::PstWriter;
pub use store_folders::SearchFolder;

/// Largest data a block holds: 8192 bytes less the 16-byte Unicode BLOCKTRAILER
/// ([MS-PST] 2.2.2.8.1).
pub const MAX_BLOCK_DATA: usize = 8176;

/// What one node (or subnode) holds: its data, as the data blocks it is cut into (each at most
/// [`MAX_BLOCK_DATA`] bytes; a heap's pages are its blocks, one to one), and its subnodes by
/// subnode id (ids are local to the node, [MS-PST] 2.2.2.8.3.3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeContent {
    /// The data blocks, in order.
    pub blocks: Vec<Vec<u8>>,
    /// The subnodes, each with its own content.
    pub subnodes: Vec<(u32, NodeContent)>,
}

impl NodeContent {
    /// Plain data (a stream, a large value) cut into blocks of at most [`MAX_BLOCK_DATA`]
    /// bytes. Empty data is one empty block.
    pub fn raw(bytes: &[u8]) -> NodeContent {
        let blocks = if bytes.is_empty() {
            vec![Vec::new()]
        } else {
            bytes.chunks(MAX_BLOCK_DATA).map(<[u8]>::to_vec).collect()
        };
        NodeContent { blocks, subnodes: Vec::new() }
    }

    /// The data's length in bytes.
    pub fn data_len(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_data_is_cut_at_the_block_limit() {
        let c = NodeContent::raw(&vec![7u8; MAX_BLOCK_DATA * 2 + 1]);
        assert_eq!(c.blocks.iter().map(Vec::len).collect::<Vec<_>>(), [MAX_BLOCK_DATA, MAX_BLOCK_DATA, 1]);
        assert_eq!(c.data_len(), MAX_BLOCK_DATA * 2 + 1);
        assert_eq!(NodeContent::raw(&[]).blocks, vec![Vec::<u8>::new()]);
    }
}
