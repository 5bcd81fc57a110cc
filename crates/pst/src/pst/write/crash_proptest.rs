//! Crash points across the messaging layer: random sequences of [`PstWriter`] operations with
//! commits between them, the disk cut at a random write (every write after it fails, as if the
//! process had died there: the NDB layer's `stop_after_writes` hook). The file left behind
//! must hold exactly what the last commit before the cut held ([MS-PST] 2.6: the header,
//! written last, names only committed trees), pass `check_allocation` (after `repair` at
//! worst: a transaction cut in the middle leaves fAMapValid 0, [MS-PST] 2.6.1), and take new
//! writes. A cut may fall in the first writer or, after a reopen, in a writer opened on the
//! file (no hook beyond the NDB layer's was needed).
//!
//! The operations and the model are the store property test's ([`super::store_proptest`]).

use std::path::Path;

use proptest::prelude::*;

use super::store_proptest::{Model, Op, allocation_problems, apply, observed, op};
use super::testkit::temp_path;
use super::{PstWriter, repair};
use crate::pst::crypt::CryptMethod;

/// Cases per run.
const CASES: u32 = 32;

/// What a run of the operations left: the model at the last commit, the model of a commit
/// that was cut (its last writes may have reached the disk: the file may hold it), how many
/// writes were made, and the name counter of [`apply`].
struct Run {
    committed: Model,
    in_commit: Option<Model>,
    writes: u64,
    n: usize,
}

/// Applies `ops` to a new store at `path` (the sequence ends with a commit), every write after
/// the first `cut` failing (`None`: no cut). A reopen commits, drops the writer and opens a new
/// one, whose disk is given what is left of the cut (the writes of opening are not counted).
fn run(path: &Path, ops: &[Op], cut: Option<u64>) -> Run {
    let mut w = PstWriter::create(path, CryptMethod::Permute, "Crash").unwrap();
    let mut model = Model::of_new_store(&w);
    let mut out = Run { committed: model.clone(), in_commit: None, writes: 0, n: 0 };
    let mut start = w.ndb.disk.writes();
    if let Some(k) = cut {
        w.ndb.stop_after_writes(k);
    }
    for op in ops.iter().chain(std::iter::once(&Op::Commit)) {
        let done = match op {
            Op::Reopen => w.commit(),
            op => apply(&mut w, &mut model, op, &mut out.n),
        };
        if done.is_err() {
            if matches!(op, Op::Commit | Op::Reopen) {
                out.in_commit = Some(model);
            }
            return out;
        }
        if matches!(op, Op::Commit | Op::Reopen) {
            out.committed = model.clone();
        }
        if matches!(op, Op::Reopen) {
            out.writes += w.ndb.disk.writes() - start;
            drop(w);
            w = PstWriter::open(path).unwrap();
            start = w.ndb.disk.writes();
            if let Some(k) = cut {
                w.ndb.stop_after_writes(k.saturating_sub(out.writes));
            }
        }
    }
    out.writes += w.ndb.disk.writes() - start;
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn a_writer_cut_at_any_write_leaves_exactly_its_last_commit(
        ops in proptest::collection::vec(op(), 1..40),
        cut in 0.0f64..1.0,
    ) {
        let total = run(&temp_path("count.pst").0, &ops, None).writes;
        let k = (cut * (total + 1) as f64) as u64;
        let p = temp_path("crash.pst");
        let Run { committed, in_commit, mut n, .. } = run(&p.0, &ops, Some(k));

        // The reader sees the last commit, before any repair.
        let seen = observed(&p.0, &committed).unwrap();
        prop_assert!(seen == committed || Some(&seen) == in_commit.as_ref(),
            "cut after {k} of {total} writes: the file holds {seen:?}, the last commit {committed:?}");
        // The allocation check passes, after a repair at worst, and the items stay.
        if !allocation_problems(&p.0).is_empty() {
            repair(&p.0).unwrap();
            prop_assert_eq!(allocation_problems(&p.0), Vec::<String>::new());
        }
        prop_assert_eq!(&observed(&p.0, &seen).unwrap(), &seen);
        // A writer goes on from there.
        let mut w = PstWriter::open(&p.0).unwrap();
        let mut next = seen.clone();
        apply(&mut w, &mut next, &Op::AddMessage(0, 100), &mut n).unwrap();
        w.commit().unwrap();
        drop(w);
        prop_assert_eq!(&observed(&p.0, &next).unwrap(), &next);
        prop_assert_eq!(allocation_problems(&p.0), Vec::<String>::new());
    }
}
