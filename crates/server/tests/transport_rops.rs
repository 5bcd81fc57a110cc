//! The client-spooler and transport ROPs over real HTTP with raw oxmapi-wire (MS-OXOMSG 2.2.4.4,
//! 2.2.5.1–2.2.5.3; MS-OXCROPS 2.2.7.4–2.2.7.6, 2.2.7.9): RopSetSpooler, RopSpoolerLockMessage,
//! RopTransportSend and RopOptionsData. RopTransportSend runs RopSubmitMessage's submission path,
//! so it is held to the same send rights (MS-OXOMSG 3.2.5.1, ecSendAsDenied), as gromox's
//! rop_transportsend is to rop_submitmessage's checks (exch/emsmdb/oxomsg.cpp).

mod common;
mod sending;

use std::time::Duration;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
use oxmapi_wire::rop::oxomsg::*;
use oxmapi_wire::rop::recipients::row_from_properties;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use sending::*;

/// The requests that create a message in the Outbox with `props` and one To recipient
/// `recipient` in slot 2 (the Outbox open in slot 1), then run `last` on it.
fn compose(
    c: &Logon,
    recipient: Vec<TaggedValue>,
    props: Vec<TaggedValue>,
    last: RopRequest,
) -> Vec<RopRequest> {
    let outbox = c.folders[5];
    vec![
        req::open_folder(0, 1, outbox),
        req::create_message(1, 2, outbox, false),
        req::set_props(2, props),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 2,
            recipient_columns: vec![PR_ENTRYID],
            recipient_rows: vec![ModifyRecipientRow {
                row_id: 0,
                recipient_type: TO,
                recipient_row: Some(row_from_properties(&recipient, &[PR_ENTRYID])),
            }],
        }),
        last,
        req::get_props(2, &[PR_MID]),
        req::release(2),
        req::release(1),
    ]
}

fn transport_send(input: u8) -> RopRequest {
    RopRequest::TransportSend(handle_req(input))
}

fn lock(mid: ObjectId, state: u8) -> RopRequest {
    RopRequest::SpoolerLockMessage(SpoolerLockMessageRequest {
        logon_id: 0,
        input_handle_index: 0,
        message_id: mid,
        lock_state: state,
    })
}

fn options(address_type: &str) -> RopRequest {
    RopRequest::OptionsData(OptionsDataRequest {
        logon_id: 0,
        input_handle_index: 0,
        address_type: address_type.into(),
        want_win32: 1,
    })
}

/// RopSetSpooler succeeds on a private logon (MS-OXCROPS suite S05_TC05) and is ecNotSupported
/// on a public folders logon, which has no outgoing queue (gromox rop_setspooler); a handle slot
/// holding no object is ecNullObject-like (the ROP fails, the session goes on).
#[tokio::test]
async fn set_spooler_is_for_mailbox_logons_only() {
    let t = three().await;
    let mut alice = logon_private(&t.ts, &t.alice).await;
    let (resp, _) = alice.m.rops(&[RopRequest::SetSpooler(handle_req(0))], alice.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let (resp, _) = alice.m.rops(&[RopRequest::SetSpooler(handle_req(1))], alice.slots(1)).await;
    assert_ne!(rv(&resp[0]), 0, "an empty slot: {resp:?}");
    t.ts.site(|d| d.set_public_folders(true).unwrap());
    let mut public = logon_public(&t.ts, &t.alice).await;
    let (resp, _) = public.m.rops(&[RopRequest::SetSpooler(handle_req(0))], public.slots(0)).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_NO_SUPPORT.0, "{resp:?}");
}

/// RopSpoolerLockMessage on a message that is not in the spooler queue — saved in the Outbox but
/// never submitted, an unknown MID, a message of another mailbox's numbering — is
/// MAPI_E_NOT_IN_QUEUE for every LockState; a queued (deferred) message can be locked, unlocked
/// and finished, and stays queued (the server sends it); an unknown LockState is
/// ecInvalidParam.
#[tokio::test]
async fn spooler_lock_of_a_message_not_in_the_queue_is_refused() {
    let t = three().await;
    let mut alice = logon_private(&t.ts, &t.alice).await;
    let outbox = alice.folders[5];
    let unsent = new_message(&mut alice, outbox, false, vec![text(PR_SUBJECT, "draft")]).await;
    for state in [0u8, 1, 2] {
        for mid in [unsent, ObjectId::new(1, 0xFFFF_FFFF), ObjectId::new(7, 1)] {
            let (resp, _) = alice.m.rops(&[lock(mid, state)], alice.slots(0)).await;
            assert_eq!(rv(&resp[0]), codes::MAPI_E_NOT_IN_QUEUE.0, "{mid} {state}: {resp:?}");
        }
    }
    // Deferred by a day: queued, not sent.
    let later = FileTime(FileTime::now().0 + 864_000_000_000);
    let props = vec![
        text(PR_SUBJECT, "later"),
        TaggedValue::new(PR_DEFERRED_DELIVERY_TIME, PropValue::SysTime(later)),
    ];
    let submit = RopRequest::SubmitMessage(SubmitMessageRequest {
        logon_id: 0,
        input_handle_index: 2,
        submit_flags: 0,
    });
    let (resp, _) = alice.m.rops(&compose(&alice, ex(&t.carol), props, submit), alice.slots(2)).await;
    assert_eq!(rv(&resp[4]), 0, "{resp:?}");
    let RowValue::Value(PropValue::I64(mid)) = props_of(&resp[5])[0] else { panic!("{resp:?}") };
    let queued = ObjectId::from_u64(mid as u64);
    let (resp, _) = alice.m.rops(&[lock(queued, 0), lock(queued, 1), lock(queued, 2)], alice.slots(0)).await;
    assert_eq!(resp.iter().map(rv).collect::<Vec<_>>(), vec![0, 0, 0], "{resp:?}");
    let (resp, _) = alice.m.rops(&[lock(queued, 3)], alice.slots(0)).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_INVALID_PARAMETER.0);
    // Still queued: RopAbortSubmit takes it back.
    let abort = RopRequest::AbortSubmit(AbortSubmitRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: outbox,
        message_id: queued,
    });
    let (resp, _) = alice.m.rops(&[abort], alice.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
}

/// RopTransportSend sends the message through the submission path and answers the sender
/// properties it stamped (NoPropertiesReturned 0): the recipient receives it.
#[tokio::test]
async fn transport_send_sends_and_answers_the_sender() {
    let t = three().await;
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let reqs = compose(&bob, ex(&t.carol), vec![text(PR_SUBJECT, "by transport")], transport_send(2));
    let (resp, _) = bob.m.rops(&reqs, bob.slots(2)).await;
    let RopResponse::TransportSend(o) = &resp[4] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0, "{resp:?}");
    let values = o.body.as_ref().and_then(|b| b.property_values.clone()).expect("properties");
    let name = values.iter().find(|v| v.tag.id() == PR_SENDER_NAME.id()).expect("PR_SENDER_NAME");
    assert_eq!(name.value.as_text().unwrap(), t.bob.display_name.as_str());
    assert!(values.iter().any(|v| v.tag == PR_CLIENT_SUBMIT_TIME), "{values:?}");
    let mut carol = logon_private(&t.ts, &t.carol).await;
    let inbox = carol.inbox();
    let got = wait_for(&mut carol, inbox, 1).await;
    let (v, _) = read(&mut carol, inbox, got[0], &[PR_SUBJECT, PR_SENDER_SMTP_ADDRESS]).await;
    assert_eq!((s(&v[0]), s(&v[1])), ("by transport".to_string(), t.bob.smtp_address.clone()));
}

/// A TransportSend with a forged PR_SENT_REPRESENTING_* (bob writing as alice, without a right)
/// is ecSendAsDenied and nothing is queued or delivered: it does not bypass RopSubmitMessage's
/// send-as / on-behalf check.
#[tokio::test]
async fn transport_send_with_a_forged_sent_representing_is_refused() {
    let t = three().await;
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let forged = vec![
        text(PR_SENT_REPRESENTING_EMAIL_ADDRESS, &t.alice.smtp_address),
        text(PR_SENT_REPRESENTING_NAME, &t.alice.display_name),
        text(PR_SUBJECT, "spoof"),
    ];
    let (resp, _) = bob.m.rops(&compose(&bob, ex(&t.carol), forged, transport_send(2)), bob.slots(2)).await;
    assert_eq!(rv(&resp[4]), codes::EC_SEND_AS_DENIED.0, "{resp:?}");
    let (resp, _) = bob
        .m
        .rops(&compose(&bob, ex(&t.carol), vec![text(PR_SUBJECT, "honest")], transport_send(2)), bob.slots(2))
        .await;
    assert_eq!(rv(&resp[4]), 0, "{resp:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut carol = logon_private(&t.ts, &t.carol).await;
    let inbox = carol.inbox();
    let got = wait_for(&mut carol, inbox, 1).await;
    assert_eq!(got.len(), 1, "only the honest one arrives");
    let (v, _) = read(&mut carol, inbox, got[0], &[PR_SUBJECT]).await;
    assert_eq!(s(&v[0]), "honest");
}

/// RopTransportSend on an object that is not a message (the logon, a folder) or on an empty
/// slot fails without sending anything; on a message without recipients it is
/// MAPI_E_NO_RECIPIENTS, as RopSubmitMessage.
#[tokio::test]
async fn transport_send_on_a_wrong_object_is_refused() {
    let t = three().await;
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let outbox = bob.folders[5];
    let reqs = [
        transport_send(0),
        req::open_folder(0, 1, outbox),
        transport_send(1),
        transport_send(2),
        req::create_message(1, 2, outbox, false),
        transport_send(2),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = bob.m.rops(&reqs, bob.slots(2)).await;
    assert_ne!(rv(&resp[0]), 0, "the logon: {resp:?}");
    assert_ne!(rv(&resp[2]), 0, "a folder: {resp:?}");
    assert_ne!(rv(&resp[3]), 0, "an empty slot: {resp:?}");
    assert_eq!(rv(&resp[5]), codes::MAPI_E_NO_RECIPIENTS.0, "{resp:?}");
}

/// RopOptionsData answers the address types the server delivers to (EX, SMTP; any case) with
/// Reserved 0x01 and no options or help file (HelpFileName absent, MS-OXCROPS R2589), and
/// ecNotFound for one it does not.
#[tokio::test]
async fn options_data_answers_supported_address_types_only() {
    let t = three().await;
    let mut alice = logon_private(&t.ts, &t.alice).await;
    let (resp, _) =
        alice.m.rops(&[options("EX"), options("smtp"), options("X400"), options("")], alice.slots(0)).await;
    for r in &resp[..2] {
        let RopResponse::OptionsData(o) = r else { panic!("{resp:?}") };
        assert_eq!(o.return_value, 0, "{resp:?}");
        let b = o.body.as_ref().unwrap();
        assert_eq!(
            (b.reserved, b.options_info.len(), b.help_file.len(), b.help_file_name.clone()),
            (1, 0, 0, None)
        );
    }
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(rv(&resp[3]), codes::MAPI_E_NOT_FOUND.0);
}

/// RopTransportSend is held to the limits RopSubmitMessage is (MS-OXCSTOR 2.2.2.1.1): over the
/// send quota ecQuotaExceeded, over the submission size limit ecMaxSubmissionExceeded, nothing
/// sent.
#[tokio::test]
async fn transport_send_does_not_bypass_the_send_quota_or_the_size_limit() {
    let t = three().await;
    t.ts.set("prohibit-send-quota-kb", "0");
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let reqs = compose(&bob, ex(&t.carol), vec![text(PR_SUBJECT, "over quota")], transport_send(2));
    let (resp, _) = bob.m.rops(&reqs, bob.slots(2)).await;
    assert_eq!(rv(&resp[4]), codes::EC_QUOTA_EXCEEDED.0, "{resp:?}");
    t.ts.set("prohibit-send-quota-kb", "unlimited");
    t.ts.set("max-submit-message-size-kb", "1");
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let big = vec![text(PR_SUBJECT, "too big"), text(PR_BODY, &"x".repeat(4096))];
    let (resp, _) = bob.m.rops(&compose(&bob, ex(&t.carol), big, transport_send(2)), bob.slots(2)).await;
    assert_eq!(rv(&resp[4]), codes::EC_MAX_SUBMISSION_EXCEEDED.0, "{resp:?}");
    let mut carol = logon_private(&t.ts, &t.carol).await;
    let inbox = carol.inbox();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(wait_for(&mut carol, inbox, 0).await.is_empty(), "nothing was sent");
}

/// A message sent by RopTransportSend with PR_DELETE_AFTER_SUBMIT leaves no copy in the Outbox or
/// Sent Items once delivered (MS-OXOMSG 2.2.3.4), as one sent by RopSubmitMessage.
#[tokio::test]
async fn transport_send_honours_delete_after_submit() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let del = TaggedValue::new(PR_DELETE_AFTER_SUBMIT, PropValue::Bool(true));
    let reqs = compose(&a, ex(&t.bob), vec![text(PR_SUBJECT, "gone"), del], transport_send(2));
    let (resp, _) = a.m.rops(&reqs, a.slots(2)).await;
    assert_eq!(rv(&resp[4]), 0, "{resp:?}");
    let mut b = logon_private(&t.ts, &t.bob).await;
    let inbox = b.inbox();
    wait_for(&mut b, inbox, 1).await;
    let (sent, outbox) = (a.folders[6], a.folders[5]);
    assert!(wait_for(&mut a, sent, 0).await.is_empty());
    assert!(wait_for(&mut a, outbox, 0).await.is_empty());
}

/// Microsoft's MS-OXCROPS suite S05_TC07 step by step: a message created in the folder
/// RopGetTransportFolder names, its recipients set, saved with ForceSave, then RopTransportSend
/// on the message succeeds; on a slot that holds no object it is ecNullObject (0x000004B9,
/// MS-OXCROPS_R457302).
#[tokio::test]
async fn transport_send_as_microsofts_suite_sends_it() {
    let t = three().await;
    let mut a = logon_private(&t.ts, &t.alice).await;
    let (resp, _) = a.m.rops(&[RopRequest::GetTransportFolder(handle_req(0))], a.slots(0)).await;
    let RopResponse::GetTransportFolder(o) = &resp[0] else { panic!("{resp:?}") };
    let folder = o.body.as_ref().expect("the transport folder").folder_id;
    let reqs = [
        req::create_message(0, 1, folder, false),
        req::set_props(1, vec![text(PR_SUBJECT, "S05_TC07")]),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 1,
            recipient_columns: vec![PR_ENTRYID],
            recipient_rows: vec![ModifyRecipientRow {
                row_id: 0,
                recipient_type: TO,
                recipient_row: Some(row_from_properties(&ex(&t.bob), &[PR_ENTRYID])),
            }],
        }),
        req::save_message(1, 1, 0x04),
        transport_send(1),
        transport_send(2),
    ];
    let (resp, _) = a.m.rops(&reqs, a.slots(2)).await;
    assert_eq!(resp[..5].iter().map(rv).collect::<Vec<_>>(), vec![0; 5], "{resp:?}");
    assert_eq!(rv(&resp[5]), codes::EC_NULL_OBJECT.0, "{resp:?}");
    let mut b = logon_private(&t.ts, &t.bob).await;
    let inbox = b.inbox();
    let got = wait_for(&mut b, inbox, 1).await;
    let (v, _) = read(&mut b, inbox, got[0], &[PR_SUBJECT]).await;
    assert_eq!(s(&v[0]), "S05_TC07");
}
