//! ROP requests: one [`RopRequest`] variant per RopId that MS-OXCROPS 2.2 defines for requests
//! (RopNotify, RopPending, RopBackoff and RopBufferTooSmall are responses only).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};

use super::codec::RopCodec;
use super::ids::RopId;
use super::oxcfold::*;
use super::oxcfxics::*;
use super::oxcmsg::*;
use super::oxcnotif::*;
use super::oxcperm::*;
use super::oxcprpt::*;
use super::oxcrops::*;
use super::oxcstor::*;
use super::oxctabl::*;
use super::oxomsg::*;
use super::oxorule::*;
use super::peruser::*;

/// What a request decoder must know that the request buffer does not say: which logons are
/// public-folder logons (RopSetMessageReadFlag carries `ClientData` only for those,
/// RopWritePerUserInformation `ReplGuid` only for the others).
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    public: [u64; 4],
}

impl RequestContext {
    /// Marks `logon_id` as a public-folder logon (or not).
    pub fn set_public(&mut self, logon_id: u8, public: bool) {
        let (i, b) = ((logon_id / 64) as usize, logon_id % 64);
        if public {
            self.public[i] |= 1 << b;
        } else {
            self.public[i] &= !(1 << b);
        }
    }
    /// True when `logon_id` is a public-folder logon.
    pub fn is_public(&self, logon_id: u8) -> bool {
        self.public[(logon_id / 64) as usize] & (1 << (logon_id % 64)) != 0
    }
}

macro_rules! rop_requests {
    ($($variant:ident : $ty:ty),* $(,)?) => {
        /// A ROP request.
        #[derive(Clone, Debug, PartialEq)]
        pub enum RopRequest {
            $( #[doc = concat!("Rop", stringify!($variant), " request.")] $variant($ty), )*
            /// RopSetMessageReadFlag request.
            SetMessageReadFlag(SetMessageReadFlagRequest),
            /// RopWritePerUserInformation request.
            WritePerUserInformation(WritePerUserInformationRequest),
        }

        impl RopRequest {
            /// The RopId.
            pub fn rop_id(&self) -> RopId {
                match self {
                    $( RopRequest::$variant(_) => RopId::$variant, )*
                    RopRequest::SetMessageReadFlag(_) => RopId::SetMessageReadFlag,
                    RopRequest::WritePerUserInformation(_) => RopId::WritePerUserInformation,
                }
            }

            /// The `LogonId` field.
            pub fn logon_id(&self) -> u8 {
                match self {
                    $( RopRequest::$variant(x) => x.logon_id, )*
                    RopRequest::SetMessageReadFlag(x) => x.logon_id,
                    RopRequest::WritePerUserInformation(x) => x.logon_id,
                }
            }

            /// Reads one request (RopId first).
            pub fn decode(r: &mut Reader<'_>, ctx: &RequestContext) -> DecodeResult<RopRequest> {
                let raw = r.u8("RopId")?;
                let id = RopId::try_from(raw)
                    .map_err(|v| r.invalid("RopId", format!("0x{v:02X} is reserved")))?;
                Ok(match id {
                    $( RopId::$variant => RopRequest::$variant(<$ty as RopCodec>::decode(r)?), )*
                    RopId::SetMessageReadFlag => {
                        let public = ctx.is_public(r.peek_u8(0).unwrap_or(0));
                        RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest::decode_with(r, public)?)
                    }
                    RopId::WritePerUserInformation => {
                        let private = !ctx.is_public(r.peek_u8(0).unwrap_or(0));
                        RopRequest::WritePerUserInformation(WritePerUserInformationRequest::decode_with(r, private)?)
                    }
                    other => {
                        return Err(r.invalid("RopId", format!("{} (0x{:02X}) has no request codec", other.name(), raw)))
                    }
                })
            }

            /// The request's fields as a description tree.
            pub fn body_node(&self) -> $crate::describe::Node {
                use $crate::describe::Describe;
                match self {
                    $( RopRequest::$variant(x) => x.describe(""), )*
                    RopRequest::SetMessageReadFlag(x) => x.describe(""),
                    RopRequest::WritePerUserInformation(x) => x.describe(""),
                }
            }

            /// Writes the request (RopId first).
            pub fn encode(&self, w: &mut Writer) {
                w.u8(self.rop_id() as u8);
                match self {
                    $( RopRequest::$variant(x) => x.encode(w), )*
                    RopRequest::SetMessageReadFlag(x) => x.encode(w),
                    RopRequest::WritePerUserInformation(x) => x.encode(w),
                }
            }
        }
    };
}

rop_requests! {
    Release: ReleaseRequest,
    OpenFolder: OpenFolderRequest,
    OpenMessage: OpenMessageRequest,
    GetHierarchyTable: GetTableRequest,
    GetContentsTable: GetTableRequest,
    CreateMessage: CreateMessageRequest,
    GetPropertiesSpecific: GetPropertiesSpecificRequest,
    GetPropertiesAll: GetPropertiesAllRequest,
    GetPropertiesList: HandleRequest,
    SetProperties: SetPropertiesRequest,
    DeleteProperties: DeletePropertiesRequest,
    SaveChangesMessage: SaveChangesMessageRequest,
    RemoveAllRecipients: RemoveAllRecipientsRequest,
    ModifyRecipients: ModifyRecipientsRequest,
    ReadRecipients: ReadRecipientsRequest,
    ReloadCachedInformation: ReloadCachedInformationRequest,
    SetColumns: SetColumnsRequest,
    SortTable: SortTableRequest,
    Restrict: RestrictRequest,
    QueryRows: QueryRowsRequest,
    GetStatus: GetStatusRequest,
    QueryPosition: QueryPositionRequest,
    SeekRow: SeekRowRequest,
    SeekRowBookmark: SeekRowBookmarkRequest,
    SeekRowFractional: SeekRowFractionalRequest,
    CreateBookmark: CreateBookmarkRequest,
    CreateFolder: CreateFolderRequest,
    DeleteFolder: DeleteFolderRequest,
    DeleteMessages: DeleteMessagesRequest,
    GetMessageStatus: GetMessageStatusRequest,
    SetMessageStatus: SetMessageStatusRequest,
    GetAttachmentTable: GetAttachmentTableRequest,
    OpenAttachment: OpenAttachmentRequest,
    CreateAttachment: CreateAttachmentRequest,
    DeleteAttachment: DeleteAttachmentRequest,
    SaveChangesAttachment: SaveChangesAttachmentRequest,
    SetReceiveFolder: SetReceiveFolderRequest,
    GetReceiveFolder: GetReceiveFolderRequest,
    RegisterNotification: RegisterNotificationRequest,
    OpenStream: OpenStreamRequest,
    ReadStream: ReadStreamRequest,
    WriteStream: WriteStreamRequest,
    SeekStream: SeekStreamRequest,
    SetStreamSize: SetStreamSizeRequest,
    SetSearchCriteria: SetSearchCriteriaRequest,
    GetSearchCriteria: GetSearchCriteriaRequest,
    SubmitMessage: SubmitMessageRequest,
    MoveCopyMessages: MoveCopyMessagesRequest,
    AbortSubmit: AbortSubmitRequest,
    MoveFolder: MoveFolderRequest,
    CopyFolder: CopyFolderRequest,
    QueryColumnsAll: QueryColumnsAllRequest,
    Abort: AbortRequest,
    CopyTo: CopyToRequest,
    CopyToStream: CopyToStreamRequest,
    CloneStream: CloneStreamRequest,
    GetReceiveFolderTable: GetReceiveFolderTableRequest,
    GetPermissionsTable: GetTableRequest,
    GetRulesTable: GetTableRequest,
    GetOwningServers: GetOwningServersRequest,
    LongTermIdFromId: LongTermIdFromIdRequest,
    IdFromLongTermId: IdFromLongTermIdRequest,
    PublicFolderIsGhosted: PublicFolderIsGhostedRequest,
    OpenEmbeddedMessage: OpenEmbeddedMessageRequest,
    SetSpooler: TransportHandleRequest,
    SpoolerLockMessage: SpoolerLockMessageRequest,
    GetAddressTypes: TransportHandleRequest,
    TransportSend: TransportHandleRequest,
    FindRow: FindRowRequest,
    Progress: ProgressRequest,
    TransportNewMail: TransportNewMailRequest,
    GetValidAttachments: GetValidAttachmentsRequest,
    GetNamesFromPropertyIds: GetNamesFromPropertyIdsRequest,
    GetPropertyIdsFromNames: GetPropertyIdsFromNamesRequest,
    EmptyFolder: EmptyFolderRequest,
    ExpandRow: ExpandRowRequest,
    CollapseRow: CollapseRowRequest,
    LockRegionStream: LockRegionStreamRequest,
    UnlockRegionStream: LockRegionStreamRequest,
    CommitStream: HandleRequest,
    GetStreamSize: HandleRequest,
    QueryNamedProperties: QueryNamedPropertiesRequest,
    SetReadFlags: SetReadFlagsRequest,
    CopyProperties: CopyPropertiesRequest,
    GetCollapseState: GetCollapseStateRequest,
    SetCollapseState: SetCollapseStateRequest,
    GetTransportFolder: TransportHandleRequest,
    OptionsData: OptionsDataRequest,
    SetPropertiesNoReplicate: SetPropertiesRequest,
    DeletePropertiesNoReplicate: DeletePropertiesRequest,
    GetStoreState: GetStoreStateRequest,
    ResetTable: ResetTableRequest,
    FreeBookmark: FreeBookmarkRequest,
    WriteAndCommitStream: WriteStreamRequest,
    HardDeleteMessages: DeleteMessagesRequest,
    HardDeleteMessagesAndSubfolders: EmptyFolderRequest,
    WriteStreamExtended: WriteStreamRequest,
    Logon: LogonRequest,
    ModifyPermissions: ModifyPermissionsRequest,
    ModifyRules: ModifyRulesRequest,
    UpdateDeferredActionMessages: UpdateDeferredActionMessagesRequest,
    FastTransferSourceCopyMessages: FastTransferSourceCopyMessagesRequest,
    FastTransferSourceCopyFolder: FastTransferSourceCopyFolderRequest,
    FastTransferSourceCopyTo: FastTransferSourceCopyToRequest,
    FastTransferSourceCopyProperties: FastTransferSourceCopyPropertiesRequest,
    FastTransferSourceGetBuffer: FastTransferSourceGetBufferRequest,
    FastTransferDestinationConfigure: FastTransferDestinationConfigureRequest,
    FastTransferDestinationPutBuffer: FastTransferDestinationPutBufferRequest,
    FastTransferDestinationPutBufferExtended: FastTransferDestinationPutBufferRequest,
    TellVersion: TellVersionRequest,
    SynchronizationConfigure: SynchronizationConfigureRequest,
    SynchronizationImportMessageChange: SynchronizationImportMessageChangeRequest,
    SynchronizationImportHierarchyChange: SynchronizationImportHierarchyChangeRequest,
    SynchronizationImportDeletes: SynchronizationImportDeletesRequest,
    SynchronizationImportMessageMove: SynchronizationImportMessageMoveRequest,
    SynchronizationImportReadStateChanges: SynchronizationImportReadStateChangesRequest,
    SynchronizationOpenCollector: SynchronizationOpenCollectorRequest,
    SynchronizationGetTransferState: SynchronizationGetTransferStateRequest,
    SynchronizationUploadStateStreamBegin: SynchronizationUploadStateStreamBeginRequest,
    SynchronizationUploadStateStreamContinue: SynchronizationUploadStateStreamContinueRequest,
    SynchronizationUploadStateStreamEnd: HandleRequest,
    GetLocalReplicaIds: GetLocalReplicaIdsRequest,
    SetLocalReplicaMidsetDeleted: SetLocalReplicaMidsetDeletedRequest,
    GetPerUserLongTermIds: GetPerUserLongTermIdsRequest,
    GetPerUserGuid: GetPerUserGuidRequest,
    ReadPerUserInformation: ReadPerUserInformationRequest,
}
