//! The notifications waiting for one session context (MS-OXCNOTIF 3.2.5.5.3): queued by the
//! hub when a transaction commits, returned as RopNotify at the end of the next Execute
//! (RopPending when they do not all fit), and waking a waiting NotificationWait.
//!
//! The queue is bounded. When [`CAPACITY`] notifications wait, a new one is not queued;
//! instead its subscription's *resync* notification is kept, at most one per notification
//! handle (TableModified/TableChanged for a table, ObjectModified of the subscribed folder with
//! its properties unlisted for an Advise sink). A client that falls that far behind is told to
//! reread, never fed unbounded memory, and no subscription goes silent.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use oxmapi_core::codec::Writer;
use oxmapi_wire::rop::oxcnotif::NotifyResponse;
use oxmapi_wire::rop::response::RopResponse;

/// The most notifications a session context holds before coalescing.
pub const CAPACITY: usize = 4096;

#[derive(Default)]
struct Inner {
    items: VecDeque<NotifyResponse>,
    resync: BTreeMap<u32, NotifyResponse>,
}

/// A session context's notification queue.
#[derive(Default)]
pub struct Queue {
    inner: Mutex<Inner>,
    /// Woken when something is queued (NotificationWait).
    pub wake: tokio::sync::Notify,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `n`; when the queue is full, keeps `resync` for its handle instead.
    pub fn push(&self, n: NotifyResponse, resync: impl FnOnce() -> NotifyResponse) {
        {
            let mut q = self.lock();
            if q.resync.contains_key(&n.notification_handle) {
                // Already coalesced: the resync covers this one too.
            } else if q.items.len() < CAPACITY {
                q.items.push_back(n);
            } else {
                let r = resync();
                q.resync.insert(r.notification_handle, r);
            }
        }
        self.wake.notify_one();
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        let q = self.lock();
        q.items.is_empty() && q.resync.is_empty()
    }

    /// Number of waiting notifications (resyncs included).
    pub fn len(&self) -> usize {
        let q = self.lock();
        q.items.len() + q.resync.len()
    }

    /// Encoded RopNotify responses taken from the front while they fit in `room` bytes, in
    /// queue order (resyncs last); the rest stays queued.
    pub fn take_fitting(&self, room: usize) -> Vec<u8> {
        let mut q = self.lock();
        let mut out = Writer::new();
        loop {
            let next = match q.items.front() {
                Some(n) => n.clone(),
                None => match q.resync.values().next() {
                    Some(n) => n.clone(),
                    None => break,
                },
            };
            let mut w = Writer::new();
            RopResponse::Notify(next.clone()).encode(&mut w);
            if out.len() + w.len() > room {
                break;
            }
            out.bytes(&w.into_vec());
            if q.items.pop_front().is_none() {
                q.resync.remove(&next.notification_handle);
            }
        }
        out.into_vec()
    }

    /// NotificationWait: true as soon as something is queued (at once when something already
    /// is), false after `max` with nothing queued. A wake-up whose notifications an Execute
    /// already took does not end the wait.
    pub async fn wait(&self, max: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + max;
        loop {
            if !self.is_empty() {
                return true;
            }
            if tokio::time::timeout_at(deadline, self.wake.notified()).await.is_err() {
                return !self.is_empty();
            }
        }
    }

    /// Drops the notifications of a released handle.
    pub fn forget(&self, handle: u32) {
        let mut q = self.lock();
        q.items.retain(|n| n.notification_handle != handle);
        q.resync.remove(&handle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_wire::rop::oxcnotif::{NotificationData, kind};

    fn n(handle: u32, k: u16) -> NotifyResponse {
        NotifyResponse {
            notification_handle: handle,
            logon_id: 0,
            data: NotificationData { flags: k, table_event_type: Some(1), ..Default::default() },
        }
    }

    #[test]
    fn bounded_with_one_resync_per_handle() {
        let q = Queue::default();
        for _ in 0..CAPACITY + 500 {
            q.push(n(7, kind::TABLE_MODIFIED), || n(7, kind::TABLE_MODIFIED));
        }
        q.push(n(9, kind::TABLE_MODIFIED), || n(9, kind::TABLE_MODIFIED));
        assert_eq!(q.len(), CAPACITY + 2, "full queue plus one resync per handle");
        let mut total = 0;
        loop {
            let b = q.take_fitting(32 * 1024);
            if b.is_empty() {
                break;
            }
            total += b.len();
        }
        assert!(q.is_empty());
        assert!(total > 0);
    }

    #[test]
    fn takes_only_what_fits_and_keeps_order() {
        let q = Queue::default();
        for h in 1..=3 {
            q.push(n(h, kind::TABLE_MODIFIED), || unreachable!());
        }
        let one = {
            let mut w = Writer::new();
            RopResponse::Notify(n(1, kind::TABLE_MODIFIED)).encode(&mut w);
            w.len()
        };
        assert_eq!(q.take_fitting(one * 2 + 1).len(), one * 2);
        assert_eq!(q.len(), 1);
        q.forget(3);
        assert!(q.is_empty());
    }
}
