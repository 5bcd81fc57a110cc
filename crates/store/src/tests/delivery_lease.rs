//! Delivery leases (issue 16 items 4–5): the queue is claimed by one node at a time, survives
//! the death of the node holding a submission, and the submission resumed elsewhere delivers
//! nothing twice. "Nodes" here are workers with their own node id and their own store objects
//! (their own connections) on one site: one file per mailbox, or one PostgreSQL database when
//! OXMAPI_TEST_DATABASE is set.

use std::sync::{Barrier, Mutex as StdMutex};
use std::time::{Duration, Instant};

use super::*;
use crate::mailbox::delivery::lease::holding;

/// A worker of node `node` whose lease lasts `lease`.
fn node(node: u16, lease: Duration) -> Claimant {
    Claimant { node, lease, retry_after: Duration::ZERO }
}

impl Fx {
    /// Another node on the same site: its own directory connection and store objects.
    fn other_host(&self) -> Host {
        let dd = self.host.dd.clone();
        let dir = dd.directory().unwrap();
        Host { dd, dir, stores: Default::default(), events: Default::default(), broken: Default::default() }
    }

    /// [`Site::queued_mailboxes`] for `node`, where it means "claimable now" (PostgreSQL); in a
    /// site of files it lists every mailbox with a queue, so the mailboxes of this site with a
    /// claimable submission stand in.
    fn queued_for(&self, node: u16) -> Vec<Guid> {
        let queued = self.host.dd.queued_mailboxes(node).unwrap();
        if self.host.dd.backend() == crate::db::Backend::Postgres {
            return queued;
        }
        queued
            .into_iter()
            .filter(|g| {
                self.host.dd.open_mailbox_by_guid(g).unwrap().has_claimable_submissions(node).unwrap()
            })
            .collect()
    }

    fn subjects(&self, u: &User, which: SpecialFolder) -> Vec<String> {
        let s = self.store(u);
        let mut out: Vec<String> = s
            .contents(self.folder(u, which), false)
            .unwrap()
            .into_iter()
            .map(|m| as_text(s.message_property(m, PR_SUBJECT).unwrap()))
            .collect();
        out.sort();
        out
    }
}

/// Every element of `v` once.
fn assert_each_once(v: &[String], n: usize, what: &str) {
    let mut d = v.to_vec();
    d.dedup();
    assert_eq!(d.len(), v.len(), "{what}: duplicates in {v:?}");
    assert_eq!(v.len(), n, "{what}: {v:?}");
}

#[test]
fn concurrent_claims_of_one_submission_are_granted_to_exactly_one_node() {
    let f = fx();
    let (_, id) = f.submit("contested", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    const NODES: u16 = 6;
    let barrier = Barrier::new(NODES as usize);
    let claims: Vec<Claim> = std::thread::scope(|s| {
        let workers: Vec<_> = (1..=NODES)
            .map(|n| {
                let (barrier, store) = (&barrier, f.host.dd.open_mailbox(&f.alice).unwrap());
                s.spawn(move || {
                    barrier.wait();
                    store.claim_submission(id, &Claimant::node(n)).unwrap()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let taken: Vec<_> = claims.iter().filter(|c| matches!(c, Claim::Taken(_))).collect();
    assert_eq!(taken.len(), 1, "{claims:?}");
    assert!(claims.iter().all(|c| matches!(c, Claim::Taken(_) | Claim::Held)), "{claims:?}");
    let Claim::Taken(sub) = taken[0] else { unreachable!() };
    assert!(sub.claimed && sub.claimed_by.is_some() && sub.lease_until.is_some(), "{sub:?}");
    // The holder may claim again (a restarted node resumes its own work); nobody else may.
    let holder = Claimant::node(sub.claimed_by.unwrap());
    let alice = f.store(&f.alice);
    assert!(matches!(alice.claim_submission(id, &holder).unwrap(), Claim::Taken(_)));
    let other = Claimant::node(sub.claimed_by.unwrap() % NODES + 1);
    assert_eq!(alice.claim_submission(id, &other).unwrap(), Claim::Held);
    assert!(alice.renew_claim(id, &holder).unwrap());
    assert!(!alice.renew_claim(id, &other).unwrap(), "only the holder renews");
}

#[test]
fn two_nodes_racing_on_one_queue_never_both_deliver_a_submission() {
    let f = fx();
    const N: usize = 20;
    for i in 0..N {
        f.submit(
            &format!("race {i:02}"),
            vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_CC, &f.carol)],
            vec![],
        );
    }
    let ran = StdMutex::new(Vec::new());
    let barrier = Barrier::new(2);
    std::thread::scope(|s| {
        for n in [1u16, 2] {
            let (ran, barrier) = (&ran, &barrier);
            let host = f.other_host();
            let alice = host.mailbox(&f.alice).unwrap();
            s.spawn(move || {
                let host = &host;
                let who = node(n, DELIVERY_LEASE);
                barrier.wait();
                let deadline = Instant::now() + Duration::from_secs(60);
                while !alice.pending_submissions().unwrap().is_empty() {
                    assert!(Instant::now() < deadline, "the queue did not empty");
                    for sub in alice.pending_submissions().unwrap() {
                        let r = process_submission(host, &alice, &sub, &who).unwrap();
                        if r.ran {
                            ran.lock().unwrap().push((sub.id, n));
                        }
                    }
                }
            });
        }
    });
    let mut ran = ran.into_inner().unwrap();
    ran.sort();
    let ids: Vec<String> = ran.iter().map(|(id, _)| id.to_string()).collect();
    assert_each_once(&ids, N, "submissions run to their end");
    for u in [&f.bob, &f.carol] {
        assert_each_once(&f.subjects(u, SpecialFolder::Inbox), N, &u.name);
    }
    assert_each_once(&f.subjects(&f.alice, SpecialFolder::SentItems), N, "alice's Sent Items");
    assert!(f.subjects(&f.alice, SpecialFolder::Outbox).is_empty());
}

/// Node 1 claims a submission to bob, carol and dave, delivers to bob (and records it), delivers
/// to carol (and dies before recording it) and never renews. Node 2 leaves it alone while the
/// lease lasts, then finishes it: one copy each, one original in Sent Items, one report. When
/// node 1 comes back (a stall, not a death) it finds the submission gone and its lease lost.
#[test]
fn a_submission_held_by_a_dead_node_is_finished_elsewhere_exactly_once_after_its_lease() {
    let f = fx();
    let dave = f.host.dd.add_user(&new_user("dave")).unwrap();
    let rows = vec![
        ex(0, rt::MAPI_TO, &f.bob),
        ex(1, rt::MAPI_TO, &f.carol),
        ex(2, rt::MAPI_CC, &dave),
        smtp(3, rt::MAPI_CC, "nobody@example.com"),
    ];
    let (mid, id) = f.submit("held", rows, vec![]);
    let lease = Duration::from_millis(1500);
    let (one, two) = (node(1, lease), node(2, lease));
    // Node 1's work, then its death.
    let alice1 = f.host.dd.open_mailbox(&f.alice).unwrap();
    let sub = alice1.claim_submission(id, &one).unwrap().taken().unwrap();
    let claimed_at = Instant::now();
    let content = alice1.export_message(sub.mid).unwrap();
    let key = DeliveryKey { source: alice1.mailbox_guid(), submission_id: id, kind: DeliveryKind::Message };
    f.host.dd.open_mailbox(&f.bob).unwrap().deliver(&key, &content).unwrap();
    alice1.record_submission_progress(id, &f.bob.mailbox_guid.to_string()).unwrap();
    f.host.dd.open_mailbox(&f.carol).unwrap().deliver(&key, &content).unwrap();

    // Node 2, while the lease lasts: the submission waits, RopAbortSubmit still refuses.
    let host2 = f.other_host();
    let alice2 = host2.mailbox(&f.alice).unwrap();
    let run = process_pending(&host2, &alice2, &two, &mut Attempts::new()).unwrap();
    assert_eq!((run.ran, run.waiting), (0, 1));
    assert!(run.next_due.is_some_and(|d| d <= lease), "the worker looks again when the lease ends");
    assert!(claimed_at.elapsed() < lease, "the test was too slow to see the lease");
    assert!(f.subjects(&dave, SpecialFolder::Inbox).is_empty());
    assert_eq!(alice2.abort_submit(mid).unwrap(), AbortOutcome::UnableToAbort);
    assert!(!alice2.has_claimable_submissions(2).unwrap(), "nothing claimable for node 2 yet");
    assert_eq!(f.queued_for(2), vec![], "nothing claimable for node 2 yet");

    // After the lease: node 2 finds the mailbox and finishes the submission.
    std::thread::sleep(lease.saturating_sub(claimed_at.elapsed()) + Duration::from_millis(100));
    assert!(alice2.has_claimable_submissions(2).unwrap());
    assert_eq!(f.queued_for(2), vec![f.alice.mailbox_guid]);
    let run = process_pending(&host2, &alice2, &two, &mut Attempts::new()).unwrap();
    assert_eq!(run, PendingRun { ran: 1, ..PendingRun::default() });
    for u in [&f.bob, &f.carol, &dave] {
        assert_eq!(f.subjects(u, SpecialFolder::Inbox), vec!["held".to_string()], "{}", u.name);
    }
    assert_eq!(f.subjects(&f.alice, SpecialFolder::SentItems), vec!["held".to_string()]);
    let reports = f.subjects(&f.alice, SpecialFolder::Inbox);
    assert_eq!(reports.len(), 1, "one report about nobody@example.com: {reports:?}");
    assert!(alice2.pending_submissions().unwrap().is_empty());

    // Node 1 comes back: its lease is gone, its claim finds nothing, a late delivery is a no-op.
    assert!(!alice1.renew_claim(id, &one).unwrap());
    assert_eq!(alice1.claim_submission(id, &one).unwrap(), Claim::Gone);
    let late = f.host.dd.open_mailbox(&dave).unwrap().deliver(&key, &content).unwrap();
    assert!(matches!(late, Delivered::Already { .. }));
    assert!(alice1.finish_submission(id, alice1.special_folder(SpecialFolder::SentItems)).unwrap().is_none());
    assert_eq!(f.subjects(&f.alice, SpecialFolder::SentItems), vec!["held".to_string()], "moved once");
    assert_eq!(f.subjects(&dave, SpecialFolder::Inbox).len(), 1);
}

#[test]
fn a_live_holder_renews_its_lease_so_no_other_node_takes_the_submission() {
    let f = fx();
    let (_, id) = f.submit("kept", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    let lease = Duration::from_millis(600);
    let (one, two) = (node(1, lease), node(2, lease));
    let alice1 = f.host.dd.open_mailbox(&f.alice).unwrap();
    let alice2 = f.host.dd.open_mailbox(&f.alice).unwrap();
    alice1.claim_submission(id, &one).unwrap().taken().unwrap();
    // Node 1 works for four leases; node 2 keeps trying.
    let lost = holding(&alice1, id, &one, |watch| {
        let until = Instant::now() + lease * 4;
        while Instant::now() < until {
            assert_eq!(alice2.claim_submission(id, &two).unwrap(), Claim::Held);
            std::thread::sleep(Duration::from_millis(50));
        }
        watch.lost()
    });
    assert!(!lost);
    // Once the holder stops renewing, the lease runs out and node 2 may take it.
    std::thread::sleep(lease + Duration::from_millis(100));
    assert!(matches!(alice2.claim_submission(id, &two).unwrap(), Claim::Taken(_)));
}

/// A worker stalled past its lease (another node took the submission over) learns it at its next
/// renewal and stops before its next recipient: the new holder delivers the rest.
#[test]
fn a_worker_that_lost_its_lease_stops_and_leaves_the_rest_to_the_new_holder() {
    struct Slow<'a> {
        inner: &'a Host,
        slow: Guid,
        took_over: &'a dyn Fn(),
    }
    impl DeliveryHost for Slow<'_> {
        fn with_directory(&self, f: &mut dyn FnMut(&Directory) -> StoreResult<()>) -> StoreResult<()> {
            self.inner.with_directory(f)
        }
        fn mailbox(&self, user: &User) -> StoreResult<Arc<MessageStore>> {
            if user.mailbox_guid == self.slow {
                (self.took_over)();
            }
            self.inner.mailbox(user)
        }
    }
    let f = fx();
    let (_, id) = f.submit("stalled", vec![ex(0, rt::MAPI_TO, &f.bob), ex(1, rt::MAPI_TO, &f.carol)], vec![]);
    let lease = Duration::from_millis(600);
    let (one, two) = (node(1, lease), node(2, lease));
    let alice2 = f.host.dd.open_mailbox(&f.alice).unwrap();
    // While node 1 opens bob's mailbox, node 2 takes the submission (as after node 1's lease ran
    // out during a stall) and node 1's renewal notices.
    let took_over = || {
        let conn = alice2.lock().unwrap();
        conn.execute("UPDATE submissions SET claimed_by = 2 WHERE submission_id = ?1", [id]).unwrap();
        drop(conn);
        std::thread::sleep(one.renew_every() * 2);
    };
    let slow = Slow { inner: &f.host, slow: f.bob.mailbox_guid, took_over: &took_over };
    let alice1 = f.store(&f.alice);
    let sub = alice1.pending_submissions().unwrap().remove(0);
    let r = process_submission(&slow, &alice1, &sub, &one).unwrap();
    assert!(!r.ran && r.waiting, "{r:?}");
    assert!(f.subjects(&f.carol, SpecialFolder::Inbox).is_empty(), "node 1 stopped before carol");
    assert_eq!(alice2.pending_submissions().unwrap()[0].claimed_by, Some(2), "node 1 did not release it");
    // Node 2 finishes: bob's copy (made by node 1) is not repeated.
    let host2 = f.other_host();
    let run = process_pending(&host2, &host2.mailbox(&f.alice).unwrap(), &two, &mut Attempts::new()).unwrap();
    assert_eq!(run.ran, 1);
    for u in [&f.bob, &f.carol] {
        assert_eq!(f.subjects(u, SpecialFolder::Inbox), vec!["stalled".to_string()], "{}", u.name);
    }
    assert_eq!(f.subjects(&f.alice, SpecialFolder::SentItems).len(), 1);
}

#[test]
fn a_failed_run_pauses_the_submission_for_every_node_and_keeps_counting() {
    let f = fx();
    *f.host.broken.lock().unwrap() = Some(f.bob.mailbox_guid);
    let (mid, id) = f.submit("paused", vec![ex(0, rt::MAPI_TO, &f.bob)], vec![]);
    let one = Claimant { retry_after: Duration::from_secs(3600), ..node(1, DELIVERY_LEASE) };
    let alice = f.store(&f.alice);
    let mut attempts = Attempts::new();
    assert_eq!(process_pending(&f.host, &alice, &one, &mut attempts).unwrap().failed, 1);
    let sub = alice.pending_submissions().unwrap().remove(0);
    assert_eq!((sub.claimed, sub.claimed_by), (true, None), "released, but a run started");
    assert_eq!(alice.abort_submit(mid).unwrap(), AbortOutcome::UnableToAbort);
    // Neither node 1 nor node 2 runs it during the pause; node 1's failure count stays.
    *f.host.broken.lock().unwrap() = None;
    let run = process_pending(&f.host, &alice, &one, &mut attempts).unwrap();
    assert_eq!((run.ran, run.waiting), (0, 1));
    assert_eq!(attempts.get(&id), Some(&1));
    assert_eq!(alice.claim_submission(id, &node(2, DELIVERY_LEASE)).unwrap(), Claim::Held);
    assert!(!alice.has_claimable_submissions(1).unwrap());
    assert_eq!(f.queued_for(1), vec![]);
    if f.host.dd.backend() == crate::db::Backend::Sqlite {
        // The one node of a site of files, restarted now, still looks at the mailbox (and its
        // worker tries again after the pause); PostgreSQL nodes find it by their poll then.
        assert_eq!(f.host.dd.queued_mailboxes(1).unwrap(), vec![f.alice.mailbox_guid]);
    }
}
