//! The folder tree of a [`PstWriter`] ([MS-PST] 2.4.4): folders created, renamed, moved and
//! deleted, each change reflected in the parent's hierarchy table at commit. The store's own
//! folders (root, IPM subtree, Deleted Items, search root) are neither moved nor deleted, and
//! folders nest at most [`MAX_FOLDER_DEPTH`] levels (the depth the readers walk).
//!
//! Search folders ([MS-PST] 2.4.8.6) are written whole when created (a copy's: see
//! [`PstWriter::create_search_folder`]) and deleted with the folder they are in.

use std::collections::HashSet;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DISPLAY_NAME, PR_SUBFOLDERS};
use oxmapi_core::value::PropValue;

use super::folder::{FolderState, Table, summary, unread_count};
use super::message::table_columns;
use super::pc::build_pc;
use super::search::{SUDT_FLD_ADD, SUDT_FLD_DEL, SUDT_FLD_MOD, SUDT_FLD_MOV};
use super::store::COMPUTED_FOLDER_PROPS;
use super::tc::build_tc;
use super::template::{
    HIERARCHY_COLUMNS, NID_TYPE_NORMAL_FOLDER, NID_TYPE_SEARCH_CONTENTS_TABLE,
    NID_TYPE_SEARCH_CRITERIA_OBJECT, NID_TYPE_SEARCH_FOLDER, NID_TYPE_SEARCH_UPDATE_QUEUE,
    SEARCH_CONTENTS_COLUMNS, with_type,
};
use super::{NodeContent, PstWriter};
use crate::pst::folder::MAX_FOLDER_DEPTH;
use crate::pst::ltp::Row;
use crate::pst::{NID_ROOT_FOLDER, PstError};

/// A search folder to write ([MS-PST] 2.4.8.6), as a copy carries it from its source.
#[derive(Clone, Debug, Default)]
pub struct SearchFolder {
    /// Its property context (PR_DISPLAY_NAME, PR_CONTAINER_CLASS, …; the counts are the
    /// writer's, from `rows`).
    pub props: PropBag,
    /// Its search criteria object, as stored (the restriction, the folders searched, the
    /// search flags, and the values the restriction refers to).
    pub criteria: PropBag,
    /// Its contents table: one row per message found (row id = the message's node id,
    /// PidTagLtpParentNid = the folder holding it).
    pub rows: Vec<Row>,
    /// Whether its search is active (listed in the search activity list).
    pub active: bool,
}

/// The nodes of search folder `nid`: its property context, search update queue, search
/// criteria object and search contents table (they share its index).
pub(super) fn search_folder_node_ids(nid: u32) -> [u32; 4] {
    [
        nid,
        with_type(nid, NID_TYPE_SEARCH_UPDATE_QUEUE),
        with_type(nid, NID_TYPE_SEARCH_CRITERIA_OBJECT),
        with_type(nid, NID_TYPE_SEARCH_CONTENTS_TABLE),
    ]
}

impl PstWriter {
    /// Creates a folder under `parent` with `props` (PR_DISPLAY_NAME, PR_CONTAINER_CLASS, …;
    /// the counts are the writer's). Returns its node id.
    pub fn create_folder(&mut self, parent: u32, props: &PropBag) -> Result<u32, PstError> {
        Self::check_depth(self.depth_of(parent)? + 1)?;
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

    /// Creates search folder `folder` under `parent` ([MS-PST] 2.4.8.6): its property context,
    /// an empty search update queue, its search criteria object, its contents table and its
    /// row in the parent's hierarchy table; SUDT_SRCH_ADD is queued and the search activity
    /// list names it when `folder.active` ([MS-PST] 2.4.8.1 rule 2, 2.4.8.4.2). Returns its
    /// node id.
    pub fn create_search_folder(&mut self, parent: u32, folder: &SearchFolder) -> Result<u32, PstError> {
        Self::check_depth(self.depth_of(parent)? + 1)?;
        let nid = self.fresh_nid(NID_TYPE_SEARCH_FOLDER);
        self.write_search_folder(nid, parent, folder)?;
        self.search.search_added(nid, folder.active);
        Ok(nid)
    }

    /// Writes the nodes of search folder `nid` and its row in `parent`'s hierarchy table.
    pub(super) fn write_search_folder(
        &mut self,
        nid: u32,
        parent: u32,
        folder: &SearchFolder,
    ) -> Result<(), PstError> {
        self.folder_mut(parent)?;
        let mut props = folder.props.clone();
        for t in COMPUTED_FOLDER_PROPS {
            props.remove(t);
        }
        if props.get(PR_DISPLAY_NAME).is_none() {
            props.set(PR_DISPLAY_NAME, PropValue::Unicode(String::new()));
        }
        props.set(PR_CONTENT_COUNT, PropValue::I32(folder.rows.len() as i32));
        props.set(PR_CONTENT_UNREAD, PropValue::I32(unread_count(&folder.rows) as i32));
        props.set(PR_SUBFOLDERS, PropValue::Bool(false));
        let [pc, queue, criteria, contents] = search_folder_node_ids(nid);
        self.ndb.put_node(pc, parent, &build_pc(&props, Vec::new()))?;
        self.ndb.put_node(queue, 0, &NodeContent::raw(&[]))?;
        self.ndb.put_node(criteria, 0, &build_pc(&folder.criteria, Vec::new()))?;
        let columns = table_columns(SEARCH_CONTENTS_COLUMNS, &folder.rows);
        self.ndb.put_node(contents, 0, &build_tc(&columns, &folder.rows))?;
        let row = Row { id: nid, props: summary(&props, HIERARCHY_COLUMNS) };
        self.folder_mut(parent)?.put_row(Table::Hierarchy, row);
        Ok(())
    }

    /// Adds folders to the search domain object ([MS-PST] 2.4.8.4.3: the folders some search
    /// folder's criteria look into); changes to them queue search updates from now on.
    pub fn extend_search_domain(&mut self, folders: &[u32]) {
        self.search.extend_domain(folders);
    }

    /// The search folders in folder `nid`, as (node id, display name).
    pub fn search_folders_in(&mut self, nid: u32) -> Result<Vec<(u32, String)>, PstError> {
        let rows = self.folder_mut(nid)?.rows(Table::Hierarchy);
        Ok(rows
            .iter()
            .filter(|r| r.id & 0x1F == NID_TYPE_SEARCH_FOLDER as u32)
            .map(|r| {
                let name = match r.props.get(PR_DISPLAY_NAME) {
                    Some(PropValue::Unicode(s)) => s.clone(),
                    _ => String::new(),
                };
                (r.id, name)
            })
            .collect())
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
        for _ in 0..=MAX_FOLDER_DEPTH * 2 {
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
        Self::check_depth(self.depth_of(new_parent)? + 1 + self.subtree_height(nid)?)?;
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

    /// Deletes a folder's nodes, its messages' nodes and its sub-folders. The subtree is
    /// collected first, each folder once and at most [`MAX_FOLDER_DEPTH`] deep: a file's
    /// hierarchy rows could name a folder twice or loop back.
    fn delete_tree(&mut self, top: u32) -> Result<(), PstError> {
        let mut order = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(top, 0usize)];
        while let Some((nid, depth)) = stack.pop() {
            if depth > MAX_FOLDER_DEPTH {
                return Err(PstError::Corrupt(format!(
                    "folder {top:#x} has sub-folders deeper than {MAX_FOLDER_DEPTH} levels: nothing deleted"
                )));
            }
            if !seen.insert(nid) {
                continue;
            }
            let f = self.folder_mut(nid)?;
            let children = f.rows(Table::Hierarchy).iter().map(|r| r.id);
            stack.extend(
                children.filter(|c| c & 0x1F == NID_TYPE_NORMAL_FOLDER as u32).map(|c| (c, depth + 1)),
            );
            order.push(nid);
        }
        for nid in order.into_iter().rev() {
            let f = self.folders.remove(&nid).expect("loaded above");
            let messages = f.rows(Table::Contents).iter().chain(f.rows(Table::Associated)).map(|r| r.id);
            let searches: Vec<u32> = f
                .rows(Table::Hierarchy)
                .iter()
                .map(|r| r.id)
                .filter(|c| c & 0x1F == NID_TYPE_SEARCH_FOLDER as u32)
                .collect();
            for s in &searches {
                self.search.search_removed(*s);
            }
            let search_nodes = searches.into_iter().flat_map(search_folder_node_ids);
            for n in messages.chain(f.node_ids()).chain(search_nodes) {
                if self.ndb.node(n).is_some() {
                    self.ndb.delete_node(n)?;
                }
            }
            self.search.record(SUDT_FLD_DEL, &[f.parent, nid], &[nid]);
        }
        Ok(())
    }

    /// How many folders lie above `nid` (0 for the root folder).
    fn depth_of(&mut self, mut nid: u32) -> Result<usize, PstError> {
        for depth in 0..=MAX_FOLDER_DEPTH + 1 {
            let parent = self.folder_mut(nid)?.parent;
            if parent == nid {
                return Ok(depth);
            }
            nid = parent;
        }
        Ok(MAX_FOLDER_DEPTH + 1)
    }

    /// How many levels of sub-folders lie under `nid` (0 for a folder without any), bounded.
    fn subtree_height(&mut self, nid: u32) -> Result<usize, PstError> {
        let mut height = 0;
        let mut level = vec![nid];
        let mut seen = HashSet::new();
        while height <= MAX_FOLDER_DEPTH {
            let mut next = Vec::new();
            for n in level {
                if seen.insert(n) {
                    let rows = self.folder_mut(n)?.rows(Table::Hierarchy);
                    next.extend(
                        rows.iter().map(|r| r.id).filter(|c| c & 0x1F == NID_TYPE_NORMAL_FOLDER as u32),
                    );
                }
            }
            if next.is_empty() {
                return Ok(height);
            }
            height += 1;
            level = next;
        }
        Ok(height)
    }

    /// Refuses a folder at `depth` below the root that readers would not walk to.
    fn check_depth(depth: usize) -> Result<(), PstError> {
        if depth > MAX_FOLDER_DEPTH {
            return Err(PstError::Corrupt(format!(
                "a folder {depth} levels deep: PST folders nest at most {MAX_FOLDER_DEPTH} levels (MAPI_E_TOO_COMPLEX)"
            )));
        }
        Ok(())
    }
}
