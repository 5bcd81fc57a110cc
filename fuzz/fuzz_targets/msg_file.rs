//! MSG files ([MS-OXMSG]): any bytes read without a panic and within the read budget; what
//! reads writes, and what is written reads back to the same message.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions { keep_string8: true, ..Default::default() };
    if let Ok(m) = read_msg(data, &opts) {
        let bytes = write_msg(&m).expect("a message read from an MSG file writes");
        let _ = read_msg(&bytes, &opts).expect("a written MSG file reads");
    }
});
