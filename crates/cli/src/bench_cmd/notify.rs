//! `oxmapi bench notify`: how long a committed change takes to reach the client's Advise sink,
//! with 1 and with 500 sessions (each with its own NotificationWait) watching the same folder.
//! One more session saves messages there, one at a time; every watcher's sink records when
//! the ObjectCreated notification arrived. Latency is measured from the moment the saving
//! session's RopSaveChangesMessage returned (the commit happened just before; a notification
//! that won the race counts as 0) to the sink, over every (message, watcher) pair.

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

use super::{BenchSession, ChildServer, cores, fail, ms, new_data_dir, percentile, rss_kib};

/// `oxmapi bench notify` options.
#[derive(clap::Args, Debug)]
pub struct BenchNotifyArgs {
    /// Watching sessions (repeatable: one run per count).
    #[arg(long, default_values_t = [1usize, 500])]
    pub watchers: Vec<usize>,
    /// Changes per run.
    #[arg(long, default_value_t = 200)]
    pub changes: usize,
}

/// How long one change may take to reach every watcher before the run fails.
const PATIENCE: Duration = Duration::from_secs(30);

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

/// Runs `oxmapi bench notify`.
pub fn run(args: &BenchNotifyArgs) -> Result<Node, MapiError> {
    let most = args.watchers.iter().copied().max().unwrap_or(1);
    let (dir, _) = new_data_dir(most + 8)?;
    let server = ChildServer::start(dir.path())?;
    let rss_start = rss_kib(server.pid()).unwrap_or(0);
    let actor = BenchSession::logon(&server.url)?;
    let store = open_store(&actor)?;
    let folder = store.ipm_subtree()?.create_folder("Notify bench", None, true)?;
    let mut runs = Vec::new();
    for &n in &args.watchers {
        eprintln!("bench: {n} watching session(s), {} changes", args.changes);
        runs.push(run_with(&server, &folder, n, args.changes)?);
    }
    Ok(Node::map([
        ("server", Node::str(server.url.clone())),
        ("machine_cores", cores()),
        ("runs", Node::List(runs)),
        ("rss_at_start_kib", Node::Int(rss_start as i128)),
        ("rss_at_end_kib", Node::Int(rss_kib(server.pid()).unwrap_or(0) as i128)),
    ]))
}

fn run_with(
    server: &ChildServer,
    folder: &Folder,
    watchers: usize,
    changes: usize,
) -> Result<Node, MapiError> {
    let (tx, rx) = mpsc::channel::<(ObjectId, Instant)>();
    let mut held = Vec::with_capacity(watchers);
    let setup = Instant::now();
    for _ in 0..watchers {
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
    let setup = setup.elapsed();
    let rss_watching = rss_kib(server.pid()).unwrap_or(0);
    let mut latencies = Vec::with_capacity(watchers * changes);
    let mut early: HashMap<ObjectId, Vec<Instant>> = HashMap::new();
    let started = Instant::now();
    for i in 0..changes {
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
                    return Err(fail(format!(
                        "change {i}: {} of {watchers} watchers were notified within {PATIENCE:?}",
                        got.len()
                    )));
                }
            }
        }
        latencies.extend(got.iter().map(|at| at.saturating_duration_since(saved)));
    }
    let elapsed = started.elapsed();
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
        ("rss_while_watching_kib", Node::Int(rss_watching as i128)),
    ]))
}
