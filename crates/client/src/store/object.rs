//! Server objects seen from the client: a handle in the session context's handle table, owned
//! by exactly one client object and released (lazily, with the next Execute) when it is
//! dropped.

use std::sync::Arc;

use super::batch::Batch;
use super::{Called, StoreLink};
use crate::profile::MapiResult;

/// A server object handle and the logon it belongs to.
pub(crate) struct ObjectHandle {
    pub(crate) link: Arc<StoreLink>,
    pub(crate) handle: u32,
    pub(crate) generation: u64,
}

impl ObjectHandle {
    /// Wraps a handle a call returned.
    pub(crate) fn new(link: &Arc<StoreLink>, handle: u32, generation: u64) -> ObjectHandle {
        ObjectHandle { link: link.clone(), handle, generation }
    }

    /// The logon id every request on this object carries.
    pub(crate) fn logon_id(&self) -> u8 {
        self.link.logon_id
    }

    /// Sends one batch built by `build(batch, slot of this object)`.
    pub(crate) fn call<T>(
        &self,
        mut build: impl FnMut(&mut Batch, u8) -> MapiResult<T>,
    ) -> MapiResult<Called<T>> {
        self.link.call(Some(self.generation), |b, _| {
            let slot = b.input(self.handle);
            build(b, slot)
        })
    }

    /// A new object handle from `slot` of a call's result.
    pub(crate) fn child<T>(&self, called: &Called<T>, slot: u8) -> MapiResult<ObjectHandle> {
        Ok(ObjectHandle::new(&self.link, called.result.handle(slot)?, called.generation))
    }
}

impl Drop for ObjectHandle {
    fn drop(&mut self) {
        self.link.release_later(self.generation, self.handle);
    }
}

/// What an entry ID opened (IMsgStore::OpenEntry).
pub enum Entry {
    /// A folder.
    Folder(super::Folder),
    /// A message.
    Message(super::Message),
}
