//! Throwaway databases for tests on PostgreSQL: `OXMAPI_TEST_DATABASE` names a server
//! (`postgres://USER@HOST:PORT`, no database name, e.g. the URL `scripts/pg-test-cluster.sh
//! start DIR` prints); [`TestDatabase::create`] makes a fresh database `oxt_<pid>_<n>` there and
//! drops it when the value is dropped.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::db::Result;

/// The environment variable naming the test server.
pub const TEST_DATABASE_ENV: &str = "OXMAPI_TEST_DATABASE";

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The test server's URL, or None (with the reason printed, for the test log) when unset.
pub fn test_server() -> Option<String> {
    match std::env::var(TEST_DATABASE_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().trim_end_matches('/').to_string()),
        _ => {
            println!("skipped: {TEST_DATABASE_ENV} not set");
            None
        }
    }
}

/// A database created for one test, dropped (with its connections) on drop.
pub struct TestDatabase {
    server: String,
    name: String,
}

impl TestDatabase {
    /// A fresh empty database on the server at `server` (a URL without a database name).
    /// Safe on any thread, a tokio runtime's too (the work is done on a thread of its own).
    pub fn create(server: &str) -> Result<TestDatabase> {
        let name = format!("oxt_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        off_runtime(|| -> Result<()> {
            let mut admin = admin_client(server)?;
            for sql in
                [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")]
            {
                admin.batch_execute(&sql).map_err(|e| super::pg_error(&e))?;
            }
            Ok(())
        })?;
        Ok(TestDatabase { server: server.to_string(), name })
    }

    /// The database's URL.
    pub fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

fn admin_client(server: &str) -> Result<postgres::Client> {
    postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls).map_err(|e| super::pg_error(&e))
}

/// Runs `f` on a thread of its own and waits for it: the driver panics on a thread that drives
/// a tokio runtime, and the tests create and drop their databases on such threads too.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        off_runtime(|| {
            if let Ok(mut admin) = admin_client(&self.server) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            }
        });
    }
}
