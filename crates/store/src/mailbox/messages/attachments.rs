//! Attachments of an open message (MS-OXCMSG 2.2.2 properties; ROPs 2.2.3.12 RopOpenAttachment,
//! 2.2.3.13 RopCreateAttachment, 2.2.3.14 RopDeleteAttachment, 2.2.3.16 RopOpenEmbeddedMessage,
//! 2.2.3.17 RopGetAttachmentTable).
//!
//! Attachments live in their message's draft: an attachment object is a copy that reaches the
//! message with [`MessageStore::save_attachment`], and the store with the message's save. Their
//! data (PR_ATTACH_DATA_BIN) is normally written through a stream ([`MessageStore::open_stream`]),
//! so it goes to a blob chunk by chunk.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::draft::{AttachmentDraft, DraftValue, Embedded, MessageDraft, Parent, PropSet};
use super::load::{load_message, new_draft};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;

/// PR_ATTACH_METHOD values (MS-OXCMSG 2.2.2.9 PidTagAttachMethod).
pub mod attach_method {
    /// afNone: the attachment has no data yet.
    pub const AF_NONE: i32 = 0x0000_0000;
    /// afByValue: the data is PR_ATTACH_DATA_BIN.
    pub const AF_BY_VALUE: i32 = 0x0000_0001;
    /// afByReference: PR_ATTACH_LONG_PATHNAME names a file.
    pub const AF_BY_REFERENCE: i32 = 0x0000_0002;
    /// afByReferenceOnly.
    pub const AF_BY_REFERENCE_ONLY: i32 = 0x0000_0004;
    /// afEmbeddedMessage: the attachment is a message (RopOpenEmbeddedMessage).
    pub const AF_EMBEDDED_MESSAGE: i32 = 0x0000_0005;
    /// afStorage: PR_ATTACH_DATA_OBJ holds an OLE compound file.
    pub const AF_STORAGE: i32 = 0x0000_0006;
    /// afByWebReference.
    pub const AF_BY_WEB_REFERENCE: i32 = 0x0000_0007;
}

/// PR_RENDERING_POSITION of an attachment that is not rendered in the body (MS-OXCMSG
/// 2.2.2.16): 0xFFFFFFFF.
const NOT_RENDERED: i32 = -1;

impl MessageStore {
    /// RopCreateAttachment (MS-OXCMSG 2.2.3.13): a new attachment of `msg` with the next
    /// attachment number (returned as `AttachmentID`), PR_ATTACH_METHOD afNone and
    /// PR_RENDERING_POSITION 0xFFFFFFFF. It joins the message when saved with
    /// [`MessageStore::save_attachment`].
    pub fn create_attachment(&self, msg: &mut MessageDraft) -> StoreResult<AttachmentDraft> {
        let num = msg.next_attach_num;
        msg.next_attach_num = num
            .checked_add(1)
            .ok_or_else(|| StoreError::Full("the message has used up its attachment numbers".into()))?;
        let now = FileTime::now().0;
        let mut props = PropSet::default();
        props.set(PR_ATTACH_METHOD, PropValue::I32(attach_method::AF_NONE));
        props.set(PR_RENDERING_POSITION, PropValue::I32(NOT_RENDERED));
        Ok(AttachmentDraft {
            workspace: msg.workspace,
            attach_num: num,
            props,
            embedded: Embedded::None,
            created: now,
            modified: now,
            dirty: true,
        })
    }

    /// RopOpenAttachment (MS-OXCMSG 2.2.3.12): the attachment `attach_num` of `msg` as the
    /// message currently has it. NotFound for an unknown number.
    pub fn open_attachment(&self, msg: &MessageDraft, attach_num: u32) -> StoreResult<AttachmentDraft> {
        msg.attachments
            .get(&attach_num)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("the message has no attachment {attach_num}")))
    }

    /// RopDeleteAttachment (MS-OXCMSG 2.2.3.14): removes the attachment from `msg` (the store
    /// forgets it at the message's save). NotFound for an unknown number.
    pub fn delete_attachment(&self, msg: &mut MessageDraft, attach_num: u32) -> StoreResult<()> {
        msg.attachments
            .remove(&attach_num)
            .ok_or_else(|| StoreError::NotFound(format!("the message has no attachment {attach_num}")))?;
        msg.dirty = true;
        Ok(())
    }

    /// RopGetAttachmentTable (MS-OXCMSG 2.2.3.17): one row per attachment in PR_ATTACH_NUM
    /// order, with the attachment's properties (PR_ATTACH_NUM, PR_ATTACH_SIZE, PR_ATTACH_METHOD,
    /// PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME, PR_RENDERING_POSITION …)
    /// except large values, which tables do not carry.
    pub fn attachment_table(&self, msg: &MessageDraft) -> StoreResult<Vec<Vec<TaggedValue>>> {
        let mut rows = Vec::with_capacity(msg.attachments.len());
        for a in msg.attachments.values() {
            let mut row: Vec<TaggedValue> = a
                .props
                .0
                .iter()
                .filter_map(|(id, v)| match v {
                    DraftValue::Inline(v) => {
                        Some(TaggedValue::new(oxmapi_core::tag::PropTag::from_parts(*id, 0), v.clone()))
                    }
                    DraftValue::Blob(_) => None,
                })
                .collect();
            for (tag, value) in self.attachment_computed(a)? {
                row.retain(|t| t.tag.id() != tag.id());
                row.push(TaggedValue::new(tag, value));
            }
            row.sort_by_key(|t| t.tag.id());
            rows.push(row);
        }
        Ok(rows)
    }

    /// RopOpenEmbeddedMessage (MS-OXCMSG 2.2.3.16): the message embedded in `att`. With
    /// `create` (OpenModeFlags Create) a missing one is made: a new message with its MID
    /// allocated now (the response carries it) and the attachment's PR_ATTACH_METHOD set to
    /// afEmbeddedMessage. The message reaches the attachment with
    /// [`MessageStore::save_embedded`]. NotFound when there is none and `create` is false.
    pub fn open_embedded(&self, att: &mut AttachmentDraft, create: bool) -> StoreResult<MessageDraft> {
        match &att.embedded {
            Embedded::Draft(d) => Ok((**d).clone()),
            Embedded::Stored(mid) => load_message(&*self.lock()?, *mid, Parent::Attachment, att.workspace),
            Embedded::None if create => {
                let mid = self.allocate_ids(1)?.global_counter;
                att.props.set(PR_ATTACH_METHOD, PropValue::I32(attach_method::AF_EMBEDDED_MESSAGE));
                att.dirty = true;
                Ok(new_draft(att.workspace, Parent::Attachment, false, Some(mid)))
            }
            Embedded::None => {
                Err(StoreError::NotFound(format!("attachment {} has no embedded message", att.attach_num)))
            }
        }
    }
}
