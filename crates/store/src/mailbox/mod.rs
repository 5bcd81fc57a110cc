//! Message stores: a private mailbox or the public folder store, one SQLite file each or one
//! mailbox of a PostgreSQL site (MS-OXCSTOR; folders MS-OXCFOLD; special folders MS-OXOSFLD).
//!
//! A [`MessageStore`] owns one connection behind a mutex (on PostgreSQL: a pool, a connection
//! checked out and scoped to the mailbox while locked), so it is `Send + Sync` and can be
//! shared by the sessions logged on to it; several `MessageStore`s (or processes, or nodes) may
//! open the same mailbox, and their writes queue on SQLite's write lock (busy timeout 5 s) or on
//! the mailbox's row in `store.mailboxes` (`commit`). Every write
//! commits before the call returns, and then hands what it changed to the store's event sink
//! (`commit`, [`events`]). Only the writes made through this `MessageStore` are announced at
//! once: a server should open each store once and share it. On PostgreSQL every such write also
//! goes into the mailbox's durable change log, from which the stores of other nodes (and of
//! other processes) replay it with [`MessageStore::catch_up`] ([`change_log`]).

pub mod change_log;
mod commit;
mod counts;
mod create;
pub mod delegates;
pub mod delivery;
pub mod events;
mod folders;
mod ids;
mod logon;
pub mod messages;
mod named;
pub mod per_user;
pub mod permissions;
mod properties;
mod receive;
mod registry;

pub(crate) use registry::{public_guid, unscoped as unscoped_conn};
mod representing;
pub mod rules;
pub use representing::{SendIdentity, SendRights};
pub(crate) mod schema;
pub mod search;
mod special;
mod submission;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::db::{Conn, ConnGuard, Handle, OptionalExt};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;

pub use folders::{DeleteFolderFlags, FolderType, HierarchyRow};
pub use logon::LogonContext;
pub use messages::{
    AttachmentContent, AttachmentDraft, ContentsFilter, ContentsRow, CopyOutcome, FilterValue,
    MessageContent, MessageDraft, Object, ObjectMut, RecipientRow, StoreStream, StreamIo, StreamMode,
    SubObjects, contents_prefilter, write_refusal,
};
pub use named::{FIRST_NAMED_ID, LAST_NAMED_ID};
pub use receive::{ReceiveFolderEntry, check_message_class};
pub use special::{PRIVATE_LOGON_FOLDERS, PUBLIC_LOGON_FOLDERS, SpecialFolder};
pub use submission::{AbortOutcome, Submission, SubmitRefusal};

use crate::directory::User;
use crate::error::{StoreError, StoreResult};
use crate::sqlite;

/// Which kind of store a file holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum StoreKind {
    /// A user's mailbox.
    Private,
    /// The public folder store.
    Public,
}

impl StoreKind {
    fn as_str(self) -> &'static str {
        match self {
            StoreKind::Private => "private",
            StoreKind::Public => "public",
        }
    }
}

/// The owner of a private mailbox, as recorded when the mailbox was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreOwner {
    /// Account name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Legacy DN.
    pub legacy_dn: String,
    /// SMTP address.
    pub smtp_address: String,
}

impl StoreOwner {
    /// The owner record of `user`'s mailbox.
    fn of(user: &User) -> StoreOwner {
        StoreOwner {
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            legacy_dn: user.legacy_dn.clone(),
            smtp_address: user.smtp_address.clone(),
        }
    }
}

/// A private mailbox or the public folder store.
pub struct MessageStore {
    /// The database: an SQLite file's connection, or a mailbox of a PostgreSQL site.
    db: Handle,
    /// The file, on SQLite.
    path: Option<PathBuf>,
    kind: StoreKind,
    mailbox_guid: Guid,
    replica_guid: Guid,
    owner: Option<StoreOwner>,
    special: BTreeMap<SpecialFolder, ObjectId>,
    /// Where committed transactions' events go ([`MessageStore::set_event_sink`]).
    sink: std::sync::RwLock<Option<events::EventSink>>,
    /// The events of the transaction running now (under the connection lock; see `commit`).
    pending: Mutex<commit::Pending>,
    /// Where the store is in its mailbox's change log (PostgreSQL; [`change_log`]).
    follow: change_log::Follower,
}

/// The replica id of the store's own database (MS-OXCDATA 2.2.1.1: `ReplicaId` 1).
pub const LOCAL_REPLICA_ID: u16 = 1;

impl MessageStore {
    /// Creates the private mailbox of `owner` at `path` (which must not exist) with the
    /// MS-OXOSFLD special folders and the default receive folders, and opens it. The file is
    /// built under a temporary name and linked into place only when complete.
    pub fn create_private(path: &Path, owner: &User) -> StoreResult<MessageStore> {
        let mailbox_guid = owner.mailbox_guid;
        create::create_file(path, StoreKind::Private, mailbox_guid, Some(&StoreOwner::of(owner)))?;
        MessageStore::open(path)
    }

    /// Creates the public folder store at `path` (which must not exist), with a random mailbox
    /// GUID, and opens it.
    pub fn create_public(path: &Path) -> StoreResult<MessageStore> {
        create::create_file(path, StoreKind::Public, Guid::new_random(), None)?;
        MessageStore::open(path)
    }

    /// Opens an existing store file, upgrading its schema if it is older than this build.
    pub fn open(path: &Path) -> StoreResult<MessageStore> {
        let conn = Conn::Sqlite(sqlite::open(path, schema::KIND, schema::MIGRATIONS, false)?);
        messages::backfill_sort_keys(&conn)?;
        let loaded = Loaded::read(&conn, &path.display().to_string())?;
        let Conn::Sqlite(conn) = conn else { unreachable!("opened as SQLite") };
        Ok(MessageStore::from_loaded(Handle::sqlite(conn), Some(path.to_path_buf()), loaded))
    }

    fn from_loaded(db: Handle, path: Option<PathBuf>, l: Loaded) -> MessageStore {
        let node = db.postgres().and_then(|(pool, _)| pool.node());
        MessageStore {
            follow: change_log::Follower::new(node),
            db,
            path,
            kind: l.kind,
            mailbox_guid: l.mailbox_guid,
            replica_guid: l.replica_guid,
            owner: l.owner,
            special: l.special,
            sink: Default::default(),
            pending: Default::default(),
        }
    }

    /// Sets where the events of committed transactions go (the server's notification hub);
    /// `None` stops them. The sink is called once per transaction that changed something
    /// visible, with its events, in commit order, while the store is locked.
    pub fn set_event_sink(&self, sink: Option<events::EventSink>) {
        *self.sink.write().unwrap_or_else(PoisonError::into_inner) = sink;
    }

    /// Locks the store and returns its connection (on PostgreSQL a pooled connection scoped to
    /// this mailbox).
    pub(crate) fn lock(&self) -> StoreResult<ConnGuard<'_>> {
        Ok(self.db.lock()?)
    }

    /// The file this store lives in (`None` on PostgreSQL).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The database engine this store lives in.
    pub fn backend(&self) -> crate::db::Backend {
        self.db.backend()
    }

    /// Private mailbox or public folders.
    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    /// The mailbox GUID: the owner's for a private mailbox (RopLogon `MailboxGuid`, also
    /// PR_STORE_RECORD_KEY), a random GUID made at creation for the public store.
    pub fn mailbox_guid(&self) -> Guid {
        self.mailbox_guid
    }

    /// The replica (database) GUID of replica id 1 (RopLogon `ReplGuid`), random at creation.
    pub fn replica_guid(&self) -> Guid {
        self.replica_guid
    }

    /// The replica id of this store's own objects: 1 (RopLogon `ReplId`).
    pub fn replica_id(&self) -> u16 {
        LOCAL_REPLICA_ID
    }

    /// The owner of a private mailbox.
    pub fn owner(&self) -> Option<&StoreOwner> {
        self.owner.as_ref()
    }

    /// The 13 `FolderIds` of the RopLogon response, in the order of MS-OXCSTOR 2.2.1.1.3
    /// (private) or 2.2.1.1.4 (public; zero for folders this store does not have).
    pub fn logon_folder_ids(&self) -> [ObjectId; 13] {
        let mut out = [ObjectId::ZERO; 13];
        for (i, slot) in out.iter_mut().enumerate() {
            let which = match self.kind {
                StoreKind::Private => Some(PRIVATE_LOGON_FOLDERS[i]),
                StoreKind::Public => PUBLIC_LOGON_FOLDERS[i],
            };
            *slot = which.and_then(|w| self.special_folder(w)).unwrap_or(ObjectId::ZERO);
        }
        out
    }

    /// The FID of a special folder, if this store has it.
    pub fn special_folder(&self, which: SpecialFolder) -> Option<ObjectId> {
        self.special.get(&which).copied()
    }

    /// Which special folder `fid` is, if any.
    pub fn special_folder_kind(&self, fid: ObjectId) -> Option<SpecialFolder> {
        self.special.iter().find(|(_, f)| **f == fid).map(|(w, _)| *w)
    }

    /// RopGetStoreState `StoreState` (MS-OXCSTOR 3.2.5.5): STORE_HAS_SEARCHES when the mailbox
    /// has persisted search folders; this store has none yet, so 0.
    pub fn store_state(&self) -> u32 {
        0
    }

    /// A number that changes whenever the store changes: on SQLite after every write through
    /// this store and after writes by other connections to the same file (`PRAGMA
    /// data_version`); on PostgreSQL the mailbox's `generation`, which every write bumps on
    /// whichever node ([`MessageStore::write`]). Open tables compare it to reload their rows
    /// only when something changed.
    pub fn generation(&self) -> StoreResult<u64> {
        let conn = self.lock()?;
        match (conn.sqlite(), self.db.postgres()) {
            (Some(c), _) => sqlite::change_mark(c),
            (None, Some((_, Some(mbx)))) => {
                Ok(conn.query_row("SELECT generation FROM store.mailboxes WHERE mbx = ?1", [mbx], |r| {
                    r.get::<_, i64>(0)
                })? as u64)
            }
            (None, _) => Err(StoreError::Failed("a PostgreSQL message store without a mailbox id".into())),
        }
    }

    /// Checks the store: on SQLite `PRAGMA integrity_check` (true when SQLite answers "ok");
    /// on PostgreSQL the store's own invariants (its store record, root folder and replica 1
    /// are there), since the server checks its own pages.
    pub fn integrity_check(&self) -> StoreResult<bool> {
        let conn = self.lock()?;
        match conn.sqlite() {
            Some(c) => sqlite::integrity_ok(c),
            None => match Loaded::read(&conn, "in the database") {
                Ok(_) => Ok(true),
                Err(StoreError::Corrupt(_)) => Ok(false),
                Err(e) => Err(e),
            },
        }
    }
}

/// What opening a store reads once: its identity, owner and special folders.
struct Loaded {
    kind: StoreKind,
    mailbox_guid: Guid,
    replica_guid: Guid,
    owner: Option<StoreOwner>,
    special: BTreeMap<SpecialFolder, ObjectId>,
}

impl Loaded {
    /// Reads them from a store's database; `path` names it in messages.
    fn read(conn: &Conn, path: &str) -> StoreResult<Loaded> {
        let (kind, guid, owner) = conn
            .query_row(
                "SELECT kind, mailbox_guid, owner_name, owner_display_name, owner_legacy_dn, \
                 owner_smtp_address FROM store WHERE singleton = 1",
                [],
                |r| {
                    let owner = match r.get::<_, Option<String>>(2)? {
                        Some(name) => Some(StoreOwner {
                            name,
                            display_name: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                            legacy_dn: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                            smtp_address: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        }),
                        None => None,
                    };
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, owner))
                },
            )
            .optional()?
            .ok_or_else(|| corrupt(path, "has no store record"))?;
        let kind = match kind.as_str() {
            "private" => StoreKind::Private,
            "public" => StoreKind::Public,
            _ => return Err(corrupt(path, "has an unknown store kind")),
        };
        if kind == StoreKind::Private && owner.is_none() {
            return Err(corrupt(path, "is a private mailbox without an owner"));
        }
        let mailbox_guid = guid_from(&guid).ok_or_else(|| corrupt(path, "has a malformed mailbox GUID"))?;
        let replica: Option<Vec<u8>> = conn
            .query_row("SELECT replica_guid FROM replicas WHERE replica_id = ?1", [LOCAL_REPLICA_ID], |r| {
                r.get(0)
            })
            .optional()?;
        let replica_guid = replica
            .as_deref()
            .and_then(guid_from)
            .ok_or_else(|| corrupt(path, "has no replica GUID for replica 1"))?;
        let mut special = BTreeMap::new();
        {
            let mut stmt = conn.prepare("SELECT special, fid FROM folders WHERE special IS NOT NULL")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (code, fid) = row?;
                let which = u16::try_from(code)
                    .ok()
                    .and_then(SpecialFolder::from_code)
                    .ok_or_else(|| corrupt(path, "has an unknown special folder code"))?;
                special.insert(which, ObjectId::new(LOCAL_REPLICA_ID, fid as u64));
            }
        }
        if !special.contains_key(&SpecialFolder::Root) {
            return Err(corrupt(path, "has no root folder"));
        }
        Ok(Loaded { kind, mailbox_guid, replica_guid, owner, special })
    }
}

fn corrupt(path: &str, what: &str) -> StoreError {
    StoreError::Corrupt(format!("message store {path} {what}; restore it from a backup"))
}

pub(crate) fn guid_from(b: &[u8]) -> Option<Guid> {
    <[u8; 16]>::try_from(b).ok().map(Guid)
}
