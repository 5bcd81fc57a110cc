//! Folder operations against real mailbox files (MS-OXCFOLD 3.2.5).

use crate::db::params;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{DeleteFolderFlags, FolderType, HierarchyRow, PR_FOLDER_CHILD_COUNT, split_path};
use crate::mailbox::ids::allocate;
use crate::mailbox::{MessageStore, SpecialFolder as S};
use crate::tests::{site, user_with_mailbox};
use crate::{Site, StoreError, User};

fn mailbox() -> (tempfile::TempDir, Site, User, MessageStore) {
    let (t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    (t, dd, u, s)
}

fn special(s: &MessageStore, w: S) -> ObjectId {
    s.special_folder(w).unwrap()
}

fn mkdir(s: &MessageStore, parent: ObjectId, name: &str) -> ObjectId {
    let (fid, existed) = s.create_folder(parent, name, None, None, FolderType::Generic, false).unwrap();
    assert!(!existed);
    fid
}

/// Inserts a message row directly (the messages API lives elsewhere) with one property.
fn add_message(s: &MessageStore, fid: ObjectId, associated: bool, read: bool) -> i64 {
    let conn = s.lock().unwrap();
    let mid = allocate(&conn, 1).unwrap() as i64;
    conn.execute(
        "INSERT INTO messages (mid, fid, associated, change_number, message_size, read, created, modified) \
         VALUES (?1, ?2, ?3, ?1, 100, ?4, 1, 1)",
        params![mid, fid.global_counter as i64, associated, read],
    )
    .unwrap();
    conn.execute(
        // PR_SUBJECT: property 0x0037 of type 0x001F (decimal: PostgreSQL 15 has no hex literals).
        "INSERT INTO message_properties (mid, propid, proptype, value) VALUES (?1, 55, 31, ?2)",
        params![mid, format!("subject {mid}")],
    )
    .unwrap();
    mid
}

fn messages_in(s: &MessageStore, fid: ObjectId) -> Vec<(i64, String)> {
    let conn = s.lock().unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.mid, p.value FROM messages m JOIN message_properties p ON p.mid = m.mid AND p.propid = 55 \
             WHERE m.fid = ?1 AND m.soft_deleted = 0 ORDER BY m.mid",
        )
        .unwrap();
    stmt.query_map([fid.global_counter as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn prop(s: &MessageStore, fid: ObjectId, tag: oxmapi_core::tag::PropTag) -> Option<PropValue> {
    s.folder_property(fid, tag).unwrap()
}

fn name(s: &MessageStore, fid: ObjectId) -> String {
    prop(s, fid, PR_DISPLAY_NAME).and_then(|v| v.as_text().map(|t| t.into_owned())).unwrap()
}

const ALL: DeleteFolderFlags =
    DeleteFolderFlags { del_messages: true, del_folders: true, hard_delete: false };

#[test]
fn create_folder_properties_and_collisions() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let (p, existed) = s
        .create_folder(inbox, "Projects", Some("work"), Some("IPF.Note"), FolderType::Generic, false)
        .unwrap();
    assert!(!existed);
    assert_eq!(p.replica_id, 1);
    assert_eq!(name(&s, p), "Projects");
    assert_eq!(prop(&s, p, PR_COMMENT), Some(PropValue::Unicode("work".into())));
    assert_eq!(prop(&s, p, PR_CONTAINER_CLASS), Some(PropValue::Unicode("IPF.Note".into())));
    assert_eq!(prop(&s, p, PR_FOLDER_TYPE), Some(PropValue::I32(1)));
    assert_eq!(prop(&s, p, PR_PARENT_FID), Some(PropValue::I64(inbox.to_u64() as i64)));
    let Some(PropValue::SysTime(created)) = prop(&s, p, PR_CREATION_TIME) else { panic!() };
    assert!(created.0 > 0);
    assert!(prop(&s, p, PR_CHANGE_NUMBER).is_some());
    assert_eq!(prop(&s, inbox, PR_SUBFOLDERS), Some(PropValue::Bool(true)));

    // No comment or class unless given.
    let bare = mkdir(&s, inbox, "Bare");
    assert_eq!(prop(&s, bare, PR_COMMENT), None);
    assert_eq!(prop(&s, bare, PR_CONTAINER_CLASS), None);

    // Duplicates, case-insensitively and Unicode-aware.
    for dup in ["Projects", "PROJECTS", "projects"] {
        let e = s.create_folder(inbox, dup, None, None, FolderType::Generic, false).unwrap_err();
        assert!(matches!(e, StoreError::Collision(_)), "{dup}: {e}");
        let m: oxmapi_core::MapiError = e.into();
        assert_eq!(m.code.0, 0x8004_0604);
    }
    let g = mkdir(&s, p, "Grüße 日本");
    // "ß".to_lowercase() is "ß", not "ss": "GRÜSSE" is a different name.
    assert!(s.create_folder(p, "GRÜSSE 日本", None, None, FolderType::Generic, false).is_ok());
    assert!(matches!(
        s.create_folder(p, "GRÜßE 日本", None, None, FolderType::Generic, false),
        Err(StoreError::Collision(_))
    ));
    assert_eq!(name(&s, g), "Grüße 日本");
    // OpenExisting returns the folder that is there.
    assert_eq!(s.create_folder(inbox, "projects", None, None, FolderType::Generic, true).unwrap(), (p, true));
    // The same name under another parent is fine.
    mkdir(&s, special(&s, S::Drafts), "Projects");

    // Bad arguments.
    assert!(matches!(
        s.create_folder(inbox, "", None, None, FolderType::Generic, false),
        Err(StoreError::InvalidParameter(_))
    ));
    assert!(matches!(
        s.create_folder(inbox, "a\0b", None, None, FolderType::Generic, false),
        Err(StoreError::InvalidParameter(_))
    ));
    let nowhere = ObjectId::new(1, 0xFF_FFFF);
    assert!(matches!(
        s.create_folder(nowhere, "x", None, None, FolderType::Generic, false),
        Err(StoreError::NotFound(_))
    ));
    assert!(FolderType::try_from(0).is_err());
    assert_eq!(FolderType::try_from(2).unwrap(), FolderType::Search);

    // Search folders have no subfolders.
    let (search, _) = s.create_folder(inbox, "Found", None, None, FolderType::Search, false).unwrap();
    assert_eq!(prop(&s, search, PR_FOLDER_TYPE), Some(PropValue::I32(2)));
    assert!(matches!(
        s.create_folder(search, "x", None, None, FolderType::Generic, false),
        Err(StoreError::NotSupported(_))
    ));
    assert!(s.integrity_check().unwrap());
}

#[test]
fn lookups_by_name_and_path() {
    let (_t, _dd, _u, s) = mailbox();
    let ipm = special(&s, S::IpmSubtree);
    let inbox = special(&s, S::Inbox);
    let p = mkdir(&s, inbox, "Projects");
    let g = mkdir(&s, p, "Grüße 日本");
    let slash = mkdir(&s, p, "a/b\\c");
    assert_eq!(s.folder_by_name(ipm, "INBOX").unwrap(), Some(inbox));
    assert_eq!(s.folder_by_name(ipm, "nope").unwrap(), None);
    assert_eq!(s.resolve_path(ipm, "/Inbox/Projects").unwrap(), p);
    assert_eq!(s.resolve_path(ipm, "inbox//projects/").unwrap(), p);
    assert_eq!(s.resolve_path(ipm, "/Inbox/Projects/grüße 日本").unwrap(), g);
    assert_eq!(s.resolve_path(ipm, "/Inbox/Projects/a\\/b\\\\c").unwrap(), slash);
    assert_eq!(s.resolve_path(ipm, "/").unwrap(), ipm);
    assert_eq!(s.resolve_path(ipm, "").unwrap(), ipm);
    assert_eq!(s.resolve_path(ipm, "/Sent Items").unwrap(), special(&s, S::SentItems));
    let e = s.resolve_path(ipm, "/Inbox/NoSuchFolder/x").unwrap_err();
    assert!(
        matches!(&e, StoreError::NotFound(m) if m.contains("\"NoSuchFolder\"") && m.contains("/Inbox")),
        "{e}"
    );
    let m: oxmapi_core::MapiError = e.into();
    assert_eq!(m.code.0, 0x8004_010F);
    assert!(matches!(s.resolve_path(ObjectId::new(1, 0xFF_FFFF), "/x"), Err(StoreError::NotFound(_))));
    assert_eq!(split_path("a\\"), vec!["a\\"]);
}

#[test]
fn delete_refusals_and_recursive_delete() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let p = mkdir(&s, inbox, "Projects");
    let sub = mkdir(&s, p, "Sub");
    let deeper = mkdir(&s, sub, "Deeper");
    add_message(&s, p, false, false);
    add_message(&s, deeper, false, true);

    let none = DeleteFolderFlags::default();
    let e = s.delete_folder(inbox, p, none).unwrap_err();
    assert!(matches!(e, StoreError::HasMessages(_)), "{e}");
    let m: oxmapi_core::MapiError = e.into();
    assert_eq!(m.code.0, 0x8004_060A);
    let only_msgs = DeleteFolderFlags::from_bits(DeleteFolderFlags::DEL_MESSAGES);
    let e = s.delete_folder(inbox, p, only_msgs).unwrap_err();
    assert!(matches!(e, StoreError::HasFolders(_)), "{e}");
    let m: oxmapi_core::MapiError = e.into();
    assert_eq!(m.code.0, 0x8004_0609);
    // DEL_FOLDERS alone is refused because a subfolder holds a message.
    let only_folders = DeleteFolderFlags::from_bits(DeleteFolderFlags::DEL_FOLDERS);
    let e = s.delete_folder(p, sub, only_folders).unwrap_err();
    assert!(matches!(&e, StoreError::HasMessages(m) if m.contains("subfolder")), "{e}");
    // Nothing was deleted by the refusals.
    assert!(s.folder_exists(deeper).unwrap());
    assert_eq!(messages_in(&s, p).len(), 1);

    // Wrong parent, special folders.
    assert!(matches!(s.delete_folder(special(&s, S::Drafts), p, ALL), Err(StoreError::NotFound(_))));
    assert!(matches!(s.delete_folder(p, special(&s, S::Outbox), ALL), Err(StoreError::NotFound(_))));
    assert!(matches!(s.delete_folder(inbox, ObjectId::new(1, 0xFF_FFFF), ALL), Err(StoreError::NotFound(_))));
    let ipm = special(&s, S::IpmSubtree);
    let e = s.delete_folder(ipm, inbox, ALL).unwrap_err();
    assert!(matches!(e, StoreError::AccessDenied(_)), "{e}");

    // Recursive soft delete hides the subtree and its messages.
    assert!(!s.delete_folder(inbox, p, ALL).unwrap());
    for f in [p, sub, deeper] {
        assert!(!s.folder_exists(f).unwrap());
    }
    assert_eq!(s.folder_by_name(inbox, "Projects").unwrap(), None);
    assert_eq!(prop(&s, inbox, PR_SUBFOLDERS), Some(PropValue::Bool(false)));
    assert_eq!(s.store_property(PR_CONTENT_COUNT).unwrap(), Some(PropValue::I32(0)));
    // The name is free again; rows are still there (soft).
    let again = mkdir(&s, inbox, "projects");
    assert_ne!(again, p);
    let rows: i64 = s
        .lock()
        .unwrap()
        .query_row("SELECT count(*) FROM folders WHERE soft_deleted = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 3);

    // A hard delete removes the rows, including soft-deleted ones below.
    let x = mkdir(&s, again, "x");
    add_message(&s, x, false, false);
    s.delete_folder(again, x, ALL).unwrap();
    let hard = DeleteFolderFlags { hard_delete: true, ..ALL };
    s.delete_folder(inbox, again, hard).unwrap();
    let conn = s.lock().unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM folders WHERE fid IN (?1, ?2)",
            params![again.global_counter as i64, x.global_counter as i64],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
    let msgs: i64 = conn
        .query_row("SELECT count(*) FROM messages WHERE fid = ?1", [x.global_counter as i64], |r| r.get(0))
        .unwrap();
    assert_eq!(msgs, 0);
    drop(conn);
    assert!(s.integrity_check().unwrap());
}

#[test]
fn receive_folders_are_not_deleted() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let p = mkdir(&s, inbox, "Projects");
    let r = mkdir(&s, p, "Receiver");
    s.set_receive_folder("IPM.Custom", r).unwrap();
    assert!(matches!(s.delete_folder(inbox, p, ALL), Err(StoreError::AccessDenied(_))));
    assert!(s.empty_folder(p, true, true).unwrap(), "partial completion");
    assert!(s.folder_exists(r).unwrap());
    s.set_receive_folder("IPM.Custom", ObjectId::ZERO).unwrap();
    let hard = DeleteFolderFlags { hard_delete: true, ..ALL };
    assert!(!s.delete_folder(inbox, p, hard).unwrap());
}

#[test]
fn empty_folder_keeps_the_folder() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let p = mkdir(&s, inbox, "Projects");
    let sub = mkdir(&s, p, "Sub");
    add_message(&s, p, false, false);
    add_message(&s, p, true, false);
    add_message(&s, sub, false, false);
    assert!(!s.empty_folder(p, false, false).unwrap());
    assert!(s.folder_exists(p).unwrap());
    assert!(!s.folder_exists(sub).unwrap());
    assert_eq!(prop(&s, p, PR_CONTENT_COUNT), Some(PropValue::I32(0)));
    assert_eq!(prop(&s, p, PR_ASSOC_CONTENT_COUNT), Some(PropValue::I32(1)), "FAI kept");
    assert!(!s.empty_folder(p, true, true).unwrap());
    assert_eq!(prop(&s, p, PR_ASSOC_CONTENT_COUNT), Some(PropValue::I32(0)));
    let all: i64 = s
        .lock()
        .unwrap()
        .query_row("SELECT count(*) FROM messages WHERE fid = ?1", [p.global_counter as i64], |r| r.get(0))
        .unwrap();
    assert_eq!(all, 0, "hard delete purges soft-deleted messages too");
    // Emptying the IPM subtree spares the special folders (with their subtrees) and says so.
    let ipm = special(&s, S::IpmSubtree);
    let top = mkdir(&s, ipm, "Top");
    assert!(s.empty_folder(ipm, false, false).unwrap());
    assert!(!s.folder_exists(top).unwrap());
    assert!(s.folder_exists(inbox).unwrap() && s.folder_exists(p).unwrap());
    assert_eq!(s.folder_children(ipm).unwrap().len(), 12);
    assert!(matches!(
        s.empty_folder(ObjectId::new(1, 0xFF_FFFF), false, false),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn move_folder_rules() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let drafts = special(&s, S::Drafts);
    let p = mkdir(&s, inbox, "Projects");
    let sub = mkdir(&s, p, "Sub");
    mkdir(&s, drafts, "Taken");
    let cn = prop(&s, p, PR_CHANGE_NUMBER);

    assert!(matches!(s.move_folder(inbox, p, p, ""), Err(StoreError::InvalidParameter(_))), "into itself");
    assert!(
        matches!(s.move_folder(inbox, p, sub, ""), Err(StoreError::InvalidParameter(_))),
        "into its child"
    );
    assert!(matches!(s.move_folder(inbox, p, drafts, "TAKEN"), Err(StoreError::Collision(_))));
    assert!(matches!(s.move_folder(drafts, p, inbox, ""), Err(StoreError::NotFound(_))), "wrong parent");
    let ipm = special(&s, S::IpmSubtree);
    assert!(matches!(s.move_folder(ipm, inbox, drafts, ""), Err(StoreError::AccessDenied(_))));
    assert_eq!(s.folder_parent(p).unwrap(), Some(inbox));

    // A rename in place that only changes case is no collision with itself.
    s.move_folder(inbox, p, inbox, "PROJECTS").unwrap();
    assert_eq!(name(&s, p), "PROJECTS");
    s.move_folder(inbox, p, drafts, "").unwrap();
    assert_eq!(s.folder_parent(p).unwrap(), Some(drafts));
    assert_eq!(name(&s, p), "PROJECTS");
    assert_ne!(prop(&s, p, PR_CHANGE_NUMBER), cn);
    assert_eq!(s.resolve_path(ipm, "/Drafts/Projects/Sub").unwrap(), sub);
    s.move_folder(drafts, p, inbox, "Grüße 日本").unwrap();
    assert_eq!(s.resolve_path(ipm, "/inbox/GRÜSSE 日本/sub").ok(), None);
    assert_eq!(s.resolve_path(ipm, "/inbox/GRÜßE 日本/sub").unwrap(), sub);
}

#[test]
fn copy_folder_recursive_with_new_ids() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let drafts = special(&s, S::Drafts);
    let (p, _) =
        s.create_folder(inbox, "Projects", Some("c"), Some("IPF.Note"), FolderType::Generic, false).unwrap();
    let sub = mkdir(&s, p, "Sub");
    let deeper = mkdir(&s, sub, "Deeper");
    let m1 = add_message(&s, p, false, false);
    let m2 = add_message(&s, deeper, true, true);
    let gone = add_message(&s, p, false, false);
    s.lock().unwrap().execute("UPDATE messages SET soft_deleted = 1 WHERE mid = ?1", [gone]).unwrap();

    assert!(matches!(s.copy_folder(inbox, p, sub, "x", true), Err(StoreError::InvalidParameter(_))));
    assert!(matches!(s.copy_folder(inbox, p, inbox, "projects", true), Err(StoreError::Collision(_))));

    let copy = s.copy_folder(inbox, p, drafts, "", true).unwrap();
    assert_ne!(copy, p);
    assert_eq!(name(&s, copy), "Projects");
    assert_eq!(prop(&s, copy, PR_COMMENT), Some(PropValue::Unicode("c".into())));
    assert_eq!(prop(&s, copy, PR_PARENT_FID), Some(PropValue::I64(drafts.to_u64() as i64)));
    let copied = messages_in(&s, copy);
    assert_eq!(copied.len(), 1, "live messages only");
    assert_ne!(copied[0].0, m1);
    assert_eq!(copied[0].1, format!("subject {m1}"));
    let csub = s.folder_by_name(copy, "sub").unwrap().unwrap();
    let cdeeper = s.folder_by_name(csub, "Deeper").unwrap().unwrap();
    assert!(![p, sub, deeper].contains(&csub) && cdeeper != deeper);
    assert_eq!(prop(&s, cdeeper, PR_ASSOC_CONTENT_COUNT), Some(PropValue::I32(1)));
    let cm = messages_in(&s, cdeeper);
    assert_ne!(cm[0].0, m2);
    let read: i64 = s
        .lock()
        .unwrap()
        .query_row("SELECT read FROM messages WHERE mid = ?1", [cm[0].0], |r| r.get(0))
        .unwrap();
    assert_eq!(read, 1);
    // The source is untouched.
    assert_eq!(messages_in(&s, p).len(), 1);
    assert_eq!(s.folder_parent(p).unwrap(), Some(inbox));

    // Not recursive: properties and messages, no subfolders. A special folder copies as ordinary.
    let flat = s.copy_folder(inbox, p, inbox, "Flat", false).unwrap();
    assert_eq!(prop(&s, flat, PR_SUBFOLDERS), Some(PropValue::Bool(false)));
    assert_eq!(messages_in(&s, flat).len(), 1);
    let ipm = special(&s, S::IpmSubtree);
    let inbox_copy = s.copy_folder(ipm, inbox, drafts, "Inbox copy", false).unwrap();
    assert_eq!(s.special_folder_kind(inbox_copy), None);
    s.delete_folder(drafts, inbox_copy, ALL).unwrap();
    assert!(s.integrity_check().unwrap());
}

#[test]
fn hierarchy_rows_depth_order_and_counts() {
    let (_t, dd, u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let a = mkdir(&s, inbox, "A");
    let a1 = mkdir(&s, a, "A1");
    let a1x = mkdir(&s, a1, "A1x");
    let a2 = mkdir(&s, a, "A2");
    let b = mkdir(&s, inbox, "B");
    let dead = mkdir(&s, inbox, "Dead");
    s.delete_folder(inbox, dead, ALL).unwrap();
    add_message(&s, a, false, false);
    add_message(&s, a, false, true);
    add_message(&s, a, true, false);
    let gone = add_message(&s, a, false, false);
    s.lock().unwrap().execute("UPDATE messages SET soft_deleted = 1 WHERE mid = ?1", [gone]).unwrap();

    let flat = s.hierarchy(inbox, false).unwrap();
    assert_eq!(flat.iter().map(|r| r.fid).collect::<Vec<_>>(), vec![a, b]);
    assert!(flat.iter().all(|r| r.depth == 1 && r.parent == inbox));
    let deep = s.hierarchy(inbox, true).unwrap();
    let order: Vec<(ObjectId, u32)> = deep.iter().map(|r| (r.fid, r.depth)).collect();
    assert_eq!(order, vec![(a, 1), (a1, 2), (a1x, 3), (a2, 2), (b, 1)]);
    let ra = &deep[0];
    assert_eq!(
        (ra.display_name.as_str(), ra.content_count, ra.unread_count, ra.assoc_count, ra.child_count),
        ("A", 2, 1, 1, 2)
    );
    assert_eq!(deep[2].parent, a1);

    let props = s.hierarchy_row_properties(ra).unwrap();
    let get = |tag: oxmapi_core::tag::PropTag| props.iter().find(|p| p.tag == tag).map(|p| p.value.clone());
    assert_eq!(get(PR_DEPTH), Some(PropValue::I32(1)));
    assert_eq!(get(PR_FOLDER_CHILD_COUNT), Some(PropValue::I32(2)));
    assert_eq!(get(PR_SUBFOLDERS), Some(PropValue::Bool(true)));
    assert_eq!(get(PR_CONTENT_COUNT), Some(PropValue::I32(2)));
    assert_eq!(get(PR_CONTENT_UNREAD), Some(PropValue::I32(1)));
    assert_eq!(get(PR_ASSOC_CONTENT_COUNT), Some(PropValue::I32(1)));
    assert!(props.windows(2).all(|w| w[0].tag.id() < w[1].tag.id()));
    let leaf: &HierarchyRow = &deep[2];
    let lp = s.hierarchy_row_properties(leaf).unwrap();
    assert!(lp.iter().any(|p| p.tag == PR_SUBFOLDERS && p.value == PropValue::Bool(false)));
    assert!(matches!(s.hierarchy(dead, false), Err(StoreError::NotFound(_))));

    // Everything persists across a reopen.
    drop(s);
    let s = dd.open_mailbox(&u).unwrap();
    assert_eq!(s.hierarchy(inbox, true).unwrap(), deep);
    assert_eq!(s.resolve_path(special(&s, S::IpmSubtree), "/Inbox/A/A1/A1x").unwrap(), a1x);
    assert_eq!(s.hierarchy(a2, true).unwrap(), vec![]);
}

/// Through the messages API: copies carry attachments (large values shared), hard deletes
/// cascade to attachments and sweep the blobs nothing references any more.
#[test]
fn copy_and_delete_whole_messages() {
    let (_t, _dd, _u, s) = mailbox();
    let inbox = special(&s, S::Inbox);
    let p = mkdir(&s, inbox, "Projects");
    let mut msg = s.create_message(p, false).unwrap();
    s.set_properties(&mut msg, &[TaggedValue::new(PR_SUBJECT, PropValue::Unicode("hello".into()))]).unwrap();
    let mut att = s.create_attachment(&mut msg).unwrap();
    let big = PropValue::Binary(vec![7; 100_000]);
    s.set_properties(&mut att, &[TaggedValue::new(PR_ATTACH_DATA_BIN, big)]).unwrap();
    s.save_attachment(&mut msg, &mut att).unwrap();
    let mid = s.save_message(&mut msg, false).unwrap();
    let count = |sql: &str| -> i64 { s.lock().unwrap().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM attachments"), 1);
    assert_eq!(count("SELECT count(*) FROM blobs"), 1);

    let copy = s.copy_folder(inbox, p, inbox, "Copy", false).unwrap();
    let copied = s.contents(copy, false).unwrap();
    assert_eq!(copied.len(), 1);
    assert_ne!(copied[0], mid);
    assert_eq!(count("SELECT count(*) FROM attachments"), 2);
    assert_eq!(count("SELECT count(*) FROM blobs"), 1, "the large value is shared");
    assert_eq!(prop(&s, copy, PR_CONTENT_COUNT), Some(PropValue::I32(1)));

    let hard = DeleteFolderFlags { hard_delete: true, ..ALL };
    s.delete_folder(inbox, p, hard).unwrap();
    assert_eq!(count("SELECT count(*) FROM attachments"), 1);
    assert_eq!(count("SELECT count(*) FROM blobs"), 1, "still used by the copy");
    s.delete_folder(inbox, copy, hard).unwrap();
    assert_eq!(count("SELECT count(*) FROM attachments"), 0);
    assert_eq!(count("SELECT count(*) FROM messages"), 0);
    assert_eq!(count("SELECT count(*) FROM blobs"), 0, "swept");
    assert!(s.integrity_check().unwrap());
}
