//! Row-level table notifications over MAPI/HTTP with raw oxmapi-wire (MS-OXCNOTIF 3.1.4.3,
//! 2.2.1.4.1.2): TableRowAdded / TableRowDeleted / TableRowModified with the row that now
//! precedes the row and the row in the table's current columns, for contents tables (sorted,
//! restricted, across moves) and hierarchy tables (new folders, count changes); RopQueryRows
//! after the notifications agrees with them; TableChanged without a table view and when
//! changes pile up.

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::oxcfold::{CreateFolderRequest, GetTableRequest};
use oxmapi_wire::rop::oxcnotif::{FLAG_M, NotifyResponse, table_event};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

const COLUMNS: [PropTag; 2] = [PR_MID, PR_SUBJECT];

fn subject(s: &str) -> TaggedValue {
    TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(s.into()) }
}

async fn save(l: &mut Logon, fid: ObjectId, s: &str) -> ObjectId {
    new_message(l, fid, false, vec![subject(s)]).await
}

async fn rename(l: &mut Logon, fid: ObjectId, mid: ObjectId, s: &str) {
    let reqs = [
        req::open_message(0, 1, fid, mid, 1),
        req::set_props(1, vec![subject(s)]),
        req::save_message(1, 1, 0),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(1)).await;
    resp.iter().for_each(|r| assert_eq!(rv(r), 0, "{resp:?}"));
}

/// Opens a contents table of `fid` (slot 2) with [`COLUMNS`], sorted by subject, restricted
/// by `r`, and reads it (a table view); the handle table and the subjects read.
async fn open_sorted(l: &mut Logon, fid: ObjectId, r: Option<Restriction>) -> (Vec<u32>, Vec<String>) {
    let mut reqs = vec![
        req::open_folder(0, 1, fid),
        req::contents_table(1, 2, 0),
        req::set_columns(2, &COLUMNS),
        req::sort(2, vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]),
    ];
    if r.is_some() {
        reqs.push(req::restrict(2, r));
    }
    reqs.push(req::query_rows(2, 1000, true));
    let (resp, handles) = l.m.rops(&reqs, l.slots(2)).await;
    let rows = rows_of(resp.last().unwrap());
    (handles, rows.iter().map(subject_of).collect())
}

fn subject_of(r: &PropertyRow) -> String {
    match &r.values[1] {
        RowValue::Value(v) => v.as_text().unwrap().into_owned(),
        other => panic!("{other:?}"),
    }
}

/// The table at slot `slot` read again from its beginning.
async fn reread(l: &mut Logon, handles: &[u32], slot: u8) -> Vec<PropertyRow> {
    l.m.rops(&[req::seek_row(slot, 0, 0)], handles.to_vec()).await;
    let mut all = Vec::new();
    loop {
        let (resp, _) = l.m.rops(&[req::query_rows(slot, 1000, true)], handles.to_vec()).await;
        let rows = rows_of(&resp[0]);
        if rows.is_empty() {
            return all;
        }
        all.extend(rows);
    }
}

fn event(n: &NotifyResponse) -> u16 {
    n.data.table_event_type.unwrap()
}

/// The decoded TableRowData in `columns`.
fn row(n: &NotifyResponse, columns: &[PropTag]) -> Vec<RowValue> {
    n.data.table_row(columns).unwrap().expect("a row").values
}

fn mid_value(m: ObjectId) -> RowValue {
    RowValue::Value(PropValue::I64(m.to_u64() as i64))
}

#[tokio::test]
async fn sorted_contents_tables_follow_adds_changes_and_deletes() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let b = save(&mut writer, inbox, "b").await;
    let d = save(&mut writer, inbox, "d").await;
    let (handles, subjects) = open_sorted(&mut watcher, inbox, None).await;
    assert_eq!(subjects, ["b", "d"]);
    let table = handles[2];

    // A new row lands after the row that precedes it in the sort order.
    let c = save(&mut writer, inbox, "c").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let n = &got[0];
    assert_eq!((n.notification_handle, event(n)), (table, table_event::TABLE_ROW_ADDED));
    assert_ne!(n.data.flags & FLAG_M, 0, "a message row");
    assert_eq!((n.data.table_row_folder_id, n.data.table_row_message_id), (Some(inbox), Some(c)));
    assert_eq!(n.data.table_row_instance, Some(0));
    assert_eq!(n.data.insert_after_table_row_folder_id, Some(inbox));
    assert_eq!(n.data.insert_after_table_row_id, Some(b));
    assert_eq!(n.data.insert_after_table_row_instance, Some(0));
    assert_eq!(row(n, &COLUMNS), vec![mid_value(c), RowValue::Value(PropValue::Unicode("c".into()))]);
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.iter().map(subject_of).collect::<Vec<_>>(), ["b", "c", "d"], "QueryRows agrees");

    // The new first row comes after nothing.
    let a = save(&mut writer, inbox, "a").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(event(&got[0]), table_event::TABLE_ROW_ADDED);
    assert_eq!(got[0].data.table_row_message_id, Some(a));
    assert_eq!(got[0].data.insert_after_table_row_folder_id, Some(ObjectId::ZERO));
    assert_eq!(got[0].data.insert_after_table_row_id, Some(ObjectId::ZERO));

    // A changed subject moves the row: TableRowModified after its new predecessor.
    rename(&mut writer, inbox, b, "z").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(event(&got[0]), table_event::TABLE_ROW_MODIFIED);
    assert_eq!(got[0].data.table_row_message_id, Some(b));
    assert_eq!(got[0].data.insert_after_table_row_id, Some(d));
    assert_eq!(row(&got[0], &COLUMNS)[1], RowValue::Value(PropValue::Unicode("z".into())));
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.iter().map(subject_of).collect::<Vec<_>>(), ["a", "c", "d", "z"]);

    // A deleted row: TableRowDeleted, no row data.
    let (resp, _) = writer
        .m
        .rops(&[req::open_folder(0, 1, inbox), req::delete_messages(1, vec![c], true)], writer.slots(1))
        .await;
    assert_eq!(rv(&resp[1]), 0);
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(event(&got[0]), table_event::TABLE_ROW_DELETED);
    assert_eq!(got[0].data.table_row_message_id, Some(c));
    assert_eq!(got[0].data.table_row_data, None);
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.iter().map(subject_of).collect::<Vec<_>>(), ["a", "d", "z"]);
}

#[tokio::test]
async fn the_restriction_decides_which_rows_are_announced() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let keep = Restriction::Property { relop: RelOp::Eq, prop_tag: PR_SUBJECT, value: subject("keep") };
    let (handles, subjects) = open_sorted(&mut watcher, inbox, Some(keep)).await;
    assert!(subjects.is_empty());

    let other = save(&mut writer, inbox, "other").await;
    assert!(drain(&mut watcher).await.is_empty(), "an excluded row is not announced");
    let kept = save(&mut writer, inbox, "keep").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (event(&got[0]), got[0].data.table_row_message_id),
        (table_event::TABLE_ROW_ADDED, Some(kept))
    );

    // Leaving the restriction is a deletion, entering it an addition.
    rename(&mut writer, inbox, kept, "left").await;
    rename(&mut writer, inbox, other, "keep").await;
    let got = drain(&mut watcher).await;
    let events: Vec<_> = got.iter().map(|n| (event(n), n.data.table_row_message_id.unwrap())).collect();
    assert_eq!(events, [(table_event::TABLE_ROW_DELETED, kept), (table_event::TABLE_ROW_ADDED, other)]);
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.iter().map(subject_of).collect::<Vec<_>>(), ["keep"]);
    assert_eq!(rows[0].values[0], mid_value(other));
}

#[tokio::test]
async fn a_move_deletes_from_the_source_table_and_adds_to_the_destination() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let (inbox, deleted) = (watcher.inbox(), watcher.deleted_items());
    let mid = save(&mut writer, inbox, "moving").await;
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0),
        req::set_columns(2, &COLUMNS),
        req::query_rows(2, 10, true),
        req::open_folder(0, 3, deleted),
        req::contents_table(3, 4, 0),
        req::set_columns(4, &COLUMNS),
        req::query_rows(4, 10, true),
    ];
    let (resp, handles) = watcher.m.rops(&reqs, watcher.slots(4)).await;
    assert_eq!((rows_of(&resp[3]).len(), rows_of(&resp[7]).len()), (1, 0));
    let (from, to) = (handles[2], handles[4]);

    let reqs = [
        req::open_folder(0, 1, inbox),
        req::open_folder(0, 2, deleted),
        req::move_copy(1, 2, vec![mid], false),
    ];
    let (resp, _) = writer.m.rops(&reqs, writer.slots(2)).await;
    assert_eq!(rv(&resp[2]), 0, "{resp:?}");
    let got = drain(&mut watcher).await;
    let on = |h: u32| got.iter().filter(|n| n.notification_handle == h).collect::<Vec<_>>();
    let (gone, added) = (on(from), on(to));
    assert_eq!(gone.len(), 1, "{got:?}");
    assert_eq!(
        (event(gone[0]), gone[0].data.table_row_message_id),
        (table_event::TABLE_ROW_DELETED, Some(mid))
    );
    assert_eq!(added.len(), 1, "{got:?}");
    assert_eq!(event(added[0]), table_event::TABLE_ROW_ADDED);
    assert_eq!(added[0].data.table_row_folder_id, Some(deleted));
    let new_mid = added[0].data.table_row_message_id.unwrap();
    assert_eq!(row(added[0], &COLUMNS)[1], RowValue::Value(PropValue::Unicode("moving".into())));

    assert!(reread(&mut watcher, &handles, 2).await.is_empty());
    let rows = reread(&mut watcher, &handles, 4).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].values[0], mid_value(new_mid), "the announced row is the one read");
}

#[tokio::test]
async fn hierarchy_tables_get_new_folders_and_count_changes() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let columns = [PR_FID, PR_DISPLAY_NAME, PR_CONTENT_COUNT];
    let reqs = [
        req::open_folder(0, 1, inbox),
        RopRequest::GetHierarchyTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: 1,
            output_handle_index: 2,
            table_flags: 0,
        }),
        req::set_columns(2, &columns),
        req::query_rows(2, 100, true),
    ];
    let (resp, handles) = watcher.m.rops(&reqs, watcher.slots(2)).await;
    assert!(rows_of(&resp[3]).is_empty());

    let create = RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
        folder_type: 1,
        use_unicode_strings: 1,
        open_existing: 0,
        reserved: 0,
        display_name: "Sub".into(),
        comment: String::new(),
    });
    let (resp, _) = writer.m.rops(&[req::open_folder(0, 1, inbox), create], writer.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let sub = o.body.as_ref().expect("created").folder_id;

    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let n = &got[0];
    assert_eq!((n.notification_handle, event(n)), (handles[2], table_event::TABLE_ROW_ADDED));
    assert_eq!(n.data.flags & FLAG_M, 0, "a folder row");
    assert_eq!(n.data.table_row_folder_id, Some(sub));
    assert_eq!((n.data.table_row_message_id, n.data.insert_after_table_row_id), (None, None));
    assert_eq!(n.data.insert_after_table_row_folder_id, Some(ObjectId::ZERO), "the first row");
    let values = row(n, &columns);
    assert_eq!(values[0], RowValue::Value(PropValue::I64(sub.to_u64() as i64)));
    assert_eq!(values[1], RowValue::Value(PropValue::Unicode("Sub".into())));
    assert_eq!(values[2], RowValue::Value(PropValue::I32(0)));

    // A message saved into the subfolder changes its counts: its row is modified.
    save(&mut writer, sub, "in sub").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (event(&got[0]), got[0].data.table_row_folder_id),
        (table_event::TABLE_ROW_MODIFIED, Some(sub))
    );
    assert_eq!(row(&got[0], &columns)[2], RowValue::Value(PropValue::I32(1)));
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].values[2], RowValue::Value(PropValue::I32(1)), "QueryRows agrees");
}

#[tokio::test]
async fn tables_without_a_view_get_table_changed() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let reqs = [req::open_folder(0, 1, inbox), req::contents_table(1, 2, 0), req::set_columns(2, &COLUMNS)];
    let (_, handles) = watcher.m.rops(&reqs, watcher.slots(2)).await;
    save(&mut writer, inbox, "one").await;
    save(&mut writer, inbox, "two").await;
    let got = drain(&mut watcher).await;
    let events: Vec<_> = got.iter().map(event).collect();
    assert_eq!(events, [table_event::TABLE_CHANGED], "no view yet: one TableChanged");

    // A view: row by row. RopResetTable ends it until the next view.
    let (resp, _) = watcher.m.rops(&[req::query_rows(2, 10, true)], handles.clone()).await;
    assert_eq!(rows_of(&resp[0]).len(), 2);
    save(&mut writer, inbox, "three").await;
    assert_eq!(
        drain(&mut watcher).await.iter().map(event).collect::<Vec<_>>(),
        [table_event::TABLE_ROW_ADDED]
    );
    let reset = RopRequest::ResetTable(oxmapi_wire::rop::oxctabl::ResetTableRequest {
        logon_id: 0,
        input_handle_index: 2,
    });
    watcher.m.rops(&[reset], handles.clone()).await;
    save(&mut writer, inbox, "four").await;
    assert_eq!(drain(&mut watcher).await.iter().map(event).collect::<Vec<_>>(), [table_event::TABLE_CHANGED]);
}

#[tokio::test]
async fn a_thousand_rapid_changes_are_each_announced_once_or_coalesced() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let (handles, _) = open_sorted(&mut watcher, inbox, None).await;
    let mut total = 0;
    // Rounds of changes between two Executes of the watcher: up to the table's event budget
    // each change is announced once; beyond it the round coalesces into one TableChanged.
    for round in [10usize, 90, 200, 300, 400] {
        let mut mids = Vec::new();
        for i in 0..round {
            mids.push(save(&mut writer, inbox, &format!("r{round}-{i:03}")).await);
        }
        total += round;
        let got = drain(&mut watcher).await;
        assert!(got.iter().all(|n| n.notification_handle == handles[2]));
        if round <= 256 {
            assert!(got.iter().all(|n| event(n) == table_event::TABLE_ROW_ADDED), "round {round}");
            let seen: Vec<ObjectId> = got.iter().map(|n| n.data.table_row_message_id.unwrap()).collect();
            let mut expected = mids.clone();
            let mut sorted = seen.clone();
            sorted.sort();
            expected.sort();
            assert_eq!(sorted, expected, "round {round}: every message once");
        } else {
            let events: Vec<_> = got.iter().map(event).collect();
            assert_eq!(events, [table_event::TABLE_CHANGED], "round {round}: coalesced");
        }
        let rows = reread(&mut watcher, &handles, 2).await;
        assert_eq!(rows.len(), total, "round {round}: QueryRows sees every message");
    }
}

/// The hub hands a contents table every event of its folder, FAI messages' included, and the
/// events do not say which kind a message is: a normal table must not announce FAI messages
/// saved, changed or soft-deleted beside it (MS-OXCFOLD 2.2.1.14.1: the contents table lists
/// the normal messages, the Associated one the FAI).
#[tokio::test]
async fn fai_messages_beside_an_open_table_are_not_announced() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    save(&mut writer, inbox, "normal").await;
    let (handles, subjects) = open_sorted(&mut watcher, inbox, None).await;
    assert_eq!(subjects, ["normal"]);

    let fai = new_message(&mut writer, inbox, true, vec![subject("view settings")]).await;
    assert!(drain(&mut watcher).await.is_empty(), "a new FAI message");
    rename(&mut writer, inbox, fai, "view settings 2").await;
    assert!(drain(&mut watcher).await.is_empty(), "a changed FAI message");
    let reqs = [req::open_folder(0, 1, inbox), req::delete_messages(1, vec![fai], false)];
    let (resp, _) = writer.m.rops(&reqs, writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    assert!(drain(&mut watcher).await.is_empty(), "a soft-deleted FAI message");

    let added = save(&mut writer, inbox, "after").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (event(&got[0]), got[0].data.table_row_message_id),
        (table_event::TABLE_ROW_ADDED, Some(added))
    );
    let rows = reread(&mut watcher, &handles, 2).await;
    assert_eq!(rows.iter().map(subject_of).collect::<Vec<_>>(), ["after", "normal"]);
}
