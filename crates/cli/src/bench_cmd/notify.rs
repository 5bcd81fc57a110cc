//! `oxmapi bench notify`: how long a committed change takes to reach the client, with 1, 500 or
//! 5,000 sessions (each with its own NotificationWait) watching the same folder. One more
//! session saves messages there, one at a time; every watcher records when the ObjectCreated
//! notification arrived. Latency is measured from the moment the saving session's
//! RopSaveChangesMessage returned (the commit happened just before; a notification that won the
//! race counts as 0) to the watcher, over every (message, watcher) pair.
//!
//! Watchers are light by default (`--waiter raw`, [`super::watcher`]: one async task per
//! session context on one bench thread); `--waiter session` makes each a full MAPI session with
//! an Advise sink and its own NotificationWait thread, as an application would. Both sides of
//! the cost are reported: the server's CPU time per change and the bench process's (the
//! watchers and the saver), and the server's memory and descriptors before, with and after the
//! watchers.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification};
use oxmapi_client::store::{Folder, MsgStore, SaveFlags};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_MESSAGE_CLASS, PR_SUBJECT};
use oxmapi_core::consts::fnev;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::describe::Node;

use super::procstat::{Fds, cpu_time, fd_limits, open_fds};
use super::watcher::{Seen, Target, Watchers};
use super::{BenchSession, ChildServer, cores, fail, ms, new_data_dir, percentile, rss_kib};

/// How the watching sessions wait.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waiter {
    /// One async task per session context over the client transport (Connect, RopLogon,
    /// RopRegisterNotification, then NotificationWait + empty Execute), all on one thread.
    Raw,
    /// A full MAPI session per watcher: MAPILogonEx, Advise with a callback sink, and the
    /// session's own NotificationWait thread.
    Session,
}

/// `oxmapi bench notify` options.
#[derive(clap::Args, Debug)]
pub struct BenchNotifyArgs {
    /// Watching sessions (repeatable: one run per count).
    #[arg(long, default_values_t = [1usize, 500])]
    pub watchers: Vec<usize>,
    /// Changes per run.
    #[arg(long, default_value_t = 200)]
    pub changes: usize,
    /// How each watching session waits.
    #[arg(long, value_enum, default_value = "raw")]
    pub waiter: Waiter,
}

/// How long one change may take to reach every watcher before the run fails.
const PATIENCE: Duration = Duration::from_secs(60);
/// Descriptors the bench process needs besides two per watcher (the saver, the server's pipes,
/// the runtime).
const FD_MARGIN: u64 = 64;
/// How long the server is given to release the watchers' contexts before "after" is read.
const SETTLE: Duration = Duration::from_secs(2);

fn open_store(s: &BenchSession) -> Result<MsgStore, MapiError> {
    let row =
        s.session.msg_stores_table().into_iter().find(|r| r.default_store).ok_or_else(|| fail("no store"))?;
    s.session.open_msg_store(&row.entry_id)
}

fn save(f: &Folder, i: usize) -> Result<ObjectId, MapiError> {
    let mut m = f.create_message(false)?;
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(format!("change {i}")) },
    ])?;
    m.save_changes(SaveFlags::KeepOpenReadOnly)
}

/// The bench process's descriptor limit: raised to the hard limit, and checked against what
/// `most` watchers need (two connections each).
fn own_fd_limit(most: usize) -> Result<Node, MapiError> {
    let soft = oxmapi_server::http::fdlimit::raise_to_hard_limit();
    let needed = most as u64 * 2 + FD_MARGIN;
    if let Some(soft) = soft
        && soft < needed
    {
        return Err(fail(format!(
            "{most} watchers need about {needed} descriptors in the bench process, but its limit \
             (RLIMIT_NOFILE) is {soft} and cannot be raised further: raise the hard limit \
             (`ulimit -Hn`, or LimitNOFILE= for a service) or watch with fewer sessions"
        )));
    }
    Ok(soft.map_or(Node::Null, |s| Node::Int(s as i128)))
}

/// The server's resident memory and open descriptors now.
fn server_footprint(server: &ChildServer) -> (u64, Fds) {
    (rss_kib(server.pid()).unwrap_or(0), open_fds(Some(server.pid())).unwrap_or_default())
}

/// Descriptors as `{"total", "sockets"}`.
fn fds_node(f: Fds) -> Node {
    Node::map([("total", Node::Int(f.total() as i128)), ("sockets", Node::Int(f.sockets as i128))])
}

/// Runs `oxmapi bench notify`.
pub fn run(args: &BenchNotifyArgs) -> Result<Node, MapiError> {
    let most = args.watchers.iter().copied().max().unwrap_or(1);
    let bench_fd_limit = own_fd_limit(most)?;
    let (dir, user) = new_data_dir(most + 8)?;
    let server = ChildServer::start(dir.path())?;
    let (rss_start, fds_start) = server_footprint(&server);
    let server_fd_limit = fd_limits(Some(server.pid()));
    let actor = BenchSession::logon(&server.url)?;
    let store = open_store(&actor)?;
    let folder = store.ipm_subtree()?.create_folder("Notify bench", None, true)?;
    let target = Target { url: server.url.clone(), dn: user.legacy_dn.clone(), folder: folder.id() };
    let mut runs = Vec::new();
    for &n in &args.watchers {
        progress!("bench: {n} watching session(s) ({:?} waiters), {} changes", args.waiter, args.changes);
        runs.push(run_with(&server, &folder, &target, n, args)?);
    }
    let (rss_end, fds_end) = server_footprint(&server);
    Ok(Node::map([
        ("server", Node::str(server.url.clone())),
        ("machine_cores", cores()),
        ("waiter", Node::str(format!("{:?}", args.waiter).to_lowercase())),
        ("server_fd_limit_soft", server_fd_limit.map_or(Node::Null, |(s, _)| Node::Int(s as i128))),
        ("server_fd_limit_hard", server_fd_limit.map_or(Node::Null, |(_, h)| Node::Int(h as i128))),
        ("bench_fd_limit", bench_fd_limit),
        ("runs", Node::List(runs)),
        ("rss_at_start_kib", Node::Int(rss_start as i128)),
        ("fds_at_start", fds_node(fds_start)),
        ("rss_at_end_kib", Node::Int(rss_end as i128)),
        ("fds_at_end", fds_node(fds_end)),
    ]))
}

/// The watchers of one run, of either kind.
enum Held {
    Raw(Watchers),
    Sessions(Vec<(BenchSession, MsgStore)>),
}

fn start_watchers(
    server: &ChildServer,
    folder: &Folder,
    target: &Target,
    n: usize,
    waiter: Waiter,
    tx: mpsc::Sender<Seen>,
) -> Result<(Held, Duration), MapiError> {
    match waiter {
        Waiter::Raw => {
            let (w, setup) = Watchers::start(target.clone(), n, tx).map_err(fail)?;
            Ok((Held::Raw(w), setup))
        }
        Waiter::Session => {
            let setup = Instant::now();
            let mut held = Vec::with_capacity(n);
            for _ in 0..n {
                let s = BenchSession::logon(&server.url)?;
                let store = open_store(&s)?;
                let tx = tx.clone();
                store.advise(AdviseTarget::Folder(folder.id()), fnev::OBJECT_CREATED, move |n| {
                    if let Notification::Object(o) = n
                        && let Some(mid) = o.message_id
                    {
                        let _ = tx.send((mid, Instant::now()));
                    }
                })?;
                held.push((s, store));
            }
            Ok((Held::Sessions(held), setup.elapsed()))
        }
    }
}

/// Saves change `i` and waits until all `watchers` saw it; returns each watcher's latency.
fn one_change(
    folder: &Folder,
    i: usize,
    watchers: usize,
    rx: &mpsc::Receiver<Seen>,
    early: &mut HashMap<ObjectId, Vec<Instant>>,
    held: &Held,
) -> Result<Vec<Duration>, MapiError> {
    let mid = save(folder, i)?;
    let saved = Instant::now();
    let mut got = early.remove(&mid).unwrap_or_default();
    let deadline = saved + PATIENCE;
    while got.len() < watchers {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((m, at)) if m == mid => got.push(at),
            Ok((m, at)) => early.entry(m).or_default().push(at),
            Err(_) => {
                let why = match held {
                    Held::Raw(w) => w.failures(),
                    Held::Sessions(_) => Vec::new(),
                };
                return Err(fail(format!(
                    "change {i}: {} of {watchers} watchers were notified within {PATIENCE:?}{}",
                    got.len(),
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!("; watchers failed: {}", why.join("; "))
                    }
                )));
            }
        }
    }
    Ok(got.iter().map(|at| at.saturating_duration_since(saved)).collect())
}

fn run_with(
    server: &ChildServer,
    folder: &Folder,
    target: &Target,
    watchers: usize,
    args: &BenchNotifyArgs,
) -> Result<Node, MapiError> {
    let changes = args.changes;
    let (rss_before, fds_before) = server_footprint(server);
    let (tx, rx) = mpsc::channel::<Seen>();
    let (held, setup) = start_watchers(server, folder, target, watchers, args.waiter, tx)?;
    let mut early: HashMap<ObjectId, Vec<Instant>> = HashMap::new();
    // One unmeasured change: every watcher has then been through a whole wait and waits again.
    one_change(folder, changes, watchers, &rx, &mut early, &held)?;
    let (rss_watching, fds_watching) = server_footprint(server);
    let mut latencies = Vec::with_capacity(watchers * changes);
    let cpu = (cpu_time(Some(server.pid())), cpu_time(None));
    let started = Instant::now();
    for i in 0..changes {
        latencies.extend(one_change(folder, i, watchers, &rx, &mut early, &held)?);
    }
    let elapsed = started.elapsed();
    let per_change = |before: Option<Duration>, after: Option<Duration>| match (before, after) {
        (Some(b), Some(a)) => ms(a.saturating_sub(b) / changes.max(1) as u32),
        _ => Node::Null,
    };
    let server_cpu = per_change(cpu.0, cpu_time(Some(server.pid())));
    let bench_cpu = per_change(cpu.1, cpu_time(None));
    match held {
        Held::Raw(w) => w.stop(),
        Held::Sessions(s) => drop(s),
    }
    std::thread::sleep(SETTLE);
    let (rss_after, fds_after) = server_footprint(server);
    latencies.sort();
    Ok(Node::map([
        ("watching_sessions", Node::Int(watchers as i128)),
        ("changes", Node::Int(changes as i128)),
        ("notifications", Node::Int(latencies.len() as i128)),
        ("setup_ms", ms(setup)),
        ("latency_p50_ms", ms(percentile(&latencies, 0.50))),
        ("latency_p99_ms", ms(percentile(&latencies, 0.99))),
        ("latency_max_ms", ms(latencies.last().copied().unwrap_or_default())),
        ("changes_per_s", super::rate(changes, elapsed)),
        ("server_cpu_ms_per_change", server_cpu),
        ("bench_cpu_ms_per_change", bench_cpu),
        ("rss_before_kib", Node::Int(rss_before as i128)),
        ("rss_while_watching_kib", Node::Int(rss_watching as i128)),
        ("rss_after_kib", Node::Int(rss_after as i128)),
        ("fds_before", fds_node(fds_before)),
        ("fds_while_watching", fds_node(fds_watching)),
        ("fds_after", fds_node(fds_after)),
    ]))
}
