//! `oxmapi bench contents --sizes …`: the folder-size sweep (issue 15) on tiny folders, through
//! the real binary (it starts its own `oxmapi serve` children on a temporary data directory).

#[allow(dead_code)] // these tests use only the command builder
mod common;

use oxmapi_store::db::pg::testing::test_server;
use serde_json::Value;

/// The environment variable that puts the bench on PostgreSQL (`oxmapi::bench_cmd`).
const BENCH_DATABASE_ENV: &str = "OXMAPI_BENCH_DATABASE";

/// The sweep's JSON has one entry per size × view with the fields BENCHMARKS.md and the
/// acceptance script read, the skipped phases are absent, and every view returns as many rows
/// as the seeded folder holds for it (the bench itself fails on a wrong order, count or seek).
#[test]
fn the_folder_size_sweep_reports_every_size_and_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut bench = tiny_sweep(dir.path());
    bench.env_remove(BENCH_DATABASE_ENV);
    check_sweep(&run(bench), "sqlite");
}

/// The same on PostgreSQL (`OXMAPI_BENCH_DATABASE`, issue 16): the sweep's folders and the
/// large folder are seeded straight into the bench's database (before, the offline fill
/// refused a site that is not files), the server reads them back, and the output says
/// `postgresql`. Needs `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT`; without it the test
/// prints why and passes.
#[test]
fn the_folder_size_sweep_and_the_large_folder_are_seeded_on_postgresql() {
    let Some(server) = test_server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut bench = tiny_sweep(dir.path());
    bench.args(["--rows", "30"]).env(BENCH_DATABASE_ENV, &server);
    let j = run(bench);
    check_sweep(&j, "postgresql");
    assert!(j["seed"]["method"].as_str().unwrap().contains("PostgreSQL"), "{j}");
    assert!(j["sweep_seed"].get("mailbox_file_mib").is_none(), "no mailbox file on PostgreSQL: {j}");
    let views = j["table_reads"].as_array().expect("table reads");
    assert_eq!(views.len(), 3, "{j}");
    assert_eq!(views[2]["rows"], 30, "the unrestricted view reads every seeded message: {j}");
    assert_eq!(j["first_page_in_process"]["rows"], 30, "{j}");
}

/// `oxmapi --json bench contents --sizes 50,200` without the write phases, one run each, pages
/// of 10 rows.
fn tiny_sweep(dir: &std::path::Path) -> std::process::Command {
    common::oxmapi(
        dir,
        &[
            "--json",
            "bench",
            "contents",
            "--sizes",
            "50,200",
            "--small",
            "0",
            "--attachments",
            "0",
            "--repeat",
            "1",
            "--page",
            "10",
        ],
    )
}

/// Runs the bench; its JSON document.
fn run(mut bench: std::process::Command) -> Value {
    let out = bench.output().unwrap();
    assert!(out.status.success(), "bench failed: {}", String::from_utf8_lossy(&out.stderr));
    let j: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    // `--json` with stderr not on a terminal prints no progress, so `2>&1` is one document too
    // (CLI.md: --json gives one JSON document).
    assert!(
        out.stderr.is_empty(),
        "progress on stderr under --json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    j
}

/// The sweep's entries of [`tiny_sweep`] on `backend`.
fn check_sweep(j: &Value, backend: &str) {
    assert_eq!(j["backend"], backend, "{j}");
    for skipped in ["small_messages", "attachment_messages"] {
        assert!(j.get(skipped).is_none(), "{skipped} ran though skipped: {j}");
    }
    if backend == "sqlite" {
        assert!(j.get("table_reads").is_none(), "table_reads ran though skipped: {j}");
        assert!(j["sweep_seed"]["mailbox_file_mib"].is_number(), "{j}");
    }
    let sweep = j["sweep"].as_array().expect("a sweep array");
    assert_eq!(sweep.len(), 2 * 4, "two sizes × four views: {j}");
    let views = ["delivery_time_desc", "subject_asc", "importance_eq_2", "subject_substring_ignorecase"];
    for (i, e) in sweep.iter().enumerate() {
        let messages = [50, 200][i / 4];
        assert_eq!(e["messages"], messages, "{e}");
        assert_eq!(e["view"], views[i % 4], "{e}");
        assert_eq!(e["indexable"], i % 4 != 3, "{e}");
        for f in ["first_page_ms", "seek_half_ms", "seek_ms", "rows_per_s"] {
            assert!(e[f].as_f64().is_some_and(|v| v >= 0.0), "{f}: {e}");
        }
        assert_eq!(e["first_page_runs_ms"].as_array().map(Vec::len), Some(1), "{e}");
        assert!(e["rss_growth_kb"].is_i64(), "{e}");
        let rows = e["rows"].as_u64().unwrap();
        if i % 4 < 2 {
            assert_eq!(rows, messages, "an unrestricted view has every message: {e}");
        } else {
            assert!(rows < messages, "a restriction keeps fewer rows: {e}");
        }
        assert_eq!(e["full_read_rows"], rows, "{e}");
        assert_eq!(e.get("rows_examined_per_result").is_some(), i % 4 == 3, "{e}");
    }
    // The seeded data is reproducible: PR_IMPORTANCE == 2 holds for 15 % of it, give or take.
    let high = sweep[4 + 2]["rows"].as_u64().unwrap();
    assert!((15..=50).contains(&high), "PR_IMPORTANCE == 2 on 200 messages: {high}");
    let seeded: Vec<u64> = j["sweep_seed"]["folders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["messages"].as_u64().unwrap())
        .collect();
    assert_eq!(seeded, [50, 200]);
}
