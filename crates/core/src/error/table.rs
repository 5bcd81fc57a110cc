//! The error table. Every code of protocol-facts §4.6, §2.8 and §3.3 has an entry: one entry per
//! value, the MAPI name as `name` where one exists, every other name (Exchange `ec*`, NSPI,
//! COM/Win32) in `aliases`, and for the codes people hit in the field, advice on what to do.

use super::ErrorInfo;
use super::codes::*;

/// Every known code, ordered by value.
pub static ERRORS: &[ErrorInfo] = &[
    // ---- success, NSPI unbind results --------------------------------------------------------
    ErrorInfo {
        code: S_OK,
        name: "S_OK",
        aliases: &["SUCCESS_SUCCESS", "ecSuccess", "ecNone", "Success"],
        meaning: "success",
        advice: "",
    },
    ErrorInfo {
        code: UNBIND_SUCCESS,
        name: "UnbindSuccess",
        aliases: &["MAPI_E_UNBINDSUCCESS"],
        meaning: "NSPI: the address-book session was unbound (a success code despite its MAPI_E_ name)",
        advice: "",
    },
    ErrorInfo {
        code: UNBIND_FAILURE,
        name: "UnbindFailure",
        aliases: &[],
        meaning: "NSPI: unbinding the address-book session failed",
        advice: "",
    },
    // ---- Exchange ec* codes ------------------------------------------------------------------
    ErrorInfo {
        code: EC_PROFILE_NOT_CONFIGURED,
        name: "ecProfileNotConfigured",
        aliases: &[],
        meaning: "RopLogon: a store other than the user's home mailbox was opened without \
                  USE_ADMIN_PRIVILEGE (not the same code as MAPI_E_UNCONFIGURED 0x8004011C)",
        advice: "The logon named a mailbox that is not the user's own. To open another user's \
                 mailbox as a delegate, the user needs a full-access grant \
                 (`oxmapi admin grant full-access --mailbox OWNER --to USER`) and the client opens it \
                 with `--mailbox OWNER`; otherwise check that the profile's mailbox and server are the \
                 user's own.",
    },
    ErrorInfo {
        code: EC_JET_ERROR,
        name: "ecJetError",
        aliases: &[],
        meaning: "the server's database engine failed",
        advice: "",
    },
    ErrorInfo {
        code: EC_UNKNOWN_USER,
        name: "ecUnknownUser",
        aliases: &[],
        meaning: "the user DN in Connect or RopLogon is not a valid, enabled mailbox",
        advice: "Check the user the profile names: its legacy DN must match an existing mailbox \
                 (`oxmapi admin user list`, `oxmapi admin user show NAME`). A profile made before the \
                 user was renamed or re-created keeps the old DN: create the profile again.",
    },
    ErrorInfo {
        code: EC_UNKNOWN_CODE_PAGE,
        name: "ecUnknownCodePage",
        aliases: &[],
        meaning: "RopLogon or Connect: the client's code page is not supported by the server",
        advice: "",
    },
    ErrorInfo {
        code: EC_SERVER_OOM,
        name: "ecServerOOM",
        aliases: &[],
        meaning: "the server ran out of memory; also the Execute StatusCode when the response \
                  would not fit the client's output buffer",
        advice: "For Execute/EcDoRpcExt2 it usually means the response is larger than the output \
                 buffer the client offered: send fewer ROPs per request or offer a larger buffer \
                 (up to the protocol limit). Otherwise the server is short of memory: check its logs.",
    },
    ErrorInfo {
        code: EC_LOGIN_PERM,
        name: "ecLoginPerm",
        aliases: &[],
        meaning: "administrative access was requested by a user without administrative rights",
        advice: "Connect or RopLogon carried CONNECT_USE_ADMIN_PRIVILEGE / USE_ADMIN_PRIVILEGE \
                 (0x1) for a user who is not an administrator. Clear the flag \
                 (`oxmapi profile set NAME PR_PROFILE_CONNECT_FLAGS --clear 0x1`) or log on as an \
                 administrator (users created with `oxmapi admin user add NAME --admin ...`). \
                 To open another user's mailbox, a full-access grant is enough; admin privilege is \
                 not needed.",
    },
    ErrorInfo {
        code: EC_PARAMETER_OVERFLOW,
        name: "ecParameterOverflow",
        aliases: &[],
        meaning: "a parameter value is out of range",
        advice: "",
    },
    ErrorInfo {
        code: EC_NOT_SEARCH_FOLDER,
        name: "ecNotSearchFolder",
        aliases: &[],
        meaning: "the operation needs a search folder and the folder is not one",
        advice: "",
    },
    ErrorInfo {
        code: EC_NO_RECEIVE_FOLDER,
        name: "ecNoReceiveFolder",
        aliases: &[],
        meaning: "no receive folder is set for the message class",
        advice: "",
    },
    ErrorInfo {
        code: EC_INVALID_RECIPS,
        name: "ecInvalidRecips",
        aliases: &[],
        meaning: "the message's recipients are invalid",
        advice: "",
    },
    ErrorInfo {
        code: EC_WRONG_SERVER,
        name: "ecWrongServer",
        aliases: &[],
        meaning: "RopLogon redirect: the mailbox is on another server, named in the response",
        advice: "The mailbox lives on a different server; the RopLogon response carries that \
                 server's name and a client normally reconnects there by itself. If the error \
                 reaches you, fix the server in the profile to the one named in the response. \
                 Repeated redirects between servers point at a directory or profile mix-up \
                 (after more than 5 in 10 seconds the server answers ecServerPaused).",
    },
    ErrorInfo {
        code: EC_BUFFER_TOO_SMALL,
        name: "ecBufferTooSmall",
        aliases: &[],
        meaning: "the response buffer is too small for even one result (row, property, ROP)",
        advice: "The client's output buffer cannot hold a single row or property value. Offer a \
                 larger response buffer (MaxRopOut/pcbOut, up to the protocol limit), request fewer \
                 or smaller columns, and read big properties as streams (RopOpenStream). A \
                 RopBufferTooSmall response states the size needed.",
    },
    ErrorInfo {
        code: EC_SERVER_PAUSED,
        name: "ecServerPaused",
        aliases: &[],
        meaning: "RopLogon refused for now: more than 5 redirected logon attempts within 10 seconds",
        advice: "The client was redirected (ecWrongServer) too often in a short time, usually a \
                 redirect loop caused by a profile pointing at the wrong server. Fix the profile's \
                 server, wait a few seconds and log on again.",
    },
    ErrorInfo {
        code: EC_SERVER_BUSY,
        name: "ecServerBusy",
        aliases: &[],
        meaning: "the server is too busy to handle the request now",
        advice: "The server is overloaded or throttling this client. Retry after a pause with \
                 increasing back-off and reduce parallel requests and sessions; if it persists, \
                 check the server's load (`/metrics`) and logs.",
    },
    ErrorInfo {
        code: EC_SEARCH_FOLDER_SCOPE_VIOLATION,
        name: "ecSearchFolderScopeViolation",
        aliases: &[],
        meaning: "the search scope of a search folder names a folder that cannot be searched (the search folder itself, another search folder or a folder of another store)",
        advice: "",
    },
    ErrorInfo {
        code: EC_RPC_FORMAT,
        name: "ecRpcFormat",
        aliases: &[],
        meaning: "the request is malformed (bad ROP buffer, RPC_HEADER_EXT or sizes); \
                  [conflict] MS-OXCRPC 3.1.4.1 also lists 0x4B6 as ecRpcAuthentication for \
                  Connect, while Exchange's ec table and gromox give ecRpcAuthentication 0x4BC",
        advice: "The server could not parse the request: a wrong size or count field, unknown \
                 RPC_HEADER_EXT flags, bad compression, or RopReadStream with MaximumByteCount above \
                 0x80000000. It is a client bug or a proxy altering the body: decode the request with \
                 `oxmapi inspect execute-request @FILE` (or `rpc-ext`) to find the bad field. \
                 Returned by Exchange 2007 at Connect it means an authentication problem: check the \
                 credentials.",
    },
    ErrorInfo {
        code: EC_NULL_OBJECT,
        name: "ecNullObject",
        aliases: &[],
        meaning: "a ROP's handle index points at no object",
        advice: "A ROP used a handle slot that holds no object, usually because an earlier ROP in \
                 the same request that should have filled the slot failed, or the object was \
                 released. Look at the first failing ROP of the request and fix that error; with \
                 `oxmapi inspect rop-request` check the handle indexes.",
    },
    ErrorInfo {
        code: EC_RPC_AUTHENTICATION,
        name: "ecRpcAuthentication",
        aliases: &[],
        meaning: "authentication failed at the RPC layer (value from Exchange's ec table and gromox; \
                  MS-OXCRPC 3.1.4.1 lists 0x4B6 for it, see ecRpcFormat)",
        advice: "The server did not accept the binding's authentication. Check the user name and \
                 password and that the client uses an authentication method the server accepts \
                 (Basic, NTLM, Negotiate).",
    },
    ErrorInfo {
        code: EC_QUOTA_EXCEEDED,
        name: "ecQuotaExceeded",
        aliases: &[],
        meaning: "the mailbox or folder is over its storage quota",
        advice: "Saving, moving or delivering failed because the mailbox is over its quota. Delete \
                 or archive large items, empty Deleted Items, or ask the administrator for a larger \
                 quota (on an oxmapi server: `oxmapi admin set prohibit-send-quota-kb` or \
                 `prohibit-receive-quota-kb`).",
    },
    ErrorInfo {
        code: EC_MAX_SUBMISSION_EXCEEDED,
        name: "ecMaxSubmissionExceeded",
        aliases: &[],
        meaning: "the message is larger than the largest message the server lets this user submit",
        advice: "The mailbox's PidTagMaximumSubmitMessageSize (KiB) is smaller than the message. \
                 Remove or shrink attachments, or ask the administrator to raise the limit \
                 (`oxmapi admin set max-submit-message-size-kb`).",
    },
    ErrorInfo {
        code: EC_MAX_ATTACHMENT_EXCEEDED,
        name: "ecMaxAttachmentExceeded",
        aliases: &[],
        meaning: "the message has more attachments than the server allows",
        advice: "",
    },
    ErrorInfo {
        code: EC_SEND_AS_DENIED,
        name: "ecSendAsDenied",
        aliases: &[],
        meaning: "sending as or on behalf of this user is not allowed: the sender has no Send As or \
                  Send on Behalf right for the From address",
        advice: "Sending as or on behalf of another user is not allowed without the right: the \
                 message names someone else as the user it is sent on behalf of \
                 (PR_SENT_REPRESENTING_NAME, _ENTRYID, _EMAIL_ADDRESS, _SMTP_ADDRESS, _SEARCH_KEY). \
                 Either have an administrator give you the right (`oxmapi admin grant send-as \
                 --mailbox OWNER --to YOU`, or `grant send-on-behalf …`), or remove those \
                 properties (the server then fills in your own identity) and send again.",
    },
    ErrorInfo {
        code: EC_MAX_OBJS_EXCEEDED,
        name: "ecMaxObjsExceeded",
        aliases: &["TooManyOpenObjects"],
        meaning: "the session has too many server objects of this kind open",
        advice: "A session may hold only so many open objects of each kind at once (as Exchange's \
                 MaxObjsPerMapiSession: 500 folders, 500 tables, 250 messages, 500 attachments, \
                 250 streams, 500 notification subscriptions). Release objects the client no \
                 longer uses (RopRelease; in MAPI, Release the interface) before opening more, or \
                 spread the work over several sessions.",
    },
    ErrorInfo {
        code: EC_CLIENT_VER_DISALLOWED,
        name: "ecClientVerDisallowed",
        aliases: &[],
        meaning: "Connect refused: the client version is not allowed",
        advice: "The server refused the client because of the version it reports. Usual cause: the \
                 server has no public folder store and the client reports a version below 12.0 \
                 without CONNECT_IGNORE_NO_PF (0x8000) in its Connect flags; other causes are a \
                 version blocked by the administrator (server setting `min-client-version`) or an \
                 old client when the server requires encryption. Fix: set CONNECT_IGNORE_NO_PF in \
                 PR_PROFILE_CONNECT_FLAGS (0x66040003) of the global profile section \
                 (`oxmapi profile set NAME PR_PROFILE_CONNECT_FLAGS --or 0x8000`), report 12.0 or \
                 newer (`--client-version`), enable public folders \
                 (`oxmapi admin public-folders enable`) or lower the minimum \
                 (`oxmapi admin set min-client-version A.B.C.D`); MAPI shows this as \
                 MAPI_E_FAILONEPROVIDER on OpenMsgStore.",
    },
    ErrorInfo {
        code: EC_RPC_HTTP_DISALLOWED,
        name: "ecRpcHttpDisallowed",
        aliases: &[],
        meaning: "Connect refused: the server does not allow RPC over HTTP for this client",
        advice: "The server or the administrator does not allow RPC over HTTP (Outlook Anywhere) \
                 for this user. Connect with MAPI over HTTP or from the internal network, or ask \
                 the administrator to allow it.",
    },
    ErrorInfo {
        code: EC_CACHED_MODE_REQUIRED,
        name: "ecCachedModeRequired",
        aliases: &[],
        meaning: "Connect refused: the server only accepts clients in cached (offline) mode",
        advice: "The server requires cached Exchange mode and the client connected online. Turn \
                 on cached mode in the client, or ask the administrator to lift the requirement.",
    },
    ErrorInfo {
        code: EC_NOT_EXPANDED,
        name: "ecNotExpanded",
        aliases: &[],
        meaning: "the category row is not expanded",
        advice: "",
    },
    ErrorInfo {
        code: EC_NOT_COLLAPSED,
        name: "ecNotCollapsed",
        aliases: &[],
        meaning: "the category row is not collapsed",
        advice: "",
    },
    ErrorInfo {
        code: EC_DST_NULL_OBJECT,
        name: "ecDstNullObject",
        aliases: &[],
        meaning: "the destination handle of a move/copy ROP points at no object",
        advice: "",
    },
    ErrorInfo {
        code: EC_MSG_CYCLE,
        name: "ecMsgCycle",
        aliases: &[],
        meaning: "the operation would embed a message in itself",
        advice: "",
    },
    ErrorInfo {
        code: EC_TOO_MANY_RECIPS,
        name: "ecTooManyRecips",
        aliases: &[],
        meaning: "the message has more recipients than the server allows",
        advice: "Split the recipient list over several messages or send to a distribution list.",
    },
    ErrorInfo {
        code: EC_MAILBOX_IN_TRANSIT,
        name: "ecMailboxInTransit",
        aliases: &[],
        meaning: "RopLogon refused: the mailbox is being moved",
        advice: "The mailbox is being moved to another database or server and logons are refused \
                 until the move completes. Wait and retry; after the move the profile may need the \
                 new server.",
    },
    ErrorInfo {
        code: RPC_S_SERVER_TOO_BUSY,
        name: "RPC_S_SERVER_TOO_BUSY",
        aliases: &["ecObjectLocked"],
        meaning: "Win32 RPC: the server is too busy (the Execute StatusCode on back-off); Exchange's \
                  store ec table uses the same value for ecObjectLocked",
        advice: "The server asked the client to back off because it is overloaded or throttling \
                 this client. Retry after the delay it gives (RopBackoff) with increasing back-off \
                 and fewer parallel requests; if it persists, check the server's load (`/metrics`).",
    },
    ErrorInfo {
        code: RPC_X_BAD_STUB_DATA,
        name: "RPC_X_BAD_STUB_DATA",
        aliases: &[],
        meaning: "Win32 RPC: the request or response data could not be unmarshalled",
        advice: "The RPC layer found malformed or truncated data: a size field that does not match \
                 the buffer (for example cbIn/pcbOut or cbAuxIn beyond the protocol limits), or a \
                 body damaged by a proxy. Decode the request with `oxmapi inspect` and check the \
                 sizes against the EcDoRpcExt2/Execute limits.",
    },
    ErrorInfo {
        code: EC_PROTOCOL_DISABLED,
        name: "ecProtocolDisabled",
        aliases: &[],
        meaning: "Connect refused: the user may not use this protocol",
        advice: "The administrator has disabled MAPI (or this transport) for the user, for example \
                 with Exchange's `Set-CASMailbox -MAPIEnabled $false`. Ask the administrator to \
                 enable MAPI access for the mailbox.",
    },
    ErrorInfo {
        code: EC_REJECTED,
        name: "ecRejected",
        aliases: &[],
        meaning: "EcDoAsyncConnectEx: asynchronous notifications are disabled on the server",
        advice: "",
    },
    ErrorInfo {
        code: EC_MAILBOX_DISABLED,
        name: "ecMailboxDisabled",
        aliases: &[],
        meaning: "RopLogon refused: the mailbox is disabled",
        advice: "The mailbox exists but is disabled. An administrator enables it again \
                 (`oxmapi admin user enable NAME`; on Exchange, re-enable the mailbox or account).",
    },
    ErrorInfo {
        code: EC_NOT_ENCRYPTED,
        name: "ecNotEncrypted",
        aliases: &[],
        meaning: "Connect refused: the server requires an encrypted connection",
        advice: "The server requires encryption and the connection was not encrypted (RPC without \
                 packet privacy, or MAPI over HTTP on plain http://). Use an https:// server URL in \
                 the profile (or, for RPC clients, turn on encryption between client and server).",
    },
    ErrorInfo {
        code: EC_RPC_INVALID_HANDLE,
        name: "ecRpcInvalidHandle",
        aliases: &[],
        meaning: "the session context handle is not valid (expired, or the server restarted)",
        advice: "The server no longer knows the session. Connect and log on again.",
    },
    // ---- warnings ----------------------------------------------------------------------------
    ErrorInfo {
        code: MAPI_W_NO_SERVICE,
        name: "MAPI_W_NO_SERVICE",
        aliases: &[],
        meaning: "warning: a service in the profile could not be started",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_W_ERRORS_RETURNED,
        name: "MAPI_W_ERRORS_RETURNED",
        aliases: &["ecWarnWithErrors", "ErrorsReturned"],
        meaning: "warning: the call succeeded but some values carry errors (e.g. properties not found)",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_W_POSITION_CHANGED,
        name: "MAPI_W_POSITION_CHANGED",
        aliases: &["ecWarnPositionChanged"],
        meaning: "warning: the table cursor position changed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_W_APPROX_COUNT,
        name: "MAPI_W_APPROX_COUNT",
        aliases: &["ecWarnApproxCount"],
        meaning: "warning: the row count or position is approximate",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_W_CANCEL_MESSAGE,
        name: "MAPI_W_CANCEL_MESSAGE",
        aliases: &[],
        meaning: "warning: the message was cancelled (transport)",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_W_PARTIAL_COMPLETION,
        name: "MAPI_W_PARTIAL_COMPLETION",
        aliases: &["ecPartialCompletion"],
        meaning: "warning: the operation completed for only some of the objects",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_W_PROGRESS,
        name: "SYNC_W_PROGRESS",
        aliases: &[],
        meaning: "ICS: synchronization is in progress; call again to continue",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_W_CLIENT_CHANGE_NEWER,
        name: "SYNC_W_CLIENT_CHANGE_NEWER",
        aliases: &[],
        meaning: "ICS: the client's change is newer than the server's",
        advice: "",
    },
    // ---- COM / structured-storage HRESULTs ---------------------------------------------------
    ErrorInfo {
        code: MAPI_E_INTERFACE_NOT_SUPPORTED,
        name: "MAPI_E_INTERFACE_NOT_SUPPORTED",
        aliases: &["E_NOINTERFACE", "ecInterfaceNotSupported"],
        meaning: "the object does not support the requested interface",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CALL_FAILED,
        name: "MAPI_E_CALL_FAILED",
        aliases: &["E_FAIL", "ecError", "GeneralFailure", "SYNC_E_ERROR"],
        meaning: "an unspecified failure",
        advice: "A catch-all code: the message text says what failed. Run again with \
                 RUST_LOG=debug (and look at the server log) to see the underlying error.",
    },
    ErrorInfo {
        code: STG_E_ACCESSDENIED,
        name: "STG_E_ACCESSDENIED",
        aliases: &[],
        meaning: "structured storage: access to the stream or storage was denied",
        advice: "",
    },
    ErrorInfo {
        code: STG_E_SEEKERROR,
        name: "STG_E_SEEKERROR",
        aliases: &["ecStreamSeekError"],
        meaning: "structured storage: a seek before the start of the stream or past its largest size",
        advice: "",
    },
    ErrorInfo {
        code: STG_E_MEDIUMFULL,
        name: "STG_E_MEDIUMFULL",
        aliases: &["ecStreamSizeError"],
        meaning: "structured storage: the medium is full, or the stream exceeds its maximum size",
        advice: "",
    },
    // ---- MAPI_E_* ----------------------------------------------------------------------------
    ErrorInfo {
        code: MAPI_E_NO_SUPPORT,
        name: "MAPI_E_NO_SUPPORT",
        aliases: &["ecNotSupported", "NotSupported"],
        meaning: "the operation or flag is not supported by this object or provider",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_BAD_CHARWIDTH,
        name: "MAPI_E_BAD_CHARWIDTH",
        aliases: &["ecBadCharwidth"],
        meaning: "MAPI_UNICODE was given (or not) where the provider does not support that width",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_STRING_TOO_LONG,
        name: "MAPI_E_STRING_TOO_LONG",
        aliases: &["ecStringTooLarge"],
        meaning: "a string is longer than allowed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNKNOWN_FLAGS,
        name: "MAPI_E_UNKNOWN_FLAGS",
        aliases: &["ecUnknownFlags", "SYNC_E_UNKNOWN_FLAGS"],
        meaning: "a flags argument contains unknown bits",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_ENTRYID,
        name: "MAPI_E_INVALID_ENTRYID",
        aliases: &["ecInvalidEntryId"],
        meaning: "the entry ID is malformed or not valid for this store or provider",
        advice: "The entry ID is malformed, truncated (hex copied incompletely), or belongs to a \
                 different store, server or profile. Get a fresh one (`oxmapi ls`, `oxmapi stores`) \
                 and check it with `oxmapi inspect entryid HEX`.",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_OBJECT,
        name: "MAPI_E_INVALID_OBJECT",
        aliases: &["ecInvalidObject", "InvalidObject"],
        meaning: "the object is no longer valid (released, or its session or parent is gone)",
        advice: "The object was released or closed, or its session ended (logoff, server \
                 restart, expired session), or it was used through the wrong handle. Open it again \
                 from its parent, logging on again if needed.",
    },
    ErrorInfo {
        code: MAPI_E_OBJECT_CHANGED,
        name: "MAPI_E_OBJECT_CHANGED",
        aliases: &["ecObjectModified"],
        meaning: "the object was changed by someone else since it was opened",
        advice: "Another client saved the object after you opened it. Reopen it and apply your \
                 changes again (or save with ForceSave to overwrite theirs).",
    },
    ErrorInfo {
        code: MAPI_E_OBJECT_DELETED,
        name: "MAPI_E_OBJECT_DELETED",
        aliases: &["ecObjectDeleted"],
        meaning: "the object was deleted since it was opened",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_BUSY,
        name: "MAPI_E_BUSY",
        aliases: &["ecBusy"],
        meaning: "the object or provider is busy with another operation",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NOT_ENOUGH_DISK,
        name: "MAPI_E_NOT_ENOUGH_DISK",
        aliases: &["ecDiskFull"],
        meaning: "not enough disk space",
        advice: "The disk holding the store (the server's data directory, or a local PST file) is \
                 full. Free space and retry.",
    },
    ErrorInfo {
        code: MAPI_E_NOT_ENOUGH_RESOURCES,
        name: "MAPI_E_NOT_ENOUGH_RESOURCES",
        aliases: &["ecInsufficientResrc", "OutOfResources"],
        meaning: "not enough system resources (handles, connections, memory) to complete the call",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NOT_FOUND,
        name: "MAPI_E_NOT_FOUND",
        aliases: &["ecNotFound", "NotFound"],
        meaning: "the object, property, row or name does not exist",
        advice: "Check the name or path: a folder path or entry ID that is wrong or was deleted, \
                 a property that was never set, a profile name that does not exist \
                 (`oxmapi profile list`), or an address-book name without a match (`oxmapi ab ls`). \
                 Entry IDs change when an item moves to another folder or store: get a fresh one.",
    },
    ErrorInfo {
        code: MAPI_E_VERSION,
        name: "MAPI_E_VERSION",
        aliases: &["ecVersionMismatch", "ecVersion"],
        meaning: "version mismatch: the client protocol version is older than the server requires",
        advice: "Connect refused the client's protocol version; the response's best-version field \
                 carries the minimum the server accepts. Report a newer version \
                 (`--client-version`) or upgrade the client. Between MAPI components it means a \
                 provider and MAPI itself do not match: reinstall the newer one.",
    },
    ErrorInfo {
        code: MAPI_E_LOGON_FAILED,
        name: "MAPI_E_LOGON_FAILED",
        aliases: &["ecLoginFailure", "LogonFailed"],
        meaning: "the user could not be logged on (credentials, mailbox or address book)",
        advice: "Usually wrong credentials: check the password (`--password-file`, \
                 OXMAPI_PASSWORD) and the user the profile names. Also a disabled account \
                 (`oxmapi admin user enable NAME`), a mailbox the server cannot open, or an \
                 address-book bind that was refused.",
    },
    ErrorInfo {
        code: MAPI_E_SESSION_LIMIT,
        name: "MAPI_E_SESSION_LIMIT",
        aliases: &["ecTooManySessions"],
        meaning: "too many sessions: the per-user session limit was reached",
        advice: "The server caps sessions per user (setting `max-sessions-per-user`, default 32) \
                 and this logon would exceed it. Log off idle sessions (other clients, scripts, \
                 `oxmapi logon --hold`) or wait for them to expire, reuse the shared session instead \
                 of `--new-session`, or raise the cap: `oxmapi admin set max-sessions-per-user N`.",
    },
    ErrorInfo {
        code: MAPI_E_USER_CANCEL,
        name: "MAPI_E_USER_CANCEL",
        aliases: &["ecUserAbort"],
        meaning: "the user cancelled the operation",
        advice: "A prompt (password, profile choice) or a progress dialog was cancelled. Run again \
                 and complete the prompt, or give credentials without a prompt \
                 (`--password-file FILE` or OXMAPI_PASSWORD).",
    },
    ErrorInfo {
        code: MAPI_E_UNABLE_TO_ABORT,
        name: "MAPI_E_UNABLE_TO_ABORT",
        aliases: &["ecUnableToAbort"],
        meaning: "the operation cannot be cancelled",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NETWORK_ERROR,
        name: "MAPI_E_NETWORK_ERROR",
        aliases: &["ecNetwork", "ecRpcFailed"],
        meaning: "the server could not be reached, or the RPC/HTTP request failed",
        advice: "Check the server URL in the profile, that the server runs and is reachable \
                 (`curl https://HOST/healthz`), DNS, proxies, firewalls and TLS certificates. As \
                 ecRpcFailed from Connect it can also mean the request was rejected (a 1-7 byte \
                 auxiliary buffer, or a user DN the server cannot map): check the profile's user.",
    },
    ErrorInfo {
        code: MAPI_E_DISK_ERROR,
        name: "MAPI_E_DISK_ERROR",
        aliases: &["ecReadFault", "ecWriteFault"],
        meaning: "a disk read or write failed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_TOO_COMPLEX,
        name: "MAPI_E_TOO_COMPLEX",
        aliases: &["ecTooComplex", "TooComplex"],
        meaning: "the restriction or sort order is too complex for the provider",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_BAD_COLUMN,
        name: "MAPI_E_BAD_COLUMN",
        aliases: &[],
        meaning: "a column in the table operation is not valid",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_EXTENDED_ERROR,
        name: "MAPI_E_EXTENDED_ERROR",
        aliases: &[],
        meaning: "an error with more information available from GetLastError",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_COMPUTED,
        name: "MAPI_E_COMPUTED",
        aliases: &["ecComputed"],
        meaning: "the property is computed by the store and cannot be set",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CORRUPT_DATA,
        name: "MAPI_E_CORRUPT_DATA",
        aliases: &["ecCorruptData"],
        meaning: "the data is malformed",
        advice: "The bytes could not be parsed: a damaged PST or MSG file, a malformed entry ID or \
                 restriction, or a garbled network buffer. Decode wire data with `oxmapi inspect`; \
                 for files, work on a copy and repair the original with a PST repair tool.",
    },
    ErrorInfo {
        code: MAPI_E_UNCONFIGURED,
        name: "MAPI_E_UNCONFIGURED",
        aliases: &[],
        meaning: "a message service in the profile lacks the configuration needed for logon \
                  (not the same code as ecProfileNotConfigured 0x11C)",
        advice: "The profile's message service is missing required settings (for MSEMS the server \
                 or the mailbox) and logon was not allowed to ask: no MAPI_LOGON_UI, or no \
                 terminal. A profile created without `--server` stays unconfigured: create it with \
                 `oxmapi profile create NAME --server URL --user NAME`, or set the missing \
                 properties with `oxmapi profile set NAME --section MSEMS TAG VALUE`, then log on \
                 again.",
    },
    ErrorInfo {
        code: MAPI_E_FAILONEPROVIDER,
        name: "MAPI_E_FAILONEPROVIDER",
        aliases: &[],
        meaning: "one provider of a message service failed, and the service's providers are \
                  disabled for this session",
        advice: "Usual cause on Exchange-compatible servers: the server has no public folder store \
                 and refuses a client that reports a version below 12.0 (ecClientVerDisallowed \
                 0x4DF), so OpenMsgStore fails while the address book still works. Fix: set \
                 CONNECT_IGNORE_NO_PF (0x8000) in PR_PROFILE_CONNECT_FLAGS (0x66040003) of the \
                 global profile section before logon \
                 (`oxmapi profile set NAME PR_PROFILE_CONNECT_FLAGS --or 0x8000`), or report a client \
                 version of 12.0 or newer (`--client-version`). Otherwise a provider's logon failed \
                 (wrong password, unknown user, no access) and every provider of that service was \
                 disabled for the rest of the session: `oxmapi status` shows which, fix the first \
                 error and log on again.",
    },
    ErrorInfo {
        code: MAPI_E_UNKNOWN_CPID,
        name: "MAPI_E_UNKNOWN_CPID",
        aliases: &["InvalidCodepage"],
        meaning: "the code page is not supported",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNKNOWN_LCID,
        name: "MAPI_E_UNKNOWN_LCID",
        aliases: &["InvalidLocale"],
        meaning: "the locale ID is not supported",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_PASSWORD_CHANGE_REQUIRED,
        name: "MAPI_E_PASSWORD_CHANGE_REQUIRED",
        aliases: &[],
        meaning: "the password must be changed before logon",
        advice: "The account must set a new password before it may log on. Change it (on this \
                 server: `oxmapi admin user passwd NAME --password-file F`; on Exchange, in the \
                 directory or by signing in to Windows or the web client) and log on with the new \
                 one.",
    },
    ErrorInfo {
        code: MAPI_E_PASSWORD_EXPIRED,
        name: "MAPI_E_PASSWORD_EXPIRED",
        aliases: &[],
        meaning: "the password has expired",
        advice: "The account's password has expired. Set a new one (on this server: \
                 `oxmapi admin user passwd NAME --password-file F`; on Exchange, in the directory) \
                 and update `--password-file` or OXMAPI_PASSWORD.",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_WORKSTATION_ACCOUNT,
        name: "MAPI_E_INVALID_WORKSTATION_ACCOUNT",
        aliases: &[],
        meaning: "the account may not log on from this workstation",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_ACCESS_TIME,
        name: "MAPI_E_INVALID_ACCESS_TIME",
        aliases: &["ecTimeSkew"],
        meaning: "logon outside the account's allowed hours, or client and server clocks differ too much",
        advice: "Either the account's logon hours forbid logging on now, or the client's clock \
                 differs from the server's by more than the authentication tolerance (5 minutes for \
                 Kerberos by default). Synchronise the clocks (NTP) or ask the administrator about \
                 the logon hours.",
    },
    ErrorInfo {
        code: MAPI_E_ACCOUNT_DISABLED,
        name: "MAPI_E_ACCOUNT_DISABLED",
        aliases: &[],
        meaning: "the user account is disabled",
        advice: "An administrator disabled the account. Enable it again \
                 (`oxmapi admin user enable NAME`; on Exchange, in the directory).",
    },
    ErrorInfo {
        code: MAPI_E_END_OF_SESSION,
        name: "MAPI_E_END_OF_SESSION",
        aliases: &[],
        meaning: "the session has ended",
        advice: "The session was logged off, or the server dropped it (idle timeout, server \
                 restart, lost session cookie). Log on again; long-running tools should reconnect \
                 and reopen their objects when they see this code.",
    },
    ErrorInfo {
        code: MAPI_E_UNKNOWN_ENTRYID,
        name: "MAPI_E_UNKNOWN_ENTRYID",
        aliases: &[],
        meaning: "no provider in the session recognizes the entry ID",
        advice: "The entry ID belongs to a store or address book that is not in this profile (for \
                 example an ID taken from another profile or server). Add that store or service to \
                 the profile, or use an entry ID obtained in this session.",
    },
    ErrorInfo {
        code: MAPI_E_MISSING_REQUIRED_COLUMN,
        name: "MAPI_E_MISSING_REQUIRED_COLUMN",
        aliases: &[],
        meaning: "a column the operation needs is missing from the table or row set",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_BAD_VALUE,
        name: "MAPI_E_BAD_VALUE",
        aliases: &["ecPropBadValue"],
        meaning: "a property value is not valid for the property",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_TYPE,
        name: "MAPI_E_INVALID_TYPE",
        aliases: &["ecInvalidType"],
        meaning: "the property type is not valid",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_TYPE_NO_SUPPORT,
        name: "MAPI_E_TYPE_NO_SUPPORT",
        aliases: &["ecTypeNotSupported"],
        meaning: "the property type is not supported by this object",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNEXPECTED_TYPE,
        name: "MAPI_E_UNEXPECTED_TYPE",
        aliases: &["ecPropType"],
        meaning: "the property type differs from the one expected",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_TOO_BIG,
        name: "MAPI_E_TOO_BIG",
        aliases: &["ecTooBig", "TooBig"],
        meaning: "the value or request is too large",
        advice: "A property is too large to return or set inline, or the message or request \
                 exceeds a server limit. Read and write large properties (bodies, attachment data) \
                 as streams (RopOpenStream / OpenProperty), ask for fewer properties at once, and \
                 keep messages below the server's size limit.",
    },
    ErrorInfo {
        code: MAPI_E_DECLINE_COPY,
        name: "MAPI_E_DECLINE_COPY",
        aliases: &[],
        meaning: "the provider declines to copy (the caller should copy generically)",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNEXPECTED_ID,
        name: "MAPI_E_UNEXPECTED_ID",
        aliases: &[],
        meaning: "a property ID is not the one expected",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_UNABLE_TO_COMPLETE,
        name: "MAPI_E_UNABLE_TO_COMPLETE",
        aliases: &["ecUnableToComplete"],
        meaning: "the operation could not be completed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_TIMEOUT,
        name: "MAPI_E_TIMEOUT",
        aliases: &["ecTimeout"],
        meaning: "the operation timed out",
        advice: "The server or provider did not finish in time: a slow or unreachable server, a \
                 long table operation (sort or restriction over a large folder), or a wait that \
                 expired. Retry, work in smaller pieces (fewer rows, narrower restrictions), and \
                 check network latency and server load.",
    },
    ErrorInfo {
        code: MAPI_E_TABLE_EMPTY,
        name: "MAPI_E_TABLE_EMPTY",
        aliases: &["ecTableEmpty"],
        meaning: "the table has no rows",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_TABLE_TOO_BIG,
        name: "MAPI_E_TABLE_TOO_BIG",
        aliases: &["ecTableTooBig", "TableTooBig"],
        meaning: "the table has too many rows for the operation",
        advice: "The operation would cover more rows than the server allows (for example an \
                 address-book query or a sort over a huge folder). Narrow it with a restriction or \
                 a more specific name, and read in pages (`--limit N`).",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_BOOKMARK,
        name: "MAPI_E_INVALID_BOOKMARK",
        aliases: &["ecInvalidBookmark", "InvalidBookmark"],
        meaning: "the table bookmark is not valid (freed, or from another table)",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_WAIT,
        name: "MAPI_E_WAIT",
        aliases: &["ecWait"],
        meaning: "wait: the operation is still in progress",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CANCEL,
        name: "MAPI_E_CANCEL",
        aliases: &["ecCancel"],
        meaning: "the operation was cancelled",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NOT_ME,
        name: "MAPI_E_NOT_ME",
        aliases: &[],
        meaning: "the provider does not handle this item; another one should",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_CORRUPT_STORE,
        name: "MAPI_E_CORRUPT_STORE",
        aliases: &[],
        meaning: "the message store is damaged",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NOT_IN_QUEUE,
        name: "MAPI_E_NOT_IN_QUEUE",
        aliases: &["ecNotInQueue"],
        meaning: "the message is not in the outgoing queue",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NO_SUPPRESS,
        name: "MAPI_E_NO_SUPPRESS",
        aliases: &[],
        meaning: "read-receipt suppression is not supported",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_COLLISION,
        name: "MAPI_E_COLLISION",
        aliases: &["ecDuplicateName"],
        meaning: "an object with that name already exists",
        advice: "A folder (or other named object) with this name already exists at the \
                 destination. Choose another name, or open the existing folder instead of creating \
                 it.",
    },
    ErrorInfo {
        code: MAPI_E_NOT_INITIALIZED,
        name: "MAPI_E_NOT_INITIALIZED",
        aliases: &["ecNotInitialized"],
        meaning: "the subsystem or object was used before it was initialized",
        advice: "As the field meets it, two ways: (1) a table was read before its columns were \
                 set: after opening a table or RopResetTable the client must send RopSetColumns \
                 before RopQueryRows, RopFindRow or QueryColumns on it (MS-OXCTABL 3.1.5), so \
                 call SetColumns first; (2) the mailbox table (IExchangeManageStore::\
                 GetMailboxTable) was opened without administrator privilege: the logon needs \
                 CONNECT_USE_ADMIN_PRIVILEGE (PR_PROFILE_CONNECT_FLAGS 0x1 in the global section, \
                 `oxmapi --admin mailboxes`) and an account the server treats as an \
                 administrator (`oxmapi admin user add … --admin`). Elsewhere it means MAPI was \
                 used before MAPIInitialize or after MAPIUninitialize.",
    },
    ErrorInfo {
        code: MAPI_E_NON_STANDARD,
        name: "MAPI_E_NON_STANDARD",
        aliases: &[],
        meaning: "a provider-specific error",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NO_RECIPIENTS,
        name: "MAPI_E_NO_RECIPIENTS",
        aliases: &[],
        meaning: "the message has no recipients",
        advice: "Add at least one recipient before submitting (`oxmapi send --to ADDR ...`).",
    },
    ErrorInfo {
        code: MAPI_E_SUBMITTED,
        name: "MAPI_E_SUBMITTED",
        aliases: &["ecSubmitted"],
        meaning: "the message has been submitted and cannot be changed",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_HAS_FOLDERS,
        name: "MAPI_E_HAS_FOLDERS",
        aliases: &["ecFolderHasChildren"],
        meaning: "the folder still has subfolders",
        advice: "The folder cannot be deleted while it has subfolders (the delete did not ask for \
                 DEL_FOLDERS). Delete the subfolders first, or delete recursively: \
                 `oxmapi rmdir FOLDER --recursive`.",
    },
    ErrorInfo {
        code: MAPI_E_HAS_MESSAGES,
        name: "MAPI_E_HAS_MESSAGES",
        aliases: &["ecFolderHasContents"],
        meaning: "the folder still contains messages",
        advice: "The folder cannot be deleted while it holds messages (the delete did not ask for \
                 DEL_MESSAGES). Move or delete the messages first, or delete recursively: \
                 `oxmapi rmdir FOLDER --recursive`.",
    },
    ErrorInfo {
        code: MAPI_E_FOLDER_CYCLE,
        name: "MAPI_E_FOLDER_CYCLE",
        aliases: &["ecRootFolder"],
        meaning: "the folder would be moved or copied into itself or one of its subfolders",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_STORE_FULL,
        name: "MAPI_E_STORE_FULL",
        aliases: &[],
        meaning: "the message store is full",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_LOCKID_LIMIT,
        name: "MAPI_E_LOCKID_LIMIT",
        aliases: &["ecLockIdLimit"],
        meaning: "too many locks are held",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_AMBIGUOUS_RECIP,
        name: "MAPI_E_AMBIGUOUS_RECIP",
        aliases: &["ecAmbiguousRecip", "AmbiguousRecipient"],
        meaning: "the name matches more than one address-book entry",
        advice: "Name resolution found several entries. Use a longer or exact name or the SMTP \
                 address; `oxmapi ab ls` lists the candidates.",
    },
    ErrorInfo {
        code: SYNC_E_OBJECT_DELETED,
        name: "SYNC_E_OBJECT_DELETED",
        aliases: &[],
        meaning: "ICS: the object was deleted",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_E_IGNORE,
        name: "SYNC_E_IGNORE",
        aliases: &[],
        meaning: "ICS: the change is ignored",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_E_CONFLICT,
        name: "SYNC_E_CONFLICT",
        aliases: &[],
        meaning: "ICS: the change conflicts with another change",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_E_NO_PARENT,
        name: "SYNC_E_NO_PARENT",
        aliases: &[],
        meaning: "ICS: the parent folder does not exist",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_E_CYCLE,
        name: "SYNC_E_CYCLE",
        aliases: &["SYNC_E_INCEST", "SYNC_E_CYCLE_DETECTED"],
        meaning: "ICS: the change would make a folder its own ancestor",
        advice: "",
    },
    ErrorInfo {
        code: SYNC_E_UNSYNCHRONIZED,
        name: "SYNC_E_UNSYNCHRONIZED",
        aliases: &[],
        meaning: "ICS: the object is not synchronized",
        advice: "",
    },
    ErrorInfo {
        code: MAPI_E_NAMED_PROP_QUOTA_EXCEEDED,
        name: "MAPI_E_NAMED_PROP_QUOTA_EXCEEDED",
        aliases: &["ecNPQuotaExceeded"],
        meaning: "the store's quota of named-property mappings is used up",
        advice: "The store cannot register more named properties, usually because an application \
                 or incoming mail (custom X- headers) keeps inventing new names. Stop creating new \
                 names (reuse a fixed set); an Exchange administrator can raise the quota, or move \
                 the mailbox to get a fresh mapping table.",
    },
    ErrorInfo {
        code: MAPI_E_NOT_IMPLEMENTED,
        name: "MAPI_E_NOT_IMPLEMENTED",
        aliases: &["NotImplemented"],
        meaning: "the server does not implement this call (distinct from MAPI_E_NO_SUPPORT)",
        advice: "",
    },
    // ---- Win32 HRESULTs ----------------------------------------------------------------------
    ErrorInfo {
        code: MAPI_E_NO_ACCESS,
        name: "MAPI_E_NO_ACCESS",
        aliases: &["E_ACCESSDENIED", "ecAccessDenied", "AccessDenied"],
        meaning: "access denied: the caller lacks the right for this operation",
        advice: "Common causes: working in another user's mailbox (delegate logon, `--mailbox OWNER`) \
                 beyond the folder permissions the owner gave (`oxmapi perms ls FOLDER` shows them; \
                 the owner changes them with `oxmapi perms set FOLDER USER ROLE`) and without a \
                 full-access grant, which the administrator gives with \
                 `oxmapi admin grant full-access --mailbox OWNER --to USER`; working in a public \
                 folder (`--public`) beyond what its owner gave (`oxmapi --public perms ls FOLDER`; \
                 everyone may read a new public folder, only its owner changes it); a Connect whose user DN \
                 is empty or is not the authenticated user; or writing to a read-only object or a \
                 folder without permission.",
    },
    ErrorInfo {
        code: MAPI_E_NOT_ENOUGH_MEMORY,
        name: "MAPI_E_NOT_ENOUGH_MEMORY",
        aliases: &["E_OUTOFMEMORY", "ecMAPIOOM", "NotEnoughMemory"],
        meaning: "out of memory",
        advice: "The client or server could not allocate memory, typically when reading a huge \
                 property, attachment or table in one call. Read large values as streams, query \
                 fewer rows and columns at once, and check the process's memory limits.",
    },
    ErrorInfo {
        code: MAPI_E_INVALID_PARAMETER,
        name: "MAPI_E_INVALID_PARAMETER",
        aliases: &[
            "E_INVALIDARG",
            "ecInvalidParam",
            "ecInvalidParameter",
            "InvalidParameter",
            "SYNC_E_INVALID_PARAMETER",
        ],
        meaning: "a parameter is invalid",
        advice: "A parameter or flag combination is not valid for the call. For RopLogon, Exchange \
                 returns it when OpenFlags lack USE_PER_MDB_REPLID_MAPPING (0x01000000).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use std::collections::HashSet;

    /// Every value of protocol-facts §4.6, plus §2.8 (Connect) and §3.3 (RopLogon).
    const SPEC_VALUES: &[u32] = &[
        // §4.6
        0x0000_0000,
        0x0000_0001,
        0x0000_0002,
        0x0000_011C,
        0x0000_03EA,
        0x0000_03EB,
        0x0000_03EF,
        0x0000_03F0,
        0x0000_03F2,
        0x0000_0450,
        0x0000_0461,
        0x0000_0463,
        0x0000_0467,
        0x0000_0478,
        0x0000_047D,
        0x0000_047F,
        0x0000_0480,
        0x0000_04B6,
        0x0000_04B9,
        0x0000_04BC,
        0x0000_04D9,
        0x0000_04DA,
        0x0000_04DB,
        0x0000_04DC,
        0x0000_04DF,
        0x0000_04E0,
        0x0000_04E1,
        0x0000_04F7,
        0x0000_04F8,
        0x0000_0503,
        0x0000_0504,
        0x0000_0505,
        0x0000_050C,
        0x0000_06BB,
        0x0000_06F7,
        0x0000_07D8,
        0x0000_07EE,
        0x0000_096C,
        0x0000_0970,
        0x0000_0A2E,
        0x0004_0203,
        0x0004_0380,
        0x0004_0481,
        0x0004_0482,
        0x0004_0580,
        0x0004_0680,
        0x0004_0820,
        0x0004_0821,
        0x8000_4002,
        0x8000_4005,
        0x8003_0005,
        0x8003_0070,
        0x8004_0102,
        0x8004_0103,
        0x8004_0105,
        0x8004_0106,
        0x8004_0107,
        0x8004_0108,
        0x8004_0109,
        0x8004_010A,
        0x8004_010B,
        0x8004_010D,
        0x8004_010E,
        0x8004_010F,
        0x8004_0110,
        0x8004_0111,
        0x8004_0112,
        0x8004_0113,
        0x8004_0114,
        0x8004_0115,
        0x8004_0116,
        0x8004_0117,
        0x8004_0118,
        0x8004_0119,
        0x8004_011A,
        0x8004_011B,
        0x8004_011C,
        0x8004_011D,
        0x8004_011E,
        0x8004_011F,
        0x8004_0120,
        0x8004_0121,
        0x8004_0122,
        0x8004_0123,
        0x8004_0124,
        0x8004_0200,
        0x8004_0201,
        0x8004_0202,
        0x8004_0301,
        0x8004_0302,
        0x8004_0303,
        0x8004_0304,
        0x8004_0305,
        0x8004_0306,
        0x8004_0307,
        0x8004_0400,
        0x8004_0401,
        0x8004_0402,
        0x8004_0403,
        0x8004_0405,
        0x8004_0500,
        0x8004_0501,
        0x8004_0502,
        0x8004_0600,
        0x8004_0601,
        0x8004_0602,
        0x8004_0604,
        0x8004_0605,
        0x8004_0606,
        0x8004_0607,
        0x8004_0608,
        0x8004_0609,
        0x8004_060A,
        0x8004_060B,
        0x8004_060C,
        0x8004_060D,
        0x8004_0700,
        0x8004_0800,
        0x8004_0801,
        0x8004_0802,
        0x8004_0803,
        0x8004_0804,
        0x8004_0805,
        0x8004_0900,
        0x8004_0FFF,
        0x8007_0005,
        0x8007_000E,
        0x8007_0057,
    ];

    /// Names from §2.8 (Connect errors) and §3.3 (RopLogon errors) with their values.
    const SPEC_NAMES: &[(&str, u32)] = &[
        ("ecRpcFormat", 0x4B6),
        // MS-OXCDATA 2.4.2: MaxSubmissionExceeded (ecMaxSubmissionExceeded) 0x000004DA.
        ("ecMaxSubmissionExceeded", 0x4DA),
        ("ecRpcAuthentication", 0x4BC),
        ("ecNotEncrypted", 0x970),
        ("ecClientVerDisallowed", 0x4DF),
        ("ecLoginFailure", 0x8004_0111),
        ("ecUnknownUser", 0x3EB),
        ("ecLoginPerm", 0x3F2),
        ("ecVersionMismatch", 0x8004_0110),
        ("ecCachedModeRequired", 0x4E1),
        ("ecRpcHttpDisallowed", 0x4E0),
        ("ecProtocolDisabled", 0x7D8),
        ("ecAccessDenied", 0x8007_0005),
        ("ecRpcFailed", 0x8004_0115),
        ("ecRejected", 0x7EE),
        ("ecWrongServer", 0x478),
        ("ecUnknownCodePage", 0x3EF),
        ("ecMailboxDisabled", 0x96C),
        ("ecMailboxInTransit", 0x50C),
        ("ecProfileNotConfigured", 0x11C),
        ("ecServerPaused", 0x47F),
        ("ecInvalidParameter", 0x8007_0057),
        ("ecNullObject", 0x4B9),
        ("ecBufferTooSmall", 0x47D),
        ("UnbindSuccess", 0x1),
        ("UnbindFailure", 0x2),
        ("ErrorsReturned", 0x0004_0380),
        ("RPC_S_SERVER_TOO_BUSY", 0x6BB),
        ("RPC_X_BAD_STUB_DATA", 0x6F7),
        ("STG_E_MEDIUMFULL", 0x8003_0070),
        ("SYNC_E_INCEST", 0x8004_0804),
        ("E_ACCESSDENIED", 0x8007_0005),
    ];

    fn all_names(e: &ErrorInfo) -> impl Iterator<Item = &'static str> {
        std::iter::once(e.name).chain(e.aliases.iter().copied())
    }

    #[test]
    fn no_duplicate_values() {
        let mut seen = HashSet::new();
        for e in ERRORS {
            assert!(seen.insert(e.code), "duplicate value {:#010X} ({})", e.code.0, e.name);
        }
    }

    #[test]
    fn table_is_sorted_by_value() {
        assert!(ERRORS.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn no_duplicate_names_or_aliases() {
        let mut seen = HashSet::new();
        for e in ERRORS {
            for n in all_names(e) {
                assert!(!n.is_empty() && n.trim() == n, "bad name {n:?}");
                assert!(seen.insert(n.to_ascii_lowercase()), "name {n} used twice");
            }
        }
    }

    #[test]
    fn mapi_e_names_have_the_severity_bit() {
        for e in ERRORS {
            if e.name.starts_with("MAPI_E_") {
                assert!(e.code.0 & 0x8000_0000 != 0, "{} = {:#010X}", e.name, e.code.0);
            }
            for a in e.aliases.iter().filter(|a| a.starts_with("MAPI_E_")) {
                // The only exception: NSPI's UnbindSuccess, which openchange calls
                // MAPI_E_UNBINDSUCCESS although it is a success code.
                assert!(e.code.0 & 0x8000_0000 != 0 || *a == "MAPI_E_UNBINDSUCCESS", "{a}");
            }
        }
    }

    #[test]
    fn warnings_are_warnings() {
        for e in ERRORS.iter().filter(|e| e.name.starts_with("MAPI_W_") || e.name.starts_with("SYNC_W_")) {
            assert!(e.code.is_warning() && !e.code.is_error(), "{}", e.name);
        }
        assert!(MAPI_E_FAILONEPROVIDER.is_error() && !MAPI_E_FAILONEPROVIDER.is_warning());
    }

    #[test]
    fn primary_name_is_the_mapi_name_where_one_exists() {
        for e in ERRORS {
            let mapi = |n: &str| {
                ["MAPI_E_", "MAPI_W_", "SYNC_E_", "SYNC_W_", "STG_E_", "RPC_S_", "RPC_X_", "S_OK"]
                    .iter()
                    .any(|p| n.starts_with(p))
            };
            if e.aliases.iter().any(|a| mapi(a)) && e.name != "UnbindSuccess" {
                assert!(mapi(e.name), "{} has a MAPI alias but is not named by it", e.name);
            }
        }
    }

    #[test]
    fn meanings_are_one_line_and_advice_is_tidy() {
        for e in ERRORS {
            assert!(!e.meaning.is_empty() && !e.meaning.contains('\n'), "{}", e.name);
            assert!(!e.advice.contains('\n') && !e.advice.contains("  "), "{}", e.name);
            assert!(e.advice.is_empty() || e.advice.ends_with('.'), "{}", e.name);
        }
    }

    #[test]
    fn every_spec_value_is_present() {
        for &v in SPEC_VALUES {
            assert!(ErrorCode(v).info().is_some(), "missing {v:#010X}");
        }
        assert_eq!(SPEC_VALUES.len(), SPEC_VALUES.iter().collect::<HashSet<_>>().len());
        assert!(ERRORS.len() >= SPEC_VALUES.len());
    }

    #[test]
    fn every_spec_name_is_found() {
        for &(n, v) in SPEC_NAMES {
            let e = ErrorCode::lookup(n).unwrap_or_else(|| panic!("{n} not found"));
            assert_eq!(e.code, ErrorCode(v), "{n}");
        }
    }

    #[test]
    fn lookups() {
        let e = ErrorCode::lookup("0x8004011D").unwrap();
        assert_eq!(e.name, "MAPI_E_FAILONEPROVIDER");
        assert_eq!(ErrorCode::lookup("8004011d").unwrap().code, MAPI_E_FAILONEPROVIDER);
        assert_eq!(ErrorCode::lookup("-2147221219").unwrap().code, MAPI_E_FAILONEPROVIDER);

        let e = ErrorCode::lookup("MAPI_E_SESSION_LIMIT").unwrap();
        assert_eq!(e.code, ErrorCode(0x8004_0112));
        assert_eq!(ErrorCode::lookup("mapi_e_session_limit").unwrap().code, ErrorCode(0x8004_0112));

        let e = ErrorCode::lookup("ecClientVerDisallowed").unwrap();
        assert_eq!(e.code, ErrorCode(0x4DF));
        assert_eq!(e.name, "ecClientVerDisallowed");

        let e = ErrorCode::lookup("ecTooManySessions").unwrap();
        assert_eq!(e.code, MAPI_E_SESSION_LIMIT);
        assert_eq!(e.name, "MAPI_E_SESSION_LIMIT");

        assert_eq!(ErrorCode(0x8004_011C).name(), "MAPI_E_UNCONFIGURED");
        assert_eq!(ErrorCode::lookup("0x8004011C").unwrap().name, "MAPI_E_UNCONFIGURED");
        assert_eq!(ErrorCode(0x11C).name(), "ecProfileNotConfigured");

        assert!(ErrorCode::lookup("MAPI_E_NO_SUCH_THING").is_none());
        assert_eq!(ErrorCode(0x1234_5678).name(), "0x12345678");
    }

    #[test]
    fn field_advice() {
        let fail = MAPI_E_FAILONEPROVIDER.info().unwrap().advice;
        for needle in ["CONNECT_IGNORE_NO_PF", "0x8000", "PR_PROFILE_CONNECT_FLAGS", "12.0", "oxmapi status"]
        {
            assert!(fail.contains(needle), "FAILONEPROVIDER advice lacks {needle}");
        }
        let ver = EC_CLIENT_VER_DISALLOWED.info().unwrap().advice;
        assert!(ver.contains("CONNECT_IGNORE_NO_PF") && ver.contains("min-client-version"));
        let sess = MAPI_E_SESSION_LIMIT.info().unwrap().advice;
        assert!(sess.contains("max-sessions-per-user") && sess.contains("32"));
        assert!(MAPI_E_NO_ACCESS.info().unwrap().advice.contains("grant full-access"));
        assert!(EC_LOGIN_PERM.info().unwrap().advice.contains("0x1"));

        for code in [
            MAPI_E_FAILONEPROVIDER,
            EC_CLIENT_VER_DISALLOWED,
            MAPI_E_UNCONFIGURED,
            MAPI_E_LOGON_FAILED,
            MAPI_E_SESSION_LIMIT,
            MAPI_E_NETWORK_ERROR,
            MAPI_E_NOT_INITIALIZED,
            MAPI_E_NO_ACCESS,
            EC_LOGIN_PERM,
            EC_WRONG_SERVER,
            EC_UNKNOWN_USER,
            EC_MAILBOX_DISABLED,
            EC_NOT_ENCRYPTED,
            EC_CACHED_MODE_REQUIRED,
            EC_RPC_HTTP_DISALLOWED,
            EC_PROTOCOL_DISABLED,
            MAPI_E_VERSION,
            MAPI_E_NOT_FOUND,
            MAPI_E_AMBIGUOUS_RECIP,
            MAPI_E_INVALID_ENTRYID,
            MAPI_E_PASSWORD_CHANGE_REQUIRED,
            MAPI_E_PASSWORD_EXPIRED,
            MAPI_E_ACCOUNT_DISABLED,
            EC_NULL_OBJECT,
            MAPI_E_INVALID_OBJECT,
            EC_RPC_FORMAT,
            RPC_X_BAD_STUB_DATA,
            EC_BUFFER_TOO_SMALL,
            EC_SERVER_BUSY,
            RPC_S_SERVER_TOO_BUSY,
            MAPI_E_NOT_ENOUGH_MEMORY,
            MAPI_E_TOO_BIG,
            MAPI_E_TABLE_TOO_BIG,
            MAPI_E_COLLISION,
            MAPI_E_HAS_FOLDERS,
            MAPI_E_HAS_MESSAGES,
            EC_QUOTA_EXCEEDED,
            MAPI_E_NAMED_PROP_QUOTA_EXCEEDED,
            MAPI_E_TIMEOUT,
            MAPI_E_END_OF_SESSION,
            MAPI_E_USER_CANCEL,
        ] {
            let advice = code.info().unwrap().advice;
            assert!(!advice.is_empty(), "{code} has no advice");
            let sentences = advice.matches(". ").count() + 1;
            assert!(sentences <= 4, "{code} advice has {sentences} sentences");
        }
    }

    #[test]
    fn conflicting_rpc_authentication_value_is_explained() {
        assert!(EC_RPC_FORMAT.info().unwrap().meaning.contains("ecRpcAuthentication"));
        assert_eq!(EC_RPC_AUTHENTICATION.name(), "ecRpcAuthentication");
        assert!(EC_RPC_AUTHENTICATION.info().unwrap().meaning.contains("0x4B6"));
    }
}
