//! `oxmapi serve` (CLI.md "Server and administration").

use std::path::PathBuf;
use std::time::Duration;

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_server::config::{ConnectionLimits, RuntimeSettings};
use oxmapi_server::{ServerConfig, TlsMode};

use crate::site::StoreLocation;

/// Options of `oxmapi serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Data directory: the store (SQLite files), or with --database only this node's own
    /// files (the self-signed TLS certificate).
    #[arg(long, default_value = "./oxmapi-data")]
    pub data: PathBuf,
    /// The store in a PostgreSQL database: postgres://USER@HOST:PORT/DATABASE. Give the
    /// password in OXMAPI_DATABASE_PASSWORD or a file named by `database-password-file` in the
    /// --config file, not in the URL: a password on the command line is moved to the
    /// environment at start (the server restarts itself without it).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// This node's number among the `oxmapi serve` processes of one site (0-65535, default 0):
    /// session cookies name their node, and another node answers them with X-ResponseCode 10
    /// so the client connects again there.
    #[arg(long, value_name = "N")]
    pub node_id: Option<u16>,
    /// Listen address; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Write the bound port here once connections are accepted.
    #[arg(long, value_name = "FILE")]
    pub port_file: Option<PathBuf>,
    /// Read options from FILE (`key = value` lines: data, database, database-password-file,
    /// node-id, listen, tls-cert, tls-key, tls-self-signed, insecure-http, the connection
    /// limits max-connections,
    /// max-unauthenticated-connections, header-read-timeout, body-read-timeout,
    /// unauthenticated-idle-timeout in seconds, and the runtime's worker-threads,
    /// max-blocking-threads, blocking-thread-keep-alive in seconds); command-line options win.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Serve TLS with a certificate generated once and kept in the data directory.
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub tls_self_signed: bool,
    /// TLS certificate chain (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Allow plain HTTP on a non-loopback address.
    #[arg(long)]
    pub insecure_http: bool,
}

fn bad(msg: String) -> MapiError {
    MapiError::new(codes::MAPI_E_INVALID_PARAMETER, msg)
}

/// Reads `key = value` lines (`#` comments).
fn config_file(path: &PathBuf) -> Result<Vec<(String, String)>, MapiError> {
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| bad(format!("{}:{}: expected key = value", path.display(), i + 1)))?;
        out.push((k.trim().to_string(), v.trim().trim_matches('"').to_string()));
    }
    Ok(out)
}

/// The value of configuration key `key` as a positive integer, or what is wrong with it.
fn positive(key: &str, value: &str) -> Result<u64, String> {
    value
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or(format!("{key}: expected a positive integer, got {value:?}"))
}

/// Applies a connection-limit key of the configuration file (SECURITY.md "Limits"); false when
/// `key` is not one.
fn connection_limit(limits: &mut ConnectionLimits, key: &str, value: &str) -> Result<bool, String> {
    let number = || positive(key, value);
    match key {
        "max-connections" => limits.max_connections = Some(number()? as usize),
        "max-unauthenticated-connections" => limits.max_unauthenticated = Some(number()? as usize),
        "header-read-timeout" => limits.header_read_timeout = Duration::from_secs(number()?),
        "body-read-timeout" => limits.body_read_timeout = Duration::from_secs(number()?),
        "unauthenticated-idle-timeout" => {
            limits.unauthenticated_idle_timeout = Duration::from_secs(number()?)
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Applies a runtime key of the configuration file (worker-threads, max-blocking-threads,
/// blocking-thread-keep-alive); false when `key` is not one.
fn runtime_setting(rt: &mut RuntimeSettings, key: &str, value: &str) -> Result<bool, String> {
    let number = || positive(key, value);
    match key {
        "worker-threads" => rt.worker_threads = Some(number()? as usize),
        "max-blocking-threads" => rt.max_blocking_threads = number()? as usize,
        "blocking-thread-keep-alive" => rt.blocking_keep_alive = Duration::from_secs(number()?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// The store options of `oxmapi serve`, from the command line and the configuration file.
#[derive(Default)]
struct StoreOptions {
    /// `--database` or `database`.
    database: Option<String>,
    /// `database-password-file`.
    password_file: Option<PathBuf>,
}

impl StoreOptions {
    /// Where the store is: the database when one is named, else the data directory `data`.
    /// The password comes from the URL, else [`crate::site::PASSWORD_ENV`], else the
    /// password file.
    fn location(&self, data: &std::path::Path) -> Result<StoreLocation, MapiError> {
        match &self.database {
            Some(url) => Ok(StoreLocation::Database(crate::site::parse_database(
                url,
                std::env::var(crate::site::PASSWORD_ENV).ok(),
                self.password_file.as_deref(),
            )?)),
            None => Ok(StoreLocation::Dir(data.to_path_buf())),
        }
    }
}

/// The `external-url` key: an `http://` or `https://` base URL (no query), as clients reach the
/// site (e.g. its load balancer).
fn parse_external_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !v.contains(['?', '#', ' ']) => {
            Ok(v.trim_end_matches('/').to_string())
        }
        _ => Err(format!(
            "external-url: expected the site's base URL such as https://mail.example.test, got {v:?}"
        )),
    }
}

/// Builds the configuration and runs the server until SIGINT/SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), MapiError> {
    if let Some(url) = &args.database
        && crate::site::has_password(url)
    {
        eprintln!("{}", crate::site::command_line_password_warning(url));
        move_password_off_the_command_line(url)?;
    }
    let mut data = args.data.clone();
    let mut listen = args.listen.clone();
    let (mut cert, mut key, mut self_signed, mut insecure) =
        (args.tls_cert.clone(), args.tls_key.clone(), args.tls_self_signed, args.insecure_http);
    let mut store = StoreOptions { database: args.database.clone(), password_file: None };
    let mut node_id = args.node_id;
    let mut external_url = None;
    let mut limits = ConnectionLimits::default();
    let mut runtime = RuntimeSettings::default();
    if let Some(path) = &args.config {
        for (k, v) in config_file(path)? {
            let known = connection_limit(&mut limits, &k, &v)
                .and_then(|done| Ok(done || runtime_setting(&mut runtime, &k, &v)?))
                .map_err(|e| bad(format!("{}: {e}", path.display())))?;
            if known {
                continue;
            }
            match k.as_str() {
                "data" if args.data.as_os_str() == "./oxmapi-data" => data = v.into(),
                "database" if store.database.is_none() => store.database = Some(v),
                "database-password-file" => store.password_file = Some(v.into()),
                "node-id" if node_id.is_none() => {
                    node_id = Some(parse_node_id(&v).map_err(|e| bad(format!("{}: {e}", path.display())))?)
                }
                "listen" if args.listen == "127.0.0.1:8080" => listen = v,
                "tls-cert" if cert.is_none() => cert = Some(v.into()),
                "tls-key" if key.is_none() => key = Some(v.into()),
                "tls-self-signed" => self_signed |= v == "true",
                "insecure-http" => insecure |= v == "true",
                "external-url" => {
                    external_url =
                        Some(parse_external_url(&v).map_err(|e| bad(format!("{}: {e}", path.display())))?)
                }
                "data" | "database" | "node-id" | "listen" | "tls-cert" | "tls-key" => {}
                other => return Err(bad(format!("{}: unknown key {other:?}", path.display()))),
            }
        }
    }
    let location = store.location(&data)?;
    let addr = listen.parse().map_err(|e| bad(format!("--listen {listen:?}: {e}")))?;
    let mut cfg = ServerConfig::new(data, addr);
    cfg.node_id = node_id.unwrap_or(0);
    cfg.external_url = external_url;
    cfg.port_file = args.port_file.clone();
    cfg.insecure_http = insecure;
    cfg.connections = limits;
    cfg.runtime = runtime;
    cfg.release_memory = Some(crate::allocator::release_free_memory);
    cfg.tls = match (cert, key, self_signed) {
        (Some(cert), Some(key), _) => TlsMode::Files { cert, key },
        (_, _, true) => TlsMode::SelfSigned,
        _ => TlsMode::Plain,
    };
    // Before any thread starts: glibc reads M_ARENA_MAX when a thread first allocates.
    let allocator = crate::allocator::configure_for_server();
    init_tracing();
    tracing::info!(%allocator, runtime = ?cfg.runtime, "memory allocator and runtime threads");
    let password = match &location {
        StoreLocation::Database(db) => db.source.to_string(),
        StoreLocation::Dir(_) => String::new(),
    };
    tracing::info!(store = %location, %password, node = cfg.node_id, "opening the store");
    let site = crate::site::open_site(&location)?;
    // Every connection holds a descriptor: use all the process may have (the connection cap
    // is sized from it, SECURITY.md "Limits").
    let nofile = oxmapi_server::http::fdlimit::raise_to_hard_limit();
    tracing::debug!(?nofile, "descriptor limit (RLIMIT_NOFILE)");
    oxmapi_server::run_site(cfg, Some(site), &location.to_string())
        .map_err(|e| MapiError::new(codes::MAPI_E_CALL_FAILED, e))
}

/// `node-id`: a number from 0 to 65535.
fn parse_node_id(value: &str) -> Result<u16, String> {
    value.parse::<u16>().map_err(|_| format!("node-id: expected a number from 0 to 65535, got {value:?}"))
}

/// Starts this program again with `url`'s password moved from the command line into
/// [`crate::site::PASSWORD_ENV`] (readable only by the process's user, where argv is readable by
/// every local user): the new process image has the URL without the password in its argv.
/// Returns only when that cannot be done (the server then runs with the password on its
/// command line, as the warning said).
fn move_password_off_the_command_line(url: &str) -> Result<(), MapiError> {
    let db = crate::site::parse_database(url, None, None)?;
    let Some(password) = db.password.as_ref() else { return Ok(()) };
    let plain = db.without_password();
    let args: Vec<std::ffi::OsString> = std::env::args_os()
        .skip(1)
        .map(|a| {
            if a == url {
                plain.into()
            } else if a.to_str().and_then(|s| s.strip_prefix("--database=")) == Some(url) {
                format!("--database={plain}").into()
            } else {
                a
            }
        })
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = match std::env::current_exe() {
            Ok(exe) => {
                eprintln!(
                    "oxmapi serve: restarting with the password moved to {} (its command line keeps the URL without it)",
                    crate::site::PASSWORD_ENV
                );
                let mut cmd = std::process::Command::new(exe);
                if let Some(argv0) = std::env::args_os().next() {
                    cmd.arg0(argv0);
                }
                cmd.args(&args).env(crate::site::PASSWORD_ENV, password.expose()).exec()
            }
            Err(e) => e,
        };
        eprintln!("warning: could not restart without the password on the command line: {err}");
    }
    #[cfg(not(unix))]
    let _ = (args, password);
    Ok(())
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only for a terminal: a log file or a journal gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_limits_come_from_the_configuration_file() {
        let mut l = ConnectionLimits::default();
        assert!(connection_limit(&mut l, "max-connections", "100").unwrap());
        assert!(connection_limit(&mut l, "max-unauthenticated-connections", "10").unwrap());
        assert!(connection_limit(&mut l, "header-read-timeout", "5").unwrap());
        assert!(connection_limit(&mut l, "unauthenticated-idle-timeout", "3").unwrap());
        assert!(connection_limit(&mut l, "body-read-timeout", "7").unwrap());
        assert_eq!(l.max_connections, Some(100));
        assert_eq!(l.max_unauthenticated, Some(10));
        assert_eq!(l.header_read_timeout, Duration::from_secs(5));
        assert_eq!(l.unauthenticated_idle_timeout, Duration::from_secs(3));
        assert_eq!(l.body_read_timeout, Duration::from_secs(7));
        assert!(connection_limit(&mut l, "body-read-timeout", "0").unwrap_err().contains("positive"));
        assert!(!connection_limit(&mut l, "listen", "x").unwrap());
    }

    #[test]
    fn runtime_threads_come_from_the_configuration_file() {
        let mut rt = RuntimeSettings::default();
        assert_eq!(rt.worker_threads, None);
        assert_eq!(rt.max_blocking_threads, oxmapi_server::config::DEFAULT_MAX_BLOCKING_THREADS);
        assert!(runtime_setting(&mut rt, "worker-threads", "3").unwrap());
        assert!(runtime_setting(&mut rt, "max-blocking-threads", "16").unwrap());
        assert!(runtime_setting(&mut rt, "blocking-thread-keep-alive", "5").unwrap());
        assert_eq!(rt.worker_threads, Some(3));
        assert_eq!(rt.max_blocking_threads, 16);
        assert_eq!(rt.blocking_keep_alive, Duration::from_secs(5));
        assert!(runtime_setting(&mut rt, "max-blocking-threads", "0").unwrap_err().contains("positive"));
        assert!(runtime_setting(&mut rt, "max-blocking-threads", "many").is_err());
        assert!(!runtime_setting(&mut rt, "max-connections", "1").unwrap());
    }
}
