//! The model test: random folders, views and interleavings of reads and changes; the
//! index-backed table must answer every operation as the memory engine does over the same
//! rows (MS-OXCTABL 3.2.5.x), and report the same row changes (MS-OXCNOTIF 2.2.1.4.1.2).
//!
//! Where the two engines differ on purpose, the reference is adjusted: a cursor at the
//! beginning of the indexed table stays there when rows are added before it, where the memory
//! engine's cursor index follows the row it was on; a cursor put at BOOKMARK_END (a seek from
//! the end, a fractional seek to the end, a bookmark made there) stays after whatever row is
//! last; a cursor past the last row by reading or seeking forward (or whose row left the
//! view with none after it) is just after that row's key, where the memory engine's index
//! stays put — the same as long as no row comes in before it; and a bookmark whose row has
//! gone points where that row was by key (the row after it now), not by index.

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
use crate::table::{ContentsScope, FindStart, IndexedTable, Origin, Table, tie_descending};

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

/// Where the cursor is when it is past the last row of the reference (see the module
/// documentation); `None` when it is on a row.
#[derive(Clone, Debug)]
enum Past {
    None,
    /// At BOOKMARK_END.
    End,
    /// Just after this row (by key, gone or not).
    After((PropBag, u64)),
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
    past: Past,
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
        self.rows_up_to(old, false)
    }

    /// The reference rows sorting before the row `old` (and `old` itself with `inclusive`).
    fn rows_up_to(&self, old: &Option<(PropBag, u64)>, inclusive: bool) -> usize {
        let Some((bag, id)) = old else { return self.reference.row_count() };
        let sort = self.reference.sort_order();
        self.reference
            .rows()
            .iter()
            .filter(|r| match sort.compare(&r.props, bag) {
                Ordering::Less => true,
                Ordering::Equal => {
                    // Ties follow the last sort key's direction (lead's decision, issue 15).
                    let tie = counter(r.id).cmp(&counter(*id));
                    let tie = if tie_descending(sort) { tie.reverse() } else { tie };
                    tie == Ordering::Less || inclusive && r.id == *id
                }
                Ordering::Greater => false,
            })
            .count()
    }

    fn in_view(&self, id: u64) -> bool {
        self.reference.rows().iter().any(|r| r.id == id)
    }

    /// After a store change of message `mid`: the reference reloads, both report row changes;
    /// `on` is the reference row the cursor was on before the change.
    fn changed(&mut self, mid: ObjectId, was: bool, on: Option<(PropBag, u64)>) {
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
        // A cursor at the beginning stays there, whatever row was under it (with ties in MID
        // descending order a new row can sort before a deleted one).
        let at_beginning = self.ix.cursor == Pos::Beginning;
        if at_beginning {
            self.reference.seek(Origin::Beginning, 0);
            self.past = Past::None;
        }
        match self.past.clone() {
            Past::End => drop(self.reference.seek(Origin::End, 0)),
            Past::After(row) => {
                let at = self.rows_up_to(&Some(row), true);
                self.reference.seek(Origin::Beginning, at as i32);
            }
            Past::None => {}
        }
        let at_end = self.reference.position() == self.reference.row_count();
        self.past = match (self.past.clone(), on) {
            (_, _) if !at_end || at_beginning => Past::None,
            (Past::None, Some(row)) if !self.in_view(row.1) => Past::After(row),
            (past, _) => past,
        };
    }

    /// Where a cursor move `op` left the cursor, when past the last row (module documentation).
    fn track(&mut self, op: &Op, moved: bool) {
        let rf = &self.reference;
        if rf.position() < rf.row_count() {
            self.past = Past::None;
            return;
        }
        let last = rf.rows().last().map(|r| (r.props.clone(), r.id));
        let after_last = |past: Past| match (&last, moved) {
            (Some(row), true) => Past::After(row.clone()),
            _ => past,
        };
        self.past = match op {
            // Back from the end of an empty table: at the beginning.
            Op::Seek { delta, .. } if *delta < 0 => Past::None,
            Op::SeekBookmark { delta, .. } if *delta < 0 && !self.marks.is_empty() => Past::None,
            Op::Seek { origin: Origin::End, .. } => Past::End,
            Op::Seek { origin: Origin::Beginning, .. } => after_last(Past::None),
            Op::SeekFractional { denominator, .. } if *denominator > 0 => match last {
                Some(_) => Past::End,
                None => Past::None,
            },
            Op::SeekBookmark { which, .. } if !self.marks.is_empty() => {
                match &self.marks[which % self.marks.len()].row {
                    None => Past::End,
                    Some(row) => after_last(Past::After(row.clone())),
                }
            }
            _ => after_last(self.past.clone()),
        };
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
        let on = self.reference_row();
        // Whether the op moved the cursor forward over rows (when it ends past the last row).
        let mut moved = false;
        // The op failed (a freed bookmark) and left the cursor where it was.
        let mut failed = false;
        let (ix, rf) = (&mut self.ix, &mut self.reference);
        match op.clone() {
            Op::QueryRows { count, forward, no_advance } => {
                let got = ix.query_rows(count, forward, no_advance).unwrap();
                assert_eq!(got, rf.query_rows(count, forward, no_advance));
                moved = forward && !no_advance && !got.rows.is_empty();
            }
            Op::QueryRowsUnread { count, forward, kept } => {
                let a = ix.query_rows(count, forward, false).unwrap();
                let b = rf.query_rows(count, forward, false);
                assert_eq!(a, b);
                let kept = kept.min(a.rows.len());
                ix.unread(a.rows.len(), kept, forward);
                rf.unread(b.rows.len(), kept, forward);
                moved = forward && kept > 0;
            }
            Op::Seek { origin, delta } => {
                let got = ix.seek(origin, delta).unwrap();
                assert_eq!(got, rf.seek(origin, delta));
                moved = got.moved > 0;
            }
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
                moved = got.as_ref().is_ok_and(|r| r.moved > 0);
                failed = got.is_err();
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
                let state = self.ix.collapse_state(id, 0).unwrap();
                assert_eq!(state, self.reference.collapse_state(id, 0).unwrap());
                let row = self.reference.rows().iter().find(|r| r.id == id).map(|r| (r.props.clone(), r.id));
                let row = row.or_else(|| self.reference_row());
                let a = self.ix.set_collapse_state(&state).unwrap();
                let b = self.reference.set_collapse_state(&state).unwrap();
                self.marks.push(Mark { ix: a, reference: b, row, follows: Some(id) });
            }
            Op::SaveNew(m) => {
                let mid = save(&self.fx.store, self.fid, &m);
                self.mids.push(mid);
                self.changed(mid, false, on);
            }
            Op::Modify { which, change } if !self.mids.is_empty() => {
                let mid = self.mids[which % self.mids.len()];
                let was = self.in_view(mid.to_u64());
                self.modify(mid, &change);
                self.changed(mid, was, on.clone());
            }
            Op::Delete { which } if !self.mids.is_empty() => {
                let mid = self.mids.remove(which % self.mids.len());
                let was = self.in_view(mid.to_u64());
                self.fx.store.delete_messages(self.fid, &[mid], true).unwrap();
                self.changed(mid, was, on.clone());
            }
            _ => {}
        }
        if !failed && !matches!(op, Op::SaveNew(_) | Op::Modify { .. } | Op::Delete { .. }) {
            self.track(op, moved);
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
    let mut run = Run { fx, fid, mids, ix, reference, marks: Vec::new(), past: Past::None };
    for op in &c.ops {
        run.step(op);
    }
}

fn subject(s: &str) -> Msg {
    Msg {
        subject: Some(s.into()),
        sender: None,
        importance: None,
        delivery: None,
        flag_status: None,
        sensitivity: None,
        body: None,
        read: false,
    }
}

fn by_subject() -> SortOrderSet {
    SortOrderSet::plain(vec![oxmapi_core::sort::SortOrder {
        tag: PR_SUBJECT,
        direction: oxmapi_core::sort::SortDirection::Ascend,
    }])
}

/// MS-OXCTABL 3.2.5.5: a client that read a table to its end and reads again after a row was
/// added gets the row when it sorts after the last one read, and nothing (no row twice) when
/// it sorts before; QueryPosition counts it where it sorts. The same after seeking past the
/// end; a cursor put at BOOKMARK_END stays after whatever row is last.
#[test]
fn a_row_added_after_the_last_row_read_is_read_next() {
    let mut fx = Fixture::new();
    let read_to_end = Op::QueryRows { count: 10, forward: true, no_advance: false };
    let read = Op::QueryRows { count: 10, forward: true, no_advance: false };
    for (moving, new, returned) in [
        (read_to_end.clone(), "e", 1),
        (read_to_end.clone(), "a", 0),
        (read_to_end.clone(), "c", 0),
        (Op::Seek { origin: Origin::Current, delta: 8 }, "e", 1),
        (Op::Seek { origin: Origin::Beginning, delta: 2 }, "c", 0),
        (Op::Seek { origin: Origin::End, delta: 0 }, "e", 0),
    ] {
        let ops = vec![
            moving.clone(),
            Op::SaveNew(subject(new)),
            Op::QueryPosition,
            read.clone(),
            Op::QueryPosition,
        ];
        let case =
            Case { msgs: vec![subject("b"), subject("d")], sort: by_subject(), restriction: None, ops };
        run(&mut fx, case.clone());
        // And what the client sees, without the model: the rows the second read returns.
        let fid = fx.folder();
        for m in &case.msgs {
            save(&fx.store, fid, m);
        }
        let scope = ContentsScope { fid, associated: false, soft_deleted: false };
        let mut ix = IndexedTable::new(fx.store.clone(), scope, COLUMNS.to_vec(), by_subject(), None);
        match moving {
            Op::Seek { origin, delta } => drop(ix.seek(origin, delta).unwrap()),
            _ => assert_eq!(ix.query_rows(10, true, false).unwrap().rows.len(), 2),
        }
        save(&fx.store, fid, &subject(new));
        ix.changed();
        let again = ix.query_rows(10, true, false).unwrap();
        assert_eq!(again.rows.len(), returned, "{moving:?} then a row {new:?}");
        assert_eq!(again.origin, Origin::End);
        assert_eq!(ix.query_position().unwrap(), (3, 3));
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
