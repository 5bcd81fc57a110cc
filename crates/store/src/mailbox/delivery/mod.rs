//! Local delivery of submitted messages (MS-OXOMSG 3.2.5.1: the server's transport takes a
//! submitted message, delivers it to each recipient and moves it to Sent Items).
//!
//! [`process_submission`] runs one queued [`Submission`] of a sender's mailbox to its end:
//! 1. claim it for this node's lease ([`lease`]: one node at a time; RopAbortSubmit now answers
//!    ecUnableToAbort) and read the message in full; the lease is renewed while the run lasts;
//! 2. resolve every recipient through the directory ([`resolve_recipient`]); when
//!    PR_LATEST_DELIVERY_TIME or PR_EXPIRY_TIME has passed, every recipient fails; a recipient
//!    that cannot take the message now (a disabled mailbox) is tried again after
//!    [`Claimant::retry_after`] until the earliest of those times and the submission time plus
//!    the `max-delivery-retry-time` setting ([`give_up_at`]), and only then fails;
//! 3. for each recipient mailbox not yet in the submission's progress: unless it is at or over
//!    the `prohibit-receive-quota-kb` setting ([`Failure::MailboxFull`]), write a copy into its
//!    receive folder in **one transaction of that mailbox** which also records the submission
//!    there ([`MessageStore::deliver`]), then note the mailbox in the sender's progress;
//! 4. when some recipients failed, put a non-delivery report into the sender's Inbox the same
//!    way; when the sender asked for a delivery report (PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED),
//!    a `REPORT.<class>.DR` listing the recipients reached;
//! 5. move the original to Sent Items (PR_SENTMAIL_ENTRYID when valid) or delete it
//!    (PR_DELETE_AFTER_SUBMIT), removing the submission, in one transaction.
//!
//! A crash anywhere leaves the submission queued; running it again skips what its progress
//! records, and a delivery done but not yet recorded in the progress is found in the recipient
//! mailbox's own record, so nothing is lost and nothing is delivered twice. Recipients whose
//! mailbox already has the message are left out before anything fails (expiry, a disabled
//! account), so a resumed submission never reports them undeliverable.
//!
//! The same holds when the node running a submission dies: its lease runs out and another
//! node resumes the submission; recipient mailboxes that already have their copy get none again,
//! and only one run moves the original to Sent Items ([`lease`] says why).
//!
//! A submission that fails (a busy or broken recipient store) is tried again by the next run
//! after [`RETRY_AFTER`] ([`process_pending`] goes on with the other submissions); its
//! [`MAX_ATTEMPTS`]th run reports the recipients it still cannot reach as
//! [`Failure::Unavailable`] and finishes.

mod address;
mod inbound;
pub mod lease;
mod ndr;
mod pending;
mod receipts;
mod resolve;

use std::sync::Arc;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::recipient_type as rt;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

pub(crate) use address::SENT_REPRESENTING;
pub use address::{Originator, search_key, user_entry_id};
pub use inbound::{Delivered, DeliveryKey, DeliveryKind};
pub use lease::{Claim, Claimant, DELIVERY_LEASE, RETRY_AFTER};
pub use ndr::{FailedRecipient, delivery_report, non_delivery_report, wants_delivery_report, wants_report};
pub use pending::{Attempts, MAX_ATTEMPTS, PendingRun, process_pending};
pub use receipts::{send_read_receipts, wants_read_receipt};
pub use resolve::{Failure, resolve_recipient};

use super::messages::MessageContent;
use super::submission::Submission;
use super::{MessageStore, RecipientRow};
use crate::directory::{Directory, User};
use crate::error::{StoreError, StoreResult};
use crate::settings::MailboxLimits;

/// The progress target of the sender's non-delivery report.
pub const NDR_TARGET: &str = "ndr";
/// The progress target of the sender's delivery report.
pub const DR_TARGET: &str = "dr";

/// What delivery needs from the program it runs in: the directory and the open mailboxes (a
/// server hands out its shared stores, so their change events reach its notification hub).
pub trait DeliveryHost {
    /// Runs `f` with the directory.
    fn with_directory(&self, f: &mut dyn FnMut(&Directory) -> StoreResult<()>) -> StoreResult<()>;
    /// The mailbox of `user` (NotFound when the user has none).
    fn mailbox(&self, user: &User) -> StoreResult<Arc<MessageStore>>;
    /// A rule of mailbox `mailbox` submitted a message (a forward, an automatic reply): the
    /// program's delivery worker should look at that mailbox's queue. The default does nothing
    /// (the queue is found by the next sweep).
    fn submitted(&self, mailbox: oxmapi_core::guid::Guid) {
        let _ = mailbox;
    }
}

/// What [`process_submission`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Mailboxes (by GUID) that received the message in this run.
    pub delivered: Vec<oxmapi_core::guid::Guid>,
    /// Recipients that could not be reached.
    pub failed: usize,
    /// False when the submission was gone (aborted or finished elsewhere), another node held
    /// it, or another node took it over during the run (this node's lease ran out).
    pub ran: bool,
    /// True when it is still queued but was not run to its end here: another node holds it, it
    /// waits out the pause after a failed run, or another node took it over during the run.
    pub waiting: bool,
}

fn is_bcc(row: &RecipientRow) -> bool {
    rt::kind(row.recipient_type) == rt::MAPI_BCC
}

/// The copy of `sent` that `user` receives, listed in `rows` of the recipient table: BCC rows
/// left out, delivery time, PR_RECEIVED_BY_* of the user, PR_MESSAGE_TO_ME / _CC_ME /
/// _RECIP_ME, unread and without MSGFLAG_UNSENT / MSGFLAG_SUBMITTED.
fn recipient_copy(
    sent: &MessageContent,
    user: &User,
    rows: &[RecipientRow],
    now: FileTime,
) -> MessageContent {
    let mut c = sent.clone();
    c.recipients.retain(|r| !is_bcc(r));
    for r in &mut c.recipients {
        r.recipient_type &= !rt::MAPI_SUBMITTED;
    }
    for tag in [PR_DELETE_AFTER_SUBMIT, PR_SENTMAIL_ENTRYID, PR_DISPLAY_BCC] {
        c.remove(tag);
    }
    c.set(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(now));
    for (tag, value) in Originator::from(user).received_by_props() {
        c.set(tag, value);
    }
    let has = |t: u32| rows.iter().any(|r| rt::kind(r.recipient_type) == t);
    c.set(PR_MESSAGE_TO_ME, PropValue::Bool(has(rt::MAPI_TO)));
    c.set(PR_MESSAGE_CC_ME, PropValue::Bool(has(rt::MAPI_CC)));
    c.set(PR_MESSAGE_RECIP_ME, PropValue::Bool(has(rt::MAPI_TO) || has(rt::MAPI_CC) || has(rt::MAPI_BCC)));
    // MS-OXOMSG 2.2.1.29: a requested read receipt is pending until the recipient reads it.
    c.flags =
        if wants_read_receipt(sent) { oxmapi_core::consts::message_flags::MSGFLAG_RN_PENDING } else { 0 };
    c
}

/// The earliest of the message's PR_LATEST_DELIVERY_TIME (MS-OXOMSG 2.2.3.x: "the latest date
/// and time at which the message can be delivered") and PR_EXPIRY_TIME, when it sets either.
fn message_deadline(c: &MessageContent) -> Option<FileTime> {
    [PR_LATEST_DELIVERY_TIME, PR_EXPIRY_TIME]
        .into_iter()
        .filter_map(|tag| match c.get(tag) {
            Some(PropValue::SysTime(t)) => Some(*t),
            _ => None,
        })
        .min()
}

/// True when the message's delivery deadline ([`message_deadline`]) is before `now`.
fn expired(c: &MessageContent, now: FileTime) -> bool {
    message_deadline(c).is_some_and(|t| t.0 < now.0)
}

/// When delivery gives up on recipients that cannot take the message now: the message's own
/// deadline ([`message_deadline`]) when earlier than `submitted` plus `max_retry` (the
/// `max-delivery-retry-time` setting). The flag says the deadline is the message's.
pub fn give_up_at(
    c: &MessageContent,
    submitted: FileTime,
    max_retry: std::time::Duration,
) -> (FileTime, bool) {
    let ticks = u64::try_from(max_retry.as_micros().saturating_mul(10)).unwrap_or(u64::MAX);
    let server = FileTime(submitted.0.saturating_add(ticks));
    match message_deadline(c) {
        Some(t) if t.0 <= server.0 => (t, true),
        _ => (server, false),
    }
}

/// The shortest pause before a recipient that could not take the message is tried again.
pub const FIRST_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

/// How long a submission waits for recipients that cannot take it now: a quarter of its age
/// (at least [`FIRST_RETRY`], at most `who.retry_after`), so a mailbox enabled again soon gets
/// the message soon, and a long wait costs few runs; never past a moment before `give_up`, so
/// one more attempt comes before the deadline and the report right after it.
fn waiting_pause(
    submitted: FileTime,
    now: FileTime,
    give_up: FileTime,
    who: &Claimant,
) -> std::time::Duration {
    let ticks = |t: u64| std::time::Duration::from_micros(t / 10);
    let age = ticks(now.0.saturating_sub(submitted.0));
    let left = ticks(give_up.0.saturating_sub(now.0));
    let pause = (age / 4).clamp(FIRST_RETRY, who.retry_after.max(FIRST_RETRY));
    if left > pause { pause } else { left + FIRST_RETRY / 10 }
}

/// Recipients grouped by the mailbox they resolve to, those that failed, and those that cannot
/// take the message now (tried again later).
struct Resolved {
    targets: Vec<(User, Vec<RecipientRow>)>,
    failed: Vec<FailedRecipient>,
    waiting: Vec<FailedRecipient>,
}

/// Resolves the recipients of `c`. Rows naming a mailbox in `done` (delivered in an earlier
/// run) are left out before expiry and disabled accounts are checked, so they never fail.
fn resolve_all(
    host: &dyn DeliveryHost,
    c: &MessageContent,
    now: FileTime,
    done: &[String],
) -> StoreResult<Resolved> {
    let mut targets: Vec<(User, Vec<RecipientRow>)> = Vec::new();
    let mut failed = Vec::new();
    let mut waiting = Vec::new();
    let expired = expired(c, now);
    host.with_directory(&mut |dir| {
        for row in &c.recipients {
            let resolved = match resolve::resolve_user(dir, row)? {
                Ok(u) if done.contains(&u.mailbox_guid.to_string()) => continue,
                _ if expired => Err(Failure::Expired),
                Ok(u) if !u.enabled => Err(Failure::Disabled),
                r => r,
            };
            match resolved {
                Ok(user) => match targets.iter_mut().find(|(u, _)| u.mailbox_guid == user.mailbox_guid) {
                    Some((_, rows)) => rows.push(row.clone()),
                    None => targets.push((user, vec![row.clone()])),
                },
                Err(failure @ Failure::Disabled) => {
                    waiting.push(FailedRecipient { row: row.clone(), failure })
                }
                Err(failure) => failed.push(FailedRecipient { row: row.clone(), failure }),
            }
        }
        Ok(())
    })?;
    Ok(Resolved { targets, failed, waiting })
}

/// The postmaster address of the directory's domain (the sender of reports).
pub(crate) fn postmaster(host: &dyn DeliveryHost) -> StoreResult<String> {
    let mut domain = String::new();
    host.with_directory(&mut |dir| {
        domain = dir.domain()?;
        Ok(())
    })?;
    Ok(format!("{}@{domain}", oxmapi_core::consts::report::POSTMASTER))
}

/// The mailbox limits of `user` (the site's settings and the user's own quotas), read now.
fn limits(host: &dyn DeliveryHost, user: &User) -> StoreResult<MailboxLimits> {
    let mut limits = MailboxLimits::default();
    host.with_directory(&mut |dir| {
        limits = dir.mailbox_limits_for(user)?;
        Ok(())
    })?;
    Ok(limits)
}

/// The `max-delivery-retry-time` setting.
fn max_retry(host: &dyn DeliveryHost) -> StoreResult<std::time::Duration> {
    let mut d = std::time::Duration::ZERO;
    host.with_directory(&mut |dir| {
        d = dir.max_delivery_retry_time()?;
        Ok(())
    })?;
    Ok(d)
}

/// Delivers `copy` to `store` unless the mailbox is at or over its receive quota, or would be
/// over it with the copy (a copy an interrupted run already delivered counts as delivered,
/// whatever the mailbox's size now), then runs the owner's Inbox rules on a message written now
/// ([`after_delivery`]).
fn deliver_within_quota(
    host: &dyn DeliveryHost,
    store: &MessageStore,
    owner: &User,
    key: &DeliveryKey,
    copy: &MessageContent,
    limits: &MailboxLimits,
) -> StoreResult<Option<Failure>> {
    let full = || {
        let size = store.mailbox_size()?;
        Ok::<_, StoreError>(
            MailboxLimits::reached(limits.receive_quota_kb, size)
                || MailboxLimits::exceeds(limits.receive_quota_kb, size + copy.byte_size()),
        )
    };
    if store.delivered(key)?.is_none() && full()? {
        return Ok(Some(Failure::MailboxFull));
    }
    if let Delivered::New { fid, mid } = store.deliver(key, copy)? {
        after_delivery(host, store, owner, limits, fid, mid, copy);
    }
    Ok(None)
}

/// Runs the Inbox rules on a delivered message (MS-OXORULE 3.2.5.1.2). The delivery stands
/// whatever the rules do: a rule that fails records its error on itself, and a store failure
/// while running them leaves the message where delivery put it.
fn after_delivery(
    host: &dyn DeliveryHost,
    store: &MessageStore,
    owner: &User,
    limits: &MailboxLimits,
    fid: oxmapi_core::ids::ObjectId,
    mid: oxmapi_core::ids::ObjectId,
    copy: &MessageContent,
) {
    if let Ok(run) = super::rules::run_rules(store, owner, limits, fid, mid, copy)
        && run.submitted
    {
        host.submitted(store.mailbox_guid());
    }
}

/// Runs submission `sub` of `sender` to its end (see the module comment) as worker `who`.
pub fn process_submission(
    host: &dyn DeliveryHost,
    sender: &MessageStore,
    sub: &Submission,
    who: &Claimant,
) -> StoreResult<DeliveryReport> {
    process_submission_with(host, sender, sub, who, false)
}

/// [`process_submission`]; with `last`, recipients whose mailbox cannot be opened or written
/// fail as [`Failure::Unavailable`] instead of failing the run (its last attempt). A run that
/// fails gives its claim up for [`Claimant::retry_after`].
pub(crate) fn process_submission_with(
    host: &dyn DeliveryHost,
    sender: &MessageStore,
    sub: &Submission,
    who: &Claimant,
    last: bool,
) -> StoreResult<DeliveryReport> {
    let sub = match sender.claim_submission(sub.id, who)? {
        Claim::Taken(sub) => sub,
        Claim::Held => return Ok(DeliveryReport { waiting: true, ..DeliveryReport::default() }),
        Claim::Gone => return Ok(DeliveryReport::default()),
    };
    let result =
        lease::holding(sender, sub.id, who, |watch| run_claimed(host, sender, &sub, who, last, watch));
    if result.is_err() {
        // Another attempt comes after the pause; a failure to say so lets the lease run out.
        let _ = sender.defer_submission(sub.id, who);
    }
    result
}

/// The run of a claimed submission; it stops early, reporting `ran: false`, when `watch` says
/// another node took the submission over.
fn run_claimed(
    host: &dyn DeliveryHost,
    sender: &MessageStore,
    sub: &Submission,
    who: &Claimant,
    last: bool,
    watch: &lease::LeaseWatch,
) -> StoreResult<DeliveryReport> {
    let mut report = DeliveryReport { ran: true, ..DeliveryReport::default() };
    let sent = match sender.export_message(sub.mid) {
        Ok(c) => c,
        Err(StoreError::NotFound(_)) => {
            sender.finish_submission(sub.id, None)?;
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let now = FileTime::now();
    let done = sender.submission_progress(sub.id)?;
    let Resolved { targets, mut failed, mut waiting } = resolve_all(host, &sent, now, &done)?;
    let (give_up, deadline_is_the_messages) = give_up_at(&sent, sub.submitted, max_retry(host)?);
    if !waiting.is_empty() && now.0 >= give_up.0 {
        for mut w in waiting.drain(..) {
            if deadline_is_the_messages {
                w.failure = Failure::Expired;
            }
            failed.push(w);
        }
    }
    let source = sender.mailbox_guid();
    let key = |kind| DeliveryKey { source, submission_id: sub.id, kind };
    let mut error = None;
    for (user, rows) in targets {
        if watch.lost() {
            return Ok(DeliveryReport { ran: false, waiting: true, ..report });
        }
        let target = user.mailbox_guid.to_string();
        let failure = match host.mailbox(&user) {
            Err(StoreError::NotFound(_)) => Some(Failure::NoMailbox),
            store => {
                let copy = recipient_copy(&sent, &user, &rows, now);
                match store.and_then(|s| {
                    deliver_within_quota(
                        host,
                        &s,
                        &user,
                        &key(DeliveryKind::Message),
                        &copy,
                        &limits(host, &user)?,
                    )
                }) {
                    Ok(failure) => failure,
                    Err(_) if last => Some(Failure::Unavailable),
                    Err(e) => {
                        // The other mailboxes still get their copy; this one waits for a rerun.
                        error.get_or_insert(e);
                        continue;
                    }
                }
            }
        };
        match failure {
            Some(failure) => failed.extend(rows.into_iter().map(|row| FailedRecipient { row, failure })),
            None => {
                sender.record_submission_progress(sub.id, &target)?;
                report.delivered.push(user.mailbox_guid);
            }
        }
    }
    if let Some(e) = error {
        return Err(e);
    }
    if !waiting.is_empty() {
        sender.defer_submission_for(sub.id, who, waiting_pause(sub.submitted, now, give_up, who))?;
        return Ok(DeliveryReport { waiting: true, ..report });
    }
    let entry_id = |b: &PropValue| b.as_bytes().map(<[u8]>::to_vec);
    let keep = !matches!(sent.get(PR_DELETE_AFTER_SUBMIT), Some(PropValue::Bool(true)));
    let sent_folder = match keep {
        true => Some(sender.sent_mail_folder(sent.get(PR_SENTMAIL_ENTRYID).and_then(entry_id).as_deref())?),
        false => None,
    };
    report.failed = failed.len();
    if watch.lost() {
        return Ok(DeliveryReport { ran: false, waiting: true, ..report });
    }
    if !failed.is_empty() && wants_report(&sent) && !done.iter().any(|t| t == NDR_TARGET) {
        let original = sent_folder.map(|f| sender.message_entry_id(f, sub.mid));
        let mut ndr = non_delivery_report(&sent, &failed, now, original, &postmaster(host)?);
        ndr.flags = 0;
        sender.deliver(&key(DeliveryKind::NonDeliveryReport), &ndr)?;
        sender.record_submission_progress(sub.id, NDR_TARGET)?;
    }
    if wants_delivery_report(&sent) && !done.iter().any(|t| t == DR_TARGET) {
        let reached: Vec<RecipientRow> = sent
            .recipients
            .iter()
            .filter(|r| !failed.iter().any(|f| f.row.row_id == r.row_id))
            .cloned()
            .collect();
        if !reached.is_empty() {
            let original = sent_folder.map(|f| sender.message_entry_id(f, sub.mid));
            let mut dr = delivery_report(&sent, &reached, now, original, &postmaster(host)?);
            dr.flags = 0;
            sender.deliver(&key(DeliveryKind::DeliveryReport), &dr)?;
            sender.record_submission_progress(sub.id, DR_TARGET)?;
        }
    }
    sender.finish_submission(sub.id, sent_folder)?;
    Ok(report)
}
