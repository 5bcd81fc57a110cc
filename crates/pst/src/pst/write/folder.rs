//! A folder as the writer holds it between commits ([MS-PST] 2.4.4): its property context and
//! its hierarchy (NID_TYPE_HIERARCHY_TABLE), contents (NID_TYPE_CONTENTS_TABLE) and associated
//! contents (NID_TYPE_ASSOC_CONTENTS_TABLE) tables as rows, each marked when it changed.
//!
//! A table that changed is rebuilt whole at commit from its rows (the table builder makes a
//! new table context), which costs O(rows of that folder) per commit and folder; the counts the
//! folder carries (PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_ASSOC_CONTENT_COUNT)
//! are recomputed from the rows, and copied into the folder's row of its parent's hierarchy
//! table ([MS-PST] 2.4.4.3 Data Duplication and Coherency Maintenance).

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DISPLAY_NAME, PR_MESSAGE_FLAGS,
    PR_SUBFOLDERS,
};
use oxmapi_core::consts::message_flags::MSGFLAG_READ;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::NodeContent;
use super::pc::build_pc;
use super::tc::{TcCache, build_tc_cached};
use super::template::{
    ASSOC_CONTENTS_COLUMNS, CONTENTS_COLUMNS, HIERARCHY_COLUMNS, LTP_ROW_ID, LTP_ROW_VER,
    NID_TYPE_ASSOC_CONTENTS_TABLE, NID_TYPE_CONTENTS_TABLE, NID_TYPE_HIERARCHY_TABLE, columns, with_type,
};
use crate::pst::PstError;
use crate::pst::heap::Heap;
use crate::pst::ltp::{Row, property_context, table_context};
use crate::pst::ndb::Ndb;

/// Which of a folder's tables a row belongs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Sub-folders.
    Hierarchy,
    /// Messages.
    Contents,
    /// Folder associated information (FAI) messages.
    Associated,
}

impl Table {
    /// The table's node type.
    fn nid_type(self) -> u8 {
        match self {
            Table::Hierarchy => NID_TYPE_HIERARCHY_TABLE,
            Table::Contents => NID_TYPE_CONTENTS_TABLE,
            Table::Associated => NID_TYPE_ASSOC_CONTENTS_TABLE,
        }
    }

    /// The table's columns.
    pub fn columns(self) -> &'static [u32] {
        match self {
            Table::Hierarchy => HIERARCHY_COLUMNS,
            Table::Contents => CONTENTS_COLUMNS,
            Table::Associated => ASSOC_CONTENTS_COLUMNS,
        }
    }

    const ALL: [Table; 3] = [Table::Hierarchy, Table::Contents, Table::Associated];

    fn index(self) -> usize {
        self as usize
    }
}

/// A folder being written.
#[derive(Debug)]
pub struct FolderState {
    /// Its node id.
    pub nid: u32,
    /// Its parent folder (itself for the root folder).
    pub parent: u32,
    /// Its property context.
    pub props: PropBag,
    /// Its tables' rows, in [`Table`] order.
    tables: [Vec<Row>; 3],
    /// Each table's columns: the template's, plus those a table read from the file had cells
    /// in (a table Outlook wrote may carry more columns than the template: they are kept).
    columns: [Vec<PropTag>; 3],
    /// Which tables changed since the last write.
    dirty_tables: [bool; 3],
    /// Each table's rows as last encoded (a table is built again at every commit that
    /// changes it; only its changed rows are encoded again).
    encoded: [TcCache; 3],
    /// Whether the property context (or the parent) changed since the last write.
    pub dirty_props: bool,
}

impl FolderState {
    /// A new, empty folder: everything is to be written.
    pub fn new(nid: u32, parent: u32, mut props: PropBag) -> FolderState {
        if props.get(PR_DISPLAY_NAME).is_none() {
            props.set(PR_DISPLAY_NAME, PropValue::Unicode(String::new()));
        }
        let mut f = FolderState {
            nid,
            parent,
            props,
            tables: Default::default(),
            columns: Table::ALL.map(|t| columns(t.columns())),
            dirty_tables: [true; 3],
            encoded: Default::default(),
            dirty_props: true,
        };
        f.refresh_counts();
        f
    }

    /// Folder `nid` as the file (committed and pending writes) holds it. A table node that is
    /// missing is an empty table.
    pub fn load(ndb: &Ndb, nid: u32) -> Result<FolderState, PstError> {
        let entry = ndb.node(nid).ok_or_else(|| {
            PstError::Corrupt(format!("folder {nid:#x} is not in the file (MAPI_E_NOT_FOUND)"))
        })?;
        let heap = Heap::open(ndb, entry.data, entry.sub)?;
        let (props, _) = property_context(&heap)?;
        let mut tables: [Vec<Row>; 3] = Default::default();
        for t in Table::ALL {
            let Some(n) = ndb.node(with_type(nid, t.nid_type())) else { continue };
            let heap = Heap::open(ndb, n.data, n.sub)?;
            let (mut rows, _) = table_context(&heap)?;
            for r in &mut rows {
                strip_row_bookkeeping(&mut r.props);
            }
            tables[t.index()] = rows;
        }
        let columns = Table::ALL.map(|t| {
            let mut cols = columns(t.columns());
            for r in &tables[t.index()] {
                for tv in r.props.iter() {
                    if !cols.iter().any(|c| c.id() == tv.tag.id()) {
                        cols.push(tv.tag);
                    }
                }
            }
            cols
        });
        Ok(FolderState {
            nid,
            parent: entry.parent,
            props,
            tables,
            columns,
            dirty_tables: [false; 3],
            encoded: Default::default(),
            dirty_props: false,
        })
    }

    /// The rows of one table.
    pub fn rows(&self, t: Table) -> &[Row] {
        &self.tables[t.index()]
    }

    /// Adds a row, or replaces the row with the same id; false when the table already had
    /// exactly that row.
    pub fn put_row(&mut self, t: Table, row: Row) -> bool {
        let rows = &mut self.tables[t.index()];
        let id = row.id;
        match rows.iter_mut().find(|r| r.id == id) {
            Some(r) if *r == row => return false,
            Some(r) => *r = row,
            None => rows.push(row),
        }
        self.encoded[t.index()].forget(id);
        self.dirty_tables[t.index()] = true;
        true
    }

    /// Appends the row of a new object (its id is in no row yet: no search).
    pub fn add_row(&mut self, t: Table, row: Row) {
        self.encoded[t.index()].forget(row.id);
        self.tables[t.index()].push(row);
        self.dirty_tables[t.index()] = true;
    }

    /// Removes the row with id `id` and returns it.
    pub fn take_row(&mut self, t: Table, id: u32) -> Option<Row> {
        let rows = &mut self.tables[t.index()];
        let at = rows.iter().position(|r| r.id == id)?;
        self.dirty_tables[t.index()] = true;
        self.encoded[t.index()].forget(id);
        Some(rows.remove(at))
    }

    /// Removes the row with id `id`; false when there is none.
    pub fn remove_row(&mut self, t: Table, id: u32) -> bool {
        let rows = &mut self.tables[t.index()];
        let Some(at) = rows.iter().position(|r| r.id == id) else { return false };
        rows.remove(at);
        self.encoded[t.index()].forget(id);
        self.dirty_tables[t.index()] = true;
        true
    }

    /// True when anything is to be written.
    pub fn is_dirty(&self) -> bool {
        self.dirty_props || self.dirty_tables.iter().any(|d| *d)
    }

    /// Recomputes the counts from the rows; marks the property context when they changed.
    pub fn refresh_counts(&mut self) {
        let contents = self.rows(Table::Contents);
        let unread = unread_count(contents);
        let counts = [
            (PR_CONTENT_COUNT, Some(PropValue::I32(contents.len() as i32))),
            (PR_CONTENT_UNREAD, Some(PropValue::I32(unread as i32))),
            (PR_SUBFOLDERS, Some(PropValue::Bool(!self.rows(Table::Hierarchy).is_empty()))),
            (
                PR_ASSOC_CONTENT_COUNT,
                match self.rows(Table::Associated).len() {
                    0 => None,
                    n => Some(PropValue::I32(n as i32)),
                },
            ),
        ];
        for (tag, value) in counts {
            if self.props.get(tag) == value.as_ref() {
                continue;
            }
            match value {
                Some(v) => self.props.set(tag, v),
                None => {
                    self.props.remove(tag);
                }
            }
            self.dirty_props = true;
        }
    }

    /// The folder's row in its parent's hierarchy table.
    pub fn hierarchy_row(&self) -> Row {
        Row { id: self.nid, props: summary(&self.props, HIERARCHY_COLUMNS) }
    }

    /// The nodes that changed, as (node id, parent id, content), and marks them written.
    pub fn take_changes(&mut self) -> Vec<(u32, u32, NodeContent)> {
        let mut out = Vec::new();
        if self.dirty_props {
            out.push((self.nid, self.parent, build_pc(&self.props, Vec::new())));
            self.dirty_props = false;
        }
        for t in Table::ALL {
            if std::mem::take(&mut self.dirty_tables[t.index()]) {
                let i = t.index();
                let content = build_tc_cached(&self.columns[i], &self.tables[i], &mut self.encoded[i]);
                out.push((with_type(self.nid, t.nid_type()), 0, content));
            }
        }
        out
    }

    /// The node ids of the folder's own nodes (property context and the three tables).
    pub fn node_ids(&self) -> [u32; 4] {
        [
            self.nid,
            with_type(self.nid, NID_TYPE_HIERARCHY_TABLE),
            with_type(self.nid, NID_TYPE_CONTENTS_TABLE),
            with_type(self.nid, NID_TYPE_ASSOC_CONTENTS_TABLE),
        ]
    }
}

/// How many of a contents table's rows are unread (no MSGFLAG_READ in PR_MESSAGE_FLAGS):
/// PR_CONTENT_UNREAD.
pub fn unread_count(rows: &[Row]) -> usize {
    rows.iter()
        .filter(|r| !matches!(r.props.get(PR_MESSAGE_FLAGS), Some(PropValue::I32(f)) if *f as u32 & MSGFLAG_READ != 0))
        .count()
}

/// The values of `props` a table with `cols` has a column for.
pub fn summary(props: &PropBag, cols: &[u32]) -> PropBag {
    cols.iter()
        .filter_map(|t| {
            let tag = PropTag(*t);
            match props.get(tag) {
                Some(v) if TaggedValue::new(tag, v.clone()).tag == tag => {
                    Some(TaggedValue::new(tag, v.clone()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Removes the table bookkeeping columns (row id and version) a row read back carries.
pub fn strip_row_bookkeeping(props: &mut PropBag) {
    props.remove(PropTag((LTP_ROW_ID as u32) << 16 | 0x0003));
    props.remove(PropTag((LTP_ROW_VER as u32) << 16 | 0x0003));
}
