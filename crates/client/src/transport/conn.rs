//! One kept-alive HTTP/1.1 connection to one origin (plain TCP or rustls), with HTTP
//! authentication: Basic (RFC 7617) or NTLMv2 (MS-NLMP) carried by `NTLM` or `Negotiate`
//! (raw NTLMSSP, not SPNEGO). NTLM authenticates the connection, so its three legs run on the
//! same connection and a later request on it needs no `Authorization`; Basic goes on every
//! request once the server has asked for it.
//!
//! A request that fails before any byte of the response arrived, on a connection that had
//! already carried a request (the server closed an idle keep-alive connection), is sent again
//! once on a fresh connection.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_LENGTH, HOST, WWW_AUTHENTICATE};
use hyper::{HeaderMap, Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use oxmapi_wire::ntlm::NtlmClient;
use oxmapi_wire::ntlm::http::{Scheme, authorization_value, base64_encode, parse_authorization};
use rand::RngCore;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use super::tls;
use super::trust::CredentialPolicy;
use super::url::Target;
use super::{Auth, Credentials, TlsOptions, TransportError};

/// Longest wait for the TCP connection and the TLS handshake.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait for the response head once a request is sent. MAPI/HTTP servers answer
/// at once with `PROCESSING` (or compute first and send a short body); five minutes covers the
/// slowest non-streamed answer.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(300);
/// Most bytes read from a response whose body is only diagnostics (401, errors).
pub(crate) const MAX_DIAGNOSTIC_BODY: usize = 64 * 1024;

/// The HTTP authentication scheme in use on this origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chosen {
    Basic,
    /// NTLM under this scheme name (`NTLM` or `Negotiate`).
    Ntlm(Scheme),
}

impl Chosen {
    fn name(self) -> &'static str {
        match self {
            Chosen::Basic => "Basic",
            Chosen::Ntlm(s) => s.as_str(),
        }
    }
}

/// A live connection.
struct Conn {
    sender: SendRequest<Full<Bytes>>,
    driver: JoinHandle<()>,
    /// Incremented per connection, so an NTLM handshake notices a reconnect between its legs.
    generation: u64,
    /// Has carried a request (only such a connection may have been closed while idle).
    used: bool,
    /// NTLM completed on this connection.
    ntlm_done: bool,
    /// A request was sent on it and its response has not been read to its end (in progress,
    /// or the caller was cancelled); the connection cannot carry another request.
    busy: bool,
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// What to send: the method is always POST (MAPI/HTTP and Autodiscover POX).
pub(crate) struct Outgoing {
    /// Headers besides `Host`, `Content-Length` and `Authorization`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Bytes,
}

/// Why one round trip failed.
enum Fail {
    /// Nothing of a response arrived and the request may be sent again on a new connection.
    Retry(String),
    /// Anything else.
    Fatal(TransportError),
}

impl From<TransportError> for Fail {
    fn from(e: TransportError) -> Self {
        Fail::Fatal(e)
    }
}

/// An HTTP client bound to one origin and one set of credentials.
pub(crate) struct HttpClient {
    pub target: Target,
    url: String,
    creds: Credentials,
    auth: Auth,
    tls_opts: TlsOptions,
    tls_config: Option<Arc<rustls::ClientConfig>>,
    conn: Option<Conn>,
    generation: u64,
    chosen: Option<Chosen>,
    /// Auto: the server answered an anonymous probe with something else than 401.
    anonymous: bool,
    /// Where credentials may go (the origin check runs before anything is sent).
    policy: CredentialPolicy,
    /// SHA-256 of the leaf certificate of the last TLS connection.
    pub peer_sha256: Option<String>,
    /// The schemes the server's `WWW-Authenticate` offered in its 401 to the anonymous first
    /// request (Auth::Auto), for diagnostics.
    pub offered_seen: Vec<String>,
}

impl HttpClient {
    /// A client for `url`; nothing is connected until the first request.
    pub fn new(
        url: &str,
        creds: Credentials,
        auth: Auth,
        tls_opts: TlsOptions,
    ) -> Result<HttpClient, TransportError> {
        Ok(HttpClient {
            policy: CredentialPolicy::for_url(url),
            target: Target::parse(url)?,
            url: url.to_string(),
            creds,
            auth,
            tls_opts,
            tls_config: None,
            conn: None,
            generation: 0,
            chosen: None,
            anonymous: false,
            peer_sha256: None,
            offered_seen: Vec::new(),
        })
    }

    /// Sends credentials under `policy` instead of to this URL's origin only.
    pub fn with_policy(mut self, policy: CredentialPolicy) -> HttpClient {
        self.policy = policy;
        self
    }

    /// The authentication scheme the server accepted (`Basic`, `NTLM`, `Negotiate`); None
    /// before the first authenticated request, or when the server asked for none.
    pub fn scheme(&self) -> Option<&'static str> {
        self.chosen.map(Chosen::name)
    }

    /// The URL requests go to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes the connection (the next request opens a new one, authenticating again).
    pub fn close(&mut self) {
        self.conn = None;
    }

    /// The response body was read to its end: the connection may carry the next request.
    pub fn finished(&mut self) {
        if let Some(c) = &mut self.conn {
            c.busy = false;
        }
    }

    /// Sends `out` with whatever authentication the server asks for and returns the response
    /// head; 401 after credentials were sent is [`TransportError::Unauthorized`]. The caller
    /// reads the body to its end and calls [`Self::finished`] (or calls [`Self::close`]);
    /// otherwise the next request opens a new connection.
    ///
    /// Nothing is sent to an origin the [`CredentialPolicy`] does not trust, and Basic is not
    /// sent over plain HTTP once a server of the logon offered NTLM or Negotiate
    /// ([`TransportError::NotTrusted`]).
    pub async fn send(&mut self, out: &Outgoing) -> Result<Response<Incoming>, TransportError> {
        self.policy.check(&self.target)?;
        let mut probed = false;
        loop {
            let chosen = match (self.chosen, self.auth) {
                (Some(c), _) => Some(c),
                (None, Auth::Basic) => Some(Chosen::Basic),
                (None, Auth::Ntlm) => Some(Chosen::Ntlm(Scheme::Ntlm)),
                (None, Auth::Auto) => None,
            };
            match chosen {
                None if self.anonymous => {
                    // The server answered an anonymous probe: it needs no credentials.
                    let resp = self.round_trip(out, None).await?;
                    if resp.status() != StatusCode::UNAUTHORIZED || probed {
                        return Ok(resp);
                    }
                    self.drain(resp).await;
                    self.anonymous = false;
                }
                None => {
                    // Auto: ask anonymously once, without the body (as curl does), to learn the
                    // offered schemes. A server that answers 401 before reading a body may close
                    // the connection when one is sent; an empty body keeps the connection — and
                    // the NTLM handshake that follows on it — alive.
                    probed = true;
                    let probe = Outgoing { headers: out.headers.clone(), body: Bytes::new() };
                    let resp = self.round_trip(&probe, None).await?;
                    if resp.status() != StatusCode::UNAUTHORIZED {
                        self.drain(resp).await;
                        self.anonymous = true;
                        continue;
                    }
                    let offered = self.offered(&resp);
                    self.drain(resp).await;
                    self.offered_seen = offered.clone();
                    self.chosen = Some(self.choose(&offered)?);
                }
                Some(Chosen::Basic) => {
                    self.policy.check_basic(&self.target)?;
                    let value = format!("Basic {}", base64_encode(self.basic_credentials().as_bytes()));
                    let resp = self.round_trip(out, Some(value)).await?;
                    if resp.status() != StatusCode::UNAUTHORIZED {
                        self.chosen = Some(Chosen::Basic);
                        return Ok(resp);
                    }
                    let offered = self.offered(&resp);
                    self.drain(resp).await;
                    return Err(self.refused(Chosen::Basic, &offered));
                }
                Some(Chosen::Ntlm(scheme)) => {
                    if self.conn.as_ref().is_some_and(|c| c.ntlm_done && !c.busy) {
                        let resp = self.round_trip(out, None).await?;
                        if resp.status() != StatusCode::UNAUTHORIZED {
                            return Ok(resp);
                        }
                        // The server forgot the connection's identity (or the connection was
                        // replaced): authenticate again, once.
                        self.drain(resp).await;
                        if let Some(c) = &mut self.conn {
                            c.ntlm_done = false;
                        }
                    }
                    let resp = self.ntlm(out, scheme).await?;
                    if resp.status() == StatusCode::UNAUTHORIZED {
                        let offered = self.offered(&resp);
                        self.drain(resp).await;
                        return Err(self.refused(Chosen::Ntlm(scheme), &offered));
                    }
                    self.chosen = Some(Chosen::Ntlm(scheme));
                    if let Some(c) = &mut self.conn {
                        c.ntlm_done = true;
                    }
                    return Ok(resp);
                }
            }
        }
    }

    /// The schemes a 401 offers; notes NTLM/Negotiate in the policy (Basic over plain HTTP is a
    /// downgrade from then on).
    fn offered(&self, resp: &Response<Incoming>) -> Vec<String> {
        let offered = offered_schemes(resp.headers());
        if offered.iter().any(|o| o.eq_ignore_ascii_case("NTLM") || o.eq_ignore_ascii_case("Negotiate")) {
            self.policy.note_strong_scheme();
        }
        offered
    }

    /// `DOMAIN\user` (or the user alone) for Basic.
    fn basic_credentials(&self) -> String {
        let c = &self.creds;
        if c.domain.is_empty() {
            format!("{}:{}", c.user, c.password)
        } else {
            format!("{}\\{}:{}", c.domain, c.user, c.password)
        }
    }

    /// The user and domain NTLM sends: `DOMAIN\user` in the user field is split when no domain
    /// is given.
    fn ntlm_user_domain(&self) -> (String, String) {
        let c = &self.creds;
        match (c.domain.is_empty(), c.user.split_once('\\')) {
            (true, Some((d, u))) => (u.to_string(), d.to_string()),
            _ => (c.user.clone(), c.domain.clone()),
        }
    }

    fn who(&self) -> String {
        if self.creds.domain.is_empty() {
            self.creds.user.clone()
        } else {
            format!("{}\\{}", self.creds.domain, self.creds.user)
        }
    }

    fn refused(&self, chosen: Chosen, offered: &[String]) -> TransportError {
        let also =
            if offered.is_empty() { String::new() } else { format!("; it offers {}", offered.join(", ")) };
        TransportError::Unauthorized(format!(
            "the server refused the credentials for {} ({} at {}{also}); check the user name and password",
            self.who(),
            chosen.name(),
            self.target.origin()
        ))
    }

    fn choose(&self, offered: &[String]) -> Result<Chosen, TransportError> {
        let has = |s: &str| offered.iter().any(|o| o.eq_ignore_ascii_case(s));
        if has("NTLM") {
            Ok(Chosen::Ntlm(Scheme::Ntlm))
        } else if has("Negotiate") {
            Ok(Chosen::Ntlm(Scheme::Negotiate))
        } else if has("Basic") {
            Ok(Chosen::Basic)
        } else {
            Err(TransportError::Unauthorized(format!(
                "{} asks for authentication with {} but this client speaks Basic and NTLM only",
                self.target.origin(),
                if offered.is_empty() { "no scheme it names".to_string() } else { offered.join(", ") }
            )))
        }
    }

    /// The NTLM handshake (MS-NLMP 3.1.5): NEGOTIATE with an empty body, CHALLENGE in the 401,
    /// AUTHENTICATE with the real request on the same connection. Restarted once if the
    /// connection is replaced between the legs.
    async fn ntlm(&mut self, out: &Outgoing, scheme: Scheme) -> Result<Response<Incoming>, TransportError> {
        let (user, domain) = self.ntlm_user_domain();
        let mut last = String::new();
        for _ in 0..2 {
            let mut client = NtlmClient::new();
            let negotiate = client.negotiate();
            let probe = Outgoing { headers: out.headers.clone(), body: Bytes::new() };
            let resp = self.round_trip(&probe, Some(authorization_value(scheme, &negotiate))).await?;
            let generation = self.conn.as_ref().map(|c| c.generation);
            let status = resp.status();
            let challenge = resp
                .headers()
                .get_all(WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .filter_map(parse_authorization)
                .find(|(s, t)| matches!(s, Scheme::Ntlm | Scheme::Negotiate) && !t.is_empty())
                .map(|(_, t)| t);
            let offered = self.offered(&resp);
            self.drain(resp).await;
            let Some(challenge) = challenge else {
                if status != StatusCode::UNAUTHORIZED {
                    return Err(TransportError::Http(
                        status.as_u16(),
                        format!(
                            "{} answered an NTLM NEGOTIATE with {status} instead of a challenge",
                            self.url
                        ),
                    ));
                }
                return Err(TransportError::Unauthorized(format!(
                    "{} did not answer the NTLM negotiation with a challenge{}; it may not offer NTLM \
                     (use Basic authentication)",
                    self.target.origin(),
                    if offered.is_empty() {
                        String::new()
                    } else {
                        format!(" (it offers {})", offered.join(", "))
                    }
                )));
            };
            let mut cc = [0u8; 8];
            rand::thread_rng().fill_bytes(&mut cc);
            let token = client
                .authenticate(&challenge, &user, &domain, &self.creds.password, cc, filetime_now())
                .map_err(|e| TransportError::Protocol(format!("NTLM with {}: {e}", self.target.origin())))?;
            let value = authorization_value(scheme, &token);
            match self.try_send(out, Some(&value), generation).await {
                Ok(r) => return Ok(r),
                Err(Fail::Retry(why)) => {
                    tracing::debug!(url = %self.url, %why, "connection lost during NTLM; starting over");
                    self.conn = None;
                    last = why;
                }
                Err(Fail::Fatal(e)) => return Err(e),
            }
        }
        Err(TransportError::Io(format!(
            "{}: the connection dropped during NTLM authentication: {last}",
            self.url
        )))
    }

    /// Sends once, and once more on a fresh connection when a reused connection turned out to
    /// be closed before anything of the response arrived.
    async fn round_trip(
        &mut self,
        out: &Outgoing,
        authorization: Option<String>,
    ) -> Result<Response<Incoming>, TransportError> {
        match self.try_send(out, authorization.as_deref(), None).await {
            Ok(r) => Ok(r),
            Err(Fail::Fatal(e)) => Err(e),
            Err(Fail::Retry(why)) => {
                tracing::debug!(url = %self.url, %why, "kept-alive connection was closed; reconnecting once");
                self.conn = None;
                match self.try_send(out, authorization.as_deref(), None).await {
                    Ok(r) => Ok(r),
                    Err(Fail::Retry(e)) => Err(TransportError::Io(format!("{}: {e}", self.url))),
                    Err(Fail::Fatal(e)) => Err(e),
                }
            }
        }
    }

    /// One attempt. With `generation`, the request must go on that connection (NTLM's last
    /// leg); a different or closed connection is `Retry`.
    async fn try_send(
        &mut self,
        out: &Outgoing,
        authorization: Option<&str>,
        generation: Option<u64>,
    ) -> Result<Response<Incoming>, Fail> {
        if let Some(g) = generation {
            let alive = match &mut self.conn {
                Some(c) if c.generation == g && !c.busy => c.sender.ready().await.is_ok(),
                _ => false,
            };
            if !alive {
                return Err(Fail::Retry("the connection closed after the NTLM challenge".into()));
            }
        } else {
            self.ensure_conn().await?;
        }
        let req = self.build(out, authorization)?;
        let url = self.url.clone();
        let conn = self.conn.as_mut().ok_or_else(|| Fail::Retry("no connection".into()))?;
        let reused = conn.used;
        conn.used = true;
        // Until the caller has read the body to its end (`finished`), the connection cannot
        // carry another request; a caller cancelled mid-request leaves it busy and it is replaced.
        conn.busy = true;
        let result = tokio::time::timeout(HEAD_TIMEOUT, conn.sender.send_request(req)).await;
        match result {
            Ok(Ok(resp)) => Ok(resp),
            Ok(Err(e)) => {
                self.conn = None;
                if reused && (e.is_closed() || e.is_canceled() || e.is_incomplete_message() || is_io(&e)) {
                    Err(Fail::Retry(e.to_string()))
                } else {
                    Err(Fail::Fatal(TransportError::Io(format!("{url}: {}", error_chain(&e)))))
                }
            }
            Err(_) => {
                self.conn = None;
                Err(Fail::Fatal(TransportError::Io(format!(
                    "{url}: no response within {} s; the server may be overloaded or unreachable",
                    HEAD_TIMEOUT.as_secs()
                ))))
            }
        }
    }

    fn build(
        &self,
        out: &Outgoing,
        authorization: Option<&str>,
    ) -> Result<Request<Full<Bytes>>, TransportError> {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(self.target.path_and_query.as_str())
            .header(HOST, self.target.authority.as_str())
            .header(CONTENT_LENGTH, out.body.len().to_string());
        for (n, v) in &out.headers {
            b = b.header(*n, v.as_str());
        }
        if let Some(a) = authorization {
            b = b.header(AUTHORIZATION, a);
        }
        b.body(Full::new(out.body.clone()))
            .map_err(|e| TransportError::Protocol(format!("{}: cannot build the request: {e}", self.url)))
    }

    /// Makes sure an idle, open connection exists.
    async fn ensure_conn(&mut self) -> Result<(), TransportError> {
        if let Some(c) = &mut self.conn {
            if !c.busy && !c.sender.is_closed() && c.sender.ready().await.is_ok() {
                return Ok(());
            }
            self.conn = None;
        }
        let sender = tokio::time::timeout(CONNECT_TIMEOUT, self.connect()).await.map_err(|_| {
            TransportError::Io(format!(
                "{}: connecting timed out after {} s",
                self.target.origin(),
                CONNECT_TIMEOUT.as_secs()
            ))
        })??;
        self.generation += 1;
        self.conn = Some(Conn {
            sender: sender.0,
            driver: sender.1,
            generation: self.generation,
            used: false,
            ntlm_done: false,
            busy: false,
        });
        Ok(())
    }

    async fn connect(&mut self) -> Result<(SendRequest<Full<Bytes>>, JoinHandle<()>), TransportError> {
        let origin = self.target.origin();
        let tcp = TcpStream::connect((self.target.host.as_str(), self.target.port))
            .await
            .map_err(|e| TransportError::Io(format!("{origin}: cannot connect: {e}")))?;
        let _ = tcp.set_nodelay(true);
        if !self.target.https {
            return handshake(tcp, &origin).await;
        }
        let config = match &self.tls_config {
            Some(c) => c.clone(),
            None => {
                let c = tls::client_config(&self.tls_opts)?;
                self.tls_config = Some(c.clone());
                c
            }
        };
        let name = rustls::pki_types::ServerName::try_from(self.target.host.clone())
            .map_err(|e| TransportError::Io(format!("{origin}: bad TLS server name: {e}")))?;
        let stream = tokio_rustls::TlsConnector::from(config).connect(name, tcp).await.map_err(|e| {
            let hint = if self.tls_opts.pin_sha256.is_some() {
                ""
            } else {
                " (for a self-signed server certificate, pin its SHA-256 fingerprint or give its CA file)"
            };
            TransportError::Io(format!("{origin}: TLS handshake failed: {}{hint}", error_chain(&e)))
        })?;
        self.peer_sha256 = stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|c| c.first())
            .map(|c| tls::fingerprint(c.as_ref()));
        handshake(stream, &origin).await
    }

    /// Reads and discards a body (bounded) so the connection can carry the next request;
    /// closes the connection when that fails.
    pub async fn drain(&mut self, resp: Response<Incoming>) {
        if read_limited(resp.into_body(), MAX_DIAGNOSTIC_BODY).await.is_ok() {
            self.finished();
        } else {
            self.close();
        }
    }
}

async fn handshake<IO>(
    io: IO,
    origin: &str,
) -> Result<(SendRequest<Full<Bytes>>, JoinHandle<()>), TransportError>
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| TransportError::Io(format!("{origin}: HTTP/1.1 handshake: {e}")))?;
    let driver = tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!(error = %e, "HTTP connection ended with an error");
        }
    });
    Ok((sender, driver))
}

/// Reads a whole body of at most `limit` bytes.
pub(crate) async fn read_limited(mut body: Incoming, limit: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| error_chain(&e))?;
        if let Ok(data) = frame.into_data() {
            if data.len() > limit.saturating_sub(out.len()) {
                return Err(format!("body larger than {limit} bytes"));
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// Scheme names of every `WWW-Authenticate` challenge (several headers, or several challenges
/// separated by commas in one header; auth-params are skipped).
pub(crate) fn offered_schemes(headers: &HeaderMap) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in headers.get_all(WWW_AUTHENTICATE).iter().filter_map(|v| v.to_str().ok()) {
        for piece in v.split(',') {
            let word = piece.trim().split([' ', '\t']).next().unwrap_or("");
            if word.is_empty() || word.contains('=') || word.contains('"') {
                continue;
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(word)) {
                out.push(word.to_string());
            }
        }
    }
    out
}

/// Now as a FILETIME (100 ns since 1601), for the NTLMv2 client challenge.
fn filetime_now() -> u64 {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    (d.as_secs() + 11_644_473_600) * 10_000_000 + u64::from(d.subsec_nanos() / 100)
}

fn is_io(e: &hyper::Error) -> bool {
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
            );
        }
        src = s.source();
    }
    false
}

/// An error with its sources, `a: b: c`.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        let t = x.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = x.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn offered_schemes_are_collected_from_every_form() {
        let mut h = HeaderMap::new();
        h.append(WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"oxmapi\", charset=\"UTF-8\""));
        h.append(WWW_AUTHENTICATE, HeaderValue::from_static("NTLM"));
        h.append(WWW_AUTHENTICATE, HeaderValue::from_static("Negotiate, ntlm"));
        assert_eq!(offered_schemes(&h), vec!["Basic", "NTLM", "Negotiate"]);
        assert!(offered_schemes(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn filetime_is_after_2020() {
        assert!(filetime_now() > 132_223_104_000_000_000);
    }

    #[test]
    fn credentials_forms() {
        let creds = Credentials { user: "CORP\\alice".into(), domain: String::new(), password: "pw".into() };
        let c = HttpClient::new("http://h/", creds, Auth::Auto, TlsOptions::default()).unwrap();
        assert_eq!(c.ntlm_user_domain(), ("alice".to_string(), "CORP".to_string()));
        assert_eq!(c.basic_credentials(), "CORP\\alice:pw");
        let creds = Credentials { user: "alice".into(), domain: "CORP".into(), password: "pw".into() };
        let c = HttpClient::new("http://h/", creds, Auth::Auto, TlsOptions::default()).unwrap();
        assert_eq!(c.ntlm_user_domain(), ("alice".to_string(), "CORP".to_string()));
        assert_eq!(c.basic_credentials(), "CORP\\alice:pw");
        assert_eq!(c.who(), "CORP\\alice");
    }
}
