//! TNEF streams (MS-OXTNEF): any bytes read without a panic or an allocation the input does
//! not back.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::tnef;

fuzz_target!(|data: &[u8]| {
    let _ = tnef::read(data);
    // Also behind a valid signature, where the attribute parser is reached at once.
    let mut framed = tnef::TNEF_SIGNATURE.to_le_bytes().to_vec();
    framed.extend_from_slice(&[1, 0]);
    framed.extend_from_slice(data);
    let _ = tnef::read(&framed);
});
