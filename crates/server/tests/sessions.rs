//! Sessions that end (issue 15 item 3), attacked over real HTTP on 127.0.0.1: every live
//! context is recorded in `directory.sqlite` for `oxmapi admin sessions ls`; Disconnect removes
//! it; `oxmapi admin sessions kill` (another process: a second directory connection) ends the
//! context within the authorisation poll, its next request and its pending NotificationWait
//! get X-ResponseCode 10 (MS-OXCMAPIHTTP 2.2.3.3.3) with `X-Oxmapi-Context-Ended: killed`;
//! a changed `session-idle-timeout` applies to existing contexts; the session limit counts
//! only live contexts.

mod common;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::error::codes;
use oxmapi_store::Directory;
use oxmapi_wire::mapihttp::common::{CONTEXT_ENDED_KILLED, HEADER_CONTEXT_ENDED};
use oxmapi_wire::mapihttp::emsmdb::NotificationWaitRequest;
use oxmapi_wire::mapihttp::stream::parse_response_stream;

/// A test server whose waits last up to 30 s, reaping every 100 ms.
async fn server() -> TestServer {
    TestServer::start_with(tempfile::tempdir().unwrap(), |c| {
        c.notification_wait_max = Duration::from_secs(30)
    })
    .await
}

/// `f` on a second connection to the directory, standing for `oxmapi admin` in another
/// process (off the runtime).
fn admin<T: Send>(ts: &TestServer, f: impl FnOnce(&Directory) -> T + Send) -> T {
    ts.site(|d| f(&d.directory().unwrap()))
}

/// How a request on a killed context was answered: X-ResponseCode (the trailing one after
/// DONE for a wait that had started) and the context-ended header beside it.
struct Ended {
    code: u32,
    header: Option<String>,
    took: Duration,
}

/// Sends a NotificationWait on a connection of its own carrying `m`'s credentials and cookies.
async fn wait_on(ts: &TestServer, m: &Mapi) -> tokio::task::JoinHandle<Ended> {
    let mut w = Mapi::new(ts, "unused").await;
    w.auth = m.auth.clone();
    w.cookies = m.cookies.clone();
    let h = tokio::spawn(async move {
        let t = Instant::now();
        let r = w
            .request(
                "NotificationWait",
                NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode(),
            )
            .await;
        ended(&r, t.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    h
}

fn ended(r: &Reply, took: Duration) -> Ended {
    let head = r.response_code().expect("X-ResponseCode");
    if head != 0 {
        return Ended { code: head, header: r.header(HEADER_CONTEXT_ENDED).map(str::to_string), took };
    }
    let parsed = parse_response_stream(&r.body).expect("a PROCESSING/DONE stream");
    let code = parsed.response_code().map(|c| c.map(|c| c.code()).unwrap_or(1)).unwrap_or(0);
    Ended { code, header: parsed.header(HEADER_CONTEXT_ENDED).map(str::to_string), took }
}

#[tokio::test]
async fn a_context_is_listed_with_its_client_and_disconnect_removes_it() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    let mut m = connected_user(&ts, &alice).await;
    let rows = admin(&ts, |d| d.sessions().unwrap());
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!((r.user.as_str(), r.endpoint.as_str()), ("alice", "emsmdb"));
    assert_eq!(r.client_application, "Outlook/16.0.10000.1000");
    assert_eq!(r.client_version, "16.0.10000.1000");
    assert!(r.address.starts_with("127.0.0.1:"), "{}", r.address);
    assert_eq!(Some(r.id.as_str()), m.cookies.get("MapiContext").map(String::as_str));
    assert!(!r.killed && r.created > 0 && r.last_activity >= r.created);

    assert_eq!(m.request("Disconnect", vec![0; 4]).await.response_code(), Some(0));
    assert!(admin(&ts, |d| d.sessions().unwrap()).is_empty(), "Disconnect removes the record");
}

#[tokio::test]
async fn a_restarted_server_forgets_the_contexts_of_the_last_run() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    let _m = connected_user(&ts, &alice).await;
    assert_eq!(admin(&ts, |d| d.sessions().unwrap()).len(), 1);
    let second = ts.another_server(ts.dir.path(), |_| {}).await;
    assert!(admin(&ts, |d| d.sessions().unwrap()).is_empty(), "contexts do not survive a restart");
    second.stop().await;
}

#[tokio::test]
async fn a_killed_users_context_ends_and_its_pending_wait_is_answered_at_once() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    let mut l = logon_private(&ts, &alice).await;
    let waiting = wait_on(&ts, &l.m).await;

    assert_eq!(admin(&ts, |d| d.sessions_kill("alice").unwrap()).len(), 1);

    let end = tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("the wait ends").unwrap();
    assert_eq!(end.code, 10);
    assert_eq!(end.header.as_deref(), Some(CONTEXT_ENDED_KILLED));
    assert!(end.took < Duration::from_secs(2), "at once ({:?})", end.took);
    let r = l.m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10), "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header(HEADER_CONTEXT_ENDED), Some(CONTEXT_ENDED_KILLED));
    assert!(admin(&ts, |d| d.sessions().unwrap()).is_empty(), "the server removed the killed record");
    // The user may log on again.
    let mut again = Mapi::new(&ts, "alice").await;
    assert_eq!(again.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
}

#[tokio::test]
async fn a_context_killed_by_id_ends_within_the_poll_and_others_stay() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    let mut one = connected_user(&ts, &alice).await;
    let mut two = connected_user(&ts, &alice).await;
    let id = one.cookies.get("MapiContext").unwrap().clone();
    assert_eq!(admin(&ts, |d| d.sessions_kill(&id).unwrap()), vec![id.clone()]);
    // Within the 500 ms poll, with no request on the context.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(ts.server.state.sessions.len(), 1, "the poller ended the killed context");
    let r = one.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10));
    assert_eq!(r.header(HEADER_CONTEXT_ENDED), Some(CONTEXT_ENDED_KILLED));
    let r = two.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(0), "the other context lives on");
    assert_eq!(admin(&ts, |d| d.sessions().unwrap()).len(), 1);
}

#[tokio::test]
async fn an_expired_or_disconnected_context_does_not_claim_a_kill() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    ts.set("session-idle-timeout", "1");
    let mut m = connected_user(&ts, &alice).await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10));
    assert_eq!(r.header(HEADER_CONTEXT_ENDED), None, "expiry is not a kill");
}

#[tokio::test]
async fn a_lowered_idle_timeout_expires_an_existing_idle_context() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    let mut m = connected_user(&ts, &alice).await; // default timeout: 15 minutes
    ts.set("session-idle-timeout", "1");
    tokio::time::sleep(Duration::from_millis(1800)).await;
    assert!(ts.server.state.sessions.is_empty(), "the existing context follows the new setting");
    assert!(admin(&ts, |d| d.sessions().unwrap()).is_empty(), "and its record is gone");
    let r = m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10));
}

#[tokio::test]
async fn the_session_limit_counts_only_live_contexts() {
    let ts = server().await;
    let alice = ts.add_user("alice", false);
    ts.set("max-sessions-per-user", "1");
    let _first = connected_user(&ts, &alice).await;
    let mut refused = Mapi::new(&ts, "alice").await;
    assert_eq!(
        refused.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code,
        codes::MAPI_E_SESSION_LIMIT.0
    );
    // The first context ends (killed); a new one is admitted.
    admin(&ts, |d| d.sessions_kill("alice").unwrap());
    tokio::time::sleep(Duration::from_millis(900)).await;
    let mut again = Mapi::new(&ts, "alice").await;
    assert_eq!(again.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    // And once idle contexts expire under a lowered timeout, they stop counting.
    ts.set("session-idle-timeout", "1");
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let mut third = Mapi::new(&ts, "alice").await;
    assert_eq!(third.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
}
