//! Tests of the NDB writer: everything written is read back by the reader (`Ndb::open`), the
//! allocation check is clean after every commit, and a writer stopped after any write leaves
//! the last committed state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::super::crypt::CryptMethod;
use super::super::ndb::{Ndb, Source};
use super::ndb::NdbWriter;
use super::{NodeContent, check_allocation, repair};

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
    // The node id first, so that no two nodes' first blocks are the same (the writer shares
    // identical blocks between nodes: see `identical_blocks_are_shared_…`).
    let mut p: Vec<u8> = (0..len).map(|i| (i as u32).wrapping_mul(31).wrapping_add(nid) as u8).collect();
    let n = len.min(4);
    p[..n].copy_from_slice(&nid.to_le_bytes()[..n]);
    p
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

/// The check agrees with Outlook's own allocation: sample1.pst (written by Outlook) is clean;
/// test_unicode.pst has space Outlook marked used and never freed, reported as a leak only.
#[test]
fn outlook_files_check_as_outlook_left_them() {
    let dir = Path::new("/work/shared/testdata/pstsdk");
    if !dir.exists() {
        println!("skipped: {} missing", dir.display());
        return;
    }
    assert_eq!(check_allocation(&dir.join("sample1.pst")).unwrap(), Vec::<String>::new());
    let p = check_allocation(&dir.join("test_unicode.pst")).unwrap();
    assert!(p.len() == 1 && p[0].contains("leaked"), "{p:?}");
    assert!(check_allocation(&dir.join("test_ansi.pst")).is_err(), "ANSI files are not checked");
}

/// A node's content as the reader sees it (subnodes in id order).
pub(crate) fn read_content(ndb: &Ndb, data: u64, sub: u64) -> NodeContent {
    let blocks = if data == 0 { Vec::new() } else { ndb.data_blocks(data).unwrap() };
    let mut subnodes: Vec<(u32, NodeContent)> =
        ndb.subnodes(sub).unwrap().into_iter().map(|(n, s)| (n, read_content(ndb, s.data, s.sub))).collect();
    subnodes.sort_by_key(|s| s.0);
    NodeContent { blocks, subnodes }
}

/// The same content with its subnodes in id order (as it reads back).
fn sorted(c: &NodeContent) -> NodeContent {
    let mut subnodes: Vec<(u32, NodeContent)> = c.subnodes.iter().map(|(n, s)| (*n, sorted(s))).collect();
    subnodes.sort_by_key(|s| s.0);
    NodeContent { blocks: c.blocks.clone(), subnodes }
}

type Model = BTreeMap<u32, (u32, NodeContent)>;

/// True when the file holds exactly the model's nodes (no panic when it does not).
fn file_matches(path: &Path, model: &Model) -> bool {
    let ndb = read(path);
    ndb.node_count() == model.len()
        && model.iter().all(|(nid, (parent, c))| {
            ndb.node(*nid)
                .is_some_and(|e| e.parent == *parent && read_content(&ndb, e.data, e.sub) == sorted(c))
        })
}

/// Every node of the file equals the model, read by the reader from disk.
fn assert_file_is(path: &Path, model: &Model) {
    let ndb = read(path);
    assert_eq!(ndb.node_count(), model.len());
    for (nid, (parent, c)) in model {
        let e = ndb.node(*nid).unwrap_or_else(|| panic!("node {nid:#x} missing"));
        assert_eq!(e.parent, *parent);
        assert_eq!(read_content(&ndb, e.data, e.sub), sorted(c), "node {nid:#x}");
    }
}

#[test]
fn thousands_of_nodes_split_the_trees_and_deletes_merge_them() {
    let d = TempDir::new("many");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let mut model = Model::new();
    for i in 0..6000u32 {
        let nid = w.alloc_nid(if i % 3 == 0 { 0x02 } else { 0x04 });
        let c = NodeContent::raw(&payload(nid, (i as usize * 7) % 300));
        w.put_node(nid, 0x122 + (i % 5) * 32, &c).unwrap();
        model.insert(nid, (0x122 + (i % 5) * 32, c));
        if i % 500 == 499 {
            w.commit().unwrap();
        }
    }
    w.commit().unwrap();
    assert!(w.nbt.depth() >= 2 && w.bbt.depth() >= 2, "multi-level trees");
    drop(w);
    assert_file_is(&p, &model);
    assert_clean(&p);
    let mut w = NdbWriter::open(&p).unwrap();
    let pages_before = w.nbt.page_refs().len() + w.bbt.page_refs().len();
    let nids: Vec<u32> = model.keys().copied().collect();
    for (i, nid) in nids.iter().enumerate() {
        if i % 10 != 0 {
            w.delete_node(*nid).unwrap();
            model.remove(nid);
        }
        if i % 700 == 0 {
            w.commit().unwrap();
        }
    }
    w.commit().unwrap();
    let pages_after = w.nbt.page_refs().len() + w.bbt.page_refs().len();
    assert!(pages_after * 5 < pages_before, "pages merged: {pages_before} -> {pages_after}");
    assert!(w.delete_node(nids[1]).is_err(), "a deleted node cannot be deleted again");
    drop(w);
    assert_file_is(&p, &model);
    assert_clean(&p);
    // The space freed is reused: writing as much again does not grow the file.
    let size = std::fs::metadata(&p).unwrap().len();
    let mut w = NdbWriter::open(&p).unwrap();
    for i in 0..3000u32 {
        let nid = w.alloc_nid(0x04);
        let c = NodeContent::raw(&payload(nid, (i as usize * 7) % 300));
        w.put_node(nid, 0x122, &c).unwrap();
        model.insert(nid, (0x122, c));
    }
    w.commit().unwrap();
    drop(w);
    assert_eq!(std::fs::metadata(&p).unwrap().len(), size, "free space was reused");
    assert_file_is(&p, &model);
    assert_clean(&p);
}

#[test]
fn large_data_uses_an_xxblock_and_many_subnodes_an_siblock() {
    let d = TempDir::new("large");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Cyclic).unwrap();
    let mut model = Model::new();
    // 9 MB: more than 1,021 blocks, so an XXBLOCK over XBLOCKs; 5 MB: one XBLOCK.
    for (nid, len) in [(0x200024u32, 9 << 20), (0x200044, 5 << 20)] {
        let c = NodeContent::raw(&payload(nid, len));
        w.put_node(nid, 0x122, &c).unwrap();
        model.insert(nid, (0x122, c));
    }
    // 1,000 subnodes (an SIBLOCK over 3 SLBLOCKs), some with subnodes and large data.
    let subnodes = (0..1000u32)
        .rev()
        .map(|i| {
            let mut c = NodeContent::raw(&payload(i, if i % 100 == 0 { 20_000 } else { i as usize }));
            if i % 250 == 0 {
                c.subnodes =
                    vec![(0x3F, NodeContent::raw(b"inner")), (0x1F, NodeContent::raw(&payload(1, 9000)))];
            }
            ((i << 5) | 0x1F, c)
        })
        .collect();
    let c = NodeContent { blocks: vec![payload(7, 3000)], subnodes };
    w.put_node(0x200064, 0x122, &c).unwrap();
    model.insert(0x200064, (0x122, c));
    w.commit().unwrap();
    drop(w);
    assert_file_is(&p, &model);
    assert_clean(&p);
    let ndb = read(&p);
    let top = ndb.block(ndb.node(0x200024).unwrap().data).unwrap();
    assert_eq!((top[0], top[1]), (1, 2), "an XXBLOCK");
    let top = ndb.block(ndb.node(0x200064).unwrap().sub).unwrap();
    assert_eq!((top[0], top[1]), (2, 1), "an SIBLOCK");
    // Replacing and deleting them frees every block they used.
    let mut w = NdbWriter::open(&p).unwrap();
    w.put_node(0x200064, 0x122, &NodeContent::raw(b"small now")).unwrap();
    w.delete_node(0x200024).unwrap();
    w.delete_node(0x200044).unwrap();
    w.commit().unwrap();
    drop(w);
    let ndb = read(&p);
    assert_eq!((ndb.node_count(), ndb.block_count()), (1, 1));
    assert_clean(&p);
}

#[test]
fn content_the_format_cannot_hold_is_refused_before_anything_is_written() {
    let d = TempDir::new("refuse");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    let big = NodeContent { blocks: vec![vec![0; super::MAX_BLOCK_DATA + 1]], subnodes: vec![] };
    assert!(w.put_node(0x24, 0x122, &big).is_err());
    let twins = NodeContent {
        blocks: vec![vec![1]],
        subnodes: vec![(0x3F, NodeContent::raw(b"a")), (0x3F, NodeContent::raw(b"b"))],
    };
    assert!(w.put_node(0x24, 0x122, &twins).is_err());
    // The writer is still usable: nothing was written.
    w.put_node(0x24, 0x122, &NodeContent::raw(b"ok")).unwrap();
    w.commit().unwrap();
    drop(w);
    assert_eq!(read(&p).node_count(), 1);
    assert_clean(&p);
}

/// One step of a scripted session.
#[derive(Clone, Debug)]
enum Op {
    Put { nid: u32, parent: u32, len: usize, subs: u8 },
    Delete(u32),
    Commit,
}

fn content_for(nid: u32, len: usize, subs: u8) -> NodeContent {
    let mut c = NodeContent::raw(&payload(nid, len));
    c.subnodes = (0..subs as u32)
        .map(|i| ((i << 5) | 0x1F, NodeContent::raw(&payload(i, len / 3 + i as usize))))
        .collect();
    c
}

/// Applies `ops`; returns the model as of the last successful commit and whether every step
/// succeeded. `pending` tracks uncommitted changes.
fn apply(w: &mut NdbWriter, ops: &[Op], committed: &mut Model) -> bool {
    apply_in_doubt(w, ops, committed, &mut None)
}

/// [`apply`], and when a commit fails, the state it was committing in `in_doubt`.
fn apply_in_doubt(
    w: &mut NdbWriter,
    ops: &[Op],
    committed: &mut Model,
    in_doubt: &mut Option<Model>,
) -> bool {
    let mut pending = committed.clone();
    for op in ops {
        let r = match op {
            Op::Put { nid, parent, len, subs } => {
                let c = content_for(*nid, *len, *subs);
                let r = w.put_node(*nid, *parent, &c);
                pending.insert(*nid, (*parent, c));
                r
            }
            Op::Delete(nid) => {
                if !pending.contains_key(nid) {
                    continue;
                }
                pending.remove(nid);
                w.delete_node(*nid)
            }
            Op::Commit => w
                .commit()
                .map(|()| *committed = pending.clone())
                .inspect_err(|_| *in_doubt = Some(pending.clone())),
        };
        if r.is_err() {
            return false;
        }
    }
    true
}

fn script() -> Vec<Op> {
    let mut ops = Vec::new();
    for round in 0..4u32 {
        for i in 0..40u32 {
            let nid = ((0x10000 + i * 3 + round) << 5) | 4;
            ops.push(Op::Put {
                nid,
                parent: 0x122 + round * 32,
                len: (i as usize * 997) % 20_000,
                subs: (i % 3) as u8,
            });
        }
        for i in (0..40u32).step_by(4) {
            ops.push(Op::Delete(((0x10000 + i * 3 + round.saturating_sub(1)) << 5) | 4));
        }
        ops.push(Op::Commit);
    }
    ops
}

/// A writer stopped after any of its writes (as SIGKILL would stop it) leaves a file that
/// opens with the last committed state; after `repair` the allocation check is clean; and a
/// writer opened on it goes on from there.
#[test]
fn a_writer_stopped_after_any_write_leaves_the_last_commit() {
    let d = TempDir::new("crash");
    let ops = script();
    // How many writes the whole script makes.
    let base = d.file("base.pst");
    let mut w = NdbWriter::create(&base, CryptMethod::Permute).unwrap();
    let start = w.disk.writes();
    let mut full = Model::new();
    assert!(apply(&mut w, &ops, &mut full));
    let total = w.disk.writes() - start;
    drop(w);
    assert_file_is(&base, &full);
    assert!(total > 100, "{total} writes");
    let step = (total / 60).max(1);
    let mut k = 0;
    while k <= total {
        let p = d.file(&format!("k{k}.pst"));
        let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
        w.stop_after_writes(k);
        let mut committed = Model::new();
        let mut in_doubt = None;
        let finished = apply_in_doubt(&mut w, &ops, &mut committed, &mut in_doubt);
        assert_eq!(finished, k == total, "k={k}");
        drop(w);
        // The reader sees the last commit, before any repair.
        // A commit stopped at its last sync, after its header was written, may have landed
        // (a crash there leaves it to the disk): then the file holds the new state.
        if let Some(m) = in_doubt.filter(|m| file_matches(&p, m)) {
            committed = m;
        }
        assert_file_is(&p, &committed);
        // The writer opens it (rebuilding the AMap when needed) and commits on top.
        let mut w = NdbWriter::open(&p).unwrap();
        w.put_node(0x21, 0, &NodeContent::raw(b"after the crash")).unwrap();
        w.commit().unwrap();
        drop(w);
        committed.insert(0x21, (0, NodeContent::raw(b"after the crash")));
        assert_file_is(&p, &committed);
        assert_clean(&p);
        std::fs::remove_file(&p).unwrap();
        k += if k < 20 { 1 } else { step };
    }
}

#[test]
fn repair_rebuilds_the_amap_of_a_file_left_mid_transaction() {
    let d = TempDir::new("repair");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let mut committed = Model::new();
    let ops = script();
    let half = ops.iter().position(|o| matches!(o, Op::Commit)).unwrap() + 1;
    assert!(apply(&mut w, &ops[..half], &mut committed));
    // A transaction in progress when the process dies: blocks written, the AMap not.
    assert!(apply(&mut w, &ops[half..half + 30], &mut committed));
    w.crash(); // no commit: the file is left as a killed process leaves it
    let problems = check_allocation(&p).unwrap();
    assert!(problems.iter().any(|l| l.contains("fAMapValid is 0")), "{problems:?}");
    let done = repair(&p).unwrap();
    assert!(done.iter().any(|l| l.contains("rebuilt the AMap")), "{done:?}");
    assert_clean(&p);
    assert_file_is(&p, &committed);
}

#[test]
fn a_node_whose_block_is_missing_is_dropped_by_repair() {
    let d = TempDir::new("dangling");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    w.put_node(0x24, 0x122, &NodeContent::raw(b"kept")).unwrap();
    w.put_node(0x44, 0x122, &NodeContent::raw(b"lost")).unwrap();
    // A node pointing at a block that is not in the block B-tree (a damaged file).
    w.nbt.insert(super::btree::NbtEntry { nid: 0x64, data: 0xFFF0, sub: 0, parent: 0x122 });
    w.commit().unwrap();
    drop(w);
    let problems = check_allocation(&p).unwrap();
    assert!(problems.iter().any(|l| l.contains("node 0x64") && l.contains("0xfff0")), "{problems:?}");
    let done = repair(&p).unwrap();
    assert!(done.iter().any(|l| l.contains("dropped node 0x64")), "{done:?}");
    assert_clean(&p);
    assert_eq!(read(&p).node_count(), 2);
}

/// Runs a Python snippet with `pypff` on `path`; None (with the reason printed) when python3
/// or pypff is missing here.
pub(crate) fn pypff(snippet: &str, path: &Path) -> Option<std::process::Output> {
    let probe = std::process::Command::new("python3").args(["-c", "import pypff"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        println!("skipped: python3 with pypff (libpff-python) is not installed");
        return None;
    }
    let script = format!("import pypff, sys\nf = pypff.file()\nf.open(sys.argv[1])\n{snippet}\nf.close()\n");
    Some(std::process::Command::new("python3").arg("-c").arg(script).arg(path).output().unwrap())
}

/// libpff (an independent reader) opens a file the writer made: header, B-trees, AMap.
#[test]
fn pypff_opens_a_written_file() {
    let d = TempDir::new("pypff");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    for i in 0..300u32 {
        w.put_node(
            ((0x10000 + i) << 5) | 4,
            0x122,
            &content_for(i, (i as usize * 131) % 30_000, (i % 4) as u8),
        )
        .unwrap();
    }
    w.commit().unwrap();
    drop(w);
    let Some(out) = pypff("print(f.get_size(), f.get_encryption_type())", &p) else { return };
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{text}");
    assert!(out.status.success(), "pypff refused the file: {text}");
}

mod random {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        Put { nid: u32, parent: u32, len: usize, subs: u8 },
        Delete(u32),
        Commit,
        Reopen,
    }

    fn step() -> impl Strategy<Value = Step> {
        let nid = (0u32..64).prop_map(|i| ((0x10000 + i) << 5) | 4);
        prop_oneof![
            6 => (nid.clone(), 0u32..3, prop_oneof![0usize..200, 0usize..40_000], 0u8..5)
                .prop_map(|(nid, p, len, subs)| Step::Put { nid, parent: 0x122 + p * 32, len, subs }),
            3 => nid.prop_map(Step::Delete),
            2 => Just(Step::Commit),
            1 => Just(Step::Reopen),
        ]
    }

    /// A small file with trees of two levels, as bytes (made once).
    fn sample_file() -> Vec<u8> {
        static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BYTES.get_or_init(make_sample_file).clone()
    }

    fn make_sample_file() -> Vec<u8> {
        let d = TempDir::new("sample");
        let p = d.file("a.pst");
        let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
        for i in 0..40u32 {
            let nid = ((0x10001 + i) << 5) | 4;
            w.put_node(nid, 0x122, &content_for(nid, (i as usize * 1777) % 20_000, (i % 3) as u8)).unwrap();
        }
        w.commit().unwrap();
        drop(w);
        std::fs::read(&p).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Damaged files (bytes changed anywhere in the used part, header CRCs fixed so the
        /// damage gets past them) never make the check, the writer or the repair panic.
        #[test]
        fn damaged_files_never_panic_the_writer(flips in proptest::collection::vec((0usize..0x30000, any::<u8>()), 1..12)) {
            let mut bytes = sample_file();
            for (at, v) in flips {
                let at = at % bytes.len();
                bytes[at] = v;
            }
            super::super::super::header::fix_header_crcs(&mut bytes);
            let d = TempDir::new("damaged");
            let p = d.file("a.pst");
            std::fs::write(&p, &bytes).unwrap();
            let _ = check_allocation(&p);
            if let Ok(mut w) = NdbWriter::open(&p) {
                let _ = w.put_node(0x21, 0, &NodeContent::raw(b"x"));
                let _ = w.delete_node(((0x10001 + 3) << 5) | 4);
                let _ = w.commit();
            }
            let _ = repair(&p);
            let _ = check_allocation(&p);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Random puts, deletes, commits and reopens agree with a map after every commit and
        /// reopen, read by the reader; the allocation check stays clean.
        #[test]
        fn random_sessions_agree_with_a_model(steps in proptest::collection::vec(step(), 1..60)) {
            let d = TempDir::new("prop");
            let p = d.file("a.pst");
            let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
            let (mut committed, mut pending) = (Model::new(), Model::new());
            for s in steps {
                match s {
                    Step::Put { nid, parent, len, subs } => {
                        let c = content_for(nid, len, subs);
                        w.put_node(nid, parent, &c).unwrap();
                        pending.insert(nid, (parent, c));
                    }
                    Step::Delete(nid) => {
                        prop_assert_eq!(w.delete_node(nid).is_ok(), pending.remove(&nid).is_some());
                    }
                    Step::Commit => {
                        w.commit().unwrap();
                        committed = pending.clone();
                        assert_file_is(&p, &committed);
                        assert_clean(&p);
                    }
                    Step::Reopen => {
                        drop(w);
                        assert_file_is(&p, &committed);
                        w = NdbWriter::open(&p).unwrap();
                        pending = committed.clone();
                    }
                }
                prop_assert_eq!(w.node_count(), pending.len());
            }
        }
    }
}

/// Small-node throughput (printed; the goal is well over 10,000 put_node/s committing every
/// 500 in a release build). Kept small so that it runs in the test suite;
/// `OXMAPI_NDBW_SPEED=N` writes N nodes.
#[test]
fn small_nodes_commit_in_batches() {
    let d = TempDir::new("speed");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let data = payload(1, 1024);
    let t = std::time::Instant::now();
    let n: u32 = std::env::var("OXMAPI_NDBW_SPEED").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    for i in 0..n {
        let nid = w.alloc_nid(0x04);
        w.put_node(nid, 0x122, &NodeContent::raw(&data)).unwrap();
        if i % 500 == 499 {
            w.commit().unwrap();
        }
    }
    w.commit().unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!("{n} put_node of 1 KB in {secs:.3} s: {:.0}/s", n as f64 / secs);
    drop(w);
    assert_eq!(read(&p).node_count(), n as usize);
    assert_clean(&p);
}

#[test]
fn a_second_writer_waits_for_the_first() {
    let d = TempDir::new("lock");
    let p = d.file("a.pst");
    let first = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let p2 = p.clone();
    let t = std::thread::spawn(move || {
        let w = NdbWriter::open(&p2);
        tx.send(w.is_ok()).unwrap();
    });
    assert!(
        rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(),
        "the second writer did not wait"
    );
    drop(first);
    assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(10)), Ok(true));
    t.join().unwrap();
}

#[test]
fn an_ansi_file_is_refused_with_the_convert_hint() {
    let src = Path::new("/work/shared/testdata/pstsdk/test_ansi.pst");
    if !src.exists() {
        println!("skipped: {} missing", src.display());
        return;
    }
    let d = TempDir::new("ansi");
    let p = d.file("a.pst");
    std::fs::copy(src, &p).unwrap();
    let err = NdbWriter::open(&p).err().expect("refused").to_string();
    assert!(err.contains("ANSI") && err.contains("oxmapi pst convert"), "{err}");
}

/// A file Outlook wrote takes new nodes and a replaced one: what was there still reads, the
/// allocation check stays clean, and libpff still opens it.
#[test]
fn an_outlook_file_takes_new_nodes() {
    let src = Path::new("/work/shared/testdata/pstsdk/sample1.pst");
    if !src.exists() {
        println!("skipped: {} missing", src.display());
        return;
    }
    let d = TempDir::new("outlook");
    let p = d.file("a.pst");
    std::fs::copy(src, &p).unwrap();
    let mut perms = std::fs::metadata(&p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&p, perms).unwrap();
    let before = read(&p);
    let old: BTreeMap<u32, NodeContent> = (0..32)
        .flat_map(|t| before.nodes_of_type(t))
        .map(|n| {
            let e = before.node(n).unwrap();
            (n, read_content(&before, e.data, e.sub))
        })
        .collect();
    assert!(old.len() > 40);
    let mut w = NdbWriter::open(&p).unwrap();
    let mut added = Model::new();
    for i in 0..400u32 {
        let nid = w.alloc_nid(0x04);
        let c = content_for(nid, (i as usize * 301) % 12_000, (i % 3) as u8);
        w.put_node(nid, 0x8022, &c).unwrap();
        added.insert(nid, (0x8022, c));
    }
    w.commit().unwrap();
    drop(w);
    let after = read(&p);
    for (n, c) in &old {
        let e = after.node(*n).unwrap();
        assert_eq!(&read_content(&after, e.data, e.sub), c, "Outlook's node {n:#x}");
    }
    for (n, (parent, c)) in &added {
        let e = after.node(*n).unwrap();
        assert_eq!((e.parent, read_content(&after, e.data, e.sub)), (*parent, sorted(c)));
    }
    assert_clean(&p);
    if let Some(out) = pypff("print(f.get_number_of_items() if hasattr(f, 'get_number_of_items') else 0)", &p)
    {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Past 128 AMap regions (32 MB) the file carries an FMap page too; PMaps every 8 regions.
#[test]
fn a_file_past_32_mb_grows_with_all_its_map_pages() {
    let d = TempDir::new("grow");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    let mut model = Model::new();
    for i in 0..5u32 {
        let c = NodeContent::raw(&payload(i, 7 << 20));
        w.put_node(((0x10001 + i) << 5) | 4, 0x122, &c).unwrap();
        model.insert(((0x10001 + i) << 5) | 4, (0x122, c));
        w.commit().unwrap();
    }
    let regions = w.amap.regions();
    drop(w);
    assert!(regions > 128, "{regions} regions");
    assert_file_is(&p, &model);
    assert_clean(&p);
    let bytes = std::fs::read(&p).unwrap();
    let at = |ib: u64| bytes[ib as usize + 496];
    use super::amap::region_base;
    assert_eq!((at(region_base(8)), at(region_base(8) + 512)), (0x84, 0x83));
    assert_eq!(at(region_base(128) + 1024), 0x82, "FMap");
    if let Some(out) = pypff("print(f.get_size())", &p) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The check notices a damaged block (one bit flipped in committed data).
#[test]
fn the_check_finds_a_block_whose_crc_is_wrong() {
    let d = TempDir::new("crc");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    w.put_node(0x24, 0x122, &NodeContent::raw(b"hello")).unwrap();
    w.commit().unwrap();
    let ib = w.reader().block_table()[0].1;
    drop(w);
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[ib as usize] ^= 1;
    std::fs::write(&p, bytes).unwrap();
    let problems = check_allocation(&p).unwrap();
    assert!(problems.iter().any(|l| l.contains("trailer")), "{problems:?}");
}

/// The check finds no damage in any Unicode PST of the test data (Outlook, Aspose, libpst,
/// pstsdk files): every page and block trailer agrees with [MS-PST] as this module computes it,
/// and the AMaps agree with the trees; leaks are all it reports.
#[test]
fn every_unicode_file_of_the_test_data_checks_without_damage() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pst")) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new("/work/shared/testdata"), &mut files);
    if files.is_empty() {
        println!("skipped: no test data under /work/shared/testdata");
        return;
    }
    let mut checked = 0;
    for f in files {
        // ANSI files and one file with a damaged header are not checked.
        let Ok(lines) = check_allocation(&f) else { continue };
        checked += 1;
        if !lines.is_empty() {
            println!("{}: {lines:?}", f.display());
        }
        assert!(lines.iter().all(|l| l.contains("(leaked)")), "{}: {lines:?}", f.display());
    }
    assert!(checked >= 20, "{checked} files checked");
}

/// The child of [`a_writer_killed_with_sigkill_keeps_every_acknowledged_commit`]: with
/// `OXMAPI_NDBW_CHILD` set to a file, it writes nodes and commits every five, printing the
/// last node id of each commit once it returned, until it is killed. Without it, nothing.
#[test]
fn sigkill_child() {
    use std::io::Write;
    let Some(path) = std::env::var_os("OXMAPI_NDBW_CHILD") else { return };
    let p = PathBuf::from(path);
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    for i in 0u32.. {
        let nid = ((0x10001 + i) << 5) | 4;
        w.put_node(nid, 0x122, &content_for(nid, 500 + (i as usize * 977) % 12_000, (i % 3) as u8)).unwrap();
        if i % 5 == 4 {
            w.commit().unwrap();
            println!("acked {i}");
            std::io::stdout().flush().unwrap();
        }
    }
}

/// A real crash: a writer process killed with SIGKILL at an arbitrary moment leaves a file
/// the reader opens with every node whose commit returned, that the writer reopens, and whose
/// allocation is clean after `repair`.
#[test]
fn a_writer_killed_with_sigkill_keeps_every_acknowledged_commit() {
    use std::io::BufRead;
    let d = TempDir::new("sigkill");
    for (round, wait_ms) in [(0, 150u64), (1, 400), (2, 900)] {
        let p = d.file(&format!("k{round}.pst"));
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["pst::write::ndb_tests::sigkill_child", "--exact", "--nocapture", "--test-threads=1"])
            .env("OXMAPI_NDBW_CHILD", &p)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("acked ") {
                    last = n.trim().parse::<u32>().ok();
                }
            }
            last
        });
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        let Some(last) = acked else {
            println!("round {round}: nothing acknowledged before the kill");
            continue;
        };
        let ndb = read(&p);
        for i in 0..=last {
            let nid = ((0x10001 + i) << 5) | 4;
            let e = ndb.node(nid).unwrap_or_else(|| panic!("round {round}: acknowledged node {nid:#x} lost"));
            let want = content_for(nid, 500 + (i as usize * 977) % 12_000, (i % 3) as u8);
            assert_eq!(read_content(&ndb, e.data, e.sub), sorted(&want));
        }
        drop(ndb);
        repair(&p).unwrap();
        assert_clean(&p);
        let mut w = NdbWriter::open(&p).unwrap();
        w.put_node(0x21, 0, &NodeContent::raw(b"after")).unwrap();
        w.commit().unwrap();
        drop(w);
        assert_clean(&p);
        println!("round {round}: {} commits acknowledged, all kept", last / 5 + 1);
    }
}

/// A header claiming a file of a petabyte: the writer neither maps nor grows such a file, and
/// the check reports the claim.
#[test]
fn a_header_claiming_a_huge_file_does_not_make_one() {
    let d = TempDir::new("huge");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    w.put_node(0x24, 0x122, &NodeContent::raw(b"x")).unwrap();
    w.commit().unwrap();
    drop(w);
    let mut bytes = std::fs::read(&p).unwrap();
    let size = bytes.len() as u64;
    bytes[184..192].copy_from_slice(&(1u64 << 50).to_le_bytes()); // ROOT.ibFileEof
    super::super::header::fix_header_crcs(&mut bytes);
    std::fs::write(&p, &bytes).unwrap();
    let problems = check_allocation(&p).unwrap();
    assert!(problems.iter().any(|l| l.contains("the header says")), "{problems:?}");
    let mut w = NdbWriter::open(&p).unwrap();
    w.put_node(0x44, 0x122, &NodeContent::raw(b"y")).unwrap();
    w.commit().unwrap();
    drop(w);
    assert_eq!(std::fs::metadata(&p).unwrap().len(), size);
    assert_clean(&p);
    assert_eq!(read(&p).node_count(), 2);
}

/// A block no node references (a leak the refcounts should never make) is reported as one.
#[test]
fn the_check_reports_a_block_no_node_references() {
    let d = TempDir::new("orphan");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    w.put_node(0x24, 0x122, &NodeContent::raw(b"kept")).unwrap();
    w.write_block(b"nobody's", false).unwrap();
    w.commit().unwrap();
    drop(w);
    let problems = check_allocation(&p).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("1 block (64 bytes)") && problems[0].ends_with("(leaked)"),
        "{problems:?}"
    );
}

/// A header whose `bidNextB` lags the ids in use (another writer's slip): new blocks still
/// get fresh ids, so none replaces an old block.
#[test]
fn a_lagging_bid_counter_does_not_reuse_block_ids() {
    let d = TempDir::new("bids");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let mut model = Model::new();
    for i in 0..20u32 {
        let c = content_for(i, 3000 + i as usize * 500, 2);
        w.put_node(((0x10001 + i) << 5) | 4, 0x122, &c).unwrap();
        model.insert(((0x10001 + i) << 5) | 4, (0x122, c));
    }
    w.commit().unwrap();
    drop(w);
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[516..524].copy_from_slice(&4u64.to_le_bytes()); // bidNextB
    bytes[32..40].copy_from_slice(&1u64.to_le_bytes()); // bidNextP
    super::super::header::fix_header_crcs(&mut bytes);
    std::fs::write(&p, &bytes).unwrap();
    let mut w = NdbWriter::open(&p).unwrap();
    for i in 20..40u32 {
        let c = content_for(i, 3000, 1);
        w.put_node(((0x10001 + i) << 5) | 4, 0x122, &c).unwrap();
        model.insert(((0x10001 + i) << 5) | 4, (0x122, c));
    }
    w.commit().unwrap();
    drop(w);
    assert_file_is(&p, &model);
    assert_clean(&p);
}

/// A transaction dropped without commit leaves the file as clean as its last commit (the
/// allocation check has nothing to say, not even an invalid AMap).
#[test]
fn an_abandoned_transaction_leaves_a_valid_file() {
    let d = TempDir::new("abandon");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let mut model = Model::new();
    for i in 0..30u32 {
        let c = content_for(i, 2000 + i as usize * 300, 1);
        w.put_node(((0x10001 + i) << 5) | 4, 0x122, &c).unwrap();
        model.insert(((0x10001 + i) << 5) | 4, (0x122, c));
    }
    w.commit().unwrap();
    for i in 30..3000u32 {
        w.put_node(((0x10001 + i) << 5) | 4, 0x122, &content_for(i, 3000, 1)).unwrap();
    }
    w.delete_node((0x10001 << 5) | 4).unwrap();
    drop(w);
    assert_clean(&p);
    assert_file_is(&p, &model);
    let mut w = NdbWriter::open(&p).unwrap();
    w.put_node(0x21, 0, &NodeContent::raw(b"later")).unwrap();
    w.commit().unwrap();
    drop(w);
    model.insert(0x21, (0, NodeContent::raw(b"later")));
    assert_file_is(&p, &model);
    assert_clean(&p);
}

/// A node rewritten with most of its blocks unchanged shares them with its old version (each
/// keeps one more reference while both exist): the file grows by the blocks that changed;
/// two nodes with the same bytes share their blocks, and deleting one leaves the other whole.
#[test]
fn identical_blocks_are_shared_and_outlive_the_node_that_wrote_them() {
    let d = TempDir::new("dedup");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::Permute).unwrap();
    let big = payload(0x7, 40 * super::MAX_BLOCK_DATA);
    let (a, b) = (0x200024u32, 0x200044u32);
    w.put_node(a, 0x122, &NodeContent::raw(&big)).unwrap();
    w.commit().unwrap();
    let before = std::fs::metadata(&p).unwrap().len();
    let blocks_before = w.bbt.entries().len();
    // The last block changed: one new data block (and a new XBLOCK), the rest shared.
    let mut changed = big.clone();
    *changed.last_mut().unwrap() ^= 0xFF;
    w.put_node(a, 0x122, &NodeContent::raw(&changed)).unwrap();
    w.commit().unwrap();
    assert_eq!(w.bbt.entries().len(), blocks_before, "one data block and the XBLOCK replaced");
    let grown = std::fs::metadata(&p).unwrap().len() - before;
    assert!(grown < 3 * super::MAX_BLOCK_DATA as u64, "the file grew by {grown} bytes");
    // A second node with the same bytes shares every data block.
    w.put_node(b, 0x122, &NodeContent::raw(&changed)).unwrap();
    w.commit().unwrap();
    assert_eq!(w.bbt.entries().len(), blocks_before + 1, "only b's XBLOCK is new");
    assert!(w.bbt.entries().iter().any(|e| e.cref > super::alloc::CREF_ONE));
    w.delete_node(a).unwrap();
    w.commit().unwrap();
    drop(w);
    let mut model = Model::new();
    model.insert(b, (0x122, NodeContent::raw(&changed)));
    assert_file_is(&p, &model);
    assert_clean(&p);
}

/// Blocks are never shared within one node: a node of repeated bytes is written block by
/// block, so it never reads as more data than the file holds (which readers refuse).
#[test]
fn a_node_of_repeated_blocks_is_not_folded_into_one() {
    let d = TempDir::new("dedup-one");
    let p = d.file("a.pst");
    let mut w = NdbWriter::create(&p, CryptMethod::None).unwrap();
    let zeros = vec![0u8; 300 * super::MAX_BLOCK_DATA];
    w.put_node(0x200024, 0x122, &NodeContent::raw(&zeros)).unwrap();
    w.commit().unwrap();
    drop(w);
    assert!(std::fs::metadata(&p).unwrap().len() > zeros.len() as u64);
    let mut model = Model::new();
    model.insert(0x200024, (0x122, NodeContent::raw(&zeros)));
    assert_file_is(&p, &model);
    assert_clean(&p);
}
