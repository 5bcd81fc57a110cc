//! The MAPI/HTTP transport against the real server on 127.0.0.1 (plain and TLS), plus a few
//! hand-written HTTP peers for behaviours the server does not exhibit on demand (a kept-alive
//! connection closed under the client, gromox-style keep-alives, a late X-ResponseCode).

use std::time::Duration;

use oxmapi_client::transport::*;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_server::{Server, ServerConfig, TlsMode};
use oxmapi_store::{NewUser, User};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::common::RequestType;
use oxmapi_wire::mapihttp::emsmdb::{ConnectRequest, MAX_ROP_OUT};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::GetPropertiesSpecificRequest;
use oxmapi_wire::rop::oxcstor::{LogonRequest, LogonResponse};
use oxmapi_wire::rop::{RopRequest, RopResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PASSWORD: &str = "Secret-1";
const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PR_STORE_SUPPORT_MASK: PropTag = PropTag(0x340D_0003);

struct TestServer {
    server: Server,
    alice: User,
    _dir: tempfile::TempDir,
}

async fn start(tls: TlsMode) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    // Off the runtime: the PostgreSQL driver (OXMAPI_TEST_DATABASE) panics on its threads.
    let (data, alice) = std::thread::scope(|s| {
        s.spawn(|| {
            let data = oxmapi_store::test_site(dir.path());
            let alice = data
                .add_user(&NewUser {
                    name: "alice".into(),
                    password: PASSWORD.into(),
                    display_name: Some("Alice Archer".into()),
                    email: None,
                    admin: false,
                    hidden: false,
                })
                .unwrap();
            (data, alice)
        })
        .join()
        .unwrap()
    });
    let mut cfg = ServerConfig::new(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
    cfg.tls = tls;
    cfg.pending_period = Duration::from_millis(100);
    cfg.notification_wait_max = Duration::from_millis(400);
    let server = Server::start_site(cfg, Some(data)).await.unwrap();
    TestServer { server, alice, _dir: dir }
}

fn creds(password: &str) -> Credentials {
    Credentials { user: "alice".into(), domain: String::new(), password: password.into() }
}

fn identity() -> ClientIdentity {
    ClientIdentity::new("Outlook/16.0.0.0")
}

fn emsmdb(url: &str, auth: Auth, tls: TlsOptions, password: &str) -> EmsmdbClient {
    EmsmdbClient::new(MapiHttp::new(Endpoint::new(url), creds(password), auth, tls, identity()))
}

fn connect_req(dn: &str) -> ConnectRequest {
    ConnectRequest {
        user_dn: dn.into(),
        flags: 0,
        default_code_page: 1252,
        lcid_sort: 1033,
        lcid_string: 1033,
        auxiliary_buffer: vec![],
    }
}

fn logon(dn: &str) -> RopRequest {
    RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 1,
        open_flags: 0x0100_040C,
        store_state: 0,
        essdn: Some(dn.into()),
    })
}

/// Connect + private RopLogon; returns the logon handle.
async fn logged_on(c: &mut EmsmdbClient, dn: &str) -> u32 {
    let ok = c.connect(&connect_req(dn)).await.unwrap();
    assert_eq!(ok.error_code, 0, "Connect ErrorCode");
    let out = c.execute(&[logon(dn)], &[UNUSED_HANDLE], MAX_ROP_OUT).await.unwrap();
    assert_eq!(out.error_code, 0);
    let RopResponse::Logon(o) = &out.responses[0] else { panic!("{:?}", out.responses) };
    assert_eq!(o.return_value, 0);
    assert!(matches!(o.body, Some(LogonResponse::Private(_))), "{o:?}");
    out.handles[0]
}

#[tokio::test]
async fn autodiscover_connect_execute_ping_disconnect_with_basic() {
    let ts = start(TlsMode::Plain).await;
    let base = ts.server.url();
    let ad =
        autodiscover(&base, &creds(PASSWORD), Auth::Basic, &TlsOptions::default(), "alice").await.unwrap();
    assert_eq!(ad.legacy_dn, ts.alice.legacy_dn);
    assert_eq!(ad.display_name, "Alice Archer");
    assert_eq!(ad.smtp_address, ts.alice.smtp_address);
    let store_url = ad.urls.mailstore().map(str::to_string).expect("MailStore URL");
    assert!(store_url.starts_with(&format!("{base}/mapi/emsmdb/?MailboxId=")), "{store_url}");
    assert!(ad.urls.addressbook().unwrap().contains("/mapi/nspi/"));

    let mut c = emsmdb(&store_url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let ok = c.connect(&connect_req(&ad.legacy_dn)).await.unwrap();
    assert_eq!(ok.error_code, 0);
    assert_eq!(ok.display_name, "Alice Archer");
    assert!(c.is_connected());
    let names: Vec<String> = c.http.cookies().into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"MapiContext".to_string()), "{names:?}");
    assert!(c.http.expiration_ms().is_some_and(|ms| ms > 0));
    assert!(c.http.server_application().is_some_and(|s| s.starts_with("Exchange/15.")));
    assert_eq!(c.http.peer_certificate_sha256(), None);

    let handle = {
        let out = c.execute(&[logon(&ad.legacy_dn)], &[UNUSED_HANDLE], MAX_ROP_OUT).await.unwrap();
        let RopResponse::Logon(o) = &out.responses[0] else { panic!("{:?}", out.responses) };
        assert_eq!(o.return_value, 0);
        let Some(LogonResponse::Private(p)) = &o.body else { panic!("{o:?}") };
        assert_eq!(p.mailbox_guid, ts.alice.mailbox_guid);
        out.handles[0]
    };
    assert_ne!(handle, UNUSED_HANDLE);

    // RopGetPropertiesSpecific rows are decoded with the request's tags.
    let props = RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: 0,
        property_size_limit: 0,
        want_unicode: 1,
        property_tags: vec![PR_DISPLAY_NAME, PR_STORE_SUPPORT_MASK],
    });
    let out = c.execute(&[props], &[handle], MAX_ROP_OUT).await.unwrap();
    let RopResponse::GetPropertiesSpecific(o) = &out.responses[0] else { panic!("{:?}", out.responses) };
    assert_eq!(o.return_value, 0);
    let Rows::Decoded { rows, .. } = &o.body.as_ref().unwrap().row else { panic!("rows left raw") };
    assert_eq!(rows[0].values.len(), 2);
    assert!(!matches!(rows[0].values[0], RowValue::Error { .. }), "{:?}", rows[0].values);

    c.ping().await.unwrap();
    assert!(!c.notification_wait().await.unwrap(), "no event is pending");
    c.disconnect().await.unwrap();
    assert!(!c.is_connected());
    assert!(c.http.cookies().is_empty(), "{:?}", c.http.cookies());

    // The context is gone: an Execute now lacks (or names a dead) context.
    let err = c.execute(&[logon(&ad.legacy_dn)], &[UNUSED_HANDLE], MAX_ROP_OUT).await.unwrap_err();
    assert!(matches!(err, TransportError::ResponseCode { code: 10 | 13, .. }), "{err:?}");
}

#[tokio::test]
async fn execute_after_disconnect_with_the_old_cookie_is_context_not_found() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    logged_on(&mut c, &ts.alice.legacy_dn).await;
    let old = c.http.cookies();
    c.disconnect().await.unwrap();
    for (n, v) in &old {
        c.http.set_cookie(n, v);
    }
    let err = c.execute(&[], &[], MAX_ROP_OUT).await.unwrap_err();
    assert!(
        matches!(err, TransportError::ResponseCode { code: 10, name: "Context Not Found", .. }),
        "{err:?}"
    );
    assert_eq!(err.to_mapi().code, codes::MAPI_E_END_OF_SESSION);
}

#[tokio::test]
async fn ntlm_works_end_to_end_and_survives_a_new_connection() {
    let ts = start(TlsMode::Plain).await;
    let ad = autodiscover(&ts.server.url(), &creds(PASSWORD), Auth::Ntlm, &TlsOptions::default(), "alice")
        .await
        .unwrap();
    assert_eq!(ad.legacy_dn, ts.alice.legacy_dn);
    let mut c = emsmdb(ad.urls.mailstore().unwrap(), Auth::Ntlm, TlsOptions::default(), PASSWORD);
    let handle = logged_on(&mut c, &ad.legacy_dn).await;
    c.ping().await.unwrap();
    // NTLM authenticates the connection: a new one authenticates again.
    c.http.close_connection();
    let out = c.execute(&[], &[handle], MAX_ROP_OUT).await.unwrap();
    assert_eq!(out.error_code, 0);
    c.disconnect().await.unwrap();
}

#[tokio::test]
async fn auto_picks_ntlm_and_domain_forms_work() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    let creds =
        Credentials { user: "OXMAPI\\alice".into(), domain: String::new(), password: PASSWORD.into() };
    let mut c = EmsmdbClient::new(MapiHttp::new(
        Endpoint::new(url),
        creds,
        Auth::Auto,
        TlsOptions::default(),
        identity(),
    ));
    logged_on(&mut c, &ts.alice.legacy_dn).await;
    c.disconnect().await.unwrap();
}

#[tokio::test]
async fn wrong_password_is_unauthorized() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    for auth in [Auth::Basic, Auth::Ntlm, Auth::Auto] {
        let mut c = emsmdb(&url, auth, TlsOptions::default(), "wrong-password");
        let err = c.connect(&connect_req(&ts.alice.legacy_dn)).await.unwrap_err();
        let TransportError::Unauthorized(msg) = &err else { panic!("{auth:?}: {err:?}") };
        assert!(msg.contains("alice"), "{msg}");
        let m = err.to_mapi();
        assert_eq!(m.code, codes::MAPI_E_LOGON_FAILED);
        assert!(m.message.contains("password"), "{}", m.message);
    }
    let err = autodiscover(&ts.server.url(), &creds("nope"), Auth::Basic, &TlsOptions::default(), "alice")
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Unauthorized(_)), "{err:?}");
}

#[tokio::test]
async fn a_tampered_sequence_cookie_is_invalid_sequence() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let handle = logged_on(&mut c, &ts.alice.legacy_dn).await;
    // Every Execute gets a new sequence cookie, which the next request must echo.
    let seq =
        |c: &EmsmdbClient| c.http.cookies().into_iter().find(|(n, _)| n == "MapiSequence").map(|(_, v)| v);
    let first = seq(&c).expect("a MapiSequence cookie");
    c.execute(&[], &[handle], MAX_ROP_OUT).await.unwrap();
    assert_ne!(seq(&c).unwrap(), first);
    c.http.set_cookie("MapiSequence", "00000000-0000-0000-0000-000000000000");
    let err = c.execute(&[], &[handle], MAX_ROP_OUT).await.unwrap_err();
    let TransportError::ResponseCode { code, name, detail } = &err else { panic!("{err:?}") };
    assert_eq!((*code, *name), (15, "Invalid Sequence"));
    assert!(!detail.is_empty() && !detail.contains('<'), "{detail}");
    assert_eq!(err.to_mapi().code, codes::MAPI_E_CALL_FAILED);
}

#[tokio::test]
async fn reconnect_keeps_the_cookies_and_a_fresh_connect_clears_them() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    logged_on(&mut c, &ts.alice.legacy_dn).await;
    let ctx =
        |c: &EmsmdbClient| c.http.cookies().into_iter().find(|(n, _)| n == "MapiContext").map(|(_, v)| v);
    let first = ctx(&c).unwrap();
    // A reconnect replaces the context.
    assert_eq!(c.connect(&connect_req(&ts.alice.legacy_dn)).await.unwrap().error_code, 0);
    let second = ctx(&c).unwrap();
    assert_ne!(first, second);
    c.forget();
    assert!(c.http.cookies().is_empty());
    assert_eq!(c.connect(&connect_req(&ts.alice.legacy_dn)).await.unwrap().error_code, 0);
    assert_ne!(ctx(&c).unwrap(), second);
}

#[tokio::test]
async fn tls_with_a_pinned_self_signed_certificate() {
    let ts = start(TlsMode::SelfSigned).await;
    let pin = ts.server.fingerprint.clone().expect("TLS fingerprint");
    let base = ts.server.url();
    assert!(base.starts_with("https://"));
    let tls = TlsOptions { ca_file: None, pin_sha256: Some(pin.clone()) };
    let ad = autodiscover(&base, &creds(PASSWORD), Auth::Basic, &tls, "alice").await.unwrap();
    let url = ad.urls.mailstore().unwrap().to_string();
    assert!(url.starts_with("https://"), "{url}");
    let mut c = emsmdb(&url, Auth::Auto, tls, PASSWORD);
    logged_on(&mut c, &ad.legacy_dn).await;
    assert_eq!(c.http.peer_certificate_sha256().as_deref(), Some(pin.as_str()));
    c.disconnect().await.unwrap();

    // Another pin: refused during the handshake.
    let wrong = TlsOptions { ca_file: None, pin_sha256: Some("ab".repeat(32)) };
    let mut c = emsmdb(&url, Auth::Basic, wrong, PASSWORD);
    let err = c.connect(&connect_req(&ad.legacy_dn)).await.unwrap_err();
    let TransportError::Io(msg) = &err else { panic!("{err:?}") };
    assert!(msg.contains(&pin), "the message names the server's fingerprint: {msg}");
    assert_eq!(err.to_mapi().code, codes::MAPI_E_NETWORK_ERROR);

    // No pin and no CA file: the self-signed certificate is not trusted.
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let err = c.connect(&connect_req(&ad.legacy_dn)).await.unwrap_err();
    assert!(matches!(err, TransportError::Io(_)), "{err:?}");

    // The certificate as a CA file works when the name matches (it lists 127.0.0.1).
    let ca = ts._dir.path().join("tls/self-signed.pem");
    let tls = TlsOptions { ca_file: Some(ca), pin_sha256: None };
    let mut c = emsmdb(&url, Auth::Basic, tls, PASSWORD);
    assert_eq!(c.connect(&connect_req(&ad.legacy_dn)).await.unwrap().error_code, 0);
}

#[tokio::test]
async fn a_cancelled_request_does_not_block_the_next_one() {
    let ts = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", ts.server.url());
    let mut c = emsmdb(&url, Auth::Ntlm, TlsOptions::default(), PASSWORD);
    logged_on(&mut c, &ts.alice.legacy_dn).await;
    // Give up on a NotificationWait (held for 400 ms) after 50 ms; PING must not wait for it.
    let r = tokio::time::timeout(Duration::from_millis(50), c.notification_wait()).await;
    assert!(r.is_err(), "the wait should still be held");
    let started = std::time::Instant::now();
    c.ping().await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(350), "{:?}", started.elapsed());
    c.disconnect().await.unwrap();
}

#[tokio::test]
async fn connection_refused_is_io_naming_the_url() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let url = format!("http://127.0.0.1:{port}/mapi/emsmdb/");
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let err = c.ping().await.unwrap_err();
    let TransportError::Io(msg) = &err else { panic!("{err:?}") };
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
}

// ---- hand-written peers -------------------------------------------------------------------

/// Reads one HTTP request (head and Content-Length body); `None` at EOF.
async fn read_request(s: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut b = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut b).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&b[..n]);
            }
            return Some(head);
        }
        let n = s.read(&mut b).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&b[..n]);
    }
}

const CHUNKED_OK: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/mapi-http\r\nX-ResponseCode: 0\r\n\
     X-ExpirationInfo: 900000\r\nSet-Cookie: sid=abc; path=/\r\nTransfer-Encoding: chunked\r\n\r\n\
     c\r\nPROCESSING\r\n\r\n7\r\nPENDING\r\n7\r\nPENDING\r\n\
     1e\r\nDONE\r\nX-ElapsedTime: 1\r\n\r\nbody\r\n0\r\n\r\n";

#[tokio::test]
async fn a_closed_keep_alive_connection_is_replaced_once_and_gromox_keepalives_parse() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mapi/emsmdb/", l.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let mut heads = Vec::new();
        // Connection 1: answers one request, then reads the next and hangs up without answering.
        let (mut s, _) = l.accept().await.unwrap();
        heads.push(read_request(&mut s).await.unwrap());
        s.write_all(CHUNKED_OK.as_bytes()).await.unwrap();
        heads.push(read_request(&mut s).await.unwrap());
        drop(s);
        // Connection 2: answers.
        let (mut s, _) = l.accept().await.unwrap();
        heads.push(read_request(&mut s).await.unwrap());
        s.write_all(CHUNKED_OK.as_bytes()).await.unwrap();
        heads
    });
    let mut h =
        MapiHttp::new(Endpoint::new(url), creds(PASSWORD), Auth::Basic, TlsOptions::default(), identity());
    assert_eq!(h.request(RequestType::Ping, vec![]).await.unwrap(), b"body".to_vec());
    assert_eq!(h.cookies(), vec![("sid".to_string(), "abc".to_string())]);
    assert_eq!(h.expiration_ms(), Some(900_000));
    assert_eq!(h.request(RequestType::Ping, vec![1, 2]).await.unwrap(), b"body".to_vec());
    let heads = server.await.unwrap();
    assert_eq!(heads.len(), 3);
    let lower: Vec<String> = heads.iter().map(|h| h.to_ascii_lowercase()).collect();
    assert!(lower[1].contains("cookie: sid=abc"), "{}", heads[1]);
    assert!(lower[0].contains("authorization: basic "), "{}", heads[0]);
    assert!(lower[0].contains("x-requesttype: ping"));
    assert!(lower[0].contains("x-clientapplication: outlook/16.0.0.0"));
    let id = |h: &str| {
        h.lines()
            .find_map(|l| l.strip_prefix("X-RequestId: ").or_else(|| l.strip_prefix("x-requestid: ")))
            .unwrap()
            .to_string()
    };
    let (a, b, c) = (id(&heads[0]), id(&heads[1]), id(&heads[2]));
    assert!(a.ends_with(":1") && b.ends_with(":2") && c.ends_with(":2"), "{a} {b} {c}");
    assert_eq!(a.split(':').next(), b.split(':').next());
}

#[tokio::test]
async fn late_response_codes_and_http_errors() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mapi/emsmdb/", l.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        read_request(&mut s).await.unwrap();
        let body = "PROCESSING\r\nDONE\r\nX-ResponseCode: 18\r\n\r\nshutting down";
        let resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/mapi-http\r\nX-ResponseCode: 0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(resp.as_bytes()).await.unwrap();
        read_request(&mut s).await.unwrap();
        let resp =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nbusy!";
        s.write_all(resp.as_bytes()).await.unwrap();
        read_request(&mut s).await.unwrap();
        let resp = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 8\r\n\r\n<p>x</p>";
        s.write_all(resp.as_bytes()).await.unwrap();
        read_request(&mut s).await.unwrap();
        let resp = "HTTP/1.1 200 OK\r\nX-ResponseCode: 0\r\nContent-Length: 5\r\n\r\nHELLO";
        s.write_all(resp.as_bytes()).await.unwrap();
    });
    let mut h =
        MapiHttp::new(Endpoint::new(url), creds(PASSWORD), Auth::Basic, TlsOptions::default(), identity());
    let err = h.request(RequestType::Ping, vec![]).await.unwrap_err();
    assert!(
        matches!(&err, TransportError::ResponseCode { code: 18, name: "Endpoint Shutting Down", detail } if detail == "shutting down"),
        "{err:?}"
    );
    let err = h.request(RequestType::Ping, vec![]).await.unwrap_err();
    assert!(matches!(&err, TransportError::Http(503, m) if m.contains("busy!")), "{err:?}");
    let err = h.request(RequestType::Ping, vec![]).await.unwrap_err();
    assert!(matches!(&err, TransportError::Protocol(m) if m.contains("X-ResponseCode")), "{err:?}");
    let err = h.request(RequestType::Ping, vec![]).await.unwrap_err();
    assert!(
        matches!(&err, TransportError::Protocol(m) if m.contains("malformed response stream")),
        "{err:?}"
    );
}

#[tokio::test]
async fn auto_falls_back_to_basic_when_only_basic_is_offered() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mapi/emsmdb/", l.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        let first = read_request(&mut s).await.unwrap();
        let resp = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 4\r\n\r\nnope";
        s.write_all(resp.as_bytes()).await.unwrap();
        let second = read_request(&mut s).await.unwrap();
        s.write_all(CHUNKED_OK.as_bytes()).await.unwrap();
        (first, second)
    });
    let mut h =
        MapiHttp::new(Endpoint::new(url), creds(PASSWORD), Auth::Auto, TlsOptions::default(), identity());
    assert_eq!(h.request(RequestType::Ping, vec![]).await.unwrap(), b"body".to_vec());
    let (first, second) = server.await.unwrap();
    assert!(!first.to_ascii_lowercase().contains("authorization:"), "{first}");
    // "alice:Secret-1"
    assert!(second.contains("Basic YWxpY2U6U2VjcmV0LTE="), "{second}");
}

#[test]
fn block_on_drives_the_async_api_without_a_runtime() {
    let r = block_on(async {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let mut h = MapiHttp::new(
            Endpoint::new(format!("http://127.0.0.1:{port}/")),
            creds(PASSWORD),
            Auth::Basic,
            TlsOptions::default(),
            identity(),
        );
        h.request(RequestType::Ping, vec![]).await
    });
    assert!(matches!(r, Err(TransportError::Io(_))));
}

/// A fake MAPI/HTTP peer answering every request with X-ResponseCode 10, with `extra` headers;
/// counts the requests it got.
async fn context_not_found_peer(
    extra: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mapi/emsmdb/", l.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                while read_request(&mut s).await.is_some() {
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let body = "<html><body>context gone</body></html>";
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-ResponseCode: 10\r\n{extra}Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if s.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

/// Issue 15: a context the administrator killed (X-ResponseCode 10 with
/// `X-Oxmapi-Context-Ended: killed`) ends the transport: MAPI_E_END_OF_SESSION naming the
/// administrator, and no later request — a reconnecting Connect included — reaches the server.
#[tokio::test]
async fn a_context_killed_by_the_administrator_is_not_reconnected() {
    let (url, seen) = context_not_found_peer("X-Oxmapi-Context-Ended: killed\r\n").await;
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let err = c.ping().await.unwrap_err();
    assert!(matches!(err, TransportError::ContextEnded(_)), "{err:?}");
    let mapi = err.to_mapi();
    assert_eq!(mapi.code, codes::MAPI_E_END_OF_SESSION);
    assert!(mapi.message.contains("ended by the administrator"), "{}", mapi.message);
    let again = c.connect(&connect_req("/o=x/cn=alice")).await.unwrap_err();
    assert!(matches!(again, TransportError::ContextEnded(_)), "{again:?}");
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1, "the second request reached the server");
}

/// Without the extension header X-ResponseCode 10 stays "Context Not Found" (expiry, restart):
/// the caller reconnects, and the reconnect reaches the server.
#[tokio::test]
async fn context_not_found_without_the_kill_header_still_reconnects() {
    let (url, seen) = context_not_found_peer("").await;
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let err = c.ping().await.unwrap_err();
    assert!(matches!(err, TransportError::ResponseCode { code: 10, .. }), "{err:?}");
    let _ = c.connect(&connect_req("/o=x/cn=alice")).await;
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// Issue 15: a pending request (a NotificationWait, already answered with X-ResponseCode 0 and
/// PENDING keep-alives) that the administrator's kill ends gets the code and the extension
/// header after DONE (MS-OXCMAPIHTTP 2.2.7): the transport ends there too.
#[tokio::test]
async fn a_pending_wait_ended_by_the_administrator_after_done_ends_the_transport() {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mapi/emsmdb/", l.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        read_request(&mut s).await.unwrap();
        let body = "PROCESSING\r\nPENDING\r\nDONE\r\nX-ResponseCode: 10\r\nX-Oxmapi-Context-Ended: killed\r\n\r\nended";
        let resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/mapi-http\r\nX-ResponseCode: 0\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(resp.as_bytes()).await.unwrap();
        // Nothing more may arrive: hold the connection to see.
        let _ = read_request(&mut s).await;
    });
    let mut c = emsmdb(&url, Auth::Basic, TlsOptions::default(), PASSWORD);
    let err = c.notification_wait().await.unwrap_err();
    assert!(
        matches!(&err, TransportError::ContextEnded(m) if m.contains("ended by the administrator")),
        "{err:?}"
    );
    let again = c.ping().await.unwrap_err();
    assert!(matches!(again, TransportError::ContextEnded(_)), "{again:?}");
}
