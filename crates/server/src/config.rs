//! `oxmapi serve` configuration (CLI.md "Server and administration").

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the listener speaks TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain HTTP (loopback only unless [`ServerConfig::insecure_http`]).
    Plain,
    /// A certificate generated on first start and kept in the data directory
    /// (`tls/self-signed.pem`, `tls/self-signed.key`).
    SelfSigned,
    /// PEM certificate chain and private key files.
    Files {
        /// Certificate chain (PEM).
        cert: PathBuf,
        /// Private key (PEM: PKCS#8, PKCS#1 or SEC1).
        key: PathBuf,
    },
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Data directory (DESIGN.md §3 storage layout).
    pub data: PathBuf,
    /// Listen address; port 0 picks a free port.
    pub listen: SocketAddr,
    /// File that receives the bound port once connections are accepted.
    pub port_file: Option<PathBuf>,
    /// TLS mode.
    pub tls: TlsMode,
    /// Allow plain HTTP on a non-loopback address.
    pub insecure_http: bool,
    /// Interval of `PENDING` keep-alives in chunked responses (`X-PendingPeriod`,
    /// MS-OXCMAPIHTTP 2.2.3.3.5; 30 s like Exchange 2016 SP1+).
    pub pending_period: Duration,
    /// Longest a NotificationWait is held before it completes with no event (MS-OXCMAPIHTTP
    /// 3.2.5.5: 5 minutes).
    pub notification_wait_max: Duration,
    /// How often expired session contexts are reaped.
    pub reap_interval: Duration,
    /// Timeouts and caps of the HTTP connections (SECURITY.md "Limits").
    pub connections: ConnectionLimits,
    /// Threads of the async runtime and of its blocking pool.
    pub runtime: RuntimeSettings,
    /// Gives memory the allocator keeps free back to the system (for glibc's malloc:
    /// `malloc_trim`); the server calls it every [`MEMORY_RELEASE_INTERVAL`] after a period in
    /// which it answered requests. The binary that chooses the allocator sets it.
    pub release_memory: Option<fn()>,
    /// The site's published base URL (`external-url` in the serve configuration; e.g. the load
    /// balancer in front of the nodes, `https://mail.example.test`). Autodiscover then names
    /// the endpoint of the node that answered as `InternalUrl` and this one as `ExternalUrl`
    /// (MS-OXDSCLI 2.2.4.1.1.2.6.x `<MailStore>`, `<AddressBook>`), so a client has a second
    /// way in when its node stops answering. `None`: both name the node that answered.
    pub external_url: Option<String>,
    /// This node's number among the `oxmapi serve` processes of one site (`--node-id`, default
    /// 0). Session context cookies name the node that made them; a request that reaches
    /// another node is answered with X-ResponseCode 10 so the client connects again there
    /// ([`crate::session`]).
    pub node_id: u16,
    /// Run light store work (single-row reads, registry writes) on the blocking pool even on a
    /// SQLite site, as a PostgreSQL site always does ([`crate::blocking::light`]). Default
    /// false: on SQLite the hop would cost more than the read. Tests set it to run the
    /// PostgreSQL path of the server on SQLite.
    pub light_store_work_on_pool: bool,
}

/// How often, at most, [`ServerConfig::release_memory`] runs (only after requests were
/// answered since the last run): a large table read frees its memory when the table is
/// released, and the resident size follows within this interval.
pub const MEMORY_RELEASE_INTERVAL: Duration = Duration::from_secs(2);

/// Default of [`RuntimeSettings::max_blocking_threads`]. ROPs and NSPI calls run on the
/// blocking pool (SQLite is synchronous), one thread per request at work; with two cores more
/// than a few dozen threads add no throughput, only stacks and allocator state, and a thread
/// that waits on a mailbox lock still leaves others free.
pub const DEFAULT_MAX_BLOCKING_THREADS: usize = 64;
/// Default of [`RuntimeSettings::blocking_keep_alive`].
pub const DEFAULT_BLOCKING_KEEP_ALIVE: Duration = Duration::from_secs(10);

/// Threads of the server's tokio runtime, chosen deliberately (BENCHMARKS.md "Server memory").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeSettings {
    /// Async worker threads (HTTP, TLS, routing, notification waits). `None`: one per core.
    pub worker_threads: Option<usize>,
    /// Most threads of the blocking pool that runs ROPs, NSPI calls and password checks;
    /// requests beyond it wait for a free thread (an Execute keeps its response alive with
    /// `PENDING` meanwhile). Default [`DEFAULT_MAX_BLOCKING_THREADS`] (64).
    pub max_blocking_threads: usize,
    /// How long an idle blocking thread lives before it exits, its stack freed. Default
    /// [`DEFAULT_BLOCKING_KEEP_ALIVE`] (10 s).
    pub blocking_keep_alive: Duration,
}

impl Default for RuntimeSettings {
    fn default() -> Self {
        RuntimeSettings {
            worker_threads: None,
            max_blocking_threads: DEFAULT_MAX_BLOCKING_THREADS,
            blocking_keep_alive: DEFAULT_BLOCKING_KEEP_ALIVE,
        }
    }
}

impl RuntimeSettings {
    /// The multi-threaded runtime these settings describe.
    pub fn build(&self) -> std::io::Result<tokio::runtime::Runtime> {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        if let Some(n) = self.worker_threads {
            b.worker_threads(n.max(1));
        }
        b.max_blocking_threads(self.max_blocking_threads.max(1))
            .thread_keep_alive(self.blocking_keep_alive)
            .thread_name("oxmapi-serve")
            .enable_all()
            .build()
    }
}

/// Default of [`ConnectionLimits::header_read_timeout`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`ConnectionLimits::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Default of [`ConnectionLimits::unauthenticated_idle_timeout`].
pub const DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound of the derived [`ConnectionLimits::max_unauthenticated`]. A client is
/// unauthenticated only for one handshake round trip (a few milliseconds), so 512 covers that
/// many logons starting at once, while half-open connections held by an attacker cost at most
/// about 11 MB (some 22 KB each: hyper's read and write buffers, the task, the socket).
pub const DEFAULT_MAX_UNAUTHENTICATED: usize = 512;

/// Timeouts and caps of the HTTP connections, against connections that hold resources without
/// authenticating (slow-loris). A connection is *authenticated* once one of its requests passed
/// authentication; until then it is *unauthenticated*.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Longest wait for a complete request head: the first on a connection, or the next one on
    /// a kept-alive connection after a response — so this is also the keep-alive idle timeout
    /// of every connection. Also bounds the TLS handshake. The connection is closed.
    /// Default [`DEFAULT_HEADER_READ_TIMEOUT`] (30 s).
    pub header_read_timeout: Duration,
    /// Longest a MAPI/HTTP request body may take to arrive once its head was read; the client
    /// gets HTTP 408 and the connection is closed. Default [`DEFAULT_BODY_READ_TIMEOUT`] (60 s).
    pub body_read_timeout: Duration,
    /// Longest an unauthenticated connection stays open with no request in progress, counted
    /// from its opening or from the end of its last response; then it is closed.
    /// Default [`DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT`] (10 s).
    pub unauthenticated_idle_timeout: Duration,
    /// Most open connections. When full, the oldest unauthenticated connection is closed to
    /// admit a new one; when every connection is authenticated, the newcomer gets HTTP 503 with
    /// `Retry-After`. `None`: the process's descriptor limit (RLIMIT_NOFILE, raised to its
    /// hard limit at `oxmapi serve` start) less a reserve for the stores.
    pub max_connections: Option<usize>,
    /// Most unauthenticated connections at once; when full, the oldest is closed to admit a new
    /// one, so that half-open connections cannot lock out a client that is about to log on.
    /// `None`: half of `max_connections`, at most [`DEFAULT_MAX_UNAUTHENTICATED`] (512).
    pub max_unauthenticated: Option<usize>,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            unauthenticated_idle_timeout: DEFAULT_UNAUTHENTICATED_IDLE_TIMEOUT,
            max_connections: None,
            max_unauthenticated: None,
        }
    }
}

impl ServerConfig {
    /// Defaults of CLI.md: `./oxmapi-data`, `127.0.0.1:8080`, plain HTTP.
    pub fn new(data: PathBuf, listen: SocketAddr) -> ServerConfig {
        ServerConfig {
            data,
            listen,
            port_file: None,
            tls: TlsMode::Plain,
            insecure_http: false,
            pending_period: Duration::from_millis(u64::from(
                oxmapi_wire::mapihttp::common::DEFAULT_PENDING_PERIOD_MS,
            )),
            notification_wait_max: Duration::from_secs(300),
            reap_interval: Duration::from_secs(1),
            connections: ConnectionLimits::default(),
            runtime: RuntimeSettings::default(),
            release_memory: None,
            external_url: None,
            node_id: 0,
            light_store_work_on_pool: false,
        }
    }

    /// Refuses plain HTTP on a non-loopback address unless `insecure_http` is set.
    pub fn check(&self) -> Result<(), String> {
        if self.tls == TlsMode::Plain && !self.listen.ip().is_loopback() && !self.insecure_http {
            return Err(format!(
                "refusing plain HTTP on {} (not loopback): passwords would cross the network in clear; \
                 use --tls-self-signed or --tls-cert/--tls-key, or --insecure-http if you really mean it",
                self.listen
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_follows_its_settings() {
        let rt = RuntimeSettings { worker_threads: Some(1), max_blocking_threads: 1, ..Default::default() }
            .build()
            .unwrap();
        assert_eq!(rt.metrics().num_workers(), 1);
        // One blocking thread: a second blocking task waits for the first.
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let first = rt.spawn_blocking(move || rx.recv().is_ok());
        let second = rt.spawn_blocking(|| ());
        std::thread::sleep(Duration::from_millis(50));
        assert!(!second.is_finished());
        tx.send(()).unwrap();
        assert!(rt.block_on(first).unwrap());
        rt.block_on(second).unwrap();
    }

    #[test]
    fn plain_http_only_on_loopback_unless_insecure() {
        let mut c = ServerConfig::new("d".into(), "0.0.0.0:8080".parse().unwrap());
        assert!(c.check().unwrap_err().contains("--tls-self-signed"));
        c.insecure_http = true;
        assert!(c.check().is_ok());
        let mut c = ServerConfig::new("d".into(), "127.0.0.1:0".parse().unwrap());
        assert!(c.check().is_ok());
        c.listen = "[::1]:0".parse().unwrap();
        assert!(c.check().is_ok());
        c.listen = "10.0.0.1:443".parse().unwrap();
        c.tls = TlsMode::SelfSigned;
        assert!(c.check().is_ok());
    }
}
