//! Rule ROPs (MS-OXORULE 3.2.5; MS-OXCROPS 2.2.11): RopGetRulesTable, RopModifyRules and
//! RopUpdateDeferredActionMessages over the rules the store keeps per folder
//! ([`oxmapi_store::mailbox::rules`]). Behaviour checked against gromox
//! `exch/emsmdb/oxorule.cpp` (flag checks, object checks, the DAM back-patch) and against the
//! requests sensepost/ruler sends (`mapi/mapi.go`: ROW_ADD with its eight properties, ROW_REMOVE
//! with PidTagRuleId only, a rules table read with RopSetColumns + RopQueryRows).

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::PR_RULE_ID;
use oxmapi_core::error::codes;
use oxmapi_store::mailbox::rules::{MODIFY_RULES_REPLACE, RuleChange, rule_data_flags as rdf};
use oxmapi_store::table::SourceRow;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxorule::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, ServerObject, Slots, TableObject, TableSource};
use super::oxcfold::{folder_only, new_object, table_flags};
use super::oxcstor::{logon_in, store_code};
use super::{RopResult, RopSession};

/// The rows of a rules table: one per rule of folder `fid`, in PidTagRuleSequence order, keyed
/// by PidTagRuleId.
pub(crate) fn rule_rows(
    logon: &LogonObject,
    fid: oxmapi_core::ids::ObjectId,
) -> Result<Vec<SourceRow>, ErrorCode> {
    let rules = logon.store.rules(fid).map_err(store_code)?;
    Ok(rules.into_iter().map(|r| SourceRow { id: r.id, props: r.row().into_iter().collect() }).collect())
}

/// RopGetRulesTable (MS-OXORULE 3.2.5.2, MS-OXCROPS 2.2.11.2): a table object over the rules
/// of the folder; it answers RopSetColumns, RopQueryRows and the other table ROPs as every table
/// does (MS-OXCTABL). TableFlags U (0x40) makes string columns Unicode. Anything but a folder:
/// ecNotSupported (gromox `rop_getrulestable`).
pub fn get_rules_table(rs: &mut RopSession, slots: &mut Slots, q: &GetTableRequest) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let rows = rule_rows(&logon, fid)?;
    let table = TableObject::loaded(
        logon,
        TableSource::Rules { fid },
        rows,
        q.table_flags & table_flags::USE_UNICODE != 0,
        0,
    );
    new_object(rs, slots, q.output_handle_index, ServerObject::Table(Box::new(table)))?;
    Ok(RopResponse::GetRulesTable(Outcome::ok(q.output_handle_index, Empty)))
}

/// The PidTagRuleId a ROW_MODIFY / ROW_REMOVE names (ecInvalidParam without one).
fn rule_id_of(rule: &RuleData) -> Result<u64, ErrorCode> {
    rule.property_values
        .iter()
        .find(|p| p.tag.id() == PR_RULE_ID.id())
        .and_then(|p| p.value.as_i64())
        .map(|v| v as u64)
        .ok_or(codes::MAPI_E_INVALID_PARAMETER)
}

/// The store changes a RopModifyRules request asks for. MS-OXORULE 3.2.5.2: ModifyRulesFlag
/// may only carry MODIFY_RULES_FLAG_REPLACE, and with it every RuleData must be ROW_ADD
/// (ecInvalidParam otherwise, as gromox answers); RuleDataFlags must be exactly one of ROW_ADD,
/// ROW_MODIFY, ROW_REMOVE (2.2.1.3.2); a ROW_ADD's PidTagRuleId, which only the server sets
/// (3.1.4.2.1), is ignored.
pub(crate) fn changes_of(q: &ModifyRulesRequest) -> Result<Vec<RuleChange>, ErrorCode> {
    if q.modify_rules_flag & !MODIFY_RULES_REPLACE != 0 {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    let replace = q.modify_rules_flag & MODIFY_RULES_REPLACE != 0;
    q.rules_data
        .iter()
        .map(|rule| match rule.rule_data_flags {
            rdf::ROW_ADD => Ok(RuleChange::Add(
                rule.property_values.iter().filter(|p| p.tag.id() != PR_RULE_ID.id()).cloned().collect(),
            )),
            _ if replace => Err(codes::MAPI_E_INVALID_PARAMETER),
            rdf::ROW_MODIFY => Ok(RuleChange::Modify(rule_id_of(rule)?, rule.property_values.clone())),
            rdf::ROW_REMOVE => Ok(RuleChange::Remove(rule_id_of(rule)?)),
            _ => Err(codes::MAPI_E_INVALID_PARAMETER),
        })
        .collect()
}

/// RopModifyRules (MS-OXORULE 3.2.5.1): adds, modifies and removes the rules of the folder in
/// one transaction. Errors: ecInvalidParam for bad flags or values (a PidTagRuleActions that
/// does not decode, a PidTagRuleCondition that is not a restriction), ecNotFound for a rule id
/// the folder does not have, ecTooBig past the per-folder limit, ecNotSupported on anything but
/// a folder.
pub fn modify_rules(rs: &mut RopSession, slots: &mut Slots, q: &ModifyRulesRequest) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let changes = changes_of(q)?;
    logon
        .store
        .modify_rules(fid, q.modify_rules_flag & MODIFY_RULES_REPLACE != 0, &changes)
        .map_err(store_code)?;
    Ok(RopResponse::ModifyRules(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopUpdateDeferredActionMessages (MS-OXORULE 3.2.5.3): the DAMs naming `ServerEntryId` get
/// `ClientEntryId` and PidTagDamBackPatched. On a public folders logon: ecNotSupported.
pub fn update_deferred_action_messages(
    rs: &RopSession,
    slots: &Slots,
    q: &UpdateDeferredActionMessagesRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    logon
        .store
        .update_deferred_action_messages(&q.server_entry_id, &q.client_entry_id)
        .map_err(store_code)?;
    Ok(RopResponse::UpdateDeferredActionMessages(Outcome::ok(q.input_handle_index, Empty)))
}
