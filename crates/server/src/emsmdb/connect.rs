//! Connect (MS-OXCMAPIHTTP 2.2.4.1, 3.2.5.x; MS-OXCRPC 3.1.4.1 EcDoConnectEx): the rules that
//! decide whether a session context is created (protocol-facts §2.6–§2.8), including Exchange's
//! public-folder version gate and CONNECT_IGNORE_NO_PF.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use hyper::Response;
use oxmapi_core::ErrorCode;
use oxmapi_core::consts::connect_flags::{CONNECT_IGNORE_NO_PF, CONNECT_USE_ADMIN_PRIVILEGE};
use oxmapi_core::error::codes;
use oxmapi_store::User;
use oxmapi_wire::aux::{AuxBlock, PUBLIC_FOLDERS_ENABLED, encode_aux_buffer};
use oxmapi_wire::mapihttp::common::{ResponseCode, parse_client_application};
use oxmapi_wire::mapihttp::emsmdb::{ConnectRequest, ConnectResponse, ConnectSuccess};

use super::cookie;
use crate::http::request::RequestMeta;
use crate::http::respond::{Body, Extra, complete, failure};
use crate::session::{CONTEXT_COOKIE, ContextKind, CreateError, SEQUENCE_COOKIE, SessionInfo};
use crate::state::ServerState;

/// First client version that works without public folders (MS-OXCRPC 3.1.4.1.3;
/// protocol-facts §2.7): 12.0.0.0.
pub const NO_PF_MIN_CLIENT: [u16; 4] = [12, 0, 0, 0];
/// `PollsMax` returned by Connect (ms between polls).
pub const POLLS_MAX_MS: u32 = 60_000;
/// `RetryCount` returned by Connect.
pub const RETRY_COUNT: u32 = 6;
/// `RetryDelay` returned by Connect (ms).
pub const RETRY_DELAY_MS: u32 = 10_000;

/// The server-wide settings a Connect reads.
pub struct ConnectPolicy {
    /// Oldest accepted client (`min-client-version`).
    pub min_client_version: [u16; 4],
    /// `max-sessions-per-user`.
    pub max_sessions_per_user: u32,
    /// `session-idle-timeout`.
    pub idle_timeout: Duration,
    /// Whether a public folder store exists.
    pub public_folders: bool,
}

/// Decides the Connect `ErrorCode` for `user` asking with `req` and `version`
/// (protocol-facts §2.6–2.8). Checked in this order: DN given, DN known, DN is the
/// authenticated user, user enabled, admin privilege, minimum client version, public-folder gate.
pub fn connect_rules(
    user: &User,
    dn_owner: Option<&User>,
    req: &ConnectRequest,
    version: [u16; 4],
    policy: &ConnectPolicy,
) -> Result<(), ErrorCode> {
    if req.user_dn.trim().is_empty() {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    let owner = dn_owner.ok_or(codes::EC_UNKNOWN_USER)?;
    if owner.id != user.id {
        return Err(codes::MAPI_E_NO_ACCESS);
    }
    if !user.enabled {
        return Err(codes::MAPI_E_LOGON_FAILED);
    }
    if req.flags & CONNECT_USE_ADMIN_PRIVILEGE != 0 && !user.admin {
        return Err(codes::EC_LOGIN_PERM);
    }
    if version < policy.min_client_version {
        return Err(codes::EC_CLIENT_VER_DISALLOWED);
    }
    if !policy.public_folders && version < NO_PF_MIN_CLIENT && req.flags & CONNECT_IGNORE_NO_PF == 0 {
        return Err(codes::EC_CLIENT_VER_DISALLOWED);
    }
    Ok(())
}

fn policy(state: &ServerState) -> Result<ConnectPolicy, String> {
    let dir = state.directory().map_err(|e| e.to_string())?;
    let s = crate::settings::Settings::read(&dir).map_err(|e| e.to_string())?;
    drop(dir);
    Ok(ConnectPolicy {
        min_client_version: s.min_client_version,
        max_sessions_per_user: s.max_sessions_per_user,
        idle_timeout: s.idle_timeout,
        public_folders: state.data.public_folders_enabled().map_err(|e| e.to_string())?,
    })
}

fn refusal(error_code: ErrorCode) -> ConnectResponse {
    ConnectResponse::Success(ConnectSuccess {
        error_code: error_code.0,
        polls_max: POLLS_MAX_MS,
        retry_count: RETRY_COUNT,
        retry_delay: RETRY_DELAY_MS,
        dn_prefix: String::new(),
        display_name: String::new(),
        auxiliary_buffer: vec![],
    })
}

/// What the store side of a Connect decided ([`decide`]).
enum Decision {
    /// A new context.
    Created {
        /// The context.
        session: Arc<crate::session::Session>,
        /// Whether the public folder store is enabled (AUX_EXORGINFO).
        public_folders: bool,
    },
    /// The Connect `ErrorCode` of a refusal.
    Refused(ErrorCode),
    /// Reading the settings failed (X-ResponseCode 1).
    Failed(String),
}

/// The store side of a Connect, one step of light store work ([`crate::blocking::light`]): a
/// well-formed Connect with the cookie (`old`) of an older context of this user replaces it;
/// then the settings, the DN's owner and the rules decide, and the context is created (and
/// recorded in the registry).
fn decide(
    state: &ServerState,
    user: &User,
    old: Option<&str>,
    req: &ConnectRequest,
    version: [u16; 4],
    client_application: String,
    address: String,
) -> Decision {
    state.sessions.replace(old, ContextKind::Emsmdb, &user.name.to_lowercase());
    let policy = match policy(state) {
        Ok(p) => p,
        Err(e) => return Decision::Failed(format!("reading settings: {e}")),
    };
    let dn_owner = state.directory().ok().and_then(|d| d.user_by_dn(&req.user_dn).ok().flatten());
    if let Err(code) = connect_rules(user, dn_owner.as_ref(), req, version, &policy) {
        tracing::info!(user = %user.name, version = ?version, flags = req.flags, code = %code, "Connect refused");
        return Decision::Refused(code);
    }
    let info = SessionInfo {
        kind: ContextKind::Emsmdb,
        identity: user.name.to_lowercase(),
        client_version: version,
        connect_flags: req.flags,
        code_page: req.default_code_page,
        lcid_sort: req.lcid_sort,
        lcid_string: req.lcid_string,
        index: 0,
        idle_timeout: policy.idle_timeout,
        client_application,
        address,
        user: user.clone(),
    };
    match state.sessions.create(info, policy.max_sessions_per_user) {
        Ok(session) => Decision::Created { session, public_folders: policy.public_folders },
        Err(CreateError::SessionLimit { max }) => {
            tracing::info!(user = %user.name, max, "Connect refused: session limit");
            Decision::Refused(codes::MAPI_E_SESSION_LIMIT)
        }
    }
}

/// Handles Connect. A well-formed Connect that carries an old `MapiContext` cookie destroys
/// that context first (reconnect, MS-OXCMAPIHTTP 3.2.5.1); its sequence cookie is ignored.
pub async fn connect(
    state: &Arc<ServerState>,
    user: User,
    meta: &RequestMeta,
    body: &[u8],
) -> Response<Body> {
    let started = (Instant::now(), SystemTime::now());
    let Some(app) = meta.client_application.as_deref() else {
        return failure(
            meta,
            ResponseCode::MissingHeader,
            "Connect needs X-ClientApplication (the client version)",
        );
    };
    let Some(version) = parse_client_application(app) else {
        return failure(
            meta,
            ResponseCode::InvalidHeader,
            &format!("no client version in X-ClientApplication {app:?}"),
        );
    };
    let req = match ConnectRequest::decode(body) {
        Ok(r) => r,
        Err(e) => return failure(meta, ResponseCode::InvalidRequestBody, &format!("Connect body: {e}")),
    };
    let (st, old) = (state.clone(), meta.cookie(CONTEXT_COOKIE).map(str::to_string));
    let (u, peer, app) = (user.clone(), meta.peer.clone().unwrap_or_default(), app.to_string());
    let decided = crate::blocking::light(state.light_inline, move || {
        decide(&st, &u, old.as_deref(), &req, version, app, peer)
    })
    .await;
    let (session, public_folders) = match decided {
        Ok(Decision::Created { session, public_folders }) => (session, public_folders),
        Ok(Decision::Refused(code)) => {
            return complete(meta, &Extra::default(), started, &refusal(code).encode());
        }
        Ok(Decision::Failed(why)) => return failure(meta, ResponseCode::UnknownFailure, &why),
        Err(e) => return failure(meta, ResponseCode::UnknownFailure, &format!("Connect failed: {e}")),
    };
    state.metrics.sessions.set(state.sessions.len() as i64);
    let aux = if public_folders {
        encode_aux_buffer(&[AuxBlock::ExOrgInfo { org_flags: PUBLIC_FOLDERS_ENABLED }]).unwrap_or_default()
    } else {
        Vec::new()
    };
    let dn_prefix =
        user.legacy_dn.rsplit_once("/cn=Recipients").map(|(p, _)| p.to_string()).unwrap_or_default();
    let resp = ConnectResponse::Success(ConnectSuccess {
        error_code: 0,
        polls_max: POLLS_MAX_MS,
        retry_count: RETRY_COUNT,
        retry_delay: RETRY_DELAY_MS,
        dn_prefix,
        display_name: user.display_name.clone(),
        auxiliary_buffer: aux,
    });
    let extra = Extra {
        cookies: vec![
            cookie(state, CONTEXT_COOKIE, &session.id),
            cookie(state, SEQUENCE_COOKIE, &session.sequence()),
        ],
        expiration_ms: Some(session.expiration_ms()),
        pending_ms: Some(state.config.pending_period.as_millis() as u64),
    };
    complete(meta, &extra, started, &resp.encode())
}
