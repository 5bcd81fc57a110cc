//! IAttach over the attachment ROPs (MS-OXCMSG 3.1.4.4–3.1.4.6): properties, data streams,
//! SaveChanges into the message and embedded messages.

use oxmapi_wire::rop::oxcmsg::{OpenEmbeddedMessageRequest, SaveChangesAttachmentRequest};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::folder::CODE_PAGE_LOGON;
use super::message::{Message, OpenMode, SaveFlags, recipients_from_open};
use super::object::ObjectHandle;
use super::props::imapiprop;
use crate::profile::MapiResult;

/// RopOpenEmbeddedMessage `OpenModeFlags` Create (MS-OXCMSG 2.2.3.16.1).
const EMBEDDED_CREATE: u8 = 0x02;

/// An open attachment.
pub struct Attachment {
    pub(crate) obj: ObjectHandle,
    attach_num: u32,
}

imapiprop!(Attachment);

impl Attachment {
    pub(crate) fn new(obj: ObjectHandle, attach_num: u32) -> Attachment {
        Attachment { obj, attach_num }
    }

    /// PR_ATTACH_NUM.
    pub fn attach_num(&self) -> u32 {
        self.attach_num
    }

    /// IAttach::SaveChanges: the attachment becomes part of the open message (the message's
    /// SaveChanges stores it).
    pub fn save_changes(&self, flags: SaveFlags) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
                logon_id,
                response_handle_index: slot,
                input_handle_index: slot,
                save_flags: flags.flags(),
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, SaveChangesAttachment)?;
        Ok(())
    }

    /// The message embedded in the attachment (PR_ATTACH_DATA_OBJ), opened with `mode`;
    /// `create` makes a new one (read-write).
    pub fn open_embedded_message(&self, mode: OpenMode, create: bool) -> MapiResult<Message> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::OpenEmbeddedMessage(OpenEmbeddedMessageRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                code_page_id: CODE_PAGE_LOGON,
                open_mode_flags: if create { EMBEDDED_CREATE } else { mode.flags() },
            })))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, OpenEmbeddedMessage)?;
        let m = &body.message;
        let recipients = recipients_from_open(&m.recipient_columns, &m.recipient_rows)?;
        Ok(Message::opened(
            self.obj.child(&c, out)?,
            None,
            Some(body.message_id),
            m.recipient_count,
            recipients,
            m.recipient_columns.clone(),
        ))
    }
}
