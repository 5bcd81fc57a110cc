//! One request to a MAPI/HTTP endpoint that shows how the way to it works (`oxmapi doctor`): a
//! PING (MS-OXCMAPIHTTP 2.2.6: no request body, no response body; "determine whether a server's
//! endpoint is reachable and operational"), sent by the transport's own HTTP client — the same
//! credential policy, the anonymous first request and the scheme chosen from the 401's
//! `WWW-Authenticate` (RFC 9110 11.6.1), NTLM or Basic — and what the answers said: the schemes
//! offered, the one accepted, the server's `Date` (RFC 9110 6.6.1) and `X-ServerApplication`.

use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::header::{CONTENT_TYPE, DATE};
use oxmapi_wire::mapihttp::common::{
    CONTENT_TYPE_MAPI_HTTP, HEADER_CLIENT_APPLICATION, HEADER_CLIENT_INFO, HEADER_REQUEST_ID,
    HEADER_REQUEST_TYPE, HEADER_RESPONSE_CODE, HEADER_SERVER_APPLICATION, RequestType,
};

use super::conn::{HttpClient, Outgoing};
use super::{Auth, ClientIdentity, CredentialPolicy, Credentials, TlsOptions, TransportError};
use super::{braced, header_str, new_guid};

/// What one authenticated PING showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpProbe {
    /// The endpoint asked.
    pub url: String,
    /// The schemes the server's 401 to the anonymous request offered, in its order; empty when
    /// it answered that request without asking for credentials.
    pub offered: Vec<String>,
    /// The scheme the server accepted (`NTLM`, `Negotiate`, `Basic`); None when it asked for none.
    pub scheme: Option<&'static str>,
    /// The HTTP status of the answer to the authenticated request.
    pub status: u16,
    /// Its `X-ResponseCode` (a server may refuse a PING outside a session context; the
    /// credentials were accepted all the same).
    pub response_code: Option<u32>,
    /// Its `Date` header, as sent.
    pub date: Option<String>,
    /// Its `X-ServerApplication` (e.g. `Exchange/15.02.1258.012`).
    pub server_application: Option<String>,
    /// Lowercase hex SHA-256 of the TLS leaf certificate (https only).
    pub peer_sha256: Option<String>,
    /// From sending to the answer, every authentication leg included.
    pub elapsed: Duration,
}

/// Sends one PING to the mailbox or address book endpoint `url` with `creds` (the scheme
/// chosen as [`Auth::Auto`] chooses it) under `policy`, within `timeout`. A refusal of the
/// credentials is [`TransportError::Unauthorized`] (its message names the schemes offered), an
/// origin the policy does not trust [`TransportError::NotTrusted`]; any answer after
/// authentication, whatever its status, is a probe.
pub async fn probe(
    url: &str,
    creds: &Credentials,
    tls: &TlsOptions,
    policy: &CredentialPolicy,
    identity: &ClientIdentity,
    timeout: Duration,
) -> Result<HttpProbe, TransportError> {
    let mut client =
        HttpClient::new(url, creds.clone(), Auth::Auto, tls.clone())?.with_policy(policy.clone());
    let out = Outgoing {
        headers: vec![
            (CONTENT_TYPE.as_str(), CONTENT_TYPE_MAPI_HTTP.to_string()),
            (HEADER_REQUEST_TYPE, RequestType::Ping.as_str().to_string()),
            (HEADER_REQUEST_ID, format!("{}:1", new_guid())),
            (HEADER_CLIENT_INFO, format!("{}:1", braced(&identity.client_info_guid))),
            (HEADER_CLIENT_APPLICATION, identity.client_application.clone()),
            ("Accept", "*/*".to_string()),
        ],
        body: Bytes::new(),
    };
    let started = Instant::now();
    let resp = tokio::time::timeout(timeout, client.send(&out)).await.map_err(|_| {
        TransportError::Timeout(format!("{url}: no answer to a PING within {} s", timeout.as_secs()))
    })??;
    let elapsed = started.elapsed();
    let h = resp.headers();
    let probe = HttpProbe {
        url: url.to_string(),
        offered: client.offered_seen.clone(),
        scheme: client.scheme(),
        status: resp.status().as_u16(),
        response_code: header_str(h, HEADER_RESPONSE_CODE).and_then(|v| v.trim().parse().ok()),
        date: header_str(h, DATE.as_str()).map(str::to_string),
        server_application: header_str(h, HEADER_SERVER_APPLICATION).map(str::to_string),
        peer_sha256: client.peer_sha256.clone(),
        elapsed,
    };
    client.drain(resp).await;
    Ok(probe)
}
