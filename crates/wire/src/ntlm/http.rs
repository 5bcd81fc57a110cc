//! HTTP `Authorization` and `WWW-Authenticate` values for NTLM (`NTLM <base64>`, and
//! `Negotiate <base64>` carrying raw NTLMSSP) and `Basic` (RFC 7617).
//!
//! Base64 is the RFC 4648 section 4 alphabet with `=` padding, decoded strictly: no
//! whitespace, no missing or extra padding, no non-zero bits after the last symbol.

/// The authentication scheme of a header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `NTLM`.
    Ntlm,
    /// `Negotiate` (only raw NTLMSSP tokens are understood; see [`super::is_ntlmssp`]).
    Negotiate,
    /// `Basic`.
    Basic,
    /// Any other scheme; its token is not decoded.
    Other,
}

impl Scheme {
    /// The scheme name as written in headers (empty for [`Scheme::Other`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Ntlm => "NTLM",
            Scheme::Negotiate => "Negotiate",
            Scheme::Basic => "Basic",
            Scheme::Other => "",
        }
    }
}

/// Splits `Authorization: <scheme> <base64>` (or a single `WWW-Authenticate` challenge) into
/// the scheme, matched case-insensitively, and the decoded token.
///
/// `None` for an empty value, a known scheme without a token, or a token that is not strict
/// base64. An unknown scheme gives `(Scheme::Other, vec![])`.
pub fn parse_authorization(value: &str) -> Option<(Scheme, Vec<u8>)> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    let (name, token) = match value.split_once([' ', '\t']) {
        Some((n, t)) => (n, t.trim_start_matches([' ', '\t'])),
        None => (value, ""),
    };
    if name.is_empty() {
        return None;
    }
    let scheme = if name.eq_ignore_ascii_case("NTLM") {
        Scheme::Ntlm
    } else if name.eq_ignore_ascii_case("Negotiate") {
        Scheme::Negotiate
    } else if name.eq_ignore_ascii_case("Basic") {
        Scheme::Basic
    } else {
        return Some((Scheme::Other, Vec::new()));
    };
    if token.is_empty() {
        return None;
    }
    Some((scheme, base64_decode(token)?))
}

/// The header value `<scheme> <base64(token)>`, or the bare scheme name for an empty token
/// (the initial `WWW-Authenticate: NTLM`).
pub fn authorization_value(scheme: Scheme, token: &[u8]) -> String {
    if token.is_empty() {
        scheme.as_str().to_string()
    } else {
        format!("{} {}", scheme.as_str(), base64_encode(token))
    }
}

/// Splits a decoded `Basic` token into user id and password at the first colon; `None` when
/// there is no colon or the text is not UTF-8.
pub fn parse_basic(token: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(token).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 0x3F] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// Strict standard base64 with padding; `None` on any deviation.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let s = text.as_bytes();
    if s.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let quads = s.len() / 4;
    for (qi, q) in s.chunks_exact(4).enumerate() {
        let pad = if qi + 1 == quads { q.iter().rev().take_while(|&&c| c == b'=').count() } else { 0 };
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            n = n << 6 | sextet(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        // Bits below the last symbol must be zero (canonical encoding).
        if bytes[3 - pad..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn decoding_is_strict() {
        for bad in
            ["Zg", "Zg=", "Zg===", "Zh==", "Zm9=", "Z===", "Zg==Zg==", "Zm 9v", "Zm9v\n", "Zm-v", "=Zg="]
        {
            assert_eq!(base64_decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn all_bytes_round_trip() {
        let data: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for n in 0..data.len() {
            assert_eq!(base64_decode(&base64_encode(&data[..n])).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn authorization_values() {
        assert_eq!(parse_authorization("NTLM TlRMTVNTUAA="), Some((Scheme::Ntlm, b"NTLMSSP\0".to_vec())));
        assert_eq!(
            parse_authorization("  negotiate   TlRMTVNTUAA= "),
            Some((Scheme::Negotiate, b"NTLMSSP\0".to_vec()))
        );
        let (s, t) = parse_authorization("Basic dXNlcjpwYTpzcw==").unwrap();
        assert_eq!(s, Scheme::Basic);
        assert_eq!(parse_basic(&t), Some(("user".into(), "pa:ss".into())));
        assert_eq!(parse_authorization("Bearer abc.def"), Some((Scheme::Other, vec![])));
        assert_eq!(parse_authorization("NTLM"), None);
        assert_eq!(parse_authorization("NTLM !!!!"), None);
        assert_eq!(parse_authorization(""), None);
        assert_eq!(authorization_value(Scheme::Ntlm, b"NTLMSSP\0"), "NTLM TlRMTVNTUAA=");
        assert_eq!(authorization_value(Scheme::Negotiate, b""), "Negotiate");
        assert_eq!(parse_basic(b"nocolon"), None);
    }
}
