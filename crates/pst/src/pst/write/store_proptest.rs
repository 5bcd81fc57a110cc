//! Random sequences of folder and message operations applied to a PST through [`PstWriter`]
//! and to an in-memory model agree after every commit and reopen: the reader sees the
//! model's folder tree (names, parents), each folder's messages (subjects, attachment bytes)
//! and its counts; every file passes the allocation check.

use std::collections::BTreeMap;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_DISPLAY_NAME, PR_SUBJECT};
use oxmapi_core::value::PropValue;
use proptest::prelude::*;

use super::PstWriter;
use super::testkit::{file_attachment, simple_message, temp_path};
use crate::pst::PstFile;
use crate::pst::crypt::CryptMethod;

/// One operation; indexes pick among the model's folders and messages (modulo their count).
#[derive(Clone, Debug)]
enum Op {
    CreateFolder(usize),
    Rename(usize, u8),
    MoveFolder(usize, usize),
    DeleteFolder(usize),
    AddMessage(usize, u16),
    DeleteMessage(usize),
    MoveMessage(usize, usize),
    Commit,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<usize>().prop_map(Op::CreateFolder),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::MoveFolder(a, b)),
        1 => any::<usize>().prop_map(Op::DeleteFolder),
        5 => (any::<usize>(), 0u16..12_000).prop_map(|(a, n)| Op::AddMessage(a, n)),
        2 => any::<usize>().prop_map(Op::DeleteMessage),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::MoveMessage(a, b)),
        1 => Just(Op::Commit),
        1 => Just(Op::Reopen),
    ]
}

/// The model: folders (nid → name, parent) and messages (nid → folder, subject, attachment).
#[derive(Clone, Default)]
struct Model {
    folders: BTreeMap<u32, (String, u32)>,
    messages: BTreeMap<u32, (u32, String, Vec<u8>)>,
}

impl Model {
    fn pick_folder(&self, i: usize) -> u32 {
        *self.folders.keys().nth(i % self.folders.len()).unwrap()
    }
    fn within(&self, mut nid: u32, ancestor: u32) -> bool {
        loop {
            if nid == ancestor {
                return true;
            }
            match self.folders.get(&nid) {
                Some((_, p)) if *p != nid => nid = *p,
                _ => return false,
            }
        }
    }
    fn delete_folder(&mut self, nid: u32) {
        let children: Vec<u32> =
            self.folders.iter().filter(|(_, (_, p))| *p == nid).map(|(n, _)| *n).collect();
        for c in children {
            self.delete_folder(c);
        }
        self.folders.remove(&nid);
        self.messages.retain(|_, (f, ..)| *f != nid);
    }
}

fn apply(w: &mut PstWriter, m: &mut Model, op: &Op, n: &mut usize) {
    let special = [w.ipm_subtree(), w.deleted_items().unwrap()];
    match *op {
        Op::CreateFolder(p) => {
            let parent = m.pick_folder(p);
            *n += 1;
            let name = format!("f{n}");
            let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.clone()));
            let nid = w.create_folder(parent, &props).unwrap();
            m.folders.insert(nid, (name, parent));
        }
        Op::Rename(f, k) => {
            let nid = m.pick_folder(f);
            let name = format!("renamed {k}");
            let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.clone()));
            w.set_folder_props(nid, &props).unwrap();
            m.folders.get_mut(&nid).unwrap().0 = name;
        }
        Op::MoveFolder(f, t) => {
            let (nid, to) = (m.pick_folder(f), m.pick_folder(t));
            let r = w.move_folder(nid, to);
            if special.contains(&nid) || m.within(to, nid) {
                assert!(r.is_err(), "moving {nid:#x} under {to:#x} must be refused");
            } else {
                r.unwrap();
                m.folders.get_mut(&nid).unwrap().1 = to;
            }
        }
        Op::DeleteFolder(f) => {
            let nid = m.pick_folder(f);
            let r = w.delete_folder(nid);
            if special.contains(&nid) {
                assert!(r.is_err());
            } else {
                r.unwrap();
                m.delete_folder(nid);
            }
        }
        Op::AddMessage(f, size) => {
            let folder = m.pick_folder(f);
            *n += 1;
            let subject = format!("m{n}");
            let data: Vec<u8> = (0..size as u32).map(|i| (i * 31 + *n as u32) as u8).collect();
            let mut msg = simple_message(&subject, "body", "t@example.test");
            msg.item.attachments.push(file_attachment("a.bin", data.clone()));
            let nid = w.add_message(folder, &msg, false).unwrap();
            m.messages.insert(nid, (folder, subject, data));
        }
        Op::DeleteMessage(i) if !m.messages.is_empty() => {
            let nid = *m.messages.keys().nth(i % m.messages.len()).unwrap();
            w.delete_message(nid).unwrap();
            m.messages.remove(&nid);
        }
        Op::MoveMessage(i, t) if !m.messages.is_empty() => {
            let nid = *m.messages.keys().nth(i % m.messages.len()).unwrap();
            let to = m.pick_folder(t);
            w.move_message(nid, to).unwrap();
            m.messages.get_mut(&nid).unwrap().0 = to;
        }
        Op::Commit => w.commit().unwrap(),
        _ => {}
    }
}

/// The reader's view equals the model's.
/// With `committed_cleanly`, the allocation map is checked too (a writer dropped in the middle
/// of a transaction leaves fAMapValid 0, to be rebuilt by the next writer, [MS-PST] 2.6.1).
fn check(path: &std::path::Path, m: &Model, committed_cleanly: bool) {
    let pst = PstFile::open(path).unwrap();
    let (folders, skipped) = pst.folders();
    assert!(skipped.iter().all(|s| !s.damaged), "{skipped:?}");
    let seen: BTreeMap<u32, (String, u32)> = folders
        .iter()
        .filter(|f| m.folders.contains_key(&f.nid))
        .map(|f| (f.nid, (f.name.clone(), f.parent)))
        .collect();
    assert_eq!(&seen, &m.folders);
    for f in &folders {
        let rows = pst.contents(f.nid).unwrap();
        let mut got: Vec<(u32, String, Vec<u8>)> = Vec::new();
        for r in &rows {
            let msg = pst.message(r.id).unwrap();
            let subject = match msg.item.props.get(PR_SUBJECT) {
                Some(PropValue::Unicode(s)) => s.clone(),
                other => panic!("subject {other:?}"),
            };
            let data = match msg.item.attachments.first().and_then(|a| a.props.get(PR_ATTACH_DATA_BIN)) {
                Some(PropValue::Binary(b)) => b.clone(),
                other => panic!("attachment {other:?}"),
            };
            got.push((r.id, subject, data));
        }
        got.sort();
        let want: Vec<(u32, String, Vec<u8>)> = m
            .messages
            .iter()
            .filter(|(_, (folder, ..))| *folder == f.nid)
            .map(|(nid, (_, s, d))| (*nid, s.clone(), d.clone()))
            .collect();
        assert_eq!(got, want, "folder {:#x}", f.nid);
        assert_eq!(f.content_count, Some(want.len() as i32));
    }
    if committed_cleanly {
        assert_eq!(super::check_allocation(path).unwrap(), Vec::<String>::new());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_folder_and_message_operations_agree_with_a_model_after_every_reopen(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let p = temp_path("prop.pst");
        let mut w = PstWriter::create(&p.0, CryptMethod::Permute, "Prop").unwrap();
        let mut committed = Model::default();
        committed.folders.insert(w.ipm_subtree(), ("Top of Personal Folders".into(), crate::pst::NID_ROOT_FOLDER));
        committed.folders.insert(w.deleted_items().unwrap(), ("Deleted Items".into(), w.ipm_subtree()));
        let mut model = committed.clone();
        let mut n = 0;
        for op in &ops {
            match op {
                Op::Reopen => {
                    w.commit().unwrap();
                    drop(w);
                    check(&p.0, &model, true);
                    w = PstWriter::open(&p.0).unwrap();
                    committed = model.clone();
                }
                op => apply(&mut w, &mut model, op, &mut n),
            }
        }
        // Dropped without a commit: the file holds the last commit.
        let last = if ops.iter().rev().take_while(|o| !matches!(o, Op::Reopen)).any(|o| matches!(o, Op::Commit)) {
            None
        } else {
            Some(committed)
        };
        drop(w);
        if let Some(c) = last {
            check(&p.0, &c, false);
            // The next writer rebuilds the allocation map and commits a clean file.
            let mut w = PstWriter::open(&p.0).unwrap();
            w.commit().unwrap();
            drop(w);
            assert_eq!(super::check_allocation(&p.0).unwrap(), Vec::<String>::new());
            check(&p.0, &c, true);
        }
    }
}
