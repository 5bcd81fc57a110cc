//! `oxmapi serve` (CLI.md "Server and administration").

use std::path::PathBuf;

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_server::{ServerConfig, TlsMode};

/// Options of `oxmapi serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Data directory.
    #[arg(long, default_value = "./oxmapi-data")]
    pub data: PathBuf,
    /// Listen address; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Write the bound port here once connections are accepted.
    #[arg(long, value_name = "FILE")]
    pub port_file: Option<PathBuf>,
    /// Read options from FILE (`key = value` lines: data, listen, tls-cert, tls-key,
    /// tls-self-signed, insecure-http); command-line options win.
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

/// Builds the configuration and runs the server until SIGINT/SIGTERM.
pub fn run(args: &ServeArgs) -> Result<(), MapiError> {
    let mut data = args.data.clone();
    let mut listen = args.listen.clone();
    let (mut cert, mut key, mut self_signed, mut insecure) =
        (args.tls_cert.clone(), args.tls_key.clone(), args.tls_self_signed, args.insecure_http);
    if let Some(path) = &args.config {
        for (k, v) in config_file(path)? {
            match k.as_str() {
                "data" if args.data.as_os_str() == "./oxmapi-data" => data = v.into(),
                "listen" if args.listen == "127.0.0.1:8080" => listen = v,
                "tls-cert" if cert.is_none() => cert = Some(v.into()),
                "tls-key" if key.is_none() => key = Some(v.into()),
                "tls-self-signed" => self_signed |= v == "true",
                "insecure-http" => insecure |= v == "true",
                "data" | "listen" | "tls-cert" | "tls-key" => {}
                other => return Err(bad(format!("{}: unknown key {other:?}", path.display()))),
            }
        }
    }
    let addr = listen.parse().map_err(|e| bad(format!("--listen {listen:?}: {e}")))?;
    let mut cfg = ServerConfig::new(data, addr);
    cfg.port_file = args.port_file.clone();
    cfg.insecure_http = insecure;
    cfg.tls = match (cert, key, self_signed) {
        (Some(cert), Some(key), _) => TlsMode::Files { cert, key },
        (_, _, true) => TlsMode::SelfSigned,
        _ => TlsMode::Plain,
    };
    init_tracing();
    // Every connection holds a descriptor: use all the process may have (the connection cap
    // is sized from it, SECURITY.md "Limits").
    let nofile = oxmapi_server::http::fdlimit::raise_to_hard_limit();
    tracing::debug!(?nofile, "descriptor limit (RLIMIT_NOFILE)");
    oxmapi_server::run(cfg).map_err(|e| MapiError::new(codes::MAPI_E_CALL_FAILED, e))
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
