//! Security tables: descriptor control bits, ACE types and flags, rights and well-known SIDs
//! (MS-DTYP), with the Exchange folder and free/busy rights.

use oxmapi_core::consts::FlagName;

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
