//! `oxmapi bench pst [FILES|DIRS]`: PST read throughput beside the peers, in one run on the same
//! files. Each reader (oxmapi sequential and on `--threads` threads, outlook-pst when built in,
//! pypff, readpst, pffexport, pst-extractor) walks each file in a child process of its own
//! ([`peers`]): every folder, every message of every contents table opened with every property,
//! recipient and attachment. Per file and reader: folders and items found, errors, time, MB/s
//! and the child's peak RSS; totals per reader; and every file where oxmapi opens fewer items
//! than a peer (the goal is none). `scripts/install-pst-peers.sh` installs the external peers.
//!
//! The time is the walk as the reader itself timed it, from opening the file to the last
//! message (oxmapi, outlook-pst, pypff, pst-extractor: without process or interpreter
//! start-up), else the child's wall time (readpst and pffexport, which also write what they
//! read into a temporary directory); `wall_ms` in the JSON is always the wall time. Folder
//! counts: the folders below the root, search folders included; readpst names only the folders
//! it converts. Associated (FAI) messages are not opened, as no peer opens them.

mod outlook;
pub(crate) mod peers;
mod walk;

use std::path::{Path, PathBuf};
use std::time::Duration;

use oxmapi_core::MapiError;
use oxmapi_wire::describe::Node;

use super::{fail, ms};
use peers::{Reader, Run};

/// `oxmapi bench pst` options.
#[derive(clap::Args, Debug)]
pub struct BenchPstArgs {
    /// PST/OST files, or directories searched recursively for *.pst and *.ost.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// The readers to time (default: every one available here; a missing peer is listed as
    /// unavailable, not a failure).
    #[arg(long, value_delimiter = ',', value_enum)]
    pub readers: Vec<Reader>,
    /// Threads of the parallel oxmapi walk (`oxmapi-par`).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Runs of each reader on each file; the fastest is kept.
    #[arg(long, default_value_t = 1)]
    pub repeat: usize,
    /// Internal: walk the one file in this process with READER and print its counts (the
    /// parent times it as a child process).
    #[arg(long, hide = true, value_enum)]
    pub child: Option<Reader>,
}

/// Runs `oxmapi bench pst`.
pub fn run(args: &BenchPstArgs) -> Result<Node, MapiError> {
    if let Some(reader) = args.child {
        return child(reader, args);
    }
    if args.threads == 0 || args.repeat == 0 {
        return Err(fail("--threads and --repeat must be positive"));
    }
    let files = pst_files(&args.paths)?;
    if files.is_empty() {
        return Err(fail("no .pst or .ost file found"));
    }
    let wanted: Vec<Reader> =
        if args.readers.is_empty() { Reader::ALL.to_vec() } else { args.readers.clone() };
    let mut readers = Vec::new();
    let mut unavailable = Vec::new();
    for r in wanted {
        match r.unavailable() {
            None => readers.push(r),
            Some(why) => {
                unavailable.push(Node::map([("reader", Node::str(r.name())), ("why", Node::str(why))]))
            }
        }
    }
    let mut totals: Vec<Total> =
        readers.iter().map(|&r| Total { reader: Some(r), ..Total::default() }).collect();
    let mut per_file = Vec::new();
    let mut table = vec![format!(
        "{:<56} {:<13} {:>7} {:>6} {:>6} {:>10} {:>8} {:>9}",
        "file", "reader", "folders", "items", "errors", "ms", "MB/s", "peak RSS"
    )];
    let mut behind = Vec::new();
    for file in &files {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        progress!("bench pst: {} ({size} bytes)", file.display());
        let mut runs = Vec::new();
        for (i, &r) in readers.iter().enumerate() {
            let run = best_of(r, file, args.threads, args.repeat);
            table.push(row(&short_name(file), r, &run, size));
            totals[i].add(&run, size);
            runs.push((r, run));
        }
        behind.extend(shortfall(file, &runs));
        per_file.push(Node::map([
            ("file", Node::str(file.display().to_string())),
            ("bytes", Node::Int(size as i128)),
            ("readers", Node::List(runs.iter().map(|(r, run)| run_node(*r, run, size)).collect())),
        ]));
    }
    let mut summary = Vec::new();
    for t in &totals {
        table.push(t.line());
        summary.push(t.node());
    }
    Ok(Node::map([
        ("bench", Node::str("pst")),
        ("files", Node::Int(files.len() as i128)),
        ("threads", Node::Int(args.threads as i128)),
        ("repeat", Node::Int(args.repeat as i128)),
        ("table", Node::List(table.into_iter().map(Node::Str).collect())),
        ("totals", Node::List(summary)),
        ("oxmapi_behind_a_peer", Node::List(behind)),
        ("unavailable", Node::List(unavailable)),
        ("per_file", Node::List(per_file)),
    ]))
}

/// The child's side: one walk of one file in this process.
fn child(reader: Reader, args: &BenchPstArgs) -> Result<Node, MapiError> {
    let [file] = args.paths.as_slice() else { return Err(fail("--child takes one file")) };
    let w = match reader {
        Reader::Oxmapi => walk::walk(file, 1),
        Reader::OxmapiPar => walk::walk(file, args.threads.max(1)),
        Reader::OutlookPst => outlook::walk(file),
        other => return Err(fail(format!("{} is not an in-process reader", other.name()))),
    };
    Ok(match w {
        Ok(w) => Node::map([
            ("folders", Node::Int(w.folders as i128)),
            ("items", Node::Int(w.items as i128)),
            ("errors", Node::Int(w.errors as i128)),
            ("bytes", Node::Int(w.bytes as i128)),
            ("walk_ms", Node::Float(w.elapsed.as_secs_f64() * 1000.0)),
            (
                "peak_rss_kib",
                super::procstat::peak_rss_kib(None).map_or(Node::Null, |k| Node::Int(k as i128)),
            ),
        ]),
        Err(e) => Node::map([("fatal", Node::str(e))]),
    })
}

/// The fastest of `repeat` runs (a failure ends the repeats).
fn best_of(reader: Reader, file: &Path, threads: usize, repeat: usize) -> Run {
    let mut best: Option<Run> = None;
    for _ in 0..repeat {
        let run =
            peers::run(reader, file, threads).unwrap_or_else(|e| Run { failed: Some(e), ..Run::default() });
        let failed = run.failed.is_some();
        if best.as_ref().is_none_or(|b| run.time() < b.time()) {
            best = Some(run);
        }
        if failed {
            break;
        }
    }
    best.unwrap_or_default()
}

/// The files named, directories searched recursively for *.pst / *.ost (sorted).
fn pst_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MapiError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect(p, &mut out).map_err(|e| fail(format!("{}: {e}", p.display())))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(fail(format!("{}: no such file or directory", p.display())));
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("pst") || e.eq_ignore_ascii_case("ost"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// The file's name with its parent directory (`pstsdk/sample1.pst`), cut to the table column.
fn short_name(file: &Path) -> String {
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let parent = file.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_string());
    let s = match parent {
        Some(p) => format!("{p}/{name}"),
        None => name,
    };
    let chars: Vec<char> = s.chars().collect();
    if chars.len() > 56 { format!("…{}", chars[chars.len() - 55..].iter().collect::<String>()) } else { s }
}

fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    let s = d.as_secs_f64();
    if s > 0.0 { bytes as f64 / 1_000_000.0 / s } else { 0.0 }
}

/// One line of the text table.
fn row(file: &str, r: Reader, run: &Run, size: u64) -> String {
    if let Some(why) = &run.failed {
        return format!("{file:<56} {:<13} FAILED: {why}", r.name());
    }
    format!(
        "{file:<56} {:<13} {:>7} {:>6} {:>6} {:>10.1} {:>8.1} {:>6} MiB",
        r.name(),
        run.folders.map_or("-".into(), |f| f.to_string()),
        run.items,
        run.errors,
        run.time().as_secs_f64() * 1000.0,
        mb_per_s(size, run.time()),
        run.peak_rss_kib.map_or("-".into(), |k| (k / 1024).to_string()),
    )
}

fn run_node(r: Reader, run: &Run, size: u64) -> Node {
    let opt = |v: Option<u64>| v.map_or(Node::Null, |v| Node::Int(v as i128));
    Node::map([
        ("reader", Node::str(r.name())),
        ("failed", run.failed.clone().map_or(Node::Null, Node::Str)),
        ("folders", opt(run.folders)),
        ("items", Node::Int(run.items as i128)),
        ("errors", Node::Int(run.errors as i128)),
        ("bytes_read", opt(run.bytes)),
        ("ms", ms(run.time())),
        ("wall_ms", ms(run.wall)),
        ("mb_per_s", Node::Float(mb_per_s(size, run.time()))),
        ("peak_rss_kib", opt(run.peak_rss_kib)),
    ])
}

/// The peers that opened more items of `file` than oxmapi did (the goal: none).
fn shortfall(file: &Path, runs: &[(Reader, Run)]) -> Vec<Node> {
    let ours = runs.iter().find(|(r, _)| *r == Reader::Oxmapi).map(|(_, run)| run);
    let Some(ours) = ours else { return Vec::new() };
    runs.iter()
        .filter(|(r, run)| !matches!(r, Reader::Oxmapi | Reader::OxmapiPar) && run.items > ours.items)
        .map(|(r, run)| {
            Node::map([
                ("file", Node::str(file.display().to_string())),
                ("peer", Node::str(r.name())),
                ("peer_items", Node::Int(run.items as i128)),
                ("oxmapi_items", Node::Int(ours.items as i128)),
            ])
        })
        .collect()
}

/// One reader's totals over every file.
#[derive(Default)]
struct Total {
    reader: Option<Reader>,
    folders: u64,
    items: u64,
    errors: u64,
    failed_files: u64,
    time: Duration,
    bytes: u64,
    peak_rss_kib: u64,
}

impl Total {
    fn add(&mut self, run: &Run, size: u64) {
        if run.failed.is_some() {
            self.failed_files += 1;
            return;
        }
        self.folders += run.folders.unwrap_or(0);
        self.items += run.items;
        self.errors += run.errors;
        self.time += run.time();
        self.bytes += size;
        self.peak_rss_kib = self.peak_rss_kib.max(run.peak_rss_kib.unwrap_or(0));
    }

    fn name(&self) -> &'static str {
        self.reader.map_or("?", Reader::name)
    }

    fn line(&self) -> String {
        format!(
            "{:<56} {:<13} {:>7} {:>6} {:>6} {:>10.1} {:>8.1} {:>6} MiB  ({} files failed)",
            "TOTAL",
            self.name(),
            self.folders,
            self.items,
            self.errors,
            self.time.as_secs_f64() * 1000.0,
            mb_per_s(self.bytes, self.time),
            self.peak_rss_kib / 1024,
            self.failed_files
        )
    }

    fn node(&self) -> Node {
        Node::map([
            ("reader", Node::str(self.name())),
            ("folders", Node::Int(self.folders as i128)),
            ("items", Node::Int(self.items as i128)),
            ("errors", Node::Int(self.errors as i128)),
            ("failed_files", Node::Int(self.failed_files as i128)),
            ("ms", ms(self.time)),
            ("mb_per_s", Node::Float(mb_per_s(self.bytes, self.time))),
            ("items_per_s", Node::Float(self.items as f64 / self.time.as_secs_f64().max(1e-9))),
            ("max_peak_rss_kib", Node::Int(self.peak_rss_kib as i128)),
        ])
    }
}
