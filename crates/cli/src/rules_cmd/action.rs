//! The actions of `oxmapi rules add --then`: `move:FOLDER`, `copy:FOLDER`, `forward:ADDR`,
//! `reply:TEXT`, `delete`, `mark-read`, `tag:TAG=VALUE`, `bounce`, parsed first
//! ([`parse`], no server needed) and then made into ActionBlocks (MS-OXORULE 2.2.5) against the
//! mailbox ([`resolve`]): folders become ServerEids, a reply's text an FAI reply template.

use oxmapi_client::profile::parse::{parse_tag, parse_value};
use oxmapi_client::store::{Folder, SaveFlags};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::Guid;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::rules::REPLY_TEMPLATE_CLASS;
use oxmapi_wire::cdata::rule_action::{
    ActionBlock, ActionData, RecipientBlock, bounce_code, op, server_eid, server_eid_folder,
};

use crate::failure::Failure;
use crate::mailbox::Mailbox;

/// What `--then` takes (the hint of a bad one).
pub const FORM: &str =
    "move:FOLDER, copy:FOLDER, forward:ADDR, reply:TEXT, delete, mark-read, tag:TAG=VALUE or bounce";

/// One action as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionSpec {
    /// OP_MOVE to a folder path.
    Move(String),
    /// OP_COPY to a folder path.
    Copy(String),
    /// OP_FORWARD to addresses (comma-separated).
    Forward(Vec<String>),
    /// OP_REPLY with this text.
    Reply(String),
    /// OP_DELETE.
    Delete,
    /// OP_MARK_AS_READ.
    MarkRead,
    /// OP_TAG: TAG and VALUE as written.
    Tag(String, String),
    /// OP_BOUNCE (the message is refused).
    Bounce,
}

/// Parses one action.
pub fn parse(text: &str) -> Result<ActionSpec, String> {
    let (verb, arg) = match text.split_once(':') {
        Some((v, a)) => (v, Some(a)),
        None => (text, None),
    };
    let need = |what: &str| {
        arg.filter(|a| !a.trim().is_empty())
            .map(|a| a.trim().to_string())
            .ok_or_else(|| format!("{verb}: needs {what}"))
    };
    match verb.to_ascii_lowercase().as_str() {
        "move" => Ok(ActionSpec::Move(need("a folder")?)),
        "copy" => Ok(ActionSpec::Copy(need("a folder")?)),
        "forward" => {
            let to: Vec<String> = need("an address")?
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect();
            match to.iter().find(|a| !a.contains('@')) {
                Some(bad) => Err(format!("forward: {bad:?} is not an address")),
                None => Ok(ActionSpec::Forward(to)),
            }
        }
        "reply" => Ok(ActionSpec::Reply(need("the reply text")?)),
        "delete" if arg.is_none() => Ok(ActionSpec::Delete),
        "mark-read" if arg.is_none() => Ok(ActionSpec::MarkRead),
        "bounce" if arg.is_none() => Ok(ActionSpec::Bounce),
        "tag" => {
            let a = need("TAG=VALUE")?;
            let (t, v) = a.split_once('=').ok_or_else(|| "tag: needs TAG=VALUE".to_string())?;
            Ok(ActionSpec::Tag(t.trim().to_string(), v.to_string()))
        }
        _ => Err(format!("unknown action {verb:?}")),
    }
}

fn block(action_type: u8, data: ActionData) -> ActionBlock {
    ActionBlock { action_type, flavor: 0, flags: 0, data }
}

fn smtp_block(addr: &str) -> RecipientBlock {
    let s = |tag, v: &str| TaggedValue { tag, value: PropValue::Unicode(v.to_string()) };
    RecipientBlock {
        reserved: 1,
        props: vec![
            s(PR_DISPLAY_NAME, addr),
            s(PR_ADDRTYPE, "SMTP"),
            s(PR_EMAIL_ADDRESS, addr),
            s(PR_SMTP_ADDRESS, addr),
            TaggedValue { tag: PR_RECIPIENT_TYPE, value: PropValue::I32(1) },
        ],
    }
}

/// The ActionBlock of `spec` for a rule of `folder` in mailbox `mb`.
pub fn resolve(mb: &Mailbox, folder: &Folder, spec: &ActionSpec) -> Result<ActionBlock, Failure> {
    Ok(match spec {
        ActionSpec::Move(path) | ActionSpec::Copy(path) => {
            let target = mb.folder(path)?;
            let t = if matches!(spec, ActionSpec::Move(_)) { op::MOVE } else { op::COPY };
            block(
                t,
                ActionData::MoveCopy {
                    folder_in_this_store: 1,
                    store_eid: Vec::new(),
                    folder_eid: server_eid(target.id()),
                },
            )
        }
        ActionSpec::Forward(to) => {
            block(op::FORWARD, ActionData::Recipients(to.iter().map(|a| smtp_block(a)).collect()))
        }
        ActionSpec::Reply(text) => {
            let mut m = folder.create_message(true)?;
            m.set_props(&[
                TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(REPLY_TEMPLATE_CLASS.into()) },
                TaggedValue { tag: PR_BODY, value: PropValue::Unicode(text.clone()) },
            ])?;
            let mid = m.save_changes(SaveFlags::KeepOpenReadOnly)?;
            block(
                op::REPLY,
                ActionData::Reply {
                    template_fid: folder.id(),
                    template_mid: mid,
                    template_guid: Guid::new_random(),
                },
            )
        }
        ActionSpec::Delete => block(op::DELETE, ActionData::Other(Vec::new())),
        ActionSpec::MarkRead => block(op::MARK_AS_READ, ActionData::Other(Vec::new())),
        ActionSpec::Bounce => block(op::BOUNCE, ActionData::Bounce(bounce_code::ACCESS_DENIED)),
        ActionSpec::Tag(tag, value) => {
            let tag =
                parse_tag(tag).map_err(|e| Failure::with_hint(e, format!("--then tag: takes {FORM}")))?;
            block(op::TAG, ActionData::Tag(TaggedValue { tag, value: parse_value(tag, value)? }))
        }
    })
}

/// Most folder levels [`folder_path`] walks up.
const MAX_PATH_DEPTH: usize = 32;

/// The path of folder `fid` under the IPM subtree (`/Inbox/Invoices`), if it is there.
fn folder_path(mb: &Mailbox, fid: oxmapi_core::ids::ObjectId) -> Option<String> {
    let top = mb.store.ipm_subtree_id();
    let mut parts = Vec::new();
    let mut at = fid;
    for _ in 0..MAX_PATH_DEPTH {
        if at == top {
            parts.reverse();
            return Some(format!("/{}", parts.join("/")));
        }
        let f = mb.store.open_folder(at).ok()?;
        let v = f.get_props(&[PR_DISPLAY_NAME, PR_PARENT_FID]).ok()?;
        let name = match v.first()? {
            oxmapi_wire::cdata::RowValue::Value(PropValue::Unicode(s)) => s.clone(),
            _ => return None,
        };
        parts.push(name);
        at = match v.get(1)? {
            oxmapi_wire::cdata::RowValue::Value(PropValue::I64(p)) => {
                oxmapi_core::ids::ObjectId::from_u64(*p as u64)
            }
            _ => return None,
        };
    }
    None
}

/// One action in the `--then` syntax where it has one.
pub fn describe(mb: &Mailbox, a: &ActionBlock) -> String {
    let folder = |eid: &[u8]| match server_eid_folder(eid) {
        Some(fid) => folder_path(mb, fid).unwrap_or_else(|| fid.to_string()),
        None => "(another store)".into(),
    };
    match (&a.data, a.action_type) {
        (ActionData::MoveCopy { folder_eid, .. }, op::MOVE) => format!("move:{}", folder(folder_eid)),
        (ActionData::MoveCopy { folder_eid, .. }, op::COPY) => format!("copy:{}", folder(folder_eid)),
        (ActionData::Recipients(r), op::FORWARD | op::DELEGATE) => {
            let addrs: Vec<String> = r
                .iter()
                .filter_map(|b| {
                    b.props
                        .iter()
                        .find(|p| p.tag.id() == PR_SMTP_ADDRESS.id() || p.tag.id() == PR_EMAIL_ADDRESS.id())
                        .and_then(|p| p.value.as_text().map(|t| t.into_owned()))
                })
                .collect();
            format!(
                "{}:{}",
                if a.action_type == op::FORWARD { "forward" } else { "delegate" },
                addrs.join(",")
            )
        }
        (_, op::DELETE) => "delete".into(),
        (_, op::MARK_AS_READ) => "mark-read".into(),
        (_, op::BOUNCE) => "bounce".into(),
        (ActionData::Tag(t), op::TAG) => format!("tag:0x{:08X}={:?}", t.tag.0, t.value),
        (_, t) => op::name(t).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_parse() {
        assert_eq!(parse("move:/Inbox/Invoices"), Ok(ActionSpec::Move("/Inbox/Invoices".into())));
        assert_eq!(parse("copy:/Archive"), Ok(ActionSpec::Copy("/Archive".into())));
        assert_eq!(
            parse("forward:carol@example.test, dave@example.test"),
            Ok(ActionSpec::Forward(vec!["carol@example.test".into(), "dave@example.test".into()]))
        );
        assert_eq!(
            parse("reply:I am away: back Monday"),
            Ok(ActionSpec::Reply("I am away: back Monday".into()))
        );
        assert_eq!(parse("delete"), Ok(ActionSpec::Delete));
        assert_eq!(parse("mark-read"), Ok(ActionSpec::MarkRead));
        assert_eq!(parse("tag:PR_IMPORTANCE=2"), Ok(ActionSpec::Tag("PR_IMPORTANCE".into(), "2".into())));
        for bad in ["move", "move:", "forward:carol", "tag:PR_IMPORTANCE", "explode", "delete:now"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
