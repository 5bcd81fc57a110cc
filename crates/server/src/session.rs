//! Session contexts (MS-OXCMAPIHTTP 3.2.5.x; protocol-facts §1.5): created by Connect (mailbox
//! endpoint) or Bind (address book endpoint), named by the `MapiContext` cookie, guarded by the
//! `MapiSequence` cookie (one request at a time, except NotificationWait and PING), expired when
//! idle, counted per user and endpoint for `max-sessions-per-user`. The two endpoints keep
//! separate contexts: each context records its [`ContextKind`], its cookies carry the endpoint's
//! path, and a context is only found by requests to its own endpoint.
//!
//! A context ends by Disconnect/Unbind, by a reconnecting Connect/Bind, by expiry, or because
//! the directory took its user's rights away ([`crate::authz`]). However it ends, every
//! NotificationWait pending on it is answered at once with X-ResponseCode 10 (Context Not
//! Found, MS-OXCMAPIHTTP 2.2.3.3.3), never with success for a context that no longer exists.
//! NotificationWaits are bounded per context ([`Session::begin_wait`]) and do not count as
//! requests in flight: a wait never keeps an abandoned context alive past its idle timeout.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxmapi_store::User;
use oxmapi_wire::mapihttp::common::ResponseCode;
use rand::RngCore;

use crate::http::request::RequestMeta;
use crate::rops::RopSession;
use crate::state::ServerState;

/// Cookie naming the session context.
pub const CONTEXT_COOKIE: &str = "MapiContext";
/// Cookie carrying the sequence token the next request must echo.
pub const SEQUENCE_COOKIE: &str = "MapiSequence";

/// The endpoint a session context belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContextKind {
    /// The mailbox endpoint `/mapi/emsmdb/`, created by Connect.
    Emsmdb,
    /// The address book endpoint `/mapi/nspi/`, created by Bind.
    Nspi,
}

impl ContextKind {
    /// The cookie `Path` of the endpoint.
    pub fn cookie_path(self) -> &'static str {
        match self {
            ContextKind::Emsmdb => "/mapi/emsmdb/",
            ContextKind::Nspi => "/mapi/nspi/",
        }
    }

    /// The request type that creates a context on the endpoint.
    pub fn opening_request(self) -> &'static str {
        match self {
            ContextKind::Emsmdb => "Connect",
            ContextKind::Nspi => "Bind",
        }
    }
}

/// Facts fixed when the context was created.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// The endpoint the context belongs to.
    pub kind: ContextKind,
    /// The user who connected (the mailbox owner of the home logon) or bound.
    pub user: User,
    /// The authenticated identity (directory user name, lowercase); later requests must carry
    /// the same (else X-ResponseCode 10, MS-OXCMAPIHTTP 3.2.5.1).
    pub identity: String,
    /// The client's version from `X-ClientApplication`.
    pub client_version: [u16; 4],
    /// Connect `Flags` (Bind `Flags` on the address book endpoint).
    pub connect_flags: u32,
    /// Connect `DefaultCodePage` (Bind STAT `CodePage`).
    pub code_page: u32,
    /// Connect `LcidSort` (Bind STAT `SortLocale`).
    pub lcid_sort: u32,
    /// Connect `LcidString` (Bind STAT `TemplateLocale`).
    pub lcid_string: u32,
    /// Session index (`piCxr`, the SessionIndex of RopPending).
    pub index: u16,
    /// Idle time after which the context is destroyed, as set at creation; the context follows
    /// later changes of `session-idle-timeout` ([`SessionTable::set_idle_timeout`]).
    pub idle_timeout: Duration,
    /// `X-ClientApplication` as sent at Connect/Bind (for `oxmapi admin sessions ls`).
    pub client_application: String,
    /// The client's peer address (`ip:port`).
    pub address: String,
}

/// One session context.
pub struct Session {
    /// The `MapiContext` cookie value.
    pub id: String,
    /// Fixed facts.
    pub info: SessionInfo,
    last_active: Mutex<Instant>,
    /// The idle timeout in force, in milliseconds (follows the setting).
    idle_ms: AtomicU64,
    /// When the last activity was last written to the session registry.
    recorded: Mutex<Instant>,
    busy: AtomicBool,
    in_flight: AtomicU32,
    sequence: Mutex<String>,
    /// ROP state (handle table). Locked by the one Execute running at a time.
    pub rops: Mutex<RopSession>,
    /// Notifications waiting for this context (also reachable from its ROP state).
    pub events: Arc<crate::notify::Queue>,
    /// NotificationWait requests pending on this context.
    waits: AtomicU32,
    /// The directory's authorisation generation this context was last checked against
    /// ([`crate::authz`]); 0 before the first check.
    authz_checked: AtomicU64,
    /// Set, with the reason, when the context ends; wakes its pending NotificationWaits.
    ended: tokio::sync::watch::Sender<Option<String>>,
    /// Address book contexts: the hidden entries this context found by exact DN.
    pub revealed: crate::nspi::RevealedMids,
}

/// Length of a [`token`]: 16 random bytes in lowercase hex.
const TOKEN_LEN: usize = 32;

/// Length of a context id's node prefix: the node number as 4 lowercase hex digits.
const NODE_PREFIX_LEN: usize = 4;

fn token() -> String {
    let mut b = [0u8; TOKEN_LEN / 2];
    rand::thread_rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A new context id (the `MapiContext` cookie value) made by node `node`: the node as 4 hex
/// digits, then a random [`token`]. The node prefix lets any node of a site tell whose context
/// a cookie names without asking the others.
fn context_id(node: u16) -> String {
    format!("{node:04x}{}", token())
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The node a context id names: `Some` for the ids this version makes ([`context_id`]), `None`
/// for a bare [`token`] (an id made before node numbers, which no node knows any more).
pub fn node_of(id: &str) -> Option<u16> {
    (id.len() == NODE_PREFIX_LEN + TOKEN_LEN && is_hex(id))
        .then(|| u16::from_str_radix(&id[..NODE_PREFIX_LEN], 16).ok())
        .flatten()
}

/// True when `s` has the shape of a context id (whether or not it names a live context): a
/// [`context_id`], or a bare [`token`] as earlier versions made them.
fn is_token(s: &str) -> bool {
    (s.len() == TOKEN_LEN || s.len() == NODE_PREFIX_LEN + TOKEN_LEN) && is_hex(s)
}

/// True when the session registry row `id` belongs to node `node`: its id names the node, or
/// it is a bare token left by a version without node numbers (removed by whichever node starts).
pub fn registry_row_of(id: &str, node: u16) -> bool {
    node_of(id).map_or(id.len() == TOKEN_LEN, |n| n == node)
}

/// A pending NotificationWait ([`Session::begin_wait`]); dropping it ends the wait and
/// refreshes the idle timer (MS-OXCMAPIHTTP 3.2.5.5: the context's expiration restarts when
/// the wait completes).
pub struct WaitSlot {
    session: Arc<Session>,
}

impl Drop for WaitSlot {
    fn drop(&mut self) {
        self.session.touch();
        self.session.waits.fetch_sub(1, Ordering::AcqRel);
    }
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
        self.idle_ms.load(Ordering::Acquire)
    }

    /// The idle timeout in force (follows `session-idle-timeout`).
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.expiration_ms())
    }

    fn expired(&self, now: Instant) -> bool {
        let last = *self.last_active.lock().unwrap_or_else(|e| e.into_inner());
        self.in_flight.load(Ordering::Acquire) == 0 && now.duration_since(last) > self.idle_timeout()
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

    /// Starts a NotificationWait unless `max` are already pending on this context (`None`: the
    /// caller answers the extra wait with ecRejected at once, as gromox answers a second
    /// EcDoAsyncWaitEx on one context; MS-OXCRPC 3.3.4.1, MS-OXCNOTIF 3.2.5.5.1).
    pub fn begin_wait(self: &Arc<Self>, max: u32) -> Option<WaitSlot> {
        self.waits.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).ok()?;
        self.touch();
        Some(WaitSlot { session: self.clone() })
    }

    /// NotificationWait requests pending on this context.
    pub fn pending_waits(&self) -> u32 {
        self.waits.load(Ordering::Acquire)
    }

    /// Ends the context: its pending NotificationWaits complete at once with X-ResponseCode 10
    /// carrying `reason`. Ending twice keeps the first reason.
    pub fn end(&self, reason: &str) {
        self.ended.send_if_modified(|r| {
            if r.is_some() {
                return false;
            }
            *r = Some(reason.to_string());
            true
        });
    }

    /// Why the context ended, if it did.
    pub fn ended(&self) -> Option<String> {
        self.ended.borrow().clone()
    }

    /// Resolves with the reason once the context ends (at once if it already has).
    pub async fn until_ended(&self) -> String {
        let mut rx = self.ended.subscribe();
        match rx.wait_for(Option::is_some).await {
            Ok(r) => r.clone().unwrap_or_default(),
            Err(_) => "the session context was destroyed".to_string(),
        }
    }

    /// The authorisation generation the context was last checked against.
    pub fn authz_checked(&self) -> u64 {
        self.authz_checked.load(Ordering::Acquire)
    }

    /// Records that the context was checked against generation `g`.
    pub fn set_authz_checked(&self, g: u64) {
        self.authz_checked.fetch_max(g, Ordering::AcqRel);
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

/// `Set-Cookie` value for a session cookie of an endpoint.
pub fn cookie(state: &ServerState, kind: ContextKind, name: &str, value: &str) -> String {
    let secure = if state.config.tls == crate::config::TlsMode::Plain { "" } else { "; Secure" };
    format!("{name}={value}; Path={}; HttpOnly{secure}", kind.cookie_path())
}

/// `Set-Cookie` values that expire both session cookies of an endpoint (the context is gone).
pub fn expired_cookies(state: &ServerState, kind: ContextKind) -> Vec<String> {
    [CONTEXT_COOKIE, SEQUENCE_COOKIE]
        .iter()
        .map(|n| format!("{}; Max-Age=0", cookie(state, kind, n, "")))
        .collect()
}

/// Why a request found no usable context: the X-ResponseCode and a diagnostic.
pub type ContextError = (ResponseCode, String);

/// Finds the request's session context on endpoint `kind` and starts a request on it
/// (MS-OXCMAPIHTTP 3.2.5.1): missing cookie → 13, unknown/expired context, a context of the other
/// endpoint or of another identity → 10, overlapping or out-of-sequence request → 15.
pub fn find_context(
    state: &ServerState,
    user: &User,
    meta: &RequestMeta,
    kind: ContextKind,
    exclusive: bool,
) -> Result<(Arc<Session>, Activity, Option<String>), ContextError> {
    let opening = kind.opening_request();
    let id = meta.cookie(CONTEXT_COOKIE).ok_or((
        ResponseCode::MissingCookie,
        format!("the {CONTEXT_COOKIE} cookie from {opening} is required"),
    ))?;
    if !is_token(id) {
        // A value this server could never have issued is an invalid cookie, not an unknown
        // context: X-ResponseCode 6 (MS-OXCMAPIHTTP 2.2.3.3.3; Microsoft's test case
        // MSOXCMAPIHTTP_S01_TC04_SendInvalidContextCookie expects 6 for "Invalid cookie").
        return Err((
            ResponseCode::InvalidContextCookie,
            format!("the {CONTEXT_COOKIE} cookie is not a session context cookie of this server"),
        ));
    }
    if let Some(node) = node_of(id)
        && node != state.sessions.node()
    {
        // Contexts stay on the node that made them (issue 16: several `oxmapi serve` nodes
        // behind one load balancer). X-ResponseCode 10 (Context Not Found, MS-OXCMAPIHTTP
        // 2.2.3.3.3) makes the client send Connect/Bind again, which creates a context here.
        return Err((
            ResponseCode::ContextNotFound,
            format!(
                "this session context belongs to node {node} of the site and this is node {}: send {opening} again",
                state.sessions.node()
            ),
        ));
    }
    let session = state.sessions.get(id).filter(|s| s.info.kind == kind).ok_or_else(|| {
        if state.sessions.was_killed(id) {
            return (ResponseCode::ContextNotFound, KILLED.to_string());
        }
        (
            ResponseCode::ContextNotFound,
            format!("the session context does not exist or has expired; send {opening} again"),
        )
    })?;
    if session.info.identity != user.name.to_lowercase() {
        return Err((
            ResponseCode::ContextNotFound,
            "this session context belongs to another authenticated identity".to_string(),
        ));
    }
    let (activity, next) = session.begin(exclusive, meta.cookie(SEQUENCE_COOKIE)).map_err(|code| {
        (
            code,
            "one request at a time per session context, each with the latest MapiSequence cookie".to_string(),
        )
    })?;
    Ok((session, activity, next))
}

/// A request started on its session context ([`enter_now`]).
pub struct Entered {
    /// The context.
    pub session: Arc<Session>,
    /// The running request (dropping it ends the request).
    pub activity: Activity,
    /// The sequence token the response hands out (exclusive requests).
    pub next_sequence: Option<String>,
    /// An authorisation generation the context still has to be checked against on the
    /// blocking pool ([`crate::authz::check`]) before the request runs (only when entered
    /// without `may_block`).
    pub pending_check: Option<u64>,
}

/// [`find_context`] and the authorisation check ([`crate::authz::admit`]) together, inside a
/// store helper, with authentication ([`crate::http`]'s admission). With `may_block` false
/// (light work inline on an async thread) a check that could wait on the context's handle
/// table is left in [`Entered::pending_check`]. A context whose rights are gone is answered
/// with X-ResponseCode 10 (MS-OXCMAPIHTTP 2.2.3.3.3).
pub fn enter_now(
    state: &ServerState,
    user: &User,
    meta: &RequestMeta,
    kind: ContextKind,
    exclusive: bool,
    may_block: bool,
    generation: &crate::authz::GenerationOnce<'_>,
) -> Result<Entered, ContextError> {
    let (session, activity, next_sequence) = find_context(state, user, meta, kind, exclusive)?;
    match crate::authz::admit(state, &session, may_block, generation) {
        Ok(pending_check) => Ok(Entered { session, activity, next_sequence, pending_check }),
        Err(why) => {
            drop(activity);
            Err((ResponseCode::ContextNotFound, why))
        }
    }
}

/// Every live session context of this node.
#[derive(Default)]
pub struct SessionTable {
    /// The node whose contexts these are ([`crate::config::ServerConfig::node_id`]).
    node: u16,
    map: Mutex<HashMap<String, Arc<Session>>>,
    next_index: AtomicU32,
    /// The session registry in `directory.sqlite` (its own connection), when attached.
    registry: crate::session_registry::Registry,
    /// Ids of contexts an administrator killed, with when, so that their next request says so.
    killed: Mutex<HashMap<String, Instant>>,
}

impl SessionTable {
    /// An empty table of node `node`'s contexts.
    pub fn for_node(node: u16) -> SessionTable {
        SessionTable { node, ..SessionTable::default() }
    }

    /// The node whose contexts these are.
    pub fn node(&self) -> u16 {
        self.node
    }

    /// Creates a context unless the user already has `max_per_user` contexts on the same
    /// endpoint (checked and inserted atomically).
    pub fn create(&self, mut info: SessionInfo, max_per_user: u32) -> Result<Arc<Session>, CreateError> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let gone = retain_live(&mut map, now);
        let mine =
            map.values().filter(|s| s.info.user.id == info.user.id && s.info.kind == info.kind).count();
        if mine >= max_per_user as usize {
            drop(map);
            self.registry.remove(&gone);
            return Err(CreateError::SessionLimit { max: max_per_user });
        }
        info.index = (self.next_index.fetch_add(1, Ordering::Relaxed) % 0xFFFF) as u16 + 1;
        let events = Arc::new(crate::notify::Queue::default());
        let idle_ms = AtomicU64::new(info.idle_timeout.as_millis() as u64);
        let s = Arc::new(Session {
            id: context_id(self.node),
            info,
            last_active: Mutex::new(now),
            idle_ms,
            recorded: Mutex::new(now),
            busy: AtomicBool::new(false),
            in_flight: AtomicU32::new(0),
            sequence: Mutex::new(token()),
            rops: Mutex::new(RopSession { events: events.clone(), ..RopSession::default() }),
            events,
            waits: AtomicU32::new(0),
            authz_checked: AtomicU64::new(0),
            ended: tokio::sync::watch::channel(None).0,
            revealed: Default::default(),
        });
        map.insert(s.id.clone(), s.clone());
        drop(map);
        self.registry.remove(&gone);
        self.registry.insert(&s);
        Ok(s)
    }

    /// The live context named `id` (an expired one is removed and not returned).
    pub fn get(&self, id: &str) -> Option<Arc<Session>> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let s = map.get(id)?.clone();
        if s.expired(Instant::now()) {
            map.remove(id);
            drop(map);
            s.end(EXPIRED);
            self.registry.remove(std::slice::from_ref(&s.id));
            return None;
        }
        Some(s)
    }

    /// Destroys a context (Disconnect, or a reconnecting Connect); its pending waits end.
    pub fn remove(&self, id: &str) -> Option<Arc<Session>> {
        self.end(id, "the session context was disconnected")
    }

    /// Destroys a context and ends its pending waits with `reason`.
    pub fn end(&self, id: &str, reason: &str) -> Option<Arc<Session>> {
        let s = self.map.lock().unwrap_or_else(|e| e.into_inner()).remove(id)?;
        s.end(reason);
        if reason == KILLED {
            let mut k = self.killed.lock().unwrap_or_else(|e| e.into_inner());
            if k.len() < MAX_KILLED_REMEMBERED {
                k.insert(id.to_string(), Instant::now());
            }
        }
        self.registry.remove(std::slice::from_ref(&s.id));
        Some(s)
    }

    /// Every live context (for the authorisation sweep).
    pub fn all(&self) -> Vec<Arc<Session>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect()
    }

    /// Destroys the context a reconnecting Connect or Bind names in its `MapiContext` cookie
    /// (MS-OXCMAPIHTTP 3.2.5.1) when it is of the same kind and identity; another user's or
    /// another endpoint's context is left alone.
    pub fn replace(&self, old: Option<&str>, kind: ContextKind, identity: &str) {
        if let Some(old) = old
            && let Some(s) = self.get(old)
            && s.info.kind == kind
            && s.info.identity == identity
        {
            self.remove(old);
        }
    }

    /// Destroys every context (what a restart does); returns how many. Clients reconnect after
    /// X-ResponseCode 10.
    pub fn clear(&self) -> usize {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.len();
        let ids: Vec<String> = map
            .drain()
            .map(|(id, s)| {
                s.end("the server dropped every session context");
                id
            })
            .collect();
        drop(map);
        self.registry.remove(&ids);
        n
    }

    /// Destroys idle contexts; returns how many.
    pub fn reap(&self) -> usize {
        let now = Instant::now();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let gone = retain_live(&mut map, now);
        let n = gone.len();
        let live: Vec<Arc<Session>> = map.values().cloned().collect();
        drop(map);
        self.registry.remove(&gone);
        self.killed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, t| now.duration_since(*t) < KILLED_REMEMBERED_FOR);
        let touched: Vec<(String, Instant)> = live
            .iter()
            .filter_map(|s| {
                let last = *s.last_active.lock().unwrap_or_else(|e| e.into_inner());
                let mut rec = s.recorded.lock().unwrap_or_else(|e| e.into_inner());
                (last > *rec && now.duration_since(*rec) >= ACTIVITY_RECORD_INTERVAL).then(|| {
                    *rec = now;
                    (s.id.clone(), last)
                })
            })
            .collect();
        self.registry.touch(&touched);
        n
    }

    /// Applies a (possibly changed) `session-idle-timeout` to every live context.
    pub fn set_idle_timeout(&self, d: Duration) {
        let ms = d.as_millis() as u64;
        for s in self.map.lock().unwrap_or_else(|e| e.into_inner()).values() {
            s.idle_ms.store(ms, Ordering::Release);
        }
    }

    /// Attaches the session registry: clears what a previous run of this node left (contexts do
    /// not survive a restart; other nodes' rows stay) and records every context from now on.
    pub fn attach_registry(&self, dir: oxmapi_store::Directory) {
        self.registry.attach(dir, self.node);
    }

    /// True when the registry marks context `id` killed (`oxmapi admin sessions kill`).
    pub fn marked_killed(&self, id: &str) -> bool {
        self.registry.killed(id)
    }

    /// True when an administrator killed context `id` (recently: see [`KILLED_REMEMBERED_FOR`]).
    pub fn was_killed(&self, id: &str) -> bool {
        self.killed.lock().unwrap_or_else(|e| e.into_inner()).contains_key(id)
    }

    /// The ids of the live contexts, sorted (for diagnostics and tests).
    pub fn ids(&self) -> Vec<String> {
        let now = Instant::now();
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids: Vec<String> =
            map.iter().filter(|(_, s)| !s.expired(now)).map(|(id, _)| id.clone()).collect();
        ids.sort();
        ids
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

/// Why a context an administrator ended (`oxmapi admin sessions kill`) ends; its requests are
/// answered with X-ResponseCode 10 and [`oxmapi_wire::mapihttp::common::HEADER_CONTEXT_ENDED`].
pub const KILLED: &str = "the session context was ended by an administrator (oxmapi admin sessions kill)";

/// How long the ids of killed contexts are remembered, so that their next request is told it
/// was killed (afterwards it is an unknown context, X-ResponseCode 10 without the header).
pub const KILLED_REMEMBERED_FOR: Duration = Duration::from_secs(3600);

/// At most this many killed ids are remembered at once (the rest get the plain code 10).
pub const MAX_KILLED_REMEMBERED: usize = 10_000;

/// A context's last activity is written to the session registry at most this often.
pub const ACTIVITY_RECORD_INTERVAL: Duration = Duration::from_secs(5);

/// Why an expired context's waits end.
const EXPIRED: &str = "the session context expired (idle longer than session-idle-timeout)";

/// Removes the expired contexts from `map`, ending their pending waits; returns their ids.
fn retain_live(map: &mut HashMap<String, Arc<Session>>, now: Instant) -> Vec<String> {
    let mut gone = Vec::new();
    map.retain(|id, s| {
        let expired = s.expired(now);
        if expired {
            s.end(EXPIRED);
            gone.push(id.clone());
        }
        !expired
    });
    gone
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_context_id_names_its_node() {
        let id = context_id(0x1234);
        assert!(id.starts_with("1234") && is_token(&id), "{id}");
        assert_eq!(node_of(&id), Some(0x1234));
        assert_eq!(node_of(&context_id(0)), Some(0));
        // A bare token from a version without node numbers names no node.
        assert_eq!(node_of(&token()), None);
        assert!(is_token(&token()));
        assert!(!is_token("zz34") && node_of("1234zz").is_none());
    }

    #[test]
    fn a_node_clears_only_its_own_registry_rows() {
        assert!(registry_row_of(&context_id(2), 2));
        assert!(!registry_row_of(&context_id(1), 2), "another node's row stays");
        assert!(registry_row_of(&token(), 2), "rows of a version without node numbers go");
    }
}
