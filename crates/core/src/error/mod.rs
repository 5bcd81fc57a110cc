//! MAPI and Exchange error codes (protocol-facts §2.8, §4.6): one table with every code's MAPI
//! name, Exchange `ec` names, 32-bit value, meaning and — for the codes people hit in the
//! field — common causes and what to do.

pub mod codes;
mod table;

use std::fmt;

pub use table::ERRORS;

/// A 32-bit MAPI / Exchange status code (an HRESULT for `MAPI_E_*`, a small integer for many
/// `ec*` codes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ErrorCode(pub u32);

/// What the table knows about one code.
#[derive(Debug)]
pub struct ErrorInfo {
    /// The code.
    pub code: ErrorCode,
    /// The primary name: the MAPI name (`MAPI_E_FAILONEPROVIDER`) where one exists, else the
    /// Exchange name (`ecClientVerDisallowed`).
    pub name: &'static str,
    /// Other names of the same value (Exchange `ec*` names, NSPI names, Win32/COM names).
    pub aliases: &'static [&'static str],
    /// One line: what the code means.
    pub meaning: &'static str,
    /// Common causes and what to do, in plain words; empty when nothing specific is known.
    pub advice: &'static str,
}

impl ErrorCode {
    /// Success.
    pub const SUCCESS: ErrorCode = ErrorCode(0);

    /// The table entry for this value.
    pub fn info(self) -> Option<&'static ErrorInfo> {
        ERRORS.iter().find(|e| e.code == self)
    }

    /// The primary name, or `0xXXXXXXXX` when the value is not in the table.
    pub fn name(self) -> String {
        self.info().map(|i| i.name.to_string()).unwrap_or_else(|| format!("0x{:08X}", self.0))
    }

    /// True for a failure (anything but 0; warnings `MAPI_W_*` count as success).
    pub fn is_error(self) -> bool {
        self.0 != 0 && !self.is_warning()
    }

    /// True for `MAPI_W_*` warnings (severity bit clear, facility ITF).
    pub fn is_warning(self) -> bool {
        self.0 & 0x8000_0000 == 0 && self.0 & 0x0FFF_0000 == 0x0004_0000
    }

    /// Looks a code up by any of its names (case-insensitive) or parses a number
    /// (`0x8004011D`, `8004011D`, `2147746077`, `-2147221219`).
    pub fn lookup(text: &str) -> Option<&'static ErrorInfo> {
        let t = text.trim();
        if let Some(e) = ERRORS
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(t) || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(t)))
        {
            return Some(e);
        }
        ErrorCode::parse_number(t).and_then(ErrorCode::info)
    }

    /// Parses a numeric code: hex with `0x` prefix, 8 bare hex digits, or decimal (signed or not).
    pub fn parse_number(t: &str) -> Option<ErrorCode> {
        let t = t.trim();
        if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return u32::from_str_radix(h, 16).ok().map(ErrorCode);
        }
        if t.len() == 8 && t.chars().all(|c| c.is_ascii_hexdigit()) && !t.chars().all(|c| c.is_ascii_digit())
        {
            return u32::from_str_radix(t, 16).ok().map(ErrorCode);
        }
        if let Ok(v) = t.parse::<u32>() {
            return Some(ErrorCode(v));
        }
        t.parse::<i32>().ok().map(|v| ErrorCode(v as u32))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:08X})", self.name(), self.0)
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ErrorCode({self})")
    }
}

/// An error carrying a MAPI code and a message saying what failed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct MapiError {
    /// The MAPI / Exchange code.
    pub code: ErrorCode,
    /// What failed, in context.
    pub message: String,
    /// The underlying code when this error wraps another one (MAPI_E_FAILONEPROVIDER caused by
    /// ecClientVerDisallowed, by MAPI_E_LOGON_FAILED, …); its advice is the one that applies.
    pub cause: Option<ErrorCode>,
}

impl MapiError {
    /// A new error.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> MapiError {
        MapiError { code, message: message.into(), cause: None }
    }
    /// A new error that wraps `cause`.
    pub fn with_cause(code: ErrorCode, cause: ErrorCode, message: impl Into<String>) -> MapiError {
        MapiError { code, message: message.into(), cause: Some(cause) }
    }
    /// The table's advice: the cause's when there is a cause with advice, else the code's.
    pub fn advice(&self) -> Option<&'static str> {
        let of = |c: ErrorCode| c.info().map(|i| i.advice).filter(|a| !a.is_empty());
        self.cause.and_then(of).or_else(|| of(self.code))
    }
}

impl fmt::Display for MapiError {
    /// `NAME (0xXXXXXXXX): message` — the form the CLI prints after `error: `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:08X}): {}", self.code.name(), self.code.0, self.message)
    }
}

impl fmt::Debug for MapiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
