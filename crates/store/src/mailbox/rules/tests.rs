//! The rules of a folder and the out-of-office reply-once list, on the backend the
//! environment selects (SQLite files, or PostgreSQL with `OXMAPI_TEST_DATABASE`).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::Form;
use oxmapi_wire::cdata::rule_action::{ActionBlock, ActionData, RuleActions, op};

use super::*;
use crate::mailbox::SpecialFolder;
use crate::tests::{site, user_with_mailbox};

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

fn mark_read() -> PropValue {
    let a = RuleActions {
        actions: vec![ActionBlock {
            action_type: op::MARK_AS_READ,
            flavor: 0,
            flags: 0,
            data: ActionData::Other(vec![]),
        }],
    };
    PropValue::RuleAction(a.encode(Form::Rop))
}

fn rule(name: &str, sequence: i32) -> Vec<TaggedValue> {
    vec![
        tv(PR_RULE_NAME, PropValue::Unicode(name.into())),
        tv(PR_RULE_SEQUENCE, PropValue::I32(sequence)),
        tv(PR_RULE_STATE, PropValue::I32(state::ENABLED as i32)),
        tv(PR_RULE_PROVIDER, PropValue::Unicode(RULE_ORGANIZER.into())),
        tv(PR_RULE_CONDITION, PropValue::Restriction(Box::new(Restriction::Exist { prop_tag: PR_SUBJECT }))),
        tv(PR_RULE_ACTIONS, mark_read()),
    ]
}

fn inbox_of() -> (tempfile::TempDir, crate::Site, MessageStore, ObjectId) {
    let (t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    (t, dd, s, inbox)
}

#[test]
fn rules_are_added_listed_in_sequence_order_modified_and_removed() {
    let (_t, _dd, s, inbox) = inbox_of();
    assert!(s.rules(inbox).unwrap().is_empty());
    let ids = s
        .modify_rules(
            inbox,
            false,
            &[RuleChange::Add(rule("second", 20)), RuleChange::Add(rule("first", 10))],
        )
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    let rules = s.rules(inbox).unwrap();
    assert_eq!(rules.iter().map(Rule::name).collect::<Vec<_>>(), ["first", "second"]);
    assert_eq!(rules[0].state, state::ENABLED);
    assert_eq!(rules[0].actions().unwrap().actions[0].action_type, op::MARK_AS_READ);
    // The row carries PidTagRuleId, PidTagRuleSequence and PidTagRuleState.
    let row = rules[0].row();
    assert_eq!(row[0], tv(PR_RULE_ID, PropValue::I64(ids[1] as i64)));
    assert_eq!(row[1], tv(PR_RULE_SEQUENCE, PropValue::I32(10)));
    // ROW_MODIFY changes only what it names.
    s.modify_rules(
        inbox,
        false,
        &[RuleChange::Modify(
            ids[0],
            vec![tv(PR_RULE_SEQUENCE, PropValue::I32(1)), tv(PR_RULE_STATE, PropValue::I32(0))],
        )],
    )
    .unwrap();
    let rules = s.rules(inbox).unwrap();
    assert_eq!((rules[0].name(), rules[0].state), ("second".into(), 0));
    assert!(rules[0].get(PR_RULE_CONDITION).is_some());
    assert_eq!(s.folder_property(inbox, PR_HAS_RULES).unwrap(), Some(PropValue::Bool(true)));
    // ROW_REMOVE.
    s.modify_rules(inbox, false, &[RuleChange::Remove(ids[0])]).unwrap();
    assert_eq!(s.rules(inbox).unwrap().len(), 1);
    s.modify_rules(inbox, false, &[RuleChange::Remove(ids[1])]).unwrap();
    assert_eq!(s.folder_property(inbox, PR_HAS_RULES).unwrap(), Some(PropValue::Bool(false)));
}

#[test]
fn an_unknown_rule_id_fails_the_whole_request() {
    let (_t, _dd, s, inbox) = inbox_of();
    let e = s.modify_rules(inbox, false, &[RuleChange::Add(rule("a", 1)), RuleChange::Remove(0x4242_0001)]);
    assert!(matches!(e, Err(StoreError::NotFound(_))), "{e:?}");
    assert!(s.rules(inbox).unwrap().is_empty(), "all or nothing");
    let e = s.modify_rules(inbox, false, &[RuleChange::Modify(0x0001_0000_0000_0001, vec![])]);
    assert!(matches!(e, Err(StoreError::NotFound(_))), "{e:?}");
}

#[test]
fn replace_deletes_the_folders_rules_first() {
    let (_t, _dd, s, inbox) = inbox_of();
    s.modify_rules(inbox, false, &[RuleChange::Add(rule("old", 1)), RuleChange::Add(rule("older", 2))])
        .unwrap();
    s.modify_rules(inbox, true, &[RuleChange::Add(rule("new", 1))]).unwrap();
    assert_eq!(s.rules(inbox).unwrap().iter().map(Rule::name).collect::<Vec<_>>(), ["new"]);
}

#[test]
fn malformed_actions_and_conditions_are_refused() {
    let (_t, _dd, s, inbox) = inbox_of();
    let mut bad = rule("bad", 1);
    bad[5] = tv(PR_RULE_ACTIONS, PropValue::RuleAction(vec![0x01, 0x00, 0x09]));
    assert!(matches!(
        s.modify_rules(inbox, false, &[RuleChange::Add(bad)]),
        Err(StoreError::InvalidParameter(_))
    ));
    let mut bad = rule("bad", 1);
    bad[4] = tv(PR_RULE_CONDITION, PropValue::I32(1));
    assert!(matches!(
        s.modify_rules(inbox, false, &[RuleChange::Add(bad)]),
        Err(StoreError::InvalidParameter(_))
    ));
}

#[test]
fn a_flood_of_rules_is_refused_at_the_limit() {
    let (_t, _dd, s, inbox) = inbox_of();
    let many: Vec<RuleChange> =
        (0..=MAX_RULES_PER_FOLDER as i32).map(|i| RuleChange::Add(rule("r", i))).collect();
    assert!(matches!(s.modify_rules(inbox, false, &many), Err(StoreError::TooBig(_))));
    assert!(s.rules(inbox).unwrap().is_empty());
}

#[test]
fn a_failed_rule_gets_its_error_and_st_error() {
    let (_t, _dd, s, inbox) = inbox_of();
    let id = s.modify_rules(inbox, false, &[RuleChange::Add(rule("r", 1))]).unwrap()[0];
    s.set_rule_error(inbox, id, rule_error::NO_FOLDER).unwrap();
    let r = &s.rules(inbox).unwrap()[0];
    assert_eq!(r.state, state::ENABLED | state::ERROR);
    assert_eq!(r.get(PR_RULE_ERROR), Some(&PropValue::I32(rule_error::NO_FOLDER as i32)));
}

#[test]
fn rules_go_with_their_folder() {
    let (_t, _dd, s, inbox) = inbox_of();
    let f = s
        .create_folder(inbox, "Sub", None, None, crate::mailbox::FolderType::Generic, false)
        .map(|r| r.0)
        .unwrap();
    s.modify_rules(f, false, &[RuleChange::Add(rule("r", 1))]).unwrap();
    assert_eq!(s.rules(f).unwrap().len(), 1);
    assert!(s.rules(inbox).unwrap().is_empty(), "rules belong to one folder");
}

#[test]
fn one_oof_reply_per_sender_per_period() {
    let (_t, _dd, s, _inbox) = inbox_of();
    assert!(!s.out_of_office().unwrap());
    s.set_out_of_office(true).unwrap();
    assert!(s.out_of_office().unwrap());
    assert!(s.first_oof_reply("Bob@Example.test").unwrap());
    assert!(!s.first_oof_reply("bob@example.test").unwrap(), "the same sender, any case");
    assert!(s.first_oof_reply("carol@example.test").unwrap());
    // Still on: the list stays.
    s.set_out_of_office(true).unwrap();
    assert!(!s.first_oof_reply("bob@example.test").unwrap());
    // Off and on again: a new period.
    s.set_out_of_office(false).unwrap();
    s.set_out_of_office(true).unwrap();
    assert!(s.first_oof_reply("bob@example.test").unwrap());
}
