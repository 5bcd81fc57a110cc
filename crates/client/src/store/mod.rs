//! Message store objects (IMsgStore) over the MSEMS store provider: OpenMsgStore is RopLogon on
//! the session context (MS-OXCSTOR 3.1.4.1), properties come from RopGetPropertiesSpecific /
//! RopGetPropertiesAll on the logon object, and the logon is released when the object goes.

mod advise;
mod attachment;
pub(crate) mod batch;
mod folder;
mod message;
mod named;
mod object;
pub mod permissions;
pub(crate) mod props;
pub(crate) mod pst;
pub(crate) mod read_bound;
mod rules;
mod stream;
mod submit;
mod table;

use std::sync::{Arc, Mutex};

use oxmapi_core::MapiError;
use oxmapi_core::consts::{logon_rop_flags, open_flags};
use oxmapi_core::entryid::EntryId;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcrops::ReleaseRequest;
use oxmapi_wire::rop::oxcstor::{GetReceiveFolderRequest, LogonRequest, LogonResponse};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::profile::MapiResult;
use crate::session::Session;
use crate::session::msems::EmsmdbLink;
use crate::session::status::ProviderState;
use batch::{Batch, BatchResult, expect_rop};

pub use attachment::Attachment;
pub use folder::{Folder, FolderFlags};
pub use message::{Message, OpenMode, Recipient, RecipientType, SaveFlags};
pub use object::Entry;
pub use oxmapi_core::named::PropertyName;
pub use stream::{Stream, StreamMode};
pub use table::{Row, SeekOrigin, SortOrder, Table};

/// RopLogon `OpenFlags` of a home mailbox logon, as Outlook sends them
/// (HOME_LOGON | TAKE_OWNERSHIP | NO_MAIL | USE_PER_MDB_REPLID_MAPPING; MS-OXODLGT 4.1.1).
pub const PRIVATE_OPEN_FLAGS: u32 = open_flags::HOME_LOGON
    | open_flags::TAKE_OWNERSHIP
    | open_flags::NO_MAIL
    | open_flags::USE_PER_MDB_REPLID_MAPPING;
/// RopLogon `OpenFlags` of another user's mailbox (a delegate logon, MS-OXCSTOR 3.1.4.1): not
/// the home logon, no ownership.
pub const DELEGATE_OPEN_FLAGS: u32 = open_flags::USE_PER_MDB_REPLID_MAPPING;
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
    /// `ReplId`: the replica id of `replica_guid` in this logon's object ids.
    pub replica_id: u16,
    /// `ResponseFlags` (private logons).
    pub response_flags: u8,
}

/// The logon behind a [`MsgStore`] and every object opened through it: the session link, the
/// logon handle (re-established after a reconnect) and the handles waiting to be released.
pub(crate) struct StoreLink {
    session: Session,
    provider: &'static str,
    public: bool,
    pub(crate) logon_id: u8,
    essdn: Option<String>,
    open_flags: u32,
    /// (link generation, logon handle).
    logon: Mutex<(u64, u32)>,
    /// Handles of dropped objects, released with the next Execute (MS-OXCROPS 2.2.15.3).
    releases: Mutex<Vec<(u64, u32)>>,
    info: LogonInfo,
    /// A Personal Folders store: the batches run on the file, not on the session's link.
    local: Option<Mutex<pst::PstStore>>,
}

/// What a call on an object returned, with the link generation its new handles belong to.
pub(crate) struct Called<T> {
    pub value: T,
    pub result: BatchResult,
    pub generation: u64,
}

impl StoreLink {
    /// Builds and sends one batch. `build` gets the batch and the logon handle; `objects` is
    /// the generation the caller's handles belong to (`None` when the call uses the logon
    /// only). After a reconnect the logon is re-established; calls on older object handles
    /// fail with MAPI_E_END_OF_SESSION (the objects must be reopened).
    pub(crate) fn call<T>(
        &self,
        objects: Option<u64>,
        mut build: impl FnMut(&mut Batch, u32) -> MapiResult<T>,
    ) -> MapiResult<Called<T>> {
        if let Some(local) = &self.local {
            let mut b = Batch::new();
            let value = build(&mut b, pst::LOGON_HANDLE)?;
            self.append_releases(&mut b, LOCAL_GENERATION);
            let result = local.lock().unwrap_or_else(|e| e.into_inner()).run(b)?;
            return Ok(Called { value, result, generation: LOCAL_GENERATION });
        }
        self.session.with_link(self.provider, |link| {
            let mut attempt = 0;
            loop {
                let mut h = self.logon.lock().unwrap_or_else(|e| e.into_inner());
                if h.0 != link.generation {
                    let (g, handle, _) = logon(link, self.logon_id, self.open_flags, self.essdn.clone())?;
                    *h = (g, handle);
                    self.releases.lock().unwrap_or_else(|e| e.into_inner()).clear();
                }
                if let Some(g) = objects
                    && g != link.generation
                {
                    return Err(MapiError::new(
                        codes::MAPI_E_END_OF_SESSION,
                        "the object was opened before the session context was re-established; open it again",
                    ));
                }
                let mut b = Batch::new();
                let value = build(&mut b, h.1)?;
                self.append_releases(&mut b, link.generation);
                let generation = link.generation;
                match batch::run(link, b) {
                    Ok(result) => return Ok(Called { value, result, generation }),
                    // Reconnected after X-ResponseCode 10: a logon-only call is repeated once.
                    Err(e) if attempt == 0 && objects.is_none() && generation != link.generation => {
                        drop(e);
                        attempt += 1;
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }

    /// Adds a RopRelease for every handle of `generation` dropped since the last call.
    fn append_releases(&self, b: &mut Batch, generation: u64) {
        let pending: Vec<u32> = {
            let mut r = self.releases.lock().unwrap_or_else(|e| e.into_inner());
            r.drain(..).filter(|(g, _)| *g == generation).map(|(_, h)| h).collect()
        };
        for handle in pending {
            let slot = b.input(handle);
            b.push(RopRequest::Release(ReleaseRequest { logon_id: self.logon_id, input_handle_index: slot }));
        }
    }

    /// For a Personal Folders store, what a PST entry ID names ([MS-PST] 2.4.3.2): the node of
    /// a folder (parent `None`) or of a message with its folder. `None` for any other store.
    pub(crate) fn local_entry(&self, entry_id: &[u8]) -> Option<MapiResult<(u32, Option<u32>)>> {
        let local = self.local.as_ref()?;
        let store = local.lock().unwrap_or_else(|e| e.into_inner());
        Some(store.entry(entry_id))
    }

    /// True for a Personal Folders store (no server behind it: no notifications).
    pub(crate) fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// The session.
    pub(crate) fn session(&self) -> &Session {
        &self.session
    }

    /// Queues a handle for release with the next call.
    pub(crate) fn release_later(&self, generation: u64, handle: u32) {
        self.releases.lock().unwrap_or_else(|e| e.into_inner()).push((generation, handle));
    }
}

impl Drop for StoreLink {
    fn drop(&mut self) {
        // Releasing the logon ends its subscriptions on the server.
        self.session.notifier().remove_logon(self.logon_id);
        if self.local.is_some() {
            return;
        }
        let h = *self.logon.lock().unwrap_or_else(|e| e.into_inner());
        let logon_id = self.logon_id;
        // Releasing the logon releases every object opened through it (MS-OXCROPS 2.2.15.3).
        let _ = self.session.with_link(self.provider, |link| {
            if link.generation == h.0 {
                let req = RopRequest::Release(ReleaseRequest { logon_id, input_handle_index: 0 });
                let _ = execute(link, &[req], &[h.1]);
            }
            Ok(())
        });
    }
}

/// The link generation of a Personal Folders store's objects (it never reconnects).
const LOCAL_GENERATION: u64 = 0;

/// An open message store (IMsgStore).
pub struct MsgStore {
    pub(crate) link: Arc<StoreLink>,
    entry_id: Vec<u8>,
}

fn rop_failed(rop: &str, code: u32) -> MapiError {
    batch::rop_error(rop, code)
}

/// Executes one ROP buffer on the link (no batching, no re-logon): RopLogon and the final
/// release of a logon.
pub(crate) fn execute(
    link: &mut EmsmdbLink,
    requests: &[RopRequest],
    handles: &[u32],
) -> MapiResult<(Vec<RopResponse>, Vec<u32>)> {
    let mut b = Batch::new();
    b.handles = handles.to_vec();
    for r in requests {
        b.push(r.clone());
    }
    let out = batch::run(link, b)?;
    Ok((out.responses.into_iter().flatten().collect(), out.handles))
}

impl Session {
    /// IMAPISession::OpenMsgStore: RopLogon for the store named by a store entry ID from
    /// [`Session::msg_stores_table`] or [`Session::create_store_entry_id`] (another user's
    /// mailbox: the server requires a full-access grant, else ecLoginPerm). A disabled
    /// provider answers MAPI_E_FAILONEPROVIDER.
    pub fn open_msg_store(&self, entry_id: &[u8]) -> MapiResult<MsgStore> {
        if let Some(path) = pst::ids::parse_store_entry_id(entry_id) {
            return self.open_pst_store(&path, entry_id);
        }
        let parsed = EntryId::parse(entry_id).map_err(|e| {
            MapiError::new(codes::MAPI_E_INVALID_ENTRYID, format!("not a store entry ID: {e}"))
        })?;
        let EntryId::Store(store) = parsed else {
            return Err(MapiError::new(codes::MAPI_E_INVALID_ENTRYID, "not a store entry ID"));
        };
        let public = store.is_public();
        let provider = if public { "EMS_MDB_public" } else { "EMS_MDB_private" };
        self.with_link(provider, |link| {
            // An entry ID naming no mailbox (made before the DN was known) means this session's.
            let other = store
                .mailbox_dn
                .as_ref()
                .filter(|dn| !dn.is_empty() && !dn.eq_ignore_ascii_case(&link.legacy_dn));
            let essdn = (!public).then(|| other.cloned().unwrap_or_else(|| link.legacy_dn.clone()));
            let open_flags = match (public, other) {
                (true, _) => PUBLIC_OPEN_FLAGS,
                (false, Some(_)) => DELEGATE_OPEN_FLAGS,
                (false, None) => PRIVATE_OPEN_FLAGS,
            };
            let logon_id = self.next_logon_id();
            let (generation, handle, info) = logon(link, logon_id, open_flags, essdn.clone())?;
            let link = StoreLink {
                session: self.clone(),
                provider,
                public,
                logon_id,
                essdn,
                open_flags,
                logon: Mutex::new((generation, handle)),
                releases: Mutex::new(Vec::new()),
                info,
                local: None,
            };
            Ok(MsgStore { link: Arc::new(link), entry_id: entry_id.to_vec() })
        })
    }

    /// OpenMsgStore on a Personal Folders store of the profile: the file is opened here, with
    /// no server involved. A PST that is not a store of this session's profile is
    /// MAPI_E_NOT_FOUND (add it with `oxmapi profile add-service`).
    fn open_pst_store(&self, path: &str, entry_id: &[u8]) -> MapiResult<MsgStore> {
        let Some((name, _, service)) = self.profile().pst_stores().into_iter().find(|(_, p, _)| p == path)
        else {
            return Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("{path} is not a Personal Folders store of profile {:?}", self.profile().name),
            ));
        };
        let provider =
            self.profile().service_by_uid(&service).and_then(|s| s.providers.first()).map(|p| p.uid);
        // A provider whose store failed to open stays disabled for the session (as MAPI
        // disables a failed provider): later opens answer MAPI_E_FAILONEPROVIDER with the cause.
        if let Some(ProviderState::Disabled(e)) = provider.and_then(|p| self.provider_state(&p)) {
            return Err(self.disabled_provider_error(&name, &e));
        }
        let opened = pst::PstStore::open(path, &name, entry_id.to_vec());
        if let Some(p) = provider {
            let state = match &opened {
                Ok(_) => ProviderState::Available,
                Err(e) => ProviderState::Disabled(e.clone()),
            };
            self.set_provider_state_of(&p, state);
        }
        let (store, info) = opened?;
        let link = StoreLink {
            session: self.clone(),
            provider: PST_PROVIDER,
            public: false,
            logon_id: self.next_logon_id(),
            essdn: None,
            open_flags: 0,
            logon: Mutex::new((LOCAL_GENERATION, pst::LOGON_HANDLE)),
            releases: Mutex::new(Vec::new()),
            info,
            local: Some(Mutex::new(store)),
        };
        Ok(MsgStore { link: Arc::new(link), entry_id: entry_id.to_vec() })
    }
}

/// The provider name a Personal Folders store's link carries (in errors).
const PST_PROVIDER: &str = "MSUPST MSP";

fn logon(
    link: &mut EmsmdbLink,
    logon_id: u8,
    open_flags: u32,
    essdn: Option<String>,
) -> MapiResult<(u64, u32, LogonInfo)> {
    let public = open_flags & open_flags::PUBLIC != 0;
    let req = RopRequest::Logon(LogonRequest {
        logon_id,
        output_handle_index: 0,
        logon_flags: if public { 0 } else { logon_rop_flags::PRIVATE },
        open_flags,
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
            replica_id: p.repl_id,
            response_flags: p.response_flags,
        },
        Some(LogonResponse::Public(p)) if o.return_value == 0 => LogonInfo {
            folder_ids: p.folder_ids,
            mailbox_guid: None,
            replica_guid: p.repl_guid,
            replica_id: p.repl_id,
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

/// Index of the IPM subtree ("Top of Information Store") among RopLogon's private FolderIds
/// (MS-OXCSTOR 2.2.1.1.3).
const IPM_SUBTREE_INDEX: usize = 3;
/// Index of the IPM subtree among a public logon's FolderIds ("IPM_SUBTREE").
const PUBLIC_IPM_SUBTREE_INDEX: usize = 1;
/// Index of the root folder among RopLogon's FolderIds, private (MS-OXCSTOR 2.2.1.1.3) and
/// public (2.2.1.1.4) alike: the top of the whole store.
const ROOT_FOLDER_INDEX: usize = 0;

impl MsgStore {
    /// The store entry ID it was opened with.
    pub fn entry_id(&self) -> &[u8] {
        &self.entry_id
    }

    /// True for the public folder store.
    pub fn is_public(&self) -> bool {
        self.link.public
    }

    /// What RopLogon returned.
    pub fn logon_info(&self) -> &LogonInfo {
        &self.link.info
    }

    /// The folder id of the IPM subtree, where the user-visible folders live.
    pub fn ipm_subtree_id(&self) -> ObjectId {
        let i = if self.link.public { PUBLIC_IPM_SUBTREE_INDEX } else { IPM_SUBTREE_INDEX };
        self.link.info.folder_ids[i]
    }

    /// The folder id of the store's root folder (above the IPM subtree: the whole store).
    pub fn root_folder_id(&self) -> ObjectId {
        self.link.info.folder_ids[ROOT_FOLDER_INDEX]
    }

    /// Runs one ROP on the logon object.
    fn on_logon(&self, make: impl Fn(u8, u8) -> RopRequest) -> MapiResult<RopResponse> {
        let logon_id = self.link.logon_id;
        let mut c = self.link.call(None, |b, logon| {
            let slot = b.input(logon);
            Ok(b.push(make(logon_id, slot)))
        })?;
        c.result.take(c.value)
    }

    /// IMAPIProp::GetProps: one value per tag (RowValue::NotFound / Error where the store has
    /// none); PtypUnspecified tags get the stored type, strings as Unicode.
    pub fn get_props(&self, tags: &[PropTag]) -> MapiResult<Vec<RowValue>> {
        props::get_props(&self.link, None, |b, logon| b.input(logon), tags)
    }

    /// IMAPIProp::GetProps with no tag list: every property (RopGetPropertiesAll).
    pub fn get_all_props(&self) -> MapiResult<Vec<TaggedValue>> {
        props::get_all_props(&self.link, None, |b, logon| b.input(logon))
    }

    /// IMAPIProp::SetProps on the store (RopSetProperties on the Logon object, MS-OXCPRPT
    /// 3.2.5.5), e.g. PidTagOutOfOfficeState: the per-property problems.
    pub fn set_props(&self, values: &[TaggedValue]) -> MapiResult<Vec<oxmapi_wire::cdata::PropertyProblem>> {
        let resp = self.on_logon(|logon_id, slot| {
            RopRequest::SetProperties(oxmapi_wire::rop::oxcprpt::SetPropertiesRequest {
                logon_id,
                input_handle_index: slot,
                property_values: values.to_vec(),
            })
        })?;
        Ok(batch::expect_rop!(resp, SetProperties)?.problems)
    }

    /// IMsgStore::GetReceiveFolder: the folder receiving `message_class` and the class matched.
    pub fn receive_folder(&self, message_class: &str) -> MapiResult<(ObjectId, String)> {
        let resp = self.on_logon(|logon_id, slot| {
            RopRequest::GetReceiveFolder(GetReceiveFolderRequest {
                logon_id,
                input_handle_index: slot,
                message_class: message_class.to_string(),
            })
        })?;
        let b = expect_rop!(resp, GetReceiveFolder)?;
        Ok((b.folder_id, b.explicit_message_class))
    }

    /// A [`Guid`] identifying this mailbox (private logons).
    pub fn mailbox_guid(&self) -> Option<Guid> {
        self.link.info.mailbox_guid
    }
}
