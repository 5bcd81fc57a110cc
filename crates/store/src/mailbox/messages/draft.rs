//! Message and attachment objects while they are open (MS-OXCMSG 3.2.5.2: "the server MUST NOT
//! commit the new Message object until it receives a RopSaveChangesMessage").
//!
//! A [`MessageDraft`] holds the stored properties of one message, its recipients and its
//! attachments; an [`AttachmentDraft`] holds one attachment and, for an embedded message
//! (MS-OXCMSG 2.2.2.9 afEmbeddedMessage), that message. Small values are kept in memory; large
//! ones are referenced by blob id ([`DraftValue::Blob`]), so opening a message with a 25 MB
//! attachment reads a few hundred bytes. Drafts hold no reference to the store: every operation
//! is a [`super::super::MessageStore`] method taking the draft, so a server can keep drafts in
//! its handle table next to an `Arc<MessageStore>`.

use std::collections::BTreeMap;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::recipients::RecipientRow;
use crate::mailbox::LOCAL_REPLICA_ID;

/// A reference to a large value in the `blobs` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BlobRef {
    /// `blobs.blob_id`.
    pub id: i64,
    /// Size of the stream form in bytes (UTF-16LE for PtypString).
    pub size: u64,
    /// PtypBinary, PtypString or PtypString8.
    pub ty: PropType,
}

/// A property value of an open object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DraftValue {
    /// The value itself.
    Inline(PropValue),
    /// A large value stored in a blob.
    Blob(BlobRef),
}

impl DraftValue {
    pub(crate) fn prop_type(&self) -> PropType {
        match self {
            DraftValue::Inline(v) => v.prop_type(),
            DraftValue::Blob(b) => b.ty,
        }
    }

    /// Bytes the value adds to PR_MESSAGE_SIZE / PR_ATTACH_SIZE.
    pub(crate) fn byte_size(&self) -> u64 {
        match self {
            DraftValue::Inline(v) => v.byte_size() as u64,
            DraftValue::Blob(b) => b.size,
        }
    }
}

/// The stored properties of an object, one value per property id.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PropSet(pub(crate) BTreeMap<u16, DraftValue>);

impl PropSet {
    pub(crate) fn get(&self, id: u16) -> Option<&DraftValue> {
        self.0.get(&id)
    }

    /// The in-memory value with the id of `tag` (blob values are not returned).
    pub(crate) fn inline(&self, tag: PropTag) -> Option<&PropValue> {
        match self.0.get(&tag.id()) {
            Some(DraftValue::Inline(v)) => Some(v),
            _ => None,
        }
    }

    /// A small string value as text.
    pub(crate) fn text(&self, tag: PropTag) -> Option<String> {
        self.inline(tag).and_then(|v| v.as_text()).map(|t| t.into_owned())
    }

    pub(crate) fn int(&self, tag: PropTag) -> Option<i64> {
        self.inline(tag).and_then(PropValue::as_i64)
    }

    pub(crate) fn set(&mut self, tag: PropTag, value: PropValue) {
        self.0.insert(tag.id(), DraftValue::Inline(value));
    }

    pub(crate) fn put(&mut self, id: u16, value: DraftValue) {
        self.0.insert(id, value);
    }

    pub(crate) fn remove(&mut self, id: u16) -> Option<DraftValue> {
        self.0.remove(&id)
    }

    pub(crate) fn contains(&self, tag: PropTag) -> bool {
        self.0.contains_key(&tag.id())
    }

    pub(crate) fn byte_size(&self) -> u64 {
        self.0.values().map(DraftValue::byte_size).sum()
    }
}

/// Where a message belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parent {
    /// A top-level message in a folder (the folder's global counter).
    Folder(u64),
    /// An embedded message, saved into its attachment.
    Attachment,
}

/// The embedded message of an attachment.
#[derive(Clone, Debug)]
pub(crate) enum Embedded {
    /// None.
    None,
    /// The saved message with this MID counter, unchanged since the attachment was opened.
    Stored(u64),
    /// A new or changed message, written when the top-level message is saved.
    Draft(Box<MessageDraft>),
}

/// An open message (RopCreateMessage / RopOpenMessage / RopOpenEmbeddedMessage): its stored
/// properties, recipients and attachments, as changed since it was opened.
#[derive(Clone, Debug)]
pub struct MessageDraft {
    /// Owner of the pending blobs this draft, its attachments and their streams write.
    pub(crate) workspace: i64,
    /// MID counter: allocated at the first save (top level) or at creation (embedded).
    pub(crate) mid: Option<u64>,
    pub(crate) parent: Parent,
    pub(crate) associated: bool,
    /// The change number the message had when opened or last saved; `None` until saved.
    pub(crate) base_cn: Option<u64>,
    /// PR_CREATION_TIME / PR_LAST_MODIFICATION_TIME (FILETIME).
    pub(crate) created: u64,
    pub(crate) modified: u64,
    /// PR_MESSAGE_FLAGS without the bits the store computes (MSGFLAG_HASATTACH,
    /// MSGFLAG_ASSOCIATED).
    pub(crate) flags: u32,
    /// The client set PR_MESSAGE_FLAGS before the first save (MS-OXCMSG 3.2.5.2: otherwise the
    /// server adds mfEverRead).
    pub(crate) flags_explicit: bool,
    pub(crate) props: PropSet,
    pub(crate) recipients: BTreeMap<u32, RecipientRow>,
    pub(crate) attachments: BTreeMap<u32, AttachmentDraft>,
    pub(crate) next_attach_num: u32,
    /// Changed since opened or last saved.
    pub(crate) dirty: bool,
}

impl MessageDraft {
    /// The MID: `None` for a top-level message that was never saved (RopCreateMessage answers
    /// `HasMessageId` = 0 (MS-OXCROPS 2.2.6.2.2); RopSaveChangesMessage returns the MID).
    pub fn mid(&self) -> Option<ObjectId> {
        self.mid.map(|m| ObjectId::new(LOCAL_REPLICA_ID, m))
    }

    /// The folder of a top-level message; `None` for an embedded message.
    pub fn folder_id(&self) -> Option<ObjectId> {
        match self.parent {
            Parent::Folder(f) => Some(ObjectId::new(LOCAL_REPLICA_ID, f)),
            Parent::Attachment => None,
        }
    }

    /// The workspace owning the pending blobs of this draft, its attachments, embedded messages
    /// and streams (see [`super::super::MessageStore::discard_workspace`]).
    pub fn workspace(&self) -> i64 {
        self.workspace
    }

    /// True for a message embedded in an attachment.
    pub fn is_embedded(&self) -> bool {
        self.parent == Parent::Attachment
    }

    /// True for a folder associated information (FAI) message.
    pub fn is_associated(&self) -> bool {
        self.associated
    }

    /// True once the message exists in the store (opened, or saved at least once).
    pub fn is_saved(&self) -> bool {
        self.base_cn.is_some()
    }

    /// True when the draft has changes that SaveChanges would write.
    pub fn is_modified(&self) -> bool {
        self.dirty
    }

    /// The change number of the saved state this draft is based on.
    pub fn change_number(&self) -> Option<ObjectId> {
        self.base_cn.map(|c| ObjectId::new(LOCAL_REPLICA_ID, c))
    }

    /// The recipient rows, by row id.
    pub fn recipients(&self) -> impl Iterator<Item = &RecipientRow> {
        self.recipients.values()
    }

    /// The attachment numbers (PR_ATTACH_NUM) in ascending order.
    pub fn attachment_numbers(&self) -> Vec<u32> {
        self.attachments.keys().copied().collect()
    }
}

/// An open attachment (RopCreateAttachment / RopOpenAttachment). Changes reach the message with
/// [`super::super::MessageStore::save_attachment`] (RopSaveChangesAttachment) and the store with
/// the message's save.
#[derive(Clone, Debug)]
pub struct AttachmentDraft {
    pub(crate) workspace: i64,
    pub(crate) attach_num: u32,
    pub(crate) props: PropSet,
    pub(crate) embedded: Embedded,
    pub(crate) created: u64,
    pub(crate) modified: u64,
    /// Changed since loaded from the store (or never stored).
    pub(crate) dirty: bool,
}

impl AttachmentDraft {
    /// PR_ATTACH_NUM.
    pub fn attach_num(&self) -> u32 {
        self.attach_num
    }

    /// True when the attachment holds an embedded message.
    pub fn has_embedded_message(&self) -> bool {
        !matches!(self.embedded, Embedded::None)
    }
}

/// An open object whose properties are read (message or attachment).
#[derive(Clone, Copy, Debug)]
pub enum Object<'a> {
    /// A message.
    Message(&'a MessageDraft),
    /// An attachment.
    Attachment(&'a AttachmentDraft),
}

/// An open object whose properties are changed (message or attachment).
#[derive(Debug)]
pub enum ObjectMut<'a> {
    /// A message.
    Message(&'a mut MessageDraft),
    /// An attachment.
    Attachment(&'a mut AttachmentDraft),
}

impl<'a> From<&'a MessageDraft> for Object<'a> {
    fn from(m: &'a MessageDraft) -> Self {
        Object::Message(m)
    }
}

impl<'a> From<&'a AttachmentDraft> for Object<'a> {
    fn from(a: &'a AttachmentDraft) -> Self {
        Object::Attachment(a)
    }
}

impl<'a> From<&'a mut MessageDraft> for ObjectMut<'a> {
    fn from(m: &'a mut MessageDraft) -> Self {
        ObjectMut::Message(m)
    }
}

impl<'a> From<&'a mut AttachmentDraft> for ObjectMut<'a> {
    fn from(a: &'a mut AttachmentDraft) -> Self {
        ObjectMut::Attachment(a)
    }
}

impl Object<'_> {
    pub(crate) fn props(&self) -> &PropSet {
        match self {
            Object::Message(m) => &m.props,
            Object::Attachment(a) => &a.props,
        }
    }

    pub(crate) fn workspace(&self) -> i64 {
        match self {
            Object::Message(m) => m.workspace,
            Object::Attachment(a) => a.workspace,
        }
    }
}

impl ObjectMut<'_> {
    pub(crate) fn as_ref(&self) -> Object<'_> {
        match self {
            ObjectMut::Message(m) => Object::Message(m),
            ObjectMut::Attachment(a) => Object::Attachment(a),
        }
    }

    pub(crate) fn props_mut(&mut self) -> &mut PropSet {
        match self {
            ObjectMut::Message(m) => {
                m.dirty = true;
                &mut m.props
            }
            ObjectMut::Attachment(a) => {
                a.dirty = true;
                &mut a.props
            }
        }
    }
}
