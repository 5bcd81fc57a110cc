//! The index-backed contents-table engine (MS-OXCTABL 3.2.5): a contents table of a normal
//! folder whose sort keys are denormalised, indexed columns of `messages`, read page by page
//! from SQLite instead of being loaded whole. The cursor and the bookmarks are keys (sort
//! values + MID), so a page, a seek, a fractional seek and a QueryRows cost O(page × log n)
//! and the table's memory does not grow with the folder. [`crate::table::Table`] stays the
//! engine of other tables and the reference this one is tested against.

use std::sync::Arc;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;

use super::{FindStart, FoundRow, Origin, QueryResult, RowChange, SeekResult, TableError};
use crate::mailbox::MessageStore;

/// The rows a contents table lists: the normal (or FAI) messages of a folder, live or
/// soft-deleted (MS-OXCFOLD 2.2.1.14 RopGetContentsTable, TableFlags Associated / SoftDeletes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentsScope {
    /// The folder (a normal folder; search folders use the in-memory engine).
    pub fid: ObjectId,
    /// FAI messages instead of normal ones.
    pub associated: bool,
    /// Soft-deleted messages instead of live ones.
    pub soft_deleted: bool,
}

/// An index-backed contents table (see the module documentation).
pub struct IndexedTable {
    #[allow(dead_code)]
    store: Arc<MessageStore>,
    #[allow(dead_code)]
    scope: ContentsScope,
    columns: Vec<PropTag>,
    sort: SortOrderSet,
    restriction: Option<Restriction>,
}

impl std::fmt::Debug for IndexedTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedTable")
            .field("scope", &self.scope)
            .field("columns", &self.columns)
            .field("sort", &self.sort)
            .field("restriction", &self.restriction)
            .finish_non_exhaustive()
    }
}

fn not_yet() -> TableError {
    TableError::Store("the indexed table engine is not built yet".into())
}

impl IndexedTable {
    /// True when this engine can serve the view.
    pub fn supports(_columns: &[PropTag], _sort: &SortOrderSet, _restriction: Option<&Restriction>) -> bool {
        false
    }

    /// A table over `scope`, cursor at the beginning.
    pub fn new(
        store: Arc<MessageStore>,
        scope: ContentsScope,
        columns: Vec<PropTag>,
        sort: SortOrderSet,
        restriction: Option<Restriction>,
    ) -> IndexedTable {
        IndexedTable { store, scope, columns, sort, restriction }
    }

    /// The columns.
    pub fn columns(&self) -> &[PropTag] {
        &self.columns
    }

    /// The restriction in force.
    pub fn restriction(&self) -> Option<&Restriction> {
        self.restriction.as_ref()
    }

    /// The sort order in force.
    pub fn sort_order(&self) -> &SortOrderSet {
        &self.sort
    }

    /// RopSetColumns (MS-OXCTABL 3.2.5.1).
    pub fn set_columns(&mut self, columns: Vec<PropTag>) -> Result<(), TableError> {
        self.columns = columns;
        Err(not_yet())
    }

    /// RopRestrict (MS-OXCTABL 3.2.5.4).
    pub fn restrict(&mut self, restriction: Option<Restriction>) {
        self.restriction = restriction;
    }

    /// RopSortTable (MS-OXCTABL 3.2.5.3).
    pub fn sort(&mut self, set: SortOrderSet) -> Result<(), TableError> {
        self.sort = set;
        Err(not_yet())
    }

    /// RopResetTable (MS-OXCTABL 3.2.5.15).
    pub fn reset(&mut self) {}

    /// The store changed: cached counts are dropped.
    pub fn changed(&mut self) {}

    /// Rows in the view.
    pub fn row_count(&mut self) -> Result<usize, TableError> {
        Err(not_yet())
    }

    /// The cursor position (0 = before the first row).
    pub fn position(&mut self) -> Result<usize, TableError> {
        Err(not_yet())
    }

    /// The (mid, instance) of the row under the cursor.
    pub fn current_row(&self) -> Option<(u64, u32)> {
        None
    }

    /// RopQueryRows (MS-OXCTABL 3.2.5.5).
    pub fn query_rows(
        &mut self,
        _count: usize,
        _forward: bool,
        _no_advance: bool,
    ) -> Result<QueryResult, TableError> {
        Err(not_yet())
    }

    /// Gives back rows a QueryRows response could not hold.
    pub fn unread(&mut self, _returned: usize, _kept: usize, _forward: bool) {}

    /// RopSeekRow (MS-OXCTABL 3.2.5.7).
    pub fn seek(&mut self, _origin: Origin, _delta: i32) -> Result<SeekResult, TableError> {
        Err(not_yet())
    }

    /// RopSeekRowFractional (MS-OXCTABL 3.2.5.9).
    pub fn seek_fractional(&mut self, _numerator: u32, _denominator: u32) -> Result<(), TableError> {
        Err(not_yet())
    }

    /// RopQueryPosition (MS-OXCTABL 3.2.5.6).
    pub fn query_position(&mut self) -> Result<(u32, u32), TableError> {
        Err(not_yet())
    }

    /// RopCreateBookmark (MS-OXCTABL 3.2.5.10).
    pub fn create_bookmark(&mut self) -> Vec<u8> {
        Vec::new()
    }

    /// RopFreeBookmark (MS-OXCTABL 3.2.5.14).
    pub fn free_bookmark(&mut self, _bookmark: &[u8]) -> Result<(), TableError> {
        Err(TableError::InvalidBookmark)
    }

    /// RopSeekRowBookmark (MS-OXCTABL 3.2.5.8).
    pub fn seek_bookmark(&mut self, _bookmark: &[u8], _delta: i32) -> Result<SeekResult, TableError> {
        Err(not_yet())
    }

    /// RopFindRow (MS-OXCTABL 3.2.5.13).
    pub fn find_row(
        &mut self,
        _restriction: &Restriction,
        _start: FindStart<'_>,
        _backward: bool,
    ) -> Result<Option<FoundRow>, TableError> {
        Err(not_yet())
    }

    /// RopGetCollapseState (MS-OXCTABL 3.2.5.18).
    pub fn collapse_state(&self, row_id: u64, instance: u32) -> Vec<u8> {
        let mut state = row_id.to_le_bytes().to_vec();
        state.extend_from_slice(&instance.to_le_bytes());
        state
    }

    /// RopSetCollapseState (MS-OXCTABL 3.2.5.19).
    pub fn set_collapse_state(&mut self, _state: &[u8]) -> Result<Vec<u8>, TableError> {
        Err(not_yet())
    }

    /// Row-level changes for table notifications (MS-OXCNOTIF 2.2.1.4.1.2).
    pub fn row_changes(&mut self, _touched: &[(u64, bool)]) -> Result<Option<Vec<RowChange>>, TableError> {
        Ok(None)
    }

    /// Puts the cursor on the row of message `id` (switching engines mid-table).
    pub fn seek_to_row(&mut self, _id: u64) -> Result<(), TableError> {
        Err(not_yet())
    }
}
