//! The exit status of `oxmapi` by class of failure (CLI.md "Exit status"), so that a script can
//! tell a typo from a missing folder, a refused right, a server that is down and a profile that
//! does not log on without parsing the error text.
//!
//! | status | class | MAPI codes |
//! |---|---|---|
//! | 0 | success | S_OK and warnings that the command accepted |
//! | 1 | any other MAPI error | e.g. MAPI_E_CALL_FAILED, MAPI_E_COLLISION |
//! | 2 | usage: the command line is wrong | clap's errors, an argument not in its form |
//! | 3 | not found | MAPI_E_NOT_FOUND, MAPI_E_INVALID_ENTRYID, MAPI_E_UNKNOWN_ENTRYID, MAPI_E_OBJECT_DELETED, ecUnknownUser |
//! | 4 | access denied | MAPI_E_NO_ACCESS (also STG_E_ACCESSDENIED), ecLoginPerm, ecSendAsDenied, MAPI_E_NOT_INITIALIZED on an admin-only table |
//! | 5 | network or server | MAPI_E_NETWORK_ERROR, MAPI_E_TIMEOUT, MAPI_E_END_OF_SESSION, MAPI_E_BUSY, ecServerBusy, ecServerPaused, ecRpcFailed-like transport failures |
//! | 6 | logon or configuration | MAPI_E_LOGON_FAILED, MAPI_E_FAILONEPROVIDER, MAPI_E_UNCONFIGURED, MAPI_E_USER_CANCEL, MAPI_E_SESSION_LIMIT, password and account states, ecClientVerDisallowed, ecProfileNotConfigured |
//!
//! A MAPI_E_FAILONEPROVIDER whose cause is a network failure is class 5: the profile is right,
//! the server is not reachable.

use oxmapi_core::error::{ErrorCode, codes};

use crate::failure::Failure;

/// Success.
pub const SUCCESS: u8 = 0;
/// A MAPI error of no other class.
pub const OTHER: u8 = 1;
/// The command line is wrong (clap uses 2 too).
pub const USAGE: u8 = 2;
/// The object named does not exist.
pub const NOT_FOUND: u8 = 3;
/// The user has no right to it.
pub const ACCESS_DENIED: u8 = 4;
/// The server cannot be reached or failed.
pub const NETWORK: u8 = 5;
/// The logon or the profile is the problem.
pub const LOGON: u8 = 6;

/// The class of one code, if it has one.
fn class_of(code: ErrorCode) -> Option<u8> {
    use codes::*;
    Some(match code {
        MAPI_E_NOT_FOUND
        | MAPI_E_INVALID_ENTRYID
        | MAPI_E_UNKNOWN_ENTRYID
        | MAPI_E_OBJECT_DELETED
        | EC_UNKNOWN_USER => NOT_FOUND,
        MAPI_E_NO_ACCESS | STG_E_ACCESSDENIED | EC_LOGIN_PERM | EC_SEND_AS_DENIED => ACCESS_DENIED,
        MAPI_E_NETWORK_ERROR
        | MAPI_E_TIMEOUT
        | MAPI_E_END_OF_SESSION
        | MAPI_E_BUSY
        | EC_SERVER_BUSY
        | EC_SERVER_PAUSED
        | RPC_S_SERVER_TOO_BUSY
        | EC_WRONG_SERVER
        | EC_MAILBOX_IN_TRANSIT => NETWORK,
        MAPI_E_LOGON_FAILED
        | MAPI_E_FAILONEPROVIDER
        | MAPI_E_UNCONFIGURED
        | MAPI_E_USER_CANCEL
        | MAPI_E_SESSION_LIMIT
        | MAPI_E_PASSWORD_CHANGE_REQUIRED
        | MAPI_E_PASSWORD_EXPIRED
        | MAPI_E_INVALID_WORKSTATION_ACCOUNT
        | MAPI_E_INVALID_ACCESS_TIME
        | MAPI_E_ACCOUNT_DISABLED
        | EC_CLIENT_VER_DISALLOWED
        | EC_PROFILE_NOT_CONFIGURED
        | EC_RPC_AUTHENTICATION
        | EC_MAILBOX_DISABLED
        | EC_PROTOCOL_DISABLED => LOGON,
        _ => return None,
    })
}

/// The exit status for a failure.
pub fn of(f: &Failure) -> u8 {
    if f.usage {
        return USAGE;
    }
    let code = f.error.code;
    if code == codes::MAPI_E_FAILONEPROVIDER
        && let Some(cause) = f.error.cause
        && class_of(cause) == Some(NETWORK)
    {
        return NETWORK;
    }
    class_of(code).unwrap_or(OTHER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::MapiError;

    fn status(code: ErrorCode) -> u8 {
        of(&MapiError::new(code, "x").into())
    }

    #[test]
    fn each_class_has_its_status() {
        assert_eq!(status(codes::MAPI_E_NOT_FOUND), NOT_FOUND);
        assert_eq!(status(codes::MAPI_E_NO_ACCESS), ACCESS_DENIED);
        assert_eq!(status(codes::EC_LOGIN_PERM), ACCESS_DENIED);
        assert_eq!(status(codes::MAPI_E_NETWORK_ERROR), NETWORK);
        assert_eq!(status(codes::MAPI_E_LOGON_FAILED), LOGON);
        assert_eq!(status(codes::MAPI_E_CALL_FAILED), OTHER);
        assert_eq!(status(codes::MAPI_E_COLLISION), OTHER);
    }

    #[test]
    fn a_provider_that_failed_for_the_network_is_a_network_failure() {
        let mut e = MapiError::new(codes::MAPI_E_FAILONEPROVIDER, "x");
        e.cause = Some(codes::MAPI_E_NETWORK_ERROR);
        assert_eq!(of(&e.into()), NETWORK);
        let mut e = MapiError::new(codes::MAPI_E_FAILONEPROVIDER, "x");
        e.cause = Some(codes::MAPI_E_LOGON_FAILED);
        assert_eq!(of(&e.into()), LOGON);
    }

    #[test]
    fn a_malformed_argument_is_a_usage_error_whatever_its_code() {
        let f = Failure::bad_input(codes::MAPI_E_NOT_FOUND, "TAG", "unknown tag", "a tag");
        assert_eq!(of(&f), USAGE);
    }
}
