//! The server object handle table of one session context (MS-OXCROPS 1.3.2, 2.2.1): every object
//! a ROP opens gets a 32-bit server handle; requests name objects by an index into the handle
//! table the client sends with each ROP buffer.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_store::mailbox::{AttachmentDraft, MessageDraft, StoreStream, StreamMode};
use oxmapi_store::settings::MailboxLimits;
use oxmapi_store::{MessageStore, User};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;

/// A logged-on store (the object RopLogon returns; MS-OXCSTOR 3.2.5.1).
pub struct LogonObject {
    /// `LogonId` the client chose.
    pub logon_id: u8,
    /// The store.
    pub store: Arc<MessageStore>,
    /// Private mailbox (true) or public folders (false).
    pub private: bool,
    /// Owner of the mailbox (the session's user for a home logon; `None` for public folders).
    pub owner: Option<User>,
    /// True when the session's user opened someone else's mailbox.
    pub delegate: bool,
    /// The logged-on user (the session's; PidTagUserEntryId, MS-OXCSTOR 2.2.2.1.1.11).
    pub user: User,
    /// The mailbox limits in force when the logon was made (the directory's settings; MS-OXCSTOR
    /// 2.2.2.1.1), announced on the logon and enforced by RopSubmitMessage.
    pub limits: MailboxLimits,
    /// A delegate logon made through administrator privilege rather than a full-access grant
    /// (it lasts while the user stays an administrator).
    pub admin_privilege: bool,
    /// A delegate logon made without a full-access grant or administrator privilege: what it
    /// may do is what the folders' permission lists give its user (MS-OXCPERM), checked on
    /// every request ([`super::access`]).
    pub by_rights: bool,
    /// The right this delegate logon was made with was withdrawn ([`crate::authz`]): every ROP
    /// on it or on an object opened through it fails with ecAccessDenied.
    pub revoked: AtomicBool,
    /// The RopWritePerUserInformation upload under way on this logon (MS-OXCSTOR 3.2.5.13.1:
    /// "the server aggregates the data across multiple invocations").
    pub per_user_upload: Mutex<Option<super::peruser::Upload>>,
}

impl LogonObject {
    /// True once the right behind the logon was withdrawn.
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(Ordering::Acquire)
    }

    /// Marks the logon revoked (its objects stay in the handle table until released).
    pub fn revoke(&self) {
        self.revoked.store(true, Ordering::Release);
    }
}

/// An open folder (RopOpenFolder, RopCreateFolder; MS-OXCFOLD 3.2.5.1–3.2.5.2).
pub struct FolderObject {
    /// The logon it was opened through.
    pub logon: Arc<LogonObject>,
    /// The folder.
    pub fid: oxmapi_core::ids::ObjectId,
}

/// A draft shared between the object that owns it and the objects opened through it (an
/// attachment keeps its message alive, a stream its message or attachment).
pub type Shared<T> = Arc<Mutex<T>>;

/// Locks a shared draft (a poisoned lock still holds consistent data: every change is applied
/// in full or not at all).
pub fn lock<T>(s: &Shared<T>) -> MutexGuard<'_, T> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// The pending-blob workspace of one top-level message (MS-OXCMSG 3.1.4: changes are held
/// until RopSaveChangesMessage). Every object opened through the message holds it; when the
/// last one is released the unsaved blobs are deleted.
pub struct Workspace {
    store: Arc<MessageStore>,
    id: i64,
    /// The folder of the top-level message.
    pub folder: Option<oxmapi_core::ids::ObjectId>,
    /// The top-level message's MID when it was opened saved; `None` for a message created
    /// through this workspace (what a permission check treats as the user's new message).
    pub saved_mid: Option<oxmapi_core::ids::ObjectId>,
}

impl Workspace {
    /// The workspace of a top-level message draft.
    pub fn new(store: Arc<MessageStore>, draft: &MessageDraft) -> Arc<Workspace> {
        let saved_mid = if draft.is_saved() { draft.mid() } else { None };
        Arc::new(Workspace { store, id: draft.workspace(), folder: draft.folder_id(), saved_mid })
    }
}

impl Drop for Workspace {
    /// Discards the pending blobs — store work, off the async threads ([`crate::blocking::detached`]):
    /// a session's handle table, and so its open messages, can be dropped on one (a Disconnect
    /// with a message open, a server that stops). Blobs a discard misses are swept after a day.
    fn drop(&mut self) {
        let (store, id) = (self.store.clone(), self.id);
        crate::blocking::detached(move || {
            if let Err(e) = store.discard_workspace(id) {
                tracing::warn!(error = %e, "discarding an unsaved message's blobs failed");
            }
        });
    }
}

/// An open message (RopOpenMessage, RopCreateMessage, RopOpenEmbeddedMessage;
/// MS-OXCMSG 3.2.5.1–3.2.5.3).
pub struct MessageObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// The message as changed since it was opened.
    pub draft: Shared<MessageDraft>,
    /// For an embedded message: the attachment that holds it (RopSaveChangesMessage writes the
    /// message into the attachment).
    pub parent_attachment: Option<Shared<AttachmentDraft>>,
    /// Opened for writing (OpenModeFlags ReadWrite/BestAccess, or created).
    pub writable: bool,
    /// Keeps the top-level message's pending blobs until every object using them is gone.
    pub workspace: Arc<Workspace>,
    /// The `RecipientColumns` of this message object (MS-OXCROPS 2.2.6.1.2): the extra
    /// recipient properties RopOpenMessage announced, extended by the columns of each
    /// RopModifyRecipients; RopReadRecipients rows are written over them.
    pub recipient_columns: Vec<PropTag>,
}

/// An open attachment (RopOpenAttachment, RopCreateAttachment; MS-OXCMSG 3.2.5.5–3.2.5.7).
pub struct AttachmentObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// The message the attachment belongs to.
    pub message: Shared<MessageDraft>,
    /// The attachment as changed since it was opened.
    pub draft: Shared<AttachmentDraft>,
    /// Opened for writing.
    pub writable: bool,
    /// Keeps the top-level message's pending blobs until every object using them is gone.
    pub workspace: Arc<Workspace>,
}

/// The object a stream was opened on.
pub enum StreamParent {
    /// A message property.
    Message(Shared<MessageDraft>),
    /// An attachment property.
    Attachment(Shared<AttachmentDraft>),
}

/// The state a stream object shares with its clones (RopCloneStream, MS-OXCPRPT 3.2.5.24):
/// the parent, the stream's bytes (changes made through one are seen at once by the others)
/// and the region locks the family holds ([`super::stream_locks`]).
pub struct SharedStream {
    /// The object whose property the stream is.
    pub parent: StreamParent,
    /// The stream (its own seek pointer is set from the object's before each use).
    pub stream: Mutex<StoreStream>,
    /// The family's identity as a lock owner.
    pub locks: super::stream_locks::LockOwner,
}

/// An open stream (RopOpenStream, RopCloneStream; MS-OXCPRPT 3.2.5.13, 3.2.5.24).
pub struct StreamObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// The bytes, parent and locks, shared with the stream's clones.
    pub shared: Arc<SharedStream>,
    /// This object's seek pointer (clones have their own).
    pub position: u64,
    /// Keeps the top-level message's pending blobs until every object using them is gone.
    pub workspace: Arc<Workspace>,
}

impl StreamObject {
    /// Runs `f` on the shared stream with this object's seek pointer, and keeps the pointer
    /// `f` leaves. The lock owner's activity is stamped (MS-OXCPRPT 3.2.5.21 measures a lock's
    /// expiry from it).
    pub fn with<R>(&mut self, f: impl FnOnce(&MessageStore, &mut StoreStream) -> R) -> R {
        use std::io::{Seek, SeekFrom};
        self.shared.locks.touch();
        let store = &self.logon.store;
        let mut st = lock_mutex(&self.shared.stream);
        // A seek to a position this object reached before cannot fail (it is at most 2^31).
        let _ = st.io(store).seek(SeekFrom::Start(self.position));
        let r = f(store, &mut st);
        self.position = st.position();
        r
    }

    /// MS-OXCPRPT 3.2.5.21: when another stream found this family's lock expired, the
    /// family's pending changes are discarded (the stream goes back to the parent's committed
    /// value) and its next ROP fails with NetworkError (0x80040115). Every stream ROP asks
    /// first.
    pub fn discard_if_expired(&mut self) -> Result<(), ErrorCode> {
        if !self.shared.locks.take_expired() {
            return Ok(());
        }
        let store = &self.logon.store;
        let mut st = lock_mutex(&self.shared.stream);
        let (tag, mode) = (st.tag(), st.mode());
        let reopen = |mode| match &self.shared.parent {
            StreamParent::Message(m) => store.open_stream(&*lock(m), tag, mode),
            StreamParent::Attachment(a) => store.open_stream(&*lock(a), tag, mode),
        };
        let fresh = match mode {
            StreamMode::ReadOnly => reopen(StreamMode::ReadOnly),
            _ => reopen(StreamMode::ReadWrite).or_else(|_| reopen(StreamMode::Create)),
        };
        match fresh {
            Ok(f) => *st = f,
            Err(e) => tracing::warn!(error = %e, "discarding an expired stream lock owner's changes failed"),
        }
        Err(codes::MAPI_E_NETWORK_ERROR)
    }

    /// RopCommitStream: the stream's content becomes the parent's property value (after the
    /// discard of [`StreamObject::discard_if_expired`], whose changes are never committed).
    pub fn commit(&mut self) -> oxmapi_store::StoreResult<()> {
        let _ = self.discard_if_expired();
        let store = &self.logon.store;
        let mut st = lock_mutex(&self.shared.stream);
        match &self.shared.parent {
            StreamParent::Message(m) => store.commit_stream(&mut st, &mut *lock(m)),
            StreamParent::Attachment(a) => store.commit_stream(&mut st, &mut *lock(a)),
        }
    }
}

/// Locks a mutex (a poisoned lock still holds consistent data).
fn lock_mutex<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a table object lists.
#[derive(Clone)]
pub enum TableSource {
    /// RopGetHierarchyTable on a folder (the whole subtree with Depth).
    Hierarchy {
        /// The folder.
        fid: oxmapi_core::ids::ObjectId,
        /// TableFlags Depth.
        depth: bool,
        /// TableFlags SoftDeletes: only the soft-deleted folders (MS-OXCFOLD 2.2.1.13.1).
        soft_deleted: bool,
    },
    /// RopGetContentsTable on a folder (MS-OXCFOLD 3.2.5.14).
    Contents {
        /// The folder.
        fid: oxmapi_core::ids::ObjectId,
        /// TableFlags Associated: the FAI contents table.
        associated: bool,
        /// TableFlags SoftDeletes: only the soft-deleted messages (MS-OXCFOLD 2.2.1.14.1).
        soft_deleted: bool,
        /// A normal folder, whose views may use the index-backed engine (a search folder's
        /// contents are the messages its search found, listed by the in-memory engine).
        indexable: bool,
    },
    /// RopGetPermissionsTable on a folder (MS-OXCPERM 3.2.5.1): the permission list as it was
    /// when the table was opened.
    Permissions {
        /// The folder.
        fid: oxmapi_core::ids::ObjectId,
    },
    /// RopGetRulesTable on a folder (MS-OXORULE 3.2.5.2): its rules, read again by every
    /// table ROP.
    Rules {
        /// The folder.
        fid: oxmapi_core::ids::ObjectId,
    },
    /// RopGetAttachmentTable on a message (MS-OXCMSG 3.2.5.4).
    Attachments {
        /// The message.
        message: Shared<MessageDraft>,
    },
}

/// An open table (MS-OXCTABL): its source, the engine holding columns, restriction, sort and
/// cursor, and whether PtypUnspecified string columns come back as Unicode.
pub struct TableObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// What it lists.
    pub source: TableSource,
    /// The engine (in memory, or index-backed for contents tables of normal folders).
    pub table: super::table_engine::TableEngine,
    /// TableFlags UseUnicode.
    pub unicode: bool,
    /// RopSetColumns was sent.
    pub columns_set: bool,
    /// The property ids the source rows of an in-memory engine were loaded with (contents
    /// tables load only what the columns, sort order and restrictions need).
    pub loaded: Vec<u16>,
    /// [`oxmapi_store::MessageStore::generation`] when the rows were loaded (an index-backed
    /// engine: when its cached counts were last known current); the rows are reloaded (the
    /// counts dropped) when the store changed since ([`STALE`] before the first load).
    pub generation: u64,
    /// The SQL prefilter of the restriction the contents rows were loaded with (the
    /// index-backed fast path, [`oxmapi_store::mailbox::contents_prefilter`]).
    pub filter: Option<oxmapi_store::mailbox::ContentsFilter>,
    /// The table's notifications (hierarchy and contents tables): its subscription and the
    /// tracker that holds `table`, `loaded`, `generation` and `filter` between ROPs
    /// ([`crate::notify::table`]; table ROPs take them back while they run).
    pub notifications: Option<crate::notify::TableWatch>,
}

impl TableObject {
    /// A table whose rows are all loaded now (hierarchy, attachment, permission and rules
    /// tables): no columns set yet, no contents filter, no notifications.
    pub fn loaded(
        logon: Arc<LogonObject>,
        source: TableSource,
        rows: Vec<oxmapi_store::table::SourceRow>,
        unicode: bool,
        generation: u64,
    ) -> TableObject {
        TableObject {
            logon,
            source,
            table: oxmapi_store::table::Table::new(rows, Vec::new()).into(),
            unicode,
            columns_set: false,
            loaded: Vec::new(),
            generation,
            filter: None,
            notifications: None,
        }
    }
}

/// An Advise subscription (RopRegisterNotification); releasing its handle ends it.
pub struct SubscriptionObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// The hub registration (set once the handle is known).
    pub registration: Option<crate::notify::Registration>,
}

/// [`TableObject::generation`] of rows not loaded yet: the next ROP that reads rows loads them.
pub const STALE: u64 = u64::MAX;

/// An object a handle refers to.
pub enum ServerObject {
    /// A logon (store) object.
    Logon(Arc<LogonObject>),
    /// A folder.
    Folder(FolderObject),
    /// A table.
    Table(Box<TableObject>),
    /// A message.
    Message(MessageObject),
    /// An attachment.
    Attachment(AttachmentObject),
    /// A stream.
    Stream(Box<StreamObject>),
    /// A notification subscription.
    Subscription(SubscriptionObject),
}

impl ServerObject {
    /// The kind the per-session object limits count it as.
    pub fn kind(&self) -> ObjectKind {
        match self {
            ServerObject::Logon(_) => ObjectKind::Logon,
            ServerObject::Folder(_) => ObjectKind::Folder,
            ServerObject::Table(_) => ObjectKind::Table,
            ServerObject::Message(_) => ObjectKind::Message,
            ServerObject::Attachment(_) => ObjectKind::Attachment,
            ServerObject::Stream(_) => ObjectKind::Stream,
            ServerObject::Subscription(_) => ObjectKind::Subscription,
        }
    }

    /// The logon the object belongs to.
    pub fn logon(&self) -> &Arc<LogonObject> {
        match self {
            ServerObject::Logon(l) => l,
            ServerObject::Folder(f) => &f.logon,
            ServerObject::Table(t) => &t.logon,
            ServerObject::Message(m) => &m.logon,
            ServerObject::Attachment(a) => &a.logon,
            ServerObject::Stream(s) => &s.logon,
            ServerObject::Subscription(s) => &s.logon,
        }
    }

    /// The logon id the object belongs to.
    pub fn logon_id(&self) -> u8 {
        self.logon().logon_id
    }
}

/// The kinds of server objects, as the per-session limits count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// A Logon object (at most 256 per session: one per LogonId).
    Logon,
    /// A folder (Exchange's `objtFolder`).
    Folder,
    /// A hierarchy, contents or attachment table (`objtFolderView`, `objtMessageView`,
    /// `objtAttachmentView`).
    Table,
    /// A message, embedded ones included (`objtMessage`).
    Message,
    /// An attachment (`objtAttachment`).
    Attachment,
    /// A stream (`objtStream`).
    Stream,
    /// A notification subscription (`objtNotify`).
    Subscription,
}

impl ObjectKind {
    const ALL: [ObjectKind; 7] = [
        ObjectKind::Logon,
        ObjectKind::Folder,
        ObjectKind::Table,
        ObjectKind::Message,
        ObjectKind::Attachment,
        ObjectKind::Stream,
        ObjectKind::Subscription,
    ];

    /// How many objects of this kind one session context may hold open at once.
    ///
    /// Exchange caps the server objects of a MAPI session per kind (the MaxObjsPerMapiSession
    /// registry values; "Managed Store limits in Exchange Server": folder 500, folder view 500,
    /// message view 500, attachment view 500, message 250, attachment 500, stream 250) and fails
    /// the call that would open one more with ecMaxObjsExceeded (0x000004DE). oxmapi uses the
    /// same defaults; subscriptions, which Exchange allows by the hundred thousand, are capped at
    /// 500 here (each holds a registration in the notification hub). Logons need no cap: a
    /// LogonId is one byte. These are constants, not settings: a client that reaches them leaks
    /// objects, and raising them only postpones the failure.
    pub const fn limit(self) -> usize {
        match self {
            ObjectKind::Logon => 256,
            ObjectKind::Folder | ObjectKind::Table | ObjectKind::Attachment => 500,
            ObjectKind::Message | ObjectKind::Stream => 250,
            ObjectKind::Subscription => 500,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Bits of a server object handle that number the objects of one logon; the top 8 bits hold
/// the logon's `LogonId`.
const OBJECT_BITS: u32 = 24;
/// Mask of [`OBJECT_BITS`].
const OBJECT_MASK: u32 = (1 << OBJECT_BITS) - 1;

/// The handle of the Logon object of `logon_id`: the LogonId in the top byte, object number 0.
///
/// This is the shape Exchange hands out, and clients written against Exchange depend on it:
/// sensepost/ruler (`mapi/mapi.go`, e.g. `ReleaseObject`, `SendMessage`, `CreateMessage`) never
/// reads the handle RopLogon returns and sends the bytes `00 00 00 <LogonId>` (0x09000000 for
/// its LogonId 9) as the Logon object's handle, and `01 00 00 <LogonId>` for the first object
/// opened after it. The specification's own example agrees: MS-OXCROPS 4.4 releases two objects
/// of LogonId 0 whose handles are 0x0000006F and 0x0000006E (top byte 0, object numbers in the
/// low bits).
pub fn logon_handle(logon_id: u8) -> u32 {
    (logon_id as u32) << OBJECT_BITS
}

/// The next free handle of `logon_id` after object number `*next`: numbers run 1..=0xFFFFFF
/// and wrap, skipping 0xFFFFFFFF and the handles `taken` reports as alive.
fn allocate(logon_id: u8, next: &mut u32, taken: impl Fn(u32) -> bool) -> u32 {
    loop {
        *next = if *next >= OBJECT_MASK { 1 } else { *next + 1 };
        let h = logon_handle(logon_id) | *next;
        if h != UNUSED_HANDLE && !taken(h) {
            return h;
        }
    }
}

/// Handle → object map with handle allocation.
///
/// Handles have Exchange's shape (see [`logon_handle`]): `LogonId << 24 | n`, where `n` is 0
/// for the Logon object and counts the logon's other objects from 1. A handle is unique in the
/// session context, never 0xFFFFFFFF (the "unused slot" value clients send), and never reused
/// while its object is alive.
#[derive(Default)]
pub struct HandleTable {
    /// Last object number given out, per LogonId.
    next: HashMap<u8, u32>,
    objects: HashMap<u32, ServerObject>,
    /// Live objects per [`ObjectKind`] (indexed by [`ObjectKind::index`]).
    open: [usize; ObjectKind::ALL.len()],
}

impl HandleTable {
    /// True when a RopLogon created `logon_id` in this session context and it is still open
    /// (the Logon Map of MS-OXCROPS 3.2.5.1).
    pub fn has_logon(&self, logon_id: u8) -> bool {
        matches!(self.objects.get(&logon_handle(logon_id)), Some(ServerObject::Logon(_)))
    }

    /// The open Logon object of `logon_id`.
    pub fn logon(&self, logon_id: u8) -> Option<&Arc<LogonObject>> {
        match self.objects.get(&logon_handle(logon_id)) {
            Some(ServerObject::Logon(l)) => Some(l),
            _ => None,
        }
    }

    /// Every open Logon object.
    pub fn logons(&self) -> Vec<Arc<LogonObject>> {
        self.objects
            .values()
            .filter_map(|o| match o {
                ServerObject::Logon(l) => Some(l.clone()),
                _ => None,
            })
            .collect()
    }

    /// True when an object of logon `logon_id` feeds notifications to the context: an Advise
    /// subscription or a table subscribed to its changes.
    pub fn has_subscriptions(&self, logon_id: u8) -> bool {
        self.objects.values().any(|o| {
            o.logon_id() == logon_id
                && match o {
                    ServerObject::Subscription(_) => true,
                    ServerObject::Table(t) => t.notifications.is_some(),
                    _ => false,
                }
        })
    }

    /// Fails with ecMaxObjsExceeded when the session already holds [`ObjectKind::limit`]
    /// objects of `kind`. A ROP that changes something before it opens its object (RopCreateFolder)
    /// asks first, so that a refused ROP changes nothing.
    pub fn check_room(&self, kind: ObjectKind) -> Result<(), ErrorCode> {
        if self.open[kind.index()] < kind.limit() {
            return Ok(());
        }
        tracing::info!(?kind, limit = kind.limit(), "per-session object limit reached");
        Err(codes::EC_MAX_OBJS_EXCEEDED)
    }

    /// Stores an object and returns its new handle, or ecMaxObjsExceeded (the object is dropped)
    /// when the session already holds as many objects of its kind as [`ObjectKind::limit`]
    /// allows. A Logon object takes its LogonId's logon handle; an active logon with the same
    /// LogonId is released first, with every object opened through it (MS-OXCROPS 3.1.4.2: "If
    /// the client specifies an active LogonID, the current logon is released and replaced with
    /// the new one").
    pub fn insert(&mut self, obj: ServerObject) -> Result<u32, ErrorCode> {
        let logon_id = obj.logon_id();
        let kind = obj.kind();
        let h = if kind == ObjectKind::Logon {
            let h = logon_handle(logon_id);
            if self.objects.contains_key(&h) {
                self.release(h);
            }
            h
        } else {
            self.check_room(kind)?;
            let next = self.next.entry(logon_id).or_insert(0);
            allocate(logon_id, next, |h| self.objects.contains_key(&h))
        };
        self.objects.insert(h, obj);
        self.open[kind.index()] += 1;
        Ok(h)
    }

    /// Removes one object from the map, keeping the per-kind counts.
    fn take(&mut self, handle: u32) -> Option<ServerObject> {
        let obj = self.objects.remove(&handle)?;
        self.open[obj.kind().index()] -= 1;
        Some(obj)
    }

    /// The object behind a handle.
    pub fn get(&self, handle: u32) -> Option<&ServerObject> {
        self.objects.get(&handle)
    }

    /// The object behind a handle, mutably (tables move their cursor).
    pub fn get_mut(&mut self, handle: u32) -> Option<&mut ServerObject> {
        self.objects.get_mut(&handle)
    }

    /// Releases one handle; releasing a logon releases every object of that logon
    /// (MS-OXCROPS 2.2.15.3). Releasing a stream opened for writing commits it
    /// (MS-OXCPRPT 3.2.5.13).
    pub fn release(&mut self, handle: u32) {
        match self.take(handle) {
            Some(ServerObject::Logon(l)) => {
                let id = l.logon_id;
                let opened: Vec<u32> =
                    self.objects.iter().filter(|(_, o)| o.logon_id() == id).map(|(&h, _)| h).collect();
                for h in opened {
                    self.take(h);
                }
            }
            Some(ServerObject::Stream(mut s)) => {
                if let Err(e) = s.commit() {
                    tracing::warn!(error = %e, "committing a stream on release failed");
                }
            }
            _ => {}
        }
    }

    /// Number of live objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when no object is open.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// The handle slots of one ROP buffer (the `ServerObjectHandleTable` the client sent, updated as
/// ROPs create objects).
pub struct Slots {
    /// The slot values.
    pub handles: Vec<u32>,
}

impl Slots {
    /// The server handle in slot `index`, or ecNullObject when the index is outside the table.
    pub fn handle(&self, index: u8) -> Result<u32, ErrorCode> {
        self.handles.get(index as usize).copied().ok_or(codes::EC_NULL_OBJECT)
    }

    /// Puts a new handle into slot `index` (ecNullObject when outside the table).
    pub fn set(&mut self, index: u8, handle: u32) -> Result<(), ErrorCode> {
        match self.handles.get_mut(index as usize) {
            Some(slot) => {
                *slot = handle;
                Ok(())
            }
            None => Err(codes::EC_NULL_OBJECT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sensepost/ruler `mapi/mapi.go` sends `00 00 00 <LogonId>` for the Logon object and
    /// `01 00 00 <LogonId>` for the first object opened after it.
    #[test]
    fn handles_have_exchanges_shape() {
        assert_eq!(logon_handle(0x09), u32::from_le_bytes([0x00, 0x00, 0x00, 0x09]));
        let mut next = 0;
        assert_eq!(allocate(0x09, &mut next, |_| false), u32::from_le_bytes([0x01, 0x00, 0x00, 0x09]));
        assert_eq!(allocate(0x09, &mut next, |_| false), 0x0900_0002);
    }

    #[test]
    fn allocation_skips_the_unused_value_and_live_handles() {
        let mut next = OBJECT_MASK - 1;
        // 0xFF << 24 | 0xFFFFFF would be 0xFFFFFFFF, the "unused slot" value: skipped, and the
        // numbers wrap to 1.
        assert_eq!(allocate(0xFF, &mut next, |_| false), 0xFF00_0001);
        let mut next = 0;
        assert_eq!(allocate(0x00, &mut next, |h| h <= 3), 4);
    }
}
