//! Request builders for the table ROPs (MS-OXCTABL 2.2.2; MS-OXCROPS 2.2.5) that the
//! MS-OXCTABL cases send, beyond the common ones in [`crate::rops`]. Every request uses
//! `LogonId` 0; `input`/`output` are handle-table slots.

use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::request::RopRequest;

/// Predefined bookmarks (MS-OXCTABL 2.2.2.1.1).
pub mod bookmark {
    /// BOOKMARK_BEGINNING: the first row.
    pub const BEGINNING: u8 = 0x00;
    /// BOOKMARK_CURRENT: the current row.
    pub const CURRENT: u8 = 0x01;
    /// BOOKMARK_END: after the last row.
    pub const END: u8 = 0x02;
    /// BOOKMARK_CUSTOM: the bookmark given in the request (RopFindRow `Origin`).
    pub const CUSTOM: u8 = 0x03;
}

/// `QueryRowsFlags` (MS-OXCTABL 2.2.2.5.1).
pub mod query_rows_flags {
    /// Advance: move the cursor past the rows read.
    pub const ADVANCE: u8 = 0x00;
    /// NoAdvance: leave the cursor where it is.
    pub const NO_ADVANCE: u8 = 0x01;
}

/// `TableStatus` TBLSTAT_COMPLETE (MS-OXCTABL 2.2.2.1.3).
pub const TBLSTAT_COMPLETE: u8 = 0x00;
/// `TableStatus` TBLSTAT_SORTING: an asynchronous RopSortTable is running.
pub const TBLSTAT_SORTING: u8 = 0x09;
/// `TableStatus` TBLSTAT_SETTING_COLS: an asynchronous RopSetColumns is running.
pub const TBLSTAT_SETTING_COLS: u8 = 0x0B;
/// `TableStatus` TBLSTAT_RESTRICTING: an asynchronous RopRestrict is running.
pub const TBLSTAT_RESTRICTING: u8 = 0x0E;

/// TBL_ASYNC in `SetColumnsFlags`, `SortTableFlags` and `RestrictFlags` (MS-OXCTABL 2.2.2.2.1).
pub const TBL_ASYNC: u8 = 0x01;

/// RopQueryRows with explicit `QueryRowsFlags`.
pub fn query_rows_with(input: u8, flags: u8, count: u16, forward: bool) -> RopRequest {
    RopRequest::QueryRows(QueryRowsRequest {
        logon_id: 0,
        input_handle_index: input,
        query_rows_flags: flags,
        forward_read: forward as u8,
        row_count: count,
    })
}

/// RopQueryColumnsAll.
pub fn query_columns_all(input: u8) -> RopRequest {
    RopRequest::QueryColumnsAll(QueryColumnsAllRequest { logon_id: 0, input_handle_index: input })
}

/// RopQueryPosition.
pub fn query_position(input: u8) -> RopRequest {
    RopRequest::QueryPosition(QueryPositionRequest { logon_id: 0, input_handle_index: input })
}

/// RopSeekRow from predefined bookmark `origin`, asking for the rows moved.
pub fn seek_row(input: u8, origin: u8, rows: i32) -> RopRequest {
    RopRequest::SeekRow(SeekRowRequest {
        logon_id: 0,
        input_handle_index: input,
        origin,
        row_count: rows,
        want_row_moved_count: 1,
    })
}

/// RopSeekRowBookmark, asking for the rows moved.
pub fn seek_row_bookmark(input: u8, bookmark: &[u8], rows: i32) -> RopRequest {
    RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
        logon_id: 0,
        input_handle_index: input,
        bookmark: bookmark.to_vec(),
        row_count: rows,
        want_row_moved_count: 1,
    })
}

/// RopSeekRowFractional.
pub fn seek_row_fractional(input: u8, numerator: u32, denominator: u32) -> RopRequest {
    RopRequest::SeekRowFractional(SeekRowFractionalRequest {
        logon_id: 0,
        input_handle_index: input,
        numerator,
        denominator,
    })
}

/// RopCreateBookmark.
pub fn create_bookmark(input: u8) -> RopRequest {
    RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: input })
}

/// RopFreeBookmark.
pub fn free_bookmark(input: u8, bookmark: &[u8]) -> RopRequest {
    RopRequest::FreeBookmark(FreeBookmarkRequest {
        logon_id: 0,
        input_handle_index: input,
        bookmark: bookmark.to_vec(),
    })
}

/// RopFindRow (`backward` sets FindRowFlags 0x01); `bookmark` is used with `Origin`
/// BOOKMARK_CUSTOM.
pub fn find_row(
    input: u8,
    restriction: Restriction,
    origin: u8,
    bookmark: &[u8],
    backward: bool,
) -> RopRequest {
    RopRequest::FindRow(FindRowRequest {
        logon_id: 0,
        input_handle_index: input,
        find_row_flags: backward as u8,
        restriction: Some(restriction),
        origin,
        bookmark: bookmark.to_vec(),
    })
}

/// RopSortTable (synchronous).
pub fn sort_table(input: u8, orders: SortOrderSet) -> RopRequest {
    sort_table_with(input, 0, orders)
}

/// RopSortTable with explicit `SortTableFlags`.
pub fn sort_table_with(input: u8, flags: u8, orders: SortOrderSet) -> RopRequest {
    RopRequest::SortTable(SortTableRequest {
        logon_id: 0,
        input_handle_index: input,
        sort_table_flags: flags,
        sort_orders: orders,
    })
}

/// RopRestrict (synchronous); `None` removes the restriction.
pub fn restrict(input: u8, restriction: Option<Restriction>) -> RopRequest {
    restrict_with(input, 0, restriction)
}

/// RopRestrict with explicit `RestrictFlags`.
pub fn restrict_with(input: u8, flags: u8, restriction: Option<Restriction>) -> RopRequest {
    RopRequest::Restrict(RestrictRequest {
        logon_id: 0,
        input_handle_index: input,
        restrict_flags: flags,
        restriction,
    })
}

/// RopSetColumns with explicit `SetColumnsFlags`.
pub fn set_columns_with(input: u8, flags: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::SetColumns(SetColumnsRequest {
        logon_id: 0,
        input_handle_index: input,
        set_columns_flags: flags,
        property_tags: tags.to_vec(),
    })
}

/// RopResetTable.
pub fn reset_table(input: u8) -> RopRequest {
    RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: input })
}

/// RopGetStatus.
pub fn get_status(input: u8) -> RopRequest {
    RopRequest::GetStatus(GetStatusRequest { logon_id: 0, input_handle_index: input })
}

/// RopAbort.
pub fn abort(input: u8) -> RopRequest {
    RopRequest::Abort(AbortRequest { logon_id: 0, input_handle_index: input })
}

/// RopExpandRow.
pub fn expand_row(input: u8, max_rows: u16, category_id: u64) -> RopRequest {
    RopRequest::ExpandRow(ExpandRowRequest {
        logon_id: 0,
        input_handle_index: input,
        max_row_count: max_rows,
        category_id,
    })
}

/// RopCollapseRow.
pub fn collapse_row(input: u8, category_id: u64) -> RopRequest {
    RopRequest::CollapseRow(CollapseRowRequest { logon_id: 0, input_handle_index: input, category_id })
}

/// RopGetCollapseState.
pub fn get_collapse_state(input: u8, row_id: u64, instance: u32) -> RopRequest {
    RopRequest::GetCollapseState(GetCollapseStateRequest {
        logon_id: 0,
        input_handle_index: input,
        row_id,
        row_instance_number: instance,
    })
}

/// RopSetCollapseState.
pub fn set_collapse_state(input: u8, state: &[u8]) -> RopRequest {
    RopRequest::SetCollapseState(SetCollapseStateRequest {
        logon_id: 0,
        input_handle_index: input,
        collapse_state: state.to_vec(),
    })
}

/// A PropertyRestriction `tag == value` (MS-OXCDATA 2.12.5).
pub fn equals(tag: PropTag, value: oxmapi_core::value::PropValue) -> Restriction {
    Restriction::Property {
        relop: oxmapi_core::restriction::RelOp::Eq,
        prop_tag: tag,
        value: oxmapi_core::value::TaggedValue { tag, value },
    }
}
