//! HTTP authentication (MS-OXCMAPIHTTP 2.2.2: every request is authenticated, anonymous ones
//! are refused): Basic, and NTLMv2 carried by `NTLM` or `Negotiate` over one kept-alive
//! connection (MS-NLMP). The identity is the directory user name.
//!
//! Password checks use the directory's argon2 hash, which is deliberately slow; a successful
//! Basic check is remembered for [`CACHE_TTL`] as a keyed SHA-256 of the credentials (never the
//! password itself), so that the many requests of one session do not each pay for argon2. A
//! remembered check is only good at the directory's authorisation generation it was made at
//! ([`crate::authz`]): after `oxmapi admin user passwd` (or any other rights change) the next
//! request pays for argon2 again, so the old password is refused at once.
//!
//! An NTLM-authenticated connection keeps its identity for its later requests (MS-NLMP
//! authenticates the connection). When the authorisation generation moved since the handshake,
//! the identity is checked again: a disabled or deleted user, or a password changed since (the
//! NT hash the handshake used is no longer the directory's), loses it and is answered 401, so
//! the client must authenticate again.

use crate::authz::GenerationOnce;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;
use oxmapi_store::User;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::state::ServerState;

/// How long a verified Basic credential is trusted without argon2.
pub const CACHE_TTL: Duration = Duration::from_secs(60);

/// One remembered check: the keyed digest of the credentials, the authorisation generation the
/// check was made at, and when.
type Checked = ([u8; 32], u64, Instant);

/// Verified credentials, keyed by user.
pub struct CredentialCache {
    key: [u8; 32],
    map: Mutex<HashMap<String, Checked>>,
}

impl Default for CredentialCache {
    fn default() -> Self {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        CredentialCache { key, map: Mutex::new(HashMap::new()) }
    }
}

impl CredentialCache {
    fn digest(&self, user: &str, password: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(user.to_lowercase().as_bytes());
        h.update([0]);
        h.update(password.as_bytes());
        h.finalize().into()
    }

    /// True when these credentials were verified at authorisation generation `generation`
    /// less than [`CACHE_TTL`] ago.
    fn hit(&self, user: &str, password: &str, generation: u64) -> bool {
        let d = self.digest(user, password);
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        matches!(map.get(&user.to_lowercase()),
            Some((x, g, at)) if *x == d && *g == generation && at.elapsed() < CACHE_TTL)
    }

    /// Remembers credentials verified at `generation` (read before the check, so that a change
    /// committed during it leaves the entry stale).
    fn remember(&self, user: &str, password: &str, generation: u64) {
        let d = self.digest(user, password);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, _, at)| at.elapsed() < CACHE_TTL);
        }
        map.insert(user.to_lowercase(), (d, generation, Instant::now()));
    }
}

/// Authentication state of one TCP/TLS connection (NTLM authenticates the connection).
#[derive(Default)]
pub struct ConnAuth {
    /// NTLM handshake in progress.
    pub(crate) ntlm: Option<crate::ntlm_auth::Pending>,
    /// User authenticated by NTLM on this connection.
    pub(crate) identity: Option<String>,
    /// What the identity was verified with.
    pub(crate) verified: Option<Verified>,
}

/// What an NTLM handshake verified the connection's identity with.
#[derive(Clone, Copy)]
pub(crate) struct Verified {
    /// The authorisation generation read before the handshake's check.
    pub(crate) generation: u64,
    /// The NT hash the check used.
    pub(crate) nt_hash: [u8; 16],
}

/// Result of checking a request's credentials.
pub enum AuthOutcome {
    /// The request is from this user.
    Authenticated(User),
    /// Send 401 with these `WWW-Authenticate` values (a challenge or the scheme list).
    Challenge {
        /// The `WWW-Authenticate` values.
        offers: Vec<String>,
        /// Why the credentials were refused, told to the client (`None`: none were sent, or
        /// the handshake goes on).
        reason: Option<String>,
    },
}

/// The `WWW-Authenticate` values offered to an unauthenticated request.
pub fn offered_schemes() -> Vec<String> {
    vec!["Basic realm=\"oxmapi\"".into(), "NTLM".into(), "Negotiate".into()]
}

fn refused(state: &ServerState) -> AuthOutcome {
    refused_because(state, None)
}

fn refused_because(state: &ServerState, reason: Option<String>) -> AuthOutcome {
    state.metrics.auth_failures.inc();
    AuthOutcome::Challenge { offers: offered_schemes(), reason }
}

/// Looks a user up by the name a client authenticated with: `name`, `DOMAIN\name` or an SMTP
/// address.
pub fn find_user(state: &ServerState, login: &str) -> Option<User> {
    let name = login.rsplit('\\').next().unwrap_or(login);
    let dir = state.directory().ok()?;
    if let Ok(Some(u)) = dir.user(name) {
        return Some(u);
    }
    dir.user_by_email(name).ok().flatten()
}

/// Checks the request's `Authorization` header against the connection's state. The directory
/// reads are light store work ([`crate::blocking::light`]); an argon2 check (a Basic credential
/// the cache does not hold) always runs on the blocking pool. A request with no credentials on
/// a connection without an NTLM identity is answered without touching the store.
pub async fn authenticate(
    state: &Arc<ServerState>,
    conn: &Arc<Mutex<ConnAuth>>,
    headers: &HeaderMap,
) -> AuthOutcome {
    let value = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    if value.is_none() && !has_identity(conn) {
        return AuthOutcome::Challenge { offers: offered_schemes(), reason: None };
    }
    let inline = state.light_inline;
    let attempt = |may_block: bool| {
        let (st, c, v) = (state.clone(), conn.clone(), value.clone());
        move || authenticate_now(&st, &c, v.as_deref(), may_block, &GenerationOnce::new(&st))
    };
    let outcome = match crate::blocking::light(inline, attempt(!inline)).await {
        Ok(None) => crate::blocking::run(attempt(true)).await.ok().flatten(),
        other => other.ok().flatten(),
    };
    outcome.unwrap_or_else(|| refused(state))
}

/// True when the connection carries an identity from an NTLM handshake.
pub(crate) fn has_identity(conn: &Mutex<ConnAuth>) -> bool {
    conn.lock().unwrap_or_else(|e| e.into_inner()).identity.is_some()
}

/// [`authenticate`] inside a store helper: `value` is the `Authorization` header. `None` when
/// the answer needs an argon2 check and `may_block` is false (the caller asks again on the
/// blocking pool); nothing was changed then.
pub(crate) fn authenticate_now(
    state: &ServerState,
    conn: &Mutex<ConnAuth>,
    value: Option<&str>,
    may_block: bool,
    generation: &GenerationOnce<'_>,
) -> Option<AuthOutcome> {
    let Some(value) = value else {
        return Some(connection_identity(state, conn, generation));
    };
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    Some(match scheme.to_ascii_lowercase().as_str() {
        "basic" => return basic(state, token.trim(), may_block, generation),
        "ntlm" | "negotiate" => {
            let Ok(bytes) = B64.decode(token.trim()) else { return Some(refused(state)) };
            match crate::ntlm_auth::step(state, conn, scheme, &bytes) {
                Ok(Some(u)) => AuthOutcome::Authenticated(u),
                Ok(None) => {
                    let pending =
                        conn.lock().unwrap_or_else(|e| e.into_inner()).ntlm.as_ref().map(|p| p.header());
                    AuthOutcome::Challenge { offers: pending.into_iter().collect(), reason: None }
                }
                Err(refusal) => {
                    tracing::info!(reason = %refusal.told, detail = %refusal.detail, "NTLM authentication refused");
                    refused_because(state, Some(refusal.told))
                }
            }
        }
        _ => refused(state),
    })
}

/// The identity an NTLM handshake gave this connection, checked again when the directory's
/// authorisation generation moved since: a disabled or deleted user, or one whose password
/// changed, loses it (401, and the client must authenticate again).
fn connection_identity(
    state: &ServerState,
    conn: &Mutex<ConnAuth>,
    generation: &GenerationOnce<'_>,
) -> AuthOutcome {
    let (id, verified) = {
        let c = conn.lock().unwrap_or_else(|e| e.into_inner());
        (c.identity.clone(), c.verified)
    };
    let Some(user) = id.and_then(|n| find_user(state, &n)) else {
        return AuthOutcome::Challenge { offers: offered_schemes(), reason: None };
    };
    let refusal = if !user.enabled {
        Some("the account is disabled")
    } else {
        match (generation.get(), verified) {
            (Some(g), Some(v)) if g != v.generation => {
                let hash = state.directory().ok().and_then(|d| d.nt_hash(&user.name).ok().flatten());
                match hash {
                    Some(h) if h == v.nt_hash => {
                        conn.lock().unwrap_or_else(|e| e.into_inner()).verified =
                            Some(Verified { generation: g, ..v });
                        None
                    }
                    _ => Some("the password changed since this connection authenticated"),
                }
            }
            _ => None,
        }
    };
    match refusal {
        None => AuthOutcome::Authenticated(user),
        Some(why) => {
            {
                let mut c = conn.lock().unwrap_or_else(|e| e.into_inner());
                c.identity = None;
                c.verified = None;
            }
            tracing::info!(user = %user.name, reason = why, "NTLM connection identity withdrawn");
            refused_because(state, Some(format!("{why}; authenticate again")))
        }
    }
}

/// Basic authentication: a remembered check, else argon2 (`None` instead when `may_block` is
/// false).
fn basic(
    state: &ServerState,
    token: &str,
    may_block: bool,
    generation: &GenerationOnce<'_>,
) -> Option<AuthOutcome> {
    let Some((login, password)) = B64
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(u, p)| (u.to_string(), p.to_string())))
    else {
        return Some(refused(state));
    };
    let Some(user) = find_user(state, &login) else { return Some(refused(state)) };
    let generation = generation.get().unwrap_or(0);
    if generation != 0 && state.credentials.hit(&user.name, &password, generation) {
        return Some(AuthOutcome::Authenticated(user));
    }
    if !may_block {
        return None;
    }
    let verified =
        state.data.directory().and_then(|d| d.verify_password(&user.name, &password)).ok().flatten();
    Some(match verified {
        Some(u) => {
            state.credentials.remember(&u.name, &password, generation);
            AuthOutcome::Authenticated(u)
        }
        None => refused(state),
    })
}
