//! `oxmapi conformance URL --user NAME …`: runs the wire-level conformance suite
//! (oxmapi-conformance) against a MAPI/HTTP server and reports one line per case and the
//! closing counts, or the JSON document with `--json`. Exits non-zero when a case failed.

use std::io::Write;
use std::path::{Path, PathBuf};

use oxmapi_conformance::{Config, Credentials, Protocol, Report};
use oxmapi_core::MapiError;
use oxmapi_core::error::codes;

/// Arguments of `oxmapi conformance`.
#[derive(clap::Args)]
pub struct ConformanceArgs {
    /// The server: http://host:port (or a /mapi/emsmdb/?MailboxId=… endpoint URL).
    url: String,
    /// The account to test with.
    #[arg(long, value_name = "NAME")]
    user: String,
    /// A second account, for the cross-mailbox cases.
    #[arg(long, value_name = "NAME")]
    user2: Option<String>,
    /// Read the second account's password from FILE (else OXMAPI_PASSWORD2).
    #[arg(long, value_name = "FILE")]
    password_file2: Option<PathBuf>,
    /// Only these protocols (comma-separated, e.g. MS-OXCSTOR,MS-OXNSPI).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    protocol: Vec<String>,
    /// Also run the cases that may change the mailbox outside the suite's own folder.
    #[arg(long)]
    destructive: bool,
}

fn read_secret(file: Option<&Path>, env: &str, who: &str) -> Result<String, MapiError> {
    if let Some(p) = file {
        let s = std::fs::read_to_string(p).map_err(|e| {
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("password file {}: {e}", p.display()))
        })?;
        return Ok(s.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&s).to_string());
    }
    std::env::var(env).map_err(|_| {
        MapiError::new(
            codes::MAPI_E_LOGON_FAILED,
            format!("no password for {who}: give a password file or set {env}"),
        )
    })
}

/// Runs the suite; `Ok(false)` when a case failed or the suite could not clean up.
pub fn run(args: &ConformanceArgs, password_file: Option<&Path>, json: bool) -> Result<bool, MapiError> {
    let mut protocols = Vec::new();
    for p in &args.protocol {
        let proto = Protocol::parse(p).ok_or_else(|| {
            let known: Vec<&str> = Protocol::ALL.iter().map(|p| p.name()).collect();
            MapiError::new(
                codes::MAPI_E_INVALID_PARAMETER,
                format!("unknown protocol {p:?} (known: {})", known.join(", ")),
            )
        })?;
        protocols.push(proto);
    }
    let user = Credentials {
        user: args.user.clone(),
        password: read_secret(password_file, "OXMAPI_PASSWORD", &args.user)?,
    };
    let user2 = match &args.user2 {
        Some(u) => Some(Credentials {
            user: u.clone(),
            password: read_secret(args.password_file2.as_deref(), "OXMAPI_PASSWORD2", u)?,
        }),
        None => None,
    };
    let cfg = Config { url: args.url.clone(), user, user2, protocols, destructive: args.destructive };
    let report = oxmapi_conformance::run(cfg, |c| {
        if !json {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", c.line());
            let _ = out.flush();
        }
    })
    .map_err(|e| {
        MapiError::new(codes::MAPI_E_LOGON_FAILED, format!("conformance run could not start: {e}"))
    })?;
    print_report(&report, json);
    Ok(report.success())
}

fn print_report(report: &Report, json: bool) {
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_else(|_| "null".into());
        let _ = writeln!(out, "{text}");
        return;
    }
    for (p, ok, failed, skipped) in report.per_protocol() {
        let _ = writeln!(out, "# {p}: {ok} passed, {failed} failed, {skipped} skipped");
    }
    if let Some(e) = &report.cleanup_error {
        let _ = writeln!(out, "# cleanup: {e}");
    }
    let _ = writeln!(out, "{}", report.closing_line());
}
