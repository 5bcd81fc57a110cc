//! The multi-node benches through the real binary (issue 16 "Measure"): `oxmapi bench
//! failover` on two nodes of a PostgreSQL site with tiny parameters, and the refusal of several
//! nodes without a database to share.
//!
//! The drill needs `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` (scripts/pg-test-cluster.sh),
//! handed to the bench as `OXMAPI_BENCH_DATABASE`; without it the test prints why and passes (a
//! site of files has one node).

#[allow(dead_code)] // this test uses only the command builder
mod common;

use oxmapi_store::db::pg::testing::test_server;
use serde_json::Value;

/// Several nodes without `OXMAPI_BENCH_DATABASE` are refused before anything starts, with
/// MAPI_E_INVALID_PARAMETER naming the variable, for `--nodes` and for the drill.
#[test]
fn several_nodes_without_a_shared_database_are_refused_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--json", "bench", "connect", "--nodes", "2", "--sessions", "1", "--idle", "0"][..],
        &["--json", "bench", "notify", "--nodes", "2", "--watchers", "1"][..],
        &["--json", "bench", "failover"][..],
    ] {
        let out = common::oxmapi(dir.path(), args).env_remove("OXMAPI_BENCH_DATABASE").output().unwrap();
        assert!(!out.status.success(), "{args:?} ran without a database");
        let j: Value = serde_json::from_slice(&out.stdout).expect("one JSON error document");
        assert_eq!(j["error"]["name"], "MAPI_E_INVALID_PARAMETER", "{args:?}: {j}");
        let message = j["error"]["message"].as_str().unwrap();
        assert!(message.contains("OXMAPI_BENCH_DATABASE"), "{args:?}: {message}");
    }
}

/// Node 1 is killed with SIGKILL while two clients save and one submits through it: every
/// acknowledged save is found and every acknowledged submission delivered exactly once through
/// node 2, and every client wrote again after the kill (the bench itself fails otherwise).
#[test]
fn the_failover_drill_loses_and_duplicates_nothing_when_node_one_is_killed() {
    let Some(server) = test_server() else {
        eprintln!("skipped: OXMAPI_TEST_DATABASE not set (the drill needs two nodes on a PostgreSQL site)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = common::oxmapi(
        dir.path(),
        &["--json", "bench", "failover", "--clients", "2", "--seconds", "1", "--after", "1"],
    )
    .env("OXMAPI_BENCH_DATABASE", &server)
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "drill failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    assert_eq!(j["nodes"], 2, "{j}");
    assert!(j["saves"]["acknowledged"].as_u64().unwrap() > 0, "{j}");
    assert_eq!(j["saves"]["acknowledged_lost"], 0, "{j}");
    assert_eq!(j["saves"]["duplicated"], 0, "{j}");
    assert!(j["deliveries"]["acknowledged"].as_u64().unwrap() > 0, "{j}");
    assert_eq!(j["deliveries"]["acknowledged_not_delivered"], 0, "{j}");
    assert_eq!(j["deliveries"]["duplicated"], 0, "{j}");
    assert_eq!(j["back"]["clients_back"], 2, "{j}");
    assert!(j["back"]["max_s"].as_f64().unwrap() >= j["back"]["p50_s"].as_f64().unwrap(), "{j}");
    assert!(j["back"]["sender_s"].as_f64().is_some(), "{j}");
}

/// `oxmapi --json bench …` with `OXMAPI_BENCH_DATABASE` set to the test server; its document.
fn bench_on(server: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = common::oxmapi(dir.path(), &[&["--json", "bench"][..], args].concat())
        .env("OXMAPI_BENCH_DATABASE", server)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bench {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document on stdout")
}

/// `bench connect --nodes 2` spreads the sessions over both nodes and lists each node's memory.
#[test]
fn connect_on_two_nodes_reports_round_trips_and_each_nodes_memory() {
    let Some(server) = test_server() else {
        eprintln!("skipped: OXMAPI_TEST_DATABASE not set (two nodes need a PostgreSQL site)");
        return;
    };
    let j = bench_on(
        &server,
        &["connect", "--nodes", "2", "--sessions", "2", "--seconds", "1", "--idle", "2", "--settle", "0"],
    );
    assert_eq!(j["nodes"], 2, "{j}");
    let level = &j["levels"][0];
    assert!(level["execute_per_second"].as_f64().unwrap() > 0.0, "{j}");
    let per_node = level["per_node"].as_array().expect("each node's memory");
    assert_eq!(per_node.len(), 2, "{j}");
    assert!(per_node.iter().all(|n| n["rss_peak_kib"].as_u64().unwrap() > 0), "{j}");
    assert_eq!(j["server_rss_idle_per_node"].as_array().map(Vec::len), Some(2), "{j}");
}

/// `bench notify --nodes 2` splits the watchers over both nodes and commits through node 1:
/// half the notifications reach sinks on node 1, half cross to node 2, each reported apart.
#[test]
fn notify_on_two_nodes_reports_same_node_and_cross_node_latency() {
    let Some(server) = test_server() else {
        eprintln!("skipped: OXMAPI_TEST_DATABASE not set (two nodes need a PostgreSQL site)");
        return;
    };
    let j = bench_on(&server, &["notify", "--nodes", "2", "--watchers", "4", "--changes", "5"]);
    assert_eq!(j["nodes"], 2, "{j}");
    let run = &j["runs"][0];
    assert_eq!(run["notifications"], 20, "{j}");
    assert_eq!(run["same_node"]["notifications"], 10, "{j}");
    assert_eq!(run["cross_node"]["notifications"], 10, "{j}");
    assert!(run["cross_node"]["latency_p99_ms"].as_f64().unwrap() > 0.0, "{j}");
}
