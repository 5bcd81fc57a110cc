//! `oxmapi doctor` against a real `oxmapi serve` on a free loopback port (issue 20 item 7, the
//! acceptance scenario 13-editor.sh): a healthy profile passes every check; a server without
//! public folders refuses an old client version, which the connect check explains by
//! CONNECT_IGNORE_NO_PF and the command that sets it, and which that command then fixes; with
//! the server stopped the tcp check fails with "connection refused" and the later checks are
//! skipped.
//!
//! Expected values from outside our code:
//! - The public-folder gate: a server without a public folder store refuses Connect from a
//!   client older than 12.0 with ecClientVerDisallowed (0x000004DF, MS-OXCDATA 2.4.2 "Additional
//!   Error Codes": ClientVerDisallowed) unless CONNECT_IGNORE_NO_PF (0x00008000,
//!   PR_PROFILE_CONNECT_FLAGS of the global section; protocol-facts §2.6–2.7) is set;
//!   6.5.8353.0 is Outlook 2003's version, the one the acceptance scenario uses.
//! - MAPI_E_NETWORK_ERROR = 0x80040115: mapicode.h of the Windows SDK (MAKE_MAPI_E(0x115)).
//! - Exit statuses: CLI.md "exit codes" — 5 network or server, 6 logon or configuration (which
//!   lists ecClientVerDisallowed).

mod common;

use common::Site;
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("not one JSON document ({e}): {text}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    })
}

fn check<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["checks"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["check"] == name))
        .unwrap_or_else(|| panic!("no {name} check in {doc}"))
}

fn admin(site: &Site, args: &[&str]) {
    let data = site.path("data");
    let mut all = vec!["admin", "--data", data.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = site.run(&all);
    assert!(out.status.success(), "admin {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_healthy_profile_passes_and_the_public_folder_gate_is_explained() {
    let site = Site::start();
    let out = site.as_user("alice", &["--json", "doctor"]);
    let doc = json(&out);
    assert!(out.status.success(), "{doc}");
    assert_eq!(doc["ok"], true, "{doc}");
    assert_eq!(doc["profile"], "alice");
    for name in [
        "profile",
        "dns",
        "tcp",
        "autodiscover",
        "authentication",
        "connect",
        "logon",
        "address-book",
        "notification",
        "clock",
    ] {
        assert_eq!(check(&doc, name)["status"], "ok", "{name}: {doc}");
    }
    // Plain HTTP on the loopback interface: nothing to check, not a failure.
    assert_eq!(check(&doc, "tls")["status"], "skip");
    for c in doc["checks"].as_array().unwrap() {
        assert!(c["detail"].as_str().is_some_and(|d| !d.is_empty()), "{c}");
        assert!(c["elapsed_ms"].is_number(), "{c}");
    }
    assert!(check(&doc, "notification")["detail"].as_str().unwrap().contains("second session"), "{doc}");
    assert!(check(&doc, "logon")["detail"].as_str().unwrap().contains("Alice Archer"), "{doc}");
    // The server offers NTLM and the client prefers it.
    assert!(check(&doc, "authentication")["detail"].as_str().unwrap().contains("NTLM was accepted"), "{doc}");

    // No public folders, PR_PROFILE_CONNECT_FLAGS without CONNECT_IGNORE_NO_PF, an old client.
    admin(&site, &["public-folders", "disable"]);
    let set =
        site.run(&["profile", "set", "alice", "--section", "global", "PR_PROFILE_CONNECT_FLAGS", "0x2"]);
    assert!(set.status.success());
    let out = site.as_user("alice", &["--json", "--client-version", "6.5.8353.0", "doctor"]);
    assert_eq!(
        out.status.code(),
        Some(6),
        "an old client without CONNECT_IGNORE_NO_PF must fail (logon class)"
    );
    let doc = json(&out);
    assert_eq!(doc["ok"], false);
    let connect = check(&doc, "connect");
    assert_eq!(connect["status"], "fail", "{doc}");
    assert_eq!(connect["error"], "ecClientVerDisallowed", "{doc}");
    assert!(connect["detail"].as_str().unwrap().contains("CONNECT_IGNORE_NO_PF"), "{connect}");
    assert!(
        connect["fix"]
            .as_str()
            .unwrap()
            .contains("oxmapi profile set alice --section global PR_PROFILE_CONNECT_FLAGS --or 0x8000"),
        "{connect}"
    );
    for later in ["logon", "notification"] {
        assert_eq!(check(&doc, later)["status"], "skip", "{doc}");
        assert!(check(&doc, later)["detail"].as_str().unwrap().contains("connect check failed"), "{doc}");
    }
    // The address book binds on its own: only the mailbox is refused.
    assert_eq!(check(&doc, "address-book")["status"], "ok", "{doc}");
    assert_eq!(doc["error"]["code"], "0x000004DF", "{doc}");
    assert!(doc["error"]["message"].as_str().unwrap().contains("CONNECT_IGNORE_NO_PF"), "{doc}");
    // The profile check already warned about it.
    assert_eq!(check(&doc, "profile")["status"], "warn", "{doc}");

    // The fix the check names works.
    let fix = site.run(&[
        "profile",
        "set",
        "alice",
        "--section",
        "global",
        "PR_PROFILE_CONNECT_FLAGS",
        "--or",
        "0x8000",
    ]);
    assert!(fix.status.success(), "{}", String::from_utf8_lossy(&fix.stderr));
    let out = site.as_user("alice", &["--json", "--client-version", "6.5.8353.0", "doctor"]);
    let doc = json(&out);
    assert!(out.status.success(), "{doc}");
    assert_eq!(check(&doc, "connect")["status"], "ok", "{doc}");
    assert!(check(&doc, "connect")["detail"].as_str().unwrap().contains("CONNECT_IGNORE_NO_PF"), "{doc}");
}

#[test]
fn a_stopped_server_is_connection_refused_and_the_rest_is_skipped() {
    let mut site = Site::start();
    if let Some(mut s) = site.server.take() {
        s.kill().unwrap();
        s.wait().unwrap();
    }
    let out = site.as_user("bob", &["--json", "doctor"]);
    assert_eq!(out.status.code(), Some(5), "network class");
    let doc = json(&out);
    assert_eq!(doc["ok"], false);
    assert_eq!(check(&doc, "profile")["status"], "ok", "{doc}");
    let tcp = check(&doc, "tcp");
    assert_eq!(tcp["status"], "fail", "{doc}");
    assert!(tcp["detail"].as_str().unwrap().contains("connection refused"), "{tcp}");
    assert!(tcp["detail"].as_str().unwrap().contains("oxmapi serve"), "{tcp}");
    for later in
        ["tls", "autodiscover", "authentication", "connect", "logon", "address-book", "notification", "clock"]
    {
        let c = check(&doc, later);
        assert_eq!(c["status"], "skip", "{later}: {doc}");
        assert_eq!(c["detail"], "not checked: the tcp check failed", "{later}");
    }
    assert_eq!(doc["error"]["name"], "MAPI_E_NETWORK_ERROR");
    assert_eq!(doc["error"]["code"], "0x80040115");
    assert!(doc["error"]["message"].as_str().unwrap().contains("connection refused"), "{doc}");

    // Text: the report on stdout, then the error and its hint on stderr.
    let out = site.as_user("bob", &["doctor"]);
    assert_eq!(out.status.code(), Some(5), "network class");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.lines().any(|l| l.starts_with("FAIL  tcp") && l.contains("connection refused")),
        "{stdout}"
    );
    assert!(stdout.contains("fix: start the server"), "{stdout}");
    assert!(
        stderr.starts_with("error: MAPI_E_NETWORK_ERROR (0x80040115): doctor: the tcp check failed"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: start the server"), "{stderr}");
}

/// `oxmapi serve --tls-self-signed`: without trust the tls check fails, shows the certificate the
/// server presented with the fingerprint the server itself prints, and names the command that
/// pins it; pinned, every check passes.
#[test]
fn a_self_signed_certificate_is_explained_then_pinned() {
    let mut site = Site::new();
    let pw = site.path("carol.pw");
    std::fs::write(&pw, "Secret-3").unwrap();
    admin(
        &site,
        &["user", "add", "carol", "--display-name", "Carol Clark", "--password-file", pw.to_str().unwrap()],
    );
    let log = site.path("serve.log");
    let data = site.path("data");
    let child = std::process::Command::new(common::OX)
        .args(["serve", "--data", data.to_str().unwrap(), "--listen", "127.0.0.1:0", "--tls-self-signed"])
        .arg("--port-file")
        .arg(site.path("port"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    site.server = Some(child);
    let url = common::server_url(&site.path("port")).replace("http://", "https://");
    // The fingerprint as the server announces it ("TLS certificate SHA-256 <hex>").
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let sha = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(s) = text.lines().find_map(|l| l.split("TLS certificate SHA-256 ").nth(1)) {
            break s.trim().to_string();
        }
        assert!(std::time::Instant::now() < deadline, "no fingerprint in the server's output: {text}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(site.run(&["profile", "create", "carol", "--server", &url, "--user", "carol"]).status.success());

    let out = site.as_user("carol", &["--json", "doctor"]);
    assert!(!out.status.success());
    let doc = json(&out);
    let tls = check(&doc, "tls");
    assert_eq!(tls["status"], "fail", "{doc}");
    let detail = tls["detail"].as_str().unwrap();
    assert!(detail.contains(&sha) && detail.contains("self-signed") && detail.contains("127.0.0.1"), "{tls}");
    let pin = format!("oxmapi profile set carol PR_OXMAPI_TLS_PIN_SHA256 {sha}");
    assert!(tls["fix"].as_str().unwrap().contains(&pin), "{tls}");
    assert_eq!(check(&doc, "connect")["detail"], "not checked: the tls check failed");

    assert!(site.run(&["profile", "set", "carol", "PR_OXMAPI_TLS_PIN_SHA256", &sha]).status.success());
    let out = site.as_user("carol", &["--json", "doctor"]);
    let doc = json(&out);
    assert!(out.status.success(), "{doc}");
    let tls = check(&doc, "tls");
    assert_eq!(tls["status"], "ok", "{doc}");
    assert!(tls["detail"].as_str().unwrap().contains("pinned fingerprint matches"), "{tls}");
}
