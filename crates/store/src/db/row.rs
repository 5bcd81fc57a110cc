//! One result row: a borrowed SQLite row, or a row of owned values fetched from PostgreSQL.

use super::value::{FromSql, Value, ValueRef};
use super::{Error, Result};

/// A row of a query result.
#[derive(Clone, Copy)]
pub enum Row<'r> {
    /// The current row of an SQLite statement.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A row fetched from PostgreSQL.
    Postgres(&'r [Value]),
}

/// What can name a column: its 0-based index.
pub trait ColumnIndex: Copy {
    /// The 0-based index.
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

impl<'r> Row<'r> {
    /// Column `i` converted to `T`; a value that does not fit is [`Error::Conversion`].
    pub fn get<I: ColumnIndex, T: FromSql>(&self, i: I) -> Result<T> {
        let i = i.index();
        let v = self.get_ref(i)?;
        T::from_sql(v).ok_or(Error::Conversion {
            column: i,
            wanted: std::any::type_name::<T>(),
            found: v.class_name(),
        })
    }

    /// Column `i` as it is stored (borrowed from the row).
    pub fn get_ref(&self, i: usize) -> Result<ValueRef<'r>> {
        match self {
            Row::Sqlite(r) => super::sqlite::value_ref(r.get_ref(i)?, i),
            Row::Postgres(values) => match values.get(i) {
                Some(v) => Ok(v.as_ref()),
                None => Err(Error::Conversion { column: i, wanted: "a column", found: "no such column" }),
            },
        }
    }
}
