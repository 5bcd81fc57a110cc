//! Test harness: a real server on 127.0.0.1 with an ephemeral port and a temporary data
//! directory, and a raw MAPI/HTTP driver built from oxmapi-wire only (not the client crate), so
//! that these tests define the server's conformance on the wire.
#![allow(dead_code)]

use std::collections::HashMap;

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::{DataDir, NewUser, User};
use oxmapi_wire::mapihttp::common::*;
use oxmapi_wire::mapihttp::emsmdb::*;
use oxmapi_wire::mapihttp::stream::parse_response_stream;
use oxmapi_wire::rop::buffer::{RopBuffer, decode_responses, encode_requests};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{EncodeOptions, decode_blocks, encode_block};

pub const PASSWORD: &str = "Secret-1";

pub struct TestServer {
    pub server: Server,
    pub data: DataDir,
    pub dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::open(dir.path()).unwrap();
        let mut cfg = ServerConfig::new(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
        cfg.pending_period = std::time::Duration::from_millis(200);
        cfg.notification_wait_max = std::time::Duration::from_secs(1);
        cfg.reap_interval = std::time::Duration::from_millis(100);
        let server = Server::start(cfg).await.unwrap();
        TestServer { server, data, dir }
    }

    pub fn add_user(&self, name: &str, admin: bool) -> User {
        self.data
            .add_user(&NewUser {
                name: name.into(),
                password: PASSWORD.into(),
                display_name: Some(format!("{name} display")),
                email: None,
                admin,
                hidden: false,
            })
            .unwrap()
    }

    pub fn set(&self, key: &str, value: &str) {
        self.data.directory().unwrap().set_setting(key, value).unwrap();
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.addr
    }
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

/// A MAPI/HTTP client context on /mapi/emsmdb/ speaking raw bodies.
pub struct Mapi {
    pub conn: Conn,
    pub auth: String,
    pub cookies: HashMap<String, String>,
    pub version: String,
    counter: u32,
    /// Columns last set on each table handle index (to decode RopQueryRows / RopFindRow rows).
    pub table_columns: HashMap<u8, Vec<oxmapi_core::tag::PropTag>>,
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
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn request(&mut self, request_type: &str, body: Vec<u8>) -> Reply {
        self.counter += 1;
        let mut h = vec![
            ("Content-Type", "application/mapi-http".to_string()),
            ("X-RequestType", request_type.to_string()),
            ("X-RequestId", format!("{{E2EA6C1C-E61B-49E9-9CFB-38184F907552}}:{}", self.counter)),
            ("X-ClientInfo", "{2EF33C39-49C8-421C-B876-CDF7F2AC3AA0}:1".to_string()),
            ("X-ClientApplication", self.version.clone()),
            ("Authorization", self.auth.clone()),
        ];
        if !self.cookies.is_empty() {
            h.push(("Cookie", self.cookie_header()));
        }
        let r = self.conn.send("POST", "/mapi/emsmdb/?MailboxId=x@y", &h, body).await;
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let first = v.split(';').next().unwrap_or("");
                if let Some((n, val)) = first.split_once('=') {
                    if v.contains("Max-Age=0") {
                        self.cookies.remove(n);
                    } else {
                        self.cookies.insert(n.to_string(), val.to_string());
                    }
                }
            }
        }
        r
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
        for q in requests.iter().filter(|q| !matches!(q, RopRequest::Release(_))) {
            cols.push(match q {
                RopRequest::GetPropertiesSpecific(g) => Some(g.property_tags.clone()),
                RopRequest::SetColumns(s) => {
                    self.table_columns.insert(s.input_handle_index, s.property_tags.clone());
                    None
                }
                RopRequest::QueryRows(x) => self.table_columns.get(&x.input_handle_index).cloned(),
                RopRequest::FindRow(x) => self.table_columns.get(&x.input_handle_index).cloned(),
                _ => None,
            });
        }
        let responses = decode_responses(&buf.rops, |i, _, _| cols.get(i).cloned().flatten()).unwrap();
        (responses, buf.handles)
    }
}
