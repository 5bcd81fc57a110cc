//! Submission and local delivery (MS-OXOMSG 3.2.5.1–3.2.5.2): the outgoing queue, recipient
//! resolution (SMTP, EX, one-off), the copies recipients get (BCC hidden, attachments and
//! embedded messages, received-by and sender properties), Sent Items and
//! PR_DELETE_AFTER_SUBMIT, non-delivery reports, RopAbortSubmit outcomes, fnevNewMail, and that
//! a delivery interrupted before its progress was recorded is never repeated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{message_flags as mf, ndr_diag, recipient_type as rt};
use oxmapi_core::entryid::{EntryId, OneOffEntryId};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{new_user, site, user_with_mailbox};
use crate::mailbox::delivery::*;
use crate::mailbox::events::StoreEvent;
use crate::mailbox::{AbortOutcome, SpecialFolder};
use crate::settings::MailboxLimits;
use crate::{Directory, MessageStore, RecipientRow, Site, StoreResult, User};

/// A host like the server's: one shared store per mailbox, each logging its events.
struct Host {
    dd: Site,
    dir: Directory,
    stores: Mutex<HashMap<Guid, Arc<MessageStore>>>,
    events: Arc<Mutex<Vec<(Guid, StoreEvent)>>>,
    /// A mailbox that cannot be opened (a broken store).
    broken: Mutex<Option<Guid>>,
}

impl DeliveryHost for Host {
    fn with_directory(&self, f: &mut dyn FnMut(&Directory) -> StoreResult<()>) -> StoreResult<()> {
        f(&self.dir)
    }
    fn mailbox(&self, user: &User) -> StoreResult<Arc<MessageStore>> {
        if *self.broken.lock().unwrap() == Some(user.mailbox_guid) {
            return Err(crate::StoreError::Failed("broken store".into()));
        }
        let mut map = self.stores.lock().unwrap();
        if let Some(s) = map.get(&user.mailbox_guid) {
            return Ok(s.clone());
        }
        let s = self.dd.open_mailbox(user)?;
        let (log, g) = (self.events.clone(), user.mailbox_guid);
        s.set_event_sink(Some(Arc::new(move |ev: &[StoreEvent]| {
            log.lock().unwrap().extend(ev.iter().map(|e| (g, e.clone())))
        })));
        let s = Arc::new(s);
        map.insert(user.mailbox_guid, s.clone());
        Ok(s)
    }
}

struct Fx {
    _t: tempfile::TempDir,
    host: Host,
    /// The delivery worker: node 1, retrying at once after a failure (tests run the queue
    /// again without waiting).
    who: Claimant,
    alice: User,
    bob: User,
    carol: User,
}

fn fx() -> Fx {
    let (t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let carol = user_with_mailbox(&dd, "carol");
    let dir = dd.directory().unwrap();
    let host = Host { dd, dir, stores: Mutex::default(), events: Arc::default(), broken: Mutex::default() };
    let who = Claimant { retry_after: std::time::Duration::ZERO, ..Claimant::node(1) };
    Fx { _t: t, host, who, alice, bob, carol }
}

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

fn smtp(row_id: u32, kind: u32, addr: &str) -> RecipientRow {
    RecipientRow {
        row_id,
        recipient_type: kind,
        props: vec![text(PR_DISPLAY_NAME, addr), text(PR_ADDRTYPE, "SMTP"), text(PR_EMAIL_ADDRESS, addr)],
    }
}

fn ex(row_id: u32, kind: u32, u: &User) -> RecipientRow {
    RecipientRow {
        row_id,
        recipient_type: kind,
        props: vec![
            text(PR_DISPLAY_NAME, &u.display_name),
            text(PR_ADDRTYPE, "EX"),
            text(PR_EMAIL_ADDRESS, &u.legacy_dn),
        ],
    }
}

fn one_off(row_id: u32, kind: u32, u: &User) -> RecipientRow {
    let eid = EntryId::OneOff(OneOffEntryId::new(&u.display_name, "SMTP", &u.smtp_address)).to_bytes();
    RecipientRow {
        row_id,
        recipient_type: kind,
        props: vec![
            text(PR_DISPLAY_NAME, &u.display_name),
            TaggedValue::new(PR_ENTRYID, PropValue::Binary(eid)),
        ],
    }
}

impl Fx {
    fn store(&self, u: &User) -> Arc<MessageStore> {
        self.host.mailbox(u).unwrap()
    }

    fn folder(&self, u: &User, which: SpecialFolder) -> ObjectId {
        self.store(u).special_folder(which).unwrap()
    }

    /// Creates a message in alice's Outbox and submits it; returns (mid, submission id).
    fn submit(&self, subject: &str, rows: Vec<RecipientRow>, extra: Vec<TaggedValue>) -> (ObjectId, i64) {
        let s = self.store(&self.alice);
        let mut d = s.create_message(self.folder(&self.alice, SpecialFolder::Outbox), false).unwrap();
        let mut values = vec![text(PR_SUBJECT, subject), text(PR_BODY, "hello")];
        values.extend(extra);
        assert!(s.set_properties(&mut d, &values).unwrap().is_empty());
        s.modify_recipients(&mut d, rows).unwrap();
        let sub = s
            .submit_message(&mut d, 0, &Originator::from(&self.alice), &MailboxLimits::UNLIMITED)
            .unwrap()
            .unwrap();
        (d.mid().unwrap(), sub.id)
    }

    fn run(&self) -> usize {
        process_pending(&self.host, &self.store(&self.alice), &self.who, &mut Attempts::new()).unwrap().ran
    }

    fn inbox(&self, u: &User) -> Vec<ObjectId> {
        self.store(u).contents(self.folder(u, SpecialFolder::Inbox), false).unwrap()
    }

    fn prop(&self, u: &User, mid: ObjectId, tag: PropTag) -> Option<PropValue> {
        self.store(u).message_property(mid, tag).unwrap()
    }

    fn recipients(&self, u: &User, mid: ObjectId) -> Vec<RecipientRow> {
        let s = self.store(u);
        let d = s.open_message(s.message_folder(mid).unwrap(), mid).unwrap();
        d.recipients().cloned().collect()
    }
}

fn as_text(v: Option<PropValue>) -> String {
    v.and_then(|v| v.as_text().map(|t| t.into_owned())).unwrap_or_default()
}

fn flags(v: Option<PropValue>) -> u32 {
    v.and_then(|v| v.as_i64()).unwrap() as u32
}

#[test]
fn smtp_ex_and_one_off_recipients_each_get_one_unread_copy() {
    let f = fx();
    let dave = f.host.dd.add_user(&new_user("dave")).unwrap();
    let rows = vec![
        smtp(0, rt::MAPI_TO, &f.bob.smtp_address),
        ex(1, rt::MAPI_CC, &f.carol),
        one_off(2, rt::MAPI_TO, &dave),
    ];
    let (mid, _) = f.submit("Quarterly report", rows, vec![]);
    let s = f.store(&f.alice);
    assert_ne!(flags(f.prop(&f.alice, mid, PR_MESSAGE_FLAGS)) & mf::MSGFLAG_SUBMITTED, 0);
    assert_eq!(f.run(), 1);
    for u in [&f.bob, &f.carol, &dave] {
        let inbox = f.inbox(u);
        assert_eq!(inbox.len(), 1, "{}", u.name);
        let m = inbox[0];
        assert_eq!(as_text(f.prop(u, m, PR_SUBJECT)), "Quarterly report");
        assert_eq!(as_text(f.prop(u, m, PR_SENDER_EMAIL_ADDRESS)), f.alice.legacy_dn);
        assert_eq!(as_text(f.prop(u, m, PR_SENDER_ADDRTYPE)), "EX");
        assert_eq!(as_text(f.prop(u, m, PR_SENDER_SMTP_ADDRESS)), f.alice.smtp_address);
        assert_eq!(as_text(f.prop(u, m, PR_SENT_REPRESENTING_NAME)), f.alice.display_name);
        assert_eq!(as_text(f.prop(u, m, PR_RECEIVED_BY_NAME)), u.display_name);
        assert_eq!(as_text(f.prop(u, m, PR_RECEIVED_BY_EMAIL_ADDRESS)), u.legacy_dn);
        assert!(as_text(f.prop(u, m, PR_INTERNET_MESSAGE_ID)).starts_with('<'));
        assert!(matches!(f.prop(u, m, PR_MESSAGE_DELIVERY_TIME), Some(PropValue::SysTime(_))));
        assert!(matches!(f.prop(u, m, PR_CLIENT_SUBMIT_TIME), Some(PropValue::SysTime(_))));
        let fl = flags(f.prop(u, m, PR_MESSAGE_FLAGS));
        assert_eq!(fl & (mf::MSGFLAG_READ | mf::MSGFLAG_UNSENT | mf::MSGFLAG_SUBMITTED), 0, "{fl:#x}");
        assert_eq!(f.recipients(u, m).len(), 3);
    }
    // The original: in Sent Items, read, no longer unsent or submitted; the queue is empty.
    assert!(f.store(&f.alice).contents(f.folder(&f.alice, SpecialFolder::Outbox), false).unwrap().is_empty());
    assert_eq!(s.message_folder(mid).unwrap(), f.folder(&f.alice, SpecialFolder::SentItems));
    let fl = flags(f.prop(&f.alice, mid, PR_MESSAGE_FLAGS));
    assert_eq!(fl & (mf::MSGFLAG_READ | mf::MSGFLAG_UNSENT | mf::MSGFLAG_SUBMITTED), mf::MSGFLAG_READ);
    assert!(s.pending_submissions().unwrap().is_empty());
    assert!(f.inbox(&f.alice).is_empty(), "no report when everything was delivered");
    // fnevNewMail in each recipient's store.
    let ev = f.host.events.lock().unwrap();
    for u in [&f.bob, &f.carol, &dave] {
        let n = ev
            .iter()
            .filter(|(g, e)| *g == u.mailbox_guid && matches!(e, StoreEvent::NewMail { .. }))
            .count();
        assert_eq!(n, 1, "{}", u.name);
    }
}

#[test]
fn bcc_recipients_are_delivered_but_hidden() {
    let f = fx();
    f.submit("secret", vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_BCC, &f.carol)], vec![]);
    f.run();
    for u in [&f.bob, &f.carol] {
        let m = f.inbox(u)[0];
        let rows = f.recipients(u, m);
        assert_eq!(rows.len(), 1, "{}: the BCC row is gone", u.name);
        assert_eq!(rows[0].recipient_type & 0xF, rt::MAPI_TO);
        assert_eq!(as_text(f.prop(u, m, PR_DISPLAY_BCC)), "");
    }
    assert_eq!(f.prop(&f.carol, f.inbox(&f.carol)[0], PR_MESSAGE_TO_ME), Some(PropValue::Bool(false)));
    assert_eq!(f.prop(&f.bob, f.inbox(&f.bob)[0], PR_MESSAGE_TO_ME), Some(PropValue::Bool(true)));
}

#[test]
fn attachments_and_embedded_messages_travel_with_large_values() {
    let f = fx();
    let s = f.store(&f.alice);
    let mut d = s.create_message(f.folder(&f.alice, SpecialFolder::Outbox), false).unwrap();
    s.set_properties(&mut d, &[text(PR_SUBJECT, "with files")]).unwrap();
    s.modify_recipients(&mut d, vec![ex(0, rt::MAPI_TO, &f.bob)]).unwrap();
    let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let mut a = s.create_attachment(&mut d).unwrap();
    s.set_properties(&mut a, &[TaggedValue::new(PR_ATTACH_DATA_BIN, PropValue::Binary(big.clone()))])
        .unwrap();
    s.save_attachment(&mut d, &mut a).unwrap();
    let mut e = s.create_attachment(&mut d).unwrap();
    s.set_properties(&mut e, &[TaggedValue::new(PR_ATTACH_METHOD, PropValue::I32(5))]).unwrap();
    let mut inner = s.open_embedded(&mut e, true).unwrap();
    s.set_properties(&mut inner, &[text(PR_SUBJECT, "forwarded")]).unwrap();
    s.save_embedded(&mut e, &mut inner).unwrap();
    s.save_attachment(&mut d, &mut e).unwrap();
    s.submit_message(&mut d, 0, &Originator::from(&f.alice), &MailboxLimits::UNLIMITED).unwrap().unwrap();
    f.run();
    let b = f.store(&f.bob);
    let m = f.inbox(&f.bob)[0];
    let got = b.open_message(b.message_folder(m).unwrap(), m).unwrap();
    assert_eq!(got.attachment_numbers().len(), 2);
    let a0 = b.open_attachment(&got, got.attachment_numbers()[0]).unwrap();
    let v = b.get_properties_specific(&a0, &[PR_ATTACH_DATA_BIN], usize::MAX).unwrap();
    assert_eq!(v[0].value, PropValue::Binary(big));
    let mut a1 = b.open_attachment(&got, got.attachment_numbers()[1]).unwrap();
    let emb = b.open_embedded(&mut a1, false).unwrap();
    let v = b.get_properties_specific(&emb, &[PR_SUBJECT], usize::MAX).unwrap();
    assert_eq!(v[0].value, PropValue::Unicode("forwarded".into()));
}

#[test]
fn a_delivery_done_before_a_crash_is_not_repeated() {
    let f = fx();
    let (mid, id) = f.submit("once", vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_TO, &f.carol)], vec![]);
    let alice = f.store(&f.alice);
    // The worker claimed it, delivered to bob, and "crashed" before recording its progress.
    alice.claim_submission(id, &f.who).unwrap().taken().unwrap();
    let key = DeliveryKey { source: alice.mailbox_guid(), submission_id: id, kind: DeliveryKind::Message };
    let content = alice.export_message(mid).unwrap();
    assert!(matches!(f.store(&f.bob).deliver(&key, &content).unwrap(), Delivered::New { .. }));
    assert!(matches!(f.store(&f.bob).deliver(&key, &content).unwrap(), Delivered::Already { .. }));
    assert_eq!(alice.pending_submissions().unwrap().len(), 1, "still queued");
    // The resumed worker.
    assert_eq!(f.run(), 1);
    assert_eq!(f.inbox(&f.bob).len(), 1, "no duplicate");
    assert_eq!(f.inbox(&f.carol).len(), 1);
    assert!(f.store(&f.bob).delivered(&key).unwrap().is_some());
    assert_eq!(f.run(), 0, "nothing left");
}

/// Unknown and external addresses fail at once; a disabled mailbox is retried (issue 17: it may
/// come back) until `max-delivery-retry-time`, and only then is reported with the others.
#[test]
fn unknown_external_and_disabled_recipients_get_a_non_delivery_report() {
    let f = fx();
    f.host.dir.set_enabled("carol", false).unwrap();
    f.host.dir.set_setting("max-delivery-retry-time", "1").unwrap();
    let rows = vec![
        ex(0, rt::MAPI_TO, &f.bob),
        smtp(1, rt::MAPI_TO, "nobody@example.com"),
        smtp(2, rt::MAPI_CC, "someone@elsewhere.example"),
        ex(3, rt::MAPI_CC, &f.carol),
    ];
    let (mid, _) = f.submit("Status", rows, vec![]);
    f.run();
    assert_eq!(f.inbox(&f.bob).len(), 1);
    assert!(f.inbox(&f.alice).is_empty(), "no report while carol is retried");
    std::thread::sleep(std::time::Duration::from_millis(1300));
    f.run();
    assert_eq!(f.inbox(&f.bob).len(), 1, "bob's copy is not delivered twice");
    assert!(f.inbox(&f.carol).is_empty());
    let inbox = f.inbox(&f.alice);
    assert_eq!(inbox.len(), 1, "one report");
    let n = inbox[0];
    assert_eq!(as_text(f.prop(&f.alice, n, PR_MESSAGE_CLASS)), "REPORT.IPM.Note.NDR");
    assert_eq!(as_text(f.prop(&f.alice, n, PR_SUBJECT)), "Undeliverable: Status");
    assert_eq!(as_text(f.prop(&f.alice, n, PR_ORIGINAL_SUBJECT)), "Status");
    assert!(matches!(f.prop(&f.alice, n, PR_ORIGINAL_SUBMIT_TIME), Some(PropValue::SysTime(_))));
    assert!(as_text(f.prop(&f.alice, n, PR_BODY)).contains("nobody@example.com"));
    let eid = f.prop(&f.alice, n, PR_ORIGINAL_ENTRYID).unwrap();
    let sent = f.folder(&f.alice, SpecialFolder::SentItems);
    assert_eq!(eid.as_bytes().unwrap(), f.store(&f.alice).message_entry_id(sent, mid));
    let rows = f.recipients(&f.alice, n);
    assert_eq!(rows.len(), 3);
    let diag =
        |r: &RecipientRow| r.props.iter().find(|p| p.tag == PR_NDR_DIAG_CODE).and_then(|p| p.value.as_i64());
    assert_eq!(diag(&rows[0]), Some(ndr_diag::MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN as i64));
    assert_eq!(diag(&rows[1]), Some(ndr_diag::MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN as i64));
    assert_eq!(diag(&rows[2]), Some(ndr_diag::MAPI_DIAG_MAIL_REFUSED as i64));
    for r in &rows {
        assert!(r.props.iter().any(|p| p.tag == PR_NDR_REASON_CODE));
        assert!(r.props.iter().any(|p| p.tag == PR_REPORT_TEXT));
    }
}

#[test]
fn an_expired_message_is_not_delivered() {
    let f = fx();
    let past = PropValue::SysTime(FileTime(FileTime::now().0 - 10_000_000 * 3600));
    f.submit("late", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![TaggedValue::new(PR_LATEST_DELIVERY_TIME, past)]);
    f.run();
    assert!(f.inbox(&f.bob).is_empty());
    let n = f.inbox(&f.alice)[0];
    let rows = f.recipients(&f.alice, n);
    let diag = rows[0].props.iter().find(|p| p.tag == PR_NDR_DIAG_CODE).and_then(|p| p.value.as_i64());
    assert_eq!(diag, Some(ndr_diag::MAPI_DIAG_MAXIMUM_TIME_EXPIRED as i64));
}

#[test]
fn delete_after_submit_and_sentmail_entry_id() {
    let f = fx();
    let yes = TaggedValue::new(PR_DELETE_AFTER_SUBMIT, PropValue::Bool(true));
    let (gone, _) = f.submit("no copy", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![yes]);
    let s = f.store(&f.alice);
    let (custom, _) = s
        .create_folder(
            f.folder(&f.alice, SpecialFolder::IpmSubtree),
            "Sent elsewhere",
            None,
            None,
            crate::FolderType::Generic,
            false,
        )
        .unwrap();
    let eid = TaggedValue::new(PR_SENTMAIL_ENTRYID, PropValue::Binary(s.folder_entry_id(custom)));
    let (kept, _) = f.submit("elsewhere", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![eid]);
    f.run();
    assert!(s.message_folder(gone).is_err(), "deleted after submit");
    assert_eq!(s.message_folder(kept).unwrap(), custom);
    assert!(s.contents(f.folder(&f.alice, SpecialFolder::SentItems), false).unwrap().is_empty());
    assert_eq!(f.inbox(&f.bob).len(), 2);
}

#[test]
fn abort_submit_outcomes() {
    let f = fx();
    let s = f.store(&f.alice);
    let never = s
        .save_message(&mut s.create_message(f.folder(&f.alice, SpecialFolder::Outbox), false).unwrap(), false)
        .unwrap();
    assert_eq!(s.abort_submit(never).unwrap(), AbortOutcome::NotInQueue);
    let (mid, _) = f.submit("take back", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    assert_eq!(s.abort_submit(mid).unwrap(), AbortOutcome::Aborted);
    assert_eq!(flags(f.prop(&f.alice, mid, PR_MESSAGE_FLAGS)) & mf::MSGFLAG_SUBMITTED, 0);
    assert_eq!(f.run(), 0);
    assert!(f.inbox(&f.bob).is_empty());
    let (mid, id) = f.submit("too late", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    s.claim_submission(id, &f.who).unwrap().taken().unwrap();
    assert_eq!(s.abort_submit(mid).unwrap(), AbortOutcome::UnableToAbort);
    f.run();
    assert_eq!(s.abort_submit(mid).unwrap(), AbortOutcome::NotInQueue);
    assert_eq!(f.inbox(&f.bob).len(), 1);
}

#[path = "delivery_retry.rs"]
mod retry;

#[path = "delivery_lease.rs"]
mod lease;

/// MS-OXCSTOR 2.2.2.1.1.3: PidTagProhibitReceiveQuota is the size "a user is allowed to
/// accumulate in their mailbox, before no further mail will be delivered". A recipient at or
/// over it gets no copy; the sender gets a non-delivery report whose row carries the diagnostic
/// gromox gives enhanced status 5.2.2 "Mailbox full" (lib/mapi/oxcmail.cpp status_code_to_diag:
/// MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD, 13). The other recipients still get theirs.
#[test]
fn a_recipient_over_its_receive_quota_gets_no_copy_and_the_sender_an_ndr() {
    let f = fx();
    // Bob's mailbox already holds a message; a 0 KiB quota puts every mailbox at its limit.
    f.submit("first", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    f.run();
    assert_eq!(f.inbox(&f.bob).len(), 1);
    f.host.dir.set_setting("prohibit-receive-quota-kb", "0").unwrap();
    f.submit("second", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    f.run();
    assert_eq!(f.inbox(&f.bob).len(), 1, "no copy for a full mailbox");
    let ndr = f.inbox(&f.alice);
    assert_eq!(ndr.len(), 1, "the sender's NDR");
    assert_eq!(as_text(f.prop(&f.alice, ndr[0], PR_MESSAGE_CLASS)), "REPORT.IPM.Note.NDR");
    let rows = f.recipients(&f.alice, ndr[0]);
    let diag = rows[0].props.iter().find(|p| p.tag == PR_NDR_DIAG_CODE).map(|p| p.value.clone());
    assert_eq!(diag, Some(PropValue::I32(ndr_diag::MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD as i32)));
    assert_eq!(ndr_diag::MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD, 13);

    // Under the quota again (unlimited), mail is delivered.
    f.host.dir.set_setting("prohibit-receive-quota-kb", "unlimited").unwrap();
    f.submit("third", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    f.run();
    assert_eq!(f.inbox(&f.bob).len(), 2);
}

/// gromox exch/emsmdb/oxomsg.cpp rop_submitmessage: a mailbox whose PR_MESSAGE_SIZE_EXTENDED is
/// at least PR_PROHIBIT_SEND_QUOTA × 1024 cannot submit (ecQuotaExceeded); a message larger than
/// PR_MAX_SUBMIT_MESSAGE_SIZE × 1024 bytes is refused too. Nothing is queued or saved then.
#[test]
fn submission_is_refused_over_the_send_quota_or_the_size_limit() {
    use crate::mailbox::SubmitRefusal;
    let f = fx();
    f.submit("fills the Outbox", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    let s = f.store(&f.alice);
    let size = s.mailbox_size().unwrap();
    assert!(size > 0);
    let draft = || {
        let mut d = s.create_message(f.folder(&f.alice, SpecialFolder::Outbox), false).unwrap();
        s.set_properties(&mut d, &[text(PR_SUBJECT, "x"), text(PR_BODY, &"y".repeat(3000))]).unwrap();
        s.modify_recipients(&mut d, vec![ex(0, rt::MAPI_TO, &f.bob)]).unwrap();
        d
    };
    let sender = Originator::from(&f.alice);
    let quota = |kb| MailboxLimits { send_quota_kb: Some(kb), ..MailboxLimits::UNLIMITED };
    let at = (size / 1024) as u32; // size ≥ at × 1024: at the quota
    let r = s.submit_message(&mut draft(), 0, &sender, &quota(at)).unwrap();
    assert_eq!(r.unwrap_err(), SubmitRefusal::QuotaExceeded);
    let r = s.submit_message(&mut draft(), 0, &sender, &quota(at + 1)).unwrap();
    assert!(r.is_ok(), "under the quota");

    let limit = MailboxLimits { max_submit_kb: Some(2), ..MailboxLimits::UNLIMITED };
    let mut d = draft();
    assert_eq!(s.submit_message(&mut d, 0, &sender, &limit).unwrap().unwrap_err(), SubmitRefusal::TooBig);
    assert!(d.mid().is_none(), "a refused message is not saved");
    let limit = MailboxLimits { max_submit_kb: Some(64), ..MailboxLimits::UNLIMITED };
    assert!(s.submit_message(&mut draft(), 0, &sender, &limit).unwrap().is_ok());
}

/// IMsgStore::AbortSubmit: "after a message is submitted, aborting the submission … is the only
/// action that can be performed on the message". A queued message cannot be saved again (what
/// RopSubmitMessage checked — PR_SENT_REPRESENTING_*, recipients — is what gets delivered), and
/// can be once RopAbortSubmit took it back.
#[test]
fn a_queued_message_cannot_be_changed_until_its_submission_is_aborted() {
    let f = fx();
    let s = f.store(&f.alice);
    let mut d = s.create_message(f.folder(&f.alice, SpecialFolder::Outbox), false).unwrap();
    s.set_properties(&mut d, &[text(PR_SUBJECT, "checked")]).unwrap();
    s.modify_recipients(&mut d, vec![ex(0, rt::MAPI_TO, &f.bob)]).unwrap();
    let sender = Originator::from(&f.alice);
    s.submit_message(&mut d, 0, &sender, &MailboxLimits::UNLIMITED).unwrap().unwrap();
    let mid = d.mid().unwrap();
    let mut later = s.open_message(f.folder(&f.alice, SpecialFolder::Outbox), mid).unwrap();
    s.set_properties(&mut later, &[text(PR_SENT_REPRESENTING_NAME, "Root Administrator (CEO)")]).unwrap();
    assert!(matches!(s.save_message(&mut later, true), Err(crate::StoreError::Submitted(_))));
    assert_eq!(s.abort_submit(mid).unwrap(), AbortOutcome::Aborted);
    let mut again = s.open_message(f.folder(&f.alice, SpecialFolder::Outbox), mid).unwrap();
    s.set_properties(&mut again, &[text(PR_SUBJECT, "changed")]).unwrap();
    s.save_message(&mut again, false).unwrap();
}
