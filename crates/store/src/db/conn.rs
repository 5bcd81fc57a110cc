//! A connection of either backend, with rusqlite's call shapes.

use super::params::Params;
use super::pg::PgConn;
use super::row::Row;
use super::statement::{SqliteStatement, Statement};
use super::tx::{Tx, TxKind};
use super::{Error, Result, sqlite};

/// Which database engine a connection talks to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    /// An embedded SQLite file (one per mailbox, plus the directory).
    Sqlite,
    /// A PostgreSQL database shared by every mailbox of a site.
    Postgres,
}

/// A connection the store runs statements on.
pub enum Conn {
    /// An SQLite file.
    Sqlite(rusqlite::Connection),
    /// A pooled PostgreSQL connection (scoped to one mailbox by `PgConn::set_mailbox`); boxed,
    /// as it is several times the size of an SQLite connection.
    Postgres(Box<PgConn>),
}

impl From<rusqlite::Connection> for Conn {
    fn from(c: rusqlite::Connection) -> Conn {
        Conn::Sqlite(c)
    }
}

impl Conn {
    /// The engine behind this connection.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite connection, for the SQLite-only helpers (PRAGMAs, migrations of files).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }

    /// The PostgreSQL connection.
    pub fn postgres(&self) -> Option<&PgConn> {
        match self {
            Conn::Sqlite(_) => None,
            Conn::Postgres(c) => Some(c.as_ref()),
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, p: P) -> Result<usize> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare(sql)?;
                sqlite::bind(&mut st, &p)?;
                Ok(st.raw_execute()?)
            }
            Conn::Postgres(_) => self.prepare(sql)?.execute(p),
        }
    }

    /// Runs statements without parameters (DDL, `BEGIN`/`COMMIT`).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(c) => c.batch(sql),
        }
    }

    /// The first row of a query through `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<P, T, F>(&self, sql: &str, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare(sql)?;
                sqlite::bind(&mut st, &p)?;
                let mut rows = st.raw_query();
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(Error::NoRows),
                }
            }
            Conn::Postgres(_) => self.prepare(sql)?.query_row(p, f),
        }
    }

    /// A statement for repeated use.
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Statement::Sqlite(SqliteStatement::Plain(c.prepare(sql)?))),
            Conn::Postgres(c) => Ok(Statement::Postgres { conn: c, sql: sql.to_owned() }),
        }
    }

    /// A statement from the connection's cache (SQLite: rusqlite's statement cache, so a hot
    /// query is compiled once; PostgreSQL: the connection's prepared-statement cache).
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(c) => Ok(Statement::Sqlite(SqliteStatement::Cached(c.prepare_cached(sql)?))),
            Conn::Postgres(c) => Ok(Statement::Postgres { conn: c, sql: sql.to_owned() }),
        }
    }

    /// Begins a transaction; it rolls back unless committed.
    pub fn transaction(&self, kind: TxKind) -> Result<Tx<'_>> {
        Tx::begin(self, kind)
    }
}
