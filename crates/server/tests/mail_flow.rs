//! The mail-flow properties people set, over real HTTP with raw oxmapi-wire (issue 17 item 6;
//! MS-OXOMSG 2.2.3 and 3.2.5.1): PR_DEFERRED_DELIVERY_TIME holds a submission in the Outbox
//! until its time (RopAbortSubmit, 3.2.5.2, still takes it back meanwhile); a recipient that
//! cannot take the message now (a disabled mailbox) is retried until PR_EXPIRY_TIME /
//! PR_LATEST_DELIVERY_TIME or the `max-delivery-retry-time` setting, and only then reported
//! undeliverable; PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED brings a REPORT.IPM.Note.DR back; a
//! per-user receive quota refuses delivery with a REPORT.IPM.Note.NDR and a per-user send
//! quota refuses RopSubmitMessage (ecQuotaExceeded), as gromox's rop_submitmessage and
//! delivery do.

mod common;
mod sending;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::directory::quotas::Quota;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxomsg::AbortSubmitRequest;
use oxmapi_wire::rop::request::RopRequest;
use sending::*;

/// A time `secs` from now. The tests' deadlines stay several seconds past their checks: on a CI
/// machine that has just written a build, one commit's fsync has taken seconds, and a check made
/// after the deadline would fail for the disk, not for the server (a red CI run had a 4 s expiry
/// pass before the recipient, enabled after 0.5 s, was tried again).
fn in_seconds(secs: u64) -> PropValue {
    PropValue::SysTime(FileTime(FileTime::now().0 + secs * 10_000_000))
}

/// The classes and subjects of `c`'s Inbox.
async fn inbox(c: &mut Logon, n: usize) -> Vec<(String, String)> {
    let fid = c.inbox();
    let mut out = Vec::new();
    for mid in wait_for(c, fid, n).await {
        let (v, _) = read(c, fid, mid, &[PR_MESSAGE_CLASS, PR_SUBJECT]).await;
        out.push((s(&v[0]), s(&v[1])));
    }
    out
}

fn disable(t: &Three, name: &str) {
    t.ts.site(|d| d.directory().unwrap().set_enabled(name, false).unwrap());
}

/// MS-OXOMSG 2.2.3.2 / 3.2.5.1: a message with PR_DEFERRED_DELIVERY_TIME stays in the Outbox
/// until then (not delivered a second before), is delivered soon after (the worker wakes at the
/// time, not at its next sweep), and goes to Sent Items.
#[tokio::test]
async fn a_deferred_message_is_held_in_the_outbox_until_its_time() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let started = Instant::now();
    let deferred = TaggedValue::new(PR_DEFERRED_DELIVERY_TIME, in_seconds(5));
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "later"), deferred]).await;
    assert_eq!(code, 0);
    let mut b = logon_private(&t.ts, &t.bob).await;
    let b_inbox = b.inbox();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(wait_for(&mut b, b_inbox, 0).await.is_empty(), "delivered before its time");
    let outbox = a.folders[5];
    assert_eq!(wait_for(&mut a, outbox, 1).await.len(), 1, "waits in the Outbox");
    assert_eq!(wait_for(&mut b, b_inbox, 1).await.len(), 1);
    let took = started.elapsed();
    // Not before its time; the upper bound only catches a deferral that waits for something
    // else (the retry schedule), with room for a loaded machine.
    assert!(took >= Duration::from_millis(4900) && took < Duration::from_secs(30), "{took:?}");
}

/// MS-OXOMSG 3.2.5.2: RopAbortSubmit takes a deferred submission back while it waits; it is
/// never delivered.
#[tokio::test]
async fn an_aborted_deferred_submission_is_never_delivered() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let deferred = TaggedValue::new(PR_DEFERRED_DELIVERY_TIME, in_seconds(5));
    let (mid, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "never"), deferred]).await;
    assert_eq!(code, 0);
    let outbox = a.folders[5];
    let abort = RopRequest::AbortSubmit(AbortSubmitRequest {
        logon_id: 0,
        input_handle_index: 1,
        folder_id: outbox,
        message_id: mid,
    });
    let (resp, _) = a.m.rops(&[req::open_folder(0, 1, outbox), abort, req::release(1)], a.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    tokio::time::sleep(Duration::from_secs(6)).await;
    let mut b = logon_private(&t.ts, &t.bob).await;
    let b_inbox = b.inbox();
    assert!(wait_for(&mut b, b_inbox, 0).await.is_empty());
}

/// Issue 17 ("the NDR comes after the server's 1-day maximum"): a recipient whose mailbox is
/// disabled is retried, not reported at once; PR_EXPIRY_TIME ends the retries and the sender
/// gets the NDR then (MAPI_DIAG_MAXIMUM_TIME_EXPIRED), long before `max-delivery-retry-time`.
#[tokio::test]
async fn an_undeliverable_message_is_reported_at_its_expiry_not_at_the_server_maximum() {
    let t = three().await;
    disable(&t, "bob");
    let mut a = logon_private(&t.ts, &t.alice).await;
    let started = Instant::now();
    let expiry = TaggedValue::new(PR_EXPIRY_TIME, in_seconds(6));
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "expires"), expiry]).await;
    assert_eq!(code, 0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let a_inbox = a.inbox();
    assert!(wait_for(&mut a, a_inbox, 0).await.is_empty(), "no report while it is still retried");
    let got = inbox(&mut a, 1).await;
    assert_eq!(got, vec![("REPORT.IPM.Note.NDR".into(), "Undeliverable: expires".into())]);
    let took = started.elapsed();
    // Not before its time; the upper bound only catches a deferral that waits for something
    // else (the retry schedule), with room for a loaded machine.
    assert!(took >= Duration::from_millis(5900) && took < Duration::from_secs(30), "{took:?}");
    let fid = a.inbox();
    let mids = wait_for(&mut a, fid, 1).await;
    let (_, n) = read(&mut a, fid, mids[0], &[PR_SUBJECT]).await;
    assert_eq!(n, 1, "the report lists the recipient");
}

/// Without an expiry on the message, `max-delivery-retry-time` ends the retries.
#[tokio::test]
async fn max_delivery_retry_time_ends_the_retries_of_a_message_without_expiry() {
    let t = three().await;
    t.ts.set("max-delivery-retry-time", "2s");
    disable(&t, "bob");
    let mut a = logon_private(&t.ts, &t.alice).await;
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "retried")]).await;
    assert_eq!(code, 0);
    let got = inbox(&mut a, 1).await;
    assert_eq!(got, vec![("REPORT.IPM.Note.NDR".into(), "Undeliverable: retried".into())]);
}

/// A recipient that comes back within the retry time gets the message, and no report is made.
#[tokio::test]
async fn a_recipient_enabled_again_within_the_retry_time_gets_the_message() {
    let t = three().await;
    disable(&t, "bob");
    let mut a = logon_private(&t.ts, &t.alice).await;
    let expiry = TaggedValue::new(PR_EXPIRY_TIME, in_seconds(30));
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "patience"), expiry]).await;
    assert_eq!(code, 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    t.ts.site(|d| d.directory().unwrap().set_enabled("bob", true).unwrap());
    let mut b = logon_private(&t.ts, &t.bob).await;
    assert_eq!(inbox(&mut b, 1).await, vec![("IPM.Note".into(), "patience".into())]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let a_inbox = a.inbox();
    assert!(wait_for(&mut a, a_inbox, 0).await.is_empty(), "no report");
}

/// MS-OXOMSG 2.2.1.20 PidTagOriginatorDeliveryReportRequested: the sender gets a
/// REPORT.IPM.Note.DR naming the recipients reached.
#[tokio::test]
async fn a_requested_delivery_report_comes_back() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let want = TaggedValue::new(PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED, PropValue::Bool(true));
    let (_, code) =
        send(&mut a, vec![(TO, ex(&t.bob)), (CC, ex(&t.carol))], vec![text(PR_SUBJECT, "dr"), want]).await;
    assert_eq!(code, 0);
    let got = inbox(&mut a, 1).await;
    assert_eq!(got, vec![("REPORT.IPM.Note.DR".into(), "Delivered: dr".into())]);
    let fid = a.inbox();
    let mids = wait_for(&mut a, fid, 1).await;
    let (v, n) = read(&mut a, fid, mids[0], &[PR_ORIGINAL_SUBJECT]).await;
    assert_eq!((s(&v[0]).as_str(), n), ("dr", 2));
    // Without the request, none.
    let (_, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "quiet")]).await;
    assert_eq!(code, 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(wait_for(&mut a, fid, 1).await.len(), 1);
}

/// A per-user receive quota (`oxmapi admin user quota carol --receive 1KB`) is announced at
/// carol's logon (PidTagProhibitReceiveQuota, MS-OXCSTOR 2.2.2.1.1.3) and refuses delivery: the
/// sender gets an NDR, carol nothing. Other users keep the site's quota.
#[tokio::test]
async fn a_per_user_receive_quota_refuses_delivery_with_an_ndr() {
    let t = three().await;
    t.ts.site(|d| {
        d.directory().unwrap().set_quotas("carol", None, Some(Quota::Kb(1)), Some(Quota::Kb(1))).unwrap()
    });
    let mut c = logon_private(&t.ts, &t.carol).await;
    let (resp, _) =
        c.m.rops(&[req::get_props(0, &[PR_PROHIBIT_RECEIVE_QUOTA, PR_STORAGE_QUOTA_LIMIT])], c.slots(0))
            .await;
    let v = props_of(&resp[0]);
    assert!(matches!(v[0], RowValue::Value(PropValue::I32(1))), "{v:?}");
    assert!(matches!(v[1], RowValue::Value(PropValue::I32(1))), "{v:?}");
    let mut a = logon_private(&t.ts, &t.alice).await;
    let body = text(PR_BODY, &"x".repeat(4096));
    let (_, code) =
        send(&mut a, vec![(TO, ex(&t.carol)), (TO, ex(&t.bob))], vec![text(PR_SUBJECT, "big"), body]).await;
    assert_eq!(code, 0);
    assert_eq!(inbox(&mut a, 1).await, vec![("REPORT.IPM.Note.NDR".into(), "Undeliverable: big".into())]);
    let mut b = logon_private(&t.ts, &t.bob).await;
    assert_eq!(inbox(&mut b, 1).await.len(), 1, "bob keeps the site's quota");
    let c_inbox = c.inbox();
    assert!(wait_for(&mut c, c_inbox, 0).await.is_empty());
}

/// A per-user send quota refuses RopSubmitMessage with ecQuotaExceeded (MS-OXCSTOR 2.2.2.1.1.4,
/// as gromox's rop_submitmessage checks it) at the user's next logon.
#[tokio::test]
async fn a_per_user_send_quota_refuses_the_submission() {
    let t = three().await;
    t.ts.site(|d| d.directory().unwrap().set_quotas("alice", Some(Quota::Kb(1)), None, None).unwrap());
    let mut a = logon_private(&t.ts, &t.alice).await;
    let body = text(PR_BODY, &"x".repeat(4096));
    let reqs = [
        req::create_message(0, 1, a.inbox(), false),
        req::set_props(1, vec![body]),
        req::save_message(1, 1, 0),
    ];
    let (resp, _) = a.m.rops(&reqs, a.slots(1)).await;
    assert_eq!(rv(&resp[2]), 0);
    let (mid, code) = send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "over")]).await;
    assert_eq!(code, codes::EC_QUOTA_EXCEEDED.0, "{code:#x}");
    assert_eq!(mid, ObjectId::ZERO);
}

/// Marks message `mid` of `fid` read with `read_flags` through RopSetMessageReadFlag on an
/// open message.
async fn mark_read(c: &mut Logon, fid: ObjectId, mid: ObjectId, read_flags: u8) {
    use oxmapi_wire::rop::oxcmsg::SetMessageReadFlagRequest;
    let reqs = [
        req::open_folder(0, 1, fid),
        req::open_message(0, 2, fid, mid, 0),
        RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
            logon_id: 0,
            response_handle_index: 1,
            input_handle_index: 2,
            read_flags,
            client_data: None,
        }),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    assert_eq!(rv(&resp[2]), 0, "{resp:?}");
}

/// MS-OXOMSG 2.2.1.29 PidTagReadReceiptRequested: the copy arrives with MSGFLAG_RN_PENDING; when
/// the recipient marks it read (RopSetMessageReadFlag, rfDefault) the sender gets one
/// REPORT.IPM.Note.IPNRN "Read: …", and reading it again sends no second one. With
/// rfSuppressReceipt (RopSetReadFlags, MS-OXCMSG 2.2.3.10.1) none is ever sent.
#[tokio::test]
async fn a_requested_read_receipt_comes_back_once_and_never_when_suppressed() {
    use oxmapi_core::consts::message_flags as mf;
    use oxmapi_wire::rop::oxcmsg::SetReadFlagsRequest;
    const RF_SUPPRESS_RECEIPT: u8 = 0x01;
    const RF_CLEAR_READ_FLAG: u8 = 0x04;
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let want = || TaggedValue::new(PR_READ_RECEIPT_REQUESTED, PropValue::Bool(true));
    send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "read me"), want()]).await;
    let mut b = logon_private(&t.ts, &t.bob).await;
    let b_inbox = b.inbox();
    let mids = wait_for(&mut b, b_inbox, 1).await;
    let (v, _) = read(&mut b, b_inbox, mids[0], &[PR_MESSAGE_FLAGS]).await;
    assert_eq!(int(&v[0]) as u32 & (mf::MSGFLAG_RN_PENDING | mf::MSGFLAG_READ), mf::MSGFLAG_RN_PENDING);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let a_inbox = a.inbox();
    assert!(wait_for(&mut a, a_inbox, 0).await.is_empty(), "no receipt before it is read");
    mark_read(&mut b, b_inbox, mids[0], 0).await;
    assert_eq!(inbox(&mut a, 1).await, vec![("REPORT.IPM.Note.IPNRN".into(), "Read: read me".into())]);
    mark_read(&mut b, b_inbox, mids[0], RF_CLEAR_READ_FLAG).await;
    mark_read(&mut b, b_inbox, mids[0], 0).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wait_for(&mut a, a_inbox, 1).await.len(), 1, "one receipt only");

    send(&mut a, vec![(TO, ex(&t.bob))], vec![text(PR_SUBJECT, "quietly"), want()]).await;
    let mids = wait_for(&mut b, b_inbox, 2).await;
    let suppress = RopRequest::SetReadFlags(SetReadFlagsRequest {
        logon_id: 0,
        input_handle_index: 1,
        want_asynchronous: 0,
        read_flags: RF_SUPPRESS_RECEIPT,
        message_ids: mids,
    });
    let (resp, _) = b.m.rops(&[req::open_folder(0, 1, b_inbox), suppress, req::release(1)], b.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(wait_for(&mut a, a_inbox, 1).await.len(), 1, "a suppressed receipt is not sent");
}
