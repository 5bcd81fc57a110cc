//! Property values as the LTP layer stores them ([MS-PST] 2.3.3.3 and 2.3.4.4.1): the fixed
//! types by size, strings, binaries, GUIDs and the multi-valued layouts (a count, offsets and
//! data for the variable-size kinds, [MS-PST] 2.3.3.4.2).

use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::PstError;
use super::ndb::Le;

/// PtypObject: a subnode holding an attachment's data object (embedded message or OLE).
pub const PT_OBJECT: u16 = 0x000D;
/// PtypString8.
pub const PT_STRING8: u16 = 0x001E;
/// PtypMultipleString8.
pub const PT_MV_STRING8: u16 = 0x101E;

/// A tag from its id and type.
pub fn tag(id: u16, ty: u16) -> PropTag {
    PropTag(((id as u32) << 16) | ty as u32)
}

/// The size of a fixed-size type, `None` for the variable-size ones ([MS-OXCDATA] 2.11.1).
pub fn fixed_size(ty: u16) -> Option<usize> {
    match ty {
        0x0001 => Some(0),
        0x000B => Some(1),
        0x0002 => Some(2),
        0x0003 | 0x0004 | 0x000A => Some(4),
        0x0005..=0x0007 | 0x0014 | 0x0040 => Some(8),
        _ => None,
    }
}

/// Decodes the bytes stored for a property of type `ty`. 8-bit strings stay bytes here: the
/// message layer decodes them with the right code page.
pub fn decode(ty: u16, b: &[u8]) -> Result<PropValue, PstError> {
    let f64_at = |at: usize| b.u64_at(at).map(f64::from_bits);
    let fixed = |size: usize| -> Result<Vec<&[u8]>, PstError> {
        if b.len() % size != 0 {
            return Err(PstError::Corrupt(format!("a multi-valued type {ty:#06x} of {} bytes", b.len())));
        }
        Ok(b.chunks_exact(size).collect())
    };
    Ok(match ty {
        0x0001 => PropValue::Null,
        0x0002 => PropValue::I16(b.u16_at(0)? as i16),
        0x0003 => PropValue::I32(b.u32_at(0)? as i32),
        0x0004 => PropValue::F32(f32::from_bits(b.u32_at(0)?)),
        0x0005 => PropValue::F64(f64_at(0)?),
        0x0006 => PropValue::Currency(b.u64_at(0)? as i64),
        0x0007 => PropValue::AppTime(f64_at(0)?),
        0x000A => PropValue::Error(b.u32_at(0)?),
        0x000B => PropValue::Bool(b.u8_at(0)? != 0),
        0x0014 => PropValue::I64(b.u64_at(0)? as i64),
        0x0040 => PropValue::SysTime(FileTime(b.u64_at(0)?)),
        PT_STRING8 => PropValue::String8(trim_nul8(b).to_vec()),
        0x001F => PropValue::Unicode(utf16(b)),
        0x0048 => PropValue::Guid(guid(b)?),
        0x00FB => PropValue::ServerId(b.to_vec()),
        0x0102 => PropValue::Binary(b.to_vec()),
        0x1002 => PropValue::MvI16(fixed(2)?.iter().map(|c| c.u16_at(0).unwrap_or(0) as i16).collect()),
        0x1003 => PropValue::MvI32(fixed(4)?.iter().map(|c| c.u32_at(0).unwrap_or(0) as i32).collect()),
        0x1004 => {
            PropValue::MvF32(fixed(4)?.iter().map(|c| f32::from_bits(c.u32_at(0).unwrap_or(0))).collect())
        }
        0x1005 => PropValue::MvF64(fixed(8)?.iter().map(|c| f64::from_bits(u64le(c))).collect()),
        0x1006 => PropValue::MvCurrency(fixed(8)?.iter().map(|c| u64le(c) as i64).collect()),
        0x1007 => PropValue::MvAppTime(fixed(8)?.iter().map(|c| f64::from_bits(u64le(c))).collect()),
        0x1014 => PropValue::MvI64(fixed(8)?.iter().map(|c| u64le(c) as i64).collect()),
        0x1040 => PropValue::MvSysTime(fixed(8)?.iter().map(|c| FileTime(u64le(c))).collect()),
        0x1048 => PropValue::MvGuid(fixed(16)?.iter().map(|c| guid(c)).collect::<Result<_, _>>()?),
        PT_MV_STRING8 => PropValue::MvString8(multi(b)?.into_iter().map(|s| trim_nul8(s).to_vec()).collect()),
        0x101F => PropValue::MvUnicode(multi(b)?.into_iter().map(utf16).collect()),
        0x1102 => PropValue::MvBinary(multi(b)?.into_iter().map(<[u8]>::to_vec).collect()),
        other => {
            return Err(PstError::Corrupt(format!("unknown property type {other:#06x}")));
        }
    })
}

fn u64le(c: &[u8]) -> u64 {
    c.u64_at(0).unwrap_or(0)
}

fn guid(b: &[u8]) -> Result<Guid, PstError> {
    let mut g = [0u8; 16];
    g.copy_from_slice(b.slice_at(0, 16)?);
    Ok(Guid(g))
}

/// UTF-16LE without trailing NULs; unpaired surrogates become U+FFFD.
pub fn utf16(b: &[u8]) -> String {
    let mut units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    while units.last() == Some(&0) {
        units.pop();
    }
    String::from_utf16_lossy(&units)
}

fn trim_nul8(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|c| *c != 0).map_or(0, |p| p + 1);
    &b[..end]
}

/// The values of a variable-size multi-valued property: ulCount, rgulDataOffsets, data
/// ([MS-PST] 2.3.3.4.2). Offsets must rise and stay inside the buffer.
fn multi(b: &[u8]) -> Result<Vec<&[u8]>, PstError> {
    if b.is_empty() {
        return Ok(Vec::new());
    }
    let count = b.u32_at(0)? as usize;
    if count > b.len() / 4 {
        return Err(PstError::Corrupt(format!("{count} values in {} bytes", b.len())));
    }
    let mut offsets = Vec::with_capacity(count + 1);
    for i in 0..count {
        offsets.push(b.u32_at(4 + i * 4)? as usize);
    }
    offsets.push(b.len());
    let mut out = Vec::with_capacity(count);
    for w in offsets.windows(2) {
        if w[0] > w[1] || w[1] > b.len() {
            return Err(PstError::Corrupt("multi-valued offsets out of order".into()));
        }
        out.push(&b[w[0]..w[1]]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_strings_are_bounded() {
        // Two values "a", "b" as UTF-16.
        let mut b = vec![2, 0, 0, 0, 12, 0, 0, 0, 14, 0, 0, 0];
        b.extend_from_slice(&[b'a', 0, b'b', 0]);
        assert_eq!(decode(0x101F, &b).unwrap(), PropValue::MvUnicode(vec!["a".into(), "b".into()]));
        // A count that claims more than the buffer holds.
        assert!(decode(0x101F, &[0xff, 0xff, 0xff, 0x7f]).is_err());
        // Offsets past the end.
        assert!(decode(0x1102, &[1, 0, 0, 0, 0xff, 0, 0, 0]).is_err());
    }

    #[test]
    fn short_fixed_values_are_errors_not_panics() {
        assert!(decode(0x0014, &[1, 2, 3]).is_err());
        assert!(decode(0x0048, &[0; 15]).is_err());
        assert!(decode(0x1014, &[0; 9]).is_err());
    }
}
