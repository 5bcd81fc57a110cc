//! IMAPIProp over the property ROPs (MS-OXCPRPT 3.1.4): GetProps, GetPropList, SetProps and
//! DeleteProps on any object. Values too large for a ROP buffer go through streams
//! (MS-OXCPRPT 3.1.4.2: a client reads a property that came back as ecMAPIOOM, or writes one
//! that does not fit, with RopOpenStream).

use std::io::{Read, Write};

use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyProblem, RowValue};
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::{
    DeletePropertiesRequest, GetPropertiesAllRequest, GetPropertiesSpecificRequest, HandleRequest,
    SetPropertiesRequest,
};
use oxmapi_wire::rop::request::RopRequest;

use super::StoreLink;
use super::batch::{Batch, expect_rop};
use super::object::ObjectHandle;
use super::stream::{Stream, StreamMode};
use crate::profile::MapiResult;

/// `PropertySizeLimit` asked for: larger values come back as ecMAPIOOM and are then streamed.
pub(crate) const INLINE_READ_LIMIT: u16 = 0x4000;
/// Values whose wire form is larger than this are written with a stream, not RopSetProperties.
pub(crate) const INLINE_WRITE_LIMIT: usize = 0x3000;
/// MAPI_E_NOT_ENOUGH_MEMORY (ecMAPIOOM): the value exceeds `PropertySizeLimit`.
const VALUE_TOO_BIG: u32 = 0x8007_000E;

/// GetProps on the object `slot` names; large string/binary values are read with a stream when
/// `streams` is given.
pub(crate) fn get_props(
    link: &StoreLink,
    objects: Option<u64>,
    slot: impl Fn(&mut Batch, u32) -> u8,
    tags: &[PropTag],
) -> MapiResult<Vec<RowValue>> {
    let logon_id = link.logon_id;
    let mut c = link.call(objects, |b, logon| {
        let input_handle_index = slot(b, logon);
        Ok(b.push(RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
            logon_id,
            input_handle_index,
            property_size_limit: INLINE_READ_LIMIT,
            want_unicode: 1,
            property_tags: tags.to_vec(),
        })))
    })?;
    let body = expect_rop!(c.result.take(c.value)?, GetPropertiesSpecific)?;
    match body.row {
        Rows::Decoded { mut rows, .. } if !rows.is_empty() => Ok(rows.swap_remove(0).values),
        _ => Err(oxmapi_core::MapiError::new(
            codes::MAPI_E_CORRUPT_DATA,
            "RopGetPropertiesSpecific returned no row",
        )),
    }
}

/// Every property of the object (RopGetPropertiesAll).
pub(crate) fn get_all_props(
    link: &StoreLink,
    objects: Option<u64>,
    slot: impl Fn(&mut Batch, u32) -> u8,
) -> MapiResult<Vec<TaggedValue>> {
    let logon_id = link.logon_id;
    let mut c = link.call(objects, |b, logon| {
        let input_handle_index = slot(b, logon);
        Ok(b.push(RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
            logon_id,
            input_handle_index,
            property_size_limit: INLINE_READ_LIMIT,
            want_unicode: 1,
        })))
    })?;
    Ok(expect_rop!(c.result.take(c.value)?, GetPropertiesAll)?.property_values)
}

/// Approximate wire size of a value.
/// About the bytes `v` takes in a property row (PropertyValue without its tag).
pub(crate) fn wire_size(v: &PropValue) -> usize {
    match v {
        PropValue::String8(b) | PropValue::Binary(b) => b.len() + 2,
        PropValue::Unicode(s) => 2 * s.encode_utf16().count() + 2,
        PropValue::MvBinary(v) | PropValue::MvString8(v) => v.iter().map(|b| b.len() + 4).sum(),
        PropValue::MvUnicode(v) => v.iter().map(|s| 2 * s.encode_utf16().count() + 2).sum(),
        _ => 16,
    }
}

/// True when the value can be written through a stream (MS-OXCPRPT 2.2.14: binary and string
/// properties).
fn streamable(v: &PropValue) -> bool {
    matches!(v, PropValue::Binary(_) | PropValue::Unicode(_) | PropValue::String8(_))
}

/// SetProps on an open object: small values in one RopSetProperties, large string and binary
/// values through a stream each. Returns the problems the server reported.
pub(crate) fn set_props(obj: &ObjectHandle, values: &[TaggedValue]) -> MapiResult<Vec<PropertyProblem>> {
    let (large, small): (Vec<&TaggedValue>, Vec<&TaggedValue>) =
        values.iter().partition(|v| streamable(&v.value) && wire_size(&v.value) > INLINE_WRITE_LIMIT);
    let mut problems = Vec::new();
    if !small.is_empty() {
        let logon_id = obj.logon_id();
        let small: Vec<TaggedValue> = small.into_iter().cloned().collect();
        let mut c = obj.call(|b, slot| {
            Ok(b.push(RopRequest::SetProperties(SetPropertiesRequest {
                logon_id,
                input_handle_index: slot,
                property_values: small.clone(),
            })))
        })?;
        problems = expect_rop!(c.result.take(c.value)?, SetProperties)?.problems;
    }
    for v in large {
        let mut s = Stream::open(obj, v.tag, StreamMode::Create)?;
        s.write_all(&v.value.stream_bytes().unwrap_or_default()).map_err(super::stream::io_to_mapi)?;
        s.commit()?;
    }
    Ok(problems)
}

/// DeleteProps on an open object.
pub(crate) fn delete_props(obj: &ObjectHandle, tags: &[PropTag]) -> MapiResult<Vec<PropertyProblem>> {
    let logon_id = obj.logon_id();
    let mut c = obj.call(|b, slot| {
        Ok(b.push(RopRequest::DeleteProperties(DeletePropertiesRequest {
            logon_id,
            input_handle_index: slot,
            property_tags: tags.to_vec(),
        })))
    })?;
    Ok(expect_rop!(c.result.take(c.value)?, DeleteProperties)?.problems)
}

/// GetPropList on an open object (RopGetPropertiesList).
pub(crate) fn prop_list(obj: &ObjectHandle) -> MapiResult<Vec<PropTag>> {
    let logon_id = obj.logon_id();
    let mut c = obj.call(|b, slot| {
        Ok(b.push(RopRequest::GetPropertiesList(HandleRequest { logon_id, input_handle_index: slot })))
    })?;
    Ok(expect_rop!(c.result.take(c.value)?, GetPropertiesList)?.property_tags)
}

/// Replaces cells that came back as ecMAPIOOM (too large for the response) by the value read
/// through a stream.
pub(crate) fn fill_large(obj: &ObjectHandle, tags: &[PropTag], values: &mut [RowValue]) -> MapiResult<()> {
    for (tag, cell) in tags.iter().zip(values.iter_mut()) {
        if let RowValue::Error { ty, code: VALUE_TOO_BIG } = *cell {
            let ty = PropType::try_from(ty).unwrap_or(PropType::Binary);
            *cell = RowValue::Value(read_via_stream(obj, tag.with_type(ty))?);
        }
    }
    Ok(())
}

/// The same for a whole-object listing: values reported as too large (ecMAPIOOM, MS-OXCPRPT
/// 3.2.5.1) are read through streams. RopGetPropertiesAll tags such a value PtypErrorCode, so its
/// real type comes from RopGetPropertiesList.
pub(crate) fn fill_large_tagged(obj: &ObjectHandle, values: &mut [TaggedValue]) -> MapiResult<()> {
    let mut typed: Option<Vec<PropTag>> = None;
    for v in values.iter_mut() {
        if v.value != PropValue::Error(VALUE_TOO_BIG) {
            continue;
        }
        let tag = match v.tag.prop_type() {
            Ok(PropType::ErrorCode) | Err(_) => {
                if typed.is_none() {
                    typed = Some(prop_list(obj)?);
                }
                match typed.iter().flatten().find(|t| t.id() == v.tag.id()) {
                    Some(t) => *t,
                    None => continue,
                }
            }
            Ok(_) => v.tag,
        };
        *v = TaggedValue { tag, value: read_via_stream(obj, tag)? };
    }
    Ok(())
}

/// Tags read per RopGetPropertiesSpecific when a whole object does not fit in one answer.
const PROPS_PER_READ: usize = 8;

/// Every property of an object whose RopGetPropertiesAll answer cannot fit in one ROP response
/// buffer (the server answers RopBufferTooSmall however few ROPs are sent, MS-OXCROPS 2.2.1):
/// the property list read in groups of [`PROPS_PER_READ`], a group that still does not fit one
/// tag at a time.
pub(crate) fn get_all_props_in_groups(obj: &ObjectHandle) -> MapiResult<Vec<TaggedValue>> {
    let tags = prop_list(obj)?;
    let get = |tags: &[PropTag]| -> MapiResult<Vec<RowValue>> {
        let mut v = get_props(&obj.link, Some(obj.generation), |b, _| b.input(obj.handle), tags)?;
        fill_large(obj, tags, &mut v)?;
        Ok(v)
    };
    let mut out = Vec::with_capacity(tags.len());
    let mut keep = |tags: &[PropTag], cells: Vec<RowValue>| {
        for (tag, cell) in tags.iter().zip(cells) {
            if let RowValue::Value(value) = cell {
                out.push(TaggedValue { tag: *tag, value });
            }
        }
    };
    for group in tags.chunks(PROPS_PER_READ) {
        match get(group) {
            Ok(cells) => keep(group, cells),
            Err(_) => {
                for tag in group {
                    keep(std::slice::from_ref(tag), get(std::slice::from_ref(tag))?);
                }
            }
        }
    }
    Ok(out)
}

fn read_via_stream(obj: &ObjectHandle, tag: PropTag) -> MapiResult<PropValue> {
    let mut s = Stream::open(obj, tag, StreamMode::ReadOnly)?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).map_err(super::stream::io_to_mapi)?;
    Ok(PropValue::from_stream_bytes(tag.prop_type().unwrap_or(PropType::Binary), bytes))
}

/// Adds the IMAPIProp methods to an object type holding an [`ObjectHandle`] in `obj`.
macro_rules! imapiprop {
    ($t:ty) => {
        impl $t {
            /// IMAPIProp::GetProps: one cell per tag (RowValue::NotFound where the object has no
            /// such property); large values are read through streams.
            pub fn get_props(
                &self,
                tags: &[oxmapi_core::tag::PropTag],
            ) -> $crate::profile::MapiResult<Vec<oxmapi_wire::cdata::RowValue>> {
                let o = &self.obj;
                let mut v =
                    super::props::get_props(&o.link, Some(o.generation), |b, _| b.input(o.handle), tags)?;
                super::props::fill_large(o, tags, &mut v)?;
                Ok(v)
            }

            /// IMAPIProp::GetProps with no tag list: every property (RopGetPropertiesAll).
            /// Values too large for the answer are streamed; an object whose answer cannot fit
            /// a response buffer at all is read through its property list in groups.
            pub fn get_all_props(&self) -> $crate::profile::MapiResult<Vec<oxmapi_core::value::TaggedValue>> {
                let o = &self.obj;
                let mut v = match super::props::get_all_props(&o.link, Some(o.generation), |b, _| {
                    b.input(o.handle)
                }) {
                    Ok(v) => v,
                    Err(first) => return super::props::get_all_props_in_groups(o).map_err(|_| first),
                };
                super::props::fill_large_tagged(o, &mut v)?;
                Ok(v)
            }

            /// IMAPIProp::GetPropList (RopGetPropertiesList).
            pub fn get_prop_list(&self) -> $crate::profile::MapiResult<Vec<oxmapi_core::tag::PropTag>> {
                super::props::prop_list(&self.obj)
            }

            /// IMAPIProp::SetProps: returns the per-property problems.
            pub fn set_props(
                &self,
                values: &[oxmapi_core::value::TaggedValue],
            ) -> $crate::profile::MapiResult<Vec<oxmapi_wire::cdata::PropertyProblem>> {
                super::props::set_props(&self.obj, values)
            }

            /// IMAPIProp::DeleteProps: returns the per-property problems.
            pub fn delete_props(
                &self,
                tags: &[oxmapi_core::tag::PropTag],
            ) -> $crate::profile::MapiResult<Vec<oxmapi_wire::cdata::PropertyProblem>> {
                super::props::delete_props(&self.obj, tags)
            }

            /// IMAPIProp::OpenProperty as a stream (RopOpenStream).
            pub fn open_stream(
                &self,
                tag: oxmapi_core::tag::PropTag,
                mode: super::StreamMode,
            ) -> $crate::profile::MapiResult<super::Stream> {
                super::Stream::open(&self.obj, tag, mode)
            }
        }
    };
}
pub(crate) use imapiprop;
