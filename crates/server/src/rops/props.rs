//! Property reads shared by every object kind (MS-OXCPRPT 3.2.5.1–3.2.5.3): type coercion
//! between PtypString8 and PtypString, PtypUnspecified columns, `PropertySizeLimit` and
//! `WantUnicode`.

use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::text::{decode_cp1252, encode_cp1252};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{PropertyRow, RowValue};

/// Converts a string value to the requested string type and an integer to the other integer
/// width (PR_MESSAGE_SIZE and PR_MESSAGE_SIZE_EXTENDED share a property id; a 64-bit value is
/// narrowed only when it fits); other values are returned as they are.
pub(crate) fn coerce(v: &PropValue, want: PropType) -> Option<PropValue> {
    Some(match (v, want) {
        (PropValue::I32(x), PropType::Integer64) => PropValue::I64(i64::from(*x)),
        (PropValue::I64(x), PropType::Integer32) => PropValue::I32(i32::try_from(*x).ok()?),
        (PropValue::Unicode(s), PropType::String8) => PropValue::String8(encode_cp1252(s)),
        (PropValue::String8(b), PropType::String) => PropValue::Unicode(decode_cp1252(b)),
        (PropValue::MvUnicode(v), PropType::MultipleString8) => {
            PropValue::MvString8(v.iter().map(|s| encode_cp1252(s)).collect())
        }
        (PropValue::MvString8(v), PropType::MultipleString) => {
            PropValue::MvUnicode(v.iter().map(|b| decode_cp1252(b)).collect())
        }
        (v, t) if v.prop_type() == t => v.clone(),
        _ => return None,
    })
}

/// Approximate wire size of a variable-length value, for `PropertySizeLimit`.
fn size_of(v: &PropValue) -> usize {
    match v {
        PropValue::String8(b) | PropValue::Binary(b) | PropValue::ServerId(b) => b.len(),
        PropValue::Unicode(s) => 2 * s.encode_utf16().count(),
        PropValue::MvBinary(v) | PropValue::MvString8(v) => v.iter().map(Vec::len).sum(),
        PropValue::MvUnicode(v) => v.iter().map(|s| 2 * s.encode_utf16().count()).sum(),
        _ => 0,
    }
}

fn too_big(v: &PropValue, limit: u16) -> bool {
    limit != 0 && size_of(v) > limit as usize
}

/// The natural string type for PtypUnspecified requests: Unicode when `want_unicode`.
fn unspecified_type(v: &PropValue, want_unicode: bool) -> PropType {
    match (v.prop_type(), want_unicode) {
        (PropType::String, false) => PropType::String8,
        (PropType::MultipleString, false) => PropType::MultipleString8,
        (t, _) => t,
    }
}

/// The RowData of RopGetPropertiesSpecific (MS-OXCPRPT 3.2.5.1): one cell per requested tag,
/// ecMAPIOOM (MAPI_E_NOT_ENOUGH_MEMORY) for one larger than `size_limit`, and the error of a
/// value the store could only give as a PtypErrorCode (a large value not read:
/// NotEnoughMemory). A property the object does not have is the error NotFound in place of the
/// value — FlaggedPropertyValue Flag 0x0A then PtypErrorCode 0x8004010F (MS-OXCDATA 2.4.2: "On
/// get, indicates that the property or column has no value for this object"; 2.11.5), not the
/// "no value" Flag 0x01 — and any such cell makes the row a FlaggedPropertyRow (2.8.1.2). For a
/// PtypUnspecified tag the cell's type is PtypErrorCode.
pub fn specific_row(
    values: &[TaggedValue],
    tags: &[PropTag],
    size_limit: u16,
    want_unicode: bool,
) -> PropertyRow {
    let cells = tags
        .iter()
        .map(|tag| {
            let found = values.iter().find(|v| v.tag.id() == tag.id());
            let want = tag.prop_type().unwrap_or(PropType::Unspecified);
            let ty_code = tag.raw_type();
            let error = |code: u32| {
                let ty = if want == PropType::Unspecified { PropType::ErrorCode.code() } else { ty_code };
                RowValue::Error { ty, code }
            };
            let Some(found) = found else {
                return error(codes::MAPI_E_NOT_FOUND.0);
            };
            if let PropValue::Error(code) = found.value {
                return error(code);
            }
            let want = if want == PropType::Unspecified {
                unspecified_type(&found.value, want_unicode)
            } else {
                want
            };
            match coerce(&found.value, want) {
                Some(v) if too_big(&v, size_limit) => {
                    RowValue::Error { ty: want.code(), code: codes::MAPI_E_NOT_ENOUGH_MEMORY.0 }
                }
                Some(v) => RowValue::Value(v),
                None => error(codes::MAPI_E_NOT_FOUND.0),
            }
        })
        .collect();
    PropertyRow::new(cells)
}

/// A table row (MS-OXCTABL 2.2.2.5.2 RowData): the projected values with the same coercions as
/// RopGetPropertiesSpecific; PtypUnspecified string columns follow the table's UseUnicode flag.
/// A column the row has no value for is, as in [`specific_row`], the error NotFound
/// (MS-OXCDATA 2.4.2: "the property or column has no value"), which is also what gromox sends
/// for an empty cell (exch/emsmdb/common_util.cpp, common_util_propvals_to_row_ex: "only the
/// Error variant is only ever seen/used in practice").
pub fn table_row(columns: &[PropTag], values: Vec<Option<PropValue>>, unicode: bool) -> PropertyRow {
    let cells = columns
        .iter()
        .zip(values)
        .map(|(tag, v)| {
            let want = if tag.is_mv_instance() {
                tag.without_mv_instance().prop_type().map(PropType::element).unwrap_or(PropType::Unspecified)
            } else {
                tag.prop_type().unwrap_or(PropType::Unspecified)
            };
            let not_found = || {
                let ty =
                    if want == PropType::Unspecified { PropType::ErrorCode.code() } else { tag.raw_type() };
                RowValue::Error { ty, code: codes::MAPI_E_NOT_FOUND.0 }
            };
            match v {
                None => not_found(),
                Some(v) => {
                    let want =
                        if want == PropType::Unspecified { unspecified_type(&v, unicode) } else { want };
                    match coerce(&v, want) {
                        Some(v) => RowValue::Value(v),
                        None => not_found(),
                    }
                }
            }
        })
        .collect();
    PropertyRow::new(cells)
}

/// The PropertyValues of RopGetPropertiesAll (MS-OXCPRPT 3.2.5.2): every value, strings as
/// PtypString8 unless `want_unicode`, values over `size_limit` as PtypErrorCode ecMAPIOOM.
pub fn all_values(values: &[TaggedValue], size_limit: u16, want_unicode: bool) -> Vec<TaggedValue> {
    values
        .iter()
        .map(|tv| {
            let want = unspecified_type(&tv.value, want_unicode);
            let v = coerce(&tv.value, want).unwrap_or_else(|| tv.value.clone());
            if too_big(&v, size_limit) {
                TaggedValue {
                    tag: tv.tag.with_type(PropType::ErrorCode),
                    value: PropValue::Error(codes::MAPI_E_NOT_ENOUGH_MEMORY.0),
                }
            } else {
                TaggedValue { tag: tv.tag.with_type(v.prop_type()), value: v }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tv(tag: u32, value: PropValue) -> TaggedValue {
        TaggedValue { tag: PropTag(tag), value }
    }

    #[test]
    fn specific_coerces_strings_and_reports_missing_and_oversize() {
        let vals = vec![
            tv(0x3001_001F, PropValue::Unicode("Mailbox - Ä".into())),
            tv(0x0FF9_0102, PropValue::Binary(vec![1; 40])),
        ];
        let row = specific_row(
            &vals,
            &[PropTag(0x3001_001E), PropTag(0x3001_0000), PropTag(0x0E08_0003), PropTag(0x0FF9_0102)],
            16,
            false,
        );
        assert!(row.flagged);
        assert_eq!(row.values[0], RowValue::Value(PropValue::String8(encode_cp1252("Mailbox - Ä"))));
        assert_eq!(row.values[1], RowValue::Value(PropValue::String8(encode_cp1252("Mailbox - Ä"))));
        assert_eq!(row.values[2], RowValue::Error { ty: 0x0003, code: codes::MAPI_E_NOT_FOUND.0 });
        assert_eq!(row.values[3], RowValue::Error { ty: 0x0102, code: codes::MAPI_E_NOT_ENOUGH_MEMORY.0 });
        let row = specific_row(&vals, &[PropTag(0x3001_0000)], 0, true);
        assert!(!row.flagged);
        assert_eq!(row.values[0], RowValue::Value(PropValue::Unicode("Mailbox - Ä".into())));
    }

    #[test]
    fn integers_change_width_and_errors_stay_errors() {
        let vals = vec![
            tv(0x0E08_0003, PropValue::I32(7)),
            tv(0x0E07_0014, PropValue::I64(1 << 40)),
            tv(0x3701_000A, PropValue::Error(codes::MAPI_E_NOT_ENOUGH_MEMORY.0)),
        ];
        let row = specific_row(
            &vals,
            &[PropTag(0x0E08_0014), PropTag(0x0E07_0003), PropTag(0x3701_0102), PropTag(0x3701_0000)],
            0,
            true,
        );
        assert_eq!(row.values[0], RowValue::Value(PropValue::I64(7)));
        assert_eq!(row.values[1], RowValue::Error { ty: 0x0003, code: codes::MAPI_E_NOT_FOUND.0 });
        let oom = codes::MAPI_E_NOT_ENOUGH_MEMORY.0;
        assert_eq!(row.values[2], RowValue::Error { ty: 0x0102, code: oom });
        assert_eq!(row.values[3], RowValue::Error { ty: 0x000A, code: oom });
    }

    #[test]
    fn all_values_respects_want_unicode() {
        let vals = vec![tv(0x3001_001F, PropValue::Unicode("x".into()))];
        assert_eq!(all_values(&vals, 0, false)[0].tag, PropTag(0x3001_001E));
        assert_eq!(all_values(&vals, 0, true)[0].tag, PropTag(0x3001_001F));
    }
}
