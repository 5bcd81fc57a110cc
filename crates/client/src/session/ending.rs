//! Ending sessions: the bounded Disconnect (MS-OXCMAPIHTTP 2.2.4.3) and NSPI Unbind
//! (2.2.5.2) that logoff, the drop of a session's last reference and [`end_all`] send, and the
//! process-wide list of live sessions [`end_all`] walks (MAPIUninitialize: a program that is
//! interrupted — Ctrl-C, SIGTERM — ends its contexts on the server instead of leaving them to
//! the server's idle timeout).

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use super::{AbState, SessionInner};
use crate::ab::AbLink;
use crate::session::msems::EmsmdbLink;

/// The longest a logoff waits for the server's answers to Disconnect and Unbind (each), so
/// that ending a program never hangs on an unreachable server; the context then expires on
/// the server's idle timeout instead.
pub const LOGOFF_TIMEOUT: Duration = Duration::from_secs(2);
/// How often [`end_all`] tries again for a context another thread is using.
const LOCK_POLL: Duration = Duration::from_millis(10);

/// The sessions of this process that may still hold contexts on a server.
static LIVE: Mutex<Vec<Weak<SessionInner>>> = Mutex::new(Vec::new());

/// Adds a new session to the process's live sessions.
pub(super) fn register(inner: &Arc<SessionInner>) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    live.retain(|w| w.strong_count() > 0);
    live.push(Arc::downgrade(inner));
}

/// Disconnects the store context and unbinds the address book context that `link` and `ab`
/// hold, each within [`LOGOFF_TIMEOUT`]. Errors are returned for the caller to report or drop.
pub(super) fn disconnect(
    ab: Option<Box<AbLink>>,
    link: Option<EmsmdbLink>,
) -> Result<(), oxmapi_core::MapiError> {
    if let Some(mut ab) = ab {
        ab.unbind(LOGOFF_TIMEOUT);
    }
    let Some(mut link) = link else { return Ok(()) };
    let url = link.client.http.endpoint().url.clone();
    crate::transport::block_on(async move {
        match tokio::time::timeout(LOGOFF_TIMEOUT, link.client.disconnect()).await {
            Ok(r) => r.map_err(|e| e.to_mapi()),
            Err(_) => Err(oxmapi_core::MapiError::new(
                oxmapi_core::error::codes::MAPI_E_TIMEOUT,
                format!(
                    "{url}: no answer to Disconnect within {} s; the server ends the context on its idle timeout",
                    LOGOFF_TIMEOUT.as_secs()
                ),
            )),
        }
    })
}

/// Ends every live session of this process (MAPIUninitialize): takes each session's contexts
/// — waiting up to [`LOGOFF_TIMEOUT`] for one another thread is using — and disconnects them.
/// Later calls on those sessions fail with MAPI_E_END_OF_SESSION. For a program that is about
/// to exit (the CLI calls it on exit and from its SIGINT/SIGTERM handler).
pub fn end_all() {
    let sessions: Vec<Arc<SessionInner>> = {
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.drain(..).filter_map(|w| w.upgrade()).collect()
    };
    for inner in sessions {
        let deadline = Instant::now() + LOGOFF_TIMEOUT;
        let ab = lock_by(&inner.ab, deadline).and_then(|mut g| {
            match std::mem::replace(&mut *g, AbState::LoggedOff) {
                AbState::Bound(l) => Some(l),
                _ => None,
            }
        });
        let link = lock_by(&inner.link, deadline).and_then(|mut g| g.take());
        inner.notifier.kick.notify_one();
        if let Err(e) = disconnect(ab, link) {
            tracing::debug!(error = %e, "ending the session at exit");
        }
    }
}

/// The lock of `m` when it can be had before `deadline`.
fn lock_by<T>(m: &Mutex<T>, deadline: Instant) -> Option<MutexGuard<'_, T>> {
    loop {
        match m.try_lock() {
            Ok(g) => return Some(g),
            Err(std::sync::TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(LOCK_POLL)
            }
            Err(_) => return None,
        }
    }
}
