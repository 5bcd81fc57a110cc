//! `oxmapi mailboxes` and `oxmapi admin mailboxes` (issue 20 item 5, the administrator's mailbox
//! table) with the `oxmapi` binary as a child process against `oxmapi serve`: an administrator
//! gets one row per mailbox (as /work/shared/acceptance/13-editor.sh checks), a user who is not
//! one is refused with MAPI_E_NO_ACCESS and told what grants the right, and the data directory
//! gives the same rows without a server.

mod common;

use std::process::Output;

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn json_rows(out: &Output) -> Vec<serde_json::Value> {
    assert!(out.status.success(), "{}", text(out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
    v.as_array().expect("a JSON array").clone()
}

fn row<'a>(rows: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    rows.iter().find(|r| r["display_name"] == name).unwrap_or_else(|| panic!("no row for {name}: {rows:?}"))
}

#[test]
fn administrators_list_the_mailboxes_others_are_refused() {
    let site = common::Site::start();
    let data = site.path("data");
    let data = data.to_str().unwrap();
    let root_pw = site.path("root.pw");
    std::fs::write(&root_pw, "Secret-root").unwrap();
    let out = site.run(&[
        "admin",
        "--data",
        data,
        "user",
        "add",
        "root",
        "--display-name",
        "Root Admin",
        "--password-file",
        root_pw.to_str().unwrap(),
        "--admin",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let url = common::server_url(&site.path("port"));
    let out = site.run(&["profile", "create", "root", "--server", &url, "--user", "root"]);
    assert!(out.status.success(), "{}", text(&out));

    // Alice logs on once (her last logon is recorded); Bob never does.
    let out = site.as_user("alice", &["folders"]);
    assert!(out.status.success(), "{}", text(&out));

    let rows = json_rows(&site.as_user("root", &["--json", "mailboxes"]));
    assert_eq!(rows.len(), 3);
    let alice = row(&rows, "Alice Archer");
    assert_eq!(alice["account"], "alice");
    assert!(alice["legacy_dn"].as_str().unwrap().ends_with("/cn=alice"));
    assert!(alice["size"].is_i64() && alice["items"].is_i64());
    assert!(alice["last_logon"].is_string(), "alice logged on: {alice}");
    let bob = row(&rows, "Bob Baker");
    assert!(bob["last_logon"].is_null(), "bob never logged on: {bob}");
    assert_eq!(bob["quota"], "ok");

    // The text form: one aligned row per mailbox under a header.
    let out = site.as_user("root", &["mailboxes"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = String::from_utf8_lossy(&out.stdout);
    assert!(t.lines().next().is_some_and(|h| h.contains("size") && h.contains("items")), "{t}");
    assert!(t.contains("Alice Archer") && t.contains("Bob Baker") && t.contains("Root Admin"), "{t}");

    // Alice is not an administrator.
    let out = site.as_user("alice", &["mailboxes"]);
    assert!(!out.status.success());
    let t = text(&out);
    for needle in [
        "MAPI_E_NO_ACCESS",
        "0x80070005",
        "oxmapi admin user add NAME --admin",
        "CONNECT_USE_ADMIN_PRIVILEGE",
    ] {
        assert!(t.contains(needle), "{needle} in {t}");
    }

    // The same rows from the data directory.
    let local = json_rows(&site.run(&["--json", "admin", "--data", data, "mailboxes"]));
    let names = |rows: &[serde_json::Value]| rows.iter().map(|r| r["account"].clone()).collect::<Vec<_>>();
    assert_eq!(names(&local), names(&rows));
    assert_eq!(row(&local, "Alice Archer")["last_logon"], alice["last_logon"]);
}
