//! Extended rules (MS-OXORULE 2.2.4, 3.2.5.1.2): FAI messages of class `IPM.ExtendedRule.Message`
//! in the folder, whose PidTagRuleMessage* properties mean what the PidTagRule* properties mean
//! for a standard rule and whose condition and actions are PidTagExtendedRuleMessageCondition
//! and PidTagExtendedRuleMessageActions. Clients write them with the ordinary message ROPs; at
//! delivery they run in sequence with the standard rules. One that maps named properties, or
//! does not decode, does not run ([`oxmapi_wire::cdata::extended_rule`]).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::extended_rule::{decode_actions, decode_condition};
use oxmapi_wire::cdata::rule_action::{ActionData, RuleActions};

use super::{Rule, state};
use crate::error::StoreResult;
use crate::mailbox::MessageStore;

/// The message class of an extended rule (MS-OXORULE 2.2.4.1.1).
pub const EXTENDED_RULE_CLASS: &str = "IPM.ExtendedRule.Message";

/// Most FAI messages of a folder looked at for extended rules at each delivery.
pub const MAX_EXTENDED_RULES: usize = 256;

fn text(props: &[TaggedValue], tag: oxmapi_core::tag::PropTag) -> Option<String> {
    props.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| p.value.as_text().map(|t| t.into_owned()))
}

fn int(props: &[TaggedValue], tag: oxmapi_core::tag::PropTag) -> Option<i64> {
    props.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| p.value.as_i64())
}

fn bytes(props: &[TaggedValue], tag: oxmapi_core::tag::PropTag) -> Option<Vec<u8>> {
    props.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| p.value.as_bytes().map(<[u8]>::to_vec))
}

impl MessageStore {
    /// The actions of an extended rule in the form of a standard rule's: a reply template named
    /// by its message entry ID (2.2.5.1.2.2 in extended rules) becomes its folder and message
    /// ids. `None` when a template's entry ID names no message of this store.
    fn standard_form(&self, mut a: RuleActions) -> Option<RuleActions> {
        for block in &mut a.actions {
            if let ActionData::ReplyEntryId { message_eid, template_guid } = &block.data {
                let (template_fid, template_mid) = self.message_ids_from_entry_id(message_eid).ok()?;
                block.data = ActionData::Reply { template_fid, template_mid, template_guid: *template_guid };
            }
        }
        Some(a)
    }

    /// The extended rules of folder `fid` as rules (id: the FAI message's MID), each with its
    /// message. A rule that cannot be read gets ST_RULE_PARSE_ERROR in its state, so it does
    /// not run.
    pub fn extended_rules(&self, fid: ObjectId) -> StoreResult<Vec<(Rule, ObjectId)>> {
        let mut out = Vec::new();
        for mid in self.contents(fid, true)?.into_iter().take(MAX_EXTENDED_RULES) {
            let class = self.message_property(mid, PR_MESSAGE_CLASS)?;
            if !matches!(&class, Some(v) if v.as_text().is_some_and(|c| c.eq_ignore_ascii_case(EXTENDED_RULE_CLASS)))
            {
                continue;
            }
            let props = self.message_properties(mid, usize::MAX)?;
            let condition =
                bytes(&props, PR_EXTENDED_RULE_MSG_CONDITION).and_then(|b| decode_condition(&b).ok());
            let actions = bytes(&props, PR_EXTENDED_RULE_MSG_ACTIONS)
                .and_then(|b| decode_actions(&b).ok())
                .and_then(|a| self.standard_form(a));
            let mut st = int(&props, PR_RULE_MSG_STATE).unwrap_or(0) as u32;
            let mut rule_props = vec![
                TaggedValue {
                    tag: PR_RULE_NAME,
                    value: PropValue::Unicode(text(&props, PR_RULE_MSG_NAME).unwrap_or_default()),
                },
                TaggedValue {
                    tag: PR_RULE_PROVIDER,
                    value: PropValue::Unicode(text(&props, PR_RULE_MSG_PROVIDER).unwrap_or_default()),
                },
            ];
            match (condition, actions) {
                (Some(c), Some(a)) => {
                    rule_props.push(TaggedValue {
                        tag: PR_RULE_CONDITION,
                        value: PropValue::Restriction(Box::new(c)),
                    });
                    // Kept in the ROP form, as the rules of the rules table are.
                    rule_props.push(TaggedValue {
                        tag: PR_RULE_ACTIONS,
                        value: PropValue::RuleAction(a.encode(Form::Rop)),
                    });
                }
                _ => st |= state::RULE_PARSE_ERROR,
            }
            let sequence = int(&props, PR_RULE_MSG_SEQUENCE).unwrap_or(0) as i32;
            out.push((Rule { id: mid.to_u64(), sequence, state: st, props: rule_props }, mid));
        }
        Ok(out)
    }

    /// Records that extended rule `mid` of `fid` failed: ST_ERROR in its PidTagRuleMessageState
    /// (MS-OXORULE 3.2.5.1.2.1).
    pub fn set_extended_rule_error(&self, fid: ObjectId, mid: ObjectId) -> StoreResult<()> {
        let mut draft = self.open_message(fid, mid)?;
        let st = self.message_property(mid, PR_RULE_MSG_STATE)?.and_then(|v| v.as_i64()).unwrap_or(0) as u32;
        self.set_properties(
            &mut draft,
            &[TaggedValue { tag: PR_RULE_MSG_STATE, value: PropValue::I32((st | state::ERROR) as i32) }],
        )?;
        self.save_message(&mut draft, true)?;
        Ok(())
    }
}
