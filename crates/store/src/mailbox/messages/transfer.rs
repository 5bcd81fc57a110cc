//! Moving a whole message between stores (the store side of MS-OXOMSG 3.2.5.1 local delivery):
//! [`MessageStore::export_message`] reads a saved message with its recipients, attachments and
//! embedded messages into a self-contained [`MessageContent`] (large values read in full, as
//! another store file cannot share their blobs), and `import_message` writes such a tree as a
//! new message inside the caller's transaction of another store.

use std::collections::BTreeMap;

use crate::db::{Conn, OptionalExt};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::blobs;
use super::computed::{derive_subject, display_lists};
use super::copy::Loc;
use super::draft::{AttachmentDraft, DraftValue, Embedded, MessageDraft, Parent, PropSet};
use super::load::load_message;
use super::recipients::RecipientRow;
use super::save::{spill_tree, write_message};
use super::{local_counter, new_workspace};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;

/// Nesting limit of embedded messages read or written here (a corrupt file must not recurse
/// without end).
const MAX_DEPTH: usize = 32;

/// A saved message and everything below it, with every value in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageContent {
    /// The stored properties (computed ones such as PR_ENTRYID are not part of a message's
    /// content; the destination store computes its own).
    pub props: Vec<TaggedValue>,
    /// PR_MESSAGE_FLAGS without MSGFLAG_HASATTACH / MSGFLAG_ASSOCIATED (the store computes
    /// those).
    pub flags: u32,
    /// The recipient rows.
    pub recipients: Vec<RecipientRow>,
    /// The attachments, by PR_ATTACH_NUM.
    pub attachments: Vec<AttachmentContent>,
}

/// One attachment of a [`MessageContent`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttachmentContent {
    /// PR_ATTACH_NUM.
    pub attach_num: u32,
    /// The stored properties.
    pub props: Vec<TaggedValue>,
    /// The embedded message (PR_ATTACH_METHOD afEmbeddedMessage).
    pub embedded: Option<Box<MessageContent>>,
}

impl MessageContent {
    /// About the bytes the message adds to a mailbox (the values PR_MESSAGE_SIZE counts: its
    /// properties, its recipients' and its attachments', embedded messages included).
    pub fn byte_size(&self) -> u64 {
        let values = |v: &[TaggedValue]| v.iter().map(|p| p.value.byte_size() as u64).sum::<u64>();
        values(&self.props)
            + self.recipients.iter().map(|r| values(&r.props)).sum::<u64>()
            + self
                .attachments
                .iter()
                .map(|a| values(&a.props) + a.embedded.as_ref().map_or(0, |e| e.byte_size()))
                .sum::<u64>()
    }

    /// The value with the id of `tag`, any type.
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        self.props.iter().find(|p| p.tag.id() == tag.id()).map(|p| &p.value)
    }

    /// A string value.
    pub fn text(&self, tag: PropTag) -> Option<String> {
        self.get(tag).and_then(|v| v.as_text()).map(|t| t.into_owned())
    }

    /// Sets (replaces) a property.
    pub fn set(&mut self, tag: PropTag, value: PropValue) {
        self.remove(tag);
        self.props.push(TaggedValue::new(tag, value));
    }

    /// Sets a property only when the message has none with its id.
    pub fn set_default(&mut self, tag: PropTag, value: PropValue) {
        if self.get(tag).is_none() {
            self.props.push(TaggedValue::new(tag, value));
        }
    }

    /// Removes a property.
    pub fn remove(&mut self, tag: PropTag) {
        self.props.retain(|p| p.tag.id() != tag.id());
    }
}

/// The values of `set`, large ones read from their blobs.
fn materialize(conn: &Conn, set: &PropSet) -> StoreResult<Vec<TaggedValue>> {
    let mut out = Vec::with_capacity(set.0.len());
    for (id, v) in &set.0 {
        let value = match v {
            DraftValue::Inline(v) => v.clone(),
            DraftValue::Blob(b) => {
                PropValue::from_stream_bytes(b.ty, blobs::read_range(conn, b.id, 0, b.size)?)
            }
        };
        out.push(TaggedValue::new(PropTag::new(*id, v.prop_type()), value));
    }
    Ok(out)
}

fn export_draft(conn: &Conn, d: &MessageDraft, depth: usize) -> StoreResult<MessageContent> {
    if depth > MAX_DEPTH {
        return Err(StoreError::Corrupt(format!("embedded messages nest deeper than {MAX_DEPTH} levels")));
    }
    let mut attachments = Vec::with_capacity(d.attachments.len());
    for a in d.attachments.values() {
        let embedded = match &a.embedded {
            Embedded::None => None,
            Embedded::Stored(m) => {
                let e = load_message(conn, *m, Parent::Attachment, d.workspace)?;
                Some(Box::new(export_draft(conn, &e, depth + 1)?))
            }
            Embedded::Draft(e) => Some(Box::new(export_draft(conn, e, depth + 1)?)),
        };
        attachments.push(AttachmentContent {
            attach_num: a.attach_num,
            props: materialize(conn, &a.props)?,
            embedded,
        });
    }
    Ok(MessageContent {
        props: materialize(conn, &d.props)?,
        flags: d.flags,
        recipients: d.recipients.values().cloned().collect(),
        attachments,
    })
}

fn prop_set(values: &[TaggedValue]) -> PropSet {
    let mut set = PropSet::default();
    for v in values {
        set.set(v.tag, v.value.clone());
    }
    set
}

/// A new draft holding `c` (below `parent`), ready for `write_message`.
fn draft_of(
    c: &MessageContent,
    parent: Parent,
    workspace: i64,
    now: u64,
    depth: usize,
) -> StoreResult<MessageDraft> {
    if depth > MAX_DEPTH {
        return Err(StoreError::InvalidParameter(format!(
            "embedded messages nest deeper than {MAX_DEPTH} levels"
        )));
    }
    let mut attachments = BTreeMap::new();
    for a in &c.attachments {
        let embedded = match &a.embedded {
            None => Embedded::None,
            Some(e) => Embedded::Draft(Box::new(draft_of(e, Parent::Attachment, workspace, now, depth + 1)?)),
        };
        attachments.insert(
            a.attach_num,
            AttachmentDraft {
                workspace,
                attach_num: a.attach_num,
                props: prop_set(&a.props),
                embedded,
                created: now,
                modified: now,
                dirty: true,
            },
        );
    }
    let mut props = prop_set(&c.props);
    derive_subject(&mut props);
    for (tag, list) in display_lists(c.recipients.iter()) {
        props.set(tag, PropValue::Unicode(list));
    }
    let recipients = c.recipients.iter().map(|r| (r.row_id, r.clone())).collect();
    Ok(MessageDraft {
        workspace,
        mid: None,
        parent,
        associated: false,
        base_cn: None,
        created: now,
        modified: now,
        flags: c.flags,
        flags_explicit: true,
        props,
        recipients,
        next_attach_num: attachments.keys().next_back().map_or(0, |n| n + 1),
        attachments,
        dirty: true,
    })
}

/// Writes `c` as a new top-level message of folder `fid` inside the caller's transaction (large
/// values go to blobs of this store); returns its MID counter and PR_MESSAGE_FLAGS. The caller
/// records the events and watches the folder's counts.
pub(crate) fn import_message(conn: &Conn, c: &MessageContent, fid: u64) -> StoreResult<(u64, u32)> {
    let now = FileTime::now().0;
    let mut d = draft_of(c, Parent::Folder(fid), new_workspace(), now, 0)?;
    spill_tree(conn, &mut d)?;
    let (mid, _, flags) = write_message(conn, &d, Loc::Folder(fid), now)?;
    Ok((mid, flags))
}

impl MessageStore {
    /// The saved top-level message `mid` (any folder, not deleted) with its recipients,
    /// attachments and embedded messages, every value read in full. NotFound when there is no
    /// such message.
    pub fn export_message(&self, mid: ObjectId) -> StoreResult<MessageContent> {
        let m = local_counter(mid, "message")?;
        let conn = self.lock()?;
        let fid: Option<Option<i64>> = conn
            .query_row("SELECT fid FROM messages WHERE mid = ?1 AND soft_deleted = 0", [m as i64], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(Some(fid)) = fid else {
            return Err(StoreError::NotFound(format!("no message {mid} in this store")));
        };
        let d = load_message(&conn, m, Parent::Folder(fid as u64), new_workspace())?;
        export_draft(&conn, &d, 0)
    }
}
