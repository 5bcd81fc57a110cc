//! Property values as a PST store answers for them: a tag is matched by id with the string
//! types interchangeable (a PT_STRING8 cell of an ANSI file is decoded with the file's code
//! page, [MS-PST] 2.1.2), and PT_UNSPECIFIED takes the stored type ([MS-OXCPRPT] 2.2.2).

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::codepage;
use oxmapi_wire::cdata::RowValue;

/// The value `bag` holds for `tag`, by id, whatever string type it was stored with.
pub fn lookup(bag: &PropBag, tag: PropTag) -> Option<&PropValue> {
    if let Some(v) = bag.get(tag) {
        return Some(v);
    }
    let id = tag.id();
    let wanted = tag.prop_type().ok();
    bag.iter()
        .find(|v| {
            v.tag.id() == id
                && match (wanted, v.tag.prop_type().ok()) {
                    (Some(PropType::Unspecified), _) => true,
                    (Some(a), Some(b)) => a == b || (a.is_string() && b.is_string()) || same_mv_string(a, b),
                    _ => false,
                }
        })
        .map(|v| &v.value)
}

fn same_mv_string(a: PropType, b: PropType) -> bool {
    let mv = |t| matches!(t, PropType::MultipleString | PropType::MultipleString8);
    mv(a) && mv(b)
}

/// A value with 8-bit strings decoded with `cp`.
pub fn decoded(v: &PropValue, cp: u32) -> PropValue {
    match v {
        PropValue::String8(b) => PropValue::Unicode(codepage::decode(b, cp)),
        PropValue::MvString8(l) => PropValue::MvUnicode(l.iter().map(|b| codepage::decode(b, cp)).collect()),
        other => other.clone(),
    }
}

/// The table cell or GetProps answer for `tag`: the value, or "not found" with the type the
/// column asked for.
pub fn cell(bag: &PropBag, tag: PropTag, cp: u32) -> RowValue {
    match lookup(bag, tag) {
        Some(v) => RowValue::Value(decoded(v, cp)),
        None => RowValue::NotFound { ty: tag.raw_type() },
    }
}

/// Every property of `bag` with strings in Unicode (RopGetPropertiesAll with WantUnicode).
pub fn all(bag: &PropBag, cp: u32) -> Vec<TaggedValue> {
    bag.iter().map(|v| TaggedValue::new(v.tag, decoded(&v.value, cp))).collect()
}
