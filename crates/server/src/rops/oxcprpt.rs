//! Property ROPs (MS-OXCPRPT 3.2.5) on the objects this server opens: reads, writes and deletes
//! on logons, folders, messages and attachments. Copies are in [`super::copy`], named properties
//! in [`super::named`], streams in [`super::streams`].
//!
//! Writes to a logon or folder are persisted at once (MS-OXCPRPT 3.2.5.3: "For Folder objects,
//! the new value … MUST be persisted immediately"); writes to a message or attachment change its
//! draft until RopSaveChangesMessage / RopSaveChangesAttachment.

use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::PR_DISPLAY_NAME;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_store::StoreError;
use oxmapi_store::mailbox::{AttachmentDraft, LogonContext, MessageDraft, write_refusal};
use oxmapi_wire::cdata::PropertyProblem;
use oxmapi_wire::rop::outcome::{Outcome, Rows};
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::response::RopResponse;

pub(super) use super::copy::{copy_properties, copy_to};
use super::handles::{LogonObject, ServerObject, Shared, Slots, lock};
pub(super) use super::named::{
    get_names_from_property_ids, get_property_ids_from_names, query_named_properties,
};
use super::oxcstor::store_code;
use super::props::{all_values, specific_row};
use super::{RopResult, RopSession, object};

/// Largest value a property read returns: larger ones come back as PtypErrorCode
/// NotEnoughMemory (MS-OXCPRPT 3.2.5.1: values are "limited … by the size of the ROP response
/// buffer"), which tells the client to use RopOpenStream. A ROP response block carries at most
/// 32 KiB (MS-OXCRPC 3.1.4.2.1); 30 KiB leaves room for the envelope and small values.
const MAX_VALUE_READ: usize = 0x7800;

/// The `PropertySizeLimit` actually applied: the client's, capped at [`MAX_VALUE_READ`].
fn size_limit(requested: u16) -> u16 {
    let cap = MAX_VALUE_READ as u16;
    if requested == 0 { cap } else { requested.min(cap) }
}

/// The object a property ROP works on, detached from the handle table.
#[derive(Clone)]
pub(super) enum Target {
    /// A logon: the store's properties.
    Logon(Arc<LogonObject>),
    /// A folder.
    Folder(Arc<LogonObject>, ObjectId),
    /// An open message.
    Message {
        /// The logon.
        logon: Arc<LogonObject>,
        /// Its draft.
        draft: Shared<MessageDraft>,
        /// Opened for writing.
        writable: bool,
    },
    /// An open attachment.
    Attachment {
        /// The logon.
        logon: Arc<LogonObject>,
        /// Its draft.
        draft: Shared<AttachmentDraft>,
        /// Opened for writing.
        writable: bool,
    },
}

impl Target {
    /// The logon the object belongs to.
    pub(super) fn logon(&self) -> &Arc<LogonObject> {
        match self {
            Target::Logon(l) | Target::Folder(l, _) => l,
            Target::Message { logon, .. } | Target::Attachment { logon, .. } => logon,
        }
    }
}

/// The property object in slot `index`: ecNullObject for an empty slot, MAPI_E_NO_SUPPORT for a
/// table or stream (MS-OXCPRPT 2.2: "valid on Logon, Folder, Message and Attachment objects").
pub(super) fn target(rs: &RopSession, slots: &Slots, index: u8) -> Result<Target, ErrorCode> {
    Ok(match object(rs, slots, index)? {
        ServerObject::Logon(l) => Target::Logon(l.clone()),
        ServerObject::Folder(f) => Target::Folder(f.logon.clone(), f.fid),
        ServerObject::Message(m) => {
            Target::Message { logon: m.logon.clone(), draft: m.draft.clone(), writable: m.writable }
        }
        ServerObject::Attachment(a) => {
            Target::Attachment { logon: a.logon.clone(), draft: a.draft.clone(), writable: a.writable }
        }
        ServerObject::Table(_) | ServerObject::Stream(_) | ServerObject::Subscription(_) => {
            return Err(codes::MAPI_E_NO_SUPPORT);
        }
    })
}

/// Every property of an object, large values as NotEnoughMemory errors.
pub(super) fn properties(t: &Target) -> Result<Vec<TaggedValue>, ErrorCode> {
    match t {
        Target::Logon(l) => l.store.logon_properties(&LogonContext { user: &l.user, limits: l.limits }),
        Target::Folder(l, fid) => {
            let mut values = l.store.folder_properties(*fid).map_err(store_code)?;
            super::access::add_rights(l, *fid, &mut values)?;
            return Ok(values);
        }
        Target::Message { logon, draft, .. } => logon.store.get_properties(&*lock(draft), MAX_VALUE_READ),
        Target::Attachment { logon, draft, .. } => logon.store.get_properties(&*lock(draft), MAX_VALUE_READ),
    }
    .map_err(store_code)
}

/// RopGetPropertiesSpecific (MS-OXCPRPT 3.2.5.1): one row with the requested properties in
/// request order; missing ones flagged NotFound, ones larger than `PropertySizeLimit` or
/// [`MAX_VALUE_READ`] flagged NotEnoughMemory.
pub fn get_properties_specific(
    rs: &RopSession,
    slots: &Slots,
    q: &GetPropertiesSpecificRequest,
) -> RopResult {
    let values = properties(&target(rs, slots, q.input_handle_index)?)?;
    let row = specific_row(&values, &q.property_tags, size_limit(q.property_size_limit), q.want_unicode != 0);
    let rows = Rows::Decoded { columns: q.property_tags.clone(), rows: vec![row] };
    Ok(RopResponse::GetPropertiesSpecific(Outcome::ok(
        q.input_handle_index,
        GetPropertiesSpecificResponse { row: rows },
    )))
}

/// RopGetPropertiesAll (MS-OXCPRPT 3.2.5.2): every property; strings as PtypString8 unless
/// `WantUnicode`, values larger than `PropertySizeLimit` or [`MAX_VALUE_READ`] as PtypErrorCode
/// NotEnoughMemory.
pub fn get_properties_all(rs: &RopSession, slots: &Slots, q: &GetPropertiesAllRequest) -> RopResult {
    let values = properties(&target(rs, slots, q.input_handle_index)?)?;
    let property_values = all_values(&values, size_limit(q.property_size_limit), q.want_unicode != 0);
    Ok(RopResponse::GetPropertiesAll(Outcome::ok(
        q.input_handle_index,
        GetPropertiesAllResponse { property_values },
    )))
}

/// RopGetPropertiesList (MS-OXCPRPT 3.2.5.3): the tags of every property the object has (a
/// message's or attachment's without reading large values).
pub fn get_properties_list(rs: &RopSession, slots: &Slots, q: &HandleRequest) -> RopResult {
    let property_tags = match target(rs, slots, q.input_handle_index)? {
        Target::Message { logon, draft, .. } => logon.store.property_tags(&*lock(&draft)),
        Target::Attachment { logon, draft, .. } => logon.store.property_tags(&*lock(&draft)),
        t => return list_of(&t, q.input_handle_index),
    }
    .map_err(store_code)?;
    Ok(RopResponse::GetPropertiesList(Outcome::ok(
        q.input_handle_index,
        PropertyTagsResponse { property_tags },
    )))
}

fn list_of(t: &Target, index: u8) -> RopResult {
    let property_tags = properties(t)?.iter().map(|v| v.tag).collect();
    Ok(RopResponse::GetPropertiesList(Outcome::ok(index, PropertyTagsResponse { property_tags })))
}

pub(super) fn problem(index: usize, tag: PropTag, error: ErrorCode) -> PropertyProblem {
    PropertyProblem { index: index as u16, tag, error }
}

/// A message or attachment must have been opened for writing (MS-OXCMSG 3.2.5.2:
/// ecAccessDenied otherwise).
pub(super) fn check_writable(t: &Target) -> Result<(), ErrorCode> {
    match t {
        Target::Message { writable: false, .. } | Target::Attachment { writable: false, .. } => {
            Err(codes::MAPI_E_NO_ACCESS)
        }
        _ => Ok(()),
    }
}

/// Splits values into problems and the ones that can be written, for logons and folders.
fn screen(values: &[TaggedValue], computed: impl Fn(PropTag) -> bool) -> (Vec<PropertyProblem>, Vec<usize>) {
    let mut problems = Vec::new();
    let mut ok = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match write_refusal(v.tag, Some(&v.value), computed(v.tag)) {
            Some(e) => problems.push(problem(i, v.tag, e)),
            None => ok.push(i),
        }
    }
    (problems, ok)
}

/// Folder writes: PR_DISPLAY_NAME goes last and on its own, so that a name a sibling already
/// has becomes a MAPI_E_COLLISION problem while the other values are written.
pub(super) fn set_folder(
    l: &LogonObject,
    fid: ObjectId,
    values: &[TaggedValue],
) -> Result<Vec<PropertyProblem>, ErrorCode> {
    let (mut problems, ok) = screen(values, |t| l.store.is_computed_folder_property(t));
    let (names, rest): (Vec<usize>, Vec<usize>) =
        ok.into_iter().partition(|i| values[*i].tag.id() == PR_DISPLAY_NAME.id());
    let rest: Vec<TaggedValue> = rest.iter().map(|i| values[*i].clone()).collect();
    if !rest.is_empty() {
        l.store.set_folder_properties(fid, &rest).map_err(store_code)?;
    }
    if let Some(&i) = names.last() {
        let v = &values[i];
        match l.store.set_folder_properties(fid, std::slice::from_ref(v)) {
            Ok(()) => {}
            Err(StoreError::Collision(_)) => problems.push(problem(i, v.tag, codes::MAPI_E_COLLISION)),
            Err(StoreError::InvalidParameter(_)) => {
                problems.push(problem(i, v.tag, codes::MAPI_E_INVALID_PARAMETER))
            }
            Err(e) => return Err(store_code(e)),
        }
    }
    problems.sort_by_key(|p| p.index);
    Ok(problems)
}

/// RopSetProperties / RopSetPropertiesNoReplicate (MS-OXCPRPT 3.2.5.3–3.2.5.4; NoReplicate only
/// differs for folders under replication, which this server does not do). Per-property failures
/// are PropertyProblems: property id 0 or 0xFFFF → MAPI_E_INVALID_PARAMETER, PtypNull /
/// PtypErrorCode / PtypObject / PtypUnspecified values → MAPI_E_INVALID_TYPE, computed
/// properties → MAPI_E_COMPUTED, a folder name a sibling has → MAPI_E_COLLISION. A message or
/// attachment opened read-only fails the ROP with ecAccessDenied (MAPI_E_NO_ACCESS).
pub fn set_properties(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &SetPropertiesRequest,
    no_replicate: bool,
) -> RopResult {
    let t = target(rs, slots, q.input_handle_index)?;
    check_writable(&t)?;
    let values = &q.property_values;
    let problems = match &t {
        Target::Logon(l) => {
            let (problems, ok) = screen(values, |t| l.store.is_computed_store_property(t));
            let ok: Vec<TaggedValue> = ok.iter().map(|i| values[*i].clone()).collect();
            if !ok.is_empty() {
                l.store.set_store_properties(&ok).map_err(store_code)?;
            }
            problems
        }
        Target::Folder(l, fid) => set_folder(l, *fid, values)?,
        Target::Message { logon, draft, .. } => {
            logon.store.set_properties(&mut *lock(draft), values).map_err(store_code)?
        }
        Target::Attachment { logon, draft, .. } => {
            logon.store.set_properties(&mut *lock(draft), values).map_err(store_code)?
        }
    };
    let body = Outcome::ok(q.input_handle_index, ProblemsResponse { problems });
    Ok(if no_replicate {
        RopResponse::SetPropertiesNoReplicate(body)
    } else {
        RopResponse::SetProperties(body)
    })
}

/// Logon and folder deletes: the refused properties become problems, the others go in one
/// store call.
fn delete_stored(
    tags: &[PropTag],
    computed: impl Fn(PropTag) -> bool,
    delete: impl FnOnce(&[PropTag]) -> Result<(), StoreError>,
) -> Result<Vec<PropertyProblem>, ErrorCode> {
    let mut problems = Vec::new();
    let mut ok = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        match write_refusal(*t, None, computed(*t)) {
            Some(e) => problems.push(problem(i, *t, e)),
            None => ok.push(*t),
        }
    }
    if !ok.is_empty() {
        delete(&ok).map_err(store_code)?;
    }
    Ok(problems)
}

/// RopDeleteProperties / RopDeletePropertiesNoReplicate (MS-OXCPRPT 3.2.5.5–3.2.5.6): missing
/// properties are not problems; computed ones (and a folder's PR_DISPLAY_NAME) are
/// MAPI_E_COMPUTED problems; property id 0 or 0xFFFF MAPI_E_INVALID_PARAMETER. A read-only
/// message or attachment fails with ecAccessDenied.
pub fn delete_properties(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &DeletePropertiesRequest,
    no_replicate: bool,
) -> RopResult {
    let t = target(rs, slots, q.input_handle_index)?;
    check_writable(&t)?;
    let tags = &q.property_tags;
    let problems = match &t {
        Target::Logon(l) => delete_stored(
            tags,
            |t| l.store.is_computed_store_property(t),
            |ok| l.store.delete_store_properties(ok),
        )?,
        Target::Folder(l, fid) => delete_stored(
            tags,
            |t| l.store.is_computed_folder_property(t) || t.id() == PR_DISPLAY_NAME.id(),
            |ok| l.store.delete_folder_properties(*fid, ok),
        )?,
        Target::Message { logon, draft, .. } => {
            logon.store.delete_properties(&mut *lock(draft), tags).map_err(store_code)?
        }
        Target::Attachment { logon, draft, .. } => {
            logon.store.delete_properties(&mut *lock(draft), tags).map_err(store_code)?
        }
    };
    let body = Outcome::ok(q.input_handle_index, ProblemsResponse { problems });
    Ok(if no_replicate {
        RopResponse::DeletePropertiesNoReplicate(body)
    } else {
        RopResponse::DeleteProperties(body)
    })
}

/// RopProgress (MS-OXCPRPT 2.2.23, 3.2.5.20; MS-OXCROPS 2.2.8.13) on a Logon, Folder, Message
/// or Attachment object — the objects the asynchronous ROPs run on (RopCopyTo,
/// RopCopyProperties, RopMoveCopyMessages, RopEmptyFolder, RopMoveFolder…). This server runs
/// every one of them synchronously: by the time a client can send RopProgress the operation
/// has finished and its own response was sent, and nothing is left to cancel (`WantCancel` is
/// accepted and changes nothing). The answer is the RopProgress response of an operation with
/// nothing left to do: Success, the request's `LogonId`, CompletedTaskCount 0 of
/// TotalTaskCount 0 (MS-OXCPRPT 4.5 shows the shape: the counts grow until they meet). A table
/// (which has RopGetStatus/RopAbort, MS-OXCTABL), stream or subscription → MAPI_E_NO_SUPPORT;
/// an empty slot → ecNullObject (Microsoft's MS-OXCROPS suite, S06: RopEmptyFolder with
/// WantAsynchronous may be answered by its own response rather than RopProgress, and RopProgress
/// on a handle index without an object gets a failure response). gromox answers ecNotSupported for every object
/// (`exch/emsmdb/oxcprpt.cpp` rop_progress); Exchange's product note (MS-OXCPRPT <14>) leaves the
/// ROP optional.
pub fn progress(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &oxmapi_wire::rop::oxcrops::ProgressRequest,
) -> RopResult {
    target(rs, slots, q.input_handle_index)?;
    let body = oxmapi_wire::rop::oxcrops::ProgressResponse {
        logon_id: q.logon_id,
        completed_task_count: 0,
        total_task_count: 0,
    };
    Ok(RopResponse::Progress(Outcome::ok(q.input_handle_index, body)))
}
