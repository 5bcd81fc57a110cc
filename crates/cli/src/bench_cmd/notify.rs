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
//!
//! With `--nodes N` (on PostgreSQL, [`super::nodes`]) the watchers are split evenly over N
//! servers of one site and the saving session commits through node 1: the latency is then
//! reported for the sinks on the committing node and for those on the other nodes (the
//! cross-node figure: commit, LISTEN/NOTIFY wake-up, replay from the change log), and the
//! servers' memory, descriptors and CPU time are the sum over the nodes.

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

use super::nodes::{Nodes, require_site_for, share};
use super::procstat::{Fds, cpu_time, fd_limits, open_fds};
use super::watcher::{Seen, Target, Watchers};
use super::{BenchSession, cores, fail, ms, new_data_dir, percentile, rss_kib};

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
    /// `oxmapi serve --node-id` processes on one PostgreSQL site (more than 1 needs
    /// OXMAPI_BENCH_DATABASE): the watchers are split evenly over them, the changes are made
    /// through node 1, and the latency is reported for sinks on node 1 and on the others.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub nodes: usize,
}

/// How long one change may take to reach every watcher before the run fails.
const PATIENCE: Duration = Duration::from_secs(60);
/// Descriptors the bench process needs besides two per watcher (the saver, the server's pipes,
/// the runtime).
const FD_MARGIN: u64 = 64;
/// How long the server is given to release the watchers' contexts before "after" is read.
const SETTLE: Duration = Duration::from_secs(2);

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

/// The servers' resident memory and open descriptors now, summed over the nodes.
fn server_footprint(nodes: &Nodes) -> (u64, Fds) {
    let mut rss = 0;
    let mut fds = Fds::default();
    for pid in nodes.pids() {
        rss += rss_kib(pid).unwrap_or(0);
        let f = open_fds(Some(pid)).unwrap_or_default();
        fds.sockets += f.sockets;
        fds.other += f.other;
    }
    (rss, fds)
}

/// The servers' CPU time so far, summed over the nodes (`None` when one cannot be read).
fn servers_cpu(nodes: &Nodes) -> Option<Duration> {
    nodes.pids().into_iter().map(|p| cpu_time(Some(p))).sum()
}

/// Descriptors as `{"total", "sockets"}`.
fn fds_node(f: Fds) -> Node {
    Node::map([("total", Node::Int(f.total() as i128)), ("sockets", Node::Int(f.sockets as i128))])
}

/// Runs `oxmapi bench notify`.
pub fn run(args: &BenchNotifyArgs) -> Result<Node, MapiError> {
    require_site_for(args.nodes, "--nodes")?;
    let most = args.watchers.iter().copied().max().unwrap_or(1);
    let bench_fd_limit = own_fd_limit(most)?;
    let (dir, user) = new_data_dir(most + 8 * args.nodes)?;
    let nodes = Nodes::start(dir.path(), args.nodes)?;
    let (rss_start, fds_start) = server_footprint(&nodes);
    let server_fd_limit = fd_limits(Some(nodes.node(0).pid()));
    // The changes are made through node 1.
    let actor = BenchSession::logon(&nodes.node(0).url)?;
    let store = actor.default_store()?;
    let folder = store.ipm_subtree()?.create_folder("Notify bench", None, true)?;
    let targets: Vec<Target> = nodes
        .urls()
        .into_iter()
        .enumerate()
        .map(|(node, url)| Target { url, dn: user.legacy_dn.clone(), folder: folder.id(), node })
        .collect();
    let mut runs = Vec::new();
    for &n in &args.watchers {
        progress!(
            "bench: {n} watching session(s) ({:?} waiters{}), {} changes",
            args.waiter,
            if nodes.len() > 1 { format!(" over {} nodes", nodes.len()) } else { String::new() },
            args.changes
        );
        runs.push(run_with(&nodes, &folder, &targets, n, args)?);
    }
    let (rss_end, fds_end) = server_footprint(&nodes);
    Ok(Node::map([
        ("server", Node::str(nodes.node(0).url.clone())),
        ("nodes", Node::Int(nodes.len() as i128)),
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
    Raw(Vec<Watchers>),
    Sessions(Vec<(BenchSession, MsgStore)>),
}

/// Starts `n` watchers split evenly over the nodes of `targets` (one per node); the time the
/// set-up took.
fn start_watchers(
    folder: &Folder,
    targets: &[Target],
    n: usize,
    waiter: Waiter,
    tx: mpsc::Sender<Seen>,
) -> Result<(Held, Duration), MapiError> {
    let setup = Instant::now();
    let shares = targets.iter().map(|t| (t, share(n, t.node, targets.len()))).filter(|(_, k)| *k > 0);
    match waiter {
        Waiter::Raw => {
            let mut sets = Vec::with_capacity(targets.len());
            for (t, k) in shares {
                sets.push(Watchers::start(t.clone(), k, tx.clone()).map_err(fail)?.0);
            }
            Ok((Held::Raw(sets), setup.elapsed()))
        }
        Waiter::Session => {
            let mut held = Vec::with_capacity(n);
            for (t, k) in shares {
                for _ in 0..k {
                    let s = BenchSession::logon(&t.url)?;
                    let store = s.default_store()?;
                    let (tx, node) = (tx.clone(), t.node);
                    store.advise(AdviseTarget::Folder(folder.id()), fnev::OBJECT_CREATED, move |n| {
                        if let Notification::Object(o) = n
                            && let Some(mid) = o.message_id
                        {
                            let _ = tx.send((mid, Instant::now(), node));
                        }
                    })?;
                    held.push((s, store));
                }
            }
            Ok((Held::Sessions(held), setup.elapsed()))
        }
    }
}

/// One watcher's latency for one change, and the index of the node it waits on.
type Latency = (Duration, usize);

/// Saves change `i` and waits until all `watchers` saw it; returns each watcher's latency.
fn one_change(
    folder: &Folder,
    i: usize,
    watchers: usize,
    rx: &mpsc::Receiver<Seen>,
    early: &mut HashMap<ObjectId, Vec<(Instant, usize)>>,
    held: &Held,
) -> Result<Vec<Latency>, MapiError> {
    let mid = save(folder, i)?;
    let saved = Instant::now();
    let mut got = early.remove(&mid).unwrap_or_default();
    let deadline = saved + PATIENCE;
    while got.len() < watchers {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((m, at, node)) if m == mid => got.push((at, node)),
            Ok((m, at, node)) => early.entry(m).or_default().push((at, node)),
            Err(_) => {
                let why = match held {
                    Held::Raw(sets) => sets.iter().flat_map(Watchers::failures).collect(),
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
    Ok(got.iter().map(|&(at, node)| (at.saturating_duration_since(saved), node)).collect())
}

/// `{"notifications", "latency_p50_ms", "latency_p99_ms", "latency_max_ms"}` of sorted latencies.
fn latency_figures(sorted: &[Duration]) -> Vec<(&'static str, Node)> {
    vec![
        ("notifications", Node::Int(sorted.len() as i128)),
        ("latency_p50_ms", ms(percentile(sorted, 0.50))),
        ("latency_p99_ms", ms(percentile(sorted, 0.99))),
        ("latency_max_ms", ms(sorted.last().copied().unwrap_or_default())),
    ]
}

fn run_with(
    nodes: &Nodes,
    folder: &Folder,
    targets: &[Target],
    watchers: usize,
    args: &BenchNotifyArgs,
) -> Result<Node, MapiError> {
    let changes = args.changes;
    let (rss_before, fds_before) = server_footprint(nodes);
    let (tx, rx) = mpsc::channel::<Seen>();
    let (held, setup) = start_watchers(folder, targets, watchers, args.waiter, tx)?;
    let mut early: HashMap<ObjectId, Vec<(Instant, usize)>> = HashMap::new();
    // One unmeasured change: every watcher has then been through a whole wait and waits again.
    one_change(folder, changes, watchers, &rx, &mut early, &held)?;
    let (rss_watching, fds_watching) = server_footprint(nodes);
    let mut latencies = Vec::with_capacity(watchers * changes);
    let cpu = (servers_cpu(nodes), cpu_time(None));
    let started = Instant::now();
    for i in 0..changes {
        latencies.extend(one_change(folder, i, watchers, &rx, &mut early, &held)?);
    }
    let elapsed = started.elapsed();
    let per_change = |before: Option<Duration>, after: Option<Duration>| match (before, after) {
        (Some(b), Some(a)) => ms(a.saturating_sub(b) / changes.max(1) as u32),
        _ => Node::Null,
    };
    let server_cpu = per_change(cpu.0, servers_cpu(nodes));
    let bench_cpu = per_change(cpu.1, cpu_time(None));
    match held {
        Held::Raw(sets) => sets.into_iter().for_each(Watchers::stop),
        Held::Sessions(s) => drop(s),
    }
    std::thread::sleep(SETTLE);
    let (rss_after, fds_after) = server_footprint(nodes);
    // Sinks on node 1 (where the changes are committed) and on the other nodes.
    let mut same: Vec<Duration> = latencies.iter().filter(|l| l.1 == 0).map(|l| l.0).collect();
    let mut cross: Vec<Duration> = latencies.iter().filter(|l| l.1 != 0).map(|l| l.0).collect();
    let mut all: Vec<Duration> = latencies.iter().map(|l| l.0).collect();
    for l in [&mut same, &mut cross, &mut all] {
        l.sort();
    }
    let mut out = vec![
        ("watching_sessions", Node::Int(watchers as i128)),
        ("changes", Node::Int(changes as i128)),
        ("setup_ms", ms(setup)),
    ];
    out.extend(latency_figures(&all));
    if nodes.len() > 1 {
        out.push(("same_node", Node::map(latency_figures(&same))));
        out.push(("cross_node", Node::map(latency_figures(&cross))));
    }
    out.extend([
        ("changes_per_s", super::rate(changes, elapsed)),
        ("server_cpu_ms_per_change", server_cpu),
        ("bench_cpu_ms_per_change", bench_cpu),
        ("rss_before_kib", Node::Int(rss_before as i128)),
        ("rss_while_watching_kib", Node::Int(rss_watching as i128)),
        ("rss_after_kib", Node::Int(rss_after as i128)),
        ("fds_before", fds_node(fds_before)),
        ("fds_while_watching", fds_node(fds_watching)),
        ("fds_after", fds_node(fds_after)),
    ]);
    Ok(Node::map(out))
}
