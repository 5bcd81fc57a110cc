//! Named constants for the error codes (values from protocol-facts §4.6 and §2.8).
#![allow(missing_docs)]

use super::ErrorCode;

pub const S_OK: ErrorCode = ErrorCode(0x0000_0000);
pub const MAPI_E_CALL_FAILED: ErrorCode = ErrorCode(0x8000_4005);
pub const MAPI_E_NO_SUPPORT: ErrorCode = ErrorCode(0x8004_0102);
pub const MAPI_E_NOT_FOUND: ErrorCode = ErrorCode(0x8004_010F);
pub const MAPI_E_CORRUPT_DATA: ErrorCode = ErrorCode(0x8004_011B);
pub const MAPI_E_INVALID_PARAMETER: ErrorCode = ErrorCode(0x8007_0057);
pub const MAPI_E_FAILONEPROVIDER: ErrorCode = ErrorCode(0x8004_011D);
pub const MAPI_E_SESSION_LIMIT: ErrorCode = ErrorCode(0x8004_0112);
pub const MAPI_E_UNCONFIGURED: ErrorCode = ErrorCode(0x8004_011C);
pub const EC_CLIENT_VER_DISALLOWED: ErrorCode = ErrorCode(0x0000_04DF);
