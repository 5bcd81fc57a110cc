//! A RopQueryRows of thousands of rows on an index-backed table reads the rows that fit plus
//! at most one chunk, not every row asked: counted in SQLite virtual machine steps
//! (`IndexedTable::sql_steps`), which do not depend on timing.

use std::sync::Arc;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::SpecialFolder;
use oxmapi_store::table::{ContentsScope, IndexedTable, Origin};
use oxmapi_store::{MessageStore, NewUser, Site};
use oxmapi_wire::cdata::RowValue;

use super::fill;
use crate::rops::table_engine::TableEngine;

const MESSAGES: usize = 1_500;
const COLUMNS: [oxmapi_core::tag::PropTag; 3] = [PR_MID, PR_SUBJECT, PR_MESSAGE_DELIVERY_TIME];
/// A buffer that holds a hundred-odd of these rows.
const ROOM: usize = 8_000;

fn folder() -> (tempfile::TempDir, Arc<MessageStore>, ContentsScope) {
    let dir = tempfile::tempdir().unwrap();
    let dd = Site::open(&dir.path().join("data")).unwrap();
    let user =
        dd.add_user(&NewUser { name: "alice".into(), password: "pw".into(), ..NewUser::default() }).unwrap();
    let store = Arc::new(dd.open_mailbox(&user).unwrap());
    let inbox = store.special_folder(SpecialFolder::Inbox).unwrap();
    for i in 0..MESSAGES as u64 {
        let props = [
            TaggedValue::new(PR_SUBJECT, PropValue::Unicode(format!("message {i:05}"))),
            TaggedValue::new(
                PR_MESSAGE_DELIVERY_TIME,
                PropValue::SysTime(FileTime(130_000_000_000_000_000 + i)),
            ),
        ];
        let mut d = store.create_message(inbox, false).unwrap();
        store.set_properties(&mut d, &props).unwrap();
        store.save_message(&mut d, false).unwrap();
    }
    (dir, store, ContentsScope { fid: inbox, associated: false, soft_deleted: false })
}

fn engine(store: &Arc<MessageStore>, scope: ContentsScope) -> TableEngine {
    let sort = SortOrderSet::plain(vec![SortOrder {
        tag: PR_MESSAGE_DELIVERY_TIME,
        direction: SortDirection::Descend,
    }]);
    TableEngine::Indexed(Box::new(IndexedTable::new(store.clone(), scope, COLUMNS.to_vec(), sort, None)))
}

fn steps(t: &TableEngine) -> u64 {
    match t {
        TableEngine::Indexed(t) => t.sql_steps(),
        TableEngine::Memory(_) => unreachable!(),
    }
}

#[test]
fn a_query_rows_of_thousands_of_rows_reads_what_fits_not_every_row_asked() {
    let (_dir, store, scope) = folder();
    // What reading every row asked costs (the whole folder: 1,500 rows of the 4,096 asked).
    let mut all = engine(&store, scope);
    assert_eq!(all.query_rows(4_096, true, false).unwrap().rows.len(), MESSAGES);
    let whole = steps(&all);

    let mut t = engine(&store, scope);
    let got = fill(&mut t, &COLUMNS, true, 4_096, true, 9, ROOM).unwrap();
    let fitted = got.rows.len();
    assert!(fitted > 50 && fitted < MESSAGES / 6, "{fitted} rows fit");
    assert!(matches!(got.origin, Origin::Current));
    let cost = steps(&t);
    // The rows that fit and at most one chunk more: well under a third of the folder.
    assert!(cost * 3 < whole, "a buffer of {fitted} rows cost {cost} steps; the folder {whole}");

    // The next read continues at the first row not sent.
    let next = fill(&mut t, &COLUMNS, true, 1, true, 9, ROOM).unwrap();
    let mut reference = engine(&store, scope);
    reference.seek(Origin::Beginning, fitted as i32).unwrap();
    let want = reference.query_rows(1, true, false).unwrap().rows;
    assert_eq!(
        next.rows[0].values[0],
        RowValue::Value(want[0][0].clone().unwrap()),
        "the row after those sent"
    );
}
