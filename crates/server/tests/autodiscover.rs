//! Autodiscover (MS-OXDSCLI) over real HTTP: what an account that may not log on learns.

mod common;

use common::*;

const BODY: &str = r#"<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><Request><EMailAddress>bob@oxmapi.local</EMailAddress><AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>"#;

async fn autodiscover(ts: &TestServer, user: &str, password: &str) -> Reply {
    let mut c = Conn::open(ts.addr()).await;
    let headers = [
        ("Authorization", basic(user, password)),
        ("Content-Type", "text/xml".to_string()),
        ("X-MapiHttpCapability", "1".to_string()),
    ];
    c.send("POST", "/autodiscover/autodiscover.xml", &headers, BODY.as_bytes().to_vec()).await
}

/// Issue 14 item 11: a disabled account with its right password got its full Autodiscover
/// answer (legacy DN, endpoints) — a password oracle. It now gets exactly what a wrong password
/// gets: 401 with the same challenge and text.
#[tokio::test]
async fn a_disabled_account_gets_the_answer_a_wrong_password_gets() {
    let ts = TestServer::start().await;
    let bob = ts.add_user("bob", false);
    let ok = autodiscover(&ts, "bob", PASSWORD).await;
    assert_eq!(ok.status, 200);
    assert!(String::from_utf8_lossy(&ok.body).contains(&bob.legacy_dn));

    ts.site(|d| d.directory().unwrap().set_enabled("bob", false).unwrap());
    let right = autodiscover(&ts, "bob", PASSWORD).await;
    let wrong = autodiscover(&ts, "bob", "not-the-password").await;
    assert_eq!(right.status, 401);
    assert_eq!(
        (right.status, &right.body),
        (wrong.status, &wrong.body),
        "{}",
        String::from_utf8_lossy(&right.body)
    );
    let challenges = |r: &Reply| -> Vec<String> {
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(challenges(&right), challenges(&wrong));
    assert!(!String::from_utf8_lossy(&right.body).contains(&bob.legacy_dn));
}
