use oxmapi_core::bag::PropBag;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::*;

const SUBJECT: PropTag = PropTag(0x0037_001F);
const SIZE: PropTag = PropTag(0x0E08_0003);
const KEYWORDS: PropTag = PropTag(0x8001_101F);

fn rows(n: u64) -> Vec<SourceRow> {
    (1..=n)
        .map(|i| SourceRow {
            id: i,
            props: PropBag::new()
                .with(SUBJECT, PropValue::Unicode(format!("m{i:03}")))
                .with(SIZE, PropValue::I32((i * 10) as i32)),
        })
        .collect()
}

fn subjects(r: &QueryResult) -> Vec<String> {
    r.rows.iter().map(|v| v[0].as_ref().and_then(|x| x.as_text()).unwrap().into_owned()).collect()
}

#[test]
fn forward_and_backward_reads_move_the_cursor() {
    let mut t = Table::new(rows(5), vec![SUBJECT]);
    let r = t.query_rows(2, true, false);
    assert_eq!((subjects(&r), r.origin), (vec!["m001".into(), "m002".into()], Origin::Current));
    let r = t.query_rows(10, true, true);
    assert_eq!(subjects(&r).len(), 3);
    assert_eq!(r.origin, Origin::End);
    assert_eq!(t.position(), 2, "NoAdvance");
    let r = t.query_rows(5, false, false);
    assert_eq!(subjects(&r), vec!["m001", "m002"]);
    assert_eq!((r.origin, t.position()), (Origin::Beginning, 0));
    assert_eq!(t.query_position(), (0, 5));
}

#[test]
fn seek_clamps_and_reports() {
    let mut t = Table::new(rows(5), vec![SUBJECT]);
    assert_eq!(
        t.seek(Origin::End, -2),
        SeekResult { sought_less: false, moved: -2, row_no_longer_visible: false }
    );
    assert_eq!(t.position(), 3);
    let r = t.seek(Origin::Current, 10);
    assert!(r.sought_less);
    assert_eq!(r.moved, 2);
    t.seek_fractional(1, 2).unwrap();
    assert_eq!(t.position(), 2);
    assert!(t.seek_fractional(1, 0).is_err());
}

#[test]
fn restriction_and_sort_reset_the_cursor() {
    let mut t = Table::new(rows(10), vec![SUBJECT, SIZE]);
    t.seek(Origin::Beginning, 4);
    t.restrict(Some(Restriction::Property {
        relop: RelOp::Ge,
        prop_tag: SIZE,
        value: TaggedValue { tag: SIZE, value: PropValue::I32(50) },
    }));
    assert_eq!((t.row_count(), t.position()), (6, 0));
    t.sort(SortOrderSet::plain(vec![SortOrder { tag: SIZE, direction: SortDirection::Descend }])).unwrap();
    let r = t.query_rows(2, true, false);
    assert_eq!(subjects(&r), vec!["m010", "m009"]);
    t.reset();
    assert_eq!(t.row_count(), 10);
}

#[test]
fn bookmarks_survive_reload_and_report_deleted_rows() {
    let mut t = Table::new(rows(5), vec![SUBJECT]);
    t.seek(Origin::Beginning, 2);
    let bm = t.create_bookmark();
    t.seek(Origin::Beginning, 0);
    let r = t.seek_bookmark(&bm, 1).unwrap();
    assert_eq!((r.moved, t.position(), r.row_no_longer_visible), (1, 3, false));
    // Delete the bookmarked row (m003): the next row takes its place.
    let mut rs = rows(5);
    rs.remove(2);
    t.reload(rs);
    let r = t.seek_bookmark(&bm, 0).unwrap();
    assert!(r.row_no_longer_visible);
    assert_eq!(subjects(&t.query_rows(1, true, true)), vec!["m004"]);
    t.free_bookmark(&bm).unwrap();
    assert_eq!(t.seek_bookmark(&bm, 0), Err(TableError::InvalidBookmark));
    assert_eq!(t.free_bookmark(&[1, 2]), Err(TableError::InvalidBookmark));
}

#[test]
fn find_row_forward_backward_and_from_bookmark() {
    let mut t = Table::new(rows(6), vec![SUBJECT]);
    let even = Restriction::Property {
        relop: RelOp::Ge,
        prop_tag: SIZE,
        value: TaggedValue { tag: SIZE, value: PropValue::I32(30) },
    };
    let found = t.find_row(&even, FindStart::Origin(Origin::Beginning), false).unwrap().unwrap();
    assert!(!found.row_no_longer_visible);
    assert_eq!(found.row[0], Some(PropValue::Unicode("m003".into())));
    assert_eq!(t.position(), 2);
    let found = t.find_row(&even, FindStart::Origin(Origin::End), true).unwrap().unwrap();
    assert_eq!(found.row[0], Some(PropValue::Unicode("m006".into())));
    let none = Restriction::Property {
        relop: RelOp::Gt,
        prop_tag: SIZE,
        value: TaggedValue { tag: SIZE, value: PropValue::I32(1000) },
    };
    assert!(t.find_row(&none, FindStart::Origin(Origin::Beginning), false).unwrap().is_none());
    t.seek(Origin::Beginning, 4);
    let bm = t.create_bookmark();
    let found = t.find_row(&even, FindStart::Bookmark(&bm), false).unwrap().unwrap();
    assert_eq!(found.row[0], Some(PropValue::Unicode("m005".into())));
}

#[test]
fn multi_valued_instance_columns_expand_rows() {
    let src = vec![
        SourceRow {
            id: 1,
            props: PropBag::new()
                .with(SUBJECT, PropValue::Unicode("a".into()))
                .with(KEYWORDS, PropValue::MvUnicode(vec!["red".into(), "blue".into()])),
        },
        SourceRow { id: 2, props: PropBag::new().with(SUBJECT, PropValue::Unicode("b".into())) },
    ];
    let mvi = PropTag(KEYWORDS.0 | u32::from(oxmapi_core::ptype::MV_INSTANCE));
    let mut t = Table::new(src, vec![SUBJECT, mvi]);
    assert_eq!(t.row_count(), 3);
    t.sort(SortOrderSet::plain(vec![SortOrder { tag: mvi, direction: SortDirection::Ascend }])).unwrap();
    let r = t.query_rows(10, true, false);
    let kw: Vec<_> = r.rows.iter().map(|v| v[1].clone()).collect();
    assert_eq!(
        kw,
        vec![None, Some(PropValue::Unicode("blue".into())), Some(PropValue::Unicode("red".into()))]
    );
    let other = PropTag(0x8002_101F | u32::from(oxmapi_core::ptype::MV_INSTANCE));
    assert!(matches!(t.set_columns(vec![mvi, other]), Err(TableError::TooComplex(_))));
    assert!(t.set_columns(vec![]).is_err());
}

#[test]
fn rows_carry_instance_key_id_and_number() {
    use oxmapi_core::catalogue::tags::{PR_INST_ID, PR_INSTANCE_KEY, PR_INSTANCE_NUM};
    let src = vec![SourceRow {
        id: 7,
        props: PropBag::new().with(KEYWORDS, PropValue::MvUnicode(vec!["red".into(), "blue".into()])),
    }];
    let mvi = PropTag(KEYWORDS.0 | u32::from(oxmapi_core::ptype::MV_INSTANCE));
    let mut t = Table::new(src, vec![PR_INST_ID, PR_INSTANCE_NUM, PR_INSTANCE_KEY, mvi]);
    let r = t.query_rows(10, true, false);
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0][..2], [Some(PropValue::I64(7)), Some(PropValue::I32(1))]);
    assert_eq!(r.rows[1][1], Some(PropValue::I32(2)));
    assert_ne!(r.rows[0][2], r.rows[1][2], "PR_INSTANCE_KEY differs per instance");
    // The instance column goes away: one row again, the cursor on its object.
    t.seek(Origin::Beginning, 1);
    t.set_columns(vec![PR_INSTANCE_NUM]).unwrap();
    assert_eq!((t.row_count(), t.position()), (1, 0));
    assert_eq!(t.query_rows(1, true, false).rows[0][0], Some(PropValue::I32(0)));
}

#[test]
fn query_columns_all_lists_every_tag() {
    let t = Table::new(rows(2), vec![SUBJECT]);
    assert_eq!(t.all_columns(), vec![SUBJECT, SIZE]);
}

proptest::proptest! {
    /// Paging forward (or backward) in chunks returns every row exactly once, in order, and
    /// the cursor ends at the end (beginning).
    #[test]
    fn paging_visits_every_row_once(n in 0u64..60, chunk in 1usize..9, forward in proptest::bool::ANY) {
        let mut t = Table::new(rows(n), vec![SUBJECT]);
        if !forward {
            t.seek(Origin::End, 0);
        }
        let mut seen = Vec::new();
        loop {
            let r = t.query_rows(chunk, forward, false);
            if r.rows.is_empty() {
                break;
            }
            let mut s = subjects(&r);
            if !forward {
                s.reverse();
            }
            seen.extend(s);
        }
        if !forward {
            seen.reverse();
        }
        let want: Vec<String> = (1..=n).map(|i| format!("m{i:03}")).collect();
        proptest::prop_assert_eq!(seen, want);
        proptest::prop_assert_eq!(t.position(), if forward { n as usize } else { 0 });
    }

    /// Seeks never leave the table and report exactly what they did.
    #[test]
    fn seeks_stay_in_range(n in 0u64..40, moves in proptest::collection::vec((0u8..3, -50i32..50), 1..20)) {
        let mut t = Table::new(rows(n), vec![SUBJECT]);
        for (o, d) in moves {
            let origin = Origin::from_wire(o).unwrap();
            let before = match origin { Origin::Beginning => 0, Origin::Current => t.position() as i64, Origin::End => n as i64 };
            let r = t.seek(origin, d);
            proptest::prop_assert!(t.position() <= n as usize);
            proptest::prop_assert_eq!(t.position() as i64, before + r.moved as i64);
            proptest::prop_assert_eq!(r.sought_less, before + d as i64 != t.position() as i64);
        }
    }
}
