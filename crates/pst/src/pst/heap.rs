//! The heap-on-node (HN, [MS-PST] 2.3.1) and the BTree-on-heap over it (BTH, [MS-PST] 2.3.2).

use std::cell::Cell;

use super::PstError;
use super::ndb::{Le, Ndb, SubNodes};

/// `bSig` of an HNHDR ([MS-PST] 2.3.1.2).
const HN_SIGNATURE: u8 = 0xEC;
/// `bType` of a BTHHEADER ([MS-PST] 2.3.2.1).
const BTH_SIGNATURE: u8 = 0xB5;
/// The deepest BTH the reader follows (`bIdxLevels`).
const MAX_BTH_DEPTH: u8 = 8;

/// A BTH leaf record: its key and its data.
pub type BthRecord = (Vec<u8>, Vec<u8>);

/// A heap-on-node: the node's data blocks (each one heap page) and its subnodes, which an HNID
/// may name instead of a heap item.
pub struct Heap<'a> {
    ndb: &'a Ndb,
    pages: Vec<Vec<u8>>,
    /// The node's subnodes (for HNIDs that are NIDs, and for nested objects).
    pub subnodes: SubNodes,
    /// `bClientSig`: 0xBC property context, 0x7C table context, 0xB5 BTH.
    pub client_sig: u8,
    /// `hidUserRoot`.
    pub user_root: u32,
    /// Bytes read from subnodes through HNIDs so far (capped at the file's size: a context
    /// whose values all name one large subnode is refused, not read again and again).
    subnode_bytes: Cell<u64>,
}

impl<'a> Heap<'a> {
    /// Opens the heap stored in data block tree `data` with subnode tree `sub`.
    pub fn open(ndb: &'a Ndb, data: u64, sub: u64) -> Result<Heap<'a>, PstError> {
        let pages = ndb.data_blocks(data)?;
        let first = pages.first().ok_or_else(|| PstError::Corrupt("a heap node without data".into()))?;
        if first.u8_at(2)? != HN_SIGNATURE {
            return Err(PstError::Corrupt(format!("no heap signature (0xEC) in block {data:#x}")));
        }
        let client_sig = first.u8_at(3)?;
        let user_root = first.u32_at(4)?;
        let subnodes = ndb.subnodes(sub)?;
        Ok(Heap { ndb, pages, subnodes, client_sig, user_root, subnode_bytes: Cell::new(0) })
    }

    /// The bytes of its pages.
    pub fn byte_len(&self) -> u64 {
        self.pages.iter().map(|p| p.len() as u64).sum()
    }

    /// The NDB the heap reads from.
    pub fn ndb(&self) -> &'a Ndb {
        self.ndb
    }

    /// The bytes of heap item `hid` ([MS-PST] 2.3.1.1): hidIndex (bits 5–15, from 1) in
    /// page hidBlockIndex (bits 16–31), bounded by the page map (HNPAGEMAP, 2.3.1.5).
    /// HID 0 is the empty item.
    pub fn item(&self, hid: u32) -> Result<&[u8], PstError> {
        if hid == 0 {
            return Ok(&[]);
        }
        if hid & 0x1f != 0 {
            return Err(PstError::Corrupt(format!("{hid:#x} is not a heap id")));
        }
        let page = self
            .pages
            .get((hid >> 16) as usize)
            .ok_or_else(|| PstError::Corrupt(format!("heap id {hid:#x}: no such page")))?;
        let index = ((hid >> 5) & 0x7ff) as usize;
        let map = page.u16_at(0)? as usize;
        let count = page.u16_at(map)? as usize;
        if index == 0 || index > count {
            return Err(PstError::Corrupt(format!("heap id {hid:#x}: no such item")));
        }
        let start = page.u16_at(map + 4 + (index - 1) * 2)? as usize;
        let end = page.u16_at(map + 4 + index * 2)? as usize;
        if start > end || end > map {
            return Err(PstError::Corrupt(format!("heap id {hid:#x}: bad bounds")));
        }
        page.slice_at(start, end - start)
    }

    /// The bytes an HNID names ([MS-PST] 2.3.3.2): a heap item, or the data of a subnode.
    pub fn hnid(&self, hnid: u32) -> Result<Vec<u8>, PstError> {
        if hnid & 0x1f == 0 {
            return Ok(self.item(hnid)?.to_vec());
        }
        let s = self
            .subnodes
            .get(&hnid)
            .ok_or_else(|| PstError::Corrupt(format!("subnode {hnid:#x} is not in the subnode tree")))?;
        let data = self.ndb.data(s.data)?;
        let spent = self.subnode_bytes.get() + data.len() as u64;
        if spent > self.ndb.size() {
            return Err(PstError::Corrupt(format!(
                "values of one object add up to more than the file ({} bytes)",
                self.ndb.size()
            )));
        }
        self.subnode_bytes.set(spent);
        Ok(data)
    }

    /// Bytes of its pages plus those read from subnodes so far.
    pub fn bytes_read(&self) -> u64 {
        self.byte_len() + self.subnode_bytes.get()
    }

    /// Every leaf record of the BTH whose header is heap item `hid`, as (key, data).
    pub fn bth_records(&self, hid: u32) -> Result<Vec<BthRecord>, PstError> {
        let h = self.item(hid)?;
        if h.u8_at(0)? != BTH_SIGNATURE {
            return Err(PstError::Corrupt(format!("heap item {hid:#x} is not a BTH header")));
        }
        let (key_len, data_len, levels) = (h.u8_at(1)? as usize, h.u8_at(2)? as usize, h.u8_at(3)?);
        let root = h.u32_at(4)?;
        if key_len == 0 || levels > MAX_BTH_DEPTH {
            return Err(PstError::Corrupt(format!("BTH {hid:#x}: bad key size or depth")));
        }
        let mut out = Vec::new();
        if root != 0 {
            self.bth_level(root, levels, key_len, data_len, &mut out)?;
        }
        Ok(out)
    }

    fn bth_level(
        &self,
        hid: u32,
        level: u8,
        key_len: usize,
        data_len: usize,
        out: &mut Vec<BthRecord>,
    ) -> Result<(), PstError> {
        let items = self.item(hid)?;
        if level == 0 {
            let rec = key_len + data_len;
            if rec == 0 {
                return Ok(());
            }
            for r in items.chunks_exact(rec) {
                out.push((r[..key_len].to_vec(), r[key_len..].to_vec()));
            }
            return Ok(());
        }
        for r in items.chunks_exact(key_len + 4) {
            let child = r.u32_at(key_len)?;
            self.bth_level(child, level - 1, key_len, data_len, out)?;
        }
        Ok(())
    }
}
