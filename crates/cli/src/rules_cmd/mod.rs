//! `oxmapi rules ls|add|rm` and `oxmapi oof`: server-side rules (MS-OXORULE) through
//! RopGetRulesTable and RopModifyRules, and out of office through PidTagOutOfOfficeState and an
//! OP_OOF_REPLY rule (ST_ONLY_WHEN_OOF) with its template as an FAI message of the Inbox.

pub mod action;
pub mod condition;
mod oof;

pub use oof::{OofCommand, oof_cmd};

use clap::{Args, Subcommand};
use oxmapi_client::store::{Folder, Row};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::mailbox::rules::{RULE_ORGANIZER, rule_data_flags, state};
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::cdata::rule_action::RuleActions;
use oxmapi_wire::describe::Node;
use oxmapi_wire::rop::oxorule::RuleData;

use crate::failure::Failure;
use crate::mailbox::{Mailbox, open};
use crate::session_cmd::LogonArgs;

/// The folder rules commands use when none is named.
pub const DEFAULT_FOLDER: &str = "/Inbox";

/// `oxmapi rules …`.
#[derive(Subcommand)]
pub enum RulesCommand {
    /// List the rules of FOLDER (default /Inbox) in the order they run.
    Ls {
        /// FOLDER (default /Inbox).
        folder: Option<String>,
    },
    /// Add a rule.
    Add(AddArgs),
    /// Remove the rules named NAME (or the rule with PidTagRuleId ID).
    Rm {
        /// [FOLDER] NAME|ID (FOLDER defaults to /Inbox).
        #[arg(num_args = 1..=2, required = true, value_name = "[FOLDER] NAME|ID")]
        args: Vec<String>,
    },
}

/// `oxmapi rules add`.
#[derive(Args)]
pub struct AddArgs {
    /// FOLDER (default /Inbox).
    pub folder: Option<String>,
    /// PidTagRuleName.
    #[arg(long)]
    pub name: String,
    /// The condition: subject~TEXT, body~TEXT, from=ADDR, to=ADDR, importance=N, size>N,
    /// has-attachment, combined with and, or, not and parentheses.
    #[arg(long = "if", value_name = "CONDITION")]
    pub condition: String,
    /// An action: move:FOLDER, copy:FOLDER, forward:ADDR, reply:TEXT, delete, mark-read,
    /// tag:TAG=VALUE, bounce (repeatable; they run in order).
    #[arg(long = "then", value_name = "ACTION", required = true)]
    pub actions: Vec<String>,
    /// PidTagRuleSequence (rules run in ascending order; default: after the last rule).
    #[arg(long)]
    pub sequence: Option<i32>,
    /// Add the rule without ST_ENABLED.
    #[arg(long)]
    pub disabled: bool,
    /// ST_EXIT_LEVEL: no later rule runs on a message this rule matched.
    #[arg(long)]
    pub stop: bool,
}

/// Runs a rules command.
pub fn rules_cmd(args: &LogonArgs<'_>, cmd: &RulesCommand) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    match cmd {
        RulesCommand::Ls { folder } => {
            let folder = mb.folder(folder.as_deref().unwrap_or(DEFAULT_FOLDER))?;
            Ok(Node::List(list(&folder)?.iter().map(|r| rule_node(&mb, r)).collect()))
        }
        RulesCommand::Add(add) => add_cmd(&mb, add),
        RulesCommand::Rm { args } => {
            let (folder, which) = match args.as_slice() {
                [f, w] => (f.as_str(), w.as_str()),
                [w] => (DEFAULT_FOLDER, w.as_str()),
                _ => unreachable!("clap takes one or two"),
            };
            let folder = mb.folder(folder)?;
            let gone = remove(&folder, |r| matches_rule(r, which))?;
            if gone.is_empty() {
                return Err(Failure::with_hint(
                    MapiError::new(codes::MAPI_E_NOT_FOUND, format!("no rule named {which:?}")),
                    "`oxmapi rules ls FOLDER` lists the rules with their names and ids",
                ));
            }
            Ok(Node::map([(
                "removed",
                Node::List(gone.iter().map(|id| Node::str(format!("0x{id:016x}"))).collect()),
            )]))
        }
    }
}

/// The columns `rules ls` reads.
const COLUMNS: &[oxmapi_core::tag::PropTag] = &[
    PR_RULE_ID,
    PR_RULE_SEQUENCE,
    PR_RULE_STATE,
    PR_RULE_NAME,
    PR_RULE_PROVIDER,
    PR_RULE_CONDITION,
    PR_RULE_ACTIONS,
    PR_RULE_ERROR,
];

/// Every rule of `folder` (the rules table's rows).
pub(crate) fn list(folder: &Folder) -> Result<Vec<Row>, Failure> {
    let mut t = folder.rules_table()?;
    t.set_columns(COLUMNS)?;
    let mut rows = Vec::new();
    loop {
        let page = t.query_rows(100, true)?;
        if page.is_empty() {
            break;
        }
        rows.extend(page);
    }
    Ok(rows)
}

fn id_of(r: &Row) -> Option<u64> {
    r.get(PR_RULE_ID).and_then(PropValue::as_i64).map(|v| v as u64)
}

fn text_of(r: &Row, tag: oxmapi_core::tag::PropTag) -> String {
    r.get(tag).and_then(|v| v.as_text().map(|t| t.into_owned())).unwrap_or_default()
}

/// True when `which` names `r`: its name (any case), or its id in hex (0x…) or decimal.
fn matches_rule(r: &Row, which: &str) -> bool {
    let id = id_of(r);
    let parsed = match which.strip_prefix("0x").or_else(|| which.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => which.parse::<u64>().ok(),
    };
    text_of(r, PR_RULE_NAME).eq_ignore_ascii_case(which) || (parsed.is_some() && parsed == id)
}

/// The reply templates (FAI messages of `folder`) the OP_REPLY / OP_OOF_REPLY actions of rule
/// `r` use.
fn templates(folder: &Folder, r: &Row) -> Vec<oxmapi_core::ids::ObjectId> {
    let Some(PropValue::RuleAction(b)) = r.get(PR_RULE_ACTIONS) else { return Vec::new() };
    let Ok(a) = RuleActions::decode(b, Form::Rop) else { return Vec::new() };
    a.actions
        .iter()
        .filter_map(|a| match a.data {
            oxmapi_wire::cdata::rule_action::ActionData::Reply { template_fid, template_mid, .. }
                if template_fid == folder.id() =>
            {
                Some(template_mid)
            }
            _ => None,
        })
        .collect()
}

/// Removes the rules of `folder` that `pick` selects (one RopModifyRules) and the reply
/// templates they used; their ids.
pub(crate) fn remove(folder: &Folder, pick: impl Fn(&Row) -> bool) -> Result<Vec<u64>, Failure> {
    let picked: Vec<Row> = list(folder)?.into_iter().filter(|r| pick(r)).collect();
    let ids: Vec<u64> = picked.iter().filter_map(id_of).collect();
    let templates: Vec<_> = picked.iter().flat_map(|r| templates(folder, r)).collect();
    if !ids.is_empty() {
        let rows = ids
            .iter()
            .map(|id| RuleData {
                rule_data_flags: rule_data_flags::ROW_REMOVE,
                property_values: vec![TaggedValue { tag: PR_RULE_ID, value: PropValue::I64(*id as i64) }],
            })
            .collect();
        folder.modify_rules(0, rows)?;
    }
    if !templates.is_empty() {
        // `rules add` and `oof on` give every rule a template of its own; a failure here leaves
        // an unused FAI message, not a broken rule.
        let _ = folder.delete_messages(&templates, true);
    }
    Ok(ids)
}

/// The names of PidTagRuleState bits.
fn state_names(s: u32) -> Vec<Node> {
    [
        (state::ENABLED, "ST_ENABLED"),
        (state::ERROR, "ST_ERROR"),
        (state::ONLY_WHEN_OOF, "ST_ONLY_WHEN_OOF"),
        (state::KEEP_OOF_HIST, "ST_KEEP_OOF_HIST"),
        (state::EXIT_LEVEL, "ST_EXIT_LEVEL"),
        (state::SKIP_IF_SCL_IS_SAFE, "ST_SKIP_IF_SCL_IS_SAFE"),
        (state::RULE_PARSE_ERROR, "ST_RULE_PARSE_ERROR"),
    ]
    .into_iter()
    .filter(|(b, _)| s & b != 0)
    .map(|(_, n)| Node::str(n))
    .collect()
}

fn rule_node(mb: &Mailbox, r: &Row) -> Node {
    let st = r.get(PR_RULE_STATE).and_then(PropValue::as_i64).unwrap_or(0) as u32;
    let condition = match r.get(PR_RULE_CONDITION) {
        Some(PropValue::Restriction(x)) => condition::describe(x).unwrap_or_else(|| match x.as_ref() {
            // The condition `oof on` gives its rule: every message has a class.
            oxmapi_core::restriction::Restriction::Exist { prop_tag } if *prop_tag == PR_MESSAGE_CLASS => {
                "(every message)".into()
            }
            other => format!("{other:?}"),
        }),
        _ => String::new(),
    };
    let actions = match r.get(PR_RULE_ACTIONS) {
        Some(PropValue::RuleAction(b)) => match RuleActions::decode(b, Form::Rop) {
            Ok(a) => a.actions.iter().map(|a| Node::str(action::describe(mb, a))).collect(),
            Err(e) => vec![Node::str(format!("(undecodable: {e})"))],
        },
        _ => Vec::new(),
    };
    let mut n = Node::map([
        ("id", Node::str(format!("0x{:016x}", id_of(r).unwrap_or(0)))),
        ("name", Node::str(text_of(r, PR_RULE_NAME))),
        ("sequence", Node::Int(r.get(PR_RULE_SEQUENCE).and_then(PropValue::as_i64).unwrap_or(0) as i128)),
        ("enabled", Node::Bool(st & state::ENABLED != 0)),
        ("state", Node::List(state_names(st))),
        ("provider", Node::str(text_of(r, PR_RULE_PROVIDER))),
        ("condition", Node::str(condition)),
        ("actions", Node::List(actions)),
    ]);
    if let Some(RowValue::Value(PropValue::I32(e))) =
        r.columns.iter().position(|t| *t == PR_RULE_ERROR).and_then(|i| r.values.get(i))
    {
        n = n.with("error", Node::Int(*e as i128));
    }
    n
}

fn add_cmd(mb: &Mailbox, add: &AddArgs) -> Result<Node, Failure> {
    let folder = mb.folder(add.folder.as_deref().unwrap_or(DEFAULT_FOLDER))?;
    let cond = condition::parse(&add.condition).map_err(|e| {
        Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "--if",
            format!("condition {:?}: {}", add.condition, e.0),
            "tests subject~TEXT, body~TEXT, from=ADDR, to=ADDR, importance=N, size>N, has-attachment combined with \
             and, or, not and parentheses",
        )
    })?;
    let specs: Vec<action::ActionSpec> = add
        .actions
        .iter()
        .map(|a| {
            action::parse(a).map_err(|e| {
                Failure::bad_input(
                    codes::MAPI_E_INVALID_PARAMETER,
                    "--then",
                    format!("action {a:?}: {e}"),
                    action::FORM,
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let mut blocks = Vec::new();
    for s in &specs {
        blocks.push(action::resolve(mb, &folder, s)?);
    }
    let existing = list(&folder)?;
    let sequence = add.sequence.unwrap_or_else(|| {
        existing
            .iter()
            .filter_map(|r| r.get(PR_RULE_SEQUENCE).and_then(PropValue::as_i64))
            .max()
            .map_or(10, |m| m as i32 + 1)
    });
    let mut st = if add.disabled { 0 } else { state::ENABLED };
    if add.stop {
        st |= state::EXIT_LEVEL;
    }
    let props = vec![
        TaggedValue { tag: PR_RULE_NAME, value: PropValue::Unicode(add.name.clone()) },
        TaggedValue { tag: PR_RULE_SEQUENCE, value: PropValue::I32(sequence) },
        TaggedValue { tag: PR_RULE_STATE, value: PropValue::I32(st as i32) },
        TaggedValue { tag: PR_RULE_PROVIDER, value: PropValue::Unicode(RULE_ORGANIZER.into()) },
        TaggedValue { tag: PR_RULE_LEVEL, value: PropValue::I32(0) },
        TaggedValue { tag: PR_RULE_CONDITION, value: PropValue::Restriction(Box::new(cond)) },
        TaggedValue {
            tag: PR_RULE_ACTIONS,
            value: PropValue::RuleAction(RuleActions { actions: blocks }.encode(Form::Rop)),
        },
    ];
    folder.modify_rules(
        0,
        vec![RuleData { rule_data_flags: rule_data_flags::ROW_ADD, property_values: props }],
    )?;
    let added = list(&folder)?
        .into_iter()
        .filter(|r| text_of(r, PR_RULE_NAME) == add.name)
        .max_by_key(|r| id_of(r).unwrap_or(0));
    Ok(added.map(|r| rule_node(mb, &r)).unwrap_or_else(|| Node::map([("name", Node::str(add.name.clone()))])))
}
