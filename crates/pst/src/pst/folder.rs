//! Folders ([MS-PST] 2.4.4): a folder's property context, and its hierarchy (NID type 0x0D),
//! contents (0x0E) and associated contents (0x0F) tables, walked from the root folder.
//! Search folders (NID type 0x03) have no contents of their own and are skipped with a note.

use std::collections::HashSet;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::ltp::Row;
use super::{NID_ROOT_FOLDER, PstError, PstFile, read_pc, read_tc};
use crate::codepage;

/// The deepest folder tree walked.
pub const MAX_FOLDER_DEPTH: usize = 64;

/// NID_TYPE_NORMAL_FOLDER.
const NID_TYPE_NORMAL_FOLDER: u32 = 0x02;
/// NID_TYPE_SEARCH_FOLDER.
const NID_TYPE_SEARCH_FOLDER: u32 = 0x03;
/// NID_TYPE_HIERARCHY_TABLE.
const NID_TYPE_HIERARCHY_TABLE: u32 = 0x0D;
/// NID_TYPE_CONTENTS_TABLE.
const NID_TYPE_CONTENTS_TABLE: u32 = 0x0E;
/// NID_TYPE_ASSOC_CONTENTS_TABLE.
const NID_TYPE_ASSOC_CONTENTS_TABLE: u32 = 0x0F;
/// NID_TYPE_SEARCH_CRITERIA_OBJECT: a search folder's criteria, a property context.
const NID_TYPE_SEARCH_CRITERIA_OBJECT: u32 = 0x07;
/// NID_TYPE_SEARCH_CONTENTS_TABLE: a search folder's contents table.
const NID_TYPE_SEARCH_CONTENTS_TABLE: u32 = 0x10;

use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_CONTAINER_CLASS, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DISPLAY_NAME,
};

/// One folder of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct FolderInfo {
    /// Its node id.
    pub nid: u32,
    /// The parent folder's node id (the root's own id for the root).
    pub parent: u32,
    /// PR_DISPLAY_NAME.
    pub name: String,
    /// The names from the root's child down to this folder ("" for the root).
    pub path: Vec<String>,
    /// PR_CONTAINER_CLASS ("IPF.Note", "IPF.Contact", …).
    pub container_class: Option<String>,
    /// Rows of its contents table.
    pub items: usize,
    /// Rows of its associated contents table.
    pub associated: usize,
    /// PR_CONTENT_COUNT as the folder records it.
    pub content_count: Option<i32>,
    /// PR_CONTENT_UNREAD.
    pub unread: Option<i32>,
    /// PR_ASSOC_CONTENT_COUNT.
    pub associated_count: Option<i32>,
    /// Node ids of its sub-folders.
    pub children: Vec<u32>,
}

/// Something the walk left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The node id.
    pub nid: u32,
    /// Why (a damaged structure, a search folder, …).
    pub why: String,
    /// False for what is left out by design (a search folder), true for damage.
    pub damaged: bool,
}

impl Skipped {
    /// Something damaged.
    pub fn damage(nid: u32, why: impl Into<String>) -> Skipped {
        Skipped { nid, why: why.into(), damaged: true }
    }
}

/// The value of a string property whichever of the two string types holds it.
pub(crate) fn text(bag: &PropBag, id: u16, cp: u32) -> Option<String> {
    match bag.get(PropTag(((id as u32) << 16) | 0x1f)) {
        Some(PropValue::Unicode(s)) => Some(s.clone()),
        Some(PropValue::String8(b)) => Some(codepage::decode(b, cp)),
        _ => None,
    }
}

fn int(bag: &PropBag, tag: PropTag) -> Option<i32> {
    match bag.get(tag) {
        Some(PropValue::I32(v)) => Some(*v),
        _ => None,
    }
}

/// The id of a folder's table node of `ty`.
fn table_nid(folder: u32, ty: u32) -> u32 {
    (folder & !0x1f) | ty
}

impl PstFile {
    /// The properties of folder `nid`.
    pub fn folder_props(&self, nid: u32) -> Result<PropBag, PstError> {
        Ok(read_pc(&self.ndb, nid)?.0)
    }

    /// The hierarchy table of folder `nid` (one row per sub-folder; row id = its node id).
    pub fn hierarchy(&self, nid: u32) -> Result<Vec<Row>, PstError> {
        self.table(nid, NID_TYPE_HIERARCHY_TABLE)
    }

    /// The contents table of folder `nid` (row id = the message's node id).
    pub fn contents(&self, nid: u32) -> Result<Vec<Row>, PstError> {
        self.table(nid, NID_TYPE_CONTENTS_TABLE)
    }

    /// The associated contents table of folder `nid` (FAI messages).
    pub fn associated(&self, nid: u32) -> Result<Vec<Row>, PstError> {
        self.table(nid, NID_TYPE_ASSOC_CONTENTS_TABLE)
    }

    /// The search criteria object of search folder `nid` ([MS-PST] 2.4.8.6: a property
    /// context next to the folder's, with the criteria as Outlook stores them).
    pub fn search_criteria(&self, nid: u32) -> Result<PropBag, PstError> {
        Ok(read_pc(&self.ndb, table_nid(nid, NID_TYPE_SEARCH_CRITERIA_OBJECT))?.0)
    }

    /// The contents table of search folder `nid` (row id = a message's node id; its
    /// PidTagLtpParentNid column names the folder the message is in).
    pub fn search_contents(&self, nid: u32) -> Result<Vec<Row>, PstError> {
        self.table(nid, NID_TYPE_SEARCH_CONTENTS_TABLE)
    }

    /// The data of a node that is neither a property nor a table context (the search
    /// activity list and search domain object of [MS-PST] 2.4.8.4: arrays of NIDs); `None`
    /// when the file has no such node or it cannot be read.
    pub fn raw_node(&self, nid: u32) -> Option<Vec<u8>> {
        self.ndb.node(nid).and_then(|n| self.ndb.data(n.data).ok())
    }

    /// A table of a folder; a folder without that table node has an empty one.
    fn table(&self, nid: u32, ty: u32) -> Result<Vec<Row>, PstError> {
        let t = table_nid(nid, ty);
        if self.ndb.node(t).is_none() {
            return Ok(Vec::new());
        }
        Ok(read_tc(&self.ndb, t)?.0)
    }

    /// Folder `nid` with its counts and sub-folders.
    pub fn folder(&self, nid: u32, parent: u32, path: Vec<String>) -> Result<FolderInfo, PstError> {
        let props = self.folder_props(nid)?;
        let children = self.hierarchy(nid)?.into_iter().map(|r| r.id).collect();
        Ok(FolderInfo {
            nid,
            parent,
            name: text(&props, PR_DISPLAY_NAME.id(), self.codepage).unwrap_or_default(),
            path,
            container_class: text(&props, PR_CONTAINER_CLASS.id(), self.codepage),
            items: self.contents(nid)?.len(),
            associated: self.associated(nid)?.len(),
            content_count: int(&props, PR_CONTENT_COUNT),
            unread: int(&props, PR_CONTENT_UNREAD),
            associated_count: int(&props, PR_ASSOC_CONTENT_COUNT),
            children,
        })
    }

    /// Every folder from the root down (the root first, then depth first), and what was left
    /// out: unreadable folders (node id + why, `damaged`) and search folders (not damaged).
    pub fn folders(&self) -> (Vec<FolderInfo>, Vec<Skipped>) {
        let mut out = Vec::new();
        let mut skipped = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(NID_ROOT_FOLDER, NID_ROOT_FOLDER, Vec::new())];
        while let Some((nid, parent, path)) = stack.pop() {
            if !seen.insert(nid) {
                skipped.push(Skipped::damage(nid, "folder appears twice in the tree"));
                continue;
            }
            match nid & 0x1f {
                NID_TYPE_NORMAL_FOLDER => {}
                NID_TYPE_SEARCH_FOLDER => {
                    skipped.push(Skipped {
                        nid,
                        why: "search folder (its contents are other folders' messages)".into(),
                        damaged: false,
                    });
                    continue;
                }
                t => {
                    skipped.push(Skipped::damage(nid, format!("hierarchy row of node type {t:#x}")));
                    continue;
                }
            }
            if path.len() > MAX_FOLDER_DEPTH {
                skipped.push(Skipped::damage(nid, format!("deeper than {MAX_FOLDER_DEPTH} folders")));
                continue;
            }
            match self.folder(nid, parent, path.clone()) {
                Ok(f) => {
                    for c in f.children.iter().rev() {
                        let mut p = path.clone();
                        p.push(f.name.clone());
                        if nid == NID_ROOT_FOLDER {
                            p.clear();
                        }
                        stack.push((*c, nid, p));
                    }
                    out.push(f);
                }
                Err(e) => skipped.push(Skipped::damage(nid, e.to_string())),
            }
        }
        // Sub-folders' paths end with their own names.
        for f in &mut out {
            if f.nid != NID_ROOT_FOLDER {
                f.path.push(f.name.clone());
            }
        }
        (out, skipped)
    }
}
