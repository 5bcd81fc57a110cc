//! Entry IDs, property values of every type, rows, notification data and change-log rows.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_core::PropTag;
use oxmapi_core::codec::Reader;
use oxmapi_core::entryid::EntryId;
use oxmapi_wire::cdata::{self, Form};
use oxmapi_store::mailbox::change_log;
use oxmapi_wire::rop::oxcnotif::NotificationData;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = EntryId::parse(data) {
        assert_eq!(EntryId::parse(&e.to_bytes()).unwrap(), e);
    }
    let _ = NotificationData::decode(&mut Reader::new(data));
    if let Ok(events) = change_log::decode(data) {
        assert_eq!(change_log::decode(&change_log::encode(&events)).unwrap(), events);
    }
    for form in [Form::Rop, Form::Nspi] {
        let _ = cdata::read_typed_value(&mut Reader::new(data), form);
        let _ = cdata::read_tagged_value(&mut Reader::new(data), form);
        let cols = [PropTag(0x3001_001F), PropTag(0x0FFF_0102), PropTag(0x0000_0000), PropTag(0x8001_101F)];
        let _ = cdata::read_row(&mut Reader::new(data), &cols, form);
    }
});
