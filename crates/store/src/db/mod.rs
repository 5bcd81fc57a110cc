//! The database layer under the directory and the message stores: one API over two backends,
//! embedded SQLite (one file per mailbox, the default) and PostgreSQL (shared tables keyed by
//! mailbox, for sites with several `oxmapi serve` nodes). The store's SQL is written once; see
//! the design notes in `/work/i16-design.md` until they move into DESIGN.md.
//!
//! The API is shaped like rusqlite's so the store reads the same on both backends:
//! [`Conn`] (`execute`, `query_row`, `prepare_cached` …), [`Statement`], [`Row`], [`Params`]
//! and [`Tx`]. SQL text conventions that let one text run on both:
//! * parameters `?1`, `?2` (or bare `?`, numbered in order on PostgreSQL);
//! * `ON CONFLICT DO NOTHING` rather than `INSERT OR IGNORE`, upserts rather than
//!   `INSERT OR REPLACE`, `RETURNING` rather than `last_insert_rowid()`;
//! * booleans are integer columns compared explicitly (`read = 0`);
//! * an upsert's conflict target on a mailbox table names the mailbox column in a comment,
//!   `ON CONFLICT (/*mbx,*/ fid, propid)`: SQLite ignores it, PostgreSQL's translation keeps it;
//! * a parameter in a select list is cast (`SELECT CAST(?1 AS BIGINT) UNION …`: PostgreSQL
//!   would type it as text), a subquery in FROM has an alias, conditions are `TRUE`/`FALSE`
//!   rather than `1`/`0`, `IS DISTINCT FROM` rather than `IS NOT ?`, no hexadecimal literals,
//!   and the reserved word `user` is quoted (`"user"`).
//!
//! Where the backends must differ (`INDEXED BY`, `json_each`, `instr`, PRAGMAs) the caller
//! branches on [`Conn::backend`].

pub mod conn;
mod dialect;
pub mod error;
pub mod handle;
pub mod params;
pub mod pg;
pub mod row;
mod sqlite;
pub mod statement;
pub mod tx;
pub mod value;

pub use conn::{Backend, Conn};
pub use error::{Error, ErrorKind, Result, postgres_kind};
pub use handle::{ConnGuard, Handle, PgDatabase};
pub use params::{Params, ParamsFromIter, params_from_iter};
pub use row::{ColumnIndex, Row};
pub use statement::{MappedRows, Rows, Statement};
pub use tx::{Tx, TxKind};
pub use value::{FromSql, ToSql, Value, ValueRef};

/// `Err(NoRows)` as `Ok(None)`, like rusqlite's `OptionalExtension`.
pub trait OptionalExt<T> {
    /// `Ok(Some(v))` for a value, `Ok(None)` when the query found no row, other errors as they
    /// are.
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExt<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Statement parameters of mixed types: `params![a, b]` is `[&a as &dyn ToSql, &b]`.
#[macro_export]
macro_rules! params {
    () => {
        $crate::db::params::NO_PARAMS
    };
    ($($p:expr),+ $(,)?) => {
        [$(&$p as &dyn $crate::db::ToSql),+]
    };
}
pub use crate::params;

#[cfg(test)]
mod tests;
