//! The objects a PST store hands out through its handle table, and the properties each one
//! shows: what the file holds plus what a store provider computes ([MS-PST] 2.4.3.2 entry
//! IDs; PidTagFolderId / PidTagMid as [MS-OXCFOLD] and [MS-OXCMSG] name them).

use std::sync::{Arc, Mutex, MutexGuard};

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_ATTACH_NUM, PR_CONTENT_COUNT, PR_DEPTH, PR_DISPLAY_NAME, PR_ENTRYID, PR_FID,
    PR_INSTANCE_KEY, PR_MDB_PROVIDER, PR_MID, PR_PARENT_ENTRYID, PR_RECORD_KEY, PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY, PR_STORE_SUPPORT_MASK, PR_SUBFOLDERS,
};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::{Item, Message};
use oxmapi_pst::pst::{Format, PstFile};

use super::ids::{MSPST_UID_PROVIDER, entry_id, object_id};
use super::table::{LocalTable, TableKind};

/// PR_STORE_SUPPORT_MASK bits ([MS-OXPROPS] 2.1036, mapidefs.h) a read-only PST store reports.
mod support {
    pub const ENTRYID_UNIQUE: u32 = 0x0000_0001;
    pub const READONLY: u32 = 0x0000_0002;
    pub const ATTACH_OK: u32 = 0x0000_0020;
    pub const OLE_OK: u32 = 0x0000_0040;
    pub const MV_PROPS_OK: u32 = 0x0000_0200;
    pub const RTF_OK: u32 = 0x0000_0800;
    pub const RESTRICTION_OK: u32 = 0x0000_1000;
    pub const SORT_OK: u32 = 0x0000_2000;
    pub const HTML_OK: u32 = 0x0001_0000;
    pub const ANSI_OK: u32 = 0x0002_0000;
    pub const UNICODE_OK: u32 = 0x0004_0000;
    pub const LOCALSTORE: u32 = 0x0008_0000;
}

/// A top-level message as it is read or edited, shared by the message object and the
/// attachment and embedded-message objects opened from it: a change made through any of them
/// is what RopSaveChangesMessage of the top-level message writes ([MS-OXCMSG] 3.1.4: an
/// attachment's and an embedded message's changes become part of their parent).
pub type Doc = Arc<Mutex<Message>>;

/// Locks a message (a panic elsewhere never makes it unreadable).
pub fn lock(doc: &Doc) -> MutexGuard<'_, Message> {
    doc.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An object in the handle table.
pub enum Obj {
    /// The store (the logon).
    Logon,
    /// A folder.
    Folder { nid: u32 },
    /// A message (top-level, or embedded: `path` is the attachment indices down to it). `nid`
    /// is 0 until a new message is saved; `edit` is set when it was opened or created to write.
    Message { doc: Doc, nid: u32, fid: u32, path: Vec<usize>, edit: Option<Edit> },
    /// An attachment of the message at `path`.
    Attachment { doc: Doc, path: Vec<usize>, index: usize, writable: bool },
    /// A table.
    Table(LocalTable),
    /// A property opened as a stream; `target` is where a writable stream's data goes.
    Stream { data: Vec<u8>, position: u64, target: Option<StreamTarget> },
}

/// How a message object may be changed.
#[derive(Clone, Copy, Debug)]
pub struct Edit {
    /// Created as a folder-associated (FAI) message.
    pub associated: bool,
}

/// The property a writable stream replaces when it is committed or released ([MS-OXCPRPT]
/// 3.2.5.12: a stream's changes are committed by RopCommitStream or when it is released).
pub struct StreamTarget {
    /// The object whose property it is.
    pub owner: Owner,
    /// The property.
    pub tag: oxmapi_core::PropTag,
    /// Written since the last commit.
    pub dirty: bool,
}

/// An object that holds properties a stream or RopSetProperties can change.
#[derive(Clone)]
pub enum Owner {
    /// The message (or embedded message) at `path`.
    Item { doc: Doc, path: Vec<usize> },
    /// Attachment `index` of the message at `path`.
    Attachment { doc: Doc, path: Vec<usize>, index: usize },
    /// A folder.
    Folder(u32),
}

/// The item at `path` (attachment indices through embedded messages).
pub fn item_at<'a>(msg: &'a Message, path: &[usize]) -> Option<&'a Item> {
    let mut item = &msg.item;
    for i in path {
        item = item.attachments.get(*i)?.embedded.as_deref()?;
    }
    Some(item)
}

/// The item at `path`, to change it.
pub fn item_at_mut<'a>(msg: &'a mut Message, path: &[usize]) -> Option<&'a mut Item> {
    let mut item = &mut msg.item;
    for i in path {
        item = item.attachments.get_mut(*i)?.embedded.as_deref_mut()?;
    }
    Some(item)
}

/// What the store needs to compute identifiers: the file, its record key and its entry ID.
pub struct StoreFacts {
    /// The open file.
    pub file: Arc<PstFile>,
    /// PidTagRecordKey of the message store: the uid of every entry ID in it.
    pub uid: [u8; 16],
    /// The store's entry ID.
    pub store_entry_id: Vec<u8>,
    /// PR_DISPLAY_NAME of the store: the profile's name for it.
    pub display_name: String,
}

impl StoreFacts {
    /// The entry ID of node `nid`.
    pub fn eid(&self, nid: u32) -> PropValue {
        PropValue::Binary(entry_id(&self.uid, nid))
    }

    fn common(&self, bag: &mut PropBag) {
        bag.set(PR_STORE_ENTRYID, PropValue::Binary(self.store_entry_id.clone()));
        bag.set(PR_STORE_RECORD_KEY, PropValue::Binary(self.uid.to_vec()));
    }

    /// The store object's properties.
    pub fn store_props(&self) -> PropBag {
        let mut bag = self.file.store_props().clone();
        let charset = match self.file.header().format {
            Format::Ansi => support::ANSI_OK,
            _ => support::UNICODE_OK,
        };
        // Only a Unicode file is written ([`super::write`]).
        let readonly = match self.file.header().format {
            Format::Unicode => 0,
            _ => support::READONLY,
        };
        let mask = support::ENTRYID_UNIQUE
            | readonly
            | support::ATTACH_OK
            | support::OLE_OK
            | support::MV_PROPS_OK
            | support::RTF_OK
            | support::RESTRICTION_OK
            | support::SORT_OK
            | support::HTML_OK
            | support::LOCALSTORE
            | charset;
        bag.set(PR_STORE_SUPPORT_MASK, PropValue::I32(mask as i32));
        bag.set(PR_MDB_PROVIDER, PropValue::Binary(MSPST_UID_PROVIDER.to_vec()));
        bag.set(PR_DISPLAY_NAME, PropValue::Unicode(self.display_name.clone()));
        bag.set(PR_ENTRYID, PropValue::Binary(self.store_entry_id.clone()));
        bag.set(PR_RECORD_KEY, PropValue::Binary(self.uid.to_vec()));
        self.common(&mut bag);
        bag
    }

    /// Folder `nid`'s properties, with its counts as its tables hold them.
    pub fn folder_props(&self, nid: u32) -> Result<PropBag, String> {
        let mut bag = self.file.folder_props(nid).map_err(|e| e.to_string())?;
        self.folder_computed(nid, &mut bag);
        Ok(bag)
    }

    /// The computed properties of folder `nid`: ids, entry IDs and the counts of rows its
    /// tables really have (a count the file records can be stale; the tables are what a
    /// client reads).
    fn folder_computed(&self, nid: u32, bag: &mut PropBag) {
        bag.set(PR_FID, PropValue::I64(object_id(nid).to_u64() as i64));
        bag.set(PR_ENTRYID, self.eid(nid));
        bag.set(PR_INSTANCE_KEY, PropValue::Binary(nid.to_le_bytes().to_vec()));
        if let Some(parent) = self.file.node_entry(nid).map(|n| n.parent).filter(|p| *p != 0 && *p != nid) {
            bag.set(PR_PARENT_ENTRYID, self.eid(parent));
        }
        if let Ok(rows) = self.file.contents(nid) {
            bag.set(PR_CONTENT_COUNT, PropValue::I32(rows.len() as i32));
        }
        if let Ok(rows) = self.file.associated(nid) {
            bag.set(PR_ASSOC_CONTENT_COUNT, PropValue::I32(rows.len() as i32));
        }
        if let Ok(rows) = self.file.hierarchy(nid) {
            bag.set(PR_SUBFOLDERS, PropValue::Bool(!rows.is_empty()));
        }
        self.common(bag);
    }

    /// The properties of message `nid` at `path` (computed identifiers on the top level).
    pub fn message_props(&self, msg: &Message, nid: u32, fid: u32, path: &[usize]) -> PropBag {
        let mut bag = item_at(msg, path).map(|i| i.props.clone()).unwrap_or_default();
        if path.is_empty() {
            bag.set(PR_MID, PropValue::I64(object_id(nid).to_u64() as i64));
            bag.set(PR_ENTRYID, self.eid(nid));
            bag.set(PR_PARENT_ENTRYID, self.eid(fid));
            bag.set(PR_INSTANCE_KEY, PropValue::Binary(nid.to_le_bytes().to_vec()));
            self.common(&mut bag);
        }
        bag
    }

    /// The hierarchy table of folder `nid` (the whole subtree with `depth`; PR_DEPTH counts
    /// from 1 for the folder's own sub-folders).
    pub fn hierarchy_table(&self, nid: u32, depth: bool) -> Result<LocalTable, String> {
        let mut rows = Vec::new();
        self.hierarchy_rows(nid, depth, 1, &mut rows)?;
        Ok(LocalTable::new(TableKind::Hierarchy, rows, self.file.codepage()))
    }

    fn hierarchy_rows(
        &self,
        nid: u32,
        depth: bool,
        level: i32,
        out: &mut Vec<(u32, PropBag)>,
    ) -> Result<(), String> {
        if level as usize > oxmapi_pst::pst::folder::MAX_FOLDER_DEPTH {
            return Ok(());
        }
        for r in self.file.hierarchy(nid).map_err(|e| e.to_string())? {
            // Search folders (NID_TYPE_SEARCH_FOLDER) hold other folders' messages: a PST
            // store lists only normal folders ([MS-PST] 2.4.8).
            if r.id & 0x1f != 0x02 || out.iter().any(|(n, _)| *n == r.id) {
                continue;
            }
            let mut bag = r.props;
            self.folder_computed(r.id, &mut bag);
            bag.set(PR_DEPTH, PropValue::I32(level));
            out.push((r.id, bag));
            if depth {
                self.hierarchy_rows(r.id, true, level + 1, out)?;
            }
        }
        Ok(())
    }

    /// The contents (or associated contents) table of folder `nid`.
    pub fn contents_table(&self, nid: u32, associated: bool) -> Result<LocalTable, String> {
        let rows = if associated { self.file.associated(nid) } else { self.file.contents(nid) }
            .map_err(|e| e.to_string())?;
        let rows = rows
            .into_iter()
            .map(|r| {
                let mut bag = r.props;
                oxmapi_pst::pst::message::strip_subject_marker(&mut bag);
                bag.set(PR_MID, PropValue::I64(object_id(r.id).to_u64() as i64));
                bag.set(PR_FID, PropValue::I64(object_id(nid).to_u64() as i64));
                bag.set(PR_ENTRYID, self.eid(r.id));
                bag.set(PR_PARENT_ENTRYID, self.eid(nid));
                bag.set(PR_INSTANCE_KEY, PropValue::Binary(r.id.to_le_bytes().to_vec()));
                (r.id, bag)
            })
            .collect();
        Ok(LocalTable::new(TableKind::Contents, rows, self.file.codepage()))
    }

    /// The attachment table of the message at `path` (PR_ATTACH_NUM is the row's index).
    pub fn attachment_table(&self, msg: &Message, path: &[usize]) -> LocalTable {
        let rows = item_at(msg, path)
            .map(|item| {
                item.attachments
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let mut bag = a.props.clone();
                        bag.set(PR_ATTACH_NUM, PropValue::I32(i as i32));
                        bag.set(PR_INSTANCE_KEY, PropValue::Binary((i as u32).to_le_bytes().to_vec()));
                        (0, bag)
                    })
                    .collect()
            })
            .unwrap_or_default();
        LocalTable::new(TableKind::Attachments, rows, self.file.codepage())
    }
}

/// The properties of attachment `index` of the message at `path`.
pub fn attachment_props(msg: &Message, path: &[usize], index: usize) -> Option<PropBag> {
    let a = item_at(msg, path)?.attachments.get(index)?;
    let mut bag = a.props.clone();
    bag.set(PR_ATTACH_NUM, PropValue::I32(index as i32));
    if let Some(storage) = &a.storage {
        bag.set(oxmapi_core::catalogue::tags::PR_ATTACH_DATA_OBJ, PropValue::Binary(storage.clone()));
    }
    Some(bag)
}
