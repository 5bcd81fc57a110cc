//! The outgoing queue of a mailbox (MS-OXOMSG 3.2.5.1 RopSubmitMessage, 3.2.5.2
//! RopAbortSubmit; MAPI IMessage::SubmitMessage / IMsgStore::AbortSubmit): submitting records a
//! durable row in `submissions` (schema version 3) and sets MSGFLAG_SUBMITTED; a delivery
//! worker claims the row for a lease (`delivery::lease`, schema version 7), delivers
//! (`delivery`), records its progress here, and finally moves the original to Sent Items (or
//! deletes it, PR_DELETE_AFTER_SUBMIT) while deleting the row.

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::commit::Durability;
use super::delivery::Originator;
use super::events::StoreEvent;
use super::ids::allocate;
use super::messages::{MessageDraft, live_folder};
use super::representing::SendRights;
use super::{LOCAL_REPLICA_ID, MessageStore, SpecialFolder, StoreKind};
use crate::error::{StoreError, StoreResult};
use crate::settings::MailboxLimits;

fn oid(counter: u64) -> ObjectId {
    ObjectId::new(LOCAL_REPLICA_ID, counter)
}

/// One queued submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// `submissions.submission_id`: with the mailbox GUID, names the submission everywhere.
    pub id: i64,
    /// The submitted message.
    pub mid: ObjectId,
    /// When it was submitted (PR_CLIENT_SUBMIT_TIME).
    pub submitted: FileTime,
    /// RopSubmitMessage `SubmitFlags`.
    pub submit_flags: u8,
    /// A delivery worker started on it (RopAbortSubmit can no longer stop it); stays set when
    /// the worker's claim ends without finishing.
    pub claimed: bool,
    /// The node whose worker holds the claim now (`--node-id`); `None` when no node does.
    pub claimed_by: Option<u16>,
    /// Until when (milliseconds since the Unix epoch, on the database's clock) no other node may
    /// claim it: the holder's lease, or the pause after a failed run; `None` when never claimed.
    pub lease_until: Option<i64>,
}

/// Why a message cannot be submitted (the caller maps these to MAPI codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitRefusal {
    /// The message has no recipients (MAPI_E_NO_RECIPIENTS).
    NoRecipients,
    /// The message is already in the outgoing queue (MAPI_E_SUBMITTED).
    AlreadySubmitted,
    /// An embedded message or an FAI message cannot be sent (MAPI_E_NO_SUPPORT).
    NotSendable,
    /// Only private mailboxes have an outgoing queue (MAPI_E_NO_SUPPORT).
    NotPrivate,
    /// The mailbox is at or over its send quota (ecQuotaExceeded; PidTagProhibitSendQuota,
    /// MS-OXCSTOR 2.2.2.1.1.4).
    QuotaExceeded,
    /// The message is larger than the largest message the user may submit
    /// (ecMaxSubmissionExceeded; PidTagMaximumSubmitMessageSize, MS-OXCSTOR 2.2.2.1.1.2).
    TooBig,
    /// A PR_SENT_REPRESENTING_* property (the one named) names neither the sender nor an owner
    /// who gave the sender the Send As or Send on Behalf right (ecSendAsDenied; see
    /// [`super::representing`]).
    NotOwnIdentity(oxmapi_core::tag::PropTag),
}

/// What RopAbortSubmit found (MS-OXOMSG 3.2.5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbortOutcome {
    /// Removed from the queue; MSGFLAG_SUBMITTED cleared.
    Aborted,
    /// Not in the queue: never submitted, or already sent (MAPI_E_NOT_IN_QUEUE).
    NotInQueue,
    /// The delivery worker is processing it (MAPI_E_UNABLE_TO_ABORT).
    UnableToAbort,
}

pub(crate) fn submission_from(r: &crate::db::Row<'_>) -> crate::db::Result<Submission> {
    Ok(Submission {
        id: r.get(0)?,
        mid: oid(r.get::<_, i64>(1)? as u64),
        submitted: FileTime(r.get::<_, i64>(2)? as u64),
        submit_flags: r.get::<_, i64>(3)? as u8,
        claimed: r.get(4)?,
        claimed_by: r.get::<_, Option<i64>>(5)?.and_then(|n| u16::try_from(n).ok()),
        lease_until: r.get(6)?,
    })
}

pub(crate) const COLUMNS: &str =
    "submission_id, mid, submitted, submit_flags, claimed, claimed_by, lease_until";

/// Refuses to change message `mid` while it is queued (StoreError::Submitted, MAPI_E_SUBMITTED):
/// IMsgStore::AbortSubmit — "after a message is submitted, aborting the submission by calling
/// AbortSubmit is the only action that can be performed on the message". Without this, a client
/// could change what RopSubmitMessage checked (PR_SENT_REPRESENTING_*, the recipients) before
/// the delivery worker reads the message.
pub(crate) fn refuse_if_queued(conn: &Conn, mid: u64) -> StoreResult<()> {
    let queued: Option<i64> =
        conn.query_row("SELECT 1 FROM submissions WHERE mid = ?1", [mid as i64], |r| r.get(0)).optional()?;
    match queued {
        Some(_) => Err(StoreError::Submitted(format!(
            "message {} is queued for sending and cannot be changed; abort the submission first (RopAbortSubmit)",
            oid(mid)
        ))),
        None => Ok(()),
    }
}

/// Milliseconds since the Unix epoch of `t` (the clock of `submissions.lease_until`).
pub(crate) fn unix_millis(t: FileTime) -> i64 {
    (t.0 as i64 - oxmapi_core::time::FILETIME_UNIX_EPOCH as i64) / 10_000
}

/// PidTagDeferredSendUnits (MS-OXOMSG 2.2.3.3): minutes, hours, days, weeks — in seconds.
const DEFERRED_SEND_UNIT_SECONDS: [u64; 4] = [60, 3600, 86_400, 7 * 86_400];

/// Until when a message submitted at `now` is held in the Outbox (MS-OXOMSG 3.2.4.3 / 3.2.5.1:
/// "the server MUST NOT deliver the message before" its deferred time): the latest of
/// PidTagDeferredDeliveryTime (2.2.3.2), PidTagDeferredSendTime (2.2.3.4) and `now` plus
/// PidTagDeferredSendNumber × PidTagDeferredSendUnits (2.2.3.3, 2.2.3.4: the server computes
/// PidTagDeferredSendTime from these); `None` when that is not in the future.
fn deferred_until(props: &super::messages::PropSet, now: FileTime) -> Option<FileTime> {
    let time = |tag: oxmapi_core::tag::PropTag| match props.get(tag.id()) {
        Some(super::messages::DraftValue::Inline(PropValue::SysTime(t))) => Some(*t),
        _ => None,
    };
    let int = |tag: oxmapi_core::tag::PropTag| match props.get(tag.id()) {
        Some(super::messages::DraftValue::Inline(PropValue::I32(n))) => u64::try_from(*n).ok(),
        _ => None,
    };
    let relative = int(PR_DEFERRED_SEND_NUMBER).zip(int(PR_DEFERRED_SEND_UNITS)).and_then(|(n, u)| {
        let unit = DEFERRED_SEND_UNIT_SECONDS.get(usize::try_from(u).ok()?)?;
        now.0.checked_add(n.checked_mul(*unit)?.checked_mul(10_000_000)?).map(FileTime)
    });
    [time(PR_DEFERRED_DELIVERY_TIME), time(PR_DEFERRED_SEND_TIME), relative]
        .into_iter()
        .flatten()
        .max()
        .filter(|t| t.0 > now.0)
}

/// Sets PR_MESSAGE_FLAGS of message `m` (its change number stays: open handles keep saving).
fn set_flags(store: &MessageStore, conn: &Conn, m: u64, fid: u64, flags: u32) -> StoreResult<()> {
    store.watch_counts(conn, fid)?;
    conn.execute(
        "UPDATE messages SET flags = ?2, read = ?3 WHERE mid = ?1",
        params![m as i64, flags as i64, flags & mf::MSGFLAG_READ != 0],
    )?;
    store.record(StoreEvent::Modified {
        fid: oid(fid),
        mid: Some(oid(m)),
        tags: vec![PR_MESSAGE_FLAGS],
        counts: None,
        // Only normal messages are submitted (FAI ones are refused).
        associated: false,
    });
    Ok(())
}

impl MessageStore {
    /// RopSubmitMessage (MS-OXOMSG 3.2.5.1): saves the open message first when it has unsaved
    /// changes or was never saved (as MAPI's IMessage::SubmitMessage does: "saves all of the
    /// message's properties and marks it as ready for sending"), stamping PR_CLIENT_SUBMIT_TIME,
    /// the PR_SENDER_* and PR_SENT_REPRESENTING_* properties of `sender` (the logged-on user,
    /// also on a delegate logon), and a PR_INTERNET_MESSAGE_ID when missing; then, in one
    /// transaction, sets MSGFLAG_SUBMITTED and queues the submission. From then on the message
    /// cannot be saved again until RopAbortSubmit takes it back ([`refuse_if_queued`]), so what
    /// was checked here is what is delivered.
    ///
    /// Client-set PR_SENT_REPRESENTING_* properties must name `sender`: one naming anyone else
    /// is refused with [`SubmitRefusal::NotOwnIdentity`] ([`MessageStore::submit_message_as`]
    /// also accepts owners who gave the sender a right to send for them).
    ///
    /// `limits` are enforced as the logon announced them (and as gromox's rop_submitmessage
    /// does): a mailbox whose size (PidTagMessageSizeExtended) is at or over the send quota ×
    /// 1024 is refused with [`SubmitRefusal::QuotaExceeded`], a message larger than the
    /// submission limit × 1024 with [`SubmitRefusal::TooBig`]; nothing is saved then.
    pub fn submit_message(
        &self,
        draft: &mut MessageDraft,
        submit_flags: u8,
        sender: &Originator,
        limits: &MailboxLimits,
    ) -> StoreResult<Result<Submission, SubmitRefusal>> {
        self.submit_message_as(draft, submit_flags, &SendRights::own(sender.clone()), limits)
    }

    /// [`MessageStore::submit_message`] by `rights.sender`, who may also send as, or on behalf
    /// of, the owners `rights` lists ([`SendRights::decide`]): PR_SENDER_* and
    /// PR_SENT_REPRESENTING_* are stamped with whom the decision names.
    pub fn submit_message_as(
        &self,
        draft: &mut MessageDraft,
        submit_flags: u8,
        rights: &SendRights,
        limits: &MailboxLimits,
    ) -> StoreResult<Result<Submission, SubmitRefusal>> {
        if self.kind != StoreKind::Private {
            return Ok(Err(SubmitRefusal::NotPrivate));
        }
        if draft.is_embedded() || draft.is_associated() {
            return Ok(Err(SubmitRefusal::NotSendable));
        }
        if draft.recipients().next().is_none() {
            return Ok(Err(SubmitRefusal::NoRecipients));
        }
        if draft.flags & mf::MSGFLAG_SUBMITTED != 0 {
            return Ok(Err(SubmitRefusal::AlreadySubmitted));
        }
        if MailboxLimits::reached(limits.send_quota_kb, self.mailbox_size()?) {
            return Ok(Err(SubmitRefusal::QuotaExceeded));
        }
        if MailboxLimits::exceeds(limits.max_submit_kb, self.draft_size(draft)?) {
            return Ok(Err(SubmitRefusal::TooBig));
        }
        let who = match rights.decide(&draft.props) {
            Ok(who) => who,
            Err(tag) => return Ok(Err(SubmitRefusal::NotOwnIdentity(tag))),
        };
        let sender = &who.sender;
        let now = FileTime::now();
        for (tag, value) in
            sender.sender_props().into_iter().chain(who.representing.sent_representing_props())
        {
            draft.props.set(tag, value);
        }
        draft.props.set(PR_CLIENT_SUBMIT_TIME, PropValue::SysTime(now));
        let deferred_until = deferred_until(&draft.props, now);
        if let Some(t) = deferred_until {
            draft.props.set(PR_DEFERRED_SEND_TIME, PropValue::SysTime(t));
        }
        if !draft.props.contains(PR_INTERNET_MESSAGE_ID) {
            draft.props.set(PR_INTERNET_MESSAGE_ID, PropValue::Unicode(sender.new_message_id()));
        }
        draft.dirty = true;
        // The save and the queueing commit together: a crash leaves either nothing or a
        // queued message, never a saved but unsubmitted one in the Outbox.
        let now_ticks = now.0;
        self.prepare_save(draft, now_ticks)?;
        let (saved, queued) = self.write(Durability::Full, |tx| {
            let saved = self.save_in(tx, draft, false, now_ticks)?;
            let m = saved.mid;
            let row: Option<(Option<i64>, i64)> = tx
                .query_row(
                    "SELECT fid, flags FROM messages WHERE mid = ?1 AND soft_deleted = 0",
                    [m as i64],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((Some(fid), flags)) = row else {
                return Err(StoreError::ObjectDeleted(format!(
                    "message {} was deleted before it was submitted",
                    ObjectId::new(LOCAL_REPLICA_ID, m)
                )));
            };
            let queued: Option<i64> = tx
                .query_row("SELECT 1 FROM submissions WHERE mid = ?1", [m as i64], |r| r.get(0))
                .optional()?;
            if queued.is_some() {
                return Ok((saved, Err(SubmitRefusal::AlreadySubmitted)));
            }
            set_flags(self, tx, m, fid as u64, flags as u32 | mf::MSGFLAG_SUBMITTED)?;
            // A deferred submission is not claimable before its time: the lease column holds it
            // (unclaimed, so RopAbortSubmit still takes it back).
            let sub = tx.query_row(
                &format!(
                    "INSERT INTO submissions (mid, submitted, submit_flags, lease_until) \
                     VALUES (?1, ?2, ?3, ?4) RETURNING {COLUMNS}"
                ),
                params![m as i64, now.0 as i64, submit_flags, deferred_until.map(unix_millis)],
                submission_from,
            )?;
            Ok((saved, Ok(sub)))
        })?;
        super::messages::saved_into(draft, saved, now_ticks);
        if queued.is_ok() {
            draft.flags |= mf::MSGFLAG_SUBMITTED;
        }
        Ok(queued)
    }

    /// RopAbortSubmit (MS-OXOMSG 3.2.5.2): removes the submission of message `mid` when the
    /// delivery worker has not started on it, and clears MSGFLAG_SUBMITTED.
    pub fn abort_submit(&self, mid: ObjectId) -> StoreResult<AbortOutcome> {
        if mid.replica_id != LOCAL_REPLICA_ID {
            return Ok(AbortOutcome::NotInQueue);
        }
        let m = mid.global_counter;
        self.write(Durability::Full, |tx| {
            let row: Option<(i64, bool)> = tx
                .query_row("SELECT submission_id, claimed FROM submissions WHERE mid = ?1", [m as i64], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            match row {
                None => Ok(AbortOutcome::NotInQueue),
                Some((_, true)) => Ok(AbortOutcome::UnableToAbort),
                Some((id, false)) => {
                    // A worker of another node may claim it between the read and the delete (the
                    // claim does not take the mailbox's write lock): only an unclaimed row goes.
                    if tx.execute("DELETE FROM submissions WHERE submission_id = ?1 AND claimed = 0", [id])?
                        == 0
                    {
                        return Ok(AbortOutcome::UnableToAbort);
                    }
                    let msg: Option<(Option<i64>, i64)> = tx
                        .query_row("SELECT fid, flags FROM messages WHERE mid = ?1", [m as i64], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    if let Some((Some(fid), flags)) = msg {
                        set_flags(self, tx, m, fid as u64, flags as u32 & !mf::MSGFLAG_SUBMITTED)?;
                    }
                    Ok(AbortOutcome::Aborted)
                }
            }
        })
    }

    /// Every queued submission, oldest first (claimed ones too: a worker that stopped half-way
    /// resumes them; whether a worker may take one now is [`MessageStore::claim_submission`]'s
    /// business).
    pub fn pending_submissions(&self) -> StoreResult<Vec<Submission>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM submissions ORDER BY submission_id"))?;
        let rows = stmt.query_map([], submission_from)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The targets submission `id` was delivered to so far.
    pub fn submission_progress(&self, id: i64) -> StoreResult<Vec<String>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT target FROM submission_progress WHERE submission_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Records that submission `id` reached `target` (nothing when the submission is gone).
    pub fn record_submission_progress(&self, id: i64, target: &str) -> StoreResult<()> {
        self.write(Durability::Full, |tx| {
            tx.execute(
                "INSERT INTO submission_progress (submission_id, target) \
                 SELECT submission_id, ?2 FROM submissions WHERE submission_id = ?1 ON CONFLICT DO NOTHING",
                params![id, target],
            )?;
            Ok(())
        })
    }

    /// Where the sent message goes: the folder PR_SENTMAIL_ENTRYID names when it is a live
    /// folder of this store, else Sent Items.
    pub fn sent_mail_folder(&self, sentmail_entry_id: Option<&[u8]>) -> StoreResult<ObjectId> {
        if let Some(fid) = sentmail_entry_id.and_then(|e| self.folder_id_from_entry_id(e).ok()) {
            if live_folder(&*self.lock()?, fid).is_ok() {
                return Ok(fid);
            }
        }
        self.special_folder(SpecialFolder::SentItems)
            .ok_or_else(|| StoreError::Corrupt("the mailbox has no Sent Items folder".into()))
    }

    /// Ends submission `id` in one transaction: its message moves to `sent_folder` (Sent Items
    /// when that folder is gone meanwhile) with MSGFLAG_UNSENT and MSGFLAG_SUBMITTED cleared and
    /// MSGFLAG_READ set, or is deleted when `sent_folder` is `None` (PR_DELETE_AFTER_SUBMIT), and
    /// the submission row goes. Returns where the message is now (`None` when deleted or gone).
    pub fn finish_submission(
        &self,
        id: i64,
        sent_folder: Option<ObjectId>,
    ) -> StoreResult<Option<(ObjectId, ObjectId)>> {
        let sent_items = self.special_folder(SpecialFolder::SentItems);
        self.write(Durability::Full, |tx| {
            let m: Option<i64> = tx
                .query_row("SELECT mid FROM submissions WHERE submission_id = ?1", [id], |r| r.get(0))
                .optional()?;
            let Some(m) = m else { return Ok(None) };
            tx.execute("DELETE FROM submissions WHERE submission_id = ?1", [id])?;
            let row: Option<(Option<i64>, i64, bool)> = tx
                .query_row("SELECT fid, flags, soft_deleted FROM messages WHERE mid = ?1", [m], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((Some(src), flags, false)) = row else { return Ok(None) };
            let (src, m) = (src as u64, m as u64);
            let Some(wanted) = sent_folder else {
                self.watch_counts(tx, src)?;
                tx.execute("DELETE FROM messages WHERE mid = ?1", [m as i64])?;
                self.record(StoreEvent::Deleted {
                    fid: oid(src),
                    mid: Some(oid(m)),
                    parent_fid: oid(src),
                    associated: false,
                });
                return Ok(None);
            };
            let dst = match live_folder(tx, wanted) {
                Ok(d) => d,
                Err(_) => match sent_items {
                    Some(s) => live_folder(tx, s)?,
                    None => src,
                },
            };
            let flags = (flags as u32 & !(mf::MSGFLAG_UNSENT | mf::MSGFLAG_SUBMITTED)) | mf::MSGFLAG_READ;
            if dst != src {
                self.watch_counts(tx, src)?;
                self.watch_counts(tx, dst)?;
                let cn = allocate(tx, 1)?;
                tx.execute(
                    "UPDATE messages SET fid = ?2, change_number = ?3 WHERE mid = ?1",
                    params![m as i64, dst as i64, cn as i64],
                )?;
                self.record(StoreEvent::MovedOrCopied {
                    copy: false,
                    fid: oid(dst),
                    mid: Some(oid(m)),
                    parent_fid: oid(dst),
                    old_fid: oid(src),
                    old_mid: Some(oid(m)),
                    old_parent_fid: oid(src),
                    associated: false,
                });
            }
            set_flags(self, tx, m, dst, flags)?;
            Ok(Some((oid(dst), oid(m))))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailbox::messages::PropSet;

    /// MS-OXOMSG 2.2.3.2–2.2.3.4: the latest of PidTagDeferredDeliveryTime, PidTagDeferredSendTime
    /// and submission time + PidTagDeferredSendNumber × PidTagDeferredSendUnits; nothing when
    /// that is not in the future or the units are unknown.
    #[test]
    fn the_deferred_time_is_the_latest_of_the_three_forms() {
        let now = FileTime::from_unix_seconds(1_000_000);
        let at = |secs: i64| PropValue::SysTime(FileTime::from_unix_seconds(secs));
        let with = |v: Vec<(oxmapi_core::tag::PropTag, PropValue)>| {
            let mut p = PropSet::default();
            for (t, x) in v {
                p.set(t, x);
            }
            deferred_until(&p, now).map(FileTime::unix_seconds)
        };
        assert_eq!(with(vec![]), None);
        assert_eq!(with(vec![(PR_DEFERRED_DELIVERY_TIME, at(999_000))]), None, "past");
        assert_eq!(with(vec![(PR_DEFERRED_DELIVERY_TIME, at(1_000_060))]), Some(1_000_060));
        let relative =
            vec![(PR_DEFERRED_SEND_NUMBER, PropValue::I32(2)), (PR_DEFERRED_SEND_UNITS, PropValue::I32(1))];
        assert_eq!(with(relative.clone()), Some(1_007_200), "2 hours");
        let mut both = relative;
        both.push((PR_DEFERRED_SEND_TIME, at(1_010_000)));
        assert_eq!(with(both), Some(1_010_000));
        let bad =
            vec![(PR_DEFERRED_SEND_NUMBER, PropValue::I32(2)), (PR_DEFERRED_SEND_UNITS, PropValue::I32(9))];
        assert_eq!(with(bad), None);
    }
}
