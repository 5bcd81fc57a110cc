//! Advise / Unadvise on stores, folders, messages and tables (IMsgStore::Advise,
//! IMAPITable::Advise; MS-OXCNOTIF 3.1.4). Sinks are callbacks (run on the session's
//! notification thread) or [`NotificationStream`]s.

use std::sync::{Arc, Mutex};

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

use super::{Folder, Message, MsgStore, Table};
use crate::notify::registry::Sink;
use crate::notify::{AdviseTarget, Connection, Notification, NotificationStream, advise};
use crate::profile::MapiResult;

fn stream() -> (Sink, tokio::sync::mpsc::UnboundedReceiver<Notification>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (Sink::Stream(tx), rx)
}

impl MsgStore {
    /// IMsgStore::Advise: `sink` gets the `mask` events (`fnev*` bits of
    /// `oxmapi_core::consts::fnev`) of `target` until [`MsgStore::unadvise`]. Add
    /// fnevCriticalError to hear when events may have been missed (the session context was
    /// re-established).
    pub fn advise(
        &self,
        target: AdviseTarget,
        mask: u32,
        sink: impl Fn(&Notification) + Send + Sync + 'static,
    ) -> MapiResult<Connection> {
        advise::advise(&self.link, target, mask, Sink::Callback(Arc::new(sink)))
    }

    /// Advise with an async stream as the sink; dropping the stream ends the subscription.
    pub fn advise_stream(&self, target: AdviseTarget, mask: u32) -> MapiResult<NotificationStream> {
        let (sink, rx) = stream();
        let connection = advise::advise(&self.link, target, mask, sink)?;
        Ok(NotificationStream { rx, connection })
    }

    /// IMsgStore::Unadvise.
    pub fn unadvise(&self, connection: Connection) {
        advise::unadvise(&self.link, connection);
    }
}

impl Folder {
    /// Advise on this folder (its own changes and its messages'), as a stream.
    pub fn advise_stream(&self, mask: u32) -> MapiResult<NotificationStream> {
        let (sink, rx) = stream();
        let connection = advise::advise(&self.obj.link, AdviseTarget::Folder(self.id()), mask, sink)?;
        Ok(NotificationStream { rx, connection })
    }
}

impl Message {
    /// Advise on this saved message, as a stream.
    pub fn advise_stream(&self, mask: u32) -> MapiResult<NotificationStream> {
        let (Some(fid), Some(mid)) = (self.folder_id(), self.id()) else {
            return Err(MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                "only a saved message in a folder can be watched; save it first",
            ));
        };
        let (sink, rx) = stream();
        let connection = advise::advise(&self.obj.link, AdviseTarget::Message(fid, mid), mask, sink)?;
        Ok(NotificationStream { rx, connection })
    }
}

impl Table {
    /// IMAPITable::Advise: the table's TableModified notifications (row added, deleted,
    /// modified with the row in the current columns, or TABLE_CHANGED) go to `sink` while the
    /// table is open.
    pub fn advise(&mut self, sink: impl Fn(&Notification) + Send + Sync + 'static) -> Connection {
        self.subscribe(Sink::Callback(Arc::new(sink)))
    }

    /// IMAPITable::Advise with a stream as the sink.
    pub fn advise_stream(&mut self) -> NotificationStream {
        let (sink, rx) = stream();
        let connection = self.subscribe(sink);
        NotificationStream { rx, connection }
    }

    /// IMAPITable::Unadvise.
    pub fn unadvise(&mut self, connection: Connection) {
        self.subscriptions.retain(|c| *c != connection);
        advise::unadvise_table(&self.obj.link, connection);
    }

    fn subscribe(&mut self, sink: Sink) -> Connection {
        let columns =
            self.shared_columns.get_or_insert_with(|| Arc::new(Mutex::new(self.columns.clone()))).clone();
        let mask = oxmapi_core::consts::fnev::TABLE_MODIFIED | oxmapi_core::consts::fnev::CRITICAL_ERROR;
        let c =
            advise::advise_table(&self.obj.link, self.obj.generation, self.obj.handle, mask, columns, sink);
        self.subscriptions.push(c);
        c
    }
}
