//! The first page of a 20,000-message folder costs a page, not the folder: counted in SQLite
//! virtual machine steps ([`IndexedTable::sql_steps`]), which do not depend on timing. A view
//! that had to read the folder (a sort without an index, rows loaded whole) would cost
//! several steps per message; the control at the end shows such a view does.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use rusqlite::params;

use super::Fixture;
use crate::mailbox::messages::sort_keys::refresh_sort_keys;
use crate::table::{ContentsScope, IndexedTable, Origin};

const MESSAGES: u64 = 20_000;
const PAGE: usize = 50;

/// A folder of [`MESSAGES`] messages written straight into SQLite (saving them one by one
/// would take minutes in a debug build), with their sort keys computed as every save does.
fn big_folder(fx: &mut Fixture) -> ContentsScope {
    let fid = fx.folder();
    let conn = fx.store.lock();
    let tx = conn.unchecked_transaction().unwrap();
    for i in 0..MESSAGES {
        let mid = (1_000_000 + i) as i64;
        let when = 130_000_000_000_000_000i64 + ((i * 104_729) % MESSAGES) as i64 * 10_000_000;
        tx.execute(
            "INSERT INTO messages (mid, fid, associated, change_number, message_size, created, modified) \
             VALUES (?1, ?2, 0, ?1, 100, ?3, ?3)",
            params![mid, fid.global_counter as i64, when],
        )
        .unwrap();
        let props = [
            (PR_SUBJECT, PropValue::Unicode(format!("Subject {:05}", (i * 7919) % MESSAGES))),
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

#[test]
fn the_first_page_of_a_big_folder_does_not_read_the_folder() {
    let mut fx = Fixture::new();
    let scope = big_folder(&mut fx);
    // Half a step per message: a page of 50 rows costs some thousands of steps; reading the
    // folder costs several steps per message.
    let budget = MESSAGES / 2;
    let views = [
        ("delivery-time sort", table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], None)),
        ("subject sort", table(&fx, scope, &[(PR_SUBJECT, false)], None)),
        ("importance restriction", table(&fx, scope, &[], Some(importance(2)))),
        (
            "importance restriction, time sort",
            table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(importance(1))),
        ),
    ];
    for (what, mut t) in views {
        let steps = page_steps(&mut t);
        assert!(steps.iter().all(|s| *s < budget), "{what}: {steps:?} steps for the first and last pages");
    }

    // The control: a residual restriction no message passes must look at every message.
    let nothing = Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_BODY,
        value: TaggedValue::new(PR_BODY, PropValue::Unicode("absent".into())),
    };
    let mut t = table(&fx, scope, &[(PR_MESSAGE_DELIVERY_TIME, true)], Some(nothing));
    assert!(t.query_rows(PAGE, true, false).unwrap().rows.is_empty());
    assert!(t.sql_steps() > 4 * budget, "a scan of the folder costs more: {} steps", t.sql_steps());
}
