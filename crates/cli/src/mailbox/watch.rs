//! `oxmapi watch [FOLDER] [--events LIST] [--count N] [--timeout SECONDS]`: Advise on the store
//! (or one folder) and print one JSON line per notification (MS-OXCNOTIF 2.2.1.4.1.2), until N
//! notifications arrived or the time is up.

use std::io::Write;
use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification};
use oxmapi_core::MapiError;
use oxmapi_core::consts::fnev;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_wire::describe::Node;

use super::open;
use super::values::column_name;
use crate::failure::Failure;
use crate::output::to_json;
use crate::session_cmd::LogonArgs;

/// The events watched without `--events`: new mail and every object event.
const DEFAULT_EVENTS: u32 = fnev::NEW_MAIL
    | fnev::OBJECT_CREATED
    | fnev::OBJECT_DELETED
    | fnev::OBJECT_MODIFIED
    | fnev::OBJECT_MOVED
    | fnev::OBJECT_COPIED
    | fnev::SEARCH_COMPLETE;

/// Names `--events` accepts (case-insensitive; the fnev names work too).
const EVENT_NAMES: &[(&str, u32)] = &[
    ("newmail", fnev::NEW_MAIL),
    ("created", fnev::OBJECT_CREATED),
    ("deleted", fnev::OBJECT_DELETED),
    ("modified", fnev::OBJECT_MODIFIED),
    ("moved", fnev::OBJECT_MOVED),
    ("copied", fnev::OBJECT_COPIED),
    ("searchcomplete", fnev::SEARCH_COMPLETE),
    ("critical", fnev::CRITICAL_ERROR),
    ("all", DEFAULT_EVENTS | fnev::CRITICAL_ERROR),
];

/// What `watch` watches.
pub struct WatchArgs<'a> {
    /// FOLDER (else the whole store).
    pub folder: Option<&'a str>,
    /// `--events`.
    pub events: Option<&'a str>,
    /// `--count`.
    pub count: Option<u64>,
    /// `--timeout`.
    pub timeout: Option<u64>,
}

/// Parses `--events` (comma-separated names: newmail, created, deleted, modified, moved,
/// copied, searchcomplete, critical, all — or ObjectCreated / fnevObjectCreated forms).
pub fn parse_events(list: &str) -> Result<u32, Failure> {
    let known: Vec<&str> = EVENT_NAMES.iter().map(|(n, _)| *n).collect();
    let form = format!("comma-separated event names: {}, all", known.join(", "));
    let mut mask = 0;
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let key = name.to_ascii_lowercase().replace(['_', '-'], "");
        let key = key.strip_prefix("fnev").unwrap_or(&key);
        let key = key.strip_prefix("object").unwrap_or(key);
        let bit = EVENT_NAMES.iter().find(|(n, _)| *n == key).map(|(_, b)| *b).ok_or_else(|| {
            Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "--events",
                format!("unknown event {name:?}"),
                &form,
            )
        })?;
        mask |= bit;
    }
    if mask == 0 {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "--events",
            "--events names no event",
            &form,
        ));
    }
    Ok(mask)
}

/// `oxmapi watch`: prints the notifications as they come; fails with MAPI_E_TIMEOUT when
/// `--count` notifications did not arrive within `--timeout`.
pub fn watch_cmd(args: &LogonArgs<'_>, w: &WatchArgs<'_>) -> Result<(), Failure> {
    let mask = match w.events {
        Some(list) => parse_events(list)?,
        None => DEFAULT_EVENTS,
    };
    let mb = open(args, false)?;
    let target = match w.folder {
        Some(f) => AdviseTarget::Folder(mb.folder(f)?.id()),
        None => AdviseTarget::Store,
    };
    let mut stream = mb.store.advise_stream(target, mask)?;
    let deadline = w.timeout.map(|s| Instant::now() + Duration::from_secs(s));
    let mut seen = 0u64;
    // The last CriticalError: a subscription the server refused ends with one, carrying the
    // server's own error, and the stream closes after it.
    let mut last_error: Option<MapiError> = None;
    let mut out = std::io::stdout().lock();
    while w.count.is_none_or(|n| seen < n) {
        let wait = match deadline {
            Some(d) => d.saturating_duration_since(Instant::now()),
            None => Duration::from_secs(3600),
        };
        if wait.is_zero() {
            break;
        }
        let Some(n) = stream.recv_timeout(wait) else {
            if stream.is_closed() {
                return Err(ended(last_error));
            }
            continue;
        };
        if let Notification::CriticalError { code, reason } = &n {
            last_error = Some(MapiError::new(*code, reason.clone()));
            if mask & fnev::CRITICAL_ERROR == 0 {
                continue;
            }
        }
        seen += 1;
        let line = serde_json::to_string(&to_json(&describe(&n))).unwrap_or_default();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
    match w.count {
        Some(n) if seen < n => Err(MapiError::new(
            codes::MAPI_E_TIMEOUT,
            format!("{seen} of {n} notifications arrived within {} s", w.timeout.unwrap_or(0)),
        )
        .into()),
        _ => Ok(()),
    }
}

/// The failure of a watch whose subscription ended: the server's refusal when one came with
/// the end (a revoked grant's ecLoginPerm, a disabled account's MAPI_E_LOGON_FAILED), else
/// MAPI_E_END_OF_SESSION.
fn ended(last_error: Option<MapiError>) -> Failure {
    match last_error {
        Some(e) if e.code != codes::MAPI_E_END_OF_SESSION => {
            let why = if e.code == codes::EC_LOGIN_PERM {
                " (the right to open this mailbox was withdrawn: a full-access grant revoked?)"
            } else {
                ""
            };
            MapiError::new(e.code, format!("the subscription ended: {}{why}", e.message)).into()
        }
        _ => MapiError::new(
            codes::MAPI_E_END_OF_SESSION,
            "the subscription ended (the folder is gone or the session could not register it again)",
        )
        .into(),
    }
}

fn id(v: ObjectId) -> Node {
    Node::str(v.to_string())
}

fn opt(v: Option<ObjectId>) -> Node {
    v.map(id).unwrap_or(Node::Null)
}

/// One notification as a JSON object: `event` (the MS-OXCNOTIF name) and its fields.
pub fn describe(n: &Notification) -> Node {
    let base = Node::map([("event", Node::str(n.name()))]);
    match n {
        Notification::NewMail { folder_id, message_id, message_flags, message_class } => base
            .with("folder_id", id(*folder_id))
            .with("message_id", id(*message_id))
            .with("message_flags", Node::Int(i128::from(*message_flags)))
            .with("message_class", Node::str(message_class.clone())),
        Notification::Object(o) => {
            let mut b = base.with("folder_id", id(o.folder_id)).with("message_id", opt(o.message_id));
            for (k, v) in [
                ("parent_folder_id", o.parent_folder_id),
                ("old_folder_id", o.old_folder_id),
                ("old_message_id", o.old_message_id),
                ("old_parent_folder_id", o.old_parent_folder_id),
            ] {
                if v.is_some() {
                    b = b.with(k, opt(v));
                }
            }
            if let Some(tags) = &o.tags {
                b = b.with("tags", Node::List(tags.iter().map(|t| Node::str(column_name(*t))).collect()));
            }
            if let Some(c) = o.total_count {
                b = b.with("content_count", Node::Int(i128::from(c)));
            }
            if let Some(c) = o.unread_count {
                b = b.with("unread_count", Node::Int(i128::from(c)));
            }
            b
        }
        Notification::SearchComplete { folder_id } => base.with("folder_id", id(*folder_id)),
        Notification::Table(t) => base
            .with("table_event", Node::str(n.table_event_name().unwrap_or("")))
            .with("folder_id", opt(t.folder_id))
            .with("message_id", opt(t.message_id)),
        Notification::CriticalError { code, reason } => {
            base.with("error", Node::str(code.name())).with("reason", Node::str(reason.clone()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names() {
        assert_eq!(parse_events("newmail").unwrap(), fnev::NEW_MAIL);
        assert_eq!(
            parse_events("ObjectCreated, fnevObjectDeleted,modified").unwrap(),
            fnev::OBJECT_CREATED | fnev::OBJECT_DELETED | fnev::OBJECT_MODIFIED
        );
        assert_eq!(parse_events("object_moved").unwrap(), fnev::OBJECT_MOVED);
        let bad = parse_events("exploded").unwrap_err();
        assert!(bad.error.message.contains("\"exploded\""), "{:?}", bad.error);
        assert!(bad.hint().unwrap().starts_with("--events takes comma-separated event names: newmail"));
        assert!(parse_events(" , ").is_err());
    }

    #[test]
    fn describes_new_mail() {
        let n = Notification::NewMail {
            folder_id: ObjectId::from_u64(0x0100_0000_0000_0001),
            message_id: ObjectId::from_u64(0x0200_0000_0000_0001),
            message_flags: 0,
            message_class: "IPM.Note".into(),
        };
        let j = serde_json::to_string(&to_json(&describe(&n))).unwrap();
        assert!(j.contains(r#""event":"NewMail""#), "{j}");
        assert!(j.contains(r#""message_class":"IPM.Note""#), "{j}");
    }
}
