//! PING keep-alive (MS-OXCMAPIHTTP 3.1.5.x, 2.2.6): a session context idles out on the server
//! after `X-ExpirationInfo` ms, so a held session PINGs at half that interval (at most every
//! five minutes) while nothing else uses the link.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use super::SessionInner;

/// Longest gap between PINGs.
const MAX_INTERVAL: Duration = Duration::from_secs(300);
/// Granularity of the watcher (how soon it notices the session is gone).
const TICK: Duration = Duration::from_millis(500);

fn interval(inner: &SessionInner) -> Duration {
    let link = inner.link.lock().unwrap_or_else(|e| e.into_inner());
    let ms =
        link.as_ref().and_then(|l| l.client.http.expiration_ms()).unwrap_or(MAX_INTERVAL.as_millis() as u64);
    Duration::from_millis(ms / 2).clamp(Duration::from_secs(1), MAX_INTERVAL)
}

/// Starts the keep-alive thread; it ends when the session is dropped or logged off.
pub(super) fn spawn(inner: &Arc<SessionInner>) {
    let weak: Weak<SessionInner> = Arc::downgrade(inner);
    let every = interval(inner);
    let _ = std::thread::Builder::new().name("oxmapi-keepalive".into()).spawn(move || {
        let mut last = Instant::now();
        loop {
            std::thread::sleep(TICK);
            let Some(inner) = weak.upgrade() else { return };
            if last.elapsed() < every {
                continue;
            }
            last = Instant::now();
            // Skip when a request is running: it refreshes the timer itself.
            let Ok(mut link) = inner.link.try_lock() else { continue };
            let Some(l) = link.as_mut() else { return };
            if let Err(e) = crate::transport::block_on(l.client.ping()) {
                tracing::debug!(error = %e, "keep-alive PING failed");
            }
        }
    });
}
