use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::*;
use crate::StoreError;
use crate::mailbox::messages::read_flags::*;
use crate::mailbox::messages::{Loc, copy_message_rows};

fn unread(s: &MessageStore, fid: ObjectId) -> PropValue {
    s.folder_property(fid, PR_CONTENT_UNREAD).unwrap().unwrap()
}

/// A message that arrived unread.
fn put_unread(s: &MessageStore, fid: ObjectId, subject: &str) -> ObjectId {
    let mut d = s.create_message(fid, false).unwrap();
    s.set_properties(&mut d, &[tv(PR_SUBJECT, text(subject)), tv(PR_MESSAGE_FLAGS, PropValue::I32(0))])
        .unwrap();
    s.save_message(&mut d, false).unwrap()
}

#[test]
fn move_copy_delete() {
    let f = fixture();
    let s = &f.store;
    let drafts = f.folder(SpecialFolder::Drafts);
    let deleted = f.folder(SpecialFolder::DeletedItems);
    let a = put(s, f.inbox, "a");
    let b = put(s, f.inbox, "b");
    let c = put(s, f.inbox, "c");
    let missing = ObjectId::new(1, 0xFFFF_FFFF);

    let (partial, copied) = s.move_copy_messages(f.inbox, &[a, missing, b], drafts, true).unwrap();
    assert!(partial);
    assert_eq!(copied.len(), 2);
    assert!(copied.iter().all(|m| *m != a && *m != b), "copies get new MIDs");
    assert_eq!(s.contents(drafts, false).unwrap(), copied);
    assert_eq!(s.contents(f.inbox, false).unwrap(), vec![a, b, c]);
    assert_eq!(s.message_property(copied[0], PR_SUBJECT).unwrap(), Some(text("a")));
    assert_ne!(
        s.message_property(copied[0], PR_SOURCE_KEY).unwrap(),
        s.message_property(a, PR_SOURCE_KEY).unwrap()
    );

    let key = s.message_property(c, PR_SOURCE_KEY).unwrap();
    let cn = s.message_property(c, PR_CHANGE_NUMBER).unwrap();
    let (partial, moved) = s.move_copy_messages(f.inbox, &[c], deleted, false).unwrap();
    assert!(!partial);
    assert_eq!(moved, vec![c], "a move keeps the MID");
    assert_eq!(s.contents(f.inbox, false).unwrap(), vec![a, b]);
    assert_eq!(s.contents(deleted, false).unwrap(), vec![c]);
    assert_eq!(s.message_folder(c).unwrap(), deleted);
    assert_eq!(s.message_property(c, PR_SOURCE_KEY).unwrap(), key);
    assert_ne!(s.message_property(c, PR_CHANGE_NUMBER).unwrap(), cn);
    let (fid, mid) = s.message_ids_from_entry_id(&s.message_entry_id(deleted, c)).unwrap();
    assert_eq!((fid, mid), (deleted, c));

    // Soft delete hides, hard delete removes; unknown MIDs make the result partial.
    assert!(!s.delete_messages(f.inbox, &[a], false).unwrap());
    assert_eq!(s.contents(f.inbox, false).unwrap(), vec![b]);
    assert!(matches!(s.open_message(f.inbox, a), Err(StoreError::NotFound(_))));
    assert_eq!(count(s, "SELECT count(*) FROM messages WHERE soft_deleted = 1"), 1);
    assert!(s.delete_messages(f.inbox, &[b, c], true).unwrap(), "c is not in the Inbox");
    assert!(s.contents(f.inbox, false).unwrap().is_empty());
    assert_eq!(s.folder_property(f.inbox, PR_CONTENT_COUNT).unwrap(), Some(PropValue::I32(0)));
    assert!(matches!(
        s.delete_messages(ObjectId::new(1, 0xFFFF_FFF0), &[c], true),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.move_copy_messages(deleted, &[c], ObjectId::new(1, 0xFFFF_FFF0), false),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn read_flags_and_unread_counts() {
    let f = fixture();
    let s = &f.store;
    let m1 = put_unread(s, f.inbox, "1");
    let m2 = put_unread(s, f.inbox, "2");
    let m3 = put(s, f.inbox, "read already");
    assert_eq!(unread(s, f.inbox), PropValue::I32(2));
    assert!(s.set_read_flag(m1, RF_DEFAULT).unwrap());
    assert!(!s.set_read_flag(m1, RF_SUPPRESS_RECEIPT).unwrap(), "already read");
    assert_eq!(unread(s, f.inbox), PropValue::I32(1));
    assert_eq!(s.message_property(m1, PR_READ).unwrap(), Some(PropValue::Bool(true)));
    assert!(!s.set_read_flag(m2, RF_GENERATE_RECEIPT_ONLY).unwrap());
    assert!(s.set_read_flag(m3, RF_CLEAR_READ_FLAG | RF_SUPPRESS_RECEIPT).unwrap());
    assert_eq!(unread(s, f.inbox), PropValue::I32(2));
    let rows = s.contents_rows(f.inbox, false, &[PR_READ, PR_MESSAGE_FLAGS]).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.values[0].clone()).collect::<Vec<_>>(),
        vec![Some(PropValue::Bool(true)), Some(PropValue::Bool(false)), Some(PropValue::Bool(false))]
    );

    // On an open message: at once in the store, no save needed; a later save keeps it.
    let mut d = s.open_message(f.inbox, m2).unwrap();
    assert!(s.set_draft_read_flag(&mut d, RF_DEFAULT).unwrap());
    assert_eq!(unread(s, f.inbox), PropValue::I32(1));
    s.set_properties(&mut d, &[tv(PR_IMPORTANCE, PropValue::I32(0))]).unwrap();
    s.save_message(&mut d, false).unwrap();
    assert_eq!(unread(s, f.inbox), PropValue::I32(1));
    // A stale draft saved after a read change does not undo it.
    let mut stale = s.open_message(f.inbox, m3).unwrap();
    s.set_read_flag(m3, RF_DEFAULT).unwrap();
    s.save_message(&mut stale, false).unwrap();
    assert_eq!(unread(s, f.inbox), PropValue::I32(0));

    // Folder-wide.
    assert!(!s.set_read_flags(f.inbox, None, RF_CLEAR_READ_FLAG | RF_SUPPRESS_RECEIPT).unwrap());
    assert_eq!(unread(s, f.inbox), PropValue::I32(3));
    assert!(s.set_read_flags(f.inbox, Some(&[m1, ObjectId::new(1, 0xFFFF_FF00)]), RF_DEFAULT).unwrap());
    assert_eq!(unread(s, f.inbox), PropValue::I32(2));

    // FAI messages have no read state and are not contents.
    let mut fai = s.create_message(f.inbox, true).unwrap();
    let fai_mid = s.save_message(&mut fai, false).unwrap();
    assert!(fai.is_associated());
    assert_eq!(s.contents(f.inbox, true).unwrap(), vec![fai_mid]);
    assert!(!s.contents(f.inbox, false).unwrap().contains(&fai_mid));
    assert!(!s.set_read_flag(fai_mid, RF_CLEAR_READ_FLAG).unwrap());
    assert_eq!(s.folder_property(f.inbox, PR_ASSOC_CONTENT_COUNT).unwrap(), Some(PropValue::I32(1)));
    let flags = s.message_property(fai_mid, PR_MESSAGE_FLAGS).unwrap().and_then(|v| v.as_i64()).unwrap();
    assert_ne!(flags & 0x40, 0, "MSGFLAG_ASSOCIATED");
}

#[test]
fn contents_rows_of_ten_thousand_messages() {
    let mut f = fixture();
    let s = &f.store;
    let mut seeds = Vec::new();
    for i in 0..10 {
        let mut d = s.create_message(f.inbox, false).unwrap();
        s.set_properties(
            &mut d,
            &[
                tv(PR_SUBJECT, text(&format!("message {i} — ✓"))),
                tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(130_000_000_000_000_000 + i))),
            ],
        )
        .unwrap();
        seeds.push(s.save_message(&mut d, false).unwrap());
    }
    {
        let conn = s.lock().unwrap();
        let tx = crate::sqlite::write_tx(&conn).unwrap();
        for i in 0..9_990u64 {
            copy_message_rows(
                &tx,
                seeds[(i % 10) as usize].global_counter,
                Loc::Folder(f.inbox.global_counter),
                i,
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    f.reopen();
    let s = &f.store;
    let cols = [
        PR_MID,
        PR_SUBJECT,
        PR_MESSAGE_DELIVERY_TIME,
        PR_MESSAGE_SIZE,
        PR_ENTRYID,
        PR_HASATTACH,
        PR_IMPORTANCE,
    ];
    let rows = s.contents_rows(f.inbox, false, &cols).unwrap();
    assert_eq!(rows.len(), 10_000);
    assert_eq!(s.folder_property(f.inbox, PR_CONTENT_COUNT).unwrap(), Some(PropValue::I32(10_000)));
    assert!(rows.windows(2).all(|w| w[0].mid < w[1].mid));
    for r in [&rows[0], &rows[9_999]] {
        assert_eq!(r.values[0], Some(PropValue::I64(r.mid.to_u64() as i64)));
        assert!(matches!(&r.values[1], Some(PropValue::Unicode(t)) if t.starts_with("message ")));
        assert!(matches!(r.values[2], Some(PropValue::SysTime(_))));
        assert!(matches!(r.values[3], Some(PropValue::I32(n)) if n > 0));
        assert!(matches!(&r.values[4], Some(PropValue::Binary(b)) if b.len() == 70));
        assert_eq!(r.values[5], Some(PropValue::Bool(false)));
        assert_eq!(r.values[6], Some(PropValue::I32(1)));
    }
    // The denormalised sort column follows the property.
    let n = count(
        s,
        "SELECT count(*) FROM messages WHERE delivery_time IS NOT NULL AND normalized_subject LIKE 'message %'",
    );
    assert_eq!(n, 10_000);
    // The query plan of a delivery-time sort uses the index (SQLite's plan; the PostgreSQL
    // backend's own tests check its plans).
    if s.backend() != crate::db::Backend::Sqlite {
        return;
    }
    let plan: String = s
        .lock()
        .unwrap()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT mid FROM messages WHERE fid = ?1 AND associated = 0 AND soft_deleted = 0 \
             ORDER BY delivery_time DESC",
            [f.inbox.global_counter as i64],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("messages_by_delivery_time"), "{plan}");
}
