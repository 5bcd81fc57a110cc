//! `oxmapi bench pst` and `oxmapi bench roundtrip` on the shared test data (issue 18,
//! BENCHMARKS.md): the commands run on small inputs, find what SOURCES.md records, and every
//! .msg/.eml of the corpus reads and round-trips with its visible fields kept.

mod common;

use std::path::PathBuf;

use common::ox_json as ox;

/// The shared test data directory, if it is beside the checkout.
fn testdata() -> Option<PathBuf> {
    common::testfile("")
}

/// Files whose MSG → MSG or EML → EML round trip may change a field, with why. None today:
/// every file of the corpus keeps subject, addresses, bodies, attachment names and data.
const ROUND_TRIP_EXCEPTIONS: &[(&str, &str)] = &[];

#[test]
fn every_shared_msg_and_eml_reads_and_round_trips_keeping_what_a_reader_sees() {
    let Some(dir) = testdata() else { return };
    let (ok, j, text) = ox(&["--json", "bench", "roundtrip", dir.to_str().unwrap()]);
    assert!(ok, "{text}");
    let outcomes = j["outcomes"].as_array().unwrap();
    assert!(outcomes.len() >= 180, "the corpus has 145 MSG, 1 OFT and 36 EML files: {}", outcomes.len());
    assert_eq!(j["read"], j["files"], "every file reads: {text}");
    let bad: Vec<_> = outcomes
        .iter()
        .filter(|o| o["outcome"] != "ok")
        .filter(|o| {
            let file = o["file"].as_str().unwrap();
            !ROUND_TRIP_EXCEPTIONS.iter().any(|(name, _)| file.ends_with(name))
        })
        .collect();
    assert!(bad.is_empty(), "round trips that changed a field: {bad:#?}");
}

#[test]
fn bench_roundtrip_reports_each_file_by_outcome_and_a_file_that_does_not_read() {
    let d = tempfile::tempdir().unwrap();
    let good = d.path().join("a.eml");
    std::fs::write(
        &good,
        "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
         hello\r\n--b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"x.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         AAECAwQ=\r\n--b--\r\n",
    )
    .unwrap();
    std::fs::write(d.path().join("broken.msg"), b"not a compound file").unwrap();
    let (ok, j, text) = ox(&["--json", "bench", "roundtrip", d.path().to_str().unwrap()]);
    assert!(ok, "{text}");
    assert_eq!(
        (j["files"].as_u64(), j["read"].as_u64(), j["kept"].as_u64()),
        (Some(2), Some(1), Some(1)),
        "{text}"
    );
    let outcome = |name: &str| {
        j["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["file"].as_str().unwrap().ends_with(name))
            .unwrap()["outcome"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(outcome("a.eml"), "ok");
    assert!(outcome("broken.msg").starts_with("read failed"), "{text}");
}

#[test]
fn bench_pst_walks_a_file_sequentially_and_in_parallel_with_the_counts_of_sources_md() {
    let Some(dir) = testdata() else { return };
    let file = dir.join("pst_to_eml/threeItems.pst");
    let broken = dir.join("Aspose.Email-for-.NET/AddingBulkMessagesWithImprovedPerformance.pst");
    let (ok, j, text) = ox(&[
        "--json",
        "bench",
        "pst",
        "--readers",
        "oxmapi,oxmapi-par",
        "--threads",
        "2",
        file.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    let files = j["per_file"].as_array().unwrap();
    let three = &files[0]["readers"];
    for r in three.as_array().unwrap() {
        // SOURCES.md: threeItems.pst 8 folders, 4 items (pffexport and pypff alike).
        assert_eq!(
            (r["folders"].as_u64(), r["items"].as_u64(), r["errors"].as_u64()),
            (Some(8), Some(4), Some(0))
        );
        assert!(r["peak_rss_kib"].as_u64().unwrap() > 0, "{r}");
        assert!(r["bytes_read"].as_u64().unwrap() > 0, "{r}");
    }
    // The broken file (header CRC) fails cleanly, by reader, and is counted as failed.
    let bad = &files[1]["readers"][0];
    assert!(bad["failed"].as_str().unwrap().contains("CRC"), "{bad}");
    let totals = j["totals"].as_array().unwrap();
    assert_eq!(totals[0]["failed_files"], 1);
    assert_eq!(totals[0]["items"], 4);
    assert!(j["oxmapi_behind_a_peer"].as_array().unwrap().is_empty());
}

#[test]
fn bench_pst_lists_a_reader_it_cannot_run_and_refuses_nothing_found() {
    let d = tempfile::tempdir().unwrap();
    let (ok, _, text) = ox(&["--json", "bench", "pst", d.path().to_str().unwrap()]);
    assert!(!ok && text.contains("no .pst or .ost file"), "{text}");
    let Some(dir) = testdata() else { return };
    let file = dir.join("outlook-pst-rs/Empty.pst");
    let (ok, j, text) =
        ox(&["--json", "bench", "pst", "--readers", "oxmapi,outlook-pst", file.to_str().unwrap()]);
    assert!(ok, "{text}");
    // Without the peer-outlook-pst feature, outlook-pst is listed as unavailable, not run.
    let unavailable = j["unavailable"].as_array().unwrap();
    let built_in = unavailable.is_empty();
    assert_eq!(j["totals"].as_array().unwrap().len(), if built_in { 2 } else { 1 }, "{text}");
}
