//! SQLite only (the costs are SQLite's virtual machine steps; PostgreSQL has no such counter).
//!
//! The first page of a 20,000-message folder costs a page, not the folder: counted in SQLite
//! virtual machine steps ([`IndexedTable::sql_steps`]), which do not depend on timing, it
//! costs no more than on a 2,000-message folder (within 2×) and less than one step per
//! message. A view that had to read the folder (a sort without an index, rows loaded whole)
//! costs ten times more on the ten times bigger folder; the control at the end shows such a
//! view does.

use crate::db::params;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::Fixture;
use crate::mailbox::messages::sort_keys::refresh_sort_keys;
use crate::table::indexed::stream::SCAN_BATCH;
use crate::table::{ContentsScope, IndexedTable, Origin};

const SMALL: u64 = 2_000;
const BIG: u64 = 20_000;
const PAGE: usize = 50;

/// A folder of `n` messages written straight into SQLite (saving them one by one would take
/// minutes in a debug build), with their sort keys computed as every save does; MIDs from
/// `first`.
pub(super) fn folder(fx: &mut Fixture, n: u64, first: u64) -> ContentsScope {
    let fid = fx.folder();
    let conn = fx.store.lock().unwrap();
    let tx = conn.transaction(crate::db::TxKind::Write).unwrap();
    for i in 0..n {
        let mid = (first + i) as i64;
        let when = 130_000_000_000_000_000i64 + ((i * 104_729) % n) as i64 * 10_000_000;
        tx.execute(
            "INSERT INTO messages (mid, fid, associated, change_number, message_size, created, modified) \
             VALUES (?1, ?2, 0, ?1, 100, ?3, ?3)",
            params![mid, fid.global_counter as i64, when],
        )
        .unwrap();
        let props = [
            (PR_SUBJECT, PropValue::Unicode(format!("Subject {:05}", (i * 7919) % n))),
            (PR_IMPORTANCE, PropValue::I32((i % 3) as i32)),
            (PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(oxmapi_core::time::FileTime(when as u64))),
            (PR_BODY, PropValue::Unicode("body".into())),
        ];
        for (tag, v) in props {
            tx.execute(
                "INSERT INTO message_properties (mid, propid, proptype, value) VALUES (?1, ?2, ?3, ?4)",
                params![mid, tag.id(), v.prop_type().code(), crate::propvalue::to_sql(&v)],
            )
            .unwrap();
        }
        refresh_sort_keys(&tx, mid as u64).unwrap();
    }
    tx.commit().unwrap();
    ContentsScope { fid, associated: false, soft_deleted: false }
}

fn table(
    fx: &Fixture,
    scope: ContentsScope,
    sort: &[(PropTag, bool)],
    r: Option<Restriction>,
) -> IndexedTable {
    let orders = sort
        .iter()
        .map(|(tag, desc)| SortOrder {
            tag: *tag,
            direction: if *desc { SortDirection::Descend } else { SortDirection::Ascend },
        })
        .collect();
    let columns = vec![PR_SUBJECT, PR_MESSAGE_DELIVERY_TIME, PR_IMPORTANCE, PR_MID];
    IndexedTable::new(fx.store.clone(), scope, columns, SortOrderSet::plain(orders), r)
}

/// The steps the first page (forward from the beginning) and the last page (backward from
/// the end) cost, each.
fn page_steps(t: &mut IndexedTable) -> [u64; 2] {
    let page = t.query_rows(PAGE, true, false).unwrap();
    assert_eq!(page.rows.len(), PAGE);
    let first = t.sql_steps();
    t.seek(Origin::End, 0).unwrap();
    assert_eq!(t.query_rows(PAGE, false, false).unwrap().rows.len(), PAGE);
    [first, t.sql_steps() - first]
}

fn importance(i: i32) -> Restriction {
    let value = TaggedValue::new(PR_IMPORTANCE, PropValue::I32(i));
    Restriction::Property { relop: RelOp::Eq, prop_tag: PR_IMPORTANCE, value }
}

/// The views measured, by name.
fn views(fx: &Fixture, scope: ContentsScope) -> Vec<(&'static str, IndexedTable)> {
    vec![
        ("delivery-time sort", table(fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], None)),
        ("subject sort", table(fx, scope, &[(PR_SUBJECT, false)], None)),
        ("importance sort, highest first", table(fx, scope, &[(PR_IMPORTANCE, true)], None)),
        ("subject sort, descending", table(fx, scope, &[(PR_SUBJECT, true)], None)),
        ("importance restriction", table(fx, scope, &[], Some(importance(2)))),
        (
            "importance restriction, time sort",
            table(fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(importance(1))),
        ),
    ]
}

/// A residual restriction no message passes: every message must be looked at.
fn nothing() -> Restriction {
    Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_BODY,
        value: TaggedValue::new(PR_BODY, PropValue::Unicode("absent".into())),
    }
}

#[test]
fn the_first_page_of_a_big_folder_does_not_read_the_folder() {
    let mut fx = Fixture::files();
    let small = folder(&mut fx, SMALL, 1_000_000);
    let big = folder(&mut fx, BIG, 2_000_000);
    for ((what, mut s), (_, mut b)) in views(&fx, small).into_iter().zip(views(&fx, big)) {
        let (s, b) = (page_steps(&mut s), page_steps(&mut b));
        for i in 0..2 {
            assert!(b[i] <= 2 * s[i] && b[i] < BIG, "{what}: {s:?} steps at {SMALL}, {b:?} at {BIG}");
        }
    }

    // The control: a scan of the folder costs ten times more on the ten times bigger folder.
    let scan = |scope| {
        let mut t = table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(nothing()));
        assert!(t.query_rows(PAGE, true, false).unwrap().rows.is_empty());
        t.sql_steps()
    };
    let (s, b) = (scan(small), scan(big));
    assert!(b > 5 * s && b > BIG, "a scan of the folder: {s} steps at {SMALL}, {b} at {BIG}");
}

/// Lead's decision (issue 15): ties follow the direction of the last sort key, so a view
/// sorted on one descending key is a backward walk of that key's index. Its first page is one
/// keyset query and one read of the page's rows — before, the walk took the view one value at
/// a time (ties in MID ascending order), one query per distinct value: per row for the
/// delivery time. With a restriction exact in SQL, the same.
#[test]
fn a_descending_sort_reads_its_first_page_in_one_walk_not_one_query_per_value() {
    let mut fx = Fixture::files();
    let scope = folder(&mut fx, SMALL, 1_000_000);
    let views = [
        ("delivery time, newest first", table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], None)),
        ("subject, descending", table(&fx, scope, &[(PR_SUBJECT, true)], None)),
        ("importance, highest first", table(&fx, scope, &[(PR_IMPORTANCE, true)], None)),
        (
            "importance 2, delivery time newest first",
            table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(importance(2))),
        ),
    ];
    for (what, mut t) in views {
        assert_eq!(t.query_rows(PAGE, true, false).unwrap().rows.len(), PAGE);
        // Batches of SCAN_BATCH keys (tiny under test), each at most two index ranges (the
        // anchor's value, then the values past it), then one read of the page's rows.
        let bound = 2 * (PAGE as u64 + 1).div_ceil(SCAN_BATCH as u64) + 1;
        assert!(t.sql_queries() <= bound, "{what}: the first page took {} queries", t.sql_queries());
        let before = t.sql_queries();
        t.seek(Origin::End, 0).unwrap();
        assert_eq!(t.query_rows(PAGE, false, false).unwrap().rows.len(), PAGE);
        let last = t.sql_queries() - before;
        assert!(last <= bound, "{what}: the last page took {last} queries");
    }
}

/// The engine-selection rule's folder-size question ("more than 1,000 messages?", asked on
/// every RopRestrict and RopSortTable of a contents table) reads at most 1,001 index entries:
/// as cheap on 20,000 messages as on 2,000 — a COUNT(*) of the folder costs ten times more.
#[test]
fn the_folder_size_rule_does_not_count_a_big_folder() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let mut fx = Fixture::files();
    let small = folder(&mut fx, SMALL, 1_000_000);
    let big = folder(&mut fx, BIG, 2_000_000);
    let cost = |scope, n| {
        let steps = AtomicU64::new(0);
        let more = IndexedTable::scope_holds_more_than(&fx.store, scope, n, &steps).unwrap();
        (more, steps.load(Ordering::Relaxed))
    };
    let (more_small, s) = cost(small, 1_000);
    let (more_big, b) = cost(big, 1_000);
    assert!(more_small && more_big);
    assert!(b <= 2 * s && b < BIG, "{s} steps at {SMALL}, {b} at {BIG}");
    assert_eq!(
        cost(small, SMALL as usize),
        (false, cost(small, SMALL as usize).1),
        "exactly SMALL: not more"
    );
    assert!(cost(small, SMALL as usize - 1).0, "one more than SMALL - 1");
}

/// A client that sends RopQueryPosition with every RopQueryRows (ours does, to bound a read)
/// must not make each page count the rows before the cursor — O(position), the folder at the
/// end of a read: the position of a cursor moved by reads and seeks from a known place is
/// known without a query; the row count is counted once until the store changes.
#[test]
fn query_position_after_reads_and_seeks_runs_no_count() {
    let mut fx = Fixture::files();
    let scope = folder(&mut fx, SMALL, 1_000_000);
    let mut t = table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(importance(2)));
    let total = t.row_count().unwrap();
    let mut at = 0;
    for _ in 0..3 {
        at += t.query_rows(PAGE, true, false).unwrap().rows.len();
        let before = t.sql_queries();
        assert_eq!(t.query_position().unwrap(), (at as u32, total as u32));
        assert_eq!(t.sql_queries(), before, "QueryPosition after a read at {at} ran a query");
    }
    t.unread(PAGE, 10, true);
    at -= PAGE - 10;
    let before = t.sql_queries();
    assert_eq!(t.query_position().unwrap(), (at as u32, total as u32), "after an unread");
    t.seek(Origin::Current, 7).unwrap();
    assert_eq!(t.query_position().unwrap(), (at as u32 + 7, total as u32), "after a seek");
    t.seek(Origin::End, -3).unwrap();
    assert_eq!(t.query_position().unwrap(), (total as u32 - 3, total as u32), "from the end");
    t.seek_fractional(1, 2).unwrap();
    assert_eq!(t.query_position().unwrap().0, total as u32 / 2, "after a fractional seek");
    let queries = t.sql_queries() - before;
    // The seeks walk (a query or two each); the positions count nothing.
    assert!(queries <= 8, "{queries} queries for three seeks and four positions");
    // A store change forgets it: the count runs again and agrees.
    t.changed();
    assert_eq!(t.query_position().unwrap().0, total as u32 / 2);
}

/// The row count of a view restricted on an indexed column (PR_IMPORTANCE == 2, a third of
/// the folder) sorted on another (the delivery time) is an index-only count of the matching
/// rows through the restriction column's index: cheaper than counting the whole folder, where
/// walking the sort key's index had to read every message of the folder to test it.
#[test]
fn a_restricted_count_reads_the_matching_index_entries_not_the_folder() {
    let mut fx = Fixture::files();
    let scope = folder(&mut fx, BIG, 1_000_000);
    let count = |r| {
        let mut t = table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], r);
        let n = t.row_count().unwrap();
        (n, t.sql_steps())
    };
    // Every message passes PR_IMPORTANCE >= 0: a count of the folder through the same index.
    let every = Restriction::Property {
        relop: RelOp::Ge,
        prop_tag: PR_IMPORTANCE,
        value: TaggedValue::new(PR_IMPORTANCE, PropValue::I32(0)),
    };
    let (all, whole) = count(Some(every));
    let (some, restricted) = count(Some(importance(2)));
    assert_eq!((all, some), (BIG as usize, (BIG as usize).div_ceil(3) - 1));
    assert!(restricted * 3 < whole * 2, "{restricted} steps to count {some} rows; {whole} for all {all}");
}

/// The row count of an unrestricted view is the scope's message count as the store keeps it
/// (`MessageStore::contents_count_in`, what RopGetContentsTable answers): the table runs no
/// count of its own over the sort key's index.
#[test]
fn an_unrestricted_row_count_is_the_folder_count_not_an_index_walk() {
    let mut fx = Fixture::files();
    let scope = folder(&mut fx, SMALL, 1_000_000);
    for sort in [&[(PR_MESSAGE_DELIVERY_TIME, true)][..], &[(PR_SUBJECT, false)], &[]] {
        let mut t = table(&fx, scope, sort, None);
        assert_eq!(t.row_count().unwrap(), SMALL as usize);
        assert_eq!((t.sql_queries(), t.sql_steps()), (0, 0), "{sort:?}: the table counted");
    }
}
