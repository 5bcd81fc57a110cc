//! A Unicode PST as a read-write store of a profile (MSUPST): folders and messages made through
//! the same store objects as on Exchange, then read back by oxmapi's PST reader (not through
//! the store that wrote them) and, where it is installed, by libpff (pypff) — an independent
//! reader. Special folders cannot be deleted or emptied; an ANSI file refuses every change.

use std::io::Write;
use std::path::{Path, PathBuf};

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::profile::mspst::PstKind;
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{MsgStore, OpenMode, Recipient, RecipientType, SaveFlags, StreamMode};
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD, PR_BODY, PR_DISPLAY_NAME, PR_FID, PR_MID,
    PR_SUBJECT,
};
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::pst::PstFile;
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;

/// A profile whose only service is a new Unicode PST; its session and the file's path.
fn new_pst_session() -> (tempfile::TempDir, PathBuf, Session) {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("new.pst");
    PstWriter::create(&path, CryptMethod::Permute, "Archive").unwrap();
    let profiles = ProfileStore::open(home.path()).unwrap();
    profiles
        .create_with("p", |p| {
            p.add_pst_service(PstKind::Unicode, path.to_str().unwrap(), Some("Archive")).map(|_| ())
        })
        .unwrap();
    let s = Mapi::with_profiles(profiles)
        .logon_ex(None, Some("p"), MAPI_EXTENDED | MAPI_NEW_SESSION, &LogonOptions::default())
        .unwrap();
    (home, path, s)
}

fn open(s: &Session) -> MsgStore {
    let rows = s.msg_stores_table();
    s.open_msg_store(&rows[0].entry_id).unwrap()
}

fn tv(tag: oxmapi_core::PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

/// Writes one message with a body, two recipients and an attachment streamed in pieces.
fn put(folder: &oxmapi_client::store::Folder, subject: &str, attachment: &[u8]) -> ObjectId {
    let mut m = folder.create_message(false).unwrap();
    m.set_props(&[
        tv(PR_SUBJECT, PropValue::Unicode(subject.into())),
        tv(PR_BODY, PropValue::Unicode(format!("body of {subject}"))),
    ])
    .unwrap();
    m.add_recipients(&[
        Recipient::smtp(RecipientType::To, "Bob <bob@example.test>"),
        Recipient::smtp(RecipientType::Cc, "carol@example.test"),
    ])
    .unwrap();
    let a = m.create_attachment().unwrap();
    a.set_props(&[
        tv(PR_ATTACH_METHOD, PropValue::I32(1)),
        tv(PR_ATTACH_LONG_FILENAME, PropValue::Unicode("data.bin".into())),
    ])
    .unwrap();
    let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::Create).unwrap();
    for chunk in attachment.chunks(7000) {
        st.write_all(chunk).unwrap();
    }
    st.flush().unwrap();
    st.commit().unwrap();
    drop(st);
    a.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap()
}

/// The subjects of the messages of folder `name` under the IPM subtree, as the file says.
fn subjects_in_file(path: &Path, name: &str) -> Vec<String> {
    let f = PstFile::open(path).unwrap();
    let (folders, _) = f.folders();
    let folder =
        folders.iter().find(|x| x.name == name).unwrap_or_else(|| panic!("no folder {name}: {folders:?}"));
    let mut out: Vec<String> = f
        .contents(folder.nid)
        .unwrap()
        .iter()
        .map(|r| f.message(r.id).unwrap())
        .map(|m| match m.item.props.get(PR_SUBJECT) {
            Some(PropValue::Unicode(s)) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    out.sort();
    out
}

#[test]
fn folders_and_messages_written_through_the_store_objects_are_in_the_file() {
    let (_home, path, s) = new_pst_session();
    let store = open(&s);
    let top = store.ipm_subtree().unwrap();
    let projects = top.create_folder("Projects", Some("work"), false).unwrap();
    let payload: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
    for i in 0..3 {
        put(&projects, &format!("item {i}"), &payload);
    }
    assert_eq!(top.create_folder("projects", None, false).err().unwrap().code, codes::MAPI_E_COLLISION);
    assert_eq!(
        top.create_folder("Projects", None, true).unwrap().id(),
        projects.id(),
        "open_existing opens it"
    );
    drop((projects, top, store, s));

    // The file, read by the reader alone.
    assert_eq!(subjects_in_file(&path, "Projects"), ["item 0", "item 1", "item 2"]);
    let f = PstFile::open(&path).unwrap();
    let (folders, _) = f.folders();
    let p = folders.iter().find(|x| x.name == "Projects").unwrap();
    let m = f.message(f.contents(p.nid).unwrap()[0].id).unwrap();
    assert_eq!(m.item.recipients.len(), 2);
    let a = &m.item.attachments[0];
    assert_eq!(a.props.get(PR_ATTACH_DATA_BIN), Some(&PropValue::Binary(payload.clone())));
    assert!(f.walk(true).skipped.is_empty());
    assert!(oxmapi_pst::pst::write::check_allocation(&path).unwrap().is_clean());
}

#[test]
fn messages_are_deleted_moved_and_folders_renamed_in_a_pst() {
    let (_home, path, s) = new_pst_session();
    let store = open(&s);
    let top = store.ipm_subtree().unwrap();
    let a = top.create_folder("A", None, false).unwrap();
    let b = top.create_folder("B", None, false).unwrap();
    let ids: Vec<ObjectId> = (0..4).map(|i| put(&a, &format!("m{i}"), b"x")).collect();
    a.delete_messages(&ids[..1], false).unwrap();
    a.copy_messages(&ids[1..2], &b, true).unwrap();
    a.copy_messages(&ids[2..3], &b, false).unwrap();
    b.set_props(&[tv(PR_DISPLAY_NAME, PropValue::Unicode("Bee".into()))]).unwrap();
    drop((a, b, top, store, s));
    assert_eq!(subjects_in_file(&path, "A"), ["m2", "m3"]);
    assert_eq!(subjects_in_file(&path, "Bee"), ["m1", "m2"]);
}

#[test]
fn the_root_and_the_special_folders_cannot_be_emptied_or_deleted() {
    let (_home, path, s) = new_pst_session();
    let store = open(&s);
    let top = store.ipm_subtree().unwrap();
    put(&top.create_folder("Keep", None, false).unwrap(), "kept", b"k");
    let root = store.open_folder(store.logon_info().folder_ids[0]).unwrap();
    assert_eq!(root.empty(false, false).err().unwrap().code, codes::MAPI_E_NO_ACCESS);
    assert_eq!(top.empty(false, false).err().unwrap().code, codes::MAPI_E_NO_ACCESS);
    assert_eq!(root.delete_folder(top.id(), 0x05).err().unwrap().code, codes::MAPI_E_NO_ACCESS);
    drop((root, top, store, s));
    assert_eq!(subjects_in_file(&path, "Keep"), ["kept"]);
}

#[test]
fn a_message_opened_read_only_is_not_changed() {
    let (_home, _path, s) = new_pst_session();
    let store = open(&s);
    let top = store.ipm_subtree().unwrap();
    let f = top.create_folder("F", None, false).unwrap();
    let mid = put(&f, "original", b"o");
    let m = store.open_message(f.id(), mid, OpenMode::ReadOnly).unwrap();
    assert_eq!(
        m.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("changed".into()))]).err().unwrap().code,
        codes::MAPI_E_NO_ACCESS
    );
    let mut w = store.open_message(f.id(), mid, OpenMode::ReadWrite).unwrap();
    w.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("changed".into()))]).unwrap();
    w.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_MID, PR_SUBJECT, PR_FID]).unwrap();
    let rows = t.query_rows(10, true).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get(PR_SUBJECT), Some(&PropValue::Unicode("changed".into())));
}

#[test]
fn an_ansi_pst_refuses_changes_and_the_store_sends_no_notifications() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/pstsdk/sample2.pst");
    if !file.exists() {
        eprintln!("skipped: {} is not there", file.display());
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let copy = home.path().join("ansi.pst");
    std::fs::copy(&file, &copy).unwrap();
    let profiles = ProfileStore::open(home.path()).unwrap();
    profiles
        .create_with("p", |p| {
            p.add_pst_service(PstKind::Ansi, copy.to_str().unwrap(), Some("Old")).map(|_| ())
        })
        .unwrap();
    let s = Mapi::with_profiles(profiles)
        .logon_ex(None, Some("p"), MAPI_EXTENDED | MAPI_NEW_SESSION, &LogonOptions::default())
        .unwrap();
    let store = open(&s);
    let before = std::fs::read(&copy).unwrap();
    let top = store.ipm_subtree().unwrap();
    assert_eq!(top.create_folder("New", None, false).err().unwrap().code, codes::MAPI_E_NO_ACCESS);
    assert_eq!(top.create_message(false).err().unwrap().code, codes::MAPI_E_NO_ACCESS);
    let advise = store.advise_stream(oxmapi_client::notify::AdviseTarget::Store, 0x4);
    assert_eq!(advise.err().unwrap().code, codes::MAPI_E_NO_SUPPORT);
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

/// Two sessions of one process write the same PST (as `import --jobs` does): they share the
/// file's writer instead of waiting forever on each other's lock, and each sees what the other
/// committed.
#[test]
fn two_sessions_of_a_process_write_one_pst() {
    let (home, path, s1) = new_pst_session();
    let profiles = ProfileStore::open(home.path()).unwrap();
    let s2 = Mapi::with_profiles(profiles)
        .logon_ex(None, Some("p"), MAPI_EXTENDED | MAPI_NEW_SESSION, &LogonOptions::default())
        .unwrap();
    let (a, b) = (open(&s1), open(&s2));
    let fa = a.ipm_subtree().unwrap().create_folder("Shared", None, false).unwrap();
    put(&fa, "from one", b"1");
    let fb = b.ipm_subtree().unwrap().create_folder("Shared", None, true).unwrap();
    assert_eq!(fb.id(), fa.id(), "the second session sees the folder the first made");
    put(&fb, "from two", b"2");
    put(&fa, "from one again", b"3");
    // Each store follows the other's commits (by their B-tree deltas): both list all three.
    for f in [&fa, &fb] {
        assert_eq!(table_subjects(f), ["from one", "from one again", "from two"]);
    }
    // A store further behind than the writer's log of deltas (256 commits) reads the file again.
    for i in 0..300 {
        put(&fa, &format!("bulk {i:03}"), b"");
    }
    let seen = table_subjects(&fb);
    assert_eq!(seen.len(), 303);
    assert_eq!(seen.last().map(String::as_str), Some("from two"));
    put(&fb, "after the bulk", b"4");
    assert_eq!(table_subjects(&fa).len(), 304);
    drop((fa, fb, a, b, s1, s2));
    assert_eq!(subjects_in_file(&path, "Shared").len(), 304);
}

/// The subjects a folder's contents table lists, sorted.
fn table_subjects(f: &oxmapi_client::store::Folder) -> Vec<String> {
    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_SUBJECT]).unwrap();
    let mut out: Vec<String> = t
        .query_rows(10_000, true)
        .unwrap()
        .iter()
        .map(|r| match r.get(PR_SUBJECT) {
            Some(PropValue::Unicode(s)) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    out.sort();
    out
}
