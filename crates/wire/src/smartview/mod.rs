//! SmartView: decoders that turn the binary and numeric property values of MAPI into readable
//! structures, after MFCMAPI's SmartView (whose parsers were the checklist of what to decode);
//! each decoder is written from the Open Specifications it cites.
//!
//! Two ways in:
//! - [`parse`]`(kind, bytes)` decodes bytes as one of the [`KINDS`] (`oxmapi inspect KIND`);
//! - [`decode_property`] and [`decode_named`] give the decoded view of a property value that
//!   has one (flag names, enums, entry IDs, change keys, times in UTC and local time, …).
//!
//! Structures decoded, 41 (MFCMAPI has 41):
//! 1 `pcl`, 2 `xid`, 3 `gid`, 4 `fid`, 5 `mid`, 6 `long-term-id`, 7 `guid`, 8 `filetime`,
//! 9 `searchkey`, 10 `entryid-any`, 11 `flat-entry-list`, 12 `entry-list`,
//! 13 `additional-ren-entryids-ex`, 14 `report-tag`, 15 `conversation-index`,
//! 16 `global-object-id`, 17 `recurrence`, 18 `task-recurrence`, 19 `appointment-exception`
//! (one ExceptionInfo; with the ExtendedException blocks inside `recurrence`), 20 `timezone`,
//! 21 `timezone-definition`, 22 `sid`, 23 `security-descriptor`, 24 `rule-condition`,
//! 25 `rule-action`, 26 `extended-rule-condition`, 27 `extended-rule-action`,
//! 28 `extended-folder-flags`, 29 `webview-info`, 30 `property-definition-stream`,
//! 31 `tombstone`, 32 `task-assigners`, 33 flag and enum properties ([`decode_property`]),
//! 34 the contact address book entry ID (inside `entryid-any`), 35 `verb-stream`,
//! 36 `folder-user-fields`, 37 `nickname-cache`, 38 `recipient-row-stream`,
//! 39 `search-folder-definition` (its MRES condition and filter stream as bytes),
//! 40 `encoded-entryid`, 41 `freebusy-security-descriptor`.
//!
//! Not decoded (MFCMAPI has them): the search folder definition's MRES restriction, property
//! arrays ("Properties"), the entry ID encoder (the decoder is `encoded-entryid`), "swap to-do".

mod common;
mod conversation;
mod entryids;
mod flags;
mod folder;
mod ids;
mod misc;
mod props;
mod propstreams;
mod recurrence;
mod rules;
mod security;
mod streams;
mod timezone;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_calendar;
#[cfg(test)]
mod tests_entryids;
#[cfg(test)]
mod tests_props;
#[cfg(test)]
mod tests_streams;

pub use common::set_local_offset;
pub use entryids::entry_id_node;
pub use props::{decode_named, decode_property};

use oxmapi_core::codec::DecodeError;

use crate::describe::Node;

/// Why [`parse`] failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SmartViewError {
    /// The kind is not one of [`KINDS`].
    #[error("unknown SmartView kind {0:?}")]
    UnknownKind(String),
    /// The bytes are not a valid structure of the kind.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// A decoder: bytes to a description.
type Decoder = fn(&[u8]) -> Result<Node, DecodeError>;

/// Every kind: name, one-line description, decoder.
const DECODERS: &[(&str, &str, Decoder)] = &[
    ("pcl", "predecessor change list: sized XIDs (MS-OXCFXICS 2.2.2.4)", ids::pcl),
    ("xid", "XID / change key: GUID + LocalId (MS-OXCFXICS 2.2.2.2)", ids::xid),
    ("gid", "GID / source key: GUID + 6-byte counter (MS-OXCDATA 2.2.1.3)", ids::gid),
    ("fid", "folder ID, 8 bytes: replica id + global counter (MS-OXCDATA 2.2.1.1)", ids::object_id),
    ("mid", "message ID, 8 bytes: replica id + global counter (MS-OXCDATA 2.2.1.2)", ids::object_id),
    ("long-term-id", "LongTermID: GUID + counter + pad (MS-OXCDATA 2.2.1.3.1)", ids::long_term_id),
    ("guid", "a GUID with its well-known name (MS-DTYP 2.3.4)", ids::guid_kind),
    ("filetime", "a FILETIME, UTC and local (MS-DTYP 2.3.3)", ids::filetime_kind),
    ("search-key", "PidTagSearchKey: ADDRTYPE:ADDRESS or 16 bytes (MS-OXCPRPT 2.2.1.9)", ids::search_key),
    (
        "entryid-any",
        "any entry ID: folder, message, store, AB, one-off, contact (MS-OXCDATA 2.2.4)",
        entryids::entry_id,
    ),
    (
        "encoded-entryid",
        "an entry ID as UTF-16 U+AC00+byte (Outlook's string form)",
        entryids::encoded_entry_id,
    ),
    ("flat-entry-list", "FlatEntryList (MS-OXCDATA 2.3.3)", entryids::flat_entry_list),
    ("entry-list", "ENTRYLIST as stored: count, sizes, entry IDs", entryids::entry_list),
    (
        "additional-ren-entry-ids",
        "PidTagAdditionalRenEntryIdsEx: PersistData blocks",
        entryids::additional_ren_entry_ids_ex,
    ),
    ("report-tag", "PidTagReportTag (MS-OXOMSG 2.2.2.22)", entryids::report_tag),
    (
        "search-folder-definition",
        "PidTagSearchFolderDefinition (MS-OXOSRCH)",
        entryids::search_folder_definition,
    ),
    ("conversation-index", "PidTagConversationIndex (MS-OXOMSG 2.2.1.3)", conversation::conversation_index),
    (
        "global-object-id",
        "PidLidGlobalObjectId / CleanGlobalObjectId (MS-OXOCAL 2.2.1.27)",
        conversation::global_object_id,
    ),
    ("recurrence", "PidLidAppointmentRecur (MS-OXOCAL 2.2.1.44.2)", recurrence::appointment_recurrence),
    (
        "task-recurrence",
        "PidLidTaskRecurrence: RecurrencePattern (MS-OXOCAL 2.2.1.44.1)",
        recurrence::task_recurrence,
    ),
    (
        "appointment-exception",
        "one ExceptionInfo of a recurrence (MS-OXOCAL 2.2.1.44.3)",
        recurrence::exception_info_kind,
    ),
    ("time-zone", "PidLidTimeZoneStruct (MS-OXOCAL 2.2.1.39)", timezone::time_zone_struct),
    ("time-zone-definition", "TimeZoneDefinition (MS-OXOCAL 2.2.1.41)", timezone::time_zone_definition),
    ("sid", "a SID (MS-DTYP 2.4.2.2)", security::sid),
    (
        "security-descriptor",
        "security descriptor, with SDDL (MS-DTYP 2.4.6, 2.5.1)",
        security::security_descriptor,
    ),
    (
        "freebusy-security-descriptor",
        "PidTagFreeBusyNTSecurityDescriptor: free/busy rights, with SDDL",
        security::freebusy_security_descriptor,
    ),
    ("rule-condition", "rule condition: restriction, ROP form (MS-OXCDATA 2.12)", rules::rule_condition),
    ("rule-action", "RuleAction, ROP form (MS-OXORULE 2.2.5)", rules::rule_action),
    (
        "extended-rule-condition",
        "PidTagExtendedRuleMessageCondition (MS-OXORULE 2.2.4.1.10)",
        rules::extended_rule_condition,
    ),
    (
        "extended-rule-action",
        "PidTagExtendedRuleMessageActions (MS-OXORULE 2.2.4.1.9)",
        rules::extended_rule_action,
    ),
    ("extended-folder-flags", "PidTagExtendedFolderFlags (MS-OXOCFG 2.2.7.1)", folder::extended_folder_flags),
    ("webview-info", "PidTagFolderWebViewInfo: WebViewPersistence records", folder::webview_info),
    (
        "property-definition-stream",
        "PidLidPropertyDefinitionStream (MS-OXOCFG 2.2.3.2.2)",
        folder::property_definition_stream,
    ),
    ("tombstone", "PidTagScheduleInfoAppointmentTombstone records", misc::tombstone),
    ("task-assigners", "PidLidTaskAssigners (MS-OXOTASK)", misc::task_assigners),
    ("verb-stream", "PidLidVerbStream: verbs and voting options (MS-OXOMSG 2.2.1.74)", streams::verb_stream),
    ("folder-user-fields", "PidTagUserFields: a folder's user-defined fields", streams::folder_user_fields),
    ("nickname-cache", "nickname cache / autocomplete stream (MS-OXOCFG)", propstreams::nickname_cache),
    (
        "recipient-row-stream",
        "PidLidAppointmentUnsendableRecipients: recipient rows (MS-OXOCAL 2.2.1.25)",
        propstreams::recipient_row_stream,
    ),
];

/// The kinds [`parse`] takes: name and one-line description.
pub const KINDS: &[(&str, &str)] = &{
    let mut out = [("", ""); DECODERS.len()];
    let mut i = 0;
    while i < DECODERS.len() {
        out[i] = (DECODERS[i].0, DECODERS[i].1);
        i += 1;
    }
    out
};

/// Other names a kind answers to: the structure's other name (a change key is an XID, CLI.md
/// "inspect") and the spellings of earlier versions.
pub const ALIASES: &[(&str, &str)] = &[
    ("change-key", "xid"),
    ("searchkey", "search-key"),
    ("timezone", "time-zone"),
    ("timezone-definition", "time-zone-definition"),
    ("additional-ren-entryids-ex", "additional-ren-entry-ids"),
];

/// Decodes `bytes` as `kind` (one of [`KINDS`] or [`ALIASES`]).
pub fn parse(kind: &str, bytes: &[u8]) -> Result<Node, SmartViewError> {
    let kind = ALIASES.iter().find(|(alias, _)| *alias == kind).map_or(kind, |(_, k)| *k);
    let (_, _, f) = DECODERS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .ok_or_else(|| SmartViewError::UnknownKind(kind.to_string()))?;
    Ok(f(bytes)?)
}
