//! The ROPs that change a Personal Folders store ([MS-OXCFOLD] 2.2.1 folders and their
//! messages, [MS-OXCMSG] 2.2.3 messages, recipients and attachments, [MS-OXCPRPT] 2.2.2 and
//! 2.2.14 properties and streams), executed against the file through the PST writer.
//!
//! A message is edited in memory (a [`Doc`] shared by the message object and the attachment and
//! embedded-message objects opened from it) and written whole by RopSaveChangesMessage, which
//! commits the file: a message acknowledged by that ROP survives a crash ([MS-PST] 2.6). Folder
//! operations and deletions commit as they are executed. Only a Unicode file is written; an
//! ANSI file answers every change with MAPI_E_NO_ACCESS (`oxmapi pst convert` makes a Unicode
//! copy).

use std::sync::{Arc, Mutex};

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_METHOD, PR_COMMENT, PR_DISPLAY_NAME, PR_MESSAGE_CLASS, PR_MESSAGE_FLAGS, PR_RECIPIENT_TYPE,
    PR_ROWID,
};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::ptype::PropType;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_core::{ErrorCode, PropTag};
use oxmapi_pst::item::{Attachment, Item, Message};
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::{NID_ROOT_FOLDER, PstError};
use oxmapi_wire::cdata::PropertyProblem;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcfold::{
    CreateFolderResponse, MoveCopyResponse, OpenFolderResponse, PartialCompletionResponse,
};
use oxmapi_wire::rop::oxcmsg::{CreateAttachmentResponse, CreateMessageResponse, SaveChangesMessageResponse};
use oxmapi_wire::rop::oxcprpt::{
    OpenStreamRequest, ProblemsResponse, StreamSizeResponse, WriteStreamResponse,
};
use oxmapi_wire::rop::oxcstor::Ghosted;
use oxmapi_wire::rop::recipients::row_to_properties;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::PstStore;
use super::ids::{nid_of, object_id};
use super::objects::{Doc, Edit, Obj, Owner, StreamTarget, item_at_mut, lock};
use super::values::lookup;

type Answer = Result<RopResponse, ErrorCode>;

/// RopCreateFolder FolderType: a search folder ([MS-OXCFOLD] 2.2.1.2.1).
const FOLDER_SEARCH: u8 = 2;
/// RopDeleteFolder flags ([MS-OXCFOLD] 2.2.1.3.1).
const DEL_MESSAGES: u8 = 0x01;
const DEL_FOLDERS: u8 = 0x04;
/// RopSaveChangesMessage SaveFlags KeepOpenReadWrite ([MS-OXCMSG] 2.2.3.3.1).
const KEEP_OPEN_READ_WRITE: u8 = 0x02;
/// OpenModeFlags Create of RopOpenStream ([MS-OXCPRPT] 2.2.14.1.1).
const STREAM_CREATE: u8 = 0x02;
/// PidTagMessageFlags of a new message: mfRead | mfUnsent ([MS-OXCMSG] 2.2.1.6).
const NEW_MESSAGE_FLAGS: i32 = 0x0000_0001 | 0x0000_0008;
/// ATTACH_EMBEDDED_MSG ([MS-OXCMSG] 2.2.2.9).
const ATTACH_EMBEDDED_MSG: i32 = 5;
/// The most bytes one property opened as a stream may grow to in a PST store; beyond it
/// RopWriteStream answers STG_E_MEDIUMFULL. A PST value is limited by its data tree
/// ([MS-PST] 2.2.2.8.3.2), and the whole value is held in memory until the message is saved.
pub const MAX_STREAM_BYTES: usize = 512 << 20;

fn ok<T>(index: u8, body: T) -> Outcome<T> {
    Outcome { handle_index: index, return_value: 0, body: Some(body) }
}

fn partial(index: u8) -> Outcome<PartialCompletionResponse> {
    ok(index, PartialCompletionResponse { partial_completion: 0 })
}

/// Properties a client cannot set: the store computes them ([MS-OXCPRPT] 3.2.5.4: ecComputed).
fn computed(tag: PropTag) -> bool {
    use oxmapi_core::catalogue::tags::*;
    [
        PR_ENTRYID,
        PR_MID,
        PR_FID,
        PR_INSTANCE_KEY,
        PR_PARENT_ENTRYID,
        PR_STORE_ENTRYID,
        PR_STORE_RECORD_KEY,
        PR_RECORD_KEY,
        PR_MESSAGE_SIZE,
        PR_CONTENT_COUNT,
        PR_ASSOC_CONTENT_COUNT,
        PR_SUBFOLDERS,
        PR_ATTACH_NUM,
        PR_HASATTACH,
    ]
    .iter()
    .any(|t| t.id() == tag.id())
}

/// A value as the writer stores it: 8-bit strings of a Unicode store become Unicode.
fn stored(v: &TaggedValue) -> (PropTag, PropValue) {
    match &v.value {
        PropValue::String8(b) => (
            PropTag::new(v.tag.id(), PropType::String),
            PropValue::Unicode(String::from_utf8_lossy(b).into_owned()),
        ),
        other => (v.tag, other.clone()),
    }
}

/// Gives attachment `index` of the item at `path` a new, empty embedded message (RopOpenEmbeddedMessage
/// with Create, [MS-OXCMSG] 2.2.3.16).
pub(super) fn embed_new(doc: &Doc, path: &[usize], index: usize) -> Result<(), ErrorCode> {
    let mut msg = lock(doc);
    let a = item_at_mut(&mut msg, path)
        .and_then(|i| i.attachments.get_mut(index))
        .ok_or(codes::MAPI_E_NOT_FOUND)?;
    a.props.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_EMBEDDED_MSG));
    a.embedded = Some(Box::new(Item {
        props: PropBag::new().with(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        ..Item::default()
    }));
    Ok(())
}

impl PstStore {
    /// The ROPs that change the store; anything else goes to the table ROPs.
    pub(super) fn write_rop(&mut self, req: &RopRequest, handles: &mut [u32]) -> Answer {
        use RopRequest as Q;
        use RopResponse as R;
        match req {
            Q::CreateFolder(q) => {
                let parent = self.folder(handles, q.input_handle_index)?;
                if q.folder_type == FOLDER_SEARCH {
                    return Err(codes::MAPI_E_NO_SUPPORT);
                }
                self.writable()?;
                let existing = self.child_named(parent, &q.display_name)?;
                let (nid, existing) = match existing {
                    Some(nid) if q.open_existing != 0 => {
                        (nid, Some(OpenFolderResponse { has_rules: 0, ghosted: Ghosted::default() }))
                    }
                    Some(_) => return Err(codes::MAPI_E_COLLISION),
                    None => {
                        let mut props =
                            PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(q.display_name.clone()));
                        if !q.comment.is_empty() {
                            props.set(PR_COMMENT, PropValue::Unicode(q.comment.clone()));
                        }
                        let nid = self.change(|w| w.create_folder(parent, &props))?;
                        (nid, None)
                    }
                };
                self.put(handles, q.output_handle_index, Obj::Folder { nid })?;
                let body = CreateFolderResponse { folder_id: object_id(nid), existing };
                Ok(R::CreateFolder(ok(q.output_handle_index, body)))
            }
            Q::DeleteFolder(q) => {
                let parent = self.folder(handles, q.input_handle_index)?;
                let nid = nid_of(q.folder_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
                self.writable()?;
                if self.facts.file.node_entry(nid).is_none_or(|n| n.parent != parent) || nid & 0x1f != 0x02 {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                self.refuse_special(nid)?;
                let has_folders = self.facts.file.hierarchy(nid).is_ok_and(|r| !r.is_empty());
                let has_messages = self.facts.file.contents(nid).is_ok_and(|r| !r.is_empty())
                    || self.facts.file.associated(nid).is_ok_and(|r| !r.is_empty());
                // A folder that still holds what the flags do not let go stays, and the answer is
                // success with PartialCompletion ([MS-OXCFOLD] 3.2.5.3, as Exchange answers).
                if has_folders && q.delete_folder_flags & DEL_FOLDERS == 0
                    || has_messages && q.delete_folder_flags & DEL_MESSAGES == 0
                {
                    let body = PartialCompletionResponse { partial_completion: 1 };
                    return Ok(R::DeleteFolder(ok(q.input_handle_index, body)));
                }
                self.change(|w| w.delete_folder(nid))?;
                Ok(R::DeleteFolder(partial(q.input_handle_index)))
            }
            Q::EmptyFolder(q) | Q::HardDeleteMessagesAndSubfolders(q) => {
                let nid = self.folder(handles, q.input_handle_index)?;
                self.writable()?;
                self.refuse_special(nid)?;
                let mut doomed: Vec<u32> = self
                    .facts
                    .file
                    .contents(nid)
                    .map_err(|_| codes::MAPI_E_CORRUPT_DATA)?
                    .iter()
                    .map(|r| r.id)
                    .collect();
                if q.want_delete_associated != 0 {
                    doomed.extend(self.facts.file.associated(nid).into_iter().flatten().map(|r| r.id));
                }
                let folders: Vec<u32> =
                    self.facts.file.hierarchy(nid).into_iter().flatten().map(|r| r.id).collect();
                self.change(|w| {
                    for m in &doomed {
                        w.delete_message(*m)?;
                    }
                    for f in &folders {
                        w.delete_folder(*f)?;
                    }
                    Ok(())
                })?;
                let out = partial(q.input_handle_index);
                Ok(if matches!(req, Q::EmptyFolder(_)) {
                    R::EmptyFolder(out)
                } else {
                    R::HardDeleteMessagesAndSubfolders(out)
                })
            }
            Q::DeleteMessages(q) | Q::HardDeleteMessages(q) => {
                let fid = self.folder(handles, q.input_handle_index)?;
                self.writable()?;
                let doomed: Vec<u32> = q
                    .message_ids
                    .iter()
                    .filter_map(|id| nid_of(*id))
                    .filter(|nid| {
                        matches!(nid & 0x1f, 0x04 | 0x08)
                            && self.facts.file.node_entry(*nid).is_some_and(|n| n.parent == fid)
                    })
                    .collect();
                self.change(|w| doomed.iter().try_for_each(|m| w.delete_message(*m)))?;
                let out = partial(q.input_handle_index);
                Ok(if matches!(req, Q::DeleteMessages(_)) {
                    R::DeleteMessages(out)
                } else {
                    R::HardDeleteMessages(out)
                })
            }
            Q::CreateMessage(q) => {
                self.expect_folder_or_logon(handles, q.input_handle_index)?;
                let fid = nid_of(q.folder_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
                if fid & 0x1f != 0x02 || self.facts.file.node_entry(fid).is_none() {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                self.writable()?;
                let mut msg = Message::default();
                msg.item.props.set(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into()));
                msg.item.props.set(PR_MESSAGE_FLAGS, PropValue::I32(NEW_MESSAGE_FLAGS));
                let edit = Some(Edit { associated: q.associated_flag != 0 });
                let doc = Arc::new(Mutex::new(msg));
                self.put(
                    handles,
                    q.output_handle_index,
                    Obj::Message { doc, nid: 0, fid, path: Vec::new(), edit },
                )?;
                Ok(R::CreateMessage(ok(q.output_handle_index, CreateMessageResponse { message_id: None })))
            }
            Q::SetProperties(q) | Q::SetPropertiesNoReplicate(q) => {
                let owner = self.owner(handles, q.input_handle_index)?;
                let mut problems = Vec::new();
                let mut values = Vec::new();
                for (i, v) in q.property_values.iter().enumerate() {
                    if computed(v.tag) {
                        problems.push(PropertyProblem {
                            index: i as u16,
                            tag: v.tag,
                            error: codes::MAPI_E_COMPUTED,
                        });
                    } else {
                        values.push(stored(v));
                    }
                }
                self.edit_props(&owner, |bag| {
                    for (t, v) in values {
                        bag.set(t, v);
                    }
                })?;
                let body = ProblemsResponse { problems };
                Ok(if matches!(req, Q::SetProperties(_)) {
                    R::SetProperties(ok(q.input_handle_index, body))
                } else {
                    R::SetPropertiesNoReplicate(ok(q.input_handle_index, body))
                })
            }
            Q::DeleteProperties(q) | Q::DeletePropertiesNoReplicate(q) => {
                let owner = self.owner(handles, q.input_handle_index)?;
                let mut problems = Vec::new();
                let mut doomed = Vec::new();
                for (i, t) in q.property_tags.iter().enumerate() {
                    if computed(*t) {
                        problems.push(PropertyProblem {
                            index: i as u16,
                            tag: *t,
                            error: codes::MAPI_E_COMPUTED,
                        });
                    } else {
                        doomed.push(*t);
                    }
                }
                self.edit_props(&owner, |bag| {
                    for t in doomed {
                        bag.remove(t);
                    }
                })?;
                let body = ProblemsResponse { problems };
                Ok(if matches!(req, Q::DeleteProperties(_)) {
                    R::DeleteProperties(ok(q.input_handle_index, body))
                } else {
                    R::DeletePropertiesNoReplicate(ok(q.input_handle_index, body))
                })
            }
            Q::ModifyRecipients(q) => {
                let (doc, path) = self.editable_message(handles, q.input_handle_index)?;
                let mut msg = lock(&doc);
                let item = item_at_mut(&mut msg, &path).ok_or(codes::MAPI_E_NOT_FOUND)?;
                for row in &q.recipient_rows {
                    let at = item.recipients.iter().position(|r| match r.get(PR_ROWID) {
                        Some(PropValue::I32(id)) => *id as u32 == row.row_id,
                        _ => false,
                    });
                    let Some(rr) = &row.recipient_row else {
                        if let Some(at) = at {
                            item.recipients.remove(at);
                        }
                        continue;
                    };
                    let props = row_to_properties(rr, &q.recipient_columns)
                        .map_err(|_| codes::MAPI_E_INVALID_PARAMETER)?;
                    let mut bag: PropBag = props
                        .iter()
                        .map(|v| {
                            let (t, v) = stored(v);
                            TaggedValue::new(t, v)
                        })
                        .collect();
                    bag.set(PR_RECIPIENT_TYPE, PropValue::I32(row.recipient_type as i32));
                    bag.set(PR_ROWID, PropValue::I32(row.row_id as i32));
                    match at {
                        Some(at) => item.recipients[at] = bag,
                        None => item.recipients.push(bag),
                    }
                }
                Ok(R::ModifyRecipients(ok(q.input_handle_index, Empty)))
            }
            Q::RemoveAllRecipients(q) => {
                let (doc, path) = self.editable_message(handles, q.input_handle_index)?;
                if let Some(item) = item_at_mut(&mut lock(&doc), &path) {
                    item.recipients.clear();
                }
                Ok(R::RemoveAllRecipients(ok(q.input_handle_index, Empty)))
            }
            Q::CreateAttachment(q) => {
                let (doc, path) = self.editable_message(handles, q.input_handle_index)?;
                let index = {
                    let mut msg = lock(&doc);
                    let item = item_at_mut(&mut msg, &path).ok_or(codes::MAPI_E_NOT_FOUND)?;
                    item.attachments.push(Attachment::default());
                    item.attachments.len() - 1
                };
                self.put(
                    handles,
                    q.output_handle_index,
                    Obj::Attachment { doc, path, index, writable: true },
                )?;
                let body = CreateAttachmentResponse { attachment_id: index as u32 };
                Ok(R::CreateAttachment(ok(q.output_handle_index, body)))
            }
            Q::DeleteAttachment(q) => {
                let (doc, path) = self.editable_message(handles, q.input_handle_index)?;
                let mut msg = lock(&doc);
                let item = item_at_mut(&mut msg, &path).ok_or(codes::MAPI_E_NOT_FOUND)?;
                let index = q.attachment_id as usize;
                if index >= item.attachments.len() {
                    return Err(codes::MAPI_E_NOT_FOUND);
                }
                item.attachments.remove(index);
                Ok(R::DeleteAttachment(ok(q.input_handle_index, Empty)))
            }
            Q::SaveChangesAttachment(q) => {
                match self.get(handles, q.input_handle_index)? {
                    Obj::Attachment { writable: true, .. } => {}
                    Obj::Attachment { .. } => return Err(codes::MAPI_E_NO_ACCESS),
                    _ => return Err(codes::MAPI_E_NO_SUPPORT),
                }
                // The attachment's changes are already part of its message, which writes them
                // when it is saved ([MS-OXCMSG] 3.2.5.4).
                Ok(R::SaveChangesAttachment(ok(q.response_handle_index, Empty)))
            }
            Q::SaveChangesMessage(q) => {
                let (doc, nid, fid, path, edit) = match self.get(handles, q.input_handle_index)? {
                    Obj::Message { doc, nid, fid, path, edit } => {
                        (doc.clone(), *nid, *fid, path.clone(), *edit)
                    }
                    _ => return Err(codes::MAPI_E_NO_SUPPORT),
                };
                let edit = edit.ok_or(codes::MAPI_E_NO_ACCESS)?;
                let nid = if path.is_empty() {
                    let mut msg = lock(&doc).clone();
                    // The message's named ids are the file's (RopGetPropertyIdsFromNames answers
                    // from its map), pending names included.
                    msg.names = self.with_writer(|w| Ok(w.named_properties().clone()))?;
                    let saved = self.change(|w| {
                        if nid == 0 {
                            w.add_message(fid, &msg, edit.associated)
                        } else {
                            w.replace_message(nid, &msg).map(|()| nid)
                        }
                    })?;
                    if let Ok(Obj::Message { nid, edit: e, .. }) = self.get_mut(handles, q.input_handle_index)
                    {
                        *nid = saved;
                        if q.save_flags & KEEP_OPEN_READ_WRITE == 0 {
                            *e = None;
                        }
                    }
                    saved
                } else {
                    0
                };
                let id = if nid == 0 { ObjectId::ZERO } else { object_id(nid) };
                let body =
                    SaveChangesMessageResponse { input_handle_index: q.input_handle_index, message_id: id };
                Ok(R::SaveChangesMessage(ok(q.response_handle_index, body)))
            }
            Q::WriteStream(q) => {
                let Obj::Stream { data, position, target: Some(t) } =
                    self.get_mut(handles, q.input_handle_index)?
                else {
                    return Err(codes::STG_E_ACCESSDENIED);
                };
                let at = *position as usize;
                let end = at
                    .checked_add(q.data.len())
                    .filter(|e| *e <= MAX_STREAM_BYTES)
                    .ok_or(codes::STG_E_MEDIUMFULL)?;
                if data.len() < end {
                    data.resize(end, 0);
                }
                data[at..end].copy_from_slice(&q.data);
                *position = end as u64;
                t.dirty = true;
                let body = WriteStreamResponse { written_size: q.data.len() as u16 };
                Ok(R::WriteStream(ok(q.input_handle_index, body)))
            }
            Q::SetStreamSize(q) => {
                let Obj::Stream { data, target: Some(t), .. } =
                    self.get_mut(handles, q.input_handle_index)?
                else {
                    return Err(codes::STG_E_ACCESSDENIED);
                };
                let size = usize::try_from(q.stream_size)
                    .ok()
                    .filter(|s| *s <= MAX_STREAM_BYTES)
                    .ok_or(codes::STG_E_MEDIUMFULL)?;
                data.resize(size, 0);
                t.dirty = true;
                Ok(R::SetStreamSize(ok(q.input_handle_index, Empty)))
            }
            Q::CommitStream(q) => {
                self.commit_stream(handles[q.input_handle_index as usize..].first().copied())?;
                Ok(R::CommitStream(ok(q.input_handle_index, Empty)))
            }
            Q::MoveCopyMessages(q) => {
                let from = self.folder(handles, q.source_handle_index)?;
                let to = self.folder(handles, q.dest_handle_index)?;
                self.writable()?;
                let copy = q.want_copy != 0;
                let mut moved = Vec::new();
                for id in &q.message_ids {
                    let Some(nid) = nid_of(*id) else { continue };
                    if self.facts.file.node_entry(nid).is_none_or(|n| n.parent != from) {
                        continue;
                    }
                    moved.push(nid);
                }
                self.change(|w| {
                    for nid in &moved {
                        if copy {
                            w.copy_message(*nid, to)?;
                        } else {
                            w.move_message(*nid, to)?;
                        }
                    }
                    Ok(())
                })?;
                Ok(R::MoveCopyMessages(ok(
                    q.source_handle_index,
                    MoveCopyResponse { dest_handle_index: None, partial_completion: 0 },
                )))
            }
            Q::MoveFolder(q) => {
                let (nid, to) =
                    self.folder_transfer(handles, q.source_handle_index, q.dest_handle_index, q.folder_id)?;
                self.refuse_special(nid)?;
                if self.child_named(to, &q.new_folder_name)?.is_some_and(|c| c != nid) {
                    return Err(codes::MAPI_E_COLLISION);
                }
                let name =
                    PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(q.new_folder_name.clone()));
                self.change(|w| {
                    w.move_folder(nid, to)?;
                    w.set_folder_props(nid, &name)
                })?;
                Ok(R::MoveFolder(ok(
                    q.source_handle_index,
                    MoveCopyResponse { dest_handle_index: None, partial_completion: 0 },
                )))
            }
            Q::CopyFolder(q) => {
                let (nid, to) =
                    self.folder_transfer(handles, q.source_handle_index, q.dest_handle_index, q.folder_id)?;
                if self.child_named(to, &q.new_folder_name)?.is_some() {
                    return Err(codes::MAPI_E_COLLISION);
                }
                let (name, recursive) = (q.new_folder_name.clone(), q.want_recursive != 0);
                self.change_reading(|file, w| copy_tree(file, w, nid, to, Some(&name), recursive, 0))?;
                Ok(R::CopyFolder(ok(
                    q.source_handle_index,
                    MoveCopyResponse { dest_handle_index: None, partial_completion: 0 },
                )))
            }
            _ => self.table_rop(req, handles),
        }
    }

    /// What RopMoveFolder and RopCopyFolder act on: (the folder, the destination), once the
    /// store is writable, the folder is a sub-folder of the source and the destination is not
    /// inside it ([MS-OXCFOLD] 3.2.5.6: MAPI_E_FOLDER_CYCLE).
    fn folder_transfer(
        &mut self,
        handles: &[u32],
        source: u8,
        dest: u8,
        folder_id: ObjectId,
    ) -> Result<(u32, u32), ErrorCode> {
        let from = self.folder(handles, source)?;
        let to = self.folder(handles, dest)?;
        let nid = nid_of(folder_id).ok_or(codes::MAPI_E_NOT_FOUND)?;
        self.writable()?;
        if self.facts.file.node_entry(nid).is_none_or(|n| n.parent != from) {
            return Err(codes::MAPI_E_NOT_FOUND);
        }
        if self.is_under(to, nid) {
            return Err(codes::MAPI_E_FOLDER_CYCLE);
        }
        Ok((nid, to))
    }

    /// RopOpenStream to write ([MS-OXCPRPT] 2.2.14): Create starts empty, ReadWrite from the
    /// property's value; the data goes to the property when committed or released.
    pub(super) fn open_write_stream(&mut self, q: &OpenStreamRequest, handles: &mut [u32]) -> Answer {
        let owner = self.owner(handles, q.input_handle_index)?;
        if !self.can_write() {
            return Err(codes::MAPI_E_NO_ACCESS);
        }
        let data = if q.open_mode_flags & STREAM_CREATE != 0 {
            Vec::new()
        } else {
            let bag = self.props_of(handles, q.input_handle_index)?;
            lookup(&bag, q.property_tag).and_then(PropValue::stream_bytes).unwrap_or_default()
        };
        let stream_size = data.len() as u32;
        let target =
            Some(StreamTarget { owner, tag: q.property_tag, dirty: q.open_mode_flags & STREAM_CREATE != 0 });
        self.put(handles, q.output_handle_index, Obj::Stream { data, position: 0, target })?;
        Ok(RopResponse::OpenStream(ok(q.output_handle_index, StreamSizeResponse { stream_size })))
    }

    /// Writes a stream's data to its property (RopCommitStream, or the release of a stream
    /// that was written).
    pub(super) fn commit_stream(&mut self, handle: Option<u32>) -> Result<(), ErrorCode> {
        let obj = handle.and_then(|h| self.objects.get_mut(&h)).ok_or(codes::EC_NULL_OBJECT)?;
        let Obj::Stream { data, target: Some(t), .. } = obj else {
            return Err(codes::STG_E_ACCESSDENIED);
        };
        if !t.dirty {
            return Ok(());
        }
        t.dirty = false;
        let ty = t.tag.prop_type().unwrap_or(PropType::Binary);
        let value = PropValue::from_stream_bytes(ty, data.clone());
        let (owner, tag) = (t.owner.clone(), t.tag);
        self.edit_props(&owner, |bag| bag.set(tag, value))
    }

    /// What RopSetProperties on the object in `slot` changes: a message or attachment open to
    /// write, or a folder.
    fn owner(&self, handles: &[u32], slot: u8) -> Result<Owner, ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Message { doc, path, edit: Some(_), .. } => {
                Ok(Owner::Item { doc: doc.clone(), path: path.clone() })
            }
            Obj::Attachment { doc, path, index, writable: true } => {
                Ok(Owner::Attachment { doc: doc.clone(), path: path.clone(), index: *index })
            }
            Obj::Message { .. } | Obj::Attachment { .. } => Err(codes::MAPI_E_NO_ACCESS),
            Obj::Folder { nid } => Ok(Owner::Folder(*nid)),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    /// Changes an owner's properties: in memory for a message or attachment, in the file (and
    /// committed) for a folder.
    fn edit_props(&mut self, owner: &Owner, f: impl FnOnce(&mut PropBag)) -> Result<(), ErrorCode> {
        match owner {
            Owner::Item { doc, path } => {
                let mut msg = lock(doc);
                f(&mut item_at_mut(&mut msg, path).ok_or(codes::MAPI_E_NOT_FOUND)?.props);
            }
            Owner::Attachment { doc, path, index } => {
                let mut msg = lock(doc);
                let a = item_at_mut(&mut msg, path)
                    .and_then(|i| i.attachments.get_mut(*index))
                    .ok_or(codes::MAPI_E_NOT_FOUND)?;
                f(&mut a.props);
            }
            Owner::Folder(nid) => {
                let nid = *nid;
                self.writable()?;
                let mut bag = self.facts.file.folder_props(nid).map_err(|_| codes::MAPI_E_CORRUPT_DATA)?;
                let before = bag.clone();
                f(&mut bag);
                if bag != before {
                    let name = lookup(&bag, PR_DISPLAY_NAME).cloned();
                    if let (Some(PropValue::Unicode(n)), Some(parent)) =
                        (&name, self.facts.file.node_entry(nid).map(|e| e.parent))
                        && self.child_named(parent, n)?.is_some_and(|c| c != nid)
                    {
                        return Err(codes::MAPI_E_COLLISION);
                    }
                    self.change(|w| w.set_folder_props(nid, &bag))?;
                }
            }
        }
        Ok(())
    }

    /// The message in `slot` when it is open to write.
    fn editable_message(&self, handles: &[u32], slot: u8) -> Result<(Doc, Vec<usize>), ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Message { doc, path, edit: Some(_), .. } => Ok((doc.clone(), path.clone())),
            Obj::Message { .. } => Err(codes::MAPI_E_NO_ACCESS),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    fn expect_folder_or_logon(&self, handles: &[u32], slot: u8) -> Result<(), ErrorCode> {
        match self.get(handles, slot)? {
            Obj::Logon | Obj::Folder { .. } => Ok(()),
            _ => Err(codes::MAPI_E_NO_SUPPORT),
        }
    }

    /// The sub-folder of `parent` named `name` (compared case-insensitively, as MAPI does).
    fn child_named(&self, parent: u32, name: &str) -> Result<Option<u32>, ErrorCode> {
        let rows = self.facts.file.hierarchy(parent).map_err(|_| codes::MAPI_E_CORRUPT_DATA)?;
        let cp = self.facts.file.codepage();
        Ok(rows
            .into_iter()
            .find(|r| match lookup(&r.props, PR_DISPLAY_NAME).map(|v| super::values::decoded(v, cp)) {
                Some(PropValue::Unicode(n)) => n.to_lowercase() == name.to_lowercase(),
                _ => false,
            })
            .map(|r| r.id))
    }

    /// True when folder `nid` is `ancestor` or below it.
    fn is_under(&self, mut nid: u32, ancestor: u32) -> bool {
        for _ in 0..=oxmapi_pst::pst::folder::MAX_FOLDER_DEPTH {
            if nid == ancestor {
                return true;
            }
            match self.facts.file.node_entry(nid) {
                Some(n) if n.parent != nid && n.parent != 0 => nid = n.parent,
                _ => return false,
            }
        }
        false
    }

    /// The root folder and the special folders the store's properties name cannot be deleted,
    /// emptied or moved (a RopEmptyFolder on the root would empty the whole store).
    fn refuse_special(&self, nid: u32) -> Result<(), ErrorCode> {
        if nid == NID_ROOT_FOLDER || self.special_folders().contains(&nid) {
            return Err(codes::MAPI_E_NO_ACCESS);
        }
        Ok(())
    }

    fn special_folders(&self) -> Vec<u32> {
        use oxmapi_core::catalogue::tags::{
            PR_FINDER_ENTRYID, PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID,
        };
        let store = self.facts.file.store_props();
        [PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_FINDER_ENTRYID]
            .iter()
            .filter_map(|t| match store.get(*t) {
                Some(PropValue::Binary(b)) => super::ids::parse_entry_id(&self.facts.uid, b),
                _ => None,
            })
            .collect()
    }
}

/// Copies folder `nid` of `file` (its messages, associated ones included, and with `recursive`
/// its sub-folders) under `parent`, named `name` or as it is named (RopCopyFolder,
/// [MS-OXCFOLD] 2.2.1.8).
fn copy_tree(
    file: &oxmapi_pst::pst::PstFile,
    w: &mut PstWriter,
    nid: u32,
    parent: u32,
    name: Option<&str>,
    recursive: bool,
    depth: usize,
) -> Result<(), PstError> {
    if depth > oxmapi_pst::pst::folder::MAX_FOLDER_DEPTH {
        return Ok(());
    }
    let mut props = file.folder_props(nid)?;
    oxmapi_pst::codepage::decode_string8_props(&mut props, file.codepage());
    for t in [
        oxmapi_core::catalogue::tags::PR_CONTENT_COUNT,
        oxmapi_core::catalogue::tags::PR_CONTENT_UNREAD,
        oxmapi_core::catalogue::tags::PR_ASSOC_CONTENT_COUNT,
        oxmapi_core::catalogue::tags::PR_SUBFOLDERS,
    ] {
        props.remove(t);
    }
    if let Some(n) = name {
        props.set(PR_DISPLAY_NAME, PropValue::Unicode(n.to_string()));
    }
    let copy = w.create_folder(parent, &props)?;
    for (rows, associated) in [(file.contents(nid)?, false), (file.associated(nid)?, true)] {
        for r in rows {
            // A message the reader cannot open is left out, as `pst convert` leaves it out.
            if let Ok(m) = file.message(r.id) {
                w.add_message(copy, &m, associated)?;
            }
        }
    }
    if recursive {
        for r in file.hierarchy(nid)? {
            if r.id & 0x1f == 0x02 {
                copy_tree(file, w, r.id, copy, None, true, depth + 1)?;
            }
        }
    }
    Ok(())
}
