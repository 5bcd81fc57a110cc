//! Stream ROPs (MS-OXCPRPT 3.2.5.13–3.2.5.20): a PtypBinary, PtypString or PtypString8 property
//! of an open message or attachment opened as a stream.
//!
//! The bytes live in the store's chunked blobs ([`oxmapi_store::mailbox::StoreStream`]): a read
//! or write touches one 64 KiB chunk at a time, so a 25 MB attachment is never in memory in one
//! piece. RopCommitStream (or releasing the stream) makes the content the property value of the
//! parent's draft; the parent's save makes it durable.
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

use super::handles::{ServerObject, Slots, StreamObject, StreamParent, lock};
use super::oxcstor::store_code;
use super::{RopResult, RopSession, object};

/// `StreamSeekError` / STG_E_SEEKERROR: a seek before the start or past [`MAX_STREAM_SIZE`]
/// (MS-OXCPRPT 3.2.5.18).
pub const STREAM_SEEK_ERROR: ErrorCode = ErrorCode(0x8003_0019);
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
/// kind of object.
fn stream_mut<'a>(
    rs: &'a mut RopSession,
    slots: &Slots,
    index: u8,
) -> Result<&'a mut StreamObject, ErrorCode> {
    let h = slots.handle(index)?;
    match rs.handles.get_mut(h) {
        Some(ServerObject::Stream(s)) => Ok(s),
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

fn writable(s: &StreamObject) -> Result<(), ErrorCode> {
    match s.stream.mode() {
        StreamMode::ReadOnly => Err(codes::STG_E_ACCESSDENIED),
        _ => Ok(()),
    }
}

fn size32(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// RopOpenStream (MS-OXCPRPT 3.2.5.13) on a message or attachment property. BestAccess opens
/// read/write when the object was opened for writing, else read-only. Errors: a missing property
/// without Create → MAPI_E_NOT_FOUND; a type other than PtypBinary / PtypString / PtypString8, or
/// a folder, logon or table → MAPI_E_NO_SUPPORT; writing a read-only object →
/// MAPI_E_NO_ACCESS; writing a computed property → MAPI_E_COMPUTED; undefined OpenModeFlags →
/// MAPI_E_INVALID_PARAMETER.
pub fn open_stream(rs: &mut RopSession, slots: &mut Slots, q: &OpenStreamRequest) -> RopResult {
    let (logon, parent, workspace, object_writable) = match object(rs, slots, q.input_handle_index)? {
        ServerObject::Message(m) => {
            (m.logon.clone(), StreamParent::Message(m.draft.clone()), m.workspace.clone(), m.writable)
        }
        ServerObject::Attachment(a) => {
            (a.logon.clone(), StreamParent::Attachment(a.draft.clone()), a.workspace.clone(), a.writable)
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
    let h = rs.handles.insert(ServerObject::Stream(Box::new(StreamObject {
        logon,
        parent,
        stream,
        workspace,
    })))?;
    if let Err(e) = slots.set(q.output_handle_index, h) {
        rs.handles.release(h);
        return Err(e);
    }
    Ok(RopResponse::OpenStream(Outcome::ok(q.output_handle_index, StreamSizeResponse { stream_size })))
}

/// RopReadStream (MS-OXCPRPT 3.2.5.14): up to `ByteCount` bytes (`MaximumByteCount` when
/// `ByteCount` is 0xBABE) from the seek pointer, never more than the response buffer holds
/// nor than `DataSize` (u16) can say; fewer at the end of the stream.
pub fn read_stream(rs: &mut RopSession, slots: &mut Slots, q: &ReadStreamRequest, room: usize) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    let want = match q.maximum_byte_count {
        Some(m) => m as usize,
        None => usize::from(q.byte_count),
    };
    let cap = want.min(room.saturating_sub(READ_OVERHEAD)).min(usize::from(u16::MAX));
    let StreamObject { logon, stream, .. } = s;
    let mut io = stream.io(&logon.store);
    let mut data = vec![0u8; cap];
    let mut n = 0;
    while n < cap {
        match io.read(&mut data[n..]).map_err(io_code)? {
            0 => break,
            k => n += k,
        }
    }
    data.truncate(n);
    Ok(RopResponse::ReadStream(Outcome::ok(q.input_handle_index, ReadStreamResponse { data })))
}

/// Writes `data` at the seek pointer (shared by the two write ROPs).
fn write(rs: &mut RopSession, slots: &Slots, index: u8, data: &[u8]) -> Result<usize, ErrorCode> {
    let s = stream_mut(rs, slots, index)?;
    writable(s)?;
    if s.stream.position().saturating_add(data.len() as u64) > MAX_STREAM_SIZE {
        return Err(codes::MAPI_E_TOO_BIG);
    }
    let StreamObject { logon, stream, .. } = s;
    stream.io(&logon.store).write_all(data).map_err(io_code)?;
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

/// RopCommitStream (MS-OXCPRPT 3.2.5.17): the stream's content becomes the parent's property
/// value (a no-op for a read-only or unchanged stream).
pub fn commit_stream(rs: &mut RopSession, slots: &mut Slots, q: &HandleRequest) -> RopResult {
    stream_mut(rs, slots, q.input_handle_index)?.commit().map_err(store_code)?;
    Ok(RopResponse::CommitStream(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopGetStreamSize (MS-OXCPRPT 3.2.5.19).
pub fn get_stream_size(rs: &mut RopSession, slots: &mut Slots, q: &HandleRequest) -> RopResult {
    let stream_size = size32(stream_mut(rs, slots, q.input_handle_index)?.stream.size());
    Ok(RopResponse::GetStreamSize(Outcome::ok(q.input_handle_index, StreamSizeResponse { stream_size })))
}

/// RopSetStreamSize (MS-OXCPRPT 3.2.5.20): truncates, or extends with zeros; the seek pointer
/// stays. A read-only stream → STG_E_ACCESSDENIED; more than [`MAX_STREAM_SIZE`] →
/// ecStreamSizeError (STG_E_MEDIUMFULL).
pub fn set_stream_size(rs: &mut RopSession, slots: &mut Slots, q: &SetStreamSizeRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    writable(s)?;
    if q.stream_size > MAX_STREAM_SIZE {
        return Err(codes::STG_E_MEDIUMFULL);
    }
    let StreamObject { logon, stream, .. } = s;
    logon.store.set_stream_size(stream, q.stream_size).map_err(store_code)?;
    Ok(RopResponse::SetStreamSize(Outcome::ok(q.input_handle_index, Empty)))
}

/// RopSeekStream (MS-OXCPRPT 3.2.5.18): moves the seek pointer relative to the start, the
/// pointer or the end. Before the start or beyond 2^31 → StreamSeekError (0x80030019); an
/// undefined `Origin` → StreamInvalidParam (0x80030057). Beyond the end, a writable stream is
/// extended with zeros to the new position (a read-only one reads nothing there).
pub fn seek_stream(rs: &mut RopSession, slots: &mut Slots, q: &SeekStreamRequest) -> RopResult {
    let s = stream_mut(rs, slots, q.input_handle_index)?;
    let base = match q.origin {
        origin::SET => 0,
        origin::CUR => s.stream.position(),
        origin::END => s.stream.size(),
        _ => return Err(STREAM_INVALID_PARAM),
    };
    let new_position =
        base.checked_add_signed(q.offset).filter(|p| *p <= MAX_STREAM_SIZE).ok_or(STREAM_SEEK_ERROR)?;
    let StreamObject { logon, stream, .. } = s;
    if new_position > stream.size() && stream.mode() != StreamMode::ReadOnly {
        logon.store.set_stream_size(stream, new_position).map_err(store_code)?;
    }
    stream.io(&logon.store).seek(SeekFrom::Start(new_position)).map_err(io_code)?;
    Ok(RopResponse::SeekStream(Outcome::ok(q.input_handle_index, SeekStreamResponse { new_position })))
}

/// RopCopyToStream (MS-OXCPRPT 3.2.5.19): copies `ByteCount` bytes (fewer at the end of the
/// source) from the source's seek pointer to the destination's, one chunk at a time. An empty
/// destination slot → ecDstNullObject with `DestHandleIndex`; a read-only destination →
/// STG_E_ACCESSDENIED; growing it past [`MAX_STREAM_SIZE`] → ecTooBig.
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
            let StreamObject { logon, stream, .. } = stream_mut(rs, slots, src)?;
            stream.io(&logon.store).read(&mut buf).map_err(io_code)?
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
