//! Keys and keyset conditions of an index-backed view (MS-OXCTABL 3.2.5.5 RopQueryRows, 3.2.5.7
//! RopSeekRow): a row's place in the view is its key — the values of the sort columns, then
//! the MID — so "the rows after this one" is an SQL condition that walks an index, whatever
//! happened to the rows before it.
//!
//! View order (the reference is `SortOrderSet::compare` then MID): a missing value (NULL) sorts
//! before every value of an ascending key and after every value of a descending one (SQLite
//! does the same: NULLs are smallest); ties fall back to the MID in the direction of the last
//! sort key (ascending without a sort; [`crate::table::tie_descending`]), so a view sorted on
//! one key is exactly a walk of that key's index, forward or backward. The rows after (or before) a key are a union of disjoint ranges, each a
//! simple condition on a prefix of the keys, listed here in walking order: SQLite reads each
//! through the index and the walk concatenates them.

use std::cmp::Ordering;

use crate::db::{Backend, Value};

use super::plan::{SortKey, SqlCond};

/// A row's place in the view.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Key {
    /// The sort columns' values (NULL when missing).
    pub values: Vec<Value>,
    /// The MID counter.
    pub mid: u64,
}

/// Where a cursor or bookmark is.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Pos {
    /// Before the first row.
    Beginning,
    /// On the row with this key — or, when that row has left the view, on the row after it
    /// (the next row takes its place).
    Row(Key),
    /// Just past the row with this key (a key, not a row: the row may have gone since): where
    /// reading or seeking forward past the last row leaves the cursor. A row added later that
    /// sorts after the key is the next row read, as at the memory engine's cursor index past
    /// its last row (MS-OXCTABL 3.2.5.5).
    After(Key),
    /// After the last row, whatever it is (BOOKMARK_END, MS-OXCTABL 2.2.2.1.1).
    End,
}

impl Pos {
    /// The position a walk starts from, and whether it includes the anchor row: [`Pos::After`]
    /// is its key's row, excluded forward and included backward (the rows before the cursor).
    pub(super) fn anchor(&self, forward: bool, inclusive: bool) -> (Pos, bool) {
        match self {
            Pos::After(k) => (Pos::Row(k.clone()), !forward),
            other => (other.clone(), inclusive),
        }
    }
}

/// True when the view's ties fall back to the MID descending: the last sort key is descending.
fn mid_descending(keys: &[SortKey]) -> bool {
    keys.last().is_some_and(|(_, desc)| *desc)
}

/// `ORDER BY` of a walk: view order forward, the reverse backward.
pub(super) fn order_by(keys: &[SortKey], forward: bool, b: Backend) -> String {
    let dir = |desc: bool| if desc == forward { "DESC" } else { "ASC" };
    let mut parts: Vec<String> = keys
        .iter()
        .map(|(k, desc)| format!("m.{} {}{}", k.column, dir(*desc), b.nulls(*desc == forward)))
        .collect();
    parts.push(format!("m.mid {}", dir(mid_descending(keys))));
    parts.join(", ")
}

/// The columns of a key, for `SELECT m.mid, …`.
pub(super) fn key_columns(keys: &[SortKey]) -> String {
    keys.iter().map(|(k, _)| format!(", m.{}", k.column)).collect()
}

fn equal(column: &str, v: &Value) -> SqlCond {
    match v {
        Value::Null => SqlCond { sql: format!("m.{column} IS NULL"), params: Vec::new() },
        v => SqlCond { sql: format!("m.{column} = ?"), params: vec![v.clone()] },
    }
}

/// The ranges of one key column strictly past `v` in walking order: with `greater`, the values
/// above `v`; else those below it, then the NULLs.
fn past(column: &str, v: &Value, greater: bool) -> Vec<SqlCond> {
    match (v, greater) {
        (Value::Null, true) => vec![SqlCond { sql: format!("m.{column} IS NOT NULL"), params: Vec::new() }],
        (Value::Null, false) => Vec::new(),
        (v, true) => vec![SqlCond { sql: format!("m.{column} > ?"), params: vec![v.clone()] }],
        (v, false) => vec![
            SqlCond { sql: format!("m.{column} < ?"), params: vec![v.clone()] },
            SqlCond { sql: format!("m.{column} IS NULL"), params: Vec::new() },
        ],
    }
}

/// The disjoint ranges holding the rows past `anchor` (and the anchor's own row with
/// `inclusive`), in walking order; each is to be read with [`order_by`].
pub(super) fn ranges(keys: &[SortKey], anchor: &Key, forward: bool, inclusive: bool) -> Vec<SqlCond> {
    // Walking towards greater MIDs: forward on ascending ties, backward on descending ones.
    let mid_op = match (forward != mid_descending(keys), inclusive) {
        (true, false) => ">",
        (true, true) => ">=",
        (false, false) => "<",
        (false, true) => "<=",
    };
    let prefix = |n: usize| -> Vec<SqlCond> {
        keys[..n].iter().zip(&anchor.values).map(|((k, _), v)| equal(k.column, v)).collect()
    };
    let mut out = Vec::new();
    let mut same = prefix(keys.len());
    same.push(SqlCond { sql: format!("m.mid {mid_op} ?"), params: vec![Value::Integer(anchor.mid as i64)] });
    out.push(SqlCond::all(same));
    for i in (0..keys.len()).rev() {
        let (k, desc) = keys[i];
        // Forward on an ascending key (or backward on a descending one) goes to greater values.
        for part in past(k.column, &anchor.values[i], forward != desc) {
            let mut c = prefix(i);
            c.push(part);
            out.push(SqlCond::all(c));
        }
    }
    out
}

/// Orders two key values as SQLite does (NULL, then integers, then text by bytes).
fn cmp_value(a: &Value, b: &Value) -> Ordering {
    let rank = |v: &Value| match v {
        Value::Null => 0,
        Value::Integer(_) | Value::Real(_) => 1,
        Value::Text(_) => 2,
        Value::Blob(_) => 3,
    };
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Orders two keys in view order.
pub(super) fn cmp_keys(keys: &[SortKey], a: &Key, b: &Key) -> Ordering {
    for (i, (_, desc)) in keys.iter().enumerate() {
        let o = cmp_value(&a.values[i], &b.values[i]);
        let o = if *desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    let o = a.mid.cmp(&b.mid);
    if mid_descending(keys) { o.reverse() } else { o }
}
