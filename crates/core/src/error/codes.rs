//! Named constants for the error codes (values from protocol-facts §4.6, §2.8 and §3.3).
//!
//! One constant per value. The name is the MAPI name where one exists (`MAPI_E_*`, `MAPI_W_*`,
//! `SYNC_*`, `STG_E_*`, `RPC_*`), else the upper-snake form of the Exchange `ec` name
//! (`ecClientVerDisallowed` → `EC_CLIENT_VER_DISALLOWED`). Values with several names
//! (`ecTooManySessions` = `MAPI_E_SESSION_LIMIT`) have only the MAPI-named constant; the table
//! ([`super::ERRORS`]) lists every name.
#![allow(missing_docs)]

use super::ErrorCode;

// Success and NSPI unbind results.
pub const S_OK: ErrorCode = ErrorCode(0x0000_0000);
/// NSPI `UnbindSuccess` (openchange names it `MAPI_E_UNBINDSUCCESS`, but it is not an error).
pub const UNBIND_SUCCESS: ErrorCode = ErrorCode(0x0000_0001);
/// NSPI `UnbindFailure`.
pub const UNBIND_FAILURE: ErrorCode = ErrorCode(0x0000_0002);

// Exchange store / EMSMDB codes (small integers).
pub const EC_PROFILE_NOT_CONFIGURED: ErrorCode = ErrorCode(0x0000_011C);
pub const EC_JET_ERROR: ErrorCode = ErrorCode(0x0000_03EA);
pub const EC_UNKNOWN_USER: ErrorCode = ErrorCode(0x0000_03EB);
pub const EC_UNKNOWN_CODE_PAGE: ErrorCode = ErrorCode(0x0000_03EF);
pub const EC_SERVER_OOM: ErrorCode = ErrorCode(0x0000_03F0);
pub const EC_LOGIN_PERM: ErrorCode = ErrorCode(0x0000_03F2);
pub const EC_PARAMETER_OVERFLOW: ErrorCode = ErrorCode(0x0000_0450);
pub const EC_NOT_SEARCH_FOLDER: ErrorCode = ErrorCode(0x0000_0461);
pub const EC_NO_RECEIVE_FOLDER: ErrorCode = ErrorCode(0x0000_0463);
pub const EC_INVALID_RECIPS: ErrorCode = ErrorCode(0x0000_0467);
pub const EC_WRONG_SERVER: ErrorCode = ErrorCode(0x0000_0478);
pub const EC_BUFFER_TOO_SMALL: ErrorCode = ErrorCode(0x0000_047D);
pub const EC_SERVER_PAUSED: ErrorCode = ErrorCode(0x0000_047F);
pub const EC_SERVER_BUSY: ErrorCode = ErrorCode(0x0000_0480);
pub const EC_SEARCH_FOLDER_SCOPE_VIOLATION: ErrorCode = ErrorCode(0x0000_0490);
/// `ecRpcFormat`; MS-OXCRPC §3.1.4.1 also gives this value to `ecRpcAuthentication`
/// (see [`EC_RPC_AUTHENTICATION`]).
pub const EC_RPC_FORMAT: ErrorCode = ErrorCode(0x0000_04B6);
pub const EC_NULL_OBJECT: ErrorCode = ErrorCode(0x0000_04B9);
/// `ecRpcAuthentication` as in Exchange's `ec` table and gromox; MS-OXCRPC says 0x4B6.
pub const EC_RPC_AUTHENTICATION: ErrorCode = ErrorCode(0x0000_04BC);
pub const EC_QUOTA_EXCEEDED: ErrorCode = ErrorCode(0x0000_04D9);
/// `ecMaxSubmissionExceeded` (MS-OXCDATA 2.4.2: "A message could not be submitted because its
/// size exceeds the defined maximum").
pub const EC_MAX_SUBMISSION_EXCEEDED: ErrorCode = ErrorCode(0x0000_04DA);
pub const EC_MAX_ATTACHMENT_EXCEEDED: ErrorCode = ErrorCode(0x0000_04DB);
pub const EC_SEND_AS_DENIED: ErrorCode = ErrorCode(0x0000_04DC);
/// `ecMaxObjsExceeded` (MS-OXCDATA 2.4.2 "TooManyOpenObjects": a client has opened too many
/// objects of a specific type; Exchange's MaxObjsPerMapiSession limits).
pub const EC_MAX_OBJS_EXCEEDED: ErrorCode = ErrorCode(0x0000_04DE);
pub const EC_CLIENT_VER_DISALLOWED: ErrorCode = ErrorCode(0x0000_04DF);
pub const EC_RPC_HTTP_DISALLOWED: ErrorCode = ErrorCode(0x0000_04E0);
pub const EC_CACHED_MODE_REQUIRED: ErrorCode = ErrorCode(0x0000_04E1);
pub const EC_NOT_EXPANDED: ErrorCode = ErrorCode(0x0000_04F7);
pub const EC_NOT_COLLAPSED: ErrorCode = ErrorCode(0x0000_04F8);
pub const EC_DST_NULL_OBJECT: ErrorCode = ErrorCode(0x0000_0503);
pub const EC_MSG_CYCLE: ErrorCode = ErrorCode(0x0000_0504);
pub const EC_TOO_MANY_RECIPS: ErrorCode = ErrorCode(0x0000_0505);
pub const EC_MAILBOX_IN_TRANSIT: ErrorCode = ErrorCode(0x0000_050C);
pub const EC_PROTOCOL_DISABLED: ErrorCode = ErrorCode(0x0000_07D8);
pub const EC_REJECTED: ErrorCode = ErrorCode(0x0000_07EE);
pub const EC_MAILBOX_DISABLED: ErrorCode = ErrorCode(0x0000_096C);
pub const EC_NOT_ENCRYPTED: ErrorCode = ErrorCode(0x0000_0970);
pub const EC_RPC_INVALID_HANDLE: ErrorCode = ErrorCode(0x0000_0A2E);

// Win32 / RPC runtime codes.
pub const RPC_S_SERVER_TOO_BUSY: ErrorCode = ErrorCode(0x0000_06BB);
pub const RPC_X_BAD_STUB_DATA: ErrorCode = ErrorCode(0x0000_06F7);

// Warnings (severity bit clear, FACILITY_ITF).
pub const MAPI_W_NO_SERVICE: ErrorCode = ErrorCode(0x0004_0203);
pub const MAPI_W_ERRORS_RETURNED: ErrorCode = ErrorCode(0x0004_0380);
pub const MAPI_W_POSITION_CHANGED: ErrorCode = ErrorCode(0x0004_0481);
pub const MAPI_W_APPROX_COUNT: ErrorCode = ErrorCode(0x0004_0482);
pub const MAPI_W_CANCEL_MESSAGE: ErrorCode = ErrorCode(0x0004_0580);
pub const MAPI_W_PARTIAL_COMPLETION: ErrorCode = ErrorCode(0x0004_0680);
pub const SYNC_W_PROGRESS: ErrorCode = ErrorCode(0x0004_0820);
pub const SYNC_W_CLIENT_CHANGE_NEWER: ErrorCode = ErrorCode(0x0004_0821);

// COM / structured-storage HRESULTs.
pub const MAPI_E_INTERFACE_NOT_SUPPORTED: ErrorCode = ErrorCode(0x8000_4002);
pub const MAPI_E_CALL_FAILED: ErrorCode = ErrorCode(0x8000_4005);
pub const STG_E_ACCESSDENIED: ErrorCode = ErrorCode(0x8003_0005);
pub const STG_E_SEEKERROR: ErrorCode = ErrorCode(0x8003_0019);
pub const STG_E_MEDIUMFULL: ErrorCode = ErrorCode(0x8003_0070);

// MAPI_E_* (0x8004xxxx, FACILITY_ITF).
pub const MAPI_E_NO_SUPPORT: ErrorCode = ErrorCode(0x8004_0102);
pub const MAPI_E_BAD_CHARWIDTH: ErrorCode = ErrorCode(0x8004_0103);
pub const MAPI_E_STRING_TOO_LONG: ErrorCode = ErrorCode(0x8004_0105);
pub const MAPI_E_UNKNOWN_FLAGS: ErrorCode = ErrorCode(0x8004_0106);
pub const MAPI_E_INVALID_ENTRYID: ErrorCode = ErrorCode(0x8004_0107);
pub const MAPI_E_INVALID_OBJECT: ErrorCode = ErrorCode(0x8004_0108);
pub const MAPI_E_OBJECT_CHANGED: ErrorCode = ErrorCode(0x8004_0109);
pub const MAPI_E_OBJECT_DELETED: ErrorCode = ErrorCode(0x8004_010A);
pub const MAPI_E_BUSY: ErrorCode = ErrorCode(0x8004_010B);
pub const MAPI_E_NOT_ENOUGH_DISK: ErrorCode = ErrorCode(0x8004_010D);
pub const MAPI_E_NOT_ENOUGH_RESOURCES: ErrorCode = ErrorCode(0x8004_010E);
pub const MAPI_E_NOT_FOUND: ErrorCode = ErrorCode(0x8004_010F);
pub const MAPI_E_VERSION: ErrorCode = ErrorCode(0x8004_0110);
pub const MAPI_E_LOGON_FAILED: ErrorCode = ErrorCode(0x8004_0111);
pub const MAPI_E_SESSION_LIMIT: ErrorCode = ErrorCode(0x8004_0112);
pub const MAPI_E_USER_CANCEL: ErrorCode = ErrorCode(0x8004_0113);
pub const MAPI_E_UNABLE_TO_ABORT: ErrorCode = ErrorCode(0x8004_0114);
pub const MAPI_E_NETWORK_ERROR: ErrorCode = ErrorCode(0x8004_0115);
pub const MAPI_E_DISK_ERROR: ErrorCode = ErrorCode(0x8004_0116);
pub const MAPI_E_TOO_COMPLEX: ErrorCode = ErrorCode(0x8004_0117);
pub const MAPI_E_BAD_COLUMN: ErrorCode = ErrorCode(0x8004_0118);
pub const MAPI_E_EXTENDED_ERROR: ErrorCode = ErrorCode(0x8004_0119);
pub const MAPI_E_COMPUTED: ErrorCode = ErrorCode(0x8004_011A);
pub const MAPI_E_CORRUPT_DATA: ErrorCode = ErrorCode(0x8004_011B);
pub const MAPI_E_UNCONFIGURED: ErrorCode = ErrorCode(0x8004_011C);
pub const MAPI_E_FAILONEPROVIDER: ErrorCode = ErrorCode(0x8004_011D);
pub const MAPI_E_UNKNOWN_CPID: ErrorCode = ErrorCode(0x8004_011E);
pub const MAPI_E_UNKNOWN_LCID: ErrorCode = ErrorCode(0x8004_011F);
pub const MAPI_E_PASSWORD_CHANGE_REQUIRED: ErrorCode = ErrorCode(0x8004_0120);
pub const MAPI_E_PASSWORD_EXPIRED: ErrorCode = ErrorCode(0x8004_0121);
pub const MAPI_E_INVALID_WORKSTATION_ACCOUNT: ErrorCode = ErrorCode(0x8004_0122);
pub const MAPI_E_INVALID_ACCESS_TIME: ErrorCode = ErrorCode(0x8004_0123);
pub const MAPI_E_ACCOUNT_DISABLED: ErrorCode = ErrorCode(0x8004_0124);
pub const MAPI_E_END_OF_SESSION: ErrorCode = ErrorCode(0x8004_0200);
pub const MAPI_E_UNKNOWN_ENTRYID: ErrorCode = ErrorCode(0x8004_0201);
pub const MAPI_E_MISSING_REQUIRED_COLUMN: ErrorCode = ErrorCode(0x8004_0202);
pub const MAPI_E_BAD_VALUE: ErrorCode = ErrorCode(0x8004_0301);
pub const MAPI_E_INVALID_TYPE: ErrorCode = ErrorCode(0x8004_0302);
pub const MAPI_E_TYPE_NO_SUPPORT: ErrorCode = ErrorCode(0x8004_0303);
pub const MAPI_E_UNEXPECTED_TYPE: ErrorCode = ErrorCode(0x8004_0304);
pub const MAPI_E_TOO_BIG: ErrorCode = ErrorCode(0x8004_0305);
pub const MAPI_E_DECLINE_COPY: ErrorCode = ErrorCode(0x8004_0306);
pub const MAPI_E_UNEXPECTED_ID: ErrorCode = ErrorCode(0x8004_0307);
pub const MAPI_E_UNABLE_TO_COMPLETE: ErrorCode = ErrorCode(0x8004_0400);
pub const MAPI_E_TIMEOUT: ErrorCode = ErrorCode(0x8004_0401);
pub const MAPI_E_TABLE_EMPTY: ErrorCode = ErrorCode(0x8004_0402);
pub const MAPI_E_TABLE_TOO_BIG: ErrorCode = ErrorCode(0x8004_0403);
pub const MAPI_E_INVALID_BOOKMARK: ErrorCode = ErrorCode(0x8004_0405);
pub const MAPI_E_WAIT: ErrorCode = ErrorCode(0x8004_0500);
pub const MAPI_E_CANCEL: ErrorCode = ErrorCode(0x8004_0501);
pub const MAPI_E_NOT_ME: ErrorCode = ErrorCode(0x8004_0502);
pub const MAPI_E_CORRUPT_STORE: ErrorCode = ErrorCode(0x8004_0600);
pub const MAPI_E_NOT_IN_QUEUE: ErrorCode = ErrorCode(0x8004_0601);
pub const MAPI_E_NO_SUPPRESS: ErrorCode = ErrorCode(0x8004_0602);
pub const MAPI_E_COLLISION: ErrorCode = ErrorCode(0x8004_0604);
pub const MAPI_E_NOT_INITIALIZED: ErrorCode = ErrorCode(0x8004_0605);
pub const MAPI_E_NON_STANDARD: ErrorCode = ErrorCode(0x8004_0606);
pub const MAPI_E_NO_RECIPIENTS: ErrorCode = ErrorCode(0x8004_0607);
pub const MAPI_E_SUBMITTED: ErrorCode = ErrorCode(0x8004_0608);
pub const MAPI_E_HAS_FOLDERS: ErrorCode = ErrorCode(0x8004_0609);
pub const MAPI_E_HAS_MESSAGES: ErrorCode = ErrorCode(0x8004_060A);
pub const MAPI_E_FOLDER_CYCLE: ErrorCode = ErrorCode(0x8004_060B);
pub const MAPI_E_STORE_FULL: ErrorCode = ErrorCode(0x8004_060C);
pub const MAPI_E_LOCKID_LIMIT: ErrorCode = ErrorCode(0x8004_060D);
pub const MAPI_E_AMBIGUOUS_RECIP: ErrorCode = ErrorCode(0x8004_0700);
pub const SYNC_E_OBJECT_DELETED: ErrorCode = ErrorCode(0x8004_0800);
pub const SYNC_E_IGNORE: ErrorCode = ErrorCode(0x8004_0801);
pub const SYNC_E_CONFLICT: ErrorCode = ErrorCode(0x8004_0802);
pub const SYNC_E_NO_PARENT: ErrorCode = ErrorCode(0x8004_0803);
pub const SYNC_E_CYCLE: ErrorCode = ErrorCode(0x8004_0804);
pub const SYNC_E_UNSYNCHRONIZED: ErrorCode = ErrorCode(0x8004_0805);
pub const MAPI_E_NAMED_PROP_QUOTA_EXCEEDED: ErrorCode = ErrorCode(0x8004_0900);
pub const MAPI_E_NOT_IMPLEMENTED: ErrorCode = ErrorCode(0x8004_0FFF);

// Win32 HRESULTs (FACILITY_WIN32) used as MAPI codes.
pub const MAPI_E_NO_ACCESS: ErrorCode = ErrorCode(0x8007_0005);
pub const MAPI_E_NOT_ENOUGH_MEMORY: ErrorCode = ErrorCode(0x8007_000E);
pub const MAPI_E_INVALID_PARAMETER: ErrorCode = ErrorCode(0x8007_0057);
