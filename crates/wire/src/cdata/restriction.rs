//! Restriction encodings (MS-OXCDATA 2.12). And/Or counts are u16 in ROP buffers and u32 in
//! MAPI/HTTP NSPI bodies and extended rules; values inside use the same form's counts.

use std::cell::Cell;

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::restriction::{BitmapRelOp, RelOp, Restriction, restrict_type as rt};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;

use super::Form;
use super::value::{column_value_type, read_ab_value, read_tagged_value, write_tagged_value};

/// Deepest nesting accepted, counting nesting through PtypRestriction values. Real clients nest
/// a handful of levels; 64 keeps decoding, evaluation and encoding of a hostile buffer well
/// inside a 2 MiB thread stack, even in debug builds.
pub const MAX_RESTRICTION_DEPTH: usize = 64;

thread_local! {
    /// Restrictions being decoded on this thread. Restrictions nest through PtypRestriction
    /// values as well as through And/Or/Not, so the bound is kept per thread rather than per call.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Holds one level of nesting; released on drop.
struct DepthGuard;

impl DepthGuard {
    fn enter(r: &Reader<'_>) -> DecodeResult<DepthGuard> {
        DEPTH.with(|d| {
            if d.get() >= MAX_RESTRICTION_DEPTH {
                Err(r.invalid("Restriction", format!("nested deeper than {MAX_RESTRICTION_DEPTH} levels")))
            } else {
                d.set(d.get() + 1);
                Ok(DepthGuard)
            }
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Reads a restriction. Nesting — directly or through PtypRestriction values — is bounded by
/// [`MAX_RESTRICTION_DEPTH`].
pub fn read_restriction(r: &mut Reader<'_>, form: Form) -> DecodeResult<Restriction> {
    let _guard = DepthGuard::enter(r)?;
    read_one(r, form)
}

fn relop(r: &Reader<'_>, v: u8) -> DecodeResult<RelOp> {
    RelOp::try_from(v).map_err(|v| r.invalid("RelOp", format!("0x{v:02X}")))
}

fn read_one(r: &mut Reader<'_>, form: Form) -> DecodeResult<Restriction> {
    let ty = r.u8("RestrictType")?;
    Ok(match ty {
        rt::AND | rt::OR => {
            let n = if form.wide_counts() {
                r.u32("RestrictCount")? as u64
            } else {
                r.u16("RestrictCount")? as u64
            };
            let n = r.check_count(n, 1, super::MAX_COUNT, "RestrictCount")?;
            let v = (0..n).map(|_| read_restriction(r, form)).collect::<DecodeResult<Vec<_>>>()?;
            if ty == rt::AND { Restriction::And(v) } else { Restriction::Or(v) }
        }
        rt::NOT => Restriction::Not(Box::new(read_restriction(r, form)?)),
        rt::CONTENT => Restriction::Content {
            fuzzy_level_low: r.u16("FuzzyLevelLow")?,
            fuzzy_level_high: r.u16("FuzzyLevelHigh")?,
            prop_tag: PropTag(r.u32("PropertyTag")?),
            value: read_comparison_value(r, form)?,
        },
        rt::PROPERTY => {
            let op = r.u8("RelOp")?;
            Restriction::Property {
                relop: relop(r, op)?,
                prop_tag: PropTag(r.u32("PropTag")?),
                value: read_comparison_value(r, form)?,
            }
        }
        rt::COMPARE_PROPERTIES => {
            let op = r.u8("RelOp")?;
            Restriction::CompareProperties {
                relop: relop(r, op)?,
                prop_tag1: PropTag(r.u32("PropTag1")?),
                prop_tag2: PropTag(r.u32("PropTag2")?),
            }
        }
        rt::BITMASK => {
            let op = r.u8("BitmapRelOp")?;
            Restriction::BitMask {
                relop: BitmapRelOp::try_from(op)
                    .map_err(|v| r.invalid("BitmapRelOp", format!("0x{v:02X}")))?,
                prop_tag: PropTag(r.u32("PropTag")?),
                mask: r.u32("Mask")?,
            }
        }
        rt::SIZE => {
            let op = r.u8("RelOp")?;
            Restriction::Size {
                relop: relop(r, op)?,
                prop_tag: PropTag(r.u32("PropTag")?),
                size: r.u32("Size")?,
            }
        }
        rt::EXIST => Restriction::Exist { prop_tag: PropTag(r.u32("PropTag")?) },
        rt::SUB_OBJECT => Restriction::SubObject {
            subobject: PropTag(r.u32("Subobject")?),
            restriction: Box::new(read_restriction(r, form)?),
        },
        rt::COMMENT => {
            let n = r.u8("TaggedValuesCount")? as usize;
            let n = r.check_count(n as u64, 4, 255, "TaggedValuesCount")?;
            let values = (0..n).map(|_| read_tagged_value(r, form)).collect::<DecodeResult<Vec<_>>>()?;
            let present = r.u8("RestrictionPresent")?;
            let restriction = if present != 0 { Some(Box::new(read_restriction(r, form)?)) } else { None };
            Restriction::Comment { values, restriction }
        }
        rt::COUNT => {
            Restriction::Count { count: r.u32("Count")?, restriction: Box::new(read_restriction(r, form)?) }
        }
        other => {
            return Err(r.invalid("RestrictType", format!("0x{other:02X}")));
        }
    })
}

/// `HasValue` gromox puts before the TaggedValue of a Property or Content restriction in NSPI
/// bodies (lib/mapi/ext_buffer.cpp `ext_buffer_pull_restriction_property`, EXT_FLAG_ABK).
const VALUE_PRESENT: u8 = 0xFF;

/// The TaggedValue of a Property or Content restriction (MS-OXCDATA 2.12.4, 2.12.2). In NSPI
/// bodies two forms are read, since no Microsoft reference settles it (protocol-facts §7.x):
/// the plain one (`PropertyTag`, value; what oxmapi sends) and gromox's, which it requires:
/// `0xFF`, then the tag and an AddressBookPropertyValue (its own `HasValue` before string,
/// binary and multi-valued values; MS-OXCMAPIHTTP 2.2.1.1) — `04 04 tag ff tag ff value`. The
/// two cannot be confused: 0xFF is no property type's low byte.
fn read_comparison_value(r: &mut Reader<'_>, form: Form) -> DecodeResult<TaggedValue> {
    if form != Form::Nspi || r.peek_u8(0) != Some(VALUE_PRESENT) {
        return read_tagged_value(r, form);
    }
    r.u8("HasValue")?;
    let tag = PropTag(r.u32("PropertyTag")?);
    let ty = column_value_type(tag).map_err(|_| r.invalid("PropertyTag", format!("{tag}: unknown type")))?;
    match read_ab_value(r, ty, form)? {
        Some(value) => Ok(TaggedValue { tag, value }),
        None => Err(r.invalid("HasValue", "a restriction needs a value to compare with")),
    }
}

/// Writes a restriction.
pub fn write_restriction(w: &mut Writer, x: &Restriction, form: Form) {
    w.u8(x.restrict_type());
    match x {
        Restriction::And(v) | Restriction::Or(v) => {
            if form.wide_counts() {
                w.u32(v.len() as u32);
            } else {
                w.u16(v.len() as u16);
            }
            v.iter().for_each(|c| write_restriction(w, c, form));
        }
        Restriction::Not(c) => write_restriction(w, c, form),
        Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => {
            w.u16(*fuzzy_level_low);
            w.u16(*fuzzy_level_high);
            w.u32(prop_tag.0);
            write_tagged_value(w, value, form);
        }
        Restriction::Property { relop, prop_tag, value } => {
            w.u8(*relop as u8);
            w.u32(prop_tag.0);
            write_tagged_value(w, value, form);
        }
        Restriction::CompareProperties { relop, prop_tag1, prop_tag2 } => {
            w.u8(*relop as u8);
            w.u32(prop_tag1.0);
            w.u32(prop_tag2.0);
        }
        Restriction::BitMask { relop, prop_tag, mask } => {
            w.u8(*relop as u8);
            w.u32(prop_tag.0);
            w.u32(*mask);
        }
        Restriction::Size { relop, prop_tag, size } => {
            w.u8(*relop as u8);
            w.u32(prop_tag.0);
            w.u32(*size);
        }
        Restriction::Exist { prop_tag } => w.u32(prop_tag.0),
        Restriction::SubObject { subobject, restriction } => {
            w.u32(subobject.0);
            write_restriction(w, restriction, form);
        }
        Restriction::Comment { values, restriction } => {
            w.u8(values.len() as u8);
            values.iter().for_each(|t| write_tagged_value(w, t, form));
            match restriction {
                Some(r) => {
                    w.u8(1);
                    write_restriction(w, r, form);
                }
                None => w.u8(0),
            }
        }
        Restriction::Count { count, restriction } => {
            w.u32(*count);
            write_restriction(w, restriction, form);
        }
    }
}
