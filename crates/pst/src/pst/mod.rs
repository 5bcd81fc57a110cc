//! Reading Personal Folders files (PST, and OST of the same format): [MS-PST].
//!
//! Layers, each in its own module: [`header`] (2.2.2.6), [`ndb`] (node and block B-trees, data
//! and subnode trees, 2.2.2.7–2.2.2.8), [`heap`] (HN and BTH, 2.3.1–2.3.2), [`ltp`] (PC and
//! TC, 2.3.3–2.3.4), and the messaging layer in [`folder`] and [`message`] (2.4), which
//! produces the shared [`crate::item::Message`].
//!
//! Built on our own reader rather than the `outlook-pst` crate: that crate (1.2.0, checked
//! here) refuses OSTs at the header (`wMagicClient` "SO"), refuses every message without a
//! subnode tree (contacts, most items some writers produce: "Missing Sub-Node Tree"), and
//! refuses a table whose column has type 0x0000 (Aspose-written files), so it opens far fewer
//! items than the peers; its objects are `Rc`-bound and its errors do not name the node.
//! The crypt tables are the specification's constants ([MS-PST] 5.1).
//!
//! Nothing read from the file is trusted: every offset and count is checked against the
//! buffer or the file it points into, recursion is bounded, and a damaged object is an error
//! naming its node, never a panic.

pub mod check;
pub mod crypt;
pub mod folder;
pub mod header;
pub mod heap;
pub mod ltp;
pub mod message;
mod names;
pub mod ndb;
pub mod value;
pub mod write;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::named::PropertyName;
use oxmapi_core::value::PropValue;

pub use check::Report;
pub use folder::{FolderInfo, Skipped};
pub use header::{Format, Header};
pub use ltp::Row;
pub use message::ItemError;

use heap::Heap;
use ndb::{Ndb, Source};

/// NID_MESSAGE_STORE: the store's property context ([MS-PST] 2.4.3).
pub const NID_MESSAGE_STORE: u32 = 0x21;
/// NID_NAME_TO_ID_MAP ([MS-PST] 2.4.7).
pub const NID_NAME_TO_ID_MAP: u32 = 0x61;
/// NID_ROOT_FOLDER ([MS-PST] 2.4.4).
pub const NID_ROOT_FOLDER: u32 = 0x122;

/// Why a file cannot be read at all, or an object in it.
#[derive(Debug)]
pub enum PstError {
    /// The operating system refused a read.
    Io(std::io::Error),
    /// The header is not a PST header this reader knows, or its CRC is wrong.
    Header(String),
    /// A structure is inconsistent (names the block, node or field).
    Corrupt(String),
}

impl fmt::Display for PstError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PstError::Io(e) => write!(f, "read error: {e}"),
            PstError::Header(w) => write!(f, "bad header: {w}"),
            PstError::Corrupt(w) => write!(f, "damaged: {w}"),
        }
    }
}

impl std::error::Error for PstError {}

/// An open PST or OST file.
pub struct PstFile {
    ndb: Ndb,
    store: PropBag,
    names: BTreeMap<u16, PropertyName>,
    codepage: u32,
    /// Problems found while opening (store or name map unreadable), as report lines.
    pub problems: Vec<String>,
}

impl PstFile {
    /// Opens a file: reads and checks the header, reads both B-trees, the message store and
    /// the name-to-id map.
    pub fn open(path: impl AsRef<Path>) -> Result<PstFile, PstError> {
        let f = std::fs::File::open(path).map_err(PstError::Io)?;
        let size = f.metadata().map_err(PstError::Io)?.len();
        PstFile::from_source(Source::File(f), size)
    }

    /// Opens a file held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<PstFile, PstError> {
        let size = bytes.len() as u64;
        PstFile::from_source(Source::Bytes(bytes), size)
    }

    fn from_source(source: Source, size: u64) -> Result<PstFile, PstError> {
        let ndb = Ndb::open(source, size)?;
        let mut problems = Vec::new();
        if ndb.header.file_eof > size {
            problems.push(format!(
                "the header says the file is {} bytes, it is {size}: truncated",
                ndb.header.file_eof
            ));
        }
        let store = match read_pc(&ndb, NID_MESSAGE_STORE) {
            Ok((bag, p)) => {
                problems.extend(p.into_iter().map(|w| format!("message store: {w}")));
                bag
            }
            Err(e) => return Err(PstError::Corrupt(format!("the message store (node 0x21): {e}"))),
        };
        let names = match read_pc(&ndb, NID_NAME_TO_ID_MAP) {
            Ok((bag, _)) => {
                let (map, bad) = names::parse(&bag);
                if bad > 0 {
                    problems.push(format!("name-to-id map: {bad} entries left out"));
                }
                map
            }
            Err(e) => {
                problems.push(format!("name-to-id map (node 0x61): {e}"));
                BTreeMap::new()
            }
        };
        let codepage = match store.get(oxmapi_core::catalogue::tags::PR_MESSAGE_CODEPAGE) {
            Some(PropValue::I32(cp)) => *cp as u32,
            _ => message::recorded_codepage(&ndb).unwrap_or(crate::codepage::CP_WINDOWS_1252),
        };
        Ok(PstFile { ndb, store, names, codepage, problems })
    }

    /// Follows a commit of this file's writer (in this process) without reading the B-trees
    /// again: the delta's node and block changes, then the message store and the name-to-id map
    /// read again if the commit rewrote them.
    pub fn apply(&mut self, delta: &ndb::NdbDelta) -> Result<(), PstError> {
        self.ndb.apply(delta);
        if delta.touches_node(NID_MESSAGE_STORE) {
            self.store = read_pc(&self.ndb, NID_MESSAGE_STORE)
                .map_err(|e| PstError::Corrupt(format!("the message store (node 0x21): {e}")))?
                .0;
        }
        if delta.touches_node(NID_NAME_TO_ID_MAP) {
            let (bag, _) = read_pc(&self.ndb, NID_NAME_TO_ID_MAP)?;
            self.names = names::parse(&bag).0;
        }
        Ok(())
    }

    /// The header facts.
    pub fn header(&self) -> &Header {
        &self.ndb.header
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.ndb.size()
    }

    /// Number of nodes and blocks in the B-trees.
    pub fn btree_counts(&self) -> (usize, usize) {
        (self.ndb.node_count(), self.ndb.block_count())
    }

    /// The node B-tree entry of `nid` (its data and subnode blocks, its parent).
    pub fn node_entry(&self, nid: u32) -> Option<ndb::NodeEntry> {
        self.ndb.node(nid)
    }

    /// Every block as (bid, file offset, byte count) — for tools and tests that rewrite files.
    pub fn block_table(&self) -> Vec<(u64, u64, u16)> {
        self.ndb.block_table()
    }

    /// The file offset of block `bid`.
    pub fn block_offset(&self, bid: u64) -> Option<u64> {
        self.ndb.block_offset(bid)
    }

    /// The message store's properties (PR_DISPLAY_NAME, PR_IPM_SUBTREE_ENTRYID, …).
    pub fn store_props(&self) -> &PropBag {
        &self.store
    }

    /// The file's name-to-id map.
    pub fn named_properties(&self) -> &BTreeMap<u16, PropertyName> {
        &self.names
    }
}

/// Reads the property context of a top-level node.
fn read_pc(ndb: &Ndb, nid: u32) -> Result<(PropBag, Vec<String>), PstError> {
    let n =
        ndb.node(nid).ok_or_else(|| PstError::Corrupt(format!("node {nid:#x} is not in the node B-tree")))?;
    let heap = Heap::open(ndb, n.data, n.sub)?;
    ltp::property_context(&heap)
}

/// Reads the table context of a top-level node.
fn read_tc(ndb: &Ndb, nid: u32) -> Result<(Vec<Row>, Vec<String>), PstError> {
    let n =
        ndb.node(nid).ok_or_else(|| PstError::Corrupt(format!("node {nid:#x} is not in the node B-tree")))?;
    let heap = Heap::open(ndb, n.data, n.sub)?;
    ltp::table_context(&heap)
}
