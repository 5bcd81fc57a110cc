//! Prints oxmapi's inventory of a PST or OST as one JSON document, for `scripts/pst-peers`
//! (which diffs it against the inventories of the independent readers: pypff, readpst,
//! pst-extractor and outlook-pst).
//!
//! Usage: `cargo run -p oxmapi-pst --example pst_inventory -- FILE`
//!
//! The document (the shape every peer adapter of `scripts/pst-peers` prints; the script
//! normalises and compares it):
//! `{"reader","ipm_subtree":[path],"folders":[{"path":[..],"items":N}],"search_folders":N,"items":[{"folder":[..],
//! "class","subject","sender","recipients":[..],"body","attachments":[{"name","sha256","ole"} |
//! {"name","embedded":{item}}]}],"errors":[..]}`.
//! Values are the raw properties: `sender` is PR_SENDER_EMAIL_ADDRESS, each recipient
//! PR_EMAIL_ADDRESS, `body` PR_BODY (null when absent), `subject` PR_SUBJECT with the reader's
//! subject-prefix marker removed; an attachment's hash is over PR_ATTACH_DATA_BIN (an OLE
//! attachment's storage bytes as the reader keeps them).

use std::process::ExitCode;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_BODY, PR_DISPLAY_NAME,
    PR_EMAIL_ADDRESS, PR_IPM_SUBTREE_ENTRYID, PR_MESSAGE_CLASS, PR_SENDER_EMAIL_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Item;
use oxmapi_pst::pst::PstFile;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn text(bag: &PropBag, tag: oxmapi_core::tag::PropTag) -> Value {
    match bag.get(tag) {
        Some(PropValue::Unicode(s)) => Value::String(s.clone()),
        _ => Value::Null,
    }
}

fn hex_sha256(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

fn item_json(item: &Item, folder: &[String]) -> Value {
    let recipients: Vec<Value> = item.recipients.iter().map(|r| text(r, PR_EMAIL_ADDRESS)).collect();
    let attachments: Vec<Value> = item
        .attachments
        .iter()
        .map(|a| {
            let name = match text(&a.props, PR_ATTACH_LONG_FILENAME) {
                Value::Null => text(&a.props, PR_ATTACH_FILENAME),
                n => n,
            };
            let name = match name {
                Value::Null => text(&a.props, PR_DISPLAY_NAME),
                n => n,
            };
            if let Some(e) = &a.embedded {
                return json!({"name": name, "embedded": item_json(e, &[])});
            }
            let data: &[u8] = match (a.props.get(PR_ATTACH_DATA_BIN), &a.storage) {
                (Some(PropValue::Binary(b)), _) => b,
                (_, Some(s)) => s,
                _ => &[],
            };
            // `ole`: an ATTACH_OLE attachment (its storage), which some peers cannot read.
            json!({"name": name, "sha256": hex_sha256(data), "ole": a.storage.is_some()})
        })
        .collect();
    json!({
        "folder": folder,
        "class": text(&item.props, PR_MESSAGE_CLASS),
        "subject": text(&item.props, PR_SUBJECT),
        "sender": text(&item.props, PR_SENDER_EMAIL_ADDRESS),
        "recipients": recipients,
        "body": text(&item.props, PR_BODY),
        "attachments": attachments,
    })
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pst_inventory FILE");
        return ExitCode::from(2);
    };
    let pst = match PstFile::open(&path) {
        Ok(p) => p,
        Err(e) => {
            println!("{}", json!({"reader": "oxmapi", "fatal": e.to_string()}));
            return ExitCode::SUCCESS;
        }
    };
    let (folders, skipped) = pst.folders();
    let mut errors: Vec<String> =
        skipped.iter().filter(|s| s.damaged).map(|s| format!("{:#x}: {}", s.nid, s.why)).collect();
    let search_folders = skipped.iter().filter(|s| !s.damaged).count();
    let mut items = Vec::new();
    for f in &folders {
        let rows = match pst.contents(f.nid) {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("contents of {:?}: {e}", f.path));
                continue;
            }
        };
        for row in rows {
            match pst.message(row.id) {
                Ok(m) => items.push(item_json(&m.item, &f.path)),
                Err(e) => errors.push(e.to_string()),
            }
        }
    }
    // The IPM subtree: its node id is the last 4 bytes of PR_IPM_SUBTREE_ENTRYID ([MS-PST] 2.4.3.1).
    let ipm_nid = match pst.store_props().get(PR_IPM_SUBTREE_ENTRYID) {
        Some(PropValue::Binary(e)) if e.len() >= 24 => Some(u32::from_le_bytes([e[20], e[21], e[22], e[23]])),
        _ => None,
    };
    let ipm_subtree = folders.iter().find(|f| Some(f.nid) == ipm_nid).map(|f| f.path.clone());
    let folders: Vec<Value> = folders.iter().map(|f| json!({"path": f.path, "items": f.items})).collect();
    let doc = json!({
        "reader": "oxmapi",
        "ipm_subtree": ipm_subtree,
        "folders": folders,
        "search_folders": search_folders,
        "items": items,
        "errors": errors,
    });
    println!("{doc}");
    ExitCode::SUCCESS
}
