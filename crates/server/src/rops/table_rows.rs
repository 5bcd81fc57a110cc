//! Where table rows come from (MS-OXCTABL 3.2.5): the hierarchy of a folder (MS-OXCFOLD
//! 3.2.5.13), the contents of a folder (MS-OXCFOLD 3.2.5.14) and the attachments of a message
//! (MS-OXCMSG 3.2.5.4), and which engine serves a table ([`select_engine`]).
//!
//! The in-memory engine holds rows as property bags. A contents table on it loads only the
//! properties its columns, sort order and restriction need
//! ([`oxmapi_store::MessageStore::contents_rows`]), so RopSetColumns, RopSortTable, RopRestrict
//! and RopFindRow reload the rows when they name a property the rows lack; every table ROP
//! reloads them when the store changed since they were read, so a table shows the folder as it
//! is (the cursor stays on its row). The index-backed engine loads nothing: it reads each page
//! from the store, and a store change only drops its cached counts.

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_NUM, PR_INST_ID, PR_INSTANCE_KEY, PR_INSTANCE_NUM, PR_MESSAGE_FLAGS,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_store::mailbox::{ContentsFilter, MessageDraft, contents_prefilter};
use oxmapi_store::table::{ContentsScope, IndexedTable, SourceRow, Table};

use super::handles::{LogonObject, STALE, Shared, TableObject, TableSource, lock};
use super::oxcfold::hierarchy_rows_of;
use super::oxcstor::store_code;
use super::table_engine::{TableEngine, wants_indexed};
use std::sync::atomic::AtomicU64;

/// Every property tag a restriction reads ([`Restriction::prop_tags`]).
pub(crate) fn restriction_tags(r: &Restriction, out: &mut Vec<PropTag>) {
    r.prop_tags(out);
}

/// True for the per-row properties the table engine itself supplies.
fn engine_supplied(id: u16) -> bool {
    [PR_INSTANCE_KEY, PR_INST_ID, PR_INSTANCE_NUM].iter().any(|t| t.id() == id)
}

/// What the rows of a categorized view need besides its columns and sort keys: the read flag
/// behind the headings' PidTagContentUnreadCount.
pub(crate) fn categorized_needs(sort: &SortOrderSet) -> Option<PropTag> {
    (sort.categorized_count > 0).then_some(PR_MESSAGE_FLAGS)
}

/// The property ids the rows of `t` need: its columns, sort keys and restriction, and `extra`.
fn needed(t: &TableObject, extra: &[PropTag]) -> Vec<u16> {
    let mut tags: Vec<PropTag> = t.table.columns().to_vec();
    tags.extend(t.table.sort_order().orders.iter().map(|o| o.tag));
    tags.extend(categorized_needs(t.table.sort_order()));
    if let Some(r) = t.table.restriction() {
        restriction_tags(r, &mut tags);
    }
    tags.extend_from_slice(extra);
    let mut ids: Vec<u16> = tags.iter().map(|t| t.id()).filter(|id| !engine_supplied(*id)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rows of a contents table with the properties `ids` (as stored: the columns ask for
/// PtypUnspecified, and the row encoder converts string widths), limited by `filter`.
pub(crate) fn contents_rows(
    logon: &LogonObject,
    fid: ObjectId,
    associated: bool,
    ids: &[u16],
    filter: Option<&ContentsFilter>,
) -> Result<Vec<SourceRow>, ErrorCode> {
    contents_rows_of(logon, fid, associated, false, ids, filter)
}

/// [`contents_rows`] of the live messages, or of the soft-deleted ones with `soft_deleted`.
pub(crate) fn contents_rows_of(
    logon: &LogonObject,
    fid: ObjectId,
    associated: bool,
    soft_deleted: bool,
    ids: &[u16],
    filter: Option<&ContentsFilter>,
) -> Result<Vec<SourceRow>, ErrorCode> {
    let tags: Vec<PropTag> = ids.iter().map(|id| PropTag::new(*id, PropType::Unspecified)).collect();
    let rows =
        logon.store.contents_rows_in(fid, associated, soft_deleted, &tags, filter).map_err(store_code)?;
    Ok(rows.into_iter().map(|r| r.into_source_row(&tags)).collect())
}

/// The rows of an attachment table: one per attachment of the open message, keyed by
/// PR_ATTACH_NUM.
pub(crate) fn attachment_rows(
    logon: &LogonObject,
    message: &Shared<MessageDraft>,
) -> Result<Vec<SourceRow>, ErrorCode> {
    let rows = logon.store.attachment_table(&lock(message)).map_err(store_code)?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, props)| {
            let num = props
                .iter()
                .find(|p| p.tag.id() == PR_ATTACH_NUM.id())
                .and_then(|p| p.value.as_i64())
                .map_or(i as u64, |n| n as u64);
            SourceRow { id: num, props: props.into_iter().collect() }
        })
        .collect())
}

/// Drops the rows of an in-memory contents table whose cursor is at the beginning so that the
/// next ROP that reads rows loads them once with everything set by then (RopSetColumns,
/// RopSortTable and RopRestrict usually arrive together in one Execute before RopQueryRows).
/// An index-backed table has no rows to drop: true.
pub(crate) fn defer(t: &mut TableObject) -> bool {
    if !matches!(t.source, TableSource::Contents { .. }) {
        return false;
    }
    match &mut t.table {
        TableEngine::Indexed(_) => true,
        TableEngine::Memory(table) if table.position() == 0 => {
            table.reload(Vec::new());
            t.generation = STALE;
            true
        }
        TableEngine::Memory(_) => false,
    }
}

/// Brings the rows of `t` up to date before a table ROP: reloads them when the store changed
/// since they were read or, for a contents table, when they lack a property that the columns,
/// sort order, restriction or `extra` (the columns, sort keys or restriction the ROP is about to
/// set) name, or were read for another restriction prefilter. With `lazy`, a contents table at
/// its beginning is [`defer`]red instead. Attachment tables are rebuilt every time from the
/// open message (small, in memory). An index-backed table only learns that the store changed
/// (its cached counts go).
pub(crate) fn refresh_lazy(t: &mut TableObject, extra: &[PropTag], lazy: bool) -> Result<(), ErrorCode> {
    if let TableEngine::Indexed(table) = &mut t.table {
        let generation = t.logon.store.generation().map_err(store_code)?;
        if generation != t.generation {
            table.changed();
            t.generation = generation;
        }
        return Ok(());
    }
    let memory = |t: &mut TableObject, rows| {
        if let TableEngine::Memory(table) = &mut t.table {
            table.reload(rows);
        }
    };
    match t.source.clone() {
        TableSource::Hierarchy { fid, depth, soft_deleted } => {
            let generation = t.logon.store.generation().map_err(store_code)?;
            if generation != t.generation {
                let rows = hierarchy_rows_of(&t.logon, fid, depth, soft_deleted)?;
                memory(t, rows);
                t.generation = generation;
            }
        }
        TableSource::Contents { fid, associated, soft_deleted, .. } => {
            let need = needed(t, extra);
            let filter = t.table.restriction().and_then(contents_prefilter);
            let generation = t.logon.store.generation().map_err(store_code)?;
            let current = generation == t.generation
                && need.iter().all(|id| t.loaded.contains(id))
                && filter == t.filter;
            if !(current || lazy && defer(t)) {
                let rows = contents_rows_of(&t.logon, fid, associated, soft_deleted, &need, filter.as_ref())?;
                memory(t, rows);
                t.loaded = need;
                t.generation = generation;
                t.filter = filter;
            }
        }
        TableSource::Attachments { message } => {
            let rows = attachment_rows(&t.logon, &message)?;
            memory(t, rows);
        }
        TableSource::Permissions { .. } => {}
        TableSource::Rules { fid } => {
            let rows = super::oxorule::rule_rows(&t.logon, fid)?;
            memory(t, rows);
        }
    }
    Ok(())
}

/// [`refresh_lazy`] for ROPs that read rows: loads now.
pub(crate) fn refresh(t: &mut TableObject, extra: &[PropTag]) -> Result<(), ErrorCode> {
    refresh_lazy(t, extra, false)
}

/// RopQueryColumnsAll: every property the rows have. A contents table asks the store (its rows
/// carry only the properties in use, or are not loaded at all); the others list what their
/// rows hold.
pub(crate) fn all_columns(t: &TableObject) -> Result<Vec<PropTag>, ErrorCode> {
    match (&t.source, t.table.memory()) {
        (TableSource::Contents { fid, associated, .. }, _) => {
            t.logon.store.contents_columns(*fid, *associated).map_err(store_code)
        }
        (_, Some(table)) => Ok(table.all_columns()),
        (_, None) => Ok(Vec::new()),
    }
}

/// The view a table ROP is about to set: columns, sort order and restriction.
pub(crate) struct View<'a> {
    /// The columns.
    pub columns: &'a [PropTag],
    /// The sort order.
    pub sort: &'a SortOrderSet,
    /// The restriction.
    pub restriction: Option<&'a Restriction>,
    /// Only the columns change (RopSetColumns): the restriction is the one the engine was
    /// chosen for, so the folder-size rule is not asked again — a restricted view switches
    /// engines only when its engine cannot serve the new columns, and its bookmarks survive
    /// the folder growing past [`super::table_engine::SMALL_RESTRICTED_FOLDER`].
    pub columns_only: bool,
}

/// Chooses the engine of contents table `t` for the view a RopSetColumns, RopSortTable,
/// RopRestrict or RopResetTable (or the table's creation) is about to set, by the rule of
/// [`wants_indexed`], and switches to it when it is not the engine already: the new engine
/// gets the current columns, sort order and restriction and, for RopSetColumns, its cursor goes
/// to the row the old one was on (the ROP then applies its change to it). Bookmarks do not survive a switch, which
/// is why RopSetColumns ([`View::columns_only`]) switches a restricted view only when its
/// engine cannot serve the new columns.
/// Other tables, and contents tables of search folders, stay in memory.
pub(crate) fn select_engine(t: &mut TableObject, view: View<'_>) -> Result<(), ErrorCode> {
    let TableSource::Contents { fid, associated, soft_deleted, indexable: true } = t.source else {
        return Ok(());
    };
    let store = t.logon.store.clone();
    let indexed = if view.columns_only && view.restriction.is_some() {
        t.table.is_indexed() && IndexedTable::supports(view.columns, view.sort, view.restriction)
    } else {
        let scope = ContentsScope { fid, associated, soft_deleted };
        wants_indexed(view.columns, view.sort, view.restriction, |n| {
            IndexedTable::scope_holds_more_than(&store, scope, n as usize, &AtomicU64::new(0))
        })
        .map_err(super::oxctabl::table_error)?
    };
    if indexed == t.table.is_indexed() {
        return Ok(());
    }
    // RopSortTable, RopRestrict and RopResetTable move the cursor to the beginning anyway.
    let row = if view.columns_only { t.table.current_row() } else { None };
    let (columns, sort, restriction) =
        (t.table.columns().to_vec(), t.table.sort_order().clone(), t.table.restriction().cloned());
    if indexed {
        let scope = ContentsScope { fid, associated, soft_deleted };
        let mut table = IndexedTable::new(store, scope, columns, sort, restriction);
        if let Some(id) = row {
            table.seek_to_row(id).map_err(super::oxctabl::table_error)?;
        }
        t.table = TableEngine::Indexed(Box::new(table));
        t.loaded = Vec::new();
        t.filter = None;
        t.generation = STALE;
    } else {
        let mut table = Table::new(Vec::new(), columns);
        table.sort(sort).map_err(super::oxctabl::table_error)?;
        table.restrict(restriction);
        t.table = TableEngine::Memory(table);
        t.loaded = Vec::new();
        t.filter = None;
        t.generation = STALE;
        if let Some(id) = row {
            refresh(t, &[])?;
            t.table.seek_to_row(id).map_err(super::oxctabl::table_error)?;
        }
    }
    Ok(())
}
