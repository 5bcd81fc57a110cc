//! Test harness: a real server on 127.0.0.1 with an ephemeral port and a temporary data
//! directory, and a raw MAPI/HTTP driver built from oxmapi-wire only (not the client crate), so
//! that these tests define the server's conformance on the wire.
//!
//! The site is [`oxmapi_store::test_site`]: SQLite files in the temporary directory, or a fresh
//! PostgreSQL database when `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` names a server, so
//! the whole suite runs on either backend. The PostgreSQL driver is synchronous and panics on a
//! thread that drives a tokio runtime, so a test reaches the store only off the runtime:
//! [`TestServer::site`], [`off_runtime`], [`server_store`].
#![allow(dead_code)]

pub mod streams;

use std::collections::HashMap;

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::{NewUser, Site, User};
use oxmapi_wire::mapihttp::common::*;
use oxmapi_wire::mapihttp::emsmdb::*;
use oxmapi_wire::mapihttp::stream::parse_response_stream;
use oxmapi_wire::rop::buffer::{ResponseHint, RopBuffer, decode_responses_with, encode_requests};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{EncodeOptions, decode_blocks, encode_block};

pub const PASSWORD: &str = "Secret-1";

/// The server's shared store of `user` (the one its sessions use, so that changes made through
/// it reach the notification hub), taken on a plain thread: the server's store access points
/// refuse async threads ([`oxmapi_server::blocking`]).
pub fn server_store(ts: &TestServer, user: &User) -> std::sync::Arc<oxmapi_store::MessageStore> {
    let state = &ts.server.state;
    off_runtime(|| state.stores.private(&state.data, user).unwrap())
}

/// Runs `f` on the server's shared store of `user` ([`server_store`]) off the runtime.
pub fn with_server_store<T: Send>(
    ts: &TestServer,
    user: &User,
    f: impl FnOnce(&oxmapi_store::MessageStore) -> T + Send,
) -> T {
    let store = server_store(ts, user);
    off_runtime(|| f(&store))
}

/// Runs `f` on a plain thread and returns its result (a panic in `f` goes on in the caller):
/// the way a test on a tokio runtime thread calls the store, whose PostgreSQL driver must not
/// run on such a thread.
pub fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
}

pub struct TestServer {
    pub server: Server,
    pub data: Site,
    pub dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_in(tempfile::tempdir().unwrap()).await
    }

    /// A server whose data directory is on tmpfs (/dev/shm, where there is one): for tests
    /// that seed thousands of messages, whose commits would otherwise wait on the disk.
    pub async fn start_in_memory() -> TestServer {
        let dir = tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).unwrap();
        TestServer::start_in(dir).await
    }

    /// A server on the data directory `dir` (or, with `OXMAPI_TEST_DATABASE`, on a fresh
    /// database; `dir` then holds only the node's own files).
    pub async fn start_in(dir: tempfile::TempDir) -> TestServer {
        TestServer::start_with(dir, |_| {}).await
    }

    /// [`TestServer::start_in`] with the configuration `configure` made of the harness's.
    pub async fn start_with(dir: tempfile::TempDir, configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
        capture_server_log();
        let data = off_runtime(|| oxmapi_store::test_site(dir.path()));
        let mut cfg = harness_config(dir.path());
        configure(&mut cfg);
        let server = Server::start_site(cfg, Some(data.clone())).await.unwrap();
        TestServer { server, data, dir }
    }

    /// Another server on the same site (another node, or this one restarted), configured by
    /// `configure` from the harness's settings, keeping its own files in `dir`.
    pub async fn another_server(
        &self,
        dir: &std::path::Path,
        configure: impl FnOnce(&mut ServerConfig),
    ) -> Server {
        let mut cfg = harness_config(dir);
        configure(&mut cfg);
        Server::start_site(cfg, Some(self.data.clone())).await.unwrap()
    }

    /// Runs `f` on the site off the runtime ([`off_runtime`]).
    pub fn site<T: Send>(&self, f: impl FnOnce(&Site) -> T + Send) -> T {
        off_runtime(|| f(&self.data))
    }

    pub fn add_user(&self, name: &str, admin: bool) -> User {
        self.site(|d| {
            d.add_user(&NewUser {
                name: name.into(),
                password: PASSWORD.into(),
                display_name: Some(format!("{name} display")),
                email: None,
                admin,
                hidden: false,
            })
            .unwrap()
        })
    }

    pub fn set(&self, key: &str, value: &str) {
        self.site(|d| d.directory().unwrap().set_setting(key, value).unwrap());
    }

    /// The directory's user `name`.
    pub fn user(&self, name: &str) -> User {
        self.site(|d| d.directory().unwrap().require_user(name).unwrap())
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.addr
    }
}

/// The harness's server settings, its files in `dir`: short keep-alive, wait and reap periods.
pub fn harness_config(dir: &std::path::Path) -> ServerConfig {
    let mut cfg = ServerConfig::new(dir.to_path_buf(), "127.0.0.1:0".parse().unwrap());
    cfg.pending_period = std::time::Duration::from_millis(200);
    cfg.notification_wait_max = std::time::Duration::from_secs(1);
    cfg.reap_interval = std::time::Duration::from_millis(100);
    // OXMAPI_TEST_LIGHT_ON_POOL=1 runs the whole suite on the server's PostgreSQL path
    // (every store step on the blocking pool, oxmapi_server::blocking::light).
    cfg.light_store_work_on_pool = std::env::var_os("OXMAPI_TEST_LIGHT_ON_POOL").is_some();
    cfg
}

/// One HTTP response.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn response_code(&self) -> Option<u32> {
        self.header("X-ResponseCode").and_then(|v| v.parse().ok())
    }
    /// The binary body after DONE.
    pub fn mapi_body(&self) -> Vec<u8> {
        parse_response_stream(&self.body).expect("a PROCESSING/DONE stream").body
    }
}

/// A kept-alive HTTP/1.1 connection.
pub struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Conn {
    pub async fn open(addr: std::net::SocketAddr) -> Conn {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(conn);
        Conn { sender }
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(path).header("Host", "127.0.0.1");
        for (k, v) in headers {
            b = b.header(*k, v.as_str());
        }
        let req = b.body(Full::new(Bytes::from(body))).unwrap();
        self.sender.ready().await.unwrap();
        let resp = self.sender.send_request(req).await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, headers, body }
    }
}

pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

/// The per-request facts of a MAPI/HTTP POST.
pub struct Post<'a> {
    pub auth: &'a str,
    pub version: &'a str,
    /// The X-RequestId counter.
    pub counter: u32,
}

/// One MAPI/HTTP request (MS-OXCMAPIHTTP 2.2.2) on `path` with the context's cookies; keeps the
/// cookies the answer sets (a `Max-Age=0` cookie is dropped).
pub async fn mapi_post(
    conn: &mut Conn,
    path: &str,
    ctx: &Post<'_>,
    cookies: &mut HashMap<String, String>,
    request_type: &str,
    body: Vec<u8>,
) -> Reply {
    let mut h = vec![
        ("Content-Type", "application/mapi-http".to_string()),
        ("X-RequestType", request_type.to_string()),
        ("X-RequestId", format!("{{E2EA6C1C-E61B-49E9-9CFB-38184F907552}}:{}", ctx.counter)),
        ("X-ClientInfo", "{2EF33C39-49C8-421C-B876-CDF7F2AC3AA0}:1".to_string()),
        ("X-ClientApplication", ctx.version.to_string()),
        ("Authorization", ctx.auth.to_string()),
    ];
    if !cookies.is_empty() {
        h.push(("Cookie", cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")));
    }
    let r = conn.send("POST", path, &h, body).await;
    for (k, v) in &r.headers {
        if k.eq_ignore_ascii_case("set-cookie") {
            let first = v.split(';').next().unwrap_or("");
            if let Some((n, val)) = first.split_once('=') {
                if v.contains("Max-Age=0") {
                    cookies.remove(n);
                } else {
                    cookies.insert(n.to_string(), val.to_string());
                }
            }
        }
    }
    r
}

/// A MAPI/HTTP client context on /mapi/emsmdb/ speaking raw bodies.
pub struct Mapi {
    pub conn: Conn,
    pub auth: String,
    pub cookies: HashMap<String, String>,
    pub version: String,
    counter: u32,
    /// Columns last set on each table handle index (to decode RopQueryRows / RopFindRow rows).
    pub table_columns: HashMap<u8, Vec<oxmapi_core::tag::PropTag>>,
    /// RopNotify / RopPending responses the server appended, kept apart from the responses to
    /// the requests (tests/notify.rs reads them).
    pub notes: Vec<RopResponse>,
}

impl Mapi {
    pub async fn new(ts: &TestServer, user: &str) -> Mapi {
        Mapi {
            conn: Conn::open(ts.addr()).await,
            auth: basic(user, PASSWORD),
            cookies: HashMap::new(),
            version: "Outlook/16.0.10000.1000".into(),
            counter: 0,
            table_columns: HashMap::new(),
            notes: Vec::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// The headers of a bare PING (MS-OXCMAPIHTTP 2.2.2.2) carrying the context's cookies and
    /// no Authorization: a request that only a connection authenticated by NTLM gets through.
    pub fn ping_headers(&self) -> Vec<(&'static str, String)> {
        vec![
            ("X-RequestType", "PING".to_string()),
            ("X-RequestId", "{A}:9".to_string()),
            ("Cookie", self.cookie_header()),
        ]
    }

    pub async fn request(&mut self, request_type: &str, body: Vec<u8>) -> Reply {
        self.counter += 1;
        let ctx = Post { auth: &self.auth, version: &self.version, counter: self.counter };
        mapi_post(&mut self.conn, "/mapi/emsmdb/?MailboxId=x@y", &ctx, &mut self.cookies, request_type, body)
            .await
    }

    pub async fn connect(&mut self, dn: &str, flags: u32) -> (Reply, Option<ConnectSuccess>) {
        let req = ConnectRequest {
            user_dn: dn.into(),
            flags,
            default_code_page: 1252,
            lcid_sort: 1033,
            lcid_string: 1033,
            auxiliary_buffer: vec![],
        };
        let r = self.request("Connect", req.encode()).await;
        let ok = if r.response_code() == Some(0) {
            match ConnectResponse::decode(&r.mapi_body()).unwrap() {
                Response::Success(s) => Some(s),
                Response::Failure(f) => panic!("Connect failure body {f:?}"),
            }
        } else {
            None
        };
        (r, ok)
    }

    pub async fn execute_raw(&mut self, flags: u32, rop_buffer: Vec<u8>, max_rop_out: u32) -> Reply {
        let req = ExecuteRequest { flags, rop_buffer, max_rop_out, auxiliary_buffer: vec![] };
        self.request("Execute", req.encode()).await
    }

    /// Sends ROPs with a handle table; returns the responses and the handle table.
    pub async fn rops(&mut self, requests: &[RopRequest], handles: Vec<u32>) -> (Vec<RopResponse>, Vec<u32>) {
        self.rops_limited(requests, handles, 0x10008).await
    }

    pub async fn rops_limited(
        &mut self,
        requests: &[RopRequest],
        handles: Vec<u32>,
        max_rop_out: u32,
    ) -> (Vec<RopResponse>, Vec<u32>) {
        let payload = RopBuffer { rops: encode_requests(requests), handles }.encode();
        let block =
            encode_block(&payload, EncodeOptions { compress: false, xor: false, last: true }).unwrap();
        let r = self.execute_raw(0, block, max_rop_out).await;
        assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
        let resp = ExecuteResponse::decode(&r.mapi_body()).unwrap();
        let ok = resp.success().expect("Execute success body").clone();
        assert_eq!(ok.error_code, 0, "Execute ErrorCode");
        let blocks = decode_blocks(&ok.rop_buffer).unwrap();
        let buf = RopBuffer::decode(&blocks[0].payload).unwrap();
        // Responses follow requests one to one, except RopRelease which has none.
        let mut cols: Vec<Option<Vec<oxmapi_core::tag::PropTag>>> = Vec::new();
        let mut public: Vec<bool> = Vec::new();
        for q in requests.iter().filter(|q| !matches!(q, RopRequest::Release(_))) {
            public.push(matches!(q, RopRequest::SetMessageReadFlag(r) if r.client_data.is_some()));
            cols.push(match q {
                RopRequest::GetPropertiesSpecific(g) => Some(g.property_tags.clone()),
                RopRequest::SetColumns(s) => {
                    self.table_columns.insert(s.input_handle_index, s.property_tags.clone());
                    None
                }
                RopRequest::QueryRows(x) => self.table_columns.get(&x.input_handle_index).cloned(),
                RopRequest::FindRow(x) => self.table_columns.get(&x.input_handle_index).cloned(),
                RopRequest::ExpandRow(x) => self.table_columns.get(&x.input_handle_index).cloned(),
                _ => None,
            });
        }
        let responses = decode_responses_with(&buf.rops, |i, _, _| ResponseHint {
            columns: cols.get(i).cloned().flatten(),
            public_logon: public.get(i).copied().unwrap_or(false),
        })
        .unwrap();
        let (notes, responses): (Vec<_>, Vec<_>) = responses
            .into_iter()
            .partition(|r| matches!(r, RopResponse::Notify(_) | RopResponse::Pending(_)));
        self.notes.extend(notes);
        (responses, buf.handles)
    }
}

/// A private-mailbox logon over a fresh session context: the driver, the logon handle and the
/// RopLogon `FolderIds` (MS-OXCSTOR 2.2.1.1.3 order: 3 IPM subtree, 4 Inbox, 5 Outbox,
/// 6 Sent Items, 7 Deleted Items).
pub struct Logon {
    pub m: Mapi,
    pub handle: u32,
    pub folders: [oxmapi_core::ids::ObjectId; 13],
}

impl Logon {
    pub fn inbox(&self) -> oxmapi_core::ids::ObjectId {
        self.folders[4]
    }
    pub fn deleted_items(&self) -> oxmapi_core::ids::ObjectId {
        self.folders[7]
    }
    /// A handle table with the logon in slot 0 and `n` empty slots after it.
    pub fn slots(&self, n: usize) -> Vec<u32> {
        let mut v = vec![oxmapi_wire::rop::buffer::UNUSED_HANDLE; n + 1];
        v[0] = self.handle;
        v
    }
}

/// Connects as `user` (made by the caller) and logs on to their mailbox.
pub async fn logon_private(ts: &TestServer, user: &User) -> Logon {
    logon_mailbox(connected_user(ts, user).await, user).await
}

/// RopLogon (LogonId 0, into handle slot 0) to `owner`'s private mailbox on `m`'s session
/// context (the user's own, or another's through a full-access grant): the logon.
pub async fn logon_mailbox(mut m: Mapi, owner: &User) -> Logon {
    use oxmapi_wire::rop::oxcstor::LogonResponse;
    let (resp, handles) =
        m.rops(&[req::logon(0, 0, &owner.legacy_dn)], vec![oxmapi_wire::rop::buffer::UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(LogonResponse::Private(p)) = &o.body else { panic!("RopLogon to {}: {o:?}", owner.name) };
    Logon { m, handle: handles[0], folders: p.folder_ids }
}

/// A public-folders RopLogon (MS-OXCSTOR 2.2.1.1.1: LogonFlags without Private, no Essdn) of
/// `user` into handle slot 0; `folders[1]` is the public IPM subtree (2.2.1.1.4).
pub async fn logon_public(ts: &TestServer, user: &User) -> Logon {
    logon_public_on(connected_user(ts, user).await).await
}

/// The public-folders RopLogon of [`logon_public`] on a context already connected.
pub async fn logon_public_on(mut m: Mapi) -> Logon {
    let logon = RopRequest::Logon(oxmapi_wire::rop::oxcstor::LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 0,
        open_flags: 0x0100_0202,
        store_state: 0,
        essdn: None,
    });
    let (resp, handles) = m.rops(&[logon], vec![u32::MAX]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(oxmapi_wire::rop::oxcstor::LogonResponse::Public(l)) = &o.body else { panic!("{o:?}") };
    Logon { m, handle: handles[0], folders: l.folder_ids }
}

/// A driver for `user` (Basic) whose Connect succeeded.
pub async fn connected_user(ts: &TestServer, user: &User) -> Mapi {
    let mut m = Mapi::new(ts, &user.name).await;
    assert_eq!(m.connect(&user.legacy_dn, 0).await.1.expect("Connect").error_code, 0);
    m
}

/// A driver for the user named `name` (Basic) whose Connect succeeded.
pub async fn connected(ts: &TestServer, name: &str) -> Mapi {
    let user = ts.site(|d| d.directory().unwrap().user(name).unwrap().expect("a user of that name"));
    connected_user(ts, &user).await
}

/// An NTLMv2 handshake (MS-NLMP 3.1.5) carried by two Connects to `dn` on `m`'s connection
/// (MS-OXCMAPIHTTP 3.2.5.1: NTLM authenticates the connection): NEGOTIATE, then AUTHENTICATE
/// as `user` with `password` answering the server's CHALLENGE. The answer that carried the
/// CHALLENGE, and the second Connect's answer.
pub async fn ntlm_connect(
    m: &mut Mapi,
    dn: &str,
    user: &str,
    password: &str,
) -> (Reply, (Reply, Option<ConnectSuccess>)) {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut client = oxmapi_wire::ntlm::NtlmClient::new();
    m.auth = format!("NTLM {}", b64.encode(client.negotiate()));
    let (challenged, _) = m.connect(dn, 0).await;
    let challenge = challenged.header("WWW-Authenticate").and_then(|v| v.strip_prefix("NTLM "));
    let challenge =
        b64.decode(challenge.unwrap_or_else(|| panic!("no NTLM CHALLENGE (status {})", challenged.status)));
    let auth = client.authenticate(&challenge.unwrap(), user, "", password, [7; 8], 0).unwrap();
    m.auth = format!("NTLM {}", b64.encode(auth));
    let answer = m.connect(dn, 0).await;
    (challenged, answer)
}

/// Request builders for the ROPs the message, attachment and contents-table tests send; every
/// request but RopLogon uses logon id 0.
pub mod req {
    use oxmapi_core::ids::ObjectId;
    use oxmapi_core::restriction::Restriction;
    use oxmapi_core::sort::{SortOrder, SortOrderSet};
    use oxmapi_core::tag::PropTag;
    use oxmapi_core::value::TaggedValue;
    use oxmapi_wire::rop::oxcfold::*;
    use oxmapi_wire::rop::oxcmsg::*;
    use oxmapi_wire::rop::oxcprpt::*;
    use oxmapi_wire::rop::oxcstor::LogonRequest;
    use oxmapi_wire::rop::oxctabl::*;
    use oxmapi_wire::rop::request::RopRequest;

    /// RopLogon (MS-OXCROPS 2.2.3.1) to the private mailbox whose owner has legacy DN `essdn`,
    /// OpenFlags 0x0100040C (USE_PER_MDB_REPLID_MAPPING | NO_MAIL | TAKE_OWNERSHIP |
    /// HOME_LOGON).
    pub fn logon(logon_id: u8, out: u8, essdn: &str) -> RopRequest {
        RopRequest::Logon(LogonRequest {
            logon_id,
            output_handle_index: out,
            logon_flags: oxmapi_core::consts::logon_rop_flags::PRIVATE,
            open_flags: 0x0100_040C,
            store_state: 0,
            essdn: Some(essdn.to_string()),
        })
    }
    pub fn open_folder(input: u8, out: u8, fid: ObjectId) -> RopRequest {
        RopRequest::OpenFolder(OpenFolderRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            folder_id: fid,
            open_mode_flags: 0,
        })
    }
    /// RopCreateFolder (MS-OXCROPS 2.2.4.2) of a generic folder (FolderType 1) named `name`;
    /// with `open_existing`, a folder of that name already there is opened instead.
    pub fn create_folder(input: u8, out: u8, name: &str, open_existing: bool) -> RopRequest {
        RopRequest::CreateFolder(CreateFolderRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            folder_type: 1,
            use_unicode_strings: 1,
            open_existing: open_existing as u8,
            reserved: 0,
            display_name: name.into(),
            comment: String::new(),
        })
    }
    pub fn create_message(input: u8, out: u8, fid: ObjectId, associated: bool) -> RopRequest {
        RopRequest::CreateMessage(CreateMessageRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            code_page_id: 0x0FFF,
            folder_id: fid,
            associated_flag: associated as u8,
        })
    }
    pub fn open_message(input: u8, out: u8, fid: ObjectId, mid: ObjectId, mode: u8) -> RopRequest {
        RopRequest::OpenMessage(OpenMessageRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            code_page_id: 0x0FFF,
            folder_id: fid,
            open_mode_flags: mode,
            message_id: mid,
        })
    }
    pub fn save_message(response: u8, input: u8, flags: u8) -> RopRequest {
        RopRequest::SaveChangesMessage(SaveChangesMessageRequest {
            logon_id: 0,
            response_handle_index: response,
            input_handle_index: input,
            save_flags: flags,
        })
    }
    pub fn set_props(input: u8, values: Vec<TaggedValue>) -> RopRequest {
        RopRequest::SetProperties(SetPropertiesRequest {
            logon_id: 0,
            input_handle_index: input,
            property_values: values,
        })
    }
    pub fn get_props(input: u8, tags: &[PropTag]) -> RopRequest {
        RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
            logon_id: 0,
            input_handle_index: input,
            property_size_limit: 0,
            want_unicode: 1,
            property_tags: tags.to_vec(),
        })
    }
    pub fn release(input: u8) -> RopRequest {
        RopRequest::Release(oxmapi_wire::rop::oxcrops::ReleaseRequest {
            logon_id: 0,
            input_handle_index: input,
        })
    }
    pub fn contents_table(input: u8, out: u8, flags: u8) -> RopRequest {
        RopRequest::GetContentsTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            table_flags: flags,
        })
    }
    pub fn set_columns(input: u8, tags: &[PropTag]) -> RopRequest {
        RopRequest::SetColumns(SetColumnsRequest {
            logon_id: 0,
            input_handle_index: input,
            set_columns_flags: 0,
            property_tags: tags.to_vec(),
        })
    }
    pub fn sort(input: u8, orders: Vec<SortOrder>) -> RopRequest {
        RopRequest::SortTable(SortTableRequest {
            logon_id: 0,
            input_handle_index: input,
            sort_table_flags: 0,
            sort_orders: SortOrderSet::plain(orders),
        })
    }
    pub fn restrict(input: u8, r: Option<Restriction>) -> RopRequest {
        RopRequest::Restrict(RestrictRequest {
            logon_id: 0,
            input_handle_index: input,
            restrict_flags: 0,
            restriction: r,
        })
    }
    pub fn query_rows(input: u8, count: u16, forward: bool) -> RopRequest {
        RopRequest::QueryRows(QueryRowsRequest {
            logon_id: 0,
            input_handle_index: input,
            query_rows_flags: 0,
            forward_read: forward as u8,
            row_count: count,
        })
    }
    pub fn query_position(input: u8) -> RopRequest {
        RopRequest::QueryPosition(QueryPositionRequest { logon_id: 0, input_handle_index: input })
    }
    pub fn seek_row(input: u8, origin: u8, count: i32) -> RopRequest {
        RopRequest::SeekRow(SeekRowRequest {
            logon_id: 0,
            input_handle_index: input,
            origin,
            row_count: count,
            want_row_moved_count: 1,
        })
    }
    pub fn find_row(input: u8, r: Restriction, origin: u8, backward: bool, bookmark: Vec<u8>) -> RopRequest {
        RopRequest::FindRow(FindRowRequest {
            logon_id: 0,
            input_handle_index: input,
            find_row_flags: backward as u8,
            restriction: Some(r),
            origin,
            bookmark,
        })
    }
    pub fn delete_messages(input: u8, mids: Vec<ObjectId>, hard: bool) -> RopRequest {
        let q = DeleteMessagesRequest {
            logon_id: 0,
            input_handle_index: input,
            want_asynchronous: 0,
            notify_non_read: 0,
            message_ids: mids,
        };
        if hard { RopRequest::HardDeleteMessages(q) } else { RopRequest::DeleteMessages(q) }
    }
    pub fn move_copy(source: u8, dest: u8, mids: Vec<ObjectId>, copy: bool) -> RopRequest {
        RopRequest::MoveCopyMessages(MoveCopyMessagesRequest {
            logon_id: 0,
            source_handle_index: source,
            dest_handle_index: dest,
            message_ids: mids,
            want_asynchronous: 0,
            want_copy: copy as u8,
        })
    }
}

/// The ReturnValue of a response.
pub fn rv(r: &RopResponse) -> u32 {
    r.status().map(|(_, c)| c).unwrap_or_else(|| panic!("no status in {r:?}"))
}

/// The rows of a RopQueryRows response (panics on failure).
pub fn rows_of(r: &RopResponse) -> Vec<oxmapi_wire::cdata::PropertyRow> {
    let RopResponse::QueryRows(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Some(oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. }) = o.body.as_ref().map(|b| b.rows.clone())
    else {
        panic!("{r:?}")
    };
    rows
}

/// The values of a RopGetPropertiesSpecific response (panics on failure).
pub fn props_of(r: &RopResponse) -> Vec<oxmapi_wire::cdata::RowValue> {
    let RopResponse::GetPropertiesSpecific(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Some(oxmapi_wire::rop::outcome::Rows::Decoded { rows, .. }) = o.body.as_ref().map(|b| b.row.clone())
    else {
        panic!("{r:?}")
    };
    rows[0].values.clone()
}

/// Saves a new message with `props` in folder `fid` (FAI when `associated`) and returns its MID.
pub async fn new_message(
    c: &mut Logon,
    fid: oxmapi_core::ids::ObjectId,
    associated: bool,
    props: Vec<oxmapi_core::value::TaggedValue>,
) -> oxmapi_core::ids::ObjectId {
    let reqs = [
        req::open_folder(0, 1, fid),
        req::create_message(1, 2, fid, associated),
        req::set_props(2, props),
        req::save_message(1, 2, 0x02),
        req::release(2),
        // The folder too, as a client does: a session may hold 500 open folders (the
        // per-session object limits, SECURITY.md).
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for r in &resp {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    let RopResponse::SaveChangesMessage(o) = &resp[3] else { panic!("{resp:?}") };
    o.body.as_ref().expect("SaveChangesMessage body").message_id
}

/// The MIDs of folder `fid` once it holds at least `n` messages (delivery is asynchronous);
/// panics after 30 s (generous: on a loaded 2-core machine a delivery has taken over 10 s).
pub async fn wait_for(
    c: &mut Logon,
    fid: oxmapi_core::ids::ObjectId,
    n: usize,
) -> Vec<oxmapi_core::ids::ObjectId> {
    use oxmapi_core::ids::ObjectId;
    use oxmapi_core::value::PropValue;
    use oxmapi_wire::cdata::RowValue;
    let start = std::time::Instant::now();
    loop {
        let reqs = [
            req::open_folder(0, 1, fid),
            req::contents_table(1, 2, 0),
            req::set_columns(2, &[oxmapi_core::catalogue::tags::PR_MID]),
            req::query_rows(2, 100, true),
            req::release(2),
            req::release(1),
        ];
        let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
        let mids: Vec<ObjectId> = rows_of(&resp[3])
            .iter()
            .map(|r| match r.values[0] {
                RowValue::Value(PropValue::I64(v)) => ObjectId::from_u64(v as u64),
                ref v => panic!("{v:?}"),
            })
            .collect();
        if mids.len() >= n {
            return mids;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "folder {fid} has {} messages, want {n}",
            mids.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Every RopNotify, in order, after empty Executes until nothing is pending (at most 20 rounds:
/// a queue that stays pending fails the test instead of hanging it).
pub async fn drain(l: &mut Logon) -> Vec<oxmapi_wire::rop::oxcnotif::NotifyResponse> {
    let mut all = Vec::new();
    for _ in 0..20 {
        l.m.rops(&[], vec![]).await;
        let notes = std::mem::take(&mut l.m.notes);
        let pending = notes.iter().any(|r| matches!(r, RopResponse::Pending(_)));
        all.extend(notes.into_iter().filter_map(|r| match r {
            RopResponse::Notify(n) => Some(n),
            _ => None,
        }));
        if !pending {
            return all;
        }
    }
    panic!("notifications stay pending: {} taken", all.len());
}

/// The server's warnings and its delivery worker's steps, into the test's captured output: shown
/// with a failing test (a retry that waited, a run that failed), hidden otherwise.
/// `RUST_LOG` overrides the filter.
fn capture_server_log() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,oxmapi_server::delivery=debug"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
}
