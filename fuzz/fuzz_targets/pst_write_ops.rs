//! The writer against a model: the input is a sequence of operations (create a folder, add a
//! message with a subject, a body and an attachment of a size the input picks, delete a
//! message, delete a folder, commit, reopen the file), applied to a new PST and to an
//! in-memory model. After the sequence the reader must find exactly the model's folders and
//! messages with their bytes: what the writer writes, its own reader and every later writer
//! session read back.
#![no_main]
use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_BODY, PR_DISPLAY_NAME, PR_SUBJECT};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Attachment, Message};
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::PstFile;

/// Folder name → (message nid → subject, attachment length).
type Model = BTreeMap<String, (u32, BTreeMap<u32, (String, usize)>)>;

fuzz_target!(|data: &[u8]| {
    let dir = if std::path::Path::new("/dev/shm").exists() { "/dev/shm" } else { "/tmp" };
    let Ok(tmp) = tempfile::tempdir_in(dir) else { return };
    let path = tmp.path().join("ops.pst");
    let mut w = PstWriter::create(&path, CryptMethod::Permute, "Ops").unwrap();
    let mut model: Model = BTreeMap::new();
    let mut next = 0u32;
    for op in data.chunks_exact(3).take(64) {
        let pick = op[1] as usize % model.len().max(1);
        match op[0] % 6 {
            0 if model.len() < 12 => {
                next += 1;
                let name = format!("F{next}");
                let props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.clone()));
                let nid = w.create_folder(w.ipm_subtree(), &props).unwrap();
                model.insert(name, (nid, BTreeMap::new()));
            }
            1 => {
                let Some((_, (fnid, msgs))) = model.iter_mut().nth(pick) else { continue };
                next += 1;
                let len = (op[2] as usize) * 97;
                let mut m = Message::default();
                m.item.props.set(PR_SUBJECT, PropValue::Unicode(format!("m{next}")));
                m.item.props.set(PR_BODY, PropValue::Unicode("b".repeat(op[2] as usize * 13)));
                let mut a = Attachment::default();
                a.props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(vec![op[2]; len]));
                m.item.attachments.push(a);
                let nid = w.add_message(*fnid, &m, false).unwrap();
                msgs.insert(nid, (format!("m{next}"), len));
            }
            2 => {
                let Some((_, (_, msgs))) = model.iter_mut().nth(pick) else { continue };
                let Some(nid) = msgs.keys().nth(op[2] as usize % msgs.len().max(1)).copied() else { continue };
                w.delete_message(nid).unwrap();
                msgs.remove(&nid);
            }
            3 => {
                let Some(name) = model.keys().nth(pick).cloned() else { continue };
                let (nid, _) = model.remove(&name).unwrap();
                w.delete_folder(nid).unwrap();
            }
            4 => w.commit().unwrap(),
            _ => {
                w.commit().unwrap();
                drop(w);
                w = PstWriter::open(&path).unwrap();
            }
        }
    }
    w.commit().unwrap();
    drop(w);
    let f = PstFile::open(&path).unwrap();
    let (folders, skipped) = f.folders();
    assert!(skipped.iter().all(|s| !s.damaged), "{skipped:?}");
    for (name, (nid, msgs)) in &model {
        let folder = folders.iter().find(|x| x.nid == *nid).unwrap_or_else(|| panic!("folder {name} lost"));
        assert_eq!(&folder.name, name);
        let rows = f.contents(*nid).unwrap();
        assert_eq!(rows.len(), msgs.len(), "messages of {name}");
        for r in rows {
            let (subject, len) = &msgs[&r.id];
            let m = f.message(r.id).unwrap();
            assert_eq!(m.item.props.get(PR_SUBJECT), Some(&PropValue::Unicode(subject.clone())));
            match m.item.attachments[0].props.get(PR_ATTACH_DATA_BIN) {
                Some(PropValue::Binary(b)) => assert_eq!(b.len(), *len),
                other => panic!("{other:?}"),
            }
        }
    }
    let user_folders = folders.iter().filter(|x| x.name.starts_with('F')).count();
    assert_eq!(user_folders, model.len());
});
