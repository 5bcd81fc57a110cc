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

mod check;
mod drill;

use std::time::{Duration, Instant};

use oxmapi_client::store::{Recipient, RecipientType};
use oxmapi_core::MapiError;
use oxmapi_server::delivery::{DELIVERY_LEASE, QUEUE_POLL};
use oxmapi_store::{NewUser, Site};
use oxmapi_wire::describe::Node;

use self::check::{missing_and_duplicated, subjects, wait_for_deliveries};
use self::drill::{Done, ERRORS_KEPT, Loops};
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
/// How often the drill looks at the loops, the recipient's Inbox and the sender's Outbox while
/// it waits.
const VERIFY_POLL: Duration = Duration::from_millis(500);
/// The user the delivery loop submits to.
const RECIPIENT: &str = "failover-rcpt";

/// Seconds with millisecond precision.
fn secs(d: Duration) -> Node {
    Node::Float((d.as_secs_f64() * 1e3).round() / 1e3)
}

fn int(n: usize) -> Node {
    Node::Int(n as i128)
}

/// "N what (e.g. a, b, c)" when `found` is not empty.
fn named(found: &[String], what: &str) -> Option<String> {
    (!found.is_empty())
        .then(|| format!("{} {what} (e.g. {})", found.len(), found[..found.len().min(3)].join(", ")))
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
    let folder = {
        let s = BenchSession::logon(&urls[0])?;
        s.default_store()?.ipm_subtree()?.create_folder("Failover saves", None, true)?.id()
    };
    let to = vec![Recipient::smtp(RecipientType::To, &format!("{RECIPIENT}@{domain}"))];
    // Every session logs on through node 1 first; the loops start together.
    let savers: Vec<BenchSession> = (0..args.clients)
        .map(|_| BenchSession::logon_site(&urls, USER, &user.legacy_dn))
        .collect::<Result<_, _>>()?;
    let sender = BenchSession::logon_site(&urls, USER, &user.legacy_dn)?;
    progress!(
        "bench: failover drill: {} client(s) saving and one submitting through node 1 for {} s",
        args.clients,
        args.seconds
    );
    let loops = Loops::start(savers, folder, sender, to, Duration::from_millis(args.pause_ms));
    std::thread::sleep(Duration::from_secs(args.seconds));

    // The kill lands while node 1's delivery worker holds a submission when one is caught
    // within CLAIM_WAIT (read straight from the site's database): node 2 must then finish the
    // work node 1 held, once and only once.
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
    loops.killed(killed);
    let held_at_kill = at_kill.iter().filter(|s| s.claimed_by == Some(1)).count();
    progress!(
        "bench: kill -9 of node 1 (pid {pid}) holding {held_at_kill} of {} queued submission(s); the loops go on \
         through node 2",
        at_kill.len()
    );
    std::thread::sleep(Duration::from_secs(args.after));
    while loops.back() < loops.count() && killed.elapsed() < BACK_PATIENCE {
        std::thread::sleep(VERIFY_POLL);
    }
    let Done { saves, deliveries, errors } = loops.stop()?;
    let stopped = Instant::now();
    progress!(
        "bench: loops stopped {:.1} s after the kill; checking through node 2",
        killed.elapsed().as_secs_f64()
    );

    // Saves, through node 2.
    let checker = BenchSession::logon(&urls[1])?;
    let store = checker.default_store()?;
    let saved = subjects(&store.open_folder(folder)?)?;
    let acknowledged: Vec<String> = saves.iter().flat_map(|r| r.acknowledged.iter().cloned()).collect();
    let (saves_lost, saves_twice) = missing_and_duplicated(&acknowledged, &saved);

    // Deliveries, through node 2: until every acknowledged submission arrived, the Outbox
    // drained and a lease and a poll have passed since the kill (node 2 takes over what node 1
    // held only then), at most a lease, a poll and the slack after the loops stopped.
    let outbox = store.open_folder(store.transport_folder()?)?;
    let recipient = BenchSession::logon_as(&urls[1], RECIPIENT)?;
    let rstore = recipient.default_store()?;
    let inbox = rstore.open_folder(rstore.receive_folder("IPM.Note")?.0)?;
    let deadline = stopped + DELIVERY_LEASE + QUEUE_POLL + DELIVERY_SLACK;
    progress!(
        "bench: waiting for the deliveries (at most {} s)",
        deadline.saturating_duration_since(Instant::now()).as_secs()
    );
    let (delivered, queued) = wait_for_deliveries(
        &inbox,
        &outbox,
        &deliveries.acknowledged,
        killed + DELIVERY_LEASE + QUEUE_POLL,
        deadline,
    )?;
    let waited = stopped.elapsed();
    let (not_delivered, delivered_twice) = missing_and_duplicated(&deliveries.acknowledged, &delivered);

    let mut back: Vec<Duration> = saves.iter().filter_map(|r| r.back_after).collect();
    back.sort();
    let mut not_back = Vec::new();
    if back.len() < args.clients {
        not_back.push(format!("{} of {} save client(s)", args.clients - back.len(), args.clients));
    }
    if deliveries.back_after.is_none() {
        not_back.push("the sender".to_string());
    }
    let wrong: Vec<String> = [
        named(&saves_lost, "acknowledged save(s) lost"),
        named(&not_delivered, "acknowledged submission(s) not delivered"),
        named(&saves_twice, "saved subject(s) found twice"),
        named(&delivered_twice, "submission(s) delivered twice"),
        (!not_back.is_empty()).then(|| {
            format!(
                "{} never wrote again within {} s of the kill",
                not_back.join(" and "),
                BACK_PATIENCE.as_secs()
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !wrong.is_empty() {
        return Err(fail(format!("failover drill failed: {}", wrong.join("; "))));
    }
    Ok(Node::map([
        ("nodes", Node::Int(2)),
        ("machine_cores", cores()),
        ("clients", int(args.clients)),
        ("seconds_before_kill", Node::Int(args.seconds as i128)),
        ("seconds_loops_ran_after_kill", secs(stopped.duration_since(killed))),
        ("pause_ms", Node::Int(args.pause_ms as i128)),
        (
            "saves",
            Node::map([
                ("acknowledged", int(acknowledged.len())),
                ("failed", int(saves.iter().map(|r| r.failed).sum())),
                ("found", int(saved.values().sum())),
                ("acknowledged_lost", int(saves_lost.len())),
                ("duplicated", int(saves_twice.len())),
            ]),
        ),
        (
            "deliveries",
            Node::map([
                ("acknowledged", int(deliveries.acknowledged.len())),
                ("failed", int(deliveries.failed)),
                ("delivered_copies", int(delivered.values().sum())),
                ("acknowledged_not_delivered", int(not_delivered.len())),
                ("duplicated", int(delivered_twice.len())),
                ("queued_at_kill", int(at_kill.len())),
                ("held_by_node_1_at_kill", int(held_at_kill)),
                ("left_in_outbox", int(queued)),
                ("waited_s", secs(waited)),
            ]),
        ),
        (
            "back",
            Node::map([
                ("clients_back", int(back.len())),
                ("p50_s", secs(percentile(&back, 0.5))),
                ("max_s", secs(back.last().copied().unwrap_or_default())),
                ("sender_s", deliveries.back_after.map_or(Node::Null, secs)),
            ]),
        ),
        ("errors_seen", Node::List(errors.into_iter().take(ERRORS_KEPT).map(Node::Str).collect())),
    ]))
}
