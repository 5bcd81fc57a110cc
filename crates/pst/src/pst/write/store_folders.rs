//! The folder tree of a [`PstWriter`] ([MS-PST] 2.4.4): folders created, renamed, moved and
//! deleted, each change reflected in the parent's hierarchy table at commit. The store's own
//! folders (root, IPM subtree, Deleted Items, search root) are neither moved nor deleted, and
//! folders nest at most [`MAX_FOLDER_DEPTH`] levels (the depth the readers walk).

use std::collections::HashSet;

use oxmapi_core::bag::PropBag;

use super::PstWriter;
use super::folder::{FolderState, Table};
use super::search::{SUDT_FLD_ADD, SUDT_FLD_DEL, SUDT_FLD_MOD, SUDT_FLD_MOV};
use super::store::COMPUTED_FOLDER_PROPS;
use super::template::NID_TYPE_NORMAL_FOLDER;
use crate::pst::folder::MAX_FOLDER_DEPTH;
use crate::pst::{NID_ROOT_FOLDER, PstError};

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
            for n in messages.chain(f.node_ids()) {
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
