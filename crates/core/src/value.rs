//! Property values (MS-OXCDATA 2.11): one [`PropValue`] variant per property type.

use crate::guid::Guid;
use crate::ptype::PropType;
use crate::restriction::Restriction;
use crate::tag::PropTag;
use crate::time::FileTime;

/// A property value. The variant determines the property type.
#[derive(Clone, Debug, PartialEq)]
pub enum PropValue {
    /// PtypNull: no value.
    Null,
    /// PtypInteger16.
    I16(i16),
    /// PtypInteger32.
    I32(i32),
    /// PtypFloating32.
    F32(f32),
    /// PtypFloating64.
    F64(f64),
    /// PtypCurrency: value × 10000.
    Currency(i64),
    /// PtypFloatingTime: days since 1899-12-30.
    AppTime(f64),
    /// PtypErrorCode.
    Error(u32),
    /// PtypBoolean.
    Bool(bool),
    /// PtypObject / PtypEmbeddedTable: in NSPI a 32-bit address-list reference.
    Object(u32),
    /// PtypInteger64.
    I64(i64),
    /// PtypString8: the raw 8-bit bytes (session code page), without the terminator.
    String8(Vec<u8>),
    /// PtypString.
    Unicode(String),
    /// PtypTime.
    SysTime(FileTime),
    /// PtypGuid.
    Guid(Guid),
    /// PtypServerId: the counted bytes.
    ServerId(Vec<u8>),
    /// PtypRestriction.
    Restriction(Box<Restriction>),
    /// PtypRuleAction: the RuleAction block bytes (MS-OXORULE 2.2.5), kept opaque here.
    RuleAction(Vec<u8>),
    /// PtypBinary.
    Binary(Vec<u8>),
    /// PtypMultipleInteger16.
    MvI16(Vec<i16>),
    /// PtypMultipleInteger32.
    MvI32(Vec<i32>),
    /// PtypMultipleFloating32.
    MvF32(Vec<f32>),
    /// PtypMultipleFloating64.
    MvF64(Vec<f64>),
    /// PtypMultipleCurrency.
    MvCurrency(Vec<i64>),
    /// PtypMultipleFloatingTime.
    MvAppTime(Vec<f64>),
    /// PtypMultipleInteger64.
    MvI64(Vec<i64>),
    /// PtypMultipleString8.
    MvString8(Vec<Vec<u8>>),
    /// PtypMultipleString.
    MvUnicode(Vec<String>),
    /// PtypMultipleTime.
    MvSysTime(Vec<FileTime>),
    /// PtypMultipleGuid.
    MvGuid(Vec<Guid>),
    /// PtypMultipleBinary.
    MvBinary(Vec<Vec<u8>>),
}

impl PropValue {
    /// The bytes a stream on this value holds (MS-OXCPRPT 2.2.14): binary and 8-bit strings as
    /// they are, Unicode strings as UTF-16LE without a terminator; `None` for other types.
    pub fn stream_bytes(&self) -> Option<Vec<u8>> {
        match self {
            PropValue::Unicode(s) => Some(s.encode_utf16().flat_map(u16::to_le_bytes).collect()),
            PropValue::String8(b) | PropValue::Binary(b) => Some(b.clone()),
            _ => None,
        }
    }

    /// The value of type `ty` that a stream's bytes stand for. Strings lose trailing NUL
    /// terminators a writer may have added; an odd final byte of a UTF-16 stream is dropped and
    /// unpaired surrogates become U+FFFD; other types are binary.
    pub fn from_stream_bytes(ty: PropType, bytes: Vec<u8>) -> PropValue {
        match ty {
            PropType::String => {
                let mut units: Vec<u16> =
                    bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
                while units.last() == Some(&0) {
                    units.pop();
                }
                PropValue::Unicode(String::from_utf16_lossy(&units))
            }
            PropType::String8 => {
                let mut b = bytes;
                while b.last() == Some(&0) {
                    b.pop();
                }
                PropValue::String8(b)
            }
            _ => PropValue::Binary(bytes),
        }
    }

    /// The property type of this value.
    pub fn prop_type(&self) -> PropType {
        use PropValue::*;
        match self {
            Null => PropType::Null,
            I16(_) => PropType::Integer16,
            I32(_) => PropType::Integer32,
            F32(_) => PropType::Floating32,
            F64(_) => PropType::Floating64,
            Currency(_) => PropType::Currency,
            AppTime(_) => PropType::FloatingTime,
            Error(_) => PropType::ErrorCode,
            Bool(_) => PropType::Boolean,
            Object(_) => PropType::Object,
            I64(_) => PropType::Integer64,
            String8(_) => PropType::String8,
            Unicode(_) => PropType::String,
            SysTime(_) => PropType::Time,
            Guid(_) => PropType::Guid,
            ServerId(_) => PropType::ServerId,
            Restriction(_) => PropType::Restriction,
            RuleAction(_) => PropType::RuleAction,
            Binary(_) => PropType::Binary,
            MvI16(_) => PropType::MultipleInteger16,
            MvI32(_) => PropType::MultipleInteger32,
            MvF32(_) => PropType::MultipleFloating32,
            MvF64(_) => PropType::MultipleFloating64,
            MvCurrency(_) => PropType::MultipleCurrency,
            MvAppTime(_) => PropType::MultipleFloatingTime,
            MvI64(_) => PropType::MultipleInteger64,
            MvString8(_) => PropType::MultipleString8,
            MvUnicode(_) => PropType::MultipleString,
            MvSysTime(_) => PropType::MultipleTime,
            MvGuid(_) => PropType::MultipleGuid,
            MvBinary(_) => PropType::MultipleBinary,
        }
    }

    /// Text of a string value (PtypString, or PtypString8 decoded as Windows-1252).
    pub fn as_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            PropValue::Unicode(s) => Some(std::borrow::Cow::Borrowed(s)),
            PropValue::String8(b) => Some(std::borrow::Cow::Owned(crate::text::decode_cp1252(b))),
            _ => None,
        }
    }

    /// The bytes of a PtypBinary or PtypServerId value.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            PropValue::Binary(b) | PropValue::ServerId(b) => Some(b),
            _ => None,
        }
    }

    /// An integer view of the integer, boolean and error types.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            PropValue::I16(v) => Some(v as i64),
            PropValue::I32(v) => Some(v as i64),
            PropValue::I64(v) | PropValue::Currency(v) => Some(v),
            PropValue::Bool(v) => Some(v as i64),
            PropValue::Error(v) | PropValue::Object(v) => Some(v as i64),
            PropValue::SysTime(t) => Some(t.0 as i64),
            _ => None,
        }
    }

    /// Number of values: the element count of a multi-valued value, else 1.
    pub fn value_count(&self) -> usize {
        use PropValue::*;
        match self {
            MvI16(v) => v.len(),
            MvI32(v) => v.len(),
            MvF32(v) => v.len(),
            MvF64(v) | MvAppTime(v) => v.len(),
            MvCurrency(v) | MvI64(v) => v.len(),
            MvString8(v) | MvBinary(v) => v.len(),
            MvUnicode(v) => v.len(),
            MvSysTime(v) => v.len(),
            MvGuid(v) => v.len(),
            _ => 1,
        }
    }

    /// The elements of a multi-valued value as single values (a single value yields itself).
    pub fn elements(&self) -> Vec<PropValue> {
        use PropValue::*;
        match self {
            MvI16(v) => v.iter().map(|&x| I16(x)).collect(),
            MvI32(v) => v.iter().map(|&x| I32(x)).collect(),
            MvF32(v) => v.iter().map(|&x| F32(x)).collect(),
            MvF64(v) => v.iter().map(|&x| F64(x)).collect(),
            MvCurrency(v) => v.iter().map(|&x| Currency(x)).collect(),
            MvAppTime(v) => v.iter().map(|&x| AppTime(x)).collect(),
            MvI64(v) => v.iter().map(|&x| I64(x)).collect(),
            MvString8(v) => v.iter().map(|x| String8(x.clone())).collect(),
            MvUnicode(v) => v.iter().map(|x| Unicode(x.clone())).collect(),
            MvSysTime(v) => v.iter().map(|&x| SysTime(x)).collect(),
            MvGuid(v) => v.iter().map(|&x| Guid(x)).collect(),
            MvBinary(v) => v.iter().map(|x| Binary(x.clone())).collect(),
            other => vec![other.clone()],
        }
    }

    /// Size of the value in bytes as MAPI's SizeRestriction measures it (MS-OXCDATA 2.12.7):
    /// the byte length of strings (including the terminator) and binaries, the fixed size of
    /// scalars, the sum over elements for multi-valued properties.
    pub fn byte_size(&self) -> usize {
        use PropValue::*;
        match self {
            String8(b) => b.len() + 1,
            Unicode(s) => crate::codec::utf16z_len(s),
            Binary(b) | ServerId(b) | RuleAction(b) => b.len(),
            Restriction(_) => 0,
            v if v.prop_type().is_multi() => v.elements().iter().map(PropValue::byte_size).sum(),
            v => v.prop_type().fixed_size().unwrap_or(0),
        }
    }
}

/// A property tag with its value (TaggedPropertyValue, MS-OXCDATA 2.11.4).
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedValue {
    /// The tag; its type matches the value's type.
    pub tag: PropTag,
    /// The value.
    pub value: PropValue,
}

impl TaggedValue {
    /// Pairs `value` with the id of `id_tag` and the value's own type.
    pub fn new(id_tag: PropTag, value: PropValue) -> TaggedValue {
        TaggedValue { tag: PropTag::new(id_tag.id(), value.prop_type()), value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_sizes() {
        assert_eq!(PropValue::Unicode("ab".into()).prop_type(), PropType::String);
        assert_eq!(PropValue::Unicode("ab".into()).byte_size(), 6);
        assert_eq!(PropValue::MvI32(vec![1, 2]).byte_size(), 8);
        assert_eq!(PropValue::MvUnicode(vec!["a".into()]).elements(), vec![PropValue::Unicode("a".into())]);
        let t = TaggedValue::new(PropTag(0x0037_001E), PropValue::Unicode("x".into()));
        assert_eq!(t.tag, PropTag(0x0037_001F));
    }
}
