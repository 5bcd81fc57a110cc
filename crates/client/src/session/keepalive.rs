//! PING keep-alive (MS-OXCMAPIHTTP 3.1.5.x, 2.2.6): a session context idles out on the server
//! after `X-ExpirationInfo` ms, so a held session PINGs its store context and, once bound, its
//! address book context at half that interval (at most every five minutes) while nothing else
//! uses them.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::{AbState, SessionInner};

/// Longest gap between PINGs.
const MAX_INTERVAL: Duration = Duration::from_secs(300);
/// Granularity of the watcher (how soon it notices the session is gone).
const TICK: Duration = Duration::from_millis(500);

/// Half the shortest idle timeout the server announced for the session's contexts; `None`
/// while a context is busy (the previous interval stays).
fn interval(inner: &SessionInner) -> Option<Duration> {
    let store = inner.link.try_lock().ok()?.as_ref().and_then(|l| l.client.http.expiration_ms());
    let ab = match &*inner.ab.try_lock().ok()? {
        AbState::Bound(l) => l.expiration_ms(),
        _ => None,
    };
    let ms = [store, ab].into_iter().flatten().min().unwrap_or(MAX_INTERVAL.as_millis() as u64);
    Some(Duration::from_millis(ms / 2).clamp(Duration::from_secs(1), MAX_INTERVAL))
}

/// Starts the keep-alive thread; it ends when the session is dropped or logged off.
pub(super) fn spawn(inner: &Arc<SessionInner>) {
    let weak: Weak<SessionInner> = Arc::downgrade(inner);
    let mut every = interval(inner).unwrap_or(MAX_INTERVAL);
    let _ = std::thread::Builder::new().name("oxmapi-keepalive".into()).spawn(move || {
        let mut last = Instant::now();
        loop {
            std::thread::sleep(TICK);
            let Some(inner) = weak.upgrade() else { return };
            every = interval(&inner).unwrap_or(every);
            if last.elapsed() < every {
                continue;
            }
            last = Instant::now();
            // Skip a context whose request is running: that refreshes the timer itself.
            if let Ok(mut ab) = inner.ab.try_lock() {
                match &mut *ab {
                    AbState::Bound(l) => {
                        if let Err(e) = l.ping() {
                            tracing::debug!(error = %e, "address book keep-alive PING failed");
                        }
                    }
                    AbState::LoggedOff => return,
                    AbState::NotStarted => {}
                }
            }
            let Ok(mut link) = inner.link.try_lock() else { continue };
            if let Some(l) = link.as_mut()
                && let Err(e) = crate::transport::block_on(l.client.ping())
            {
                tracing::debug!(error = %e, "keep-alive PING failed");
            }
        }
    });
}
