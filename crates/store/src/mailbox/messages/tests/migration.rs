//! A store file made by a build with schema version 1 is upgraded to the latest version on
//! open, keeping its messages and their properties, with the folder counters of version 6
//! backfilled from the messages already there.

use crate::db::params;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;

use super::*;
use crate::mailbox::schema;
use crate::sqlite;

/// SQLite only: the migration of an old store file.
#[test]
fn version_1_file_is_upgraded_in_place() {
    let t = tempfile::tempdir().unwrap();
    let path = t.path().join("old.sqlite");
    {
        let c = sqlite::open(&path, schema::KIND, &schema::MIGRATIONS[..1], true).unwrap();
        let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, 1);
        let c = crate::db::Conn::Sqlite(c);
        c.execute_batch(
            "INSERT INTO store (singleton, kind, mailbox_guid, owner_name, created) \
                 VALUES (1, 'public', zeroblob(16), NULL, 0);
             INSERT INTO id_counter (singleton, next_counter) VALUES (1, 100);
             INSERT INTO folders (fid, parent_fid, folder_type, special, change_number, created, modified) \
                 VALUES (1, NULL, 0, 1, 2, 0, 0);
             INSERT INTO folders (fid, parent_fid, folder_type, special, change_number, created, modified) \
                 VALUES (3, 1, 1, 5, 4, 0, 0);
             INSERT INTO messages (mid, fid, associated, change_number, message_size, read, created, modified) \
                 VALUES (10, 3, 0, 11, 42, 1, 5, 6);",
        )
        .unwrap();
        c.execute(
            "INSERT INTO replicas (replica_id, replica_guid) VALUES (1, ?1)",
            [Guid::new_random().0.to_vec()],
        )
        .unwrap();
        for (tag, v) in [
            (PR_SUBJECT, PropValue::Unicode("from v1 — Grüße".into())),
            (PR_NORMALIZED_SUBJECT, PropValue::Unicode("from v1 — Grüße".into())),
            (PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(oxmapi_core::time::FileTime(77))),
        ] {
            c.execute(
                "INSERT INTO message_properties (mid, propid, proptype, value) VALUES (10, ?1, ?2, ?3)",
                params![tag.id(), v.prop_type().code(), crate::propvalue::to_sql(&v)],
            )
            .unwrap();
        }
    }
    let s = MessageStore::open(&path).unwrap();
    // Schema v6 backfilled the counters: one read message of 42 bytes in folder 3.
    let backfilled: (i64, i64, i64) = s
        .lock()
        .unwrap()
        .query_row("SELECT total, unread, size FROM folder_counts WHERE fid = 3", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(backfilled, (1, 0, 42));
    let v: i64 =
        s.lock().unwrap().sqlite().unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, schema::MIGRATIONS.last().unwrap().version);
    assert_eq!(v, 10);
    // Schema v8 added the (empty) folder permission lists, v9 the (empty) rules, v10 the
    // (empty) per-user read state.
    for table in ["folder_permissions", "rules", "per_user_data"] {
        let n: i64 =
            s.lock().unwrap().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 0, "{table}");
    }
    // Schema v5 computed the sort keys of the old message when the store was opened.
    let k: (String, i64) = s
        .lock()
        .unwrap()
        .query_row("SELECT k_subject, delivery_time FROM messages WHERE mid = 10", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(k, ("from v1 — grüße".to_string(), 77));
    assert_eq!(count(&s, "SELECT COUNT(*) FROM pending_sort_keys"), 0);
    let folder = ObjectId::new(1, 3);
    let mid = ObjectId::new(1, 10);
    assert_eq!(s.contents(folder, false).unwrap(), vec![mid]);
    let d = s.open_message(folder, mid).unwrap();
    assert_eq!(prop(&s, &d, PR_SUBJECT), Some(text("from v1 — Grüße")));
    assert_eq!(prop(&s, &d, PR_READ), Some(PropValue::Bool(true)));
    let (dt, ns): (Option<i64>, Option<String>) = s
        .lock()
        .unwrap()
        .query_row("SELECT delivery_time, normalized_subject FROM messages WHERE mid = 10", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((dt, ns.as_deref()), (Some(77), Some("from v1 — Grüße")));
    // The upgraded file takes new messages with attachments and recipients.
    let mut m = s.create_message(folder, false).unwrap();
    let mut a = s.create_attachment(&mut m).unwrap();
    s.save_attachment(&mut m, &mut a).unwrap();
    s.save_message(&mut m, false).unwrap();
    assert_eq!(s.contents(folder, false).unwrap().len(), 2);
    let counters = |s: &MessageStore| -> (i64, i64, i64) {
        s.lock().unwrap()
            .query_row(
                "SELECT total, unread, size FROM folder_counts WHERE fid = 3 AND associated = 0 AND soft_deleted = 0",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let unread = count(&s, "SELECT count(*) FROM messages WHERE fid = 3 AND read = 0");
    assert_eq!(counters(&s).0, 2, "the new message was added to the backfilled count");
    assert_eq!(counters(&s).1, unread);
    assert_eq!(s.contents_count(folder, false).unwrap(), 2);
    let fk: i64 = s
        .lock()
        .unwrap()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 0);
    assert!(s.integrity_check().unwrap());
    drop(s);
    // Reopening at the latest version changes nothing.
    assert!(MessageStore::open(&path).is_ok());
}
