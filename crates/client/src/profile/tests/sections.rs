//! IMsgServiceAdmin and IProfSect behaviour: the MSEMS template, section resolution, tables and
//! the configuration helpers.

use oxmapi_core::catalogue::tags::{
    PR_DISPLAY_NAME, PR_MDB_PROVIDER, PR_PROFILE_AUTH_USER, PR_PROFILE_CONFIG_FLAGS,
    PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_HOME_SERVER, PR_PROFILE_OPEN_FLAGS, PR_PROFILE_TRANSPORT_FLAGS,
    PR_PROFILE_TYPE, PR_PROFILE_VERSION, PR_PROVIDER_UID, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE,
    PR_SERVICE_NAME, PR_SERVICE_UID, PR_STORE_PROVIDERS,
};
use oxmapi_core::error::codes;
use oxmapi_core::guid::{EXCHANGE_PROVIDER_PRIMARY_USER_GUID, EXCHANGE_PROVIDER_PUBLIC_GUID};
use oxmapi_core::{MapiUid, PropTag, PropValue};

use super::super::consts::provider_flags::*;
use super::super::consts::resource_type::*;
use super::super::consts::service_flags::SERVICE_SINGLE_COPY;
use super::super::{DEFAULT_CLIENT_VERSION, GLOBAL_SECTION_UID, Profile, ProviderKind, SectionOwner};

fn msems_profile() -> Profile {
    let mut p = Profile::new("t");
    p.add_msems_service(None, None).unwrap();
    p
}

#[test]
fn msems_template_as_mapisvc_inf_writes_it() {
    let p = msems_profile();
    let svc = p.service("msems").unwrap();
    assert_eq!(
        (svc.display_name.as_str(), svc.resource_flags),
        ("Microsoft Exchange Server", SERVICE_SINGLE_COPY)
    );
    let names: Vec<_> = svc.providers.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["EMS_MDB_private", "EMS_MDB_public", "EMS_DSA", "EMS_MSX", "EMS_RXP", "EMS_Hook"]);

    let sect = |name: &str| p.section(&p.resolve_section(name).unwrap()).unwrap().clone();
    let private = sect("EMS_MDB_private");
    assert_eq!(private.get_u32(PR_PROFILE_OPEN_FLAGS), Some(0x0C));
    assert_eq!(private.get_u32(PR_PROFILE_TYPE), Some(1));
    assert_eq!(private.get_u32(PR_RESOURCE_TYPE), Some(MAPI_STORE_PROVIDER));
    assert_eq!(
        private.get_u32(PR_RESOURCE_FLAGS),
        Some(STATUS_PRIMARY_IDENTITY | STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE)
    );
    assert_eq!(
        private.get(PR_MDB_PROVIDER),
        Some(&PropValue::Binary(EXCHANGE_PROVIDER_PRIMARY_USER_GUID.0.to_vec()))
    );
    assert_eq!(private.get_text(PR_DISPLAY_NAME).as_deref(), Some("Mailbox"));
    assert_eq!(private.get(PR_SERVICE_UID), Some(&PropValue::Binary(svc.uid.0.to_vec())));
    assert_eq!(private.get_text(PR_SERVICE_NAME).as_deref(), Some("MSEMS"));

    let public = sect("EMS_MDB_public");
    assert_eq!(public.get_u32(PR_PROFILE_OPEN_FLAGS), Some(0x06));
    assert_eq!(public.get_u32(PR_PROFILE_TYPE), Some(3));
    assert_eq!(public.get_u32(PR_RESOURCE_FLAGS), Some(STATUS_NO_DEFAULT_STORE));
    assert_eq!(
        public.get(PR_MDB_PROVIDER),
        Some(&PropValue::Binary(EXCHANGE_PROVIDER_PUBLIC_GUID.0.to_vec()))
    );
    assert_eq!(public.get_text(PR_DISPLAY_NAME).as_deref(), Some("Public Folders"));

    let rxp = sect("ems_rxp");
    assert_eq!((rxp.get_u32(PR_PROFILE_OPEN_FLAGS), rxp.get_u32(PR_PROFILE_TYPE)), (Some(0x40), Some(0x0A)));
    assert_eq!(sect("EMS_DSA").get_u32(PR_RESOURCE_TYPE), Some(MAPI_AB_PROVIDER));
    assert_eq!(sect("EMS_MSX").get_u32(PR_RESOURCE_TYPE), Some(MAPI_TRANSPORT_PROVIDER));
    assert_eq!(sect("EMS_Hook").get_u32(PR_RESOURCE_FLAGS), Some(HOOK_INBOUND));
    assert_eq!(sect("EMS_Hook").get_u32(PR_RESOURCE_TYPE), Some(MAPI_HOOK_PROVIDER));

    let service_sect = sect("MSEMS");
    let stores: Vec<u8> =
        svc.providers.iter().filter(|v| v.kind == ProviderKind::Store).flat_map(|v| v.uid.0).collect();
    assert_eq!(service_sect.get(PR_STORE_PROVIDERS), Some(&PropValue::Binary(stores)));

    let g = p.global_section().unwrap();
    assert_eq!(g.get_u32(PR_PROFILE_VERSION), Some(0x501));
    assert_eq!(g.get_u32(PR_PROFILE_CONFIG_FLAGS), Some(4));
    assert_eq!(g.get_u32(PR_PROFILE_TRANSPORT_FLAGS), Some(3));
    assert_eq!(g.get_u32(PR_PROFILE_CONNECT_FLAGS), Some(2));
    assert_eq!(p.connect_flags(), 2);
    // every provider UID is distinct and none is the global section's
    let mut uids: Vec<MapiUid> = svc.providers.iter().map(|v| v.uid).chain([svc.uid]).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 7);
    assert!(!uids.contains(&GLOBAL_SECTION_UID));
    assert_eq!(p.sections.len(), 8);
}

#[test]
fn section_resolution() {
    let p = msems_profile();
    assert_eq!(p.resolve_section("global").unwrap(), GLOBAL_SECTION_UID);
    assert_eq!(p.resolve_section("GLOBAL").unwrap(), GLOBAL_SECTION_UID);
    assert_eq!(p.resolve_section("").unwrap(), GLOBAL_SECTION_UID);
    for spec in [
        "13DBB0C8AA05101A9BB000AA002FC45A",
        "13dbb0c8aa05101a9bb000aa002fc45a",
        "{13DBB0C8AA05101A9BB000AA002FC45A}",
        "{C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}",
        "c8b0db13-05aa-1a10-9bb0-00aa002fc45a",
    ] {
        assert_eq!(p.resolve_section(spec).unwrap(), GLOBAL_SECTION_UID, "{spec}");
    }
    let svc = p.service("MSEMS").unwrap();
    assert_eq!(p.resolve_section("MSEMS").unwrap(), svc.uid);
    assert_eq!(p.resolve_section(&svc.uid.to_string()).unwrap(), svc.uid);
    assert_eq!(p.resolve_section("ems_mdb_public").unwrap(), svc.providers[1].uid);
    let e = p.resolve_section("EMS_NOPE").unwrap_err();
    assert_eq!(e.code, codes::MAPI_E_NOT_FOUND);
    assert!(e.message.contains("EMS_MDB_private"), "{}", e.message);
    assert!(p.resolve_section("13DBB0C8AA05101A9BB000AA002FC45").is_err());
    assert!(matches!(p.section_owner(&GLOBAL_SECTION_UID), SectionOwner::Global));
    assert!(matches!(p.section_owner(&svc.uid), SectionOwner::Service(s) if s.name == "MSEMS"));
    assert!(
        matches!(p.section_owner(&svc.providers[2].uid), SectionOwner::Provider(_, v) if v.name == "EMS_DSA")
    );
    assert!(matches!(p.section_owner(&MapiUid([9; 16])), SectionOwner::Other));
}

#[test]
fn tables_match_the_sections() {
    let p = msems_profile();
    let services = p.service_table();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].service_name, "MSEMS");
    let rows = p.provider_table();
    assert_eq!(rows.len(), 6);
    for r in &rows {
        let sect = p.section(&r.provider_uid).unwrap();
        assert_eq!(sect.get(PR_PROVIDER_UID), Some(&PropValue::Binary(r.provider_uid.0.to_vec())));
        assert_eq!(sect.get_u32(PR_RESOURCE_TYPE), Some(r.resource_type));
        assert_eq!(sect.get_u32(PR_RESOURCE_FLAGS), Some(r.resource_flags));
        assert_eq!(sect.get_text(PR_DISPLAY_NAME), Some(r.display_name.clone()));
        assert_eq!(r.service_uid, services[0].service_uid);
        let cols = r.props();
        assert!(
            cols.iter()
                .any(|c| c.tag == PR_PROVIDER_UID && c.value == PropValue::Binary(r.provider_uid.0.to_vec()))
        );
    }
    assert!(services[0].props().iter().any(|c| c.tag == PR_SERVICE_NAME));
}

#[test]
fn single_copy_and_remove_service() {
    let mut p = msems_profile();
    assert_eq!(p.add_msems_service(None, None).unwrap_err().code, codes::MAPI_E_COLLISION);
    p.set_prop(&GLOBAL_SECTION_UID, PR_PROFILE_CONNECT_FLAGS, PropValue::I32(0x8002)).unwrap();
    let uid = p.service("MSEMS").unwrap().uid;
    p.remove_service(&uid).unwrap();
    assert!(p.services.is_empty());
    assert_eq!(p.sections.len(), 1, "only the global section stays");
    assert_eq!(p.remove_service(&uid).unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    // re-adding keeps the edited connect flags (defaults only fill gaps)
    p.add_msems_service(None, None).unwrap();
    assert_eq!(p.connect_flags(), 0x8002);
}

#[test]
fn configuration_helpers() {
    let mut p = Profile::new("c");
    assert_eq!(p.is_configured().unwrap_err(), vec!["the MSEMS message service"]);
    p.add_msems_service(None, Some("  alice ")).unwrap();
    assert_eq!(p.auth_user().as_deref(), Some("alice"));
    assert_eq!(p.is_configured().unwrap_err().len(), 1);
    assert!(p.is_configured().unwrap_err()[0].contains("server URL"));
    p.configure_msems(Some("HTTP://127.0.0.1:8080/"), None).unwrap();
    assert_eq!(p.server_url().as_deref(), Some("HTTP://127.0.0.1:8080"));
    assert_eq!(p.is_configured(), Ok(()));
    // the URL is kept as PT_UNICODE under the id of PR_PROFILE_HOME_SERVER
    let g = p.global_section().unwrap();
    assert_eq!(g.get_any(PR_PROFILE_HOME_SERVER).unwrap().tag, PropTag(0x6602_001F));
    assert_eq!(g.get_any(PR_PROFILE_AUTH_USER).unwrap().tag, PropTag(0x66A0_001F));
    for bad in ["mail.example.test", "https://", "http:// x", "https://:443"] {
        assert_eq!(
            p.configure_msems(Some(bad), None).unwrap_err().code,
            codes::MAPI_E_INVALID_PARAMETER,
            "{bad}"
        );
    }
    assert!(p.configure_msems(None, Some("\u{7}")).is_err());

    assert_eq!(p.client_version(), None);
    assert_eq!(p.client_version_or_default(), DEFAULT_CLIENT_VERSION);
    p.set_client_version("6.5.8353.0").unwrap();
    assert_eq!(p.client_version().as_deref(), Some("6.5.8353.0"));
    for bad in ["6.5", "a.b.c.d", "1.2.3.70000", ""] {
        assert!(p.set_client_version(bad).is_err(), "{bad}");
    }
    let pin = "AB:".repeat(31) + "AB";
    p.set_tls_pin_sha256(&pin).unwrap();
    assert_eq!(p.tls_pin_sha256().unwrap(), "ab".repeat(32));
    assert!(p.set_tls_pin_sha256("abcd").is_err());
    p.set_tls_ca_file("/etc/ssl/ca.pem").unwrap();
    assert_eq!(p.tls_ca_file().as_deref(), Some("/etc/ssl/ca.pem"));
    p.set_profile_user("/o=Org/ou=Exchange/cn=Recipients/cn=alice");
    assert!(p.profile_user().unwrap().ends_with("cn=alice"));
    // a non-text value for a checked property is refused
    let e = p.set_prop(&GLOBAL_SECTION_UID, PR_PROFILE_HOME_SERVER, PropValue::I32(1)).unwrap_err();
    assert_eq!(e.code, codes::MAPI_E_INVALID_PARAMETER);
}

#[test]
fn set_prop_keeps_the_tables_in_step() {
    let mut p = msems_profile();
    let svc_uid = p.service("MSEMS").unwrap().uid;
    let prov_uid = p.provider("EMS_MDB_private").unwrap().1.uid;
    p.set_prop(&prov_uid, PR_DISPLAY_NAME, PropValue::Unicode("Alice's mailbox".into())).unwrap();
    p.set_prop(&prov_uid, PR_RESOURCE_FLAGS, PropValue::I32(0x1006)).unwrap();
    p.set_prop(&svc_uid, PR_DISPLAY_NAME, PropValue::Unicode("Exchange".into())).unwrap();
    let row = p.provider_table().into_iter().find(|r| r.provider_uid == prov_uid).unwrap();
    assert_eq!((row.display_name.as_str(), row.resource_flags), ("Alice's mailbox", 0x1006));
    assert_eq!(p.service_table()[0].display_name, "Exchange");
    // an unknown UID gets a new section (OpenProfileSection with MAPI_MODIFY)
    let other = MapiUid([7; 16]);
    p.set_prop(&other, PropTag(0x6710_0003), PropValue::I32(5)).unwrap();
    assert_eq!(p.section(&other).unwrap().get_u32(PropTag(0x6710_0003)), Some(5));
}

#[test]
fn section_lookup_by_type() {
    let mut p = Profile::new("x");
    let g = p.global_section_mut();
    g.set(PropTag(0x6602_001F), PropValue::Unicode("u".into()));
    assert!(g.get(PropTag(0x6602_001E)).is_some(), "string widths are interchangeable");
    assert!(g.get(PropTag(0x6602_0000)).is_some(), "PT_UNSPECIFIED matches");
    assert!(g.get(PropTag(0x6602_0003)).is_none(), "another type does not");
    assert_eq!(g.get_u32(PropTag(0x6602_0003)), None);
    g.set_default(PropTag(0x6602_0003), PropValue::I32(1));
    assert_eq!(g.get_text(PropTag(0x6602_001F)).as_deref(), Some("u"));
    assert_eq!(g.remove(PropTag(0x6602_0102)), Some(PropValue::Unicode("u".into())));
    assert!(g.get_any(PropTag(0x6602_0000)).is_none());
}

#[test]
fn settings_in_the_msems_section_count_too() {
    let mut p = msems_profile();
    assert!(p.is_configured().is_err());
    let uid = p.resolve_section("MSEMS").unwrap();
    p.set_prop(&uid, PR_PROFILE_HOME_SERVER, PropValue::Unicode("https://svc.example/".into())).unwrap();
    p.set_prop(&uid, PR_PROFILE_AUTH_USER, PropValue::Unicode("bob".into())).unwrap();
    assert_eq!(p.server_url().as_deref(), Some("https://svc.example"));
    assert_eq!(p.is_configured(), Ok(()));
    // the global section wins when both have a value
    p.configure_msems(Some("https://global.example"), None).unwrap();
    assert_eq!(p.server_url().as_deref(), Some("https://global.example"));
    assert_eq!(p.auth_user().as_deref(), Some("bob"));
}

/// Where the endpoint URLs go, as Microsoft's Office profile sample (`HrCreateMsemsServiceMOH`)
/// writes them: the address book URLs in the global section, the mailbox URLs in the private
/// store provider's section; MFCMAPI's tag values 0x6652…0x6655, 0x664A (PT_UNICODE).
#[test]
fn endpoint_urls_are_kept_where_outlook_keeps_them() {
    use crate::transport::MapiHttpUrls;
    let mut p = msems_profile();
    let urls = MapiHttpUrls {
        mailstore_internal: Some("https://h/mapi/emsmdb/?MailboxId=a@b".into()),
        mailstore_external: None,
        addressbook_internal: Some("https://h/mapi/nspi/?MailboxId=a@b".into()),
        addressbook_external: Some("https://x/mapi/nspi/?MailboxId=a@b".into()),
    };
    p.set_mapihttp_urls(&urls, "https://h/autodiscover/autodiscover.xml");
    let private =
        p.service("MSEMS").unwrap().providers.iter().find(|v| v.name == "EMS_MDB_private").unwrap().uid;
    let text = |uid: &MapiUid, tag: u32| p.section(uid).and_then(|s| s.get_text(PropTag(tag)));
    assert_eq!(text(&private, 0x6652_001F).as_deref(), Some("https://h/mapi/emsmdb/?MailboxId=a@b"));
    assert_eq!(text(&GLOBAL_SECTION_UID, 0x6652_001F), None);
    assert_eq!(text(&GLOBAL_SECTION_UID, 0x6654_001F).as_deref(), Some("https://h/mapi/nspi/?MailboxId=a@b"));
    assert_eq!(text(&GLOBAL_SECTION_UID, 0x6655_001F).as_deref(), Some("https://x/mapi/nspi/?MailboxId=a@b"));
    assert_eq!(
        text(&GLOBAL_SECTION_UID, 0x664A_001F).as_deref(),
        Some("https://h/autodiscover/autodiscover.xml")
    );
    assert_eq!(p.mapihttp_urls(), urls);
    // A later answer without an external URL leaves none of the old one.
    let fewer = MapiHttpUrls { addressbook_external: None, ..urls.clone() };
    p.set_mapihttp_urls(&fewer, "https://h/autodiscover/autodiscover.xml");
    assert_eq!(p.mapihttp_urls(), fewer);
    p.clear_mapihttp_urls();
    assert!(p.mapihttp_urls().is_empty() && p.lkg_autodiscover_url().is_none());
}
