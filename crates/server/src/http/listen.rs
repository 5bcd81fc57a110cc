//! The accept loop and the life of each connection: admission to the connection table (caps,
//! eviction, HTTP 503 refusal), the header read timeout (hyper's, which also bounds keep-alive
//! idleness), the unauthenticated idle timeout, and rate-limited accept-failure warnings with
//! back-off (SECURITY.md "Limits").

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use super::accept::{self, AcceptFailures};
use super::conns::{self, Admission, ConnectionTable, Slot};
use super::{fdlimit, route};
use crate::auth::ConnAuth;
use crate::metrics::CloseReason;
use crate::state::ServerState;

/// `Retry-After` (seconds) of the HTTP 503 sent to a connection refused at the connection cap.
pub const REFUSAL_RETRY_AFTER_SECS: u64 = 5;
/// Longest time spent writing the HTTP 503 to a refused connection.
const REFUSAL_WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// Most bytes a connection's read buffer holds: a request head must fit (else HTTP 431
/// Request Header Fields Too Large and the connection is closed), and a body is read through it
/// in pieces of at most this size. MAPI/HTTP heads are a few hundred bytes, a few KB with an
/// NTLM token and cookies (http.sys's default MaxRequestBytes is 16 KB). hyper's default is
/// ~400 KB, which let each half-open connection hold that much.
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// One connection as its requests see it: its authentication state and its place in the
/// connection table.
pub(super) struct ConnCtx {
    pub(super) auth: Arc<Mutex<ConnAuth>>,
    pub(super) slot: Slot,
    /// The client's address.
    pub(super) peer: SocketAddr,
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
        descriptor_limit = ?fdlimit::soft_limit(),
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
    let ctx = Arc::new(ConnCtx { auth: Arc::default(), slot, peer });
    let svc = service_fn(move |req| {
        let request = ctx.slot.conn().begin_request();
        let response = route(state.clone(), ctx.clone(), req);
        async move { Ok::<_, Infallible>(response.await.map(|body| conns::track(body, request))) }
    });
    let mut builder = http1::Builder::new();
    // hyper times every wait for a request head, the first and each next one on a kept-alive
    // connection, from the moment it starts reading it.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_REQUEST_HEAD);
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
