//! A copy-on-write B-tree of 512-byte pages ([MS-PST] 2.2.2.7.7 BTPAGE): the node B-tree
//! (NBTENTRY leaves) and the block B-tree (BBTENTRY leaves) of a Unicode file.
//!
//! The pages are held in memory with the place each one has on disk. A change makes the pages
//! on its path "dirty" (they lose their place, which is queued to be freed); at commit only the
//! dirty pages are written, each into new space, children before parents. Pages split when
//! they overflow, merge with a neighbour when both fit one page, and go away when empty.

use super::super::PstError;
use super::super::header::BlockRef;
use super::super::ndb::{Le, PAGE_LEN};
use super::trailer::PAGE_DATA_LEN;

/// Bytes of entries a page holds (`rgentries`, 488 in a Unicode page).
const ENTRIES_LEN: usize = 488;
/// A BTENTRY (btkey, BREF) is 24 bytes.
const BTENTRY_LEN: usize = 24;
/// The deepest tree the loader follows.
const MAX_LEVEL: u8 = 16;

/// A leaf entry of one of the two trees.
pub trait Entry: Clone + std::fmt::Debug {
    /// Its size on disk (`cbEnt`).
    const SIZE: usize;
    /// Its key (nid or bid).
    fn key(&self) -> u64;
    /// Writes it into `out` (`SIZE` bytes).
    fn encode(&self, out: &mut [u8]);
    /// Reads it.
    fn decode(b: &[u8]) -> Result<Self, PstError>;
}

#[derive(Clone, Debug)]
enum Body<E> {
    Leaf(Vec<E>),
    Inner(Vec<(u64, usize)>),
}

#[derive(Clone, Debug)]
struct Page<E> {
    level: u8,
    body: Body<E>,
    /// Where the page is on disk; None while dirty.
    disk: Option<BlockRef>,
}

impl<E: Entry> Page<E> {
    fn len(&self) -> usize {
        match &self.body {
            Body::Leaf(v) => v.len(),
            Body::Inner(v) => v.len(),
        }
    }
    fn first_key(&self) -> u64 {
        match &self.body {
            Body::Leaf(v) => v.first().map_or(0, Entry::key),
            Body::Inner(v) => v.first().map_or(0, |c| c.0),
        }
    }
}

/// Writes a finished page somewhere and says where (the caller allocates space and an id).
pub trait PageSink {
    /// Writes `data` (496 bytes of entries and metadata) as a page of type `ptype`.
    fn write_page(&mut self, ptype: u8, data: &[u8]) -> Result<BlockRef, PstError>;
}

/// Reads pages when loading a tree.
pub trait PageSource {
    /// The 512 bytes at `ib`.
    fn read_page(&self, ib: u64) -> Result<Vec<u8>, PstError>;
}

/// One B-tree.
#[derive(Clone, Debug)]
pub struct BTree<E> {
    ptype: u8,
    pages: Vec<Option<Page<E>>>,
    spare: Vec<usize>,
    root: usize,
    len: usize,
    /// Disk places of pages that were changed or dropped since the last commit.
    freed: Vec<BlockRef>,
}

impl<E: Entry> BTree<E> {
    /// An empty tree (one empty leaf, dirty).
    pub fn new(ptype: u8) -> BTree<E> {
        let root = Page { level: 0, body: Body::Leaf(Vec::new()), disk: None };
        BTree { ptype, pages: vec![Some(root)], spare: Vec::new(), root: 0, len: 0, freed: Vec::new() }
    }

    fn max_leaf() -> usize {
        ENTRIES_LEN / E::SIZE
    }

    fn max_of(&self, idx: usize) -> usize {
        if self.page(idx).level == 0 { Self::max_leaf() } else { ENTRIES_LEN / BTENTRY_LEN }
    }

    fn page(&self, idx: usize) -> &Page<E> {
        self.pages[idx].as_ref().expect("live page")
    }

    fn page_mut(&mut self, idx: usize) -> &mut Page<E> {
        self.pages[idx].as_mut().expect("live page")
    }

    fn add(&mut self, p: Page<E>) -> usize {
        if let Some(i) = self.spare.pop() {
            self.pages[i] = Some(p);
            i
        } else {
            self.pages.push(Some(p));
            self.pages.len() - 1
        }
    }

    fn drop_page(&mut self, idx: usize) {
        if let Some(p) = self.pages[idx].take() {
            self.freed.extend(p.disk);
            self.spare.push(idx);
        }
    }

    fn touch(&mut self, idx: usize) {
        if let Some(d) = self.page_mut(idx).disk.take() {
            self.freed.push(d);
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the tree has no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Depth of the tree (0: the root is a leaf).
    pub fn depth(&self) -> u8 {
        self.page(self.root).level
    }

    /// The root's place on disk (after [`BTree::flush`]).
    pub fn root_ref(&self) -> Option<BlockRef> {
        self.page(self.root).disk
    }

    /// True when something changed since the last flush.
    pub fn is_dirty(&self) -> bool {
        self.page(self.root).disk.is_none()
    }

    /// The disk places given up since the last call (to be freed at commit).
    pub fn take_freed(&mut self) -> Vec<BlockRef> {
        std::mem::take(&mut self.freed)
    }

    /// The disk places of every page (for an allocation check or an AMap rebuild).
    pub fn page_refs(&self) -> Vec<BlockRef> {
        self.pages.iter().flatten().filter_map(|p| p.disk).collect()
    }

    fn child_pos(kids: &[(u64, usize)], key: u64) -> usize {
        kids.partition_point(|c| c.0 <= key).saturating_sub(1)
    }

    /// The entry with `key`.
    pub fn get(&self, key: u64) -> Option<&E> {
        let mut idx = self.root;
        loop {
            match &self.page(idx).body {
                Body::Leaf(v) => {
                    return v.binary_search_by_key(&key, Entry::key).ok().map(|i| &v[i]);
                }
                Body::Inner(kids) => {
                    if kids.is_empty() {
                        return None;
                    }
                    idx = kids[Self::child_pos(kids, key)].1;
                }
            }
        }
    }

    /// Every entry in key order.
    pub fn entries(&self) -> Vec<E> {
        let mut out = Vec::with_capacity(self.len);
        self.collect(self.root, &mut out);
        out
    }

    fn collect(&self, idx: usize, out: &mut Vec<E>) {
        match &self.page(idx).body {
            Body::Leaf(v) => out.extend(v.iter().cloned()),
            Body::Inner(kids) => kids.iter().for_each(|c| self.collect(c.1, out)),
        }
    }

    /// Inserts or replaces the entry with `e`'s key. Returns the replaced entry.
    pub fn insert(&mut self, e: E) -> Option<E> {
        let root = self.root;
        let (old, split) = self.insert_rec(root, e);
        if let Some(right) = split {
            let level = self.page(root).level + 1;
            let kids = vec![(self.page(root).first_key(), root), (self.page(right).first_key(), right)];
            self.root = self.add(Page { level, body: Body::Inner(kids), disk: None });
        }
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    fn insert_rec(&mut self, idx: usize, e: E) -> (Option<E>, Option<usize>) {
        self.touch(idx);
        let max = self.max_of(idx);
        let key = e.key();
        let (old, at_end) = match &mut self.page_mut(idx).body {
            Body::Leaf(v) => match v.binary_search_by_key(&key, Entry::key) {
                Ok(i) => (Some(std::mem::replace(&mut v[i], e)), false),
                Err(i) => {
                    let at_end = i == v.len();
                    v.insert(i, e);
                    (None, at_end)
                }
            },
            Body::Inner(kids) => {
                let pos = Self::child_pos(kids, key);
                let child = kids[pos].1;
                let (old, split) = self.insert_rec(child, e);
                let first = self.page(child).first_key();
                let right = split.map(|r| (self.page(r).first_key(), r));
                let Body::Inner(kids) = &mut self.page_mut(idx).body else { unreachable!() };
                kids[pos].0 = first;
                let at_end = pos + 1 == kids.len();
                if let Some(r) = right {
                    kids.insert(pos + 1, r);
                }
                (old, at_end && right.is_some())
            }
        };
        if self.page(idx).len() <= max {
            return (old, None);
        }
        // Appending (ids grow) fills pages; otherwise split in the middle.
        let cut = if at_end { max } else { self.page(idx).len() / 2 };
        let level = self.page(idx).level;
        let body = match &mut self.page_mut(idx).body {
            Body::Leaf(v) => Body::Leaf(v.split_off(cut)),
            Body::Inner(v) => Body::Inner(v.split_off(cut)),
        };
        let right = self.add(Page { level, body, disk: None });
        (old, Some(right))
    }

    /// Removes the entry with `key`. Returns it.
    pub fn remove(&mut self, key: u64) -> Option<E> {
        self.get(key)?;
        let root = self.root;
        let old = self.remove_rec(root, key);
        if old.is_some() {
            self.len -= 1;
        }
        // Collapse a root with a single child; an empty inner root becomes an empty leaf.
        loop {
            let r = self.root;
            let next = match &self.page(r).body {
                Body::Inner(kids) if kids.len() == 1 => kids[0].1,
                Body::Inner(kids) if kids.is_empty() => {
                    let p = self.page_mut(r);
                    p.level = 0;
                    p.body = Body::Leaf(Vec::new());
                    break;
                }
                _ => break,
            };
            self.drop_page(r);
            self.root = next;
        }
        old
    }

    fn remove_rec(&mut self, idx: usize, key: u64) -> Option<E> {
        self.touch(idx);
        let (pos, child) = match &mut self.page_mut(idx).body {
            Body::Leaf(v) => {
                let i = v.binary_search_by_key(&key, Entry::key).ok()?;
                return Some(v.remove(i));
            }
            Body::Inner(kids) => {
                let pos = Self::child_pos(kids, key);
                (pos, kids[pos].1)
            }
        };
        let old = self.remove_rec(child, key);
        let child_len = self.page(child).len();
        let first = self.page(child).first_key();
        if child_len == 0 {
            self.drop_page(child);
            let Body::Inner(kids) = &mut self.page_mut(idx).body else { unreachable!() };
            kids.remove(pos);
            return old;
        }
        let Body::Inner(kids) = &mut self.page_mut(idx).body else { unreachable!() };
        kids[pos].0 = first;
        let max = self.max_of(child);
        if child_len < max / 2 {
            self.merge_with_neighbour(idx, pos, max);
        }
        old
    }

    /// Merges the child at `pos` of `parent` with its right (or left) neighbour when both fit
    /// one page.
    fn merge_with_neighbour(&mut self, parent: usize, pos: usize, max: usize) {
        let Body::Inner(kids) = &self.page(parent).body else { return };
        let fits = |l: usize, r: usize| self.page(kids[l].1).len() + self.page(kids[r].1).len() <= max;
        let (left_pos, right_pos) = if pos + 1 < kids.len() && fits(pos, pos + 1) {
            (pos, pos + 1)
        } else if pos > 0 && fits(pos - 1, pos) {
            (pos - 1, pos)
        } else {
            return;
        };
        let (left, right) = (kids[left_pos].1, kids[right_pos].1);
        self.touch(left);
        let moved =
            self.pages[right].as_mut().map(|p| std::mem::replace(&mut p.body, Body::Leaf(Vec::new())));
        match (&mut self.page_mut(left).body, moved) {
            (Body::Leaf(l), Some(Body::Leaf(r))) => l.extend(r),
            (Body::Inner(l), Some(Body::Inner(r))) => l.extend(r),
            _ => return,
        }
        self.drop_page(right);
        let Body::Inner(kids) = &mut self.page_mut(parent).body else { return };
        kids.remove(right_pos);
    }

    /// Writes every dirty page (children first) and returns the root's place.
    pub fn flush(&mut self, sink: &mut dyn PageSink) -> Result<BlockRef, PstError> {
        self.flush_rec(self.root, sink)
    }

    fn flush_rec(&mut self, idx: usize, sink: &mut dyn PageSink) -> Result<BlockRef, PstError> {
        if let Some(d) = self.page(idx).disk {
            return Ok(d);
        }
        let mut data = vec![0u8; PAGE_DATA_LEN];
        let level = self.page(idx).level;
        let (count, cb) = match &self.page(idx).body {
            Body::Leaf(v) => {
                for (i, e) in v.iter().enumerate() {
                    e.encode(&mut data[i * E::SIZE..(i + 1) * E::SIZE]);
                }
                (v.len(), E::SIZE)
            }
            Body::Inner(kids) => {
                let kids = kids.clone();
                for (i, (k, child)) in kids.iter().enumerate() {
                    let r = self.flush_rec(*child, sink)?;
                    let at = i * BTENTRY_LEN;
                    data[at..at + 8].copy_from_slice(&k.to_le_bytes());
                    data[at + 8..at + 16].copy_from_slice(&r.bid.to_le_bytes());
                    data[at + 16..at + 24].copy_from_slice(&r.ib.to_le_bytes());
                }
                (kids.len(), BTENTRY_LEN)
            }
        };
        data[ENTRIES_LEN] = count as u8;
        data[ENTRIES_LEN + 1] = (ENTRIES_LEN / cb) as u8;
        data[ENTRIES_LEN + 2] = cb as u8;
        data[ENTRIES_LEN + 3] = level;
        let r = sink.write_page(self.ptype, &data)?;
        self.page_mut(idx).disk = Some(r);
        Ok(r)
    }

    /// Loads a tree from disk, checking page types, levels and entry sizes; `budget` caps the
    /// number of pages (a loop in the file ends).
    pub fn load(
        ptype: u8,
        root: BlockRef,
        src: &dyn PageSource,
        budget: &mut u64,
    ) -> Result<BTree<E>, PstError> {
        let mut t = BTree { ptype, pages: Vec::new(), spare: Vec::new(), root: 0, len: 0, freed: Vec::new() };
        t.root = t.load_rec(root, None, src, budget)?;
        Ok(t)
    }

    fn load_rec(
        &mut self,
        r: BlockRef,
        level: Option<u8>,
        src: &dyn PageSource,
        budget: &mut u64,
    ) -> Result<usize, PstError> {
        if *budget == 0 {
            return Err(PstError::Corrupt("the B-trees have more pages than the file".into()));
        }
        *budget -= 1;
        let p = src.read_page(r.ib)?;
        if p.len() != PAGE_LEN || p[PAGE_DATA_LEN] != self.ptype {
            return Err(PstError::Corrupt(format!(
                "page {:#x} at {:#x} is not a page of type {:#04x}",
                r.bid, r.ib, self.ptype
            )));
        }
        let (count, cb, lvl) =
            (p.u8_at(ENTRIES_LEN)? as usize, p.u8_at(ENTRIES_LEN + 2)? as usize, p.u8_at(ENTRIES_LEN + 3)?);
        let want_cb = if lvl == 0 { E::SIZE } else { BTENTRY_LEN };
        if lvl > MAX_LEVEL || level.is_some_and(|l| l != lvl) || cb != want_cb || count * cb > ENTRIES_LEN {
            return Err(PstError::Corrupt(format!(
                "page {:#x} at {:#x}: level {lvl}, {count} entries of {cb} bytes",
                r.bid, r.ib
            )));
        }
        let body = if lvl == 0 {
            let mut v = Vec::with_capacity(count);
            for i in 0..count {
                v.push(E::decode(&p[i * cb..(i + 1) * cb])?);
            }
            self.len += v.len();
            Body::Leaf(v)
        } else {
            let mut kids = Vec::with_capacity(count);
            for i in 0..count {
                let e = &p[i * cb..(i + 1) * cb];
                let child = BlockRef { bid: e.u64_at(8)?, ib: e.u64_at(16)? };
                kids.push((e.u64_at(0)?, self.load_rec(child, Some(lvl - 1), src, budget)?));
            }
            Body::Inner(kids)
        };
        Ok(self.add(Page { level: lvl, body, disk: Some(r) }))
    }
}

/// A node B-tree leaf entry (NBTENTRY, [MS-PST] 2.2.2.7.7.4): 32 bytes in a Unicode file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NbtEntry {
    /// The node id.
    pub nid: u32,
    /// Its data block.
    pub data: u64,
    /// Its subnode tree (0: none).
    pub sub: u64,
    /// Its parent node.
    pub parent: u32,
}

impl Entry for NbtEntry {
    const SIZE: usize = 32;
    fn key(&self) -> u64 {
        self.nid as u64
    }
    fn encode(&self, out: &mut [u8]) {
        out[0..8].copy_from_slice(&(self.nid as u64).to_le_bytes());
        out[8..16].copy_from_slice(&self.data.to_le_bytes());
        out[16..24].copy_from_slice(&self.sub.to_le_bytes());
        out[24..28].copy_from_slice(&self.parent.to_le_bytes());
        out[28..32].fill(0);
    }
    fn decode(b: &[u8]) -> Result<Self, PstError> {
        Ok(NbtEntry { nid: b.u32_at(0)?, data: b.u64_at(8)?, sub: b.u64_at(16)?, parent: b.u32_at(24)? })
    }
}

/// A block B-tree leaf entry (BBTENTRY, [MS-PST] 2.2.2.7.7.3): 24 bytes in a Unicode file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BbtEntry {
    /// The block id (the key ignores bit 0, [MS-PST] 2.2.2.2).
    pub bid: u64,
    /// Its offset.
    pub ib: u64,
    /// Its data size (without trailer and padding).
    pub cb: u16,
    /// Its reference count (see [`super::ndb`] for the convention).
    pub cref: u16,
}

impl Entry for BbtEntry {
    const SIZE: usize = 24;
    fn key(&self) -> u64 {
        self.bid & !1
    }
    fn encode(&self, out: &mut [u8]) {
        out[0..8].copy_from_slice(&self.bid.to_le_bytes());
        out[8..16].copy_from_slice(&self.ib.to_le_bytes());
        out[16..18].copy_from_slice(&self.cb.to_le_bytes());
        out[18..20].copy_from_slice(&self.cref.to_le_bytes());
        out[20..24].fill(0);
    }
    fn decode(b: &[u8]) -> Result<Self, PstError> {
        Ok(BbtEntry { bid: b.u64_at(0)?, ib: b.u64_at(8)?, cb: b.u16_at(16)?, cref: b.u16_at(18)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    /// Pages in memory, numbered by offset.
    #[derive(Default)]
    struct Mem {
        pages: HashMap<u64, Vec<u8>>,
        next: u64,
    }
    impl PageSink for Mem {
        fn write_page(&mut self, ptype: u8, data: &[u8]) -> Result<BlockRef, PstError> {
            self.next += 512;
            let mut p = data.to_vec();
            p.resize(512, 0);
            p[PAGE_DATA_LEN] = ptype;
            self.pages.insert(self.next, p);
            Ok(BlockRef { bid: self.next / 512, ib: self.next })
        }
    }
    impl PageSource for Mem {
        fn read_page(&self, ib: u64) -> Result<Vec<u8>, PstError> {
            self.pages.get(&ib).cloned().ok_or_else(|| PstError::Corrupt("no page".into()))
        }
    }

    fn e(nid: u32) -> NbtEntry {
        NbtEntry { nid, data: nid as u64 * 4, sub: 0, parent: 1 }
    }

    #[test]
    fn thousands_of_entries_split_and_merge_back() {
        let mut t = BTree::<NbtEntry>::new(0x81);
        let mut model = BTreeMap::new();
        for i in 0..5000u32 {
            let nid = i.wrapping_mul(2_654_435_761) % 100_000;
            t.insert(e(nid));
            model.insert(nid, e(nid));
        }
        assert!(t.depth() >= 2);
        assert_eq!(t.entries(), model.values().cloned().collect::<Vec<_>>());
        let mut mem = Mem::default();
        let root = t.flush(&mut mem).unwrap();
        let mut budget = 1_000_000;
        let back = BTree::<NbtEntry>::load(0x81, root, &mem, &mut budget).unwrap();
        assert_eq!(back.entries(), t.entries());
        for k in model.keys().copied().collect::<Vec<_>>() {
            if k % 7 != 0 {
                assert_eq!(t.remove(k as u64).map(|x| x.nid), Some(k));
                model.remove(&k);
            }
        }
        assert_eq!(t.entries(), model.values().cloned().collect::<Vec<_>>());
        assert!(t.depth() <= 2, "merged back to {}", t.depth());
        for k in model.keys().copied().collect::<Vec<_>>() {
            t.remove(k as u64);
        }
        assert!(t.is_empty());
        assert_eq!(t.depth(), 0);
    }

    #[test]
    fn a_change_rewrites_only_its_path() {
        let mut t = BTree::<NbtEntry>::new(0x81);
        for i in 0..3000 {
            t.insert(e(i));
        }
        let mut mem = Mem::default();
        t.flush(&mut mem).unwrap();
        t.take_freed();
        let before = mem.pages.len();
        t.insert(e(1500 + 100_000));
        t.insert(NbtEntry { parent: 9, ..e(1500) });
        t.flush(&mut mem).unwrap();
        let written = mem.pages.len() - before;
        assert!(
            written <= 3 * (t.depth() as usize + 1),
            "{written} pages written, not the {} of the tree",
            t.page_refs().len()
        );
        assert!(t.take_freed().len() <= written);
        assert_eq!(t.get(1500).unwrap().parent, 9);
    }
}
