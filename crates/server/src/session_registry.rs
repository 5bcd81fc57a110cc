//! The server's side of the session registry in `directory.sqlite`
//! ([`oxmapi_store::directory::sessions`]): every live context has a row, so that
//! `oxmapi admin sessions ls|kill` works from another process.
//!
//! The registry has its own directory connection, so that recording a context never waits on
//! the shared one. Writes: one at Connect/Bind, one when the context ends, and activity in
//! batches from the reaper at most every [`crate::session::ACTIVITY_RECORD_INTERVAL`] per
//! context — never a write per request. A failing write is logged and ignored: the registry
//! is for administration, it never decides whether a request is served.

use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oxmapi_store::{Directory, SessionRecord};

use crate::session::{ContextKind, Session};

/// The registry connection (none in unit tests that build a bare session table).
#[derive(Default)]
pub struct Registry {
    dir: Mutex<Option<Directory>>,
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl Registry {
    fn with<T>(&self, what: &str, f: impl FnOnce(&Directory) -> oxmapi_store::StoreResult<T>) {
        crate::blocking::check("session registry write");
        let guard = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = guard.as_ref()
            && let Err(e) = f(d)
        {
            tracing::warn!(error = %e, what, "session registry write failed");
        }
    }

    /// Attaches the connection and removes the rows a previous run of node `node` left; the
    /// rows of the site's other nodes stay ([`crate::session::registry_row_of`]: a context id
    /// names its node).
    pub fn attach(&self, dir: Directory, node: u16) {
        crate::blocking::check("session registry attach");
        let stale = dir.sessions().map(|rows| {
            rows.into_iter()
                .map(|r| r.id)
                .filter(|id| crate::session::registry_row_of(id, node))
                .collect::<Vec<_>>()
        });
        if let Err(e) = stale.and_then(|ids| if ids.is_empty() { Ok(()) } else { dir.sessions_remove(&ids) })
        {
            tracing::warn!(error = %e, "clearing the session registry failed");
        }
        *self.dir.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir);
    }

    /// Records a new context.
    pub fn insert(&self, s: &Session) {
        let now = unix_now();
        let v = s.info.client_version;
        let rec = SessionRecord {
            id: s.id.clone(),
            user: s.info.user.name.clone(),
            endpoint: match s.info.kind {
                ContextKind::Emsmdb => "emsmdb",
                ContextKind::Nspi => "nspi",
            }
            .to_string(),
            client_application: s.info.client_application.clone(),
            client_version: format!("{}.{}.{}.{}", v[0], v[1], v[2], v[3]),
            address: s.info.address.clone(),
            created: now,
            last_activity: now,
            killed: false,
        };
        self.with("insert", |d| d.session_insert(&rec));
    }

    /// Removes ended contexts.
    pub fn remove(&self, ids: &[String]) {
        if !ids.is_empty() {
            self.with("remove", |d| d.sessions_remove(ids));
        }
    }

    /// Records the last activity of contexts (monotonic instants, written as Unix seconds).
    pub fn touch(&self, touched: &[(String, Instant)]) {
        if touched.is_empty() {
            return;
        }
        let (now, unix) = (Instant::now(), unix_now());
        let rows: Vec<(String, i64)> = touched
            .iter()
            .map(|(id, t)| (id.clone(), unix - now.duration_since(*t).as_secs() as i64))
            .collect();
        self.with("touch", |d| d.sessions_touch(&rows));
    }

    /// True when an administrator killed context `id` (false when unknown or unreadable).
    pub fn killed(&self, id: &str) -> bool {
        crate::blocking::check("session registry read");
        let guard = self.dir.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().and_then(|d| d.session_killed(id).ok()).unwrap_or(false)
    }
}
