//! The PST writer's own read-back paths: a file oxmapi wrote (a folder, messages with
//! recipients and attachments, one of them deleted) with bytes changed past the header at the
//! offsets the input names (4-byte offset, 1-byte value, repeated) and the header CRCs fixed, is
//! opened FOR WRITING (header, allocation map, both B-trees, the folder's tables and the
//! name-to-id map read back), a message is added and committed, and the result is opened by
//! the reader. Nothing may panic; a damaged file is an error.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_SUBJECT};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Message};
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::header::fix_header_crcs;
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::PstFile;

fn message(i: usize) -> Message {
    let mut m = Message::default();
    m.item.props.set(PR_SUBJECT, PropValue::Unicode(format!("fuzz {i}")));
    let mut r = oxmapi_core::bag::PropBag::new();
    r.set(PR_EMAIL_ADDRESS, PropValue::Unicode(format!("r{i}@example.test")));
    m.item.recipients.push(r);
    let mut a = Attachment::default();
    a.props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(vec![i as u8; 5000 * i]));
    m.item.attachments.push(a);
    m
}

/// The file every input patches: written once by the writer itself.
fn seed() -> &'static [u8] {
    static SEED: OnceLock<Vec<u8>> = OnceLock::new();
    SEED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.pst");
        let mut w = PstWriter::create(&path, CryptMethod::Permute, "Fuzz").unwrap();
        let mut props = oxmapi_core::bag::PropBag::new();
        props.set(PR_DISPLAY_NAME, PropValue::Unicode("Folder".into()));
        let f = w.create_folder(w.ipm_subtree(), &props).unwrap();
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(w.add_message(f, &message(i), false).unwrap());
        }
        w.commit().unwrap();
        w.delete_message(ids[1]).unwrap();
        w.commit().unwrap();
        drop(w);
        std::fs::read(&path).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut file = seed().to_vec();
    for p in data.chunks_exact(5) {
        let at = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize % file.len();
        file[at.max(564)] = p[4];
    }
    fix_header_crcs(&mut file);
    let dir = std::path::Path::new("/dev/shm").exists().then_some("/dev/shm").unwrap_or("/tmp");
    let Ok(tmp) = tempfile::tempdir_in(dir) else { return };
    let path = tmp.path().join("f.pst");
    if std::fs::write(&path, &file).is_err() {
        return;
    }
    if let Ok(mut w) = PstWriter::open(&path) {
        let top = w.ipm_subtree();
        if w.add_message(top, &message(9), false).is_ok() && w.commit().is_ok() {
            drop(w);
            if let Ok(pst) = PstFile::open(&path) {
                let _ = pst.walk(true);
            }
        }
    }
});
