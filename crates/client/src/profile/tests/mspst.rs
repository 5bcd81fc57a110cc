//! The Personal Folders services in a profile (MSUPST MS / MSPST MS): sections as
//! CreateMsgService + ConfigureMsgService leave them (MFCMAPI's HrAddPSTToProfile: PR_PST_PATH;
//! mapisvc.inf: PR_MDB_PROVIDER = MSPST_UID_PROVIDER, the service SERVICE_NO_PRIMARY_IDENTITY).

use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_MDB_PROVIDER, PR_RESOURCE_FLAGS};
use oxmapi_core::error::codes;
use oxmapi_core::guid::MSPST_UID_PROVIDER;
use oxmapi_core::value::PropValue;

use crate::profile::consts::provider_flags::STATUS_DEFAULT_STORE;
use crate::profile::mspst::{PR_PST_PATH, PstKind};
use crate::profile::{Profile, ProviderKind};

#[test]
fn a_pst_service_has_its_path_and_provider_in_its_sections() {
    let mut p = Profile::new("p");
    let uid = p.add_pst_service(PstKind::Unicode, "/m/archive.pst", Some("Archive")).unwrap();
    let svc = p.service_by_uid(&uid).unwrap();
    assert_eq!(svc.name, "MSUPST MS");
    assert_eq!(svc.resource_flags, 0x20, "SERVICE_NO_PRIMARY_IDENTITY");
    let provider = &svc.providers[0];
    assert_eq!(provider.kind, ProviderKind::Store);
    let sect = p.section(&provider.uid).unwrap();
    assert_eq!(sect.get_text(PR_PST_PATH).as_deref(), Some("/m/archive.pst"));
    assert_eq!(sect.get_text(PR_DISPLAY_NAME).as_deref(), Some("Archive"));
    assert_eq!(sect.get(PR_MDB_PROVIDER), Some(&PropValue::Binary(MSPST_UID_PROVIDER.0.to_vec())));
    assert_eq!(sect.get_u32(PR_RESOURCE_FLAGS), Some(STATUS_DEFAULT_STORE), "the only store is the default");
    assert_eq!(p.pst_stores(), vec![("Archive".to_string(), "/m/archive.pst".to_string(), uid)]);
}

#[test]
fn beside_exchange_a_pst_is_not_the_default_store() {
    let mut p = Profile::new("p");
    p.add_msems_service(Some("https://mail.example.test"), Some("alice")).unwrap();
    let uid = p.add_pst_service(PstKind::Ansi, "/m/old.pst", None).unwrap();
    let svc = p.service_by_uid(&uid).unwrap();
    assert_eq!(svc.name, "MSPST MS");
    assert_eq!(svc.display_name, "Personal Folders");
    assert_eq!(svc.providers[0].resource_flags & STATUS_DEFAULT_STORE, 0);
}

#[test]
fn store_names_and_paths_are_unique_and_services_are_found_by_name() {
    let mut p = Profile::new("p");
    p.add_msems_service(None, None).unwrap();
    let a = p.add_pst_service(PstKind::Unicode, "/m/a.pst", Some("Archive")).unwrap();
    let err = p.add_pst_service(PstKind::Unicode, "/m/b.pst", Some("ARCHIVE")).unwrap_err();
    assert_eq!(err.code, codes::MAPI_E_COLLISION);
    let err = p.add_pst_service(PstKind::Unicode, "/m/a.pst", Some("Other")).unwrap_err();
    assert_eq!(err.code, codes::MAPI_E_COLLISION);
    let b = p.add_pst_service(PstKind::Unicode, "/m/b.pst", Some("Second")).unwrap();
    assert_eq!(p.find_service("archive").unwrap(), a);
    assert_eq!(p.find_service(&b.to_string()).unwrap(), b);
    assert_eq!(
        p.find_service("MSUPST MS").unwrap_err().code,
        codes::MAPI_E_NOT_FOUND,
        "two services have that name"
    );
    p.remove_service(&a).unwrap();
    assert_eq!(p.pst_stores().len(), 1);
    assert!(p.section(&a).is_none());
}
