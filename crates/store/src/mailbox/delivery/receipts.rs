//! Read receipts (MS-OXOMSG 2.2.1.29 PidTagReadReceiptRequested, 3.2.5.x; MS-OXCMSG 2.2.3.10 /
//! 2.2.3.11 the read flags): a message delivered with PR_READ_RECEIPT_REQUESTED carries
//! MSGFLAG_RN_PENDING in the recipient's mailbox. When the recipient marks it read
//! (RopSetMessageReadFlag or RopSetReadFlags) without rfSuppressReceipt, the message is read
//! with MSGFLAG_RN_PENDING still set — a receipt is owed ([`MessageStore::owed_read_receipts`]);
//! the server then sends the original sender a `REPORT.<class>.IPNRN` ("Read: <subject>") and
//! clears the flag ([`send_read_receipts`]). rfSuppressReceipt clears the flag instead, so no
//! receipt is sent (MS-OXCMSG 2.2.3.10.1). Each receipt is delivered once: its delivery key is
//! the reader's mailbox and the message's MID.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::inbound::{DeliveryKey, DeliveryKind};
use super::ndr::{ReportKind, report_message};
use super::{DeliveryHost, Originator, postmaster};
use crate::db::params;
use crate::directory::User;
use crate::error::StoreResult;
use crate::mailbox::messages::MessageContent;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore, RecipientRow};

/// Both flags of a message whose read receipt is owed.
const OWED: u32 = mf::MSGFLAG_READ | mf::MSGFLAG_RN_PENDING;

/// True when the sender of `original` asked for a read receipt and it is not a report.
pub fn wants_read_receipt(original: &MessageContent) -> bool {
    let class = original.text(PR_MESSAGE_CLASS).unwrap_or_default();
    matches!(original.get(PR_READ_RECEIPT_REQUESTED), Some(PropValue::Bool(true)))
        && !class.to_ascii_uppercase().starts_with(oxmapi_core::consts::report::CLASS_PREFIX)
}

impl MessageStore {
    /// The messages among `mids` (all of folder `fid` when `mids` is empty) that are read and
    /// still owe a read receipt.
    pub fn owed_read_receipts(&self, fid: ObjectId, mids: &[ObjectId]) -> StoreResult<Vec<ObjectId>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT mid FROM messages WHERE fid = ?1 AND associated = 0 AND soft_deleted = 0 \
             AND (flags & ?2) = ?2 ORDER BY mid",
        )?;
        let owed = stmt
            .query_map(params![fid.global_counter as i64, OWED as i64], |r| r.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(owed
            .into_iter()
            .map(|m| ObjectId::new(LOCAL_REPLICA_ID, m as u64))
            .filter(|m| mids.is_empty() || mids.contains(m))
            .collect())
    }

    /// Clears MSGFLAG_RN_PENDING of message `mid`: its receipt was sent.
    fn read_receipt_sent(&self, mid: ObjectId) -> StoreResult<()> {
        self.write(crate::mailbox::commit::Durability::Full, |tx| {
            tx.execute(
                "UPDATE messages SET flags = flags & ?2 WHERE mid = ?1",
                params![mid.global_counter as i64, !(mf::MSGFLAG_RN_PENDING as i64)],
            )?;
            Ok(())
        })
    }
}

/// The directory user who sent `m` (PR_READ_RECEIPT_SMTP_ADDRESS, else PR_SENDER_SMTP_ADDRESS,
/// else PR_SENDER_EMAIL_ADDRESS as an SMTP address or a legacy DN).
fn original_sender(host: &dyn DeliveryHost, m: &MessageContent) -> StoreResult<Option<User>> {
    let mut found = None;
    let candidates: Vec<String> =
        [PR_READ_RECEIPT_SMTP_ADDRESS, PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS]
            .into_iter()
            .filter_map(|t| m.text(t))
            .collect();
    host.with_directory(&mut |dir| {
        for c in &candidates {
            if let Some(u) = dir.user_by_email(c)?.or(dir.user_by_dn(c)?) {
                found = Some(u);
                return Ok(());
            }
        }
        Ok(())
    })?;
    Ok(found)
}

/// Sends the read receipts `reader`'s mailbox `store` owes for `mids` (from
/// [`MessageStore::owed_read_receipts`]) to their senders' mailboxes, and clears each message's
/// MSGFLAG_RN_PENDING. A sender outside the directory gets none (there is no relay); the flag
/// is cleared all the same. Returns how many receipts were delivered.
pub fn send_read_receipts(
    host: &dyn DeliveryHost,
    store: &MessageStore,
    reader: &User,
    mids: &[ObjectId],
) -> StoreResult<usize> {
    let mut sent = 0;
    for &mid in mids {
        let m = store.export_message(mid)?;
        if let Some(sender) = original_sender(host, &m)? {
            let now = FileTime::now();
            let me = Originator::from(reader);
            let body = format!(
                "Your message\r\n\r\n      To: {}\r\n      Subject: {}\r\n\r\nwas read on {}.\r\n",
                reader.display_name,
                m.text(PR_SUBJECT).unwrap_or_default(),
                now.to_rfc3339()
            );
            let mut rn = report_message(&m, ReportKind::Read, now, None, &postmaster(host)?, body);
            rn.flags = 0;
            let row_props: Vec<TaggedValue> = me
                .received_by_props()
                .into_iter()
                .filter_map(|(tag, value)| {
                    let to = match tag {
                        t if t == PR_RECEIVED_BY_NAME => PR_DISPLAY_NAME,
                        t if t == PR_RECEIVED_BY_EMAIL_ADDRESS => PR_EMAIL_ADDRESS,
                        t if t == PR_RECEIVED_BY_ADDRTYPE => PR_ADDRTYPE,
                        t if t == PR_RECEIVED_BY_ENTRYID => PR_ENTRYID,
                        _ => return None,
                    };
                    Some(TaggedValue::new(to, value))
                })
                .chain([TaggedValue::new(PR_REPORT_TIME, PropValue::SysTime(now))])
                .collect();
            rn.recipients = vec![RecipientRow {
                row_id: 0,
                recipient_type: oxmapi_core::consts::recipient_type::MAPI_TO,
                props: row_props,
            }];
            let key = DeliveryKey {
                source: store.mailbox_guid(),
                submission_id: mid.global_counter as i64,
                kind: DeliveryKind::ReadReceipt,
            };
            host.mailbox(&sender)?.deliver(&key, &rn)?;
            sent += 1;
        }
        store.read_receipt_sent(mid)?;
    }
    Ok(sent)
}
