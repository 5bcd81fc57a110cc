//! Field codecs and the `wire_struct!` macro that ROP structures are declared with.
//!
//! A ROP structure is a list of fields, each read and written by a small codec type
//! ([`U8`], [`Fid`], [`Tags16`], …). Declaring a struct with [`wire_struct!`] derives both
//! directions from one field list, so encoder and decoder cannot drift apart.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;

use crate::cdata::{self, Form, PropertyProblem};

/// A whole ROP structure (after its RopId byte).
pub trait RopCodec: Sized {
    /// Reads the structure.
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self>;
    /// Writes the structure.
    fn encode(&self, w: &mut Writer);
}

/// Reads and writes one field of type `T`.
pub trait Codec<T> {
    /// Reads the field.
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<T>;
    /// Writes the field.
    fn write(w: &mut Writer, v: &T);
}

macro_rules! prim {
    ($name:ident, $t:ty, $read:ident, $write:ident) => {
        /// Fixed-size little-endian field.
        pub struct $name;
        impl Codec<$t> for $name {
            fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<$t> {
                r.$read(what)
            }
            fn write(w: &mut Writer, v: &$t) {
                w.$write(*v)
            }
        }
    };
}
prim!(U8, u8, u8, u8);
prim!(U16, u16, u16, u16);
prim!(U32, u32, u32, u32);
prim!(U64, u64, u64, u64);
prim!(I32, i32, i32, i32);
prim!(I64, i64, i64, i64);
prim!(Fid, ObjectId, object_id, object_id);

/// A GUID in wire order.
pub struct GuidField;
impl Codec<Guid> for GuidField {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Guid> {
        r.guid(what)
    }
    fn write(w: &mut Writer, v: &Guid) {
        w.guid(v)
    }
}

/// A property tag (u32).
pub struct Tag;
impl Codec<PropTag> for Tag {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<PropTag> {
        Ok(PropTag(r.u32(what)?))
    }
    fn write(w: &mut Writer, v: &PropTag) {
        w.u32(v.0)
    }
}

/// A 24-byte LongTermId.
pub struct LongTerm;
impl Codec<LongTermId> for LongTerm {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<LongTermId> {
        Ok(LongTermId::from_bytes(&r.array(what)?))
    }
    fn write(w: &mut Writer, v: &LongTermId) {
        w.bytes(&v.to_bytes())
    }
}

/// An 8-bit NUL-terminated string (ASCIIZ).
pub struct AsciiZ;
impl Codec<String> for AsciiZ {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<String> {
        r.asciiz(what)
    }
    fn write(w: &mut Writer, v: &String) {
        w.asciiz(v)
    }
}

/// A UTF-16LE NUL-terminated string.
pub struct Utf16Z;
impl Codec<String> for Utf16Z {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<String> {
        r.utf16z(what)
    }
    fn write(w: &mut Writer, v: &String) {
        w.utf16z(v)
    }
}

/// `Count u16` + property tags.
pub struct Tags16;
impl Codec<Vec<PropTag>> for Tags16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<PropTag>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 4, 0xFFFF, what)?;
        (0..n).map(|_| Ok(PropTag(r.u32(what)?))).collect()
    }
    fn write(w: &mut Writer, v: &Vec<PropTag>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|t| w.u32(t.0));
    }
}

/// `Count u16` + 8-byte ids.
pub struct Ids16;
impl Codec<Vec<ObjectId>> for Ids16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<ObjectId>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 8, 0xFFFF, what)?;
        (0..n).map(|_| r.object_id(what)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<ObjectId>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|t| w.object_id(*t));
    }
}

/// `Count u16` + u16 values (property ids).
pub struct U16s16;
impl Codec<Vec<u16>> for U16s16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<u16>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 2, 0xFFFF, what)?;
        (0..n).map(|_| r.u16(what)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<u16>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|t| w.u16(*t));
    }
}

/// `Size u16` + bytes.
pub struct Bytes16;
impl Codec<Vec<u8>> for Bytes16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<u8>> {
        let n = r.u16(what)? as usize;
        Ok(r.take(n, what)?.to_vec())
    }
    fn write(w: &mut Writer, v: &Vec<u8>) {
        w.u16(v.len() as u16);
        w.bytes(v);
    }
}

/// Fixed-size byte array.
pub struct Array<const N: usize>;
impl<const N: usize> Codec<[u8; N]> for Array<N> {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<[u8; N]> {
        r.array(what)
    }
    fn write(w: &mut Writer, v: &[u8; N]) {
        w.bytes(v)
    }
}

/// `Count u16` + TaggedPropertyValues (ROP form).
pub struct Tagged16;
impl Codec<Vec<TaggedValue>> for Tagged16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<TaggedValue>> {
        let n = r.u16(what)?;
        cdata::read_tagged_values(r, n as usize, Form::Rop)
    }
    fn write(w: &mut Writer, v: &Vec<TaggedValue>) {
        w.u16(v.len() as u16);
        cdata::write_tagged_values(w, v, Form::Rop);
    }
}

/// `PropertyValueSize u16` covering `PropertyValueCount u16` + TaggedPropertyValues
/// (RopSetProperties, MS-OXCROPS 2.2.8.6.1).
pub struct SizedTagged16;
impl Codec<Vec<TaggedValue>> for SizedTagged16 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<TaggedValue>> {
        let size = r.u16(what)? as usize;
        let body = r.take(size, what)?;
        let mut sub = Reader::new(body);
        let v = Tagged16::read(&mut sub, what)?;
        sub.finish(what)?;
        Ok(v)
    }
    fn write(w: &mut Writer, v: &Vec<TaggedValue>) {
        let at = w.placeholder_u16();
        let start = w.len();
        Tagged16::write(w, v);
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

/// PropertyProblemArray.
pub struct Problems;
impl Codec<Vec<PropertyProblem>> for Problems {
    fn read(r: &mut Reader<'_>, _what: &'static str) -> DecodeResult<Vec<PropertyProblem>> {
        cdata::read_problems(r)
    }
    fn write(w: &mut Writer, v: &Vec<PropertyProblem>) {
        cdata::write_problems(w, v)
    }
}

/// `RestrictionDataSize u16` + restriction; size 0 means "no restriction" (MS-OXCROPS 2.2.5.3.1).
pub struct SizedRestriction;
impl Codec<Option<Restriction>> for SizedRestriction {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Option<Restriction>> {
        let size = r.u16(what)? as usize;
        if size == 0 {
            return Ok(None);
        }
        let body = r.take(size, what)?;
        let mut sub = Reader::new(body);
        let x = cdata::read_restriction(&mut sub, Form::Rop)?;
        sub.finish(what)?;
        Ok(Some(x))
    }
    fn write(w: &mut Writer, v: &Option<Restriction>) {
        let at = w.placeholder_u16();
        let start = w.len();
        if let Some(x) = v {
            cdata::write_restriction(w, x, Form::Rop);
        }
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

/// Declares a ROP structure whose fields are all read and written by field codecs.
macro_rules! wire_struct {
    ($(#[$m:meta])* pub struct $name:ident { $( $(#[$fm:meta])* $f:ident : $t:ty => $codec:ty ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name { $( $(#[$fm])* pub $f: $t, )* }
        impl $crate::rop::codec::RopCodec for $name {
            #[allow(unused_variables)]
            fn decode(r: &mut oxmapi_core::codec::Reader<'_>) -> oxmapi_core::codec::DecodeResult<Self> {
                Ok($name { $( $f: <$codec as $crate::rop::codec::Codec<$t>>::read(r, stringify!($f))?, )* })
            }
            #[allow(unused_variables)]
            fn encode(&self, w: &mut oxmapi_core::codec::Writer) {
                $( <$codec as $crate::rop::codec::Codec<$t>>::write(w, &self.$f); )*
            }
        }
        $crate::describe_fields!($name { $($f),* });
    };
}
pub(crate) use wire_struct;

/// SortOrderSet in RopSortTable layout (counts then orders).
pub struct SortSet;
impl Codec<oxmapi_core::sort::SortOrderSet> for SortSet {
    fn read(r: &mut Reader<'_>, _what: &'static str) -> DecodeResult<oxmapi_core::sort::SortOrderSet> {
        cdata::read_sort_order_set(r)
    }
    fn write(w: &mut Writer, v: &oxmapi_core::sort::SortOrderSet) {
        cdata::write_sort_order_set(w, v)
    }
}

/// `Has u8` + optional 8-byte id (RopCreateMessage's `HasMessageId` + `MessageId`).
pub struct OptFid;
impl Codec<Option<ObjectId>> for OptFid {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Option<ObjectId>> {
        Ok(if r.u8(what)? != 0 { Some(r.object_id(what)?) } else { None })
    }
    fn write(w: &mut Writer, v: &Option<ObjectId>) {
        w.u8(v.is_some() as u8);
        if let Some(id) = v {
            w.object_id(*id);
        }
    }
}

/// A nested ROP structure read and written with its own [`RopCodec`].
pub struct Nested<T>(std::marker::PhantomData<T>);
impl<T: RopCodec> Codec<T> for Nested<T> {
    fn read(r: &mut Reader<'_>, _what: &'static str) -> DecodeResult<T> {
        T::decode(r)
    }
    fn write(w: &mut Writer, v: &T) {
        v.encode(w)
    }
}

/// `Count u16` + structures, each read and written with its own [`RopCodec`] (RuleData,
/// PermissionData, …).
pub struct Structs16<T>(std::marker::PhantomData<T>);
impl<T: RopCodec> Codec<Vec<T>> for Structs16<T> {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<T>> {
        let n = r.u16(what)?;
        let n = r.check_count(n as u64, 1, 0xFFFF, what)?;
        (0..n).map(|_| T::decode(r)).collect()
    }
    fn write(w: &mut Writer, v: &Vec<T>) {
        w.u16(v.len() as u16);
        v.iter().for_each(|x| x.encode(w));
    }
}

/// `Size u32` + bytes.
pub struct Bytes32;
impl Codec<Vec<u8>> for Bytes32 {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<u8>> {
        let n = r.u32(what)?;
        let n = r.check_count(n as u64, 1, u32::MAX as u64, what)?;
        Ok(r.take(n, what)?.to_vec())
    }
    fn write(w: &mut Writer, v: &Vec<u8>) {
        w.u32(v.len() as u32);
        w.bytes(v);
    }
}
