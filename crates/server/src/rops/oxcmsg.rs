//! Message ROPs (MS-OXCMSG 3.2.5): open, create, save, reload and read flags. Recipients are in
//! `recipients`, attachments and embedded messages in `attachments`, the contents table and
//! the folder-level message operations in `contents`; they are re-exported here for the
//! dispatcher.

use std::sync::{Arc, Mutex};

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::{PR_NORMALIZED_SUBJECT, PR_SUBJECT_PREFIX};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_store::MessageStore;
use oxmapi_store::mailbox::MessageDraft;
use oxmapi_wire::rop::codec::RopCodec;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, MessageObject, ServerObject, Slots, Workspace, lock};
use super::oxcfold::{folder_in, folder_only, new_object, partial_outcome};
use super::oxcstor::store_code;
use super::recipients::{MAX_ROWS, encoded_len, initial_columns, to_wire, wire_type};
use super::{Env, RopResult, RopSession, object};

pub use super::attachments::{
    create_attachment, delete_attachment, get_attachment_table, get_valid_attachments, open_attachment,
    open_embedded_message, save_changes_attachment,
};
pub use super::contents::{delete_messages, get_contents_table, move_copy_messages};
pub use super::recipients::{modify_recipients, read_recipients, remove_all_recipients};

/// `OpenModeFlags` of RopOpenMessage and RopOpenEmbeddedMessage (MS-OXCMSG 2.2.3.1.1,
/// 2.2.3.16.1) and `OpenAttachmentFlags` of RopOpenAttachment (2.2.3.12.1).
pub mod open_mode {
    /// ReadOnly.
    pub const READ_ONLY: u8 = 0x00;
    /// ReadWrite.
    pub const READ_WRITE: u8 = 0x01;
    /// Create (RopOpenEmbeddedMessage: make the embedded message when there is none).
    pub const CREATE: u8 = 0x02;
    /// BestAccess: read/write when the user may write, else read-only.
    pub const BEST_ACCESS: u8 = 0x03;
    /// OpenSoftDeleted (RopOpenMessage).
    pub const OPEN_SOFT_DELETED: u8 = 0x04;
}

/// `SaveFlags` of RopSaveChangesMessage and RopSaveChangesAttachment (MS-OXCMSG 2.2.3.3.1).
/// Older documents give them with 0x08 set (0x09, 0x0A, 0x0C); only these bits count.
pub mod save_flags {
    /// KeepOpenReadOnly: the object stays open, read-only.
    pub const KEEP_OPEN_READ_ONLY: u8 = 0x01;
    /// KeepOpenReadWrite: the object stays open for writing.
    pub const KEEP_OPEN_READ_WRITE: u8 = 0x02;
    /// ForceSave: overwrite changes saved through other handles (no ecObjectModified).
    pub const FORCE_SAVE: u8 = 0x04;

    /// True when the object stays open read-only after the save: KeepOpenReadOnly alone.
    pub fn keeps_read_only(flags: u8) -> bool {
        flags & (KEEP_OPEN_READ_ONLY | KEEP_OPEN_READ_WRITE | FORCE_SAVE) == KEEP_OPEN_READ_ONLY
    }
}

/// `CodePageId` sent with recipient rows when the request named none (the rows carry Unicode
/// strings, so the code page only describes the client's 8-bit view): Windows-1252.
pub(crate) const DEFAULT_CODE_PAGE: u16 = 1252;
/// `CodePageId` 0x0FFF: use the logon's code page.
const CODE_PAGE_OF_LOGON: u16 = 0x0FFF;
/// Property ids from here on are named properties (`HasNamedProperties`).
const FIRST_NAMED_ID: u16 = 0x8000;
/// Bytes of a RopOpenMessage response before its fields (RopId, OutputHandleIndex,
/// ReturnValue).
const RESPONSE_HEADER: usize = 6;
/// Bytes of an OpenRecipientRow before its RecipientRow.
const OPEN_ROW_HEADER: usize = 7;

/// The message object in slot `index` (ecNullObject for any other object; MS-OXCMSG
/// 3.2.5.4–3.2.5.6).
pub(crate) fn message_in<'a>(
    rs: &'a RopSession,
    slots: &Slots,
    index: u8,
) -> Result<&'a MessageObject, ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Message(m) => Ok(m),
        _ => Err(codes::EC_NULL_OBJECT),
    }
}

/// The message object in slot `index`, mutably.
pub(crate) fn message_mut<'a>(
    rs: &'a mut RopSession,
    slots: &Slots,
    index: u8,
) -> Result<&'a mut MessageObject, ErrorCode> {
    match rs.handles.get_mut(slots.handle(index)?) {
        Some(ServerObject::Message(m)) => Ok(m),
        _ => Err(codes::EC_NULL_OBJECT),
    }
}

/// The code page to report for a request's `CodePageId`.
pub(crate) fn code_page(requested: u16) -> u16 {
    if requested == CODE_PAGE_OF_LOGON { DEFAULT_CODE_PAGE } else { requested }
}

fn typed(v: Option<&PropValue>) -> TypedString {
    match v.and_then(|v| v.as_text()) {
        None => TypedString::Absent,
        Some(s) if s.is_empty() => TypedString::Empty,
        Some(s) => TypedString::Unicode(s.into_owned()),
    }
}

/// The body RopOpenMessage, RopReloadCachedInformation and RopOpenEmbeddedMessage share
/// (MS-OXCROPS 2.2.6.1.2): subject parts, recipient count and columns, and as many recipient
/// rows as fit in `room` bytes.
pub(crate) fn open_response(
    store: &MessageStore,
    draft: &MessageDraft,
    columns: &[PropTag],
    code_page_id: u16,
    room: usize,
) -> Result<OpenMessageResponse, ErrorCode> {
    let tags = store.property_tags(draft).map_err(store_code)?;
    let subject = store
        .get_properties_specific(draft, &[PR_SUBJECT_PREFIX, PR_NORMALIZED_SUBJECT], usize::MAX)
        .map_err(store_code)?;
    let recipients: Vec<_> = draft.recipients().collect();
    let mut resp = OpenMessageResponse {
        has_named_properties: tags.iter().any(|t| t.id() >= FIRST_NAMED_ID) as u8,
        subject_prefix: typed(subject.first().map(|t| &t.value)),
        normalized_subject: typed(subject.get(1).map(|t| &t.value)),
        recipient_count: recipients.len().min(u16::MAX as usize) as u16,
        recipient_columns: columns.to_vec(),
        recipient_rows: Vec::new(),
    };
    let mut w = oxmapi_core::codec::Writer::new();
    resp.encode(&mut w);
    let mut used = RESPONSE_HEADER + w.len();
    for r in recipients.into_iter().take(MAX_ROWS) {
        let row = OpenRecipientRow {
            recipient_type: wire_type(r.recipient_type),
            code_page_id,
            reserved: 0,
            recipient_row: to_wire(r, columns),
        };
        let size = OPEN_ROW_HEADER + encoded_len(&row.recipient_row);
        if used + size > room {
            break;
        }
        used += size;
        resp.recipient_rows.push(row);
    }
    Ok(resp)
}

/// RopOpenMessage (MS-OXCMSG 3.2.5.1): the message `MessageId` of folder `FolderId`, through a
/// logon or any folder of the store. ReadWrite and BestAccess open it for writing (the owner
/// and delegates with full access may write); OpenSoftDeleted also finds a soft-deleted one.
/// A missing message is ecNotFound.
pub fn open_message(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &OpenMessageRequest,
    room: usize,
) -> RopResult {
    let (logon, _) = folder_in(rs, slots, q.input_handle_index)?;
    let store = &logon.store;
    let draft = if q.open_mode_flags & open_mode::OPEN_SOFT_DELETED != 0 {
        store.open_message_or_deleted(q.folder_id, q.message_id)
    } else {
        store.open_message(q.folder_id, q.message_id)
    }
    .map_err(store_code)?;
    let columns = initial_columns(draft.recipients());
    let body = open_response(store, &draft, &columns, code_page(q.code_page_id), room)?;
    let workspace = Workspace::new(store.clone(), &draft);
    let obj = MessageObject {
        logon: logon.clone(),
        draft: Arc::new(Mutex::new(draft)),
        parent_attachment: None,
        writable: q.open_mode_flags & open_mode::READ_WRITE != 0,
        workspace,
        recipient_columns: columns,
    };
    new_object(rs, slots, q.output_handle_index, ServerObject::Message(obj))?;
    Ok(RopResponse::OpenMessage(Outcome::ok(q.output_handle_index, body)))
}

/// RopCreateMessage (MS-OXCMSG 3.2.5.2): a new (with AssociatedFlag: FAI) message in
/// `FolderId`, held in memory until RopSaveChangesMessage; it has no MID yet
/// (`HasMessageId` 0).
pub fn create_message(rs: &mut RopSession, slots: &mut Slots, q: &CreateMessageRequest) -> RopResult {
    let (logon, _) = folder_in(rs, slots, q.input_handle_index)?;
    let draft = logon.store.create_message(q.folder_id, q.associated_flag != 0).map_err(store_code)?;
    let workspace = Workspace::new(logon.store.clone(), &draft);
    let message_id = draft.mid();
    let obj = MessageObject {
        logon,
        draft: Arc::new(Mutex::new(draft)),
        parent_attachment: None,
        writable: true,
        workspace,
        recipient_columns: Vec::new(),
    };
    new_object(rs, slots, q.output_handle_index, ServerObject::Message(obj))?;
    Ok(RopResponse::CreateMessage(Outcome::ok(q.output_handle_index, CreateMessageResponse { message_id })))
}

/// RopSaveChangesMessage (MS-OXCMSG 3.2.5.3): commits the message (an embedded one into its
/// attachment) and answers its MID. A read-only message is ecAccessDenied; a message saved
/// through another handle since this one opened it is ecObjectModified unless ForceSave is
/// set. KeepOpenReadOnly leaves the object open read-only.
pub fn save_changes_message(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SaveChangesMessageRequest,
) -> RopResult {
    let m = message_mut(rs, slots, q.input_handle_index)?;
    if !m.writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let store = &m.logon.store;
    let message_id = match &m.parent_attachment {
        Some(att) => store.save_embedded(&mut lock(att), &mut lock(&m.draft)),
        None => store.save_message(&mut lock(&m.draft), q.save_flags & save_flags::FORCE_SAVE != 0),
    }
    .map_err(store_code)?;
    if save_flags::keeps_read_only(q.save_flags) {
        m.writable = false;
    }
    Ok(RopResponse::SaveChangesMessage(Outcome::ok(
        q.response_handle_index,
        SaveChangesMessageResponse { input_handle_index: q.input_handle_index, message_id },
    )))
}

/// RopReloadCachedInformation (MS-OXCMSG 3.2.5.7): the RopOpenMessage fields of the message
/// as it is now in this object.
pub fn reload_cached_information(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &ReloadCachedInformationRequest,
    room: usize,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let body = open_response(&m.logon.store, &lock(&m.draft), &m.recipient_columns, DEFAULT_CODE_PAGE, room)?;
    Ok(RopResponse::ReloadCachedInformation(Outcome::ok(q.input_handle_index, body)))
}

/// RopSetMessageReadFlag (MS-OXCMSG 3.2.5.11): changes the read state of the message at once
/// (a saved one in the store, without RopSaveChangesMessage; it needs no write access).
/// `ReadStatusChanged` is nonzero only when "the read status on the Message object changed and
/// the logon is in public folder mode" (MS-OXCMSG 2.2.3.11.2, MS-OXCMSG_R921); on a private
/// mailbox it is 0x00 (_R1841, test case MSOXCMSG_S03_TC05_RopSetMessageReadFlagsNotInPublicFolderMode),
/// so the response never carries `LogonId` and `ClientData` there (MS-OXCROPS 2.2.6.11.2,
/// MS-OXCROPS_R2110). On a public-folder logon a change echoes the request's `LogonId` and
/// `ClientData`. Marking a message read sends the read receipt its sender asked for, unless
/// `ReadFlags` has rfSuppressReceipt ([`crate::delivery::send_owed_read_receipts`]).
pub fn set_message_read_flag(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SetMessageReadFlagRequest,
) -> RopResult {
    let m = message_in(rs, slots, q.input_handle_index)?;
    let (changed, saved) = {
        let mut draft = lock(&m.draft);
        let changed = m.logon.store.set_draft_read_flag(&mut draft, q.read_flags).map_err(store_code)?;
        (changed, draft.folder_id().zip(draft.mid()))
    };
    if let Some((fid, mid)) = saved {
        crate::delivery::send_owed_read_receipts(env.state, &m.logon, fid, &[mid]);
    }
    let changed = changed && !m.logon.private;
    let client_data = match (changed, q.client_data) {
        (true, Some(data)) => Some((q.logon_id, data)),
        _ => None,
    };
    Ok(RopResponse::SetMessageReadFlag(Outcome::ok(
        q.response_handle_index,
        SetMessageReadFlagResponse { read_status_changed: changed as u8, client_data },
    )))
}

/// RopSetReadFlags (MS-OXCMSG 3.2.5.10): applies `ReadFlags` to the listed messages of the
/// folder (to all its normal messages when the list is empty); `PartialCompletion` when some
/// were not found. Read receipts are sent as for RopSetMessageReadFlag.
pub fn set_read_flags(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SetReadFlagsRequest,
) -> RopResult {
    let run = || {
        let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
        let mids = (!q.message_ids.is_empty()).then_some(q.message_ids.as_slice());
        let partial = logon.store.set_read_flags(fid, mids, q.read_flags).map_err(store_code)?;
        crate::delivery::send_owed_read_receipts(env.state, &logon, fid, &q.message_ids);
        Ok(partial)
    };
    Ok(RopResponse::SetReadFlags(partial_outcome(q.input_handle_index, run())))
}

/// The Folder object of RopSetMessageStatus and RopGetMessageStatus: "[ecNullObject
/// (0x000004B9)] The value of the InputHandleIndex field on which this ROP was called does not
/// refer to a Folder object" (MS-OXCMSG 3.2.5.8/3.2.5.9, MS-OXCMSG_R1505, _R1507).
fn status_folder(
    rs: &RopSession,
    slots: &Slots,
    index: u8,
) -> Result<(Arc<LogonObject>, ObjectId), ErrorCode> {
    folder_only(rs, slots, index)
        .map_err(|e| if e == codes::MAPI_E_NO_SUPPORT { codes::EC_NULL_OBJECT } else { e })
}

/// RopSetMessageStatus (MS-OXCMSG 3.2.5.8): changes the `MessageStatusMask` bits of
/// PidTagMessageStatus of a message of the folder to those of `MessageStatusFlags`, without
/// opening the message and without changing its change key or last modification time
/// (MS-OXCMSG_R416, _R1500, _R1501); the response has the status before the change (_R784).
pub fn set_message_status(rs: &RopSession, slots: &Slots, q: &SetMessageStatusRequest) -> RopResult {
    let (logon, fid) = status_folder(rs, slots, q.input_handle_index)?;
    let old = logon
        .store
        .set_message_status(fid, q.message_id, q.message_status_flags, q.message_status_mask)
        .map_err(store_code)?;
    Ok(RopResponse::SetMessageStatus(Outcome::ok(
        q.input_handle_index,
        MessageStatusResponse { message_status_flags: old },
    )))
}

/// RopGetMessageStatus (MS-OXCMSG 3.2.5.9): PidTagMessageStatus of a message of the folder,
/// without opening it (MS-OXCMSG_R421, _R786). "The response buffers for RopGetMessageStatus
/// are the same as those for RopSetMessageStatus" — RopId 0x20 included, as gromox sends it
/// (exch/exchange_emsmdb/rop_ext.cpp) and Microsoft's MS-OXCMSG test suite reads it
/// (MSOXCMSG_S02_TC01 casts the response to RopSetMessageStatusResponse).
pub fn get_message_status(rs: &RopSession, slots: &Slots, q: &GetMessageStatusRequest) -> RopResult {
    let run = || {
        let (logon, fid) = status_folder(rs, slots, q.input_handle_index)?;
        logon.store.message_status(fid, q.message_id).map_err(store_code)
    };
    Ok(RopResponse::SetMessageStatus(match run() {
        Ok(status) => {
            Outcome::ok(q.input_handle_index, MessageStatusResponse { message_status_flags: status })
        }
        Err(code) => Outcome::err(q.input_handle_index, code.0),
    }))
}
