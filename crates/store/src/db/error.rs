//! Errors of the database layer, classified the same way for both backends so the store maps
//! them to one MAPI code (`crate::error`).

/// What kind of failure a database error is, whichever backend raised it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorKind {
    /// A UNIQUE, PRIMARY KEY, FOREIGN KEY, NOT NULL or CHECK constraint refused the write
    /// (SQLite SQLITE_CONSTRAINT; PostgreSQL SQLSTATE class 23).
    Constraint,
    /// Another writer held a lock too long, or the transaction lost a serialization or deadlock
    /// race and may be retried (SQLite SQLITE_BUSY/SQLITE_LOCKED; PostgreSQL 40001, 40P01,
    /// 55P03, 57014 statement timeout).
    Busy,
    /// The disk is full (SQLite SQLITE_FULL; PostgreSQL 53100).
    DiskFull,
    /// The database is damaged or not ours (SQLite SQLITE_CORRUPT/SQLITE_NOTADB; PostgreSQL
    /// class XX).
    Corrupt,
    /// The database cannot be opened or written: permissions, a read-only file, a refused or
    /// lost connection (SQLite SQLITE_CANTOPEN/IOERR/READONLY/PERM; PostgreSQL classes 08 and
    /// 28, 53300 too many connections, 57P01-57P03 shutdown, and I/O errors of the socket).
    Unavailable,
    /// A query that must return a row returned none.
    NoRows,
    /// A column's value does not convert to the Rust type asked for.
    Conversion,
    /// Anything else (SQL errors, which are bugs).
    Other,
}

/// A database error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed: `code` is the SQLSTATE when the server sent one (none for a broken
    /// connection), `kind` its classification, `message` what the server or driver said.
    #[error("PostgreSQL: {message}")]
    Postgres {
        /// SQLSTATE, e.g. "23505".
        code: Option<String>,
        /// Classification of the SQLSTATE or of the driver error.
        kind: ErrorKind,
        /// The server's or driver's message.
        message: String,
    },
    /// `query_row` found no row.
    #[error("query returned no rows")]
    NoRows,
    /// Column `column` holds a `found` value that does not convert to `wanted`.
    #[error("column {column} holds {found}, which is not a valid {wanted}")]
    Conversion {
        /// Column index.
        column: usize,
        /// Rust type asked for.
        wanted: &'static str,
        /// Storage class found.
        found: &'static str,
    },
}

/// Result of a database call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The classification of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Sqlite(e) => sqlite_kind(e),
            Error::Postgres { kind, .. } => *kind,
            Error::NoRows => ErrorKind::NoRows,
            Error::Conversion { .. } => ErrorKind::Conversion,
        }
    }

    /// Whether this is a constraint violation (a duplicate key, a missing parent row …).
    pub fn is_constraint(&self) -> bool {
        self.kind() == ErrorKind::Constraint
    }
}

fn sqlite_kind(e: &rusqlite::Error) -> ErrorKind {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::QueryReturnedNoRows => ErrorKind::NoRows,
        rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::IntegralValueOutOfRange(..) => {
            ErrorKind::Conversion
        }
        rusqlite::Error::InvalidColumnType(..) => ErrorKind::Conversion,
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            C::ConstraintViolation => ErrorKind::Constraint,
            C::DatabaseBusy | C::DatabaseLocked => ErrorKind::Busy,
            C::DiskFull => ErrorKind::DiskFull,
            C::DatabaseCorrupt | C::NotADatabase => ErrorKind::Corrupt,
            C::CannotOpen | C::SystemIoFailure | C::ReadOnly | C::PermissionDenied => ErrorKind::Unavailable,
            _ => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

/// The classification of a PostgreSQL SQLSTATE (PostgreSQL documentation, Appendix A).
pub fn postgres_kind(sqlstate: &str) -> ErrorKind {
    match sqlstate {
        "40001" | "40P01" | "55P03" | "57014" => ErrorKind::Busy,
        "53100" => ErrorKind::DiskFull,
        "53300" | "57P01" | "57P02" | "57P03" => ErrorKind::Unavailable,
        s if s.starts_with("23") => ErrorKind::Constraint,
        s if s.starts_with("08") || s.starts_with("28") => ErrorKind::Unavailable,
        s if s.starts_with("XX") => ErrorKind::Corrupt,
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_classify_alike() {
        let busy = Error::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None));
        assert_eq!(busy.kind(), ErrorKind::Busy);
        assert_eq!(postgres_kind("40P01"), ErrorKind::Busy);
        let dup = Error::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(19), None));
        assert!(dup.is_constraint());
        assert_eq!(postgres_kind("23505"), ErrorKind::Constraint);
        assert_eq!(postgres_kind("08006"), ErrorKind::Unavailable);
        assert_eq!(postgres_kind("42601"), ErrorKind::Other);
        assert_eq!(Error::NoRows.kind(), ErrorKind::NoRows);
    }
}
