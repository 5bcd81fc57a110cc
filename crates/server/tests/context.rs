//! Session contexts over real HTTP (MS-OXCMAPIHTTP 3.2.5.x): cookies, sequencing, identity
//! binding, expiry and PING, malformed and oversize bodies, authentication, health and metrics.

mod common;

use std::time::Duration;

use common::*;
use oxmapi_core::error::codes;
use oxmapi_wire::mapihttp::emsmdb::*;

fn empty_execute() -> Vec<u8> {
    // An RPC_HEADER_EXT block around an empty ROP buffer (RopSize 2).
    oxmapi_wire::rpc_ext::encode_block(
        &[2, 0],
        oxmapi_wire::rpc_ext::EncodeOptions { compress: false, xor: false, last: true },
    )
    .unwrap()
}

#[tokio::test]
async fn cookies_and_sequence() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut m = connected(&ts, "alice").await;
    let r = m.execute_raw(0, empty_execute(), 0x8008).await;
    assert_eq!(r.response_code(), Some(0));
    // The sequence cookie rotates; an old one is refused.
    let seq = m.cookies["MapiSequence"].clone();
    let r = m.execute_raw(0, empty_execute(), 0x8008).await;
    assert_eq!(r.response_code(), Some(0));
    m.cookies.insert("MapiSequence".into(), seq);
    let r = m.execute_raw(0, empty_execute(), 0x8008).await;
    assert_eq!(r.response_code(), Some(15), "stale sequence");
    // Without the sequence cookie.
    m.cookies.remove("MapiSequence");
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(13));
    // Without the context cookie.
    m.cookies.clear();
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(13));
    // An unknown context: a cookie of this server's shape that names no live context.
    m.cookies.insert("MapiContext".into(), "0123456789abcdef0123456789abcdef".into());
    m.cookies.insert("MapiSequence".into(), "0123".into());
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(10));
}

#[tokio::test]
async fn identity_is_bound_to_the_context() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    ts.add_user("bob", false);
    let mut m = connected(&ts, "alice").await;
    m.auth = basic("bob", PASSWORD);
    let r = m.execute_raw(0, empty_execute(), 0x8008).await;
    assert_eq!(r.response_code(), Some(10), "another identity on alice's context");
}

#[tokio::test]
async fn overlapping_requests_are_refused_but_notification_wait_may_overlap() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut m = connected(&ts, "alice").await;
    // A NotificationWait on a second connection, with the same cookies, waits (1 s cap in tests)
    // while Execute and PING go on.
    let mut waiter = Mapi::new(&ts, "alice").await;
    waiter.cookies = m.cookies.clone();
    let wait = tokio::spawn(async move {
        let r = waiter.request("NotificationWait", vec![0; 8]).await;
        (r.response_code(), r.mapi_body(), r.body)
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(0));
    assert_eq!(m.request("PING", vec![]).await.response_code(), Some(0));
    let (code, body, raw) = wait.await.unwrap();
    assert_eq!(code, Some(0));
    let ok = NotificationWaitResponse::decode(&body).unwrap();
    assert_eq!(ok.success().unwrap().event_pending, 0, "no event: completes after the cap");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("PROCESSING\r\n") && text.contains("PENDING\r\n"), "keep-alives: {text:?}");
}

#[tokio::test]
async fn idle_contexts_expire_and_ping_keeps_them() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    ts.set("session-idle-timeout", "1");
    let mut m = connected(&ts, "alice").await;
    assert_eq!(m.request("PING", vec![]).await.header("X-ExpirationInfo"), Some("1000"));
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(m.request("PING", vec![]).await.response_code(), Some(0), "PING keeps it alive");
    }
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(10), "expired");
    assert_eq!(ts.server.state.sessions.len(), 0, "reaped");
}

#[tokio::test]
async fn disconnect_destroys_the_context() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut m = connected(&ts, "alice").await;
    let saved = m.cookies.clone();
    let r = m.request("Disconnect", vec![0, 0, 0, 0]).await;
    assert_eq!(r.response_code(), Some(0));
    let ok = DisconnectResponse::decode(&r.mapi_body()).unwrap();
    assert_eq!(ok.status_code(), 0);
    m.cookies = saved;
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(10));
}

#[tokio::test]
async fn malformed_execute_bodies() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut m = connected(&ts, "alice").await;
    // Not an Execute body at all.
    assert_eq!(m.request("Execute", vec![0xFF; 5]).await.response_code(), Some(12));
    // A body whose ROP buffer is not an RPC_HEADER_EXT block: ErrorCode ecRpcFormat.
    let r = m.execute_raw(0, vec![0xAA; 12], 0x8008).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    let ok = ExecuteResponse::decode(&r.mapi_body()).unwrap();
    assert_eq!(ok.success().unwrap().error_code, codes::EC_RPC_FORMAT.0);
    // A well-framed buffer with a reserved RopId inside.
    let block = oxmapi_wire::rpc_ext::encode_block(
        &[5, 0, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF],
        oxmapi_wire::rpc_ext::EncodeOptions { compress: false, xor: false, last: true },
    )
    .unwrap();
    let r = m.execute_raw(0, block, 0x8008).await;
    let ok = ExecuteResponse::decode(&r.mapi_body()).unwrap();
    assert_eq!(ok.success().unwrap().error_code, codes::EC_RPC_FORMAT.0);
    // MaxRopOut below 8: the RPC fails (StatusCode), the context survives.
    let r = m.execute_raw(0, empty_execute(), 4).await;
    let resp = ExecuteResponse::decode(&r.mapi_body()).unwrap();
    assert_eq!(resp.status_code(), EC_RPC_FAILED);
    assert_eq!(m.execute_raw(0, empty_execute(), 0x8008).await.response_code(), Some(0));
    // Random garbage of many shapes never crashes the server.
    let mut seed = 0x1234_5678u32;
    for len in [0usize, 1, 3, 8, 16, 17, 64, 300] {
        let body: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (seed >> 16) as u8
            })
            .collect();
        let code = m.request("Execute", body).await.response_code();
        assert!(matches!(code, Some(0) | Some(12)), "{code:?}");
    }
    assert_eq!(m.request("PING", vec![]).await.response_code(), Some(0));
}

#[tokio::test]
async fn oversize_bodies_are_refused_from_content_length() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut c = Conn::open(ts.addr()).await;
    // Announce 64 MiB but send nothing: the server must answer without waiting for the body.
    let stream = tokio::net::TcpStream::connect(ts.addr()).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let head = format!(
        "POST /mapi/emsmdb/ HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nX-RequestType: Execute\r\n\
         X-RequestId: {{A}}:1\r\nContent-Type: application/mapi-http\r\nContent-Length: 67108864\r\n\r\n",
        basic("alice", PASSWORD)
    );
    wr.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), rd.read(&mut buf)).await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&buf[..n]).to_lowercase();
    assert!(text.contains("x-responsecode: 9"), "{text}");
    // And the server still serves others.
    let r = c.send("GET", "/healthz", &[], vec![]).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn authentication_is_required() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, "alice").await;
    m.auth = basic("alice", "wrong");
    let (r, _) = m.connect(&alice.legacy_dn, 0).await;
    assert_eq!(r.status, 401);
    let offered: Vec<_> = r
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| v.clone())
        .collect();
    assert!(offered.iter().any(|v| v.starts_with("Basic")) && offered.iter().any(|v| v == "NTLM"));
    let r = m.conn.send("POST", "/mapi/emsmdb/", &[("X-RequestType", "PING".into())], vec![]).await;
    assert_eq!(r.status, 401, "anonymous");
    m.auth = basic("nobody", PASSWORD);
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.0.status, 401);
}

#[tokio::test]
async fn ntlmv2_authenticates_the_connection() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, "alice").await;
    let (challenged, (r, ok)) = ntlm_connect(&mut m, &alice.legacy_dn, "alice", PASSWORD).await;
    assert_eq!(challenged.status, 401);
    assert_eq!(r.status, 200);
    assert_eq!(ok.unwrap().error_code, 0);
    // The connection stays authenticated without an Authorization header.
    m.auth = String::new();
    let mut h = m.ping_headers();
    h.retain(|(_, v)| !v.is_empty());
    let r = m.conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await;
    assert_eq!(r.response_code(), Some(0));
    // A wrong password is refused.
    let mut m2 = Mapi::new(&ts, "alice").await;
    let (_, (r, _)) = ntlm_connect(&mut m2, &alice.legacy_dn, "alice", "nope").await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn health_and_metrics() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let _m = connected(&ts, "alice").await;
    let mut c = Conn::open(ts.addr()).await;
    let r = c.send("GET", "/healthz", &[], vec![]).await;
    assert_eq!((r.status, r.body.as_slice()), (200, b"ok\n".as_slice()));
    let r = c.send("GET", "/metrics", &[], vec![]).await;
    let text = String::from_utf8(r.body).unwrap();
    assert!(text.contains("oxmapi_sessions 1"), "{text}");
    assert!(text.contains("request_type=\"Connect\""), "{text}");
    assert!(text.contains("oxmapi_request_duration_seconds_bucket"), "{text}");
}
