//! The model test: random folders, views and interleavings of reads and changes; the
//! index-backed table must answer every operation as the memory engine does over the same
//! rows (MS-OXCTABL 3.2.5.x), and report the same row changes (MS-OXCNOTIF 2.2.1.4.1.2).
//!
//! Where the two engines differ on purpose, the reference is adjusted: a cursor at the
//! beginning (end) of the indexed table stays there when rows are added before (after) it,
//! where the memory engine's cursor index follows the row it was on; and a bookmark whose row
//! has gone points where that row was by key (the row after it now), not by index.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashSet;

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::ops::{Change, Op, op};
use super::{COLUMNS, Fixture, Msg, msg, reference_rows, restriction, save, sort};
use crate::table::indexed::keyset::Pos;
use crate::table::{ContentsScope, FindStart, IndexedTable, Origin, Table};

#[derive(Clone, Debug)]
struct Case {
    msgs: Vec<Msg>,
    sort: SortOrderSet,
    restriction: Option<Restriction>,
    ops: Vec<Op>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(msg(), 0..25),
        sort(),
        prop::option::weighted(0.75, restriction()),
        prop::collection::vec(op(), 1..30),
    )
        .prop_map(|(msgs, sort, restriction, ops)| Case { msgs, sort, restriction, ops })
}

/// A bookmark of both engines and the reference row it was on (`None` at the end).
struct Mark {
    ix: Vec<u8>,
    reference: Vec<u8>,
    row: Option<(PropBag, u64)>,
    /// The row id the bookmark follows.
    follows: Option<u64>,
}

struct Run<'a> {
    fx: &'a Fixture,
    fid: ObjectId,
    mids: Vec<ObjectId>,
    ix: IndexedTable,
    reference: Table,
    marks: Vec<Mark>,
}

fn counter(id: u64) -> u64 {
    ObjectId::from_u64(id).global_counter
}

impl Run<'_> {
    /// The reference row under the cursor.
    fn reference_row(&self) -> Option<(PropBag, u64)> {
        self.reference.rows().get(self.reference.position()).map(|r| (r.props.clone(), r.id))
    }

    /// Where the indexed engine puts a bookmark whose row has gone: before the first row that
    /// sorts after the old one.
    fn index_after(&self, old: &Option<(PropBag, u64)>) -> usize {
        let Some((bag, id)) = old else { return self.reference.row_count() };
        let sort = self.reference.sort_order();
        self.reference
            .rows()
            .iter()
            .filter(|r| match sort.compare(&r.props, bag) {
                Ordering::Less => true,
                Ordering::Equal => counter(r.id) < counter(*id),
                Ordering::Greater => false,
            })
            .count()
    }

    fn in_view(&self, id: u64) -> bool {
        self.reference.rows().iter().any(|r| r.id == id)
    }

    /// After a store change of message `mid`: the reference reloads, both report row changes.
    fn changed(&mut self, mid: ObjectId, was: bool) {
        let rows = reference_rows(&self.fx.store, self.fid);
        self.ix.changed();
        let got = self.ix.row_changes(&[(mid.to_u64(), was)]).unwrap();
        if self.reference.restriction().is_none() {
            let touched: HashSet<u64> = [mid.to_u64()].into();
            let want = self.reference.reload_changes(rows, &touched).unwrap();
            assert_eq!(got, Some(want), "row changes");
        } else {
            assert_eq!(got, None, "a restricted view sends TableChanged");
            self.reference.reload(rows);
        }
        match self.ix.cursor {
            Pos::Beginning => drop(self.reference.seek(Origin::Beginning, 0)),
            Pos::End => drop(self.reference.seek(Origin::End, 0)),
            Pos::Row(_) => {}
        }
    }

    fn modify(&mut self, mid: ObjectId, change: &Change) {
        let s = &self.fx.store;
        let mut d = s.open_message(self.fid, mid).unwrap();
        let (tag, value) = match change.clone() {
            Change::Subject(v) => (PR_SUBJECT, v.map(PropValue::Unicode)),
            Change::Sender(v) => (PR_SENDER_NAME, v.map(PropValue::Unicode)),
            Change::Importance(v) => (PR_IMPORTANCE, v.map(PropValue::I32)),
            Change::Delivery(v) => (PR_MESSAGE_DELIVERY_TIME, v.map(|t| PropValue::SysTime(FileTime(t)))),
        };
        match value {
            Some(v) => assert!(s.set_properties(&mut d, &[TaggedValue::new(tag, v)]).unwrap().is_empty()),
            None => assert!(s.delete_properties(&mut d, &[tag]).unwrap().is_empty()),
        }
        s.save_message(&mut d, false).unwrap();
    }

    fn step(&mut self, op: &Op) {
        let (ix, rf) = (&mut self.ix, &mut self.reference);
        match op.clone() {
            Op::QueryRows { count, forward, no_advance } => {
                assert_eq!(
                    ix.query_rows(count, forward, no_advance).unwrap(),
                    rf.query_rows(count, forward, no_advance)
                );
            }
            Op::QueryRowsUnread { count, forward, kept } => {
                let a = ix.query_rows(count, forward, false).unwrap();
                let b = rf.query_rows(count, forward, false);
                assert_eq!(a, b);
                let kept = kept.min(a.rows.len());
                ix.unread(a.rows.len(), kept, forward);
                rf.unread(b.rows.len(), kept, forward);
            }
            Op::Seek { origin, delta } => assert_eq!(ix.seek(origin, delta).unwrap(), rf.seek(origin, delta)),
            Op::SeekFractional { numerator, denominator } => {
                assert_eq!(
                    ix.seek_fractional(numerator, denominator),
                    rf.seek_fractional(numerator, denominator)
                );
            }
            Op::QueryPosition => assert_eq!(ix.query_position().unwrap(), rf.query_position()),
            Op::CreateBookmark => {
                let row = self.reference_row();
                let follows = row.as_ref().map(|r| r.1);
                let (ix, rf) = (&mut self.ix, &mut self.reference);
                self.marks.push(Mark {
                    ix: ix.create_bookmark(),
                    reference: rf.create_bookmark(),
                    row,
                    follows,
                });
            }
            Op::SeekBookmark { which, delta } if !self.marks.is_empty() => {
                let m = &self.marks[which % self.marks.len()];
                let got = self.ix.seek_bookmark(&m.ix, delta);
                let mut want = self.reference.seek_bookmark(&m.reference, delta);
                if want.as_ref().is_ok_and(|r| r.row_no_longer_visible) {
                    let at = self.index_after(&m.row);
                    self.reference.seek(Origin::Beginning, at as i32);
                    want = Ok(self.reference.seek(Origin::Current, delta));
                    want.as_mut().unwrap().row_no_longer_visible = true;
                }
                assert_eq!(got, want);
            }
            Op::FreeBookmark { which } if !self.marks.is_empty() => {
                let m = &self.marks[which % self.marks.len()];
                assert_eq!(self.ix.free_bookmark(&m.ix), self.reference.free_bookmark(&m.reference));
            }
            Op::FindRow { restriction, origin, bookmark, backward } => {
                let mark = bookmark
                    .filter(|_| !self.marks.is_empty())
                    .map(|b| &self.marks[b % self.marks.len()])
                    .filter(|m| m.follows.is_none_or(|id| self.in_view(id)));
                let (a, b) = match mark {
                    Some(m) => (FindStart::Bookmark(&m.ix), FindStart::Bookmark(&m.reference)),
                    None => {
                        let o = origin.unwrap_or(Origin::Current);
                        (FindStart::Origin(o), FindStart::Origin(o))
                    }
                };
                let got = self.ix.find_row(&restriction, a, backward);
                let want = self.reference.find_row(&restriction, b, backward);
                assert_eq!(got, want);
            }
            Op::CollapseState { which } => {
                let id = self.mids.get(which).map_or(0x0001_0000_0000_1234, |m| m.to_u64());
                let state = self.ix.collapse_state(id, 0);
                assert_eq!(state, self.reference.collapse_state(id, 0));
                let row = self.reference.rows().iter().find(|r| r.id == id).map(|r| (r.props.clone(), r.id));
                let row = row.or_else(|| self.reference_row());
                let a = self.ix.set_collapse_state(&state).unwrap();
                let b = self.reference.set_collapse_state(&state).unwrap();
                self.marks.push(Mark { ix: a, reference: b, row, follows: Some(id) });
            }
            Op::SaveNew(m) => {
                let mid = save(&self.fx.store, self.fid, &m);
                self.mids.push(mid);
                self.changed(mid, false);
            }
            Op::Modify { which, change } if !self.mids.is_empty() => {
                let mid = self.mids[which % self.mids.len()];
                let was = self.in_view(mid.to_u64());
                self.modify(mid, &change);
                self.changed(mid, was);
            }
            Op::Delete { which } if !self.mids.is_empty() => {
                let mid = self.mids.remove(which % self.mids.len());
                let was = self.in_view(mid.to_u64());
                self.fx.store.delete_messages(self.fid, &[mid], true).unwrap();
                self.changed(mid, was);
            }
            _ => {}
        }
        let row = self.reference.rows().get(self.reference.position()).map(|r| (r.id, r.instance));
        assert_eq!(self.ix.current_row(), row, "the row under the cursor");
        assert_eq!(self.ix.position().unwrap(), self.reference.position(), "the cursor position");
        assert_eq!(self.ix.row_count().unwrap(), self.reference.row_count(), "the row count");
        for id in self.mids.iter().map(|m| m.to_u64()) {
            assert!(self.ix.holds(id).unwrap() && self.reference.holds(id));
        }
    }
}

fn run(fx: &mut Fixture, c: Case) {
    let fid = fx.folder();
    let mids: Vec<ObjectId> = c.msgs.iter().map(|m| save(&fx.store, fid, m)).collect();
    let mut reference = Table::new(reference_rows(&fx.store, fid), COLUMNS.to_vec());
    reference.sort(c.sort.clone()).unwrap();
    reference.restrict(c.restriction.clone());
    assert!(IndexedTable::supports(COLUMNS, &c.sort, c.restriction.as_ref()));
    let scope = ContentsScope { fid, associated: false, soft_deleted: false };
    let ix = IndexedTable::new(fx.store.clone(), scope, COLUMNS.to_vec(), c.sort, c.restriction);
    let mut run = Run { fx, fid, mids, ix, reference, marks: Vec::new() };
    for op in &c.ops {
        run.step(op);
    }
}

#[test]
fn an_indexed_table_can_live_in_a_shared_session() {
    fn check<T: Send + Sync>() {}
    check::<IndexedTable>();
}

#[test]
fn the_indexed_table_answers_every_operation_as_the_memory_table() {
    let fx = RefCell::new(Fixture::new());
    let config = Config { cases: 250, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    runner
        .run(&case(), |c| {
            run(&mut fx.borrow_mut(), c);
            Ok(())
        })
        .unwrap();
}
