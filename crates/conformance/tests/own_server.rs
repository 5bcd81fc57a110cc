//! The whole suite against our own server on 127.0.0.1 with an ephemeral port: it must run to
//! its end, report every case with its section and requirements, and clean up after itself.
//! The failures it lists are the server's deviations from the specifications. The server's site
//! is [`oxmapi_store::test_site`], so `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` runs the
//! suite against a PostgreSQL-backed server.

use oxmapi_conformance::report::Result as Outcome;
use oxmapi_conformance::{Config, Credentials};
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::{NewUser, Site};

/// The fewest cases a full run must report.
const MIN_CASES: usize = 500;

fn user(name: &str, password: &str) -> NewUser {
    NewUser {
        name: name.into(),
        password: password.into(),
        display_name: Some(format!("{name} display")),
        email: Some(format!("{name}@example.test")),
        ..Default::default()
    }
}

/// Runs the whole suite against a fresh server of ours and checks the report: enough cases,
/// each citing its sources, skips with reasons, a clean clean-up and no failure.
fn run_against_our_server(setup: impl FnOnce(&Site), destructive: bool) -> usize {
    let dir = tempfile::tempdir().unwrap();
    // SQLite files in `dir`, or a fresh PostgreSQL database with OXMAPI_TEST_DATABASE.
    let data = oxmapi_store::test_site(dir.path());
    data.add_user(&user("alice", "Secret-1")).unwrap();
    data.add_user(&user("bob", "Secret-2")).unwrap();
    setup(&data);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = rt
        .block_on(Server::start_site(
            ServerConfig::new(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap()),
            Some(data.clone()),
        ))
        .unwrap();

    let cfg = Config {
        url: server.url(),
        user: Credentials { user: "alice".into(), password: "Secret-1".into() },
        user2: Some(Credentials { user: "bob".into(), password: "Secret-2".into() }),
        protocols: vec![],
        destructive,
    };
    let report = oxmapi_conformance::run(cfg, |_| {}).expect("the run starts");

    assert!(report.cases.len() >= MIN_CASES, "only {} cases", report.cases.len());
    for c in &report.cases {
        assert!(!c.section.is_empty() && !c.requirements.is_empty(), "{} cites nothing", c.name);
        if c.result == Outcome::Skip {
            assert!(!c.detail.is_empty(), "{} skipped without a reason", c.name);
        }
    }
    assert_eq!(report.cleanup_error, None);
    let failures: Vec<String> =
        report.cases.iter().filter(|c| c.result == Outcome::Fail).map(|c| c.line()).collect();
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    let skipped = report.cases.iter().filter(|c| c.result == Outcome::Skip).count();
    drop(rt);
    skipped
}

/// The safe run, as against a production server: no public folders, no grant, nothing outside
/// the suite's own folder.
#[test]
fn full_suite_against_our_server() {
    run_against_our_server(|_| {}, false);
}

/// Everything the safe run skips that a throwaway server can offer: public folders on, the
/// second user's mailbox open to the first (the cross-mailbox cases), and `--destructive` (the
/// Logon-object cases that would empty a faulty server's mailbox root).
#[test]
fn full_suite_with_public_folders_grants_and_destructive_cases() {
    let skipped = run_against_our_server(
        |d| {
            d.set_public_folders(true).unwrap();
            d.directory().unwrap().grant_full_access("bob", "alice").unwrap();
        },
        true,
    );
    let safe = run_against_our_server(|_| {}, false);
    assert!(skipped < safe, "the full run skips {skipped} cases, the safe one {safe}");
}
