//! Row-level upkeep of a table's view, for table notifications (MS-OXCNOTIF 2.2.1.4.1.2
//! TableRowAdded / TableRowDeleted / TableRowModified, 3.1.4.3): source rows that changed are
//! put into the view where the sort order places them (or taken out), and the changes are
//! reported as a client applies them — deletions first, then additions and modifications in
//! the new view order, each naming the row that now precedes it. A client that applies them
//! in order to the rows it had ends with the rows the table now holds.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use oxmapi_core::bag::PropBag;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;

use super::{ProjectedRow, SourceRow, Table, ViewRow, view_order};
use crate::mailbox::{ContentsFilter, FilterValue};

/// What happened to a row of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEvent {
    /// The row entered the view (TableRowAdded).
    Added,
    /// The row left the view (TableRowDeleted).
    Deleted,
    /// The row is still in the view, possibly elsewhere (TableRowModified).
    Modified,
}

/// One row change of the view.
#[derive(Clone, Debug, PartialEq)]
pub struct RowChange {
    /// What happened.
    pub event: RowEvent,
    /// The row's object id.
    pub id: u64,
    /// The row's multi-valued instance number (0 without an instance column).
    pub instance: u32,
    /// Added and modified rows: the row now before it (`None`: it is the first row).
    pub after: Option<(u64, u32)>,
    /// Added and modified rows: the row in the current columns.
    pub row: Option<ProjectedRow>,
}

/// True when `r` holds a CountRestriction (its budget spans the whole view, so single rows
/// cannot be judged alone).
fn has_count(r: &Restriction) -> bool {
    match r {
        Restriction::Count { .. } => true,
        Restriction::And(v) | Restriction::Or(v) => v.iter().any(has_count),
        Restriction::Not(x) => has_count(x),
        Restriction::Comment { restriction, .. } => restriction.as_deref().is_some_and(has_count),
        _ => false,
    }
}

fn key(r: &ViewRow) -> (u64, u32) {
    (r.id, r.instance)
}

/// The SQL prefilter (for [`crate::MessageStore::contents_rows_filtered`]) that reads only the
/// messages `mids` of a folder: how a contents table loads the rows of changed messages.
pub fn ids_filter(mids: &[ObjectId]) -> ContentsFilter {
    if mids.is_empty() {
        return ContentsFilter { sql: "FALSE".into(), params: Vec::new() };
    }
    let marks = vec!["?"; mids.len()].join(",");
    ContentsFilter {
        sql: format!("m.mid IN ({marks})"),
        params: mids.iter().map(|m| FilterValue::Int(m.global_counter as i64)).collect(),
    }
}

impl Table {
    /// True when the view can follow single-row changes: no CountRestriction is in force and
    /// the view is not categorized (a changed row also changes the counts of its heading rows,
    /// and may create or remove headings; those are not followed row by row: a categorized
    /// table is told TableChanged instead, which MS-OXCNOTIF 3.1.4.3 allows).
    pub fn row_level(&self) -> bool {
        !self.restriction.as_ref().is_some_and(has_count) && !self.is_categorized()
    }

    /// True when a source row (in the view or kept out by the restriction) stands for `id`.
    pub fn holds(&self, id: u64) -> bool {
        self.source.iter().any(|s| s.id == id)
    }

    /// Applies changed source rows — `(id, Some(props))` for a new or changed row, `(id,
    /// None)` for a row that is gone — and returns the row changes of the view. The cursor
    /// stays on its row. `None` (nothing applied) when the view cannot follow single rows.
    pub fn apply(&mut self, changes: Vec<(u64, Option<PropBag>)>) -> Option<Vec<RowChange>> {
        if !self.row_level() {
            return None;
        }
        let changed: HashSet<u64> = changes.iter().map(|c| c.0).collect();
        let old = self.keys_of(&changed);
        let keep = self.current_key();
        let mut index: HashMap<u64, usize> = self.source.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let mut gone = HashSet::new();
        for (id, props) in changes {
            match (index.get(&id).copied(), props) {
                (Some(i), Some(p)) => {
                    gone.remove(&id);
                    self.source[i].props = p;
                }
                (None, Some(p)) => {
                    index.insert(id, self.source.len());
                    self.source.push(SourceRow { id, props: p });
                }
                (Some(_), None) => {
                    gone.insert(id);
                }
                (None, None) => {}
            }
        }
        if !gone.is_empty() {
            self.source.retain(|s| !gone.contains(&s.id));
            index = self.source.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        }
        self.view.retain(|r| !changed.contains(&r.id));
        let mvi = self.instance_tag();
        let mut fresh = Vec::new();
        for id in &changed {
            if let Some(&i) = index.get(id) {
                Self::expand(&self.source[i], mvi, &mut fresh);
            }
        }
        if let Some(r) = &self.restriction {
            fresh.retain(|row| r.evaluate(&row.props));
        }
        // A sorted view is in `view_order`; an unsorted one in source order, then instance
        // (what a rebuild gives).
        let keyed = self.sort_keys();
        let rank = |r: &ViewRow| (index.get(&r.id).copied().unwrap_or(usize::MAX), r.instance);
        for row in fresh {
            let at = self.view.partition_point(|v| {
                if keyed.orders.is_empty() {
                    rank(v) < rank(&row)
                } else {
                    view_order(&keyed, v, &row) == Ordering::Less
                }
            });
            self.view.insert(at, row);
        }
        self.restore(keep);
        Some(self.changes_since(&changed, old))
    }

    /// Replaces every source row (a full reload) and returns the row changes of the view for
    /// the rows named in `touched` and for every row that appeared, disappeared or changed.
    /// `None` (nothing applied) when the view cannot follow single rows.
    pub fn reload_changes(&mut self, rows: Vec<SourceRow>, touched: &HashSet<u64>) -> Option<Vec<RowChange>> {
        if !self.row_level() {
            return None;
        }
        let before: HashMap<u64, &PropBag> = self.source.iter().map(|s| (s.id, &s.props)).collect();
        let mut changed = touched.clone();
        let mut present = HashSet::with_capacity(rows.len());
        for r in &rows {
            present.insert(r.id);
            if before.get(&r.id).is_none_or(|p| **p != r.props) {
                changed.insert(r.id);
            }
        }
        changed.extend(before.keys().filter(|id| !present.contains(id)));
        let old = self.keys_of(&changed);
        self.reload(rows);
        Some(self.changes_since(&changed, old))
    }

    /// The view rows of the objects `ids`, in view order.
    fn keys_of(&self, ids: &HashSet<u64>) -> Vec<(u64, u32)> {
        self.view.iter().filter(|r| ids.contains(&r.id)).map(key).collect()
    }

    /// The changes that turn the view rows `old` of the objects `changed` into the current
    /// ones: deletions, then additions and modifications in view order.
    fn changes_since(&self, changed: &HashSet<u64>, old: Vec<(u64, u32)>) -> Vec<RowChange> {
        let now: HashSet<(u64, u32)> = self.keys_of(changed).into_iter().collect();
        let was: HashSet<(u64, u32)> = old.iter().copied().collect();
        let mut out: Vec<RowChange> = old
            .into_iter()
            .filter(|k| !now.contains(k))
            .map(|(id, instance)| RowChange {
                event: RowEvent::Deleted,
                id,
                instance,
                after: None,
                row: None,
            })
            .collect();
        for (pos, r) in self.view.iter().enumerate().filter(|(_, r)| changed.contains(&r.id)) {
            out.push(RowChange {
                event: if was.contains(&key(r)) { RowEvent::Modified } else { RowEvent::Added },
                id: r.id,
                instance: r.instance,
                after: pos.checked_sub(1).map(|p| key(&self.view[p])),
                row: Some(self.project(r)),
            });
        }
        out
    }
}
