//! ROP request builders (MS-OXCROPS 2.2) for the requests cases send most; every request uses
//! `LogonId` 0. `input`/`output` are handle-table slots of the buffer the request goes in.
//! Anything not here is built from the [`oxmapi_wire::rop`] structures directly.

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::oxcrops::ReleaseRequest;
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::request::RopRequest;

/// RopDeleteFolder `DeleteFolderFlags` (MS-OXCFOLD 2.2.1.3.1).
pub mod delete_folder_flags {
    /// DEL_MESSAGES.
    pub const DEL_MESSAGES: u8 = 0x01;
    /// DEL_FOLDERS.
    pub const DEL_FOLDERS: u8 = 0x04;
    /// DELETE_HARD_DELETE.
    pub const DELETE_HARD_DELETE: u8 = 0x10;
}

/// RopSaveChangesMessage `SaveFlags` (MS-OXCMSG 2.2.3.3.1).
pub mod save_flags {
    /// KeepOpenReadOnly.
    pub const KEEP_OPEN_READ_ONLY: u8 = 0x01;
    /// KeepOpenReadWrite.
    pub const KEEP_OPEN_READ_WRITE: u8 = 0x02;
    /// ForceSave.
    pub const FORCE_SAVE: u8 = 0x04;
}

/// RopLogon `OpenFlags` for a private mailbox as Microsoft's suites send it: USE_PER_MDB_REPLID_MAPPING
/// | NO_MAIL | TAKE_OWNERSHIP | HOME_LOGON (MS-OXCSTOR 2.2.1.1.1).
pub const PRIVATE_OPEN_FLAGS: u32 = 0x0100_040C;
/// RopLogon `OpenFlags` for the public folders: PUBLIC | USE_PER_MDB_REPLID_MAPPING.
pub const PUBLIC_OPEN_FLAGS: u32 = 0x0100_0002;

/// RopLogon for a private mailbox with `essdn`.
pub fn logon_private(output: u8, essdn: &str) -> RopRequest {
    RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: output,
        logon_flags: oxmapi_core::consts::logon_rop_flags::PRIVATE,
        open_flags: PRIVATE_OPEN_FLAGS,
        store_state: 0,
        essdn: Some(essdn.to_string()),
    })
}

/// RopRelease.
pub fn release(input: u8) -> RopRequest {
    RopRequest::Release(ReleaseRequest { logon_id: 0, input_handle_index: input })
}

/// RopOpenFolder (read-only open mode).
pub fn open_folder(input: u8, output: u8, fid: ObjectId) -> RopRequest {
    RopRequest::OpenFolder(OpenFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        folder_id: fid,
        open_mode_flags: 0,
    })
}

/// RopCreateFolder of a generic folder with Unicode names.
pub fn create_folder(input: u8, output: u8, name: &str, open_existing: bool) -> RopRequest {
    RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        folder_type: 1,
        use_unicode_strings: 1,
        open_existing: open_existing as u8,
        reserved: 0,
        display_name: name.to_string(),
        comment: String::new(),
    })
}

/// RopDeleteFolder.
pub fn delete_folder(input: u8, fid: ObjectId, flags: u8) -> RopRequest {
    RopRequest::DeleteFolder(DeleteFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        delete_folder_flags: flags,
        folder_id: fid,
    })
}

/// RopEmptyFolder.
pub fn empty_folder(input: u8, associated: bool) -> RopRequest {
    RopRequest::EmptyFolder(EmptyFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        want_delete_associated: associated as u8,
    })
}

/// RopGetHierarchyTable.
pub fn hierarchy_table(input: u8, output: u8, flags: u8) -> RopRequest {
    RopRequest::GetHierarchyTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        table_flags: flags,
    })
}

/// RopGetContentsTable.
pub fn contents_table(input: u8, output: u8, flags: u8) -> RopRequest {
    RopRequest::GetContentsTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        table_flags: flags,
    })
}

/// RopSetColumns (synchronous).
pub fn set_columns(input: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::SetColumns(SetColumnsRequest {
        logon_id: 0,
        input_handle_index: input,
        set_columns_flags: 0,
        property_tags: tags.to_vec(),
    })
}

/// RopQueryRows.
pub fn query_rows(input: u8, count: u16, forward: bool) -> RopRequest {
    RopRequest::QueryRows(QueryRowsRequest {
        logon_id: 0,
        input_handle_index: input,
        query_rows_flags: 0,
        forward_read: forward as u8,
        row_count: count,
    })
}

/// RopGetPropertiesSpecific asking for Unicode strings.
pub fn get_props(input: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: input,
        property_size_limit: 0,
        want_unicode: 1,
        property_tags: tags.to_vec(),
    })
}

/// RopGetPropertiesAll asking for Unicode strings.
pub fn get_props_all(input: u8) -> RopRequest {
    RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
        logon_id: 0,
        input_handle_index: input,
        property_size_limit: 0,
        want_unicode: 1,
    })
}

/// RopSetProperties.
pub fn set_props(input: u8, values: Vec<TaggedValue>) -> RopRequest {
    RopRequest::SetProperties(SetPropertiesRequest {
        logon_id: 0,
        input_handle_index: input,
        property_values: values,
    })
}

/// RopCreateMessage (code page 0x0FFF: the logon's).
pub fn create_message(input: u8, output: u8, fid: ObjectId, associated: bool) -> RopRequest {
    RopRequest::CreateMessage(CreateMessageRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        code_page_id: 0x0FFF,
        folder_id: fid,
        associated_flag: associated as u8,
    })
}

/// RopOpenMessage.
pub fn open_message(input: u8, output: u8, fid: ObjectId, mid: ObjectId, mode: u8) -> RopRequest {
    RopRequest::OpenMessage(OpenMessageRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        code_page_id: 0x0FFF,
        folder_id: fid,
        open_mode_flags: mode,
        message_id: mid,
    })
}

/// RopSaveChangesMessage.
pub fn save_message(response: u8, input: u8, flags: u8) -> RopRequest {
    RopRequest::SaveChangesMessage(SaveChangesMessageRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        save_flags: flags,
    })
}

/// RopGetReceiveFolder.
pub fn get_receive_folder(input: u8, class: &str) -> RopRequest {
    RopRequest::GetReceiveFolder(GetReceiveFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        message_class: class.to_string(),
    })
}

/// RopGetStoreState.
pub fn get_store_state(input: u8) -> RopRequest {
    RopRequest::GetStoreState(GetStoreStateRequest { logon_id: 0, input_handle_index: input })
}

/// RopLongTermIdFromId.
pub fn long_term_id_from_id(input: u8, id: ObjectId) -> RopRequest {
    RopRequest::LongTermIdFromId(LongTermIdFromIdRequest {
        logon_id: 0,
        input_handle_index: input,
        object_id: id,
    })
}

/// RopIdFromLongTermId.
pub fn id_from_long_term_id(input: u8, ltid: oxmapi_core::ids::LongTermId) -> RopRequest {
    RopRequest::IdFromLongTermId(IdFromLongTermIdRequest {
        logon_id: 0,
        input_handle_index: input,
        long_term_id: ltid,
    })
}
