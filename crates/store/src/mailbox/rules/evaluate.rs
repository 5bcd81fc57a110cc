//! Rules at delivery (MS-OXORULE 3.2.5.1.2 "Processing incoming messages"): the rules of the
//! Inbox run on each message delivered there, in PidTagRuleSequence order. A rule runs when it
//! has ST_ENABLED and not ST_ERROR, and — with ST_ONLY_WHEN_OOF — only while the mailbox is out
//! of office; its PidTagRuleCondition is evaluated with the store's restriction engine over the
//! message, its recipients and attachments (SubObject restrictions); when it matches, its
//! actions run in order, and ST_EXIT_LEVEL stops the rules after it. An action that fails
//! records PidTagRuleError and ST_ERROR on its rule and leaves a deferred error message (DEM,
//! 2.2.7) in the Deferred Action folder for the client (3.2.5.1.2.1); the message stays where
//! it is.
//!
//! Loops. A message a rule forwards carries PidTagAutoForwarded TRUE (MS-OXCMSG 2.2.1.20, the
//! property Exchange promotes for auto-forwarded mail), and a message that has it is never
//! forwarded, delegated or answered by a rule again, whichever mailbox it reaches: two mailboxes
//! forwarding to each other pass a message on once each, never back and forth. (Exchange marks
//! such mail with its `X-MS-Exchange-Inbox-Rules-Loop` header; gromox and Kopano refuse to
//! auto-reply to auto-submitted mail the same way.) Automatic replies carry
//! PidTagAutoResponseSuppress 0xFFFFFFFF and an `IPM.Note.Rules.*` class, so no rule or
//! out-of-office reply answers them ([`super::is_automatic_or_list`]).

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::recipient_type as rt;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::rule_action::{ActionBlock, ActionData, RecipientBlock, op, server_eid_folder};

use super::oof::{OOF_REPLY_CLASS, REPLY_TEMPLATE_CLASS, is_automatic_or_list, suppress};
use super::{Rule, rule_error, state};
use crate::directory::User;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::delivery::Originator;
use crate::mailbox::messages::MessageContent;
use crate::mailbox::{MessageStore, RecipientRow, SpecialFolder};
use crate::settings::MailboxLimits;

/// The class of a deferred action message (MS-OXORULE 2.2.6).
pub const DAM_CLASS: &str = "IPC.Microsoft Exchange 4.0.Deferred Action";

/// The class of a deferred error message (MS-OXORULE 2.2.7).
pub const DEM_CLASS: &str = "IPC.Microsoft Exchange 4.0.Deferred Error";

/// Largest number of actions one delivery runs over all rules (a bound on the work a crafted
/// set of rules makes a delivery do; further actions are skipped).
pub const MAX_ACTIONS_PER_DELIVERY: usize = 64;

/// What running the rules did to one delivered message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRun {
    /// Names of the rules that matched, in order.
    pub matched: Vec<String>,
    /// The folder and message the delivered message ended as (`None` when it was deleted).
    pub now_at: Option<(ObjectId, ObjectId)>,
    /// True when a rule submitted a message (a forward, a reply): the owner's mailbox has work
    /// for the delivery worker.
    pub submitted: bool,
    /// The rules that failed (their PidTagRuleError was set).
    pub failed: Vec<String>,
}

/// What one action did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleOutcome {
    /// Nothing changed where the message is.
    Stayed,
    /// The message is now `mid` in `fid`.
    Moved(ObjectId, ObjectId),
    /// The message is gone.
    Deleted,
}

/// The message as conditions see it: its properties (computed ones such as PidTagMessageSize
/// included), its recipients under PR_MESSAGE_RECIPIENTS and attachments under
/// PR_MESSAGE_ATTACHMENTS (for SubObject restrictions, MS-OXCDATA 2.12.10).
pub fn message_bag(store: &MessageStore, mid: ObjectId, content: &MessageContent) -> StoreResult<PropBag> {
    let mut bag = PropBag::new();
    for p in &content.props {
        bag.set(p.tag, p.value.clone());
    }
    for p in store.message_properties(mid, usize::MAX)? {
        bag.set(p.tag, p.value);
    }
    let recipients = content
        .recipients
        .iter()
        .map(|r| {
            let mut b = PropBag::new();
            r.props.iter().for_each(|p| b.set(p.tag, p.value.clone()));
            b.set(PR_RECIPIENT_TYPE, PropValue::I32(rt::kind(r.recipient_type) as i32));
            b
        })
        .collect();
    bag.sub_objects.insert(PR_MESSAGE_RECIPIENTS, recipients);
    let attachments = content
        .attachments
        .iter()
        .map(|a| {
            let mut b = PropBag::new();
            a.props.iter().for_each(|p| b.set(p.tag, p.value.clone()));
            b
        })
        .collect();
    bag.sub_objects.insert(PR_MESSAGE_ATTACHMENTS, attachments);
    Ok(bag)
}

/// True when `rule` runs now (state flags, MS-OXORULE 2.2.1.3.1.3).
fn runs(rule: &Rule, out_of_office: bool) -> bool {
    let s = rule.state;
    if s & state::ERROR != 0 || s & state::RULE_PARSE_ERROR != 0 {
        return false;
    }
    if s & state::ONLY_WHEN_OOF != 0 {
        return out_of_office && s & state::ENABLED != 0;
    }
    s & state::ENABLED != 0
}

/// The address an automatic reply goes to: the sender's SMTP address, else its e-mail address.
fn sender_address(m: &MessageContent) -> Option<String> {
    [PR_SENDER_SMTP_ADDRESS, PR_SENT_REPRESENTING_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS]
        .into_iter()
        .filter_map(|t| m.text(t))
        .find(|a| a.contains('@'))
}

/// A MAPI_TO row for `address`.
fn smtp_row(row_id: u32, address: &str, name: Option<String>) -> RecipientRow {
    let tv = |tag, s: &str| TaggedValue { tag, value: PropValue::Unicode(s.to_string()) };
    RecipientRow {
        row_id,
        recipient_type: rt::MAPI_TO,
        props: vec![
            tv(PR_DISPLAY_NAME, &name.unwrap_or_else(|| address.to_string())),
            tv(PR_ADDRTYPE, "SMTP"),
            tv(PR_EMAIL_ADDRESS, address),
            tv(PR_SMTP_ADDRESS, address),
        ],
    }
}

/// The rows of OP_FORWARD / OP_DELEGATE RecipientBlocks (MS-OXORULE 2.2.5.1.2.5).
fn forward_rows(blocks: &[RecipientBlock]) -> Vec<RecipientRow> {
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| RecipientRow {
            row_id: i as u32,
            recipient_type: rt::MAPI_TO,
            props: b
                .props
                .iter()
                .filter(|p| p.tag.id() != PR_ROWID.id() && p.tag.id() != PR_RECIPIENT_TYPE.id())
                .cloned()
                .collect(),
        })
        .collect()
}

/// The properties of the original that a forward carries (the transport sets the sender).
const FORWARDED: &[oxmapi_core::tag::PropTag] =
    &[PR_BODY, PR_HTML, PR_RTF_COMPRESSED, PR_IMPORTANCE, PR_SENSITIVITY, PR_MESSAGE_CLASS];

/// Everything one rule run needs.
struct Run<'a> {
    store: &'a MessageStore,
    owner: &'a User,
    limits: &'a MailboxLimits,
    content: &'a MessageContent,
    inbox: ObjectId,
}

impl Run<'_> {
    /// Creates a message in the Outbox with `props` and `rows` and submits it as the owner
    /// (deleted after submission, as a rule's messages are not the user's sent mail).
    fn submit(&self, mut props: Vec<TaggedValue>, rows: Vec<RecipientRow>) -> StoreResult<()> {
        if rows.is_empty() {
            return Err(StoreError::InvalidParameter("the action names no recipient".into()));
        }
        let outbox = self
            .store
            .special_folder(SpecialFolder::Outbox)
            .ok_or_else(|| StoreError::Corrupt("the mailbox has no Outbox".into()))?;
        let mut draft = self.store.create_message(outbox, false)?;
        props.push(TaggedValue { tag: PR_DELETE_AFTER_SUBMIT, value: PropValue::Bool(true) });
        self.store.set_properties(&mut draft, &props)?;
        self.store.modify_recipients(&mut draft, rows)?;
        match self.store.submit_message(&mut draft, 0, &Originator::from(self.owner), self.limits)? {
            Ok(_) => Ok(()),
            Err(refusal) => {
                Err(StoreError::Failed(format!("the rule's message was not submitted: {refusal:?}")))
            }
        }
    }

    fn subject(&self) -> String {
        self.content.text(PR_SUBJECT).unwrap_or_default()
    }

    /// OP_FORWARD / OP_DELEGATE: a new message to the block's recipients, marked
    /// PidTagAutoForwarded; never for a message that was itself forwarded or delegated by a
    /// rule. A forward gets "FW: " before its subject; a delegated copy keeps the subject and
    /// carries PidTagDelegatedByRule TRUE (MS-OXORULE 3.2.5.1.2.1 OP_DELEGATE).
    fn forward(&self, blocks: &[RecipientBlock], delegate: bool) -> StoreResult<bool> {
        let marked = |t| matches!(self.content.get(t), Some(PropValue::Bool(true)));
        if marked(PR_AUTO_FORWARDED) || marked(PR_DELEGATED_BY_RULE) {
            return Ok(false);
        }
        let mut props: Vec<TaggedValue> = self
            .content
            .props
            .iter()
            .filter(|p| FORWARDED.iter().any(|t| t.id() == p.tag.id()))
            .cloned()
            .collect();
        let subject = if delegate { self.subject() } else { format!("FW: {}", self.subject()) };
        props.push(TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject) });
        props.push(TaggedValue { tag: PR_AUTO_FORWARDED, value: PropValue::Bool(true) });
        if delegate {
            props.push(TaggedValue { tag: PR_DELEGATED_BY_RULE, value: PropValue::Bool(true) });
        }
        self.submit(props, forward_rows(blocks))?;
        Ok(true)
    }

    /// OP_REPLY / OP_OOF_REPLY: the template (an FAI message of the folder, MS-OXORULE 2.2.9)
    /// answered to the sender, never to automatic mail, lists or reports, and for
    /// OP_OOF_REPLY once per sender per out-of-office period.
    fn reply(&self, oof: bool, template_fid: ObjectId, template_mid: ObjectId) -> StoreResult<bool> {
        if is_automatic_or_list(self.content) {
            return Ok(false);
        }
        let Some(to) = sender_address(self.content) else { return Ok(false) };
        if to.eq_ignore_ascii_case(&self.owner.smtp_address) {
            return Ok(false);
        }
        let template = self.store.message_properties(template_mid, usize::MAX).map_err(|_| {
            StoreError::NotFound(format!(
                "the reply template {template_mid} in folder {template_fid} is gone"
            ))
        })?;
        if oof && !self.store.first_oof_reply(&to)? {
            return Ok(false);
        }
        let text = |tag: oxmapi_core::tag::PropTag| {
            template.iter().find(|p| p.tag.id() == tag.id()).and_then(|p| match &p.value {
                PropValue::Unicode(s) => Some(s.clone()),
                _ => None,
            })
        };
        let subject = match (oof, text(PR_SUBJECT)) {
            (false, Some(s)) if !s.is_empty() => s,
            _ => format!("Automatic reply: {}", self.subject()),
        };
        let class = if oof { OOF_REPLY_CLASS } else { REPLY_TEMPLATE_CLASS };
        let mut props = vec![
            TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject) },
            TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(class.into()) },
            TaggedValue { tag: PR_AUTO_RESPONSE_SUPPRESS, value: PropValue::I32(suppress::ALL as i32) },
        ];
        if let Some(body) = text(PR_BODY) {
            props.push(TaggedValue { tag: PR_BODY, value: PropValue::Unicode(body) });
        }
        if let Some(id) = self.content.text(PR_INTERNET_MESSAGE_ID) {
            props.push(TaggedValue { tag: PR_IN_REPLY_TO_ID, value: PropValue::Unicode(id) });
        }
        self.submit(props, vec![smtp_row(0, &to, self.content.text(PR_SENDER_NAME))])?;
        Ok(true)
    }

    /// OP_DEFER_ACTION: a deferred action message in the Deferred Action folder for the
    /// client to run (MS-OXORULE 2.2.6, 3.2.5.1.2.2): PidTagDamOriginalEntryId (the message),
    /// PidTagRuleFolderEntryId (the Inbox), PidTagClientActions (the action block) and
    /// PidTagRuleIds.
    fn defer(&self, rule: &Rule, action: &ActionBlock, at: (ObjectId, ObjectId)) -> StoreResult<()> {
        let fid = self
            .store
            .special_folder(SpecialFolder::DeferredAction)
            .ok_or_else(|| StoreError::Corrupt("the mailbox has no Deferred Action folder".into()))?;
        let mut draft = self.store.create_message(fid, false)?;
        let actions = oxmapi_wire::cdata::rule_action::RuleActions { actions: vec![action.clone()] };
        let props = vec![
            TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(DAM_CLASS.into()) },
            TaggedValue {
                tag: PR_DAM_ORIGINAL_ENTRYID,
                value: PropValue::Binary(self.store.message_entry_id(at.0, at.1)),
            },
            TaggedValue {
                tag: PR_RULE_FOLDER_ENTRYID,
                value: PropValue::Binary(self.store.folder_entry_id(self.inbox)),
            },
            TaggedValue {
                tag: PR_CLIENT_ACTIONS,
                value: PropValue::Binary(actions.encode(oxmapi_wire::cdata::Form::Rop)),
            },
            TaggedValue { tag: PR_RULE_IDS, value: PropValue::Binary(rule.id.to_le_bytes().to_vec()) },
        ];
        self.store.set_properties(&mut draft, &props)?;
        self.store.save_message(&mut draft, true)?;
        Ok(())
    }

    /// A deferred error message for the client (MS-OXORULE 2.2.7, 3.2.5.1.2.1): action
    /// `number` (0-based) of `rule`, of type `action_type`, failed with `error`.
    fn report_error(
        &self,
        rule: &Rule,
        number: usize,
        action_type: u8,
        error: u32,
        at: Option<(ObjectId, ObjectId)>,
    ) -> StoreResult<()> {
        let fid = self
            .store
            .special_folder(SpecialFolder::DeferredAction)
            .ok_or_else(|| StoreError::Corrupt("the mailbox has no Deferred Action folder".into()))?;
        let mut draft = self.store.create_message(fid, false)?;
        let mut props = vec![
            TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode(DEM_CLASS.into()) },
            TaggedValue { tag: PR_RULE_ERROR, value: PropValue::I32(error as i32) },
            TaggedValue { tag: PR_RULE_ACTION_TYPE, value: PropValue::I32(action_type as i32) },
            TaggedValue { tag: PR_RULE_ACTION_NUMBER, value: PropValue::I32(number as i32) },
            TaggedValue {
                tag: PR_RULE_PROVIDER,
                value: PropValue::Unicode(
                    rule.get(PR_RULE_PROVIDER)
                        .and_then(|v| v.as_text().map(|t| t.into_owned()))
                        .unwrap_or_default(),
                ),
            },
            TaggedValue {
                tag: PR_RULE_FOLDER_ENTRYID,
                value: PropValue::Binary(self.store.folder_entry_id(self.inbox)),
            },
            TaggedValue { tag: PR_RULE_ID, value: PropValue::I64(rule.id as i64) },
        ];
        if let Some((f, m)) = at {
            props.push(TaggedValue {
                tag: PR_DAM_ORIGINAL_ENTRYID,
                value: PropValue::Binary(self.store.message_entry_id(f, m)),
            });
        }
        self.store.set_properties(&mut draft, &props)?;
        self.store.save_message(&mut draft, true)?;
        Ok(())
    }

    /// Runs one action on the message at `at` (folder, message).
    fn action(
        &self,
        rule: &Rule,
        a: &ActionBlock,
        at: (ObjectId, ObjectId),
        run: &mut RuleRun,
    ) -> Result<RuleOutcome, u32> {
        let (fid, mid) = at;
        let exec = |e: StoreError| match e {
            StoreError::NotFound(_) => rule_error::NO_FOLDER,
            _ => rule_error::EXECUTION,
        };
        match (&a.data, a.action_type) {
            (ActionData::MoveCopy { folder_eid, .. }, op::MOVE | op::COPY) => {
                let target = server_eid_folder(folder_eid)
                    .or_else(|| self.store.folder_id_from_entry_id(folder_eid).ok())
                    .ok_or(rule_error::NO_FOLDER)?;
                let copy = a.action_type == op::COPY;
                let (_, new) = self.store.move_copy_messages(fid, &[mid], target, copy).map_err(exec)?;
                let Some(new) = new.first().copied() else { return Err(rule_error::EXECUTION) };
                Ok(if copy { RuleOutcome::Stayed } else { RuleOutcome::Moved(target, new) })
            }
            (ActionData::Recipients(blocks), op::FORWARD | op::DELEGATE) => {
                run.submitted |= self.forward(blocks, a.action_type == op::DELEGATE).map_err(exec)?;
                Ok(RuleOutcome::Stayed)
            }
            (ActionData::Reply { template_fid, template_mid, .. }, op::REPLY | op::OOF_REPLY) => {
                run.submitted |=
                    self.reply(a.action_type == op::OOF_REPLY, *template_fid, *template_mid).map_err(exec)?;
                Ok(RuleOutcome::Stayed)
            }
            (_, op::DELETE) => {
                self.store.delete_messages(fid, &[mid], false).map_err(exec)?;
                Ok(RuleOutcome::Deleted)
            }
            (_, op::MARK_AS_READ) => {
                self.store.set_read_flag(mid, 0).map_err(exec)?;
                Ok(RuleOutcome::Stayed)
            }
            (ActionData::Tag(value), op::TAG) => {
                let mut draft = self.store.open_message(fid, mid).map_err(exec)?;
                self.store.set_properties(&mut draft, std::slice::from_ref(value)).map_err(exec)?;
                self.store.save_message(&mut draft, true).map_err(exec)?;
                Ok(RuleOutcome::Stayed)
            }
            (ActionData::Bounce(_), op::BOUNCE) => {
                // MS-OXORULE 3.2.5.1.2.1 OP_BOUNCE: the message is not delivered; the sender
                // gets a non-delivery report from the transport (here: the message is removed
                // and a reply of class REPORT.IPM.Note.NDR goes back, unless it is automatic).
                if !is_automatic_or_list(self.content)
                    && let Some(to) = sender_address(self.content)
                {
                    let props = vec![
                        TaggedValue {
                            tag: PR_SUBJECT,
                            value: PropValue::Unicode(format!("Undeliverable: {}", self.subject())),
                        },
                        TaggedValue {
                            tag: PR_MESSAGE_CLASS,
                            value: PropValue::Unicode("REPORT.IPM.Note.NDR".into()),
                        },
                        TaggedValue {
                            tag: PR_AUTO_RESPONSE_SUPPRESS,
                            value: PropValue::I32(suppress::ALL as i32),
                        },
                    ];
                    self.submit(props, vec![smtp_row(0, &to, None)]).map_err(exec)?;
                    run.submitted = true;
                }
                self.store.delete_messages(fid, &[mid], true).map_err(exec)?;
                Ok(RuleOutcome::Deleted)
            }
            (_, op::DEFER_ACTION) => {
                self.defer(rule, a, at).map_err(exec)?;
                Ok(RuleOutcome::Stayed)
            }
            _ => Err(rule_error::PARSING),
        }
    }
}

/// Runs the Inbox rules of `store` (owned by `owner`) on message `mid` just delivered into
/// `fid` (see the module comment). Messages delivered elsewhere (another receive folder) are
/// left alone. Rule failures are recorded on the rules; a store failure ends the run.
pub fn run_rules(
    store: &MessageStore,
    owner: &User,
    limits: &MailboxLimits,
    fid: ObjectId,
    mid: ObjectId,
    content: &MessageContent,
) -> StoreResult<RuleRun> {
    let mut run = RuleRun { now_at: Some((fid, mid)), ..RuleRun::default() };
    let Some(inbox) = store.special_folder(SpecialFolder::Inbox) else { return Ok(run) };
    if fid != inbox {
        return Ok(run);
    }
    // Standard rules and extended rules (MS-OXORULE 2.2.4) run in one PidTagRuleSequence
    // order; a stable sort keeps standard rules first among equals.
    let mut rules: Vec<(Rule, Option<ObjectId>)> =
        store.rules(inbox)?.into_iter().map(|r| (r, None)).collect();
    rules.extend(store.extended_rules(inbox)?.into_iter().map(|(r, m)| (r, Some(m))));
    if rules.is_empty() {
        return Ok(run);
    }
    rules.sort_by_key(|(r, _)| r.sequence);
    let fail = |rule: &Rule, extended: Option<ObjectId>, code: u32| match extended {
        Some(m) => store.set_extended_rule_error(inbox, m),
        None => store.set_rule_error(inbox, rule.id, code),
    };
    let out_of_office = store.out_of_office()?;
    let bag = message_bag(store, mid, content)?;
    let ctx = Run { store, owner, limits, content, inbox };
    let mut budget = MAX_ACTIONS_PER_DELIVERY;
    for (rule, extended) in rules.iter().filter(|(r, _)| runs(r, out_of_office)) {
        let matches = match rule.get(PR_RULE_CONDITION) {
            Some(PropValue::Restriction(r)) => r.evaluate(&bag),
            _ => false,
        };
        if !matches {
            continue;
        }
        run.matched.push(rule.name());
        let Some(actions) = rule.actions() else {
            fail(rule, *extended, rule_error::PARSING)?;
            run.failed.push(rule.name());
            continue;
        };
        for (number, a) in actions.actions.iter().enumerate() {
            let Some(at) = run.now_at else { break };
            if budget == 0 {
                break;
            }
            budget -= 1;
            match ctx.action(rule, a, at, &mut run) {
                Ok(RuleOutcome::Stayed) => {}
                Ok(RuleOutcome::Moved(f, m)) => run.now_at = Some((f, m)),
                Ok(RuleOutcome::Deleted) => run.now_at = None,
                Err(code) => {
                    fail(rule, *extended, code)?;
                    // The error stands recorded on the rule even if its report cannot be made.
                    let _ = ctx.report_error(rule, number, a.action_type, code, run.now_at);
                    run.failed.push(rule.name());
                    break;
                }
            }
        }
        if rule.state & state::EXIT_LEVEL != 0 {
            break;
        }
    }
    Ok(run)
}
