//! The density list as the writer leaves it on disk: after every commit it is exactly the list
//! recomputed from the AMap pages on disk, in new files and in files Outlook wrote, and a crash
//! never leaves a valid header beside a list of another AMap.

use std::path::Path;

use super::super::crypt::CryptMethod;
use super::super::ndb::PAGE_LEN;
use super::amap::{AMAP_COVERAGE, DLIST_OFFSET, FIRST_AMAP, region_base};
use super::dlist::{DFL_BACKFILL_COMPLETE, DList};
use super::file_header::AMAP_VALID;
use super::ndb::NdbWriter;
use super::ndb_tests::TempDir;
use super::trailer::{PAGE_DATA_LEN, ptype};
use super::{AllocationIssue, NodeContent, check_allocation};

/// `fAMapValid` of the header on disk (ROOT at 0xB4, the flag at its offset 68).
fn amap_valid(bytes: &[u8]) -> u8 {
    bytes[0xB4 + 68]
}

/// The density list on disk, and the one recomputed from the AMap pages on disk.
fn on_disk_and_recomputed(path: &Path) -> (DList, DList) {
    let bytes = std::fs::read(path).unwrap();
    let page = &bytes[DLIST_OFFSET as usize..DLIST_OFFSET as usize + PAGE_LEN];
    let (on_disk, _) = DList::parse(page).unwrap().expect("a density list page");
    let regions = (bytes.len() as u64 - FIRST_AMAP).div_ceil(AMAP_COVERAGE) as usize;
    let free: Vec<u32> = (0..regions)
        .map(|r| {
            let ib = region_base(r) as usize;
            assert_eq!(bytes[ib + PAGE_DATA_LEN], ptype::AMAP);
            bytes[ib..ib + PAGE_DATA_LEN].iter().map(|b| b.count_zeros()).sum()
        })
        .collect();
    (on_disk, DList::from_free_slots(&free))
}

fn assert_dlist_follows_amap(path: &Path) {
    let (on_disk, recomputed) = on_disk_and_recomputed(path);
    assert_eq!(on_disk, recomputed);
    let report = check_allocation(path).unwrap();
    assert!(!report.notes.iter().any(|i| matches!(i, AllocationIssue::DensityList(_))), "{report:?}");
}

/// Nodes of 1–24 KB put and deleted over 150 commits (the file grows to several
/// AMap regions and frees space in the middle): after each commit the list on disk is the one
/// recomputed from the AMap on disk.
#[test]
fn the_density_list_is_the_amaps_after_every_commit() {
    let d = TempDir::new("dlist");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    assert_dlist_follows_amap(&p);
    let mut live = Vec::new();
    for i in 0..150u32 {
        for j in 0..4u32 {
            let nid = w.alloc_nid(0x04);
            let len = 1024 + ((i * 7 + j * 13) % 24) as usize * 1024;
            w.put_node(nid, 0x122, &NodeContent::raw(&vec![(i + j) as u8; len])).unwrap();
            live.push(nid);
        }
        if i % 3 == 2 {
            // Free space early and in the middle of the file.
            for at in [0, live.len() / 2] {
                w.delete_node(live.remove(at)).unwrap();
            }
        }
        w.commit().unwrap();
        assert_dlist_follows_amap(&p);
    }
    let regions = w.amap.regions();
    drop(w);
    assert!(regions >= 4, "{regions} regions");
    let (dl, _) = on_disk_and_recomputed(&p);
    assert_eq!(dl.flags, DFL_BACKFILL_COMPLETE);
    assert!(dl.entries.len() >= 2, "{dl:?}");
    assert!(dl.entries.windows(2).all(|e| e[0].free_slots >= e[1].free_slots), "{dl:?}");
}

/// tika's testPST.pst, written by Outlook, with Outlook's density list (its current page left
/// out, as Outlook does): the list agrees with the AMap before, and after new nodes it is ours.
#[test]
fn an_outlook_files_density_list_stays_valid_after_a_commit() {
    let src = Path::new("/work/shared/testdata/tika/testPST.pst");
    if !src.exists() {
        println!("skipped: {} missing", src.display());
        return;
    }
    let report = check_allocation(src).unwrap();
    assert!(!report.notes.iter().any(|i| matches!(i, AllocationIssue::DensityList(_))), "{report:?}");
    let d = TempDir::new("dlist-outlook");
    let p = d.file("a.pst");
    std::fs::write(&p, std::fs::read(src).unwrap()).unwrap();
    let mut w = NdbWriter::open(&p).unwrap();
    for i in 0..40u32 {
        let nid = w.alloc_nid(0x04);
        w.put_node(nid, 0x8022, &NodeContent::raw(&vec![i as u8; 3000 + i as usize * 500])).unwrap();
    }
    w.commit().unwrap();
    drop(w);
    assert_dlist_follows_amap(&p);
    let (dl, _) = on_disk_and_recomputed(&p);
    assert!(dl.entries.len() >= 7, "{dl:?}");
}

/// A writer stopped after any write: whenever the header on disk says the AMap is valid, the
/// density list on disk is that AMap's; otherwise the next commit rewrites it.
#[test]
fn a_crash_never_leaves_a_valid_header_beside_another_amaps_list() {
    let d = TempDir::new("dlist-crash");
    let run = |w: &mut NdbWriter| -> Result<(), super::super::PstError> {
        for i in 0..12u32 {
            let nid = w.alloc_nid(0x04);
            w.put_node(nid, 0x122, &NodeContent::raw(&vec![i as u8; 6000]))?;
            if i % 4 == 3 {
                w.delete_node(nid)?;
            }
            w.commit()?;
        }
        Ok(())
    };
    let base = d.file("base.pst");
    let mut w = NdbWriter::create(&base, CryptMethod::None).unwrap();
    let start = w.disk.writes();
    run(&mut w).unwrap();
    let total = w.disk.writes() - start;
    drop(w);
    let (mut valid_states, mut k) = (0, 0);
    while k <= total {
        let p = d.file(&format!("k{k}.pst"));
        let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
        w.stop_after_writes(k);
        let _ = run(&mut w);
        drop(w);
        if amap_valid(&std::fs::read(&p).unwrap()) == AMAP_VALID {
            valid_states += 1;
            assert_dlist_follows_amap(&p);
        }
        let mut w = NdbWriter::open(&p).unwrap();
        let nid = w.alloc_nid(0x04);
        w.put_node(nid, 0x122, &NodeContent::raw(b"after")).unwrap();
        w.commit().unwrap();
        drop(w);
        assert_dlist_follows_amap(&p);
        std::fs::remove_file(&p).unwrap();
        k += 1;
    }
    assert!(valid_states >= 12, "{valid_states} of {total} stop points left a valid header");
}

/// A torn density list (a bad CRC) is a note, not a problem; the file opens; the repair
/// rewrites the list; the writer ignores the torn page's id and its next commit writes a sound
/// list.
#[test]
fn a_torn_density_list_is_ignored_and_rewritten() {
    let d = TempDir::new("dlist-torn");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    w.put_node(0x24, 0x122, &NodeContent::raw(b"kept")).unwrap();
    w.commit().unwrap();
    drop(w);
    let mut bytes = std::fs::read(&p).unwrap();
    let at = DLIST_OFFSET as usize;
    bytes[at..at + 256].fill(0xEE);
    bytes[at + PAGE_LEN - 8..at + PAGE_LEN].copy_from_slice(&u64::MAX.to_le_bytes());
    std::fs::write(&p, &bytes).unwrap();
    let report = check_allocation(&p).unwrap();
    assert!(report.problems.is_empty(), "{report:?}");
    assert!(matches!(report.notes[..], [AllocationIssue::DensityList(_)]), "{report:?}");
    assert_eq!(super::ndb_tests::read(&p).node_count(), 1, "the reader opens it");
    let torn = std::fs::read(&p).unwrap();
    super::repair(&p).unwrap();
    assert_dlist_follows_amap(&p);
    std::fs::write(&p, torn).unwrap();
    let mut w = NdbWriter::open(&p).unwrap();
    assert!(w.header.bid_next_p < 1 << 40, "a torn page's id is not trusted");
    w.put_node(0x44, 0x122, &NodeContent::raw(b"new")).unwrap();
    w.commit().unwrap();
    drop(w);
    assert_dlist_follows_amap(&p);
}
