//! Prepared statements and their result rows.

use std::vec;

use super::params::{self, Params};
use super::pg::PgConn;
use super::row::Row;
use super::value::Value;
use super::{Error, Result, sqlite};

/// An SQLite statement, from the connection's cache or not.
pub enum SqliteStatement<'c> {
    /// Returned to rusqlite's cache when dropped.
    Cached(rusqlite::CachedStatement<'c>),
    /// Finalized when dropped.
    Plain(rusqlite::Statement<'c>),
}

/// A prepared statement.
pub enum Statement<'c> {
    /// An SQLite statement.
    Sqlite(SqliteStatement<'c>),
    /// A PostgreSQL statement: its text, prepared (and cached) by the connection on first use.
    Postgres {
        /// The connection.
        conn: &'c PgConn,
        /// The store's SQL text.
        sql: String,
    },
}

impl<'c> SqliteStatement<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            SqliteStatement::Cached(s) => s,
            SqliteStatement::Plain(s) => s,
        }
    }
}

/// Runs `sql` with `p` on PostgreSQL: the parameters as owned values, then borrowed.
fn pg_call<T>(p: &impl Params, call: impl FnOnce(&[super::ValueRef<'_>]) -> Result<T>) -> Result<T> {
    let values = params::collect(p)?;
    let refs: Vec<_> = values.iter().map(|v| v.as_ref()).collect();
    call(&refs)
}

impl<'c> Statement<'c> {
    /// Runs the statement; the number of rows it changed.
    pub fn execute<P: Params>(&mut self, p: P) -> Result<usize> {
        match self {
            Statement::Sqlite(s) => {
                let st = s.get();
                sqlite::bind(st, &p)?;
                Ok(st.raw_execute()?)
            }
            Statement::Postgres { conn, sql } => pg_call(&p, |v| Ok(conn.execute(sql, v)? as usize)),
        }
    }

    /// The result rows, read with `rows.next()?`.
    pub fn query<P: Params>(&mut self, p: P) -> Result<Rows<'_>> {
        match self {
            Statement::Sqlite(s) => {
                let st = s.get();
                sqlite::bind(st, &p)?;
                Ok(Rows::Sqlite(st.raw_query()))
            }
            Statement::Postgres { conn, sql } => {
                let rows = pg_call(&p, |v| conn.query(sql, v))?;
                Ok(Rows::Postgres { rows: rows.into_iter(), current: None })
            }
        }
    }

    /// Each result row through `f`.
    pub fn query_map<P, T, F>(&mut self, p: P, f: F) -> Result<MappedRows<'_, F>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows { rows: self.query(p)?, f })
    }

    /// The first row through `f`; [`Error::NoRows`] when there is none.
    pub fn query_row<P, T, F>(&mut self, p: P, f: F) -> Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> Result<T>,
    {
        let mut rows = self.query(p)?;
        match rows.next()? {
            Some(r) => f(&r),
            None => Err(Error::NoRows),
        }
    }

    /// Whether the query returns at least one row.
    pub fn exists<P: Params>(&mut self, p: P) -> Result<bool> {
        Ok(self.query(p)?.next()?.is_some())
    }

    /// SQLite virtual machine steps this statement ran since the last call (0 on PostgreSQL,
    /// which has no such counter): what the table engine's tests and metrics count.
    pub fn take_vm_steps(&self) -> u64 {
        match self {
            Statement::Sqlite(SqliteStatement::Cached(s)) => vm_steps(s),
            Statement::Sqlite(SqliteStatement::Plain(s)) => vm_steps(s),
            Statement::Postgres { .. } => 0,
        }
    }
}

fn vm_steps(s: &rusqlite::Statement<'_>) -> u64 {
    s.reset_status(rusqlite::StatementStatus::VmStep).max(0) as u64
}

/// The rows of a query.
pub enum Rows<'s> {
    /// Stepped from SQLite one at a time.
    Sqlite(rusqlite::Rows<'s>),
    /// Fetched from PostgreSQL at once.
    Postgres {
        /// Rows not yet read.
        rows: vec::IntoIter<Vec<Value>>,
        /// The row `next` returned last.
        current: Option<Vec<Value>>,
    },
}

impl Rows<'_> {
    /// The next row, `None` after the last.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            Rows::Postgres { rows, current } => {
                *current = rows.next();
                Ok(current.as_deref().map(Row::Postgres))
            }
        }
    }
}

/// The rows of a query mapped through a function ([`Statement::query_map`]).
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(r)) => Some((self.f)(&r)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}
