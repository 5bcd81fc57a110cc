//! The change log across nodes (PostgreSQL only; skipped with a note on a site of files): a
//! change committed through one node's store reaches another node's store once, in commit
//! order, whether or not the wake-up arrived; rows swept before a store read them are reported
//! as a gap.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{site, user_with_mailbox};
use crate::db::Backend;
use crate::mailbox::SpecialFolder;
use crate::mailbox::events::StoreEvent;
use crate::{FolderType, MessageStore, Site, User};

/// One inner list per transaction the sink was handed.
type Log = Arc<Mutex<Vec<Vec<StoreEvent>>>>;

struct Node {
    store: MessageStore,
    log: Log,
    gaps: Arc<AtomicUsize>,
}

impl Node {
    fn open(site: &Site, node: u16, user: &User) -> Node {
        let mut site = site.clone();
        site.set_node(node);
        let store = site.open_mailbox(user).unwrap();
        let log = Log::default();
        let l = log.clone();
        store.set_event_sink(Some(Arc::new(move |e: &[StoreEvent]| l.lock().unwrap().push(e.to_vec()))));
        let gaps = Arc::new(AtomicUsize::new(0));
        let g = gaps.clone();
        store.set_gap_sink(Some(Arc::new(move || {
            g.fetch_add(1, Ordering::SeqCst);
        })));
        Node { store, log, gaps }
    }

    fn take(&self) -> Vec<Vec<StoreEvent>> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }

    fn folder(&self, name: &str) {
        let inbox = self.store.special_folder(SpecialFolder::Inbox).unwrap();
        self.store.create_folder(inbox, name, None, None, FolderType::Generic, false).unwrap();
    }
}

/// Two nodes' stores of one mailbox, or `None` (with a note) on a site of files.
fn two_nodes() -> Option<(tempfile::TempDir, Site, Node, Node)> {
    let (t, site) = site();
    if site.backend() != Backend::Postgres {
        eprintln!("skipped: the change log is PostgreSQL's (set OXMAPI_TEST_DATABASE)");
        return None;
    }
    let user = user_with_mailbox(&site, "alice");
    let a = Node::open(&site, 1, &user);
    let b = Node::open(&site, 2, &user);
    Some((t, site, a, b))
}

#[test]
fn a_change_on_one_node_reaches_the_other_once_in_commit_order() {
    let Some((_t, _site, a, b)) = two_nodes() else { return };
    a.folder("one");
    a.folder("two");
    a.folder("three");
    let made = a.take();
    assert_eq!(made.len(), 3, "{made:?}");
    assert!(b.take().is_empty(), "nothing reaches B before it catches up");
    assert_eq!(b.store.catch_up().unwrap(), 3);
    assert_eq!(b.take(), made, "B sees A's transactions, in A's commit order");
    assert_eq!(b.store.catch_up().unwrap(), 0);
    assert!(b.take().is_empty(), "each change once");
    assert_eq!(a.store.catch_up().unwrap(), 0, "A's cursor is past its own rows");
    assert!(a.take().is_empty(), "a node does not hear its own changes twice");
    assert_eq!(b.gaps.load(Ordering::SeqCst) + a.gaps.load(Ordering::SeqCst), 0);
}

#[test]
fn a_write_replays_the_other_nodes_earlier_changes_before_its_own() {
    let Some((_t, _site, a, b)) = two_nodes() else { return };
    a.folder("from-a");
    let from_a = a.take();
    b.folder("from-b");
    let seen = b.take();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0], from_a[0], "A's change first: it committed first");
    assert!(matches!(&seen[1][0], StoreEvent::Created { mid: None, .. }));
    assert_eq!(a.store.catch_up().unwrap(), 1, "A's cursor is past its own row: it reads B's");
    assert_eq!(a.take(), vec![seen[1].clone()], "and announces only B's");
}

#[test]
fn a_store_opened_later_starts_at_the_end_of_the_log() {
    let Some((_t, site, a, _b)) = two_nodes() else { return };
    a.folder("before");
    let user = site.directory().unwrap().user("alice").unwrap().unwrap();
    let c = Node::open(&site, 3, &user);
    assert_eq!(c.store.catch_up().unwrap(), 0, "what was committed before it opened is not news");
    a.folder("after");
    assert_eq!(c.store.catch_up().unwrap(), 1);
    assert_eq!(c.take(), a.take()[1..].to_vec());
}

#[test]
fn a_wake_up_names_the_mailbox_and_a_missed_one_is_covered_by_catching_up() {
    let Some((_t, site, a, b)) = two_nodes() else { return };
    let mut listener = site.change_listener().unwrap().expect("a PostgreSQL site listens");
    assert!(listener.wait(Duration::from_millis(50)).unwrap().is_empty());
    a.folder("woken");
    let woken = listener.wait(Duration::from_secs(5)).unwrap();
    assert_eq!(woken, vec![a.store.mailbox_number().unwrap()]);
    // No listener at all (the wake-up was lost): catching up finds the change anyway.
    drop(listener);
    a.folder("unheard");
    assert_eq!(b.store.catch_up().unwrap(), 2);
    assert_eq!(b.take(), a.take());
}

#[test]
fn one_query_names_the_stores_that_are_behind() {
    let Some((_t, site, a, b)) = two_nodes() else { return };
    let behind = |n: &Node| site.mailboxes_behind(&[n.store.log_cursor().unwrap()]).unwrap();
    let mbx = a.store.mailbox_number().unwrap();
    assert!(behind(&b).is_empty());
    a.folder("news");
    assert_eq!(behind(&b), vec![mbx]);
    assert!(behind(&a).is_empty(), "A wrote it: its cursor is past it");
    b.store.catch_up().unwrap();
    assert!(behind(&b).is_empty());
    // Rows swept past a cursor count too (the store must report the gap).
    a.folder("swept");
    std::thread::sleep(Duration::from_millis(20));
    site.sweep_change_log(Duration::ZERO).unwrap();
    assert_eq!(behind(&b), vec![mbx]);
    b.store.catch_up().unwrap();
    assert!(behind(&b).is_empty());
    assert!(site.mailboxes_behind(&[]).unwrap().is_empty());
}

#[test]
fn rows_swept_before_a_store_read_them_are_reported_as_a_gap() {
    let Some((_t, site, a, b)) = two_nodes() else { return };
    a.folder("lost");
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(site.sweep_change_log(Duration::ZERO).unwrap(), 1);
    assert_eq!(b.store.catch_up().unwrap(), 0);
    assert_eq!(b.gaps.load(Ordering::SeqCst), 1, "B is told it missed changes");
    assert!(b.take().is_empty());
    assert_eq!(a.gaps.load(Ordering::SeqCst), 0, "A had read past the swept row (its own)");
    // After the gap B follows again, and the gap is told once.
    a.folder("kept");
    assert_eq!(b.store.catch_up().unwrap(), 1);
    assert_eq!(b.take(), a.take()[1..].to_vec());
    assert_eq!(b.gaps.load(Ordering::SeqCst), 1);
    // A sweep that keeps young rows keeps them.
    assert_eq!(site.sweep_change_log(crate::mailbox::change_log::RETENTION).unwrap(), 0);
}
