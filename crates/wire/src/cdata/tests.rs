//! Round-trip and robustness tests for the MS-OXCDATA codecs.

use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::tag::PropTag;
use proptest::prelude::*;

use super::*;
use crate::strategies;

const FORMS: [Form; 3] = [Form::Rop, Form::Nspi, Form::Extended];

fn fits_rop(v: &oxmapi_core::PropValue) -> bool {
    // A u16 binary count limits ROP-form binaries to 65535 bytes; the generators stay below.
    v.byte_size() < 0xFFFF
}

proptest! {
    #[test]
    fn typed_value_round_trip(v in strategies::value()) {
        for form in FORMS {
            prop_assume!(fits_rop(&v));
            let mut w = Writer::new();
            write_typed_value(&mut w, &v, form);
            let bytes = w.into_vec();
            let mut r = Reader::new(&bytes);
            prop_assert_eq!(read_typed_value(&mut r, form).unwrap(), v.clone());
            prop_assert!(r.is_empty());
        }
    }

    #[test]
    fn tagged_value_round_trip(t in strategies::tagged_value()) {
        for form in FORMS {
            let mut w = Writer::new();
            write_tagged_value(&mut w, &t, form);
            let bytes = w.into_vec();
            let mut r = Reader::new(&bytes);
            prop_assert_eq!(read_tagged_value(&mut r, form).unwrap(), t.clone());
            prop_assert!(r.is_empty());
        }
    }

    #[test]
    fn restriction_round_trip(x in strategies::restriction()) {
        for form in FORMS {
            let mut w = Writer::new();
            write_restriction(&mut w, &x, form);
            let bytes = w.into_vec();
            let mut r = Reader::new(&bytes);
            prop_assert_eq!(read_restriction(&mut r, form).unwrap(), x.clone());
            prop_assert!(r.is_empty());
        }
    }

    #[test]
    fn row_round_trip((cols, row) in strategies::columns_and_row()) {
        for form in FORMS {
            let mut w = Writer::new();
            write_row(&mut w, &row, &cols, form);
            let bytes = w.into_vec();
            let mut r = Reader::new(&bytes);
            let back = read_row(&mut r, &cols, form).unwrap();
            prop_assert!(r.is_empty());
            prop_assert_eq!(back.values, row.values.clone());
        }
    }

    #[test]
    fn sort_and_names_round_trip(s in strategies::sort_order_set(), n in strategies::property_name()) {
        let mut w = Writer::new();
        write_sort_order_set(&mut w, &s);
        write_property_name(&mut w, Some(&n));
        write_property_name(&mut w, None);
        let bytes = w.into_vec();
        let mut r = Reader::new(&bytes);
        prop_assert_eq!(read_sort_order_set(&mut r).unwrap(), s);
        prop_assert_eq!(read_property_name(&mut r).unwrap(), n);
        prop_assert_eq!(read_property_name_or_none(&mut r).unwrap(), None);
        prop_assert!(r.is_empty());
    }

    #[test]
    fn problems_round_trip(p in proptest::collection::vec((any::<u16>(), any::<u32>(), any::<u32>()), 0..6)) {
        let p: Vec<PropertyProblem> = p.into_iter().map(|(i, t, e)| PropertyProblem {
            index: i, tag: PropTag(t), error: oxmapi_core::ErrorCode(e) }).collect();
        let mut w = Writer::new();
        write_problems(&mut w, &p);
        let bytes = w.into_vec();
        prop_assert_eq!(read_problems(&mut Reader::new(&bytes)).unwrap(), p);
    }

    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), ty in any::<u16>()) {
        for form in FORMS {
            let _ = read_restriction(&mut Reader::new(&bytes), form);
            let _ = read_tagged_value(&mut Reader::new(&bytes), form);
            let _ = read_typed_value(&mut Reader::new(&bytes), form);
            if let Ok(t) = oxmapi_core::PropType::try_from(ty) {
                let _ = read_value(&mut Reader::new(&bytes), t, form);
            }
            let cols = [PropTag(0x0037001F), PropTag(0x0E080003), PropTag(0x00000000), PropTag(0x0FFF0102)];
            let _ = read_row(&mut Reader::new(&bytes), &cols, form);
        }
        let _ = read_sort_order_set(&mut Reader::new(&bytes));
        let _ = read_property_name_or_none(&mut Reader::new(&bytes));
        let _ = read_problems(&mut Reader::new(&bytes));
    }

    #[test]
    fn truncated_encodings_fail_cleanly(x in strategies::restriction(), cut in 0usize..64) {
        let mut w = Writer::new();
        write_restriction(&mut w, &x, Form::Rop);
        let bytes = w.into_vec();
        if cut < bytes.len() {
            prop_assert!(read_restriction(&mut Reader::new(&bytes[..cut]), Form::Rop).is_err());
        }
    }
}

#[test]
fn binary_count_width_differs_by_form() {
    let v = oxmapi_core::PropValue::Binary(vec![0xAA, 0xBB]);
    let mut rop = Writer::new();
    write_value(&mut rop, &v, Form::Rop);
    assert_eq!(rop.as_slice(), &[2, 0, 0xAA, 0xBB]);
    let mut nspi = Writer::new();
    write_value(&mut nspi, &v, Form::Nspi);
    assert_eq!(nspi.as_slice(), &[2, 0, 0, 0, 0xAA, 0xBB]);
}

#[test]
fn nspi_row_has_value_bytes() {
    let cols = [PropTag(0x3001001F), PropTag(0x39000003)];
    let row = PropertyRow::new(vec![
        RowValue::Value(oxmapi_core::PropValue::Unicode("A".into())),
        RowValue::Value(oxmapi_core::PropValue::I32(0)),
    ]);
    let mut w = Writer::new();
    write_row(&mut w, &row, &cols, Form::Nspi);
    assert_eq!(w.as_slice(), &[0x00, 0xFF, 0x41, 0x00, 0x00, 0x00, 0, 0, 0, 0]);
}

#[test]
fn deep_nesting_is_refused() {
    let mut bytes = vec![0x02u8; 10_000]; // NotRestriction × 10000
    bytes.extend_from_slice(&[0x08, 0, 0, 0, 0]);
    assert!(read_restriction(&mut Reader::new(&bytes), Form::Rop).is_err());
}

#[test]
fn nesting_through_restriction_values_is_bounded() {
    // Fuzz finding: CommentRestriction → TaggedValue of type PtypRestriction → CommentRestriction
    // → … used to restart the depth count at every value and overflow the stack.
    let one = [0x0A, 0x01, 0xFD, 0x00, 0x00, 0x00]; // Comment, 1 value, tag 0x000000FD
    let mut bytes = Vec::new();
    for _ in 0..100_000 {
        bytes.extend_from_slice(&one);
    }
    assert!(read_restriction(&mut Reader::new(&bytes), Form::Rop).is_err());
    // The bound is released afterwards: a normal restriction still decodes.
    assert!(read_restriction(&mut Reader::new(&[0x08, 0, 0, 0, 0]), Form::Rop).is_ok());
}

#[test]
fn hostile_counts_do_not_allocate() {
    // PtypMultipleBinary claiming 0xFFFFFFFF elements in 4 bytes of input.
    let bytes = [0xFF, 0xFF, 0xFF, 0xFF];
    assert!(read_value(&mut Reader::new(&bytes), oxmapi_core::PropType::MultipleBinary, Form::Rop).is_err());
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect()
}

/// A GetMatches name filter in NSPI bodies, both forms (protocol-facts §7.x; no Microsoft
/// reference settles it): the plain MS-OXCDATA 2.12.5 PropertyRestriction
/// `04 relop tag tag value` that oxmapi sends, and gromox's `04 04 tag ff tag ff value`
/// (lib/mapi/ext_buffer.cpp `ext_buffer_pull_restriction_property` reads a HasValue byte before
/// the TaggedValue in EXT_FLAG_ABK mode, whose string value carries its own). The same for a
/// ContentRestriction (`ext_buffer_pull_restriction_content`, "modeled upon
/// restriction_property"). The encoder keeps the plain form.
#[test]
fn nspi_property_restriction_with_and_without_has_value_bytes() {
    use oxmapi_core::restriction::{RelOp, Restriction};
    use oxmapi_core::value::{PropValue, TaggedValue};
    let anr = PropTag(0x360C_001F);
    let tag = anr.0.to_le_bytes();
    let value = TaggedValue { tag: anr, value: PropValue::Unicode("bob".into()) };
    let want = Restriction::Property { relop: RelOp::Eq, prop_tag: anr, value: value.clone() };
    let mut plain = vec![0x04, 0x04];
    plain.extend(tag);
    plain.extend(tag);
    plain.extend(utf16z("bob"));
    let mut gromox = vec![0x04, 0x04];
    gromox.extend(tag);
    gromox.push(0xFF);
    gromox.extend(tag);
    gromox.push(0xFF);
    gromox.extend(utf16z("bob"));
    for bytes in [&plain, &gromox] {
        let mut r = Reader::new(bytes);
        assert_eq!(read_restriction(&mut r, Form::Nspi).unwrap(), want);
        assert!(r.is_empty());
    }
    let mut w = Writer::new();
    write_restriction(&mut w, &want, Form::Nspi);
    assert_eq!(w.as_slice(), plain.as_slice());
    // In ROP buffers the 0xFF form does not exist.
    assert!(read_restriction(&mut Reader::new(&gromox), Form::Rop).is_err());

    // ContentRestriction: 03, FuzzyLevelLow u16, FuzzyLevelHigh u16, tag, value.
    let want = Restriction::Content { fuzzy_level_low: 1, fuzzy_level_high: 0, prop_tag: anr, value };
    let mut plain = vec![0x03, 0x01, 0x00, 0x00, 0x00];
    plain.extend(tag);
    let mut gromox = plain.clone();
    plain.extend(tag);
    plain.extend(utf16z("bob"));
    gromox.push(0xFF);
    gromox.extend(tag);
    gromox.push(0xFF);
    gromox.extend(utf16z("bob"));
    for bytes in [&plain, &gromox] {
        let mut r = Reader::new(bytes);
        assert_eq!(read_restriction(&mut r, Form::Nspi).unwrap(), want);
        assert!(r.is_empty());
    }
    // A PtypInteger32 value has no inner HasValue: `04 04 tag ff tag value`.
    let dt = PropTag(0x3900_0003);
    let mut gromox = vec![0x04, 0x04];
    gromox.extend(dt.0.to_le_bytes());
    gromox.push(0xFF);
    gromox.extend(dt.0.to_le_bytes());
    gromox.extend(0i32.to_le_bytes());
    let got = read_restriction(&mut Reader::new(&gromox), Form::Nspi).unwrap();
    assert_eq!(
        got,
        Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: dt,
            value: TaggedValue { tag: dt, value: PropValue::I32(0) }
        }
    );
}
