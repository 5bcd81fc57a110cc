//! Shared harness of the client's tests: a real oxmapi server on 127.0.0.1 (an ephemeral port,
//! a temporary data directory) with the users a test needs, the runtime it runs on, and a
//! temporary home for the client's profiles.
//!
//! The site is [`oxmapi_store::test_site`]: SQLite files in the temporary directory, or a fresh
//! PostgreSQL database when `OXMAPI_TEST_DATABASE=postgres://USER@HOST:PORT` names a server.
//! The tests reach the store from their own (plain) threads, never from the runtime's: the
//! PostgreSQL driver is synchronous and panics on a thread that drives a tokio runtime.
#![allow(dead_code)]

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::Session;
use oxmapi_client::store::MsgStore;
use oxmapi_core::MapiError;
use oxmapi_server::{Server, ServerConfig};
use oxmapi_store::{NewUser, Site};

/// A running server and what it stands on; stopped when dropped.
pub struct RealServer {
    /// The runtime the server runs on (tests run their own fakes on it too).
    pub rt: tokio::runtime::Runtime,
    /// `None` only while stopped.
    pub server: Option<Server>,
    /// What it was started with; `listen` is the bound address, so a restart keeps the port.
    pub cfg: ServerConfig,
    pub data: Site,
    /// The client's home (its profile store).
    pub home: tempfile::TempDir,
    data_dir: tempfile::TempDir,
}

impl RealServer {
    /// Starts a server whose directory holds `users`, with the configuration `configure` made of
    /// the defaults.
    pub fn start(users: &[NewUser], configure: impl FnOnce(&mut ServerConfig)) -> RealServer {
        let data_dir = tempfile::tempdir().unwrap();
        let home = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let data = oxmapi_store::test_site(data_dir.path());
        for u in users {
            data.add_user(u).unwrap();
        }
        let mut cfg = ServerConfig::new(data_dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap());
        configure(&mut cfg);
        let server = rt.block_on(Server::start_site(cfg.clone(), Some(data.clone()))).unwrap();
        cfg.listen = server.addr;
        RealServer { rt, server: Some(server), cfg, data, home, data_dir }
    }

    /// The running server.
    pub fn server(&self) -> &Server {
        self.server.as_ref().expect("the server runs")
    }

    /// The client's profile store, with a profile per `(profile, user)` whose MSEMS service
    /// names this server and that user.
    pub fn profiles(&self, profiles: &[(&str, &str)]) -> ProfileStore {
        let store = ProfileStore::open(self.home.path()).unwrap();
        for (profile, user) in profiles {
            store
                .create_with(profile, |prof| {
                    prof.add_msems_service(Some(&self.server().url()), Some(user))?;
                    Ok(())
                })
                .unwrap();
        }
        store
    }

    /// Stops the server (every connection drops, every context is gone) and starts it again on
    /// the same port.
    pub fn restart(&mut self) {
        self.stop();
        self.server = Some(self.another_server(self.cfg.clone()));
    }

    /// Another server on the same site (another node), started with `cfg`.
    pub fn another_server(&self, cfg: ServerConfig) -> Server {
        self.rt.block_on(Server::start_site(cfg, Some(self.data.clone()))).unwrap()
    }

    fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.stop());
        }
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A user named `name` with `password` and nothing else set.
pub fn user(name: &str, password: &str) -> NewUser {
    NewUser { name: name.into(), password: password.into(), ..Default::default() }
}

/// Opens the default message store of session `s` (the row of its message stores table marked
/// default).
pub fn default_store(s: &Session) -> Result<MsgStore, MapiError> {
    let row = s.msg_stores_table().into_iter().find(|r| r.default_store).expect("a default store");
    s.open_msg_store(&row.entry_id)
}
