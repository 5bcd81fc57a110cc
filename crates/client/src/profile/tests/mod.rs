//! Tests of the profile subsystem, each in a temporary client home.

mod concurrency;
mod format;
mod mspst;
mod parse;
mod sections;
mod store;

use super::ProfileStore;

/// A store in a fresh temporary home (the directory itself does not exist yet).
pub(super) fn temp_store() -> (tempfile::TempDir, ProfileStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = ProfileStore::open(&dir.path().join("home")).expect("open");
    (dir, store)
}
