//! Table ROPs (MS-OXCTABL 3.2.5) over the store's table engine: columns, sort, restriction,
//! QueryRows within the response buffer, positions, seeks, bookmarks, FindRow, and the
//! categories of a categorized sort (RopExpandRow, RopCollapseRow, RopGetCollapseState,
//! RopSetCollapseState; `oxmapi_store::table` builds the heading rows). Table notifications
//! do not describe heading rows: a categorized view is told TableChanged.

use oxmapi_core::ErrorCode;
use oxmapi_core::codec::Writer;
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_store::table::{FindStart, Origin, TableError};

use oxmapi_wire::cdata::{self, Form};
use oxmapi_wire::rop::outcome::{Empty, Outcome, Rows};
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{ServerObject, Slots, TableObject, TableSource};
use super::props::table_row;
use super::row_buffer;
use super::table_rows::{
    View, all_columns, categorized_needs, defer, refresh, refresh_lazy, restriction_tags, select_engine,
};
use super::{RopResult, RopSession};

/// TBLSTAT_COMPLETE: every table operation here completes synchronously.
const TBLSTAT_COMPLETE: u8 = 0x00;
/// QueryRowsFlags NoAdvance.
const NO_ADVANCE: u8 = 0x01;
/// Bytes of a RopQueryRows response before its rows.
const QUERY_ROWS_HEADER: usize = 9;
/// Bytes of a RopExpandRow response before its rows: RopId, InputHandleIndex, ReturnValue,
/// ExpandedRowCount, RowCount (MS-OXCROPS 2.2.5.16.2).
const EXPAND_ROW_HEADER: usize = 12;
/// FindRowFlags Backward (MS-OXCTABL 2.2.2.14.1).
const FIND_BACKWARD: u8 = 0x01;
/// RopFindRow `Origin` BOOKMARK_CUSTOM: start at the request's bookmark (MS-OXCTABL 2.2.2.1.2).
const BOOKMARK_CUSTOM: u8 = 0x03;

/// The MAPI code of a table engine's refusal. A failure of the store under an index-backed
/// table keeps the store error's code (the store maps it, as for every other ROP: a deleted
/// folder is MAPI_E_NOT_FOUND as with the memory engine).
pub(crate) fn table_error(e: TableError) -> ErrorCode {
    match e {
        TableError::InvalidParameter(_) => codes::MAPI_E_INVALID_PARAMETER,
        TableError::InvalidBookmark => codes::MAPI_E_INVALID_BOOKMARK,
        TableError::TooComplex(_) => codes::MAPI_E_TOO_COMPLEX,
        TableError::NoCategory(_) => codes::MAPI_E_NOT_FOUND,
        TableError::NotCollapsed => codes::EC_NOT_COLLAPSED,
        TableError::NotExpanded => codes::EC_NOT_EXPANDED,
        TableError::Store { code, message } => {
            tracing::debug!(error = %message, "the store under a table failed");
            code
        }
    }
}

/// A table while a ROP works on it: a notified table's rows are taken back from its tracker
/// for the ROP and returned to it afterwards ([`crate::notify::table`]).
pub(crate) struct Open<'a>(&'a mut TableObject);

impl Open<'_> {
    /// Marks a table view (MS-OXCNOTIF 3.1.4.3): row-level notifications from now on.
    fn viewed(&mut self) {
        if let Some(w) = self.0.notifications.as_mut() {
            w.view = true;
        }
    }
}

impl std::ops::Deref for Open<'_> {
    type Target = TableObject;
    fn deref(&self) -> &TableObject {
        self.0
    }
}

impl std::ops::DerefMut for Open<'_> {
    fn deref_mut(&mut self) -> &mut TableObject {
        self.0
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if let Some(tracker) = self.0.notifications.as_ref().map(|w| w.tracker.clone()) {
            tracker.park(self.0);
        }
    }
}

/// The table in slot `index`; ecNullObject for other objects (MS-OXCTABL 3.2.5). Its queued
/// events are resolved first, so that their notifications describe the rows the client saw.
fn table_in<'a>(rs: &'a mut RopSession, slots: &Slots, index: u8) -> Result<Open<'a>, ErrorCode> {
    let h = slots.handle(index)?;
    rs.events.resolve(h);
    match rs.handles.get_mut(h) {
        Some(ServerObject::Table(t)) => {
            if let Some(tracker) = t.notifications.as_ref().map(|w| w.tracker.clone()) {
                tracker.unpark(t);
            }
            Ok(Open(t))
        }
        Some(_) => Err(codes::MAPI_E_NO_SUPPORT),
        None => Err(codes::EC_NULL_OBJECT),
    }
}

/// The table in slot `index` with its rows brought up to date ([`refresh`]); a table view.
fn current<'a>(rs: &'a mut RopSession, slots: &Slots, index: u8) -> Result<Open<'a>, ErrorCode> {
    let mut t = table_in(rs, slots, index)?;
    refresh(&mut t, &[])?;
    t.viewed();
    Ok(t)
}

/// A table whose columns were set (else ecNullObject, as Exchange answers), rows up to date; a
/// table view.
fn ready<'a>(rs: &'a mut RopSession, slots: &Slots, index: u8) -> Result<Open<'a>, ErrorCode> {
    let mut t = table_in(rs, slots, index)?;
    if !t.columns_set {
        return Err(codes::EC_NULL_OBJECT);
    }
    refresh(&mut t, &[])?;
    t.viewed();
    Ok(t)
}

/// The kinds of table a ROP is defined on.
#[derive(Clone, Copy, PartialEq)]
enum Kinds {
    /// Contents tables only: RopSortTable (MS-OXCTABL 3.2.5.3, MS-OXCTABL_R450) and
    /// RopResetTable (3.2.5.15, _R566).
    Contents,
    /// Contents and hierarchy tables: RopRestrict (3.2.5.4, _R461), RopCreateBookmark
    /// (3.2.5.11, _R529), RopSeekRowBookmark (3.2.5.8, _R512), RopFreeBookmark (3.2.5.15) and
    /// RopFindRow (3.2.5.14, _R544).
    ContentsOrHierarchy,
}

/// ecNotSupported (0x80040102) when `t` is not a table of `kinds`: "The error code
/// ecNotSupported will be returned ... if the object on which this ROP was sent is not a
/// contents table" (or "not a contents table or hierarchy table"), as the MS-OXCTABL test
/// suite's model (Interop-TestSuites MS-OXCTABL/Model/Model.cs) expects for attachment tables.
fn require(t: &TableObject, kinds: Kinds) -> Result<(), ErrorCode> {
    let ok = matches!(
        (&t.source, kinds),
        (TableSource::Contents { .. }, _) | (TableSource::Hierarchy { .. }, Kinds::ContentsOrHierarchy)
    );
    if ok { Ok(()) } else { Err(codes::MAPI_E_NO_SUPPORT) }
}

/// RopSetColumns refuses a column of type PtypUnspecified, PtypErrorCode or an unknown type:
/// "The error code ecInvalidParam will be returned ... means a property tag in the column array
/// is of type PT_UNSPECIFIED, PT_ERROR, or an invalid type" (MS-OXCTABL 3.2.5.1,
/// MS-OXCTABL_R435).
fn check_columns(tags: &[PropTag]) -> Result<(), ErrorCode> {
    let bad = |t: &PropTag| {
        let t = t.without_mv_instance();
        !matches!(t.prop_type(), Ok(ty) if ty != PropType::Unspecified && ty != PropType::ErrorCode)
    };
    if tags.iter().any(bad) { Err(codes::MAPI_E_INVALID_PARAMETER) } else { Ok(()) }
}

fn status(index: u8) -> Outcome<TableStatusResponse> {
    Outcome::ok(index, TableStatusResponse { table_status: TBLSTAT_COMPLETE })
}

/// RopSetColumns (MS-OXCTABL 3.2.5.1): the cursor stays on its row.
///
/// Row notifications of the table still queued carry rows in the old columns; when the columns
/// change they become one TableChanged (MS-OXCNOTIF 2.2.1.4.1.2: TableRowData is in the
/// table's columns, which the client reads them with after this response).
pub fn set_columns(rs: &mut RopSession, slots: &Slots, q: &SetColumnsRequest) -> RopResult {
    let handle = slots.handle(q.input_handle_index)?;
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    // A failed RopSetColumns leaves the table without a column set: the ROPs that need one
    // answer ecNullObject until a RopSetColumns succeeds (MS-OXCTABL_R610, _R867).
    if let Err(e) = check_columns(&q.property_tags) {
        t.columns_set = false;
        return Err(e);
    }
    let sort = t.table.sort_order().clone();
    let restriction = t.table.restriction().cloned();
    let view = View {
        columns: &q.property_tags,
        sort: &sort,
        restriction: restriction.as_ref(),
        columns_only: true,
    };
    select_engine(&mut t, view)?;
    refresh_lazy(&mut t, &q.property_tags, true)?;
    let changed = t.table.columns() != q.property_tags.as_slice();
    t.table.set_columns(q.property_tags.clone()).map_err(table_error)?;
    t.columns_set = true;
    drop(t);
    if changed {
        rs.events.columns_changed(handle);
    }
    Ok(RopResponse::SetColumns(status(q.input_handle_index)))
}

/// RopSortTable (MS-OXCTABL 3.2.5.3) on a contents table: the cursor moves to the beginning and
/// the bookmarks become invalid.
pub fn sort_table(rs: &mut RopSession, slots: &Slots, q: &SortTableRequest) -> RopResult {
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::Contents)?;
    let mut keys: Vec<_> = q.sort_orders.orders.iter().map(|o| o.tag).collect();
    keys.extend(categorized_needs(&q.sort_orders));
    let (columns, restriction) = (t.table.columns().to_vec(), t.table.restriction().cloned());
    select_engine(
        &mut t,
        View {
            columns: &columns,
            sort: &q.sort_orders,
            restriction: restriction.as_ref(),
            columns_only: false,
        },
    )?;
    refresh_lazy(&mut t, &keys, true)?;
    t.table.sort(q.sort_orders.clone()).map_err(table_error)?;
    Ok(RopResponse::SortTable(status(q.input_handle_index)))
}

/// RopRestrict (MS-OXCTABL 3.2.5.4) on a contents or hierarchy table: the cursor moves to the
/// beginning and the bookmarks become invalid.
pub fn restrict(rs: &mut RopSession, slots: &Slots, q: &RestrictRequest) -> RopResult {
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::ContentsOrHierarchy)?;
    let mut tags = Vec::new();
    if let Some(r) = &q.restriction {
        restriction_tags(r, &mut tags);
    }
    let (columns, sort) = (t.table.columns().to_vec(), t.table.sort_order().clone());
    select_engine(
        &mut t,
        View { columns: &columns, sort: &sort, restriction: q.restriction.as_ref(), columns_only: false },
    )?;
    // An in-memory contents table reloads with the new restriction's prefilter: drop its rows
    // first so the old ones are not evaluated for nothing.
    if !defer(&mut t) {
        refresh(&mut t, &tags)?;
    }
    t.table.restrict(q.restriction.clone());
    Ok(RopResponse::Restrict(status(q.input_handle_index)))
}

/// RopQueryRows (MS-OXCTABL 3.2.5.5): whole rows only, as many as fit in `room` bytes of the
/// response buffer, read a chunk at a time ([`row_buffer::fill`]); at least one or
/// ecBufferTooSmall, which (like NoAdvance) leaves the cursor where it was.
pub fn query_rows(rs: &mut RopSession, slots: &Slots, q: &QueryRowsRequest, room: usize) -> RopResult {
    let mut t = ready(rs, slots, q.input_handle_index)?;
    let forward = q.forward_read != 0;
    let no_advance = q.query_rows_flags & NO_ADVANCE != 0;
    let columns = t.table.columns().to_vec();
    let start = t.table.cursor_mark();
    let unicode = t.unicode;
    let filled = match row_buffer::fill(
        &mut t.table,
        &columns,
        unicode,
        q.row_count as usize,
        forward,
        QUERY_ROWS_HEADER,
        room,
    ) {
        Ok(f) => f,
        Err(e) => {
            t.table.restore_cursor(start);
            return Err(table_error(e));
        }
    };
    let too_small = filled.rows.is_empty() && filled.returned > 0;
    if no_advance || too_small {
        t.table.restore_cursor(start);
    }
    if too_small {
        return Err(codes::EC_BUFFER_TOO_SMALL);
    }
    Ok(RopResponse::QueryRows(Outcome::ok(
        q.input_handle_index,
        QueryRowsResponse {
            origin: filled.origin.wire(),
            row_count: filled.rows.len() as u16,
            rows: Rows::Decoded { columns, rows: filled.rows },
        },
    )))
}

/// RopQueryPosition (MS-OXCTABL 3.2.5.6).
pub fn query_position(rs: &mut RopSession, slots: &Slots, q: &QueryPositionRequest) -> RopResult {
    let mut t = current(rs, slots, q.input_handle_index)?;
    let (numerator, denominator) = t.table.query_position().map_err(table_error)?;
    Ok(RopResponse::QueryPosition(Outcome::ok(
        q.input_handle_index,
        QueryPositionResponse { numerator, denominator },
    )))
}

/// RopSeekRow (MS-OXCTABL 3.2.5.7).
pub fn seek_row(rs: &mut RopSession, slots: &Slots, q: &SeekRowRequest) -> RopResult {
    let mut t = current(rs, slots, q.input_handle_index)?;
    let origin = Origin::from_wire(q.origin).map_err(table_error)?;
    let r = t.table.seek(origin, q.row_count).map_err(table_error)?;
    Ok(RopResponse::SeekRow(Outcome::ok(
        q.input_handle_index,
        SeekRowResponse { has_sought_less: r.sought_less as u8, rows_sought: r.moved },
    )))
}

/// RopSeekRowBookmark (MS-OXCTABL 3.2.5.8). On a table that never had a column set it is
/// ecNullObject, as Exchange 2010 and later answer (MS-OXCTABL_R8276); after RopResetTable the
/// bookmark is merely invalid (ecInvalidBookmark, _R908).
pub fn seek_row_bookmark(rs: &mut RopSession, slots: &Slots, q: &SeekRowBookmarkRequest) -> RopResult {
    let mut t = current(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::ContentsOrHierarchy)?;
    if !t.columns_set && t.table.columns().is_empty() {
        return Err(codes::EC_NULL_OBJECT);
    }
    let r = t.table.seek_bookmark(&q.bookmark, q.row_count).map_err(table_error)?;
    Ok(RopResponse::SeekRowBookmark(Outcome::ok(
        q.input_handle_index,
        SeekRowBookmarkResponse {
            row_no_longer_visible: r.row_no_longer_visible as u8,
            has_sought_less: r.sought_less as u8,
            rows_sought: r.moved,
        },
    )))
}

/// RopSeekRowFractional (MS-OXCTABL 3.2.5.9).
pub fn seek_row_fractional(rs: &mut RopSession, slots: &Slots, q: &SeekRowFractionalRequest) -> RopResult {
    let mut t = current(rs, slots, q.input_handle_index)?;
    t.table.seek_fractional(q.numerator, q.denominator).map_err(table_error)?;
    Ok(RopResponse::SeekRowFractional(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopCreateBookmark (MS-OXCTABL 3.2.5.10).
pub fn create_bookmark(rs: &mut RopSession, slots: &Slots, q: &CreateBookmarkRequest) -> RopResult {
    let mut t = ready(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::ContentsOrHierarchy)?;
    let bookmark = t.table.create_bookmark();
    Ok(RopResponse::CreateBookmark(Outcome::ok(q.input_handle_index, BookmarkResponse { bookmark })))
}

/// RopGetCollapseState (MS-OXCTABL 3.2.5.18; MUST be supported on contents tables,
/// MS-OXCTABL_R582): the categories expanded or collapsed by hand and the row
/// `RowId`/`RowInstanceNumber` ([`oxmapi_store::table::CollapseState`]); before RopSetColumns
/// ecNullObject (MS-OXCTABL_R8275). A state that would not fit `CollapseStateSize` (u16) is
/// ecTooComplex.
pub fn get_collapse_state(rs: &mut RopSession, slots: &Slots, q: &GetCollapseStateRequest) -> RopResult {
    let t = ready(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::Contents)?;
    let collapse_state = t.table.collapse_state(q.row_id, q.row_instance_number).map_err(table_error)?;
    Ok(RopResponse::GetCollapseState(Outcome::ok(
        q.input_handle_index,
        GetCollapseStateResponse { collapse_state },
    )))
}

/// RopSetCollapseState (MS-OXCTABL 3.2.5.19): puts the categories the state names back in
/// their state and returns a bookmark on its row; before RopSetColumns ecNullObject
/// (MS-OXCTABL_R8274); a blob that is no state ecInvalidParam.
pub fn set_collapse_state(rs: &mut RopSession, slots: &Slots, q: &SetCollapseStateRequest) -> RopResult {
    let mut t = ready(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::Contents)?;
    let bookmark = t.table.set_collapse_state(&q.collapse_state).map_err(table_error)?;
    Ok(RopResponse::SetCollapseState(Outcome::ok(q.input_handle_index, BookmarkResponse { bookmark })))
}

/// A contents table for RopExpandRow / RopCollapseRow, checked in the order of Microsoft's
/// MS-OXCTABL test suite model (Model.cs RopExpandRow / RopCollapseRow) and gromox's
/// rop_expandrow: not a contents table → ecNotSupported (MS-OXCTABL_R572, _R578); no column
/// set → ecNullObject (_R8273, _R8271); then the rows are brought up to date. A table view
/// (MS-OXCNOTIF 3.1.4.3 names both ROPs among those that create one).
fn categorized_table<'a>(rs: &'a mut RopSession, slots: &Slots, index: u8) -> Result<Open<'a>, ErrorCode> {
    let mut t = table_in(rs, slots, index)?;
    require(&t, Kinds::Contents)?;
    if !t.columns_set {
        return Err(codes::EC_NULL_OBJECT);
    }
    refresh(&mut t, &[])?;
    t.viewed();
    Ok(t)
}

/// RopExpandRow (MS-OXCTABL 2.2.2.17, 3.2.5.17): expands the collapsed category `CategoryId`
/// (a heading row's PidTagInstID); `ExpandedRowCount` is the rows it added to the view and the
/// response carries the first of them — at most `MaxRowCount`, and only whole rows that fit
/// in the response buffer (gromox stops at the buffer too). ecNotFound for an id that is no
/// heading row (_R570), ecNotCollapsed for an expanded category (_R571). Exchange 2013 and
/// later refuse a `MaxRowCount` above 0 (MS-OXCTABL <16>, _R748); this server returns the
/// rows, as Exchange 2010 and gromox do.
pub fn expand_row(rs: &mut RopSession, slots: &Slots, q: &ExpandRowRequest, room: usize) -> RopResult {
    let mut t = categorized_table(rs, slots, q.input_handle_index)?;
    let columns = t.table.columns().to_vec();
    let unicode = t.unicode;
    // No more rows are projected than could fit in the buffer: a row takes at least its flag
    // byte and a byte per column.
    let fit = room / (1 + columns.len()) + 1;
    let max_rows = usize::from(q.max_row_count).min(fit);
    let expanded = t.table.expand_row(q.category_id, max_rows).map_err(table_error)?;
    let mut used = EXPAND_ROW_HEADER;
    let mut rows = Vec::with_capacity(expanded.rows.len());
    for values in expanded.rows {
        let row = table_row(&columns, values, unicode);
        let mut w = Writer::new();
        cdata::write_row(&mut w, &row, &columns, Form::Rop);
        if used + w.len() > room {
            break;
        }
        used += w.len();
        rows.push(row);
    }
    Ok(RopResponse::ExpandRow(Outcome::ok(
        q.input_handle_index,
        ExpandRowResponse {
            expanded_row_count: u32::try_from(expanded.count).unwrap_or(u32::MAX),
            row_count: rows.len() as u16,
            rows: Rows::Decoded { columns, rows },
        },
    )))
}

/// RopCollapseRow (MS-OXCTABL 2.2.2.18, 3.2.5.18): collapses the expanded category
/// `CategoryId`; `CollapsedRowCount` is the rows that left the view. ecNotFound for an id that
/// is no heading row (_R576), ecNotExpanded for a collapsed category (_R577).
pub fn collapse_row(rs: &mut RopSession, slots: &Slots, q: &CollapseRowRequest) -> RopResult {
    let mut t = categorized_table(rs, slots, q.input_handle_index)?;
    let count = t.table.collapse_row(q.category_id).map_err(table_error)?;
    Ok(RopResponse::CollapseRow(Outcome::ok(
        q.input_handle_index,
        CollapseRowResponse { collapsed_row_count: u32::try_from(count).unwrap_or(u32::MAX) },
    )))
}

/// RopFreeBookmark (MS-OXCTABL 3.2.5.14).
pub fn free_bookmark(rs: &mut RopSession, slots: &Slots, q: &FreeBookmarkRequest) -> RopResult {
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::ContentsOrHierarchy)?;
    t.table.free_bookmark(&q.bookmark).map_err(table_error)?;
    Ok(RopResponse::FreeBookmark(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopQueryColumnsAll (MS-OXCTABL 3.2.5.11).
pub fn query_columns_all(rs: &mut RopSession, slots: &Slots, q: &QueryColumnsAllRequest) -> RopResult {
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    let property_tags = all_columns(&t)?;
    t.viewed();
    Ok(RopResponse::QueryColumnsAll(Outcome::ok(
        q.input_handle_index,
        QueryColumnsAllResponse { property_tags },
    )))
}

/// RopFindRow (MS-OXCTABL 3.2.5.14): the first row from the origin (or bookmark) that matches,
/// forward or (FindRowFlags Backward) backward; the cursor moves to it.
pub fn find_row(rs: &mut RopSession, slots: &Slots, q: &FindRowRequest) -> RopResult {
    let mut t = ready(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::ContentsOrHierarchy)?;
    let restriction = q.restriction.clone().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    let mut tags = Vec::new();
    restriction_tags(&restriction, &mut tags);
    refresh(&mut t, &tags)?;
    let start = match q.origin {
        BOOKMARK_CUSTOM => FindStart::Bookmark(&q.bookmark),
        o => FindStart::Origin(Origin::from_wire(o).map_err(table_error)?),
    };
    let found =
        t.table.find_row(&restriction, start, q.find_row_flags & FIND_BACKWARD != 0).map_err(table_error)?;
    let Some(found) = found else { return Err(codes::MAPI_E_NOT_FOUND) };
    let columns = t.table.columns().to_vec();
    let row = table_row(&columns, found.row, t.unicode);
    Ok(RopResponse::FindRow(Outcome::ok(
        q.input_handle_index,
        FindRowResponse {
            row_no_longer_visible: found.row_no_longer_visible as u8,
            row: Some(Rows::Decoded { columns, rows: vec![row] }),
        },
    )))
}

/// RopResetTable (MS-OXCTABL 3.2.5.15): the table goes back to the state it was created in —
/// no column set, restriction, sort order or bookmarks, the cursor at the beginning. Until the
/// next RopSetColumns, the ROPs that need columns answer ecNullObject, as after opening the
/// table (MS-OXCTABL 3.1.5: "After opening the table or sending a RopResetTable ROP request
/// ... the client MUST send a RopSetColumns ROP request before querying the table").
pub fn reset_table(rs: &mut RopSession, slots: &Slots, q: &ResetTableRequest) -> RopResult {
    let mut t = table_in(rs, slots, q.input_handle_index)?;
    require(&t, Kinds::Contents)?;
    let columns = t.table.columns().to_vec();
    select_engine(
        &mut t,
        View { columns: &columns, sort: &Default::default(), restriction: None, columns_only: false },
    )?;
    t.table.reset();
    t.columns_set = false;
    // No table view until the next one is created (MS-OXCNOTIF 3.1.4.3).
    if let Some(w) = t.notifications.as_mut() {
        w.view = false;
    }
    Ok(RopResponse::ResetTable(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopGetStatus (MS-OXCTABL 3.2.5.16) and RopAbort (3.2.5.17): nothing runs asynchronously, so
/// the status is TBLSTAT_COMPLETE and there is never anything to abort — RopAbort answers
/// ecUnableToAbort (0x80040114), which MS-OXCTABL 3.2.5.17 gives for "no asynchronous operation
/// is in progress".
pub fn get_status(rs: &mut RopSession, slots: &Slots, index: u8, abort: bool) -> RopResult {
    table_in(rs, slots, index)?;
    if abort {
        return Err(codes::MAPI_E_UNABLE_TO_ABORT);
    }
    Ok(RopResponse::GetStatus(status(index)))
}
