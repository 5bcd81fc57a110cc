//! IProfAdmin behaviour: create, list, get, default, copy, rename, delete.

use std::ffi::OsString;
use std::path::PathBuf;

use oxmapi_core::catalogue::tags::PR_PROFILE_NAME;
use oxmapi_core::error::codes;

use super::super::{GLOBAL_SECTION_UID, ProfileStore, resolve_home};
use super::temp_store;

#[test]
fn empty_store_lists_nothing_and_has_no_default() {
    let (_d, s) = temp_store();
    assert!(s.list().unwrap().is_empty());
    assert_eq!(s.default_profile().unwrap(), None);
    assert!(!s.home().exists(), "reads must not create the home");
}

#[test]
fn create_list_get_and_first_profile_is_default() {
    let (_d, s) = temp_store();
    let p = s
        .create_with("work", |p| {
            p.add_msems_service(Some("https://mail.example.test/"), Some("alice")).map(|_| ())
        })
        .unwrap();
    assert_eq!(p.server_url().as_deref(), Some("https://mail.example.test"));
    s.create("home").unwrap();
    let list = s.list().unwrap();
    let names: Vec<_> = list.iter().map(|r| (r.name.as_str(), r.is_default, r.services.clone())).collect();
    assert_eq!(names, vec![("home", false, vec![]), ("work", true, vec!["MSEMS".to_string()])]);
    assert_eq!(s.default_profile().unwrap().as_deref(), Some("work"));
    let got = s.get("WORK").unwrap();
    assert_eq!(got, p);
    assert_eq!(got.global_section().unwrap().get_text(PR_PROFILE_NAME).as_deref(), Some("work"));
    assert!(s.file_path().exists());
}

#[test]
fn collisions_and_bad_names() {
    let (_d, s) = temp_store();
    s.create("a").unwrap();
    assert_eq!(s.create("A").unwrap_err().code, codes::MAPI_E_COLLISION);
    for bad in ["", " a", "a ", "x\ny", &"n".repeat(257)] {
        assert_eq!(s.create(bad).unwrap_err().code, codes::MAPI_E_INVALID_PARAMETER, "{bad:?}");
    }
    // a failing builder writes nothing
    let e = s.create_with("b", |p| p.add_msems_service(Some("ftp://x"), None).map(|_| ())).unwrap_err();
    assert_eq!(e.code, codes::MAPI_E_INVALID_PARAMETER);
    assert!(s.get("b").is_err());
}

#[test]
fn not_found_names_the_profile_and_the_way_out() {
    let (_d, s) = temp_store();
    let e = s.get("nosuch").unwrap_err();
    assert_eq!(e.code, codes::MAPI_E_NOT_FOUND);
    assert!(
        e.message.contains("\"nosuch\"")
            && e.message.contains("profile list")
            && e.message.contains("profile create")
    );
    assert_eq!(s.delete("nosuch").unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    assert_eq!(s.set_default("nosuch").unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    assert_eq!(s.update("nosuch", |_| Ok(())).unwrap_err().code, codes::MAPI_E_NOT_FOUND);
}

#[test]
fn default_copy_rename_delete() {
    let (_d, s) = temp_store();
    s.create_with("legacy", |p| p.add_msems_service(Some("http://127.0.0.1:1"), Some("alice")).map(|_| ()))
        .unwrap();
    s.create("other").unwrap();
    s.set_default("other").unwrap();
    assert_eq!(s.default_profile().unwrap().as_deref(), Some("other"));

    s.copy("legacy", "legacy2").unwrap();
    assert_eq!(s.copy("legacy", "LEGACY2").unwrap_err().code, codes::MAPI_E_COLLISION);
    assert_eq!(s.copy("missing", "x").unwrap_err().code, codes::MAPI_E_NOT_FOUND);
    let (a, b) = (s.get("legacy").unwrap(), s.get("legacy2").unwrap());
    assert_eq!(a.services, b.services);
    assert_eq!(b.global_section().unwrap().get_text(PR_PROFILE_NAME).as_deref(), Some("legacy2"));
    assert_eq!(b.auth_user().as_deref(), Some("alice"));

    // copies are independent
    s.update("legacy2", |p| p.configure_msems(None, Some("bob"))).unwrap();
    assert_eq!(s.get("legacy").unwrap().auth_user().as_deref(), Some("alice"));

    // rename keeps the default with the profile; case-only rename is allowed
    s.rename("other", "Other").unwrap();
    assert_eq!(s.default_profile().unwrap().as_deref(), Some("Other"));
    s.rename("Other", "renamed").unwrap();
    assert_eq!(s.default_profile().unwrap().as_deref(), Some("renamed"));
    assert_eq!(s.rename("renamed", "legacy").unwrap_err().code, codes::MAPI_E_COLLISION);
    let r = s.get("renamed").unwrap();
    assert_eq!(r.section(&GLOBAL_SECTION_UID).unwrap().get_text(PR_PROFILE_NAME).as_deref(), Some("renamed"));

    s.delete("legacy2").unwrap();
    assert!(s.list().unwrap().iter().all(|p| p.name != "legacy2"));
    // deleting the default leaves none
    s.delete("renamed").unwrap();
    assert_eq!(s.default_profile().unwrap(), None);
    // the next creation does not steal the default either way: it becomes default only if none
    s.create("fresh").unwrap();
    assert_eq!(s.default_profile().unwrap().as_deref(), Some("fresh"));
}

#[test]
fn update_writes_only_on_success() {
    let (_d, s) = temp_store();
    s.create("p").unwrap();
    let before = std::fs::read(s.file_path()).unwrap();
    let e = s
        .update("p", |p| {
            p.configure_msems(None, Some("x"))?;
            Err::<(), _>(oxmapi_core::MapiError::new(codes::MAPI_E_CALL_FAILED, "abort"))
        })
        .unwrap_err();
    assert_eq!(e.code, codes::MAPI_E_CALL_FAILED);
    assert_eq!(std::fs::read(s.file_path()).unwrap(), before);
    // the closure cannot rename the profile behind the store's back
    s.update("p", |p| {
        p.name = "q".into();
        Ok(())
    })
    .unwrap();
    assert!(s.get("p").is_ok());
}

#[test]
fn file_is_private_and_no_temporaries_remain() {
    let (_d, s) = temp_store();
    s.create("p").unwrap();
    s.update("p", |p| p.set_client_version("6.5.8353.0")).unwrap();
    let names: Vec<String> = std::fs::read_dir(s.home())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.file_path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "profile file mode {mode:o}");
    }
}

#[test]
fn home_resolution_order() {
    let o = |s: &str| Some(OsString::from(s));
    assert_eq!(resolve_home(o("/x"), o("/xdg"), o("/h")).unwrap(), PathBuf::from("/x"));
    assert_eq!(resolve_home(o(""), o("/xdg"), o("/h")).unwrap(), PathBuf::from("/xdg/oxmapi"));
    assert_eq!(resolve_home(None, o("relative"), o("/h")).unwrap(), PathBuf::from("/h/.config/oxmapi"));
    assert_eq!(resolve_home(None, None, o("/h")).unwrap(), PathBuf::from("/h/.config/oxmapi"));
    assert_eq!(resolve_home(None, None, None).unwrap_err().code, codes::MAPI_E_NOT_FOUND);
}

#[test]
fn a_file_as_home_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("f");
    std::fs::write(&f, b"x").unwrap();
    assert_eq!(ProfileStore::open(&f).unwrap_err().code, codes::MAPI_E_INVALID_PARAMETER);
}
