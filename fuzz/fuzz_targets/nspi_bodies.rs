//! Every NSPI request and response body; the first byte picks the request type.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::mapihttp::nspi::{NSPI_REQUEST_TYPES, NspiRequest, NspiResponseBody};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else { return };
    let t = NSPI_REQUEST_TYPES[sel as usize % NSPI_REQUEST_TYPES.len()];
    if let Ok(q) = NspiRequest::decode(t.as_str(), body) {
        let enc = q.encode();
        assert_eq!(NspiRequest::decode(t.as_str(), &enc).unwrap().encode(), enc);
    }
    if let Ok(r) = NspiResponseBody::decode(t.as_str(), body) {
        let enc = r.encode();
        assert_eq!(NspiResponseBody::decode(t.as_str(), &enc).unwrap().encode(), enc);
    }
});
