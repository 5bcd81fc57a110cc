//! oxmapi-conformance: the project's own port of Microsoft's ExchangeMAPI protocol test suites
//! (OfficeDev/Interop-TestSuites), driving any MAPI/HTTP server at the wire level.
//!
//! The suite talks raw MAPI/HTTP ([`http`], [`session`]) with the codecs of
//! [`oxmapi_wire`] and none of the client library's objects, so that what it judges is the
//! server against the specifications. Cases live one module per protocol document under
//! [`cases`]; each names its section and requirement identifiers ([`case::Case`]). A run works
//! inside a folder it creates under the Inbox and removes at the end ([`context::Ctx`]) and
//! changes nothing else unless [`context::Config::destructive`] is set.
//!
//! See `ADDING_CASES.md` for how to add a case.

pub mod autodiscover;
pub mod case;
pub mod cases;
pub mod context;
pub mod http;
pub mod report;
pub mod rops;
pub mod rops_oxcfold;
pub mod rops_oxcmsg;
pub mod rops_oxcnotif;
pub mod rops_oxcprpt;
pub mod rops_oxcrops;
pub mod rops_oxctabl;
pub mod session;

pub use case::{Case, CaseResult, Need, Protocol, Verdict};
pub use context::{Config, Ctx};
pub use http::Credentials;
pub use report::{CaseReport, Report};

/// The cases a run with `cfg` selects, in run order.
pub fn selected(cfg: &Config) -> Vec<Case> {
    cases::all()
        .into_iter()
        .filter(|c| cfg.protocols.is_empty() || cfg.protocols.contains(&c.protocol))
        .collect()
}

/// Why a case that needs `need` cannot run with `cfg`, if it cannot.
fn unmet(cfg: &Config, ctx: &Ctx, need: Need) -> Option<&'static str> {
    match need {
        Need::User2 if cfg.user2.is_none() || ctx.me2.is_none() => {
            Some("needs a second account (--user2 NAME --password-file2 FILE)")
        }
        Need::Destructive if !cfg.destructive => {
            Some("may change the mailbox outside the suite's folder; runs only with --destructive")
        }
        _ => None,
    }
}

/// Runs the selected cases, calling `on_case` after each; removes the suite's folder at the
/// end, even when cases failed. An error means the run could not start (no logon).
pub fn run(cfg: Config, mut on_case: impl FnMut(&CaseReport)) -> Result<Report, String> {
    let cases = selected(&cfg);
    let mut ctx = Ctx::new(cfg.clone()).map_err(|e| e.0)?;
    ctx.prepare()?;
    let mut report = Report::default();
    for case in &cases {
        let outcome = match case.needs.iter().find_map(|n| unmet(&cfg, &ctx, *n)) {
            Some(reason) => Err(Verdict::Skip(reason.to_string())),
            None => {
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (case.run)(&mut ctx)));
                ctx.end_case();
                r.unwrap_or_else(|p| {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(case::fail("the case to run to its end", format!("it panicked: {msg}")))
                })
            }
        };
        let r = CaseReport::new(case, outcome);
        on_case(&r);
        report.cases.push(r);
    }
    report.cleanup_error = ctx.finish().err();
    Ok(report)
}
