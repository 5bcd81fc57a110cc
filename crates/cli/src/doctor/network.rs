//! The `dns`, `tcp` and `tls` checks: the server's host name resolved (the system resolver, as
//! the transport's connect uses it), a TCP connection to each address until one answers, timed,
//! and for `https://` one TLS handshake with the profile's trust
//! ([`oxmapi_client::transport::probe_tls`]): the certificate chain, its names and expiry, the
//! pin.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxmapi_client::transport::{CertificateFacts, TlsProbe, block_on, probe_tls};
use oxmapi_core::error::codes;

use super::{Check, Context, ms};
use crate::session_cmd::LogonArgs;

/// Longest wait for one TCP connection.
const TCP_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for the TLS handshake.
const TLS_TIMEOUT: Duration = Duration::from_secs(30);
/// A certificate that expires within this many days is a warning.
const EXPIRY_WARNING_DAYS: i64 = 14;

fn no_server(name: &'static str) -> Check {
    Check::blocked(name, "the profile has no Exchange server to reach")
}

/// `dns`: the host's addresses.
pub fn dns(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(origin) = ctx.origin.clone() else { return no_server("dns") };
    let host = origin.host();
    if let Ok(ip) = host.parse::<IpAddr>() {
        ctx.addrs = vec![SocketAddr::new(ip, origin.port())];
        return Check::ok("dns", format!("{host} is an address: nothing to look up"));
    }
    let started = Instant::now();
    match (host, origin.port()).to_socket_addrs() {
        Ok(addrs) => {
            let mut list: Vec<SocketAddr> = Vec::new();
            for a in addrs {
                if !list.contains(&a) {
                    list.push(a);
                }
            }
            if list.is_empty() {
                return Check::fail(
                    "dns",
                    codes::MAPI_E_NETWORK_ERROR,
                    format!("{host} has no address"),
                    fix_dns(ctx),
                );
            }
            let shown: Vec<String> = list.iter().map(|a| a.ip().to_string()).collect();
            let detail = format!("{host} → {} ({})", shown.join(", "), ms(started.elapsed()));
            ctx.addrs = list;
            Check::ok("dns", detail)
        }
        Err(e) => Check::fail(
            "dns",
            codes::MAPI_E_NETWORK_ERROR,
            format!("cannot resolve {host}: {e}"),
            fix_dns(ctx),
        ),
    }
}

fn fix_dns(ctx: &Context) -> String {
    format!(
        "check the host name in the profile's server URL (`oxmapi profile show {}`, PR_PROFILE_HOME_SERVER) and \
         this machine's name resolution (/etc/resolv.conf, /etc/hosts)",
        ctx.name()
    )
}

/// `tcp`: connects to each address in turn; the first that accepts is timed.
pub fn tcp(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(origin) = ctx.origin.clone() else { return no_server("tcp") };
    let (host, port) = (origin.host().to_string(), origin.port());
    let mut failures: Vec<(SocketAddr, std::io::Error)> = Vec::new();
    for addr in ctx.addrs.clone() {
        let started = Instant::now();
        match TcpStream::connect_timeout(&addr, TCP_TIMEOUT) {
            Ok(_) => {
                let took = ms(started.elapsed());
                if failures.is_empty() {
                    return Check::ok("tcp", format!("connected to {addr} in {took}"));
                }
                let before: Vec<String> = failures.iter().map(|(a, e)| format!("{a}: {e}")).collect();
                return Check::warn(
                    "tcp",
                    format!("connected to {addr} in {took}, after {} failed", before.join("; ")),
                    format!(
                        "{host} has addresses where nothing answers on port {port}: fix its DNS records or the server"
                    ),
                );
            }
            Err(e) => failures.push((addr, e)),
        }
    }
    let Some((addr, e)) = failures.first() else {
        return Check::fail(
            "tcp",
            codes::MAPI_E_NETWORK_ERROR,
            format!("{host} has no address to connect to"),
            fix_dns(ctx),
        );
    };
    let (detail, fix) = match e.kind() {
        ErrorKind::ConnectionRefused => (
            format!("connection refused: is `oxmapi serve` running on {host}:{port}?"),
            format!(
                "start the server (`oxmapi serve --data DIR --listen ADDRESS:{port}`), or correct the port in the \
                 profile's server URL (PR_PROFILE_HOME_SERVER)"
            ),
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => (
            format!("no answer from {addr} within {} s (TCP connect timed out)", TCP_TIMEOUT.as_secs()),
            "the host is down or a firewall drops the connection: check that the server runs and that port \
             {port} is open between here and there"
                .replace("{port}", &port.to_string()),
        ),
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => (
            format!("{addr} is unreachable (TCP connect: {e})"),
            "check this machine's network connection and routes (VPN?) to the server".to_string(),
        ),
        _ => (
            format!("TCP connect to {addr} failed: {e}"),
            "check that the server runs and the network between here and there".to_string(),
        ),
    };
    let detail = if failures.len() > 1 {
        format!("{detail} (and {} other addresses)", failures.len() - 1)
    } else {
        detail
    };
    Check::fail("tcp", codes::MAPI_E_NETWORK_ERROR, detail, fix)
}

/// `tls`: for `https://`, one handshake; plain HTTP on the loopback interface has nothing to
/// check, elsewhere it is a warning.
pub fn tls(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(origin) = ctx.origin.clone() else { return no_server("tls") };
    let host = origin.host().to_string();
    if !origin.is_https() {
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Check::skip(
                "tls",
                format!("plain HTTP on the loopback interface ({host}): no TLS to check"),
            );
        }
        return Check::warn(
            "tls",
            format!(
                "plain HTTP to {host}: nothing is encrypted on the way (Basic sends the password as it is)"
            ),
            "serve MAPI/HTTP over TLS and use an https:// server URL in the profile",
        );
    }
    let url = ctx.server_url.clone().unwrap_or_default();
    let probe = match block_on(probe_tls(&url, &ctx.tls, TLS_TIMEOUT)) {
        Ok(p) => p,
        Err(e) => {
            let e = e.to_mapi();
            return Check::fail(
                "tls",
                e.code,
                e.message,
                "check the TLS settings of the profile (PR_OXMAPI_TLS_CA_FILE)",
            );
        }
    };
    judge(ctx, &host, &probe)
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `2027-01-01`.
fn date(secs: i64) -> String {
    let (y, m, d, ..) = oxmapi_core::time::civil_from_unix(secs);
    format!("{y:04}-{m:02}-{d:02}")
}

fn describe(c: &CertificateFacts, now: i64) -> String {
    if let Some(why) = &c.unreadable
        && c.subject.is_empty()
    {
        return format!("an unreadable certificate ({why}), SHA-256 {}", c.sha256);
    }
    let mut names: Vec<String> = c.dns_names.clone();
    names.extend(c.ip_addresses.iter().map(ToString::to_string));
    let names = if names.is_empty() { "no subjectAltName".to_string() } else { names.join(", ") };
    let days = (c.not_after - now).div_euclid(86_400);
    let expiry = if c.not_after < now {
        format!("expired on {} ({} days ago)", date(c.not_after), -days)
    } else {
        format!("expires on {} (in {days} days)", date(c.not_after))
    };
    let issuer =
        if c.issuer == c.subject { "self-signed".to_string() } else { format!("issued by {}", c.issuer) };
    format!("certificate for {names} ({}), {issuer}, {expiry}, SHA-256 {}", c.subject, c.sha256)
}

/// The TLS check's verdict on one handshake.
pub fn judge(ctx: &Context, host: &str, p: &TlsProbe) -> Check {
    let now = now_secs();
    let name = ctx.name().to_string();
    let cert =
        p.chain.first().map(|c| describe(c, now)).unwrap_or_else(|| "no certificate was presented".into());
    let version = p.protocol.clone().unwrap_or_else(|| "no protocol".into());
    let leaf = p.chain.first();
    match &p.verified {
        Ok(()) => {
            let pin = if p.pinned { "; the pinned fingerprint matches" } else { "" };
            let detail = format!("{version}, {}; {cert}{pin}", p.cipher_suite.clone().unwrap_or_default());
            let days = leaf.map_or(i64::MAX, |c| (c.not_after - now).div_euclid(86_400));
            if leaf.is_some_and(|c| c.not_after < now) {
                return Check::warn(
                    "tls",
                    detail,
                    "the certificate has expired and is accepted only because it is pinned: renew it, then pin the new one",
                );
            }
            if days < EXPIRY_WARNING_DAYS {
                return Check::warn(
                    "tls",
                    detail,
                    format!("the certificate expires in {days} days: renew it"),
                );
            }
            Check::ok("tls", detail)
        }
        Err(why) => {
            let w = why.to_ascii_lowercase();
            let sha = leaf.map_or("SHA", |c| c.sha256.as_str());
            let fix = if p.pinned && w.contains("pinned") {
                format!(
                    "the server's certificate changed; if that was on purpose, pin the new one: `oxmapi profile set {name} PR_OXMAPI_TLS_PIN_SHA256 {sha}`"
                )
            } else if w.contains("expired") || leaf.is_some_and(|c| c.not_after < now) {
                "the server's certificate has expired: renew it (or correct this machine's clock if it is wrong)".to_string()
            } else if w.contains("notvalidforname") || w.contains("not valid for") {
                format!(
                    "the certificate does not name {host}: use a name it has in the profile's server URL (`oxmapi \
                     profile set {name} PR_PROFILE_HOME_SERVER https://NAME:PORT`), or give the server a \
                     certificate for {host}"
                )
            } else if w.contains("unknownissuer") || w.contains("unknown issuer") || w.contains("certificate")
            {
                format!(
                    "trust the certificate: give its CA (`oxmapi profile set {name} PR_OXMAPI_TLS_CA_FILE \
                     /path/ca.pem`), or, after checking the fingerprint with the server's administrator, pin it \
                     (`oxmapi profile set {name} PR_OXMAPI_TLS_PIN_SHA256 {sha}`)"
                )
            } else {
                "the server and this client share no TLS version or cipher suite (TLS 1.2 or 1.3 needed), or the \
                 port does not speak TLS: check the URL's scheme and port"
                    .to_string()
            };
            Check::fail(
                "tls",
                codes::MAPI_E_NETWORK_ERROR,
                format!("TLS handshake failed: {why}; {cert}"),
                fix,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(not_after: i64) -> CertificateFacts {
        CertificateFacts {
            subject: "CN=mail.example.test".into(),
            issuer: "CN=Example CA".into(),
            dns_names: vec!["mail.example.test".into()],
            not_after,
            sha256: "ab".repeat(32),
            ..Default::default()
        }
    }

    fn probe(verified: Result<(), String>, not_after: i64, pinned: bool) -> TlsProbe {
        TlsProbe {
            protocol: Some("TLSv1_3".into()),
            cipher_suite: None,
            chain: vec![facts(not_after)],
            verified,
            pinned,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn certificates_are_judged_by_their_dates_and_the_verifier() {
        let ctx = Context { profile_name: Some("work".into()), ..Context::default() };
        let now = now_secs();
        let c = judge(&ctx, "mail.example.test", &probe(Ok(()), now + 90 * 86_400, false));
        assert_eq!(c.status, super::super::Status::Ok, "{}", c.detail);
        assert!(
            c.detail.contains("mail.example.test") && c.detail.contains("issued by CN=Example CA"),
            "{}",
            c.detail
        );
        let c = judge(&ctx, "mail.example.test", &probe(Ok(()), now + 3 * 86_400, false));
        assert_eq!(c.status, super::super::Status::Warn);
        // rustls's refusal texts (rustls::CertificateError): UnknownIssuer, NotValidForName.
        let c = judge(
            &ctx,
            "h",
            &probe(Err("invalid peer certificate: UnknownIssuer".into()), now + 86_400 * 90, false),
        );
        assert!(c.fix.as_deref().unwrap_or("").contains("PR_OXMAPI_TLS_PIN_SHA256"), "{:?}", c.fix);
        let c = judge(
            &ctx,
            "other.test",
            &probe(Err("invalid peer certificate: NotValidForName".into()), now + 86_400 * 90, false),
        );
        assert!(c.fix.as_deref().unwrap_or("").contains("does not name other.test"), "{:?}", c.fix);
        let c =
            judge(&ctx, "h", &probe(Err("invalid peer certificate: Expired".into()), now - 86_400, false));
        assert!(c.detail.contains("expired on") && c.fix.as_deref().unwrap_or("").contains("renew"), "{c:?}");
    }

    #[test]
    fn dates_are_shown_as_days() {
        // 2027-01-01T00:00:00Z = 1798761600 (`date -u -d 2027-01-01 +%s`).
        assert_eq!(date(1_798_761_600), "2027-01-01");
    }
}
