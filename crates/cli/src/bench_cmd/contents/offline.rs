//! Seeding a mailbox offline: the server is stopped, the user's mailbox file is copied to tmpfs
//! (`/dev/shm`, else the temporary directory), filled there with the store API, and copied back
//! before the server starts again. On tmpfs a commit costs no disk fsync, so the store's own
//! write path (one transaction per saved message, as through the server) stays fast.

use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_store::{MessageStore, Site, User};

use super::super::fail;

/// `p` with `suffix` appended to its file name (`-wal`, `-shm`, `.seeded`).
fn with(p: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", p.display()))
}

fn io(what: &str, p: &Path, e: std::io::Error) -> MapiError {
    fail(format!("{what} {}: {e}", p.display()))
}

/// Runs `fill` on a tmpfs copy of `user`'s mailbox in the (stopped) data directory `data`, then
/// puts the filled copy in place of the mailbox file. Returns what `fill` returned and the size
/// of the mailbox file afterwards, in bytes.
pub(super) fn fill_mailbox<T>(
    data: &Path,
    user: &User,
    fill: impl FnOnce(&MessageStore) -> Result<T, MapiError>,
) -> Result<(T, u64), MapiError> {
    let mailbox = Site::open(data)?
        .mailbox_path(&user.mailbox_guid)
        .ok_or_else(|| fail("the offline fill works on a data directory of files, not a database"))?;
    let shm =
        tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).map_err(|e| fail(e.to_string()))?;
    let work = shm.path().join("mailbox.sqlite");
    // The server was killed: its WAL may hold committed pages; SQLite replays it on open.
    for suffix in ["", "-wal"] {
        let from = with(&mailbox, suffix);
        if from.exists() {
            std::fs::copy(&from, with(&work, suffix)).map_err(|e| io("copying", &from, e))?;
        }
    }
    let value = {
        let store = MessageStore::open(&work)?;
        fill(&store)?
    };
    for suffix in ["-wal", "-shm"] {
        let stale = with(&mailbox, suffix);
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(|e| io("removing", &stale, e))?;
        }
    }
    let tmp = with(&mailbox, ".seeded");
    std::fs::copy(&work, &tmp).map_err(|e| io("copying", &work, e))?;
    if with(&work, "-wal").exists() {
        std::fs::copy(with(&work, "-wal"), with(&mailbox, "-wal")).map_err(|e| io("copying", &work, e))?;
    }
    std::fs::rename(&tmp, &mailbox).map_err(|e| io("renaming", &tmp, e))?;
    let bytes = std::fs::metadata(&mailbox).map(|m| m.len()).unwrap_or(0);
    Ok((value, bytes))
}
