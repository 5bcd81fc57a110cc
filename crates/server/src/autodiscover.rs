//! Autodiscover, POX form (MS-OXDSCLI 2.2.4): how a client learns the user's legacy DN (the
//! Connect `UserDn` and RopLogon `Essdn`) and the MAPI/HTTP endpoint URLs
//! (`<Protocol Type="mapiHttp">`, protocol-facts §1.1) before its first Connect.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use oxmapi_store::User;

use crate::http::respond::{Body, plain};
use crate::state::ServerState;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn guid_text(g: &oxmapi_core::guid::Guid) -> String {
    let s = g.to_string();
    s.trim_matches(|c| c == '{' || c == '}').to_ascii_lowercase()
}

/// The MAPI/HTTP endpoint URLs of `user`'s mailbox as reached through `host` (the request's
/// `Host` header, else the listen address): `(emsmdb, nspi)`, each
/// `{scheme}://{host}/mapi/{emsmdb|nspi}/?MailboxId={mailbox-guid}@{domain}` (protocol-facts §1.1).
pub fn endpoint_urls(state: &ServerState, host: Option<&str>, user: &User) -> (String, String) {
    let scheme = if state.config.tls == crate::config::TlsMode::Plain { "http" } else { "https" };
    let host = host.map(str::to_string).unwrap_or_else(|| state.config.listen.to_string());
    let domain = user.smtp_address.rsplit_once('@').map(|(_, d)| d).unwrap_or("oxmapi.local");
    let mailbox_id = format!("{}@{}", guid_text(&user.mailbox_guid), domain);
    (
        format!("{scheme}://{host}/mapi/emsmdb/?MailboxId={mailbox_id}"),
        format!("{scheme}://{host}/mapi/nspi/?MailboxId={mailbox_id}"),
    )
}

/// The Autodiscover response for the authenticated user (the request's EMailAddress is not
/// needed: the credentials name the user).
pub fn respond(state: &ServerState, user: &User, req: &Request<Incoming>) -> Response<Body> {
    let host = req.headers().get("host").and_then(|h| h.to_str().ok());
    let (emsmdb, nspi) = endpoint_urls(state, host, user);
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
      <Protocol Type="mapiHttp" Version="1">
        <MailStore><InternalUrl>{emsmdb}</InternalUrl><ExternalUrl>{emsmdb}</ExternalUrl></MailStore>
        <AddressBook><InternalUrl>{nspi}</InternalUrl><ExternalUrl>{nspi}</ExternalUrl></AddressBook>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
"#,
        display = xml_escape(&user.display_name),
        dn = xml_escape(&user.legacy_dn),
        smtp = xml_escape(&user.smtp_address),
        mailbox = guid_text(&user.mailbox_guid),
        emsmdb = xml_escape(&emsmdb),
        nspi = xml_escape(&nspi),
    );
    plain(StatusCode::OK, "text/xml; charset=utf-8", body)
}
