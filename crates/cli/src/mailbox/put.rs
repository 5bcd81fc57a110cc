//! `oxmapi put FOLDER --subject S [--body TEXT] [--to ADDR]… [--cc ADDR]… [--attach FILE]…`:
//! creates a message with recipients and attachments (attachment data streamed from the file)
//! and prints its entry ID.

use std::io::Write;
use std::path::PathBuf;

use oxmapi_client::store::{Message, Recipient, RecipientType, SaveFlags, StreamMode};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags;
use oxmapi_core::error::codes;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::open;
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

use oxmapi_core::consts::attach_method::BY_VALUE as ATTACH_BY_VALUE;
/// PR_MESSAGE_FLAGS MSGFLAG_READ.
const MSGFLAG_READ: i32 = message_flags::MSGFLAG_READ as i32;

/// What `put` creates.
pub struct PutArgs<'a> {
    /// FOLDER.
    pub folder: &'a str,
    /// `--subject`.
    pub subject: &'a str,
    /// `--body`.
    pub body: Option<&'a str>,
    /// `--to`.
    pub to: &'a [String],
    /// `--cc`.
    pub cc: &'a [String],
    /// `--attach`.
    pub attach: &'a [PathBuf],
}

fn tv(tag: oxmapi_core::tag::PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

fn problems(what: &str, p: Vec<oxmapi_wire::cdata::PropertyProblem>) -> Result<(), MapiError> {
    match p.first() {
        Some(p) => Err(MapiError::new(
            p.error,
            format!("{what}: the server refused {}", super::values::column_name(p.tag)),
        )),
        None => Ok(()),
    }
}

/// `oxmapi put`.
pub fn put_cmd(args: &LogonArgs<'_>, put: &PutArgs<'_>) -> Result<Node, Failure> {
    check_files(put.attach)?;
    let mb = open(args, false)?;
    let folder = mb.folder(put.folder)?;
    let mut m = folder.create_message(false)?;
    let now = PropValue::SysTime(FileTime::now());
    let extra = [
        tv(PR_MESSAGE_DELIVERY_TIME, now.clone()),
        tv(PR_CLIENT_SUBMIT_TIME, now),
        tv(PR_MESSAGE_FLAGS, PropValue::I32(MSGFLAG_READ)),
    ];
    let recipients: Vec<Recipient> = put
        .to
        .iter()
        .map(|a| Recipient::smtp(RecipientType::To, a))
        .chain(put.cc.iter().map(|a| Recipient::smtp(RecipientType::Cc, a)))
        .collect();
    let content = Content { subject: put.subject, body: put.body, attach: put.attach };
    fill(&mut m, &content, &extra, &recipients)?;
    let mid = m.save_changes(SaveFlags::KeepOpenReadOnly)?;
    Ok(Node::map([
        ("entry_id", Node::hex(&entry_id(&m)?)),
        ("message_id", Node::str(mid.to_string())),
        ("folder", Node::str(put.folder)),
    ]))
}

/// What a new message carries (`put`, `send`).
pub(super) struct Content<'a> {
    /// PR_SUBJECT.
    pub subject: &'a str,
    /// PR_BODY.
    pub body: Option<&'a str>,
    /// Files to attach.
    pub attach: &'a [PathBuf],
}

/// The message's PR_ENTRYID.
pub(super) fn entry_id(m: &Message) -> Result<Vec<u8>, MapiError> {
    match m.get_props(&[PR_ENTRYID])?.into_iter().next() {
        Some(RowValue::Value(PropValue::Binary(b))) => Ok(b),
        _ => Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "the saved message has no PR_ENTRYID")),
    }
}

/// Sets an IPM.Note's properties (`extra` on top of class, subject and body), recipients and
/// attachments (data streamed from the files); the caller saves or submits.
pub(super) fn fill(
    m: &mut Message,
    c: &Content<'_>,
    extra: &[TaggedValue],
    recipients: &[Recipient],
) -> Result<(), MapiError> {
    let mut props = vec![
        tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        tv(PR_SUBJECT, PropValue::Unicode(c.subject.to_string())),
    ];
    props.extend_from_slice(extra);
    if let Some(b) = c.body {
        props.push(tv(PR_BODY, PropValue::Unicode(b.to_string())));
    }
    problems("message", m.set_props(&props)?)?;
    if !recipients.is_empty() {
        m.add_recipients(recipients)?;
    }
    for path in c.attach {
        attach(m, path)?;
    }
    Ok(())
}

/// Fails before anything is created when a file to attach cannot be read (the error names it).
pub(super) fn check_files(paths: &[PathBuf]) -> Result<(), Failure> {
    for p in paths {
        std::fs::File::open(p).map_err(|e| Failure::local_file("attachment file", p, &e))?;
    }
    Ok(())
}

pub(super) fn attach(m: &Message, path: &std::path::Path) -> Result<(), MapiError> {
    let io_err = |e: std::io::Error| {
        MapiError::new(codes::MAPI_E_DISK_ERROR, format!("attachment file {}: {e}", path.display()))
    };
    let mut file = std::fs::File::open(path).map_err(io_err)?;
    let name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "attachment".into());
    let a = m.create_attachment()?;
    let mut props = vec![
        tv(PR_ATTACH_METHOD, PropValue::I32(ATTACH_BY_VALUE)),
        tv(PR_ATTACH_LONG_FILENAME, PropValue::Unicode(name.clone())),
        tv(PR_ATTACH_FILENAME, PropValue::Unicode(name.clone())),
        tv(PR_DISPLAY_NAME, PropValue::Unicode(name.clone())),
    ];
    if let Some(ext) = path.extension() {
        props.push(tv(PR_ATTACH_EXTENSION, PropValue::Unicode(format!(".{}", ext.to_string_lossy()))));
    }
    problems("attachment", a.set_props(&props)?)?;
    let mut s = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::Create)?;
    std::io::copy(&mut file, &mut s).map_err(|e| {
        match e.get_ref().and_then(|i| i.downcast_ref::<MapiError>()) {
            Some(m) => m.clone(),
            None => io_err(e),
        }
    })?;
    s.flush().map_err(io_err)?;
    s.commit()?;
    drop(s);
    a.save_changes(SaveFlags::KeepOpenReadOnly)?;
    Ok(())
}
