//! The message status of a saved message (PidTagMessageStatus, MS-OXCMSG 2.2.1.8): read and
//! changed in place by RopGetMessageStatus and RopSetMessageStatus (MS-OXCMSG 2.2.3.8–2.2.3.9)
//! without opening the message, and without touching its change key, change number or
//! PidTagLastModificationTime (MS-OXCMSG 3.2.5.8, MS-OXCMSG_R1501).

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::catalogue::tags::PR_MSG_STATUS;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;

use super::load::live_folder;
use super::local_counter;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;
use crate::mailbox::commit::Durability;
use crate::mailbox::events::StoreEvent;
use crate::propvalue;

/// True when message `m` (a MID counter) is an FAI (associated) message, for its change
/// events ([`StoreEvent`] `associated`); NotFound when there is no such message.
pub(super) fn is_associated(conn: &Conn, m: u64) -> StoreResult<bool> {
    conn.query_row("SELECT associated FROM messages WHERE mid = ?1", [m as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no message {m:#x}")))
}

/// The local counter of `mid` when it is a live message of live folder `fid`; NotFound
/// otherwise.
pub(super) fn live_message_in(conn: &Conn, fid: ObjectId, mid: ObjectId) -> StoreResult<u64> {
    let f = live_folder(conn, fid)?;
    let m = local_counter(mid, "message")?;
    let found = conn
        .query_row(
            "SELECT 1 FROM messages WHERE mid = ?1 AND fid = ?2 AND soft_deleted = 0",
            params![m as i64, f as i64],
            |_| Ok(()),
        )
        .optional()?;
    match found {
        Some(()) => Ok(m),
        None => Err(StoreError::NotFound(format!("no message {mid} in folder {fid}"))),
    }
}

/// The stored PidTagMessageStatus of live message `mid` of folder `fid` (0 when unset); NotFound
/// when `mid` is no live message of the folder.
fn status_of(conn: &Conn, fid: ObjectId, mid: ObjectId) -> StoreResult<(u64, u32)> {
    let m = live_message_in(conn, fid, mid)?;
    let stored = conn
        .query_row(
            "SELECT proptype, value FROM message_properties WHERE mid = ?1 AND propid = ?2",
            params![m as i64, PR_MSG_STATUS.id()],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, crate::db::Value>(1)?)),
        )
        .optional()?;
    let status = match stored {
        Some((ty, v)) => {
            let tv = propvalue::from_row(PR_MSG_STATUS.id() as i64, ty, (&v).into())?;
            tv.value.as_i64().map_or(0, |s| s as u32)
        }
        None => 0,
    };
    Ok((m, status))
}

impl MessageStore {
    /// RopGetMessageStatus (MS-OXCMSG 3.2.5.9): PidTagMessageStatus of message `mid` of folder
    /// `fid`.
    pub fn message_status(&self, fid: ObjectId, mid: ObjectId) -> StoreResult<u32> {
        Ok(status_of(&*self.lock()?, fid, mid)?.1)
    }

    /// RopSetMessageStatus (MS-OXCMSG 3.2.5.8): the bits of `mask` take their value in `flags`
    /// ("preserving only those flags that are set in both the MessageStatusMask field and the
    /// MessageStatusFlags field, and clearing any other flags set only in the MessageStatusMask
    /// field", MS-OXCMSG_R416); returns the status before the change (MS-OXCMSG_R784).
    pub fn set_message_status(
        &self,
        fid: ObjectId,
        mid: ObjectId,
        flags: u32,
        mask: u32,
    ) -> StoreResult<u32> {
        self.write(Durability::Full, |tx| {
            let (m, old) = status_of(tx, fid, mid)?;
            let new = (old & !mask) | (flags & mask);
            if new != old {
                let value = PropValue::I32(new as i32);
                tx.execute(
                    "INSERT INTO message_properties (mid, propid, proptype, value) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (/*mbx,*/ mid, propid) DO UPDATE SET proptype = ?3, value = ?4, blob_id = NULL",
                    params![
                        m as i64,
                        PR_MSG_STATUS.id(),
                        value.prop_type() as u16,
                        propvalue::to_sql(&value)
                    ],
                )?;
                self.record(StoreEvent::Modified {
                    fid,
                    mid: Some(mid),
                    tags: vec![PR_MSG_STATUS],
                    counts: None,
                    associated: is_associated(tx, m)?,
                });
            }
            Ok(old)
        })
    }
}
