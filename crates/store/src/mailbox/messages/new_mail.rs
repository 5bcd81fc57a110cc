//! RopTransportNewMail (MS-OXOMSG 2.2.5.5, 3.2.5.5): a client that placed a message in a folder
//! itself (a transport provider, or a client that delivered locally) asks the server to announce
//! it as new mail. The server raises fnevNewMail (MS-OXCNOTIF 2.2.1.4.1.2) for the message with
//! the folder, message class and flags the client gave; nothing in the store changes.

use oxmapi_core::ids::ObjectId;

use super::status::live_message_in;
use crate::error::StoreResult;
use crate::mailbox::MessageStore;
use crate::mailbox::commit::Durability;
use crate::mailbox::events::StoreEvent;

impl MessageStore {
    /// Announces message `mid` of folder `fid` as new mail (fnevNewMail with `message_flags`
    /// and `message_class`), after checking that it is a live message of that folder
    /// (NotFound otherwise: a client cannot announce mail that is not there).
    pub fn announce_new_mail(
        &self,
        fid: ObjectId,
        mid: ObjectId,
        message_flags: u32,
        message_class: &str,
    ) -> StoreResult<()> {
        self.write(Durability::Normal, |tx| {
            live_message_in(tx, fid, mid)?;
            self.record(StoreEvent::NewMail {
                fid,
                mid,
                message_flags,
                message_class: message_class.to_string(),
            });
            Ok(())
        })
    }
}
