//! Tests of the named-property catalogue and its spellings. Expected values are MS-OXPROPS's
//! (section numbers cited), not the catalogue's own.

use super::*;
use crate::guid::{
    PS_INTERNET_HEADERS, PS_PUBLIC_STRINGS, PSETID_ADDRESS, PSETID_APPOINTMENT, PSETID_ATTACHMENT,
    PSETID_CALENDAR_ASSISTANT, PSETID_COMMON, PSETID_LOG, PSETID_MEETING, PSETID_REMOTE, PSETID_TASK,
    PSETID_UNIFIED_MESSAGING,
};
use std::collections::HashSet;

fn spec(s: &str) -> NamedSpec {
    match parse_named(s) {
        Ok(Some(x)) => x,
        other => panic!("{s}: {other:?}"),
    }
}

#[test]
fn every_spelling_of_an_lid_parses_alike() {
    let want = PropertyName::id(PSETID_ADDRESS, 0x8083);
    for s in [
        "PidLidEmail1EmailAddress",
        "pidlidemail1emailaddress",
        " PidLidEmail1EmailAddress:PT_UNICODE ",
        "PSETID_Address:0x8083",
        "psetid_address:0X8083",
        "PSETID_Address:32899",
        "{00062004-0000-0000-C000-000000000046}:0x8083",
        "{00062004-0000-0000-c000-000000000046}:0x00008083:PtypString",
        "{00062004-0000-0000-C000-000000000046}:0x8083:0x001F",
    ] {
        let x = spec(s);
        assert_eq!(x.name, want, "{s}");
        assert_eq!(x.ptype, Some(PropType::String), "{s}");
        assert_eq!(x.canonical, Some("PidLidEmail1EmailAddress"), "{s}");
    }
}

#[test]
fn every_spelling_of_a_string_name_parses_alike() {
    let want = PropertyName::string(PS_PUBLIC_STRINGS, "Keywords");
    for s in [
        "PidNameKeywords",
        "PS_PUBLIC_STRINGS:\"Keywords\"",
        "PS_PUBLIC_STRINGS:Keywords",
        "ps_public_strings:\"Keywords\":PT_MV_UNICODE",
        "{00020329-0000-0000-C000-000000000046}:\"Keywords\"",
    ] {
        let x = spec(s);
        assert_eq!(x.name, want, "{s}");
        assert_eq!(x.ptype, Some(PropType::MultipleString), "{s}");
        assert_eq!(x.canonical, Some("PidNameKeywords"), "{s}");
    }
    // A name with colons in it, quoted or not (MS-OXPROPS 2.403 PidNameCalendarTimeZone).
    for s in [
        "PS_PUBLIC_STRINGS:\"urn:schemas:calendar:timezone\"",
        "PS_PUBLIC_STRINGS:urn:schemas:calendar:timezone",
    ] {
        assert_eq!(spec(s).canonical, Some("PidNameCalendarTimeZone"), "{s}");
    }
}

#[test]
fn uncatalogued_names_take_the_typed_type_or_none() {
    let x = spec("PSETID_Address:0x8099");
    assert_eq!(
        (x.name.clone(), x.ptype, x.canonical),
        (PropertyName::id(PSETID_ADDRESS, 0x8099), None, None)
    );
    assert_eq!(spec("PSETID_Address:0x8099:PT_LONG").ptype, Some(PropType::Integer32));
    let x = spec("{5778E1C3-5296-46CE-A353-B3E07F9B97BC}:\"X-Custom\":PT_UNICODE");
    assert_eq!(x.name.name, crate::named::NameId::String("X-Custom".into()));
    assert_eq!(x.ptype, Some(PropType::String));
    // The other string width of a catalogued string property is allowed.
    assert_eq!(spec("PidLidEmail1EmailAddress:PT_STRING8").ptype, Some(PropType::String8));
}

#[test]
fn ordinary_tags_are_not_named_spellings() {
    for s in ["PR_SUBJECT", "PidTagSubject", "0x0037001F", "subject", "PR_SUBJECT_W", ""] {
        assert_eq!(parse_named(s), Ok(None), "{s}");
    }
}

#[test]
fn malformed_or_unknown_named_spellings_are_errors() {
    let e = parse_named("PidLidNoSuchThing").unwrap_err();
    assert!(e.contains("PidLidNoSuchThing") && e.contains("oxmapi tag"), "{e}");
    for s in [
        "PSETID_NoSuchSet:0x8083",
        "PSETID_Address",
        "PSETID_Address:",
        "PSETID_Address:0xZZ",
        "PSETID_Address:0x8083:PT_BOGUS",
        "{00062004-0000-0000-C000}:0x8083",
        "{00062004-0000-0000-C000-000000000046}",
        "{00062004-0000-0000-C000-000000000046:0x8083",
        "PS_PUBLIC_STRINGS:\"Keywords",
        "PS_PUBLIC_STRINGS:\"\"",
        "PS_PUBLIC_STRINGS:\"Keywords\"junk",
        "PidLidEmail1EmailAddress:PT_LONG",
        "PidLidEmail1EmailAddress:PT_NOPE",
    ] {
        assert!(parse_named(s).is_err(), "{s}: {:?}", parse_named(s));
    }
}

#[test]
fn entries_are_unique_and_many() {
    let mut names = HashSet::new();
    let mut keys = HashSet::new();
    for e in entries() {
        assert!(names.insert(e.canonical.to_ascii_lowercase()), "duplicate canonical name {}", e.canonical);
        let p = e.property_name();
        let key = match &p.name {
            crate::named::NameId::Id(l) => format!("{}:{l}", p.guid),
            crate::named::NameId::String(s) => format!("{}:{s}", p.guid),
        };
        assert!(keys.insert(key), "duplicate property name for {}", e.canonical);
        assert!(e.canonical.starts_with("PidLid") || e.canonical.starts_with("PidName"), "{}", e.canonical);
        assert_eq!(e.canonical.starts_with("PidLid"), e.lid().is_some(), "{}: PidLid ⇔ MNID_ID", e.canonical);
        assert_eq!(by_property_name(&p).map(|x| x.canonical), Some(e.canonical));
    }
    assert!(names.len() >= 300, "{} entries", names.len());
}

/// Spot checks against MS-OXPROPS section 2 (and the Outlook MAPI reference's canonical
/// property pages, which print the same set, LID and type).
#[test]
fn entries_match_ms_oxprops() {
    let id = |set, lid, ty, name: &str| {
        let e = by_canonical(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!((e.name.set, e.lid(), e.ptype), (set, Some(lid), ty), "{name}");
    };
    id(PSETID_ADDRESS, 0x8080, PropType::String, "PidLidEmail1DisplayName");
    id(PSETID_ADDRESS, 0x8082, PropType::String, "PidLidEmail1AddressType");
    id(PSETID_ADDRESS, 0x8083, PropType::String, "PidLidEmail1EmailAddress");
    id(PSETID_ADDRESS, 0x8084, PropType::String, "PidLidEmail1OriginalDisplayName");
    id(PSETID_ADDRESS, 0x8085, PropType::Binary, "PidLidEmail1OriginalEntryId");
    id(PSETID_ADDRESS, 0x80A3, PropType::String, "PidLidEmail3EmailAddress");
    id(PSETID_ADDRESS, 0x8053, PropType::String, "PidLidDistributionListName");
    id(PSETID_ADDRESS, 0x8062, PropType::String, "PidLidInstantMessagingAddress");
    // 2.96 PidLidDistributionListMembers; 2.99 PidLidDistributionListStream (PtypBinary per
    // MS-OXOCNTC 2.2.2.2.4, where OpenChange's table says PT_LONG).
    id(PSETID_ADDRESS, 0x8055, PropType::MultipleBinary, "PidLidDistributionListMembers");
    id(PSETID_ADDRESS, 0x8064, PropType::Binary, "PidLidDistributionListStream");
    // 2.64 PidLidCompanies: PtypMultipleString, 0x101F.
    id(PSETID_COMMON, 0x8539, PropType::MultipleString, "PidLidCompanies");
    // 2.232 / 2.233: PSETID_CalendarAssistant, not PSETID_Common.
    id(PSETID_CALENDAR_ASSISTANT, 0x85CC, PropType::Boolean, "PidLidServerProcessed");
    id(PSETID_CALENDAR_ASSISTANT, 0x85CD, PropType::Integer32, "PidLidServerProcessingActions");
    id(PSETID_MEETING, 0x000C, PropType::Integer32, "PidLidTimeZone");
    id(PSETID_TASK, 0x8113, PropType::Integer32, "PidLidTaskState");
    id(PSETID_APPOINTMENT, 0x8205, PropType::Integer32, "PidLidBusyStatus");
    id(PSETID_APPOINTMENT, 0x8224, PropType::Integer32, "PidLidIntendedBusyStatus");
    id(PSETID_LOG, 0x870E, PropType::Boolean, "PidLidLogDocumentPrinted");
    id(PSETID_REMOTE, 0x8F04, PropType::Integer32, "PidLidRemoteTransferTime");
    // 2.71 PidLidContactLinkGlobalAddressListLinkId: PtypGuid, 0x0048.
    id(PSETID_ADDRESS, 0x80E8, PropType::Guid, "PidLidContactLinkGlobalAddressListLinkId");
    // Entries only MFCMAPI's table has, checked on the Outlook MAPI reference pages.
    id(PSETID_COMMON, 0x8540, PropType::Binary, "PidLidPropertyDefinitionStream");
    id(PSETID_COMMON, 0x8549, PropType::Time, "PidLidRecallTime");
    id(PSETID_COMMON, 0x8570, PropType::Integer32, "PidLidImapDeleted");
    id(PSETID_COMMON, 0x8578, PropType::Integer32, "PidLidHeaderItem");
    id(PSETID_COMMON, 0x859B, PropType::Boolean, "PidLidIsInterpersonalFax");
    id(PSETID_COMMON, 0x85A5, PropType::Boolean, "PidLidFShouldTNEF");
    // PidLidCategories: LID 0x00002328 in PS_PUBLIC_STRINGS (MFCMAPI and OpenChange say 0x9000).
    id(PS_PUBLIC_STRINGS, 0x2328, PropType::MultipleString, "PidLidCategories");

    let named = |set, s: &'static str, ty, name: &str| {
        let e = by_canonical(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!((e.name.set, e.name.key, e.ptype), (set, NameKey::Str(s), ty), "{name}");
    };
    // 2.451 PidNameKeywords (PtypMultipleString per MS-OXCMSG 2.2.1.17).
    named(PS_PUBLIC_STRINGS, "Keywords", PropType::MultipleString, "PidNameKeywords");
    named(PS_PUBLIC_STRINGS, "Category", PropType::String, "PidNameCategory");
    named(PS_PUBLIC_STRINGS, "LastPrinted", PropType::Time, "PidNameLastPrinted"); // 2.453
    named(PS_PUBLIC_STRINGS, "urn:schemas:calendar:timezone", PropType::String, "PidNameCalendarTimeZone"); // 2.403
    named(PS_INTERNET_HEADERS, "Xref", PropType::String, "PidNameCrossReference"); // 2.416
    named(PS_PUBLIC_STRINGS, "urn:schemas:calendar:contact", PropType::String, "PidNameCalendarContact"); // 2.382
    // The Outlook MAPI reference's canonical property pages.
    named(PS_PUBLIC_STRINGS, "AppName", PropType::String, "PidNameApplicationName");
    named(PS_PUBLIC_STRINGS, "EditTime", PropType::String, "PidNameEditTime");
    named(PS_INTERNET_HEADERS, "Content-Class", PropType::String, "PidNameContentClass");
    named(PS_INTERNET_HEADERS, "X-Sharing-Flavor", PropType::String, "PidNameXSharingFlavor");
    named(PSETID_UNIFIED_MESSAGING, "UMAudioNotes", PropType::String, "PidNameAudioNotes");
    named(PSETID_ATTACHMENT, "AttachmentMacInfo", PropType::Binary, "PidNameAttachmentMacInfo");
    named(
        PS_PUBLIC_STRINGS,
        "http://schemas.microsoft.com/exchange/junkemailmovestamp",
        PropType::Integer32,
        "PidNameExchangeJunkEmailMoveStamp",
    );
}

#[test]
fn search_is_partial_and_finds_ids() {
    let names = |q: &str| search(q).iter().map(|e| e.canonical).collect::<Vec<_>>();
    let e1 = names("email1");
    assert!(e1.contains(&"PidLidEmail1EmailAddress") && e1.contains(&"PidLidEmail1DisplayName"), "{e1:?}");
    assert!(!e1.contains(&"PidLidEmail2EmailAddress"));
    for q in ["8083", "0x8083", "0X8083"] {
        assert_eq!(names(q), ["PidLidEmail1EmailAddress"], "{q}");
    }
    assert_eq!(names("PSETID_Note").len(), 5);
    assert!(names("content-type").contains(&"PidNameContentType"));
    assert!(names("KEYWORDS").contains(&"PidNameKeywords"));
    assert!(names("").is_empty());
    assert!(names("no such thing anywhere").is_empty());
}

#[test]
fn display_prefers_the_canonical_name() {
    assert_eq!(display(&PropertyName::id(PSETID_ADDRESS, 0x8083)), "PidLidEmail1EmailAddress");
    assert_eq!(display(&PropertyName::string(PS_PUBLIC_STRINGS, "Keywords")), "PidNameKeywords");
    assert_eq!(
        display(&PropertyName::string(PS_PUBLIC_STRINGS, "keywords")),
        "PS_PUBLIC_STRINGS:\"keywords\""
    );
    let n = PropertyName::id(PSETID_ADDRESS, 0x8099);
    assert_eq!(display(&n), "PSETID_Address:0x8099");
    let g: Guid = "{5778E1C3-5296-46CE-A353-B3E07F9B97BC}".parse().unwrap();
    let s = PropertyName::string(g, "X-Custom");
    assert_eq!(display(&s), "{5778E1C3-5296-46CE-A353-B3E07F9B97BC}:\"X-Custom\"");
    // What display prints parses back to the same name.
    for n in [n, s, PropertyName::id(g, 0x1234)] {
        assert_eq!(spec(&display(&n)).name, n);
    }
}
