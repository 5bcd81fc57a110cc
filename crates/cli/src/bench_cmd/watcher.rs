//! The light watcher of `oxmapi bench notify`: one session context per watcher driven straight
//! over the client transport, as an async task, instead of a full MAPI session with its own
//! NotificationWait thread. Each watcher makes a session context (Connect), logs on to the
//! mailbox and subscribes to a folder (RopLogon + RopRegisterNotification, MS-OXCNOTIF
//! 2.2.1.2.1) in one Execute, opens its second connection with a PING, then loops as a client does (MS-OXCMAPIHTTP 3.1.5.x): a
//! NotificationWait on a second connection of the same context, and when it ends with an event
//! pending, empty Executes on the first connection until no RopPending comes back, each
//! RopNotify's message id reported with the time it arrived.
//!
//! All watchers share one thread (a current-thread runtime), so the bench costs the machine one
//! core at most however many sessions wait; thousands fit in one process (two descriptors
//! each).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxmapi_client::transport::{
    Auth, ClientIdentity, Credentials, EmsmdbClient, Endpoint, MapiHttp, TlsOptions, TransportError,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_wire::mapihttp::emsmdb::MAX_ROP_OUT;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcnotif::{RegisterNotificationRequest, kind};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::{PASSWORD, USER};

/// Watchers being set up at once (each set-up is three requests).
const SETUP_CONCURRENCY: usize = 64;
/// Watcher failures kept for the report.
const MAX_FAILURES_KEPT: usize = 5;

/// Why watchers stopped waiting (the first few).
type Failures = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// What the watchers report: a message id whose ObjectCreated arrived, when, and the index of
/// the node the watcher waits on ([`Target::node`]).
pub type Seen = (ObjectId, Instant, usize);

/// Where the watchers wait: the server, the user's DN and the folder.
#[derive(Clone)]
pub struct Target {
    /// Server base URL.
    pub url: String,
    /// The bench user's legacy DN.
    pub dn: String,
    /// The folder watched.
    pub folder: ObjectId,
    /// Index of the node at `url` among the site's nodes (0 for node 1), reported with each
    /// notification.
    pub node: usize,
}

fn transport(url: &str) -> MapiHttp {
    let mut http = MapiHttp::new(
        Endpoint::new(format!("{url}/mapi/emsmdb/")),
        Credentials { user: USER.into(), domain: String::new(), password: PASSWORD.into() },
        Auth::Basic,
        TlsOptions::default(),
        ClientIdentity::new("Outlook/16.0.10000.1000"),
    );
    // A NotificationWait lasts up to the server's maximum (5 minutes).
    http.set_request_timeout(Duration::from_secs(600));
    http
}

/// One watching session context: the Execute connection and the NotificationWait connection.
struct Watcher {
    exec: EmsmdbClient,
    wait: EmsmdbClient,
}

impl Watcher {
    /// Connect, then RopLogon and RopRegisterNotification (folder scope, fnevObjectCreated).
    async fn open(t: &Target) -> Result<Watcher, String> {
        let mut exec = EmsmdbClient::new(transport(&t.url));
        super::connect_context(&mut exec, &t.dn).await?;
        let logon = super::private_logon(&t.dn);
        let register = RopRequest::RegisterNotification(RegisterNotificationRequest {
            logon_id: 0,
            input_handle_index: 0,
            output_handle_index: 1,
            notification_types: kind::OBJECT_CREATED,
            reserved: None,
            want_whole_store: 0,
            scope: Some((t.folder, ObjectId::new(0, 0))),
        });
        let out = exec
            .execute(&[logon, register], &[UNUSED_HANDLE, UNUSED_HANDLE], MAX_ROP_OUT)
            .await
            .map_err(|e| e.to_string())?;
        match out.responses.as_slice() {
            [RopResponse::Logon(l), RopResponse::RegisterNotification(r), ..]
                if l.return_value == 0 && r.return_value == 0 => {}
            other => return Err(format!("RopLogon + RopRegisterNotification failed: {other:?}")),
        }
        let mut wait = EmsmdbClient::new(transport(&t.url));
        for (name, value) in exec.http.cookies() {
            wait.http.set_cookie(&name, &value);
        }
        // Open and authenticate the second connection now, within the set-up's concurrency: a
        // server sheds the oldest of too many connections that have not authenticated yet
        // (SECURITY.md "Limits"), which thousands of first NotificationWaits at once would be.
        wait.ping().await.map_err(|e| format!("PING on the NotificationWait connection: {e}"))?;
        Ok(Watcher { exec, wait })
    }

    /// Waits and collects until a request fails; every ObjectCreated goes to `seen`, tagged
    /// with `node`.
    async fn run(&mut self, seen: &mpsc::Sender<Seen>, node: usize) -> String {
        loop {
            match self.wait.notification_wait().await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => return format!("NotificationWait: {e}"),
            }
            loop {
                let out = match self.exec.execute(&[], &[], MAX_ROP_OUT).await {
                    Ok(o) => o,
                    Err(e) => return format!("Execute: {e}"),
                };
                let now = Instant::now();
                let mut pending = false;
                for r in out.responses {
                    match r {
                        RopResponse::Notify(n) => {
                            if let Some(mid) = n.data.message_id {
                                let _ = seen.send((mid, now, node));
                            }
                        }
                        RopResponse::Pending(_) => pending = true,
                        _ => {}
                    }
                }
                if !pending {
                    break;
                }
            }
        }
    }

    /// Ends the wait (its connection closes) and the session context (Disconnect).
    async fn close(self) -> Result<(), TransportError> {
        let Watcher { mut exec, wait } = self;
        drop(wait);
        exec.disconnect().await
    }
}

/// A set of watchers waiting on their own thread.
pub struct Watchers {
    failures: Failures,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchers {
    /// Opens `n` watchers of `target` on a thread of their own; returns once all of them wait
    /// (with the time the set-up took) or the first failure.
    pub fn start(target: Target, n: usize, seen: mpsc::Sender<Seen>) -> Result<(Watchers, Duration), String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("bench runtime: {e}"))?;
        let (ready_tx, ready_rx) = mpsc::channel::<Result<Duration, String>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let failures = Failures::default();
        let f = failures.clone();
        let thread = std::thread::Builder::new()
            .name("bench-watchers".into())
            .spawn(move || rt.block_on(serve(target, n, seen, f, ready_tx, stop_rx)))
            .map_err(|e| format!("bench watcher thread: {e}"))?;
        let watchers = Watchers { failures, stop: Some(stop_tx), thread: Some(thread) };
        match ready_rx.recv() {
            Ok(Ok(setup)) => Ok((watchers, setup)),
            Ok(Err(e)) => Err(e),
            Err(_) => Err("the watcher thread ended during set-up".into()),
        }
    }

    /// Why watchers stopped waiting so far (the first few).
    pub fn failures(&self) -> Vec<String> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Disconnects every watcher's context and ends the thread.
    pub fn stop(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Watchers {
    fn drop(&mut self) {
        self.finish();
    }
}

async fn serve(
    target: Target,
    n: usize,
    seen: mpsc::Sender<Seen>,
    failures: Failures,
    ready: mpsc::Sender<Result<Duration, String>>,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    let started = Instant::now();
    let mut opened = Vec::with_capacity(n);
    let mut pending = tokio::task::JoinSet::new();
    let mut failure = None;
    // The first alone: the server then has the password verified and cached, so the others'
    // Basic logons do not each run argon2 (19 MiB apiece) at once.
    match Watcher::open(&target).await {
        Ok(w) => opened.push(w),
        Err(e) => failure = Some(format!("watcher 1: {e}")),
    }
    let mut asked = opened.len();
    while opened.len() < n && failure.is_none() {
        while asked < n && pending.len() < SETUP_CONCURRENCY {
            let t = target.clone();
            pending.spawn(async move { Watcher::open(&t).await });
            asked += 1;
        }
        match pending.join_next().await {
            Some(Ok(Ok(w))) => opened.push(w),
            Some(Ok(Err(e))) => failure = Some(format!("watcher {}: {e}", opened.len() + 1)),
            Some(Err(e)) => failure = Some(format!("watcher task: {e}")),
            None => break,
        }
    }
    if let Some(e) = failure {
        let _ = ready.send(Err(e));
        return;
    }
    let node = target.node;
    let (stop_all, stopped) = tokio::sync::watch::channel(false);
    let mut loops = tokio::task::JoinSet::new();
    for mut w in opened {
        let seen = seen.clone();
        let failures = failures.clone();
        let mut stopped = stopped.clone();
        loops.spawn(async move {
            tokio::select! {
                why = w.run(&seen, node) => {
                    let mut f = failures.lock().unwrap_or_else(|e| e.into_inner());
                    if f.len() < MAX_FAILURES_KEPT {
                        f.push(why);
                    }
                }
                _ = stopped.wait_for(|s| *s) => {}
            }
            let _ = w.close().await;
        });
    }
    // (The bench's unmeasured first change makes sure that every watcher waits.)
    let _ = ready.send(Ok(started.elapsed()));
    let _ = stop.await;
    let _ = stop_all.send(true);
    while loops.join_next().await.is_some() {}
}
