//! RopSaveChangesMessage followed by RopSubmitMessage in one ROP buffer (how IMessage::
//! SubmitMessage goes on the wire, MS-OXOMSG 3.2.5.1 and MS-OXCMSG 2.2.3.3): the server commits
//! both in one transaction and answers both exactly as it would one after the other — the
//! save's MID, then the submission — and falls back to running them one by one whenever the
//! pair is not a plain save and a successful submission (KeepOpenReadOnly makes the submission
//! ecAccessDenied, no recipients keeps the save and refuses the submission).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
use oxmapi_wire::rop::oxomsg::SubmitMessageRequest;
use oxmapi_wire::rop::recipients::row_from_properties;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// RopSaveChangesMessage SaveFlags (MS-OXCMSG 2.2.3.3.1).
const KEEP_OPEN_READ_ONLY: u8 = 0x01;
const KEEP_OPEN_READ_WRITE: u8 = 0x02;

fn text(tag: oxmapi_core::tag::PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

fn to(u: &User) -> ModifyRecipientRow {
    let props = [
        text(PR_DISPLAY_NAME, &u.display_name),
        text(PR_ADDRTYPE, "EX"),
        text(PR_EMAIL_ADDRESS, &u.legacy_dn),
    ];
    ModifyRecipientRow {
        row_id: 0,
        recipient_type: 1,
        recipient_row: Some(row_from_properties(&props, &[PR_ENTRYID])),
    }
}

/// Creates a message in the Outbox with `subject` and `recipients`, then sends
/// RopSaveChangesMessage (`save_flags`) and RopSubmitMessage in the same buffer, then reads
/// PR_MID and PR_MESSAGE_FLAGS. Returns the save's ReturnValue and MID, the submission's
/// ReturnValue, and the properties read.
async fn save_and_submit(
    c: &mut Logon,
    subject: &str,
    recipients: Vec<ModifyRecipientRow>,
    save_flags: u8,
) -> (u32, ObjectId, u32, Vec<RowValue>) {
    let outbox = c.folders[5];
    let reqs = [
        req::open_folder(0, 1, outbox),
        req::create_message(1, 2, outbox, false),
        req::set_props(2, vec![text(PR_SUBJECT, subject)]),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 2,
            recipient_columns: vec![PR_ENTRYID],
            recipient_rows: recipients,
        }),
        req::save_message(1, 2, save_flags),
        RopRequest::SubmitMessage(SubmitMessageRequest {
            logon_id: 0,
            input_handle_index: 2,
            submit_flags: 0,
        }),
        req::get_props(2, &[PR_MID, PR_MESSAGE_FLAGS]),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for r in &resp[..4] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    let RopResponse::SaveChangesMessage(saved) = &resp[4] else { panic!("{resp:?}") };
    // The save answers on the folder's slot, names the message's slot, and carries the MID
    // (MS-OXCROPS 2.2.6.3.2).
    assert_eq!(saved.handle_index, 1, "{saved:?}");
    let mid = saved.body.as_ref().map(|b| {
        assert_eq!(b.input_handle_index, 2);
        b.message_id
    });
    let RopResponse::SubmitMessage(submitted) = &resp[5] else { panic!("{resp:?}") };
    assert_eq!(submitted.handle_index, 2, "{submitted:?}");
    (rv(&resp[4]), mid.unwrap_or(ObjectId::ZERO), rv(&resp[5]), props_of(&resp[6]))
}

fn int(v: &RowValue) -> i64 {
    match v {
        RowValue::Value(v) => v.as_i64().unwrap_or_else(|| panic!("{v:?}")),
        v => panic!("{v:?}"),
    }
}

#[tokio::test]
async fn save_then_submit_in_one_buffer_answers_both_and_delivers_once() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    let mut a = logon_private(&ts, &alice).await;
    let (saved, mid, submitted, props) =
        save_and_submit(&mut a, "paired", vec![to(&bob)], KEEP_OPEN_READ_WRITE).await;
    assert_eq!((saved, submitted), (0, 0));
    assert_ne!(mid, ObjectId::ZERO);
    assert_eq!(ObjectId::from_u64(int(&props[0]) as u64), mid, "the save's MID is the message's");
    let flags = int(&props[1]) as u32;
    assert_ne!(flags & mf::MSGFLAG_SUBMITTED, 0, "{flags:#x}");

    let mut b = logon_private(&ts, &bob).await;
    let inbox = b.inbox();
    assert_eq!(wait_for(&mut b, inbox, 1).await.len(), 1);
    let sent = a.folders[6];
    assert_eq!(wait_for(&mut a, sent, 1).await, vec![mid], "the original moved to Sent Items");
    let outbox = a.folders[5];
    assert!(wait_for(&mut a, outbox, 0).await.is_empty());
    // Still exactly one copy a while later: the pair was queued once.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(wait_for(&mut b, inbox, 1).await.len(), 1);
}

#[tokio::test]
async fn keep_open_read_only_makes_the_submission_access_denied_as_one_by_one() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    let mut a = logon_private(&ts, &alice).await;
    let (saved, mid, submitted, props) =
        save_and_submit(&mut a, "read-only", vec![to(&bob)], KEEP_OPEN_READ_ONLY).await;
    assert_eq!(saved, 0);
    assert_eq!(submitted, codes::MAPI_E_NO_ACCESS.0, "{submitted:#x}");
    assert_eq!(ObjectId::from_u64(int(&props[0]) as u64), mid);
    assert_eq!(int(&props[1]) as u32 & mf::MSGFLAG_SUBMITTED, 0);
    let outbox = a.folders[5];
    assert_eq!(wait_for(&mut a, outbox, 1).await, vec![mid], "saved, not sent");
}

#[tokio::test]
async fn no_recipients_keeps_the_save_and_refuses_the_submission() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut a = logon_private(&ts, &alice).await;
    let (saved, mid, submitted, props) =
        save_and_submit(&mut a, "nobody", Vec::new(), KEEP_OPEN_READ_WRITE).await;
    assert_eq!(saved, 0);
    assert_eq!(submitted, codes::MAPI_E_NO_RECIPIENTS.0, "{submitted:#x}");
    assert_eq!(ObjectId::from_u64(int(&props[0]) as u64), mid);
    assert_eq!(int(&props[1]) as u32 & mf::MSGFLAG_SUBMITTED, 0);
    let outbox = a.folders[5];
    assert_eq!(wait_for(&mut a, outbox, 1).await, vec![mid], "the save happened");
}
