//! The SQLite side of the facade: value conversions and parameter binding over rusqlite,
//! without copies (borrowed values are bound as such; rusqlite makes SQLite copy them).

use rusqlite::types::{ToSqlOutput, ValueRef as SqliteRef};

use super::params::Params;
use super::value::ValueRef;
use super::{Error, Result};

/// A column value as the facade sees it (TEXT that is not UTF-8 is a conversion error).
pub(super) fn value_ref(v: SqliteRef<'_>, column: usize) -> Result<ValueRef<'_>> {
    Ok(match v {
        SqliteRef::Null => ValueRef::Null,
        SqliteRef::Integer(i) => ValueRef::Integer(i),
        SqliteRef::Real(f) => ValueRef::Real(f),
        SqliteRef::Text(t) => ValueRef::Text(std::str::from_utf8(t).map_err(|_| Error::Conversion {
            column,
            wanted: "UTF-8 text",
            found: "TEXT",
        })?),
        SqliteRef::Blob(b) => ValueRef::Blob(b),
    })
}

/// A facade value as a rusqlite parameter.
struct Bind<'a>(ValueRef<'a>);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => SqliteRef::Null,
            ValueRef::Integer(i) => SqliteRef::Integer(i),
            ValueRef::Real(f) => SqliteRef::Real(f),
            ValueRef::Text(t) => SqliteRef::Text(t.as_bytes()),
            ValueRef::Blob(b) => SqliteRef::Blob(b),
        }))
    }
}

/// Binds `p` to `stmt` in order; the count must match the statement's, as rusqlite checks.
pub(super) fn bind(stmt: &mut rusqlite::Statement<'_>, p: &impl Params) -> Result<()> {
    let expected = stmt.parameter_count();
    let mut n = 0;
    p.for_each_value(&mut |v| {
        n += 1;
        if n <= expected {
            stmt.raw_bind_parameter(n, Bind(v))?;
        }
        Ok(())
    })?;
    if n != expected {
        return Err(Error::Sqlite(rusqlite::Error::InvalidParameterCount(n, expected)));
    }
    Ok(())
}
