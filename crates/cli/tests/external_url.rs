//! The `external-url` key of the serve configuration (issue 16; docs/deployment.md §3): a
//! multi-node site publishes its load balancer as Autodiscover's `ExternalUrl` while
//! `InternalUrl` names the node that answered (MS-OXDSCLI 2.2.4.1.1.2.6.x `<MailStore>`,
//! `<AddressBook>`), so the client's failover (crates/client/tests/failover.rs) has a second
//! way in. A malformed value is refused at start-up.

#[allow(dead_code)]
mod common;

use std::io::{Read, Write};

use common::{oxmapi, server_url};

const BODY: &str = r#"<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>alice@example.test</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>"#;

/// POSTs the Autodiscover request as alice with Basic authentication; the response body.
fn autodiscover(base: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = "YWxpY2U6U2VjcmV0LTE="; // alice:Secret-1
    let req = format!(
        "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {auth}\r\n\
         Content-Type: text/xml\r\nX-MapiHttpCapability: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn autodiscover_names_the_node_inside_and_the_site_outside() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("pw"), "Secret-1").unwrap();
    let add = oxmapi(
        dir.path(),
        &["admin", "--data", data.to_str().unwrap(), "user", "add", "alice", "--email", "alice@example.test"],
    )
    .arg("--password-file")
    .arg(dir.path().join("pw"))
    .output()
    .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let cfg = dir.path().join("serve.conf");
    std::fs::write(&cfg, "external-url = \"https://mail.example.test/\"\n").unwrap();
    let port = dir.path().join("port");
    let mut child = oxmapi(
        dir.path(),
        &[
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--config",
            cfg.to_str().unwrap(),
        ],
    )
    .arg("--port-file")
    .arg(&port)
    .spawn()
    .unwrap();
    let base = server_url(&port);
    let body = autodiscover(&base);
    let _ = child.kill();
    let _ = child.wait();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    let node = base.trim_start_matches("http://");
    for endpoint in ["emsmdb", "nspi"] {
        assert!(body.contains(&format!("<InternalUrl>http://{node}/mapi/{endpoint}/?MailboxId=")), "{body}");
        assert!(
            body.contains(&format!("<ExternalUrl>https://mail.example.test/mapi/{endpoint}/?MailboxId=")),
            "{body}"
        );
    }
}

#[test]
fn a_malformed_external_url_is_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("serve.conf");
    for bad in ["mail.example.test", "https://", "https://h/x?y=1", "ftp://h"] {
        std::fs::write(&cfg, format!("external-url = \"{bad}\"\n")).unwrap();
        let out =
            oxmapi(dir.path(), &["serve", "--listen", "127.0.0.1:0", "--config", cfg.to_str().unwrap()])
                .output()
                .unwrap();
        assert!(!out.status.success(), "{bad}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("external-url"), "{bad}");
    }
}
