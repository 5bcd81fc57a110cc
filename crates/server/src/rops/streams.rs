//! Stream ROPs (MS-OXCPRPT 3.2.5.13–3.2.5.20): a PtypBinary, PtypString or PtypString8 property
//! of an open message or attachment opened as a stream.
//!
//! The bytes live in the store's chunked blobs ([`oxmapi_store::mailbox::StoreStream`]): a read
//! or write touches one 64 KiB chunk at a time, so a 25 MB attachment is never in memory in one
//! piece. RopCommitStream (or releasing the stream) makes the content the property value of the
//! parent's draft; the parent's save makes it durable.
//!
//! A stream object's clones (RopCloneStream) share its bytes, parent and region locks
//! ([`SharedStream`], [`super::stream_locks`]); each has its own seek pointer.
//!
//! Not supported: streams on folder properties (MS-OXCPRPT 2.2.14 asks for PtypBinary folder
//! properties; folders here keep their values in property rows, not blobs) and PtypObject
//! properties (PR_ATTACH_DATA_OBJ: use RopOpenEmbeddedMessage) answer MAPI_E_NO_SUPPORT.

use std::io::{Read, Seek, SeekFrom, Write};

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_store::StoreError;
use oxmapi_store::mailbox::StreamMode;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{ServerObject, SharedStream, Slots, StreamObject, StreamParent, lock};
use super::oxcfold::new_object;
use super::oxcstor::store_code;
use super::stream_locks::{Access, LockOwner, Target};
use super::{RopResult, RopSession, object};

/// `StreamSeekError` / STG_E_SEEKERROR: a seek before the start or past [`MAX_STREAM_SIZE`]
/// (MS-OXCPRPT 3.2.5.18).
pub const STREAM_SEEK_ERROR: ErrorCode = oxmapi_core::error::codes::STG_E_SEEKERROR;
/// `StreamInvalidParam` / STG_E_INVALIDPARAMETER: an undefined seek `Origin`.
pub const STREAM_INVALID_PARAM: ErrorCode = ErrorCode(0x8003_0057);
/// The largest stream: 2^31 bytes (MS-OXCPRPT 3.2.5.18: seeks beyond 2^31 fail).
pub const MAX_STREAM_SIZE: u64 = 0x8000_0000;
/// Bytes of a RopReadStream response besides `Data`: RopId, InputHandleIndex, ReturnValue,
/// DataSize (MS-OXCROPS 2.2.9.2.2).
const READ_OVERHEAD: usize = 8;
/// Bytes RopCopyToStream moves per step (one store chunk).
const COPY_STEP: u64 = 64 * 1024;

/// `OpenModeFlags` of RopOpenStream (MS-OXCPRPT 2.2.14.1) beyond ReadOnly 0x00, ReadWrite
/// 0x01 and Create 0x02 (which [`StreamMode::from_open_mode_flags`] reads).
pub mod open_mode {
    /// BestAccess: read/write when the object allows it, else read-only.
    pub const BEST_ACCESS: u8 = 0x03;
}

/// `Origin` of RopSeekStream (MS-OXCPRPT 2.2.21.1).
pub mod origin {
    /// STREAM_SEEK_SET: from the start.
    pub const SET: u8 = 0x00;
    /// STREAM_SEEK_CUR: from the seek pointer.
    pub const CUR: u8 = 0x01;
    /// STREAM_SEEK_END: from the end.
    pub const END: u8 = 0x02;
}

/// The stream in slot `index`: ecNullObject for an empty slot, MAPI_E_NO_SUPPORT for another
/// kind of object, NetworkError once after its region lock expired
/// ([`StreamObject::discard_if_expired`]).
fn stream_mut<'a>(
    rs: &'a mut RopSession,
    slots: &Slots,
    index: u8,
) -> Result<&'a mut StreamObject, ErrorCode> {
    let h = slots.handle(index)?;
    match rs.handles.get_mut(h) {
        Some(ServerObject::Stream(s)) => {
            s.discard_if_expired()?;
            Ok(s)
        }
        Some(_) => Err(codes::MAPI_E_NO_SUPPORT),
        None => Err(codes::EC_NULL_OBJECT),
    }
}

/// The MAPI code of a failed stream read or write.
fn io_code(e: std::io::Error) -> ErrorCode {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        return codes::STG_E_ACCESSDENIED;
    }
    match e.into_inner().map(|b| b.downcast::<StoreError>()) {
        Some(Ok(se)) => store_code(*se),
        _ => codes::MAPI_E_CALL_FAILED,
    }
}

/// STG_E_ACCESSDENIED for a read-only stream.
fn writable(s: &mut StreamObject) -> Result<(), ErrorCode> {
    match s.with(|_, st| st.mode()) {
        StreamMode::ReadOnly => Err(codes::STG_E_ACCESSDENIED),
        _ => Ok(()),
    }
}

fn size32(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// What a stream opened on `parent` (through a message workspace whose top-level message is
/// `saved_mid`) is a stream of, for region locks: a saved top-level message's property (or its
/// attachment's) is the same for every session; anything else is the object it was opened on.
fn lock_target(
    logon: &super::handles::LogonObject,
    parent: &StreamParent,
    top_level: bool,
    saved_mid: Option<oxmapi_core::ids::ObjectId>,
    prop: u16,
) -> Target {
    let mailbox = std::sync::Arc::as_ptr(&logon.store) as usize;
    match (parent, saved_mid) {
        (StreamParent::Message(_), Some(mid)) if top_level => {
            Target::Saved { mailbox, mid: mid.to_u64(), attach: None, prop }
        }
        (StreamParent::Attachment(a), Some(mid)) if top_level => {
            Target::Saved { mailbox, mid: mid.to_u64(), attach: Some(lock(a).attach_num()), prop }
        }
        (StreamParent::Message(m), _) => Target::Draft { draft: std::sync::Arc::as_ptr(m) as usize, prop },
        (StreamParent::Attachment(a), _) => Target::Draft { draft: std::sync::Arc::as_ptr(a) as usize, prop },
    }
}

/// RopOpenStream (MS-OXCPRPT 3.2.5.13) on a message or attachment property. BestAccess opens
/// read/write when the object was opened for writing, else read-only. Errors: a missing property
/// without Create → MAPI_E_NOT_FOUND; a type other than PtypBinary / PtypString / PtypString8, or
/// a folder, logon or table → MAPI_E_NO_SUPPORT; writing a read-only object →
/// MAPI_E_NO_ACCESS; writing a computed property → MAPI_E_COMPUTED; undefined OpenModeFlags →
/// MAPI_E_INVALID_PARAMETER.
pub fn open_stream(rs: &mut RopSession, slots: &mut Slots, q: &OpenStreamRequest) -> RopResult {
    let (logon, parent, workspace, object_writable, top_level) =
        match object(rs, slots, q.input_handle_index)? {
            ServerObject::Message(m) => (
                m.logon.clone(),
                StreamParent::Message(m.draft.clone()),
                m.workspace.clone(),
                m.writable,
                m.parent_attachment.is_none(),
            ),
            ServerObject::Attachment(a) => {
                let top_level = lock(&a.message).mid().is_some_and(|mid| Some(mid) == a.workspace.saved_mid);
                (
                    a.logon.clone(),
                    StreamParent::Attachment(a.draft.clone()),
                    a.workspace.clone(),
                    a.writable,
                    top_level,
                )
            }
            _ => return Err(codes::MAPI_E_NO_SUPPORT),
        };
    let mode = match q.open_mode_flags {
        open_mode::BEST_ACCESS if !object_writable => StreamMode::ReadOnly,
        f => StreamMode::from_open_mode_flags(f).ok_or(codes::MAPI_E_INVALID_PARAMETER)?,
    };
    if mode != StreamMode::ReadOnly && !object_writable {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let tag = q.property_tag;
    let stream = match &parent {
        StreamParent::Message(m) => logon.store.open_stream(&*lock(m), tag, mode),
        StreamParent::Attachment(a) => logon.store.open_stream(&*lock(a), tag, mode),
    }
    .map_err(store_code)?;
    let stream_size = size32(stream.size());
    let target = lock_target(&logon, &parent, top_level, workspace.saved_mid, tag.id());
    let shared =
        SharedStream { parent, stream: std::sync::Mutex::new(stream), locks: LockOwner::new(target) };
    let obj = StreamObject { logon, shared: std::sync::Arc::new(shared), position: 0, workspace };
    new_object(rs, slots, q.output_handle_index, ServerObject::Stream(Box::new(obj)))?;
    Ok(RopResponse::OpenStream(Outcome::ok(q.output_handle_index, StreamSizeResponse { stream_size })))
}

/// RopCloneStream (MS-OXCPRPT 2.2.27, 3.2.5.24): a new stream object on the same bytes —
/// uncommitted changes included, and changes through either seen at once by the other — with
/// its own seek pointer, starting where the source's is. The clone shares the source's region
/// locks (IStream::Clone) and commits into the same parent. Exchange 2010 and later do not
/// implement it (MS-OXCPRPT <18>), nor does gromox (rop_clonestream answers NotImplemented);
/// this follows the spec's text. Another kind of object → MAPI_E_NO_SUPPORT; the session's
/// stream limit ([`super::handles::ObjectKind::limit`]) → ecMaxObjsExceeded.
pub fn clone_stream(rs: &mut RopSession, slots: &mut Slots, q: &CloneStreamRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    s.shared.locks.touch();
    let clone = StreamObject {
        logon: s.logon.clone(),
        shared: s.shared.clone(),
        position: s.position,
        workspace: s.workspace.clone(),
    };
    new_object(rs, slots, q.output_handle_index, ServerObject::Stream(Box::new(clone)))?;
    Ok(RopResponse::CloneStream(Outcome::ok(q.output_handle_index, Empty)))
}

/// RopReadStream (MS-OXCPRPT 3.2.5.14): up to `ByteCount` bytes (`MaximumByteCount` when
/// `ByteCount` is 0xBABE) from the seek pointer, never more than the response buffer holds
/// nor than `DataSize` (u16) can say; fewer at the end of the stream. A region another stream
/// holds an exclusive lock on → AccessDenied.
pub fn read_stream(rs: &mut RopSession, slots: &mut Slots, q: &ReadStreamRequest, room: usize) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    let want = match q.maximum_byte_count {
        Some(m) => m as usize,
        None => usize::from(q.byte_count),
    };
    let cap = want.min(room.saturating_sub(READ_OVERHEAD)).min(usize::from(u16::MAX));
    s.shared.locks.check(s.position, cap as u64, Access::Read)?;
    let data = s.with(|store, st| {
        let mut io = st.io(store);
        let mut data = vec![0u8; cap];
        let mut n = 0;
        while n < cap {
            match io.read(&mut data[n..]).map_err(io_code)? {
                0 => break,
                k => n += k,
            }
        }
        data.truncate(n);
        Ok::<_, ErrorCode>(data)
    })?;
    Ok(RopResponse::ReadStream(Outcome::ok(q.input_handle_index, ReadStreamResponse { data })))
}

/// Writes `data` at the seek pointer (shared by the write ROPs): a read-only stream →
/// STG_E_ACCESSDENIED; past [`MAX_STREAM_SIZE`] → ecTooBig; into a region another stream has
/// locked → AccessDenied (MS-OXCPRPT 3.2.5.21).
fn write(rs: &mut RopSession, slots: &Slots, index: u8, data: &[u8]) -> Result<usize, ErrorCode> {
    let s = stream_mut(rs, slots, index)?;
    writable(s)?;
    if s.position.saturating_add(data.len() as u64) > MAX_STREAM_SIZE {
        return Err(codes::MAPI_E_TOO_BIG);
    }
    s.shared.locks.check(s.position, data.len() as u64, Access::Write)?;
    s.with(|store, st| st.io(store).write_all(data)).map_err(io_code)?;
    Ok(data.len())
}

/// RopWriteStream (MS-OXCPRPT 3.2.5.15): writes at the seek pointer, growing the stream. A
/// read-only stream → STG_E_ACCESSDENIED; past [`MAX_STREAM_SIZE`] → ecTooBig
/// (MAPI_E_TOO_BIG, as Exchange 2010 and later).
pub fn write_stream(rs: &mut RopSession, slots: &mut Slots, q: &WriteStreamRequest) -> RopResult {
    let n = write(rs, slots, q.input_handle_index, &q.data)?;
    let written_size = u16::try_from(n).unwrap_or(u16::MAX);
    Ok(RopResponse::WriteStream(Outcome::ok(q.input_handle_index, WriteStreamResponse { written_size })))
}

/// RopWriteStreamExtended (MS-OXCPRPT 3.2.5.16): RopWriteStream with a 32-bit `WrittenSize`.
pub fn write_stream_extended(rs: &mut RopSession, slots: &mut Slots, q: &WriteStreamRequest) -> RopResult {
    let n = write(rs, slots, q.input_handle_index, &q.data)?;
    let written_size = u32::try_from(n).unwrap_or(u32::MAX);
    Ok(RopResponse::WriteStreamExtended(Outcome::ok(
        q.input_handle_index,
        WriteStreamExtendedResponse { written_size },
    )))
}

/// RopWriteAndCommitStream (MS-OXCPRPT 2.2.26, 3.2.5.23): RopWriteStream then RopCommitStream
/// in one ROP, with RopWriteStream's response (MS-OXCROPS 2.2.9.4). The spec does not allow it
/// on a folder's stream; folders have none here (RopOpenStream on a folder answers
/// MAPI_E_NO_SUPPORT), and any object that is not a stream answers MAPI_E_NO_SUPPORT. Errors
/// as RopWriteStream's; nothing is committed when the write fails. Exchange 2010 and later and
/// gromox answer NotImplemented (rop_writeandcommitstream, "just like exchange 2010 or later").
pub fn write_and_commit_stream(rs: &mut RopSession, slots: &mut Slots, q: &WriteStreamRequest) -> RopResult {
    let n = write(rs, slots, q.input_handle_index, &q.data)?;
    stream_mut(rs, slots, q.input_handle_index)?.commit().map_err(store_code)?;
    let written_size = u16::try_from(n).unwrap_or(u16::MAX);
    Ok(RopResponse::WriteAndCommitStream(Outcome::ok(
        q.input_handle_index,
        WriteStreamResponse { written_size },
    )))
}

/// RopCommitStream (MS-OXCPRPT 3.2.5.17): the stream's content becomes the parent's property
/// value (a no-op for a read-only or unchanged stream).
pub fn commit_stream(rs: &mut RopSession, slots: &mut Slots, q: &HandleRequest) -> RopResult {
    stream_mut(rs, slots, q.input_handle_index)?.commit().map_err(store_code)?;
    Ok(RopResponse::CommitStream(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopGetStreamSize (MS-OXCPRPT 3.2.5.19).
pub fn get_stream_size(rs: &mut RopSession, slots: &mut Slots, q: &HandleRequest) -> RopResult {
    let stream_size = size32(stream_mut(rs, slots, q.input_handle_index)?.with(|_, st| st.size()));
    Ok(RopResponse::GetStreamSize(Outcome::ok(q.input_handle_index, StreamSizeResponse { stream_size })))
}

/// RopSetStreamSize (MS-OXCPRPT 3.2.5.20): truncates, or extends with zeros; the seek pointer
/// stays. A read-only stream → STG_E_ACCESSDENIED; more than [`MAX_STREAM_SIZE`] →
/// ecStreamSizeError (STG_E_MEDIUMFULL); changing bytes another stream has locked →
/// AccessDenied.
pub fn set_stream_size(rs: &mut RopSession, slots: &mut Slots, q: &SetStreamSizeRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    writable(s)?;
    if q.stream_size > MAX_STREAM_SIZE {
        return Err(codes::STG_E_MEDIUMFULL);
    }
    let old = s.with(|_, st| st.size());
    let (from, to) = (old.min(q.stream_size), old.max(q.stream_size));
    s.shared.locks.check(from, to - from, Access::Write)?;
    s.with(|store, st| store.set_stream_size(st, q.stream_size)).map_err(store_code)?;
    Ok(RopResponse::SetStreamSize(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopSeekStream (MS-OXCPRPT 3.2.5.18): moves the seek pointer relative to the start, the
/// pointer or the end. Before the start or beyond 2^31 → StreamSeekError (0x80030019); an
/// undefined `Origin` → StreamInvalidParam (0x80030057). Beyond the end, a writable stream is
/// extended with zeros to the new position (a read-only one reads nothing there).
pub fn seek_stream(rs: &mut RopSession, slots: &mut Slots, q: &SeekStreamRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    let (size, mode) = s.with(|_, st| (st.size(), st.mode()));
    let base = match q.origin {
        origin::SET => 0,
        origin::CUR => s.position,
        origin::END => size,
        _ => return Err(STREAM_INVALID_PARAM),
    };
    let new_position =
        base.checked_add_signed(q.offset).filter(|p| *p <= MAX_STREAM_SIZE).ok_or(STREAM_SEEK_ERROR)?;
    let extend = new_position > size && mode != StreamMode::ReadOnly;
    if extend {
        s.shared.locks.check(size, new_position - size, Access::Write)?;
    }
    s.with(|store, st| {
        if extend {
            store.set_stream_size(st, new_position).map_err(store_code)?;
        }
        st.io(store).seek(SeekFrom::Start(new_position)).map_err(io_code)
    })?;
    Ok(RopResponse::SeekStream(Outcome::ok(q.input_handle_index, SeekStreamResponse { new_position })))
}

/// RopCopyToStream (MS-OXCPRPT 3.2.5.19): copies `ByteCount` bytes (fewer at the end of the
/// source) from the source's seek pointer to the destination's, one chunk at a time. An empty
/// destination slot → ecDstNullObject with `DestHandleIndex`; a read-only destination →
/// STG_E_ACCESSDENIED; growing it past [`MAX_STREAM_SIZE`] → ecTooBig; a locked region of
/// either → AccessDenied.
pub fn copy_to_stream(rs: &mut RopSession, slots: &mut Slots, q: &CopyToStreamRequest) -> RopResult {
    let src = q.source_handle_index;
    stream_mut(rs, slots, src)?;
    match stream_mut(rs, slots, q.dest_handle_index) {
        Ok(d) => writable(d)?,
        Err(e) if e == codes::EC_NULL_OBJECT => {
            let body = CopyToStreamResponse {
                dest_handle_index: Some(u32::from(q.dest_handle_index)),
                read_byte_count: 0,
                written_byte_count: 0,
            };
            let out =
                Outcome { handle_index: src, return_value: codes::EC_DST_NULL_OBJECT.0, body: Some(body) };
            return Ok(RopResponse::CopyToStream(out));
        }
        Err(e) => return Err(e),
    }
    let mut done = 0u64;
    let mut buf = Vec::new();
    while done < q.byte_count {
        buf.resize((q.byte_count - done).min(COPY_STEP) as usize, 0);
        let n = {
            let s = stream_mut(rs, slots, src)?;
            s.shared.locks.check(s.position, buf.len() as u64, Access::Read)?;
            s.with(|store, st| st.io(store).read(&mut buf)).map_err(io_code)?
        };
        if n == 0 {
            break;
        }
        write(rs, slots, q.dest_handle_index, &buf[..n])?;
        done += n as u64;
    }
    Ok(RopResponse::CopyToStream(Outcome::ok(
        src,
        CopyToStreamResponse { dest_handle_index: None, read_byte_count: done, written_byte_count: done },
    )))
}

/// RopLockRegionStream (MS-OXCPRPT 2.2.24, 3.2.5.21): locks `[RegionOffset, RegionOffset +
/// RegionSize)` for this stream and its clones ([`super::stream_locks`]: LockFlags, expiry,
/// AccessDenied for a region another stream holds, MAPI_E_NOT_ENOUGH_RESOURCES past
/// [`super::stream_locks::MAX_REGION_LOCKS`]). Only a stream opened for writing may lock (a
/// read-only one → STG_E_ACCESSDENIED): a lock keeps others from writing, and a user who may
/// only read a message (a reviewer's delegate logon) must not be able to stop its owner's
/// writes.
pub fn lock_region_stream(rs: &mut RopSession, slots: &mut Slots, q: &LockRegionStreamRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    writable(s)?;
    s.shared.locks.touch();
    s.shared.locks.lock(q.region_offset, q.region_size, q.lock_flags)?;
    Ok(RopResponse::LockRegionStream(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopUnlockRegionStream (MS-OXCPRPT 2.2.25, 3.2.5.22): removes this stream's (and its
/// clones') locks on the region; other streams' locks stay.
pub fn unlock_region_stream(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &LockRegionStreamRequest,
) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    s.shared.locks.touch();
    s.shared.locks.unlock(q.region_offset, q.region_size);
    Ok(RopResponse::UnlockRegionStream(Outcome::ok(q.input_handle_index, Empty)))
}
