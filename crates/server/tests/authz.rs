//! Authorisation after changes and NotificationWait lifetime, attacked over real HTTP on
//! 127.0.0.1 (issue 14 items 3, 5 and 8): a revoked grant, a disabled user and a changed
//! password take effect at the next request, through open logons, open objects, pending waits,
//! NTLM-authenticated connections and the credential cache; NotificationWaits are capped per
//! context and end with their context. The directory is changed through a second connection to
//! `directory.sqlite`, as `oxmapi admin` (another process) changes it.

mod common;
mod nspidrv;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::error::codes;
use oxmapi_store::{Directory, User};
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitResponse};
use oxmapi_wire::mapihttp::stream::parse_response_stream;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcnotif::RegisterNotificationRequest;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// A test server whose NotificationWaits last up to `wait_max` (the shared harness uses 1 s,
/// too short to tell a wait that ended early from one that timed out).
async fn server_with_wait(wait_max: Duration) -> TestServer {
    TestServer::start_with(tempfile::tempdir().unwrap(), |c| c.notification_wait_max = wait_max).await
}

/// A server whose waits last 30 s, with the directory `settings`, and alice logged on to her
/// mailbox.
async fn alice_logged_on(settings: &[(&str, &str)]) -> (TestServer, Logon) {
    let ts = server_with_wait(Duration::from_secs(30)).await;
    let alice = ts.add_user("alice", false);
    for (key, value) in settings {
        ts.set(key, value);
    }
    let l = logon_private(&ts, &alice).await;
    (ts, l)
}

/// `f` on a second connection to the directory, standing for `oxmapi admin` in another
/// process (off the runtime).
fn admin<T: Send>(ts: &TestServer, f: impl FnOnce(&Directory) -> T + Send) -> T {
    ts.site(|d| f(&d.directory().unwrap()))
}

/// Alice and bob, with full access to bob's mailbox granted to alice.
fn alice_with_access_to_bob(ts: &TestServer) -> (User, User) {
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    admin(ts, |d| d.grant_full_access("bob", "alice").unwrap());
    (alice, bob)
}

/// RopLogon (LogonId 0) to `owner`'s mailbox on `m`'s context; the response.
async fn logon_to(m: &mut Mapi, owner: &User) -> RopResponse {
    m.rops(&[req::logon(0, 0, &owner.legacy_dn)], vec![UNUSED_HANDLE]).await.0.remove(0)
}

/// Connects `who` and logs on to `owner`'s mailbox (through a grant, while it exists); the
/// driver and the logon handle.
async fn delegate_logon(ts: &TestServer, who: &User, owner: &User) -> (Mapi, u32) {
    let l = logon_mailbox(connected_user(ts, who).await, owner).await;
    (l.m, l.handle)
}

/// A driver on a connection of its own carrying `m`'s credentials and cookies.
async fn wait_beside(ts: &TestServer, m: &Mapi) -> Mapi {
    let mut w = Mapi::new(ts, "unused").await;
    w.auth = m.auth.clone();
    w.cookies = m.cookies.clone();
    w
}

/// A NotificationWait beside `m` (see [`wait_beside`]), given 300 ms to be pending on the
/// server before this returns.
async fn pending_wait(ts: &TestServer, m: &Mapi) -> tokio::task::JoinHandle<WaitEnd> {
    let mut w = wait_beside(ts, m).await;
    let waiting = tokio::spawn(async move { notification_wait(&mut w).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    waiting
}

/// How a pending wait ended, failing the test unless it ends within `limit`.
async fn wait_end(waiting: tokio::task::JoinHandle<WaitEnd>, limit: Duration) -> WaitEnd {
    tokio::time::timeout(limit, waiting).await.expect("the wait ends").unwrap()
}

/// `user` connected through NTLM (the connection authenticated, not the request), and the
/// headers of a PING that carries no credentials.
async fn ntlm_connected(ts: &TestServer, user: &User) -> (Mapi, Vec<(&'static str, String)>) {
    let mut m = Mapi::new(ts, &user.name).await;
    let (_, (_, ok)) = ntlm_connect(&mut m, &user.legacy_dn, &user.name, PASSWORD).await;
    assert_eq!(ok.expect("Connect").error_code, 0);
    let ping = m.ping_headers();
    (m, ping)
}

/// What a NotificationWait ended with: X-ResponseCode (after DONE when the response had
/// started), the body's ErrorCode and EventPending, and how long it took.
struct WaitEnd {
    response_code: u32,
    error_code: Option<u32>,
    pending: bool,
    took: Duration,
}

async fn notification_wait(w: &mut Mapi) -> WaitEnd {
    let t = Instant::now();
    let r = w
        .request("NotificationWait", NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode())
        .await;
    let took = t.elapsed();
    let head = r.response_code().expect("X-ResponseCode");
    if head != 0 {
        return WaitEnd { response_code: head, error_code: None, pending: false, took };
    }
    let parsed = parse_response_stream(&r.body).expect("a PROCESSING/DONE stream");
    let trailing = parsed.response_code().map(|c| c.map(|c| c.code()).unwrap_or(1)).unwrap_or(0);
    if trailing != 0 {
        return WaitEnd { response_code: trailing, error_code: None, pending: false, took };
    }
    let ok = NotificationWaitResponse::decode(&parsed.body).unwrap().success().expect("success").clone();
    WaitEnd { response_code: 0, error_code: Some(ok.error_code), pending: ok.is_event_pending(), took }
}

#[tokio::test]
async fn a_revoked_grant_stops_an_open_logon() {
    let ts = TestServer::start().await;
    let (alice, bob) = alice_with_access_to_bob(&ts);
    let (mut m, logon) = delegate_logon(&ts, &alice, &bob).await;
    // An object opened through the grant: bob's Inbox (FolderIds[4] of bob's mailbox).
    let inbox = ts.site(|d| d.open_mailbox(&bob).unwrap().logon_folder_ids()[4]);
    let (resp, handles) = m.rops(&[req::open_folder(0, 1, inbox)], vec![logon, UNUSED_HANDLE]).await;
    assert_eq!(rv(&resp[0]), 0);
    let folder = handles[1];

    admin(&ts, |d| d.revoke_full_access("bob", "alice").unwrap());

    // The very next ROPs: on the logon, and on the folder opened before the revoke.
    let (resp, _) = m
        .rops(
            &[
                req::open_folder(0, 1, inbox),
                req::get_props(2, &[oxmapi_core::catalogue::tags::PR_DISPLAY_NAME]),
            ],
            vec![logon, UNUSED_HANDLE, folder],
        )
        .await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_NO_ACCESS.0, "ROP on the revoked logon: ecAccessDenied");
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_ACCESS.0, "ROP on an object opened through it: ecAccessDenied");
    // A new RopLogon to bob's mailbox is refused with ecLoginPerm (MS-OXCSTOR 3.2.5.1.1).
    assert_eq!(rv(&logon_to(&mut m, &bob).await), codes::EC_LOGIN_PERM.0);
    // Alice's own mailbox on the same context still works.
    assert_eq!(rv(&logon_to(&mut m, &alice).await), 0);
}

/// A copy names two objects (MS-OXCROPS 2.2.8.11: SourceHandleIndex, DestHandleIndex):
/// a folder of the delegate's own mailbox as the source and a folder opened through a revoked
/// grant as the destination must not write into the owner's mailbox.
#[tokio::test]
async fn a_revoked_grant_is_no_copy_destination() {
    let ts = TestServer::start().await;
    let (alice, bob) = alice_with_access_to_bob(&ts);
    let mut m = connected_user(&ts, &alice).await;
    // LogonId 0: alice's own mailbox; LogonId 1: bob's, through the grant.
    let logons = [req::logon(0, 0, &alice.legacy_dn), req::logon(1, 1, &bob.legacy_dn)];
    let (resp, h) = m.rops(&logons, vec![UNUSED_HANDLE; 2]).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1])), (0, 0));
    let own_inbox = ts.site(|d| d.open_mailbox(&alice).unwrap().logon_folder_ids()[4]);
    let bob_inbox = ts.site(|d| d.open_mailbox(&bob).unwrap().logon_folder_ids()[4]);
    let mut open_bob = req::open_folder(1, 3, bob_inbox);
    if let RopRequest::OpenFolder(o) = &mut open_bob {
        o.logon_id = 1;
    }
    let (resp, h) = m
        .rops(&[req::open_folder(0, 2, own_inbox), open_bob], vec![h[0], h[1], UNUSED_HANDLE, UNUSED_HANDLE])
        .await;
    assert_eq!((rv(&resp[0]), rv(&resp[1])), (0, 0));
    // RopCopyProperties between folders of two stores (MS-OXCROPS 2.2.8.11).
    let copy = || {
        RopRequest::CopyProperties(oxmapi_wire::rop::oxcprpt::CopyPropertiesRequest {
            logon_id: 0,
            source_handle_index: 2,
            dest_handle_index: 3,
            want_asynchronous: 0,
            copy_flags: 0,
            property_tags: vec![oxmapi_core::catalogue::tags::PR_COMMENT],
        })
    };
    let (resp, _) = m.rops(&[copy()], h.clone()).await;
    assert_eq!(rv(&resp[0]), 0, "the copy is allowed while the grant exists");

    admin(&ts, |d| d.revoke_full_access("bob", "alice").unwrap());

    let (resp, _) = m.rops(&[copy()], h).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_NO_ACCESS.0, "a revoked destination: ecAccessDenied");
}

#[tokio::test]
async fn a_revoked_delegates_pending_wait_ends_and_its_logon_is_refused() {
    let ts = server_with_wait(Duration::from_secs(30)).await;
    let (alice, bob) = alice_with_access_to_bob(&ts);
    let (mut m, logon) = delegate_logon(&ts, &alice, &bob).await;
    let register = RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        notification_types: 0x0004,
        reserved: None,
        want_whole_store: 1,
        scope: None,
    });
    let (resp, _) = m.rops(&[register], vec![logon, UNUSED_HANDLE]).await;
    assert_eq!(rv(&resp[0]), 0);
    let waiting = pending_wait(&ts, &m).await;

    admin(&ts, |d| d.revoke_full_access("bob", "alice").unwrap());

    let end = wait_end(waiting, Duration::from_secs(5)).await;
    assert_eq!(
        end.response_code, 10,
        "the wait of a context fed by a revoked logon ends with Context Not Found"
    );
    assert!(end.took < Duration::from_secs(3), "promptly ({:?})", end.took);
    // The client reconnects (its own mailbox is fine) and its delegate logon is refused.
    let mut again = connected_user(&ts, &alice).await;
    assert_eq!(rv(&logon_to(&mut again, &bob).await), codes::EC_LOGIN_PERM.0);
}

#[tokio::test]
async fn a_disabled_users_contexts_end() {
    let ts = server_with_wait(Duration::from_secs(30)).await;
    let bob = ts.add_user("bob", false);
    let mut l = logon_private(&ts, &bob).await;
    let mut ab = nspidrv::Nspi::new(&ts, "bob").await;
    assert_eq!(ab.bind().await.error_code, 0);
    let waiting = pending_wait(&ts, &l.m).await;

    admin(&ts, |d| d.set_enabled("bob", false).unwrap());

    // The pending wait learns of it from the poller, without any other request.
    let end = wait_end(waiting, Duration::from_secs(5)).await;
    assert_eq!(end.response_code, 10);
    assert!(end.took < Duration::from_secs(3), "promptly ({:?})", end.took);
    // The mailbox context is gone ...
    let r = l.m.execute_raw(0, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(10), "{}", String::from_utf8_lossy(&r.body));
    // ... and so is the address book context.
    let r = ab
        .request(
            "QueryColumns",
            oxmapi_wire::mapihttp::nspi::QueryColumnsRequest {
                reserved: 0,
                mapi_flags: 0,
                auxiliary_buffer: vec![],
            }
            .encode(),
        )
        .await;
    assert_eq!(r.response_code(), Some(10), "{}", String::from_utf8_lossy(&r.body));
    // A new Connect is refused.
    let mut again = Mapi::new(&ts, "bob").await;
    assert_eq!(again.connect(&bob.legacy_dn, 0).await.1.unwrap().error_code, codes::MAPI_E_LOGON_FAILED.0);
}

#[tokio::test]
async fn a_disabled_users_ntlm_connection_is_refused() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (mut m, h) = ntlm_connected(&ts, &alice).await;
    assert_eq!(m.conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await.response_code(), Some(0));

    admin(&ts, |d| d.set_enabled("alice", false).unwrap());

    let r = m.conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await;
    assert_eq!(r.status, 401, "the connection's NTLM identity is withdrawn");
    assert!(String::from_utf8_lossy(&r.body).contains("disabled"), "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn a_password_change_ends_an_ntlm_connections_identity() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (mut m, h) = ntlm_connected(&ts, &alice).await;
    // An unrelated change moves the generation but keeps the identity.
    admin(&ts, |d| d.set_hidden("alice", true).unwrap());
    assert_eq!(m.conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await.response_code(), Some(0));

    admin(&ts, |d| d.set_password("alice", "Secret-New-9").unwrap());

    let r = m.conn.send("POST", "/mapi/emsmdb/", &h, vec![]).await;
    assert_eq!(r.status, 401, "{}", String::from_utf8_lossy(&r.body));
}

#[tokio::test]
async fn the_old_password_is_refused_at_once_through_the_credential_cache() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    // Two requests: the second is served from the credential cache.
    let mut m = connected_user(&ts, &alice).await;
    assert_eq!(m.request("PING", vec![]).await.response_code(), Some(0));

    admin(&ts, |d| d.set_password("alice", "Secret-New-9").unwrap());

    let r = m.request("PING", vec![]).await;
    assert_eq!(r.status, 401, "the old password must not be accepted from the cache");
    let mut fresh = Mapi::new(&ts, "alice").await;
    fresh.auth = basic("alice", "Secret-New-9");
    assert_eq!(fresh.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0, "the new one works");
}

#[tokio::test]
async fn one_notification_wait_too_many_is_rejected_at_once() {
    let (ts, l) = alice_logged_on(&[("max-notification-waits-per-session", "2")]).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(pending_wait(&ts, &l.m).await);
    }
    let mut extra = wait_beside(&ts, &l.m).await;
    let end = tokio::time::timeout(Duration::from_secs(3), notification_wait(&mut extra))
        .await
        .expect("the wait over the cap is answered at once");
    assert_eq!(end.response_code, 0);
    assert_eq!(end.error_code, Some(codes::EC_REJECTED.0), "ErrorCode ecRejected");
    assert!(!end.pending);
    assert_eq!(ts.server.state.sessions.all()[0].pending_waits(), 2, "the first two still wait");
    for h in held {
        h.abort();
    }
}

#[tokio::test]
async fn disconnect_ends_a_pending_wait_promptly() {
    let (ts, mut l) = alice_logged_on(&[]).await;
    let waiting = pending_wait(&ts, &l.m).await;
    let r = l.m.request("Disconnect", vec![0; 4]).await;
    assert_eq!(r.response_code(), Some(0));
    let end = wait_end(waiting, Duration::from_secs(3)).await;
    assert_eq!(end.response_code, 10, "a destroyed context's wait is never answered with success");
    assert!(end.took < Duration::from_secs(2), "{:?}", end.took);
}

#[tokio::test]
async fn a_wait_does_not_keep_an_abandoned_context_alive() {
    let (ts, l) = alice_logged_on(&[("session-idle-timeout", "2")]).await;
    let mut w = wait_beside(&ts, &l.m).await;
    // The wait ends before the context would expire, not after the 30 s maximum ...
    let end = tokio::time::timeout(Duration::from_secs(5), notification_wait(&mut w)).await.expect("bounded");
    assert_eq!((end.response_code, end.pending), (0, false));
    assert!(end.took < Duration::from_secs(3), "{:?}", end.took);
    // ... and once the client stops, the context expires and every request gets 10.
    tokio::time::sleep(Duration::from_millis(2600)).await;
    assert!(ts.server.state.sessions.is_empty(), "the abandoned context expired");
    let end = notification_wait(&mut w).await;
    assert_eq!(end.response_code, 10);
}

#[tokio::test]
async fn an_ended_contexts_wait_is_answered_with_context_not_found() {
    let (ts, l) = alice_logged_on(&[]).await;
    let waiting = pending_wait(&ts, &l.m).await;
    // Every context is dropped at once (what expiry does to each context it reaps); the
    // registry write runs off the async thread, as the server's own calls do.
    let state = ts.server.state.clone();
    assert_eq!(oxmapi_server::blocking::run(move || state.sessions.clear()).await.unwrap(), 1);
    let end = wait_end(waiting, Duration::from_secs(3)).await;
    assert_eq!(end.response_code, 10);
}
