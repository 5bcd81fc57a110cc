//! ROP responses: one [`RopResponse`] variant per supported RopId, plus the server-generated
//! RopNotify, RopPending, RopBufferTooSmall and RopBackoff (MS-OXCROPS 2.2).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};

use super::codec::RopCodec;
use super::ids::RopId;
use super::outcome::{Empty, Outcome, ResponseContext};
use super::oxcfold::*;
use super::oxcfxics::*;
use super::oxcmsg::*;
use super::oxcnotif::*;
use super::oxcprpt::*;
use super::oxcrops::*;
use super::oxcstor::*;
use super::oxctabl::*;
use super::oxomsg::*;
use super::peruser::*;

macro_rules! rop_responses {
    ($($variant:ident : $ty:ty),* $(,)?) => {
        /// A ROP response.
        #[derive(Clone, Debug, PartialEq)]
        pub enum RopResponse {
            $( #[doc = concat!("Rop", stringify!($variant), " response.")] $variant(Outcome<$ty>), )*
            /// RopNotify (server-generated).
            Notify(NotifyResponse),
            /// RopPending (server-generated).
            Pending(PendingResponse),
            /// RopBufferTooSmall (server-generated, last in the buffer).
            BufferTooSmall(BufferTooSmallResponse),
            /// RopBackoff (server-generated).
            Backoff(BackoffResponse),
        }

        impl RopResponse {
            /// The RopId.
            pub fn rop_id(&self) -> RopId {
                match self {
                    $( RopResponse::$variant(_) => RopId::$variant, )*
                    RopResponse::Notify(_) => RopId::Notify,
                    RopResponse::Pending(_) => RopId::Pending,
                    RopResponse::BufferTooSmall(_) => RopId::BufferTooSmall,
                    RopResponse::Backoff(_) => RopId::Backoff,
                }
            }

            /// `(HandleIndex, ReturnValue)` for responses that have them.
            pub fn status(&self) -> Option<(u8, u32)> {
                match self {
                    $( RopResponse::$variant(o) => Some((o.handle_index, o.return_value)), )*
                    _ => None,
                }
            }

            /// Reads one response (RopId first). `ctx` supplies columns for row-bearing responses.
            pub fn decode(r: &mut Reader<'_>, ctx: &ResponseContext<'_>) -> DecodeResult<RopResponse> {
                let raw = r.u8("RopId")?;
                let id = RopId::try_from(raw)
                    .map_err(|v| r.invalid("RopId", format!("0x{v:02X} is reserved")))?;
                Ok(match id {
                    $( RopId::$variant => RopResponse::$variant(Outcome::decode(r, ctx)?), )*
                    RopId::Notify => RopResponse::Notify(NotifyResponse::decode(r)?),
                    RopId::Pending => RopResponse::Pending(PendingResponse::decode(r)?),
                    RopId::BufferTooSmall => RopResponse::BufferTooSmall(BufferTooSmallResponse::decode(r)?),
                    RopId::Backoff => RopResponse::Backoff(BackoffResponse::decode(r)?),
                    other => {
                        return Err(r.invalid("RopId", format!("{} (0x{:02X}) has no response codec", other.name(), raw)))
                    }
                })
            }

            /// The response's fields as a description tree.
            pub fn body_node(&self) -> $crate::describe::Node {
                use $crate::describe::Describe;
                match self {
                    $( RopResponse::$variant(x) => x.describe(""), )*
                    RopResponse::Notify(x) => x.describe(""),
                    RopResponse::Pending(x) => x.describe(""),
                    RopResponse::BufferTooSmall(x) => x.describe(""),
                    RopResponse::Backoff(x) => x.describe(""),
                }
            }

            /// Writes the response (RopId first).
            pub fn encode(&self, w: &mut Writer) {
                w.u8(self.rop_id() as u8);
                match self {
                    $( RopResponse::$variant(o) => o.encode(w), )*
                    RopResponse::Notify(x) => x.encode(w),
                    RopResponse::Pending(x) => x.encode(w),
                    RopResponse::BufferTooSmall(x) => x.encode(w),
                    RopResponse::Backoff(x) => x.encode(w),
                }
            }
        }
    };
}

rop_responses! {
    OpenFolder: OpenFolderResponse,
    OpenMessage: OpenMessageResponse,
    GetHierarchyTable: GetTableResponse,
    GetContentsTable: GetTableResponse,
    CreateMessage: CreateMessageResponse,
    GetPropertiesSpecific: GetPropertiesSpecificResponse,
    GetPropertiesAll: GetPropertiesAllResponse,
    GetPropertiesList: PropertyTagsResponse,
    SetProperties: ProblemsResponse,
    DeleteProperties: ProblemsResponse,
    SaveChangesMessage: SaveChangesMessageResponse,
    RemoveAllRecipients: Empty,
    ModifyRecipients: Empty,
    ReadRecipients: ReadRecipientsResponse,
    ReloadCachedInformation: OpenMessageResponse,
    SetMessageReadFlag: SetMessageReadFlagResponse,
    SetColumns: TableStatusResponse,
    SortTable: TableStatusResponse,
    Restrict: TableStatusResponse,
    QueryRows: QueryRowsResponse,
    GetStatus: TableStatusResponse,
    QueryPosition: QueryPositionResponse,
    SeekRow: SeekRowResponse,
    SeekRowBookmark: SeekRowBookmarkResponse,
    SeekRowFractional: Empty,
    CreateBookmark: BookmarkResponse,
    CreateFolder: CreateFolderResponse,
    DeleteFolder: PartialCompletionResponse,
    DeleteMessages: PartialCompletionResponse,
    GetMessageStatus: MessageStatusResponse,
    SetMessageStatus: MessageStatusResponse,
    GetAttachmentTable: Empty,
    OpenAttachment: Empty,
    CreateAttachment: CreateAttachmentResponse,
    DeleteAttachment: Empty,
    SaveChangesAttachment: Empty,
    SetReceiveFolder: Empty,
    GetReceiveFolder: GetReceiveFolderResponse,
    RegisterNotification: Empty,
    OpenStream: StreamSizeResponse,
    ReadStream: ReadStreamResponse,
    WriteStream: WriteStreamResponse,
    SeekStream: SeekStreamResponse,
    SetStreamSize: Empty,
    SetSearchCriteria: Empty,
    GetSearchCriteria: GetSearchCriteriaResponse,
    SubmitMessage: Empty,
    MoveCopyMessages: MoveCopyResponse,
    AbortSubmit: Empty,
    MoveFolder: MoveCopyResponse,
    CopyFolder: MoveCopyResponse,
    QueryColumnsAll: QueryColumnsAllResponse,
    Abort: TableStatusResponse,
    CopyTo: CopyPropertiesResponse,
    CopyToStream: CopyToStreamResponse,
    CloneStream: Empty,
    GetOwningServers: ServerList,
    GetReceiveFolderTable: GetReceiveFolderTableResponse,
    GetPermissionsTable: Empty,
    GetRulesTable: Empty,
    LongTermIdFromId: LongTermIdFromIdResponse,
    IdFromLongTermId: IdFromLongTermIdResponse,
    PublicFolderIsGhosted: Ghosted,
    OpenEmbeddedMessage: OpenEmbeddedMessageResponse,
    SetSpooler: Empty,
    SpoolerLockMessage: Empty,
    GetAddressTypes: GetAddressTypesResponse,
    TransportSend: TransportSendResponse,
    FindRow: FindRowResponse,
    Progress: ProgressResponse,
    TransportNewMail: Empty,
    GetValidAttachments: GetValidAttachmentsResponse,
    GetNamesFromPropertyIds: GetNamesFromPropertyIdsResponse,
    GetPropertyIdsFromNames: GetPropertyIdsFromNamesResponse,
    EmptyFolder: PartialCompletionResponse,
    ExpandRow: ExpandRowResponse,
    CollapseRow: CollapseRowResponse,
    LockRegionStream: Empty,
    UnlockRegionStream: Empty,
    CommitStream: Empty,
    GetStreamSize: StreamSizeResponse,
    QueryNamedProperties: QueryNamedPropertiesResponse,
    SetReadFlags: PartialCompletionResponse,
    CopyProperties: CopyPropertiesResponse,
    GetCollapseState: GetCollapseStateResponse,
    SetCollapseState: BookmarkResponse,
    GetTransportFolder: GetTransportFolderResponse,
    OptionsData: OptionsDataResponse,
    SetPropertiesNoReplicate: ProblemsResponse,
    DeletePropertiesNoReplicate: ProblemsResponse,
    GetStoreState: GetStoreStateResponse,
    ResetTable: Empty,
    FreeBookmark: Empty,
    WriteAndCommitStream: WriteStreamResponse,
    HardDeleteMessages: PartialCompletionResponse,
    HardDeleteMessagesAndSubfolders: PartialCompletionResponse,
    WriteStreamExtended: WriteStreamExtendedResponse,
    Logon: LogonResponse,
    ModifyPermissions: Empty,
    ModifyRules: Empty,
    UpdateDeferredActionMessages: Empty,
    FastTransferSourceCopyMessages: Empty,
    FastTransferSourceCopyFolder: Empty,
    FastTransferSourceCopyTo: Empty,
    FastTransferSourceCopyProperties: Empty,
    FastTransferDestinationConfigure: Empty,
    FastTransferDestinationPutBuffer: PutBufferResponse,
    FastTransferDestinationPutBufferExtended: PutBufferExtendedResponse,
    TellVersion: Empty,
    SynchronizationConfigure: Empty,
    SynchronizationImportMessageChange: ImportedMessageResponse,
    SynchronizationImportHierarchyChange: ImportedFolderResponse,
    SynchronizationImportDeletes: Empty,
    SynchronizationImportMessageMove: ImportedMessageResponse,
    SynchronizationImportReadStateChanges: Empty,
    SynchronizationOpenCollector: Empty,
    SynchronizationGetTransferState: Empty,
    SynchronizationUploadStateStreamBegin: Empty,
    SynchronizationUploadStateStreamContinue: Empty,
    SynchronizationUploadStateStreamEnd: Empty,
    GetLocalReplicaIds: GetLocalReplicaIdsResponse,
    SetLocalReplicaMidsetDeleted: Empty,
    GetPerUserLongTermIds: GetPerUserLongTermIdsResponse,
    GetPerUserGuid: GetPerUserGuidResponse,
    ReadPerUserInformation: ReadPerUserInformationResponse,
    WritePerUserInformation: Empty,
}
