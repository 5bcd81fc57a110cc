//! `oxmapi editor` in a real terminal (tmux): the field procedure for an old Outlook against a
//! server without public folders, by keys — "Profile → Show Profiles, open the profile, locate
//! the MSEMS service, locate the profile section with PR_PROVIDER_UID
//! 13DBB0C8AA05101A9BB000AA002FC45A (pbGlobalProfileSectionGuid, mapiguid.h), locate
//! PR_PROFILE_CONNECT_FLAGS, OR in 0x8000 (CONNECT_IGNORE_NO_PF), save" — then the value
//! `oxmapi profile get` reads back; and a logon from the editor against a real server (the
//! password asked on the input line), a folder's contents with a restriction, a message, the
//! address book and a folder watch. Skipped, with the reason printed, where tmux is missing.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const OX: &str = env!("CARGO_BIN_EXE_oxmapi");

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(t: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", t])
}

/// Waits until the screen shows `text` (the editor draws between keys).
fn wait_for(t: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let s = screen(t);
        if s.contains(text) || start.elapsed() > Duration::from_secs(10) {
            assert!(s.contains(text), "waited for {text:?}; the screen:\n{s}");
            return s;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Sends keys by name (Enter, Down, …).
fn keys(t: &str, names: &[&str]) {
    for k in names {
        tmux(&["send-keys", "-t", t, k]);
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// Types text literally (`-l`: tmux would read `0x8002` as the key U+8002 otherwise).
fn text(t: &str, s: &str) {
    tmux(&["send-keys", "-t", t, "-l", s]);
    std::thread::sleep(Duration::from_millis(150));
}

fn search(t: &str, s: &str) {
    keys(t, &["/"]);
    text(t, s);
    keys(t, &["Enter"]);
}

fn ox(home: &Path, args: &[&str]) -> String {
    let out = Command::new(OX).env("OXMAPI_HOME", home).args(args).output().expect("oxmapi runs");
    assert!(out.status.success(), "oxmapi {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn no_tmux() -> bool {
    let missing = Command::new("tmux").arg("-V").output().map(|o| !o.status.success()).unwrap_or(true);
    if missing {
        println!("skipped: tmux is not installed (apt-get install tmux)");
    }
    missing
}

/// Ends the tmux session when the test ends, however it ends.
struct Kill(String);

impl Drop for Kill {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

#[test]
fn the_field_procedure_by_keys_ors_in_0x8000_and_saves() {
    if no_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    ox(home, &["profile", "create", "work", "--server", "http://127.0.0.1:9", "--user", "alice"]);
    ox(home, &["profile", "create", "other", "--server", "http://127.0.0.1:9", "--user", "bob"]);
    ox(home, &["profile", "set", "work", "--section", "global", "PR_PROFILE_CONNECT_FLAGS", "0x2"]);
    let t = format!("oxed-test-{}", std::process::id());
    let cmd = format!("OXMAPI_HOME='{}' '{OX}' editor; sleep 5", home.display());
    tmux(&["new-session", "-d", "-s", &t, "-x", "120", "-y", "40", &cmd]);
    let _kill = Kill(t.clone());

    // 1. Profile → Show Profiles.
    wait_for(&t, "Profiles");
    // 2. Open the profile.
    search(&t, "work");
    keys(&t, &["Enter"]);
    wait_for(&t, "message services");
    // 3. Locate the MSEMS service.
    search(&t, "MSEMS");
    keys(&t, &["Enter"]);
    wait_for(&t, "EMS_MDB_private");
    // 4. Locate the profile section with PR_PROVIDER_UID 13DBB0C8….
    keys(&t, &["x"]);
    wait_for(&t, "profile sections");
    search(&t, "13DBB0C8AA05101A9BB000AA002FC45A");
    keys(&t, &["Enter"]);
    // 5. Locate PR_PROFILE_CONNECT_FLAGS.
    wait_for(&t, "PR_PROFILE_CONNECT_FLAGS");
    search(&t, "PR_PROFILE_CONNECT_FLAGS");
    // 6. OR in 0x8000: the bit list, down to CONNECT_IGNORE_NO_PF, Space.
    keys(&t, &["b"]);
    let s = wait_for(&t, "CONNECT_IGNORE_NO_PF");
    let bit_lines: Vec<&str> = s.lines().filter(|l| l.contains("[ ]") || l.contains("[x]")).collect();
    let at = bit_lines.iter().position(|l| l.contains("CONNECT_IGNORE_NO_PF")).expect("the bit is listed");
    assert!(bit_lines[at].contains("[ ]"), "0x8000 is not set yet: {}", bit_lines[at]);
    for _ in 0..at {
        keys(&t, &["Down"]);
    }
    keys(&t, &["Space", "Enter"]);
    wait_for(&t, "(s saves)");
    // 7. Save.
    keys(&t, &["s"]);
    wait_for(&t, "saved 1 change");
    keys(&t, &["q", "q", "q", "q"]);

    let got = ox(home, &["profile", "get", "work", "--section", "global", "PR_PROFILE_CONNECT_FLAGS"]);
    assert!(got.contains("0x00008002"), "{got}");
    assert!(got.contains("CONNECT_IGNORE_NO_PF"), "{got}");
}

#[test]
fn logged_on_it_shows_contents_messages_the_address_book_and_events() {
    if no_tmux() {
        return;
    }
    let site = common::Site::start();
    for subject in ["invoice 1", "Invoice 2", "hello"] {
        let out = site.as_user("alice", &["put", "/Inbox", "--subject", subject, "--to", "bob@example.test"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let t = format!("oxed-live-{}", std::process::id());
    let cmd = format!(
        // An empty OXMAPI_PASSWORD: the editor asks on its input line.
        "OXMAPI_HOME='{}' OXMAPI_PASSWORD= '{OX}' --profile alice editor; sleep 5",
        site.path("client").display()
    );
    tmux(&["new-session", "-d", "-s", &t, "-x", "120", "-y", "40", &cmd]);
    let _kill = Kill(t.clone());
    wait_for(&t, "message services");
    keys(&t, &["l"]);
    wait_for(&t, "password for alice");
    text(&t, "Secret-alice");
    keys(&t, &["Enter"]);
    wait_for(&t, "Mailbox - Alice Archer");
    keys(&t, &["Enter"]);
    wait_for(&t, "IPM subtree");
    search(&t, "Inbox");
    keys(&t, &["Enter"]);
    wait_for(&t, "contents, 3 rows");
    keys(&t, &["r"]);
    text(&t, "subject~invoice");
    keys(&t, &["Enter"]);
    let s = wait_for(&t, "contents, 2 rows where subject~invoice");
    assert!(!s.contains("hello"), "{s}");
    search(&t, "invoice 1");
    keys(&t, &["Enter"]);
    wait_for(&t, "[Properties]");
    wait_for(&t, "PR_SUBJECT");
    keys(&t, &["Tab"]);
    wait_for(&t, "bob@example.test");
    keys(&t, &["q", "q"]);
    // Watch the Inbox, then a message arrives.
    search(&t, "Inbox");
    keys(&t, &["w"]);
    wait_for(&t, "watching Inbox");
    let out = site.as_user("alice", &["put", "/Inbox", "--subject", "while watched"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_for(&t, "ObjectCreated");
    keys(&t, &["W", "q"]);
    keys(&t, &["A"]);
    wait_for(&t, "Global Address List");
    wait_for(&t, "Bob Baker");
}
