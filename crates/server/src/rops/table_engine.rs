//! The engine behind a table object (MS-OXCTABL 3.2.5): the in-memory [`Table`] (hierarchy and
//! attachment tables, search folders, and contents views the index cannot serve) or the
//! index-backed [`IndexedTable`] (contents tables of normal folders, read page by page from the
//! store so that a page, a seek or a position costs O(page × log n) and the table's memory does
//! not grow with the folder).
//!
//! [`TableEngine`] delegates every table operation to the engine it holds, so the table ROPs
//! (`oxctabl`) do not care which one serves them. [`wants_indexed`] is the selection rule; the
//! switch itself, which keeps the cursor on its row, is `table_rows::select_engine`.

use oxmapi_core::catalogue::tags::PR_INST_ID;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::table::{
    CursorMark, Expanded, FindStart, FoundRow, IndexedTable, Origin, QueryResult, SeekResult, Table,
    TableError,
};

/// A saved cursor of either engine ([`TableEngine::cursor_mark`]).
#[derive(Debug)]
pub enum EngineMark {
    /// The memory engine's cursor index.
    Memory(usize),
    /// The index-backed engine's cursor key.
    Indexed(CursorMark),
}

/// A restricted contents view of a folder with at most this many messages (counted when the
/// view is set) keeps the in-memory engine: loading it is cheap, and its table notifications
/// stay row by row (an index-backed restricted view announces TableChanged instead, because
/// whether a changed row was in the view before is not known; MS-OXCNOTIF 3.1.4.3 allows it).
pub const SMALL_RESTRICTED_FOLDER: u32 = 1_000;

/// The engine of one table object. The in-memory table stays inline, as it was before there
/// were two engines (its rows are on the heap); the index-backed one is boxed.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum TableEngine {
    /// Rows loaded into memory.
    Memory(Table),
    /// Rows read from the store's indexes on demand.
    Indexed(Box<IndexedTable>),
}

impl Default for TableEngine {
    fn default() -> TableEngine {
        TableEngine::Memory(Table::default())
    }
}

impl From<Table> for TableEngine {
    fn from(t: Table) -> TableEngine {
        TableEngine::Memory(t)
    }
}

/// The selection rule for a contents view of a normal folder: the index-backed engine whenever
/// it supports the columns, sort order and restriction, except a restricted view of a folder
/// of at most [`SMALL_RESTRICTED_FOLDER`] messages (`larger_than(SMALL_RESTRICTED_FOLDER)`
/// is asked only then; it must not count a big folder whole).
///
/// A categorized sort order (`CategorizedCount` > 0, MS-OXCTABL 2.2.2.13) is never supported
/// by the index-backed engine ([`IndexedTable::supports`]), so a categorized view always gets
/// the in-memory engine, whatever the folder's size. The tradeoff: heading rows, their
/// PidTagContentCount/PidTagContentUnreadCount and RopExpandRow/RopCollapseRow need the whole
/// sorted view, so such a view of a big folder loads every message's sort keys and columns
/// into memory (O(folder) per table, as every in-memory view does) and its table notifications
/// are TableChanged rather than row by row; an uncategorized view of the same folder keeps
/// the index-backed engine's O(page) cost.
pub fn wants_indexed<E>(
    columns: &[PropTag],
    sort: &SortOrderSet,
    restriction: Option<&Restriction>,
    larger_than: impl FnOnce(u32) -> Result<bool, E>,
) -> Result<bool, E> {
    if !IndexedTable::supports(columns, sort, restriction) {
        return Ok(false);
    }
    match restriction {
        None => Ok(true),
        Some(_) => larger_than(SMALL_RESTRICTED_FOLDER),
    }
}

/// The restriction that finds the view row of object `id` (PR_INST_ID, which every view row
/// carries).
fn row_of(id: u64) -> Restriction {
    Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_INST_ID,
        value: TaggedValue::new(PR_INST_ID, PropValue::I64(id as i64)),
    }
}

impl TableEngine {
    /// True for the index-backed engine.
    pub fn is_indexed(&self) -> bool {
        matches!(self, TableEngine::Indexed(_))
    }

    /// The in-memory table, if that is the engine.
    pub fn memory(&self) -> Option<&Table> {
        match self {
            TableEngine::Memory(t) => Some(t),
            TableEngine::Indexed(_) => None,
        }
    }

    /// The in-memory table, mutably, if that is the engine.
    pub fn memory_mut(&mut self) -> Option<&mut Table> {
        match self {
            TableEngine::Memory(t) => Some(t),
            TableEngine::Indexed(_) => None,
        }
    }

    /// The columns.
    pub fn columns(&self) -> &[PropTag] {
        match self {
            TableEngine::Memory(t) => t.columns(),
            TableEngine::Indexed(t) => t.columns(),
        }
    }

    /// The restriction in force.
    pub fn restriction(&self) -> Option<&Restriction> {
        match self {
            TableEngine::Memory(t) => t.restriction(),
            TableEngine::Indexed(t) => t.restriction(),
        }
    }

    /// The sort order in force.
    pub fn sort_order(&self) -> &SortOrderSet {
        match self {
            TableEngine::Memory(t) => t.sort_order(),
            TableEngine::Indexed(t) => t.sort_order(),
        }
    }

    /// RopSetColumns: the cursor stays on its row.
    pub fn set_columns(&mut self, columns: Vec<PropTag>) -> Result<(), TableError> {
        match self {
            TableEngine::Memory(t) => t.set_columns(columns),
            TableEngine::Indexed(t) => t.set_columns(columns),
        }
    }

    /// RopRestrict: cursor to the beginning, bookmarks invalid.
    pub fn restrict(&mut self, restriction: Option<Restriction>) {
        match self {
            TableEngine::Memory(t) => t.restrict(restriction),
            TableEngine::Indexed(t) => t.restrict(restriction),
        }
    }

    /// RopSortTable: cursor to the beginning, bookmarks invalid.
    pub fn sort(&mut self, set: SortOrderSet) -> Result<(), TableError> {
        match self {
            TableEngine::Memory(t) => t.sort(set),
            TableEngine::Indexed(t) => t.sort(set),
        }
    }

    /// RopResetTable.
    pub fn reset(&mut self) {
        match self {
            TableEngine::Memory(t) => t.reset(),
            TableEngine::Indexed(t) => t.reset(),
        }
    }

    /// Rows in the view.
    pub fn row_count(&mut self) -> Result<usize, TableError> {
        match self {
            TableEngine::Memory(t) => Ok(t.row_count()),
            TableEngine::Indexed(t) => t.row_count(),
        }
    }

    /// The cursor position (0 = before the first row).
    pub fn position(&mut self) -> Result<usize, TableError> {
        match self {
            TableEngine::Memory(t) => Ok(t.position()),
            TableEngine::Indexed(t) => t.position(),
        }
    }

    /// The object id of the row under the cursor, if any.
    pub fn current_row(&self) -> Option<u64> {
        match self {
            TableEngine::Memory(t) => t.rows().get(t.position()).map(|r| r.id),
            TableEngine::Indexed(t) => t.current_row().map(|(id, _)| id),
        }
    }

    /// Puts the cursor on the row of object `id` (its first instance); where it is not in the
    /// view, the cursor stays where it is.
    pub fn seek_to_row(&mut self, id: u64) -> Result<(), TableError> {
        match self {
            TableEngine::Memory(t) => {
                let keep = t.position();
                if t.find_row(&row_of(id), FindStart::Origin(Origin::Beginning), false)?.is_none() {
                    t.seek(Origin::Beginning, keep as i32);
                }
                Ok(())
            }
            TableEngine::Indexed(t) => t.seek_to_row(id),
        }
    }

    /// RopQueryRows. A forward read of an empty view leaves the cursor at the beginning, as the
    /// in-memory engine does (its cursor is then at index 0, before any row that arrives
    /// later): the next read returns the rows added meanwhile.
    pub fn query_rows(
        &mut self,
        count: usize,
        forward: bool,
        no_advance: bool,
    ) -> Result<QueryResult, TableError> {
        match self {
            TableEngine::Memory(t) => Ok(t.query_rows(count, forward, no_advance)),
            TableEngine::Indexed(t) => {
                let from_beginning = t.at_beginning();
                let r = t.query_rows(count, forward, no_advance)?;
                if forward && from_beginning && r.rows.is_empty() {
                    t.seek(Origin::Beginning, 0)?;
                }
                Ok(r)
            }
        }
    }

    /// The cursor as it is, for [`Self::restore_cursor`].
    pub fn cursor_mark(&self) -> EngineMark {
        match self {
            TableEngine::Memory(t) => EngineMark::Memory(t.position()),
            TableEngine::Indexed(t) => EngineMark::Indexed(t.cursor_mark()),
        }
    }

    /// Puts the cursor back where [`Self::cursor_mark`] saw it.
    pub fn restore_cursor(&mut self, mark: EngineMark) {
        match (self, mark) {
            (TableEngine::Memory(t), EngineMark::Memory(at)) => {
                t.seek(Origin::Beginning, i32::try_from(at).unwrap_or(i32::MAX));
            }
            (TableEngine::Indexed(t), EngineMark::Indexed(m)) => t.restore_cursor(m),
            // The engine was switched meanwhile (not within one ROP): nothing to restore.
            _ => {}
        }
    }

    /// Gives back the rows a QueryRows response could not hold.
    pub fn unread(&mut self, returned: usize, kept: usize, forward: bool) {
        match self {
            TableEngine::Memory(t) => t.unread(returned, kept, forward),
            TableEngine::Indexed(t) => t.unread(returned, kept, forward),
        }
    }

    /// RopSeekRow.
    pub fn seek(&mut self, origin: Origin, delta: i32) -> Result<SeekResult, TableError> {
        match self {
            TableEngine::Memory(t) => Ok(t.seek(origin, delta)),
            TableEngine::Indexed(t) => t.seek(origin, delta),
        }
    }

    /// RopSeekRowFractional.
    pub fn seek_fractional(&mut self, numerator: u32, denominator: u32) -> Result<(), TableError> {
        match self {
            TableEngine::Memory(t) => t.seek_fractional(numerator, denominator),
            TableEngine::Indexed(t) => t.seek_fractional(numerator, denominator),
        }
    }

    /// RopQueryPosition: (cursor, row count).
    pub fn query_position(&mut self) -> Result<(u32, u32), TableError> {
        match self {
            TableEngine::Memory(t) => Ok(t.query_position()),
            TableEngine::Indexed(t) => t.query_position(),
        }
    }

    /// RopCreateBookmark.
    pub fn create_bookmark(&mut self) -> Vec<u8> {
        match self {
            TableEngine::Memory(t) => t.create_bookmark(),
            TableEngine::Indexed(t) => t.create_bookmark(),
        }
    }

    /// RopFreeBookmark.
    pub fn free_bookmark(&mut self, bookmark: &[u8]) -> Result<(), TableError> {
        match self {
            TableEngine::Memory(t) => t.free_bookmark(bookmark),
            TableEngine::Indexed(t) => t.free_bookmark(bookmark),
        }
    }

    /// RopSeekRowBookmark.
    pub fn seek_bookmark(&mut self, bookmark: &[u8], delta: i32) -> Result<SeekResult, TableError> {
        match self {
            TableEngine::Memory(t) => t.seek_bookmark(bookmark, delta),
            TableEngine::Indexed(t) => t.seek_bookmark(bookmark, delta),
        }
    }

    /// RopFindRow.
    pub fn find_row(
        &mut self,
        restriction: &Restriction,
        start: FindStart<'_>,
        backward: bool,
    ) -> Result<Option<FoundRow>, TableError> {
        match self {
            TableEngine::Memory(t) => t.find_row(restriction, start, backward),
            TableEngine::Indexed(t) => t.find_row(restriction, start, backward),
        }
    }

    /// RopExpandRow. The index-backed engine has no categories: every `CategoryId` is
    /// unknown to it.
    pub fn expand_row(&mut self, category: u64, max_rows: usize) -> Result<Expanded, TableError> {
        match self {
            TableEngine::Memory(t) => t.expand_row(category, max_rows),
            TableEngine::Indexed(_) => Err(TableError::NoCategory(category)),
        }
    }

    /// RopCollapseRow (the index-backed engine: as [`Self::expand_row`]).
    pub fn collapse_row(&mut self, category: u64) -> Result<usize, TableError> {
        match self {
            TableEngine::Memory(t) => t.collapse_row(category),
            TableEngine::Indexed(_) => Err(TableError::NoCategory(category)),
        }
    }

    /// RopGetCollapseState.
    pub fn collapse_state(&self, row_id: u64, instance: u32) -> Result<Vec<u8>, TableError> {
        match self {
            TableEngine::Memory(t) => t.collapse_state(row_id, instance),
            TableEngine::Indexed(t) => t.collapse_state(row_id, instance),
        }
    }

    /// RopSetCollapseState.
    pub fn set_collapse_state(&mut self, state: &[u8]) -> Result<Vec<u8>, TableError> {
        match self {
            TableEngine::Memory(t) => t.set_collapse_state(state),
            TableEngine::Indexed(t) => t.set_collapse_state(state),
        }
    }
}
