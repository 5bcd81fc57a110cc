//! Every SmartView kind on the input, and the property views on it as a binary value of the
//! properties that have a structure.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_core::{PropTag, PropValue};
use oxmapi_wire::smartview;

fuzz_target!(|data: &[u8]| {
    for (kind, _) in smartview::KINDS {
        let _ = smartview::parse(kind, data);
    }
    let value = PropValue::Binary(data.to_vec());
    for tag in [0x0031_0102u32, 0x0071_0102, 0x0E27_0102, 0x0FFF_0102, 0x65E3_0102, 0x36D9_0102] {
        let _ = smartview::decode_property(PropTag(tag), &value);
    }
});
