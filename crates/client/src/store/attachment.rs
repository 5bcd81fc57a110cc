//! IAttach over the attachment ROPs (MS-OXCMSG 3.1.4.4–3.1.4.6): properties, data streams,
//! SaveChanges into the message and embedded messages.

use std::sync::Arc;

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

/// RopSaveChangesAttachment (MS-OXCROPS 2.2.6.15.1): per MS-OXCMSG 2.2.3.15 the
/// `ResponseHandleIndex` names the containing Message object and the `InputHandleIndex` the
/// Attachment object (gromox answers ecNotSupported when the response index is not a message).
fn save_request(logon_id: u8, message: u8, attachment: u8, flags: SaveFlags) -> SaveChangesAttachmentRequest {
    SaveChangesAttachmentRequest {
        logon_id,
        response_handle_index: message,
        input_handle_index: attachment,
        save_flags: flags.flags(),
    }
}

/// An open attachment.
pub struct Attachment {
    pub(crate) obj: ObjectHandle,
    attach_num: u32,
    /// The message the attachment belongs to (kept open while the attachment is).
    message: Arc<ObjectHandle>,
}

imapiprop!(Attachment);

impl Attachment {
    pub(crate) fn new(obj: ObjectHandle, attach_num: u32, message: Arc<ObjectHandle>) -> Attachment {
        Attachment { obj, attach_num, message }
    }

    /// PR_ATTACH_NUM.
    pub fn attach_num(&self) -> u32 {
        self.attach_num
    }

    /// IAttach::SaveChanges: the attachment becomes part of the open message (the message's
    /// SaveChanges stores it).
    pub fn save_changes(&self, flags: SaveFlags) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let message = self.message.handle;
        let mut c = self.obj.call(|b, slot| {
            let message = b.input(message);
            Ok(b.push(RopRequest::SaveChangesAttachment(save_request(logon_id, message, slot, flags))))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::batch::Batch;
    use oxmapi_core::codec::Writer;

    /// MS-OXCROPS 2.2.6.15.1 lays RopSaveChangesAttachment out as RopId 0x25, LogonId,
    /// ResponseHandleIndex, InputHandleIndex, SaveFlags; MS-OXCMSG 2.2.3.15 has the response
    /// index name the containing message and the input index the attachment (as in the
    /// RopSaveChangesMessage example of MS-OXCMSG 4.8.1, `0c 00 00 01 0a`, whose response index
    /// names the container). Built the way `save_changes` builds it: the attachment's slot
    /// first, then the message's.
    #[test]
    fn save_changes_attachment_names_the_message_in_its_response_index() {
        const ATTACHMENT: u32 = 0x0000_0A07;
        const MESSAGE: u32 = 0x0000_0A03;
        let mut b = Batch::new();
        let slot = b.input(ATTACHMENT);
        let message = b.input(MESSAGE);
        b.push(RopRequest::SaveChangesAttachment(save_request(
            0,
            message,
            slot,
            SaveFlags::KeepOpenReadWrite,
        )));
        let mut w = Writer::new();
        b.rops[0].encode(&mut w);
        assert_eq!(w.as_slice(), [0x25, 0x00, 0x01, 0x00, 0x02]);
        assert_eq!(b.handles, [ATTACHMENT, MESSAGE]);
    }
}
