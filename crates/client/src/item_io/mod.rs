//! Moving messages between a store and the file formats' in-memory form
//! ([`oxmapi_pst::item::Message`]): [`ItemIo::read`] turns an open [`Message`] (its properties,
//! large ones read through streams, recipients, attachments, embedded messages and named
//! properties) into an item that the MSG and MIME writers take; [`ItemIo::write`] creates a new
//! message in a [`Folder`] from an item that the PST, MSG or MIME readers produced.
//!
//! Only the public object API of [`crate::store`] is used (IMessage, IAttach, IMAPIProp and
//! the logon's GetIDsFromNames / GetNamesFromIDs), so the same code serves every store a
//! profile opens.
//!
//! Named properties: an item's ids ≥ 0x8000 are local to the item and mapped by name
//! ([`oxmapi_pst::item::Message::names`]); a store's are the store's own (MS-OXCPRPT 3.1.4.1).
//! [`ItemIo`] keeps the store's mapping it learned, so that many messages cost one
//! RopGetPropertyIdsFromNames per new name, not one per message.

mod names;
mod read;
mod writable;
mod write;

pub use writable::{writable_attachment_property, writable_message_property};

use crate::MsgStore;
use names::NameCache;

/// How deep embedded messages are followed (a message in an attachment of a message …): past
/// it, the read or write fails with MAPI_E_TOO_COMPLEX naming the depth.
pub const MAX_EMBEDDED_DEPTH: usize = 32;

/// Converts messages of one store to and from [`oxmapi_pst::item::Message`].
pub struct ItemIo<'s> {
    store: &'s MsgStore,
    names: NameCache,
}

impl<'s> ItemIo<'s> {
    /// A converter for messages of `store`.
    pub fn new(store: &'s MsgStore) -> ItemIo<'s> {
        ItemIo { store, names: NameCache::default() }
    }

    /// The store.
    pub fn store(&self) -> &'s MsgStore {
        self.store
    }

    /// The store's property id of `name`, mapped (created) when new.
    pub fn store_id(&mut self, name: &oxmapi_core::named::PropertyName) -> crate::profile::MapiResult<u16> {
        let ids = self.names.store_ids(self.store, std::slice::from_ref(name))?;
        Ok(ids.get(name).copied().unwrap_or(0))
    }
}
