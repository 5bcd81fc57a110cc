//! Attachment ROPs (MS-OXCMSG 3.2.5.12–3.2.5.17): the attachment table, open, create,
//! delete and save attachments, and embedded messages.
//!
//! An attachment object holds a copy of the attachment; RopSaveChangesAttachment puts it into
//! its message object, and the message's RopSaveChangesMessage makes it durable. An embedded
//! message saves into its attachment object the same way.

use std::sync::{Arc, Mutex};

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;

use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{
    AttachmentObject, MessageObject, ObjectKind, ServerObject, Slots, TableObject, TableSource, lock,
};
use super::oxcfold::{new_object, table_flags};
use super::oxcmsg::{code_page, message_in, open_mode, open_response, save_flags};
use super::oxcstor::store_code;
use super::recipients::initial_columns;
use super::table_rows::attachment_rows;
use super::{RopResult, RopSession, object};

/// Bytes RopOpenEmbeddedMessage puts before the RopOpenMessage fields (`Reserved`,
/// `MessageId`).
const EMBEDDED_PREFIX: usize = 9;

/// The attachment object in slot `index` (ecNullObject for any other object).
fn attachment_in<'a>(
    rs: &'a RopSession,
    slots: &Slots,
    index: u8,
) -> Result<&'a AttachmentObject, ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Attachment(a) => Ok(a),
        _ => Err(codes::EC_NULL_OBJECT),
    }
}

/// Whether an object opened with `flags` from a parent that is (or not) writable may be
/// written: ReadWrite needs a writable parent (else ecAccessDenied), BestAccess takes what the
/// parent allows, ReadOnly never writes.
fn access(flags: u8, parent_writable: bool) -> Result<bool, ErrorCode> {
    match flags & open_mode::BEST_ACCESS {
        open_mode::READ_ONLY => Ok(false),
        open_mode::READ_WRITE if !parent_writable => Err(codes::MAPI_E_NO_ACCESS),
        open_mode::READ_WRITE => Ok(true),
        open_mode::BEST_ACCESS => Ok(parent_writable),
        // Create alone: only RopOpenEmbeddedMessage gives it a meaning, handled there.
        _ => Ok(false),
    }
}

/// RopGetAttachmentTable (MS-OXCMSG 3.2.5.17): a table of the message object's
/// attachments as they are in this object (saved attachments included before the message is
/// saved). TableFlags UseUnicode (0x40) makes PtypUnspecified string columns Unicode.
pub fn get_attachment_table(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetAttachmentTableRequest,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let rows = attachment_rows(&m.logon, &m.draft)?;
    let table = TableObject::loaded(
        m.logon.clone(),
        TableSource::Attachments { message: m.draft.clone() },
        rows,
        q.table_flags & table_flags::USE_UNICODE != 0,
        0,
    );
    new_object(rs, slots, q.output_handle_index, ServerObject::Table(Box::new(table)))?;
    Ok(RopResponse::GetAttachmentTable(Outcome::ok(q.output_handle_index, Empty)))
}

/// RopGetValidAttachments (MS-OXCMSG 2.2.3.18; MS-OXCROPS 2.2.6.18): the `AttachmentID`s of
/// the attachments "that have previously been saved and have been assigned a valid numeric
/// identifier" — the attachments the message object has (RopSaveChangesAttachment puts one
/// there, RopDeleteAttachment takes it out), in ascending order; one created and not saved yet
/// is not among them. The same list as the attachment table's PidTagAttachNumber column.
/// Another kind of object → ecNullObject, as the other attachment ROPs on a message answer.
/// Exchange 2010 and later do not implement it (MS-OXCMSG <18>), nor does gromox
/// (`exch/emsmdb/oxcmsg.cpp` rop_getvalidattachments: NotImplemented).
pub fn get_valid_attachments(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetValidAttachmentsRequest,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let attachment_ids = lock(&m.draft).attachment_numbers();
    Ok(RopResponse::GetValidAttachments(Outcome::ok(
        q.input_handle_index,
        GetValidAttachmentsResponse { attachment_ids },
    )))
}

fn attachment_object(
    m: &MessageObject,
    draft: oxmapi_store::mailbox::AttachmentDraft,
    writable: bool,
) -> ServerObject {
    ServerObject::Attachment(AttachmentObject {
        logon: m.logon.clone(),
        message: m.draft.clone(),
        draft: Arc::new(Mutex::new(draft)),
        writable,
        workspace: m.workspace.clone(),
    })
}

/// RopOpenAttachment (MS-OXCMSG 3.2.5.12): the attachment `AttachmentID` of the message;
/// ecNotFound when it has none with that number.
pub fn open_attachment(rs: &mut RopSession, slots: &mut Slots, q: &OpenAttachmentRequest) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let writable = access(q.open_attachment_flags, m.writable)?;
    let draft = m.logon.store.open_attachment(&lock(&m.draft), q.attachment_id).map_err(store_code)?;
    let obj = attachment_object(m, draft, writable);
    new_object(rs, slots, q.output_handle_index, obj)?;
    Ok(RopResponse::OpenAttachment(Outcome::ok(q.output_handle_index, Empty)))
}

/// RopCreateAttachment (MS-OXCMSG 3.2.5.13): a new attachment with the next attachment number
/// (`AttachmentID`); it joins the message with RopSaveChangesAttachment. A read-only message
/// is ecAccessDenied.
pub fn create_attachment(rs: &mut RopSession, slots: &mut Slots, q: &CreateAttachmentRequest) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let draft = m.logon.store.create_attachment(&mut lock(&m.draft)).map_err(store_code)?;
    let attachment_id = draft.attach_num();
    let obj = attachment_object(m, draft, true);
    new_object(rs, slots, q.output_handle_index, obj)?;
    Ok(RopResponse::CreateAttachment(Outcome::ok(
        q.output_handle_index,
        CreateAttachmentResponse { attachment_id },
    )))
}

/// RopDeleteAttachment (MS-OXCMSG 3.2.5.14): removes the attachment from the message object
/// (from the store at the message's save); ecNotFound for an unknown number, ecAccessDenied on
/// a read-only message.
pub fn delete_attachment(rs: &mut RopSession, slots: &mut Slots, q: &DeleteAttachmentRequest) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    m.logon.store.delete_attachment(&mut lock(&m.draft), q.attachment_id).map_err(store_code)?;
    Ok(RopResponse::DeleteAttachment(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopSaveChangesAttachment (MS-OXCMSG 3.2.5.15): puts the attachment into its message object
/// (the response names `ResponseHandleIndex`, the message). A read-only attachment is
/// ecAccessDenied; KeepOpenReadOnly leaves it open read-only.
pub fn save_changes_attachment(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SaveChangesAttachmentRequest,
) -> RopResult {
    let h = slots.handle(q.input_handle_index)?;
    let a = match rs.handles.get_mut(h) {
        Some(ServerObject::Attachment(a)) => a,
        _ => return Err(codes::EC_NULL_OBJECT),
    };
    if !a.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    a.logon.store.save_attachment(&mut lock(&a.message), &mut lock(&a.draft)).map_err(store_code)?;
    if save_flags::keeps_read_only(q.save_flags) {
        a.writable = false;
    }
    Ok(RopResponse::SaveChangesAttachment(Outcome::ok(q.response_handle_index, Empty)))
}

/// RopOpenEmbeddedMessage (MS-OXCMSG 3.2.5.16): the message in an attachment; with
/// OpenModeFlags Create a new one when there is none (the attachment becomes
/// afEmbeddedMessage). Its RopSaveChangesMessage saves it into the attachment. ecNotFound when
/// there is none and Create is not set; Create or ReadWrite on a read-only attachment is
/// ecAccessDenied.
pub fn open_embedded_message(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &OpenEmbeddedMessageRequest,
    room: usize,
) -> RopResult {
    let a = attachment_in(rs, slots, q.input_handle_index)?;
    let create = q.open_mode_flags & open_mode::CREATE != 0;
    let writable = if create {
        if !a.writable {
            return Err(codes::MAPI_E_NO_ACCESS);
        }
        true
    } else {
        access(q.open_mode_flags, a.writable)?
    };
    // Create changes the attachment before the message object is opened: refuse first.
    rs.handles.check_room(ObjectKind::Message)?;
    let store = &a.logon.store;
    let draft = store.open_embedded(&mut lock(&a.draft), create).map_err(store_code)?;
    let message_id = draft.mid().ok_or(codes::MAPI_E_CALL_FAILED)?;
    let columns = initial_columns(draft.recipients());
    let message = open_response(
        store,
        &draft,
        &columns,
        code_page(q.code_page_id),
        room.saturating_sub(EMBEDDED_PREFIX),
    )?;
    let obj = ServerObject::Message(MessageObject {
        logon: a.logon.clone(),
        draft: Arc::new(Mutex::new(draft)),
        parent_attachment: Some(a.draft.clone()),
        writable,
        workspace: a.workspace.clone(),
        recipient_columns: columns,
    });
    new_object(rs, slots, q.output_handle_index, obj)?;
    Ok(RopResponse::OpenEmbeddedMessage(Outcome::ok(
        q.output_handle_index,
        OpenEmbeddedMessageResponse { reserved: 0, message_id, message },
    )))
}
