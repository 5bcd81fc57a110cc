//! Region locks on streams: RopLockRegionStream and RopUnlockRegionStream (MS-OXCPRPT 2.2.24,
//! 2.2.25, 3.2.5.21, 3.2.5.22).
//!
//! A lock covers `[RegionOffset, RegionOffset + RegionSize)` of one property of one object
//! (a region may lie beyond the end of the stream; one reaching past 2^64 ends there).
//! `LockFlags` 0x00000001 (LOCK_WRITE) lets other streams read the region but not write it; any
//! other value (LOCK_EXCLUSIVE, LOCK_ONLYONCE…) keeps them from both (MS-OXCPRPT 2.2.24.1).
//!
//! **Owner.** The spec says a lock is owned by the session that took it; here the owner is the
//! stream object that took it together with its clones (RopCloneStream; IStream::Clone:
//! "range locking is shared between the stream objects"). Two streams opened separately on the
//! same property — in two sessions, or twice in one — exclude each other; clones do not.
//!
//! **Which streams meet.** Locks are kept server-wide, by what the stream is a stream of
//! ([`Target`]): a property of a saved message (or of one of its attachments) of a mailbox is
//! the same target for every session that opens it; a property of a message that is not saved
//! yet, or of an embedded message, is known only through the object it was opened on.
//!
//! **How long a lock lasts.** Until RopUnlockRegionStream, until the stream and all its clones
//! are released (or their session ends), or until it expires: when another stream runs into it
//! (a lock request, a read or a write of the region) and the owner has not used the stream for
//! [`LOCK_EXPIRY`] (30 s, MS-OXCPRPT 3.2.5.21's "last activity time … greater than 30 seconds").
//! An expired lock is dropped, its owner's pending changes are discarded and the owner's next
//! ROP on the stream fails with NetworkError (0x80040115) — see
//! [`super::handles::StreamObject::discard_if_expired`]. A live lock refuses a conflicting lock
//! request, and a conflicting read or write, with AccessDenied (0x80070005), the code the spec
//! names for a refused lock.
//!
//! Exchange 2010 and later do not implement these ROPs (MS-OXCPRPT <15>, <16>) and neither
//! does gromox (`exch/emsmdb/oxcprpt.cpp` rop_lockregionstream / rop_unlockregionstream answer
//! NotImplemented "just like exchange 2010 or later"); the behaviour here is the spec's text.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;

/// How long a lock holds against other streams after its owner last used the stream
/// (MS-OXCPRPT 3.2.5.21).
pub const LOCK_EXPIRY: Duration = Duration::from_secs(30);

/// The most region locks one stream (with its clones) may hold at once; one more is refused
/// with MAPI_E_NOT_ENOUGH_RESOURCES (0x8004010E). Each lock is checked on every read and write
/// of the property, so the list stays short; a client that needs more unlocks first.
pub const MAX_REGION_LOCKS: usize = 64;

/// `LockFlags` of RopLockRegionStream (MS-OXCPRPT 2.2.24.1).
pub mod lock_flags {
    /// LOCK_WRITE: others may read the region, not write it. Any other value locks reads too.
    pub const WRITE: u32 = 0x0000_0001;
}

/// What a stream is a stream of, for locking.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A property of a saved top-level message (`attach`: of its attachment) of a mailbox
    /// (the address of the mailbox's shared store object, alive while any stream holds it).
    Saved {
        /// The mailbox's store.
        mailbox: usize,
        /// The message.
        mid: u64,
        /// The attachment number, for an attachment's property.
        attach: Option<u32>,
        /// The property id.
        prop: u16,
    },
    /// A property of the object a stream was opened on (the address of its shared draft).
    Draft {
        /// The draft.
        draft: usize,
        /// The property id.
        prop: u16,
    },
}

/// Which access to a region a ROP needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading (blocked by exclusive locks of others).
    Read,
    /// Writing (blocked by any lock of others).
    Write,
}

/// One granted lock.
struct RegionLock {
    owner: u64,
    start: u64,
    end: u64,
    exclusive: bool,
    holder: Weak<OwnerState>,
}

/// A lock owner's state, shared with the registry's locks (which see its activity and mark it
/// expired).
struct OwnerState {
    id: u64,
    last_activity: Mutex<Instant>,
    expired: AtomicBool,
}

/// The locks of every target, server-wide.
static REGISTRY: LazyLock<Mutex<HashMap<Target, Vec<RegionLock>>>> = LazyLock::new(Default::default);
/// The next owner id.
static NEXT_OWNER: AtomicU64 = AtomicU64::new(1);

fn registry() -> MutexGuard<'static, HashMap<Target, Vec<RegionLock>>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A stream family as a lock owner; dropping it (the last clone released) drops its locks.
pub struct LockOwner {
    target: Target,
    state: Arc<OwnerState>,
}

/// The region `[offset, offset + size)`, ending at 2^64 at the latest.
fn region(offset: u64, size: u64) -> (u64, u64) {
    (offset, offset.saturating_add(size))
}

impl LockOwner {
    /// A new owner of locks on `target` (one per RopOpenStream).
    pub fn new(target: Target) -> LockOwner {
        let state = Arc::new(OwnerState {
            id: NEXT_OWNER.fetch_add(1, Ordering::Relaxed),
            last_activity: Mutex::new(Instant::now()),
            expired: AtomicBool::new(false),
        });
        LockOwner { target, state }
    }

    /// Records that the owner used the stream now.
    pub fn touch(&self) {
        *self.state.last_activity.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// True once (then false) after another stream found one of this owner's locks expired.
    pub fn take_expired(&self) -> bool {
        self.state.expired.swap(false, Ordering::AcqRel)
    }

    /// RopLockRegionStream (MS-OXCPRPT 3.2.5.21): grants the lock unless a live lock of another
    /// owner overlaps it (AccessDenied); expired ones are dropped first. A region of 0 bytes
    /// locks nothing.
    pub fn lock(&self, offset: u64, size: u64, flags: u32) -> Result<(), ErrorCode> {
        self.lock_at(offset, size, flags, Instant::now())
    }

    fn lock_at(&self, offset: u64, size: u64, flags: u32, now: Instant) -> Result<(), ErrorCode> {
        let (start, end) = region(offset, size);
        if start == end {
            return Ok(());
        }
        let mut reg = registry();
        let locks = reg.entry(self.target.clone()).or_default();
        self.clear_way(locks, start, end, Access::Write, true, now)?;
        if locks.iter().filter(|l| l.owner == self.state.id).count() >= MAX_REGION_LOCKS {
            return Err(codes::MAPI_E_NOT_ENOUGH_RESOURCES);
        }
        locks.push(RegionLock {
            owner: self.state.id,
            start,
            end,
            exclusive: flags != lock_flags::WRITE,
            holder: Arc::downgrade(&self.state),
        });
        Ok(())
    }

    /// RopUnlockRegionStream (MS-OXCPRPT 3.2.5.22): removes this owner's locks that overlap the
    /// region; the locks of others stay. Unlocking what is not locked succeeds.
    pub fn unlock(&self, offset: u64, size: u64) {
        let (start, end) = region(offset, size);
        let mut reg = registry();
        if let Some(locks) = reg.get_mut(&self.target) {
            locks.retain(|l| l.owner != self.state.id || !(l.start < end && start < l.end));
            if locks.is_empty() {
                reg.remove(&self.target);
            }
        }
    }

    /// Whether this owner may read or write `len` bytes at `offset` (AccessDenied when a live
    /// lock of another owner forbids it; expired ones are dropped).
    pub fn check(&self, offset: u64, len: u64, access: Access) -> Result<(), ErrorCode> {
        let (start, end) = region(offset, len);
        if start == end {
            return Ok(());
        }
        let mut reg = registry();
        let Some(locks) = reg.get_mut(&self.target) else { return Ok(()) };
        let r = self.clear_way(locks, start, end, access, false, Instant::now());
        if locks.is_empty() {
            reg.remove(&self.target);
        }
        r
    }

    /// Drops the expired locks of other owners that stand in the way of `access` to
    /// `[start, end)` (or, for a lock request, of any lock there) and fails with AccessDenied
    /// when a live one remains.
    fn clear_way(
        &self,
        locks: &mut Vec<RegionLock>,
        start: u64,
        end: u64,
        access: Access,
        locking: bool,
        now: Instant,
    ) -> Result<(), ErrorCode> {
        let in_way = |l: &RegionLock| {
            l.owner != self.state.id
                && l.start < end
                && start < l.end
                && (locking || access == Access::Write || l.exclusive)
        };
        let mut refused = false;
        locks.retain(|l| {
            if !in_way(l) {
                return true;
            }
            match l.holder.upgrade() {
                None => false,
                Some(h) => {
                    let idle = now.saturating_duration_since(
                        *h.last_activity.lock().unwrap_or_else(|e| e.into_inner()),
                    );
                    if idle > LOCK_EXPIRY {
                        h.expired.store(true, Ordering::Release);
                        false
                    } else {
                        refused = true;
                        true
                    }
                }
            }
        });
        if refused { Err(codes::MAPI_E_NO_ACCESS) } else { Ok(()) }
    }
}

impl Drop for LockOwner {
    /// The stream and all its clones are released: their locks go (MS-OXCPRPT 3.2.5.21,
    /// "locks released with the stream").
    fn drop(&mut self) {
        let mut reg = registry();
        if let Some(locks) = reg.get_mut(&self.target) {
            locks.retain(|l| l.owner != self.state.id);
            if locks.is_empty() {
                reg.remove(&self.target);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(n: usize) -> Target {
        Target::Draft { draft: usize::MAX - n, prop: 0x1000 }
    }

    #[test]
    fn an_idle_owners_lock_expires_after_thirty_seconds() {
        let (a, b) = (LockOwner::new(target(1)), LockOwner::new(target(1)));
        a.lock(0, 10, lock_flags::WRITE).unwrap();
        let now = Instant::now();
        assert_eq!(b.lock_at(5, 10, 2, now), Err(codes::MAPI_E_NO_ACCESS));
        assert!(!a.take_expired());
        b.lock_at(5, 10, 2, now + LOCK_EXPIRY + Duration::from_secs(1)).unwrap();
        assert!(a.take_expired(), "the expired owner learns it once");
        assert!(!a.take_expired());
        assert_eq!(a.check(6, 1, Access::Read), Err(codes::MAPI_E_NO_ACCESS), "b's lock is exclusive");
    }

    #[test]
    fn a_write_lock_lets_others_read_and_an_exclusive_one_does_not() {
        let (a, b) = (LockOwner::new(target(2)), LockOwner::new(target(2)));
        a.lock(100, 50, lock_flags::WRITE).unwrap();
        assert_eq!(b.check(120, 1, Access::Read), Ok(()));
        assert_eq!(b.check(149, 5, Access::Write), Err(codes::MAPI_E_NO_ACCESS));
        assert_eq!(b.check(150, 5, Access::Write), Ok(()), "the region ends before 150");
        assert_eq!(a.check(120, 10, Access::Write), Ok(()), "the owner writes its own region");
        a.unlock(0, u64::MAX);
        assert_eq!(b.check(120, 10, Access::Write), Ok(()));
    }

    #[test]
    fn dropping_the_owner_releases_its_locks_and_the_lock_count_is_bounded() {
        let b = LockOwner::new(target(3));
        {
            let a = LockOwner::new(target(3));
            for i in 0..MAX_REGION_LOCKS as u64 {
                a.lock(i * 10, 5, 2).unwrap();
            }
            assert_eq!(a.lock(u64::MAX - 1, u64::MAX, 2), Err(codes::MAPI_E_NOT_ENOUGH_RESOURCES));
            assert_eq!(b.check(0, 1, Access::Read), Err(codes::MAPI_E_NO_ACCESS));
        }
        assert_eq!(b.check(0, 1, Access::Read), Ok(()));
        assert!(!registry().contains_key(&target(3)));
    }
}
