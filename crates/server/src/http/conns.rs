//! The table of open HTTP connections: the connection caps, eviction of unauthenticated
//! connections, the unauthenticated idle timeout and the requests in progress on each
//! connection.
//!
//! Policy (against slow-loris: connections that hold a descriptor and memory without ever
//! authenticating): a connection is *unauthenticated* until one of its requests passes
//! authentication. Unauthenticated connections have their own cap, below the total one; at
//! either cap the **oldest** unauthenticated connection (preferably one with no request in
//! progress) is closed to admit the newcomer, rather than refusing it. Thus an attacker without
//! credentials can hold at most the unauthenticated cap, and a client that is about to log on is
//! only ever closed after that many newer connections arrived during its few-millisecond
//! handshake. Only when every slot is held by an authenticated connection is a newcomer
//! refused (HTTP 503, `Retry-After`).

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use tokio::sync::Notify;

use super::respond::Body;
use crate::metrics::{CloseReason, ConnectionMetrics};

/// One open connection.
pub struct Conn {
    id: u64,
    epoch: Instant,
    authenticated: AtomicBool,
    /// Requests whose response has not been sent (or dropped) yet.
    in_flight: AtomicUsize,
    /// When the connection last became idle (opened, or a response ended), in ms since `epoch`.
    idle_since_ms: AtomicU64,
    /// Set once the connection no longer counts against the caps.
    released: AtomicBool,
    close: Notify,
}

impl Conn {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// True once a request on this connection passed authentication.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated.load(Ordering::Acquire)
    }

    /// Marks a request as started; the connection is busy until the returned guard (kept by
    /// the response body, see [`track`]) is dropped.
    pub fn begin_request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(self.clone())
    }

    /// Resolves when the table closed this connection to admit another.
    pub async fn evicted(&self) {
        self.close.notified().await
    }

    /// Resolves when the connection has been unauthenticated and without a request in progress
    /// for `limit` (since it opened or since its last response ended). Never resolves once the
    /// connection authenticated.
    pub async fn unauthenticated_idle(&self, limit: Duration) {
        loop {
            if self.is_authenticated() {
                return std::future::pending().await;
            }
            let wait = if self.in_flight.load(Ordering::Acquire) > 0 {
                limit
            } else {
                let idle = Duration::from_millis(
                    self.now_ms().saturating_sub(self.idle_since_ms.load(Ordering::Acquire)),
                );
                if idle >= limit {
                    return;
                }
                limit - idle
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// A request in progress; dropping it marks the end of the response.
pub struct InFlight(Arc<Conn>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.idle_since_ms.store(self.0.now_ms(), Ordering::Release);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request in progress until it is sent or dropped (streamed
/// responses such as NotificationWait outlive the handler).
struct Tracked {
    inner: Body,
    _request: InFlight,
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// `body`, keeping `request` in progress until it has been sent or dropped.
pub fn track(body: Body, request: InFlight) -> Body {
    Tracked { inner: body, _request: request }.boxed()
}

/// The outcome of [`ConnectionTable::admit`].
pub enum Admission {
    /// Admitted: the slot counts against the caps until dropped.
    Admitted(Slot),
    /// Every slot is held by an authenticated connection: refuse (HTTP 503).
    Full,
}

/// An admitted connection's place in the table; dropping it releases the place.
pub struct Slot {
    table: Arc<ConnectionTable>,
    conn: Arc<Conn>,
}

impl Slot {
    /// The connection.
    pub fn conn(&self) -> &Arc<Conn> {
        &self.conn
    }

    /// Records that a request on this connection passed authentication: it no longer counts
    /// against the unauthenticated cap and is never evicted.
    pub fn authenticated(&self) {
        if self.conn.authenticated.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut inner = self.table.lock();
        if inner.unauthenticated.remove(&self.conn.id).is_some() {
            self.table.metrics.unauthenticated.dec();
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.table.release(&self.conn);
    }
}

struct Inner {
    open: usize,
    /// Unauthenticated connections by id, so oldest first.
    unauthenticated: BTreeMap<u64, Arc<Conn>>,
}

/// The open connections and their caps.
pub struct ConnectionTable {
    max_open: usize,
    max_unauthenticated: usize,
    epoch: Instant,
    next_id: AtomicU64,
    metrics: ConnectionMetrics,
    inner: Mutex<Inner>,
}

impl ConnectionTable {
    /// A table admitting at most `max_open` connections, of which at most
    /// `max_unauthenticated` unauthenticated ones (both at least 1).
    pub fn new(max_open: usize, max_unauthenticated: usize, metrics: ConnectionMetrics) -> Arc<Self> {
        let max_open = max_open.max(1);
        Arc::new(ConnectionTable {
            max_open,
            max_unauthenticated: max_unauthenticated.clamp(1, max_open),
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            metrics,
            inner: Mutex::new(Inner { open: 0, unauthenticated: BTreeMap::new() }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The total cap.
    pub fn max_open(&self) -> usize {
        self.max_open
    }

    /// The unauthenticated cap.
    pub fn max_unauthenticated(&self) -> usize {
        self.max_unauthenticated
    }

    /// Open connections (admitted, not yet released or evicted).
    pub fn open(&self) -> usize {
        self.lock().open
    }

    /// Admits a new (unauthenticated) connection, evicting the oldest unauthenticated one when
    /// a cap is reached.
    pub fn admit(self: &Arc<Self>) -> Admission {
        let mut inner = self.lock();
        while inner.unauthenticated.len() >= self.max_unauthenticated || inner.open >= self.max_open {
            if !self.evict_oldest(&mut inner) {
                self.metrics.closed(CloseReason::Refused);
                return Admission::Full;
            }
        }
        let now = self.epoch.elapsed().as_millis() as u64;
        let conn = Arc::new(Conn {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            epoch: self.epoch,
            authenticated: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            idle_since_ms: AtomicU64::new(now),
            released: AtomicBool::new(false),
            close: Notify::new(),
        });
        inner.open += 1;
        inner.unauthenticated.insert(conn.id, conn.clone());
        self.metrics.open.inc();
        self.metrics.unauthenticated.inc();
        Admission::Admitted(Slot { table: self.clone(), conn })
    }

    /// Closes the oldest unauthenticated connection (to free a descriptor when accept fails
    /// for want of one); false when there is none.
    pub fn evict_one(&self) -> bool {
        let mut inner = self.lock();
        self.evict_oldest(&mut inner)
    }

    /// Closes the oldest unauthenticated connection without a request in progress, else the
    /// oldest unauthenticated one; it stops counting against the caps at once.
    fn evict_oldest(&self, inner: &mut Inner) -> bool {
        let victim = inner
            .unauthenticated
            .values()
            .find(|c| c.in_flight.load(Ordering::Acquire) == 0)
            .or_else(|| inner.unauthenticated.values().next())
            .map(|c| c.id);
        let Some(conn) = victim.and_then(|id| inner.unauthenticated.remove(&id)) else {
            return false;
        };
        self.metrics.unauthenticated.dec();
        if !conn.released.swap(true, Ordering::AcqRel) {
            inner.open -= 1;
            self.metrics.open.dec();
        }
        conn.close.notify_one();
        self.metrics.closed(CloseReason::Evicted);
        true
    }

    fn release(&self, conn: &Conn) {
        let mut inner = self.lock();
        if inner.unauthenticated.remove(&conn.id).is_some() {
            self.metrics.unauthenticated.dec();
        }
        if !conn.released.swap(true, Ordering::AcqRel) {
            inner.open -= 1;
            self.metrics.open.dec();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admitted(a: Admission) -> Slot {
        match a {
            Admission::Admitted(s) => s,
            Admission::Full => panic!("refused"),
        }
    }

    #[test]
    fn the_oldest_unauthenticated_connection_makes_room_for_a_newcomer() {
        let t = ConnectionTable::new(4, 2, ConnectionMetrics::default());
        let a = admitted(t.admit());
        let b = admitted(t.admit());
        let c = admitted(t.admit()); // unauthenticated cap: `a` goes
        assert!(a.conn().released.load(Ordering::Acquire));
        assert!(!b.conn().released.load(Ordering::Acquire));
        c.authenticated();
        let d = admitted(t.admit());
        d.authenticated();
        let e = admitted(t.admit()); // total cap 4 (b, c, d, e): fine after `a` left
        assert_eq!(t.open(), 4);
        // Full of authenticated connections but for `b`/`e`: the oldest unauthenticated goes.
        let _f = admitted(t.admit());
        assert!(b.conn().released.load(Ordering::Acquire));
        e.authenticated();
        // Now c, d, e, f: only f unauthenticated; the next evicts f.
        let g = admitted(t.admit());
        g.authenticated();
        assert!(matches!(t.admit(), Admission::Full));
        drop(c);
        assert_eq!(t.open(), 3);
        let _h = admitted(t.admit());
        drop((a, b));
        assert_eq!(t.open(), 4);
    }

    #[test]
    fn a_connection_with_a_request_in_progress_is_evicted_last() {
        let t = ConnectionTable::new(10, 2, ConnectionMetrics::default());
        let a = admitted(t.admit());
        let busy = a.conn().begin_request();
        let b = admitted(t.admit());
        let _c = admitted(t.admit());
        assert!(!a.conn().released.load(Ordering::Acquire));
        assert!(b.conn().released.load(Ordering::Acquire));
        drop(busy);
    }
}
