//! The receiving side of local delivery (MS-OXOMSG 3.2.5.1; the store part of MS-OXCNOTIF
//! fnevNewMail): one transaction per delivery writes the message into the receive folder of its
//! class (MS-OXCSTOR 3.2.5.2), records which submission it came from in `deliveries`, and
//! announces fnevObjectCreated and fnevNewMail. A delivery already recorded is not repeated, so
//! a worker that crashed before noting its progress can run again safely.

use crate::db::{OptionalExt, params};
use oxmapi_core::catalogue::tags::PR_MESSAGE_CLASS;
use oxmapi_core::consts::report::DEFAULT_MESSAGE_CLASS;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;

use crate::error::{StoreError, StoreResult};
use crate::mailbox::commit::Durability;
use crate::mailbox::events::StoreEvent;
use crate::mailbox::messages::{MessageContent, import_message, live_folder};
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore, SpecialFolder, StoreKind};

/// What a delivery is: the submitted message itself, or a report about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryKind {
    /// A copy of the submitted message.
    Message = 0,
    /// A non-delivery report to the sender.
    NonDeliveryReport = 1,
    /// A delivery report to the sender (PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED).
    DeliveryReport = 2,
    /// A read receipt to the sender (PR_READ_RECEIPT_REQUESTED); the key's `submission_id` is
    /// then the read message's MID counter in the reader's mailbox.
    ReadReceipt = 3,
}

/// Names one delivery everywhere: the sender's mailbox GUID, the submission id there, and the
/// kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeliveryKey {
    /// The sender's mailbox GUID.
    pub source: Guid,
    /// `submissions.submission_id` in the sender's mailbox.
    pub submission_id: i64,
    /// Message or report.
    pub kind: DeliveryKind,
}

/// The outcome of [`MessageStore::deliver`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivered {
    /// Written now, into folder `fid` as message `mid`.
    New {
        /// The receive folder.
        fid: ObjectId,
        /// The new message.
        mid: ObjectId,
    },
    /// Delivered before (message `mid`); nothing was written.
    Already {
        /// The message delivered then.
        mid: ObjectId,
    },
}

impl MessageStore {
    /// The message a delivery wrote here, if it happened.
    pub fn delivered(&self, key: &DeliveryKey) -> StoreResult<Option<ObjectId>> {
        let mid: Option<i64> = self
            .lock()
            .unwrap()
            .query_row(
                "SELECT mid FROM deliveries WHERE source_guid = ?1 AND submission_id = ?2 AND kind = ?3",
                params![key.source.0.to_vec(), key.submission_id, key.kind as i64],
                |r| r.get(0),
            )
            .optional()?;
        Ok(mid.map(|m| ObjectId::new(LOCAL_REPLICA_ID, m as u64)))
    }

    /// Delivers `content` into this mailbox, once per `key`: a new message in the receive
    /// folder of its PR_MESSAGE_CLASS (the Inbox when the class has no entry or names a folder
    /// that is gone), committed with `synchronous=FULL` together with the `deliveries` record,
    /// announcing fnevObjectCreated and fnevNewMail. Public folder stores receive no mail
    /// (NotSupported).
    pub fn deliver(&self, key: &DeliveryKey, content: &MessageContent) -> StoreResult<Delivered> {
        if self.kind != StoreKind::Private {
            return Err(StoreError::NotSupported("the public folder store receives no mail".into()));
        }
        let class = content.text(PR_MESSAGE_CLASS).unwrap_or_else(|| DEFAULT_MESSAGE_CLASS.to_string());
        let inbox = self
            .special_folder(SpecialFolder::Inbox)
            .ok_or_else(|| StoreError::Corrupt("the mailbox has no Inbox".into()))?;
        let wanted = self.receive_folder(&class).map(|(f, _)| f).unwrap_or(inbox);
        self.write(Durability::Full, |tx| {
            let source = key.source.0.to_vec();
            let done: Option<i64> = tx
                .query_row(
                    "SELECT mid FROM deliveries WHERE source_guid = ?1 AND submission_id = ?2 AND kind = ?3",
                    params![source, key.submission_id, key.kind as i64],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(m) = done {
                return Ok(Delivered::Already { mid: ObjectId::new(LOCAL_REPLICA_ID, m as u64) });
            }
            let f = live_folder(tx, wanted).or_else(|_| live_folder(tx, inbox))?;
            self.watch_counts(tx, f)?;
            let (m, flags) = import_message(tx, content, f)?;
            tx.execute(
                "INSERT INTO deliveries (source_guid, submission_id, kind, mid, delivered) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![source, key.submission_id, key.kind as i64, m as i64, FileTime::now().0 as i64],
            )?;
            let (fid, mid) = (ObjectId::new(LOCAL_REPLICA_ID, f), ObjectId::new(LOCAL_REPLICA_ID, m));
            let tags: Vec<PropTag> = content.props.iter().map(|p| p.tag).collect();
            self.record(StoreEvent::Created { fid, mid: Some(mid), parent_fid: fid, tags, associated: false });
            self.record(StoreEvent::NewMail { fid, mid, message_flags: flags, message_class: class.clone() });
            Ok(Delivered::New { fid, mid })
        })
    }
}
