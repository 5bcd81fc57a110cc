//! The scriptable CLI of issue 20 item 3 and named properties by name (item 1), through the
//! `oxmapi` binary against `oxmapi serve` on a free loopback port.
//!
//! Expected values from outside our code:
//! - PidLidEmail1EmailAddress is PSETID_Address {00062004-0000-0000-C000-000000000046} LID
//!   0x8083, PT_UNICODE (MS-OXPROPS 2.75); PidNameKeywords is PS_PUBLIC_STRINGS
//!   {00020329-0000-0000-C000-000000000046} "Keywords", PT_MV_UNICODE (MS-OXPROPS 2.449).
//! - Exit statuses: CLI.md "Exit status" (2 usage, 3 not found, 6 logon or configuration).
//! - `attach` + `attachment --out -`: the bytes written are the file's bytes.

mod common;

use common::Site;
use std::process::Output;

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON on stdout")
}

#[test]
fn named_properties_by_any_spelling_are_the_same_property() {
    let site = Site::start();
    let id = ok(&site.as_user("alice", &["put", "/Contacts", "--subject", "Jane Roe"])).trim().to_string();
    let item = format!("eid:{id}");
    ok(&site.as_user("alice", &["setprop", &item, "PidLidEmail1EmailAddress", "jane@example.test"]));
    // Read back under the two other spellings of the same name (MS-OXPROPS: PSETID_Address, 0x8083).
    for spelling in ["{00062004-0000-0000-C000-000000000046}:0x8083", "PSETID_Address:0x8083"] {
        let cols = format!("PR_SUBJECT,{spelling}");
        let rows = json(&site.as_user("alice", &["--json", "ls", "/Contacts", "--columns", &cols]));
        let row = &rows.as_array().unwrap()[0];
        assert_eq!(row["PidLidEmail1EmailAddress"], "jane@example.test", "{spelling}: {row}");
    }
    ok(&site.as_user("alice", &["setprop", &item, "PS_PUBLIC_STRINGS:\"Keywords\"", "[\"vip\",\"phone\"]"]));
    let props = json(&site.as_user("alice", &["--json", "props", &item]));
    let keywords =
        props.as_array().unwrap().iter().find(|p| p["name"] == "PidNameKeywords").expect("by name");
    assert_eq!(keywords["value"], serde_json::json!(["vip", "phone"]));
    assert_eq!(keywords["type"], "PtypMultipleString");

    ok(&site.as_user("alice", &["rmprop", &item, "PSETID_Address:0x8083"]));
    let props = json(&site.as_user("alice", &["--json", "props", &item]));
    assert!(props.as_array().unwrap().iter().all(|p| p["name"] != "PidLidEmail1EmailAddress"), "{props}");

    // An unknown catalogue name is a usage error that says what to do.
    let out = site.as_user("alice", &["setprop", &item, "PidLidNoSuchThing", "x"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn restrictions_associated_contents_and_empty_results() {
    let site = Site::start();
    for s in ["invoice 1", "Invoice 2", "hello", "INVOICE three"] {
        ok(&site.as_user("alice", &["put", "/Inbox", "--subject", s]));
    }
    let rows = json(&site.as_user(
        "alice",
        &["--json", "ls", "/Inbox", "--restrict", "subject~invoice", "--columns", "PR_SUBJECT"],
    ));
    let mut subjects: Vec<&str> =
        rows.as_array().unwrap().iter().map(|r| r["PR_SUBJECT"].as_str().unwrap()).collect();
    subjects.sort_unstable();
    assert_eq!(subjects, ["INVOICE three", "Invoice 2", "invoice 1"]);
    let text =
        ok(&site.as_user("alice", &["ls", "/Inbox", "--restrict", "subject~nothing and not has-attachment"]));
    assert_eq!(text.trim(), "no items");
    let tsv = ok(&site.as_user(
        "alice",
        &["--format", "tsv", "ls", "/Inbox", "--columns", "PR_SUBJECT", "--restrict", "subject~hello"],
    ));
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "entry_id\tPR_SUBJECT");
    assert!(lines[1].ends_with("\thello") && lines.len() == 2, "{tsv}");
    let bad = site.as_user("alice", &["ls", "/Inbox", "--restrict", "subject~(unclosed"]);
    assert_eq!(bad.status.code(), Some(2));
    // The Inbox's associated contents is a table of its own (an empty one is fine; JSON says []).
    assert!(json(&site.as_user("alice", &["--json", "ls", "/Inbox", "--associated"])).is_array());
}

#[test]
fn folders_mkdir_p_attach_and_exit_statuses() {
    let site = Site::start();
    let made = json(&site.as_user("alice", &["--json", "mkdir", "-p", "/Inbox/A/B/C"]));
    assert_eq!(made["created"], serde_json::json!(["/Inbox/A", "/Inbox/A/B", "/Inbox/A/B/C"]));
    let again = json(&site.as_user("alice", &["--json", "mkdir", "-p", "/Inbox/A/B/C"]));
    assert_eq!(again["created"], serde_json::json!([]), "an existing path is not an error");
    ok(&site.as_user("alice", &["mv", "/Inbox/A", "/Drafts"]));
    let tree = json(&site.as_user("alice", &["--json", "folders"]));
    let paths: Vec<&str> = tree.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"/Drafts/A/B/C") && !paths.contains(&"/Inbox/A"), "{paths:?}");
    let all = json(&site.as_user("alice", &["--json", "folders", "--all"]));
    let all_paths: Vec<&str> = all.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(all_paths.contains(&"/Top of Information Store/Drafts/A"), "{all_paths:?}");
    assert!(all.as_array().unwrap().iter().all(|f| f["associated"].is_i64()));

    let file = site.path("note.bin");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&file, &bytes).unwrap();
    let id = ok(&site.as_user("alice", &["put", "/Inbox", "--subject", "with file"])).trim().to_string();
    let item = format!("eid:{id}");
    ok(&site.as_user("alice", &["attach", &item, file.to_str().unwrap()]));
    let out = site.as_user("alice", &["attachment", &item, "1", "--out", "-"]);
    assert!(out.status.success());
    assert!(
        out.stdout == bytes,
        "the bytes on stdout are the file's ({} of {})",
        out.stdout.len(),
        bytes.len()
    );

    assert_eq!(site.as_user("alice", &["ls", "/Inbox/NoSuchFolder"]).status.code(), Some(3));
    assert_eq!(site.as_user("alice", &["ls", "--no-such-option"]).status.code(), Some(2));
    let wrong = site.path("wrong.pw");
    std::fs::write(&wrong, "not-the-password").unwrap();
    let out = site.run(&["--profile", "alice", "--password-file", wrong.to_str().unwrap(), "ls", "/Inbox"]);
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Issue 20 item 4: the global section is found by the UID the field looks for
/// (pbGlobalProfileSectionGuid, 13DBB0C8AA05101A9BB000AA002FC45A in mapiguid.h's byte order),
/// PR_PROFILE_CONNECT_FLAGS set on the service's section warns and names the global one, and
/// every bit is named (edkmdb.h: CONNECT_NO_RPC_ENCRYPTION 0x2; MS-OXCRPC: CONNECT_IGNORE_NO_PF
/// 0x8000).
#[test]
fn profile_sections_as_the_field_uses_them() {
    let site = Site::new();
    ok(&site.run(&["profile", "create", "work", "--server", "http://127.0.0.1:9", "--user", "alice"]));
    let global = json(&site.run(&[
        "--json",
        "profile",
        "get",
        "work",
        "--section",
        "13DBB0C8AA05101A9BB000AA002FC45A",
    ]));
    let uid = global["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "PR_PROVIDER_UID")
        .expect("row");
    assert_eq!(uid["value"].as_str().unwrap().to_ascii_uppercase(), "13DBB0C8AA05101A9BB000AA002FC45A");

    let wrong = json(&site.run(&[
        "--json",
        "profile",
        "set",
        "work",
        "--section",
        "MSEMS",
        "PR_PROFILE_CONNECT_FLAGS",
        "0x8002",
    ]));
    let warning = wrong["warning"].as_str().expect("a warning");
    assert!(warning.contains("global") && warning.contains("13DBB0C8AA05101A9BB000AA002FC45A"), "{warning}");
    ok(&site.run(&["profile", "set", "work", "--section", "global", "PR_PROFILE_CONNECT_FLAGS", "0x2"]));
    let set =
        json(&site.run(&["--json", "profile", "set", "work", "PR_PROFILE_CONNECT_FLAGS", "--or", "0x8000"]));
    assert!(set.get("warning").is_none());
    assert_eq!(set["flags"], "CONNECT_NO_RPC_ENCRYPTION | CONNECT_IGNORE_NO_PF");
    let tree = ok(&site.run(&["profile", "show", "work", "--tree"]));
    assert!(
        tree.starts_with("work (default)\n├─ global  section 13DBB0C8AA05101A9BB000AA002FC45A"),
        "{tree}"
    );
    assert!(tree.contains("EMS_MDB_private (store)"), "{tree}");
}

/// CLI.md "inspect": the kinds by the names it gives, and `flags TAG VALUE`. The PCL is the
/// acceptance scenario's: one 22-byte XID whose GUID bytes c0c51590… read as
/// {9015C5C0-…} (MS-OXCFXICS 2.2.2.2, GUID in MS-DTYP 2.3.4.2 little-endian fields); the
/// message flags 0x401 are MSGFLAG_READ (0x1) | MSGFLAG_EVERREAD (0x400) (MS-OXCMSG 2.2.1.6).
#[test]
fn inspect_kinds_by_their_cli_names_and_flags() {
    let site = Site::new();
    let pcl =
        json(&site.run(&["--json", "inspect", "pcl", "16c0c515906d9eb24880a114ad3085010c000000000001"]));
    assert!(pcl.to_string().contains("9015C5C0-9E6D-48B2-80A1-14AD3085010C"), "{pcl}");
    let xid =
        json(&site.run(&["--json", "inspect", "change-key", "c0c515906d9eb24880a114ad3085010c000000000001"]));
    assert!(xid.to_string().contains("9015C5C0"), "{xid}");
    let flags = json(&site.run(&["--json", "inspect", "flags", "PR_MESSAGE_FLAGS", "0x401"]));
    assert_eq!(flags["decoded"]["names"], serde_json::json!(["MSGFLAG_READ", "MSGFLAG_EVERREAD"]));
    let out = site.run(&["inspect", "flags", "PR_MESSAGE_FLAGS", "lots"]);
    assert_eq!(out.status.code(), Some(2));
}
