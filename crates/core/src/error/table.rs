//! The error table. Every code of protocol-facts §4.6 and §2.8 has an entry.

use super::codes::*;
use super::{ErrorCode, ErrorInfo};

/// Every known code.
pub static ERRORS: &[ErrorInfo] = &[
    ErrorInfo {
        code: S_OK,
        name: "S_OK",
        aliases: &["SUCCESS_SUCCESS", "ecSuccess", "ecNone"],
        meaning: "success",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CALL_FAILED,
        name: "MAPI_E_CALL_FAILED",
        aliases: &["E_FAIL", "ecError", "GeneralFailure"],
        meaning: "an unspecified failure",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NO_SUPPORT,
        name: "MAPI_E_NO_SUPPORT",
        aliases: &["ecNotSupported", "NotSupported"],
        meaning: "the operation is not supported",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NOT_FOUND,
        name: "MAPI_E_NOT_FOUND",
        aliases: &["ecNotFound", "NotFound"],
        meaning: "the object or property does not exist",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CORRUPT_DATA,
        name: "MAPI_E_CORRUPT_DATA",
        aliases: &["ecCorruptData"],
        meaning: "the data is malformed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_PARAMETER,
        name: "MAPI_E_INVALID_PARAMETER",
        aliases: &["E_INVALIDARG", "ecInvalidParam", "InvalidParameter"],
        meaning: "a parameter is invalid",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_FAILONEPROVIDER,
        name: "MAPI_E_FAILONEPROVIDER",
        aliases: &[],
        meaning: "one provider of a message service failed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_SESSION_LIMIT,
        name: "MAPI_E_SESSION_LIMIT",
        aliases: &["ecTooManySessions"],
        meaning: "too many sessions",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNCONFIGURED,
        name: "MAPI_E_UNCONFIGURED",
        aliases: &[],
        meaning: "the service is not configured",
        advice: "",
    },
    ErrorInfo {
        code: EC_CLIENT_VER_DISALLOWED,
        name: "ecClientVerDisallowed",
        aliases: &[],
        meaning: "the client version is not allowed",
        advice: "",
    },
];

#[allow(dead_code)]
const _: ErrorCode = S_OK;
