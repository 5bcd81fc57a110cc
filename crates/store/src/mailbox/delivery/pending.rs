//! Running a sender's queued submissions (MS-OXOMSG 3.2.5.1), with a bounded number of
//! attempts each: one submission that keeps failing neither blocks the others nor stays queued
//! forever.

use std::collections::HashMap;

use super::{Claimant, DeliveryHost, process_submission_with};
use crate::error::StoreResult;
use crate::mailbox::MessageStore;

/// The runs a submission gets; the last one reports the recipients it still cannot reach as
/// undeliverable ([`super::Failure::Unavailable`]) and finishes the submission.
pub const MAX_ATTEMPTS: u32 = 5;

/// The failed runs of each submission (by `submissions.submission_id`) of one sender, kept by
/// the caller between runs (the delivery worker; a restart, or another node, starts counting
/// again).
pub type Attempts = HashMap<i64, u32>;

/// What [`process_pending`] did with a sender's queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PendingRun {
    /// Submissions run to their end.
    pub ran: usize,
    /// Submissions left for later: another node holds them, or they wait out the pause after a
    /// failed run ([`Claimant::retry_after`]), or another node took them over during the run.
    pub waiting: usize,
    /// Submissions whose run failed this time (queued again after [`Claimant::retry_after`];
    /// their failures are counted in the caller's [`Attempts`]).
    pub failed: usize,
    /// The first of those failures, for the log.
    pub first_error: Option<String>,
    /// How long until the next waiting submission may be claimed (a deferred delivery's time,
    /// the end of a pause or of another node's lease): when the worker should look again. Known
    /// after a failed run too, so that one submission's failure does not hold back another's
    /// time (a deferred delivery is still made at its time).
    pub next_due: Option<std::time::Duration>,
}

/// Runs every queued submission of `sender` as worker `who`, oldest first, going on after one
/// fails; returns what ran, what waits and what failed (the failed ones stay queued, paused for
/// `who.retry_after`, their failures counted in `attempts`). An error is returned only when the
/// queue itself cannot be read.
pub fn process_pending(
    host: &dyn DeliveryHost,
    sender: &MessageStore,
    who: &Claimant,
    attempts: &mut Attempts,
) -> StoreResult<PendingRun> {
    let mut run = PendingRun::default();
    let pending = sender.pending_submissions()?;
    attempts.retain(|id, _| pending.iter().any(|s| s.id == *id));
    for sub in pending {
        let tried = attempts.get(&sub.id).copied().unwrap_or(0);
        match process_submission_with(host, sender, &sub, who, tried + 1 >= MAX_ATTEMPTS) {
            // Its failures still count while it waits out its pause.
            Ok(r) if r.waiting => run.waiting += 1,
            Ok(r) => {
                attempts.remove(&sub.id);
                run.ran += usize::from(r.ran);
            }
            Err(e) => {
                attempts.insert(sub.id, tried + 1);
                run.failed += 1;
                run.first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    run.next_due = sender.next_claimable_in()?;
    Ok(run)
}
