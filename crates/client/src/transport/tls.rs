//! TLS for `https://` endpoints (rustls with the ring provider): the system roots plus an
//! optional CA file, or — when a fingerprint is pinned — exactly one leaf certificate, which may
//! be self-signed (what `oxmapi serve --tls-self-signed` prints).

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use sha2::{Digest, Sha256};

use super::{TlsOptions, TransportError};

/// Lowercase hex SHA-256 of a certificate's DER encoding (the pin format).
pub(crate) fn fingerprint(cert: &[u8]) -> String {
    oxmapi_wire::describe::hex(&Sha256::digest(cert))
}

/// Normalises a pin as users type it: case, `:` separators and an optional `sha256:` prefix
/// are accepted. Anything that is not 64 hex digits afterwards is refused.
pub(crate) fn normalize_pin(pin: &str) -> Result<String, TransportError> {
    let p = pin.trim();
    let p = p.strip_prefix("sha256:").or_else(|| p.strip_prefix("SHA256:")).unwrap_or(p);
    let p: String = p.chars().filter(|c| *c != ':').collect::<String>().to_ascii_lowercase();
    if p.len() != 64 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(TransportError::Io(format!(
            "the pinned certificate fingerprint {pin:?} is not a SHA-256 in hex (64 hex digits); \
             copy the value the server prints as \"TLS certificate SHA-256\""
        )));
    }
    Ok(p)
}

/// Builds the client configuration for `opts` (ALPN `http/1.1`), trusting what [`verifier`]
/// trusts.
pub(crate) fn client_config(opts: &TlsOptions) -> Result<Arc<rustls::ClientConfig>, TransportError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Io(format!("TLS setup: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier(opts, &provider)?)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The trust decision for `opts`, in one place for the transport and `doctor`'s TLS probe: the
/// pinned fingerprint alone when there is a pin, else the system roots and the CA file
/// (rustls's WebPKI verifier: chain, names, dates).
pub(crate) fn verifier(
    opts: &TlsOptions,
    provider: &Arc<rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, TransportError> {
    if let Some(pin) = &opts.pin_sha256 {
        let v = PinnedCertVerifier {
            pin: normalize_pin(pin)?,
            algorithms: provider.signature_verification_algorithms,
        };
        return Ok(Arc::new(v));
    }
    let roots = Arc::new(root_store(opts)?);
    let v = rustls::client::WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
        .build()
        .map_err(|e| {
            TransportError::Io(format!("TLS trust: {e} (no system root certificates and no CA file?)"))
        })?;
    Ok(v)
}

/// The system's roots (load errors ignored: a CA file or a pin may be all there is) plus the
/// certificates of `ca_file`.
pub(crate) fn root_store(opts: &TlsOptions) -> Result<rustls::RootCertStore, TransportError> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for e in &native.errors {
        tracing::debug!(error = %e, "loading a system root certificate failed");
    }
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = &opts.ca_file {
        let err = |e: &dyn fmt::Display| TransportError::Io(format!("CA file {}: {e}", path.display()));
        let pem = std::fs::read(path).map_err(|e| err(&e))?;
        let certs: Vec<CertificateDer<'static>> =
            rustls_pemfile::certs(&mut pem.as_slice()).collect::<Result<_, _>>().map_err(|e| err(&e))?;
        if certs.is_empty() {
            return Err(err(&"no PEM certificate (-----BEGIN CERTIFICATE-----) in the file"));
        }
        for c in certs {
            roots.add(c).map_err(|e| err(&e))?;
        }
    }
    Ok(roots)
}

/// The pin did not match.
#[derive(Debug)]
struct PinMismatch {
    expected: String,
    found: String,
}

impl fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server's certificate has SHA-256 {} but {} is pinned; if the server's certificate \
             changed on purpose, pin the new fingerprint",
            self.found, self.expected
        )
    }
}

impl std::error::Error for PinMismatch {}

/// Accepts exactly the leaf certificate whose DER hashes to `pin`, whatever its chain, name or
/// dates; the handshake signatures are still checked against that certificate's key.
pub(crate) struct PinnedCertVerifier {
    pin: String,
    algorithms: WebPkiSupportedAlgorithms,
}

impl fmt::Debug for PinnedCertVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinnedCertVerifier").field("pin", &self.pin).finish()
    }
}

impl ServerCertVerifier for PinnedCertVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let found = fingerprint(end_entity.as_ref());
        if found == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(
                PinMismatch { expected: self.pin.clone(), found },
            )))))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_normalised() {
        let hexpin = "AB".repeat(32);
        assert_eq!(normalize_pin(&hexpin).unwrap(), "ab".repeat(32));
        let colons = vec!["ab"; 32].join(":");
        assert_eq!(normalize_pin(&format!("sha256:{colons}")).unwrap(), "ab".repeat(32));
        assert!(normalize_pin("abcd").is_err());
        assert!(normalize_pin(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn configs_build() {
        let c = client_config(&TlsOptions::default()).unwrap();
        assert_eq!(c.alpn_protocols, vec![b"http/1.1".to_vec()]);
        let pinned = TlsOptions { ca_file: None, pin_sha256: Some("00".repeat(32)) };
        assert!(client_config(&pinned).is_ok());
        let missing = TlsOptions { ca_file: Some("/nonexistent/ca.pem".into()), pin_sha256: None };
        assert!(
            matches!(client_config(&missing), Err(TransportError::Io(m)) if m.contains("/nonexistent/ca.pem"))
        );
    }
}
