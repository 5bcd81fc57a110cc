//! The notifications waiting for one session context (MS-OXCNOTIF 3.2.5.5.3): queued by the
//! hub when a transaction commits, returned as RopNotify at the end of the next Execute
//! (RopPending when they do not all fit), and waking a waiting NotificationWait.
//!
//! The queue is bounded. When [`CAPACITY`] notifications wait, a new one is not queued;
//! instead its subscription's *resync* notification is kept, at most one per notification
//! handle (TableModified/TableChanged for a table, ObjectModified of the subscribed folder with
//! its properties unlisted for an Advise sink). A client that falls that far behind is told to
//! reread, never fed unbounded memory, and no subscription goes silent.
//!
//! Open hierarchy and contents tables queue *raw* store events ([`Queue::push_table`]): the
//! hub runs under the store's lock, so rows are not read there. One entry per table marks
//! where its events arrived; before a ROP works on the table and before notifications are
//! taken, the table's [`TableResolver`] turns them into TableRowAdded / TableRowDeleted /
//! TableRowModified (or one TableChanged) in place. A table holds at most [`TABLE_EVENTS`]
//! raw events; beyond that, or when the queue is full, it is marked overflowed and resolves to
//! a single TableChanged.
//!
//! An Execute response carries at most [`MAX_PAYLOAD`] bytes of ROPs (MS-OXCRPC 3.1.4.2.1.1).
//! A notification that cannot fit even a response with no other ROP is never sent: when it
//! reaches the front of the queue it is replaced by its handle's resync (as if the queue had
//! overflowed), so it never blocks the notifications behind it.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use oxmapi_core::codec::Writer;
use oxmapi_store::mailbox::events::StoreEvent;
use oxmapi_wire::rop::oxcnotif::table_event;
use oxmapi_wire::rop::oxcnotif::{NotificationData, NotifyResponse};
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::MAX_PAYLOAD;

use super::data;

/// The most notifications a session context holds before coalescing.
pub const CAPACITY: usize = 4096;
/// The most raw events one table holds between two resolutions; more coalesce into one
/// TableChanged (a table that far behind is reread, not replayed).
pub const TABLE_EVENTS: usize = 256;

/// Bytes of RopPending (MS-OXCROPS 2.2.14.3) kept free after the notifications.
pub const PENDING_LEN: usize = 3;
/// The largest encoded RopNotify a table resolves to row by row: what an Execute response with
/// no other ROP holds ([`MAX_PAYLOAD`] less RopSize, RopPending and a handle table of up to 256
/// handles). A row notification over it becomes TableChanged (`notify::rows`).
pub const MAX_NOTIFY_LEN: usize = MAX_PAYLOAD - 2 - PENDING_LEN - 4 * 256;

/// The encoded size of `n` as a RopNotify response (MS-OXCROPS 2.2.14.2).
pub fn notify_len(n: &NotifyResponse) -> usize {
    let mut w = Writer::new();
    RopResponse::Notify(n.clone()).encode(&mut w);
    w.len()
}

/// The raw events of one table since its last resolution.
#[derive(Debug, Default)]
pub struct Batch {
    /// The events, in commit order.
    pub events: Vec<StoreEvent>,
    /// Events were dropped (too many, or the queue was full): only TableChanged is sound.
    pub overflowed: bool,
}

/// What turns a table's raw events into its notifications (`notify::table`): called with no
/// queue lock held; it calls `take` once it is ready to consume the events.
pub trait TableResolver: Send + Sync {
    /// The notifications of the events `take` hands out, `None` when the table cannot resolve
    /// now (its events stay queued).
    fn resolve(&self, take: &mut dyn FnMut() -> Batch) -> Option<Vec<NotificationData>>;
}

/// A queued notification and what replaces it when it can never be sent.
struct Note {
    note: NotifyResponse,
    resync: NotifyResponse,
}

/// A queue entry: a notification, or the place of a table's unresolved events.
enum Item {
    Note(Box<Note>),
    Table(u32),
}

impl Item {
    fn handle(&self) -> u32 {
        match self {
            Item::Note(n) => n.note.notification_handle,
            Item::Table(h) => *h,
        }
    }

    /// A table row notification with row data (TableRowAdded / TableRowModified) of `handle`.
    fn row_data_of(&self, handle: u32) -> bool {
        matches!(self, Item::Note(n) if n.note.notification_handle == handle
            && matches!(n.note.data.table_event_type,
                Some(table_event::TABLE_ROW_ADDED | table_event::TABLE_ROW_MODIFIED)))
    }
}

/// TableChanged of table `handle`.
fn table_changed(handle: u32, logon_id: u8) -> NotifyResponse {
    NotifyResponse { notification_handle: handle, logon_id, data: data::table_changed() }
}

/// A table's raw events and where they resolve.
struct TableSlot {
    resolver: Arc<dyn TableResolver>,
    logon_id: u8,
    batch: Batch,
    /// An [`Item::Table`] for this handle is in the queue.
    queued: bool,
}

#[derive(Default)]
struct Inner {
    items: VecDeque<Item>,
    resync: BTreeMap<u32, NotifyResponse>,
    tables: HashMap<u32, TableSlot>,
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

    /// Queues `n`; when the queue is full, keeps `resync` for its handle instead. `resync` also
    /// replaces `n` if `n` turns out too big for any Execute response.
    pub fn push(&self, n: NotifyResponse, resync: impl FnOnce() -> NotifyResponse) {
        {
            let mut q = self.lock();
            let r = resync();
            if q.resync.contains_key(&n.notification_handle) {
                // Already coalesced: the resync covers this one too.
            } else if q.items.len() < CAPACITY {
                q.items.push_back(Item::Note(Box::new(Note { note: n, resync: r })));
            } else {
                q.resync.insert(r.notification_handle, r);
            }
        }
        self.wake.notify_one();
    }

    /// Makes `handle` a table whose events [`Queue::push_table`] keeps raw until `resolver`
    /// turns them into notifications ([`Queue::resolve`], [`Queue::resolve_all`]).
    pub fn track(&self, handle: u32, logon_id: u8, resolver: Arc<dyn TableResolver>) {
        let slot = TableSlot { resolver, logon_id, batch: Batch::default(), queued: false };
        self.lock().tables.insert(handle, slot);
    }

    /// Queues a raw event of table `handle` (called by the hub under the store's lock: no
    /// work beyond a clone). Past [`TABLE_EVENTS`] events, or with the queue full, the table
    /// is marked overflowed (it resolves to one TableChanged). A handle not tracked gets
    /// TableChanged at once.
    pub fn push_table(&self, handle: u32, logon_id: u8, event: &StoreEvent) {
        {
            let mut q = self.lock();
            let Inner { items, resync, tables } = &mut *q;
            let Some(slot) = tables.get_mut(&handle) else {
                drop(q);
                let n = table_changed(handle, logon_id);
                return self.push(n.clone(), || n);
            };
            match resync.entry(handle) {
                Entry::Occupied(_) => slot.batch.overflowed = true,
                Entry::Vacant(v) if !slot.queued && items.len() >= CAPACITY => {
                    slot.batch.overflowed = true;
                    v.insert(NotifyResponse {
                        notification_handle: handle,
                        logon_id,
                        data: data::table_changed(),
                    });
                }
                Entry::Vacant(_) => {
                    if !slot.queued {
                        items.push_back(Item::Table(handle));
                        slot.queued = true;
                    }
                    if !slot.batch.overflowed && slot.batch.events.len() < TABLE_EVENTS {
                        slot.batch.events.push(event.clone());
                    } else {
                        slot.batch.overflowed = true;
                    }
                }
            }
            if slot.batch.overflowed {
                slot.batch.events = Vec::new();
            }
        }
        self.wake.notify_one();
    }

    /// Notes that notifications of `resync`'s handle were lost: a table is marked overflowed
    /// (it resolves to one TableChanged), any other handle gets `resync` queued last, covering
    /// what it would have been told ([`Hub::publish_gap`](super::Hub::publish_gap)).
    pub fn lost(&self, resync: NotifyResponse) {
        {
            let mut q = self.lock();
            let handle = resync.notification_handle;
            let Inner { items, resync: resyncs, tables } = &mut *q;
            match tables.get_mut(&handle) {
                Some(slot) if !resyncs.contains_key(&handle) => {
                    slot.batch = Batch { events: Vec::new(), overflowed: true };
                    if !slot.queued {
                        items.push_back(Item::Table(handle));
                        slot.queued = true;
                    }
                }
                Some(_) => {}
                None => {
                    resyncs.insert(handle, resync);
                }
            }
        }
        self.wake.notify_one();
    }

    /// Resolves the raw events of table `handle` (before a ROP works on the table, so that
    /// its notifications describe changes against the rows the client last saw). The resolver
    /// runs even with no events: the table then knows nothing changed for it.
    pub fn resolve(&self, handle: u32) {
        self.resolve_table(handle, true);
    }

    fn resolve_table(&self, handle: u32, always: bool) {
        let resolver = {
            let q = self.lock();
            match q.tables.get(&handle) {
                Some(s) if always || s.queued || s.batch.overflowed => s.resolver.clone(),
                _ => return,
            }
        };
        let mut take = || {
            let mut q = self.lock();
            q.tables.get_mut(&handle).map(|s| std::mem::take(&mut s.batch)).unwrap_or_default()
        };
        if let Some(notes) = resolver.resolve(&mut take) {
            self.fill(handle, notes);
        }
    }

    /// Resolves the raw events of every table (before notifications are taken).
    pub fn resolve_all(&self) {
        let handles: Vec<u32> = {
            let q = self.lock();
            q.tables.iter().filter(|(_, s)| s.queued || s.batch.overflowed).map(|(h, _)| *h).collect()
        };
        for h in handles {
            self.resolve_table(h, false);
        }
    }

    /// Puts a table's resolved notifications where its events were queued; its place stays
    /// when more events arrived meanwhile. A pending resync of the handle covers them.
    fn fill(&self, handle: u32, notes: Vec<NotificationData>) {
        let mut q = self.lock();
        let Inner { items, resync, tables } = &mut *q;
        let Some(slot) = tables.get_mut(&handle) else { return };
        let more = !slot.batch.events.is_empty() || slot.batch.overflowed;
        let at = items.iter().position(|i| matches!(i, Item::Table(h) if *h == handle));
        let notes = if resync.contains_key(&handle) { Vec::new() } else { notes };
        let logon_id = slot.logon_id;
        let notes = notes.into_iter().map(|data| {
            let note = NotifyResponse { notification_handle: handle, logon_id, data };
            Item::Note(Box::new(Note { note, resync: table_changed(handle, logon_id) }))
        });
        match at {
            Some(p) => {
                let mut tail = items.split_off(p);
                tail.pop_front();
                items.extend(notes);
                if more {
                    items.push_back(Item::Table(handle));
                }
                items.append(&mut tail);
                slot.queued = more;
            }
            None => items.extend(notes),
        }
    }

    /// True when a table's raw events wait to be resolved ([`Queue::resolve_all`] would read
    /// the store).
    pub fn has_unresolved(&self) -> bool {
        self.lock().tables.values().any(|s| s.queued || s.batch.overflowed)
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        let q = self.lock();
        q.items.is_empty() && q.resync.is_empty()
    }

    /// Number of waiting entries (resyncs and unresolved tables included).
    pub fn len(&self) -> usize {
        let q = self.lock();
        q.items.len() + q.resync.len()
    }

    /// Encoded RopNotify responses taken from the front while they fit in `room` bytes, in
    /// queue order (resyncs last); the rest stays queued. Stops at a table whose events are not
    /// resolved yet (call [`Queue::resolve_all`] first). `empty_room` is what a response with no
    /// other ROP would leave: a notification bigger than that is replaced by its handle's resync
    /// (queued last, covering the handle's later notifications), a resync bigger than that is
    /// dropped, so nothing blocks the queue.
    pub fn take_fitting(&self, room: usize, empty_room: usize) -> Vec<u8> {
        let mut q = self.lock();
        let mut out = Writer::new();
        loop {
            let (next, resync) = match q.items.front() {
                Some(Item::Note(n)) => (n.note.clone(), Some(n.resync.clone())),
                Some(Item::Table(_)) => break,
                None => match q.resync.values().next() {
                    Some(n) => (n.clone(), None),
                    None => break,
                },
            };
            let mut w = Writer::new();
            RopResponse::Notify(next.clone()).encode(&mut w);
            if w.len() > empty_room {
                match resync {
                    Some(r) => {
                        q.items.pop_front();
                        q.resync.entry(r.notification_handle).or_insert(r);
                    }
                    None => {
                        q.resync.remove(&next.notification_handle);
                    }
                }
                continue;
            }
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

    /// RopSetColumns changed the columns of table `handle`: its queued TableRowAdded /
    /// TableRowModified carry rows in the old columns, which the client would read with the new
    /// ones (MS-OXCNOTIF 2.2.1.4.1.2: TableRowData follows the table's current columns). They
    /// are replaced by one TableChanged, where the first of them was.
    pub fn columns_changed(&self, handle: u32) {
        let mut q = self.lock();
        let Some(first) = q.items.iter().position(|i| i.row_data_of(handle)) else { return };
        let logon_id = match &q.items[first] {
            Item::Note(n) => n.note.logon_id,
            Item::Table(_) => 0,
        };
        let mut at = 0;
        q.items.retain(|i| {
            at += 1;
            at - 1 == first || !i.row_data_of(handle)
        });
        let changed = table_changed(handle, logon_id);
        q.items[first] = Item::Note(Box::new(Note { note: changed.clone(), resync: changed }));
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

    /// Drops the notifications and raw events of a released handle.
    pub fn forget(&self, handle: u32) {
        let mut q = self.lock();
        q.items.retain(|n| n.handle() != handle);
        q.resync.remove(&handle);
        q.tables.remove(&handle);
    }
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
