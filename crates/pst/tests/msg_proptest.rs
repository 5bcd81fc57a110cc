//! Message → MSG → Message keeps every property, recipient, attachment, embedded message and
//! name, for any message the generator makes (all MSG-writable property types, named ids).

use std::collections::BTreeMap;

use oxmapi_core::bag::PropBag;
use oxmapi_core::guid::{Guid, PS_MAPI, PS_PUBLIC_STRINGS};
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Item, Message};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    "[^\u{0}]{0,40}"
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..64)
}

fn nonzero_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(1u8..=255, 0..40)
}

fn finite() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("finite", |f| f.is_finite())
}

fn guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid)
}

fn v<S: Strategy>(s: S) -> proptest::collection::VecStrategy<S> {
    proptest::collection::vec(s, 0..4)
}

fn value() -> impl Strategy<Value = PropValue> {
    prop_oneof![
        Just(PropValue::Null),
        any::<i16>().prop_map(PropValue::I16),
        any::<i32>().prop_map(PropValue::I32),
        any::<f32>().prop_filter("finite", |f| f.is_finite()).prop_map(PropValue::F32),
        finite().prop_map(PropValue::F64),
        any::<i64>().prop_map(PropValue::Currency),
        finite().prop_map(PropValue::AppTime),
        any::<u32>().prop_map(PropValue::Error),
        any::<bool>().prop_map(PropValue::Bool),
        any::<i64>().prop_map(PropValue::I64),
        nonzero_bytes().prop_map(PropValue::String8),
        text().prop_map(PropValue::Unicode),
        any::<u64>().prop_map(|t| PropValue::SysTime(FileTime(t))),
        guid().prop_map(PropValue::Guid),
        bytes().prop_map(PropValue::ServerId),
        bytes().prop_map(PropValue::Binary),
        v(any::<i16>()).prop_map(PropValue::MvI16),
        v(any::<i32>()).prop_map(PropValue::MvI32),
        v(any::<f32>().prop_filter("finite", |f| f.is_finite())).prop_map(PropValue::MvF32),
        v(finite()).prop_map(PropValue::MvF64),
        v(finite()).prop_map(PropValue::MvAppTime),
        v(any::<i64>()).prop_map(PropValue::MvCurrency),
        v(any::<i64>()).prop_map(PropValue::MvI64),
        v(nonzero_bytes()).prop_map(PropValue::MvString8),
        v(text()).prop_map(PropValue::MvUnicode),
        v(any::<u64>().prop_map(FileTime)).prop_map(PropValue::MvSysTime),
        v(guid()).prop_map(PropValue::MvGuid),
        v(bytes()).prop_map(PropValue::MvBinary),
    ]
}

/// Property ids: ordinary ones and a few named ones (0x8000–0x8003).
fn bag() -> impl Strategy<Value = PropBag> {
    let id = prop_oneof![0x0001u16..0x3700, 0x3702u16..0x7FFF, 0x8000u16..0x8004];
    proptest::collection::vec((id, value()), 0..12).prop_map(|props| {
        props
            .into_iter()
            .map(|(id, v)| (PropTag::from_parts(id, 0), v))
            .fold(PropBag::new(), |b, (t, v)| b.with(t, v))
    })
}

fn item(depth: u32) -> BoxedStrategy<Item> {
    let attachment = if depth == 0 {
        bag().prop_map(|props| Attachment { props, ..Default::default() }).boxed()
    } else {
        (bag(), proptest::option::of(item(depth - 1)))
            .prop_map(|(props, e)| Attachment { props, embedded: e.map(Box::new), ..Default::default() })
            .boxed()
    };
    (bag(), proptest::collection::vec(bag(), 0..3), proptest::collection::vec(attachment, 0..3))
        .prop_map(|(props, recipients, attachments)| Item { props, recipients, attachments })
        .boxed()
}

fn names() -> impl Strategy<Value = BTreeMap<u16, PropertyName>> {
    let set = prop_oneof![Just(PS_MAPI), Just(PS_PUBLIC_STRINGS), guid()];
    let name = (set, prop_oneof![any::<u32>().prop_map(Err), "[a-zA-Z0-9:-]{1,20}".prop_map(Ok)]).prop_map(
        |(g, n)| match n {
            Err(lid) => PropertyName::id(g, lid),
            Ok(s) => PropertyName::string(g, s),
        },
    );
    proptest::collection::vec(name, 0..4).prop_map(|ns| {
        let mut m = Message::default();
        for n in ns {
            m.id_of(&n);
        }
        m.names
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn message_to_msg_to_message_keeps_everything(item in item(2), names in names()) {
        let m = Message { item, names };
        let bytes = write_msg(&m).unwrap();
        let back = read_msg(&bytes, &ReadOptions { keep_string8: true, ..Default::default() }).unwrap();
        prop_assert_eq!(back, m);
    }
}

#[test]
fn an_ole_attachment_storage_is_kept_as_it_is() {
    use std::io::{Cursor, Read, Write};
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_storage("/ObjectPool").unwrap();
    cf.create_stream("/ObjectPool/\u{1}Ole").unwrap().write_all(b"ole bytes").unwrap();
    cf.create_stream("/CONTENTS").unwrap().write_all(&[7; 5000]).unwrap();
    cf.flush().unwrap();
    let ole = cf.into_inner().into_inner();
    let mut m = Message::default();
    m.item.attachments.push(Attachment {
        props: PropBag::new().with(oxmapi_core::catalogue::tags::PR_ATTACH_METHOD, PropValue::I32(6)),
        storage: Some(ole),
        ..Default::default()
    });
    let back = read_msg(&write_msg(&m).unwrap(), &ReadOptions::default()).unwrap();
    let copy = back.item.attachments[0].storage.clone().expect("the storage is kept");
    let mut cf = cfb::CompoundFile::open(Cursor::new(copy)).unwrap();
    let mut s = Vec::new();
    cf.open_stream("/ObjectPool/\u{1}Ole").unwrap().read_to_end(&mut s).unwrap();
    assert_eq!(s, b"ole bytes");
    s.clear();
    cf.open_stream("/CONTENTS").unwrap().read_to_end(&mut s).unwrap();
    assert_eq!(s, vec![7; 5000]);
}
