//! Walking a view sorted on ONE descending key (MS-OXCTABL 3.2.5.3; "sort by importance,
//! highest first"): the view is the key descending with ties in MID ascending order, which no
//! walk of the `(fid, associated, soft_deleted, key)` index gives (backwards it ties in MID
//! descending order), so SQLite would sort a whole group of equal values — for a key with few
//! values, a third of the folder — before the first row. Instead the walk goes one value at a
//! time: the rows of one value in MID order (an index range), then the next value
//! (`MAX(key) < v` or `MIN(key) > v`, one index seek).

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::keyset::{Key, Pos};
use super::plan::SqlCond;
use super::scan::{Scan, count};
use crate::error::StoreResult;
use crate::mailbox::messages::sort_keys::KeyColumn;

impl Scan<'_> {
    /// [`Scan::candidates`] of a view sorted on the one descending key `k`.
    pub(super) fn hop(
        &self,
        k: &KeyColumn,
        cond: &SqlCond,
        from: &Pos,
        forward: bool,
        inclusive: bool,
        limit: usize,
    ) -> StoreResult<Vec<Key>> {
        let col = k.column;
        let (base, params) = self.base(cond);
        let (scope, scope_params) = self.base(&SqlCond::always());
        let table = self.from();
        let conn = self.store.lock();
        // Forward: values high to low, then the missing ones; MIDs ascending within a value.
        // Backward: the reverse.
        let (mut group, mut bound): (Option<Value>, Option<(&str, i64)>) = match from {
            Pos::Row(key) => {
                let op = match (forward, inclusive) {
                    (true, false) => ">",
                    (true, true) => ">=",
                    (false, false) => "<",
                    (false, true) => "<=",
                };
                (Some(key.values[0].clone()), Some((op, key.mid as i64)))
            }
            Pos::Beginning if forward => {
                (self.next_value(&conn, &scope, &scope_params, col, None, true)?.or(Some(Value::Null)), None)
            }
            Pos::End if !forward => (Some(Value::Null), None),
            _ => (None, None),
        };
        let mut out = Vec::new();
        while let Some(v) = group.take() {
            if out.len() >= limit {
                break;
            }
            let mut p = params.clone();
            let mut sql = match &v {
                Value::Null => format!("SELECT m.mid FROM {table} WHERE {base} AND m.{col} IS NULL"),
                v => {
                    p.push(v.clone());
                    format!("SELECT m.mid FROM {table} WHERE {base} AND m.{col} = ?")
                }
            };
            if let Some((op, mid)) = bound.take() {
                sql.push_str(&format!(" AND m.mid {op} ?"));
                p.push(Value::Integer(mid));
            }
            sql.push_str(if forward {
                " ORDER BY m.mid ASC LIMIT ?"
            } else {
                " ORDER BY m.mid DESC LIMIT ?"
            });
            p.push(Value::Integer((limit - out.len()) as i64));
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(p))?;
            while let Some(r) = rows.next()? {
                out.push(Key { values: vec![v.clone()], mid: r.get::<_, i64>(0)? as u64 });
            }
            drop(rows);
            count(&stmt, self.steps);
            group = match (&v, forward) {
                (Value::Null, true) => None,
                (Value::Null, false) => self.next_value(&conn, &scope, &scope_params, col, None, false)?,
                (v, true) => {
                    self.next_value(&conn, &scope, &scope_params, col, Some(v), true)?.or(Some(Value::Null))
                }
                (v, false) => self.next_value(&conn, &scope, &scope_params, col, Some(v), false)?,
            };
        }
        Ok(out)
    }

    /// The next present value of `col` in the scope: the greatest below `v` (`down`) or the
    /// least above it; with no `v`, the greatest or least of all.
    fn next_value(
        &self,
        conn: &rusqlite::Connection,
        scope: &str,
        scope_params: &[Value],
        col: &str,
        v: Option<&Value>,
        down: bool,
    ) -> StoreResult<Option<Value>> {
        let (agg, op) = if down { ("MAX", "<") } else { ("MIN", ">") };
        let mut p = scope_params.to_vec();
        let past = match v {
            Some(v) => {
                p.push(v.clone());
                format!("m.{col} {op} ?")
            }
            None => format!("m.{col} IS NOT NULL"),
        };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {agg}(m.{col}) FROM {} WHERE {scope} AND {past}",
            self.from()
        ))?;
        let got: Value = stmt.query_row(params_from_iter(p), |r| r.get(0))?;
        count(&stmt, self.steps);
        Ok(match got {
            Value::Null => None,
            v => Some(v),
        })
    }
}
