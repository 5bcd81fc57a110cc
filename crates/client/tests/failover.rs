//! Failover between the nodes of a site, against real servers on 127.0.0.1: two servers on one
//! data directory stand for two nodes, and the profile names both (Autodiscover's internal and
//! external mailbox URL, as a multi-node site publishes them). When the node holding the
//! session context dies, the client connects through the other node, registers its
//! subscriptions again there and tells their sinks of the gap with fnevCriticalError
//! (MS-OXCNOTIF 2.2.1.4.1.2; issue 16 item 5) — and never sends credentials to an endpoint whose
//! origin the user did not trust.

use std::time::{Duration, Instant};

use oxmapi_client::notify::{AdviseTarget, Notification, NotificationStream};
use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_client::store::{MsgStore, SaveFlags};
use oxmapi_client::transport::MapiHttpUrls;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::fnev;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::error::codes;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_server::Server;

mod common;
use common::{RealServer, default_store, user};

const PW: &str = "Secret-1";
const PATIENCE: Duration = Duration::from_secs(20);

/// Node A (the harness's server) and node B (a second server on the same site).
struct Site {
    real: RealServer,
    b: Option<Server>,
}

impl Site {
    fn new() -> Site {
        let real =
            RealServer::start(&[user("alice", PW)], |cfg| cfg.notification_wait_max = Duration::from_secs(2));
        let mut cfg = real.cfg.clone();
        cfg.listen = "127.0.0.1:0".parse().unwrap();
        let b = real.another_server(cfg);
        Site { real, b: Some(b) }
    }

    fn url_a(&self) -> String {
        self.real.server().url()
    }

    fn url_b(&self) -> String {
        self.b.as_ref().unwrap().url()
    }

    /// A profile `alice` whose server is node A, that knows alice's DN (so no Autodiscover runs
    /// at logon) and whose endpoint URLs name `internal` then node B; `internal`'s origin is
    /// trusted, node B's only when `trust_b`.
    fn profiles(&self, internal: &str, trust_b: bool) -> ProfileStore {
        let store = ProfileStore::open(self.real.home.path()).unwrap();
        let dn = self.real.data.directory().unwrap().require_user("alice").unwrap().legacy_dn;
        let b = self.url_b();
        store
            .create_with("alice", |p| {
                p.add_msems_service(Some(&self.url_a()), Some("alice"))?;
                p.set_profile_user(&dn);
                let urls = MapiHttpUrls {
                    mailstore_internal: Some(format!("{internal}/mapi/emsmdb/")),
                    mailstore_external: Some(format!("{b}/mapi/emsmdb/")),
                    addressbook_internal: Some(format!("{internal}/mapi/nspi/")),
                    addressbook_external: Some(format!("{b}/mapi/nspi/")),
                };
                p.set_mapihttp_urls(&urls, &format!("{internal}/autodiscover/autodiscover.xml"));
                // The first node's origin is the site's (trusted); node B's only when asked.
                let mut trusted = vec![internal.to_string()];
                if trust_b {
                    trusted.push(b.clone());
                }
                p.add_trusted_origins(&trusted)?;
                Ok(())
            })
            .unwrap();
        store
    }

    fn kill_a(&mut self) {
        let a = self.real.server.take().expect("node A runs");
        self.real.rt.block_on(a.stop());
    }

    fn sessions_on_b(&self) -> usize {
        self.b.as_ref().unwrap().state.sessions.len()
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(b) = self.b.take() {
            self.real.rt.block_on(b.stop());
        }
    }
}

fn logon(mapi: &Mapi) -> Result<(Session, MsgStore), oxmapi_core::MapiError> {
    let o = LogonOptions { password: Some(PW.into()), client_version: None };
    let s = mapi.logon_ex(None, Some("alice"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o)?;
    let store = default_store(&s)?;
    Ok((s, store))
}

fn save(store: &MsgStore, subject: &str) -> oxmapi_core::ids::ObjectId {
    let inbox = store.open_folder(store.receive_folder("IPM.Note").unwrap().0).unwrap();
    let mut m = inbox.create_message(false).unwrap();
    m.set_props(&[
        TaggedValue { tag: PR_MESSAGE_CLASS, value: PropValue::Unicode("IPM.Note".into()) },
        TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) },
    ])
    .unwrap();
    m.save_changes(SaveFlags::KeepOpenReadOnly).unwrap()
}

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

/// A port nothing listens on (bound, then released).
fn dead_origin() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

#[test]
fn a_logon_goes_through_the_other_node_when_the_first_does_not_answer() {
    let site = Site::new();
    let mapi = Mapi::with_profiles(site.profiles(&dead_origin(), true));
    let (_s, store) = logon(&mapi).expect("the logon fails over to node B");
    save(&store, "written through node B");
    assert_eq!(site.sessions_on_b(), 1, "the session context lives on node B");
}

#[test]
fn a_session_and_its_subscriptions_move_to_the_other_node_when_their_node_dies() {
    let mut site = Site::new();
    let url_a = site.url_a();
    let mapi = Mapi::with_profiles(site.profiles(&url_a, true));
    let (s, store) = logon(&mapi).unwrap();
    assert_eq!(site.sessions_on_b(), 0, "the session starts on node A");
    let mut stream =
        store.advise_stream(AdviseTarget::Store, fnev::OBJECT_CREATED | fnev::CRITICAL_ERROR).unwrap();
    let before = save(&store, "before the failure");
    let n = next_of(&mut stream, fnev::OBJECT_CREATED, "a save on node A");
    assert!(matches!(n, Notification::Object(o) if o.message_id == Some(before)));

    site.kill_a();
    // The NotificationWait connection notices first: the context moves to node B, the
    // subscription is registered there, and the sink hears of the gap.
    next_of(&mut stream, fnev::CRITICAL_ERROR, "told that events may be missing");
    assert_eq!(site.sessions_on_b(), 1, "the session context now lives on node B");
    // The old store object's handles died with node A: the next call says so, and a reopened
    // store works through node B.
    let e = store.open_folder(store.receive_folder("IPM.Note").map(|r| r.0).unwrap_or_default());
    if let Err(e) = e {
        assert!(
            [codes::MAPI_E_END_OF_SESSION, codes::MAPI_E_INVALID_OBJECT, codes::MAPI_E_NETWORK_ERROR]
                .contains(&e.code),
            "{e}"
        );
    }
    let store = default_store(&s).unwrap();
    let after = save(&store, "after the failure");
    let n = next_of(&mut stream, fnev::OBJECT_CREATED, "a save on node B reaches the moved subscription");
    assert!(matches!(n, Notification::Object(o) if o.message_id == Some(after)));
}

#[test]
fn failover_never_sends_credentials_to_an_untrusted_origin() {
    let site = Site::new();
    // Node B's URL came from Autodiscover but its origin was never trusted.
    let mapi = Mapi::with_profiles(site.profiles(&dead_origin(), false));
    let e = logon(&mapi).err().expect("no trusted endpoint answers");
    assert!(e.message.contains("trust") || e.message.contains("not trusted"), "{e}");
    assert_eq!(site.sessions_on_b(), 0, "nothing reached node B");
}

#[test]
fn the_address_book_binds_again_on_the_other_node_when_its_node_dies() {
    let mut site = Site::new();
    let url_a = site.url_a();
    let mapi = Mapi::with_profiles(site.profiles(&url_a, true));
    let (s, _store) = logon(&mapi).unwrap();
    let ab = s.open_address_book().unwrap();
    let before = ab.resolve_names(&["alice"], false).unwrap();
    assert!(before[0].is_ok(), "resolved through node A");

    site.kill_a();
    let after = ab.resolve_names(&["alice"], false).expect("the NSPI call moves to node B");
    assert!(after[0].is_ok(), "resolved through node B");
}
