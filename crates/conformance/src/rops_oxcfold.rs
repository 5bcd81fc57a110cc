//! Request builders, constants and small fixtures for the MS-OXCFOLD cases (and the MS-OXCMSG
//! cases, which work inside folders too). Field values follow MS-OXCFOLD 2.2.1 and MS-OXCROPS
//! 2.2.4; every request uses `LogonId` 0 and `input`/`output` are handle-table slots.

use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Verdict, fail};
use crate::context::Ctx;
use crate::rops;

/// ReturnValues the folder and message cases expect (MS-OXCDATA 2.4).
pub mod ec {
    /// ecNullObject: the input handle does not refer to an object.
    pub const NULL_OBJECT: u32 = 0x0000_04B9;
    /// ecNotSearchFolder.
    pub const NOT_SEARCH_FOLDER: u32 = 0x0000_0461;
    /// ecDstNullObject: the destination handle of a move/copy is not valid.
    pub const DST_NULL_OBJECT: u32 = 0x0000_0503;
    /// ecNotSupported (MAPI_E_NO_SUPPORT).
    pub const NOT_SUPPORTED: u32 = 0x8004_0102;
    /// ecNotFound (MAPI_E_NOT_FOUND).
    pub const NOT_FOUND: u32 = 0x8004_010F;
    /// ecDuplicateName (MAPI_E_COLLISION).
    pub const DUPLICATE_NAME: u32 = 0x8004_0604;
    /// ecInvalidParam (E_INVALIDARG).
    pub const INVALID_PARAM: u32 = 0x8007_0057;
    /// ecAccessDenied.
    pub const ACCESS_DENIED: u32 = 0x8007_0005;
}

/// RopCreateFolder `FolderType` (MS-OXCFOLD 2.2.1.2.1).
pub mod folder_type {
    /// Generic folder.
    pub const GENERIC: u8 = 0x01;
    /// Search folder.
    pub const SEARCH: u8 = 0x02;
}

/// RopOpenFolder `OpenModeFlags` OpenSoftDeleted (MS-OXCFOLD 2.2.1.1.1).
pub const OPEN_SOFT_DELETED: u8 = 0x04;

/// `TableFlags` of RopGetHierarchyTable / RopGetContentsTable (MS-OXCFOLD 2.2.1.13.1,
/// 2.2.1.14.1).
pub mod table_flags {
    /// Associated: the contents table lists only FAI messages.
    pub const ASSOCIATED: u8 = 0x02;
    /// Depth: the hierarchy table lists folders from all levels.
    pub const DEPTH: u8 = 0x04;
    /// SoftDeletes: only soft-deleted rows.
    pub const SOFT_DELETES: u8 = 0x20;
    /// UseUnicode: string columns in Unicode.
    pub const USE_UNICODE: u8 = 0x40;
}

/// RopSetSearchCriteria `SearchFlags` (MS-OXCFOLD 2.2.1.4.1).
pub mod set_search {
    /// RESTART_SEARCH.
    pub const RESTART_SEARCH: u32 = 0x0000_0002;
    /// SHALLOW_SEARCH.
    pub const SHALLOW_SEARCH: u32 = 0x0000_0008;
    /// STATIC_SEARCH.
    pub const STATIC_SEARCH: u32 = 0x0004_0000;
}

/// RopGetSearchCriteria `SearchFlags` (MS-OXCFOLD 2.2.1.5.2).
pub mod get_search {
    /// SEARCH_RUNNING.
    pub const SEARCH_RUNNING: u32 = 0x0000_0001;
    /// SEARCH_REBUILD.
    pub const SEARCH_REBUILD: u32 = 0x0000_0002;
    /// SEARCH_RECURSIVE.
    pub const SEARCH_RECURSIVE: u32 = 0x0000_0004;
    /// SEARCH_COMPLETE.
    pub const SEARCH_COMPLETE: u32 = 0x0000_1000;
}

/// A FID or MID no server hands out, as Microsoft's suite sends it (`ulong.MaxValue`).
pub fn nonexistent_id() -> ObjectId {
    ObjectId::from_u64(u64::MAX)
}

/// RopCreateFolder with every field chosen.
pub fn create_folder_with(
    input: u8,
    output: u8,
    folder_type: u8,
    unicode: bool,
    open_existing: bool,
    name: &str,
    comment: &str,
) -> RopRequest {
    RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        folder_type,
        use_unicode_strings: unicode as u8,
        open_existing: open_existing as u8,
        reserved: 0,
        display_name: name.to_string(),
        comment: comment.to_string(),
    })
}

/// RopOpenFolder with `OpenModeFlags`.
pub fn open_folder_with(input: u8, output: u8, fid: ObjectId, flags: u8) -> RopRequest {
    RopRequest::OpenFolder(OpenFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        folder_id: fid,
        open_mode_flags: flags,
    })
}

/// RopMoveFolder (synchronous, Unicode name).
pub fn move_folder(source: u8, dest: u8, fid: ObjectId, new_name: &str) -> RopRequest {
    RopRequest::MoveFolder(MoveFolderRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        want_asynchronous: 0,
        use_unicode: 1,
        folder_id: fid,
        new_folder_name: new_name.to_string(),
    })
}

/// RopCopyFolder (synchronous, Unicode name).
pub fn copy_folder(source: u8, dest: u8, fid: ObjectId, recursive: bool, new_name: &str) -> RopRequest {
    RopRequest::CopyFolder(CopyFolderRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        want_asynchronous: 0,
        want_recursive: if recursive { 0xFF } else { 0 },
        use_unicode: 1,
        folder_id: fid,
        new_folder_name: new_name.to_string(),
    })
}

/// RopMoveCopyMessages (synchronous).
pub fn move_copy_messages(source: u8, dest: u8, mids: &[ObjectId], copy: bool) -> RopRequest {
    RopRequest::MoveCopyMessages(MoveCopyMessagesRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        message_ids: mids.to_vec(),
        want_asynchronous: 0,
        want_copy: if copy { 0xFF } else { 0 },
    })
}

fn delete_messages_request(input: u8, mids: &[ObjectId]) -> DeleteMessagesRequest {
    DeleteMessagesRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        notify_non_read: 0,
        message_ids: mids.to_vec(),
    }
}

/// RopDeleteMessages (synchronous, no non-read receipts).
pub fn delete_messages(input: u8, mids: &[ObjectId]) -> RopRequest {
    RopRequest::DeleteMessages(delete_messages_request(input, mids))
}

/// RopHardDeleteMessages (synchronous, no non-read receipts).
pub fn hard_delete_messages(input: u8, mids: &[ObjectId]) -> RopRequest {
    RopRequest::HardDeleteMessages(delete_messages_request(input, mids))
}

/// RopHardDeleteMessagesAndSubfolders (synchronous).
pub fn hard_delete_contents(input: u8, associated: bool) -> RopRequest {
    RopRequest::HardDeleteMessagesAndSubfolders(EmptyFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        want_delete_associated: if associated { 0xFF } else { 0 },
    })
}

/// RopSetSearchCriteria.
pub fn set_search_criteria(
    input: u8,
    restriction: Option<Restriction>,
    fids: &[ObjectId],
    flags: u32,
) -> RopRequest {
    RopRequest::SetSearchCriteria(SetSearchCriteriaRequest {
        logon_id: 0,
        input_handle_index: input,
        restriction,
        folder_ids: fids.to_vec(),
        search_flags: flags,
    })
}

/// RopGetSearchCriteria (Unicode strings).
pub fn get_search_criteria(input: u8, include_restriction: bool, include_folders: bool) -> RopRequest {
    RopRequest::GetSearchCriteria(GetSearchCriteriaRequest {
        logon_id: 0,
        input_handle_index: input,
        use_unicode: 1,
        include_restriction: include_restriction as u8,
        include_folders: include_folders as u8,
    })
}

/// The `RowCount` of the contents table (`contents`) or hierarchy table of folder handle
/// `folder` opened with `flags`.
pub fn table_count(ctx: &mut Ctx, folder: u32, contents: bool, flags: u8) -> Result<u32, Verdict> {
    if contents {
        let one = ctx.rop(&[folder], rops::contents_table(0, 1, flags))?;
        Ok(body!(one.resp, GetContentsTable)?.row_count)
    } else {
        let one = ctx.rop(&[folder], rops::hierarchy_table(0, 1, flags))?;
        Ok(body!(one.resp, GetHierarchyTable)?.row_count)
    }
}

/// Up to `count` rows of `columns` from the contents (`contents`) or hierarchy table of
/// `folder` opened with `flags`.
pub fn table_rows(
    ctx: &mut Ctx,
    folder: u32,
    contents: bool,
    flags: u8,
    columns: &[PropTag],
    count: u16,
) -> Result<Vec<PropertyRow>, Verdict> {
    let get = if contents { rops::contents_table(0, 1, flags) } else { rops::hierarchy_table(0, 1, flags) };
    let one = ctx.rop(&[folder], get)?;
    if rv_of(&one.resp) != 0 {
        return Err(fail("the table to open", format!("ReturnValue 0x{:08X}", rv_of(&one.resp))));
    }
    let table = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    rows_of(ctx, table, columns, count)
}

/// SetColumns `columns` on table handle `table`, then QueryRows `count` rows forward.
pub fn rows_of(
    ctx: &mut Ctx,
    table: u32,
    columns: &[PropTag],
    count: u16,
) -> Result<Vec<PropertyRow>, Verdict> {
    let exec = ctx.rops(&[rops::set_columns(0, columns), rops::query_rows(0, count, true)], vec![table])?;
    let [set, query] = exec.responses.as_slice() else {
        return Err(fail(
            "RopSetColumns and RopQueryRows responses",
            exec.decode_error.unwrap_or_else(|| format!("{} responses", exec.responses.len())),
        ));
    };
    body!(set.clone(), SetColumns)?;
    match &body!(query.clone(), QueryRows)?.rows {
        Rows::Decoded { rows, .. } => Ok(rows.clone()),
        Rows::Raw(_) => Err(fail("rows decodable with the columns set", "undecoded row bytes")),
    }
}

/// The `ReturnValue` of `r` (u32::MAX for responses without one).
pub fn rv_of(r: &RopResponse) -> u32 {
    crate::case::rv(r)
}

/// RopGetPropertiesSpecific of `tags` on `handle`: one cell per tag.
pub fn props(ctx: &mut Ctx, handle: u32, tags: &[PropTag]) -> Result<Vec<RowValue>, Verdict> {
    let one = ctx.rop(&[handle], rops::get_props(0, tags))?;
    match &body!(one.resp, GetPropertiesSpecific)?.row {
        Rows::Decoded { rows, .. } => {
            rows.first().map(|r| r.values.clone()).ok_or_else(|| fail("one property row", "none"))
        }
        Rows::Raw(_) => Err(fail("a decodable property row", "undecoded row bytes")),
    }
}

/// The value of `tag` on `handle`, `None` when the server has none (an error cell).
pub fn prop(ctx: &mut Ctx, handle: u32, tag: PropTag) -> Result<Option<PropValue>, Verdict> {
    Ok(props(ctx, handle, &[tag])?.into_iter().next().and_then(|c| c.value().cloned()))
}

/// A 32-bit integer property, failing when it is missing.
pub fn prop_i32(ctx: &mut Ctx, handle: u32, tag: PropTag) -> Result<i32, Verdict> {
    match prop(ctx, handle, tag)? {
        Some(PropValue::I32(v)) => Ok(v),
        other => Err(fail(format!("{tag} as a PtypInteger32 value"), format!("{other:?}"))),
    }
}

/// A Boolean property, failing when it is missing.
pub fn prop_bool(ctx: &mut Ctx, handle: u32, tag: PropTag) -> Result<bool, Verdict> {
    match prop(ctx, handle, tag)? {
        Some(PropValue::Bool(v)) => Ok(v),
        other => Err(fail(format!("{tag} as a PtypBoolean value"), format!("{other:?}"))),
    }
}

/// A string property (Unicode or 8-bit), failing when it is missing.
pub fn prop_text(ctx: &mut Ctx, handle: u32, tag: PropTag) -> Result<String, Verdict> {
    match prop(ctx, handle, tag)? {
        Some(v) => text_of(&v).ok_or_else(|| fail(format!("{tag} as a string"), format!("{v:?}"))),
        None => Err(fail(format!("{tag} present"), "no value")),
    }
}

/// The text of a string value.
pub fn text_of(v: &PropValue) -> Option<String> {
    match v {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// A new subfolder `name` of the folder open as `parent`: its FID and handle.
pub fn subfolder(ctx: &mut Ctx, parent: u32, name: &str) -> Result<(ObjectId, u32), Verdict> {
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, name, false))?;
    let b = body!(one.resp, CreateFolder)?;
    let h = one.out.ok_or_else(|| fail("an output handle from RopCreateFolder", "none"))?;
    Ok((b.folder_id, h))
}

/// RopOpenFolder of `fid` with `flags` through the logon object: the response.
pub fn open_folder_response(ctx: &mut Ctx, fid: ObjectId, flags: u8) -> Result<RopResponse, Verdict> {
    Ok(ctx.on_logon(open_folder_with(0, 1, fid, flags))?.resp)
}
