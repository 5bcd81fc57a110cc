//! The denormalised sort keys of schema v5 follow a message's properties on every write path
//! (save, property deletion, copy, move, read-flag change, delivery): each key column equals
//! the key of the value a contents-table row carries for its property.

use crate::db::Value;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::Guid;
use oxmapi_core::ptype::PropType;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::*;
use crate::mailbox::delivery::{Delivered, DeliveryKey, DeliveryKind};
use crate::mailbox::messages::MessageContent;
use crate::mailbox::messages::sort_keys::{KEY_COLUMNS, KeySource, key_value};

/// Asserts that every key column of `mid` in `fid` is the key of its row value.
fn assert_keys_follow(store: &MessageStore, fid: ObjectId, mid: ObjectId) {
    let tags: Vec<PropTag> =
        KEY_COLUMNS.iter().map(|k| PropTag::new(k.tag.id(), PropType::Unspecified)).collect();
    let rows = store.contents_rows(fid, false, &tags).unwrap();
    let row = rows.iter().find(|r| r.mid == mid).expect("the message is in the folder");
    for (k, v) in KEY_COLUMNS.iter().zip(&row.values) {
        let column: Value = store
            .lock()
            .unwrap()
            .query_row(
                &format!("SELECT {} FROM messages WHERE mid = ?1", k.column),
                [mid.global_counter as i64],
                |r| r.get(0),
            )
            .unwrap();
        let want = v.as_ref().map_or(Value::Null, |v| key_value(k.kind, v));
        assert_eq!(column, want, "{} of {mid}", k.column);
        if k.source == KeySource::Computed {
            assert_ne!(column, Value::Null, "{} is always there", k.column);
        }
    }
}

fn save_with(store: &MessageStore, fid: ObjectId, props: &[TaggedValue]) -> ObjectId {
    let mut d = store.create_message(fid, false).unwrap();
    assert!(store.set_properties(&mut d, props).unwrap().is_empty());
    store.save_message(&mut d, false).unwrap()
}

fn sample() -> Vec<TaggedValue> {
    vec![
        tv(PR_SUBJECT, text("RE: Grüße ΣΟΦΙΑ")),
        tv(PR_SENDER_NAME, text("Zoë ÅBERG")),
        tv(PR_SENT_REPRESENTING_NAME, text("Ünïcode")),
        tv(PR_CONVERSATION_TOPIC, text("Topic")),
        tv(PR_MESSAGE_CLASS, text("IPM.Note")),
        tv(PR_IMPORTANCE, PropValue::I32(2)),
        tv(PR_FLAG_STATUS, PropValue::I32(1)),
        tv(PR_CLIENT_SUBMIT_TIME, PropValue::SysTime(FileTime(1234))),
        tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(5678))),
    ]
}

#[test]
fn a_save_sets_the_keys_and_a_resave_changes_them() {
    let f = fixture();
    let mid = save_with(&f.store, f.inbox, &sample());
    assert_keys_follow(&f.store, f.inbox, mid);
    let k: String = f
        .store
        .lock()
        .unwrap()
        .query_row("SELECT k_subject FROM messages WHERE mid = ?1", [mid.global_counter as i64], |r| r.get(0))
        .unwrap();
    assert_eq!(k, "re: grüße σοφια");
    let mut d = f.store.open_message(f.inbox, mid).unwrap();
    f.store
        .set_properties(&mut d, &[tv(PR_SUBJECT, text("other")), tv(PR_IMPORTANCE, PropValue::I32(0))])
        .unwrap();
    f.store.save_message(&mut d, false).unwrap();
    assert_keys_follow(&f.store, f.inbox, mid);
}

#[test]
fn a_deleted_property_clears_its_key() {
    let f = fixture();
    let mid = save_with(&f.store, f.inbox, &sample());
    let mut d = f.store.open_message(f.inbox, mid).unwrap();
    f.store.delete_properties(&mut d, &[PR_SUBJECT, PR_IMPORTANCE, PR_MESSAGE_DELIVERY_TIME]).unwrap();
    f.store.save_message(&mut d, false).unwrap();
    assert_keys_follow(&f.store, f.inbox, mid);
    let gone: i64 = f
        .store
        .lock()
        .unwrap()
        .query_row(
            "SELECT k_subject IS NULL AND importance IS NULL AND delivery_time IS NULL FROM messages WHERE mid = ?1",
            [mid.global_counter as i64],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gone, 1);
}

#[test]
fn copies_and_moves_carry_the_keys() {
    let f = fixture();
    let mid = save_with(&f.store, f.inbox, &sample());
    let drafts = f.folder(SpecialFolder::Drafts);
    let (_, copies) = f.store.move_copy_messages(f.inbox, &[mid], drafts, true).unwrap();
    assert_keys_follow(&f.store, drafts, copies[0]);
    let (_, moved) = f.store.move_copy_messages(f.inbox, &[mid], drafts, false).unwrap();
    assert_keys_follow(&f.store, drafts, moved[0]);
}

#[test]
fn a_read_flag_change_keeps_the_keys_exact() {
    let f = fixture();
    let mid = save_with(&f.store, f.inbox, &sample());
    f.store.set_read_flag(mid, 0).unwrap();
    assert_keys_follow(&f.store, f.inbox, mid);
    f.store.set_read_flags(f.inbox, None, 0x04).unwrap();
    assert_keys_follow(&f.store, f.inbox, mid);
}

#[test]
fn a_delivery_sets_the_keys() {
    let f = fixture();
    let content =
        MessageContent { props: sample(), flags: 0, recipients: Vec::new(), attachments: Vec::new() };
    let key = DeliveryKey { source: Guid::new_random(), submission_id: 1, kind: DeliveryKind::Message };
    let Delivered::New { fid, mid } = f.store.deliver(&key, &content).unwrap() else {
        panic!("delivered before")
    };
    assert_keys_follow(&f.store, fid, mid);
}

#[test]
fn a_long_subject_keys_on_what_the_table_row_carries() {
    let f = fixture();
    let long = "Ä".repeat(40_000);
    let mid = save_with(&f.store, f.inbox, &[tv(PR_SUBJECT, text(&long))]);
    assert_keys_follow(&f.store, f.inbox, mid);
}
