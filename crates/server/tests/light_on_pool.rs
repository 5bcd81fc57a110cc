//! The server's PostgreSQL path on SQLite: with `light_store_work_on_pool` every store step —
//! authentication, the session context, Connect/Bind, Disconnect/Unbind, the reaper and the
//! authorisation poller — runs on the blocking pool ([`oxmapi_server::blocking::light`]), as
//! it must on PostgreSQL, whose sync client panics on an async thread. The guard of
//! `oxmapi_server::blocking` fails any store access outside the helpers, so these flows prove
//! that the pool path works end to end over real HTTP. (`OXMAPI_TEST_LIGHT_ON_POOL=1` runs the
//! whole suite this way.)

mod common;

use std::time::Duration;

use common::*;
use oxmapi_wire::mapihttp::nspi::{BindRequest, UnbindRequest};

async fn on_pool() -> TestServer {
    let ts =
        TestServer::start_with(tempfile::tempdir().unwrap(), |c| c.light_store_work_on_pool = true).await;
    assert!(!ts.server.state.light_inline);
    ts
}

#[tokio::test]
async fn logon_rops_and_disconnect_run_with_every_store_step_on_the_pool() {
    let ts = on_pool().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let r = l.m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(ts.server.state.sessions.len(), 1);
    assert_eq!(l.m.request("Disconnect", vec![0; 4]).await.response_code(), Some(0));
    assert!(ts.server.state.sessions.is_empty());
    // A wrong password is refused after its argon2 check on the pool.
    let mut wrong = Mapi::new(&ts, "alice").await;
    wrong.auth = basic("alice", "wrong");
    assert_eq!(wrong.request("PING", vec![]).await.status, 401);
}

#[tokio::test]
async fn a_disabled_users_context_ends_at_its_next_request_on_the_pool() {
    let ts = on_pool().await;
    let alice = ts.add_user("alice", false);
    let mut m = connected_user(&ts, &alice).await;
    ts.site(|d| d.directory().unwrap().set_enabled("alice", false).unwrap());
    // The authorisation generation moved: the context is checked again (on the pool) before
    // the request runs, and ends.
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert!(matches!(r.status, 401) || r.response_code() == Some(10), "{} {:?}", r.status, r.response_code());
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(ts.server.state.sessions.is_empty(), "the poller ended it too");
}

#[tokio::test]
async fn bind_unbind_and_an_expired_context_on_the_pool() {
    let ts = on_pool().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, &alice.name).await;
    let ctx = Post { auth: &m.auth.clone(), version: &m.version.clone(), counter: 1 };
    let bind = BindRequest { flags: 0, state: None, auxiliary_buffer: vec![] }.encode();
    let r = mapi_post(&mut m.conn, "/mapi/nspi/", &ctx, &mut m.cookies, "Bind", bind).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    let unbind = UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode();
    let r = mapi_post(&mut m.conn, "/mapi/nspi/", &ctx, &mut m.cookies, "Unbind", unbind).await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));

    ts.set("session-idle-timeout", "1");
    let _m = connected_user(&ts, &alice).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(ts.server.state.sessions.is_empty(), "the reaper expired it");
}
