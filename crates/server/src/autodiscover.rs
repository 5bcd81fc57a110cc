//! Autodiscover, POX form (MS-OXDSCLI 2.2.4): how a client learns the user's legacy DN (the
//! Connect `UserDn` and RopLogon `Essdn`) and the MAPI/HTTP endpoint URLs
//! (`<Protocol Type="mapiHttp">`, protocol-facts §1.1) before its first Connect.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use oxmapi_store::User;

use crate::http::respond::{Body, full, plain};
use crate::state::ServerState;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn guid_text(g: &oxmapi_core::guid::Guid) -> String {
    let s = g.to_string();
    s.trim_matches(|c| c == '{' || c == '}').to_ascii_lowercase()
}

/// The highest MAPI/HTTP protocol version this server offers in `<Protocol Type="mapiHttp">`
/// (MS-OXDSCLI 2.2.4.1.1.2.6).
pub const MAPI_HTTP_VERSION: u32 = 1;

/// The request header by which a client declares the highest MAPI/HTTP version it speaks
/// (MS-OXDSCLI 2.2.2.1).
pub const HEADER_MAPI_HTTP_CAPABILITY: &str = "X-MapiHttpCapability";

/// The `Version` to offer for `<Protocol Type="mapiHttp">`, or `None` when the request does
/// not ask for MAPI/HTTP. MS-OXDSCLI 2.2.4.1.1.2.6: the Version MUST be greater than 0 and at
/// most the value of the request's `X-MapiHttpCapability`; Exchange answers a request without
/// the header with the RPC/HTTP protocols only.
pub fn offered_mapi_http_version(capability: Option<&str>) -> Option<u32> {
    let declared: u32 = capability?.trim().parse().ok()?;
    (declared > 0).then(|| declared.min(MAPI_HTTP_VERSION))
}

/// The MAPI/HTTP endpoint URLs of `user`'s mailbox as reached through `host` (the request's
/// `Host` header, else the listen address): `(emsmdb, nspi)`, each
/// `{scheme}://{host}/mapi/{emsmdb|nspi}/?MailboxId={mailbox-guid}@{domain}` (protocol-facts §1.1).
pub fn endpoint_urls(state: &ServerState, host: Option<&str>, user: &User) -> (String, String) {
    let host = host.map(str::to_string).unwrap_or_else(|| state.config.listen.to_string());
    let mailbox_id = mailbox_id(user);
    let scheme = scheme(state);
    (
        format!("{scheme}://{host}/mapi/emsmdb/?MailboxId={mailbox_id}"),
        format!("{scheme}://{host}/mapi/nspi/?MailboxId={mailbox_id}"),
    )
}

/// The endpoint URLs of `user`'s mailbox under the site's published base URL `base`
/// ([`crate::config::ServerConfig::external_url`]).
pub fn external_endpoint_urls(base: &str, user: &User) -> (String, String) {
    let base = base.trim_end_matches('/');
    let mailbox_id = mailbox_id(user);
    (
        format!("{base}/mapi/emsmdb/?MailboxId={mailbox_id}"),
        format!("{base}/mapi/nspi/?MailboxId={mailbox_id}"),
    )
}

fn scheme(state: &ServerState) -> &'static str {
    if state.config.tls == crate::config::TlsMode::Plain { "http" } else { "https" }
}

/// `{mailbox-guid}@{domain}`: the mailbox's name in the endpoint URLs and, as in Exchange 2013
/// and later, the `Server` of the EXCH protocol.
fn mailbox_id(user: &User) -> String {
    let domain = user.smtp_address.rsplit_once('@').map(|(_, d)| d).unwrap_or("oxmapi.local");
    format!("{}@{}", guid_text(&user.mailbox_guid), domain)
}

/// The `<Protocol>` elements: mapiHttp when the client asked for it (MS-OXDSCLI 2.2.4.1.1.2.6),
/// else the EXCH and EXPR descriptions Exchange gives a client that did not declare MAPI/HTTP
/// (MS-OXDSCLI 2.2.4.1.1.2.6.x `Type`). This server speaks MAPI/HTTP only; the EXCH/EXPR
/// elements name the mailbox and host so that such a client can at least identify them.
fn protocols(state: &ServerState, host: Option<&str>, user: &User, mapi_http: Option<u32>) -> String {
    if let Some(version) = mapi_http {
        let (emsmdb, nspi) = endpoint_urls(state, host, user);
        let (ext_emsmdb, ext_nspi) = match &state.config.external_url {
            Some(base) => external_endpoint_urls(base, user),
            None => (emsmdb.clone(), nspi.clone()),
        };
        return format!(
            r#"      <Protocol Type="mapiHttp" Version="{version}">
        <MailStore><InternalUrl>{emsmdb}</InternalUrl><ExternalUrl>{ext_emsmdb}</ExternalUrl></MailStore>
        <AddressBook><InternalUrl>{nspi}</InternalUrl><ExternalUrl>{ext_nspi}</ExternalUrl></AddressBook>
      </Protocol>
"#,
            emsmdb = xml_escape(&emsmdb),
            nspi = xml_escape(&nspi),
            ext_emsmdb = xml_escape(&ext_emsmdb),
            ext_nspi = xml_escape(&ext_nspi),
        );
    }
    let host = host.map(str::to_string).unwrap_or_else(|| state.config.listen.to_string());
    let id = mailbox_id(user);
    let prefix = user.legacy_dn.rsplit_once("/cn=Recipients").map(|(p, _)| p).unwrap_or("");
    let server_dn = format!("{prefix}/cn=Configuration/cn=Servers/cn={id}");
    let ssl = if scheme(state) == "https" { "On" } else { "Off" };
    format!(
        r#"      <Protocol>
        <Type>EXCH</Type>
        <Server>{id}</Server>
        <ServerDN>{server_dn}</ServerDN>
        <AuthPackage>Ntlm</AuthPackage>
      </Protocol>
      <Protocol>
        <Type>EXPR</Type>
        <Server>{host}</Server>
        <SSL>{ssl}</SSL>
        <AuthPackage>Ntlm</AuthPackage>
      </Protocol>
"#,
        id = xml_escape(&id),
        server_dn = xml_escape(&server_dn),
        host = xml_escape(&host),
    )
}

/// What a disabled account gets instead of its settings: the 401 and challenge a wrong password
/// gets, so that Autodiscover tells nobody whether a disabled account's password is right.
/// (Exchange answers a disabled account's Autodiscover request with 401 too: the account cannot
/// authenticate.)
fn refused() -> Response<Body> {
    let mut b = Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(hyper::header::CONTENT_TYPE, "text/plain");
    for offer in crate::auth::offered_schemes() {
        b = b.header(hyper::header::WWW_AUTHENTICATE, offer);
    }
    b.body(full("authentication required: anonymous requests are refused\n"))
        .unwrap_or_else(|_| Response::new(full("")))
}

/// The Autodiscover response for the authenticated user (the request's EMailAddress is not
/// needed: the credentials name the user). A disabled account gets [`refused`].
pub fn respond(state: &ServerState, user: &User, req: &Request<Incoming>) -> Response<Body> {
    if !user.enabled {
        tracing::info!(user = %user.name, "Autodiscover refused: the account is disabled");
        return refused();
    }
    let host = req.headers().get("host").and_then(|h| h.to_str().ok());
    let capability = req.headers().get(HEADER_MAPI_HTTP_CAPABILITY).and_then(|h| h.to_str().ok());
    let protocols = protocols(state, host, user, offered_mapi_http_version(capability));
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>{display}</DisplayName>
      <LegacyDN>{dn}</LegacyDN>
      <AutoDiscoverSMTPAddress>{smtp}</AutoDiscoverSMTPAddress>
      <DeploymentId>{mailbox}</DeploymentId>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>False</MicrosoftOnline>
{protocols}    </Account>
  </Response>
</Autodiscover>
"#,
        display = xml_escape(&user.display_name),
        dn = xml_escape(&user.legacy_dn),
        smtp = xml_escape(&user.smtp_address),
        mailbox = guid_text(&user.mailbox_guid),
    );
    plain(StatusCode::OK, "text/xml; charset=utf-8", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MS-OXDSCLI 2.2.4.1.1.2.6: "Version: An integer value that MUST be greater than zero (0)
    /// and less than or equal to the value of the X-MapiHttpCapability header (section
    /// 2.2.2.1) included in the Autodiscover request." MS-OXDSCLI 2.2.2.1 / the Autodiscover
    /// POX reference: the header, "if present and set to 1", asks for MAPI/HTTP information.
    #[test]
    fn mapi_http_version_follows_the_capability_header() {
        assert_eq!(offered_mapi_http_version(None), None);
        assert_eq!(offered_mapi_http_version(Some("0")), None);
        assert_eq!(offered_mapi_http_version(Some("x")), None);
        assert_eq!(offered_mapi_http_version(Some("-1")), None);
        assert_eq!(offered_mapi_http_version(Some("1")), Some(1));
        // A client declaring a later version still gets at most what this server speaks.
        assert_eq!(offered_mapi_http_version(Some(" 2 ")), Some(MAPI_HTTP_VERSION));
    }
}
