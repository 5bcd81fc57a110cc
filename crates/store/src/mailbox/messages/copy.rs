//! Operations on saved messages of a folder: RopDeleteMessages / RopHardDeleteMessages
//! (MS-OXCFOLD 2.2.1.11–2.2.1.12), RopMoveCopyMessages (MS-OXCFOLD 2.2.1.6), RopSetReadFlags and
//! RopSetMessageReadFlag (MS-OXCMSG 2.2.3.10–2.2.3.11). Each call is one transaction committed
//! with `synchronous=FULL`, announcing what it did (MS-OXCNOTIF 2.2.1.4.1.2): fnevObjectDeleted,
//! fnevObjectMoved / fnevObjectCopied or fnevObjectModified (PR_MESSAGE_FLAGS) per message, then
//! the new counts of the folders whose counts changed.

use crate::db::{Conn, OptionalExt, params};
use oxmapi_core::catalogue::tags::PR_MESSAGE_FLAGS;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::time::FileTime;

use super::draft::MessageDraft;
use super::load::live_folder;
use super::local_counter;
use super::status::is_associated;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::commit::Durability;
use crate::mailbox::events::StoreEvent;
use crate::mailbox::ids::allocate;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore};

/// `ReadFlags` of RopSetMessageReadFlag and RopSetReadFlags (MS-OXCMSG 2.2.3.10.1).
pub mod read_flags {
    /// rfDefault: set the read flag (and send a pending read receipt).
    pub const RF_DEFAULT: u8 = 0x00;
    /// rfSuppressReceipt: set the read flag, cancel a pending read receipt.
    pub const RF_SUPPRESS_RECEIPT: u8 = 0x01;
    /// rfReserved: ignored.
    pub const RF_RESERVED: u8 = 0x0A;
    /// rfClearReadFlag: clear the read flag.
    pub const RF_CLEAR_READ_FLAG: u8 = 0x04;
    /// rfGenerateReceiptOnly: send a pending read receipt, leave the read flag alone.
    pub const RF_GENERATE_RECEIPT_ONLY: u8 = 0x10;
    /// rfClearNotifyRead: clear mfNotifyRead (MSGFLAG_RN_PENDING), leave the read flag alone.
    pub const RF_CLEAR_NOTIFY_READ: u8 = 0x20;
    /// rfClearNotifyUnread: clear mfNotifyUnread (MSGFLAG_NRN_PENDING), leave the read flag alone.
    pub const RF_CLEAR_NOTIFY_UNREAD: u8 = 0x40;
}

fn oid(counter: u64) -> ObjectId {
    ObjectId::new(LOCAL_REPLICA_ID, counter)
}

/// Where a message row goes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Loc {
    /// Top level in a folder (its counter).
    Folder(u64),
    /// Embedded in the attachment with this `attach_id`.
    Attachment(i64),
}

/// The new PR_MESSAGE_FLAGS for `flags` under `rf`.
fn apply_read_flags(flags: u32, rf: u8) -> u32 {
    use read_flags::*;
    let mut f = flags;
    if rf & RF_CLEAR_READ_FLAG != 0 {
        f &= !mf::MSGFLAG_READ;
    } else if rf & (RF_GENERATE_RECEIPT_ONLY | RF_CLEAR_NOTIFY_READ | RF_CLEAR_NOTIFY_UNREAD) == 0 {
        f |= mf::MSGFLAG_READ | mf::MSGFLAG_EVERREAD;
    }
    if rf & (RF_SUPPRESS_RECEIPT | RF_GENERATE_RECEIPT_ONLY | RF_CLEAR_NOTIFY_READ) != 0 {
        f &= !mf::MSGFLAG_RN_PENDING;
    }
    if rf & RF_CLEAR_NOTIFY_UNREAD != 0 {
        f &= !mf::MSGFLAG_NRN_PENDING;
    }
    f
}

/// Copies a saved message row and everything below it (properties, recipients, attachments,
/// embedded messages) to a new MID at `loc`; large values are shared, not copied. Returns the
/// new MID counter.
pub(crate) fn copy_message_rows(conn: &Conn, mid: u64, loc: Loc, now: u64) -> StoreResult<u64> {
    let new_mid = allocate(conn, 1)?;
    let cn = allocate(conn, 1)?;
    let (fid, parent_attach) = match loc {
        Loc::Folder(f) => (Some(f as i64), None),
        Loc::Attachment(a) => (None, Some(a)),
    };
    let n = conn.execute(
        "INSERT INTO messages (mid, fid, parent_attach, associated, change_number, message_size, read, \
         soft_deleted, created, modified, flags, delivery_time, normalized_subject, message_class) \
         SELECT ?1, ?2, ?3, associated, ?4, message_size, read, 0, ?5, ?5, flags, delivery_time, \
         normalized_subject, message_class FROM messages WHERE mid = ?6",
        params![new_mid as i64, fid, parent_attach, cn as i64, now as i64, mid as i64],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("no message {}", ObjectId::new(LOCAL_REPLICA_ID, mid))));
    }
    conn.execute(
        "INSERT INTO message_properties (mid, propid, proptype, value, blob_id) \
         SELECT ?1, propid, proptype, value, blob_id FROM message_properties WHERE mid = ?2",
        params![new_mid as i64, mid as i64],
    )?;
    super::sort_keys::refresh_sort_keys(conn, new_mid)?;
    conn.execute(
        "INSERT INTO recipients (mid, row_id, recipient_type, props) \
         SELECT ?1, row_id, recipient_type, props FROM recipients WHERE mid = ?2",
        params![new_mid as i64, mid as i64],
    )?;
    let attachments: Vec<i64> = {
        let mut stmt =
            conn.prepare_cached("SELECT attach_id FROM attachments WHERE mid = ?1 ORDER BY attach_num")?;
        let rows = stmt.query_map([mid as i64], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for old in attachments {
        let new: i64 = conn.query_row(
            "INSERT INTO attachments (mid, attach_num, attach_size, created, modified) \
             SELECT ?1, attach_num, attach_size, created, modified FROM attachments WHERE attach_id = ?2 \
             RETURNING attach_id",
            params![new_mid as i64, old],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO attachment_properties (attach_id, propid, proptype, value, blob_id) \
             SELECT ?1, propid, proptype, value, blob_id FROM attachment_properties WHERE attach_id = ?2",
            params![new, old],
        )?;
        let embedded: Option<i64> = conn
            .query_row("SELECT mid FROM messages WHERE parent_attach = ?1", [old], |r| r.get(0))
            .optional()?;
        if let Some(e) = embedded {
            copy_message_rows(conn, e as u64, Loc::Attachment(new), now)?;
        }
    }
    Ok(new_mid)
}

/// The counters of `mids` that are live top-level messages of folder `fid`; `partial` when
/// some are not.
fn members(conn: &Conn, fid: u64, mids: &[ObjectId]) -> StoreResult<(Vec<u64>, bool)> {
    let mut found = Vec::with_capacity(mids.len());
    let mut partial = false;
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM messages WHERE mid = ?1 AND fid = ?2 AND soft_deleted = 0")?;
    for m in mids {
        let ok = m.replica_id == LOCAL_REPLICA_ID
            && stmt.query_row(params![m.global_counter as i64, fid as i64], |_| Ok(())).optional()?.is_some();
        if ok && !found.contains(&m.global_counter) {
            found.push(m.global_counter);
        } else if !ok {
            partial = true;
        }
    }
    Ok((found, partial))
}

impl MessageStore {
    /// Applies `rf` to a saved message; returns whether its read state changed. FAI messages have
    /// no read state (MS-OXCMSG 2.2.1.6) and are left alone. A change of PR_MESSAGE_FLAGS of a
    /// top-level message is announced (fnevObjectModified), with its folder's counts.
    fn set_read_row(&self, conn: &Conn, mid: u64, rf: u8) -> StoreResult<bool> {
        let row: Option<(i64, bool, Option<i64>)> = conn
            .query_row(
                "SELECT flags, associated, fid FROM messages WHERE mid = ?1 AND soft_deleted = 0",
                [mid as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((flags, associated, fid)) = row else {
            return Err(StoreError::NotFound(format!("no message {}", oid(mid))));
        };
        if associated {
            return Ok(false);
        }
        let old = flags as u32;
        let new = apply_read_flags(old, rf);
        if new != old {
            if let Some(f) = fid {
                self.watch_counts(conn, f as u64)?;
            }
            conn.execute(
                "UPDATE messages SET flags = ?2, read = ?3 WHERE mid = ?1",
                params![mid as i64, new as i64, new & mf::MSGFLAG_READ != 0],
            )?;
            if let Some(f) = fid {
                self.record(StoreEvent::Modified {
                    fid: oid(f as u64),
                    mid: Some(oid(mid)),
                    tags: vec![PR_MESSAGE_FLAGS],
                    counts: None,
                    associated: false,
                });
            }
        }
        Ok((old ^ new) & mf::MSGFLAG_READ != 0)
    }

    /// RopDeleteMessages / RopHardDeleteMessages (MS-OXCFOLD 2.2.1.11–2.2.1.12): deletes the
    /// messages of `fid`; a soft delete hides them (they stay in the file, recoverable later), a
    /// hard delete removes them with their recipients, attachments and unshared large values.
    /// Returns `PartialCompletion`: true when some MIDs were not messages of the folder. NotFound
    /// when the folder does not exist.
    pub fn delete_messages(&self, fid: ObjectId, mids: &[ObjectId], hard: bool) -> StoreResult<bool> {
        self.write(Durability::Full, |tx| {
            let f = live_folder(tx, fid)?;
            let (found, partial) = members(tx, f, mids)?;
            self.watch_counts(tx, f)?;
            for m in found {
                let associated = is_associated(tx, m)?;
                if hard {
                    tx.execute("DELETE FROM messages WHERE mid = ?1", [m as i64])?;
                } else {
                    tx.execute("UPDATE messages SET soft_deleted = 1 WHERE mid = ?1", [m as i64])?;
                }
                self.record(StoreEvent::Deleted {
                    fid: oid(f),
                    mid: Some(oid(m)),
                    parent_fid: oid(f),
                    associated,
                });
            }
            Ok(partial)
        })
    }

    /// RopMoveCopyMessages (MS-OXCFOLD 2.2.1.6): moves (keeping MID and PR_SOURCE_KEY, with a new
    /// change number) or copies (new MIDs; large values shared) the messages of `src` to `dst`.
    /// Returns `PartialCompletion` and, in request order, the MIDs the messages have in `dst`.
    /// A move into the folder the messages are in changes nothing.
    pub fn move_copy_messages(
        &self,
        src: ObjectId,
        mids: &[ObjectId],
        dst: ObjectId,
        copy: bool,
    ) -> StoreResult<(bool, Vec<ObjectId>)> {
        let now = FileTime::now().0;
        self.write(Durability::Full, |tx| {
            let s = live_folder(tx, src)?;
            let d = live_folder(tx, dst)?;
            let (found, partial) = members(tx, s, mids)?;
            self.watch_counts(tx, s)?;
            self.watch_counts(tx, d)?;
            let mut out = Vec::with_capacity(found.len());
            for m in found {
                let new = if copy {
                    copy_message_rows(tx, m, Loc::Folder(d), now)?
                } else if s != d {
                    let cn = allocate(tx, 1)?;
                    tx.execute(
                        "UPDATE messages SET fid = ?2, change_number = ?3 WHERE mid = ?1",
                        params![m as i64, d as i64, cn as i64],
                    )?;
                    m
                } else {
                    out.push(oid(m));
                    continue;
                };
                self.record(StoreEvent::MovedOrCopied {
                    copy,
                    fid: oid(d),
                    mid: Some(oid(new)),
                    parent_fid: oid(d),
                    old_fid: oid(s),
                    old_mid: Some(oid(m)),
                    old_parent_fid: oid(s),
                    associated: is_associated(tx, new)?,
                });
                out.push(oid(new));
            }
            Ok((partial, out))
        })
    }

    /// RopSetMessageReadFlag on a saved message (MS-OXCMSG 2.2.3.11): applies the `ReadFlags`
    /// (see [`read_flags`]) to PR_MESSAGE_FLAGS at once, without a save, and returns
    /// `ReadStatusChanged`.
    pub fn set_read_flag(&self, mid: ObjectId, flags: u8) -> StoreResult<bool> {
        let m = local_counter(mid, "message")?;
        self.write(Durability::Full, |tx| self.set_read_row(tx, m, flags))
    }

    /// RopSetMessageReadFlag on an open message: a saved one changes in the store at once (and
    /// in the draft); a new one only in the draft, and counts as the client setting the read
    /// state (MS-OXCMSG 3.2.5.2).
    pub fn set_draft_read_flag(&self, draft: &mut MessageDraft, flags: u8) -> StoreResult<bool> {
        let old = draft.flags;
        match (draft.base_cn, draft.mid, draft.is_embedded()) {
            (Some(_), Some(m), false) => {
                let changed = self.write(Durability::Full, |tx| self.set_read_row(tx, m, flags))?;
                if !draft.associated {
                    draft.flags = apply_read_flags(old, flags);
                }
                Ok(changed)
            }
            _ => {
                draft.flags = apply_read_flags(old, flags);
                draft.flags_explicit = true;
                draft.dirty = true;
                Ok((old ^ draft.flags) & mf::MSGFLAG_READ != 0)
            }
        }
    }

    /// RopSetReadFlags (MS-OXCMSG 2.2.3.10): applies `flags` to the listed messages of `fid`, or
    /// to all its normal messages when `mids` is `None`. Returns `PartialCompletion`.
    pub fn set_read_flags(&self, fid: ObjectId, mids: Option<&[ObjectId]>, flags: u8) -> StoreResult<bool> {
        self.write(Durability::Full, |tx| {
            let f = live_folder(tx, fid)?;
            let (found, partial) = match mids {
                Some(m) => members(tx, f, m)?,
                None => {
                    let mut stmt = tx.prepare_cached(
                        "SELECT mid FROM messages WHERE fid = ?1 AND associated = 0 AND soft_deleted = 0 \
                         ORDER BY mid",
                    )?;
                    let rows = stmt.query_map([f as i64], |r| r.get::<_, i64>(0).map(|m| m as u64))?;
                    (rows.collect::<Result<Vec<_>, _>>()?, false)
                }
            };
            for m in found {
                self.set_read_row(tx, m, flags)?;
            }
            Ok(partial)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::read_flags::*;
    use super::*;

    #[test]
    fn read_flag_rules() {
        let unread = mf::MSGFLAG_RN_PENDING | mf::MSGFLAG_NRN_PENDING;
        assert_eq!(apply_read_flags(unread, RF_DEFAULT) & mf::MSGFLAG_READ, mf::MSGFLAG_READ);
        let f = apply_read_flags(unread, RF_SUPPRESS_RECEIPT);
        assert_eq!(f & (mf::MSGFLAG_READ | mf::MSGFLAG_RN_PENDING), mf::MSGFLAG_READ);
        assert_eq!(
            apply_read_flags(mf::MSGFLAG_READ, RF_CLEAR_READ_FLAG | RF_SUPPRESS_RECEIPT) & mf::MSGFLAG_READ,
            0
        );
        assert_eq!(apply_read_flags(unread, RF_GENERATE_RECEIPT_ONLY), mf::MSGFLAG_NRN_PENDING);
        assert_eq!(apply_read_flags(unread, RF_CLEAR_NOTIFY_UNREAD), mf::MSGFLAG_RN_PENDING);
        assert_eq!(apply_read_flags(unread, RF_CLEAR_NOTIFY_READ), mf::MSGFLAG_NRN_PENDING);
    }
}
