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
use super::names::NameMap;
use super::pc::build_pc;
use super::search::SearchQueue;
use super::tc::build_tc;
use super::template::{
    self, NID_ASSOC_CONTENTS_TABLE_TEMPLATE, NID_ATTACHMENT_TABLE, NID_CONTENTS_TABLE_TEMPLATE,
    NID_HIERARCHY_TABLE_TEMPLATE, NID_RECIPIENT_TABLE, NID_SEARCH_ACTIVITY_LIST,
    NID_SEARCH_CONTENTS_TABLE_TEMPLATE, NID_SEARCH_DOMAIN_OBJECT, NID_SEARCH_MANAGEMENT_QUEUE,
    NID_SPAM_SEARCH_FOLDER, NID_TYPE_NORMAL_FOLDER, NID_TYPE_SEARCH_CONTENTS_TABLE,
    NID_TYPE_SEARCH_CRITERIA_OBJECT, NID_TYPE_SEARCH_UPDATE_QUEUE, columns, valid_folder, with_type,
};
use crate::pst::crypt::CryptMethod;
use crate::pst::folder::MAX_FOLDER_DEPTH;
use crate::pst::ltp::Row;
use crate::pst::{NID_MESSAGE_STORE, NID_NAME_TO_ID_MAP, NID_ROOT_FOLDER, PstError, read_pc};

/// PidTagPstPassword: 0, no password ([MS-PST] 2.4.3.3).
const PR_PST_PASSWORD: PropTag = PropTag(0x67FF_0003);
/// The search criteria object's one property Outlook writes for the spam search folder.
const PR_SEARCH_CRITERIA_FLAGS: PropTag = PropTag(0x660B_0003);
/// Folder properties the writer computes from the folder's tables; a caller's values are ignored.
pub(super) const COMPUTED_FOLDER_PROPS: [PropTag; 4] =
    [PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_ASSOC_CONTENT_COUNT];

/// A PST open for writing.
pub struct PstWriter {
    pub(super) ndb: NdbWriter,
    pub(super) record_key: Guid,
    pub(super) ipm_subtree: u32,
    pub(super) wastebasket: Option<u32>,
    pub(super) finder: Option<u32>,
    pub(super) names: NameMap,
    pub(super) folders: HashMap<u32, FolderState>,
    pub(super) search: SearchQueue,
}

/// A PST entry ID ([MS-PST] 2.4.3.2): four zero flag bytes, the store's record key, the NID.
pub fn entry_id(record_key: &Guid, nid: u32) -> Vec<u8> {
    let mut e = vec![0u8; 4];
    e.extend_from_slice(&record_key.0);
    e.extend_from_slice(&nid.to_le_bytes());
    e
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
            names: NameMap::for_new_store(),
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
            Err(_) => NameMap::for_new_store(),
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

    /// From now on, records what each commit changes in the B-trees ([`PstWriter::take_delta`]).
    pub fn record_changes(&mut self) {
        self.ndb.record_changes();
    }

    /// What the commits since the last call changed in the B-trees, for readers of the file in
    /// this process to follow ([`crate::pst::PstFile::apply`]); `None` unless
    /// [`PstWriter::record_changes`] was called.
    pub fn take_delta(&mut self) -> Option<crate::pst::ndb::NdbDelta> {
        self.ndb.take_delta()
    }

    /// The NDB layer (for checks and the store executor's reads of what is pending).
    pub fn ndb(&self) -> &NdbWriter {
        &self.ndb
    }

    /// Folder `nid`, read from the file the first time it is used.
    pub(super) fn folder_mut(&mut self, nid: u32) -> Result<&mut FolderState, PstError> {
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
    pub(super) fn fresh_nid(&mut self, ty: u8) -> u32 {
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
        for _ in 0..=MAX_FOLDER_DEPTH * 2 {
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
        // In node order, so the same changes give the same file whatever the map's order.
        writes.sort_by_key(|(nid, _, _)| *nid);
        for (nid, parent, content) in writes {
            self.ndb.put_node(nid, parent, &content)?;
        }
        Ok(())
    }
}
