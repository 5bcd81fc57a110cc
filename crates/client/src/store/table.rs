//! IMAPITable over the table ROPs (MS-OXCTABL 3.1.4): columns, restriction, sort, reading rows
//! (several RopQueryRows when the server packs fewer rows than asked into a response), seeks,
//! bookmarks, FindRow and positions.

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::{SortDirection, SortOrder as CoreSortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxctabl::{
    CreateBookmarkRequest, FindRowRequest, FreeBookmarkRequest, QueryColumnsAllRequest, QueryPositionRequest,
    QueryRowsRequest, RestrictRequest, SeekRowBookmarkRequest, SeekRowFractionalRequest, SeekRowRequest,
    SetColumnsRequest, SortTableRequest,
};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::object::ObjectHandle;
use super::read_bound::ReadBound;
use crate::profile::MapiResult;

/// Rows asked for per RopQueryRows (`RowCount` is a u16; the server returns what fits).
const QUERY_BATCH: u16 = 0x1000;
/// BOOKMARK_BEGINNING / BOOKMARK_CURRENT / BOOKMARK_END (MS-OXCTABL 2.2.2.1.1).
const BOOKMARK_BEGINNING: u8 = 0;
const BOOKMARK_CURRENT: u8 = 1;
const BOOKMARK_END: u8 = 2;

/// One sort key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortOrder {
    /// The column.
    pub tag: PropTag,
    /// Descending order.
    pub descending: bool,
}

/// A table row: one cell per column.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The columns.
    pub columns: Vec<PropTag>,
    /// The cells.
    pub values: Vec<RowValue>,
}

impl Row {
    /// The value of the column with `tag`'s property id, if the row has one.
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        self.columns.iter().zip(&self.values).find(|(c, _)| c.id() == tag.id()).and_then(|(_, v)| match v {
            RowValue::Value(v) => Some(v),
            _ => None,
        })
    }
}

/// An open table.
pub struct Table {
    pub(crate) obj: ObjectHandle,
    row_count: u32,
    pub(crate) columns: Vec<PropTag>,
    /// The columns as the notification sinks read rows (once advised).
    pub(crate) shared_columns: Option<std::sync::Arc<std::sync::Mutex<Vec<PropTag>>>>,
    /// Advise connections, ended with the table.
    pub(crate) subscriptions: Vec<crate::notify::Connection>,
}

impl Drop for Table {
    fn drop(&mut self) {
        for c in self.subscriptions.drain(..) {
            crate::notify::advise::unadvise_table(&self.obj.link, c);
        }
    }
}

fn rows_of(rows: Rows, columns: &[PropTag]) -> MapiResult<Vec<Row>> {
    match rows {
        Rows::Decoded { rows, .. } => {
            Ok(rows.into_iter().map(|r| Row { columns: columns.to_vec(), values: r.values }).collect())
        }
        Rows::Raw(_) => {
            Err(MapiError::new(codes::MAPI_E_CORRUPT_DATA, "table rows arrived without their columns"))
        }
    }
}

impl Table {
    pub(crate) fn new(obj: ObjectHandle, row_count: u32) -> Table {
        Table { obj, row_count, columns: Vec::new(), shared_columns: None, subscriptions: Vec::new() }
    }

    /// The row count the server reported when the table was opened (IMAPITable::GetRowCount
    /// before any restriction).
    pub fn initial_row_count(&self) -> u32 {
        self.row_count
    }

    /// The columns set.
    pub fn columns(&self) -> &[PropTag] {
        &self.columns
    }

    fn one(&self, make: impl Fn(u8) -> RopRequest) -> MapiResult<oxmapi_wire::rop::response::RopResponse> {
        let mut c = self.obj.call(|b, slot| Ok(b.push(make(slot))))?;
        c.result.take(c.value)
    }

    /// The columns notification rows are read in.
    fn share_columns(&self, columns: &[PropTag]) {
        if let Some(shared) = &self.shared_columns {
            *shared.lock().unwrap_or_else(|e| e.into_inner()) = columns.to_vec();
        }
    }

    /// IMAPITable::SetColumns. Row notifications arriving with the response are already in the
    /// new columns (the server turns older queued ones into TABLE_CHANGED), so the sinks switch
    /// before the request goes out.
    pub fn set_columns(&mut self, columns: &[PropTag]) -> MapiResult<()> {
        self.share_columns(columns);
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::SetColumns(SetColumnsRequest {
                logon_id,
                input_handle_index: slot,
                set_columns_flags: 0,
                property_tags: columns.to_vec(),
            })
        })?;
        if let Err(e) = expect_rop!(r, SetColumns) {
            self.share_columns(&self.columns.clone());
            return Err(e);
        }
        self.columns = columns.to_vec();
        Ok(())
    }

    /// IMAPITable::SortTable (an empty list removes the sort).
    pub fn sort(&self, keys: &[SortOrder]) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let set = SortOrderSet {
            orders: keys
                .iter()
                .map(|k| CoreSortOrder {
                    tag: k.tag,
                    direction: if k.descending { SortDirection::Descend } else { SortDirection::Ascend },
                })
                .collect(),
            categorized_count: 0,
            expanded_count: 0,
        };
        let r = self.one(|slot| {
            RopRequest::SortTable(SortTableRequest {
                logon_id,
                input_handle_index: slot,
                sort_table_flags: 0,
                sort_orders: set.clone(),
            })
        })?;
        expect_rop!(r, SortTable)?;
        Ok(())
    }

    /// IMAPITable::Restrict (`None` removes the restriction).
    pub fn restrict(&self, restriction: Option<&Restriction>) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::Restrict(RestrictRequest {
                logon_id,
                input_handle_index: slot,
                restrict_flags: 0,
                restriction: restriction.cloned(),
            })
        })?;
        expect_rop!(r, Restrict)?;
        Ok(())
    }

    /// IMAPITable::QueryRows: up to `count` rows from the cursor (backwards when `forward` is
    /// false), advancing it. Fewer rows come back only at the end of the table.
    ///
    /// Each RopQueryRows goes with a RopQueryPosition in the same Execute. When the server says
    /// more rows follow, the rest of the read is held to the rows the server reported left after
    /// the first response (plus [`super::read_bound::TABLE_ROW_MARGIN`]) and must move the
    /// position each time ([`ReadBound`]): a server that never ends a table stops the read
    /// with MAPI_E_CORRUPT_DATA instead of filling memory.
    pub fn query_rows(&self, count: usize, forward: bool) -> MapiResult<Vec<Row>> {
        let mut out: Vec<Row> = Vec::new();
        let mut bound: Option<ReadBound> = None;
        while out.len() < count {
            let want = (count - out.len()).min(QUERY_BATCH as usize) as u16;
            let logon_id = self.obj.logon_id();
            let columns = self.columns.clone();
            let mut c = self.obj.call(|b, slot| {
                let rows = b.push_rows(
                    RopRequest::QueryRows(QueryRowsRequest {
                        logon_id,
                        input_handle_index: slot,
                        query_rows_flags: 0,
                        forward_read: forward as u8,
                        row_count: want,
                    }),
                    columns.clone(),
                );
                let position = b.push(RopRequest::QueryPosition(QueryPositionRequest {
                    logon_id,
                    input_handle_index: slot,
                }));
                Ok((rows, position))
            })?;
            let (rows_at, position_at) = c.value;
            let body = expect_rop!(c.result.take(rows_at)?, QueryRows)?;
            let got = rows_of(body.rows, &self.columns)?;
            if got.len() > want as usize {
                return Err(MapiError::new(
                    codes::MAPI_E_CORRUPT_DATA,
                    format!(
                        "the server answered RopQueryRows with {} rows, more than the {want} asked for",
                        got.len()
                    ),
                ));
            }
            let done = got.is_empty() || (body.origin != BOOKMARK_CURRENT && got.len() < want as usize);
            let n = got.len() as u64;
            out.extend(got);
            if done || out.len() >= count {
                break;
            }
            let p = expect_rop!(c.result.take(position_at)?, QueryPosition).map_err(|e| {
                MapiError::new(
                    e.code,
                    format!(
                        "{e}: the server does not report the table position, so a read over several responses \
                         cannot be bounded; read fewer rows at a time"
                    ),
                )
            })?;
            let (position, total) = (u64::from(p.numerator), u64::from(p.denominator));
            match &mut bound {
                None => {
                    let left = if forward { total.saturating_sub(position) } else { position };
                    bound = Some(ReadBound::new("RopQueryRows", left, position));
                }
                Some(b) => b.next(n, position)?,
            }
        }
        Ok(out)
    }

    /// IMAPITable::SeekRow from the beginning, the cursor or the end; returns the rows moved.
    pub fn seek(&self, origin: SeekOrigin, rows: i32) -> MapiResult<i32> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::SeekRow(SeekRowRequest {
                logon_id,
                input_handle_index: slot,
                origin: origin.code(),
                row_count: rows,
                want_row_moved_count: 1,
            })
        })?;
        Ok(expect_rop!(r, SeekRow)?.rows_sought)
    }

    /// IMAPITable::SeekRowApprox: RopSeekRowFractional (MS-OXCROPS 2.2.5.10, MS-OXCTABL
    /// 3.2.5.9) moves the cursor to about `numerator / denominator` of the table.
    pub fn seek_fractional(&self, numerator: u32, denominator: u32) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::SeekRowFractional(SeekRowFractionalRequest {
                logon_id,
                input_handle_index: slot,
                numerator,
                denominator,
            })
        })?;
        expect_rop!(r, SeekRowFractional)?;
        Ok(())
    }

    /// IMAPITable::QueryPosition: (current row, row count).
    pub fn query_position(&self) -> MapiResult<(u32, u32)> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::QueryPosition(QueryPositionRequest { logon_id, input_handle_index: slot })
        })?;
        let p = expect_rop!(r, QueryPosition)?;
        Ok((p.numerator, p.denominator))
    }

    /// IMAPITable::GetRowCount under the current restriction.
    pub fn row_count(&self) -> MapiResult<u32> {
        Ok(self.query_position()?.1)
    }

    /// IMAPITable::CreateBookmark at the cursor.
    pub fn create_bookmark(&self) -> MapiResult<Vec<u8>> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id, input_handle_index: slot })
        })?;
        Ok(expect_rop!(r, CreateBookmark)?.bookmark)
    }

    /// IMAPITable::FreeBookmark.
    pub fn free_bookmark(&self, bookmark: &[u8]) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::FreeBookmark(FreeBookmarkRequest {
                logon_id,
                input_handle_index: slot,
                bookmark: bookmark.to_vec(),
            })
        })?;
        expect_rop!(r, FreeBookmark)?;
        Ok(())
    }

    /// IMAPITable::SeekRow from a bookmark; returns the rows moved.
    pub fn seek_bookmark(&self, bookmark: &[u8], rows: i32) -> MapiResult<i32> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
                logon_id,
                input_handle_index: slot,
                bookmark: bookmark.to_vec(),
                row_count: rows,
                want_row_moved_count: 1,
            })
        })?;
        Ok(expect_rop!(r, SeekRowBookmark)?.rows_sought)
    }

    /// IMAPITable::FindRow from the cursor (`backward` searches towards the beginning): the
    /// first matching row, with the cursor moved onto it; `None` when no row matches.
    pub fn find_row(&self, restriction: &Restriction, backward: bool) -> MapiResult<Option<Row>> {
        let logon_id = self.obj.logon_id();
        let columns = self.columns.clone();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push_rows(
                RopRequest::FindRow(FindRowRequest {
                    logon_id,
                    input_handle_index: slot,
                    find_row_flags: backward as u8,
                    restriction: Some(restriction.clone()),
                    origin: BOOKMARK_CURRENT,
                    bookmark: Vec::new(),
                }),
                columns.clone(),
            ))
        })?;
        match c.result.take(c.value)? {
            oxmapi_wire::rop::response::RopResponse::FindRow(o)
                if o.return_value == codes::MAPI_E_NOT_FOUND.0 =>
            {
                Ok(None)
            }
            r => {
                let body = expect_rop!(r, FindRow)?;
                match body.row {
                    Some(rows) => Ok(rows_of(rows, &self.columns)?.into_iter().next()),
                    None => Ok(None),
                }
            }
        }
    }

    /// The columns the table could show (RopQueryColumnsAll).
    pub fn query_columns_all(&self) -> MapiResult<Vec<PropTag>> {
        let logon_id = self.obj.logon_id();
        let r = self.one(|slot| {
            RopRequest::QueryColumnsAll(QueryColumnsAllRequest { logon_id, input_handle_index: slot })
        })?;
        Ok(expect_rop!(r, QueryColumnsAll)?.property_tags)
    }
}

/// Where IMAPITable::SeekRow starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekOrigin {
    /// BOOKMARK_BEGINNING.
    Beginning,
    /// BOOKMARK_CURRENT.
    Current,
    /// BOOKMARK_END.
    End,
}

impl SeekOrigin {
    fn code(self) -> u8 {
        match self {
            SeekOrigin::Beginning => BOOKMARK_BEGINNING,
            SeekOrigin::Current => BOOKMARK_CURRENT,
            SeekOrigin::End => BOOKMARK_END,
        }
    }
}
