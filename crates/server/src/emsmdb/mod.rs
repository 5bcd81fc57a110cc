//! The mailbox endpoint `/mapi/emsmdb/` (MS-OXCMAPIHTTP 2.2.4, 3.2.5): Connect, Execute,
//! Disconnect, NotificationWait and PING on session contexts.

mod connect;
mod execute;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use hyper::Response;
use oxmapi_store::User;
use oxmapi_wire::mapihttp::common::{RequestType, ResponseCode};
use oxmapi_wire::mapihttp::emsmdb::*;

use crate::http::request::RequestMeta;
use crate::http::respond::{Body, Extra, complete, failure, failure_with, streamed};
use crate::session::{Activity, CONTEXT_COOKIE, SEQUENCE_COOKIE, Session};
use crate::state::ServerState;

/// `Set-Cookie` value for a session cookie.
pub(crate) fn cookie(state: &ServerState, name: &str, value: &str) -> String {
    let secure = if state.config.tls == crate::config::TlsMode::Plain { "" } else { "; Secure" };
    format!("{name}={value}; Path=/mapi/emsmdb/; HttpOnly{secure}")
}

/// Handles one EMSMDB request of an authenticated `user`.
pub async fn handle(
    state: &Arc<ServerState>,
    user: User,
    meta: &RequestMeta,
    request_type: RequestType,
    body: Bytes,
) -> Response<Body> {
    if request_type == RequestType::Connect {
        return connect::connect(state, user, meta, &body).await;
    }
    let exclusive = !matches!(request_type, RequestType::NotificationWait | RequestType::Ping);
    let (session, activity, next_sequence) = match context(state, &user, meta, exclusive) {
        Ok(x) => x,
        Err((code, why)) => return failure(meta, code, &why),
    };
    let mut extra = Extra { expiration_ms: Some(session.expiration_ms()), ..Extra::default() };
    if let Some(seq) = next_sequence {
        extra.cookies.push(cookie(state, SEQUENCE_COOKIE, &seq));
    }
    let started = (Instant::now(), SystemTime::now());
    match request_type {
        RequestType::Execute => execute::execute(state, session, activity, meta, &extra, body),
        RequestType::Disconnect => {
            if let Err(e) = DisconnectRequest::decode(&body) {
                return failure_with(meta, ResponseCode::InvalidRequestBody, &e.to_string(), &extra);
            }
            drop(activity);
            state.sessions.remove(&session.id);
            // Context is gone: expire the cookies.
            extra.cookies = vec![
                format!("{}; Max-Age=0", cookie(state, CONTEXT_COOKIE, "")),
                format!("{}; Max-Age=0", cookie(state, SEQUENCE_COOKIE, "")),
            ];
            let resp =
                DisconnectResponse::Success(DisconnectSuccess { error_code: 0, auxiliary_buffer: vec![] });
            complete(meta, &extra, started, &resp.encode())
        }
        RequestType::NotificationWait => {
            if let Err(e) = NotificationWaitRequest::decode(&body) {
                return failure_with(meta, ResponseCode::InvalidRequestBody, &e.to_string(), &extra);
            }
            let wait = state.config.notification_wait_max;
            let s = session.clone();
            streamed(meta, &extra, state.config.pending_period, async move {
                let _activity = activity;
                let pending = tokio::time::timeout(wait, s.notify.notified()).await.is_ok();
                let resp = NotificationWaitResponse::Success(NotificationWaitSuccess {
                    error_code: 0,
                    event_pending: if pending { EVENT_PENDING } else { 0 },
                    auxiliary_buffer: vec![],
                });
                resp.encode()
            })
        }
        RequestType::Ping => {
            drop(activity);
            complete(meta, &extra, started, &[])
        }
        _ => failure_with(meta, ResponseCode::InvalidRequestType, "not an EMSMDB request type", &extra),
    }
}

type ContextError = (ResponseCode, String);

/// Finds the request's session context and starts a request on it (MS-OXCMAPIHTTP 3.2.5.1):
/// missing cookie → 13, unknown/expired context or another identity → 10, overlapping or
/// out-of-sequence request → 15.
fn context(
    state: &ServerState,
    user: &User,
    meta: &RequestMeta,
    exclusive: bool,
) -> Result<(Arc<Session>, Activity, Option<String>), ContextError> {
    let id = meta.cookie(CONTEXT_COOKIE).ok_or((
        ResponseCode::MissingCookie,
        format!("the {CONTEXT_COOKIE} cookie from Connect is required"),
    ))?;
    let session = state.sessions.get(id).ok_or((
        ResponseCode::ContextNotFound,
        "the session context does not exist or has expired; send Connect again".to_string(),
    ))?;
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
