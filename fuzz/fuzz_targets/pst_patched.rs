//! Structure-aware: a real PST from the shared test data (`OXMAPI_FUZZ_PST`, default
//! `../../shared/testdata/ruby-msg/msgInMsg.pst` from this crate) with bytes changed past the
//! header at the offsets the input names (4-byte offset, 1-byte value, repeated), header CRCs
//! fixed, then walked whole. The changes land in pages, B-trees, heaps, BTHs, PCs and TCs
//! that random files never reach.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oxmapi_pst::pst::header::fix_header_crcs;
use oxmapi_pst::pst::PstFile;

fn seed() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let path = std::env::var("OXMAPI_FUZZ_PST").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/testdata/ruby-msg/msgInMsg.pst").into()
        });
        std::fs::read(path).unwrap_or_default()
    })
}

fuzz_target!(|data: &[u8]| {
    let seed = seed();
    if seed.len() < 1024 {
        return;
    }
    let mut file = seed.to_vec();
    for p in data.chunks_exact(5) {
        let at = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize % file.len();
        file[at.max(564)] = p[4];
    }
    fix_header_crcs(&mut file);
    if let Ok(pst) = PstFile::from_bytes(file) {
        let _ = pst.walk(true);
    }
});
