//! The table engine (MS-OXCTABL 3.2.5): a table is a set of rows from a row source (a folder's
//! contents or hierarchy, an attachment list, …) seen through columns, a restriction and a sort
//! order, with a cursor, bookmarks, seeks and FindRow. It holds row data only as property bags,
//! so it serves every table kind; the row source decides which properties each row carries.

mod category;
#[cfg(test)]
mod category_tests;
mod collapse_state;
mod cursor;
mod expand;
pub mod indexed;
mod live;
#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_INST_ID, PR_INSTANCE_KEY, PR_INSTANCE_NUM};
use oxmapi_core::error::{ErrorCode, MapiError};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::{MV_INSTANCE, PropType};
use oxmapi_core::restriction::{CountState, Restriction};
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

pub use category::{TBL_COLLAPSED_CATEGORY, TBL_EMPTY_CATEGORY, TBL_EXPANDED_CATEGORY, TBL_LEAF_ROW};
pub use collapse_state::{CollapseState, MAX_COLLAPSE_STATE, StateRow};
pub use cursor::{Bookmark, FindStart, FoundRow, Origin, ProjectedRow, QueryResult, SeekResult};
pub use expand::Expanded;
pub use indexed::{ContentsScope, CursorMark, IndexedTable};
pub use live::{RowChange, RowEvent, ids_filter};

/// Why a table operation was refused (mapped to MAPI codes by callers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// An argument is out of range (MAPI_E_INVALID_PARAMETER).
    #[error("invalid table argument: {0}")]
    InvalidParameter(String),
    /// The bookmark is unknown or was freed (MAPI_E_INVALID_BOOKMARK).
    #[error("unknown bookmark")]
    InvalidBookmark,
    /// More than one multi-valued instance column, or a sort on one not in the columns
    /// (MAPI_E_TOO_COMPLEX).
    #[error("too complex: {0}")]
    TooComplex(String),
    /// RopExpandRow / RopCollapseRow of a `CategoryId` that names no heading row of the
    /// table (ecNotFound, MS-OXCTABL 3.2.5.17 / 3.2.5.18, MS-OXCTABL_R570 / _R576).
    #[error("no category {0:#018x} in the table")]
    NoCategory(u64),
    /// RopExpandRow of a category that is not collapsed (ecNotCollapsed, MS-OXCTABL_R571).
    #[error("the category is not collapsed")]
    NotCollapsed,
    /// RopCollapseRow of a category that is not expanded (ecNotExpanded, MS-OXCTABL_R577).
    #[error("the category is not expanded")]
    NotExpanded,
    /// The store under an index-backed table failed (a folder that went away, a SQLite or I/O
    /// error): the MAPI code and message of the [`crate::StoreError`], as the store maps it
    /// for every other ROP (`From<StoreError> for MapiError`), so a table answers what the
    /// same failure answers elsewhere (MAPI_E_NOT_FOUND for a deleted folder…).
    #[error("store: {message}")]
    Store {
        /// The MAPI code of the store error.
        code: ErrorCode,
        /// What failed.
        message: String,
    },
}

impl From<crate::StoreError> for TableError {
    fn from(e: crate::StoreError) -> TableError {
        let MapiError { code, message, .. } = e.into();
        TableError::Store { code, message }
    }
}

/// One row of a source: an identity (the object it stands for) and its properties.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    /// The object id (MID, FID, attachment number…) — stable across reloads.
    pub id: u64,
    /// The properties the row has.
    pub props: PropBag,
}

/// A row of the table as seen: the source row, expanded per value of a multi-valued instance
/// column (`instance` is 0 when there is no such column, else the 1-based value index).
#[derive(Clone, Debug, PartialEq)]
pub struct ViewRow {
    /// The object id.
    pub id: u64,
    /// The multi-valued instance number (PR_INSTANCE_NUM).
    pub instance: u32,
    /// Properties, with the instance value in place of the multi-valued one.
    pub props: PropBag,
}

/// A table: source rows, columns, restriction, sort, cursor and bookmarks.
#[derive(Debug, Default)]
pub struct Table {
    source: Vec<SourceRow>,
    columns: Vec<PropTag>,
    restriction: Option<Restriction>,
    sort: SortOrderSet,
    view: Vec<ViewRow>,
    cursor: usize,
    bookmarks: HashMap<u32, Bookmark>,
    next_bookmark: u32,
    categories: category::Categories,
}

/// The multi-valued instance tag among `tags`, if any (its id with the MV type).
fn mv_instance(tags: impl IntoIterator<Item = PropTag>) -> Result<Option<PropTag>, TableError> {
    let mut found: Option<PropTag> = None;
    for t in tags {
        if t.is_mv_instance() {
            let base = t.without_mv_instance();
            match found {
                Some(f) if f.id() != base.id() => {
                    return Err(TableError::TooComplex("more than one multi-valued instance column".into()));
                }
                _ => found = Some(base),
            }
        }
    }
    Ok(found)
}

/// RopSetColumns needs at least one column (MS-OXCTABL 3.2.5.1): InvalidParameter otherwise.
fn require_columns(columns: &[PropTag]) -> Result<(), TableError> {
    if columns.is_empty() {
        return Err(TableError::InvalidParameter("SetColumns needs at least one column".into()));
    }
    Ok(())
}

/// The single-valued type of a multi-valued type code.
fn element_tag(mv: PropTag) -> PropTag {
    PropTag::from_parts(mv.id(), mv.raw_type() & !(MV_INSTANCE | oxmapi_core::ptype::MV_FLAG))
}

impl Table {
    /// A table over `rows` with the given default columns, unsorted and unrestricted.
    pub fn new(rows: Vec<SourceRow>, columns: Vec<PropTag>) -> Table {
        let mut t = Table { source: rows, columns, next_bookmark: 1, ..Table::default() };
        t.rebuild();
        t
    }

    /// The columns (RopSetColumns / RopQueryColumnsAll's counterpart).
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

    /// RopSetColumns (MS-OXCTABL 3.2.5.1): at least one column; at most one multi-valued
    /// instance column.
    pub fn set_columns(&mut self, columns: Vec<PropTag>) -> Result<(), TableError> {
        require_columns(&columns)?;
        mv_instance(columns.iter().copied().chain(self.sort.orders.iter().map(|o| o.tag)))?;
        let keep = self.current_key();
        self.columns = columns;
        self.rebuild();
        self.restore(keep);
        Ok(())
    }

    /// RopRestrict (MS-OXCTABL 3.2.5.4): `None` removes the restriction; the cursor moves to the
    /// beginning and the bookmarks become invalid (a later RopSeekRowBookmark or RopFindRow with
    /// one is InvalidBookmark, MS-OXCTABL 3.2.5.8 and 3.2.5.14).
    pub fn restrict(&mut self, restriction: Option<Restriction>) {
        self.bookmarks.clear();
        self.restriction = restriction;
        self.rebuild();
        self.cursor = 0;
    }

    /// RopSortTable (MS-OXCTABL 3.2.5.3): "the server MUST invalidate all current bookmarks of
    /// the table and MUST move the cursor position to the beginning of the table". A sort
    /// order with `CategorizedCount` > 0 makes a categorized view ([`category`]); a new sort
    /// order forgets the categories of the previous one and their expanded/collapsed state.
    pub fn sort(&mut self, set: SortOrderSet) -> Result<(), TableError> {
        if !set.is_consistent() {
            return Err(TableError::InvalidParameter("inconsistent CategorizedCount/ExpandedCount".into()));
        }
        category::check_sort(&set)?;
        mv_instance(self.columns.iter().copied().chain(set.orders.iter().map(|o| o.tag)))?;
        self.bookmarks.clear();
        self.categories.reset(set.expanded_count);
        self.sort = set;
        self.rebuild();
        self.cursor = 0;
        Ok(())
    }

    /// RopResetTable (MS-OXCTABL 3.2.5.15): restriction and sort are removed, bookmarks freed,
    /// cursor at the beginning. The column set stays in the engine; the caller treats it as
    /// removed until the next RopSetColumns.
    pub fn reset(&mut self) {
        self.restriction = None;
        self.sort = SortOrderSet::default();
        self.categories.reset(0);
        self.bookmarks.clear();
        self.rebuild();
        self.cursor = 0;
    }

    /// Replaces the source rows (the underlying folder changed), keeping the cursor on the same
    /// row where it still exists.
    pub fn reload(&mut self, rows: Vec<SourceRow>) {
        let keep = self.current_key();
        self.source = rows;
        self.rebuild();
        self.restore(keep);
    }

    /// Rows in the view (after restriction and instance expansion).
    pub fn row_count(&self) -> usize {
        self.view.len()
    }

    /// The cursor position (0 = before the first row).
    pub fn position(&self) -> usize {
        self.cursor
    }

    /// The rows in view order.
    pub fn rows(&self) -> &[ViewRow] {
        &self.view
    }

    /// RopQueryColumnsAll (MS-OXCTABL 3.2.5.11): every property tag any source row has.
    pub fn all_columns(&self) -> Vec<PropTag> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for r in &self.source {
            for t in r.props.iter() {
                if seen.insert(t.tag.0) {
                    out.push(t.tag);
                }
            }
        }
        out
    }

    /// The values of `row` for the current columns: by property id; PtypUnspecified columns
    /// take the stored type; a multi-valued instance column gives the instance value. Type
    /// conversion (string width) is left to the caller.
    pub fn project(&self, row: &ViewRow) -> ProjectedRow {
        self.columns
            .iter()
            .map(|c| {
                let tag = if c.is_mv_instance() { element_tag(c.without_mv_instance()) } else { *c };
                row.props.get(tag).cloned()
            })
            .collect()
    }

    fn current_key(&self) -> Option<(u64, u32)> {
        self.view.get(self.cursor).map(|r| (r.id, r.instance))
    }

    /// Puts the cursor back on the row `key` named: the same row, else the first instance of
    /// the same object (the instance column changed), else the same index (the row is gone and
    /// the next one takes its place).
    fn restore(&mut self, key: Option<(u64, u32)>) {
        let same = key.and_then(|k| {
            self.view
                .iter()
                .position(|r| (r.id, r.instance) == k)
                .or_else(|| self.view.iter().position(|r| r.id == k.0))
        });
        self.cursor = same.unwrap_or(self.cursor).min(self.view.len());
    }

    /// The multi-valued instance column of the columns and sort order, if any.
    fn instance_tag(&self) -> Option<PropTag> {
        mv_instance(self.columns.iter().copied().chain(self.sort.orders.iter().map(|o| o.tag))).ok().flatten()
    }

    /// The view rows of one source row: one per value of the multi-valued instance column
    /// `mvi` (when the row has values for it), else one.
    fn expand(s: &SourceRow, mvi: Option<PropTag>, out: &mut Vec<ViewRow>) {
        match mvi.and_then(|t| s.props.get(t).map(|v| (t, v.elements()))) {
            Some((t, elems)) if !elems.is_empty() => {
                for (i, e) in elems.into_iter().enumerate() {
                    let mut props = s.props.clone();
                    props.set(element_tag(t), e);
                    out.push(view_row(s.id, i as u32 + 1, props));
                }
            }
            _ => out.push(view_row(s.id, 0, s.props.clone())),
        }
    }

    /// The sort order with multi-valued instance columns sorting under their single-valued
    /// type.
    fn sort_keys(&self) -> SortOrderSet {
        let sort = self.sort.clone();
        SortOrderSet {
            orders: sort
                .orders
                .iter()
                .map(|o| {
                    let tag =
                        if o.tag.is_mv_instance() { element_tag(o.tag.without_mv_instance()) } else { o.tag };
                    oxmapi_core::sort::SortOrder { tag, direction: o.direction }
                })
                .collect(),
            ..sort
        }
    }

    /// True when the sort order makes a categorized view (heading rows among the rows).
    pub fn is_categorized(&self) -> bool {
        self.sort.categorized_count > 0
    }

    /// Recomputes the view: instance expansion, restriction (with CountRestriction budgets),
    /// stable sort, then the categories of a categorized sort.
    fn rebuild(&mut self) {
        let mvi = self.instance_tag();
        let mut rows = Vec::with_capacity(self.source.len());
        for s in &self.source {
            Self::expand(s, mvi, &mut rows);
        }
        if let Some(r) = &self.restriction {
            let mut counts = CountState::new(r);
            rows.retain(|row| r.evaluate_counting(&row.props, &mut counts));
        }
        if !self.sort.orders.is_empty() {
            let keyed = self.sort_keys();
            if self.is_categorized() {
                let (leaf_order, extremum) = category::leaf_order(&keyed, self.sort.categorized_count);
                rows.sort_by(|a, b| view_order(&leaf_order, a, b));
                rows =
                    self.categories.build(rows, &keyed, usize::from(self.sort.categorized_count), extremum);
            } else {
                rows.sort_by(|a, b| view_order(&keyed, a, b));
            }
        }
        self.view = rows;
        self.cursor = self.cursor.min(self.view.len());
    }
}

/// A view row with the per-row properties every table has (MS-OXPROPS PidTagInstanceKey,
/// PidTagInstID, PidTagInstanceNum): PR_INSTANCE_KEY (the object id then the instance number,
/// little-endian, 12 bytes), PR_INST_ID (the object id) and PR_INSTANCE_NUM.
fn view_row(id: u64, instance: u32, mut props: PropBag) -> ViewRow {
    let mut key = id.to_le_bytes().to_vec();
    key.extend_from_slice(&instance.to_le_bytes());
    props.set(PR_INSTANCE_KEY, PropValue::Binary(key));
    props.set(PR_INST_ID, PropValue::I64(id as i64));
    props.set(PR_INSTANCE_NUM, PropValue::I32(instance as i32));
    ViewRow { id, instance, props }
}

/// True for property types whose values a row may carry under PtypUnspecified columns.
pub fn is_known_type(tag: PropTag) -> bool {
    tag.prop_type().is_ok_and(|t| t != PropType::Unspecified)
}

/// True when the ties of a sorted view fall back to the row id DESCENDING: the last sort key
/// is descending. Lead's decision for issue 15 (MS-OXCTABL does not define the order of rows
/// with equal keys): ties follow the direction of the last sort key — a mail list sorted by
/// delivery time descending shows equal times newest first — and a view without a sort is in
/// row-id (MID) ascending order. The index-backed engine walks its key index in exactly this
/// order, forward or backward.
pub fn tie_descending(sort: &SortOrderSet) -> bool {
    sort.orders.last().is_some_and(|o| o.direction == oxmapi_core::sort::SortDirection::Descend)
}

/// The order of two rows of a sorted view: the sort keys, then the row id's MID counter in
/// the direction of the last key ([`tie_descending`]), then the instance number ascending.
fn view_order(sort: &SortOrderSet, a: &ViewRow, b: &ViewRow) -> std::cmp::Ordering {
    let counter = |id: u64| {
        let o = ObjectId::from_u64(id);
        (o.global_counter, o.replica_id)
    };
    let tie = counter(a.id).cmp(&counter(b.id));
    let tie = if tie_descending(sort) { tie.reverse() } else { tie };
    sort.compare(&a.props, &b.props).then(tie).then(a.instance.cmp(&b.instance))
}
