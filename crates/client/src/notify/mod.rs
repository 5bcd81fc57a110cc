//! Notifications (IMsgStore::Advise / IMAPITable::Advise over MS-OXCNOTIF): subscriptions are
//! RopRegisterNotification on the store's logon (3.1.4.1), open tables are subscribed by the
//! server itself (3.1.4.3), and RopNotify responses arrive at the end of any Execute. A
//! background thread per session holds a NotificationWait (MS-OXCMAPIHTTP 2.2.4.4) on its own
//! connection and, when the server says an event is pending, sends an empty Execute to collect
//! it. When the session context is lost or the network fails, the thread reconnects and
//! registers every subscription again; sinks that asked for fnevCriticalError hear about the
//! gap.
//!
//! Sinks run on a dispatcher thread of their own, never under a lock of the session, so a sink
//! may call back into the session (open the new message, query the table).

pub(crate) mod advise;
mod event;
pub(crate) mod registry;
mod waiter;

pub use event::{Notification, ObjectNotification, TableNotification};
pub(crate) use registry::Notifier;
pub use registry::{Connection, NotificationStream};

use oxmapi_core::ids::ObjectId;

/// What an Advise subscription watches (RopRegisterNotification's scope, MS-OXCNOTIF 2.2.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdviseTarget {
    /// The whole store (`WantWholeStore`).
    Store,
    /// One folder: its own changes and its messages'.
    Folder(ObjectId),
    /// One message (its folder and its id).
    Message(ObjectId, ObjectId),
}
