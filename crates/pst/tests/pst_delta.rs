//! A reader that follows a writer's commits by their B-tree deltas (`PstWriter::take_delta`,
//! `PstFile::apply`: how the client's PST store keeps up with its own and other sessions'
//! changes without reading the whole file's B-trees after every commit) reads exactly what a
//! reader opened afresh on the committed file reads: the same blocks, nodes, folder tree,
//! contents, store properties and named properties, after every commit of random changes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_METHOD, PR_DISPLAY_NAME, PR_MESSAGE_CLASS, PR_SUBJECT,
};
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::named::PropertyName;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Item, Message};
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::{NID_ROOT_FOLDER, PstFile};
use proptest::prelude::*;

/// One change; indexes pick among the folders and messages written so far.
#[derive(Clone, Debug)]
enum Op {
    Folder(usize),
    Rename(usize, u8),
    DeleteFolder(usize),
    Message(usize, u16, bool),
    DeleteMessage(usize),
    MoveMessage(usize, usize),
    Commit,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<usize>().prop_map(Op::Folder),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => any::<usize>().prop_map(Op::DeleteFolder),
        5 => (any::<usize>(), 0u16..20_000, any::<bool>()).prop_map(|(a, n, named)| Op::Message(a, n, named)),
        2 => any::<usize>().prop_map(Op::DeleteMessage),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::MoveMessage(a, b)),
        2 => Just(Op::Commit),
    ]
}

struct Temp(PathBuf);
impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn message(subject: String, attachment: u16, named: bool) -> Message {
    let mut props = PropBag::new()
        .with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()))
        .with(PR_SUBJECT, PropValue::Unicode(subject.clone()));
    let mut names = BTreeMap::new();
    if named {
        // A new name each time: the name-to-id map grows, and the follower must read it again.
        names.insert(0x8000, PropertyName::string(PS_PUBLIC_STRINGS, format!("n-{subject}")));
        props.set(oxmapi_core::tag::PropTag(0x8000_001F), PropValue::Unicode("v".into()));
    }
    let attachments = (attachment > 0)
        .then(|| Attachment {
            props: PropBag::new()
                .with(PR_ATTACH_METHOD, PropValue::I32(1))
                .with(PR_ATTACH_DATA_BIN, PropValue::Binary(vec![attachment as u8; attachment as usize])),
            ..Attachment::default()
        })
        .into_iter()
        .collect();
    Message { item: Item { props, recipients: Vec::new(), attachments }, names }
}

/// Everything a reader shows that a delta must keep right.
fn snapshot(f: &PstFile) -> String {
    let mut blocks = f.block_table();
    blocks.sort();
    let mut out = format!("{:?}\n{:?}\n{:?}\n", f.btree_counts(), blocks, f.size());
    out += &format!("{:?}\n{:?}\n", f.store_props(), f.named_properties());
    let mut stack = vec![NID_ROOT_FOLDER];
    while let Some(nid) = stack.pop() {
        out += &format!("{nid:#x} {:?} {:?}\n", f.node_entry(nid), f.folder_props(nid).ok());
        for r in f.contents(nid).unwrap_or_default() {
            out += &format!("  {:#x} {:?} {:?}\n", r.id, f.node_entry(r.id), f.message_props(r.id).ok());
        }
        stack.extend(f.hierarchy(nid).unwrap_or_default().iter().map(|r| r.id));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_reader_following_deltas_reads_what_a_fresh_reader_reads(ops in proptest::collection::vec(op(), 1..40)) {
        let path = Temp(std::env::temp_dir().join(format!("oxmapi-delta-{}-{}.pst", std::process::id(),
            rand_suffix())));
        let mut w = PstWriter::create(&path.0, CryptMethod::Permute, "delta").unwrap();
        w.commit().unwrap();
        w.record_changes();
        let mut follower = PstFile::open(&path.0).unwrap();
        let mut folders = vec![w.ipm_subtree()];
        let mut messages: Vec<u32> = Vec::new();
        let mut n = 0u32;
        let mut ops = ops;
        ops.push(Op::Commit);
        for op in ops {
            n += 1;
            match op {
                Op::Folder(i) => {
                    let parent = folders[i % folders.len()];
                    let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(format!("f{n}")));
                    folders.push(w.create_folder(parent, &props).unwrap());
                }
                Op::Rename(i, b) if folders.len() > 1 => {
                    let f = folders[1 + i % (folders.len() - 1)];
                    let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(format!("r{b}")));
                    w.set_folder_props(f, &props).unwrap();
                }
                Op::DeleteFolder(i) if folders.len() > 1 => {
                    let f = folders.remove(1 + i % (folders.len() - 1));
                    w.delete_folder(f).unwrap();
                    // Its subfolders and messages went with it.
                    folders.retain(|x| w.ndb().node(*x).is_some());
                    messages.retain(|x| w.ndb().node(*x).is_some());
                }
                Op::Message(i, size, named) => {
                    let f = folders[i % folders.len()];
                    messages.push(w.add_message(f, &message(format!("m{n}"), size, named), false).unwrap());
                }
                Op::DeleteMessage(i) if !messages.is_empty() => {
                    let m = messages.remove(i % messages.len());
                    w.delete_message(m).unwrap();
                }
                Op::MoveMessage(i, j) if !messages.is_empty() => {
                    let m = messages[i % messages.len()];
                    w.move_message(m, folders[j % folders.len()]).unwrap();
                }
                Op::Commit => {
                    w.commit().unwrap();
                    let delta = w.take_delta().expect("changes are recorded");
                    follower.apply(&delta).unwrap();
                    let fresh = PstFile::open(&path.0).unwrap();
                    prop_assert_eq!(snapshot(&follower), snapshot(&fresh));
                }
                _ => {}
            }
        }
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn a_writer_that_records_nothing_gives_no_delta() {
    let path = Temp(std::env::temp_dir().join(format!("oxmapi-delta-none-{}.pst", std::process::id())));
    let mut w = PstWriter::create(&path.0, CryptMethod::None, "none").unwrap();
    w.commit().unwrap();
    assert!(w.take_delta().is_none());
    w.record_changes();
    let f = w.ipm_subtree();
    w.add_message(f, &message("one".into(), 10, false), false).unwrap();
    w.commit().unwrap();
    let d = w.take_delta().unwrap();
    assert!(!d.is_empty());
    // Taken once: the next delta holds only what came after.
    w.commit().unwrap();
    assert!(w.take_delta().unwrap().is_empty());
}
