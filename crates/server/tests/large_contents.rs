//! Contents tables of a large folder over MAPI/HTTP with raw oxmapi-wire (MS-OXCTABL 3.2.5,
//! MS-OXCNOTIF 3.1.4.3): a folder of a few thousand messages (more than the small-folder
//! threshold under which a restricted view stays in memory) read sorted by PR_SUBJECT
//! (case-insensitive, a missing value first, ties in MID order; ties of a descending sort in
//! MID descending order), by PR_MESSAGE_DELIVERY_TIME
//! descending and restricted on PR_IMPORTANCE, with exact order and counts; QueryPosition,
//! SeekRowFractional, FindRow, bookmarks across a deletion under them; and the table
//! notifications of a large unrestricted view (row by row, with the row before) and of a large
//! restricted one (TableChanged); and, on index-backed tables of any size, a row added after
//! the last row read, a folder deleted under the table, and FAI deletions beside a normal table.

mod common;

use std::cmp::Ordering;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::{SpecialFolder, User};
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::rop::oxcnotif::{NotifyResponse, table_event};
use oxmapi_wire::rop::oxctabl::{
    CreateBookmarkRequest, QueryRowsRequest, SeekRowBookmarkRequest, SeekRowFractionalRequest,
};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// Messages in the seeded folder: well over the small-folder threshold of restricted views
/// (1,000), so every view below is served by the index-backed engine.
const MESSAGES: usize = 2_500;
const COLUMNS: [PropTag; 4] = [PR_MID, PR_SUBJECT, PR_MESSAGE_DELIVERY_TIME, PR_IMPORTANCE];
/// TableFlags UseUnicode.
const UNICODE: u8 = 0x40;
/// Origins (MS-OXCTABL 2.2.2.1.1).
const BEGINNING: u8 = 0;
const END: u8 = 2;
/// 100-ns ticks in a minute.
const MINUTE: u64 = 600_000_000;

/// One seeded message as the test expects the table to show it.
#[derive(Clone, Debug)]
struct Msg {
    mid: ObjectId,
    subject: Option<String>,
    delivery: u64,
    importance: i32,
}

impl Msg {
    /// The MAPI sort key of PR_SUBJECT: case-insensitive (`char::to_lowercase`), missing first.
    fn subject_key(&self) -> Option<String> {
        self.subject.as_ref().map(|s| s.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Ties fall back to the MID in the direction of the last sort key (lead's decision, issue
/// 15; MS-OXCTABL does not define the order of equal rows): ascending under an ascending key
/// (and in the unsorted table), descending — newest first — under a descending one.
fn by_mid(a: &Msg, b: &Msg) -> Ordering {
    a.mid.global_counter.cmp(&b.mid.global_counter)
}

fn by_subject(a: &Msg, b: &Msg) -> Ordering {
    a.subject_key().cmp(&b.subject_key()).then_with(|| by_mid(a, b))
}

fn by_delivery_desc(a: &Msg, b: &Msg) -> Ordering {
    b.delivery.cmp(&a.delivery).then_with(|| by_mid(b, a))
}

fn mids(msgs: &[Msg]) -> Vec<ObjectId> {
    msgs.iter().map(|m| m.mid).collect()
}

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue::new(tag, value)
}

/// Fills alice's Inbox with [`MESSAGES`] messages through the server's own store (subjects in
/// mixed case and with accents, many equal; equal delivery times; every 97th without a
/// subject) and returns them in MID order.
fn seed(ts: &TestServer, alice: &User) -> Vec<Msg> {
    seed_n(ts, alice, MESSAGES)
}

/// [`seed`] with `n` messages.
fn seed_n(ts: &TestServer, alice: &User, n: usize) -> Vec<Msg> {
    with_server_store(ts, alice, |store| seed_store(store, n))
}

/// [`seed_n`] on `store`.
fn seed_store(store: &oxmapi_store::MessageStore, n: usize) -> Vec<Msg> {
    let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
    const WORDS: [&str; 10] =
        ["alpha", "Bravo", "charlie", "DELTA", "écho", "Foxtrot", "golf", "Hôtel", "india", "Juliet"];
    let base = FileTime::now().0;
    let mut r: u64 = 0x2545_F491_4F6C_DD1D;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        let subject = (i % 97 != 0).then(|| format!("{} {:03}", WORDS[(r % 10) as usize], (r >> 8) % 200));
        let delivery = base - ((r >> 24) % 1_000) * MINUTE;
        let importance = ((r >> 40) % 3) as i32;
        let mut props = vec![
            tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(delivery))),
            tv(PR_IMPORTANCE, PropValue::I32(importance)),
            tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        ];
        if let Some(s) = &subject {
            props.push(tv(PR_SUBJECT, PropValue::Unicode(s.clone())));
        }
        let mut d = store.create_message(inbox, false).unwrap();
        store.set_properties(&mut d, &props).unwrap();
        let mid = store.save_message(&mut d, false).unwrap();
        out.push(Msg { mid, subject, delivery, importance });
    }
    out
}

fn subject_sort() -> Vec<SortOrder> {
    vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]
}

fn delivery_desc() -> Vec<SortOrder> {
    vec![SortOrder { tag: PR_MESSAGE_DELIVERY_TIME, direction: SortDirection::Descend }]
}

fn importance_is(n: i32) -> Restriction {
    Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_IMPORTANCE,
        value: tv(PR_IMPORTANCE, PropValue::I32(n)),
    }
}

fn subject_is(s: &str) -> Restriction {
    Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_SUBJECT,
        value: tv(PR_SUBJECT, PropValue::Unicode(s.into())),
    }
}

fn mid_of(row: &PropertyRow) -> ObjectId {
    match row.values[0] {
        RowValue::Value(PropValue::I64(v)) => ObjectId::from_u64(v as u64),
        ref v => panic!("{v:?}"),
    }
}

fn position(r: &RopResponse) -> (u32, u32) {
    let RopResponse::QueryPosition(o) = r else { panic!("{r:?}") };
    let b = o.body.as_ref().unwrap();
    (b.numerator, b.denominator)
}

fn found(r: &RopResponse) -> ObjectId {
    let RopResponse::FindRow(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Some(oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. }) = &o.body.as_ref().unwrap().row else {
        panic!("{r:?}")
    };
    mid_of(&rows[0])
}

fn seek_fractional(input: u8, numerator: u32, denominator: u32) -> RopRequest {
    RopRequest::SeekRowFractional(SeekRowFractionalRequest {
        logon_id: 0,
        input_handle_index: input,
        numerator,
        denominator,
    })
}

fn create_bookmark(input: u8) -> RopRequest {
    RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: input })
}

fn bookmark_of(r: &RopResponse) -> Vec<u8> {
    let RopResponse::CreateBookmark(o) = r else { panic!("{r:?}") };
    o.body.as_ref().expect("a bookmark").bookmark.clone()
}

/// RopSeekRowBookmark on slot `input`: (RowNoLongerVisible, RowsSought).
async fn seek_bookmark(l: &mut Logon, handles: &[u32], input: u8, bookmark: &[u8]) -> (u8, i32) {
    let q = RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
        logon_id: 0,
        input_handle_index: input,
        bookmark: bookmark.to_vec(),
        row_count: 0,
        want_row_moved_count: 1,
    });
    let (resp, _) = l.m.rops(&[q], handles.to_vec()).await;
    let RopResponse::SeekRowBookmark(o) = &resp[0] else { panic!("{resp:?}") };
    let b = o.body.as_ref().unwrap_or_else(|| panic!("{resp:?}"));
    (b.row_no_longer_visible, b.rows_sought)
}

/// Opens a contents table of `fid` into slot `slot` (the folder in `slot - 1`) with
/// [`COLUMNS`], `sort` and `restriction`, without reading it; the handle table.
async fn open(
    l: &mut Logon,
    fid: ObjectId,
    slot: u8,
    sort: Vec<SortOrder>,
    restriction: Option<Restriction>,
) -> Vec<u32> {
    let mut reqs = vec![
        req::open_folder(0, slot - 1, fid),
        req::contents_table(slot - 1, slot, UNICODE),
        req::set_columns(slot, &COLUMNS),
        req::sort(slot, sort),
    ];
    if restriction.is_some() {
        reqs.push(req::restrict(slot, restriction));
    }
    let (resp, handles) = l.m.rops(&reqs, l.slots(slot as usize)).await;
    resp.iter().for_each(|r| assert_eq!(rv(r), 0, "{resp:?}"));
    handles
}

/// Every row from the cursor to the end, page by page.
async fn read_rest(l: &mut Logon, handles: &[u32], slot: u8) -> Vec<ObjectId> {
    let mut all = Vec::new();
    loop {
        let (resp, _) = l.m.rops(&[req::query_rows(slot, 1000, true)], handles.to_vec()).await;
        assert_eq!(rv(&resp[0]), 0, "{resp:?}");
        let rows = rows_of(&resp[0]);
        if rows.is_empty() {
            return all;
        }
        all.extend(rows.iter().map(mid_of));
    }
}

async fn query_position(l: &mut Logon, handles: &[u32], slot: u8) -> (u32, u32) {
    let (resp, _) = l.m.rops(&[req::query_position(slot)], handles.to_vec()).await;
    position(&resp[0])
}

async fn started() -> (TestServer, Logon, Logon, Vec<Msg>) {
    let ts = TestServer::start_in_memory().await;
    let alice = ts.add_user("alice", false);
    let msgs = seed(&ts, &alice);
    let reader = logon_private(&ts, &alice).await;
    let writer = logon_private(&ts, &alice).await;
    (ts, reader, writer, msgs)
}

#[tokio::test]
async fn a_large_folder_reads_in_exact_order_sorted_and_restricted() {
    let (_ts, mut l, _, msgs) = started().await;
    let inbox = l.inbox();

    let mut want = msgs.clone();
    want.sort_by(by_subject);
    let h = open(&mut l, inbox, 2, subject_sort(), None).await;
    assert_eq!(query_position(&mut l, &h, 2).await, (0, MESSAGES as u32));
    assert_eq!(read_rest(&mut l, &h, 2).await, mids(&want), "sorted by subject");
    assert_eq!(query_position(&mut l, &h, 2).await, (MESSAGES as u32, MESSAGES as u32));

    let mut want = msgs.clone();
    want.sort_by(by_delivery_desc);
    let h = open(&mut l, inbox, 4, delivery_desc(), None).await;
    assert_eq!(read_rest(&mut l, &h, 4).await, mids(&want), "delivery time descending");

    let mut want: Vec<Msg> = msgs.iter().filter(|m| m.importance == 2).cloned().collect();
    want.sort_by(by_subject);
    let h = open(&mut l, inbox, 6, subject_sort(), Some(importance_is(2))).await;
    assert_eq!(query_position(&mut l, &h, 6).await, (0, want.len() as u32), "the restricted count");
    assert_eq!(read_rest(&mut l, &h, 6).await, mids(&want), "importance 2, by subject");

    // Backward from the end: the same rows, the last page first.
    let (resp, _) = l.m.rops(&[req::seek_row(6, END, 0), req::query_rows(6, 7, false)], h.clone()).await;
    let last: Vec<ObjectId> = rows_of(&resp[1]).iter().map(mid_of).collect();
    assert_eq!(last, mids(&want[want.len() - 7..]), "a backward read from the end");
}

#[tokio::test]
async fn positions_fractional_seeks_and_find_row_on_a_large_folder() {
    let (_ts, mut l, _, msgs) = started().await;
    let mut want = msgs.clone();
    want.sort_by(by_subject);
    let inbox = l.inbox();
    let h = open(&mut l, inbox, 2, subject_sort(), None).await;
    let n = MESSAGES as u32;

    let (resp, _) = l.m.rops(&[req::query_rows(2, 10, true), req::query_position(2)], h.clone()).await;
    assert_eq!(rows_of(&resp[0]).iter().map(mid_of).collect::<Vec<_>>(), mids(&want[..10]));
    assert_eq!(position(&resp[1]), (10, n));

    // SeekRowFractional 50 %: the cursor on row n/2 (MS-OXCTABL 3.2.5.9).
    let reqs = [seek_fractional(2, 1, 2), req::query_position(2), req::query_rows(2, 3, true)];
    let (resp, _) = l.m.rops(&reqs, h.clone()).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    assert_eq!(position(&resp[1]), (n / 2, n));
    let got: Vec<ObjectId> = rows_of(&resp[2]).iter().map(mid_of).collect();
    assert_eq!(got, mids(&want[MESSAGES / 2..MESSAGES / 2 + 3]), "the rows from 50 %");

    // FindRow forward from the beginning: the first row of that subject, and the cursor on it.
    let target = want[1_700].subject.clone().unwrap();
    let first = want.iter().position(|m| m.subject.as_deref() == Some(&target)).unwrap();
    let reqs = [req::find_row(2, subject_is(&target), BEGINNING, false, vec![]), req::query_position(2)];
    let (resp, _) = l.m.rops(&reqs, h.clone()).await;
    assert_eq!(found(&resp[0]), want[first].mid);
    assert_eq!(position(&resp[1]), (first as u32, n));

    // FindRow backward from the end: the last row with importance 2.
    let last = want.iter().rposition(|m| m.importance == 2).unwrap();
    let reqs = [req::find_row(2, importance_is(2), END, true, vec![]), req::query_position(2)];
    let (resp, _) = l.m.rops(&reqs, h.clone()).await;
    assert_eq!(found(&resp[0]), want[last].mid);
    assert_eq!(position(&resp[1]), (last as u32, n));
}

#[tokio::test]
async fn a_bookmark_on_a_deleted_row_moves_to_the_next_row_and_says_so() {
    let (_ts, mut l, mut writer, msgs) = started().await;
    let inbox = l.inbox();
    let mut want = msgs.clone();
    want.sort_by(by_delivery_desc);
    let h = open(&mut l, inbox, 2, delivery_desc(), None).await;
    let mut marks = Vec::new();
    for at in [100, 1_234, 2_000] {
        let (resp, _) = l.m.rops(&[req::seek_row(2, BEGINNING, at), create_bookmark(2)], h.clone()).await;
        assert_eq!(rv(&resp[1]), 0, "{resp:?}");
        marks.push(bookmark_of(&resp[1]));
    }

    // Another session deletes the row under the second bookmark.
    let reqs = [req::open_folder(0, 1, inbox), req::delete_messages(1, vec![want[1_234].mid], true)];
    let (resp, _) = writer.m.rops(&reqs, writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    let n = MESSAGES as u32 - 1;

    // A bookmark before the deletion: its row, unmoved.
    assert_eq!(seek_bookmark(&mut l, &h, 2, &marks[0]).await, (0, 0));
    assert_eq!(query_position(&mut l, &h, 2).await, (100, n));
    // The deleted row: the row after it takes its place, RowNoLongerVisible (MS-OXCTABL 3.2.5.8).
    assert_eq!(seek_bookmark(&mut l, &h, 2, &marks[1]).await.0, 1, "RowNoLongerVisible");
    let (resp, _) = l.m.rops(&[req::query_position(2), req::query_rows(2, 1, true)], h.clone()).await;
    assert_eq!(position(&resp[0]), (1_234, n));
    assert_eq!(rows_of(&resp[1]).iter().map(mid_of).collect::<Vec<_>>(), [want[1_235].mid]);
    // A bookmark after it follows its row, one place up.
    assert_eq!(seek_bookmark(&mut l, &h, 2, &marks[2]).await.0, 0);
    let (resp, _) = l.m.rops(&[req::query_position(2), req::query_rows(2, 1, true)], h.clone()).await;
    assert_eq!(position(&resp[0]), (1_999, n));
    assert_eq!(rows_of(&resp[1]).iter().map(mid_of).collect::<Vec<_>>(), [want[2_000].mid]);
}

/// The (event, message, InsertAfter message) of each notification of table `handle`.
fn events_of(got: &[NotifyResponse], handle: u32) -> Vec<(u16, ObjectId, Option<ObjectId>)> {
    got.iter()
        .filter(|n| n.notification_handle == handle)
        .map(|n| {
            let mid = n.data.table_row_message_id.unwrap_or(ObjectId::ZERO);
            (n.data.table_event_type.unwrap(), mid, n.data.insert_after_table_row_id)
        })
        .collect()
}

/// The message before `mid` in `rows` sorted by subject (all zeros for the first row).
fn before(rows: &[Msg], mid: ObjectId) -> Option<ObjectId> {
    let at = rows.iter().position(|m| m.mid == mid).unwrap();
    Some(at.checked_sub(1).map_or(ObjectId::ZERO, |p| rows[p].mid))
}

#[tokio::test]
async fn a_large_table_announces_rows_or_table_changed_when_restricted() {
    let (_ts, mut l, mut writer, msgs) = started().await;
    let inbox = l.inbox();
    let h = open(&mut l, inbox, 2, subject_sort(), None).await;
    let h = {
        let mut h4 = open(&mut l, inbox, 4, subject_sort(), Some(importance_is(2))).await;
        h4[2] = h[2];
        h4
    };
    // Table views (MS-OXCNOTIF 3.1.4.3): a page of each.
    let (resp, _) = l.m.rops(&[req::query_rows(2, 50, true), req::query_rows(4, 50, true)], h.clone()).await;
    assert_eq!((rows_of(&resp[0]).len(), rows_of(&resp[1]).len()), (50, 50));
    let (plain, restricted) = (h[2], h[4]);
    let mut model = msgs.clone();
    let table_changed = vec![(table_event::TABLE_CHANGED, ObjectId::ZERO, None)];

    // A new row, in the middle of the sort order.
    let subject = "india 150 (new)";
    let props = vec![
        tv(PR_SUBJECT, PropValue::Unicode(subject.into())),
        tv(PR_IMPORTANCE, PropValue::I32(2)),
        tv(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime::now())),
    ];
    let added = new_message(&mut writer, inbox, false, props).await;
    model.push(Msg { mid: added, subject: Some(subject.into()), delivery: 0, importance: 2 });
    model.sort_by(by_subject);
    let got = drain(&mut l).await;
    assert_eq!(events_of(&got, plain), [(table_event::TABLE_ROW_ADDED, added, before(&model, added))]);
    assert_eq!(events_of(&got, restricted), table_changed, "a restricted large view: TableChanged");

    // A changed subject moves a row: TableRowModified after its new predecessor.
    let moved = model[10].mid;
    let reqs = [
        req::open_message(0, 1, inbox, moved, 1),
        req::set_props(1, vec![tv(PR_SUBJECT, PropValue::Unicode("golf 077 (renamed)".into()))]),
        req::save_message(1, 1, 0),
        req::release(1),
    ];
    let (resp, _) = writer.m.rops(&reqs, writer.slots(1)).await;
    resp.iter().for_each(|r| assert_eq!(rv(r), 0, "{resp:?}"));
    model.iter_mut().find(|m| m.mid == moved).unwrap().subject = Some("golf 077 (renamed)".into());
    model.sort_by(by_subject);
    let got = drain(&mut l).await;
    assert_eq!(events_of(&got, plain), [(table_event::TABLE_ROW_MODIFIED, moved, before(&model, moved))]);
    assert_eq!(events_of(&got, restricted), table_changed);

    // A deleted row.
    let gone = model[1_000].mid;
    let reqs = [req::open_folder(0, 1, inbox), req::delete_messages(1, vec![gone], true), req::release(1)];
    let (resp, _) = writer.m.rops(&reqs, writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    model.retain(|m| m.mid != gone);
    let got = drain(&mut l).await;
    assert_eq!(events_of(&got, plain), [(table_event::TABLE_ROW_DELETED, gone, None)]);
    assert_eq!(events_of(&got, restricted), table_changed);

    // QueryRows agrees with what was announced.
    let (resp, _) = l.m.rops(&[req::seek_row(2, BEGINNING, 0)], h.clone()).await;
    assert_eq!(rv(&resp[0]), 0);
    assert_eq!(read_rest(&mut l, &h, 2).await, mids(&model));
}

/// The folder-size rule is applied when a view is restricted, sorted or reset, not when only
/// its columns change: a restricted view of a folder of exactly the threshold (1,000 messages)
/// stays in memory, with row-level notifications, and keeps its bookmarks through a
/// RopSetColumns after the folder outgrew the threshold (MS-OXCTABL 3.2.5.1: RopSetColumns
/// does not invalidate bookmarks; only RopSortTable and RopRestrict do, 3.2.5.3–3.2.5.4).
#[tokio::test]
async fn a_small_restricted_view_keeps_its_bookmarks_when_the_folder_outgrows_the_rule() {
    let ts = TestServer::start_in_memory().await;
    let alice = ts.add_user("alice", false);
    let msgs = seed_n(&ts, &alice, 1_000);
    let mut l = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = l.inbox();
    let mut want: Vec<Msg> = msgs.iter().filter(|m| m.importance == 2).cloned().collect();
    want.sort_by(by_subject);
    let h = open(&mut l, inbox, 2, subject_sort(), Some(importance_is(2))).await;
    let reqs = [req::query_rows(2, 5, true), create_bookmark(2)];
    let (resp, _) = l.m.rops(&reqs, h.clone()).await;
    assert_eq!(rows_of(&resp[0]).iter().map(mid_of).collect::<Vec<_>>(), mids(&want[..5]));
    let mark = bookmark_of(&resp[1]);

    // The folder grows past the threshold; the restricted view announces the new row.
    let subject = "zulu";
    let props =
        vec![tv(PR_SUBJECT, PropValue::Unicode(subject.into())), tv(PR_IMPORTANCE, PropValue::I32(2))];
    let added = new_message(&mut writer, inbox, false, props).await;
    let got = drain(&mut l).await;
    let mut now = want.clone();
    now.push(Msg { mid: added, subject: Some(subject.into()), delivery: 0, importance: 2 });
    now.sort_by(by_subject);
    assert_eq!(
        events_of(&got, h[2]),
        [(table_event::TABLE_ROW_ADDED, added, before(&now, added))],
        "row by row"
    );

    let reqs = [req::set_columns(2, &[PR_MID, PR_SUBJECT])];
    let (resp, _) = l.m.rops(&reqs, h.clone()).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    assert_eq!(seek_bookmark(&mut l, &h, 2, &mark).await, (0, 0), "the bookmark is still valid");
    let (resp, _) = l.m.rops(&[req::query_rows(2, 1, true)], h.clone()).await;
    assert_eq!(rows_of(&resp[0]).iter().map(mid_of).collect::<Vec<_>>(), [want[5].mid]);
}

/// A folder deleted (hard, by another session: RopDeleteFolder, MS-OXCFOLD 2.2.1.3) under an
/// open index-backed contents table: the table's next reads fail with the store's own code,
/// MAPI_E_NOT_FOUND (ecNotFound), as a memory-engine table of the same folder answers — not
/// MAPI_E_CALL_FAILED, and not an empty table.
#[tokio::test]
async fn a_folder_deleted_under_an_index_backed_table_answers_not_found_as_the_memory_engine() {
    use oxmapi_wire::rop::oxcfold::DeleteFolderRequest;
    let ts = TestServer::start_in_memory().await;
    let alice = ts.add_user("alice", false);
    let (inbox, fid) = with_server_store(&ts, &alice, |store| {
        let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
        let (fid, _) = store
            .create_folder(inbox, "doomed", None, None, oxmapi_store::FolderType::Generic, false)
            .unwrap();
        let mut d = store.create_message(fid, false).unwrap();
        store.set_properties(&mut d, &[tv(PR_SUBJECT, PropValue::Unicode("x".into()))]).unwrap();
        store.save_message(&mut d, false).unwrap();
        (inbox, fid)
    });
    let mut l = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;

    // Unrestricted: index-backed; restricted, of a small folder: in memory.
    let indexed = open(&mut l, fid, 2, subject_sort(), None).await;
    let mut h = open(&mut l, fid, 4, subject_sort(), Some(Restriction::Exist { prop_tag: PR_SUBJECT })).await;
    h[2] = indexed[2];
    let (resp, _) = l.m.rops(&[req::query_rows(2, 10, true), req::query_rows(4, 10, true)], h.clone()).await;
    assert_eq!((rows_of(&resp[0]).len(), rows_of(&resp[1]).len()), (1, 1), "{resp:?}");

    let delete = RopRequest::DeleteFolder(DeleteFolderRequest {
        logon_id: 0,
        input_handle_index: 1,
        delete_folder_flags: 0x01 | 0x04 | 0x10,
        folder_id: fid,
    });
    let (resp, _) = writer.m.rops(&[req::open_folder(0, 1, inbox), delete], writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");

    let not_found = oxmapi_core::error::codes::MAPI_E_NOT_FOUND.0;
    for slot in [4, 2] {
        for q in
            [req::seek_row(slot, BEGINNING, 0), req::query_rows(slot, 10, true), req::query_position(slot)]
        {
            let (resp, _) = l.m.rops(&[q], h.clone()).await;
            assert_eq!(rv(&resp[0]), not_found, "slot {slot}: {resp:?}");
        }
    }
}

/// A hard-deleted FAI message beside an open large unrestricted contents table of the normal
/// messages: the table (index-backed) never listed it, so it gets no notification, while the
/// FAI table of the folder (TableFlags Associated, MS-OXCFOLD 2.2.1.14) gets TableRowDeleted;
/// a hard-deleted normal message the other way round (MS-OXCNOTIF 2.2.1.4.1.2). The message is
/// gone when the notifications are worked out: the deletion event itself says which kind it
/// was.
#[tokio::test]
async fn a_hard_deleted_fai_message_is_no_row_of_a_normal_table() {
    const ASSOCIATED: u8 = 0x02;
    let (_ts, mut l, mut writer, msgs) = started().await;
    let inbox = l.inbox();
    let subject = |s: &str| vec![tv(PR_SUBJECT, PropValue::Unicode(s.into()))];
    let fai = new_message(&mut writer, inbox, true, subject("a view definition")).await;

    let normal = open(&mut l, inbox, 2, subject_sort(), None).await;
    let reqs = [
        req::open_folder(0, 3, inbox),
        req::contents_table(3, 4, UNICODE | ASSOCIATED),
        req::set_columns(4, &COLUMNS),
        req::query_rows(2, 50, true),
        req::query_rows(4, 50, true),
    ];
    let mut h = l.slots(4);
    h[..normal.len()].copy_from_slice(&normal);
    let (resp, h) = l.m.rops(&reqs, h).await;
    resp.iter().for_each(|r| assert_eq!(rv(r), 0, "{resp:?}"));
    assert_eq!(rows_of(&resp[3]).len(), 50);
    assert_eq!(rows_of(&resp[4]).iter().map(mid_of).collect::<Vec<_>>(), [fai], "the FAI table");
    let (normal, associated) = (h[2], h[4]);
    drain(&mut l).await;

    let delete =
        |mid| [req::open_folder(0, 1, inbox), req::delete_messages(1, vec![mid], true), req::release(1)];
    let (resp, _) = writer.m.rops(&delete(fai), writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    let got = drain(&mut l).await;
    assert_eq!(events_of(&got, normal), [], "no row of the normal table was deleted");
    assert_eq!(events_of(&got, associated), [(table_event::TABLE_ROW_DELETED, fai, None)]);

    let gone = msgs[7].mid;
    let (resp, _) = writer.m.rops(&delete(gone), writer.slots(1)).await;
    assert_eq!(rv(&resp[1]), 0, "{resp:?}");
    let got = drain(&mut l).await;
    assert_eq!(events_of(&got, normal), [(table_event::TABLE_ROW_DELETED, gone, None)]);
    assert_eq!(events_of(&got, associated), [], "the FAI table lists no normal message");
}

/// The Origin of a RopQueryRows response.
fn origin_of(r: &RopResponse) -> u8 {
    let RopResponse::QueryRows(o) = r else { panic!("{r:?}") };
    o.body.as_ref().unwrap().origin
}

/// RopQueryRows with the NoAdvance flag (MS-OXCTABL 2.2.2.5.1).
fn peek_rows(input: u8, count: u16, forward: bool) -> RopRequest {
    RopRequest::QueryRows(QueryRowsRequest {
        logon_id: 0,
        input_handle_index: input,
        query_rows_flags: 0x01,
        forward_read: forward as u8,
        row_count: count,
    })
}

/// MS-OXCTABL 3.2.5.5: a RopQueryRows of 4,096 rows (what clients ask) on a large folder
/// returns exactly the rows that fit the response buffer, in order, with Origin
/// BOOKMARK_CURRENT; the next read continues at the first row not sent; a NoAdvance read
/// returns the same rows and leaves the cursor; a backward read from the end returns the last
/// rows. The server reads the rows a chunk at a time (`rops/row_buffer.rs`): the same answers
/// from both engines — the index-backed one (delivery time) and the memory one (a sort on
/// PR_SENSITIVITY, which has no index; every message lacks it, so the order is the MID's).
#[tokio::test]
async fn a_query_rows_of_4096_rows_returns_the_rows_that_fit_and_the_next_read_continues() {
    let (_ts, mut l, _, msgs) = started().await;
    let inbox = l.inbox();
    let mut by_time = msgs.clone();
    by_time.sort_by(by_delivery_desc);
    let sensitivity = vec![SortOrder { tag: PR_SENSITIVITY, direction: SortDirection::Ascend }];
    for (slot, sort, want) in [(2u8, delivery_desc(), by_time), (4, sensitivity, msgs.clone())] {
        let want = mids(&want);
        let h = open(&mut l, inbox, slot, sort, None).await;
        // Each read fills the response buffer: one per request.
        let mut resp = Vec::new();
        for r in [
            req::query_rows(slot, 4_096, true),
            peek_rows(slot, 4_096, true),
            req::query_position(slot),
            req::query_rows(slot, 4_096, true),
        ] {
            resp.push(l.m.rops(&[r], h.clone()).await.0.remove(0));
        }
        let first: Vec<ObjectId> = rows_of(&resp[0]).iter().map(mid_of).collect();
        let n = first.len();
        assert!(n > 10 && n < MESSAGES / 2, "slot {slot}: {n} rows fit");
        assert_eq!(first, want[..n], "slot {slot}: the first rows");
        assert_eq!(origin_of(&resp[0]), 1, "BOOKMARK_CURRENT: rows remain");
        let peeked: Vec<ObjectId> = rows_of(&resp[1]).iter().map(mid_of).collect();
        assert_eq!(peeked, want[n..n + peeked.len()], "slot {slot}: NoAdvance reads on");
        assert_eq!(position(&resp[2]), (n as u32, MESSAGES as u32), "NoAdvance left the cursor");
        let next: Vec<ObjectId> = rows_of(&resp[3]).iter().map(mid_of).collect();
        assert_eq!(next, peeked, "slot {slot}: the next read continues at the next row");

        let reqs = [req::seek_row(slot, END, 0), req::query_rows(slot, 4_096, false)];
        let (resp, _) = l.m.rops(&reqs, h.clone()).await;
        let last: Vec<ObjectId> = rows_of(&resp[1]).iter().map(mid_of).collect();
        let k = last.len();
        assert_eq!(last, want[MESSAGES - k..], "slot {slot}: a backward read from the end");
        assert_eq!(origin_of(&resp[1]), 1, "BOOKMARK_CURRENT: rows remain before");
        let (resp, _) = l.m.rops(&[req::query_position(slot)], h.clone()).await;
        assert_eq!(position(&resp[0]).0, (MESSAGES - k) as u32, "the cursor on the first row sent");
    }
}

/// A client that read an index-backed table to its end and reads again after another session
/// added a row gets that row when it sorts after the last row read, and no row (none twice)
/// when it sorts before; QueryPosition counts it where it sorts (MS-OXCTABL 3.2.5.5–3.2.5.6,
/// as the memory engine's cursor past its last row).
#[tokio::test]
async fn a_row_added_after_the_last_row_read_is_read_next() {
    let ts = TestServer::start_in_memory().await;
    let alice = ts.add_user("alice", false);
    let subject = |s: &str| vec![tv(PR_SUBJECT, PropValue::Unicode(s.into()))];
    let fid = with_server_store(&ts, &alice, |store| {
        let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
        let (fid, _) =
            store.create_folder(inbox, "few", None, None, oxmapi_store::FolderType::Generic, false).unwrap();
        for s in ["b", "d"] {
            let mut d = store.create_message(fid, false).unwrap();
            store.set_properties(&mut d, &subject(s)).unwrap();
            store.save_message(&mut d, false).unwrap();
        }
        fid
    });
    let mut l = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let h = open(&mut l, fid, 2, subject_sort(), None).await;
    let (resp, _) = l.m.rops(&[req::query_rows(2, 10, true)], h.clone()).await;
    assert_eq!(rows_of(&resp[0]).len(), 2, "{resp:?}");

    let last = new_message(&mut writer, fid, false, subject("e")).await;
    let (resp, _) = l.m.rops(&[req::query_rows(2, 10, true), req::query_position(2)], h.clone()).await;
    assert_eq!(rows_of(&resp[0]).iter().map(mid_of).collect::<Vec<_>>(), [last], "the row added last");
    assert_eq!(position(&resp[1]), (3, 3));

    new_message(&mut writer, fid, false, subject("a")).await;
    let (resp, _) = l.m.rops(&[req::query_rows(2, 10, true), req::query_position(2)], h.clone()).await;
    assert_eq!(rows_of(&resp[0]).len(), 0, "a row added before the cursor is not read");
    assert_eq!(position(&resp[1]), (4, 4));
}
