//! Values stored in streams rather than in their property entry: variable-length properties
//! ([MS-OXMSG] 2.1.3), fixed-length multi-valued properties (2.1.4.1: all values in one stream)
//! and variable-length multi-valued ones (2.1.4.2: a length stream, then one stream per value).

use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::MsgError;
use super::layout::{mv_value_name, substg_name};
use super::propstream::guid;

/// Loads one stream by name (relative to the storage being read); `None` when it is missing.
pub type Load<'l> = dyn FnMut(&str) -> Result<Option<Vec<u8>>, MsgError> + 'l;

/// The value of stream-stored property `tag` of type `ty`, read through `load`; `None` when its
/// stream is missing or too short for the type, or the type has no stream form.
pub fn read(tag: PropTag, ty: PropType, load: &mut Load<'_>) -> Result<Option<PropValue>, MsgError> {
    if matches!(ty, PropType::MultipleString | PropType::MultipleString8 | PropType::MultipleBinary) {
        return read_var_mv(tag, ty, load);
    }
    let Some(bytes) = load(&substg_name(tag))? else { return Ok(None) };
    Ok(match ty {
        PropType::String | PropType::String8 => Some(PropValue::from_stream_bytes(ty, bytes)),
        PropType::Binary => Some(PropValue::Binary(bytes)),
        PropType::ServerId => Some(PropValue::ServerId(bytes)),
        PropType::RuleAction => Some(PropValue::RuleAction(bytes)),
        PropType::Guid => guid(&bytes).map(PropValue::Guid),
        _ if ty.is_multi() => fixed_mv(ty, &bytes),
        _ => None,
    })
}

/// A fixed-length multi-valued value from the concatenation of its elements.
fn fixed_mv(ty: PropType, b: &[u8]) -> Option<PropValue> {
    fn each<const N: usize, T>(b: &[u8], f: impl Fn([u8; N]) -> T) -> Vec<T> {
        b.chunks_exact(N).map(|c| f(c.try_into().unwrap_or([0; N]))).collect()
    }
    Some(match ty {
        PropType::MultipleInteger16 => PropValue::MvI16(each(b, i16::from_le_bytes)),
        PropType::MultipleInteger32 => PropValue::MvI32(each(b, i32::from_le_bytes)),
        PropType::MultipleFloating32 => PropValue::MvF32(each(b, f32::from_le_bytes)),
        PropType::MultipleFloating64 => PropValue::MvF64(each(b, f64::from_le_bytes)),
        PropType::MultipleCurrency => PropValue::MvCurrency(each(b, i64::from_le_bytes)),
        PropType::MultipleFloatingTime => PropValue::MvAppTime(each(b, f64::from_le_bytes)),
        PropType::MultipleInteger64 => PropValue::MvI64(each(b, i64::from_le_bytes)),
        PropType::MultipleTime => PropValue::MvSysTime(each(b, |a| FileTime(u64::from_le_bytes(a)))),
        PropType::MultipleGuid => PropValue::MvGuid(each(b, oxmapi_core::guid::Guid)),
        _ => return None,
    })
}

/// Bytes per value in the length stream of a variable-length multi-valued property.
fn length_entry(ty: PropType) -> usize {
    if ty == PropType::MultipleBinary { 8 } else { 4 }
}

fn read_var_mv(tag: PropTag, ty: PropType, load: &mut Load<'_>) -> Result<Option<PropValue>, MsgError> {
    let Some(lengths) = load(&substg_name(tag))? else { return Ok(None) };
    let count = lengths.len() / length_entry(ty);
    let mut values = Vec::new();
    for i in 0..count {
        // A missing value stream ends the list: the length stream claimed more than is there.
        let Some(bytes) = load(&mv_value_name(tag, i))? else { break };
        values.push(bytes);
    }
    Ok(Some(match ty {
        PropType::MultipleString => PropValue::MvUnicode(
            values
                .into_iter()
                .filter_map(|b| match PropValue::from_stream_bytes(PropType::String, b) {
                    PropValue::Unicode(s) => Some(s),
                    _ => None,
                })
                .collect(),
        ),
        PropType::MultipleString8 => PropValue::MvString8(
            values
                .into_iter()
                .filter_map(|b| match PropValue::from_stream_bytes(PropType::String8, b) {
                    PropValue::String8(s) => Some(s),
                    _ => None,
                })
                .collect(),
        ),
        _ => PropValue::MvBinary(values),
    }))
}

/// Named streams: (stream name, bytes).
pub type Streams = Vec<(String, Vec<u8>)>;

/// The streams (names and bytes) holding `value` of property `tag`, and the Size its entry
/// carries ([MS-OXMSG] 2.4.2.2: strings count their terminator).
pub fn write(tag: PropTag, value: &PropValue) -> Result<(Streams, u32), MsgError> {
    let one = |bytes: Vec<u8>, extra: usize| {
        let size = (bytes.len() + extra) as u32;
        (vec![(substg_name(tag), bytes)], size)
    };
    Ok(match value {
        PropValue::Unicode(s) => one(utf16(s), 2),
        PropValue::String8(b) => one(b.clone(), 1),
        PropValue::Binary(b) | PropValue::ServerId(b) | PropValue::RuleAction(b) => one(b.clone(), 0),
        PropValue::Guid(g) => one(g.0.to_vec(), 0),
        PropValue::MvUnicode(v) => var_mv(tag, v.iter().map(|s| terminated(utf16(s), 2)).collect(), 4),
        PropValue::MvString8(v) => var_mv(tag, v.iter().map(|s| terminated(s.clone(), 1)).collect(), 4),
        PropValue::MvBinary(v) => var_mv(tag, v.clone(), 8),
        v if v.prop_type().is_multi() => one(fixed_mv_bytes(v), 0),
        _ => return Err(MsgError::Unwritable(tag.0)),
    })
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn terminated(mut b: Vec<u8>, nul: usize) -> Vec<u8> {
    b.extend(std::iter::repeat_n(0, nul));
    b
}

fn var_mv(tag: PropTag, values: Vec<Vec<u8>>, entry: usize) -> (Streams, u32) {
    let mut lengths = Vec::with_capacity(values.len() * entry);
    let mut streams = Vec::with_capacity(values.len() + 1);
    for (i, v) in values.into_iter().enumerate() {
        lengths.extend_from_slice(&(v.len() as u32).to_le_bytes());
        if entry == 8 {
            lengths.extend_from_slice(&[0; 4]);
        }
        streams.push((mv_value_name(tag, i), v));
    }
    let size = lengths.len() as u32;
    streams.insert(0, (substg_name(tag), lengths));
    (streams, size)
}

fn fixed_mv_bytes(v: &PropValue) -> Vec<u8> {
    let mut out = Vec::new();
    match v {
        PropValue::MvI16(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        PropValue::MvI32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        PropValue::MvF32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        PropValue::MvF64(v) | PropValue::MvAppTime(v) => {
            v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()))
        }
        PropValue::MvCurrency(v) | PropValue::MvI64(v) => {
            v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()))
        }
        PropValue::MvSysTime(v) => v.iter().for_each(|x| out.extend_from_slice(&x.0.to_le_bytes())),
        PropValue::MvGuid(v) => v.iter().for_each(|x| out.extend_from_slice(&x.0)),
        _ => {}
    }
    out
}
