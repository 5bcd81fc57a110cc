//! The TLS leg of the way to a server, looked at on its own (`oxmapi doctor`): one handshake
//! with the trust the transport uses ([`super::tls`]: the system roots and the profile's CA
//! file, or the pinned fingerprint), recording the certificate chain the server presented even
//! when verification refuses it, so that the refusal can be explained (expired, another name,
//! unknown issuer). Nothing is sent over the connection; it is closed after the handshake.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio::net::TcpStream;
use x509_cert::Certificate;
use x509_cert::der::Decode;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

use super::conn::error_chain;
use super::tls::fingerprint;
use super::url::Target;
use super::{TlsOptions, TransportError};

/// What a certificate says about itself (RFC 5280 4.1: subject, issuer, validity; 4.2.1.6:
/// subjectAltName).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The subject's distinguished name (RFC 4514 form).
    pub subject: String,
    /// The issuer's distinguished name.
    pub issuer: String,
    /// The `dNSName` entries of subjectAltName.
    pub dns_names: Vec<String>,
    /// The `iPAddress` entries of subjectAltName.
    pub ip_addresses: Vec<IpAddr>,
    /// notBefore, seconds since 1970.
    pub not_before: i64,
    /// notAfter, seconds since 1970.
    pub not_after: i64,
    /// Lowercase hex SHA-256 of the DER encoding (the pin format).
    pub sha256: String,
    /// Why the certificate could not be read, when it could not (the fingerprint is still set).
    pub unreadable: Option<String>,
}

/// One TLS handshake with a server.
#[derive(Clone, Debug)]
pub struct TlsProbe {
    /// The negotiated protocol version (`TLSv1_3`), when the handshake completed.
    pub protocol: Option<String>,
    /// The negotiated cipher suite, when the handshake completed.
    pub cipher_suite: Option<String>,
    /// The chain the server presented, leaf first (empty when it presented none).
    pub chain: Vec<CertificateFacts>,
    /// `Err(why)` when the handshake failed: verification refused the chain, or the server
    /// speaks no common protocol.
    pub verified: Result<(), String>,
    /// A pin was in force (the chain, names and dates were then not checked).
    pub pinned: bool,
    /// The time the handshake took (TCP connection excluded).
    pub elapsed: Duration,
}

/// Reads the facts of a DER certificate; an unreadable one keeps its fingerprint and the reason.
pub fn certificate_facts(der: &[u8]) -> CertificateFacts {
    let sha256 = fingerprint(der);
    let cert = match Certificate::from_der(der) {
        Ok(c) => c,
        Err(e) => return CertificateFacts { sha256, unreadable: Some(e.to_string()), ..Default::default() },
    };
    let tbs = &cert.tbs_certificate;
    let mut facts = CertificateFacts {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        not_before: secs(tbs.validity.not_before.to_unix_duration()),
        not_after: secs(tbs.validity.not_after.to_unix_duration()),
        sha256,
        ..Default::default()
    };
    match tbs.get::<SubjectAltName>() {
        Ok(Some((_, san))) => {
            for name in san.0 {
                match name {
                    GeneralName::DnsName(n) => facts.dns_names.push(n.to_string()),
                    GeneralName::IpAddress(o) => {
                        let b = o.as_bytes();
                        if let Ok(v4) = <[u8; 4]>::try_from(b) {
                            facts.ip_addresses.push(IpAddr::from(v4));
                        } else if let Ok(v6) = <[u8; 16]>::try_from(b) {
                            facts.ip_addresses.push(IpAddr::from(v6));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(None) => {}
        Err(e) => facts.unreadable = Some(format!("subjectAltName: {e}")),
    }
    facts
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Connects to `url`'s host and port and runs a TLS handshake with the trust `tls` describes,
/// within `timeout`. A refused verification is not an error here: it is
/// [`TlsProbe::verified`], with the chain the server presented. Errors are what prevents the
/// handshake from starting: a URL that is not `https://`, a TCP connection that fails, a CA
/// file that cannot be read, or no answer in time.
pub async fn probe_tls(url: &str, tls: &TlsOptions, timeout: Duration) -> Result<TlsProbe, TransportError> {
    let target = Target::parse(url)?;
    let origin = target.origin();
    if !target.https {
        return Err(TransportError::Io(format!("{url}: not an https:// URL: there is no TLS to look at")));
    }
    let recorder = Arc::new(Recorder {
        inner: super::tls::verifier(tls, &Arc::new(rustls::crypto::ring::default_provider()))?,
        seen: Mutex::new(Vec::new()),
    });
    let mut config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| TransportError::Io(format!("TLS setup: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(recorder.clone())
            .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let name = ServerName::try_from(target.host.clone())
        .map_err(|e| TransportError::Io(format!("{origin}: bad TLS server name: {e}")))?;
    let run = async {
        let tcp = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|e| TransportError::Io(format!("{origin}: cannot connect: {e}")))?;
        let started = Instant::now();
        let result = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await;
        Ok::<_, TransportError>((result, started.elapsed()))
    };
    let (result, elapsed) = tokio::time::timeout(timeout, run).await.map_err(|_| {
        TransportError::Timeout(format!("{origin}: no TLS handshake within {} s", timeout.as_secs()))
    })??;
    let chain = recorder
        .seen
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|d| certificate_facts(d))
        .collect();
    let mut probe = TlsProbe {
        protocol: None,
        cipher_suite: None,
        chain,
        verified: Ok(()),
        pinned: tls.pin_sha256.is_some(),
        elapsed,
    };
    match result {
        Ok(stream) => {
            let conn = stream.get_ref().1;
            probe.protocol = conn.protocol_version().map(|v| format!("{v:?}"));
            probe.cipher_suite = conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite()));
        }
        Err(e) => probe.verified = Err(error_chain(&e)),
    }
    Ok(probe)
}

/// Keeps the chain the server presented and lets `inner` decide.
#[derive(Debug)]
struct Recorder {
    inner: Arc<dyn ServerCertVerifier>,
    seen: Mutex<Vec<Vec<u8>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity).chain(intermediates).map(|c| c.as_ref().to_vec()).collect();
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = chain;
        self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate made by rcgen (as `oxmapi serve --tls-self-signed` makes its own) for two
    /// names and an address, valid for a year: the facts read back are the ones it was made
    /// with, and the fingerprint is the pin format.
    #[test]
    fn facts_of_a_generated_certificate() {
        let mut params =
            rcgen::CertificateParams::new(vec!["mail.example.test".to_string(), "127.0.0.1".to_string()])
                .unwrap();
        params.not_before = rcgen::date_time_ymd(2026, 1, 1);
        params.not_after = rcgen::date_time_ymd(2027, 1, 1);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let f = certificate_facts(cert.der());
        assert_eq!(f.unreadable, None);
        assert_eq!(f.dns_names, ["mail.example.test"]);
        assert_eq!(f.ip_addresses, [IpAddr::from([127, 0, 0, 1])]);
        // 2026-01-01T00:00:00Z and 2027-01-01T00:00:00Z (date -u -d … +%s).
        assert_eq!((f.not_before, f.not_after), (1_767_225_600, 1_798_761_600));
        assert_eq!(f.sha256, fingerprint(cert.der()));
        assert_eq!(f.sha256.len(), 64);
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let f = certificate_facts(&[0x30, 0x03, 0x02, 0x01]);
        assert!(f.unreadable.is_some());
        assert_eq!(f.sha256.len(), 64);
    }
}
