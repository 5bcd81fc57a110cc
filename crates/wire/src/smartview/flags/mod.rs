//! Flag and enumeration tables of the SmartView decoders, in one place. Each table cites where
//! its values are defined; MFCMAPI's flag tables (core/interpret/genFlagsExtra etc.) were the
//! checklist of what to name.

use oxmapi_core::consts::FlagName;

/// PR_PROFILE_CONNECT_FLAGS (0x66040003) bits: EDKMDB.H "Bit values for PR_PROFILE_CONNECT_FLAGS"
/// (Exchange SDK, 2002: 0x1 to 0x80; CONNECT_NO_NOTIFICATIONS and CONNECT_NO_TABLE_NOTIFICATIONS
/// share 0x20) and CONNECT_IGNORE_NO_PF 0x8000 (MFCMAPI's extra definitions, after Stephen
/// Griffin's "MAPI and Exchange 2007"; gromox emsmdb_interface_connect_ex).
pub const PROFILE_CONNECT: &[FlagName] = &[
    (0x0000_0001, "CONNECT_USE_ADMIN_PRIVILEGE"),
    (0x0000_0002, "CONNECT_NO_RPC_ENCRYPTION"),
    (0x0000_0004, "CONNECT_USE_SEPARATE_CONNECTION"),
    (0x0000_0008, "CONNECT_NO_UNDER_COVER_CONNECTION"),
    (0x0000_0010, "CONNECT_ANONYMOUS_ACCESS"),
    (0x0000_0020, "CONNECT_NO_NOTIFICATIONS"),
    (0x0000_0040, "CONNECT_NO_ADDRESS_RESOLUTION"),
    (0x0000_0080, "CONNECT_RESTORE_DATABASE"),
    (0x0000_8000, "CONNECT_IGNORE_NO_PF"),
];

/// PidTagAccess bits (MS-OXCPRPT 2.2.1.1).
pub const ACCESS: &[FlagName] = &[
    (0x01, "MAPI_ACCESS_MODIFY"),
    (0x02, "MAPI_ACCESS_READ"),
    (0x04, "MAPI_ACCESS_DELETE"),
    (0x08, "MAPI_ACCESS_CREATE_HIERARCHY"),
    (0x10, "MAPI_ACCESS_CREATE_CONTENTS"),
    (0x20, "MAPI_ACCESS_CREATE_ASSOCIATED"),
];

/// PidTagAccessLevel values (MS-OXCPRPT 2.2.1.2).
pub const ACCESS_LEVEL: &[FlagName] = &[(0, "Read-Only"), (1, "Modify")];

/// PidTagAttachMethod values (MS-OXCMSG 2.2.2.9; 3 is mapidefs.h ATTACH_BY_REF_RESOLVE).
pub const ATTACH_METHOD: &[FlagName] = &[
    (0, "afNone"),
    (1, "afByValue"),
    (2, "afByReference"),
    (3, "ATTACH_BY_REF_RESOLVE"),
    (4, "afByReferenceOnly"),
    (5, "afEmbeddedMessage"),
    (6, "afStorage"),
    (7, "afByWebReference"),
];

/// PidTagAttachFlags bits (MS-OXCMSG 2.2.2.18).
pub const ATTACH_FLAGS: &[FlagName] =
    &[(0x1, "ATT_INVISIBLE_IN_HTML"), (0x2, "ATT_INVISIBLE_IN_RTF"), (0x4, "ATT_MHTML_REF")];

/// PidTagObjectType values (MS-OXCPRPT 2.2.1.7; mapidefs.h).
pub const OBJECT_TYPE: &[FlagName] = &[
    (1, "MAPI_STORE"),
    (2, "MAPI_ADDRBOOK"),
    (3, "MAPI_FOLDER"),
    (4, "MAPI_ABCONT"),
    (5, "MAPI_MESSAGE"),
    (6, "MAPI_MAILUSER"),
    (7, "MAPI_ATTACH"),
    (8, "MAPI_DISTLIST"),
    (9, "MAPI_PROFSECT"),
    (10, "MAPI_STATUS"),
    (11, "MAPI_SESSION"),
    (12, "MAPI_FORMINFO"),
];

/// PidTagDisplayType values (MS-OXOABK 2.2.3.11; MS-NSPI 2.2.1.3).
pub const DISPLAY_TYPE: &[FlagName] = &[
    (0x0, "DT_MAILUSER"),
    (0x1, "DT_DISTLIST"),
    (0x2, "DT_FORUM"),
    (0x3, "DT_AGENT"),
    (0x4, "DT_ORGANIZATION"),
    (0x5, "DT_PRIVATE_DISTLIST"),
    (0x6, "DT_REMOTE_MAILUSER"),
    (0x7, "DT_ROOM"),
    (0x8, "DT_EQUIPMENT"),
    (0x9, "DT_SEC_DISTLIST"),
    (0x100, "DT_CONTAINER"),
    (0x101, "DT_TEMPLATE"),
    (0x102, "DT_ADDRESS_TEMPLATE"),
    (0x200, "DT_SEARCH"),
];

/// PidTagDisplayTypeEx flag bits (MS-OXOABK 2.2.3.12).
pub const DISPLAY_TYPE_EX_FLAGS: &[FlagName] =
    &[(0x4000_0000, "DTE_FLAG_ACL_CAPABLE"), (0x8000_0000, "DTE_FLAG_REMOTE_VALID")];

/// PidTagMessageStatus bits (MS-OXCMSG 2.2.1.8).
pub const MSG_STATUS: &[FlagName] = &[
    (0x0000_0001, "MSGSTATUS_HIGHLIGHTED"),
    (0x0000_0002, "MSGSTATUS_TAGGED"),
    (0x0000_0004, "MSGSTATUS_HIDDEN"),
    (0x0000_0008, "MSGSTATUS_DELMARKED"),
    (0x0000_0100, "MSGSTATUS_DRAFT"),
    (0x0000_0200, "MSGSTATUS_ANSWERED"),
    (0x0000_0800, "MSGSTATUS_IN_CONFLICT"),
    (0x0000_1000, "MSGSTATUS_REMOTE_DOWNLOAD"),
    (0x0000_2000, "MSGSTATUS_REMOTE_DELETE"),
];

/// PR_RESOURCE_FLAGS bits of status rows and profile sections (mapidefs.h `STATUS_*`).
pub const RESOURCE_FLAGS: &[FlagName] = &[
    (0x0000_0001, "STATUS_DEFAULT_OUTBOUND"),
    (0x0000_0002, "STATUS_DEFAULT_STORE"),
    (0x0000_0004, "STATUS_PRIMARY_IDENTITY"),
    (0x0000_0008, "STATUS_SIMPLE_STORE"),
    (0x0000_0010, "STATUS_XP_PREFER_LAST"),
    (0x0000_0020, "STATUS_NO_PRIMARY_IDENTITY"),
    (0x0000_0040, "STATUS_NO_DEFAULT_STORE"),
    (0x0000_0080, "STATUS_TEMP_SECTION"),
    (0x0000_0100, "STATUS_OWN_STORE"),
    (0x0000_0200, "HOOK_INBOUND"),
    (0x0000_0400, "HOOK_OUTBOUND"),
    (0x0000_0800, "STATUS_NEED_IPM_TREE"),
    (0x0000_1000, "STATUS_PRIMARY_STORE"),
    (0x0000_2000, "STATUS_SECONDARY_STORE"),
];

/// PidTagSensitivity values (MS-OXCMSG 2.2.1.13).
pub const SENSITIVITY: &[FlagName] = &[
    (0, "SENSITIVITY_NONE"),
    (1, "SENSITIVITY_PERSONAL"),
    (2, "SENSITIVITY_PRIVATE"),
    (3, "SENSITIVITY_COMPANY_CONFIDENTIAL"),
];

/// PidTagImportance values (MS-OXCMSG 2.2.1.11).
pub const IMPORTANCE: &[FlagName] =
    &[(0, "IMPORTANCE_LOW"), (1, "IMPORTANCE_NORMAL"), (2, "IMPORTANCE_HIGH")];

/// PidTagPriority values (MS-OXCMSG 2.2.1.12): -1 is non-urgent.
pub const PRIORITY: &[FlagName] = &[(0xFFFF_FFFF, "PRIO_NONURGENT"), (0, "PRIO_NORMAL"), (1, "PRIO_URGENT")];

/// PidTagRecipientType kinds (MS-OXOMSG 2.2.3.1; MS-OXCMSG 2.2.3.1.1).
pub const RECIPIENT_KIND: &[FlagName] = &[(0, "MAPI_ORIG"), (1, "MAPI_TO"), (2, "MAPI_CC"), (3, "MAPI_BCC")];

/// PidTagRecipientType flag bits.
pub const RECIPIENT_FLAGS: &[FlagName] = &[(0x1000_0000, "MAPI_P1"), (0x8000_0000, "MAPI_SUBMITTED")];

/// PidTagRights / PidTagMemberRights bits (MS-OXCPERM 2.2.7).
pub const RIGHTS: &[FlagName] = &[
    (0x0000_0001, "frightsReadAny"),
    (0x0000_0002, "frightsCreate"),
    (0x0000_0008, "frightsEditOwned"),
    (0x0000_0010, "frightsDeleteOwned"),
    (0x0000_0020, "frightsEditAny"),
    (0x0000_0040, "frightsDeleteAny"),
    (0x0000_0080, "frightsCreateSubfolder"),
    (0x0000_0100, "frightsOwner"),
    (0x0000_0200, "frightsContact"),
    (0x0000_0400, "frightsVisible"),
    (0x0000_0800, "frightsFreeBusySimple"),
    (0x0000_1000, "frightsFreeBusyDetailed"),
];

/// PidTagContainerFlags bits (MS-OXOABK 2.2.2.3).
pub const CONTAINER_FLAGS: &[FlagName] = &[
    (0x0000_0001, "AB_RECIPIENTS"),
    (0x0000_0002, "AB_SUBCONTAINERS"),
    (0x0000_0004, "AB_MODIFIABLE"),
    (0x0000_0008, "AB_UNMODIFIABLE"),
    (0x0000_0010, "AB_FIND_ON_OPEN"),
    (0x0000_0020, "AB_NOT_DEFAULT"),
    (0x0000_0200, "AB_CONF_ROOMS"),
];

/// PidTagFolderType values (MS-OXCFOLD 2.2.2.2.1.7).
pub const FOLDER_TYPE: &[FlagName] = &[(0, "FOLDER_ROOT"), (1, "FOLDER_GENERIC"), (2, "FOLDER_SEARCH")];

/// PersistID of PidTagAdditionalRenEntryIdsEx (0x36D9) PersistData blocks (Outlook MAPI
/// reference, "PidTagAdditionalRenEntryIdsEx Canonical Property", PersistBlockType values).
pub const PERSIST_ID: &[FlagName] = &[
    (0x0000, "PERSIST_SENTINEL"),
    (0x8001, "RSF_PID_RSS_SUBSCRIPTION"),
    (0x8002, "RSF_PID_SEND_AND_TRACK"),
    (0x8004, "RSF_PID_TODO_SEARCH"),
    (0x8006, "RSF_PID_CONV_ACTIONS"),
    (0x8007, "RSF_PID_COMBINED_ACTIONS"),
    (0x8008, "RSF_PID_SUGGESTED_CONTACTS"),
    (0x8009, "RSF_PID_CONTACT_SEARCH"),
    (0x800A, "RSF_PID_BUDDYLIST_PDLS"),
    (0x800B, "RSF_PID_BUDDYLIST_CONTACTS"),
];

/// ElementID of PersistElementBlocks.
pub const PERSIST_ELEMENT_ID: &[FlagName] =
    &[(0x0000, "ELEMENT_SENTINEL"), (0x0001, "RSF_ELID_ENTRYID"), (0x0002, "RSF_ELID_HEADER")];

/// Subproperty ids of PidTagExtendedFolderFlags (MS-OXOCFG 2.2.7.1; MS-OXOSRCH 2.2.2.1.2).
pub const EXTENDED_FOLDER_FLAG_ID: &[FlagName] = &[
    (0x01, "ExtendedFlags"),
    (0x02, "SearchFolderID"),
    (0x03, "SearchFolderTag"),
    (0x05, "ToDoFolderVersion"),
];

/// WebViewPersistence dwType and dwFlags values (MS-OXOCFG? Outlook MAPI reference
/// "PidTagFolderWebViewInfo Canonical Property").
pub const WEBVIEW_TYPE: &[FlagName] = &[(0x1, "WEBVIEWURL")];
/// WebViewPersistence dwFlags bits.
pub const WEBVIEW_FLAGS: &[FlagName] = &[(0x1, "WEBVIEW_FLAGS_SHOWBYDEFAULT")];

/// FieldDefinition Flags (MS-OXOCFG 2.2.3.2.2.1).
pub const PDO_FLAGS: &[FlagName] = &[
    (0x01, "PDO_IS_CUSTOM"),
    (0x02, "PDO_REQUIRED"),
    (0x04, "PDO_PRINT_SAVEAS"),
    (0x08, "PDO_CALC_AUTO"),
    (0x10, "PDO_FT_CONCAT"),
    (0x20, "PDO_FT_SWITCH"),
    (0x40, "PDO_PRINT_SAVEAS_DEF"),
];

/// VerbData ID values of the standard verbs (MS-OXOMSG, PidLidVerbStream; MFCMAPI's
/// NOTEIVERB_* names).
pub const VERB_ID: &[FlagName] = &[
    (0x66, "NOTEIVERB_REPLYTOSENDER"),
    (0x67, "NOTEIVERB_REPLYTOALL"),
    (0x68, "NOTEIVERB_FORWARD"),
    (0x6C, "NOTEIVERB_REPLYTOFOLDER"),
];

/// FieldType of a folder user field (MFCMAPI's ft* names; only those confirmed by a sample).
pub const FOLDER_FIELD_TYPE: &[FlagName] = &[(0, "ftNull"), (1, "ftString")];

/// fcapm bits of a folder user field (MFCMAPI's FCAPM_* names).
pub const FOLDER_FIELD_CAPS: &[FlagName] = &[
    (0x0000_0001, "FCAPM_CAN_EDIT"),
    (0x0000_0002, "FCAPM_CAN_SORT"),
    (0x0000_0004, "FCAPM_CAN_GROUP"),
    (0x8000_0000, "FCAPM_CAN_EDIT_IN_ITEM"),
];

/// PidTagSearchFolderStorageType bits, the Flags of a search folder definition (MS-OXOSRCH
/// 2.2.1.2.? `SFST_*`; values as MFCMAPI's extra definitions give them).
pub const SEARCH_FOLDER_STORAGE: &[FlagName] = &[
    (0x0001, "SFST_NUMBER"),
    (0x0002, "SFST_TEXT"),
    (0x0004, "SFST_BINARY"),
    (0x0008, "SFST_MRES"),
    (0x0010, "SFST_FILTERSTREAM"),
    (0x0020, "SFST_FOLDERNAME"),
    (0x0040, "SFST_FOLDERLIST"),
    (0x1000, "SFST_TIMERES_MONTHLY"),
    (0x2000, "SFST_TIMERES_WEEKLY"),
    (0x4000, "SFST_TIMERES_DAILY"),
    (0x8000, "SFST_DEAD"),
];

/// The flags word of a one-off entry ID (MS-OXCDATA 2.2.5.1: U, L and R bits; MFCMAPI's names
/// for the high word of its dwBitmask).
pub const ONE_OFF_FLAGS: &[FlagName] =
    &[(0x8000, "MAPI_UNICODE"), (0x1000, "OOP_DONT_LOOKUP"), (0x0001, "MAPI_SEND_NO_RICH_INFO")];

mod calendar;
mod security;

pub use calendar::*;
pub use security::*;
