//! Copying the rows of one table (or of a part of it) from a source connection to a target
//! connection, page by page in primary-key order, so memory stays bounded whatever the table's
//! size: a page holds at most [`PAGE_ROWS`] rows and about [`PAGE_BYTES`] bytes (blob chunks
//! are 64 KiB each, so a 25 MB attachment is copied a few MB at a time).

use crate::db::{Conn, Value, params_from_iter};
use crate::error::StoreResult;

use super::plan::{Table, quoted};

/// Most rows read in one page.
pub const PAGE_ROWS: usize = 500;
/// About how many bytes of values one page may hold (the page size shrinks to fit the largest
/// row seen so far).
pub const PAGE_BYTES: usize = 4 << 20;
/// Most parameters in one INSERT (SQLite allows 32766, PostgreSQL 65535).
const MAX_PARAMS: usize = 30_000;

/// Which rows of a table a pass copies.
pub(crate) enum Filter {
    /// All of them.
    All,
    /// Those matching an SQL condition on the source (no parameters).
    Where(String),
    /// Those whose integer `column` is in the list.
    In(String, Vec<i64>),
}

/// Rows and bytes copied.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Rows.
    pub rows: u64,
    /// Bytes of values (text and blobs by length, numbers 8 bytes).
    pub bytes: u64,
}

impl Tally {
    /// Adds another tally.
    pub fn add(&mut self, o: Tally) {
        self.rows += o.rows;
        self.bytes += o.bytes;
    }
}

fn size(v: &Value) -> u64 {
    match v {
        Value::Null => 0,
        Value::Integer(_) | Value::Real(_) => 8,
        Value::Text(t) => t.len() as u64,
        Value::Blob(b) => b.len() as u64,
    }
}

/// Copies the rows of `t` that `filter` selects from `src` to `dst`; `on_page` sees the tally
/// of each page written (progress).
pub(crate) fn copy_table(
    src: &Conn,
    dst: &Conn,
    t: &Table,
    filter: &Filter,
    on_page: &mut dyn FnMut(Tally),
) -> StoreResult<Tally> {
    let key_extra: Vec<&String> = t.key.iter().filter(|k| !t.columns.contains(k)).collect();
    let select_cols: Vec<String> =
        t.columns.iter().chain(key_extra.iter().copied()).map(|c| quoted(c)).collect();
    // Where each key column is in a selected row (the columns, then the key columns that are
    // not among them, e.g. SQLite's rowid).
    let all: Vec<&String> = t.columns.iter().chain(key_extra.iter().copied()).collect();
    let key_pos: Vec<usize> = t.key.iter().filter_map(|k| all.iter().position(|c| *c == k)).collect();
    let mut conditions = Vec::new();
    let mut fixed: Vec<Value> = Vec::new();
    match filter {
        Filter::All => {}
        Filter::Where(w) => conditions.push(format!("({w})")),
        Filter::In(column, ids) => {
            fixed.push(Value::Text(serde_free_json(ids)));
            conditions.push(src.backend().id_in(&quoted(column), "?1"));
        }
    }
    let order = t.key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ");
    let key_condition = match t.key.len() {
        0 => None,
        1 => Some(format!("{} > ?{}", quoted(&t.key[0]), fixed.len() + 1)),
        n => Some(format!(
            "({}) > ({})",
            order,
            (0..n).map(|i| format!("?{}", fixed.len() + 1 + i)).collect::<Vec<_>>().join(", ")
        )),
    };
    let base = format!("SELECT {} FROM {}", select_cols.join(", "), quoted(&t.name));
    let mut total = Tally::default();
    let mut last: Option<Vec<Value>> = None;
    let mut limit = PAGE_ROWS.min(16);
    let mut widest = 0usize;
    loop {
        let mut conds = conditions.clone();
        let mut params = fixed.clone();
        if let (Some(kc), Some(l)) = (&key_condition, &last) {
            conds.push(kc.clone());
            params.extend(l.iter().cloned());
        }
        let mut sql = base.clone();
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        if !t.key.is_empty() {
            sql.push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        }
        let mut page: Vec<Vec<Value>> = Vec::new();
        {
            let mut st = src.prepare_cached(&sql)?;
            let mut rows = st.query(params_from_iter(params.iter()))?;
            while let Some(r) = rows.next()? {
                let mut v = Vec::with_capacity(select_cols.len());
                for i in 0..select_cols.len() {
                    v.push(r.get_ref(i)?.to_owned());
                }
                page.push(v);
            }
        }
        if page.is_empty() {
            break;
        }
        let full = !t.key.is_empty() && page.len() == limit;
        last = Some(key_pos.iter().map(|&i| page[page.len() - 1][i].clone()).collect());
        let mut tally = Tally::default();
        for row in &page {
            let bytes: u64 = row[..t.columns.len()].iter().map(size).sum();
            widest = widest.max(bytes as usize);
            tally.rows += 1;
            tally.bytes += bytes;
        }
        insert(dst, t, &page)?;
        total.add(tally);
        on_page(tally);
        if !full {
            break;
        }
        limit = (PAGE_BYTES / widest.max(1)).clamp(1, PAGE_ROWS);
    }
    Ok(total)
}

/// Writes rows (the first `t.columns.len()` values of each) with multi-row INSERTs.
fn insert(dst: &Conn, t: &Table, rows: &[Vec<Value>]) -> StoreResult<()> {
    let n = t.columns.len();
    let per_statement = (MAX_PARAMS / n).max(1);
    let cols = t.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    for chunk in rows.chunks(per_statement) {
        let groups: Vec<String> = (0..chunk.len())
            .map(|r| {
                format!("({})", (0..n).map(|c| format!("?{}", r * n + c + 1)).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {} ({cols}) VALUES {}", quoted(&t.name), groups.join(", "));
        let values = chunk.iter().flat_map(|r| r[..n].iter());
        dst.prepare_cached(&sql)?.execute(params_from_iter(values))?;
    }
    Ok(())
}

/// `[1,2,3]`: the JSON list `Backend::id_in` binds.
fn serde_free_json(ids: &[i64]) -> String {
    format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

/// The number of rows of table `name` (through the connection's scope).
pub(crate) fn count(conn: &Conn, name: &str) -> StoreResult<u64> {
    let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", quoted(name)), [], |r| r.get(0))?;
    Ok(n as u64)
}
