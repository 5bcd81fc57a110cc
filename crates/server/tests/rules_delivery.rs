//! Rules at delivery through the real server (MS-OXORULE 3.2.5.1.2): bob submits over the wire,
//! the delivery worker delivers to alice and runs her Inbox rules; the tests look where the
//! message went. Rules are written with the store's RopModifyRules implementation (the ROP
//! itself is tested in `rules.rs`).

mod common;

use std::time::Duration;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_store::mailbox::rules::{DEM_CLASS, OOF_REPLY_CLASS, RuleChange, rule_error, state};
use oxmapi_wire::cdata::rule_action::{ActionBlock, ActionData, RecipientBlock, RuleActions, op, server_eid};
use oxmapi_wire::cdata::{Form, RowValue};
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
use oxmapi_wire::rop::oxomsg::SubmitMessageRequest;
use oxmapi_wire::rop::recipients::row_from_properties;
use oxmapi_wire::rop::request::RopRequest;

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

/// Submits a message with `props` from `c` to `to` (SMTP).
async fn send(c: &mut Logon, to: &User, props: Vec<TaggedValue>) {
    let outbox = c.folders[5];
    let row = ModifyRecipientRow {
        row_id: 0,
        recipient_type: 1,
        recipient_row: Some(row_from_properties(
            &[
                text(PR_DISPLAY_NAME, &to.smtp_address),
                text(PR_ADDRTYPE, "SMTP"),
                text(PR_EMAIL_ADDRESS, &to.smtp_address),
            ],
            &[],
        )),
    };
    let reqs = [
        req::open_folder(0, 1, outbox),
        req::create_message(1, 2, outbox, false),
        req::set_props(2, props),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 2,
            recipient_columns: vec![],
            recipient_rows: vec![row],
        }),
        RopRequest::SubmitMessage(SubmitMessageRequest {
            logon_id: 0,
            input_handle_index: 2,
            submit_flags: 0,
        }),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for r in &resp[..5] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
}

fn subject(s: &str) -> Vec<TaggedValue> {
    vec![text(PR_SUBJECT, s), text(PR_MESSAGE_CLASS, "IPM.Note")]
}

/// (subject, class) of every message of `fid`.
async fn contents(c: &mut Logon, fid: ObjectId) -> Vec<(String, String)> {
    let reqs = [
        req::open_folder(0, 1, fid),
        req::contents_table(1, 2, 0),
        req::set_columns(2, &[PR_SUBJECT, PR_MESSAGE_CLASS]),
        req::query_rows(2, 100, true),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let s = |v: &RowValue| match v {
        RowValue::Value(PropValue::Unicode(s)) => s.clone(),
        _ => String::new(),
    };
    rows_of(&resp[3]).iter().map(|r| (s(&r.values[0]), s(&r.values[1]))).collect()
}

fn contains(word: &str) -> Restriction {
    Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_SUBJECT,
        value: TaggedValue::new(PR_SUBJECT, PropValue::Unicode(word.into())),
    }
}

fn rule(name: &str, seq: i32, st: u32, cond: Restriction, actions: Vec<ActionBlock>) -> RuleChange {
    RuleChange::Add(vec![
        text(PR_RULE_NAME, name),
        TaggedValue::new(PR_RULE_SEQUENCE, PropValue::I32(seq)),
        TaggedValue::new(PR_RULE_STATE, PropValue::I32(st as i32)),
        text(PR_RULE_PROVIDER, "RuleOrganizer"),
        TaggedValue::new(PR_RULE_CONDITION, PropValue::Restriction(Box::new(cond))),
        TaggedValue::new(PR_RULE_ACTIONS, PropValue::RuleAction(RuleActions { actions }.encode(Form::Rop))),
    ])
}

fn act(action_type: u8, data: ActionData) -> ActionBlock {
    ActionBlock { action_type, flavor: 0, flags: 0, data }
}

fn move_to(fid: ObjectId, copy: bool) -> ActionBlock {
    act(
        if copy { op::COPY } else { op::MOVE },
        ActionData::MoveCopy { folder_in_this_store: 1, store_eid: vec![], folder_eid: server_eid(fid) },
    )
}

fn forward_to(u: &User) -> ActionBlock {
    act(
        op::FORWARD,
        ActionData::Recipients(vec![RecipientBlock {
            reserved: 1,
            props: vec![
                text(PR_DISPLAY_NAME, &u.display_name),
                text(PR_ADDRTYPE, "SMTP"),
                text(PR_EMAIL_ADDRESS, &u.smtp_address),
            ],
        }]),
    )
}

fn add_rules(ts: &TestServer, u: &User, fid: ObjectId, changes: Vec<RuleChange>) {
    let store = server_store(ts, u);
    off_runtime(|| store.modify_rules(fid, false, &changes).unwrap());
}

fn new_folder(ts: &TestServer, u: &User, parent: ObjectId, name: &str) -> ObjectId {
    let store = server_store(ts, u);
    off_runtime(|| {
        store
            .create_folder(parent, name, None, None, oxmapi_store::mailbox::FolderType::Generic, false)
            .unwrap()
            .0
    })
}

/// A move rule files the message it matches into its folder and leaves others in the Inbox;
/// an ST_EXIT_LEVEL rule stops the rules after it; a rule without ST_ENABLED does not run;
/// OP_COPY leaves the original where it is; OP_MARK_AS_READ and OP_TAG change the message.
#[tokio::test]
async fn a_move_rule_files_matching_mail_and_the_state_flags_hold() {
    let ts = TestServer::start().await;
    let (alice, bob) = (ts.add_user("alice", false), ts.add_user("bob", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let inbox = a.inbox();
    let invoices = new_folder(&ts, &alice, inbox, "Invoices");
    let never = new_folder(&ts, &alice, inbox, "Never");
    let copies = new_folder(&ts, &alice, inbox, "Copies");
    let tag = act(op::TAG, ActionData::Tag(TaggedValue::new(PR_IMPORTANCE, PropValue::I32(2))));
    add_rules(
        &ts,
        &alice,
        inbox,
        vec![
            rule("disabled", 1, 0, contains("invoice"), vec![move_to(never, false)]),
            rule(
                "copy",
                2,
                state::ENABLED,
                contains("copy"),
                vec![move_to(copies, true), act(op::MARK_AS_READ, ActionData::Other(vec![])), tag],
            ),
            rule(
                "invoices",
                3,
                state::ENABLED | state::EXIT_LEVEL,
                contains("invoice"),
                vec![move_to(invoices, false)],
            ),
            rule("after exit", 4, state::ENABLED, contains("invoice"), vec![move_to(never, false)]),
        ],
    );
    send(&mut b, &alice, subject("Invoice 42")).await;
    send(&mut b, &alice, subject("Hello")).await;
    send(&mut b, &alice, subject("copy me")).await;
    wait_for(&mut a, invoices, 1).await;
    wait_for(&mut a, copies, 1).await;
    wait_for(&mut a, inbox, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let in_inbox = contents(&mut a, inbox).await;
    assert!(in_inbox.iter().any(|m| m.0 == "Hello"), "{in_inbox:?}");
    assert!(in_inbox.iter().any(|m| m.0 == "copy me"), "OP_COPY leaves the original: {in_inbox:?}");
    assert!(!in_inbox.iter().any(|m| m.0 == "Invoice 42"), "{in_inbox:?}");
    assert_eq!(contents(&mut a, invoices).await.len(), 1);
    assert!(
        contents(&mut a, never).await.is_empty(),
        "neither the disabled rule nor the one after ST_EXIT_LEVEL ran"
    );
    let store = server_store(&ts, &alice);
    let (read, importance) = off_runtime(|| {
        let mid = store.contents(inbox, false).unwrap().into_iter().find(|m| {
            store.message_property(*m, PR_SUBJECT).unwrap() == Some(PropValue::Unicode("copy me".into()))
        });
        let mid = mid.unwrap();
        (
            store.message_property(mid, PR_MESSAGE_FLAGS).unwrap().and_then(|v| v.as_i64()).unwrap() & 1,
            store.message_property(mid, PR_IMPORTANCE).unwrap(),
        )
    });
    assert_eq!(read, 1, "OP_MARK_AS_READ");
    assert_eq!(importance, Some(PropValue::I32(2)), "OP_TAG");
}

/// Two mailboxes that forward to each other: the message goes alice → carol once and stops
/// there (the forward carries PidTagAutoForwarded, and a rule never forwards such a message).
#[tokio::test]
async fn mailboxes_forwarding_to_each_other_do_not_loop() {
    let ts = TestServer::start().await;
    let (alice, bob, carol) =
        (ts.add_user("alice", false), ts.add_user("bob", false), ts.add_user("carol", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let mut c = logon_private(&ts, &carol).await;
    let (a_inbox, c_inbox) = (a.inbox(), c.inbox());
    add_rules(
        &ts,
        &alice,
        a.inbox(),
        vec![rule("fwd", 1, state::ENABLED, contains("loop"), vec![forward_to(&carol)])],
    );
    add_rules(
        &ts,
        &carol,
        c.inbox(),
        vec![rule("back", 1, state::ENABLED, contains("loop"), vec![forward_to(&alice)])],
    );
    send(&mut b, &alice, subject("loop test")).await;
    wait_for(&mut c, c_inbox, 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(contents(&mut a, a_inbox).await.len(), 1);
    let at_carol = contents(&mut c, c_inbox).await;
    assert_eq!(at_carol.len(), 1, "{at_carol:?}");
    assert_eq!(at_carol[0].0, "FW: loop test");
    let store = server_store(&ts, &carol);
    let inbox = c.inbox();
    let marked = off_runtime(|| {
        let mid = store.contents(inbox, false).unwrap()[0];
        store.message_property(mid, PR_AUTO_FORWARDED).unwrap()
    });
    assert_eq!(marked, Some(PropValue::Bool(true)));
}

/// Out of office: an OP_OOF_REPLY rule with ST_ONLY_WHEN_OOF answers each sender once per
/// out-of-office period with the template's text (class IPM.Note.Rules.OofTemplate.Microsoft),
/// never answers a message that asks for no automatic reply (PidTagAutoResponseSuppress), does
/// nothing while out of office is off, and answers again after it is turned on anew.
#[tokio::test]
async fn out_of_office_replies_once_per_sender_per_period() {
    let ts = TestServer::start().await;
    let (alice, bob) = (ts.add_user("alice", false), ts.add_user("bob", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let b_inbox = b.inbox();
    let inbox = a.inbox();
    let template = new_message(
        &mut a,
        inbox,
        true,
        vec![text(PR_MESSAGE_CLASS, OOF_REPLY_CLASS), text(PR_BODY, "I am away until Monday")],
    )
    .await;
    let oof = act(
        op::OOF_REPLY,
        ActionData::Reply {
            template_fid: inbox,
            template_mid: template,
            template_guid: oxmapi_core::guid::Guid([1; 16]),
        },
    );
    add_rules(
        &ts,
        &alice,
        inbox,
        vec![rule(
            "oof",
            1,
            state::ENABLED | state::ONLY_WHEN_OOF,
            Restriction::Exist { prop_tag: PR_SUBJECT },
            vec![oof],
        )],
    );
    let store = server_store(&ts, &alice);
    let set = |on: bool| {
        let store = store.clone();
        off_runtime(move || store.set_out_of_office(on).unwrap())
    };
    // Off: no reply.
    send(&mut b, &alice, subject("before")).await;
    wait_for(&mut a, inbox, 1).await;
    set(true);
    send(&mut b, &alice, subject("are you there 1")).await;
    send(&mut b, &alice, subject("are you there 2")).await;
    let mut suppressed = subject("no autoreply please");
    suppressed.push(TaggedValue::new(PR_AUTO_RESPONSE_SUPPRESS, PropValue::I32(0x10)));
    send(&mut b, &alice, suppressed).await;
    wait_for(&mut a, inbox, 4).await;
    wait_for(&mut b, b_inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let replies = contents(&mut b, b_inbox).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].1, OOF_REPLY_CLASS);
    assert!(replies[0].0.starts_with("Automatic reply"), "{replies:?}");
    // A new period: one more reply.
    set(false);
    set(true);
    send(&mut b, &alice, subject("are you there 3")).await;
    wait_for(&mut b, b_inbox, 2).await;
}

/// A move into a folder that was deleted fails: the message stays in the Inbox and the rule
/// gets PidTagRuleError and ST_ERROR (MS-OXORULE 3.2.5.1.2.1), so it does not run again.
#[tokio::test]
async fn a_failing_action_records_the_rule_error() {
    let ts = TestServer::start().await;
    let (alice, bob) = (ts.add_user("alice", false), ts.add_user("bob", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let inbox = a.inbox();
    let gone = ObjectId::new(1, 0xFFFF_FF00);
    add_rules(
        &ts,
        &alice,
        inbox,
        vec![rule("broken", 1, state::ENABLED, contains("x"), vec![move_to(gone, false)])],
    );
    send(&mut b, &alice, subject("x marks")).await;
    wait_for(&mut a, inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let store = server_store(&ts, &alice);
    let r = off_runtime(|| store.rules(inbox).unwrap().remove(0));
    assert_eq!(r.state, state::ENABLED | state::ERROR);
    assert_eq!(r.get(PR_RULE_ERROR), Some(&PropValue::I32(rule_error::NO_FOLDER as i32)));
    // The client hears of it through a deferred error message (MS-OXORULE 2.2.7).
    let dam_folder = a.folders[1];
    let dems = contents(&mut a, dam_folder).await;
    assert_eq!(dems, vec![(String::new(), DEM_CLASS.to_string())]);
    let id = r.id as i64;
    let (error, rule_id) = off_runtime(|| {
        let mid = store.contents(dam_folder, false).unwrap()[0];
        (
            store.message_property(mid, PR_RULE_ERROR).unwrap(),
            store.message_property(mid, PR_RULE_ID).unwrap(),
        )
    });
    assert_eq!(error, Some(PropValue::I32(rule_error::NO_FOLDER as i32)));
    assert_eq!(rule_id, Some(PropValue::I64(id)));
}

/// OP_DELETE removes the message from the Inbox.
#[tokio::test]
async fn a_delete_rule_removes_the_message() {
    let ts = TestServer::start().await;
    let (alice, bob) = (ts.add_user("alice", false), ts.add_user("bob", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let inbox = a.inbox();
    add_rules(
        &ts,
        &alice,
        inbox,
        vec![rule(
            "junk",
            1,
            state::ENABLED,
            contains("spam"),
            vec![act(op::DELETE, ActionData::Other(vec![]))],
        )],
    );
    send(&mut b, &alice, subject("spam spam")).await;
    send(&mut b, &alice, subject("ham")).await;
    wait_for(&mut a, inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let left = contents(&mut a, inbox).await;
    assert_eq!(left.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["ham"]);
}

/// OP_DELEGATE sends the message on with its subject unchanged and PidTagDelegatedByRule TRUE
/// (MS-OXORULE 3.2.5.1.2.1); the delegate's own forwarding rule does not pass it on again.
#[tokio::test]
async fn a_delegated_copy_keeps_its_subject_and_is_marked() {
    let ts = TestServer::start().await;
    let (alice, bob, carol) =
        (ts.add_user("alice", false), ts.add_user("bob", false), ts.add_user("carol", false));
    let mut b = logon_private(&ts, &bob).await;
    let mut c = logon_private(&ts, &carol).await;
    let (a_inbox, c_inbox) = (logon_private(&ts, &alice).await.inbox(), c.inbox());
    let ActionData::Recipients(blocks) = forward_to(&carol).data else { unreachable!() };
    add_rules(
        &ts,
        &alice,
        a_inbox,
        vec![rule(
            "delegate",
            1,
            state::ENABLED,
            contains("meeting"),
            vec![act(op::DELEGATE, ActionData::Recipients(blocks))],
        )],
    );
    add_rules(
        &ts,
        &carol,
        c_inbox,
        vec![rule("back", 1, state::ENABLED, contains("meeting"), vec![forward_to(&alice)])],
    );
    send(&mut b, &alice, subject("meeting at 10")).await;
    wait_for(&mut c, c_inbox, 1).await;
    assert_eq!(contents(&mut c, c_inbox).await[0].0, "meeting at 10");
    let store = server_store(&ts, &carol);
    let marked = off_runtime(|| {
        let mid = store.contents(c_inbox, false).unwrap()[0];
        store.message_property(mid, PR_DELEGATED_BY_RULE).unwrap()
    });
    assert_eq!(marked, Some(PropValue::Bool(true)));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let alice_store = server_store(&ts, &alice);
    assert_eq!(off_runtime(|| alice_store.contents(a_inbox, false).unwrap().len()), 1, "nothing came back");
}

/// An extended rule (MS-OXORULE 2.2.4): an FAI message of class IPM.ExtendedRule.Message in
/// the Inbox, written with the ordinary message ROPs, runs at delivery like a standard rule —
/// here an OP_MOVE whose folder is a folder entry ID (the extended form of 2.2.5.1.2.1).
#[tokio::test]
async fn an_extended_rule_runs_at_delivery() {
    use oxmapi_wire::cdata::extended_rule::{encode_actions, encode_condition};
    let ts = TestServer::start().await;
    let (alice, bob) = (ts.add_user("alice", false), ts.add_user("bob", false));
    let mut a = logon_private(&ts, &alice).await;
    let mut b = logon_private(&ts, &bob).await;
    let inbox = a.inbox();
    let target = new_folder(&ts, &alice, inbox, "Extended");
    let store = server_store(&ts, &alice);
    let folder_eid = off_runtime(|| store.folder_entry_id(target));
    let actions = RuleActions {
        actions: vec![act(
            op::MOVE,
            ActionData::MoveCopy { folder_in_this_store: 0, store_eid: vec![], folder_eid },
        )],
    };
    new_message(
        &mut a,
        inbox,
        true,
        vec![
            text(PR_MESSAGE_CLASS, "IPM.ExtendedRule.Message"),
            text(PR_RULE_MSG_NAME, "extended"),
            text(PR_RULE_MSG_PROVIDER, "RuleOrganizer"),
            TaggedValue::new(PR_RULE_MSG_STATE, PropValue::I32(state::ENABLED as i32)),
            TaggedValue::new(PR_RULE_MSG_SEQUENCE, PropValue::I32(1)),
            TaggedValue::new(
                PR_EXTENDED_RULE_MSG_CONDITION,
                PropValue::Binary(encode_condition(&contains("extended"))),
            ),
            TaggedValue::new(PR_EXTENDED_RULE_MSG_ACTIONS, PropValue::Binary(encode_actions(&actions))),
        ],
    )
    .await;
    send(&mut b, &alice, subject("an extended hello")).await;
    send(&mut b, &alice, subject("plain")).await;
    wait_for(&mut a, target, 1).await;
    wait_for(&mut a, inbox, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(contents(&mut a, inbox).await.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["plain"]);
}
