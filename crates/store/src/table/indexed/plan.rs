//! How an index-backed contents table reads its view: the sort order as key columns of
//! `messages` (MS-OXCTABL 3.2.5.3 RopSortTable) and the restriction (MS-OXCTABL 3.2.5.4
//! RopRestrict, MS-OXCDATA 2.12) split into an SQL condition that is EXACT — it selects
//! precisely the rows the restriction's part selects, with MAPI's semantics (a missing
//! property fails every leaf, so each leaf is wrapped to give 0, never NULL, and NOT stays
//! MAPI's NOT) — and a residual restriction evaluated in Rust on the candidate rows.
//!
//! Exact leaves, on the key columns of `messages/sort_keys.rs`:
//! * PropertyRestriction with RELOP_LT/LE/GT/GE/EQ/NE: text columns against a string value
//!   (both folded, as `compare_values` compares), integer columns against an integer value,
//!   time columns against a PtypTime value;
//! * ExistRestriction;
//! * BitMaskRestriction on integer and time columns;
//! * ContentRestriction FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX with FL_IGNORECASE (and
//!   neither FL_IGNORENONSPACE nor FL_LOOSE) on text columns, when the needle holds no sigma
//!   (the only letter whose lower case depends on its place in the string);
//! * And / Or / Not / Comment of exact parts.
//!
//! Everything else (other properties, RELOP_RE, SizeRestriction, ComparePropertiesRestriction,
//! SubRestriction, case-sensitive content searches) is residual.

use crate::db::Value;
use oxmapi_core::restriction::{
    BitmapRelOp, FL_FULLSTRING, FL_IGNORECASE, FL_IGNORENONSPACE, FL_LOOSE, FL_PREFIX, FL_SUBSTRING, RelOp,
    Restriction,
};
use oxmapi_core::sort::{SortDirection, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use crate::db::Backend;
use crate::mailbox::messages::sort_keys::{KeyColumn, KeyKind, KeySource, fold, key_column};

/// An SQL condition on `messages m` that is TRUE or FALSE (never NULL) for every row, with its parameters.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SqlCond {
    pub sql: String,
    pub params: Vec<Value>,
}

impl SqlCond {
    fn new(sql: impl Into<String>, params: Vec<Value>) -> SqlCond {
        SqlCond { sql: sql.into(), params }
    }

    /// Always true.
    pub fn always() -> SqlCond {
        SqlCond::new("TRUE", Vec::new())
    }

    fn join(parts: Vec<SqlCond>, op: &str, empty: &str) -> SqlCond {
        if parts.is_empty() {
            return SqlCond::new(empty, Vec::new());
        }
        let sql = parts.iter().map(|p| format!("({})", p.sql)).collect::<Vec<_>>().join(op);
        SqlCond { sql, params: parts.into_iter().flat_map(|p| p.params).collect() }
    }

    /// The conjunction of `parts` (true when there are none).
    pub fn all(parts: Vec<SqlCond>) -> SqlCond {
        SqlCond::join(parts, " AND ", "TRUE")
    }
}

/// A view's rows: those passing `cond` (SQL) and then `residual` (Rust).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Filter {
    pub cond: SqlCond,
    pub residual: Option<Restriction>,
}

impl Filter {
    /// The filter of a restriction (everything when `None`).
    pub fn of(r: Option<&Restriction>, b: Backend) -> Filter {
        let mut exact = Vec::new();
        let mut residual = Vec::new();
        if let Some(r) = r {
            split(r, b, &mut exact, &mut residual);
        }
        let residual = match residual.len() {
            0 => None,
            1 => residual.pop(),
            _ => Some(Restriction::And(residual)),
        };
        Filter { cond: SqlCond::all(exact), residual }
    }

    /// The property tags the residual reads.
    pub fn residual_tags(&self) -> Vec<PropTag> {
        let mut out = Vec::new();
        if let Some(r) = &self.residual {
            r.prop_tags(&mut out);
        }
        out
    }
}

/// Splits the conjuncts of `r` into exact SQL and residual restrictions.
fn split(r: &Restriction, b: Backend, exact: &mut Vec<SqlCond>, residual: &mut Vec<Restriction>) {
    match r {
        Restriction::And(v) => v.iter().for_each(|x| split(x, b, exact, residual)),
        _ => match top_level(r).or_else(|| sql_of(r, b)) {
            Some(c) => exact.push(c),
            None => residual.push(r.clone()),
        },
    }
}

/// The SQL of a property comparison that is a conjunct of the whole WHERE clause: there a
/// NULL rejects the row as 0 does, so the leaf needs no COALESCE and stays sargable — SQLite
/// can read it from the column's `(fid, associated, soft_deleted, column)` index (the count
/// of a restricted view).
fn top_level(r: &Restriction) -> Option<SqlCond> {
    let Restriction::Property { relop, prop_tag, value } = r else { return None };
    let mut c = property(*relop, *prop_tag, &value.value)?;
    c.sql = c.sql.strip_prefix("COALESCE(")?.strip_suffix(", FALSE)")?.to_string();
    Some(c)
}

/// The exact SQL form of `r`, when every part of it has one.
pub(super) fn sql_of(r: &Restriction, b: Backend) -> Option<SqlCond> {
    match r {
        Restriction::And(v) => {
            Some(SqlCond::join(v.iter().map(|x| sql_of(x, b)).collect::<Option<_>>()?, " AND ", "TRUE"))
        }
        Restriction::Or(v) => {
            Some(SqlCond::join(v.iter().map(|x| sql_of(x, b)).collect::<Option<_>>()?, " OR ", "FALSE"))
        }
        Restriction::Not(x) => sql_of(x, b).map(|c| SqlCond { sql: format!("NOT ({})", c.sql), ..c }),
        Restriction::Comment { restriction, .. } => match restriction {
            Some(x) => sql_of(x, b),
            None => Some(SqlCond::always()),
        },
        Restriction::Property { relop, prop_tag, value } => property(*relop, *prop_tag, &value.value),
        Restriction::Exist { prop_tag } => {
            let k = key_column(prop_tag.id())?;
            Some(match k.source {
                KeySource::Computed => SqlCond::always(),
                KeySource::Stored => SqlCond::new(format!("m.{} IS NOT NULL", k.column), Vec::new()),
            })
        }
        Restriction::BitMask { relop, prop_tag, mask } => {
            let k = key_column(prop_tag.id()).filter(|k| k.kind != KeyKind::Text)?;
            let test = match relop {
                BitmapRelOp::Nez => "!=",
                BitmapRelOp::Eqz => "=",
            };
            Some(SqlCond::new(
                format!("COALESCE((m.{} & ?) {test} 0, FALSE)", k.column),
                vec![Value::Integer(i64::from(*mask))],
            ))
        }
        Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => {
            content(*fuzzy_level_low, *fuzzy_level_high, *prop_tag, &value.value, b)
        }
        _ => None,
    }
}

/// The key a constant compares as against column `k`, when the comparison is exact.
fn constant(k: &KeyColumn, v: &PropValue) -> Option<Value> {
    match (k.kind, v) {
        (KeyKind::Text, PropValue::Unicode(_) | PropValue::String8(_)) => {
            Some(Value::Text(fold(&v.as_text()?)))
        }
        (KeyKind::Int, PropValue::I16(_) | PropValue::I32(_) | PropValue::I64(_)) => {
            v.as_i64().map(Value::Integer)
        }
        (KeyKind::Time, PropValue::SysTime(t)) => Some(Value::Integer(t.0 as i64)),
        _ => None,
    }
}

fn property(relop: RelOp, tag: PropTag, v: &PropValue) -> Option<SqlCond> {
    let k = key_column(tag.id())?;
    let op = match relop {
        RelOp::Lt => "<",
        RelOp::Le => "<=",
        RelOp::Gt => ">",
        RelOp::Ge => ">=",
        RelOp::Eq => "=",
        RelOp::Ne => "!=",
        RelOp::Re | RelOp::MemberOfDl => return None,
    };
    let c = constant(k, v)?;
    Some(SqlCond::new(format!("COALESCE(m.{} {op} ?, FALSE)", k.column), vec![c]))
}

fn content(low: u16, high: u16, tag: PropTag, v: &PropValue, b: Backend) -> Option<SqlCond> {
    let k = key_column(tag.id()).filter(|k| k.kind == KeyKind::Text)?;
    if high & FL_IGNORECASE == 0 || high & (FL_IGNORENONSPACE | FL_LOOSE) != 0 {
        return None;
    }
    if !matches!(v, PropValue::Unicode(_) | PropValue::String8(_)) {
        return None;
    }
    let needle = v.as_text()?.to_lowercase();
    if needle.chars().any(|c| matches!(c, 'σ' | 'ς' | 'Σ')) || fold(&needle) != needle {
        return None;
    }
    let col = k.column;
    let len = Value::Integer(needle.chars().count() as i64);
    let (sql, params) = match low & 0x00FF {
        FL_FULLSTRING => (format!("COALESCE(m.{col} = ?, FALSE)"), vec![Value::Text(needle)]),
        FL_SUBSTRING => {
            (format!("COALESCE({}, FALSE)", b.contains(&format!("m.{col}"), "?")), vec![Value::Text(needle)])
        }
        FL_PREFIX => (format!("COALESCE(substr(m.{col}, 1, ?) = ?, FALSE)"), vec![len, Value::Text(needle)]),
        _ => return None,
    };
    Some(SqlCond::new(sql, params))
}

/// One sort key of a view: its column and whether it is descending.
pub(super) type SortKey = (&'static KeyColumn, bool);

/// The key columns of a plain sort order whose every key has an index, else `None`.
pub(super) fn sort_keys(sort: &SortOrderSet) -> Option<Vec<SortKey>> {
    if sort.categorized_count > 0 || !sort.is_consistent() {
        return None;
    }
    sort.orders
        .iter()
        .map(|o| {
            let k = key_column(o.tag.id()).filter(|k| k.index.is_some() && !o.tag.is_mv_instance())?;
            match o.direction {
                SortDirection::Ascend => Some((k, false)),
                SortDirection::Descend => Some((k, true)),
                _ => None,
            }
        })
        .collect()
}

/// True when `r` holds a CountRestriction (a budget over the whole view).
pub(super) fn has_count(r: &Restriction) -> bool {
    match r {
        Restriction::Count { .. } => true,
        Restriction::And(v) | Restriction::Or(v) => v.iter().any(has_count),
        Restriction::Not(x) => has_count(x),
        Restriction::Comment { restriction, .. } => restriction.as_deref().is_some_and(has_count),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use oxmapi_core::catalogue::tags::{PR_BODY, PR_IMPORTANCE, PR_MESSAGE_FLAGS, PR_SUBJECT};
    use oxmapi_core::value::TaggedValue;

    use super::*;

    fn prop(relop: RelOp, tag: PropTag, value: PropValue) -> Restriction {
        Restriction::Property { relop, prop_tag: tag, value: TaggedValue { tag, value } }
    }

    fn content(high: u16, tag: PropTag, needle: &str) -> Restriction {
        Restriction::Content {
            fuzzy_level_low: FL_SUBSTRING,
            fuzzy_level_high: high,
            prop_tag: tag,
            value: TaggedValue { tag, value: PropValue::Unicode(needle.into()) },
        }
    }

    #[test]
    fn indexable_leaves_become_exact_sql_and_the_rest_stays_residual() {
        let subject = prop(RelOp::Ge, PR_SUBJECT, PropValue::Unicode("ÄB".into()));
        let important = prop(RelOp::Eq, PR_IMPORTANCE, PropValue::I32(2));
        let body = content(FL_IGNORECASE, PR_BODY, "x");
        let unread = Restriction::BitMask { relop: BitmapRelOp::Eqz, prop_tag: PR_MESSAGE_FLAGS, mask: 1 };
        let r = Restriction::And(vec![subject, Restriction::Not(Box::new(important)), body.clone(), unread]);
        let f = Filter::of(Some(&r), Backend::Sqlite);
        assert_eq!(
            f.cond.sql,
            // A comparison that is a conjunct of the WHERE clause stays sargable (no COALESCE:
            // there NULL rejects the row as 0 does); under NOT it must give 0, never NULL.
            "(m.k_subject >= ?) AND (NOT (COALESCE(m.importance = ?, FALSE))) \
             AND (COALESCE((m.flags & ?) = 0, FALSE))"
        );
        assert_eq!(f.cond.params[0], Value::Text("äb".into()));
        assert_eq!(f.residual, Some(body));
    }

    #[test]
    fn what_cannot_be_exact_is_not_pushed_down() {
        // An Or with a residual branch stays whole in Rust.
        let or = Restriction::Or(vec![
            prop(RelOp::Eq, PR_IMPORTANCE, PropValue::I32(2)),
            content(FL_IGNORECASE, PR_BODY, "x"),
        ]);
        assert_eq!(Filter::of(Some(&or), Backend::Sqlite).residual, Some(or));
        // Case-sensitive or accent-blind searches, a sigma in the needle, a value of another type.
        for r in [
            content(0, PR_SUBJECT, "a"),
            content(FL_IGNORECASE | FL_LOOSE, PR_SUBJECT, "a"),
            content(FL_IGNORECASE, PR_SUBJECT, "ΣΑ"),
            prop(RelOp::Eq, PR_SUBJECT, PropValue::I32(1)),
            prop(RelOp::Re, PR_SUBJECT, PropValue::Unicode("a.*".into())),
        ] {
            assert_eq!(sql_of(&r, Backend::Sqlite), None, "{r:?}");
        }
    }
}
