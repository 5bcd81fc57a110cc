//! Notifications across the nodes of a PostgreSQL site (issue 16, item 4): every write
//! transaction logs its events in the mailbox's durable change log and sends a wake-up
//! (`NOTIFY oxmapi_changes, '<mailbox number>'`) in the same transaction
//! (`oxmapi_store::mailbox::change_log`). One thread per node listens on a connection of its
//! own; on a wake-up it has the open stores of that mailbox catch up
//! ([`MessageStore::catch_up`]: the other nodes' rows past the store's cursor go to the store's
//! event sink, i.e. the [`Hub`](super::Hub), as if committed here), and every
//! [`CATCH_UP_INTERVAL`] all open stores catch up, which covers a wake-up that never came
//! (a dropped listener connection, a NOTIFY lost with it). A broken listener connection is
//! reopened with backoff ([`RECONNECT_MIN`] doubling up to [`RECONNECT_MAX`]); the timer keeps
//! catching up meanwhile. Every [`SWEEP_INTERVAL`] the node deletes rows older than
//! [`RETENTION`]; a store that had not read them reports a gap, which the hub turns into
//! "reread" notifications. Nothing of this runs on a site of SQLite files, whose writers are this
//! process's own stores.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use oxmapi_store::db::Backend;
use oxmapi_store::mailbox::change_log::{ChangeListener, RETENTION, SWEEP_INTERVAL};

use crate::state::ServerState;

/// How often every open store catches up even without a wake-up (the fallback for a lost
/// NOTIFY, and the longest a change from another node waits then).
pub const CATCH_UP_INTERVAL: Duration = Duration::from_secs(1);
/// The first wait before reopening a broken listener connection.
pub const RECONNECT_MIN: Duration = Duration::from_millis(100);
/// The longest wait between attempts to reopen the listener connection.
pub const RECONNECT_MAX: Duration = Duration::from_secs(10);

/// Starts the node's change-log follower on a PostgreSQL site (nothing on SQLite). The thread
/// ends when the server state is dropped.
pub fn start(state: &Arc<ServerState>) -> Result<(), String> {
    if state.data.backend() != Backend::Postgres {
        return Ok(());
    }
    let weak = Arc::downgrade(state);
    std::thread::Builder::new()
        .name("oxmapi-changes".into())
        .spawn(move || run(weak))
        .map(|_| ())
        .map_err(|e| format!("cannot start the change-log listener: {e}"))
}

/// Has the node's open stores catch up: those of the mailbox numbers `only`, or else those the
/// database says are behind (one query for all; every store when that query fails).
fn catch_up(state: &ServerState, only: Option<&[i64]>) {
    let stores = state.stores.open_stores();
    let behind;
    let only = match only {
        Some(o) => Some(o),
        None => {
            let cursors: Vec<(i64, i64)> = stores.iter().filter_map(|s| s.log_cursor()).collect();
            match state.data.mailboxes_behind(&cursors) {
                Ok(b) => {
                    behind = b;
                    Some(&behind[..])
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot ask which mailboxes have changes; reading every store's log");
                    None
                }
            }
        }
    };
    for store in stores {
        if let Some(mbxs) = only {
            if !store.mailbox_number().is_some_and(|m| mbxs.contains(&m)) {
                continue;
            }
        }
        if let Err(e) = store.catch_up() {
            tracing::warn!(mailbox = %store.mailbox_guid(), error = %e, "cannot read the change log");
        }
    }
}

fn run(weak: Weak<ServerState>) {
    let mut listener: Option<ChangeListener> = None;
    let mut backoff = RECONNECT_MIN;
    let mut next_attempt = Instant::now();
    let mut last_all = Instant::now();
    let mut last_sweep = Instant::now();
    loop {
        // Wait first (holding no reference to the state, so a stopped server ends the thread).
        let woken = match listener.as_mut() {
            Some(l) => match l.wait(CATCH_UP_INTERVAL.saturating_sub(last_all.elapsed())) {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = %e, "the change-log listener's connection broke; reopening it");
                    listener = None;
                    next_attempt = Instant::now() + backoff;
                    Vec::new()
                }
            },
            None => {
                std::thread::sleep(
                    CATCH_UP_INTERVAL.min(next_attempt.saturating_duration_since(Instant::now())),
                );
                Vec::new()
            }
        };
        let Some(state) = weak.upgrade() else { return };
        if listener.is_none() && Instant::now() >= next_attempt {
            match state.data.change_listener() {
                Ok(l) => {
                    listener = l;
                    backoff = RECONNECT_MIN;
                    // Wake-ups were missed while it was down: everything catches up below.
                    last_all = Instant::now() - CATCH_UP_INTERVAL;
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "cannot listen for the other nodes' changes");
                    next_attempt = Instant::now() + backoff;
                    backoff = (backoff * 2).min(RECONNECT_MAX);
                }
            }
        }
        if last_all.elapsed() >= CATCH_UP_INTERVAL {
            last_all = Instant::now();
            catch_up(&state, None);
        } else if !woken.is_empty() {
            catch_up(&state, Some(&woken));
        }
        if last_sweep.elapsed() >= SWEEP_INTERVAL {
            last_sweep = Instant::now();
            match state.data.sweep_change_log(RETENTION) {
                Ok(n) if n > 0 => tracing::debug!(rows = n, "change log swept"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "cannot sweep the change log"),
            }
        }
    }
}
