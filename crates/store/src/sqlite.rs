//! Shared SQLite plumbing: opening a file in WAL mode with a busy timeout, immediate (write)
//! transactions, and schema versions with forward migrations (`PRAGMA user_version`).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::db::{Conn, Tx, TxKind};

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

/// Creates an empty file readable and writable by its owner only (an empty file is a valid empty
/// SQLite database). An existing file is left alone.
pub(crate) fn create_owner_only(path: &Path) -> StoreResult<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::io_at(path, e)),
    }
}

/// Opens a fresh file without WAL (used to build a store in a temporary file that is linked into
/// place once complete; WAL is switched on when the final file is opened).
pub(crate) fn open_scratch(path: &Path, kind: FileKind, migrations: &[Migration]) -> StoreResult<Connection> {
    create_owner_only(path)?;
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

/// Starts a write transaction: on SQLite one that takes the write lock at once (BEGIN
/// IMMEDIATE), so concurrent writers queue on the busy timeout instead of failing on a lock
/// upgrade (see [`TxKind::Write`] for PostgreSQL).
pub(crate) fn write_tx(conn: &Conn) -> StoreResult<Tx<'_>> {
    Ok(conn.transaction(TxKind::Write)?)
}

/// Sets `PRAGMA synchronous` on an SQLite connection; nothing on PostgreSQL, whose commits are
/// always durable (`synchronous_commit` on).
pub(crate) fn set_synchronous(conn: &Conn, level: &str) -> StoreResult<()> {
    if let Some(c) = conn.sqlite() {
        c.pragma_update(None, "synchronous", level)?;
    }
    Ok(())
}

/// `PRAGMA data_version` and `total_changes` of an SQLite connection as one number that moves
/// when this connection or another one commits a change to the file.
pub(crate) fn change_mark(conn: &Connection) -> StoreResult<u64> {
    let data_version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((data_version as u64).wrapping_shl(40) ^ conn.total_changes())
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
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: FileKind = FileKind { application_id: 0x0A0B_0C0D, name: "test file", synchronous: "NORMAL" };
    const V1: &[Migration] =
        &[Migration { version: 1, sql: "CREATE TABLE a (x); INSERT INTO a VALUES (1);" }];
    const V2: &[Migration] = &[
        Migration { version: 1, sql: "CREATE TABLE a (x); INSERT INTO a VALUES (1);" },
        Migration { version: 2, sql: "ALTER TABLE a ADD COLUMN y DEFAULT 7;" },
    ];

    #[test]
    fn forward_migrations() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("f.sqlite");
        assert!(matches!(open(&p, KIND, V1, false), Err(StoreError::NotFound(_))));
        let c = open(&p, KIND, V1, true).unwrap();
        assert_eq!(user_version(&c).unwrap(), 1);
        drop(c);
        // An older file is upgraded in place, keeping its data.
        let c = open(&p, KIND, V2, false).unwrap();
        assert_eq!(user_version(&c).unwrap(), 2);
        let (x, y): (i64, i64) =
            c.query_row("SELECT x, y FROM a", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((x, y), (1, 7));
        let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        drop(c);
        // Reopening at the same version changes nothing; an older build refuses a newer file.
        assert!(open(&p, KIND, V2, false).is_ok());
        let e = open(&p, KIND, V1, false).err().unwrap();
        assert!(matches!(e, StoreError::Corrupt(_)) && e.to_string().contains("upgrade oxmapi"), "{e}");
        // A file of another kind is refused.
        let other = FileKind { application_id: 1, ..KIND };
        assert!(matches!(open(&p, other, V2, false), Err(StoreError::Corrupt(_))));
        assert!(integrity_ok(&open(&p, KIND, V2, false).unwrap()).unwrap());
    }

    #[test]
    fn owner_only_files() {
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("secret.sqlite");
        create_owner_only(&p).unwrap();
        create_owner_only(&p).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
