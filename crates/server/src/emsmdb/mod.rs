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
use crate::session::{ContextKind, SEQUENCE_COOKIE, expired_cookies, find_context};
use crate::state::ServerState;

/// `Set-Cookie` value for a session cookie of the mailbox endpoint.
pub(crate) fn cookie(state: &ServerState, name: &str, value: &str) -> String {
    crate::session::cookie(state, ContextKind::Emsmdb, name, value)
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
    let (session, activity, next_sequence) =
        match find_context(state, &user, meta, ContextKind::Emsmdb, exclusive) {
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
            extra.cookies = expired_cookies(state, ContextKind::Emsmdb);
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
                let pending = s.events.wait(wait).await;
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
