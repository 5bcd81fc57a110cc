//! What a conformance case is: its name, the protocol document and section it checks, the
//! requirement identifiers (as Microsoft's test suites number them, `MS-OXCSTOR_R123`), what it
//! needs to run, and a body that passes, fails with expected versus observed, or skips with a
//! reason. Also the small checking helpers case bodies use.

use std::fmt::{Debug, Display};

use oxmapi_core::ErrorCode;
use oxmapi_wire::rop::response::RopResponse;

use crate::context::Ctx;
use crate::http::DriverError;

/// The protocol documents the suite covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// MS-OXCMAPIHTTP: the MAPI extensions for HTTP.
    OxcMapiHttp,
    /// MS-OXCRPC: the Wire Format Protocol (Connect/Execute semantics, RPC_HEADER_EXT, AUX).
    OxcRpc,
    /// MS-OXCROPS: the ROP list and encoding protocol.
    OxcRops,
    /// MS-OXCSTOR: the store object protocol.
    OxcStor,
    /// MS-OXCFOLD: the folder object protocol.
    OxcFold,
    /// MS-OXCMSG: the message and attachment object protocol.
    OxcMsg,
    /// MS-OXCTABL: the table object protocol.
    OxcTabl,
    /// MS-OXCPRPT: the property and stream object protocol.
    OxcPrpt,
    /// MS-OXCNOTIF: the core notifications protocol.
    OxcNotif,
    /// MS-OXNSPI: the name service provider interface.
    OxNspi,
    /// MS-OXCPERM: folder permissions.
    OxcPerm,
    /// MS-OXORULE: the e-mail rules protocol.
    OxoRule,
    /// MS-OXOMSG: the e-mail object protocol (its transport ROPs).
    OxoMsg,
}

impl Protocol {
    /// Every protocol, in the order the suite runs them.
    pub const ALL: &'static [Protocol] = &[
        Protocol::OxcMapiHttp,
        Protocol::OxcRpc,
        Protocol::OxcRops,
        Protocol::OxcStor,
        Protocol::OxcFold,
        Protocol::OxcMsg,
        Protocol::OxcTabl,
        Protocol::OxcPrpt,
        Protocol::OxcNotif,
        Protocol::OxNspi,
        Protocol::OxcPerm,
        Protocol::OxoRule,
        Protocol::OxoMsg,
    ];

    /// The document name, e.g. `MS-OXCSTOR`.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::OxcMapiHttp => "MS-OXCMAPIHTTP",
            Protocol::OxcRpc => "MS-OXCRPC",
            Protocol::OxcRops => "MS-OXCROPS",
            Protocol::OxcStor => "MS-OXCSTOR",
            Protocol::OxcFold => "MS-OXCFOLD",
            Protocol::OxcMsg => "MS-OXCMSG",
            Protocol::OxcTabl => "MS-OXCTABL",
            Protocol::OxcPrpt => "MS-OXCPRPT",
            Protocol::OxcNotif => "MS-OXCNOTIF",
            Protocol::OxNspi => "MS-OXNSPI",
            Protocol::OxcPerm => "MS-OXCPERM",
            Protocol::OxoRule => "MS-OXORULE",
            Protocol::OxoMsg => "MS-OXOMSG",
        }
    }

    /// Parses `MS-OXCSTOR`, `ms-oxcstor` or `oxcstor`.
    pub fn parse(s: &str) -> Option<Protocol> {
        let s = s.trim();
        let bare = s.strip_prefix("MS-").or_else(|| s.strip_prefix("ms-")).unwrap_or(s);
        Protocol::ALL.iter().copied().find(|p| p.name()[3..].eq_ignore_ascii_case(bare))
    }
}

impl Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A precondition a case needs beyond the first user's mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// A second user (`--user2`).
    User2,
    /// Permission to change things outside the suite's own folder (`--destructive`).
    Destructive,
}

/// Why a case did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The server's behaviour differs from the specification.
    Fail {
        /// What the specification requires.
        expected: String,
        /// What the server did.
        observed: String,
    },
    /// The case could not run here.
    Skip(String),
}

/// The result of a case body: `Ok(())` is a pass.
pub type CaseResult = Result<(), Verdict>;

impl From<DriverError> for Verdict {
    fn from(e: DriverError) -> Verdict {
        Verdict::Fail { expected: "a well-formed exchange with the server".into(), observed: e.0 }
    }
}

/// One conformance case.
#[derive(Clone, Copy)]
pub struct Case {
    /// Unique name, `snake_case`, starting with the protocol's short name (`oxcstor_…`).
    pub name: &'static str,
    /// The protocol document.
    pub protocol: Protocol,
    /// The specification section(s), e.g. `MS-OXCSTOR 2.2.1.1.3`.
    pub section: &'static str,
    /// Requirement identifiers, e.g. `MS-OXCSTOR_R123`.
    pub requirements: &'static [&'static str],
    /// Preconditions.
    pub needs: &'static [Need],
    /// The body.
    pub run: fn(&mut Ctx) -> CaseResult,
}

impl Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case").field("name", &self.name).field("protocol", &self.protocol).finish()
    }
}

/// A failure with what was expected and what was observed.
pub fn fail(expected: impl Display, observed: impl Display) -> Verdict {
    Verdict::Fail { expected: expected.to_string(), observed: observed.to_string() }
}

/// A skip with its reason.
pub fn skip(reason: impl Display) -> CaseResult {
    Err(Verdict::Skip(reason.to_string()))
}

/// Passes when `expected == observed`; the failure names `what`.
pub fn eq<T: PartialEq + Debug>(what: &str, expected: T, observed: T) -> CaseResult {
    if expected == observed {
        Ok(())
    } else {
        Err(fail(format!("{what} = {expected:?}"), format!("{what} = {observed:?}")))
    }
}

/// Passes when `cond` holds.
pub fn ensure(cond: bool, expected: impl Display, observed: impl Display) -> CaseResult {
    if cond { Ok(()) } else { Err(fail(expected, observed)) }
}

/// `0x80040102 (MAPI_E_NO_SUPPORT)`.
pub fn code(c: u32) -> String {
    format!("0x{c:08X} ({})", ErrorCode(c).name())
}

/// Passes when the return code `observed` is `expected` (both printed with their names).
pub fn eq_code(what: &str, expected: u32, observed: u32) -> CaseResult {
    if expected == observed {
        Ok(())
    } else {
        Err(fail(format!("{what} {}", code(expected)), format!("{what} {}", code(observed))))
    }
}

/// The `ReturnValue` of a response (RopNotify and the like have none: `u32::MAX`).
pub fn rv(r: &RopResponse) -> u32 {
    r.status().map(|(_, c)| c).unwrap_or(u32::MAX)
}

/// Passes when the response's `ReturnValue` is `expected`.
pub fn expect_rv(what: &str, r: &RopResponse, expected: u32) -> CaseResult {
    let got = rv(r);
    if got == expected {
        Ok(())
    } else {
        Err(fail(
            format!("{what}: ReturnValue {}", code(expected)),
            format!("{what}: ReturnValue {}", code(got)),
        ))
    }
}

/// Passes when the response's `ReturnValue` is one of `allowed` (for requirements that leave
/// the implementation a choice).
pub fn expect_rv_in(what: &str, r: &RopResponse, allowed: &[u32]) -> CaseResult {
    let got = rv(r);
    if allowed.contains(&got) {
        Ok(())
    } else {
        let names: Vec<String> = allowed.iter().map(|c| code(*c)).collect();
        Err(fail(
            format!("{what}: ReturnValue one of {}", names.join(", ")),
            format!("{what}: ReturnValue {}", code(got)),
        ))
    }
}

/// Passes when the response failed (any nonzero `ReturnValue`).
pub fn expect_failure(what: &str, r: &RopResponse) -> CaseResult {
    let got = rv(r);
    ensure(got != 0, format!("{what}: a failing ReturnValue"), format!("{what}: ReturnValue {}", code(got)))
}

/// The success body of a response of the given `RopResponse` variant, or a failure naming the
/// ROP and the ReturnValue.
#[macro_export]
macro_rules! body {
    ($resp:expr, $variant:ident) => {
        match &$resp {
            oxmapi_wire::rop::response::RopResponse::$variant(o) => match &o.body {
                Some(b) if o.return_value == 0 => Ok(b),
                _ => Err($crate::case::fail(
                    concat!("Rop", stringify!($variant), " to succeed"),
                    format!("ReturnValue {}", $crate::case::code(o.return_value)),
                )),
            },
            other => Err($crate::case::fail(
                concat!("a Rop", stringify!($variant), " response"),
                format!("{:?}", other.rop_id()),
            )),
        }
    };
}

/// Defines, in a case module, `const fn case(name, section, requirements, run) -> Case` for the
/// module's protocol `$protocol` (no needs), so a case table reads `case("…", "MS-… x.y", &[…],
/// body)`.
#[macro_export]
macro_rules! case_constructor {
    ($protocol:expr) => {
        const fn case(
            name: &'static str,
            section: &'static str,
            requirements: &'static [&'static str],
            run: fn(&mut $crate::context::Ctx) -> $crate::case::CaseResult,
        ) -> $crate::case::Case {
            $crate::case::Case { name, protocol: $protocol, section, requirements, needs: &[], run }
        }
    };
}

/// Defines a case module's `CASES` table for protocol `$protocol` from lines of
/// `"name", "section", ["requirement", …], body;` (cases without needs).
#[macro_export]
macro_rules! case_table {
    ($protocol:expr; $($name:literal, $section:literal, [$($req:literal),*], $run:ident;)*) => {
        /// The cases of this module.
        pub const CASES: &[$crate::case::Case] = &[$($crate::case::Case {
            name: $name,
            protocol: $protocol,
            section: $section,
            requirements: &[$($req),*],
            needs: &[],
            run: $run,
        }),*];
    };
}
