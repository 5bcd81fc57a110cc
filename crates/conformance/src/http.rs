//! The raw HTTP/1.1 layer the suite drives servers with: one kept-alive connection per
//! [`Http`], Basic authentication (RFC 7617) or connection-oriented NTLMv2 (MS-NLMP, via
//! [`oxmapi_wire::ntlm::NtlmClient`]) chosen from the server's `WWW-Authenticate` offer, and
//! nothing else — no cookies, no MAPI/HTTP semantics (those are in [`crate::session`]), so
//! that cases can also send deliberately wrong requests.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use oxmapi_wire::mapihttp::stream::{ParsedResponse, parse_response_stream};
use oxmapi_wire::ntlm::NtlmClient;
use oxmapi_wire::ntlm::http::{Scheme, authorization_value, base64_encode, parse_authorization};
use tokio::runtime::Runtime;

/// How long one HTTP exchange may take before the case fails.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);

/// The largest response body read. The largest a MAPI/HTTP answer can legitimately be is an
/// Execute's rgbOut (pcbOut at most 0x40000, MS-OXCRPC 3.1.4.2) or an NSPI reply, plus the
/// PROCESSING/PENDING stream; a server sending more is refused instead of filling memory.
pub const MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;

/// A failure below the protocol under test: the connection, the HTTP framing, a body that does
/// not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriverError(pub String);

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DriverError {}

/// Shorthand for driver results.
pub type DriverResult<T> = Result<T, DriverError>;

pub(crate) fn derr(what: impl std::fmt::Display) -> DriverError {
    DriverError(what.to_string())
}

/// Where the server is: `http://host:port` plus an optional path prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// True for `https://` URLs (TLS with the system's root certificates; `SSL_CERT_FILE`
    /// names another bundle).
    pub tls: bool,
}

impl Target {
    /// Parses `http://host[:port][/...]`; returns the target and the path part (`/` when
    /// absent).
    pub fn parse(url: &str) -> DriverResult<(Target, String)> {
        let (tls, rest) = if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else {
            return Err(derr(format!("{url:?} is not an http:// or https:// URL")));
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                (h.to_string(), p.parse::<u16>().map_err(|_| derr(format!("bad port in {url:?}")))?)
            }
            _ => (authority.to_string(), if tls { 443 } else { 80 }),
        };
        if host.is_empty() {
            return Err(derr(format!("no host in {url:?}")));
        }
        Ok((Target { host, port, tls }, path))
    }

    /// The `Host` header value.
    pub fn host_header(&self) -> String {
        let default = if self.tls { 443 } else { 80 };
        if self.port == default { self.host.clone() } else { format!("{}:{}", self.host, self.port) }
    }
}

/// The account the suite authenticates as.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name as given (`alice`, `alice@example.com`, `DOMAIN\alice`).
    pub user: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("user", &self.user).finish_non_exhaustive()
    }
}

impl Credentials {
    /// The `Authorization: Basic …` value.
    pub fn basic(&self) -> String {
        format!("Basic {}", base64_encode(format!("{}:{}", self.user, self.password).as_bytes()))
    }

    /// `(user, domain)` for NTLM: `DOMAIN\user` is split, anything else has an empty domain.
    fn ntlm_names(&self) -> (&str, &str) {
        match self.user.split_once('\\') {
            Some((d, u)) => (u, d),
            None => (self.user.as_str(), ""),
        }
    }
}

/// One HTTP response, body read whole.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of header `name`.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `X-ResponseCode` as a number (MS-OXCMAPIHTTP 2.2.3.3.3).
    pub fn response_code(&self) -> Option<u32> {
        self.header("X-ResponseCode").and_then(|v| v.trim().parse().ok())
    }

    /// The PROCESSING/PENDING/DONE stream of a MAPI/HTTP answer (MS-OXCMAPIHTTP 2.2.7).
    pub fn stream(&self) -> DriverResult<ParsedResponse> {
        parse_response_stream(&self.body).map_err(|e| derr(format!("response stream: {e}")))
    }

    /// The binary body after `DONE` and the meta-tag headers.
    pub fn mapi_body(&self) -> DriverResult<Vec<u8>> {
        Ok(self.stream()?.body)
    }

    /// A short description for failure messages.
    pub fn summary(&self) -> String {
        format!("HTTP {} X-ResponseCode {}", self.status, self.header("X-ResponseCode").unwrap_or("(none)"))
    }
}

/// Which authentication the connection uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// Not decided yet: Basic is tried first, NTLM when the server only offers that.
    Auto,
    /// `Authorization: Basic` on every request.
    Basic,
    /// NTLMv2 once per connection.
    Ntlm,
    /// No `Authorization` header at all (anonymous requests, for the authentication cases).
    None,
}

/// One kept-alive HTTP/1.1 connection to the server, authenticated as [`Credentials`].
pub struct Http {
    rt: Arc<Runtime>,
    target: Target,
    creds: Credentials,
    mode: AuthMode,
    sender: Option<http1::SendRequest<Full<Bytes>>>,
    /// True once NTLM succeeded on the current connection.
    ntlm_authenticated: bool,
}

impl Http {
    /// A client for `target`; the connection opens on the first request.
    pub fn new(rt: Arc<Runtime>, target: Target, creds: Credentials) -> Http {
        Http { rt, target, creds, mode: AuthMode::Auto, sender: None, ntlm_authenticated: false }
    }

    /// A client that sends no `Authorization` header.
    pub fn anonymous(rt: Arc<Runtime>, target: Target) -> Http {
        let mut h = Http::new(rt, target, Credentials { user: String::new(), password: String::new() });
        h.mode = AuthMode::None;
        h
    }

    /// The server.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The runtime the exchanges run on.
    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.rt
    }

    /// Forces the authentication scheme (e.g. [`AuthMode::Ntlm`] to test NTLM where Basic
    /// would also be accepted).
    pub fn set_auth_mode(&mut self, mode: AuthMode) {
        self.mode = mode;
        self.close();
    }

    /// The `WWW-Authenticate` offers of an unauthenticated POST to `path`, lower-cased scheme
    /// names first (`basic`, `ntlm`, `negotiate` …).
    pub fn auth_offers(&mut self, path: &str) -> DriverResult<Vec<String>> {
        let r = self.exchange("POST", path, &[], &[], None)?;
        Ok(r.headers_named("WWW-Authenticate").map(|v| v.trim().to_string()).collect())
    }

    /// Drops the connection (the next request opens a new one).
    pub fn close(&mut self) {
        self.sender = None;
        self.ntlm_authenticated = false;
    }

    /// Sends one request with authentication handled: Basic, or the NTLM handshake on this
    /// connection when the server offers only NTLM/Negotiate.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> DriverResult<Reply> {
        match self.mode {
            AuthMode::None => self.exchange(method, path, headers, body, None),
            AuthMode::Basic => {
                let a = self.creds.basic();
                self.exchange(method, path, headers, body, Some(a))
            }
            AuthMode::Ntlm => self.send_ntlm(method, path, headers, body),
            AuthMode::Auto => {
                let a = self.creds.basic();
                let r = self.exchange(method, path, headers, body, Some(a))?;
                if r.status != 401 {
                    self.mode = AuthMode::Basic;
                    return Ok(r);
                }
                let offers: Vec<String> = r.headers_named("WWW-Authenticate").map(str::to_string).collect();
                let basic = offers.iter().any(|o| o.trim().to_ascii_lowercase().starts_with("basic"));
                let ntlm = offers.iter().any(|o| {
                    let o = o.trim().to_ascii_lowercase();
                    o.starts_with("ntlm") || o.starts_with("negotiate")
                });
                if ntlm && !basic {
                    self.mode = AuthMode::Ntlm;
                    self.send_ntlm(method, path, headers, body)
                } else {
                    Ok(r)
                }
            }
        }
    }

    /// NTLM: NEGOTIATE, CHALLENGE, AUTHENTICATE on one connection, then plain requests on it.
    fn send_ntlm(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> DriverResult<Reply> {
        if self.ntlm_authenticated && self.sender.is_some() {
            let r = self.exchange(method, path, headers, body, None)?;
            if r.status != 401 {
                return Ok(r);
            }
            self.close();
        }
        let mut client = NtlmClient::new();
        let negotiate = authorization_value(Scheme::Ntlm, &client.negotiate());
        let r = self.exchange(method, path, headers, body, Some(negotiate))?;
        if r.status != 401 {
            return Ok(r);
        }
        let challenge = r
            .headers_named("WWW-Authenticate")
            .filter_map(parse_authorization)
            .find(|(s, t)| matches!(s, Scheme::Ntlm | Scheme::Negotiate) && !t.is_empty())
            .map(|(_, t)| t)
            .ok_or_else(|| derr("the server answered NTLM NEGOTIATE without a CHALLENGE"))?;
        let (user, domain) = self.creds.ntlm_names();
        let client_challenge: [u8; 8] = rand::random();
        let now = filetime_now();
        let auth = client
            .authenticate(&challenge, user, domain, &self.creds.password, client_challenge, now)
            .map_err(|e| derr(format!("NTLM: {e}")))?;
        let r = self.exchange(method, path, headers, body, Some(authorization_value(Scheme::Ntlm, &auth)))?;
        self.ntlm_authenticated = r.status != 401;
        Ok(r)
    }

    /// Sends one request exactly as given (plus `Host`, `Content-Length` and `authorization`),
    /// reconnecting once when the kept-alive connection was closed.
    pub fn exchange(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
        authorization: Option<String>,
    ) -> DriverResult<Reply> {
        match self.exchange_once(method, path, headers, body, authorization.clone()) {
            Ok(r) => Ok(r),
            Err(e) if self.sender.is_none() => Err(e),
            Err(_) => {
                // A stale kept-alive connection: one retry on a fresh one.
                self.close();
                self.exchange_once(method, path, headers, body, authorization)
            }
        }
    }

    fn exchange_once(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: &[u8],
        authorization: Option<String>,
    ) -> DriverResult<Reply> {
        let rt = self.rt.clone();
        let target = self.target.clone();
        let mut sender = match self.sender.take() {
            Some(s) if !s.is_closed() => s,
            _ => {
                self.ntlm_authenticated = false;
                rt.block_on(connect(&target))?
            }
        };
        let mut b = Request::builder().method(method).uri(path).header("Host", target.host_header());
        for (k, v) in headers {
            b = b.header(k.as_str(), v.as_str());
        }
        if let Some(a) = authorization {
            b = b.header("Authorization", a);
        }
        let req = b.body(Full::new(Bytes::copy_from_slice(body))).map_err(derr)?;
        let reply = rt.block_on(async {
            tokio::time::timeout(REQUEST_TIMEOUT, async {
                sender.ready().await.map_err(derr)?;
                let resp = sender.send_request(req).await.map_err(derr)?;
                let status = resp.status().as_u16();
                let headers = resp
                    .headers()
                    .iter()
                    .map(|(k, v)| {
                        (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())
                    })
                    .collect();
                let body = http_body_util::Limited::new(resp.into_body(), MAX_RESPONSE_BODY)
                    .collect()
                    .await
                    .map_err(|e| {
                        derr(format!("response body: {e} (at most {MAX_RESPONSE_BODY} bytes are read)"))
                    })?
                    .to_bytes()
                    .to_vec();
                Ok::<_, DriverError>(Reply { status, headers, body })
            })
            .await
            .map_err(|_| derr(format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())))?
        })?;
        let closing = reply.header("Connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !closing {
            self.sender = Some(sender);
        } else {
            self.ntlm_authenticated = false;
        }
        Ok(reply)
    }
}

async fn connect(target: &Target) -> DriverResult<http1::SendRequest<Full<Bytes>>> {
    let stream = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::net::TcpStream::connect((target.host.as_str(), target.port)),
    )
    .await
    .map_err(|_| derr(format!("connecting to {}:{} timed out", target.host, target.port)))?
    .map_err(|e| derr(format!("connecting to {}:{}: {e}", target.host, target.port)))?;
    if target.tls {
        let name = rustls::pki_types::ServerName::try_from(target.host.clone())
            .map_err(|e| derr(format!("TLS server name {:?}: {e}", target.host)))?;
        let tls = tokio_rustls::TlsConnector::from(tls_config()?)
            .connect(name, stream)
            .await
            .map_err(|e| derr(format!("TLS handshake with {}: {e}", target.host)))?;
        let (sender, conn) = http1::handshake(TokioIo::new(tls)).await.map_err(derr)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        return Ok(sender);
    }
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await.map_err(derr)?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// The TLS client configuration: the system's roots (or `SSL_CERT_FILE`), ALPN `http/1.1`.
fn tls_config() -> DriverResult<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| derr(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Now as a FILETIME (100 ns since 1601), for the NTLMv2 client challenge.
fn filetime_now() -> u64 {
    let since_unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (since_unix.as_nanos() / 100) as u64 + 116_444_736_000_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let (t, p) = Target::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.tls, p.as_str()), ("127.0.0.1", 8080, false, "/"));
        let (t, p) = Target::parse("https://mail.example.com/mapi/emsmdb/?MailboxId=a@b").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.tls), ("mail.example.com", 443, true));
        assert_eq!(p, "/mapi/emsmdb/?MailboxId=a@b");
        assert!(Target::parse("ftp://x").is_err());
    }

    /// A hostile server that streams an endless body: the driver stops at
    /// [`MAX_RESPONSE_BODY`] with an error instead of reading it all into memory.
    #[test]
    fn an_endless_response_body_is_refused() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut head = [0u8; 4096];
            let _ = s.read(&mut head);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            let chunk = vec![b'x'; 0x10000];
            let mut sent = 0usize;
            // Twice the limit, then give up (the client has hung up by then).
            while sent < 2 * MAX_RESPONSE_BODY {
                if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err()
                    || s.write_all(&chunk).is_err()
                    || s.write_all(b"\r\n").is_err()
                {
                    break;
                }
                sent += chunk.len();
            }
        });
        let rt = Arc::new(tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());
        let (target, _) = Target::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        let mut h = Http::anonymous(rt, target);
        let err = h.send("POST", "/mapi/emsmdb/", &[], b"").unwrap_err();
        assert!(err.0.contains("length limit exceeded"), "{err}");
        drop(h);
        server.join().unwrap();
    }
}
