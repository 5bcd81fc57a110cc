//! Submission through the store (MS-OXOMSG 3.1.4.x): IMessage::SubmitMessage,
//! IMsgStore::AbortSubmit, the transport's address types and the Outbox.

use oxmapi_core::ids::ObjectId;
use oxmapi_wire::rop::oxomsg::{AbortSubmitRequest, SubmitMessageRequest, TransportHandleRequest};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::{Message, MsgStore, SaveFlags};
use crate::profile::MapiResult;

/// RopSubmitMessage `SubmitFlags`: None — the server's transport delivers it (MS-OXCROPS
/// 2.2.7.1.1).
const SUBMIT_FLAGS_NONE: u8 = 0x00;

impl Message {
    /// IMessage::SubmitMessage: saves the message (keeping it open) and hands it to the
    /// server's transport: RopSaveChangesMessage, then RopSubmitMessage, as Outlook sends them,
    /// but in one ROP buffer (MS-OXCROPS 3.1.4.1: a client may pack several ROPs into one
    /// request), so one round trip does both and no server crash between two requests can
    /// leave a saved but unsubmitted message in the Outbox (gromox refuses RopSubmitMessage on
    /// a message never saved, so the save is not left to the server). The server delivers the
    /// message to the recipients and then moves it to Sent Items (or deletes it when
    /// PR_DELETE_AFTER_SUBMIT is set). Returns the message id.
    pub fn submit(&mut self) -> MapiResult<ObjectId> {
        let logon_id = self.obj.logon_id();
        let folder = self.folder.as_ref().map(|f| f.handle);
        let mut c = self.obj.call(|b, slot| {
            let response = folder.map_or(slot, |h| b.input(h));
            let save = b.push(RopRequest::SaveChangesMessage(super::message::save_request(
                logon_id,
                response,
                slot,
                SaveFlags::KeepOpenReadWrite,
            )));
            let submit = b.push(RopRequest::SubmitMessage(SubmitMessageRequest {
                logon_id,
                input_handle_index: slot,
                submit_flags: SUBMIT_FLAGS_NONE,
            }));
            Ok((save, submit))
        })?;
        let (save, submit) = c.value;
        let saved = expect_rop!(c.result.take(save)?, SaveChangesMessage)?;
        self.mid = Some(saved.message_id);
        expect_rop!(c.result.take(submit)?, SubmitMessage)?;
        Ok(saved.message_id)
    }
}

impl MsgStore {
    /// IMsgStore::AbortSubmit: takes a submitted message back before the transport handled
    /// it (MAPI_E_UNABLE_TO_ABORT once it did).
    pub fn abort_submit(&self, fid: ObjectId, mid: ObjectId) -> MapiResult<()> {
        let resp = self.on_logon(|logon_id, slot| {
            RopRequest::AbortSubmit(AbortSubmitRequest {
                logon_id,
                input_handle_index: slot,
                folder_id: fid,
                message_id: mid,
            })
        })?;
        expect_rop!(resp, AbortSubmit)?;
        Ok(())
    }

    /// The address types the server's transport delivers to (RopGetAddressTypes).
    pub fn address_types(&self) -> MapiResult<Vec<String>> {
        let resp = self.on_logon(|logon_id, slot| {
            RopRequest::GetAddressTypes(TransportHandleRequest { logon_id, input_handle_index: slot })
        })?;
        Ok(expect_rop!(resp, GetAddressTypes)?.address_types)
    }

    /// The folder new outgoing messages are created in (RopGetTransportFolder: the Outbox).
    pub fn transport_folder(&self) -> MapiResult<ObjectId> {
        let resp = self.on_logon(|logon_id, slot| {
            RopRequest::GetTransportFolder(TransportHandleRequest { logon_id, input_handle_index: slot })
        })?;
        Ok(expect_rop!(resp, GetTransportFolder)?.folder_id)
    }
}
