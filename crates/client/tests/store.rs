//! The client's MAPI objects against the real server on 127.0.0.1: folders, tables (columns,
//! sort, restriction, seeks, bookmarks, FindRow, many rows across responses), messages with
//! recipients, attachments and embedded messages, streams of several megabytes, named
//! properties, move/copy/delete, handle release.

use std::io::{Read, Seek, SeekFrom, Write};

use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{
    Entry, MsgStore, OpenMode, PropertyName, Recipient, RecipientType, SaveFlags, SeekOrigin, SortOrder,
    StreamMode,
};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;

mod common;
use common::{RealServer, default_store, user};

const PW: &str = "Secret-1";

struct Env {
    real: RealServer,
    mapi: Mapi,
}

impl Env {
    fn new() -> Env {
        let real = RealServer::start(&[user("alice", PW)], |_| {});
        let mapi = Mapi::with_profiles(real.profiles(&[("a", "alice")]));
        Env { real, mapi }
    }

    fn logon(&self) -> (Session, MsgStore) {
        let o = LogonOptions { password: Some(PW.into()), client_version: None };
        let s = self.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
        let store = default_store(&s).unwrap();
        (s, store)
    }

    fn objects_on_server(&self) -> usize {
        self.real.server().state.sessions.object_count()
    }
}

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

fn text(v: &RowValue) -> &str {
    match v {
        RowValue::Value(PropValue::Unicode(s)) => s,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn folders_messages_recipients_and_attachments_round_trip() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let root = store.ipm_subtree().unwrap();
    let f = root.create_folder("Projects ✓", Some("comment"), false).unwrap();
    let dup = root.create_folder("Projects ✓", None, false).err().unwrap();
    assert_eq!(dup.code, codes::MAPI_E_COLLISION);
    let again = root.create_folder("Projects ✓", None, true).unwrap();
    assert_eq!(again.id(), f.id(), "OpenExisting opens the same folder");

    let mut m = f.create_message(false).unwrap();
    assert!(m.id().is_none(), "a new message has no id before SaveChanges");
    let body = "line one\n".repeat(5000); // 45 000 characters: written through a stream
    let problems = m
        .set_props(&[
            tv(PR_SUBJECT, PropValue::Unicode("Grüße 日本語".into())),
            tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
            tv(PR_BODY, PropValue::Unicode(body.clone())),
        ])
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    m.add_recipients(&[
        Recipient::smtp(RecipientType::To, "Bob <bob@example.test>"),
        Recipient::smtp(RecipientType::Cc, "carol@example.test"),
    ])
    .unwrap();
    let a = m.create_attachment().unwrap();
    a.set_props(&[tv(PR_ATTACH_LONG_FILENAME, PropValue::Unicode("data.bin".into()))]).unwrap();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::Create).unwrap();
    st.write_all(&data).unwrap();
    st.commit().unwrap();
    drop(st);
    a.save_changes(SaveFlags::KeepOpenReadWrite).unwrap();
    let mid = m.save_changes(SaveFlags::KeepOpenReadWrite).unwrap();
    assert_eq!(m.id(), Some(mid));
    let eid = match &m.get_props(&[PR_ENTRYID]).unwrap()[0] {
        RowValue::Value(PropValue::Binary(b)) => b.clone(),
        other => panic!("{other:?}"),
    };
    drop((a, m));

    // Reopen through OpenEntry and read everything back.
    let Entry::Message(m) = store.open_entry(&eid, OpenMode::ReadOnly).unwrap() else {
        panic!("not a message")
    };
    let v = m.get_props(&[PR_SUBJECT, PR_BODY, PR_HASATTACH, PR_DISPLAY_TO, PR_DISPLAY_CC]).unwrap();
    assert_eq!(text(&v[0]), "Grüße 日本語");
    assert_eq!(text(&v[1]), body, "the large body comes back through a stream");
    assert_eq!(v[2], RowValue::Value(PropValue::Bool(true)));
    assert_eq!(text(&v[3]), "Bob");
    assert_eq!(text(&v[4]), "carol@example.test");
    let recips = m.recipients().unwrap();
    assert_eq!(recips.len(), 2);
    assert_eq!(recips[0].email(), Some("bob@example.test"));
    assert_eq!(recips[1].kind, RecipientType::Cc);
    let mut at = m.attachment_table().unwrap();
    at.set_columns(&[PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME, PR_ATTACH_SIZE]).unwrap();
    let rows = at.query_rows(10, true).unwrap();
    assert_eq!(rows.len(), 1);
    let num = match rows[0].get(PR_ATTACH_NUM) {
        Some(PropValue::I32(n)) => *n as u32,
        other => panic!("{other:?}"),
    };
    let a = m.open_attachment(num, OpenMode::ReadOnly).unwrap();
    let mut st = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::ReadOnly).unwrap();
    assert_eq!(st.size().unwrap(), data.len() as u64);
    let mut back = Vec::new();
    st.read_to_end(&mut back).unwrap();
    assert!(back == data, "3 MB attachment differs after the round trip");
    st.seek(SeekFrom::Start(1_000_000)).unwrap();
    let mut ten = [0u8; 10];
    st.read_exact(&mut ten).unwrap();
    assert_eq!(&ten[..], &data[1_000_000..1_000_010]);
}

#[test]
fn contents_table_sort_restrict_seek_bookmark_find() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let f = store.ipm_subtree().unwrap().create_folder("Table", None, false).unwrap();
    for i in 0..300 {
        let mut m = f.create_message(false).unwrap();
        m.set_props(&[
            tv(PR_SUBJECT, PropValue::Unicode(format!("subject {i:03}"))),
            tv(PR_IMPORTANCE, PropValue::I32(i % 3)),
        ])
        .unwrap();
        m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    }
    let fai = f.create_message(true).unwrap();
    let mut fai = fai;
    fai.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("hidden".into()))]).unwrap();
    fai.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();

    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_SUBJECT, PR_IMPORTANCE, PR_MID, PR_INSTANCE_KEY]).unwrap();
    t.sort(&[
        SortOrder { tag: PR_IMPORTANCE, descending: true },
        SortOrder { tag: PR_SUBJECT, descending: false },
    ])
    .unwrap();
    assert_eq!(t.row_count().unwrap(), 300, "FAI messages are not in the normal contents table");
    let rows = t.query_rows(1000, true).unwrap();
    assert_eq!(rows.len(), 300, "all rows arrive even when one response cannot hold them");
    assert_eq!(rows[0].get(PR_SUBJECT), Some(&PropValue::Unicode("subject 002".into())));
    assert_eq!(rows[299].get(PR_SUBJECT), Some(&PropValue::Unicode("subject 297".into())));

    t.seek(SeekOrigin::Beginning, 10).unwrap();
    let bm = t.create_bookmark().unwrap();
    assert_eq!(t.query_position().unwrap(), (10, 300));
    t.seek(SeekOrigin::End, 0).unwrap();
    t.seek_bookmark(&bm, 0).unwrap();
    assert_eq!(t.query_position().unwrap().0, 10);
    t.free_bookmark(&bm).unwrap();

    let want = Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_SUBJECT,
        value: TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode("subject 150".into()) },
    };
    t.seek(SeekOrigin::Beginning, 0).unwrap();
    let found = t.find_row(&want, false).unwrap().expect("FindRow finds the row");
    assert_eq!(found.get(PR_SUBJECT), Some(&PropValue::Unicode("subject 150".into())));
    let none = Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_SUBJECT,
        value: TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode("nope".into()) },
    };
    assert!(t.find_row(&none, false).unwrap().is_none());

    let high = Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_IMPORTANCE,
        value: TaggedValue { tag: PR_IMPORTANCE, value: PropValue::I32(2) },
    };
    t.restrict(Some(&high)).unwrap();
    assert_eq!(t.row_count().unwrap(), 100);
    t.restrict(None).unwrap();
    assert_eq!(t.row_count().unwrap(), 300);

    let mut a = f.contents_table(true).unwrap();
    a.set_columns(&[PR_SUBJECT]).unwrap();
    let fai_rows = a.query_rows(10, true).unwrap();
    assert_eq!(fai_rows.len(), 1);
    assert_eq!(fai_rows[0].get(PR_SUBJECT), Some(&PropValue::Unicode("hidden".into())));
}

#[test]
fn move_copy_delete_and_empty() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let root = store.ipm_subtree().unwrap();
    let a = root.create_folder("A", None, false).unwrap();
    let b = root.create_folder("B", None, false).unwrap();
    let mut mids = Vec::new();
    for i in 0..5 {
        let mut m = a.create_message(false).unwrap();
        m.set_props(&[tv(PR_SUBJECT, PropValue::Unicode(format!("m{i}")))]).unwrap();
        mids.push(m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap());
    }
    let count = |f: &oxmapi_client::store::Folder| match &f.get_props(&[PR_CONTENT_COUNT]).unwrap()[0] {
        RowValue::Value(PropValue::I32(n)) => *n,
        other => panic!("{other:?}"),
    };
    assert!(!a.copy_messages(&mids[..2], &b, false).unwrap());
    assert!(!a.copy_messages(&mids[2..3], &b, true).unwrap());
    assert_eq!((count(&a), count(&b)), (4, 3));
    assert!(!a.delete_messages(&mids[3..4], false).unwrap());
    assert_eq!(count(&a), 3);
    let err = a.open_message(mids[3], OpenMode::ReadOnly).err().unwrap();
    assert_eq!(err.code, codes::MAPI_E_NOT_FOUND);
    let sub = a.create_folder("sub", None, false).unwrap();
    let sub_id = sub.id();
    drop(sub);
    // The server answers success with PartialCompletion (MS-OXCFOLD_R816, _R1079); the
    // provider says why, as IMAPIFolder::DeleteFolder documents: subfolders first without
    // DEL_FOLDERS, messages without DEL_MESSAGES.
    assert_eq!(root.delete_folder(a.id(), 0).unwrap_err().code, codes::MAPI_E_HAS_FOLDERS);
    assert_eq!(root.delete_folder(a.id(), 0x04).unwrap_err().code, codes::MAPI_E_HAS_MESSAGES);
    assert_eq!(root.delete_folder(a.id(), 0x01).unwrap_err().code, codes::MAPI_E_HAS_FOLDERS);
    a.empty(false, false).unwrap();
    assert_eq!(count(&a), 0);
    assert_eq!(a.open_folder(sub_id).err().unwrap().code, codes::MAPI_E_NOT_FOUND);
    assert!(!root.copy_folder(b.id(), &root, "B copy", false).unwrap());
    assert!(!root.delete_folder(b.id(), 0x01 | 0x04).unwrap());
}

#[test]
fn embedded_messages_named_properties_and_read_flags() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let f = store.ipm_subtree().unwrap().create_folder("Misc", None, false).unwrap();

    let names = [
        PropertyName::id("00062008-0000-0000-C000-000000000046".parse::<Guid>().unwrap(), 0x8503),
        PropertyName::string("00020329-0000-0000-C000-000000000046".parse::<Guid>().unwrap(), "Keywords-x"),
    ];
    let ids = store.get_ids_from_names(&names, false).unwrap();
    assert_eq!(ids, vec![0, 0], "unmapped names without Create give id 0");
    let ids = store.get_ids_from_names(&names, true).unwrap();
    assert!(ids.iter().all(|i| *i >= 0x8000), "{ids:?}");
    assert_eq!(store.get_ids_from_names(&names, false).unwrap(), ids, "the mapping is stable");
    let back = store.get_names_from_ids(&ids).unwrap();
    assert_eq!(back, names.iter().cloned().map(Some).collect::<Vec<_>>());

    let mut m = f.create_message(false).unwrap();
    let named_tag = PropTag::from_parts(ids[0], 0x000B);
    m.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("outer".into())), tv(named_tag, PropValue::Bool(true))])
        .unwrap();
    let a = m.create_attachment().unwrap();
    a.set_props(&[tv(PR_ATTACH_METHOD, PropValue::I32(5))]).unwrap();
    let mut inner = a.open_embedded_message(OpenMode::ReadWrite, true).unwrap();
    inner.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("inner".into()))]).unwrap();
    inner.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    drop(inner);
    a.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    let mid = m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    drop((a, m));

    let m = f.open_message(mid, OpenMode::ReadWrite).unwrap();
    assert_eq!(m.get_props(&[named_tag]).unwrap()[0], RowValue::Value(PropValue::Bool(true)));
    let a = m.open_attachment(0, OpenMode::ReadOnly).unwrap();
    let inner = a.open_embedded_message(OpenMode::ReadOnly, false).unwrap();
    assert_eq!(text(&inner.get_props(&[PR_SUBJECT]).unwrap()[0]), "inner");

    let unread = |f: &oxmapi_client::store::Folder| match &f.get_props(&[PR_CONTENT_UNREAD]).unwrap()[0] {
        RowValue::Value(PropValue::I32(n)) => *n,
        other => panic!("{other:?}"),
    };
    let changed = m.set_read_flag(0).unwrap();
    assert!(!changed, "ReadStatusChanged is 0 on a private logon (MS-OXCMSG_R1841)");
    assert_eq!(unread(&f), 0);
    // In a private mailbox ReadStatusChanged is always 0 ("the logon is not in public folder
    // mode", MS-OXCMSG_R1841, Microsoft's MSOXCMSG_S03_TC05); the unread count tells the change.
    let changed = m.set_read_flag(0x04).unwrap(); // CLEAR_READ_FLAG
    assert!(!changed);
    assert_eq!(unread(&f), 1);
}

#[test]
fn dropped_objects_are_released_on_the_server() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let root = store.ipm_subtree().unwrap();
    let base = env.objects_on_server();
    for _ in 0..20 {
        let f = root.open_folder(root.id()).unwrap();
        let _t = f.contents_table(false).unwrap();
    }
    // Releases go out with the next call.
    root.get_props(&[PR_DISPLAY_NAME]).unwrap();
    assert!(
        env.objects_on_server() <= base + 2,
        "{} objects left open (base {base})",
        env.objects_on_server()
    );
}

#[test]
fn stream_write_read_seek_and_size() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let f = store.ipm_subtree().unwrap().create_folder("Streams", None, false).unwrap();
    let mut m = f.create_message(false).unwrap();
    let mut st = m.open_stream(PR_BODY, StreamMode::Create).unwrap();
    let text16: Vec<u8> = "héllo wörld ".repeat(4000).encode_utf16().flat_map(u16::to_le_bytes).collect();
    st.write_all(&text16).unwrap();
    assert_eq!(st.size().unwrap(), text16.len() as u64);
    st.seek(SeekFrom::Start(0)).unwrap();
    let mut first = vec![0u8; 10];
    st.read_exact(&mut first).unwrap();
    assert_eq!(first, text16[..10]);
    st.set_size(24).unwrap();
    assert_eq!(st.size().unwrap(), 24);
    st.commit().unwrap();
    drop(st);
    m.save_changes(SaveFlags::KeepOpenReadWrite).unwrap();
    assert_eq!(text(&m.get_props(&[PR_BODY]).unwrap()[0]), "héllo wörld ");
    let e = m.open_stream(PR_SUBJECT, StreamMode::ReadOnly).err().unwrap();
    assert_eq!(e.code, codes::MAPI_E_NOT_FOUND, "a missing property opens only with Create");
}

/// 400 recipients do not fit one ROP request buffer: ModifyRecipients sends them in several
/// RopModifyRecipients, and the saved message has every one, in order.
#[test]
fn four_hundred_recipients_are_added_in_several_modify_recipients() {
    let env = Env::new();
    let (_s, store) = env.logon();
    let f = store.ipm_subtree().unwrap();
    let mut m = f.create_message(false).unwrap();
    m.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("many".into()))]).unwrap();
    let rows: Vec<Recipient> = (0..400)
        .map(|i| {
            Recipient::smtp(RecipientType::To, &format!("Recipient Number {i:03} <r{i:03}@example.test>"))
        })
        .collect();
    m.add_recipients(&rows).unwrap();
    let mid = m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    drop(m);
    let m = f.open_message(mid, OpenMode::ReadOnly).unwrap();
    let got = m.recipients().unwrap();
    assert_eq!(got.len(), 400);
    assert_eq!(got[0].email(), Some("r000@example.test"));
    assert_eq!(got[399].email(), Some("r399@example.test"));
}
