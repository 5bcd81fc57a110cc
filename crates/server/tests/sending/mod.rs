//! What the submission tests share (`submit.rs`, `send_rights.rs`, `mail_flow.rs`): recipients
//! in their three address forms, creating and submitting a message in one Execute, reading a
//! delivered message, and a server with three users.
#![allow(dead_code)]

use std::time::Duration;

use super::common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::{EntryId, OneOffEntryId};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
use oxmapi_wire::rop::oxomsg::*;
use oxmapi_wire::rop::recipients::row_from_properties;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

pub const TO: u8 = 1;
pub const CC: u8 = 2;
pub const BCC: u8 = 3;
/// How long a test waits for the worker.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

pub fn smtp(addr: &str) -> Vec<TaggedValue> {
    vec![text(PR_DISPLAY_NAME, addr), text(PR_ADDRTYPE, "SMTP"), text(PR_EMAIL_ADDRESS, addr)]
}

pub fn ex(u: &User) -> Vec<TaggedValue> {
    vec![
        text(PR_DISPLAY_NAME, &u.display_name),
        text(PR_ADDRTYPE, "EX"),
        text(PR_EMAIL_ADDRESS, &u.legacy_dn),
    ]
}

pub fn one_off(u: &User) -> Vec<TaggedValue> {
    let eid = EntryId::OneOff(OneOffEntryId::new(&u.display_name, "SMTP", &u.smtp_address)).to_bytes();
    vec![text(PR_DISPLAY_NAME, &u.display_name), TaggedValue::new(PR_ENTRYID, PropValue::Binary(eid))]
}

pub fn handle_req(input: u8) -> TransportHandleRequest {
    TransportHandleRequest { logon_id: 0, input_handle_index: input }
}

/// Creates a message in the Outbox with `props` and `recipients` and submits it in one Execute;
/// returns its MID and the RopSubmitMessage ReturnValue.
pub async fn send(
    c: &mut Logon,
    recipients: Vec<(u8, Vec<TaggedValue>)>,
    props: Vec<TaggedValue>,
) -> (ObjectId, u32) {
    let outbox = c.folders[5];
    let rows = recipients
        .into_iter()
        .enumerate()
        .map(|(i, (ty, p))| ModifyRecipientRow {
            row_id: i as u32,
            recipient_type: ty,
            recipient_row: Some(row_from_properties(&p, &[PR_ENTRYID])),
        })
        .collect();
    let reqs = [
        req::open_folder(0, 1, outbox),
        req::create_message(1, 2, outbox, false),
        req::set_props(2, props),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 2,
            recipient_columns: vec![PR_ENTRYID],
            recipient_rows: rows,
        }),
        RopRequest::SubmitMessage(SubmitMessageRequest {
            logon_id: 0,
            input_handle_index: 2,
            submit_flags: 0,
        }),
        req::get_props(2, &[PR_MID]),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for r in &resp[..4] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    let code = rv(&resp[4]);
    let mid = match props_of(&resp[5])[0] {
        RowValue::Value(PropValue::I64(v)) => ObjectId::from_u64(v as u64),
        _ => ObjectId::ZERO, // refused before the first save
    };
    (mid, code)
}

/// Opens message `mid` of `fid` read-only and reads `tags`; also the recipient count.
pub async fn read(c: &mut Logon, fid: ObjectId, mid: ObjectId, tags: &[PropTag]) -> (Vec<RowValue>, u16) {
    let reqs = [req::open_message(0, 1, fid, mid, 0), req::get_props(1, tags), req::release(1)];
    let (resp, _) = c.m.rops(&reqs, c.slots(1)).await;
    let RopResponse::OpenMessage(o) = &resp[0] else { panic!("{resp:?}") };
    let count = o.body.as_ref().expect("opened").recipient_count;
    (props_of(&resp[1]), count)
}

pub fn s(v: &RowValue) -> String {
    match v {
        RowValue::Value(v) => v.as_text().map(|t| t.into_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn int(v: &RowValue) -> i64 {
    match v {
        RowValue::Value(v) => v.as_i64().unwrap_or_else(|| panic!("{v:?}")),
        v => panic!("{v:?}"),
    }
}

pub struct Three {
    pub ts: TestServer,
    pub alice: User,
    pub bob: User,
    pub carol: User,
}

pub async fn three() -> Three {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    let carol = ts.add_user("carol", false);
    Three { ts, alice, bob, carol }
}
