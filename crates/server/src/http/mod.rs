//! The HTTP/1.1 front end: the accept loop and connection limits ([`serve`], [`conns`]),
//! routing of `/mapi/emsmdb/`, `/mapi/nspi/`, the administrator's mailbox table
//! (`/mapi/oxmapi/mailboxes`, [`mailbox_table`]), `/autodiscover/autodiscover.xml`, `/healthz`
//! and `/metrics`, authentication, request limits.

pub mod accept;
mod admission;
pub mod conns;
pub mod fdlimit;
mod listen;
mod mailbox_table;
pub mod request;
pub mod respond;

pub use listen::{MAX_REQUEST_HEAD, REFUSAL_RETRY_AFTER_SECS, serve};

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use oxmapi_wire::mapihttp::common::{Endpoint, ResponseCode};

use crate::auth::{AuthOutcome, authenticate};
use crate::metrics::{CloseReason, RequestLabels, TypeLabels, request_type_label, response_code_label};
use crate::state::ServerState;
use listen::ConnCtx;
use request::RequestMeta;
use respond::{Body, failure, plain};

/// Largest request body: an Execute with a full ROP buffer (0x40000) and aux buffer (0x1008)
/// plus its fixed fields. Bigger bodies are refused from Content-Length before they are read
/// (X-ResponseCode 9 "Too Large").
pub const MAX_BODY: usize = 0x40000 + 0x1008 + 64;

fn endpoint_of(path: &str) -> Option<Endpoint> {
    let p = path.to_ascii_lowercase();
    match p.trim_end_matches('/') {
        "/mapi/emsmdb" => Some(Endpoint::Emsmdb),
        "/mapi/nspi" => Some(Endpoint::Nspi),
        _ => None,
    }
}

async fn route(state: Arc<ServerState>, conn: Arc<ConnCtx>, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    match (req.method(), path.as_str()) {
        (&Method::GET, "/healthz") => plain(StatusCode::OK, "text/plain", "ok\n"),
        (&Method::GET, "/metrics") => {
            state.metrics.sessions.set(state.sessions.len() as i64);
            plain(StatusCode::OK, "text/plain; version=0.0.4; charset=utf-8", state.metrics.render())
        }
        (_, p) if p.eq_ignore_ascii_case("/autodiscover/autodiscover.xml") => {
            match authenticated(&state, &conn, &req).await {
                Ok(user) => crate::autodiscover::respond(&state, &user, &req),
                Err(r) => discard_body(&state, req, r).await,
            }
        }
        (_, p) if mailbox_table::is_path(p) => mailbox_table::respond(&state, &conn, req).await,
        (_, p) => match endpoint_of(p) {
            Some(ep) => mapi(state, conn, req, ep).await,
            None => plain(StatusCode::NOT_FOUND, "text/plain", "not found\n"),
        },
    }
}

async fn authenticated(
    state: &Arc<ServerState>,
    conn: &ConnCtx,
    req: &Request<Incoming>,
) -> Result<oxmapi_store::User, Response<Body>> {
    match authenticate(state, &conn.auth, req.headers()).await {
        AuthOutcome::Authenticated(u) => {
            conn.slot.authenticated();
            Ok(u)
        }
        AuthOutcome::Challenge { offers, reason } => Err(challenge(offers, reason)),
    }
}

/// The 401 answer offering `offers` (`WWW-Authenticate` values), telling `reason` when there is
/// one.
fn challenge(offers: Vec<String>, reason: Option<String>) -> Response<Body> {
    let mut b = Response::builder().status(StatusCode::UNAUTHORIZED).header("Content-Type", "text/plain");
    for v in offers {
        b = b.header("WWW-Authenticate", v);
    }
    let text = match reason {
        Some(why) => format!("authentication refused: {why}\n"),
        None => "authentication required: anonymous requests are refused\n".to_string(),
    };
    b.body(respond::full(text)).unwrap_or_else(|_| Response::new(respond::full("")))
}

async fn mapi(
    state: Arc<ServerState>,
    conn: Arc<ConnCtx>,
    req: Request<Incoming>,
    endpoint: Endpoint,
) -> Response<Body> {
    let started = Instant::now();
    let mut meta = RequestMeta::from_headers(req.headers());
    meta.peer = Some(conn.peer.to_string());
    let ep_name = match endpoint {
        Endpoint::Emsmdb => "emsmdb",
        Endpoint::Nspi | Endpoint::Both => "nspi",
    };
    let request_type = request_type_label(meta.request_type_text.as_deref());
    let response = mapi_inner(&state, &conn, req, endpoint, &meta).await;
    let code = response_code_label(
        response
            .headers()
            .get(oxmapi_wire::mapihttp::common::HEADER_RESPONSE_CODE)
            .and_then(|v| v.to_str().ok()),
        response.status().as_u16(),
    );
    let labels = RequestLabels { endpoint: ep_name, request_type, response_code: code };
    state.metrics.requests.get_or_create(&labels).inc();
    state.metrics.answered();
    state
        .metrics
        .latency
        .get_or_create(&TypeLabels { request_type })
        .observe(started.elapsed().as_secs_f64());
    response
}

async fn mapi_inner(
    state: &Arc<ServerState>,
    conn: &ConnCtx,
    req: Request<Incoming>,
    endpoint: Endpoint,
    meta: &RequestMeta,
) -> Response<Body> {
    let admitted = match admission::admit(state, conn, &req, endpoint, meta).await {
        Ok(a) => a,
        Err(admission::Refused::Unauthenticated(r)) => return discard_body(state, req, r).await,
        Err(admission::Refused::Invalid(r)) => return r,
    };
    let body: Bytes = match read_body(state, meta, req).await {
        Ok(b) => b,
        Err(mut r) => {
            // The context's sequence token already moved on: hand it out with the refusal.
            if let Some(Ok(entered)) = &admitted.context
                && let Some(seq) = &entered.next_sequence
                && let Ok(v) = hyper::header::HeaderValue::from_str(&crate::session::cookie(
                    state,
                    entered.session.info.kind,
                    crate::session::SEQUENCE_COOKIE,
                    seq,
                ))
            {
                r.headers_mut().append(hyper::header::SET_COOKIE, v);
            }
            return r;
        }
    };
    let admission::Admitted { user, request_type, context } = admitted;
    match endpoint {
        Endpoint::Emsmdb => crate::emsmdb::handle(state, user, meta, request_type, context, body).await,
        Endpoint::Nspi | Endpoint::Both => {
            crate::nspi::handle(state, user, meta, request_type, context, body).await
        }
    }
}

/// Reads a MAPI/HTTP request body of at most [`MAX_BODY`] bytes within the body read timeout;
/// a slower body gets HTTP 408 and the connection is closed.
async fn read_body(
    state: &ServerState,
    meta: &RequestMeta,
    req: Request<Incoming>,
) -> Result<Bytes, Response<Body>> {
    let timeout = state.config.connections.body_read_timeout;
    match tokio::time::timeout(timeout, Limited::new(req.into_body(), MAX_BODY).collect()).await {
        Ok(Ok(c)) => Ok(c.to_bytes()),
        Ok(Err(e)) => Err(failure(meta, ResponseCode::TooLarge, &format!("body refused: {e}"))),
        Err(_) => {
            state.metrics.connections.closed(CloseReason::BodyTimeout);
            let mut r = plain(
                StatusCode::REQUEST_TIMEOUT,
                "text/plain",
                format!(
                    "the request body did not arrive within {} s: send it at once after the head\n",
                    timeout.as_secs()
                ),
            );
            r.headers_mut()
                .insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
            Err(r)
        }
    }
}

/// Reads and discards what is left of a refused request's body before its 401 goes out, so
/// that the connection survives: NTLM authenticates the connection (MS-NLMP 1.3.1.1), and a
/// client that sent its body with the first leg of the handshake must be able to send the next
/// leg on the same connection. At most [`MAX_BODY`] bytes are read, within the body read
/// timeout; a bigger or slower body closes the connection after the response. Nothing is kept.
async fn discard_body(
    state: &ServerState,
    req: Request<Incoming>,
    mut response: Response<Body>,
) -> Response<Body> {
    let timeout = state.config.connections.body_read_timeout;
    let mut body = Limited::new(req.into_body(), MAX_BODY);
    let drained = tokio::time::timeout(timeout, async {
        while let Some(frame) = body.frame().await {
            frame?;
        }
        Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    })
    .await;
    if !matches!(drained, Ok(Ok(()))) {
        response
            .headers_mut()
            .insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
    }
    response
}
