//! The client against a hostile server (issue 14 items 9 and 10), on real sockets on
//! 127.0.0.1: an Autodiscover front that names another origin for the MAPI/HTTP endpoints, a
//! trap there that asks for Basic, a server that offers NTLM and then asks for Basic over plain
//! HTTP, and fake MAPI/HTTP servers that never end a table or an Execute.
//!
//! The fronts and traps speak just enough HTTP/1.1 by hand; the Autodiscover answers and NTLM
//! come from the real server behind the front; the fake MAPI/HTTP servers build their answers
//! with oxmapi-wire's codecs (MS-OXCMAPIHTTP 2.2.4–2.2.5, MS-OXCROPS).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi, Session, TransportSettings};
use oxmapi_core::MapiError;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::mapihttp::emsmdb::{
    ConnectResponse, ConnectSuccess, DisconnectResponse, DisconnectSuccess, ExecuteRequest, ExecuteResponse,
    ExecuteSuccess,
};
use oxmapi_wire::mapihttp::nspi::{self, ColumnsAndRows, Stat};
use oxmapi_wire::mapihttp::stream::{full_response, pending, processing};
use oxmapi_wire::rop::buffer::{RopBuffer, decode_requests, encode_responses};
use oxmapi_wire::rop::outcome::{Outcome, Rows};
use oxmapi_wire::rop::oxcfold::{GetTableResponse, OpenFolderResponse};
use oxmapi_wire::rop::oxcstor::{Ghosted, LogonPrivate, LogonResponse, LogonTime};
use oxmapi_wire::rop::oxctabl::{QueryPositionResponse, QueryRowsResponse, TableStatusResponse};
use oxmapi_wire::rop::request::RequestContext;
use oxmapi_wire::rop::{RopRequest, RopResponse};
use oxmapi_wire::rpc_ext::{self, EncodeOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

mod common;
use common::{RealServer, default_store, user};

const PW: &str = "Secret-A1";
const PR_SUBJECT_W: PropTag = PropTag(0x0037_001F);
const PR_DISPLAY_NAME_W: PropTag = PropTag(0x3001_001F);
const ALICE_DN: &str = "/o=hostile/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=alice";

// ---- HTTP/1.1 by hand ------------------------------------------------------------------------

/// A request or response as read off the wire (header names lowercase).
struct Message {
    first_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn path(&self) -> &str {
        self.first_line.split_whitespace().nth(1).unwrap_or("")
    }
    fn status(&self) -> u16 {
        self.first_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

/// Reads one message: the head, then a Content-Length or chunked body.
async fn read_message(r: &mut BufReader<OwnedReadHalf>) -> Option<Message> {
    let mut first_line = String::new();
    if r.read_line(&mut first_line).await.ok()? == 0 {
        return None;
    }
    let mut headers = Vec::new();
    loop {
        let mut l = String::new();
        if r.read_line(&mut l).await.ok()? == 0 {
            return None;
        }
        let l = l.trim_end();
        if l.is_empty() {
            break;
        }
        let (k, v) = l.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let mut m = Message { first_line: first_line.trim_end().to_string(), headers, body: Vec::new() };
    if m.header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).await.ok()?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).await.ok()?;
            if n == 0 {
                break;
            }
            m.body.extend_from_slice(&chunk[..n]);
        }
    } else {
        let n: usize = m.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        m.body = vec![0; n];
        r.read_exact(&mut m.body).await.ok()?;
    }
    Some(m)
}

fn response(status: u16, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Runs `conn` on every connection accepted by `listener`.
fn serve<F, Fut>(rt: &tokio::runtime::Runtime, listener: TcpListener, conn: F)
where
    F: Fn(BufReader<OwnedReadHalf>, OwnedWriteHalf) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    rt.spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            let (r, w) = s.into_split();
            tokio::spawn(conn(BufReader::new(r), w));
        }
    });
}

fn bind(rt: &tokio::runtime::Runtime) -> (TcpListener, u16) {
    let l = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

/// What a fake saw: the Authorization header of each request (`-` when absent).
type Log = Arc<Mutex<Vec<String>>>;

fn authorizations(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

/// A trap: logs every request's Authorization and answers 401 offering `offer`.
fn trap(rt: &tokio::runtime::Runtime, offer: &'static str) -> (u16, Log) {
    let (l, port) = bind(rt);
    let log: Log = Arc::default();
    let seen = log.clone();
    serve(rt, l, move |mut r, mut w| {
        let seen = seen.clone();
        async move {
            while let Some(q) = read_message(&mut r).await {
                seen.lock().unwrap().push(q.header("authorization").unwrap_or("-").to_string());
                let _ = w.write_all(&response(401, &[("WWW-Authenticate", offer.into())], b"")).await;
            }
        }
    });
    (port, log)
}

/// An Autodiscover front (as section 6 of acceptance/07-security.sh builds it): Autodiscover
/// requests go to the real server at `upstream` on one upstream connection per client
/// connection (NTLM authenticates connections), and the front's own `127.0.0.1:PORT` in the
/// answer becomes `rewrite(PORT)` — the endpoint URLs then name another server. Any other
/// request is logged and answered 401 offering `offer`.
fn front(
    rt: &tokio::runtime::Runtime,
    upstream: u16,
    rewrite: impl Fn(u16) -> String + Send + Sync + 'static,
    offer: &'static str,
) -> (u16, Log) {
    let (l, port) = bind(rt);
    let log: Log = Arc::default();
    let seen = log.clone();
    let to = Arc::new(rewrite(port));
    serve(rt, l, move |mut r, mut w| {
        let (seen, to) = (seen.clone(), to.clone());
        async move {
            let mut up: Option<(BufReader<OwnedReadHalf>, OwnedWriteHalf)> = None;
            while let Some(q) = read_message(&mut r).await {
                if !q.path().to_ascii_lowercase().contains("autodiscover") {
                    seen.lock().unwrap().push(q.header("authorization").unwrap_or("-").to_string());
                    let _ = w.write_all(&response(401, &[("WWW-Authenticate", offer.into())], b"")).await;
                    continue;
                }
                if up.is_none() {
                    let s = TcpStream::connect(("127.0.0.1", upstream)).await.unwrap();
                    let (ur, uw) = s.into_split();
                    up = Some((BufReader::new(ur), uw));
                }
                let (ur, uw) = up.as_mut().unwrap();
                let mut head = format!("POST {} HTTP/1.1\r\n", q.path());
                for (k, v) in q.headers.iter().filter(|(k, _)| k != "content-length") {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\n\r\n", q.body.len()));
                uw.write_all(head.as_bytes()).await.unwrap();
                uw.write_all(&q.body).await.unwrap();
                let Some(a) = read_message(ur).await else { return };
                let body = String::from_utf8_lossy(&a.body).replace(&format!("127.0.0.1:{port}"), &to);
                let headers: Vec<(&str, String)> = a
                    .headers
                    .iter()
                    .filter(|(k, _)| k == "www-authenticate" || k == "content-type")
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                let _ = w.write_all(&response(a.status(), &headers, body.as_bytes())).await;
            }
        }
    });
    (port, log)
}

// ---- the real server and the client ------------------------------------------------------------

struct Env {
    real: RealServer,
    profiles: ProfileStore,
}

impl Env {
    /// A runtime for the fakes, a real server with alice, and an empty profile store.
    fn new() -> Env {
        let real = RealServer::start(&[user("alice", PW)], |_| {});
        let profiles = real.profiles(&[]);
        Env { real, profiles }
    }

    /// The runtime the fakes run on.
    fn rt(&self) -> &tokio::runtime::Runtime {
        &self.real.rt
    }

    fn upstream_port(&self) -> u16 {
        self.real.server().addr.port()
    }

    /// A profile `a` for alice at `url`, with her legacy DN already known when `dn` is given
    /// (no Autodiscover then).
    fn profile(&self, url: &str, dn: Option<&str>) {
        self.profiles
            .create_with("a", |p| {
                p.add_msems_service(Some(url), Some("alice"))?;
                if let Some(dn) = dn {
                    p.set_profile_user(dn);
                }
                Ok(())
            })
            .unwrap();
    }

    fn mapi(&self, settings: TransportSettings) -> Mapi {
        Mapi::with_profiles(self.profiles.clone()).with_settings(settings)
    }
}

fn logon(mapi: &Mapi) -> Session {
    let o = LogonOptions { password: Some(PW.into()), client_version: None };
    mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap()
}

/// Logs on and opens the mailbox (the store provider's Connect goes to the endpoint).
fn open_mailbox(mapi: &Mapi) -> Result<oxmapi_client::store::MsgStore, MapiError> {
    default_store(&logon(mapi))
}

fn basic_secrets(log: &Log) -> Vec<String> {
    authorizations(log).into_iter().filter(|a| a.to_ascii_lowercase().starts_with("basic")).collect()
}

// ---- item 9: credentials go only to the profile's origin -------------------------------------

/// Profile `a` at an Autodiscover front (offering NTLM) to the real server that names as the
/// MailStore a trap on another origin offering `offer`; the trap's port and what it saw.
fn trap_named_by_autodiscover(env: &Env, offer: &'static str) -> (u16, Log) {
    let (trap_port, trapped) = trap(env.rt(), offer);
    let (front_port, _) =
        front(env.rt(), env.upstream_port(), move |_| format!("127.0.0.1:{trap_port}"), "NTLM");
    env.profile(&format!("http://127.0.0.1:{front_port}"), None);
    (trap_port, trapped)
}

/// Autodiscover (through a front at the profile's URL) names a MailStore on another origin that
/// asks for Basic: the client does not talk to it at all, and says why (MAPI_E_NO_ACCESS).
#[test]
fn credentials_never_reach_an_origin_autodiscover_names() {
    let env = Env::new();
    let (trap_port, trapped) = trap_named_by_autodiscover(&env, "Basic realm=\"x\"");
    let e = open_mailbox(&env.mapi(TransportSettings::default())).err().expect("the logon must fail");
    assert_eq!(authorizations(&trapped), Vec::<String>::new(), "nothing at all reaches the other origin");
    assert_eq!(e.cause, Some(codes::MAPI_E_NO_ACCESS), "{e}");
    let trap_origin = format!("http://127.0.0.1:{trap_port}");
    assert!(e.message.contains(&trap_origin) && e.message.contains("another server"), "{e}");
    assert!(e.message.contains("--trust-autodiscover-origin"), "says what to do: {e}");
}

/// With `--trust-autodiscover-origin` the other origin does get the credentials (here the NTLM
/// handshake it asks for).
#[test]
fn a_trusted_autodiscover_origin_receives_credentials() {
    let env = Env::new();
    let (_, trapped) = trap_named_by_autodiscover(&env, "NTLM");
    let trusting = TransportSettings { trust_autodiscover_origin: true, ..TransportSettings::default() };
    assert!(open_mailbox(&env.mapi(trusting)).is_err(), "the trap never completes NTLM");
    let seen = authorizations(&trapped);
    assert!(seen.iter().any(|a| a.starts_with("NTLM ")), "{seen:?}");
}

/// The trusted origin is the real server under another name: the logon works, the origin is
/// kept in the profile (PR_OXMAPI_TRUSTED_ORIGINS) and the next logon needs no flag.
#[test]
fn a_trusted_autodiscover_origin_is_remembered_in_the_profile() {
    let env = Env::new();
    let up = env.upstream_port();
    let (front_port, _) = front(env.rt(), up, move |_| format!("localhost:{up}"), "NTLM");
    env.profile(&format!("http://127.0.0.1:{front_port}"), None);
    let e = open_mailbox(&env.mapi(TransportSettings::default())).err().expect("untrusted at first");
    assert!(e.message.contains(&format!("http://localhost:{up}")), "{e}");
    let trusting = TransportSettings { trust_autodiscover_origin: true, ..TransportSettings::default() };
    open_mailbox(&env.mapi(trusting)).unwrap();
    let p = env.profiles.get("a").unwrap();
    assert_eq!(p.trusted_origins(), vec![format!("http://localhost:{up}")]);
    open_mailbox(&env.mapi(TransportSettings::default())).unwrap();
}

/// The profile's own server offers NTLM for Autodiscover, then its mailbox endpoint asks for
/// Basic over plain HTTP: the client refuses the downgrade and sends no password.
#[test]
fn ntlm_then_basic_over_plain_http_is_refused_as_a_downgrade() {
    let env = Env::new();
    let (front_port, seen) =
        front(env.rt(), env.upstream_port(), |p| format!("127.0.0.1:{p}"), "Basic realm=\"x\"");
    env.profile(&format!("http://127.0.0.1:{front_port}"), None);
    let e = open_mailbox(&env.mapi(TransportSettings::default())).err().expect("the logon must fail");
    assert_eq!(basic_secrets(&seen), Vec::<String>::new(), "no password in clear text");
    assert_eq!(e.cause, Some(codes::MAPI_E_NO_ACCESS), "{e}");
    assert!(e.message.contains("downgrade"), "{e}");
}

// ---- item 10: fake MAPI/HTTP servers that never end ------------------------------------------

/// How a fake MAPI/HTTP server misbehaves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hostile {
    /// Every RopQueryRows and NSPI QueryRows answers 10 more rows and "more follow", although
    /// RopQueryPosition and the STAT report a table of 20 rows.
    EndlessRows,
    /// Every Execute answers PROCESSING, then PENDING every 50 ms, never DONE.
    EndlessPending,
}

/// Rows served so far, by a fake.
type Served = Arc<AtomicU32>;

fn mapi_reply(rt: &str, body: &[u8]) -> Vec<u8> {
    let stream = full_response(body, 0, "Mon, 01 Jan 2024 00:00:00 GMT", &[]);
    response(
        200,
        &[
            ("Content-Type", "application/mapi-http".into()),
            ("X-RequestType", rt.into()),
            ("X-ResponseCode", "0".into()),
            ("Set-Cookie", "MapiContext=fake; Path=/".into()),
        ],
        &stream,
    )
}

fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// A fake MAPI/HTTP server (mailbox and address book endpoints) that takes any Basic
/// credentials and misbehaves as `hostile` says.
fn fake_mapi(rt: &tokio::runtime::Runtime, hostile: Hostile) -> (u16, Served) {
    let (l, port) = bind(rt);
    let served = Served::default();
    let count = served.clone();
    serve(rt, l, move |mut r, mut w| {
        let count = count.clone();
        async move {
            let mut columns: Vec<PropTag> = Vec::new();
            while let Some(q) = read_message(&mut r).await {
                if q.header("authorization").is_none() {
                    let _ = w
                        .write_all(&response(401, &[("WWW-Authenticate", "Basic realm=\"f\"".into())], b""))
                        .await;
                    continue;
                }
                let rt = q.header("x-requesttype").unwrap_or("").to_string();
                let body = match rt.as_str() {
                    "Connect" => ConnectResponse::Success(ConnectSuccess {
                        error_code: 0,
                        polls_max: 60_000,
                        retry_count: 6,
                        retry_delay: 10_000,
                        dn_prefix: String::new(),
                        display_name: "Alice".into(),
                        auxiliary_buffer: vec![],
                    })
                    .encode(),
                    "Execute" if hostile == Hostile::EndlessPending => {
                        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/mapi-http\r\nX-RequestType: Execute\r\n\
                                    X-ResponseCode: 0\r\nX-PendingPeriod: 50\r\nTransfer-Encoding: chunked\r\n\r\n";
                        let mut ok = w.write_all(head.as_bytes()).await.is_ok()
                            && w.write_all(&chunk(processing())).await.is_ok();
                        let started = Instant::now();
                        while ok && started.elapsed() < Duration::from_secs(60) {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            ok = w.write_all(&chunk(pending())).await.is_ok();
                        }
                        return;
                    }
                    "Execute" => execute(&q.body, &mut columns, &count),
                    "Disconnect" => DisconnectResponse::Success(DisconnectSuccess {
                        error_code: 0,
                        auxiliary_buffer: vec![],
                    })
                    .encode(),
                    "Bind" => nspi::BindResponse::Success(nspi::BindSuccess {
                        error_code: 0,
                        server_guid: Guid::default(),
                        auxiliary_buffer: vec![],
                    })
                    .encode(),
                    "QueryRows" => nspi_rows(&q.body, &count),
                    "Unbind" => nspi::UnbindResponse::Success(nspi::UnbindSuccess {
                        error_code: 0,
                        auxiliary_buffer: vec![],
                    })
                    .encode(),
                    _ => Vec::new(),
                };
                if w.write_all(&mapi_reply(&rt, &body)).await.is_err() {
                    return;
                }
            }
        }
    });
    (port, served)
}

/// Ten rows of `columns` (string columns: the tests ask for no others).
fn ten_rows(columns: &[PropTag]) -> Vec<PropertyRow> {
    let row = PropertyRow {
        flagged: false,
        values: columns.iter().map(|_| RowValue::Value(PropValue::Unicode("more".into()))).collect(),
    };
    vec![row; 10]
}

/// The ROPs of a mailbox logon and a contents table read; RopQueryRows never ends.
fn execute(body: &[u8], columns: &mut Vec<PropTag>, served: &Served) -> Vec<u8> {
    let req = ExecuteRequest::decode(body).unwrap();
    let blocks = rpc_ext::decode_blocks(&req.rop_buffer).unwrap();
    let rb = RopBuffer::decode(&blocks[0].payload).unwrap();
    let mut handles = rb.handles.clone();
    let mut out = Vec::new();
    for rop in decode_requests(&rb.rops, &RequestContext::default()).unwrap() {
        let mut put = |slot: u8, h: u32| handles[slot as usize] = h;
        match rop {
            RopRequest::Logon(q) => {
                put(q.output_handle_index, 1);
                out.push(RopResponse::Logon(Outcome::ok(
                    q.output_handle_index,
                    LogonResponse::Private(LogonPrivate {
                        logon_flags: 1,
                        folder_ids: std::array::from_fn(|i| ObjectId::new(1, i as u64 + 1)),
                        response_flags: 0x07,
                        mailbox_guid: Guid::default(),
                        repl_id: 1,
                        repl_guid: Guid::default(),
                        logon_time: LogonTime::default(),
                        gwart_time: 0,
                        store_state: 0,
                    }),
                )));
            }
            RopRequest::OpenFolder(q) => {
                put(q.output_handle_index, 2);
                let body = OpenFolderResponse { has_rules: 0, ghosted: Ghosted { servers: None } };
                out.push(RopResponse::OpenFolder(Outcome::ok(q.output_handle_index, body)));
            }
            RopRequest::GetContentsTable(q) => {
                put(q.output_handle_index, 3);
                out.push(RopResponse::GetContentsTable(Outcome::ok(
                    q.output_handle_index,
                    GetTableResponse { row_count: 20 },
                )));
            }
            RopRequest::SetColumns(q) => {
                *columns = q.property_tags.clone();
                let body = TableStatusResponse { table_status: 0 };
                out.push(RopResponse::SetColumns(Outcome::ok(q.input_handle_index, body)));
            }
            RopRequest::QueryRows(q) => {
                served.fetch_add(10, Ordering::Relaxed);
                let body = QueryRowsResponse {
                    origin: 1, // BOOKMARK_CURRENT: more rows follow
                    row_count: 10,
                    rows: Rows::Decoded { columns: columns.clone(), rows: ten_rows(columns) },
                };
                out.push(RopResponse::QueryRows(Outcome::ok(q.input_handle_index, body)));
            }
            RopRequest::QueryPosition(q) => {
                // The position moves on (past the end it reports): the count is what gives it away.
                let body =
                    QueryPositionResponse { numerator: served.load(Ordering::Relaxed), denominator: 20 };
                out.push(RopResponse::QueryPosition(Outcome::ok(q.input_handle_index, body)));
            }
            RopRequest::Release(_) => {}
            other => panic!("the fake does not answer {other:?}"),
        }
    }
    let payload = RopBuffer { rops: encode_responses(&out), handles }.encode();
    let block =
        rpc_ext::encode_block(&payload, EncodeOptions { compress: false, xor: false, last: true }).unwrap();
    ExecuteResponse::Success(ExecuteSuccess {
        error_code: 0,
        flags: 0,
        rop_buffer: block,
        auxiliary_buffer: vec![],
    })
    .encode()
}

/// NSPI QueryRows: ten more rows every time, the STAT moving on through a table of 20.
fn nspi_rows(body: &[u8], served: &Served) -> Vec<u8> {
    let req = nspi::QueryRowsRequest::decode(body).unwrap();
    let columns = req.columns.clone().unwrap_or_default();
    let n = served.fetch_add(10, Ordering::Relaxed) + 10;
    let stat = Stat { current_rec: 0x1000 + n, delta: 0, num_pos: n, total_recs: 20, ..req.state.unwrap() };
    nspi::QueryRowsResponse::Success(nspi::QueryRowsSuccess {
        error_code: 0,
        state: Some(stat),
        columns_and_rows: Some(ColumnsAndRows { row_data: ten_rows(&columns), columns }),
        auxiliary_buffer: vec![],
    })
    .encode()
}

/// The client, under `settings`, with profile `a` for alice at a fake MAPI/HTTP server of kind
/// `hostile` (her DN known, so no Autodiscover); the environment (the fake runs on its
/// runtime), the fake's port and its count of rows served.
fn at_fake(hostile: Hostile, settings: TransportSettings) -> (Env, Mapi, u16, Served) {
    let env = Env::new();
    let (port, served) = fake_mapi(env.rt(), hostile);
    env.profile(&format!("http://127.0.0.1:{port}"), Some(ALICE_DN));
    let mapi = env.mapi(settings);
    (env, mapi, port, served)
}

/// The error of a read of `what` from the endless fake, checked: MAPI_E_CORRUPT_DATA, with at
/// most the 20 rows the fake reported, the client's margin of 1,000 and one answer of 20 read.
fn stopped_near_the_reported_count<T: std::fmt::Debug>(
    r: Result<T, MapiError>,
    served: &Served,
    what: &str,
) -> MapiError {
    let e = r.expect_err(&format!("{what} that never ends is an error"));
    assert_eq!(e.code, codes::MAPI_E_CORRUPT_DATA, "{e}");
    let n = served.load(Ordering::Relaxed);
    assert!(n <= 20 + 1000 + 20, "the client read {n} rows of {what} of 20");
    e
}

/// Runs `f` on its own thread; fails the test when it takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still running after {limit:?}: the client does not stop"))
}

/// `ls` of a folder whose contents table never ends: the read stops once the server exceeds the
/// 20 rows it reported (plus the margin), with an error, instead of growing without bound.
#[test]
fn a_contents_table_that_never_ends_stops_at_the_count_the_server_reported() {
    let (_env, mapi, _, served) = at_fake(Hostile::EndlessRows, TransportSettings::default());
    let r = within(Duration::from_secs(60), move || {
        let s = logon(&mapi);
        let store = default_store(&s)?;
        let mut t = store.ipm_subtree()?.contents_table(false)?;
        t.set_columns(&[PR_SUBJECT_W])?;
        t.query_rows(usize::MAX, true).map(|rows| rows.len())
    });
    let e = stopped_near_the_reported_count(r, &served, "a table");
    assert!(e.message.contains("reported"), "{e}");
}

/// `ab ls` against an address book that never ends: paging stops at the STAT's TotalRecs plus
/// the margin.
#[test]
fn an_address_book_that_never_ends_stops_at_the_count_the_server_reported() {
    let (_env, mapi, _, served) = at_fake(Hostile::EndlessRows, TransportSettings::default());
    let r = within(Duration::from_secs(60), move || {
        let s = logon(&mapi);
        let mut t = s.open_address_book()?.gal().contents_table()?;
        t.set_columns(&[PR_DISPLAY_NAME_W])?;
        let mut n = 0;
        loop {
            let rows = t.query_rows(50)?;
            if rows.is_empty() {
                return Ok::<_, MapiError>(n);
            }
            n += rows.len();
        }
    });
    stopped_near_the_reported_count(r, &served, "an address book");
}

/// An Execute answered with PENDING every 50 ms and never DONE ends at the request deadline
/// with MAPI_E_TIMEOUT naming the server and the request type.
#[test]
fn an_execute_answered_with_endless_pending_ends_at_the_deadline() {
    let settings =
        TransportSettings { request_timeout: Duration::from_secs(2), ..TransportSettings::default() };
    let (_env, mapi, port, _) = at_fake(Hostile::EndlessPending, settings);
    let started = Instant::now();
    let r = within(Duration::from_secs(30), move || open_mailbox(&mapi).map(|_| ()));
    let e = r.expect_err("an Execute that never ends is an error");
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    assert_eq!(e.code, codes::MAPI_E_TIMEOUT, "{e}");
    assert!(e.message.contains(&format!("127.0.0.1:{port}")) && e.message.contains("Execute"), "{e}");
    assert!(e.message.contains("PENDING"), "{e}");
}

/// Auto authentication first asks anonymously which schemes a server offers; that probe goes
/// without the request body (as curl does): a server that answers 401 before reading a body may
/// close the connection — and with it a connection-bound NTLM handshake through a front —, and
/// nothing of the request (the address asked for, the user's DN) goes out unauthenticated.
#[test]
fn the_anonymous_scheme_probe_sends_no_body() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (l, port) = bind(&rt);
    let bodies: Arc<Mutex<Vec<(bool, usize)>>> = Arc::default();
    let seen = bodies.clone();
    serve(&rt, l, move |mut r, mut w| {
        let seen = seen.clone();
        async move {
            while let Some(q) = read_message(&mut r).await {
                let authorized = q.header("authorization").is_some();
                seen.lock().unwrap().push((authorized, q.body.len()));
                let reply = if authorized {
                    let xml = "<Autodiscover><Response><User><LegacyDN>/o=x/cn=alice</LegacyDN></User></Response></Autodiscover>";
                    response(200, &[("Content-Type", "text/xml".into())], xml.as_bytes())
                } else {
                    response(401, &[("WWW-Authenticate", "Basic realm=\"x\"".into())], b"")
                };
                let _ = w.write_all(&reply).await;
            }
        }
    });
    let creds = oxmapi_client::transport::Credentials {
        user: "alice".into(),
        domain: String::new(),
        password: PW.into(),
    };
    let url = format!("http://127.0.0.1:{port}");
    let tls = oxmapi_client::transport::TlsOptions::default();
    let r = rt.block_on(oxmapi_client::transport::autodiscover(
        &url,
        &creds,
        oxmapi_client::transport::Auth::Auto,
        &tls,
        "alice@example.test",
    ));
    assert_eq!(r.unwrap().legacy_dn, "/o=x/cn=alice");
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(bodies[0], (false, 0), "the probe carries no body");
    assert!(bodies[1].0 && bodies[1].1 > 0, "the authenticated request carries it: {bodies:?}");
}
