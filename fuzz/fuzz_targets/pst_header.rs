//! The PST header ([MS-PST] 2.2.2.6) and property values of every type: as given, and with
//! the header CRCs fixed so the parser's later checks are reached.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::pst::header::{fix_header_crcs, Header};
use oxmapi_pst::pst::value;

fuzz_target!(|data: &[u8]| {
    let _ = Header::parse(data);
    let mut fixed = data.to_vec();
    if fixed.len() >= 4 {
        fixed[..4].copy_from_slice(b"!BDN");
    }
    fix_header_crcs(&mut fixed);
    let _ = Header::parse(&fixed);
    if let [a, b, rest @ ..] = data {
        let _ = value::decode(u16::from_le_bytes([*a, *b]), rest);
    }
});
