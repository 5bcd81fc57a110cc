//! oxmapi-store: the directory (users, grants, settings) and the mailbox and public-folder
//! stores, on embedded SQLite (the default) or PostgreSQL (sites with several nodes), through
//! one database layer ([`db`]).
//!
//! Layout of a data directory (DESIGN.md §3): `DATA/directory.sqlite` holds users, legacy DNs,
//! password hashes, delegate grants and settings; `DATA/mailboxes/<mailbox-guid>.sqlite` holds one
//! private mailbox each; `DATA/public.sqlite` holds the public folder store when public folders
//! are enabled. Every file runs in WAL mode with a busy timeout, every write commits before the
//! call returns, and every file carries a schema version (`PRAGMA user_version`) upgraded by
//! forward migrations when it is opened.
//!
//! * [`Site`] — a data directory of files or a PostgreSQL database: opens the directory,
//!   creates users with their mailboxes, switches public folders on and off.
//! * [`Directory`] — users, passwords (argon2id + NT hash), full-access grants, settings.
//! * [`MessageStore`] — one mailbox or the public folder store: the special folders
//!   (MS-OXOSFLD), store and folder properties, receive folders (MS-OXCSTOR 3.2.5.2–3.2.5.3),
//!   FID/MID/change-number allocation and long-term IDs (MS-OXCDATA 2.2.1).

pub mod constants;
pub mod directory;
pub mod error;
pub mod mailbox;
pub mod mailbox_table;
pub mod settings;
pub mod site;
pub mod table;

pub mod db;
pub mod migrate;
mod propvalue;
mod sqlite;

pub use directory::{Directory, NewUser, User, sessions::SessionRecord};
pub use error::{StoreError, StoreResult};
pub use mailbox::{
    AttachmentDraft, ContentsRow, MessageDraft, MessageStore, ReceiveFolderEntry, RecipientRow,
    SpecialFolder, StoreKind, StoreStream, StreamMode,
};
pub use mailbox::{DeleteFolderFlags, FolderType, HierarchyRow};
pub use site::Site;
pub use site::test_support::test_site;

#[cfg(test)]
mod tests;
