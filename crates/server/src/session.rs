//! Session contexts (MS-OXCMAPIHTTP 3.2.5.x; protocol-facts §1.5): created by Connect, named by
//! the `MapiContext` cookie, guarded by the `MapiSequence` cookie (one request at a time, except
//! NotificationWait and PING), expired when idle, counted per user for `max-sessions-per-user`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxmapi_store::User;
use oxmapi_wire::mapihttp::common::ResponseCode;
use rand::RngCore;

use crate::rops::RopSession;

/// Cookie naming the session context.
pub const CONTEXT_COOKIE: &str = "MapiContext";
/// Cookie carrying the sequence token the next request must echo.
pub const SEQUENCE_COOKIE: &str = "MapiSequence";

/// Facts fixed when the context was created.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// The user who connected (the mailbox owner of the home logon).
    pub user: User,
    /// The authenticated identity (directory user name, lowercase); later requests must carry
    /// the same (else X-ResponseCode 10, MS-OXCMAPIHTTP 3.2.5.1).
    pub identity: String,
    /// The client's version from `X-ClientApplication`.
    pub client_version: [u16; 4],
    /// Connect `Flags`.
    pub connect_flags: u32,
    /// Connect `DefaultCodePage`.
    pub code_page: u32,
    /// Connect `LcidSort`.
    pub lcid_sort: u32,
    /// Connect `LcidString`.
    pub lcid_string: u32,
    /// Session index (`piCxr`, the SessionIndex of RopPending).
    pub index: u16,
    /// Idle time after which the context is destroyed.
    pub idle_timeout: Duration,
}

/// One session context.
pub struct Session {
    /// The `MapiContext` cookie value.
    pub id: String,
    /// Fixed facts.
    pub info: SessionInfo,
    last_active: Mutex<Instant>,
    busy: AtomicBool,
    in_flight: AtomicU32,
    sequence: Mutex<String>,
    /// ROP state (handle table). Locked by the one Execute running at a time.
    pub rops: Mutex<RopSession>,
    /// Woken when an event is queued (NotificationWait).
    pub notify: tokio::sync::Notify,
}

fn token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Marks a request as running; dropping it ends the request and refreshes the idle timer.
pub struct Activity {
    session: Arc<Session>,
    exclusive: bool,
}

impl Drop for Activity {
    fn drop(&mut self) {
        self.session.touch();
        self.session.in_flight.fetch_sub(1, Ordering::AcqRel);
        if self.exclusive {
            self.session.busy.store(false, Ordering::Release);
        }
    }
}

impl Session {
    /// Refreshes the idle timer.
    pub fn touch(&self) {
        *self.last_active.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// Milliseconds until the context expires if left idle (`X-ExpirationInfo`).
    pub fn expiration_ms(&self) -> u64 {
        self.info.idle_timeout.as_millis() as u64
    }

    fn expired(&self, now: Instant) -> bool {
        let last = *self.last_active.lock().unwrap_or_else(|e| e.into_inner());
        self.in_flight.load(Ordering::Acquire) == 0 && now.duration_since(last) > self.info.idle_timeout
    }

    /// Starts a request. Exclusive requests (everything but NotificationWait and PING) must
    /// present the current sequence token and may not overlap (X-ResponseCode 15 otherwise,
    /// MS-OXCMAPIHTTP 3.2.5.1); they get a new token to return in `Set-Cookie`.
    pub fn begin(
        self: &Arc<Self>,
        exclusive: bool,
        presented_sequence: Option<&str>,
    ) -> Result<(Activity, Option<String>), ResponseCode> {
        if exclusive {
            let seq = self.sequence.lock().unwrap_or_else(|e| e.into_inner());
            match presented_sequence {
                None => return Err(ResponseCode::MissingCookie),
                Some(s) if s != seq.as_str() => return Err(ResponseCode::InvalidSequence),
                Some(_) => {}
            }
            drop(seq);
            if self.busy.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_err() {
                return Err(ResponseCode::InvalidSequence);
            }
        }
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.touch();
        let next = exclusive.then(|| {
            let t = token();
            *self.sequence.lock().unwrap_or_else(|e| e.into_inner()) = t.clone();
            t
        });
        Ok((Activity { session: self.clone(), exclusive }, next))
    }

    /// The current sequence token (what Connect hands out).
    pub fn sequence(&self) -> String {
        self.sequence.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Why a context could not be created.
#[derive(Debug, PartialEq, Eq)]
pub enum CreateError {
    /// The user already has `max` contexts (ecTooManySessions / MAPI_E_SESSION_LIMIT).
    SessionLimit {
        /// The configured cap.
        max: u32,
    },
}

/// Every live session context.
#[derive(Default)]
pub struct SessionTable {
    map: Mutex<HashMap<String, Arc<Session>>>,
    next_index: AtomicU32,
}

impl SessionTable {
    /// Creates a context unless the user is at `max_per_user` (checked and inserted atomically).
    pub fn create(&self, mut info: SessionInfo, max_per_user: u32) -> Result<Arc<Session>, CreateError> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, s| !s.expired(now));
        let mine = map.values().filter(|s| s.info.user.id == info.user.id).count();
        if mine >= max_per_user as usize {
            return Err(CreateError::SessionLimit { max: max_per_user });
        }
        info.index = (self.next_index.fetch_add(1, Ordering::Relaxed) % 0xFFFF) as u16 + 1;
        let s = Arc::new(Session {
            id: token(),
            info,
            last_active: Mutex::new(now),
            busy: AtomicBool::new(false),
            in_flight: AtomicU32::new(0),
            sequence: Mutex::new(token()),
            rops: Mutex::new(RopSession::default()),
            notify: tokio::sync::Notify::new(),
        });
        map.insert(s.id.clone(), s.clone());
        Ok(s)
    }

    /// The live context named `id` (an expired one is removed and not returned).
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let s = map.get(id)?.clone();
        if s.expired(Instant::now()) {
            map.remove(id);
            return None;
        }
        Some(s)
    }

    /// Destroys a context (Disconnect, or a reconnecting Connect).
    pub fn remove(&self, id: &str) -> Option<Arc<Session>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).remove(id)
    }

    /// Destroys every context (what a restart does); returns how many. Clients reconnect after
    /// X-ResponseCode 10.
    pub fn clear(&self) -> usize {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.len();
        map.clear();
        n
    }

    /// Destroys idle contexts; returns how many.
    pub fn reap(&self) -> usize {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let before = map.len();
        let now = Instant::now();
        map.retain(|_, s| !s.expired(now));
        before - map.len()
    }

    /// Number of live contexts.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Server objects open across every context (handle-table entries), for leak checks and
    /// metrics.
    pub fn object_count(&self) -> usize {
        let sessions: Vec<Arc<Session>> =
            self.map.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        sessions.iter().map(|s| s.rops.lock().unwrap_or_else(|e| e.into_inner()).handles.len()).sum()
    }

    /// True when no context is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
