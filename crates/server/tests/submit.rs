//! Submission and local delivery over real HTTP with raw oxmapi-wire (MS-OXOMSG 3.2.5):
//! RopSubmitMessage to SMTP, EX and one-off recipients, what lands in each Inbox (sender,
//! received-by, delivery time, unread), BCC hidden, Sent Items and PR_DELETE_AFTER_SUBMIT,
//! non-delivery reports (unknown recipient, expired PR_LATEST_DELIVERY_TIME), RopAbortSubmit
//! outcomes, RopGetAddressTypes / RopGetTransportFolder, fnevNewMail to an Advise subscription,
//! and a submission left half-done by a crash resumed at start-up without duplicates.

mod common;
mod sending;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::delivery::{Claimant, DeliveryKey, DeliveryKind, Originator};
use oxmapi_store::{RecipientRow, SpecialFolder, User};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcnotif::{RegisterNotificationRequest, kind};
use oxmapi_wire::rop::oxomsg::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use sending::*;

#[tokio::test]
async fn smtp_ex_and_one_off_recipients_receive_in_their_inboxes() {
    let t = three().await;
    let dave = t.ts.add_user("dave", false);
    let mut a = logon_private(&t.ts, &t.alice).await;
    let recipients =
        vec![(TO, smtp(&t.bob.smtp_address)), (CC, ex(&t.carol)), (TO, one_off(&dave)), (BCC, ex(&dave))];
    let (mid, code) =
        send(&mut a, recipients, vec![text(PR_SUBJECT, "Lunch?"), text(PR_BODY, "at noon")]).await;
    assert_eq!(code, 0);
    let tags = [
        PR_SUBJECT,
        PR_SENDER_NAME,
        PR_SENDER_EMAIL_ADDRESS,
        PR_SENDER_ADDRTYPE,
        PR_SENDER_SMTP_ADDRESS,
        PR_SENT_REPRESENTING_NAME,
        PR_RECEIVED_BY_NAME,
        PR_RECEIVED_BY_EMAIL_ADDRESS,
        PR_MESSAGE_FLAGS,
        PR_MESSAGE_DELIVERY_TIME,
        PR_CLIENT_SUBMIT_TIME,
        PR_INTERNET_MESSAGE_ID,
        PR_DISPLAY_BCC,
    ];
    for u in [&t.bob, &t.carol, &dave] {
        let mut c = logon_private(&t.ts, u).await;
        let inbox = c.inbox();
        let mids = wait_for(&mut c, inbox, 1).await;
        assert_eq!(mids.len(), 1, "{}: one copy even when listed twice", u.name);
        let (v, recipients) = read(&mut c, inbox, mids[0], &tags).await;
        assert_eq!(s(&v[0]), "Lunch?");
        assert_eq!(s(&v[1]), t.alice.display_name);
        assert_eq!(s(&v[2]), t.alice.legacy_dn);
        assert_eq!(s(&v[3]), "EX");
        assert_eq!(s(&v[4]), t.alice.smtp_address);
        assert_eq!(s(&v[5]), t.alice.display_name);
        assert_eq!(s(&v[6]), u.display_name);
        assert_eq!(s(&v[7]), u.legacy_dn);
        let flags = int(&v[8]) as u32;
        assert_eq!(flags & (mf::MSGFLAG_READ | mf::MSGFLAG_UNSENT | mf::MSGFLAG_SUBMITTED), 0, "{flags:#x}");
        assert!(matches!(v[9], RowValue::Value(PropValue::SysTime(_))));
        assert!(matches!(v[10], RowValue::Value(PropValue::SysTime(_))));
        assert!(s(&v[11]).ends_with('>'));
        assert_eq!(s(&v[12]), "", "PR_DISPLAY_BCC names nobody");
        assert_eq!(recipients, 3, "the BCC row is hidden");
    }
    // The original went to Sent Items, read and sent.
    let sent = a.folders[6];
    let mids = wait_for(&mut a, sent, 1).await;
    assert_eq!(mids, vec![mid]);
    let (v, _) = read(&mut a, sent, mid, &[PR_MESSAGE_FLAGS]).await;
    let flags = int(&v[0]) as u32;
    assert_eq!(flags & (mf::MSGFLAG_READ | mf::MSGFLAG_UNSENT | mf::MSGFLAG_SUBMITTED), mf::MSGFLAG_READ);
    let outbox = a.folders[5];
    assert!(wait_for(&mut a, outbox, 0).await.is_empty());
}

#[tokio::test]
async fn delete_after_submit_keeps_no_copy() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let del = TaggedValue::new(PR_DELETE_AFTER_SUBMIT, PropValue::Bool(true));
    send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "gone"), del]).await;
    let mut b = logon_private(&t.ts, &t.bob).await;
    let inbox = b.inbox();
    wait_for(&mut b, inbox, 1).await;
    let (sent, outbox) = (a.folders[6], a.folders[5]);
    assert!(wait_for(&mut a, sent, 0).await.is_empty());
    assert!(wait_for(&mut a, outbox, 0).await.is_empty());
}

#[tokio::test]
async fn unknown_recipients_and_expired_messages_come_back_as_reports() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    send(&mut a, vec![(TO, ex(&t.bob)), (TO, smtp("nobody@example.com"))], vec![text(PR_SUBJECT, "Hi")])
        .await;
    let inbox = a.inbox();
    let mids = wait_for(&mut a, inbox, 1).await;
    let tags = [PR_MESSAGE_CLASS, PR_SUBJECT, PR_ORIGINAL_SUBJECT, PR_REPORT_TEXT, PR_ORIGINAL_SUBMIT_TIME];
    let (v, recipients) = read(&mut a, inbox, mids[0], &tags).await;
    assert_eq!(s(&v[0]), "REPORT.IPM.Note.NDR");
    assert_eq!(s(&v[1]), "Undeliverable: Hi");
    assert_eq!(s(&v[2]), "Hi");
    assert!(s(&v[3]).contains("nobody@example.com"), "{}", s(&v[3]));
    assert!(matches!(v[4], RowValue::Value(PropValue::SysTime(_))));
    assert_eq!(recipients, 1, "only the failed recipient");
    let mut b = logon_private(&t.ts, &t.bob).await;
    let b_inbox = b.inbox();
    assert_eq!(wait_for(&mut b, b_inbox, 1).await.len(), 1);

    let past = PropValue::SysTime(FileTime(FileTime::now().0 - 10_000_000 * 60));
    let late = TaggedValue::new(PR_LATEST_DELIVERY_TIME, past);
    send(&mut a, vec![(TO, ex(&t.carol))], vec![text(PR_SUBJECT, "late"), late]).await;
    let mids = wait_for(&mut a, inbox, 2).await;
    let mut found = false;
    for m in mids {
        let (v, _) = read(&mut a, inbox, m, &[PR_SUBJECT]).await;
        found |= s(&v[0]) == "Undeliverable: late";
    }
    assert!(found);
    let mut c = logon_private(&t.ts, &t.carol).await;
    let c_inbox = c.inbox();
    assert!(wait_for(&mut c, c_inbox, 0).await.is_empty(), "an expired message is not delivered");
}

/// Queues a submission of alice's straight in her mailbox file (the server's worker is not
/// woken, so it stays queued); returns the MID and submission id.
fn queue_directly(ts: &TestServer, alice: &User, to: &[&User]) -> (ObjectId, i64) {
    ts.site(|site| queue_in(site, alice, to))
}

fn queue_in(site: &oxmapi_store::Site, alice: &User, to: &[&User]) -> (ObjectId, i64) {
    let s = site.open_mailbox(alice).unwrap();
    let mut d = s.create_message(s.special_folder(SpecialFolder::Outbox).unwrap(), false).unwrap();
    s.set_properties(&mut d, &[text(PR_SUBJECT, "queued")]).unwrap();
    let rows = to
        .iter()
        .enumerate()
        .map(|(i, u)| RecipientRow { row_id: i as u32, recipient_type: TO as u32, props: ex(u) })
        .collect();
    s.modify_recipients(&mut d, rows).unwrap();
    let limits = oxmapi_store::settings::MailboxLimits::UNLIMITED;
    let sub = s.submit_message(&mut d, 0, &Originator::from(alice), &limits).unwrap().unwrap();
    (d.mid().unwrap(), sub.id)
}

fn abort(mid: ObjectId) -> RopRequest {
    RopRequest::AbortSubmit(AbortSubmitRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: ObjectId::ZERO,
        message_id: mid,
    })
}

#[tokio::test]
async fn abort_submit_address_types_and_transport_folder() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let reqs = [RopRequest::GetAddressTypes(handle_req(0)), RopRequest::GetTransportFolder(handle_req(0))];
    let (resp, _) = a.m.rops(&reqs, a.slots(0)).await;
    let RopResponse::GetAddressTypes(o) = &resp[0] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().unwrap().address_types, vec!["EX".to_string(), "SMTP".to_string()]);
    let RopResponse::GetTransportFolder(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().unwrap().folder_id, a.folders[5]);

    let outbox = a.folders[5];
    let never = new_message(&mut a, outbox, false, vec![text(PR_SUBJECT, "draft")]).await;
    let (queued, _) = queue_directly(&t.ts, &t.alice, &[&t.bob]);
    let (claimed, id) = queue_directly(&t.ts, &t.alice, &[&t.bob]);
    t.ts.site(|d| {
        d.open_mailbox(&t.alice).unwrap().claim_submission(id, &Claimant::node(0)).unwrap().taken().unwrap()
    });
    let (resp, _) = a.m.rops(&[abort(never), abort(queued), abort(queued), abort(claimed)], a.slots(0)).await;
    let codes: Vec<u32> = resp.iter().map(rv).collect();
    assert_eq!(
        codes,
        vec![codes::MAPI_E_NOT_IN_QUEUE.0, 0, codes::MAPI_E_NOT_IN_QUEUE.0, codes::MAPI_E_UNABLE_TO_ABORT.0]
    );
    let (v, _) = read(&mut a, outbox, queued, &[PR_MESSAGE_FLAGS]).await;
    assert_eq!(int(&v[0]) as u32 & mf::MSGFLAG_SUBMITTED, 0, "aborted: no longer submitted");
    // Submitting without recipients is refused.
    let (_, code) = send(&mut a, vec![], vec![text(PR_SUBJECT, "nobody")]).await;
    assert_eq!(code, codes::MAPI_E_NO_RECIPIENTS.0);
}

#[tokio::test]
async fn new_mail_reaches_the_recipients_advise_subscription() {
    let t = three().await;
    let mut b = logon_private(&t.ts, &t.bob).await;
    let reg = RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        notification_types: kind::NEW_MAIL,
        reserved: None,
        want_whole_store: 1,
        scope: None,
    });
    let (resp, _) = b.m.rops(&[reg], b.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0);
    let mut a = logon_private(&t.ts, &t.alice).await;
    send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "ping")]).await;
    let start = Instant::now();
    let note = loop {
        b.m.rops(&[], vec![]).await;
        let found = b.m.notes.iter().find_map(|r| match r {
            RopResponse::Notify(n) if n.data.kind() == kind::NEW_MAIL => Some(n.clone()),
            _ => None,
        });
        if let Some(n) = found {
            break n;
        }
        assert!(start.elapsed() < PATIENCE, "no fnevNewMail");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(note.data.folder_id, Some(b.inbox()));
    assert_eq!(note.data.message_class.as_deref(), Some("IPM.Note"));
    assert_eq!(note.data.message_flags.map(|f| f & mf::MSGFLAG_READ), Some(0));
}

#[tokio::test]
async fn a_half_done_submission_resumes_at_start_up_without_duplicates() {
    let t = three().await;
    let (mid, id) = queue_directly(&t.ts, &t.alice, &[&t.bob, &t.carol]);
    // This node's worker claimed it, delivered to bob, and crashed before recording its
    // progress; the node comes back (same node id) and resumes its own claim at once.
    t.ts.site(|d| {
        let alice = d.open_mailbox(&t.alice).unwrap();
        alice.claim_submission(id, &Claimant::node(0)).unwrap().taken().unwrap();
        let key =
            DeliveryKey { source: t.alice.mailbox_guid, submission_id: id, kind: DeliveryKind::Message };
        let content = alice.export_message(mid).unwrap();
        d.open_mailbox(&t.bob).unwrap().deliver(&key, &content).unwrap();
    });
    // A server started on the same site resumes it.
    let second = t.ts.another_server(t.ts.dir.path(), |_| {}).await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let sent = a.folders[6];
    wait_for(&mut a, sent, 1).await;
    second.stop().await;
    for (u, n) in [(&t.bob, 1), (&t.carol, 1)] {
        let mut c = logon_private(&t.ts, u).await;
        let inbox = c.inbox();
        assert_eq!(wait_for(&mut c, inbox, 1).await.len(), n, "{}", u.name);
    }
    assert!(t.ts.site(|d| d.open_mailbox(&t.alice).unwrap().pending_submissions().unwrap()).is_empty());
}

/// Issue 14 item 4: a client-set PR_SENT_REPRESENTING_* naming another user ("on behalf of"
/// the CEO) is refused at RopSubmitMessage with ecSendAsDenied (0x4DC, Exchange's code for "You
/// can't send a message on behalf of this user unless you have permission to do so"); nothing
/// is queued, so nothing reaches the recipient. The sender's own identity still goes.
#[tokio::test]
async fn sending_on_behalf_of_another_user_is_refused_and_nothing_is_delivered() {
    let t = three().await;
    let ceo = Originator { display_name: "Root Administrator (CEO)".into(), ..Originator::from(&t.carol) };
    let mut a = logon_private(&t.ts, &t.alice).await;
    let tagged = |v: Vec<(PropTag, PropValue)>| v.into_iter().map(|(t, v)| TaggedValue::new(t, v)).collect();
    let all: Vec<TaggedValue> = tagged(ceo.sent_representing_props());
    let attempts: Vec<Vec<TaggedValue>> = vec![
        all.clone(),
        vec![text(PR_SENT_REPRESENTING_NAME, "Root Administrator (CEO)")],
        all.iter().filter(|v| v.tag == PR_SENT_REPRESENTING_ENTRYID).cloned().collect(),
        vec![text(PR_SENT_REPRESENTING_SMTP_ADDRESS, &t.carol.smtp_address)],
        vec![
            text(PR_SENT_REPRESENTING_ADDRTYPE, "SMTP"),
            text(PR_SENT_REPRESENTING_EMAIL_ADDRESS, &t.carol.smtp_address),
        ],
    ];
    for (i, mut props) in attempts.into_iter().enumerate() {
        props.push(text(PR_SUBJECT, &format!("forged {i}")));
        let (mid, code) = send(&mut a, vec![(TO, ex(&t.bob))], props).await;
        assert_eq!(code, codes::EC_SEND_AS_DENIED.0, "attempt {i}: {code:#x}");
        assert_eq!(mid, ObjectId::ZERO, "attempt {i}: refused before it was saved or queued");
    }
    // The sender's own identity, set by the client, goes (and the FIFO queue would have delivered
    // any forged message before it).
    let mut own: Vec<TaggedValue> = tagged(Originator::from(&t.alice).sent_representing_props());
    own.push(text(PR_SUBJECT, "mine"));
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], own).await;
    assert_eq!(code, 0);
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "plain")]).await;
    assert_eq!(code, 0, "no representing properties: the server stamps the sender's own");
    let mut b = logon_private(&t.ts, &t.bob).await;
    let inbox = b.inbox();
    let mids = wait_for(&mut b, inbox, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mids = wait_for(&mut b, inbox, mids.len()).await;
    assert_eq!(mids.len(), 2, "only the two honest messages arrive");
    for mid in mids {
        let (v, _) = read(
            &mut b,
            inbox,
            mid,
            &[PR_SUBJECT, PR_SENT_REPRESENTING_NAME, PR_SENT_REPRESENTING_SMTP_ADDRESS],
        )
        .await;
        assert!(["mine", "plain"].contains(&s(&v[0]).as_str()), "{}", s(&v[0]));
        assert_eq!(s(&v[1]), t.alice.display_name);
        assert_eq!(s(&v[2]), t.alice.smtp_address);
    }
}

/// Issue 14 item 4, delegate side: full access to a mailbox is not the right to send on its
/// owner's behalf. A delegate submitting from the owner's Outbox may not name the owner as the
/// represented sender (ecSendAsDenied), and a message without representing properties goes out
/// in the delegate's own name.
#[tokio::test]
async fn a_delegate_may_not_send_on_behalf_of_the_mailbox_owner() {
    let t = three().await;
    t.ts.site(|d| d.directory().unwrap().grant_full_access("bob", "alice").unwrap());
    let a = logon_private(&t.ts, &t.alice).await;
    let mut delegate = logon_mailbox(a.m, &t.bob).await;

    let owner: Vec<TaggedValue> = Originator::from(&t.bob)
        .sent_representing_props()
        .into_iter()
        .map(|(tag, v)| TaggedValue::new(tag, v))
        .chain([text(PR_SUBJECT, "as bob")])
        .collect();
    let (_, code) = send(&mut delegate, vec![(TO, ex(&t.carol))], owner).await;
    assert_eq!(code, codes::EC_SEND_AS_DENIED.0);
    let (_, code) =
        send(&mut delegate, vec![(TO, ex(&t.carol))], vec![text(PR_SUBJECT, "from bob's outbox")]).await;
    assert_eq!(code, 0);

    let mut c = logon_private(&t.ts, &t.carol).await;
    let inbox = c.inbox();
    let mids = wait_for(&mut c, inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wait_for(&mut c, inbox, 1).await.len(), 1, "only the honest message arrives");
    let (v, _) = read(&mut c, inbox, mids[0], &[PR_SUBJECT, PR_SENDER_NAME, PR_SENT_REPRESENTING_NAME]).await;
    assert_eq!(s(&v[0]), "from bob's outbox");
    assert_eq!(s(&v[1]), t.alice.display_name);
    assert_eq!(s(&v[2]), t.alice.display_name, "sent in the delegate's own name");
}
