//! Phase 3 of `oxmapi bench contents --rows N`: one large folder, seeded offline, read through
//! its contents table with three views (a delivery-time range, PR_IMPORTANCE == 2, none); the
//! server's resident memory meanwhile; and the unrestricted first page step by step in this
//! process.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use oxmapi_client::store::{Folder, SortOrder};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_BODY, PR_DISPLAY_NAME, PR_IMPORTANCE, PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS,
    PR_SENDER_NAME, PR_SUBJECT,
};
use oxmapi_core::consts::message_flags::MSGFLAG_READ;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder as CoreSortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::FolderType;
use oxmapi_store::table::{SourceRow, Table, TableError};
use oxmapi_store::{Site, SpecialFolder, User};
use oxmapi_wire::describe::Node;

use super::super::rng::Rng;
use super::super::{ChildServer, fail, ms, rate, rss_kib};
use super::offline::fill_mailbox;
use super::{BODY, COLUMNS, Client, DAY, median, tv};

/// What the seeded folder holds, to check the reads against.
pub(super) struct Seeded {
    /// The folder.
    pub(super) fid: ObjectId,
    rows: usize,
    importance_high: usize,
    range: (u64, u64),
    in_range: usize,
}

/// Phase 3a: fills a new folder of the (stopped) server's mailbox with `rows` messages through
/// the store API ([`fill_mailbox`]: on a tmpfs copy of the SQLite mailbox file, or straight into
/// the PostgreSQL database), one transaction per message as through the server.
pub(super) fn seed(data: &Path, user: &User, rows: usize) -> Result<(Seeded, Node), MapiError> {
    let started = Instant::now();
    let now = FileTime::now().0;
    let range = (now - 30 * DAY, now - 23 * DAY);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut importance_high, mut in_range) = (0, 0);
    let filled = fill_mailbox(data, user, |store| {
        let root = store.special_folder(SpecialFolder::IpmSubtree).ok_or_else(|| fail("no IPM subtree"))?;
        let (fid, _) = store.create_folder(root, "Bench contents", None, None, FolderType::Generic, false)?;
        const TOPICS: [&str; 8] = [
            "Quarterly figures",
            "Meeting notes",
            "Re: travel plans",
            "Invoice",
            "Build failed on main",
            "Lunch?",
            "Fwd: contract draft",
            "Weekly status",
        ];
        for i in 0..rows {
            let r = rng.next();
            let delivery = now - (r % (365 * DAY));
            let importance = match (r >> 40) % 100 {
                0..10 => 0,
                10..85 => 1,
                _ => 2,
            };
            importance_high += (importance == 2) as usize;
            in_range += (range.0..range.1).contains(&delivery) as usize;
            let read = (r >> 48) % 10 < 8;
            let mut d = store.create_message(fid, false)?;
            store.set_properties(
                &mut d,
                &[
                    tv(
                        PR_SUBJECT,
                        PropValue::Unicode(format!("{} #{i}", TOPICS[(r >> 32) as usize % TOPICS.len()])),
                    ),
                    tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
                    tv(PR_SENDER_NAME, PropValue::Unicode(format!("Sender {}", (r >> 20) % 500))),
                    tv(PR_BODY, PropValue::Unicode(BODY.into())),
                    tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(delivery))),
                    tv(PR_IMPORTANCE, PropValue::I32(importance)),
                    tv(PR_MESSAGE_FLAGS, PropValue::I32(if read { MSGFLAG_READ as i32 } else { 0 })),
                ],
            )?;
            store.save_message(&mut d, false)?;
            if (i + 1) % 20_000 == 0 {
                progress!("bench: seeded {} messages", i + 1);
            }
        }
        Ok(fid)
    })?;
    let seconds = started.elapsed();
    let mut fields = vec![
        ("messages", Node::Int(rows as i128)),
        ("seconds", Node::Float((seconds.as_secs_f64() * 10.0).round() / 10.0)),
        ("messages_per_second", rate(rows, seconds)),
        ("method", Node::str(format!("store API {}, one transaction per message", filled.place()))),
    ];
    fields.extend(filled.size_field());
    let fid = filled.value;
    Ok((Seeded { fid, rows, importance_high, range, in_range }, Node::map(fields)))
}

/// One table measurement: times from just before RopGetContentsTable to the end of each step.
struct TableRun {
    open: Duration,
    columns: Duration,
    restricted: Duration,
    sorted: Duration,
    first_page: Duration,
    all_rows: Duration,
    rows: usize,
    /// What the RopRelease of the table added to the next call.
    release: Duration,
}

/// Opens the contents table, sets columns, restriction and sort, reads the first page and then
/// every row; checks the order. Then drops the table and times the call that releases it.
fn read_table(
    folder: &Folder,
    restriction: Option<&Restriction>,
    page: usize,
) -> Result<TableRun, MapiError> {
    let t0 = Instant::now();
    let mut t = folder.contents_table(false)?;
    let open = t0.elapsed();
    t.set_columns(&COLUMNS)?;
    let columns = t0.elapsed();
    if let Some(r) = restriction {
        t.restrict(Some(r))?;
    }
    let restricted = t0.elapsed();
    t.sort(&[SortOrder { tag: PR_MESSAGE_DELIVERY_TIME, descending: true }])?;
    let sorted = t0.elapsed();
    let first = t.query_rows(page, true)?;
    let first_page = t0.elapsed();
    let rest = t.query_rows(usize::MAX, true)?;
    let all_rows = t0.elapsed();
    let mut last = u64::MAX;
    for row in first.iter().chain(&rest) {
        let Some(PropValue::SysTime(FileTime(d))) = row.get(PR_MESSAGE_DELIVERY_TIME) else {
            return Err(fail("a row without PR_MESSAGE_DELIVERY_TIME"));
        };
        if *d > last {
            return Err(fail("rows are not sorted by PR_MESSAGE_DELIVERY_TIME descending"));
        }
        last = *d;
    }
    // The RopRelease of the table travels with the next call; the same call again without it
    // gives the difference.
    drop(t);
    let t1 = Instant::now();
    folder.get_props(&[PR_DISPLAY_NAME])?;
    let with_release = t1.elapsed();
    let t2 = Instant::now();
    folder.get_props(&[PR_DISPLAY_NAME])?;
    let release = with_release.saturating_sub(t2.elapsed());
    Ok(TableRun {
        open,
        columns,
        restricted,
        sorted,
        first_page,
        all_rows,
        rows: first.len() + rest.len(),
        release,
    })
}

/// Samples the server's VmRSS every 5 ms until stopped; keeps the peak.
pub(super) struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RssSampler {
    pub(super) fn start(pid: u32) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(k) = rss_kib(pid) {
                    p.fetch_max(k, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        RssSampler { stop, peak, thread: Some(thread) }
    }

    pub(super) fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}

/// Phase 3b: the table reads, `repeat` runs of each view, smallest view first (so that the
/// server's peak memory per view shows what each adds). Returns the views and the peak RSS.
pub(super) fn table_reads(
    folder: &Folder,
    seeded: &Seeded,
    page: usize,
    repeat: usize,
    pid: u32,
) -> Result<(Node, u64), MapiError> {
    let prop = |tag: PropTag, v: PropValue, relop: RelOp| Restriction::Property {
        relop,
        prop_tag: tag,
        value: TaggedValue { tag, value: v },
    };
    let time = |t: u64| PropValue::SysTime(FileTime(t));
    let views = [
        (
            "PR_MESSAGE_DELIVERY_TIME in a 7-day range",
            Some(Restriction::And(vec![
                prop(PR_MESSAGE_DELIVERY_TIME, time(seeded.range.0), RelOp::Ge),
                prop(PR_MESSAGE_DELIVERY_TIME, time(seeded.range.1), RelOp::Lt),
            ])),
            seeded.in_range,
        ),
        (
            "PR_IMPORTANCE == 2",
            Some(prop(PR_IMPORTANCE, PropValue::I32(2), RelOp::Eq)),
            seeded.importance_high,
        ),
        ("no restriction", None, seeded.rows),
    ];
    let mut out = Vec::new();
    let mut peak = 0;
    for (name, restriction, expected) in views {
        let sampler = RssSampler::start(pid);
        let mut runs = Vec::new();
        let mut result = Ok(());
        for _ in 0..repeat.max(1) {
            match read_table(folder, restriction.as_ref(), page) {
                Ok(run) if run.rows != expected => {
                    result = Err(fail(format!("{name}: {} rows read, {expected} expected", run.rows)));
                    break;
                }
                Ok(run) => runs.push(run),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let view_peak = sampler.finish();
        result?;
        peak = peak.max(view_peak);
        let med = |f: fn(&TableRun) -> Duration| median(runs.iter().map(f).collect());
        progress!(
            "bench: {name}: {expected} rows, first page {:.1} ms, all rows {:.1} ms",
            med(|r| r.first_page).as_secs_f64() * 1e3,
            med(|r| r.all_rows).as_secs_f64() * 1e3
        );
        out.push(Node::map([
            ("view", Node::str(name)),
            ("rows", Node::Int(expected as i128)),
            ("runs", Node::Int(runs.len() as i128)),
            ("first_page_ms", ms(med(|r| r.first_page))),
            ("first_page_ms_each_run", Node::List(runs.iter().map(|r| ms(r.first_page)).collect())),
            ("get_contents_table_ms", ms(med(|r| r.open))),
            ("set_columns_ms", ms(med(|r| r.columns - r.open))),
            ("restrict_ms", ms(med(|r| r.restricted - r.columns))),
            ("sort_table_ms", ms(med(|r| r.sorted - r.restricted))),
            ("first_query_rows_ms", ms(med(|r| r.first_page - r.sorted))),
            ("all_rows_ms", ms(med(|r| r.all_rows))),
            ("query_rows_rows_per_second", rate(expected, med(|r| r.all_rows - r.sorted))),
            ("release_table_ms", ms(med(|r| r.release))),
            ("server_rss_peak_kib", Node::Int(view_peak as i128)),
        ]));
    }
    Ok((Node::List(out), peak))
}

/// Where the unrestricted first page's time goes inside the server, measured in this process
/// with the calls the server makes for it (crates/server/src/rops/table_rows.rs: the store's
/// contents rows as property bags, loaded into the table engine with columns and sort already
/// set, then the first page), on the same mailbox (file or database).
pub(super) fn first_page_breakdown(
    data: &Path,
    user: &User,
    fid: ObjectId,
    page: usize,
) -> Result<Node, MapiError> {
    let engine = |e: TableError| fail(e.to_string());
    let store = Site::open(data)?.open_mailbox(user)?;
    let tags: Vec<PropTag> = COLUMNS.iter().map(|t| PropTag::new(t.id(), PropType::Unspecified)).collect();
    let mut table = Table::new(Vec::new(), COLUMNS.to_vec());
    table
        .sort(SortOrderSet {
            orders: vec![CoreSortOrder { tag: PR_MESSAGE_DELIVERY_TIME, direction: SortDirection::Descend }],
            categorized_count: 0,
            expanded_count: 0,
        })
        .map_err(engine)?;
    let t0 = Instant::now();
    let rows = store.contents_rows(fid, false, &tags)?;
    let read = t0.elapsed();
    let source: Vec<SourceRow> = rows.into_iter().map(|r| r.into_source_row(&tags)).collect();
    let bags = t0.elapsed();
    table.reload(source);
    let loaded = t0.elapsed();
    let first = table.query_rows(page, true, false);
    let paged = t0.elapsed();
    let n = table.row_count();
    drop((first, table));
    let dropped = t0.elapsed();
    Ok(Node::map([
        ("rows", Node::Int(n as i128)),
        ("store_contents_rows_ms", ms(read)),
        ("rows_to_property_bags_ms", ms(bags - read)),
        ("engine_view_and_sort_ms", ms(loaded - bags)),
        ("engine_first_page_ms", ms(paged - loaded)),
        ("total_ms", ms(paged)),
        ("freeing_the_table_ms", ms(dropped - paged)),
    ]))
}

/// Phase 3: seeds a folder of `rows` messages into the (stopped) server's mailbox, starts the
/// server and reads the folder's contents table with each view; the output fields, and the
/// server's memory at each stage into `memory`.
pub(super) fn run(
    data: &Path,
    user: &User,
    rows: usize,
    page: usize,
    repeat: usize,
    memory: &mut Vec<(&'static str, Node)>,
) -> Result<Vec<(&'static str, Node)>, MapiError> {
    progress!("bench: seeding a folder with {rows} messages");
    let (seeded, seed_node) = seed(data, user, rows)?;
    let server = ChildServer::start(data)?;
    progress!("bench: server started (pid {}), reading the contents tables", server.pid());
    let client = Client::logon(&server.url)?;
    let folder = client.store.open_folder(seeded.fid)?;
    std::thread::sleep(Duration::from_millis(200));
    memory.push(("rss_before_table_reads_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)));
    let (reads, peak) = table_reads(&folder, &seeded, page, repeat, server.pid())?;
    memory.push(("rss_peak_during_table_reads_kib", Node::Int(peak as i128)));
    drop(folder);
    drop(client);
    std::thread::sleep(Duration::from_millis(200));
    memory.push(("rss_after_table_reads_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)));
    drop(server);
    progress!("bench: the unrestricted first page step by step, in this process");
    Ok(vec![
        ("seed", seed_node),
        ("columns", Node::List(COLUMNS.iter().map(|t| Node::str(format!("0x{:08X}", t.0))).collect())),
        ("table_reads", reads),
        ("first_page_in_process", first_page_breakdown(data, user, seeded.fid, page)?),
    ])
}
