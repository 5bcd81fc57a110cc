//! Saving: RopSaveChangesMessage (MS-OXCMSG 2.2.3.3), RopSaveChangesAttachment (2.2.3.15) and
//! the save of an embedded message into its attachment (2.2.3.16); releasing an open message.
//!
//! A message save is one SQLite transaction, committed with `synchronous=FULL` before the call
//! returns. It rewrites the message's property and recipient rows, the attachments that changed
//! and, recursively, the embedded messages that changed; large values are not copied, their
//! blobs only change from pending to permanent. A save announces the message (MS-OXCNOTIF
//! 2.2.1.4.1.2: fnevObjectCreated at the first save, fnevObjectModified after) and, when they
//! changed, its folder's counts; attachments and embedded messages are part of the message.

use std::collections::{BTreeMap, HashMap};

use crate::db::Value;
use crate::db::{Conn, OptionalExt, Tx, params, params_from_iter};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::message_flags as mf;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;

use super::INLINE_LIMIT;
use super::blobs;
use super::computed::{derive_subject, display_lists, recipients_size};
use super::copy::{Loc, copy_message_rows};
use super::draft::{AttachmentDraft, DraftValue, Embedded, MessageDraft, Parent, PropSet};
use super::load::live_folder;
use super::recipients::encode_props;
use crate::error::{StoreError, StoreResult};
use crate::mailbox::commit::Durability;
use crate::mailbox::events::StoreEvent;
use crate::mailbox::ids::allocate;
use crate::mailbox::{LOCAL_REPLICA_ID, MessageStore};
use crate::propvalue;

/// Property rows written by one INSERT: a multi-row VALUES list (`(owner, propid, proptype,
/// value, blob_id)` each), so that a save costs one statement per 64 properties instead of one
/// per property — on PostgreSQL each statement is a round trip to the server.
const PROPS_PER_INSERT: usize = 64;

/// Writes one object's property rows (after deleting the old ones) into `table`.
fn write_props(conn: &Conn, table: &str, key: &str, owner: i64, props: &PropSet) -> StoreResult<()> {
    conn.prepare_cached(&format!("DELETE FROM {table} WHERE {key} = ?1"))?.execute([owner])?;
    let mut rows = Vec::with_capacity(props.0.len());
    for (id, v) in &props.0 {
        rows.push(match v {
            DraftValue::Inline(v) => [
                Value::Integer(*id as i64),
                Value::Integer(v.prop_type().code() as i64),
                propvalue::to_sql(v),
                Value::Null,
            ],
            DraftValue::Blob(b) => {
                blobs::make_permanent(conn, b.id)?;
                [
                    Value::Integer(*id as i64),
                    Value::Integer(b.ty.code() as i64),
                    Value::Null,
                    Value::Integer(b.id),
                ]
            }
        });
    }
    for chunk in rows.chunks(PROPS_PER_INSERT) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = 2 + 4 * i;
                format!("(?1, ?{}, ?{}, ?{}, ?{})", p, p + 1, p + 2, p + 3)
            })
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({key}, propid, proptype, value, blob_id) VALUES {}",
            tuples.join(", ")
        );
        let params = std::iter::once(Value::Integer(owner)).chain(chunk.iter().flatten().cloned());
        conn.prepare_cached(&sql)?.execute(params_from_iter(params.collect::<Vec<_>>()))?;
    }
    Ok(())
}

fn stored_size(conn: &Conn, sql: &str, key: i64) -> StoreResult<u64> {
    let s: Option<i64> = conn.query_row(sql, [key], |r| r.get(0)).optional()?;
    Ok(s.unwrap_or(0) as u64)
}

/// Writes the attachments of a message: deletes the ones the draft no longer has, rewrites the
/// changed ones with their embedded messages; returns their total PR_ATTACH_SIZE.
fn write_attachments(conn: &Conn, mid: u64, d: &MessageDraft, now: u64) -> StoreResult<u64> {
    let stored: HashMap<u32, i64> = {
        let mut stmt = conn.prepare_cached("SELECT attach_num, attach_id FROM attachments WHERE mid = ?1")?;
        let rows = stmt.query_map([mid as i64], |r| Ok((r.get::<_, i64>(0)? as u32, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (num, id) in &stored {
        if !d.attachments.contains_key(num) {
            conn.execute("DELETE FROM attachments WHERE attach_id = ?1", [id])?;
        }
    }
    let mut total = 0;
    for a in d.attachments.values() {
        let attach_id = match stored.get(&a.attach_num) {
            Some(id) if !a.dirty => {
                total += stored_size(conn, "SELECT attach_size FROM attachments WHERE attach_id = ?1", *id)?;
                continue;
            }
            Some(id) => *id,
            None => conn.query_row(
                "INSERT INTO attachments (mid, attach_num, created, modified) VALUES (?1, ?2, ?3, ?4) \
                 RETURNING attach_id",
                params![mid as i64, a.attach_num, a.created as i64, a.modified as i64],
                |r| r.get(0),
            )?,
        };
        write_props(conn, "attachment_properties", "attach_id", attach_id, &a.props)?;
        let embedded = match &a.embedded {
            Embedded::None => None,
            Embedded::Stored(m) => {
                let parent: Option<Option<i64>> = conn
                    .query_row("SELECT parent_attach FROM messages WHERE mid = ?1", [*m as i64], |r| r.get(0))
                    .optional()?;
                match parent {
                    Some(Some(p)) if p == attach_id => Some(*m),
                    Some(_) => Some(copy_message_rows(conn, *m, Loc::Attachment(attach_id), now)?),
                    None => {
                        return Err(StoreError::ObjectChanged(
                            "the embedded message was deleted meanwhile".into(),
                        ));
                    }
                }
            }
            Embedded::Draft(e) => Some(write_message(conn, e, Loc::Attachment(attach_id), now)?.0),
        };
        conn.execute(
            "DELETE FROM messages WHERE parent_attach = ?1 AND mid IS DISTINCT FROM ?2",
            params![attach_id, embedded.map(|m| m as i64)],
        )?;
        let embedded_size = match embedded {
            Some(m) => stored_size(conn, "SELECT message_size FROM messages WHERE mid = ?1", m as i64)?,
            None => 0,
        };
        let size = a.props.byte_size() + embedded_size;
        conn.execute(
            "UPDATE attachments SET attach_size = ?2, modified = ?3 WHERE attach_id = ?1",
            params![attach_id, size as i64, a.modified as i64],
        )?;
        total += size;
    }
    Ok(total)
}

/// Writes a message (new or existing) and everything below it inside the caller's
/// transaction; returns its MID counter, new change number and PR_MESSAGE_FLAGS.
pub(crate) fn write_message(
    conn: &Conn,
    d: &MessageDraft,
    loc: Loc,
    now: u64,
) -> StoreResult<(u64, u64, u32)> {
    let mid = match d.mid {
        Some(m) => m,
        None => allocate(conn, 1)?,
    };
    let cn = allocate(conn, 1)?;
    let stored_flags: Option<i64> =
        conn.query_row("SELECT flags FROM messages WHERE mid = ?1", [mid as i64], |r| r.get(0)).optional()?;
    let mut flags = match stored_flags {
        // MS-OXCMSG 2.2.1.6: after the first save the flags belong to the store; a second save
        // clears mfUnmodified.
        Some(f) if d.base_cn.is_some() => f as u32 & !mf::MSGFLAG_UNMODIFIED,
        _ => d.flags,
    };
    if flags & mf::MSGFLAG_READ != 0 || !d.flags_explicit {
        flags |= mf::MSGFLAG_EVERREAD;
    }
    flags &= !(mf::MSGFLAG_HASATTACH | mf::MSGFLAG_ASSOCIATED);
    if !d.attachments.is_empty() {
        flags |= mf::MSGFLAG_HASATTACH;
    }
    if d.associated {
        flags |= mf::MSGFLAG_ASSOCIATED;
    }
    let (fid, parent_attach) = match loc {
        Loc::Folder(f) => (Some(f as i64), None),
        Loc::Attachment(a) => (None, Some(a)),
    };
    let delivery = d
        .props
        .int(PR_MESSAGE_DELIVERY_TIME)
        .filter(|_| matches!(d.props.inline(PR_MESSAGE_DELIVERY_TIME), Some(PropValue::SysTime(_))));
    conn.prepare_cached(
        "INSERT INTO messages (mid, fid, parent_attach, associated, change_number, read, created, modified, \
         flags, delivery_time, normalized_subject, message_class) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (/*mbx,*/ mid) DO UPDATE SET change_number = excluded.change_number, read = excluded.read, \
         modified = excluded.modified, flags = excluded.flags, delivery_time = excluded.delivery_time, \
         normalized_subject = excluded.normalized_subject, message_class = excluded.message_class",
    )?
    .execute(params![
        mid as i64,
        fid,
        parent_attach,
        d.associated,
        cn as i64,
        flags & mf::MSGFLAG_READ != 0,
        d.created as i64,
        now as i64,
        flags as i64,
        delivery,
        d.props.text(PR_NORMALIZED_SUBJECT),
        d.props.text(PR_MESSAGE_CLASS),
    ])?;
    write_props(conn, "message_properties", "mid", mid as i64, &d.props)?;
    super::sort_keys::refresh_sort_keys(conn, mid)?;
    conn.prepare_cached("DELETE FROM recipients WHERE mid = ?1")?.execute([mid as i64])?;
    {
        let mut insert = conn.prepare_cached(
            "INSERT INTO recipients (mid, row_id, recipient_type, props) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for r in d.recipients.values() {
            insert.execute(params![mid as i64, r.row_id, r.recipient_type, encode_props(&r.props)])?;
        }
    }
    let size =
        d.props.byte_size() + recipients_size(d.recipients.values()) + write_attachments(conn, mid, d, now)?;
    conn.execute("UPDATE messages SET message_size = ?2 WHERE mid = ?1", params![mid as i64, size as i64])?;
    Ok((mid, cn, flags))
}

/// Moves large in-memory values of a draft tree into pending blobs, so the save itself only
/// references blobs and the draft does not keep the value in memory afterwards.
fn spill(conn: &Conn, props: &mut PropSet, workspace: i64) -> StoreResult<()> {
    for v in props.0.values_mut() {
        let DraftValue::Inline(value) = v else { continue };
        if blobs::stream_len(value).is_none_or(|n| n <= INLINE_LIMIT as u64) {
            continue;
        }
        let ty = value.prop_type();
        let bytes = PropValue::stream_bytes(value).unwrap_or_default();
        let id = blobs::store_bytes(conn, workspace, &bytes)?;
        *v = DraftValue::Blob(super::draft::BlobRef { id, size: bytes.len() as u64, ty });
    }
    Ok(())
}

pub(crate) fn spill_tree(conn: &Conn, d: &mut MessageDraft) -> StoreResult<()> {
    spill(conn, &mut d.props, d.workspace)?;
    for a in d.attachments.values_mut().filter(|a| a.dirty) {
        spill(conn, &mut a.props, a.workspace)?;
        if let Embedded::Draft(e) = &mut a.embedded {
            spill_tree(conn, e)?;
        }
    }
    Ok(())
}

/// What a message row said before a save, for the save's change event.
struct Saved {
    /// Its folder (`None` for an embedded message).
    fid: Option<u64>,
    flags: i64,
    size: i64,
}

impl Saved {
    fn from_row(r: &crate::db::Row<'_>, at: usize) -> crate::db::Result<Saved> {
        Ok(Saved {
            fid: r.get::<_, Option<i64>>(at)?.map(|f| f as u64),
            flags: r.get(at + 1)?,
            size: r.get(at + 2)?,
        })
    }
}

/// The tags of the stored properties of message `mid` that a save of `props` adds, changes or
/// removes (read before the save writes them), sorted by property id.
fn changed_props(conn: &Conn, mid: u64, props: &PropSet) -> StoreResult<Vec<PropTag>> {
    let mut stmt = conn
        .prepare_cached("SELECT propid, proptype, value, blob_id FROM message_properties WHERE mid = ?1")?;
    let mut rows = stmt.query([mid as i64])?;
    let mut old = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let row: (u16, u16, Value, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        old.insert(row.0, (row.1, row.2, row.3));
    }
    let mut changed = Vec::new();
    for (id, v) in &props.0 {
        let new = match v {
            DraftValue::Inline(v) => (v.prop_type().code(), propvalue::to_sql(v), None),
            DraftValue::Blob(b) => (b.ty.code(), Value::Null, Some(b.id)),
        };
        if old.remove(id).as_ref() != Some(&new) {
            changed.push(PropTag::new(*id, v.prop_type()));
        }
    }
    changed.extend(old.into_iter().map(|(id, (ty, _, _))| PropTag::from_parts(id, ty)));
    changed.sort_by_key(|t| t.id());
    Ok(changed)
}

/// The event of a save of top-level message `mid` in `fid`: fnevObjectCreated with the stored
/// properties at the first save; fnevObjectModified after, with the stored properties that
/// changed and PR_MESSAGE_FLAGS / PR_MESSAGE_SIZE when those did.
fn saved_event(
    conn: &Conn,
    d: &MessageDraft,
    fid: u64,
    mid: u64,
    before: Option<(Saved, Vec<PropTag>)>,
) -> StoreResult<StoreEvent> {
    let (fid, mid) = (ObjectId::new(LOCAL_REPLICA_ID, fid), ObjectId::new(LOCAL_REPLICA_ID, mid));
    let Some((old, mut tags)) = before else {
        let tags = d.props.0.iter().map(|(id, v)| PropTag::new(*id, v.prop_type())).collect();
        return Ok(StoreEvent::Created {
            fid,
            mid: Some(mid),
            parent_fid: fid,
            tags,
            associated: d.is_associated(),
        });
    };
    let now = conn.query_row(
        "SELECT fid, flags, message_size FROM messages WHERE mid = ?1",
        [mid.global_counter as i64],
        |r| Saved::from_row(r, 0),
    )?;
    for (tag, changed) in
        [(PR_MESSAGE_FLAGS, now.flags != old.flags), (PR_MESSAGE_SIZE, now.size != old.size)]
    {
        if changed && !tags.iter().any(|t| t.id() == tag.id()) {
            tags.push(tag);
        }
    }
    tags.sort_by_key(|t| t.id());
    Ok(StoreEvent::Modified { fid, mid: Some(mid), tags, counts: None, associated: d.is_associated() })
}

/// What a committed save made of a message: its MID, change number and flags.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SavedAs {
    pub mid: u64,
    pub cn: u64,
    pub flags: u32,
}

/// Brings the open draft up to the save that committed: it now names the saved message (MID,
/// change number, flags) and nothing in it is unsaved. Returns the MID.
pub(crate) fn saved_into(draft: &mut MessageDraft, saved: SavedAs, now: u64) -> ObjectId {
    draft.mid = Some(saved.mid);
    draft.base_cn = Some(saved.cn);
    draft.modified = now;
    draft.flags = saved.flags & !(mf::MSGFLAG_HASATTACH | mf::MSGFLAG_ASSOCIATED);
    draft.flags_explicit = true;
    draft.dirty = false;
    for a in draft.attachments.values_mut() {
        a.dirty = false;
        if let Embedded::Draft(e) = &a.embedded {
            if let Some(m) = e.mid {
                a.embedded = Embedded::Stored(m);
            }
        }
    }
    ObjectId::new(LOCAL_REPLICA_ID, saved.mid)
}

impl MessageStore {
    /// The values a save computes into the draft: subject parts, recipient summaries, a first
    /// PR_MESSAGE_DELIVERY_TIME for a new top-level message; large values spilled to blobs.
    pub(crate) fn prepare_save(&self, d: &mut MessageDraft, now: u64) -> StoreResult<()> {
        derive_subject(&mut d.props);
        for (tag, list) in display_lists(d.recipients.values()) {
            d.props.set(tag, PropValue::Unicode(list));
        }
        if d.base_cn.is_none() && !d.is_embedded() && !d.props.contains(PR_MESSAGE_DELIVERY_TIME) {
            d.props.set(PR_MESSAGE_DELIVERY_TIME, PropValue::SysTime(FileTime(now)));
        }
        self.write(Durability::Normal, |tx| spill_tree(tx, d))
    }

    /// RopSaveChangesMessage (MS-OXCMSG 2.2.3.3): writes the message, its recipients and its
    /// saved attachments in one transaction and returns its MID (allocated at the first save).
    /// The store sets PR_LAST_MODIFICATION_TIME, a new change number (PR_CHANGE_KEY,
    /// PR_PREDECESSOR_CHANGE_LIST), PR_MESSAGE_SIZE, PR_HASATTACH / MSGFLAG_HASATTACH,
    /// PR_DISPLAY_TO/CC/BCC, PR_SUBJECT_PREFIX / PR_NORMALIZED_SUBJECT, mfEverRead on a first
    /// save that did not set the read state (MS-OXCMSG 3.2.5.2) and, on a first save without
    /// one, PR_MESSAGE_DELIVERY_TIME.
    ///
    /// Errors: an embedded message (use [`MessageStore::save_embedded`]) → InvalidParameter;
    /// the message was deleted meanwhile → ObjectDeleted; it was changed meanwhile and `force`
    /// (SaveFlags ForceSave 0x0C) is not set → ObjectChanged; the folder is gone → NotFound.
    pub fn save_message(&self, draft: &mut MessageDraft, force: bool) -> StoreResult<ObjectId> {
        let now = FileTime::now().0;
        self.prepare_save(draft, now)?;
        let saved = self.write(Durability::Full, |tx| self.save_in(tx, draft, force, now))?;
        Ok(saved_into(draft, saved, now))
    }

    /// The part of [`MessageStore::save_message`] that runs inside the write transaction
    /// (after [`MessageStore::prepare_save`]): checks, writes and records the message; returns
    /// its MID, change number and flags for [`saved_into`] once the transaction committed.
    /// RopSubmitMessage runs it in the transaction that queues the message.
    pub(crate) fn save_in(
        &self,
        tx: &Tx<'_>,
        draft: &MessageDraft,
        force: bool,
        now: u64,
    ) -> StoreResult<SavedAs> {
        let Parent::Folder(fid) = draft.parent else {
            return Err(StoreError::InvalidParameter(
                "an embedded message is saved into its attachment (RopSaveChangesMessage on an embedded message)"
                    .into(),
            ));
        };
        // The saved state of a message saved before: its folder (it may have been moved since
        // it was opened), flags and size.
        let before = match (draft.base_cn, draft.mid) {
            (Some(base), Some(mid)) => {
                let row: Option<(i64, bool, Saved)> = tx
                    .query_row(
                        "SELECT change_number, soft_deleted, fid, flags, message_size FROM messages \
                         WHERE mid = ?1",
                        [mid as i64],
                        |r| Ok((r.get(0)?, r.get(1)?, Saved::from_row(r, 2)?)),
                    )
                    .optional()?;
                match row {
                    None | Some((_, true, _)) => {
                        return Err(StoreError::ObjectDeleted(format!(
                            "message {} was deleted after it was opened",
                            ObjectId::new(LOCAL_REPLICA_ID, mid)
                        )));
                    }
                    Some((cn, false, _)) if cn as u64 != base && !force => {
                        return Err(StoreError::ObjectChanged(format!(
                            "message {} was changed after it was opened; reopen it or save with ForceSave",
                            ObjectId::new(LOCAL_REPLICA_ID, mid)
                        )));
                    }
                    Some((_, false, saved)) => {
                        crate::mailbox::submission::refuse_if_queued(tx, mid)?;
                        Some((saved, changed_props(tx, mid, &draft.props)?))
                    }
                }
            }
            _ => {
                live_folder(tx, ObjectId::new(LOCAL_REPLICA_ID, fid))?;
                None
            }
        };
        let folder = before.as_ref().and_then(|(saved, _)| saved.fid).unwrap_or(fid);
        self.watch_counts(tx, folder)?;
        let (mid, cn, flags) = write_message(tx, draft, Loc::Folder(fid), now)?;
        self.record(saved_event(tx, draft, folder, mid, before)?);
        Ok(SavedAs { mid, cn, flags })
    }

    /// RopSaveChangesAttachment (MS-OXCMSG 2.2.3.15): puts the attachment into its open
    /// message; the message's save writes it.
    pub fn save_attachment(&self, msg: &mut MessageDraft, att: &mut AttachmentDraft) -> StoreResult<()> {
        if att.workspace != msg.workspace {
            return Err(StoreError::InvalidParameter("the attachment belongs to another message".into()));
        }
        att.modified = FileTime::now().0;
        let mut copy = att.clone();
        copy.dirty = true;
        msg.next_attach_num = msg.next_attach_num.max(att.attach_num.saturating_add(1));
        msg.attachments.insert(att.attach_num, copy);
        msg.dirty = true;
        att.dirty = false;
        Ok(())
    }

    /// RopSaveChangesMessage on an embedded message (MS-OXCMSG 2.2.3.16): puts the message into
    /// its open attachment (which the attachment's and then the message's save write) and
    /// returns its MID.
    pub fn save_embedded(&self, att: &mut AttachmentDraft, msg: &mut MessageDraft) -> StoreResult<ObjectId> {
        if !msg.is_embedded() || att.workspace != msg.workspace {
            return Err(StoreError::InvalidParameter(
                "the message is not embedded in this attachment".into(),
            ));
        }
        let now = FileTime::now().0;
        self.prepare_save(msg, now)?;
        msg.modified = now;
        let mid = match msg.mid {
            Some(m) => m,
            None => self.allocate_ids(1)?.global_counter,
        };
        msg.mid = Some(mid);
        let mut copy = msg.clone();
        copy.dirty = true;
        att.embedded = Embedded::Draft(Box::new(copy));
        att.dirty = true;
        msg.dirty = false;
        Ok(ObjectId::new(LOCAL_REPLICA_ID, mid))
    }

    /// Releases an open message: deletes the pending blobs its streams and spilled values left
    /// (those of its attachments and embedded messages too). Call it when the message handle
    /// and every handle opened from it (attachments, streams, embedded messages) are released;
    /// saved values are not touched. Blobs of drafts never released are swept after a day.
    pub fn discard_message(&self, draft: &MessageDraft) -> StoreResult<()> {
        self.discard_workspace(draft.workspace)
    }

    /// [`MessageStore::discard_message`] by workspace ([`MessageDraft::workspace`]), for callers
    /// that outlive the draft itself.
    pub fn discard_workspace(&self, workspace: i64) -> StoreResult<()> {
        self.write(Durability::Normal, |tx| blobs::discard_workspace(tx, workspace))
    }
}
