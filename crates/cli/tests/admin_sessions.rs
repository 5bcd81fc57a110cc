//! `oxmapi admin sessions ls|kill` (issue 15 item 3) with the `oxmapi` binary as a child
//! process: a held logon is listed with its client; `kill` ends it through a running server
//! (the server removes the records), and with no server running it removes the stale records
//! itself.

#[allow(dead_code)] // these tests do not use every helper (the test Site)
mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

/// A temporary data directory, client home and server; processes are ended on drop.
struct Site {
    dir: tempfile::TempDir,
    children: Vec<Child>,
}

impl Drop for Site {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Site {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn command(&self, args: &[&str]) -> Command {
        common::oxmapi(self.dir.path(), args)
    }

    fn admin(&self, args: &[&str]) -> Output {
        let data = self.path("data");
        let mut all = vec!["--json", "admin", "--data", data.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = self.command(&all).output().unwrap();
        assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// User alice, `oxmapi serve` on a free port, and profile `alice`.
    fn with_server() -> Site {
        let mut site = Site { dir: tempfile::tempdir().unwrap(), children: Vec::new() };
        std::fs::write(site.path("alice.pw"), "Secret-1").unwrap();
        let pw = site.path("alice.pw");
        site.admin(&["user", "add", "alice", "--password-file", pw.to_str().unwrap()]);
        let (port_file, data) = (site.path("port"), site.path("data"));
        let (child, url) = common::serve(&data, &port_file);
        site.children.push(child);
        let out = site
            .command(&["profile", "create", "alice", "--server", &url, "--user", "alice", "--default"])
            .output()
            .unwrap();
        assert!(out.status.success(), "profile create: {}", String::from_utf8_lossy(&out.stderr));
        site
    }

    /// `logon --hold 30` as alice; returns once it holds its session.
    fn hold(&mut self) {
        let pw = self.path("alice.pw");
        let mut holder = self
            .command(&["--password-file", pw.to_str().unwrap(), "--new-session", "logon", "--hold", "30"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(holder.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(first.starts_with("profile:"), "the holder logs on: {first:?}");
        self.children.push(holder);
    }

    fn sessions(&self) -> Vec<serde_json::Value> {
        let out = self.admin(&["sessions", "ls"]);
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        j["sessions"].as_array().expect("a sessions list").clone()
    }
}

#[test]
fn sessions_ls_lists_a_held_logon_and_kill_ends_it_through_the_server() {
    let mut site = Site::with_server();
    site.hold();
    let live = site.sessions();
    assert!(!live.is_empty(), "the held logon is listed");
    for s in &live {
        assert_eq!(s["user"], "alice");
        assert!(s["endpoint"] == "emsmdb" || s["endpoint"] == "nspi", "{s}");
        assert!(s["client_application"].as_str().is_some_and(|a| a.contains('/')), "{s}");
        assert!(s["client_version"].as_str().unwrap().split('.').count() == 4, "{s}");
        assert!(s["address"].as_str().unwrap().starts_with("127.0.0.1:"), "{s}");
        assert_eq!(s["node"], 0, "the server runs as node 0: {s}");
        for k in ["id", "created", "last_activity"] {
            assert!(s[k].as_str().is_some_and(|v| !v.is_empty()), "{k} in {s}");
        }
    }
    let out = site.admin(&["sessions", "kill", "alice"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["result"], "the server ended them", "{j}");
    assert_eq!(j["killed"].as_array().unwrap().len(), live.len());
    assert!(site.sessions().is_empty());
}

#[test]
fn sessions_kill_without_a_server_removes_the_stale_records() {
    let mut site = Site::with_server();
    site.hold();
    let id = site.sessions()[0]["id"].as_str().unwrap().to_string();
    // The server dies without cleaning up (SIGKILL): its records stay behind.
    let mut server = site.children.remove(0);
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!site.sessions().is_empty());
    let out = site.admin(&["sessions", "kill", &id]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["result"], "no server was running; their records were removed", "{j}");
    assert!(site.sessions().iter().all(|s| s["id"] != id.as_str()));
    let out = site
        .command(&["admin", "--data", site.path("data").to_str().unwrap(), "sessions", "kill", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "killing nothing is an error");
}
