//! Rules (MS-OXORULE): a rule condition (a restriction in the ROP form, MS-OXCDATA 2.12, as in
//! PidTagRuleCondition), a RuleAction (2.2.5, PidTagRuleActions), and the extended rule
//! condition and actions (2.2.4.1.9, 2.2.4.1.10) with their NamedPropertyInformation (2.2.4.2).
//! The restriction and action codecs are [`crate::cdata`]'s; this adds the descriptions.

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{count, hex32, int};
use super::entryids::entry_id_or_hex;
use crate::cdata::rule_action::{ActionData, RuleActions, op};
use crate::cdata::{Form, read_property_name, read_restriction};
use crate::describe::{Describe, Node};

/// Describes a RuleAction.
pub fn rule_actions_node(a: &RuleActions) -> Node {
    let blocks = a
        .actions
        .iter()
        .map(|b| {
            let data = match &b.data {
                ActionData::MoveCopy { folder_in_this_store, store_eid, folder_eid } => Node::map([
                    ("folder_in_this_store", Node::Bool(*folder_in_this_store != 0)),
                    ("store_eid", if store_eid.is_empty() { Node::Null } else { entry_id_or_hex(store_eid) }),
                    ("folder_eid", server_or_entry_id(*folder_in_this_store != 0, folder_eid)),
                ]),
                ActionData::Reply { template_fid, template_mid, template_guid } => Node::map([
                    ("template_fid", super::ids::object_id_node(*template_fid)),
                    ("template_mid", super::ids::object_id_node(*template_mid)),
                    ("template_guid", Node::str(template_guid.to_string())),
                ]),
                ActionData::ReplyEntryId { message_eid, template_guid } => Node::map([
                    ("template_message_eid", entry_id_or_hex(message_eid)),
                    ("template_guid", Node::str(template_guid.to_string())),
                ]),
                ActionData::Defer(d) => Node::map([("defer_action_data", Node::hex(d))]),
                ActionData::Bounce(c) => Node::map([("bounce_code", hex32(*c))]),
                ActionData::Recipients(rs) => Node::List(
                    rs.iter()
                        .map(|rb| {
                            Node::map([
                                ("reserved", int(rb.reserved)),
                                ("properties", Node::List(rb.props.iter().map(|p| p.describe("")).collect())),
                            ])
                        })
                        .collect(),
                ),
                ActionData::Tag(t) => t.describe(""),
                ActionData::Other(d) => Node::hex(d),
            };
            Node::map([
                (
                    "action_type",
                    Node::map([("value", int(b.action_type)), ("name", Node::str(op::name(b.action_type)))]),
                ),
                ("action_flavor", hex32(b.flavor)),
                ("action_flags", hex32(b.flags)),
                ("action_data", data),
            ])
        })
        .collect();
    Node::map([("action_count", int(a.actions.len() as u32)), ("actions", Node::List(blocks))])
}

/// A ServerEid (MS-OXORULE 2.2.5.1.2.1.1) when the folder is in this store, else an entry ID.
fn server_or_entry_id(in_this_store: bool, b: &[u8]) -> Node {
    if in_this_store {
        if let Some(fid) = crate::cdata::rule_action::server_eid_folder(b) {
            return Node::map([("server_eid", Node::hex(b)), ("folder_id", super::ids::object_id_node(fid))]);
        }
    }
    entry_id_or_hex(b)
}

/// A rule condition: a restriction in the ROP form filling the value.
pub fn rule_condition(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let x = read_restriction(&mut r, Form::Rop)?;
    r.finish("restriction")?;
    Ok(x.describe(""))
}

/// A RuleAction in the ROP form (standard rules).
pub fn rule_action(b: &[u8]) -> DecodeResult<Node> {
    Ok(rule_actions_node(&RuleActions::decode(b, Form::Rop)?))
}

/// NamedPropertyInformation: NoOfNamedProps, the property ids, NamedPropertiesSize and the
/// PropertyName structures.
fn named_property_information(r: &mut Reader<'_>) -> DecodeResult<Node> {
    let n = r.u16("NoOfNamedProps")?;
    let n = count(r, n as u64, 2, "NoOfNamedProps")?;
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        ids.push(r.u16("PropId")?);
    }
    let mut props = Vec::with_capacity(n);
    if n > 0 {
        let size = r.u32("NamedPropertiesSize")? as usize;
        let body = r.take(size, "NamedProperties")?;
        let mut nr = Reader::new(body);
        for id in ids {
            let name = read_property_name(&mut nr)?;
            props.push(
                Node::map([("prop_id", Node::str(format!("0x{id:04x}")))]).with("name", name.describe("")),
            );
        }
    }
    Ok(Node::List(props))
}

/// PidTagExtendedRuleMessageCondition: NamedPropertyInformation then a restriction with
/// 4-byte counts.
pub fn extended_rule_condition(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let named = named_property_information(&mut r)?;
    let x = read_restriction(&mut r, Form::Extended)?;
    r.finish("ExtendedRuleCondition")?;
    Ok(Node::map([("named_properties", named), ("restriction", x.describe(""))]))
}

/// PidTagExtendedRuleMessageActions: NamedPropertyInformation, RuleVersion, then a RuleAction
/// with 4-byte counts.
pub fn extended_rule_action(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let named = named_property_information(&mut r)?;
    let version = r.u32("RuleVersion")?;
    let a = RuleActions::read(&mut r, Form::Extended)?;
    r.finish("ExtendedRuleActions")?;
    Ok(Node::map([("named_properties", named), ("rule_version", int(version))])
        .with("rule_action", rule_actions_node(&a)))
}
