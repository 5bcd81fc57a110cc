//! PropertyValue, TypedPropertyValue, TaggedPropertyValue and FlaggedPropertyValue
//! (MS-OXCDATA 2.11.2 – 2.11.6), and their NSPI AddressBook* forms (MS-OXCMAPIHTTP 2.2.1.1 – 2.2.1.6).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ptype::{MV_INSTANCE, PropType};
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{Form, MAX_COUNT, restriction};

/// FlaggedPropertyValue `Flag`: a value follows.
pub const FLAG_VALUE: u8 = 0x00;
/// FlaggedPropertyValue `Flag`: no value (property not found).
pub const FLAG_NOT_FOUND: u8 = 0x01;
/// FlaggedPropertyValue `Flag`: a PtypErrorCode value follows.
pub const FLAG_ERROR: u8 = 0x0A;

/// True when the NSPI form puts a `HasValue` byte before values of type `ty`
/// (PtypString, PtypString8, PtypBinary and every PtypMultiple* type; MS-OXCMAPIHTTP 2.2.1.1).
pub fn has_value_byte(ty: PropType) -> bool {
    ty.is_multi() || matches!(ty, PropType::String | PropType::String8 | PropType::Binary)
}

/// The type of the value carried for a column: a column with `MV_INSTANCE` carries one
/// element of its multi-valued type (MS-OXCTABL 2.2.2.2.1).
pub fn column_value_type(tag: PropTag) -> DecodeResult<PropType> {
    let ty = tag.prop_type().map_err(|e| oxmapi_core::codec::DecodeError::Invalid {
        offset: 0,
        what: "PropertyTag",
        detail: e.to_string(),
    })?;
    Ok(if tag.raw_type() & MV_INSTANCE != 0 { ty.element() } else { ty })
}

fn count(r: &mut Reader<'_>, wide: bool, min_size: usize, what: &'static str) -> DecodeResult<usize> {
    let n = if wide { r.u32(what)? as u64 } else { r.u16(what)? as u64 };
    r.check_count(n, min_size, MAX_COUNT, what)
}

fn bin_count(r: &mut Reader<'_>, form: Form, what: &'static str) -> DecodeResult<usize> {
    let n = if form.wide_counts() { r.u32(what)? as u64 } else { r.u16(what)? as u64 };
    r.check_count(n, 1, u32::MAX as u64, what)
}

fn mv_count(r: &mut Reader<'_>, min_size: usize, what: &'static str) -> DecodeResult<usize> {
    let n = r.u32(what)? as u64;
    r.check_count(n, min_size, MAX_COUNT, what)
}

fn write_bin(w: &mut Writer, b: &[u8], form: Form) {
    if form.wide_counts() {
        w.u32(b.len() as u32);
    } else {
        w.u16(b.len().min(0xFFFF) as u16);
    }
    w.bytes(&b[..b.len().min(if form.wide_counts() { u32::MAX as usize } else { 0xFFFF })]);
}

/// Reads a bare PropertyValue of type `ty` (MS-OXCDATA 2.11.2). The NSPI `HasValue` byte is
/// not part of a bare value; see [`read_typed_value`] and the row codecs.
pub fn read_value(r: &mut Reader<'_>, ty: PropType, form: Form) -> DecodeResult<PropValue> {
    use PropValue as V;
    Ok(match ty {
        PropType::Unspecified => return Err(r.invalid("PropertyValue", "PtypUnspecified carries no value")),
        PropType::Null => V::Null,
        PropType::Integer16 => V::I16(r.i16("PtypInteger16")?),
        PropType::Integer32 => V::I32(r.i32("PtypInteger32")?),
        PropType::Floating32 => V::F32(r.f32("PtypFloating32")?),
        PropType::Floating64 => V::F64(r.f64("PtypFloating64")?),
        PropType::Currency => V::Currency(r.i64("PtypCurrency")?),
        PropType::FloatingTime => V::AppTime(r.f64("PtypFloatingTime")?),
        PropType::ErrorCode => V::Error(r.u32("PtypErrorCode")?),
        PropType::Boolean => V::Bool(r.u8("PtypBoolean")? != 0),
        PropType::Object => V::Object(r.u32("PtypObject")?),
        PropType::Integer64 => V::I64(r.i64("PtypInteger64")?),
        PropType::String8 => V::String8(r.asciiz_bytes("PtypString8")?.to_vec()),
        PropType::String => V::Unicode(r.utf16z("PtypString")?),
        PropType::Time => V::SysTime(FileTime(r.u64("PtypTime")?)),
        PropType::Guid => V::Guid(r.guid("PtypGuid")?),
        PropType::ServerId => {
            let n = bin_count(r, form, "PtypServerId count")?;
            V::ServerId(r.take(n, "PtypServerId")?.to_vec())
        }
        PropType::Restriction => V::Restriction(Box::new(restriction::read_restriction(r, form)?)),
        PropType::RuleAction => V::RuleAction(read_rule_actions(r, form)?),
        PropType::Binary => {
            let n = bin_count(r, form, "PtypBinary count")?;
            V::Binary(r.take(n, "PtypBinary")?.to_vec())
        }
        PropType::MultipleInteger16 => {
            let n = mv_count(r, 2, "PtypMultipleInteger16 count")?;
            V::MvI16((0..n).map(|_| r.i16("PtypMultipleInteger16")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleInteger32 => {
            let n = mv_count(r, 4, "PtypMultipleInteger32 count")?;
            V::MvI32((0..n).map(|_| r.i32("PtypMultipleInteger32")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleFloating32 => {
            let n = mv_count(r, 4, "PtypMultipleFloating32 count")?;
            V::MvF32((0..n).map(|_| r.f32("PtypMultipleFloating32")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleFloating64 => {
            let n = mv_count(r, 8, "PtypMultipleFloating64 count")?;
            V::MvF64((0..n).map(|_| r.f64("PtypMultipleFloating64")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleCurrency => {
            let n = mv_count(r, 8, "PtypMultipleCurrency count")?;
            V::MvCurrency((0..n).map(|_| r.i64("PtypMultipleCurrency")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleFloatingTime => {
            let n = mv_count(r, 8, "PtypMultipleFloatingTime count")?;
            V::MvAppTime((0..n).map(|_| r.f64("PtypMultipleFloatingTime")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleInteger64 => {
            let n = mv_count(r, 8, "PtypMultipleInteger64 count")?;
            V::MvI64((0..n).map(|_| r.i64("PtypMultipleInteger64")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleString8 => {
            let n = mv_count(r, 1, "PtypMultipleString8 count")?;
            V::MvString8(read_elements(r, n, form, |r| {
                r.asciiz_bytes("PtypMultipleString8").map(<[u8]>::to_vec)
            })?)
        }
        PropType::MultipleString => {
            let n = mv_count(r, 2, "PtypMultipleString count")?;
            V::MvUnicode(read_elements(r, n, form, |r| r.utf16z("PtypMultipleString"))?)
        }
        PropType::MultipleTime => {
            let n = mv_count(r, 8, "PtypMultipleTime count")?;
            V::MvSysTime(
                (0..n).map(|_| r.u64("PtypMultipleTime").map(FileTime)).collect::<DecodeResult<_>>()?,
            )
        }
        PropType::MultipleGuid => {
            let n = mv_count(r, 16, "PtypMultipleGuid count")?;
            V::MvGuid((0..n).map(|_| r.guid("PtypMultipleGuid")).collect::<DecodeResult<_>>()?)
        }
        PropType::MultipleBinary => {
            let n = mv_count(r, if form.wide_counts() { 4 } else { 2 }, "PtypMultipleBinary count")?;
            V::MvBinary(read_elements(r, n, form, |r| {
                let len = bin_count(r, form, "PtypMultipleBinary element count")?;
                Ok(r.take(len, "PtypMultipleBinary element")?.to_vec())
            })?)
        }
    })
}

/// `HasValue` of one element of a multi-valued string or binary value in the NSPI form: the
/// element follows.
const ELEMENT_PRESENT: u8 = 0xFF;
/// `HasValue` of an absent element (gromox writes it for a null element; read as empty).
const ELEMENT_ABSENT: u8 = 0x00;

/// Reads the `n` elements of a PtypMultipleString8 / PtypMultipleString / PtypMultipleBinary
/// value. In the NSPI form each element may carry a `HasValue` byte (0xFF) in front of it:
/// gromox writes and expects it (lib/mapi/ext_buffer.cpp `g_str_a`/`g_wstr_a`/`g_bin_a` in
/// EXT_FLAG_ABK mode), Microsoft's MAPI Inspector reads it for strings
/// (`MAPIStringAddressBook`: "the real MapiHttp traffic will add the magic byte 'FF' for the
/// string or binary based property value") and Microsoft's MS-OXCMAPIHTTP test adapter
/// skips it before binary elements (`AddressBookPropertyValue.Parse`). The specification
/// (MS-OXCMAPIHTTP 2.2.1.1) shows HasValue only before the whole value, so both forms are read:
/// elements with HasValue when the first one starts with 0xFF and the whole array parses that
/// way, plain elements otherwise.
fn read_elements<T: Default>(
    r: &mut Reader<'_>,
    n: usize,
    form: Form,
    read_one: impl Fn(&mut Reader<'_>) -> DecodeResult<T>,
) -> DecodeResult<Vec<T>> {
    if form == Form::Nspi && n > 0 && r.peek_u8(0) == Some(ELEMENT_PRESENT) {
        let mut flagged = r.clone();
        let read_flagged = |r: &mut Reader<'_>| -> DecodeResult<Vec<T>> {
            (0..n)
                .map(|_| match r.u8("HasValue")? {
                    ELEMENT_PRESENT => read_one(r),
                    ELEMENT_ABSENT => Ok(T::default()),
                    other => Err(r.invalid("HasValue", format!("0x{other:02X} (must be 0x00 or 0xFF)"))),
                })
                .collect()
        };
        if let Ok(v) = read_flagged(&mut flagged) {
            *r = flagged;
            return Ok(v);
        }
    }
    (0..n).map(|_| read_one(r)).collect()
}

/// Writes the element `HasValue` byte the NSPI form puts before each element of a
/// multi-valued string or binary value (see [`read_elements`]).
fn write_element_has_value(w: &mut Writer, form: Form) {
    if form == Form::Nspi {
        w.u8(ELEMENT_PRESENT);
    }
}

/// RuleAction blocks (MS-OXORULE 2.2.5): `NoOfActions` then each `ActionLength` + bytes; kept
/// verbatim (counts u16 in ROP buffers, u32 in extended rules).
fn read_rule_actions(r: &mut Reader<'_>, form: Form) -> DecodeResult<Vec<u8>> {
    let start = r.rest();
    let before = r.position();
    let wide = form.wide_counts();
    let n = count(r, wide, if wide { 4 } else { 2 }, "NoOfActions")?;
    for _ in 0..n {
        let len = if wide { r.u32("ActionLength")? as usize } else { r.u16("ActionLength")? as usize };
        r.take(len, "ActionBlock")?;
    }
    Ok(start[..r.position() - before].to_vec())
}

/// Writes a bare PropertyValue.
pub fn write_value(w: &mut Writer, v: &PropValue, form: Form) {
    use PropValue as V;
    match v {
        V::Null => {}
        V::I16(x) => w.i16(*x),
        V::I32(x) => w.i32(*x),
        V::F32(x) => w.f32(*x),
        V::F64(x) | V::AppTime(x) => w.f64(*x),
        V::Currency(x) | V::I64(x) => w.i64(*x),
        V::Error(x) | V::Object(x) => w.u32(*x),
        V::Bool(b) => w.u8(*b as u8),
        V::String8(b) => w.asciiz_bytes(b),
        V::Unicode(s) => w.utf16z(s),
        V::SysTime(t) => w.u64(t.0),
        V::Guid(g) => w.guid(g),
        V::ServerId(b) | V::Binary(b) => write_bin(w, b, form),
        V::Restriction(r) => restriction::write_restriction(w, r, form),
        V::RuleAction(b) => w.bytes(b),
        V::MvI16(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.i16(*x));
        }
        V::MvI32(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.i32(*x));
        }
        V::MvF32(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.f32(*x));
        }
        V::MvF64(v) | V::MvAppTime(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.f64(*x));
        }
        V::MvCurrency(v) | V::MvI64(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.i64(*x));
        }
        V::MvString8(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| {
                write_element_has_value(w, form);
                w.asciiz_bytes(x)
            });
        }
        V::MvUnicode(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| {
                write_element_has_value(w, form);
                w.utf16z(x)
            });
        }
        V::MvSysTime(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.u64(x.0));
        }
        V::MvGuid(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| w.guid(x));
        }
        V::MvBinary(v) => {
            w.u32(v.len() as u32);
            v.iter().for_each(|x| {
                write_element_has_value(w, form);
                write_bin(w, x, form)
            });
        }
    }
}

/// Reads an NSPI `HasValue` byte where the form and type call for one; `false` means the
/// value is absent.
pub(crate) fn read_has_value(r: &mut Reader<'_>, ty: PropType, form: Form) -> DecodeResult<bool> {
    if form == Form::Nspi && has_value_byte(ty) {
        match r.u8("HasValue")? {
            0x00 => Ok(false),
            0xFF => Ok(true),
            other => Err(r.invalid("HasValue", format!("0x{other:02X} (must be 0x00 or 0xFF)"))),
        }
    } else {
        Ok(true)
    }
}

pub(crate) fn write_has_value(w: &mut Writer, ty: PropType, form: Form, present: bool) {
    if form == Form::Nspi && has_value_byte(ty) {
        w.u8(if present { 0xFF } else { 0x00 });
    }
}

/// Reads a value with its NSPI `HasValue` byte where applicable (AddressBookPropertyValue);
/// in the ROP form this is a bare PropertyValue. `None` = HasValue 0x00.
pub(crate) fn read_ab_value(r: &mut Reader<'_>, ty: PropType, form: Form) -> DecodeResult<Option<PropValue>> {
    if read_has_value(r, ty, form)? { read_value(r, ty, form).map(Some) } else { Ok(None) }
}

/// Reads a TypedPropertyValue (MS-OXCDATA 2.11.3): `PropertyType u16` + value.
pub fn read_typed_value(r: &mut Reader<'_>, form: Form) -> DecodeResult<PropValue> {
    let ty = r.u16("PropertyType")?;
    let ty = PropType::try_from(ty).map_err(|e| r.invalid("PropertyType", e.to_string()))?;
    read_value(r, ty, form)
}

/// Writes a TypedPropertyValue.
pub fn write_typed_value(w: &mut Writer, v: &PropValue, form: Form) {
    w.u16(v.prop_type().code());
    write_value(w, v, form);
}

/// Reads a TaggedPropertyValue (MS-OXCDATA 2.11.4): `PropertyTag u32` + value of that type.
pub fn read_tagged_value(r: &mut Reader<'_>, form: Form) -> DecodeResult<TaggedValue> {
    let tag = PropTag(r.u32("PropertyTag")?);
    let ty = column_value_type(tag).map_err(|_| r.invalid("PropertyTag", format!("{tag}: unknown type")))?;
    let value = read_value(r, ty, form)?;
    Ok(TaggedValue { tag, value })
}

/// Writes a TaggedPropertyValue.
pub fn write_tagged_value(w: &mut Writer, t: &TaggedValue, form: Form) {
    w.u32(t.tag.0);
    write_value(w, &t.value, form);
}

/// Reads `count` TaggedPropertyValues (the count itself is read by the caller).
pub fn read_tagged_values(r: &mut Reader<'_>, n: usize, form: Form) -> DecodeResult<Vec<TaggedValue>> {
    let n = r.check_count(n as u64, 4, MAX_COUNT, "TaggedPropertyValue count")?;
    (0..n).map(|_| read_tagged_value(r, form)).collect()
}

/// Writes TaggedPropertyValues (without a count).
pub fn write_tagged_values(w: &mut Writer, v: &[TaggedValue], form: Form) {
    v.iter().for_each(|t| write_tagged_value(w, t, form));
}

/// A FlaggedPropertyValue's content: a value, "not found", or an error code.
pub fn read_flagged_value(r: &mut Reader<'_>, ty: PropType, form: Form) -> DecodeResult<super::RowValue> {
    use super::RowValue;
    match r.u8("Flag")? {
        FLAG_VALUE => Ok(match read_ab_value(r, ty, form)? {
            Some(v) => RowValue::Value(v),
            None => RowValue::NotFound { ty: ty.code() },
        }),
        FLAG_NOT_FOUND => Ok(RowValue::NotFound { ty: ty.code() }),
        FLAG_ERROR => Ok(RowValue::Error { ty: ty.code(), code: r.u32("PtypErrorCode")? }),
        other => Err(r.invalid("Flag", format!("0x{other:02X} (must be 0x00, 0x01 or 0x0A)"))),
    }
}

/// Writes a FlaggedPropertyValue.
pub fn write_flagged_value(w: &mut Writer, v: &super::RowValue, form: Form) {
    use super::RowValue;
    match v {
        RowValue::Value(v) => {
            w.u8(FLAG_VALUE);
            write_has_value(w, v.prop_type(), form, true);
            write_value(w, v, form);
        }
        RowValue::NotFound { .. } => w.u8(FLAG_NOT_FOUND),
        RowValue::Error { code, .. } => {
            w.u8(FLAG_ERROR);
            w.u32(*code);
        }
    }
}
