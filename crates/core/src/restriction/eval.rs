//! Restriction evaluation over a [`PropertyBag`] with MAPI semantics (MS-OXCDATA 2.12).
//!
//! - A restriction on a property the object does not have is false, for every relational
//!   operator (RELOP_NE included); only ExistRestriction and NotRestriction see absence.
//! - Strings compare case-insensitively in Property/CompareProperties restrictions and sort
//!   orders, as Exchange tables do; ContentRestriction honours the fuzzy level exactly.
//! - A single value compared with a multi-valued property matches if any element matches.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::*;
use crate::bag::PropertyBag;
use crate::value::PropValue;

/// Remaining match budgets of the CountRestrictions in a restriction tree, in depth-first order.
#[derive(Clone, Debug, Default)]
pub struct CountState {
    remaining: Vec<u32>,
}

impl CountState {
    /// Budgets initialised from `r`'s CountRestrictions.
    pub fn new(r: &Restriction) -> CountState {
        let mut s = CountState::default();
        collect_counts(r, &mut s.remaining);
        s
    }
}

fn collect_counts(r: &Restriction, out: &mut Vec<u32>) {
    match r {
        Restriction::And(v) | Restriction::Or(v) => v.iter().for_each(|x| collect_counts(x, out)),
        Restriction::Not(x) | Restriction::SubObject { restriction: x, .. } => collect_counts(x, out),
        Restriction::Comment { restriction: Some(x), .. } => collect_counts(x, out),
        Restriction::Count { count, restriction } => {
            out.push(*count);
            collect_counts(restriction, out);
        }
        _ => {}
    }
}

impl Restriction {
    /// True when `bag` satisfies the restriction. CountRestriction limits are not applied
    /// (a single object has no count); use [`Restriction::evaluate_counting`] over a row set.
    pub fn evaluate(&self, bag: &dyn PropertyBag) -> bool {
        self.eval(bag, &mut None, &mut 0)
    }

    /// Like [`Restriction::evaluate`], applying CountRestriction budgets across calls: each
    /// CountRestriction lets at most `Count` objects through its sub-restriction.
    pub fn evaluate_counting(&self, bag: &dyn PropertyBag, state: &mut CountState) -> bool {
        let mut st = Some(state);
        self.eval(bag, &mut st, &mut 0)
    }

    fn eval(&self, bag: &dyn PropertyBag, counts: &mut Option<&mut CountState>, next: &mut usize) -> bool {
        match self {
            Restriction::And(v) => {
                let mut all = true;
                for r in v {
                    // Evaluate every branch so Count indices stay aligned.
                    all &= r.eval(bag, counts, next);
                }
                all
            }
            Restriction::Or(v) => {
                let mut any = false;
                for r in v {
                    any |= r.eval(bag, counts, next);
                }
                any
            }
            Restriction::Not(r) => !r.eval(bag, counts, next),
            Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => bag
                .get(*prop_tag)
                .map(|pv| {
                    pv.elements()
                        .iter()
                        .any(|e| content_match(e, &value.value, *fuzzy_level_low, *fuzzy_level_high))
                })
                .unwrap_or(false),
            Restriction::Property { relop, prop_tag, value } => match bag.get(*prop_tag) {
                None => false,
                Some(pv) => property_match(pv, *relop, &value.value),
            },
            Restriction::CompareProperties { relop, prop_tag1, prop_tag2 } => {
                match (bag.get(*prop_tag1), bag.get(*prop_tag2)) {
                    (Some(a), Some(b)) => property_match(a, *relop, b),
                    _ => false,
                }
            }
            Restriction::BitMask { relop, prop_tag, mask } => {
                match bag.get(*prop_tag).and_then(|v| v.as_i64()) {
                    None => false,
                    Some(v) => {
                        let hit = (v as u32) & mask != 0;
                        match relop {
                            BitmapRelOp::Eqz => !hit,
                            BitmapRelOp::Nez => hit,
                        }
                    }
                }
            }
            Restriction::Size { relop, prop_tag, size } => match bag.get(*prop_tag) {
                None => false,
                Some(v) => relop_holds(*relop, (v.byte_size() as u64).cmp(&(*size as u64))),
            },
            Restriction::Exist { prop_tag } => bag.get(*prop_tag).is_some(),
            Restriction::SubObject { subobject, restriction } => {
                bag.any_sub_object(*subobject, &mut |sub| restriction.evaluate(sub))
            }
            Restriction::Comment { restriction, .. } => {
                restriction.as_ref().map(|r| r.eval(bag, counts, next)).unwrap_or(true)
            }
            Restriction::Count { restriction, .. } => {
                let my = *next;
                *next += 1;
                let hit = restriction.eval(bag, counts, next);
                match counts {
                    Some(st) if hit => match st.remaining.get_mut(my) {
                        Some(0) => false,
                        Some(n) => {
                            *n -= 1;
                            true
                        }
                        None => true,
                    },
                    _ => hit,
                }
            }
        }
    }
}

fn relop_holds(relop: RelOp, ord: Ordering) -> bool {
    match relop {
        RelOp::Lt => ord == Ordering::Less,
        RelOp::Le => ord != Ordering::Greater,
        RelOp::Gt => ord == Ordering::Greater,
        RelOp::Ge => ord != Ordering::Less,
        RelOp::Eq => ord == Ordering::Equal,
        RelOp::Ne => ord != Ordering::Equal,
        RelOp::Re | RelOp::MemberOfDl => false,
    }
}

fn property_match(actual: &PropValue, relop: RelOp, wanted: &PropValue) -> bool {
    match relop {
        RelOp::Re => {
            let Some(pattern) = wanted.as_text() else { return false };
            let Ok(re) =
                regex::RegexBuilder::new(&pattern).case_insensitive(true).size_limit(1 << 20).build()
            else {
                return false;
            };
            actual.elements().iter().any(|e| e.as_text().is_some_and(|t| re.is_match(&t)))
        }
        // Directory membership needs the address book; a bare property bag has none.
        RelOp::MemberOfDl => false,
        _ => {
            let a_multi = actual.prop_type().is_multi();
            let w_multi = wanted.prop_type().is_multi();
            if a_multi && !w_multi {
                actual
                    .elements()
                    .iter()
                    .any(|e| compare_values(e, wanted).is_some_and(|o| relop_holds(relop, o)))
            } else {
                compare_values(actual, wanted).is_some_and(|o| relop_holds(relop, o))
            }
        }
    }
}

/// Orders two values as MAPI tables do: integers across widths, strings case-insensitively
/// (8-bit and Unicode alike), binaries bytewise, multi-valued values element by element.
/// Returns `None` when the types are not comparable.
pub fn compare_values(a: &PropValue, b: &PropValue) -> Option<Ordering> {
    use PropValue::*;
    match (a, b) {
        (Unicode(_) | String8(_), Unicode(_) | String8(_)) => {
            let (x, y) = (a.as_text()?, b.as_text()?);
            Some(cmp_ignore_case(&x, &y))
        }
        (F32(x), F32(y)) => x.partial_cmp(y),
        (F64(x), F64(y)) | (AppTime(x), AppTime(y)) => x.partial_cmp(y),
        (F32(x), F64(y)) => (*x as f64).partial_cmp(y),
        (F64(x), F32(y)) => x.partial_cmp(&(*y as f64)),
        (SysTime(x), SysTime(y)) => Some(x.cmp(y)),
        (Guid(x), Guid(y)) => Some(x.0.cmp(&y.0)),
        (Binary(x) | ServerId(x), Binary(y) | ServerId(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Error(x), Error(y)) => Some(x.cmp(y)),
        (I16(_) | I32(_) | I64(_), I16(_) | I32(_) | I64(_)) | (Currency(_), Currency(_)) => {
            Some(a.as_i64()?.cmp(&b.as_i64()?))
        }
        (Null, Null) => Some(Ordering::Equal),
        _ if a.prop_type().is_multi() && a.prop_type() == b.prop_type() => {
            let (xs, ys) = (a.elements(), b.elements());
            for (x, y) in xs.iter().zip(ys.iter()) {
                match compare_values(x, y)? {
                    Ordering::Equal => continue,
                    o => return Some(o),
                }
            }
            Some(xs.len().cmp(&ys.len()))
        }
        _ => None,
    }
}

fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().flat_map(char::to_lowercase);
    let mut y = b.chars().flat_map(char::to_lowercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p != q => return p.cmp(&q),
            _ => {}
        }
    }
}

fn fold(s: &str, high: u16) -> String {
    let ignore_case = high & (FL_IGNORECASE | FL_LOOSE) != 0;
    let ignore_nonspace = high & (FL_IGNORENONSPACE | FL_LOOSE) != 0;
    let mut out: String =
        if ignore_nonspace { s.nfd().filter(|c| !is_combining_mark(*c)).collect() } else { s.to_string() };
    if ignore_case {
        out = out.to_lowercase();
    }
    out
}

fn content_match(actual: &PropValue, wanted: &PropValue, low: u16, high: u16) -> bool {
    if let (Some(a), Some(w)) = (actual.as_text(), wanted.as_text()) {
        let (a, w) = (fold(&a, high), fold(&w, high));
        return match low & 0x00FF {
            FL_FULLSTRING => a == w,
            FL_SUBSTRING => a.contains(&w),
            FL_PREFIX => a.starts_with(&w),
            FL_PREFIX_ON_ANY_WORD => a.split(|c: char| !c.is_alphanumeric()).any(|word| word.starts_with(&w)),
            FL_PHRASE_MATCH => a.contains(&w),
            _ => false,
        };
    }
    match (actual.as_bytes(), wanted.as_bytes()) {
        (Some(a), Some(w)) => match low & 0x00FF {
            FL_FULLSTRING => a == w,
            FL_SUBSTRING => w.is_empty() || a.windows(w.len()).any(|x| x == w),
            FL_PREFIX => a.starts_with(w),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bag::PropBag;
    use crate::value::TaggedValue;

    const SUBJECT: PropTag = PropTag(0x0037_001F);
    const SIZE: PropTag = PropTag(0x0E08_0003);
    const FLAGS: PropTag = PropTag(0x0E07_0003);
    const KEYWORDS: PropTag = PropTag(0x8001_101F);

    fn msg() -> PropBag {
        PropBag::new()
            .with(SUBJECT, PropValue::Unicode("Réunion budget Q3".into()))
            .with(SIZE, PropValue::I32(2048))
            .with(FLAGS, PropValue::I32(0x11))
            .with(KEYWORDS, PropValue::MvUnicode(vec!["Red".into(), "Blue".into()]))
    }

    fn content(low: u16, high: u16, s: &str) -> Restriction {
        Restriction::Content {
            fuzzy_level_low: low,
            fuzzy_level_high: high,
            prop_tag: SUBJECT,
            value: TaggedValue::new(SUBJECT, PropValue::Unicode(s.into())),
        }
    }

    #[test]
    fn content_fuzzy_levels() {
        let m = msg();
        assert!(content(FL_SUBSTRING, 0, "budget").evaluate(&m));
        assert!(!content(FL_SUBSTRING, 0, "BUDGET").evaluate(&m));
        assert!(content(FL_SUBSTRING, FL_IGNORECASE, "BUDGET").evaluate(&m));
        assert!(content(FL_PREFIX, 0, "Réu").evaluate(&m));
        assert!(!content(FL_PREFIX, FL_IGNORECASE, "reu").evaluate(&m));
        assert!(content(FL_PREFIX, FL_LOOSE, "reu").evaluate(&m));
        assert!(content(FL_FULLSTRING, FL_IGNORECASE, "réunion BUDGET q3").evaluate(&m));
        assert!(!content(FL_FULLSTRING, 0, "Réunion").evaluate(&m));
        assert!(content(FL_PREFIX_ON_ANY_WORD, FL_IGNORECASE, "bud").evaluate(&m));
    }

    #[test]
    fn relops_on_integers_and_strings() {
        let m = msg();
        let p = |relop, v: i32| Restriction::Property {
            relop,
            prop_tag: SIZE,
            value: TaggedValue::new(SIZE, PropValue::I32(v)),
        };
        assert!(p(RelOp::Gt, 1000).evaluate(&m));
        assert!(!p(RelOp::Lt, 1000).evaluate(&m));
        assert!(p(RelOp::Le, 2048).evaluate(&m));
        assert!(p(RelOp::Ne, 1).evaluate(&m));
        let s = Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: SUBJECT,
            value: TaggedValue::new(SUBJECT, PropValue::String8(b"R\xe9UNION BUDGET q3".to_vec())),
        };
        assert!(s.evaluate(&m), "8-bit vs Unicode, case-insensitive");
        let missing = Restriction::Property {
            relop: RelOp::Ne,
            prop_tag: PropTag(0x1000_001F),
            value: TaggedValue::new(PropTag(0x1000_001F), PropValue::Unicode("x".into())),
        };
        assert!(!missing.evaluate(&m), "absent property never matches");
        assert!(Restriction::Not(Box::new(missing)).evaluate(&m));
    }

    #[test]
    fn multivalued_any_element() {
        let m = msg();
        let r = Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: KEYWORDS,
            value: TaggedValue::new(KEYWORDS, PropValue::Unicode("blue".into())),
        };
        assert!(r.evaluate(&m));
    }

    #[test]
    fn bitmask_size_exist_compare_regex() {
        let m = msg();
        assert!(Restriction::BitMask { relop: BitmapRelOp::Nez, prop_tag: FLAGS, mask: 0x10 }.evaluate(&m));
        assert!(Restriction::BitMask { relop: BitmapRelOp::Eqz, prop_tag: FLAGS, mask: 0x02 }.evaluate(&m));
        assert!(Restriction::Size { relop: RelOp::Eq, prop_tag: SIZE, size: 4 }.evaluate(&m));
        assert!(Restriction::Exist { prop_tag: SUBJECT }.evaluate(&m));
        assert!(!Restriction::Exist { prop_tag: PropTag(0x1000_001F) }.evaluate(&m));
        assert!(
            Restriction::CompareProperties { relop: RelOp::Ge, prop_tag1: SIZE, prop_tag2: FLAGS }
                .evaluate(&m)
        );
        let re = Restriction::Property {
            relop: RelOp::Re,
            prop_tag: SUBJECT,
            value: TaggedValue::new(SUBJECT, PropValue::Unicode("q[0-9]$".into())),
        };
        assert!(re.evaluate(&m));
        assert!(Restriction::And(vec![]).evaluate(&m));
        assert!(!Restriction::Or(vec![]).evaluate(&m));
    }

    #[test]
    fn sub_objects_and_counts() {
        let mut m = msg();
        let rcpt = PropBag::new().with(PropTag(0x3003_001F), PropValue::Unicode("bob@example.com".into()));
        m.sub_objects.insert(PropTag(0x0E12_000D), vec![rcpt]);
        let sub = Restriction::SubObject {
            subobject: PropTag(0x0E12_000D),
            restriction: Box::new(Restriction::Content {
                fuzzy_level_low: FL_SUBSTRING,
                fuzzy_level_high: FL_IGNORECASE,
                prop_tag: PropTag(0x3003_001F),
                value: TaggedValue::new(PropTag(0x3003_001F), PropValue::Unicode("BOB".into())),
            }),
        };
        assert!(sub.evaluate(&m));
        let count =
            Restriction::Count { count: 2, restriction: Box::new(Restriction::Exist { prop_tag: SUBJECT }) };
        let mut st = CountState::new(&count);
        let hits = (0..5).filter(|_| count.evaluate_counting(&m, &mut st)).count();
        assert_eq!(hits, 2);
        assert!(count.evaluate(&m));
    }

    #[test]
    fn ordering() {
        use PropValue::*;
        assert_eq!(compare_values(&Unicode("abc".into()), &Unicode("ABD".into())), Some(Ordering::Less));
        assert_eq!(compare_values(&I16(5), &I64(5)), Some(Ordering::Equal));
        assert_eq!(compare_values(&Binary(vec![1, 2]), &Binary(vec![1, 2, 0])), Some(Ordering::Less));
        assert_eq!(compare_values(&I32(1), &Unicode("1".into())), None);
    }
}
