//! The small part of URL handling the transport needs: `http://` and `https://` URLs split into
//! scheme, host, port, the `Host` header value and the request target (path and query).

use super::TransportError;

/// A parsed `http://` or `https://` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    /// True for `https://`.
    pub https: bool,
    /// Host name or IP address, without the brackets of an IPv6 literal.
    pub host: String,
    /// TCP port (80 / 443 unless given).
    pub port: u16,
    /// `Host` header value: the authority as written (without user info).
    pub authority: String,
    /// Origin-form request target: path and query, at least `/`.
    pub path_and_query: String,
}

impl Target {
    /// Parses `url`; anything but `http://` and `https://` is refused.
    pub fn parse(url: &str) -> Result<Target, TransportError> {
        let bad = |why: &str| TransportError::Io(format!("{url}: {why}"));
        let url = url.trim();
        let (https, rest) = if let Some(r) = strip_prefix_ci(url, "https://") {
            (true, r)
        } else if let Some(r) = strip_prefix_ci(url, "http://") {
            (false, r)
        } else {
            return Err(bad("only http:// and https:// URLs are supported"));
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let mut path_and_query = rest[end..].split('#').next().unwrap_or("").to_string();
        if path_and_query.is_empty() || path_and_query.starts_with('?') {
            path_and_query.insert(0, '/');
        }
        // Drop any user info: credentials travel in Authorization, never in the URL.
        let authority = authority.rsplit_once('@').map(|(_, a)| a).unwrap_or(authority);
        if authority.is_empty() {
            return Err(bad("the URL has no host"));
        }
        let default_port = if https { 443 } else { 80 };
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| bad("unterminated IPv6 literal"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => parse_port(p).ok_or_else(|| bad("bad port"))?,
                None if after.is_empty() => default_port,
                None => return Err(bad("unexpected text after the IPv6 literal")),
            };
            (h.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), parse_port(p).ok_or_else(|| bad("bad port"))?),
                None => (authority.to_string(), default_port),
            }
        };
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("bad host name"));
        }
        if path_and_query.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("spaces and control characters must be percent-encoded"));
        }
        Ok(Target { https, host, port, authority: authority.to_string(), path_and_query })
    }

    /// `scheme://authority`, for messages.
    pub fn origin(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.authority)
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

fn parse_port(p: &str) -> Option<u16> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_url_forms_the_transport_meets() {
        let t = Target::parse("http://127.0.0.1:8080/mapi/emsmdb/?MailboxId=abc@x.y").unwrap();
        assert!(!t.https);
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 8080));
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!(t.path_and_query, "/mapi/emsmdb/?MailboxId=abc@x.y");

        let t = Target::parse("HTTPS://mail.example.com").unwrap();
        assert!(t.https);
        assert_eq!((t.host.as_str(), t.port, t.path_and_query.as_str()), ("mail.example.com", 443, "/"));

        let t = Target::parse("https://[::1]:4443/mapi/emsmdb/").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.authority.as_str()), ("::1", 4443, "[::1]:4443"));

        let t = Target::parse("http://u:p@host?x=1#frag").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path_and_query.as_str()), ("host", 80, "/?x=1"));
        assert_eq!(t.origin(), "http://host");
    }

    #[test]
    fn refuses_what_it_cannot_speak() {
        for bad in [
            "ftp://x/",
            "127.0.0.1:80",
            "http://",
            "http://h:99999/",
            "http://h:x/",
            "http://h/a b",
            "http://[::1/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
