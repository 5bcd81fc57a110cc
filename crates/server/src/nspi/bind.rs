//! Bind and Unbind (MS-OXCMAPIHTTP 2.2.5.1–2.2.5.2; MS-OXNSPI 3.1.4.1.1–3.1.4.1.2): the address
//! book session context, created and destroyed independently of the mailbox endpoint's, so that
//! a store refusal (an old client without public folders) leaves the address book working.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hyper::Response;
use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_store::User;
use oxmapi_wire::mapihttp::common::{ResponseCode, parse_client_application};
use oxmapi_wire::mapihttp::nspi::*;

use super::codepage;
use crate::http::request::RequestMeta;
use crate::http::respond::{Body, Extra, complete, failure, failure_with};
use crate::session::{
    Activity, CONTEXT_COOKIE, ContextKind, CreateError, SEQUENCE_COOKIE, Session, SessionInfo, cookie,
    expired_cookies,
};
use crate::state::ServerState;

fn refused(code: ErrorCode) -> BindResponse {
    BindResponse::Success(BindSuccess {
        error_code: code.0,
        server_guid: Default::default(),
        auxiliary_buffer: vec![],
    })
}

/// Why a Bind is refused, checked in MS-OXNSPI 3.1.4.1.1 order: anonymous logons are not
/// offered (every request is authenticated), a STAT must name an 8-bit code page the server
/// knows, a disabled user may not use the address book.
fn bind_rules(user: &User, req: &BindRequest) -> Result<(), ErrorCode> {
    if req.flags & F_ANONYMOUS_LOGIN != 0 {
        return Err(codes::MAPI_E_LOGON_FAILED);
    }
    if let Some(code) = req.state.and_then(|s| codepage::refusal(s.code_page)) {
        return Err(code);
    }
    if !user.enabled {
        return Err(codes::MAPI_E_LOGON_FAILED);
    }
    Ok(())
}

/// What the store side of a Bind decided ([`decide`]).
enum Decision {
    /// A new context.
    Created(Arc<Session>),
    /// The Bind `ErrorCode` of a refusal.
    Refused(ErrorCode),
    /// Reading the settings failed (X-ResponseCode 1).
    Failed(String),
}

/// The store side of a Bind, one step of light store work ([`crate::blocking::light`]): the
/// old context named by the request's cookie is replaced, the rules and settings decide, and
/// the context is created (and recorded in the registry).
fn decide(state: &ServerState, user: &User, meta: &RequestMeta, req: &BindRequest) -> Decision {
    state.sessions.replace(meta.cookie(CONTEXT_COOKIE), ContextKind::Nspi, &user.name.to_lowercase());
    if let Err(code) = bind_rules(user, req) {
        tracing::info!(user = %user.name, flags = req.flags, code = %code, "Bind refused");
        return Decision::Refused(code);
    }
    let settings = match state.directory().and_then(|d| crate::settings::Settings::read(&d)) {
        Ok(s) => s,
        Err(e) => return Decision::Failed(format!("reading settings: {e}")),
    };
    let stat = req.state.unwrap_or_default();
    let info = SessionInfo {
        kind: ContextKind::Nspi,
        identity: user.name.to_lowercase(),
        client_version: meta
            .client_application
            .as_deref()
            .and_then(parse_client_application)
            .unwrap_or_default(),
        connect_flags: req.flags,
        code_page: if req.state.is_some() { stat.code_page } else { codepage::CP_WINDOWS_1252 },
        lcid_sort: stat.sort_locale,
        lcid_string: stat.template_locale,
        index: 0,
        idle_timeout: settings.idle_timeout,
        client_application: meta.client_application.clone().unwrap_or_default(),
        address: meta.peer.clone().unwrap_or_default(),
        user: user.clone(),
    };
    match state.sessions.create(info, settings.max_sessions_per_user) {
        Ok(s) => Decision::Created(s),
        Err(CreateError::SessionLimit { max }) => {
            tracing::info!(user = %user.name, max, "Bind refused: session limit");
            Decision::Refused(codes::MAPI_E_NOT_ENOUGH_RESOURCES)
        }
    }
}

/// Handles Bind. A well-formed Bind carrying an old address book `MapiContext` cookie of the
/// same identity destroys that context first (reconnect, MS-OXCMAPIHTTP 3.2.5.1); its sequence
/// cookie is ignored.
pub async fn bind(state: &Arc<ServerState>, user: User, meta: &RequestMeta, body: &[u8]) -> Response<Body> {
    let started = (Instant::now(), SystemTime::now());
    let req = match BindRequest::decode(body) {
        Ok(r) => r,
        Err(e) => return failure(meta, ResponseCode::InvalidRequestBody, &format!("Bind body: {e}")),
    };
    let (st, u, m) = (state.clone(), user.clone(), meta.clone());
    let session = match crate::blocking::light(state.light_inline, move || decide(&st, &u, &m, &req)).await {
        Ok(Decision::Created(s)) => s,
        Ok(Decision::Refused(code)) => {
            return complete(meta, &Extra::default(), started, &refused(code).encode());
        }
        Ok(Decision::Failed(why)) => return failure(meta, ResponseCode::UnknownFailure, &why),
        Err(e) => return failure(meta, ResponseCode::UnknownFailure, &format!("Bind failed: {e}")),
    };
    state.metrics.sessions.set(state.sessions.len() as i64);
    let resp = BindResponse::Success(BindSuccess {
        error_code: 0,
        server_guid: state.nspi_server_guid,
        auxiliary_buffer: vec![],
    });
    let extra = Extra {
        cookies: vec![
            cookie(state, ContextKind::Nspi, CONTEXT_COOKIE, &session.id),
            cookie(state, ContextKind::Nspi, SEQUENCE_COOKIE, &session.sequence()),
        ],
        expiration_ms: Some(session.expiration_ms()),
        pending_ms: Some(state.config.pending_period.as_millis() as u64),
    };
    complete(meta, &extra, started, &resp.encode())
}

/// Handles Unbind: the context is destroyed and its cookies expired; `ErrorCode` is
/// UnbindSuccess (1, MS-OXNSPI 3.1.4.1.2).
pub async fn unbind(
    state: &Arc<ServerState>,
    session: Arc<Session>,
    activity: Activity,
    meta: &RequestMeta,
    mut extra: Extra,
    body: &[u8],
) -> Response<Body> {
    let started = (Instant::now(), SystemTime::now());
    if let Err(e) = UnbindRequest::decode(body) {
        return failure_with(meta, ResponseCode::InvalidRequestBody, &format!("Unbind body: {e}"), &extra);
    }
    drop(activity);
    let st = state.clone();
    let _ = crate::blocking::light(st.light_inline, move || st.sessions.remove(&session.id)).await;
    state.metrics.sessions.set(state.sessions.len() as i64);
    extra.cookies = expired_cookies(state, ContextKind::Nspi);
    let resp = UnbindResponse::Success(UnbindSuccess {
        error_code: codes::UNBIND_SUCCESS.0,
        auxiliary_buffer: vec![],
    });
    complete(meta, &extra, started, &resp.encode())
}
