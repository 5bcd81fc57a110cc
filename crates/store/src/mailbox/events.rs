//! Change events of a message store (the store side of MS-OXCNOTIF): what a committed
//! transaction did to folders and messages, in the terms of the notification types of
//! MS-OXCNOTIF 2.2.1.4.1.2 (protocol-facts §5.1, §5.3). A transaction collects its events while
//! it runs; they are handed to the store's [`EventSink`] only after the commit succeeded, in
//! commit order, and dropped when it rolls back — so a notification never announces a change
//! that did not happen, and every committed change is announced.

use std::sync::Arc;

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;

/// What happened to one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreEvent {
    /// A message was delivered to a folder (fnevNewMail).
    NewMail {
        /// The folder it was delivered to.
        fid: ObjectId,
        /// The message.
        mid: ObjectId,
        /// Its PidTagMessageFlags.
        message_flags: u32,
        /// Its PidTagMessageClass.
        message_class: String,
    },
    /// A folder (`mid` None) or message was created (fnevObjectCreated).
    Created {
        /// The folder, or the message's folder.
        fid: ObjectId,
        /// The message.
        mid: Option<ObjectId>,
        /// The parent of a created folder (the folder itself for a message).
        parent_fid: ObjectId,
        /// The properties it was created with (may be empty).
        tags: Vec<PropTag>,
        /// A message's kind: FAI (associated, MS-OXCFOLD 2.2.1.14 TableFlags Associated) or
        /// normal — so a table of the other kind can ignore it even once the message is gone;
        /// false for a folder.
        associated: bool,
    },
    /// A folder or message was deleted (fnevObjectDeleted).
    Deleted {
        /// The folder, or the message's folder.
        fid: ObjectId,
        /// The message.
        mid: Option<ObjectId>,
        /// The parent of a deleted folder (the folder itself for a message).
        parent_fid: ObjectId,
        /// A message's kind: FAI (associated, MS-OXCFOLD 2.2.1.14 TableFlags Associated) or
        /// normal — so a table of the other kind can ignore it even once the message is gone;
        /// false for a folder.
        associated: bool,
    },
    /// A folder or message changed (fnevObjectModified). For a folder whose message counts
    /// changed, `counts` carries PidTagContentCount and PidTagContentUnreadCount.
    Modified {
        /// The folder, or the message's folder.
        fid: ObjectId,
        /// The message.
        mid: Option<ObjectId>,
        /// The properties changed (may be empty when not tracked).
        tags: Vec<PropTag>,
        /// New (total, unread) message counts of a folder.
        counts: Option<(u32, u32)>,
        /// A message's kind: FAI (associated, MS-OXCFOLD 2.2.1.14 TableFlags Associated) or
        /// normal — so a table of the other kind can ignore it even once the message is gone;
        /// false for a folder.
        associated: bool,
    },
    /// A folder or message was moved (fnevObjectMoved) or copied (fnevObjectCopied).
    MovedOrCopied {
        /// True for a copy.
        copy: bool,
        /// The new folder (the folder itself, or the message's new folder).
        fid: ObjectId,
        /// The message's new id.
        mid: Option<ObjectId>,
        /// The new parent of a folder (the new folder for a message).
        parent_fid: ObjectId,
        /// The old folder (the source folder of a message; the folder's own old id).
        old_fid: ObjectId,
        /// The message's old id.
        old_mid: Option<ObjectId>,
        /// The old parent of a moved folder (the old folder for a message).
        old_parent_fid: ObjectId,
        /// A message's kind: FAI (associated, MS-OXCFOLD 2.2.1.14 TableFlags Associated) or
        /// normal — so a table of the other kind can ignore it even once the message is gone;
        /// false for a folder.
        associated: bool,
    },
}

impl StoreEvent {
    /// The folder the event names (for scoping subscriptions).
    pub fn fid(&self) -> ObjectId {
        match self {
            StoreEvent::NewMail { fid, .. }
            | StoreEvent::Created { fid, .. }
            | StoreEvent::Deleted { fid, .. }
            | StoreEvent::Modified { fid, .. }
            | StoreEvent::MovedOrCopied { fid, .. } => *fid,
        }
    }

    /// True when the event is about an FAI (associated) message; a delivery (NewMail) is
    /// always of a normal message.
    pub fn associated(&self) -> bool {
        match self {
            StoreEvent::NewMail { .. } => false,
            StoreEvent::Created { associated, .. }
            | StoreEvent::Deleted { associated, .. }
            | StoreEvent::Modified { associated, .. }
            | StoreEvent::MovedOrCopied { associated, .. } => *associated,
        }
    }

    /// The message the event names, if any.
    pub fn mid(&self) -> Option<ObjectId> {
        match self {
            StoreEvent::NewMail { mid, .. } => Some(*mid),
            StoreEvent::Created { mid, .. }
            | StoreEvent::Deleted { mid, .. }
            | StoreEvent::Modified { mid, .. }
            | StoreEvent::MovedOrCopied { mid, .. } => *mid,
        }
    }
}

/// Receives the events of each committed transaction of one store, in commit order. Called on
/// the committing thread right after the commit; it must not call back into the store.
pub type EventSink = Arc<dyn Fn(&[StoreEvent]) + Send + Sync>;

/// Told that a store missed changes another node committed (its change-log rows were swept
/// before it read them, or could not be read): every subscriber of the mailbox must reread.
/// Called under the store's lock; it must not call back into the store.
pub type GapSink = Arc<dyn Fn() + Send + Sync>;
