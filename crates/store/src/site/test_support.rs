//! Sites for tests, on the backend the environment selects (design §4): with
//! `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` (a server, no database name) every
//! [`test_site`] is a fresh database on that server; without it, a data directory of files.
//! The store's, the server's and the client's suites call it wherever they need a site, so
//! each suite runs unchanged on either backend.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Site;
use crate::db::pg::PgPool;

/// The environment variable that selects PostgreSQL for the tests.
pub const TEST_DATABASE_ENV: &str = "OXMAPI_TEST_DATABASE";

/// Databases made by this process so far (their names must differ).
static MADE: AtomicU64 = AtomicU64::new(0);

/// The PostgreSQL server the tests run on, if `OXMAPI_TEST_DATABASE` names one.
pub fn test_database_server() -> Option<String> {
    std::env::var(TEST_DATABASE_ENV)
        .ok()
        .map(|s| s.trim().trim_end_matches('/').to_owned())
        .filter(|s| !s.is_empty())
}

/// A new, empty site for a test: a fresh database `oxt_<pid>_<n>` on the server
/// `OXMAPI_TEST_DATABASE` names, or else the data directory `dir`. Panics (it is for tests)
/// with the reason when the site cannot be made.
#[doc(hidden)]
pub fn test_site(dir: &Path) -> Site {
    let Some(server) = test_database_server() else {
        return Site::open(dir)
            .unwrap_or_else(|e| panic!("cannot open the data directory {}: {e}", dir.display()));
    };
    let name = format!("oxt_{}_{}", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed));
    create_database(&server, &name);
    Site::connect(&database_url(&server, &name))
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: cannot open the test database {name}: {e}"))
}

/// Creates the empty database `name` on `server` (through its `postgres` database), with the C
/// collation: text keys sort by bytes, as SQLite sorts them (the table engine relies on it);
/// the case-insensitive columns have their own ICU collation.
fn create_database(server: &str, name: &str) {
    let admin =
        PgPool::connect(&database_url(server, "postgres")).and_then(|p| p.get()).unwrap_or_else(|e| {
            panic!("{TEST_DATABASE_ENV}: cannot connect to {}: {e}", super::config::redact(server))
        });
    admin
        .batch(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: cannot create database {name}: {e}"));
}

/// `server` (a URL without a database) with the database `name`, before any query string.
fn database_url(server: &str, name: &str) -> String {
    match server.split_once('?') {
        Some((base, query)) => format!("{}/{name}?{query}", base.trim_end_matches('/')),
        None => format!("{server}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_go_before_the_query() {
        assert_eq!(database_url("postgres://u@h:5", "x"), "postgres://u@h:5/x");
        assert_eq!(
            database_url("postgres://u@h:5/?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
    }
}
