//! Cursor movement on a [`Table`] (MS-OXCTABL 3.2.5.5–3.2.5.10, 3.2.5.13–3.2.5.16): QueryRows
//! forward and backward, SeekRow, SeekRowFractional, QueryPosition, bookmarks, FindRow.

use oxmapi_core::restriction::Restriction;
use oxmapi_core::value::PropValue;

use super::{Table, TableError, ViewRow};

/// A position a seek starts from (`Origin`: BOOKMARK_BEGINNING 0, BOOKMARK_CURRENT 1,
/// BOOKMARK_END 2; MS-OXCTABL 2.2.2.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Before the first row.
    Beginning,
    /// The cursor.
    Current,
    /// After the last row.
    End,
}

impl Origin {
    /// From the wire value.
    pub fn from_wire(v: u8) -> Result<Origin, TableError> {
        match v {
            0 => Ok(Origin::Beginning),
            1 => Ok(Origin::Current),
            2 => Ok(Origin::End),
            other => Err(TableError::InvalidParameter(format!("Origin {other}"))),
        }
    }

    /// The wire value.
    pub fn wire(self) -> u8 {
        match self {
            Origin::Beginning => 0,
            Origin::Current => 1,
            Origin::End => 2,
        }
    }
}

/// A saved position: the row it was on (by identity) and its index then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bookmark {
    key: Option<(u64, u32)>,
    index: usize,
}

/// A row projected on the table's columns.
pub type ProjectedRow = Vec<Option<PropValue>>;

/// What RopFindRow returns when a row matched.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundRow {
    /// The bookmark the search started from pointed at a row that is gone (`RowNoLongerVisible`).
    pub row_no_longer_visible: bool,
    /// The row.
    pub row: ProjectedRow,
}

/// What RopQueryRows returns.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult {
    /// `Origin` after the read: End / Beginning when no rows remain in the read direction.
    pub origin: Origin,
    /// The rows, in table order, projected on the columns.
    pub rows: Vec<ProjectedRow>,
}

/// What a seek returns (`HasSoughtLess`, `RowsSought`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeekResult {
    /// Fewer rows were moved than asked.
    pub sought_less: bool,
    /// Rows moved (negative backwards).
    pub moved: i32,
    /// The bookmarked row is gone (RopSeekRowBookmark `RowNoLongerVisible`).
    pub row_no_longer_visible: bool,
}

impl Table {
    fn base(&self, origin: Origin) -> usize {
        match origin {
            Origin::Beginning => 0,
            Origin::Current => self.cursor,
            Origin::End => self.view.len(),
        }
    }

    /// RopQueryRows (MS-OXCTABL 3.2.5.5): up to `count` rows from the cursor, forward, or the
    /// `count` rows before it (returned in table order) backward; the cursor moves past them
    /// unless `no_advance`. When the response buffer holds fewer rows, the caller gives the
    /// rest back with [`Table::unread`].
    pub fn query_rows(&mut self, count: usize, forward: bool, no_advance: bool) -> QueryResult {
        let (start, end) = if forward {
            (self.cursor, (self.cursor + count).min(self.view.len()))
        } else {
            (self.cursor.saturating_sub(count), self.cursor)
        };
        let rows = self.view[start..end].iter().map(|r| self.project(r)).collect();
        if !no_advance {
            self.cursor = if forward { end } else { start };
        }
        let origin = if forward && end >= self.view.len() {
            Origin::End
        } else if !forward && start == 0 {
            Origin::Beginning
        } else {
            Origin::Current
        };
        QueryResult { origin, rows }
    }

    /// Moves the cursor back after a QueryRows whose response kept only `kept` of `returned`
    /// rows (the rest did not fit the buffer).
    pub fn unread(&mut self, returned: usize, kept: usize, forward: bool) {
        let n = returned.saturating_sub(kept);
        if forward {
            self.cursor -= n.min(self.cursor);
        } else {
            self.cursor = (self.cursor + n).min(self.view.len());
        }
    }

    /// RopSeekRow (MS-OXCTABL 3.2.5.7).
    pub fn seek(&mut self, origin: Origin, delta: i32) -> SeekResult {
        let base = self.base(origin) as i64;
        let target = base + delta as i64;
        let clamped = target.clamp(0, self.view.len() as i64);
        let moved = (clamped - base) as i32;
        self.cursor = clamped as usize;
        SeekResult { sought_less: clamped != target, moved, row_no_longer_visible: false }
    }

    /// RopSeekRowFractional (MS-OXCTABL 3.2.5.9): to `numerator/denominator` of the table.
    pub fn seek_fractional(&mut self, numerator: u32, denominator: u32) -> Result<(), TableError> {
        if denominator == 0 {
            return Err(TableError::InvalidParameter("Denominator 0".into()));
        }
        let n = self.view.len() as u64;
        self.cursor = ((u64::from(numerator) * n) / u64::from(denominator)).min(n) as usize;
        Ok(())
    }

    /// RopQueryPosition (MS-OXCTABL 3.2.5.6): `(Numerator, Denominator)` = cursor, row count.
    pub fn query_position(&self) -> (u32, u32) {
        (self.cursor as u32, self.view.len() as u32)
    }

    /// RopCreateBookmark (MS-OXCTABL 3.2.5.10): a 4-byte bookmark of the cursor.
    pub fn create_bookmark(&mut self) -> Vec<u8> {
        self.bookmark_at(self.current_key(), self.cursor)
    }

    /// A new bookmark on row `key` at `index` (RopSetCollapseState's).
    pub(super) fn bookmark_at(&mut self, key: Option<(u64, u32)>, index: usize) -> Vec<u8> {
        let id = self.next_bookmark;
        self.next_bookmark = self.next_bookmark.wrapping_add(1).max(1);
        self.bookmarks.insert(id, Bookmark { key, index });
        id.to_le_bytes().to_vec()
    }

    fn bookmark(&self, bytes: &[u8]) -> Result<(u32, Bookmark), TableError> {
        let id: [u8; 4] = bytes.try_into().map_err(|_| TableError::InvalidBookmark)?;
        let id = u32::from_le_bytes(id);
        self.bookmarks.get(&id).map(|b| (id, *b)).ok_or(TableError::InvalidBookmark)
    }

    /// RopFreeBookmark (MS-OXCTABL 3.2.5.14).
    pub fn free_bookmark(&mut self, bytes: &[u8]) -> Result<(), TableError> {
        let (id, _) = self.bookmark(bytes)?;
        self.bookmarks.remove(&id);
        Ok(())
    }

    /// Where a bookmark points now, and whether its row is gone (then the next row takes its
    /// place, MS-OXCTABL 3.2.5.8).
    fn bookmark_index(&self, b: &Bookmark) -> (usize, bool) {
        match b.key {
            Some(k) => match self.view.iter().position(|r| (r.id, r.instance) == k) {
                Some(i) => (i, false),
                None => (b.index.min(self.view.len()), true),
            },
            None => (self.view.len(), false),
        }
    }

    /// RopSeekRowBookmark (MS-OXCTABL 3.2.5.8).
    pub fn seek_bookmark(&mut self, bytes: &[u8], delta: i32) -> Result<SeekResult, TableError> {
        let (_, b) = self.bookmark(bytes)?;
        let (index, gone) = self.bookmark_index(&b);
        self.cursor = index;
        let mut r = self.seek(Origin::Current, delta);
        r.row_no_longer_visible = gone;
        Ok(r)
    }

    /// RopFindRow (MS-OXCTABL 3.2.5.13): the first row from `start` (or from the bookmark)
    /// matching `restriction`, searching forward or backward; the cursor moves to it.
    pub fn find_row(
        &mut self,
        restriction: &Restriction,
        start: FindStart<'_>,
        backward: bool,
    ) -> Result<Option<FoundRow>, TableError> {
        let (from, gone) = match start {
            FindStart::Origin(o) => (self.base(o), false),
            FindStart::Bookmark(b) => {
                let (_, bm) = self.bookmark(b)?;
                self.bookmark_index(&bm)
            }
        };
        let hit = |r: &ViewRow| restriction.evaluate(&r.props);
        let found = if backward {
            self.view[..from.min(self.view.len())].iter().rposition(hit)
        } else {
            self.view.iter().skip(from).position(hit).map(|i| i + from)
        };
        Ok(found.map(|i| {
            self.cursor = i;
            FoundRow { row_no_longer_visible: gone, row: self.project(&self.view[i]) }
        }))
    }
}

/// Where RopFindRow starts.
#[derive(Clone, Copy, Debug)]
pub enum FindStart<'a> {
    /// A predefined origin.
    Origin(Origin),
    /// A bookmark's bytes.
    Bookmark(&'a [u8]),
}
