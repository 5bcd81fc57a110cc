//! Request builders, constants and fixtures for the MS-OXCMSG cases (MS-OXCMSG 2.2.3;
//! MS-OXCROPS 2.2.6). Every request uses `LogonId` 0 and `input`/`output` are handle-table
//! slots.

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Verdict, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;

/// PidTagSubject (PtypString).
pub const PR_SUBJECT_W: PropTag = PropTag(0x0037_001F);
/// PidTagBody (PtypString).
pub const PR_BODY_W: PropTag = PropTag(0x1000_001F);

/// RopOpenMessage / RopOpenAttachment / RopOpenEmbeddedMessage `OpenModeFlags`
/// (MS-OXCMSG 2.2.3.1.1, 2.2.3.12.1, 2.2.3.16.1).
pub mod open_mode {
    /// ReadOnly.
    pub const READ_ONLY: u8 = 0x00;
    /// ReadWrite.
    pub const READ_WRITE: u8 = 0x01;
    /// Create (RopOpenEmbeddedMessage).
    pub const CREATE: u8 = 0x02;
    /// BestAccess.
    pub const BEST_ACCESS: u8 = 0x03;
}

/// `ReadFlags` of RopSetMessageReadFlag and RopSetReadFlags (MS-OXCMSG 2.2.3.10.1).
pub mod read_flags {
    /// rfDefault: mark read.
    pub const DEFAULT: u8 = 0x00;
    /// rfSuppressReceipt.
    pub const SUPPRESS_RECEIPT: u8 = 0x01;
    /// rfClearReadFlag: mark unread.
    pub const CLEAR_READ_FLAG: u8 = 0x04;
}

/// PidTagMessageStatus bits (MS-OXCMSG 2.2.1.8).
pub mod status {
    /// msInConflict.
    pub const IN_CONFLICT: u32 = 0x0000_0800;
    /// msRemoteDownload.
    pub const REMOTE_DOWNLOAD: u32 = 0x0000_1000;
    /// msRemoteDelete.
    pub const REMOTE_DELETE: u32 = 0x0000_2000;
}

/// PidTagAttachMethod afEmbeddedMessage (MS-OXCMSG, PidTagAttachMethod; MS-OXCMSG_R596).
pub const AF_EMBEDDED_MESSAGE: i32 = 0x0000_0005;

/// RopRemoveAllRecipients.
pub fn remove_all_recipients(input: u8) -> RopRequest {
    RopRequest::RemoveAllRecipients(RemoveAllRecipientsRequest {
        logon_id: 0,
        input_handle_index: input,
        reserved: 0,
    })
}

/// RopModifyRecipients.
pub fn modify_recipients(input: u8, columns: &[PropTag], rows: Vec<ModifyRecipientRow>) -> RopRequest {
    RopRequest::ModifyRecipients(ModifyRecipientsRequest {
        logon_id: 0,
        input_handle_index: input,
        recipient_columns: columns.to_vec(),
        recipient_rows: rows,
    })
}

/// RopReadRecipients from `row_id`.
pub fn read_recipients(input: u8, row_id: u32) -> RopRequest {
    RopRequest::ReadRecipients(ReadRecipientsRequest {
        logon_id: 0,
        input_handle_index: input,
        row_id,
        reserved: 0,
    })
}

/// RopReloadCachedInformation.
pub fn reload_cached_information(input: u8) -> RopRequest {
    RopRequest::ReloadCachedInformation(ReloadCachedInformationRequest {
        logon_id: 0,
        input_handle_index: input,
        reserved: 0,
    })
}

/// RopSetMessageReadFlag on a private logon (no `ClientData`).
pub fn set_message_read_flag(response: u8, input: u8, flags: u8) -> RopRequest {
    RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        read_flags: flags,
        client_data: None,
    })
}

/// RopSetReadFlags (synchronous).
pub fn set_read_flags(input: u8, flags: u8, mids: &[ObjectId]) -> RopRequest {
    RopRequest::SetReadFlags(SetReadFlagsRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        read_flags: flags,
        message_ids: mids.to_vec(),
    })
}

/// RopGetMessageStatus.
pub fn get_message_status(input: u8, mid: ObjectId) -> RopRequest {
    RopRequest::GetMessageStatus(GetMessageStatusRequest {
        logon_id: 0,
        input_handle_index: input,
        message_id: mid,
    })
}

/// RopSetMessageStatus.
pub fn set_message_status(input: u8, mid: ObjectId, flags: u32, mask: u32) -> RopRequest {
    RopRequest::SetMessageStatus(SetMessageStatusRequest {
        logon_id: 0,
        input_handle_index: input,
        message_id: mid,
        message_status_flags: flags,
        message_status_mask: mask,
    })
}

/// RopGetAttachmentTable (Unicode).
pub fn attachment_table(input: u8, output: u8) -> RopRequest {
    RopRequest::GetAttachmentTable(GetAttachmentTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        table_flags: 0x40,
    })
}

/// RopCreateAttachment.
pub fn create_attachment(input: u8, output: u8) -> RopRequest {
    RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
    })
}

/// RopOpenAttachment.
pub fn open_attachment(input: u8, output: u8, mode: u8, id: u32) -> RopRequest {
    RopRequest::OpenAttachment(OpenAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        open_attachment_flags: mode,
        attachment_id: id,
    })
}

/// RopDeleteAttachment.
pub fn delete_attachment(input: u8, id: u32) -> RopRequest {
    RopRequest::DeleteAttachment(DeleteAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        attachment_id: id,
    })
}

/// RopSaveChangesAttachment.
pub fn save_attachment(response: u8, input: u8, flags: u8) -> RopRequest {
    RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        save_flags: flags,
    })
}

/// RopOpenEmbeddedMessage (code page 0x0FFF).
pub fn open_embedded_message(input: u8, output: u8, mode: u8) -> RopRequest {
    RopRequest::OpenEmbeddedMessage(OpenEmbeddedMessageRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        code_page_id: 0x0FFF,
        open_mode_flags: mode,
    })
}

/// A Unicode string property value.
pub fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue { tag, value: PropValue::Unicode(s.to_string()) }
}

/// The recipient columns the cases send: PidTagSmtpAddress.
pub const RECIPIENT_COLUMNS: &[PropTag] = &[PropTag(0x39FE_001F)];

/// A ModifyRecipientRow for an SMTP recipient with Unicode display name and address
/// (RecipientRow, MS-OXCDATA 2.8.3.1: type SMTP, D, E and U flags), its SMTP address also in
/// [`RECIPIENT_COLUMNS`].
pub fn smtp_recipient(row_id: u32, recipient_type: u8, name: &str, email: &str) -> ModifyRecipientRow {
    use recipient_flags::*;
    let mut row = RecipientRow {
        flags: TYPE_SMTP | D | E | U,
        email_address: Some(email.to_string()),
        display_name: Some(name.to_string()),
        ..RecipientRow::default()
    };
    row.set_properties(
        &PropertyRow::new(vec![RowValue::Value(PropValue::Unicode(email.to_string()))]),
        RECIPIENT_COLUMNS,
    );
    ModifyRecipientRow { row_id, recipient_type, recipient_row: Some(row) }
}

/// A new (unsaved) message in folder `fid` open as `folder`: its handle.
pub fn new_message(ctx: &mut Ctx, folder: u32, fid: ObjectId, associated: bool) -> Result<u32, Verdict> {
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, associated))?;
    expect_rv("RopCreateMessage", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("an output handle from RopCreateMessage", "none"))
}

/// RopSaveChangesMessage of `msg` with `flags`: the response.
pub fn save(ctx: &mut Ctx, msg: u32, flags: u8) -> Result<RopResponse, Verdict> {
    Ok(ctx.rop(&[msg], rops::save_message(0, 0, flags))?.resp)
}

/// RopSaveChangesMessage with KeepOpenReadWrite that must succeed: the MID.
pub fn save_ok(ctx: &mut Ctx, msg: u32) -> Result<ObjectId, Verdict> {
    let resp = save(ctx, msg, rops::save_flags::KEEP_OPEN_READ_WRITE)?;
    Ok(body!(resp, SaveChangesMessage)?.message_id)
}

/// Sets `values` on `handle`, failing on a ReturnValue or a property problem.
pub fn set_ok(ctx: &mut Ctx, handle: u32, values: Vec<TaggedValue>) -> Result<(), Verdict> {
    let one = ctx.rop(&[handle], rops::set_props(0, values))?;
    let b = body!(one.resp, SetProperties)?;
    if b.problems.is_empty() {
        Ok(())
    } else {
        Err(fail("RopSetProperties without property problems", format!("{:?}", b.problems)))
    }
}

/// A saved message with `subject` in folder `fid` open as `folder`, kept open read/write: its
/// MID and handle.
pub fn saved_message(
    ctx: &mut Ctx,
    folder: u32,
    fid: ObjectId,
    associated: bool,
    subject: &str,
) -> Result<(ObjectId, u32), Verdict> {
    let msg = new_message(ctx, folder, fid, associated)?;
    set_ok(ctx, msg, vec![text(PR_SUBJECT_W, subject)])?;
    let mid = save_ok(ctx, msg)?;
    Ok((mid, msg))
}

/// RopOpenMessage of `mid` in `fid` through folder handle `folder` with `mode`.
pub fn open_message(
    ctx: &mut Ctx,
    folder: u32,
    fid: ObjectId,
    mid: ObjectId,
    mode: u8,
) -> Result<crate::context::One, Verdict> {
    ctx.rop(&[folder], rops::open_message(0, 1, fid, mid, mode))
}

/// RopGetValidAttachments (MS-OXCROPS 2.2.6.18).
pub fn get_valid_attachments(input: u8) -> RopRequest {
    RopRequest::GetValidAttachments(GetValidAttachmentsRequest { logon_id: 0, input_handle_index: input })
}

/// A new attachment on `msg`, saved: its AttachmentID and handle.
pub fn saved_attachment(ctx: &mut Ctx, msg: u32, values: Vec<TaggedValue>) -> Result<(u32, u32), Verdict> {
    let one = ctx.rop(&[msg], create_attachment(0, 1))?;
    let id = body!(one.resp, CreateAttachment)?.attachment_id;
    let att = one.out.ok_or_else(|| fail("an output handle from RopCreateAttachment", "none"))?;
    if !values.is_empty() {
        set_ok(ctx, att, values)?;
    }
    let one = ctx.rop(&[att], save_attachment(0, 0, rops::save_flags::KEEP_OPEN_READ_WRITE))?;
    expect_rv("RopSaveChangesAttachment", &one.resp, 0)?;
    Ok((id, att))
}
