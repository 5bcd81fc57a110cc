//! RopExpandRow, RopCollapseRow (MS-OXCTABL 2.2.2.17, 2.2.2.18, 3.2.5.17, 3.2.5.18) and
//! RopGetCollapseState / RopSetCollapseState (2.2.2.19, 2.2.2.20, 3.2.5.19, 3.2.5.20) on the
//! in-memory engine's categorized views ([`super::category`]).
//!
//! Errors as MS-OXCTABL 3.2.5.17/3.2.5.18 and Microsoft's test suite model
//! (Interop-TestSuites MS-OXCTABL/Model/Model.cs, requirements R570, R571, R576, R577) give
//! them: a `CategoryId` that is no heading row of the table (a leaf row's PidTagInstID
//! included) is ecNotFound, expanding an expanded category ecNotCollapsed, collapsing a
//! collapsed one ecNotExpanded — the same order of checks as gromox's rop_expandrow /
//! rop_collapserow (exchange_emsmdb oxctabl.cpp). As there, the cursor stays on its row: it
//! moves down by the rows an expansion inserts before it, and up by those a collapse removes
//! (to the row after the heading when it was on one of them).

use super::category::HeadingState;
use super::collapse_state::{CollapseState, StateRow};
use super::{ProjectedRow, Table, TableError};

/// What RopExpandRow returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Expanded {
    /// `ExpandedRowCount`: the rows the expansion added to the view.
    pub count: usize,
    /// The first of them (at most `MaxRowCount`), projected on the columns.
    pub rows: Vec<ProjectedRow>,
}

impl Table {
    /// Where the heading row of category `id` is in the view (`None` while an enclosing
    /// category is collapsed).
    fn heading_index(&self, id: u64) -> Option<usize> {
        self.view.iter().position(|r| r.id == id && r.instance == 0)
    }

    /// Recomputes the visible rows after a category changed state, the cursor staying on its
    /// row (at the end when it was there).
    fn show_categories(&mut self) {
        if !self.is_categorized() {
            return;
        }
        let at_end = self.cursor >= self.view.len();
        let keep = self.current_key();
        self.view = self.categories.visible();
        if at_end {
            self.cursor = self.view.len();
        } else {
            self.restore(keep);
        }
    }

    /// RopExpandRow: expands collapsed category `category` and returns the rows it added
    /// (the first `max_rows` of them).
    pub fn expand_row(&mut self, category: u64, max_rows: usize) -> Result<Expanded, TableError> {
        match self.categories.state(category) {
            None => return Err(TableError::NoCategory(category)),
            Some(HeadingState::Expanded) => return Err(TableError::NotCollapsed),
            Some(HeadingState::Collapsed) => {}
        }
        let at = self.heading_index(category);
        let before = self.view.len();
        self.categories.set(category, true);
        self.view = self.categories.visible();
        let count = self.view.len().saturating_sub(before);
        let rows = match at {
            Some(h) => {
                if self.cursor > h {
                    self.cursor += count;
                }
                let end = (h + 1 + count.min(max_rows)).min(self.view.len());
                self.view[h + 1..end].iter().map(|r| self.project(r)).collect()
            }
            None => Vec::new(),
        };
        self.cursor = self.cursor.min(self.view.len());
        Ok(Expanded { count, rows })
    }

    /// RopCollapseRow: collapses expanded category `category`; `CollapsedRowCount`, the rows
    /// that left the view.
    pub fn collapse_row(&mut self, category: u64) -> Result<usize, TableError> {
        match self.categories.state(category) {
            None => return Err(TableError::NoCategory(category)),
            Some(HeadingState::Collapsed) => return Err(TableError::NotExpanded),
            Some(HeadingState::Expanded) => {}
        }
        let at = self.heading_index(category);
        let before = self.view.len();
        self.categories.set(category, false);
        self.view = self.categories.visible();
        let count = before.saturating_sub(self.view.len());
        if let Some(h) = at
            && self.cursor > h
        {
            self.cursor = self.cursor.saturating_sub(count).max(h + 1);
        }
        self.cursor = self.cursor.min(self.view.len());
        Ok(count)
    }

    /// RopGetCollapseState: the categories expanded or collapsed by hand and the row
    /// `(row_id, instance)` ([`CollapseState`]). MS-OXCTABL 3.2.5.19: "MUST send the collapsed
    /// state of the whole table" (MS-OXCTABL_R579). A table without categories gives a state
    /// with no categories.
    pub fn collapse_state(&self, row_id: u64, instance: u32) -> Result<Vec<u8>, TableError> {
        let row = match self.categories.path_of(row_id) {
            Some(path) if instance == 0 => StateRow::Heading(path.to_vec()),
            _ => StateRow::Leaf(row_id, instance),
        };
        let toggled = self.categories.toggled_paths().into_iter().map(|(p, e)| (p.to_vec(), e)).collect();
        CollapseState { toggled, row: Some(row) }.encode()
    }

    /// RopSetCollapseState: puts the categories the state names back in their state (those
    /// this table does not have are passed over; categories the state does not name take
    /// their initial state) and returns a bookmark on the state's row — on the cursor's
    /// position when that row is not in the view (MS-OXCTABL 3.2.5.20: the bookmark is then
    /// not meaningful). A blob that is no state is InvalidParameter.
    pub fn set_collapse_state(&mut self, bytes: &[u8]) -> Result<Vec<u8>, TableError> {
        let state = CollapseState::decode(bytes)?;
        let toggled = state
            .toggled
            .iter()
            .filter_map(|(path, expanded)| self.categories.id_of_path(path).map(|id| (id, *expanded)))
            .collect();
        self.categories.replace_toggled(toggled);
        self.show_categories();
        let key = match state.row {
            Some(StateRow::Heading(path)) => self.categories.id_of_path(&path).map(|id| (id, 0)),
            Some(StateRow::Leaf(id, instance)) => Some((id, instance)),
            None => None,
        };
        // A heading this table does not have: the bookmark is on the cursor's row. A leaf row
        // that is gone: on the row that took its place (`RowNoLongerVisible` when sought).
        let key = key.or_else(|| self.current_key());
        let index =
            key.and_then(|k| self.view.iter().position(|r| (r.id, r.instance) == k)).unwrap_or(self.cursor);
        Ok(self.bookmark_at(key, index))
    }
}
