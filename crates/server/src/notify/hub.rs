//! The notification hub (MS-OXCNOTIF 3.2.5): every store's committed events come here (the
//! store's event sink), are matched against the subscriptions of every session context — Advise
//! subscriptions made with RopRegisterNotification and the open hierarchy and contents tables —
//! and queued on the subscribing contexts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_store::mailbox::events::{EventSink, GapSink, StoreEvent};
use oxmapi_wire::rop::oxcnotif::{NotificationData, NotifyResponse};

use super::data;
use super::queue::Queue;

/// What an Advise subscription covers (RopRegisterNotification `WantWholeStore`, `FolderId`,
/// `MessageId`; protocol-facts §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole mailbox.
    Store,
    /// A folder: events of the folder itself, of its messages and of its child folders.
    Folder(ObjectId),
    /// One message.
    Message(ObjectId),
}

/// A subscriber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// An Advise sink: the NotificationTypes mask and the scope.
    Advise {
        /// NotificationTypes (fnev bits).
        mask: u16,
        /// Scope.
        scope: Scope,
    },
    /// An open contents table of a folder (TableModified when its messages change).
    Contents(ObjectId),
    /// An open hierarchy table (TableModified when folders change).
    Hierarchy(ObjectId),
}

struct Subscription {
    id: u64,
    queue: Weak<Queue>,
    handle: u32,
    logon_id: u8,
    target: Target,
}

/// The hub.
#[derive(Default)]
pub struct Hub {
    subs: Mutex<HashMap<Guid, Vec<Subscription>>>,
    next: AtomicU64,
}

/// A live subscription; dropping it (the handle's release) ends it and drops what is still
/// queued for the handle.
pub struct Registration {
    hub: Weak<Hub>,
    mailbox: Guid,
    id: u64,
    queue: Weak<Queue>,
    handle: u32,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.upgrade() {
            let mut subs = hub.subs.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = subs.get_mut(&self.mailbox) {
                v.retain(|s| s.id != self.id);
                if v.is_empty() {
                    subs.remove(&self.mailbox);
                }
            }
        }
        if let Some(q) = self.queue.upgrade() {
            q.forget(self.handle);
        }
    }
}

fn is_folder_event(e: &StoreEvent) -> bool {
    e.mid().is_none()
}

fn parent_of(e: &StoreEvent) -> Option<ObjectId> {
    match e {
        StoreEvent::Created { parent_fid, .. }
        | StoreEvent::Deleted { parent_fid, .. }
        | StoreEvent::MovedOrCopied { parent_fid, .. } => Some(*parent_fid),
        _ => None,
    }
}

fn old_ids(e: &StoreEvent) -> (Option<ObjectId>, Option<ObjectId>, Option<ObjectId>) {
    match e {
        StoreEvent::MovedOrCopied { old_fid, old_mid, old_parent_fid, .. } => {
            (Some(*old_fid), *old_mid, Some(*old_parent_fid))
        }
        _ => (None, None, None),
    }
}

/// Whether an Advise subscription wants `e`.
fn advise_wants(mask: u16, scope: Scope, e: &StoreEvent) -> bool {
    if mask & data::type_of(e) == 0 {
        return false;
    }
    let (old_fid, old_mid, old_parent) = old_ids(e);
    match scope {
        Scope::Store => true,
        Scope::Folder(f) => {
            e.fid() == f
                || old_fid == Some(f)
                || (is_folder_event(e) && (parent_of(e) == Some(f) || old_parent == Some(f)))
        }
        Scope::Message(m) => e.mid() == Some(m) || old_mid == Some(m),
    }
}

/// Whether a table shows something `e` changed.
fn table_affected(target: Target, e: &StoreEvent) -> bool {
    match target {
        Target::Contents(f) => e.mid().is_some() && (e.fid() == f || old_ids(e).0 == Some(f)),
        Target::Hierarchy(_) => is_folder_event(e),
        Target::Advise { .. } => false,
    }
}

impl Hub {
    /// Subscribes `handle` of a context (its `queue`) to events of mailbox `mailbox`.
    pub fn register(
        self: &Arc<Self>,
        mailbox: Guid,
        queue: &Arc<Queue>,
        handle: u32,
        logon_id: u8,
        target: Target,
    ) -> Registration {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let sub = Subscription { id, queue: Arc::downgrade(queue), handle, logon_id, target };
        self.subs.lock().unwrap_or_else(|e| e.into_inner()).entry(mailbox).or_default().push(sub);
        Registration { hub: Arc::downgrade(self), mailbox, id, queue: Arc::downgrade(queue), handle }
    }

    /// Number of live subscriptions (tables included), for metrics and tests.
    pub fn len(&self) -> usize {
        self.subs.lock().unwrap_or_else(|e| e.into_inner()).values().map(Vec::len).sum()
    }

    /// True when nothing is subscribed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The event sink to install on mailbox `mailbox`'s store.
    pub fn sink(self: &Arc<Self>, mailbox: Guid) -> EventSink {
        let hub = Arc::downgrade(self);
        Arc::new(move |events: &[StoreEvent]| {
            if let Some(hub) = hub.upgrade() {
                hub.publish(mailbox, events);
            }
        })
    }

    /// The gap sink to install on mailbox `mailbox`'s store, whose root folder is `root`
    /// ([`Hub::publish_gap`]).
    pub fn gap_sink(self: &Arc<Self>, mailbox: Guid, root: ObjectId) -> GapSink {
        let hub = Arc::downgrade(self);
        Arc::new(move || {
            if let Some(hub) = hub.upgrade() {
                hub.publish_gap(mailbox, root);
            }
        })
    }

    /// Tells every subscription of `mailbox` that changes were missed (another node's
    /// change-log rows were swept before this node read them): what a full queue does
    /// ([`Queue::lost`]) — TableChanged for a table, ObjectModified with unlisted properties of
    /// the subscribed folder (the store's root folder for a store or message subscription) for
    /// an Advise sink: "reread". MS-OXCNOTIF defines no RopNotify form of fnevCriticalError
    /// (2.2.1.4.1.2 lists the NotificationType values a server sends), so this is the strongest
    /// signal a server can give within a session; our client raises fnevCriticalError itself
    /// when the session context is lost.
    pub fn publish_gap(&self, mailbox: Guid, root: ObjectId) {
        let subs = self.subs.lock().unwrap_or_else(|e| e.into_inner());
        let Some(subs) = subs.get(&mailbox) else { return };
        for s in subs {
            let Some(queue) = s.queue.upgrade() else { continue };
            let data = match s.target {
                Target::Advise { scope: Scope::Folder(f), .. } => data::resync_object(f),
                Target::Advise { .. } => data::resync_object(root),
                Target::Contents(_) | Target::Hierarchy(_) => data::table_changed(),
            };
            queue.lost(NotifyResponse { notification_handle: s.handle, logon_id: s.logon_id, data });
        }
    }

    /// Queues fnevSearchComplete for search folder `fid` of `mailbox` (MS-OXCNOTIF 2.2.1.4.1.2:
    /// NotificationType 0x0080 with the search folder's FolderId) on each Advise subscription
    /// that asks for it and covers the folder: the whole store or the search folder itself.
    pub fn publish_search_complete(&self, mailbox: Guid, fid: ObjectId) {
        let subs = self.subs.lock().unwrap_or_else(|e| e.into_inner());
        let Some(subs) = subs.get(&mailbox) else { return };
        for s in subs {
            let Target::Advise { mask, scope } = s.target else { continue };
            if mask & data::search_complete(fid).kind() == 0
                || !matches!(scope, Scope::Store) && scope != Scope::Folder(fid)
            {
                continue;
            }
            let Some(queue) = s.queue.upgrade() else { continue };
            let notify = || NotifyResponse {
                notification_handle: s.handle,
                logon_id: s.logon_id,
                data: data::search_complete(fid),
            };
            queue.push(notify(), notify);
        }
    }

    /// Queues the notifications one committed transaction of `mailbox` causes: one per Advise
    /// subscription and matching event; for each affected table, the raw events it resolves
    /// into row notifications ([`Queue::push_table`]).
    pub fn publish(&self, mailbox: Guid, events: &[StoreEvent]) {
        let subs = self.subs.lock().unwrap_or_else(|e| e.into_inner());
        let Some(subs) = subs.get(&mailbox) else { return };
        for s in subs {
            let Some(queue) = s.queue.upgrade() else { continue };
            let notify = |data: NotificationData| NotifyResponse {
                notification_handle: s.handle,
                logon_id: s.logon_id,
                data,
            };
            match s.target {
                Target::Advise { mask, scope } => {
                    let resync_fid = match scope {
                        Scope::Folder(f) => Some(f),
                        _ => None,
                    };
                    for e in events.iter().filter(|e| advise_wants(mask, scope, e)) {
                        let fid = resync_fid.unwrap_or_else(|| e.fid());
                        queue.push(notify(data::object(e)), || notify(data::resync_object(fid)));
                    }
                }
                target => {
                    // Raw events: the table turns them into row notifications later, outside
                    // the store's lock (`notify::table`).
                    for e in events.iter().filter(|e| table_affected(target, e)) {
                        queue.push_table(s.handle, s.logon_id, e);
                    }
                }
            }
        }
    }
}
