//! Out of office (MS-OXORULE 3.2.5.1.2 OP_OOF_REPLY; MS-OXCSTOR 2.2.1.1.3 the OOF logon flag):
//! PidTagOutOfOfficeState on the mailbox, and the list of senders who got their one automatic
//! reply in the current out-of-office period (emptied whenever the state is turned on).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::super::commit::Durability;
use super::super::messages::MessageContent;
use super::MessageStore;
use crate::db::{OptionalExt, params};
use crate::error::StoreResult;

/// The message class of an out-of-office reply and of its template (Exchange's
/// "IPM.Note.Rules.OofTemplate.Microsoft", MS-OXORULE 2.2.9.1).
pub const OOF_REPLY_CLASS: &str = "IPM.Note.Rules.OofTemplate.Microsoft";

/// The message class of a rule's reply template (MS-OXORULE 2.2.9.1).
pub const REPLY_TEMPLATE_CLASS: &str = "IPM.Note.Rules.ReplyTemplate.Microsoft";

/// PidTagAutoResponseSuppress bits (MS-OXOMSG 2.2.1.77).
pub mod suppress {
    /// Suppress out-of-office replies.
    pub const OOF: u32 = 0x0000_0010;
    /// Suppress other automatic replies.
    pub const AUTO_REPLY: u32 = 0x0000_0020;
    /// Everything (what automatic replies themselves carry).
    pub const ALL: u32 = 0xFFFF_FFFF;
}

/// True when `m` must never get an automatic reply (MS-OXORULE 3.2.5.1.2 "the server SHOULD
/// NOT send an OOF reply to … automatic replies, reports and distribution lists"): a report
/// (`REPORT.*`) or an automatic reply / rule template class (`IPM.Note.Rules.*`), a message
/// whose PidTagAutoResponseSuppress asks for no automatic reply (MS-OXOMSG 2.2.1.77), a message
/// a rule forwarded (PidTagAutoForwarded), or a list message (PidTagListHelp,
/// PidTagListUnsubscribe: RFC 2369 headers, as Kopano's spooler checks them).
pub fn is_automatic_or_list(m: &MessageContent) -> bool {
    let class = m.text(PR_MESSAGE_CLASS).unwrap_or_default().to_ascii_uppercase();
    if class.starts_with("REPORT.") || class.starts_with("IPM.NOTE.RULES.") {
        return true;
    }
    if let Some(v) = m.get(PR_AUTO_RESPONSE_SUPPRESS).and_then(PropValue::as_i64)
        && (v as u32) & (suppress::OOF | suppress::AUTO_REPLY) != 0
    {
        return true;
    }
    if matches!(m.get(PR_AUTO_FORWARDED), Some(PropValue::Bool(true))) {
        return true;
    }
    m.get(PR_LIST_HELP).is_some() || m.get(PR_LIST_UNSUBSCRIBE).is_some()
}

impl MessageStore {
    /// PidTagOutOfOfficeState of the mailbox.
    pub fn out_of_office(&self) -> StoreResult<bool> {
        Ok(matches!(self.store_property(PR_OOF_STATE)?, Some(PropValue::Bool(true))))
    }

    /// Sets PidTagOutOfOfficeState ([`MessageStore::set_store_properties`] does the rest).
    pub fn set_out_of_office(&self, on: bool) -> StoreResult<()> {
        self.set_store_properties(&[TaggedValue { tag: PR_OOF_STATE, value: PropValue::Bool(on) }])
    }

    /// Called before store properties `values` are written: turning PidTagOutOfOfficeState on
    /// starts a new out-of-office period, so the reply-once list is emptied.
    pub(crate) fn before_store_write(&self, values: &[TaggedValue]) -> StoreResult<()> {
        let turning_on = values
            .iter()
            .any(|v| v.tag.id() == PR_OOF_STATE.id() && matches!(v.value, PropValue::Bool(true)));
        if turning_on && !self.out_of_office()? {
            self.write(Durability::Normal, |tx| {
                tx.execute("DELETE FROM oof_replies", [])?;
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Notes that `sender` gets an automatic reply in this out-of-office period; false when they
    /// already got one (MS-OXORULE 3.2.5.1.2: one OOF reply per sender).
    pub fn first_oof_reply(&self, sender: &str) -> StoreResult<bool> {
        let sender = sender.trim().to_lowercase();
        self.write(Durability::Normal, |tx| {
            let seen: Option<i64> = tx
                .query_row("SELECT replied FROM oof_replies WHERE sender = ?1", [&sender], |r| r.get(0))
                .optional()?;
            if seen.is_some() {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO oof_replies (sender, replied) VALUES (?1, ?2)",
                params![sender, FileTime::now().0 as i64],
            )?;
            Ok(true)
        })
    }
}
