//! IMAPIFolder over the folder ROPs (MS-OXCFOLD 3.1.4): open, hierarchy and contents tables,
//! create/delete/move/copy subfolders, create/delete/move/copy messages, empty.

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_wire::rop::oxcfold::{
    CopyFolderRequest, CreateFolderRequest, DeleteFolderRequest, DeleteMessagesRequest, EmptyFolderRequest,
    GetTableRequest, MoveCopyMessagesRequest, MoveFolderRequest, OpenFolderRequest,
};
use oxmapi_wire::rop::oxcmsg::{CreateMessageRequest, OpenMessageRequest};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::message::{Message, OpenMode, recipients_from_open};
use super::object::ObjectHandle;
use super::props::imapiprop;
use super::table::Table;
use super::{MsgStore, StoreLink};
use crate::profile::MapiResult;
use std::sync::Arc;

/// `CodePageId` sent with message ROPs: 0x0FFF, "use the logon's code page" (MS-OXCROPS
/// 2.2.6.1.1); strings travel as Unicode anyway.
pub(crate) const CODE_PAGE_LOGON: u16 = 0x0FFF;

/// DeleteFolder / EmptyFolder / table flags (MS-OXCFOLD 2.2.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FolderFlags;

impl FolderFlags {
    /// RopDeleteFolder DEL_MESSAGES: delete the folder's messages too.
    pub const DEL_MESSAGES: u8 = 0x01;
    /// RopDeleteFolder DEL_FOLDERS: delete its subfolders too.
    pub const DEL_FOLDERS: u8 = 0x04;
    /// RopDeleteFolder DELETE_HARD_DELETE: no soft delete.
    pub const DELETE_HARD_DELETE: u8 = 0x10;
    /// Table flag Associated: the FAI contents table.
    pub const ASSOCIATED: u8 = 0x02;
    /// Table flag Depth: the whole subtree.
    pub const DEPTH: u8 = 0x04;
    /// Table flag UseUnicode.
    pub const USE_UNICODE: u8 = 0x40;
    /// RopCreateFolder FolderType: a generic folder.
    pub const GENERIC: u8 = 0x01;
}

/// An open folder.
pub struct Folder {
    /// Shared with the messages created or opened here, whose RopSaveChangesMessage names it.
    pub(crate) obj: Arc<ObjectHandle>,
    fid: ObjectId,
}

imapiprop!(Folder);

/// RopOpenFolder through `input` (the logon or a folder).
fn open_folder(
    link: &Arc<StoreLink>,
    objects: Option<u64>,
    input: impl Fn(&mut super::batch::Batch, u32) -> u8,
    fid: ObjectId,
) -> MapiResult<Folder> {
    let logon_id = link.logon_id;
    let mut out = 0;
    let mut c = link.call(objects, |b, logon| {
        let input_handle_index = input(b, logon);
        out = b.output();
        Ok(b.push(RopRequest::OpenFolder(OpenFolderRequest {
            logon_id,
            input_handle_index,
            output_handle_index: out,
            folder_id: fid,
            open_mode_flags: 0,
        })))
    })?;
    expect_rop!(c.result.take(c.value)?, OpenFolder)?;
    let obj = ObjectHandle::new(link, c.result.handle(out)?, c.generation);
    Ok(Folder { obj: Arc::new(obj), fid })
}

impl MsgStore {
    /// Opens a folder by id (IMsgStore::OpenEntry on a folder).
    pub fn open_folder(&self, fid: ObjectId) -> MapiResult<Folder> {
        open_folder(&self.link, None, |b, logon| b.input(logon), fid)
    }

    /// The IPM subtree ("Top of Information Store").
    pub fn ipm_subtree(&self) -> MapiResult<Folder> {
        self.open_folder(self.ipm_subtree_id())
    }

    /// Opens a message by folder and message id (RopOpenMessage through the logon).
    pub fn open_message(&self, fid: ObjectId, mid: ObjectId, mode: OpenMode) -> MapiResult<Message> {
        open_message(&self.link, None, |b, logon| b.input(logon), fid, mid, mode)
    }

    /// IMsgStore::OpenEntry: a folder or message entry ID of this store (MS-OXCDATA 2.2.4).
    pub fn open_entry(&self, entry_id: &[u8], mode: OpenMode) -> MapiResult<super::Entry> {
        use oxmapi_core::entryid::EntryId;
        if let Some(node) = self.link.local_entry(entry_id) {
            let (nid, parent) = node?;
            let id = super::pst::ids::object_id;
            return Ok(match parent {
                None => super::Entry::Folder(self.open_folder(id(nid))?),
                Some(fid) => super::Entry::Message(self.open_message(id(fid), id(nid), mode)?),
            });
        }
        let parsed = EntryId::parse(entry_id)
            .map_err(|e| MapiError::new(codes::MAPI_E_INVALID_ENTRYID, format!("not an entry ID: {e}")))?;
        let info = &self.link.info;
        let id = |r: oxmapi_core::entryid::LongTermRef| -> MapiResult<ObjectId> {
            if r.database_guid != info.replica_guid {
                return Err(MapiError::new(
                    codes::MAPI_E_INVALID_ENTRYID,
                    "the entry ID belongs to another store",
                ));
            }
            Ok(ObjectId::new(info.replica_id, r.global_counter))
        };
        match parsed {
            EntryId::Folder(f) => Ok(super::Entry::Folder(self.open_folder(id(f.folder)?)?)),
            EntryId::Message(m) => {
                let fid = id(m.folder)?;
                let mid = id(m.message)?;
                Ok(super::Entry::Message(self.open_message(fid, mid, mode)?))
            }
            _ => {
                Err(MapiError::new(codes::MAPI_E_INVALID_ENTRYID, "neither a folder nor a message entry ID"))
            }
        }
    }
}

/// RopOpenMessage through `input`.
pub(crate) fn open_message(
    link: &Arc<StoreLink>,
    objects: Option<u64>,
    input: impl Fn(&mut super::batch::Batch, u32) -> u8,
    fid: ObjectId,
    mid: ObjectId,
    mode: OpenMode,
) -> MapiResult<Message> {
    let logon_id = link.logon_id;
    let mut out = 0;
    let mut c = link.call(objects, |b, logon| {
        let input_handle_index = input(b, logon);
        out = b.output();
        Ok(b.push(RopRequest::OpenMessage(OpenMessageRequest {
            logon_id,
            input_handle_index,
            output_handle_index: out,
            code_page_id: CODE_PAGE_LOGON,
            folder_id: fid,
            open_mode_flags: mode.flags(),
            message_id: mid,
        })))
    })?;
    let body = expect_rop!(c.result.take(c.value)?, OpenMessage)?;
    let obj = ObjectHandle::new(link, c.result.handle(out)?, c.generation);
    let recipients = recipients_from_open(&body.recipient_columns, &body.recipient_rows)?;
    Ok(Message::opened(obj, Some(fid), Some(mid), body.recipient_count, recipients, body.recipient_columns))
}

impl Folder {
    /// The folder id.
    pub fn id(&self) -> ObjectId {
        self.fid
    }

    /// Opens a subfolder (or any folder of the store) by id.
    pub fn open_folder(&self, fid: ObjectId) -> MapiResult<Folder> {
        let h = self.obj.handle;
        open_folder(&self.obj.link, Some(self.obj.generation), move |b, _| b.input(h), fid)
    }

    /// Opens a message of this folder.
    pub fn open_message(&self, mid: ObjectId, mode: OpenMode) -> MapiResult<Message> {
        let h = self.obj.handle;
        let m = open_message(
            &self.obj.link,
            Some(self.obj.generation),
            move |b, _| b.input(h),
            self.fid,
            mid,
            mode,
        )?;
        Ok(m.in_folder(self.obj.clone()))
    }

    fn table(&self, hierarchy: bool, flags: u8) -> MapiResult<Table> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            let q = GetTableRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                table_flags: flags | FolderFlags::USE_UNICODE,
            };
            Ok(b.push(if hierarchy {
                RopRequest::GetHierarchyTable(q)
            } else {
                RopRequest::GetContentsTable(q)
            }))
        })?;
        let resp = c.result.take(c.value)?;
        let rows = if hierarchy {
            expect_rop!(resp, GetHierarchyTable)?
        } else {
            expect_rop!(resp, GetContentsTable)?
        };
        Ok(Table::new(self.obj.child(&c, out)?, rows.row_count))
    }

    /// IMAPIContainer::GetHierarchyTable; `depth` lists the whole subtree (CONVENIENT_DEPTH).
    pub fn hierarchy_table(&self, depth: bool) -> MapiResult<Table> {
        self.table(true, if depth { FolderFlags::DEPTH } else { 0 })
    }

    /// IMAPIContainer::GetContentsTable; `associated` lists the FAI messages.
    pub fn contents_table(&self, associated: bool) -> MapiResult<Table> {
        self.table(false, if associated { FolderFlags::ASSOCIATED } else { 0 })
    }

    /// IMAPIFolder::CreateFolder (generic folder). With `open_existing`, an existing folder of
    /// that name is opened instead of failing with MAPI_E_COLLISION.
    pub fn create_folder(
        &self,
        name: &str,
        comment: Option<&str>,
        open_existing: bool,
    ) -> MapiResult<Folder> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::CreateFolder(CreateFolderRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                folder_type: FolderFlags::GENERIC,
                use_unicode_strings: 1,
                open_existing: open_existing as u8,
                reserved: 0,
                display_name: name.to_string(),
                comment: comment.unwrap_or("").to_string(),
            })))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, CreateFolder)?;
        Ok(Folder { obj: Arc::new(self.obj.child(&c, out)?), fid: body.folder_id })
    }

    /// IMAPIFolder::DeleteFolder with `FolderFlags::DEL_*` flags. Returns true when only part
    /// of the subtree could be deleted. A folder that still holds messages (subfolders) and was
    /// asked to go without DEL_MESSAGES (DEL_FOLDERS) is MAPI_E_HAS_MESSAGES
    /// (MAPI_E_HAS_FOLDERS), as IMAPIFolder::DeleteFolder documents: the server answers such a
    /// request with success and PartialCompletion (MS-OXCFOLD 3.2.5.3, MS-OXCFOLD_R816), so the
    /// provider looks at the folder to say why.
    pub fn delete_folder(&self, fid: ObjectId, flags: u8) -> MapiResult<bool> {
        let partial = self.delete_folder_rop(fid, flags)?;
        let all = FolderFlags::DEL_MESSAGES | FolderFlags::DEL_FOLDERS;
        if partial && flags & all != all {
            if let Some(e) = self.why_kept(fid, flags) {
                return Err(e);
            }
        }
        Ok(partial)
    }

    /// Why folder `fid` is still there after a DeleteFolder without some DEL_* flags: the
    /// contents the flags did not allow to delete (None when that cannot be told).
    fn why_kept(&self, fid: ObjectId, flags: u8) -> Option<MapiError> {
        use oxmapi_core::catalogue::tags::{PR_ASSOC_CONTENT_COUNT, PR_CONTENT_COUNT, PR_SUBFOLDERS};
        use oxmapi_core::value::PropValue;
        use oxmapi_wire::cdata::RowValue;
        let values = self
            .open_folder(fid)
            .ok()?
            .get_props(&[PR_SUBFOLDERS, PR_CONTENT_COUNT, PR_ASSOC_CONTENT_COUNT])
            .ok()?;
        let int = |v: &RowValue| match v {
            RowValue::Value(PropValue::I32(n)) => *n,
            _ => 0,
        };
        let subfolders = matches!(values.first(), Some(RowValue::Value(PropValue::Bool(true))));
        let messages = values.get(1).map_or(0, int) + values.get(2).map_or(0, int);
        if flags & FolderFlags::DEL_FOLDERS == 0 && subfolders {
            return Some(MapiError::new(
                codes::MAPI_E_HAS_FOLDERS,
                "the folder has subfolders (delete them too with DEL_FOLDERS)",
            ));
        }
        if flags & FolderFlags::DEL_MESSAGES == 0 && messages > 0 {
            return Some(MapiError::new(
                codes::MAPI_E_HAS_MESSAGES,
                format!("the folder holds {messages} messages (delete them too with DEL_MESSAGES)"),
            ));
        }
        None
    }

    /// RopDeleteFolder: true when the server reports PartialCompletion.
    fn delete_folder_rop(&self, fid: ObjectId, flags: u8) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::DeleteFolder(DeleteFolderRequest {
                logon_id,
                input_handle_index: slot,
                delete_folder_flags: flags,
                folder_id: fid,
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, DeleteFolder)?.partial_completion != 0)
    }

    /// IMAPIFolder::CopyFolder / moving with `move_folder`: `fid` (a subfolder of this folder)
    /// into `dest`, named `new_name`.
    pub fn copy_folder(
        &self,
        fid: ObjectId,
        dest: &Folder,
        new_name: &str,
        is_move: bool,
    ) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let dh = dest.obj.handle;
        let mut c = self.obj.call(|b, slot| {
            let dest_handle_index = b.input(dh);
            let name = new_name.to_string();
            Ok(b.push(if is_move {
                RopRequest::MoveFolder(MoveFolderRequest {
                    logon_id,
                    source_handle_index: slot,
                    dest_handle_index,
                    want_asynchronous: 0,
                    use_unicode: 1,
                    folder_id: fid,
                    new_folder_name: name,
                })
            } else {
                RopRequest::CopyFolder(CopyFolderRequest {
                    logon_id,
                    source_handle_index: slot,
                    dest_handle_index,
                    want_asynchronous: 0,
                    want_recursive: 1,
                    use_unicode: 1,
                    folder_id: fid,
                    new_folder_name: name,
                })
            }))
        })?;
        let resp = c.result.take(c.value)?;
        let r = if is_move { expect_rop!(resp, MoveFolder)? } else { expect_rop!(resp, CopyFolder)? };
        Ok(r.partial_completion != 0)
    }

    /// IMAPIFolder::CreateMessage (`associated` for an FAI message).
    pub fn create_message(&self, associated: bool) -> MapiResult<Message> {
        let logon_id = self.obj.logon_id();
        let fid = self.fid;
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::CreateMessage(CreateMessageRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                code_page_id: CODE_PAGE_LOGON,
                folder_id: fid,
                associated_flag: associated as u8,
            })))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, CreateMessage)?;
        Ok(Message::created(self.obj.child(&c, out)?, Some(fid), body.message_id).in_folder(self.obj.clone()))
    }

    /// IMAPIFolder::DeleteMessages (`hard`: RopHardDeleteMessages). True on partial completion.
    pub fn delete_messages(&self, mids: &[ObjectId], hard: bool) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            let q = DeleteMessagesRequest {
                logon_id,
                input_handle_index: slot,
                want_asynchronous: 0,
                notify_non_read: 0,
                message_ids: mids.to_vec(),
            };
            Ok(b.push(if hard { RopRequest::HardDeleteMessages(q) } else { RopRequest::DeleteMessages(q) }))
        })?;
        let resp = c.result.take(c.value)?;
        let r =
            if hard { expect_rop!(resp, HardDeleteMessages)? } else { expect_rop!(resp, DeleteMessages)? };
        Ok(r.partial_completion != 0)
    }

    /// IMAPIFolder::CopyMessages (`is_move` for MESSAGE_MOVE) into `dest`. True on partial
    /// completion.
    pub fn copy_messages(&self, mids: &[ObjectId], dest: &Folder, is_move: bool) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let dh = dest.obj.handle;
        let mut c = self.obj.call(|b, slot| {
            let dest_handle_index = b.input(dh);
            Ok(b.push(RopRequest::MoveCopyMessages(MoveCopyMessagesRequest {
                logon_id,
                source_handle_index: slot,
                dest_handle_index,
                message_ids: mids.to_vec(),
                want_asynchronous: 0,
                want_copy: (!is_move) as u8,
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, MoveCopyMessages)?.partial_completion != 0)
    }

    /// IMAPIFolder::EmptyFolder (`associated`: FAI messages too; `hard`: no soft delete).
    pub fn empty(&self, associated: bool, hard: bool) -> MapiResult<bool> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            let q = EmptyFolderRequest {
                logon_id,
                input_handle_index: slot,
                want_asynchronous: 0,
                want_delete_associated: associated as u8,
            };
            Ok(b.push(if hard {
                RopRequest::HardDeleteMessagesAndSubfolders(q)
            } else {
                RopRequest::EmptyFolder(q)
            }))
        })?;
        let resp = c.result.take(c.value)?;
        let r = if hard {
            expect_rop!(resp, HardDeleteMessagesAndSubfolders)?
        } else {
            expect_rop!(resp, EmptyFolder)?
        };
        Ok(r.partial_completion != 0)
    }
}
