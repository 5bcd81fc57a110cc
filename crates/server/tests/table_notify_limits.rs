//! Row notifications bounded by what an Execute response holds (MS-OXCRPC 3.1.4.2.1.1;
//! MS-OXCNOTIF 2.2.1.4.1.2): a row too big for any response becomes TableChanged, and the
//! notifications after it still arrive; row notifications still queued when RopSetColumns
//! changes the columns become TableChanged (their rows are in the old columns).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::oxcnotif::table_event;
use oxmapi_wire::rop::response::RopResponse;

const COLUMNS: [PropTag; 4] = [PR_MID, PR_SUBJECT, PR_NORMALIZED_SUBJECT, PR_CONVERSATION_TOPIC];

async fn save(l: &mut Logon, fid: ObjectId, s: &str) -> ObjectId {
    new_message(l, fid, false, vec![TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(s.into()) }])
        .await
}

/// Two logons of alice (watcher, writer) and the watcher's Inbox contents table in slot 2, with
/// a view; returns the server, both logons, the Inbox and the handles.
async fn open_inbox_table() -> (TestServer, Logon, Logon, ObjectId, Vec<u32>) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0),
        req::set_columns(2, &COLUMNS),
        req::query_rows(2, 10, true),
    ];
    let (_, handles) = watcher.m.rops(&reqs, watcher.slots(2)).await;
    (ts, watcher, writer, inbox, handles)
}

#[tokio::test]
async fn a_row_too_big_for_a_response_becomes_table_changed() {
    let (_ts, mut watcher, mut writer, inbox, _) = open_inbox_table().await;
    // PR_SUBJECT and PR_NORMALIZED_SUBJECT of 18,000 bytes each: a row of ~36,000 bytes (under
    // TableRowDataSize's 65,535, over an Execute response's 32,768).
    save(&mut writer, inbox, &"x".repeat(9000)).await;
    let events: Vec<_> = drain(&mut watcher).await.iter().map(|n| n.data.table_event_type.unwrap()).collect();
    assert_eq!(events, [table_event::TABLE_CHANGED]);
    save(&mut writer, inbox, "small").await;
    let events: Vec<_> = drain(&mut watcher).await.iter().map(|n| n.data.table_event_type.unwrap()).collect();
    assert!(!events.is_empty(), "later changes still arrive");
}

#[tokio::test]
async fn rows_queued_before_set_columns_become_table_changed() {
    let (_ts, mut watcher, mut writer, inbox, handles) = open_inbox_table().await;
    save(&mut writer, inbox, "one").await;
    // The row resolves in the old columns before RopSetColumns runs; the client reads the
    // notifications after the SetColumns response, with the new columns.
    watcher.m.rops(&[req::set_columns(2, &[PR_SUBJECT])], handles.clone()).await;
    let notes = std::mem::take(&mut watcher.m.notes);
    let events: Vec<_> = notes
        .iter()
        .filter_map(|r| match r {
            RopResponse::Notify(n) => n.data.table_event_type,
            _ => None,
        })
        .collect();
    assert_eq!(events, [table_event::TABLE_CHANGED]);
    // Later rows come in the new columns.
    let (resp, _) = watcher.m.rops(&[req::query_rows(2, 10, true)], handles.clone()).await;
    assert_eq!(rows_of(&resp[0]).len(), 1);
    save(&mut writer, inbox, "two").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].data.table_event_type, Some(table_event::TABLE_ROW_ADDED));
    let row = got[0].data.table_row(&[PR_SUBJECT]).unwrap().unwrap();
    assert_eq!(row.values.len(), 1);
}
