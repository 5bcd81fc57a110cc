//! `oxmapi profile add-service … MSUPST|MSPST`, `--store NAME` and `profile remove-service`: a
//! Personal Folders file as a store of the profile, read with no server (the profile's Exchange
//! server is down in these tests: the PST store works regardless).

mod common;

use common::{Site, testfile};

/// A site whose profile `alice` names a server that is not running, with `rel` added as the
/// store "Archive".
fn site_with_archive(rel: &str) -> Option<Site> {
    let file = testfile(rel)?;
    let site = Site::new();
    std::fs::copy(&file, site.path("archive.pst")).unwrap();
    std::fs::write(site.path("alice.pw"), "Secret-alice").unwrap();
    let out = site.run(&["profile", "create", "alice", "--server", "http://127.0.0.1:9", "--user", "alice"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = site.path("archive.pst");
    let out = site.run(&[
        "profile",
        "add-service",
        "alice",
        "MSUPST",
        "--path",
        path.to_str().unwrap(),
        "--display-name",
        "Archive",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(site)
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

/// Outlook.pst's Inbox holds 8 messages (its contents table; pypff and pffexport agree on the
/// file's 17 items, SOURCES.md): `folders`, `ls` and `show` read them with the server down, and
/// `watch` is refused with MAPI_E_NO_SUPPORT.
#[test]
fn a_personal_folders_store_is_read_with_the_exchange_server_down() {
    let Some(site) = site_with_archive("Aspose.Email-for-.NET/Outlook.pst") else { return };
    let out = site.as_user("alice", &["--store", "Archive", "--json", "folders"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let folders = json(&out);
    let inbox = folders.as_array().unwrap().iter().find(|f| f["path"] == "/Inbox").expect("an Inbox").clone();
    assert_eq!(inbox["items"], 8);
    let out = site.as_user("alice", &["--store", "Archive", "--json", "ls", "/Inbox", "--limit", "100"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out).as_array().unwrap().len(), 8);
    let out = site.as_user("alice", &["--store", "archive", "show", "/Inbox#1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = site.as_user("alice", &["--store", "Archive", "watch", "/Inbox", "--timeout", "2"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("MAPI_E_NO_SUPPORT"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What cannot work is refused when the service is added, not at the next logon: an ANSI
/// service on a Unicode file, a missing file, --create over an existing file, a second store of the same
/// name; an unknown --store lists the stores there are; a removed service is gone.
#[test]
fn add_service_refuses_what_cannot_work_and_remove_service_removes() {
    let Some(site) = site_with_archive("pstsdk/sample1.pst") else { return };
    let path = site.path("archive.pst");
    let p = path.to_str().unwrap();
    let refused = |args: &[&str], code: &str| {
        let out = site.run(args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success() && err.contains(code), "{args:?}: {err}");
    };
    refused(
        &["profile", "add-service", "alice", "MSPST", "--path", p, "--display-name", "Old"],
        "MAPI_E_VERSION",
    );
    refused(&["profile", "add-service", "alice", "MSUPST", "--path", "/nonexistent.pst"], "MAPI_E_NOT_FOUND");
    refused(&["profile", "add-service", "alice", "MSUPST", "--path", p, "--create"], "MAPI_E_COLLISION");
    refused(
        &["profile", "add-service", "alice", "MSUPST", "--path", p, "--display-name", "archive"],
        "MAPI_E_COLLISION",
    );
    refused(&["profile", "add-service", "alice", "MSXYZ", "--path", p], "MAPI_E_NOT_FOUND");
    let out = site.as_user("alice", &["--store", "Nope", "folders"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success() && err.contains("MAPI_E_NOT_FOUND") && err.contains("Archive"), "{err}");
    let out = site.run(&["profile", "remove-service", "alice", "Archive"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = site.as_user("alice", &["--store", "Archive", "folders"]);
    assert!(!out.status.success());
}
