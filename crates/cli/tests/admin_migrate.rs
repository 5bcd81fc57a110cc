//! `oxmapi admin migrate` with the `oxmapi` binary as a child process (issue 16): a small site
//! of files is refused while its server runs, then moved into PostgreSQL, and `oxmapi serve
//! --database` on the result serves the moved mailbox (messages listed, an attachment's bytes
//! equal). Needs `OXMAPI_TEST_DATABASE` (skipped with a printed reason without it).

#[allow(dead_code)] // these tests do not use every helper (the test Site)
mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Output};

use oxmapi_store::db::pg::testing::{TestDatabase, test_server};

/// Kills the servers it holds on drop.
struct Children(Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    common::oxmapi(dir, args).output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn profile(dir: &Path, name: &str, url: &str) {
    ok(dir, &["profile", "create", name, "--server", url, "--user", "carol"]);
}

#[test]
fn a_migrated_site_is_served_from_postgresql() {
    let Some(server) = test_server() else { return };
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let data: PathBuf = d.join("old-data");
    let pw = d.join("carol.pw");
    std::fs::write(&pw, "Secret-3").unwrap();
    let (data_s, pw_s) = (data.to_str().unwrap(), pw.to_str().unwrap());
    ok(
        d,
        &[
            "admin",
            "--data",
            data_s,
            "user",
            "add",
            "carol",
            "--email",
            "carol@example.test",
            "--password-file",
            pw_s,
        ],
    );
    let attachment = d.join("report.bin");
    let bytes: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&attachment, &bytes).unwrap();

    let mut children = Children(Vec::new());
    let (child, url) = common::serve(&data, &d.join("port0"));
    children.0.push(child);
    profile(d, "c0", &url);
    for i in 1..=5 {
        let subject = format!("carol {i}");
        ok(
            d,
            &[
                "--profile",
                "c0",
                "--password-file",
                pw_s,
                "put",
                "/Inbox",
                "--subject",
                &subject,
                "--attach",
                attachment.to_str().unwrap(),
            ],
        );
    }
    let db = TestDatabase::create(&server).unwrap();
    let target = db.url();
    // Refused while the server runs on the source.
    let out = run(d, &["admin", "migrate", "--data", data_s, "--to", &target]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("MAPI_E_COLLISION")
            && err.contains("stop every `oxmapi serve`"),
        "{err}"
    );
    for mut c in children.0.drain(..) {
        let _ = c.kill();
        let _ = c.wait();
    }

    let summary = ok(d, &["--json", "admin", "migrate", "--data", data_s, "--to", &target]);
    let j: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(j["verified"], true, "{j}");
    assert_eq!(j["tables"]["directory.users"], 1, "{j}");
    assert!(j["tables"]["mailbox.blob_chunks"].as_u64().unwrap() >= 1, "the attachment is a blob: {j}");
    assert!(j["seconds"].is_number() && j["bytes"].as_u64().unwrap() > 5 * 40_000, "{j}");

    let port = d.join("port1");
    let child = std::process::Command::new(common::OX)
        .args(["serve", "--database", &target, "--node-id", "3", "--listen", "127.0.0.1:0", "--port-file"])
        .arg(&port)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    children.0.push(child);
    let url = common::server_url(&port);
    profile(d, "c1", &url);
    let ls = ok(
        d,
        &["--profile", "c1", "--password-file", pw_s, "--json", "ls", "/Inbox", "--columns", "PR_SUBJECT"],
    );
    let rows: serde_json::Value = serde_json::from_str(&ls).unwrap();
    let n = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["PR_SUBJECT"].as_str().is_some_and(|s| s.starts_with("carol ")))
        .count();
    assert_eq!(n, 5, "{ls}");
    let out_file = d.join("att.out");
    ok(
        d,
        &[
            "--profile",
            "c1",
            "--password-file",
            pw_s,
            "attachment",
            "/Inbox#1",
            "1",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(&out_file).unwrap(), bytes, "the attachment's bytes survived the move");
}

#[test]
fn a_missing_source_directory_is_refused_and_nothing_is_created() {
    let t = tempfile::tempdir().unwrap();
    let (src, dst) = (t.path().join("typo"), t.path().join("new"));
    let out =
        run(t.path(), &["admin", "migrate", "--data", src.to_str().unwrap(), "--to", dst.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("MAPI_E_NOT_FOUND") && err.contains("not a data directory"),
        "{err}"
    );
    assert!(!src.exists() && !dst.exists());
}
