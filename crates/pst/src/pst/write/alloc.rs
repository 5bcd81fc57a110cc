//! Where the writer's bytes go: the file (every write counted, so tests can stop a writer
//! after its k-th write as a crash would), and space for new pages and blocks taken from the
//! allocation map, growing the file by whole AMap regions when it is full.

use std::fs::File;
use std::os::unix::fs::FileExt;

use super::super::PstError;
use super::super::crypt::encode;
use super::super::header::BlockRef;
use super::super::ndb::{Ndb, PAGE_LEN};
use super::MAX_BLOCK_DATA;
use super::amap::{AMap, map_pages, region_base};
use super::btree::{BTree, BbtEntry, PageSink};
use super::file_header::FileHeader;
use super::trailer::{self, PAGE_DATA_LEN, block_size, ptype};

/// The reference count of a block referenced once. Outlook writes 2 for a block one node (or
/// one internal block) references (every singly referenced block of the Outlook files in the
/// test data has cRef 2), so the writer does too, and frees a block when a release brings
/// it below 2.
pub const CREF_ONE: u16 = 2;

/// The file, with a count of writes and an optional stop (the crash tests' hook).
pub struct Disk {
    pub(crate) file: File,
    writes: u64,
    stop_after: Option<u64>,
}

impl Disk {
    /// Wraps an open, locked file.
    pub fn new(file: File) -> Disk {
        Disk { file, writes: 0, stop_after: None }
    }

    /// Test hook: every write after the next `k` fails, as if the process had died there.
    pub fn stop_after(&mut self, k: u64) {
        self.stop_after = Some(self.writes + k);
    }

    /// Writes (and syncs and length changes) so far.
    pub fn writes(&self) -> u64 {
        self.writes
    }

    fn tick(&mut self) -> Result<(), PstError> {
        if self.stop_after.is_some_and(|k| self.writes >= k) {
            return Err(PstError::Io(std::io::Error::other("stopped by the crash test hook")));
        }
        self.writes += 1;
        Ok(())
    }

    /// Writes `data` at `ib`.
    pub fn write_at(&mut self, ib: u64, data: &[u8]) -> Result<(), PstError> {
        self.tick()?;
        self.file.write_all_at(data, ib).map_err(PstError::Io)
    }

    /// Sets the file's length.
    pub fn set_len(&mut self, len: u64) -> Result<(), PstError> {
        self.tick()?;
        self.file.set_len(len).map_err(PstError::Io)
    }

    /// Makes the written data durable.
    pub fn sync(&mut self) -> Result<(), PstError> {
        self.tick()?;
        self.file.sync_data().map_err(PstError::Io)
    }

    /// Reads `len` bytes at `ib`.
    pub fn read_at(&self, ib: u64, len: usize) -> Result<Vec<u8>, PstError> {
        let mut b = vec![0u8; len];
        self.file.read_exact_at(&mut b, ib).map_err(PstError::Io)?;
        Ok(b)
    }
}

/// The parts of the writer that place new pages and blocks, borrowed together so a B-tree can
/// be flushed into them.
pub struct Space<'a> {
    pub disk: &'a mut Disk,
    pub amap: &'a mut AMap,
    pub header: &'a mut FileHeader,
    pub view: &'a mut Ndb,
}

impl Space<'_> {
    /// Takes `len` bytes of free space (512-aligned for a page), growing the file when needed.
    pub fn alloc(&mut self, len: u64, page: bool) -> Result<u64, PstError> {
        loop {
            if let Some(ib) = self.amap.alloc(len, page) {
                return Ok(ib);
            }
            self.grow()?;
        }
    }

    /// Adds one AMap region at the end of the file and writes its deprecated map pages (all
    /// 0xFF); the AMap page itself is written at commit.
    fn grow(&mut self) -> Result<(), PstError> {
        let r = self.amap.add_region();
        let end = self.amap.end();
        self.disk.set_len(end)?;
        for (ib, t) in map_pages(r) {
            if t != ptype::AMAP {
                self.disk.write_at(ib, &trailer::page(&[0xFF; PAGE_DATA_LEN], t, ib, ib))?;
            }
        }
        self.view.set_size(end);
        debug_assert_eq!(region_base(r + 1), end);
        Ok(())
    }

    /// Writes one block (a data block is encoded with the file's cipher, an internal one is
    /// not) and records it in the block B-tree with one reference.
    pub fn write_block(
        &mut self,
        bbt: &mut BTree<BbtEntry>,
        data: &[u8],
        internal: bool,
    ) -> Result<u64, PstError> {
        if data.len() > MAX_BLOCK_DATA {
            return Err(PstError::Corrupt(format!(
                "a block of {} bytes is over {MAX_BLOCK_DATA}",
                data.len()
            )));
        }
        let bid = self.header.next_block_bid(internal);
        let ib = self.alloc(block_size(data.len()), false)?;
        let bytes = if internal {
            trailer::block(data, ib, bid)
        } else {
            let mut enc = data.to_vec();
            encode(self.header.crypt, &mut enc, bid);
            trailer::block(&enc, ib, bid)
        };
        self.disk.write_at(ib, &bytes)?;
        let cb = data.len() as u16;
        bbt.insert(BbtEntry { bid, ib, cb, cref: CREF_ONE });
        self.view.set_block(bid, ib, cb);
        Ok(bid)
    }
}

impl PageSink for Space<'_> {
    fn write_page(&mut self, ptype: u8, data: &[u8]) -> Result<BlockRef, PstError> {
        let ib = self.alloc(PAGE_LEN as u64, true)?;
        let bid = self.header.next_page_bid();
        self.disk.write_at(ib, &trailer::page(data, ptype, ib, bid))?;
        Ok(BlockRef { bid, ib })
    }
}
