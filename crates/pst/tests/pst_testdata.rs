//! Every PST/OST in the shared test data opens, and we find at least the items the best
//! peer (pypff) finds, as SOURCES.md records them.

mod common;

use std::path::Path;

use common::testdata;

use oxmapi_pst::pst::PstFile;

/// (file, pypff's folder and item counts or None when no peer opens it) from SOURCES.md's
/// PST table.
fn expected(root: &Path) -> Vec<(String, Option<(usize, usize)>)> {
    let text = std::fs::read_to_string(root.join("SOURCES.md")).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(file) = cells.get(1).and_then(|c| c.strip_prefix('`')).and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        if !(file.ends_with(".pst") || file.ends_with(".ost")) || cells.len() < 10 {
            continue;
        }
        let counts = cells[cells.len() - 3];
        let pypff = counts.rsplit(';').next().unwrap_or("").trim();
        let mut nums = pypff.split('/').map(|n| n.trim().parse::<usize>().ok());
        let want = match (nums.next().flatten(), nums.next().flatten()) {
            (Some(f), Some(i)) => Some((f, i)),
            _ => None,
        };
        out.push((file.to_string(), want));
    }
    out
}

#[test]
fn every_test_pst_reads_at_least_as_many_items_as_pypff() {
    let Some(root) = testdata() else {
        eprintln!("no test data; skipped");
        return;
    };
    let files = expected(&root);
    assert!(files.len() >= 40, "SOURCES.md lists {} PSTs", files.len());
    let mut failures = Vec::new();
    for (file, want) in files {
        let opened = PstFile::open(root.join(&file));
        match (opened, want) {
            (Err(_), None) => println!("{file}\trefused (no peer opens it)"),
            (Ok(_), None) => println!("{file}\topened a file no peer opens"),
            (Err(e), Some(w)) => failures.push(format!("{file}: {e} (pypff {w:?})")),
            (Ok(pst), Some((wf, w))) => {
                let r = pst.walk(true);
                println!(
                    "{file}\tfolders {}\titems {}\topened {}\tpypff {w}\tskipped {:?}",
                    r.folders, r.items, r.opened, r.skipped
                );
                let damaged = !r.skipped.is_empty();
                if r.items < w || r.folders < wf || r.opened < r.items || damaged {
                    failures.push(format!(
                        "{file}: {} items, {} opened, pypff {w}: {:?}",
                        r.items, r.opened, r.skipped
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
