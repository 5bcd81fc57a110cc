//! The allocation map ([MS-PST] 2.2.2.7.2 AMap): one bit per 64 bytes of the file after
//! 0x4400, in pages of 496 bytes that each cover the 253,952 bytes starting at the page
//! itself. Also where the deprecated map pages go (PMap every 8 AMaps, FMap and FPMap further
//! out, [MS-PST] 2.2.2.7.3–2.2.2.7.5), which the map marks as used.
//!
//! The whole map is kept in memory. Allocation is first fit. Space freed by a transaction is
//! only queued ([`AMap::free_after_commit`]) and returned at commit, so a transaction never
//! writes over anything the last committed header can reach.

use super::trailer::{BLOCK_ALIGN, PAGE_DATA_LEN, ptype};

/// Where the density list page is ([MS-PST] 2.2.2.7.4).
pub const DLIST_OFFSET: u64 = 0x4200;
/// Where the first AMap page is.
pub const FIRST_AMAP: u64 = 0x4400;
/// Bytes one AMap page covers (496 × 8 × 64).
pub const AMAP_COVERAGE: u64 = (PAGE_DATA_LEN * 8) as u64 * BLOCK_ALIGN;
/// 64-byte units one AMap page covers.
const UNITS: usize = PAGE_DATA_LEN * 8;
/// A page is 512 bytes: 8 units, on a 512-byte boundary.
pub const PAGE_UNITS: usize = 8;
/// A PMap page follows every 8th AMap page (the first one included).
const PMAP_EVERY: usize = 8;
/// The first FMap page is in the region of AMap 128, then every 496 AMaps.
const FMAP_FIRST: usize = 128;
const FMAP_EVERY: usize = PAGE_DATA_LEN;
/// The first FPMap page is in the region of AMap 8192, then every 496 × 8 AMaps.
const FPMAP_FIRST: usize = 8192;
const FPMAP_EVERY: usize = PAGE_DATA_LEN * 8;

/// The offset of the AMap page of region `r`.
pub fn region_base(r: usize) -> u64 {
    FIRST_AMAP + r as u64 * AMAP_COVERAGE
}

/// The map pages at the start of region `r`, as (offset, ptype): the AMap page, and the
/// deprecated PMap, FMap and FPMap pages where the format puts them.
pub fn map_pages(r: usize) -> Vec<(u64, u8)> {
    let base = region_base(r);
    let mut v = vec![(base, ptype::AMAP)];
    if r % PMAP_EVERY == 0 {
        v.push((base + 0x200, ptype::PMAP));
    }
    if r >= FMAP_FIRST && (r - FMAP_FIRST) % FMAP_EVERY == 0 {
        v.push((base + 0x400, ptype::FMAP));
    }
    if r >= FPMAP_FIRST && (r - FPMAP_FIRST) % FPMAP_EVERY == 0 {
        v.push((base + 0x600, ptype::FPMAP));
    }
    v
}

/// The in-memory allocation map.
#[derive(Clone, Debug, Default)]
pub struct AMap {
    maps: Vec<Vec<u8>>,
    free_units: Vec<u32>,
    /// Per region: a run this long (in units) was not found; cleared when the region frees
    /// space. Spares a fragmented region the scan for every allocation.
    no_run: Vec<u32>,
    /// Per region: no free 512-byte-aligned page was found; cleared when it frees space.
    no_page: Vec<bool>,
    /// No region below this one has a free unit (first fit starts here).
    low: usize,
    dirty: Vec<bool>,
    pending_free: Vec<(u64, u64)>,
}

impl AMap {
    /// A map of `regions` regions with only the map pages themselves used.
    pub fn new(regions: usize) -> AMap {
        let mut m = AMap::default();
        for _ in 0..regions {
            m.add_region();
        }
        m
    }

    /// A map read from its pages (one 496-byte bitmap per region).
    pub fn from_pages(pages: Vec<Vec<u8>>) -> AMap {
        let free_units = pages.iter().map(|p| p.iter().map(|b| b.count_zeros()).sum()).collect();
        let dirty = vec![false; pages.len()];
        let no_run = vec![u32::MAX; pages.len()];
        let no_page = vec![false; pages.len()];
        AMap { maps: pages, free_units, no_run, no_page, low: 0, dirty, pending_free: Vec::new() }
    }

    /// Number of regions (AMap pages).
    pub fn regions(&self) -> usize {
        self.maps.len()
    }

    /// The end of the space the map covers (the file's size).
    pub fn end(&self) -> u64 {
        region_base(self.maps.len())
    }

    /// Appends a region (the file grows by [`AMAP_COVERAGE`]) and marks its map pages used.
    /// Returns the new region's index.
    pub fn add_region(&mut self) -> usize {
        let r = self.maps.len();
        self.maps.push(vec![0u8; PAGE_DATA_LEN]);
        self.free_units.push(UNITS as u32);
        self.no_run.push(u32::MAX);
        self.no_page.push(false);
        self.dirty.push(true);
        for (ib, _) in map_pages(r) {
            self.mark(ib, 512, true);
        }
        r
    }

    fn locate(ib: u64) -> Option<(usize, usize)> {
        let rel = ib.checked_sub(FIRST_AMAP)?;
        Some(((rel / AMAP_COVERAGE) as usize, ((rel % AMAP_COVERAGE) / BLOCK_ALIGN) as usize))
    }

    fn bit(&self, r: usize, k: usize) -> bool {
        self.maps[r][k / 8] & (0x80 >> (k % 8)) != 0
    }

    /// True when every unit of `[ib, ib+len)` is marked used.
    pub fn is_used(&self, ib: u64, len: u64) -> bool {
        let Some((r, k)) = Self::locate(ib) else { return false };
        let n = len.div_ceil(BLOCK_ALIGN) as usize;
        r < self.maps.len() && k + n <= UNITS && (k..k + n).all(|i| self.bit(r, i))
    }

    /// True when some unit of `[ib, ib+len)` is marked used (or the range is outside).
    pub fn any_used(&self, ib: u64, len: u64) -> bool {
        let Some((r, k)) = Self::locate(ib) else { return true };
        let n = len.div_ceil(BLOCK_ALIGN) as usize;
        r >= self.maps.len() || k + n > UNITS || (k..k + n).any(|i| self.bit(r, i))
    }

    /// Marks `[ib, ib+len)` used or free. Ranges outside the map or across a region end are
    /// ignored (the callers only pass ranges they allocated).
    pub fn mark(&mut self, ib: u64, len: u64, used: bool) {
        let Some((r, k)) = Self::locate(ib) else { return };
        let n = len.div_ceil(BLOCK_ALIGN) as usize;
        if r >= self.maps.len() || k + n > UNITS {
            return;
        }
        for i in k..k + n {
            let mask = 0x80u8 >> (i % 8);
            let byte = &mut self.maps[r][i / 8];
            if (*byte & mask != 0) != used {
                *byte ^= mask;
                if used {
                    self.free_units[r] -= 1;
                } else {
                    self.free_units[r] += 1;
                    self.no_run[r] = u32::MAX;
                    self.no_page[r] = false;
                    self.low = self.low.min(r);
                }
            }
        }
        self.dirty[r] = true;
    }

    /// First fit: the lowest free run of `len` bytes (aligned to 512 when `page`), marked used.
    /// None when no region has room (the caller adds one).
    pub fn alloc(&mut self, len: u64, page: bool) -> Option<u64> {
        let n = len.div_ceil(BLOCK_ALIGN) as usize;
        let step = if page { PAGE_UNITS } else { 1 };
        while self.low < self.maps.len() && self.free_units[self.low] == 0 {
            self.low += 1;
        }
        for r in self.low..self.maps.len() {
            if (self.free_units[r] as usize) < n
                || (if page { self.no_page[r] } else { self.no_run[r] as usize <= n })
            {
                continue;
            }
            if let Some(k) = self.find_run(r, n, step) {
                let ib = region_base(r) + k as u64 * BLOCK_ALIGN;
                self.mark(ib, len, true);
                return Some(ib);
            }
            if page {
                self.no_page[r] = true;
            } else {
                self.no_run[r] = n as u32;
            }
        }
        None
    }

    fn find_run(&self, r: usize, n: usize, step: usize) -> Option<usize> {
        let map = &self.maps[r];
        let mut k = 0;
        while k + n <= UNITS {
            if k % 8 == 0 && map[k / 8] == 0xFF {
                k += 8;
                continue;
            }
            match (k..k + n).find(|&i| self.bit(r, i)) {
                None => return Some(k),
                Some(used) => k = (used + 1).div_ceil(step) * step,
            }
        }
        None
    }

    /// Queues `[ib, ib+len)` to be freed at the next commit.
    pub fn free_after_commit(&mut self, ib: u64, len: u64) {
        self.pending_free.push((ib, len));
    }

    /// Frees what the transaction released (called at commit, before the AMap pages are
    /// written).
    pub fn apply_pending(&mut self) {
        for (ib, len) in std::mem::take(&mut self.pending_free) {
            self.mark(ib, len, false);
        }
    }

    /// Drops the queued frees (the transaction is abandoned).
    pub fn clear_pending(&mut self) {
        self.pending_free.clear();
    }

    /// Free bytes (`cbAMapFree`).
    pub fn free_bytes(&self) -> u64 {
        self.free_units.iter().map(|&u| u as u64).sum::<u64>() * BLOCK_ALIGN
    }

    /// The regions changed since the last [`AMap::take_dirty`], with their bitmaps.
    pub fn take_dirty(&mut self) -> Vec<(usize, Vec<u8>)> {
        let mut v = Vec::new();
        for r in 0..self.maps.len() {
            if std::mem::take(&mut self.dirty[r]) {
                v.push((r, self.maps[r].clone()));
            }
        }
        v
    }

    /// Marks every region changed (so that a rebuilt map is written whole).
    pub fn mark_all_dirty(&mut self) {
        self.dirty.iter_mut().for_each(|d| *d = true);
    }

    /// The free 64-byte slots of region `r` (a density list entry's `dwFreeSlots`).
    pub fn free_slots(&self, r: usize) -> u32 {
        self.free_units[r]
    }

    /// The bitmap of region `r`.
    pub fn bitmap(&self, r: usize) -> &[u8] {
        &self.maps[r]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_region_maps_its_own_pages() {
        let m = AMap::new(1);
        assert_eq!(m.bitmap(0)[..3], [0xFF, 0xFF, 0x00]);
        assert_eq!(m.free_bytes(), AMAP_COVERAGE - 1024);
        assert_eq!(AMAP_COVERAGE, 253_952);
        assert_eq!(m.end(), 0x42400);
    }

    #[test]
    fn first_fit_reuses_freed_space_after_commit_only() {
        let mut m = AMap::new(1);
        let a = m.alloc(64, false).unwrap();
        let p = m.alloc(512, true).unwrap();
        assert_eq!(a, 0x4800);
        assert_eq!(p, 0x4A00, "pages are 512-aligned");
        let b = m.alloc(64, false).unwrap();
        assert_eq!(b, 0x4840);
        m.free_after_commit(a, 64);
        assert_ne!(m.alloc(64, false), Some(a), "not before commit");
        m.apply_pending();
        assert_eq!(m.alloc(64, false), Some(a));
    }

    #[test]
    fn a_full_map_asks_for_growth() {
        let mut m = AMap::new(1);
        while m.alloc(8192, false).is_some() {}
        assert!(m.free_bytes() < 8192);
        let r = m.add_region();
        assert_eq!(r, 1);
        assert_eq!(m.alloc(8192, false), Some(region_base(1) + 512));
        assert_eq!(map_pages(8).len(), 2);
        assert_eq!(
            map_pages(128).iter().map(|p| p.0 - region_base(128)).collect::<Vec<_>>(),
            [0, 0x200, 0x400]
        );
    }
}
