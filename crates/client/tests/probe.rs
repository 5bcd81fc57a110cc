//! The diagnostics of the transport (`oxmapi doctor`) against the real server on 127.0.0.1:
//! [`probe`] (an authenticated PING, MS-OXCMAPIHTTP 2.2.6) and [`probe_tls`] (one handshake that
//! keeps the presented chain even when it is refused).
//!
//! Expected values from outside the client: the server's `WWW-Authenticate` offers (Basic,
//! NTLM, Negotiate) and the fingerprint it reports for its certificate (`Server::fingerprint`,
//! what `oxmapi serve` prints); the IMF-fixdate form of `Date` (RFC 9110 5.6.7: 29 characters,
//! ending in " GMT"); rustls's name of the refusal of an untrusted self-signed certificate
//! (`CertificateError::UnknownIssuer`).

use std::time::Duration;

use oxmapi_client::transport::*;
use oxmapi_server::{Server, ServerConfig, TlsMode};
use oxmapi_store::NewUser;

const PASSWORD: &str = "Secret-1";
const WAIT: Duration = Duration::from_secs(30);

async fn start(tls: TlsMode) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    // Off the runtime: the PostgreSQL driver (OXMAPI_TEST_DATABASE) panics on its threads.
    let data = std::thread::scope(|s| {
        s.spawn(|| {
            let data = oxmapi_store::test_site(dir.path());
            let alice = NewUser { name: "alice".into(), password: PASSWORD.into(), ..Default::default() };
            data.add_user(&alice).unwrap();
            data
        })
        .join()
        .unwrap()
    });
    let mut cfg = ServerConfig::new(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
    cfg.tls = tls;
    (Server::start_site(cfg, Some(data)).await.unwrap(), dir)
}

fn creds(password: &str) -> Credentials {
    Credentials { user: "alice".into(), domain: String::new(), password: password.into() }
}

#[tokio::test]
async fn a_ping_shows_the_schemes_offered_and_the_one_accepted() {
    let (server, _dir) = start(TlsMode::Plain).await;
    let url = format!("{}/mapi/emsmdb/", server.url());
    let policy = CredentialPolicy::for_url(&url);
    let id = ClientIdentity::new("Outlook/16.0.0.0");
    let tls = TlsOptions::default();
    let p = probe(&url, &creds(PASSWORD), &tls, &policy, &id, WAIT).await.unwrap();
    assert_eq!(p.offered, ["Basic", "NTLM", "Negotiate"]);
    assert_eq!(p.scheme, Some("NTLM"), "Auto prefers NTLM when offered");
    assert_eq!(p.status, 200);
    let date = p.date.expect("a Date header");
    assert!(date.len() == 29 && date.ends_with(" GMT"), "{date:?}");
    assert!(p.server_application.is_some_and(|s| s.starts_with("Exchange/")));
    assert_eq!(p.peer_sha256, None);

    // A wrong password: refused, with the schemes in the message.
    let err = probe(&url, &creds("wrong"), &tls, &policy, &id, WAIT).await.unwrap_err();
    let TransportError::Unauthorized(m) = &err else { panic!("{err:?}") };
    assert!(m.contains("NTLM") && m.contains("alice"), "{m}");

    // Another origin than the policy's: nothing is sent.
    let other = CredentialPolicy::for_url("http://127.0.0.1:1/");
    let err = probe(&url, &creds(PASSWORD), &tls, &other, &id, WAIT).await.unwrap_err();
    assert!(matches!(err, TransportError::NotTrusted(_)), "{err:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_tls_handshake_shows_the_chain_even_when_it_is_refused() {
    let (server, dir) = start(TlsMode::SelfSigned).await;
    let url = server.url();
    let pin = server.fingerprint.clone().expect("a fingerprint");

    // Untrusted: refused, and the certificate is still shown.
    let p = probe_tls(&url, &TlsOptions::default(), WAIT).await.unwrap();
    let why = p.verified.clone().unwrap_err();
    assert!(why.contains("UnknownIssuer"), "{why}");
    assert_eq!(p.protocol, None);
    let leaf = &p.chain[0];
    assert_eq!(leaf.sha256, pin);
    assert!(leaf.ip_addresses.contains(&"127.0.0.1".parse().unwrap()), "{leaf:?}");
    assert!(leaf.not_after > leaf.not_before && leaf.unreadable.is_none(), "{leaf:?}");

    // Pinned: accepted.
    let pinned = TlsOptions { ca_file: None, pin_sha256: Some(pin.clone()) };
    let p = probe_tls(&url, &pinned, WAIT).await.unwrap();
    assert_eq!(p.verified, Ok(()));
    assert!(p.pinned && p.protocol.is_some());

    // Another pin: refused, naming the certificate's fingerprint.
    let wrong = TlsOptions { ca_file: None, pin_sha256: Some("ab".repeat(32)) };
    let p = probe_tls(&url, &wrong, WAIT).await.unwrap();
    assert!(p.verified.unwrap_err().contains(&pin));

    // The certificate as a CA file (it names 127.0.0.1): accepted.
    let ca = TlsOptions { ca_file: Some(dir.path().join("tls/self-signed.pem")), pin_sha256: None };
    assert_eq!(probe_tls(&url, &ca, WAIT).await.unwrap().verified, Ok(()));

    // Plain HTTP has no TLS to look at.
    assert!(probe_tls("http://127.0.0.1:1/", &TlsOptions::default(), WAIT).await.is_err());
    server.stop().await;
}
