//! Admitting a MAPI/HTTP request before its body is read: authentication, the header checks
//! (MS-OXCMAPIHTTP 2.2.3.3.3: verb, X-RequestType, X-RequestId, Content-Type, Content-Length)
//! and, for a request on an existing session context, the context look-up and the
//! authorisation check ([`crate::session::enter_now`]).
//!
//! Authentication and the context both read the store, so they run together as one step of
//! light store work ([`crate::blocking::light`]: one hop to the blocking pool on PostgreSQL,
//! inline on SQLite): an Execute makes at most two hops in all (this one and its ROP work), not
//! one per store read. The order of the answers is kept: an unauthenticated request
//! gets its 401 whatever else is wrong with it; then the header checks; then — after the body
//! was read, as before — a context refusal ([`Admitted::context`]).

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use oxmapi_store::User;
use oxmapi_wire::mapihttp::common::{Endpoint, RequestType, ResponseCode};

use super::listen::ConnCtx;
use super::request::RequestMeta;
use super::respond::{Body, failure};
use super::{MAX_BODY, challenge};
use crate::auth::{AuthOutcome, authenticate_now, offered_schemes};
use crate::session::{ContextError, ContextKind, Entered, enter_now};
use crate::state::ServerState;

/// A request that passed authentication and the header checks.
pub(super) struct Admitted {
    /// The authenticated user.
    pub user: User,
    /// The request type.
    pub request_type: RequestType,
    /// The session context a request other than Connect/Bind runs on, or why it has none
    /// (reported after the body was read). `None` for Connect and Bind.
    pub context: Option<Result<Entered, ContextError>>,
}

/// Why a request was not admitted.
pub(super) enum Refused {
    /// Not authenticated: the 401 to send once the body was drained.
    Unauthenticated(Response<Body>),
    /// A header check failed: the answer.
    Invalid(Response<Body>),
}

/// The header checks, in MS-OXCMAPIHTTP order; pure (no store), so they are made before the
/// hop and reported after authentication.
fn check_headers(
    req: &Request<Incoming>,
    endpoint: Endpoint,
    meta: &RequestMeta,
) -> Result<RequestType, Box<Response<Body>>> {
    // Authentication comes first, whatever the verb: a client that opens NTLM with a GET (as
    // Exchange's front end allows) gets its 401 challenge, and only an authenticated request
    // learns that MAPI/HTTP wants POST (X-ResponseCode 2, MS-OXCMAPIHTTP 2.2.3.3.3).
    if req.method() != Method::POST {
        return Err(Box::new(failure(meta, ResponseCode::InvalidVerb, "MAPI/HTTP requests are POSTs")));
    }
    let Some(type_text) = meta.request_type_text.as_deref() else {
        return Err(Box::new(failure(meta, ResponseCode::MissingHeader, "X-RequestType is required")));
    };
    let Ok(request_type) = type_text.parse::<RequestType>() else {
        return Err(Box::new(failure(
            meta,
            ResponseCode::InvalidRequestType,
            &format!("unknown X-RequestType {type_text:?}"),
        )));
    };
    if !request_type.valid_on(endpoint) {
        return Err(Box::new(failure(
            meta,
            ResponseCode::InvalidRequestType,
            &format!("{type_text} is not valid on this endpoint"),
        )));
    }
    if meta.request_id.is_none() {
        return Err(Box::new(failure(meta, ResponseCode::MissingHeader, "X-RequestId is required")));
    }
    if let Some(ct) = req.headers().get("content-type").and_then(|v| v.to_str().ok())
        && !ct.to_ascii_lowercase().starts_with(oxmapi_wire::mapihttp::common::CONTENT_TYPE_MAPI_HTTP)
    {
        return Err(Box::new(failure(
            meta,
            ResponseCode::InvalidHeader,
            &format!("Content-Type {ct:?} is not application/mapi-http"),
        )));
    }
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(Box::new(failure(
            meta,
            ResponseCode::TooLarge,
            &format!("the body may be at most {MAX_BODY} bytes"),
        )));
    }
    Ok(request_type)
}

/// The session context a request of `request_type` on `endpoint` runs on: its kind and
/// whether the request is exclusive (everything but NotificationWait and PING); `None` for the
/// requests that create a context (Connect, Bind).
fn context_of(endpoint: Endpoint, request_type: RequestType) -> Option<(ContextKind, bool)> {
    match endpoint {
        Endpoint::Emsmdb => (request_type != RequestType::Connect).then(|| {
            let exclusive = !matches!(request_type, RequestType::NotificationWait | RequestType::Ping);
            (ContextKind::Emsmdb, exclusive)
        }),
        Endpoint::Nspi | Endpoint::Both => (request_type != RequestType::Bind)
            .then_some((ContextKind::Nspi, request_type != RequestType::Ping)),
    }
}

/// Authenticates the request, checks its headers and enters its session context: light store
/// work ([`crate::blocking::light`]: one hop to the blocking pool on PostgreSQL, inline on
/// SQLite), with a second step on the pool only for what may take long — an argon2 check, or a
/// context to check again after a rights change. A request without credentials on a connection
/// that has no NTLM identity gets its 401 without touching the store.
pub(super) async fn admit(
    state: &Arc<ServerState>,
    conn: &ConnCtx,
    req: &Request<Incoming>,
    endpoint: Endpoint,
    meta: &RequestMeta,
) -> Result<Admitted, Refused> {
    let authorization =
        req.headers().get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    if authorization.is_none() && !crate::auth::has_identity(&conn.auth) {
        return Err(Refused::Unauthenticated(challenge(offered_schemes(), None)));
    }
    let attempt = |may_block: bool| {
        let headers = check_headers(req, endpoint, meta);
        let (st, auth, m, a) = (state.clone(), conn.auth.clone(), meta.clone(), authorization.clone());
        move || decide(&st, &auth, &m, a.as_deref(), headers, endpoint, may_block)
    };
    let inline = state.light_inline;
    let mut decided = crate::blocking::light(inline, attempt(!inline)).await;
    if matches!(decided, Ok(Decided::Slow)) {
        decided = crate::blocking::run(attempt(true)).await;
    }
    match decided {
        Ok(Decided::Admitted(mut a)) => {
            conn.slot.authenticated();
            if let Some(Ok(entered)) = &mut a.context
                && let Some(g) = entered.pending_check.take()
            {
                let (st, s) = (state.clone(), entered.session.clone());
                let ended = crate::blocking::run(move || {
                    crate::authz::check(&st, &s, g);
                    s.ended()
                })
                .await
                .unwrap_or_else(|e| Some(format!("checking the session context failed: {e}")));
                if let Some(why) = ended {
                    // Dropping the entered request ends it.
                    a.context = Some(Err((ResponseCode::ContextNotFound, why)));
                }
            }
            Ok(a)
        }
        Ok(Decided::Invalid(invalid)) => {
            conn.slot.authenticated();
            Err(Refused::Invalid(*invalid))
        }
        Ok(Decided::Challenge { offers, reason }) => Err(Refused::Unauthenticated(challenge(offers, reason))),
        Ok(Decided::Slow) | Err(_) => {
            Err(Refused::Invalid(failure(meta, ResponseCode::UnknownFailure, "admitting the request failed")))
        }
    }
}

/// The store side of [`admit`]: authentication, then the header checks' verdict, then the
/// session context. [`Decided::Slow`] when `may_block` is false and the answer needs argon2.
fn decide(
    state: &ServerState,
    auth: &std::sync::Mutex<crate::auth::ConnAuth>,
    meta: &RequestMeta,
    authorization: Option<&str>,
    headers: Result<RequestType, Box<Response<Body>>>,
    endpoint: Endpoint,
    may_block: bool,
) -> Decided {
    // One read of the authorisation generation serves authentication and the context's check.
    let generation = crate::authz::GenerationOnce::new(state);
    let user = match authenticate_now(state, auth, authorization, may_block, &generation) {
        None => return Decided::Slow,
        Some(AuthOutcome::Authenticated(u)) => u,
        Some(AuthOutcome::Challenge { offers, reason }) => return Decided::Challenge { offers, reason },
    };
    match headers {
        Ok(request_type) => {
            let context = context_of(endpoint, request_type).map(|(kind, exclusive)| {
                enter_now(state, &user, meta, kind, exclusive, may_block, &generation)
            });
            Decided::Admitted(Admitted { user, request_type, context })
        }
        Err(invalid) => Decided::Invalid(invalid),
    }
}

/// What [`decide`] decided.
enum Decided {
    /// Authenticated, headers valid.
    Admitted(Admitted),
    /// Authenticated, a header check failed.
    Invalid(Box<Response<Body>>),
    /// Not authenticated.
    Challenge {
        /// `WWW-Authenticate` values.
        offers: Vec<String>,
        /// Why, when told.
        reason: Option<String>,
    },
    /// Needs an argon2 check: decide again on the blocking pool.
    Slow,
}
