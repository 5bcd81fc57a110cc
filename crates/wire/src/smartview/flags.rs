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
pub const ACCESS_LEVEL: &[FlagName] = &[(0, "MAPI_ACCESS_READ_ONLY"), (1, "MAPI_MODIFY")];

/// PidTagAttachMethod values (MS-OXCMSG 2.2.2.9).
pub const ATTACH_METHOD: &[FlagName] = &[
    (0, "afNone"),
    (1, "afByValue"),
    (2, "afByReference"),
    (3, "afByReferenceResolve"),
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

/// RecurFrequency (MS-OXOCAL 2.2.1.44.1).
pub const RECUR_FREQUENCY: &[FlagName] =
    &[(0x200A, "Daily"), (0x200B, "Weekly"), (0x200C, "Monthly"), (0x200D, "Yearly")];

/// PatternType (MS-OXOCAL 2.2.1.44.1).
pub const PATTERN_TYPE: &[FlagName] = &[
    (0x0000, "Day"),
    (0x0001, "Week"),
    (0x0002, "Month"),
    (0x0003, "MonthEnd"),
    (0x0004, "MonthNth"),
    (0x000A, "HjMonth"),
    (0x000B, "HjMonthNth"),
    (0x000C, "HjMonthEnd"),
];

/// CalendarType (MS-OXOCAL 2.2.1.44.1).
pub const CALENDAR_TYPE: &[FlagName] = &[
    (0x00, "CAL_DEFAULT"),
    (0x01, "CAL_GREGORIAN"),
    (0x02, "CAL_GREGORIAN_US"),
    (0x03, "CAL_JAPAN"),
    (0x04, "CAL_TAIWAN"),
    (0x05, "CAL_KOREA"),
    (0x06, "CAL_HIJRI"),
    (0x07, "CAL_THAI"),
    (0x08, "CAL_HEBREW"),
    (0x09, "CAL_GREGORIAN_ME_FRENCH"),
    (0x0A, "CAL_GREGORIAN_ARABIC"),
    (0x0B, "CAL_GREGORIAN_XLIT_ENGLISH"),
    (0x0C, "CAL_GREGORIAN_XLIT_FRENCH"),
    (0x0E, "CAL_LUNAR_JAPANESE"),
    (0x0F, "CAL_CHINESE_LUNAR"),
    (0x10, "CAL_SAKA"),
    (0x11, "CAL_LUNAR_ETO_CHN"),
    (0x12, "CAL_LUNAR_ETO_KOR"),
    (0x13, "CAL_LUNAR_ROKUYOU"),
    (0x14, "CAL_LUNAR_KOREAN"),
    (0x17, "CAL_UMALQURA"),
];

/// Days of the week bits of the Week and MonthNth patterns (MS-OXOCAL 2.2.1.44.1.2).
pub const DAYS_OF_WEEK: &[FlagName] =
    &[(0x01, "Su"), (0x02, "M"), (0x04, "Tu"), (0x08, "W"), (0x10, "Th"), (0x20, "F"), (0x40, "Sa")];

/// EndType (MS-OXOCAL 2.2.1.44.1).
pub const END_TYPE: &[FlagName] = &[
    (0x2021, "EndAfterDate"),
    (0x2022, "EndAfterNOccurrences"),
    (0x2023, "NeverEnd"),
    (0xFFFF_FFFF, "NeverEnd"),
];

/// FirstDOW (MS-OXOCAL 2.2.1.44.1).
pub const FIRST_DOW: &[FlagName] = &[
    (0, "Sunday"),
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
];

/// OverrideFlags of an ExceptionInfo (MS-OXOCAL 2.2.1.44.3).
pub const OVERRIDE_FLAGS: &[FlagName] = &[
    (0x0001, "ARO_SUBJECT"),
    (0x0002, "ARO_MEETINGTYPE"),
    (0x0004, "ARO_REMINDERDELTA"),
    (0x0008, "ARO_REMINDER"),
    (0x0010, "ARO_LOCATION"),
    (0x0020, "ARO_BUSYSTATUS"),
    (0x0040, "ARO_ATTACHMENT"),
    (0x0080, "ARO_SUBTYPE"),
    (0x0100, "ARO_APPTCOLOR"),
    (0x0200, "ARO_EXCEPTIONAL_BODY"),
];

/// ChangeHighlight bits (MS-OXOCAL 2.2.6.2 PidLidChangeHighlight).
pub const CHANGE_HIGHLIGHT: &[FlagName] = &[
    (0x0001, "BIT_CH_START"),
    (0x0002, "BIT_CH_END"),
    (0x0004, "BIT_CH_RECUR"),
    (0x0008, "BIT_CH_LOCATION"),
    (0x0010, "BIT_CH_SUBJECT"),
    (0x0020, "BIT_CH_REQATT"),
    (0x0040, "BIT_CH_OPTATT"),
    (0x0080, "BIT_CH_BODY"),
    (0x0100, "BIT_CH_CUSTOM"),
    (0x0200, "BIT_CH_RESPONSE"),
    (0x0400, "BIT_CH_ALLOWPROPOSE"),
];

/// TZRule flags (MS-OXOCAL 2.2.1.41.1).
pub const TZRULE_FLAGS: &[FlagName] =
    &[(0x0001, "TZRULE_FLAG_RECUR_CURRENT_TZREG"), (0x0002, "TZRULE_FLAG_EFFECTIVE_TZREG")];

/// Security descriptor Control bits (MS-DTYP 2.4.6).
pub const SD_CONTROL: &[FlagName] = &[
    (0x0001, "SE_OWNER_DEFAULTED"),
    (0x0002, "SE_GROUP_DEFAULTED"),
    (0x0004, "SE_DACL_PRESENT"),
    (0x0008, "SE_DACL_DEFAULTED"),
    (0x0010, "SE_SACL_PRESENT"),
    (0x0020, "SE_SACL_DEFAULTED"),
    (0x0040, "SE_DACL_TRUSTED"),
    (0x0080, "SE_SERVER_SECURITY"),
    (0x0100, "SE_DACL_AUTO_INHERIT_REQ"),
    (0x0200, "SE_SACL_AUTO_INHERIT_REQ"),
    (0x0400, "SE_DACL_AUTO_INHERITED"),
    (0x0800, "SE_SACL_AUTO_INHERITED"),
    (0x1000, "SE_DACL_PROTECTED"),
    (0x2000, "SE_SACL_PROTECTED"),
    (0x4000, "SE_RM_CONTROL_VALID"),
    (0x8000, "SE_SELF_RELATIVE"),
];

/// ACE types with their MS-DTYP name and SDDL abbreviation (MS-DTYP 2.4.4.1, 2.5.1.1).
pub const ACE_TYPES: &[(u8, &str, &str)] = &[
    (0x00, "ACCESS_ALLOWED_ACE_TYPE", "A"),
    (0x01, "ACCESS_DENIED_ACE_TYPE", "D"),
    (0x02, "SYSTEM_AUDIT_ACE_TYPE", "AU"),
    (0x03, "SYSTEM_ALARM_ACE_TYPE", "AL"),
    (0x04, "ACCESS_ALLOWED_COMPOUND_ACE_TYPE", ""),
    (0x05, "ACCESS_ALLOWED_OBJECT_ACE_TYPE", "OA"),
    (0x06, "ACCESS_DENIED_OBJECT_ACE_TYPE", "OD"),
    (0x07, "SYSTEM_AUDIT_OBJECT_ACE_TYPE", "OU"),
    (0x08, "SYSTEM_ALARM_OBJECT_ACE_TYPE", "OL"),
    (0x09, "ACCESS_ALLOWED_CALLBACK_ACE_TYPE", "XA"),
    (0x0A, "ACCESS_DENIED_CALLBACK_ACE_TYPE", "XD"),
    (0x0B, "ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE", "ZA"),
    (0x0D, "SYSTEM_AUDIT_CALLBACK_ACE_TYPE", "XU"),
    (0x11, "SYSTEM_MANDATORY_LABEL_ACE_TYPE", "ML"),
    (0x12, "SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE", "RA"),
    (0x13, "SYSTEM_SCOPED_POLICY_ID_ACE_TYPE", "SP"),
];

/// ACE flags with their SDDL abbreviation (MS-DTYP 2.4.4.1, 2.5.1.1).
pub const ACE_FLAGS: &[(u8, &str, &str)] = &[
    (0x01, "OBJECT_INHERIT_ACE", "OI"),
    (0x02, "CONTAINER_INHERIT_ACE", "CI"),
    (0x04, "NO_PROPAGATE_INHERIT_ACE", "NP"),
    (0x08, "INHERIT_ONLY_ACE", "IO"),
    (0x10, "INHERITED_ACE", "ID"),
    (0x40, "SUCCESSFUL_ACCESS_ACE_FLAG", "SA"),
    (0x80, "FAILED_ACCESS_ACE_FLAG", "FA"),
];

/// Exchange folder and message rights in an ACE's mask (`fsdright*`, as MFCMAPI names them;
/// the standard rights are MS-DTYP 2.4.3).
pub const FSD_RIGHTS: &[FlagName] = &[
    (0x0000_0001, "fsdrightReadBody"),
    (0x0000_0002, "fsdrightWriteBody"),
    (0x0000_0004, "fsdrightAppendMsg"),
    (0x0000_0008, "fsdrightReadProperty"),
    (0x0000_0010, "fsdrightWriteProperty"),
    (0x0000_0020, "fsdrightExecute"),
    (0x0000_0080, "fsdrightReadAttributes"),
    (0x0000_0100, "fsdrightWriteAttributes"),
    (0x0000_0200, "fsdrightWriteOwnProperty"),
    (0x0000_0400, "fsdrightDeleteOwnItem"),
    (0x0000_0800, "fsdrightViewItem"),
    (0x0000_4000, "fsdrightOwner"),
    (0x0000_8000, "fsdrightContact"),
    (0x0001_0000, "fsdrightDelete"),
    (0x0002_0000, "fsdrightReadControl"),
    (0x0004_0000, "fsdrightWriteSD"),
    (0x0008_0000, "fsdrightWriteOwner"),
    (0x0010_0000, "fsdrightSynchronize"),
];

/// Rights in the ACEs of a free/busy security descriptor (PidTagFreeBusyNTSecurityDescriptor;
/// MFCMAPI's free/busy names) with the standard rights (MS-DTYP 2.4.3).
pub const FREEBUSY_RIGHTS: &[FlagName] = &[
    (0x0000_0001, "fsdrightFreeBusySimple"),
    (0x0000_0002, "fsdrightFreeBusyDetailed"),
    (0x0001_0000, "fsdrightDelete"),
    (0x0002_0000, "fsdrightReadControl"),
    (0x0004_0000, "fsdrightWriteSD"),
    (0x0008_0000, "fsdrightWriteOwner"),
    (0x0010_0000, "fsdrightSynchronize"),
];

/// The generic rights and their SDDL letters (MS-DTYP 2.4.3, 2.5.1.1).
pub const GENERIC_RIGHTS: &[(u32, &str)] =
    &[(0x1000_0000, "GA"), (0x8000_0000, "GR"), (0x4000_0000, "GW"), (0x2000_0000, "GX")];

/// Well-known SIDs and their SDDL aliases (MS-DTYP 2.4.2.4, 2.5.1.1).
pub const SID_ALIASES: &[(&str, &str)] = &[
    ("S-1-1-0", "WD"),
    ("S-1-3-0", "CO"),
    ("S-1-3-1", "CG"),
    ("S-1-5-2", "NU"),
    ("S-1-5-4", "IU"),
    ("S-1-5-6", "SU"),
    ("S-1-5-7", "AN"),
    ("S-1-5-9", "ED"),
    ("S-1-5-10", "PS"),
    ("S-1-5-11", "AU"),
    ("S-1-5-12", "RC"),
    ("S-1-5-18", "SY"),
    ("S-1-5-19", "LS"),
    ("S-1-5-20", "NS"),
    ("S-1-5-32-544", "BA"),
    ("S-1-5-32-545", "BU"),
    ("S-1-5-32-546", "BG"),
    ("S-1-5-32-547", "PU"),
    ("S-1-5-32-548", "AO"),
    ("S-1-5-32-549", "SO"),
    ("S-1-5-32-550", "PO"),
    ("S-1-5-32-551", "BO"),
    ("S-1-5-32-552", "RE"),
    ("S-1-5-32-554", "RU"),
    ("S-1-5-32-555", "RD"),
    ("S-1-5-32-556", "NO"),
];

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
