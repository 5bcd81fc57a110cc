//! ROP buffers: framing, every request decoder and every response decoder (with and without
//! row columns); whatever decodes must re-encode to bytes that decode and re-encode identically.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::rop::{self, RequestContext, RopBuffer};

const COLUMNS: [PropTag; 3] = [PropTag(0x0037_001F), PropTag(0x0E08_0003), PropTag(0x0000_0000)];

fuzz_target!(|data: &[u8]| {
    if let Ok(buf) = RopBuffer::decode(data) {
        assert_eq!(RopBuffer::decode(&buf.encode()).unwrap(), buf);
    }
    let mut ctx = RequestContext::default();
    ctx.set_public(1, true);
    if let Ok(reqs) = rop::decode_requests(data, &ctx) {
        // Compare encodings, not values: NaN floats are never equal to themselves.
        let enc = rop::encode_requests(&reqs);
        let again = rop::decode_requests(&enc, &ctx).unwrap();
        assert_eq!(rop::encode_requests(&again), enc);
    }
    let _ = rop::decode_responses(data, |_, _, _| None);
    if let Ok(resps) = rop::decode_responses(data, |_, _, _| Some(COLUMNS.to_vec())) {
        let enc = rop::encode_responses(&resps);
        let again = rop::decode_responses(&enc, |_, _, _| Some(COLUMNS.to_vec())).unwrap();
        assert_eq!(rop::encode_responses(&again), enc);
    }
});
