//! Sites for tests, on the backend the environment selects (design §4): with
//! `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` (a server, no database name) every
//! [`test_site`] is a fresh database on that server; without it, a data directory of files.
//! The store's, the server's and the client's suites call it wherever they need a site, so
//! each suite runs unchanged on either backend.

use std::path::Path;

use super::Site;
use crate::db::pg::redacted;
pub use crate::db::pg::testing::TEST_DATABASE_ENV;
use crate::db::pg::testing::TestDatabase;

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
    let db = TestDatabase::create(&server).unwrap_or_else(|e| {
        panic!("{TEST_DATABASE_ENV}: cannot create a database on {}: {e}", redacted(&server))
    });
    let (url, name) = (db.url(), db.name().to_owned());
    // The database is dropped when the site and everything opened from it are gone.
    Site::connect_keeping(&url, Some(std::sync::Arc::new(db)))
        .unwrap_or_else(|e| panic!("{TEST_DATABASE_ENV}: cannot open the test database {name}: {e}"))
}
