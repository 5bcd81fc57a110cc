//! Bulk data transfer and incremental change synchronization ROPs (MS-OXCFXICS 2.2.3;
//! MS-OXCROPS 2.2.12 FastTransfer, 2.2.13 Synchronization): their requests, so that a server
//! that does not implement them still decodes every buffer that carries them and answers each
//! on its own (MS-OXCROPS 3.2.5.1).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, plain_response};

/// `BufferSize` value announcing a `MaximumBufferSize` field (MS-OXCROPS 2.2.12.4.1).
pub const BUFFER_SIZE_EXTENDED: u16 = 0xBABE;

wire_struct! {
    /// RopFastTransferSourceCopyMessages request (MS-OXCROPS 2.2.12.5.1).
    pub struct FastTransferSourceCopyMessagesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the folder).
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex` (the FastTransfer download context).
        output_handle_index: u8 => U8,
        /// `MessageIdCount` + `MessageIds`.
        message_ids: Vec<ObjectId> => Ids16,
        /// `CopyFlags`.
        copy_flags: u8 => U8,
        /// `SendOptions`.
        send_options: u8 => U8,
    }
}
wire_struct! {
    /// RopFastTransferSourceCopyFolder request (MS-OXCROPS 2.2.12.4.1).
    pub struct FastTransferSourceCopyFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `CopyFlags`.
        copy_flags: u8 => U8,
        /// `SendOptions`.
        send_options: u8 => U8,
    }
}
wire_struct! {
    /// RopFastTransferSourceCopyTo request (MS-OXCROPS 2.2.12.6.1).
    pub struct FastTransferSourceCopyToRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `Level`.
        level: u8 => U8,
        /// `CopyFlags` (4 bytes for this ROP).
        copy_flags: u32 => U32,
        /// `SendOptions`.
        send_options: u8 => U8,
        /// `PropertyTagCount` + `PropertyTags` (excluded properties).
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopFastTransferSourceCopyProperties request (MS-OXCROPS 2.2.12.7.1).
    pub struct FastTransferSourceCopyPropertiesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `Level`.
        level: u8 => U8,
        /// `CopyFlags`.
        copy_flags: u8 => U8,
        /// `SendOptions`.
        send_options: u8 => U8,
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}

/// RopFastTransferSourceGetBuffer request (MS-OXCROPS 2.2.12.3.1).
#[derive(Clone, Debug, PartialEq)]
pub struct FastTransferSourceGetBufferRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex` (the download context).
    pub input_handle_index: u8,
    /// `BufferSize`.
    pub buffer_size: u16,
    /// `MaximumBufferSize`: present exactly when `BufferSize` is 0xBABE.
    pub maximum_buffer_size: Option<u16>,
}

impl RopCodec for FastTransferSourceGetBufferRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let input_handle_index = r.u8("InputHandleIndex")?;
        let buffer_size = r.u16("BufferSize")?;
        let maximum_buffer_size =
            if buffer_size == BUFFER_SIZE_EXTENDED { Some(r.u16("MaximumBufferSize")?) } else { None };
        Ok(FastTransferSourceGetBufferRequest {
            logon_id,
            input_handle_index,
            buffer_size,
            maximum_buffer_size,
        })
    }
    fn encode(&self, w: &mut Writer) {
        w.u8(self.logon_id);
        w.u8(self.input_handle_index);
        // The size field and the optional maximum always agree on the wire.
        match self.maximum_buffer_size {
            Some(max) => {
                w.u16(BUFFER_SIZE_EXTENDED);
                w.u16(max);
            }
            None if self.buffer_size == BUFFER_SIZE_EXTENDED => {
                w.u16(BUFFER_SIZE_EXTENDED);
                w.u16(0);
            }
            None => w.u16(self.buffer_size),
        }
    }
}
crate::describe_fields!(FastTransferSourceGetBufferRequest {
    logon_id,
    input_handle_index,
    buffer_size,
    maximum_buffer_size
});

wire_struct! {
    /// RopFastTransferDestinationConfigure request (MS-OXCROPS 2.2.12.1.1).
    pub struct FastTransferDestinationConfigureRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex` (the upload context).
        output_handle_index: u8 => U8,
        /// `SourceOperation`.
        source_operation: u8 => U8,
        /// `CopyFlags`.
        copy_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopFastTransferDestinationPutBuffer and RopFastTransferDestinationPutBufferExtended
    /// request (MS-OXCROPS 2.2.12.2.1, 2.2.12.3 — same layout).
    pub struct FastTransferDestinationPutBufferRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the upload context).
        input_handle_index: u8 => U8,
        /// `TransferDataSize` + `TransferData`.
        transfer_data: Vec<u8> => Bytes16,
    }
}
wire_struct! {
    /// RopTellVersion request (MS-OXCROPS 2.2.12.8.1).
    pub struct TellVersionRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `Version[0]`: the other server's major version.
        version_major: u16 => U16,
        /// `Version[1]`.
        version_minor: u16 => U16,
        /// `Version[2]`: the build.
        version_build: u16 => U16,
    }
}
wire_struct! {
    /// RopSynchronizationConfigure request (MS-OXCROPS 2.2.13.1.1).
    pub struct SynchronizationConfigureRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the folder).
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex` (the synchronization context).
        output_handle_index: u8 => U8,
        /// `SynchronizationType` (Contents 0x01, Hierarchy 0x02).
        synchronization_type: u8 => U8,
        /// `SendOptions`.
        send_options: u8 => U8,
        /// `SynchronizationFlags`.
        synchronization_flags: u16 => U16,
        /// `RestrictionDataSize` + `RestrictionData`.
        restriction: Option<Restriction> => SizedRestriction,
        /// `SynchronizationExtraFlags`.
        synchronization_extra_flags: u32 => U32,
        /// `PropertyTagCount` + `PropertyTags`.
        property_tags: Vec<PropTag> => Tags16,
    }
}
wire_struct! {
    /// RopSynchronizationImportMessageChange request (MS-OXCROPS 2.2.13.2.1).
    pub struct SynchronizationImportMessageChangeRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the collector).
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex` (the message).
        output_handle_index: u8 => U8,
        /// `ImportFlag`.
        import_flag: u8 => U8,
        /// `PropertyValueCount` + `PropertyValues`.
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// RopSynchronizationImportHierarchyChange request (MS-OXCROPS 2.2.13.4.1).
    pub struct SynchronizationImportHierarchyChangeRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `HierarchyValueCount` + `HierarchyValues`.
        hierarchy_values: Vec<TaggedValue> => Tagged16,
        /// `PropertyValueCount` + `PropertyValues`.
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// RopSynchronizationImportDeletes request (MS-OXCROPS 2.2.13.5.1).
    pub struct SynchronizationImportDeletesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `ImportDeleteFlags`.
        import_delete_flags: u8 => U8,
        /// `PropertyValueCount` + `PropertyValues`.
        property_values: Vec<TaggedValue> => Tagged16,
    }
}
wire_struct! {
    /// RopSynchronizationImportMessageMove request (MS-OXCROPS 2.2.13.6.1).
    pub struct SynchronizationImportMessageMoveRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `SourceFolderIdSize` + `SourceFolderId`.
        source_folder_id: Vec<u8> => Bytes32,
        /// `SourceMessageIdSize` + `SourceMessageId`.
        source_message_id: Vec<u8> => Bytes32,
        /// `PredecessorChangeListSize` + `PredecessorChangeList`.
        predecessor_change_list: Vec<u8> => Bytes32,
        /// `DestinationMessageIdSize` + `DestinationMessageId`.
        destination_message_id: Vec<u8> => Bytes32,
        /// `ChangeNumberSize` + `ChangeNumber`.
        change_number: Vec<u8> => Bytes32,
    }
}
wire_struct! {
    /// MessageReadState (MS-OXCROPS 2.2.13.3.1.1).
    pub struct MessageReadState {
        /// `MessageIdSize` + `MessageId`.
        message_id: Vec<u8> => Bytes16,
        /// `MarkAsRead`.
        mark_as_read: u8 => U8,
    }
}

/// `MessageReadStateSize u16` + MessageReadState structures filling exactly that many bytes.
pub struct ReadStates;
impl Codec<Vec<MessageReadState>> for ReadStates {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<MessageReadState>> {
        let size = r.u16(what)? as usize;
        let mut sub = Reader::new(r.take(size, what)?);
        let mut states = Vec::new();
        while !sub.is_empty() {
            states.push(MessageReadState::decode(&mut sub)?);
        }
        Ok(states)
    }
    fn write(w: &mut Writer, v: &Vec<MessageReadState>) {
        let at = w.placeholder_u16();
        let start = w.len();
        v.iter().for_each(|s| s.encode(w));
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

wire_struct! {
    /// RopSynchronizationImportReadStateChanges request (MS-OXCROPS 2.2.13.3.1).
    pub struct SynchronizationImportReadStateChangesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `MessageReadStateSize` + `MessageReadStates`.
        message_read_states: Vec<MessageReadState> => ReadStates,
    }
}
wire_struct! {
    /// RopSynchronizationOpenCollector request (MS-OXCROPS 2.2.13.7.1).
    pub struct SynchronizationOpenCollectorRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `IsContentsCollector`.
        is_contents_collector: u8 => U8,
    }
}
wire_struct! {
    /// RopSynchronizationGetTransferState request (MS-OXCROPS 2.2.13.8.1).
    pub struct SynchronizationGetTransferStateRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
    }
}
wire_struct! {
    /// RopSynchronizationUploadStateStreamBegin request (MS-OXCROPS 2.2.13.9.1).
    pub struct SynchronizationUploadStateStreamBeginRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `StateProperty`.
        state_property: PropTag => Tag,
        /// `TransferBufferSize`.
        transfer_buffer_size: u32 => U32,
    }
}
wire_struct! {
    /// RopSynchronizationUploadStateStreamContinue request (MS-OXCROPS 2.2.13.10.1).
    pub struct SynchronizationUploadStateStreamContinueRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `StreamDataSize` + `StreamData`.
        stream_data: Vec<u8> => Bytes32,
    }
}
wire_struct! {
    /// RopGetLocalReplicaIds request (MS-OXCROPS 2.2.13.13.1).
    pub struct GetLocalReplicaIdsRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the logon).
        input_handle_index: u8 => U8,
        /// `IdCount`.
        id_count: u32 => U32,
    }
}
wire_struct! {
    /// LongTermIdRange (MS-OXCROPS 2.2.13.12.1.1).
    pub struct LongTermIdRange {
        /// `MinLongTermId`.
        min_long_term_id: LongTermId => LongTerm,
        /// `MaxLongTermId`.
        max_long_term_id: LongTermId => LongTerm,
    }
}

/// `DataSize u16` covering `LongTermIdRangeCount u32` + LongTermIdRange structures
/// (RopSetLocalReplicaMidsetDeleted, MS-OXCROPS 2.2.13.12.1).
pub struct SizedRanges;
impl Codec<Vec<LongTermIdRange>> for SizedRanges {
    fn read(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<LongTermIdRange>> {
        let size = r.u16(what)? as usize;
        let mut sub = Reader::new(r.take(size, what)?);
        let n = sub.u32("LongTermIdRangeCount")?;
        let n = sub.check_count(n as u64, 48, u32::MAX as u64, "LongTermIdRangeCount")?;
        let ranges = (0..n).map(|_| LongTermIdRange::decode(&mut sub)).collect::<DecodeResult<_>>()?;
        sub.finish(what)?;
        Ok(ranges)
    }
    fn write(w: &mut Writer, v: &Vec<LongTermIdRange>) {
        let at = w.placeholder_u16();
        let start = w.len();
        w.u32(v.len() as u32);
        v.iter().for_each(|x| x.encode(w));
        w.patch_u16(at, (w.len() - start) as u16);
    }
}

wire_struct! {
    /// RopSetLocalReplicaMidsetDeleted request (MS-OXCROPS 2.2.13.12.1).
    pub struct SetLocalReplicaMidsetDeletedRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex` (the folder).
        input_handle_index: u8 => U8,
        /// `DataSize`, `LongTermIdRangeCount` and `LongTermIdRanges`.
        long_term_id_ranges: Vec<LongTermIdRange> => SizedRanges,
    }
}

wire_struct! {
    /// RopSynchronizationImportMessageChange and RopSynchronizationImportMessageMove response
    /// (MS-OXCROPS 2.2.13.2.2, 2.2.13.6.2).
    pub struct ImportedMessageResponse {
        /// `MessageId`.
        message_id: ObjectId => Fid,
    }
}
plain_response!(ImportedMessageResponse);
wire_struct! {
    /// RopSynchronizationImportHierarchyChange response (MS-OXCROPS 2.2.13.4.2).
    pub struct ImportedFolderResponse {
        /// `FolderId`.
        folder_id: ObjectId => Fid,
    }
}
plain_response!(ImportedFolderResponse);
wire_struct! {
    /// RopGetLocalReplicaIds response (MS-OXCROPS 2.2.13.13.2).
    pub struct GetLocalReplicaIdsResponse {
        /// `ReplGuid`.
        repl_guid: oxmapi_core::guid::Guid => GuidField,
        /// `GlobalCount`: the first of the reserved counters (6 bytes).
        global_count: [u8; 6] => Array<6>,
    }
}
plain_response!(GetLocalReplicaIdsResponse);

wire_struct! {
    /// RopFastTransferDestinationPutBuffer response fields (MS-OXCFXICS 2.2.3.1.2.2.2). They
    /// follow `ReturnValue` whatever its value: Microsoft's MAPI Inspector reads them
    /// unconditionally, and gromox (`rop_ext_push_rop_response`) writes them on failure too.
    pub struct PutBufferResponse {
        /// `TransferStatus`.
        transfer_status: u16 => U16,
        /// `InProgressCount`.
        in_progress_count: u16 => U16,
        /// `TotalStepCount`.
        total_step_count: u16 => U16,
        /// `Reserved`.
        reserved: u8 => U8,
        /// `BufferUsedSize`.
        buffer_used_size: u16 => U16,
    }
}
wire_struct! {
    /// RopFastTransferDestinationPutBufferExtended response fields (MS-OXCFXICS 2.2.3.1.2.3.2:
    /// the counts are 4 bytes; `BufferUsedSize` is defined for failures too).
    pub struct PutBufferExtendedResponse {
        /// `TransferStatus`.
        transfer_status: u16 => U16,
        /// `InProgressCount`.
        in_progress_count: u32 => U32,
        /// `TotalStepCount`.
        total_step_count: u32 => U32,
        /// `Reserved`.
        reserved: u8 => U8,
        /// `BufferUsedSize`.
        buffer_used_size: u16 => U16,
    }
}

/// Response bodies present on success and failure alike.
macro_rules! always_present {
    ($($t:ty),*) => {$(
        impl ResponseBody for $t {
            fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
                <$t as RopCodec>::decode(r)
            }
            fn decode_failure(r: &mut Reader<'_>, _return_value: u32) -> DecodeResult<Option<Self>> {
                <$t as RopCodec>::decode(r).map(Some)
            }
            fn encode_body(&self, w: &mut Writer) {
                <$t as RopCodec>::encode(self, w)
            }
        }
    )*};
}
always_present!(PutBufferResponse, PutBufferExtendedResponse);
