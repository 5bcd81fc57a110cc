//! Message store objects (IMsgStore) over the MSEMS store provider: OpenMsgStore is RopLogon on
//! the session context (MS-OXCSTOR 3.1.4.1), properties come from RopGetPropertiesSpecific /
//! RopGetPropertiesAll on the logon object, and the logon is released when the object goes.

use std::sync::Mutex;

use oxmapi_core::consts::{logon_rop_flags, open_flags};
use oxmapi_core::entryid::EntryId;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_core::{ErrorCode, MapiError};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::emsmdb::MAX_ROP_OUT;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::{GetPropertiesAllRequest, GetPropertiesSpecificRequest};
use oxmapi_wire::rop::oxcrops::ReleaseRequest;
use oxmapi_wire::rop::oxcstor::{GetReceiveFolderRequest, LogonRequest, LogonResponse};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::profile::MapiResult;
use crate::session::Session;
use crate::session::msems::EmsmdbLink;
use crate::transport::TransportError;

/// RopLogon `OpenFlags` of a home mailbox logon, as Outlook sends them
/// (HOME_LOGON | TAKE_OWNERSHIP | NO_MAIL | USE_PER_MDB_REPLID_MAPPING; MS-OXODLGT 4.1.1).
pub const PRIVATE_OPEN_FLAGS: u32 = open_flags::HOME_LOGON
    | open_flags::TAKE_OWNERSHIP
    | open_flags::NO_MAIL
    | open_flags::USE_PER_MDB_REPLID_MAPPING;
/// RopLogon `OpenFlags` of a public folder logon.
pub const PUBLIC_OPEN_FLAGS: u32 =
    open_flags::PUBLIC | open_flags::HOME_LOGON | open_flags::USE_PER_MDB_REPLID_MAPPING;

/// Facts RopLogon returned.
#[derive(Clone, Debug)]
pub struct LogonInfo {
    /// The 13 `FolderIds`.
    pub folder_ids: [ObjectId; 13],
    /// `MailboxGuid` (private logons).
    pub mailbox_guid: Option<Guid>,
    /// `ReplGuid`.
    pub replica_guid: Guid,
    /// `ResponseFlags` (private logons).
    pub response_flags: u8,
}

/// An open message store.
pub struct MsgStore {
    session: Session,
    provider: &'static str,
    public: bool,
    logon_id: u8,
    entry_id: Vec<u8>,
    essdn: Option<String>,
    handle: Mutex<(u64, u32)>,
    info: LogonInfo,
}

fn rop_failed(rop: &str, code: u32) -> MapiError {
    MapiError::new(ErrorCode(code), format!("{rop} failed"))
}

/// Executes one ROP buffer on the link, reconnecting once when the server lost the context.
pub(crate) fn execute(
    link: &mut EmsmdbLink,
    requests: &[RopRequest],
    handles: &[u32],
) -> MapiResult<(Vec<RopResponse>, Vec<u32>)> {
    crate::transport::block_on(async {
        let out = match link.client.execute(requests, handles, MAX_ROP_OUT).await {
            Err(TransportError::ResponseCode { code: 10, .. }) => {
                link.reconnect().await?;
                return Err(MapiError::new(
                    codes::MAPI_E_END_OF_SESSION,
                    "the server had lost the session context; reconnected, the request must be repeated",
                ));
            }
            r => r.map_err(|e| e.to_mapi())?,
        };
        if out.error_code != 0 {
            return Err(MapiError::new(ErrorCode(out.error_code), "Execute failed on the server"));
        }
        Ok((out.responses, out.handles))
    })
}

impl Session {
    /// IMAPISession::OpenMsgStore: RopLogon for the store named by a store entry ID from
    /// [`Session::msg_stores_table`]. A disabled provider answers MAPI_E_FAILONEPROVIDER.
    pub fn open_msg_store(&self, entry_id: &[u8]) -> MapiResult<MsgStore> {
        let parsed = EntryId::parse(entry_id).map_err(|e| {
            MapiError::new(codes::MAPI_E_INVALID_ENTRYID, format!("not a store entry ID: {e}"))
        })?;
        let EntryId::Store(store) = parsed else {
            return Err(MapiError::new(codes::MAPI_E_INVALID_ENTRYID, "not a store entry ID"));
        };
        let public = store.is_public();
        let provider = if public { "EMS_MDB_public" } else { "EMS_MDB_private" };
        self.with_link(provider, |link| {
            let essdn = (!public).then(|| link.legacy_dn.clone());
            let logon_id = self.next_logon_id();
            let (generation, handle, info) = logon(link, logon_id, public, essdn.clone())?;
            Ok(MsgStore {
                session: self.clone(),
                provider,
                public,
                logon_id,
                entry_id: entry_id.to_vec(),
                essdn,
                handle: Mutex::new((generation, handle)),
                info,
            })
        })
    }
}

fn logon(
    link: &mut EmsmdbLink,
    logon_id: u8,
    public: bool,
    essdn: Option<String>,
) -> MapiResult<(u64, u32, LogonInfo)> {
    let req = RopRequest::Logon(LogonRequest {
        logon_id,
        output_handle_index: 0,
        logon_flags: if public { 0 } else { logon_rop_flags::PRIVATE },
        open_flags: if public { PUBLIC_OPEN_FLAGS } else { PRIVATE_OPEN_FLAGS },
        store_state: 0,
        essdn,
    });
    let (responses, handles) = execute(link, &[req], &[UNUSED_HANDLE])?;
    let Some(RopResponse::Logon(o)) = responses.into_iter().next() else {
        return Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "the server sent no RopLogon response"));
    };
    let info = match o.body {
        Some(LogonResponse::Private(p)) if o.return_value == 0 => LogonInfo {
            folder_ids: p.folder_ids,
            mailbox_guid: Some(p.mailbox_guid),
            replica_guid: p.repl_guid,
            response_flags: p.response_flags,
        },
        Some(LogonResponse::Public(p)) if o.return_value == 0 => LogonInfo {
            folder_ids: p.folder_ids,
            mailbox_guid: None,
            replica_guid: p.repl_guid,
            response_flags: 0,
        },
        Some(LogonResponse::Redirect { server_name, .. }) => {
            return Err(MapiError::new(
                codes::EC_WRONG_SERVER,
                format!("the mailbox lives on another server: {server_name}"),
            ));
        }
        _ => return Err(rop_failed("RopLogon", o.return_value)),
    };
    let handle = handles.first().copied().unwrap_or(UNUSED_HANDLE);
    Ok((link.generation, handle, info))
}

impl MsgStore {
    /// The store entry ID it was opened with.
    pub fn entry_id(&self) -> &[u8] {
        &self.entry_id
    }

    /// True for the public folder store.
    pub fn is_public(&self) -> bool {
        self.public
    }

    /// What RopLogon returned.
    pub fn logon_info(&self) -> &LogonInfo {
        &self.info
    }

    /// Runs one ROP on the logon object (logging on again first when the session context was
    /// re-established since).
    fn on_logon(&self, make: impl Fn(u8) -> RopRequest) -> MapiResult<RopResponse> {
        self.session.with_link(self.provider, |link| {
            let mut h = self.handle.lock().unwrap_or_else(|e| e.into_inner());
            let mut attempt = 0;
            loop {
                if h.0 != link.generation {
                    let (g, handle, _) = logon(link, self.logon_id, self.public, self.essdn.clone())?;
                    *h = (g, handle);
                }
                match execute(link, &[make(self.logon_id)], &[h.1]) {
                    Ok((responses, _)) => {
                        return responses.into_iter().next().ok_or_else(|| {
                            MapiError::new(codes::MAPI_E_CALL_FAILED, "the server sent no response")
                        });
                    }
                    // Reconnected after X-ResponseCode 10: log on again and repeat once.
                    Err(_) if attempt == 0 && h.0 != link.generation => attempt += 1,
                    Err(e) => return Err(e),
                }
            }
        })
    }

    /// IMAPIProp::GetProps: one value per tag (RowValue::NotFound / Error where the store has
    /// none); PtypUnspecified tags get the stored type, strings as Unicode.
    pub fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<RowValue>> {
        let resp = self.on_logon(|logon_id| {
            RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
                logon_id,
                input_handle_index: 0,
                property_size_limit: 0,
                want_unicode: 1,
                property_tags: tags.to_vec(),
            })
        })?;
        match resp {
            RopResponse::GetPropertiesSpecific(o) if o.return_value == 0 => match o.body.map(|b| b.row) {
                Some(Rows::Decoded { mut rows, .. }) if !rows.is_empty() => Ok(rows.swap_remove(0).values),
                _ => Err(MapiError::new(
                    codes::MAPI_E_CORRUPT_DATA,
                    "RopGetPropertiesSpecific returned no row",
                )),
            },
            RopResponse::GetPropertiesSpecific(o) => {
                Err(rop_failed("RopGetPropertiesSpecific", o.return_value))
            }
            _ => Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "unexpected response")),
        }
    }

    /// IMAPIProp::GetProps with no tag list: every property (RopGetPropertiesAll).
    pub fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        let resp = self.on_logon(|logon_id| {
            RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
                logon_id,
                input_handle_index: 0,
                property_size_limit: 0,
                want_unicode: 1,
            })
        })?;
        match resp {
            RopResponse::GetPropertiesAll(o) if o.return_value == 0 => {
                Ok(o.body.map(|b| b.property_values).unwrap_or_default())
            }
            RopResponse::GetPropertiesAll(o) => Err(rop_failed("RopGetPropertiesAll", o.return_value)),
            _ => Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "unexpected response")),
        }
    }

    /// IMsgStore::GetReceiveFolder: the folder receiving `message_class` and the class matched.
    pub fn receive_folder(&self, message_class: &str) -> MapiResult<(ObjectId, String)> {
        let resp = self.on_logon(|logon_id| {
            RopRequest::GetReceiveFolder(GetReceiveFolderRequest {
                logon_id,
                input_handle_index: 0,
                message_class: message_class.to_string(),
            })
        })?;
        match resp {
            RopResponse::GetReceiveFolder(o) if o.return_value == 0 => {
                let b = o.body.ok_or_else(|| MapiError::new(codes::MAPI_E_CORRUPT_DATA, "empty response"))?;
                Ok((b.folder_id, b.explicit_message_class))
            }
            RopResponse::GetReceiveFolder(o) => Err(rop_failed("RopGetReceiveFolder", o.return_value)),
            _ => Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "unexpected response")),
        }
    }
}

impl Drop for MsgStore {
    fn drop(&mut self) {
        let h = *self.handle.lock().unwrap_or_else(|e| e.into_inner());
        let logon_id = self.logon_id;
        let _ = self.session.with_link(self.provider, |link| {
            if link.generation == h.0 {
                let req = RopRequest::Release(ReleaseRequest { logon_id, input_handle_index: 0 });
                let _ = execute(link, &[req], &[h.1]);
            }
            Ok(())
        });
    }
}
