//! MS-OXCTABL: the table object protocol. Ported from Microsoft's MS-OXCTABL suite
//! (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCTABL: the scenarios S01 column ROPs
//! … S07 asynchronous ROPs, and the requirement capture of `Model/Model.cs`, whose numbers the
//! cases cite). Every table is a contents or hierarchy table of a new folder inside the suite's
//! own folder, filled with messages or subfolders the case creates. Where Microsoft's suite
//! sends a table ROP to a "invalid table", it uses a Folder object; so do the `…_on_folder`
//! cases.

use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{CaseResult, Protocol, Verdict, code, ensure, eq, expect_rv, expect_rv_in, fail, rv};
use crate::context::Ctx;
use crate::rops;
use crate::rops_oxctabl::{self as t, bookmark};

const P: Protocol = Protocol::OxcTabl;

/// ecNullObject (MS-OXCDATA 2.4.1).
const EC_NULL_OBJECT: u32 = codes::EC_NULL_OBJECT.0;
/// ecNotSupported.
const EC_NOT_SUPPORTED: u32 = codes::MAPI_E_NO_SUPPORT.0;
/// ecInvalidParam.
const EC_INVALID_PARAM: u32 = codes::MAPI_E_INVALID_PARAMETER.0;
/// ecInvalidBookmark.
const EC_INVALID_BOOKMARK: u32 = codes::MAPI_E_INVALID_BOOKMARK.0;
/// ecNotFound.
const EC_NOT_FOUND: u32 = codes::MAPI_E_NOT_FOUND.0;
/// ecUnableToAbort.
const EC_UNABLE_TO_ABORT: u32 = codes::MAPI_E_UNABLE_TO_ABORT.0;
/// ecTooComplex.
const EC_TOO_COMPLEX: u32 = 0x8004_0117;
/// ecNotExpanded.
const EC_NOT_EXPANDED: u32 = codes::EC_NOT_EXPANDED.0;
/// ecNotCollapsed.
const EC_NOT_COLLAPSED: u32 = codes::EC_NOT_COLLAPSED.0;

/// PidTagSubject (PtypString).
const PR_SUBJECT_W: PropTag = PropTag(0x0037_001F);
/// PidTagImportance (PtypInteger32).
const PR_IMPORTANCE: PropTag = PropTag(0x0017_0003);
/// PidTagDisplayName (PtypString).
const PR_DISPLAY_NAME_W: PropTag = PropTag(0x3001_001F);
/// PidTagInstID (PtypInteger64): the category id of a heading row (MS-OXCTABL 2.2.1.2).
const PR_INST_ID: PropTag = PropTag(0x674D_0014);
/// PidTagRowType (PtypInteger32, MS-OXCTABL 2.2.1.3).
const PR_ROW_TYPE: PropTag = PropTag(0x0FF5_0003);
/// PidTagDepth (PtypInteger32, MS-OXCTABL 2.2.1.4).
const PR_DEPTH: PropTag = PropTag(0x3005_0003);
/// PidTagRowType TBL_LEAF_ROW, TBL_EXPANDED_CATEGORY, TBL_COLLAPSED_CATEGORY (MS-OXCTABL
/// 2.2.1.3).
const TBL_LEAF_ROW: i32 = 0x01;
const TBL_EXPANDED_CATEGORY: i32 = 0x03;
const TBL_COLLAPSED_CATEGORY: i32 = 0x04;
/// PidTagInstanceNum (PtypInteger32).
const PR_INSTANCE_NUM: PropTag = PropTag(0x674E_0003);

/// The columns of the contents tables: subject, then importance.
const MSG_COLUMNS: &[PropTag] = &[PR_SUBJECT_W, PR_IMPORTANCE];
/// The columns of the hierarchy tables.
const FOLDER_COLUMNS: &[PropTag] = &[PR_DISPLAY_NAME_W];
/// PidTagRowType TBL_EXPANDED_CATEGORY and TBL_COLLAPSED_CATEGORY (MS-OXCTABL 2.2.1.3).
const HEADING_ROW_TYPES: &[i32] = &[0x03, 0x04];

/// A heading row of a categorized view: (PidTagInstID = CategoryId, PidTagImportance).
type Heading = (u64, i32);

/// A table on a new folder.
struct Table {
    /// The table's handle.
    table: u32,
}

// ---------------------------------------------------------------------------------------------
// Fixtures and small helpers.
// ---------------------------------------------------------------------------------------------

/// Creates and saves message `subject` with PidTagImportance `importance` in folder `fid`.
fn add_message(ctx: &mut Ctx, folder: u32, fid: ObjectId, subject: &str, importance: i32) -> CaseResult {
    let values = vec![
        TaggedValue { tag: PR_SUBJECT_W, value: PropValue::Unicode(subject.into()) },
        TaggedValue { tag: PR_IMPORTANCE, value: PropValue::I32(importance) },
    ];
    let exec = ctx.rops(
        &[
            rops::create_message(0, 1, fid, false),
            rops::set_props(1, values),
            rops::save_message(1, 1, rops::save_flags::KEEP_OPEN_READ_ONLY),
            rops::release(1),
        ],
        vec![folder, UNUSED_HANDLE],
    )?;
    for (what, r) in
        ["RopCreateMessage", "RopSetProperties", "RopSaveChangesMessage"].iter().zip(&exec.responses)
    {
        expect_rv(what, r, 0)?;
    }
    ensure(exec.responses.len() == 3, "3 responses to create a message", format!("{}", exec.responses.len()))
}

/// A new folder with messages `m0`… (importance `i % 3`) and its contents table, without
/// columns.
fn contents(ctx: &mut Ctx, name: &str, n: usize) -> Result<Table, Verdict> {
    let (fid, folder) = ctx.new_folder(name)?;
    for i in 0..n {
        add_message(ctx, folder, fid, &format!("m{i}"), (i % 3) as i32)?;
    }
    let one = ctx.rop(&[folder], rops::contents_table(0, 1, 0))?;
    let count = body!(one.resp, GetContentsTable)?.row_count;
    eq("RopGetContentsTable RowCount", n as u32, count)?;
    let table = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    Ok(Table { table })
}

/// [`contents`] with the columns [`MSG_COLUMNS`] set.
fn contents_with_columns(ctx: &mut Ctx, name: &str, n: usize) -> Result<Table, Verdict> {
    let t = contents(ctx, name, n)?;
    set_columns(ctx, t.table, MSG_COLUMNS)?;
    Ok(t)
}

/// A new folder with subfolders `f0`… and its hierarchy table with [`FOLDER_COLUMNS`].
fn hierarchy(ctx: &mut Ctx, name: &str, n: usize) -> Result<Table, Verdict> {
    let (_, folder) = ctx.new_folder(name)?;
    for i in 0..n {
        let one = ctx.rop(&[folder], rops::create_folder(0, 1, &format!("f{i}"), false))?;
        expect_rv("RopCreateFolder", &one.resp, 0)?;
    }
    let one = ctx.rop(&[folder], rops::hierarchy_table(0, 1, 0))?;
    let count = body!(one.resp, GetHierarchyTable)?.row_count;
    eq("RopGetHierarchyTable RowCount", n as u32, count)?;
    let table = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    set_columns(ctx, table, FOLDER_COLUMNS)?;
    Ok(Table { table })
}

/// One request on `handle` that must succeed.
fn ok(
    ctx: &mut Ctx,
    handle: u32,
    what: &str,
    req: oxmapi_wire::rop::request::RopRequest,
) -> Result<RopResponse, Verdict> {
    let one = ctx.rop(&[handle], req)?;
    expect_rv(what, &one.resp, 0)?;
    Ok(one.resp)
}

/// RopSetColumns that must succeed with TableStatus TBLSTAT_COMPLETE (MS-OXCTABL 2.2.2.2.2).
fn set_columns(ctx: &mut Ctx, table: u32, cols: &[PropTag]) -> CaseResult {
    let one = ctx.rop(&[table], rops::set_columns(0, cols))?;
    let b = body!(one.resp, SetColumns)?;
    eq("RopSetColumns TableStatus", t::TBLSTAT_COMPLETE, b.table_status)
}

/// The first column of every row, as text.
fn first_column(rows: &Rows) -> Result<Vec<String>, Verdict> {
    let Rows::Decoded { rows, .. } = rows else { return Err(fail("decoded rows", "undecodable row data")) };
    rows.iter()
        .map(|r| match r.values.first() {
            Some(RowValue::Value(PropValue::Unicode(s))) => Ok(s.clone()),
            other => Err(fail("a PtypString value in the first column", format!("{other:?}"))),
        })
        .collect()
}

/// RopQueryRows that must succeed: `Origin` and the first column of the rows.
fn query(
    ctx: &mut Ctx,
    table: u32,
    flags: u8,
    count: u16,
    forward: bool,
) -> Result<(u8, Vec<String>), Verdict> {
    let one = ctx.rop(&[table], t::query_rows_with(0, flags, count, forward))?;
    let b = body!(one.resp, QueryRows)?;
    eq("RowCount = rows in RowData", b.row_count as usize, b.rows.len())?;
    Ok((b.origin, first_column(&b.rows)?))
}

/// RopQueryPosition that must succeed: (`Numerator`, `Denominator`).
fn position(ctx: &mut Ctx, table: u32) -> Result<(u32, u32), Verdict> {
    let one = ctx.rop(&[table], t::query_position(0))?;
    let b = body!(one.resp, QueryPosition)?;
    Ok((b.numerator, b.denominator))
}

/// RopSeekRow that must succeed: (`HasSoughtLess`, `RowsSought`).
fn seek(ctx: &mut Ctx, table: u32, origin: u8, rows: i32) -> Result<(u8, i32), Verdict> {
    let one = ctx.rop(&[table], t::seek_row(0, origin, rows))?;
    let b = body!(one.resp, SeekRow)?;
    Ok((b.has_sought_less, b.rows_sought))
}

/// RopCreateBookmark that must succeed.
fn create_bookmark(ctx: &mut Ctx, table: u32) -> Result<Vec<u8>, Verdict> {
    let one = ctx.rop(&[table], t::create_bookmark(0))?;
    let b = body!(one.resp, CreateBookmark)?;
    ensure(!b.bookmark.is_empty(), "a non-empty Bookmark", "an empty one")?;
    Ok(b.bookmark.clone())
}

/// Expects the strings `expected` in this order.
fn rows_eq(what: &str, expected: &[&str], got: &[String]) -> CaseResult {
    let got: Vec<&str> = got.iter().map(String::as_str).collect();
    eq(what, expected.to_vec(), got)
}

/// A table ROP sent to a Folder object must fail with ecNotSupported.
fn on_folder(
    ctx: &mut Ctx,
    name: &str,
    what: &str,
    req: oxmapi_wire::rop::request::RopRequest,
) -> CaseResult {
    let (_, folder) = ctx.new_folder(name)?;
    let one = ctx.rop(&[folder], req)?;
    expect_rv(&format!("{what} on a Folder object"), &one.resp, EC_NOT_SUPPORTED)
}

/// `subject == s` (MS-OXCDATA 2.12.5).
fn subject_is(s: &str) -> oxmapi_core::restriction::Restriction {
    t::equals(PR_SUBJECT_W, PropValue::Unicode(s.into()))
}

/// Descending sort on the subject.
fn by_subject_descending() -> SortOrderSet {
    SortOrderSet::plain(vec![SortOrder { tag: PR_SUBJECT_W, direction: SortDirection::Descend }])
}

// ---------------------------------------------------------------------------------------------
// The cases.
// ---------------------------------------------------------------------------------------------

crate::case_table! {
    P;
    "oxctabl_set_columns_rows_follow_the_columns", "MS-OXCTABL 3.2.5.2, 2.2.2.5.2",
        ["MS-OXCTABL_R831", "MS-OXCTABL_R45", "MS-OXCTABL_R426", "MS-OXCTABL_R427", "MS-OXCTABL_R472", "MS-OXCTABL_R116"],
        set_columns_rows_follow;
    "oxctabl_set_columns_on_hierarchy_table", "MS-OXCTABL 3.2.5.2",
        ["MS-OXCTABL_R829", "MS-OXCTABL_R835"], set_columns_hierarchy;
    "oxctabl_set_columns_unspecified_type_invalid_param", "MS-OXCTABL 3.2.5.2",
        ["MS-OXCTABL_R435"], set_columns_unspecified;
    "oxctabl_set_columns_error_type_invalid_param", "MS-OXCTABL 3.2.5.2",
        ["MS-OXCTABL_R435"], set_columns_error_type;
    "oxctabl_set_columns_on_folder_not_supported", "MS-OXCTABL 3.2.5.2",
        ["MS-OXCTABL_R436"], set_columns_on_folder;
    "oxctabl_failed_set_columns_invalidates_column_set", "MS-OXCTABL 3.2.5.2, 3.2.5.5",
        ["MS-OXCTABL_R610", "MS-OXCTABL_R867"], failed_set_columns;
    "oxctabl_query_columns_all_contents_table", "MS-OXCTABL 3.2.5.13",
        ["MS-OXCTABL_R876"], query_columns_all_contents;
    "oxctabl_query_columns_all_hierarchy_table", "MS-OXCTABL 3.2.5.13",
        ["MS-OXCTABL_R875"], query_columns_all_hierarchy;
    "oxctabl_query_columns_all_on_folder_not_supported", "MS-OXCTABL 3.2.5.13",
        ["MS-OXCTABL_R533", "MS-OXCTABL_R218"], query_columns_all_on_folder;
    "oxctabl_query_rows_before_set_columns_fails", "MS-OXCTABL 3.2.5.5",
        ["MS-OXCTABL_R866", "MS-OXCTABL_R867", "MS-OXCTABL_R768"], query_rows_before_set_columns;
    "oxctabl_query_rows_forward_to_the_end", "MS-OXCTABL 3.2.5.5, 2.2.2.1.1",
        ["MS-OXCTABL_R468", "MS-OXCTABL_R725", "MS-OXCTABL_R29", "MS-OXCTABL_R118", "MS-OXCTABL_R837"],
        query_rows_forward_to_end;
    "oxctabl_query_rows_forward_partial_origin_current", "MS-OXCTABL 3.2.5.5, 2.2.2.1.1",
        ["MS-OXCTABL_R726", "MS-OXCTABL_R28", "MS-OXCTABL_R462"], query_rows_partial;
    "oxctabl_query_rows_backward", "MS-OXCTABL 3.2.5.5",
        ["MS-OXCTABL_R469", "MS-OXCTABL_R896", "MS-OXCTABL_R897"], query_rows_backward;
    "oxctabl_query_rows_no_advance_keeps_the_cursor", "MS-OXCTABL 3.2.5.5",
        ["MS-OXCTABL_R470", "MS-OXCTABL_R27"], query_rows_no_advance;
    "oxctabl_query_rows_zero_rows_only_at_the_end", "MS-OXCTABL 3.2.5.5",
        ["MS-OXCTABL_R467"], query_rows_zero_at_end;
    "oxctabl_query_rows_on_folder_not_supported", "MS-OXCTABL 3.2.5.5",
        ["MS-OXCTABL_R477", "MS-OXCTABL_R614"], query_rows_on_folder;
    "oxctabl_query_position_contents_table", "MS-OXCTABL 3.2.5.8",
        ["MS-OXCTABL_R491", "MS-OXCTABL_R846"], query_position_contents;
    "oxctabl_query_position_hierarchy_table", "MS-OXCTABL 3.2.5.8",
        ["MS-OXCTABL_R491", "MS-OXCTABL_R844"], query_position_hierarchy;
    "oxctabl_query_position_on_folder_not_supported", "MS-OXCTABL 3.2.5.8",
        ["MS-OXCTABL_R495", "MS-OXCTABL_R612"], query_position_on_folder;
    "oxctabl_seek_row_forward", "MS-OXCTABL 3.2.5.9, 2.2.2.9",
        ["MS-OXCTABL_R496", "MS-OXCTABL_R141", "MS-OXCTABL_R150", "MS-OXCTABL_R155", "MS-OXCTABL_R850"],
        seek_row_forward;
    "oxctabl_seek_row_past_the_end_sought_less", "MS-OXCTABL 3.2.5.9, 2.2.2.9.2",
        ["MS-OXCTABL_R154", "MS-OXCTABL_R157", "MS-OXCTABL_R163", "MS-OXCTABL_R497", "MS-OXCTABL_R152"],
        seek_row_past_end;
    "oxctabl_seek_row_backward_from_the_end", "MS-OXCTABL 3.2.5.9",
        ["MS-OXCTABL_R497", "MS-OXCTABL_R154"], seek_row_backward;
    "oxctabl_seek_row_from_current", "MS-OXCTABL 3.2.5.9, 2.2.2.1.1",
        ["MS-OXCTABL_R141", "MS-OXCTABL_R496", "MS-OXCTABL_R28"], seek_row_current;
    "oxctabl_seek_row_on_folder_not_supported", "MS-OXCTABL 3.2.5.9",
        ["MS-OXCTABL_R142", "MS-OXCTABL_R502"], seek_row_on_folder;
    "oxctabl_seek_row_fractional_beginning_and_end", "MS-OXCTABL 3.2.5.11",
        ["MS-OXCTABL_R514", "MS-OXCTABL_R515", "MS-OXCTABL_R855", "MS-OXCTABL_R910"], seek_row_fractional;
    "oxctabl_seek_row_fractional_on_folder_not_supported", "MS-OXCTABL 3.2.5.11",
        ["MS-OXCTABL_R521", "MS-OXCTABL_R200"], seek_row_fractional_on_folder;
    "oxctabl_find_row_forward", "MS-OXCTABL 3.2.5.14, 2.2.2.14",
        ["MS-OXCTABL_R534", "MS-OXCTABL_R243", "MS-OXCTABL_R225", "MS-OXCTABL_R540", "MS-OXCTABL_R859"],
        find_row_forward;
    "oxctabl_find_row_backward", "MS-OXCTABL 3.2.5.14, 2.2.2.14.1",
        ["MS-OXCTABL_R226", "MS-OXCTABL_R534"], find_row_backward;
    "oxctabl_find_row_from_custom_bookmark", "MS-OXCTABL 3.2.5.14, 2.2.2.14.2",
        ["MS-OXCTABL_R239", "MS-OXCTABL_R522"], find_row_from_bookmark;
    "oxctabl_find_row_not_found", "MS-OXCTABL 3.2.5.14, 2.2.2.14.2",
        ["MS-OXCTABL_R243", "MS-OXCTABL 3.2.5.14 (no matching row: ecNotFound, as gromox answers)"],
        find_row_not_found;
    "oxctabl_find_row_before_set_columns_fails", "MS-OXCTABL 3.2.5.14",
        ["MS-OXCTABL_R827", "MS-OXCTABL_R539"], find_row_before_set_columns;
    "oxctabl_find_row_hierarchy_table", "MS-OXCTABL 3.2.5.14, 2.2.2.14.2",
        ["MS-OXCTABL_R858", "MS-OXCTABL_R608"], find_row_hierarchy;
    "oxctabl_find_row_on_folder_not_supported", "MS-OXCTABL 3.2.5.14",
        ["MS-OXCTABL_R682"], find_row_on_folder;
    "oxctabl_seek_row_bookmark", "MS-OXCTABL 3.2.5.10, 3.2.5.12, 2.2.2.10",
        ["MS-OXCTABL_R522", "MS-OXCTABL_R504", "MS-OXCTABL_R166", "MS-OXCTABL_R178", "MS-OXCTABL_R188",
         "MS-OXCTABL_R183", "MS-OXCTABL_R503", "MS-OXCTABL_R508", "MS-OXCTABL_R526"], seek_row_bookmark;
    "oxctabl_seek_row_bookmark_past_the_end", "MS-OXCTABL 3.2.5.10, 2.2.2.10.2",
        ["MS-OXCTABL_R180", "MS-OXCTABL_R187"], seek_row_bookmark_past_end;
    "oxctabl_bookmarks_on_hierarchy_table", "MS-OXCTABL 3.2.5.10, 3.2.5.12, 3.2.5.15",
        ["MS-OXCTABL_R852", "MS-OXCTABL_R857", "MS-OXCTABL_R547"], bookmarks_hierarchy;
    "oxctabl_free_bookmark_then_invalid", "MS-OXCTABL 3.2.5.15, 3.2.5.10",
        ["MS-OXCTABL_R545", "MS-OXCTABL_R549", "MS-OXCTABL_R2481", "MS-OXCTABL_R5521", "MS-OXCTABL_R511"],
        free_bookmark_then_invalid;
    "oxctabl_bookmark_invalid_after_sort_table", "MS-OXCTABL 3.2.5.3, 3.2.5.10",
        ["MS-OXCTABL_R904", "MS-OXCTABL_R864"], bookmark_after_sort;
    "oxctabl_bookmark_invalid_after_restrict", "MS-OXCTABL 3.2.5.4, 3.2.5.10",
        ["MS-OXCTABL_R906", "MS-OXCTABL_R865", "MS-OXCTABL_R453"], bookmark_after_restrict;
    "oxctabl_find_row_after_invalid_bookmark", "MS-OXCTABL 3.2.5.14",
        ["MS-OXCTABL_R898"], find_row_after_invalid_bookmark;
    "oxctabl_seek_row_bookmark_before_set_columns_fails", "MS-OXCTABL 3.2.5.10",
        ["MS-OXCTABL_R8276"], seek_row_bookmark_before_set_columns;
    "oxctabl_free_bookmark_before_set_columns_fails", "MS-OXCTABL 3.2.5.15",
        ["MS-OXCTABL_R8274"], free_bookmark_before_set_columns;
    "oxctabl_create_bookmark_on_folder_not_supported", "MS-OXCTABL 3.2.5.12",
        ["MS-OXCTABL_R209"], create_bookmark_on_folder;
    "oxctabl_collapse_and_expand_category", "MS-OXCTABL 3.2.5.17, 3.2.5.18",
        ["MS-OXCTABL_R567", "MS-OXCTABL_R568", "MS-OXCTABL_R573", "MS-OXCTABL_R574"], collapse_and_expand;
    "oxctabl_expand_collapse_errors", "MS-OXCTABL 3.2.5.17, 3.2.5.18",
        ["MS-OXCTABL_R570", "MS-OXCTABL_R571", "MS-OXCTABL_R576", "MS-OXCTABL_R577"], expand_collapse_errors;
    "oxctabl_collapse_state_round_trip", "MS-OXCTABL 3.2.5.19, 3.2.5.20",
        ["MS-OXCTABL_R579", "MS-OXCTABL_R582", "MS-OXCTABL_R585", "MS-OXCTABL_R588", "MS-OXCTABL_R289", "MS-OXCTABL_R304"],
        collapse_state_round_trip;
    "oxctabl_categorized_depths", "MS-OXCTABL 2.2.1.3, 2.2.1.4, 2.2.2.13",
        ["MS-OXCTABL_R13", "MS-OXCTABL_R15", "MS-OXCTABL_R17", "MS-OXCTABL_R19", "MS-OXCTABL_R620"],
        categorized_depths;
    "oxctabl_categories_not_expanded_start_collapsed", "MS-OXCTABL 2.2.1.3, 2.2.2.13",
        ["MS-OXCTABL_R18", "MS-OXCTABL_R13"], categories_start_collapsed;
    "oxctabl_expand_row_returns_the_category_rows", "MS-OXCTABL 2.2.2.17, 3.2.5.17",
        ["MS-OXCTABL_R567", "MS-OXCTABL_R814", "MS-OXCTABL_R825", "MS-OXCTABL_R748"], expand_row_returns_rows;
    "oxctabl_get_collapse_state_before_set_columns_fails", "MS-OXCTABL 3.2.5.19",
        ["MS-OXCTABL_R8275"], get_collapse_state_before_set_columns;
    "oxctabl_expand_collapse_on_hierarchy_not_supported", "MS-OXCTABL 3.2.5.17, 3.2.5.18",
        ["MS-OXCTABL_R572", "MS-OXCTABL_R578"], expand_collapse_on_hierarchy;
    "oxctabl_collapse_state_on_hierarchy_not_supported", "MS-OXCTABL 3.2.5.19, 3.2.5.20",
        ["MS-OXCTABL_R584", "MS-OXCTABL_R590"], collapse_state_on_hierarchy;
    "oxctabl_reset_table_removes_restriction_and_rewinds", "MS-OXCTABL 3.2.5.16",
        ["MS-OXCTABL_R555", "MS-OXCTABL_R556", "MS-OXCTABL_R561", "MS-OXCTABL_R564"], reset_table_restriction;
    "oxctabl_reset_table_removes_the_column_set", "MS-OXCTABL 3.2.5.16, 3.1.5, 3.2.5.5",
        ["MS-OXCTABL 3.1.5 (after RopResetTable, RopSetColumns MUST come before querying)", "MS-OXCTABL_R867"], reset_table_columns;
    "oxctabl_reset_table_invalidates_bookmarks", "MS-OXCTABL 3.2.5.16, 3.2.5.10",
        ["MS-OXCTABL_R562", "MS-OXCTABL_R908"], reset_table_bookmarks;
    "oxctabl_reset_table_on_hierarchy_not_supported", "MS-OXCTABL 3.2.5.16",
        ["MS-OXCTABL_R566"], reset_table_hierarchy;
    "oxctabl_sort_table_descending", "MS-OXCTABL 3.2.5.3",
        ["MS-OXCTABL_R437", "MS-OXCTABL_R447"], sort_table_descending;
    "oxctabl_sort_table_rewinds_the_cursor", "MS-OXCTABL 3.2.5.3",
        ["MS-OXCTABL 3.2.5.3 (RopSortTable MUST move the cursor position to the beginning of the table)"],
        sort_table_rewinds;
    "oxctabl_sort_table_on_hierarchy_not_supported", "MS-OXCTABL 3.2.5.3",
        ["MS-OXCTABL_R450"], sort_table_hierarchy;
    "oxctabl_restrict_contents_table", "MS-OXCTABL 3.2.5.4",
        ["MS-OXCTABL_R834", "MS-OXCTABL_R453"], restrict_contents;
    "oxctabl_restrict_removed", "MS-OXCTABL 3.2.5.4, 2.2.2.4.1",
        ["MS-OXCTABL_R834", "MS-OXCTABL_R118"], restrict_removed;
    "oxctabl_restrict_hierarchy_table", "MS-OXCTABL 3.2.5.4",
        ["MS-OXCTABL_R833"], restrict_hierarchy;
    "oxctabl_set_columns_asynchronous", "MS-OXCTABL 3.2.5.1, 3.2.5.2, 2.2.2.1.3",
        ["MS-OXCTABL 3.2.5.1 (TBL_ASYNC: run now or in the background; RopGetStatus reports TBLSTAT_COMPLETE when done)"],
        set_columns_async;
    "oxctabl_sort_table_asynchronous", "MS-OXCTABL 3.2.5.1, 3.2.5.3, 2.2.2.1.3",
        ["MS-OXCTABL 3.2.5.1 (TBL_ASYNC: run now or in the background; RopGetStatus reports TBLSTAT_COMPLETE when done)"],
        sort_table_async;
    "oxctabl_restrict_asynchronous", "MS-OXCTABL 3.2.5.1, 3.2.5.4, 2.2.2.1.3",
        ["MS-OXCTABL 3.2.5.1 (TBL_ASYNC: run now or in the background; RopGetStatus reports TBLSTAT_COMPLETE when done)"],
        restrict_async;
    "oxctabl_get_status_complete", "MS-OXCTABL 3.2.5.7, 2.2.2.1.3",
        ["MS-OXCTABL_R842", "MS-OXCTABL_R840"], get_status_complete;
    "oxctabl_abort_with_nothing_to_abort", "MS-OXCTABL 3.2.5.6",
        ["MS-OXCTABL_R483", "MS-OXCTABL_R839", "MS-OXCTABL 3.2.5.6 (no asynchronous operation: ecUnableToAbort)"],
        abort_nothing;
    "oxctabl_get_status_on_folder_not_supported", "MS-OXCTABL 3.2.5.7",
        ["MS-OXCTABL_R490", "MS-OXCTABL_R129"], get_status_on_folder;
    "oxctabl_abort_on_folder_not_supported", "MS-OXCTABL 3.2.5.6",
        ["MS-OXCTABL_R124"], abort_on_folder;
}

// S01: column ROPs.

fn set_columns_rows_follow(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-columns", 3)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 10, true))?;
    let b = body!(one.resp, QueryRows)?;
    let Rows::Decoded { rows, .. } = &b.rows else { return Err(fail("decoded rows", "undecodable rows")) };
    eq("rows", 3, rows.len())?;
    for (i, row) in rows.iter().enumerate() {
        eq("cells per row (the columns set)", 2, row.values.len())?;
        eq("first cell (PidTagSubject)", Some(&PropValue::Unicode(format!("m{i}"))), row.values[0].value())?;
        eq("second cell (PidTagImportance)", Some(&PropValue::I32((i % 3) as i32)), row.values[1].value())?;
    }
    // A new column set applies to the next rows (R427): importance first.
    set_columns(ctx, tb.table, &[PR_IMPORTANCE, PR_SUBJECT_W])?;
    seek(ctx, tb.table, bookmark::BEGINNING, 0)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 1, true))?;
    let b = body!(one.resp, QueryRows)?;
    let Rows::Decoded { rows, .. } = &b.rows else { return Err(fail("decoded rows", "undecodable rows")) };
    let first = rows.first().ok_or_else(|| fail("a row", "none"))?;
    eq("first cell after the new RopSetColumns", Some(&PropValue::I32(0)), first.values[0].value())
}

fn set_columns_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hcolumns", 2)?;
    let (_, mut names) = query(ctx, tb.table, 0, 10, true)?;
    names.sort();
    rows_eq("display names", &["f0", "f1"], &names)
}

fn set_columns_unspecified(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-unspec", 1)?;
    let one = ctx.rop(&[tb.table], rops::set_columns(0, &[PR_SUBJECT_W, PropTag(0x0017_0000)]))?;
    expect_rv("RopSetColumns with a PT_UNSPECIFIED column", &one.resp, EC_INVALID_PARAM)
}

fn set_columns_error_type(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-pterror", 1)?;
    let one = ctx.rop(&[tb.table], rops::set_columns(0, &[PR_SUBJECT_W, PropTag(0x0017_000A)]))?;
    expect_rv("RopSetColumns with a PT_ERROR column", &one.resp, EC_INVALID_PARAM)
}

fn set_columns_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-setcol-folder", "RopSetColumns", rops::set_columns(0, MSG_COLUMNS))
}

fn failed_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-failcol", 2)?;
    let one = ctx.rop(&[tb.table], rops::set_columns(0, &[PropTag(0x0037_0000)]))?;
    expect_rv("RopSetColumns with a PT_UNSPECIFIED column", &one.resp, EC_INVALID_PARAM)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 10, true))?;
    expect_rv("RopQueryRows after a failed RopSetColumns", &one.resp, EC_NULL_OBJECT)
}

/// The property ids of RopQueryColumnsAll on `table`.
fn all_columns(ctx: &mut Ctx, table: u32) -> Result<Vec<u16>, Verdict> {
    let one = ctx.rop(&[table], t::query_columns_all(0))?;
    Ok(body!(one.resp, QueryColumnsAll)?.property_tags.iter().map(|t| t.id()).collect())
}

fn query_columns_all_contents(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-qca", 2)?;
    let ids = all_columns(ctx, tb.table)?;
    ensure(
        ids.contains(&PR_SUBJECT_W.id()) && ids.contains(&PR_IMPORTANCE.id()),
        "PidTagSubject and PidTagImportance (set on every row) among the columns",
        format!("{} columns without them", ids.len()),
    )
}

fn query_columns_all_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hqca", 1)?;
    let ids = all_columns(ctx, tb.table)?;
    ensure(
        ids.contains(&PR_DISPLAY_NAME_W.id()),
        "PidTagDisplayName among the columns",
        format!("{} columns without it", ids.len()),
    )
}

fn query_columns_all_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-qca-folder", "RopQueryColumnsAll", t::query_columns_all(0))
}

// S02: row ROPs.

fn query_rows_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-nocols", 1)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 10, true))?;
    expect_rv("RopQueryRows before RopSetColumns", &one.resp, EC_NULL_OBJECT)
}

fn query_rows_forward_to_end(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-fwd", 3)?;
    let (origin, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("subjects", &["m0", "m1", "m2"], &rows)?;
    eq("Origin (no more rows: BOOKMARK_END)", bookmark::END, origin)
}

fn query_rows_partial(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-part", 3)?;
    let (origin, rows) = query(ctx, tb.table, 0, 2, true)?;
    rows_eq("subjects", &["m0", "m1"], &rows)?;
    eq("Origin (more rows: BOOKMARK_CURRENT)", bookmark::CURRENT, origin)?;
    let (_, rows) = query(ctx, tb.table, 0, 2, true)?;
    rows_eq("the next rows start at the cursor", &["m2"], &rows)
}

fn query_rows_backward(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-back", 3)?;
    seek(ctx, tb.table, bookmark::END, 0)?;
    let (_, mut rows) = query(ctx, tb.table, 0, 2, false)?;
    rows.sort();
    rows_eq("the 2 rows before the end", &["m1", "m2"], &rows)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, false)?;
    rows_eq("the rest, reading backward", &["m0"], &rows)?;
    let (origin, rows) = query(ctx, tb.table, 0, 10, false)?;
    eq("rows at the beginning", 0, rows.len())?;
    // R896 (Exchange 2007): BOOKMARK_BEGINNING; R897 (Exchange 2010 and later): BOOKMARK_END.
    ensure(
        origin == bookmark::BEGINNING || origin == bookmark::END,
        "Origin BOOKMARK_BEGINNING or BOOKMARK_END when no rows are left backward",
        format!("Origin {origin}"),
    )?;
    eq("QueryPosition Numerator", 0, position(ctx, tb.table)?.0)
}

fn query_rows_no_advance(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-noadv", 3)?;
    let (_, first) = query(ctx, tb.table, t::query_rows_flags::NO_ADVANCE, 2, true)?;
    rows_eq("subjects", &["m0", "m1"], &first)?;
    eq("QueryPosition Numerator after NoAdvance", 0, position(ctx, tb.table)?.0)?;
    let (_, again) = query(ctx, tb.table, t::query_rows_flags::ADVANCE, 2, true)?;
    rows_eq("the same rows again", &["m0", "m1"], &again)?;
    eq("QueryPosition Numerator after Advance", 2, position(ctx, tb.table)?.0)
}

fn query_rows_zero_at_end(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-zero", 2)?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    eq("rows while rows remain", 1, rows.len())?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    eq("rows while rows remain", 1, rows.len())?;
    let (origin, rows) = query(ctx, tb.table, 0, 1, true)?;
    eq("rows at the end", 0, rows.len())?;
    eq("Origin at the end", bookmark::END, origin)
}

fn query_rows_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-qr-folder", "RopQueryRows", rops::query_rows(0, 10, true))
}

fn query_position_contents(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-pos", 3)?;
    eq("(Numerator, Denominator) at the start", (0, 3), position(ctx, tb.table)?)?;
    query(ctx, tb.table, 0, 2, true)?;
    eq("(Numerator, Denominator) after 2 rows", (2, 3), position(ctx, tb.table)?)
}

fn query_position_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hpos", 2)?;
    eq("(Numerator, Denominator) at the start", (0, 2), position(ctx, tb.table)?)?;
    query(ctx, tb.table, 0, 1, true)?;
    eq("(Numerator, Denominator) after 1 row", (1, 2), position(ctx, tb.table)?)
}

fn query_position_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-pos-folder", "RopQueryPosition", t::query_position(0))
}

fn seek_row_forward(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-seek", 3)?;
    eq("(HasSoughtLess, RowsSought)", (0, 2), seek(ctx, tb.table, bookmark::BEGINNING, 2)?)?;
    eq("QueryPosition Numerator", 2, position(ctx, tb.table)?.0)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows after the seek", &["m2"], &rows)
}

fn seek_row_past_end(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-seekend", 3)?;
    eq("(HasSoughtLess, RowsSought)", (1, 3), seek(ctx, tb.table, bookmark::BEGINNING, 10)?)?;
    eq("QueryPosition Numerator", 3, position(ctx, tb.table)?.0)
}

fn seek_row_backward(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-seekback", 3)?;
    eq("(HasSoughtLess, RowsSought) 1 back from the end", (0, -1), seek(ctx, tb.table, bookmark::END, -1)?)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows after the seek", &["m2"], &rows)?;
    eq(
        "(HasSoughtLess, RowsSought) 10 back from the end",
        (1, -3),
        seek(ctx, tb.table, bookmark::END, -10)?,
    )?;
    eq("QueryPosition Numerator", 0, position(ctx, tb.table)?.0)
}

fn seek_row_current(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-seekcur", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    eq(
        "(HasSoughtLess, RowsSought) from BOOKMARK_CURRENT",
        (0, 1),
        seek(ctx, tb.table, bookmark::CURRENT, 1)?,
    )?;
    eq("QueryPosition Numerator", 2, position(ctx, tb.table)?.0)?;
    eq("(HasSoughtLess, RowsSought) backward", (0, -1), seek(ctx, tb.table, bookmark::CURRENT, -1)?)?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    rows_eq("the row at the cursor", &["m1"], &rows)
}

fn seek_row_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-seek-folder", "RopSeekRow", t::seek_row(0, bookmark::BEGINNING, 1))
}

fn seek_row_fractional(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-frac", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 2)?;
    ok(ctx, tb.table, "RopSeekRowFractional 0/3", t::seek_row_fractional(0, 0, 3))?;
    eq("QueryPosition Numerator after Numerator 0", 0, position(ctx, tb.table)?.0)?;
    ok(ctx, tb.table, "RopSeekRowFractional 5/3", t::seek_row_fractional(0, 5, 3))?;
    eq("QueryPosition Numerator after Numerator > Denominator", 3, position(ctx, tb.table)?.0)?;
    ok(ctx, tb.table, "RopSeekRowFractional 0/1", t::seek_row_fractional(0, 0, 1))?;
    ok(ctx, tb.table, "RopSeekRowFractional 1/1", t::seek_row_fractional(0, 1, 1))?;
    eq("QueryPosition Numerator after Numerator = Denominator", 3, position(ctx, tb.table)?.0)
}

fn seek_row_fractional_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-frac-folder", "RopSeekRowFractional", t::seek_row_fractional(0, 0, 1))
}

/// RopFindRow that must succeed: `RowNoLongerVisible` and the first column of the row found.
fn find(
    ctx: &mut Ctx,
    table: u32,
    req: oxmapi_wire::rop::request::RopRequest,
) -> Result<(u8, Vec<String>), Verdict> {
    let one = ctx.rop(&[table], req)?;
    let b = body!(one.resp, FindRow)?;
    let row = b.row.as_ref().ok_or_else(|| fail("HasRowData 1 and a row", "HasRowData 0"))?;
    Ok((b.row_no_longer_visible, first_column(row)?))
}

fn find_row_forward(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-find", 3)?;
    let one = ctx.rop(&[tb.table], t::find_row(0, subject_is("m1"), bookmark::BEGINNING, &[], false))?;
    let b = body!(one.resp, FindRow)?;
    let Some(Rows::Decoded { rows, .. }) = &b.row else { return Err(fail("HasRowData 1", "no row")) };
    let row = rows.first().ok_or_else(|| fail("a row", "none"))?;
    eq("cells (the columns set)", 2, row.values.len())?;
    eq("PidTagSubject", Some(&PropValue::Unicode("m1".into())), row.values[0].value())?;
    eq("PidTagImportance", Some(&PropValue::I32(1)), row.values[1].value())?;
    eq("QueryPosition Numerator (the cursor is on the row found)", 1, position(ctx, tb.table)?.0)
}

fn find_row_backward(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-findback", 4)?;
    // Importance 0: m0 and m3; searching backward from the end finds m3 first.
    let r = t::equals(PR_IMPORTANCE, PropValue::I32(0));
    let (_, rows) = find(ctx, tb.table, t::find_row(0, r, bookmark::END, &[], true))?;
    rows_eq("the row found backward", &["m3"], &rows)
}

fn find_row_from_bookmark(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-findbm", 4)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 0)?;
    let r = t::equals(PR_IMPORTANCE, PropValue::I32(0));
    let (hidden, rows) = find(ctx, tb.table, t::find_row(0, r, bookmark::CUSTOM, &bm, false))?;
    eq("RowNoLongerVisible", 0, hidden)?;
    rows_eq("the first match after the bookmark (m0 is before it)", &["m3"], &rows)
}

fn find_row_not_found(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-findnone", 2)?;
    let one = ctx.rop(&[tb.table], t::find_row(0, subject_is("none"), bookmark::BEGINNING, &[], false))?;
    match (&one.resp, rv(&one.resp)) {
        (_, EC_NOT_FOUND) => Ok(()),
        (RopResponse::FindRow(o), 0) => {
            ensure(o.body.as_ref().is_some_and(|b| b.row.is_none()), "HasRowData 0", "a row")
        }
        (_, other) => Err(fail(
            format!("ReturnValue {} (or success with HasRowData 0)", code(EC_NOT_FOUND)),
            format!("ReturnValue {}", code(other)),
        )),
    }
}

fn find_row_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-findnocol", 1)?;
    let one = ctx.rop(&[tb.table], t::find_row(0, subject_is("m0"), bookmark::BEGINNING, &[], false))?;
    expect_rv("RopFindRow before RopSetColumns", &one.resp, EC_NULL_OBJECT)
}

fn find_row_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hfind", 3)?;
    let r = t::equals(PR_DISPLAY_NAME_W, PropValue::Unicode("f2".into()));
    let (hidden, rows) = find(ctx, tb.table, t::find_row(0, r, bookmark::BEGINNING, &[], false))?;
    eq("RowNoLongerVisible (hierarchy table)", 0, hidden)?;
    rows_eq("the folder found", &["f2"], &rows)
}

fn find_row_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(
        ctx,
        "oxctabl-find-folder",
        "RopFindRow",
        t::find_row(0, subject_is("x"), bookmark::BEGINNING, &[], false),
    )
}

// S03: bookmarks.

/// RopSeekRowBookmark that must succeed: (RowNoLongerVisible, HasSoughtLess, RowsSought).
fn seek_bookmark(ctx: &mut Ctx, table: u32, bm: &[u8], rows: i32) -> Result<(u8, u8, i32), Verdict> {
    let one = ctx.rop(&[table], t::seek_row_bookmark(0, bm, rows))?;
    let b = body!(one.resp, SeekRowBookmark)?;
    Ok((b.row_no_longer_visible, b.has_sought_less, b.rows_sought))
}

fn seek_row_bookmark(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-bm", 4)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    seek(ctx, tb.table, bookmark::END, 0)?;
    eq("(RowNoLongerVisible, HasSoughtLess, RowsSought)", (0, 0, 1), seek_bookmark(ctx, tb.table, &bm, 1)?)?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    rows_eq("the row one after the bookmark", &["m2"], &rows)?;
    eq(
        "(RowNoLongerVisible, HasSoughtLess, RowsSought) at the bookmark",
        (0, 0, 0),
        seek_bookmark(ctx, tb.table, &bm, 0)?,
    )?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    rows_eq("the bookmarked row", &["m1"], &rows)
}

fn seek_row_bookmark_past_end(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-bmend", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    eq("(RowNoLongerVisible, HasSoughtLess, RowsSought)", (0, 1, 2), seek_bookmark(ctx, tb.table, &bm, 10)?)
}

fn bookmarks_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hbm", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 2)?;
    let bm = create_bookmark(ctx, tb.table)?;
    eq("(RowNoLongerVisible, HasSoughtLess, RowsSought)", (0, 0, 0), seek_bookmark(ctx, tb.table, &bm, 0)?)?;
    eq("QueryPosition Numerator at the bookmark", 2, position(ctx, tb.table)?.0)?;
    ok(ctx, tb.table, "RopFreeBookmark", t::free_bookmark(0, &bm)).map(|_| ())
}

fn free_bookmark_then_invalid(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-freebm", 2)?;
    let bm = create_bookmark(ctx, tb.table)?;
    ok(ctx, tb.table, "RopFreeBookmark", t::free_bookmark(0, &bm))?;
    let one = ctx.rop(&[tb.table], t::seek_row_bookmark(0, &bm, 0))?;
    expect_rv("RopSeekRowBookmark with a freed bookmark", &one.resp, EC_INVALID_BOOKMARK)
}

fn bookmark_after_sort(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-bmsort", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    ok(ctx, tb.table, "RopSortTable", t::sort_table(0, by_subject_descending()))?;
    let one = ctx.rop(&[tb.table], t::seek_row_bookmark(0, &bm, 0))?;
    expect_rv("RopSeekRowBookmark after RopSortTable", &one.resp, EC_INVALID_BOOKMARK)
}

fn bookmark_after_restrict(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-bmrestr", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    ok(ctx, tb.table, "RopRestrict", t::restrict(0, Some(subject_is("m1"))))?;
    let one = ctx.rop(&[tb.table], t::seek_row_bookmark(0, &bm, 0))?;
    expect_rv("RopSeekRowBookmark after RopRestrict", &one.resp, EC_INVALID_BOOKMARK)
}

fn find_row_after_invalid_bookmark(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-findbad", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    ok(ctx, tb.table, "RopSortTable", t::sort_table(0, by_subject_descending()))?;
    let one = ctx.rop(&[tb.table], t::find_row(0, subject_is("m2"), bookmark::CUSTOM, &bm, false))?;
    expect_rv("RopFindRow from a bookmark invalidated by RopSortTable", &one.resp, EC_INVALID_BOOKMARK)
}

fn seek_row_bookmark_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-bmnocol", 2)?;
    let one = ctx.rop(&[tb.table], t::seek_row_bookmark(0, &[0, 0, 0, 0], 0))?;
    // The bookmark is not valid either (none can exist without columns): the server may
    // check either first.
    expect_rv_in("RopSeekRowBookmark before RopSetColumns", &one.resp, &[EC_NULL_OBJECT, EC_INVALID_BOOKMARK])
}

fn free_bookmark_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-freenocol", 2)?;
    let one = ctx.rop(&[tb.table], t::free_bookmark(0, &[0, 0, 0, 0]))?;
    // The bookmark is not valid either (none can exist without columns): the server may
    // check either first.
    expect_rv_in("RopFreeBookmark before RopSetColumns", &one.resp, &[EC_NULL_OBJECT, EC_INVALID_BOOKMARK])
}

fn create_bookmark_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-bm-folder", "RopCreateBookmark", t::create_bookmark(0))
}

// S04: categories.

/// A categorized view of 4 messages by importance (categories 0, 1, 2; category 0 holds m0
/// and m3), fully expanded. `None` when the server declines the categorized sort with
/// ecNotSupported or ecTooComplex, which the cases accept (MS-OXCTABL 3.2.5.3: a failing
/// RopSortTable leaves the table unsorted; IMAPITable::SortTable documents both codes for a
/// sort the table cannot perform).
fn categorized(ctx: &mut Ctx, name: &str) -> Result<Option<(Table, Vec<Heading>)>, Verdict> {
    let tb = contents(ctx, name, 4)?;
    set_columns(ctx, tb.table, &[PR_INST_ID, PR_ROW_TYPE, PR_IMPORTANCE, PR_INSTANCE_NUM])?;
    let orders = SortOrderSet {
        orders: vec![
            SortOrder { tag: PR_IMPORTANCE, direction: SortDirection::Ascend },
            SortOrder { tag: PR_SUBJECT_W, direction: SortDirection::Ascend },
        ],
        categorized_count: 1,
        expanded_count: 1,
    };
    let one = ctx.rop(&[tb.table], t::sort_table(0, orders))?;
    if [EC_NOT_SUPPORTED, EC_TOO_COMPLEX].contains(&rv(&one.resp)) {
        return Ok(None);
    }
    expect_rv("RopSortTable with CategorizedCount 1", &one.resp, 0)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 100, true))?;
    let b = body!(one.resp, QueryRows)?;
    let Rows::Decoded { rows, .. } = &b.rows else { return Err(fail("decoded rows", "undecodable rows")) };
    let mut headings = Vec::new();
    for r in rows {
        let (Some(PropValue::I64(id)), Some(PropValue::I32(ty)), imp) =
            (r.values[0].value(), r.values[1].value(), r.values[2].value())
        else {
            continue;
        };
        if HEADING_ROW_TYPES.contains(ty) {
            let imp = match imp {
                Some(PropValue::I32(i)) => *i,
                _ => -1,
            };
            headings.push((*id as u64, imp));
        }
    }
    eq("heading rows (one per importance)", 3, headings.len())?;
    eq("rows (3 headings + 4 messages, all expanded)", 7, rows.len())?;
    Ok(Some((tb, headings)))
}

/// The rows of a categorized view of the 4 messages of [`contents`] with `columns`, sorted by
/// importance then subject with `categorized`/`expanded`; `None` when the server declines the
/// categorized sort (as [`categorized`] allows).
fn categorized_rows(
    ctx: &mut Ctx,
    name: &str,
    columns: &[PropTag],
    categorized: u16,
    expanded: u16,
) -> Result<Option<Vec<oxmapi_wire::cdata::PropertyRow>>, Verdict> {
    let tb = contents(ctx, name, 4)?;
    set_columns(ctx, tb.table, columns)?;
    let orders = SortOrderSet {
        orders: vec![
            SortOrder { tag: PR_IMPORTANCE, direction: SortDirection::Ascend },
            SortOrder { tag: PR_SUBJECT_W, direction: SortDirection::Ascend },
        ],
        categorized_count: categorized,
        expanded_count: expanded,
    };
    let one = ctx.rop(&[tb.table], t::sort_table(0, orders))?;
    if [EC_NOT_SUPPORTED, EC_TOO_COMPLEX].contains(&rv(&one.resp)) {
        return Ok(None);
    }
    expect_rv("RopSortTable with categories", &one.resp, 0)?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 100, true))?;
    let b = body!(one.resp, QueryRows)?;
    let Rows::Decoded { rows, .. } = &b.rows else { return Err(fail("decoded rows", "undecodable rows")) };
    Ok(Some(rows.clone()))
}

/// The PtypInteger32 in column `i` of `row`.
fn int_at(row: &oxmapi_wire::cdata::PropertyRow, i: usize) -> Option<i32> {
    match row.values.get(i).and_then(|v| v.value()) {
        Some(PropValue::I32(n)) => Some(*n),
        _ => None,
    }
}

/// Microsoft's adapter (MS_OXCTABLAdapter capture of RopQueryRows): with every sort order a
/// category and every category expanded, the first three rows are a heading at depth 0, a
/// heading at depth 1 and a leaf at depth 2 — PidTagDepth counts the headings a row is in
/// (MS-OXCTABL 2.2.1.4) — and the view holds expanded headings and leaf rows.
fn categorized_depths(ctx: &mut Ctx) -> CaseResult {
    let cols = [PR_INST_ID, PR_ROW_TYPE, PR_DEPTH];
    let Some(rows) = categorized_rows(ctx, "oxctabl-catdepth", &cols, 2, 2)? else { return no_categories() };
    let depths: Vec<Option<i32>> = rows.iter().take(3).map(|r| int_at(r, 2)).collect();
    eq("PidTagDepth of the first three rows", vec![Some(0), Some(1), Some(2)], depths)?;
    let types: Vec<Option<i32>> = rows.iter().take(3).map(|r| int_at(r, 1)).collect();
    eq(
        "PidTagRowType of the first three rows (expanded, expanded, leaf)",
        vec![Some(TBL_EXPANDED_CATEGORY), Some(TBL_EXPANDED_CATEGORY), Some(TBL_LEAF_ROW)],
        types,
    )?;
    let leaves = rows.iter().filter(|r| int_at(r, 1) == Some(TBL_LEAF_ROW)).count();
    eq("leaf rows (every message)", 4, leaves)
}

/// With `ExpandedCount` below `CategorizedCount`, the categories beyond the expanded ones
/// start collapsed (Microsoft's adapter expects a TBL_COLLAPSED_CATEGORY row then, R18): one
/// category, none expanded, gives only the collapsed headings.
fn categories_start_collapsed(ctx: &mut Ctx) -> CaseResult {
    let cols = [PR_INST_ID, PR_ROW_TYPE, PR_IMPORTANCE];
    let Some(rows) = categorized_rows(ctx, "oxctabl-catcoll", &cols, 1, 0)? else { return no_categories() };
    let types: Vec<Option<i32>> = rows.iter().map(|r| int_at(r, 1)).collect();
    eq("PidTagRowType of every row", vec![Some(TBL_COLLAPSED_CATEGORY); 3], types)
}

/// RopExpandRow with `MaxRowCount` 1 on a collapsed category of two messages:
/// `ExpandedRowCount` 2, one row, in the columns of RopSetColumns (R814, R825). Exchange 2013
/// and later refuse a `MaxRowCount` above 0 with ecNotSupported (MS-OXCTABL <16>, R748),
/// which the case accepts.
fn expand_row_returns_rows(ctx: &mut Ctx) -> CaseResult {
    let Some((tb, heads)) = categorized(ctx, "oxctabl-catrows")? else { return no_categories() };
    let (cat0, _) =
        *heads.iter().find(|(_, i)| *i == 0).ok_or_else(|| fail("a heading for importance 0", "none"))?;
    ok(ctx, tb.table, "RopCollapseRow", t::collapse_row(0, cat0))?;
    let one = ctx.rop(&[tb.table], t::expand_row(0, 1, cat0))?;
    if rv(&one.resp) == EC_NOT_SUPPORTED {
        return Ok(());
    }
    let b = body!(one.resp, ExpandRow)?;
    eq("ExpandedRowCount", 2, b.expanded_row_count)?;
    eq("RowCount with MaxRowCount 1", 1, b.row_count)?;
    let Rows::Decoded { rows, .. } = &b.rows else { return Err(fail("decoded rows", "undecodable rows")) };
    eq("values per row (the RopSetColumns columns)", 4, rows[0].values.len())?;
    eq("PidTagRowType of the returned row", Some(TBL_LEAF_ROW), int_at(&rows[0], 1))?;
    eq("PidTagImportance of the returned row", Some(0), int_at(&rows[0], 2))
}

/// The server declined the categorized sort with an allowed code (checked by
/// [`categorized`]); the category ROPs have no category to work on.
fn no_categories() -> CaseResult {
    Ok(())
}

fn collapse_and_expand(ctx: &mut Ctx) -> CaseResult {
    let Some((tb, heads)) = categorized(ctx, "oxctabl-cat")? else { return no_categories() };
    let (cat0, _) =
        *heads.iter().find(|(_, i)| *i == 0).ok_or_else(|| fail("a heading for importance 0", "none"))?;
    let one = ctx.rop(&[tb.table], t::collapse_row(0, cat0))?;
    eq("CollapsedRowCount (m0, m3)", 2, body!(one.resp, CollapseRow)?.collapsed_row_count)?;
    eq("QueryPosition Denominator after collapsing", 5, position(ctx, tb.table)?.1)?;
    let one = ctx.rop(&[tb.table], t::expand_row(0, 0, cat0))?;
    let b = body!(one.resp, ExpandRow)?;
    eq("ExpandedRowCount", 2, b.expanded_row_count)?;
    eq("RowCount with MaxRowCount 0", 0, b.row_count)?;
    eq("QueryPosition Denominator after expanding", 7, position(ctx, tb.table)?.1)
}

fn expand_collapse_errors(ctx: &mut Ctx) -> CaseResult {
    let Some((tb, heads)) = categorized(ctx, "oxctabl-caterr")? else { return no_categories() };
    let (cat0, _) = heads[0];
    let one = ctx.rop(&[tb.table], t::expand_row(0, 0, cat0))?;
    expect_rv("RopExpandRow on an expanded category", &one.resp, EC_NOT_COLLAPSED)?;
    ok(ctx, tb.table, "RopCollapseRow", t::collapse_row(0, cat0))?;
    let one = ctx.rop(&[tb.table], t::collapse_row(0, cat0))?;
    expect_rv("RopCollapseRow on a collapsed category", &one.resp, EC_NOT_EXPANDED)?;
    let unknown = u64::MAX - 7;
    let one = ctx.rop(&[tb.table], t::expand_row(0, 0, unknown))?;
    expect_rv("RopExpandRow of an unknown CategoryId", &one.resp, EC_NOT_FOUND)?;
    let one = ctx.rop(&[tb.table], t::collapse_row(0, unknown))?;
    expect_rv("RopCollapseRow of an unknown CategoryId", &one.resp, EC_NOT_FOUND)
}

fn collapse_state_round_trip(ctx: &mut Ctx) -> CaseResult {
    let Some((tb, heads)) = categorized(ctx, "oxctabl-catstate")? else { return no_categories() };
    let (cat0, _) = heads[0];
    ok(ctx, tb.table, "RopCollapseRow", t::collapse_row(0, cat0))?;
    let one = ctx.rop(&[tb.table], t::get_collapse_state(0, cat0, 0))?;
    let state = body!(one.resp, GetCollapseState)?.collapse_state.clone();
    ensure(!state.is_empty(), "a CollapseState", "an empty one")?;
    ok(ctx, tb.table, "RopExpandRow", t::expand_row(0, 0, cat0))?;
    eq("rows once expanded", 7, position(ctx, tb.table)?.1)?;
    let one = ctx.rop(&[tb.table], t::set_collapse_state(0, &state))?;
    let bm = body!(one.resp, SetCollapseState)?.bookmark.clone();
    ensure(!bm.is_empty(), "a Bookmark from RopSetCollapseState", "an empty one")?;
    eq("rows once the collapsed state is restored", 5, position(ctx, tb.table)?.1)
}

fn get_collapse_state_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-gcsnocol", 1)?;
    let one = ctx.rop(&[tb.table], t::get_collapse_state(0, 0, 0))?;
    expect_rv("RopGetCollapseState before RopSetColumns", &one.resp, EC_NULL_OBJECT)
}

fn expand_collapse_on_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hexpand", 1)?;
    let one = ctx.rop(&[tb.table], t::expand_row(0, 0, 1))?;
    expect_rv("RopExpandRow on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)?;
    let one = ctx.rop(&[tb.table], t::collapse_row(0, 1))?;
    expect_rv("RopCollapseRow on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)
}

fn collapse_state_on_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hstate", 1)?;
    let one = ctx.rop(&[tb.table], t::get_collapse_state(0, 1, 0))?;
    expect_rv("RopGetCollapseState on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)?;
    let one = ctx.rop(&[tb.table], t::set_collapse_state(0, &[0, 0, 0, 0]))?;
    expect_rv("RopSetCollapseState on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)
}

// S05: RopResetTable and RopSortTable.

fn reset_table_restriction(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-reset", 3)?;
    ok(ctx, tb.table, "RopRestrict", t::restrict(0, Some(subject_is("m1"))))?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    ok(ctx, tb.table, "RopResetTable", t::reset_table(0))?;
    set_columns(ctx, tb.table, MSG_COLUMNS)?;
    eq("(Numerator, Denominator) after RopResetTable", (0, 3), position(ctx, tb.table)?)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("all rows are back", &["m0", "m1", "m2"], &rows)
}

fn reset_table_columns(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-resetcol", 2)?;
    ok(ctx, tb.table, "RopResetTable", t::reset_table(0))?;
    let one = ctx.rop(&[tb.table], rops::query_rows(0, 10, true))?;
    expect_rv("RopQueryRows after RopResetTable, without RopSetColumns", &one.resp, EC_NULL_OBJECT)
}

fn reset_table_bookmarks(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-resetbm", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 1)?;
    let bm = create_bookmark(ctx, tb.table)?;
    ok(ctx, tb.table, "RopResetTable", t::reset_table(0))?;
    set_columns(ctx, tb.table, MSG_COLUMNS)?;
    let one = ctx.rop(&[tb.table], t::seek_row_bookmark(0, &bm, 0))?;
    expect_rv("RopSeekRowBookmark after RopResetTable", &one.resp, EC_INVALID_BOOKMARK)
}

fn reset_table_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hreset", 1)?;
    let one = ctx.rop(&[tb.table], t::reset_table(0))?;
    expect_rv("RopResetTable on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)
}

fn sort_table_descending(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-sort", 3)?;
    ok(ctx, tb.table, "RopSortTable", t::sort_table(0, by_subject_descending()))?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows sorted by subject, descending", &["m2", "m1", "m0"], &rows)
}

fn sort_table_rewinds(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-sortpos", 3)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 2)?;
    ok(ctx, tb.table, "RopSortTable", t::sort_table(0, by_subject_descending()))?;
    eq("QueryPosition Numerator after RopSortTable", 0, position(ctx, tb.table)?.0)?;
    let (_, rows) = query(ctx, tb.table, 0, 1, true)?;
    rows_eq("the first row in the new order", &["m2"], &rows)
}

fn sort_table_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hsort", 1)?;
    let one = ctx.rop(&[tb.table], t::sort_table(0, by_subject_descending()))?;
    expect_rv("RopSortTable on a hierarchy table", &one.resp, EC_NOT_SUPPORTED)
}

// S06: RopRestrict.

fn restrict_contents(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-restrict", 4)?;
    seek(ctx, tb.table, bookmark::BEGINNING, 2)?;
    let r = t::equals(PR_IMPORTANCE, PropValue::I32(0));
    let one = ctx.rop(&[tb.table], t::restrict(0, Some(r)))?;
    eq("RopRestrict TableStatus", t::TBLSTAT_COMPLETE, body!(one.resp, Restrict)?.table_status)?;
    eq("(Numerator, Denominator): cursor at the beginning, 2 rows", (0, 2), position(ctx, tb.table)?)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows with importance 0", &["m0", "m3"], &rows)
}

fn restrict_removed(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-unrestrict", 3)?;
    ok(ctx, tb.table, "RopRestrict", t::restrict(0, Some(subject_is("m2"))))?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("restricted rows", &["m2"], &rows)?;
    ok(ctx, tb.table, "RopRestrict without a restriction", t::restrict(0, None))?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("all rows", &["m0", "m1", "m2"], &rows)
}

fn restrict_hierarchy(ctx: &mut Ctx) -> CaseResult {
    let tb = hierarchy(ctx, "oxctabl-hrestrict", 3)?;
    let r = t::equals(PR_DISPLAY_NAME_W, PropValue::Unicode("f1".into()));
    ok(ctx, tb.table, "RopRestrict", t::restrict(0, Some(r)))?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("restricted rows", &["f1"], &rows)
}

// S07: asynchronous ROPs.

/// Sends the asynchronous request `req` on `table`: its TableStatus must be TBLSTAT_COMPLETE
/// or `running`, and RopGetStatus must reach TBLSTAT_COMPLETE.
fn run_async(
    ctx: &mut Ctx,
    table: u32,
    what: &str,
    req: oxmapi_wire::rop::request::RopRequest,
    running: u8,
) -> CaseResult {
    let one = ctx.rop(&[table], req)?;
    expect_rv(what, &one.resp, 0)?;
    let status = match &one.resp {
        RopResponse::SetColumns(o) | RopResponse::SortTable(o) | RopResponse::Restrict(o) => {
            o.body.as_ref().map(|b| b.table_status)
        }
        _ => None,
    };
    let status = status.ok_or_else(|| fail(format!("{what}: a TableStatus"), "none"))?;
    ensure(
        status == t::TBLSTAT_COMPLETE || status == running,
        format!("{what}: TableStatus TBLSTAT_COMPLETE or 0x{running:02X}"),
        format!("TableStatus 0x{status:02X}"),
    )?;
    for _ in 0..50 {
        let one = ctx.rop(&[table], t::get_status(0))?;
        match body!(one.resp, GetStatus)?.table_status {
            t::TBLSTAT_COMPLETE => return Ok(()),
            s if s == running => std::thread::sleep(std::time::Duration::from_millis(20)),
            s => {
                return Err(fail(
                    format!("RopGetStatus after {what}: TBLSTAT_COMPLETE"),
                    format!("0x{s:02X}"),
                ));
            }
        }
    }
    Err(fail(format!("{what} to complete within a second"), "still running"))
}

fn set_columns_async(ctx: &mut Ctx) -> CaseResult {
    let tb = contents(ctx, "oxctabl-asynccol", 2)?;
    let req = t::set_columns_with(0, t::TBL_ASYNC, MSG_COLUMNS);
    run_async(ctx, tb.table, "RopSetColumns with TBL_ASYNC", req, t::TBLSTAT_SETTING_COLS)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows in the columns set", &["m0", "m1"], &rows)
}

fn sort_table_async(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-asyncsort", 3)?;
    let req = t::sort_table_with(0, t::TBL_ASYNC, by_subject_descending());
    run_async(ctx, tb.table, "RopSortTable with TBL_ASYNC", req, t::TBLSTAT_SORTING)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("rows sorted by subject, descending", &["m2", "m1", "m0"], &rows)
}

fn restrict_async(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-asyncrestrict", 3)?;
    let req = t::restrict_with(0, t::TBL_ASYNC, Some(subject_is("m1")));
    run_async(ctx, tb.table, "RopRestrict with TBL_ASYNC", req, t::TBLSTAT_RESTRICTING)?;
    let (_, rows) = query(ctx, tb.table, 0, 10, true)?;
    rows_eq("restricted rows", &["m1"], &rows)
}

fn get_status_complete(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-status", 1)?;
    let one = ctx.rop(&[tb.table], t::get_status(0))?;
    eq("contents table TableStatus", t::TBLSTAT_COMPLETE, body!(one.resp, GetStatus)?.table_status)?;
    let h = hierarchy(ctx, "oxctabl-hstatus", 1)?;
    let one = ctx.rop(&[h.table], t::get_status(0))?;
    eq("hierarchy table TableStatus", t::TBLSTAT_COMPLETE, body!(one.resp, GetStatus)?.table_status)
}

fn abort_nothing(ctx: &mut Ctx) -> CaseResult {
    let tb = contents_with_columns(ctx, "oxctabl-abort", 1)?;
    let one = ctx.rop(&[tb.table], t::abort(0))?;
    expect_rv("RopAbort on a contents table with nothing running", &one.resp, EC_UNABLE_TO_ABORT)?;
    let h = hierarchy(ctx, "oxctabl-habort", 1)?;
    let one = ctx.rop(&[h.table], t::abort(0))?;
    expect_rv("RopAbort on a hierarchy table with nothing running", &one.resp, EC_UNABLE_TO_ABORT)
}

fn get_status_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-status-folder", "RopGetStatus", t::get_status(0))
}

fn abort_on_folder(ctx: &mut Ctx) -> CaseResult {
    on_folder(ctx, "oxctabl-abort-folder", "RopAbort", t::abort(0))
}
