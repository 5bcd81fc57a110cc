//! `oxmapi send --to ADDR… --subject S [--body TEXT | --body-file F] [--html F] [--cc ADDR]…
//! [--bcc ADDR]… [--class CLASS] [--prop TAG=VALUE]… [--deferred TIME] [--expires TIME]
//! [--attach FILE]…`: creates the message in the Outbox (the transport folder), resolves every
//! recipient through the address book (directory users as EX recipients; other SMTP addresses as
//! one-offs) and submits it (MS-OXOMSG 3.1.4.2). The server delivers it, files the sent copy in
//! Sent Items and sends a non-delivery report for recipients it cannot deliver to; the command
//! waits (through an Advise on the Outbox) until the message has left the Outbox — except with
//! `--deferred`, whose message waits there until its time (PR_DEFERRED_DELIVERY_TIME,
//! MS-OXOMSG 2.2.3.2).
//!
//! `oxmapi submit ITEM` submits a message that already exists, in any folder (MAPI's
//! IMessage::SubmitMessage; Exchange sends it and files it in Sent Items).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification, NotificationStream};
use oxmapi_core::consts::fnev;
use oxmapi_core::ids::ObjectId;

use oxmapi_client::store::{Recipient, RecipientType};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_MESSAGE_FLAGS};
use oxmapi_core::consts::message_flags::{MSGFLAG_READ, MSGFLAG_UNSENT};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::describe::Node;

use oxmapi_client::profile::parse::{parse_tag, parse_value, parse_when};
use oxmapi_client::store::OpenMode;
use oxmapi_core::catalogue::tags::{
    PR_BODY, PR_DEFERRED_DELIVERY_TIME, PR_EXPIRY_TIME, PR_HTML, PR_MESSAGE_CLASS,
};
use oxmapi_core::time::FileTime;

use super::put::{Content, entry_id, fill};
use super::{Target, open};
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

/// What `send` submits.
pub struct SendArgs<'a> {
    /// `--to`.
    pub to: &'a [String],
    /// `--subject`.
    pub subject: &'a str,
    /// `--body`.
    pub body: Option<&'a str>,
    /// `--attach`.
    pub attach: &'a [PathBuf],
    /// `--cc`.
    pub cc: &'a [String],
    /// `--bcc`.
    pub bcc: &'a [String],
    /// `--class` (PR_MESSAGE_CLASS; IPM.Note without it).
    pub class: Option<&'a str>,
    /// `--prop TAG=VALUE`, in order (a later one wins).
    pub props: &'a [String],
    /// `--body-file`: PR_BODY from a UTF-8 file.
    pub body_file: Option<&'a std::path::Path>,
    /// `--html`: PR_HTML from a file.
    pub html: Option<&'a std::path::Path>,
    /// `--deferred TIME`: PR_DEFERRED_DELIVERY_TIME.
    pub deferred: Option<&'a str>,
    /// `--expires TIME`: PR_EXPIRY_TIME.
    pub expires: Option<&'a str>,
}

/// The properties `send` sets beyond subject, body and recipients, from its options.
fn extra_props(send: &SendArgs<'_>) -> Result<Vec<TaggedValue>, Failure> {
    let now = FileTime::now();
    let mut out = Vec::new();
    let mut set = |tag, value| {
        out.retain(|v: &TaggedValue| v.tag != tag);
        out.push(TaggedValue { tag, value });
    };
    if let Some(class) = send.class {
        set(PR_MESSAGE_CLASS, PropValue::Unicode(class.to_string()));
    }
    if let Some(path) = send.body_file {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::local_file("--body-file", path, &e))?;
        set(PR_BODY, PropValue::Unicode(text));
    }
    if let Some(path) = send.html {
        let html = std::fs::read(path).map_err(|e| Failure::local_file("--html file", path, &e))?;
        set(PR_HTML, PropValue::Binary(html));
    }
    if let Some(t) = send.deferred {
        set(PR_DEFERRED_DELIVERY_TIME, PropValue::SysTime(parse_when(t, now)?));
    }
    if let Some(t) = send.expires {
        set(PR_EXPIRY_TIME, PropValue::SysTime(parse_when(t, now)?));
    }
    for p in send.props {
        let Some((tag, value)) = p.split_once('=') else {
            return Err(Failure::with_hint(
                MapiError::new(oxmapi_core::error::codes::MAPI_E_INVALID_PARAMETER, format!("--prop {p:?}")),
                "--prop takes TAG=VALUE, e.g. PR_IMPORTANCE=2 or PR_SENT_REPRESENTING_NAME=\"Alice Archer\"",
            ));
        };
        let tag = parse_tag(tag.trim())?;
        set(tag, parse_value(tag, value)?);
    }
    Ok(out)
}

/// Resolves `names` through the address book as recipients of `kind`, adding what was resolved
/// to `listed`.
fn resolve(
    ab: &oxmapi_client::ab::AddressBook,
    names: &[String],
    kind: RecipientType,
    listed: &mut Vec<Node>,
) -> Result<Vec<Recipient>, MapiError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (name, resolved) in refs.iter().zip(ab.resolve_names(&refs, true)?) {
        let r = resolved.map_err(|e| {
            MapiError::new(e.code, format!("recipient {name:?} cannot be resolved: {}", e.message))
        })?;
        listed.push(Node::map([
            ("name", Node::str(r.text(PR_DISPLAY_NAME))),
            ("address", Node::str(r.text(PR_EMAIL_ADDRESS))),
            ("type", Node::str(format!("{kind:?}").to_lowercase())),
        ]));
        out.push(r.recipient(kind));
    }
    Ok(out)
}

/// How long `send` waits for the transport to take the message out of the Outbox. A local
/// delivery takes milliseconds; a recipient whose mailbox cannot receive now (disabled) is
/// retried until the message expires or `max-delivery-retry-time`, and the command does not
/// wait for that: it says the message is still in the Outbox and exits.
const SENT_PATIENCE: Duration = Duration::from_secs(10);

/// Waits until the Outbox reports message `mid` moved (to Sent Items) or deleted.
fn wait_until_sent(events: &mut NotificationStream, mid: ObjectId) -> bool {
    let deadline = Instant::now() + SENT_PATIENCE;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Some(Notification::Object(o)) if o.message_id == Some(mid) || o.old_message_id == Some(mid) => {
                return true;
            }
            Some(_) => {}
            None => return false,
        }
    }
    false
}

/// `oxmapi send`.
pub fn send_cmd(args: &LogonArgs<'_>, send: &SendArgs<'_>) -> Result<Node, Failure> {
    super::put::check_files(send.attach)?;
    let mut extra = extra_props(send)?;
    let mb = open(args, false)?;
    let ab = mb.session.open_address_book()?;
    let mut listed = Vec::new();
    let mut recipients = resolve(&ab, send.to, RecipientType::To, &mut listed)?;
    recipients.extend(resolve(&ab, send.cc, RecipientType::Cc, &mut listed)?);
    recipients.extend(resolve(&ab, send.bcc, RecipientType::Bcc, &mut listed)?);
    let outbox = mb.store.transport_folder()?;
    let folder = mb.store.open_folder(outbox)?;
    let mut m = folder.create_message(false)?;
    extra.insert(
        0,
        TaggedValue { tag: PR_MESSAGE_FLAGS, value: PropValue::I32((MSGFLAG_READ | MSGFLAG_UNSENT) as i32) },
    );
    let content = Content { subject: send.subject, body: send.body, attach: send.attach };
    fill(&mut m, &content, &extra, &recipients)?;
    // The transport moves the message out of the Outbox (to Sent Items, or deletes it) once
    // every recipient was handled; wait for that so that the command ends with the mail sent.
    let mut outbox_events =
        mb.store.advise_stream(AdviseTarget::Folder(outbox), fnev::OBJECT_MOVED | fnev::OBJECT_DELETED)?;
    let mid = m.submit()?;
    let eid = entry_id(&m)?;
    // A deferred message waits in the Outbox until its time; the command does not.
    let sent = send.deferred.is_none() && wait_until_sent(&mut outbox_events, mid);
    if !sent && send.deferred.is_none() {
        eprintln!(
            "note: the message was submitted but is still in the Outbox after {} s; the server delivers it later",
            SENT_PATIENCE.as_secs()
        );
    }
    let held_until = extra.iter().find(|v| v.tag == PR_DEFERRED_DELIVERY_TIME).and_then(|v| match v.value {
        PropValue::SysTime(t) => Some(Node::str(t.to_rfc3339())),
        _ => None,
    });
    Ok(Node::map([
        ("submitted", Node::Bool(true)),
        ("sent", Node::Bool(sent)),
        ("deferred_until", held_until.unwrap_or(Node::Null)),
        ("entry_id", Node::hex(&eid)),
        ("message_id", Node::str(mid.to_string())),
        ("recipients", Node::List(listed)),
    ]))
}

/// `oxmapi submit ITEM`: submits an existing message (RopSubmitMessage, MS-OXOMSG 3.2.5.1) from
/// whatever folder it is in; the server delivers it and files it in Sent Items (or its
/// PR_SENTMAIL_ENTRYID folder), as Exchange does with IMessage::SubmitMessage.
pub fn submit_cmd(args: &LogonArgs<'_>, item: &str) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    let mut m = match mb.target(item, OpenMode::ReadWrite)? {
        Target::Message(m) => m,
        _ => {
            return Err(MapiError::new(
                oxmapi_core::error::codes::MAPI_E_INVALID_PARAMETER,
                format!("{item:?} is not a message: give ITEM as eid:HEX or FOLDER#N"),
            )
            .into());
        }
    };
    let eid = entry_id(&m)?;
    let mid = m.submit()?;
    Ok(Node::map([
        ("submitted", Node::Bool(true)),
        ("entry_id", Node::hex(&eid)),
        ("message_id", Node::str(mid.to_string())),
    ]))
}
