//! RopRegisterNotification (MS-OXCNOTIF 3.2.5.1; MS-OXCROPS 2.2.14.1) and the table
//! subscriptions every hierarchy and contents table gets (MS-OXCNOTIF 3.1.4.3), plus the
//! RopNotify / RopPending tail of an Execute response (MS-OXCNOTIF 3.2.5.5.3).

use std::sync::Arc;

use oxmapi_core::codec::Writer;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_wire::rop::buffer::RopBuffer;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::oxcnotif::{NOTIFICATION_EXTENDED, PendingResponse, RegisterNotificationRequest};
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{STALE, ServerObject, Slots, SubscriptionObject};
use super::oxcfold::new_object;
use super::{Env, RopResult, RopSession};
use crate::notify::queue::PENDING_LEN;
use crate::notify::{Queue, Scope, TableTracker, TableWatch, Target};

// The row sources the table notifications read (`notify::rows`).
pub(crate) use super::oxcfold::hierarchy_rows;
pub(crate) use super::table_rows::contents_rows;

/// The notification types a subscription may ask for (fnevNewMail … fnevTableModified).
const KNOWN_TYPES: u16 = 0x01FE;

/// RopRegisterNotification: an Advise subscription on the logon's store (`WantWholeStore`), a
/// folder (`MessageId` 0) or a message, for the NotificationTypes asked. The subscription lives
/// as long as its handle; its RopNotify responses carry that handle.
pub fn register_notification(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &RegisterNotificationRequest,
) -> RopResult {
    let h = slots.handle(q.input_handle_index)?;
    let logon = rs.handles.get(h).ok_or(codes::EC_NULL_OBJECT)?.logon().clone();
    let mask = q.notification_types & !NOTIFICATION_EXTENDED;
    if mask == 0 || mask & !KNOWN_TYPES != 0 {
        return Err(codes::MAPI_E_INVALID_PARAMETER);
    }
    let scope = match q.scope {
        None => Scope::Store,
        Some((fid, mid)) if mid.is_zero() => Scope::Folder(fid),
        Some((_, mid)) => Scope::Message(mid),
    };
    let mailbox = logon.store.mailbox_guid();
    let logon_id = logon.logon_id;
    let handle = new_object(
        rs,
        slots,
        q.output_handle_index,
        ServerObject::Subscription(SubscriptionObject { logon, registration: None }),
    )?;
    let reg = env.state.hub.register(mailbox, &rs.events, handle, logon_id, Target::Advise { mask, scope });
    if let Some(ServerObject::Subscription(s)) = rs.handles.get_mut(handle) {
        s.registration = Some(reg);
    }
    Ok(RopResponse::RegisterNotification(Outcome::ok(q.output_handle_index, Empty)))
}

/// Subscribes the table at `handle` to the notifications of its folder (MS-OXCNOTIF 3.1.4.3):
/// its queue entry resolves raw events through a [`TableTracker`], which from now on keeps the
/// table's rows between ROPs.
///
/// The table's rows were read before the hub knew it: a change committed in between reaches
/// no queue. So when the store's generation moved since the rows' (or cannot be read), the
/// rows are marked stale ([`STALE`]) and the table's first ROP reloads them; every later
/// change is queued.
pub fn subscribe_table(env: &Env<'_>, rs: &mut RopSession, handle: u32, target: Target) {
    let Some(ServerObject::Table(t)) = rs.handles.get_mut(handle) else { return };
    let (mailbox, logon_id) = (t.logon.store.mailbox_guid(), t.logon.logon_id);
    let tracker = Arc::new(TableTracker::new(t));
    rs.events.track(handle, logon_id, tracker.clone());
    let registration = env.state.hub.register(mailbox, &rs.events, handle, logon_id, target);
    if t.logon.store.generation().ok() != Some(t.generation) {
        t.generation = STALE;
    }
    t.notifications = Some(TableWatch { registration, tracker: tracker.clone(), view: false });
    tracker.park(t);
}

/// The table target of a folder's contents or hierarchy table.
pub fn table_target(hierarchy: bool, fid: ObjectId) -> Target {
    if hierarchy { Target::Hierarchy(fid) } else { Target::Contents(fid) }
}

/// Appends the queued notifications that fit to an Execute's ROP output (`limit`: the most
/// bytes the ROP buffer may take), then RopPending when some remain and it fits. The tables'
/// raw events are resolved into row notifications first.
pub fn append_notifications(out: &mut RopBuffer, queue: &Queue, limit: usize, session_index: u16) {
    queue.resolve_all();
    append_resolved_notifications(out, queue, limit, session_index);
}

/// [`append_notifications`] without resolving the tables' raw events (no store read): the
/// notifications from the first unresolved table on stay queued, and RopPending tells the
/// client to send another Execute for them.
pub fn append_resolved_notifications(out: &mut RopBuffer, queue: &Queue, limit: usize, session_index: u16) {
    let fixed = 2 + 4 * out.handles.len();
    let used = fixed + out.rops.len();
    let room = limit.saturating_sub(used + PENDING_LEN);
    let notes = queue.take_fitting(room, limit.saturating_sub(fixed + PENDING_LEN));
    out.rops.extend_from_slice(&notes);
    if !queue.is_empty() && used + notes.len() + PENDING_LEN <= limit {
        let mut w = Writer::new();
        RopResponse::Pending(PendingResponse { session_index }).encode(&mut w);
        out.rops.extend_from_slice(&w.into_vec());
    }
}

#[cfg(test)]
#[path = "oxcnotif_tests.rs"]
mod tests;
