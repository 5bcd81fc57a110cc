//! Server-side rules over the wire (MS-OXORULE 3.2.5; MS-OXCROPS 2.2.11): RopModifyRules,
//! RopGetRulesTable and RopUpdateDeferredActionMessages as ruler sends them and as gromox
//! answers them (`exch/emsmdb/oxorule.cpp`).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::decode_requests;
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxorule::{ModifyRulesRequest, RuleData, UpdateDeferredActionMessagesRequest};
use oxmapi_wire::rop::request::{RequestContext, RopRequest};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16().chain([0]).flat_map(|u| u.to_le_bytes()).collect()
}

/// ruler's ROW_ADD (sensepost/ruler `mapi/mapi.go` `ExecuteMailRuleAdd`) on the folder in slot 1,
/// with our LogonId 0: PidTagRuleName, PidTagRuleSequence 10, PidTagRuleState ST_ENABLED, a
/// RES_CONTENT condition on PidTagSubject, one OP_DEFER_ACTION, PidTagRuleProvider
/// "RuleOrganizer", PidTagRuleLevel 0 and 16 bytes of PidTagRuleProviderData.
fn ruler_add(name: &str) -> RopRequest {
    let mut b = hex("41 00 01 00 01 00 01 08 00");
    b.extend(hex("1F 00 82 66"));
    b.extend(utf16z(name));
    b.extend(hex("03 00 76 66 0A 00 00 00"));
    b.extend(hex("03 00 77 66 01 00 00 00"));
    b.extend(hex("FD 00 79 66 03 01 00 01 00 1F 00 37 00 1F 00 37 00"));
    b.extend(utf16z("hi"));
    b.extend(hex("FE 00 80 66 01 00 09 00 05 00 00 00 00 00 00 00 00"));
    b.extend(hex("1F 00 81 66"));
    b.extend(utf16z("RuleOrganizer"));
    b.extend(hex("03 00 83 66 00 00 00 00"));
    b.extend(hex("02 01 84 66 10 00 00 00 14 00 01 00 00 00 28 7d d2 27 14 c4 e4 40"));
    decode_requests(&b, &RequestContext::default()).unwrap().remove(0)
}

/// ruler's ROW_REMOVE (`ExecuteMailRuleDelete`): RuleDataFlags 0x04 with PidTagRuleId only.
fn ruler_remove(id: u64) -> RopRequest {
    let mut b = hex("41 00 01 00 01 00 04 01 00 14 00 74 66");
    b.extend(id.to_le_bytes());
    decode_requests(&b, &RequestContext::default()).unwrap().remove(0)
}

fn rules_table(input: u8, out: u8) -> RopRequest {
    RopRequest::GetRulesTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: 0x40,
    })
}

fn modify(flag: u8, rules: Vec<RuleData>) -> RopRequest {
    RopRequest::ModifyRules(ModifyRulesRequest {
        logon_id: 0,
        input_handle_index: 1,
        modify_rules_flag: flag,
        rules_data: rules,
    })
}

fn value(v: &RowValue) -> PropValue {
    match v {
        RowValue::Value(p) => p.clone(),
        other => panic!("no value: {other:?}"),
    }
}

/// (PidTagRuleId, PidTagRuleName) of every row of the Inbox's rules table.
async fn list(l: &mut Logon) -> Vec<(u64, String)> {
    let reqs = [
        req::open_folder(0, 1, l.inbox()),
        rules_table(1, 2),
        req::set_columns(2, &[PR_RULE_ID, PR_RULE_NAME, PR_RULE_SEQUENCE, PR_RULE_STATE, PR_RULE_ACTIONS]),
        req::query_rows(2, 100, true),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    for r in &resp[..3] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    rows_of(&resp[3])
        .iter()
        .map(|row| {
            let PropValue::I64(id) = value(&row.values[0]) else { panic!("{row:?}") };
            let PropValue::Unicode(name) = value(&row.values[1]) else { panic!("{row:?}") };
            (id as u64, name)
        })
        .collect()
}

async fn run(l: &mut Logon, r: RopRequest) -> u32 {
    let (resp, _) = l.m.rops(&[req::open_folder(0, 1, l.inbox()), r], l.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0);
    rv(&resp[1])
}

/// ruler lists, adds and deletes rules (MS-OXORULE 3.2.5.1, 3.2.5.2): its exact ROW_ADD is
/// accepted, the rules table shows the rule with the server's PidTagRuleId, and ROW_REMOVE of
/// that id deletes it.
#[tokio::test]
async fn ruler_adds_lists_and_deletes_a_rule() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    assert!(list(&mut l).await.is_empty());
    assert_eq!(run(&mut l, ruler_add("ruler")).await, 0);
    let rules = list(&mut l).await;
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].1, "ruler");
    assert_ne!(rules[0].0, 0, "the server assigns PidTagRuleId (MS-OXORULE 2.2.7.8)");
    assert_eq!(run(&mut l, ruler_remove(rules[0].0)).await, 0);
    assert!(list(&mut l).await.is_empty());
}

/// The table lists rules in PidTagRuleSequence order with every property the client gave
/// (MS-OXORULE 2.2.1.3.1), and ROW_MODIFY changes only what it names.
#[tokio::test]
async fn the_rules_table_follows_sequence_and_modify() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    assert_eq!(run(&mut l, ruler_add("b")).await, 0);
    let RopRequest::ModifyRules(mut first) = ruler_add("a") else { unreachable!() };
    first.rules_data[0].property_values[1].value = PropValue::I32(5);
    assert_eq!(run(&mut l, RopRequest::ModifyRules(first)).await, 0);
    let rules = list(&mut l).await;
    assert_eq!(rules.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    let change = RuleData {
        rule_data_flags: 0x02,
        property_values: vec![
            TaggedValue { tag: PR_RULE_ID, value: PropValue::I64(rules[1].0 as i64) },
            TaggedValue { tag: PR_RULE_SEQUENCE, value: PropValue::I32(1) },
        ],
    };
    assert_eq!(run(&mut l, modify(0, vec![change])).await, 0);
    let after = list(&mut l).await;
    assert_eq!(after.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["b", "a"]);
}

/// MS-OXORULE 3.2.5.2 (gromox `rop_modifyrules`): ModifyRulesFlag bits other than
/// MODIFY_RULES_FLAG_REPLACE, REPLACE with a row that is not ROW_ADD, an unknown RuleDataFlags
/// and a ROW_REMOVE without PidTagRuleId are ecInvalidParam; an undecodable PidTagRuleActions
/// too; a rule id the folder does not have is ecNotFound.
#[tokio::test]
async fn malformed_modify_rules_requests_are_refused() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let invalid = codes::MAPI_E_INVALID_PARAMETER.0;
    assert_eq!(run(&mut l, modify(0x02, vec![])).await, invalid);
    let remove = |props| RuleData { rule_data_flags: 0x04, property_values: props };
    assert_eq!(run(&mut l, modify(0x01, vec![remove(vec![])])).await, invalid);
    assert_eq!(
        run(&mut l, modify(0, vec![RuleData { rule_data_flags: 0x03, property_values: vec![] }])).await,
        invalid
    );
    assert_eq!(run(&mut l, modify(0, vec![remove(vec![])])).await, invalid);
    let RopRequest::ModifyRules(mut bad) = ruler_add("x") else { unreachable!() };
    bad.rules_data[0].property_values[4].value =
        PropValue::RuleAction(hex("01 00 0A 00 06 00 00 00 00 00 00 00 00 0D"));
    assert_eq!(run(&mut l, RopRequest::ModifyRules(bad)).await, invalid);
    assert_eq!(run(&mut l, ruler_remove(0x0001_0000_0000_4242)).await, codes::MAPI_E_NOT_FOUND.0);
    assert!(list(&mut l).await.is_empty(), "nothing was written");
}

/// MODIFY_RULES_FLAG_REPLACE (MS-OXORULE 2.2.1.2): the folder's rules are replaced by the
/// ROW_ADD rows of the request.
#[tokio::test]
async fn replace_swaps_every_rule() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    assert_eq!(run(&mut l, ruler_add("old1")).await, 0);
    assert_eq!(run(&mut l, ruler_add("old2")).await, 0);
    let RopRequest::ModifyRules(mut new) = ruler_add("new") else { unreachable!() };
    new.modify_rules_flag = 0x01;
    assert_eq!(run(&mut l, RopRequest::ModifyRules(new)).await, 0);
    assert_eq!(list(&mut l).await.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(), ["new"]);
}

/// RopGetRulesTable and RopModifyRules need a Folder object: on the Logon object they are
/// ecNotSupported (gromox `rop_getrulestable`, `rop_modifyrules`).
#[tokio::test]
async fn rule_rops_on_a_logon_are_not_supported() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let RopRequest::ModifyRules(mut m) = ruler_add("x") else { unreachable!() };
    m.input_handle_index = 0;
    let (resp, _) = l.m.rops(&[rules_table(0, 1), RopRequest::ModifyRules(m)], l.slots(1)).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_NO_SUPPORT.0);
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_SUPPORT.0);
}

/// RopUpdateDeferredActionMessages (MS-OXORULE 3.2.5.3): the DAM whose
/// PidTagDamOriginalEntryId is the ServerEntryId gets the ClientEntryId and
/// PidTagDamBackPatched; other DAMs stay as they are.
#[tokio::test]
async fn update_deferred_action_messages_back_patches_the_dam() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let dam_folder = l.folders[1];
    let dam = |eid: &[u8]| {
        vec![
            TaggedValue {
                tag: PR_MESSAGE_CLASS,
                value: PropValue::Unicode("IPC.Microsoft Exchange 4.0.Deferred Action".into()),
            },
            TaggedValue { tag: PR_DAM_ORIGINAL_ENTRYID, value: PropValue::Binary(eid.to_vec()) },
        ]
    };
    let hit = new_message(&mut l, dam_folder, false, dam(b"server-eid")).await;
    let other = new_message(&mut l, dam_folder, false, dam(b"another")).await;
    let q = RopRequest::UpdateDeferredActionMessages(UpdateDeferredActionMessagesRequest {
        logon_id: 0,
        input_handle_index: 0,
        server_entry_id: b"server-eid".to_vec(),
        client_entry_id: b"client-eid".to_vec(),
    });
    let (resp, _) = l.m.rops(&[q], l.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0);
    let store = server_store(&ts, &alice);
    let get = |mid: ObjectId, tag| off_runtime(|| store.message_property(mid, tag).unwrap());
    assert_eq!(get(hit, PR_DAM_ORIGINAL_ENTRYID), Some(PropValue::Binary(b"client-eid".to_vec())));
    assert_eq!(get(hit, PR_DAM_BACK_PATCHED), Some(PropValue::Bool(true)));
    assert_eq!(get(other, PR_DAM_ORIGINAL_ENTRYID), Some(PropValue::Binary(b"another".to_vec())));
}

/// Out of office is PidTagOutOfOfficeState on the mailbox, set with RopSetProperties on the
/// Logon object as Exchange's clients do; the next RopLogon reports it with ResponseFlags OOF
/// (0x10, MS-OXCSTOR 2.2.1.1.3), and clearing it clears the flag.
#[tokio::test]
async fn the_logon_oof_flag_follows_pid_tag_out_of_office_state() {
    use oxmapi_wire::rop::oxcstor::LogonResponse;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let flags = |resp: &oxmapi_wire::rop::response::RopResponse| {
        let oxmapi_wire::rop::response::RopResponse::Logon(o) = resp else { panic!("{resp:?}") };
        let Some(LogonResponse::Private(p)) = &o.body else { panic!("{o:?}") };
        p.response_flags
    };
    for on in [true, false] {
        let set = req::set_props(0, vec![TaggedValue { tag: PR_OOF_STATE, value: PropValue::Bool(on) }]);
        let (resp, _) = l.m.rops(&[set], l.slots(0)).await;
        assert_eq!(rv(&resp[0]), 0);
        let (resp, _) = l.m.rops(&[req::logon(1, 0, &alice.legacy_dn)], vec![u32::MAX]).await;
        assert_eq!(flags(&resp[0]) & 0x10 != 0, on, "OOF flag with PidTagOutOfOfficeState {on}");
    }
}
