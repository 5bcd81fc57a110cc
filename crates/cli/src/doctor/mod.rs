//! `oxmapi doctor [--profile NAME]` (issue 20 item 7): checks the way from this machine to the
//! mailbox, step by step, through the client library's own code paths — the profile, DNS, TCP,
//! TLS, Autodiscover (MS-OXDSCLI), HTTP authentication, Connect (MS-OXCMAPIHTTP 2.2.4.1), the
//! store logon (RopLogon, MS-OXCSTOR 2.2.1.1), the address book (NSPI Bind and ResolveNames,
//! MS-OXNSPI), a notification round trip (MS-OXCNOTIF, NotificationWait) and the clock — and
//! explains each failure with its fix.
//!
//! Each check is a record `{check, status: ok|warn|fail|skip, detail, fix, elapsed_ms}`. A check
//! whose precondition failed is skipped with the reason. The command succeeds when nothing
//! failed (warnings allowed); otherwise, after the report, it fails with the MAPI error of the
//! first failure (its message has the check's detail, its hint the fix). With `--json` the
//! report is one document (`profile`, `server`, `checks`, `ok`, and `error` on failure).

mod clock;
mod http;
mod mapi;
mod network;
mod notify;
mod profile;

use std::time::{Duration, Instant};

use oxmapi_client::profile::Profile;
use oxmapi_client::session::{Mapi, Session};
use oxmapi_client::store::MsgStore;
use oxmapi_client::transport::{CredentialPolicy, Credentials, Endpoints, HttpProbe, Origin, TlsOptions};
use oxmapi_core::MapiError;
use oxmapi_core::error::ErrorCode;
use oxmapi_wire::describe::Node;

use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// It works.
    Ok,
    /// It works, but something is not as it should be.
    Warn,
    /// It does not work.
    Fail,
    /// Not checked (not applicable, or a check it needs did not pass).
    Skip,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One check's record.
#[derive(Clone, Debug)]
pub struct Check {
    /// Its name (`tcp`, `autodiscover`, `logon`, …).
    pub name: &'static str,
    /// Its outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// What to do about it (warnings and failures).
    pub fix: Option<String>,
    /// The MAPI error of a failure.
    pub error: Option<ErrorCode>,
    /// A skip that leaves the checks depending on this one without what they need.
    pub blocks: bool,
    /// For a check skipped because an earlier one failed: that one.
    pub cause: Option<&'static str>,
    /// How long it took.
    pub elapsed: Duration,
}

impl Check {
    fn new(name: &'static str, status: Status, detail: impl Into<String>) -> Check {
        Check {
            name,
            status,
            detail: detail.into(),
            fix: None,
            error: None,
            blocks: false,
            cause: None,
            elapsed: Duration::ZERO,
        }
    }

    /// It works.
    pub fn ok(name: &'static str, detail: impl Into<String>) -> Check {
        Check::new(name, Status::Ok, detail)
    }

    /// It works, but: `fix` says what to change.
    pub fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Check {
        Check { fix: Some(fix.into()), ..Check::new(name, Status::Warn, detail) }
    }

    /// It fails with `code`; `fix` says what to do.
    pub fn fail(
        name: &'static str,
        code: ErrorCode,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check { fix: Some(fix.into()), error: Some(code), ..Check::new(name, Status::Fail, detail) }
    }

    /// Not applicable here (the checks after it still run).
    pub fn skip(name: &'static str, why: impl Into<String>) -> Check {
        Check::new(name, Status::Skip, why)
    }

    /// Could not run: the checks that need this one are skipped too.
    pub fn blocked(name: &'static str, why: impl Into<String>) -> Check {
        Check { blocks: true, ..Check::new(name, Status::Skip, why) }
    }

    fn stops(&self) -> bool {
        self.status == Status::Fail || self.blocks
    }

    fn node(&self) -> Node {
        // `check` is the name issue 20 gives the field, `name` the one CLI.md gives it.
        let mut n = Node::map([
            ("check", Node::str(self.name)),
            ("name", Node::str(self.name)),
            ("status", Node::str(self.status.as_str())),
            ("detail", Node::str(self.detail.clone())),
        ]);
        if let Some(f) = &self.fix {
            n = n.with("fix", Node::str(f.clone()));
        }
        if let Some(e) = self.error {
            n = n.with("error", Node::str(e.name()));
        }
        let ms = (self.elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
        n.with("elapsed_ms", Node::Float(ms))
    }
}

/// What the checks learn, for the checks after them.
#[derive(Default)]
pub struct Context {
    /// The profile's name.
    pub profile_name: Option<String>,
    /// The profile.
    pub profile: Option<Profile>,
    /// PR_PROFILE_HOME_SERVER (None: the profile has no Exchange service to reach).
    pub server_url: Option<String>,
    /// The server's origin.
    pub origin: Option<Origin>,
    /// The user to authenticate as and the password.
    pub credentials: Option<Credentials>,
    /// The client version Connect reports.
    pub client_version: [u16; 4],
    /// PR_PROFILE_CONNECT_FLAGS.
    pub connect_flags: u32,
    /// The TLS trust of the profile.
    pub tls: TlsOptions,
    /// The addresses DNS gave.
    pub addrs: Vec<std::net::SocketAddr>,
    /// The endpoints Autodiscover (or the profile) names.
    pub endpoints: Option<Endpoints>,
    /// What to do about the endpoint URLs the profile keeps from an older Autodiscover answer,
    /// when they differ from today's.
    pub stale_fix: Option<String>,
    /// With --trust-autodiscover-origin: the endpoint URLs (kept and discovered) whose origins
    /// the logon trusts too.
    pub trusted_urls: Vec<String>,
    /// The legacy DN Autodiscover returned.
    pub discovered_dn: Option<String>,
    /// The authenticated PING.
    pub probe: Option<HttpProbe>,
    /// The MAPI subsystem and the session of the Connect check.
    pub mapi: Option<Mapi>,
    /// The session.
    pub session: Option<Session>,
    /// The default store, opened by the logon check.
    pub store: Option<MsgStore>,
}

impl Context {
    /// Where credentials may go: the profile server's origin and the profile's trusted origins
    /// (as a logon's policy is made).
    pub fn policy(&self) -> CredentialPolicy {
        let url = self.server_url.clone().unwrap_or_default();
        let name = self.profile_name.clone().unwrap_or_default();
        let policy = CredentialPolicy::new(
            &url,
            format!(
                "if you trust it, run again with --trust-autodiscover-origin, or add it with `oxmapi profile set \
                 {name} PR_OXMAPI_TRUSTED_ORIGINS ORIGIN`"
            ),
        );
        for o in self.profile.as_ref().map(Profile::trusted_origins).unwrap_or_default() {
            policy.trust(&o);
        }
        for u in &self.trusted_urls {
            policy.trust(u);
        }
        policy
    }

    /// The profile's name for the commands a fix names.
    pub fn name(&self) -> &str {
        self.profile_name.as_deref().unwrap_or("NAME")
    }
}

type CheckFn = fn(&mut Context, &LogonArgs<'_>) -> Check;

/// The checks in order, each with the checks it needs.
const CHECKS: &[(&str, &[&str], CheckFn)] = &[
    ("profile", &[], profile::check),
    ("dns", &["profile"], network::dns),
    ("tcp", &["dns"], network::tcp),
    ("tls", &["tcp"], network::tls),
    ("autodiscover", &["tls"], http::autodiscover),
    ("authentication", &["tls"], http::authentication),
    ("connect", &["authentication"], mapi::connect),
    ("logon", &["connect"], mapi::store_logon),
    // The address book binds on its own (MS-OXNSPI), even when the store's Connect was refused.
    ("address-book", &["authentication"], mapi::address_book),
    ("notification", &["logon"], notify::round_trip),
    ("clock", &["authentication"], clock::check),
];

/// Runs every check.
pub fn run_checks(args: &LogonArgs<'_>) -> (Context, Vec<Check>) {
    let mut ctx = Context::default();
    let mut done: Vec<Check> = Vec::new();
    for (name, needs, f) in CHECKS {
        let stopped = needs.iter().find_map(|n| done.iter().find(|c| c.name == *n && c.stops()));
        let check = match stopped {
            Some(c) => {
                // Name the check that failed, not the one skipped because of it.
                let (root, why) = match (c.cause, c.status) {
                    (Some(root), _) => (Some(root), format!("not checked: the {root} check failed")),
                    (None, Status::Fail) => {
                        (Some(c.name), format!("not checked: the {} check failed", c.name))
                    }
                    (None, _) if c.detail.starts_with("not checked: ") => (None, c.detail.clone()),
                    (None, _) => (None, format!("not checked: {}", c.detail)),
                };
                Check { cause: root, ..Check::blocked(name, why) }
            }
            None => {
                let started = Instant::now();
                let mut c = f(&mut ctx, args);
                c.elapsed = started.elapsed();
                c
            }
        };
        done.push(check);
    }
    // The temporary objects are gone; log off before reporting.
    ctx.store = None;
    if let Some(s) = ctx.session.take() {
        let _ = s.logoff();
    }
    (ctx, done)
}

/// The report as a document.
pub fn report(ctx: &Context, checks: &[Check]) -> Node {
    let ok = !checks.iter().any(|c| c.status == Status::Fail);
    Node::map([
        ("profile", ctx.profile_name.clone().map_or(Node::Null, Node::str)),
        ("server", ctx.server_url.clone().map_or(Node::Null, Node::str)),
        ("user", ctx.credentials.as_ref().map_or(Node::Null, |c| Node::str(c.user.clone()))),
        ("checks", Node::List(checks.iter().map(Check::node).collect())),
        ("ok", Node::Bool(ok)),
    ])
}

/// The report as text: one line per check (status, name, detail), the fix indented below.
pub fn text(ctx: &Context, checks: &[Check]) -> String {
    let mut out = format!(
        "oxmapi doctor: profile {}, server {}\n",
        ctx.profile_name.as_deref().unwrap_or("(none)"),
        ctx.server_url.as_deref().unwrap_or("(none)")
    );
    for c in checks {
        let status = if c.status == Status::Fail { "FAIL" } else { c.status.as_str() };
        out.push_str(&format!("{status:<5} {:<15} {}\n", c.name, c.detail));
        if let Some(f) = &c.fix {
            out.push_str(&format!("{:21}fix: {f}\n", ""));
        }
    }
    out
}

/// The command's failure: the first failed check's error, its detail and its fix.
pub fn failure(checks: &[Check]) -> Option<Failure> {
    let c = checks.iter().find(|c| c.status == Status::Fail)?;
    let code = c.error.unwrap_or(oxmapi_core::error::codes::MAPI_E_CALL_FAILED);
    let e = MapiError::new(code, format!("doctor: the {} check failed: {}", c.name, c.detail));
    Some(match &c.fix {
        Some(f) => Failure::with_hint(e, f.clone()),
        None => e.into(),
    })
}

/// `oxmapi doctor`: prints the report; fails with the first failure after it. With `--json`
/// the failure is part of the one document, and the exit status says it.
pub fn run(args: &LogonArgs<'_>, json: bool) -> Result<(), Failure> {
    crate::session_cmd::refuse_mailbox(args, "doctor", "the doctor checks the way to your own mailbox")?;
    let (ctx, checks) = run_checks(args);
    let failed = failure(&checks);
    if !json {
        print!("{}", text(&ctx, &checks));
        return failed.map_or(Ok(()), Err);
    }
    let mut doc = report(&ctx, &checks);
    if let Some(f) = &failed {
        let mut e = Node::map([
            ("name", Node::str(f.error.code.name())),
            ("code", Node::str(format!("0x{:08X}", f.error.code.0))),
            ("message", Node::str(f.error.message.clone())),
        ]);
        if let Some(h) = f.hint() {
            e = e.with("hint", Node::str(h));
        }
        doc = doc.with("error", e);
    }
    crate::output::print(&doc, true);
    if let Some(f) = &failed {
        // The exit status the command's failure has everywhere else (CLI.md "Exit status").
        crate::session_end::at_exit();
        std::process::exit(crate::exit_status::of(f).into());
    }
    Ok(())
}

/// Milliseconds with one decimal, for details.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::error::codes;

    #[test]
    fn the_first_failure_is_the_error_with_its_detail_and_fix() {
        let checks = vec![
            Check::ok("profile", "fine"),
            Check::warn("tls", "plain", "use https"),
            Check::fail("tcp", codes::MAPI_E_NETWORK_ERROR, "connection refused: is it running?", "start it"),
            Check::fail("connect", codes::MAPI_E_CALL_FAILED, "later", "later fix"),
        ];
        let f = failure(&checks).unwrap();
        assert_eq!(f.error.code, codes::MAPI_E_NETWORK_ERROR);
        assert!(f.error.message.contains("tcp") && f.error.message.contains("connection refused"));
        assert_eq!(f.hint().as_deref(), Some("start it"));
        assert!(failure(&checks[..2]).is_none(), "warnings do not fail the command");
    }

    #[test]
    fn records_have_the_documented_fields() {
        let ctx = Context { profile_name: Some("work".into()), ..Context::default() };
        let doc = crate::output::to_json(&report(&ctx, &[Check::warn("tls", "plain", "use https")]));
        assert_eq!(doc["profile"], "work");
        assert_eq!(doc["ok"], true);
        let c = &doc["checks"][0];
        assert_eq!(
            (c["check"].as_str(), c["status"].as_str(), c["fix"].as_str()),
            (Some("tls"), Some("warn"), Some("use https"))
        );
        assert_eq!(c["name"], "tls", "CLI.md calls the field `name`");
        assert!(c["elapsed_ms"].is_number());
        let t = text(&ctx, &[Check::fail("tcp", codes::MAPI_E_NETWORK_ERROR, "refused", "start it")]);
        assert!(t.contains("FAIL  tcp             refused\n"), "{t}");
        assert!(t.contains("fix: start it"), "{t}");
    }
}
