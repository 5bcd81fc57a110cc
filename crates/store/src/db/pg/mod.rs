//! The PostgreSQL backend of the database layer (issue 16): a site's directory and all its
//! mailboxes in one database, for sites with several `oxmapi serve` nodes.
//!
//! * [`PgPool`] — connections to the database (`pool.rs`): `connect`, `migrate`, `get`.
//! * [`PgConn`] — one checked-out connection (`conn.rs`): the selected mailbox, statements in
//!   the store's SQL dialect ([`translate`]) with values bound and read as SQLite storage
//!   classes (`types.rs`), and simple-query batches.
//! * The schema (`schema.rs`): schema `directory` ([`schema_directory`]), the shared mailbox
//!   tables of schema `store` and the per-mailbox views of schema `mailbox`
//!   ([`schema_mailbox`]). Every connection's `search_path` is `mailbox, directory`, so the
//!   store's unqualified table names reach the current mailbox's rows and the directory.
//!
//! # Rules for callers (the facade and the store's SQL)
//!
//! * One statement per [`PgConn::execute`] / [`PgConn::query`] (extended protocol, prepared and
//!   cached per connection). Several statements in one text, and anything else that cannot be
//!   prepared (none of the store's statements), go through [`PgConn::batch`], which takes no
//!   parameters. Transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`, savepoints) may go
//!   through either; `batch` saves a parse.
//! * PostgreSQL gives each parameter ONE type, inferred from where it appears: `?1` used for an
//!   integer column and a text column in the same statement is refused (42P08); a parameter
//!   whose type cannot be inferred (`?1 IS NULL` alone) is refused (42P18); a parameter in a
//!   bare select list (`SELECT ?1`) is text, so an INTEGER comes back as TEXT: write
//!   `CAST(?1 AS INTEGER)`, which both backends accept.
//! * `sessions.user` is a reserved word: write `"user"`.
//! * Upserts on mailbox tables name the mailbox column in a comment, `ON CONFLICT (/*mbx,*/
//!   fid, propid)`; without it PostgreSQL finds no matching unique key (42P10).
//! * SQLite's `json_each(?)` lists: `= ANY(?1)` with the same JSON text (`[1,2,3]`) bound, which
//!   binds as `int8[]`.
//! * `sum()` of integers is numeric in PostgreSQL and comes back as INTEGER; `avg()` as REAL.
//! * A checkout has no mailbox selected; [`PgConn::set_mailbox`] selects one (it costs a round
//!   trip only when it changes). Returning a connection inside a transaction rolls it back.
//! * Errors: `db::Error::Postgres { code, kind, .. }`; a value that does not fit its parameter
//!   or column is `ErrorKind::Conversion`, a lock waited on longer than
//!   [`PoolOptions::lock_timeout`] and a pool exhausted for [`PoolOptions::checkout_timeout`]
//!   are `ErrorKind::Busy`, a refused or lost connection `ErrorKind::Unavailable`.
//!
//! The driver is the synchronous `postgres` crate, which runs each call on a runtime of its
//! own: it must not be called from a thread of a tokio runtime (the server calls the store from
//! `spawn_blocking` threads). Connections are plain TCP or Unix sockets (no TLS yet: keep the
//! database on a trusted network or a local socket).

mod conn;
mod pool;
mod schema;
pub mod schema_directory;
pub mod schema_mailbox;
#[doc(hidden)]
pub mod testing;
mod tls;
mod translate;
mod types;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tls_tests;

pub use conn::{PgConn, STATEMENT_CACHE_CAPACITY};
pub use pool::{
    APPLICATION_NAME, CONNECT_TIMEOUT, IDLE_CHECK_AFTER, IDLE_CHECK_TIMEOUT, LOCK_TIMEOUT,
    POOL_CHECKOUT_TIMEOUT, POOL_MAX_SIZE, PgPool, PoolOptions, SEARCH_PATH, TRANSLATION_CACHE_CAPACITY,
};
pub use schema::{IDENTITY_COLUMNS, MIGRATION_LOCK, latest_version};
pub use translate::{statement_keywords, translate};

use crate::db::error::postgres_kind;
use crate::db::{Error, ErrorKind};

/// The environment variable that holds the database password when the URL has none.
pub const PASSWORD_ENV: &str = "OXMAPI_DATABASE_PASSWORD";

/// A driver error as a database error: the server's SQLSTATE classified; without one, a
/// failure of the driver itself (a value it could not encode: `ErrorKind::Other`) or of the
/// connection (refused, lost, timed out: `ErrorKind::Unavailable`).
pub(crate) fn pg_error(e: &postgres::Error) -> Error {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let mut message = db.message().to_string();
            if let Some(detail) = db.detail() {
                message.push_str(" (");
                message.push_str(detail);
                message.push(')');
            }
            Error::Postgres { code: Some(code.to_string()), kind: postgres_kind(code), message }
        }
        None => {
            let kind = if is_local(e) { ErrorKind::Other } else { ErrorKind::Unavailable };
            let message = match std::error::Error::source(e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            };
            Error::Postgres { code: None, kind, message }
        }
    }
}

/// Whether a driver error without SQLSTATE happened on our side, with the connection intact
/// (the driver's error kinds are private; their messages are not).
pub(crate) fn is_local(e: &postgres::Error) -> bool {
    const LOCAL: &[&str] = &[
        "error serializing parameter",
        "error deserializing column",
        "invalid column",
        "query returned an unexpected number",
        "expected ",
        "invalid connection string",
        "invalid configuration",
    ];
    let text = e.to_string();
    e.as_db_error().is_none() && LOCAL.iter().any(|p| text.starts_with(p))
}

/// `url` with its password replaced by `***`, for messages and logs: the password of a
/// `postgres://user:password@host/db` URL, and a `password=` parameter of the URL's query or of
/// libpq's `key=value` form.
pub fn redacted(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end =
            out[authority_start..].find(['/', '?']).map_or(out.len(), |i| authority_start + i);
        if let Some(at) = out[authority_start..authority_end].rfind('@') {
            let userinfo = &out[authority_start..authority_start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(authority_start + colon + 1..authority_start + at, "***");
            }
        }
    }
    // `password=…` up to the next separator of either form.
    let mut searched = 0;
    while let Some(i) = out[searched..].to_ascii_lowercase().find("password=") {
        let start = searched + i + "password=".len();
        let before = out[..searched + i].chars().last();
        if matches!(before, None | Some('?' | '&' | ' ' | '\t')) {
            let end = out[start..].find(['&', ' ', '\t']).map_or(out.len(), |j| start + j);
            out.replace_range(start..end, "***");
        }
        searched = start;
    }
    out
}
