//! Restrictions in the ROP and NSPI forms, and evaluation of whatever decodes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::{PropBag, PropTag, PropValue};
use oxmapi_wire::cdata::{self, Form};

fuzz_target!(|data: &[u8]| {
    let bag = PropBag::new()
        .with(PropTag(0x0037_001F), PropValue::Unicode("Quarterly report".into()))
        .with(PropTag(0x0E08_0003), PropValue::I32(4096));
    for form in [Form::Rop, Form::Nspi] {
        if let Ok(x) = cdata::read_restriction(&mut Reader::new(data), form) {
            let _ = x.evaluate(&bag);
            let mut w = Writer::new();
            cdata::write_restriction(&mut w, &x, form);
            // Compare encodings (NaN values are never equal to themselves).
            let back = cdata::read_restriction(&mut Reader::new(w.as_slice()), form).unwrap();
            let mut w2 = Writer::new();
            cdata::write_restriction(&mut w2, &back, form);
            assert_eq!(w2.as_slice(), w.as_slice());
        }
    }
});
