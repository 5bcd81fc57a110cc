//! Random sequences of folder and message operations applied to a PST through [`PstWriter`]
//! and to an in-memory model agree after every commit and reopen: the reader sees the
//! model's folder tree (names, parents), each folder's messages (subjects, attachment bytes)
//! and its counts; every file passes the allocation check. Messages are small ones or, for
//! every third attachment size, rich ones (see [`item_message`]).
//!
//! With `OXMAPI_PST_PROPTEST_KEEP=DIR` set, the test runs a fixed number of cases
//! (`OXMAPI_PST_PROPTEST_CASES`, default [`KEPT_CASES`]) from a fixed seed and keeps each case's
//! final file as `DIR/case-N.pst`, with what it must hold as `DIR/case-N.json`: the model's
//! inventory in the shape `scripts/pst-peers --expect` takes (a bare inventory, as the
//! `pst_inventory` example prints it). `scripts/test-pst-peers.sh` runs every peer reader on
//! them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_BODY, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_MESSAGE_CLASS,
    PR_SENDER_EMAIL_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::value::PropValue;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::PstWriter;
use super::testkit::{file_attachment, rich_message, simple_message, temp_path};
use crate::item::{Item, Message};
use crate::pst::crypt::CryptMethod;
use crate::pst::{NID_ROOT_FOLDER, PstError, PstFile};

/// Where kept files go (unset: nothing is kept).
const KEEP_ENV: &str = "OXMAPI_PST_PROPTEST_KEEP";
/// How many cases run when files are kept (a number; default [`KEPT_CASES`]).
const CASES_ENV: &str = "OXMAPI_PST_PROPTEST_CASES";
/// Cases run when files are kept and [`CASES_ENV`] is unset: few, since every kept file is
/// then read by five readers.
const KEPT_CASES: u32 = 24;
/// The seed of a run that keeps its files, so the same files are written every time.
const KEPT_SEED: u64 = 0x0019_5EED;
/// Cases of an ordinary run (random seed).
const CASES: u32 = 32;

/// The first attachment of every message the model adds: the bytes the model keeps.
const ITEM_ATTACHMENT: &str = "a.bin";

/// The message the model's item (`subject`, `data`) is written as: the data as the first
/// attachment, and either a small message (a body, one recipient) or, for every third size, a
/// rich one (recipients of every kind, a 20 KB attachment, an embedded message with its own
/// attachment, an OLE storage, named properties: [`rich_message`]).
fn item_message(subject: &str, data: &[u8]) -> Message {
    let mut msg = if data.len() % 3 == 1 {
        let mut m = rich_message(subject);
        m.item.props.set(PR_SUBJECT, PropValue::Unicode(subject.into()));
        m
    } else {
        simple_message(subject, "body", "t@example.test")
    };
    msg.item.attachments.insert(0, file_attachment(ITEM_ATTACHMENT, data.to_vec()));
    msg
}

/// One operation; indexes pick among the model's folders and messages (modulo their count).
#[derive(Clone, Debug)]
pub(super) enum Op {
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

pub(super) fn op() -> impl Strategy<Value = Op> {
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Model {
    pub(super) folders: BTreeMap<u32, (String, u32)>,
    pub(super) messages: BTreeMap<u32, (u32, String, Vec<u8>)>,
}

impl Model {
    /// A new store's model: the IPM subtree and Deleted Items (the folders operations may
    /// pick; the root, the search root and the spam search folder are left alone).
    pub(super) fn of_new_store(w: &PstWriter) -> Model {
        let mut m = Model::default();
        m.folders.insert(w.ipm_subtree(), ("Top of Personal Folders".into(), NID_ROOT_FOLDER));
        m.folders.insert(w.deleted_items().unwrap(), ("Deleted Items".into(), w.ipm_subtree()));
        m
    }
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
    /// The folder's names from the root's child down (the reader's `FolderInfo::path`).
    fn path(&self, mut nid: u32) -> Vec<String> {
        let mut path = Vec::new();
        while let Some((name, parent)) = self.folders.get(&nid) {
            path.push(name.clone());
            nid = *parent;
        }
        path.reverse();
        path
    }
}

/// Applies `op` to the writer and, when the writer did it, to the model. Refusals the model
/// predicts (moving a folder under itself, deleting a special folder) are checked and are
/// `Ok`; any other error is returned (a crash test's cut write), the model unchanged.
pub(super) fn apply(w: &mut PstWriter, m: &mut Model, op: &Op, n: &mut usize) -> Result<(), PstError> {
    let special = [w.ipm_subtree(), w.deleted_items().unwrap()];
    match *op {
        Op::CreateFolder(p) => {
            let parent = m.pick_folder(p);
            *n += 1;
            let name = format!("f{n}");
            let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.clone()));
            let nid = w.create_folder(parent, &props)?;
            m.folders.insert(nid, (name, parent));
        }
        Op::Rename(f, k) => {
            let nid = m.pick_folder(f);
            let name = format!("renamed {k}");
            let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.clone()));
            w.set_folder_props(nid, &props)?;
            m.folders.get_mut(&nid).unwrap().0 = name;
        }
        Op::MoveFolder(f, t) => {
            let (nid, to) = (m.pick_folder(f), m.pick_folder(t));
            if special.contains(&nid) || m.within(to, nid) {
                assert!(w.move_folder(nid, to).is_err(), "moving {nid:#x} under {to:#x} must be refused");
            } else {
                w.move_folder(nid, to)?;
                m.folders.get_mut(&nid).unwrap().1 = to;
            }
        }
        Op::DeleteFolder(f) => {
            let nid = m.pick_folder(f);
            if special.contains(&nid) {
                assert!(w.delete_folder(nid).is_err());
            } else {
                w.delete_folder(nid)?;
                m.delete_folder(nid);
            }
        }
        Op::AddMessage(f, size) => {
            let folder = m.pick_folder(f);
            *n += 1;
            let subject = format!("m{n}");
            let data: Vec<u8> = (0..size as u32).map(|i| (i * 31 + *n as u32) as u8).collect();
            let nid = w.add_message(folder, &item_message(&subject, &data), false)?;
            m.messages.insert(nid, (folder, subject, data));
        }
        Op::DeleteMessage(i) if !m.messages.is_empty() => {
            let nid = *m.messages.keys().nth(i % m.messages.len()).unwrap();
            w.delete_message(nid)?;
            m.messages.remove(&nid);
        }
        Op::MoveMessage(i, t) if !m.messages.is_empty() => {
            let nid = *m.messages.keys().nth(i % m.messages.len()).unwrap();
            let to = m.pick_folder(t);
            w.move_message(nid, to)?;
            m.messages.get_mut(&nid).unwrap().0 = to;
        }
        Op::Commit => w.commit()?,
        _ => {}
    }
    Ok(())
}

/// What the reader sees, in the model's terms: the folders the model knows (`like`'s) or that
/// are not among the new store's fixed ones (the root, the search root), and every message of
/// every folder. Each folder's PR_CONTENT_COUNT must equal its contents table's rows.
pub(super) fn observed(path: &Path, like: &Model) -> Result<Model, String> {
    let pst = PstFile::open(path).map_err(|e| format!("open: {e}"))?;
    let (folders, skipped) = pst.folders();
    if let Some(s) = skipped.iter().find(|s| s.damaged) {
        return Err(format!("damaged folder {s:?}"));
    }
    let mut seen = Model::default();
    for f in &folders {
        if like.folders.contains_key(&f.nid) || f.path.len() > 1 {
            seen.folders.insert(f.nid, (f.name.clone(), f.parent));
        }
        let rows = pst.contents(f.nid).map_err(|e| format!("contents of {:#x}: {e}", f.nid))?;
        if f.content_count != Some(rows.len() as i32) {
            return Err(format!(
                "folder {:#x}: PR_CONTENT_COUNT {:?}, {} rows",
                f.nid,
                f.content_count,
                rows.len()
            ));
        }
        for r in &rows {
            let msg = pst.message(r.id).map_err(|e| format!("message {:#x}: {e}", r.id))?;
            let subject = match msg.item.props.get(PR_SUBJECT) {
                Some(PropValue::Unicode(s)) => s.clone(),
                other => return Err(format!("message {:#x}: subject {other:?}", r.id)),
            };
            let data = match msg.item.attachments.first().and_then(|a| a.props.get(PR_ATTACH_DATA_BIN)) {
                Some(PropValue::Binary(b)) => b.clone(),
                other => return Err(format!("message {:#x}: attachment {other:?}", r.id)),
            };
            seen.messages.insert(r.id, (f.nid, subject, data));
        }
    }
    Ok(seen)
}

/// What `check_allocation` finds wrong with the file (nothing, for a clean one).
pub(super) fn allocation_problems(path: &Path) -> Vec<String> {
    super::check_allocation(path).unwrap().lines()
}

/// The reader's view equals the model's.
/// With `committed_cleanly`, the allocation map is checked too (a writer dropped in the middle
/// of a transaction leaves fAMapValid 0, to be rebuilt by the next writer, [MS-PST] 2.6.1).
fn check(path: &Path, m: &Model, committed_cleanly: bool) {
    assert_eq!(&observed(path, m).unwrap(), m);
    if committed_cleanly {
        assert_eq!(allocation_problems(path), Vec::<String>::new());
    }
}

/// The new store's folders the model leaves out (the root, the search root: nid → path) and
/// its search folder count, as the reader sees a fresh file.
struct Fixed {
    folders: Vec<(u32, Vec<String>)>,
    search_folders: usize,
}

impl Fixed {
    fn of_new_store() -> Fixed {
        let p = temp_path("fixed.pst");
        let w = PstWriter::create(&p.0, CryptMethod::Permute, "Prop").unwrap();
        let model = Model::of_new_store(&w);
        drop(w);
        let pst = PstFile::open(&p.0).unwrap();
        let (folders, skipped) = pst.folders();
        Fixed {
            folders: folders
                .iter()
                .filter(|f| !model.folders.contains_key(&f.nid))
                .map(|f| (f.nid, f.path.clone()))
                .collect(),
            search_folders: skipped.iter().filter(|s| !s.damaged).count(),
        }
    }
}

/// The model as a bare inventory (the `pst_inventory` example's shape, what
/// `scripts/pst-peers --expect` takes): every folder's path and item count, and each item as
/// [`apply`] wrote it.
fn inventory(m: &Model, w_ipm: u32, fixed: &Fixed) -> Value {
    let count = |nid: u32| m.messages.values().filter(|(f, ..)| *f == nid).count();
    let mut folders: Vec<Value> =
        fixed.folders.iter().map(|(nid, p)| json!({"path": p, "items": count(*nid)})).collect();
    folders.extend(m.folders.keys().map(|nid| json!({"path": m.path(*nid), "items": count(*nid)})));
    let items: Vec<Value> = m
        .messages
        .values()
        .map(|(folder, subject, data)| expected_item(&item_message(subject, data).item, &m.path(*folder)))
        .collect();
    json!({
        "reader": "oxmapi",
        "ipm_subtree": m.path(w_ipm),
        "folders": folders,
        "search_folders": fixed.search_folders,
        "items": items,
        "errors": [],
    })
}

/// An item written, as the `pst_inventory` example prints an item read (the raw properties;
/// an embedded message by its own inventory, an OLE attachment by its storage's bytes).
fn expected_item(item: &Item, folder: &[String]) -> Value {
    let text = |bag: &PropBag, tag| match bag.get(tag) {
        Some(PropValue::Unicode(s)) => Value::String(s.clone()),
        _ => Value::Null,
    };
    let sha = |data: &[u8]| -> String { Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect() };
    let attachments: Vec<Value> = item
        .attachments
        .iter()
        .map(|a| match (&a.embedded, &a.storage, a.props.get(PR_ATTACH_DATA_BIN)) {
            (Some(e), ..) => json!({"embedded": expected_item(e, &[])}),
            (None, Some(s), _) => json!({"sha256": sha(s), "ole": true}),
            (None, None, Some(PropValue::Binary(b))) => json!({"sha256": sha(b), "ole": false}),
            _ => json!({"sha256": sha(&[]), "ole": false}),
        })
        .collect();
    json!({
        "folder": folder,
        "class": text(&item.props, PR_MESSAGE_CLASS),
        "subject": text(&item.props, PR_SUBJECT),
        "sender": text(&item.props, PR_SENDER_EMAIL_ADDRESS),
        "recipients": item.recipients.iter().map(|r| text(r, PR_EMAIL_ADDRESS)).collect::<Vec<_>>(),
        "body": text(&item.props, PR_BODY),
        "attachments": attachments,
    })
}

/// With [`KEEP_ENV`] set: copies the case's final file there and writes the model's inventory
/// beside it.
fn keep(path: &Path, m: &Model, ipm: u32) {
    static CASE: AtomicUsize = AtomicUsize::new(0);
    let Some(dir) = std::env::var_os(KEEP_ENV) else { return };
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    let n = CASE.fetch_add(1, Ordering::Relaxed);
    std::fs::copy(path, dir.join(format!("case-{n}.pst"))).unwrap();
    let doc = inventory(m, ipm, &Fixed::of_new_store());
    std::fs::write(dir.join(format!("case-{n}.json")), serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

/// The run's configuration: [`CASES`] random ones, or, keeping files, a fixed seed and count.
fn config() -> ProptestConfig {
    if std::env::var_os(KEEP_ENV).is_none() {
        return ProptestConfig { cases: CASES, ..ProptestConfig::default() };
    }
    let cases = std::env::var(CASES_ENV).ok().and_then(|v| v.parse().ok()).unwrap_or(KEPT_CASES);
    ProptestConfig { cases, rng_seed: RngSeed::Fixed(KEPT_SEED), ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_folder_and_message_operations_agree_with_a_model_after_every_reopen(
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        let p = temp_path("prop.pst");
        let mut w = PstWriter::create(&p.0, CryptMethod::Permute, "Prop").unwrap();
        let ipm = w.ipm_subtree();
        let mut model = Model::of_new_store(&w);
        let mut committed = model.clone();
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
                op => {
                    apply(&mut w, &mut model, op, &mut n).unwrap();
                    if matches!(op, Op::Commit) {
                        committed = model.clone();
                    }
                }
            }
        }
        // Dropped without a commit: the file holds the last commit.
        drop(w);
        check(&p.0, &committed, false);
        // The next writer rebuilds the allocation map when needed and commits a clean file.
        let mut w = PstWriter::open(&p.0).unwrap();
        w.commit().unwrap();
        drop(w);
        check(&p.0, &committed, true);
        keep(&p.0, &committed, ipm);
    }
}
