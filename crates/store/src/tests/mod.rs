//! Tests against real SQLite files in temporary directories. They live inside the crate so the
//! cheap test-only argon2 parameters apply.

mod data_dir;
mod delivery;
mod directory;
mod events;
mod logon;
mod mailbox;

use crate::{DataDir, NewUser, User};

pub(crate) fn new_user(name: &str) -> NewUser {
    NewUser { name: name.into(), password: format!("pw-{name}"), ..NewUser::default() }
}

pub(crate) fn data_dir() -> (tempfile::TempDir, DataDir) {
    let t = tempfile::tempdir().unwrap();
    let dd = DataDir::open(&t.path().join("data")).unwrap();
    (t, dd)
}

pub(crate) fn user_with_mailbox(dd: &DataDir, name: &str) -> User {
    dd.add_user(&new_user(name)).unwrap()
}

#[test]
fn shared_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<crate::MessageStore>();
    check::<crate::DataDir>();
    check::<crate::User>();
    fn send<T: Send>() {}
    send::<crate::Directory>();
}
