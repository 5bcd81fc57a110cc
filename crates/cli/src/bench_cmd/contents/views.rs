//! The four views of the folder-size sweep, and what each must return on a seeded folder,
//! computed in this process from the [`Reference`] values with the project's restriction
//! evaluator and MAPI value order (`oxmapi_core::restriction`), independently of the server.

use std::cmp::Ordering;

use oxmapi_client::store::SortOrder;
use oxmapi_core::catalogue::tags::{PR_IMPORTANCE, PR_MESSAGE_DELIVERY_TIME, PR_SUBJECT};
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, RelOp, Restriction, compare_values};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::corpus::Reference;

/// What the substring view looks for: part of the corpus's rare word, in a spelling none of
/// its subjects use, so that only FL_IGNORECASE finds it.
pub(super) const NEEDLE: &str = "pPELi";

/// A table view: a sort and an optional restriction.
pub(super) struct View {
    /// Its name in the output (what it restricts on, or its sort when it does not restrict).
    pub(super) name: &'static str,
    /// The sort and restriction in words.
    pub(super) order: &'static str,
    /// Whether an index can serve it (the substring view must examine every row).
    pub(super) indexable: bool,
    /// The sort key.
    pub(super) sort: SortOrder,
    /// The restriction, if any.
    pub(super) restriction: Option<Restriction>,
}

impl View {
    /// The sweep's views: by delivery time (newest first), by subject, PR_IMPORTANCE == 2 by
    /// delivery time, and a case-insensitive substring of PR_SUBJECT by delivery time.
    pub(super) fn all() -> Vec<View> {
        let newest_first = SortOrder { tag: PR_MESSAGE_DELIVERY_TIME, descending: true };
        vec![
            View {
                name: "delivery_time_desc",
                order: "PR_MESSAGE_DELIVERY_TIME descending",
                indexable: true,
                sort: newest_first,
                restriction: None,
            },
            View {
                name: "subject_asc",
                order: "PR_SUBJECT ascending",
                indexable: true,
                sort: SortOrder { tag: PR_SUBJECT, descending: false },
                restriction: None,
            },
            View {
                name: "importance_eq_2",
                order: "PR_IMPORTANCE == 2 (RELOP_EQ), PR_MESSAGE_DELIVERY_TIME descending",
                indexable: true,
                sort: newest_first,
                restriction: Some(Restriction::Property {
                    relop: RelOp::Eq,
                    prop_tag: PR_IMPORTANCE,
                    value: TaggedValue { tag: PR_IMPORTANCE, value: PropValue::I32(2) },
                }),
            },
            View {
                name: "subject_substring_ignorecase",
                order: "PR_SUBJECT contains \"pPELi\" (ContentRestriction FL_SUBSTRING|FL_IGNORECASE), \
                        PR_MESSAGE_DELIVERY_TIME descending",
                indexable: false,
                sort: newest_first,
                restriction: Some(Restriction::Content {
                    fuzzy_level_low: FL_SUBSTRING,
                    fuzzy_level_high: FL_IGNORECASE,
                    prop_tag: PR_SUBJECT,
                    value: TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(NEEDLE.into()) },
                }),
            },
        ]
    }

    /// The sort key of a row (or reference) value.
    pub(super) fn key_tag(&self) -> PropTag {
        self.sort.tag
    }

    /// What the view returns on `rows`: the sort keys in order, and how many rows an evaluator
    /// that walks the rows in sort order (no index for the restriction) examines before it has
    /// `page` results.
    pub(super) fn expected(&self, rows: &[Reference], page: usize) -> Expected {
        let tag = self.key_tag();
        let key =
            |r: &Reference| oxmapi_core::bag::PropertyBag::get(r, tag).cloned().unwrap_or(PropValue::Null);
        let mut all: Vec<(PropValue, bool)> =
            rows.iter().map(|r| (key(r), self.restriction.as_ref().is_none_or(|x| x.evaluate(r)))).collect();
        all.sort_by(|(a, _), (b, _)| {
            let o = compare_values(a, b).unwrap_or(Ordering::Equal);
            if self.sort.descending { o.reverse() } else { o }
        });
        let mut examined_for_page = all.len();
        let mut found = 0;
        for (i, (_, hit)) in all.iter().enumerate() {
            found += *hit as usize;
            if found == page {
                examined_for_page = i + 1;
                break;
            }
        }
        Expected {
            keys: all.into_iter().filter(|(_, hit)| *hit).map(|(k, _)| k).collect(),
            examined_for_first_page: examined_for_page,
        }
    }
}

/// What a view must return on one folder.
pub(super) struct Expected {
    /// The sort keys of the rows, in view order.
    pub(super) keys: Vec<PropValue>,
    /// Rows a streaming evaluator examines for the first page (see [`View::expected`]).
    pub(super) examined_for_first_page: usize,
}

impl Expected {
    /// Checks that `got` (the sort keys of the rows a read of up to `asked` rows from position
    /// `at` returned) are the view's keys there, as many as the view has; ties may come in any
    /// order, so keys are compared by MAPI value order.
    pub(super) fn check(&self, what: &str, at: usize, asked: usize, got: &[PropValue]) -> Result<(), String> {
        let want = self.keys.get(at..).unwrap_or(&[]);
        let want = &want[..asked.min(want.len())];
        if want.len() != got.len() {
            return Err(format!(
                "{what}: {} rows read from row {at}, {} expected (the view has {} rows)",
                got.len(),
                want.len(),
                self.keys.len()
            ));
        }
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            if compare_values(g, w) != Some(Ordering::Equal) {
                return Err(format!("{what}: row {} has sort key {g:?}, {w:?} expected", at + i));
            }
        }
        Ok(())
    }
}
