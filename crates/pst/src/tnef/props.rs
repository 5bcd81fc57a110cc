//! MAPI property lists inside TNEF attributes ([MS-OXTNEF] 2.1.3.4 MsgPropertyList):
//! a count, then per property its type, id, name (for ids ≥ 0x8000) and value(s), every
//! value padded to four bytes.

use oxmapi_core::guid::Guid;
use oxmapi_core::named::PropertyName;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::TnefError;
use super::reader::Cursor;
use crate::codepage;

/// A property as TNEF names it: an ordinary tag or a named property.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Key {
    /// Property id below 0x8000.
    Id(u16),
    /// A named property (its id in the stream is local to the sender and dropped).
    Named(PropertyName),
}

/// One property read from a list; `Object` values keep their bytes (IID + data).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prop {
    pub(crate) key: Key,
    pub(crate) value: PropValue,
    /// For PtypObject: the raw bytes (IID then content), as `value` cannot hold them.
    pub(crate) object: Option<Vec<u8>>,
}

fn utf16z(b: &[u8]) -> String {
    let mut units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    while units.last() == Some(&0) {
        units.pop();
    }
    String::from_utf16_lossy(&units)
}

fn counted<'a>(c: &mut Cursor<'a>) -> Result<&'a [u8], TnefError> {
    let n = c.u32()? as usize;
    let b = c.bytes(n)?;
    c.pad4(n)?;
    Ok(b)
}

fn fixed(c: &mut Cursor<'_>, ty: u16) -> Result<PropValue, TnefError> {
    Ok(match ty {
        0x0002 => PropValue::I16(c.u32()? as u16 as i16),
        0x0003 => PropValue::I32(c.u32()? as i32),
        0x0004 => PropValue::F32(f32::from_bits(c.u32()?)),
        0x0005 => PropValue::F64(f64::from_bits(c.u64()?)),
        0x0006 => PropValue::Currency(c.u64()? as i64),
        0x0007 => PropValue::AppTime(f64::from_bits(c.u64()?)),
        0x000A => PropValue::Error(c.u32()?),
        0x000B => PropValue::Bool(c.u32()? & 0xFFFF != 0),
        0x0014 => PropValue::I64(c.u64()? as i64),
        0x0040 => PropValue::SysTime(FileTime(c.u64()?)),
        0x0048 => {
            let mut g = [0u8; 16];
            g.copy_from_slice(c.bytes(16)?);
            PropValue::Guid(Guid(g))
        }
        other => return Err(TnefError::UnknownType(other)),
    })
}

fn string8(b: &[u8], codepage: u32) -> String {
    let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    codepage::decode(&b[..end], codepage)
}

/// Reads one value of single-valued type `ty`; Object values also return their bytes.
fn single(c: &mut Cursor<'_>, ty: u16, codepage: u32) -> Result<(PropValue, Option<Vec<u8>>), TnefError> {
    Ok(match ty {
        0x0001 => (PropValue::Null, None),
        0x001E | 0x001F | 0x0102 | 0x000D => {
            // Variable-length values carry a value count (always 1 here) first.
            let _count = c.u32()?;
            let b = counted(c)?;
            match ty {
                // 8-bit strings are decoded now, by the stream's attOemCodepage.
                0x001E => (PropValue::Unicode(string8(b, codepage)), None),
                0x001F => (PropValue::Unicode(utf16z(b)), None),
                0x0102 => (PropValue::Binary(b.to_vec()), None),
                _ => (PropValue::Binary(Vec::new()), Some(b.to_vec())),
            }
        }
        _ => (fixed(c, ty)?, None),
    })
}

fn multi(c: &mut Cursor<'_>, ty: u16, codepage: u32) -> Result<PropValue, TnefError> {
    let n = c.u32()?;
    let el = ty & 0x0FFF;
    macro_rules! collect {
        ($variant:ident, $pat:ident) => {{
            let mut v = Vec::new();
            for _ in 0..n {
                match fixed(c, el)? {
                    PropValue::$pat(x) => v.push(x),
                    _ => return Err(TnefError::UnknownType(ty)),
                }
            }
            PropValue::$variant(v)
        }};
    }
    Ok(match el {
        0x0002 => collect!(MvI16, I16),
        0x0003 => collect!(MvI32, I32),
        0x0004 => collect!(MvF32, F32),
        0x0005 => collect!(MvF64, F64),
        0x0006 => collect!(MvCurrency, Currency),
        0x0007 => collect!(MvAppTime, AppTime),
        0x0014 => collect!(MvI64, I64),
        0x0040 => collect!(MvSysTime, SysTime),
        0x0048 => collect!(MvGuid, Guid),
        0x001E | 0x001F | 0x0102 => {
            let mut s = Vec::new();
            let mut b = Vec::new();
            for _ in 0..n {
                let v = counted(c)?;
                match el {
                    0x001E => s.push(string8(v, codepage)),
                    0x001F => s.push(utf16z(v)),
                    _ => b.push(v.to_vec()),
                }
            }
            if el == 0x0102 { PropValue::MvBinary(b) } else { PropValue::MvUnicode(s) }
        }
        _ => return Err(TnefError::UnknownType(ty)),
    })
}

fn name(c: &mut Cursor<'_>) -> Result<PropertyName, TnefError> {
    let mut g = [0u8; 16];
    g.copy_from_slice(c.bytes(16)?);
    let guid = Guid(g);
    match c.u32()? {
        0 => Ok(PropertyName::id(guid, c.u32()?)),
        1 => Ok(PropertyName::string(guid, utf16z(counted(c)?))),
        k => Err(TnefError::BadNameKind(k)),
    }
}

/// Reads a count and that many properties from `c`.
fn read_props(c: &mut Cursor<'_>, codepage: u32) -> Result<Vec<Prop>, TnefError> {
    let count = c.u32()?;
    let mut out = Vec::new();
    for _ in 0..count {
        let ty = c.u16()?;
        let id = c.u16()?;
        let key = if id >= 0x8000 { Key::Named(name(c)?) } else { Key::Id(id) };
        let (value, object) =
            if ty & 0x1000 != 0 { (multi(c, ty, codepage)?, None) } else { single(c, ty, codepage)? };
        out.push(Prop { key, value, object });
    }
    Ok(out)
}

/// Reads a whole MsgPropertyList (attMsgProps, attAttachment).
pub(crate) fn read_list(data: &[u8], codepage: u32) -> Result<Vec<Prop>, TnefError> {
    read_props(&mut Cursor::new(data), codepage)
}

/// Reads attRecipTable: a row count, then one property list per row.
pub(crate) fn read_rows(data: &[u8], codepage: u32) -> Result<Vec<Vec<Prop>>, TnefError> {
    let mut c = Cursor::new(data);
    let rows = c.u32()?;
    let mut out = Vec::new();
    for _ in 0..rows {
        out.push(read_props(&mut c, codepage)?);
    }
    Ok(out)
}
