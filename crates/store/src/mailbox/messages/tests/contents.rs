//! What open tables rely on: the store generation, the contents columns, soft-deleted opens.

use super::*;

#[test]
fn generation_moves_with_writes_only() {
    let f = fixture();
    let g0 = f.store.generation().unwrap();
    f.store.contents_rows(f.inbox, false, &[PR_SUBJECT]).unwrap();
    assert_eq!(f.store.generation().unwrap(), g0, "reads leave it alone");
    put(&f.store, f.inbox, "a");
    let g1 = f.store.generation().unwrap();
    assert_ne!(g1, g0);
    // A write through another connection to the same file is seen too.
    let other = f.dd.open_mailbox(&f.user).unwrap();
    put(&other, f.inbox, "b");
    assert_ne!(f.store.generation().unwrap(), g1);
}

#[test]
fn contents_columns_list_stored_then_computed_tags() {
    let f = fixture();
    let mid = put(&f.store, f.inbox, "a");
    let cols = f.store.contents_columns(f.inbox, false).unwrap();
    let pos = |t: PropTag| cols.iter().position(|c| c.id() == t.id());
    assert!(pos(PR_SUBJECT).is_some() && pos(PR_MID).is_some(), "{cols:?}");
    assert!(pos(PR_SUBJECT) < pos(PR_MID), "stored first");
    assert_eq!(cols.iter().filter(|c| c.id() == PR_SUBJECT.id()).count(), 1);
    let fai = f.store.contents_columns(f.inbox, true).unwrap();
    assert!(!fai.iter().any(|c| c.id() == PR_SUBJECT.id()), "no FAI message has a subject");
    assert!(f.store.contents_columns(ObjectId::new(1, 0x7F_FFFF), false).is_err());
    let _ = mid;
}

#[test]
fn soft_deleted_messages_open_only_when_asked() {
    let f = fixture();
    let mid = put(&f.store, f.inbox, "a");
    assert!(!f.store.delete_messages(f.inbox, &[mid], false).unwrap());
    assert!(matches!(f.store.open_message(f.inbox, mid), Err(crate::StoreError::NotFound(_))));
    let mut d = f.store.open_message_or_deleted(f.inbox, mid).unwrap();
    assert_eq!(prop(&f.store, &d, PR_SUBJECT), Some(text("a")));
    assert!(matches!(f.store.save_message(&mut d, false), Err(crate::StoreError::ObjectDeleted(_))));
    let gone = put(&f.store, f.inbox, "b");
    assert!(!f.store.delete_messages(f.inbox, &[gone], true).unwrap());
    assert!(f.store.open_message_or_deleted(f.inbox, gone).is_err(), "hard-deleted: gone");
}
