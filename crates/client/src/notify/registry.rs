//! The session's subscriptions: which server handle (per context generation and logon) feeds
//! which sink, and the dispatcher thread that runs callback sinks outside every session lock.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, Weak, mpsc};
use std::time::Duration;

use oxmapi_core::consts::fnev;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::rop::oxcnotif::NotifyResponse;
use tokio::sync::mpsc as tokio_mpsc;

use super::{AdviseTarget, Notification};
use crate::store::StoreLink;

/// An Advise connection number (what IMsgStore::Advise returns and Unadvise takes).
pub type Connection = u32;

/// Notifications that arrived for a handle not (yet) registered are kept this long in number
/// — a RegisterNotification response and the first RopNotify for it can race on two threads.
const MAX_ORPHANS: usize = 256;

/// A callback sink.
pub(crate) type Callback = Arc<dyn Fn(&Notification) + Send + Sync>;

/// Where a subscription's notifications go.
#[derive(Clone)]
pub(crate) enum Sink {
    /// A callback, run on the dispatcher thread.
    Callback(Callback),
    /// A [`NotificationStream`].
    Stream(tokio_mpsc::UnboundedSender<Notification>),
}

/// What a subscription is on.
#[derive(Clone)]
pub(crate) enum Kind {
    /// RopRegisterNotification on a store's logon; registered again after a reconnect.
    Advise { store: Weak<StoreLink>, target: AdviseTarget },
    /// An open table (subscribed by the server); gone with its context.
    Table { columns: Arc<Mutex<Vec<PropTag>>> },
}

struct Reg {
    mask: u32,
    sink: Sink,
    logon_id: u8,
    /// (context generation, server handle) while registered.
    wire: Option<(u64, u32)>,
    kind: Kind,
}

#[derive(Default)]
struct Registry {
    next: Connection,
    regs: HashMap<Connection, Reg>,
    /// (generation, logon id, handle) → connection.
    by_handle: HashMap<(u64, u8, u32), Connection>,
    orphans: VecDeque<(u64, NotifyResponse)>,
}

/// The notification state of one session.
#[derive(Default)]
pub(crate) struct Notifier {
    registry: Mutex<Registry>,
    /// Server handles of subscriptions whose sink went away while the session's link was
    /// busy; released by the NotificationWait thread, never under the link's lock.
    releases: Mutex<Vec<(Weak<StoreLink>, u64, u32)>>,
    dispatch: Mutex<Option<mpsc::Sender<(Callback, Notification)>>>,
    /// Wakes the NotificationWait thread (a reconnect happened, or the session ends).
    pub(crate) kick: tokio::sync::Notify,
    pub(crate) waiter_started: std::sync::atomic::AtomicBool,
}

/// A subscription as an async stream (or a blocking one, through
/// [`NotificationStream::recv_timeout`]). Dropping it ends the subscription.
pub struct NotificationStream {
    pub(crate) rx: tokio_mpsc::UnboundedReceiver<Notification>,
    /// The connection number.
    pub connection: Connection,
}

impl NotificationStream {
    /// The next notification (async).
    pub async fn next(&mut self) -> Option<Notification> {
        self.rx.recv().await
    }

    /// The next notification, waiting at most `timeout` (blocking; not inside a runtime).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Notification> {
        crate::transport::block_on(async {
            tokio::time::timeout(timeout, self.rx.recv()).await.ok().flatten()
        })
    }

    /// True when the subscription ended (unadvised, its store released, or it could not be
    /// registered again after a reconnect) and nothing is left to read.
    pub fn is_closed(&self) -> bool {
        self.rx.is_closed() && self.rx.is_empty()
    }

    /// A notification already queued, without waiting.
    pub fn try_recv(&mut self) -> Option<Notification> {
        self.rx.try_recv().ok()
    }
}

/// A subscription that must be (re)registered on the server.
pub(crate) struct Pending {
    pub connection: Connection,
    pub store: Arc<StoreLink>,
    pub target: AdviseTarget,
    pub mask: u32,
    /// It was registered on an older context (events may have been missed).
    pub again: bool,
}

impl Notifier {
    /// Adds a subscription not yet registered on the server; returns its connection.
    pub(crate) fn add(&self, logon_id: u8, mask: u32, sink: Sink, kind: Kind) -> Connection {
        let mut r = self.lock();
        r.next += 1;
        let c = r.next;
        r.regs.insert(c, Reg { mask, sink, logon_id, wire: None, kind });
        c
    }

    /// Records the server handle of a subscription and hands it what arrived for the handle
    /// before (a RegisterNotification response and the first RopNotify for the new handle can
    /// come in one Execute response).
    pub(crate) fn bind(&self, c: Connection, generation: u64, handle: u32) {
        let mut r = self.lock();
        let Some(reg) = r.regs.get_mut(&c) else { return };
        let key = (generation, reg.logon_id, handle);
        let old = reg.wire.replace((generation, handle)).map(|(g, h)| (g, reg.logon_id, h));
        if let Some(old) = old {
            r.by_handle.remove(&old);
        }
        r.by_handle.insert(key, c);
        let (early, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut r.orphans)
            .into_iter()
            .partition(|(g, n)| (*g, n.logon_id, n.notification_handle) == key);
        r.orphans = rest.into();
        drop(r);
        for (g, n) in early {
            self.deliver(g, &n);
        }
    }

    /// Removes a subscription; returns its server handle (to release) and its store.
    pub(crate) fn remove(&self, c: Connection) -> Option<(Option<(u64, u32)>, Kind)> {
        let mut r = self.lock();
        let reg = r.regs.remove(&c)?;
        if let Some((g, h)) = reg.wire {
            r.by_handle.remove(&(g, reg.logon_id, h));
        }
        Some((reg.wire, reg.kind))
    }

    /// Removes every subscription of a logon (its store was released).
    pub(crate) fn remove_logon(&self, logon_id: u8) {
        let mut r = self.lock();
        r.regs.retain(|_, reg| reg.logon_id != logon_id);
        r.by_handle.retain(|(_, l, _), _| *l != logon_id);
    }

    /// Routes one RopNotify of context `generation` to its subscription's sink.
    pub(crate) fn deliver(&self, generation: u64, n: &NotifyResponse) {
        let mut r = self.lock();
        let Some(&c) = r.by_handle.get(&(generation, n.logon_id, n.notification_handle)) else {
            // The server subscribes every open table; events of tables nobody advised are
            // dropped (an Advise on a table starts with the table as it is then).
            if n.data.kind() == oxmapi_wire::rop::oxcnotif::kind::TABLE_MODIFIED {
                return;
            }
            if r.orphans.len() == MAX_ORPHANS {
                r.orphans.pop_front();
            }
            r.orphans.push_back((generation, n.clone()));
            return;
        };
        let Some(reg) = r.regs.get(&c) else { return };
        let columns = match &reg.kind {
            Kind::Table { columns } => Some(columns.lock().unwrap_or_else(|e| e.into_inner()).clone()),
            Kind::Advise { .. } => None,
        };
        let Some(note) = Notification::from_wire(&n.data, columns.as_deref()) else { return };
        if reg.mask & note.event_type() == 0 {
            return;
        }
        let sink = reg.sink.clone();
        drop(r);
        self.send(c, sink, note);
    }

    fn send(&self, c: Connection, sink: Sink, note: Notification) {
        match sink {
            Sink::Stream(tx) => {
                if tx.send(note).is_err() {
                    // The stream was dropped: the subscription ends.
                    self.drop_subscription(c);
                }
            }
            Sink::Callback(f) => {
                let mut d = self.dispatch.lock().unwrap_or_else(|e| e.into_inner());
                let tx = d.get_or_insert_with(spawn_dispatcher);
                if let Err(mpsc::SendError(job)) = tx.send((f, note)) {
                    // The dispatcher died (a sink panicked): start another one.
                    let tx = d.insert(spawn_dispatcher());
                    let _ = tx.send(job);
                }
            }
        }
    }

    /// Ends a subscription whose sink is gone. This runs while the session's link is locked
    /// (inside an Execute), so the server handle is only queued for release here.
    fn drop_subscription(&self, c: Connection) {
        if let Some((Some((g, h)), Kind::Advise { store, .. })) = self.remove(c) {
            self.releases.lock().unwrap_or_else(|e| e.into_inner()).push((store, g, h));
            self.kick.notify_one();
        }
    }

    /// Queues the handles of ended subscriptions for release with their store's next call
    /// (called outside the link's lock).
    pub(crate) fn release_dropped(&self) {
        let dropped = std::mem::take(&mut *self.releases.lock().unwrap_or_else(|e| e.into_inner()));
        for (store, g, h) in dropped {
            if let Some(store) = store.upgrade() {
                store.release_later(g, h);
            }
        }
    }

    /// Subscriptions registered on an older context than `generation` (a new one is registered
    /// by its Advise call, not here). Table subscriptions of an older context are dropped
    /// (their tables are gone); their sinks get fnevCriticalError.
    pub(crate) fn stale(&self, generation: u64) -> Vec<Pending> {
        let mut r = self.lock();
        r.orphans.retain(|(g, _)| *g == generation);
        let mut out = Vec::new();
        let mut dead_tables = Vec::new();
        for (&c, reg) in &r.regs {
            if reg.wire.is_none_or(|(g, _)| g == generation) {
                continue;
            }
            match &reg.kind {
                Kind::Advise { store, target } => match store.upgrade() {
                    Some(store) => out.push(Pending {
                        connection: c,
                        store,
                        target: *target,
                        mask: reg.mask,
                        again: true,
                    }),
                    None => dead_tables.push(c),
                },
                Kind::Table { .. } => dead_tables.push(c),
            }
        }
        let mut lost = Vec::new();
        for c in dead_tables {
            let Some(reg) = r.regs.remove(&c) else { continue };
            if let Some((g, h)) = reg.wire {
                r.by_handle.remove(&(g, reg.logon_id, h));
            }
            if matches!(reg.kind, Kind::Table { .. }) {
                lost.push((c, reg));
            }
        }
        drop(r);
        for (c, reg) in lost {
            self.critical(
                c,
                &reg.sink,
                reg.mask,
                "the table's session context was lost; open the table again",
            );
        }
        out
    }

    /// Ends a subscription because the server refused it (its registration, or the session
    /// context it needs): its sink gets a last CriticalError carrying `error` — whatever its
    /// mask, since nothing follows — and a stream then closes. Returns false when `c` was gone.
    pub(crate) fn end(&self, c: Connection, error: &oxmapi_core::MapiError) -> bool {
        let Some(reg) = self.lock().regs.remove(&c) else { return false };
        if let Some((g, h)) = reg.wire {
            self.lock().by_handle.remove(&(g, reg.logon_id, h));
        }
        let note = Notification::CriticalError { code: error.code, reason: error.message.clone() };
        self.send(c, reg.sink, note);
        true
    }

    /// Ends every subscription with `error` (the session context cannot be re-established:
    /// the account was disabled, the password changed, …); see [`Notifier::end`].
    pub(crate) fn end_all(&self, error: &oxmapi_core::MapiError) {
        let all: Vec<Connection> = self.lock().regs.keys().copied().collect();
        for c in all {
            self.end(c, error);
        }
    }

    /// Tells a subscription (if it asked for fnevCriticalError) that events may be missing.
    pub(crate) fn critical_for(&self, c: Connection, reason: &str) {
        let found = self.lock().regs.get(&c).map(|r| (r.sink.clone(), r.mask));
        if let Some((sink, mask)) = found {
            self.critical(c, &sink, mask, reason);
        }
    }

    fn critical(&self, c: Connection, sink: &Sink, mask: u32, reason: &str) {
        if mask & fnev::CRITICAL_ERROR != 0 {
            let note = Notification::CriticalError {
                code: codes::MAPI_E_END_OF_SESSION,
                reason: reason.to_string(),
            };
            self.send(c, sink.clone(), note);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The thread that runs callback sinks, in arrival order.
fn spawn_dispatcher() -> mpsc::Sender<(Callback, Notification)> {
    let (tx, rx) = mpsc::channel::<(Callback, Notification)>();
    let _ = std::thread::Builder::new().name("oxmapi-notify".into()).spawn(move || {
        for (f, note) in rx {
            // A panicking sink must not take the other subscriptions' notifications with it.
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&note))).is_err() {
                tracing::error!("a notification sink panicked; it keeps its subscription");
            }
        }
    });
    tx
}
