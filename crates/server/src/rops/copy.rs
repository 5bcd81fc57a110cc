//! RopCopyProperties (MS-OXCPRPT 3.2.5.7) and RopCopyTo (3.2.5.8) between two folders, two
//! messages or two attachments. Both run synchronously whatever `WantAsynchronous` says (the
//! spec lets the server choose, 3.2.5.7).
//!
//! Folder copies are persisted at once; message and attachment copies change the destination
//! draft (and, for a Move, the source draft) until they are saved. Moving removes the copied
//! properties from the source, as Exchange 2003/2007 do (MS-OXCPRPT 3.2.5.7 <6>).
//!
//! Limits: messages and attachments are copied within one store file only (large values are
//! shared by blob id), otherwise MAPI_E_NO_SUPPORT; a RopCopyTo of a folder's sub-objects
//! (messages, FAI messages, subfolders) is not atomic: each folder or message batch is one
//! transaction; the source-contains-destination check for messages (ecMsgCycle) is not made.

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::PR_DISPLAY_NAME;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_store::mailbox::{CopyOutcome, SubObjects};
use oxmapi_wire::cdata::PropertyProblem;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, Slots, lock};
use super::oxcprpt::{Target, check_writable, problem, set_folder, target};
use super::oxcstor::store_code;
use super::{RopResult, RopSession};

/// `CopyFlags` of RopCopyProperties and RopCopyTo (MS-OXCPRPT 2.2.10.1, 2.2.11.1).
pub mod copy_flags {
    /// Move: remove the properties from the source.
    pub const MOVE: u8 = 0x01;
    /// NoOverwrite: keep properties the destination already has.
    pub const NO_OVERWRITE: u8 = 0x02;
}

/// The parsed `CopyFlags`: other bits, or Move together with NoOverwrite, are
/// InvalidParameter (MS-OXCPRPT 3.2.5.7, Exchange 2010 and later).
#[derive(Clone, Copy)]
struct Flags {
    moving: bool,
    no_overwrite: bool,
}

fn flags(bits: u8) -> Result<Flags, ErrorCode> {
    let both = copy_flags::MOVE | copy_flags::NO_OVERWRITE;
    if bits & !both != 0 || bits == both {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    Ok(Flags { moving: bits & copy_flags::MOVE != 0, no_overwrite: bits & copy_flags::NO_OVERWRITE != 0 })
}

/// How a copy ROP ends before copying anything.
enum Stop {
    /// The destination slot holds no object: ecDstNullObject with `DestHandleIndex`.
    NullDestination,
    /// Any other failure.
    Fail(ErrorCode),
}

impl From<ErrorCode> for Stop {
    fn from(e: ErrorCode) -> Stop {
        Stop::Fail(e)
    }
}

/// Source and destination, checked: same kind, both writable where written.
fn endpoints(
    rs: &RopSession,
    slots: &Slots,
    src: u8,
    dst: u8,
    moving: bool,
) -> Result<(Target, Target), Stop> {
    let s = target(rs, slots, src)?;
    let d = match target(rs, slots, dst) {
        Ok(d) => d,
        Err(e) if e == codes::EC_NULL_OBJECT => return Err(Stop::NullDestination),
        Err(e) => return Err(Stop::Fail(e)),
    };
    let same_kind = matches!(
        (&s, &d),
        (Target::Folder(..), Target::Folder(..))
            | (Target::Message { .. }, Target::Message { .. })
            | (Target::Attachment { .. }, Target::Attachment { .. })
    );
    if !same_kind {
        return Err(Stop::Fail(codes::MAPI_E_NO_SUPPORT));
    }
    check_writable(&d)?;
    if moving {
        check_writable(&s)?;
    }
    let same_file = s.logon().store.path() == d.logon().store.path();
    if !same_file && !matches!(s, Target::Folder(..)) {
        return Err(Stop::Fail(codes::MAPI_E_NO_SUPPORT));
    }
    Ok((s, d))
}

/// True when both are the same object (a copy onto itself changes nothing).
fn same_object(s: &Target, d: &Target) -> bool {
    match (s, d) {
        (Target::Folder(a, f), Target::Folder(b, g)) => f == g && a.store.path() == b.store.path(),
        (Target::Message { draft: a, .. }, Target::Message { draft: b, .. }) => std::sync::Arc::ptr_eq(a, b),
        (Target::Attachment { draft: a, .. }, Target::Attachment { draft: b, .. }) => {
            std::sync::Arc::ptr_eq(a, b)
        }
        _ => false,
    }
}

/// Folder to folder: the `tags` (by property id) of `src` written to `dst` with the rules of
/// RopSetProperties; a Move then deletes them from `src` (not its PR_DISPLAY_NAME).
fn copy_folder_props(
    (ls, src): (&LogonObject, ObjectId),
    (ld, dst): (&LogonObject, ObjectId),
    tags: &[PropTag],
    f: Flags,
) -> Result<Vec<PropertyProblem>, ErrorCode> {
    let values = ls.store.folder_properties(src).map_err(store_code)?;
    let existing: Vec<u16> = if f.no_overwrite {
        ld.store.folder_properties(dst).map_err(store_code)?.iter().map(|v| v.tag.id()).collect()
    } else {
        Vec::new()
    };
    let mut problems = Vec::new();
    let (mut writes, mut at): (Vec<TaggedValue>, Vec<usize>) = (Vec::new(), Vec::new());
    for (i, tag) in tags.iter().enumerate() {
        match values.iter().find(|v| v.tag.id() == tag.id()) {
            None => problems.push(problem(i, *tag, codes::MAPI_E_NOT_FOUND)),
            Some(_) if existing.contains(&tag.id()) => {}
            Some(v) => {
                writes.push(v.clone());
                at.push(i);
            }
        }
    }
    let refused = set_folder(ld, dst, &writes)?;
    let mut moved = Vec::new();
    for (j, v) in writes.iter().enumerate() {
        match refused.iter().find(|p| p.index as usize == j) {
            Some(p) => problems.push(problem(at[j], p.tag, p.error)),
            None => moved.push(v.tag),
        }
    }
    moved.retain(|t| t.id() != PR_DISPLAY_NAME.id() && !ls.store.is_computed_folder_property(*t));
    if f.moving && !moved.is_empty() {
        ls.store.delete_folder_properties(src, &moved).map_err(store_code)?;
    }
    problems.sort_by_key(|p| p.index);
    Ok(problems)
}

/// Message to message or attachment to attachment, through the store's draft copy; a Move
/// then removes what was copied from the source.
fn copy_drafts(
    s: &Target,
    d: &Target,
    f: Flags,
    copy: impl FnOnce(&oxmapi_store::MessageStore, DraftPair<'_>) -> oxmapi_store::StoreResult<CopyOutcome>,
) -> Result<Vec<PropertyProblem>, ErrorCode> {
    let store = &s.logon().store;
    let outcome = match (s, d) {
        (Target::Message { draft: a, .. }, Target::Message { draft: b, .. }) => {
            let (mut src, mut dst) = (lock(a), lock(b));
            let out = copy(store, DraftPair::Messages(&src, &mut dst)).map_err(store_code)?;
            if f.moving {
                store.remove_copied(&mut *src, &out).map_err(store_code)?;
            }
            out
        }
        (Target::Attachment { draft: a, .. }, Target::Attachment { draft: b, .. }) => {
            let (mut src, mut dst) = (lock(a), lock(b));
            let out = copy(store, DraftPair::Attachments(&src, &mut dst)).map_err(store_code)?;
            if f.moving {
                store.remove_copied(&mut *src, &out).map_err(store_code)?;
            }
            out
        }
        _ => return Err(codes::MAPI_E_NO_SUPPORT),
    };
    Ok(outcome.problems)
}

/// Source and destination drafts of one kind.
enum DraftPair<'a> {
    Messages(&'a oxmapi_store::mailbox::MessageDraft, &'a mut oxmapi_store::mailbox::MessageDraft),
    Attachments(&'a oxmapi_store::mailbox::AttachmentDraft, &'a mut oxmapi_store::mailbox::AttachmentDraft),
}

/// The failure response of a copy ROP: ecDstNullObject carries `DestHandleIndex`
/// (MS-OXCROPS 2.2.8.11.2).
fn stopped(stop: Stop, src: u8, dst: u8) -> Result<Outcome<CopyPropertiesResponse>, ErrorCode> {
    match stop {
        Stop::NullDestination => Ok(Outcome {
            handle_index: src,
            return_value: codes::EC_DST_NULL_OBJECT.0,
            body: Some(CopyPropertiesResponse::NullDestination(u32::from(dst))),
        }),
        Stop::Fail(e) => Err(e),
    }
}

/// RopCopyProperties (MS-OXCPRPT 3.2.5.7): copies (or moves) the listed properties between two
/// objects of the same kind. A property the source lacks is a NotFound problem; one the
/// destination refuses a problem as in RopSetProperties. Errors: destination slot empty →
/// ecDstNullObject; different kinds, a logon, or messages of two stores → MAPI_E_NO_SUPPORT;
/// undefined CopyFlags bits or Move|NoOverwrite → MAPI_E_INVALID_PARAMETER; a read-only
/// destination (or source, when moving) → MAPI_E_NO_ACCESS.
pub fn copy_properties(rs: &mut RopSession, slots: &mut Slots, q: &CopyPropertiesRequest) -> RopResult {
    let (src_i, dst_i) = (q.source_handle_index, q.dest_handle_index);
    let f = flags(q.copy_flags)?;
    let (s, d) = match endpoints(rs, slots, src_i, dst_i, f.moving) {
        Ok(p) => p,
        Err(stop) => return stopped(stop, src_i, dst_i).map(RopResponse::CopyProperties),
    };
    let tags = &q.property_tags;
    let problems = if same_object(&s, &d) {
        Vec::new()
    } else if let (Target::Folder(ls, sf), Target::Folder(ld, df)) = (&s, &d) {
        copy_folder_props((ls, *sf), (ld, *df), tags, f)?
    } else {
        copy_drafts(&s, &d, f, |store, pair| match pair {
            DraftPair::Messages(a, b) => store.copy_properties(a, b, tags, f.no_overwrite),
            DraftPair::Attachments(a, b) => store.copy_properties(a, b, tags, f.no_overwrite),
        })?
    };
    Ok(RopResponse::CopyProperties(Outcome::ok(src_i, CopyPropertiesResponse::Problems(problems))))
}

/// The sub-objects of a folder (messages, FAI messages, subfolders) copied or moved into
/// another folder of the same store. A subfolder name the destination already has fails the
/// ROP with MAPI_E_COLLISION before anything is copied; a destination inside the source's
/// subtree with MAPI_E_FOLDER_CYCLE.
fn copy_folder_contents(
    l: &LogonObject,
    src: ObjectId,
    dst: ObjectId,
    moving: bool,
) -> Result<(), ErrorCode> {
    let store = &l.store;
    let mut up = Some(dst);
    while let Some(a) = up {
        if a == src {
            return Err(codes::MAPI_E_FOLDER_CYCLE);
        }
        up = store.folder_parent(a).map_err(store_code)?;
    }
    let children = store.folder_children(src).map_err(store_code)?;
    for c in &children {
        let name = store.folder_property(*c, PR_DISPLAY_NAME).map_err(store_code)?;
        let name = name.as_ref().and_then(|v| v.as_text()).unwrap_or_default();
        if store.folder_by_name(dst, &name).map_err(store_code)?.is_some() {
            return Err(codes::MAPI_E_COLLISION);
        }
    }
    for associated in [false, true] {
        let mids = store.contents(src, associated).map_err(store_code)?;
        if !mids.is_empty() {
            store.move_copy_messages(src, &mids, dst, !moving).map_err(store_code)?;
        }
    }
    for c in children {
        if moving {
            store.move_folder(src, c, dst, "").map_err(store_code)?;
        } else {
            store.copy_folder(src, c, dst, "", true).map_err(store_code)?;
        }
    }
    Ok(())
}

/// RopCopyTo between folders: the stored, non-excluded properties (not PR_DISPLAY_NAME: the
/// destination keeps its name) and, when `wanted`, the sub-objects first.
fn folder_copy_to(
    (ls, src): (&LogonObject, ObjectId),
    (ld, dst): (&LogonObject, ObjectId),
    excluded: &[PropTag],
    wanted: bool,
    f: Flags,
) -> Result<Vec<PropertyProblem>, ErrorCode> {
    let skip = |t: PropTag| {
        excluded.iter().any(|x| x.id() == t.id())
            || ls.store.is_computed_folder_property(t)
            || t.id() == PR_DISPLAY_NAME.id()
    };
    let values = ls.store.folder_properties(src).map_err(store_code)?;
    let tags: Vec<PropTag> = values.iter().map(|v| v.tag).filter(|t| !skip(*t)).collect();
    if wanted {
        if ls.store.path() != ld.store.path() {
            return Err(codes::MAPI_E_NO_SUPPORT);
        }
        copy_folder_contents(ls, src, dst, f.moving)?;
    }
    copy_folder_props((ls, src), (ld, dst), &tags, f)
}

/// RopCopyTo (MS-OXCPRPT 3.2.5.8): copies (or moves) every property of the source except
/// `ExcludedTags` (computed ones stay the destination's own, and a folder keeps its
/// PR_DISPLAY_NAME) and, with `WantSubObjects`, its sub-objects: a message's recipients and
/// attachments, an attachment's embedded message, a folder's messages, FAI messages and
/// subfolders (see [`MessageStore::copy_to`] and [`copy_folder_contents`]). Errors as for
/// RopCopyProperties, plus MAPI_E_COLLISION and MAPI_E_FOLDER_CYCLE for folder sub-objects,
/// MAPI_E_NO_SUPPORT for sub-objects of folders in two stores and for a message or attachment
/// copied onto itself with its sub-objects.
///
/// [`MessageStore::copy_to`]: oxmapi_store::MessageStore::copy_to
pub fn copy_to(rs: &mut RopSession, slots: &mut Slots, q: &CopyToRequest) -> RopResult {
    let (src_i, dst_i) = (q.source_handle_index, q.dest_handle_index);
    let f = flags(q.copy_flags)?;
    let (s, d) = match endpoints(rs, slots, src_i, dst_i, f.moving) {
        Ok(p) => p,
        Err(stop) => return stopped(stop, src_i, dst_i).map(RopResponse::CopyTo),
    };
    let excluded = &q.excluded_tags;
    let wanted = q.want_sub_objects != 0;
    let problems = match (&s, &d) {
        _ if same_object(&s, &d) && !wanted => Vec::new(),
        (Target::Folder(ls, sf), Target::Folder(ld, df)) => {
            folder_copy_to((ls, *sf), (ld, *df), excluded, wanted, f)?
        }
        _ if same_object(&s, &d) => return Err(codes::MAPI_E_NO_SUPPORT),
        _ => {
            let sub = SubObjects { wanted, no_overwrite: f.no_overwrite };
            copy_drafts(&s, &d, f, |store, pair| match pair {
                DraftPair::Messages(a, b) => store.copy_to(a, b, excluded, f.no_overwrite, sub),
                DraftPair::Attachments(a, b) => store.copy_to(a, b, excluded, f.no_overwrite, sub),
            })?
        }
    };
    Ok(RopResponse::CopyTo(Outcome::ok(src_i, CopyPropertiesResponse::Problems(problems))))
}
