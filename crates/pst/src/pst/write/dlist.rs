//! The density list ([MS-PST] 1.3.2.3, 2.2.2.7.4 DLISTPAGE and DLISTPAGEENT): one page at
//! 0x4200 listing AMap pages by the free space they map, the emptiest first, so that a writer
//! can allocate where space is most abundant.
//!
//! **What the writer puts there.** At every commit the page is computed afresh from the
//! in-memory AMap (it is never read back to allocate: the writer's own allocation is first fit,
//! see [`super::amap`]): one [`DListEntry`] per AMap page that maps any free 64-byte slot, with
//! its number of free slots, in order of descending free space (ascending density, as 2.2.2.7.4
//! says; ties by page number, as Outlook orders them), at most [`MAX_ENTRIES`] (the pages with
//! the most free space); `bFlags` = [`DFL_BACKFILL_COMPLETE`] (this writer never backfills,
//! 2.6.1.3.4) and `ulCurrentPage` = the AMap page the next allocation will try (the lowest page
//! with free space: first fit). Full pages are left out, as Outlook leaves them out; a file
//! past 2^20 AMap pages (dwPageNum is 20 bits, about 260 GB) lists only the pages it can number.
//!
//! **Where it fits in the commit order of [MS-PST] 2.6.1.** The page lives at a fixed offset
//! and is rewritten in place, so it cannot be copy-on-write like the B-tree pages. It is
//! written at commit after the AMap pages and before the sync that precedes the header with
//! `fAMapValid` = 2 (see [`super::ndb`]). So whenever the header on disk says the AMap is
//! valid, the density list on disk was written with that AMap (a dropped transaction writes
//! neither). A crash before the header leaves `fAMapValid` = 0, and a reader then rebuilds the
//! AMap and must not trust the list either; this writer recomputes it at its next commit.
//! A torn write leaves a page whose CRC is wrong: [MS-PST] 2.2.2.7.4 says such a list MUST NOT
//! be used and SHOULD be rebuilt from the AMaps, and the list is optional, so neither our reader
//! nor any other needs it to open the file. The writer reads the page only for its id (see
//! [`read_bid`]), and only when its trailer is intact.

use std::fmt;

use super::super::crypt::crc;
use super::super::ndb::PAGE_LEN;
use super::amap::{AMap, DLIST_OFFSET};
use super::trailer::{self, PAGE_DATA_LEN, compute_sig, ptype};

/// `bFlags`: no backfill is in progress ([MS-PST] 2.2.2.7.4.2).
pub const DFL_BACKFILL_COMPLETE: u8 = 0x01;
/// Bytes before `rgDListPageEnt`: bFlags, cEntDList, wPadding, ulCurrentPage.
const FIXED_LEN: usize = 8;
/// Bytes of `rgDListPageEnt` in a Unicode file.
const ENTRIES_LEN: usize = 476;
/// The most entries a Unicode density list holds (476 / 4).
pub const MAX_ENTRIES: usize = ENTRIES_LEN / 4;
/// `dwPageNum` takes the low 20 bits of a DLISTPAGEENT, `dwFreeSlots` the high 12.
const PAGE_NUM_BITS: u32 = 20;
const PAGE_NUM_MASK: u32 = (1 << PAGE_NUM_BITS) - 1;

/// One DLISTPAGEENT: an AMap page (by index, 0 for the one at 0x4400) and the 64-byte slots
/// it maps that are free.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DListEntry {
    /// `dwPageNum`.
    pub page: u32,
    /// `dwFreeSlots`.
    pub free_slots: u32,
}

/// The content of a density list page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DList {
    /// `bFlags`.
    pub flags: u8,
    /// `ulCurrentPage`.
    pub current_page: u32,
    /// `rgDListPageEnt`, `cEntDList` of them.
    pub entries: Vec<DListEntry>,
}

impl DList {
    /// The list this writer keeps for AMap pages with `free[r]` free slots each (see the module
    /// documentation).
    pub fn from_free_slots(free: &[u32]) -> DList {
        let mut entries: Vec<DListEntry> = free
            .iter()
            .enumerate()
            .filter(|&(r, &f)| f > 0 && r <= PAGE_NUM_MASK as usize)
            .map(|(r, &f)| DListEntry { page: r as u32, free_slots: f })
            .collect();
        entries.sort_by_key(|e| (std::cmp::Reverse(e.free_slots), e.page));
        entries.truncate(MAX_ENTRIES);
        let current = free.iter().position(|&f| f > 0).unwrap_or(free.len().saturating_sub(1));
        DList { flags: DFL_BACKFILL_COMPLETE, current_page: current as u32, entries }
    }

    /// The list of the writer's AMap.
    pub fn of(amap: &AMap) -> DList {
        let free: Vec<u32> = (0..amap.regions()).map(|r| amap.free_slots(r)).collect();
        DList::from_free_slots(&free)
    }

    /// The whole page, with its trailer (ptype DLIST, `ComputeSig`, CRC, `bid`).
    pub fn to_page(&self, bid: u64) -> Vec<u8> {
        let mut d = vec![0u8; PAGE_DATA_LEN];
        let n = self.entries.len().min(MAX_ENTRIES);
        d[0] = self.flags;
        d[1] = n as u8;
        d[4..8].copy_from_slice(&self.current_page.to_le_bytes());
        for (i, e) in self.entries[..n].iter().enumerate() {
            let v = (e.page & PAGE_NUM_MASK) | (e.free_slots.min(0xFFF) << PAGE_NUM_BITS);
            d[FIXED_LEN + 4 * i..FIXED_LEN + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        trailer::page(&d, ptype::DLIST, DLIST_OFFSET, bid)
    }

    /// Reads a density list page. `Ok(None)`: there is none (the page is not a DList page; the
    /// list is optional). An error: the page is one, but damaged (its trailer is wrong or it
    /// claims more entries than it holds), so it must not be used.
    pub fn parse(page: &[u8]) -> Result<Option<(DList, u64)>, DListIssue> {
        if page.len() != PAGE_LEN || page[PAGE_DATA_LEN] != ptype::DLIST {
            return Ok(None);
        }
        let t = &page[PAGE_DATA_LEN..];
        let bid = u64::from_le_bytes(t[8..16].try_into().unwrap_or_default());
        let intact = t[1] == ptype::DLIST
            && t[2..4] == compute_sig(DLIST_OFFSET, bid).to_le_bytes()
            && t[4..8] == crc(&page[..PAGE_DATA_LEN]).to_le_bytes();
        if !intact {
            return Err(DListIssue::BadTrailer);
        }
        let n = page[1] as usize;
        if n > MAX_ENTRIES {
            return Err(DListIssue::TooManyEntries(n));
        }
        let entries = (0..n)
            .map(|i| {
                let o = FIXED_LEN + 4 * i;
                let v = u32::from_le_bytes(page[o..o + 4].try_into().unwrap_or_default());
                DListEntry { page: v & PAGE_NUM_MASK, free_slots: v >> PAGE_NUM_BITS }
            })
            .collect();
        let current_page = u32::from_le_bytes(page[4..8].try_into().unwrap_or_default());
        Ok(Some((DList { flags: page[0], current_page, entries }, bid)))
    }

    /// Where this list disagrees with AMap pages that have `free[r]` free slots each
    /// (`None`: the AMap page is missing or damaged, reported on its own). A page left out of
    /// the list is no disagreement: Outlook leaves out full pages and the page it allocates
    /// from, and the list is an optimisation. Entries must name existing pages once each,
    /// carry their page's free count and come in order of descending free space.
    pub fn disagreements(&self, free: &[Option<u32>]) -> Vec<DListIssue> {
        let mut out = Vec::new();
        let last = free.len().saturating_sub(1) as u32;
        if self.current_page > last {
            out.push(DListIssue::CurrentPagePast { page: self.current_page, last });
        }
        let mut seen = std::collections::HashSet::new();
        for e in &self.entries {
            if !seen.insert(e.page) {
                out.push(DListIssue::Duplicate { page: e.page });
            }
            match free.get(e.page as usize) {
                None => out.push(DListIssue::PagePast { page: e.page, last }),
                Some(Some(f)) if *f != e.free_slots => {
                    out.push(DListIssue::WrongCount { page: e.page, listed: e.free_slots, amap: *f })
                }
                Some(_) => {}
            }
        }
        if self.entries.windows(2).any(|w| w[0].free_slots < w[1].free_slots) {
            out.push(DListIssue::OutOfOrder);
        }
        out
    }
}

/// Writes the density list of `amap` at 0x4200 (see the module documentation for when).
pub(crate) fn write(
    disk: &mut super::alloc::Disk,
    amap: &AMap,
    bid: u64,
) -> Result<(), super::super::PstError> {
    disk.write_at(DLIST_OFFSET, &DList::of(amap).to_page(bid))
}

/// The id of the density list page on disk, when there is one and its trailer is intact (a
/// torn page's id is noise and must not move the page id counter).
pub(crate) fn read_bid(disk: &super::alloc::Disk, size: u64) -> Option<u64> {
    if DLIST_OFFSET + PAGE_LEN as u64 > size {
        return None;
    }
    let page = disk.read_at(DLIST_OFFSET, PAGE_LEN).ok()?;
    DList::parse(&page).ok().flatten().map(|(_, bid)| bid)
}

/// What is wrong with a density list. Never a danger to the data: readers ignore a damaged
/// list and rebuild it from the AMaps ([MS-PST] 2.2.2.7.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DListIssue {
    /// The page's trailer (type, signature or CRC) is wrong.
    BadTrailer,
    /// `cEntDList` is over [`MAX_ENTRIES`].
    TooManyEntries(usize),
    /// `ulCurrentPage` names a page past the last AMap page.
    CurrentPagePast { page: u32, last: u32 },
    /// An entry names a page past the last AMap page.
    PagePast { page: u32, last: u32 },
    /// Two entries name the same page.
    Duplicate { page: u32 },
    /// An entry's free count is not its AMap page's.
    WrongCount { page: u32, listed: u32, amap: u32 },
    /// The entries are not in order of descending free space.
    OutOfOrder,
}

impl fmt::Display for DListIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "density list: ")?;
        match self {
            DListIssue::BadTrailer => write!(f, "its trailer (signature or CRC) is wrong"),
            DListIssue::TooManyEntries(n) => {
                write!(f, "cEntDList is {n}, more than the {MAX_ENTRIES} it holds")
            }
            DListIssue::CurrentPagePast { page, last } => {
                write!(f, "ulCurrentPage is {page}, past the last AMap page ({last})")
            }
            DListIssue::PagePast { page, last } => {
                write!(f, "an entry names AMap page {page}, past the last one ({last})")
            }
            DListIssue::Duplicate { page } => write!(f, "AMap page {page} is listed twice"),
            DListIssue::WrongCount { page, listed, amap } => {
                write!(f, "AMap page {page} is listed with {listed} free slots, it has {amap}")
            }
            DListIssue::OutOfOrder => write!(f, "the entries are not in order of descending free space"),
        }?;
        write!(f, " (readers rebuild it from the AMap; any commit rewrites it)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tika's testPST.pst, written by Outlook: its density list page at 0x4200.
    fn outlook_page() -> Option<Vec<u8>> {
        let p = std::path::Path::new("/work/shared/testdata/tika/testPST.pst");
        let bytes = std::fs::read(p).ok()?;
        Some(bytes[DLIST_OFFSET as usize..DLIST_OFFSET as usize + PAGE_LEN].to_vec())
    }

    #[test]
    fn an_outlook_density_list_decodes_and_encodes_to_the_same_bytes() {
        let Some(page) = outlook_page() else {
            println!("skipped: tika/testPST.pst missing");
            return;
        };
        let (dl, bid) = DList::parse(&page).unwrap().unwrap();
        assert_eq!(bid, 0x45d);
        assert_eq!(dl.flags, DFL_BACKFILL_COMPLETE);
        assert_eq!(dl.current_page, 1);
        let e = |page, free_slots| DListEntry { page, free_slots };
        let want = [2, 3, 4, 5, 6, 7].map(|p| e(p, 3960)).into_iter().chain([e(8, 3952), e(0, 805)]);
        assert_eq!(dl.entries, want.collect::<Vec<_>>());
        assert_eq!(dl.to_page(bid), page, "same bytes, trailer included");
    }

    #[test]
    fn the_list_runs_from_the_emptiest_page_and_leaves_full_pages_out() {
        // Outlook's testPST.pst: AMap pages 0–8 with these free counts, Outlook allocating
        // from page 1 (which it leaves out of its list; this writer lists every page).
        let free = [805, 3725, 3960, 3960, 3960, 3960, 3960, 3960, 3952];
        let dl = DList::from_free_slots(&free);
        let pages: Vec<u32> = dl.entries.iter().map(|e| e.page).collect();
        assert_eq!(pages, [2, 3, 4, 5, 6, 7, 8, 1, 0]);
        assert_eq!((dl.flags, dl.current_page), (DFL_BACKFILL_COMPLETE, 0));
        let opt: Vec<Option<u32>> = free.iter().copied().map(Some).collect();
        assert!(dl.disagreements(&opt).is_empty());
        let full = DList::from_free_slots(&[0, 0, 7]);
        assert_eq!(full.entries, [DListEntry { page: 2, free_slots: 7 }]);
        assert_eq!(full.current_page, 2, "the first page with room");
    }

    #[test]
    fn a_long_list_keeps_the_pages_with_the_most_free_space() {
        let free: Vec<u32> = (0..300).collect();
        let dl = DList::from_free_slots(&free);
        assert_eq!(dl.entries.len(), MAX_ENTRIES);
        assert_eq!(dl.entries[0], DListEntry { page: 299, free_slots: 299 });
        assert!(dl.entries.iter().all(|e| e.free_slots >= 300 - MAX_ENTRIES as u32));
        let (back, _) = DList::parse(&dl.to_page(9)).unwrap().unwrap();
        assert_eq!(back, dl);
    }

    #[test]
    fn a_damaged_list_is_refused_and_disagreements_are_named() {
        let dl = DList::from_free_slots(&[10, 20]);
        let mut page = dl.to_page(5);
        page[9] ^= 1;
        assert_eq!(DList::parse(&page), Err(DListIssue::BadTrailer));
        assert_eq!(DList::parse(&[0u8; PAGE_LEN]), Ok(None), "no list at all is no damage");
        let issues = dl.disagreements(&[Some(10), Some(21)]);
        assert_eq!(issues, [DListIssue::WrongCount { page: 1, listed: 20, amap: 21 }]);
        let stale =
            DList { flags: 1, current_page: 4, entries: vec![DListEntry { page: 3, free_slots: 1 }; 2] };
        let issues = stale.disagreements(&[Some(1)]);
        assert!(issues.contains(&DListIssue::CurrentPagePast { page: 4, last: 0 }), "{issues:?}");
        assert!(issues.contains(&DListIssue::Duplicate { page: 3 }), "{issues:?}");
        assert!(issues.contains(&DListIssue::PagePast { page: 3, last: 0 }), "{issues:?}");
    }
}
