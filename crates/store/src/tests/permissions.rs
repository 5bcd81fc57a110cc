//! Folder permission lists (MS-OXCPERM 2.2.2, 3.2.4.1, 3.2.5.2) on the backend the environment
//! selects: run with and without `OXMAPI_TEST_DATABASE`.

use super::{site, user_with_mailbox};
use crate::mailbox::permissions::{
    ANONYMOUS_MEMBER, DEFAULT_MEMBER, Member, PermissionChange as C, rights::*,
};
use crate::mailbox::{DeleteFolderFlags, FolderType, SpecialFolder};

/// A new folder lists Default ("" in the table, member id 0) and Anonymous (-1) with no rights,
/// and nobody else (MS-OXCPERM 2.2.5, R189/R190).
#[test]
fn a_new_folder_lists_default_and_anonymous_without_rights() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&alice).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let list = s.permissions(inbox).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!((list[0].member_id, list[0].member, list[0].rights), (DEFAULT_MEMBER, Member::Default, 0));
    assert_eq!((list[1].member_id, list[1].member, list[1].rights), (ANONYMOUS_MEMBER, Member::Anonymous, 0));
}

/// A new mailbox's Calendar gives Default free/busy only (Exchange's "Availability only",
/// gromox's mkprivate): bob reads alice's free/busy there, which admits no logon.
#[test]
fn a_new_calendar_gives_default_free_busy_only() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let s = dd.open_mailbox(&alice).unwrap();
    let cal = s.special_folder(SpecialFolder::Calendar).unwrap();
    let list = s.permissions(cal).unwrap();
    assert_eq!((list[0].member, list[0].rights), (Member::Default, FREE_BUSY_SIMPLE));
    assert_eq!(s.member_rights(cal, &bob.mailbox_guid).unwrap(), FREE_BUSY_SIMPLE);
    assert!(!s.rights_of(&bob.mailbox_guid).unwrap().any(), "free/busy admits no logon");
}

/// AddRow, ModifyRow, RemoveRow (R47, R1187, R1188) and the effective rights: the user's entry,
/// else Default's (R175, R176), with FolderVisible implied by ReadAny (R104).
#[test]
fn add_modify_remove_and_the_rights_they_give() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let carol = user_with_mailbox(&dd, "carol");
    let s = dd.open_mailbox(&alice).unwrap();
    let contacts = s.special_folder(SpecialFolder::Contacts).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    assert_eq!(s.member_rights(contacts, &bob.mailbox_guid).unwrap(), 0);
    s.modify_permissions(contacts, false, false, &[C::Add(Member::User(bob.mailbox_guid), READ_ANY)])
        .unwrap();
    assert_eq!(s.member_rights(contacts, &bob.mailbox_guid).unwrap(), READ_ANY | FOLDER_VISIBLE);
    assert_eq!(s.member_rights(inbox, &bob.mailbox_guid).unwrap(), 0, "only the folder it was given on");
    assert_eq!(s.member_rights(contacts, &carol.mailbox_guid).unwrap(), 0);
    let list = s.permissions(contacts).unwrap();
    assert_eq!(list.len(), 3);
    let bob_id = list[2].member_id;
    assert!(bob_id > 0);
    assert_eq!(list[2].member, Member::User(bob.mailbox_guid));

    // Default applies to everyone without an entry; bob's own entry wins over it.
    s.modify_permissions(contacts, false, false, &[C::Modify(DEFAULT_MEMBER, FOLDER_VISIBLE | CREATE)])
        .unwrap();
    assert_eq!(s.member_rights(contacts, &carol.mailbox_guid).unwrap(), FOLDER_VISIBLE | CREATE);
    assert_eq!(s.member_rights(contacts, &bob.mailbox_guid).unwrap(), READ_ANY | FOLDER_VISIBLE);
    let all = s.rights_of(&carol.mailbox_guid).unwrap();
    assert_eq!(all.on(contacts), FOLDER_VISIBLE | CREATE);
    assert_eq!(all.on(inbox), 0);
    assert!(all.any());

    s.modify_permissions(contacts, false, false, &[C::Modify(bob_id, READ_ANY | CREATE | EDIT_OWNED)])
        .unwrap();
    assert_eq!(
        s.member_rights(contacts, &bob.mailbox_guid).unwrap(),
        READ_ANY | CREATE | EDIT_OWNED | FOLDER_VISIBLE
    );
    // Adding the same user again updates the entry instead of listing the user twice.
    s.modify_permissions(contacts, false, false, &[C::Add(Member::User(bob.mailbox_guid), FOLDER_VISIBLE)])
        .unwrap();
    assert_eq!(s.permissions(contacts).unwrap().len(), 3);
    assert_eq!(s.member_rights(contacts, &bob.mailbox_guid).unwrap(), FOLDER_VISIBLE);

    s.modify_permissions(contacts, false, false, &[C::Remove(bob_id)]).unwrap();
    assert_eq!(s.permissions(contacts).unwrap().len(), 2);
    assert_eq!(
        s.member_rights(contacts, &bob.mailbox_guid).unwrap(),
        FOLDER_VISIBLE | CREATE,
        "back to Default"
    );
    // Removing or modifying a member not in the list is ignored (R1175).
    s.modify_permissions(contacts, false, false, &[C::Remove(9999), C::Modify(9998, READ_ANY)]).unwrap();
    assert_eq!(s.permissions(contacts).unwrap().len(), 2);
}

/// ReplaceRows replaces every entry but Default's (R1197) and takes only AddRow (R45);
/// undefined flags are dropped (R1093); the free/busy flags change only with IncludeFreeBusy
/// (R40).
#[test]
fn replace_rows_free_busy_and_undefined_flags() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let carol = user_with_mailbox(&dd, "carol");
    let s = dd.open_mailbox(&alice).unwrap();
    let cal = s.special_folder(SpecialFolder::Calendar).unwrap();
    s.modify_permissions(
        cal,
        false,
        true,
        &[
            C::Add(Member::Default, FREE_BUSY_SIMPLE),
            C::Add(Member::User(bob.mailbox_guid), READ_ANY | FREE_BUSY),
        ],
    )
    .unwrap();
    s.modify_permissions(
        cal,
        true,
        false,
        &[C::Add(Member::User(carol.mailbox_guid), READ_ANY | 0x0010_0000)],
    )
    .unwrap();
    let list = s.permissions(cal).unwrap();
    assert_eq!(list.len(), 3, "bob replaced by carol");
    assert_eq!(list[0].rights, FREE_BUSY_SIMPLE, "Default kept");
    assert_eq!(list[2].member, Member::User(carol.mailbox_guid));
    assert_eq!(list[2].rights, READ_ANY, "undefined flag dropped, no free/busy without IncludeFreeBusy");
    // Without IncludeFreeBusy, a change keeps the free/busy flags the entry had.
    s.modify_permissions(cal, false, false, &[C::Modify(DEFAULT_MEMBER, READ_ANY)]).unwrap();
    assert_eq!(s.permissions(cal).unwrap()[0].rights, READ_ANY | FREE_BUSY_SIMPLE);
    s.modify_permissions(cal, false, true, &[C::Modify(DEFAULT_MEMBER, READ_ANY)]).unwrap();
    assert_eq!(s.permissions(cal).unwrap()[0].rights, READ_ANY);
    let err = s.modify_permissions(cal, true, false, &[C::Remove(DEFAULT_MEMBER)]).unwrap_err();
    assert!(matches!(err, crate::StoreError::InvalidParameter(_)), "{err:?}");
}

/// A folder's list goes with the folder; an unknown folder is NotFound.
#[test]
fn the_list_goes_with_its_folder() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let s = dd.open_mailbox(&alice).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let (f, _) = s.create_folder(inbox, "Shared", None, None, FolderType::Generic, false).unwrap();
    s.modify_permissions(f, false, false, &[C::Add(Member::User(bob.mailbox_guid), READ_ANY)]).unwrap();
    s.delete_folder(inbox, f, DeleteFolderFlags { del_messages: true, del_folders: true, hard_delete: true })
        .unwrap();
    assert!(!s.rights_of(&bob.mailbox_guid).unwrap().any());
    assert!(matches!(s.permissions(f), Err(crate::StoreError::NotFound(_))));
}
