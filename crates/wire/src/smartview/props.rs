//! The decoded view of a property value: which SmartView decoder fits which property.
//! Tags are matched on their property id (the type is checked against the value), named
//! properties on their property set and LID (MS-OXPROPS).

use oxmapi_core::catalogue;
use oxmapi_core::guid::{PSETID_APPOINTMENT, PSETID_COMMON, PSETID_MEETING, PSETID_TASK};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::named::{NameId, PropertyName};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::common::{enumerated, filetime, flags};
use super::flags as f;
use super::{
    conversation, entryids, folder, ids, misc, propstreams, recurrence, rules, security, streams, timezone,
};
use crate::describe::Node;

type Bin = fn(&[u8]) -> Result<Node, oxmapi_core::codec::DecodeError>;

/// Binary properties with a structure, by property id (MS-OXPROPS ids).
const BINARY: &[(u16, Bin)] = &[
    (0x0031, entryids::report_tag),                   // PidTagReportTag
    (0x0071, conversation::conversation_index),       // PidTagConversationIndex
    (0x0E27, security::security_descriptor),          // PidTagNTSecurityDescriptor
    (0x0E99, rules::extended_rule_action),            // PidTagExtendedRuleMessageActions
    (0x0E9A, rules::extended_rule_condition),         // PidTagExtendedRuleMessageCondition
    (0x0F00, security::freebusy_security_descriptor), // PidTagFreeBusyNTSecurityDescriptor
    (0x300B, ids::search_key),                        // PidTagSearchKey
    (0x36D9, entryids::additional_ren_entry_ids_ex),  // PidTagAdditionalRenEntryIdsEx
    (0x36DA, folder::extended_folder_flags),          // PidTagExtendedFolderFlags
    (0x36DF, folder::webview_info),                   // PidTagFolderWebViewInfo
    (0x65E0, ids::gid),                               // PidTagSourceKey
    (0x65E1, ids::gid),                               // PidTagParentSourceKey
    (0x65E2, ids::xid),                               // PidTagChangeKey
    (0x65E3, ids::pcl),                               // PidTagPredecessorChangeList
    (0x6680, rules::rule_action),                     // PidTagRuleActions (PtypRuleAction)
    (0x686A, misc::tombstone),                        // PidTagScheduleInfoAppointmentTombstone
    (0x36E3, streams::folder_user_fields),            // PidTagUserFields
    (0x6845, entryids::search_folder_definition),     // PidTagSearchFolderDefinition
];

/// Integer properties with flag or enum names, by property id.
enum Int {
    Flags(&'static [oxmapi_core::consts::FlagName]),
    Enum(&'static [oxmapi_core::consts::FlagName]),
    DisplayTypeEx,
    RecipientType,
}

const INTEGER: &[(u16, Int)] = &[
    (0x0E07, Int::Flags(oxmapi_core::consts::message_flags::NAMES)), // PidTagMessageFlags
    (0x0E17, Int::Flags(f::MSG_STATUS)),                             // PidTagMessageStatus
    (0x0FF4, Int::Flags(f::ACCESS)),                                 // PidTagAccess
    (0x0FF7, Int::Enum(f::ACCESS_LEVEL)),                            // PidTagAccessLevel
    (0x0FFE, Int::Enum(f::OBJECT_TYPE)),                             // PidTagObjectType
    (0x0017, Int::Enum(f::IMPORTANCE)),                              // PidTagImportance
    (0x0026, Int::Enum(f::PRIORITY)),                                // PidTagPriority
    (0x0036, Int::Enum(f::SENSITIVITY)),                             // PidTagSensitivity
    (0x0C15, Int::RecipientType),                                    // PidTagRecipientType
    (0x3900, Int::Enum(f::DISPLAY_TYPE)),                            // PidTagDisplayType
    (0x3905, Int::DisplayTypeEx),                                    // PidTagDisplayTypeEx
    (0x3601, Int::Enum(f::FOLDER_TYPE)),                             // PidTagFolderType
    (0x3600, Int::Flags(f::CONTAINER_FLAGS)),                        // PidTagContainerFlags
    (0x3705, Int::Enum(f::ATTACH_METHOD)),                           // PidTagAttachMethod
    (0x3714, Int::Flags(f::ATTACH_FLAGS)),                           // PidTagAttachFlags
    (0x340D, Int::Flags(oxmapi_core::consts::store_support::NAMES)), // PidTagStoreSupportMask
    (0x340E, Int::Flags(oxmapi_core::consts::store_support::NAMES)), // PidTagStoreState
    (0x340F, Int::Flags(oxmapi_core::consts::store_support::NAMES)), // PidTagStoreUnicodeMask
    (0x3009, Int::Flags(f::RESOURCE_FLAGS)),                         // PR_RESOURCE_FLAGS
    (0x6604, Int::Flags(f::PROFILE_CONNECT)),                        // PR_PROFILE_CONNECT_FLAGS
    (0x6639, Int::Flags(f::RIGHTS)),                                 // PidTagRights
    (0x6673, Int::Flags(f::RIGHTS)),                                 // PidTagMemberRights
    (0x6846, Int::Flags(f::SEARCH_FOLDER_STORAGE)),                  // PidTagSearchFolderStorageType
];

/// Property ids of 8-byte FIDs, MIDs and change numbers (MS-OXPROPS: PidTagFolderId,
/// PidTagParentFolderId, PidTagMid, PidTagInstID, PidTagChangeNumber).
const OBJECT_IDS: &[u16] = &[0x6748, 0x6749, 0x674A, 0x674D, 0x67A4];

/// PidTagRecordKey (MS-OXCPRPT 2.2.1.8).
const RECORD_KEY: u16 = 0x0FF9;

fn is_entry_id_tag(tag: PropTag) -> bool {
    catalogue::by_tag(tag).is_some_and(|m| {
        let n = m.entry.pr_name;
        n.ends_with("_ENTRYID") || n.ends_with("_ENTRYIDS") || n == "PR_ENTRYID"
    })
}

fn binary_view(tag: PropTag, b: &[u8]) -> Option<Node> {
    let id = tag.id();
    if let Some((_, dec)) = BINARY.iter().find(|(i, _)| *i == id) {
        return Some(dec(b).unwrap_or_else(|e| Node::map([("error", Node::str(e.to_string()))])));
    }
    if id == RECORD_KEY {
        return Some(if b.len() == 16 { ids::guid_kind(b).ok()? } else { entryids::entry_id(b).ok()? });
    }
    if is_entry_id_tag(tag) {
        return Some(entryids::entry_id_or_hex(b));
    }
    None
}

fn integer_view(id: u16, v: u32) -> Option<Node> {
    let (_, kind) = INTEGER.iter().find(|(i, _)| *i == id)?;
    Some(match kind {
        Int::Flags(t) => flags(v, 4, t),
        Int::Enum(t) => enumerated(v, t),
        Int::DisplayTypeEx => Node::map([
            ("display_type", enumerated(v & 0xFF, f::DISPLAY_TYPE)),
            ("remote_display_type", enumerated((v >> 8) & 0xFF, f::DISPLAY_TYPE)),
            ("flags", flags(v & 0xFFFF_0000, 4, f::DISPLAY_TYPE_EX_FLAGS)),
        ]),
        Int::RecipientType => Node::map([
            ("kind", enumerated(v & !0x9000_0000, f::RECIPIENT_KIND)),
            ("flags", flags(v & 0x9000_0000, 4, f::RECIPIENT_FLAGS)),
        ]),
    })
}

/// The decoded view of a tagged property's value, or `None` when there is nothing to add to
/// the raw value.
pub fn decode_property(tag: PropTag, value: &PropValue) -> Option<Node> {
    let id = tag.id();
    match value {
        PropValue::I32(v) => integer_view(id, *v as u32),
        PropValue::I16(v) => integer_view(id, *v as u16 as u32),
        PropValue::I64(v) if OBJECT_IDS.contains(&id) => {
            Some(ids::object_id_node(ObjectId::from_bytes(v.to_le_bytes())))
        }
        PropValue::SysTime(t) => Some(filetime(t.0)),
        PropValue::MvSysTime(ts) => Some(Node::List(ts.iter().map(|t| filetime(t.0)).collect())),
        PropValue::Guid(g) => ids::guid_kind(&g.0).ok(),
        PropValue::Binary(b) | PropValue::ServerId(b) => binary_view(tag, b),
        PropValue::RuleAction(b) => rules::rule_action(b).ok(),
        PropValue::MvBinary(v) => {
            let views: Vec<Node> = v.iter().map(|b| binary_view(tag, b).unwrap_or(Node::Null)).collect();
            views.iter().any(|n| *n != Node::Null).then_some(Node::List(views))
        }
        _ => None,
    }
}

/// Named binary properties with a structure: property set, LID, decoder (MS-OXPROPS).
const NAMED: &[(oxmapi_core::guid::Guid, u32, Bin)] = &[
    (PSETID_APPOINTMENT, 0x8216, recurrence::appointment_recurrence), // PidLidAppointmentRecur
    (PSETID_APPOINTMENT, 0x8233, timezone::time_zone_struct),         // PidLidTimeZoneStruct
    (PSETID_APPOINTMENT, 0x825E, timezone::time_zone_definition),     // ...DefinitionStartDisplay
    (PSETID_APPOINTMENT, 0x825F, timezone::time_zone_definition),     // ...DefinitionEndDisplay
    (PSETID_APPOINTMENT, 0x8260, timezone::time_zone_definition),     // ...DefinitionRecur
    (PSETID_MEETING, 0x0003, conversation::global_object_id),         // PidLidGlobalObjectId
    (PSETID_MEETING, 0x0023, conversation::global_object_id),         // PidLidCleanGlobalObjectId
    (PSETID_TASK, 0x8116, recurrence::task_recurrence),               // PidLidTaskRecurrence
    (PSETID_TASK, 0x8117, misc::task_assigners),                      // PidLidTaskAssigners
    (PSETID_COMMON, 0x8540, folder::property_definition_stream),      // PidLidPropertyDefinitionStream
    (PSETID_COMMON, 0x8520, streams::verb_stream),                    // PidLidVerbStream
    (PSETID_APPOINTMENT, 0x823D, propstreams::recipient_row_stream),  // ...UnsendableRecipients
];

/// Named properties holding one entry ID (MS-OXPROPS; MS-OXOCNTC 2.2.1.2.5 electronic address
/// properties).
const NAMED_ENTRY_IDS: &[(oxmapi_core::guid::Guid, u32)] = &[
    (oxmapi_core::guid::PSETID_ADDRESS, 0x8085), // PidLidEmail1OriginalEntryId
    (oxmapi_core::guid::PSETID_ADDRESS, 0x8095), // PidLidEmail2OriginalEntryId
    (oxmapi_core::guid::PSETID_ADDRESS, 0x80A5), // PidLidEmail3OriginalEntryId
    (oxmapi_core::guid::PSETID_ADDRESS, 0x80B5), // PidLidFax1OriginalEntryId
    (oxmapi_core::guid::PSETID_ADDRESS, 0x80C5), // PidLidFax2OriginalEntryId
    (oxmapi_core::guid::PSETID_ADDRESS, 0x80D5), // PidLidFax3OriginalEntryId
];

/// The decoded view of a named property's value, or `None`.
pub fn decode_named(name: &PropertyName, value: &PropValue) -> Option<Node> {
    match value {
        PropValue::SysTime(t) => return Some(filetime(t.0)),
        PropValue::Guid(g) => return ids::guid_kind(&g.0).ok(),
        _ => {}
    }
    let NameId::Id(lid) = name.name else { return None };
    let b = value.as_bytes()?;
    if let Some((_, _, dec)) = NAMED.iter().find(|(g, l, _)| *g == name.guid && *l == lid) {
        return Some(dec(b).unwrap_or_else(|e| Node::map([("error", Node::str(e.to_string()))])));
    }
    if NAMED_ENTRY_IDS.iter().any(|(g, l)| *g == name.guid && *l == lid) {
        return Some(entryids::entry_id_or_hex(b));
    }
    None
}
