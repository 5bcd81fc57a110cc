//! The parallel writers of `oxmapi import --jobs N`: each logs on with a session of its own
//! and writes the messages it is handed into folders it opens by id; the import's first
//! session keeps creating folders and checking resume keys, so writers never race on them.

use std::collections::HashMap;
use std::sync::mpsc;

use oxmapi_client::MsgStore;
use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::Folder;
use oxmapi_core::MapiError;
use oxmapi_core::ids::ObjectId;
use oxmapi_pst::item::Message as FileMessage;

use crate::mailbox::Mailbox;

/// A store opened for one more writer (its own session), open while the writer runs.
pub trait WriterStore {
    /// The store.
    fn store(&self) -> &MsgStore;
}

impl WriterStore for Mailbox {
    fn store(&self) -> &MsgStore {
        &self.store
    }
}

/// Opens the store for one more writer.
pub type OpenWriter<'a> = dyn Fn() -> Result<Box<dyn WriterStore>, MapiError> + Sync + 'a;

/// One message handed to a writer.
pub(super) struct Work {
    pub(super) fid: ObjectId,
    pub(super) message: FileMessage,
    pub(super) source: String,
    pub(super) item: String,
    pub(super) bytes: u64,
}

/// What a writer did.
#[derive(Default)]
pub(super) struct Written {
    pub(super) imported: u64,
    pub(super) bytes: u64,
    pub(super) errors: Vec<(String, String, String)>,
}

/// A writer on its own session: takes work while there is some.
pub(super) fn writer(
    open_writer: &OpenWriter<'_>,
    work: &std::sync::Mutex<mpsc::Receiver<Work>>,
) -> Result<Written, MapiError> {
    let held = open_writer()?;
    let store = held.store();
    let mut io = ItemIo::new(store);
    let mut folders: HashMap<ObjectId, Folder> = HashMap::new();
    let mut out = Written::default();
    loop {
        let next = match work.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(w) = next else { break };
        let result = match folders.entry(w.fid) {
            std::collections::hash_map::Entry::Occupied(f) => Ok(f.into_mut()),
            std::collections::hash_map::Entry::Vacant(v) => store.open_folder(w.fid).map(|f| v.insert(f)),
        }
        .and_then(|f| io.write(f, &w.message));
        match result {
            Ok(_) => {
                out.imported += 1;
                out.bytes += w.bytes;
            }
            Err(e) => out.errors.push((w.source, w.item, e.to_string())),
        }
    }
    Ok(out)
}
