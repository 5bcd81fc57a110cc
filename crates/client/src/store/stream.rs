//! IStream over the stream ROPs (MS-OXCPRPT 3.1.4.3–3.1.4.5): a property of a message,
//! attachment or folder opened as a stream, with std [`Read`], [`Write`] and [`Seek`].
//! Writes are buffered into WriteStream ROPs that fill a request buffer; reads ask for as much
//! as the caller wants with `ByteCount` 0xBABE and the server answers what fits.

use std::io::{self, Read, Seek, SeekFrom, Write};

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::rop::oxcprpt::{
    BABE, HandleRequest, OpenStreamRequest, ReadStreamRequest, SeekStreamRequest, SetStreamSizeRequest,
    WriteStreamRequest,
};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::object::ObjectHandle;
use crate::profile::MapiResult;

/// Bytes sent per RopWriteStream: what one request buffer carries with room for the headers
/// (MS-OXCMAPIHTTP 2.2.4.2: the request ROP buffer is at most 32 KB).
const WRITE_CHUNK: usize = 0x7000;
/// Most bytes asked for by one RopReadStream (the response takes what fits).
const READ_CHUNK: u32 = 0x3_0000;

/// RopOpenStream `OpenModeFlags` (MS-OXCPRPT 2.2.14.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamMode {
    /// Read only (0x00).
    ReadOnly,
    /// Read and write an existing property (0x01).
    ReadWrite,
    /// Create or replace the property (0x02).
    Create,
}

impl StreamMode {
    fn flags(self) -> u8 {
        match self {
            StreamMode::ReadOnly => 0x00,
            StreamMode::ReadWrite => 0x01,
            StreamMode::Create => 0x02,
        }
    }
}

/// An open stream.
pub struct Stream {
    obj: ObjectHandle,
    size: u64,
    pos: u64,
    pending: Vec<u8>,
}

/// A MAPI error as an I/O error (the code stays in the message).
pub(crate) fn mapi_to_io(e: MapiError) -> io::Error {
    io::Error::other(e)
}

/// An I/O error from a stream back as a MAPI error.
pub(crate) fn io_to_mapi(e: io::Error) -> MapiError {
    match e.into_inner().map(|inner| inner.downcast::<MapiError>()) {
        Some(Ok(m)) => *m,
        Some(Err(other)) => MapiError::new(codes::MAPI_E_CALL_FAILED, other.to_string()),
        None => MapiError::new(codes::MAPI_E_CALL_FAILED, "stream I/O failed"),
    }
}

impl Stream {
    /// RopOpenStream on the property `tag` of `parent`.
    pub(crate) fn open(parent: &ObjectHandle, tag: PropTag, mode: StreamMode) -> MapiResult<Stream> {
        let logon_id = parent.logon_id();
        let mut out = 0;
        let mut c = parent.call(|b, slot| {
            let output_handle_index = b.output();
            out = output_handle_index;
            Ok(b.push(RopRequest::OpenStream(OpenStreamRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index,
                property_tag: tag,
                open_mode_flags: mode.flags(),
            })))
        })?;
        let body = expect_rop!(c.result.take(c.value)?, OpenStream)?;
        let obj = parent.child(&c, out)?;
        Ok(Stream { obj, size: body.stream_size as u64, pos: 0, pending: Vec::new() })
    }

    /// The stream's size (RopGetStreamSize), counting unsent writes.
    pub fn size(&mut self) -> MapiResult<u64> {
        self.flush_pending()?;
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::GetStreamSize(HandleRequest { logon_id, input_handle_index: slot })))
        })?;
        self.size = expect_rop!(c.result.take(c.value)?, GetStreamSize)?.stream_size as u64;
        Ok(self.size)
    }

    /// IStream::SetSize (RopSetStreamSize).
    pub fn set_size(&mut self, size: u64) -> MapiResult<()> {
        self.flush_pending()?;
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::SetStreamSize(SetStreamSizeRequest {
                logon_id,
                input_handle_index: slot,
                stream_size: size,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, SetStreamSize)?;
        self.size = size;
        Ok(())
    }

    /// IStream::Commit (RopCommitStream): the content becomes the property value of the open
    /// object (saving the object makes it durable).
    pub fn commit(&mut self) -> MapiResult<()> {
        self.flush_pending()?;
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::CommitStream(HandleRequest { logon_id, input_handle_index: slot })))
        })?;
        expect_rop!(c.result.take(c.value)?, CommitStream)?;
        Ok(())
    }

    fn flush_pending(&mut self) -> MapiResult<()> {
        while !self.pending.is_empty() {
            let n = self.pending.len().min(WRITE_CHUNK);
            let data: Vec<u8> = self.pending[..n].to_vec();
            let logon_id = self.obj.logon_id();
            let mut c = self.obj.call(|b, slot| {
                Ok(b.push(RopRequest::WriteStream(WriteStreamRequest {
                    logon_id,
                    input_handle_index: slot,
                    data: data.clone(),
                })))
            })?;
            let written = expect_rop!(c.result.take(c.value)?, WriteStream)?.written_size as usize;
            if written == 0 {
                return Err(MapiError::new(
                    codes::MAPI_E_NOT_ENOUGH_DISK,
                    "the server accepted no bytes of a stream write",
                ));
            }
            self.pending.drain(..written.min(n));
        }
        Ok(())
    }

    fn read_some(&mut self, want: usize) -> MapiResult<Vec<u8>> {
        self.flush_pending()?;
        let logon_id = self.obj.logon_id();
        let max = (want as u32).min(READ_CHUNK);
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::ReadStream(ReadStreamRequest {
                logon_id,
                input_handle_index: slot,
                byte_count: BABE,
                maximum_byte_count: Some(max),
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, ReadStream)?.data)
    }

    fn seek_to(&mut self, origin: u8, offset: i64) -> MapiResult<u64> {
        self.flush_pending()?;
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::SeekStream(SeekStreamRequest {
                logon_id,
                input_handle_index: slot,
                origin,
                offset,
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, SeekStream)?.new_position)
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let data = self.read_some(buf.len()).map_err(mapi_to_io)?;
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pos += buf.len() as u64;
        self.size = self.size.max(self.pos);
        if self.pending.len() >= WRITE_CHUNK {
            // Send whole chunks; keep the tail for the next write.
            let tail = self.pending.len() % WRITE_CHUNK;
            let rest = self.pending.split_off(self.pending.len() - tail);
            self.flush_pending().map_err(mapi_to_io)?;
            self.pending = rest;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_pending().map_err(mapi_to_io)
    }
}

impl Seek for Stream {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let (origin, offset) = match to {
            SeekFrom::Start(p) => (0u8, i64::try_from(p).map_err(|_| io::Error::other("seek past 2^63"))?),
            SeekFrom::Current(d) => (1, d),
            SeekFrom::End(d) => (2, d),
        };
        self.pos = self.seek_to(origin, offset).map_err(mapi_to_io)?;
        Ok(self.pos)
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        // Unsent bytes go out before the release (which commits on the server).
        if let Err(e) = self.flush_pending() {
            tracing::warn!(error = %e, "writing the end of a stream failed");
        }
    }
}
