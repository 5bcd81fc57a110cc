//! Delivery leases: which node's delivery worker runs a queued submission, and for how long.
//!
//! Several `oxmapi serve` nodes of a PostgreSQL site share every mailbox's outgoing queue
//! (issue 16 items 4–5). A worker takes a submission by **claiming** it for a lease
//! ([`MessageStore::claim_submission`]): the row then names the node (`claimed_by`) and the time
//! until which no other node may take it (`lease_until`, on the database's clock, so the nodes'
//! own clocks do not matter). A submission is claimable by node N when nobody ever claimed it,
//! when its lease ran out, or when N holds it already (N restarted). On PostgreSQL the claim
//! picks the row with `FOR NO KEY UPDATE SKIP LOCKED`, so two nodes claiming at once never both
//! get it and neither waits for the other.
//!
//! While the worker runs the submission a thread of its own renews the lease every third of its
//! length ([`holding`]); when the run ends the row is gone (finished), or the claim is given up
//! with a pause before anyone retries it ([`MessageStore::defer_submission`], after a failure).
//! A node that dies holding a submission renews nothing: its lease runs out within
//! [`DELIVERY_LEASE`] and another node's worker, which looks for claimable work every few
//! seconds ([`queued_mailboxes`]), resumes it.
//!
//! Exactly once does not rest on the lease (a node stalled past its lease may still be running
//! when another one resumes): each recipient mailbox records the deliveries it received in the
//! transaction that writes them, under that mailbox's write lock (on PostgreSQL the row lock of
//! its generation serialises the writers of one mailbox on every node), so a second run finds
//! the copy there and writes none; the move to Sent Items deletes the submission row in its own
//! transaction, so only the first run to get there moves the original.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use oxmapi_core::guid::Guid;

use crate::db::{Conn, OptionalExt, PgDatabase, params};
use crate::error::StoreResult;
use crate::mailbox::submission::{COLUMNS, Submission, submission_from};
use crate::mailbox::{MessageStore, guid_from, registry};

/// How long a claim on a submission lasts unless renewed. The holder renews it every third of
/// this (5 s), so two renewals may be late before another node may take over; a node that dies
/// holding submissions delays them by at most this, plus the other nodes' look-up interval.
pub const DELIVERY_LEASE: Duration = Duration::from_secs(15);

/// How long a submission whose run failed (a busy or broken recipient store) waits before any
/// node runs it again.
pub const RETRY_AFTER: Duration = Duration::from_secs(30);

/// A delivery worker, as the queue knows it: its node and the times it works with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claimant {
    /// The node (`oxmapi serve --node-id`). Every node of a site needs its own number: two
    /// workers with one number would each take the other's claims for their own.
    pub node: u16,
    /// How long a claim lasts unless renewed ([`DELIVERY_LEASE`]).
    pub lease: Duration,
    /// How long a submission whose run failed waits ([`RETRY_AFTER`]).
    pub retry_after: Duration,
}

impl Claimant {
    /// The worker of node `node`, with the default lease and retry pause.
    pub fn node(node: u16) -> Claimant {
        Claimant { node, lease: DELIVERY_LEASE, retry_after: RETRY_AFTER }
    }

    /// How often the holder renews its lease: a third of the lease.
    pub fn renew_every(&self) -> Duration {
        self.lease / 3
    }
}

/// What [`MessageStore::claim_submission`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The worker holds the submission now, until its lease runs out.
    Taken(Submission),
    /// Still queued, but not for this worker now: another node holds it, or it waits out the
    /// pause after a failed run.
    Held,
    /// Not queued any more: aborted, finished, or its message was deleted.
    Gone,
}

impl Claim {
    /// The submission, when taken.
    pub fn taken(self) -> Option<Submission> {
        match self {
            Claim::Taken(s) => Some(s),
            Claim::Held | Claim::Gone => None,
        }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The condition "node `?2` may claim this submission now" on a `submissions` row (`prefix` is
/// the table's alias with its dot, or empty).
fn claimable(conn: &Conn, prefix: &str, node: &str) -> String {
    let now = conn.backend().now_millis();
    format!("({prefix}lease_until IS NULL OR {prefix}lease_until <= {now} OR {prefix}claimed_by = {node})")
}

impl MessageStore {
    /// Claims submission `id` for `who`'s lease (from then on RopAbortSubmit answers
    /// ecUnableToAbort) when it may take it now: nobody ever claimed it, its lease ran out, or
    /// `who` holds it already. On PostgreSQL a row another transaction is claiming, renewing or
    /// finishing at this moment is passed over ([`Claim::Held`]), never waited for.
    pub fn claim_submission(&self, id: i64, who: &Claimant) -> StoreResult<Claim> {
        let conn = self.lock()?;
        let sql = format!(
            "UPDATE submissions SET claimed = 1, claimed_by = ?2, lease_until = {now} + ?3 \
             WHERE submission_id = (SELECT submission_id FROM submissions \
                                    WHERE submission_id = ?1 AND {claimable}{lock}) \
             RETURNING {COLUMNS}",
            now = conn.backend().now_millis(),
            claimable = claimable(&conn, "", "?2"),
            lock = conn.backend().skip_locked(),
        );
        if let Some(sub) =
            conn.query_row(&sql, params![id, who.node, millis(who.lease)], submission_from).optional()?
        {
            return Ok(Claim::Taken(sub));
        }
        let queued = conn
            .query_row("SELECT 1 FROM submissions WHERE submission_id = ?1", [id], |r| r.get::<_, i64>(0))
            .optional()?;
        Ok(if queued.is_some() { Claim::Held } else { Claim::Gone })
    }

    /// Extends `who`'s lease on submission `id` by a full lease from now; false when `who` no
    /// longer holds it (another node took it over after the lease ran out, or it is gone).
    pub fn renew_claim(&self, id: i64, who: &Claimant) -> StoreResult<bool> {
        let conn = self.lock()?;
        let sql = format!(
            "UPDATE submissions SET lease_until = {} + ?3 WHERE submission_id = ?1 AND claimed_by = ?2",
            conn.backend().now_millis()
        );
        Ok(conn.execute(&sql, params![id, who.node, millis(who.lease)])? == 1)
    }

    /// Gives up `who`'s claim on submission `id` after a failed run: no node holds it, and none
    /// (this one included) takes it again before `who.retry_after` has passed. Nothing happens
    /// when `who` does not hold it. It stays `claimed` (a run started: RopAbortSubmit refuses).
    pub fn defer_submission(&self, id: i64, who: &Claimant) -> StoreResult<()> {
        self.defer_submission_for(id, who, who.retry_after)
    }

    /// [`MessageStore::defer_submission`] with a pause of `pause` (a recipient that cannot take
    /// the message now is tried again then, or at the time delivery gives up on it).
    pub fn defer_submission_for(&self, id: i64, who: &Claimant, pause: Duration) -> StoreResult<()> {
        let conn = self.lock()?;
        let sql = format!(
            "UPDATE submissions SET claimed_by = NULL, lease_until = {} + ?3 \
             WHERE submission_id = ?1 AND claimed_by = ?2",
            conn.backend().now_millis()
        );
        conn.execute(&sql, params![id, who.node, millis(pause)])?;
        Ok(())
    }

    /// How long until the next submission of this mailbox that nobody may claim now becomes
    /// claimable (a deferred one reaching its PR_DEFERRED_DELIVERY_TIME, one pausing after a
    /// failed run, one whose holder's lease runs out); `None` when there is none. The delivery
    /// worker sleeps exactly that long.
    pub fn next_claimable_in(&self) -> StoreResult<Option<Duration>> {
        let conn = self.lock()?;
        let now = conn.backend().now_millis();
        let sql = format!("SELECT min(lease_until) - {now} FROM submissions WHERE lease_until > {now}");
        let wait: Option<i64> = conn.query_row(&sql, [], |r| r.get(0))?;
        Ok(wait.map(|ms| Duration::from_millis(ms.max(0) as u64)))
    }

    /// Whether node `node` may claim some queued submission of this mailbox now.
    pub fn has_claimable_submissions(&self, node: u16) -> StoreResult<bool> {
        let conn = self.lock()?;
        let sql = format!("SELECT 1 FROM submissions WHERE {} LIMIT 1", claimable(&conn, "", "?1"));
        Ok(conn.query_row(&sql, [node], |r| r.get::<_, i64>(0)).optional()?.is_some())
    }
}

/// The mailboxes of a PostgreSQL site with a submission node `node` may claim now: one query
/// over the shared `store.submissions` table, however many mailboxes the site has.
pub(crate) fn queued_mailboxes(pool: &PgDatabase, node: u16) -> StoreResult<Vec<Guid>> {
    let conn = registry::unscoped(pool)?;
    let sql = format!(
        "SELECT DISTINCT m.guid FROM store.submissions s JOIN store.mailboxes m ON m.mbx = s.mbx WHERE {}",
        claimable(&conn, "s.", "?1")
    );
    let mut stmt = conn.prepare(&sql)?;
    let guids = stmt.query_map([node], |r| r.get::<_, Vec<u8>>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(guids.iter().filter_map(|g| guid_from(g)).collect())
}

/// What [`holding`] tells the work it runs.
#[derive(Default)]
pub(crate) struct LeaseWatch {
    lost: AtomicBool,
}

impl LeaseWatch {
    /// True once a renewal found that this worker no longer holds the submission (another node
    /// took it over): the work should stop at its next step.
    pub(crate) fn lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }
}

/// Runs `work` while a thread renews `who`'s lease on submission `id` of `store` every
/// [`Claimant::renew_every`]. A renewal that fails (the database is unreachable) is not a loss:
/// the work's own statements fail then too, and the lease runs out by itself.
pub(crate) fn holding<T>(
    store: &MessageStore,
    id: i64,
    who: &Claimant,
    work: impl FnOnce(&LeaseWatch) -> T,
) -> T {
    let watch = LeaseWatch::default();
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let watch = &watch;
        let renewer =
            std::thread::Builder::new().name("oxmapi-lease".into()).spawn_scoped(scope, move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(who.renew_every()) {
                    if let Ok(false) = store.renew_claim(id, who) {
                        watch.lost.store(true, Ordering::Relaxed);
                        return;
                    }
                }
            });
        // Without the thread (none could be made) the lease is not renewed: a long run may be
        // resumed by another node meanwhile, which the delivery record keeps harmless.
        let _ = renewer;
        let out = work(watch);
        drop(stop);
        out
    })
}
