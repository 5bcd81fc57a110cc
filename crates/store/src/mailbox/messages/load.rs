//! Creating and opening messages: RopCreateMessage (MS-OXCMSG 3.2.5.2) and RopOpenMessage
//! (MS-OXCMSG 2.2.3.1), and loading a saved message, its recipients and attachments into a
//! [`MessageDraft`].

use std::collections::BTreeMap;

use crate::db::{Conn, OptionalExt};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::draft::{AttachmentDraft, BlobRef, DraftValue, Embedded, MessageDraft, Parent, PropSet};
use super::recipients::{RecipientRow, decode_props};
use super::{local_counter, new_workspace};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore};
use crate::propvalue;

/// A draft for a new message with the properties MS-OXCMSG 3.2.5.2 says the server
/// initialises: PR_IMPORTANCE 1, PR_MESSAGE_CLASS "IPM.Note", PR_SENSITIVITY 0,
/// PR_TRUST_SENDER 1, a new PR_SEARCH_KEY, PR_MESSAGE_FLAGS mfRead | mfUnsent (0x9), creation
/// and modification time now. PR_DISPLAY_TO/CC/BCC, PR_HASATTACH, PR_MESSAGE_SIZE, PR_ACCESS
/// and PR_ACCESS_LEVEL are computed.
pub(crate) fn new_draft(workspace: i64, parent: Parent, associated: bool, mid: Option<u64>) -> MessageDraft {
    let now = FileTime::now().0;
    let mut props = PropSet::default();
    props.set(PR_IMPORTANCE, PropValue::I32(1));
    props.set(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
    props.set(PR_SENSITIVITY, PropValue::I32(0));
    props.set(PR_TRUST_SENDER, PropValue::I32(1));
    props.set(PR_SEARCH_KEY, PropValue::Binary(Guid::new_random().0.to_vec()));
    MessageDraft {
        workspace,
        mid,
        parent,
        associated,
        base_cn: None,
        created: now,
        modified: now,
        flags: mf::MSGFLAG_READ | mf::MSGFLAG_UNSENT,
        flags_explicit: false,
        props,
        recipients: BTreeMap::new(),
        attachments: BTreeMap::new(),
        next_attach_num: 0,
        dirty: true,
    }
}

/// Checks that `fid` is a live folder of this store and returns its counter.
pub(crate) fn live_folder(conn: &Conn, fid: ObjectId) -> StoreResult<u64> {
    let f = local_counter(fid, "folder")?;
    let found: Option<i64> = conn
        .query_row("SELECT fid FROM folders WHERE fid = ?1 AND soft_deleted = 0", [f as i64], |r| r.get(0))
        .optional()?;
    found.map(|_| f).ok_or_else(|| StoreError::NotFound(format!("no folder {fid} in this store")))
}

/// Loads the property rows of one object from `table` (`message_properties` keyed by `mid`,
/// `attachment_properties` keyed by `attach_id`).
pub(crate) fn load_props(conn: &Conn, table: &str, key: &str, owner: i64) -> StoreResult<PropSet> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.propid, p.proptype, p.value, p.blob_id, b.size FROM {table} p \
         LEFT JOIN blobs b ON b.blob_id = p.blob_id WHERE p.{key} = ?1"
    ))?;
    let mut rows = stmt.query([owner])?;
    let mut set = PropSet::default();
    while let Some(r) = rows.next()? {
        let (propid, proptype): (i64, i64) = (r.get(0)?, r.get(1)?);
        match r.get::<_, Option<i64>>(3)? {
            None => {
                let tv = propvalue::from_row(propid, proptype, r.get_ref(2)?)?;
                set.put(tv.tag.id(), DraftValue::Inline(tv.value));
            }
            Some(id) => {
                let size: Option<i64> = r.get(4)?;
                let ty = u16::try_from(proptype).ok().and_then(|t| PropType::try_from(t).ok());
                let (Some(size), Some(ty), Ok(pid)) = (size, ty, u16::try_from(propid)) else {
                    return Err(StoreError::Corrupt(format!(
                        "property {propid:#06x} of {table} row {owner} names a missing or mistyped large value"
                    )));
                };
                set.put(pid, DraftValue::Blob(BlobRef { id, size: size as u64, ty }));
            }
        }
    }
    Ok(set)
}

/// Loads a saved message (any parent) into a draft.
pub(crate) fn load_message(
    conn: &Conn,
    mid: u64,
    parent: Parent,
    workspace: i64,
) -> StoreResult<MessageDraft> {
    let row = conn
        .query_row(
            "SELECT associated, change_number, created, modified, flags FROM messages WHERE mid = ?1",
            [mid as i64],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                    r.get::<_, i64>(3)? as u64,
                    r.get::<_, i64>(4)? as u32,
                ))
            },
        )
        .optional()?;
    let Some((associated, cn, created, modified, flags)) = row else {
        return Err(StoreError::NotFound(format!(
            "no message {} in this store",
            ObjectId::new(LOCAL_REPLICA_ID, mid)
        )));
    };
    let props = load_props(conn, "message_properties", "mid", mid as i64)?;
    let mut recipients = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT row_id, recipient_type, props FROM recipients WHERE mid = ?1 ORDER BY row_id",
        )?;
        let mut rows = stmt.query([mid as i64])?;
        while let Some(r) = rows.next()? {
            let row_id = r.get::<_, i64>(0)? as u32;
            let bytes: Vec<u8> = r.get(2)?;
            let props = decode_props(&bytes)?;
            recipients
                .insert(row_id, RecipientRow { row_id, recipient_type: r.get::<_, i64>(1)? as u32, props });
        }
    }
    let mut attachments = BTreeMap::new();
    let rows: Vec<(i64, u32, u64, u64)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT attach_id, attach_num, created, modified FROM attachments WHERE mid = ?1 ORDER BY attach_num",
        )?;
        let rows = stmt.query_map([mid as i64], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, i64>(1)? as u32,
                r.get::<_, i64>(2)? as u64,
                r.get::<_, i64>(3)? as u64,
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    for (attach_id, attach_num, created, modified) in rows {
        let props = load_props(conn, "attachment_properties", "attach_id", attach_id)?;
        let embedded: Option<i64> = conn
            .query_row("SELECT mid FROM messages WHERE parent_attach = ?1 LIMIT 1", [attach_id], |r| r.get(0))
            .optional()?;
        let embedded = embedded.map_or(Embedded::None, |m| Embedded::Stored(m as u64));
        attachments.insert(
            attach_num,
            AttachmentDraft { workspace, attach_num, props, embedded, created, modified, dirty: false },
        );
    }
    let next_attach_num = attachments.keys().next_back().map_or(0, |n| n + 1);
    Ok(MessageDraft {
        workspace,
        mid: Some(mid),
        parent,
        associated,
        base_cn: Some(cn),
        created,
        modified,
        flags: flags & !(mf::MSGFLAG_HASATTACH | mf::MSGFLAG_ASSOCIATED),
        flags_explicit: true,
        props,
        recipients,
        attachments,
        next_attach_num,
        dirty: false,
    })
}

impl MessageStore {
    /// RopCreateMessage (MS-OXCMSG 3.2.5.2): a new message in `fid` (FAI when `associated`),
    /// in memory until [`MessageStore::save_message`]. It has no MID yet: the response's
    /// `HasMessageId` is 0 (MS-OXCROPS 2.2.6.2.2); the save assigns one.
    pub fn create_message(&self, fid: ObjectId, associated: bool) -> StoreResult<MessageDraft> {
        let f = live_folder(&*self.lock()?, fid)?;
        Ok(new_draft(new_workspace(), Parent::Folder(f), associated, None))
    }

    /// RopOpenMessage (MS-OXCMSG 2.2.3.1): the saved message `mid` of folder `fid`, ready to be
    /// read or changed. NotFound when the message does not exist, is deleted or lives in
    /// another folder.
    pub fn open_message(&self, fid: ObjectId, mid: ObjectId) -> StoreResult<MessageDraft> {
        self.open_message_in(fid, mid, false)
    }

    /// RopOpenMessage with OpenModeFlags OpenSoftDeleted (MS-OXCMSG 2.2.3.1.1): like
    /// [`MessageStore::open_message`], but a soft-deleted message of the folder opens too (its
    /// save fails with ObjectDeleted).
    pub fn open_message_or_deleted(&self, fid: ObjectId, mid: ObjectId) -> StoreResult<MessageDraft> {
        self.open_message_in(fid, mid, true)
    }

    fn open_message_in(&self, fid: ObjectId, mid: ObjectId, soft_deleted: bool) -> StoreResult<MessageDraft> {
        let conn = self.lock()?;
        let f = local_counter(fid, "folder")?;
        let m = local_counter(mid, "message")?;
        let found: Option<i64> = conn
            .query_row(
                "SELECT mid FROM messages WHERE mid = ?1 AND fid = ?2 AND (soft_deleted = 0 OR ?3)",
                crate::params![m as i64, f as i64, soft_deleted],
                |r| r.get(0),
            )
            .optional()?;
        if found.is_none() {
            return Err(StoreError::NotFound(format!("no message {mid} in folder {fid}")));
        }
        load_message(&conn, m, Parent::Folder(f), new_workspace())
    }

    /// The folder a (top-level, not deleted) message is in.
    pub fn message_folder(&self, mid: ObjectId) -> StoreResult<ObjectId> {
        let m = local_counter(mid, "message")?;
        let fid: Option<Option<i64>> = self
            .lock()
            .unwrap()
            .query_row("SELECT fid FROM messages WHERE mid = ?1 AND soft_deleted = 0", [m as i64], |r| {
                r.get(0)
            })
            .optional()?;
        match fid.flatten() {
            Some(f) => Ok(ObjectId::new(LOCAL_REPLICA_ID, f as u64)),
            None => Err(StoreError::NotFound(format!("no message {mid} in this store"))),
        }
    }

    /// Every property of a saved message, stored and computed, as
    /// [`MessageStore::get_properties`] gives them for an open message.
    pub fn message_properties(&self, mid: ObjectId, max_value_bytes: usize) -> StoreResult<Vec<TaggedValue>> {
        let fid = self.message_folder(mid)?;
        let draft = self.open_message(fid, mid)?;
        self.get_properties(&draft, max_value_bytes)
    }

    /// One property of a saved message (matched by id, any type), `None` when missing.
    pub fn message_property(&self, mid: ObjectId, tag: PropTag) -> StoreResult<Option<PropValue>> {
        Ok(self
            .message_properties(mid, usize::MAX)?
            .into_iter()
            .find(|t| t.tag.id() == tag.id())
            .map(|t| t.value))
    }
}
