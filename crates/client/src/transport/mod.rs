//! The MAPI/HTTP transport (MS-OXCMAPIHTTP; protocol-facts §1): one session context on one
//! endpoint over a kept-alive HTTP/1.1 connection, plain or TLS, authenticated with Basic or
//! NTLMv2; Autodiscover (POX, MS-OXDSCLI) to find the endpoints; typed EMSMDB calls in
//! [`emsmdb`].
//!
//! Everything here is async on tokio. Callers without a runtime use [`block_on`], which runs
//! the future on a small shared runtime ([`runtime`]); code that is already async calls the
//! async API directly (or moves blocking callers to `spawn_blocking`).

mod autodiscover;
mod blocking;
pub(crate) mod conn;
pub mod emsmdb;
pub mod endpoints;
pub mod nspi;
mod probe;
mod tls;
mod tls_probe;
mod trust;
mod url;

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::StatusCode;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_wire::mapihttp::common::{
    CONTENT_TYPE_MAPI_HTTP, CONTEXT_ENDED_KILLED, HEADER_CLIENT_APPLICATION, HEADER_CLIENT_INFO,
    HEADER_CONTEXT_ENDED, HEADER_EXPIRATION_INFO, HEADER_PENDING_PERIOD, HEADER_REQUEST_ID,
    HEADER_REQUEST_TYPE, HEADER_RESPONSE_CODE, HEADER_SERVER_APPLICATION, RequestType, ResponseCode,
};
use oxmapi_wire::mapihttp::stream::{ResponseStreamParser, StreamEvent};

pub use autodiscover::{
    AutodiscoverResult, autodiscover, autodiscover_with_policy, parse_response as parse_autodiscover_response,
};
pub use blocking::{block_on, runtime};
pub use emsmdb::{EmsmdbClient, ExecuteOutput};
pub use endpoints::{Endpoints, MapiHttpUrls};
pub use nspi::NspiClient;
pub use probe::{HttpProbe, probe};
pub use tls_probe::{CertificateFacts, TlsProbe, certificate_facts, probe_tls};
pub use trust::{CredentialPolicy, Origin};

use conn::{HttpClient, MAX_DIAGNOSTIC_BODY, Outgoing, read_limited};

/// A MAPI/HTTP endpoint: the mailbox (`/mapi/emsmdb/?MailboxId=…`) or address-book URL that
/// Autodiscover published, e.g. `https://host/mapi/emsmdb/?MailboxId=<guid>@<domain>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL (`http://` or `https://`).
    pub url: String,
}

impl Endpoint {
    /// An endpoint at `url`.
    pub fn new(url: impl Into<String>) -> Endpoint {
        Endpoint { url: url.into() }
    }
}

/// HTTP authentication scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// Basic (RFC 7617), sent with every request; only sensible over TLS.
    Basic,
    /// NTLMv2 (MS-NLMP) on each connection.
    Ntlm,
    /// NTLM when the server offers it (`NTLM` or `Negotiate`), else Basic.
    #[default]
    Auto,
}

/// The account to authenticate as.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// User name: `alice`, `alice@example.com` or `DOMAIN\alice`.
    pub user: String,
    /// NTLM domain (may be empty; `DOMAIN\user` in `user` is split when this is empty).
    pub domain: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("domain", &self.domain)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// How `https://` servers are trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Additional trusted CA certificates (PEM), besides the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Lowercase hex SHA-256 of the server's leaf certificate (DER). When set, exactly that
    /// certificate is accepted (self-signed is fine) regardless of chain and name.
    pub pin_sha256: Option<String>,
}

/// What the client says about itself on every request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIdentity {
    /// `X-ClientApplication`, e.g. `Outlook/16.0.0.0` (servers gate features on the version,
    /// protocol-facts §2.7).
    pub client_application: String,
    /// The client instance's GUID for `X-ClientInfo` (`{GUID}:<context counter>`), with or
    /// without braces.
    pub client_info_guid: String,
}

impl ClientIdentity {
    /// `client_application` (e.g. `Outlook/16.0.0.0`) with a new random instance GUID.
    pub fn new(client_application: impl Into<String>) -> ClientIdentity {
        ClientIdentity {
            client_application: client_application.into(),
            client_info_guid: oxmapi_core::Guid::new_random().to_string(),
        }
    }
}

impl Default for ClientIdentity {
    /// `Outlook/16.0.0.0` and a random instance GUID.
    fn default() -> Self {
        ClientIdentity::new("Outlook/16.0.0.0")
    }
}

/// Why a MAPI/HTTP request failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// Connecting, TLS or HTTP failed; the message names the URL.
    #[error("{0}")]
    Io(String),
    /// The server refused the credentials (401 after authenticating).
    #[error("{0}")]
    Unauthorized(String),
    /// `X-ResponseCode` ≠ 0 (MS-OXCMAPIHTTP 2.2.3.3.3).
    #[error("the server answered X-ResponseCode {code} ({name}): {detail}")]
    ResponseCode {
        /// The code.
        code: u32,
        /// Its name in the specification's table.
        name: &'static str,
        /// The text of the `text/html` diagnostic body.
        detail: String,
    },
    /// The administrator ended the session context: X-ResponseCode 10 (MS-OXCMAPIHTTP
    /// 2.2.3.3.3) with the extension header `X-Oxmapi-Context-Ended: killed`. Unlike a context
    /// the server lost (expiry, restart), the client must not re-establish it silently: the
    /// session ends, and a new logon (a new command) is the way back.
    #[error("{0}")]
    ContextEnded(String),
    /// A malformed response stream or body.
    #[error("{0}")]
    Protocol(String),
    /// An HTTP status other than 200 and 401, with the body's text.
    #[error("HTTP {0}: {1}")]
    Http(u16, String),
    /// The client refused to send credentials: the origin is not the profile server's nor
    /// trusted, or Basic over plain HTTP would be a downgrade from NTLM/Negotiate
    /// ([`CredentialPolicy`]). Nothing was sent.
    #[error("{0}")]
    NotTrusted(String),
    /// The request did not complete within its deadline ([`MapiHttp::set_request_timeout`]),
    /// even if the server kept sending `PENDING`; the message names the URL and the request.
    #[error("{0}")]
    Timeout(String),
}

impl TransportError {
    /// The MAPI error a caller reports, with what to do about it.
    pub fn to_mapi(&self) -> MapiError {
        match self {
            TransportError::Unauthorized(m) => MapiError::new(codes::MAPI_E_LOGON_FAILED, m.clone()),
            // A policy refusal by this client, not a wrong password: MAPI_E_NO_ACCESS, so that
            // nobody is prompted for the password again (MAPI_E_LOGON_FAILED would be).
            TransportError::NotTrusted(m) => MapiError::new(codes::MAPI_E_NO_ACCESS, m.clone()),
            TransportError::Timeout(m) => MapiError::new(codes::MAPI_E_TIMEOUT, m.clone()),
            TransportError::Io(m) => MapiError::new(
                codes::MAPI_E_NETWORK_ERROR,
                format!("{m}; check that the server is running and the URL, port and TLS settings are right"),
            ),
            TransportError::ContextEnded(m) => MapiError::new(codes::MAPI_E_END_OF_SESSION, m.clone()),
            TransportError::ResponseCode { code: 10, detail, .. } => MapiError::new(
                codes::MAPI_E_END_OF_SESSION,
                format!(
                    "the server no longer knows this session (X-ResponseCode 10, Context Not Found: {detail}); \
                     log on again"
                ),
            ),
            TransportError::ResponseCode { code, name, detail } => MapiError::new(
                codes::MAPI_E_CALL_FAILED,
                format!(
                    "the server refused the request with X-ResponseCode {code} ({name}): {detail}{}",
                    advice(*code)
                ),
            ),
            TransportError::Protocol(m) => MapiError::new(
                codes::MAPI_E_CALL_FAILED,
                format!("{m}; the server's answer is not valid MAPI/HTTP — is the URL a MAPI/HTTP endpoint?"),
            ),
            TransportError::Http(status, m) => MapiError::new(
                codes::MAPI_E_CALL_FAILED,
                format!(
                    "HTTP {status}: {m}; {}",
                    if *status == 404 {
                        "check the endpoint URL (run Autodiscover again)"
                    } else if *status >= 500 {
                        "the server failed; see its log and retry later"
                    } else {
                        "the server did not accept the request"
                    }
                ),
            ),
        }
    }
}

fn advice(code: u32) -> &'static str {
    match code {
        13 | 6 => "; log on again (the session cookie is missing or invalid)",
        15 => "; only one request at a time per session: log on again",
        16 | 18 => "; the endpoint is disabled or shutting down: retry later or ask the administrator",
        11 => "; the account lacks the privilege for this request",
        9 => "; the request is too large",
        _ => "",
    }
}

/// Longest silence while reading a response body when the server does not announce its
/// keep-alive interval (longer than the 5-minute NotificationWait maximum).
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(330);
/// Default overall deadline of one request, from sending it to the end of the response,
/// whatever the server sends meanwhile (`PENDING` keep-alives included; MS-OXCMAPIHTTP 2.2.7).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a server may hold a NotificationWait before answering without an event (5 minutes,
/// MS-OXCMAPIHTTP 3.2.5.5; protocol-facts §1.7): a NotificationWait's deadline is the request
/// timeout plus this.
pub const NOTIFICATION_WAIT_HOLD: Duration = Duration::from_secs(300);

/// One MAPI/HTTP session context on one endpoint: one kept-alive HTTP/1.1 connection, the
/// context's cookies, the `X-RequestId` sequence (a GUID per context and an increasing
/// counter), `X-ClientInfo`, and authentication.
pub struct MapiHttp {
    endpoint: Endpoint,
    client: Result<HttpClient, TransportError>,
    identity: ClientIdentity,
    cookies: Vec<(String, String)>,
    request_guid: String,
    request_counter: u64,
    context_counter: u64,
    expiration_ms: Option<u64>,
    server_application: Option<String>,
    request_timeout: Duration,
    /// `PENDING` keep-alives of the request in progress (told when its deadline passes).
    pending_seen: u32,
    /// Set once the administrator ended the context ([`TransportError::ContextEnded`]): every
    /// later request fails with it at once, a reconnect included.
    ended: Option<TransportError>,
}

impl MapiHttp {
    /// A transport for `endpoint`; nothing is sent until the first request (a malformed URL
    /// is reported by the first request).
    pub fn new(
        endpoint: Endpoint,
        creds: Credentials,
        auth: Auth,
        tls: TlsOptions,
        identity: ClientIdentity,
    ) -> MapiHttp {
        let client = HttpClient::new(&endpoint.url, creds, auth, tls);
        MapiHttp {
            endpoint,
            client,
            identity,
            cookies: Vec::new(),
            request_guid: new_guid(),
            request_counter: 0,
            context_counter: 1,
            expiration_ms: None,
            server_application: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            pending_seen: 0,
            ended: None,
        }
    }

    /// The administrator ended the context (X-ResponseCode 10 with `X-Oxmapi-Context-Ended:
    /// killed`): remembers it, so that no later request (a reconnect included) is sent.
    fn end_killed(&mut self, url: &str, detail: &str) -> TransportError {
        let e = TransportError::ContextEnded(format!(
            "{url}: the session was ended by the administrator (X-ResponseCode 10, {HEADER_CONTEXT_ENDED}: \
             {CONTEXT_ENDED_KILLED}: {detail}); run the command again to log on anew"
        ));
        self.ended = Some(e.clone());
        e
    }

    /// Ends this transport as the administrator's kill did: every later request fails with
    /// `e` without reaching the server (the NotificationWait connection saw the kill first).
    pub fn mark_ended(&mut self, e: TransportError) {
        self.ended = Some(e);
    }

    /// Sends credentials under `policy` (shared by the connections of one logon) instead of to
    /// the endpoint's own origin only.
    pub fn with_policy(mut self, policy: CredentialPolicy) -> MapiHttp {
        self.client = self.client.map(|c| c.with_policy(policy));
        self
    }

    /// The overall deadline of each request ([`DEFAULT_REQUEST_TIMEOUT`] unless set);
    /// NotificationWait gets [`NOTIFICATION_WAIT_HOLD`] more.
    pub fn set_request_timeout(&mut self, timeout: Duration) {
        self.request_timeout = timeout;
    }

    /// The deadline of a request of type `rt`.
    fn deadline(&self, rt: RequestType) -> Duration {
        match rt {
            RequestType::NotificationWait => self.request_timeout.saturating_add(NOTIFICATION_WAIT_HOLD),
            _ => self.request_timeout,
        }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends one request and returns the binary body after `DONE`.
    ///
    /// Handles 401 (authenticating with Basic or NTLM and retrying, at most once per scheme),
    /// `Set-Cookie` (every cookie is kept and sent back; `Max-Age=0` drops one),
    /// `X-ResponseCode` ≠ 0 (→ [`TransportError::ResponseCode`], also when it arrives after
    /// `DONE`), a kept-alive connection the server closed (reconnect once and resend, only when
    /// nothing of the response was received), chunked or Content-Length bodies and `PENDING`
    /// keep-alives. The whole request has a deadline ([`Self::set_request_timeout`]): past it,
    /// the connection is closed and the result is [`TransportError::Timeout`].
    pub async fn request(
        &mut self,
        request_type: RequestType,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        if let Some(e) = &self.ended {
            return Err(e.clone());
        }
        let deadline = self.deadline(request_type);
        self.pending_seen = 0;
        match tokio::time::timeout(deadline, self.request_once(request_type, body)).await {
            Ok(r) => r,
            Err(_) => {
                self.close_connection();
                let pending = match self.pending_seen {
                    0 => String::new(),
                    n => format!(", although it kept sending keep-alives ({n} PENDING)"),
                };
                Err(TransportError::Timeout(format!(
                    "{}: the server did not complete the {} request within {} s{pending}; it may be overloaded \
                     or misbehaving: retry later, or allow more time with --request-timeout",
                    self.endpoint.url,
                    request_type.as_str(),
                    deadline.as_secs_f64()
                )))
            }
        }
    }

    async fn request_once(
        &mut self,
        request_type: RequestType,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, TransportError> {
        self.request_counter += 1;
        let mut headers = vec![
            (CONTENT_TYPE.as_str(), CONTENT_TYPE_MAPI_HTTP.to_string()),
            (HEADER_REQUEST_TYPE, request_type.as_str().to_string()),
            (HEADER_REQUEST_ID, format!("{}:{}", self.request_guid, self.request_counter)),
            (
                HEADER_CLIENT_INFO,
                format!("{}:{}", braced(&self.identity.client_info_guid), self.context_counter),
            ),
            (HEADER_CLIENT_APPLICATION, self.identity.client_application.clone()),
            ("Accept", "*/*".to_string()),
        ];
        if !self.cookies.is_empty() {
            let c = self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
            headers.push((COOKIE.as_str(), c));
        }
        let out = Outgoing { headers, body: Bytes::from(body) };
        let client = self.client.as_mut().map_err(|e| e.clone())?;
        let resp = client.send(&out).await?;
        let url = client.url().to_string();
        let status = resp.status();
        let h = resp.headers();
        for v in h.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            apply_set_cookie(&mut self.cookies, v);
        }
        if let Some(e) = header_str(h, HEADER_EXPIRATION_INFO).and_then(|v| v.trim().parse().ok()) {
            self.expiration_ms = Some(e);
        }
        if let Some(s) = header_str(h, HEADER_SERVER_APPLICATION) {
            self.server_application = Some(s.to_string());
        }
        let code = header_str(h, HEADER_RESPONSE_CODE).map(str::to_string);
        let pending_ms: Option<u64> =
            header_str(h, HEADER_PENDING_PERIOD).and_then(|v| v.trim().parse().ok());
        let client = self.client.as_mut().map_err(|e| e.clone())?;
        if status != StatusCode::OK {
            let text = diagnostic(client, resp).await;
            if status == StatusCode::UNAUTHORIZED {
                return Err(TransportError::Unauthorized(format!(
                    "{url}: the server refused the credentials (HTTP 401: {text}); check the password"
                )));
            }
            return Err(TransportError::Http(status.as_u16(), format!("{url}: {text}")));
        }
        let Some(code) = code else {
            let text = diagnostic(client, resp).await;
            return Err(TransportError::Protocol(format!(
                "{url}: the 200 response carries no X-ResponseCode header (body: {text})"
            )));
        };
        let code: u32 = code.trim().parse().map_err(|_| {
            TransportError::Protocol(format!("{url}: X-ResponseCode {code:?} is not a number"))
        })?;
        if code != 0 {
            let killed = code == ResponseCode::ContextNotFound.code()
                && header_str(h, HEADER_CONTEXT_ENDED).is_some_and(|v| v.trim() == CONTEXT_ENDED_KILLED);
            let detail = diagnostic(client, resp).await;
            if killed {
                return Err(self.end_killed(&url, &detail));
            }
            return Err(response_code(code, detail));
        }
        let idle = pending_ms
            .map(|p| {
                Duration::from_millis(p.saturating_mul(3)).max(Duration::from_secs(60))
                    + Duration::from_secs(10)
            })
            .unwrap_or(DEFAULT_IDLE_TIMEOUT);
        let parsed = read_stream(client, resp.into_body(), idle, &url, &mut self.pending_seen).await?;
        // A failure after the initial 0 was sent travels as an additional header after DONE.
        if let Some(r) = parsed.response_code() {
            let c = match r {
                Ok(c) => c.code(),
                Err(raw) => raw.trim().parse::<u32>().unwrap_or(ResponseCode::UnknownFailure.code()),
            };
            if c != 0 {
                let detail = String::from_utf8_lossy(&parsed.body).chars().take(2000).collect::<String>();
                let detail: String = html_text(&detail).chars().take(500).collect();
                // A pending request (NotificationWait) ended by the administrator: the code and
                // the extension header travel after DONE (MS-OXCMAPIHTTP 2.2.3.3.3, 2.2.7).
                if c == ResponseCode::ContextNotFound.code()
                    && parsed.header(HEADER_CONTEXT_ENDED).is_some_and(|v| v.trim() == CONTEXT_ENDED_KILLED)
                {
                    return Err(self.end_killed(&url, &detail));
                }
                return Err(response_code(c, detail));
            }
        }
        Ok(parsed.body)
    }

    /// Forgets the context's cookies and starts a new `X-RequestId` GUID and `X-ClientInfo`
    /// counter: the next Connect creates a new session context.
    pub fn clear_cookies(&mut self) {
        self.cookies.clear();
        self.request_guid = new_guid();
        self.request_counter = 0;
        self.context_counter += 1;
    }

    /// The cookies sent with the next request, in the order the server set them.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.cookies.clone()
    }

    /// Sets (or replaces) one cookie.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        match self.cookies.iter_mut().find(|(n, _)| n == name) {
            Some(c) => c.1 = value.to_string(),
            None => self.cookies.push((name.to_string(), value.to_string())),
        }
    }

    /// The last `X-ExpirationInfo`: ms until the server expires an idle context.
    pub fn expiration_ms(&self) -> Option<u64> {
        self.expiration_ms
    }

    /// The last `X-ServerApplication` (e.g. `Exchange/15.2.1258.12`).
    pub fn server_application(&self) -> Option<String> {
        self.server_application.clone()
    }

    /// The HTTP authentication scheme the endpoint accepted (`NTLM`, `Negotiate`, `Basic`);
    /// None before the first authenticated request or when the server asks for none.
    pub fn auth_scheme(&self) -> Option<&'static str> {
        self.client.as_ref().ok().and_then(HttpClient::scheme)
    }

    /// Lowercase hex SHA-256 of the server's TLS leaf certificate, once connected over TLS.
    pub fn peer_certificate_sha256(&self) -> Option<String> {
        self.client.as_ref().ok().and_then(|c| c.peer_sha256.clone())
    }

    /// Closes the HTTP connection; the next request opens (and authenticates) a new one. The
    /// session context and its cookies are kept.
    pub fn close_connection(&mut self) {
        if let Ok(c) = &mut self.client {
            c.close();
        }
    }
}

fn response_code(code: u32, detail: String) -> TransportError {
    let name = ResponseCode::try_from(code).map(ResponseCode::name).unwrap_or("Unknown");
    TransportError::ResponseCode { code, name, detail }
}

fn header_str<'a>(h: &'a hyper::HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Reads a diagnostic body (bounded) as text.
async fn diagnostic(client: &mut HttpClient, resp: hyper::Response<Incoming>) -> String {
    let is_html = header_str(resp.headers(), CONTENT_TYPE.as_str())
        .is_some_and(|c| c.to_ascii_lowercase().contains("html"));
    let text = match read_limited(resp.into_body(), MAX_DIAGNOSTIC_BODY).await {
        Ok(b) => {
            client.finished();
            String::from_utf8_lossy(&b).into_owned()
        }
        Err(e) => {
            client.close();
            format!("(body unreadable: {e})")
        }
    };
    let text = if is_html || text.trim_start().starts_with('<') { html_text(&text) } else { text };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut t: String = text.chars().take(500).collect();
    if t.is_empty() {
        t = "(no details)".into();
    }
    t
}

/// Reads the PROCESSING/PENDING/DONE stream to its end.
async fn read_stream(
    client: &mut HttpClient,
    mut body: Incoming,
    idle: Duration,
    url: &str,
    pending_seen: &mut u32,
) -> Result<oxmapi_wire::mapihttp::stream::ParsedResponse, TransportError> {
    let mut parser = ResponseStreamParser::new();
    loop {
        let frame = match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => {
                client.close();
                return Err(TransportError::Io(format!(
                    "{url}: the server sent nothing for {} s in the middle of a response",
                    idle.as_secs()
                )));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                client.close();
                return Err(TransportError::Io(format!(
                    "{url}: the connection dropped during the response: {}",
                    conn::error_chain(&e)
                )));
            }
            Ok(Some(Ok(f))) => f,
        };
        let Ok(data) = frame.into_data() else { continue };
        match parser.push(&data) {
            Ok(events) => {
                for e in events {
                    if let StreamEvent::Pending(n) = e {
                        *pending_seen = n;
                        tracing::trace!(%url, n, "PENDING");
                    }
                }
            }
            Err(e) => {
                client.close();
                return Err(TransportError::Protocol(format!("{url}: malformed response stream: {e}")));
            }
        }
    }
    client.finished();
    parser.finish().map_err(|e| match e {
        oxmapi_wire::mapihttp::stream::StreamError::Truncated { .. } => {
            TransportError::Io(format!("{url}: the response ended early: {e}"))
        }
        e => TransportError::Protocol(format!("{url}: malformed response stream: {e}")),
    })
}

/// Applies one `Set-Cookie` value: `name=value` and attributes; `Max-Age` ≤ 0 removes it.
fn apply_set_cookie(jar: &mut Vec<(String, String)>, header: &str) {
    let mut parts = header.split(';');
    let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else { return };
    let (name, value) = (name.trim(), value.trim().trim_matches('"'));
    if name.is_empty() {
        return;
    }
    let expired = parts.any(|a| {
        a.split_once('=').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("max-age") && v.trim().parse::<i64>().is_ok_and(|n| n <= 0)
        })
    });
    jar.retain(|(n, _)| n != name);
    if !expired {
        jar.push((name.to_string(), value.to_string()));
    }
}

/// The text of an HTML body: tags removed, the five XML entities decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut title = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let t = tag.trim().to_ascii_lowercase();
                if t == "title" {
                    title = true;
                } else if t == "/title" {
                    title = false;
                }
                out.push(' ');
            }
            (true, c) => tag.push(c),
            (false, c) if !title => out.push(c),
            _ => {}
        }
    }
    let text = autodiscover::unescape(&out);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn new_guid() -> String {
    oxmapi_core::Guid::new_random().to_string().trim_matches(|c| c == '{' || c == '}').to_string()
}

fn braced(guid: &str) -> String {
    let g = guid.trim().trim_matches(|c| c == '{' || c == '}');
    format!("{{{}}}", g.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_cookie_updates_the_jar() {
        let mut jar = Vec::new();
        apply_set_cookie(&mut jar, "MapiContext=abc; Path=/mapi/emsmdb/; HttpOnly");
        apply_set_cookie(&mut jar, "MapiSequence=1; Path=/mapi/emsmdb/; HttpOnly; Secure");
        assert_eq!(jar, vec![("MapiContext".into(), "abc".into()), ("MapiSequence".into(), "1".into())]);
        apply_set_cookie(&mut jar, "MapiSequence=2; Path=/mapi/emsmdb/");
        assert_eq!(jar[1], ("MapiSequence".into(), "2".into()));
        apply_set_cookie(&mut jar, "MapiContext=; Path=/mapi/emsmdb/; HttpOnly; Max-Age=0");
        assert_eq!(jar, vec![("MapiSequence".into(), "2".into())]);
        apply_set_cookie(&mut jar, "garbage");
        apply_set_cookie(&mut jar, "=x");
        assert_eq!(jar.len(), 1);
    }

    #[test]
    fn html_diagnostics_become_text() {
        let html = "<html><head><title>Missing Cookie</title></head><body><h1>X-ResponseCode 13: Missing \
                    Cookie</h1><p>the MapiContext cookie &amp; more</p></body></html>";
        assert_eq!(html_text(html), "X-ResponseCode 13: Missing Cookie the MapiContext cookie & more");
    }

    #[test]
    fn errors_map_to_mapi_codes() {
        let e = TransportError::Unauthorized(
            "the server refused the credentials for alice; check the password".into(),
        );
        assert_eq!(e.to_mapi().code, codes::MAPI_E_LOGON_FAILED);
        assert!(e.to_mapi().message.contains("alice"));
        assert_eq!(TransportError::Io("x".into()).to_mapi().code, codes::MAPI_E_NETWORK_ERROR);
        assert_eq!(response_code(10, "gone".into()).to_mapi().code, codes::MAPI_E_END_OF_SESSION);
        let e = response_code(15, "x".into());
        assert_eq!(e.to_mapi().code, codes::MAPI_E_CALL_FAILED);
        assert!(matches!(e, TransportError::ResponseCode { name: "Invalid Sequence", .. }));
        assert!(matches!(
            response_code(99, String::new()),
            TransportError::ResponseCode { name: "Unknown", .. }
        ));
        assert_eq!(TransportError::Http(404, "x".into()).to_mapi().code, codes::MAPI_E_CALL_FAILED);
    }

    #[test]
    fn ids_are_formatted_like_the_spec() {
        assert_eq!(braced("2ef33c39-49c8-421c-b876-cdf7f2ac3aa0"), "{2EF33C39-49C8-421C-B876-CDF7F2AC3AA0}");
        assert_eq!(
            braced("{2EF33C39-49C8-421C-B876-CDF7F2AC3AA0}"),
            "{2EF33C39-49C8-421C-B876-CDF7F2AC3AA0}"
        );
        let g = new_guid();
        assert_eq!(g.len(), 36);
        assert!(!g.contains('{'));
    }

    #[tokio::test]
    async fn bad_urls_fail_on_first_request() {
        let mut h = MapiHttp::new(
            Endpoint::new("ftp://x/"),
            Credentials::default(),
            Auth::Basic,
            TlsOptions::default(),
            ClientIdentity::default(),
        );
        assert!(matches!(h.request(RequestType::Ping, vec![]).await, Err(TransportError::Io(_))));
    }
}
