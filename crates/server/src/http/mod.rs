//! The HTTP/1.1 front end: accept loop (plain or TLS), routing of `/mapi/emsmdb/`,
//! `/mapi/nspi/`, `/autodiscover/autodiscover.xml`, `/healthz` and `/metrics`, authentication,
//! request limits.

pub mod accept;
pub mod conns;
pub mod fdlimit;
pub mod request;
pub mod respond;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use oxmapi_wire::mapihttp::common::{Endpoint, RequestType, ResponseCode};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::auth::{AuthOutcome, ConnAuth, authenticate};
use crate::metrics::{CloseReason, RequestLabels, TypeLabels, request_type_label, response_code_label};
use crate::state::ServerState;
use accept::AcceptFailures;
use conns::{Admission, ConnectionTable, Slot};
use request::RequestMeta;
use respond::{Body, failure, plain};

/// Largest request body: an Execute with a full ROP buffer (0x40000) and aux buffer (0x1008)
/// plus its fixed fields. Bigger bodies are refused from Content-Length before they are read
/// (X-ResponseCode 9 "Too Large").
pub const MAX_BODY: usize = 0x40000 + 0x1008 + 64;

/// `Retry-After` (seconds) of the HTTP 503 sent to a connection refused at the connection cap.
pub const REFUSAL_RETRY_AFTER_SECS: u64 = 5;
/// Longest time spent writing the HTTP 503 to a refused connection.
const REFUSAL_WRITE_TIMEOUT: Duration = Duration::from_secs(1);

/// One connection as its requests see it: its authentication state and its place in the
/// connection table.
struct ConnCtx {
    auth: Mutex<ConnAuth>,
    slot: Slot,
}

/// The connection table sized from the configuration (or the descriptor limit).
fn connection_table(state: &ServerState) -> Arc<ConnectionTable> {
    let limits = &state.config.connections;
    let max_open = limits.max_connections.unwrap_or_else(|| fdlimit::connections_for(fdlimit::soft_limit()));
    let max_unauthenticated = limits
        .max_unauthenticated
        .unwrap_or_else(|| (max_open / 2).clamp(1, crate::config::DEFAULT_MAX_UNAUTHENTICATED));
    ConnectionTable::new(max_open, max_unauthenticated, state.metrics.connections.clone())
}

/// Runs the accept loop until `shutdown` resolves; then drops every open connection (a stopped
/// server answers nothing more, as after a process exit).
pub async fn serve(
    state: Arc<ServerState>,
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let table = connection_table(&state);
    tracing::info!(
        max_connections = table.max_open(),
        max_unauthenticated = table.max_unauthenticated(),
        "connection caps"
    );
    let mut shutdown = std::pin::pin!(shutdown);
    let mut connections = tokio::task::JoinSet::new();
    let mut failures = AcceptFailures::default();
    loop {
        // Forget the connections that ended.
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    let after = failures.failed(Instant::now());
                    if let Some(n) = after.warn {
                        tracing::warn!(
                            error = %e,
                            failures = n,
                            open = table.open(),
                            max_connections = table.max_open(),
                            "accept failed (counting failures since the last warning; the next warning comes \
                             {} s later at the earliest)",
                            accept::WARN_INTERVAL.as_secs()
                        );
                    }
                    if out_of_descriptors(&e) {
                        table.evict_one();
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(after.pause) => {}
                        _ = &mut shutdown => break,
                    }
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        if let Some(n) = failures.succeeded() {
            tracing::warn!(failures = n, "accept works again after failures not yet reported");
        }
        let _ = stream.set_nodelay(true);
        match table.admit() {
            Admission::Admitted(slot) => {
                connections.spawn(serve_connection(state.clone(), stream, peer, tls.clone(), slot));
            }
            Admission::Full => {
                tracing::debug!(%peer, "connection refused: every slot is held by an authenticated connection");
                if tls.is_none() {
                    tokio::spawn(refuse(stream, table.max_open()));
                }
            }
        }
    }
    connections.shutdown().await;
}

fn out_of_descriptors(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE))
}

/// Answers a connection refused at the connection cap: HTTP 503 with `Retry-After`, then close.
async fn refuse(mut stream: TcpStream, max_open: usize) {
    let text = format!(
        "the server is at its connection limit ({max_open} open connections, all authenticated): \
         retry in a few seconds\n"
    );
    let reply = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {REFUSAL_RETRY_AFTER_SECS}\r\nConnection: close\r\n\
         Content-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}",
        text.len()
    );
    let _ = tokio::time::timeout(REFUSAL_WRITE_TIMEOUT, async {
        let _ = stream.write_all(reply.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Serves one admitted connection until it ends, is evicted, or stays unauthenticated and idle
/// too long.
async fn serve_connection(
    state: Arc<ServerState>,
    stream: TcpStream,
    peer: SocketAddr,
    tls: Option<tokio_rustls::TlsAcceptor>,
    slot: Slot,
) {
    let limits = state.config.connections.clone();
    let metrics = state.metrics.connections.clone();
    let conn = slot.conn().clone();
    let ctx = Arc::new(ConnCtx { auth: Mutex::new(ConnAuth::default()), slot });
    let svc = service_fn(move |req| {
        let request = ctx.slot.conn().begin_request();
        let response = route(state.clone(), ctx.clone(), req);
        async move { Ok::<_, Infallible>(response.await.map(|body| conns::track(body, request))) }
    });
    let mut builder = http1::Builder::new();
    // hyper times every wait for a request head, the first and each next one on a kept-alive
    // connection, from the moment it starts reading it.
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let served = async {
        let result = match tls {
            Some(acceptor) => {
                match tokio::time::timeout(limits.header_read_timeout, acceptor.accept(stream)).await {
                    Ok(Ok(s)) => builder.serve_connection(TokioIo::new(s), svc).await,
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake timed out");
                        metrics.closed(CloseReason::HeaderTimeout);
                        return;
                    }
                }
            }
            None => builder.serve_connection(TokioIo::new(stream), svc).await,
        };
        if let Err(e) = result {
            if e.is_timeout() {
                metrics.closed(CloseReason::HeaderTimeout);
            }
            tracing::debug!(%peer, error = %e, "connection ended with an error");
        }
    };
    tokio::select! {
        _ = served => {}
        _ = conn.evicted() => {
            tracing::debug!(%peer, "unauthenticated connection closed to admit a newer one");
        }
        _ = conn.unauthenticated_idle(limits.unauthenticated_idle_timeout) => {
            metrics.closed(CloseReason::UnauthenticatedIdle);
            tracing::debug!(%peer, "unauthenticated connection closed after its idle timeout");
        }
    }
}

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
                Err(r) => r,
            }
        }
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
        AuthOutcome::Challenge { offers, reason } => {
            let mut b =
                Response::builder().status(StatusCode::UNAUTHORIZED).header("Content-Type", "text/plain");
            for v in offers {
                b = b.header("WWW-Authenticate", v);
            }
            let text = match reason {
                Some(why) => format!("authentication refused: {why}\n"),
                None => "authentication required: anonymous requests are refused\n".to_string(),
            };
            Err(b.body(respond::full(text)).unwrap_or_else(|_| Response::new(respond::full(""))))
        }
    }
}

async fn mapi(
    state: Arc<ServerState>,
    conn: Arc<ConnCtx>,
    req: Request<Incoming>,
    endpoint: Endpoint,
) -> Response<Body> {
    let started = Instant::now();
    let meta = RequestMeta::from_headers(req.headers());
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
    // Authentication comes first, whatever the verb: a client that opens NTLM with a GET (as
    // Exchange's front end allows) gets its 401 challenge, and only an authenticated request
    // learns that MAPI/HTTP wants POST (X-ResponseCode 2, MS-OXCMAPIHTTP 2.2.3.3.3).
    let user = match authenticated(state, conn, &req).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if req.method() != Method::POST {
        return failure(meta, ResponseCode::InvalidVerb, "MAPI/HTTP requests are POSTs");
    }
    let Some(type_text) = meta.request_type_text.as_deref() else {
        return failure(meta, ResponseCode::MissingHeader, "X-RequestType is required");
    };
    let Ok(request_type) = type_text.parse::<RequestType>() else {
        return failure(
            meta,
            ResponseCode::InvalidRequestType,
            &format!("unknown X-RequestType {type_text:?}"),
        );
    };
    if !request_type.valid_on(endpoint) {
        return failure(
            meta,
            ResponseCode::InvalidRequestType,
            &format!("{type_text} is not valid on this endpoint"),
        );
    }
    if meta.request_id.is_none() {
        return failure(meta, ResponseCode::MissingHeader, "X-RequestId is required");
    }
    if let Some(ct) = req.headers().get("content-type").and_then(|v| v.to_str().ok())
        && !ct.to_ascii_lowercase().starts_with(oxmapi_wire::mapihttp::common::CONTENT_TYPE_MAPI_HTTP)
    {
        return failure(
            meta,
            ResponseCode::InvalidHeader,
            &format!("Content-Type {ct:?} is not application/mapi-http"),
        );
    }
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return failure(meta, ResponseCode::TooLarge, &format!("the body may be at most {MAX_BODY} bytes"));
    }
    let body: Bytes = match read_body(state, meta, req).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    match endpoint {
        Endpoint::Emsmdb => crate::emsmdb::handle(state, user, meta, request_type, body).await,
        Endpoint::Nspi | Endpoint::Both => crate::nspi::handle(state, user, meta, request_type, body).await,
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
