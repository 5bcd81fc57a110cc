//! Message tests against real SQLite files in temporary directories.

mod attachments;
mod contents;
mod copy_props;
mod folder_ops;
mod message;
mod migration;
mod recipients;
mod sort_keys;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use crate::mailbox::SpecialFolder;
use crate::tests::{site, user_with_mailbox};
use crate::{MessageDraft, MessageStore, Site, User};

pub(super) struct Fixture {
    pub _t: tempfile::TempDir,
    pub dd: Site,
    pub user: User,
    pub store: MessageStore,
    pub inbox: ObjectId,
}

impl Fixture {
    /// Opens the mailbox file again (a fresh connection, as after a restart).
    pub fn reopen(&mut self) {
        self.store = self.dd.open_mailbox(&self.user).unwrap();
    }

    pub fn folder(&self, which: SpecialFolder) -> ObjectId {
        self.store.special_folder(which).unwrap()
    }
}

pub(super) fn fixture() -> Fixture {
    let (t, dd) = site();
    let user = user_with_mailbox(&dd, "alice");
    let store = dd.open_mailbox(&user).unwrap();
    let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
    Fixture { _t: t, dd, user, store, inbox }
}

pub(super) fn text(v: &str) -> PropValue {
    PropValue::Unicode(v.into())
}

pub(super) fn tv(tag: PropTag, v: PropValue) -> TaggedValue {
    TaggedValue::new(tag, v)
}

/// A property of an open object by id.
pub(super) fn prop(store: &MessageStore, d: &MessageDraft, tag: PropTag) -> Option<PropValue> {
    store.get_properties(d, usize::MAX).unwrap().into_iter().find(|t| t.tag.id() == tag.id()).map(|t| t.value)
}

/// Saves a new message with a subject in `fid`.
pub(super) fn put(store: &MessageStore, fid: ObjectId, subject: &str) -> ObjectId {
    let mut d = store.create_message(fid, false).unwrap();
    assert!(store.set_properties(&mut d, &[tv(PR_SUBJECT, text(subject))]).unwrap().is_empty());
    store.save_message(&mut d, false).unwrap()
}

pub(super) fn count(store: &MessageStore, sql: &str) -> i64 {
    store.lock().unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}
