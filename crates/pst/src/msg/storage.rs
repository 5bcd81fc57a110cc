//! The compound file under an MSG file ([MS-CFB], through the `cfb` crate): stream reads charged
//! to a budget the input's size sets, child listings, and copies of whole storages (the opaque
//! storage of an OLE attachment).

use std::io::{Cursor, Read, Seek, Write};

use cfb::CompoundFile;

use super::MsgError;
use super::layout::join;
use super::limits::{MAX_OLE_ENTRIES, READ_BUDGET_FACTOR, READ_BUDGET_SLACK};

/// One child of a storage.
pub struct Child {
    /// Its name.
    pub name: String,
    /// True for a stream, false for a storage.
    pub is_stream: bool,
}

/// A compound file opened for reading, with what is left of the read budget.
pub struct Source<'a> {
    cf: CompoundFile<Cursor<&'a [u8]>>,
    budget: u64,
    input_len: u64,
}

impl<'a> Source<'a> {
    /// Opens `bytes` as a compound file; the budget is [`READ_BUDGET_FACTOR`] × its size
    /// plus [`READ_BUDGET_SLACK`].
    pub fn open(bytes: &'a [u8]) -> Result<Source<'a>, MsgError> {
        let cf = CompoundFile::open(Cursor::new(bytes)).map_err(|e| MsgError::Cfb(e.to_string()))?;
        let budget =
            (bytes.len() as u64).saturating_mul(READ_BUDGET_FACTOR).saturating_add(READ_BUDGET_SLACK);
        Ok(Source { cf, budget, input_len: bytes.len() as u64 })
    }

    /// The children of storage `path`, in directory order.
    pub fn children(&self, path: &str) -> Result<Vec<Child>, MsgError> {
        let entries = self.cf.read_storage(path).map_err(|e| MsgError::Cfb(e.to_string()))?;
        Ok(entries.map(|e| Child { name: e.name().to_string(), is_stream: e.is_stream() }).collect())
    }

    /// True when `path` is a stream.
    pub fn is_stream(&self, path: &str) -> bool {
        self.cf.is_stream(path)
    }

    /// True when `path` is a storage.
    pub fn is_storage(&self, path: &str) -> bool {
        self.cf.is_storage(path)
    }

    /// The bytes of stream `path`, or `None` when there is no such stream or it is damaged
    /// (declared longer than the whole file, or its sector chain broken): a damaged value is
    /// left out rather than the whole file refused. Charged to the budget; the declared length
    /// alone never sizes an allocation.
    pub fn stream(&mut self, path: &str) -> Result<Option<Vec<u8>>, MsgError> {
        if !self.cf.is_stream(path) {
            return Ok(None);
        }
        let Ok(mut s) = self.cf.open_stream(path) else { return Ok(None) };
        let declared = s.len();
        if declared > self.input_len {
            return Ok(None);
        }
        if declared > self.budget {
            return Err(MsgError::Limit {
                what: "stream bytes read (budget set by the file size)",
                limit: self.budget,
            });
        }
        let mut out = Vec::with_capacity(declared.min(64 * 1024) as usize);
        let read = (&mut s).take(declared).read_to_end(&mut out);
        self.budget = self.budget.saturating_sub(out.len() as u64);
        Ok(read.ok().map(|_| out))
    }

    /// The storage at `path` copied into a compound file of its own (its streams, sub-storages
    /// and CLSIDs), for an OLE attachment kept opaque.
    pub fn storage_copy(&mut self, path: &str) -> Result<Vec<u8>, MsgError> {
        let mut dst = CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
        let clsid = *self.cf.entry(path).map_err(|e| MsgError::Cfb(e.to_string()))?.clsid();
        dst.set_storage_clsid("/", clsid)?;
        let mut entries = 0usize;
        self.copy_into(path, &mut dst, "/", &mut entries, 0)?;
        dst.flush()?;
        Ok(dst.into_inner().into_inner())
    }

    fn copy_into<W: Read + Write + Seek>(
        &mut self,
        src: &str,
        dst: &mut CompoundFile<W>,
        dst_path: &str,
        entries: &mut usize,
        depth: usize,
    ) -> Result<(), MsgError> {
        if depth > super::limits::MAX_EMBEDDING_DEPTH {
            return Err(MsgError::Limit {
                what: "OLE storage depth",
                limit: super::limits::MAX_EMBEDDING_DEPTH as u64,
            });
        }
        for child in self.children(src)? {
            *entries += 1;
            if *entries > MAX_OLE_ENTRIES {
                return Err(MsgError::Limit {
                    what: "entries of an OLE storage",
                    limit: MAX_OLE_ENTRIES as u64,
                });
            }
            let from = join(src, &child.name);
            let to = join(dst_path, &child.name);
            if child.is_stream {
                let bytes = self.stream(&from)?.unwrap_or_default();
                dst.create_stream(&to)?.write_all(&bytes)?;
            } else {
                dst.create_storage(&to)?;
                if let Ok(e) = self.cf.entry(&from) {
                    dst.set_storage_clsid(&to, *e.clsid())?;
                }
                self.copy_into(&from, dst, &to, entries, depth + 1)?;
            }
        }
        Ok(())
    }
}

/// A compound file being written in memory.
pub struct Sink {
    cf: CompoundFile<Cursor<Vec<u8>>>,
}

impl Sink {
    /// An empty compound file (version 3, 512-byte sectors, as Outlook writes MSG files).
    pub fn new() -> Result<Sink, MsgError> {
        Ok(Sink { cf: CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))? })
    }

    /// Sets the CLSID of storage `path`.
    pub fn set_clsid(&mut self, path: &str, clsid: [u8; 16]) -> Result<(), MsgError> {
        self.cf.set_storage_clsid(path, uuid::Uuid::from_bytes_le(clsid))?;
        Ok(())
    }

    /// Creates storage `path`.
    pub fn storage(&mut self, path: &str) -> Result<(), MsgError> {
        self.cf.create_storage(path)?;
        Ok(())
    }

    /// Creates stream `path` holding `bytes`.
    pub fn stream(&mut self, path: &str, bytes: &[u8]) -> Result<(), MsgError> {
        self.cf.create_stream(path)?.write_all(bytes)?;
        Ok(())
    }

    /// Copies the contents of compound file `bytes` (an OLE attachment's storage) under storage
    /// `path`, which must exist.
    pub fn paste(&mut self, path: &str, bytes: &[u8]) -> Result<(), MsgError> {
        let mut src = Source::open(bytes)?;
        let clsid = *src.cf.root_entry().clsid();
        self.cf.set_storage_clsid(path, clsid)?;
        let mut entries = 0usize;
        src.copy_into("/", &mut self.cf, path, &mut entries, 0)
    }

    /// The file's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, MsgError> {
        self.cf.flush()?;
        Ok(self.cf.into_inner().into_inner())
    }
}
