//! `oxmapi oof [on --message TEXT [--until TIME] | off]`: out of office as Exchange keeps it
//! for MAPI clients — PidTagOutOfOfficeState on the mailbox (RopSetProperties on the logon;
//! the RopLogon response's OOF flag follows it, MS-OXCSTOR 2.2.1.1.3) and an OP_OOF_REPLY rule
//! with ST_ONLY_WHEN_OOF in the Inbox whose template is an FAI message of class
//! IPM.Note.Rules.OofTemplate.Microsoft (MS-OXORULE 2.2.9, 3.2.5.1.2). The server sends one
//! reply per sender per out-of-office period.

use clap::Subcommand;
use oxmapi_client::store::SaveFlags;
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::rules::{OOF_REPLY_CLASS, rule_data_flags, state};
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::cdata::rule_action::{ActionBlock, ActionData, RuleActions, op};
use oxmapi_wire::describe::Node;
use oxmapi_wire::rop::oxorule::RuleData;

use super::{DEFAULT_FOLDER, list, remove};
use crate::failure::Failure;
use crate::mailbox::open;
use crate::session_cmd::LogonArgs;

/// The PidTagRuleProvider of the out-of-office rule (Exchange's "MSFT:TDX OOF Rules").
pub const OOF_PROVIDER: &str = "MSFT:TDX OOF Rules";

/// `oxmapi oof …` (no subcommand: the state).
#[derive(Subcommand)]
pub enum OofCommand {
    /// Turn out of office on with an automatic reply.
    On {
        /// The reply's text.
        #[arg(long)]
        message: String,
        /// Stop replying after TIME (RFC 3339, e.g. 2026-12-24T18:00:00Z, or +N[smhd]).
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
    /// Turn out of office off.
    Off,
}

/// Parses TIME: `+N[smhd]` from now, or RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse_time(text: &str) -> Result<FileTime, String> {
    if let Some(rel) = text.strip_prefix('+') {
        let (n, unit) = rel.split_at(rel.find(|c: char| !c.is_ascii_digit()).unwrap_or(rel.len()));
        let n: i64 = n.parse().map_err(|_| format!("{text:?}: +N needs a number"))?;
        let secs = match unit {
            "" | "s" => n,
            "m" => n * 60,
            "h" => n * 3600,
            "d" => n * 86400,
            _ => return Err(format!("{text:?}: the unit is s, m, h or d")),
        };
        return Ok(FileTime::from_unix_seconds(FileTime::now().unix_seconds() + secs));
    }
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i64>().ok());
    let ok =
        b.len() == 20 && b[4] == b'-' && b[7] == b'-' && (b[10] == b'T' || b[10] == b't') && b[19] == b'Z';
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) =
        (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19))
    else {
        return Err(format!("{text:?} is not RFC 3339 (YYYY-MM-DDTHH:MM:SSZ) or +N[smhd]"));
    };
    if !ok || !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(format!("{text:?} is not RFC 3339 (YYYY-MM-DDTHH:MM:SSZ) or +N[smhd]"));
    }
    // Days from civil (Howard Hinnant's algorithm).
    let (y2, m2) = if mo <= 2 { (y - 1, mo + 9) } else { (y, mo - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(FileTime::from_unix_seconds(days * 86400 + h * 3600 + mi * 60 + s))
}

fn oof_state(mb: &crate::mailbox::Mailbox) -> Result<bool, Failure> {
    Ok(matches!(mb.store.get_props(&[PR_OOF_STATE])?.first(), Some(RowValue::Value(PropValue::Bool(true)))))
}

fn set_state(mb: &crate::mailbox::Mailbox, on: bool) -> Result<(), Failure> {
    let problems = mb.store.set_props(&[TaggedValue { tag: PR_OOF_STATE, value: PropValue::Bool(on) }])?;
    if let Some(p) = problems.first() {
        return Err(MapiError::new(p.error, "the server refused PR_OOF_STATE").into());
    }
    Ok(())
}

/// The end of the replies of an out-of-office rule `oof on --until` made: its condition is
/// PR_MESSAGE_DELIVERY_TIME < TIME.
fn until_of(condition: &Restriction) -> Option<FileTime> {
    match condition {
        Restriction::Property { relop: RelOp::Lt, prop_tag, value }
            if *prop_tag == PR_MESSAGE_DELIVERY_TIME =>
        {
            match value.value {
                PropValue::SysTime(t) => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Runs `oxmapi oof`.
pub fn oof_cmd(args: &LogonArgs<'_>, cmd: Option<&OofCommand>) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    match cmd {
        None => {
            let on = oof_state(&mb)?;
            let inbox = mb.folder(DEFAULT_FOLDER)?;
            let rules = list(&inbox)?;
            let rule = rules.iter().find(|r| {
                r.get(PR_RULE_PROVIDER).and_then(|v| v.as_text().map(|t| t == OOF_PROVIDER)).unwrap_or(false)
            });
            let until = rule.and_then(|r| match r.get(PR_RULE_CONDITION) {
                Some(PropValue::Restriction(c)) => until_of(c),
                _ => None,
            });
            let ended = until.is_some_and(|t| t.unix_seconds() <= FileTime::now().unix_seconds());
            let mut n = Node::map([
                ("oof", Node::Bool(on)),
                ("state", Node::str(if on { "on" } else { "off" })),
                ("reply_rule", Node::Bool(rule.is_some())),
                // Whether a message arriving now gets the automatic reply.
                ("replying", Node::Bool(on && rule.is_some() && !ended)),
            ]);
            if let Some(t) = until {
                n = n.with("until", Node::str(t.to_rfc3339()));
            }
            Ok(n)
        }
        Some(OofCommand::Off) => {
            set_state(&mb, false)?;
            Ok(Node::map([("oof", Node::Bool(false)), ("state", Node::str("off"))]))
        }
        Some(OofCommand::On { message, until }) => {
            let until = until.as_deref().map(parse_time).transpose().map_err(|e| {
                Failure::bad_input(codes::MAPI_E_INVALID_PARAMETER, "--until", e, "RFC 3339 or +N[smhd]")
            })?;
            let inbox = mb.folder(DEFAULT_FOLDER)?;
            // One out-of-office rule: the previous one (and its template) goes.
            remove(&inbox, |r| {
                r.get(PR_RULE_PROVIDER).and_then(|v| v.as_text().map(|t| t == OOF_PROVIDER)).unwrap_or(false)
            })?;
            let mut template = inbox.create_message(true)?;
            template.set_props(&[
                TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(OOF_REPLY_CLASS.into()) },
                TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode("Automatic reply".into()) },
                TaggedValue { tag: PR_BODY, value: PropValue::Unicode(message.clone()) },
            ])?;
            let mid = template.save_changes(SaveFlags::KeepOpenReadOnly)?;
            let condition = match until {
                Some(t) => Restriction::Property {
                    relop: RelOp::Lt,
                    prop_tag: PR_MESSAGE_DELIVERY_TIME,
                    value: TaggedValue::new(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(t)),
                },
                None => Restriction::Exist { prop_tag: PR_MESSAGE_CLASS },
            };
            let actions = RuleActions {
                actions: vec![ActionBlock {
                    action_type: op::OOF_REPLY,
                    flavor: 0,
                    flags: 0,
                    data: ActionData::Reply {
                        template_fid: inbox.id(),
                        template_mid: mid,
                        template_guid: Guid::new_random(),
                    },
                }],
            };
            let props = vec![
                TaggedValue { tag: PR_RULE_NAME, value: PropValue::Unicode("Out of Office".into()) },
                TaggedValue { tag: PR_RULE_SEQUENCE, value: PropValue::I32(0) },
                TaggedValue {
                    tag: PR_RULE_STATE,
                    value: PropValue::I32((state::ENABLED | state::ONLY_WHEN_OOF) as i32),
                },
                TaggedValue { tag: PR_RULE_PROVIDER, value: PropValue::Unicode(OOF_PROVIDER.into()) },
                TaggedValue { tag: PR_RULE_LEVEL, value: PropValue::I32(0) },
                TaggedValue { tag: PR_RULE_CONDITION, value: PropValue::Restriction(Box::new(condition)) },
                TaggedValue { tag: PR_RULE_ACTIONS, value: PropValue::RuleAction(actions.encode(Form::Rop)) },
            ];
            inbox.modify_rules(
                0,
                vec![RuleData { rule_data_flags: rule_data_flags::ROW_ADD, property_values: props }],
            )?;
            // Turning the state on starts a new period: the server forgets who got a reply.
            if oof_state(&mb)? {
                set_state(&mb, false)?;
            }
            set_state(&mb, true)?;
            let mut n = Node::map([
                ("oof", Node::Bool(true)),
                ("state", Node::str("on")),
                ("message", Node::str(message.clone())),
            ]);
            if let Some(t) = until {
                n = n.with("until", Node::str(t.to_rfc3339()));
            }
            Ok(n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse() {
        assert_eq!(parse_time("1970-01-02T00:00:00Z").unwrap().unix_seconds(), 86400);
        assert_eq!(parse_time("2000-03-01T12:30:15Z").unwrap().unix_seconds(), 951_913_815);
        let now = FileTime::now().unix_seconds();
        let t = parse_time("+2h").unwrap().unix_seconds();
        assert!((t - now - 7200).abs() <= 2);
        for bad in ["tomorrow", "+2y", "2000-13-01T00:00:00Z", "2000-01-01 00:00:00", "+"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
