//! Rule ROPs (MS-OXORULE 2.2; MS-OXCROPS 2.2.11): the requests of RopModifyRules and
//! RopUpdateDeferredActionMessages. Both answer with the bare response header, so a server
//! that does not implement rules still decodes them and answers each on its own.

use oxmapi_core::value::TaggedValue;

use super::codec::*;

wire_struct! {
    /// RuleData (MS-OXORULE 2.2.1.3): one rule to add (ROW_ADD 0x01), modify (ROW_MODIFY 0x02)
    /// or remove (ROW_REMOVE 0x04).
    pub struct RuleData {
        /// `RuleDataFlags`.
        rule_data_flags: u8 => U8,
        /// `PropertyValueCount` + `PropertyValues` (TaggedPropertyValue, MS-OXCDATA 2.11.4).
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// RopModifyRules request (MS-OXCROPS 2.2.11.1.1).
    pub struct ModifyRulesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the folder).
        input_handle_index: u8 => U8,
        /// `ModifyRulesFlag` (ROW_ADD-only replace 0x01 …, MS-OXORULE 2.2.1.2).
        modify_rules_flag: u8 => U8,
        /// `RulesCount` + `RulesData`.
        rules_data: Vec<RuleData> => Structs16<RuleData>,
    }
}
wire_struct! {
    /// RopUpdateDeferredActionMessages request (MS-OXCROPS 2.2.11.3.1).
    pub struct UpdateDeferredActionMessagesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the logon).
        input_handle_index: u8 => U8,
        /// `ServerEntryIdSize` + `ServerEntryId`.
        server_entry_id: Vec<u8> => Bytes16,
        /// `ClientEntryIdSize` + `ClientEntryId`.
        client_entry_id: Vec<u8> => Bytes16,
    }
}
