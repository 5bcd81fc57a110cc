//! The named-property map against real mailbox files (MS-OXCPRPT 3.2.5.6, 3.2.5.8, 3.2.5.9).

use oxmapi_core::guid::{Guid, PS_INTERNET_HEADERS, PS_MAPI, PS_PUBLIC_STRINGS, PSETID_APPOINTMENT};
use oxmapi_core::named::PropertyName;

use super::{FIRST_NAMED_ID, LAST_NAMED_ID};
use crate::mailbox::MessageStore;
use crate::tests::{site, user_with_mailbox};
use crate::{Site, User};

fn mailbox() -> (tempfile::TempDir, Site, User, MessageStore) {
    let (t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    (t, dd, u, s)
}

fn appointment() -> Guid {
    PSETID_APPOINTMENT
}

#[test]
fn round_trips_and_allocation() {
    let (_t, dd, u, s) = mailbox();
    let start = PropertyName::id(appointment(), 0x820D);
    let keywords = PropertyName::string(PS_PUBLIC_STRINGS, "Keywords");
    let unicode = PropertyName::string(PS_PUBLIC_STRINGS, "Grüße 日本 ✓");
    let names = [start.clone(), keywords.clone(), unicode.clone()];

    // Without Create nothing is registered.
    assert_eq!(s.ids_from_names(&names, false).unwrap(), vec![0, 0, 0]);
    assert!(s.all_named_ids().unwrap().is_empty());

    let ids = s.ids_from_names(&names, true).unwrap();
    assert_eq!(ids, vec![FIRST_NAMED_ID, FIRST_NAMED_ID + 1, FIRST_NAMED_ID + 2]);
    assert_eq!(s.ids_from_names(&names, false).unwrap(), ids);
    assert_eq!(s.ids_from_names(&names, true).unwrap(), ids, "registered once");
    assert_eq!(
        s.names_from_ids(&ids).unwrap(),
        vec![Some(start.clone()), Some(keywords.clone()), Some(unicode.clone())]
    );

    // A name given twice in one request gets one id; order follows the request.
    let fresh = PropertyName::string(appointment(), "fresh");
    let got = s.ids_from_names(&[fresh.clone(), keywords.clone(), fresh.clone()], true).unwrap();
    assert_eq!(got, vec![FIRST_NAMED_ID + 3, FIRST_NAMED_ID + 1, FIRST_NAMED_ID + 3]);

    // The same LID in another set, or as a string, is another name.
    let other_set = PropertyName::id(PS_PUBLIC_STRINGS, 0x820D);
    let as_string = PropertyName::string(appointment(), "0x820D");
    let more = s.ids_from_names(&[other_set, as_string], true).unwrap();
    assert_eq!(more, vec![FIRST_NAMED_ID + 4, FIRST_NAMED_ID + 5]);

    // Unknown ids have no name; ids below 0x8000 are PS_MAPI names.
    let names_back = s.names_from_ids(&[0x0037, 0x9999, 0xFFFF, FIRST_NAMED_ID]).unwrap();
    assert_eq!(names_back, vec![Some(PropertyName::id(PS_MAPI, 0x0037)), None, None, Some(start.clone())]);

    // The map survives a reopen, and allocation continues after the highest id.
    let all = s.all_named_ids().unwrap();
    assert_eq!(all, (FIRST_NAMED_ID..FIRST_NAMED_ID + 6).collect::<Vec<_>>());
    drop(s);
    let s = dd.open_mailbox(&u).unwrap();
    assert_eq!(s.all_named_ids().unwrap(), all);
    assert_eq!(s.ids_from_names(&names, false).unwrap(), ids);
    let next = s.ids_from_names(&[PropertyName::id(appointment(), 1)], true).unwrap();
    assert_eq!(next, vec![FIRST_NAMED_ID + 6]);
}

#[test]
fn ps_mapi_names() {
    let (_t, _dd, _u, s) = mailbox();
    let got = s
        .ids_from_names(
            &[
                PropertyName::id(PS_MAPI, 0x0037),
                PropertyName::id(PS_MAPI, 0x7FFF),
                PropertyName::id(PS_MAPI, 0x8000),
                PropertyName::id(PS_MAPI, 0x0001_0037),
                PropertyName::string(PS_MAPI, "Subject"),
            ],
            true,
        )
        .unwrap();
    assert_eq!(got, vec![0x0037, 0x7FFF, 0, 0, 0]);
    assert!(s.all_named_ids().unwrap().is_empty(), "PS_MAPI names are never stored");
}

#[test]
fn string_names_are_case_sensitive_except_internet_headers() {
    let (_t, _dd, _u, s) = mailbox();
    let lower = PropertyName::string(PS_PUBLIC_STRINGS, "keywords");
    let upper = PropertyName::string(PS_PUBLIC_STRINGS, "Keywords");
    let ids = s.ids_from_names(&[lower.clone(), upper.clone()], true).unwrap();
    assert_ne!(ids[0], ids[1]);
    assert_eq!(s.names_from_ids(&ids).unwrap(), vec![Some(lower), Some(upper)]);

    let h1 = PropertyName::string(PS_INTERNET_HEADERS, "X-Mailer");
    let h2 = PropertyName::string(PS_INTERNET_HEADERS, "x-mailer");
    let hid = s.ids_from_names(std::slice::from_ref(&h1), true).unwrap()[0];
    assert_eq!(s.ids_from_names(&[h2], true).unwrap(), vec![hid]);
    assert_eq!(s.names_from_ids(&[hid]).unwrap(), vec![Some(h1)], "first spelling kept");
}

#[test]
fn query_named_filters() {
    let (_t, _dd, _u, s) = mailbox();
    let a = PropertyName::id(appointment(), 0x8205);
    let b = PropertyName::string(appointment(), "b");
    let c = PropertyName::id(PS_PUBLIC_STRINGS, 7);
    let d = PropertyName::string(PS_PUBLIC_STRINGS, "d");
    let ids = s.ids_from_names(&[a.clone(), b.clone(), c.clone(), d.clone()], true).unwrap();
    let pairs = |v: &[usize]| v.iter().map(|&i| (ids[i], [&a, &b, &c, &d][i].clone())).collect::<Vec<_>>();
    assert_eq!(s.query_named(None, false, false).unwrap(), pairs(&[0, 1, 2, 3]));
    assert_eq!(s.query_named(None, true, false).unwrap(), pairs(&[0, 2]));
    assert_eq!(s.query_named(None, false, true).unwrap(), pairs(&[1, 3]));
    assert_eq!(s.query_named(None, true, true).unwrap(), vec![]);
    assert_eq!(s.query_named(Some(appointment()), false, false).unwrap(), pairs(&[0, 1]));
    assert_eq!(s.query_named(Some(PS_PUBLIC_STRINGS), false, true).unwrap(), pairs(&[3]));
    assert_eq!(s.query_named(Some(PS_MAPI), false, false).unwrap(), vec![]);
}

#[test]
fn quota_reached_maps_to_zero() {
    let (_t, _dd, _u, s) = mailbox();
    let last = FIRST_NAMED_ID + 2;
    let names: Vec<PropertyName> = (0..5).map(|i| PropertyName::id(appointment(), i)).collect();
    let got = s.ids_from_names_up_to(&names, true, last).unwrap();
    assert_eq!(got, vec![0x8000, 0x8001, 0x8002, 0, 0]);
    // Registered names still map; new ones stay unmappable.
    let again = s.ids_from_names_up_to(&[names[4].clone(), names[1].clone()], true, last).unwrap();
    assert_eq!(again, vec![0, 0x8001]);
    assert_eq!(s.all_named_ids().unwrap(), vec![0x8000, 0x8001, 0x8002]);
    // The real top of the range is 0xFFFE; filling it takes the store's own allocator to there.
    s.lock()
        .unwrap()
        .execute(
            "INSERT INTO named_properties (propid, guid, kind, lid) VALUES (?1, ?2, 0, 99)",
            crate::params![LAST_NAMED_ID, appointment().0.to_vec()],
        )
        .unwrap();
    assert_eq!(s.ids_from_names(&[PropertyName::id(appointment(), 100)], true).unwrap(), vec![0]);
    assert_eq!(s.ids_from_names(&[PropertyName::id(appointment(), 99)], false).unwrap(), vec![LAST_NAMED_ID]);
}
