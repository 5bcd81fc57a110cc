//! Connect rules over real HTTP (protocol-facts §2.6–2.8): every refusal and its ErrorCode, the
//! public-folder version gate with CONNECT_IGNORE_NO_PF, admin privilege, min-client-version,
//! the per-user session cap, AUX_EXORGINFO.

mod common;

use common::*;
use oxmapi_core::error::codes;
use oxmapi_wire::aux::{AuxBlock, PUBLIC_FOLDERS_ENABLED, decode_aux_buffer};

const OLD: &str = "Outlook/6.5.8353.0";
const NEW: &str = "Outlook/16.0.10000.1000";

async fn code_for(ts: &TestServer, user: &str, dn: &str, flags: u32, version: &str) -> u32 {
    let mut m = Mapi::new(ts, user).await;
    m.version = version.into();
    let (r, ok) = m.connect(dn, flags).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    ok.unwrap().error_code
}

#[tokio::test]
async fn connect_succeeds_with_cookies_and_display_name() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, "alice").await;
    let (r, ok) = m.connect(&alice.legacy_dn, 0).await;
    let ok = ok.unwrap();
    assert_eq!(ok.error_code, 0);
    assert_eq!(ok.display_name, "alice display");
    assert!(m.cookies.contains_key("MapiContext") && m.cookies.contains_key("MapiSequence"));
    assert!(r.header("X-ExpirationInfo").is_some());
    assert_eq!(r.header("Content-Type"), Some("application/mapi-http"));
    assert!(r.header("X-ServerApplication").unwrap().starts_with("Exchange/15."));
    assert_eq!(r.header("X-RequestId").unwrap(), "{E2EA6C1C-E61B-49E9-9CFB-38184F907552}:1");
    assert!(
        decode_aux_buffer(&ok.auxiliary_buffer).unwrap().is_empty(),
        "no AUX_EXORGINFO without public folders"
    );
}

#[tokio::test]
async fn dn_rules() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    assert_eq!(code_for(&ts, "alice", "", 0, NEW).await, codes::MAPI_E_NO_ACCESS.0, "empty DN");
    assert_eq!(code_for(&ts, "alice", "/o=nowhere/cn=nobody", 0, NEW).await, codes::EC_UNKNOWN_USER.0);
    assert_eq!(
        code_for(&ts, "alice", &bob.legacy_dn, 0, NEW).await,
        codes::MAPI_E_NO_ACCESS.0,
        "another user's DN"
    );
    assert_eq!(
        code_for(&ts, "alice", &alice.legacy_dn.to_uppercase(), 0, NEW).await,
        0,
        "DNs are case-insensitive"
    );
    ts.site(|d| d.directory().unwrap().set_enabled("alice", false).unwrap());
    assert_eq!(
        code_for(&ts, "alice", &alice.legacy_dn, 0, NEW).await,
        codes::MAPI_E_LOGON_FAILED.0,
        "disabled"
    );
}

#[tokio::test]
async fn admin_privilege_only_for_admins() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let root = ts.add_user("root", true);
    assert_eq!(code_for(&ts, "alice", &alice.legacy_dn, 0x1, NEW).await, codes::EC_LOGIN_PERM.0);
    assert_eq!(code_for(&ts, "root", &root.legacy_dn, 0x1, NEW).await, 0);
}

#[tokio::test]
async fn public_folder_version_gate() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let dn = alice.legacy_dn.clone();
    let refused = codes::EC_CLIENT_VER_DISALLOWED.0;
    assert_eq!(code_for(&ts, "alice", &dn, 0, OLD).await, refused, "old client, no PF, no flag");
    assert_eq!(code_for(&ts, "alice", &dn, 0x2, OLD).await, refused, "0x2 is not the flag");
    assert_eq!(code_for(&ts, "alice", &dn, 0x8002, OLD).await, 0, "CONNECT_IGNORE_NO_PF");
    assert_eq!(code_for(&ts, "alice", &dn, 0, "Outlook/11.0.8000.0").await, refused);
    assert_eq!(code_for(&ts, "alice", &dn, 0, "Outlook/12.0.0.0").await, 0, "12.0 is never refused");
    assert_eq!(code_for(&ts, "alice", &dn, 0, NEW).await, 0);
    ts.site(|d| d.set_public_folders(true).unwrap());
    assert_eq!(code_for(&ts, "alice", &dn, 0, OLD).await, 0, "public folders present");
    let mut m = Mapi::new(&ts, "alice").await;
    let (_, ok) = m.connect(&dn, 0).await;
    let blocks = decode_aux_buffer(&ok.unwrap().auxiliary_buffer).unwrap();
    assert!(
        blocks.iter().any(
            |b| matches!(b, AuxBlock::ExOrgInfo { org_flags } if org_flags & PUBLIC_FOLDERS_ENABLED != 0)
        )
    );
}

#[tokio::test]
async fn min_client_version_setting() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    ts.set("min-client-version", "15.0.0.0");
    assert_eq!(
        code_for(&ts, "alice", &alice.legacy_dn, 0x8000, "Outlook/14.0.7015.1000").await,
        codes::EC_CLIENT_VER_DISALLOWED.0
    );
    assert_eq!(code_for(&ts, "alice", &alice.legacy_dn, 0, NEW).await, 0);
}

#[tokio::test]
async fn per_user_session_cap() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    ts.set("max-sessions-per-user", "2");
    let mut a1 = Mapi::new(&ts, "alice").await;
    let mut a2 = Mapi::new(&ts, "alice").await;
    assert_eq!(a1.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    assert_eq!(a2.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    assert_eq!(code_for(&ts, "alice", &alice.legacy_dn, 0, NEW).await, codes::MAPI_E_SESSION_LIMIT.0);
    assert_eq!(code_for(&ts, "bob", &bob.legacy_dn, 0, NEW).await, 0, "the cap is per user");
    let r = a1.request("Disconnect", vec![0, 0, 0, 0]).await;
    assert_eq!(r.response_code(), Some(0));
    assert_eq!(code_for(&ts, "alice", &alice.legacy_dn, 0, NEW).await, 0, "a slot was freed");
    ts.set("max-sessions-per-user", "32");
}

#[tokio::test]
async fn reconnect_with_old_cookie_replaces_the_context() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    ts.set("max-sessions-per-user", "1");
    let mut m = Mapi::new(&ts, "alice").await;
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let old = m.cookies["MapiContext"].clone();
    // A reconnect carries the old cookies: the old context is destroyed first, so the cap of 1
    // does not refuse it.
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    assert_ne!(m.cookies["MapiContext"], old);

    // A malformed Connect carrying the live context's cookie leaves that context alone: the
    // next Execute on it still works.
    let live = m.cookies["MapiContext"].clone();
    let r = m.request("Connect", vec![1, 2, 3]).await;
    assert_eq!(r.response_code(), Some(12), "invalid body");
    m.cookies.insert("MapiContext".into(), live);
    let r = m.request("PING", vec![]).await;
    assert_eq!(r.response_code(), Some(0), "the context survived the malformed Connect");
}

#[tokio::test]
async fn connect_header_and_body_errors() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, "alice").await;
    let r = m.request("Connect", vec![1, 2, 3]).await;
    assert_eq!(r.response_code(), Some(12), "invalid body");
    assert_eq!(r.header("Content-Type"), Some("text/html"));
    let r = m.request("Bogus", vec![]).await;
    assert_eq!(r.response_code(), Some(5), "invalid request type");
    m.version = "no version here".into();
    let (r, _) = m.connect(&alice.legacy_dn, 0).await;
    assert_eq!(r.response_code(), Some(4), "unparsable X-ClientApplication");
    let r = m.conn.send("GET", "/mapi/emsmdb/", &[("Authorization", basic("alice", PASSWORD))], vec![]).await;
    assert_eq!(r.response_code(), Some(2), "GET is an invalid verb");
    let r = m
        .conn
        .send(
            "POST",
            "/mapi/emsmdb/",
            &[("Authorization", basic("alice", PASSWORD)), ("X-RequestType", "Connect".into())],
            vec![],
        )
        .await;
    assert_eq!(r.response_code(), Some(7), "missing X-RequestId");
}
