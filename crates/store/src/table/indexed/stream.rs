//! Walking an index-backed view: candidate rows come from SQL in view order, a batch at a
//! time, and the residual restriction (and a FindRow restriction) is evaluated on each batch
//! in Rust. The walk stops as soon as its visitor has what it needs, so a page costs a page
//! (plus the candidates the residual rejects), never the folder.

use std::collections::HashMap;

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::restriction::Restriction;

use super::keyset::{Key, Pos};
use super::plan::Filter;
use super::scan::mid_of;
use super::{IndexedTable, TableError};
use crate::table::{ProjectedRow, ViewRow};

/// Candidate rows read per query when a residual restriction filters them (tiny under test,
/// so the model test's small folders walk many batches).
pub(super) const SCAN_BATCH: usize = if cfg!(test) { 3 } else { 256 };

impl IndexedTable {
    /// Visits the keys of the rows of the view passing `filter` from `from` (its own row too
    /// with `inclusive`) in a direction, until `visit` returns false. `hint`: how many rows the
    /// caller expects to need (the SQL batch size without a residual).
    pub(super) fn stream(
        &self,
        filter: &Filter,
        from: &Pos,
        forward: bool,
        inclusive: bool,
        hint: usize,
        visit: &mut dyn FnMut(Key) -> bool,
    ) -> Result<(), TableError> {
        let scan = self.scan()?;
        let tags = filter.residual_tags();
        let batch = if tags.is_empty() { hint.clamp(1, SCAN_BATCH) } else { SCAN_BATCH };
        let (mut anchor, mut inclusive) = (from.clone(), inclusive);
        loop {
            let keys = scan.candidates(&filter.cond, &anchor, forward, inclusive, batch)?;
            let rows: HashMap<u64, ViewRow> = if tags.is_empty() {
                HashMap::new()
            } else {
                scan.rows(&keys.iter().map(|k| k.mid).collect::<Vec<_>>(), &tags)?
            };
            let full = keys.len() == batch;
            let last = keys.last().cloned();
            for key in keys {
                let row = rows.get(&key.mid);
                if let Some(r) = &filter.residual {
                    if !row.is_some_and(|row| r.evaluate(&row.props)) {
                        continue;
                    }
                }
                if !visit(key) {
                    return Ok(());
                }
            }
            match last {
                Some(k) if full => {
                    anchor = Pos::Row(k);
                    inclusive = false;
                }
                _ => return Ok(()),
            }
        }
    }

    /// Up to `limit` keys of the view from `from`, in walking order.
    pub(super) fn walk(
        &self,
        from: &Pos,
        forward: bool,
        inclusive: bool,
        limit: usize,
    ) -> Result<Vec<Key>, TableError> {
        let mut out = Vec::new();
        if limit == 0 {
            return Ok(out);
        }
        self.stream(&self.filter, from, forward, inclusive, limit, &mut |k| {
            out.push(k);
            out.len() < limit
        })?;
        Ok(out)
    }

    /// The first row of the view from `from` (its own row included with `inclusive`).
    pub(super) fn first_from(&self, from: &Pos, inclusive: bool) -> Result<Option<Key>, TableError> {
        Ok(self.walk(from, true, inclusive, 1)?.pop())
    }

    /// The rows of the view before `to` (every row for [`Pos::End`]).
    pub(super) fn count_before(&self, to: &Pos) -> Result<usize, TableError> {
        if self.filter.residual.is_none() {
            return Ok(self.scan()?.count_before(&self.filter.cond, to)?);
        }
        let mut n = 0usize;
        self.stream(&self.filter, to, false, false, usize::MAX, &mut |_| {
            n += 1;
            true
        })?;
        Ok(n)
    }

    /// The key of row `id` when it is in the view now.
    pub(super) fn key_in_view(&self, id: u64) -> Result<Option<Key>, TableError> {
        let Some(mid) = mid_of(id) else { return Ok(None) };
        let scan = self.scan()?;
        let Some(key) = scan.key_of(&self.filter.cond, mid)? else { return Ok(None) };
        if let Some(r) = &self.filter.residual {
            let rows = scan.rows(&[mid], &self.filter.residual_tags())?;
            if !rows.get(&mid).is_some_and(|row| r.evaluate(&row.props)) {
                return Ok(None);
            }
        }
        Ok(Some(key))
    }

    /// The rows of `keys` projected on the columns, in the order of `keys` (a row deleted
    /// meanwhile is left out).
    pub(super) fn project(&self, keys: &[Key]) -> Result<Vec<ProjectedRow>, TableError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mids: Vec<u64> = keys.iter().map(|k| k.mid).collect();
        let rows = self.scan()?.rows(&mids, &self.columns)?;
        Ok(mids
            .iter()
            .filter_map(|m| rows.get(m))
            .map(|row| self.columns.iter().map(|c| row.props.get(*c).cloned()).collect())
            .collect())
    }

    /// The filter of the view AND `r` (for FindRow).
    pub(super) fn with(&self, r: &Restriction) -> Filter {
        let both = match &self.restriction {
            Some(v) => Restriction::And(vec![v.clone(), r.clone()]),
            None => r.clone(),
        };
        Filter::of(Some(&both), self.store.backend())
    }
}
