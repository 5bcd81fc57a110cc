//! MS-OXORULE: the e-mail rules protocol — RopModifyRules, RopGetRulesTable and
//! RopUpdateDeferredActionMessages on folders the suite creates (never the Inbox, so no mail is
//! moved). Ported from Microsoft's MS-OXORULE suite (OfficeDev/Interop-TestSuites,
//! ExchangeMAPI/Source/MS-OXORULE, scenario S01_AddModifyDeleteRetrieveRules, whose requirement
//! numbers the cases cite where it captures one); the other cases cite the section they check
//! and were compared with gromox (`exch/emsmdb/oxorule.cpp`) and the requests
//! sensepost/ruler sends.

use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::rule_action::{
    ActionBlock, ActionData, RecipientBlock, RuleActions, bounce_code, op, server_eid,
};
use oxmapi_wire::cdata::{Form, PropertyRow, RowValue};
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxorule::{ModifyRulesRequest, RuleData, UpdateDeferredActionMessagesRequest};
use oxmapi_wire::rop::request::RopRequest;

use crate::body;
use crate::case::{CaseResult, Protocol, Verdict, ensure, eq, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;
use crate::rops_oxcfold::rows_of;

const P: Protocol = Protocol::OxoRule;
crate::case_constructor!(P);

type R<T> = Result<T, Verdict>;

const EC_INVALID_PARAM: u32 = codes::MAPI_E_INVALID_PARAMETER.0;

const PR_RULE_ID: PropTag = PropTag(0x6674_0014);
const PR_RULE_SEQUENCE: PropTag = PropTag(0x6676_0003);
const PR_RULE_STATE: PropTag = PropTag(0x6677_0003);
const PR_RULE_USER_FLAGS: PropTag = PropTag(0x6678_0003);
const PR_RULE_CONDITION: PropTag = PropTag(0x6679_00FD);
const PR_RULE_ACTIONS: PropTag = PropTag(0x6680_00FE);
const PR_RULE_PROVIDER: PropTag = PropTag(0x6681_001F);
const PR_RULE_NAME: PropTag = PropTag(0x6682_001F);
const PR_RULE_LEVEL: PropTag = PropTag(0x6683_0003);
const PR_RULE_PROVIDER_DATA: PropTag = PropTag(0x6684_0102);
const PR_HAS_RULES: PropTag = PropTag(0x663A_000B);
const PR_SUBJECT: PropTag = PropTag(0x0037_001F);
const PR_IMPORTANCE: PropTag = PropTag(0x0017_0003);

/// ST_ENABLED (MS-OXORULE 2.2.1.3.1.3).
const ST_ENABLED: i32 = 0x01;
/// ROW_ADD, ROW_MODIFY, ROW_REMOVE (MS-OXORULE 2.2.1.3.2).
const ROW_ADD: u8 = 0x01;
const ROW_MODIFY: u8 = 0x02;
const ROW_REMOVE: u8 = 0x04;

pub const CASES: &[crate::case::Case] = &[
    case("oxorule_modify_rules_add_succeeds", "MS-OXORULE 3.2.5.1", &["MS-OXORULE_R596"], add_succeeds),
    case(
        "oxorule_get_rules_table_succeeds",
        "MS-OXORULE 2.2.2.2, 3.2.5.2",
        &["MS-OXORULE_R133", "MS-OXORULE_R611"],
        table_succeeds,
    ),
    case(
        "oxorule_rules_table_has_every_rule",
        "MS-OXORULE 2.2.2, 3.2.5.2",
        &["MS-OXORULE_R122", "MS-OXORULE_R123", "MS-OXORULE_R612"],
        table_has_every_rule,
    ),
    case("oxorule_empty_folder_rules_table_is_empty", "MS-OXORULE 2.2.2", &["MS-OXORULE_R122"], empty_table),
    case(
        "oxorule_server_assigns_rule_id",
        "MS-OXORULE 2.2.7.8, 3.2.5.1",
        &["MS-OXORULE_R597"],
        rule_id_assigned,
    ),
    case("oxorule_rule_ids_are_distinct", "MS-OXORULE 2.2.7.8", &["MS-OXORULE_R597"], rule_ids_distinct),
    case("oxorule_user_flags_preserved", "MS-OXORULE 2.2.1.3.1.7", &["MS-OXORULE_R96"], user_flags_preserved),
    case(
        "oxorule_provider_data_preserved",
        "MS-OXORULE 2.2.1.3.1.8",
        &["MS-OXORULE_R100"],
        provider_data_preserved,
    ),
    case(
        "oxorule_has_rules_false_without_rules",
        "MS-OXORULE 3.2.5.1",
        &["MS-OXORULE_R606"],
        has_rules_false,
    ),
    case("oxorule_has_rules_true_with_rules", "MS-OXORULE 3.2.5.1", &["MS-OXORULE_R605"], has_rules_true),
    case(
        "oxorule_modify_rules_flag_unused_bits_invalid",
        "MS-OXORULE 2.2.1.1, 3.2.5.1",
        &["MS-OXORULE_R821", "MS-OXORULE_R822"],
        unused_flag_bits,
    ),
    case(
        "oxorule_replace_takes_only_row_add",
        "MS-OXORULE 2.2.1.1, 3.2.5.1",
        &["MS-OXORULE 2.2.1.1 ModifyRulesFlag R"],
        replace_only_add,
    ),
    case(
        "oxorule_replace_replaces_every_rule",
        "MS-OXORULE 2.2.1.1",
        &["MS-OXORULE 2.2.1.1 ModifyRulesFlag R"],
        replace_replaces,
    ),
    case(
        "oxorule_row_modify_changes_what_it_names",
        "MS-OXORULE 3.1.4.2.1, 3.2.5.1",
        &["MS-OXORULE 3.1.4.2.1 modifying"],
        row_modify,
    ),
    case(
        "oxorule_row_modify_disables_a_rule",
        "MS-OXORULE 2.2.1.3.1.3",
        &["MS-OXORULE 2.2.1.3.1.3 ST_ENABLED"],
        row_modify_state,
    ),
    case(
        "oxorule_row_remove_deletes_the_rule",
        "MS-OXORULE 3.1.4.2.1, 3.2.5.1",
        &["MS-OXORULE 3.1.4.2.1 deleting"],
        row_remove,
    ),
    case(
        "oxorule_rule_name_round_trips",
        "MS-OXORULE 2.2.1.3.1.4",
        &["MS-OXORULE 2.2.1.3.1.4 PidTagRuleName"],
        name_round_trips,
    ),
    case(
        "oxorule_rule_sequence_round_trips",
        "MS-OXORULE 2.2.1.3.1.2",
        &["MS-OXORULE 2.2.1.3.1.2 PidTagRuleSequence"],
        sequence_round_trips,
    ),
    case(
        "oxorule_rule_provider_round_trips",
        "MS-OXORULE 2.2.1.3.1.5",
        &["MS-OXORULE 2.2.1.3.1.5 PidTagRuleProvider"],
        provider_round_trips,
    ),
    case(
        "oxorule_rule_level_round_trips",
        "MS-OXORULE 2.2.1.3.1.6",
        &["MS-OXORULE 2.2.1.3.1.6 PidTagRuleLevel"],
        level_round_trips,
    ),
    case(
        "oxorule_rule_condition_round_trips",
        "MS-OXORULE 2.2.1.3.1.9, MS-OXCDATA 2.12",
        &["MS-OXORULE 2.2.1.3.1.9 PidTagRuleCondition"],
        condition_round_trips,
    ),
    case(
        "oxorule_action_move_round_trips",
        "MS-OXORULE 2.2.5.1.2.1",
        &["MS-OXORULE 2.2.5.1.2.1 OP_MOVE"],
        action_move,
    ),
    case(
        "oxorule_action_copy_round_trips",
        "MS-OXORULE 2.2.5.1.2.1",
        &["MS-OXORULE 2.2.5.1.2.1 OP_COPY"],
        action_copy,
    ),
    case(
        "oxorule_action_reply_round_trips",
        "MS-OXORULE 2.2.5.1.2.2",
        &["MS-OXORULE 2.2.5.1.2.2 OP_REPLY"],
        action_reply,
    ),
    case(
        "oxorule_action_oof_reply_round_trips",
        "MS-OXORULE 2.2.5.1.2.2",
        &["MS-OXORULE 2.2.5.1.2.2 OP_OOF_REPLY"],
        action_oof_reply,
    ),
    case(
        "oxorule_action_defer_round_trips",
        "MS-OXORULE 2.2.5.1.2.3",
        &["MS-OXORULE 2.2.5.1.2.3 OP_DEFER_ACTION"],
        action_defer,
    ),
    case(
        "oxorule_action_bounce_round_trips",
        "MS-OXORULE 2.2.5.1.2.4",
        &["MS-OXORULE 2.2.5.1.2.4 OP_BOUNCE"],
        action_bounce,
    ),
    case(
        "oxorule_action_forward_round_trips",
        "MS-OXORULE 2.2.5.1.2.5",
        &["MS-OXORULE 2.2.5.1.2.5 OP_FORWARD"],
        action_forward,
    ),
    case(
        "oxorule_action_delegate_round_trips",
        "MS-OXORULE 2.2.5.1.2.5",
        &["MS-OXORULE 2.2.5.1.2.5 OP_DELEGATE"],
        action_delegate,
    ),
    case(
        "oxorule_action_tag_round_trips",
        "MS-OXORULE 2.2.5.1.2.6",
        &["MS-OXORULE 2.2.5.1.2.6 OP_TAG"],
        action_tag,
    ),
    case(
        "oxorule_action_delete_and_mark_read_round_trip",
        "MS-OXORULE 2.2.5.1.2.7",
        &["MS-OXORULE 2.2.5.1.2.7 OP_DELETE, OP_MARK_AS_READ"],
        action_delete_mark_read,
    ),
    case(
        "oxorule_several_actions_keep_their_order",
        "MS-OXORULE 2.2.5",
        &["MS-OXORULE 2.2.5 RuleAction NoOfActions"],
        several_actions,
    ),
    case(
        "oxorule_update_deferred_action_messages_succeeds",
        "MS-OXORULE 2.2.3, 3.2.5.3",
        &["MS-OXORULE 3.2.5.3 RopUpdateDeferredActionMessages"],
        update_dams,
    ),
];

fn act(action_type: u8, data: ActionData) -> ActionBlock {
    ActionBlock { action_type, flavor: 0, flags: 0, data }
}

fn mark_read() -> ActionBlock {
    act(op::MARK_AS_READ, ActionData::Other(Vec::new()))
}

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

fn condition() -> Restriction {
    Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_SUBJECT,
        value: TaggedValue::new(PR_SUBJECT, PropValue::Unicode("oxorule-conformance".into())),
    }
}

/// The properties of a standard rule as the MS-OXORULE suite's `GenerateValidRuleData` sets
/// them: name, sequence, state, user flags, provider, provider data, level, condition, actions.
fn rule(name: &str, sequence: i32, actions: Vec<ActionBlock>) -> Vec<TaggedValue> {
    vec![
        text(PR_RULE_NAME, name),
        TaggedValue::new(PR_RULE_SEQUENCE, PropValue::I32(sequence)),
        TaggedValue::new(PR_RULE_STATE, PropValue::I32(ST_ENABLED)),
        TaggedValue::new(PR_RULE_USER_FLAGS, PropValue::I32(0x1234)),
        text(PR_RULE_PROVIDER, "RuleOrganizer"),
        TaggedValue::new(PR_RULE_PROVIDER_DATA, PropValue::Binary(b"oxmapi-provider-data".to_vec())),
        TaggedValue::new(PR_RULE_LEVEL, PropValue::I32(0)),
        TaggedValue::new(PR_RULE_CONDITION, PropValue::Restriction(Box::new(condition()))),
        TaggedValue::new(PR_RULE_ACTIONS, PropValue::RuleAction(RuleActions { actions }.encode(Form::Rop))),
    ]
}

fn add(props: Vec<TaggedValue>) -> RuleData {
    RuleData { rule_data_flags: ROW_ADD, property_values: props }
}

/// RopModifyRules on the folder handle `h`: its ReturnValue.
fn modify(ctx: &mut Ctx, h: u32, flag: u8, rules: Vec<RuleData>) -> R<u32> {
    let q = RopRequest::ModifyRules(ModifyRulesRequest {
        logon_id: 0,
        input_handle_index: 0,
        modify_rules_flag: flag,
        rules_data: rules,
    });
    Ok(crate::case::rv(&ctx.rop(&[h], q)?.resp))
}

fn modify_ok(ctx: &mut Ctx, h: u32, flag: u8, rules: Vec<RuleData>) -> CaseResult {
    let got = modify(ctx, h, flag, rules)?;
    crate::case::eq_code("RopModifyRules", 0, got)
}

/// A rules table handle on folder handle `h`.
fn rules_table(ctx: &mut Ctx, h: u32) -> R<u32> {
    let q = RopRequest::GetRulesTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        table_flags: 0x40,
    });
    let one = ctx.rop(&[h], q)?;
    expect_rv("RopGetRulesTable", &one.resp, 0)?;
    one.out.ok_or_else(|| fail("a table handle from RopGetRulesTable", "none"))
}

/// The rows of the folder's rules table with `columns`.
fn rows(ctx: &mut Ctx, h: u32, columns: &[PropTag]) -> R<Vec<PropertyRow>> {
    let t = rules_table(ctx, h)?;
    rows_of(ctx, t, columns, 100)
}

fn value(row: &PropertyRow, i: usize) -> Option<PropValue> {
    match row.values.get(i) {
        Some(RowValue::Value(v)) => Some(v.clone()),
        _ => None,
    }
}

/// A new folder (inside the suite's folder) with one rule `props`: its handle.
fn folder_with(ctx: &mut Ctx, name: &str, props: Vec<TaggedValue>) -> R<u32> {
    let (_, h) = ctx.new_folder(name)?;
    modify_ok(ctx, h, 0, vec![add(props)])?;
    Ok(h)
}

/// The one rule of the folder: `tag`'s value.
fn only_value(ctx: &mut Ctx, h: u32, tag: PropTag) -> R<Option<PropValue>> {
    let r = rows(ctx, h, &[tag])?;
    eq("rules in the table", 1, r.len())?;
    Ok(value(&r[0], 0))
}

fn add_succeeds(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-add")?;
    modify_ok(ctx, h, 0, vec![add(rule("mark read", 1, vec![mark_read()]))])
}

fn table_succeeds(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-table")?;
    rules_table(ctx, h).map(|_| ())
}

fn table_has_every_rule(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-every")?;
    let delete = act(op::DELETE, ActionData::Other(Vec::new()));
    modify_ok(
        ctx,
        h,
        0,
        vec![add(rule("delete", 0, vec![delete])), add(rule("mark read", 1, vec![mark_read()]))],
    )?;
    let r = rows(ctx, h, &[PR_RULE_NAME])?;
    eq("rows (one per rule)", 2, r.len())
}

fn empty_table(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-empty")?;
    eq("rows", 0, rows(ctx, h, &[PR_RULE_ID])?.len())
}

fn rule_id_assigned(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-id", rule("r", 1, vec![mark_read()]))?;
    let id = only_value(ctx, h, PR_RULE_ID)?;
    ensure(matches!(id, Some(PropValue::I64(v)) if v != 0), "a nonzero PidTagRuleId", format!("{id:?}"))
}

fn rule_ids_distinct(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-ids")?;
    modify_ok(ctx, h, 0, (0..3).map(|i| add(rule("r", i, vec![mark_read()]))).collect())?;
    let mut ids: Vec<Option<PropValue>> = rows(ctx, h, &[PR_RULE_ID])?.iter().map(|r| value(r, 0)).collect();
    let n = ids.len();
    ids.dedup();
    ensure(n == 3 && ids.len() == 3, "three distinct PidTagRuleId values", format!("{ids:?}"))
}

fn user_flags_preserved(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-userflags", rule("r", 1, vec![mark_read()]))?;
    eq("PidTagRuleUserFlags", Some(PropValue::I32(0x1234)), only_value(ctx, h, PR_RULE_USER_FLAGS)?)
}

fn provider_data_preserved(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-providerdata", rule("r", 1, vec![mark_read()]))?;
    eq(
        "PidTagRuleProviderData",
        Some(PropValue::Binary(b"oxmapi-provider-data".to_vec())),
        only_value(ctx, h, PR_RULE_PROVIDER_DATA)?,
    )
}

fn has_rules(ctx: &mut Ctx, h: u32) -> R<bool> {
    let one = ctx.rop(&[h], rops::get_props(0, &[PR_HAS_RULES]))?;
    let b = body!(one.resp, GetPropertiesSpecific)?;
    Ok(match &b.row {
        oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. } => {
            matches!(
                rows.first().and_then(|r| r.values.first()),
                Some(RowValue::Value(PropValue::Bool(true)))
            )
        }
        _ => false,
    })
}

fn has_rules_false(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-hasrules-no")?;
    eq("PidTagHasRules", false, has_rules(ctx, h)?)
}

fn has_rules_true(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-hasrules-yes", rule("r", 1, vec![mark_read()]))?;
    eq("PidTagHasRules", true, has_rules(ctx, h)?)
}

fn unused_flag_bits(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-flagbits")?;
    let got = modify(ctx, h, 0x02, vec![add(rule("r", 1, vec![mark_read()]))])?;
    crate::case::eq_code("RopModifyRules with ModifyRulesFlag 0x02", EC_INVALID_PARAM, got)?;
    eq("rules after the refusal", 0, rows(ctx, h, &[PR_RULE_ID])?.len())
}

fn replace_only_add(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxorule-replace-add")?;
    let remove = RuleData {
        rule_data_flags: ROW_REMOVE,
        property_values: vec![TaggedValue::new(PR_RULE_ID, PropValue::I64(1))],
    };
    let got = modify(ctx, h, 0x01, vec![remove])?;
    crate::case::eq_code("RopModifyRules REPLACE with a ROW_REMOVE", EC_INVALID_PARAM, got)
}

fn replace_replaces(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-replace", rule("old", 1, vec![mark_read()]))?;
    modify_ok(ctx, h, 0x01, vec![add(rule("new", 1, vec![mark_read()]))])?;
    let names: Vec<Option<PropValue>> = rows(ctx, h, &[PR_RULE_NAME])?.iter().map(|r| value(r, 0)).collect();
    eq("rule names", vec![Some(PropValue::Unicode("new".into()))], names)
}

fn the_id(ctx: &mut Ctx, h: u32) -> R<i64> {
    match only_value(ctx, h, PR_RULE_ID)? {
        Some(PropValue::I64(v)) => Ok(v),
        other => Err(fail("a PidTagRuleId", format!("{other:?}"))),
    }
}

fn row_modify(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-modify", rule("before", 1, vec![mark_read()]))?;
    let id = the_id(ctx, h)?;
    let change = RuleData {
        rule_data_flags: ROW_MODIFY,
        property_values: vec![TaggedValue::new(PR_RULE_ID, PropValue::I64(id)), text(PR_RULE_NAME, "after")],
    };
    modify_ok(ctx, h, 0, vec![change])?;
    let r = rows(ctx, h, &[PR_RULE_NAME, PR_RULE_USER_FLAGS])?;
    eq("rules", 1, r.len())?;
    eq("PidTagRuleName", Some(PropValue::Unicode("after".into())), value(&r[0], 0))?;
    eq("PidTagRuleUserFlags (not named, kept)", Some(PropValue::I32(0x1234)), value(&r[0], 1))
}

fn row_modify_state(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-disable", rule("r", 1, vec![mark_read()]))?;
    let id = the_id(ctx, h)?;
    let change = RuleData {
        rule_data_flags: ROW_MODIFY,
        property_values: vec![
            TaggedValue::new(PR_RULE_ID, PropValue::I64(id)),
            TaggedValue::new(PR_RULE_STATE, PropValue::I32(0)),
        ],
    };
    modify_ok(ctx, h, 0, vec![change])?;
    eq("PidTagRuleState", Some(PropValue::I32(0)), only_value(ctx, h, PR_RULE_STATE)?)
}

fn row_remove(ctx: &mut Ctx) -> CaseResult {
    let h = folder_with(ctx, "oxorule-remove", rule("r", 1, vec![mark_read()]))?;
    let id = the_id(ctx, h)?;
    let remove = RuleData {
        rule_data_flags: ROW_REMOVE,
        property_values: vec![TaggedValue::new(PR_RULE_ID, PropValue::I64(id))],
    };
    modify_ok(ctx, h, 0, vec![remove])?;
    eq("rules after ROW_REMOVE", 0, rows(ctx, h, &[PR_RULE_ID])?.len())
}

fn round_trip(ctx: &mut Ctx, folder: &str, tag: PropTag, expected: PropValue) -> CaseResult {
    let h = folder_with(ctx, folder, rule("Round trip é", 7, vec![mark_read()]))?;
    eq(&format!("0x{:08X}", tag.0), Some(expected), only_value(ctx, h, tag)?)
}

fn name_round_trips(ctx: &mut Ctx) -> CaseResult {
    round_trip(ctx, "oxorule-name", PR_RULE_NAME, PropValue::Unicode("Round trip é".into()))
}

fn sequence_round_trips(ctx: &mut Ctx) -> CaseResult {
    round_trip(ctx, "oxorule-sequence", PR_RULE_SEQUENCE, PropValue::I32(7))
}

fn provider_round_trips(ctx: &mut Ctx) -> CaseResult {
    round_trip(ctx, "oxorule-provider", PR_RULE_PROVIDER, PropValue::Unicode("RuleOrganizer".into()))
}

fn level_round_trips(ctx: &mut Ctx) -> CaseResult {
    round_trip(ctx, "oxorule-level", PR_RULE_LEVEL, PropValue::I32(0))
}

fn condition_round_trips(ctx: &mut Ctx) -> CaseResult {
    round_trip(ctx, "oxorule-condition", PR_RULE_CONDITION, PropValue::Restriction(Box::new(condition())))
}

/// Adds a rule with `actions` and reads PidTagRuleActions back: the same actions.
fn actions_round_trip(ctx: &mut Ctx, folder: &str, actions: Vec<ActionBlock>) -> CaseResult {
    let h = folder_with(ctx, folder, rule("actions", 1, actions.clone()))?;
    let got = only_value(ctx, h, PR_RULE_ACTIONS)?;
    let Some(PropValue::RuleAction(b)) = got else {
        return Err(fail("a PtypRuleAction PidTagRuleActions", format!("{got:?}")));
    };
    let decoded =
        RuleActions::decode(&b, Form::Rop).map_err(|e| fail("a RuleAction (MS-OXORULE 2.2.5)", e))?;
    eq("the actions", actions, decoded.actions)
}

fn action_move(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let data = ActionData::MoveCopy {
        folder_in_this_store: 1,
        store_eid: Vec::new(),
        folder_eid: server_eid(scratch),
    };
    actions_round_trip(ctx, "oxorule-move", vec![act(op::MOVE, data)])
}

fn action_copy(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let data = ActionData::MoveCopy {
        folder_in_this_store: 1,
        store_eid: Vec::new(),
        folder_eid: server_eid(scratch),
    };
    actions_round_trip(ctx, "oxorule-copy", vec![act(op::COPY, data)])
}

fn reply(t: u8) -> ActionBlock {
    act(
        t,
        ActionData::Reply {
            template_fid: ObjectId::new(1, 0x42),
            template_mid: ObjectId::new(1, 0x43),
            template_guid: Guid([0x5A; 16]),
        },
    )
}

fn action_reply(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(ctx, "oxorule-reply", vec![reply(op::REPLY)])
}

fn action_oof_reply(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(ctx, "oxorule-oofreply", vec![reply(op::OOF_REPLY)])
}

fn action_defer(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(ctx, "oxorule-defer", vec![act(op::DEFER_ACTION, ActionData::Defer(vec![1, 2, 3, 4]))])
}

fn action_bounce(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(
        ctx,
        "oxorule-bounce",
        vec![act(op::BOUNCE, ActionData::Bounce(bounce_code::TOO_LARGE))],
    )
}

fn recipients() -> ActionData {
    ActionData::Recipients(vec![RecipientBlock {
        reserved: 1,
        props: vec![
            text(PropTag(0x3001_001F), "Somebody"),
            text(PropTag(0x3002_001F), "SMTP"),
            text(PropTag(0x3003_001F), "somebody@example.invalid"),
        ],
    }])
}

fn action_forward(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(ctx, "oxorule-forward", vec![act(op::FORWARD, recipients())])
}

fn action_delegate(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(ctx, "oxorule-delegate", vec![act(op::DELEGATE, recipients())])
}

fn action_tag(ctx: &mut Ctx) -> CaseResult {
    let data = ActionData::Tag(TaggedValue::new(PR_IMPORTANCE, PropValue::I32(2)));
    actions_round_trip(ctx, "oxorule-tag", vec![act(op::TAG, data)])
}

fn action_delete_mark_read(ctx: &mut Ctx) -> CaseResult {
    actions_round_trip(
        ctx,
        "oxorule-delete",
        vec![act(op::DELETE, ActionData::Other(Vec::new())), mark_read()],
    )
}

fn several_actions(ctx: &mut Ctx) -> CaseResult {
    let tag = act(op::TAG, ActionData::Tag(TaggedValue::new(PR_IMPORTANCE, PropValue::I32(0))));
    actions_round_trip(
        ctx,
        "oxorule-several",
        vec![mark_read(), tag, reply(op::REPLY), act(op::FORWARD, recipients())],
    )
}

fn update_dams(ctx: &mut Ctx) -> CaseResult {
    let q = RopRequest::UpdateDeferredActionMessages(UpdateDeferredActionMessagesRequest {
        logon_id: 0,
        input_handle_index: 0,
        server_entry_id: vec![0x11; 46],
        client_entry_id: vec![0x22; 46],
    });
    expect_rv("RopUpdateDeferredActionMessages", &ctx.on_logon(q)?.resp, 0)
}
