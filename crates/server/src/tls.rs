//! TLS for the listener (rustls): certificate files, or a self-signed certificate generated once
//! and kept in the data directory so that clients can pin it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::config::TlsMode;

/// A loaded TLS configuration and the leaf certificate's SHA-256 fingerprint.
pub struct TlsSetup {
    /// The rustls server configuration.
    pub config: Arc<rustls::ServerConfig>,
    /// Lowercase hex SHA-256 of the leaf certificate (DER), what a client pins.
    pub fingerprint: String,
    /// Where the certificate came from.
    pub cert_path: PathBuf,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

/// Generates (first time) or reuses `DATA/tls/self-signed.{pem,key}`.
pub fn self_signed_paths(data: &Path) -> Result<(PathBuf, PathBuf), String> {
    let dir = data.join("tls");
    let cert = dir.join("self-signed.pem");
    let key = dir.join("self-signed.key");
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    oxmapi_store::site::create_private_dir(&dir).map_err(|e| io_err(&dir, e))?;
    let host = hostname();
    let names = vec!["localhost".to_string(), "127.0.0.1".to_string(), "::1".to_string(), host];
    let ck =
        rcgen::generate_simple_self_signed(names).map_err(|e| format!("generating a certificate: {e}"))?;
    write_private(&key, ck.key_pair.serialize_pem().as_bytes())?;
    std::fs::write(&cert, ck.cert.pem()).map_err(|e| io_err(&cert, e))?;
    Ok((cert, key))
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "oxmapi".to_string())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    o.mode(0o600);
    let mut f = o.open(path).map_err(|e| io_err(path, e))?;
    f.write_all(bytes).map_err(|e| io_err(path, e))
}

/// Loads the TLS configuration for `mode`; `None` for plain HTTP.
pub fn load(mode: &TlsMode, data: &Path) -> Result<Option<TlsSetup>, String> {
    let (cert_path, key_path) = match mode {
        TlsMode::Plain => return Ok(None),
        TlsMode::SelfSigned => self_signed_paths(data)?,
        TlsMode::Files { cert, key } => (cert.clone(), key.clone()),
    };
    let certs = read_certs(&cert_path)?;
    let key = read_key(&key_path)?;
    let fingerprint = oxmapi_wire::describe::hex(&Sha256::digest(certs[0].as_ref()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("TLS certificate {}: {e}", cert_path.display()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Some(TlsSetup { config: Arc::new(config), fingerprint, cert_path }))
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let data = std::fs::read(path).map_err(|e| io_err(path, e))?;
    let certs = rustls_pemfile::certs(&mut data.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| io_err(path, e))?;
    if certs.is_empty() {
        return Err(io_err(path, "no PEM certificate found"));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let data = std::fs::read(path).map_err(|e| io_err(path, e))?;
    rustls_pemfile::private_key(&mut data.as_slice())
        .map_err(|e| io_err(path, e))?
        .ok_or_else(|| io_err(path, "no PEM private key found"))
}
