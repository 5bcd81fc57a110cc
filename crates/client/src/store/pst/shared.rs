//! One PST writer per file per process, shared by every session's store on that file (as
//! MAPI's PST provider is shared by the process that loads it): `oxmapi import --jobs` writes
//! through several sessions at once, and a second writer of the same file in the same process
//! would wait forever on the lock the first holds. Changes are serialised by the mutex; the
//! generation counts commits, so a store whose reader predates another store's commit reads the
//! file again before it answers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use oxmapi_pst::pst::PstError;
use oxmapi_pst::pst::write::PstWriter;

/// The writer of one file, opened by the first change (it then holds the file's flock until the
/// last store on the file closes).
pub(crate) struct SharedWriter {
    path: PathBuf,
    writer: Mutex<Option<PstWriter>>,
    generation: AtomicU64,
}

fn registry() -> &'static Mutex<HashMap<PathBuf, Weak<SharedWriter>>> {
    static OPEN: OnceLock<Mutex<HashMap<PathBuf, Weak<SharedWriter>>>> = OnceLock::new();
    OPEN.get_or_init(Default::default)
}

impl SharedWriter {
    /// The shared writer of the file at `path` (by its canonical path), made on first use; no
    /// file is opened for writing yet.
    pub(crate) fn of(path: &Path) -> Arc<SharedWriter> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut open = registry().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        open.retain(|_, w| w.strong_count() > 0);
        if let Some(w) = open.get(&key).and_then(Weak::upgrade) {
            return w;
        }
        let w = Arc::new(SharedWriter {
            path: key.clone(),
            writer: Mutex::new(None),
            generation: AtomicU64::new(0),
        });
        open.insert(key, Arc::downgrade(&w));
        w
    }

    /// Commits made through this writer so far.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The writer, opened (and the file locked) if it is not open yet.
    pub(crate) fn lock(&self) -> Result<WriterGuard<'_>, PstError> {
        let mut g = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if g.is_none() {
            *g = Some(PstWriter::open(&self.path)?);
        }
        Ok(WriterGuard { guard: g, shared: self })
    }

    /// The names the writer maps now, when it is open (pending ones included).
    pub(crate) fn names(&self) -> Option<std::collections::BTreeMap<u16, oxmapi_core::named::PropertyName>> {
        let g = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        g.as_ref().map(|w| w.named_properties().clone())
    }
}

/// The locked writer of a file.
pub(crate) struct WriterGuard<'a> {
    guard: MutexGuard<'a, Option<PstWriter>>,
    shared: &'a SharedWriter,
}

impl WriterGuard<'_> {
    /// The writer.
    pub(crate) fn get(&mut self) -> &mut PstWriter {
        self.guard.as_mut().expect("opened by SharedWriter::lock")
    }

    /// Records a commit: every store on the file reads it again.
    pub(crate) fn committed(&mut self) -> u64 {
        self.shared.generation.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Drops the writer with whatever it had begun and not committed (and the file's lock);
    /// the next change opens the file again at its last commit.
    pub(crate) fn abandon(&mut self) {
        *self.guard = None;
    }
}
