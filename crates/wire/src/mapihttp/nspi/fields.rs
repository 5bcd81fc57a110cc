//! Field codecs used by the body definitions: each zero-sized marker reads and writes one kind
//! of field, so that a body is declared once as an ordered field list (see `nspi_body!`).

use std::marker::PhantomData;

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;

use super::types::{self, AddressBookPropertyValueList, AddressBookTaggedPropertyValue, ColumnsAndRows};
use super::types::{NspiPropertyName, Stat};
use crate::cdata::{Form, read_restriction, write_restriction};
use crate::mapihttp::common::{read_aux, write_aux};

/// Reads and writes a field of type `T`.
pub(super) trait Wire<T> {
    /// Reads the field; `what` names it in errors.
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<T>;
    /// Writes the field.
    fn write(w: &mut Writer, v: &T);
}

macro_rules! marker {
    ($(
        $(#[$m:meta])*
        $name:ident: $ty:ty = |$r:ident, $what:pat_param| $read:expr, |$w:ident, $v:ident| $write:expr;
    )*) => {
        $(
            $(#[$m])*
            pub(super) struct $name;
            impl Wire<$ty> for $name {
                fn read($r: &mut Reader<'_>, $what: &'static str) -> DecodeResult<$ty> {
                    $read
                }
                fn write($w: &mut Writer, $v: &$ty) {
                    $write
                }
            }
        )*
    };
}

marker! {
    /// A little-endian u32.
    U32: u32 = |r, what| r.u32(what), |w, v| w.u32(*v);
    /// A little-endian i32.
    I32: i32 = |r, what| r.i32(what), |w, v| w.i32(*v);
    /// A u8 boolean: nonzero is true; true is written 0xFF.
    Bool8: bool = |r, what| Ok(r.u8(what)? != 0), |w, v| w.u8(if *v { 0xFF } else { 0x00 });
    /// A GUID.
    GuidW: Guid = |r, what| r.guid(what), |w, v| w.guid(v);
    /// A PropertyTag.
    TagW: PropTag = |r, what| Ok(PropTag(r.u32(what)?)), |w, v| w.u32(v.0);
    /// A STAT.
    StatW: Stat = |r, _| Stat::read(r), |w, v| v.write(w);
    /// A LargePropertyTagArray.
    Tags: Vec<PropTag> = |r, _| types::read_large_property_tag_array(r),
        |w, v| types::write_large_property_tag_array(w, v);
    /// A MinimalEntryID array.
    Mids: Vec<u32> = |r, _| types::read_minimal_ids(r), |w, v| types::write_minimal_ids(w, v);
    /// A restriction with 32-bit counts.
    RestrictionW: Restriction = |r, _| read_restriction(r, Form::Nspi),
        |w, v| write_restriction(w, v, Form::Nspi);
    /// GetMatches `PropertyNameGuid` + `PropertyNameId`.
    PropNameW: NspiPropertyName = |r, _| NspiPropertyName::read(r), |w, v| v.write(w);
    /// `Columns` + `RowCount` + `RowData`.
    ColsRows: ColumnsAndRows = |r, _| ColumnsAndRows::read(r), |w, v| v.write(w);
    /// An AddressBookTaggedPropertyValue.
    TaggedW: AddressBookTaggedPropertyValue = |r, _| types::read_ab_tagged_value(r),
        |w, v| types::write_ab_tagged_value(w, v);
    /// An AddressBookPropertyValueList.
    ValueList: AddressBookPropertyValueList = |r, _| types::read_property_value_list(r),
        |w, v| types::write_property_value_list(w, v);
    /// `RowCount` + AddressBookPropertyValueLists.
    ValueLists: Vec<AddressBookPropertyValueList> = |r, _| types::read_property_value_lists(r),
        |w, v| types::write_property_value_lists(w, v);
    /// A NUL-terminated 8-bit string.
    Ascii: String = |r, what| r.asciiz(what), |w, v| w.asciiz(v);
    /// A NUL-terminated UTF-16LE string.
    Utf16: String = |r, what| r.utf16z(what), |w, v| w.utf16z(v);
    /// A StringArray_r.
    AsciiArray: Vec<String> = |r, _| types::read_string_array(r), |w, v| types::write_string_array(w, v);
    /// A WStringArray_r.
    Utf16Array: Vec<String> = |r, _| types::read_wstring_array(r), |w, v| types::write_wstring_array(w, v);
    /// ModLinkAtt `EntryIdCount` + `EntryIds`.
    EntryIds: Vec<Vec<u8>> = |r, _| types::read_entry_ids(r), |w, v| types::write_entry_ids(w, v);
    /// `AuxiliaryBufferSize` + `AuxiliaryBuffer` (at most 0x1008 bytes).
    Aux: Vec<u8> = |r, _| read_aux(r), |w, v| write_aux(w, v);
}

/// A `Has*` u8 (0 = absent, nonzero = present; written 0xFF) guarding the field `C` reads.
pub(super) struct Opt<C>(PhantomData<C>);

impl<T, C: Wire<T>> Wire<Option<T>> for Opt<C> {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Option<T>> {
        if r.u8("Has* flag")? != 0 { C::read(r, what).map(Some) } else { Ok(None) }
    }

    fn write(w: &mut Writer, v: &Option<T>) {
        match v {
            Some(v) => {
                w.u8(0xFF);
                C::write(w, v);
            }
            None => w.u8(0x00),
        }
    }
}
