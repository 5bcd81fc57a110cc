use std::collections::HashSet;
use std::sync::Arc;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::store_support as ss;
use oxmapi_core::entryid::{EntryId, FolderEntryId, LongTermRef, eit};
use oxmapi_core::guid::{Guid, LONG_TERM_NON_PRIVATE_GUID};
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{site, user_with_mailbox};
use crate::mailbox::{PRIVATE_LOGON_FOLDERS, SpecialFolder as S};
use crate::{MessageStore, Site, StoreError, StoreKind, User};

fn mailbox() -> (tempfile::TempDir, Site, User, MessageStore) {
    let (t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    (t, dd, u, s)
}

fn prop(store: &MessageStore, fid: ObjectId, tag: PropTag) -> Option<PropValue> {
    store.folder_property(fid, tag).unwrap()
}

fn text(store: &MessageStore, fid: ObjectId, tag: PropTag) -> Option<String> {
    prop(store, fid, tag).and_then(|v| v.as_text().map(|t| t.into_owned()))
}

fn folder_of(store: &MessageStore, eid: &[u8]) -> ObjectId {
    let EntryId::Folder(f) = EntryId::parse(eid).unwrap() else { panic!("not a folder entry ID") };
    assert_eq!(f.folder_type, eit::PRIVATE_FOLDER);
    assert_eq!(f.provider_uid, store.mailbox_guid());
    assert_eq!(f.folder.database_guid, store.replica_guid());
    let fid = store.folder_id_from_entry_id(eid).unwrap();
    assert_eq!(fid.global_counter, f.folder.global_counter);
    fid
}

#[test]
fn private_mailbox_hierarchy() {
    let (_t, _dd, _u, s) = mailbox();
    let ids = s.logon_folder_ids();
    let distinct: HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 13);
    assert!(ids.iter().all(|i| !i.is_zero() && i.replica_id == 1));
    for (i, which) in PRIVATE_LOGON_FOLDERS.iter().enumerate() {
        assert_eq!(s.special_folder(*which), Some(ids[i]));
        assert_eq!(s.special_folder_kind(ids[i]), Some(*which));
    }
    let root = s.special_folder(S::Root).unwrap();
    let ipm = s.special_folder(S::IpmSubtree).unwrap();
    assert_eq!(s.folder_parent(root).unwrap(), None);
    assert_eq!(text(&s, ipm, PR_DISPLAY_NAME).as_deref(), Some("Top of Information Store"));
    assert_eq!(prop(&s, root, PR_FOLDER_TYPE), Some(PropValue::I32(0)));
    assert_eq!(prop(&s, ipm, PR_FOLDER_TYPE), Some(PropValue::I32(1)));

    let expect = [
        (S::Inbox, "Inbox", Some("IPF.Note"), S::IpmSubtree),
        (S::Outbox, "Outbox", Some("IPF.Note"), S::IpmSubtree),
        (S::SentItems, "Sent Items", Some("IPF.Note"), S::IpmSubtree),
        (S::DeletedItems, "Deleted Items", Some("IPF.Note"), S::IpmSubtree),
        (S::Drafts, "Drafts", Some("IPF.Note"), S::IpmSubtree),
        (S::Calendar, "Calendar", Some("IPF.Appointment"), S::IpmSubtree),
        (S::Contacts, "Contacts", Some("IPF.Contact"), S::IpmSubtree),
        (S::Tasks, "Tasks", Some("IPF.Task"), S::IpmSubtree),
        (S::Notes, "Notes", Some("IPF.StickyNote"), S::IpmSubtree),
        (S::Journal, "Journal", Some("IPF.Journal"), S::IpmSubtree),
        (S::JunkEmail, "Junk E-mail", Some("IPF.Note"), S::IpmSubtree),
        (S::SyncIssues, "Sync Issues", Some("IPF.Note"), S::IpmSubtree),
        (S::Conflicts, "Conflicts", Some("IPF.Note"), S::SyncIssues),
        (S::LocalFailures, "Local Failures", Some("IPF.Note"), S::SyncIssues),
        (S::ServerFailures, "Server Failures", Some("IPF.Note"), S::SyncIssues),
        (S::DeferredAction, "Deferred Action", None, S::Root),
        (S::SpoolerQueue, "Spooler Queue", None, S::Root),
        (S::CommonViews, "Common Views", None, S::Root),
        (S::Schedule, "Schedule", None, S::Root),
        (S::Finder, "Finder", None, S::Root),
        (S::Views, "Views", None, S::Root),
        (S::Shortcuts, "Shortcuts", None, S::Root),
    ];
    for (which, name, class, parent) in expect {
        let fid = s.special_folder(which).unwrap_or_else(|| panic!("{which:?} missing"));
        assert_eq!(text(&s, fid, PR_DISPLAY_NAME).as_deref(), Some(name), "{which:?}");
        assert_eq!(text(&s, fid, PR_CONTAINER_CLASS).as_deref(), class, "{which:?}");
        assert_eq!(s.folder_parent(fid).unwrap(), s.special_folder(parent), "{which:?}");
        assert!(s.folder_children(s.special_folder(parent).unwrap()).unwrap().contains(&fid));
    }
    assert!(s.special_folder(S::NonIpmSubtree).is_none());
    assert_eq!(s.folder_children(ipm).unwrap().len(), 12);
}

#[test]
fn special_folder_entry_ids_on_root_and_inbox() {
    let (_t, _dd, _u, s) = mailbox();
    let pairs = [
        (PR_IPM_APPOINTMENT_ENTRYID, S::Calendar),
        (PR_IPM_CONTACT_ENTRYID, S::Contacts),
        (PR_IPM_JOURNAL_ENTRYID, S::Journal),
        (PR_IPM_NOTE_ENTRYID, S::Notes),
        (PR_IPM_TASK_ENTRYID, S::Tasks),
        (PR_IPM_DRAFTS_ENTRYID, S::Drafts),
    ];
    for holder in [S::Root, S::Inbox] {
        let h = s.special_folder(holder).unwrap();
        for (tag, which) in pairs {
            let Some(PropValue::Binary(eid)) = prop(&s, h, tag) else { panic!("{holder:?} lacks {tag}") };
            assert_eq!(eid.len(), 46);
            assert_eq!(folder_of(&s, &eid), s.special_folder(which).unwrap(), "{tag}");
        }
        let Some(PropValue::MvBinary(ren)) = prop(&s, h, PR_ADDITIONAL_REN_ENTRYIDS) else { panic!() };
        let got: Vec<ObjectId> = ren.iter().map(|e| folder_of(&s, e)).collect();
        let want: Vec<ObjectId> =
            [S::Conflicts, S::SyncIssues, S::LocalFailures, S::ServerFailures, S::JunkEmail]
                .iter()
                .map(|w| s.special_folder(*w).unwrap())
                .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn folder_properties_computed() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = s.special_folder(S::Inbox).unwrap();
    let ipm = s.special_folder(S::IpmSubtree).unwrap();
    let props = s.folder_properties(inbox).unwrap();
    let ids: Vec<u16> = props.iter().map(|t| t.tag.id()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted by id, no duplicates");
    assert_eq!(prop(&s, inbox, PR_FID), Some(PropValue::I64(inbox.to_u64() as i64)));
    assert_eq!(prop(&s, inbox, PR_PARENT_FID), Some(PropValue::I64(ipm.to_u64() as i64)));
    assert_eq!(prop(&s, inbox, PR_ENTRYID), Some(PropValue::Binary(s.folder_entry_id(inbox))));
    assert_eq!(prop(&s, inbox, PR_PARENT_ENTRYID), Some(PropValue::Binary(s.folder_entry_id(ipm))));
    assert_eq!(prop(&s, inbox, PR_CONTENT_COUNT), Some(PropValue::I32(0)));
    assert_eq!(prop(&s, inbox, PR_CONTENT_UNREAD), Some(PropValue::I32(0)));
    assert_eq!(prop(&s, inbox, PR_SUBFOLDERS), Some(PropValue::Bool(false)));
    assert_eq!(prop(&s, ipm, PR_SUBFOLDERS), Some(PropValue::Bool(true)));
    let Some(PropValue::Binary(sk)) = prop(&s, inbox, PR_SOURCE_KEY) else { panic!() };
    assert_eq!(sk.len(), 22);
    assert_eq!(&sk[..16], &s.replica_guid().0);
    let root = s.special_folder(S::Root).unwrap();
    assert!(prop(&s, root, PR_PARENT_ENTRYID).is_none());

    // Writable and computed properties.
    let before = prop(&s, inbox, PR_CHANGE_NUMBER);
    s.set_folder_properties(inbox, &[TaggedValue::new(PR_COMMENT, PropValue::Unicode("mail".into()))])
        .unwrap();
    assert_eq!(text(&s, inbox, PR_COMMENT).as_deref(), Some("mail"));
    assert_ne!(prop(&s, inbox, PR_CHANGE_NUMBER), before, "a change gets a new change number");
    let e = s.set_folder_properties(inbox, &[TaggedValue::new(PR_CONTENT_COUNT, PropValue::I32(5))]);
    assert!(matches!(e, Err(StoreError::Computed(_))));
    assert!(s.is_computed_folder_property(PR_ENTRYID));

    // Unknown folders.
    let nowhere = ObjectId::new(1, 0x00FF_FFFF);
    assert!(matches!(s.folder_properties(nowhere), Err(StoreError::NotFound(_))));
    assert!(!s.folder_exists(nowhere).unwrap());
    assert!(!s.folder_exists(ObjectId::new(7, inbox.global_counter)).unwrap());
    assert!(s.folder_exists(inbox).unwrap());
}

#[test]
fn store_properties() {
    let (_t, _dd, u, s) = mailbox();
    let mask = s.store_property(PR_STORE_SUPPORT_MASK).unwrap().and_then(|v| v.as_i64()).unwrap() as u32;
    for bit in [
        ss::STORE_UNICODE_OK,
        ss::STORE_ENTRYID_UNIQUE,
        ss::STORE_MODIFY_OK,
        ss::STORE_CREATE_OK,
        ss::STORE_SUBMIT_OK,
        ss::STORE_NOTIFY_OK,
        ss::STORE_HTML_OK,
    ] {
        assert_ne!(mask & bit, 0, "bit {bit:#x}");
    }
    assert_eq!(mask & ss::STORE_PUBLIC_FOLDERS, 0);
    assert_eq!(s.store_property(PR_STORE_UNICODE_MASK).unwrap(), Some(PropValue::I32(mask as i32)));
    assert_eq!(
        s.store_property(PR_DISPLAY_NAME).unwrap(),
        Some(PropValue::Unicode("Mailbox - alice".into()))
    );
    assert_eq!(s.store_property(PR_MAILBOX_OWNER_NAME).unwrap(), Some(PropValue::Unicode("alice".into())));
    assert_eq!(
        s.store_property(PR_STORE_RECORD_KEY).unwrap(),
        Some(PropValue::Binary(u.mailbox_guid.0.to_vec()))
    );
    assert_eq!(
        s.store_property(PR_MDB_PROVIDER).unwrap(),
        Some(PropValue::Binary(oxmapi_core::guid::EXCHANGE_PROVIDER_PRIMARY_USER_GUID.0.to_vec()))
    );
    assert_eq!(s.store_property(PR_OBJECT_TYPE).unwrap(), Some(PropValue::I32(1)));
    assert_eq!(s.store_property(PR_MESSAGE_SIZE_EXTENDED).unwrap(), Some(PropValue::I64(0)));
    let Some(PropValue::Binary(owner)) = s.store_property(PR_MAILBOX_OWNER_ENTRYID).unwrap() else {
        panic!()
    };
    let EntryId::AbPermanent(ab) = EntryId::parse(&owner).unwrap() else { panic!() };
    assert_eq!(ab.dn, u.legacy_dn);
    for (tag, which) in [
        (PR_IPM_SUBTREE_ENTRYID, S::IpmSubtree),
        (PR_IPM_OUTBOX_ENTRYID, S::Outbox),
        (PR_IPM_WASTEBASKET_ENTRYID, S::DeletedItems),
        (PR_IPM_SENTMAIL_ENTRYID, S::SentItems),
        (PR_FINDER_ENTRYID, S::Finder),
        (PR_VIEWS_ENTRYID, S::Views),
        (PR_COMMON_VIEWS_ENTRYID, S::CommonViews),
    ] {
        let Some(PropValue::Binary(eid)) = s.store_property(tag).unwrap() else { panic!("{tag}") };
        assert_eq!(folder_of(&s, &eid), s.special_folder(which).unwrap());
    }
    assert_eq!(s.store_property(PR_VALID_FOLDER_MASK).unwrap(), Some(PropValue::I32(0xFF)));

    // Stored properties, and the computed ones refused.
    let locale = TaggedValue::new(PR_LOCALE_ID, PropValue::I32(0x409));
    s.set_store_properties(std::slice::from_ref(&locale)).unwrap();
    assert_eq!(s.store_property(PR_LOCALE_ID).unwrap(), Some(PropValue::I32(0x409)));
    let e = s.set_store_properties(&[TaggedValue::new(PR_STORE_SUPPORT_MASK, PropValue::I32(0))]);
    assert!(matches!(e, Err(StoreError::Computed(_))));
    let m: oxmapi_core::MapiError = e.unwrap_err().into();
    assert_eq!(m.code, oxmapi_core::error::codes::MAPI_E_COMPUTED);
    assert!(s.is_computed_store_property(PR_DISPLAY_NAME));
    s.delete_store_properties(&[PR_LOCALE_ID]).unwrap();
    assert_eq!(s.store_property(PR_LOCALE_ID).unwrap(), None);
    assert_eq!(s.store_state(), 0);
    assert!(s.integrity_check().unwrap());
}

#[test]
fn receive_folders() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = s.special_folder(S::Inbox).unwrap();
    let root = s.special_folder(S::Root).unwrap();
    let calendar = s.special_folder(S::Calendar).unwrap();
    let rf = |c: &str| s.receive_folder(c).unwrap();
    assert_eq!(rf(""), (inbox, String::new()));
    assert_eq!(rf("IPM.Note"), (inbox, "IPM".into()));
    assert_eq!(rf("ipm"), (inbox, "IPM".into()));
    assert_eq!(rf("Report.IPM.Note.NDR"), (inbox, "REPORT.IPM".into()));
    assert_eq!(rf("IPC.Something"), (root, "IPC".into()));
    assert_eq!(rf("IPCX"), (inbox, String::new()), "prefixes match whole dotted components");
    assert_eq!(rf("Custom.Class"), (inbox, String::new()));

    s.set_receive_folder("IPM.Appointment", calendar).unwrap();
    assert_eq!(rf("IPM.APPOINTMENT.Special"), (calendar, "IPM.Appointment".into()));
    assert_eq!(rf("IPM.Note"), (inbox, "IPM".into()));
    s.set_receive_folder("ipm.appointment", root).unwrap(); // same entry, case-insensitively
    assert_eq!(rf("IPM.Appointment"), (root, "IPM.Appointment".into()));
    let table = s.receive_folder_table().unwrap();
    assert_eq!(table.len(), 5);
    assert!(table.iter().all(|e| e.last_modified.0 > 0));

    s.set_receive_folder("IPM.Appointment", ObjectId::ZERO).unwrap();
    assert_eq!(rf("IPM.Appointment"), (inbox, "IPM".into()));
    s.set_receive_folder("Not.There", ObjectId::ZERO).unwrap(); // deleting nothing is fine
    s.set_receive_folder("", calendar).unwrap(); // the default can move
    assert_eq!(rf("Custom.Class"), (calendar, String::new()));

    // MS-OXCSTOR 3.2.5.3 errors.
    assert!(matches!(s.set_receive_folder("", ObjectId::ZERO), Err(StoreError::Failed(_))));
    assert!(matches!(s.set_receive_folder("IPM", calendar), Err(StoreError::AccessDenied(_))));
    assert!(matches!(s.set_receive_folder("report.ipm", calendar), Err(StoreError::AccessDenied(_))));
    for bad in [".A", "A.", "A..B", "Ä", &"A".repeat(255)] {
        assert!(matches!(s.set_receive_folder(bad, inbox), Err(StoreError::InvalidParameter(_))), "{bad:?}");
        assert!(matches!(s.receive_folder(bad), Err(StoreError::InvalidParameter(_))), "{bad:?}");
    }
    let nowhere = ObjectId::new(1, 0xABCDEF);
    assert!(matches!(s.set_receive_folder("X.Y", nowhere), Err(StoreError::NotFound(_))));
    let m: oxmapi_core::MapiError = s.set_receive_folder("", ObjectId::ZERO).unwrap_err().into();
    assert_eq!(m.code.0, 0x8000_4005);
}

#[test]
fn ids_are_monotonic_and_survive_reopen() {
    let (_t, dd, u, s) = mailbox();
    let a = s.allocate_ids(10).unwrap();
    let b = s.allocate_ids(1).unwrap();
    let c = s.next_change_number().unwrap();
    assert_eq!(a.replica_id, 1);
    assert_eq!(b.global_counter, a.global_counter + 10);
    assert_eq!(c.global_counter, b.global_counter + 1);
    let highest_folder = s.logon_folder_ids().iter().map(|f| f.global_counter).max().unwrap();
    assert!(a.global_counter > highest_folder);
    assert!(matches!(s.allocate_ids(0), Err(StoreError::InvalidParameter(_))));
    assert!(matches!(s.allocate_ids(1 << 48), Err(StoreError::Full(_))));
    drop(s);
    let s = dd.open_mailbox(&u).unwrap();
    assert!(s.allocate_ids(1).unwrap().global_counter > c.global_counter);
}

#[test]
fn long_term_ids() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = s.special_folder(S::Inbox).unwrap();
    let lt = s.long_term_id(inbox).unwrap();
    assert_eq!(lt.database_guid, s.replica_guid());
    assert_eq!(lt.global_counter, inbox.global_counter);
    assert_eq!(s.id_from_long_term_id(&lt).unwrap(), inbox);
    let mid = s.allocate_ids(1).unwrap();
    assert_eq!(s.id_from_long_term_id(&s.long_term_id(mid).unwrap()).unwrap(), mid);
    let unknown = LongTermId { database_guid: Guid::new_random(), global_counter: 5, pad: 0 };
    // An unknown replica GUID is registered under a new replica id, the same every time
    // (MS-OXCSTOR 3.2.5.9), and the mapping works back (3.2.5.8).
    let registered = s.id_from_long_term_id(&unknown).unwrap();
    assert_eq!(registered.replica_id, 2);
    assert_eq!(registered.global_counter, 5);
    assert_eq!(s.id_from_long_term_id(&unknown).unwrap(), registered);
    assert_eq!(s.long_term_id(registered).unwrap(), unknown);
    let null = LongTermId { database_guid: Guid::NULL, global_counter: 5, pad: 0 };
    assert!(matches!(s.id_from_long_term_id(&null), Err(StoreError::InvalidParameter(_))));
    assert!(matches!(s.long_term_id(ObjectId::new(9, 5)), Err(StoreError::NotFound(_))));
    assert_eq!(s.replica_id(), 1);
    assert_eq!(s.replica_id_of(&s.replica_guid()).unwrap(), 1);
    // Entry IDs of other stores are not ours.
    let other = EntryId::Folder(FolderEntryId {
        flags: 0,
        provider_uid: Guid::new_random(),
        folder_type: eit::PRIVATE_FOLDER,
        folder: LongTermRef { database_guid: s.replica_guid(), global_counter: inbox.global_counter },
    })
    .to_bytes();
    assert!(matches!(s.folder_id_from_entry_id(&other), Err(StoreError::NotFound(_))));
    assert!(matches!(s.folder_id_from_entry_id(&[1, 2, 3]), Err(StoreError::InvalidParameter(_))));
}

/// SQLite only: a public store file made and reopened by path.
#[test]
fn public_store() {
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("public.sqlite");
    let s = MessageStore::create_public(&path).unwrap();
    assert_eq!(s.kind(), StoreKind::Public);
    assert!(s.owner().is_none());
    let ids = s.logon_folder_ids();
    for (i, which) in
        [S::Root, S::IpmSubtree, S::NonIpmSubtree, S::EFormsRegistry, S::FreeBusy, S::OfflineAddressBook]
            .iter()
            .enumerate()
    {
        assert_eq!(Some(ids[i]), s.special_folder(*which), "{which:?}");
        assert!(!ids[i].is_zero());
    }
    assert!(ids[6..].iter().all(|i| i.is_zero()));
    let ipm = s.special_folder(S::IpmSubtree).unwrap();
    assert_eq!(text(&s, ipm, PR_DISPLAY_NAME).as_deref(), Some("IPM_SUBTREE"));
    let eforms = s.special_folder(S::EFormsRegistry).unwrap();
    assert_eq!(s.folder_parent(eforms).unwrap(), s.special_folder(S::NonIpmSubtree));
    let mask = s.store_property(PR_STORE_SUPPORT_MASK).unwrap().and_then(|v| v.as_i64()).unwrap() as u32;
    assert_ne!(mask & ss::STORE_PUBLIC_FOLDERS, 0);
    assert_ne!(mask & ss::STORE_UNICODE_OK, 0);
    assert_eq!(mask & ss::STORE_SUBMIT_OK, 0);
    assert_eq!(s.store_property(PR_DISPLAY_NAME).unwrap(), Some(PropValue::Unicode("Public Folders".into())));
    let Some(PropValue::Binary(eid)) = s.store_property(PR_IPM_PUBLIC_FOLDERS_ENTRYID).unwrap() else {
        panic!()
    };
    let EntryId::Folder(f) = EntryId::parse(&eid).unwrap() else { panic!() };
    assert_eq!(f.folder_type, eit::PUBLIC_FOLDER);
    assert_eq!(f.provider_uid, LONG_TERM_NON_PRIVATE_GUID);
    assert_eq!(s.folder_id_from_entry_id(&eid).unwrap(), ipm);
    // Receive folders are private-mailbox only.
    assert!(matches!(s.receive_folder("IPM"), Err(StoreError::NotSupported(_))));
    assert!(matches!(s.set_receive_folder("X", ipm), Err(StoreError::NotSupported(_))));
    assert!(s.integrity_check().unwrap());
    drop(s);
    let again = MessageStore::open(&path).unwrap();
    assert_eq!(again.logon_folder_ids(), ids);
    assert!(matches!(MessageStore::create_public(&path), Err(StoreError::Collision(_))));
    assert!(matches!(MessageStore::open(&t.path().join("nope.sqlite")), Err(StoreError::NotFound(_))));
}

#[test]
fn concurrent_writers_get_distinct_ids() {
    let (_t, dd, u, s) = mailbox();
    let shared = Arc::new(s);
    let mut handles = Vec::new();
    for i in 0..4 {
        let shared = Arc::clone(&shared);
        let (dd, u) = (dd.clone(), u.clone());
        handles.push(std::thread::spawn(move || {
            // Two threads share one store; two open their own (a connection to the same file,
            // or a handle on the same mailbox of the database).
            let own = (i % 2 == 1).then(|| dd.open_mailbox(&u).unwrap());
            let store = own.as_ref().unwrap_or(&shared);
            (0..50).map(|_| store.allocate_ids(3).unwrap()).collect::<Vec<_>>()
        }));
    }
    let mut seen = HashSet::new();
    for h in handles {
        for first in h.join().unwrap() {
            for k in 0..3 {
                assert!(seen.insert(first.global_counter + k), "duplicate id");
            }
        }
    }
    assert_eq!(seen.len(), 4 * 50 * 3);
    assert!(shared.integrity_check().unwrap());
}
