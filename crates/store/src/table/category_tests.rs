//! Categorized views of the in-memory engine: heading rows, RopExpandRow / RopCollapseRow and
//! the collapse state (MS-OXCTABL 2.2.2.13, 2.2.2.17–2.2.2.20, 3.2.5.3, 3.2.5.17–3.2.5.20).

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{
    PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DEPTH, PR_INST_ID, PR_MESSAGE_FLAGS, PR_ROW_TYPE,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use proptest::prelude::*;

use super::*;

const SUBJECT: PropTag = PropTag(0x0037_001F);
const SENDER: PropTag = PropTag(0x0C1A_001F);
const IMPORTANCE: PropTag = PropTag(0x0017_0003);

/// Message `n` (its MID has counter `n`) from `sender`, read when `read`.
fn msg(n: u64, sender: &str, importance: i32, read: bool) -> SourceRow {
    SourceRow {
        id: ObjectId::new(1, n).to_u64(),
        props: PropBag::new()
            .with(SUBJECT, PropValue::Unicode(format!("m{n}")))
            .with(SENDER, PropValue::Unicode(sender.into()))
            .with(IMPORTANCE, PropValue::I32(importance))
            .with(PR_MESSAGE_FLAGS, PropValue::I32(i32::from(read))),
    }
}

/// 6 messages of 3 senders: alice m1 m4 (m4 unread), bob m2 m5 m6 (m2 unread), carol m3.
fn mailbox() -> Vec<SourceRow> {
    vec![
        msg(1, "alice", 1, true),
        msg(2, "bob", 2, false),
        msg(3, "carol", 1, true),
        msg(4, "alice", 2, false),
        msg(5, "bob", 1, true),
        msg(6, "bob", 1, true),
    ]
}

const COLUMNS: [PropTag; 7] =
    [PR_INST_ID, PR_ROW_TYPE, PR_DEPTH, SENDER, SUBJECT, PR_CONTENT_COUNT, PR_CONTENT_UNREAD];

fn by(categories: &[PropTag], categorized: u16, expanded: u16) -> SortOrderSet {
    let mut orders: Vec<SortOrder> =
        categories.iter().map(|t| SortOrder { tag: *t, direction: SortDirection::Ascend }).collect();
    orders.push(SortOrder { tag: SUBJECT, direction: SortDirection::Ascend });
    SortOrderSet { orders, categorized_count: categorized, expanded_count: expanded }
}

fn table(sort: SortOrderSet) -> Table {
    let mut t = Table::new(mailbox(), COLUMNS.to_vec());
    t.sort(sort).unwrap();
    t
}

fn int(v: &Option<PropValue>) -> i64 {
    v.as_ref().and_then(|v| v.as_i64()).unwrap_or(-1)
}

fn text(v: &Option<PropValue>) -> String {
    v.as_ref().and_then(|v| v.as_text()).map(|s| s.into_owned()).unwrap_or_default()
}

/// The rows as `kind:value` strings: `H+sender(count/unread)` / `H-…` for headings, the
/// subject for leaves.
fn shape(t: &mut Table) -> Vec<String> {
    t.seek(Origin::Beginning, 0);
    let rows = t.query_rows(1000, true, true).rows;
    rows.iter()
        .map(|r| match int(&r[1]) as i32 {
            TBL_EXPANDED_CATEGORY | TBL_COLLAPSED_CATEGORY => format!(
                "{}{}{}({}/{})",
                if int(&r[1]) as i32 == TBL_EXPANDED_CATEGORY { "H+" } else { "H-" },
                "  ".repeat(int(&r[2]) as usize),
                text(&r[3]),
                int(&r[5]),
                int(&r[6])
            ),
            TBL_LEAF_ROW => text(&r[4]),
            other => format!("?{other}"),
        })
        .collect()
}

/// The category id (PidTagInstID) of the heading row of `sender` at depth 0.
fn category(t: &mut Table, sender: &str) -> u64 {
    t.seek(Origin::Beginning, 0);
    let rows = t.query_rows(1000, true, true).rows;
    let row = rows
        .iter()
        .find(|r| text(&r[3]) == sender && int(&r[1]) as i32 != TBL_LEAF_ROW && int(&r[2]) == 0)
        .expect("a heading row");
    int(&row[0]) as u64
}

#[test]
fn a_categorized_sort_puts_a_heading_before_each_sender() {
    let mut t = table(by(&[SENDER], 1, 1));
    assert_eq!(
        shape(&mut t),
        ["H+alice(2/1)", "m1", "m4", "H+bob(3/1)", "m2", "m5", "m6", "H+carol(1/0)", "m3"]
    );
    t.seek(Origin::Beginning, 0);
    let rows = t.query_rows(100, true, false).rows;
    // Leaf rows: TBL_LEAF_ROW at depth CategorizedCount, with their message id.
    assert_eq!((int(&rows[1][1]), int(&rows[1][2])), (1, 1));
    assert_eq!(int(&rows[1][0]) as u64, ObjectId::new(1, 1).to_u64());
    // Headings: depth 0, distinct category ids that are no message id.
    let ids: Vec<i64> = [0, 3, 7].iter().map(|i| int(&rows[*i][0])).collect();
    assert_eq!(int(&rows[0][2]), 0);
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    assert!(ids.iter().all(|id| ObjectId::from_u64(*id as u64).replica_id != 1));
}

#[test]
fn expanded_count_zero_shows_only_collapsed_headings() {
    let mut t = table(by(&[SENDER], 1, 0));
    assert_eq!(shape(&mut t), ["H-alice(2/1)", "H-bob(3/1)", "H-carol(1/0)"]);
    assert_eq!(t.query_position(), (0, 3));
}

#[test]
fn two_levels_expand_the_outer_and_collapse_the_inner() {
    let mut t = table(by(&[SENDER, IMPORTANCE], 2, 1));
    let rows = shape(&mut t);
    assert_eq!(
        rows,
        [
            "H+alice(2/1)",
            "H-  alice(1/0)",
            "H-  alice(1/1)",
            "H+bob(3/1)",
            "H-  bob(2/0)",
            "H-  bob(1/1)",
            "H+carol(1/0)",
            "H-  carol(1/0)"
        ]
    );
}

#[test]
fn collapse_then_expand_counts_the_rows_and_keeps_the_cursor_on_its_row() {
    let mut t = table(by(&[SENDER], 1, 1));
    let bob = category(&mut t, "bob");
    // The cursor on m3 (the last row), after bob's rows.
    t.seek(Origin::Beginning, 8);
    assert_eq!(t.collapse_row(bob).unwrap(), 3);
    assert_eq!(shape(&mut t), ["H+alice(2/1)", "m1", "m4", "H-bob(3/1)", "H+carol(1/0)", "m3"]);
    t.seek(Origin::Beginning, 5);
    let e = t.expand_row(bob, 2).unwrap();
    assert_eq!(e.count, 3);
    assert_eq!(e.rows.iter().map(|r| text(&r[4])).collect::<Vec<_>>(), ["m2", "m5"]);
    assert_eq!(t.position(), 8, "the cursor moved down with its row");
    assert_eq!(text(&t.query_rows(1, true, true).rows[0][4]), "m3");
}

#[test]
fn collapsing_the_category_the_cursor_is_in_puts_it_after_the_heading() {
    let mut t = table(by(&[SENDER], 1, 1));
    let bob = category(&mut t, "bob");
    t.seek(Origin::Beginning, 5); // on m5
    assert_eq!(t.collapse_row(bob).unwrap(), 3);
    assert_eq!(t.position(), 4);
    assert_eq!(text(&t.query_rows(1, true, true).rows[0][3]), "carol");
}

#[test]
fn expand_and_collapse_refuse_what_the_spec_refuses() {
    let mut t = table(by(&[SENDER], 1, 1));
    let alice = category(&mut t, "alice");
    assert_eq!(t.expand_row(alice, 10), Err(TableError::NotCollapsed));
    t.collapse_row(alice).unwrap();
    assert_eq!(t.collapse_row(alice), Err(TableError::NotExpanded));
    let leaf = ObjectId::new(1, 1).to_u64();
    assert_eq!(t.expand_row(leaf, 10), Err(TableError::NoCategory(leaf)));
    assert_eq!(t.collapse_row(u64::MAX), Err(TableError::NoCategory(u64::MAX)));
    // A table without categories has none to expand.
    let mut plain = Table::new(mailbox(), COLUMNS.to_vec());
    assert_eq!(plain.expand_row(alice, 1), Err(TableError::NoCategory(alice)));
}

#[test]
fn a_huge_max_row_count_returns_only_the_category() {
    let mut t = table(by(&[SENDER], 1, 0));
    let bob = category(&mut t, "bob");
    let e = t.expand_row(bob, usize::MAX).unwrap();
    assert_eq!((e.count, e.rows.len()), (3, 3));
}

#[test]
fn category_ids_and_states_survive_a_reload() {
    let mut t = table(by(&[SENDER], 1, 1));
    let bob = category(&mut t, "bob");
    t.collapse_row(bob).unwrap();
    let mut rows = mailbox();
    rows.push(msg(7, "bob", 1, false));
    t.reload(rows);
    assert_eq!(category(&mut t, "bob"), bob);
    assert_eq!(shape(&mut t), ["H+alice(2/1)", "m1", "m4", "H-bob(4/2)", "H+carol(1/0)", "m3"]);
    // A sender whose last message went away has no heading any more.
    t.reload(mailbox().into_iter().filter(|r| text(&r.props.get(SENDER).cloned()) != "carol").collect());
    assert_eq!(shape(&mut t), ["H+alice(2/1)", "m1", "m4", "H-bob(3/1)"]);
}

#[test]
fn a_new_sort_forgets_the_categories() {
    let mut t = table(by(&[SENDER], 1, 1));
    let bob = category(&mut t, "bob");
    t.collapse_row(bob).unwrap();
    t.sort(by(&[SENDER], 1, 1)).unwrap();
    assert_eq!(shape(&mut t).len(), 9);
    assert!(matches!(t.expand_row(bob, 0), Err(TableError::NoCategory(_))));
}

#[test]
fn a_collapse_state_restores_the_collapsed_headings_and_bookmarks_its_row() {
    let mut t = table(by(&[SENDER], 1, 1));
    let bob = category(&mut t, "bob");
    t.collapse_row(bob).unwrap();
    let state = t.collapse_state(bob, 0).unwrap();
    t.expand_row(bob, 0).unwrap();
    assert_eq!(t.row_count(), 9);
    let bookmark = t.set_collapse_state(&state).unwrap();
    assert_eq!(shape(&mut t), ["H+alice(2/1)", "m1", "m4", "H-bob(3/1)", "H+carol(1/0)", "m3"]);
    t.seek_bookmark(&bookmark, 0).unwrap();
    assert_eq!(text(&t.query_rows(1, true, true).rows[0][3]), "bob");
    // Another table with the same sort takes the same state.
    let mut other = table(by(&[SENDER], 1, 1));
    other.set_collapse_state(&state).unwrap();
    assert_eq!(shape(&mut other), shape(&mut t));
}

#[test]
fn a_leaf_rows_collapse_state_bookmarks_that_row() {
    let mut t = table(by(&[SENDER], 1, 1));
    let m5 = ObjectId::new(1, 5).to_u64();
    let state = t.collapse_state(m5, 0).unwrap();
    let bookmark = t.set_collapse_state(&state).unwrap();
    t.seek_bookmark(&bookmark, 0).unwrap();
    assert_eq!(text(&t.query_rows(1, true, true).rows[0][4]), "m5");
}

#[test]
fn a_malformed_collapse_state_is_invalid_parameter() {
    let mut t = table(by(&[SENDER], 1, 1));
    for bad in [&[][..], &[0, 0, 0, 0], &[9; 12], &[1, 255, 255, 255, 255]] {
        assert!(matches!(t.set_collapse_state(bad), Err(TableError::InvalidParameter(_))), "{bad:?}");
    }
}

#[test]
fn categorized_views_are_not_followed_row_by_row() {
    let mut t = table(by(&[SENDER], 1, 1));
    assert!(!t.row_level());
    assert_eq!(t.apply(vec![(ObjectId::new(1, 9).to_u64(), None)]), None);
}

proptest! {
    /// Whatever the messages and the categories toggled: every heading counts the leaves
    /// under it, the view holds exactly the rows of expanded categories, and an expansion
    /// adds back exactly what the collapse removed.
    #[test]
    fn headings_count_their_rows_and_collapse_expand_round_trips(
        senders in proptest::collection::vec((0u8..4, 0i32..3, any::<bool>()), 0..30),
        toggles in proptest::collection::vec(0usize..20, 0..10),
        expanded in 0u16..=2,
        aggregate in prop_oneof![
            Just(SortDirection::Ascend),
            Just(SortDirection::MaximumCategory),
            Just(SortDirection::MinimumCategory)
        ],
    ) {
        let rows: Vec<SourceRow> = senders
            .iter()
            .enumerate()
            .map(|(i, (s, imp, read))| msg(i as u64 + 1, &format!("s{s}"), *imp, *read))
            .collect();
        // Two categories (sender, importance); the subject after them as an aggregate key or
        // a plain one.
        let mut sort = by(&[SENDER, IMPORTANCE], 2, expanded);
        sort.orders[2].direction = aggregate;
        let mut t = Table::new(rows.clone(), COLUMNS.to_vec());
        t.sort(sort.clone()).unwrap();
        for pick in toggles {
            let view: Vec<(u64, i32)> = t.rows().iter()
                .map(|r| (r.id, r.props.get(PR_ROW_TYPE).and_then(|v| v.as_i64()).unwrap_or(0) as i32))
                .collect();
            let headings: Vec<(u64, i32)> = view.into_iter().filter(|(_, ty)| *ty != TBL_LEAF_ROW).collect();
            if headings.is_empty() { break; }
            let (id, ty) = headings[pick % headings.len()];
            let before = t.row_count();
            if ty == TBL_EXPANDED_CATEGORY {
                let n = t.collapse_row(id).unwrap();
                prop_assert_eq!(t.row_count(), before - n);
                let e = t.expand_row(id, usize::MAX).unwrap();
                prop_assert_eq!(e.count, n);
                prop_assert_eq!(e.rows.len(), n);
                prop_assert_eq!(t.row_count(), before);
                t.collapse_row(id).unwrap();
            } else {
                let e = t.expand_row(id, 1).unwrap();
                prop_assert_eq!(t.row_count(), before + e.count);
                prop_assert!(e.rows.len() <= 1);
            }
        }
        // Every top heading counts its leaves; together they count every message.
        let total: i64 = t.rows().iter()
            .filter(|r| r.props.get(PR_DEPTH).and_then(|v| v.as_i64()) == Some(0))
            .map(|r| r.props.get(PR_CONTENT_COUNT).and_then(|v| v.as_i64()).unwrap_or(0))
            .sum();
        prop_assert_eq!(total, rows.len() as i64);
        // A leaf is visible exactly when both its headings are expanded: the collapse state
        // restores the same view on a fresh table.
        let state = t.collapse_state(0, 0).unwrap();
        let mut fresh = Table::new(rows, COLUMNS.to_vec());
        fresh.sort(sort).unwrap();
        fresh.set_collapse_state(&state).unwrap();
        let keys = |t: &Table| t.rows().iter().map(|r| (r.props.get(SENDER).cloned(), r.props.get(PR_ROW_TYPE).cloned(), r.instance, r.props.get(SUBJECT).cloned())).collect::<Vec<_>>();
        prop_assert_eq!(keys(&fresh), keys(&t));
        let _ = PR_CONTENT_UNREAD;
    }
}

/// The categories by sender, then `aggregate` on the importance, then the subject.
fn by_sender_then(aggregate: SortDirection, sender: SortDirection) -> SortOrderSet {
    SortOrderSet {
        orders: vec![
            SortOrder { tag: SENDER, direction: sender },
            SortOrder { tag: IMPORTANCE, direction: aggregate },
            SortOrder { tag: SUBJECT, direction: SortDirection::Ascend },
        ],
        categorized_count: 1,
        expanded_count: 1,
    }
}

#[test]
fn a_maximum_category_key_orders_the_categories_by_their_largest_value() {
    // Largest importance: alice 2 (m4), bob 2 (m2), carol 1. Ascending: carol first; the tie
    // keeps the category order. The rows stay ordered by subject within their category.
    let mut t = table(by_sender_then(SortDirection::MaximumCategory, SortDirection::Ascend));
    let rows = shape(&mut t);
    assert_eq!(rows, ["H+carol(1/0)", "m3", "H+alice(2/1)", "m1", "m4", "H+bob(3/1)", "m2", "m5", "m6"]);
    // The heading carries the aggregate in the key's column.
    let mut t = Table::new(mailbox(), vec![SENDER, IMPORTANCE, PR_ROW_TYPE]);
    t.sort(by_sender_then(SortDirection::MaximumCategory, SortDirection::Descend)).unwrap();
    let got: Vec<(String, i64, i64)> = t
        .query_rows(100, true, false)
        .rows
        .iter()
        .filter(|r| int(&r[2]) != 1)
        .map(|r| (text(&r[0]), int(&r[1]), int(&r[2])))
        .collect();
    // Descending by the largest importance; the tie in the (descending) category order.
    assert_eq!(got, [("bob".into(), 2, 3), ("alice".into(), 2, 3), ("carol".into(), 1, 3)]);
}

#[test]
fn a_minimum_category_key_orders_the_categories_by_their_smallest_value() {
    let rows = vec![
        msg(1, "alice", 3, true),
        msg(2, "bob", 2, true),
        msg(3, "bob", 5, true),
        msg(4, "carol", 4, true),
    ];
    let mut t = Table::new(rows, COLUMNS.to_vec());
    t.sort(by_sender_then(SortDirection::MinimumCategory, SortDirection::Ascend)).unwrap();
    let headings: Vec<String> = shape(&mut t).into_iter().filter(|s| s.starts_with('H')).collect();
    assert_eq!(headings, ["H+bob(2/0)", "H+alice(1/0)", "H+carol(1/0)"]);
}

#[test]
fn aggregate_keys_and_heading_columns_are_checked() {
    let mut t = Table::new(mailbox(), COLUMNS.to_vec());
    let mut plain_max = by_sender_then(SortDirection::MaximumCategory, SortDirection::Ascend);
    plain_max.categorized_count = 0;
    plain_max.expanded_count = 0;
    assert!(matches!(t.sort(plain_max), Err(TableError::InvalidParameter(_))));
    let mut late = by_sender_then(SortDirection::Ascend, SortDirection::Ascend);
    late.orders[2].direction = SortDirection::MaximumCategory;
    assert!(matches!(t.sort(late), Err(TableError::InvalidParameter(_))));
    for tag in [PR_DEPTH, PR_INST_ID, PR_CONTENT_COUNT] {
        let mut on_heading_column = by(&[SENDER], 1, 1);
        on_heading_column.orders[1].tag = tag;
        assert!(matches!(t.sort(on_heading_column), Err(TableError::InvalidParameter(_))), "{tag:?}");
    }
}

#[test]
fn a_multi_valued_instance_category_lists_a_message_under_each_of_its_values() {
    const KEYWORDS: PropTag = PropTag(0x8001_101F);
    let mvi = PropTag(KEYWORDS.0 | u32::from(oxmapi_core::ptype::MV_INSTANCE));
    let mut rows = mailbox();
    rows[0].props.set(KEYWORDS, PropValue::MvUnicode(vec!["red".into(), "blue".into()]));
    rows[1].props.set(KEYWORDS, PropValue::MvUnicode(vec!["red".into()]));
    let mut t = Table::new(rows, vec![mvi, SUBJECT, PR_ROW_TYPE, PR_CONTENT_COUNT]);
    t.sort(SortOrderSet {
        orders: vec![
            SortOrder { tag: mvi, direction: SortDirection::Ascend },
            SortOrder { tag: SUBJECT, direction: SortDirection::Ascend },
        ],
        categorized_count: 1,
        expanded_count: 1,
    })
    .unwrap();
    let got: Vec<String> = t
        .query_rows(100, true, false)
        .rows
        .iter()
        .map(|r| match int(&r[2]) as i32 {
            TBL_LEAF_ROW => text(&r[1]),
            _ => format!("H {} ({})", text(&r[0]), int(&r[3])),
        })
        .collect();
    // The messages without keywords form the category without a value, first.
    assert_eq!(got, ["H  (4)", "m3", "m4", "m5", "m6", "H blue (1)", "m1", "H red (2)", "m1", "m2"]);
}
