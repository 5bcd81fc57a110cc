//! Notification conformance over MAPI/HTTP with raw oxmapi-wire (MS-OXCNOTIF 3.2.5): Advise
//! subscriptions made with RopRegisterNotification on the whole store, a folder and a message;
//! RopNotify at the end of Execute and RopPending when they do not fit; NotificationWait ending
//! as soon as an event is queued; TableModified for open contents tables (row by row: see
//! `table_notify.rs`); exact counts across
//! 1,000 rapid changes; releasing a subscription stops it.

mod common;

use std::time::{Duration, Instant};

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::emsmdb::{NotificationWaitRequest, NotificationWaitResponse};
use oxmapi_wire::rop::oxcnotif::{NotifyResponse, RegisterNotificationRequest, kind, table_event};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

fn register(input: u8, out: u8, types: u16, scope: Option<(ObjectId, ObjectId)>) -> RopRequest {
    RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        notification_types: types,
        reserved: None,
        want_whole_store: u8::from(scope.is_none()),
        scope,
    })
}

/// Creates and saves a message with `subject` in `fid` through `l`; returns its MID.
async fn save(l: &mut Logon, fid: ObjectId, subject: &str) -> ObjectId {
    let subject = TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode(subject.into()) };
    let (resp, _) =
        l.m.rops(
            &[
                req::create_message(0, 1, fid, false),
                req::set_props(1, vec![subject]),
                req::save_message(1, 1, 0),
                // Released, as a client does: a session may hold 250 open messages (the
                // per-session object limit, SECURITY.md).
                req::release(1),
            ],
            l.slots(1),
        )
        .await;
    let RopResponse::SaveChangesMessage(o) = &resp[2] else { panic!("{resp:?}") };
    o.body.as_ref().expect("saved").message_id
}

/// The RopNotify responses the driver set aside since the last call, and whether a RopPending
/// came with them.
fn take_notes(l: &mut Logon) -> (Vec<NotifyResponse>, bool) {
    let notes = std::mem::take(&mut l.m.notes);
    let pending = notes.iter().any(|r| matches!(r, RopResponse::Pending(_)));
    let notify = notes
        .into_iter()
        .filter_map(|r| match r {
            RopResponse::Notify(n) => Some(n),
            _ => None,
        })
        .collect();
    (notify, pending)
}

/// Empty Executes until nothing more is pending; every RopNotify, in order.
async fn drain(l: &mut Logon) -> Vec<NotifyResponse> {
    let (mut all, _) = take_notes(l);
    loop {
        l.m.rops(&[], vec![]).await;
        let (got, pending) = take_notes(l);
        all.extend(got);
        if !pending {
            return all;
        }
    }
}

async fn notification_wait(l: &mut Logon) -> (bool, Duration) {
    let t = Instant::now();
    let r = l
        .m
        .request("NotificationWait", NotificationWaitRequest { flags: 0, auxiliary_buffer: vec![] }.encode())
        .await;
    assert_eq!(r.response_code(), Some(0));
    let resp = NotificationWaitResponse::decode(&r.mapi_body()).unwrap();
    (resp.success().expect("success").is_event_pending(), t.elapsed())
}

#[tokio::test]
async fn advise_on_store_folder_and_message_scopes() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let deleted = watcher.deleted_items();
    let mid = save(&mut writer, inbox, "first").await;

    let all = kind::NEW_MAIL
        | kind::OBJECT_CREATED
        | kind::OBJECT_DELETED
        | kind::OBJECT_MODIFIED
        | kind::OBJECT_MOVED
        | kind::OBJECT_COPIED;
    let (resp, handles) = watcher
        .m
        .rops(
            &[
                register(0, 1, all, None),
                register(0, 2, kind::OBJECT_CREATED, Some((deleted, ObjectId::new(0, 0)))),
                register(0, 3, kind::OBJECT_MODIFIED | kind::OBJECT_DELETED, Some((inbox, mid))),
            ],
            watcher.slots(3),
        )
        .await;
    for r in &resp[..3] {
        assert!(matches!(r, RopResponse::RegisterNotification(o) if o.return_value == 0), "{r:?}");
    }
    let (store_h, folder_h, message_h) = (handles[1], handles[2], handles[3]);

    // Nothing yet: NotificationWait times out only after the server's maximum, so check the
    // queue with an Execute instead.
    assert!(drain(&mut watcher).await.is_empty());

    let second = save(&mut writer, deleted, "into deleted items").await;
    let (pending, took) = notification_wait(&mut watcher).await;
    assert!(pending && took < Duration::from_secs(2), "NotificationWait ends when an event is queued");
    let got = drain(&mut watcher).await;
    let created: Vec<&NotifyResponse> =
        got.iter().filter(|n| n.data.kind() == kind::OBJECT_CREATED).collect();
    assert_eq!(created.len(), 2, "the whole-store and the Deleted Items subscriptions: {got:?}");
    assert!(created.iter().any(|n| n.notification_handle == store_h));
    assert!(created.iter().any(|n| n.notification_handle == folder_h));
    for n in &created {
        assert_eq!(n.data.folder_id, Some(deleted));
        assert_eq!(n.data.message_id, Some(second));
    }
    assert!(
        got.iter().all(|n| n.notification_handle != message_h),
        "the message subscription is not about it"
    );
    let counts = got
        .iter()
        .find(|n| n.data.kind() == kind::OBJECT_MODIFIED && n.data.message_id.is_none())
        .expect("the folder's counts changed");
    assert_eq!(counts.data.folder_id, Some(deleted));
    assert_eq!(counts.data.total_message_count, Some(1));

    // The message scope: deleting the first message.
    let (resp, _) = writer
        .m
        .rops(&[req::open_folder(0, 1, inbox), req::delete_messages(1, vec![mid], true)], writer.slots(1))
        .await;
    assert!(matches!(&resp[1], RopResponse::HardDeleteMessages(o) if o.return_value == 0), "{resp:?}");
    let got = drain(&mut watcher).await;
    let on_message: Vec<_> = got.iter().filter(|n| n.notification_handle == message_h).collect();
    assert_eq!(on_message.len(), 1, "{got:?}");
    assert_eq!(on_message[0].data.kind(), kind::OBJECT_DELETED);
    assert_eq!(on_message[0].data.message_id, Some(mid));

    // Releasing the subscriptions stops them.
    watcher.m.rops(&[req::release(1), req::release(2), req::release(3)], handles.clone()).await;
    save(&mut writer, deleted, "after release").await;
    assert!(drain(&mut watcher).await.is_empty());
}

#[tokio::test]
async fn open_contents_tables_get_table_modified() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let (resp, handles) = watcher
        .m
        .rops(
            &[
                req::open_folder(0, 1, inbox),
                req::contents_table(1, 2, 0),
                req::set_columns(2, &[PR_SUBJECT]),
                req::query_rows(2, 10, true),
            ],
            watcher.slots(2),
        )
        .await;
    assert!(matches!(&resp[3], RopResponse::QueryRows(o) if o.return_value == 0), "{resp:?}");
    let table = handles[2];
    save(&mut writer, inbox, "row").await;
    let got = drain(&mut watcher).await;
    assert_eq!(got.len(), 1, "one row notification for the one new message: {got:?}");
    assert_eq!(got[0].notification_handle, table);
    assert_eq!(got[0].data.kind(), kind::TABLE_MODIFIED);
    assert_eq!(got[0].data.table_event_type, Some(table_event::TABLE_ROW_ADDED));
    // A change elsewhere is not this table's.
    save(&mut writer, watcher.deleted_items(), "elsewhere").await;
    assert!(drain(&mut watcher).await.is_empty());
}

#[tokio::test]
async fn a_thousand_rapid_changes_arrive_exactly_once_in_order() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut watcher = logon_private(&ts, &alice).await;
    let mut writer = logon_private(&ts, &alice).await;
    let inbox = watcher.inbox();
    let (_, handles) = watcher.m.rops(&[register(0, 1, kind::OBJECT_CREATED, None)], watcher.slots(1)).await;
    let sub = handles[1];
    let mut mids = Vec::new();
    for i in 0..1000 {
        mids.push(save(&mut writer, inbox, &format!("m{i}")).await);
    }
    // Small responses force RopPending and several Executes.
    let mut got = Vec::new();
    let mut executes = 0;
    loop {
        watcher.m.rops_limited(&[], vec![], 4096).await;
        executes += 1;
        let (notes, pending) = take_notes(&mut watcher);
        got.extend(notes);
        if !pending {
            break;
        }
    }
    assert!(executes > 1, "RopPending split the notifications over several Executes");
    assert!(got.iter().all(|n| n.notification_handle == sub));
    let seen: Vec<ObjectId> = got.iter().map(|n| n.data.message_id.unwrap()).collect();
    assert_eq!(seen, mids, "every change once, in commit order");
}
