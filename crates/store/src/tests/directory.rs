use super::{new_user, site};
use std::sync::Arc;

use crate::directory::gal;
use crate::{Directory, NewUser, StoreError};

/// The directory of a fresh site, with the site for a second connection.
fn dir() -> (tempfile::TempDir, Directory) {
    let (t, _site, d) = dir_and_site();
    (t, d)
}

fn dir_and_site() -> (tempfile::TempDir, crate::Site, Directory) {
    let (t, site) = site();
    let d = site.directory().unwrap();
    (t, site, d)
}

#[test]
fn add_list_and_look_up_users() {
    let (_t, d) = dir();
    let alice = d
        .add_user(&NewUser {
            name: "Alice".into(),
            password: "Secret-1".into(),
            display_name: Some("Alice Archer".into()),
            email: Some("alice@Example.TEST".into()),
            admin: true,
            hidden: false,
        })
        .unwrap();
    assert_eq!(alice.name, "Alice");
    assert_eq!(alice.display_name, "Alice Archer");
    assert_eq!(alice.smtp_address, "alice@example.test");
    assert_eq!(
        alice.legacy_dn,
        "/o=oxmapi/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice"
    );
    assert!(alice.enabled && alice.admin && !alice.hidden);
    assert!(!alice.mailbox_guid.is_null());

    let bob = d.add_user(&NewUser { hidden: true, ..new_user("bob") }).unwrap();
    assert_eq!(bob.display_name, "bob");
    assert_eq!(bob.smtp_address, "bob@oxmapi.local");
    assert!(bob.hidden && !bob.admin);
    assert_ne!(alice.mailbox_guid, bob.mailbox_guid);

    let names: Vec<String> = d.users().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Alice", "bob"]);
    assert_eq!(d.user("ALICE").unwrap().unwrap(), alice);
    assert_eq!(d.user(" alice ").unwrap().unwrap(), alice);
    assert_eq!(d.user_by_dn(&alice.legacy_dn.to_uppercase()).unwrap().unwrap(), alice);
    assert_eq!(d.user_by_email("ALICE@example.test").unwrap().unwrap(), alice);
    assert_eq!(d.user_by_mailbox_guid(&bob.mailbox_guid).unwrap().unwrap(), bob);
    assert!(d.user("carol").unwrap().is_none());
    assert!(d.user_by_dn("/o=x/cn=nobody").unwrap().is_none());
    assert!(matches!(d.require_user("carol"), Err(StoreError::NotFound(_))));
}

#[test]
fn names_collide_ignoring_case_and_are_validated() {
    let (_t, d) = dir();
    d.add_user(&new_user("alice")).unwrap();
    assert!(matches!(d.add_user(&new_user("ALICE")), Err(StoreError::Collision(_))));
    let same_mail = NewUser { email: Some("ALICE@oxmapi.local".into()), ..new_user("alice2") };
    assert!(matches!(d.add_user(&same_mail), Err(StoreError::Collision(_))));
    for bad in ["", "a b", "é", "a/b", "x@y", &"n".repeat(65)] {
        assert!(matches!(d.add_user(&new_user(bad)), Err(StoreError::InvalidParameter(_))), "{bad:?}");
    }
    assert!(d.add_user(&new_user("a.b_c-D9")).is_ok());
    let no_pw = NewUser { password: String::new(), ..new_user("carol") };
    assert!(matches!(d.add_user(&no_pw), Err(StoreError::InvalidParameter(_))));
    let bad_mail = NewUser { email: Some("not-an-address".into()), ..new_user("dave") };
    assert!(matches!(d.add_user(&bad_mail), Err(StoreError::InvalidParameter(_))));
    let bad_display = NewUser { display_name: Some("  ".into()), ..new_user("erin") };
    assert!(matches!(d.add_user(&bad_display), Err(StoreError::InvalidParameter(_))));
    assert_eq!(d.users().unwrap().len(), 2);
}

/// Issue 14 item 11: `.` and `..` were accepted as user names. Names that are path components
/// or look like them, or like options, are refused with the rule.
#[test]
fn path_components_are_not_user_names() {
    let (_t, d) = dir();
    for bad in [".", "..", "...", ".hidden", "-rf", "_x"] {
        let Err(StoreError::InvalidParameter(m)) = d.add_user(&new_user(bad)) else {
            panic!("{bad:?} accepted")
        };
        assert!(m.starts_with(crate::directory::INVALID_USER_NAME), "{m}");
        assert!(m.contains("starts with a letter or a digit"), "{m}");
    }
    let Err(StoreError::InvalidParameter(m)) = d.add_user(&new_user("..")) else { unreachable!() };
    assert!(m.contains("path component"), "{m}");
    for good in ["a.", "x..y", "9lives", "svc-phone"] {
        assert!(d.add_user(&new_user(good)).is_ok(), "{good:?}");
    }
}

#[test]
fn settings_shape_new_users() {
    let (_t, d) = dir();
    d.set_setting("organization", "Contoso").unwrap();
    d.set_setting("domain", "Contoso.COM").unwrap();
    let u = d.add_user(&new_user("Jane")).unwrap();
    assert_eq!(u.smtp_address, "jane@contoso.com");
    assert!(u.legacy_dn.starts_with("/o=Contoso/ou=Exchange Administrative Group"));
    assert!(u.legacy_dn.ends_with("/cn=Recipients/cn=jane"));
}

#[test]
fn passwords_verify_and_change() {
    let (_t, d) = dir();
    d.add_user(&NewUser { password: "Password".into(), ..new_user("alice") }).unwrap();
    assert_eq!(d.verify_password("alice", "Password").unwrap().unwrap().name, "alice");
    assert_eq!(d.verify_password("ALICE", "Password").unwrap().unwrap().name, "alice");
    assert!(d.verify_password("alice", "password").unwrap().is_none());
    assert!(d.verify_password("nobody", "Password").unwrap().is_none());
    // MS-NLMP 4.2.4.1.1: NTOWFv1("Password").
    let nt = d.nt_hash("alice").unwrap().unwrap();
    assert_eq!(oxmapi_wire::describe::hex(&nt), "a4f49c406510bdcab6824ee7c30fd852");
    assert!(d.nt_hash("nobody").unwrap().is_none());

    d.set_password("alice", "New-2").unwrap();
    assert!(d.verify_password("alice", "Password").unwrap().is_none());
    assert!(d.verify_password("alice", "New-2").unwrap().is_some());
    assert_ne!(d.nt_hash("alice").unwrap().unwrap(), nt);
    assert!(matches!(d.set_password("nobody", "x"), Err(StoreError::NotFound(_))));
    assert!(matches!(d.set_password("alice", ""), Err(StoreError::InvalidParameter(_))));

    // Disabled users still verify: the server decides what a disabled user may do.
    d.set_enabled("alice", false).unwrap();
    let u = d.verify_password("alice", "New-2").unwrap().unwrap();
    assert!(!u.enabled);
}

#[test]
fn flags() {
    let (_t, d) = dir();
    d.add_user(&new_user("alice")).unwrap();
    d.set_enabled("ALICE", false).unwrap();
    d.set_hidden("alice", true).unwrap();
    d.set_admin("alice", true).unwrap();
    let u = d.user("alice").unwrap().unwrap();
    assert!(!u.enabled && u.hidden && u.admin);
    d.set_enabled("alice", true).unwrap();
    d.set_hidden("alice", false).unwrap();
    let u = d.user("alice").unwrap().unwrap();
    assert!(u.enabled && !u.hidden);
    assert!(matches!(d.set_hidden("nobody", true), Err(StoreError::NotFound(_))));
}

/// Send As and Send on Behalf are grants of their own: independent of full access and of each
/// other, and [`Directory::send_rights`] lists the owners of each.
#[test]
fn send_rights_are_grants_of_their_own() {
    use crate::directory::Access;
    let (_t, d) = dir();
    for n in ["alice", "bob", "carol"] {
        d.add_user(&new_user(n)).unwrap();
    }
    d.grant("alice", "bob", Access::SendOnBehalf).unwrap();
    d.grant("carol", "bob", Access::SendAs).unwrap();
    assert!(d.has_grant("alice", "bob", Access::SendOnBehalf).unwrap());
    assert!(!d.has_grant("alice", "bob", Access::SendAs).unwrap());
    assert!(!d.has_full_access("alice", "bob").unwrap(), "sending is not opening");
    let bob = d.require_user("bob").unwrap();
    let r = d.send_rights(&bob).unwrap();
    let names = |v: &[crate::mailbox::delivery::Originator]| {
        v.iter().map(|o| o.smtp_address.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&r.send_on_behalf), [d.require_user("alice").unwrap().smtp_address]);
    assert_eq!(names(&r.send_as), [d.require_user("carol").unwrap().smtp_address]);
    d.revoke("alice", "bob", Access::SendOnBehalf).unwrap();
    assert!(d.send_rights(&bob).unwrap().send_on_behalf.is_empty());
    assert!(matches!(d.revoke("alice", "bob", Access::SendOnBehalf), Err(StoreError::NotFound(_))));
    assert!(matches!(d.grant("bob", "bob", Access::SendAs), Err(StoreError::InvalidParameter(_))));
}

/// A user's own quotas override the site's settings; `default` goes back to them.
#[test]
fn per_user_quotas_override_the_site_settings() {
    use crate::directory::quotas::Quota;
    let (_t, d) = dir();
    d.add_user(&new_user("carol")).unwrap();
    let carol = d.require_user("carol").unwrap();
    let site = d.mailbox_limits().unwrap();
    assert_eq!(d.mailbox_limits_for(&carol).unwrap(), site);
    d.set_quotas("carol", None, Some(Quota::Kb(1)), Some(Quota::Kb(900))).unwrap();
    d.set_quotas("carol", Some(Quota::Unlimited), None, None).unwrap();
    let l = d.mailbox_limits_for(&carol).unwrap();
    assert_eq!((l.send_quota_kb, l.receive_quota_kb, l.storage_warning_kb), (None, Some(1), Some(900)));
    assert_eq!(l.max_submit_kb, site.max_submit_kb);
    d.set_quotas("carol", Some(Quota::Site), Some(Quota::Site), Some(Quota::Site)).unwrap();
    assert_eq!(d.mailbox_limits_for(&carol).unwrap(), site);
    assert!(matches!(d.set_quotas("nobody", None, None, None), Err(StoreError::NotFound(_))));
}

#[test]
fn full_access_grants() {
    let (_t, d) = dir();
    for n in ["alice", "bob", "svc-phone"] {
        d.add_user(&new_user(n)).unwrap();
    }
    assert!(!d.has_full_access("alice", "svc-phone").unwrap());
    assert!(d.has_full_access("alice", "ALICE").unwrap(), "owners always have access");
    d.grant_full_access("alice", "svc-phone").unwrap();
    d.grant_full_access("alice", "SVC-PHONE").unwrap(); // idempotent
    d.grant_full_access("bob", "svc-phone").unwrap();
    assert!(d.has_full_access("Alice", "svc-phone").unwrap());
    assert!(!d.has_full_access("svc-phone", "alice").unwrap(), "grants are one-way");
    assert_eq!(d.full_access_grants("alice").unwrap(), ["svc-phone"]);
    assert_eq!(d.full_access_mailboxes("svc-phone").unwrap(), ["alice", "bob"]);
    assert!(matches!(d.grant_full_access("alice", "alice"), Err(StoreError::InvalidParameter(_))));
    assert!(matches!(d.grant_full_access("alice", "nobody"), Err(StoreError::NotFound(_))));
    assert!(matches!(d.grant_full_access("nobody", "alice"), Err(StoreError::NotFound(_))));
    d.revoke_full_access("alice", "svc-phone").unwrap();
    assert!(!d.has_full_access("alice", "svc-phone").unwrap());
    assert!(d.full_access_grants("alice").unwrap().is_empty());
    assert!(matches!(d.revoke_full_access("alice", "svc-phone"), Err(StoreError::NotFound(_))));
}

#[test]
fn settings_defaults_validation_and_typed_getters() {
    let (_t, d) = dir();
    assert_eq!(d.setting("max-sessions-per-user").unwrap(), None);
    assert_eq!(d.effective_setting("max-sessions-per-user").unwrap(), "32");
    assert_eq!(d.max_sessions_per_user().unwrap(), 32);
    assert_eq!(d.min_client_version().unwrap(), [0, 0, 0, 0]);
    assert_eq!(d.session_idle_timeout().unwrap().as_secs(), 900);
    assert_eq!(d.organization().unwrap(), "oxmapi");
    assert_eq!(d.domain().unwrap(), "oxmapi.local");
    assert!(!d.public_folders_setting().unwrap());

    d.set_setting("max-sessions-per-user", "2").unwrap();
    d.set_setting("min-client-version", "11.0.0.0").unwrap();
    d.set_setting("session-idle-timeout", "60").unwrap();
    assert_eq!(d.max_sessions_per_user().unwrap(), 2);
    assert_eq!(d.min_client_version().unwrap(), [11, 0, 0, 0]);
    assert_eq!(d.session_idle_timeout().unwrap().as_secs(), 60);
    assert_eq!(d.setting("max-sessions-per-user").unwrap().as_deref(), Some("2"));

    assert!(matches!(d.set_setting("max-sessions-per-user", "0"), Err(StoreError::InvalidParameter(_))));
    assert!(matches!(d.set_setting("min-client-version", "11"), Err(StoreError::InvalidParameter(_))));
    let e = d.set_setting("colour", "blue").unwrap_err();
    assert!(matches!(e, StoreError::InvalidParameter(_)));
    assert!(e.to_string().contains("min-client-version"), "{e}");
    assert!(matches!(d.setting("colour"), Err(StoreError::InvalidParameter(_))));
    assert_eq!(d.max_sessions_per_user().unwrap(), 2, "a refused value changes nothing");

    let all = d.settings().unwrap();
    assert_eq!(all.len(), crate::settings::SETTINGS.len());
    assert!(all.contains(&("max-sessions-per-user".into(), "2".into())));
    assert!(all.contains(&("public-folders".into(), "disabled".into())));
    d.reset_setting("max-sessions-per-user").unwrap();
    assert_eq!(d.max_sessions_per_user().unwrap(), 32);
}

#[test]
fn directory_survives_reopen_and_checks_integrity() {
    let (_t, dd) = site();
    dd.directory().unwrap().add_user(&new_user("alice")).unwrap();
    dd.directory().unwrap().set_setting("max-sessions-per-user", "5").unwrap();
    let d = dd.directory().unwrap();
    assert!(d.user("alice").unwrap().is_some());
    assert_eq!(d.max_sessions_per_user().unwrap(), 5);
    assert!(d.integrity_check().unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Some(path) = d.path() {
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "directory readable by its owner only");
        }
    }
}

/// SQLite only: files that are not oxmapi directories.
#[test]
fn foreign_files_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("other.sqlite");
    let c = rusqlite::Connection::open(&p).unwrap();
    c.execute_batch("CREATE TABLE x (y)").unwrap();
    drop(c);
    assert!(matches!(Directory::open(&p), Err(StoreError::Corrupt(_))));
    let p2 = t.path().join("newer.sqlite");
    Directory::open(&p2).unwrap();
    let c = rusqlite::Connection::open(&p2).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    let e = Directory::open(&p2).err().unwrap();
    assert!(e.to_string().contains("upgrade oxmapi"), "{e}");
}

#[test]
fn bulk_users_share_one_hash_and_look_up_by_mid_and_dn() {
    let (_t, d) = dir();
    let users: Vec<NewUser> = (0..50)
        .map(|i| NewUser { hidden: i == 7, password: "Secret-1".into(), ..new_user(&format!("user{i:03}")) })
        .collect();
    assert_eq!(d.add_users_bulk_without_mailboxes(&users).unwrap(), 50);
    assert_eq!(d.users().unwrap().len(), 50);
    assert!(d.verify_password("user010", "Secret-1").unwrap().is_some(), "the shared hash verifies");
    assert_eq!(d.gal().unwrap().entries().len(), 49, "the hidden user is not listed");

    let hidden = d.require_user("user007").unwrap();
    let mid = d.mid_by_dn(&hidden.legacy_dn.to_uppercase()).unwrap().expect("hidden users resolve by DN");
    assert_eq!(d.user_by_mid(mid).unwrap(), Some(hidden));
    assert_eq!(d.mid_by_dn("/o=nowhere/cn=nobody").unwrap(), None);
    assert_eq!(d.user_by_mid(2).unwrap(), None, "positional MIds name no user");

    let again = [new_user("user000")];
    assert!(matches!(d.add_users_bulk_without_mailboxes(&again), Err(StoreError::Collision(_))));
    let bad = [new_user("no spaces")];
    assert!(matches!(d.add_users_bulk_without_mailboxes(&bad), Err(StoreError::InvalidParameter(_))));
    assert_eq!(d.users().unwrap().len(), 50, "a failed batch adds nobody");
}

#[test]
fn the_gal_is_rebuilt_only_after_a_change_by_any_connection() {
    let (_t, site, d) = dir_and_site();
    let users: Vec<NewUser> =
        (0..5).map(|i| NewUser { password: "Secret-1".into(), ..new_user(&format!("user{i:03}")) }).collect();
    d.add_users_bulk_without_mailboxes(&users).unwrap();
    let first = d.gal().unwrap();
    assert_eq!(first.entries().len(), 5);
    assert!(Arc::ptr_eq(&first, &d.gal().unwrap()), "no change: the same GAL");

    // Another connection (as an `oxmapi admin` process) hides a user.
    let other = site.directory().unwrap();
    other.set_hidden("user001", true).unwrap();
    let after_other = d.gal().unwrap();
    assert_eq!(after_other.entries().len(), 4, "a commit by another connection shows");
    assert!(after_other.resolve("user001") == gal::Resolution::Unresolved);

    // This connection's own write.
    d.set_hidden("user002", true).unwrap();
    assert_eq!(d.gal().unwrap().entries().len(), 3, "this connection's write shows");
    let g = d.gal().unwrap();
    assert!(Arc::ptr_eq(&g, &d.gal().unwrap()));
}

/// MS-OXODLGT 3.1.4.1: the owner's Delegate Information object follows the Send on Behalf
/// grants — created with the first, listing each delegate by display name and address book
/// entry ID, emptied by the last revoke; the root folder's PidTagFreeBusyEntryIds names it.
#[test]
fn the_delegate_list_follows_send_on_behalf_grants() {
    use crate::directory::Access;
    use oxmapi_core::catalogue::tags::PR_FREEBUSY_ENTRYIDS;
    use oxmapi_core::value::PropValue;
    let (_t, site, d) = dir_and_site();
    for n in ["alice", "bob", "carol"] {
        site.add_user(&new_user(n)).unwrap();
    }
    let alice = d.require_user("alice").unwrap();
    assert!(site.open_mailbox(&alice).unwrap().delegate_list().unwrap().is_empty());
    d.grant("alice", "bob", Access::SendOnBehalf).unwrap();
    d.grant("alice", "carol", Access::SendOnBehalf).unwrap();
    d.grant("alice", "carol", Access::SendAs).unwrap();
    site.sync_delegate_list("alice").unwrap();
    let store = site.open_mailbox(&alice).unwrap();
    let list = store.delegate_list().unwrap();
    let bob = d.require_user("bob").unwrap();
    assert_eq!(
        list.iter().map(|x| x.display_name.as_str()).collect::<Vec<_>>(),
        ["bob", "carol"]
            .map(|n| d.require_user(n).unwrap().display_name)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert_eq!(list[0].entry_id, crate::mailbox::delivery::user_entry_id(&bob.legacy_dn));
    let root = store.special_folder(crate::SpecialFolder::Root).unwrap();
    let Some(PropValue::MvBinary(ids)) = store.folder_property(root, PR_FREEBUSY_ENTRYIDS).unwrap() else {
        panic!()
    };
    assert_eq!(ids.len(), 4);
    assert!(store.message_ids_from_entry_id(&ids[1]).is_ok());
    d.revoke("alice", "bob", Access::SendOnBehalf).unwrap();
    d.revoke("alice", "carol", Access::SendOnBehalf).unwrap();
    site.sync_delegate_list("alice").unwrap();
    assert!(
        site.open_mailbox(&alice).unwrap().delegate_list().unwrap().is_empty(),
        "Send As is not a delegate"
    );
}
