//! One PST writer per file per process, shared by every session's store on that file (as
//! MAPI's PST provider is shared by the process that loads it): `oxmapi import --jobs` writes
//! through several sessions at once, and a second writer of the same file in the same process
//! would wait forever on the lock the first holds. Changes are serialised by the mutex; the
//! generation counts commits, and the writer keeps what each of the last [`MAX_DELTA_LOG`]
//! commits changed in the B-trees, so a store whose reader predates another store's commit
//! follows it before it answers — applying the deltas, or reading the file again when it is
//! further behind than the log reaches.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use oxmapi_pst::pst::PstError;
use oxmapi_pst::pst::ndb::NdbDelta;
use oxmapi_pst::pst::write::PstWriter;

/// The most commits whose B-tree changes a shared writer keeps for stores that have not
/// followed them yet; a store further behind reads the file again.
pub const MAX_DELTA_LOG: usize = 256;

/// The writer of one file, opened by the first change (it then holds the file's flock until the
/// last store on the file closes).
pub(crate) struct SharedWriter {
    path: PathBuf,
    writer: Mutex<Option<PstWriter>>,
    generation: AtomicU64,
    /// (generation, what that commit changed), oldest first, at most [`MAX_DELTA_LOG`].
    log: Mutex<VecDeque<(u64, Arc<NdbDelta>)>>,
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
            log: Mutex::new(VecDeque::new()),
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
            let mut w = PstWriter::open(&self.path)?;
            w.record_changes();
            *g = Some(w);
        }
        Ok(WriterGuard { guard: g, shared: self })
    }

    /// What the commits after generation `seen` up to `now` changed, in order; `None` when
    /// the log no longer holds one of them (the reader must read the file again).
    pub(crate) fn deltas(&self, seen: u64, now: u64) -> Option<Vec<Arc<NdbDelta>>> {
        let log = self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let wanted: Vec<_> =
            log.iter().filter(|(g, _)| *g > seen && *g <= now).map(|(_, d)| d.clone()).collect();
        (wanted.len() as u64 == now.saturating_sub(seen)).then_some(wanted)
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

    /// Records a commit and what it changed (taken from the writer): every store on the file
    /// follows it before its next answer. Returns the new generation.
    pub(crate) fn committed(&mut self) -> u64 {
        let delta = self.get().take_delta();
        let mut log = self.shared.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let generation = self.shared.generation.load(Ordering::Acquire) + 1;
        match delta {
            Some(d) => {
                if log.len() == MAX_DELTA_LOG {
                    log.pop_front();
                }
                log.push_back((generation, Arc::new(d)));
            }
            // Not recorded (cannot happen for a writer opened by `lock`): nothing to follow,
            // so every store reads the file again.
            None => log.clear(),
        }
        self.shared.generation.store(generation, Ordering::Release);
        generation
    }

    /// Drops the writer with whatever it had begun and not committed (and the file's lock);
    /// the next change opens the file again at its last commit.
    pub(crate) fn abandon(&mut self) {
        *self.guard = None;
        // A commit that failed after its header was written may still have landed: every
        // store reads the file again (no delta reaches across this generation).
        let mut log = self.shared.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        log.clear();
        let generation = self.shared.generation.load(Ordering::Acquire) + 1;
        self.shared.generation.store(generation, Ordering::Release);
    }
}
