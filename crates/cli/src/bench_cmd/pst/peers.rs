//! The readers `oxmapi bench pst` times, each in a child process of its own so that each has
//! its own peak RSS: this executable for the in-process walks
//! (oxmapi sequential and parallel, outlook-pst when built in), `python3` with pypff and the
//! walker script `scripts/pst-peers.d/pypff_walk.py`, `readpst` (Debian pst-utils) and
//! `pffexport` (Debian pff-tools) converting the file into a temporary directory, and `node`
//! with the npm package pst-extractor and `scripts/pst-peers.d/pst_extractor_walk.js` (found on
//! `NODE_PATH`, or in `$PST_PEERS_NPM_DIR/node_modules`).
//! `scripts/install-pst-peers.sh` installs the external ones.
//!
//! Peak RSS is the child's `VmHWM` (proc(5)): the walkers report their own at the end of the
//! walk; for readpst and pffexport it is sampled every [`RSS_SAMPLE`] while they run.
//! (`ru_maxrss` from wait4(2) is no use here: Linux carries the high-water mark across
//! exec(2), so every child would report at least the bench's own RSS at the fork.)

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_cmd::procstat;

/// The pypff walker (opens every message, reads every record and every attachment's data).
const PYPFF_WALKER: &str = include_str!("../../../../../scripts/pst-peers.d/pypff_walk.py");

/// The pst-extractor walker.
const PST_EXTRACTOR_WALKER: &str = include_str!("../../../../../scripts/pst-peers.d/pst_extractor_walk.js");

/// Environment variable naming the directory `scripts/install-pst-peers.sh` installed
/// pst-extractor into (`PST_PEERS_NPM_DIR=DIR`).
pub const NPM_DIR_ENV: &str = "PST_PEERS_NPM_DIR";

/// How often the peak RSS of an external reader is sampled.
const RSS_SAMPLE: Duration = Duration::from_millis(5);

/// A reader of PST files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Reader {
    /// Our reader, one thread.
    Oxmapi,
    /// Our reader, `--threads` threads sharing the open file.
    OxmapiPar,
    /// The `outlook-pst` crate (Microsoft), in process: only in a build with the
    /// `peer-outlook-pst` feature.
    OutlookPst,
    /// libpff through its Python binding (PyPI libpff-python).
    Pypff,
    /// libpst's `readpst -D -e` (one .eml/.vcf/.ics file per item).
    Readpst,
    /// libpff's `pffexport -m items` (one directory per item).
    Pffexport,
    /// The npm package pst-extractor on node.
    PstExtractor,
}

impl Reader {
    /// Every reader, in table order.
    pub const ALL: [Reader; 7] = [
        Reader::Oxmapi,
        Reader::OxmapiPar,
        Reader::OutlookPst,
        Reader::Pypff,
        Reader::Readpst,
        Reader::Pffexport,
        Reader::PstExtractor,
    ];

    /// The name in tables and `--readers`.
    pub fn name(self) -> &'static str {
        match self {
            Reader::Oxmapi => "oxmapi",
            Reader::OxmapiPar => "oxmapi-par",
            Reader::OutlookPst => "outlook-pst",
            Reader::Pypff => "pypff",
            Reader::Readpst => "readpst",
            Reader::Pffexport => "pffexport",
            Reader::PstExtractor => "pst-extractor",
        }
    }

    /// Why this reader cannot run here, if it cannot.
    pub fn unavailable(self) -> Option<String> {
        let probe = |cmd: &mut Command| {
            cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
        };
        match self {
            Reader::Oxmapi | Reader::OxmapiPar => None,
            Reader::OutlookPst => (!super::outlook::BUILT_IN)
                .then(|| "not built in (cargo build --features peer-outlook-pst)".to_string()),
            Reader::Pypff => (!probe(Command::new(python()).args(["-c", "import pypff"])))
                .then(|| format!("{} cannot import pypff (scripts/install-pst-peers.sh)", python())),
            Reader::Readpst => {
                (!probe(Command::new("readpst").arg("-V"))).then(|| "readpst not found (pst-utils)".into())
            }
            Reader::Pffexport => (!probe(Command::new("pffexport").arg("-V")))
                .then(|| "pffexport not found (pff-tools)".into()),
            Reader::PstExtractor => (!probe(node().args(["-e", "require('pst-extractor')"]))).then(|| {
                format!(
                    "node cannot load pst-extractor (set {NPM_DIR_ENV}, see scripts/install-pst-peers.sh)"
                )
            }),
        }
    }
}

/// `node`, with `$PST_PEERS_NPM_DIR/node_modules` on its `NODE_PATH`.
fn node() -> Command {
    let mut cmd = Command::new("node");
    if let Some(dir) = std::env::var_os(NPM_DIR_ENV) {
        let mut paths = vec![PathBuf::from(dir).join("node_modules")];
        if let Some(existing) = std::env::var_os("NODE_PATH") {
            paths.extend(std::env::split_paths(&existing));
        }
        if let Ok(joined) = std::env::join_paths(paths) {
            cmd.env("NODE_PATH", joined);
        }
    }
    cmd
}

/// The Python interpreter for pypff: `$PYTHON`, else `python3`.
fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".into())
}

/// One reader's run over one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    /// Folders found (`None` where the reader does not say).
    pub folders: Option<u64>,
    /// Items read.
    pub items: u64,
    /// Items or folders the reader reported it could not read.
    pub errors: u64,
    /// Property bytes read (where the reader counts them).
    pub bytes: Option<u64>,
    /// The child process from start to exit.
    pub wall: Duration,
    /// The walk alone as the reader timed it (without interpreter or process start-up).
    pub walk: Option<Duration>,
    /// The child's peak resident set, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Why the reader failed on this file (it could not open it at all).
    pub failed: Option<String>,
}

impl Run {
    /// The time the table shows: the walk where the reader timed it, else the wall time.
    pub fn time(&self) -> Duration {
        self.walk.unwrap_or(self.wall)
    }
}

/// What a child process printed, how it ended, and what it cost.
pub(crate) struct Measured {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub success: bool,
    pub wall: Duration,
    pub peak_rss_kib: Option<u64>,
}

/// Runs `cmd` to its end, collecting its output, wall time and peak RSS.
pub(crate) fn measure(mut cmd: Command) -> Result<Measured, String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    let mut err = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut b = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut b);
        }
        b
    });
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (done, pid) = (done.clone(), child.id());
        std::thread::spawn(move || {
            let mut peak = None;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(procstat::peak_rss_kib(Some(pid)));
                std::thread::sleep(RSS_SAMPLE);
            }
            peak
        })
    };
    let mut stdout = Vec::new();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.read_to_end(&mut stdout);
    }
    let status = child.wait().map_err(|e| format!("wait: {e}"))?;
    let wall = start.elapsed();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak_rss_kib = sampler.join().unwrap_or(None);
    let stderr = errors.join().unwrap_or_default();
    Ok(Measured { stdout, stderr, success: status.success(), wall, peak_rss_kib })
}

/// The last non-empty line of a child's stderr (its error message).
fn last_line(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("failed").trim().to_string()
}

/// Runs `reader` over `file` in a child process.
pub fn run(reader: Reader, file: &Path, threads: usize) -> Result<Run, String> {
    match reader {
        Reader::Oxmapi | Reader::OxmapiPar | Reader::OutlookPst => {
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let mut cmd = Command::new(exe);
            let threads = if reader == Reader::OxmapiPar { threads } else { 1 };
            cmd.args(["--json", "bench", "pst", "--child", reader.name(), "--threads"])
                .arg(threads.to_string())
                .arg(file);
            json_run(measure(cmd)?)
        }
        Reader::Pypff | Reader::PstExtractor => {
            let (name, text, mut cmd) = match reader {
                Reader::Pypff => ("pypff_walk.py", PYPFF_WALKER, Command::new(python())),
                _ => ("pst_extractor_walk.js", PST_EXTRACTOR_WALKER, node()),
            };
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let script = dir.path().join(name);
            std::fs::write(&script, text).map_err(|e| e.to_string())?;
            cmd.arg(&script).arg(file);
            json_run(measure(cmd)?)
        }
        Reader::Readpst => {
            let out = tempfile::tempdir().map_err(|e| e.to_string())?;
            let mut cmd = Command::new("readpst");
            cmd.args(["-D", "-e", "-o"]).arg(out.path()).arg(file);
            let m = measure(cmd)?;
            let mut run = base(&m);
            if m.success {
                // readpst names each folder it converts on stdout, and writes one file per item.
                let listed = String::from_utf8_lossy(&m.stdout);
                run.folders =
                    Some(listed.lines().filter(|l| l.starts_with("Processing Folder")).count() as u64);
                run.items = count_files(out.path());
            }
            Ok(run)
        }
        Reader::Pffexport => {
            let out = tempfile::tempdir().map_err(|e| e.to_string())?;
            let target = out.path().join("out");
            let mut cmd = Command::new("pffexport");
            cmd.args(["-q", "-m", "items", "-t"]).arg(&target).arg(file);
            let m = measure(cmd)?;
            let mut run = base(&m);
            let tree = PathBuf::from(format!("{}.export", target.display()));
            if tree.is_dir() {
                let (folders, items) = count_pff_tree(&tree);
                run.folders = Some(folders);
                run.items = items;
                run.failed = None;
            }
            run.errors = String::from_utf8_lossy(&m.stderr)
                .lines()
                .filter(|l| l.starts_with("export_handle_export_item:"))
                .count() as u64;
            Ok(run)
        }
    }
}

/// The wall time, RSS and (for a failure) error of a measured child.
fn base(m: &Measured) -> Run {
    Run {
        wall: m.wall,
        peak_rss_kib: m.peak_rss_kib,
        failed: (!m.success).then(|| last_line(&m.stderr)),
        ..Run::default()
    }
}

/// A run from a walker that prints `{"folders","items","errors","bytes","walk_ms",
/// "peak_rss_kib"}` (or `{"fatal"}`).
fn json_run(m: Measured) -> Result<Run, String> {
    let mut run = base(&m);
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&m.stdout) else {
        run.failed.get_or_insert_with(|| last_line(&m.stderr));
        return Ok(run);
    };
    let int = |k: &str| v.get(k).and_then(serde_json::Value::as_u64);
    if let Some(e) = v.get("fatal").and_then(|f| f.as_str()) {
        run.failed = Some(e.to_string());
        return Ok(run);
    }
    run.folders = int("folders");
    run.items = int("items").unwrap_or(0);
    run.errors = int("errors").unwrap_or(0);
    run.bytes = int("bytes");
    if let Some(own) = int("peak_rss_kib") {
        run.peak_rss_kib = Some(own);
    }
    run.walk =
        v.get("walk_ms").and_then(serde_json::Value::as_f64).map(|ms| Duration::from_secs_f64(ms / 1000.0));
    Ok(run)
}

/// Regular files under `dir`, recursively.
fn count_files(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            Ok(t) if t.is_file() => 1,
            _ => 0,
        })
        .sum()
}

/// Whether a pffexport directory name is an item's (`Message00001`, `Contact00002`, …).
fn is_pff_item(name: &str) -> bool {
    let digits = name.bytes().rev().take_while(u8::is_ascii_digit).count();
    digits == 5 && name.len() > 5 && name.bytes().take(name.len() - 5).all(|b| b.is_ascii_alphabetic())
}

/// Folders and items of a pffexport `.export` tree: item directories are not folders, and
/// nothing inside an item (its attachments, recipients) counts.
fn count_pff_tree(dir: &Path) -> (u64, u64) {
    let (mut folders, mut items) = (0, 0);
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if is_pff_item(&e.file_name().to_string_lossy()) {
            items += 1;
        } else {
            let (f, i) = count_pff_tree(&e.path());
            folders += 1 + f;
            items += i;
        }
    }
    (folders, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reader_is_in_the_default_list() {
        use clap::ValueEnum;
        assert_eq!(Reader::ALL.as_slice(), Reader::value_variants());
    }

    #[test]
    fn pffexport_item_directories_are_told_from_folders() {
        assert!(is_pff_item("Message00001"));
        assert!(is_pff_item("DistributionList00001"));
        assert!(!is_pff_item("Inbox"));
        assert!(!is_pff_item("00001"));
        assert!(!is_pff_item("Top of Personal Folders"));
    }

    #[test]
    fn a_pffexport_tree_counts_folders_and_items_not_attachments() {
        let d = tempfile::tempdir().unwrap();
        for p in ["Top/Inbox/Message00001/Attachments/Attachment00001", "Top/Inbox/Message00002", "Top/Empty"]
        {
            std::fs::create_dir_all(d.path().join(p)).unwrap();
        }
        assert_eq!(count_pff_tree(d.path()), (3, 2));
    }
}
