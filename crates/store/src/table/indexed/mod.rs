//! The index-backed contents-table engine (MS-OXCTABL 3.2.5): a contents table of a normal
//! folder whose sort keys are denormalised, indexed columns of `messages`, read page by page
//! from SQLite instead of being loaded whole. The cursor and the bookmarks are keys (sort
//! values + MID), so a page, a seek, a fractional seek and a QueryRows cost O(page × log n)
//! and the table's memory does not grow with the folder. [`crate::table::Table`] stays the
//! engine of other tables and the reference this one is tested against.
//!
//! Files: `plan.rs` (sort keys, restriction → exact SQL + residual), `keyset.rs` (keys and the
//! index ranges past one), `scan.rs` (the SQL), `cursor.rs` (QueryRows, seeks, positions,
//! bookmarks, FindRow), `changes.rs` (row-level notifications).

mod changes;
mod cursor;
mod keyset;
mod plan;
mod scan;
mod stream;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;

use super::{TableError, mv_instance};
use crate::mailbox::MessageStore;
use keyset::{Key, Pos};

use plan::{Filter, SortKey, has_count, sort_keys};
use scan::Scan;

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

/// A saved position (RopCreateBookmark): where it was and the row id it was on.
#[derive(Clone, Debug)]
struct Mark {
    pos: Pos,
    id: Option<u64>,
}

/// A saved cursor of an [`IndexedTable`] ([`IndexedTable::cursor_mark`]), to put it back
/// after reads that must not move it.
#[derive(Clone, Debug)]
pub struct CursorMark {
    pos: Pos,
    known: Option<usize>,
    stale: bool,
}

/// An index-backed contents table (see the module documentation).
pub struct IndexedTable {
    store: Arc<MessageStore>,
    scope: ContentsScope,
    columns: Vec<PropTag>,
    sort: SortOrderSet,
    restriction: Option<Restriction>,
    /// The sort keys (`Err` when the sort order has a key without an index).
    keys: Result<Vec<SortKey>, TableError>,
    filter: Filter,
    cursor: Pos,
    /// The cursor's position (rows before it) when known without counting: set by the moves
    /// that know how far they went (QueryRows, SeekRow, SeekRowFractional, a rewind) from a
    /// known place and by a count, dropped by every other move and when the store changes. A
    /// client that sends RopQueryPosition with every RopQueryRows (ours does) gets it without
    /// a count of the rows before the cursor — O(position), O(folder) at the end of a read.
    known: Option<usize>,
    bookmarks: HashMap<u32, Mark>,
    next_bookmark: u32,
    /// The row count, until the store changes.
    count: Option<usize>,
    /// The keys of the last QueryRows page and the cursor before it, for [`Self::unread`].
    last_page: Option<(Vec<Key>, Pos)>,
    /// The store changed since the cursor was last settled ([`Self::settle`]).
    stale: bool,
    /// SQLite virtual machine steps run for this table ([`Self::sql_steps`]).
    steps: AtomicU64,
    /// SQL queries run for this table ([`Self::sql_queries`]).
    queries: AtomicU64,
    /// The folder was found since the store last changed ([`Self::scan`]).
    folder_seen: AtomicBool,
}

impl std::fmt::Debug for IndexedTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexedTable")
            .field("scope", &self.scope)
            .field("columns", &self.columns)
            .field("sort", &self.sort)
            .field("restriction", &self.restriction)
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

fn unsupported_sort() -> TableError {
    TableError::TooComplex("the sort order has a key the index-backed table cannot sort on".into())
}

impl IndexedTable {
    /// True when this engine can serve the view: every sort key is an indexed key column of
    /// `messages` (no categories, no multi-valued instance), no column is a multi-valued
    /// instance column and the restriction has no CountRestriction.
    pub fn supports(columns: &[PropTag], sort: &SortOrderSet, restriction: Option<&Restriction>) -> bool {
        sort_keys(sort).is_some()
            && !columns.iter().any(|c| c.is_mv_instance())
            && !restriction.is_some_and(has_count)
    }

    /// True when `scope` holds more than `n` messages (live or soft-deleted, normal or FAI as
    /// the scope says), for an engine-selection rule on the folder size: it reads at most
    /// `n + 1` entries of the folder index, never the folder (a COUNT(*) of a 100,000-message
    /// folder on every RopRestrict and RopSortTable was an O(folder) step of the first page).
    /// `steps` adds up the SQLite virtual machine steps. A folder that does not exist fails
    /// with the store's error (MAPI_E_NOT_FOUND), as the memory engine's load does.
    pub fn scope_holds_more_than(
        store: &MessageStore,
        scope: ContentsScope,
        n: usize,
        steps: &AtomicU64,
    ) -> Result<bool, TableError> {
        store.contents_scope(scope.fid, scope.associated)?;
        let queries = AtomicU64::new(0);
        Ok(Scan { store, scope, keys: &[], steps, queries: &queries }.more_than(n)?)
    }

    /// A table over `scope`, cursor at the beginning. A view [`Self::supports`] refuses makes
    /// every row operation fail with TooComplex.
    pub fn new(
        store: Arc<MessageStore>,
        scope: ContentsScope,
        columns: Vec<PropTag>,
        sort: SortOrderSet,
        restriction: Option<Restriction>,
    ) -> IndexedTable {
        let keys = sort_keys(&sort).ok_or_else(unsupported_sort);
        let filter = Filter::of(restriction.as_ref(), store.backend());
        IndexedTable {
            store,
            scope,
            columns,
            sort,
            restriction,
            keys,
            filter,
            cursor: Pos::Beginning,
            known: Some(0),
            bookmarks: HashMap::new(),
            next_bookmark: 1,
            count: None,
            last_page: None,
            stale: false,
            steps: AtomicU64::new(0),
            queries: AtomicU64::new(0),
            folder_seen: AtomicBool::new(false),
        }
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

    /// RopSetColumns (MS-OXCTABL 3.2.5.1): at least one column, none a multi-valued instance
    /// column (that view needs the memory engine); the cursor stays on its row.
    pub fn set_columns(&mut self, columns: Vec<PropTag>) -> Result<(), TableError> {
        super::require_columns(&columns)?;
        if mv_instance(columns.iter().copied())?.is_some() {
            return Err(TableError::TooComplex(
                "multi-valued instance columns need the memory engine".into(),
            ));
        }
        self.columns = columns;
        Ok(())
    }

    /// RopRestrict (MS-OXCTABL 3.2.5.4): `None` removes the restriction; the cursor moves to the
    /// beginning and the bookmarks become invalid.
    pub fn restrict(&mut self, restriction: Option<Restriction>) {
        self.filter = Filter::of(restriction.as_ref(), self.store.backend());
        self.restriction = restriction;
        self.rewind();
    }

    /// RopSortTable (MS-OXCTABL 3.2.5.3): "the server MUST invalidate all current bookmarks of
    /// the table and MUST move the cursor position to the beginning of the table". The checks
    /// of [`crate::table::Table::sort`], and TooComplex for a key without an index.
    pub fn sort(&mut self, set: SortOrderSet) -> Result<(), TableError> {
        if !set.is_consistent() {
            return Err(TableError::InvalidParameter("inconsistent CategorizedCount/ExpandedCount".into()));
        }
        // A categorized view needs the whole sorted view for its heading rows: the server
        // gives it the memory engine ([`IndexedTable::supports`] is false for it).
        if set.categorized_count > 0 {
            return Err(TableError::TooComplex("categorized views need the memory engine".into()));
        }
        mv_instance(self.columns.iter().copied().chain(set.orders.iter().map(|o| o.tag)))?;
        self.keys = Ok(sort_keys(&set).ok_or_else(unsupported_sort)?);
        self.sort = set;
        self.rewind();
        Ok(())
    }

    /// RopResetTable (MS-OXCTABL 3.2.5.15): restriction and sort removed, bookmarks freed,
    /// cursor at the beginning.
    pub fn reset(&mut self) {
        self.sort = SortOrderSet::default();
        self.keys = Ok(Vec::new());
        self.restrict(None);
    }

    fn rewind(&mut self) {
        self.bookmarks.clear();
        self.cursor = Pos::Beginning;
        self.known = Some(0);
        self.count = None;
        self.last_page = None;
    }

    /// The store changed: the cached row count is dropped (the cursor and bookmarks are keys
    /// and need nothing).
    pub fn changed(&mut self) {
        self.count = None;
        self.known = None;
        self.stale = true;
        *self.folder_seen.get_mut() = false;
    }

    /// After a store change, puts the cursor on its row where that row is now (the cursor
    /// follows its row, as the memory engine's does), or — the row has left the view — on the
    /// row that took its place.
    fn settle(&mut self) -> Result<(), TableError> {
        if self.stale {
            self.cursor = self.settled()?;
            self.stale = false;
        }
        Ok(())
    }

    /// Where [`Self::settle`] puts the cursor: a row still in the view where it is now; a row
    /// gone, or a cursor past a key ([`Pos::After`]), on the first row after that key — or,
    /// when none sorts after it, just past the key, so that a row added later after it is the
    /// next one read (the memory engine's cursor index stays put past its last row).
    fn settled(&self) -> Result<Pos, TableError> {
        if !self.stale {
            return Ok(self.cursor.clone());
        }
        let (Pos::Row(k) | Pos::After(k)) = &self.cursor else { return Ok(self.cursor.clone()) };
        if matches!(self.cursor, Pos::Row(_)) {
            if let Some(now) = self.key_in_view(scan::row_id(k.mid))? {
                return Ok(Pos::Row(now));
            }
        }
        Ok(self.first_from(&Pos::After(k.clone()), true)?.map_or_else(|| Pos::After(k.clone()), Pos::Row))
    }

    /// The queries of the view. The first after a store change looks the folder up as the
    /// memory engine's load does (`MessageStore::contents_rows_in`), so that a folder deleted
    /// under the table fails its ROPs with the same error (MAPI_E_NOT_FOUND) instead of
    /// showing an empty table.
    fn scan(&self) -> Result<Scan<'_>, TableError> {
        let keys = self.keys.as_ref().map_err(Clone::clone)?;
        if !self.folder_seen.load(Ordering::Relaxed) {
            self.store.contents_scope(self.scope.fid, self.scope.associated)?;
            self.folder_seen.store(true, Ordering::Relaxed);
        }
        Ok(Scan { store: &self.store, scope: self.scope, keys, steps: &self.steps, queries: &self.queries })
    }

    /// The SQLite virtual machine steps this table's queries have run so far: a measure of the
    /// work a ROP cost that does not depend on timing (a page of a big folder must cost a
    /// page, not the folder).
    pub fn sql_steps(&self) -> u64 {
        self.steps.load(Ordering::Relaxed)
    }

    /// The SQL queries this table has run so far (each a round on the store's connection
    /// lock): a page must cost a bounded number of them, not one per row or per value.
    pub fn sql_queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// Rows in the view (without a restriction the store's message count of the scope; else an
    /// index-only COUNT, or a streaming count with a residual), cached until [`Self::changed`].
    pub fn row_count(&mut self) -> Result<usize, TableError> {
        if let Some(n) = self.count {
            return Ok(n);
        }
        let n = if self.restriction.is_none() {
            // Every message of the scope: the store's folder count (what RopGetContentsTable
            // answers), not a count of the sort key's index.
            let s = self.scope;
            self.store.contents_count_in(s.fid, s.associated, s.soft_deleted)? as usize
        } else {
            self.count_before(&Pos::End)?
        };
        self.count = Some(n);
        Ok(n)
    }

    /// The cursor position (0 = before the first row): the rows before the cursor's key.
    pub fn position(&mut self) -> Result<usize, TableError> {
        self.settle()?;
        if let Some(n) = self.known {
            return Ok(n);
        }
        let n = match self.cursor.clone() {
            Pos::Beginning => 0,
            Pos::End => self.row_count()?,
            pos => self.count_before(&pos)?,
        };
        self.known = Some(n);
        Ok(n)
    }

    /// The (row id, instance) of the row under the cursor (`None` at the end, or when the
    /// store cannot be read).
    pub fn current_row(&self) -> Option<(u64, u32)> {
        let key = self.first_from(&self.settled().ok()?, true).ok().flatten()?;
        Some((scan::row_id(key.mid), 0))
    }

    /// The cursor as it is, for [`Self::restore_cursor`].
    pub fn cursor_mark(&self) -> CursorMark {
        CursorMark { pos: self.cursor.clone(), known: self.known, stale: self.stale }
    }

    /// Puts the cursor back where [`Self::cursor_mark`] saw it (a QueryRows read in chunks
    /// with NoAdvance, or that returned nothing); the next [`Self::unread`] does nothing.
    pub fn restore_cursor(&mut self, mark: CursorMark) {
        self.cursor = mark.pos;
        self.known = mark.known;
        self.stale |= mark.stale;
        self.last_page = None;
    }

    /// True when the cursor is at the beginning (without a query: cheaper than
    /// `position() == 0`, which counts the rows before the cursor).
    pub fn at_beginning(&self) -> bool {
        matches!(self.cursor, Pos::Beginning)
    }

    /// True when row `id` is one of the scope's messages, in the view or kept out by the
    /// restriction (the memory engine's `Table::holds`): one primary-key lookup.
    pub fn holds(&self, id: u64) -> Result<bool, TableError> {
        let Some(mid) = scan::mid_of(id) else { return Ok(false) };
        Ok(self.scan()?.key_of(&plan::SqlCond::always(), mid)?.is_some())
    }

    /// Puts the cursor on the row `id` (a row id as [`Self::current_row`] gives), for a table
    /// switching engines; a row not in the view leaves the cursor where it is.
    pub fn seek_to_row(&mut self, id: u64) -> Result<(), TableError> {
        if let Some(key) = self.key_in_view(id)? {
            self.cursor = Pos::Row(key);
            self.known = None;
        }
        Ok(())
    }
}
