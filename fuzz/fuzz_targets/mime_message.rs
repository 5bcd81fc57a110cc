//! MIME → Message → MIME (MS-OXCMAIL): any bytes read without a panic, and whatever reads is
//! written back and reads again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::mime::{read_eml, write_eml};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = read_eml(data) {
        let out = write_eml(&m).expect("a message that read writes");
        read_eml(&out).expect("what we wrote reads");
    }
});
