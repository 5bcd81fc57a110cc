//! Notifications across the nodes of a PostgreSQL site (issue 16 item 4), over real HTTP on
//! 127.0.0.1 against two in-process `oxmapi serve` nodes on one database: a message saved
//! through node 1 reaches an Advise subscription (RopRegisterNotification, MS-OXCNOTIF
//! 3.2.5) and an open contents table (TableModified, MS-OXCNOTIF 2.2.1.4.1.2) of a session on
//! node 2 within a second or two — by the change log's wake-up, or by the catch-up timer when
//! no wake-up comes — and the node that made the change announces it once, not twice. Skipped
//! (with a note) unless `OXMAPI_TEST_DATABASE` names a PostgreSQL server.

mod common;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::Site;
use oxmapi_store::db::Backend;
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitResponse};
use oxmapi_wire::rop::oxcnotif::{NotifyResponse, RegisterNotificationRequest, kind, table_event};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// Runs store work on a plain thread (the PostgreSQL client must not run on an async thread).
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().unwrap())
}

/// Stops both nodes and drops everything that holds PostgreSQL connections on a plain thread
/// (the sync client must not be dropped on an async thread either).
async fn shut_down(ts: TestServer, two: Server) {
    let TestServer { server, data, dir } = ts;
    let mut states = Vec::new();
    for s in [server, two] {
        states.push(s.state.clone());
        s.stop().await;
    }
    // The server's aborted background tasks let go of their references.
    let start = Instant::now();
    while states.iter().any(|s| std::sync::Arc::strong_count(s) > 1)
        && start.elapsed() < Duration::from_secs(5)
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    off_runtime(move || drop((states, data, dir)));
}

async fn node(dir: &std::path::Path, site: &Site, node: u16) -> Server {
    let mut cfg = ServerConfig::new(dir.join(format!("node{node}")), "127.0.0.1:0".parse().unwrap());
    cfg.node_id = node;
    cfg.pending_period = Duration::from_millis(200);
    cfg.notification_wait_max = Duration::from_secs(5);
    Server::start_site(cfg, Some(site.clone())).await.unwrap()
}

/// Node 1 (`ts.server`) and node 2 on one fresh database, with alice; `None` on files.
async fn two_nodes() -> Option<(TestServer, Server, oxmapi_store::User)> {
    let dir = tempfile::tempdir().unwrap();
    let site = off_runtime(|| oxmapi_store::test_site(&dir.path().join("data")));
    if site.backend() != Backend::Postgres {
        eprintln!("skipped: notifications across nodes need OXMAPI_TEST_DATABASE=postgres://…");
        return None;
    }
    let one = node(dir.path(), &site, 1).await;
    let two = node(dir.path(), &site, 2).await;
    let ts = TestServer { server: one, data: site, dir };
    let alice = off_runtime(|| ts.add_user("alice", false));
    Some((ts, two, alice))
}

/// Alice's logon through node 2.
async fn logon_on(two: &Server, ts: &TestServer, alice: &oxmapi_store::User) -> Logon {
    let mut m = Mapi::new(ts, &alice.name).await;
    m.conn = Conn::open(two.addr).await;
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.expect("Connect on node 2").error_code, 0);
    logon_mailbox(m, alice).await
}

fn register_store(out: u8, types: u16) -> RopRequest {
    RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: out,
        notification_types: types,
        reserved: None,
        want_whole_store: 1,
        scope: None,
    })
}

async fn save(l: &mut Logon, fid: ObjectId, subject: &str) -> ObjectId {
    let subject = TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) };
    let reqs = [
        req::create_message(0, 1, fid, false),
        req::set_props(1, vec![subject]),
        req::save_message(1, 1, 0),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(1)).await;
    let RopResponse::SaveChangesMessage(o) = &resp[2] else { panic!("{resp:?}") };
    o.body.as_ref().expect("saved").message_id
}

/// Drains `l` until a notification `want` accepts arrives; everything drained, and how long
/// it took. Panics after `limit`.
async fn until(
    l: &mut Logon,
    limit: Duration,
    want: impl Fn(&NotifyResponse) -> bool,
) -> Vec<NotifyResponse> {
    let start = Instant::now();
    let mut got = Vec::new();
    loop {
        got.extend(drain(l).await);
        if got.iter().any(&want) {
            return got;
        }
        assert!(start.elapsed() < limit, "nothing wanted within {limit:?}: {got:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_on_node_one_reaches_advise_and_an_open_table_on_node_two_once() {
    let Some((ts, two, alice)) = two_nodes().await else { return };
    let mut watcher = logon_on(&two, &ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    // Node 2: a whole-store Advise sink and an open contents table of the Inbox.
    let (resp, handles) = watcher
        .m
        .rops(
            &[
                register_store(1, kind::OBJECT_CREATED | kind::NEW_MAIL),
                req::open_folder(0, 2, inbox),
                req::contents_table(2, 3, 0),
                req::set_columns(3, &[PR_SUBJECT]),
                req::query_rows(3, 10, true),
            ],
            watcher.slots(3),
        )
        .await;
    assert!(matches!(&resp[0], RopResponse::RegisterNotification(o) if o.return_value == 0), "{resp:?}");
    assert!(rows_of(&resp[4]).is_empty());
    let (advise, table) = (handles[1], handles[3]);
    // Node 1: the writer's own whole-store sink (it must hear its change once, not twice).
    let (resp, wh) = writer.m.rops(&[register_store(1, kind::OBJECT_CREATED)], writer.slots(1)).await;
    assert!(matches!(&resp[0], RopResponse::RegisterNotification(o) if o.return_value == 0), "{resp:?}");

    let t = Instant::now();
    let mid = save(&mut writer, inbox, "from node 1").await;
    let created = |n: &NotifyResponse| {
        n.notification_handle == advise
            && n.data.kind() == kind::OBJECT_CREATED
            && n.data.message_id == Some(mid)
    };
    let mut got = until(&mut watcher, Duration::from_secs(3), created).await;
    let took = t.elapsed();
    assert!(took < Duration::from_secs(3), "{took:?}");
    // The table's notification comes with the same catch-up.
    got.extend(drain(&mut watcher).await);
    let on_table: Vec<_> = got.iter().filter(|n| n.notification_handle == table).collect();
    assert_eq!(on_table.len(), 1, "{got:?}");
    assert_eq!(on_table[0].data.table_event_type, Some(table_event::TABLE_ROW_ADDED));
    // The open table shows the row at its next read.
    let (resp, _) =
        watcher.m.rops(&[req::seek_row(3, 0, 0), req::query_rows(3, 10, true)], handles.clone()).await;
    let rows = rows_of(resp.last().unwrap());
    assert_eq!(rows.len(), 1, "{resp:?}");

    // Let several catch-up rounds pass: nothing is announced twice, on either node.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    got.extend(drain(&mut watcher).await);
    assert_eq!(got.iter().filter(|n| created(n)).count(), 1, "node 2 announces it once: {got:?}");
    let mine = drain(&mut writer).await;
    let heard: Vec<_> = mine
        .iter()
        .filter(|n| n.notification_handle == wh[1] && n.data.kind() == kind::OBJECT_CREATED)
        .collect();
    assert_eq!(heard.len(), 1, "node 1 announces its own change once: {mine:?}");
    shut_down(ts, two).await;
}

/// Cross-node commit-to-sink latency: node 2's session waits in NotificationWait while node 1
/// saves; the time from the save's start to the wait's end. Prints p50/p99 (BENCHMARKS.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_node_commit_to_sink_latency() {
    let Some((ts, two, alice)) = two_nodes().await else { return };
    let mut watcher = logon_on(&two, &ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let (resp, _) = watcher.m.rops(&[register_store(1, kind::OBJECT_CREATED)], watcher.slots(1)).await;
    assert!(matches!(&resp[0], RopResponse::RegisterNotification(o) if o.return_value == 0), "{resp:?}");
    let mut took = Vec::new();
    for i in 0..60 {
        let wait = async {
            let r = watcher
                .m
                .request(
                    "NotificationWait",
                    NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode(),
                )
                .await;
            let resp = NotificationWaitResponse::decode(&r.mapi_body()).unwrap();
            (resp.success().expect("success").is_event_pending(), Instant::now())
        };
        let write = async {
            tokio::time::sleep(Duration::from_millis(30)).await;
            let t = Instant::now();
            save(&mut writer, inbox, &format!("m{i}")).await;
            t
        };
        let ((pending, woke), started) = tokio::join!(wait, write);
        assert!(pending, "round {i}: the wait ended without an event");
        took.push(woke.saturating_duration_since(started));
        drain(&mut watcher).await;
    }
    took.sort();
    let p = |q: f64| took[((took.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "cross-node commit-to-sink latency over {} saves: p50 {:?}, p99 {:?}, max {:?}",
        took.len(),
        p(0.5),
        p(0.99),
        took.last().unwrap()
    );
    assert!(p(0.5) < Duration::from_secs(1), "the wake-up, not the 1 s timer, carries most changes");
    shut_down(ts, two).await;
}

/// The listening connections of the database (`LISTEN oxmapi_changes`), after terminating them
/// when `terminate`.
fn listeners(site: &Site, terminate: bool) -> i64 {
    let pool = oxmapi_store::db::pg::PgPool::connect(&site.describe()).unwrap();
    let conn = pool.get().unwrap();
    let which = "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' \
                 AND pid <> pg_backend_pid()";
    let sql = if terminate {
        format!("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) {which}) t")
    } else {
        format!("SELECT count(*) {which}")
    };
    match conn.query(&sql, &[]).unwrap()[0][0] {
        oxmapi_store::db::Value::Integer(n) => n,
        ref v => panic!("{v:?}"),
    }
}

/// Waits until the database has `n` listening connections; panics after 10 s.
async fn until_listening(site: &Site, n: i64) {
    let start = Instant::now();
    while off_runtime(|| listeners(site, false)) < n {
        assert!(start.elapsed() < Duration::from_secs(10), "the nodes do not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The listening connections of both nodes are killed (PostgreSQL restarted under them, a
/// network cut): a change made meanwhile still reaches node 2 — its wake-up was lost, the
/// catch-up timer finds it — and both nodes listen again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_wake_up_is_covered_by_the_timer_and_the_listener_comes_back() {
    let Some((ts, two, alice)) = two_nodes().await else { return };
    let mut watcher = logon_on(&two, &ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let (resp, handles) = watcher.m.rops(&[register_store(1, kind::OBJECT_CREATED)], watcher.slots(1)).await;
    assert!(matches!(&resp[0], RopResponse::RegisterNotification(o) if o.return_value == 0), "{resp:?}");
    until_listening(&ts.data, 2).await;
    assert_eq!(off_runtime(|| listeners(&ts.data, true)), 2);
    let mid = save(&mut writer, inbox, "while nobody listens").await;
    let got = until(&mut watcher, Duration::from_secs(3), |n| {
        n.notification_handle == handles[1] && n.data.message_id == Some(mid)
    })
    .await;
    assert_eq!(got.iter().filter(|n| n.data.message_id == Some(mid)).count(), 1, "{got:?}");
    until_listening(&ts.data, 2).await;
    shut_down(ts, two).await;
}

/// The figure for BENCHMARKS.md (run explicitly: `cargo test -p oxmapi-server --test
/// cross_node_notify -- --ignored --nocapture`): commit-to-sink latency with
/// `OXMAPI_CROSS_NODE_WATCHERS` (default 500) sessions waiting in NotificationWait, half on
/// each node, while a session on node 1 saves `OXMAPI_CROSS_NODE_CHANGES` (default 50) messages
/// one at a time. Latency as `oxmapi bench notify` measures it: from the return of the save (the
/// commit happened just before) to the end of the watcher's NotificationWait, per (message,
/// watcher); reported per node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored"]
async fn cross_node_latency_with_many_waiting_sessions() {
    let Some((ts, two, alice)) = two_nodes().await else { return };
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let (watchers, changes) = (env("OXMAPI_CROSS_NODE_WATCHERS", 500), env("OXMAPI_CROSS_NODE_CHANGES", 50));
    off_runtime(|| ts.set("max-sessions-per-user", &(watchers + 10).to_string()));
    let mut tasks = Vec::new();
    for w in 0..watchers {
        let on_two = w % 2 == 1;
        let mut l = if on_two { logon_on(&two, &ts, &alice).await } else { logon_private(&ts, &alice).await };
        let (resp, _) = l.m.rops(&[register_store(1, kind::OBJECT_CREATED)], l.slots(1)).await;
        assert!(matches!(&resp[0], RopResponse::RegisterNotification(o) if o.return_value == 0), "{resp:?}");
        tasks.push(tokio::spawn(async move {
            let mut seen: Vec<(ObjectId, Instant)> = Vec::new();
            let start = Instant::now();
            while seen.len() < changes && start.elapsed() < Duration::from_secs(300) {
                let r =
                    l.m.request(
                        "NotificationWait",
                        NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode(),
                    )
                    .await;
                let at = Instant::now();
                let resp = NotificationWaitResponse::decode(&r.mapi_body()).unwrap();
                if !resp.success().is_some_and(|s| s.is_event_pending()) {
                    continue;
                }
                for n in drain(&mut l).await {
                    if let (kind::OBJECT_CREATED, Some(mid)) = (n.data.kind(), n.data.message_id) {
                        seen.push((mid, at));
                    }
                }
            }
            (on_two, seen)
        }));
    }
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = writer.inbox();
    let mut saved = std::collections::HashMap::new();
    for i in 0..changes {
        let mid = save(&mut writer, inbox, &format!("change {i}")).await;
        saved.insert(mid, Instant::now());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut per_node: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for t in tasks {
        let (on_two, seen) = t.await.unwrap();
        assert_eq!(seen.len(), changes, "every watcher hears every change once");
        for (mid, at) in seen {
            per_node[usize::from(on_two)].push(at.saturating_duration_since(saved[&mid]));
        }
    }
    for (i, mut v) in per_node.into_iter().enumerate() {
        v.sort();
        let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
        eprintln!(
            "{watchers} watchers, {changes} changes, watchers on node {} (the writer is on node 1): p50 {:?} p99 {:?} max {:?}",
            i + 1,
            p(0.5),
            p(0.99),
            v.last().unwrap()
        );
    }
    shut_down(ts, two).await;
}
