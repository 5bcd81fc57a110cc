//! Hostile files: random bytes, and real files with bytes changed past the header (whose
//! CRCs are then fixed so the damage reaches the B-trees, heaps and tables). Nothing may
//! panic, hang or allocate beyond the file; damage is reported.

mod common;

use oxmapi_pst::pst::header::fix_header_crcs;
use oxmapi_pst::pst::{PstFile, value};
use proptest::prelude::*;

fn seed(rel: &str) -> Option<Vec<u8>> {
    std::fs::read(common::file(rel)?).ok()
}

/// Opens and walks a file completely, opening every message.
fn walk_all(bytes: Vec<u8>) {
    if let Ok(pst) = PstFile::from_bytes(bytes) {
        let r = pst.walk(true);
        assert!(r.opened <= r.items + r.associated);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_not_panicked_on(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let mut d = data.clone();
        walk_all(data);
        if d.len() >= 4 {
            d[..4].copy_from_slice(b"!BDN");
        }
        fix_header_crcs(&mut d);
        walk_all(d);
    }

    #[test]
    fn values_of_every_type_decode_or_fail_cleanly(ty in any::<u16>(), data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = value::decode(ty, &data);
    }

    #[test]
    fn a_unicode_file_with_changed_bytes_never_panics(
        patches in proptest::collection::vec((564usize..271_360, any::<u8>()), 1..40)
    ) {
        if let Some(mut f) = seed("ruby-msg/msgInMsg.pst") {
            for (at, b) in patches {
                f[at] = b;
            }
            walk_all(f);
        }
    }

    #[test]
    fn an_ansi_file_with_changed_bytes_never_panics(
        patches in proptest::collection::vec((512usize..271_360, any::<u8>()), 1..40)
    ) {
        if let Some(mut f) = seed("pst_to_eml/contacts97-2002.pst") {
            for (at, b) in patches {
                f[at] = b;
            }
            walk_all(f);
        }
    }
}

#[test]
fn a_truncated_file_is_refused_or_its_damage_reported() {
    let Some(f) = seed("pstsdk/sample1.pst") else { return };
    for len in [0, 100, 600, 5000] {
        assert!(PstFile::from_bytes(f[..len].to_vec()).is_err(), "opened {len} bytes");
    }
    // Past the B-trees the file opens, says it is truncated, and names what it cannot read.
    let pst = PstFile::from_bytes(f[..100_000].to_vec()).unwrap();
    assert!(pst.problems.iter().any(|p| p.contains("truncated")), "{:?}", pst.problems);
    let r = pst.walk(true);
    assert_eq!(r.items, 1);
    assert_eq!(r.opened, 0);
    assert!(r.skipped.iter().any(|s| s.damaged && s.why.contains("past the end")), "{r:?}");
}

#[test]
fn a_damaged_message_is_reported_by_node_id() {
    let Some(mut f) = seed("pstsdk/sample1.pst") else { return };
    let pst = PstFile::from_bytes(f.clone()).unwrap();
    let (folders, _) = pst.folders();
    let nid = folders.iter().flat_map(|x| pst.contents(x.nid).unwrap()).next().unwrap().id;
    // Destroy the heap signature (byte 2) of the message's first data block.
    let good = pst.walk(true);
    assert!(good.skipped.is_empty());
    let entry = pst.node_entry(nid).unwrap();
    let msg_block = pst.block_offset(entry.data).unwrap() as usize;
    f[msg_block + 2] ^= 0xff;
    let pst = PstFile::from_bytes(f).unwrap();
    let r = pst.walk(true);
    assert_eq!(r.items, good.items);
    assert!(r.skipped.iter().any(|s| s.nid == nid && s.damaged), "{:?}", r.skipped);
}
