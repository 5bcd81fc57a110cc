//! [`PstWriter`]: a Unicode PST as a writable message store ([MS-PST] 2.4 and 2.7).
//!
//! A new file gets what [MS-PST] 2.7 lists for a minimal PST: the message store (2.4.3, with
//! the minimum set of 2.4.3.1), the name-to-id map (2.4.7), the template tables (2.4.4.2), the
//! search management queue, search activity list and search domain object (2.4.8.4), the
//! root folder with its three tables, the IPM subtree ("Top of Personal Folders"), the search
//! root, Deleted Items, and the spam search folder (2.7.3.4.4) with its update queue, criteria
//! and search contents table.
//!
//! Messages are written to the NDB layer as they are added; folders (their property contexts,
//! tables and counts), the name-to-id map and the search queue are kept in memory and written
//! at [`PstWriter::commit`], which then makes everything durable in the order of [MS-PST] 2.6.

use std::collections::HashMap;
use std::path::Path;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DISPLAY_NAME, PR_FINDER_ENTRYID,
    PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_RECORD_KEY, PR_SUBFOLDERS, PR_VALID_FOLDER_MASK,
};
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::NdbWriter;
use super::NodeContent;
use super::folder::{FolderState, Table, summary};
use super::message::encode_message;
use super::names::NameMap;
use super::pc::build_pc;
use super::search::{
    SUDT_FLD_ADD, SUDT_FLD_DEL, SUDT_FLD_MOD, SUDT_FLD_MOV, SUDT_MSG_ADD, SUDT_MSG_DEL, SUDT_MSG_MOD,
    SUDT_MSG_MOV, SearchQueue,
};
use super::tc::build_tc;
use super::template::{
    self, NID_ASSOC_CONTENTS_TABLE_TEMPLATE, NID_ATTACHMENT_TABLE, NID_CONTENTS_TABLE_TEMPLATE,
    NID_HIERARCHY_TABLE_TEMPLATE, NID_RECIPIENT_TABLE, NID_SEARCH_ACTIVITY_LIST,
    NID_SEARCH_CONTENTS_TABLE_TEMPLATE, NID_SEARCH_DOMAIN_OBJECT, NID_SEARCH_MANAGEMENT_QUEUE,
    NID_SPAM_SEARCH_FOLDER, NID_TYPE_ASSOC_MESSAGE, NID_TYPE_NORMAL_FOLDER, NID_TYPE_NORMAL_MESSAGE,
    NID_TYPE_SEARCH_CONTENTS_TABLE, NID_TYPE_SEARCH_CRITERIA_OBJECT, NID_TYPE_SEARCH_UPDATE_QUEUE, columns,
    valid_folder, with_type,
};
use crate::item::Message;
use crate::pst::crypt::CryptMethod;
use crate::pst::ltp::Row;
use crate::pst::{NID_MESSAGE_STORE, NID_NAME_TO_ID_MAP, NID_ROOT_FOLDER, PstError, read_pc};

/// PidTagPstPassword: 0, no password ([MS-PST] 2.4.3.3).
const PR_PST_PASSWORD: PropTag = PropTag(0x67FF_0003);
/// The search criteria object's one property Outlook writes for the spam search folder.
const PR_SEARCH_CRITERIA_FLAGS: PropTag = PropTag(0x660B_0003);
/// Folder properties the writer computes from the folder's tables; a caller's values are ignored.
const COMPUTED_FOLDER_PROPS: [PropTag; 4] =
    [PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_ASSOC_CONTENT_COUNT];

/// PidLidReminderSet: PSETID_Common 0x8503 ([MS-OXPROPS] 2.222).
const PID_LID_REMINDER_SET: u32 = 0x8503;

/// A PST open for writing.
pub struct PstWriter {
    ndb: NdbWriter,
    record_key: Guid,
    ipm_subtree: u32,
    wastebasket: Option<u32>,
    finder: Option<u32>,
    names: NameMap,
    folders: HashMap<u32, FolderState>,
    search: SearchQueue,
}

/// A PST entry ID ([MS-PST] 2.4.3.2): four zero flag bytes, the store's record key, the NID.
pub fn entry_id(record_key: &Guid, nid: u32) -> Vec<u8> {
    let mut e = vec![0u8; 4];
    e.extend_from_slice(&record_key.0);
    e.extend_from_slice(&nid.to_le_bytes());
    e
}

/// The content of a node or subnode from its data and subnode trees. Subnode trees nest once
/// per embedded message, so the depth is bounded like the reader's.
fn content_of(
    ndb: &crate::pst::ndb::Ndb,
    data: u64,
    sub: u64,
    depth: usize,
) -> Result<NodeContent, PstError> {
    if depth > crate::pst::message::MAX_EMBED_DEPTH * 2 + 2 {
        return Err(PstError::Corrupt("subnodes nested deeper than any message the writer makes".into()));
    }
    let blocks = ndb.data_blocks(data)?;
    let mut subnodes = Vec::new();
    let mut subs: Vec<_> = ndb.subnodes(sub)?.into_iter().collect();
    subs.sort_by_key(|(id, _)| *id);
    for (id, s) in subs {
        subnodes.push((id, content_of(ndb, s.data, s.sub, depth + 1)?));
    }
    Ok(NodeContent { blocks, subnodes })
}

/// The NID an entry ID of this store names.
fn nid_of(eid: Option<&PropValue>) -> Option<u32> {
    match eid {
        Some(PropValue::Binary(b)) if b.len() == 24 => Some(u32::from_le_bytes([b[20], b[21], b[22], b[23]])),
        _ => None,
    }
}

fn folder_props(name: &str) -> PropBag {
    PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.to_string()))
}

impl PstWriter {
    /// A new file with everything [MS-PST] 2.7 lists for a minimal PST, committed.
    pub fn create(path: &Path, crypt: CryptMethod, display_name: &str) -> Result<PstWriter, PstError> {
        let mut ndb = NdbWriter::create(path, crypt)?;
        let record_key = Guid::new_random();
        // The search objects (2.4.8.4): an empty queue, the spam search folder as the one
        // active search, and an empty search domain.
        ndb.put_node(NID_SEARCH_MANAGEMENT_QUEUE, 0, &NodeContent::raw(&[]))?;
        ndb.put_node(NID_SEARCH_ACTIVITY_LIST, 0, &NodeContent::raw(&NID_SPAM_SEARCH_FOLDER.to_le_bytes()))?;
        ndb.put_node(NID_SEARCH_DOMAIN_OBJECT, 0, &NodeContent::raw(&[]))?;
        // The template tables (2.4.4.2): empty tables with each kind's columns.
        let templates = [
            (NID_HIERARCHY_TABLE_TEMPLATE, template::HIERARCHY_COLUMNS),
            (NID_CONTENTS_TABLE_TEMPLATE, template::CONTENTS_COLUMNS),
            (NID_ASSOC_CONTENTS_TABLE_TEMPLATE, template::ASSOC_CONTENTS_COLUMNS),
            (NID_SEARCH_CONTENTS_TABLE_TEMPLATE, template::SEARCH_CONTENTS_COLUMNS),
            (NID_ATTACHMENT_TABLE, template::ATTACHMENT_COLUMNS),
            (NID_RECIPIENT_TABLE, template::RECIPIENT_COLUMNS),
        ];
        for (nid, cols) in templates {
            ndb.put_node(nid, 0, &build_tc(&columns(cols), &[]))?;
        }
        let search = SearchQueue::load(&ndb);
        let mut w = PstWriter {
            ndb,
            record_key,
            ipm_subtree: 0,
            wastebasket: None,
            finder: None,
            names: NameMap::new(),
            folders: HashMap::new(),
            search,
        };
        w.folders
            .insert(NID_ROOT_FOLDER, FolderState::new(NID_ROOT_FOLDER, NID_ROOT_FOLDER, folder_props("")));
        w.ipm_subtree = w.create_folder(NID_ROOT_FOLDER, &folder_props(template::names::IPM_SUBTREE))?;
        let finder = w.create_folder(NID_ROOT_FOLDER, &folder_props(template::names::SEARCH_ROOT))?;
        let wastebasket = w.create_folder(w.ipm_subtree, &folder_props(template::names::DELETED_ITEMS))?;
        w.finder = Some(finder);
        w.wastebasket = Some(wastebasket);
        w.create_spam_search_folder()?;
        let store = PropBag::new()
            .with(PR_RECORD_KEY, PropValue::Binary(record_key.0.to_vec()))
            .with(PR_DISPLAY_NAME, PropValue::Unicode(display_name.to_string()))
            .with(PR_IPM_SUBTREE_ENTRYID, PropValue::Binary(entry_id(&record_key, w.ipm_subtree)))
            .with(PR_IPM_WASTEBASKET_ENTRYID, PropValue::Binary(entry_id(&record_key, wastebasket)))
            .with(PR_FINDER_ENTRYID, PropValue::Binary(entry_id(&record_key, finder)))
            .with(
                PR_VALID_FOLDER_MASK,
                PropValue::I32(valid_folder::IPM_SUBTREE | valid_folder::WASTEBASKET | valid_folder::FINDER),
            )
            .with(PR_PST_PASSWORD, PropValue::I32(0));
        w.ndb.put_node(NID_MESSAGE_STORE, 0, &build_pc(&store, Vec::new()))?;
        // libpff (pypff 20260926) refuses a file whose name-to-id map has an empty entry
        // stream ("missing name to id map entries data"); Outlook's new files map names from the
        // start. PidLidReminderSet ([MS-OXPROPS] 2.222), which every Outlook item class uses, is
        // the first name of a new file.
        w.names.id_of(&oxmapi_core::named::PropertyName::id(
            oxmapi_core::guid::PSETID_COMMON,
            PID_LID_REMINDER_SET,
        ))?;
        w.commit()?;
        Ok(w)
    }

    /// The spam search folder of a new store ([MS-PST] 2.7.3.4.4): its property context, its
    /// (empty) search update queue, its search criteria object, its search contents table, and
    /// its row in the root folder's hierarchy table.
    fn create_spam_search_folder(&mut self) -> Result<(), PstError> {
        let nid = NID_SPAM_SEARCH_FOLDER;
        let props = folder_props(template::names::SPAM_SEARCH_FOLDER)
            .with(PR_CONTENT_COUNT, PropValue::I32(0))
            .with(PR_CONTENT_UNREAD, PropValue::I32(0))
            .with(PR_SUBFOLDERS, PropValue::Bool(false));
        self.ndb.put_node(nid, NID_ROOT_FOLDER, &build_pc(&props, Vec::new()))?;
        self.ndb.put_node(with_type(nid, NID_TYPE_SEARCH_UPDATE_QUEUE), 0, &NodeContent::raw(&[]))?;
        let criteria = PropBag::new().with(PR_SEARCH_CRITERIA_FLAGS, PropValue::I32(0));
        self.ndb.put_node(
            with_type(nid, NID_TYPE_SEARCH_CRITERIA_OBJECT),
            0,
            &build_pc(&criteria, Vec::new()),
        )?;
        let table = build_tc(&columns(template::SEARCH_CONTENTS_COLUMNS), &[]);
        self.ndb.put_node(with_type(nid, NID_TYPE_SEARCH_CONTENTS_TABLE), 0, &table)?;
        let row = Row { id: nid, props: summary(&props, template::HIERARCHY_COLUMNS) };
        self.folder_mut(NID_ROOT_FOLDER)?.put_row(Table::Hierarchy, row);
        Ok(())
    }

    /// Opens an existing Unicode PST for writing (the NDB layer takes the file's lock).
    pub fn open(path: &Path) -> Result<PstWriter, PstError> {
        let ndb = NdbWriter::open(path)?;
        let (store, _) = read_pc(ndb.reader(), NID_MESSAGE_STORE)?;
        let record_key = match store.get(PR_RECORD_KEY) {
            Some(PropValue::Binary(b)) if b.len() == 16 => {
                let mut g = [0u8; 16];
                g.copy_from_slice(b);
                Guid(g)
            }
            _ => return Err(PstError::Corrupt("the message store has no PR_RECORD_KEY".into())),
        };
        let ipm_subtree = nid_of(store.get(PR_IPM_SUBTREE_ENTRYID))
            .ok_or_else(|| PstError::Corrupt("the message store has no PR_IPM_SUBTREE_ENTRYID".into()))?;
        let names = match read_pc(ndb.reader(), NID_NAME_TO_ID_MAP) {
            Ok((bag, _)) => NameMap::from_bag(&bag),
            Err(_) => NameMap::new(),
        };
        let search = SearchQueue::load(&ndb);
        Ok(PstWriter {
            wastebasket: nid_of(store.get(PR_IPM_WASTEBASKET_ENTRYID)),
            finder: nid_of(store.get(PR_FINDER_ENTRYID)),
            ndb,
            record_key,
            ipm_subtree,
            names,
            folders: HashMap::new(),
            search,
        })
    }

    /// The root folder (NID_ROOT_FOLDER).
    pub fn root_folder(&self) -> u32 {
        NID_ROOT_FOLDER
    }

    /// The IPM subtree ("Top of Personal Folders"), where user folders go.
    pub fn ipm_subtree(&self) -> u32 {
        self.ipm_subtree
    }

    /// Deleted Items (PR_IPM_WASTEBASKET_ENTRYID), if the store names one.
    pub fn deleted_items(&self) -> Option<u32> {
        self.wastebasket
    }

    /// The search root (PR_FINDER_ENTRYID), if the store names one.
    pub fn search_root(&self) -> Option<u32> {
        self.finder
    }

    /// The store's record key (the GUID in its entry IDs).
    pub fn record_key(&self) -> Guid {
        self.record_key
    }

    /// The entry ID of node `nid` of this store ([MS-PST] 2.4.3.2).
    pub fn entry_id(&self, nid: u32) -> Vec<u8> {
        entry_id(&self.record_key, nid)
    }

    /// The file's named property map (file id → name), including names added since the last
    /// commit.
    pub fn named_properties(&self) -> &std::collections::BTreeMap<u16, oxmapi_core::named::PropertyName> {
        self.names.entries()
    }

    /// The file id of named property `name`, added to the file's map (with the next commit)
    /// when it has none: what RopGetPropertyIdsFromNames with the Create flag answers.
    pub fn named_id(&mut self, name: &oxmapi_core::named::PropertyName) -> Result<u16, PstError> {
        self.names.id_of(name)
    }

    /// The NDB layer (for checks and the store executor's reads of what is pending).
    pub fn ndb(&self) -> &NdbWriter {
        &self.ndb
    }

    /// Folder `nid`, read from the file the first time it is used.
    fn folder_mut(&mut self, nid: u32) -> Result<&mut FolderState, PstError> {
        if nid & 0x1F != NID_TYPE_NORMAL_FOLDER as u32 {
            return Err(PstError::Corrupt(format!(
                "node {nid:#x} is not a folder (MAPI_E_INVALID_PARAMETER)"
            )));
        }
        if !self.folders.contains_key(&nid) {
            let f = FolderState::load(self.ndb.reader(), nid)?;
            self.folders.insert(nid, f);
        }
        Ok(self.folders.get_mut(&nid).expect("inserted above"))
    }

    /// A node id of type `ty` that no node (nor, for a folder, any of its tables) has yet.
    /// Outlook's header keeps in `rgnid[]` the last index it used (test_unicode.pst: rgnid[4] =
    /// 0x10002, and message 0x200044 exists), so an id from the header is checked, not trusted.
    fn fresh_nid(&mut self, ty: u8) -> u32 {
        loop {
            let nid = self.ndb.alloc_nid(ty);
            let ids = [nid, with_type(nid, 0x0D), with_type(nid, 0x0E), with_type(nid, 0x0F)];
            let taken = if ty == NID_TYPE_NORMAL_FOLDER {
                ids.iter().any(|n| self.ndb.node(*n).is_some() || self.folders.contains_key(n))
            } else {
                self.ndb.node(nid).is_some()
            };
            if !taken {
                return nid;
            }
        }
    }

    /// The sub-folders of folder `nid` (their node ids, in table order).
    pub fn subfolders(&mut self, nid: u32) -> Result<Vec<u32>, PstError> {
        Ok(self.folder_mut(nid)?.rows(Table::Hierarchy).iter().map(|r| r.id).collect())
    }

    /// The messages of folder `nid` (or its associated messages).
    pub fn messages(&mut self, nid: u32, associated: bool) -> Result<Vec<u32>, PstError> {
        let t = if associated { Table::Associated } else { Table::Contents };
        Ok(self.folder_mut(nid)?.rows(t).iter().map(|r| r.id).collect())
    }

    /// The properties of folder `nid` as they will be written.
    pub fn folder_props(&mut self, nid: u32) -> Result<PropBag, PstError> {
        Ok(self.folder_mut(nid)?.props.clone())
    }

    /// Creates a folder under `parent` with `props` (PR_DISPLAY_NAME, PR_CONTAINER_CLASS, …;
    /// the counts are the writer's). Returns its node id.
    pub fn create_folder(&mut self, parent: u32, props: &PropBag) -> Result<u32, PstError> {
        self.folder_mut(parent)?;
        let nid = self.fresh_nid(NID_TYPE_NORMAL_FOLDER);
        let mut props = props.clone();
        for t in COMPUTED_FOLDER_PROPS {
            props.remove(t);
        }
        let f = FolderState::new(nid, parent, props);
        let row = f.hierarchy_row();
        self.folders.insert(nid, f);
        self.folder_mut(parent)?.add_row(Table::Hierarchy, row);
        self.search.record(SUDT_FLD_ADD, &[parent], &[parent, nid]);
        Ok(nid)
    }

    /// Sets properties of folder `nid` (renaming it when `props` has PR_DISPLAY_NAME).
    pub fn set_folder_props(&mut self, nid: u32, props: &PropBag) -> Result<(), PstError> {
        let f = self.folder_mut(nid)?;
        for tv in props.iter() {
            if !COMPUTED_FOLDER_PROPS.iter().any(|t| t.id() == tv.tag.id()) {
                f.props.set(tv.tag, tv.value.clone());
            }
        }
        f.dirty_props = true;
        self.search.record(SUDT_FLD_MOD, &[nid], &[nid]);
        Ok(())
    }

    /// True when `nid` is `ancestor` or lies under it.
    fn is_within(&mut self, mut nid: u32, ancestor: u32) -> Result<bool, PstError> {
        for _ in 0..=crate::pst::folder::MAX_FOLDER_DEPTH * 2 {
            if nid == ancestor {
                return Ok(true);
            }
            let parent = self.folder_mut(nid)?.parent;
            if parent == nid {
                return Ok(false);
            }
            nid = parent;
        }
        Ok(false)
    }

    /// Refuses changes to the folders the store itself names.
    fn check_ordinary(&self, nid: u32, what: &str) -> Result<(), PstError> {
        let special = [Some(NID_ROOT_FOLDER), Some(self.ipm_subtree), self.wastebasket, self.finder];
        if special.contains(&Some(nid)) {
            return Err(PstError::Corrupt(format!(
                "folder {nid:#x} is one of the store's own folders and cannot be {what} (MAPI_E_NO_ACCESS)"
            )));
        }
        Ok(())
    }

    /// Moves folder `nid` (with everything under it) under `new_parent`.
    pub fn move_folder(&mut self, nid: u32, new_parent: u32) -> Result<(), PstError> {
        self.check_ordinary(nid, "moved")?;
        if self.is_within(new_parent, nid)? {
            return Err(PstError::Corrupt(format!(
                "folder {nid:#x} cannot move under itself ({new_parent:#x}) (MAPI_E_FOLDER_CYCLE)"
            )));
        }
        let old_parent = self.folder_mut(nid)?.parent;
        if old_parent == new_parent {
            return Ok(());
        }
        self.folder_mut(old_parent)?.remove_row(Table::Hierarchy, nid);
        let f = self.folder_mut(nid)?;
        f.parent = new_parent;
        f.dirty_props = true;
        let row = f.hierarchy_row();
        self.folder_mut(new_parent)?.put_row(Table::Hierarchy, row);
        self.search.record(SUDT_FLD_MOV, &[old_parent, new_parent], &[new_parent, nid]);
        Ok(())
    }

    /// Deletes folder `nid` with its messages and, recursively, its sub-folders.
    pub fn delete_folder(&mut self, nid: u32) -> Result<(), PstError> {
        self.check_ordinary(nid, "deleted")?;
        let parent = self.folder_mut(nid)?.parent;
        self.delete_tree(nid)?;
        self.folder_mut(parent)?.remove_row(Table::Hierarchy, nid);
        Ok(())
    }

    /// Deletes a folder's nodes, its messages' nodes and its sub-folders, depth first.
    fn delete_tree(&mut self, nid: u32) -> Result<(), PstError> {
        let (children, messages): (Vec<u32>, Vec<u32>) = {
            let f = self.folder_mut(nid)?;
            let messages =
                f.rows(Table::Contents).iter().chain(f.rows(Table::Associated)).map(|r| r.id).collect();
            (f.rows(Table::Hierarchy).iter().map(|r| r.id).collect(), messages)
        };
        for c in children {
            if c & 0x1F == NID_TYPE_NORMAL_FOLDER as u32 {
                self.delete_tree(c)?;
            }
        }
        for m in messages {
            if self.ndb.node(m).is_some() {
                self.ndb.delete_node(m)?;
            }
        }
        let f = self.folders.remove(&nid).expect("loaded above");
        for n in f.node_ids() {
            if self.ndb.node(n).is_some() {
                self.ndb.delete_node(n)?;
            }
        }
        self.search.record(SUDT_FLD_DEL, &[f.parent, nid], &[nid]);
        Ok(())
    }

    /// Writes a message into `folder` (its associated contents when `associated`): the message
    /// node with its recipients, attachments and embedded messages, named properties mapped
    /// into the file's map, and the folder's contents row. Returns the message's node id.
    pub fn add_message(&mut self, folder: u32, msg: &Message, associated: bool) -> Result<u32, PstError> {
        self.folder_mut(folder)?;
        let enc = encode_message(msg, &mut self.names)?;
        let ty = if associated { NID_TYPE_ASSOC_MESSAGE } else { NID_TYPE_NORMAL_MESSAGE };
        let nid = self.fresh_nid(ty);
        self.ndb.put_node(nid, folder, &enc.content)?;
        let t = if associated { Table::Associated } else { Table::Contents };
        let row = Row { id: nid, props: summary(&enc.props, t.columns()) };
        self.folder_mut(folder)?.add_row(t, row);
        self.search.record(SUDT_MSG_ADD, &[folder], &[folder, nid]);
        Ok(nid)
    }

    /// The folder a message is in, and whether it is an associated message.
    fn message_home(&self, nid: u32) -> Result<(u32, Table), PstError> {
        let t = match (nid & 0x1F) as u8 {
            NID_TYPE_NORMAL_MESSAGE => Table::Contents,
            NID_TYPE_ASSOC_MESSAGE => Table::Associated,
            _ => {
                return Err(PstError::Corrupt(format!(
                    "node {nid:#x} is not a message (MAPI_E_INVALID_PARAMETER)"
                )));
            }
        };
        let n = self.ndb.node(nid).ok_or_else(|| {
            PstError::Corrupt(format!("message {nid:#x} is not in the file (MAPI_E_NOT_FOUND)"))
        })?;
        Ok((n.parent, t))
    }

    /// Replaces message `nid` whole (same node id, same folder).
    pub fn replace_message(&mut self, nid: u32, msg: &Message) -> Result<(), PstError> {
        let (folder, t) = self.message_home(nid)?;
        self.folder_mut(folder)?;
        let enc = encode_message(msg, &mut self.names)?;
        self.ndb.put_node(nid, folder, &enc.content)?;
        self.folder_mut(folder)?.put_row(t, Row { id: nid, props: summary(&enc.props, t.columns()) });
        self.search.record(SUDT_MSG_MOD, &[folder], &[folder, nid]);
        Ok(())
    }

    /// Moves message `nid` into folder `to` (same node id, same kind: an associated message
    /// stays associated); its node is re-put under the new parent as it is stored.
    pub fn move_message(&mut self, nid: u32, to: u32) -> Result<(), PstError> {
        let (from, t) = self.message_home(nid)?;
        if from == to {
            return Ok(());
        }
        self.folder_mut(to)?;
        let content = self.stored_content(nid)?;
        self.ndb.put_node(nid, to, &content)?;
        let row = self.folder_mut(from)?.take_row(t, nid).unwrap_or(Row { id: nid, props: PropBag::new() });
        self.folder_mut(to)?.add_row(t, row);
        self.search.record(SUDT_MSG_MOV, &[from, to], &[to, nid, from]);
        Ok(())
    }

    /// Copies message `nid` into folder `to`; returns the copy's node id.
    pub fn copy_message(&mut self, nid: u32, to: u32) -> Result<u32, PstError> {
        let (from, t) = self.message_home(nid)?;
        self.folder_mut(to)?;
        let content = self.stored_content(nid)?;
        let row = self.folder_mut(from)?.rows(t).iter().find(|r| r.id == nid).cloned();
        let copy = self.fresh_nid((nid & 0x1F) as u8);
        self.ndb.put_node(copy, to, &content)?;
        let props = row.map(|r| r.props).unwrap_or_default();
        self.folder_mut(to)?.add_row(t, Row { id: copy, props });
        self.search.record(SUDT_MSG_ADD, &[to], &[to, copy]);
        Ok(copy)
    }

    /// A node as stored (its data blocks and its subnodes, recursively), to put elsewhere.
    fn stored_content(&self, nid: u32) -> Result<NodeContent, PstError> {
        let n = self.ndb.node(nid).ok_or_else(|| {
            PstError::Corrupt(format!("node {nid:#x} is not in the file (MAPI_E_NOT_FOUND)"))
        })?;
        content_of(self.ndb.reader(), n.data, n.sub, 0)
    }

    /// Deletes message `nid`.
    pub fn delete_message(&mut self, nid: u32) -> Result<(), PstError> {
        let (folder, t) = self.message_home(nid)?;
        self.ndb.delete_node(nid)?;
        self.folder_mut(folder)?.remove_row(t, nid);
        self.search.record(SUDT_MSG_DEL, &[folder], &[folder, nid]);
        Ok(())
    }

    /// Writes the folders that changed (recomputing their counts and their rows in their
    /// parents' hierarchy tables), the name-to-id map and the search queue, then commits the
    /// NDB layer ([MS-PST] 2.6).
    pub fn commit(&mut self) -> Result<(), PstError> {
        self.flush_folders()?;
        if self.names.is_dirty() {
            self.ndb.put_node(NID_NAME_TO_ID_MAP, 0, &build_pc(&self.names.to_bag(), Vec::new()))?;
            self.names.mark_clean();
        }
        self.search.flush(&mut self.ndb)?;
        self.ndb.commit()
    }

    /// Brings every changed folder's counts and parent row up to date and writes its nodes.
    fn flush_folders(&mut self) -> Result<(), PstError> {
        // A folder whose properties changed has a new row in its parent's hierarchy table, which
        // can change the parent's properties in turn: repeat until nothing moves (at most the
        // depth of the tree).
        for _ in 0..=crate::pst::folder::MAX_FOLDER_DEPTH * 2 {
            for f in self.folders.values_mut().filter(|f| f.is_dirty()) {
                f.refresh_counts();
            }
            let rows: Vec<(u32, Row)> = self
                .folders
                .values()
                .filter(|f| f.dirty_props && f.nid != NID_ROOT_FOLDER)
                .map(|f| (f.parent, f.hierarchy_row()))
                .collect();
            let mut changed = false;
            for (parent, row) in rows {
                changed |= self.folder_mut(parent)?.put_row(Table::Hierarchy, row);
            }
            if !changed {
                break;
            }
        }
        let mut writes = Vec::new();
        for f in self.folders.values_mut().filter(|f| f.is_dirty()) {
            writes.extend(f.take_changes());
        }
        for (nid, parent, content) in writes {
            self.ndb.put_node(nid, parent, &content)?;
        }
        Ok(())
    }
}
