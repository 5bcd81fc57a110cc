//! Personal Folders files as stores of a profile (MSUPST / MSPST): a profile with no
//! Exchange service logs on and reads a PST with no server and no network, through the same
//! objects as an Exchange store. Expected counts and contents come from the test files' record
//! (`testdata/SOURCES.md`: pypff's and pffexport's counts; the files' own descriptions).

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::profile::mspst::PstKind;
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{Entry, MsgStore, OpenMode, SeekOrigin, StreamMode};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_METHOD, PR_ATTACH_NUM, PR_BODY, PR_CONTENT_COUNT, PR_DEPTH, PR_DISPLAY_NAME, PR_ENTRYID,
    PR_FID, PR_MESSAGE_CLASS, PR_MID, PR_STORE_SUPPORT_MASK, PR_SUBJECT,
};
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use std::io::Read;
use std::path::PathBuf;

fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata").join(rel)
}

/// A session on a profile whose only service is a Personal Folders file; `None` when the
/// shared test data is not beside the checkout.
fn pst_session(rel: &str, kind: PstKind) -> Option<(tempfile::TempDir, Session)> {
    let file = testdata(rel);
    if !file.exists() {
        eprintln!("skipped: {} is not there", file.display());
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let copy = home.path().join("archive.pst");
    std::fs::copy(&file, &copy).unwrap();
    let profiles = ProfileStore::open(home.path()).unwrap();
    profiles
        .create_with("p", |p| p.add_pst_service(kind, copy.to_str().unwrap(), Some("Archive")).map(|_| ()))
        .unwrap();
    let mapi = Mapi::with_profiles(profiles);
    let s =
        mapi.logon_ex(None, Some("p"), MAPI_EXTENDED | MAPI_NEW_SESSION, &LogonOptions::default()).unwrap();
    Some((home, s))
}

fn open(s: &Session) -> MsgStore {
    let rows = s.msg_stores_table();
    assert_eq!(rows.len(), 1, "one store: the PST");
    assert_eq!(rows[0].display_name, "Archive");
    assert!(rows[0].default_store, "the only store of the profile is its default store");
    s.open_msg_store(&rows[0].entry_id).unwrap()
}

fn int(v: Option<&PropValue>) -> i64 {
    v.and_then(PropValue::as_i64).unwrap_or(-1)
}

fn text(v: &RowValue) -> String {
    match v {
        RowValue::Value(PropValue::Unicode(s)) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

/// Every folder under the IPM subtree (or the root folder with `all`), with (PR_FID,
/// PR_DISPLAY_NAME, PR_DEPTH, PR_CONTENT_COUNT).
fn tree(store: &MsgStore) -> Vec<(u64, String, i64, i64)> {
    folders(store, false)
}

fn folders(store: &MsgStore, all: bool) -> Vec<(u64, String, i64, i64)> {
    let top = if all {
        store.open_folder(store.logon_info().folder_ids[0]).unwrap()
    } else {
        store.ipm_subtree().unwrap()
    };
    let mut t = top.hierarchy_table(true).unwrap();
    t.set_columns(&[PR_FID, PR_DISPLAY_NAME, PR_DEPTH, PR_CONTENT_COUNT]).unwrap();
    t.query_rows(usize::MAX, true)
        .unwrap()
        .iter()
        .map(|r| {
            let name = match r.get(PR_DISPLAY_NAME) {
                Some(PropValue::Unicode(s)) => s.clone(),
                _ => String::new(),
            };
            (int(r.get(PR_FID)) as u64, name, int(r.get(PR_DEPTH)), int(r.get(PR_CONTENT_COUNT)))
        })
        .collect()
}

/// Outlook.pst: pypff counts 17 items (SOURCES.md); every one is a row of a contents table
/// of a folder under the root folder, and the folders' counts are their tables' row counts.
#[test]
fn a_pst_only_profile_reads_every_item_with_no_server() {
    let Some((_home, s)) = pst_session("Aspose.Email-for-.NET/Outlook.pst", PstKind::Unicode) else { return };
    let store = open(&s);
    let provider = s.msg_stores_table()[0].provider_uid;
    let status = s.status_table().into_iter().find(|r| r.provider_uid == Some(provider)).unwrap();
    assert_eq!(status.state, oxmapi_client::session::status::ProviderState::Available);
    let mask = match store.get_props(&[PR_STORE_SUPPORT_MASK]).unwrap().remove(0) {
        RowValue::Value(PropValue::I32(m)) => m as u32,
        other => panic!("{other:?}"),
    };
    assert_eq!(mask & 0x2, 0, "a Unicode PST is writable: no STORE_READONLY");
    assert_ne!(mask & 0x4_0000, 0, "STORE_UNICODE_OK");
    assert_eq!(mask & 0x100, 0, "no STORE_NOTIFY_OK");
    let ipm = tree(&store);
    assert!(ipm.iter().any(|f| f.1 == "Inbox" && f.2 == 1), "{ipm:?}");
    let mut items = 0;
    for (fid, name, _, count) in &folders(&store, true) {
        let f = store.open_folder(oxmapi_core::ids::ObjectId::from_u64(*fid)).unwrap();
        let mut t = f.contents_table(false).unwrap();
        t.set_columns(&[PR_MID, PR_SUBJECT, PR_MESSAGE_CLASS]).unwrap();
        let rows = t.query_rows(usize::MAX, true).unwrap();
        assert_eq!(rows.len() as i64, *count, "{name}: PR_CONTENT_COUNT is the table's row count");
        for r in &rows {
            let mid = oxmapi_core::ids::ObjectId::from_u64(int(r.get(PR_MID)) as u64);
            let m = f.open_message(mid, OpenMode::ReadOnly).unwrap();
            assert!(
                matches!(&m.get_props(&[PR_MESSAGE_CLASS]).unwrap()[0], RowValue::Value(PropValue::Unicode(c)) if c.starts_with("IPM"))
            );
        }
        items += rows.len();
    }
    assert_eq!(items, 17, "pypff's count of Outlook.pst");
}

/// msgInMsg.pst: one message whose attachments include an embedded message (SOURCES.md); the
/// embedded message opens through RopOpenEmbeddedMessage, and a body read through a stream is
/// the body GetProps returns.
#[test]
fn embedded_messages_attachments_and_streams_read_from_a_pst() {
    let Some((_home, s)) = pst_session("ruby-msg/msgInMsg.pst", PstKind::Unicode) else { return };
    let store = open(&s);
    let inbox = folders(&store, true).into_iter().find(|f| f.3 > 0).expect("a folder with the message");
    let f = store.open_folder(oxmapi_core::ids::ObjectId::from_u64(inbox.0)).unwrap();
    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_MID]).unwrap();
    let mid = oxmapi_core::ids::ObjectId::from_u64(int(t.query_rows(1, true).unwrap()[0].get(PR_MID)) as u64);
    let m = f.open_message(mid, OpenMode::ReadOnly).unwrap();
    let mut at = m.attachment_table().unwrap();
    at.set_columns(&[PR_ATTACH_NUM, PR_ATTACH_METHOD]).unwrap();
    let rows = at.query_rows(usize::MAX, true).unwrap();
    let embedded =
        rows.iter().find(|r| int(r.get(PR_ATTACH_METHOD)) == 5).expect("an ATTACH_EMBEDDED_MSG attachment");
    let a = m.open_attachment(int(embedded.get(PR_ATTACH_NUM)) as u32, OpenMode::ReadOnly).unwrap();
    let inner = a.open_embedded_message(OpenMode::ReadOnly, false).unwrap();
    let class = text(&inner.get_props(&[PR_MESSAGE_CLASS]).unwrap()[0]);
    assert!(class.starts_with("IPM."), "{class}");
    if let RowValue::Value(PropValue::Unicode(body)) = &m.get_props(&[PR_BODY]).unwrap()[0] {
        let mut streamed = Vec::new();
        m.open_stream(PR_BODY, StreamMode::ReadOnly).unwrap().read_to_end(&mut streamed).unwrap();
        let units: Vec<u16> = streamed.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        assert_eq!(String::from_utf16_lossy(&units), *body);
    }
}

/// Entry IDs of a PST are [MS-PST] 2.4.3.2's: 4 zero bytes, the store's record key, the node
/// id; OpenEntry opens what a row's PR_ENTRYID names, and refuses another store's.
#[test]
fn pst_entry_ids_open_what_they_name() {
    let Some((_home, s)) = pst_session("pst_to_eml/threeItems.pst", PstKind::Unicode) else { return };
    let store = open(&s);
    let (fid, ..) = folders(&store, true).into_iter().find(|f| f.3 > 0).unwrap();
    let f = store.open_folder(oxmapi_core::ids::ObjectId::from_u64(fid)).unwrap();
    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_ENTRYID, PR_SUBJECT]).unwrap();
    t.seek(SeekOrigin::Beginning, 0).unwrap();
    let row = t.query_rows(1, true).unwrap().remove(0);
    let Some(PropValue::Binary(eid)) = row.get(PR_ENTRYID) else { panic!("no PR_ENTRYID") };
    assert_eq!(eid.len(), 24);
    assert_eq!(&eid[..4], &[0, 0, 0, 0]);
    assert_eq!(u32::from_le_bytes(eid[20..24].try_into().unwrap()) & 0x1f, 0x04, "NID_TYPE_NORMAL_MESSAGE");
    let Entry::Message(m) = store.open_entry(eid, OpenMode::ReadOnly).unwrap() else {
        panic!("not a message")
    };
    assert_eq!(m.get_props(&[PR_SUBJECT]).unwrap()[0], RowValue::Value(row.get(PR_SUBJECT).unwrap().clone()));
    let mut other = eid.clone();
    other[4] ^= 0xFF;
    assert_eq!(
        store.open_entry(&other, OpenMode::ReadOnly).err().unwrap().code,
        codes::MAPI_E_INVALID_ENTRYID
    );
}

/// contacts97-2002.pst is ANSI with its strings in code page 932 (SOURCES.md): folder names and
/// the contact's name come out in Japanese, not as Windows-1252 mojibake.
#[test]
fn an_ansi_pst_decodes_its_strings_with_the_code_page_its_messages_record() {
    let Some((_home, s)) = pst_session("pst_to_eml/contacts97-2002.pst", PstKind::Ansi) else { return };
    let store = open(&s);
    let folders = tree(&store);
    let contacts = folders.iter().find(|f| f.3 == 1).expect("the folder with the contact");
    assert!(contacts.1.contains("連絡先"), "{folders:?}");
    let f = store.open_folder(oxmapi_core::ids::ObjectId::from_u64(contacts.0)).unwrap();
    let mut t = f.contents_table(false).unwrap();
    t.set_columns(&[PR_DISPLAY_NAME]).unwrap();
    let name = match t.query_rows(1, true).unwrap()[0].get(PR_DISPLAY_NAME) {
        Some(PropValue::Unicode(s)) => s.clone(),
        other => panic!("{other:?}"),
    };
    assert!(name.contains("イグザンプル"), "{name}");
}

/// A file that is not a PST (or is damaged at the header) is refused with a MAPI code when
/// the store is opened; the session itself stands, with that provider disabled.
#[test]
fn a_damaged_pst_is_refused_when_opened() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.pst");
    std::fs::write(&bad, b"!BDN this is not a personal folders file at all").unwrap();
    let profiles = ProfileStore::open(home.path()).unwrap();
    profiles
        .create_with("p", |p| p.add_pst_service(PstKind::Unicode, bad.to_str().unwrap(), None).map(|_| ()))
        .unwrap();
    let s = Mapi::with_profiles(profiles)
        .logon_ex(None, Some("p"), MAPI_EXTENDED | MAPI_NEW_SESSION, &LogonOptions::default())
        .unwrap();
    let row = s.msg_stores_table().remove(0);
    assert_eq!(s.open_msg_store(&row.entry_id).err().unwrap().code, codes::MAPI_E_CORRUPT_DATA);
    // The failed provider is disabled for the session, with its cause, as MAPI does.
    let again = s.open_msg_store(&row.entry_id).err().unwrap();
    assert_eq!(again.code, codes::MAPI_E_FAILONEPROVIDER);
    let status = s.status_table().into_iter().find(|r| r.provider_uid == Some(row.provider_uid)).unwrap();
    assert!(
        matches!(status.state, oxmapi_client::session::status::ProviderState::Disabled(ref e) if e.code == codes::MAPI_E_CORRUPT_DATA)
    );
}
