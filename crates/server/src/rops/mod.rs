//! ROP execution (MS-OXCROPS 3.2.5): one ROP buffer in, one out. Handlers are grouped one file
//! per protocol family (`oxcstor`, `oxcprpt`, …) behind the single dispatch in [`dispatch`].

pub(crate) mod access;
mod attachments;
mod contents;
mod copy;
pub mod handles;
mod named;
mod oxcfold;
mod oxcmsg;
pub mod oxcnotif;
mod oxcperm;
mod oxcprpt;
mod oxcstor;
mod oxctabl;
mod oxomsg;
mod oxorule;
mod peruser;
pub mod props;
mod recipients;
mod row_buffer;
mod search;
mod stream_locks;
mod streams;
pub mod table_engine;
mod table_rows;

use oxmapi_core::ErrorCode;
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::error::codes;
use oxmapi_wire::rop::buffer::RopBuffer;
use oxmapi_wire::rop::ids::RopId;
use oxmapi_wire::rop::oxcmsg::SaveChangesMessageRequest;
use oxmapi_wire::rop::oxcrops::BufferTooSmallResponse;
use oxmapi_wire::rop::oxomsg::SubmitMessageRequest;
use oxmapi_wire::rop::request::{RequestContext, RopRequest};
use oxmapi_wire::rop::response::RopResponse;

use std::sync::Arc;

use crate::notify::Queue;
use crate::session::SessionInfo;
use crate::state::ServerState;
use handles::{HandleTable, ServerObject, Slots};

/// Space a ROP response is guaranteed before a ROP runs; below it the server answers
/// RopBufferTooSmall without running the ROP, so that no ROP with side effects is executed and
/// then dropped (MS-OXCROPS 3.2.4.3).
const MIN_RESPONSE_ROOM: usize = 64;
/// RopBufferTooSmall before its RequestBuffers: RopId and SizeNeeded (MS-OXCROPS 2.2.15.1).
const BUFFER_TOO_SMALL_HEAD: usize = 3;

/// Per-session ROP state: the handle table and the request decoding context.
#[derive(Default)]
pub struct RopSession {
    /// Server objects.
    pub handles: HandleTable,
    /// Which logon ids are public logons (for decoding RopSetMessageReadFlag).
    pub request_ctx: RequestContext,
    /// The context's notification queue (subscriptions made by its ROPs queue here).
    pub events: Arc<Queue>,
}

/// What handlers can reach.
pub struct Env<'a> {
    /// Server-wide state.
    pub state: &'a ServerState,
    /// The session context's fixed facts.
    pub session: &'a SessionInfo,
}

/// A handler's result: a typed response, or a bare failure with this ReturnValue.
pub type RopResult = Result<RopResponse, ErrorCode>;

/// Executes a ROP input buffer (MS-OXCROPS 3.2.5.1) and appends the context's queued
/// notifications (RopNotify, then RopPending when not all fit; MS-OXCNOTIF 3.2.5.5.3). `limit`
/// is the largest ROP output buffer (RopSize + ROPs + handle table) the response may take. A malformed or reserved ROP fails the
/// whole call with ecRpcFormat, as MS-OXCROPS 3.2.5.1 requires.
pub fn execute(
    env: &Env<'_>,
    rs: &mut RopSession,
    input: &RopBuffer,
    limit: usize,
) -> Result<RopBuffer, ErrorCode> {
    let mut slots = Slots { handles: input.handles.clone() };
    let mut out = Writer::new();
    let mut r = Reader::new(&input.rops);
    let fixed = 2 + 4 * slots.handles.len();
    let mut truncated = false;
    // The RopSubmitMessage answered together with the RopSaveChangesMessage before it.
    let mut carried: Option<RopResult> = None;
    while !r.is_empty() {
        let start = r.position();
        let raw = &input.rops[start..];
        // Room for this ROP's response, and always for the RopBufferTooSmall that would carry
        // the unprocessed requests back (RopId, SizeNeeded, RequestBuffers: 3 + raw bytes), so
        // the output never outgrows the limit (nor one 32 KB RPC_HEADER_EXT payload).
        let reserve = MIN_RESPONSE_ROOM.max(BUFFER_TOO_SMALL_HEAD + raw.len());
        if fixed + out.len() + reserve > limit {
            let needed = fixed + out.len() + reserve;
            buffer_too_small(&mut out, needed, raw);
            truncated = true;
            break;
        }
        let req = RopRequest::decode(&mut r, &rs.request_ctx).map_err(|e| {
            tracing::debug!(error = %e, "malformed ROP request");
            codes::EC_RPC_FORMAT
        })?;
        let id = req.rop_id();
        // What the requests after this one need kept free: their RopBufferTooSmall.
        let rest = input.rops.len() - r.position();
        let tail = if rest > 0 { BUFFER_TOO_SMALL_HEAD + rest } else { 0 };
        let room = limit.saturating_sub(fixed + out.len() + tail);
        let refused = || {
            logon_map_miss(rs, &slots, &req, raw)
                .or_else(|| revoked(rs, &slots, &req, raw))
                .or_else(|| access::refused(rs, &slots, &req, raw))
        };
        let result = match (carried.take(), refused()) {
            (Some(done), _) => Some(done),
            (None, Some(code)) => Some(Err(code)),
            (None, None) => match submit_next(rs, &slots, &req, &r, fixed + out.len(), limit) {
                Some((save, submit)) => match oxomsg::save_and_submit(env, rs, &mut slots, save, &submit) {
                    Some((saved, submitted)) => {
                        carried = Some(submitted);
                        Some(saved)
                    }
                    None => dispatch(env, rs, &mut slots, &req, room),
                },
                None => dispatch(env, rs, &mut slots, &req, room),
            },
        };
        let Some(result) = result else { continue };
        let mut w = Writer::new();
        let code = match result {
            Ok(resp) => {
                resp.encode(&mut w);
                resp.status().map(|(_, c)| c).unwrap_or(0)
            }
            Err(code) => {
                w.u8(id as u8);
                w.u8(raw.get(id.response_index_offset()).copied().unwrap_or(0));
                w.u32(code.0);
                code.0
            }
        };
        record(env, id, code);
        let rsp = w.into_vec();
        if fixed + out.len() + rsp.len() + tail > limit {
            let needed = fixed + out.len() + rsp.len() + tail;
            buffer_too_small(&mut out, needed, raw);
            truncated = true;
            break;
        }
        out.bytes(&rsp);
    }
    let mut output = RopBuffer { rops: out.into_vec(), handles: slots.handles };
    // RopBufferTooSmall must end the buffer: the notifications wait for the next Execute.
    if !truncated {
        oxcnotif::append_notifications(&mut output, &rs.events, limit, env.session.index);
    }
    Ok(output)
}

/// The largest RopSaveChangesMessage response: RopId, ResponseHandleIndex, ReturnValue,
/// InputHandleIndex and MessageId (MS-OXCROPS 2.2.6.3.2).
const SAVE_CHANGES_MESSAGE_RESPONSE: usize = 15;

/// `req` is a RopSaveChangesMessage and the next request in the buffer a RopSubmitMessage that
/// the server may answer together with it ([`oxomsg::save_and_submit`]): it decodes, is not
/// refused before it runs, and both responses fit in what is left of the buffer, so the
/// submission can never come back unprocessed in a RopBufferTooSmall after it was done.
fn submit_next<'q>(
    rs: &RopSession,
    slots: &Slots,
    req: &'q RopRequest,
    rest: &Reader<'_>,
    used: usize,
    limit: usize,
) -> Option<(&'q SaveChangesMessageRequest, SubmitMessageRequest)> {
    let RopRequest::SaveChangesMessage(save) = req else { return None };
    let raw = rest.rest();
    let RopRequest::SubmitMessage(submit) = RopRequest::decode(&mut rest.clone(), &rs.request_ctx).ok()?
    else {
        return None;
    };
    let next = RopRequest::SubmitMessage(submit.clone());
    if logon_map_miss(rs, slots, &next, raw)
        .or_else(|| revoked(rs, slots, &next, raw))
        .or_else(|| access::refused(rs, slots, &next, raw))
        .is_some()
    {
        return None;
    }
    let reserve = MIN_RESPONSE_ROOM.max(BUFFER_TOO_SMALL_HEAD + raw.len());
    (used + SAVE_CHANGES_MESSAGE_RESPONSE + reserve <= limit).then_some((save, submit))
}

/// MS-OXCROPS 3.2.5.1: the server looks each request's LogonId up in the session's Logon Map;
/// when no open RopLogon created that LogonId it SHOULD fail the ROP with a nonzero ReturnValue.
/// A ROP whose input object is gone too (a released Logon object) is ecNullObject, as it would
/// be for any released handle; one on a live object is ecError, as gromox's rop_processor
/// answers a failed logon lookup. RopLogon (which creates the entry) and RopRelease (no
/// response) skip the lookup. `raw` starts with the request: `RopId, LogonId,
/// InputHandleIndex…` for every ROP but RopLogon (MS-OXCROPS 2.2.1).
fn logon_map_miss(rs: &RopSession, slots: &Slots, req: &RopRequest, raw: &[u8]) -> Option<ErrorCode> {
    if matches!(req, RopRequest::Logon(_) | RopRequest::Release(_)) || rs.handles.has_logon(req.logon_id()) {
        return None;
    }
    let input_alive =
        raw.get(2).and_then(|&index| slots.handle(index).ok()).is_some_and(|h| rs.handles.get(h).is_some());
    Some(if input_alive { codes::MAPI_E_CALL_FAILED } else { codes::EC_NULL_OBJECT })
}

/// ecAccessDenied (0x80070005) for a ROP on a logon whose right was withdrawn, or on an object
/// opened through one ([`crate::authz`]): a revoked full-access grant stops the delegate's open
/// logon at its next ROP, not only its next RopLogon. The request's own LogonId and the object
/// in its input handle slot are checked. RopRelease still works (the client frees what it
/// holds); RopLogon makes a new logon, whose grant it checks itself (ecLoginPerm, MS-OXCSTOR
/// 3.2.5.1.1).
fn revoked(rs: &RopSession, slots: &Slots, req: &RopRequest, raw: &[u8]) -> Option<ErrorCode> {
    if matches!(req, RopRequest::Logon(_) | RopRequest::Release(_)) {
        return None;
    }
    let own = rs.handles.logon(req.logon_id()).is_some_and(|l| l.is_revoked());
    // The input handle, and for the ROPs that name two objects (MS-OXCROPS 2.2.4.6 to 2.2.4.8,
    // 2.2.8.11, 2.2.8.12, 2.2.9.8: SourceHandleIndex then DestHandleIndex) the destination too,
    // so that a revoked store is neither read from nor written into by a copy or a move.
    let two_handles = matches!(
        req,
        RopRequest::MoveCopyMessages(_)
            | RopRequest::MoveFolder(_)
            | RopRequest::CopyFolder(_)
            | RopRequest::CopyTo(_)
            | RopRequest::CopyProperties(_)
            | RopRequest::CopyToStream(_)
    );
    let indexes = if two_handles {
        &raw[2.min(raw.len())..4.min(raw.len())]
    } else {
        &raw[2.min(raw.len())..3.min(raw.len())]
    };
    let input = indexes
        .iter()
        .filter_map(|&index| slots.handle(index).ok())
        .filter_map(|h| rs.handles.get(h))
        .any(|o| o.logon().is_revoked());
    (own || input).then_some(codes::MAPI_E_NO_ACCESS)
}

/// Appends RopBufferTooSmall with the unprocessed request ROPs (MS-OXCROPS 2.2.15.1).
fn buffer_too_small(out: &mut Writer, needed: usize, remaining: &[u8]) {
    let resp = BufferTooSmallResponse {
        size_needed: needed.min(u16::MAX as usize) as u16,
        request_buffers: remaining.to_vec(),
    };
    RopResponse::BufferTooSmall(resp).encode(out);
}

fn record(env: &Env<'_>, id: RopId, code: u32) {
    let result = if code == 0 { "0".to_string() } else { format!("0x{code:08X}") };
    env.state
        .metrics
        .rops
        .get_or_create(&crate::metrics::RopLabels { rop: id.name().to_string(), result })
        .inc();
}

/// Routes one request to its handler; `None` for ROPs without a response (RopRelease). `room`
/// is what is left of the response buffer (for RopQueryRows, RopReadStream and the ROPs that
/// return recipient rows).
fn dispatch(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    req: &RopRequest,
    room: usize,
) -> Option<RopResult> {
    use RopRequest as Q;
    Some(match req {
        Q::Release(q) => {
            if let Ok(h) = slots.handle(q.input_handle_index) {
                rs.handles.release(h);
            }
            return None;
        }
        Q::Logon(q) => oxcstor::logon(env, rs, slots, q),
        Q::GetReceiveFolder(q) => oxcstor::get_receive_folder(rs, slots, q),
        Q::SetReceiveFolder(q) => oxcstor::set_receive_folder(rs, slots, q),
        Q::GetStoreState(q) => oxcstor::get_store_state(rs, slots, q),
        Q::GetReceiveFolderTable(q) => oxcstor::get_receive_folder_table(rs, slots, q),
        Q::GetOwningServers(q) => oxcstor::get_owning_servers(env, rs, slots, q),
        Q::PublicFolderIsGhosted(q) => oxcstor::public_folder_is_ghosted(rs, slots, q),
        Q::LongTermIdFromId(q) => oxcstor::long_term_id_from_id(rs, slots, q),
        Q::IdFromLongTermId(q) => oxcstor::id_from_long_term_id(rs, slots, q),
        Q::GetPropertiesSpecific(q) => oxcprpt::get_properties_specific(rs, slots, q),
        Q::GetPropertiesAll(q) => oxcprpt::get_properties_all(rs, slots, q),
        Q::GetPropertiesList(q) => oxcprpt::get_properties_list(rs, slots, q),
        Q::OpenFolder(q) => oxcfold::open_folder(rs, slots, q),
        Q::CreateFolder(q) => oxcfold::create_folder(rs, slots, q),
        Q::DeleteFolder(q) => oxcfold::delete_folder(rs, slots, q),
        Q::MoveFolder(q) => oxcfold::move_folder(rs, slots, q),
        Q::CopyFolder(q) => oxcfold::copy_folder(rs, slots, q),
        Q::EmptyFolder(q) => oxcfold::empty_folder(rs, slots, q, false),
        Q::HardDeleteMessagesAndSubfolders(q) => oxcfold::empty_folder(rs, slots, q, true),
        Q::GetHierarchyTable(q) => oxcfold::get_hierarchy_table(env, rs, slots, q),
        Q::SetColumns(q) => oxctabl::set_columns(rs, slots, q),
        Q::SortTable(q) => oxctabl::sort_table(rs, slots, q),
        Q::Restrict(q) => oxctabl::restrict(rs, slots, q),
        Q::QueryRows(q) => oxctabl::query_rows(rs, slots, q, room),
        Q::QueryPosition(q) => oxctabl::query_position(rs, slots, q),
        Q::SeekRow(q) => oxctabl::seek_row(rs, slots, q),
        Q::SeekRowBookmark(q) => oxctabl::seek_row_bookmark(rs, slots, q),
        Q::SeekRowFractional(q) => oxctabl::seek_row_fractional(rs, slots, q),
        Q::CreateBookmark(q) => oxctabl::create_bookmark(rs, slots, q),
        Q::FreeBookmark(q) => oxctabl::free_bookmark(rs, slots, q),
        Q::GetCollapseState(q) => oxctabl::get_collapse_state(rs, slots, q),
        Q::SetCollapseState(q) => oxctabl::set_collapse_state(rs, slots, q),
        Q::ExpandRow(q) => oxctabl::expand_row(rs, slots, q, room),
        Q::CollapseRow(q) => oxctabl::collapse_row(rs, slots, q),
        Q::QueryColumnsAll(q) => oxctabl::query_columns_all(rs, slots, q),
        Q::FindRow(q) => oxctabl::find_row(rs, slots, q),
        Q::ResetTable(q) => oxctabl::reset_table(rs, slots, q),
        Q::GetStatus(q) => oxctabl::get_status(rs, slots, q.input_handle_index, false),
        Q::Abort(q) => oxctabl::get_status(rs, slots, q.input_handle_index, true),
        Q::SetProperties(q) => oxcprpt::set_properties(rs, slots, q, false),
        Q::SetPropertiesNoReplicate(q) => oxcprpt::set_properties(rs, slots, q, true),
        Q::DeleteProperties(q) => oxcprpt::delete_properties(rs, slots, q, false),
        Q::DeletePropertiesNoReplicate(q) => oxcprpt::delete_properties(rs, slots, q, true),
        Q::CopyProperties(q) => oxcprpt::copy_properties(rs, slots, q),
        Q::CopyTo(q) => oxcprpt::copy_to(rs, slots, q),
        Q::GetPropertyIdsFromNames(q) => oxcprpt::get_property_ids_from_names(rs, slots, q),
        Q::GetNamesFromPropertyIds(q) => oxcprpt::get_names_from_property_ids(rs, slots, q),
        Q::QueryNamedProperties(q) => oxcprpt::query_named_properties(rs, slots, q),
        Q::GetContentsTable(q) => oxcmsg::get_contents_table(env, rs, slots, q),
        Q::SetSearchCriteria(q) => search::set_search_criteria(env, rs, slots, q),
        Q::GetSearchCriteria(q) => search::get_search_criteria(rs, slots, q),
        Q::RegisterNotification(q) => oxcnotif::register_notification(env, rs, slots, q),
        Q::OpenMessage(q) => oxcmsg::open_message(rs, slots, q, room),
        Q::CreateMessage(q) => oxcmsg::create_message(rs, slots, q),
        Q::SaveChangesMessage(q) => oxcmsg::save_changes_message(rs, slots, q),
        Q::SetMessageReadFlag(q) => oxcmsg::set_message_read_flag(env, rs, slots, q),
        Q::SetReadFlags(q) => oxcmsg::set_read_flags(env, rs, slots, q),
        Q::SetMessageStatus(q) => oxcmsg::set_message_status(rs, slots, q),
        Q::GetMessageStatus(q) => oxcmsg::get_message_status(rs, slots, q),
        Q::DeleteMessages(q) => oxcmsg::delete_messages(rs, slots, q, false),
        Q::HardDeleteMessages(q) => oxcmsg::delete_messages(rs, slots, q, true),
        Q::MoveCopyMessages(q) => oxcmsg::move_copy_messages(rs, slots, q),
        Q::ModifyRecipients(q) => oxcmsg::modify_recipients(rs, slots, q),
        Q::ReadRecipients(q) => oxcmsg::read_recipients(rs, slots, q, room),
        Q::RemoveAllRecipients(q) => oxcmsg::remove_all_recipients(rs, slots, q),
        Q::ReloadCachedInformation(q) => oxcmsg::reload_cached_information(rs, slots, q, room),
        Q::GetAttachmentTable(q) => oxcmsg::get_attachment_table(rs, slots, q),
        Q::OpenAttachment(q) => oxcmsg::open_attachment(rs, slots, q),
        Q::CreateAttachment(q) => oxcmsg::create_attachment(rs, slots, q),
        Q::DeleteAttachment(q) => oxcmsg::delete_attachment(rs, slots, q),
        Q::SaveChangesAttachment(q) => oxcmsg::save_changes_attachment(rs, slots, q),
        Q::OpenEmbeddedMessage(q) => oxcmsg::open_embedded_message(rs, slots, q, room),
        Q::OpenStream(q) => streams::open_stream(rs, slots, q),
        Q::ReadStream(q) => streams::read_stream(rs, slots, q, room),
        Q::WriteStream(q) => streams::write_stream(rs, slots, q),
        Q::WriteStreamExtended(q) => streams::write_stream_extended(rs, slots, q),
        Q::CommitStream(q) => streams::commit_stream(rs, slots, q),
        Q::GetStreamSize(q) => streams::get_stream_size(rs, slots, q),
        Q::SetStreamSize(q) => streams::set_stream_size(rs, slots, q),
        Q::SeekStream(q) => streams::seek_stream(rs, slots, q),
        Q::CopyToStream(q) => streams::copy_to_stream(rs, slots, q),
        Q::CloneStream(q) => streams::clone_stream(rs, slots, q),
        Q::LockRegionStream(q) => streams::lock_region_stream(rs, slots, q),
        Q::UnlockRegionStream(q) => streams::unlock_region_stream(rs, slots, q),
        Q::WriteAndCommitStream(q) => streams::write_and_commit_stream(rs, slots, q),
        Q::Progress(q) => oxcprpt::progress(rs, slots, q),
        Q::GetValidAttachments(q) => oxcmsg::get_valid_attachments(rs, slots, q),
        Q::SubmitMessage(q) => oxomsg::submit_message(env, rs, slots, q),
        Q::AbortSubmit(q) => oxomsg::abort_submit(rs, slots, q),
        Q::GetAddressTypes(q) => oxomsg::get_address_types(rs, slots, q),
        Q::GetTransportFolder(q) => oxomsg::get_transport_folder(rs, slots, q),
        Q::TransportNewMail(q) => oxomsg::transport_new_mail(rs, slots, q),
        Q::GetPerUserLongTermIds(q) => peruser::get_per_user_long_term_ids(rs, slots, q),
        Q::GetPerUserGuid(q) => peruser::get_per_user_guid(rs, slots, q),
        Q::ReadPerUserInformation(q) => peruser::read_per_user_information(env, rs, slots, q),
        Q::WritePerUserInformation(q) => peruser::write_per_user_information(env, rs, slots, q),
        Q::SetSpooler(q) => oxomsg::set_spooler(rs, slots, q),
        Q::SpoolerLockMessage(q) => oxomsg::spooler_lock_message(rs, slots, q),
        Q::TransportSend(q) => oxomsg::transport_send(env, rs, slots, q),
        Q::OptionsData(q) => oxomsg::options_data(rs, slots, q),
        Q::GetPermissionsTable(q) => oxcperm::get_permissions_table(env, rs, slots, q),
        Q::ModifyPermissions(q) => oxcperm::modify_permissions(env, rs, slots, q),
        Q::GetRulesTable(q) => oxorule::get_rules_table(rs, slots, q),
        Q::ModifyRules(q) => oxorule::modify_rules(rs, slots, q),
        Q::UpdateDeferredActionMessages(q) => oxorule::update_deferred_action_messages(rs, slots, q),
        other => not_supported(other),
    })
}

/// The answer to a ROP this server does not implement (rules, permissions, FastTransfer, ICS,
/// per-user information, …): every ROP MS-OXCROPS defines decodes, and one not implemented is
/// answered on its own with ReturnValue ecNotSupported, so the rest of the buffer runs. The
/// response is the bare `RopId, handle index, ReturnValue` (MS-OXCROPS 2.2.1), except for the
/// ROPs whose response fields follow ReturnValue even on failure: RopFastTransferDestination
/// PutBuffer and PutBufferExtended (MS-OXCFXICS 2.2.3.1.2.2.2, 2.2.3.1.2.3.2), answered with
/// TransferStatus Error (0x0000) and nothing used.
fn not_supported(req: &RopRequest) -> RopResult {
    use oxmapi_wire::rop::outcome::Outcome;
    use oxmapi_wire::rop::oxcfxics::{PutBufferExtendedResponse, PutBufferResponse};
    let no_support = codes::MAPI_E_NO_SUPPORT.0;
    Ok(match req {
        RopRequest::FastTransferDestinationPutBuffer(q) => {
            let body = PutBufferResponse {
                transfer_status: 0,
                in_progress_count: 0,
                total_step_count: 0,
                reserved: 0,
                buffer_used_size: 0,
            };
            RopResponse::FastTransferDestinationPutBuffer(Outcome {
                handle_index: q.input_handle_index,
                return_value: no_support,
                body: Some(body),
            })
        }
        RopRequest::FastTransferDestinationPutBufferExtended(q) => {
            let body = PutBufferExtendedResponse {
                transfer_status: 0,
                in_progress_count: 0,
                total_step_count: 0,
                reserved: 0,
                buffer_used_size: 0,
            };
            RopResponse::FastTransferDestinationPutBufferExtended(Outcome {
                handle_index: q.input_handle_index,
                return_value: no_support,
                body: Some(body),
            })
        }
        _ => return Err(codes::MAPI_E_NO_SUPPORT),
    })
}

/// The object in handle slot `index` (ecNullObject for an empty slot, a released or unknown
/// handle; MS-OXCROPS 3.2.5.1).
pub fn object<'a>(rs: &'a RopSession, slots: &Slots, index: u8) -> Result<&'a ServerObject, ErrorCode> {
    let h = slots.handle(index)?;
    rs.handles.get(h).ok_or(codes::EC_NULL_OBJECT)
}
