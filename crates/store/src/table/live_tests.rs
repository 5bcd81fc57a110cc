//! Row-level upkeep of the view ([`Table::apply`], [`Table::reload_changes`]).

use std::collections::HashSet;

use oxmapi_core::bag::PropBag;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::prelude::*;

use super::*;

const SUBJECT: PropTag = PropTag(0x0037_001F);
const SIZE: PropTag = PropTag(0x0E08_0003);
const KEYWORDS: PropTag = PropTag(0x8001_101F);

fn props(subject: &str, size: i32) -> PropBag {
    PropBag::new().with(SUBJECT, PropValue::Unicode(subject.into())).with(SIZE, PropValue::I32(size))
}

fn by_subject() -> SortOrderSet {
    SortOrderSet::plain(vec![SortOrder { tag: SUBJECT, direction: SortDirection::Ascend }])
}

fn big_only() -> Restriction {
    Restriction::Property {
        relop: RelOp::Ge,
        prop_tag: SIZE,
        value: TaggedValue { tag: SIZE, value: PropValue::I32(50) },
    }
}

fn table(rows: &[(u64, &str, i32)]) -> Table {
    let src = rows.iter().map(|(id, s, n)| SourceRow { id: *id, props: props(s, *n) }).collect();
    let mut t = Table::new(src, vec![SUBJECT]);
    t.sort(by_subject()).unwrap();
    t
}

fn keys(t: &Table) -> Vec<(u64, u32)> {
    t.rows().iter().map(|r| (r.id, r.instance)).collect()
}

/// The view a full rebuild of the same source gives.
fn rebuilt(t: &Table) -> Vec<(u64, u32)> {
    let mut fresh = Table::new(t.source.clone(), t.columns.clone());
    fresh.restrict(t.restriction.clone());
    fresh.sort(t.sort.clone()).unwrap();
    keys(&fresh)
}

/// Applies `changes` to a client's copy of the view keys, as MS-OXCNOTIF describes.
fn replay(client: &mut Vec<(u64, u32)>, changes: &[RowChange]) {
    for c in changes {
        client.retain(|k| *k != (c.id, c.instance));
        if c.event != RowEvent::Deleted {
            let at = match c.after {
                None => 0,
                Some(a) => client.iter().position(|k| *k == a).expect("the row before is known") + 1,
            };
            client.insert(at, (c.id, c.instance));
        }
    }
}

#[test]
fn an_added_row_lands_after_its_predecessor_in_sort_order() {
    let mut t = table(&[(1, "b", 10), (2, "d", 10)]);
    let c = t.apply(vec![(3, Some(props("c", 10)))]).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].event, c[0].id, c[0].after), (RowEvent::Added, 3, Some((1, 0))));
    assert_eq!(c[0].row, Some(vec![Some(PropValue::Unicode("c".into()))]));
    assert_eq!(keys(&t), vec![(1, 0), (3, 0), (2, 0)]);
    let c = t.apply(vec![(4, Some(props("a", 10)))]).unwrap();
    assert_eq!((c[0].event, c[0].after), (RowEvent::Added, None), "first row: nothing before it");
}

#[test]
fn modified_rows_move_and_deleted_rows_go() {
    let mut t = table(&[(1, "a", 10), (2, "b", 10), (3, "c", 10)]);
    let c = t.apply(vec![(1, Some(props("z", 10)))]).unwrap();
    assert_eq!((c[0].event, c[0].after), (RowEvent::Modified, Some((3, 0))));
    assert_eq!(keys(&t), vec![(2, 0), (3, 0), (1, 0)]);
    let c = t.apply(vec![(3, None)]).unwrap();
    assert_eq!((c[0].event, c[0].id, c[0].row.clone()), (RowEvent::Deleted, 3, None));
    assert_eq!(keys(&t), vec![(2, 0), (1, 0)]);
    assert!(t.apply(vec![(9, None)]).unwrap().is_empty(), "a row that was never there");
}

#[test]
fn the_restriction_decides_membership() {
    let mut t = table(&[(1, "a", 60)]);
    t.restrict(Some(big_only()));
    assert!(t.apply(vec![(2, Some(props("b", 10)))]).unwrap().is_empty(), "excluded");
    let c = t.apply(vec![(2, Some(props("b", 70)))]).unwrap();
    assert_eq!((c[0].event, c[0].after), (RowEvent::Added, Some((1, 0))), "now matches");
    let c = t.apply(vec![(1, Some(props("a", 5)))]).unwrap();
    assert_eq!(c[0].event, RowEvent::Deleted, "no longer matches");
    assert_eq!(keys(&t), vec![(2, 0)]);
}

#[test]
fn the_cursor_stays_on_its_row() {
    let mut t = table(&[(1, "a", 10), (2, "c", 10), (3, "e", 10)]);
    t.seek(Origin::Beginning, 1);
    t.apply(vec![(4, Some(props("b", 10)))]).unwrap();
    assert_eq!(t.position(), 2, "still on row 2");
}

#[test]
fn instance_rows_change_one_by_one() {
    let mvi = PropTag(KEYWORDS.0 | u32::from(oxmapi_core::ptype::MV_INSTANCE));
    let kw = |v: &[&str]| {
        PropBag::new().with(KEYWORDS, PropValue::MvUnicode(v.iter().map(|s| s.to_string()).collect()))
    };
    let mut t = Table::new(vec![SourceRow { id: 1, props: kw(&["a", "b"]) }], vec![mvi]);
    let c = t.apply(vec![(1, Some(kw(&["a"])))]).unwrap();
    let events: Vec<_> = c.iter().map(|c| (c.event, c.instance)).collect();
    assert_eq!(events, vec![(RowEvent::Deleted, 2), (RowEvent::Modified, 1)]);
}

#[test]
fn count_restrictions_are_not_followed_row_by_row() {
    let mut t = table(&[(1, "a", 10)]);
    t.restrict(Some(Restriction::Count { count: 1, restriction: Box::new(big_only()) }));
    assert!(!t.row_level());
    assert!(t.apply(vec![(2, Some(props("b", 90)))]).is_none());
    assert!(t.reload_changes(Vec::new(), &HashSet::new()).is_none());
}

#[test]
fn a_reload_reports_what_changed() {
    let mut t = table(&[(1, "a", 10), (2, "b", 10), (3, "c", 10)]);
    let rows = vec![
        SourceRow { id: 1, props: props("a", 10) },
        SourceRow { id: 3, props: props("c", 99) },
        SourceRow { id: 4, props: props("d", 10) },
    ];
    let touched: HashSet<u64> = [1].into_iter().collect();
    let c = t.reload_changes(rows, &touched).unwrap();
    let got: Vec<_> = c.iter().map(|c| (c.event, c.id)).collect();
    assert_eq!(
        got,
        vec![(RowEvent::Deleted, 2), (RowEvent::Modified, 1), (RowEvent::Modified, 3), (RowEvent::Added, 4)]
    );
}

proptest! {
    /// After any sequence of changes the view is what a rebuild gives, and a client replaying
    /// the reported changes holds exactly the view's rows in order.
    #[test]
    fn applied_changes_match_a_rebuild_and_replay(
        ops in proptest::collection::vec(
            proptest::collection::vec((0u64..12, proptest::option::of((0u8..6, 0i32..100))), 1..5),
            1..20,
        ),
        restricted in any::<bool>(),
    ) {
        let mut t = table(&[(1, "c", 40), (2, "a", 60), (3, "c", 80)]);
        if restricted {
            t.restrict(Some(big_only()));
        }
        let mut client = keys(&t);
        for batch in ops {
            let mut seen = HashSet::new();
            let changes: Vec<_> = batch
                .into_iter()
                .filter(|(id, _)| seen.insert(*id))
                .map(|(id, p)| (id, p.map(|(s, n)| props(&((b'a' + s) as char).to_string(), n))))
                .collect();
            let c = t.apply(changes).unwrap();
            replay(&mut client, &c);
            prop_assert_eq!(&keys(&t), &rebuilt(&t));
            prop_assert_eq!(&client, &keys(&t));
        }
    }
}
