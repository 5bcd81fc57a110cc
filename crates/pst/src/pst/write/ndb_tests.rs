//! Tests of the NDB writer: everything written is read back by the reader (`Ndb::open`), the
//! allocation check is clean after every commit, and a writer stopped after any write leaves
//! the last committed state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::super::crypt::CryptMethod;
use super::super::ndb::{Ndb, Source};
use super::ndb::NdbWriter;
use super::{NodeContent, check_allocation};

pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "oxmapi-ndbw-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The reader's view of a file on disk.
pub(crate) fn read(path: &Path) -> Ndb {
    let f = std::fs::File::open(path).unwrap();
    let size = f.metadata().unwrap().len();
    Ndb::open(Source::File(f), size).unwrap()
}

fn payload(nid: u32, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(31).wrapping_add(nid) as u8).collect()
}

/// The data of every node as the reader sees it, with its parent.
fn contents(ndb: &Ndb, nids: impl Iterator<Item = u32>) -> BTreeMap<u32, (u32, Vec<u8>)> {
    nids.map(|n| {
        let e = ndb.node(n).unwrap_or_else(|| panic!("node {n:#x} missing"));
        (n, (e.parent, ndb.data(e.data).unwrap()))
    })
    .collect()
}

fn assert_clean(path: &Path) {
    let problems = check_allocation(path).unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_new_file_opens_in_the_reader_and_checks_clean() {
    let d = TempDir::new("new");
    for crypt in [CryptMethod::Permute, CryptMethod::None, CryptMethod::Cyclic] {
        let p = d.file(crypt.name());
        drop(NdbWriter::create(&p, crypt).unwrap());
        let ndb = read(&p);
        assert_eq!((ndb.node_count(), ndb.block_count()), (0, 0));
        assert_eq!(ndb.header.crypt, crypt);
        assert!(ndb.header.amap_valid);
        assert_eq!(std::fs::metadata(&p).unwrap().len(), 0x42400);
        assert_clean(&p);
    }
}

#[test]
fn nodes_put_and_committed_read_back_after_reopen() {
    let d = TempDir::new("put");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let mut model = BTreeMap::new();
    for i in 0..50u32 {
        let nid = w.alloc_nid(0x04);
        let data = payload(nid, 100 + i as usize * 37);
        w.put_node(nid, 0x122, &NodeContent::raw(&data)).unwrap();
        model.insert(nid, (0x122, data));
    }
    // The pending state is readable before the commit.
    assert_eq!(contents(w.reader(), model.keys().copied()), model);
    w.commit().unwrap();
    drop(w);
    assert_eq!(contents(&read(&p), model.keys().copied()), model);
    assert_clean(&p);
    let mut w = NdbWriter::open(&p).unwrap();
    assert_eq!(w.nodes_with_parent(0x122), model.keys().copied().collect::<Vec<_>>());
    let nid = w.alloc_nid(0x04);
    assert!(!model.contains_key(&nid), "rgnid survived the reopen");
    let first = *model.keys().next().unwrap();
    w.put_node(first, 0x8022, &NodeContent::raw(b"replaced")).unwrap();
    model.insert(first, (0x8022, b"replaced".to_vec()));
    w.commit().unwrap();
    drop(w);
    let ndb = read(&p);
    assert_eq!(contents(&ndb, model.keys().copied()), model);
    assert_eq!(ndb.block_count(), model.len(), "the replaced block is gone");
    assert_clean(&p);
}
