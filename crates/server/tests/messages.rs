//! Message and recipient ROPs over real HTTP (MS-OXCMSG 3.2.5): create, save, reopen and read
//! (the OpenChange mapitest CREATE-MESSAGE / SAVE-CHANGES-MESSAGE / MODIFY-RECIPIENTS /
//! READ-RECIPIENTS / REMOVE-ALL-RECIPIENTS / RELOAD-CACHED-INFORMATION /
//! SET-MESSAGE-READ-FLAGS / SET-READ-FLAGS cases), access and conflict failures, read flags.

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::recipients::{row_from_properties, row_to_properties};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// OpenModeFlags.
const READ_ONLY: u8 = 0x00;
const READ_WRITE: u8 = 0x01;
const BEST_ACCESS: u8 = 0x03;
/// SaveFlags.
const KEEP_OPEN_READ_ONLY: u8 = 0x01;
const KEEP_OPEN_READ_WRITE: u8 = 0x02;
const FORCE_SAVE: u8 = 0x04;
/// ReadFlags rfDefault / rfClearReadFlag.
const RF_DEFAULT: u8 = 0x00;
const RF_CLEAR_READ_FLAG: u8 = 0x04;
/// A recipient property outside the RecipientRow's fixed fields (PidTagAccount).
const PR_ACCOUNT: PropTag = PropTag(0x3A00_001F);

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

/// An SMTP recipient row over `columns`.
fn recipient(row_id: u32, kind: u8, name: &str, account: &str) -> ModifyRecipientRow {
    let props = vec![
        text(PR_ADDRTYPE, "SMTP"),
        text(PR_EMAIL_ADDRESS, &format!("{account}@example.test")),
        text(PR_DISPLAY_NAME, name),
        text(PR_ACCOUNT, account),
    ];
    ModifyRecipientRow {
        row_id,
        recipient_type: kind,
        recipient_row: Some(row_from_properties(&props, &[PR_ACCOUNT])),
    }
}

fn modify(input: u8, rows: Vec<ModifyRecipientRow>) -> RopRequest {
    RopRequest::ModifyRecipients(ModifyRecipientsRequest {
        logon_id: 0,
        input_handle_index: input,
        recipient_columns: vec![PR_ACCOUNT],
        recipient_rows: rows,
    })
}

fn read_recipients(input: u8, row_id: u32) -> RopRequest {
    RopRequest::ReadRecipients(ReadRecipientsRequest {
        logon_id: 0,
        input_handle_index: input,
        row_id,
        reserved: 0,
    })
}

/// (row id, display name, account) of each row of a RopReadRecipients response.
fn read_rows(r: &RopResponse) -> Vec<(u32, String, String)> {
    let RopResponse::ReadRecipients(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body
        .as_ref()
        .unwrap()
        .recipient_rows
        .iter()
        .map(|row| {
            let props = row_to_properties(&row.recipient_row, &[PR_ACCOUNT]).unwrap();
            let get = |t: PropTag| {
                props
                    .iter()
                    .find(|p| p.tag.id() == t.id())
                    .and_then(|p| p.value.as_text())
                    .unwrap()
                    .into_owned()
            };
            (row.row_id, get(PR_DISPLAY_NAME), get(PR_ACCOUNT))
        })
        .collect()
}

fn saved_mid(r: &RopResponse) -> ObjectId {
    let RopResponse::SaveChangesMessage(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.as_ref().unwrap().message_id
}

async fn setup() -> (TestServer, Logon) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let c = logon_private(&ts, &alice).await;
    (ts, c)
}

#[tokio::test]
async fn create_set_save_reopen_and_read() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_message(1, 2, inbox, false),
        req::set_props(
            2,
            vec![text(PR_SUBJECT, "RE: Grüße 日本"), TaggedValue::new(PR_IMPORTANCE, PropValue::I32(2))],
        ),
        modify(2, vec![recipient(0, 1, "Bob Bäcker", "bob"), recipient(1, 2, "Carol", "carol")]),
        req::save_message(1, 2, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let RopResponse::CreateMessage(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!(
        (o.return_value, o.body.as_ref().unwrap().message_id),
        (0, None),
        "HasMessageId 0 before the save"
    );
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let mid = saved_mid(&resp[4]);
    assert_eq!(resp[4].status().unwrap().0, 1, "the response names ResponseHandleIndex");

    // Reopen read-only through the logon (not the folder): subject parts and recipients.
    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_ONLY),
        req::get_props(1, &[PR_SUBJECT, PR_IMPORTANCE, PR_MID, PR_DISPLAY_TO, PR_DISPLAY_CC]),
        read_recipients(1, 0),
        read_recipients(1, 1),
        read_recipients(1, 2),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(1)).await;
    let RopResponse::OpenMessage(o) = &resp[0] else { panic!("{resp:?}") };
    let body = o.body.as_ref().expect("OpenMessage body");
    assert_eq!(body.subject_prefix, TypedString::Unicode("RE: ".into()));
    assert_eq!(body.normalized_subject, TypedString::Unicode("Grüße 日本".into()));
    assert_eq!((body.recipient_count, body.recipient_rows.len()), (2, 2));
    assert_eq!(body.recipient_columns, vec![PR_ACCOUNT]);
    assert_eq!(body.recipient_rows[1].recipient_type, 2);
    let first = row_to_properties(&body.recipient_rows[0].recipient_row, &body.recipient_columns).unwrap();
    assert!(first.contains(&text(PR_DISPLAY_NAME, "Bob Bäcker")), "{first:?}");
    assert!(first.contains(&text(PR_ACCOUNT, "bob")), "{first:?}");
    let v = props_of(&resp[1]);
    assert_eq!(v[0], RowValue::Value(PropValue::Unicode("RE: Grüße 日本".into())));
    assert_eq!(v[1], RowValue::Value(PropValue::I32(2)));
    assert_eq!(v[2], RowValue::Value(PropValue::I64(mid.to_u64() as i64)));
    assert_eq!(v[3], RowValue::Value(PropValue::Unicode("Bob Bäcker".into())));
    assert_eq!(v[4], RowValue::Value(PropValue::Unicode("Carol".into())));
    assert_eq!(
        read_rows(&resp[2]),
        vec![(0, "Bob Bäcker".into(), "bob".into()), (1, "Carol".into(), "carol".into())]
    );
    assert_eq!(read_rows(&resp[3]), vec![(1, "Carol".into(), "carol".into())]);
    assert_eq!(rv(&resp[4]), codes::MAPI_E_NOT_FOUND.0, "no recipient from row 2 on");
}

#[tokio::test]
async fn missing_objects_bad_handles_and_read_only() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "x")]).await;
    let missing = ObjectId::new(1, 0x7F_FFFF);
    let reqs = [
        req::open_message(0, 1, inbox, missing, READ_ONLY),
        req::open_message(0, 1, c.deleted_items(), mid, READ_ONLY),
        req::open_message(3, 1, inbox, mid, READ_ONLY),
        req::open_message(0, 1, inbox, mid, READ_ONLY),
        req::save_message(0, 1, KEEP_OPEN_READ_WRITE),
        modify(1, vec![recipient(0, 1, "Bob", "bob")]),
        RopRequest::RemoveAllRecipients(RemoveAllRecipientsRequest {
            logon_id: 0,
            input_handle_index: 1,
            reserved: 0,
        }),
        read_recipients(0, 0),
        req::save_message(0, 2, 0),
        read_recipients(1, 0),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    let codes: Vec<u32> = resp.iter().map(rv).collect();
    assert_eq!(
        codes,
        vec![
            codes::MAPI_E_NOT_FOUND.0,
            codes::MAPI_E_NOT_FOUND.0,
            codes::EC_NULL_OBJECT.0,
            0,
            codes::MAPI_E_NO_ACCESS.0,
            codes::MAPI_E_NO_ACCESS.0,
            codes::MAPI_E_NO_ACCESS.0,
            codes::EC_NULL_OBJECT.0,
            codes::EC_NULL_OBJECT.0,
            codes::MAPI_E_NOT_FOUND.0,
        ],
        "{resp:?}"
    );
    assert_eq!(resp[2].status().unwrap().0, 1, "a failed open echoes OutputHandleIndex");
}

#[tokio::test]
async fn concurrent_saves_conflict_until_force_save() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "v1")]).await;
    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_WRITE),
        req::open_message(0, 2, inbox, mid, BEST_ACCESS),
        req::set_props(1, vec![text(PR_SUBJECT, "first")]),
        req::save_message(0, 1, KEEP_OPEN_READ_WRITE),
        req::set_props(2, vec![text(PR_SUBJECT, "second")]),
        req::save_message(0, 2, KEEP_OPEN_READ_WRITE),
        req::save_message(0, 2, FORCE_SAVE),
        req::open_message(0, 3, inbox, mid, READ_ONLY),
        req::get_props(3, &[PR_SUBJECT]),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    assert_eq!(rv(&resp[3]), 0);
    assert_eq!(rv(&resp[5]), codes::MAPI_E_OBJECT_CHANGED.0, "ecObjectModified without ForceSave");
    assert_eq!(saved_mid(&resp[6]), mid);
    assert_eq!(props_of(&resp[8])[0], RowValue::Value(PropValue::Unicode("second".into())));
}

#[tokio::test]
async fn keep_open_read_only_and_reload_cached_information() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_message(1, 2, inbox, false),
        modify(
            2,
            vec![recipient(0, 1, "Bob", "bob"), recipient(1, 1, "Dan", "dan"), recipient(2, 3, "Eve", "eve")],
        ),
        RopRequest::ReloadCachedInformation(ReloadCachedInformationRequest {
            logon_id: 0,
            input_handle_index: 2,
            reserved: 0,
        }),
        // Row 1 without a RecipientRow: removed.
        modify(2, vec![ModifyRecipientRow { row_id: 1, recipient_type: 1, recipient_row: None }]),
        read_recipients(2, 0),
        req::save_message(1, 2, KEEP_OPEN_READ_ONLY),
        modify(2, vec![recipient(5, 1, "Zed", "zed")]),
        req::get_props(2, &[PR_DISPLAY_TO, PR_DISPLAY_BCC]),
    ];
    let (resp, h) = c.m.rops(&reqs, c.slots(2)).await;
    let RopResponse::ReloadCachedInformation(o) = &resp[3] else { panic!("{resp:?}") };
    let body = o.body.as_ref().unwrap();
    assert_eq!((body.recipient_count, body.recipient_rows.len()), (3, 3));
    assert_eq!(body.recipient_columns, vec![PR_ACCOUNT]);
    assert_eq!(read_rows(&resp[5]).iter().map(|r| r.0).collect::<Vec<_>>(), vec![0, 2]);
    let mid = saved_mid(&resp[6]);
    assert_eq!(rv(&resp[7]), codes::MAPI_E_NO_ACCESS.0, "KeepOpenReadOnly leaves the message read-only");
    let v = props_of(&resp[8]);
    assert_eq!(v[0], RowValue::Value(PropValue::Unicode("Bob".into())));
    assert_eq!(v[1], RowValue::Value(PropValue::Unicode("Eve".into())));
    // RemoveAllRecipients on a writable open, then save: the message has none.
    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_WRITE),
        RopRequest::RemoveAllRecipients(RemoveAllRecipientsRequest {
            logon_id: 0,
            input_handle_index: 1,
            reserved: 0,
        }),
        RopRequest::RemoveAllRecipients(RemoveAllRecipientsRequest {
            logon_id: 0,
            input_handle_index: 1,
            reserved: 0,
        }),
        req::save_message(0, 1, KEEP_OPEN_READ_WRITE),
        req::open_message(0, 2, inbox, mid, READ_ONLY),
        read_recipients(2, 0),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert!(resp[..4].iter().all(|r| rv(r) == 0), "{resp:?}");
    let RopResponse::OpenMessage(o) = &resp[4] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().recipient_count, 0);
    assert_eq!(rv(&resp[5]), codes::MAPI_E_NOT_FOUND.0, "ecNotFound for a message without recipients");
}

#[tokio::test]
async fn recipient_rows_fit_the_response_buffer() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let long = "N".repeat(300);
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_message(1, 2, inbox, false),
        modify(2, (0..4).map(|i| recipient(i, 1, &format!("{long}{i}"), "x")).collect()),
    ];
    let (_, h) = c.m.rops(&reqs, c.slots(2)).await;
    // ~620 bytes per row: a 1000-byte buffer holds one row, a 400-byte one none.
    let (resp, _) = c.m.rops_limited(&[read_recipients(2, 0)], h.clone(), 1000).await;
    assert_eq!(read_rows(&resp[0]).len(), 1);
    let (resp, _) = c.m.rops_limited(&[read_recipients(2, 2)], h.clone(), 400).await;
    assert_eq!(rv(&resp[0]), codes::EC_BUFFER_TOO_SMALL.0);
    let (resp, _) = c.m.rops(&[read_recipients(2, 1)], h).await;
    assert_eq!(read_rows(&resp[0]).iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2, 3]);
}

fn read_flag(input: u8, response: u8, flags: u8) -> RopRequest {
    RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        read_flags: flags,
        client_data: None,
    })
}

fn read_flags(input: u8, mids: Vec<ObjectId>, flags: u8) -> RopRequest {
    RopRequest::SetReadFlags(SetReadFlagsRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        read_flags: flags,
        message_ids: mids,
    })
}

fn changed(r: &RopResponse) -> u8 {
    let RopResponse::SetMessageReadFlag(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.as_ref().unwrap().read_status_changed
}

fn partial(r: &RopResponse) -> u8 {
    let RopResponse::SetReadFlags(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.as_ref().unwrap().partial_completion
}

#[tokio::test]
async fn read_flags_and_unread_count() {
    let (_ts, mut c) = setup().await;
    let inbox = c.inbox();
    let mut mids = Vec::new();
    for i in 0..3 {
        mids.push(new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, &format!("m{i}"))]).await);
    }
    let missing = ObjectId::new(1, 0x7F_FFFF);
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::get_props(1, &[PR_CONTENT_COUNT, PR_CONTENT_UNREAD]),
        read_flags(1, vec![mids[0], mids[1], missing], RF_CLEAR_READ_FLAG),
        req::get_props(1, &[PR_CONTENT_UNREAD]),
        req::open_message(0, 2, inbox, mids[0], READ_ONLY),
    ];
    let (resp, h) = c.m.rops(&reqs, c.slots(2)).await;
    // New messages are saved read (MS-OXCMSG 3.2.5.2: mfRead unless the client set the flags).
    assert_eq!(
        props_of(&resp[1]),
        vec![RowValue::Value(PropValue::I32(3)), RowValue::Value(PropValue::I32(0))]
    );
    assert_eq!(partial(&resp[2]), 1, "one MID is not in the folder");
    assert_eq!(props_of(&resp[3]), vec![RowValue::Value(PropValue::I32(2))]);
    // The RopSetMessageReadFlag response only reveals its length with the logon kind known, so
    // the driver decodes it last in its buffer.
    let (resp, _) = c.m.rops(&[read_flag(2, 1, RF_DEFAULT)], h.clone()).await;
    // The flag changes (PR_MESSAGE_FLAGS below), yet ReadStatusChanged is 0x00 in a private
    // mailbox: "the logon is not in public folder mode" (MS-OXCMSG 2.2.3.11.2, MS-OXCMSG_R1841).
    assert_eq!(changed(&resp[0]), 0, "ReadStatusChanged");
    assert_eq!(resp[0].status().unwrap().0, 1, "the response names ResponseHandleIndex");
    let (resp, _) = c.m.rops(&[read_flag(2, 1, RF_DEFAULT)], h.clone()).await;
    assert_eq!(changed(&resp[0]), 0, "already read");
    let reqs = [
        req::get_props(2, &[PR_MESSAGE_FLAGS]),
        req::get_props(1, &[PR_CONTENT_UNREAD]),
        read_flags(1, vec![], RF_DEFAULT),
        req::get_props(1, &[PR_CONTENT_UNREAD]),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    let RowValue::Value(PropValue::I32(flags)) = props_of(&resp[0])[0] else { panic!("{resp:?}") };
    assert_ne!(flags as u32 & oxmapi_core::consts::message_flags::MSGFLAG_READ, 0);
    assert_eq!(props_of(&resp[1]), vec![RowValue::Value(PropValue::I32(1))]);
    assert_eq!(partial(&resp[2]), 0);
    assert_eq!(
        props_of(&resp[3]),
        vec![RowValue::Value(PropValue::I32(0))],
        "an empty list marks every message"
    );
}

#[tokio::test]
async fn public_logon_read_flag_echoes_client_data() {
    use oxmapi_wire::rop::oxcstor::{LogonRequest, LogonResponse};
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    ts.site(|d| d.set_public_folders(true).unwrap());
    let mut m = Mapi::new(&ts, "alice").await;
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let logon = RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 0,
        open_flags: 0x0100_0006,
        store_state: 0,
        essdn: None,
    });
    let (resp, h) = m.rops(&[logon], vec![oxmapi_wire::rop::buffer::UNUSED_HANDLE; 3]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(LogonResponse::Public(p)) = &o.body else { panic!("{o:?}") };
    let ipm = p.folder_ids[1];
    // Messages live in a public folder the user created (and owns): the top of the public
    // folders takes only folders from a user who is not an administrator.
    let (resp, h) = m.rops(&[req::open_folder(0, 1, ipm), req::create_folder(1, 1, "Notes", false)], h).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let fid = o.body.as_ref().expect("created").folder_id;
    let reqs = [
        req::create_message(1, 2, fid, false),
        req::set_props(2, vec![text(PR_SUBJECT, "public")]),
        req::save_message(1, 2, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, h) = m.rops(&reqs, h).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let client_data = [7u8; 24];
    let flag = |flags| {
        RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
            logon_id: 0,
            response_handle_index: 1,
            input_handle_index: 2,
            read_flags: flags,
            client_data: Some(client_data),
        })
    };
    let (resp, h) = m.rops(&[flag(RF_CLEAR_READ_FLAG)], h).await;
    let RopResponse::SetMessageReadFlag(o) = &resp[0] else { panic!("{resp:?}") };
    let body = o.body.as_ref().unwrap();
    assert_eq!((body.read_status_changed, body.client_data), (1, Some((0, client_data))));
    let (resp, _) = m.rops(&[flag(RF_CLEAR_READ_FLAG)], h).await;
    let RopResponse::SetMessageReadFlag(o) = &resp[0] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().unwrap().read_status_changed, 0, "no change, no ClientData");
}
