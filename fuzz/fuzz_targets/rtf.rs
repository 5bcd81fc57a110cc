//! RTF: PR_RTF_COMPRESSED decompression (MS-OXRTFCP), HTML de-encapsulation (MS-OXRTFEX) and
//! plain text, on any bytes, without a panic; compressing what decompressed round trips.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::rtf;

fuzz_target!(|data: &[u8]| {
    let _ = rtf::text_from_rtf(data);
    let _ = rtf::html_from_rtf(data);
    if let Ok(r) = rtf::decompress(data) {
        let _ = rtf::text_from_rtf(&r);
        let _ = rtf::html_from_rtf(&r);
        if let Some(c) = rtf::compress(&r) {
            assert_eq!(rtf::decompress(&c).unwrap(), r);
        }
    }
});
