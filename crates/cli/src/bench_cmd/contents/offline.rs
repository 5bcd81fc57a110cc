//! Seeding a mailbox offline: the server is stopped and the caller's `fill` writes through the
//! store API (`MessageStore`, one transaction per saved message, as through the server) — the
//! same fill on either backend; only where the mailbox lives while it is filled differs, each
//! made fast the honest way, without skipping any of the store's work:
//!
//! * SQLite: the user's mailbox file is copied to tmpfs (`/dev/shm`, else the temporary
//!   directory), filled there and copied back. On tmpfs a commit costs no disk fsync.
//! * PostgreSQL: straight into the bench's database, through a site opened with
//!   [`Site::open_for_bench_seeding`], whose connections commit with `synchronous_commit = off`
//!   (a commit does not wait for its WAL to reach the disk). The server sees the rows at its
//!   next read: its tables read the database.

use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_store::db::Backend;
use oxmapi_store::{MessageStore, Site, User};
use oxmapi_wire::describe::Node;

use super::super::fail;

/// What a fill left behind.
pub(super) struct Filled<T> {
    /// What the fill returned.
    pub(super) value: T,
    /// The size of the mailbox file afterwards, in bytes (SQLite; `None` on PostgreSQL, where
    /// every mailbox shares the tables).
    mailbox_bytes: Option<u64>,
    /// Which backend holds the mailbox.
    backend: Backend,
}

impl<T> Filled<T> {
    /// Where the fill wrote, for the `method` of the output.
    pub(super) fn place(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "on a tmpfs copy of the mailbox file",
            Backend::Postgres => "straight into the PostgreSQL database, synchronous_commit = off",
        }
    }

    /// The size of the mailbox file as an output field (SQLite only).
    pub(super) fn size_field(&self) -> Option<(&'static str, Node)> {
        self.mailbox_bytes
            .map(|b| ("mailbox_file_mib", Node::Float((b as f64 / 1048576.0 * 10.0).round() / 10.0)))
    }
}

/// `p` with `suffix` appended to its file name (`-wal`, `-shm`, `.seeded`).
fn with(p: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", p.display()))
}

fn io(what: &str, p: &Path, e: std::io::Error) -> MapiError {
    fail(format!("{what} {}: {e}", p.display()))
}

/// Runs `fill` on `user`'s mailbox in the (stopped) server's site of data directory `data`:
/// on a tmpfs copy of the mailbox file, put in place afterwards (SQLite), or in the database
/// with commits that do not wait for the disk (PostgreSQL).
pub(super) fn fill_mailbox<T>(
    data: &Path,
    user: &User,
    fill: impl FnOnce(&MessageStore) -> Result<T, MapiError>,
) -> Result<Filled<T>, MapiError> {
    let site = Site::open_for_bench_seeding(data)?;
    match site.mailbox_path(&user.mailbox_guid) {
        Some(mailbox) => {
            let (value, bytes) = fill_on_tmpfs(&mailbox, fill)?;
            Ok(Filled { value, mailbox_bytes: Some(bytes), backend: Backend::Sqlite })
        }
        None => {
            let value = fill(&site.open_mailbox(user)?)?;
            Ok(Filled { value, mailbox_bytes: None, backend: site.backend() })
        }
    }
}

/// Runs `fill` on a tmpfs copy of the SQLite file `mailbox`, then puts the filled copy in its
/// place. Returns what `fill` returned and the size of the file afterwards, in bytes.
fn fill_on_tmpfs<T>(
    mailbox: &Path,
    fill: impl FnOnce(&MessageStore) -> Result<T, MapiError>,
) -> Result<(T, u64), MapiError> {
    let shm =
        tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).map_err(|e| fail(e.to_string()))?;
    let work = shm.path().join("mailbox.sqlite");
    // The server was killed: its WAL may hold committed pages; SQLite replays it on open.
    for suffix in ["", "-wal"] {
        let from = with(mailbox, suffix);
        if from.exists() {
            std::fs::copy(&from, with(&work, suffix)).map_err(|e| io("copying", &from, e))?;
        }
    }
    let value = {
        let store = MessageStore::open(&work)?;
        fill(&store)?
    };
    for suffix in ["-wal", "-shm"] {
        let stale = with(mailbox, suffix);
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(|e| io("removing", &stale, e))?;
        }
    }
    let tmp = with(mailbox, ".seeded");
    std::fs::copy(&work, &tmp).map_err(|e| io("copying", &work, e))?;
    if with(&work, "-wal").exists() {
        std::fs::copy(with(&work, "-wal"), with(mailbox, "-wal")).map_err(|e| io("copying", &work, e))?;
    }
    std::fs::rename(&tmp, mailbox).map_err(|e| io("renaming", &tmp, e))?;
    let bytes = std::fs::metadata(mailbox).map(|m| m.len()).unwrap_or(0);
    Ok((value, bytes))
}
