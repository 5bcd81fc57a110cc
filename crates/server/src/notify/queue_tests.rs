//! The queue's bounds, order and table entries.

use super::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_wire::rop::oxcnotif::{NotificationData, kind, table_event};

fn n(handle: u32, k: u16) -> NotifyResponse {
    NotifyResponse {
        notification_handle: handle,
        logon_id: 0,
        data: NotificationData { flags: k, table_event_type: Some(1), ..Default::default() },
    }
}

#[test]
fn bounded_with_one_resync_per_handle() {
    let q = Queue::default();
    for _ in 0..CAPACITY + 500 {
        q.push(n(7, kind::TABLE_MODIFIED), || n(7, kind::TABLE_MODIFIED));
    }
    q.push(n(9, kind::TABLE_MODIFIED), || n(9, kind::TABLE_MODIFIED));
    assert_eq!(q.len(), CAPACITY + 2, "full queue plus one resync per handle");
    let mut total = 0;
    loop {
        let b = q.take_fitting(32 * 1024, 32 * 1024);
        if b.is_empty() {
            break;
        }
        total += b.len();
    }
    assert!(q.is_empty());
    assert!(total > 0);
}

#[test]
fn takes_only_what_fits_and_keeps_order() {
    let q = Queue::default();
    for h in 1..=3 {
        q.push(n(h, kind::TABLE_MODIFIED), || n(h, kind::TABLE_MODIFIED));
    }
    let one = {
        let mut w = Writer::new();
        RopResponse::Notify(n(1, kind::TABLE_MODIFIED)).encode(&mut w);
        w.len()
    };
    assert_eq!(q.take_fitting(one * 2 + 1, 32 * 1024).len(), one * 2);
    assert_eq!(q.len(), 1);
    q.forget(3);
    assert!(q.is_empty());
}

/// Resolves each event into one row notification (TableChanged when overflowed) and counts
/// its calls.
#[derive(Default)]
struct Echo {
    calls: Mutex<usize>,
}

impl TableResolver for Echo {
    fn resolve(&self, take: &mut dyn FnMut() -> Batch) -> Option<Vec<NotificationData>> {
        *self.calls.lock().unwrap() += 1;
        let b = take();
        if b.overflowed {
            return Some(vec![data::table_changed()]);
        }
        Some(
            b.events
                .iter()
                .map(|e| NotificationData {
                    flags: kind::TABLE_MODIFIED,
                    table_event_type: Some(table_event::TABLE_ROW_DELETED),
                    table_row_folder_id: Some(e.fid()),
                    ..Default::default()
                })
                .collect(),
        )
    }
}

fn deleted(f: u64) -> StoreEvent {
    StoreEvent::Deleted {
        fid: ObjectId::new(1, f),
        mid: None,
        parent_fid: ObjectId::new(1, 1),
        associated: false,
    }
}

/// The handles and (for row notifications) the folder of every note taken.
fn take_all(q: &Queue) -> Vec<(u32, u64)> {
    q.resolve_all();
    let bytes = q.take_fitting(usize::MAX, usize::MAX);
    let mut r = oxmapi_core::codec::Reader::new(&bytes);
    let ctx = oxmapi_wire::rop::ResponseContext::default();
    let mut out = Vec::new();
    while !r.is_empty() {
        let RopResponse::Notify(n) = RopResponse::decode(&mut r, &ctx).unwrap() else { panic!() };
        out.push((n.notification_handle, n.data.table_row_folder_id.map_or(0, |f| f.global_counter)));
    }
    out
}

#[test]
fn table_events_resolve_where_they_arrived() {
    let q = Queue::default();
    let echo = Arc::new(Echo::default());
    q.track(7, 0, echo.clone());
    q.push(n(1, kind::OBJECT_MODIFIED), || n(1, kind::OBJECT_MODIFIED));
    q.push_table(7, 0, &deleted(10));
    q.push(n(2, kind::OBJECT_MODIFIED), || n(2, kind::OBJECT_MODIFIED));
    q.push_table(7, 0, &deleted(11));
    assert_eq!(q.len(), 3, "one entry for the table's raw events");
    assert_eq!(take_all(&q), vec![(1, 0), (7, 10), (7, 11), (2, 0)]);
    assert_eq!(*echo.calls.lock().unwrap(), 1);
    assert!(q.is_empty());
}

#[test]
fn too_many_table_events_coalesce_into_one_table_changed() {
    let q = Queue::default();
    q.track(7, 0, Arc::new(Echo::default()));
    for i in 0..TABLE_EVENTS as u64 + 50 {
        q.push_table(7, 0, &deleted(i));
    }
    assert_eq!(take_all(&q), vec![(7, 0)], "one TableChanged");
}

#[test]
fn a_full_queue_keeps_one_resync_for_a_table() {
    let q = Queue::default();
    q.track(7, 0, Arc::new(Echo::default()));
    for _ in 0..CAPACITY {
        q.push(n(1, kind::OBJECT_MODIFIED), || n(1, kind::OBJECT_MODIFIED));
    }
    for i in 0..10 {
        q.push_table(7, 0, &deleted(i));
    }
    assert_eq!(q.len(), CAPACITY + 1);
    let got = take_all(&q);
    assert_eq!(got.len(), CAPACITY + 1);
    assert_eq!(got.last(), Some(&(7, 0)), "the resync, last");
}

#[test]
fn forgetting_a_table_drops_its_events() {
    let q = Queue::default();
    let echo = Arc::new(Echo::default());
    q.track(7, 0, echo.clone());
    q.push_table(7, 0, &deleted(1));
    q.forget(7);
    assert!(q.is_empty());
    assert!(take_all(&q).is_empty());
    assert_eq!(*echo.calls.lock().unwrap(), 0);
    // Untracked now: a TableChanged at once.
    q.push_table(7, 0, &deleted(2));
    assert_eq!(take_all(&q), vec![(7, 0)]);
}

/// A RopNotify too big for any response, with `kind` and `event`.
fn huge(handle: u32, event: u16) -> NotifyResponse {
    NotifyResponse {
        notification_handle: handle,
        logon_id: 0,
        data: NotificationData {
            flags: kind::TABLE_MODIFIED,
            table_event_type: Some(event),
            table_row_folder_id: Some(ObjectId::new(1, 5)),
            insert_after_table_row_folder_id: Some(ObjectId::ZERO),
            table_row_data: Some(vec![0; 40_000]),
            ..Default::default()
        },
    }
}

#[test]
fn a_notification_too_big_for_any_response_is_replaced_by_its_resync() {
    let q = Queue::default();
    let changed = || NotifyResponse { notification_handle: 7, logon_id: 0, data: data::table_changed() };
    q.push(huge(7, table_event::TABLE_ROW_ADDED), changed);
    q.push(n(9, kind::OBJECT_MODIFIED), || n(9, kind::OBJECT_MODIFIED));
    let bytes = q.take_fitting(1000, 32 * 1024 - 100);
    assert!(q.is_empty(), "nothing stays stuck");
    let mut r = oxmapi_core::codec::Reader::new(&bytes);
    let ctx = oxmapi_wire::rop::ResponseContext::default();
    let mut got = Vec::new();
    while !r.is_empty() {
        let RopResponse::Notify(n) = RopResponse::decode(&mut r, &ctx).unwrap() else { panic!() };
        got.push((n.notification_handle, n.data.table_event_type));
    }
    assert_eq!(got, vec![(9, None), (7, Some(table_event::TABLE_CHANGED))]);
}

#[test]
fn new_columns_turn_queued_row_notifications_into_one_table_changed() {
    let q = Queue::default();
    let small = |h: u32, e: u16| {
        let mut x = huge(h, e);
        x.data.table_row_data = Some(vec![0; 4]);
        x
    };
    let resync = || n(7, kind::TABLE_MODIFIED);
    q.push(small(7, table_event::TABLE_ROW_ADDED), resync);
    q.push(n(9, kind::OBJECT_MODIFIED), || n(9, kind::OBJECT_MODIFIED));
    q.push(small(7, table_event::TABLE_ROW_MODIFIED), resync);
    q.push(small(8, table_event::TABLE_ROW_ADDED), || n(8, kind::TABLE_MODIFIED));
    q.columns_changed(7);
    let bytes = q.take_fitting(usize::MAX, usize::MAX);
    let mut r = oxmapi_core::codec::Reader::new(&bytes);
    let ctx = oxmapi_wire::rop::ResponseContext::default();
    let mut got = Vec::new();
    while !r.is_empty() {
        let RopResponse::Notify(n) = RopResponse::decode(&mut r, &ctx).unwrap() else { panic!() };
        got.push((n.notification_handle, n.data.table_event_type));
    }
    assert_eq!(
        got,
        vec![(7, Some(table_event::TABLE_CHANGED)), (9, None), (8, Some(table_event::TABLE_ROW_ADDED)),]
    );
}

/// An Execute with no ROP is answered without a store read only while no table waits to be
/// resolved (`emsmdb::execute`): otherwise empty Executes would never resolve it.
#[test]
fn unresolved_table_events_are_told_until_resolved() {
    let q = Queue::default();
    let echo = Arc::new(Echo::default());
    q.track(7, 0, echo.clone());
    q.push(n(1, kind::OBJECT_MODIFIED), || n(1, kind::OBJECT_MODIFIED));
    assert!(!q.has_unresolved(), "an Advise notification needs no store read");
    q.push_table(7, 0, &deleted(10));
    assert!(q.has_unresolved());
    // Taking without resolving stops at the table.
    assert!(!q.take_fitting(usize::MAX, usize::MAX).is_empty());
    assert!(q.has_unresolved() && !q.is_empty());
    q.resolve_all();
    assert!(!q.has_unresolved());
    assert_eq!(take_all(&q), vec![(7, 10)]);
}

/// Another node's changes were swept from the change log before this node read them
/// (`notify::change_log`): every subscription of the mailbox is told to reread — an open table
/// gets one TableChanged in place of whatever it had waiting, an Advise sink ObjectModified of
/// its folder (the root folder for a whole-store sink) with the properties unlisted — and the
/// subscriptions of other mailboxes hear nothing.
#[test]
fn a_gap_in_the_change_log_tells_every_subscription_of_the_mailbox_to_reread() {
    use crate::notify::{Hub, Scope, Target};
    use oxmapi_core::guid::Guid;
    use oxmapi_wire::rop::oxcnotif::ChangedTags;

    let hub = Arc::new(Hub::default());
    let q = Arc::new(Queue::default());
    let (mailbox, other) = (Guid([1; 16]), Guid([2; 16]));
    let root = ObjectId::new(1, 1);
    q.track(7, 0, Arc::new(Echo::default()));
    let _table = hub.register(mailbox, &q, 7, 0, Target::Contents(ObjectId::new(1, 5)));
    let _store =
        hub.register(mailbox, &q, 8, 0, Target::Advise { mask: kind::OBJECT_CREATED, scope: Scope::Store });
    let folder = ObjectId::new(1, 9);
    let _folder = hub.register(
        mailbox,
        &q,
        9,
        0,
        Target::Advise { mask: kind::OBJECT_CREATED, scope: Scope::Folder(folder) },
    );
    let _elsewhere =
        hub.register(other, &q, 10, 0, Target::Advise { mask: kind::OBJECT_CREATED, scope: Scope::Store });
    q.push_table(7, 0, &deleted(10));
    hub.gap_sink(mailbox, root)();

    q.resolve_all();
    let bytes = q.take_fitting(usize::MAX, usize::MAX);
    let mut r = oxmapi_core::codec::Reader::new(&bytes);
    let ctx = oxmapi_wire::rop::ResponseContext::default();
    let mut got = Vec::new();
    while !r.is_empty() {
        let RopResponse::Notify(n) = RopResponse::decode(&mut r, &ctx).unwrap() else { panic!() };
        got.push(n);
    }
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].notification_handle, 7);
    assert_eq!(got[0].data.table_event_type, Some(table_event::TABLE_CHANGED), "{got:?}");
    for (n, fid) in [(&got[1], root), (&got[2], folder)] {
        assert_eq!(n.data.kind(), kind::OBJECT_MODIFIED, "{n:?}");
        assert_eq!(n.data.folder_id, Some(fid));
        assert_eq!(n.data.tags, Some(ChangedTags::Unlisted));
    }
    assert_eq!((got[1].notification_handle, got[2].notification_handle), (8, 9));
}
