//! Server-wide state shared by every connection: data directory, directory connection, session
//! contexts, open stores, metrics.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use oxmapi_core::guid::Guid;
use oxmapi_store::{Directory, MessageStore, Site, SpecialFolder, StoreResult, User};

use crate::auth::CredentialCache;
use crate::config::ServerConfig;
use crate::metrics::Metrics;
use crate::notify::Hub;
use crate::session::SessionTable;

/// Open message stores, shared by every session that logs on to them; each publishes its
/// committed changes to the notification hub.
pub struct StoreCache {
    private: Mutex<HashMap<Guid, Arc<MessageStore>>>,
    public: Mutex<Option<Arc<MessageStore>>>,
    hub: Arc<Hub>,
}

impl StoreCache {
    /// An empty cache whose stores publish to `hub`.
    pub fn new(hub: Arc<Hub>) -> StoreCache {
        StoreCache { private: Mutex::default(), public: Mutex::default(), hub }
    }

    fn opened(&self, s: MessageStore) -> Arc<MessageStore> {
        s.set_event_sink(Some(self.hub.sink(s.mailbox_guid())));
        if let Some(root) = s.special_folder(SpecialFolder::Root) {
            s.set_gap_sink(Some(self.hub.gap_sink(s.mailbox_guid(), root)));
        }
        Arc::new(s)
    }

    /// Every store open now (the change-log follower has them catch up,
    /// [`crate::notify::change_log`]).
    pub fn open_stores(&self) -> Vec<Arc<MessageStore>> {
        let mut out: Vec<_> =
            self.private.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        out.extend(self.public.lock().unwrap_or_else(|e| e.into_inner()).clone());
        out
    }

    /// The mailbox of `user`, opened once.
    pub fn private(&self, data: &Site, user: &User) -> StoreResult<Arc<MessageStore>> {
        crate::blocking::check("StoreCache::private");
        let mut map = self.private.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = map.get(&user.mailbox_guid) {
            return Ok(s.clone());
        }
        let s = self.opened(data.open_mailbox(user)?);
        map.insert(user.mailbox_guid, s.clone());
        Ok(s)
    }

    /// The mailbox of `user` when it is open already (nothing is opened).
    pub fn open_private(&self, user: &User) -> Option<Arc<MessageStore>> {
        self.private.lock().unwrap_or_else(|e| e.into_inner()).get(&user.mailbox_guid).cloned()
    }

    /// The public folder store, when public folders are enabled (checked on every call, so that
    /// `oxmapi admin public-folders disable` takes effect without a restart).
    pub fn public(&self, data: &Site) -> StoreResult<Option<Arc<MessageStore>>> {
        crate::blocking::check("StoreCache::public");
        if !data.public_folders_enabled()? {
            return Ok(None);
        }
        let mut slot = self.public.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(Some(s.clone()));
        }
        let s = data.open_public()?.map(|s| self.opened(s));
        slot.clone_from(&s);
        Ok(s)
    }
}

/// A stable GUID for the address book server of the site whose [`Site::stable_identity`] is
/// `identity`: the same on every node of a multi-node site, so an ephemeral entry ID
/// (MS-OXNSPI 2.2.9.2, its `ProviderUID` is the server GUID) made on one node is recognised on
/// another.
fn nspi_guid_for(identity: &str) -> Guid {
    use sha2::{Digest, Sha256};
    let digest =
        Sha256::new().chain_update(b"oxmapi nspi server ").chain_update(identity.as_bytes()).finalize();
    let mut g = [0u8; 16];
    g.copy_from_slice(&digest[..16]);
    Guid(g)
}

/// Everything a request handler can reach.
pub struct ServerState {
    /// The configuration the server started with.
    pub config: ServerConfig,
    /// The data directory.
    pub data: Site,
    directory: Mutex<Directory>,
    /// Session contexts.
    pub sessions: SessionTable,
    /// Open stores.
    pub stores: StoreCache,
    /// The notification hub.
    pub hub: Arc<Hub>,
    /// Wakes the delivery worker ([`crate::delivery`]).
    pub delivery: crate::delivery::DeliveryQueue,
    /// Metrics.
    pub metrics: Metrics,
    /// Recently verified credentials.
    pub credentials: CredentialCache,
    /// The name the server reports (`X-ServerApplication` host part, store entry IDs).
    pub server_name: String,
    /// Whether light store work ([`crate::blocking::light`]: single-row reads, registry writes)
    /// runs inline on the async threads: true for SQLite unless
    /// [`ServerConfig::light_store_work_on_pool`]; must be false for a PostgreSQL site, whose
    /// sync client panics there. Every site is a data directory of SQLite files until the
    /// PostgreSQL backend is wired in (then: `&& site.backend() == Backend::Sqlite`).
    pub light_inline: bool,
    /// The address book server's GUID (NSPI Bind `ServerGuid`, the `ProviderUID` of ephemeral
    /// entry IDs): derived from the data directory's path, so it stays the same across restarts.
    pub nspi_server_guid: Guid,
}

impl ServerState {
    /// Opens the data directory.
    pub fn new(config: ServerConfig) -> StoreResult<ServerState> {
        crate::blocking::check("ServerState::new");
        let data = Site::open(&config.data)?;
        ServerState::with_site(config, data)
    }

    /// The state of a server on the store `data`, opened by the caller (`oxmapi serve` opens
    /// it from `--data` or `--database`; `config.data` then only holds this node's own files).
    pub fn with_site(config: ServerConfig, mut data: Site) -> StoreResult<ServerState> {
        crate::blocking::check("ServerState::with_site");
        // The stores this node opens name it in their change-log rows (`notify::change_log`).
        data.set_node(config.node_id);
        let directory = Mutex::new(data.directory()?);
        let nspi_server_guid = nspi_guid_for(&data.stable_identity()?);
        // Short reads run inline only on SQLite: the PostgreSQL driver must never run on an async thread.
        let light_inline =
            !config.light_store_work_on_pool && data.backend() == oxmapi_store::db::Backend::Sqlite;
        let hub = Arc::new(Hub::default());
        let sessions = SessionTable::for_node(config.node_id);
        sessions.attach_registry(data.directory()?);
        Ok(ServerState {
            config,
            data,
            directory,
            sessions,
            stores: StoreCache::new(hub.clone()),
            hub,
            delivery: Default::default(),
            metrics: Metrics::new(),
            credentials: CredentialCache::default(),
            server_name: "localhost".to_string(),
            nspi_server_guid,
            light_inline,
        })
    }

    /// The shared directory connection. SQLite in WAL mode shows changes committed by other
    /// processes (`oxmapi admin` while the server runs) to the next read.
    pub fn directory(&self) -> StoreResult<MutexGuard<'_, Directory>> {
        crate::blocking::check("ServerState::directory");
        Ok(self.directory.lock().unwrap_or_else(|e| e.into_inner()))
    }
}
