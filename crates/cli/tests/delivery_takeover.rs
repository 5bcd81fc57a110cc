//! A node dies holding deliveries (issue 16 items 4–5): two `oxmapi serve` processes on one
//! PostgreSQL database; bob submits 20 messages to eight recipients through node 1
//! (RopSaveChangesMessage + RopSubmitMessage, MS-OXOMSG 3.2.5.1), and node 1 gets SIGKILL as
//! soon as the last RopSubmitMessage is acknowledged, its worker in the middle of the queue.
//! Node 2 must finish every submission within a delivery lease plus its poll interval (and some
//! slack for a debug build): each recipient gets each message exactly once, and bob's Sent Items
//! holds each original exactly once, with nothing left queued.
//!
//! Needs `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` (scripts/pg-test-cluster.sh); without
//! it the test prints why and passes (a site of files has one node).

#[allow(dead_code)]
mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi};
use oxmapi_client::store::{Recipient, RecipientType};
use oxmapi_core::catalogue::tags::{PR_BODY, PR_MESSAGE_CLASS, PR_SUBJECT};
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_server::delivery::{DELIVERY_LEASE, QUEUE_POLL};
use oxmapi_store::db::pg::testing::{TestDatabase, test_server};
use oxmapi_store::{NewUser, Site, SpecialFolder, User};

const PW: &str = "takeover-password-1";
const MESSAGES: usize = 20;
const RECIPIENTS: usize = 8;
/// What a debug build needs on top of the lease and the poll interval.
const SLACK: Duration = Duration::from_secs(15);

/// A node: its process, killed when dropped.
struct Node {
    child: Child,
    url: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_node(db: &str, n: u16, work: &Path) -> Node {
    let port_file = work.join(format!("port{n}"));
    let log = std::fs::File::create(work.join(format!("node{n}.log"))).unwrap();
    let child = Command::new(common::OX)
        .args([
            "serve",
            "--database",
            db,
            "--node-id",
            &n.to_string(),
            "--listen",
            "127.0.0.1:0",
            "--port-file",
        ])
        .arg(&port_file)
        .current_dir(work)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starting oxmapi serve");
    let url = common::server_url(&port_file);
    Node { child, url }
}

/// The subjects in folder `which` of `user`'s mailbox, with how often each is there.
fn subjects(site: &Site, user: &User, which: SpecialFolder) -> BTreeMap<String, usize> {
    let store = site.open_mailbox(user).unwrap();
    let mut out = BTreeMap::new();
    for m in store.contents(store.special_folder(which).unwrap(), false).unwrap() {
        let s = match store.message_property(m, PR_SUBJECT).unwrap() {
            Some(PropValue::Unicode(s)) => s,
            other => format!("{other:?}"),
        };
        *out.entry(s).or_insert(0) += 1;
    }
    out
}

#[test]
fn deliveries_held_by_a_killed_node_are_finished_by_another_exactly_once() {
    let Some(server) = test_server() else {
        eprintln!("skipped: OXMAPI_TEST_DATABASE not set (two nodes need a PostgreSQL site)");
        return;
    };
    let db = TestDatabase::create(&server).unwrap();
    let url = db.url();
    let work = tempfile::tempdir().unwrap();
    let site = Site::connect(&url).unwrap();
    let add =
        |name: &str| site.add_user(&NewUser { name: name.into(), password: PW.into(), ..Default::default() });
    let bob = add("bob").unwrap();
    let rcpts: Vec<User> = (0..RECIPIENTS).map(|i| add(&format!("rcpt{i}")).unwrap()).collect();
    let domain = site.directory().unwrap().effective_setting("domain").unwrap();

    let one = start_node(&url, 1, work.path());
    let two = start_node(&url, 2, work.path());
    let home = work.path().join("home");
    ProfileStore::open(&home)
        .unwrap()
        .create_with("b1", |p| {
            p.add_msems_service(Some(&one.url), Some("bob"))?;
            Ok(())
        })
        .unwrap();
    let mapi = Mapi::with_profiles(ProfileStore::open(&home).unwrap());
    let options = LogonOptions { password: Some(PW.into()), client_version: None };
    let session = mapi.logon_ex(None, Some("b1"), MAPI_EXTENDED | MAPI_NEW_SESSION, &options).unwrap();
    let row = session.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
    let store = session.open_msg_store(&row.entry_id).unwrap();
    let outbox = store.open_folder(store.transport_folder().unwrap()).unwrap();
    let to: Vec<Recipient> =
        rcpts.iter().map(|u| Recipient::smtp(RecipientType::To, &format!("{}@{domain}", u.name))).collect();
    for k in 0..MESSAGES {
        let mut m = outbox.create_message(false).unwrap();
        m.set_props(&[
            TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
            TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(format!("burst {k:02}")) },
            TaggedValue { tag: PR_BODY, value: PropValue::Unicode("x".repeat(2000)) },
        ])
        .unwrap();
        m.add_recipients(&to).unwrap();
        m.submit().unwrap();
    }
    // Node 1 dies the moment the last submission is acknowledged.
    let mut one = one;
    one.child.kill().unwrap();
    one.child.wait().unwrap();
    let killed = Instant::now();
    let left = site.open_mailbox(&bob).unwrap().pending_submissions().unwrap();
    eprintln!(
        "at the kill: {} of {MESSAGES} submissions still queued ({} claimed)",
        left.len(),
        left.iter().filter(|s| s.claimed).count()
    );

    let deadline = DELIVERY_LEASE + QUEUE_POLL + SLACK;
    loop {
        let queued = site.open_mailbox(&bob).unwrap().pending_submissions().unwrap().len();
        if queued == 0 {
            break;
        }
        assert!(
            killed.elapsed() < deadline,
            "{queued} submissions still queued {:?} after node 1 died; node 2's log:\n{}",
            killed.elapsed(),
            std::fs::read_to_string(work.path().join("node2.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!("node 2 finished the queue {:?} after the kill", killed.elapsed());
    let all: BTreeMap<String, usize> = (0..MESSAGES).map(|k| (format!("burst {k:02}"), 1)).collect();
    for u in &rcpts {
        assert_eq!(subjects(&site, u, SpecialFolder::Inbox), all, "{}'s Inbox", u.name);
    }
    assert_eq!(subjects(&site, &bob, SpecialFolder::SentItems), all, "bob's Sent Items");
    assert!(subjects(&site, &bob, SpecialFolder::Outbox).is_empty());
    drop(two);
}
