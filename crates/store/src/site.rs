//! A site: where the directory and the message stores live, on either backend.
//!
//! * A data directory of files (DESIGN.md §3): `DATA/directory.sqlite`,
//!   `DATA/mailboxes/<mailbox-guid>.sqlite` and, with public folders enabled,
//!   `DATA/public.sqlite`.
//! * A PostgreSQL database ([`Site::connect`]), shared by every node of the site: the directory
//!   tables and every mailbox in shared tables keyed by mailbox (design §2.1). A data directory
//!   whose `oxmapi.toml` has a line `database = "postgres://…"` is such a site too
//!   ([`Site::open`]); nothing else is written into that directory.

use std::path::{Path, PathBuf};

use oxmapi_core::guid::Guid;

use std::any::Any;
use std::sync::Arc;

use crate::db::pg::PgPool;
use crate::db::{Backend, PgDatabase};
use crate::directory::{Directory, NewUser, User};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;
use crate::settings;

mod config;
pub mod test_support;

pub use config::{SITE_CONFIG_FILE, SiteConfig};

/// File name of the directory database.
pub const DIRECTORY_FILE: &str = "directory.sqlite";
/// Subdirectory holding the private mailboxes.
pub const MAILBOXES_DIR: &str = "mailboxes";
/// File name of the public folder store.
pub const PUBLIC_FILE: &str = "public.sqlite";

/// Mode of every directory oxmapi creates in a data directory: owner only (the files inside are
/// 0600). It is given explicitly, so a permissive umask (`umask 000`) cannot make a data
/// directory world-writable.
pub const DIRECTORY_MODE: u32 = 0o700;

/// Creates `path` and any missing parent with [`DIRECTORY_MODE`] (directories that exist are
/// left as they are).
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, DIRECTORY_MODE);
    b.create(path)
}

/// A site. Cheap to clone; every call opens what it needs (a file, or a connection of the
/// pool), so one `Site` can be shared by threads and the data can be changed by other processes
/// (`oxmapi admin`) or nodes meanwhile.
#[derive(Clone)]
pub struct Site {
    place: Place,
}

#[derive(Clone)]
enum Place {
    /// A data directory of SQLite files.
    Files(PathBuf),
    /// A PostgreSQL database.
    Postgres {
        /// Its connections.
        pool: PgDatabase,
        /// The URL without its password, for messages.
        url: String,
    },
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.place {
            Place::Files(root) => f.debug_tuple("Site").field(root).finish(),
            Place::Postgres { url, .. } => f.debug_tuple("Site").field(url).finish(),
        }
    }
}

impl Site {
    /// Opens the site of data directory `root`: the PostgreSQL database its `oxmapi.toml` names
    /// (see [`SiteConfig`]), or else the files in it, creating the directory, `mailboxes/` and
    /// the directory database if missing (directories private to this user,
    /// [`create_private_dir`]).
    pub fn open(root: &Path) -> StoreResult<Site> {
        if let Some(url) = SiteConfig::read(root)?.database {
            return Site::connect(&url);
        }
        let mailboxes = root.join(MAILBOXES_DIR);
        create_private_dir(&mailboxes).map_err(|e| StoreError::io_at(&mailboxes, e))?;
        let site = Site { place: Place::Files(root.to_path_buf()) };
        site.directory()?;
        Ok(site)
    }

    /// Connects to the PostgreSQL site at `url` (`postgres://user@host:port/database`),
    /// creating or upgrading its schema.
    pub fn connect(url: &str) -> StoreResult<Site> {
        Site::connect_keeping(url, None)
    }

    /// [`Site::connect`], keeping `keep` alive as long as the site or anything opened from it
    /// (test support: a throwaway database dropped after its last user).
    pub(crate) fn connect_keeping(url: &str, keep: Option<Arc<dyn Any + Send + Sync>>) -> StoreResult<Site> {
        config::check_database_url(url)?;
        Site::on_pool(url, PgPool::connect(url)?, keep)
    }

    /// [`Site::open`] for the bulk seeding of benchmarks ONLY (`oxmapi bench contents` fills
    /// its large folders through the store API before it measures). On a PostgreSQL site its
    /// connections commit with `synchronous_commit = off`
    /// ([`PgPool::connect_for_bench_seeding`]: a commit does not wait for the disk; a crash
    /// may lose the last commits but never consistency), the counterpart of seeding an SQLite
    /// mailbox on a tmpfs copy. A site of files opens as with [`Site::open`] (the bench does
    /// its own tmpfs copy). Never serve anyone from such a site: every other way of opening
    /// one commits durably.
    pub fn open_for_bench_seeding(root: &Path) -> StoreResult<Site> {
        match SiteConfig::read(root)?.database {
            Some(url) => {
                config::check_database_url(&url)?;
                Site::on_pool(&url, PgPool::connect_for_bench_seeding(&url)?, None)
            }
            None => Site::open(root),
        }
    }

    /// The PostgreSQL site of `url` reached through `pool`, its schema created or upgraded.
    fn on_pool(url: &str, pool: PgPool, keep: Option<Arc<dyn Any + Send + Sync>>) -> StoreResult<Site> {
        pool.migrate()?;
        let pool = match keep {
            Some(k) => PgDatabase::keeping(pool, k),
            None => PgDatabase::new(pool),
        };
        Ok(Site { place: Place::Postgres { pool, url: crate::db::pg::redacted(url) } })
    }

    /// Names the node of a multi-node site this process is (`oxmapi serve --node-id`): the
    /// mailboxes opened from now on write it into their change-log rows and, when catching up
    /// ([`MessageStore::catch_up`]), skip the rows their own node wrote (they announced those
    /// already). Nothing changes on a site of files.
    pub fn set_node(&mut self, node: u16) {
        if let Place::Postgres { pool, .. } = &mut self.place {
            pool.set_node(Some(node));
        }
    }

    /// Deletes the change-log rows older than `older_than` (every mailbox; PostgreSQL only,
    /// 0 on files) and returns how many went; a node runs it every
    /// [`crate::mailbox::change_log::SWEEP_INTERVAL`] with
    /// [`crate::mailbox::change_log::RETENTION`].
    pub fn sweep_change_log(&self, older_than: std::time::Duration) -> StoreResult<u64> {
        match &self.place {
            Place::Files(_) => Ok(0),
            Place::Postgres { pool, .. } => crate::mailbox::change_log::sweep(pool, older_than),
        }
    }

    /// Of the mailboxes named with a store's cursor ([`MessageStore::log_cursor`]), those
    /// whose store has change-log rows to catch up (one query; see
    /// [`crate::mailbox::change_log::behind`]); empty on a site of files.
    pub fn mailboxes_behind(&self, cursors: &[(i64, i64)]) -> StoreResult<Vec<i64>> {
        match &self.place {
            Place::Files(_) => Ok(Vec::new()),
            Place::Postgres { pool, .. } => crate::mailbox::change_log::behind(pool, cursors),
        }
    }

    /// A connection that waits for the wake-ups of the change log (PostgreSQL `LISTEN`, see
    /// [`crate::mailbox::change_log::ChangeListener`]); `None` on a site of files.
    pub fn change_listener(&self) -> StoreResult<Option<crate::mailbox::change_log::ChangeListener>> {
        match &self.place {
            Place::Files(_) => Ok(None),
            Place::Postgres { pool, .. } => crate::mailbox::change_log::ChangeListener::open(pool).map(Some),
        }
    }

    /// The PostgreSQL database of a PostgreSQL site (for `crate::migrate`).
    pub(crate) fn pg_database(&self) -> Option<&PgDatabase> {
        match &self.place {
            Place::Postgres { pool, .. } => Some(pool),
            Place::Files(_) => None,
        }
    }

    /// Which engine holds the site.
    pub fn backend(&self) -> Backend {
        match self.place {
            Place::Files(_) => Backend::Sqlite,
            Place::Postgres { .. } => Backend::Postgres,
        }
    }

    /// The data directory of a site of files (`None` for a PostgreSQL site).
    pub fn root(&self) -> Option<&Path> {
        match &self.place {
            Place::Files(root) => Some(root),
            Place::Postgres { .. } => None,
        }
    }

    /// A name of the site that every node and process using it agrees on and that survives
    /// restarts (servers derive identifiers from it, e.g. the address book server's GUID): the
    /// canonical data directory's path for files; for PostgreSQL `postgres:` followed by the cluster's system identifier and
    /// the database name (the same on every node, whatever host name each uses, and on a
    /// streaming standby promoted after a failover).
    pub fn stable_identity(&self) -> StoreResult<String> {
        match &self.place {
            Place::Files(root) => {
                let path = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
                Ok(path.to_string_lossy().into_owned())
            }
            Place::Postgres { pool, .. } => {
                let conn = pool.pool().get()?;
                let rows = conn.query(
                    "SELECT CAST(system_identifier AS TEXT), current_database() FROM pg_control_system()",
                    &[],
                )?;
                let row = rows
                    .first()
                    .ok_or_else(|| StoreError::Failed("pg_control_system() returned no row".into()))?;
                let text = |i: usize| match row.get(i) {
                    Some(crate::db::Value::Text(t)) => t.clone(),
                    _ => String::new(),
                };
                Ok(format!("postgres:{}/{}", text(0), text(1)))
            }
        }
    }

    /// Where the site is, for messages: the data directory, or the database URL without its
    /// password.
    pub fn describe(&self) -> String {
        match &self.place {
            Place::Files(root) => root.display().to_string(),
            Place::Postgres { url, .. } => url.clone(),
        }
    }

    /// A fresh connection to the directory.
    pub fn directory(&self) -> StoreResult<Directory> {
        match &self.place {
            Place::Files(root) => Directory::open(&root.join(DIRECTORY_FILE)),
            Place::Postgres { pool, .. } => Directory::open_in(pool),
        }
    }

    /// Creates a user and their private mailbox. When the mailbox cannot be made, the user is
    /// removed again and the error returned.
    pub fn add_user(&self, new: &NewUser) -> StoreResult<User> {
        let dir = self.directory()?;
        let user = dir.add_user(new)?;
        let made = match &self.place {
            Place::Files(_) => {
                self.file_of(&user.mailbox_guid).and_then(|p| MessageStore::create_private(&p, &user))
            }
            Place::Postgres { pool, .. } => MessageStore::create_private_in(pool, &user),
        };
        match made {
            Ok(_) => Ok(user),
            Err(e) => {
                let _ = dir.delete_user_row(user.id);
                Err(e)
            }
        }
    }

    /// Where the mailbox with this GUID lives in a site of files: `mailboxes/<guid>.sqlite`
    /// (GUID in lower-case hex without braces); `None` in a PostgreSQL site.
    pub fn mailbox_path(&self, mailbox_guid: &Guid) -> Option<PathBuf> {
        let Place::Files(root) = &self.place else { return None };
        let g = mailbox_guid.to_string();
        let name = g.trim_start_matches('{').trim_end_matches('}').to_ascii_lowercase();
        Some(root.join(MAILBOXES_DIR).join(format!("{name}.sqlite")))
    }

    fn file_of(&self, mailbox_guid: &Guid) -> StoreResult<PathBuf> {
        self.mailbox_path(mailbox_guid)
            .ok_or_else(|| StoreError::Failed("a PostgreSQL site has no mailbox files".into()))
    }

    /// Brings `owner`'s delegate list (MS-OXODLGT Delegate Information object,
    /// [`crate::mailbox::delegates`]) in step with the Send on Behalf grants of the directory:
    /// every user granted send-on-behalf on `owner`'s mailbox, by display name and address
    /// book entry ID. Run after each grant or revoke.
    pub fn sync_delegate_list(&self, owner: &str) -> StoreResult<()> {
        use crate::mailbox::delegates::Delegate;
        let dir = self.directory()?;
        let owner = dir.require_user(owner)?;
        let mut delegates = Vec::new();
        for name in dir.grantees(&owner.name, crate::directory::Access::SendOnBehalf)? {
            let u = dir.require_user(&name)?;
            let entry_id = crate::mailbox::delivery::user_entry_id(&u.legacy_dn);
            delegates.push(Delegate { display_name: u.display_name, entry_id });
        }
        self.open_mailbox(&owner)?.set_delegate_list(&delegates)
    }

    /// Opens a user's mailbox.
    pub fn open_mailbox(&self, user: &User) -> StoreResult<MessageStore> {
        self.open_mailbox_by_guid(&user.mailbox_guid).map_err(|e| match e {
            StoreError::NotFound(why) => StoreError::NotFound(format!(
                "the mailbox of {:?} is missing ({why}); restore it from a backup",
                user.name
            )),
            StoreError::Corrupt(why) => StoreError::Corrupt(format!("{why} (user {:?})", user.name)),
            e => e,
        })
    }

    /// Opens the mailbox with this GUID; NotFound when the site has none.
    pub fn open_mailbox_by_guid(&self, mailbox_guid: &Guid) -> StoreResult<MessageStore> {
        let store = match &self.place {
            Place::Postgres { pool, .. } => MessageStore::open_in(pool, mailbox_guid)?,
            Place::Files(_) => {
                let path = self.file_of(mailbox_guid)?;
                if !path.exists() {
                    return Err(StoreError::NotFound(format!("{} does not exist", path.display())));
                }
                MessageStore::open(&path)?
            }
        };
        if store.mailbox_guid() != *mailbox_guid {
            return Err(StoreError::Corrupt(format!(
                "{} holds mailbox {}, but mailbox {mailbox_guid} was asked for",
                store.path().map(|p| p.display().to_string()).unwrap_or_else(|| self.describe()),
                store.mailbox_guid(),
            )));
        }
        Ok(store)
    }

    /// The mailboxes whose queued submissions the delivery worker of node `node` should look
    /// at. On PostgreSQL: those with a submission `node` may claim now
    /// (`mailbox::delivery::lease`: never claimed, its lease ran out, or `node` holds it), found
    /// by one query over the shared submissions table however many mailboxes there are, so
    /// workers can ask every few seconds. In a site of files (one node, asked at start-up): every
    /// mailbox with a queued submission, also one that waits out the pause after a failed run
    /// (the worker tries it again later). A mailbox file that is missing is left out; one that
    /// cannot be read (busy, damaged) is listed, so the worker's attempt reports why.
    pub fn queued_mailboxes(&self, node: u16) -> StoreResult<Vec<Guid>> {
        match &self.place {
            Place::Postgres { pool, .. } => crate::mailbox::delivery::lease::queued_mailboxes(pool, node),
            Place::Files(_) => {
                let mut out = Vec::new();
                for user in self.directory()?.users()? {
                    let g = user.mailbox_guid;
                    match self.open_mailbox_by_guid(&g).and_then(|s| s.pending_submissions()) {
                        Ok(p) if p.is_empty() => {}
                        Err(StoreError::NotFound(_)) => {}
                        Ok(_) | Err(_) => out.push(g),
                    }
                }
                Ok(out)
            }
        }
    }

    /// Where the public folder store lives in a site of files (`None` in a PostgreSQL site).
    pub fn public_path(&self) -> Option<PathBuf> {
        let Place::Files(root) = &self.place else { return None };
        Some(root.join(PUBLIC_FILE))
    }

    /// Whether public folders are enabled (the `public-folders` setting).
    pub fn public_folders_enabled(&self) -> StoreResult<bool> {
        self.directory()?.public_folders_setting()
    }

    /// Switches public folders on (creating the public store if missing) or off (the store is
    /// kept, only no longer offered).
    pub fn set_public_folders(&self, enabled: bool) -> StoreResult<()> {
        if enabled {
            self.open_or_create_public()?;
        }
        let value = if enabled { "enabled" } else { "disabled" };
        self.directory()?.set_setting(settings::PUBLIC_FOLDERS, value)
    }

    /// The public folder store, `None` when public folders are disabled. When enabled but the
    /// store is missing (enabled with `oxmapi admin set public-folders enabled`), it is created.
    pub fn open_public(&self) -> StoreResult<Option<MessageStore>> {
        if !self.public_folders_enabled()? {
            return Ok(None);
        }
        self.open_or_create_public().map(Some)
    }

    fn open_or_create_public(&self) -> StoreResult<MessageStore> {
        match &self.place {
            Place::Postgres { pool, .. } => match crate::mailbox::public_guid(pool)? {
                Some(g) => MessageStore::open_in(pool, &g),
                None => MessageStore::create_public_in(pool),
            },
            Place::Files(root) => {
                let path = root.join(PUBLIC_FILE);
                if path.exists() {
                    return MessageStore::open(&path);
                }
                match MessageStore::create_public(&path) {
                    Err(StoreError::Collision(_)) => MessageStore::open(&path),
                    other => other,
                }
            }
        }
    }
}
