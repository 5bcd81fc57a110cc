//! The operations the model test interleaves: table reads (MS-OXCTABL 3.2.5.5–3.2.5.14) and
//! folder changes.

use oxmapi_core::restriction::Restriction;
use proptest::prelude::*;

use super::{Msg, msg, restriction};
use crate::table::Origin;

/// What a modification changes of a message.
#[derive(Clone, Debug)]
pub(in crate::table::indexed) enum Change {
    Subject(Option<String>),
    Importance(Option<i32>),
    Delivery(Option<u64>),
    Sender(Option<String>),
}

#[derive(Clone, Debug)]
pub(in crate::table::indexed) enum Op {
    QueryRows {
        count: usize,
        forward: bool,
        no_advance: bool,
    },
    /// QueryRows (advancing) whose response kept only `kept` rows.
    QueryRowsUnread {
        count: usize,
        forward: bool,
        kept: usize,
    },
    Seek {
        origin: Origin,
        delta: i32,
    },
    SeekFractional {
        numerator: u32,
        denominator: u32,
    },
    QueryPosition,
    CreateBookmark,
    SeekBookmark {
        which: usize,
        delta: i32,
    },
    FreeBookmark {
        which: usize,
    },
    FindRow {
        restriction: Restriction,
        origin: Option<Origin>,
        bookmark: Option<usize>,
        backward: bool,
    },
    CollapseState {
        which: usize,
    },
    SaveNew(Msg),
    Modify {
        which: usize,
        change: Change,
    },
    Delete {
        which: usize,
    },
}

fn origin() -> impl Strategy<Value = Origin> {
    prop::sample::select(&[Origin::Beginning, Origin::Current, Origin::End][..])
}

fn change() -> impl Strategy<Value = Change> {
    let text = prop::option::of(prop::sample::select(super::TEXTS).prop_map(String::from));
    prop_oneof![
        text.clone().prop_map(Change::Subject),
        prop::option::of(0..3i32).prop_map(Change::Importance),
        prop::option::of(prop::sample::select(&[100u64, 200, 300, 400][..])).prop_map(Change::Delivery),
        text.prop_map(Change::Sender),
    ]
}

pub(super) fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..6usize, any::<bool>(), any::<bool>())
            .prop_map(|(count, forward, no_advance)| Op::QueryRows { count, forward, no_advance }),
        1 => (1..6usize, any::<bool>(), 0..6usize)
            .prop_map(|(count, forward, kept)| Op::QueryRowsUnread { count, forward, kept }),
        3 => (origin(), -8..8i32).prop_map(|(origin, delta)| Op::Seek { origin, delta }),
        1 => (0..6u32, 0..5u32).prop_map(|(numerator, denominator)| Op::SeekFractional { numerator, denominator }),
        2 => Just(Op::QueryPosition),
        1 => Just(Op::CreateBookmark),
        1 => (0..4usize, -3..3i32).prop_map(|(which, delta)| Op::SeekBookmark { which, delta }),
        1 => (0..4usize).prop_map(|which| Op::FreeBookmark { which }),
        2 => (restriction(), prop::option::of(origin()), prop::option::of(0..4usize), any::<bool>()).prop_map(
            |(restriction, origin, bookmark, backward)| Op::FindRow { restriction, origin, bookmark, backward }
        ),
        1 => (0..40usize).prop_map(|which| Op::CollapseState { which }),
        1 => msg().prop_map(Op::SaveNew),
        1 => (0..40usize, change()).prop_map(|(which, change)| Op::Modify { which, change }),
        1 => (0..40usize).prop_map(|which| Op::Delete { which }),
    ]
}
