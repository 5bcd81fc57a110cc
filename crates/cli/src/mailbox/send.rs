//! `oxmapi send --to ADDR… --subject S [--body TEXT] [--attach FILE]…`: creates the message in
//! the Outbox (the transport folder), resolves every recipient through the address book
//! (directory users as EX recipients; other SMTP addresses as one-offs) and submits it
//! (MS-OXOMSG 3.1.4.2). The server delivers it, files the sent copy in Sent Items and sends a
//! non-delivery report for recipients it cannot deliver to; the command waits (through an
//! Advise on the Outbox) until the message has left the Outbox.

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

use super::open;
use super::put::{Content, entry_id, fill};
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
}

/// How long `send` waits for the transport to take the message out of the Outbox.
const SENT_PATIENCE: Duration = Duration::from_secs(30);

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
    let mb = open(args, false)?;
    let ab = mb.session.open_address_book()?;
    let names: Vec<&str> = send.to.iter().map(String::as_str).collect();
    let mut recipients: Vec<Recipient> = Vec::new();
    let mut listed = Vec::new();
    for (name, resolved) in names.iter().zip(ab.resolve_names(&names, true)?) {
        let r = resolved.map_err(|e| {
            MapiError::new(e.code, format!("recipient {name:?} cannot be resolved: {}", e.message))
        })?;
        listed.push(Node::map([
            ("name", Node::str(r.text(PR_DISPLAY_NAME))),
            ("address", Node::str(r.text(PR_EMAIL_ADDRESS))),
        ]));
        recipients.push(r.recipient(RecipientType::To));
    }
    let outbox = mb.store.transport_folder()?;
    let folder = mb.store.open_folder(outbox)?;
    let mut m = folder.create_message(false)?;
    let flags =
        TaggedValue { tag: PR_MESSAGE_FLAGS, value: PropValue::I32((MSGFLAG_READ | MSGFLAG_UNSENT) as i32) };
    let content = Content { subject: send.subject, body: send.body, attach: send.attach };
    fill(&mut m, &content, &[flags], &recipients)?;
    // The transport moves the message out of the Outbox (to Sent Items, or deletes it) once
    // every recipient was handled; wait for that so that the command ends with the mail sent.
    let mut outbox_events =
        mb.store.advise_stream(AdviseTarget::Folder(outbox), fnev::OBJECT_MOVED | fnev::OBJECT_DELETED)?;
    let mid = m.submit()?;
    let eid = entry_id(&m)?;
    let sent = wait_until_sent(&mut outbox_events, mid);
    if !sent {
        eprintln!(
            "note: the message was submitted but is still in the Outbox after {} s; the server delivers it later",
            SENT_PATIENCE.as_secs()
        );
    }
    Ok(Node::map([
        ("submitted", Node::Bool(true)),
        ("sent", Node::Bool(sent)),
        ("entry_id", Node::hex(&eid)),
        ("message_id", Node::str(mid.to_string())),
        ("recipients", Node::List(listed)),
    ]))
}
