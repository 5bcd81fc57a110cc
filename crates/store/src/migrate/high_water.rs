//! The submission id high-water mark: ids of `submissions` are never reused (a recipient's
//! `deliveries` names a submission by `(sender mailbox, submission_id)`, so a reused id would
//! look delivered already). SQLite keeps the largest id ever given in `sqlite_sequence`
//! (AUTOINCREMENT), PostgreSQL in the site's identity sequence; the copy carries the mark over,
//! not only the largest id still present.

use crate::db::{Backend, Conn, OptionalExt};
use crate::error::StoreResult;

/// The largest submission id the side `conn` has ever given (0 if none).
fn read(conn: &Conn) -> StoreResult<i64> {
    match conn.backend() {
        Backend::Sqlite => Ok(conn
            .query_row("SELECT seq FROM sqlite_sequence WHERE name = 'submissions'", [], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0)),
        Backend::Postgres => {
            let seq = sequence(conn)?;
            Ok(conn.query_row(
                &format!("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {seq}"),
                [],
                |r| r.get::<_, i64>(0),
            )?)
        }
    }
}

fn sequence(conn: &Conn) -> StoreResult<String> {
    Ok(conn.query_row(
        "SELECT CAST(pg_get_serial_sequence('store.submissions', 'submission_id') AS TEXT)",
        [],
        |r| r.get::<_, String>(0),
    )?)
}

/// Moves the target's mark up to the source's (never down).
pub(crate) fn carry(src: &Conn, dst: &Conn) -> StoreResult<()> {
    let mark = read(src)?;
    if mark <= read(dst)? {
        return Ok(());
    }
    match dst.backend() {
        Backend::Sqlite => {
            dst.execute("DELETE FROM sqlite_sequence WHERE name = 'submissions'", [])?;
            dst.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('submissions', ?1)", [mark])?;
        }
        Backend::Postgres => {
            let seq = sequence(dst)?;
            let _: i64 =
                dst.query_row(&format!("SELECT setval('{}', ?1)", seq.replace('\'', "''")), [mark], |r| {
                    r.get(0)
                })?;
        }
    }
    Ok(())
}
