//! Table ROPs (MS-OXCTABL 2.2.2; MS-OXCROPS 2.2.5).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, Rows, plain_response};
use crate::cdata::{self, Form, PropertyRow};

/// Declares a request that carries only `LogonId` and `InputHandleIndex`.
macro_rules! handle_only_request {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        wire_struct! {
            $(#[$m])*
            pub struct $name {
                /// `LogonId`.
                logon_id: u8 => U8,
                /// `InputHandleIndex`.
                input_handle_index: u8 => U8,
            }
        }
    )*};
}

handle_only_request! {
    /// RopAbort request (MS-OXCROPS 2.2.5.5.1).
    AbortRequest;
    /// RopGetStatus request (MS-OXCROPS 2.2.5.6.1).
    GetStatusRequest;
    /// RopQueryPosition request (MS-OXCROPS 2.2.5.7.1).
    QueryPositionRequest;
    /// RopCreateBookmark request (MS-OXCROPS 2.2.5.11.1).
    CreateBookmarkRequest;
    /// RopQueryColumnsAll request (MS-OXCROPS 2.2.5.12.1).
    QueryColumnsAllRequest;
    /// RopResetTable request (MS-OXCROPS 2.2.5.15.1).
    ResetTableRequest;
}

wire_struct! {
    /// Responses carrying only `TableStatus` (RopSetColumns, RopSortTable, RopRestrict,
    /// RopAbort, RopGetStatus; MS-OXCTABL 2.2.2.1.3).
    pub struct TableStatusResponse {
        /// `TableStatus` (TBLSTAT_COMPLETE 0x00 …).
        table_status: u8 => U8,
    }
}
wire_struct! {
    /// RopSetColumns request (MS-OXCROPS 2.2.5.1.1).
    pub struct SetColumnsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SetColumnsFlags` (TBL_ASYNC 0x01).
        set_columns_flags: u8 => U8,
        /// `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopSortTable request (MS-OXCROPS 2.2.5.2.1).
    pub struct SortTableRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SortTableFlags` (TBL_ASYNC 0x01, TBL_BATCH 0x02).
        sort_table_flags: u8 => U8,
        /// `SortOrderCount`, `CategoryCount`, `ExpandedCount`, `SortOrders`.
        sort_orders: SortOrderSet => SortSet,
    }
}
wire_struct! {
    /// RopRestrict request (MS-OXCROPS 2.2.5.3.1).
    pub struct RestrictRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `RestrictFlags` (TBL_ASYNC 0x01, TBL_BATCH 0x02).
        restrict_flags: u8 => U8,
        /// `RestrictionDataSize` + `RestrictionData`; `None` clears the restriction.
        restriction: Option<Restriction> => SizedRestriction,
    }
}
wire_struct! {
    /// RopQueryRows request (MS-OXCROPS 2.2.5.4.1).
    pub struct QueryRowsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `QueryRowsFlags` (Advance 0x00, NoAdvance 0x01, EnablePackedBuffers 0x02).
        query_rows_flags: u8 => U8,
        /// `ForwardRead`.
        forward_read: u8 => U8,
        /// `RowCount`.
        row_count: u16 => U16,
    }
}

/// RopQueryRows response (MS-OXCROPS 2.2.5.4.2). The rows are in the table's current columns.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryRowsResponse {
    /// `Origin` (BOOKMARK_BEGINNING 0, BOOKMARK_CURRENT 1, BOOKMARK_END 2).
    pub origin: u8,
    /// `RowCount`.
    pub row_count: u16,
    /// `RowData`.
    pub rows: Rows,
}

impl ResponseBody for QueryRowsResponse {
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let origin = r.u8("Origin")?;
        let row_count = r.u16("RowCount")?;
        let rows = Rows::read(r, row_count as usize, ctx)?;
        Ok(QueryRowsResponse { origin, row_count, rows })
    }
    fn encode_body(&self, w: &mut Writer) {
        w.u8(self.origin);
        w.u16(self.row_count);
        self.rows.write(w);
    }
}

wire_struct! {
    /// RopQueryPosition response (MS-OXCROPS 2.2.5.7.2).
    pub struct QueryPositionResponse {
        /// `Numerator`: the current row.
        numerator: u32 => U32,
        /// `Denominator`: the row count.
        denominator: u32 => U32,
    }
}
wire_struct! {
    /// RopSeekRow request (MS-OXCROPS 2.2.5.8.1).
    pub struct SeekRowRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Origin`.
        origin: u8 => U8,
        /// `RowCount` (signed).
        row_count: i32 => I32,
        /// `WantRowMovedCount`.
        want_row_moved_count: u8 => U8,
    }
}
wire_struct! {
    /// RopSeekRow response (MS-OXCROPS 2.2.5.8.2).
    pub struct SeekRowResponse {
        /// `HasSoughtLess`.
        has_sought_less: u8 => U8,
        /// `RowsSought`.
        rows_sought: i32 => I32,
    }
}
wire_struct! {
    /// RopSeekRowBookmark request (MS-OXCROPS 2.2.5.9.1).
    pub struct SeekRowBookmarkRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `BookmarkSize` + `Bookmark`.
        bookmark: Vec<u8> => Bytes16,
        /// `RowCount`.
        row_count: i32 => I32,
        /// `WantRowMovedCount`.
        want_row_moved_count: u8 => U8,
    }
}
wire_struct! {
    /// RopSeekRowBookmark response (MS-OXCROPS 2.2.5.9.2).
    pub struct SeekRowBookmarkResponse {
        /// `RowNoLongerVisible`.
        row_no_longer_visible: u8 => U8,
        /// `HasSoughtLess`.
        has_sought_less: u8 => U8,
        /// `RowsSought`.
        rows_sought: i32 => I32,
    }
}
wire_struct! {
    /// RopSeekRowFractional request (MS-OXCROPS 2.2.5.10.1).
    pub struct SeekRowFractionalRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Numerator`.
        numerator: u32 => U32,
        /// `Denominator`.
        denominator: u32 => U32,
    }
}
wire_struct! {
    /// Responses carrying a bookmark (RopCreateBookmark 2.2.5.11.2, RopSetCollapseState 2.2.5.19.2).
    pub struct BookmarkResponse {
        /// `BookmarkSize` + `Bookmark`.
        bookmark: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopQueryColumnsAll response (MS-OXCROPS 2.2.5.12.2).
    pub struct QueryColumnsAllResponse {
        /// `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopFindRow request (MS-OXCROPS 2.2.5.13.1).
    pub struct FindRowRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `FindRowFlags` (0 forward, 1 backward).
        find_row_flags: u8 => U8,
        /// `RestrictionDataSize` + `RestrictionData`.
        restriction: Option<Restriction> => SizedRestriction,
        /// `Origin`.
        origin: u8 => U8,
        /// `BookmarkSize` + `Bookmark`.
        bookmark: Vec<u8> => Bytes16,
    }
}

/// RopFindRow response (MS-OXCROPS 2.2.5.13.2).
#[derive(Clone, Debug, PartialEq)]
pub struct FindRowResponse {
    /// `RowNoLongerVisible`.
    pub row_no_longer_visible: u8,
    /// `RowData` when `HasRowData` is nonzero.
    pub row: Option<Rows>,
}

impl ResponseBody for FindRowResponse {
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let row_no_longer_visible = r.u8("RowNoLongerVisible")?;
        let row = if r.u8("HasRowData")? != 0 { Some(Rows::read(r, 1, ctx)?) } else { None };
        Ok(FindRowResponse { row_no_longer_visible, row })
    }
    fn encode_body(&self, w: &mut Writer) {
        w.u8(self.row_no_longer_visible);
        w.u8(self.row.is_some() as u8);
        if let Some(r) = &self.row {
            r.write(w);
        }
    }
}

wire_struct! {
    /// RopFreeBookmark request (MS-OXCROPS 2.2.5.14.1).
    pub struct FreeBookmarkRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `BookmarkSize` + `Bookmark`.
        bookmark: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopExpandRow request (MS-OXCROPS 2.2.5.16.1).
    pub struct ExpandRowRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MaxRowCount`.
        max_row_count: u16 => U16,
        /// `CategoryId`.
        category_id: u64 => U64,
    }
}

/// RopExpandRow response (MS-OXCROPS 2.2.5.16.2).
#[derive(Clone, Debug, PartialEq)]
pub struct ExpandRowResponse {
    /// `ExpandedRowCount`.
    pub expanded_row_count: u32,
    /// `RowCount`.
    pub row_count: u16,
    /// `RowData`.
    pub rows: Rows,
}

impl ResponseBody for ExpandRowResponse {
    fn decode_success(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        let expanded_row_count = r.u32("ExpandedRowCount")?;
        let row_count = r.u16("RowCount")?;
        let rows = Rows::read(r, row_count as usize, ctx)?;
        Ok(ExpandRowResponse { expanded_row_count, row_count, rows })
    }
    fn encode_body(&self, w: &mut Writer) {
        w.u32(self.expanded_row_count);
        w.u16(self.row_count);
        self.rows.write(w);
    }
}

wire_struct! {
    /// RopCollapseRow request (MS-OXCROPS 2.2.5.17.1).
    pub struct CollapseRowRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `CategoryId`.
        category_id: u64 => U64,
    }
}
wire_struct! {
    /// RopCollapseRow response (MS-OXCROPS 2.2.5.17.2).
    pub struct CollapseRowResponse {
        /// `CollapsedRowCount`.
        collapsed_row_count: u32 => U32,
    }
}
wire_struct! {
    /// RopGetCollapseState request (MS-OXCROPS 2.2.5.18.1).
    pub struct GetCollapseStateRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `RowId`.
        row_id: u64 => U64,
        /// `RowInstanceNumber`.
        row_instance_number: u32 => U32,
    }
}
wire_struct! {
    /// RopGetCollapseState response (MS-OXCROPS 2.2.5.18.2).
    pub struct GetCollapseStateResponse {
        /// `CollapseStateSize` + `CollapseState`.
        collapse_state: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopSetCollapseState request (MS-OXCROPS 2.2.5.19.1).
    pub struct SetCollapseStateRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `CollapseStateSize` + `CollapseState`.
        collapse_state: Vec<u8> => Bytes16,
    }
}
plain_response!(
    TableStatusResponse,
    QueryPositionResponse,
    SeekRowResponse,
    SeekRowBookmarkResponse,
    BookmarkResponse,
    QueryColumnsAllResponse,
    CollapseRowResponse,
    GetCollapseStateResponse
);

/// Writes rows for `columns` (server side helper).
pub fn rows(columns: &[PropTag], rows: Vec<PropertyRow>) -> Rows {
    Rows::Decoded { columns: columns.to_vec(), rows }
}

/// Decodes one row in ROP form (used for RopNotify TableRowData and tests).
pub fn read_row(bytes: &[u8], columns: &[PropTag]) -> DecodeResult<PropertyRow> {
    let mut r = Reader::new(bytes);
    let row = cdata::read_row(&mut r, columns, Form::Rop)?;
    r.finish("PropertyRow")?;
    Ok(row)
}
