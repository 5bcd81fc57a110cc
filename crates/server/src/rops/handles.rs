//! The server object handle table of one session context (MS-OXCROPS 1.3.2, 2.2.1): every object
//! a ROP opens gets a 32-bit server handle; requests name objects by an index into the handle
//! table the client sends with each ROP buffer.

use std::collections::HashMap;
use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_store::{MessageStore, User};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;

/// A logged-on store (the object RopLogon returns; MS-OXCSTOR 3.2.5.1).
pub struct LogonObject {
    /// `LogonId` the client chose.
    pub logon_id: u8,
    /// The store.
    pub store: Arc<MessageStore>,
    /// Private mailbox (true) or public folders (false).
    pub private: bool,
    /// Owner of the mailbox (the session's user for a home logon; `None` for public folders).
    pub owner: Option<User>,
    /// True when the session's user opened someone else's mailbox.
    pub delegate: bool,
}

/// An open folder (RopOpenFolder, RopCreateFolder; MS-OXCFOLD 3.2.5.1–3.2.5.2).
pub struct FolderObject {
    /// The logon it was opened through.
    pub logon: Arc<LogonObject>,
    /// The folder.
    pub fid: oxmapi_core::ids::ObjectId,
}

/// What a table object lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableSource {
    /// RopGetHierarchyTable on a folder (the whole subtree with Depth).
    Hierarchy {
        /// The folder.
        fid: oxmapi_core::ids::ObjectId,
        /// TableFlags Depth.
        depth: bool,
    },
}

/// An open table (MS-OXCTABL): its source, the engine holding columns, restriction, sort and
/// cursor, and whether PtypUnspecified string columns come back as Unicode.
pub struct TableObject {
    /// The logon.
    pub logon: Arc<LogonObject>,
    /// What it lists.
    pub source: TableSource,
    /// The engine.
    pub table: oxmapi_store::table::Table,
    /// TableFlags UseUnicode.
    pub unicode: bool,
    /// RopSetColumns was sent.
    pub columns_set: bool,
}

/// An object a handle refers to.
pub enum ServerObject {
    /// A logon (store) object.
    Logon(Arc<LogonObject>),
    /// A folder.
    Folder(FolderObject),
    /// A table.
    Table(Box<TableObject>),
}

impl ServerObject {
    /// The logon the object belongs to.
    pub fn logon(&self) -> &Arc<LogonObject> {
        match self {
            ServerObject::Logon(l) => l,
            ServerObject::Folder(f) => &f.logon,
            ServerObject::Table(t) => &t.logon,
        }
    }

    /// The logon id the object belongs to.
    pub fn logon_id(&self) -> u8 {
        self.logon().logon_id
    }
}

/// Handle → object map with handle allocation.
#[derive(Default)]
pub struct HandleTable {
    next: u32,
    objects: HashMap<u32, ServerObject>,
}

impl HandleTable {
    /// Stores an object and returns its new handle (never 0 or 0xFFFFFFFF).
    pub fn insert(&mut self, obj: ServerObject) -> u32 {
        loop {
            self.next = self.next.wrapping_add(1);
            let h = self.next;
            if h != 0 && h != UNUSED_HANDLE && !self.objects.contains_key(&h) {
                self.objects.insert(h, obj);
                return h;
            }
        }
    }

    /// The object behind a handle.
    pub fn get(&self, handle: u32) -> Option<&ServerObject> {
        self.objects.get(&handle)
    }

    /// The object behind a handle, mutably (tables move their cursor).
    pub fn get_mut(&mut self, handle: u32) -> Option<&mut ServerObject> {
        self.objects.get_mut(&handle)
    }

    /// Releases one handle; releasing a logon releases every object of that logon
    /// (MS-OXCROPS 2.2.15.3).
    pub fn release(&mut self, handle: u32) {
        if let Some(obj) = self.objects.remove(&handle)
            && let ServerObject::Logon(l) = obj
        {
            let id = l.logon_id;
            self.objects.retain(|_, o| o.logon_id() != id);
        }
    }

    /// Number of live objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when no object is open.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// The handle slots of one ROP buffer (the `ServerObjectHandleTable` the client sent, updated as
/// ROPs create objects).
pub struct Slots {
    /// The slot values.
    pub handles: Vec<u32>,
}

impl Slots {
    /// The server handle in slot `index`, or ecNullObject when the index is outside the table.
    pub fn handle(&self, index: u8) -> Result<u32, ErrorCode> {
        self.handles.get(index as usize).copied().ok_or(codes::EC_NULL_OBJECT)
    }

    /// Puts a new handle into slot `index` (ecNullObject when outside the table).
    pub fn set(&mut self, index: u8, handle: u32) -> Result<(), ErrorCode> {
        match self.handles.get_mut(index as usize) {
            Some(slot) => {
                *slot = handle;
                Ok(())
            }
            None => Err(codes::EC_NULL_OBJECT),
        }
    }
}
