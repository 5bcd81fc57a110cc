//! HTTP authentication (MS-OXCMAPIHTTP 2.2.2: every request is authenticated, anonymous ones
//! are refused): Basic, and NTLMv2 carried by `NTLM` or `Negotiate` over one kept-alive
//! connection (MS-NLMP). The identity is the directory user name.
//!
//! Password checks use the directory's argon2 hash, which is deliberately slow; a successful
//! Basic check is remembered for [`CACHE_TTL`] as a keyed SHA-256 of the credentials (never the
//! password itself), so that the many requests of one session do not each pay for argon2.

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

/// Verified credentials, keyed by user.
pub struct CredentialCache {
    key: [u8; 32],
    map: Mutex<HashMap<String, ([u8; 32], Instant)>>,
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

    fn hit(&self, user: &str, password: &str) -> bool {
        let d = self.digest(user, password);
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        matches!(map.get(&user.to_lowercase()), Some((x, at)) if *x == d && at.elapsed() < CACHE_TTL)
    }

    fn remember(&self, user: &str, password: &str) {
        let d = self.digest(user, password);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| at.elapsed() < CACHE_TTL);
        }
        map.insert(user.to_lowercase(), (d, Instant::now()));
    }
}

/// Authentication state of one TCP/TLS connection (NTLM authenticates the connection).
#[derive(Default)]
pub struct ConnAuth {
    /// NTLM handshake in progress.
    pub(crate) ntlm: Option<crate::ntlm_auth::Pending>,
    /// User authenticated by NTLM on this connection.
    pub(crate) identity: Option<String>,
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

/// Checks the request's `Authorization` header against the connection's state.
pub async fn authenticate(
    state: &Arc<ServerState>,
    conn: &Mutex<ConnAuth>,
    headers: &HeaderMap,
) -> AuthOutcome {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        let id = conn.lock().unwrap_or_else(|e| e.into_inner()).identity.clone();
        return match id.and_then(|n| find_user(state, &n)) {
            Some(u) => AuthOutcome::Authenticated(u),
            None => AuthOutcome::Challenge { offers: offered_schemes(), reason: None },
        };
    };
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => basic(state, token.trim()).await,
        "ntlm" | "negotiate" => {
            let Ok(bytes) = B64.decode(token.trim()) else { return refused(state) };
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
    }
}

async fn basic(state: &Arc<ServerState>, token: &str) -> AuthOutcome {
    let Some((login, password)) = B64
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(u, p)| (u.to_string(), p.to_string())))
    else {
        return refused(state);
    };
    let Some(user) = find_user(state, &login) else { return refused(state) };
    if state.credentials.hit(&user.name, &password) {
        return AuthOutcome::Authenticated(user);
    }
    let st = state.clone();
    let name = user.name.clone();
    let pw = password.clone();
    let verified = tokio::task::spawn_blocking(move || {
        st.data.directory().and_then(|d| d.verify_password(&name, &pw)).ok().flatten()
    })
    .await
    .ok()
    .flatten();
    match verified {
        Some(u) => {
            state.credentials.remember(&u.name, &password);
            AuthOutcome::Authenticated(u)
        }
        None => refused(state),
    }
}
