//! `oxmapi perms ls|set|rm` and `--mailbox OWNER` for a user the owner gave folder permissions
//! (issue 17 item 3, MS-OXCPERM): the `oxmapi` binary against `oxmapi serve` on a free loopback
//! port with a temporary data directory. Role values are Outlook's (Reviewer = ReadAny |
//! FolderVisible = 0x401, Editor = 0x47B; MS-OXCPERM 2.2.7 names the flags).

mod common;

use common::Site;

use std::process::Output;

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_reviewer_reads_the_calendar_and_loses_it_with_the_permission() {
    let site = Site::start();
    let err = failed(&site.as_user("bob", &["--mailbox", "alice", "ls", "/Calendar"]));
    assert!(err.contains("0x000003F2") || err.contains("LOGIN_PERM"), "{err}");
    assert!(err.contains("oxmapi perms set"), "the hint names folder permissions: {err}");

    ok(&site.as_user("alice", &["perms", "set", "/Calendar", "bob", "reviewer"]));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&site.as_user("alice", &["--json", "perms", "ls", "/Calendar"]))).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows[0]["member"], "Default");
    assert_eq!(rows[1]["member"], "Anonymous");
    let bob = rows.iter().find(|r| r["member"] == "Bob Baker").expect("bob listed");
    assert_eq!((bob["rights"].as_i64(), bob["role"].as_str()), (Some(0x401), Some("reviewer")));

    ok(&site.as_user("alice", &["put", "/Calendar", "--subject", "Dentist"]));
    assert!(
        ok(&site.as_user("bob", &["--mailbox", "alice", "--json", "ls", "/Calendar"])).contains("Dentist")
    );
    let err =
        failed(&site.as_user("bob", &["--mailbox", "alice", "put", "/Calendar", "--subject", "planted"]));
    assert!(err.contains("MAPI_E_NO_ACCESS") || err.contains("0x80070005"), "{err}");
    let err = failed(&site.as_user("bob", &["--mailbox", "alice", "ls", "/Inbox"]));
    assert!(err.contains("NOT_FOUND") || err.contains("NO_ACCESS"), "{err}");

    ok(&site.as_user("alice", &["perms", "set", "/Calendar", "bob", "editor"]));
    ok(&site.as_user("bob", &["--mailbox", "alice", "put", "/Calendar", "--subject", "Team lunch"]));
    ok(&site.as_user("alice", &["perms", "rm", "/Calendar", "bob"]));
    failed(&site.as_user("bob", &["--mailbox", "alice", "ls", "/Calendar"]));
}

#[test]
fn rights_by_name_default_and_bad_input() {
    let site = Site::start();
    let set: serde_json::Value = serde_json::from_str(&ok(&site.as_user(
        "alice",
        &["--json", "perms", "set", "/Calendar", "default", "folder-visible,free-busy-simple"],
    )))
    .unwrap();
    assert_eq!(set["rights"].as_i64(), Some(0xC00));
    let list: serde_json::Value =
        serde_json::from_str(&ok(&site.as_user("alice", &["--json", "perms", "ls", "/Calendar"]))).unwrap();
    assert_eq!(list[0]["rights"].as_i64(), Some(0xC00), "{list}");
    let err = failed(&site.as_user("alice", &["perms", "set", "/Calendar", "bob", "boss"]));
    assert!(err.contains("MAPI_E_INVALID_PARAMETER") && err.contains("reviewer"), "{err}");
    let err = failed(&site.as_user("alice", &["perms", "rm", "/Calendar", "bob"]));
    assert!(err.contains("NOT_FOUND"), "{err}");
}

/// `--public` (issue 17 item 5): the integrator case from the field — alice creates a contacts
/// folder in the public store and an item in it, makes everyone a reviewer; bob lists and reads
/// it, sees it in `folders`, and cannot delete it (MAPI_E_NO_ACCESS); `--public` with
/// `--mailbox` is refused.
#[test]
fn a_reviewer_cannot_delete_a_public_contact() {
    let site = Site::start();
    let data = site.path("data");
    ok(&site.run(&["admin", "--data", data.to_str().unwrap(), "public-folders", "enable"]));
    ok(&site.as_user("alice", &["--public", "mkdir", "/Company-Contacts"]));
    ok(&site
        .as_user("alice", &["--public", "put", "/Company-Contacts", "--subject", "Reception +49 30 1234"]));
    ok(&site.as_user("alice", &["--public", "perms", "set", "/Company-Contacts", "default", "reviewer"]));
    let list: serde_json::Value = serde_json::from_str(&ok(
        &site.as_user("alice", &["--json", "--public", "perms", "ls", "/Company-Contacts"])
    ))
    .unwrap();
    let alice = list.as_array().unwrap().iter().find(|r| r["member"] == "Alice Archer").expect("creator");
    assert_eq!(alice["role"], "owner", "the creator owns the public folder");

    let ls = ok(&site.as_user("bob", &["--public", "--json", "ls", "/Company-Contacts"]));
    assert!(ls.contains("Reception"), "{ls}");
    assert!(ok(&site.as_user("bob", &["--public", "show", "/Company-Contacts#1"])).contains("Reception"));
    let err = failed(&site.as_user("bob", &["--public", "rm", "/Company-Contacts#1"]));
    assert!(err.contains("MAPI_E_NO_ACCESS") && err.contains("0x80070005"), "{err}");
    assert!(err.contains("oxmapi --public perms ls FOLDER"), "the hint names public folders: {err}");
    assert!(ok(&site.as_user("bob", &["--public", "folders"])).contains("Company-Contacts"));
    assert!(!ok(&site.as_user("bob", &["folders"])).contains("Company-Contacts"), "not in his mailbox");
    let err = failed(&site.as_user("bob", &["--public", "--mailbox", "alice", "ls", "/"]));
    assert!(err.contains("--mailbox alice does not apply"), "{err}");
    assert!(
        ok(&site.as_user("alice", &["--public", "--json", "ls", "/Company-Contacts"])).contains("Reception")
    );
}
