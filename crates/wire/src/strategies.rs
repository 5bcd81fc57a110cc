//! proptest strategies for the MAPI data model, shared by the codec tests of this crate.

use oxmapi_core::guid::Guid;
use oxmapi_core::named::{NameId, PropertyName};
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{BitmapRelOp, RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use proptest::collection::vec;
use proptest::prelude::*;

use crate::cdata::{PropertyRow, RowValue};

/// Text without NUL (NUL terminates wire strings).
pub fn text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[^\u{0}]{0,24}").unwrap()
}

/// ASCII text without NUL (for ASCIIZ fields that are 8-bit).
pub fn ascii() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[\u{1}-\u{7f}]{0,24}").unwrap()
}

/// 8-bit string bytes without NUL.
pub fn bytes8() -> impl Strategy<Value = Vec<u8>> {
    vec(1u8..=255, 0..24)
}

/// Arbitrary bytes.
pub fn blob() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..40)
}

/// A GUID.
pub fn guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid)
}

/// A float that compares equal to itself after a round trip.
fn f64v() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("not NaN", |x| !x.is_nan())
}
fn f32v() -> impl Strategy<Value = f32> {
    any::<f32>().prop_filter("not NaN", |x| !x.is_nan())
}

/// A single value of a scalar, string or binary type (no restriction values).
pub fn simple_value() -> impl Strategy<Value = PropValue> {
    use PropValue as V;
    prop_oneof![
        Just(V::Null),
        any::<i16>().prop_map(V::I16),
        any::<i32>().prop_map(V::I32),
        f32v().prop_map(V::F32),
        f64v().prop_map(V::F64),
        any::<i64>().prop_map(V::Currency),
        f64v().prop_map(V::AppTime),
        any::<u32>().prop_map(V::Error),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::I64),
        bytes8().prop_map(V::String8),
        text().prop_map(V::Unicode),
        any::<u64>().prop_map(|t| V::SysTime(FileTime(t))),
        guid().prop_map(V::Guid),
        blob().prop_map(V::ServerId),
        blob().prop_map(V::Binary),
        vec(any::<i16>(), 0..5).prop_map(V::MvI16),
        vec(any::<i32>(), 0..5).prop_map(V::MvI32),
        vec(f32v(), 0..5).prop_map(V::MvF32),
        vec(f64v(), 0..5).prop_map(V::MvF64),
        vec(any::<i64>(), 0..5).prop_map(V::MvCurrency),
        vec(f64v(), 0..5).prop_map(V::MvAppTime),
        vec(any::<i64>(), 0..5).prop_map(V::MvI64),
        vec(bytes8(), 0..5).prop_map(V::MvString8),
        vec(text(), 0..5).prop_map(V::MvUnicode),
        vec(any::<u64>().prop_map(FileTime), 0..5).prop_map(V::MvSysTime),
        vec(guid(), 0..5).prop_map(V::MvGuid),
        vec(blob(), 0..5).prop_map(V::MvBinary),
    ]
}

/// A tagged value whose tag matches its value.
pub fn tagged_value() -> impl Strategy<Value = TaggedValue> {
    (any::<u16>(), simple_value())
        .prop_map(|(id, v)| TaggedValue { tag: PropTag::new(id, v.prop_type()), value: v })
}

fn relop() -> impl Strategy<Value = RelOp> {
    prop_oneof![
        Just(RelOp::Lt),
        Just(RelOp::Le),
        Just(RelOp::Gt),
        Just(RelOp::Ge),
        Just(RelOp::Eq),
        Just(RelOp::Ne),
        Just(RelOp::Re),
        Just(RelOp::MemberOfDl)
    ]
}

fn tag() -> impl Strategy<Value = PropTag> {
    any::<u32>().prop_map(PropTag)
}

/// A restriction tree of every type.
pub fn restriction() -> impl Strategy<Value = Restriction> {
    let leaf = prop_oneof![
        (any::<u16>(), any::<u16>(), tag(), tagged_value()).prop_map(|(l, h, t, v)| {
            Restriction::Content { fuzzy_level_low: l, fuzzy_level_high: h, prop_tag: t, value: v }
        }),
        (relop(), tag(), tagged_value()).prop_map(|(o, t, v)| Restriction::Property {
            relop: o,
            prop_tag: t,
            value: v
        }),
        (relop(), tag(), tag()).prop_map(|(o, a, b)| Restriction::CompareProperties {
            relop: o,
            prop_tag1: a,
            prop_tag2: b
        }),
        (any::<bool>(), tag(), any::<u32>()).prop_map(|(b, t, m)| Restriction::BitMask {
            relop: if b { BitmapRelOp::Nez } else { BitmapRelOp::Eqz },
            prop_tag: t,
            mask: m
        }),
        (relop(), tag(), any::<u32>()).prop_map(|(o, t, s)| Restriction::Size {
            relop: o,
            prop_tag: t,
            size: s
        }),
        tag().prop_map(|t| Restriction::Exist { prop_tag: t }),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Restriction::And),
            vec(inner.clone(), 0..4).prop_map(Restriction::Or),
            inner.clone().prop_map(|r| Restriction::Not(Box::new(r))),
            (tag(), inner.clone())
                .prop_map(|(t, r)| Restriction::SubObject { subobject: t, restriction: Box::new(r) }),
            (vec(tagged_value(), 0..3), proptest::option::of(inner.clone()))
                .prop_map(|(v, r)| Restriction::Comment { values: v, restriction: r.map(Box::new) }),
            (any::<u32>(), inner)
                .prop_map(|(c, r)| Restriction::Count { count: c, restriction: Box::new(r) }),
        ]
    })
}

/// Any value including restrictions.
pub fn value() -> impl Strategy<Value = PropValue> {
    prop_oneof![8 => simple_value(), 1 => restriction().prop_map(|r| PropValue::Restriction(Box::new(r)))]
}

/// A sort order set that satisfies the count invariants.
pub fn sort_order_set() -> impl Strategy<Value = SortOrderSet> {
    vec(
        (
            tag(),
            prop_oneof![
                Just(SortDirection::Ascend),
                Just(SortDirection::Descend),
                Just(SortDirection::Combine),
                Just(SortDirection::MaximumCategory),
                Just(SortDirection::MinimumCategory)
            ],
        )
            .prop_map(|(t, d)| SortOrder { tag: t, direction: d }),
        0..5,
    )
    .prop_flat_map(|orders| {
        let n = orders.len() as u16;
        (Just(orders), 0..=n).prop_flat_map(|(o, c)| (Just(o), Just(c), 0..=c))
    })
    .prop_map(|(orders, c, e)| SortOrderSet { orders, categorized_count: c, expanded_count: e })
}

/// A property name.
pub fn property_name() -> impl Strategy<Value = PropertyName> {
    (guid(), prop_oneof![any::<u32>().prop_map(NameId::Id), text().prop_map(NameId::String)])
        .prop_map(|(guid, name)| PropertyName { guid, name })
}

/// Columns plus a row matching them. Columns are typed (some PtypUnspecified) and cells are
/// values, "not found" or errors.
pub fn columns_and_row() -> impl Strategy<Value = (Vec<PropTag>, PropertyRow)> {
    vec((any::<u16>(), simple_value(), 0u8..10), 0..8).prop_map(|cells| {
        let mut cols = Vec::new();
        let mut vals = Vec::new();
        for (id, v, kind) in cells {
            let unspecified = kind == 9;
            let ty = v.prop_type();
            cols.push(if unspecified {
                PropTag::new(id, PropType::Unspecified)
            } else {
                PropTag::new(id, ty)
            });
            vals.push(match kind {
                0 => RowValue::NotFound { ty: ty.code() },
                1 => RowValue::Error { ty: ty.code(), code: 0x8004010F },
                _ => RowValue::Value(v),
            });
        }
        (cols, PropertyRow::new(vals))
    })
}
