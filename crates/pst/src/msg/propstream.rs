//! The property stream `__properties_version1.0` ([MS-OXMSG] 2.4): a header whose size depends
//! on the storage (2.4.1), then one 16-byte entry per property (2.4.2): tag, flags, and either
//! the value itself (fixed-length types, 2.4.2.1) or the size of the stream holding it
//! (variable-length and multi-valued types, 2.4.2.2).

use oxmapi_core::guid::Guid;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::layout::{ENTRY_FLAGS, ENTRY_LEN, StreamKind};

/// One 16-byte property entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The property tag.
    pub tag: PropTag,
    /// The 8-byte value field: the value, or Size + Reserved.
    pub value: [u8; 8],
}

/// The counts of the top-level and embedded headers ([MS-OXMSG] 2.4.1.1, 2.4.1.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Next Recipient ID.
    pub next_recipient: u32,
    /// Next Attachment ID.
    pub next_attachment: u32,
    /// Recipient Count.
    pub recipients: u32,
    /// Attachment Count.
    pub attachments: u32,
}

/// The entries of property stream `bytes` of a storage of `kind`. A short header or a trailing
/// partial entry is tolerated (the entries that are whole are returned).
pub fn parse(bytes: &[u8], kind: StreamKind) -> Vec<Entry> {
    let body = bytes.get(kind.header_len()..).unwrap_or(&[]);
    body.chunks_exact(ENTRY_LEN)
        .map(|c| {
            let tag = PropTag(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
            let mut value = [0u8; 8];
            value.copy_from_slice(&c[8..16]);
            Entry { tag, value }
        })
        .collect()
}

/// A property stream of `kind` with `counts` (ignored for [`StreamKind::Child`]) and `entries`.
pub fn build(kind: StreamKind, counts: Counts, entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(kind.header_len() + entries.len() * ENTRY_LEN);
    out.extend_from_slice(&[0u8; 8]);
    if kind != StreamKind::Child {
        for v in [counts.next_recipient, counts.next_attachment, counts.recipients, counts.attachments] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    if kind == StreamKind::TopLevel {
        out.extend_from_slice(&[0u8; 8]);
    }
    for e in entries {
        out.extend_from_slice(&e.tag.0.to_le_bytes());
        out.extend_from_slice(&ENTRY_FLAGS.to_le_bytes());
        out.extend_from_slice(&e.value);
    }
    out
}

/// True for the types whose value sits in the entry itself ([MS-OXMSG] 2.1.2).
pub fn is_inline(ty: PropType) -> bool {
    matches!(
        ty,
        PropType::Null
            | PropType::Integer16
            | PropType::Integer32
            | PropType::Floating32
            | PropType::Floating64
            | PropType::Currency
            | PropType::FloatingTime
            | PropType::ErrorCode
            | PropType::Boolean
            | PropType::Integer64
            | PropType::Time
    )
}

/// The value of an inline entry of type `ty` ([MS-OXMSG] 2.4.2.1); `None` for other types.
pub fn inline_value(ty: PropType, v: &[u8; 8]) -> Option<PropValue> {
    let u16v = u16::from_le_bytes([v[0], v[1]]);
    let u32v = u32::from_le_bytes([v[0], v[1], v[2], v[3]]);
    let u64v = u64::from_le_bytes(*v);
    Some(match ty {
        PropType::Null => PropValue::Null,
        PropType::Integer16 => PropValue::I16(u16v as i16),
        PropType::Integer32 => PropValue::I32(u32v as i32),
        PropType::Floating32 => PropValue::F32(f32::from_bits(u32v)),
        PropType::Floating64 => PropValue::F64(f64::from_bits(u64v)),
        PropType::Currency => PropValue::Currency(u64v as i64),
        PropType::FloatingTime => PropValue::AppTime(f64::from_bits(u64v)),
        PropType::ErrorCode => PropValue::Error(u32v),
        PropType::Boolean => PropValue::Bool(u16v != 0),
        PropType::Integer64 => PropValue::I64(u64v as i64),
        PropType::Time => PropValue::SysTime(FileTime(u64v)),
        _ => return None,
    })
}

/// The 8-byte value field of an inline value; `None` for values not stored inline.
pub fn inline_bytes(value: &PropValue) -> Option<[u8; 8]> {
    let mut out = [0u8; 8];
    let (bytes, len): ([u8; 8], usize) = match *value {
        PropValue::Null => ([0; 8], 0),
        PropValue::I16(v) => (widen(&v.to_le_bytes()), 2),
        PropValue::I32(v) => (widen(&v.to_le_bytes()), 4),
        PropValue::F32(v) => (widen(&v.to_bits().to_le_bytes()), 4),
        PropValue::Error(v) => (widen(&v.to_le_bytes()), 4),
        PropValue::Bool(v) => (widen(&[v as u8]), 1),
        PropValue::F64(v) | PropValue::AppTime(v) => (v.to_bits().to_le_bytes(), 8),
        PropValue::Currency(v) | PropValue::I64(v) => (v.to_le_bytes(), 8),
        PropValue::SysTime(t) => (t.0.to_le_bytes(), 8),
        _ => return None,
    };
    out[..len].copy_from_slice(&bytes[..len]);
    Some(out)
}

fn widen(b: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    out[..b.len()].copy_from_slice(b);
    out
}

/// The entry value field of a stream-stored property: Size, then Reserved = 0.
pub fn size_field(size: u32) -> [u8; 8] {
    widen(&size.to_le_bytes())
}

/// A GUID from 16 bytes.
pub fn guid(b: &[u8]) -> Option<Guid> {
    let a: [u8; 16] = b.get(..16)?.try_into().ok()?;
    Some(Guid(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_values_round_trip() {
        for v in [
            PropValue::I16(-2),
            PropValue::I32(-7),
            PropValue::F32(1.5),
            PropValue::F64(-2.25),
            PropValue::Currency(12345),
            PropValue::AppTime(4.5),
            PropValue::Error(0x8004_010F),
            PropValue::Bool(true),
            PropValue::I64(i64::MIN),
            PropValue::SysTime(FileTime(1 << 60)),
        ] {
            let b = inline_bytes(&v).unwrap();
            assert_eq!(inline_value(v.prop_type(), &b), Some(v));
        }
    }

    #[test]
    fn headers_have_their_sizes() {
        let e = [Entry { tag: PropTag(0x0E07_0003), value: [1, 0, 0, 0, 0, 0, 0, 0] }];
        for (kind, len) in [(StreamKind::TopLevel, 32), (StreamKind::Embedded, 24), (StreamKind::Child, 8)] {
            let s = build(kind, Counts::default(), &e);
            assert_eq!(s.len(), len + 16);
            assert_eq!(parse(&s, kind), e);
        }
    }
}
