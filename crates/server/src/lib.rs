//! oxmapi-server: `oxmapi serve`, an Exchange-compatible store speaking MAPI over HTTP.
//!
//! - [`http`]: HTTP/1.1 (plain or TLS), routing, limits, the MAPI/HTTP response stream;
//! - [`auth`]: Basic and NTLMv2 authentication, identity bound to session contexts;
//! - [`authz`]: rights that follow directory changes at once (the authorisation generation);
//! - [`session`]: session contexts, cookies, sequencing, expiry, per-user limits;
//! - [`emsmdb`]: Connect / Execute / Disconnect / NotificationWait / PING;
//! - [`nspi`]: the address book endpoint (Bind, the NSPI methods, Unbind, PING);
//! - [`rops`]: ROP execution, one module per protocol family;
//! - [`delivery`]: the delivery worker (message submission, local delivery, NDRs);
//! - [`metrics`]: Prometheus metrics;
//! - [`blocking`]: store work off the async threads, and the guard that proves it.
#![warn(missing_docs)]

pub mod auth;
pub mod authz;
pub mod autodiscover;
pub mod blocking;
pub mod config;
pub mod delivery;
pub mod emsmdb;
pub mod http;
pub mod metrics;
pub mod notify;
pub mod nspi;
mod ntlm_auth;
pub mod rops;
pub mod session;
pub mod session_registry;
pub mod settings;
pub mod state;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;

use oxmapi_store::Site;

pub use config::{ServerConfig, TlsMode};
pub use state::ServerState;

/// A running server.
pub struct Server {
    /// The bound address (with the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// SHA-256 fingerprint of the TLS certificate, when serving TLS.
    pub fingerprint: Option<String>,
    /// Shared state (tests inspect sessions and metrics).
    pub state: Arc<ServerState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Opens the data directory, binds the listener, writes the port file and starts serving.
    pub async fn start(config: ServerConfig) -> Result<Server, String> {
        Server::start_site(config, None).await
    }

    /// [`Server::start`] on the store `site` when given (opened by the caller), else on the
    /// data directory `config.data`.
    pub async fn start_site(config: ServerConfig, site: Option<Site>) -> Result<Server, String> {
        config.check()?;
        let tls = tls::load(&config.tls, &config.data)?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let cfg = config.clone();
        let state = blocking::run(move || match site {
            Some(site) => ServerState::with_site(cfg, site),
            None => ServerState::new(cfg),
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        let state = Arc::new(state);
        delivery::start(&state)?;
        notify::change_log::start(&state)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let acceptor = tls.as_ref().map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
        let st = state.clone();
        let task = tokio::spawn(async move {
            let reaper = tokio::spawn(reap(st.clone()));
            let authz = tokio::spawn(authz::watch(st.clone()));
            let release = st.config.release_memory.map(|f| tokio::spawn(release_memory(st.clone(), f)));
            http::serve(st, listener, acceptor, async {
                let _ = rx.await;
            })
            .await;
            reaper.abort();
            authz.abort();
            if let Some(r) = release {
                r.abort();
            }
        });
        if let Some(p) = &config.port_file {
            std::fs::write(p, addr.port().to_string()).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(Server { addr, fingerprint: tls.map(|t| t.fingerprint), state, shutdown: Some(tx), task })
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        let scheme = if self.fingerprint.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

async fn reap(state: Arc<ServerState>) {
    let mut tick = tokio::time::interval(state.config.reap_interval);
    loop {
        tick.tick().await;
        // One step of light store work per tick: the settings read and the registry writes.
        let st = state.clone();
        let _ = blocking::light(state.light_inline, move || {
            // The idle timeout follows `oxmapi admin set session-idle-timeout` for existing
            // contexts too: one settings read per tick.
            if let Ok(d) = st.directory().and_then(|d| d.session_idle_timeout()) {
                st.sessions.set_idle_timeout(d);
            }
            let n = st.sessions.reap();
            if n > 0 {
                tracing::debug!(expired = n, "session contexts expired");
            }
            st.metrics.sessions.set(st.sessions.len() as i64);
        })
        .await;
    }
}

/// Calls the allocator's `release` every [`config::MEMORY_RELEASE_INTERVAL`] while requests are
/// answered, and once after they stop, so that memory freed after a burst (a large table read, many
/// sessions at once) goes back to the system instead of staying with the allocator.
async fn release_memory(state: Arc<ServerState>, release: fn()) {
    let mut tick = tokio::time::interval(config::MEMORY_RELEASE_INTERVAL);
    let mut seen = state.metrics.requests_answered();
    // A request is counted when its response starts; its work may end after the tick that saw
    // it, so the first quiet tick after activity releases once more.
    let mut once_more = false;
    loop {
        tick.tick().await;
        let now = state.metrics.requests_answered();
        if now != seen || once_more {
            once_more = now != seen;
            seen = now;
            release();
        }
    }
}

/// Runs the server on the data directory `config.data` until SIGINT or SIGTERM.
pub fn run(config: ServerConfig) -> Result<(), String> {
    let shown = format!("data {}", config.data.display());
    run_site(config, None, &shown)
}

/// Runs the server until SIGINT or SIGTERM (what `oxmapi serve` does) on the store `site` when
/// given, else on `config.data`; `shown` names the store in the start-up line (`data DIR`, or
/// `database URL` with its password redacted).
pub fn run_site(config: ServerConfig, site: Option<Site>, shown: &str) -> Result<(), String> {
    let rt = config.runtime.build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let server = Server::start_site(config.clone(), site).await?;
        // Said once: as a log line when the log shows INFO, else plainly (RUST_LOG=off still
        // tells where the server listens).
        if tracing::enabled!(tracing::Level::INFO) {
            tracing::info!(url = %server.url(), store = %shown, node = config.node_id, "oxmapi serve: listening");
        } else {
            eprintln!("oxmapi serve: listening on {} ({shown}, node {})", server.url(), config.node_id);
        }
        if let Some(fp) = &server.fingerprint {
            eprintln!("oxmapi serve: TLS certificate SHA-256 {fp}");
        }
        wait_for_signal().await;
        server.stop().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
