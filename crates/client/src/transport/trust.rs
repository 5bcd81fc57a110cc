//! Where credentials may go. A profile names one server; Autodiscover (MS-OXDSCLI) and the
//! endpoint URLs kept from an earlier Autodiscover (PR_PROFILE_MAPIHTTP_*) may name others. The
//! client sends credentials — and talks at all — only to the origin (scheme, host, port; RFC 6454)
//! of the profile's server and to the origins the user trusted explicitly, so that an Autodiscover
//! answer (or anyone able to change it) cannot collect the password.
//!
//! The policy also remembers whether any server of the logon offered NTLM or Negotiate: after
//! that, Basic (which sends the password itself) is refused over plain HTTP on every origin —
//! a server that stops offering NTLM and asks for Basic is treated as a downgrade attack.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::TransportError;
use super::url::Target;

/// An origin: scheme, host (lowercase) and port, compared exactly (RFC 6454 §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an `http://` or `https://` URL (a bare origin such as
    /// `https://mail.example.com` is one too).
    pub fn of(url: &str) -> Result<Origin, TransportError> {
        Ok(Origin::from_target(&Target::parse(url)?))
    }

    /// The host name or address (lowercase; an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The TCP port (80 or 443 when the URL names none).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// True for `https://`.
    pub fn is_https(&self) -> bool {
        self.https
    }

    pub(crate) fn from_target(t: &Target) -> Origin {
        Origin { https: t.https, host: t.host.to_ascii_lowercase(), port: t.port }
    }
}

impl std::fmt::Display for Origin {
    /// `scheme://host:port`, with the port always written (IPv6 hosts in brackets).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

#[derive(Debug)]
struct Shared {
    home: Option<Origin>,
    trusted: Mutex<Vec<Origin>>,
    strong_offered: AtomicBool,
    advice: String,
}

/// Which origins may receive credentials, shared by every connection of one logon (clones share
/// the state).
#[derive(Clone, Debug)]
pub struct CredentialPolicy {
    shared: Arc<Shared>,
}

/// What the refusal says to do when the caller did not say (a transport used on its own).
const DEFAULT_ADVICE: &str = "if you trust that server, allow its origin explicitly";

impl CredentialPolicy {
    /// Credentials go to the origin of `home_url` (the profile's server) only; `advice` is what
    /// a refusal tells the user to do to trust another origin (e.g. the flag and profile setting).
    pub fn new(home_url: &str, advice: impl Into<String>) -> CredentialPolicy {
        CredentialPolicy {
            shared: Arc::new(Shared {
                home: Origin::of(home_url).ok(),
                trusted: Mutex::new(Vec::new()),
                strong_offered: AtomicBool::new(false),
                advice: advice.into(),
            }),
        }
    }

    /// The policy of a transport used on its own: its URL's origin only.
    pub fn for_url(url: &str) -> CredentialPolicy {
        CredentialPolicy::new(url, DEFAULT_ADVICE)
    }

    /// Also trusts the origin of `url` (ignored when it is not an http(s) URL).
    pub fn trust(&self, url: &str) {
        if let Ok(o) = Origin::of(url) {
            let mut t = self.shared.trusted.lock().unwrap_or_else(|e| e.into_inner());
            if !t.contains(&o) && self.shared.home.as_ref() != Some(&o) {
                t.push(o);
            }
        }
    }

    /// The origins trusted besides the home server's, in the order they were added.
    pub fn extra_origins(&self) -> Vec<Origin> {
        self.shared.trusted.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// True when credentials may go to `url`'s origin.
    pub fn allows(&self, url: &str) -> bool {
        Origin::of(url).is_ok_and(|o| self.allows_origin(&o))
    }

    fn allows_origin(&self, o: &Origin) -> bool {
        self.shared.home.as_ref() == Some(o)
            || self.shared.trusted.lock().unwrap_or_else(|e| e.into_inner()).contains(o)
    }

    /// [`TransportError::NotTrusted`] unless the client may talk to `target` with credentials.
    pub(crate) fn check(&self, target: &Target) -> Result<(), TransportError> {
        let o = Origin::from_target(target);
        if self.allows_origin(&o) {
            return Ok(());
        }
        let home = self.shared.home.as_ref().map_or_else(|| "(none)".to_string(), Origin::to_string);
        Err(TransportError::NotTrusted(format!(
            "{o} is another server than the profile's ({home}): Autodiscover or the endpoint URLs kept in the \
             profile named it, and this client sends credentials only to the origin of the profile's server, \
             so it did not connect; {}",
            self.shared.advice
        )))
    }

    /// Notes that a server of this logon offered NTLM or Negotiate.
    pub(crate) fn note_strong_scheme(&self) {
        self.shared.strong_offered.store(true, Ordering::Relaxed);
    }

    /// [`TransportError::NotTrusted`] when sending Basic to `target` would be a downgrade: plain
    /// HTTP after a server of this logon offered NTLM or Negotiate.
    pub(crate) fn check_basic(&self, target: &Target) -> Result<(), TransportError> {
        if target.https || !self.shared.strong_offered.load(Ordering::Relaxed) {
            return Ok(());
        }
        Err(TransportError::NotTrusted(format!(
            "{} asks for Basic authentication over plain HTTP, although NTLM/Negotiate was offered in this \
             logon: sending the password in clear text would be a downgrade, which the client refuses for \
             every origin, trusted or not; use https:// or a server that offers NTLM",
            target.origin()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let p = CredentialPolicy::for_url("http://Mail.Example.com/mapi/emsmdb/?MailboxId=x");
        assert!(p.allows("http://mail.example.com:80/autodiscover/autodiscover.xml"));
        assert!(!p.allows("https://mail.example.com/"));
        assert!(!p.allows("http://mail.example.com:8080/"));
        assert!(!p.allows("http://evil.example.com/"));
        assert!(!p.allows("ftp://mail.example.com/"));
        p.trust("http://evil.example.com/mapi/nspi/");
        assert!(p.allows("http://EVIL.example.com/x"));
        assert_eq!(p.extra_origins().len(), 1);
        assert_eq!(Origin::of("https://[::1]/").unwrap().to_string(), "https://[::1]:443");
    }

    #[test]
    fn refusals_say_why_and_what_to_do() {
        let p = CredentialPolicy::new("http://127.0.0.1:1", "run with --trust-autodiscover-origin");
        let e = p.check(&Target::parse("http://127.0.0.1:2/mapi/emsmdb/").unwrap()).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("http://127.0.0.1:2") && m.contains("another server") && m.contains("--trust"),
            "{m}"
        );
        let plain = Target::parse("http://127.0.0.1:1/").unwrap();
        assert!(p.check_basic(&plain).is_ok());
        p.note_strong_scheme();
        assert!(p.check_basic(&plain).unwrap_err().to_string().contains("downgrade"));
        assert!(p.check_basic(&Target::parse("https://127.0.0.1:1/").unwrap()).is_ok());
    }
}
