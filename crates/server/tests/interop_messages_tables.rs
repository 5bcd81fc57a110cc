//! MS-OXCMSG, MS-OXCTABL and MS-OXCPRPT server behaviours checked against Microsoft's Exchange
//! protocol test suites (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCMSG, MS-OXCTABL,
//! MS-OXCPRPT), the specifications and gromox: each test names its source; where the bytes
//! matter the response is read raw.

mod common;
mod suite_support;

use common::*;
use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_SUBJECT};
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder};
use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::oxcmsg::SetMessageReadFlagRequest;
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use suite_support::*;

/// MSOXCMSG_S03_TC05_RopSetMessageReadFlagsNotInPublicFolderMode (MS-OXCMSG_R1841): in a private
/// mailbox ReadStatusChanged is 0x00 even when the flag changes (MS-OXCMSG_R835), so the
/// response is RopId 0x11, ResponseHandleIndex, ReturnValue, ReadStatusChanged with no LogonId
/// or ClientData (MS-OXCROPS 2.2.6.11.2, MS-OXCROPS_R2110) and the next response starts right
/// after it.
#[tokio::test]
async fn set_message_read_flag_in_a_private_mailbox() {
    const RF_CLEAR_READ_FLAG: u8 = 0x04;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "read me")]).await;
    let reqs = [
        req::open_message(0, 1, inbox, mid, 0x01),
        RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
            logon_id: 0,
            response_handle_index: 0,
            input_handle_index: 1,
            read_flags: RF_CLEAR_READ_FLAG,
            client_data: None,
        }),
        RopRequest::GetStoreState(GetStoreStateRequest { logon_id: 0, input_handle_index: 0 }),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let at = bytes.windows(6).position(|w| w == head(0x11, 0, 0)).expect("RopSetMessageReadFlag");
    assert_eq!(bytes[at + 6], 0x00, "ReadStatusChanged");
    assert_eq!(bytes[at + 7], 0x7B, "RopGetStoreState follows at once");
}

/// MS-OXCTABL 3.2.5.3: "When this ROP [RopSortTable] is sent, the server MUST invalidate all
/// current bookmarks of the table"; RopRestrict and RopResetTable do the same, and a later
/// RopSeekRowBookmark or RopFindRow with such a bookmark answers ecInvalidBookmark
/// (0x80040405; MS-OXCTABL 3.2.5.8, 3.2.5.14; test suite S03_BookmarkRops_SeekRowBookmarkAfterInvalidBookmark).
/// MS-OXCTABL 3.2.5.17: RopAbort with no asynchronous operation in progress is ecUnableToAbort
/// (0x80040114). MS-OXCTABL 3.2.5.15 / 3.1.5: RopResetTable removes the column set, so a
/// RopQueryRows before the next RopSetColumns is ecNullObject (0x000004B9), as on a new table.
#[tokio::test]
async fn bookmarks_abort_and_reset_table() {
    const EC_INVALID_BOOKMARK: u32 = 0x8004_0405;
    const EC_UNABLE_TO_ABORT: u32 = 0x8004_0114;
    const EC_NULL_OBJECT: u32 = 0x0000_04B9;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    for s in ["a", "b", "c"] {
        new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, s)]).await;
    }
    let open = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0x10),
        req::set_columns(2, &[PR_SUBJECT]),
        req::seek_row(2, 0, 1),
        RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let bookmark = |r: &RopResponse| match r {
        RopResponse::CreateBookmark(o) => o.body.as_ref().unwrap().bookmark.clone(),
        _ => panic!("{r:?}"),
    };
    let seek = |b: Vec<u8>| {
        RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
            logon_id: 0,
            input_handle_index: 2,
            bookmark: b,
            row_count: 0,
            want_row_moved_count: 1,
        })
    };
    let find = |b: Vec<u8>| {
        let r = Restriction::Exist { prop_tag: PR_SUBJECT };
        req::find_row(2, r, 0x03, false, b)
    };
    let by_subject = vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Descend }];
    let no_subject =
        Restriction::Property { relop: RelOp::Ne, prop_tag: PR_SUBJECT, value: text(PR_SUBJECT, "zzz") };
    let changes: [(&str, RopRequest); 3] = [
        ("RopSortTable", req::sort(2, by_subject)),
        ("RopRestrict", req::restrict(2, Some(no_subject))),
        ("RopResetTable", RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: 2 })),
    ];
    for (name, change) in changes {
        let (resp, h) = c.m.rops(&open, c.slots(2)).await;
        let b = bookmark(&resp[4]);
        let (resp, _) = c.m.rops(&[seek(b.clone())], h.clone()).await;
        assert_eq!(rv(&resp[0]), 0, "the bookmark works before {name}");
        let (resp, _) =
            c.m.rops(&[change, req::set_columns(2, &[PR_SUBJECT]), seek(b.clone()), find(b)], h).await;
        assert_eq!(rv(&resp[0]), 0, "{name}");
        assert_eq!((rv(&resp[2]), rv(&resp[3])), (EC_INVALID_BOOKMARK, EC_INVALID_BOOKMARK), "after {name}");
    }
    // On a table that never had columns RopSeekRowBookmark is ecNullObject (MS-OXCTABL_R8276).
    let (resp, _) = c.m.rops(&[open[0].clone(), open[1].clone(), seek(vec![1, 0, 0, 0])], c.slots(2)).await;
    assert_eq!(rv(&resp[2]), EC_NULL_OBJECT);
    let (resp, h) = c.m.rops(&open, c.slots(2)).await;
    assert_eq!(rv(&resp[4]), 0);
    let reqs = [
        RopRequest::Abort(AbortRequest { logon_id: 0, input_handle_index: 2 }),
        RopRequest::GetStatus(GetStatusRequest { logon_id: 0, input_handle_index: 2 }),
        req::query_rows(2, 10, true),
        RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let (resp, h) = c.m.rops(&reqs, h).await;
    assert_eq!(rv(&resp[0]), EC_UNABLE_TO_ABORT);
    assert_eq!(rv(&resp[1]), 0);
    assert_eq!(rows_of(&resp[2]).len(), 2, "the cursor was on the second row");
    assert_eq!(rv(&resp[3]), 0);
    let (bytes, _) = raw(&mut c.m, &[req::query_rows(2, 10, true)], h.clone()).await;
    assert_eq!(bytes, head(0x15, 2, EC_NULL_OBJECT));
    let (resp, _) = c.m.rops(&[req::set_columns(2, &[PR_SUBJECT]), req::query_rows(2, 10, true)], h).await;
    assert_eq!(rows_of(&resp[1]).len(), 3, "the cursor is back at the beginning");
}

/// MS-OXCDATA 2.4.2 ("NotFound: On get, indicates that the property or column has no value for
/// this object", 0x8004010F) and 2.8.1.2 / 2.11.5: RopGetPropertiesSpecific answers a property
/// the object does not have with a FlaggedPropertyRow (0x01) whose FlaggedPropertyValue is Flag
/// 0x0A and the PtypErrorCode 0x8004010F (MS-OXCPRPT 3.2.5.1); the property that is set is Flag
/// 0x00 and its value.
#[tokio::test]
async fn get_properties_specific_missing_property_is_flagged_not_found() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "x")]).await;
    const PR_NOT_SET: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x6701_0003);
    let reqs = [
        req::open_message(0, 1, inbox, mid, 0x00),
        req::get_props(1, &[PR_NOT_SET, oxmapi_core::tag::PropTag(0x0037_001F)]),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let at = bytes.windows(6).position(|w| w == head(0x07, 1, 0)).expect("RopGetPropertiesSpecific");
    let mut expected = vec![0x01, 0x0A];
    expected.extend_from_slice(&EC_NOT_FOUND.to_le_bytes());
    expected.push(0x00);
    expected.extend(b"x\0\0\0".iter());
    assert_eq!(&bytes[at + 6..], &expected[..]);
}

/// Which tables the table ROPs are defined on, as the MS-OXCTABL test suite's model
/// (Interop-TestSuites MS-OXCTABL/Model/Model.cs) checks them: RopSortTable and RopResetTable
/// on contents tables only (MS-OXCTABL_R450, _R566), RopRestrict, RopCreateBookmark and
/// RopFindRow on contents and hierarchy tables (_R461, _R529, _R544); the others answer
/// ecNotSupported (0x80040102). RopSetColumns refuses a PT_UNSPECIFIED or PT_ERROR column with
/// ecInvalidParam (0x80070057, _R435).
#[tokio::test]
async fn table_rops_on_the_tables_they_are_defined_on() {
    const EC_INVALID_PARAM: u32 = 0x8007_0057;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "m")]).await;
    let exists = Restriction::Exist { prop_tag: PR_SUBJECT };
    let checks = |t: u8| {
        [
            req::sort(t, vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]),
            RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: t }),
            req::restrict(t, Some(exists.clone())),
            RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: t }),
            req::find_row(t, exists.clone(), 0x00, false, vec![]),
        ]
    };
    let attachments = RopRequest::GetAttachmentTable(oxmapi_wire::rop::oxcmsg::GetAttachmentTableRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
        table_flags: 0,
    });
    let mut reqs =
        vec![req::open_message(0, 1, inbox, mid, 0x00), attachments, req::set_columns(2, &[PR_SUBJECT])];
    reqs.extend(checks(2));
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let codes: Vec<u32> = resp[3..].iter().map(rv).collect();
    assert_eq!(codes, [EC_NOT_SUPPORTED; 5], "attachment table: {resp:?}");
    let mut reqs =
        vec![req::open_folder(0, 1, inbox), hierarchy(1, 2, 0), req::set_columns(2, &[PR_DISPLAY_NAME])];
    reqs.extend(checks(2));
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let codes: Vec<u32> = resp[3..].iter().map(rv).collect();
    assert_eq!(codes[..2], [EC_NOT_SUPPORTED; 2], "hierarchy table: {resp:?}");
    assert_eq!(rv(&resp[5]), 0, "RopRestrict on a hierarchy table");
    assert_eq!(rv(&resp[6]), 0, "RopCreateBookmark on a hierarchy table");
    assert_ne!(rv(&resp[7]), EC_NOT_SUPPORTED, "RopFindRow on a hierarchy table");
    let (resp, _) =
        c.m.rops(
            &[
                req::open_folder(0, 1, inbox),
                req::contents_table(1, 2, 0x10),
                req::set_columns(2, &[PR_SUBJECT, oxmapi_core::tag::PropTag(0x3001_0000)]),
                req::set_columns(2, &[PR_SUBJECT, oxmapi_core::tag::PropTag(0x0037_000A)]),
                req::set_columns(2, &[PR_SUBJECT]),
            ],
            c.slots(2),
        )
        .await;
    assert_eq!((rv(&resp[2]), rv(&resp[3]), rv(&resp[4])), (EC_INVALID_PARAM, EC_INVALID_PARAM, 0));
}

/// MSOXCMSG_S02_TC01 (MS-OXCMSG_R773, _R786, _R784, _R416, _R1500, _R1501, _R2028–_R2030) and
/// _TC02_ErrorCodeOfMessageStatus (_R1505, _R1507): RopSetMessageStatus sets the mask's bits of
/// PidTagMessageStatus from MessageStatusFlags and answers the previous status;
/// RopGetMessageStatus reads it, with the RopSetMessageStatus response buffer (RopId 0x20); the
/// change key and last modification time do not change; an input that is not a Folder object
/// is ecNullObject.
#[tokio::test]
async fn set_and_get_message_status() {
    use oxmapi_core::catalogue::tags::{PR_CHANGE_KEY, PR_LAST_MODIFICATION_TIME, PR_MSG_STATUS};
    use oxmapi_wire::rop::oxcmsg::{GetMessageStatusRequest, SetMessageStatusRequest};
    const MS_IN_CONFLICT: u32 = 0x0800;
    const MS_REMOTE_DOWNLOAD: u32 = 0x1000;
    const MS_REMOTE_DELETE: u32 = 0x2000;
    const MASK: u32 = MS_IN_CONFLICT | MS_REMOTE_DOWNLOAD | MS_REMOTE_DELETE;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "status")]).await;
    let set = |input: u8, flags: u32| {
        RopRequest::SetMessageStatus(SetMessageStatusRequest {
            logon_id: 0,
            input_handle_index: input,
            message_id: mid,
            message_status_flags: flags,
            message_status_mask: MASK,
        })
    };
    let get = |input: u8| {
        RopRequest::GetMessageStatus(GetMessageStatusRequest {
            logon_id: 0,
            input_handle_index: input,
            message_id: mid,
        })
    };
    let stamps = [PR_CHANGE_KEY, PR_LAST_MODIFICATION_TIME, PR_MSG_STATUS];
    let (resp, _) =
        c.m.rops(&[req::open_message(0, 1, inbox, mid, 0x00), req::get_props(1, &stamps)], c.slots(1)).await;
    let before = props_of(&resp[1]);
    let reqs =
        [req::open_folder(0, 1, inbox), set(1, MS_REMOTE_DOWNLOAD), get(1), set(1, MS_IN_CONFLICT), get(1)];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let status = |rv: u32, flags: u32| [head(0x20, 1, rv), flags.to_le_bytes().to_vec()].concat();
    let expected = [
        status(0, 0),
        status(0, MS_REMOTE_DOWNLOAD),
        status(0, MS_REMOTE_DOWNLOAD),
        status(0, MS_IN_CONFLICT),
    ]
    .concat();
    assert_eq!(&bytes[8..], &expected[..], "after RopOpenFolder's 8 bytes");
    let (resp, _) =
        c.m.rops(&[req::open_message(0, 1, inbox, mid, 0x00), req::get_props(1, &stamps)], c.slots(1)).await;
    let after = props_of(&resp[1]);
    assert_eq!(&after[..2], &before[..2], "change key and last modification time are kept");
    assert_eq!(after[2].value(), Some(&PropValue::I32(MS_IN_CONFLICT as i32)));
    // The Logon object is no Folder object: ecNullObject, in the RopSetMessageStatus buffer.
    let (bytes, _) = raw_on(&mut c, &[set(0, MS_REMOTE_DELETE), get(0)], 0).await;
    assert_eq!(bytes, [head(0x20, 0, 0x0000_04B9), head(0x20, 0, 0x0000_04B9)].concat());
}

/// A table column a row has no value for is the error NotFound too (MS-OXCDATA 2.4.2: "the
/// property or column has no value for this object"): a FlaggedPropertyRow whose cell is Flag
/// 0x0A and 0x8004010F, as gromox writes empty cells (exch/emsmdb/common_util.cpp,
/// common_util_propvals_to_row_ex).
#[tokio::test]
async fn query_rows_missing_column_is_flagged_not_found() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "x")]).await;
    const PR_NOT_SET: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x6701_0003);
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0x10 | 0x40),
        req::set_columns(2, &[PR_SUBJECT, PR_NOT_SET]),
        req::query_rows(2, 10, true),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 2).await;
    let at = bytes.windows(6).position(|w| w == head(0x15, 2, 0)).expect("RopQueryRows");
    // Origin BOOKMARK_END, RowCount 1, then the row.
    let mut expected = vec![0x02, 0x01, 0x00, 0x01, 0x00];
    expected.extend(b"x\0\0\0".iter());
    expected.push(0x0A);
    expected.extend_from_slice(&EC_NOT_FOUND.to_le_bytes());
    assert_eq!(&bytes[at + 6..], &expected[..]);
}
