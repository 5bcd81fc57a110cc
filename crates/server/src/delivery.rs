//! The delivery worker: the server's transport for MS-OXOMSG 3.2.5.1 submissions.
//!
//! RopSubmitMessage records a submission in the sender's mailbox and calls
//! [`DeliveryQueue::wake`] with the mailbox GUID; one worker thread (SQLite work blocks, so it is
//! a plain thread, not a tokio task) then runs every queued submission of that mailbox through
//! [`oxmapi_store::mailbox::delivery::process_pending`], usually within a few milliseconds of
//! the ROP's response. At start-up it looks into every mailbox of the directory and resumes the
//! submissions a previous run left (claimed or not). A mailbox whose delivery failed (a busy or
//! broken store) is tried again every [`RETRY_AFTER`]; the worker counts each submission's
//! failed runs, and its
//! [`MAX_ATTEMPTS`](oxmapi_store::mailbox::delivery::MAX_ATTEMPTS)th run reports what it still cannot deliver as
//! undeliverable, so one failing submission neither blocks the others nor stays queued.
//!
//! Stores are opened only through the server's [`crate::state::StoreCache`], so every delivery
//! reaches the notification hub (fnevNewMail, fnevObjectCreated, counts, table changes).

use std::collections::{BTreeSet, HashMap};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use oxmapi_core::guid::Guid;
use oxmapi_store::mailbox::delivery::{Attempts, DeliveryHost, process_pending};
use oxmapi_store::{Directory, MessageStore, StoreError, StoreResult, User};

use crate::state::ServerState;

/// How long a mailbox whose delivery failed waits before the next attempt.
pub const RETRY_AFTER: Duration = Duration::from_secs(30);

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
}

/// The mailboxes that have queued submissions now (opened apart, not cached: most have none).
fn queued_mailboxes(state: &ServerState) -> StoreResult<Vec<Guid>> {
    let users = state.directory()?.users()?;
    let mut out = Vec::new();
    for u in users {
        match state.data.open_mailbox_by_guid(&u.mailbox_guid).and_then(|s| s.pending_submissions()) {
            Ok(p) if !p.is_empty() => out.push(u.mailbox_guid),
            Ok(_) | Err(StoreError::NotFound(_)) => {}
            Err(e) => tracing::warn!(user = %u.name, error = %e, "cannot look for queued submissions"),
        }
    }
    Ok(out)
}

/// Runs the queued submissions of one mailbox, counting failed runs in `attempts`.
fn deliver_for(state: &ServerState, mailbox: Guid, attempts: &mut Attempts) -> StoreResult<usize> {
    let user = state.directory()?.user_by_mailbox_guid(&mailbox)?;
    let Some(user) = user else {
        return Err(StoreError::NotFound(format!("no user owns mailbox {mailbox}")));
    };
    let store = state.stores.private(&state.data, &user)?;
    process_pending(&Host(state), &store, attempts)
}

fn run(weak: Weak<ServerState>, rx: Receiver<Guid>) {
    let mut retry: BTreeSet<Guid> = BTreeSet::new();
    let mut attempts: HashMap<Guid, Attempts> = HashMap::new();
    let mut batch: BTreeSet<Guid> = match weak.upgrade().map(|s| queued_mailboxes(&s)) {
        Some(Ok(g)) => g.into_iter().collect(),
        Some(Err(e)) => {
            tracing::warn!(error = %e, "cannot look for queued submissions at start-up");
            BTreeSet::new()
        }
        None => return,
    };
    loop {
        if batch.is_empty() {
            match rx.recv_timeout(RETRY_AFTER) {
                Ok(g) => {
                    batch.insert(g);
                }
                Err(RecvTimeoutError::Timeout) => batch.append(&mut retry),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        batch.extend(rx.try_iter());
        let Some(state) = weak.upgrade() else { return };
        for mailbox in std::mem::take(&mut batch) {
            match deliver_for(&state, mailbox, attempts.entry(mailbox).or_default()) {
                Ok(n) => {
                    retry.remove(&mailbox);
                    attempts.remove(&mailbox);
                    tracing::debug!(%mailbox, submissions = n, "delivered");
                }
                Err(e) => {
                    tracing::warn!(%mailbox, error = %e, "delivery failed; retrying later");
                    retry.insert(mailbox);
                }
            }
        }
    }
}
