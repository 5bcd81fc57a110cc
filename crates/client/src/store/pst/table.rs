//! Tables of a Personal Folders store (IMAPITable over a PST table context, [MS-PST] 2.3.4):
//! the rows are read once when the table is opened; columns, restriction, sort order, cursor
//! and bookmarks follow [MS-OXCTABL] 3.2.5 as the server's tables do.

use std::collections::HashMap;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::cdata::PropertyRow;

use super::values::cell;

/// BOOKMARK_BEGINNING, BOOKMARK_CURRENT and BOOKMARK_END ([MS-OXCTABL] 2.2.2.1.1).
pub const BOOKMARK_BEGINNING: u8 = 0;
/// See [`BOOKMARK_BEGINNING`].
pub const BOOKMARK_CURRENT: u8 = 1;
/// See [`BOOKMARK_BEGINNING`].
pub const BOOKMARK_END: u8 = 2;

/// What a table lists: messages are the rows whose missing columns can be read from the
/// message itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// A hierarchy table.
    Hierarchy,
    /// A contents or associated contents table.
    Contents,
    /// A message's attachment table.
    Attachments,
}

/// One open table.
pub struct LocalTable {
    /// What the rows are.
    pub kind: TableKind,
    /// Every row (before restriction) with its node id (0 where none).
    rows: Vec<(u32, PropBag)>,
    /// Indices into `rows` of the rows in view, in sort order.
    view: Vec<usize>,
    /// The columns set with RopSetColumns.
    pub columns: Vec<PropTag>,
    restriction: Option<Restriction>,
    sort: Option<SortOrderSet>,
    cursor: usize,
    bookmarks: HashMap<u32, usize>,
    next_bookmark: u32,
    codepage: u32,
}

impl LocalTable {
    /// A table of `rows` (node id, cells); strings in PT_STRING8 are decoded with `codepage`.
    pub fn new(kind: TableKind, rows: Vec<(u32, PropBag)>, codepage: u32) -> LocalTable {
        let view = (0..rows.len()).collect();
        LocalTable {
            kind,
            rows,
            view,
            columns: Vec::new(),
            restriction: None,
            sort: None,
            cursor: 0,
            bookmarks: HashMap::new(),
            next_bookmark: 1,
            codepage,
        }
    }

    /// Number of rows in view.
    pub fn len(&self) -> usize {
        self.view.len()
    }

    /// The union of every row's property tags (RopQueryColumnsAll).
    pub fn all_columns(&self) -> Vec<PropTag> {
        let mut tags: Vec<PropTag> = Vec::new();
        for (_, r) in &self.rows {
            for t in r.tags() {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        tags
    }

    /// RopRestrict: the view is rebuilt and the cursor goes to the beginning.
    pub fn restrict(&mut self, r: Option<Restriction>) {
        self.restriction = r;
        self.rebuild();
    }

    /// RopSortTable: the view is re-sorted and the cursor goes to the beginning.
    pub fn sort(&mut self, s: SortOrderSet) {
        self.sort = (!s.orders.is_empty()).then_some(s);
        self.rebuild();
    }

    fn rebuild(&mut self) {
        let rows = &self.rows;
        let mut view: Vec<usize> = (0..rows.len())
            .filter(|i| self.restriction.as_ref().is_none_or(|r| r.evaluate(&rows[*i].1)))
            .collect();
        if let Some(s) = &self.sort {
            view.sort_by(|a, b| s.compare(&rows[*a].1 as &dyn PropertyBag, &rows[*b].1));
        }
        self.view = view;
        self.cursor = 0;
        self.bookmarks.clear();
    }

    /// The node ids of the rows at view positions `range` (to complete them before reading).
    pub fn nids(&self, from: usize, to: usize) -> Vec<(usize, u32)> {
        (from..to.min(self.view.len())).map(|p| (self.view[p], self.rows[self.view[p]].0)).collect()
    }

    /// Adds properties to row `index` (values the table context did not carry).
    pub fn complete(&mut self, index: usize, extra: PropBag) {
        if let Some((_, row)) = self.rows.get_mut(index) {
            for v in extra.iter() {
                if row.get(v.tag).is_none() {
                    row.set(v.tag, v.value.clone());
                }
            }
        }
    }

    /// Whether row `index` lacks one of the columns.
    pub fn lacks_columns(&self, index: usize) -> bool {
        let row = &self.rows[index].1;
        self.columns.iter().any(|c| super::values::lookup(row, *c).is_none())
    }

    /// The cells of the row at view position `p` in the current columns.
    fn row_at(&self, p: usize) -> PropertyRow {
        let row = &self.rows[self.view[p]].1;
        PropertyRow::new(self.columns.iter().map(|c| cell(row, *c, self.codepage)).collect())
    }

    /// RopQueryRows ([MS-OXCTABL] 3.2.5.5): up to `count` rows from the cursor, forwards or
    /// backwards (returned in reading order), and the origin the cursor ends at.
    pub fn query(&mut self, count: usize, forward: bool) -> (Vec<PropertyRow>, u8) {
        let mut out = Vec::new();
        if forward {
            while out.len() < count && self.cursor < self.view.len() {
                out.push(self.row_at(self.cursor));
                self.cursor += 1;
            }
        } else {
            while out.len() < count && self.cursor > 0 {
                self.cursor -= 1;
                out.push(self.row_at(self.cursor));
            }
        }
        (out, self.origin())
    }

    /// The window `[from, to)` that a forward (or backward) read of `count` rows covers.
    pub fn window(&self, count: usize, forward: bool) -> (usize, usize) {
        if forward {
            (self.cursor, self.cursor.saturating_add(count).min(self.view.len()))
        } else {
            (self.cursor.saturating_sub(count), self.cursor)
        }
    }

    fn origin(&self) -> u8 {
        if self.cursor >= self.view.len() {
            BOOKMARK_END
        } else if self.cursor == 0 {
            BOOKMARK_BEGINNING
        } else {
            BOOKMARK_CURRENT
        }
    }

    /// The position of a bookmark (`origin` BOOKMARK_*, or a bookmark's bytes).
    fn start(&self, origin: u8, bookmark: &[u8]) -> Option<usize> {
        match origin {
            BOOKMARK_BEGINNING => Some(0),
            BOOKMARK_CURRENT => Some(self.cursor),
            BOOKMARK_END => Some(self.view.len()),
            _ => self.bookmark(bookmark),
        }
    }

    fn bookmark(&self, bytes: &[u8]) -> Option<usize> {
        let id = u32::from_le_bytes(bytes.try_into().ok()?);
        self.bookmarks.get(&id).copied()
    }

    /// RopSeekRow: moves `rows` from `origin`; returns (rows moved, whether fewer than asked).
    pub fn seek(&mut self, origin: u8, rows: i32) -> Option<(i32, bool)> {
        let from = self.start(origin, &[])? as i64;
        self.seek_from(from, rows)
    }

    fn seek_from(&mut self, from: i64, rows: i32) -> Option<(i32, bool)> {
        let target = (from + rows as i64).clamp(0, self.view.len() as i64);
        self.cursor = target as usize;
        let moved = (target - from) as i32;
        Some((moved, moved != rows))
    }

    /// RopSeekRowBookmark.
    pub fn seek_bookmark(&mut self, bookmark: &[u8], rows: i32) -> Option<(i32, bool)> {
        let from = self.bookmark(bookmark)? as i64;
        self.seek_from(from, rows)
    }

    /// RopSeekRowFractional.
    pub fn seek_fraction(&mut self, numerator: u32, denominator: u32) {
        let n = self.view.len() as u64;
        self.cursor =
            if denominator == 0 { 0 } else { (n * numerator as u64 / denominator as u64).min(n) as usize };
    }

    /// RopQueryPosition: (cursor, rows in view).
    pub fn position(&self) -> (u32, u32) {
        (self.cursor as u32, self.view.len() as u32)
    }

    /// RopCreateBookmark at the cursor.
    pub fn create_bookmark(&mut self) -> Vec<u8> {
        let id = self.next_bookmark;
        self.next_bookmark = self.next_bookmark.wrapping_add(1);
        self.bookmarks.insert(id, self.cursor);
        id.to_le_bytes().to_vec()
    }

    /// RopFreeBookmark: false for an unknown bookmark.
    pub fn free_bookmark(&mut self, bytes: &[u8]) -> bool {
        bytes.try_into().ok().map(u32::from_le_bytes).and_then(|id| self.bookmarks.remove(&id)).is_some()
    }

    /// RopFindRow ([MS-OXCTABL] 3.2.5.13): the first row from `origin` matching `r`, the
    /// cursor moved onto it.
    pub fn find(
        &mut self,
        r: &Restriction,
        origin: u8,
        bookmark: &[u8],
        backward: bool,
    ) -> Option<Option<PropertyRow>> {
        let start = self.start(origin, bookmark)?;
        let hit = if backward {
            (0..start.min(self.view.len())).rev().find(|p| r.evaluate(&self.rows[self.view[*p]].1))
        } else {
            (start..self.view.len()).find(|p| r.evaluate(&self.rows[self.view[*p]].1))
        };
        Some(hit.map(|p| {
            self.cursor = p;
            self.row_at(p)
        }))
    }
}
