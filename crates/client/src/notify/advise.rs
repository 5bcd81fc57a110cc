//! Advise and Unadvise on a store's logon: RopRegisterNotification (MS-OXCNOTIF 3.1.4.1,
//! MS-OXCROPS 2.2.14.1) and the release of the subscription handle.

use std::sync::{Arc, Mutex};

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::rop::oxcnotif::RegisterNotificationRequest;
use oxmapi_wire::rop::request::RopRequest;

use super::registry::{Kind, Pending, Sink};
use super::{AdviseTarget, Connection, waiter};
use crate::profile::MapiResult;
use crate::store::StoreLink;
use crate::store::batch::expect_rop;

/// The `fnev*` bits that exist on the wire (NewMail … TableModified; MS-OXCNOTIF 2.2.1.2.1.1).
const WIRE_EVENTS: u32 = 0x0000_01FE;

/// Subscribes `sink` to `mask` events of `target` on the store behind `link`, and starts the
/// session's NotificationWait thread.
pub(crate) fn advise(
    link: &Arc<StoreLink>,
    target: AdviseTarget,
    mask: u32,
    sink: Sink,
) -> MapiResult<Connection> {
    if link.is_local() {
        // A Personal Folders store has no server to send events, and does not report
        // STORE_NOTIFY_OK in PR_STORE_SUPPORT_MASK.
        return Err(oxmapi_core::MapiError::new(
            oxmapi_core::error::codes::MAPI_E_NO_SUPPORT,
            "a Personal Folders (PST) store sends no notifications; watch a store of the MSEMS service",
        ));
    }
    let session = link.session();
    let notifier = session.notifier();
    let c = notifier.add(link.logon_id, mask, sink, Kind::Advise { store: Arc::downgrade(link), target });
    let p = Pending { connection: c, store: link.clone(), target, mask, again: false };
    if let Err(e) = register(&p) {
        notifier.remove(c);
        return Err(e);
    }
    waiter::ensure_started(session);
    Ok(c)
}

/// Ends a subscription (IMsgStore::Unadvise); unknown connections are ignored.
pub(crate) fn unadvise(link: &Arc<StoreLink>, c: Connection) {
    if let Some((Some((generation, handle)), _)) = link.session().notifier().remove(c) {
        link.release_later(generation, handle);
    }
}

/// Routes the notifications of an open table (the server subscribed it when it opened the
/// table unless NoNotifications was set) to `sink`; rows are read in `columns`.
pub(crate) fn advise_table(
    link: &Arc<StoreLink>,
    generation: u64,
    handle: u32,
    mask: u32,
    columns: Arc<Mutex<Vec<PropTag>>>,
    sink: Sink,
) -> Connection {
    let session = link.session();
    let notifier = session.notifier();
    let c = notifier.add(link.logon_id, mask, sink, Kind::Table { columns });
    notifier.bind(c, generation, handle);
    waiter::ensure_started(session);
    c
}

/// Ends a table subscription (the table handle stays the table's).
pub(crate) fn unadvise_table(link: &Arc<StoreLink>, c: Connection) {
    link.session().notifier().remove(c);
}

/// Sends RopRegisterNotification for `p` and binds the handle it returns.
pub(crate) fn register(p: &Pending) -> MapiResult<()> {
    let logon_id = p.store.logon_id;
    let (want_whole_store, scope) = match p.target {
        AdviseTarget::Store => (1, None),
        AdviseTarget::Folder(f) => (0, Some((f, ObjectId::default()))),
        AdviseTarget::Message(f, m) => (0, Some((f, m))),
    };
    let mut out = 0;
    let mut c = p.store.call(None, |b, logon| {
        let input_handle_index = b.input(logon);
        out = b.output();
        Ok(b.push(RopRequest::RegisterNotification(RegisterNotificationRequest {
            logon_id,
            input_handle_index,
            output_handle_index: out,
            notification_types: (p.mask & WIRE_EVENTS) as u16,
            reserved: None,
            want_whole_store,
            scope,
        })))
    })?;
    expect_rop!(c.result.take(c.value)?, RegisterNotification)?;
    let handle = c.result.handle(out)?;
    let notifier = p.store.session().notifier();
    notifier.bind(p.connection, c.generation, handle);
    if p.again {
        notifier.critical_for(
            p.connection,
            "the session context was re-established and the subscription registered again; events in between may be missing",
        );
    }
    Ok(())
}
