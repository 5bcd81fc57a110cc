//! TNEF reading ([MS-OXTNEF]): property lists, legacy attributes, attachments, embedded
//! messages, and no panic or runaway allocation on any input (proptest).

#[path = "support/tnef_build.rs"]
mod tnef_build;

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::tnef::{self, MAX_TNEF_DEPTH, TnefError};
use proptest::prelude::*;
use tnef_build::*;

const IID_IMESSAGE: [u8; 16] = [0x07, 0x03, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46];

fn uni(s: &str) -> PropValue {
    PropValue::Unicode(s.into())
}

#[test]
fn message_properties_attachments_and_names_are_read() {
    let props = Props::default()
        .unicode(PR_SUBJECT.id(), "Hello")
        .int(PR_IMPORTANCE.id(), 2)
        .binary(PR_RTF_COMPRESSED.id(), b"xyz")
        .named_string(PS_PUBLIC_STRINGS.0, "Color", "blue");
    let att = Props::default().unicode(PR_ATTACH_LONG_FILENAME.id(), "r\u{e9}sum\u{e9}.txt");
    let t = Tnef::new()
        .attr(1, ATT_OEM_CODEPAGE, &1252u32.to_le_bytes())
        .attr(1, ATT_SUBJECT, b"legacy\0")
        .attr(1, ATT_MSG_PROPS, &props.bytes())
        .attr(2, ATT_ATTACH_REND_DATA, &[0; 14])
        .attr(2, ATT_ATTACH_TITLE, b"RESUME.TXT\0")
        .attr(2, ATT_ATTACH_DATA, b"file bytes")
        .attr(2, ATT_ATTACHMENT, &att.bytes());
    let m = tnef::read(&t.0).unwrap();
    let p = &m.item.props;
    assert_eq!(p.get(PR_SUBJECT), Some(&uni("Hello")), "MAPI properties override legacy ones");
    assert_eq!(p.get(PR_IMPORTANCE), Some(&PropValue::I32(2)));
    assert_eq!(p.get(PR_RTF_COMPRESSED), Some(&PropValue::Binary(b"xyz".to_vec())));
    let id = m.names.iter().find(|(_, n)| **n == PropertyName::string(PS_PUBLIC_STRINGS, "Color")).unwrap().0;
    assert_eq!(p.get(PropTag::new(*id, PropType::String)), Some(&uni("blue")));
    let a = &m.item.attachments[0].props;
    assert_eq!(a.get(PR_ATTACH_FILENAME), Some(&uni("RESUME.TXT")));
    assert_eq!(a.get(PR_ATTACH_LONG_FILENAME), Some(&uni("résumé.txt")));
    assert_eq!(a.get(PR_ATTACH_DATA_BIN), Some(&PropValue::Binary(b"file bytes".to_vec())));
}

#[test]
fn an_embedded_message_is_a_nested_item() {
    let inner =
        Tnef::new().attr(1, ATT_MSG_PROPS, &Props::default().unicode(PR_SUBJECT.id(), "inner").bytes());
    let att = Props::default().object(PR_ATTACH_DATA_OBJ.id(), IID_IMESSAGE, &inner.0);
    let t = Tnef::new().attr(2, ATT_ATTACH_REND_DATA, &[0; 14]).attr(2, ATT_ATTACHMENT, &att.bytes());
    let m = tnef::read(&t.0).unwrap();
    let a = &m.item.attachments[0];
    assert_eq!(a.props.get(PR_ATTACH_METHOD), Some(&PropValue::I32(5)));
    assert_eq!(a.embedded.as_ref().unwrap().props.get(PR_SUBJECT), Some(&uni("inner")));
}

#[test]
fn embedded_messages_nested_too_deep_are_refused() {
    let mut t = Tnef::new();
    for _ in 0..=MAX_TNEF_DEPTH + 1 {
        let att = Props::default().object(PR_ATTACH_DATA_OBJ.id(), IID_IMESSAGE, &t.0);
        t = Tnef::new().attr(2, ATT_ATTACH_REND_DATA, &[0; 14]).attr(2, ATT_ATTACHMENT, &att.bytes());
    }
    assert_eq!(tnef::read(&t.0), Err(TnefError::TooDeep));
}

#[test]
fn a_count_of_four_billion_values_does_not_allocate_them() {
    // attMsgProps claiming u32::MAX properties, with none there.
    let t = Tnef::new().attr(1, ATT_MSG_PROPS, &u32::MAX.to_le_bytes());
    assert_eq!(tnef::read(&t.0), Err(TnefError::Truncated));
    // An attribute whose length runs past the end.
    let mut t = Tnef::new().attr(1, ATT_SUBJECT, b"x").0;
    t[11..15].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(tnef::read(&t), Err(TnefError::Truncated));
    assert_eq!(tnef::read(b"not tnef"), Err(TnefError::BadSignature));
}

proptest! {
    #[test]
    fn any_bytes_read_without_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = tnef::read(&data);
    }

    #[test]
    fn any_attributes_after_the_signature_read_without_panic(
        attrs in proptest::collection::vec((1u8..3, any::<u32>(), proptest::collection::vec(any::<u8>(), 0..64)), 0..8)
    ) {
        let mut t = Tnef::new();
        for (level, id, data) in &attrs {
            // Half the time aim at the attributes that carry property lists.
            let id = if id % 2 == 0 { [ATT_MSG_PROPS, ATT_ATTACHMENT, ATT_ATTACH_REND_DATA][(*id as usize / 2) % 3] } else { *id };
            t = t.attr(*level, id, data);
        }
        let _ = tnef::read(&t.0);
    }

    #[test]
    fn string_and_integer_properties_round_trip(s in "\\PC{0,40}", n in any::<i32>()) {
        let props = Props::default().unicode(PR_SUBJECT.id(), &s).int(PR_IMPORTANCE.id(), n);
        let t = Tnef::new().attr(1, ATT_MSG_PROPS, &props.bytes());
        let m = tnef::read(&t.0).unwrap();
        prop_assert_eq!(m.item.props.get(PR_SUBJECT), Some(&uni(s.trim_end_matches('\0'))));
        prop_assert_eq!(m.item.props.get(PR_IMPORTANCE), Some(&PropValue::I32(n)));
    }
}
