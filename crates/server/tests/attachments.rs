//! Attachment and embedded-message ROPs over real HTTP (MS-OXCMSG 3.2.5.12–3.2.5.17):
//! create, save, open and delete attachments, the attachment table, embedded messages (the
//! OpenChange mapitest OPEN-EMBEDDED-MESSAGE case), and their failures.

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

const READ_ONLY: u8 = 0x00;
const READ_WRITE: u8 = 0x01;
const CREATE: u8 = 0x02;
const KEEP_OPEN_READ_WRITE: u8 = 0x02;
/// PR_ATTACH_METHOD afByValue / afEmbeddedMessage.
const AF_BY_VALUE: i32 = 1;
const AF_EMBEDDED_MESSAGE: i32 = 5;

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

fn create_attachment(input: u8, out: u8) -> RopRequest {
    RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
    })
}

fn open_attachment(input: u8, out: u8, id: u32, flags: u8) -> RopRequest {
    RopRequest::OpenAttachment(OpenAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        open_attachment_flags: flags,
        attachment_id: id,
    })
}

fn save_attachment(response: u8, input: u8) -> RopRequest {
    RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        save_flags: KEEP_OPEN_READ_WRITE,
    })
}

fn delete_attachment(input: u8, id: u32) -> RopRequest {
    RopRequest::DeleteAttachment(DeleteAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        attachment_id: id,
    })
}

fn attachment_table(input: u8, out: u8) -> RopRequest {
    RopRequest::GetAttachmentTable(GetAttachmentTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: 0x40,
    })
}

fn open_embedded(input: u8, out: u8, flags: u8) -> RopRequest {
    RopRequest::OpenEmbeddedMessage(OpenEmbeddedMessageRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        code_page_id: 0x0FFF,
        open_mode_flags: flags,
    })
}

fn attachment_id(r: &RopResponse) -> u32 {
    let RopResponse::CreateAttachment(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.as_ref().unwrap().attachment_id
}

/// (PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME) of each attachment-table row.
fn names(r: &RopResponse) -> Vec<(i32, String)> {
    rows_of(r)
        .iter()
        .map(|row| match (&row.values[0], &row.values[1]) {
            (RowValue::Value(PropValue::I32(n)), RowValue::Value(PropValue::Unicode(s))) => (*n, s.clone()),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn attachments_create_save_table_open_delete() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let file = |name: &str| {
        vec![
            text(PR_ATTACH_LONG_FILENAME, name),
            TaggedValue::new(PR_ATTACH_METHOD, PropValue::I32(AF_BY_VALUE)),
        ]
    };
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_message(1, 2, inbox, false),
        create_attachment(2, 3),
        req::set_props(3, file("a.txt")),
        save_attachment(2, 3),
        create_attachment(2, 4),
        req::set_props(4, file("b.pdf")),
        save_attachment(2, 4),
        // Not saved: never reaches the message.
        create_attachment(2, 5),
        attachment_table(2, 6),
        req::set_columns(6, &[PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME, PR_ATTACH_SIZE]),
        req::query_rows(6, 10, true),
        req::save_message(1, 2, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(6)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    assert_eq!((attachment_id(&resp[2]), attachment_id(&resp[5]), attachment_id(&resp[8])), (0, 1, 2));
    assert_eq!(resp[4].status().unwrap().0, 2, "SaveChangesAttachment names ResponseHandleIndex");
    assert_eq!(names(&resp[11]), vec![(0, "a.txt".into()), (1, "b.pdf".into())]);
    let RopResponse::SaveChangesMessage(o) = &resp[12] else { panic!() };
    let mid = o.body.as_ref().unwrap().message_id;

    // Reopen: open, fail on unknown numbers, delete one, save; the table follows.
    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_WRITE),
        req::get_props(1, &[PR_HASATTACH]),
        open_attachment(1, 2, 1, READ_ONLY),
        req::get_props(2, &[PR_ATTACH_LONG_FILENAME, PR_ATTACH_NUM]),
        open_attachment(1, 3, 7, READ_ONLY),
        delete_attachment(1, 9),
        attachment_table(1, 4),
        req::set_columns(4, &[PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME]),
        delete_attachment(1, 0),
        req::query_rows(4, 10, true),
        req::save_message(0, 1, KEEP_OPEN_READ_WRITE),
        // The attachment opened read-only cannot be saved.
        save_attachment(1, 2),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(4)).await;
    assert_eq!(props_of(&resp[1]), vec![RowValue::Value(PropValue::Bool(true))]);
    assert_eq!(rv(&resp[2]), 0);
    assert_eq!(
        props_of(&resp[3]),
        vec![RowValue::Value(PropValue::Unicode("b.pdf".into())), RowValue::Value(PropValue::I32(1))]
    );
    assert_eq!(rv(&resp[4]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(rv(&resp[5]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(names(&resp[9]), vec![(1, "b.pdf".into())], "the table shows the deletion at once");
    assert_eq!(rv(&resp[10]), 0);
    assert_eq!(rv(&resp[11]), codes::MAPI_E_NO_ACCESS.0);

    // Read-only message: no new attachment, no deletion, no read/write open.
    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_ONLY),
        create_attachment(1, 2),
        delete_attachment(1, 1),
        open_attachment(1, 2, 1, READ_WRITE),
        attachment_table(1, 3),
        req::set_columns(3, &[PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME]),
        req::query_rows(3, 10, true),
        create_attachment(0, 2),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(rv(&resp[3]), codes::MAPI_E_NO_ACCESS.0);
    assert_eq!(names(&resp[6]), vec![(1, "b.pdf".into())], "the save removed attachment 0 for good");
    assert_eq!(rv(&resp[7]), codes::EC_NULL_OBJECT.0, "CreateAttachment needs a message");
}

#[tokio::test]
async fn embedded_message_create_save_reopen() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let bob = vec![
        text(PR_ADDRTYPE, "SMTP"),
        text(PR_EMAIL_ADDRESS, "bob@example.test"),
        text(PR_DISPLAY_NAME, "Bob"),
    ];
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_message(1, 2, inbox, false),
        req::set_props(2, vec![text(PR_SUBJECT, "outer")]),
        create_attachment(2, 3),
        open_embedded(3, 4, READ_ONLY),
        open_embedded(3, 4, CREATE | READ_WRITE),
        req::set_props(4, vec![text(PR_SUBJECT, "FW: inner")]),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 4,
            recipient_columns: vec![],
            recipient_rows: vec![ModifyRecipientRow {
                row_id: 0,
                recipient_type: 1,
                recipient_row: Some(row_from_properties(&bob, &[])),
            }],
        }),
        req::save_message(3, 4, KEEP_OPEN_READ_WRITE),
        req::get_props(3, &[PR_ATTACH_METHOD]),
        save_attachment(2, 3),
        req::save_message(1, 2, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(4)).await;
    assert_eq!(rv(&resp[4]), codes::MAPI_E_NOT_FOUND.0, "no embedded message yet");
    let RopResponse::OpenEmbeddedMessage(o) = &resp[5] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0);
    let embedded_mid = o.body.as_ref().unwrap().message_id;
    assert_ne!(embedded_mid, ObjectId::ZERO);
    assert!(resp[6..].iter().all(|r| rv(r) == 0), "{resp:?}");
    let RopResponse::SaveChangesMessage(o) = &resp[8] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().message_id, embedded_mid);
    assert_eq!(props_of(&resp[9]), vec![RowValue::Value(PropValue::I32(AF_EMBEDDED_MESSAGE))]);
    let RopResponse::SaveChangesMessage(o) = &resp[11] else { panic!() };
    let mid = o.body.as_ref().unwrap().message_id;

    let reqs = [
        req::open_message(0, 1, inbox, mid, READ_ONLY),
        open_attachment(1, 2, 0, READ_ONLY),
        open_embedded(2, 3, READ_WRITE),
        open_embedded(2, 3, READ_ONLY),
        req::get_props(3, &[PR_SUBJECT, PR_DISPLAY_TO]),
        req::save_message(2, 3, KEEP_OPEN_READ_WRITE),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NO_ACCESS.0, "ReadWrite on a read-only attachment");
    let RopResponse::OpenEmbeddedMessage(o) = &resp[3] else { panic!("{resp:?}") };
    let body = o.body.as_ref().expect("OpenEmbeddedMessage body");
    assert_eq!(body.message_id, embedded_mid);
    assert_eq!(body.message.subject_prefix, TypedString::Unicode("FW: ".into()));
    assert_eq!(body.message.normalized_subject, TypedString::Unicode("inner".into()));
    assert_eq!(body.message.recipient_count, 1);
    let props =
        row_to_properties(&body.message.recipient_rows[0].recipient_row, &body.message.recipient_columns)
            .unwrap();
    assert!(props.contains(&text(PR_DISPLAY_NAME, "Bob")), "{props:?}");
    assert_eq!(
        props_of(&resp[4]),
        vec![
            RowValue::Value(PropValue::Unicode("FW: inner".into())),
            RowValue::Value(PropValue::Unicode("Bob".into())),
        ]
    );
    assert_eq!(rv(&resp[5]), codes::MAPI_E_NO_ACCESS.0);
}
