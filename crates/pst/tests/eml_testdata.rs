//! Every .eml in the shared test data reads (issue 18), and EML → Message → EML keeps what an
//! independent reader (Python's email module, `eml_compare.py`) sees: subject, addresses,
//! body text, HTML, attachment names and the SHA-256 of attachment bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::PropValue;
use oxmapi_pst::mime::{read_eml, write_eml};

const TESTDATA: &str = "/work/shared/testdata";

/// Files whose MIME attachments are replaced by design: a winmail.dat is read and its
/// attachments take its place ([MS-OXCMAIL] 2.1.3.4), so attachment lists differ.
const TNEF_FILES: &[&str] = &["tnefWithMsgInside.eml", "tnefEml1.eml"];

fn emls(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            emls(&p, out);
        } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml")) {
            out.push(p);
        }
    }
}

fn testdata() -> Option<Vec<PathBuf>> {
    let mut v = Vec::new();
    emls(Path::new(TESTDATA), &mut v);
    (!v.is_empty()).then_some(v)
}

#[test]
fn every_shared_eml_reads_and_round_trips_for_python() {
    let Some(files) = testdata() else {
        eprintln!("no test data at {TESTDATA}; skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("oxmapi-eml-rt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut pairs = Vec::new();
    let mut failures = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(f).unwrap();
        let msg = match read_eml(&bytes) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: read: {e}", f.display()));
                continue;
            }
        };
        let subject = match msg.item.props.get(PR_SUBJECT) {
            Some(PropValue::Unicode(s)) => s.clone(),
            _ => String::new(),
        };
        println!(
            "OK {:<70} recipients={:<3} attachments={:<3} subject={:?}",
            f.strip_prefix(TESTDATA).unwrap_or(f).display(),
            msg.item.recipients.len(),
            msg.item.attachments.len(),
            subject.chars().take(40).collect::<String>()
        );
        let out = write_eml(&msg).unwrap();
        let o = dir.join(format!("{i}.eml"));
        std::fs::write(&o, out).unwrap();
        pairs.push((f.clone(), o));
    }
    assert!(failures.is_empty(), "files that did not read:\n{}", failures.join("\n"));

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eml_compare.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script);
    for (a, b) in &pairs {
        cmd.arg(a).arg(b);
    }
    let Ok(out) = cmd.output() else {
        eprintln!("python3 not available; round-trip comparison skipped");
        return;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    let mut bad = Vec::new();
    for line in report.lines() {
        let tnef = TNEF_FILES.iter().any(|t| line.contains(t));
        let diffs_at = line.find("\"diffs\": [").map(|i| i + 10).unwrap_or(0);
        let diffs = &line[diffs_at..line[diffs_at..].find(']').map_or(line.len(), |j| diffs_at + j)];
        let diffs = if tnef { diffs.replace("\"attachments\"", "").replace(", ", "") } else { diffs.to_string() };
        if !diffs.trim().is_empty() {
            bad.push(line.to_string());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(bad.is_empty(), "round trip lost what Python sees:\n{}", bad.join("\n"));
}
