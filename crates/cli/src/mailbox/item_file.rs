//! Item files as ITEM (CLI.md: "ITEM may be the path of a .msg or .eml file"): `show`, `props`
//! and `attachment` read an MSG file ([MS-OXMSG], `oxmapi_pst::msg`) or an Internet message
//! ([MS-OXCMAIL], `oxmapi_pst::mime`) directly, without a logon, and print it as they print a
//! mailbox item.

use std::io::Write;
use std::path::Path;

use oxmapi_client::store::{RecipientType, Row};
use oxmapi_core::MapiError;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ADDRTYPE, PR_ATTACH_DATA_BIN, PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_RECIPIENT_TYPE,
};
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::item::Message;
use oxmapi_pst::mime::read_eml;
use oxmapi_pst::msg::{ReadOptions, read_msg_file, write_msg};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::items::{ATTACH_COLUMNS, SHOW_TAGS, message_node, recipient_node};
use super::values::props_node;
use crate::failure::Failure;

/// The largest `.eml` file read as an item (the MSG reader has its own,
/// `oxmapi_pst::msg::limits::MAX_MSG_FILE_BYTES`): past it, MAPI_E_TOO_BIG naming the file.
pub const MAX_EML_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// `item` as the path of an existing `.msg` / `.oft` / `.eml` file, if it is one.
pub fn item_file(item: &str) -> Option<&Path> {
    let path = Path::new(item);
    (is_eml(path) || is_msg(path)).then_some(path).filter(|p| p.is_file())
}

fn extension_is(path: &Path, names: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| names.iter().any(|n| e.eq_ignore_ascii_case(n)))
}

fn is_msg(path: &Path) -> bool {
    extension_is(path, &["msg", "oft"])
}

fn is_eml(path: &Path) -> bool {
    extension_is(path, &["eml"])
}

/// The message in the file at `path`: an MSG file (8-bit strings decoded by the message's own
/// code page, Windows-1252 when it names none) or an Internet message.
fn load(path: &Path) -> Result<Message, Failure> {
    let corrupt = |e: &dyn std::fmt::Display| {
        MapiError::new(codes::MAPI_E_CORRUPT_DATA, format!("{}: {e}", path.display()))
    };
    if !is_eml(path) {
        return read_msg_file(path, &ReadOptions::default()).map_err(|e| corrupt(&e).into());
    }
    let io_err = |e: std::io::Error| Failure::local_file("message file", path, &e);
    let len = std::fs::metadata(path).map_err(io_err)?.len();
    if len > MAX_EML_FILE_BYTES {
        return Err(MapiError::new(
            codes::MAPI_E_TOO_BIG,
            format!(
                "{}: {len} bytes, more than the {MAX_EML_FILE_BYTES} an item file may have",
                path.display()
            ),
        )
        .into());
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    read_eml(&bytes).map_err(|e| corrupt(&e).into())
}

fn cell(bag: &PropBag, tag: oxmapi_core::tag::PropTag) -> RowValue {
    match bag.get(tag) {
        Some(v) => RowValue::Value(v.clone()),
        None => RowValue::NotFound { ty: tag.raw_type() },
    }
}

fn text(bag: &PropBag, tag: oxmapi_core::tag::PropTag) -> Option<&str> {
    match bag.get(tag) {
        Some(PropValue::Unicode(s)) => Some(s),
        _ => None,
    }
}

/// `oxmapi show FILE.msg`.
pub fn show(path: &Path) -> Result<Node, Failure> {
    let m = load(path)?;
    let values: Vec<RowValue> = SHOW_TAGS.iter().map(|t| cell(&m.item.props, *t)).collect();
    let recipients = m
        .item
        .recipients
        .iter()
        .map(|r| {
            let kind = match r.get(PR_RECIPIENT_TYPE) {
                Some(PropValue::I32(k)) => RecipientType::from_code(*k as u8),
                _ => RecipientType::To,
            };
            recipient_node(kind, text(r, PR_DISPLAY_NAME), text(r, PR_EMAIL_ADDRESS), text(r, PR_ADDRTYPE))
        })
        .collect();
    let rows: Vec<Row> = m
        .item
        .attachments
        .iter()
        .map(|a| Row {
            columns: ATTACH_COLUMNS.to_vec(),
            values: ATTACH_COLUMNS.iter().map(|t| cell(&a.props, *t)).collect(),
        })
        .collect();
    Ok(message_node(&values, recipients, &rows))
}

/// `oxmapi props FILE.msg`: every property of the message.
pub fn props(path: &Path) -> Result<Node, Failure> {
    let m = load(path)?;
    let values: Vec<TaggedValue> = m.item.props.iter().cloned().collect();
    Ok(props_node(&values))
}

/// `oxmapi attachment FILE.msg N --out OUT`: attachment N's data (an embedded message as an
/// MSG file, an OLE attachment as its compound file).
pub fn attachment(path: &Path, n: usize, out: &Path) -> Result<Node, Failure> {
    let m = load(path)?;
    let a = n.checked_sub(1).and_then(|i| m.item.attachments.get(i)).ok_or_else(|| {
        MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!(
                "{} has {} attachments; there is no number {n}",
                path.display(),
                m.item.attachments.len()
            ),
        )
    })?;
    let data = if let Some(e) = &a.embedded {
        let inner = Message { item: (**e).clone(), names: m.names.clone() };
        write_msg(&inner).map_err(|e| MapiError::new(codes::MAPI_E_CORRUPT_DATA, e.to_string()))?
    } else if let Some(s) = &a.storage {
        s.clone()
    } else {
        a.props.get(PR_ATTACH_DATA_BIN).and_then(PropValue::as_bytes).map(<[u8]>::to_vec).unwrap_or_default()
    };
    let io_err = |e: std::io::Error| Failure::local_file("output file", out, &e);
    let mut sink: Box<dyn Write> = if out.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(out).map_err(io_err)?)
    };
    sink.write_all(&data).map_err(io_err)?;
    sink.flush().map_err(io_err)?;
    Ok(super::items::saved_node(out, data.len() as u64))
}
