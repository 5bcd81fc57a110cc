//! The index-backed fast path of contents-table restrictions (MS-OXCTABL 3.2.5.4): the parts of
//! a restriction that compare a denormalised column of `messages` (delivery, creation and
//! modification times, size, message class, normalized subject) with a constant become an SQL
//! condition, so [`super::super::MessageStore::contents_rows`] reads only the candidate rows
//! (a delivery- or modification-time range walks the `(fid, associated, soft_deleted, time)`
//! indexes). The condition selects a superset of the matching rows; the table engine still
//! evaluates the whole restriction on them, so results are exact.

use oxmapi_core::catalogue::tags::{
    PR_CREATION_TIME, PR_LAST_MODIFICATION_TIME, PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE,
    PR_NORMALIZED_SUBJECT,
};
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

/// A condition on `messages` (alias `m`) with its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentsFilter {
    /// The SQL condition.
    pub sql: String,
    /// Its parameters, in order.
    pub params: Vec<FilterValue>,
}

/// A parameter of a [`ContentsFilter`].
#[derive(Clone, Debug, PartialEq)]
pub enum FilterValue {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

impl crate::db::ToSql for FilterValue {
    fn to_sql(&self) -> crate::db::ValueRef<'_> {
        match self {
            FilterValue::Int(i) => i.to_sql(),
            FilterValue::Text(s) => s.to_sql(),
        }
    }
}

/// How a prefilter compares text case-insensitively, in SQLite's words; [`ContentsFilter::sql_for`]
/// puts the backend's collation in its place (the prefilter is built before a connection is at
/// hand, and the server builds it too).
const NOCASE: &str = "COLLATE NOCASE";

impl ContentsFilter {
    /// The condition in the dialect of `b`.
    pub fn sql_for(&self, b: crate::db::Backend) -> std::borrow::Cow<'_, str> {
        match b {
            crate::db::Backend::Sqlite => self.sql.as_str().into(),
            b => self.sql.replace(NOCASE, &format!("COLLATE {}", b.nocase())).into(),
        }
    }
}

/// What a denormalised column holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A FILETIME (PtypTime).
    Time,
    /// A PtypInteger32.
    Int,
    /// Text (PtypString).
    Text,
}

/// The denormalised column of a property.
fn column(tag: PropTag) -> Option<(&'static str, Kind)> {
    let id = tag.id();
    [
        (PR_MESSAGE_DELIVERY_TIME, "m.delivery_time", Kind::Time),
        (PR_LAST_MODIFICATION_TIME, "m.modified", Kind::Time),
        (PR_CREATION_TIME, "m.created", Kind::Time),
        (PR_MESSAGE_SIZE, "m.message_size", Kind::Int),
        (PR_MESSAGE_CLASS, "m.message_class", Kind::Text),
        (PR_NORMALIZED_SUBJECT, "m.normalized_subject", Kind::Text),
    ]
    .iter()
    .find(|(t, _, _)| t.id() == id)
    .map(|(_, c, k)| (*c, *k))
}

/// The SQL form of one property restriction, when its column is denormalised.
fn leaf(relop: RelOp, tag: PropTag, value: &PropValue) -> Option<ContentsFilter> {
    let (col, kind) = column(tag)?;
    let op = match relop {
        RelOp::Lt => "<",
        RelOp::Le => "<=",
        RelOp::Gt => ">",
        RelOp::Ge => ">=",
        RelOp::Eq => "=",
        _ => return None,
    };
    let param = match (value, kind) {
        (PropValue::SysTime(t), Kind::Time) => FilterValue::Int(t.0 as i64),
        (PropValue::I32(i), Kind::Int) => FilterValue::Int(*i as i64),
        // Text compares case-insensitively; SQLite's NOCASE folds ASCII only, so only
        // equality on ASCII text is pushed down (ordering and other text stay in the engine).
        (PropValue::Unicode(s), Kind::Text) if relop == RelOp::Eq && s.is_ascii() => {
            FilterValue::Text(s.clone())
        }
        _ => return None,
    };
    let sql = if kind == Kind::Text { format!("{col} {op} ? {NOCASE}") } else { format!("{col} {op} ?") };
    Some(ContentsFilter { sql, params: vec![param] })
}

/// The SQL prefilter of a restriction, if any part of it can use the denormalised columns.
pub fn contents_prefilter(r: &Restriction) -> Option<ContentsFilter> {
    match r {
        Restriction::Property { relop, prop_tag, value } => leaf(*relop, *prop_tag, &value.value),
        // A conjunction keeps the parts it can express (the rest is checked by the engine).
        Restriction::And(v) => join(v.iter().filter_map(contents_prefilter).collect(), " AND "),
        // A disjunction is a superset only when every branch is expressed.
        Restriction::Or(v) => {
            let parts: Vec<ContentsFilter> = v.iter().map(contents_prefilter).collect::<Option<_>>()?;
            join(parts, " OR ")
        }
        _ => None,
    }
}

fn join(parts: Vec<ContentsFilter>, op: &str) -> Option<ContentsFilter> {
    if parts.is_empty() {
        return None;
    }
    let sql = parts.iter().map(|p| format!("({})", p.sql)).collect::<Vec<_>>().join(op);
    Some(ContentsFilter { sql, params: parts.into_iter().flat_map(|p| p.params).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::catalogue::tags::{PR_IMPORTANCE, PR_SUBJECT};
    use oxmapi_core::time::FileTime;
    use oxmapi_core::value::TaggedValue;

    fn prop(relop: RelOp, tag: PropTag, value: PropValue) -> Restriction {
        Restriction::Property { relop, prop_tag: tag, value: TaggedValue { tag, value } }
    }

    #[test]
    fn ranges_and_equality_on_denormalised_columns() {
        let r = Restriction::And(vec![
            prop(RelOp::Ge, PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(100))),
            prop(RelOp::Lt, PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(200))),
            prop(RelOp::Eq, PR_IMPORTANCE, PropValue::I32(2)),
        ]);
        let f = contents_prefilter(&r).unwrap();
        assert_eq!(f.sql, "(m.delivery_time >= ?) AND (m.delivery_time < ?)");
        assert_eq!(f.params, vec![FilterValue::Int(100), FilterValue::Int(200)]);
        let c = prop(RelOp::Eq, PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
        assert_eq!(contents_prefilter(&c).unwrap().sql, "m.message_class = ? COLLATE NOCASE");
    }

    #[test]
    fn nothing_is_pushed_down_that_could_drop_a_matching_row() {
        let other = prop(RelOp::Eq, PR_SUBJECT, PropValue::Unicode("x".into()));
        let time = prop(RelOp::Gt, PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(1)));
        assert!(contents_prefilter(&Restriction::Or(vec![time.clone(), other.clone()])).is_none());
        assert!(contents_prefilter(&Restriction::Not(Box::new(time))).is_none());
        assert!(contents_prefilter(&other).is_none());
        let non_ascii = prop(RelOp::Eq, PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Ñote".into()));
        assert!(contents_prefilter(&non_ascii).is_none());
        let ne = prop(RelOp::Ne, PR_MESSAGE_SIZE, PropValue::I32(3));
        assert!(contents_prefilter(&ne).is_none());
    }
}
