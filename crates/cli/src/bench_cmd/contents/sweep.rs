//! The folder-size sweep of `oxmapi bench contents --sizes …` (issue 15): for each folder size
//! and each [`View`], `--repeat` runs of
//!
//! 1. the first page: RopGetContentsTable → RopSetColumns → [RopRestrict] → RopSortTable → the
//!    answer of the first RopQueryRows of `--page` rows;
//! 2. RopSeekRowFractional to 1/2 and one RopQueryRows of `--page` rows (MS-OXCTABL 3.2.5.9:
//!    the cursor goes to row ⌊n/2⌋ of the n rows of the view);
//! 3. the server's VmRSS just before RopGetContentsTable and after step 2, the table still
//!    open: the memory one open table costs;
//! 4. every row of the view (at most [`FULL_READ_CAP`]): RopSeekRow to the beginning, then
//!    RopQueryRows until the end, in rows per second.
//!
//! Every run checks the rows of steps 1, 2 and 4 against the view computed in this process
//! ([`View::expected`]): their count, and their sort keys position by position; a wrong answer
//! fails the bench. Each size × view gets a fresh server process, warmed up by one run of the
//! view on a small folder, so that what an earlier table left in the allocator does not hide
//! what this one costs.

use std::time::{Duration, Instant};

use oxmapi_client::store::{Folder, SeekOrigin};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_DISPLAY_NAME;
use oxmapi_core::value::PropValue;
use oxmapi_wire::describe::Node;

use super::super::{ChildServer, fail, ms, rate, rss_kib};
use super::sweep_seed::{Seeded, SweepFolder};
use super::views::{Expected, View};
use super::{COLUMNS, Client, median};

/// Rows read per IMAPITable::QueryRows call in the full read (the client splits it into
/// RopQueryRows of what fits in a response).
const READ_CHUNK: usize = 4096;

/// The full read stops after this many rows (and reports the rate over those).
pub(super) const FULL_READ_CAP: usize = 1_000_000;

/// One run of a view.
struct Run {
    first_page: Duration,
    seek_half: Duration,
    full_read: Duration,
    full_read_rows: usize,
    rss_growth_kb: i64,
}

fn keys(view: &View, rows: &[oxmapi_client::store::Row]) -> Result<Vec<PropValue>, MapiError> {
    rows.iter()
        .map(|r| {
            r.get(view.key_tag()).cloned().ok_or_else(|| {
                fail(format!("{}: a row without its sort column 0x{:08X}", view.name, view.key_tag().0))
            })
        })
        .collect()
}

/// Sends the RopRelease of a dropped table (it travels with the next call), so that it is not
/// timed with the next run.
fn flush_release(folder: &Folder) -> Result<(), MapiError> {
    folder.get_props(&[PR_DISPLAY_NAME]).map(|_| ())
}

/// One run of `view` on `folder`, checked against `expected`.
fn run_once(
    folder: &Folder,
    view: &View,
    expected: &Expected,
    page: usize,
    pid: u32,
) -> Result<Run, MapiError> {
    let wrong = |e: String| fail(format!("bench contents --sizes: {}: {e}", view.name));
    let rss_before = rss_kib(pid).unwrap_or(0) as i64;
    let t0 = Instant::now();
    let mut table = folder.contents_table(false)?;
    table.set_columns(&COLUMNS)?;
    if let Some(r) = &view.restriction {
        table.restrict(Some(r))?;
    }
    table.sort(&[view.sort])?;
    let first = table.query_rows(page, true)?;
    let first_page = t0.elapsed();
    let t1 = Instant::now();
    table.seek_fractional(1, 2)?;
    let half = table.query_rows(page, true)?;
    let seek_half = t1.elapsed();
    let rss_growth_kb = rss_kib(pid).unwrap_or(0) as i64 - rss_before;
    let n = expected.keys.len();
    expected.check("first page", 0, page, &keys(view, &first)?).map_err(wrong)?;
    expected.check("after SeekRowFractional 1/2", n / 2, page, &keys(view, &half)?).map_err(wrong)?;
    let t2 = Instant::now();
    table.seek(SeekOrigin::Beginning, 0)?;
    let cap = n.min(FULL_READ_CAP);
    let mut read = 0;
    while read < cap {
        let want = READ_CHUNK.min(cap - read);
        let rows = table.query_rows(want, true)?;
        expected.check("full read", read, want, &keys(view, &rows)?).map_err(wrong)?;
        read += rows.len();
        if rows.is_empty() {
            break;
        }
    }
    let full_read = t2.elapsed();
    if read != cap {
        return Err(wrong(format!("full read: {read} rows, {cap} expected")));
    }
    drop(table);
    flush_release(folder)?;
    Ok(Run { first_page, seek_half, full_read, full_read_rows: read, rss_growth_kb })
}

/// The sweep's measurement of one view on one folder, in a fresh server.
fn measure(
    data: &std::path::Path,
    seeded: &Seeded,
    folder: &SweepFolder,
    view: &View,
    page: usize,
    repeat: usize,
) -> Result<Node, MapiError> {
    let references = folder.references();
    let expected = view.expected(&references, page);
    drop(references);
    let warm_expected = view.expected(&seeded.warm_up.references(), page);
    let server = ChildServer::start(data)?;
    let client = Client::logon(&server.url)?;
    let warm = client.store.open_folder(seeded.warm_up.fid)?;
    run_once(&warm, view, &warm_expected, page, server.pid())?;
    let target = client.store.open_folder(folder.fid)?;
    flush_release(&target)?;
    let mut runs = Vec::new();
    for _ in 0..repeat.max(1) {
        runs.push(run_once(&target, view, &expected, page, server.pid())?);
    }
    drop((warm, target, client, server));
    let rows = expected.keys.len();
    let med = |f: fn(&Run) -> Duration| median(runs.iter().map(f).collect());
    let full_read_rows = runs[0].full_read_rows;
    let mut out = vec![
        ("messages", Node::Int(folder.messages as i128)),
        ("view", Node::str(view.name)),
        ("indexable", Node::Bool(view.indexable)),
        ("order", Node::str(view.order)),
        ("rows", Node::Int(rows as i128)),
        ("page_rows", Node::Int(page as i128)),
        ("first_page_ms", ms(med(|r| r.first_page))),
        ("first_page_runs_ms", Node::List(runs.iter().map(|r| ms(r.first_page)).collect())),
        ("seek_half_ms", ms(med(|r| r.seek_half))),
        ("seek_ms", ms(med(|r| r.seek_half))),
        ("seek_half_runs_ms", Node::List(runs.iter().map(|r| ms(r.seek_half)).collect())),
        ("full_read_rows", Node::Int(full_read_rows as i128)),
        ("full_read_ms", ms(med(|r| r.full_read))),
        ("rows_per_s", rate(full_read_rows, med(|r| r.full_read))),
        ("rss_growth_kb", Node::Int(runs.iter().map(|r| r.rss_growth_kb).max().unwrap_or(0) as i128)),
        ("rss_growth_runs_kb", Node::List(runs.iter().map(|r| Node::Int(r.rss_growth_kb as i128)).collect())),
    ];
    if !view.indexable {
        // Derived from the seeded data, not counted in the server: an evaluator with no index
        // for the restriction examines every row of the folder for the whole view, and at least
        // the rows up to the page-th match (in sort order) for the first page.
        let per_result = folder.messages as f64 / rows.max(1) as f64;
        out.push(("rows_examined_per_result", Node::Float((per_result * 10.0).round() / 10.0)));
        out.push(("rows_examined_first_page", Node::Int(expected.examined_for_first_page as i128)));
    }
    Ok(Node::map(out))
}

/// A field of a sweep entry as text.
fn field(entry: &Node, key: &str) -> String {
    let Node::Map(m) = entry else { return String::new() };
    match m.iter().find(|(k, _)| k == key).map(|(_, v)| v) {
        Some(Node::Int(i)) => i.to_string(),
        Some(Node::Float(f)) => format!("{f:.1}"),
        Some(Node::Str(s)) => s.clone(),
        Some(Node::Bool(b)) => b.to_string(),
        _ => "-".into(),
    }
}

/// One line of the human-readable sweep table (its header when `entry` is `None`).
fn table_line(entry: Option<&Node>) -> String {
    const COLUMNS: [(&str, &str, usize); 8] = [
        ("messages", "messages", 9),
        ("view", "view", 30),
        ("rows", "rows", 9),
        ("first_page_ms", "first page ms", 14),
        ("seek_half_ms", "seek 50% ms", 12),
        ("rows_per_s", "rows/s", 11),
        ("rss_growth_kb", "RSS growth KB", 14),
        ("rows_examined_per_result", "examined/result", 16),
    ];
    let cells = COLUMNS.iter().map(|(key, title, width)| {
        let text = match entry {
            None => title.to_string(),
            Some(e) => field(e, key),
        };
        if *key == "view" { format!("{text:<width$}") } else { format!("{text:>width$}") }
    });
    cells.collect::<Vec<_>>().join(" ")
}

/// Runs the sweep over the seeded folders; prints a table line per size × view to stderr as it
/// goes and the whole table at the end. Returns the `sweep` list.
pub(super) fn run(
    data: &std::path::Path,
    seeded: &Seeded,
    page: usize,
    repeat: usize,
) -> Result<Node, MapiError> {
    let mut entries = Vec::new();
    progress!("bench: {}", table_line(None));
    for folder in &seeded.folders {
        for view in View::all() {
            let entry = measure(data, seeded, folder, &view, page, repeat)?;
            progress!("bench: {}", table_line(Some(&entry)));
            entries.push(entry);
        }
    }
    progress!("\nFolder-size sweep (median of {} runs, page of {page} rows):", repeat.max(1));
    progress!("{}", table_line(None));
    for e in &entries {
        progress!("{}", table_line(Some(e)));
    }
    Ok(Node::List(entries))
}
