//! Transactions: `BEGIN` … `COMMIT`, rolled back when dropped uncommitted.

use std::ops::Deref;

use super::Result;
use super::conn::{Backend, Conn};

/// What a transaction will do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TxKind {
    /// Reads only: SQLite `BEGIN` (deferred), PostgreSQL `BEGIN ISOLATION LEVEL REPEATABLE
    /// READ, READ ONLY` (one snapshot for all its reads).
    Read,
    /// Writes: SQLite `BEGIN IMMEDIATE` (takes the file's write lock at once, so concurrent
    /// writers queue on the busy timeout instead of failing on a lock upgrade); PostgreSQL
    /// `BEGIN` (READ COMMITTED; the store serialises the writers of one mailbox itself, by
    /// locking its `store.mailboxes` row first).
    Write,
}

/// An open transaction on a connection; derefs to the connection. Dropping it without
/// [`Tx::commit`] rolls it back.
pub struct Tx<'c> {
    conn: &'c Conn,
    done: bool,
}

impl<'c> Tx<'c> {
    pub(super) fn begin(conn: &'c Conn, kind: TxKind) -> Result<Tx<'c>> {
        let sql = match (conn.backend(), kind) {
            (Backend::Sqlite, TxKind::Read) => "BEGIN DEFERRED",
            (Backend::Sqlite, TxKind::Write) => "BEGIN IMMEDIATE",
            (Backend::Postgres, TxKind::Read) => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            (Backend::Postgres, TxKind::Write) => "BEGIN",
        };
        conn.execute_batch(sql)?;
        Ok(Tx { conn, done: false })
    }

    /// Commits the transaction.
    pub fn commit(mut self) -> Result<()> {
        // On failure (SQLite: a busy COMMIT) the transaction is still open: dropping `self`
        // rolls it back, as rusqlite's `Transaction` does.
        self.conn.execute_batch("COMMIT")?;
        self.done = true;
        Ok(())
    }

    /// Rolls the transaction back (what dropping it does, with the error reported).
    pub fn rollback(mut self) -> Result<()> {
        self.done = true;
        self.conn.execute_batch("ROLLBACK")
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to report to: the error that made the caller drop the transaction is the
            // one that matters. A failed ROLLBACK leaves SQLite to roll back on the next BEGIN
            // and PostgreSQL's pool to discard a connection still in a transaction.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
