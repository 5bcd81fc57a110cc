//! Running a sender's queued submissions (MS-OXOMSG 3.2.5.1), with a bounded number of
//! attempts each: one submission that keeps failing neither blocks the others nor stays queued
//! forever.

use std::collections::HashMap;

use super::{DeliveryHost, process_submission_with};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;

/// The runs a submission gets; the last one reports the recipients it still cannot reach as
/// undeliverable ([`super::Failure::Unavailable`]) and finishes the submission.
pub const MAX_ATTEMPTS: u32 = 5;

/// The failed runs of each submission (by `submissions.submission_id`) of one sender, kept by
/// the caller between runs (the delivery worker; a restart starts counting again).
pub type Attempts = HashMap<i64, u32>;

/// Runs every queued submission of `sender`, oldest first, going on after one fails; returns
/// how many ran, or the first error once all were tried (the failed ones stay queued, their
/// failures counted in `attempts`).
pub fn process_pending(
    host: &dyn DeliveryHost,
    sender: &MessageStore,
    attempts: &mut Attempts,
) -> StoreResult<usize> {
    let mut n = 0;
    let mut first: Option<StoreError> = None;
    let pending = sender.pending_submissions()?;
    attempts.retain(|id, _| pending.iter().any(|s| s.id == *id));
    for sub in pending {
        let tried = attempts.get(&sub.id).copied().unwrap_or(0);
        match process_submission_with(host, sender, &sub, tried + 1 >= MAX_ATTEMPTS) {
            Ok(r) => {
                attempts.remove(&sub.id);
                n += usize::from(r.ran);
            }
            Err(e) => {
                attempts.insert(sub.id, tried + 1);
                first.get_or_insert(e);
            }
        }
    }
    match first {
        Some(e) => Err(e),
        None => Ok(n),
    }
}
