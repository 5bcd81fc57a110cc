//! The delivery worker on a site of several nodes (issue 16 items 4–5): a running node takes
//! over, through its poll of the site's queue, both the submission a dead node held (once that
//! node's lease ran out) and one made on a node whose worker is gone (no wake-up reached this
//! node), and delivers each exactly once.
//!
//! Needs `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT`: only a PostgreSQL site has several
//! nodes (a site of files has one, which resumes its queue at start-up). Without it the test
//! prints why and passes.

use std::time::{Duration, Instant};

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_server::delivery::QUEUE_POLL;
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::db::Backend;
use oxmapi_store::mailbox::delivery::{Claimant, Originator};
use oxmapi_store::settings::MailboxLimits;
use oxmapi_store::site::test_support::test_site;
use oxmapi_store::{NewUser, RecipientRow, Site, SpecialFolder, User};

fn text(tag: oxmapi_core::tag::PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

/// Queues a message from `from` to `to` straight in the store (as node 1 would); its
/// submission id.
fn queue(site: &Site, from: &User, to: &User, subject: &str) -> i64 {
    let s = site.open_mailbox(from).unwrap();
    let mut d = s.create_message(s.special_folder(SpecialFolder::Outbox).unwrap(), false).unwrap();
    s.set_properties(&mut d, &[text(PR_SUBJECT, subject)]).unwrap();
    let props = vec![
        text(PR_DISPLAY_NAME, &to.display_name),
        text(PR_ADDRTYPE, "EX"),
        text(PR_EMAIL_ADDRESS, &to.legacy_dn),
    ];
    s.modify_recipients(&mut d, vec![RecipientRow { row_id: 0, recipient_type: 1, props }]).unwrap();
    s.submit_message(&mut d, 0, &Originator::from(from), &MailboxLimits::UNLIMITED).unwrap().unwrap().id
}

fn subjects(site: &Site, user: &User, which: SpecialFolder) -> Vec<String> {
    let s = site.open_mailbox(user).unwrap();
    let mut out: Vec<String> = s
        .contents(s.special_folder(which).unwrap(), false)
        .unwrap()
        .into_iter()
        .map(|m| match s.message_property(m, PR_SUBJECT).unwrap() {
            Some(PropValue::Unicode(t)) => t,
            other => format!("{other:?}"),
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_running_node_delivers_what_a_dead_node_held_and_left_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = test_site(dir.path());
    if site.backend() != Backend::Postgres {
        eprintln!("skipped: OXMAPI_TEST_DATABASE not set (several nodes need a PostgreSQL site)");
        return;
    }
    let user = |name: &str| {
        site.add_user(&NewUser { name: name.into(), password: "pw-1234567".into(), ..Default::default() })
    };
    let (alice, bob) = (user("alice").unwrap(), user("bob").unwrap());
    // Node 7 claimed one submission for a short lease and died; node 1 queued another and died
    // before its worker woke up.
    let lease = Duration::from_millis(1500);
    let held = queue(&site, &alice, &bob, "held by node 7");
    let dead = Claimant { lease, ..Claimant::node(7) };
    assert!(site.open_mailbox(&alice).unwrap().claim_submission(held, &dead).unwrap().taken().is_some());
    let claimed = Instant::now();
    queue(&site, &alice, &bob, "left by node 1");

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut cfg = ServerConfig::new(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
    cfg.node_id = 2;
    let node2 = rt.block_on(Server::start_site(cfg, Some(site.clone()))).unwrap();

    // The unclaimed one goes at once (start-up look, or the next poll); the held one waits for
    // the lease.
    let deadline = Instant::now() + QUEUE_POLL + Duration::from_secs(5);
    while subjects(&site, &bob, SpecialFolder::Inbox).is_empty() {
        assert!(Instant::now() < deadline, "the unclaimed submission was not delivered");
        std::thread::sleep(Duration::from_millis(50));
    }
    if claimed.elapsed() < lease {
        assert_eq!(subjects(&site, &bob, SpecialFolder::Inbox), vec!["left by node 1".to_string()]);
    }
    let deadline = claimed + lease + QUEUE_POLL + Duration::from_secs(5);
    while !site.open_mailbox(&alice).unwrap().pending_submissions().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "node 2 did not take over node 7's submission");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(claimed.elapsed() >= lease, "node 7's live lease was not respected");
    let both = vec!["held by node 7".to_string(), "left by node 1".to_string()];
    assert_eq!(subjects(&site, &bob, SpecialFolder::Inbox), both);
    assert_eq!(subjects(&site, &alice, SpecialFolder::SentItems), both);
    // The state (its pooled connections) is dropped outside the runtime: the PostgreSQL client
    // must not close connections on a runtime thread.
    let state = node2.state.clone();
    rt.block_on(node2.stop());
    drop(rt);
    drop(state);
}
