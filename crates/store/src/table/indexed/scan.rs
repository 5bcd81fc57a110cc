//! The SQL an index-backed view runs: candidate keys past a position (through the
//! `(fid, associated, soft_deleted, key)` indexes), counts, the n-th row, one row's key, and
//! the property bags of a page of rows. Every query is bounded by a LIMIT or is an index-only
//! COUNT; nothing here holds more than one page of rows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::Value;
use crate::db::params_from_iter;
use oxmapi_core::bag::PropBag;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;

use super::ContentsScope;
use super::keyset::{Key, Pos, key_columns, order_by, ranges};
use super::plan::{SortKey, SqlCond};
use crate::error::StoreResult;
use crate::mailbox::messages::sort_keys::FOLDER_INDEX;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore};
use crate::table::{ViewRow, view_row};

/// The table row id of a MID counter (what `ObjectId::to_u64` gives, as in the memory engine).
pub(super) fn row_id(mid: u64) -> u64 {
    ObjectId::new(LOCAL_REPLICA_ID, mid).to_u64()
}

/// The MID counter of a table row id, `None` for another replica's id.
pub(super) fn mid_of(id: u64) -> Option<u64> {
    let o = ObjectId::from_u64(id);
    (o.replica_id == LOCAL_REPLICA_ID).then_some(o.global_counter)
}

/// The queries of one view: a store, its scope and its sort keys.
pub(super) struct Scan<'a> {
    pub store: &'a MessageStore,
    pub scope: ContentsScope,
    pub keys: &'a [SortKey],
    /// Where the SQLite virtual machine steps of the queries add up.
    pub steps: &'a AtomicU64,
    /// Where the number of queries run adds up.
    pub queries: &'a AtomicU64,
}

impl Scan<'_> {
    /// Counts one run of `stmt`: a query, and the VM steps it ran since its last count.
    fn count(&self, stmt: &crate::db::Statement<'_>) {
        self.steps.fetch_add(stmt.take_vm_steps(), Ordering::Relaxed);
        self.queries.fetch_add(1, Ordering::Relaxed);
    }
}

impl Scan<'_> {
    /// The scope condition and its parameters.
    pub(super) fn base(&self, cond: &SqlCond) -> (String, Vec<Value>) {
        let sql = format!("m.fid = ? AND m.associated = ? AND m.soft_deleted = ? AND ({})", cond.sql);
        let mut params = vec![
            Value::Integer(self.scope.fid.global_counter as i64),
            Value::Integer(self.scope.associated as i64),
            Value::Integer(self.scope.soft_deleted as i64),
        ];
        params.extend(cond.params.iter().cloned());
        (sql, params)
    }

    /// `messages m` read through the index of the first sort key (the folder index without
    /// one): SQLite must walk the view order, never pick another index and sort the folder.
    pub(super) fn from(&self) -> String {
        let index = self.keys.first().and_then(|(k, _)| k.index).unwrap_or(FOLDER_INDEX);
        self.store.backend().indexed_by("messages m", index)
    }

    /// The ranges past `from` in a direction (none when nothing lies that way).
    fn ranges_from(&self, from: &Pos, forward: bool, inclusive: bool) -> Vec<SqlCond> {
        match (from, forward) {
            (Pos::Beginning, true) | (Pos::End, false) => vec![SqlCond::always()],
            (Pos::Beginning, false) | (Pos::End, true) => Vec::new(),
            (Pos::Row(k), _) => ranges(self.keys, k, forward, inclusive),
            (Pos::After(_), _) => {
                let (from, inclusive) = from.anchor(forward, inclusive);
                self.ranges_from(&from, forward, inclusive)
            }
        }
    }

    fn key(&self, r: &crate::db::Row<'_>) -> crate::db::Result<Key> {
        let mid = r.get::<_, i64>(0)? as u64;
        let values = (0..self.keys.len()).map(|i| r.get::<_, Value>(i + 1)).collect::<Result<_, _>>()?;
        Ok(Key { values, mid })
    }

    /// Up to `limit` keys of rows passing `cond` past `from`, in walking order.
    pub fn candidates(
        &self,
        cond: &SqlCond,
        from: &Pos,
        forward: bool,
        inclusive: bool,
        limit: usize,
    ) -> StoreResult<Vec<Key>> {
        let conn = self.store.lock()?;
        let mut out = Vec::new();
        for range in self.ranges_from(from, forward, inclusive) {
            if out.len() >= limit {
                break;
            }
            let (sql, p) = self.candidates_query(cond, &range, forward, limit - out.len());
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(p))?;
            while let Some(r) = rows.next()? {
                out.push(self.key(&r)?);
            }
            drop(rows);
            self.count(&stmt);
        }
        Ok(out)
    }

    /// The query [`Scan::candidates`] runs on one of its ranges: the keys of up to `limit` rows
    /// passing `cond` in `range`, in walking order, read through the index of the first sort
    /// key; and its parameters.
    pub(super) fn candidates_query(
        &self,
        cond: &SqlCond,
        range: &SqlCond,
        forward: bool,
        limit: usize,
    ) -> (String, Vec<Value>) {
        let (base, mut params) = self.base(cond);
        let (cols, order) = (key_columns(self.keys), order_by(self.keys, forward, self.store.backend()));
        let sql = format!(
            "SELECT m.mid{cols} FROM {} WHERE {base} AND ({}) ORDER BY {order} LIMIT ?",
            self.from(),
            range.sql
        );
        params.extend(range.params.iter().cloned());
        params.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
        (sql, params)
    }

    /// True when the scope holds more than `n` messages: a count that stops at `n + 1` (an
    /// index range of the folder index), however big the folder.
    pub fn more_than(&self, n: usize) -> StoreResult<bool> {
        let (base, mut params) = self.base(&SqlCond::always());
        params.push(Value::Integer(n.saturating_add(1).min(i64::MAX as usize) as i64));
        let conn = self.store.lock()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {base} LIMIT ?) AS n",
            self.store.backend().indexed_by("messages m", FOLDER_INDEX)
        ))?;
        let got = stmt.query_row(params_from_iter(params), |r| r.get::<_, i64>(0))?;
        self.count(&stmt);
        Ok(got as usize > n)
    }

    /// The number of rows passing `cond` before `to` (all of them for [`Pos::End`]).
    pub fn count_before(&self, cond: &SqlCond, to: &Pos) -> StoreResult<usize> {
        let (base, params) = self.base(cond);
        // The whole view's count needs no order: SQLite picks the index (a restriction's
        // column index when it has one: an index-only count of the matching rows, instead of
        // a walk of the sort key's index that reads every row of the folder to test it).
        let table = if *to == Pos::End { "messages m".to_string() } else { self.from() };
        let conn = self.store.lock()?;
        let mut n = 0i64;
        for range in self.ranges_from(to, false, false) {
            let mut p = params.clone();
            p.extend(range.params);
            let mut stmt = conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM {table} WHERE {base} AND ({})", range.sql))?;
            n += stmt.query_row(params_from_iter(p), |r| r.get::<_, i64>(0))?;
            self.count(&stmt);
        }
        Ok(n as usize)
    }

    /// The key of the row at index `k` of the rows passing `cond`.
    pub fn nth(&self, cond: &SqlCond, k: usize) -> StoreResult<Option<Key>> {
        let (base, mut params) = self.base(cond);
        let table = self.from();
        let (cols, order) = (key_columns(self.keys), order_by(self.keys, true, self.store.backend()));
        params.push(Value::Integer(k as i64));
        let conn = self.store.lock()?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT m.mid{cols} FROM {table} WHERE {base} ORDER BY {order} LIMIT 1 OFFSET ?"
        ))?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let key = rows.next()?.map(|r| self.key(&r)).transpose()?;
        drop(rows);
        self.count(&stmt);
        Ok(key)
    }

    /// The key of message `mid` when it is in the scope and passes `cond`.
    pub fn key_of(&self, cond: &SqlCond, mid: u64) -> StoreResult<Option<Key>> {
        let (base, mut params) = self.base(cond);
        params.push(Value::Integer(mid as i64));
        let cols = key_columns(self.keys);
        let conn = self.store.lock()?;
        let mut stmt =
            conn.prepare_cached(&format!("SELECT m.mid{cols} FROM messages m WHERE {base} AND m.mid = ?"))?;
        let mut rows = stmt.query(params_from_iter(params))?;
        Ok(rows.next()?.map(|r| self.key(&r)).transpose()?)
    }

    /// The rows of messages `mids` with the properties `tags` (as stored, like the memory
    /// engine's rows), plus the per-row properties every table has, by MID counter.
    pub fn rows(&self, mids: &[u64], tags: &[PropTag]) -> StoreResult<HashMap<u64, ViewRow>> {
        let tags: Vec<PropTag> = tags.iter().map(|t| PropTag::new(t.id(), PropType::Unspecified)).collect();
        let s = self.scope;
        self.queries.fetch_add(1, Ordering::Relaxed);
        let rows =
            self.store.contents_rows_by_mid(s.fid, s.associated, s.soft_deleted, mids, &tags, self.steps)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let bag: PropBag = tags
                    .iter()
                    .zip(r.values)
                    .filter_map(|(t, v)| v.map(|v| TaggedValue::new(*t, v)))
                    .collect();
                let mid = r.mid.global_counter;
                (mid, view_row(row_id(mid), 0, bag))
            })
            .collect())
    }
}
