//! The Personal Folders store provider (MSUPST / MSPST): a PST or OST file opened as a
//! message store of the session, with no server and no network. The client's store objects
//! build the same ROPs for every store; for a PST store the batch runs here, against the file
//! ([`rops`]), instead of going to a server over MAPI/HTTP. A Unicode file is read-write: the
//! ROPs that change it ([`write`]) go through the PST writer, which holds the file exclusively
//! (flock) from the first change until the store is closed. An ANSI file is read-only: it
//! reports STORE_READONLY and answers changes with MAPI_E_NO_ACCESS.

pub mod ids;
mod objects;
mod rops;
mod shared;
mod table;
mod values;
mod write;

use std::collections::HashMap;
use std::sync::Arc;

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_FINDER_ENTRYID, PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_RECORD_KEY,
};
use oxmapi_core::codec::{Reader, Writer};
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;
use oxmapi_core::{ErrorCode, MapiError, PropTag};
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::{Format, NID_ROOT_FOLDER, PstError, PstFile};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::ResponseContext;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::LogonInfo;
use super::batch::{Batch, BatchResult};
use crate::profile::MapiResult;
use ids::{PST_REPLICA_ID, object_id};
use objects::{Obj, StoreFacts};

/// The handle of the store object in a PST store's handle table.
pub(crate) const LOGON_HANDLE: u32 = 1;
/// The most objects a PST store keeps open at once (each open message holds its content).
pub const MAX_OPEN_OBJECTS: usize = 4096;

/// An open PST store: the file and the objects opened on it.
pub(crate) struct PstStore {
    facts: StoreFacts,
    objects: HashMap<u32, Obj>,
    next_handle: u32,
    /// The file's path.
    path: String,
    /// The file's writer, shared by every store on it in this process.
    writer: Arc<shared::SharedWriter>,
    /// The writer's generation the reader in `facts` has seen.
    generation: u64,
}

impl PstStore {
    /// Opens the file at `path` (its store entry ID is `entry_id`; `display_name` is the name the
    /// profile gives it, which the store object shows as MSPST does after ConfigureMsgService) and says what RopLogon
    /// would have returned: the special folders from the message store's entry IDs
    /// ([MS-PST] 2.4.3).
    pub(crate) fn open(
        path: &str,
        display_name: &str,
        entry_id: Vec<u8>,
    ) -> MapiResult<(PstStore, LogonInfo)> {
        let file = PstFile::open(path).map_err(|e| {
            let code = match e {
                oxmapi_pst::pst::PstError::Io(ref io) if io.kind() == std::io::ErrorKind::NotFound => {
                    codes::MAPI_E_NOT_FOUND
                }
                oxmapi_pst::pst::PstError::Io(_) => codes::MAPI_E_NO_ACCESS,
                _ => codes::MAPI_E_CORRUPT_DATA,
            };
            MapiError::new(code, format!("the Personal Folders file {path} cannot be opened: {e}"))
        })?;
        let store = file.store_props();
        let uid: [u8; 16] = match store.get(PR_RECORD_KEY) {
            Some(PropValue::Binary(b)) if b.len() == 16 => b.as_slice().try_into().unwrap_or([0; 16]),
            _ => [0; 16],
        };
        let nid = |tag: PropTag| match store.get(tag) {
            Some(PropValue::Binary(b)) if b.len() == ids::ENTRY_ID_LEN => {
                ids::parse_entry_id(&uid, b.as_slice())
            }
            _ => None,
        };
        let mut folder_ids = [ObjectId::ZERO; 13];
        folder_ids[0] = object_id(NID_ROOT_FOLDER);
        folder_ids[3] = object_id(nid(PR_IPM_SUBTREE_ENTRYID).unwrap_or(NID_ROOT_FOLDER));
        folder_ids[7] = nid(PR_IPM_WASTEBASKET_ENTRYID).map_or(ObjectId::ZERO, object_id);
        folder_ids[10] = nid(PR_FINDER_ENTRYID).map_or(ObjectId::ZERO, object_id);
        let info = LogonInfo {
            folder_ids,
            mailbox_guid: None,
            replica_guid: Guid(uid),
            replica_id: PST_REPLICA_ID,
            response_flags: 0,
        };
        let facts = StoreFacts {
            file: Arc::new(file),
            uid,
            store_entry_id: entry_id,
            display_name: display_name.to_string(),
        };
        let mut objects = HashMap::new();
        objects.insert(LOGON_HANDLE, Obj::Logon);
        let writer = shared::SharedWriter::of(std::path::Path::new(path));
        let generation = writer.generation();
        let store = PstStore {
            facts,
            objects,
            next_handle: LOGON_HANDLE + 1,
            path: path.to_string(),
            writer,
            generation,
        };
        Ok((store, info))
    }

    /// Runs a batch: each request in order, against the batch's handle table (MS-OXCROPS
    /// 3.1.4: a request names its objects by slot; one that creates an object fills a slot).
    pub(crate) fn run(&mut self, batch: Batch) -> MapiResult<BatchResult> {
        self.refresh()?;
        let mut handles = batch.handles;
        let mut responses = Vec::new();
        for req in &batch.rops {
            if let RopRequest::Release(q) = req {
                if let Some(h) = handles.get(q.input_handle_index as usize).copied()
                    && h != LOGON_HANDLE
                {
                    // A written stream is committed when it is released ([MS-OXCPRPT] 3.2.5.12).
                    if matches!(self.objects.get(&h), Some(Obj::Stream { target: Some(t), .. }) if t.dirty) {
                        let _ = self.commit_stream(Some(h));
                    }
                    self.objects.remove(&h);
                }
                continue;
            }
            let answer = match self.dispatch(req, &mut handles) {
                Ok(r) => r,
                Err(code) => error_response(req, code)?,
            };
            responses.push(Some(answer));
        }
        Ok(BatchResult { responses, handles })
    }

    /// What entry ID `eid` of this store names: (node, None) for a folder, (node, Some(folder))
    /// for a message. MAPI_E_INVALID_ENTRYID for another store's or a malformed one.
    pub(crate) fn entry(&self, eid: &[u8]) -> MapiResult<(u32, Option<u32>)> {
        let invalid = |why: &str| MapiError::new(codes::MAPI_E_INVALID_ENTRYID, why.to_string());
        let nid = ids::parse_entry_id(&self.facts.uid, eid)
            .ok_or_else(|| invalid("not an entry ID of this Personal Folders store"))?;
        let node = self.facts.file.node_entry(nid).ok_or_else(|| {
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("the store has no object with node id {nid:#x}"))
        })?;
        match nid & 0x1f {
            0x02 | 0x03 => Ok((nid, None)),
            0x04 => Ok((nid, Some(node.parent))),
            _ => Err(invalid("the entry ID names neither a folder nor a message")),
        }
    }

    /// True for a file this store writes: a Unicode PST (not an ANSI file, not an OST).
    fn can_write(&self) -> bool {
        let h = self.facts.file.header();
        h.format == Format::Unicode && !h.is_ost()
    }

    /// Refuses changes to a file this store cannot write (an ANSI file or an OST:
    /// MAPI_E_NO_ACCESS) and opens the writer (and locks the file) on first use.
    fn writable(&mut self) -> Result<(), ErrorCode> {
        self.with_writer(|_| Ok(()))
    }

    /// Runs `f` on the file's writer without committing (named-property ids).
    fn with_writer<T>(
        &mut self,
        f: impl FnOnce(&mut PstWriter) -> Result<T, PstError>,
    ) -> Result<T, ErrorCode> {
        if !self.can_write() {
            return Err(codes::MAPI_E_NO_ACCESS);
        }
        let mut g = self.writer.lock().map_err(|e| write_code(&e))?;
        f(g.get()).map_err(|e| write_code(&e))
    }

    /// Runs a change through the writer and commits it; the store then follows the commit
    /// ([`PstStore::refresh`]). A change that fails leaves the file as it was committed (the
    /// writer is dropped, with it whatever the change had begun).
    fn change<T>(&mut self, f: impl FnOnce(&mut PstWriter) -> Result<T, PstError>) -> Result<T, ErrorCode> {
        self.change_reading(|_, w| f(w))
    }

    /// [`PstStore::change`] for a change that also reads the committed file (a folder copy):
    /// the store's own reader is lent to it, so that none is left shared when the store
    /// follows the commit.
    fn change_reading<T>(
        &mut self,
        f: impl FnOnce(&PstFile, &mut PstWriter) -> Result<T, PstError>,
    ) -> Result<T, ErrorCode> {
        self.writable()?;
        let writer = self.writer.clone();
        let mut g = writer.lock().map_err(|e| write_code(&e))?;
        let w = g.get();
        match f(&self.facts.file, w).and_then(|v| w.commit().map(|()| v)) {
            Ok(v) => {
                g.committed();
                drop(g);
                self.refresh().map_err(|e| e.code)?;
                Ok(v)
            }
            Err(e) => {
                g.abandon();
                drop(g);
                // Whatever the file now holds (the last commit, or a failed one that landed).
                let _ = self.refresh();
                Err(write_code(&e))
            }
        }
    }

    /// Follows the commits made through the file's writer since this store last read: applies
    /// what they changed in the B-trees, or reads the file again when the writer's log no
    /// longer reaches back far enough or the reader is shared with an object still reading.
    fn refresh(&mut self) -> MapiResult<()> {
        let now = self.writer.generation();
        if now == self.generation {
            return Ok(());
        }
        let followed = match (self.writer.deltas(self.generation, now), Arc::get_mut(&mut self.facts.file)) {
            (Some(deltas), Some(file)) => deltas.iter().try_for_each(|d| file.apply(d)).is_ok(),
            _ => false,
        };
        if !followed {
            let file =
                PstFile::open(&self.path).map_err(|e| MapiError::new(write_code(&e), e.to_string()))?;
            self.facts.file = Arc::new(file);
        }
        self.generation = now;
        Ok(())
    }

    /// The named properties the store maps: the writer's (pending ones included) once it is
    /// open, else the file's.
    fn named_map(&self) -> std::collections::BTreeMap<u16, oxmapi_core::named::PropertyName> {
        self.writer.names().unwrap_or_else(|| self.facts.file.named_properties().clone())
    }

    fn get(&self, handles: &[u32], slot: u8) -> Result<&Obj, ErrorCode> {
        let h = handles.get(slot as usize).copied().unwrap_or(UNUSED_HANDLE);
        self.objects.get(&h).ok_or(codes::EC_NULL_OBJECT)
    }

    fn get_mut(&mut self, handles: &[u32], slot: u8) -> Result<&mut Obj, ErrorCode> {
        let h = handles.get(slot as usize).copied().unwrap_or(UNUSED_HANDLE);
        self.objects.get_mut(&h).ok_or(codes::EC_NULL_OBJECT)
    }

    /// Puts a new object into `slot` (MAPI_E_NOT_ENOUGH_MEMORY past [`MAX_OPEN_OBJECTS`]).
    fn put(&mut self, handles: &mut [u32], slot: u8, obj: Obj) -> Result<(), ErrorCode> {
        if self.objects.len() >= MAX_OPEN_OBJECTS {
            return Err(codes::MAPI_E_NOT_ENOUGH_MEMORY);
        }
        let cell = handles.get_mut(slot as usize).ok_or(codes::EC_NULL_OBJECT)?;
        let h = self.next_handle;
        self.next_handle =
            self.next_handle.checked_add(1).filter(|h| *h != UNUSED_HANDLE).unwrap_or(LOGON_HANDLE + 1);
        self.objects.insert(h, obj);
        *cell = h;
        Ok(())
    }
}

/// The MAPI code of a writer's failure.
fn write_code(e: &PstError) -> ErrorCode {
    match e {
        PstError::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => codes::MAPI_E_NO_ACCESS,
        PstError::Io(_) => codes::MAPI_E_DISK_ERROR,
        PstError::Header(_) => codes::MAPI_E_NO_ACCESS,
        PstError::Corrupt(_) => codes::MAPI_E_CORRUPT_DATA,
    }
}

/// The failure response of `req` with `code`: `RopId`, the handle index the ROP echoes and
/// `ReturnValue` (MS-OXCROPS 2.2.1), read back through the wire codec so every ROP's failure
/// form is the one its decoder knows.
fn error_response(req: &RopRequest, code: ErrorCode) -> MapiResult<RopResponse> {
    let mut w = Writer::new();
    req.encode(&mut w);
    let raw = w.into_vec();
    let id = req.rop_id();
    let mut out = Writer::new();
    out.u8(id as u8);
    out.u8(raw.get(id.response_index_offset()).copied().unwrap_or(0));
    out.u32(code.0);
    let bytes = out.into_vec();
    // Every ROP a PST store is sent decodes its bare failure form; one whose failure carries
    // more fields fails the whole call with the code instead.
    RopResponse::decode(&mut Reader::new(&bytes), &ResponseContext::default())
        .map_err(|_| MapiError::new(code, format!("Rop{id:?} failed on the Personal Folders store")))
}

#[cfg(test)]
mod tests {
    use oxmapi_wire::rop::oxcfold::{GetTableRequest, OpenFolderRequest};
    use oxmapi_wire::rop::oxcprpt::{OpenStreamRequest, ReadStreamRequest};
    use oxmapi_wire::rop::oxctabl::{QueryRowsRequest, SeekRowRequest};

    use super::*;

    fn store() -> Option<PstStore> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/testdata/pst_to_eml/threeItems.pst");
        std::path::Path::new(path).exists().then(|| PstStore::open(path, "T", Vec::new()).unwrap().0)
    }

    fn code(r: &Option<RopResponse>) -> u32 {
        r.as_ref().and_then(RopResponse::status).map_or(u32::MAX, |(_, c)| c)
    }

    /// What a hostile or buggy caller sends is answered per ROP with a MAPI code — a slot that
    /// holds nothing, a ROP on the wrong kind of object, an id from another store, a seek far
    /// past the end, a huge read — and the ROPs after it still run.
    #[test]
    fn wrong_objects_and_ids_are_refused_per_rop() {
        let Some(mut s) = store() else { return };
        let mut b = Batch::new();
        let logon = b.input(LOGON_HANDLE);
        let nothing = b.input(0xDEAD_BEEF);
        let out = b.output();
        b.push(RopRequest::GetContentsTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: nothing,
            output_handle_index: out,
            table_flags: 0,
        }));
        b.push(RopRequest::QueryRows(QueryRowsRequest {
            logon_id: 0,
            input_handle_index: logon,
            query_rows_flags: 0,
            forward_read: 1,
            row_count: 10,
        }));
        b.push(RopRequest::OpenFolder(OpenFolderRequest {
            logon_id: 0,
            input_handle_index: logon,
            output_handle_index: out,
            folder_id: ObjectId::new(7, 0x122),
            open_mode_flags: 0,
        }));
        let root = b.output();
        b.push(RopRequest::OpenFolder(OpenFolderRequest {
            logon_id: 0,
            input_handle_index: logon,
            output_handle_index: root,
            folder_id: ids::object_id(NID_ROOT_FOLDER),
            open_mode_flags: 0,
        }));
        let table = b.output();
        b.push(RopRequest::GetHierarchyTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: root,
            output_handle_index: table,
            table_flags: 0x04,
        }));
        b.push(RopRequest::SeekRow(SeekRowRequest {
            logon_id: 0,
            input_handle_index: table,
            origin: 0,
            row_count: i32::MAX,
            want_row_moved_count: 1,
        }));
        b.push(RopRequest::ReadStream(ReadStreamRequest {
            logon_id: 0,
            input_handle_index: root,
            byte_count: 0xBABE,
            maximum_byte_count: Some(u32::MAX),
        }));
        let stream = b.output();
        b.push(RopRequest::OpenStream(OpenStreamRequest {
            logon_id: 0,
            input_handle_index: root,
            output_handle_index: stream,
            property_tag: oxmapi_core::catalogue::tags::PR_DISPLAY_NAME,
            open_mode_flags: 1,
        }));
        let r = s.run(b).unwrap();
        assert_eq!(code(&r.responses[0]), codes::EC_NULL_OBJECT.0, "a slot holding no object");
        assert_eq!(code(&r.responses[1]), codes::MAPI_E_NO_SUPPORT.0, "QueryRows on the store object");
        assert_eq!(code(&r.responses[2]), codes::MAPI_E_NOT_FOUND.0, "a folder id of another replica");
        assert_eq!(code(&r.responses[3]), 0, "the root folder opens");
        assert_eq!(code(&r.responses[4]), 0);
        match &r.responses[5] {
            Some(RopResponse::SeekRow(o)) => {
                let b = o.body.as_ref().unwrap();
                assert_eq!(b.has_sought_less, 1);
                assert!(b.rows_sought >= 0 && b.rows_sought < 64);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(code(&r.responses[6]), codes::MAPI_E_NO_SUPPORT.0, "ReadStream on a folder");
        // A Unicode file is writable: the stream opens (nothing is written until it is committed).
        assert_eq!(code(&r.responses[7]), 0, "a stream opened to write on a folder");
    }

    /// The handle table is bounded: past MAX_OPEN_OBJECTS a ROP that would open one more is
    /// refused, and released objects free their places.
    #[test]
    fn open_objects_are_bounded_and_released() {
        let Some(mut s) = store() else { return };
        let open_root = |s: &mut PstStore, n: usize| {
            let mut b = Batch::new();
            let logon = b.input(LOGON_HANDLE);
            for _ in 0..n {
                let out = b.output();
                b.push(RopRequest::OpenFolder(OpenFolderRequest {
                    logon_id: 0,
                    input_handle_index: logon,
                    output_handle_index: out,
                    folder_id: ids::object_id(NID_ROOT_FOLDER),
                    open_mode_flags: 0,
                }));
            }
            s.run(b).unwrap()
        };
        let r = open_root(&mut s, 250);
        assert!(r.responses.iter().all(|x| code(x) == 0));
        for _ in 0..(MAX_OPEN_OBJECTS / 250) {
            open_root(&mut s, 250);
        }
        let r = open_root(&mut s, 1);
        assert_eq!(code(&r.responses[0]), codes::MAPI_E_NOT_ENOUGH_MEMORY.0);
        let handles: Vec<u32> = s.objects.keys().copied().filter(|h| *h != LOGON_HANDLE).take(10).collect();
        let mut b = Batch::new();
        for h in handles {
            let slot = b.input(h);
            b.push(RopRequest::Release(oxmapi_wire::rop::oxcrops::ReleaseRequest {
                logon_id: 0,
                input_handle_index: slot,
            }));
        }
        s.run(b).unwrap();
        assert_eq!(code(&open_root(&mut s, 1).responses[0]), 0);
    }
}
