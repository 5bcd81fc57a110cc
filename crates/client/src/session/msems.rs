//! The MSEMS service's store and transport providers at run time: the provider logon (the
//! MAPI/HTTP Connect that creates the session context, after Autodiscover when the profile does
//! not yet know the user's legacy DN) and the Connect errors turned into MAPI errors people can
//! act on (protocol-facts §2.6–2.8).

use std::time::Duration;

use oxmapi_core::MapiError;
use oxmapi_core::consts::connect_flags::CONNECT_IGNORE_NO_PF;
use oxmapi_core::error::codes;
use oxmapi_wire::aux::{AuxBlock, PUBLIC_FOLDERS_ENABLED, decode_aux_buffer};
use oxmapi_wire::mapihttp::common::format_application;
use oxmapi_wire::mapihttp::emsmdb::{ConnectRequest, ConnectSuccess};

use crate::transport::endpoints::autodiscover_base;
use crate::transport::{
    Auth, AutodiscoverResult, ClientIdentity, CredentialPolicy, Credentials, EmsmdbClient, Endpoint,
    Endpoints, MapiHttp, MapiHttpUrls, TlsOptions, TransportError, autodiscover_with_policy,
};

/// Connect `DefaultCodePage`: Windows-1252 for the 8-bit strings we never send (we are Unicode).
pub const CODE_PAGE: u32 = 1252;
/// Connect `LcidSort` / `LcidString`: en-US.
pub const LCID: u32 = 1033;

/// What the provider logon needs, read from the profile (and overrides) at logon.
#[derive(Clone, Debug)]
pub struct MsemsConfig {
    /// Server base URL (`https://host:port`).
    pub server_url: String,
    /// Credentials.
    pub credentials: Credentials,
    /// Authentication scheme.
    pub auth: Auth,
    /// TLS trust.
    pub tls: TlsOptions,
    /// The version this client reports.
    pub client_version: [u16; 4],
    /// PR_PROFILE_CONNECT_FLAGS of the global section, sent as Connect `Flags`.
    pub connect_flags: u32,
    /// The user's legacy DN when the profile knows it (PR_PROFILE_USER).
    pub legacy_dn: Option<String>,
    /// The endpoint URLs the profile keeps from an earlier Autodiscover.
    pub urls: MapiHttpUrls,
    /// Connect/request time limit (MAPI_TIMEOUT_SHORT makes it short).
    pub timeout: Duration,
    /// The overall deadline of each MAPI/HTTP request ([`crate::transport::DEFAULT_REQUEST_TIMEOUT`]
    /// by default; NotificationWait gets the server's hold time more).
    pub request_timeout: Duration,
    /// Where credentials may go: the profile server's origin and the trusted ones.
    pub policy: CredentialPolicy,
    /// `--trust-autodiscover-origin`: the origins of the endpoint URLs Autodiscover names (now,
    /// or earlier and kept in the profile) are trusted too.
    pub trust_autodiscover_origin: bool,
}

impl MsemsConfig {
    /// With `--trust-autodiscover-origin`, trusts the origins of the endpoint URLs `urls`
    /// (Autodiscover's answer); otherwise they stay subject to the origin check.
    pub(crate) fn trust_discovered(&self, urls: &MapiHttpUrls) {
        if !self.trust_autodiscover_origin {
            return;
        }
        let all = [
            &urls.mailstore_internal,
            &urls.mailstore_external,
            &urls.addressbook_internal,
            &urls.addressbook_external,
        ];
        for u in all.into_iter().flatten() {
            self.policy.trust(u);
        }
    }

    /// A MAPI/HTTP transport for `url` with the session's credentials, policy, request
    /// deadline and client identity.
    pub(crate) fn transport(&self, url: &str) -> MapiHttp {
        let identity = ClientIdentity::new(format_application("Outlook", self.client_version));
        let mut http = MapiHttp::new(
            Endpoint::new(url),
            self.credentials.clone(),
            self.auth,
            self.tls.clone(),
            identity,
        )
        .with_policy(self.policy.clone());
        http.set_request_timeout(self.request_timeout);
        http
    }
}

/// A live EMSMDB session context.
pub struct EmsmdbLink {
    /// The transport.
    pub client: EmsmdbClient,
    /// The user's legacy DN (Connect `UserDn`, RopLogon `Essdn`).
    pub legacy_dn: String,
    /// `DisplayName` from Connect.
    pub display_name: String,
    /// AUX_EXORGINFO said the organisation has public folders.
    pub public_folders: bool,
    /// What Autodiscover answered when it ran during this logon (the caller keeps the DN and
    /// the endpoint URLs in the profile).
    pub discovered: Option<AutodiscoverResult>,
    /// The endpoints this logon used (the address book binds to `addressbook`).
    pub endpoints: Endpoints,
    /// The Connect request, for reconnecting.
    pub connect: ConnectRequest,
    /// Incremented by every reconnect: server handles from an older generation are gone.
    pub generation: u64,
    /// The session's notifications: RopNotify responses of every Execute go there.
    pub(crate) notifier: Option<std::sync::Arc<crate::notify::Notifier>>,
    /// The provider's configuration, for a transport to another endpoint on failover.
    pub(crate) cfg: MsemsConfig,
}

impl EmsmdbLink {
    /// Sends Connect again with the old cookies after the server lost the context
    /// (X-ResponseCode 10, MS-OXCMAPIHTTP 3.1.5.x); the server destroys the old context and the
    /// caller must log on to its stores again.
    ///
    /// When the endpoint cannot be reached (its node died), the other endpoints the profile or
    /// Autodiscover named are tried in order ([`Endpoints::mailstore_alternates`]); the first that
    /// answers becomes the link's endpoint. A fresh context there has none of the old handles,
    /// exactly as after X-ResponseCode 10, and the notification thread registers the
    /// subscriptions again (their sinks hear fnevCriticalError for the gap).
    pub async fn reconnect(&mut self) -> Result<(), MapiError> {
        let ok = self.connect_with_failover().await?;
        if ok.error_code != 0 {
            return Err(MapiError::new(
                oxmapi_core::ErrorCode(ok.error_code),
                "the server refused to re-establish the session context",
            ));
        }
        self.generation += 1;
        if let Some(n) = &self.notifier {
            // The NotificationWait thread waits on the old context: wake it to register again.
            n.kick.notify_one();
        }
        Ok(())
    }
}

impl EmsmdbLink {
    /// Connect on the current endpoint (with the old cookies, so the server destroys the old
    /// context), else on each alternate that answers, switching the link to it.
    async fn connect_with_failover(&mut self) -> Result<ConnectSuccess, MapiError> {
        let first = match self.client.connect(&self.connect).await {
            Err(e) if unreachable(&e) && !self.endpoints.mailstore_alternates.is_empty() => e,
            r => return r.map_err(transport_error),
        };
        let alternates = self.endpoints.mailstore_alternates.clone();
        let (client, ok) = connect_first_reachable(&self.cfg, &alternates, &self.connect, first).await?;
        tracing::info!(
            from = %self.endpoints.mailstore,
            to = %client.http.endpoint().url,
            "the mailbox endpoint is unreachable; reconnected through another endpoint"
        );
        self.endpoints.use_mailstore(&client.http.endpoint().url.clone());
        self.client = client;
        Ok(ok)
    }
}

/// Whether a failed request means the endpoint could not be reached at all (refused, reset,
/// no answer), so another endpoint of the site is worth trying; an HTTP or MAPI answer is
/// not (the endpoint is there and said no).
pub(crate) fn unreachable(e: &TransportError) -> bool {
    matches!(e, TransportError::Io(_) | TransportError::Timeout(_))
}

/// Sends Connect to each of `urls` in order until one answers; `first` is why the endpoint
/// tried before them failed. An endpoint that answers with an error ends the search with it.
async fn connect_first_reachable(
    cfg: &MsemsConfig,
    urls: &[String],
    req: &ConnectRequest,
    first: TransportError,
) -> Result<(EmsmdbClient, ConnectSuccess), MapiError> {
    let mut failures = vec![first.to_string()];
    for url in urls {
        let mut client = emsmdb_client(cfg, url.clone());
        match client.connect(req).await {
            Ok(ok) => return Ok((client, ok)),
            Err(e) if unreachable(&e) => failures.push(e.to_string()),
            Err(e) => return Err(transport_error(e)),
        }
    }
    Err(MapiError::new(
        codes::MAPI_E_NETWORK_ERROR,
        format!(
            "no mailbox endpoint of the site answered ({}); check that a server is running",
            failures.join("; ")
        ),
    ))
}

fn version_text(v: [u16; 4]) -> String {
    format!("{}.{}.{}.{}", v[0], v[1], v[2], v[3])
}

fn transport_error(e: TransportError) -> MapiError {
    e.to_mapi()
}

/// Turns a refusing Connect `ErrorCode` into an error that says why and what to do.
pub fn connect_error(code: u32, cfg: &MsemsConfig) -> MapiError {
    let ec = oxmapi_core::ErrorCode(code);
    let v = version_text(cfg.client_version);
    let message = match ec {
        codes::EC_CLIENT_VER_DISALLOWED => format!(
            "the server refused Connect with ecClientVerDisallowed: this client reports version {v}; a server \
             without a public folder store refuses versions below 12.0 unless CONNECT_IGNORE_NO_PF (0x8000) is \
             set in PR_PROFILE_CONNECT_FLAGS of the global profile section (now 0x{:08X}{}), and the server's \
             min-client-version may be higher",
            cfg.connect_flags,
            if cfg.connect_flags & CONNECT_IGNORE_NO_PF != 0 { ", flag set" } else { ", flag not set" }
        ),
        codes::MAPI_E_SESSION_LIMIT => {
            "the server refused Connect: this user already holds the maximum number of sessions \
             (server setting max-sessions-per-user); log off other sessions or raise the limit"
                .to_string()
        }
        codes::EC_LOGIN_PERM => {
            "the server refused Connect with ecLoginPerm: CONNECT_USE_ADMIN_PRIVILEGE (0x1) \
             is set in PR_PROFILE_CONNECT_FLAGS but the user is not an administrator"
                .to_string()
        }
        codes::MAPI_E_LOGON_FAILED => {
            "the server refused Connect: the user account is disabled or has no mailbox".to_string()
        }
        codes::EC_UNKNOWN_USER => format!(
            "the server does not know the legacy DN {:?}; clear PR_PROFILE_USER in the profile so that \
             the next logon asks Autodiscover again",
            cfg.legacy_dn.as_deref().unwrap_or("")
        ),
        codes::MAPI_E_NO_ACCESS => {
            "the server refused Connect: the legacy DN in the profile (PR_PROFILE_USER) \
             belongs to another user than the one authenticated; fix or clear it"
                .to_string()
        }
        other => format!("the server refused Connect with {} (0x{:08X})", other.name(), other.0),
    };
    MapiError::new(ec, message)
}

/// A mailbox endpoint client for `url` with the session's credentials and client identity
/// (the provider's own, and the notification thread's second connection).
pub(crate) fn emsmdb_client(cfg: &MsemsConfig, url: String) -> EmsmdbClient {
    EmsmdbClient::new(cfg.transport(&url))
}

/// Autodiscover for the session's user, asked at the server (not at an endpoint URL); with
/// `--trust-autodiscover-origin` the origins it names become trusted.
async fn discover(cfg: &MsemsConfig) -> Result<AutodiscoverResult, TransportError> {
    let base = autodiscover_base(&cfg.server_url);
    let r = autodiscover_with_policy(
        &base,
        &cfg.credentials,
        cfg.auth,
        &cfg.tls,
        &cfg.credentials.user,
        &cfg.policy,
    )
    .await?;
    cfg.trust_discovered(&r.urls);
    Ok(r)
}

/// Autodiscover again, outside a logon (the address book endpoint moved).
pub(crate) fn rediscover(cfg: &MsemsConfig) -> Result<AutodiscoverResult, MapiError> {
    let timeout = cfg.timeout;
    crate::transport::block_on(async move {
        match tokio::time::timeout(timeout, discover(cfg)).await {
            Ok(r) => r.map_err(transport_error),
            Err(_) => Err(MapiError::new(
                codes::MAPI_E_NETWORK_ERROR,
                format!(
                    "{}: no answer from Autodiscover within {} s",
                    autodiscover_base(&cfg.server_url),
                    timeout.as_secs()
                ),
            )),
        }
    })
}

/// True when an endpoint answered that it is not (or no longer) there: HTTP 404, or a
/// redirection (MS-OXCMAPIHTTP 2.2.2.2 names 302 among the HTTP statuses a server uses). The
/// client then asks Autodiscover for the current endpoints, as Outlook does.
pub(crate) fn endpoint_moved(e: &TransportError) -> bool {
    matches!(e, TransportError::Http(status, _) if *status == 404 || (300..400).contains(status))
}

/// The provider logon: Autodiscover when the profile does not know the user's DN, Connect at
/// the endpoint the profile keeps (else the one derived from the server URL), and Autodiscover
/// again when that endpoint has gone (404 or a redirect).
pub fn provider_logon(cfg: &MsemsConfig) -> Result<EmsmdbLink, MapiError> {
    let cfg = cfg.clone();
    let timeout = cfg.timeout;
    let server = cfg.server_url.clone();
    let fut = async move {
        let mut discovered = None;
        cfg.trust_discovered(&cfg.urls);
        let mut endpoints = Endpoints::resolve(&cfg.urls, &cfg.server_url);
        let legacy_dn = match &cfg.legacy_dn {
            Some(dn) => dn.clone(),
            None => {
                let r = discover(&cfg).await.map_err(transport_error)?;
                endpoints = Endpoints::resolve(&r.urls, &cfg.server_url);
                let dn = r.legacy_dn.clone();
                discovered = Some(r);
                dn
            }
        };
        let mut req = ConnectRequest {
            user_dn: legacy_dn,
            flags: cfg.connect_flags,
            default_code_page: CODE_PAGE,
            lcid_sort: LCID,
            lcid_string: LCID,
            auxiliary_buffer: vec![],
        };
        let mut client = emsmdb_client(&cfg, endpoints.mailstore.clone());
        let ok = match client.connect(&req).await {
            Err(e) if discovered.is_none() && endpoint_moved(&e) => {
                let r = discover(&cfg).await.map_err(|d| {
                    MapiError::new(
                        e.to_mapi().code,
                        format!("{e}; asking Autodiscover for the current endpoints failed too: {d}"),
                    )
                })?;
                tracing::info!(old = %endpoints.mailstore, "the mailbox endpoint moved; Autodiscover answered again");
                endpoints = Endpoints::resolve(&r.urls, &cfg.server_url);
                req.user_dn = r.legacy_dn.clone();
                discovered = Some(r);
                client = emsmdb_client(&cfg, endpoints.mailstore.clone());
                client.connect(&req).await.map_err(transport_error)?
            }
            Err(e) if unreachable(&e) && !endpoints.mailstore_alternates.is_empty() => {
                let (c, ok) =
                    connect_first_reachable(&cfg, &endpoints.mailstore_alternates.clone(), &req, e).await?;
                tracing::info!(from = %endpoints.mailstore, to = %c.http.endpoint().url, "the mailbox endpoint is unreachable; connected through another endpoint");
                endpoints.use_mailstore(&c.http.endpoint().url.clone());
                client = c;
                ok
            }
            r => r.map_err(transport_error)?,
        };
        let legacy_dn = req.user_dn.clone();
        if ok.error_code != 0 {
            let mut c = cfg.clone();
            c.legacy_dn = Some(legacy_dn);
            return Err(connect_error(ok.error_code, &c));
        }
        let public_folders = decode_aux_buffer(&ok.auxiliary_buffer).ok().is_some_and(|blocks| {
            blocks.iter().any(
                |b| matches!(b, AuxBlock::ExOrgInfo { org_flags } if org_flags & PUBLIC_FOLDERS_ENABLED != 0),
            )
        });
        Ok(EmsmdbLink {
            client,
            legacy_dn,
            display_name: ok.display_name,
            public_folders,
            discovered,
            endpoints,
            connect: req,
            generation: 0,
            notifier: None,
            cfg,
        })
    };
    crate::transport::block_on(async move {
        match tokio::time::timeout(timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err(MapiError::new(
                codes::MAPI_E_NETWORK_ERROR,
                format!(
                    "{server}: no answer to the logon (Autodiscover and Connect) within {} s",
                    timeout.as_secs()
                ),
            )),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MS-OXCMAPIHTTP 2.2.2.2: besides 200, a server answers 401 for authentication, 302 for a
    /// redirection and 5xx for exceptional failures; gromox answers 404 for a path it does not
    /// serve (protocol-facts §7). 404 and redirections send the client back to Autodiscover;
    /// nothing else does.
    #[test]
    fn which_answers_mean_the_endpoint_moved() {
        let http = |s| TransportError::Http(s, String::new());
        assert!(endpoint_moved(&http(404)) && endpoint_moved(&http(302)) && endpoint_moved(&http(301)));
        assert!(!endpoint_moved(&http(500)) && !endpoint_moved(&http(503)) && !endpoint_moved(&http(400)));
        assert!(!endpoint_moved(&TransportError::Unauthorized(String::new())));
        assert!(!endpoint_moved(&TransportError::Io(String::new())));
    }
}
