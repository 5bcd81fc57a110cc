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
use crate::http::respond::{Body, Extra, Streamed, complete, failure, failure_with, streamed_outcome};
use crate::session::Session;
use crate::session::{ContextError, ContextKind, Entered, SEQUENCE_COOKIE, expired_cookies};
use crate::state::ServerState;

/// `Set-Cookie` value for a session cookie of the mailbox endpoint.
pub(crate) fn cookie(state: &ServerState, name: &str, value: &str) -> String {
    crate::session::cookie(state, ContextKind::Emsmdb, name, value)
}

/// Handles one EMSMDB request of an authenticated `user`; `context` is the session context it
/// runs on (`None` for Connect).
pub async fn handle(
    state: &Arc<ServerState>,
    user: User,
    meta: &RequestMeta,
    request_type: RequestType,
    context: Option<Result<Entered, ContextError>>,
    body: Bytes,
) -> Response<Body> {
    if request_type == RequestType::Connect {
        return connect::connect(state, user, meta, &body).await;
    }
    // The context was entered with authentication, before the body was read
    // ([`crate::http`]'s admission).
    let Entered { session, activity, next_sequence, .. } = match context {
        Some(Ok(entered)) => entered,
        Some(Err((code, why))) => return failure(meta, code, &why),
        None => return failure(meta, ResponseCode::UnknownFailure, "no session context was looked up"),
    };
    let mut extra = Extra { expiration_ms: Some(session.expiration_ms()), ..Extra::default() };
    if let Some(seq) = next_sequence {
        extra.cookies.push(cookie(state, SEQUENCE_COOKIE, &seq));
    }
    let started = (Instant::now(), SystemTime::now());
    match request_type {
        RequestType::Execute => execute::execute(state, session, activity, meta, &extra, body).await,
        RequestType::Disconnect => {
            if let Err(e) = DisconnectRequest::decode(&body) {
                return failure_with(meta, ResponseCode::InvalidRequestBody, &e.to_string(), &extra);
            }
            drop(activity);
            let st = state.clone();
            let _ = crate::blocking::light(st.light_inline, move || st.sessions.remove(&session.id)).await;
            // Context is gone: expire the cookies.
            extra.cookies = expired_cookies(state, ContextKind::Emsmdb);
            let resp =
                DisconnectResponse::Success(DisconnectSuccess { error_code: 0, auxiliary_buffer: vec![] });
            complete(meta, &extra, started, &resp.encode())
        }
        RequestType::NotificationWait => {
            if let Err(e) = NotificationWaitRequest::decode(&body) {
                return failure_with(meta, ResponseCode::InvalidRequestBody, &e.to_string(), &extra);
            }
            drop(activity);
            notification_wait(state, session, meta, &extra, started).await
        }
        RequestType::Ping => {
            drop(activity);
            complete(meta, &extra, started, &[])
        }
        _ => failure_with(meta, ResponseCode::InvalidRequestType, "not an EMSMDB request type", &extra),
    }
}

/// The NotificationWait response body (MS-OXCMAPIHTTP 2.2.4.4.2).
fn wait_body(error_code: u32, pending: bool) -> Vec<u8> {
    NotificationWaitResponse::Success(NotificationWaitSuccess {
        error_code,
        event_pending: if pending { EVENT_PENDING } else { 0 },
        auxiliary_buffer: vec![],
    })
    .encode()
}

/// NotificationWait (MS-OXCMAPIHTTP 2.2.4.4, 3.2.5.5; the EcDoAsyncWaitEx of MS-OXCRPC 3.3.4.1):
/// completes with EventPending as soon as a notification is queued, or without after the
/// shorter of the server's maximum (`notification_wait_max`, 5 minutes) and three quarters of
/// the context's idle timeout, so that a wait never outlives its context and an abandoned
/// context is not kept alive by it.
///
/// - At most `max-notification-waits-per-session` waits (default 1) are pending per context;
///   one more completes at once with ErrorCode ecRejected (0x000007EE) and no event pending —
///   what gromox answers to a second wait on one context, and a code MS-OXCNOTIF 3.2.5.5.1 tells
///   the client not to retry with another wait at once.
/// - When the context ends (Disconnect, a reconnecting Connect, expiry, or a right withdrawn,
///   [`crate::authz`]) the pending wait is answered at once with X-ResponseCode 10 (after
///   `DONE` when `X-ResponseCode: 0` already went out, in the response headers when the context
///   ended within [`crate::http::respond::ONE_PIECE_WITHIN`] of the request), never with
///   success.
/// - A wait whose client went away is dropped at once; it holds no slot.
async fn notification_wait(
    state: &Arc<ServerState>,
    session: Arc<Session>,
    meta: &RequestMeta,
    extra: &Extra,
    started: (Instant, SystemTime),
) -> Response<Body> {
    // Every limit allows one wait (the setting is at least 1): the setting is read only when
    // one is already pending, so the usual wait costs no directory read (and no hop to the
    // blocking pool).
    let slot = match session.begin_wait(1) {
        Some(slot) => Some(slot),
        None => {
            let st = state.clone();
            let max = crate::blocking::light(st.light_inline, move || {
                st.directory().and_then(|d| d.max_notification_waits())
            })
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or(crate::settings::DEFAULT_NOTIFICATION_WAITS);
            session.begin_wait(max)
        }
    };
    let Some(slot) = slot else {
        let pending = session.pending_waits();
        tracing::debug!(user = %session.info.user.name, pending, "NotificationWait refused: too many pending");
        let body = wait_body(oxmapi_core::error::codes::EC_REJECTED.0, false);
        return complete(meta, extra, started, &body);
    };
    // Three quarters of the idle timeout: the wait completes (and its completion refreshes the
    // context) before the context could expire under it.
    let wait = state.config.notification_wait_max.min(session.idle_timeout() * 3 / 4);
    streamed_outcome(meta, extra, state.config.pending_period, true, async move {
        let _slot = slot;
        tokio::select! {
            pending = session.events.wait(wait) => Streamed::Body(wait_body(0, pending)),
            why = session.until_ended() => Streamed::Failed(ResponseCode::ContextNotFound, why),
        }
    })
    .await
}
