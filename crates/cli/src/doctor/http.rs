//! The `autodiscover` and `authentication` checks: the client's own Autodiscover request (POX,
//! MS-OXDSCLI 2.2.4, under the logon's credential policy) and what it returned — the user's
//! legacy DN, the mailbox (EMSMDB) and address book (NSPI) URLs and whether they are on the
//! profile server's origin — then one authenticated PING to the mailbox endpoint
//! ([`oxmapi_client::transport::probe`]): the schemes the server's 401 offers
//! (`WWW-Authenticate`) and the one it accepted.

use std::time::Duration;

use oxmapi_client::transport::endpoints::autodiscover_base;
use oxmapi_client::transport::{
    Auth, ClientIdentity, Endpoints, Origin, TransportError, autodiscover_with_policy, block_on, probe,
};
use oxmapi_core::error::codes;
use oxmapi_wire::mapihttp::common::format_application;

use super::{Check, Context, ms};
use crate::session_cmd::LogonArgs;

/// Longest wait for Autodiscover and for the PING.
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);

fn same_origin(a: &str, b: &str) -> bool {
    matches!((Origin::of(a), Origin::of(b)), (Ok(x), Ok(y)) if x == y)
}

/// `autodiscover`.
pub fn autodiscover(ctx: &mut Context, args: &LogonArgs<'_>) -> Check {
    let (Some(server), Some(creds)) = (ctx.server_url.clone(), ctx.credentials.clone()) else {
        return Check::blocked("autodiscover", "the profile has no Exchange server to ask");
    };
    let knows_dn = ctx.profile.as_ref().and_then(|p| p.profile_user()).is_some();
    let stored = ctx.profile.as_ref().map(|p| p.mapihttp_urls()).unwrap_or_default();
    ctx.endpoints = Some(Endpoints::resolve(&stored, &server));
    let base = autodiscover_base(&server);
    let policy = ctx.policy();
    let asked =
        tokio_timeout(autodiscover_with_policy(&base, &creds, Auth::Auto, &ctx.tls, &creds.user, &policy));
    let r = match asked {
        Ok(r) => r,
        Err(e) => return autodiscover_failed(ctx, &base, e, knows_dn),
    };
    if args.trust_autodiscover_origin {
        // As the logon does (MsemsConfig::trust_discovered): the kept URLs and today's.
        for urls in [&stored, &r.urls] {
            let all = [
                &urls.mailstore_internal,
                &urls.mailstore_external,
                &urls.addressbook_internal,
                &urls.addressbook_external,
            ];
            ctx.trusted_urls.extend(all.into_iter().flatten().cloned());
        }
    }
    let endpoints = Endpoints::resolve(&r.urls, &server);
    let (emsmdb, nspi) = (endpoints.mailstore.clone(), endpoints.addressbook.clone());
    ctx.discovered_dn = Some(r.legacy_dn.clone());
    let mut detail = format!(
        "{} answered for {} <{}> (legacy DN {}): EMSMDB {emsmdb}, NSPI {nspi}",
        r.autodiscover_url, r.display_name, r.smtp_address, r.legacy_dn
    );
    // A profile that knows the DN logs on at the endpoints it keeps (as the logon does), not
    // at today's answer: kept URLs of an older answer are what the logon uses.
    let kept = Endpoints::resolve(&stored, &server);
    if knows_dn && !stored.is_empty() && kept.mailstore != emsmdb {
        let fix = fix_stale(ctx, &server, &creds.user);
        ctx.stale_fix = Some(fix.clone());
        ctx.endpoints = Some(kept.clone());
        return Check::warn(
            "autodiscover",
            format!(
                "{detail}; but the profile keeps the endpoints of an earlier answer, and logons use those: EMSMDB {}, \
                 NSPI {}",
                kept.mailstore, kept.addressbook
            ),
            fix,
        );
    }
    if !knows_dn {
        ctx.endpoints = Some(endpoints);
    }
    if r.urls.is_empty() {
        return Check::warn(
            "autodiscover",
            format!(
                "{detail}; it named no MAPI/HTTP endpoints (<Protocol Type=\"mapiHttp\">): the client derives them from the server URL"
            ),
            "publish the MAPI/HTTP URLs in the server's Autodiscover answer (MailStore and AddressBook)",
        );
    }
    let foreign: Vec<&str> =
        [emsmdb.as_str(), nspi.as_str()].into_iter().filter(|u| !same_origin(u, &server)).collect();
    if foreign.is_empty() {
        detail.push_str("; both on the profile server's origin");
        return Check::ok("autodiscover", detail);
    }
    let untrusted: Vec<&&str> = foreign.iter().filter(|u| !policy.allows(u)).collect();
    detail.push_str(&format!(
        "; on another origin than the profile's server ({server}): {}",
        foreign.join(", ")
    ));
    if untrusted.is_empty() || args.trust_autodiscover_origin {
        detail.push_str(" (trusted)");
        return Check::ok("autodiscover", detail);
    }
    let origins: Vec<String> =
        untrusted.iter().filter_map(|u| Origin::of(u).ok()).map(|o| o.to_string()).collect();
    Check::warn(
        "autodiscover",
        format!("{detail}; credentials do not go there until you trust it"),
        format!(
            "if you trust {}, run with --trust-autodiscover-origin, or `oxmapi profile set {} \
             PR_OXMAPI_TRUSTED_ORIGINS \"{}\"`",
            origins.join(", "),
            ctx.name(),
            origins.join(" ")
        ),
    )
}

fn tokio_timeout<T>(
    f: impl std::future::Future<Output = Result<T, TransportError>>,
) -> Result<T, TransportError> {
    block_on(async {
        tokio::time::timeout(HTTP_TIMEOUT, f).await.unwrap_or_else(|_| {
            Err(TransportError::Timeout(format!("no answer within {} s", HTTP_TIMEOUT.as_secs())))
        })
    })
}

fn autodiscover_failed(ctx: &Context, base: &str, e: TransportError, knows_dn: bool) -> Check {
    let name = ctx.name().to_string();
    let m = e.to_mapi();
    match &e {
        TransportError::Unauthorized(why) => Check::fail(
            "autodiscover",
            codes::MAPI_E_LOGON_FAILED,
            format!("Autodiscover at {base}: {why}"),
            fix_credentials(&name),
        ),
        TransportError::NotTrusted(why) => Check::fail(
            "autodiscover",
            m.code,
            why.clone(),
            "see the message: trust the origin only if you know it",
        ),
        TransportError::Http(404, why) if knows_dn => Check::warn(
            "autodiscover",
            format!(
                "no Autodiscover service: HTTP 404 {why}; the profile already knows the legacy DN and the endpoints, so logons work without it"
            ),
            "the server should answer POST /autodiscover/autodiscover.xml (MS-OXDSCLI) for new profiles",
        ),
        TransportError::Http(404, why) => Check::fail(
            "autodiscover",
            m.code,
            format!(
                "no Autodiscover service: HTTP 404 {why}; the profile does not know the legacy DN yet, so the logon cannot start"
            ),
            format!(
                "give the server's base URL in the profile (`oxmapi profile set {name} PR_PROFILE_HOME_SERVER https://HOST`), not an endpoint URL; or enable Autodiscover on the server"
            ),
        ),
        _ => Check::fail(
            "autodiscover",
            m.code,
            format!("Autodiscover at {base}: {}", m.message),
            "see the tcp and tls checks; the server must answer POST /autodiscover/autodiscover.xml (MS-OXDSCLI)",
        ),
    }
}

/// What to do about endpoint URLs kept from an older Autodiscover answer.
fn fix_stale(ctx: &Context, server: &str, user: &str) -> String {
    let name = ctx.name();
    format!(
        "the profile keeps the endpoint URLs of an earlier Autodiscover answer (PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL_W and \
         the like); recreate the profile so that its next logon asks Autodiscover again: `oxmapi profile delete \
         {name}` then `oxmapi profile create {name} --server {server} --user {user}` (and set again what you had \
         changed in it)"
    )
}

fn fix_credentials(name: &str) -> String {
    format!(
        "check the password (--password-file, OXMAPI_PASSWORD) and the user name (`oxmapi profile set {name} \
         PR_PROFILE_AUTH_USER_W USER`); the account may be disabled"
    )
}

/// `authentication`: one PING to the mailbox endpoint.
pub fn authentication(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let (Some(endpoints), Some(creds)) = (ctx.endpoints.clone(), ctx.credentials.clone()) else {
        return Check::blocked("authentication", "the profile has no Exchange server to authenticate with");
    };
    let url = endpoints.mailstore.clone();
    let identity = ClientIdentity::new(format_application("Outlook", ctx.client_version));
    let policy = ctx.policy();
    let name = ctx.name().to_string();
    let p = match block_on(probe(&url, &creds, &ctx.tls, &policy, &identity, HTTP_TIMEOUT)) {
        Ok(p) => p,
        Err(TransportError::Unauthorized(why)) => {
            return Check::fail("authentication", codes::MAPI_E_LOGON_FAILED, why, fix_credentials(&name));
        }
        Err(e) => {
            let m = e.to_mapi();
            let fix = match e {
                TransportError::NotTrusted(_) | TransportError::Io(_) if ctx.stale_fix.is_some() => {
                    ctx.stale_fix.clone().unwrap_or_default()
                }
                TransportError::NotTrusted(_) => format!(
                    "if you trust that server, run with --trust-autodiscover-origin, or `oxmapi profile set {name} \
                     PR_OXMAPI_TRUSTED_ORIGINS ORIGIN`"
                ),
                _ => "see the tcp and tls checks".to_string(),
            };
            return Check::fail("authentication", m.code, format!("{url}: {}", m.message), fix);
        }
    };
    let offered = if p.offered.is_empty() { "nothing".to_string() } else { p.offered.join(", ") };
    let answer = match p.response_code {
        Some(0) | None => format!("HTTP {}", p.status),
        Some(c) => format!("HTTP {}, X-ResponseCode {c} to a PING outside a session context", p.status),
    };
    let server = p.server_application.clone().map(|s| format!(", {s}")).unwrap_or_default();
    if p.status == 404 || p.status >= 500 || (p.status == 200 && p.response_code.is_none()) {
        // Not a MAPI/HTTP endpoint: every answer of one carries X-ResponseCode (MS-OXCMAPIHTTP
        // 2.2.3.3.3), and the endpoints answer PING.
        let why = match p.status {
            404 => "nothing is there (HTTP 404)".to_string(),
            s if s >= 500 => format!("the server failed (HTTP {s})"),
            _ => "the answer has no X-ResponseCode: this is not a MAPI/HTTP endpoint".to_string(),
        };
        let check = Check::fail(
            "authentication",
            codes::MAPI_E_CALL_FAILED,
            format!("a PING to {url}: {why}{server}"),
            format!(
                "check the server URL in the profile (`oxmapi profile show {name}`): the endpoints come from \
                 Autodiscover, or are SERVER/mapi/emsmdb/ and SERVER/mapi/nspi/; see the server's log"
            ),
        );
        ctx.probe = Some(p);
        return check;
    }
    let check = match p.scheme {
        None => Check::warn(
            "authentication",
            format!("{url} answered a PING without asking for credentials ({answer}{server})"),
            "a MAPI/HTTP endpoint should require authentication: check the server or the proxy in front of it",
        ),
        Some(scheme) => {
            let detail = format!(
                "the server offers {offered}; {scheme} was accepted at {url} ({answer}{server}, {})",
                ms(p.elapsed)
            );
            let plain = url.to_ascii_lowercase().starts_with("http://");
            let loopback = ctx.origin.as_ref().is_some_and(|o| {
                o.host() == "localhost"
                    || o.host().parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
            });
            if scheme == "Basic" && plain && !loopback {
                Check::warn(
                    "authentication",
                    format!("{detail}; Basic over plain HTTP sends the password as it is"),
                    "use https://, or a server that offers NTLM",
                )
            } else {
                Check::ok("authentication", detail)
            }
        }
    };
    ctx.probe = Some(p);
    check
}
