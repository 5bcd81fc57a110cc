//! Failing submissions (bounded attempts, the next submission still runs), resumed submissions
//! (recipients already delivered to are never reported) and who reports come from.

use super::*;
use crate::mailbox::delivery::RETRY_AFTER;
use std::time::Duration;

fn diag(r: &RecipientRow) -> Option<i64> {
    r.props.iter().find(|p| p.tag == PR_NDR_DIAG_CODE).and_then(|p| p.value.as_i64())
}

#[test]
fn a_failing_submission_neither_blocks_the_next_nor_stays_queued() {
    let f = fx();
    *f.host.broken.lock().unwrap() = Some(f.bob.mailbox_guid);
    f.submit("to bob", vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_CC, &f.carol)], vec![]);
    f.submit("to carol", vec![ex(0, rt::MAPI_TO, &f.carol)], vec![]);
    let alice = f.store(&f.alice);
    let mut attempts = Attempts::new();
    let run = process_pending(&f.host, &alice, &f.who, &mut attempts).unwrap();
    assert_eq!((run.ran, run.failed), (1, 1), "{run:?}");
    assert!(run.first_error.is_some());
    assert_eq!(f.inbox(&f.carol).len(), 2, "the second submission ran after the first failed");
    assert_eq!(alice.pending_submissions().unwrap().len(), 1);
    for _ in 2..MAX_ATTEMPTS {
        assert_eq!(process_pending(&f.host, &alice, &f.who, &mut attempts).unwrap().failed, 1);
    }
    assert_eq!(alice.pending_submissions().unwrap().len(), 1, "still retried");
    assert!(f.inbox(&f.alice).is_empty());
    assert_eq!(
        process_pending(&f.host, &alice, &f.who, &mut attempts).unwrap().ran,
        1,
        "the last attempt finishes"
    );
    assert!(alice.pending_submissions().unwrap().is_empty());
    assert_eq!(f.inbox(&f.carol).len(), 2, "carol's copy is not delivered twice");
    let ndr = f.inbox(&f.alice);
    assert_eq!(ndr.len(), 1);
    let rows = f.recipients(&f.alice, ndr[0]);
    assert_eq!(rows.len(), 1, "only bob failed");
    assert_eq!(diag(&rows[0]), Some(ndr_diag::MAPI_DIAG_RECIPIENT_UNAVAILABLE as i64));
}

/// One submission's failed run does not hide another's time: the run still says when the
/// deferred one is due (before, the worker learnt nothing from a failed run and looked again
/// only at its next sweep, up to [`RETRY_AFTER`] late).
#[test]
fn a_failed_run_still_says_when_a_deferred_submission_is_due() {
    let f = fx();
    *f.host.broken.lock().unwrap() = Some(f.bob.mailbox_guid);
    f.submit("fails", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    let soon = PropValue::SysTime(FileTime(FileTime::now().0 + 10_000_000 * 5));
    f.submit(
        "deferred",
        vec![ex(0, rt::MAPI_TO, &f.carol)],
        vec![TaggedValue::new(PR_DEFERRED_DELIVERY_TIME, soon)],
    );
    let who = Claimant { retry_after: RETRY_AFTER, ..f.who };
    let run = process_pending(&f.host, &f.store(&f.alice), &who, &mut Attempts::new()).unwrap();
    assert_eq!((run.ran, run.waiting, run.failed), (0, 1, 1), "{run:?}");
    let due = run.next_due.expect("a time to look again");
    assert!(
        due > Duration::from_secs(3) && due <= Duration::from_secs(5),
        "the deferred one's time, not the failed one's pause ({RETRY_AFTER:?}): {due:?}"
    );
}

#[test]
fn a_resumed_submission_never_reports_recipients_already_delivered_to() {
    let f = fx();
    let past = PropValue::SysTime(FileTime(FileTime::now().0 - 10_000_000 * 3600));
    let rows = vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_TO, &f.carol)];
    let (_, id) = f.submit("late", rows, vec![TaggedValue::new(PR_LATEST_DELIVERY_TIME, past)]);
    let alice = f.store(&f.alice);
    // An earlier run delivered to bob (before the deadline) and recorded it; bob was disabled
    // since.
    alice.claim_submission(id, &f.who).unwrap().taken().unwrap();
    alice.record_submission_progress(id, &f.bob.mailbox_guid.to_string()).unwrap();
    f.host.dir.set_enabled("bob", false).unwrap();
    f.run();
    let ndr = f.inbox(&f.alice);
    assert_eq!(ndr.len(), 1);
    let rows = f.recipients(&f.alice, ndr[0]);
    assert_eq!(rows.len(), 1, "bob is not reported: {rows:?}");
    assert_eq!(diag(&rows[0]), Some(ndr_diag::MAPI_DIAG_MAXIMUM_TIME_EXPIRED as i64));
    assert!(as_text(f.prop(&f.alice, ndr[0], PR_BODY)).contains(&f.carol.display_name));
}

#[test]
fn reports_come_from_the_postmaster_and_never_about_reports_or_when_refused() {
    let f = fx();
    let domain = f.host.dir.domain().unwrap();
    let nobody = || vec![smtp(0, rt::MAPI_TO, "nobody@example.com")];
    f.submit("report", nobody(), vec![text(PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR")]);
    let refused = TaggedValue::new(PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED, PropValue::Bool(false));
    f.submit("no report", nobody(), vec![refused]);
    f.run();
    assert!(f.inbox(&f.alice).is_empty(), "no report about a report, none when refused");
    assert!(f.store(&f.alice).pending_submissions().unwrap().is_empty());
    f.submit("plain", nobody(), vec![]);
    f.run();
    let ndr = f.inbox(&f.alice);
    assert_eq!(ndr.len(), 1);
    assert_eq!(as_text(f.prop(&f.alice, ndr[0], PR_SENDER_ADDRTYPE)), "SMTP");
    assert_eq!(as_text(f.prop(&f.alice, ndr[0], PR_SENDER_EMAIL_ADDRESS)), format!("postmaster@{domain}"));
    assert_eq!(
        as_text(f.prop(&f.alice, ndr[0], PR_SENDER_NAME)),
        oxmapi_core::consts::report::SYSTEM_SENDER_NAME
    );
}
