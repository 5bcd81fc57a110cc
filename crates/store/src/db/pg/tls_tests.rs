//! TLS to a real PostgreSQL ([`super::tls`]): a private cluster started with `ssl=on` and a
//! certificate for 127.0.0.1 issued by a test CA (`scripts/pg-test-cluster.sh` with
//! `PG_TEST_SSL_CERT`/`PG_TEST_SSL_KEY`). Runs where PostgreSQL's binaries are (the suite's
//! `OXMAPI_TEST_DATABASE` says they are); elsewhere it prints why it is skipped.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

use super::PgPool;
use super::testing::test_server;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-cluster.sh")
}

/// A CA and, when `server_names` is given, a server certificate it issued: PEM files in `dir`.
fn issue(dir: &Path, ca_name: &str, server_names: Option<&[&str]>) -> PathBuf {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, ca_name);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let ca_file = dir.join(format!("{ca_name}.pem"));
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    if let Some(names) = server_names {
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let cert = params.signed_by(&key, &ca_cert, &ca_key).unwrap();
        std::fs::write(dir.join("server.crt"), cert.pem()).unwrap();
        std::fs::write(dir.join("server.key"), key.serialize_pem()).unwrap();
    }
    ca_file
}

/// A private cluster with TLS on; stopped when dropped.
struct TlsCluster {
    dir: tempfile::TempDir,
    url: String,
}

impl TlsCluster {
    fn start(certs: &Path) -> TlsCluster {
        let dir = tempfile::tempdir().unwrap();
        // The cluster's owner (user postgres when the tests run as root) reads the PEM files and
        // makes its directory inside.
        for d in [dir.path(), certs] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for f in ["server.crt", "server.key"] {
            std::fs::set_permissions(certs.join(f), std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(dir.path().join("c"))
            .env("PG_TEST_SSL_CERT", certs.join("server.crt"))
            .env("PG_TEST_SSL_KEY", certs.join("server.key"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        TlsCluster { dir, url }
    }

    /// `postgres://oxmapi@HOST:PORT/postgres?QUERY` on this cluster's port.
    fn url(&self, host: &str, query: &str) -> String {
        let port = self.url.rsplit(':').next().unwrap();
        format!("postgres://oxmapi@{host}:{port}/postgres?{query}")
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(script()).arg("stop").arg(self.dir.path().join("c")).output();
    }
}

/// Whether the pool's connection is encrypted, as the server sees it (`pg_stat_ssl`).
fn encrypted(pool: &PgPool) -> bool {
    let conn = pool.get().unwrap();
    let rows = conn.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap();
    matches!(rows[0][0], crate::db::Value::Integer(1))
}

#[test]
fn tls_to_postgresql_verifies_the_chain_and_the_name() {
    if test_server().is_none() {
        return; // test_server printed why
    }
    let certs = tempfile::tempdir().unwrap();
    let ca = issue(certs.path(), "oxmapi-test-ca", Some(&["127.0.0.1"]));
    let stranger = issue(certs.path(), "another-ca", None);
    let cluster = TlsCluster::start(certs.path());
    let ca = ca.display();
    // The pool is made and dropped off the test's thread, as the driver wants.
    let connect = |url: String| {
        std::thread::spawn(move || PgPool::connect(&url).map(|p| encrypted(&p))).join().unwrap()
    };

    // Asked for, verified against the CA named: encrypted.
    let ok = connect(cluster.url("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={ca}")));
    assert!(ok.expect("TLS with the right CA"), "the connection is encrypted");
    // `require` verifies just the same.
    assert!(connect(cluster.url("127.0.0.1", &format!("sslmode=require&sslrootcert={ca}"))).unwrap());
    // Not asked for: plain, as before.
    assert!(!connect(cluster.url("127.0.0.1", "application_name=plain")).unwrap(), "plain without sslmode");

    // A certificate from a CA we do not trust: refused, and the error says so.
    let e =
        connect(cluster.url("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={}", stranger.display())))
            .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
    // The right CA, but the server is reached under a name its certificate does not carry.
    let e = connect(
        cluster.url("db.example", &format!("hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}")),
    )
    .unwrap_err();
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
}
