//! Flag constants of MAPI and Exchange, each with its canonical name, and flag-set tables used
//! to print a value as names (protocol-facts §3.3, §6).

/// A named bit of a flag set.
pub type FlagName = (u32, &'static str);

/// Names the bits set in `value` according to `table`; bits not in the table are reported as
/// a trailing hex remainder.
pub fn flag_names(value: u32, table: &[FlagName]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    for &(bit, name) in table {
        if bit != 0 && value & bit == bit {
            out.push(name.to_string());
            rest &= !bit;
        }
    }
    if rest != 0 {
        out.push(format!("0x{rest:X}"));
    }
    out
}

/// PR_STORE_SUPPORT_MASK / PR_STORE_UNICODE_MASK bits (protocol-facts §6.3).
pub mod store_support {
    #![allow(missing_docs)]
    pub const STORE_ENTRYID_UNIQUE: u32 = 0x1;
    pub const STORE_READONLY: u32 = 0x2;
    pub const STORE_SEARCH_OK: u32 = 0x4;
    pub const STORE_MODIFY_OK: u32 = 0x8;
    pub const STORE_CREATE_OK: u32 = 0x10;
    pub const STORE_ATTACH_OK: u32 = 0x20;
    pub const STORE_OLE_OK: u32 = 0x40;
    pub const STORE_SUBMIT_OK: u32 = 0x80;
    pub const STORE_NOTIFY_OK: u32 = 0x100;
    pub const STORE_MV_PROPS_OK: u32 = 0x200;
    pub const STORE_CATEGORIZE_OK: u32 = 0x400;
    pub const STORE_RTF_OK: u32 = 0x800;
    pub const STORE_RESTRICTION_OK: u32 = 0x1000;
    pub const STORE_SORT_OK: u32 = 0x2000;
    pub const STORE_PUBLIC_FOLDERS: u32 = 0x4000;
    pub const STORE_UNCOMPRESSED_RTF: u32 = 0x8000;
    pub const STORE_HTML_OK: u32 = 0x10000;
    pub const STORE_ANSI_OK: u32 = 0x20000;
    pub const STORE_UNICODE_OK: u32 = 0x40000;
    pub const STORE_LOCALSTORE: u32 = 0x80000;
    pub const STORE_ITEMPROC: u32 = 0x200000;
    pub const STORE_PUSHER_OK: u32 = 0x800000;
    pub const STORE_HAS_SEARCHES: u32 = 0x1000000;
    pub const STORE_FULLTEXT_QUERY_OK: u32 = 0x2000000;
    pub const STORE_FILTER_SEARCH_OK: u32 = 0x4000000;
    pub const STORE_RULES_OK: u32 = 0x10000000;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (STORE_ENTRYID_UNIQUE, "STORE_ENTRYID_UNIQUE"),
        (STORE_READONLY, "STORE_READONLY"),
        (STORE_SEARCH_OK, "STORE_SEARCH_OK"),
        (STORE_MODIFY_OK, "STORE_MODIFY_OK"),
        (STORE_CREATE_OK, "STORE_CREATE_OK"),
        (STORE_ATTACH_OK, "STORE_ATTACH_OK"),
        (STORE_OLE_OK, "STORE_OLE_OK"),
        (STORE_SUBMIT_OK, "STORE_SUBMIT_OK"),
        (STORE_NOTIFY_OK, "STORE_NOTIFY_OK"),
        (STORE_MV_PROPS_OK, "STORE_MV_PROPS_OK"),
        (STORE_CATEGORIZE_OK, "STORE_CATEGORIZE_OK"),
        (STORE_RTF_OK, "STORE_RTF_OK"),
        (STORE_RESTRICTION_OK, "STORE_RESTRICTION_OK"),
        (STORE_SORT_OK, "STORE_SORT_OK"),
        (STORE_PUBLIC_FOLDERS, "STORE_PUBLIC_FOLDERS"),
        (STORE_UNCOMPRESSED_RTF, "STORE_UNCOMPRESSED_RTF"),
        (STORE_HTML_OK, "STORE_HTML_OK"),
        (STORE_ANSI_OK, "STORE_ANSI_OK"),
        (STORE_UNICODE_OK, "STORE_UNICODE_OK"),
        (STORE_LOCALSTORE, "STORE_LOCALSTORE"),
        (STORE_ITEMPROC, "STORE_ITEMPROC"),
        (STORE_PUSHER_OK, "STORE_PUSHER_OK"),
        (STORE_HAS_SEARCHES, "STORE_HAS_SEARCHES"),
        (STORE_FULLTEXT_QUERY_OK, "STORE_FULLTEXT_QUERY_OK"),
        (STORE_FILTER_SEARCH_OK, "STORE_FILTER_SEARCH_OK"),
        (STORE_RULES_OK, "STORE_RULES_OK"),
    ];
}

/// MAPILogonEx flags (protocol-facts §6.1).
pub mod logon_flags {
    #![allow(missing_docs)]
    pub const MAPI_LOGON_UI: u32 = 0x0000_0001;
    pub const MAPI_NEW_SESSION: u32 = 0x0000_0002;
    pub const MAPI_ALLOW_OTHERS: u32 = 0x0000_0008;
    pub const MAPI_EXPLICIT_PROFILE: u32 = 0x0000_0010;
    pub const MAPI_EXTENDED: u32 = 0x0000_0020;
    pub const MAPI_USE_DEFAULT: u32 = 0x0000_0040;
    pub const MAPI_FORCE_DOWNLOAD: u32 = 0x0000_1000;
    pub const MAPI_SERVICE_UI_ALWAYS: u32 = 0x0000_2000;
    pub const MAPI_NO_MAIL: u32 = 0x0000_8000;
    pub const MAPI_NT_SERVICE: u32 = 0x0001_0000;
    pub const MAPI_PASSWORD_UI: u32 = 0x0002_0000;
    pub const MAPI_TIMEOUT_SHORT: u32 = 0x0010_0000;
    pub const MAPI_UNICODE: u32 = 0x8000_0000;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (MAPI_LOGON_UI, "MAPI_LOGON_UI"),
        (MAPI_NEW_SESSION, "MAPI_NEW_SESSION"),
        (MAPI_ALLOW_OTHERS, "MAPI_ALLOW_OTHERS"),
        (MAPI_EXPLICIT_PROFILE, "MAPI_EXPLICIT_PROFILE"),
        (MAPI_EXTENDED, "MAPI_EXTENDED"),
        (MAPI_USE_DEFAULT, "MAPI_USE_DEFAULT"),
        (MAPI_FORCE_DOWNLOAD, "MAPI_FORCE_DOWNLOAD"),
        (MAPI_SERVICE_UI_ALWAYS, "MAPI_SERVICE_UI_ALWAYS"),
        (MAPI_NO_MAIL, "MAPI_NO_MAIL"),
        (MAPI_NT_SERVICE, "MAPI_NT_SERVICE"),
        (MAPI_PASSWORD_UI, "MAPI_PASSWORD_UI"),
        (MAPI_TIMEOUT_SHORT, "MAPI_TIMEOUT_SHORT"),
        (MAPI_UNICODE, "MAPI_UNICODE"),
    ];
}

/// PR_PROFILE_CONNECT_FLAGS bits, which travel as Connect `Flags` (protocol-facts §2.6, §6.2):
/// the bits as Exchange's edkmdb.h defines them ("Bit values for PR_PROFILE_CONNECT_FLAGS"), and
/// CONNECT_IGNORE_NO_PF, the Connect flag of MS-OXCRPC 3.1.4.1 (EcDoConnectEx ulFlags).
pub mod connect_flags {
    /// CONNECT_USE_ADMIN_PRIVILEGE: request administrator behaviour.
    pub const CONNECT_USE_ADMIN_PRIVILEGE: u32 = 0x0000_0001;
    /// CONNECT_NO_RPC_ENCRYPTION: no RPC-level encryption (RPC/TCP only; MAPI/HTTP ignores it).
    pub const CONNECT_NO_RPC_ENCRYPTION: u32 = 0x0000_0002;
    /// CONNECT_USE_SEPARATE_CONNECTION.
    pub const CONNECT_USE_SEPARATE_CONNECTION: u32 = 0x0000_0004;
    /// CONNECT_NO_UNDER_COVER_CONNECTION.
    pub const CONNECT_NO_UNDER_COVER_CONNECTION: u32 = 0x0000_0008;
    /// CONNECT_ANONYMOUS_ACCESS.
    pub const CONNECT_ANONYMOUS_ACCESS: u32 = 0x0000_0010;
    /// CONNECT_NO_NOTIFICATIONS (edkmdb.h gives CONNECT_NO_TABLE_NOTIFICATIONS the same bit).
    pub const CONNECT_NO_NOTIFICATIONS: u32 = 0x0000_0020;
    /// CONNECT_NO_ADDRESS_RESOLUTION.
    pub const CONNECT_NO_ADDRESS_RESOLUTION: u32 = 0x0000_0040;
    /// CONNECT_RESTORE_DATABASE.
    pub const CONNECT_RESTORE_DATABASE: u32 = 0x0000_0080;
    /// CONNECT_IGNORE_NO_PF: do not fail when the server has no public folder store.
    pub const CONNECT_IGNORE_NO_PF: u32 = 0x0000_8000;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (CONNECT_USE_ADMIN_PRIVILEGE, "CONNECT_USE_ADMIN_PRIVILEGE"),
        (CONNECT_NO_RPC_ENCRYPTION, "CONNECT_NO_RPC_ENCRYPTION"),
        (CONNECT_USE_SEPARATE_CONNECTION, "CONNECT_USE_SEPARATE_CONNECTION"),
        (CONNECT_NO_UNDER_COVER_CONNECTION, "CONNECT_NO_UNDER_COVER_CONNECTION"),
        (CONNECT_ANONYMOUS_ACCESS, "CONNECT_ANONYMOUS_ACCESS"),
        (CONNECT_NO_NOTIFICATIONS, "CONNECT_NO_NOTIFICATIONS"),
        (CONNECT_NO_ADDRESS_RESOLUTION, "CONNECT_NO_ADDRESS_RESOLUTION"),
        (CONNECT_RESTORE_DATABASE, "CONNECT_RESTORE_DATABASE"),
        (CONNECT_IGNORE_NO_PF, "CONNECT_IGNORE_NO_PF"),
    ];
}

/// RopLogon `LogonFlags` (MS-OXCROPS 2.2.3.1.1).
pub mod logon_rop_flags {
    #![allow(missing_docs)]
    pub const PRIVATE: u8 = 0x01;
    pub const UNDERCOVER: u8 = 0x02;
    pub const GHOSTED: u8 = 0x04;
    pub const SPL_PROCESS: u8 = 0x08;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (PRIVATE as u32, "Private"),
        (UNDERCOVER as u32, "Undercover"),
        (GHOSTED as u32, "Ghosted"),
        (SPL_PROCESS as u32, "SplProcess"),
    ];
}

/// RopLogon `OpenFlags` (MS-OXCROPS 2.2.3.1.1; OPENSTORE_* names).
pub mod open_flags {
    #![allow(missing_docs)]
    pub const USE_ADMIN_PRIVILEGE: u32 = 0x0000_0001;
    pub const PUBLIC: u32 = 0x0000_0002;
    pub const HOME_LOGON: u32 = 0x0000_0004;
    pub const TAKE_OWNERSHIP: u32 = 0x0000_0008;
    pub const OVERRIDE_HOME_MDB: u32 = 0x0000_0010;
    pub const TRANSPORT: u32 = 0x0000_0020;
    pub const REMOTE_TRANSPORT: u32 = 0x0000_0040;
    pub const INTERNET_ANONYMOUS: u32 = 0x0000_0080;
    pub const ALTERNATE_SERVER: u32 = 0x0000_0100;
    pub const IGNORE_HOME_MDB: u32 = 0x0000_0200;
    pub const NO_MAIL: u32 = 0x0000_0400;
    pub const OVERRIDE_LAST_MODIFIER: u32 = 0x0000_0800;
    pub const CALLBACK_LOGON: u32 = 0x0000_1000;
    pub const LOCAL: u32 = 0x0000_2000;
    pub const FAIL_IF_NO_MAILBOX: u32 = 0x0000_4000;
    pub const CACHE_EXCHANGE: u32 = 0x0000_8000;
    pub const CLI_WITH_NAMEDPROP_FIX: u32 = 0x0001_0000;
    pub const ENABLE_LAZY_LOGGING: u32 = 0x0002_0000;
    pub const CLI_WITH_REPLID_GUID_MAPPING_FIX: u32 = 0x0004_0000;
    pub const NO_LOCALIZATION: u32 = 0x0008_0000;
    pub const RESTORE_DATABASE: u32 = 0x0010_0000;
    pub const XFOREST_MOVE: u32 = 0x0020_0000;
    pub const USE_PER_MDB_REPLID_MAPPING: u32 = 0x0100_0000;
    pub const SUPPORT_PROGRESS: u32 = 0x2000_0000;

    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (USE_ADMIN_PRIVILEGE, "USE_ADMIN_PRIVILEGE"),
        (PUBLIC, "PUBLIC"),
        (HOME_LOGON, "HOME_LOGON"),
        (TAKE_OWNERSHIP, "TAKE_OWNERSHIP"),
        (OVERRIDE_HOME_MDB, "OVERRIDE_HOME_MDB"),
        (TRANSPORT, "TRANSPORT"),
        (REMOTE_TRANSPORT, "REMOTE_TRANSPORT"),
        (INTERNET_ANONYMOUS, "INTERNET_ANONYMOUS"),
        (ALTERNATE_SERVER, "ALTERNATE_SERVER"),
        (IGNORE_HOME_MDB, "IGNORE_HOME_MDB"),
        (NO_MAIL, "NO_MAIL"),
        (OVERRIDE_LAST_MODIFIER, "OVERRIDE_LAST_MODIFIER"),
        (CALLBACK_LOGON, "CALLBACK_LOGON"),
        (LOCAL, "LOCAL"),
        (FAIL_IF_NO_MAILBOX, "FAIL_IF_NO_MAILBOX"),
        (CACHE_EXCHANGE, "CACHE_EXCHANGE"),
        (CLI_WITH_NAMEDPROP_FIX, "CLI_WITH_NAMEDPROP_FIX"),
        (ENABLE_LAZY_LOGGING, "ENABLE_LAZY_LOGGING"),
        (CLI_WITH_REPLID_GUID_MAPPING_FIX, "CLI_WITH_REPLID_GUID_MAPPING_FIX"),
        (NO_LOCALIZATION, "NO_LOCALIZATION"),
        (RESTORE_DATABASE, "RESTORE_DATABASE"),
        (XFOREST_MOVE, "XFOREST_MOVE"),
        (USE_PER_MDB_REPLID_MAPPING, "USE_PER_MDB_REPLID_MAPPING"),
        (SUPPORT_PROGRESS, "SUPPORT_PROGRESS"),
    ];
}

/// RopLogon `ResponseFlags` (MS-OXCROPS 2.2.3.1.2).
pub mod logon_response_flags {
    #![allow(missing_docs)]
    pub const RESERVED: u8 = 0x01;
    pub const OWNER_RIGHT: u8 = 0x02;
    pub const SEND_AS_RIGHT: u8 = 0x04;
    pub const OOF: u8 = 0x10;
    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (RESERVED as u32, "Reserved"),
        (OWNER_RIGHT as u32, "OwnerRight"),
        (SEND_AS_RIGHT as u32, "SendAsRight"),
        (OOF as u32, "OOF"),
    ];
}

/// PR_MESSAGE_FLAGS bits (MS-OXCMSG 2.2.1.6).
pub mod message_flags {
    #![allow(missing_docs)]
    pub const MSGFLAG_READ: u32 = 0x1;
    pub const MSGFLAG_UNMODIFIED: u32 = 0x2;
    pub const MSGFLAG_SUBMITTED: u32 = 0x4;
    pub const MSGFLAG_UNSENT: u32 = 0x8;
    pub const MSGFLAG_HASATTACH: u32 = 0x10;
    pub const MSGFLAG_FROMME: u32 = 0x20;
    pub const MSGFLAG_ASSOCIATED: u32 = 0x40;
    pub const MSGFLAG_RESEND: u32 = 0x80;
    pub const MSGFLAG_RN_PENDING: u32 = 0x100;
    pub const MSGFLAG_NRN_PENDING: u32 = 0x200;
    pub const MSGFLAG_EVERREAD: u32 = 0x400;
    pub const MSGFLAG_ORIGIN_X400: u32 = 0x1000;
    pub const MSGFLAG_ORIGIN_INTERNET: u32 = 0x2000;
    pub const MSGFLAG_ORIGIN_MISC_EXT: u32 = 0x8000;
    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (MSGFLAG_READ, "MSGFLAG_READ"),
        (MSGFLAG_UNMODIFIED, "MSGFLAG_UNMODIFIED"),
        (MSGFLAG_SUBMITTED, "MSGFLAG_SUBMITTED"),
        (MSGFLAG_UNSENT, "MSGFLAG_UNSENT"),
        (MSGFLAG_HASATTACH, "MSGFLAG_HASATTACH"),
        (MSGFLAG_FROMME, "MSGFLAG_FROMME"),
        (MSGFLAG_ASSOCIATED, "MSGFLAG_ASSOCIATED"),
        (MSGFLAG_RESEND, "MSGFLAG_RESEND"),
        (MSGFLAG_RN_PENDING, "MSGFLAG_RN_PENDING"),
        (MSGFLAG_NRN_PENDING, "MSGFLAG_NRN_PENDING"),
        (MSGFLAG_EVERREAD, "MSGFLAG_EVERREAD"),
        (MSGFLAG_ORIGIN_X400, "MSGFLAG_ORIGIN_X400"),
        (MSGFLAG_ORIGIN_INTERNET, "MSGFLAG_ORIGIN_INTERNET"),
        (MSGFLAG_ORIGIN_MISC_EXT, "MSGFLAG_ORIGIN_MISC_EXT"),
    ];
}

/// Notification event types (`fnev*`, MS-OXCNOTIF 2.2.1.2.1.1; protocol-facts §5.1).
pub mod fnev {
    #![allow(missing_docs)]
    pub const CRITICAL_ERROR: u32 = 0x0000_0001;
    pub const NEW_MAIL: u32 = 0x0000_0002;
    pub const OBJECT_CREATED: u32 = 0x0000_0004;
    pub const OBJECT_DELETED: u32 = 0x0000_0008;
    pub const OBJECT_MODIFIED: u32 = 0x0000_0010;
    pub const OBJECT_MOVED: u32 = 0x0000_0020;
    pub const OBJECT_COPIED: u32 = 0x0000_0040;
    pub const SEARCH_COMPLETE: u32 = 0x0000_0080;
    pub const TABLE_MODIFIED: u32 = 0x0000_0100;
    pub const STATUS_OBJECT_MODIFIED: u32 = 0x0000_0200;
    pub const EXTENDED: u32 = 0x0000_0400;
    /// Names of the bits.
    pub const NAMES: &[super::FlagName] = &[
        (CRITICAL_ERROR, "fnevCriticalError"),
        (NEW_MAIL, "fnevNewMail"),
        (OBJECT_CREATED, "fnevObjectCreated"),
        (OBJECT_DELETED, "fnevObjectDeleted"),
        (OBJECT_MODIFIED, "fnevObjectModified"),
        (OBJECT_MOVED, "fnevObjectMoved"),
        (OBJECT_COPIED, "fnevObjectCopied"),
        (SEARCH_COMPLETE, "fnevSearchComplete"),
        (TABLE_MODIFIED, "fnevTableModified"),
        (STATUS_OBJECT_MODIFIED, "fnevStatusObjectModified"),
        (EXTENDED, "fnevExtended"),
    ];
}

/// MAPI object types (PR_OBJECT_TYPE; protocol-facts §6.1).
pub mod object_type {
    #![allow(missing_docs)]
    pub const MAPI_STORE: u32 = 1;
    pub const MAPI_ADDRBOOK: u32 = 2;
    pub const MAPI_FOLDER: u32 = 3;
    pub const MAPI_ABCONT: u32 = 4;
    pub const MAPI_MESSAGE: u32 = 5;
    pub const MAPI_MAILUSER: u32 = 6;
    pub const MAPI_ATTACH: u32 = 7;
    pub const MAPI_DISTLIST: u32 = 8;
    pub const MAPI_PROFSECT: u32 = 9;
    pub const MAPI_STATUS: u32 = 10;
    pub const MAPI_SESSION: u32 = 11;
    pub const MAPI_FORMINFO: u32 = 12;
}

/// Display types (PR_DISPLAY_TYPE; MS-NSPI 2.2.3).
pub mod display_type {
    #![allow(missing_docs)]
    pub const DT_MAILUSER: u32 = 0x0;
    pub const DT_DISTLIST: u32 = 0x1;
    pub const DT_FORUM: u32 = 0x2;
    pub const DT_AGENT: u32 = 0x3;
    pub const DT_ORGANIZATION: u32 = 0x4;
    pub const DT_PRIVATE_DISTLIST: u32 = 0x5;
    pub const DT_REMOTE_MAILUSER: u32 = 0x6;
    pub const DT_CONTAINER: u32 = 0x100;
    pub const DT_TEMPLATE: u32 = 0x101;
    pub const DT_ADDRESS_TEMPLATE: u32 = 0x102;
    pub const DT_SEARCH: u32 = 0x200;
}

/// Recipient types (PR_RECIPIENT_TYPE).
pub mod recipient_type {
    #![allow(missing_docs)]
    pub const MAPI_ORIG: u32 = 0;
    pub const MAPI_TO: u32 = 1;
    pub const MAPI_CC: u32 = 2;
    pub const MAPI_BCC: u32 = 3;
    pub const MAPI_P1: u32 = 0x1000_0000;
    pub const MAPI_SUBMITTED: u32 = 0x8000_0000;

    /// The kind of a recipient (MAPI_ORIG, MAPI_TO, MAPI_CC or MAPI_BCC): `recipient_type` without
    /// the MAPI_P1 and MAPI_SUBMITTED flags (MS-OXCMSG 2.2.3.1.1 PidTagRecipientType).
    pub const fn kind(recipient_type: u32) -> u32 {
        recipient_type & !(MAPI_P1 | MAPI_SUBMITTED)
    }
}

/// Attachment methods (PR_ATTACH_METHOD, MS-OXCMSG 2.2.2.9 PidTagAttachMethod).
pub mod attach_method {
    /// afNone: the attachment has no data yet.
    pub const NO_ATTACHMENT: i32 = 0;
    /// afByValue: the data is in PR_ATTACH_DATA_BIN.
    pub const BY_VALUE: i32 = 1;
    /// afByReference: PR_ATTACH_LONG_PATHNAME names a file.
    pub const BY_REFERENCE: i32 = 2;
    /// afByReferenceOnly.
    pub const BY_REF_ONLY: i32 = 4;
    /// afEmbeddedMessage: PR_ATTACH_DATA_OBJ holds a message.
    pub const EMBEDDED_MSG: i32 = 5;
    /// afStorage: PR_ATTACH_DATA_OBJ holds an OLE compound file.
    pub const OLE: i32 = 6;
}

/// `SubmitFlags` of RopSubmitMessage (MS-OXCROPS 2.2.7.1.1; MS-OXOMSG 2.2.3.1).
pub mod submit_flags {
    #![allow(missing_docs)]
    pub const NONE: u8 = 0x00;
    pub const PRE_PROCESS: u8 = 0x01;
    pub const NEEDS_SPOOLER: u8 = 0x02;
}

/// Address types (PR_ADDRTYPE) this server delivers to (RopGetAddressTypes, MS-OXOMSG 2.2.3.3).
pub mod address_type {
    #![allow(missing_docs)]
    /// An Exchange recipient named by its legacy DN.
    pub const EX: &str = "EX";
    /// An Internet address.
    pub const SMTP: &str = "SMTP";
    /// Every address type RopGetAddressTypes answers, in order.
    pub const SUPPORTED: &[&str] = &[EX, SMTP];
}

/// Report messages (MS-OXOMSG 2.2.2.x): the message class of a non-delivery report is
/// `REPORT.` + the original class + `.NDR` (MS-OXOMSG 2.2.1.x PidTagMessageClass of reports).
pub mod report {
    #![allow(missing_docs)]
    pub const CLASS_PREFIX: &str = "REPORT.";
    pub const NDR_SUFFIX: &str = ".NDR";
    /// Class suffix of a delivery report (MS-OXOMSG 2.2.2.1: `REPORT.<class>.DR`).
    pub const DR_SUFFIX: &str = ".DR";
    /// Class suffix of a read receipt (MS-OXOMSG 2.2.2.1: `REPORT.<class>.IPNRN`).
    pub const IPNRN_SUFFIX: &str = ".IPNRN";
    /// PR_SUBJECT prefix of a delivery report.
    pub const DELIVERED_PREFIX: &str = "Delivered: ";
    /// PR_SUBJECT prefix of a read receipt.
    pub const READ_PREFIX: &str = "Read: ";
    /// PR_SUBJECT prefix of a non-delivery report.
    pub const UNDELIVERABLE_PREFIX: &str = "Undeliverable: ";
    /// PR_SENDER_NAME / PR_REPORT_NAME of reports the server itself generates.
    pub const SYSTEM_SENDER_NAME: &str = "Mail Delivery System";
    /// Local part of the SMTP address reports the server generates come from (postmaster of the
    /// directory's domain; RFC 5321 4.5.1).
    pub const POSTMASTER: &str = "postmaster";
    /// PR_MESSAGE_CLASS a message without one is sent as (MS-OXCMSG 3.2.5.2 default).
    pub const DEFAULT_MESSAGE_CLASS: &str = "IPM.Note";
}

/// PR_NDR_REASON_CODE values (MS-OXOMSG 2.2.2.x PidTagNonDeliveryReportReasonCode; mapidefs.h
/// `MAPI_REASON_*`).
pub mod ndr_reason {
    #![allow(missing_docs)]
    pub const MAPI_REASON_TRANSFER_FAILED: u32 = 0;
    pub const MAPI_REASON_TRANSFER_IMPOSSIBLE: u32 = 1;
    pub const MAPI_REASON_CONVERSION_NOT_PERFORMED: u32 = 2;
}

/// PR_NDR_DIAG_CODE values (MS-OXOMSG 2.2.2.x PidTagNonDeliveryReportDiagCode; mapidefs.h
/// `MAPI_DIAG_*`).
pub mod ndr_diag {
    #![allow(missing_docs)]
    pub const MAPI_DIAG_NO_DIAGNOSTIC: u32 = 0xFFFF_FFFF;
    pub const MAPI_DIAG_OR_NAME_UNRECOGNIZED: u32 = 0;
    pub const MAPI_DIAG_OR_NAME_AMBIGUOUS: u32 = 1;
    pub const MAPI_DIAG_RECIPIENT_UNAVAILABLE: u32 = 4;
    pub const MAPI_DIAG_MAXIMUM_TIME_EXPIRED: u32 = 5;
    /// What a full mailbox (enhanced status X.2.2) is reported as (gromox lib/mapi/oxcmail.cpp
    /// `status_code_to_diag`).
    pub const MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD: u32 = 13;
    pub const MAPI_DIAG_MAIL_ADDRESS_INCORRECT: u32 = 32;
    pub const MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN: u32 = 35;
    pub const MAPI_DIAG_MAIL_REFUSED: u32 = 38;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_bits_and_remainder() {
        assert_eq!(
            flag_names(0x0100_040C, open_flags::NAMES),
            vec!["HOME_LOGON", "TAKE_OWNERSHIP", "NO_MAIL", "USE_PER_MDB_REPLID_MAPPING"]
        );
        assert_eq!(
            flag_names(0x4_0000 | 0x4000_0000, store_support::NAMES),
            vec!["STORE_UNICODE_OK", "0x40000000"]
        );
    }
}
