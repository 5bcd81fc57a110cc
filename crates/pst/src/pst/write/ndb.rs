//! The writable NDB layer of a Unicode file ([MS-PST] 2.2, 2.6): [`NdbWriter`].
//!
//! Transactions follow [MS-PST] 2.6.1 ("Maintaining Data Integrity"): before the first change
//! of a transaction the header is rewritten with `fAMapValid` = 0 and synced; new blocks and
//! pages only go into space the last committed state does not use (space freed by the
//! transaction is queued until its commit), so the committed trees stay intact whatever
//! write a crash interrupts; at commit the dirty B-tree pages are written, then the AMap
//! pages, then (after a sync) the header with the new roots and `fAMapValid` = 2, synced.
//! A file whose `fAMapValid` is 0 opens with its last committed trees and a rebuilt AMap, as
//! Outlook does.
//!
//! Block references: every block is written with cRef 2 (see [`CREF_ONE`]); a replaced or
//! deleted node releases its blocks, and a block whose count drops below 2 is freed with the
//! blocks an internal block (XBLOCK, SLBLOCK…) references.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::path::Path;

use super::super::PstError;
use super::super::crypt::CryptMethod;
use super::super::header::{Format, HEADER_LEN, Header};
use super::super::ndb::{Ndb, NodeEntry, PAGE_LEN, Source};
use super::NodeContent;
use super::alloc::{CREF_ONE, Disk, Space};
use super::amap::{AMAP_COVERAGE, AMap, DLIST_OFFSET, FIRST_AMAP, map_pages, region_base};
use super::btree::{BTree, BbtEntry, NbtEntry, PageSource};
use super::dedup::BlockDedup;
use super::file_header::{AMAP_INVALID, AMAP_VALID, FileHeader};
use super::trailer::{self, PAGE_DATA_LEN, block_size, ptype};

/// A Unicode PST opened for writing (an exclusive flock(2) is held until drop).
pub struct NdbWriter {
    pub(crate) disk: Disk,
    pub(crate) header: FileHeader,
    pub(crate) nbt: BTree<NbtEntry>,
    pub(crate) bbt: BTree<BbtEntry>,
    pub(crate) amap: AMap,
    children: BTreeSet<(u32, u32)>,
    pub(crate) view: Ndb,
    in_txn: bool,
    header_dirty: bool,
    failed: bool,
    /// Identical data blocks shared rather than written again ([`super::dedup`]).
    dedup: BlockDedup,
    /// The blocks the node being written references so far: never shared twice within one
    /// node, so no node reads as more bytes than the file holds (readers refuse such trees
    /// as hostile).
    in_node: std::collections::HashSet<u64>,
}

impl PageSource for Disk {
    fn read_page(&self, ib: u64) -> Result<Vec<u8>, PstError> {
        let size = self.file.metadata().map_err(PstError::Io)?.len();
        if ib.checked_add(PAGE_LEN as u64).is_none_or(|e| e > size) {
            return Err(PstError::Corrupt(format!("a page at {ib:#x} is past the end of the file")));
        }
        self.read_at(ib, PAGE_LEN)
    }
}

fn lock(file: &File) -> Result<(), PstError> {
    fs4::fs_std::FileExt::lock_exclusive(file).map_err(PstError::Io)
}

fn view_header(h: &FileHeader) -> Result<Header, PstError> {
    Header::parse(&h.to_bytes())
}

impl NdbWriter {
    /// A new, empty Unicode file (an existing file at `path` is replaced): header, an empty
    /// density list at 0x4200, the first AMap at 0x4400 and PMap at 0x4600, empty node and
    /// block B-trees; committed and synced.
    pub fn create(path: &Path, crypt: CryptMethod) -> Result<NdbWriter, PstError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(PstError::Io)?;
        lock(&file)?;
        let mut disk = Disk::new(file);
        disk.set_len(0)?;
        let mut header = FileHeader::new(crypt);
        let amap = AMap::new(1);
        disk.set_len(amap.end())?;
        // The density list ([MS-PST] 2.2.2.7.4): empty (bFlags 0, cEntDList 0).
        let dlist_bid = header.next_page_bid();
        disk.write_at(DLIST_OFFSET, &trailer::page(&[], ptype::DLIST, DLIST_OFFSET, dlist_bid))?;
        for (ib, t) in map_pages(0) {
            if t != ptype::AMAP {
                disk.write_at(ib, &trailer::page(&[0xFF; PAGE_DATA_LEN], t, ib, ib))?;
            }
        }
        header.file_eof = amap.end();
        header.amap_last = FIRST_AMAP;
        let view_source = Source::File(disk.file.try_clone().map_err(PstError::Io)?);
        let view = Ndb::empty(view_source, amap.end(), view_header(&header)?);
        let mut w = NdbWriter {
            disk,
            header,
            nbt: BTree::new(ptype::NBT),
            bbt: BTree::new(ptype::BBT),
            amap,
            children: BTreeSet::new(),
            view,
            in_txn: true,
            header_dirty: true,
            failed: false,
            dedup: BlockDedup::default(),
            in_node: Default::default(),
        };
        w.commit()?;
        Ok(w)
    }

    /// Opens an existing Unicode file for writing, waiting for the exclusive lock. ANSI files
    /// and OSTs are refused. When `fAMapValid` is 0 (a writer died mid-change) the AMap is
    /// rebuilt from the B-trees and written at the next commit.
    pub fn open(path: &Path) -> Result<NdbWriter, PstError> {
        Self::open_with(path, false)
    }

    pub(crate) fn open_with(path: &Path, rebuild: bool) -> Result<NdbWriter, PstError> {
        let file = OpenOptions::new().read(true).write(true).open(path).map_err(PstError::Io)?;
        lock(&file)?;
        let size = file.metadata().map_err(PstError::Io)?.len();
        let mut disk = Disk::new(file);
        if size < HEADER_LEN as u64 {
            return Err(PstError::Header(format!("the file is {size} bytes, shorter than a header")));
        }
        let raw = disk.read_at(0, HEADER_LEN)?;
        let parsed = Header::parse(&raw)?;
        if parsed.format == Format::Ansi {
            return Err(PstError::Header(
                "ANSI (Outlook 97-2002) files cannot be written: convert it with `oxmapi pst convert IN.pst OUT.pst`".into(),
            ));
        }
        if parsed.is_ost() {
            return Err(PstError::Header(
                "OST files cannot be written: convert it with `oxmapi pst convert`".into(),
            ));
        }
        let mut header = FileHeader::parse(&raw)?;
        let mut budget = size / PAGE_LEN as u64 + 1;
        let nbt = BTree::<NbtEntry>::load(ptype::NBT, header.nbt, &disk, &mut budget)?;
        let bbt = BTree::<BbtEntry>::load(ptype::BBT, header.bbt, &disk, &mut budget)?;
        advance_id_counters(&mut header, &disk, &nbt, &bbt, size);
        // The regions the header claims, but never past the file's real end (a hostile or
        // truncated header must not make the writer map or grow a huge file).
        let regions =
            header.file_eof.min(size).saturating_sub(FIRST_AMAP).div_ceil(AMAP_COVERAGE).max(1) as usize;
        let end = region_base(regions);
        let trusted =
            !rebuild && header.amap_valid != AMAP_INVALID && header.amap_last == region_base(regions - 1);
        let amap = match trusted.then(|| read_amap(&disk, regions, size)).flatten() {
            Some(m) => m,
            None => rebuild_amap(regions, &nbt, &bbt),
        };
        let rebuilt = amap.regions() == regions && !trusted;
        // Space past the committed end belongs to no committed structure (a crashed
        // transaction grew the file): cut it; a file shorter than its last region is extended.
        if size != end {
            disk.set_len(end)?;
        }
        let view_source = Source::File(disk.file.try_clone().map_err(PstError::Io)?);
        let mut view = Ndb::empty(view_source, end, view_header(&header)?);
        let mut children = BTreeSet::new();
        for e in nbt.entries() {
            view.set_node(e.nid, NodeEntry { data: e.data, sub: e.sub, parent: e.parent });
            children.insert((e.parent, e.nid));
        }
        for b in bbt.entries() {
            view.set_block(b.bid, b.ib, b.cb);
        }
        let mut amap = amap;
        if rebuilt {
            amap.mark_all_dirty();
        }
        Ok(NdbWriter {
            disk,
            header,
            nbt,
            bbt,
            amap,
            children,
            view,
            in_txn: false,
            header_dirty: rebuilt || size != end,
            failed: false,
            dedup: BlockDedup::default(),
            in_node: Default::default(),
        })
    }

    /// A reader over the current state, committed and pending (blocks are written as they
    /// are put, so the reader's `Heap::open` and `ltp::*` work on them).
    pub fn reader(&self) -> &Ndb {
        &self.view
    }

    /// From now on, records what each change does to the B-trees, for
    /// [`NdbWriter::take_delta`].
    pub fn record_changes(&mut self) {
        self.view.record_changes();
    }

    /// What changed in the B-trees since the last call (call it after a commit: readers of
    /// the file then follow the commit with [`crate::pst::PstFile::apply`]); `None` unless
    /// [`NdbWriter::record_changes`] was called.
    pub fn take_delta(&mut self) -> Option<crate::pst::ndb::NdbDelta> {
        self.view.take_delta()
    }

    /// The node B-tree entry of `nid` (pending changes included).
    pub fn node(&self, nid: u32) -> Option<NodeEntry> {
        self.nbt.get(nid as u64).map(|e| NodeEntry { data: e.data, sub: e.sub, parent: e.parent })
    }

    /// The nodes whose `nidParent` is `parent`, in id order.
    pub fn nodes_with_parent(&self, parent: u32) -> Vec<u32> {
        self.children.range((parent, 0)..=(parent, u32::MAX)).map(|c| c.1).collect()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nbt.len()
    }

    /// Allocates the next node id of a NID_TYPE (`rgnid[]`, [MS-PST] 2.4.1); it is kept at the
    /// next commit.
    /// An id already in the node B-tree (a file whose `rgnid[]` lags) is skipped.
    pub fn alloc_nid(&mut self, nid_type: u8) -> u32 {
        self.header_dirty = true;
        loop {
            let nid = self.header.next_nid(nid_type);
            if self.nbt.get(nid as u64).is_none() {
                return nid;
            }
        }
    }

    fn check_usable(&self) -> Result<(), PstError> {
        if self.failed {
            return Err(PstError::Corrupt(
                "an earlier write of this writer failed in the middle of a transaction: reopen the file (its last commit is intact)".into(),
            ));
        }
        Ok(())
    }

    /// Runs `f` as part of the transaction; any error poisons the writer (the file keeps its
    /// last committed state).
    fn guarded<T>(&mut self, f: impl FnOnce(&mut NdbWriter) -> Result<T, PstError>) -> Result<T, PstError> {
        self.check_usable()?;
        let r = f(self);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    /// Starts a transaction: the header, still naming the committed trees, is written with
    /// `fAMapValid` = 0 and synced before anything else changes.
    fn begin(&mut self) -> Result<(), PstError> {
        if self.in_txn {
            return Ok(());
        }
        self.write_header(AMAP_INVALID)?;
        self.disk.sync()?;
        self.in_txn = true;
        Ok(())
    }

    fn write_header(&mut self, valid: u8) -> Result<(), PstError> {
        self.header.amap_valid = valid;
        self.header.unique = self.header.unique.wrapping_add(1);
        let bytes = self.header.to_bytes();
        self.disk.write_at(0, &bytes)
    }

    /// Writes one block (see [`Space::write_block`]); a data block whose bytes a live block
    /// already holds takes a reference to that block instead ([`super::dedup`]).
    pub(crate) fn write_block(&mut self, data: &[u8], internal: bool) -> Result<u64, PstError> {
        let hash = (!internal).then(|| self.dedup.hash(data));
        if let Some(h) = hash
            && let Some(bid) = self.shared_block(h, data)?
        {
            return Ok(bid);
        }
        let mut s = Space {
            disk: &mut self.disk,
            amap: &mut self.amap,
            header: &mut self.header,
            view: &mut self.view,
        };
        let bid = s.write_block(&mut self.bbt, data, internal)?;
        if let Some(h) = hash {
            self.dedup.remember(bid, h);
            self.in_node.insert(bid);
        }
        Ok(bid)
    }

    /// A live data block holding exactly `data` (hash `hash`), with one more reference taken.
    fn shared_block(&mut self, hash: u64, data: &[u8]) -> Result<Option<u64>, PstError> {
        for &bid in self.dedup.candidates(hash) {
            if self.in_node.contains(&bid) {
                continue;
            }
            let Some(e) = self.bbt.get(bid).copied() else { continue };
            if e.cb as usize != data.len() || e.cref == u16::MAX {
                continue;
            }
            // The hash only says where to look: the bytes decide.
            if self.view.block(bid)? == data {
                self.bbt.insert(BbtEntry { cref: e.cref + 1, ..e });
                self.in_node.insert(bid);
                return Ok(Some(bid));
            }
        }
        Ok(None)
    }

    /// Writes (or replaces) a top-level node: its data tree, its subnode tree and its node
    /// B-tree entry under `parent`. A replaced node's blocks lose a reference.
    pub fn put_node(&mut self, nid: u32, parent: u32, content: &NodeContent) -> Result<(), PstError> {
        self.check_usable()?;
        super::tree::validate(content, 0)?;
        self.guarded(|w| {
            w.begin()?;
            w.in_node.clear();
            let data = w.write_data_tree(&content.blocks)?;
            let sub = w.write_subnode_tree(&content.subnodes)?;
            let old = w.nbt.insert(NbtEntry { nid, data, sub, parent });
            w.view.set_node(nid, NodeEntry { data, sub, parent });
            w.children.insert((parent, nid));
            if let Some(o) = old {
                if o.parent != parent {
                    w.children.remove(&(o.parent, nid));
                }
                w.release(o.data, 0)?;
                w.release(o.sub, 0)?;
            }
            Ok(())
        })
    }

    /// Deletes a node and releases its blocks. Deleting a node that does not exist is an error.
    pub fn delete_node(&mut self, nid: u32) -> Result<(), PstError> {
        self.check_usable()?;
        if self.nbt.get(nid as u64).is_none() {
            return Err(PstError::Corrupt(format!("node {nid:#x} is not in the node B-tree")));
        }
        self.guarded(|w| {
            w.begin()?;
            let Some(o) = w.nbt.remove(nid as u64) else { return Ok(()) };
            w.view.remove_node(nid);
            w.children.remove(&(o.parent, nid));
            w.release(o.data, 0)?;
            w.release(o.sub, 0)
        })
    }

    /// Makes everything since the last commit durable ([MS-PST] 2.6.1 order, see the module
    /// documentation). Nothing to do when nothing changed.
    pub fn commit(&mut self) -> Result<(), PstError> {
        self.check_usable()?;
        if !self.in_txn && !self.header_dirty {
            return Ok(());
        }
        self.guarded(|w| w.commit_inner())
    }

    fn commit_inner(&mut self) -> Result<(), PstError> {
        let nbt_root = {
            let mut s = Space {
                disk: &mut self.disk,
                amap: &mut self.amap,
                header: &mut self.header,
                view: &mut self.view,
            };
            self.nbt.flush(&mut s)?
        };
        let bbt_root = {
            let mut s = Space {
                disk: &mut self.disk,
                amap: &mut self.amap,
                header: &mut self.header,
                view: &mut self.view,
            };
            self.bbt.flush(&mut s)?
        };
        for r in self.nbt.take_freed().into_iter().chain(self.bbt.take_freed()) {
            self.amap.free_after_commit(r.ib, PAGE_LEN as u64);
        }
        self.amap.apply_pending();
        for (r, bits) in self.amap.take_dirty() {
            let ib = region_base(r);
            self.disk.write_at(ib, &trailer::page(&bits, ptype::AMAP, ib, ib))?;
        }
        self.header.nbt = nbt_root;
        self.header.bbt = bbt_root;
        self.header.file_eof = self.amap.end();
        self.header.amap_last = region_base(self.amap.regions() - 1);
        self.header.amap_free = self.amap.free_bytes();
        self.header.pmap_free = 0;
        self.disk.sync()?;
        self.write_header(AMAP_VALID)?;
        self.disk.sync()?;
        self.view.header = view_header(&self.header)?;
        self.in_txn = false;
        self.header_dirty = false;
        Ok(())
    }

    /// Releases one reference to block `bid` (0: none); at the last one the block is freed,
    /// with what it references when it is internal.
    pub(crate) fn release(&mut self, bid: u64, depth: u32) -> Result<(), PstError> {
        if bid == 0 {
            return Ok(());
        }
        if depth > super::tree::MAX_RELEASE_DEPTH {
            return Err(PstError::Corrupt(format!("block {bid:#x} is nested too deep (a loop?)")));
        }
        let Some(e) = self.bbt.get(bid & !1).copied() else { return Ok(()) };
        if e.cref > CREF_ONE {
            self.bbt.insert(BbtEntry { cref: e.cref - 1, ..e });
            return Ok(());
        }
        if bid & 2 != 0 {
            for child in super::tree::children(&self.view, bid)? {
                self.release(child, depth + 1)?;
            }
        }
        self.bbt.remove(bid & !1);
        self.view.remove_block(bid);
        self.dedup.forget(bid & !1);
        self.amap.free_after_commit(e.ib, block_size(e.cb as usize));
        Ok(())
    }

    /// Repair: forgets a block entry without freeing its space (it lies outside the file).
    pub(crate) fn drop_block_entry(&mut self, bid: u64) {
        self.bbt.remove(bid & !1);
        self.view.remove_block(bid);
        self.dedup.forget(bid & !1);
    }

    /// Repair: commits even when nothing changed, writing every AMap page and the header.
    pub(crate) fn force_commit(&mut self) -> Result<(), PstError> {
        self.header_dirty = true;
        self.amap.mark_all_dirty();
        self.commit()
    }

    /// Test hook: closes the file as a killed process would (no cleanup on drop).
    #[cfg(test)]
    pub(crate) fn crash(mut self) {
        self.failed = true;
    }

    /// Test hook: every write after the next `k` fails, as a crash there would.
    #[cfg(test)]
    pub(crate) fn stop_after_writes(&mut self, k: u64) {
        self.disk.stop_after(k);
    }
}

impl Drop for NdbWriter {
    /// A transaction dropped without its commit changed nothing the committed header reaches,
    /// and the AMap pages on disk are still the committed ones (they are only written by a
    /// commit): the header is set back to `fAMapValid` = 2, so the file is left as clean as it
    /// was. After a failed write nothing more is written (the next open rebuilds the AMap).
    fn drop(&mut self) {
        if self.in_txn && !self.failed {
            let _ = self.write_header(AMAP_VALID).and_then(|()| self.disk.sync());
        }
    }
}

/// Moves `bidNextB` and `bidNextP` past every id the file uses (a header whose counters lag,
/// as another writer may leave them, would otherwise make a new block replace an old one in
/// the block B-tree). The density list page's id counts too (Outlook gives it `bidNextP`).
fn advance_id_counters(
    h: &mut FileHeader,
    disk: &Disk,
    nbt: &BTree<NbtEntry>,
    bbt: &BTree<BbtEntry>,
    size: u64,
) {
    if let Some(max) = bbt.entries().iter().map(|b| b.bid & !3).max() {
        h.bid_next_b = h.bid_next_b.max(max.saturating_add(4));
    }
    let mut pages: Vec<u64> = nbt.page_refs().into_iter().chain(bbt.page_refs()).map(|r| r.bid).collect();
    if DLIST_OFFSET + PAGE_LEN as u64 <= size
        && let Ok(p) = disk.read_at(DLIST_OFFSET, PAGE_LEN)
        && p[PAGE_DATA_LEN] == ptype::DLIST
    {
        pages.push(u64::from_le_bytes(p[PAGE_LEN - 8..].try_into().unwrap_or([0; 8])));
    }
    if let Some(max) = pages.into_iter().max() {
        h.bid_next_p = h.bid_next_p.max(max.saturating_add(1));
    }
}

/// Reads the AMap pages of `regions` regions; None when one is missing or not an AMap page.
fn read_amap(disk: &Disk, regions: usize, size: u64) -> Option<AMap> {
    let mut pages = Vec::with_capacity(regions);
    for r in 0..regions {
        let ib = region_base(r);
        if ib + PAGE_LEN as u64 > size {
            return None;
        }
        let p = disk.read_at(ib, PAGE_LEN).ok()?;
        if p[PAGE_DATA_LEN] != ptype::AMAP {
            return None;
        }
        pages.push(p[..PAGE_DATA_LEN].to_vec());
    }
    Some(AMap::from_pages(pages))
}

/// An AMap rebuilt from what the committed trees use: the map pages, the B-tree pages and
/// every block of the block B-tree.
pub(crate) fn rebuild_amap(regions: usize, nbt: &BTree<NbtEntry>, bbt: &BTree<BbtEntry>) -> AMap {
    let mut m = AMap::new(regions);
    for r in nbt.page_refs().into_iter().chain(bbt.page_refs()) {
        m.mark(r.ib, PAGE_LEN as u64, true);
    }
    for b in bbt.entries() {
        m.mark(b.ib, block_size(b.cb as usize), true);
    }
    m
}
