//! Server-side rules (MS-OXORULE): the standard rules of a folder, as RopModifyRules writes them
//! (2.2.1) and RopGetRulesTable lists them (2.2.2), and the out-of-office reply-once list.
//!
//! A rule is a row of `rules`: its PidTagRuleId (the counter part; the id is the counter with
//! replica 1, like a MID, so ids never repeat in a mailbox), the folder, PidTagRuleSequence,
//! PidTagRuleState, and every other property it was given (PidTagRuleName, PidTagRuleProvider,
//! PidTagRuleLevel, PidTagRuleUserFlags, PidTagRuleProviderData, PidTagRuleCondition,
//! PidTagRuleActions, PidTagRuleError …) as a TaggedPropertyValue list in the ROP form (so a
//! PtypRuleAction value keeps its 16-bit counts; MS-OXORULE 2.2.5).

mod deferred;
mod evaluate;
mod extended;
pub mod oof;

pub use extended::{EXTENDED_RULE_CLASS, MAX_EXTENDED_RULES};

pub use evaluate::{
    DAM_CLASS, DEM_CLASS, MAX_ACTIONS_PER_DELIVERY, RuleOutcome, RuleRun, message_bag, run_rules,
};
pub use oof::{OOF_REPLY_CLASS, REPLY_TEMPLATE_CLASS, is_automatic_or_list};

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::rule_action::RuleActions;
use oxmapi_wire::cdata::{Form, read_tagged_values, write_tagged_values};

use super::commit::Durability;
use super::messages::live_folder;
use super::{LOCAL_REPLICA_ID, MessageStore};
use crate::db::params;
use crate::error::{StoreError, StoreResult};

/// PidTagRuleState flags (MS-OXORULE 2.2.1.3.1.3).
pub mod state {
    /// ST_ENABLED: the rule runs.
    pub const ENABLED: u32 = 0x01;
    /// ST_ERROR: the server found an error in the rule (it does not run).
    pub const ERROR: u32 = 0x02;
    /// ST_ONLY_WHEN_OOF: the rule runs only while the mailbox is out of office.
    pub const ONLY_WHEN_OOF: u32 = 0x04;
    /// ST_KEEP_OOF_HIST: keep the OOF reply-once history.
    pub const KEEP_OOF_HIST: u32 = 0x08;
    /// ST_EXIT_LEVEL: no rule after this one runs when it matched.
    pub const EXIT_LEVEL: u32 = 0x10;
    /// ST_SKIP_IF_SCL_IS_SAFE.
    pub const SKIP_IF_SCL_IS_SAFE: u32 = 0x20;
    /// ST_RULE_PARSE_ERROR: the server could not parse the rule.
    pub const RULE_PARSE_ERROR: u32 = 0x40;
}

/// PidTagRuleError values (MS-OXORULE 2.2.7.7).
pub mod rule_error {
    /// Generic error.
    pub const GENERIC: u32 = 0x01;
    /// The rule could not be opened / its folder was deleted (RULE_ERR_FOLDER…).
    pub const FOLDER_NOT_FOUND: u32 = 0x05;
    /// Delivery failed (RULE_ERR_DELIVERY).
    pub const DELIVERY: u32 = 0x06;
    /// Parsing the rule failed (RULE_ERR_PARSING).
    pub const PARSING: u32 = 0x07;
    /// The action could not be run (RULE_ERR_EXECUTION).
    pub const EXECUTION: u32 = 0x0A;
    /// The target folder does not exist (RULE_ERR_NO_FOLDER).
    pub const NO_FOLDER: u32 = 0x0B;
}

/// RuleDataFlags (MS-OXORULE 2.2.1.3.2).
pub mod rule_data_flags {
    /// ROW_ADD.
    pub const ROW_ADD: u8 = 0x01;
    /// ROW_MODIFY.
    pub const ROW_MODIFY: u8 = 0x02;
    /// ROW_REMOVE.
    pub const ROW_REMOVE: u8 = 0x04;
}

/// ModifyRulesFlag MODIFY_RULES_FLAG_REPLACE (MS-OXORULE 2.2.1.2): delete every rule of the
/// folder before the ROW_ADD entries are added.
pub const MODIFY_RULES_REPLACE: u8 = 0x01;

/// Most rules one folder holds (Exchange's per-mailbox rule quota is 64 KB of rule data; this
/// bounds the work of every delivery the same way). A RopModifyRules that would exceed it fails
/// with ecTooBig ([`StoreError::TooBig`] → MAPI_E_TOO_BIG).
pub const MAX_RULES_PER_FOLDER: usize = 256;

/// Largest encoded size of one rule's properties (bytes); a bigger rule is refused with
/// ecTooBig.
pub const MAX_RULE_BYTES: usize = 64 * 1024;

/// The PidTagRuleProvider of rules made by Outlook and by `oxmapi rules`
/// ("RuleOrganizer", MS-OXORULE 2.2.7.5).
pub const RULE_ORGANIZER: &str = "RuleOrganizer";

/// One standard rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// PidTagRuleId.
    pub id: u64,
    /// PidTagRuleSequence.
    pub sequence: i32,
    /// PidTagRuleState.
    pub state: u32,
    /// The other properties.
    pub props: Vec<TaggedValue>,
}

impl Rule {
    /// The value with the id of `tag`.
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        self.props.iter().find(|p| p.tag.id() == tag.id()).map(|p| &p.value)
    }

    /// PidTagRuleName ("" without one).
    pub fn name(&self) -> String {
        match self.get(PR_RULE_NAME) {
            Some(PropValue::Unicode(s)) => s.clone(),
            Some(PropValue::String8(b)) => String::from_utf8_lossy(b).into_owned(),
            _ => String::new(),
        }
    }

    /// The rule's actions (an empty list when it has none or they do not decode).
    pub fn actions(&self) -> Option<RuleActions> {
        match self.get(PR_RULE_ACTIONS) {
            Some(PropValue::RuleAction(b)) => RuleActions::decode(b, Form::Rop).ok(),
            _ => None,
        }
    }

    /// Every property as a table row has it: PidTagRuleId, PidTagRuleSequence and
    /// PidTagRuleState first.
    pub fn row(&self) -> Vec<TaggedValue> {
        let mut out = vec![
            TaggedValue { tag: PR_RULE_ID, value: PropValue::I64(self.id as i64) },
            TaggedValue { tag: PR_RULE_SEQUENCE, value: PropValue::I32(self.sequence) },
            TaggedValue { tag: PR_RULE_STATE, value: PropValue::I32(self.state as i32) },
        ];
        out.extend(self.props.iter().cloned());
        out
    }
}

/// One entry of a RopModifyRules request (MS-OXORULE 2.2.1.3).
#[derive(Clone, Debug, PartialEq)]
pub enum RuleChange {
    /// ROW_ADD: a new rule with these properties.
    Add(Vec<TaggedValue>),
    /// ROW_MODIFY: the rule with this PidTagRuleId gets these properties.
    Modify(u64, Vec<TaggedValue>),
    /// ROW_REMOVE: the rule with this PidTagRuleId goes.
    Remove(u64),
}

/// The properties kept in columns of their own.
fn is_column(tag: PropTag) -> bool {
    [PR_RULE_ID, PR_RULE_SEQUENCE, PR_RULE_STATE].iter().any(|t| t.id() == tag.id())
}

fn encode(props: &[TaggedValue]) -> Vec<u8> {
    let mut w = Writer::new();
    w.u32(props.len() as u32);
    write_tagged_values(&mut w, props, Form::Rop);
    w.into_vec()
}

fn decode(bytes: &[u8]) -> StoreResult<Vec<TaggedValue>> {
    let corrupt = |e: oxmapi_core::codec::DecodeError| StoreError::Corrupt(format!("stored rule: {e}"));
    let mut r = Reader::new(bytes);
    let n = r.u32("rule property count").map_err(corrupt)?;
    let props = read_tagged_values(&mut r, n as usize, Form::Rop).map_err(corrupt)?;
    r.finish("rule").map_err(corrupt)?;
    Ok(props)
}

/// Checks the values a client gives a rule: PidTagRuleActions must decode (MS-OXORULE 2.2.5),
/// PidTagRuleCondition must be a restriction, the rule must stay within [`MAX_RULE_BYTES`].
fn check_props(props: &[TaggedValue]) -> StoreResult<()> {
    for p in props {
        match (p.tag.id(), &p.value) {
            (id, PropValue::RuleAction(b)) if id == PR_RULE_ACTIONS.id() => {
                RuleActions::decode(b, Form::Rop).map_err(|e| {
                    StoreError::InvalidParameter(format!(
                        "PidTagRuleActions does not decode (MS-OXORULE 2.2.5): {e}"
                    ))
                })?;
            }
            (id, _) if id == PR_RULE_ACTIONS.id() => {
                return Err(StoreError::InvalidParameter("PidTagRuleActions must be PtypRuleAction".into()));
            }
            (id, PropValue::Restriction(_)) if id == PR_RULE_CONDITION.id() => {}
            (id, _) if id == PR_RULE_CONDITION.id() => {
                return Err(StoreError::InvalidParameter(
                    "PidTagRuleCondition must be PtypRestriction".into(),
                ));
            }
            _ => {}
        }
    }
    if encode(props).len() > MAX_RULE_BYTES {
        return Err(StoreError::TooBig(format!(
            "a rule may hold at most {MAX_RULE_BYTES} bytes of properties; shorten its condition or actions"
        )));
    }
    Ok(())
}

fn int(props: &[TaggedValue], tag: PropTag) -> Option<i64> {
    props.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| p.value.as_i64())
}

/// `old` with `new` applied (same id replaces, absent is added), without the column
/// properties.
fn merged(old: &[TaggedValue], new: &[TaggedValue]) -> Vec<TaggedValue> {
    let mut out: Vec<TaggedValue> = old.to_vec();
    for p in new.iter().filter(|p| !is_column(p.tag)) {
        match out.iter_mut().find(|o| o.tag.id() == p.tag.id()) {
            Some(o) => *o = p.clone(),
            None => out.push(p.clone()),
        }
    }
    out
}

fn rule_id(counter: i64) -> u64 {
    ObjectId::new(LOCAL_REPLICA_ID, counter as u64).to_u64()
}

fn counter_of(id: u64) -> StoreResult<i64> {
    let oid = ObjectId::from_u64(id);
    if oid.replica_id != LOCAL_REPLICA_ID {
        return Err(StoreError::NotFound(format!("no rule with PidTagRuleId 0x{id:016X} in this folder")));
    }
    Ok(oid.global_counter as i64)
}

impl MessageStore {
    /// The rules of folder `fid` in PidTagRuleSequence order (then by id).
    pub fn rules(&self, fid: ObjectId) -> StoreResult<Vec<Rule>> {
        let conn = self.lock()?;
        let f = live_folder(&conn, fid)?;
        let mut st = conn.prepare(
            "SELECT rule_id, sequence, state, props FROM rules WHERE fid = ?1 ORDER BY sequence, rule_id",
        )?;
        let rows = st
            .query_map([f as i64], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, Vec<u8>>(3)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, sequence, state, props)| {
                Ok(Rule {
                    id: rule_id(id),
                    sequence: sequence as i32,
                    state: state as u32,
                    props: decode(&props)?,
                })
            })
            .collect()
    }

    /// RopModifyRules (MS-OXORULE 3.2.5.1.1): applies `changes` to the rules of `fid` in one
    /// transaction (all or nothing); with `replace` (MODIFY_RULES_FLAG_REPLACE) every rule of
    /// the folder is deleted first. A ROW_MODIFY or ROW_REMOVE of an id the folder does not
    /// have fails with NotFound (ecNotFound). Returns the ids of the added rules.
    pub fn modify_rules(
        &self,
        fid: ObjectId,
        replace: bool,
        changes: &[RuleChange],
    ) -> StoreResult<Vec<u64>> {
        for c in changes {
            if let RuleChange::Add(p) | RuleChange::Modify(_, p) = c {
                check_props(p)?;
            }
        }
        let adds = changes.iter().filter(|c| matches!(c, RuleChange::Add(_))).count() as u64;
        let first = if adds > 0 { Some(self.allocate_ids(adds)?) } else { None };
        self.write(Durability::Normal, |tx| {
            let f = live_folder(tx, fid)? as i64;
            if replace {
                tx.execute("DELETE FROM rules WHERE fid = ?1", [f])?;
            }
            let mut next = first.map(|o| o.global_counter as i64);
            let mut added = Vec::new();
            for c in changes {
                match c {
                    RuleChange::Add(props) => {
                        let counter = next.ok_or_else(|| StoreError::Corrupt("no rule id allocated".into()))?;
                        next = Some(counter + 1);
                        let sequence = int(props, PR_RULE_SEQUENCE).unwrap_or(0);
                        let st = int(props, PR_RULE_STATE).unwrap_or(0);
                        let rest: Vec<TaggedValue> = merged(&[], props);
                        tx.execute(
                            "INSERT INTO rules (rule_id, fid, sequence, state, props) VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![counter, f, sequence, st, encode(&rest)],
                        )?;
                        added.push(rule_id(counter));
                    }
                    RuleChange::Modify(id, props) => {
                        let counter = counter_of(*id)?;
                        let old: Option<(i64, i64, Vec<u8>)> = tx
                            .query_row(
                                "SELECT sequence, state, props FROM rules WHERE rule_id = ?1 AND fid = ?2",
                                params![counter, f],
                                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                            )
                            .optional()?;
                        let Some((sequence, st, old)) = old else {
                            return Err(StoreError::NotFound(format!(
                                "no rule with PidTagRuleId 0x{id:016X} in this folder"
                            )));
                        };
                        let props_now = merged(&decode(&old)?, props);
                        tx.execute(
                            "UPDATE rules SET sequence = ?1, state = ?2, props = ?3 WHERE rule_id = ?4 AND fid = ?5",
                            params![
                                int(props, PR_RULE_SEQUENCE).unwrap_or(sequence),
                                int(props, PR_RULE_STATE).unwrap_or(st),
                                encode(&props_now),
                                counter,
                                f
                            ],
                        )?;
                    }
                    RuleChange::Remove(id) => {
                        let counter = counter_of(*id)?;
                        let n = tx.execute("DELETE FROM rules WHERE rule_id = ?1 AND fid = ?2", params![counter, f])?;
                        if n == 0 {
                            return Err(StoreError::NotFound(format!(
                                "no rule with PidTagRuleId 0x{id:016X} in this folder"
                            )));
                        }
                    }
                }
            }
            let total: i64 = tx.query_row("SELECT COUNT(*) FROM rules WHERE fid = ?1", [f], |r| r.get(0))?;
            if total as usize > MAX_RULES_PER_FOLDER {
                return Err(StoreError::TooBig(format!(
                    "a folder holds at most {MAX_RULES_PER_FOLDER} rules; remove some first"
                )));
            }
            // PidTagHasRules: TRUE when the folder has rules, else FALSE (MS-OXORULE 3.2.5.1.1,
            // MS-OXORULE_R605 / _R606).
            super::create::put_folder_prop(tx, f as u64, PR_HAS_RULES, &PropValue::Bool(total > 0))?;
            Ok(added)
        })
    }

    /// Records that rule `id` of `fid` failed (MS-OXORULE 3.2.5.1.2): PidTagRuleError set to
    /// `error` and ST_ERROR added to its state, so it does not run again until the client
    /// changes it.
    pub fn set_rule_error(&self, fid: ObjectId, id: u64, error: u32) -> StoreResult<()> {
        let counter = counter_of(id)?;
        self.write(Durability::Normal, |tx| {
            let f = live_folder(tx, fid)? as i64;
            let old: Option<(i64, Vec<u8>)> = tx
                .query_row(
                    "SELECT state, props FROM rules WHERE rule_id = ?1 AND fid = ?2",
                    params![counter, f],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((st, props)) = old else { return Ok(()) };
            let props = merged(
                &decode(&props)?,
                &[TaggedValue { tag: PR_RULE_ERROR, value: PropValue::I32(error as i32) }],
            );
            tx.execute(
                "UPDATE rules SET state = ?1, props = ?2 WHERE rule_id = ?3 AND fid = ?4",
                params![st | state::ERROR as i64, encode(&props), counter, f],
            )?;
            Ok(())
        })
    }
}

use crate::db::OptionalExt;

#[cfg(test)]
mod tests;
