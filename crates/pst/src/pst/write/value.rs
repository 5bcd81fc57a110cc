//! Property values as a property or table context stores them: the inverse of
//! [`crate::pst::value::decode`]. Fixed-size types little-endian at their size, strings as
//! UTF-16LE without a terminator, 8-bit strings as the bytes given (a Unicode file may still
//! hold PT_STRING8 values, in the file's code page), and the multi-valued layouts of
//! [MS-PST] 2.3.3.4.2: fixed-size kinds as the values one after another, variable-size kinds
//! as `ulCount`, `rgulDataOffsets[ulCount]` (from the start of the buffer) and the data.

use oxmapi_core::value::PropValue;

/// PtypRestriction: no stored form here (the writer leaves such values out).
const PT_RESTRICTION: u16 = 0x00FD;

/// The raw property type code of a value.
pub fn type_code(v: &PropValue) -> u16 {
    v.prop_type() as u16
}

/// True when the value has a stored form in a PST (everything but PtypRestriction, which
/// the writer leaves out of property and table contexts).
pub fn storable(v: &PropValue) -> bool {
    type_code(v) != PT_RESTRICTION
}

/// Encodes one value as a property or table context stores it ([MS-PST] 2.3.3.3, 2.3.3.4).
/// `PropValue::Object(nid)` is its 4-byte node id; PtypRestriction, which has no stored form
/// here, is empty (see [`storable`]).
pub fn encode_value(v: &PropValue) -> Vec<u8> {
    use PropValue::*;
    match v {
        Null | Restriction(_) => Vec::new(),
        I16(x) => x.to_le_bytes().to_vec(),
        I32(x) => x.to_le_bytes().to_vec(),
        F32(x) => x.to_bits().to_le_bytes().to_vec(),
        F64(x) | AppTime(x) => x.to_bits().to_le_bytes().to_vec(),
        Currency(x) | I64(x) => x.to_le_bytes().to_vec(),
        Error(x) | Object(x) => x.to_le_bytes().to_vec(),
        Bool(b) => vec![u8::from(*b)],
        SysTime(t) => t.0.to_le_bytes().to_vec(),
        Guid(g) => g.0.to_vec(),
        String8(b) | ServerId(b) | RuleAction(b) | Binary(b) => b.clone(),
        Unicode(s) => utf16(s),
        MvI16(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        MvI32(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        MvF32(v) => v.iter().flat_map(|x| x.to_bits().to_le_bytes()).collect(),
        MvF64(v) | MvAppTime(v) => v.iter().flat_map(|x| x.to_bits().to_le_bytes()).collect(),
        MvCurrency(v) | MvI64(v) => v.iter().flat_map(|x| x.to_le_bytes()).collect(),
        MvSysTime(v) => v.iter().flat_map(|t| t.0.to_le_bytes()).collect(),
        MvGuid(v) => v.iter().flat_map(|g| g.0).collect(),
        MvString8(v) | MvBinary(v) => multi(v.iter().map(|b| b.as_slice())),
        MvUnicode(v) => {
            let units: Vec<Vec<u8>> = v.iter().map(|s| utf16(s)).collect();
            multi(units.iter().map(Vec::as_slice))
        }
    }
}

/// UTF-16LE without a terminator.
fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// The variable-size multi-valued layout ([MS-PST] 2.3.3.4.2): the count, each value's
/// offset from the start of the buffer, then the values.
fn multi<'a>(values: impl ExactSizeIterator<Item = &'a [u8]> + Clone) -> Vec<u8> {
    let count = values.len();
    let head = 4 + 4 * count;
    let mut out = Vec::with_capacity(head + values.clone().map(<[u8]>::len).sum::<usize>());
    out.extend_from_slice(&(count as u32).to_le_bytes());
    let mut at = head;
    for v in values.clone() {
        out.extend_from_slice(&(at as u32).to_le_bytes());
        at += v.len();
    }
    for v in values {
        out.extend_from_slice(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::value::decode;
    use oxmapi_core::guid::Guid;
    use oxmapi_core::time::FileTime;

    fn round_trip(v: PropValue) {
        let b = encode_value(&v);
        assert_eq!(decode(type_code(&v), &b).unwrap(), v, "{v:?} as {b:02x?}");
    }

    #[test]
    fn every_type_decodes_to_what_was_encoded() {
        for v in [
            PropValue::I16(-2),
            PropValue::I32(-70000),
            PropValue::F32(1.5),
            PropValue::F64(-2.25),
            PropValue::Currency(-5),
            PropValue::AppTime(45000.5),
            PropValue::Error(0x8004_010F),
            PropValue::Bool(true),
            PropValue::I64(i64::MIN),
            PropValue::String8(b"caf\xe9".to_vec()),
            PropValue::Unicode("Grüße 😀".into()),
            PropValue::SysTime(FileTime(0x01D0_0000_0000_0000)),
            PropValue::Guid(Guid([7; 16])),
            PropValue::ServerId(vec![1, 2, 3]),
            PropValue::Binary(vec![0, 0, 1]),
            PropValue::MvI16(vec![1, -1]),
            PropValue::MvI32(vec![]),
            PropValue::MvF32(vec![0.5]),
            PropValue::MvF64(vec![1.0, 2.0]),
            PropValue::MvCurrency(vec![3]),
            PropValue::MvAppTime(vec![4.0]),
            PropValue::MvI64(vec![5, 6]),
            PropValue::MvString8(vec![b"a".to_vec(), vec![], b"bc".to_vec()]),
            PropValue::MvUnicode(vec!["x".into(), "".into(), "yz".into()]),
            PropValue::MvUnicode(vec![]),
            PropValue::MvSysTime(vec![FileTime(9)]),
            PropValue::MvGuid(vec![Guid([1; 16]), Guid([2; 16])]),
            PropValue::MvBinary(vec![vec![1], vec![2, 3]]),
        ] {
            round_trip(v);
        }
    }

    #[test]
    fn variable_multi_values_have_count_and_offsets() {
        let b = encode_value(&PropValue::MvUnicode(vec!["a".into(), "b".into()]));
        assert_eq!(b, [2, 0, 0, 0, 12, 0, 0, 0, 14, 0, 0, 0, b'a', 0, b'b', 0]);
    }
}
