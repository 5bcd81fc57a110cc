//! Categorized contents tables over MAPI/HTTP (MS-OXCTABL 2.2.2.13 RopSortTable
//! `CategorizedCount`/`ExpandedCount`, 2.2.2.17 RopExpandRow, 2.2.2.18 RopCollapseRow,
//! 2.2.2.19/2.2.2.20 RopGetCollapseState/RopSetCollapseState): a folder with messages of three
//! senders sorted by sender as a category shows a heading row per sender (PidTagRowType,
//! PidTagDepth, PidTagInstID = the CategoryId, PidTagContentCount, PidTagContentUnreadCount)
//! before its messages; RopCollapseRow / RopExpandRow count the rows they hide and show; a
//! collapse state restores the collapsed headings; and the refusals are those Microsoft's
//! MS-OXCTABL test suite model expects (R570/R571/R576/R577, R572/R578, R8271/R8273).

mod common;
mod suite_support;

use common::*;
use oxmapi_core::catalogue::tags::{
    PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DEPTH, PR_INST_ID, PR_MESSAGE_FLAGS, PR_ROW_TYPE, PR_SENDER_NAME,
    PR_SUBJECT,
};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxctabl::{
    CollapseRowRequest, ExpandRowRequest, GetCollapseStateRequest, SeekRowBookmarkRequest,
    SetCollapseStateRequest, SortTableRequest,
};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use suite_support::*;

/// ecNotCollapsed (MS-OXCTABL 3.2.5.17, R571).
const EC_NOT_COLLAPSED: u32 = 0x0000_04F8;
/// ecNotExpanded (MS-OXCTABL 3.2.5.18, R577).
const EC_NOT_EXPANDED: u32 = 0x0000_04F7;
/// ecNullObject.
const EC_NULL_OBJECT: u32 = 0x0000_04B9;
/// TBL_LEAF_ROW / TBL_EXPANDED_CATEGORY / TBL_COLLAPSED_CATEGORY (MS-OXCTABL 2.2.1.2).
const LEAF: i32 = 1;
const EXPANDED: i32 = 3;
const COLLAPSED: i32 = 4;

/// The table's columns: 0 PidTagInstID, 1 PidTagRowType, 2 PidTagDepth, 3 PidTagSenderName,
/// 4 PidTagSubject, 5 PidTagContentCount, 6 PidTagContentUnreadCount, 7 PidTagMessageFlags.
const COLUMNS: [PropTag; 8] = [
    PR_INST_ID,
    PR_ROW_TYPE,
    PR_DEPTH,
    PR_SENDER_NAME,
    PR_SUBJECT,
    PR_CONTENT_COUNT,
    PR_CONTENT_UNREAD,
    PR_MESSAGE_FLAGS,
];

/// The messages: (sender, subject).
const MESSAGES: [(&str, &str); 6] =
    [("bob", "b1"), ("alice", "a1"), ("carol", "c1"), ("bob", "b2"), ("alice", "a2"), ("bob", "b3")];

fn by_sender(expanded: u16) -> RopRequest {
    RopRequest::SortTable(SortTableRequest {
        logon_id: 0,
        input_handle_index: 2,
        sort_table_flags: 0,
        sort_orders: SortOrderSet {
            orders: vec![
                SortOrder { tag: PR_SENDER_NAME, direction: SortDirection::Ascend },
                SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend },
            ],
            categorized_count: 1,
            expanded_count: expanded,
        },
    })
}

fn expand(category_id: u64, max_row_count: u16) -> RopRequest {
    RopRequest::ExpandRow(ExpandRowRequest { logon_id: 0, input_handle_index: 2, max_row_count, category_id })
}

fn collapse(category_id: u64) -> RopRequest {
    RopRequest::CollapseRow(CollapseRowRequest { logon_id: 0, input_handle_index: 2, category_id })
}

fn int(r: &PropertyRow, i: usize) -> i64 {
    match &r.values[i] {
        RowValue::Value(v) => v.as_i64().unwrap_or(-1),
        _ => -1,
    }
}

fn txt(r: &PropertyRow, i: usize) -> String {
    match &r.values[i] {
        RowValue::Value(PropValue::Unicode(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A row as `H+sender(count/unread)`, `H-sender(…)` or the leaf's subject.
fn shape(r: &PropertyRow) -> String {
    match int(r, 1) as i32 {
        EXPANDED => format!("H+{}({}/{})", txt(r, 3), int(r, 5), int(r, 6)),
        COLLAPSED => format!("H-{}({}/{})", txt(r, 3), int(r, 5), int(r, 6)),
        LEAF => txt(r, 4),
        other => format!("?{other}"),
    }
}

/// The whole view from the beginning, cursor back at the beginning.
async fn view(c: &mut Logon, h: Vec<u32>) -> (Vec<PropertyRow>, Vec<u32>) {
    let (r, h) =
        c.m.rops(&[req::seek_row(2, 0, 0), req::query_rows(2, 100, true), req::seek_row(2, 0, 0)], h).await;
    (rows_of(&r[1]), h)
}

/// Alice's inbox with [`MESSAGES`], its contents table in slot 2 with [`COLUMNS`], sorted by
/// sender as a category with `ExpandedCount` `expanded`.
async fn categorized(ts: &TestServer, expanded: u16) -> (Logon, Vec<u32>) {
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(ts, &alice).await;
    let inbox = c.inbox();
    for (sender, subject) in MESSAGES {
        new_message(&mut c, inbox, false, vec![text(PR_SENDER_NAME, sender), text(PR_SUBJECT, subject)])
            .await;
    }
    let (r, h) =
        c.m.rops(
            &[
                req::open_folder(0, 1, inbox),
                req::contents_table(1, 2, 0),
                req::set_columns(2, &COLUMNS),
                by_sender(expanded),
            ],
            c.slots(2),
        )
        .await;
    assert!(r.iter().all(|x| rv(x) == 0), "{r:?}");
    (c, h)
}

/// The CategoryId (PidTagInstID) of `sender`'s heading row.
fn category(rows: &[PropertyRow], sender: &str) -> u64 {
    let row = rows.iter().find(|r| txt(r, 3) == sender && int(r, 1) as i32 != LEAF).expect("a heading row");
    int(row, 0) as u64
}

#[tokio::test]
async fn a_categorized_sort_shows_a_heading_before_each_senders_messages() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let (rows, _) = view(&mut c, h).await;
    let unread = |sender: &str| {
        rows.iter().filter(|r| int(r, 1) == 1 && txt(r, 3) == sender && int(r, 7) & 1 == 0).count()
    };
    let (ua, ub, uc) = (unread("alice"), unread("bob"), unread("carol"));
    let shapes: Vec<String> = rows.iter().map(shape).collect();
    assert_eq!(
        shapes,
        [
            format!("H+alice(2/{ua})"),
            "a1".into(),
            "a2".into(),
            format!("H+bob(3/{ub})"),
            "b1".into(),
            "b2".into(),
            "b3".into(),
            format!("H+carol(1/{uc})"),
            "c1".into(),
        ]
    );
    // Headings at depth 0, leaves at depth CategorizedCount; every row a distinct PidTagInstID.
    assert!(rows.iter().all(|r| int(r, 2) == if int(r, 1) == 1 { 1 } else { 0 }));
    let mut ids: Vec<i64> = rows.iter().map(|r| int(r, 0)).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 9);
}

#[tokio::test]
async fn expanded_count_zero_starts_with_every_category_collapsed() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 0).await;
    let (rows, h) = view(&mut c, h).await;
    let shapes: Vec<String> = rows.iter().map(|r| shape(r).split('(').next().unwrap().to_string()).collect();
    assert_eq!(shapes, ["H-alice", "H-bob", "H-carol"]);
    let (r, _) = c.m.rops(&[req::query_position(2)], h).await;
    let RopResponse::QueryPosition(o) = &r[0] else { panic!("{r:?}") };
    assert_eq!(o.body.as_ref().unwrap().denominator, 3);
}

#[tokio::test]
async fn collapse_row_and_expand_row_count_the_rows_they_hide_and_show() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let (rows, h) = view(&mut c, h).await;
    let bob = category(&rows, "bob");
    let (r, h) = c.m.rops(&[collapse(bob), req::query_position(2)], h).await;
    let RopResponse::CollapseRow(o) = &r[0] else { panic!("{r:?}") };
    assert_eq!(o.body.as_ref().unwrap().collapsed_row_count, 3);
    let RopResponse::QueryPosition(p) = &r[1] else { panic!("{r:?}") };
    assert_eq!(p.body.as_ref().unwrap().denominator, 6);
    let (rows, h) = view(&mut c, h).await;
    assert_eq!(int(&rows[3], 1) as i32, COLLAPSED);
    assert_eq!(shape(&rows[4]).split('(').next(), Some("H+carol"));
    // Expanding returns the category's rows, at most MaxRowCount of them.
    let (r, h) = c.m.rops(&[expand(bob, 2)], h).await;
    let RopResponse::ExpandRow(o) = &r[0] else { panic!("{r:?}") };
    let b = o.body.as_ref().expect("an ExpandRow body");
    assert_eq!((b.expanded_row_count, b.row_count), (3, 2));
    let Rows::Decoded { rows: got, .. } = &b.rows else { panic!("{b:?}") };
    assert_eq!(got.iter().map(shape).collect::<Vec<_>>(), ["b1", "b2"]);
    let (rows, _) = view(&mut c, h).await;
    assert_eq!(rows.len(), 9);
}

#[tokio::test]
async fn max_row_count_at_its_largest_returns_only_the_category() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 0).await;
    let (rows, h) = view(&mut c, h).await;
    let alice = category(&rows, "alice");
    let (r, _) = c.m.rops(&[expand(alice, u16::MAX)], h).await;
    let RopResponse::ExpandRow(o) = &r[0] else { panic!("{r:?}") };
    let b = o.body.as_ref().unwrap();
    assert_eq!((b.expanded_row_count, b.row_count), (2, 2));
}

/// Expected bytes from MS-OXCROPS 2.2.5.16.2 / 2.2.5.17.2 (a failed ROP is `RopId,
/// InputHandleIndex, ReturnValue`) and the codes of MS-OXCTABL 3.2.5.17 / 3.2.5.18.
#[tokio::test]
async fn expand_row_on_a_leaf_row_or_an_unknown_category_is_not_found() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let (rows, h) = view(&mut c, h).await;
    let leaf = int(&rows[1], 0) as u64;
    let alice = category(&rows, "alice");
    let requests =
        [expand(leaf, 10), collapse(leaf), expand(0xDEAD_BEEF, 10), collapse(u64::MAX), expand(alice, 1)];
    let (bytes, _) = raw(&mut c.m, &requests, h.clone()).await;
    let mut expected = head(0x59, 2, EC_NOT_FOUND);
    expected.extend(head(0x5A, 2, EC_NOT_FOUND));
    expected.extend(head(0x59, 2, EC_NOT_FOUND));
    expected.extend(head(0x5A, 2, EC_NOT_FOUND));
    expected.extend(head(0x59, 2, EC_NOT_COLLAPSED));
    assert_eq!(bytes, expected);
    // Collapsing twice: ecNotExpanded the second time.
    let (bytes, _) = raw(&mut c.m, &[collapse(alice), collapse(alice)], h).await;
    let mut expected = head(0x5A, 2, 0);
    expected.extend(2u32.to_le_bytes());
    expected.extend(head(0x5A, 2, EC_NOT_EXPANDED));
    assert_eq!(bytes, expected);
}

/// MS-OXCTABL R572/R578: only contents tables (a hierarchy table is ecNotSupported);
/// R8271/R8273: before RopSetColumns ecNullObject; a folder handle is no table; an empty
/// handle slot is ecNullObject.
#[tokio::test]
async fn expand_and_collapse_need_a_contents_table_with_columns() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    // No object in the slot yet: ecNullObject.
    let (bytes, _) = raw_on(&mut c, &[expand(1, 1)], 2).await;
    assert_eq!(bytes, head(0x59, 2, EC_NULL_OBJECT));
    let (_, h) = c.m.rops(&[req::open_folder(0, 1, inbox), req::contents_table(1, 2, 0)], c.slots(2)).await;
    let (bytes, h) = raw(&mut c.m, &[expand(1, 1), collapse(1)], h).await;
    let mut expected = head(0x59, 2, EC_NULL_OBJECT);
    expected.extend(head(0x5A, 2, EC_NULL_OBJECT));
    assert_eq!(bytes, expected);
    let (_, h) = c.m.rops(&[hierarchy(1, 2, 0), req::set_columns(2, &[PR_INST_ID])], h).await;
    let (bytes, h) = raw(&mut c.m, &[expand(1, 1), collapse(1)], h).await;
    let mut expected = head(0x59, 2, EC_NOT_SUPPORTED);
    expected.extend(head(0x5A, 2, EC_NOT_SUPPORTED));
    assert_eq!(bytes, expected);
    let on_folder = RopRequest::ExpandRow(ExpandRowRequest {
        logon_id: 0,
        input_handle_index: 1,
        max_row_count: 1,
        category_id: 1,
    });
    let (bytes, _) = raw(&mut c.m, &[on_folder], h).await;
    assert_eq!(bytes, head(0x59, 1, EC_NOT_SUPPORTED));
}

#[tokio::test]
async fn a_collapse_state_restores_the_collapsed_categories_on_a_new_table() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let (rows, h) = view(&mut c, h).await;
    let (alice, bob) = (category(&rows, "alice"), category(&rows, "bob"));
    let get = RopRequest::GetCollapseState(GetCollapseStateRequest {
        logon_id: 0,
        input_handle_index: 2,
        row_id: bob,
        row_instance_number: 0,
    });
    let (r, h) = c.m.rops(&[collapse(alice), collapse(bob), get], h).await;
    let RopResponse::GetCollapseState(o) = &r[2] else { panic!("{r:?}") };
    let state = o.body.as_ref().expect("a collapse state").collapse_state.clone();
    // A new table of the same folder with the same sort: every category expanded until the
    // state is set; then alice and bob are collapsed and the bookmark is on bob's heading.
    let inbox = c.inbox();
    let set = RopRequest::SetCollapseState(SetCollapseStateRequest {
        logon_id: 0,
        input_handle_index: 2,
        collapse_state: state,
    });
    let (r, h) =
        c.m.rops(
            &[
                req::release(2),
                req::open_folder(0, 1, inbox),
                req::contents_table(1, 2, 0),
                req::set_columns(2, &COLUMNS),
                by_sender(1),
                set,
            ],
            h,
        )
        .await;
    let RopResponse::SetCollapseState(o) = &r[4] else { panic!("{r:?}") };
    let bookmark = o.body.as_ref().expect("a bookmark").bookmark.clone();
    let (rows, h) = view(&mut c, h).await;
    let shapes: Vec<String> = rows.iter().map(|r| shape(r).split('(').next().unwrap().to_string()).collect();
    assert_eq!(shapes, ["H-alice", "H-bob", "H+carol", "c1"]);
    let seek = RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
        logon_id: 0,
        input_handle_index: 2,
        bookmark,
        row_count: 0,
        want_row_moved_count: 0,
    });
    let (r, _) = c.m.rops(&[seek, req::query_rows(2, 1, true)], h).await;
    assert_eq!(rv(&r[0]), 0, "{r:?}");
    assert_eq!(txt(&rows_of(&r[1])[0], 3), "bob");
}

#[tokio::test]
async fn a_forged_collapse_state_is_invalid_parameter() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let forged = |collapse_state: Vec<u8>| {
        RopRequest::SetCollapseState(SetCollapseStateRequest {
            logon_id: 0,
            input_handle_index: 2,
            collapse_state,
        })
    };
    let mut huge_count = vec![1];
    huge_count.extend(u32::MAX.to_le_bytes());
    let (bytes, _) = raw(&mut c.m, &[forged(vec![]), forged(vec![0xFF; 12]), forged(huge_count)], h).await;
    let mut expected = head(0x6C, 2, 0x8007_0057);
    expected.extend(head(0x6C, 2, 0x8007_0057));
    expected.extend(head(0x6C, 2, 0x8007_0057));
    assert_eq!(bytes, expected);
}

/// Table notifications of a categorized view (MS-OXCNOTIF 3.1.4.3): a new message gives one
/// TableChanged (heading rows are not announced row by row), after which RopQueryRows shows
/// the new counts; once the view is sorted without categories, rows are announced one by one
/// again.
#[tokio::test]
async fn a_categorized_view_is_told_table_changed_and_a_plain_one_row_by_row() {
    use oxmapi_wire::rop::oxcnotif::table_event;
    let ts = TestServer::start().await;
    let (mut watcher, h) = categorized(&ts, 1).await;
    let alice = ts.user("alice");
    let mut writer = logon_private(&ts, &alice).await;
    let (rows, h) = view(&mut watcher, h).await;
    assert_eq!(rows.len(), 9);
    let inbox = watcher.inbox();
    new_message(&mut writer, inbox, false, vec![text(PR_SENDER_NAME, "dave"), text(PR_SUBJECT, "d1")]).await;
    let events: Vec<u16> = drain(&mut watcher).await.iter().filter_map(|n| n.data.table_event_type).collect();
    assert_eq!(events, [table_event::TABLE_CHANGED]);
    let (rows, h) = view(&mut watcher, h).await;
    assert_eq!(rows.iter().map(shape).filter(|s| s.starts_with("H+dave")).count(), 1);
    assert_eq!(rows.len(), 11);
    let plain = req::sort(2, vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]);
    let (r, h) = watcher.m.rops(&[plain, req::query_rows(2, 100, true)], h).await;
    assert_eq!(rows_of(&r[1]).len(), 7);
    new_message(&mut writer, inbox, false, vec![text(PR_SENDER_NAME, "erin"), text(PR_SUBJECT, "e1")]).await;
    let events: Vec<u16> = drain(&mut watcher).await.iter().filter_map(|n| n.data.table_event_type).collect();
    assert_eq!(events, [table_event::TABLE_ROW_ADDED]);
    let _ = h;
}

/// A new message arrives in a categorized view: the heading counts follow on the next read
/// (the view's notifications are TableChanged, MS-OXCNOTIF 3.1.4.3) and the collapsed state
/// of the categories is kept.
#[tokio::test]
async fn a_new_message_joins_its_category_and_the_collapsed_state_stays() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let (rows, h) = view(&mut c, h).await;
    let bob = category(&rows, "bob");
    let (r, h) = c.m.rops(&[collapse(bob)], h).await;
    assert_eq!(rv(&r[0]), 0);
    let inbox = c.inbox();
    new_message(&mut c, inbox, false, vec![text(PR_SENDER_NAME, "bob"), text(PR_SUBJECT, "b4")]).await;
    let (rows, _) = view(&mut c, h).await;
    let bob_row = rows.iter().find(|r| int(r, 0) as u64 == bob).expect("bob's heading keeps its id");
    assert_eq!((int(bob_row, 1) as i32, int(bob_row, 5)), (COLLAPSED, 4));
    assert_eq!(rows.len(), 6);
}

/// TABLE_SORT_CATEG_MAX on the subject after the sender category (IMAPITable SSortOrder; as
/// gromox orders them): the senders by their largest subject, descending because the category
/// key is; the same order on any other key than the one after the categories is
/// ecInvalidParam (gromox's rop_sorttable).
#[tokio::test]
async fn a_maximum_category_sort_orders_the_senders_by_their_latest_subject() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 1).await;
    let sort = |orders: Vec<SortOrder>| {
        RopRequest::SortTable(SortTableRequest {
            logon_id: 0,
            input_handle_index: 2,
            sort_table_flags: 0,
            sort_orders: SortOrderSet { orders, categorized_count: 1, expanded_count: 0 },
        })
    };
    let max = sort(vec![
        SortOrder { tag: PR_SENDER_NAME, direction: SortDirection::Descend },
        SortOrder { tag: PR_SUBJECT, direction: SortDirection::MaximumCategory },
    ]);
    let (r, h) = c.m.rops(&[max], h).await;
    assert_eq!(rv(&r[0]), 0, "{r:?}");
    let (rows, h) = view(&mut c, h).await;
    // Largest subjects: carol c1, bob b3, alice a2; descending.
    let order: Vec<String> = rows.iter().map(|r| txt(r, 3)).collect();
    assert_eq!(order, ["carol", "bob", "alice"]);
    assert_eq!(txt(&rows[1], 4), "b3", "the heading carries the aggregate");
    let misplaced = sort(vec![
        SortOrder { tag: PR_SENDER_NAME, direction: SortDirection::MaximumCategory },
        SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend },
    ]);
    let (bytes, _) = raw(&mut c.m, &[misplaced], h).await;
    assert_eq!(bytes, head(0x13, 2, 0x8007_0057));
}

/// A huge `MaxRowCount` on a category whose rows do not fit the response buffer: whole rows
/// only, as many as fit (gromox stops at the buffer too), and `ExpandedRowCount` still counts
/// every row the expansion added.
#[tokio::test]
async fn expand_row_returns_only_the_rows_that_fit_the_response_buffer() {
    let ts = TestServer::start().await;
    let (mut c, h) = categorized(&ts, 0).await;
    let inbox = c.inbox();
    let long = "x".repeat(1500);
    for i in 0..12 {
        new_message(
            &mut c,
            inbox,
            false,
            vec![text(PR_SENDER_NAME, "bulk"), text(PR_SUBJECT, &format!("{i:02}{long}"))],
        )
        .await;
    }
    let (rows, h) = view(&mut c, h).await;
    let bulk = category(&rows, "bulk");
    let (r, _) = c.m.rops_limited(&[expand(bulk, u16::MAX)], h, 0x2000).await;
    let RopResponse::ExpandRow(o) = &r[0] else { panic!("{r:?}") };
    let b = o.body.as_ref().expect("an ExpandRow body");
    assert_eq!(b.expanded_row_count, 12);
    assert!(b.row_count >= 1 && b.row_count < 12, "{}", b.row_count);
    let Rows::Decoded { rows, .. } = &b.rows else { panic!("{b:?}") };
    assert_eq!(rows.len(), usize::from(b.row_count));
    assert!(txt(&rows[0], 4).starts_with("00"));
}
