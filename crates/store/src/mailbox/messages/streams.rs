//! Property streams (MS-OXCPRPT 2.2.14 RopOpenStream, 2.2.15 RopReadStream, 2.2.16
//! RopWriteStream, 2.2.17 RopCommitStream, 2.2.18 RopGetStreamSize, 2.2.19 RopSetStreamSize,
//! 2.2.20 RopSeekStream).
//!
//! A [`StoreStream`] reads and writes the stream form of one string or binary property of an
//! open message or attachment. Writes go to a pending blob of the object's workspace, one 64 KiB
//! chunk at a time (the stream caches one chunk), so a value of any size passes through memory
//! once, in pieces. RopCommitStream ([`MessageStore::commit_stream`]) makes the written value the
//! object's property value; the object's save makes it durable. A committed blob is shared with
//! the object, so the next write copies it first (inside SQLite) and the object keeps what was
//! committed. Streams hold no reference to the store: [`StoreStream::io`] pairs one with its
//! store for `std::io::{Read, Write, Seek}`.

use std::io::{self, Read, Seek, SeekFrom, Write};

use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::INLINE_LIMIT;
use super::blobs::{self, CHUNK};
use super::draft::{BlobRef, DraftValue, Object, ObjectMut};
use crate::error::{StoreError, StoreResult};
use crate::mailbox::MessageStore;
use crate::mailbox::commit::Durability;

/// `OpenModeFlags` of RopOpenStream (MS-OXCPRPT 2.2.14.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamMode {
    /// 0x00 ReadOnly: the property must exist.
    ReadOnly,
    /// 0x01 ReadWrite (also 0x03 BestAccess): the property must exist.
    ReadWrite,
    /// 0x02 Create: the stream starts empty and replaces the value on commit; the only mode for
    /// a property that is not set.
    Create,
}

impl StreamMode {
    /// The mode for an `OpenModeFlags` byte; `None` for undefined values.
    pub fn from_open_mode_flags(flags: u8) -> Option<StreamMode> {
        match flags {
            0x00 => Some(StreamMode::ReadOnly),
            0x01 | 0x03 => Some(StreamMode::ReadWrite),
            0x02 => Some(StreamMode::Create),
            _ => None,
        }
    }
}

enum Backing {
    /// A read-only view of a small value.
    Memory(Vec<u8>),
    /// A blob (`None`: none yet, the value is empty); `own` when this stream made it and may
    /// write it in place.
    Blob { id: Option<i64>, own: bool },
}

struct Chunk {
    seq: u64,
    data: Vec<u8>,
    dirty: bool,
}

/// An open property stream.
pub struct StoreStream {
    tag: PropTag,
    mode: StreamMode,
    workspace: i64,
    backing: Backing,
    size: u64,
    pos: u64,
    cache: Option<Chunk>,
    changed: bool,
}

fn io_err(e: StoreError) -> io::Error {
    let kind = match &e {
        StoreError::AccessDenied(_) => io::ErrorKind::PermissionDenied,
        StoreError::InvalidParameter(_) => io::ErrorKind::InvalidInput,
        StoreError::NotFound(_) | StoreError::ObjectChanged(_) => io::ErrorKind::NotFound,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, e)
}

impl StoreStream {
    /// The property tag the stream was opened with (its type is the value's type).
    pub fn tag(&self) -> PropTag {
        self.tag
    }

    /// The open mode.
    pub fn mode(&self) -> StreamMode {
        self.mode
    }

    /// RopGetStreamSize: the current size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The seek pointer.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// True when written to since opened or last committed.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// Pairs the stream with its store for `Read`, `Write` and `Seek`.
    pub fn io<'a>(&'a mut self, store: &'a MessageStore) -> StreamIo<'a> {
        StreamIo { store, stream: self }
    }

    fn writable(&self) -> StoreResult<()> {
        match self.mode {
            StreamMode::ReadOnly => {
                Err(StoreError::AccessDenied(format!("the stream on {} was opened read-only", self.tag)))
            }
            _ => Ok(()),
        }
    }

    /// Writes the cached chunk back if it changed.
    fn flush_cache(&mut self, store: &MessageStore) -> StoreResult<()> {
        let Some(c) = self.cache.as_mut().filter(|c| c.dirty) else { return Ok(()) };
        let Backing::Blob { id: Some(id), own: true } = self.backing else {
            return Err(StoreError::Failed("stream cache is dirty without an own blob".into()));
        };
        store.write(Durability::Normal, |tx| blobs::write_chunk(tx, id, c.seq, &c.data, self.size))?;
        c.dirty = false;
        Ok(())
    }

    /// Makes the backing a blob this stream owns: creates one for an empty value, copies a
    /// shared one (its first `keep` bytes).
    fn own_blob(&mut self, store: &MessageStore, keep: u64) -> StoreResult<i64> {
        self.writable()?;
        let Backing::Blob { id, own } = self.backing else {
            return Err(StoreError::Failed("a writable stream is backed by memory".into()));
        };
        if let (Some(id), true) = (id, own) {
            return Ok(id);
        }
        let new = store.write(Durability::Normal, |tx| match id {
            Some(shared) => blobs::copy(tx, shared, self.workspace, keep.min(self.size)),
            None => blobs::create(tx, self.workspace),
        })?;
        self.backing = Backing::Blob { id: Some(new), own: true };
        Ok(new)
    }

    /// Loads chunk `seq` into the cache (flushing the one there).
    fn load_chunk(&mut self, store: &MessageStore, seq: u64) -> StoreResult<()> {
        if self.cache.as_ref().is_some_and(|c| c.seq == seq) {
            return Ok(());
        }
        self.flush_cache(store)?;
        let data = match &self.backing {
            Backing::Blob { id: Some(id), .. } => blobs::read_chunk(&*store.lock()?, *id, seq)?,
            _ => Vec::new(),
        };
        self.cache = Some(Chunk { seq, data, dirty: false });
        Ok(())
    }

    fn read_into(&mut self, store: &MessageStore, buf: &mut [u8]) -> StoreResult<usize> {
        let n = (buf.len() as u64).min(self.size.saturating_sub(self.pos)) as usize;
        if n == 0 {
            return Ok(0);
        }
        if let Backing::Memory(bytes) = &self.backing {
            let start = self.pos as usize;
            buf[..n].copy_from_slice(&bytes[start..start + n]);
            self.pos += n as u64;
            return Ok(n);
        }
        let mut done = 0;
        while done < n {
            let seq = self.pos / CHUNK;
            self.load_chunk(store, seq)?;
            let c = self.cache.as_ref().expect("chunk just loaded");
            let off = (self.pos - seq * CHUNK) as usize;
            let take = (n - done).min(CHUNK as usize - off);
            for (i, b) in buf[done..done + take].iter_mut().enumerate() {
                *b = c.data.get(off + i).copied().unwrap_or(0);
            }
            done += take;
            self.pos += take as u64;
        }
        Ok(n)
    }

    fn write_from(&mut self, store: &MessageStore, buf: &[u8]) -> StoreResult<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let end =
            self.pos.checked_add(buf.len() as u64).filter(|e| *e <= i64::MAX as u64).ok_or_else(|| {
                StoreError::InvalidParameter("the stream would grow past 2^63 bytes".into())
            })?;
        self.own_blob(store, u64::MAX)?;
        let mut done = 0;
        while done < buf.len() {
            let seq = self.pos / CHUNK;
            self.load_chunk(store, seq)?;
            let off = (self.pos - seq * CHUNK) as usize;
            let take = (buf.len() - done).min(CHUNK as usize - off);
            let c = self.cache.as_mut().expect("chunk just loaded");
            if c.data.len() < off + take {
                c.data.resize(off + take, 0);
            }
            c.data[off..off + take].copy_from_slice(&buf[done..done + take]);
            c.dirty = true;
            done += take;
            self.pos += take as u64;
        }
        self.size = self.size.max(end);
        self.changed = true;
        Ok(buf.len())
    }
}

/// A stream paired with its store: `Read`, `Write` and `Seek` (RopReadStream, RopWriteStream,
/// RopSeekStream). Seeking past the end is allowed; writing there fills the gap with zeros.
pub struct StreamIo<'a> {
    store: &'a MessageStore,
    stream: &'a mut StoreStream,
}

impl Read for StreamIo<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read_into(self.store, buf).map_err(io_err)
    }
}

impl Write for StreamIo<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write_from(self.store, buf).map_err(io_err)
    }

    /// Writes the cached chunk to the stream's pending blob (not a commit).
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush_cache(self.store).map_err(io_err)
    }
}

impl Seek for StreamIo<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let s = &mut *self.stream;
        let target = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::Current(d) => s.pos.checked_add_signed(d),
            SeekFrom::End(d) => s.size.checked_add_signed(d),
        };
        let target = target.filter(|t| *t <= i64::MAX as u64).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the stream")
        })?;
        s.pos = target;
        Ok(target)
    }
}

impl MessageStore {
    /// RopOpenStream (MS-OXCPRPT 2.2.14) on a PtypBinary, PtypString or PtypString8
    /// property of an open message or attachment. A string stored with the other string type
    /// is converted. Errors: another type → NotSupported; a computed property written →
    /// Computed; a missing property opened other than with Create → NotFound.
    pub fn open_stream<'a>(
        &self,
        obj: impl Into<Object<'a>>,
        tag: PropTag,
        mode: StreamMode,
    ) -> StoreResult<StoreStream> {
        let obj = obj.into();
        let ty = tag.prop_type().map_err(|e| StoreError::InvalidParameter(e.to_string()))?;
        if !blobs::streamable(ty) {
            return Err(StoreError::NotSupported(format!(
                "property {tag} is a {}, which cannot be opened as a stream",
                ty.ptyp_name()
            )));
        }
        let computed = match obj {
            Object::Message(_) => super::computed::is_computed_message(tag),
            Object::Attachment(_) => super::computed::is_computed_attachment(tag),
        };
        if computed && mode != StreamMode::ReadOnly {
            return Err(StoreError::Computed(format!("property {tag} is computed by the store")));
        }
        let tag = tag.without_mv_instance();
        let workspace = obj.workspace();
        let stream = |backing, size, changed| StoreStream {
            tag,
            mode,
            workspace,
            backing,
            size,
            pos: 0,
            cache: None,
            changed,
        };
        let current = match mode {
            StreamMode::Create => None,
            _ => obj.props().get(tag.id()).cloned(),
        };
        let bytes = match current {
            // MS-OXCPRPT 2.2.14.1: Create "is required for a property that has not been set".
            None if mode != StreamMode::Create => {
                return Err(StoreError::NotFound(format!(
                    "the object has no property {tag} (open it with Create)"
                )));
            }
            None => return Ok(stream(Backing::Blob { id: None, own: true }, 0, true)),
            Some(DraftValue::Blob(b)) if b.ty == ty => {
                return Ok(stream(Backing::Blob { id: Some(b.id), own: false }, b.size, false));
            }
            Some(DraftValue::Blob(b)) => {
                let raw = blobs::read_range(&*self.lock()?, b.id, 0, b.size)?;
                blobs::convert(PropValue::from_stream_bytes(b.ty, raw), ty).and_then(|v| v.stream_bytes())
            }
            Some(DraftValue::Inline(v)) => blobs::convert(v, ty).and_then(|v| v.stream_bytes()),
        };
        let bytes = bytes
            .ok_or_else(|| StoreError::NotFound(format!("the object's property {tag} has another type")))?;
        let size = bytes.len() as u64;
        if mode == StreamMode::ReadOnly {
            return Ok(stream(Backing::Memory(bytes), size, false));
        }
        let id = self.write(Durability::Normal, |tx| blobs::store_bytes(tx, workspace, &bytes))?;
        Ok(stream(Backing::Blob { id: Some(id), own: true }, size, false))
    }

    /// RopSetStreamSize (MS-OXCPRPT 2.2.19): truncates or extends (with zeros) the stream;
    /// the seek pointer stays.
    pub fn set_stream_size(&self, stream: &mut StoreStream, size: u64) -> StoreResult<()> {
        if size > i64::MAX as u64 {
            return Err(StoreError::InvalidParameter("stream size past 2^63 bytes".into()));
        }
        stream.flush_cache(self)?;
        let id = stream.own_blob(self, size)?;
        self.write(Durability::Normal, |tx| blobs::set_size(tx, id, size))?;
        stream.cache = None;
        stream.size = size;
        stream.changed = true;
        Ok(())
    }

    /// RopCommitStream (MS-OXCPRPT 2.2.17), also what releasing a written stream does: the
    /// stream's content becomes the object's property value (small values in memory, large ones
    /// by blob reference); the object's save makes it durable. A no-op for a read-only or
    /// unchanged stream.
    pub fn commit_stream<'a>(
        &self,
        stream: &mut StoreStream,
        obj: impl Into<ObjectMut<'a>>,
    ) -> StoreResult<()> {
        let mut obj = obj.into();
        if stream.mode == StreamMode::ReadOnly || !stream.changed {
            return Ok(());
        }
        if obj.as_ref().workspace() != stream.workspace {
            return Err(StoreError::InvalidParameter("the stream belongs to another object".into()));
        }
        stream.flush_cache(self)?;
        let ty = stream.tag.prop_type().unwrap_or(PropType::Binary);
        let value = match stream.backing {
            Backing::Blob { id: Some(id), .. } if stream.size > INLINE_LIMIT as u64 => {
                stream.backing = Backing::Blob { id: Some(id), own: false };
                DraftValue::Blob(BlobRef { id, size: stream.size, ty })
            }
            Backing::Blob { id: Some(id), .. } => {
                let bytes = blobs::read_range(&*self.lock()?, id, 0, stream.size)?;
                DraftValue::Inline(PropValue::from_stream_bytes(ty, bytes))
            }
            _ => DraftValue::Inline(PropValue::from_stream_bytes(ty, Vec::new())),
        };
        obj.props_mut().put(stream.tag.id(), value);
        stream.changed = false;
        Ok(())
    }
}
