//! PostgreSQL only: the queries of an index-backed view walk the index of the view's sort key,
//! forward and backward, so a page of a big folder costs a page — checked on PostgreSQL's own
//! plans (EXPLAIN), as `first_page.rs` checks SQLite's cost in virtual machine steps.

use std::sync::atomic::AtomicU64;

use crate::db::{Backend, Value, params_from_iter};
use crate::mailbox::messages::sort_keys::{KEY_COLUMNS, KeyKind};
use crate::table::indexed::keyset::{Key, ranges};
use crate::table::indexed::plan::SqlCond;
use crate::table::indexed::scan::Scan;

use super::Fixture;
use super::first_page::folder;

/// The messages of the folder: enough that sorting them costs the planner more than walking an
/// index for a page.
const MESSAGES: u64 = 3_000;
/// A page.
const PAGE: usize = 50;

/// The plan of `sql`, one line per row of EXPLAIN.
fn explain(fx: &Fixture, sql: &str, params: Vec<Value>) -> String {
    let conn = fx.store.lock().unwrap();
    let mut stmt = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
    let lines = stmt.query_map(params_from_iter(params), |r| r.get::<_, String>(0)).unwrap();
    lines.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
}

/// The estimated rows of every Sort node of `plan`: a Sort of more than a page means the
/// folder (or a range of it) is sorted instead of walked.
fn sorted_rows(plan: &str) -> Vec<u64> {
    plan.lines()
        .filter(|l| l.trim_start().trim_start_matches("->").trim_start().starts_with("Sort  ("))
        .filter_map(|l| l.split("rows=").nth(1)?.split_whitespace().next()?.parse().ok())
        .collect()
}

/// The index key columns of the PostgreSQL schema must sort NULLs as the engine does (first
/// ascending, last descending, as SQLite): PostgreSQL walks a btree only in its own NULL order
/// or the exact reverse, and with the default (NULLS LAST) the first page of a folder sorted
/// on any key was a Sort of the whole folder.
#[test]
fn every_sort_key_walks_its_index_both_ways_without_sorting_the_folder() {
    let mut fx = Fixture::new();
    if fx.store.backend() != Backend::Postgres {
        println!("skipped: PostgreSQL only (OXMAPI_TEST_DATABASE not set)");
        return;
    }
    let scope = folder(&mut fx, MESSAGES, 1_000_000);
    fx.store.lock().unwrap().execute_batch("ANALYZE store.messages").unwrap();
    let (steps, queries) = (AtomicU64::new(0), AtomicU64::new(0));
    let mut checked = 0;
    for column in KEY_COLUMNS.iter().filter(|k| k.index.is_some()) {
        let index = column.index.unwrap();
        let middle = match column.kind {
            KeyKind::Text => Value::Text("subject 01500".into()),
            KeyKind::Int | KeyKind::Time => Value::Integer(1),
        };
        for descending in [false, true] {
            let keys = [(column, descending)];
            let scan = Scan { store: &fx.store, scope, keys: &keys, steps: &steps, queries: &queries };
            for forward in [true, false] {
                // The first page (from the beginning, or back from the end), then the ranges
                // past a row in the middle and past a row without the key.
                let (sql, params) =
                    scan.candidates_query(&SqlCond::always(), &SqlCond::always(), forward, PAGE);
                let plan = explain(&fx, &sql, params);
                let what =
                    format!("{} {} {}", column.column, if descending { "DESC" } else { "ASC" }, forward);
                assert!(plan.contains(index), "{what}: the first page walks {index}\n{sql}\n{plan}");
                assert!(sorted_rows(&plan).is_empty(), "{what}: the first page sorts nothing\n{sql}\n{plan}");
                for anchor in [Value::Null, middle.clone()] {
                    let key = Key { values: vec![anchor], mid: 1_001_500 };
                    for range in ranges(&keys, &key, forward, false) {
                        let (sql, params) = scan.candidates_query(&SqlCond::always(), &range, forward, PAGE);
                        let plan = explain(&fx, &sql, params);
                        assert!(
                            sorted_rows(&plan).iter().all(|&n| n <= PAGE as u64),
                            "{what}: a range past a row sorts at most a page\n{sql}\n{plan}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 50, "{checked} ranges");
    // No sort key: the folder in MID order, walked (the folder index, or the primary key when
    // the folder holds most of the mailbox, as here), not sorted.
    let scan = Scan { store: &fx.store, scope, keys: &[], steps: &steps, queries: &queries };
    for forward in [true, false] {
        let (sql, params) = scan.candidates_query(&SqlCond::always(), &SqlCond::always(), forward, PAGE);
        let plan = explain(&fx, &sql, params);
        assert!(sorted_rows(&plan).is_empty(), "{sql}\n{plan}");
    }
}
