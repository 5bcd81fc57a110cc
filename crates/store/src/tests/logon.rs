//! Logon properties (MS-OXCSTOR 2.2.2.1.1) and the directory settings behind them.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::EntryId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{site, user_with_mailbox};
use crate::mailbox::LogonContext;
use crate::settings::MailboxLimits;
use crate::{MessageStore, StoreError};

fn value(values: &[TaggedValue], tag: PropTag) -> Option<PropValue> {
    values.iter().find(|v| v.tag == tag).map(|v| v.value.clone())
}

fn logon(s: &MessageStore, user: &crate::User, limits: MailboxLimits) -> Vec<TaggedValue> {
    s.logon_properties(&LogonContext { user, limits }).unwrap()
}

/// MS-OXCSTOR 2.2.2.1.1.1–2.2.2.1.1.4: the four limits are PtypInteger32 (R3056–R3059), the
/// rule limit in bytes, the others in KiB; "a value of -1 indicates that there is no limit"
/// (2.2.2.1.1.3). The values are the directory's settings, Exchange's by default.
#[test]
fn private_logon_reports_the_directory_limits() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&alice).unwrap();
    let dir = dd.directory().unwrap();
    let limits = dir.mailbox_limits().unwrap();
    assert_eq!(limits, MailboxLimits::default());
    let v = logon(&s, &alice, limits);
    assert_eq!(value(&v, PR_EXTENDED_RULE_SIZE_LIMIT), Some(PropValue::I32(65_536)));
    assert_eq!(value(&v, PR_MAX_SUBMIT_MESSAGE_SIZE), Some(PropValue::I32(10_240)));
    assert_eq!(value(&v, PR_PROHIBIT_SEND_QUOTA), Some(PropValue::I32(2_097_152)));
    assert_eq!(value(&v, PR_PROHIBIT_RECEIVE_QUOTA), Some(PropValue::I32(2_411_724)));

    dir.set_setting("prohibit-send-quota-kb", "100").unwrap();
    dir.set_setting("prohibit-receive-quota-kb", "unlimited").unwrap();
    let v = logon(&s, &alice, dir.mailbox_limits().unwrap());
    assert_eq!(value(&v, PR_PROHIBIT_SEND_QUOTA), Some(PropValue::I32(100)));
    assert_eq!(value(&v, PR_PROHIBIT_RECEIVE_QUOTA), Some(PropValue::I32(-1)));
    assert!(v.windows(2).all(|w| w[0].tag.id() < w[1].tag.id()), "sorted by property id");
}

/// MS-OXCSTOR 2.2.2.1.1.11: PidTagUserEntryId is "the address book EntryID of the logged-on
/// user" — for a delegate the delegate, while PidTagMailboxOwnerEntryId stays the owner's.
#[test]
fn user_entry_id_is_the_logged_on_users() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let s = dd.open_mailbox(&alice).unwrap();
    let v = logon(&s, &bob, MailboxLimits::default());
    let Some(PropValue::Binary(user)) = value(&v, PR_USER_ENTRYID) else { panic!("no PR_USER_ENTRYID") };
    let EntryId::AbPermanent(ab) = EntryId::parse(&user).unwrap() else { panic!("not an AB entry ID") };
    assert_eq!(ab.dn, bob.legacy_dn);
    assert_eq!(value(&v, PR_USER_NAME), Some(PropValue::String8(b"bob".to_vec())));
    let Some(PropValue::Binary(owner)) = value(&v, PR_MAILBOX_OWNER_ENTRYID) else { panic!() };
    let EntryId::AbPermanent(ab) = EntryId::parse(&owner).unwrap() else { panic!() };
    assert_eq!(ab.dn, alice.legacy_dn);
}

/// MS-OXCSTOR 2.2.2.1.1 Read-Only Properties (R3055001, R3055011): writing or deleting them is
/// refused and changes nothing.
#[test]
fn logon_limits_and_user_entry_id_are_read_only() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&alice).unwrap();
    for tag in [
        PR_EXTENDED_RULE_SIZE_LIMIT,
        PR_MAX_SUBMIT_MESSAGE_SIZE,
        PR_PROHIBIT_RECEIVE_QUOTA,
        PR_PROHIBIT_SEND_QUOTA,
        PR_USER_ENTRYID,
        PR_USER_NAME,
    ] {
        assert!(s.is_computed_store_property(tag), "{tag}");
        let new = match tag {
            PR_USER_ENTRYID => PropValue::Binary(vec![0, 0]),
            PR_USER_NAME => PropValue::String8(b"x".to_vec()),
            _ => PropValue::I32(0x7EAD_BEEF),
        };
        let e = s.set_store_properties(&[TaggedValue::new(tag, new)]);
        assert!(matches!(e, Err(StoreError::Computed(_))), "{tag}: {e:?}");
        assert!(matches!(s.delete_store_properties(&[tag]), Err(StoreError::Computed(_))), "{tag}");
    }
    let v = logon(&s, &alice, MailboxLimits::default());
    assert_eq!(value(&v, PR_EXTENDED_RULE_SIZE_LIMIT), Some(PropValue::I32(65_536)));
}

/// The public folder store has no quotas of its own, but still names the logged-on user.
#[test]
fn public_logon_has_no_limits() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    dd.set_public_folders(true).unwrap();
    let p = dd.open_public().unwrap().unwrap();
    let v = logon(&p, &alice, MailboxLimits::default());
    assert_eq!(value(&v, PR_PROHIBIT_SEND_QUOTA), None);
    assert!(value(&v, PR_USER_ENTRYID).is_some());
}

/// The mailbox size the quotas compare with is PidTagMessageSizeExtended of the store.
#[test]
fn mailbox_size_is_the_stores_message_size_extended() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&alice).unwrap();
    assert_eq!(s.mailbox_size().unwrap(), 0);
}
