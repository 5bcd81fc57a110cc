//! Tests of the index-backed contents table against the memory engine ([`crate::table::Table`]
//! fed with the same folder's rows is the reference), on real SQLite stores.

mod first_page;
mod model;
mod ops;
mod pg_plans;

use std::sync::Arc;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{BitmapRelOp, RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::prelude::*;

use crate::MessageStore;
use crate::mailbox::{FolderType, SpecialFolder};
use crate::table::SourceRow;
use crate::tests::{files_site, site, user_with_mailbox};

/// A store with a mailbox, kept alive with its directory.
pub(super) struct Fixture {
    _t: tempfile::TempDir,
    pub store: Arc<MessageStore>,
    folders: usize,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::on(site())
    }

    /// On SQLite files whatever the environment says: for the tests that count SQLite's
    /// virtual machine steps.
    pub fn files() -> Fixture {
        Fixture::on(files_site())
    }

    fn on((t, dd): (tempfile::TempDir, crate::Site)) -> Fixture {
        let user = user_with_mailbox(&dd, "alice");
        let store = Arc::new(dd.open_mailbox(&user).unwrap());
        Fixture { _t: t, store, folders: 0 }
    }

    /// A new empty folder under the Inbox.
    pub fn folder(&mut self) -> ObjectId {
        self.folders += 1;
        let inbox = self.store.special_folder(SpecialFolder::Inbox).unwrap();
        let name = format!("f{}", self.folders);
        self.store.create_folder(inbox, &name, None, None, FolderType::Generic, false).unwrap().0
    }
}

/// One message of a generated folder (each property may be missing).
#[derive(Clone, Debug)]
pub(super) struct Msg {
    pub subject: Option<String>,
    pub sender: Option<String>,
    pub importance: Option<i32>,
    pub delivery: Option<u64>,
    pub flag_status: Option<i32>,
    pub sensitivity: Option<i32>,
    pub body: Option<String>,
    pub read: bool,
}

impl Msg {
    pub fn props(&self) -> Vec<TaggedValue> {
        let text =
            |t: PropTag, v: &Option<String>| v.clone().map(|s| TaggedValue::new(t, PropValue::Unicode(s)));
        let int = |t: PropTag, v: Option<i32>| v.map(|i| TaggedValue::new(t, PropValue::I32(i)));
        [
            text(PR_SUBJECT, &self.subject),
            text(PR_SENDER_NAME, &self.sender),
            int(PR_IMPORTANCE, self.importance),
            self.delivery
                .map(|d| TaggedValue::new(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(d)))),
            int(PR_FLAG_STATUS, self.flag_status),
            int(PR_SENSITIVITY, self.sensitivity),
            text(PR_BODY, &self.body),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Saves `m` as a new message of `fid`.
pub(super) fn save(store: &MessageStore, fid: ObjectId, m: &Msg) -> ObjectId {
    let mut d = store.create_message(fid, false).unwrap();
    assert!(store.set_properties(&mut d, &m.props()).unwrap().is_empty());
    let mid = store.save_message(&mut d, false).unwrap();
    store.set_read_flag(mid, if m.read { 0 } else { 0x04 }).unwrap();
    mid
}

const TEXTS: &[&str] = &[
    "", "a", "A", "b", "B", "ab", "Ab", "é", "É", "Éa", "z", "ß", "ΣΑ", "σα", "Zebra", "apple", "Äpfel", "aß",
];

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(TEXTS).prop_map(String::from)
}

pub(super) fn msg() -> impl Strategy<Value = Msg> {
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(0..3i32),
        prop::option::of(prop::sample::select(&[100u64, 200, 300, 400][..])),
        prop::option::of(0..3i32),
        prop::option::of(0..4i32),
        prop::option::of(text()),
        any::<bool>(),
    )
        .prop_map(|(subject, sender, importance, delivery, flag_status, sensitivity, body, read)| Msg {
            subject,
            sender,
            importance,
            delivery,
            flag_status,
            sensitivity,
            body,
            read,
        })
}

/// The columns of every generated view.
pub(super) const COLUMNS: &[PropTag] =
    &[PR_MID, PR_SUBJECT, PR_IMPORTANCE, PR_MESSAGE_DELIVERY_TIME, PR_SENSITIVITY, PR_INSTANCE_KEY];

/// Every property the generated views, restrictions and messages use (the reference rows
/// carry them all, as stored).
const ALL_TAGS: &[PropTag] = &[
    PR_MID,
    PR_SUBJECT,
    PR_NORMALIZED_SUBJECT,
    PR_SENDER_NAME,
    PR_IMPORTANCE,
    PR_MESSAGE_DELIVERY_TIME,
    PR_FLAG_STATUS,
    PR_SENSITIVITY,
    PR_BODY,
    PR_MESSAGE_SIZE,
    PR_MESSAGE_FLAGS,
    PR_LAST_MODIFICATION_TIME,
];

/// The reference rows of folder `fid`: every message with [`ALL_TAGS`] as stored.
pub(super) fn reference_rows(store: &MessageStore, fid: ObjectId) -> Vec<SourceRow> {
    let tags: Vec<PropTag> = ALL_TAGS.iter().map(|t| PropTag::new(t.id(), PropType::Unspecified)).collect();
    store.contents_rows(fid, false, &tags).unwrap().into_iter().map(|r| r.into_source_row(&tags)).collect()
}

const SORT_TAGS: &[PropTag] = &[
    PR_SUBJECT,
    PR_NORMALIZED_SUBJECT,
    PR_SENDER_NAME,
    PR_IMPORTANCE,
    PR_MESSAGE_DELIVERY_TIME,
    PR_MESSAGE_SIZE,
    PR_FLAG_STATUS,
];

pub(super) fn sort() -> impl Strategy<Value = SortOrderSet> {
    prop::collection::vec((prop::sample::select(SORT_TAGS), any::<bool>()), 0..3).prop_map(|keys| {
        SortOrderSet::plain(
            keys.into_iter()
                .map(|(tag, desc)| SortOrder {
                    tag,
                    direction: if desc { SortDirection::Descend } else { SortDirection::Ascend },
                })
                .collect(),
        )
    })
}

fn relop() -> impl Strategy<Value = RelOp> {
    prop::sample::select(&[RelOp::Lt, RelOp::Le, RelOp::Gt, RelOp::Ge, RelOp::Eq, RelOp::Ne][..])
}

fn property(relop: RelOp, tag: PropTag, value: PropValue) -> Restriction {
    Restriction::Property { relop, prop_tag: tag, value: TaggedValue { tag, value } }
}

/// A leaf on an indexable or a residual property (or with a value of the wrong type).
fn leaf() -> impl Strategy<Value = Restriction> {
    let text_tag = prop::sample::select(&[PR_SUBJECT, PR_SENDER_NAME, PR_BODY, PR_NORMALIZED_SUBJECT][..]);
    let int_tag =
        prop::sample::select(&[PR_IMPORTANCE, PR_FLAG_STATUS, PR_SENSITIVITY, PR_MESSAGE_FLAGS][..]);
    prop_oneof![
        (relop(), text_tag.clone(), text()).prop_map(|(o, t, s)| property(o, t, PropValue::Unicode(s))),
        (relop(), int_tag.clone(), 0..3i32).prop_map(|(o, t, i)| property(o, t, PropValue::I32(i))),
        (relop(), prop::sample::select(&[100u64, 200, 300, 400, 250][..])).prop_map(|(o, d)| property(
            o,
            PR_MESSAGE_DELIVERY_TIME,
            PropValue::SysTime(FileTime(d))
        )),
        (relop(), 0..3i32).prop_map(|(o, i)| property(o, PR_SUBJECT, PropValue::I32(i))),
        (
            prop::sample::select(&[0u16, 1, 2][..]),
            prop::sample::select(&[0u16, 1, 2, 4][..]),
            text_tag.clone(),
            text()
        )
            .prop_map(|(low, high, tag, s)| Restriction::Content {
                fuzzy_level_low: low,
                fuzzy_level_high: high,
                prop_tag: tag,
                value: TaggedValue { tag, value: PropValue::Unicode(s) },
            }),
        prop::sample::select(ALL_TAGS).prop_map(|t| Restriction::Exist { prop_tag: t }),
        (any::<bool>(), int_tag, prop::sample::select(&[1u32, 2, 4][..])).prop_map(|(nez, t, mask)| {
            Restriction::BitMask {
                relop: if nez { BitmapRelOp::Nez } else { BitmapRelOp::Eqz },
                prop_tag: t,
                mask,
            }
        }),
    ]
}

pub(super) fn restriction() -> impl Strategy<Value = Restriction> {
    leaf().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Restriction::And),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Restriction::Or),
            inner.prop_map(|r| Restriction::Not(Box::new(r))),
        ]
    })
}
