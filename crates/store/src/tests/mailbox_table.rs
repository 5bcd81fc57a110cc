//! The administrator's mailbox table ([`crate::mailbox_table`]): one row per user, the sizes
//! and counts from the folder counters, the last logon, and the quota state.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::mailbox_table::limit_flags;

use super::{new_user, site};
use crate::directory::quotas::Quota;
use crate::{MessageStore, NewUser, SpecialFolder};

fn save(s: &MessageStore, fai: bool, body: &str) -> oxmapi_core::ids::ObjectId {
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let mut d = s.create_message(inbox, fai).unwrap();
    s.set_properties(&mut d, &[TaggedValue::new(PR_BODY, PropValue::Unicode(body.into()))]).unwrap();
    s.save_message(&mut d, false).unwrap()
}

/// The count of `messages` rows matching `filter`, and their size: the independent value the
/// counters must equal (a scan, which the table itself never does).
fn scanned(s: &MessageStore, filter: &str) -> (u32, i64) {
    let sql = format!("SELECT count(*), coalesce(sum(message_size), 0) FROM messages WHERE {filter}");
    s.lock().unwrap().query_row(&sql, [], |r| Ok((r.get::<_, i64>(0)? as u32, r.get(1)?))).unwrap()
}

/// Rows for every user, sorted by account; the sizes and counts after saving and deleting
/// messages equal a scan of the messages and the store's own PR_MESSAGE_SIZE_EXTENDED /
/// PR_CONTENT_COUNT; the last logon is the recorded one; the quota state follows the user's own
/// send quota (edkmdb.h MDB_LIMIT_* bits).
#[test]
fn the_mailbox_table_counts_what_the_mailboxes_hold() {
    let (_t, dd) = site();
    let alice =
        dd.add_user(&NewUser { display_name: Some("Alice Archer".into()), ..new_user("alice") }).unwrap();
    dd.add_user(&NewUser { display_name: Some("Bob Baker".into()), ..new_user("bob") }).unwrap();

    let empty = dd.mailbox_table().unwrap();
    assert_eq!(empty.iter().map(|r| r.account.as_str()).collect::<Vec<_>>(), ["alice", "bob"]);
    assert_eq!(empty[0].display_name, "Alice Archer");
    assert_eq!(empty[0].legacy_dn, alice.legacy_dn);
    assert_eq!(empty[0].mailbox_guid, alice.mailbox_guid);
    assert_eq!(empty[0].counts.unwrap().content_count, 0);
    assert_eq!(empty[0].last_logon, None);

    let s = dd.open_mailbox(&alice).unwrap();
    save(&s, false, &"x".repeat(3000));
    let gone = save(&s, false, "short");
    save(&s, true, "an associated message");
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    s.delete_messages(inbox, &[gone], false).unwrap();
    let dir = dd.directory().unwrap();
    dir.record_logon(alice.id, 1_700_000_000).unwrap();
    dir.set_quotas("alice", Some(Quota::Kb(1)), None, Some(Quota::Unlimited)).unwrap();

    let rows = dd.mailbox_table().unwrap();
    let a = &rows[0];
    let c = a.counts.unwrap();
    let (live, live_size) = scanned(&s, "soft_deleted = 0");
    let (normal, _) = scanned(&s, "soft_deleted = 0 AND associated = 0");
    let (deleted, deleted_size) = scanned(&s, "soft_deleted = 1");
    assert_eq!((c.content_count, c.assoc_content_count), (normal, live - normal));
    assert_eq!((c.content_count, c.assoc_content_count, c.deleted_msg_count), (1, 1, 1));
    assert_eq!(c.size, live_size);
    assert!(c.size > 3000, "the 3000-character body counts");
    assert_eq!((c.deleted_msg_count, c.deleted_size), (deleted, deleted_size));
    assert_eq!(s.store_property(PR_MESSAGE_SIZE_EXTENDED).unwrap(), Some(PropValue::I64(c.size)));
    assert_eq!(
        s.store_property(PR_CONTENT_COUNT).unwrap(),
        Some(PropValue::I32((c.content_count + c.assoc_content_count) as i32))
    );
    assert_eq!(a.last_logon, Some(1_700_000_000));
    assert_eq!((a.send_kb, a.warning_kb), (Some(1), None));
    assert_eq!(a.storage_limit_information(), limit_flags::MDB_LIMIT_PROHIBIT_SEND);
    assert_eq!(a.quota_state(), "send prohibited");
    let b = &rows[1];
    assert_eq!(b.counts.unwrap().size, 0);
    assert_eq!(b.storage_limit_information(), limit_flags::MDB_LIMIT_BELOW, "the site's default quotas");
    assert_eq!(b.quota_state(), "ok");
}

/// A user whose mailbox cannot be opened gets a row without counts; the table still answers.
#[test]
fn a_missing_mailbox_is_a_row_without_counts() {
    let (_t, dd) = super::files_site();
    let alice = dd.add_user(&new_user("alice")).unwrap();
    dd.add_user(&new_user("bob")).unwrap();
    std::fs::remove_file(dd.mailbox_path(&alice.mailbox_guid).unwrap()).unwrap();
    let rows = dd.mailbox_table().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].counts, None);
    assert_eq!(rows[0].quota_state(), "unknown");
    assert!(rows[1].counts.is_some());
}
