use super::{files_site, new_user, site, user_with_mailbox};
use crate::{MessageStore, StoreError, StoreKind};

/// SQLite only: the layout of a data directory of files.
#[test]
fn layout_and_user_with_mailbox() {
    let (_t, dd) = files_site();
    assert!(dd.root().unwrap().join("directory.sqlite").exists());
    assert!(dd.root().unwrap().join("mailboxes").is_dir());
    let alice = user_with_mailbox(&dd, "alice");
    let path = dd.mailbox_path(&alice.mailbox_guid).unwrap();
    assert!(path.starts_with(dd.root().unwrap().join("mailboxes")));
    let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
    assert_eq!(stem.parse::<oxmapi_core::guid::Guid>().unwrap(), alice.mailbox_guid);
    assert!(path.exists());
    let store = dd.open_mailbox(&alice).unwrap();
    assert_eq!(store.kind(), StoreKind::Private);
    assert_eq!(store.mailbox_guid(), alice.mailbox_guid);
    assert_eq!(store.owner().unwrap().name, "alice");
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dd.root().unwrap().join("mailboxes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("creating"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// SQLite only: the failure is made by breaking the `mailboxes` directory.
#[test]
fn failed_mailbox_creation_removes_the_user() {
    let (_t, dd) = files_site();
    // Make the mailboxes directory unusable: a file where the directory should be.
    std::fs::remove_dir(dd.root().unwrap().join("mailboxes")).unwrap();
    std::fs::write(dd.root().unwrap().join("mailboxes"), b"not a directory").unwrap();
    assert!(dd.add_user(&new_user("alice")).is_err());
    assert!(dd.directory().unwrap().user("alice").unwrap().is_none());
}

/// SQLite only: mailbox files are swapped and removed.
#[test]
fn missing_or_foreign_mailbox() {
    let (_t, dd) = files_site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    // Swap bob's file for alice's: the GUID check notices.
    std::fs::copy(dd.mailbox_path(&alice.mailbox_guid).unwrap(), dd.mailbox_path(&bob.mailbox_guid).unwrap())
        .unwrap();
    assert!(matches!(dd.open_mailbox(&bob), Err(StoreError::Corrupt(_))));
    std::fs::remove_file(dd.mailbox_path(&bob.mailbox_guid).unwrap()).unwrap();
    let e = dd.open_mailbox(&bob).err().unwrap();
    assert!(matches!(e, StoreError::NotFound(_)) && e.to_string().contains("bob"), "{e}");
    // Creating over an existing file is a collision.
    let again = MessageStore::create_private(&dd.mailbox_path(&alice.mailbox_guid).unwrap(), &alice);
    assert!(matches!(again, Err(StoreError::Collision(_))));
}

#[test]
fn public_folders_enable_disable() {
    let (_t, dd) = site();
    assert!(!dd.public_folders_enabled().unwrap());
    assert!(dd.open_public().unwrap().is_none());
    assert!(dd.public_path().is_none_or(|p| !p.exists()));

    dd.set_public_folders(true).unwrap();
    assert!(dd.public_folders_enabled().unwrap());
    assert!(dd.public_path().is_none_or(|p| p.exists()));
    let public = dd.open_public().unwrap().unwrap();
    assert_eq!(public.kind(), StoreKind::Public);
    let guid = public.mailbox_guid();
    drop(public);

    dd.set_public_folders(false).unwrap();
    assert!(dd.open_public().unwrap().is_none());
    assert!(dd.public_path().is_none_or(|p| p.exists()), "the file is kept when disabled");
    dd.set_public_folders(true).unwrap();
    assert_eq!(dd.open_public().unwrap().unwrap().mailbox_guid(), guid, "same store again");

    // Enabled through the setting alone: the file is made on first open.
    let (_t2, dd2) = site();
    dd2.directory().unwrap().set_setting("public-folders", "enabled").unwrap();
    assert!(dd2.open_public().unwrap().is_some());
    assert!(dd2.public_path().is_none_or(|p| p.exists()));
}

/// A data directory whose `oxmapi.toml` names a database is that database's site; a malformed
/// file is refused with its line, before anything is created in the directory.
#[test]
fn oxmapi_toml_chooses_the_site() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join(crate::site::SITE_CONFIG_FILE), "database = \"mysql://x\"\n").unwrap();
    let e = crate::Site::open(t.path()).unwrap_err();
    assert!(matches!(e, StoreError::InvalidParameter(_)) && e.to_string().contains("line 1"), "{e}");
    assert!(!t.path().join("mailboxes").exists(), "nothing is made in a misconfigured directory");
    std::fs::write(t.path().join(crate::site::SITE_CONFIG_FILE), "# files\n").unwrap();
    assert_eq!(crate::Site::open(t.path()).unwrap().backend(), crate::db::Backend::Sqlite);
}
