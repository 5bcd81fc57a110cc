//! PLACEHOLDER for the PostgreSQL backend (written in parallel; replaced at merge by the real
//! module with exactly this API, design §2). Every call fails as "unavailable".

use crate::db::{Error, ErrorKind, Result, Value, ValueRef};

fn unavailable<T>() -> Result<T> {
    Err(Error::Postgres {
        code: None,
        kind: ErrorKind::Unavailable,
        message: "PostgreSQL support is not built yet".into(),
    })
}

/// A pool of connections to one PostgreSQL database.
#[derive(Clone)]
pub struct PgPool {
    _private: (),
}

impl PgPool {
    /// Connects to `url`.
    pub fn connect(url: &str) -> Result<PgPool> {
        let _ = url;
        unavailable()
    }

    /// Creates or upgrades the schema.
    pub fn migrate(&self) -> Result<()> {
        unavailable()
    }

    /// A pooled connection.
    pub fn get(&self) -> Result<PgConn> {
        unavailable()
    }
}

/// A pooled PostgreSQL connection.
pub struct PgConn {
    _private: (),
}

impl PgConn {
    /// Scopes the connection's mailbox views to `mbx` (`None`: no mailbox).
    pub fn set_mailbox(&self, mbx: Option<i64>) -> Result<()> {
        let _ = mbx;
        unavailable()
    }

    /// Runs one statement.
    pub fn execute(&self, sql: &str, params: &[ValueRef<'_>]) -> Result<u64> {
        let _ = (sql, params);
        unavailable()
    }

    /// Runs a query; its rows.
    pub fn query(&self, sql: &str, params: &[ValueRef<'_>]) -> Result<Vec<Vec<Value>>> {
        let _ = (sql, params);
        unavailable()
    }

    /// Runs statements without parameters.
    pub fn batch(&self, sql: &str) -> Result<()> {
        let _ = sql;
        unavailable()
    }
}

/// The store's SQL text in PostgreSQL's dialect.
pub fn translate(sql: &str) -> String {
    sql.to_owned()
}
