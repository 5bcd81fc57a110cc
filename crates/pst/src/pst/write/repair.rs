//! The allocation check and repair behind `oxmapi pst check [--repair]`: every page and block
//! the B-trees reach must lie inside the file, be marked in the AMap and overlap nothing; the
//! AMap must mark nothing else and `cbAMapFree` must match it; every block a node references
//! must be in the block B-tree; the density list, when there is one, must agree with the AMap.
//! The repair rebuilds the AMap from the trees, drops block entries that point outside the
//! file and nodes whose blocks are missing, and writes a valid header and the density list of
//! the rebuilt AMap ([MS-PST] 2.6.1: what Outlook does when `fAMapValid` is 0).

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

use super::super::PstError;
use super::super::crypt::crc;
use super::super::header::{Format, HEADER_LEN, Header};
use super::super::ndb::PAGE_LEN;
use super::alloc::Disk;
use super::allocation_report::{AllocationIssue as I, AllocationReport, Structure};
use super::amap::{AMAP_COVERAGE, AMap, DLIST_OFFSET, FIRST_AMAP, region_base};
use super::btree::{BTree, BbtEntry, NbtEntry};
use super::dlist::DList;
use super::file_header::{AMAP_VALID, FileHeader};
use super::ndb::NdbWriter;
use super::trailer::{self, BLOCK_ALIGN, BLOCK_TRAILER_LEN, PAGE_DATA_LEN, block_size, compute_sig, ptype};
use super::tree::MAX_RELEASE_DEPTH;

/// Reports list at most this many individual problems of one kind, then a count.
const MAX_LISTED: usize = 20;

/// The committed state of a file, read for a check.
struct Loaded {
    disk: Disk,
    size: u64,
    header: FileHeader,
    nbt: BTree<NbtEntry>,
    bbt: BTree<BbtEntry>,
    regions: usize,
}

fn load(path: &Path) -> Result<Loaded, PstError> {
    let file = File::open(path).map_err(PstError::Io)?;
    let size = file.metadata().map_err(PstError::Io)?.len();
    let disk = Disk::new(file);
    if size < HEADER_LEN as u64 {
        return Err(PstError::Header(format!("the file is {size} bytes, shorter than a header")));
    }
    let raw = disk.read_at(0, HEADER_LEN)?;
    if Header::parse(&raw)?.format == Format::Ansi {
        return Err(PstError::Header("the allocation check reads Unicode files only".into()));
    }
    let header = FileHeader::parse(&raw)?;
    let mut budget = size / PAGE_LEN as u64 + 1;
    let nbt = BTree::load(ptype::NBT, header.nbt, &disk, &mut budget)?;
    let bbt = BTree::load(ptype::BBT, header.bbt, &disk, &mut budget)?;
    // Never more regions than the file has (the header's claim is reported separately).
    let regions =
        header.file_eof.min(size).saturating_sub(FIRST_AMAP).div_ceil(AMAP_COVERAGE).max(1) as usize;
    Ok(Loaded { disk, size, header, nbt, bbt, regions })
}

/// Where a range is wrong: outside the mapped space or across an AMap region.
fn misplaced(ib: u64, len: u64, end: u64) -> bool {
    let Some(rel) = ib.checked_sub(FIRST_AMAP) else { return true };
    ib % BLOCK_ALIGN != 0 || ib + len > end || rel / AMAP_COVERAGE != (rel + len - 1) / AMAP_COVERAGE
}

/// Files `issue` unless `MAX_LISTED` issues of its kind were filed already.
fn note(out: &mut AllocationReport, count: &mut usize, issue: I) {
    *count += 1;
    if *count <= MAX_LISTED {
        out.push(issue);
    }
}

/// Checks the allocation of a Unicode file against its B-trees: the header's allocation
/// fields, every page and block the trees reach, the AMap and the density list.
pub fn check_allocation(path: &Path) -> Result<AllocationReport, PstError> {
    let l = load(path)?;
    let mut out = AllocationReport::default();
    let end = region_base(l.regions);
    if l.header.amap_valid != AMAP_VALID {
        out.push(I::AMapNotValid { value: l.header.amap_valid });
    }
    if l.size < l.header.file_eof {
        out.push(I::FileShorterThanHeader { size: l.size, eof: l.header.file_eof });
    }
    if l.header.amap_last != region_base(l.regions - 1) {
        out.push(I::WrongAMapLast { header: l.header.amap_last, last: region_base(l.regions - 1) });
    }
    // What the structures use, built unit by unit to find overlaps.
    let mut used = AMap::new(l.regions);
    let (mut bad, mut overlaps) = (0, 0);
    let mut claim = |what: Structure, ib: u64, len: u64, used: &mut AMap, out: &mut AllocationReport| {
        if misplaced(ib, len, end.min(l.size)) {
            note(out, &mut bad, I::Misplaced { what, ib, len });
        } else if used.any_used(ib, len) {
            note(out, &mut overlaps, I::Overlap { what, ib, len });
        } else {
            used.mark(ib, len, true);
        }
    };
    for r in l.nbt.page_refs() {
        claim(Structure::NbtPage(r.bid), r.ib, PAGE_LEN as u64, &mut used, &mut out);
    }
    for r in l.bbt.page_refs() {
        claim(Structure::BbtPage(r.bid), r.ib, PAGE_LEN as u64, &mut used, &mut out);
    }
    for b in l.bbt.entries() {
        claim(Structure::Block(b.bid), b.ib, block_size(b.cb as usize), &mut used, &mut out);
    }
    // The AMap on disk against the use; each page's free slots for the density list.
    let (mut unmarked, mut leaked, mut disk_free) = (0u64, 0u64, 0u64);
    let mut free_slots = Vec::with_capacity(l.regions);
    for r in 0..l.regions {
        let ib = region_base(r);
        let page =
            if ib + PAGE_LEN as u64 <= l.size { l.disk.read_at(ib, PAGE_LEN)? } else { vec![0; PAGE_LEN] };
        if page[PAGE_DATA_LEN] != ptype::AMAP {
            out.push(I::AMapPageDamaged { ib });
            free_slots.push(None);
            continue;
        }
        let mut free = 0;
        for (have, want) in page[..PAGE_DATA_LEN].iter().zip(used.bitmap(r)) {
            unmarked += (want & !have).count_ones() as u64;
            leaked += (have & !want).count_ones() as u64;
            free += have.count_zeros();
        }
        disk_free += free as u64;
        free_slots.push(Some(free));
    }
    if unmarked > 0 {
        out.push(I::InUseMarkedFree { bytes: unmarked * BLOCK_ALIGN });
    }
    if leaked > 0 {
        out.push(I::LeakedSpace { bytes: leaked * BLOCK_ALIGN });
    }
    if disk_free * BLOCK_ALIGN != l.header.amap_free {
        out.push(I::FreeCountWrong { header: l.header.amap_free, amap: disk_free * BLOCK_ALIGN });
    }
    density_list(&l, &free_slots, &mut out)?;
    trailers(&l, &mut out)?;
    let mut missing = 0;
    let mut referenced = HashSet::new();
    for n in l.nbt.entries() {
        if let Some(why) = missing_block(&l, n, &mut referenced) {
            note(&mut out, &mut missing, I::NodeUnreadable { nid: n.nid, why });
        }
    }
    let orphans: Vec<BbtEntry> =
        l.bbt.entries().into_iter().filter(|b| !referenced.contains(&(b.bid & !1))).collect();
    if !orphans.is_empty() {
        let bytes: u64 = orphans.iter().map(|b| block_size(b.cb as usize)).sum();
        out.push(I::UnreferencedBlocks { count: orphans.len(), bytes });
    }
    Ok(out)
}

/// Checks the density list at 0x4200 against the AMap pages' free slots (`None`: a damaged
/// AMap page). A file without one is fine: the list is optional ([MS-PST] 2.2.2.7.4).
fn density_list(l: &Loaded, free_slots: &[Option<u32>], out: &mut AllocationReport) -> Result<(), PstError> {
    if DLIST_OFFSET + PAGE_LEN as u64 > l.size {
        return Ok(());
    }
    match DList::parse(&l.disk.read_at(DLIST_OFFSET, PAGE_LEN)?) {
        Ok(None) => {}
        Ok(Some((d, _))) => {
            let mut listed = 0;
            for i in d.disagreements(free_slots) {
                note(out, &mut listed, I::DensityList(i));
            }
        }
        Err(i) => out.push(I::DensityList(i)),
    }
    Ok(())
}

/// Checks the trailer of every B-tree page (type, signature, CRC, id) and every block (size,
/// signature, CRC of the stored bytes, id), [MS-PST] 2.2.2.7.1 and 2.2.2.8.1.
fn trailers(l: &Loaded, out: &mut AllocationReport) -> Result<(), PstError> {
    let mut bad = 0;
    let pages = l.nbt.page_refs().into_iter().map(|r| (r, ptype::NBT));
    for (r, t) in pages.chain(l.bbt.page_refs().into_iter().map(|r| (r, ptype::BBT))) {
        let p = l.disk.read_at(r.ib, PAGE_LEN)?;
        let want = trailer::page(&p[..PAGE_DATA_LEN], t, r.ib, r.bid);
        if p != want {
            note(out, &mut bad, I::PageTrailer { bid: r.bid, ib: r.ib });
        }
    }
    for b in l.bbt.entries() {
        let size = block_size(b.cb as usize);
        if b.ib + size > l.size {
            continue; // reported as outside the file
        }
        let raw = l.disk.read_at(b.ib, size as usize)?;
        let t = &raw[size as usize - BLOCK_TRAILER_LEN..];
        let ok = t[0..2] == b.cb.to_le_bytes()
            && t[2..4] == compute_sig(b.ib, b.bid).to_le_bytes()
            && t[4..8] == crc(&raw[..b.cb as usize]).to_le_bytes()
            && t[8..16] == b.bid.to_le_bytes();
        if !ok {
            note(out, &mut bad, I::BlockTrailer { bid: b.bid, ib: b.ib });
        }
    }
    Ok(())
}

/// Why a node cannot be read whole: the first block of its trees that is not in the block
/// B-tree (or not readable), if any.
/// Every block reached is added to `referenced`; a block reached twice in one node's trees is
/// followed once (a hostile tree cannot make the walk exponential).
fn missing_block(l: &Loaded, n: NbtEntry, referenced: &mut HashSet<u64>) -> Option<String> {
    let mut stack = vec![(n.data, 0u32), (n.sub, 0u32)];
    let mut seen = HashSet::new();
    while let Some((bid, depth)) = stack.pop() {
        if bid == 0 || !seen.insert(bid & !1) {
            continue;
        }
        referenced.insert(bid & !1);
        if depth > MAX_RELEASE_DEPTH {
            return Some(format!("block {bid:#x} is nested too deep"));
        }
        let Some(e) = l.bbt.get(bid & !1) else {
            return Some(format!("block {bid:#x} is not in the block B-tree"));
        };
        if bid & 2 != 0 {
            let Ok(b) = l.disk.read_at(e.ib, e.cb as usize) else {
                return Some(format!("block {bid:#x} cannot be read"));
            };
            match internal_children(&b) {
                Some(kids) => stack.extend(kids.into_iter().map(|k| (k, depth + 1))),
                None => return Some(format!("block {bid:#x} is not a valid internal block")),
            }
        }
    }
    None
}

/// The children of an internal block's bytes (see [`super::tree::children`]).
fn internal_children(b: &[u8]) -> Option<Vec<u64>> {
    use super::super::ndb::Le;
    let (btype, level, count) = (b.u8_at(0).ok()?, b.u8_at(1).ok()?, b.u16_at(2).ok()? as usize);
    let (stride, offsets): (usize, &[usize]) = match (btype, level) {
        (1, _) => (8, &[0]),
        (2, 0) => (24, &[8, 16]),
        (2, 1) => (16, &[8]),
        _ => return None,
    };
    let mut v = Vec::new();
    for i in 0..count {
        for o in offsets {
            v.push(b.u64_at(8 + stride * i + o).ok()?);
        }
    }
    Some(v)
}

/// Repairs the allocation of a Unicode file: drops block entries outside the file and nodes
/// whose blocks are missing, rebuilds the AMap from the trees and commits a valid header (the
/// commit rewrites the density list from the rebuilt AMap).
/// Returns what it did.
pub fn repair(path: &Path) -> Result<Vec<String>, PstError> {
    let l = load(path)?;
    let end = region_base(l.regions);
    let mut done = Vec::new();
    let bad_blocks: Vec<BbtEntry> = l
        .bbt
        .entries()
        .into_iter()
        .filter(|b| misplaced(b.ib, block_size(b.cb as usize), end.min(l.size)))
        .collect();
    let mut l = l;
    for b in &bad_blocks {
        l.bbt.remove(b.bid & !1);
        done.push(format!("dropped block {:#x}: at {:#x}, outside the file", b.bid, b.ib));
    }
    let mut referenced = HashSet::new();
    let dangling: Vec<(u32, String)> = l
        .nbt
        .entries()
        .into_iter()
        .filter_map(|n| missing_block(&l, n, &mut referenced).map(|w| (n.nid, w)))
        .collect();
    drop(l);
    let mut w = NdbWriter::open_with(path, true)?;
    for b in &bad_blocks {
        w.drop_block_entry(b.bid);
    }
    for (nid, why) in dangling {
        w.delete_node(nid)?;
        done.push(format!("dropped node {nid:#x}: {why}"));
    }
    w.force_commit()?;
    done.push(format!(
        "rebuilt the AMap ({} regions) and the density list, and wrote a valid header",
        w.amap.regions()
    ));
    Ok(done)
}
