//! The same walk with the `outlook-pst` crate (Microsoft, MIT), the Rust peer, in process.
//! Built only with the CLI's `peer-outlook-pst` feature (off by default), so that the shipped
//! binary does not carry a second PST reader: `cargo build --release -p oxmapi --features
//! peer-outlook-pst`.
//!
//! The walk: the root folder (NID 0x122) and its hierarchy tables down, every row of every
//! contents table opened with all its properties, the recipient table's rows read, every
//! attachment opened with all its properties and data (an embedded message's own properties;
//! the crate opens embedded messages only as `dyn Message`, whose attachments it does not
//! open).

use super::walk::Walk;

/// Whether this build has the outlook-pst walk.
pub const BUILT_IN: bool = cfg!(feature = "peer-outlook-pst");

/// Refuses: this build has no outlook-pst.
#[cfg(not(feature = "peer-outlook-pst"))]
pub fn walk(_path: &std::path::Path) -> Result<Walk, String> {
    Err("outlook-pst is not built in (cargo build --features peer-outlook-pst)".into())
}

#[cfg(feature = "peer-outlook-pst")]
pub use imp::walk;

#[cfg(feature = "peer-outlook-pst")]
mod imp {
    use std::path::Path;
    use std::rc::Rc;
    use std::time::Instant;

    use outlook_pst::ltp::prop_context::PropertyValue;
    use outlook_pst::ltp::table_context::TableContext;
    use outlook_pst::messaging::attachment::{AnsiAttachment, Attachment, AttachmentData, UnicodeAttachment};
    use outlook_pst::messaging::message::{AnsiMessage, Message, UnicodeMessage};
    use outlook_pst::messaging::store::{AnsiStore, Store, UnicodeStore};
    use outlook_pst::ndb::node_id::NodeId;
    use outlook_pst::{AnsiPstFile, UnicodePstFile};

    use super::Walk;

    /// NID_ROOT_FOLDER ([MS-PST] 2.4.4).
    const ROOT_FOLDER: u32 = 0x122;
    /// NID type of a search folder: the peers count it, its contents are not read.
    const NID_TYPE_SEARCH_FOLDER: u32 = 0x03;
    /// The deepest folder tree walked.
    const MAX_DEPTH: usize = 64;

    fn value_bytes(v: &PropertyValue) -> u64 {
        match v {
            PropertyValue::Binary(b) => b.buffer().len() as u64,
            PropertyValue::String8(s) => s.buffer().len() as u64,
            PropertyValue::Unicode(s) => 2 * s.buffer().len() as u64,
            PropertyValue::MultipleString8(v) => v.iter().map(|s| s.buffer().len() as u64).sum(),
            PropertyValue::MultipleUnicode(v) => v.iter().map(|s| 2 * s.buffer().len() as u64).sum(),
            PropertyValue::MultipleBinary(v) => v.iter().map(|b| b.buffer().len() as u64).sum(),
            _ => 0,
        }
    }

    /// Reads every column of every row of a table.
    fn table_bytes(t: &dyn TableContext) -> u64 {
        let columns = t.context().columns().to_vec();
        let mut n = 0;
        for row in t.rows_matrix() {
            let Ok(values) = row.columns(t.context()) else { continue };
            for (col, value) in columns.iter().zip(values) {
                if let Some(value) = value {
                    if let Ok(v) = t.read_column(&value, col.prop_type()) {
                        n += value_bytes(&v);
                    }
                }
            }
        }
        n
    }

    /// One generic walker per file format (the crate's Unicode and ANSI types are distinct).
    macro_rules! walker {
        ($name:ident, $file:ty, $store:ty, $message:ty, $attachment:ty) => {
            fn $name(pst: $file, w: &mut Walk) -> Result<(), String> {
                let store = <$store>::read(Rc::new(pst)).map_err(|e| e.to_string())?;
                let mut stack = vec![(ROOT_FOLDER, 0usize)];
                while let Some((nid, depth)) = stack.pop() {
                    if depth > MAX_DEPTH {
                        w.errors += 1;
                        continue;
                    }
                    let entry =
                        store.properties().make_entry_id(NodeId::from(nid)).map_err(|e| e.to_string())?;
                    let folder = match store.open_folder(&entry) {
                        Ok(f) => f,
                        Err(_) => {
                            w.errors += 1;
                            continue;
                        }
                    };
                    if let Some(h) = folder.hierarchy_table() {
                        for row in h.rows_matrix() {
                            let child = u32::from(row.id());
                            w.folders += 1;
                            if child & 0x1f != NID_TYPE_SEARCH_FOLDER {
                                stack.push((child, depth + 1));
                            }
                        }
                    }
                    let Some(contents) = folder.contents_table() else { continue };
                    for row in contents.rows_matrix() {
                        let id = store.properties().make_entry_id(NodeId::from(u32::from(row.id())));
                        let message = match id.and_then(|id| <$message>::read(store.clone(), &id, None)) {
                            Ok(m) => m,
                            Err(_) => {
                                w.errors += 1;
                                continue;
                            }
                        };
                        w.items += 1;
                        w.bytes += message.properties().iter().map(|(_, v)| value_bytes(v)).sum::<u64>();
                        if let Some(r) = message.recipient_table() {
                            w.bytes += table_bytes(r.as_ref());
                        }
                        let Some(attachments) = message.attachment_table() else { continue };
                        let ids: Vec<u32> = attachments.rows_matrix().map(|r| u32::from(r.id())).collect();
                        for a in ids {
                            match <$attachment>::read(message.clone(), NodeId::from(a), None) {
                                Ok(a) => {
                                    w.bytes +=
                                        a.properties().iter().map(|(_, v)| value_bytes(v)).sum::<u64>();
                                    match a.data() {
                                        Some(AttachmentData::Binary(b)) => w.bytes += b.buffer().len() as u64,
                                        Some(AttachmentData::Message(m)) => {
                                            w.bytes += m
                                                .properties()
                                                .iter()
                                                .map(|(_, v)| value_bytes(v))
                                                .sum::<u64>()
                                        }
                                        None => {}
                                    }
                                }
                                Err(_) => w.errors += 1,
                            }
                        }
                    }
                }
                // The root folder itself is not counted; the walk counted its children.
                Ok(())
            }
        };
    }

    walker!(walk_unicode, UnicodePstFile, UnicodeStore, UnicodeMessage, UnicodeAttachment);
    walker!(walk_ansi, AnsiPstFile, AnsiStore, AnsiMessage, AnsiAttachment);

    /// Walks `path` with outlook-pst.
    pub fn walk(path: &Path) -> Result<Walk, String> {
        let start = Instant::now();
        let mut w = Walk::default();
        match UnicodePstFile::open(path) {
            Ok(f) => walk_unicode(f, &mut w)?,
            Err(_) => walk_ansi(AnsiPstFile::open(path).map_err(|e| e.to_string())?, &mut w)?,
        }
        w.elapsed = start.elapsed();
        Ok(w)
    }
}
