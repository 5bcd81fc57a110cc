//! Cursor movement on an [`IndexedTable`] (MS-OXCTABL 3.2.5.5–3.2.5.10, 3.2.5.13–3.2.5.14,
//! 3.2.5.18–3.2.5.19), with the wire semantics of the memory engine (`table/cursor.rs`): the
//! cursor is a key, so every move is a bounded keyset walk from it.

use oxmapi_core::restriction::Restriction;

use super::keyset::{Key, Pos};
use super::{IndexedTable, Mark, TableError};
use crate::table::{CollapseState, FindStart, FoundRow, Origin, QueryResult, SeekResult, StateRow};

impl IndexedTable {
    fn base(&mut self, origin: Origin) -> Result<Pos, TableError> {
        self.settle()?;
        Ok(match origin {
            Origin::Beginning => Pos::Beginning,
            Origin::Current => self.cursor.clone(),
            Origin::End => Pos::End,
        })
    }

    /// RopQueryRows (MS-OXCTABL 3.2.5.5): up to `count` rows from the cursor forward, or the
    /// `count` rows before it (returned in table order) backward; the cursor moves past them
    /// unless `no_advance`. `Origin` is End (Beginning) when no row remains in the read
    /// direction. One keyset query of `count + 1` keys, then the page's rows by MID.
    pub fn query_rows(
        &mut self,
        count: usize,
        forward: bool,
        no_advance: bool,
    ) -> Result<QueryResult, TableError> {
        let before = self.base(Origin::Current)?;
        let mut keys = self.walk(&before, forward, forward, count.saturating_add(1))?;
        let more = keys.len() > count;
        let next = if more { keys.pop() } else { None };
        if !forward {
            keys.reverse();
        }
        let rows = self.project(&keys)?;
        if !no_advance {
            self.cursor = match (forward, next, keys.first()) {
                (true, Some(n), _) => Pos::Row(n),
                // Past the last row read: a row added after it later is read next.
                (true, None, Some(_)) => Pos::After(keys.last().cloned().expect("a page row")),
                (true, None, None) => before.clone(),
                (false, _, Some(first)) => Pos::Row(first.clone()),
                (false, _, None) => before.clone(),
            };
            let n = keys.len();
            self.known = self.known.and_then(|p| if forward { p.checked_add(n) } else { p.checked_sub(n) });
            self.last_page = Some((keys, before));
        }
        let origin = match (forward, more) {
            (true, false) => Origin::End,
            (false, false) => Origin::Beginning,
            _ => Origin::Current,
        };
        Ok(QueryResult { origin, rows })
    }

    /// Moves the cursor back after a QueryRows whose response kept only `kept` of `returned`
    /// rows (the rest did not fit the buffer): forward, onto the first row not kept; backward,
    /// as the memory engine does, `returned - kept` rows on from the page's first row.
    pub fn unread(&mut self, returned: usize, kept: usize, forward: bool) {
        let n = returned.saturating_sub(kept);
        let Some((page, before)) = self.last_page.as_ref() else { return };
        if n == 0 {
            return;
        }
        let at = if forward { kept } else { n };
        self.cursor = match page.get(at) {
            Some(k) => Pos::Row(k.clone()),
            None => before.clone(),
        };
        self.known = self.known.and_then(|p| if forward { p.checked_sub(n) } else { p.checked_add(n) });
    }

    /// Moves `delta` rows from `base`: the keyset walk of |delta| rows, clamped to the table.
    fn move_from(
        &mut self,
        base: Pos,
        base_known: Option<usize>,
        delta: i32,
    ) -> Result<SeekResult, TableError> {
        let want = delta.unsigned_abs() as usize;
        let (mut seen, mut last) = (0usize, None::<Key>);
        let forward = delta > 0;
        if delta != 0 {
            // Forward, the row `delta` on is the (delta+1)-th from the base's own row.
            let limit = if forward { want + 1 } else { want };
            self.stream(&self.filter.clone(), &base, forward, forward, limit, &mut |k| {
                seen += 1;
                last = Some(k);
                seen < limit
            })?;
        }
        let (pos, moved) = match (delta, forward) {
            (0, _) => (base, 0),
            (_, true) if seen > want => (Pos::Row(last.expect("a row was seen")), want),
            // Past the last row: just after it (a row added after it later comes next); a
            // walk that saw no row leaves the cursor where it was (at BOOKMARK_END, past a key).
            (_, true) => (last.map_or(base, Pos::After), seen),
            (_, false) if seen == want => (Pos::Row(last.expect("a row was seen")), want),
            (_, false) => (Pos::Beginning, seen),
        };
        self.cursor = pos;
        self.known =
            base_known.and_then(|p| if forward { p.checked_add(moved) } else { p.checked_sub(moved) });
        let moved = if forward { moved as i32 } else { -(moved as i32) };
        Ok(SeekResult { sought_less: moved != delta, moved, row_no_longer_visible: false })
    }

    /// RopSeekRow (MS-OXCTABL 3.2.5.7).
    pub fn seek(&mut self, origin: Origin, delta: i32) -> Result<SeekResult, TableError> {
        let base = self.base(origin)?;
        let base_known = match origin {
            Origin::Beginning => Some(0),
            Origin::Current => self.known,
            Origin::End => self.count,
        };
        self.move_from(base, base_known, delta)
    }

    /// RopSeekRowFractional (MS-OXCTABL 3.2.5.9): to `numerator/denominator` of the table —
    /// the n-th row through the index (`LIMIT 1 OFFSET n`), or a streaming count with a
    /// residual.
    pub fn seek_fractional(&mut self, numerator: u32, denominator: u32) -> Result<(), TableError> {
        if denominator == 0 {
            return Err(TableError::InvalidParameter("Denominator 0".into()));
        }
        let n = self.row_count()?;
        let k = ((u64::from(numerator) * n as u64) / u64::from(denominator)).min(n as u64) as usize;
        self.cursor = if k == 0 {
            Pos::Beginning
        } else if k >= n {
            Pos::End
        } else if self.filter.residual.is_none() {
            self.scan()?.nth(&self.filter.cond, k)?.map_or(Pos::End, Pos::Row)
        } else {
            let (mut seen, mut at) = (0usize, None);
            self.stream(&self.filter.clone(), &Pos::Beginning, true, true, k + 1, &mut |key| {
                seen += 1;
                if seen > k {
                    at = Some(key);
                }
                seen <= k
            })?;
            at.map_or(Pos::End, Pos::Row)
        };
        self.known = if self.cursor == Pos::End { Some(n) } else { Some(k) };
        Ok(())
    }

    /// RopQueryPosition (MS-OXCTABL 3.2.5.6): `(Numerator, Denominator)` = cursor, row count.
    pub fn query_position(&mut self) -> Result<(u32, u32), TableError> {
        Ok((self.position()? as u32, self.row_count()? as u32))
    }

    /// The cursor made concrete, for a bookmark: the row under it now (the first row at the
    /// beginning, a vanished row's successor), or End — as the memory engine's bookmark keeps
    /// the row at its cursor index, or none past the last row.
    fn resolved(&self) -> Pos {
        match &self.cursor {
            Pos::End => Pos::End,
            pos => match self.first_from(pos, true) {
                Ok(Some(now)) => Pos::Row(now),
                Ok(None) => Pos::End,
                Err(_) => pos.clone(),
            },
        }
    }

    fn add_mark(&mut self, mark: Mark) -> Vec<u8> {
        let id = self.next_bookmark;
        self.next_bookmark = self.next_bookmark.wrapping_add(1).max(1);
        self.bookmarks.insert(id, mark);
        id.to_le_bytes().to_vec()
    }

    /// RopCreateBookmark (MS-OXCTABL 3.2.5.10): a 4-byte bookmark of the row under the cursor.
    pub fn create_bookmark(&mut self) -> Vec<u8> {
        // A store error leaves the cursor unsettled; the bookmark then names its key.
        let _ = self.settle();
        let pos = self.resolved();
        let id = match &pos {
            Pos::Row(k) => Some(super::scan::row_id(k.mid)),
            _ => None,
        };
        self.add_mark(Mark { pos, id })
    }

    fn mark(&self, bytes: &[u8]) -> Result<(u32, Mark), TableError> {
        let id: [u8; 4] = bytes.try_into().map_err(|_| TableError::InvalidBookmark)?;
        let id = u32::from_le_bytes(id);
        self.bookmarks.get(&id).map(|b| (id, b.clone())).ok_or(TableError::InvalidBookmark)
    }

    /// RopFreeBookmark (MS-OXCTABL 3.2.5.14).
    pub fn free_bookmark(&mut self, bytes: &[u8]) -> Result<(), TableError> {
        let (id, _) = self.mark(bytes)?;
        self.bookmarks.remove(&id);
        Ok(())
    }

    /// Where a bookmark points now: its row where it is now (it follows its row), else its
    /// old key — the next row takes its place — with RowNoLongerVisible (MS-OXCTABL 3.2.5.8).
    fn mark_pos(&self, m: &Mark) -> Result<(Pos, bool), TableError> {
        match m.id {
            None => Ok((m.pos.clone(), false)),
            Some(id) => match self.key_in_view(id)? {
                Some(k) => Ok((Pos::Row(k), false)),
                None => Ok((m.pos.clone(), true)),
            },
        }
    }

    /// RopSeekRowBookmark (MS-OXCTABL 3.2.5.8).
    pub fn seek_bookmark(&mut self, bytes: &[u8], delta: i32) -> Result<SeekResult, TableError> {
        let (_, m) = self.mark(bytes)?;
        let (pos, gone) = self.mark_pos(&m)?;
        let mut r = self.move_from(pos, None, delta)?;
        r.row_no_longer_visible = gone;
        Ok(r)
    }

    /// RopFindRow (MS-OXCTABL 3.2.5.13): the first row from `start` (or from the bookmark)
    /// matching `restriction`, forward from the start row or backward from the row before it;
    /// the cursor moves to it. The exact part of the restriction joins the view's SQL.
    pub fn find_row(
        &mut self,
        restriction: &Restriction,
        start: FindStart<'_>,
        backward: bool,
    ) -> Result<Option<FoundRow>, TableError> {
        let (from, gone) = match start {
            FindStart::Origin(o) => (self.base(o)?, false),
            FindStart::Bookmark(b) => {
                let (_, m) = self.mark(b)?;
                self.mark_pos(&m)?
            }
        };
        let filter = self.with(restriction);
        let mut found = None;
        self.stream(&filter, &from, !backward, !backward, 1, &mut |k| {
            found = Some(k);
            false
        })?;
        let Some(key) = found else { return Ok(None) };
        let row = self.project(std::slice::from_ref(&key))?.pop().unwrap_or_default();
        self.cursor = Pos::Row(key);
        self.known = None;
        Ok(Some(FoundRow { row_no_longer_visible: gone, row }))
    }

    /// RopGetCollapseState (MS-OXCTABL 3.2.5.18): this engine serves no categorized view
    /// (those go to the memory engine), so the state names no category, only the row — in
    /// the memory engine's format ([`crate::table::CollapseState`]), so either engine restores
    /// the other's state.
    pub fn collapse_state(&self, row_id: u64, instance: u32) -> Result<Vec<u8>, TableError> {
        CollapseState { toggled: Vec::new(), row: Some(StateRow::Leaf(row_id, instance)) }.encode()
    }

    /// RopSetCollapseState (MS-OXCTABL 3.2.5.19): a bookmark on the row of the state (on the
    /// cursor when that row has gone, or when the state was taken at a heading row). A blob
    /// that is no state is InvalidParameter.
    pub fn set_collapse_state(&mut self, state: &[u8]) -> Result<Vec<u8>, TableError> {
        let state = CollapseState::decode(state)?;
        let id = match state.row {
            Some(StateRow::Leaf(id, _)) => id,
            _ => 0,
        };
        self.settle()?;
        let mark = match self.key_in_view(id)? {
            Some(k) => Mark { id: Some(id), pos: Pos::Row(k) },
            None => Mark { pos: self.resolved(), id: Some(id) },
        };
        Ok(self.add_mark(mark))
    }
}
