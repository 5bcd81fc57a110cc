//! Notifications against the real server on 127.0.0.1: Advise on store, folder and message
//! scopes for every object event, table notifications, callback sinks that call back into the
//! session, 1,000 rapid changes counted, subscriptions that survive a lost session context and
//! a server restart, NewMail from a submission, and another user's mailbox watched only with a
//! full-access grant.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification, NotificationStream, ObjectNotification};
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{Folder, MsgStore, OpenMode, Recipient, RecipientType, SaveFlags};
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::fnev;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::consts::logon_response_flags;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::NewUser;

mod common;
use common::{RealServer, default_store, user};

const PW: &str = "Secret-1";
/// How long a test waits for a notification that must come.
const PATIENCE: Duration = Duration::from_secs(15);
/// How long a test waits to be sure nothing more comes.
const QUIET: Duration = Duration::from_millis(700);
const OBJECT_EVENTS: u32 = fnev::OBJECT_CREATED
    | fnev::OBJECT_DELETED
    | fnev::OBJECT_MODIFIED
    | fnev::OBJECT_MOVED
    | fnev::OBJECT_COPIED;

struct Env {
    real: RealServer,
    mapi: Mapi,
}

impl Env {
    fn new() -> Env {
        let users = [("alice", "Alice Archer"), ("bob", "Bob Baker"), ("svc", "Phone Service")].map(
            |(name, display)| NewUser {
                display_name: Some(display.into()),
                email: Some(format!("{name}@example.test")),
                ..user(name, PW)
            },
        );
        // Short waits, so a NotificationWait on a lost context ends soon.
        let real = RealServer::start(&users, |cfg| cfg.notification_wait_max = Duration::from_secs(2));
        let mapi = Mapi::with_profiles(real.profiles(&[("alice", "alice"), ("bob", "bob"), ("svc", "svc")]));
        Env { real, mapi }
    }

    fn logon(&self, user: &str) -> (Session, MsgStore) {
        let o = LogonOptions { password: Some(PW.into()), client_version: None };
        let s = self.mapi.logon_ex(None, Some(user), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
        let store = default_store(&s).unwrap();
        (s, store)
    }

    /// Stops the server (every connection drops, every context is gone) and starts it again on
    /// the same port.
    fn restart(&mut self) {
        self.real.restart();
    }

    fn sessions(&self) -> &oxmapi_server::session::SessionTable {
        &self.real.server().state.sessions
    }
}

fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

fn inbox(store: &MsgStore) -> Folder {
    store.open_folder(store.receive_folder("IPM.Note").unwrap().0).unwrap()
}

fn save_message(f: &Folder, subject: &str) -> ObjectId {
    let mut m = f.create_message(false).unwrap();
    m.set_props(&[
        tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        tv(PR_SUBJECT, PropValue::Unicode(subject.into())),
    ])
    .unwrap();
    m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap()
}

/// The next notification, or a panic naming what was awaited.
fn next(s: &mut NotificationStream, what: &str) -> Notification {
    s.recv_timeout(PATIENCE).unwrap_or_else(|| panic!("no notification within {PATIENCE:?}: {what}"))
}

/// Skips notifications until one of `event` arrives.
fn next_of(s: &mut NotificationStream, event: u32, what: &str) -> Notification {
    let end = Instant::now() + PATIENCE;
    while Instant::now() < end {
        if let Some(n) = s.recv_timeout(end - Instant::now())
            && n.event_type() == event
        {
            return n;
        }
    }
    panic!("no {event:#x} notification within {PATIENCE:?}: {what}")
}

fn object(n: Notification) -> ObjectNotification {
    match n {
        Notification::Object(o) => o,
        other => panic!("not an object notification: {other:?}"),
    }
}

fn quiet(s: &mut NotificationStream) -> Vec<Notification> {
    let mut extra = Vec::new();
    while let Some(n) = s.recv_timeout(QUIET) {
        extra.push(n);
    }
    extra
}

#[test]
fn every_object_event_reaches_store_folder_and_message_subscriptions() {
    let env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let (_a, actor) = env.logon("alice");
    let root = actor.ipm_subtree().unwrap();
    let f = root.create_folder("Watched", None, false).unwrap();
    let g = root.create_folder("Elsewhere", None, false).unwrap();
    let kept = save_message(&f, "kept");

    let mut whole = watcher.advise_stream(AdviseTarget::Store, OBJECT_EVENTS).unwrap();
    let mut folder = watcher.advise_stream(AdviseTarget::Folder(f.id()), OBJECT_EVENTS).unwrap();
    let mut message =
        watcher.advise_stream(AdviseTarget::Message(f.id(), kept), fnev::OBJECT_MODIFIED).unwrap();
    let mut created_only = watcher.advise_stream(AdviseTarget::Store, fnev::OBJECT_CREATED).unwrap();

    // Created, in the watched folder.
    let mid = save_message(&f, "new");
    for (s, name) in [(&mut whole, "store"), (&mut folder, "folder"), (&mut created_only, "mask")] {
        let o = object(next_of(s, fnev::OBJECT_CREATED, name));
        assert_eq!((o.folder_id, o.message_id), (f.id(), Some(mid)), "{name}");
    }

    // Modified: the message subscription sees its own message only.
    let m = f.open_message(kept, OpenMode::ReadWrite).unwrap();
    m.set_props(&[tv(PR_SUBJECT, PropValue::Unicode("kept, edited".into()))]).unwrap();
    let mut m = m;
    m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap();
    let o = object(next(&mut message, "message scope"));
    assert_eq!((o.event, o.folder_id, o.message_id), (fnev::OBJECT_MODIFIED, f.id(), Some(kept)));
    // The folder scope also hears the folder's own count changes; find the message's event.
    let o = loop {
        let o = object(next_of(&mut folder, fnev::OBJECT_MODIFIED, "folder scope, modified"));
        if o.message_id.is_some() {
            break o;
        }
    };
    assert_eq!(o.message_id, Some(kept));

    // Copied and moved to another folder; deleted.
    f.copy_messages(&[mid], &g, false).unwrap();
    let o = object(next_of(&mut whole, fnev::OBJECT_COPIED, "copy"));
    assert_eq!((o.folder_id, o.old_folder_id, o.old_message_id), (g.id(), Some(f.id()), Some(mid)));
    f.copy_messages(&[mid], &g, true).unwrap();
    let o = object(next_of(&mut whole, fnev::OBJECT_MOVED, "move"));
    assert_eq!((o.folder_id, o.old_folder_id, o.old_message_id), (g.id(), Some(f.id()), Some(mid)));
    let moved = o.message_id.unwrap();
    g.delete_messages(&[moved], true).unwrap();
    let o = object(next_of(&mut whole, fnev::OBJECT_DELETED, "delete"));
    assert_eq!((o.folder_id, o.message_id), (g.id(), Some(moved)));

    // A folder event: no message id, the parent named.
    let sub = f.create_folder("Child", None, false).unwrap();
    let o = object(next_of(&mut created_only, fnev::OBJECT_CREATED, "folder created"));
    assert_eq!((o.folder_id, o.message_id, o.parent_folder_id), (sub.id(), None, Some(f.id())));

    // Nothing for the message scope beyond its message; nothing else for the mask.
    let extra = quiet(&mut message);
    assert!(extra.is_empty(), "{extra:?}");
    let extra = quiet(&mut created_only);
    assert!(extra.is_empty(), "{extra:?}");

    // Unadvise ends a subscription.
    quiet(&mut folder);
    watcher.unadvise(folder.connection);
    save_message(&f, "after unadvise");
    let rest: Vec<_> =
        quiet(&mut folder).into_iter().filter(|n| n.event_type() == fnev::OBJECT_CREATED).collect();
    assert!(rest.is_empty(), "{rest:?}");
    object(next_of(&mut whole, fnev::OBJECT_CREATED, "the store subscription still works"));
}

#[test]
fn open_tables_notify_and_callback_sinks_may_call_the_session() {
    let env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let (_a, actor) = env.logon("alice");
    let f = actor.ipm_subtree().unwrap().create_folder("Table", None, false).unwrap();
    let wf = watcher.open_folder(f.id()).unwrap();
    let mut t = wf.contents_table(false).unwrap();
    t.set_columns(&[PR_MID, PR_SUBJECT]).unwrap();
    t.query_rows(10, true).unwrap();
    let mut table = t.advise_stream();

    // A callback that opens the new message through the same session (no deadlock).
    let (tx, rx) = std::sync::mpsc::channel();
    let store = std::sync::Arc::new(watcher);
    let s2 = store.clone();
    let c = store
        .advise(AdviseTarget::Folder(f.id()), fnev::OBJECT_CREATED, move |n| {
            if let Notification::Object(o) = n {
                let m = s2.open_message(o.folder_id, o.message_id.unwrap(), OpenMode::ReadOnly).unwrap();
                let subject = m.get_props(&[PR_SUBJECT]).unwrap().remove(0);
                let _ = tx.send(subject);
            }
        })
        .unwrap();
    let mid = save_message(&f, "seen from the callback");
    let got = rx.recv_timeout(PATIENCE).expect("the callback ran");
    assert_eq!(got, oxmapi_wire::cdata::RowValue::Value(PropValue::Unicode("seen from the callback".into())));
    store.unadvise(c);

    let n = next(&mut table, "table");
    let Notification::Table(tn) = &n else { panic!("{n:?}") };
    match n.table_event_name() {
        Some("TableRowAdded") => {
            assert_eq!(tn.message_id, Some(mid));
            let row = tn.row.as_ref().expect("row data in the table's columns");
            assert_eq!(row.len(), 2);
        }
        Some("TableChanged") => {}
        other => panic!("unexpected table event {other:?}"),
    }
    let rows = t.query_rows(10, true).unwrap();
    assert!(!rows.is_empty());
}

#[test]
fn a_thousand_rapid_changes_arrive_once_each_in_commit_order() {
    let env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let (_a, actor) = env.logon("alice");
    let f = actor.ipm_subtree().unwrap().create_folder("Busy", None, false).unwrap();
    let mut s = watcher.advise_stream(AdviseTarget::Folder(f.id()), fnev::OBJECT_CREATED).unwrap();
    let mut saved = Vec::new();
    for i in 0..1000 {
        saved.push(save_message(&f, &format!("m{i}")));
    }
    let mut got = Vec::new();
    while got.len() < saved.len() {
        let o = object(next(&mut s, &format!("created #{}", got.len() + 1)));
        got.push(o.message_id.unwrap());
    }
    assert_eq!(got, saved, "every message once, in commit order");
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), 1000);
    assert!(quiet(&mut s).is_empty(), "no duplicates afterwards");
}

#[test]
fn subscriptions_survive_a_lost_context_and_a_server_restart() {
    let mut env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let mask = fnev::OBJECT_CREATED | fnev::CRITICAL_ERROR;
    let mut s = watcher.advise_stream(AdviseTarget::Store, mask).unwrap();
    let (_a, actor) = env.logon("alice");
    let f = actor.ipm_subtree().unwrap().create_folder("Survivor", None, false).unwrap();
    let first = object(next_of(&mut s, fnev::OBJECT_CREATED, "before")).folder_id;
    assert_eq!(first, f.id());

    // The server forgets every context (as when they expire).
    assert!(env.sessions().clear() >= 2);
    let n = next_of(&mut s, fnev::CRITICAL_ERROR, "told that events may be missing");
    assert_eq!(n.name(), "CriticalError");
    let (_a2, actor2) = env.logon("alice");
    let f2 = actor2.open_folder(f.id()).unwrap();
    let mid = save_message(&f2, "after the context was lost");
    let o = object(next_of(&mut s, fnev::OBJECT_CREATED, "after re-registration"));
    assert_eq!(o.message_id, Some(mid));

    // The server restarts: connections drop and every context is gone.
    env.restart();
    next_of(&mut s, fnev::CRITICAL_ERROR, "re-registered after the restart");
    let (_a3, actor3) = env.logon("alice");
    let mid = save_message(&actor3.open_folder(f.id()).unwrap(), "after the restart");
    let o = object(next_of(&mut s, fnev::OBJECT_CREATED, "after the restart"));
    assert_eq!(o.message_id, Some(mid));
}

#[test]
fn another_users_mailbox_is_watched_only_with_a_grant() {
    let env = Env::new();
    let (svc, _) = env.logon("svc");
    let alice_dn = env.real.data.directory().unwrap().user("alice").unwrap().unwrap().legacy_dn;
    let eid = svc.create_store_entry_id(&alice_dn);
    let e = svc.open_msg_store(&eid).err().expect("refused without a grant");
    assert_eq!(e.code, codes::EC_LOGIN_PERM, "{e}");

    env.real.data.directory().unwrap().grant_full_access("alice", "svc").unwrap();
    let theirs = svc.open_msg_store(&eid).unwrap();
    let flags = theirs.logon_info().response_flags;
    assert_ne!(flags & logon_response_flags::OWNER_RIGHT, 0);
    assert_eq!(flags & logon_response_flags::SEND_AS_RIGHT, 0, "full access is not send-as");
    let their_inbox = inbox(&theirs);
    let mut s = theirs.advise_stream(AdviseTarget::Folder(their_inbox.id()), fnev::OBJECT_CREATED).unwrap();

    let (_a, alice) = env.logon("alice");
    let mid = save_message(&inbox(&alice), "for the service");
    let o = object(next(&mut s, "alice's Inbox, watched by svc"));
    assert_eq!(o.message_id, Some(mid));

    // Bob has no grant: he cannot open it, so he cannot watch it.
    let (bob, _) = env.logon("bob");
    assert_eq!(bob.open_msg_store(&eid).err().unwrap().code, codes::EC_LOGIN_PERM);
}

#[test]
fn submitted_mail_raises_new_mail_in_the_recipients_store() {
    let env = Env::new();
    let (_w, alice) = env.logon("alice");
    let mut s = alice.advise_stream(AdviseTarget::Store, fnev::NEW_MAIL).unwrap();
    let (_b, bob) = env.logon("bob");
    let outbox = bob.open_folder(bob.transport_folder().unwrap()).unwrap();
    let mut m = outbox.create_message(false).unwrap();
    m.set_props(&[
        tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
        tv(PR_SUBJECT, PropValue::Unicode("new voicemail".into())),
    ])
    .unwrap();
    m.add_recipients(&[Recipient::smtp(RecipientType::To, "alice@example.test")]).unwrap();
    m.submit().unwrap();
    let n = next(&mut s, "NewMail");
    let Notification::NewMail { folder_id, message_class, .. } = n else { panic!("{n:?}") };
    assert_eq!(folder_id, inbox(&alice).id());
    assert_eq!(message_class, "IPM.Note");
    assert!(bob.address_types().unwrap().iter().any(|t| t == "SMTP"));
}

#[test]
fn a_dropped_stream_ends_its_subscription_and_frees_the_server_handle() {
    let env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let (_a, actor) = env.logon("alice");
    let f = actor.ipm_subtree().unwrap().create_folder("Dropped", None, false).unwrap();
    let mut kept = watcher.advise_stream(AdviseTarget::Folder(f.id()), fnev::OBJECT_CREATED).unwrap();
    let dropped = watcher.advise_stream(AdviseTarget::Folder(f.id()), fnev::OBJECT_CREATED).unwrap();
    let objects = env.real.server().state.sessions.object_count();
    drop(dropped);
    // The next event finds the stream gone; its handle is released with the store's next call.
    save_message(&f, "one");
    object(next(&mut kept, "the other subscription still works"));
    let deadline = Instant::now() + PATIENCE;
    loop {
        watcher.get_props(&[PR_DISPLAY_NAME]).unwrap();
        let now = env.real.server().state.sessions.object_count();
        if now == objects - 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the subscription handle was not released ({now} objects, was {objects})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The last word of a stream the server refused: the CriticalError it ends with (whatever its
/// mask), after which it closes.
fn refusal(s: &mut NotificationStream, what: &str) -> oxmapi_core::ErrorCode {
    let deadline = Instant::now() + PATIENCE;
    let code = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match s.recv_timeout(left) {
            Some(Notification::CriticalError { code, .. }) => break code,
            Some(_) => continue,
            None => panic!("{what}: no refusal within {PATIENCE:?} (closed: {})", s.is_closed()),
        }
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while !s.is_closed() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.is_closed(), "{what}: the stream closes after its refusal");
    code
}

#[test]
fn a_revoked_grant_ends_the_delegates_stream_with_the_refusal() {
    let env = Env::new();
    env.real.data.directory().unwrap().grant_full_access("alice", "svc").unwrap();
    let (svc, _) = env.logon("svc");
    let alice_dn = env.real.data.directory().unwrap().user("alice").unwrap().unwrap().legacy_dn;
    let theirs = svc.open_msg_store(&svc.create_store_entry_id(&alice_dn)).unwrap();
    let mut s =
        theirs.advise_stream(AdviseTarget::Folder(inbox(&theirs).id()), fnev::OBJECT_CREATED).unwrap();

    env.real.data.directory().unwrap().revoke_full_access("alice", "svc").unwrap();

    assert_eq!(refusal(&mut s, "revoked"), codes::EC_LOGIN_PERM);
}

#[test]
fn a_disabled_account_ends_the_stream_instead_of_retrying() {
    let env = Env::new();
    let (_w, watcher) = env.logon("alice");
    let mut s = watcher.advise_stream(AdviseTarget::Store, fnev::OBJECT_CREATED).unwrap();

    env.real.data.directory().unwrap().set_enabled("alice", false).unwrap();

    assert_eq!(refusal(&mut s, "disabled"), codes::MAPI_E_LOGON_FAILED);
}

/// A hostile peer between the client and the real server: forwards each request on its own
/// upstream connection (one per client connection, so NTLM holds) until `kill` is set; from
/// then on answers every request as a server does for a context the administrator ended:
/// X-ResponseCode 10 with `X-Oxmapi-Context-Ended: killed`.
mod kill_proxy {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// Reads one HTTP message (head, then a Content-Length or chunked body) whole.
    async fn read_message<S: AsyncRead + Unpin>(s: &mut S) -> Option<Vec<u8>> {
        let mut buf = Vec::new();
        let mut b = [0u8; 8192];
        let end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            let n = s.read(&mut b).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&b[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()));
        let complete = |buf: &[u8]| match length {
            Some(len) => buf.len() >= end + len,
            None if head.contains("transfer-encoding: chunked") => buf[end..].ends_with(b"0\r\n\r\n"),
            None => true,
        };
        while !complete(&buf) {
            let n = s.read(&mut b).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&b[..n]);
        }
        Some(buf)
    }

    /// Starts the proxy in front of `upstream`; returns its base URL and the kill switch.
    pub async fn start(upstream: std::net::SocketAddr) -> (String, Arc<AtomicBool>) {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let kill = Arc::new(AtomicBool::new(false));
        let killed = kill.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = l.accept().await {
                let killed = killed.clone();
                tokio::spawn(async move {
                    let mut up: Option<TcpStream> = None;
                    while let Some(req) = read_message(&mut client).await {
                        let resp = if killed.load(Ordering::SeqCst) {
                            let body = "<html><body>ended by the administrator</body></html>";
                            format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-ResponseCode: 10\r\n\
                                 X-Oxmapi-Context-Ended: killed\r\nContent-Length: {}\r\n\r\n{body}",
                                body.len()
                            )
                            .into_bytes()
                        } else {
                            if up.is_none() {
                                up = TcpStream::connect(upstream).await.ok();
                            }
                            let Some(u) = up.as_mut() else { return };
                            if u.write_all(&req).await.is_err() {
                                return;
                            }
                            let Some(resp) = read_message(u).await else { return };
                            resp
                        };
                        if client.write_all(&resp).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (url, kill)
    }
}

/// Issue 15: the administrator ends the session (the server answers with X-ResponseCode 10 and
/// `X-Oxmapi-Context-Ended: killed`): the NotificationWait thread does not reconnect; every
/// subscription ends with MAPI_E_END_OF_SESSION naming the administrator (so `oxmapi watch`
/// exits non-zero), and every later call on the session fails the same way.
#[test]
fn a_session_killed_by_the_administrator_ends_instead_of_reconnecting() {
    let env = Env::new();
    let (url, kill) = env.real.rt.block_on(kill_proxy::start(env.real.server().addr));
    let profiles = oxmapi_client::profile::ProfileStore::open(env.real.home.path()).unwrap();
    profiles.create_with("proxied", |p| p.add_msems_service(Some(&url), Some("alice")).map(|_| ())).unwrap();
    let o = LogonOptions { password: Some(PW.into()), client_version: None };
    let mapi = Mapi::with_profiles(profiles);
    let s = mapi.logon_ex(None, Some("proxied"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
    let store = default_store(&s).unwrap();
    let mut stream = store.advise_stream(AdviseTarget::Store, fnev::OBJECT_CREATED).unwrap();
    kill.store(true, std::sync::atomic::Ordering::SeqCst);
    // The current wait ends within notification_wait_max (2 s); the next one hears the kill.
    let deadline = Instant::now() + PATIENCE;
    let mut last = None;
    while !stream.is_closed() && Instant::now() < deadline {
        if let Some(n) = stream.recv_timeout(Duration::from_millis(200)) {
            last = Some(n);
        }
    }
    assert!(stream.is_closed(), "the subscription did not end");
    match last {
        Some(Notification::CriticalError { code, reason }) => {
            assert_eq!(code, codes::MAPI_E_END_OF_SESSION);
            assert!(reason.contains("ended by the administrator"), "{reason}");
        }
        other => panic!("no CriticalError before the end: {other:?}"),
    }
    let e = store.receive_folder("IPM.Note").expect_err("a call on a killed session fails");
    assert_eq!(e.code, codes::MAPI_E_END_OF_SESSION, "{e}");
    assert!(e.message.contains("ended by the administrator"), "{e}");
}
