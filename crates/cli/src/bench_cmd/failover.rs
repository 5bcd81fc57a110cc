//! `oxmapi bench failover`: the failover drill of issue 16 ("a node dies", item 5). Two
//! `oxmapi serve --node-id` nodes run on one PostgreSQL site ([`super::nodes`]). K client
//! sessions, each with a profile naming both nodes (so the client library fails over as
//! Outlook does with Autodiscover's internal and external URL), connect through node 1 and
//! save messages with unique subjects in a loop; one more session submits messages to a second
//! user in a loop. A write counts as acknowledged only when its call returned success
//! (RopSaveChangesMessage, or RopSaveChangesMessage + RopSubmitMessage in one Execute). After
//! T seconds node 1 gets SIGKILL (as soon as its delivery worker holds a submission, within
//! [`CLAIM_WAIT`]); the loops go on (through node 2 once their client reconnects)
//! until every client has written again, then stop. Through node 2 the drill then checks:
//!
//! * acknowledged saves missing from the folder (must be 0);
//! * acknowledged submissions not in the recipient's Inbox once the sender's Outbox drained,
//!   waiting at most a delivery lease, a queue poll and [`DELIVERY_SLACK`] (must be 0);
//! * subjects found more than once, saved or delivered (must be 0);
//! * per client, the seconds from the kill until its first successful write afterwards ("every
//!   client is back" is the largest).
//!
//! Any loss, duplicate or client that never comes back within [`BACK_PATIENCE`] fails the
//! command with MAPI_E_CALL_FAILED naming what went wrong, so the drill is a check.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use oxmapi_client::store::{Folder, MsgStore, Recipient, RecipientType, SaveFlags};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_BODY, PR_MESSAGE_CLASS, PR_SUBJECT};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_server::delivery::{DELIVERY_LEASE, QUEUE_POLL};
use oxmapi_store::{NewUser, Site};
use oxmapi_wire::describe::Node;

use super::nodes::{Nodes, require_site_for};
use super::{BenchSession, PASSWORD, USER, cores, fail, new_data_dir, percentile};

/// `oxmapi bench failover` options.
#[derive(clap::Args, Debug)]
pub struct BenchFailoverArgs {
    /// Client sessions running the save loop (each connected through node 1, its profile naming
    /// both nodes).
    #[arg(long, value_name = "K", default_value_t = 8)]
    pub clients: usize,
    /// Seconds the save and delivery loops run before node 1 gets kill -9.
    #[arg(long, value_name = "T", default_value_t = 5)]
    pub seconds: u64,
    /// Seconds the loops go on through node 2 after the kill (longer while a client is not back).
    #[arg(long, value_name = "SECONDS", default_value_t = 3)]
    pub after: u64,
    /// Milliseconds each loop waits between two writes: with the seconds it sets how many
    /// messages are saved and submitted.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    pub pause_ms: u64,
}

/// How long after the kill every client may take to write again before the drill fails.
pub const BACK_PATIENCE: Duration = Duration::from_secs(60);
/// What the deliveries may take beyond a delivery lease and a queue poll after the loops stop
/// (the lease of a submission node 1 held must run out before node 2 takes it).
pub const DELIVERY_SLACK: Duration = Duration::from_secs(15);
/// How long after T seconds the drill waits for node 1 to hold a submission before it kills it
/// anyway.
pub const CLAIM_WAIT: Duration = Duration::from_secs(5);
/// How often the delivery queue is read meanwhile.
const CLAIM_POLL: Duration = Duration::from_millis(2);
/// How often the recipient's Inbox and the sender's Outbox are read while waiting.
const VERIFY_POLL: Duration = Duration::from_millis(500);
/// Failed writes whose error is kept for the report.
const ERRORS_KEPT: usize = 5;
/// The user the delivery loop submits to.
const RECIPIENT: &str = "failover-rcpt";

/// What the loops share with the drill.
#[derive(Default)]
struct Drill {
    /// Set when the loops are to end.
    stop: AtomicBool,
    /// When node 1 was dead (SIGKILL sent and the process reaped).
    killed: OnceLock<Instant>,
    /// Loops that wrote successfully after the kill.
    back: AtomicUsize,
    /// The first few errors of failed writes.
    errors: Mutex<Vec<String>>,
}

/// What one loop did.
#[derive(Default)]
struct LoopResult {
    /// Subjects of the writes that returned success.
    acknowledged: Vec<String>,
    /// Writes (or reopenings after a reconnect) that failed.
    failed: usize,
    /// From the kill to the first write that returned success afterwards.
    back_after: Option<Duration>,
}

impl Drill {
    /// Writes with fresh subjects (`subject(n)`) until stopped: `open` makes what `write`
    /// needs, again after every failure (a reconnect through node 2 invalidates the old
    /// handles).
    fn run_loop<S>(
        &self,
        pause: Duration,
        mut open: impl FnMut() -> Result<S, MapiError>,
        mut write: impl FnMut(&S, &str) -> Result<(), MapiError>,
        subject: impl Fn(usize) -> String,
    ) -> LoopResult {
        let mut out = LoopResult::default();
        let mut state: Option<S> = None;
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            let result = match &state {
                Some(s) => {
                    let subject = subject(n);
                    n += 1;
                    write(s, &subject).map(|()| Some(subject))
                }
                None => open().map(|s| {
                    state = Some(s);
                    None
                }),
            };
            let done = Instant::now();
            match result {
                Ok(Some(subject)) => {
                    out.acknowledged.push(subject);
                    // Back: the first success that returned after node 1 was dead.
                    if out.back_after.is_none()
                        && let Some(&killed) = self.killed.get()
                        && done > killed
                    {
                        out.back_after = Some(done - killed);
                        self.back.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok(None) => continue,
                Err(e) => {
                    out.failed += 1;
                    state = None;
                    let mut kept = self.errors.lock().unwrap_or_else(|e| e.into_inner());
                    if kept.len() < ERRORS_KEPT {
                        kept.push(e.to_string());
                    }
                }
            }
            std::thread::sleep(pause);
        }
        out
    }
}

fn open_store(s: &BenchSession) -> Result<MsgStore, MapiError> {
    let row =
        s.session.msg_stores_table().into_iter().find(|r| r.default_store).ok_or_else(|| fail("no store"))?;
    s.session.open_msg_store(&row.entry_id)
}

fn save(folder: &Folder, subject: &str) -> Result<(), MapiError> {
    let mut m = folder.create_message(false)?;
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) },
    ])?;
    m.save_changes(SaveFlags::KeepOpenReadOnly).map(drop)
}

fn submit(outbox: &Folder, to: &[Recipient], subject: &str) -> Result<(), MapiError> {
    let mut m = outbox.create_message(false)?;
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) },
        TaggedValue { tag: PR_BODY, value: PropValue::Unicode("failover drill".into()) },
    ])?;
    m.add_recipients(to)?;
    m.submit().map(drop)
}

/// Every subject in `folder`, with how often it is there.
fn subjects(folder: &Folder) -> Result<HashMap<String, usize>, MapiError> {
    let mut table = folder.contents_table(false)?;
    table.set_columns(&[PR_SUBJECT])?;
    let mut out = HashMap::new();
    for row in table.query_rows(usize::MAX, true)? {
        if let Some(PropValue::Unicode(s)) = row.get(PR_SUBJECT) {
            *out.entry(s.clone()).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// Acknowledged subjects missing from `found`, and subjects found more than once.
fn missing_and_duplicated(
    acknowledged: &[String],
    found: &HashMap<String, usize>,
) -> (Vec<String>, Vec<String>) {
    let missing = acknowledged.iter().filter(|s| !found.contains_key(*s)).cloned().collect();
    let mut duplicated: Vec<String> = found.iter().filter(|(_, n)| **n > 1).map(|(s, _)| s.clone()).collect();
    duplicated.sort();
    (missing, duplicated)
}

/// Seconds with millisecond precision.
fn secs(d: Duration) -> Node {
    Node::Float((d.as_secs_f64() * 1e3).round() / 1e3)
}

fn strings(v: &[String]) -> Node {
    Node::List(v.iter().take(ERRORS_KEPT).map(|s| Node::str(s.clone())).collect())
}

/// Runs `oxmapi bench failover`.
pub fn run(args: &BenchFailoverArgs) -> Result<Node, MapiError> {
    require_site_for(2, "bench failover")?;
    if args.clients == 0 {
        return Err(fail("--clients must be positive"));
    }
    let (dir, user) = new_data_dir(2 * args.clients + 16)?;
    let site = Site::open(dir.path())?;
    site.add_user(&NewUser { name: RECIPIENT.into(), password: PASSWORD.into(), ..Default::default() })?;
    let domain = site.directory()?.effective_setting("domain")?;
    let mut nodes = Nodes::start(dir.path(), 2)?;
    let urls = nodes.urls();
    let folder_id = {
        let s = BenchSession::logon(&urls[0])?;
        open_store(&s)?.ipm_subtree()?.create_folder("Failover saves", None, true)?.id()
    };
    let to = vec![Recipient::smtp(RecipientType::To, &format!("{RECIPIENT}@{domain}"))];
    // Every session logs on through node 1 first; the loops start together.
    let savers: Vec<BenchSession> = (0..args.clients)
        .map(|_| BenchSession::logon_site(&urls, USER, &user.legacy_dn))
        .collect::<Result<_, _>>()?;
    let sender = BenchSession::logon_site(&urls, USER, &user.legacy_dn)?;
    let drill = Arc::new(Drill::default());
    let pause = Duration::from_millis(args.pause_ms);
    progress!(
        "bench: failover drill: {} client(s) saving and one submitting through node 1 for {} s",
        args.clients,
        args.seconds
    );
    let save_loops: Vec<_> = savers
        .into_iter()
        .enumerate()
        .map(|(c, s)| {
            let drill = drill.clone();
            std::thread::spawn(move || {
                let open = || {
                    let store = open_store(&s)?;
                    let folder = store.open_folder(folder_id)?;
                    Ok((store, folder))
                };
                drill.run_loop(
                    pause,
                    open,
                    |(_, f): &(MsgStore, Folder), subject| save(f, subject),
                    |n| format!("failover save c{c:03} n{n:06}"),
                )
            })
        })
        .collect();
    let delivery_loop = {
        let drill = drill.clone();
        std::thread::spawn(move || {
            let open = || {
                let store = open_store(&sender)?;
                let outbox = store.open_folder(store.transport_folder()?)?;
                Ok((store, outbox))
            };
            drill.run_loop(
                pause,
                open,
                |(_, o): &(MsgStore, Folder), subject| submit(o, &to, subject),
                |n| format!("failover delivery n{n:06}"),
            )
        })
    };
    std::thread::sleep(Duration::from_secs(args.seconds));
    // The kill lands while node 1's delivery worker holds a submission when one is caught
    // within CLAIM_WAIT (read straight from the site's database): the work it held must then be
    // finished by node 2, once and only once.
    let sender_box = site.open_mailbox(&user)?;
    let watching = Instant::now();
    let at_kill = loop {
        let queued = sender_box.pending_submissions()?;
        if queued.iter().any(|s| s.claimed_by == Some(1)) || watching.elapsed() >= CLAIM_WAIT {
            break queued;
        }
        std::thread::sleep(CLAIM_POLL);
    };
    let pid = nodes.node(0).pid();
    nodes.node_mut(0).kill()?;
    let killed = Instant::now();
    let _ = drill.killed.set(killed);
    let held_at_kill = at_kill.iter().filter(|s| s.claimed_by == Some(1)).count();
    progress!(
        "bench: kill -9 of node 1 (pid {pid}) holding {held_at_kill} of {} queued submission(s); the loops go on \
         through node 2",
        at_kill.len()
    );
    std::thread::sleep(Duration::from_secs(args.after));
    let loops = args.clients + 1;
    while drill.back.load(Ordering::Relaxed) < loops && killed.elapsed() < BACK_PATIENCE {
        std::thread::sleep(VERIFY_POLL);
    }
    drill.stop.store(true, Ordering::Relaxed);
    let saves: Vec<LoopResult> = save_loops
        .into_iter()
        .map(|t| t.join().map_err(|_| fail("a save loop panicked")))
        .collect::<Result<_, _>>()?;
    let deliveries = delivery_loop.join().map_err(|_| fail("the delivery loop panicked"))?;
    let stopped = Instant::now();
    progress!(
        "bench: loops stopped {:.1} s after the kill; checking through node 2",
        killed.elapsed().as_secs_f64()
    );

    // Saves, through node 2.
    let checker = BenchSession::logon(&urls[1])?;
    let store = open_store(&checker)?;
    let saved = subjects(&store.open_folder(folder_id)?)?;
    let acknowledged: Vec<String> = saves.iter().flat_map(|r| r.acknowledged.iter().cloned()).collect();
    let (saves_lost, saves_duplicated) = missing_and_duplicated(&acknowledged, &saved);

    // Deliveries, through node 2: until every acknowledged submission arrived, the Outbox
    // drained and a lease has run out since the kill (a submission node 1 held is taken over
    // only then), within a lease, a poll and the slack after the loops stopped.
    let outbox = store.open_folder(store.transport_folder()?)?;
    let recipient = BenchSession::logon_as(&urls[1], RECIPIENT)?;
    let rstore = open_store(&recipient)?;
    let inbox = rstore.open_folder(rstore.receive_folder("IPM.Note")?.0)?;
    let deadline = stopped + DELIVERY_LEASE + QUEUE_POLL + DELIVERY_SLACK;
    let settled = killed + DELIVERY_LEASE + QUEUE_POLL;
    progress!("bench: waiting for the deliveries (at most {} s)", (deadline - Instant::now()).as_secs());
    let (delivered, queued) = loop {
        let delivered = subjects(&inbox)?;
        let queued = subjects(&outbox)?.values().sum::<usize>();
        let all_in = deliveries.acknowledged.iter().all(|s| delivered.contains_key(s));
        if (all_in && queued == 0 && Instant::now() >= settled) || Instant::now() >= deadline {
            break (delivered, queued);
        }
        std::thread::sleep(VERIFY_POLL);
    };
    let (not_delivered, delivered_twice) = missing_and_duplicated(&deliveries.acknowledged, &delivered);

    let mut back: Vec<Duration> = saves.iter().filter_map(|r| r.back_after).collect();
    back.sort();
    let not_back = args.clients - back.len();
    let report = Node::map([
        ("nodes", Node::Int(2)),
        ("machine_cores", cores()),
        ("clients", Node::Int(args.clients as i128)),
        ("seconds_before_kill", Node::Int(args.seconds as i128)),
        ("seconds_loops_ran_after_kill", secs(stopped.duration_since(killed))),
        ("pause_ms", Node::Int(args.pause_ms as i128)),
        (
            "saves",
            Node::map([
                ("acknowledged", Node::Int(acknowledged.len() as i128)),
                ("failed", Node::Int(saves.iter().map(|r| r.failed).sum::<usize>() as i128)),
                ("found", Node::Int(saved.values().sum::<usize>() as i128)),
                ("acknowledged_lost", Node::Int(saves_lost.len() as i128)),
                ("duplicated", Node::Int(saves_duplicated.len() as i128)),
            ]),
        ),
        (
            "deliveries",
            Node::map([
                ("acknowledged", Node::Int(deliveries.acknowledged.len() as i128)),
                ("failed", Node::Int(deliveries.failed as i128)),
                ("delivered_copies", Node::Int(delivered.values().sum::<usize>() as i128)),
                ("acknowledged_not_delivered", Node::Int(not_delivered.len() as i128)),
                ("duplicated", Node::Int(delivered_twice.len() as i128)),
                ("queued_at_kill", Node::Int(at_kill.len() as i128)),
                ("held_by_node_1_at_kill", Node::Int(held_at_kill as i128)),
                ("left_in_outbox", Node::Int(queued as i128)),
                ("waited_s", secs(Instant::now().duration_since(stopped))),
            ]),
        ),
        (
            "back",
            Node::map([
                ("clients_back", Node::Int(back.len() as i128)),
                ("p50_s", secs(percentile(&back, 0.5))),
                ("max_s", secs(back.last().copied().unwrap_or_default())),
                ("sender_s", deliveries.back_after.map_or(Node::Null, secs)),
            ]),
        ),
        ("errors_seen", strings(&drill.errors.lock().unwrap_or_else(|e| e.into_inner()))),
    ]);
    let mut wrong = Vec::new();
    let mut name = |n: usize, what: &str, examples: &[String]| {
        if n > 0 {
            wrong.push(format!(
                "{n} {what} (e.g. {})",
                examples.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    };
    name(saves_lost.len(), "acknowledged save(s) lost", &saves_lost);
    name(not_delivered.len(), "acknowledged submission(s) not delivered", &not_delivered);
    name(saves_duplicated.len(), "saved subject(s) found twice", &saves_duplicated);
    name(delivered_twice.len(), "submission(s) delivered twice", &delivered_twice);
    if not_back > 0 || deliveries.back_after.is_none() {
        wrong.push(format!(
            "{not_back} of {} save client(s){} never wrote again within {} s of the kill",
            args.clients,
            if deliveries.back_after.is_none() { " and the sender" } else { "" },
            BACK_PATIENCE.as_secs()
        ));
    }
    if !wrong.is_empty() {
        return Err(fail(format!("failover drill failed: {}", wrong.join("; "))));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_and_duplicated_subjects_are_found() {
        let found: HashMap<String, usize> =
            [("a".to_string(), 1), ("b".to_string(), 2), ("x".to_string(), 1)].into();
        let acked = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(missing_and_duplicated(&acked, &found), (vec!["c".to_string()], vec!["b".to_string()]));
    }
}
