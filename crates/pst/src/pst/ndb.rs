//! The node database layer ([MS-PST] 2.2): the node and block B-trees (pages, 2.2.2.7), data
//! blocks and their XBLOCK/XXBLOCK trees (2.2.2.8.3.2), and subnode trees (SLBLOCK/SIBLOCK,
//! 2.2.2.8.3.3). Every offset and count read from the file is checked against the file before
//! it is used; a reference that leads nowhere is an error naming the block or node.

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;

use super::PstError;
use super::header::{BlockRef, Format, Header};

/// A B-tree page is 512 bytes in both formats ([MS-PST] 2.2.2.7).
pub const PAGE_LEN: usize = 512;
/// The deepest B-tree the reader follows (`cLevel` is at most 8 in practice).
pub const MAX_BTREE_DEPTH: u8 = 16;
/// The deepest data tree: an XXBLOCK over XBLOCKs over data blocks ([MS-PST] 2.2.2.8.3.2).
const MAX_DATA_TREE_LEVEL: u8 = 2;
/// The deepest subnode tree: an SIBLOCK over SLBLOCKs ([MS-PST] 2.2.2.8.3.3).
const MAX_SUBNODE_LEVEL: u8 = 1;

/// Where the bytes come from: an open file or a buffer (tests, fuzzing).
pub enum Source {
    /// A file read with positioned reads.
    File(File),
    /// The whole file in memory.
    Bytes(Vec<u8>),
}

impl Source {
    /// Reads exactly `len` bytes at `offset`, refusing a range beyond `size`.
    pub fn read(&self, offset: u64, len: usize, size: u64) -> Result<Vec<u8>, PstError> {
        let end = offset.checked_add(len as u64);
        if end.is_none_or(|e| e > size) {
            return Err(PstError::Corrupt(format!(
                "a read of {len} bytes at {offset:#x} goes past the end of the file ({size} bytes)"
            )));
        }
        match self {
            Source::Bytes(b) => Ok(b[offset as usize..offset as usize + len].to_vec()),
            Source::File(f) => {
                let mut buf = vec![0u8; len];
                f.read_exact_at(&mut buf, offset).map_err(PstError::Io)?;
                Ok(buf)
            }
        }
    }
}

/// A node B-tree leaf entry (NBTENTRY, [MS-PST] 2.2.2.7.7.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeEntry {
    /// The block holding the node's data.
    pub data: u64,
    /// The block holding its subnode tree (0: none).
    pub sub: u64,
    /// The parent node (a folder for messages and sub-folders).
    pub parent: u32,
}

/// A block B-tree leaf entry (BBTENTRY, [MS-PST] 2.2.2.7.7.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BlockEntry {
    ib: u64,
    cb: u16,
}

/// A subnode: its data block and its own subnode tree (SLENTRY, [MS-PST] 2.2.2.8.3.3.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubNode {
    /// Its data block.
    pub data: u64,
    /// Its subnode tree (0: none).
    pub sub: u64,
}

/// The subnodes of a node, by node id.
pub type SubNodes = HashMap<u32, SubNode>;

/// The NDB layer of an open file: both B-trees read into maps, and the source to read blocks.
pub struct Ndb {
    source: Source,
    size: u64,
    /// The header it was opened with.
    pub header: Header,
    nodes: HashMap<u32, NodeEntry>,
    blocks: HashMap<u64, BlockEntry>,
    /// A writer's view records here what its writes change in the maps (when asked to), so
    /// that readers of the same file can follow its commits ([`NdbDelta`]).
    journal: Option<Vec<NdbChange>>,
}

/// One change to an [`Ndb`]'s maps: a node or block entry set (`Some`) or removed (`None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NdbChange {
    Node(u32, Option<NodeEntry>),
    Block(u64, Option<BlockEntry>),
}

/// What a writer's commits changed in the node and block B-trees, with the header and size
/// they left: a reader of the same file applies it ([`Ndb::apply`]) instead of reading both
/// B-trees again, which costs the whole file's pages.
#[derive(Clone, Debug)]
pub struct NdbDelta {
    changes: Vec<NdbChange>,
    header: Header,
    size: u64,
}

impl NdbDelta {
    /// True when the delta sets or removes node `nid`.
    pub fn touches_node(&self, nid: u32) -> bool {
        self.changes.iter().any(|c| matches!(c, NdbChange::Node(n, _) if *n == nid))
    }

    /// Number of entry changes it holds.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when it changes no entry.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Little-endian readers that never panic: out-of-range reads give an error.
pub(crate) trait Le {
    fn u8_at(&self, at: usize) -> Result<u8, PstError>;
    fn u16_at(&self, at: usize) -> Result<u16, PstError>;
    fn u32_at(&self, at: usize) -> Result<u32, PstError>;
    fn u64_at(&self, at: usize) -> Result<u64, PstError>;
    fn slice_at(&self, at: usize, len: usize) -> Result<&[u8], PstError>;
}

impl Le for [u8] {
    fn u8_at(&self, at: usize) -> Result<u8, PstError> {
        Ok(self.slice_at(at, 1)?[0])
    }
    fn u16_at(&self, at: usize) -> Result<u16, PstError> {
        let s = self.slice_at(at, 2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32_at(&self, at: usize) -> Result<u32, PstError> {
        let s = self.slice_at(at, 4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64_at(&self, at: usize) -> Result<u64, PstError> {
        let s = self.slice_at(at, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn slice_at(&self, at: usize, len: usize) -> Result<&[u8], PstError> {
        at.checked_add(len).and_then(|end| self.get(at..end)).ok_or_else(|| {
            PstError::Corrupt(format!(
                "a structure reads {len} bytes at {at} of a {}-byte buffer",
                self.len()
            ))
        })
    }
}

/// A block id as the B-tree keys it: the lowest bit is reserved ([MS-PST] 2.2.2.2).
fn key(bid: u64) -> u64 {
    bid & !1
}

/// True when `bid` names an internal block (XBLOCK, XXBLOCK, SLBLOCK, SIBLOCK), which is never
/// encrypted ([MS-PST] 2.2.2.2: bit 1).
fn is_internal(bid: u64) -> bool {
    bid & 2 != 0
}

impl Ndb {
    /// Reads the header and both B-trees.
    pub fn open(source: Source, size: u64) -> Result<Ndb, PstError> {
        let head = source.read(0, super::header::HEADER_LEN.min(size as usize), size)?;
        let header = Header::parse(&head)?;
        let mut ndb =
            Ndb { source, size, header, nodes: HashMap::new(), blocks: HashMap::new(), journal: None };
        let mut budget = size / PAGE_LEN as u64 + 1;
        let root = ndb.header.node_btree;
        ndb.walk_btree(root, 0x81, None, &mut budget)?;
        let root = ndb.header.block_btree;
        ndb.walk_btree(root, 0x80, None, &mut budget)?;
        Ok(ndb)
    }

    /// An empty view over `source` (no nodes, no blocks), for the writer, which fills the maps
    /// as it writes ([`super::write::ndb::NdbWriter::reader`]).
    pub(crate) fn empty(source: Source, size: u64, header: Header) -> Ndb {
        Ndb { source, size, header, nodes: HashMap::new(), blocks: HashMap::new(), journal: None }
    }

    /// Writer hook: records (or replaces) a node entry.
    pub(crate) fn set_node(&mut self, nid: u32, entry: NodeEntry) {
        self.nodes.insert(nid, entry);
        self.record(NdbChange::Node(nid, Some(entry)));
    }

    /// Writer hook: forgets a node entry.
    pub(crate) fn remove_node(&mut self, nid: u32) {
        self.nodes.remove(&nid);
        self.record(NdbChange::Node(nid, None));
    }

    /// Writer hook: records where a block is.
    pub(crate) fn set_block(&mut self, bid: u64, ib: u64, cb: u16) {
        let entry = BlockEntry { ib, cb };
        self.blocks.insert(key(bid), entry);
        self.record(NdbChange::Block(key(bid), Some(entry)));
    }

    /// Writer hook: forgets a block.
    pub(crate) fn remove_block(&mut self, bid: u64) {
        self.blocks.remove(&key(bid));
        self.record(NdbChange::Block(key(bid), None));
    }

    fn record(&mut self, change: NdbChange) {
        if let Some(j) = self.journal.as_mut() {
            j.push(change);
        }
    }

    /// Writer hook: from now on, records every change to the maps for [`Ndb::take_delta`].
    pub(crate) fn record_changes(&mut self) {
        self.journal.get_or_insert_with(Vec::new);
    }

    /// Writer hook: what changed since the last call (or since [`Ndb::record_changes`]), with
    /// the current header and size; `None` when changes are not recorded.
    pub(crate) fn take_delta(&mut self) -> Option<NdbDelta> {
        let changes = std::mem::take(self.journal.as_mut()?);
        Some(NdbDelta { changes, header: self.header.clone(), size: self.size })
    }

    /// Follows a writer's commit: its entry changes in order, then its header and size.
    pub fn apply(&mut self, delta: &NdbDelta) {
        for c in &delta.changes {
            match *c {
                NdbChange::Node(nid, Some(e)) => {
                    self.nodes.insert(nid, e);
                }
                NdbChange::Node(nid, None) => {
                    self.nodes.remove(&nid);
                }
                NdbChange::Block(bid, Some(e)) => {
                    self.blocks.insert(bid, e);
                }
                NdbChange::Block(bid, None) => {
                    self.blocks.remove(&bid);
                }
            }
        }
        self.header = delta.header.clone();
        self.size = delta.size;
    }

    /// Writer hook: the file grew (or the view is moved to another size).
    pub(crate) fn set_size(&mut self, size: u64) {
        self.size = size;
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of nodes in the node B-tree.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of blocks in the block B-tree.
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// The node B-tree entry of `nid`.
    pub fn node(&self, nid: u32) -> Option<NodeEntry> {
        self.nodes.get(&nid).copied()
    }

    /// Every node id of the given NID_TYPE (the low 5 bits, [MS-PST] 2.2.2.1).
    pub fn nodes_of_type(&self, ty: u32) -> Vec<u32> {
        let mut v: Vec<u32> = self.nodes.keys().copied().filter(|n| n & 0x1f == ty).collect();
        v.sort_unstable();
        v
    }

    fn unicode(&self) -> bool {
        self.header.format == Format::Unicode
    }

    /// Reads one B-tree page (ptype 0x80 block B-tree, 0x81 node B-tree) and everything under
    /// it into the maps. `budget` caps the pages one file can make us read (its size / 512), so
    /// a page that points back at itself ends.
    fn walk_btree(
        &mut self,
        page: BlockRef,
        ptype: u8,
        level: Option<u8>,
        budget: &mut u64,
    ) -> Result<(), PstError> {
        if *budget == 0 {
            return Err(PstError::Corrupt("the B-trees have more pages than the file".into()));
        }
        *budget -= 1;
        let p = self.source.read(page.ib, PAGE_LEN, self.size)?;
        let uni = self.unicode();
        let (trailer, meta) = if uni { (496, 488) } else { (500, 496) };
        let kind = p.u8_at(trailer)?;
        if kind != ptype {
            return Err(PstError::Corrupt(format!(
                "page {:#x} at {:#x} has type {kind:#04x}, expected {ptype:#04x}",
                page.bid, page.ib
            )));
        }
        let count = p.u8_at(meta)? as usize;
        let entry_len = p.u8_at(meta + 2)? as usize;
        let c_level = p.u8_at(meta + 3)?;
        if c_level > MAX_BTREE_DEPTH || level.is_some_and(|l| l != c_level) {
            return Err(PstError::Corrupt(format!(
                "page {:#x} has level {c_level}, expected {level:?}",
                page.bid
            )));
        }
        if entry_len == 0 || count * entry_len > meta {
            return Err(PstError::Corrupt(format!(
                "page {:#x}: {count} entries of {entry_len} bytes do not fit",
                page.bid
            )));
        }
        for i in 0..count {
            let e = &p[i * entry_len..(i + 1) * entry_len];
            if c_level > 0 {
                // BTENTRY: btkey, BREF.
                let child = if uni {
                    BlockRef { bid: e.u64_at(8)?, ib: e.u64_at(16)? }
                } else {
                    BlockRef { bid: e.u32_at(4)? as u64, ib: e.u32_at(8)? as u64 }
                };
                self.walk_btree(child, ptype, Some(c_level - 1), budget)?;
            } else if ptype == 0x81 {
                let (nid, n) = if uni {
                    let n = NodeEntry { data: e.u64_at(8)?, sub: e.u64_at(16)?, parent: e.u32_at(24)? };
                    (e.u32_at(0)?, n)
                } else {
                    let n = NodeEntry {
                        data: e.u32_at(4)? as u64,
                        sub: e.u32_at(8)? as u64,
                        parent: e.u32_at(12)?,
                    };
                    (e.u32_at(0)?, n)
                };
                self.nodes.insert(nid, n);
            } else {
                let (bid, b) = if uni {
                    (e.u64_at(0)?, BlockEntry { ib: e.u64_at(8)?, cb: e.u16_at(16)? })
                } else {
                    (e.u32_at(0)? as u64, BlockEntry { ib: e.u32_at(4)? as u64, cb: e.u16_at(8)? })
                };
                self.blocks.insert(key(bid), b);
            }
        }
        Ok(())
    }

    /// Every block of the block B-tree as (bid, file offset, byte count), in bid order.
    pub fn block_table(&self) -> Vec<(u64, u64, u16)> {
        let mut v: Vec<_> = self.blocks.iter().map(|(b, e)| (*b, e.ib, e.cb)).collect();
        v.sort_unstable();
        v
    }

    /// The file offset of block `bid`.
    pub fn block_offset(&self, bid: u64) -> Option<u64> {
        self.blocks.get(&key(bid)).map(|e| e.ib)
    }

    /// The bytes of one block, decoded when it is a data block of an encrypted file.
    pub fn block(&self, bid: u64) -> Result<Vec<u8>, PstError> {
        let e = self
            .blocks
            .get(&key(bid))
            .ok_or_else(|| PstError::Corrupt(format!("block {bid:#x} is not in the block B-tree")))?;
        let mut data = self.source.read(e.ib, e.cb as usize, self.size)?;
        if !is_internal(bid) {
            self.header.crypt.decode(&mut data, bid);
        }
        Ok(data)
    }

    /// The data blocks of a node's data tree, in order (a heap needs them one by one). The
    /// total is capped at the file's size: a tree that references one block many times to
    /// claim more is refused.
    pub fn data_blocks(&self, bid: u64) -> Result<Vec<Vec<u8>>, PstError> {
        let mut out = Vec::new();
        let mut total = 0u64;
        self.collect_data(bid, None, &mut out, &mut total)?;
        Ok(out)
    }

    /// A node's data as one buffer.
    pub fn data(&self, bid: u64) -> Result<Vec<u8>, PstError> {
        Ok(self.data_blocks(bid)?.concat())
    }

    fn collect_data(
        &self,
        bid: u64,
        level: Option<u8>,
        out: &mut Vec<Vec<u8>>,
        total: &mut u64,
    ) -> Result<(), PstError> {
        let b = self.block(bid)?;
        *total += b.len() as u64;
        if *total > self.size {
            return Err(PstError::Corrupt(format!(
                "the data tree of block {bid:#x} is larger than the file"
            )));
        }
        if !is_internal(bid) {
            if level.is_some_and(|l| l != 0) {
                return Err(PstError::Corrupt(format!("XXBLOCK points at data block {bid:#x}")));
            }
            out.push(b);
            return Ok(());
        }
        // XBLOCK / XXBLOCK: btype 0x01, cLevel, cEnt, lcbTotal, rgbid.
        let (btype, c_level, count) = (b.u8_at(0)?, b.u8_at(1)?, b.u16_at(2)? as usize);
        if btype != 1 || c_level == 0 || c_level > MAX_DATA_TREE_LEVEL {
            return Err(PstError::Corrupt(format!(
                "block {bid:#x} is not an XBLOCK/XXBLOCK (btype {btype}, level {c_level})"
            )));
        }
        if level.is_some_and(|l| l != c_level) {
            return Err(PstError::Corrupt(format!("block {bid:#x}: wrong data tree level")));
        }
        let w = if self.unicode() { 8 } else { 4 };
        for i in 0..count {
            let child = if w == 8 { b.u64_at(8 + i * 8)? } else { b.u32_at(8 + i * 4)? as u64 };
            self.collect_data(child, Some(c_level - 1), out, total)?;
        }
        Ok(())
    }

    /// The subnodes under `bid` (an SLBLOCK or an SIBLOCK over SLBLOCKs); empty for 0.
    pub fn subnodes(&self, bid: u64) -> Result<SubNodes, PstError> {
        let mut out = SubNodes::new();
        if bid != 0 {
            self.collect_subnodes(bid, None, &mut out)?;
        }
        Ok(out)
    }

    fn collect_subnodes(&self, bid: u64, level: Option<u8>, out: &mut SubNodes) -> Result<(), PstError> {
        let b = self.block(bid)?;
        let (btype, c_level, count) = (b.u8_at(0)?, b.u8_at(1)?, b.u16_at(2)? as usize);
        if btype != 2 || c_level > MAX_SUBNODE_LEVEL || level.is_some_and(|l| l != c_level) {
            return Err(PstError::Corrupt(format!(
                "block {bid:#x} is not a subnode block (btype {btype}, level {c_level})"
            )));
        }
        let uni = self.unicode();
        let start = if uni { 8 } else { 4 };
        for i in 0..count {
            if c_level == 0 {
                // SLENTRY: nid, bidData, bidSub.
                let (nid, s) = if uni {
                    let at = start + i * 24;
                    (b.u32_at(at)?, SubNode { data: b.u64_at(at + 8)?, sub: b.u64_at(at + 16)? })
                } else {
                    let at = start + i * 12;
                    let s = SubNode { data: b.u32_at(at + 4)? as u64, sub: b.u32_at(at + 8)? as u64 };
                    (b.u32_at(at)?, s)
                };
                out.insert(nid, s);
            } else {
                // SIENTRY: nid, bid of an SLBLOCK.
                let child =
                    if uni { b.u64_at(start + i * 16 + 8)? } else { b.u32_at(start + i * 8 + 4)? as u64 };
                self.collect_subnodes(child, Some(0), out)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
impl Ndb {
    /// A readable in-memory NDB holding `nodes` (top-level, parent 0), for tests of the
    /// writer's LTP builders: their blocks laid one after another into a buffer with a
    /// synthetic Unicode header (no crypt, no B-tree pages: the maps are filled directly),
    /// data trees as XBLOCK/XXBLOCK and subnode trees as SLBLOCK/SIBLOCK when needed.
    pub(crate) fn from_nodes(nodes: &[(u32, super::write::NodeContent)]) -> Ndb {
        let header = Header {
            format: Format::Unicode,
            version: 23,
            client_version: 19,
            client_magic: *b"SM",
            crypt: super::crypt::CryptMethod::None,
            file_eof: 0,
            amap_free: 0,
            amap_valid: true,
            node_btree: BlockRef::default(),
            block_btree: BlockRef::default(),
        };
        let mut ndb = Ndb {
            source: Source::Bytes(Vec::new()),
            size: 0,
            header,
            nodes: HashMap::new(),
            blocks: HashMap::new(),
            journal: None,
        };
        let mut bytes = Vec::new();
        let mut next = 4u64;
        for (nid, content) in nodes {
            let (data, sub) = test_layout::node(&mut bytes, &mut ndb.blocks, &mut next, content);
            ndb.nodes.insert(*nid, NodeEntry { data, sub, parent: 0 });
        }
        ndb.size = bytes.len() as u64;
        ndb.header.file_eof = ndb.size;
        ndb.source = Source::Bytes(bytes);
        ndb
    }
}

/// Block layout for [`Ndb::from_nodes`].
#[cfg(test)]
mod test_layout {
    use super::{BlockEntry, HashMap, key};
    use crate::pst::write::{MAX_BLOCK_DATA, NodeContent};

    type Blocks = HashMap<u64, BlockEntry>;

    fn put(bytes: &mut Vec<u8>, blocks: &mut Blocks, next: &mut u64, data: &[u8], internal: bool) -> u64 {
        let bid = *next | if internal { 2 } else { 0 };
        *next += 4;
        blocks.insert(key(bid), BlockEntry { ib: bytes.len() as u64, cb: data.len() as u16 });
        bytes.extend_from_slice(data);
        bid
    }

    /// Writes a node's data tree and subnode tree; returns (data bid, subnode bid or 0).
    pub(super) fn node(
        bytes: &mut Vec<u8>,
        blocks: &mut Blocks,
        next: &mut u64,
        c: &NodeContent,
    ) -> (u64, u64) {
        let empty = [Vec::new()];
        let data_blocks = if c.blocks.is_empty() { &empty[..] } else { &c.blocks[..] };
        let mut level: Vec<(u64, usize)> =
            data_blocks.iter().map(|b| (put(bytes, blocks, next, b, false), b.len())).collect();
        let mut depth = 0u8;
        while level.len() > 1 {
            depth += 1;
            level = level
                .chunks((MAX_BLOCK_DATA - 8) / 8)
                .map(|group| {
                    let total: usize = group.iter().map(|g| g.1).sum();
                    let mut x = vec![1, depth];
                    x.extend_from_slice(&(group.len() as u16).to_le_bytes());
                    x.extend_from_slice(&(total as u32).to_le_bytes());
                    group.iter().for_each(|g| x.extend_from_slice(&g.0.to_le_bytes()));
                    (put(bytes, blocks, next, &x, true), total)
                })
                .collect();
        }
        let data = level[0].0;
        if c.subnodes.is_empty() {
            return (data, 0);
        }
        let entries: Vec<(u32, u64, u64)> = c
            .subnodes
            .iter()
            .map(|(nid, s)| {
                let (d, sb) = node(bytes, blocks, next, s);
                (*nid, d, sb)
            })
            .collect();
        let leaves: Vec<(u32, u64)> = entries
            .chunks((MAX_BLOCK_DATA - 8) / 24)
            .map(|group| {
                let mut x = vec![2, 0];
                x.extend_from_slice(&(group.len() as u16).to_le_bytes());
                x.extend_from_slice(&[0; 4]);
                for (nid, d, sb) in group {
                    x.extend_from_slice(&(*nid as u64).to_le_bytes());
                    x.extend_from_slice(&d.to_le_bytes());
                    x.extend_from_slice(&sb.to_le_bytes());
                }
                (group[0].0, put(bytes, blocks, next, &x, true))
            })
            .collect();
        if leaves.len() == 1 {
            return (data, leaves[0].1);
        }
        let mut x = vec![2, 1];
        x.extend_from_slice(&(leaves.len() as u16).to_le_bytes());
        x.extend_from_slice(&[0; 4]);
        for (nid, b) in &leaves {
            x.extend_from_slice(&(*nid as u64).to_le_bytes());
            x.extend_from_slice(&b.to_le_bytes());
        }
        (data, put(bytes, blocks, next, &x, true))
    }
}
