//! `oxmapi bench …`: end-to-end benchmarks that start `oxmapi serve` as a child process on a
//! temporary data directory and drive it over MAPI/HTTP on 127.0.0.1 (BENCHMARKS.md).
//!
//! * `connect` ([`connect`]) — Connect + RopLogon latency, Execute round trips per second,
//!   the server's memory before, at the peak of and after each load (optionally beside a CPU
//!   hog, [`load`]), memory per idle session.
//! * `contents` ([`contents`]) — messages created and saved per second through the client
//!   library (small ones and with a 1 MB attachment), then RopQueryRows throughput and
//!   first-page latency on a large folder sorted by delivery time, with and without a
//!   restriction, and the server's resident memory meanwhile.
//! * `ab` ([`ab`]) — the address book on a 10,000-entry directory: ResolveNames per second and
//!   a full GAL page-through with QueryRows.
//! * `notify` ([`notify`]) — notification latency from a committed change to the client's
//!   sink, with one and with many sessions waiting.
//! * `deliver` ([`deliver`]) — submitted messages delivered per second to one and to many
//!   recipients.
//! * `abuse` ([`abuse`]) — half-open connections and made-up request types without credentials
//!   while a real client logs on: the logon latency and the server's resident memory.
//! * `pst` ([`pst`]) — PST read throughput, oxmapi beside readpst, pffexport, pypff,
//!   outlook-pst and pst-extractor on the same files in one run (no server).
//! * `roundtrip` ([`roundtrip`]) — MSG → MSG and EML → EML round trips of a directory of
//!   files, field by field (no server).
//! * `import` ([`import`]) — `oxmapi import` throughput: .eml files per second and MB/s, and
//!   a resumed import that skips everything.
//! * `failover` ([`failover`]) — the failover drill on two nodes of one PostgreSQL site: kill -9
//!   a node during a save loop and a delivery loop; acknowledged writes lost, duplicates
//!   delivered, seconds until every client is back.
//!
//! `connect` and `notify` take `--nodes N`: N `oxmapi serve --node-id` processes on one
//! PostgreSQL site ([`nodes`]).
//!
//! The server is this executable unless [`SERVER_EXE_ENV`] names another `oxmapi` build (to
//! compare builds, e.g. allocators, under the same load generator).

/// Progress lines on stderr; `oxmapi --json bench …` with stderr not on a terminal keeps them
/// quiet, so that `2>&1` captures one JSON document (CLI.md: `--json` is one document).
macro_rules! progress {
    ($($arg:tt)*) => {
        if $crate::bench_cmd::progress_enabled() {
            eprintln!($($arg)*);
        }
    };
}

static PROGRESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Turns the progress lines on or off (before a bench runs).
pub fn set_progress(enabled: bool) {
    PROGRESS.store(enabled, std::sync::atomic::Ordering::Relaxed);
}

/// Whether progress lines are printed.
pub fn progress_enabled() -> bool {
    PROGRESS.load(std::sync::atomic::Ordering::Relaxed)
}

mod ab;
mod abuse;
mod connect;
mod contents;
mod deliver;
mod failover;
mod import;
mod load;
mod nodes;
mod notify;
mod procstat;
mod pst;
mod pst_write;
mod rng;
mod roundtrip;
mod watcher;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use oxmapi_client::profile::ProfileStore;
use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_core::MapiError;
use oxmapi_core::consts::logon_flags::{MAPI_EXTENDED, MAPI_NEW_SESSION};
use oxmapi_core::error::codes;
use oxmapi_store::{NewUser, Site, User};
use oxmapi_wire::describe::Node;

pub use ab::BenchAbArgs;
pub use abuse::BenchAbuseArgs;
pub use connect::BenchConnectArgs;
pub use contents::BenchContentsArgs;
pub use deliver::BenchDeliverArgs;
pub use failover::BenchFailoverArgs;
pub use import::BenchImportArgs;
pub use notify::BenchNotifyArgs;
pub use pst::BenchPstArgs;
pub use roundtrip::BenchRoundtripArgs;

/// `oxmapi bench …`.
#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Connect + RopLogon latency, Execute round trips per second, memory per idle session.
    Connect(BenchConnectArgs),
    /// Messages saved per second (small, with a 1 MB attachment); QueryRows rows per second and
    /// first-page latency on a 100,000-message folder; server memory.
    Contents(BenchContentsArgs),
    /// The address book: ResolveNames per second (one and many names per call) and a full GAL
    /// page-through with QueryRows on a 10,000-entry directory.
    Ab(BenchAbArgs),
    /// Notification latency from commit to the client's sink (p50/p99) with 1 and 500
    /// sessions waiting.
    Notify(BenchNotifyArgs),
    /// Submitted messages delivered per second to 1 and to 50 recipients.
    Deliver(BenchDeliverArgs),
    /// Half-open connections and made-up request types against a server it starts, while a
    /// real client logs on; prints the logon latency and the server's RSS.
    Abuse(BenchAbuseArgs),
    /// The failover drill (needs OXMAPI_BENCH_DATABASE): two nodes on one PostgreSQL site,
    /// clients saving and submitting through node 1, kill -9 of node 1; acknowledged writes
    /// lost and duplicates delivered (both must be 0, else it fails), seconds until every
    /// client is back.
    Failover(BenchFailoverArgs),
    /// PST read throughput beside the peers (readpst, pffexport, pypff, outlook-pst,
    /// pst-extractor): per file
    /// and reader, folders and items found, time to open every message with every property and
    /// attachment, MB/s and peak RSS; no server needed.
    Pst(BenchPstArgs),
    /// PST writing: small messages per second into a new Unicode PST, MB/s with large
    /// attachments, bytes per message, `pst convert` of given files (time, peak RSS); with
    /// --aspose-python the same small messages written by Aspose.Email in the same run.
    PstWrite(pst_write::BenchPstWriteArgs),
    /// MSG and EML round trips: every .msg/.eml under DIR read, written back in its own format,
    /// read again; subject, addresses, bodies, attachment names and data compared (a table of
    /// files and outcomes); no server needed.
    Roundtrip(BenchRoundtripArgs),
    /// Import throughput into a mailbox (`oxmapi import`): .eml files per second and MB/s,
    /// then the same files again (all skipped by their resume keys).
    Import(BenchImportArgs),
}

/// Runs `oxmapi bench …`.
pub fn run(cmd: &BenchCommand) -> Result<Node, MapiError> {
    match cmd {
        BenchCommand::Connect(args) => connect::run(args),
        BenchCommand::Contents(args) => contents::run(args),
        BenchCommand::Ab(args) => ab::run(args),
        BenchCommand::Notify(args) => notify::run(args),
        BenchCommand::Deliver(args) => deliver::run(args),
        BenchCommand::Abuse(args) => abuse::run(args),
        BenchCommand::Failover(args) => failover::run(args),
        BenchCommand::Pst(args) => pst::run(args),
        BenchCommand::PstWrite(args) => pst_write::run(args),
        BenchCommand::Roundtrip(args) => roundtrip::run(args),
        BenchCommand::Import(args) => import::run(args),
    }
}

fn fail(msg: impl Into<String>) -> MapiError {
    MapiError::new(codes::MAPI_E_CALL_FAILED, msg)
}

const USER: &str = "bench";
const PASSWORD: &str = "bench-password-1";

/// Environment variable naming a PostgreSQL server (`postgres://USER@HOST:PORT`, no database
/// name) on which the benches that start their own server keep the store: each bench then runs
/// on a fresh database there (dropped afterwards) instead of SQLite files, so one build measures
/// both backends in one run (BENCHMARKS.md).
pub const BENCH_DATABASE_ENV: &str = "OXMAPI_BENCH_DATABASE";

/// The bench's site: a temporary data directory, and with [`BENCH_DATABASE_ENV`] the
/// throwaway database its `oxmapi.toml` names.
struct BenchData {
    dir: tempfile::TempDir,
    _database: Option<oxmapi_store::db::pg::testing::TestDatabase>,
}

impl BenchData {
    /// The data directory the server is started with.
    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The backend the store is on, as the benches' output names it (so that runs on each can
    /// be put side by side): `sqlite` or `postgresql`.
    fn backend(&self) -> &'static str {
        if self._database.is_some() { "postgresql" } else { "sqlite" }
    }
}

/// A fresh temporary data directory (on the disk of `$TMPDIR`; with [`BENCH_DATABASE_ENV`] a
/// fresh PostgreSQL database named by its `oxmapi.toml`) with the bench user, whose
/// `max-sessions-per-user` is `max_sessions`.
fn new_data_dir(max_sessions: usize) -> Result<(BenchData, User), MapiError> {
    let dir = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let database = match std::env::var(BENCH_DATABASE_ENV) {
        Ok(server) if !server.trim().is_empty() => {
            let db = oxmapi_store::db::pg::testing::TestDatabase::create(server.trim().trim_end_matches('/'))
                .map_err(|e| fail(format!("{BENCH_DATABASE_ENV}: cannot create a database: {e}")))?;
            std::fs::write(
                dir.path().join(oxmapi_store::site::SITE_CONFIG_FILE),
                format!("database = \"{}\"\n", db.url()),
            )
            .map_err(|e| fail(e.to_string()))?;
            Some(db)
        }
        _ => None,
    };
    let dir = BenchData { dir, _database: database };
    let data = Site::open(dir.path())?;
    let user =
        data.add_user(&NewUser { name: USER.into(), password: PASSWORD.into(), ..Default::default() })?;
    data.directory()?.set_setting("max-sessions-per-user", &max_sessions.to_string())?;
    Ok((dir, user))
}

/// A session of the bench user, from a profile in its own temporary client home.
struct BenchSession {
    session: Session,
    _mapi: Mapi,
    _home: tempfile::TempDir,
}

impl BenchSession {
    /// MAPILogonEx (new session) of the bench user against the server at `url`.
    fn logon(url: &str) -> Result<BenchSession, MapiError> {
        BenchSession::logon_as(url, USER)
    }

    /// MAPILogonEx (new session) of `user` (whose password is the bench password).
    fn logon_as(url: &str, user: &str) -> Result<BenchSession, MapiError> {
        BenchSession::logon_profile(|p| {
            p.add_msems_service(Some(url), Some(user))?;
            Ok(())
        })
    }

    /// MAPILogonEx (new session, the bench password) with a profile `configure` sets up, in a
    /// temporary client home of its own.
    fn logon_profile(
        configure: impl FnOnce(&mut oxmapi_client::profile::Profile) -> Result<(), MapiError>,
    ) -> Result<BenchSession, MapiError> {
        let home = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
        let profiles = ProfileStore::open(home.path())?;
        profiles.create_with("bench", configure)?;
        let mapi = Mapi::with_profiles(profiles);
        let options = LogonOptions { password: Some(PASSWORD.into()), client_version: None };
        let session = mapi.logon_ex(None, Some("bench"), MAPI_EXTENDED | MAPI_NEW_SESSION, &options)?;
        Ok(BenchSession { session, _mapi: mapi, _home: home })
    }

    /// The session's default message store (IMAPISession::OpenMsgStore on the row of the
    /// message stores table marked default).
    fn default_store(&self) -> Result<oxmapi_client::store::MsgStore, MapiError> {
        let row = self
            .session
            .msg_stores_table()
            .into_iter()
            .find(|r| r.default_store)
            .ok_or_else(|| fail("the session has no default message store"))?;
        self.session.open_msg_store(&row.entry_id)
    }
}

/// Environment variable naming the `oxmapi` executable whose `serve` the benches start
/// (default: this executable).
pub const SERVER_EXE_ENV: &str = "OXMAPI_BENCH_SERVER";

/// EMSMDB Connect (MS-OXCMAPIHTTP 2.2.4.1) as `dn` with code page 1252 and US English sort and
/// string locales: a session context for the raw-protocol benches.
async fn connect_context(
    client: &mut oxmapi_client::transport::EmsmdbClient,
    dn: &str,
) -> Result<(), String> {
    let req = oxmapi_wire::mapihttp::emsmdb::ConnectRequest {
        user_dn: dn.to_owned(),
        flags: 0,
        default_code_page: 1252,
        lcid_sort: 1033,
        lcid_string: 1033,
        auxiliary_buffer: vec![],
    };
    let ok = client.connect(&req).await.map_err(|e| e.to_string())?;
    if ok.error_code != 0 {
        return Err(format!("Connect ErrorCode 0x{:08X}", ok.error_code));
    }
    Ok(())
}

/// RopLogon on `dn`'s private mailbox (MS-OXCSTOR 2.2.1.1: LogonFlags Private, OpenFlags
/// USE_PER_MDB_REPLID_MAPPING | TAKE_OWNERSHIP | NO_MAIL | HOME_LOGON) into handle slot 0.
fn private_logon(dn: &str) -> oxmapi_wire::rop::request::RopRequest {
    oxmapi_wire::rop::request::RopRequest::Logon(oxmapi_wire::rop::oxcstor::LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 1,
        open_flags: 0x0100_040C,
        store_state: 0,
        essdn: Some(dn.to_owned()),
    })
}

/// `oxmapi serve` running as a child process; killed when dropped.
struct ChildServer {
    child: Child,
    url: String,
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ChildServer {
    /// Starts this executable's `serve` on `data` (plain HTTP, 127.0.0.1, a free port) and waits
    /// until it accepts connections.
    fn start(data: &Path) -> Result<ChildServer, MapiError> {
        ChildServer::start_node(data, None)
    }

    /// [`ChildServer::start`] as node `node_id` of a multi-node site (`--node-id`; `None`: the
    /// option is not given). Each node writes its own port file in `data`.
    fn start_node(data: &Path, node_id: Option<u16>) -> Result<ChildServer, MapiError> {
        let port_file = match node_id {
            Some(n) => data.join(format!("port-node{n}")),
            None => data.join("port"),
        };
        let _ = std::fs::remove_file(&port_file);
        let exe = match std::env::var_os(SERVER_EXE_ENV) {
            Some(exe) => exe.into(),
            None => std::env::current_exe().map_err(|e| fail(e.to_string()))?,
        };
        let mut command = Command::new(exe);
        command.arg("serve").arg("--data").arg(data);
        if let Some(n) = node_id {
            command.args(["--node-id", &n.to_string()]);
        }
        let child = command
            .args(["--listen", "127.0.0.1:0", "--port-file"])
            .arg(&port_file)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(format!("starting oxmapi serve: {e}")))?;
        let mut server = ChildServer { child, url: String::new() };
        let deadline = Instant::now() + Duration::from_secs(30);
        let port = loop {
            if let Ok(p) = std::fs::read_to_string(&port_file)
                && !p.trim().is_empty()
            {
                break p.trim().to_string();
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(fail(format!("oxmapi serve exited at start: {status}")));
            }
            if Instant::now() > deadline {
                return Err(fail("the server did not start within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        server.url = format!("http://127.0.0.1:{port}");
        Ok(server)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server with SIGKILL (`kill -9`: no shutdown, no flush, connections reset) and
    /// reaps it.
    fn kill(&mut self) -> Result<(), MapiError> {
        self.child.kill().map_err(|e| fail(format!("kill -9 of oxmapi serve (pid {}): {e}", self.pid())))?;
        let _ = self.child.wait();
        Ok(())
    }
}

/// VmRSS of a process in KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).ok()?;
    s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// The `p` quantile (0..=1) of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Events per second with one decimal.
fn rate(n: usize, d: Duration) -> Node {
    Node::Float((n as f64 / d.as_secs_f64().max(1e-9) * 10.0).round() / 10.0)
}

/// Milliseconds with microsecond precision.
fn ms(d: Duration) -> Node {
    Node::Float((d.as_secs_f64() * 1e6).round() / 1e3)
}

fn cores() -> Node {
    Node::Int(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) as i128)
}
