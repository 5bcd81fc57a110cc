//! Notifications at scale over MAPI/HTTP with raw oxmapi-wire: hundreds of session contexts
//! waiting on NotificationWait (MS-OXCMAPIHTTP 2.2.4.4) all learn of one commit, and every one
//! of them collects its RopNotify (MS-OXCNOTIF 3.2.5.5.3) with an empty Execute — nothing lost,
//! nothing doubled. Also how quick answers are framed: work done at once goes out in one piece
//! (Content-Length), work that waits is chunked (MS-OXCMAPIHTTP 3.2.5.2).

mod common;

use std::time::Duration;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitResponse};
use oxmapi_wire::rop::oxcnotif::{RegisterNotificationRequest, kind};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// Waiting sessions in the scale test (a few hundred: debug builds run it too).
const WATCHERS: usize = 300;

/// A watching session context: the Execute connection (its logon and subscription made) and a
/// second connection of the same context for NotificationWait.
struct Watcher {
    exec: Logon,
    wait: Mapi,
}

async fn watcher(ts: &TestServer, user: &oxmapi_store::User, folder: ObjectId) -> Watcher {
    let mut exec = logon_private(ts, user).await;
    let register = RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        notification_types: kind::OBJECT_CREATED,
        reserved: None,
        want_whole_store: 0,
        scope: Some((folder, ObjectId::new(0, 0))),
    });
    let (resp, _) = exec.m.rops(&[register], exec.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0, "RopRegisterNotification: {resp:?}");
    let mut wait = Mapi::new(ts, &user.name).await;
    wait.cookies = exec.m.cookies.clone();
    Watcher { exec, wait }
}

/// NotificationWait on the watcher's second connection: whether an event is pending.
async fn wait(m: &mut Mapi) -> bool {
    let r = m
        .request("NotificationWait", NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode())
        .await;
    assert_eq!(r.response_code(), Some(0), "{}", String::from_utf8_lossy(&r.body));
    NotificationWaitResponse::decode(&r.mapi_body()).unwrap().success().expect("success").is_event_pending()
}

/// Empty Executes until no RopPending: the message ids of the ObjectCreated notifications.
async fn collect(l: &mut Logon) -> Vec<ObjectId> {
    let mut mids = Vec::new();
    loop {
        l.m.rops(&[], vec![]).await;
        let notes = std::mem::take(&mut l.m.notes);
        let pending = notes.iter().any(|r| matches!(r, RopResponse::Pending(_)));
        for n in notes {
            if let RopResponse::Notify(n) = n {
                assert_eq!(n.data.kind(), kind::OBJECT_CREATED);
                mids.extend(n.data.message_id);
            }
        }
        if !pending {
            return mids;
        }
    }
}

async fn save(l: &mut Logon, fid: ObjectId, subject: &str) -> ObjectId {
    let subject = TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) };
    let (resp, _) =
        l.m.rops(
            &[
                req::create_message(0, 1, fid, false),
                req::set_props(1, vec![subject]),
                req::save_message(1, 1, 0),
            ],
            l.slots(1),
        )
        .await;
    let RopResponse::SaveChangesMessage(o) = &resp[2] else { panic!("{resp:?}") };
    o.body.as_ref().expect("saved").message_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_commit_reaches_every_one_of_hundreds_of_waiting_sessions() {
    let ts = TestServer::start().await;
    ts.set("max-sessions-per-user", &(WATCHERS + 8).to_string());
    let alice = ts.add_user("alice", false);
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = writer.inbox();
    let mut watchers = Vec::with_capacity(WATCHERS);
    for _ in 0..WATCHERS {
        watchers.push(watcher(&ts, &alice, inbox).await);
    }
    // Every session waits (the test server ends a wait after 1 s: wait again until the event).
    let mut waits = tokio::task::JoinSet::new();
    for (i, w) in watchers.into_iter().enumerate() {
        waits.spawn(async move {
            let mut w = w;
            while !wait(&mut w.wait).await {}
            (i, w)
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mid = save(&mut writer, inbox, "to everyone").await;
    let mut collected = tokio::task::JoinSet::new();
    while let Some(r) = waits.join_next().await {
        let (i, mut w) = r.expect("a wait");
        collected.spawn(async move { (i, collect(&mut w.exec).await) });
    }
    let mut seen = vec![false; WATCHERS];
    while let Some(r) = collected.join_next().await {
        let (i, mids) = r.expect("a collection");
        assert_eq!(mids, vec![mid], "watcher {i}: the one ObjectCreated, once");
        seen[i] = true;
    }
    assert!(seen.iter().all(|s| *s), "every watcher was answered");
}

#[tokio::test]
async fn a_quick_execute_and_a_long_wait_are_both_chunked() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut w = watcher(&ts, &alice, {
        let l = logon_private(&ts, &alice).await;
        l.inbox()
    })
    .await;
    // An empty Execute: nothing to wait for; it goes out in one chunk, but chunked all the same
    // ("The response to an Execute request type is \"chunked\"", MS-OXCMAPIHTTP 4.2, _R1230).
    let block = oxmapi_wire::rpc_ext::encode_block(
        &oxmapi_wire::rop::buffer::RopBuffer { rops: vec![], handles: vec![] }.encode(),
        oxmapi_wire::rpc_ext::EncodeOptions { compress: false, xor: false, last: true },
    )
    .unwrap();
    let r = w.exec.m.execute_raw(0, block, 0x10008).await;
    assert_eq!(r.response_code(), Some(0));
    assert_eq!(r.header("Transfer-Encoding"), Some("chunked"), "{:?}", r.headers);
    assert!(r.header("Content-Length").is_none(), "{:?}", r.headers);
    // A NotificationWait with nothing queued waits (the test server's maximum is 1 s): chunked,
    // with PROCESSING first and DONE last.
    let r = w
        .wait
        .request("NotificationWait", NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode())
        .await;
    assert_eq!(r.header("Transfer-Encoding"), Some("chunked"), "{:?}", r.headers);
    let body = NotificationWaitResponse::decode(&r.mapi_body()).unwrap();
    assert!(!body.success().expect("success").is_event_pending());
}
