//! Whole small files: the input is a PST/OST (seed with the test PSTs); its header CRCs are
//! fixed, then it is opened and walked completely, every message opened — pages, both
//! B-trees, data and subnode trees, HN, BTH, PC and TC. Nothing may panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_pst::pst::header::fix_header_crcs;
use oxmapi_pst::pst::PstFile;

fuzz_target!(|data: &[u8]| {
    let mut file = data.to_vec();
    fix_header_crcs(&mut file);
    if let Ok(pst) = PstFile::from_bytes(file) {
        let _ = pst.walk(true);
    }
});
