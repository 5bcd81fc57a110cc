//! The delivery worker: the server's transport for MS-OXOMSG 3.2.5.1 submissions.
//!
//! RopSubmitMessage records a submission in the sender's mailbox and calls
//! [`DeliveryQueue::wake`] with the mailbox GUID; one worker thread (store work blocks, so it is
//! a plain thread, not a tokio task) then runs every queued submission of that mailbox through
//! [`oxmapi_store::mailbox::delivery::process_pending`], usually within a few milliseconds of
//! the ROP's response. It claims each submission for a lease in this node's name
//! ([`oxmapi_store::mailbox::delivery::lease`]: one node at a time, renewed while it works), so
//! the nodes of a PostgreSQL site share the queues without delivering anything twice.
//!
//! Besides the wake-ups, the worker looks for work with [`Site::queued_mailboxes`]: at start-up
//! (what a previous run of this node left, claimed or not), and on a PostgreSQL site every
//! [`QUEUE_POLL`], so that submissions a dead node held are resumed here soon after its lease
//! ([`DELIVERY_LEASE`]) runs out, and those made on a node whose worker is gone are delivered
//! anyway. On a site of files (one node) a mailbox whose delivery failed (a busy or broken
//! store) or that has submissions waiting is tried again every [`RETRY_AFTER`]; on PostgreSQL the
//! poll finds those once their pause ends. The worker counts each submission's failed runs, and
//! its [`MAX_ATTEMPTS`](oxmapi_store::mailbox::delivery::MAX_ATTEMPTS)th run reports what it
//! still cannot deliver as undeliverable, so one failing submission neither blocks the others
//! nor stays queued.
//!
//! A submission that is not claimable yet — deferred (PR_DEFERRED_DELIVERY_TIME, held in the
//! Outbox until then), pausing between retries of a recipient that cannot take it now, or held
//! by another node's lease — is looked at again exactly when it becomes claimable:
//! [`PendingRun::next_due`] says when, and the worker sleeps no longer than that. The time is
//! in the database (`submissions.lease_until`), so on a PostgreSQL site any node delivers it.
//!
//! Read receipts are sent from the ROP that marks a message read
//! ([`send_owed_read_receipts`]), not by the worker.
//!
//! Stores are opened only through the server's [`crate::state::StoreCache`], so every delivery
//! reaches the notification hub (fnevNewMail, fnevObjectCreated, counts, table changes).

use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use oxmapi_core::guid::Guid;
use oxmapi_store::mailbox::delivery::{Attempts, Claimant, DeliveryHost, PendingRun, process_pending};
pub use oxmapi_store::mailbox::delivery::{DELIVERY_LEASE, RETRY_AFTER};
use oxmapi_store::{Directory, MessageStore, Site, StoreError, StoreResult, User};

use crate::state::ServerState;

/// How often the worker of a node on a PostgreSQL site asks the database for claimable work
/// (one query for the whole site): a submission a dead node held is resumed at most this long
/// after its lease ran out.
pub const QUEUE_POLL: Duration = Duration::from_secs(2);

/// The least the worker waits before looking at a mailbox whose next submission is due (a due
/// time already reached is not polled in a tight loop).
const DUE_SLACK: Duration = Duration::from_millis(50);

/// The worker's wake-up channel: the GUIDs of mailboxes with new submissions.
pub struct DeliveryQueue {
    tx: Mutex<Sender<Guid>>,
    rx: Mutex<Option<Receiver<Guid>>>,
}

impl Default for DeliveryQueue {
    fn default() -> DeliveryQueue {
        let (tx, rx) = mpsc::channel();
        DeliveryQueue { tx: Mutex::new(tx), rx: Mutex::new(Some(rx)) }
    }
}

impl DeliveryQueue {
    /// Tells the worker that mailbox `mailbox` has a new submission.
    pub fn wake(&self, mailbox: Guid) {
        let tx = self.tx.lock().unwrap_or_else(|e| e.into_inner());
        if tx.send(mailbox).is_err() {
            tracing::warn!(%mailbox, "the delivery worker is not running; the submission waits for a restart");
        }
    }
}

/// Starts the worker thread (once; later calls do nothing). It holds the state weakly and ends
/// when the state is dropped.
pub fn start(state: &Arc<ServerState>) -> Result<(), String> {
    let Some(rx) = state.delivery.rx.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return Ok(());
    };
    let weak = Arc::downgrade(state);
    std::thread::Builder::new()
        .name("oxmapi-delivery".into())
        .spawn(move || run(weak, rx))
        .map(|_| ())
        .map_err(|e| format!("cannot start the delivery worker: {e}"))
}

/// What delivery reaches through the server: its directory and its shared stores.
struct Host<'a>(&'a ServerState);

impl DeliveryHost for Host<'_> {
    fn with_directory(&self, f: &mut dyn FnMut(&Directory) -> StoreResult<()>) -> StoreResult<()> {
        let dir = self.0.directory()?;
        f(&dir)
    }

    fn mailbox(&self, user: &User) -> StoreResult<Arc<MessageStore>> {
        self.0.stores.private(&self.0.data, user)
    }

    /// A rule submitted a message (MS-OXORULE OP_FORWARD, OP_REPLY …): this worker runs it next.
    fn submitted(&self, mailbox: Guid) {
        self.0.delivery.wake(mailbox);
    }
}

/// Sends the read receipts the messages `mids` of folder `fid` (all of it when `mids` is empty)
/// owe now that they were marked read on `logon` (MS-OXOMSG 2.2.1.29; see
/// [`oxmapi_store::mailbox::delivery::send_read_receipts`]). Only a private mailbox's owner
/// reads for receipts. A failure is logged, not returned: the read state is already committed,
/// and the receipt stays owed (MSGFLAG_RN_PENDING) for the next read-flag change.
pub fn send_owed_read_receipts(
    state: &ServerState,
    logon: &crate::rops::handles::LogonObject,
    fid: oxmapi_core::ids::ObjectId,
    mids: &[oxmapi_core::ids::ObjectId],
) {
    let Some(reader) = logon.owner.as_ref().filter(|_| logon.private) else { return };
    let result = logon.store.owed_read_receipts(fid, mids).and_then(|owed| {
        if owed.is_empty() {
            return Ok(0);
        }
        oxmapi_store::mailbox::delivery::send_read_receipts(&Host(state), &logon.store, reader, &owed)
    });
    if let Err(e) = result {
        tracing::warn!(mailbox = %logon.store.mailbox_guid(), error = %e, "cannot send a read receipt; it stays owed");
    }
}

/// The mailboxes with submissions this node may claim now (a failure is logged: the next look
/// tries again).
fn queued_mailboxes(site: &Site, who: &Claimant) -> Vec<Guid> {
    site.queued_mailboxes(who.node).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot look for queued submissions");
        Vec::new()
    })
}

/// Runs the queued submissions of one mailbox as `who`, counting failed runs in `attempts`.
fn deliver_for(
    state: &ServerState,
    mailbox: Guid,
    who: &Claimant,
    attempts: &mut Attempts,
) -> StoreResult<PendingRun> {
    let user = state.directory()?.user_by_mailbox_guid(&mailbox)?;
    let Some(user) = user else {
        return Err(StoreError::NotFound(format!("no user owns mailbox {mailbox}")));
    };
    let store = state.stores.private(&state.data, &user)?;
    process_pending(&Host(state), &store, who, attempts)
}

fn run(weak: Weak<ServerState>, rx: Receiver<Guid>) {
    let Some((who, poll, mut batch)) = weak.upgrade().map(|s| {
        let who = Claimant::node(s.config.node_id);
        let poll = (s.data.backend() == oxmapi_store::db::Backend::Postgres).then_some(QUEUE_POLL);
        (who, poll, queued_mailboxes(&s.data, &who).into_iter().collect::<BTreeSet<Guid>>())
    }) else {
        return;
    };
    // Mailboxes to try again at the next sweep (sites of files; on PostgreSQL the poll finds them).
    let mut retry: BTreeSet<Guid> = BTreeSet::new();
    let mut attempts: HashMap<Guid, Attempts> = HashMap::new();
    // When a mailbox's next waiting submission becomes claimable (a deferred delivery's time).
    let mut due: HashMap<Guid, Instant> = HashMap::new();
    let sweep_every = poll.unwrap_or(RETRY_AFTER);
    let mut last_sweep = Instant::now();
    loop {
        if batch.is_empty() {
            let mut wait = sweep_every.saturating_sub(last_sweep.elapsed());
            if let Some(first) = due.values().min() {
                wait = wait.min(first.saturating_duration_since(Instant::now()));
            }
            match rx.recv_timeout(wait) {
                Ok(g) => {
                    batch.insert(g);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        batch.extend(rx.try_iter());
        let now = Instant::now();
        due.retain(|mailbox, at| {
            let ready = *at <= now;
            if ready {
                batch.insert(*mailbox);
            }
            !ready
        });
        let Some(state) = weak.upgrade() else { return };
        if last_sweep.elapsed() >= sweep_every {
            last_sweep = Instant::now();
            match poll {
                Some(_) => {
                    retry.clear();
                    batch.extend(queued_mailboxes(&state.data, &who));
                }
                None => batch.append(&mut retry),
            }
        }
        for mailbox in std::mem::take(&mut batch) {
            match deliver_for(&state, mailbox, &who, attempts.entry(mailbox).or_default()) {
                Ok(run) => {
                    if let Some(e) = &run.first_error {
                        tracing::warn!(%mailbox, failed = run.failed, error = %e, "delivery failed; retrying later");
                    }
                    tracing::debug!(%mailbox, submissions = run.ran, waiting = run.waiting, "delivered");
                    match run.next_due {
                        Some(d) => due.insert(mailbox, Instant::now() + d.max(DUE_SLACK)),
                        None => due.remove(&mailbox),
                    };
                    if run.waiting == 0 && run.failed == 0 {
                        retry.remove(&mailbox);
                        attempts.remove(&mailbox);
                    } else if poll.is_none() {
                        retry.insert(mailbox);
                    }
                }
                Err(e) => {
                    tracing::warn!(%mailbox, error = %e, "delivery failed; retrying later");
                    if poll.is_none() {
                        retry.insert(mailbox);
                    }
                }
            }
        }
    }
}
