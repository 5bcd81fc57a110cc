//! Tests against real sites: SQLite files in temporary directories, or fresh PostgreSQL
//! databases when `OXMAPI_TEST_DATABASE` names a server ([`crate::test_site`]). They live inside
//! the crate so the cheap test-only argon2 parameters apply.

mod change_log;
mod delivery;
mod directory;
mod events;
mod logon;
mod mailbox;
mod mailbox_table;
mod per_user;
mod permissions;
mod site;

use crate::{NewUser, Site, User};

pub(crate) fn new_user(name: &str) -> NewUser {
    NewUser { name: name.into(), password: format!("pw-{name}"), ..NewUser::default() }
}

/// A fresh site on the backend the environment selects ([`crate::test_site`]).
pub(crate) fn site() -> (tempfile::TempDir, Site) {
    let t = tempfile::tempdir().unwrap();
    let dd = crate::test_site(&t.path().join("data"));
    (t, dd)
}

/// A data directory of SQLite files whatever the environment says: for the tests that are
/// about the files themselves (layout, modes, swapped or damaged files, SQLite's own counters).
pub(crate) fn files_site() -> (tempfile::TempDir, Site) {
    let t = tempfile::tempdir().unwrap();
    let dd = Site::open(&t.path().join("data")).unwrap();
    (t, dd)
}

pub(crate) fn user_with_mailbox(dd: &Site, name: &str) -> User {
    dd.add_user(&new_user(name)).unwrap()
}

#[test]
fn shared_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<crate::MessageStore>();
    check::<crate::Site>();
    check::<crate::User>();
    fn send<T: Send>() {}
    send::<crate::Directory>();
}
