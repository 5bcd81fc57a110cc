//! TLS between a node and PostgreSQL, asked for in the database URL with libpq's parameters
//! (PostgreSQL documentation, "libpq — Connection Strings" and "SSL Support"):
//!
//! * `sslmode=require`, `verify-ca` or `verify-full`: the connection is encrypted and the
//!   server's certificate is always verified — its chain against the trusted roots and its name
//!   against the host of the URL. That is libpq's `verify-full`; oxmapi is stricter than libpq for
//!   `require` and `verify-ca`, which do not check the name (or, for `require`, the chain),
//!   because the database password and every mailbox travel on this connection and must go only
//!   to the server the administrator named.
//! * `sslrootcert=FILE`: the PEM certificates trusted as roots, instead of the system's (a
//!   private CA's certificate, as libpq's `sslrootcert`).
//! * `disable`, `allow`, `prefer` or no `sslmode`: plain TCP or a Unix socket, as before. oxmapi
//!   never tries TLS unless asked (libpq's `prefer` would try it without verifying anything,
//!   which protects nothing against an active attacker).
//!
//! The driver's own URL parser knows only `disable`, `prefer` and `require` and not
//! `sslrootcert`, so [`TlsSettings::from_url`] takes those parameters out of the URL (both the
//! `postgres://…?k=v&…` and the `key=value …` forms) before the driver parses the rest.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_postgres_rustls::MakeRustlsConnect;

use super::super::error::{Error, ErrorKind, Result};

/// What the URL asked for.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(super) struct TlsSettings {
    /// Encrypt, and verify the server's chain and name.
    pub verify_full: bool,
    /// `sslrootcert`: the PEM file of the trusted roots (else the system's).
    pub root_cert: Option<PathBuf>,
}

fn invalid(message: String) -> Error {
    Error::Postgres { code: None, kind: ErrorKind::Unavailable, message }
}

/// Percent-decodes a URL query value (`%2F` → `/`); `+` stays as it is, as in libpq.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl TlsSettings {
    /// Takes `sslmode` and `sslrootcert` out of `url` and returns the URL the driver gets (with
    /// `sslmode=require` when TLS is wanted, without `sslrootcert`) and the settings. An
    /// `sslmode` libpq does not know is refused.
    pub fn from_url(url: &str) -> Result<(String, TlsSettings)> {
        let mut settings = TlsSettings::default();
        let mut take = |key: &str, value: &str| -> Result<Option<String>> {
            match key {
                "sslmode" => match value {
                    "disable" | "prefer" => Ok(Some(value.to_owned())),
                    "allow" => Ok(Some("prefer".to_owned())),
                    "require" | "verify-ca" | "verify-full" => {
                        settings.verify_full = true;
                        Ok(Some("require".to_owned()))
                    }
                    other => Err(invalid(format!(
                        "invalid database URL: sslmode={other} (use disable, prefer, require, verify-ca or verify-full)"
                    ))),
                },
                "sslrootcert" => {
                    settings.root_cert = Some(PathBuf::from(value));
                    Ok(None)
                }
                _ => Ok(Some(value.to_owned())),
            }
        };
        let rewritten = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            match url.split_once('?') {
                None => url.to_owned(),
                Some((base, query)) => {
                    let mut kept = Vec::new();
                    for pair in query.split('&').filter(|p| !p.is_empty()) {
                        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                        if matches!(k, "sslmode" | "sslrootcert") {
                            if let Some(v) = take(k, &percent_decode(v))? {
                                kept.push(format!("{k}={v}"));
                            }
                        } else {
                            kept.push(pair.to_owned());
                        }
                    }
                    if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
                }
            }
        } else {
            // libpq's `key=value` form; quoted values with spaces are left to the driver.
            let mut kept = Vec::new();
            for word in url.split_whitespace() {
                match word.split_once('=') {
                    Some((k @ ("sslmode" | "sslrootcert"), v)) => {
                        if let Some(v) = take(k, v.trim_matches('\''))? {
                            kept.push(format!("{k}={v}"));
                        }
                    }
                    _ => kept.push(word.to_owned()),
                }
            }
            kept.join(" ")
        };
        if settings.root_cert.is_some() && !settings.verify_full {
            return Err(invalid(
                "invalid database URL: sslrootcert needs sslmode=verify-full (or require)".to_owned(),
            ));
        }
        Ok((rewritten, settings))
    }

    /// The driver's TLS connector for these settings; `None` for plain connections.
    pub fn connector(&self) -> Result<Option<MakeRustlsConnect>> {
        if !self.verify_full {
            return Ok(None);
        }
        let mut roots = rustls::RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                let pem = std::fs::read(path)
                    .map_err(|e| invalid(format!("cannot read sslrootcert {}: {e}", path.display())))?;
                for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                    let cert = cert.map_err(|e| {
                        invalid(format!("sslrootcert {} is not PEM certificates: {e}", path.display()))
                    })?;
                    roots.add(cert).map_err(|e| {
                        invalid(format!("sslrootcert {}: unusable certificate: {e}", path.display()))
                    })?;
                }
                if roots.is_empty() {
                    return Err(invalid(format!("sslrootcert {} holds no certificate", path.display())));
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
                if roots.is_empty() {
                    return Err(invalid(
                        "sslmode asks for TLS but this system has no trusted root certificates; name the \
                         database server's CA with sslrootcert=FILE"
                            .to_owned(),
                    ));
                }
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(format!("TLS set-up: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Some(MakeRustlsConnect::new(config)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_urls_pass_through() {
        for url in ["postgres://oxmapi@db/oxmapi", "postgres://u@h/d?application_name=x", "host=db user=u"] {
            let (out, s) = TlsSettings::from_url(url).unwrap();
            assert_eq!(out, url);
            assert_eq!(s, TlsSettings::default());
        }
    }

    #[test]
    fn verify_modes_become_require_and_the_root_file_is_taken_out() {
        let (out, s) = TlsSettings::from_url(
            "postgres://u@db:5432/d?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&x=1",
        )
        .unwrap();
        assert_eq!(out, "postgres://u@db:5432/d?sslmode=require&x=1");
        assert!(s.verify_full);
        assert_eq!(s.root_cert.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        let (out, s) = TlsSettings::from_url("host=db sslmode=require sslrootcert=/ca.pem user=u").unwrap();
        assert_eq!(out, "host=db sslmode=require user=u");
        assert!(s.verify_full);
        let (out, s) = TlsSettings::from_url("postgres://u@db/d?sslmode=verify-ca").unwrap();
        assert_eq!(out, "postgres://u@db/d?sslmode=require");
        assert!(s.verify_full, "verify-ca verifies the name too");
    }

    #[test]
    fn prefer_and_allow_stay_plain() {
        let (out, s) = TlsSettings::from_url("postgres://u@db/d?sslmode=allow").unwrap();
        assert_eq!(out, "postgres://u@db/d?sslmode=prefer");
        assert!(!s.verify_full);
        assert!(
            TlsSettings::from_url("postgres://u@db/d?sslmode=prefer")
                .unwrap()
                .1
                .connector()
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn unknown_modes_and_a_root_file_without_tls_are_refused() {
        let e = TlsSettings::from_url("postgres://u@db/d?sslmode=sometimes").unwrap_err();
        assert!(e.to_string().contains("sslmode=sometimes"), "{e}");
        let e = TlsSettings::from_url("postgres://u@db/d?sslrootcert=/ca.pem").unwrap_err();
        assert!(e.to_string().contains("verify-full"), "{e}");
    }

    #[test]
    fn an_unreadable_or_empty_root_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.pem");
        let s = TlsSettings { verify_full: true, root_cert: Some(missing.clone()) };
        let e = s.connector().map(|_| ()).unwrap_err();
        assert!(e.to_string().contains(&missing.display().to_string()), "{e}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificates here\n").unwrap();
        let s = TlsSettings { verify_full: true, root_cert: Some(empty) };
        assert!(s.connector().map(|_| ()).unwrap_err().to_string().contains("no certificate"));
    }
}
