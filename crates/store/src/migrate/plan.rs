//! What a migration copies: the tables both sides have, read from each side's schema (so a
//! column or table added later comes along without changes here), their common columns and
//! keys, in an order that satisfies the foreign keys.

use std::collections::BTreeMap;

use crate::db::{Backend, Conn};
use crate::error::{StoreError, StoreResult};
use crate::sqlite::Migration;

/// The directory or the tables of one mailbox.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scope {
    /// Users, grants, settings …
    Directory,
    /// The tables every mailbox (and the public store) has.
    Mailbox,
}

impl Scope {
    /// The prefix of a table's name in summaries (`directory.users`, `mailbox.messages`).
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Scope::Directory => "directory",
            Scope::Mailbox => "mailbox",
        }
    }
}

/// One table to copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Table {
    /// Its name (the same on both sides).
    pub name: String,
    /// The columns both sides have, in the source's order.
    pub columns: Vec<String>,
    /// The source's primary key (pages are read in its order); `rowid` for an SQLite table
    /// without one, empty for a PostgreSQL table without one (read in one page).
    pub key: Vec<String>,
}

/// The order of the known tables (parents before children); tables not listed come after them
/// in name order.
const DIRECTORY_ORDER: &[&str] = &["users", "grants", "quotas", "mailbox_logons", "settings", "authz"];
const MAILBOX_ORDER: &[&str] = &[
    "store",
    "replicas",
    "id_counter",
    "store_properties",
    "named_properties",
    "folders",
    "folder_properties",
    "receive_folders",
    "folder_permissions",
    "rules",
    "oof_replies",
    "per_user_data",
    "search_folders",
    "messages",
    "attachments",
    "message_properties",
    "recipients",
    "attachment_properties",
    "blobs",
    "blob_chunks",
    "blob_orphans",
    "submissions",
    "submission_progress",
    "deliveries",
    "search_results",
    "pending_sort_keys",
    "folder_counts",
];

/// Tables never copied: live session contexts (process state of the servers, which must be
/// stopped), the migration's own bookkeeping, and bookkeeping only one backend has (the
/// PostgreSQL directory's change counter and the cross-node change log).
pub const NOT_COPIED: &[&str] = &["sessions", super::resume::PROGRESS_TABLE, "changes", "change_log"];

/// The tables of `scope` as a side's schema has them: `conn` is a connection to that side's
/// directory (files: unused, the schema of this build's files is read from `migrations`).
pub(crate) fn tables(conn: &Conn, scope: Scope, migrations: &[Migration]) -> StoreResult<Vec<Table>> {
    match conn.backend() {
        Backend::Sqlite => sqlite_tables(migrations),
        Backend::Postgres => postgres_tables(conn, scope),
    }
}

/// This build's SQLite schema, built in memory from its migrations (every file is upgraded to
/// it when opened).
fn sqlite_tables(migrations: &[Migration]) -> StoreResult<Vec<Table>> {
    let mem = rusqlite::Connection::open_in_memory()?;
    for m in migrations {
        mem.execute_batch(m.sql)?;
    }
    let mut names: Vec<String> = mem
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let mut cols: Vec<(String, i64)> = mem
            .prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid")?
            .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut key: Vec<(i64, String)> =
            cols.iter().filter(|c| c.1 > 0).map(|c| (c.1, c.0.clone())).collect();
        key.sort();
        let mut key: Vec<String> = key.into_iter().map(|k| k.1).collect();
        if key.is_empty() {
            key.push("rowid".into());
        }
        out.push(Table { name, columns: cols.drain(..).map(|c| c.0).collect(), key });
    }
    Ok(out)
}

/// The tables of a PostgreSQL site: the directory's tables, or the mailbox views (whose
/// primary keys are those of the `store` tables behind them, without `mbx`).
fn postgres_tables(conn: &Conn, scope: Scope) -> StoreResult<Vec<Table>> {
    let (schema, kind, key_schema) = match scope {
        Scope::Directory => ("directory", "r", "directory"),
        Scope::Mailbox => ("mailbox", "v", "store"),
    };
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut st = conn.prepare(
        "SELECT CAST(c.relname AS TEXT), CAST(a.attname AS TEXT) FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid \
         WHERE CAST(n.nspname AS TEXT) = ?1 AND CAST(c.relkind AS TEXT) = ?2 AND a.attnum > 0 \
         AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
    )?;
    for r in st.query_map([schema, kind], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (t, c) = r?;
        if c != "mbx" {
            columns.entry(t).or_default().push(c);
        }
    }
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut st = conn.prepare(
        "SELECT CAST(c.relname AS TEXT), CAST(a.attname AS TEXT) FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) \
         WHERE i.indisprimary AND CAST(n.nspname AS TEXT) = ?1 \
         ORDER BY c.relname, array_position(CAST(i.indkey AS int2[]), a.attnum)",
    )?;
    for r in st.query_map([key_schema], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (t, c) = r?;
        if c != "mbx" {
            keys.entry(t).or_default().push(c);
        }
    }
    Ok(columns
        .into_iter()
        .map(|(name, columns)| {
            let key = keys.remove(&name).unwrap_or_default();
            Table { name, columns, key }
        })
        .collect())
}

/// What to copy from `source` into `target`: the tables both have (minus [`NOT_COPIED`]) with
/// the columns both have, in copy order; and the tables and columns only the source has, which
/// are left behind (named in the summary).
pub(crate) fn common(
    scope: Scope,
    source: Vec<Table>,
    target: &[Table],
) -> StoreResult<(Vec<Table>, Vec<String>)> {
    let order = match scope {
        Scope::Directory => DIRECTORY_ORDER,
        Scope::Mailbox => MAILBOX_ORDER,
    };
    let mut left_behind = Vec::new();
    let mut out = Vec::new();
    for mut t in source {
        if NOT_COPIED.contains(&t.name.as_str()) {
            continue;
        }
        let Some(there) = target.iter().find(|x| x.name == t.name) else {
            left_behind.push(format!("{}.{}", scope.prefix(), t.name));
            continue;
        };
        for c in &t.columns {
            if !there.columns.contains(c) {
                left_behind.push(format!("{}.{}.{c}", scope.prefix(), t.name));
            }
        }
        t.columns.retain(|c| there.columns.contains(c));
        if t.columns.is_empty() {
            return Err(StoreError::Corrupt(format!("table {} has no column both sides know", t.name)));
        }
        out.push(t);
    }
    let rank = |name: &str| order.iter().position(|o| *o == name).unwrap_or(order.len());
    out.sort_by(|a, b| rank(&a.name).cmp(&rank(&b.name)).then_with(|| a.name.cmp(&b.name)));
    Ok((out, left_behind))
}

/// Quotes an identifier for both dialects.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
