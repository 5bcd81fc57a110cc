//! Why a command failed: the MAPI error (CLI.md: `error: NAME (0xXXXXXXXX): message`) and the
//! hint that fits the situation.
//!
//! The error table's advice (`oxmapi error CODE`) describes what a code means when a server or a
//! provider returns it. The CLI also uses MAPI codes for its own, local failures — a file that is
//! not there, an argument that is not hex — and for those the table's advice about folders or
//! RopLogon is wrong. A [`Failure`] therefore carries its hint: the table's for errors that come
//! from the MAPI side (every `MapiError` converts with `?`), or a text that names the argument,
//! the file or the command that fixes it.

use std::path::Path;

use oxmapi_core::MapiError;
use oxmapi_core::error::{ErrorCode, codes};
use oxmapi_store::directory::{INVALID_USER_NAME, USER_NAME_RULE};

/// The hint printed after a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// The error table's advice for the code (or its cause): errors from a server or provider.
    Table,
    /// Advice for this situation (the operation that failed and its input).
    Text(String),
}

/// A command's failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The MAPI error.
    pub error: MapiError,
    /// What to do about it.
    pub hint: Hint,
    /// The command line itself is wrong (an argument not in the form it takes): exit status 2
    /// ([`crate::exit_status`]).
    pub usage: bool,
}

impl From<MapiError> for Failure {
    /// The table's hint, except for a refused user name (the table's advice for
    /// MAPI_E_INVALID_PARAMETER is about RopLogon flags): that one states the rule.
    fn from(error: MapiError) -> Failure {
        if error.code == codes::MAPI_E_INVALID_PARAMETER && error.message.starts_with(INVALID_USER_NAME) {
            return Failure::with_hint(
                error,
                format!("{USER_NAME_RULE}; pick another name, e.g. `oxmapi admin user add alice …`"),
            );
        }
        Failure { error, hint: Hint::Table, usage: false }
    }
}

impl Failure {
    /// `error` with advice for the situation instead of the table's.
    pub fn with_hint(error: MapiError, hint: impl Into<String>) -> Failure {
        Failure { error, hint: Hint::Text(hint.into()), usage: false }
    }

    /// A command-line argument that is not in the form the command takes: `arg` names it,
    /// `expected` says what it takes.
    pub fn bad_input(code: ErrorCode, arg: &str, message: impl Into<String>, expected: &str) -> Failure {
        Failure {
            usage: true,
            ..Failure::with_hint(MapiError::new(code, message), format!("{arg} takes {expected}"))
        }
    }

    /// A local file (`what`: "attachment file", "password file", …) that cannot be read or
    /// written: MAPI_E_NOT_FOUND when it is not there, MAPI_E_NO_ACCESS when permissions forbid
    /// it, else MAPI_E_DISK_ERROR. The hint names the file and the directory a relative path is
    /// read from.
    pub fn local_file(what: &str, path: &Path, e: &std::io::Error) -> Failure {
        let code = match e.kind() {
            std::io::ErrorKind::NotFound => codes::MAPI_E_NOT_FOUND,
            std::io::ErrorKind::PermissionDenied => codes::MAPI_E_NO_ACCESS,
            _ => codes::MAPI_E_DISK_ERROR,
        };
        let shown = path.display();
        let where_ = if path.is_relative() {
            match std::env::current_dir() {
                Ok(d) => format!(" (relative to {})", d.display()),
                Err(_) => String::new(),
            }
        } else {
            String::new()
        };
        let fix = match e.kind() {
            std::io::ErrorKind::NotFound => "check the path, or create the file first",
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            _ => "check the path and the disk",
        };
        Failure::with_hint(
            MapiError::new(code, format!("{what} {shown}: {e}")),
            format!("{shown} is a file on this computer{where_}, not in the mailbox: {fix}"),
        )
    }

    /// The hint to print, if any.
    pub fn hint(&self) -> Option<String> {
        match &self.hint {
            Hint::Table => self.error.advice().map(str::to_string),
            Hint::Text(t) => Some(t.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_local_file_names_the_file_not_a_folder() {
        let path = Path::new("no-such-report.pdf");
        let e = std::io::Error::from(std::io::ErrorKind::NotFound);
        let f = Failure::local_file("attachment file", path, &e);
        assert_eq!(f.error.code, codes::MAPI_E_NOT_FOUND);
        assert!(f.error.message.contains("attachment file no-such-report.pdf"), "{}", f.error.message);
        let hint = f.hint().unwrap();
        assert!(hint.contains("no-such-report.pdf") && hint.contains("on this computer"), "{hint}");
        assert!(!hint.to_lowercase().contains("folder path"), "{hint}");
    }

    #[test]
    fn errors_from_the_mapi_side_keep_the_table_advice() {
        let f: Failure = MapiError::new(codes::MAPI_E_LOGON_FAILED, "refused").into();
        assert_eq!(f.hint(), MapiError::new(codes::MAPI_E_LOGON_FAILED, "").advice().map(str::to_string));
    }

    /// Issue 14 item 11: the hint for a refused user name talked about RopLogon.
    #[test]
    fn a_refused_user_name_is_explained_by_the_name_rule() {
        let e = oxmapi_store::directory::check_user_name("..").unwrap_err();
        let f: Failure = MapiError::from(e).into();
        assert_eq!(f.error.code, codes::MAPI_E_INVALID_PARAMETER);
        let hint = f.hint().unwrap();
        assert!(hint.contains("starts with a letter or a digit"), "{hint}");
        assert!(!hint.contains("RopLogon"), "{hint}");
    }

    #[test]
    fn bad_input_names_the_argument() {
        let f = Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "HEX",
            "zz is not hex",
            "pairs of hex digits",
        );
        let hint = f.hint().unwrap();
        assert!(hint.starts_with("HEX takes"), "{hint}");
        assert!(!hint.contains("RopLogon"), "{hint}");
    }
}
