//! Prints the `outlook-pst` crate's (Microsoft's Rust reader, pinned =1.2.0) inventory of a PST
//! as one JSON document of the shape `pst_inventory` prints, for `scripts/pst-peers`.
//! Built only with the feature `peer-outlook-pst` (off by default):
//! `cargo run -p oxmapi-pst --features peer-outlook-pst --example outlook_pst_inventory -- FILE`
//!
//! The walk: the root folder (NID 0x122) and its hierarchy tables down (search folders, NID
//! type 0x03, counted in `search_folders` and not opened), every row of every contents table
//! opened as a message. Values: PR_SUBJECT (its U+0001 prefix marker removed, as the other
//! readers do), PR_MESSAGE_CLASS, PR_SENDER_EMAIL_ADDRESS, PR_BODY, each recipient row's
//! PR_EMAIL_ADDRESS, each attachment's PR_ATTACH_DATA_BIN hashed. The crate gives no code
//! page: 8-bit strings (ANSI files) are decoded as Windows-1252.
//!
//! Attachments whose data is an object (PR_ATTACH_DATA_OBJ, PtypObject: PR_ATTACH_METHOD 5, an
//! embedded message, or 6, an OLE object, in the attachment table row) are listed from the
//! table, not opened: outlook-pst 1.2.0 cannot read a property context that holds a PtypObject
//! value. Its `PropertyType::try_from(u16)` has no arm for 0x000D (the enum has
//! `Object = 0x000D`), and its BTH leaf walk (`HeapTreeInner::entries`) reads records
//! `while let Ok(..)`, so the object's record silently ends the walk: every property sorted
//! after 0x3701 (PR_ATTACH_METHOD 0x3705, the file names, the rendering position) is lost and
//! `Attachment::read` fails with "Missing PidTagAttachMethod on message", on Outlook's files
//! as on ours (the property is in the attachment's PC). Splitting the PC's BTH so the object
//! record ends a leaf gets past it, but readpst and pst-extractor do not read a PC BTH with
//! index levels, so the writer keeps the single leaf Outlook writes. Embedded messages are
//! listed as "embedded" (and even where the object were readable, `read_embedded` is called
//! while outlook-pst holds its own non-reentrant file lock and never returns:
//! microsoft/outlook-pst-rs pull request #65); OLE objects as `{"ole": true, "unread": true}`,
//! which `scripts/pst-peers` compares as "ole", as it does pst-extractor's.

use std::process::ExitCode;
use std::rc::Rc;

use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::TableContext;
use outlook_pst::messaging::attachment::{AnsiAttachment, Attachment, AttachmentData, UnicodeAttachment};
use outlook_pst::messaging::message::{AnsiMessage, Message, UnicodeMessage};
use outlook_pst::messaging::store::{AnsiStore, Store, UnicodeStore};
use outlook_pst::ndb::node_id::NodeId;
use outlook_pst::{AnsiPstFile, UnicodePstFile};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// NID_ROOT_FOLDER ([MS-PST] 2.4.4).
const ROOT_FOLDER: u32 = 0x122;
/// NID_TYPE_SEARCH_FOLDER ([MS-PST] 2.2.2.1).
const NID_TYPE_SEARCH_FOLDER: u32 = 0x03;
/// The deepest folder tree walked.
const MAX_DEPTH: usize = 64;
const PR_SUBJECT: u16 = 0x0037;
const PR_MESSAGE_CLASS: u16 = 0x001A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_BODY: u16 = 0x1000;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_METHOD: u16 = 0x3705;
/// PR_ATTACH_METHOD of an embedded message and of an OLE object attachment ([MS-OXCMSG] 2.2.2.9).
const ATTACH_EMBEDDED_MSG: i32 = 5;
const ATTACH_OLE: i32 = 6;

fn string(v: Option<&PropertyValue>) -> Value {
    match v {
        Some(PropertyValue::Unicode(s)) => Value::String(String::from_utf16_lossy(s.buffer())),
        Some(PropertyValue::String8(s)) => {
            let bytes = s.buffer();
            let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
            Value::String(encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned())
        }
        _ => Value::Null,
    }
}

fn subject(v: Option<&PropertyValue>) -> Value {
    match string(v) {
        Value::String(s) if s.starts_with('\u{1}') => Value::String(s.chars().skip(2).collect()),
        other => other,
    }
}

fn hex_sha256(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of column `prop_id` of one table row.
fn cell(
    t: &dyn TableContext,
    row: &outlook_pst::ltp::table_context::TableRowData,
    prop_id: u16,
) -> Option<PropertyValue> {
    let columns = t.context().columns().to_vec();
    let values = row.columns(t.context()).ok()?;
    columns
        .iter()
        .zip(values)
        .find(|(c, _)| c.prop_id() == prop_id)
        .and_then(|(c, v)| v.and_then(|v| t.read_column(&v, c.prop_type()).ok()))
}

/// Each row of an attachment table: the attachment's sub-node id, its name and PR_ATTACH_METHOD
/// as the row carries them ([MS-PST] 2.4.6.1).
fn attachment_rows(t: &dyn TableContext) -> Vec<(u32, Value, Option<i32>)> {
    t.rows_matrix()
        .map(|row| {
            let mut name = string(cell(t, row, PR_ATTACH_LONG_FILENAME).as_ref());
            if name.is_null() {
                name = string(cell(t, row, PR_ATTACH_FILENAME).as_ref());
            }
            if name.is_null() {
                name = string(cell(t, row, PR_DISPLAY_NAME).as_ref());
            }
            let method = match cell(t, row, PR_ATTACH_METHOD) {
                Some(PropertyValue::Integer32(m)) => Some(m),
                _ => None,
            };
            (u32::from(row.id()), name, method)
        })
        .collect()
}

/// PR_EMAIL_ADDRESS of every row of a recipient table.
fn recipients(t: &dyn TableContext) -> Vec<Value> {
    let columns = t.context().columns().to_vec();
    let mut out = Vec::new();
    for row in t.rows_matrix() {
        let Ok(values) = row.columns(t.context()) else {
            out.push(Value::Null);
            continue;
        };
        let mut address = Value::Null;
        for (col, value) in columns.iter().zip(values) {
            if col.prop_id() != PR_EMAIL_ADDRESS {
                continue;
            }
            if let Some(value) = value {
                if let Ok(v) = t.read_column(&value, col.prop_type()) {
                    address = string(Some(&v));
                }
            }
        }
        out.push(address);
    }
    out
}

fn message_json(m: &dyn Message, folder: &[String], attachments: Vec<Value>) -> Value {
    let p = m.properties();
    json!({
        "folder": folder,
        "class": string(p.get(PR_MESSAGE_CLASS)),
        "subject": subject(p.get(PR_SUBJECT)),
        "sender": string(p.get(PR_SENDER_EMAIL_ADDRESS)),
        "recipients": m.recipient_table().map(|t| recipients(t.as_ref())).unwrap_or_default(),
        "body": string(p.get(PR_BODY)),
        "attachments": attachments,
    })
}

/// One walker per file format (the crate's Unicode and ANSI types are distinct).
macro_rules! walker {
    ($name:ident, $file:ty, $store:ty, $message:ty, $attachment:ty) => {
        fn $name(pst: $file) -> Result<Value, String> {
            let store = <$store>::read(Rc::new(pst)).map_err(|e| e.to_string())?;
            let (mut folders, mut items, mut errors, mut search_folders) = (vec![], vec![], vec![], 0);
            // (folder, its parent's path); the root's own path is empty.
            let mut stack: Vec<(u32, Option<Vec<String>>)> = vec![(ROOT_FOLDER, None)];
            while let Some((nid, parent_path)) = stack.pop() {
                if parent_path.as_ref().is_some_and(|p| p.len() >= MAX_DEPTH) {
                    errors.push(format!("{nid:#x}: deeper than {MAX_DEPTH}"));
                    continue;
                }
                let entry = store.properties().make_entry_id(NodeId::from(nid)).map_err(|e| e.to_string())?;
                let folder = match store.open_folder(&entry) {
                    Ok(f) => f,
                    Err(e) => {
                        errors.push(format!("folder {nid:#x}: {e}"));
                        continue;
                    }
                };
                let path = match parent_path {
                    None => vec![],
                    Some(mut p) => {
                        p.push(folder.properties().display_name().unwrap_or_default());
                        p
                    }
                };
                if let Some(h) = folder.hierarchy_table() {
                    let children: Vec<u32> = h.rows_matrix().map(|r| u32::from(r.id())).collect();
                    for child in children.into_iter().rev() {
                        if child & 0x1f == NID_TYPE_SEARCH_FOLDER {
                            search_folders += 1;
                        } else {
                            stack.push((child, Some(path.clone())));
                        }
                    }
                }
                let rows: Vec<u32> = folder
                    .contents_table()
                    .map(|c| c.rows_matrix().map(|r| u32::from(r.id())).collect())
                    .unwrap_or_default();
                folders.push(json!({"path": path, "items": rows.len()}));
                for id in rows {
                    let eid = store.properties().make_entry_id(NodeId::from(id));
                    let message = match eid.and_then(|eid| <$message>::read(store.clone(), &eid, None)) {
                        Ok(m) => m,
                        Err(e) => {
                            errors.push(format!("message {id:#x}: {e}"));
                            continue;
                        }
                    };
                    let mut attachments = Vec::new();
                    let rows: Vec<(u32, Value, Option<i32>)> =
                        message.attachment_table().map(|t| attachment_rows(t.as_ref())).unwrap_or_default();
                    for (a, row_name, method) in rows {
                        if method == Some(ATTACH_EMBEDDED_MSG) {
                            // Not opened: see the module doc (outlook-pst 1.2.0 fails or deadlocks).
                            attachments.push(json!({"name": row_name, "embedded": null}));
                            continue;
                        }
                        if method == Some(ATTACH_OLE) {
                            // Not opened: its PC's PtypObject record is beyond outlook-pst 1.2.0.
                            attachments.push(json!({"name": row_name, "ole": true, "unread": true}));
                            continue;
                        }
                        let a = match <$attachment>::read(message.clone(), NodeId::from(a), None) {
                            Ok(a) => a,
                            Err(e) => {
                                errors.push(format!("message {id:#x} attachment {a:#x}: {e}"));
                                continue;
                            }
                        };
                        let p = a.properties();
                        let mut name = string(p.get(PR_ATTACH_LONG_FILENAME));
                        if name.is_null() {
                            name = string(p.get(PR_ATTACH_FILENAME));
                        }
                        if name.is_null() {
                            name = string(p.get(PR_DISPLAY_NAME));
                        }
                        attachments.push(match a.data() {
                            Some(AttachmentData::Binary(b)) => {
                                let ole = matches!(p.get(PR_ATTACH_METHOD), Some(PropertyValue::Integer32(ATTACH_OLE)));
                                json!({"name": name, "sha256": hex_sha256(b.buffer()), "ole": ole})
                            }
                            Some(AttachmentData::Message(m)) => {
                                json!({"name": name, "embedded": message_json(m.as_ref(), &[], vec![])})
                            }
                            None => json!({"name": name, "sha256": hex_sha256(&[])}),
                        });
                    }
                    items.push(message_json(message.as_ref(), &path, attachments));
                }
            }
            Ok(json!({
                "reader": "outlook-pst",
                "folders": folders,
                "search_folders": search_folders,
                "items": items,
                "errors": errors,
            }))
        }
    };
}

walker!(walk_unicode, UnicodePstFile, UnicodeStore, UnicodeMessage, UnicodeAttachment);
walker!(walk_ansi, AnsiPstFile, AnsiStore, AnsiMessage, AnsiAttachment);

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: outlook_pst_inventory FILE");
        return ExitCode::from(2);
    };
    let doc = match UnicodePstFile::open(&path) {
        Ok(f) => walk_unicode(f),
        Err(_) => AnsiPstFile::open(&path).map_err(|e| e.to_string()).and_then(walk_ansi),
    };
    let doc = doc.unwrap_or_else(|e| json!({"reader": "outlook-pst", "fatal": e}));
    println!("{doc}");
    ExitCode::SUCCESS
}
