//! IMessage over the message ROPs (MS-OXCMSG 3.1.4): properties, recipients
//! (RopModifyRecipients / RopReadRecipients), attachments, SaveChanges and read flags.

use std::sync::Arc;

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_ADDRTYPE, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_RECIPIENT_TYPE};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::oxcmsg::{
    CreateAttachmentRequest, DeleteAttachmentRequest, GetAttachmentTableRequest, ModifyRecipientRow,
    ModifyRecipientsRequest, OpenAttachmentRequest, OpenRecipientRow, ReadRecipientsRequest,
    RemoveAllRecipientsRequest, SaveChangesMessageRequest, SetMessageReadFlagRequest,
};
use oxmapi_wire::rop::recipients::{
    complete_identity, modify_columns, row_from_properties, row_to_properties,
};
use oxmapi_wire::rop::request::RopRequest;

use super::attachment::Attachment;
use super::batch::expect_rop;
use super::folder::FolderFlags;
use super::object::ObjectHandle;
use super::props::imapiprop;
use super::table::Table;
use crate::profile::MapiResult;

/// RopOpenMessage / RopOpenEmbeddedMessage / RopOpenAttachment `OpenModeFlags`
/// (MS-OXCMSG 2.2.3.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// ReadOnly (0x00).
    ReadOnly,
    /// ReadWrite (0x01).
    ReadWrite,
    /// BestAccess (0x03): read-write where permitted.
    BestAccess,
}

impl OpenMode {
    pub(crate) fn flags(self) -> u8 {
        match self {
            OpenMode::ReadOnly => 0x00,
            OpenMode::ReadWrite => 0x01,
            OpenMode::BestAccess => 0x03,
        }
    }
}

/// RopSaveChangesMessage / RopSaveChangesAttachment `SaveFlags` (MS-OXCMSG 2.2.3.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveFlags {
    /// KeepOpenReadOnly (0x01): the object stays open read-only.
    KeepOpenReadOnly,
    /// KeepOpenReadWrite (0x02): the object stays open for more changes.
    KeepOpenReadWrite,
    /// ForceSave (0x04): overwrite changes made by others since the object was opened.
    ForceSave,
}

impl SaveFlags {
    pub(crate) fn flags(self) -> u8 {
        match self {
            SaveFlags::KeepOpenReadOnly => 0x01,
            SaveFlags::KeepOpenReadWrite => 0x02,
            SaveFlags::ForceSave => 0x04,
        }
    }
}

/// PR_RECIPIENT_TYPE values (MS-OXOMSG 2.2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecipientType {
    /// MAPI_ORIG (0).
    Originator,
    /// MAPI_TO (1).
    To,
    /// MAPI_CC (2).
    Cc,
    /// MAPI_BCC (3).
    Bcc,
}

impl RecipientType {
    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            RecipientType::Originator => 0,
            RecipientType::To => 1,
            RecipientType::Cc => 2,
            RecipientType::Bcc => 3,
        }
    }

    /// From the wire value (flag bits above the type ignored).
    pub fn from_code(c: u8) -> RecipientType {
        match c & 0x0F {
            0 => RecipientType::Originator,
            2 => RecipientType::Cc,
            3 => RecipientType::Bcc,
            _ => RecipientType::To,
        }
    }
}

/// A recipient row of a message.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    /// PR_ROWID: the row's id in the message's recipient table.
    pub row_id: u32,
    /// To, Cc or Bcc.
    pub kind: RecipientType,
    /// Its properties (PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_ADDRTYPE, …).
    pub props: Vec<TaggedValue>,
}

impl Recipient {
    /// An SMTP recipient: `Name <addr>` or a bare address.
    pub fn smtp(kind: RecipientType, text: &str) -> Recipient {
        let (name, addr) = match (text.find('<'), text.rfind('>')) {
            (Some(a), Some(b)) if a < b => {
                (text[..a].trim().trim_matches('"').to_string(), text[a + 1..b].trim())
            }
            _ => (String::new(), text.trim()),
        };
        let name = if name.is_empty() { addr.to_string() } else { name };
        Recipient {
            row_id: 0,
            kind,
            props: vec![
                TaggedValue { tag: PR_DISPLAY_NAME, value: PropValue::Unicode(name) },
                TaggedValue { tag: PR_EMAIL_ADDRESS, value: PropValue::Unicode(addr.to_string()) },
                TaggedValue { tag: PR_ADDRTYPE, value: PropValue::Unicode("SMTP".into()) },
            ],
        }
    }

    /// A string property of the recipient.
    pub fn text(&self, tag: PropTag) -> Option<&str> {
        self.props.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| match &p.value {
            PropValue::Unicode(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// PR_DISPLAY_NAME.
    pub fn display_name(&self) -> Option<&str> {
        self.text(PR_DISPLAY_NAME)
    }

    /// PR_EMAIL_ADDRESS.
    pub fn email(&self) -> Option<&str> {
        self.text(PR_EMAIL_ADDRESS)
    }
}

fn with_type(mut props: Vec<TaggedValue>, row_id: u32, kind: u8) -> Recipient {
    complete_identity(&mut props);
    let kind = RecipientType::from_code(kind);
    props.push(TaggedValue { tag: PR_RECIPIENT_TYPE, value: PropValue::I32(kind.code() as i32) });
    Recipient { row_id, kind, props }
}

/// The recipients RopOpenMessage returned with the message.
pub(crate) fn recipients_from_open(
    columns: &[PropTag],
    rows: &[OpenRecipientRow],
) -> MapiResult<Vec<Recipient>> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let props = row_to_properties(&r.recipient_row, columns).map_err(corrupt)?;
            Ok(with_type(props, i as u32, r.recipient_type))
        })
        .collect()
}

fn corrupt(e: impl std::fmt::Display) -> MapiError {
    MapiError::new(codes::MAPI_E_CORRUPT_DATA, format!("unreadable recipient row: {e}"))
}

/// The RopModifyRecipients request (MS-OXCMSG 2.2.3.5) for `recipients` (input handle slot 0;
/// the caller sets it): the columns leave out what MS-OXCMSG 2.2.3.5.1 forbids, and every row's
/// property row keeps its Flag (MS-OXCDATA 2.8.3.2).
fn modify_request(logon_id: u8, recipients: &[Recipient]) -> ModifyRecipientsRequest {
    let columns = modify_columns(recipients.iter().map(|r| r.props.as_slice()));
    let rows = recipients
        .iter()
        .map(|r| ModifyRecipientRow {
            row_id: r.row_id,
            recipient_type: r.kind.code(),
            recipient_row: (!r.props.is_empty()).then(|| row_from_properties(&r.props, &columns)),
        })
        .collect();
    ModifyRecipientsRequest {
        logon_id,
        input_handle_index: 0,
        recipient_columns: columns,
        recipient_rows: rows,
    }
}

/// RopSaveChangesMessage (MS-OXCROPS 2.2.6.3.1): per MS-OXCMSG 2.2.3.3 the
/// `ResponseHandleIndex` names the containing folder (for an embedded message, or a message
/// opened without a folder object, the message itself) and the `InputHandleIndex` the message.
pub(super) fn save_request(
    logon_id: u8,
    response: u8,
    message: u8,
    flags: SaveFlags,
) -> SaveChangesMessageRequest {
    SaveChangesMessageRequest {
        logon_id,
        response_handle_index: response,
        input_handle_index: message,
        save_flags: flags.flags(),
    }
}

/// Bytes of recipient rows one RopModifyRecipients carries: with the other ROPs of its Execute
/// it stays well inside the 32 KiB a ROP request buffer may hold (MS-OXCROPS 2.2.1).
pub const MODIFY_RECIPIENTS_CHUNK_BYTES: usize = 0x6000;

/// About the bytes a recipient row takes on the wire (RowId, type, flags and its values).
fn row_size(r: &Recipient) -> usize {
    8 + r.props.iter().map(|v| 6 + super::props::wire_size(&v.value)).sum::<usize>()
}

/// An open message.
pub struct Message {
    /// Shared with the message's open attachments, whose RopSaveChangesAttachment names it.
    pub(crate) obj: Arc<ObjectHandle>,
    fid: Option<ObjectId>,
    pub(super) mid: Option<ObjectId>,
    /// Recipient columns of the message (from RopOpenMessage) and the rows it carried.
    recipient_count: u16,
    opened_recipients: Vec<Recipient>,
    recipient_columns: Vec<PropTag>,
    /// The folder the message was created or opened in, when known: RopSaveChangesMessage's
    /// ResponseHandleIndex names it (MS-OXCMSG 2.2.3.3).
    pub(super) folder: Option<Arc<ObjectHandle>>,
}

imapiprop!(Message);

impl Message {
    pub(crate) fn opened(
        obj: ObjectHandle,
        fid: Option<ObjectId>,
        mid: Option<ObjectId>,
        recipient_count: u16,
        recipients: Vec<Recipient>,
        recipient_columns: Vec<PropTag>,
    ) -> Message {
        Message {
            obj: Arc::new(obj),
            fid,
            mid,
            recipient_count,
            recipient_columns,
            opened_recipients: recipients,
            folder: None,
        }
    }

    /// The message as created or opened in `folder` (kept open while the message is).
    pub(crate) fn in_folder(mut self, folder: Arc<ObjectHandle>) -> Message {
        self.folder = Some(folder);
        self
    }

    pub(crate) fn created(obj: ObjectHandle, fid: Option<ObjectId>, mid: Option<ObjectId>) -> Message {
        Message::opened(obj, fid, mid, 0, Vec::new(), Vec::new())
    }

    /// The message id (`None` for a new message until it is saved).
    pub fn id(&self) -> Option<ObjectId> {
        self.mid
    }

    /// The folder id (`None` for an embedded message).
    pub fn folder_id(&self) -> Option<ObjectId> {
        self.fid
    }

    /// The recipients: those RopOpenMessage returned when they were all there, else read with
    /// RopReadRecipients.
    pub fn recipients(&self) -> MapiResult<Vec<Recipient>> {
        if self.opened_recipients.len() == self.recipient_count as usize {
            return Ok(self.opened_recipients.clone());
        }
        let mut out = Vec::new();
        let mut next = 0u32;
        loop {
            let logon_id = self.obj.logon_id();
            let mut c = self.obj.call(|b, slot| {
                Ok(b.push(RopRequest::ReadRecipients(ReadRecipientsRequest {
                    logon_id,
                    input_handle_index: slot,
                    row_id: next,
                    reserved: 0,
                })))
            })?;
            let rows = match c.result.take(c.value)? {
                oxmapi_wire::rop::response::RopResponse::ReadRecipients(o)
                    if o.return_value == codes::MAPI_E_NOT_FOUND.0 =>
                {
                    break;
                }
                r => expect_rop!(r, ReadRecipients)?.recipient_rows,
            };
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let props = row_to_properties(&r.recipient_row, &self.recipient_columns).map_err(corrupt)?;
                next = r.row_id + 1;
                out.push(with_type(props, r.row_id, r.recipient_type));
            }
        }
        Ok(out)
    }

    /// IMessage::ModifyRecipients: adds or replaces the rows with these row ids (recipients
    /// with an empty property list are removed). Rows that do not fit one ROP request buffer
    /// go in several RopModifyRecipients of at most [`MODIFY_RECIPIENTS_CHUNK_BYTES`] each
    /// (each row names its own RowId, MS-OXCMSG 2.2.3.5, so the calls add up to one change).
    pub fn modify_recipients(&mut self, recipients: &[Recipient]) -> MapiResult<()> {
        let mut start = 0;
        loop {
            let mut end = start;
            let mut bytes = 0;
            while end < recipients.len() {
                let size = row_size(&recipients[end]);
                if end > start && bytes + size > MODIFY_RECIPIENTS_CHUNK_BYTES {
                    break;
                }
                bytes += size;
                end += 1;
            }
            self.modify_recipients_once(&recipients[start..end])?;
            if end >= recipients.len() {
                return Ok(());
            }
            start = end;
        }
    }

    /// One RopModifyRecipients.
    fn modify_recipients_once(&mut self, recipients: &[Recipient]) -> MapiResult<()> {
        let request = modify_request(self.obj.logon_id(), recipients);
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::ModifyRecipients(ModifyRecipientsRequest {
                input_handle_index: slot,
                ..request.clone()
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, ModifyRecipients)?;
        self.opened_recipients.clear();
        self.recipient_count = u16::MAX;
        if self.recipient_columns.is_empty() {
            self.recipient_columns = request.recipient_columns;
        }
        Ok(())
    }

    /// Adds recipients after the existing ones (MODRECIP_ADD): row ids are assigned here.
    pub fn add_recipients(&mut self, recipients: &[Recipient]) -> MapiResult<()> {
        let first = self.recipients()?.iter().map(|r| r.row_id + 1).max().unwrap_or(0);
        let rows: Vec<Recipient> = recipients
            .iter()
            .enumerate()
            .map(|(i, r)| Recipient { row_id: first + i as u32, ..r.clone() })
            .collect();
        self.modify_recipients(&rows)
    }

    /// Removes every recipient (RopRemoveAllRecipients).
    pub fn remove_all_recipients(&mut self) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::RemoveAllRecipients(RemoveAllRecipientsRequest {
                logon_id,
                input_handle_index: slot,
                reserved: 0,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, RemoveAllRecipients)?;
        self.opened_recipients.clear();
        self.recipient_count = 0;
        Ok(())
    }

    /// IMessage::SaveChanges; returns the message id.
    pub fn save_changes(&mut self, flags: SaveFlags) -> MapiResult<ObjectId> {
        let logon_id = self.obj.logon_id();
        let folder = self.folder.as_ref().map(|f| f.handle);
        let mut c = self.obj.call(|b, slot| {
            let response = folder.map_or(slot, |h| b.input(h));
            Ok(b.push(RopRequest::SaveChangesMessage(save_request(logon_id, response, slot, flags))))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, SaveChangesMessage)?;
        self.mid = Some(body.message_id);
        Ok(body.message_id)
    }

    /// IMessage::SetReadFlag (`flags`: MSGFLAG read-flag bits of MS-OXCMSG 2.2.3.10.1, 0 marks
    /// read). Returns the response's ReadStatusChanged: whether the read state of a public
    /// folder message changed; on a private mailbox it is always false (MS-OXCMSG_R1841).
    pub fn set_read_flag(&self, flags: u8) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let folder = self.folder.as_ref().map(|f| f.handle);
        let mut c = self.obj.call(|b, slot| {
            // MS-OXCMSG 2.2.3.11: the ResponseHandleIndex references a Folder object.
            let response = folder.map_or(slot, |h| b.input(h));
            Ok(b.push(RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
                logon_id,
                response_handle_index: response,
                input_handle_index: slot,
                read_flags: flags,
                client_data: None,
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, SetMessageReadFlag)?.read_status_changed != 0)
    }

    /// IMessage::GetAttachmentTable.
    pub fn attachment_table(&self) -> MapiResult<Table> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::GetAttachmentTable(GetAttachmentTableRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                table_flags: FolderFlags::USE_UNICODE,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, GetAttachmentTable)?;
        Ok(Table::new(self.obj.child(&c, out)?, 0))
    }

    /// IMessage::CreateAttach.
    pub fn create_attachment(&self) -> MapiResult<Attachment> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::CreateAttachment(CreateAttachmentRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
            })))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, CreateAttachment)?;
        Ok(Attachment::new(self.obj.child(&c, out)?, body.attachment_id, self.obj.clone()))
    }

    /// IMessage::OpenAttach by PR_ATTACH_NUM.
    pub fn open_attachment(&self, attach_num: u32, mode: OpenMode) -> MapiResult<Attachment> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::OpenAttachment(OpenAttachmentRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                open_attachment_flags: mode.flags(),
                attachment_id: attach_num,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, OpenAttachment)?;
        Ok(Attachment::new(self.obj.child(&c, out)?, attach_num, self.obj.clone()))
    }

    /// IMessage::DeleteAttach.
    pub fn delete_attachment(&self, attach_num: u32) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::DeleteAttachment(DeleteAttachmentRequest {
                logon_id,
                input_handle_index: slot,
                attachment_id: attach_num,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, DeleteAttachment)?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
