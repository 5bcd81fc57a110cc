//! Resuming a migration, and refusing targets it must not write into.
//!
//! The target's directory holds a table `migrate_progress (item, source, rows, bytes,
//! finished)`: one row for the directory and one per mailbox copied, written in the same
//! transaction as the copy on PostgreSQL (for files: right after the mailbox's file took its
//! final name). A rerun skips what is recorded and copies anything else from scratch.

use std::collections::BTreeMap;

use crate::db::{Backend, Conn, OptionalExt};
use crate::error::{StoreError, StoreResult};

use super::endpoint::Side;

/// The name of the progress table (in the target's directory; PostgreSQL: schema `directory`).
pub const PROGRESS_TABLE: &str = "migrate_progress";

/// The item name of the directory.
pub(crate) const DIRECTORY_ITEM: &str = "directory";

/// How long the check for a running server waits for SQLite's lock.
const RUNNING_CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(200);

/// The item name of a mailbox.
pub(crate) fn mailbox_item(guid: &oxmapi_core::guid::Guid) -> String {
    format!("mailbox {guid}")
}

/// Creates the progress table in the target's directory if missing.
pub(crate) fn ensure(dir: &Conn) -> StoreResult<()> {
    let sql = match dir.backend() {
        Backend::Sqlite => format!(
            "CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (item TEXT PRIMARY KEY, source TEXT NOT NULL, \
             rows INTEGER NOT NULL, bytes INTEGER NOT NULL, finished INTEGER NOT NULL)"
        ),
        Backend::Postgres => format!(
            "CREATE TABLE IF NOT EXISTS directory.{PROGRESS_TABLE} (item text PRIMARY KEY, source text NOT NULL, \
             rows bigint NOT NULL, bytes bigint NOT NULL, finished bigint NOT NULL)"
        ),
    };
    dir.execute_batch(&sql)?;
    Ok(())
}

/// The items recorded as done, with the source each came from.
pub(crate) fn done(dir: &Conn) -> StoreResult<BTreeMap<String, String>> {
    let mut st = dir.prepare(&format!("SELECT item, source FROM {PROGRESS_TABLE}"))?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.collect::<Result<_, _>>().map_err(Into::into)
}

/// Records `item` as done (in the caller's transaction, if any).
pub(crate) fn mark(conn: &Conn, item: &str, source: &str, rows: u64, bytes: u64) -> StoreResult<()> {
    conn.execute(
        &format!(
            "INSERT INTO {PROGRESS_TABLE} (item, source, rows, bytes, finished) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (item) DO UPDATE SET source = excluded.source, rows = excluded.rows, \
             bytes = excluded.bytes, finished = excluded.finished"
        ),
        crate::params![item, source, rows as i64, bytes as i64, crate::sqlite::unix_now()],
    )?;
    Ok(())
}

/// Refuses a target that holds another site's data: progress recorded from another source, or
/// users or mailboxes without a finished copy of the directory (which always comes first).
pub(crate) fn check_target(
    dir: &Conn,
    target: &Side,
    where_: &str,
    source: &str,
    done: &BTreeMap<String, String>,
) -> StoreResult<()> {
    if let Some((item, other)) = done.iter().find(|(_, s)| s.as_str() != source) {
        return Err(StoreError::Collision(format!(
            "{where_} holds a migration from another site ({other}, {item}): migrate into an empty database \
             (createdb) or a new directory, or rerun with --data/--database naming that site"
        )));
    }
    if done.contains_key(DIRECTORY_ITEM) {
        return Ok(());
    }
    let users: i64 = dir.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
    if users > 0 || target.has_mailboxes()? {
        return Err(StoreError::Collision(format!(
            "{where_} already holds a site ({users} users): a migration only fills an empty target; create an \
             empty database (createdb NAME) or name a new directory"
        )));
    }
    Ok(())
}

/// Refuses a side that a server (or another oxmapi process) uses now: for files, another
/// connection has `directory.sqlite` open (the server keeps it open while it runs); for
/// PostgreSQL, another oxmapi connection to the database exists.
pub(crate) fn check_not_running(side: &Side, where_: &str) -> StoreResult<()> {
    let busy = match side {
        Side::Files(root) => {
            let path = root.join(crate::site::DIRECTORY_FILE);
            if !path.exists() {
                return Ok(());
            }
            let c = rusqlite::Connection::open(&path)?;
            c.busy_timeout(RUNNING_CHECK_TIMEOUT)?;
            // In WAL mode every open connection holds a shared lock on the database file; an
            // exclusive one is only granted when no other process has the file open.
            let _: String = c.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |r| r.get(0))?;
            let got = c.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;");
            match got {
                Ok(()) => false,
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
                    true
                }
                Err(e) => return Err(e.into()),
            }
        }
        Side::Postgres(db) => {
            let conn = crate::mailbox::unscoped_conn(db)?;
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND CAST(application_name AS TEXT) = ?1",
                    [crate::db::pg::APPLICATION_NAME],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            // Ours are the pool's open connections (all named APPLICATION_NAME too).
            n as usize > db.pool().open_connections()
        }
    };
    if busy {
        return Err(StoreError::Collision(format!(
            "{where_} is in use by a running oxmapi server or another oxmapi process: stop every `oxmapi serve` \
             on it first (a migration copies a site at rest)"
        )));
    }
    Ok(())
}
