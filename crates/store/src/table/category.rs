//! Categorized views of the in-memory table engine (MS-OXCTABL 2.2.2.13 RopSortTable
//! `CategorizedCount`/`ExpandedCount`, 3.2.5.3, 2.2.2.17 RopExpandRow, 2.2.2.18 RopCollapseRow).
//!
//! The first `CategorizedCount` sort keys group the (restricted, sorted) leaf rows into a tree
//! of categories. Each category has a heading row before its rows, carrying:
//! - PidTagRowType: TBL_EXPANDED_CATEGORY or TBL_COLLAPSED_CATEGORY (leaf rows carry
//!   TBL_LEAF_ROW; TBL_EMPTY_CATEGORY is never produced: a category exists only while it has
//!   rows, as IMAPITable documents for PidTagRowType);
//! - PidTagDepth: the category level, 0 for the outermost (leaf rows: `CategorizedCount`);
//! - PidTagInstID: the category id, the `CategoryId` of RopExpandRow / RopCollapseRow (the
//!   MS-OXCTABL test suite's adapter reads it from the heading row's PidTagInstID column), and
//!   PidTagInstanceNum 0;
//! - PidTagContentCount / PidTagContentUnreadCount: the leaf rows under it and those without
//!   MSGFLAG_READ in PidTagMessageFlags;
//! - the values of its own category column and of every enclosing one.
//!
//! The categories at levels below `ExpandedCount` start expanded, the others collapsed
//! (gromox's exmdb table code does the same with its `expanded_count`). A category id is
//! allocated per category path (the category values from the outermost level down) and kept
//! for as long as the sort order is, so the ids and the expanded/collapsed state survive the
//! row reloads that follow store changes.
//!
//! A TABLE_SORT_CATEG_MAX / TABLE_SORT_CATEG_MIN key right after the categories orders the
//! innermost categories by an aggregate of their rows ([`Extremum`]).

use std::cmp::Ordering;
use std::collections::HashMap;

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DEPTH, PR_INST_ID, PR_INSTANCE_NUM, PR_MESSAGE_FLAGS, PR_ROW_TYPE,
};
use oxmapi_core::codec::Writer;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::compare_values;
use oxmapi_core::sort::{SortDirection, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::{Form, write_typed_value};

use super::{TableError, ViewRow, view_row};

/// PidTagRowType of a leaf row (MS-OXCTABL 2.2.1.2).
pub const TBL_LEAF_ROW: i32 = 1;
/// PidTagRowType of a category without rows (never produced here).
pub const TBL_EMPTY_CATEGORY: i32 = 2;
/// PidTagRowType of an expanded category's heading row.
pub const TBL_EXPANDED_CATEGORY: i32 = 3;
/// PidTagRowType of a collapsed category's heading row.
pub const TBL_COLLAPSED_CATEGORY: i32 = 4;

/// MSGFLAG_READ of PidTagMessageFlags (MS-OXCMSG 2.2.1.6).
const MSGFLAG_READ: i32 = 0x0000_0001;

/// The replica id of category ids: no store allocates message ids under it, so a category id
/// never names a message (a RopExpandRow of a leaf row's PidTagInstID is ecNotFound).
const CATEGORY_REPLICA: u16 = 0xFFFF;

/// One row of the full tree: a heading (with its category id) or a leaf.
#[derive(Debug, Clone)]
struct Node {
    row: ViewRow,
    depth: u16,
    header: Option<u64>,
}

/// The categories of a table: ids by path, expanded/collapsed state, and the full tree of the
/// last build.
#[derive(Debug, Default)]
pub(super) struct Categories {
    /// Category id by category path (its values, outermost first, each as [`push_value`]
    /// writes it).
    ids: HashMap<Vec<u8>, u64>,
    /// Category path and depth by category id.
    paths: HashMap<u64, (Vec<u8>, u16)>,
    /// The counter of the next category id.
    next: u64,
    /// States set by RopExpandRow / RopCollapseRow / RopSetCollapseState (true: expanded).
    toggled: HashMap<u64, bool>,
    /// `ExpandedCount` of the sort order.
    expanded_count: u16,
    /// Headings and leaves in view order, every category expanded.
    tree: Vec<Node>,
}

/// Whether a heading row is expanded or collapsed, for RopExpandRow / RopCollapseRow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HeadingState {
    /// TBL_EXPANDED_CATEGORY.
    Expanded,
    /// TBL_COLLAPSED_CATEGORY.
    Collapsed,
}

/// The bytes naming one category value of a path: a presence byte, then the typed value as
/// in a ROP buffer (MS-OXCDATA 2.11.3 TypedPropertyValue).
fn push_value(w: &mut Writer, v: Option<&PropValue>) {
    match v {
        Some(v) => {
            w.u8(1);
            write_typed_value(w, v, Form::Rop);
        }
        None => w.u8(0),
    }
}

impl Categories {
    /// Forgets every category (a new sort order). The id counter goes on, so that an id of
    /// the old sort order never names a category of the new one.
    pub fn reset(&mut self, expanded_count: u16) {
        *self = Categories { expanded_count, next: self.next, ..Categories::default() };
    }

    /// The id of the category at `path` (at `depth`), allocated on first sight.
    fn id_for(&mut self, path: Vec<u8>, depth: u16) -> u64 {
        if let Some(id) = self.ids.get(&path).copied() {
            return id;
        }
        self.next += 1;
        let id = ObjectId::new(CATEGORY_REPLICA, self.next).to_u64();
        self.ids.insert(path.clone(), id);
        self.paths.insert(id, (path, depth));
        id
    }

    /// True when the category `id` at `depth` is expanded.
    fn is_expanded(&self, id: u64, depth: u16) -> bool {
        self.toggled.get(&id).copied().unwrap_or(depth < self.expanded_count)
    }

    /// The state of category `id`; `None` when no category of the table has that id.
    pub fn state(&self, id: u64) -> Option<HeadingState> {
        let (_, depth) = self.paths.get(&id)?;
        if !self.tree.iter().any(|n| n.header == Some(id)) {
            return None;
        }
        Some(if self.is_expanded(id, *depth) { HeadingState::Expanded } else { HeadingState::Collapsed })
    }

    /// Sets category `id` expanded or collapsed.
    pub fn set(&mut self, id: u64, expanded: bool) {
        self.toggled.insert(id, expanded);
    }

    /// Builds the tree of `leaves` (sorted by `keyed`, whose first `categorized` keys are the
    /// categories; an extremum key, when `extremum` names it, does not order the leaves) and
    /// returns the visible rows.
    pub fn build(
        &mut self,
        leaves: Vec<ViewRow>,
        keyed: &SortOrderSet,
        categorized: usize,
        extremum: Option<Extremum>,
    ) -> Vec<ViewRow> {
        let levels: Vec<SortOrderSet> =
            keyed.orders.iter().take(categorized).map(|o| SortOrderSet::plain(vec![*o])).collect();
        let mut runs = runs(leaves, &levels);
        if let Some(x) = &extremum {
            order_by_extremum(&mut runs, &levels, x);
        }
        let depth_of_leaves = categorized as u16;
        let mut tree: Vec<Node> = Vec::new();
        // The heading node of each open level, with its leaf and unread counts.
        let mut open: Vec<(usize, u32, u32)> = Vec::with_capacity(categorized);
        let mut previous: Option<ViewRow> = None;
        for run in runs {
            let Some(first) = run.leaves.first() else { continue };
            let first_new = match &previous {
                None => 0,
                Some(p) => levels
                    .iter()
                    .position(|l| l.compare(&p.props, &first.props) != Ordering::Equal)
                    .unwrap_or(categorized.saturating_sub(1)),
            };
            for (index, count, unread) in open.drain(first_new..) {
                finish(&mut tree[index], count, unread);
            }
            let mut path = Writer::new();
            let mut heading_props = oxmapi_core::bag::PropBag::new();
            for (level, order) in keyed.orders.iter().take(categorized).enumerate() {
                let value = first.props.get(order.tag);
                push_value(&mut path, value);
                if let Some(v) = value {
                    heading_props.set(order.tag, v.clone());
                }
                if level < first_new {
                    continue;
                }
                let depth = level as u16;
                let id = self.id_for(path.as_slice().to_vec(), depth);
                let mut props = heading_props.clone();
                props.set(PR_DEPTH, PropValue::I32(i32::from(depth)));
                if let (Some(x), Some(v), true) = (&extremum, &run.extremum, level + 1 == categorized) {
                    props.set(x.tag, v.clone());
                }
                open.push((tree.len(), 0, 0));
                tree.push(Node { row: view_row(id, 0, props), depth, header: Some(id) });
            }
            previous = Some(first.clone());
            for mut leaf in run.leaves {
                let read = leaf
                    .props
                    .get(PR_MESSAGE_FLAGS)
                    .and_then(|v| v.as_i64())
                    .is_some_and(|f| f as i32 & MSGFLAG_READ != 0);
                for (_, count, unread) in open.iter_mut() {
                    *count += 1;
                    *unread += u32::from(!read);
                }
                leaf.props.set(PR_ROW_TYPE, PropValue::I32(TBL_LEAF_ROW));
                leaf.props.set(PR_DEPTH, PropValue::I32(i32::from(depth_of_leaves)));
                tree.push(Node { row: leaf, depth: depth_of_leaves, header: None });
            }
        }
        for (index, count, unread) in open {
            finish(&mut tree[index], count, unread);
        }
        self.tree = tree;
        self.visible()
    }

    /// The rows a client sees: every heading and leaf whose enclosing categories are all
    /// expanded, headings with their PidTagRowType.
    pub fn visible(&self) -> Vec<ViewRow> {
        let mut out = Vec::with_capacity(self.tree.len());
        let mut hidden_below: Option<u16> = None;
        for n in &self.tree {
            match hidden_below {
                Some(d) if n.depth > d => continue,
                _ => hidden_below = None,
            }
            let mut row = n.row.clone();
            if let Some(id) = n.header {
                let expanded = self.is_expanded(id, n.depth);
                let ty = if expanded { TBL_EXPANDED_CATEGORY } else { TBL_COLLAPSED_CATEGORY };
                row.props.set(PR_ROW_TYPE, PropValue::I32(ty));
                if !expanded {
                    hidden_below = Some(n.depth);
                }
            }
            out.push(row);
        }
        out
    }

    /// The path of category `id`, if it is one.
    pub fn path_of(&self, id: u64) -> Option<&[u8]> {
        self.paths.get(&id).map(|(p, _)| p.as_slice())
    }

    /// The id of the category at `path`, when the table has seen that category. (A restored
    /// state names only categories the table knows: a hostile state cannot grow the map.)
    pub fn id_of_path(&self, path: &[u8]) -> Option<u64> {
        self.ids.get(path).copied()
    }

    /// The categories whose state was set, with their paths: (path, expanded).
    pub fn toggled_paths(&self) -> Vec<(&[u8], bool)> {
        let mut out: Vec<(&[u8], bool)> = self
            .toggled
            .iter()
            .filter_map(|(id, e)| self.paths.get(id).map(|(p, _)| (p.as_slice(), *e)))
            .collect();
        out.sort();
        out
    }

    /// Replaces every set state (RopSetCollapseState).
    pub fn replace_toggled(&mut self, states: Vec<(u64, bool)>) {
        self.toggled = states.into_iter().collect();
    }
}

/// TABLE_SORT_CATEG_MAX / TABLE_SORT_CATEG_MIN on the sort key after the categories
/// (IMAPITable SSortOrder: "sorted on the maximum value of the ulPropTag member for the data
/// rows in the categories specified by the previous sort order"): the categories of the
/// innermost level are ordered by the largest (smallest) value of `tag` among their rows, in
/// the direction of the innermost category key, and their heading rows carry that value in
/// `tag`'s column — as gromox's exmdb table code orders them (`GROUP BY … ORDER BY
/// MAX(…)`), the key itself not ordering the rows.
#[derive(Clone, Debug)]
pub(super) struct Extremum {
    /// The column aggregated.
    pub tag: PropTag,
    /// TABLE_SORT_CATEG_MAX (else MIN).
    pub max: bool,
    /// The innermost category key is descending.
    pub descending: bool,
}

/// The columns a heading row supplies: a categorized sort order may not sort on them
/// (gromox's rop_sorttable answers ecInvalidParam too).
const HEADING_COLUMNS: [PropTag; 5] =
    [PR_DEPTH, PR_INST_ID, PR_INSTANCE_NUM, PR_CONTENT_COUNT, PR_CONTENT_UNREAD];

/// The checks of RopSortTable on the categories (MS-OXCTABL 2.2.2.13; gromox rop_sorttable):
/// TABLE_SORT_CATEG_MAX / TABLE_SORT_CATEG_MIN only on the key right after the categories,
/// and a categorized sort order on no heading-row column; InvalidParameter otherwise.
pub(super) fn check_sort(set: &SortOrderSet) -> Result<(), TableError> {
    let categorized = usize::from(set.categorized_count);
    for (i, o) in set.orders.iter().enumerate() {
        let aggregate =
            matches!(o.direction, SortDirection::MaximumCategory | SortDirection::MinimumCategory);
        if aggregate && (categorized == 0 || i != categorized) {
            return Err(TableError::InvalidParameter(format!(
                "{} is only allowed on the sort key right after the categories",
                o.direction.name()
            )));
        }
        let tag = o.tag.without_mv_instance();
        if categorized > 0 && HEADING_COLUMNS.iter().any(|h| h.id() == tag.id()) {
            return Err(TableError::InvalidParameter(format!(
                "a categorized view cannot sort on {:#010x}",
                tag.0
            )));
        }
    }
    Ok(())
}

/// The order of the leaf rows of a categorized view (its sort keys without an extremum key)
/// and the extremum, if the key after the categories is one.
pub(super) fn leaf_order(keyed: &SortOrderSet, categorized: u16) -> (SortOrderSet, Option<Extremum>) {
    let c = usize::from(categorized);
    let extremum = keyed.orders.get(c).and_then(|o| {
        let max = match o.direction {
            SortDirection::MaximumCategory => true,
            SortDirection::MinimumCategory => false,
            _ => return None,
        };
        let descending = c > 0 && keyed.orders[c - 1].direction == SortDirection::Descend;
        Some(Extremum { tag: o.tag, max, descending })
    });
    let mut order = keyed.clone();
    if extremum.is_some() {
        order.orders.remove(c);
    }
    (order, extremum)
}

/// The leaves of one innermost category, with their extremum.
struct Run {
    leaves: Vec<ViewRow>,
    extremum: Option<PropValue>,
}

/// Splits sorted leaves into the runs of equal category values.
fn runs(leaves: Vec<ViewRow>, levels: &[SortOrderSet]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for leaf in leaves {
        let same = out
            .last()
            .and_then(|r| r.leaves.first())
            .is_some_and(|f| levels.iter().all(|l| l.compare(&f.props, &leaf.props) == Ordering::Equal));
        match out.last_mut() {
            Some(run) if same => run.leaves.push(leaf),
            _ => out.push(Run { leaves: vec![leaf], extremum: None }),
        }
    }
    out
}

/// Orders the innermost categories of each enclosing category by their extremum ([`Extremum`]).
fn order_by_extremum(runs: &mut Vec<Run>, levels: &[SortOrderSet], x: &Extremum) {
    for run in runs.iter_mut() {
        run.extremum = run
            .leaves
            .iter()
            .filter_map(|l| l.props.get(x.tag))
            .fold(None::<&PropValue>, |best, v| match best {
                None => Some(v),
                Some(b) => {
                    let ord = compare_values(v, b).unwrap_or(Ordering::Equal);
                    let better = if x.max { ord == Ordering::Greater } else { ord == Ordering::Less };
                    Some(if better { v } else { b })
                }
            })
            .cloned();
    }
    let outer = &levels[..levels.len().saturating_sub(1)];
    let taken = std::mem::take(runs);
    let mut group: Vec<Run> = Vec::new();
    let flush = |group: &mut Vec<Run>, out: &mut Vec<Run>| {
        group.sort_by(|a, b| {
            let ord = match (&a.extremum, &b.extremum) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(p), Some(q)) => compare_values(p, q).unwrap_or(Ordering::Equal),
            };
            if x.descending { ord.reverse() } else { ord }
        });
        out.append(group);
    };
    for run in taken {
        let same_parent = group
            .first()
            .and_then(|g| g.leaves.first())
            .zip(run.leaves.first())
            .is_some_and(|(a, b)| outer.iter().all(|l| l.compare(&a.props, &b.props) == Ordering::Equal));
        if !same_parent {
            flush(&mut group, runs);
        }
        group.push(run);
    }
    flush(&mut group, runs);
}

/// Writes the counts of a finished heading row.
fn finish(node: &mut Node, count: u32, unread: u32) {
    node.row.props.set(PR_CONTENT_COUNT, PropValue::I32(count as i32));
    node.row.props.set(PR_CONTENT_UNREAD, PropValue::I32(unread as i32));
}
