//! Permission ROPs (MS-OXCPERM 2.2; MS-OXCROPS 2.2.10): the request of RopModifyPermissions
//! (RopGetPermissionsTable shares the table request of [`super::oxcfold`]).

use oxmapi_core::value::TaggedValue;

use super::codec::*;

wire_struct! {
    /// PermissionData (MS-OXCPERM 2.2.1.1): one permission row to add (ROW_ADD 0x01), modify
    /// (ROW_MODIFY 0x02) or remove (ROW_REMOVE 0x04).
    pub struct PermissionData {
        /// `PermissionDataFlags`.
        permission_data_flags: u8 => U8,
        /// `PropertyValueCount` + `PropertyValues`.
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// RopModifyPermissions request (MS-OXCROPS 2.2.10.1.1).
    pub struct ModifyPermissionsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the folder).
        input_handle_index: u8 => U8,
        /// `ModifyFlags` (ReplaceRows 0x01, IncludeFreeBusy 0x02).
        modify_flags: u8 => U8,
        /// `ModifyCount` + `PermissionsData`.
        permissions_data: Vec<PermissionData> => Structs16<PermissionData>,
    }
}
