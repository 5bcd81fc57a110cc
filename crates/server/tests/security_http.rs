//! Unauthenticated denial of service against the HTTP front end, on real sockets: metrics
//! labels from made-up request types, half-open (slow-loris) connections, slow bodies, and the
//! connection caps (SECURITY.md "Limits").

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{Conn, Reply, TestServer, basic, logon_private, req};
use oxmapi_core::tag::PropTag;
use oxmapi_server::ServerConfig;
use oxmapi_server::config::ConnectionLimits;
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitResponse};
use oxmapi_wire::rop::response::RopResponse;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server with these connection limits (the rest as in `TestServer::start`).
async fn server_with(limits: ConnectionLimits) -> TestServer {
    server_configured(|cfg| cfg.connections = limits).await
}

async fn server_configured(configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
    oxmapi_server::http::fdlimit::raise_to_hard_limit();
    TestServer::start_with(tempfile::tempdir().unwrap(), |cfg| {
        // The default keep-alive and wait periods, not the harness's short ones.
        let defaults = ServerConfig::new(cfg.data.clone(), cfg.listen);
        cfg.pending_period = defaults.pending_period;
        cfg.notification_wait_max = defaults.notification_wait_max;
        configure(cfg)
    })
    .await
}

fn long() -> Duration {
    Duration::from_secs(120)
}

/// A connection that sent part of a request head and nothing more.
async fn half_open(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    s
}

/// True when the server closes `s` (after whatever it sends) within `within`.
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Everything the server sends on `s` until it closes it (at most `within`).
async fn read_to_close(s: &mut TcpStream, within: Duration) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(within, s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn metrics_len(addr: SocketAddr) -> usize {
    Conn::open(addr).await.send("GET", "/metrics", &[], vec![]).await.body.len()
}

async fn unauthenticated_post(conn: &mut Conn, request_type: String) -> Reply {
    let h = [("Content-Type", "application/mapi-http".to_string()), ("X-RequestType", request_type)];
    conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await
}

/// Finding 1 of issue 14: every distinct X-RequestType of an unauthenticated POST became a
/// label of two metric families, kept forever (20,000 values grew /metrics to 111 MB). Unknown
/// request types now count under `other`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_request_types_without_credentials_do_not_grow_the_metrics() {
    let ts = server_with(ConnectionLimits::default()).await;
    let before = metrics_len(ts.addr()).await;
    let mut conn = Conn::open(ts.addr()).await;
    for i in 0..3000 {
        let r = unauthenticated_post(&mut conn, format!("x{i}")).await;
        assert_eq!(r.status, 401);
    }
    let text = String::from_utf8(Conn::open(ts.addr()).await.send("GET", "/metrics", &[], vec![]).await.body)
        .unwrap();
    let growth = text.len().saturating_sub(before);
    assert!(growth < 20_000, "/metrics grew by {growth} bytes");
    assert!(
        text.contains(
            r#"oxmapi_requests_total{endpoint="emsmdb",request_type="other",response_code="401"} 3000"#
        ),
        "{text}"
    );
    assert!(!text.contains("x2999"));
}

/// Finding 2 of issue 14 (slow-loris): half-open connections stayed open forever. Each must now
/// be closed once the header read timeout passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_are_closed_after_the_header_read_timeout() {
    let ts = server_with(ConnectionLimits {
        header_read_timeout: Duration::from_secs(1),
        unauthenticated_idle_timeout: long(),
        ..ConnectionLimits::default()
    })
    .await;
    let mut socks = Vec::new();
    for _ in 0..50 {
        socks.push(half_open(ts.addr()).await);
    }
    let started = Instant::now();
    for s in &mut socks {
        assert!(closed_within(s, Duration::from_secs(5)).await, "a half-open connection stayed open");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    let text = String::from_utf8(Conn::open(ts.addr()).await.send("GET", "/metrics", &[], vec![]).await.body)
        .unwrap();
    assert!(text.contains(r#"oxmapi_connections_closed_total{reason="header_timeout"} 50"#), "{text}");
}

/// A connection that never sends anything, or stays unauthenticated between requests, is
/// closed after the unauthenticated idle timeout; an authenticated one is kept alive.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_without_credentials_are_closed_but_authenticated_ones_kept() {
    let ts = server_with(ConnectionLimits {
        header_read_timeout: long(),
        unauthenticated_idle_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    ts.add_user("alice", false);
    let mut silent = TcpStream::connect(ts.addr()).await.unwrap();
    // One unauthenticated request answered 401, then silence.
    let mut refused = TcpStream::connect(ts.addr()).await.unwrap();
    refused.write_all(b"GET /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut authed = Conn::open(ts.addr()).await;
    let h = [("Authorization", basic("alice", common::PASSWORD))];
    assert_ne!(authed.send("GET", "/mapi/emsmdb/", &h, vec![]).await.status, 401);
    assert!(closed_within(&mut silent, Duration::from_secs(4)).await, "a silent connection stayed open");
    let reply = read_to_close(&mut refused, Duration::from_secs(4)).await;
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    // The authenticated connection still carries requests (the server did not close it).
    assert_ne!(authed.send("GET", "/mapi/emsmdb/", &h, vec![]).await.status, 401);
}

/// A request body that never arrives gets HTTP 408 once the body read timeout passes, and the
/// connection is closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_arrives_gets_408() {
    let ts = server_with(ConnectionLimits {
        body_read_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    ts.add_user("alice", false);
    let mut s = TcpStream::connect(ts.addr()).await.unwrap();
    let head = format!(
        "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nX-RequestType: Execute\r\n\
         X-RequestId: {{E2EA6C1C-E61B-49E9-9CFB-38184F907552}}:1\r\nContent-Type: application/mapi-http\r\n\
         Content-Length: 1000\r\n\r\n0123456789",
        basic("alice", common::PASSWORD)
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let reply = read_to_close(&mut s, Duration::from_secs(5)).await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

/// A request on a session context is admitted (its sequence token moves on) before its body is
/// read; when the body then never arrives, the 408 hands out the new token, so the client's
/// next request on the context is in sequence (MS-OXCMAPIHTTP 3.2.5.1) rather than refused with
/// X-ResponseCode 15.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_arrives_on_a_context_still_hands_out_the_next_sequence() {
    let ts = server_with(ConnectionLimits {
        body_read_timeout: Duration::from_secs(1),
        ..ConnectionLimits::default()
    })
    .await;
    ts.add_user("alice", false);
    let mut m = common::connected(&ts, "alice").await;
    let mut s = TcpStream::connect(ts.addr()).await.unwrap();
    let head = format!(
        "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nX-RequestType: Execute\r\n\
         X-RequestId: {{E2EA6C1C-E61B-49E9-9CFB-38184F907552}}:7\r\nContent-Type: application/mapi-http\r\n\
         Cookie: {}\r\nContent-Length: 1000\r\n\r\n0123456789",
        basic("alice", common::PASSWORD),
        m.cookie_header()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let reply = read_to_close(&mut s, Duration::from_secs(5)).await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    let next = reply
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: MapiSequence=")
                .or_else(|| l.strip_prefix("Set-Cookie: MapiSequence="))
        })
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .next()
        .unwrap_or_else(|| panic!("no new sequence cookie: {reply}"));
    m.cookies.insert("MapiSequence".into(), next);
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
}

/// Finding 2 of issue 14: under a low descriptor limit, half-open connections locked legitimate
/// clients out. With the table full of them, the oldest are closed to admit newcomers, and a
/// client logs on and lists its Inbox at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_logs_on_while_the_connection_cap_is_full_of_half_open_connections() {
    let ts = server_with(ConnectionLimits {
        header_read_timeout: long(),
        unauthenticated_idle_timeout: long(),
        max_connections: Some(64),
        max_unauthenticated: Some(32),
        ..ConnectionLimits::default()
    })
    .await;
    let alice = ts.add_user("alice", false);
    let mut socks = Vec::new();
    for _ in 0..200 {
        socks.push(half_open(ts.addr()).await);
    }
    let started = Instant::now();
    let mut l = logon_private(&ts, &alice).await;
    let inbox = l.inbox();
    let requests = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0),
        req::set_columns(2, &[PropTag(0x0037_001F)]),
        req::query_rows(2, 50, true),
    ];
    let slots = l.slots(2);
    let (resp, _) = l.m.rops(&requests, slots).await;
    assert!(matches!(resp.last(), Some(RopResponse::QueryRows(_))), "{resp:?}");
    assert_eq!(common::rv(&resp[3]), 0);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "logon + Inbox listing took {took:?}");
    // The oldest half-open connections were closed to make room.
    assert!(closed_within(&mut socks[0], Duration::from_secs(2)).await);
    assert!(!closed_within(&mut socks[199], Duration::from_millis(200)).await);
    // 32 slots: the client's connection took one before it authenticated, the newest 31
    // half-open ones hold the rest.
    let text = ts.server.state.metrics.render();
    assert!(text.contains("oxmapi_connections_unauthenticated 31\n"), "{text}");
}

/// When every slot is held by an authenticated connection, a newcomer is refused with HTTP 503
/// and `Retry-After`, not left hanging.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_is_refused_with_503_when_every_slot_is_authenticated() {
    let ts = server_with(ConnectionLimits { max_connections: Some(3), ..ConnectionLimits::default() }).await;
    ts.add_user("alice", false);
    let h = [("Authorization", basic("alice", common::PASSWORD))];
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut c = Conn::open(ts.addr()).await;
        assert_ne!(c.send("GET", "/mapi/emsmdb/", &h, vec![]).await.status, 401);
        held.push(c);
    }
    let mut s = TcpStream::connect(ts.addr()).await.unwrap();
    let reply = read_to_close(&mut s, Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(reply.contains("Retry-After: "), "{reply}");
    assert!(reply.contains("connection limit"), "{reply}");
    // A freed slot admits the next one.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut c = Conn::open(ts.addr()).await;
    assert_eq!(c.send("GET", "/healthz", &[], vec![]).await.status, 200);
}

/// The timeouts bound waiting for a request, never a response in progress: a NotificationWait
/// held longer than the header read and unauthenticated idle timeouts completes, and its
/// connection carries the next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_notification_wait_outlives_the_header_and_idle_timeouts() {
    let ts = server_configured(|cfg| {
        cfg.connections.header_read_timeout = Duration::from_secs(1);
        cfg.connections.unauthenticated_idle_timeout = Duration::from_secs(1);
        cfg.notification_wait_max = Duration::from_secs(3);
        cfg.pending_period = Duration::from_millis(500);
    })
    .await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let started = Instant::now();
    let r = l
        .m
        .request("NotificationWait", NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode())
        .await;
    assert_eq!(r.response_code(), Some(0));
    assert!(NotificationWaitResponse::decode(&r.mapi_body()).unwrap().success().is_some());
    assert!(started.elapsed() >= Duration::from_millis(2500), "{:?}", started.elapsed());
    let (resp, _) = l.m.rops(&[req::query_position(0)], l.slots(0)).await;
    assert_eq!(resp.len(), 1);
}

/// Reads one HTTP response (head and its Content-Length body) from `s`; the head as text.
async fn read_response(s: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match tokio::time::timeout(Duration::from_secs(5), s.read(&mut byte)).await {
            Ok(Ok(1)) => buf.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let len = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    tokio::time::timeout(Duration::from_secs(5), s.read_exact(&mut body)).await.ok()?.ok()?;
    Some(head)
}

/// NTLM authenticates the connection (MS-NLMP 1.3.1.1, connection-oriented), so a client that
/// sends its body with the request that gets the 401 challenge — as clients written against
/// Exchange do on a POST — must keep the connection. The server reads and discards the refused
/// request's body (up to MAX_BODY, within the body read timeout) instead of closing the
/// connection when the body arrives after the 401.
#[tokio::test]
async fn a_challenged_post_keeps_its_connection_when_its_body_comes_late() {
    let ts = TestServer::start().await;
    let mut s = TcpStream::connect(ts.addr()).await.unwrap();
    let body = vec![0u8; 4096];
    let head = format!(
        "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nX-RequestType: Connect\r\nX-RequestId: {{0}}:1\r\n\
         Content-Type: application/mapi-http\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    s.write_all(&body).await.unwrap();
    let first = read_response(&mut s).await.expect("the 401");
    assert!(first.starts_with("HTTP/1.1 401"), "{first}");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let second = read_response(&mut s).await.expect("the connection is still open after the 401");
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
}
