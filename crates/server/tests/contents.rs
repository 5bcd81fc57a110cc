//! Contents tables and folder-level message operations over real HTTP (MS-OXCFOLD 3.2.5.6,
//! 3.2.5.11–3.2.5.14; MS-OXCTABL 3.2.5): columns, multi-key and descending sorts,
//! content/property/bitmask/and/or/not restrictions on columns the table was not showing,
//! forward and backward reads, seeks, bookmarks, FindRow, positions, the FAI table, the
//! response-buffer rules of QueryRows, and delete/move/copy with partial completion (the
//! OpenChange mapitest GET-CONTENTS-TABLE, QUERYROWS, SEEKROW, RESTRICT, CREATE-BOOKMARK,
//! SEEKROW-BOOKMARK, MOVECOPY-MESSAGES, DELETEMESSAGES and HARDDELETEMESSAGES cases).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags::{MSGFLAG_ASSOCIATED, MSGFLAG_READ};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{BitmapRelOp, FL_IGNORECASE, FL_PREFIX, FL_SUBSTRING, RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::SetReadFlagsRequest;
use oxmapi_wire::rop::oxctabl::{CreateBookmarkRequest, QueryColumnsAllRequest, SeekRowBookmarkRequest};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// TableFlags Associated | UseUnicode, UseUnicode.
const FAI_TABLE: u8 = 0x42;
const TABLE: u8 = 0x40;
/// Origins (MS-OXCTABL 2.2.2.1.1).
const BEGINNING: u8 = 0;
const CURRENT: u8 = 1;
const END: u8 = 2;
const CUSTOM: u8 = 3;

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

fn is(tag: PropTag, value: PropValue) -> Restriction {
    Restriction::Property { relop: RelOp::Eq, prop_tag: tag, value: TaggedValue::new(tag, value) }
}

fn contains(s: &str, low: u16) -> Restriction {
    Restriction::Content {
        fuzzy_level_low: low,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_SUBJECT,
        value: text(PR_SUBJECT, s),
    }
}

/// The first column of each row, as text.
fn subjects(r: &RopResponse) -> Vec<String> {
    rows_of(r)
        .iter()
        .map(|row| match &row.values[0] {
            RowValue::Value(v) => v.as_text().unwrap().into_owned(),
            other => panic!("{other:?}"),
        })
        .collect()
}

fn position(r: &RopResponse) -> (u32, u32) {
    let RopResponse::QueryPosition(o) = r else { panic!("{r:?}") };
    let b = o.body.as_ref().unwrap();
    (b.numerator, b.denominator)
}

fn row_count(r: &RopResponse) -> u32 {
    let RopResponse::GetContentsTable(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.as_ref().unwrap().row_count
}

/// Five messages in the Inbox; "Beta notes" and "delta" are unread.
async fn seeded() -> (TestServer, Logon, Vec<ObjectId>) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mut mids = Vec::new();
    for (subject, importance, class) in [
        ("alpha report", 1, "IPM.Note"),
        ("Beta notes", 2, "IPM.Note"),
        ("gamma report", 2, "IPM.Task"),
        ("delta", 0, "IPM.Note"),
        ("Epsilon REPORT", 1, "IPM.Note"),
    ] {
        let props = vec![
            text(PR_SUBJECT, subject),
            TaggedValue::new(PR_IMPORTANCE, PropValue::I32(importance)),
            text(PR_MESSAGE_CLASS, class),
        ];
        mids.push(new_message(&mut c, inbox, false, props).await);
    }
    let unread = RopRequest::SetReadFlags(SetReadFlagsRequest {
        logon_id: 0,
        input_handle_index: 1,
        want_asynchronous: 0,
        read_flags: 0x04,
        message_ids: vec![mids[1], mids[3]],
    });
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, inbox), unread], c.slots(1)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    (ts, c, mids)
}

#[tokio::test]
async fn sort_restrict_seek_bookmark_and_find() {
    let (_ts, mut c, mids) = seeded().await;
    let columns = [PR_SUBJECT, PR_IMPORTANCE, PR_MID, PR_INSTANCE_KEY];
    let by_importance_then_subject = vec![
        SortOrder { tag: PR_IMPORTANCE, direction: SortDirection::Descend },
        SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend },
    ];
    let reqs = [
        req::open_folder(0, 1, c.inbox()),
        req::contents_table(1, 2, TABLE),
        req::query_rows(2, 10, true),
        req::set_columns(2, &columns),
        req::query_rows(2, 10, true),
        req::sort(2, by_importance_then_subject),
        req::query_rows(2, 2, true),
        req::query_position(2),
        req::seek_row(2, CURRENT, 1),
        RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: 2 }),
        req::query_rows(2, 2, false),
        req::query_position(2),
    ];
    let (resp, h) = c.m.rops(&reqs, c.slots(2)).await;
    assert_eq!(row_count(&resp[1]), 5);
    assert_eq!(rv(&resp[2]), codes::EC_NULL_OBJECT.0, "QueryRows before SetColumns");
    let rows = rows_of(&resp[4]);
    let got_mids: Vec<_> = rows.iter().map(|r| r.values[2].clone()).collect();
    let want: Vec<_> = mids.iter().map(|m| RowValue::Value(PropValue::I64(m.to_u64() as i64))).collect();
    assert_eq!(got_mids, want, "unsorted: MID order");
    let keys: Vec<_> = rows.iter().map(|r| r.values[3].clone()).collect();
    assert!(keys.iter().all(|k| matches!(k, RowValue::Value(PropValue::Binary(b)) if !b.is_empty())));
    assert!((1..keys.len()).all(|i| !keys[..i].contains(&keys[i])), "PR_INSTANCE_KEY is unique per row");
    assert_eq!(subjects(&resp[6]), vec!["Beta notes", "gamma report"]);
    assert_eq!(position(&resp[7]), (2, 5));
    let RopResponse::SeekRow(o) = &resp[8] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().rows_sought, 1);
    let RopResponse::CreateBookmark(o) = &resp[9] else { panic!() };
    let bookmark = o.body.as_ref().unwrap().bookmark.clone();
    assert_eq!(subjects(&resp[10]), vec!["gamma report", "alpha report"], "backward: rows before the cursor");
    assert_eq!(position(&resp[11]), (1, 5));

    let reqs = [
        RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
            logon_id: 0,
            input_handle_index: 2,
            bookmark: bookmark.clone(),
            row_count: 0,
            want_row_moved_count: 1,
        }),
        req::query_rows(2, 1, true),
        req::find_row(2, text_is("delta"), BEGINNING, false, vec![]),
        req::query_position(2),
        req::find_row(2, is(PR_IMPORTANCE, PropValue::I32(2)), END, true, vec![]),
        req::find_row(2, is(PR_IMPORTANCE, PropValue::I32(1)), CUSTOM, false, bookmark),
        req::find_row(2, text_is("omega"), BEGINNING, false, vec![]),
        req::seek_row(2, END, -10),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    assert_eq!(subjects(&resp[1]), vec!["Epsilon REPORT"], "the bookmark is on the fourth row");
    assert_eq!(found(&resp[2]), "delta");
    assert_eq!(position(&resp[3]), (4, 5), "FindRow moves the cursor to the row");
    assert_eq!(found(&resp[4]), "gamma report");
    assert_eq!(found(&resp[5]), "Epsilon REPORT");
    assert_eq!(rv(&resp[6]), codes::MAPI_E_NOT_FOUND.0);
    let RopResponse::SeekRow(o) = &resp[7] else { panic!() };
    let b = o.body.as_ref().unwrap();
    assert_eq!((b.has_sought_less, b.rows_sought), (1, -5));
}

fn text_is(s: &str) -> Restriction {
    is(PR_SUBJECT, PropValue::Unicode(s.into()))
}

fn found(r: &RopResponse) -> String {
    let RopResponse::FindRow(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Some(oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. }) = &o.body.as_ref().unwrap().row else {
        panic!()
    };
    rows[0].values[0].value().and_then(|v| v.as_text()).unwrap().into_owned()
}

#[tokio::test]
async fn restrictions_on_columns_the_table_does_not_show() {
    let (_ts, mut c, _) = seeded().await;
    let unread =
        Restriction::BitMask { relop: BitmapRelOp::Eqz, prop_tag: PR_MESSAGE_FLAGS, mask: MSGFLAG_READ };
    let cases: Vec<(Option<Restriction>, Vec<&str>)> = vec![
        (Some(contains("report", FL_SUBSTRING)), vec!["alpha report", "gamma report", "Epsilon REPORT"]),
        (Some(is(PR_IMPORTANCE, PropValue::I32(2))), vec!["Beta notes", "gamma report"]),
        (Some(unread), vec!["Beta notes", "delta"]),
        (
            Some(Restriction::And(vec![
                contains("report", FL_SUBSTRING),
                Restriction::Not(Box::new(is(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Task".into())))),
            ])),
            vec!["alpha report", "Epsilon REPORT"],
        ),
        (
            Some(Restriction::Or(vec![is(PR_IMPORTANCE, PropValue::I32(0)), contains("beta", FL_PREFIX)])),
            vec!["Beta notes", "delta"],
        ),
        (None, vec!["alpha report", "Beta notes", "gamma report", "delta", "Epsilon REPORT"]),
    ];
    let mut reqs = vec![
        req::open_folder(0, 1, c.inbox()),
        req::contents_table(1, 2, TABLE),
        req::set_columns(2, &[PR_SUBJECT]),
    ];
    for (r, _) in &cases {
        reqs.push(req::restrict(2, r.clone()));
        reqs.push(req::query_rows(2, 10, true));
    }
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for (i, (_, want)) in cases.iter().enumerate() {
        assert_eq!(rv(&resp[3 + 2 * i]), 0);
        assert_eq!(subjects(&resp[4 + 2 * i]), *want, "case {i}");
    }
    // A sort on a column the table does not show, after a restriction (cursor back at the top).
    let reqs = [
        req::open_folder(0, 1, c.inbox()),
        req::contents_table(1, 2, TABLE),
        req::set_columns(2, &[PR_SUBJECT]),
        req::restrict(2, Some(contains("e", FL_SUBSTRING))),
        req::query_rows(2, 1, true),
        req::sort(2, vec![SortOrder { tag: PR_MESSAGE_CLASS, direction: SortDirection::Descend }]),
        req::query_rows(2, 1, true),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    assert_eq!(
        subjects(&resp[6]),
        vec!["gamma report"],
        "IPM.Task sorts after IPM.Note; the cursor restarted"
    );
}

#[tokio::test]
async fn the_table_follows_the_folder_and_fai_has_its_own() {
    let (_ts, mut c, mids) = seeded().await;
    let inbox = c.inbox();
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, TABLE),
        req::set_columns(2, &[PR_SUBJECT]),
        req::query_rows(2, 2, true),
    ];
    let (_, h) = c.m.rops(&reqs, c.slots(3)).await;
    new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "zeta")]).await;
    new_message(
        &mut c,
        inbox,
        true,
        vec![text(PR_SUBJECT, "view settings"), text(PR_MESSAGE_CLASS, "IPM.Microsoft.FolderDesign")],
    )
    .await;
    let reqs = [
        req::query_position(2),
        req::delete_messages(1, vec![mids[0]], true),
        req::query_position(2),
        req::query_rows(2, 10, true),
        req::contents_table(1, 3, FAI_TABLE),
        req::set_columns(3, &[PR_SUBJECT, PR_MESSAGE_FLAGS, PR_ASSOCIATED]),
        req::query_rows(3, 10, true),
        RopRequest::QueryColumnsAll(QueryColumnsAllRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(position(&resp[0]), (2, 6), "the new message shows up; the cursor stays");
    assert_eq!(position(&resp[2]), (1, 5), "a deleted row before the cursor moves it up");
    assert_eq!(subjects(&resp[3]), vec!["gamma report", "delta", "Epsilon REPORT", "zeta"]);
    let rows = rows_of(&resp[6]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].values[0], RowValue::Value(PropValue::Unicode("view settings".into())));
    let RowValue::Value(PropValue::I32(flags)) = rows[0].values[1] else { panic!("{rows:?}") };
    assert_ne!(flags as u32 & MSGFLAG_ASSOCIATED, 0);
    assert_eq!(rows[0].values[2], RowValue::Value(PropValue::Bool(true)));
    let RopResponse::QueryColumnsAll(o) = &resp[7] else { panic!() };
    let all = &o.body.as_ref().unwrap().property_tags;
    for t in [PR_SUBJECT, PR_IMPORTANCE, PR_MESSAGE_CLASS, PR_MID, PR_ENTRYID] {
        assert!(all.iter().any(|a| a.id() == t.id()), "{t:?} missing from {all:?}");
    }
}

#[tokio::test]
async fn query_rows_fits_the_response_buffer() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    for i in 0..6 {
        new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, &format!("{i}{}", "s".repeat(200)))]).await;
    }
    let reqs =
        [req::open_folder(0, 1, inbox), req::contents_table(1, 2, TABLE), req::set_columns(2, &[PR_SUBJECT])];
    let (_, h) = c.m.rops(&reqs, c.slots(2)).await;
    // ~410 bytes per row: 1000 bytes hold two rows, whole ones only.
    let (resp, _) = c.m.rops_limited(&[req::query_rows(2, 100, true)], h.clone(), 1000).await;
    assert_eq!(subjects(&resp[0]).len(), 2);
    let (resp, _) = c.m.rops_limited(&[req::query_rows(2, 100, true)], h.clone(), 300).await;
    assert_eq!(rv(&resp[0]), codes::EC_BUFFER_TOO_SMALL.0, "not even one row fits");
    let (resp, _) =
        c.m.rops_limited(&[req::query_position(2), req::query_rows(2, 100, true)], h.clone(), 90).await;
    assert_eq!(position(&resp[0]), (2, 6), "the failed read left the cursor alone");
    let RopResponse::BufferTooSmall(b) = &resp[1] else { panic!("{resp:?}") };
    assert!(b.size_needed > 90 - 8);
    let (resp, _) = c.m.rops(&[req::query_rows(2, 100, true)], h).await;
    assert_eq!(subjects(&resp[0]).len(), 4, "the rest, after the two sent");
}

fn count(r: &RopResponse) -> i32 {
    match props_of(r)[0] {
        RowValue::Value(PropValue::I32(n)) => n,
        ref other => panic!("{other:?}"),
    }
}

fn partial(r: &RopResponse) -> (u32, u8) {
    match r {
        RopResponse::DeleteMessages(o) | RopResponse::HardDeleteMessages(o) => {
            (o.return_value, o.body.as_ref().map_or(0xFF, |b| b.partial_completion))
        }
        RopResponse::MoveCopyMessages(o) => {
            (o.return_value, o.body.as_ref().map_or(0xFF, |b| b.partial_completion))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn delete_move_copy_with_partial_completion() {
    let (_ts, mut c, mids) = seeded().await;
    let (inbox, deleted) = (c.inbox(), c.deleted_items());
    let missing = ObjectId::new(1, 0x7F_FFFF);
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::open_folder(0, 2, deleted),
        req::delete_messages(1, vec![mids[0], missing], false),
        req::delete_messages(1, vec![mids[1]], true),
        req::move_copy(1, 2, vec![mids[2], missing], true),
        req::move_copy(1, 2, vec![mids[3]], false),
        req::move_copy(1, 3, vec![mids[4]], false),
        req::get_props(1, &[PR_CONTENT_COUNT]),
        req::get_props(2, &[PR_CONTENT_COUNT]),
        req::open_message(0, 3, deleted, mids[3], 0),
        req::open_message(0, 3, inbox, mids[0], 0),
        req::open_message(0, 3, inbox, mids[0], 0x04),
        req::open_message(0, 3, inbox, mids[1], 0x04),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    assert_eq!(partial(&resp[2]), (0, 1), "soft delete, one MID missing");
    assert_eq!(partial(&resp[3]), (0, 0));
    assert_eq!(partial(&resp[4]), (0, 1), "copy, one MID missing");
    assert_eq!(partial(&resp[5]), (0, 0));
    let RopResponse::MoveCopyMessages(o) = &resp[6] else { panic!() };
    assert_eq!(o.return_value, codes::EC_DST_NULL_OBJECT.0);
    assert_eq!(o.body.as_ref().unwrap().dest_handle_index, Some(3));
    assert_eq!(count(&resp[7]), 2, "Inbox: gamma (copied) and Epsilon");
    assert_eq!(count(&resp[8]), 2, "Deleted Items: the copy and the moved delta");
    assert_eq!(rv(&resp[9]), 0, "a moved message keeps its MID");
    assert_eq!(rv(&resp[10]), codes::MAPI_E_NOT_FOUND.0);
    assert_eq!(rv(&resp[11]), 0, "OpenSoftDeleted opens a soft-deleted message");
    assert_eq!(rv(&resp[12]), codes::MAPI_E_NOT_FOUND.0, "a hard-deleted one is gone");
}

/// The index-backed fast path of RopRestrict: ranges on PR_MESSAGE_DELIVERY_TIME and equality on
/// PR_MESSAGE_CLASS are answered from the denormalised columns, combined with parts the store
/// cannot push down (PR_IMPORTANCE, an OR with a content restriction, NOT), and the results are
/// exactly those of the full evaluation; a later save shows up in the restricted table.
#[tokio::test]
async fn restrictions_on_indexed_columns_are_exact() {
    use oxmapi_core::time::FileTime;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let day = 864_000_000_000u64;
    for i in 0..20u64 {
        let props = vec![
            text(PR_SUBJECT, &format!("m{i:02}")),
            TaggedValue::new(
                PR_MESSAGE_DELIVERY_TIME,
                PropValue::SysTime(FileTime(130_000_000_000_000_000 + i * day)),
            ),
            TaggedValue::new(PR_IMPORTANCE, PropValue::I32((i % 3) as i32)),
            text(PR_MESSAGE_CLASS, if i % 2 == 0 { "IPM.Note" } else { "IPM.Task" }),
        ];
        new_message(&mut c, inbox, false, props).await;
    }
    let t = |i: u64| {
        TaggedValue::new(
            PR_MESSAGE_DELIVERY_TIME,
            PropValue::SysTime(FileTime(130_000_000_000_000_000 + i * day)),
        )
    };
    let range = |lo: u64, hi: u64| {
        Restriction::And(vec![
            Restriction::Property { relop: RelOp::Ge, prop_tag: PR_MESSAGE_DELIVERY_TIME, value: t(lo) },
            Restriction::Property { relop: RelOp::Lt, prop_tag: PR_MESSAGE_DELIVERY_TIME, value: t(hi) },
        ])
    };
    let cases: Vec<(Restriction, Vec<&str>)> = vec![
        (range(5, 9), vec!["m05", "m06", "m07", "m08"]),
        (
            Restriction::And(vec![range(0, 10), is(PR_IMPORTANCE, PropValue::I32(2))]),
            vec!["m02", "m05", "m08"],
        ),
        (
            Restriction::And(vec![
                is(PR_MESSAGE_CLASS, PropValue::Unicode("ipm.task".into())),
                range(10, 20),
            ]),
            vec!["m11", "m13", "m15", "m17", "m19"],
        ),
        (Restriction::Or(vec![range(18, 30), contains("m03", FL_SUBSTRING)]), vec!["m03", "m18", "m19"]),
        (Restriction::Not(Box::new(range(1, 20))), vec!["m00"]),
    ];
    let by_subject = vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }];
    for (r, want) in cases {
        let reqs = [
            req::open_folder(0, 1, inbox),
            req::contents_table(1, 2, TABLE),
            req::set_columns(2, &[PR_SUBJECT]),
            req::sort(2, by_subject.clone()),
            req::restrict(2, Some(r.clone())),
            req::query_rows(2, 100, true),
        ];
        let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
        assert_eq!(subjects(&resp[5]), want, "{r:?}");
    }
    // A table restricted to a range follows a message saved into it afterwards.
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, TABLE),
        req::set_columns(2, &[PR_SUBJECT]),
        req::restrict(2, Some(range(5, 7))),
        req::query_rows(2, 100, true),
    ];
    let (resp, h) = c.m.rops(&reqs, c.slots(2)).await;
    assert_eq!(subjects(&resp[4]), vec!["m05", "m06"]);
    let props = vec![text(PR_SUBJECT, "late"), t(6)];
    new_message(&mut c, inbox, false, props).await;
    let (resp, _) = c.m.rops(&[req::seek_row(2, BEGINNING, 0), req::query_rows(2, 100, true)], h).await;
    let mut got = subjects(&resp[1]);
    got.sort();
    assert_eq!(got, vec!["late", "m05", "m06"]);
}

/// A column with MV_INSTANCE (one row per value, MS-OXCTABL 2.2.2.2.1) is served by the
/// in-memory engine, other views of a normal folder by the index-backed one: RopSetColumns
/// that switches between them keeps the cursor on its row (MS-OXCTABL 3.2.5.1: SetColumns
/// does not move the cursor).
#[tokio::test]
async fn set_columns_that_switches_engines_keeps_the_cursor_on_its_row() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let values = PropTag::from_parts(0x6750, 0x101F);
    let instances = PropTag::from_parts(0x6750, 0x301F);
    for (subject, mv) in [("a", vec![]), ("b", vec!["x", "y"]), ("c", vec!["p", "q"]), ("d", vec![])] {
        let mut props = vec![text(PR_SUBJECT, subject)];
        if !mv.is_empty() {
            props.push(TaggedValue::new(
                values,
                PropValue::MvUnicode(mv.iter().map(|s| s.to_string()).collect()),
            ));
        }
        new_message(&mut c, inbox, false, props).await;
    }
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, TABLE),
        req::set_columns(2, &[PR_SUBJECT, PR_MID]),
        req::sort(2, vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]),
        req::query_rows(2, 2, true),
        req::set_columns(2, &[PR_SUBJECT, instances]),
        req::query_rows(2, 2, true),
        req::set_columns(2, &[PR_SUBJECT, PR_MID]),
        req::query_rows(2, 10, true),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    resp.iter().for_each(|r| assert_eq!(rv(r), 0, "{resp:?}"));
    assert_eq!(subjects(&resp[4]), ["a", "b"]);
    let rows = rows_of(&resp[6]);
    let got: Vec<_> = rows.iter().map(|r| (r.values[0].clone(), r.values[1].clone())).collect();
    let row = |s: &str, v: &str| {
        (RowValue::Value(PropValue::Unicode(s.into())), RowValue::Value(PropValue::Unicode(v.into())))
    };
    assert_eq!(got, [row("c", "p"), row("c", "q")], "one row per value, from the cursor's row");
    assert_eq!(subjects(&resp[8]), ["d"], "back on the index: the cursor stayed on its row");
}
