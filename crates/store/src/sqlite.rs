//! Shared SQLite plumbing: opening a file in WAL mode with a busy timeout, immediate (write)
//! transactions, and schema versions with forward migrations (`PRAGMA user_version`).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{StoreError, StoreResult};

/// How long a connection waits for another writer before failing with SQLITE_BUSY.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// What kind of oxmapi file a database is: its `PRAGMA application_id` and a name for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FileKind {
    /// `PRAGMA application_id` stamped by the first migration.
    pub application_id: i32,
    /// Name used in messages ("directory", "message store").
    pub name: &'static str,
    /// `PRAGMA synchronous` for this kind of file.
    pub synchronous: &'static str,
}

/// One schema step: applying `sql` to a database at `version - 1` brings it to `version`.
pub(crate) struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// Opens (and, with `create`, creates) a database file, sets WAL, the busy timeout, foreign keys
/// and the synchronous level, and runs pending migrations.
pub(crate) fn open(
    path: &Path,
    kind: FileKind,
    migrations: &[Migration],
    create: bool,
) -> StoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(StoreError::NotFound(format!("{} file {} does not exist", kind.name, path.display())));
    }
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&conn, kind)?;
    migrate(&conn, path, kind, migrations)?;
    Ok(conn)
}

/// Opens a fresh file without WAL (used to build a store in a temporary file that is linked into
/// place once complete; WAL is switched on when the final file is opened).
pub(crate) fn open_scratch(path: &Path, kind: FileKind, migrations: &[Migration]) -> StoreResult<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&conn, path, kind, migrations)?;
    Ok(conn)
}

fn configure(conn: &Connection, kind: FileKind) -> StoreResult<()> {
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Failed(format!(
            "cannot switch the {} to WAL mode (journal mode stays {mode}); the file system may not support \
             shared memory: put the data directory on a local disk",
            kind.name
        )));
    }
    conn.pragma_update(None, "synchronous", kind.synchronous)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Starts a write transaction that takes the write lock at once (BEGIN IMMEDIATE), so concurrent
/// writers queue on the busy timeout instead of failing on a lock upgrade.
pub(crate) fn write_tx(conn: &Connection) -> StoreResult<Transaction<'_>> {
    Ok(Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?)
}

fn user_version(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

fn migrate(conn: &Connection, path: &Path, kind: FileKind, migrations: &[Migration]) -> StoreResult<()> {
    let latest = migrations.last().map(|m| m.version).unwrap_or(0);
    let current = user_version(conn)?;
    if current == latest {
        return check_application_id(conn, path, kind);
    }
    let tx = write_tx(conn)?;
    // Re-read under the write lock: another process may have migrated meanwhile.
    let current = user_version(&tx)?;
    if current > latest {
        return Err(StoreError::Corrupt(format!(
            "{} {} has schema version {current}, but this build of oxmapi knows versions up to {latest}: \
             upgrade oxmapi",
            kind.name,
            path.display()
        )));
    }
    if current > 0 {
        check_application_id(&tx, path, kind)?;
    } else {
        let objects: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if objects > 0 {
            return Err(StoreError::Corrupt(format!(
                "{} is an SQLite database but not an oxmapi {} (it has tables but no oxmapi schema version)",
                path.display(),
                kind.name
            )));
        }
    }
    for m in migrations.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    tx.pragma_update(None, "application_id", kind.application_id)?;
    tx.commit()?;
    Ok(())
}

fn check_application_id(conn: &Connection, path: &Path, kind: FileKind) -> StoreResult<()> {
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if id != kind.application_id {
        return Err(StoreError::Corrupt(format!(
            "{} is not an oxmapi {} (application id 0x{id:08X}, expected 0x{:08X})",
            path.display(),
            kind.name,
            kind.application_id
        )));
    }
    Ok(())
}

/// Runs `PRAGMA integrity_check` and reports whether SQLite answered "ok".
pub(crate) fn integrity_ok(conn: &Connection) -> StoreResult<bool> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(rows.len() == 1 && rows[0] == "ok")
}

/// Seconds since the Unix epoch, for bookkeeping columns.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
