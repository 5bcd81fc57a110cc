//! Request builders for the property and stream ROPs (MS-OXCPRPT 2.2; MS-OXCROPS 2.2.8, 2.2.9)
//! and the attachment ROPs the MS-OXCPRPT cases send, beyond the common ones in
//! [`crate::rops`]. Every request uses `LogonId` 0; `input`/`output` are handle-table slots.

use oxmapi_core::guid::Guid;
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::rop::oxcmsg::{
    CreateAttachmentRequest, GetAttachmentTableRequest, SaveChangesAttachmentRequest,
};
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::request::RopRequest;

/// RopOpenStream `OpenModeFlags` (MS-OXCPRPT 2.2.14.1).
pub mod open_mode {
    /// ReadOnly.
    pub const READ_ONLY: u8 = 0x00;
    /// ReadWrite.
    pub const READ_WRITE: u8 = 0x01;
    /// Create: open for read/write, creating the property (empty) when it is missing.
    pub const CREATE: u8 = 0x02;
}

/// RopCopyProperties / RopCopyTo `CopyFlags` (MS-OXCPRPT 2.2.10.1, 2.2.11.1).
pub mod copy_flags {
    /// Move.
    pub const MOVE: u8 = 0x01;
    /// NoOverwrite.
    pub const NO_OVERWRITE: u8 = 0x02;
}

/// RopSeekStream `Origin` (MS-OXCPRPT 2.2.21.1).
pub mod seek_origin {
    /// STREAM_SEEK_SET: from the beginning.
    pub const BEGINNING: u8 = 0x00;
    /// STREAM_SEEK_CUR: from the seek pointer.
    pub const CURRENT: u8 = 0x01;
    /// STREAM_SEEK_END: from the end.
    pub const END: u8 = 0x02;
}

/// RopGetPropertyIdsFromNames `Flags` Create (MS-OXCPRPT 2.2.12.1).
pub const NAMES_CREATE: u8 = 0x02;

/// RopQueryNamedProperties `QueryFlags` (MS-OXCPRPT 2.2.9.1).
pub mod query_flags {
    /// NoStrings: leave out names with Kind MNID_STRING.
    pub const NO_STRINGS: u8 = 0x01;
    /// NoIds: leave out names with Kind MNID_ID.
    pub const NO_IDS: u8 = 0x02;
}

/// RopGetPropertiesSpecific with explicit `WantUnicode` and `PropertySizeLimit`.
pub fn get_props_with(input: u8, tags: &[PropTag], want_unicode: bool, size_limit: u16) -> RopRequest {
    RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: input,
        property_size_limit: size_limit,
        want_unicode: want_unicode as u16,
        property_tags: tags.to_vec(),
    })
}

/// RopGetPropertiesAll with explicit `WantUnicode` and `PropertySizeLimit`.
pub fn get_props_all_with(input: u8, want_unicode: bool, size_limit: u16) -> RopRequest {
    RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
        logon_id: 0,
        input_handle_index: input,
        property_size_limit: size_limit,
        want_unicode: want_unicode as u16,
    })
}

/// RopGetPropertiesList.
pub fn get_props_list(input: u8) -> RopRequest {
    RopRequest::GetPropertiesList(HandleRequest { logon_id: 0, input_handle_index: input })
}

/// RopSetPropertiesNoReplicate.
pub fn set_props_no_replicate(input: u8, values: Vec<TaggedValue>) -> RopRequest {
    RopRequest::SetPropertiesNoReplicate(SetPropertiesRequest {
        logon_id: 0,
        input_handle_index: input,
        property_values: values,
    })
}

/// RopDeleteProperties.
pub fn delete_props(input: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::DeleteProperties(DeletePropertiesRequest {
        logon_id: 0,
        input_handle_index: input,
        property_tags: tags.to_vec(),
    })
}

/// RopDeletePropertiesNoReplicate.
pub fn delete_props_no_replicate(input: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::DeletePropertiesNoReplicate(DeletePropertiesRequest {
        logon_id: 0,
        input_handle_index: input,
        property_tags: tags.to_vec(),
    })
}

/// RopCopyProperties (synchronous) from slot `src` to slot `dst`.
pub fn copy_properties(src: u8, dst: u8, flags: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::CopyProperties(CopyPropertiesRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        want_asynchronous: 0,
        copy_flags: flags,
        property_tags: tags.to_vec(),
    })
}

/// RopCopyTo (synchronous) from slot `src` to slot `dst`.
pub fn copy_to(src: u8, dst: u8, sub_objects: bool, flags: u8, excluded: &[PropTag]) -> RopRequest {
    RopRequest::CopyTo(CopyToRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        want_asynchronous: 0,
        want_sub_objects: sub_objects as u8,
        copy_flags: flags,
        excluded_tags: excluded.to_vec(),
    })
}

/// RopGetPropertyIdsFromNames.
pub fn ids_from_names(input: u8, flags: u8, names: &[PropertyName]) -> RopRequest {
    RopRequest::GetPropertyIdsFromNames(GetPropertyIdsFromNamesRequest {
        logon_id: 0,
        input_handle_index: input,
        flags,
        property_names: names.to_vec(),
    })
}

/// RopGetNamesFromPropertyIds.
pub fn names_from_ids(input: u8, ids: &[u16]) -> RopRequest {
    RopRequest::GetNamesFromPropertyIds(GetNamesFromPropertyIdsRequest {
        logon_id: 0,
        input_handle_index: input,
        property_ids: ids.to_vec(),
    })
}

/// RopQueryNamedProperties.
pub fn query_named(input: u8, flags: u8, guid: Option<Guid>) -> RopRequest {
    RopRequest::QueryNamedProperties(QueryNamedPropertiesRequest {
        logon_id: 0,
        input_handle_index: input,
        query_flags: flags,
        property_guid: guid,
    })
}

/// RopOpenStream.
pub fn open_stream(input: u8, output: u8, tag: PropTag, mode: u8) -> RopRequest {
    RopRequest::OpenStream(OpenStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        property_tag: tag,
        open_mode_flags: mode,
    })
}

/// RopReadStream of up to `count` bytes (`Some(max)` sends ByteCount 0xBABE and
/// MaximumByteCount).
pub fn read_stream(input: u8, count: u16, maximum: Option<u32>) -> RopRequest {
    RopRequest::ReadStream(ReadStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        byte_count: if maximum.is_some() { BABE } else { count },
        maximum_byte_count: maximum,
    })
}

/// RopWriteStream.
pub fn write_stream(input: u8, data: &[u8]) -> RopRequest {
    RopRequest::WriteStream(WriteStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        data: data.to_vec(),
    })
}

/// RopWriteAndCommitStream.
pub fn write_and_commit_stream(input: u8, data: &[u8]) -> RopRequest {
    RopRequest::WriteAndCommitStream(WriteStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        data: data.to_vec(),
    })
}

/// RopCommitStream.
pub fn commit_stream(input: u8) -> RopRequest {
    RopRequest::CommitStream(HandleRequest { logon_id: 0, input_handle_index: input })
}

/// RopGetStreamSize.
pub fn get_stream_size(input: u8) -> RopRequest {
    RopRequest::GetStreamSize(HandleRequest { logon_id: 0, input_handle_index: input })
}

/// RopSetStreamSize.
pub fn set_stream_size(input: u8, size: u64) -> RopRequest {
    RopRequest::SetStreamSize(SetStreamSizeRequest {
        logon_id: 0,
        input_handle_index: input,
        stream_size: size,
    })
}

/// RopSeekStream.
pub fn seek_stream(input: u8, origin: u8, offset: i64) -> RopRequest {
    RopRequest::SeekStream(SeekStreamRequest { logon_id: 0, input_handle_index: input, origin, offset })
}

/// RopCopyToStream from slot `src` to slot `dst`.
pub fn copy_to_stream(src: u8, dst: u8, count: u64) -> RopRequest {
    RopRequest::CopyToStream(CopyToStreamRequest {
        logon_id: 0,
        source_handle_index: src,
        dest_handle_index: dst,
        byte_count: count,
    })
}

/// RopCloneStream.
pub fn clone_stream(input: u8, output: u8) -> RopRequest {
    RopRequest::CloneStream(CloneStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
    })
}

/// RopLockRegionStream (`unlock` sends RopUnlockRegionStream).
pub fn lock_region(input: u8, offset: u64, size: u64, unlock: bool) -> RopRequest {
    let q = LockRegionStreamRequest {
        logon_id: 0,
        input_handle_index: input,
        region_offset: offset,
        region_size: size,
        lock_flags: 0,
    };
    if unlock { RopRequest::UnlockRegionStream(q) } else { RopRequest::LockRegionStream(q) }
}

/// RopProgress (MS-OXCROPS 2.2.8.13).
pub fn progress(input: u8, want_cancel: u8) -> RopRequest {
    RopRequest::Progress(oxmapi_wire::rop::oxcrops::ProgressRequest {
        logon_id: 0,
        input_handle_index: input,
        want_cancel,
    })
}

/// RopCreateAttachment.
pub fn create_attachment(input: u8, output: u8) -> RopRequest {
    RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
    })
}

/// RopSaveChangesAttachment; `response` names the parent message's slot (MS-OXCROPS 2.2.6.15.1).
pub fn save_attachment(response: u8, input: u8) -> RopRequest {
    RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: response,
        input_handle_index: input,
        save_flags: crate::rops::save_flags::KEEP_OPEN_READ_WRITE,
    })
}

/// RopGetAttachmentTable.
pub fn attachment_table(input: u8, output: u8) -> RopRequest {
    RopRequest::GetAttachmentTable(GetAttachmentTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        table_flags: 0,
    })
}
