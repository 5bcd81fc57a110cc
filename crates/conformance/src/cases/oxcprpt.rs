//! MS-OXCPRPT: the property and stream object protocol. Ported from Microsoft's MS-OXCPRPT
//! suite (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCPRPT: the scenarios S01
//! get/names … S05 copy, and the requirement capture of `Model/Model.cs` and the adapter, whose
//! numbers the cases cite). Every object a case touches is a folder, message or attachment it
//! creates inside the suite's own folder.

use oxmapi_core::error::codes;
use oxmapi_core::guid::{Guid, PS_MAPI, PS_PUBLIC_STRINGS};
use oxmapi_core::named::{NameId, PropertyName};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyProblem, RowValue};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::CopyPropertiesResponse;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{CaseResult, Protocol, Verdict, code, ensure, eq, expect_rv, expect_rv_in, fail, rv};
use crate::context::Ctx;
use crate::rops;
use crate::rops_oxcprpt::{self as p, copy_flags, open_mode, seek_origin};

const P: Protocol = Protocol::OxcPrpt;

/// ecNullObject.
const EC_NULL_OBJECT: u32 = codes::EC_NULL_OBJECT.0;
/// ecDstNullObject (MS-OXCROPS 2.2.8.11.2: the response then carries DestHandleIndex).
const EC_DST_NULL_OBJECT: u32 = codes::EC_DST_NULL_OBJECT.0;
/// NotFound (MS-OXCDATA 2.4.2).
const EC_NOT_FOUND: u32 = codes::MAPI_E_NOT_FOUND.0;
/// NotSupported.
const EC_NOT_SUPPORTED: u32 = codes::MAPI_E_NO_SUPPORT.0;
/// NotImplemented (what Exchange 2010 and later answer to the optional stream ROPs, as gromox
/// does: grommunio/gromox exch/emsmdb/oxcprpt.cpp).
const EC_NOT_IMPLEMENTED: u32 = 0x8004_0FFF;
/// AccessDenied (MS-OXCDATA 2.4.1).
const EC_ACCESS_DENIED: u32 = 0x8007_0005;
/// InvalidParameter.
const EC_INVALID_PARAM: u32 = codes::MAPI_E_INVALID_PARAMETER.0;
/// NotEnoughMemory.
const EC_NOT_ENOUGH_MEMORY: u32 = codes::MAPI_E_NOT_ENOUGH_MEMORY.0;
/// ecWarnWithErrors: success with per-item failures (MS-OXCDATA 2.4.3).
const EC_WARN_WITH_ERRORS: u32 = 0x0004_0380;
/// STG_E_ACCESSDENIED: writing a read-only stream (MS-OXCPRPT 3.2.5.13).
const STG_E_ACCESSDENIED: u32 = codes::STG_E_ACCESSDENIED.0;
/// StreamSeekError / STG_E_SEEKERROR (MS-OXCPRPT 3.2.5.18).
const STG_E_SEEKERROR: u32 = 0x8003_0019;
/// StreamInvalidParam / STG_E_INVALIDPARAMETER (MS-OXCPRPT 3.2.5.18).
const STG_E_INVALIDPARAMETER: u32 = 0x8003_0057;

/// PidTagSubject (PtypString).
const PR_SUBJECT_W: PropTag = PropTag(0x0037_001F);
/// PidTagSubject as PtypString8.
const PR_SUBJECT_A: PropTag = PropTag(0x0037_001E);
/// PidTagSubject as PtypUnspecified (the server picks the type).
const PR_SUBJECT_UNSPECIFIED: PropTag = PropTag(0x0037_0000);
/// PidTagImportance (PtypInteger32).
const PR_IMPORTANCE: PropTag = PropTag(0x0017_0003);
/// PidTagSensitivity (PtypInteger32).
const PR_SENSITIVITY: PropTag = PropTag(0x0036_0003);
/// PidTagBody (PtypString).
const PR_BODY_W: PropTag = PropTag(0x1000_001F);
/// PidTagComment (PtypString): a folder's comment.
const PR_COMMENT_W: PropTag = PropTag(0x3004_001F);
/// PidTagMessageSize (PtypInteger32), computed by the server (MS-OXCMSG 2.2.1.7).
const PR_MESSAGE_SIZE: PropTag = PropTag(0x0E08_0003);
/// PidTagAttachDataBinary (PtypBinary).
const PR_ATTACH_DATA_BIN: PropTag = PropTag(0x3701_0102);
/// PidTagAttachFilename (PtypString).
const PR_ATTACH_FILENAME_W: PropTag = PropTag(0x3704_001F);
/// PidTagAttachNumber (PtypInteger32).
const PR_ATTACH_NUM: PropTag = PropTag(0x0E21_0003);
/// A PtypBinary property nobody else sets, for message streams.
const PR_TEST_BINARY: PropTag = PropTag(0x6704_0102);
/// A PtypInteger32 property nobody else sets (new messages have no default for it, unlike
/// PidTagImportance, MS-OXCMSG 3.2.5.2).
const PR_TEST_I32: PropTag = PropTag(0x6706_0003);
/// A second PtypBinary property nobody else sets.
const PR_TEST_BINARY_2: PropTag = PropTag(0x6705_0102);
/// A PtypInteger32 property in the non-transmittable range nobody sets.
const PR_UNSET_I32: PropTag = PropTag(0x7FF0_0003);

/// The bytes the stream cases write.
const DATA: &[u8] = b"0123456789abcdef";

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers.
// ---------------------------------------------------------------------------------------------

/// `tag = value`.
fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

/// A PtypString value.
fn text(s: &str) -> PropValue {
    PropValue::Unicode(s.into())
}

/// A new folder and a new (unsaved) message in it; returns (folder handle, message handle).
fn new_message(ctx: &mut Ctx, name: &str) -> Result<(u32, u32), Verdict> {
    let (fid, folder) = ctx.new_folder(name)?;
    let m = create_message(ctx, folder, fid)?;
    Ok((folder, m))
}

/// A new (unsaved) message in folder `folder` (`fid`).
fn create_message(ctx: &mut Ctx, folder: u32, fid: oxmapi_core::ids::ObjectId) -> Result<u32, Verdict> {
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, false))?;
    expect_rv("RopCreateMessage", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("a message handle", "none"))
}

/// A new attachment on message `msg`.
fn new_attachment(ctx: &mut Ctx, msg: u32) -> Result<u32, Verdict> {
    let one = ctx.rop(&[msg], p::create_attachment(0, 1))?;
    expect_rv("RopCreateAttachment", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("an attachment handle", "none"))
}

/// One request on `handle` that must succeed.
fn ok(ctx: &mut Ctx, handle: u32, what: &str, req: RopRequest) -> Result<RopResponse, Verdict> {
    let one = ctx.rop(&[handle], req)?;
    expect_rv(what, &one.resp, 0)?;
    Ok(one.resp)
}

/// RopSetProperties that must succeed; the problems it reports.
fn set(ctx: &mut Ctx, h: u32, values: Vec<TaggedValue>) -> Result<Vec<PropertyProblem>, Verdict> {
    let one = ctx.rop(&[h], rops::set_props(0, values))?;
    Ok(body!(one.resp, SetProperties)?.problems.clone())
}

/// RopSetProperties that must succeed without problems.
fn set_ok(ctx: &mut Ctx, h: u32, values: Vec<TaggedValue>) -> CaseResult {
    let problems = set(ctx, h, values)?;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))
}

/// The cells of RopGetPropertiesSpecific (WantUnicode 1) for `tags`.
fn get(ctx: &mut Ctx, h: u32, tags: &[PropTag]) -> Result<(bool, Vec<RowValue>), Verdict> {
    get_with(ctx, h, tags, true)
}

/// The cells of RopGetPropertiesSpecific for `tags`, and whether the row was flagged.
fn get_with(
    ctx: &mut Ctx,
    h: u32,
    tags: &[PropTag],
    unicode: bool,
) -> Result<(bool, Vec<RowValue>), Verdict> {
    let one = ctx.rop(&[h], p::get_props_with(0, tags, unicode, 0))?;
    let b = body!(one.resp, GetPropertiesSpecific)?;
    let Rows::Decoded { rows, .. } = &b.row else { return Err(fail("a decoded row", "undecodable bytes")) };
    let row = rows.first().ok_or_else(|| fail("one row", "none"))?;
    eq("cells (one per requested tag)", tags.len(), row.values.len())?;
    Ok((row.flagged, row.values.clone()))
}

/// The value of `tag` on `h`, if it has one.
fn value(ctx: &mut Ctx, h: u32, tag: PropTag) -> Result<Option<PropValue>, Verdict> {
    let (_, cells) = get(ctx, h, &[tag])?;
    Ok(cells[0].value().cloned())
}

/// RopGetPropertiesAll (no size limit).
fn all(ctx: &mut Ctx, h: u32, unicode: bool) -> Result<Vec<TaggedValue>, Verdict> {
    let one = ctx.rop(&[h], p::get_props_all_with(0, unicode, 0))?;
    Ok(body!(one.resp, GetPropertiesAll)?.property_values.clone())
}

/// The value RopGetPropertiesAll reports for property id `id`.
fn all_value(values: &[TaggedValue], id: u16) -> Option<&TaggedValue> {
    values.iter().find(|v| v.tag.id() == id)
}

/// A cell must be missing: the spec's FlaggedPropertyRow error NotFound (MS-OXCPRPT 2.2.2.1;
/// MS-OXCDATA 2.8.1.2: Flag 0x0A, PtypErrorCode NotFound).
fn expect_not_found(what: &str, flagged: bool, cell: &RowValue) -> CaseResult {
    ensure(flagged, format!("{what}: a FlaggedPropertyRow"), "a StandardPropertyRow")?;
    match cell {
        RowValue::Error { code: EC_NOT_FOUND, .. } => Ok(()),
        other => Err(fail(format!("{what}: Flag 0x0A with NotFound (0x8004010F)"), format!("{other:?}"))),
    }
}

/// Saves message `msg` (kept open read/write).
fn save(ctx: &mut Ctx, msg: u32) -> CaseResult {
    let exec = ctx.rops(&[rops::save_message(0, 0, rops::save_flags::KEEP_OPEN_READ_WRITE)], vec![msg])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopSaveChangesMessage response", "none"))?;
    expect_rv("RopSaveChangesMessage", r, 0)
}

/// Saves message `msg` and returns its MID.
/// Opens saved message `mid` of folder `fid` again (read-only) through `folder`: a second
/// handle on the message.
fn reopen(
    ctx: &mut Ctx,
    folder: u32,
    fid: oxmapi_core::ids::ObjectId,
    mid: oxmapi_core::ids::ObjectId,
) -> Result<u32, Verdict> {
    let one = ctx.rop(&[folder], rops::open_message(0, 1, fid, mid, 0))?;
    expect_rv("RopOpenMessage", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("a message handle", "none"))
}

fn save_mid(ctx: &mut Ctx, msg: u32) -> Result<oxmapi_core::ids::ObjectId, Verdict> {
    let one = ctx.rop(&[msg], rops::save_message(0, 0, rops::save_flags::KEEP_OPEN_READ_WRITE))?;
    Ok(body!(one.resp, SaveChangesMessage)?.message_id)
}

/// Saves attachment `att` of message `msg`.
fn save_attachment(ctx: &mut Ctx, msg: u32, att: u32) -> CaseResult {
    let exec = ctx.rops(&[p::save_attachment(0, 1)], vec![msg, att])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopSaveChangesAttachment response", "none"))?;
    expect_rv("RopSaveChangesAttachment", r, 0)
}

/// The problems of a synchronous RopCopyProperties / RopCopyTo `req` from `src` to `dst`.
fn copy(ctx: &mut Ctx, src: u32, dst: u32, req: RopRequest) -> Result<Vec<PropertyProblem>, Verdict> {
    let exec = ctx.rops(&[req], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a copy response", "none"))?;
    expect_rv("the copy", r, 0)?;
    match r {
        RopResponse::CopyProperties(o) | RopResponse::CopyTo(o) => match &o.body {
            Some(CopyPropertiesResponse::Problems(p)) => Ok(p.clone()),
            other => Err(fail("PropertyProblems", format!("{other:?}"))),
        },
        other => Err(fail("a RopCopyProperties or RopCopyTo response", format!("{:?}", other.rop_id()))),
    }
}

/// A copy ROP `req` from `src` with no destination object: ecDstNullObject and
/// DestHandleIndex = the destination slot (MS-OXCROPS 2.2.8.11.2, 2.2.8.12.2).
fn copy_null_destination(ctx: &mut Ctx, src: u32, req: RopRequest) -> CaseResult {
    let exec = ctx.rops(&[req], vec![src, UNUSED_HANDLE])?;
    let r = exec.responses.first().ok_or_else(|| fail("a copy response", "none"))?;
    expect_rv("a copy to an empty handle slot", r, EC_DST_NULL_OBJECT)?;
    let body = match r {
        RopResponse::CopyProperties(o) | RopResponse::CopyTo(o) => o.body.clone(),
        _ => None,
    };
    eq("DestHandleIndex", Some(CopyPropertiesResponse::NullDestination(1)), body)
}

/// RopOpenStream on `h`; (ReturnValue, stream handle, StreamSize).
fn open_stream(ctx: &mut Ctx, h: u32, tag: PropTag, mode: u8) -> Result<(u32, Option<u32>, u32), Verdict> {
    let one = ctx.rop(&[h], p::open_stream(0, 1, tag, mode))?;
    let size = match &one.resp {
        RopResponse::OpenStream(o) => o.body.as_ref().map(|b| b.stream_size).unwrap_or(0),
        other => return Err(fail("a RopOpenStream response", format!("{:?}", other.rop_id()))),
    };
    Ok((rv(&one.resp), one.out, size))
}

/// A stream that must open.
fn stream(ctx: &mut Ctx, h: u32, tag: PropTag, mode: u8) -> Result<(u32, u32), Verdict> {
    let (r, s, size) = open_stream(ctx, h, tag, mode)?;
    ensure(r == 0, "RopOpenStream: ReturnValue 0", format!("ReturnValue {}", code(r)))?;
    Ok((s.ok_or_else(|| fail("a stream handle", "none"))?, size))
}

/// RopWriteStream that must write all of `data`.
fn write(ctx: &mut Ctx, s: u32, data: &[u8]) -> CaseResult {
    let one = ctx.rop(&[s], p::write_stream(0, data))?;
    eq("WrittenSize", data.len() as u16, body!(one.resp, WriteStream)?.written_size)
}

/// RopReadStream of up to `count` bytes.
fn read(ctx: &mut Ctx, s: u32, count: u16) -> Result<Vec<u8>, Verdict> {
    let one = ctx.rop(&[s], p::read_stream(0, count, None))?;
    Ok(body!(one.resp, ReadStream)?.data.clone())
}

/// RopSeekStream that must succeed: `NewPosition`.
fn seek(ctx: &mut Ctx, s: u32, origin: u8, offset: i64) -> Result<u64, Verdict> {
    let one = ctx.rop(&[s], p::seek_stream(0, origin, offset))?;
    Ok(body!(one.resp, SeekStream)?.new_position)
}

/// RopGetStreamSize.
fn stream_size(ctx: &mut Ctx, s: u32) -> Result<u32, Verdict> {
    let one = ctx.rop(&[s], p::get_stream_size(0))?;
    Ok(body!(one.resp, GetStreamSize)?.stream_size)
}

/// A message whose test binary property holds [`DATA`] (written through a stream and
/// committed), and a read/write stream on it: (message, stream).
fn message_with_stream(ctx: &mut Ctx, name: &str) -> Result<(u32, u32), Verdict> {
    let (_, msg) = new_message(ctx, name)?;
    let (s, _) = stream(ctx, msg, PR_TEST_BINARY, open_mode::CREATE)?;
    write(ctx, s, DATA)?;
    ok(ctx, s, "RopCommitStream", p::commit_stream(0))?;
    Ok((msg, s))
}

/// A fresh name, unique per run and case.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{:08x}", rand::random::<u32>())
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

crate::case_table! {
    P;
    "oxcprpt_get_properties_specific_unset_property_is_not_found", "MS-OXCPRPT 2.2.2.1",
        ["MS-OXCPRPT 2.2.2.1 (PropertyValues: a FlaggedPropertyRow with NotFound for an unset property)"],
        unset_property_not_found;
    "oxcprpt_get_properties_specific_flagged_row_mixed", "MS-OXCPRPT 2.2.2.1, MS-OXCDATA 2.8.1.2",
        ["MS-OXCPRPT 2.2.2.1 (present values keep Flag 0x00 in a FlaggedPropertyRow)", "MS-OXCPRPT_R477"],
        flagged_row_mixed;
    "oxcprpt_get_properties_specific_order_of_tags", "MS-OXCPRPT 3.2.5.1",
        ["MS-OXCPRPT 3.2.5.1 (values in the order of the requested tags)"], order_of_tags;
    "oxcprpt_get_properties_specific_want_unicode", "MS-OXCPRPT 2.2.2.1",
        ["MS-OXCPRPT 2.2.2.1 (WantUnicode: PtypUnspecified strings come back as PtypString)"], want_unicode;
    "oxcprpt_get_properties_specific_no_unicode_string8", "MS-OXCPRPT 2.2.2.1",
        ["MS-OXCPRPT 2.2.2.1 (WantUnicode zero: PtypUnspecified strings come back as PtypString8)"], no_unicode;
    "oxcprpt_get_properties_specific_string8_tag", "MS-OXCPRPT 3.2.5.1, MS-OXCDATA 2.11.1",
        ["MS-OXCPRPT 3.2.5.1 (a PtypString8 tag gets the value in the 8-bit code page)"], string8_tag;
    "oxcprpt_get_properties_specific_unspecified_integer", "MS-OXCPRPT 2.2.2.1, MS-OXCDATA 2.11.1",
        ["MS-OXCPRPT 2.2.2.1 (PtypUnspecified: the value carries its own type)"], unspecified_integer;
    "oxcprpt_get_properties_all_returns_values", "MS-OXCPRPT 3.2.5.2",
        ["MS-OXCPRPT_R477", "MS-OXCPRPT_R101"], get_all_values;
    "oxcprpt_get_properties_all_want_unicode", "MS-OXCPRPT 2.2.3.1",
        ["MS-OXCPRPT 2.2.3.1 (WantUnicode: string properties as PtypString, else PtypString8)"], get_all_unicode;
    "oxcprpt_get_properties_all_size_limit", "MS-OXCPRPT 2.2.3.1, 3.2.5.2",
        ["MS-OXCPRPT_R90707", "MS-OXCPRPT_R644", "MS-OXCPRPT_R86703"], get_all_size_limit;
    "oxcprpt_get_properties_list", "MS-OXCPRPT 3.2.5.3",
        ["MS-OXCPRPT 3.2.5.3 (RopGetPropertiesList lists every property with a value)"], get_list;
    "oxcprpt_set_properties_message_same_handle", "MS-OXCPRPT 3.2.5.4",
        ["MS-OXCPRPT_R475", "MS-OXCPRPT_R476", "MS-OXCPRPT_R101"], set_message;
    "oxcprpt_set_properties_folder_persisted", "MS-OXCPRPT 3.2.5.4",
        ["MS-OXCPRPT_R846"], set_folder;
    "oxcprpt_set_properties_attachment_same_handle", "MS-OXCPRPT 3.2.5.4",
        ["MS-OXCPRPT_R479"], set_attachment;
    "oxcprpt_set_properties_message_not_persisted_before_save", "MS-OXCPRPT 3.2.5.4",
        ["MS-OXCPRPT_R478"], set_not_persisted;
    "oxcprpt_set_properties_read_only_property", "MS-OXCPRPT 2.2.5.2, 3.2.5.4",
        ["MS-OXCPRPT 2.2.5.2 (PropertyProblems name each property that could not be set, by Index)"],
        set_read_only;
    "oxcprpt_delete_properties_message", "MS-OXCPRPT 3.2.5.5",
        ["MS-OXCPRPT_R485", "MS-OXCPRPT_R486", "MS-OXCPRPT_R487", "MS-OXCPRPT_R488", "MS-OXCPRPT_R113"],
        delete_message;
    "oxcprpt_delete_properties_folder_persisted", "MS-OXCPRPT 3.2.5.5",
        ["MS-OXCPRPT_R492"], delete_folder;
    "oxcprpt_delete_properties_attachment", "MS-OXCPRPT 3.2.5.5",
        ["MS-OXCPRPT_R490"], delete_attachment;
    "oxcprpt_set_properties_no_replicate", "MS-OXCPRPT 2.2.6, 3.2.5.4",
        ["MS-OXCPRPT_R822", "MS-OXCPRPT_R823", "MS-OXCPRPT_R824", "MS-OXCPRPT_R112"], set_no_replicate;
    "oxcprpt_delete_properties_no_replicate", "MS-OXCPRPT 2.2.8, 3.2.5.5",
        ["MS-OXCPRPT_R835", "MS-OXCPRPT_R836", "MS-OXCPRPT_R83604", "MS-OXCPRPT_R124"], delete_no_replicate;
    "oxcprpt_get_properties_on_empty_handle_null_object", "MS-OXCROPS 3.2.5.1, MS-OXCDATA 2.4.1",
        ["MS-OXCROPS 3.2.5.1 (a ROP whose input handle is not an object fails with ecNullObject)"],
        empty_handle_null_object;
    "oxcprpt_copy_properties_overwrites", "MS-OXCPRPT 3.2.5.7",
        ["MS-OXCPRPT_R146", "MS-OXCPRPT_R15204", "MS-OXCPRPT_R265", "MS-OXCPRPT_R15901"], copy_props_overwrite;
    "oxcprpt_copy_properties_no_overwrite", "MS-OXCPRPT 3.2.5.7",
        ["MS-OXCPRPT_R264", "MS-OXCPRPT_R879"], copy_props_no_overwrite;
    "oxcprpt_copy_properties_invalid_flags", "MS-OXCPRPT 3.2.5.7",
        ["MS-OXCPRPT_R88001"], copy_props_invalid_flags;
    "oxcprpt_copy_properties_move_and_no_overwrite", "MS-OXCPRPT 2.2.10.1",
        ["MS-OXCPRPT_R86502", "MS-OXCPRPT_R86701"], copy_props_move_no_overwrite;
    "oxcprpt_copy_properties_null_destination", "MS-OXCPRPT 3.2.5.7, MS-OXCROPS 2.2.8.11.2",
        ["MS-OXCROPS 2.2.8.11.2 (ecDstNullObject carries DestHandleIndex)"], copy_props_null_destination;
    "oxcprpt_copy_properties_folders_persisted", "MS-OXCPRPT 3.2.5.7",
        ["MS-OXCPRPT_R503"], copy_props_folders;
    "oxcprpt_copy_to_excluded_tags", "MS-OXCPRPT 3.2.5.8",
        ["MS-OXCPRPT_R821", "MS-OXCPRPT_R177", "MS-OXCPRPT_R625"], copy_to_excluded;
    "oxcprpt_copy_to_no_overwrite", "MS-OXCPRPT 3.2.5.8",
        ["MS-OXCPRPT_R5070504", "MS-OXCPRPT_R624", "MS-OXCPRPT_R18501"], copy_to_no_overwrite;
    "oxcprpt_copy_to_with_sub_objects", "MS-OXCPRPT 2.2.11.1",
        ["MS-OXCPRPT_R181"], copy_to_sub_objects;
    "oxcprpt_copy_to_without_sub_objects", "MS-OXCPRPT 2.2.11.1",
        ["MS-OXCPRPT_R182"], copy_to_no_sub_objects;
    "oxcprpt_copy_to_invalid_flags", "MS-OXCPRPT 3.2.5.8",
        ["MS-OXCPRPT_R5070506"], copy_to_invalid_flags;
    "oxcprpt_copy_to_null_destination", "MS-OXCPRPT 3.2.5.8, MS-OXCROPS 2.2.8.12.2",
        ["MS-OXCROPS 2.2.8.12.2 (ecDstNullObject carries DestHandleIndex)"], copy_to_null_destination;
    "oxcprpt_property_ids_from_names_create", "MS-OXCPRPT 2.2.12.1, 3.2.5.9",
        ["MS-OXCPRPT_R628", "MS-OXCPRPT 3.2.5.9 (the same name maps to the same id)"], ids_create;
    "oxcprpt_property_ids_from_names_unknown_without_create", "MS-OXCPRPT 2.2.12.1, 3.2.5.9",
        ["MS-OXCPRPT_R62801", "MS-OXCPRPT 3.2.5.9 (an unmapped name gets PropertyId 0x0000)"], ids_no_create;
    "oxcprpt_property_ids_from_names_ps_mapi", "MS-OXCPRPT 3.2.5.9",
        ["MS-OXCPRPT 3.2.5.9 (a PS_MAPI name maps to the property id equal to its LID)"], ids_ps_mapi;
    "oxcprpt_names_from_property_ids_round_trip", "MS-OXCPRPT 3.2.5.10",
        ["MS-OXCPRPT 3.2.5.10 (the name a named property id maps to)"], names_round_trip;
    "oxcprpt_names_from_property_ids_below_0x8000", "MS-OXCPRPT 3.2.5.10",
        ["MS-OXCPRPT 3.2.5.10 (ids below 0x8000: PS_MAPI with LID = the id)"], names_below_8000;
    "oxcprpt_query_named_properties_no_strings", "MS-OXCPRPT 3.2.5.6",
        ["MS-OXCPRPT_R876"], query_named_no_strings;
    "oxcprpt_query_named_properties_no_ids_with_guid", "MS-OXCPRPT 3.2.5.6",
        ["MS-OXCPRPT_R877", "MS-OXCPRPT_R878"], query_named_no_ids;
    "oxcprpt_open_stream_read_only_missing_property", "MS-OXCPRPT 3.2.5.11",
        ["MS-OXCPRPT_R885", "MS-OXCPRPT 2.2.14.1 (Create is required for a property that has not been set: NotFound otherwise)"],
        open_stream_missing;
    "oxcprpt_stream_create_write_commit_read", "MS-OXCPRPT 3.2.5.11, 3.2.5.13, 3.2.5.15",
        ["MS-OXCPRPT_R885", "MS-OXCPRPT_R305", "MS-OXCPRPT_R25506"], stream_round_trip;
    "oxcprpt_stream_read_write_mode", "MS-OXCPRPT 2.2.14.1",
        ["MS-OXCPRPT_R269"], stream_read_write;
    "oxcprpt_write_stream_read_only_access_denied", "MS-OXCPRPT 2.2.14.1, 3.2.5.13",
        ["MS-OXCPRPT_R267"], write_read_only;
    "oxcprpt_open_stream_size_of_existing_property", "MS-OXCPRPT 2.2.14.2",
        ["MS-OXCPRPT 2.2.14.2 (StreamSize: the bytes in the stream)"], open_stream_size;
    "oxcprpt_seek_stream_origins", "MS-OXCPRPT 3.2.5.18",
        ["MS-OXCPRPT 2.2.21 (the seek pointer moves relative to the origin the client names)"], seek_origins;
    "oxcprpt_seek_stream_beyond_2gb", "MS-OXCPRPT 3.2.5.18",
        ["MS-OXCPRPT_R582"], seek_beyond_2gb;
    "oxcprpt_seek_stream_invalid_origin", "MS-OXCPRPT 3.2.5.18",
        ["MS-OXCPRPT 3.2.5.18 (an invalid Origin: StreamInvalidParam, SHOULD)"], seek_invalid_origin;
    "oxcprpt_seek_stream_beyond_end_extends", "MS-OXCPRPT 3.2.5.18",
        ["MS-OXCPRPT_R583"], seek_beyond_end;
    "oxcprpt_set_stream_size_grow_and_shrink", "MS-OXCPRPT 3.2.5.17",
        ["MS-OXCPRPT_R322", "MS-OXCPRPT_R32801", "MS-OXCPRPT_R57705", "MS-OXCPRPT_R57706", "MS-OXCPRPT_R57707"],
        set_stream_size;
    "oxcprpt_read_stream_maximum_byte_count", "MS-OXCPRPT 2.2.15.1",
        ["MS-OXCPRPT 2.2.15.1 (ByteCount 0xBABE: MaximumByteCount applies)"], read_babe;
    "oxcprpt_copy_to_stream", "MS-OXCPRPT 3.2.5.19",
        ["MS-OXCPRPT_R592", "MS-OXCPRPT_R867091"], copy_to_stream;
    "oxcprpt_copy_to_stream_null_destination", "MS-OXCPRPT 3.2.5.19, MS-OXCROPS 2.2.9.9.2",
        ["MS-OXCROPS 2.2.9.9.2 (ecDstNullObject carries DestHandleIndex)"], copy_to_stream_null;
    "oxcprpt_clone_stream", "MS-OXCPRPT 3.2.5 (RopCloneStream), IStream::Clone",
        ["MS-OXCPRPT_R753", "IStream::Clone (a clone has its own seek pointer, starting where the original's is)"],
        clone_stream;
    "oxcprpt_lock_and_unlock_region", "MS-OXCPRPT 3.2.5.20, 3.2.5.21",
        ["MS-OXCPRPT_R610", "MS-OXCPRPT_R750", "MS-OXCPRPT_R751"], lock_region;
    "oxcprpt_write_and_commit_stream", "MS-OXCPRPT 2.2.26",
        ["MS-OXCPRPT_R752"], write_and_commit;
    "oxcprpt_clone_stream_sees_uncommitted_changes", "MS-OXCPRPT 3.2.5.24",
        ["MS-OXCPRPT 3.2.5.24 (changes made to the stream in one Stream object MUST be immediately visible in the other; afterwards the seek pointers are independent)"],
        clone_sees_changes;
    "oxcprpt_clone_stream_on_a_message_fails", "MS-OXCPRPT 2.2.27",
        ["MS-OXCPRPT 2.2.27 (RopCloneStream is valid only on Stream objects)"], clone_on_message;
    "oxcprpt_lock_region_held_by_another_stream_access_denied", "MS-OXCPRPT 3.2.5.21",
        ["MS-OXCPRPT 3.2.5.21 (a previous lock that is not expired: AccessDenied 0x80070005)"], lock_conflict;
    "oxcprpt_unlock_region_frees_it_for_others", "MS-OXCPRPT 3.2.5.22",
        ["MS-OXCPRPT 3.2.5.22 (the server MUST remove the locks on the requested region owned by the caller)"],
        unlock_frees;
    "oxcprpt_lock_region_on_a_message_fails", "MS-OXCPRPT 2.2.24",
        ["MS-OXCPRPT 2.2.24 (RopLockRegionStream is valid only on Stream objects)"], lock_on_message;
    "oxcprpt_write_and_commit_stream_on_a_message_fails", "MS-OXCPRPT 2.2.26",
        ["MS-OXCPRPT 2.2.26 (RopWriteAndCommitStream is valid only on Stream objects)"], write_and_commit_on_message;
    "oxcprpt_progress_with_nothing_in_progress", "MS-OXCPRPT 2.2.23, 3.2.5.20, 4.5",
        ["MS-OXCPRPT 3.2.5.20 (a RopProgress response while the server is not done; 4.5: the counts run up to TotalTaskCount)"],
        progress_idle;
    "oxcprpt_progress_on_an_empty_slot_fails", "MS-OXCROPS 2.2.8.13, 3.2.5.1",
        ["MS-OXCROPS suite S06 (RopProgress on an input handle index without an object: a failure response)"],
        progress_empty_slot;
    "oxcprpt_open_stream_folder_string_not_supported", "MS-OXCPRPT 2.2.14",
        ["MS-OXCPRPT_R2563"], open_stream_folder_string;
    "oxcprpt_open_stream_integer_not_supported", "MS-OXCPRPT 2.2.14",
        ["MS-OXCPRPT 2.2.14 (streams exist only for PtypBinary, PtypString and PtypObject properties)"],
        open_stream_integer;
    "oxcprpt_read_stream_on_a_message_fails", "MS-OXCPRPT 2.2.15, 3.2.5.12",
        ["MS-OXCPRPT 2.2.15 (RopReadStream is valid only on Stream objects)"], read_stream_on_message;
    "oxcprpt_copy_to_stream_read_only_destination", "MS-OXCPRPT 3.2.5.19",
        ["MS-OXCPRPT 3.2.5.19 (the destination stream must be writable)"], copy_to_stream_read_only;
    "oxcprpt_stream_release_persists_on_the_object", "MS-OXCPRPT 3.2.5.13",
        ["MS-OXCPRPT_R56403", "MS-OXCPRPT 3.2.5.13 (the value reaches the object at RopCommitStream or RopRelease)"],
        stream_release_persists;
    "oxcprpt_get_properties_specific_size_limit", "MS-OXCPRPT 2.2.2.1, 3.2.5.1",
        ["MS-OXCPRPT_R9070102", "MS-OXCPRPT_R63", "MS-OXCPRPT_R86703"], get_specific_size_limit;
    "oxcprpt_delete_properties_message_not_persisted_before_save", "MS-OXCPRPT 3.2.5.5",
        ["MS-OXCPRPT_R489"], delete_not_persisted;
    "oxcprpt_attachment_stream", "MS-OXCPRPT 2.2.14, 3.2.5.13",
        ["MS-OXCPRPT_R25502", "MS-OXCPRPT_R56404"], attachment_stream;
}

// S01: reading properties.

fn unset_property_not_found(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-unset")?;
    let (flagged, cells) = get(ctx, folder, &[PR_UNSET_I32])?;
    expect_not_found("the unset property", flagged, &cells[0])
}

fn flagged_row_mixed(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-flagged")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("present"))])?;
    let (flagged, cells) = get(ctx, msg, &[PR_SUBJECT_W, PR_UNSET_I32])?;
    eq("the set value", Some(&text("present")), cells[0].value())?;
    expect_not_found("the unset property", flagged, &cells[1])
}

fn order_of_tags(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-order")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("s")), tv(PR_IMPORTANCE, PropValue::I32(2))])?;
    let (_, cells) = get(ctx, msg, &[PR_IMPORTANCE, PR_SUBJECT_W, PR_IMPORTANCE])?;
    let got: Vec<Option<&PropValue>> = cells.iter().map(RowValue::value).collect();
    eq("values", vec![Some(&PropValue::I32(2)), Some(&text("s")), Some(&PropValue::I32(2))], got)
}

fn want_unicode(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-unicode")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("wide ü"))])?;
    let (_, cells) = get_with(ctx, msg, &[PR_SUBJECT_UNSPECIFIED], true)?;
    eq("PtypUnspecified subject with WantUnicode 1", Some(&text("wide ü")), cells[0].value())
}

fn no_unicode(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-nounicode")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("narrow"))])?;
    let (_, cells) = get_with(ctx, msg, &[PR_SUBJECT_UNSPECIFIED], false)?;
    eq(
        "PtypUnspecified subject with WantUnicode 0",
        Some(&PropValue::String8(b"narrow".to_vec())),
        cells[0].value(),
    )
}

fn string8_tag(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-string8")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("plain"))])?;
    let (_, cells) = get(ctx, msg, &[PR_SUBJECT_A])?;
    eq("PtypString8 subject", Some(&PropValue::String8(b"plain".to_vec())), cells[0].value())
}

fn unspecified_integer(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-unspec")?;
    set_ok(ctx, msg, vec![tv(PR_IMPORTANCE, PropValue::I32(2))])?;
    let (_, cells) = get(ctx, msg, &[PropTag(0x0017_0000)])?;
    eq("PtypUnspecified importance", Some(&PropValue::I32(2)), cells[0].value())
}

fn get_all_values(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-all")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("all")), tv(PR_SENSITIVITY, PropValue::I32(2))])?;
    let values = all(ctx, msg, true)?;
    eq("PidTagSubject", Some(&tv(PR_SUBJECT_W, text("all"))), all_value(&values, PR_SUBJECT_W.id()))?;
    eq(
        "PidTagSensitivity",
        Some(&tv(PR_SENSITIVITY, PropValue::I32(2))),
        all_value(&values, PR_SENSITIVITY.id()),
    )
}

fn get_all_unicode(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-allunicode")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("both"))])?;
    let wide = all(ctx, msg, true)?;
    eq("with WantUnicode 1", Some(&tv(PR_SUBJECT_W, text("both"))), all_value(&wide, PR_SUBJECT_W.id()))?;
    let narrow = all(ctx, msg, false)?;
    eq(
        "with WantUnicode 0",
        Some(&tv(PR_SUBJECT_A, PropValue::String8(b"both".to_vec()))),
        all_value(&narrow, PR_SUBJECT_W.id()),
    )
}

fn get_all_size_limit(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-limit")?;
    let body = "x".repeat(200);
    set_ok(ctx, msg, vec![tv(PR_BODY_W, text(&body))])?;
    let one = ctx.rop(&[msg], p::get_props_all_with(0, true, 16))?;
    let values = &body!(one.resp, GetPropertiesAll)?.property_values;
    match all_value(values, PR_BODY_W.id()) {
        // R90707 (Exchange 2010 and later): no error whatever the limit.
        Some(TaggedValue { value: PropValue::Unicode(s), .. }) if *s == body => Ok(()),
        // R644 / R86703: PtypErrorCode NotEnoughMemory in place of the value.
        Some(TaggedValue { value: PropValue::Error(EC_NOT_ENOUGH_MEMORY), .. }) => Ok(()),
        other => Err(fail("the whole body, or PtypErrorCode NotEnoughMemory", format!("{other:?}"))),
    }
}

fn get_list(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-list")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("l")), tv(PR_SENSITIVITY, PropValue::I32(1))])?;
    let one = ctx.rop(&[msg], p::get_props_list(0))?;
    let ids: Vec<u16> = body!(one.resp, GetPropertiesList)?.property_tags.iter().map(|t| t.id()).collect();
    ensure(
        ids.contains(&PR_SUBJECT_W.id()) && ids.contains(&PR_SENSITIVITY.id()),
        "PidTagSubject and PidTagSensitivity among the tags",
        format!("{ids:04X?}"),
    )?;
    ensure(!ids.contains(&PR_UNSET_I32.id()), "no tag of an unset property", "it is listed")
}

// S02: setting and deleting.

fn set_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-setmsg")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("first"))])?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("second"))])?;
    eq("PidTagSubject on the same handle", Some(text("second")), value(ctx, msg, PR_SUBJECT_W)?)
}

fn set_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcprpt-setfolder")?;
    set_ok(ctx, folder, vec![tv(PR_COMMENT_W, text("kept"))])?;
    let again = ctx.open_folder(fid)?;
    eq("PidTagComment through a new handle", Some(text("kept")), value(ctx, again, PR_COMMENT_W)?)
}

fn set_attachment(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-setatt")?;
    let att = new_attachment(ctx, msg)?;
    set_ok(ctx, att, vec![tv(PR_ATTACH_FILENAME_W, text("a.txt"))])?;
    eq("PidTagAttachFilename on the same handle", Some(text("a.txt")), value(ctx, att, PR_ATTACH_FILENAME_W)?)
}

fn set_not_persisted(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcprpt-persist")?;
    let msg = create_message(ctx, folder, fid)?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("saved"))])?;
    let mid = save_mid(ctx, msg)?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("pending"))])?;
    let other = reopen(ctx, folder, fid, mid)?;
    eq(
        "PidTagSubject through another handle before saving",
        Some(text("saved")),
        value(ctx, other, PR_SUBJECT_W)?,
    )?;
    save(ctx, msg)?;
    let fresh = reopen(ctx, folder, fid, mid)?;
    eq("PidTagSubject after RopSaveChangesMessage", Some(text("pending")), value(ctx, fresh, PR_SUBJECT_W)?)
}

fn set_read_only(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-readonly")?;
    let bogus = 0x7FFF_0000;
    let problems =
        set(ctx, msg, vec![tv(PR_SUBJECT_W, text("writable")), tv(PR_MESSAGE_SIZE, PropValue::I32(bogus))])?;
    eq(
        "PidTagSubject (the writable property is set)",
        Some(text("writable")),
        value(ctx, msg, PR_SUBJECT_W)?,
    )?;
    if let Some(p) = problems.first() {
        eq("PropertyProblem (Index, PropertyTag)", (1, PR_MESSAGE_SIZE), (p.index, p.tag))?;
        return ensure(p.error.0 != 0, "a failing ErrorCode in the problem", "0");
    }
    // No problem reported: the computed value must not be the client's.
    let size = value(ctx, msg, PR_MESSAGE_SIZE)?;
    ensure(
        size != Some(PropValue::I32(bogus)),
        "PidTagMessageSize stays computed by the server (or a PropertyProblem for it)",
        format!("{size:?}"),
    )
}

fn delete_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-delmsg")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("gone")), tv(PR_SENSITIVITY, PropValue::I32(1))])?;
    let one = ctx.rop(&[msg], p::delete_props(0, &[PR_SUBJECT_W]))?;
    let problems = &body!(one.resp, DeleteProperties)?.problems;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))?;
    let values = all(ctx, msg, true)?;
    ensure(
        all_value(&values, PR_SUBJECT_W.id()).is_none(),
        "no PidTagSubject after deleting it",
        "still there",
    )?;
    ensure(all_value(&values, PR_SENSITIVITY.id()).is_some(), "PidTagSensitivity untouched", "missing")
}

fn delete_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcprpt-delfolder")?;
    set_ok(ctx, folder, vec![tv(PR_COMMENT_W, text("gone"))])?;
    ok(ctx, folder, "RopDeleteProperties", p::delete_props(0, &[PR_COMMENT_W]))?;
    let again = ctx.open_folder(fid)?;
    let values = all(ctx, again, true)?;
    ensure(
        all_value(&values, PR_COMMENT_W.id()).is_none(),
        "no PidTagComment through a new handle",
        "still there",
    )
}

fn delete_attachment(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-delatt")?;
    let att = new_attachment(ctx, msg)?;
    set_ok(ctx, att, vec![tv(PR_ATTACH_FILENAME_W, text("b.txt"))])?;
    ok(ctx, att, "RopDeleteProperties", p::delete_props(0, &[PR_ATTACH_FILENAME_W]))?;
    let values = all(ctx, att, true)?;
    ensure(all_value(&values, PR_ATTACH_FILENAME_W.id()).is_none(), "no PidTagAttachFilename", "still there")
}

fn set_no_replicate(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-setnorep")?;
    let one = ctx.rop(&[msg], p::set_props_no_replicate(0, vec![tv(PR_SUBJECT_W, text("norep"))]))?;
    let problems = &body!(one.resp, SetPropertiesNoReplicate)?.problems;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))?;
    let values = all(ctx, msg, true)?;
    eq("PidTagSubject", Some(&tv(PR_SUBJECT_W, text("norep"))), all_value(&values, PR_SUBJECT_W.id()))
}

fn delete_no_replicate(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-delnorep")?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("gone"))])?;
    let one = ctx.rop(&[msg], p::delete_props_no_replicate(0, &[PR_SUBJECT_W]))?;
    let problems = &body!(one.resp, DeletePropertiesNoReplicate)?.problems;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))?;
    let values = all(ctx, msg, true)?;
    ensure(
        all_value(&values, PR_SUBJECT_W.id()).is_none(),
        "no PidTagSubject after deleting it",
        "still there",
    )
}

fn empty_handle_null_object(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.rop(&[UNUSED_HANDLE], rops::get_props(0, &[PR_SUBJECT_W]))?;
    expect_rv("RopGetPropertiesSpecific on an empty handle slot", &one.resp, EC_NULL_OBJECT)
}

// S05: copying.

/// Two new messages in one folder: (source, destination); the source has a subject and the
/// test integer, the destination only a subject.
fn two_messages(ctx: &mut Ctx, name: &str) -> Result<(u32, u32), Verdict> {
    let (fid, folder) = ctx.new_folder(name)?;
    let src = create_message(ctx, folder, fid)?;
    let dst = create_message(ctx, folder, fid)?;
    set_ok(ctx, src, vec![tv(PR_SUBJECT_W, text("src")), tv(PR_TEST_I32, PropValue::I32(2))])?;
    set_ok(ctx, dst, vec![tv(PR_SUBJECT_W, text("dst"))])?;
    Ok((src, dst))
}

fn copy_props_overwrite(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copyprops")?;
    let problems = copy(ctx, src, dst, p::copy_properties(0, 1, 0, &[PR_SUBJECT_W, PR_TEST_I32]))?;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))?;
    eq("destination PidTagSubject (overwritten)", Some(text("src")), value(ctx, dst, PR_SUBJECT_W)?)?;
    eq(
        "destination the test PtypInteger32 property",
        Some(PropValue::I32(2)),
        value(ctx, dst, PR_TEST_I32)?,
    )?;
    eq("source PidTagSubject (copied, not moved)", Some(text("src")), value(ctx, src, PR_SUBJECT_W)?)
}

fn copy_props_no_overwrite(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copynoover")?;
    copy(ctx, src, dst, p::copy_properties(0, 1, copy_flags::NO_OVERWRITE, &[PR_SUBJECT_W, PR_TEST_I32]))?;
    eq("destination PidTagSubject (kept)", Some(text("dst")), value(ctx, dst, PR_SUBJECT_W)?)?;
    eq(
        "destination the test PtypInteger32 property (had none: copied)",
        Some(PropValue::I32(2)),
        value(ctx, dst, PR_TEST_I32)?,
    )
}

fn copy_props_invalid_flags(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copybadflags")?;
    let exec = ctx.rops(&[p::copy_properties(0, 1, 0x80, &[PR_SUBJECT_W])], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a response", "none"))?;
    expect_rv("RopCopyProperties with CopyFlags 0x80", r, EC_INVALID_PARAM)
}

fn copy_props_move_no_overwrite(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copymovenoover")?;
    let flags = copy_flags::MOVE | copy_flags::NO_OVERWRITE;
    let exec = ctx.rops(&[p::copy_properties(0, 1, flags, &[PR_SUBJECT_W])], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a response", "none"))?;
    // R86502 (Exchange 2010 and later): InvalidParameter; R86701 (Exchange 2007): supported.
    expect_rv_in("RopCopyProperties with Move | NoOverwrite", r, &[EC_INVALID_PARAM, 0])?;
    if rv(r) == 0 {
        eq("destination PidTagSubject (NoOverwrite)", Some(text("dst")), value(ctx, dst, PR_SUBJECT_W)?)?;
    }
    Ok(())
}

fn copy_props_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (src, _) = two_messages(ctx, "oxcprpt-copynull")?;
    copy_null_destination(ctx, src, p::copy_properties(0, 1, 0, &[PR_SUBJECT_W]))
}

fn copy_props_folders(ctx: &mut Ctx) -> CaseResult {
    let (_, a) = ctx.new_folder("oxcprpt-copyfolder-a")?;
    let (fid_b, b) = ctx.new_folder("oxcprpt-copyfolder-b")?;
    set_ok(ctx, a, vec![tv(PR_COMMENT_W, text("from a"))])?;
    copy(ctx, a, b, p::copy_properties(0, 1, 0, &[PR_COMMENT_W]))?;
    let again = ctx.open_folder(fid_b)?;
    eq(
        "PidTagComment of the destination folder, reopened",
        Some(text("from a")),
        value(ctx, again, PR_COMMENT_W)?,
    )
}

fn copy_to_excluded(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copyto")?;
    let problems = copy(ctx, src, dst, p::copy_to(0, 1, false, 0, &[PR_TEST_I32]))?;
    ensure(problems.is_empty(), "no PropertyProblems", format!("{problems:?}"))?;
    eq("destination PidTagSubject (overwritten)", Some(text("src")), value(ctx, dst, PR_SUBJECT_W)?)?;
    eq("destination the test PtypInteger32 property (excluded)", None, value(ctx, dst, PR_TEST_I32)?)
}

fn copy_to_no_overwrite(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copytonoover")?;
    copy(ctx, src, dst, p::copy_to(0, 1, false, copy_flags::NO_OVERWRITE, &[]))?;
    eq("destination PidTagSubject (kept)", Some(text("dst")), value(ctx, dst, PR_SUBJECT_W)?)?;
    eq(
        "destination the test PtypInteger32 property (copied)",
        Some(PropValue::I32(2)),
        value(ctx, dst, PR_TEST_I32)?,
    )?;
    eq("source PidTagSubject (not moved)", Some(text("src")), value(ctx, src, PR_SUBJECT_W)?)
}

/// The number of rows in the attachment table of `msg`.
fn attachment_count(ctx: &mut Ctx, msg: u32) -> Result<usize, Verdict> {
    let one = ctx.rop(&[msg], p::attachment_table(0, 1))?;
    expect_rv("RopGetAttachmentTable", &one.resp, 0)?;
    let table = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    let exec =
        ctx.rops(&[rops::set_columns(0, &[PR_ATTACH_NUM]), rops::query_rows(0, 100, true)], vec![table])?;
    let r = exec.responses.get(1).ok_or_else(|| fail("a RopQueryRows response", "none"))?;
    Ok(body!(r, QueryRows)?.row_count as usize)
}

/// Two messages, the source with one saved attachment, copied with RopCopyTo.
fn copy_with_attachment(ctx: &mut Ctx, name: &str, sub_objects: bool) -> Result<usize, Verdict> {
    let (src, dst) = two_messages(ctx, name)?;
    let att = new_attachment(ctx, src)?;
    set_ok(ctx, att, vec![tv(PR_ATTACH_FILENAME_W, text("c.txt"))])?;
    save_attachment(ctx, src, att)?;
    eq("attachments on the source", 1, attachment_count(ctx, src)?)?;
    copy(ctx, src, dst, p::copy_to(0, 1, sub_objects, 0, &[]))?;
    attachment_count(ctx, dst)
}

fn copy_to_sub_objects(ctx: &mut Ctx) -> CaseResult {
    let n = copy_with_attachment(ctx, "oxcprpt-copytosub", true)?;
    eq("attachments on the destination (WantSubObjects 1)", 1, n)
}

fn copy_to_no_sub_objects(ctx: &mut Ctx) -> CaseResult {
    let n = copy_with_attachment(ctx, "oxcprpt-copytonosub", false)?;
    eq("attachments on the destination (WantSubObjects 0)", 0, n)
}

fn copy_to_invalid_flags(ctx: &mut Ctx) -> CaseResult {
    let (src, dst) = two_messages(ctx, "oxcprpt-copytobad")?;
    let exec = ctx.rops(&[p::copy_to(0, 1, false, 0x80, &[])], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a response", "none"))?;
    expect_rv("RopCopyTo with CopyFlags 0x80", r, EC_INVALID_PARAM)
}

fn copy_to_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (src, _) = two_messages(ctx, "oxcprpt-copytonull")?;
    copy_null_destination(ctx, src, p::copy_to(0, 1, false, 0, &[]))
}

// S01: named properties.

/// RopGetPropertyIdsFromNames on `h`: (ReturnValue, ids).
fn ids(ctx: &mut Ctx, h: u32, flags: u8, names: &[PropertyName]) -> Result<(u32, Vec<u16>), Verdict> {
    let one = ctx.rop(&[h], p::ids_from_names(0, flags, names))?;
    let ids = match &one.resp {
        RopResponse::GetPropertyIdsFromNames(o) => o.body.as_ref().map(|b| b.property_ids.clone()),
        _ => None,
    };
    Ok((rv(&one.resp), ids.unwrap_or_default()))
}

/// The one id a name maps to (created if needed).
fn created_id(ctx: &mut Ctx, h: u32, name: &PropertyName) -> Result<u16, Verdict> {
    let (r, got) = ids(ctx, h, p::NAMES_CREATE, std::slice::from_ref(name))?;
    eq("RopGetPropertyIdsFromNames (Create) ReturnValue", 0, r)?;
    eq("PropertyIds", 1, got.len())?;
    ensure(got[0] >= 0x8000, "a named-property id (0x8000 or above)", format!("0x{:04X}", got[0]))?;
    Ok(got[0])
}

fn ids_create(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-ids")?;
    let name = PropertyName::string(PS_PUBLIC_STRINGS, unique("oxmapi-conformance"));
    let id = created_id(ctx, folder, &name)?;
    let (r, again) = ids(ctx, folder, 0, std::slice::from_ref(&name))?;
    eq("ReturnValue without Create for a known name", 0, r)?;
    eq("the same id again", vec![id], again)
}

fn ids_no_create(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-idsnocreate")?;
    let name = PropertyName::string(PS_PUBLIC_STRINGS, unique("oxmapi-never-created"));
    let (r, got) = ids(ctx, folder, 0, &[name])?;
    expect_rv_in_code("RopGetPropertyIdsFromNames without Create", r, &[EC_WARN_WITH_ERRORS, 0])?;
    eq("PropertyIds for an unmapped name", vec![0u16], got)
}

/// [`expect_rv_in`] for a bare ReturnValue.
fn expect_rv_in_code(what: &str, got: u32, allowed: &[u32]) -> CaseResult {
    let names: Vec<String> = allowed.iter().map(|c| code(*c)).collect();
    ensure(allowed.contains(&got), format!("{what}: ReturnValue one of {}", names.join(", ")), code(got))
}

fn ids_ps_mapi(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-idsmapi")?;
    let (r, got) = ids(ctx, folder, 0, &[PropertyName::id(PS_MAPI, 0x0037)])?;
    eq("ReturnValue", 0, r)?;
    eq("the id of PS_MAPI LID 0x0037", vec![0x0037u16], got)
}

/// RopGetNamesFromPropertyIds on `h`.
fn names(ctx: &mut Ctx, h: u32, ids: &[u16]) -> Result<Vec<Option<PropertyName>>, Verdict> {
    let one = ctx.rop(&[h], p::names_from_ids(0, ids))?;
    Ok(body!(one.resp, GetNamesFromPropertyIds)?.property_names.clone())
}

fn names_round_trip(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-names")?;
    let by_string = PropertyName::string(PS_PUBLIC_STRINGS, unique("oxmapi-name"));
    let guid = Guid::new_random();
    let by_lid = PropertyName::id(guid, 0x1234);
    let a = created_id(ctx, folder, &by_string)?;
    let b = created_id(ctx, folder, &by_lid)?;
    eq("names", vec![Some(by_string), Some(by_lid)], names(ctx, folder, &[a, b])?)
}

fn names_below_8000(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-namesmapi")?;
    eq("name of id 0x0037", vec![Some(PropertyName::id(PS_MAPI, 0x0037))], names(ctx, folder, &[0x0037])?)
}

/// RopQueryNamedProperties on `h`: (id, name) pairs.
fn query_named(
    ctx: &mut Ctx,
    h: u32,
    flags: u8,
    guid: Option<Guid>,
) -> Result<Vec<(u16, PropertyName)>, Verdict> {
    let one = ctx.rop(&[h], p::query_named(0, flags, guid))?;
    Ok(body!(one.resp, QueryNamedProperties)?.properties.clone())
}

fn query_named_no_strings(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-qnp")?;
    let by_lid = PropertyName::id(Guid::new_random(), 0x4321);
    let id = created_id(ctx, folder, &by_lid)?;
    created_id(ctx, folder, &PropertyName::string(PS_PUBLIC_STRINGS, unique("oxmapi-qnp")))?;
    let got = query_named(ctx, folder, p::query_flags::NO_STRINGS, None)?;
    ensure(
        got.iter().all(|(_, n)| matches!(n.name, NameId::Id(_))),
        "no MNID_STRING names with NoStrings",
        format!("{} names, some strings", got.len()),
    )?;
    ensure(got.contains(&(id, by_lid)), "the MNID_ID name just mapped", "missing")
}

fn query_named_no_ids(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-qnpguid")?;
    let guid = Guid::new_random();
    let by_string = PropertyName::string(guid, "oxmapi-qnp-string");
    let id = created_id(ctx, folder, &by_string)?;
    created_id(ctx, folder, &PropertyName::id(guid, 0x0042))?;
    let got = query_named(ctx, folder, p::query_flags::NO_IDS, Some(guid))?;
    ensure(
        got.iter().all(|(_, n)| matches!(n.name, NameId::String(_)) && n.guid == guid),
        "only MNID_STRING names of the GUID asked for",
        format!("{got:?}"),
    )?;
    eq("names", vec![(id, by_string)], got)
}

// S03/S04: streams.

fn open_stream_missing(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-streammissing")?;
    let (r, _, _) = open_stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_ONLY)?;
    ensure(r == EC_NOT_FOUND, format!("RopOpenStream ReadOnly: ReturnValue {}", code(EC_NOT_FOUND)), code(r))
}

fn stream_round_trip(ctx: &mut Ctx) -> CaseResult {
    let (msg, _) = message_with_stream(ctx, "oxcprpt-stream")?;
    eq(
        "PidTagTestBinary through the message",
        Some(PropValue::Binary(DATA.to_vec())),
        value(ctx, msg, PR_TEST_BINARY)?,
    )?;
    let (r, size) = stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_ONLY)?;
    eq("StreamSize", DATA.len() as u32, size)?;
    eq("the bytes read", DATA.to_vec(), read(ctx, r, 100)?)
}

fn stream_read_write(ctx: &mut Ctx) -> CaseResult {
    let (msg, _) = message_with_stream(ctx, "oxcprpt-streamrw")?;
    let (s, _) = stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_WRITE)?;
    eq("the first 4 bytes", DATA[..4].to_vec(), read(ctx, s, 4)?)?;
    write(ctx, s, b"XY")?;
    ok(ctx, s, "RopCommitStream", p::commit_stream(0))?;
    let mut expected = DATA.to_vec();
    expected[4..6].copy_from_slice(b"XY");
    eq(
        "the property after writing at offset 4",
        Some(PropValue::Binary(expected)),
        value(ctx, msg, PR_TEST_BINARY)?,
    )
}

fn write_read_only(ctx: &mut Ctx) -> CaseResult {
    let (msg, _) = message_with_stream(ctx, "oxcprpt-streamro")?;
    let (s, _) = stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_ONLY)?;
    let one = ctx.rop(&[s], p::write_stream(0, b"no"))?;
    expect_rv("RopWriteStream on a ReadOnly stream", &one.resp, STG_E_ACCESSDENIED)
}

fn open_stream_size(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-streamsize")?;
    set_ok(ctx, msg, vec![tv(PR_TEST_BINARY, PropValue::Binary(vec![7; 300]))])?;
    let (s, size) = stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_ONLY)?;
    eq("StreamSize", 300, size)?;
    eq("RopGetStreamSize", 300, stream_size(ctx, s)?)
}

fn seek_origins(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-seek")?;
    eq("NewPosition from the beginning", 3, seek(ctx, s, seek_origin::BEGINNING, 3)?)?;
    eq("NewPosition from the current position", 5, seek(ctx, s, seek_origin::CURRENT, 2)?)?;
    eq("the byte at 5", b"5".to_vec(), read(ctx, s, 1)?)?;
    eq("NewPosition from the end", DATA.len() as u64 - 2, seek(ctx, s, seek_origin::END, -2)?)?;
    eq("the last 2 bytes", DATA[DATA.len() - 2..].to_vec(), read(ctx, s, 10)?)
}

fn seek_beyond_2gb(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-seek2gb")?;
    let one = ctx.rop(&[s], p::seek_stream(0, seek_origin::BEGINNING, u32::MAX as i64))?;
    expect_rv("RopSeekStream beyond 2^31 bytes", &one.resp, STG_E_SEEKERROR)
}

fn seek_invalid_origin(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-seekorigin")?;
    let one = ctx.rop(&[s], p::seek_stream(0, 0x03, 0))?;
    // The error table of 3.2.5.18 is a SHOULD; gromox answers InvalidParameter
    // (exch/emsmdb/oxcprpt.cpp rop_seekstream).
    expect_rv_in("RopSeekStream with Origin 3", &one.resp, &[STG_E_INVALIDPARAMETER, EC_INVALID_PARAM])
}

fn seek_beyond_end(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-seekend")?;
    let len = DATA.len() as u64;
    eq("NewPosition 4 past the end", len + 4, seek(ctx, s, seek_origin::END, 4)?)?;
    write(ctx, s, b"Z")?;
    eq("RopGetStreamSize", len as u32 + 5, stream_size(ctx, s)?)?;
    seek(ctx, s, seek_origin::BEGINNING, len as i64)?;
    eq("the gap is zero-filled", b"\0\0\0\0Z".to_vec(), read(ctx, s, 10)?)
}

fn set_stream_size(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-streamsetsize")?;
    let len = DATA.len();
    ok(ctx, s, "RopSetStreamSize (grow)", p::set_stream_size(0, len as u64 + 3))?;
    eq("RopGetStreamSize after growing", len as u32 + 3, stream_size(ctx, s)?)?;
    seek(ctx, s, seek_origin::BEGINNING, len as i64)?;
    eq("the extension is zero-filled", vec![0u8; 3], read(ctx, s, 10)?)?;
    ok(ctx, s, "RopSetStreamSize (shrink)", p::set_stream_size(0, 4))?;
    eq("RopGetStreamSize after shrinking", 4, stream_size(ctx, s)?)?;
    seek(ctx, s, seek_origin::BEGINNING, 0)?;
    eq("what is left", DATA[..4].to_vec(), read(ctx, s, 100)?)
}

fn read_babe(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-babe")?;
    seek(ctx, s, seek_origin::BEGINNING, 0)?;
    let one = ctx.rop(&[s], p::read_stream(0, 0, Some(5)))?;
    eq(
        "the bytes read with MaximumByteCount 5",
        DATA[..5].to_vec(),
        body!(one.resp, ReadStream)?.data.clone(),
    )
}

fn copy_to_stream(ctx: &mut Ctx) -> CaseResult {
    let (msg, src) = message_with_stream(ctx, "oxcprpt-copystream")?;
    seek(ctx, src, seek_origin::BEGINNING, 0)?;
    let (dst, _) = stream(ctx, msg, PR_TEST_BINARY_2, open_mode::CREATE)?;
    let exec = ctx.rops(&[p::copy_to_stream(0, 1, 6)], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopCopyToStream response", "none"))?;
    let b = body!(r, CopyToStream)?;
    eq("(ReadByteCount, WrittenByteCount)", (6, 6), (b.read_byte_count, b.written_byte_count))?;
    seek(ctx, dst, seek_origin::BEGINNING, 0)?;
    eq("the destination stream", DATA[..6].to_vec(), read(ctx, dst, 100)?)?;
    eq("the source seek pointer moved", 6, seek(ctx, src, seek_origin::CURRENT, 0)?)
}

fn copy_to_stream_null(ctx: &mut Ctx) -> CaseResult {
    let (_, src) = message_with_stream(ctx, "oxcprpt-copystreamnull")?;
    let exec = ctx.rops(&[p::copy_to_stream(0, 1, 4)], vec![src, UNUSED_HANDLE])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopCopyToStream response", "none"))?;
    expect_rv("RopCopyToStream to an empty handle slot", r, EC_DST_NULL_OBJECT)?;
    let RopResponse::CopyToStream(o) = r else { return Err(fail("a RopCopyToStream response", "another")) };
    eq("DestHandleIndex", Some(1), o.body.as_ref().and_then(|b| b.dest_handle_index))
}

fn clone_stream(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-clone")?;
    seek(ctx, s, seek_origin::BEGINNING, 2)?;
    let one = ctx.rop(&[s], p::clone_stream(0, 1))?;
    if [EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED].contains(&rv(&one.resp)) {
        // R753 is optional (Exchange 2010 does not implement RopCloneStream).
        return Ok(());
    }
    expect_rv("RopCloneStream", &one.resp, 0)?;
    let c = one.out.ok_or_else(|| fail("a stream handle from RopCloneStream", "none"))?;
    eq("the clone starts at the original's seek pointer", b"23".to_vec(), read(ctx, c, 2)?)?;
    eq("the original's seek pointer did not move", 2, seek(ctx, s, seek_origin::CURRENT, 0)?)
}

fn lock_region(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-lock")?;
    let one = ctx.rop(&[s], p::lock_region(0, 0, 4, false))?;
    if [EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED].contains(&rv(&one.resp)) {
        // R750 is optional (only Exchange 2007 implements RopLockRegionStream).
        return Ok(());
    }
    expect_rv("RopLockRegionStream with no previous lock", &one.resp, 0)?;
    let one = ctx.rop(&[s], p::lock_region(0, 0, 4, true))?;
    expect_rv_in("RopUnlockRegionStream", &one.resp, &[0, EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED])
}

fn write_and_commit(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-writecommit")?;
    let (s, _) = stream(ctx, msg, PR_TEST_BINARY, open_mode::CREATE)?;
    let one = ctx.rop(&[s], p::write_and_commit_stream(0, b"committed"))?;
    if [EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED].contains(&rv(&one.resp)) {
        // R752 is optional (Exchange 2010 does not implement RopWriteAndCommitStream).
        return Ok(());
    }
    eq("WrittenSize", 9, body!(one.resp, WriteAndCommitStream)?.written_size)?;
    eq(
        "the property after the commit",
        Some(PropValue::Binary(b"committed".to_vec())),
        value(ctx, msg, PR_TEST_BINARY)?,
    )
}

fn attachment_stream(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-attstream")?;
    let att = new_attachment(ctx, msg)?;
    let (s, size) = stream(ctx, att, PR_ATTACH_DATA_BIN, open_mode::CREATE)?;
    eq("StreamSize of a new property", 0, size)?;
    write(ctx, s, DATA)?;
    ok(ctx, s, "RopCommitStream", p::commit_stream(0))?;
    eq("PidTagAttachDataBinary", Some(PropValue::Binary(DATA.to_vec())), value(ctx, att, PR_ATTACH_DATA_BIN)?)
}

fn open_stream_folder_string(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-folderstream")?;
    let (r, _, _) = open_stream(ctx, folder, PR_COMMENT_W, open_mode::CREATE)?;
    ensure(
        r == EC_NOT_SUPPORTED,
        format!("RopOpenStream on a folder's PtypString: {}", code(EC_NOT_SUPPORTED)),
        code(r),
    )
}

fn open_stream_integer(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-intstream")?;
    let (r, _, _) = open_stream(ctx, msg, PR_TEST_I32, open_mode::CREATE)?;
    ensure(
        r == EC_NOT_SUPPORTED,
        format!("RopOpenStream on a PtypInteger32 property: {}", code(EC_NOT_SUPPORTED)),
        code(r),
    )
}

fn read_stream_on_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-readmsg")?;
    let one = ctx.rop(&[msg], p::read_stream(0, 10, None))?;
    // gromox answers ecNotSupported (exch/emsmdb/oxcprpt.cpp); ecNullObject also names "no such
    // object of this kind".
    expect_rv_in("RopReadStream on a Message object", &one.resp, &[EC_NOT_SUPPORTED, EC_NULL_OBJECT])
}

fn copy_to_stream_read_only(ctx: &mut Ctx) -> CaseResult {
    let (msg, src) = message_with_stream(ctx, "oxcprpt-copystreamro")?;
    set_ok(ctx, msg, vec![tv(PR_TEST_BINARY_2, PropValue::Binary(b"keep".to_vec()))])?;
    let (dst, _) = stream(ctx, msg, PR_TEST_BINARY_2, open_mode::READ_ONLY)?;
    seek(ctx, src, seek_origin::BEGINNING, 0)?;
    let exec = ctx.rops(&[p::copy_to_stream(0, 1, 4)], vec![src, dst])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopCopyToStream response", "none"))?;
    expect_rv_in("RopCopyToStream into a ReadOnly stream", r, &[EC_ACCESS_DENIED, STG_E_ACCESSDENIED])
}

fn stream_release_persists(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-streamrelease")?;
    let exec = ctx.rops(
        &[
            p::open_stream(0, 1, PR_TEST_BINARY, open_mode::CREATE),
            p::write_stream(1, DATA),
            rops::release(1),
        ],
        vec![msg, UNUSED_HANDLE],
    )?;
    for r in &exec.responses {
        expect_rv("RopOpenStream / RopWriteStream", r, 0)?;
    }
    eq(
        "the property after RopRelease of the stream",
        Some(PropValue::Binary(DATA.to_vec())),
        value(ctx, msg, PR_TEST_BINARY)?,
    )
}

fn get_specific_size_limit(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-speclimit")?;
    let body = "y".repeat(200);
    set_ok(ctx, msg, vec![tv(PR_BODY_W, text(&body))])?;
    let one = ctx.rop(&[msg], p::get_props_with(0, &[PR_BODY_W], true, 16))?;
    let b = body!(one.resp, GetPropertiesSpecific)?;
    let Rows::Decoded { rows, .. } = &b.row else { return Err(fail("a decoded row", "undecodable bytes")) };
    match rows.first().and_then(|r| r.values.first()) {
        // R9070102 (Exchange 2010 and later): no error whatever the limit.
        Some(RowValue::Value(PropValue::Unicode(s))) if *s == body => Ok(()),
        // R63 / R86703: NotEnoughMemory in place of the value.
        Some(RowValue::Error { code: EC_NOT_ENOUGH_MEMORY, .. }) => Ok(()),
        other => Err(fail("the whole body, or the error NotEnoughMemory", format!("{other:?}"))),
    }
}

fn delete_not_persisted(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcprpt-delpersist")?;
    let msg = create_message(ctx, folder, fid)?;
    set_ok(ctx, msg, vec![tv(PR_SUBJECT_W, text("saved"))])?;
    let mid = save_mid(ctx, msg)?;
    ok(ctx, msg, "RopDeleteProperties", p::delete_props(0, &[PR_SUBJECT_W]))?;
    let other = reopen(ctx, folder, fid, mid)?;
    eq(
        "PidTagSubject through another handle before saving",
        Some(text("saved")),
        value(ctx, other, PR_SUBJECT_W)?,
    )?;
    save(ctx, msg)?;
    let fresh = reopen(ctx, folder, fid, mid)?;
    eq("PidTagSubject after RopSaveChangesMessage", None, value(ctx, fresh, PR_SUBJECT_W)?)
}

/// True when `resp` says the server leaves an optional ROP out (NotSupported, NotImplemented:
/// Exchange 2010 and later and gromox for the stream ROPs of MS-OXCPRPT <15>–<18>).
fn left_out(resp: &RopResponse) -> bool {
    [EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED].contains(&rv(resp))
}

fn clone_sees_changes(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = message_with_stream(ctx, "oxcprpt-clone-shares")?;
    seek(ctx, s, seek_origin::BEGINNING, 0)?;
    let one = ctx.rop(&[s], p::clone_stream(0, 1))?;
    if left_out(&one.resp) {
        return Ok(());
    }
    expect_rv("RopCloneStream", &one.resp, 0)?;
    let c = one.out.ok_or_else(|| fail("a stream handle from RopCloneStream", "none"))?;
    // Uncommitted writes through the original, then through the clone.
    write(ctx, s, b"XY")?;
    eq("the clone reads the original's write", b"XY2".to_vec(), read(ctx, c, 3)?)?;
    write(ctx, c, b"Z")?;
    seek(ctx, s, seek_origin::BEGINNING, 0)?;
    eq("the original reads the clone's write", b"XY2Z4".to_vec(), read(ctx, s, 5)?)?;
    eq("the clone's seek pointer is its own", 4, seek(ctx, c, seek_origin::CURRENT, 0)?)
}

fn clone_on_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-clone-message")?;
    let one = ctx.rop(&[msg], p::clone_stream(0, 1))?;
    crate::case::expect_failure("RopCloneStream on a Message object", &one.resp)
}

/// A message with [`DATA`] in the test property and two streams opened on it separately.
fn two_streams(ctx: &mut Ctx, name: &str) -> Result<(u32, u32), Verdict> {
    let (msg, a) = message_with_stream(ctx, name)?;
    let (b, _) = stream(ctx, msg, PR_TEST_BINARY, open_mode::READ_WRITE)?;
    Ok((a, b))
}

fn lock_conflict(ctx: &mut Ctx) -> CaseResult {
    let (a, b) = two_streams(ctx, "oxcprpt-lock-conflict")?;
    let one = ctx.rop(&[a], p::lock_region(0, 0, 8, false))?;
    if left_out(&one.resp) {
        return Ok(());
    }
    expect_rv("RopLockRegionStream with no previous lock", &one.resp, 0)?;
    let one = ctx.rop(&[b], p::lock_region(0, 4, 8, false))?;
    expect_rv("RopLockRegionStream over another stream's live lock", &one.resp, EC_ACCESS_DENIED)
}

fn unlock_frees(ctx: &mut Ctx) -> CaseResult {
    let (a, b) = two_streams(ctx, "oxcprpt-unlock")?;
    let one = ctx.rop(&[a], p::lock_region(0, 0, 8, false))?;
    if left_out(&one.resp) {
        return Ok(());
    }
    expect_rv("RopLockRegionStream", &one.resp, 0)?;
    ok(ctx, a, "RopUnlockRegionStream", p::lock_region(0, 0, 8, true))?;
    let one = ctx.rop(&[b], p::lock_region(0, 0, 8, false))?;
    expect_rv("RopLockRegionStream after the owner unlocked", &one.resp, 0)
}

fn lock_on_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-lock-message")?;
    let one = ctx.rop(&[msg], p::lock_region(0, 0, 8, false))?;
    crate::case::expect_failure("RopLockRegionStream on a Message object", &one.resp)
}

fn write_and_commit_on_message(ctx: &mut Ctx) -> CaseResult {
    let (_, msg) = new_message(ctx, "oxcprpt-writecommit-message")?;
    let one = ctx.rop(&[msg], p::write_and_commit_stream(0, b"x"))?;
    crate::case::expect_failure("RopWriteAndCommitStream on a Message object", &one.resp)
}

fn progress_idle(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-progress")?;
    let one = ctx.rop(&[folder], p::progress(0, 0))?;
    if left_out(&one.resp) {
        // MS-OXCPRPT <14>: the ROP is optional.
        return Ok(());
    }
    expect_rv("RopProgress", &one.resp, 0)?;
    let b = body!(one.resp, Progress)?;
    eq("LogonId", 0, b.logon_id)?;
    ensure(
        b.completed_task_count <= b.total_task_count,
        "CompletedTaskCount ≤ TotalTaskCount",
        format!("{} of {}", b.completed_task_count, b.total_task_count),
    )
}

fn progress_empty_slot(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-progress-slot")?;
    let exec = ctx.rops(&[p::progress(1, 0)], vec![folder, UNUSED_HANDLE])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopProgress response", "none"))?;
    crate::case::expect_failure("RopProgress on an empty handle slot", r)
}
