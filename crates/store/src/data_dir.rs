//! The data directory (DESIGN.md §3): `DATA/directory.sqlite`,
//! `DATA/mailboxes/<mailbox-guid>.sqlite` and, with public folders enabled, `DATA/public.sqlite`.

use std::path::{Path, PathBuf};

use oxmapi_core::guid::Guid;

use crate::directory::{Directory, NewUser, User};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;
use crate::settings;

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

/// A data directory. Cheap to clone; every call opens what it needs, so one `DataDir` can be
/// shared by threads and the files can be changed by other processes (`oxmapi admin`) meanwhile.
#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Opens a data directory, creating it, `mailboxes/` and the directory database if missing
    /// (directories private to this user, [`create_private_dir`]).
    pub fn open(root: &Path) -> StoreResult<DataDir> {
        let mailboxes = root.join(MAILBOXES_DIR);
        create_private_dir(&mailboxes).map_err(|e| StoreError::io_at(&mailboxes, e))?;
        let dd = DataDir { root: root.to_path_buf() };
        dd.directory()?;
        Ok(dd)
    }

    /// The directory's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A fresh connection to the directory database.
    pub fn directory(&self) -> StoreResult<Directory> {
        Directory::open(&self.root.join(DIRECTORY_FILE))
    }

    /// Creates a user and their private mailbox. When the mailbox cannot be made, the user is
    /// removed again and the error returned.
    pub fn add_user(&self, new: &NewUser) -> StoreResult<User> {
        let dir = self.directory()?;
        let user = dir.add_user(new)?;
        match MessageStore::create_private(&self.mailbox_path(&user.mailbox_guid), &user) {
            Ok(_) => Ok(user),
            Err(e) => {
                let _ = dir.delete_user_row(user.id);
                Err(e)
            }
        }
    }

    /// Where the mailbox with this GUID lives: `mailboxes/<guid>.sqlite` (GUID in lower-case
    /// hex without braces).
    pub fn mailbox_path(&self, mailbox_guid: &Guid) -> PathBuf {
        let g = mailbox_guid.to_string();
        let name = g.trim_start_matches('{').trim_end_matches('}').to_ascii_lowercase();
        self.root.join(MAILBOXES_DIR).join(format!("{name}.sqlite"))
    }

    /// Opens a user's mailbox.
    pub fn open_mailbox(&self, user: &User) -> StoreResult<MessageStore> {
        let path = self.mailbox_path(&user.mailbox_guid);
        let store = MessageStore::open(&path).map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::NotFound(format!(
                "the mailbox of {:?} is missing ({} does not exist); restore it from a backup",
                user.name,
                path.display()
            )),
            e => e,
        })?;
        if store.mailbox_guid() != user.mailbox_guid {
            return Err(StoreError::Corrupt(format!(
                "{} holds mailbox {}, but user {:?} owns mailbox {}",
                path.display(),
                store.mailbox_guid(),
                user.name,
                user.mailbox_guid
            )));
        }
        Ok(store)
    }

    /// Where the public folder store lives.
    pub fn public_path(&self) -> PathBuf {
        self.root.join(PUBLIC_FILE)
    }

    /// Whether public folders are enabled (the `public-folders` setting).
    pub fn public_folders_enabled(&self) -> StoreResult<bool> {
        self.directory()?.public_folders_setting()
    }

    /// Switches public folders on (creating `public.sqlite` if missing) or off (the file is
    /// kept, only no longer offered).
    pub fn set_public_folders(&self, enabled: bool) -> StoreResult<()> {
        if enabled {
            self.open_or_create_public()?;
        }
        let value = if enabled { "enabled" } else { "disabled" };
        self.directory()?.set_setting(settings::PUBLIC_FOLDERS, value)
    }

    /// The public folder store, `None` when public folders are disabled. When enabled but the
    /// file is missing (enabled with `oxmapi admin set public-folders enabled`), it is created.
    pub fn open_public(&self) -> StoreResult<Option<MessageStore>> {
        if !self.public_folders_enabled()? {
            return Ok(None);
        }
        self.open_or_create_public().map(Some)
    }

    fn open_or_create_public(&self) -> StoreResult<MessageStore> {
        let path = self.public_path();
        if path.exists() {
            return MessageStore::open(&path);
        }
        match MessageStore::create_public(&path) {
            Err(StoreError::Collision(_)) => MessageStore::open(&path),
            other => other,
        }
    }
}
