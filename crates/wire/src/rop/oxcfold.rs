//! Folder ROPs (MS-OXCFOLD 2.2.1; MS-OXCROPS 2.2.4).

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::ids::ObjectId;

use super::codec::*;
use super::outcome::{ResponseBody, ResponseContext, plain_response};
use super::oxcstor::Ghosted;

/// ReturnValue ecDstNullObject: the destination object of a copy/move is not valid.
pub const EC_DST_NULL_OBJECT: u32 = 0x0000_0503;

fn string(r: &mut Reader<'_>, unicode: bool, what: &'static str) -> DecodeResult<String> {
    if unicode { r.utf16z(what) } else { r.asciiz(what) }
}

fn write_string(w: &mut Writer, s: &str, unicode: bool) {
    if unicode { w.utf16z(s) } else { w.asciiz(s) }
}

wire_struct! {
    /// RopOpenFolder request (MS-OXCROPS 2.2.4.1.1).
    pub struct OpenFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
        /// `OpenModeFlags` (OpenSoftDeleted 0x04).
        open_mode_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopOpenFolder response (MS-OXCROPS 2.2.4.1.2).
    pub struct OpenFolderResponse {
        /// `HasRules`.
        has_rules: u8 => U8,
        /// `IsGhosted` and the servers of a ghosted folder.
        ghosted: Ghosted => Ghosted,
    }
}

impl Codec<Ghosted> for Ghosted {
    fn read(r: &mut Reader<'_>, _what: &'static str) -> DecodeResult<Ghosted> {
        <Ghosted as RopCodec>::decode(r)
    }
    fn write(w: &mut Writer, v: &Ghosted) {
        v.encode(w)
    }
}

/// RopCreateFolder request (MS-OXCROPS 2.2.4.2.1).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateFolderRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `InputHandleIndex`.
    pub input_handle_index: u8,
    /// `OutputHandleIndex`.
    pub output_handle_index: u8,
    /// `FolderType` (1 generic, 2 search).
    pub folder_type: u8,
    /// `UseUnicodeStrings`: the names are UTF-16 when nonzero.
    pub use_unicode_strings: u8,
    /// `OpenExisting`.
    pub open_existing: u8,
    /// `Reserved` (0).
    pub reserved: u8,
    /// `DisplayName`.
    pub display_name: String,
    /// `Comment`.
    pub comment: String,
}

impl RopCodec for CreateFolderRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let input_handle_index = r.u8("InputHandleIndex")?;
        let output_handle_index = r.u8("OutputHandleIndex")?;
        let folder_type = r.u8("FolderType")?;
        let use_unicode_strings = r.u8("UseUnicodeStrings")?;
        let open_existing = r.u8("OpenExisting")?;
        let reserved = r.u8("Reserved")?;
        let u = use_unicode_strings != 0;
        let display_name = string(r, u, "DisplayName")?;
        let comment = string(r, u, "Comment")?;
        Ok(CreateFolderRequest {
            logon_id,
            input_handle_index,
            output_handle_index,
            folder_type,
            use_unicode_strings,
            open_existing,
            reserved,
            display_name,
            comment,
        })
    }
    fn encode(&self, w: &mut Writer) {
        for b in [
            self.logon_id,
            self.input_handle_index,
            self.output_handle_index,
            self.folder_type,
            self.use_unicode_strings,
            self.open_existing,
            self.reserved,
        ] {
            w.u8(b);
        }
        write_string(w, &self.display_name, self.use_unicode_strings != 0);
        write_string(w, &self.comment, self.use_unicode_strings != 0);
    }
}

/// RopCreateFolder response (MS-OXCROPS 2.2.4.2.2).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateFolderResponse {
    /// `FolderId`.
    pub folder_id: ObjectId,
    /// `HasRules` and ghost information, present when `IsExistingFolder` is nonzero.
    pub existing: Option<OpenFolderResponse>,
}

impl RopCodec for CreateFolderResponse {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let folder_id = r.object_id("FolderId")?;
        let existing =
            if r.u8("IsExistingFolder")? != 0 { Some(OpenFolderResponse::decode(r)?) } else { None };
        Ok(CreateFolderResponse { folder_id, existing })
    }
    fn encode(&self, w: &mut Writer) {
        w.object_id(self.folder_id);
        w.u8(self.existing.is_some() as u8);
        if let Some(e) = &self.existing {
            e.encode(w);
        }
    }
}

wire_struct! {
    /// RopDeleteFolder request (MS-OXCROPS 2.2.4.3.1).
    pub struct DeleteFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `DeleteFolderFlags` (DEL_MESSAGES 0x01, DEL_FOLDERS 0x04, DELETE_HARD_DELETE 0x10).
        delete_folder_flags: u8 => U8,
        /// `FolderId`.
        folder_id: ObjectId => Fid,
    }
}
wire_struct! {
    /// Responses that carry only `PartialCompletion` (RopDeleteFolder, RopDeleteMessages,
    /// RopHardDeleteMessages, RopEmptyFolder, RopHardDeleteMessagesAndSubfolders,
    /// RopSetReadFlags). These ROPs have one response buffer whatever the ReturnValue
    /// (MS-OXCROPS 2.2.4.3.2, 2.2.4.9.2–2.2.4.12.2, 2.2.6.10.2): `PartialCompletion` follows a
    /// failing ReturnValue too, as the Microsoft test adapter reads it and gromox sends it. A
    /// failure that ends the buffer right after ReturnValue is accepted without it.
    pub struct PartialCompletionResponse {
        /// `PartialCompletion`.
        partial_completion: u8 => U8,
    }
}

impl ResponseBody for PartialCompletionResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        <Self as RopCodec>::decode(r)
    }
    fn decode_failure(r: &mut Reader<'_>, _rv: u32) -> DecodeResult<Option<Self>> {
        if r.is_empty() {
            return Ok(None);
        }
        Ok(Some(<Self as RopCodec>::decode(r)?))
    }
    fn encode_body(&self, w: &mut Writer) {
        <Self as RopCodec>::encode(self, w)
    }
}

/// Response of RopMoveCopyMessages, RopMoveFolder and RopCopyFolder: `PartialCompletion`, or on
/// ecDstNullObject the `DestHandleIndex` followed by `PartialCompletion` (MS-OXCROPS 2.2.4.6.2).
#[derive(Clone, Debug, PartialEq)]
pub struct MoveCopyResponse {
    /// `DestHandleIndex`, only in the null-destination failure response.
    pub dest_handle_index: Option<u32>,
    /// `PartialCompletion`.
    pub partial_completion: u8,
}

impl ResponseBody for MoveCopyResponse {
    fn decode_success(r: &mut Reader<'_>, _ctx: &ResponseContext<'_>) -> DecodeResult<Self> {
        Ok(MoveCopyResponse { dest_handle_index: None, partial_completion: r.u8("PartialCompletion")? })
    }
    fn decode_failure(r: &mut Reader<'_>, rv: u32) -> DecodeResult<Option<Self>> {
        if rv != EC_DST_NULL_OBJECT {
            // Other failures keep `PartialCompletion` (MS-OXCROPS 2.2.4.7.2: "ReturnValue ...
            // set to a value other than 0x00000503"); a buffer that ends after ReturnValue is
            // accepted without it.
            if r.is_empty() {
                return Ok(None);
            }
            let partial_completion = r.u8("PartialCompletion")?;
            return Ok(Some(MoveCopyResponse { dest_handle_index: None, partial_completion }));
        }
        Ok(Some(MoveCopyResponse {
            dest_handle_index: Some(r.u32("DestHandleIndex")?),
            partial_completion: r.u8("PartialCompletion")?,
        }))
    }
    fn encode_body(&self, w: &mut Writer) {
        if let Some(d) = self.dest_handle_index {
            w.u32(d);
        }
        w.u8(self.partial_completion);
    }
}

wire_struct! {
    /// RopDeleteMessages / RopHardDeleteMessages request (MS-OXCROPS 2.2.4.11.1, 2.2.4.12.1).
    pub struct DeleteMessagesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `NotifyNonRead`.
        notify_non_read: u8 => U8,
        /// `MessageIds`.
        message_ids: Vec<ObjectId> => Ids16,
    }
}
wire_struct! {
    /// RopMoveCopyMessages request (MS-OXCROPS 2.2.4.6.1).
    pub struct MoveCopyMessagesRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `SourceHandleIndex`.
        source_handle_index: u8 => U8,
        /// `DestHandleIndex`.
        dest_handle_index: u8 => U8,
        /// `MessageIds`.
        message_ids: Vec<ObjectId> => Ids16,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `WantCopy`.
        want_copy: u8 => U8,
    }
}

/// RopMoveFolder request (MS-OXCROPS 2.2.4.7.1).
#[derive(Clone, Debug, PartialEq)]
pub struct MoveFolderRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `SourceHandleIndex`: the current parent folder.
    pub source_handle_index: u8,
    /// `DestHandleIndex`: the new parent folder.
    pub dest_handle_index: u8,
    /// `WantAsynchronous`.
    pub want_asynchronous: u8,
    /// `UseUnicode`.
    pub use_unicode: u8,
    /// `FolderId`: the folder moved.
    pub folder_id: ObjectId,
    /// `NewFolderName`.
    pub new_folder_name: String,
}

impl RopCodec for MoveFolderRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let source_handle_index = r.u8("SourceHandleIndex")?;
        let dest_handle_index = r.u8("DestHandleIndex")?;
        let want_asynchronous = r.u8("WantAsynchronous")?;
        let use_unicode = r.u8("UseUnicode")?;
        let folder_id = r.object_id("FolderId")?;
        let new_folder_name = string(r, use_unicode != 0, "NewFolderName")?;
        Ok(MoveFolderRequest {
            logon_id,
            source_handle_index,
            dest_handle_index,
            want_asynchronous,
            use_unicode,
            folder_id,
            new_folder_name,
        })
    }
    fn encode(&self, w: &mut Writer) {
        for b in [
            self.logon_id,
            self.source_handle_index,
            self.dest_handle_index,
            self.want_asynchronous,
            self.use_unicode,
        ] {
            w.u8(b);
        }
        w.object_id(self.folder_id);
        write_string(w, &self.new_folder_name, self.use_unicode != 0);
    }
}

/// RopCopyFolder request (MS-OXCROPS 2.2.4.8.1).
#[derive(Clone, Debug, PartialEq)]
pub struct CopyFolderRequest {
    /// `LogonId`.
    pub logon_id: u8,
    /// `SourceHandleIndex`.
    pub source_handle_index: u8,
    /// `DestHandleIndex`.
    pub dest_handle_index: u8,
    /// `WantAsynchronous`.
    pub want_asynchronous: u8,
    /// `WantRecursive`.
    pub want_recursive: u8,
    /// `UseUnicode`.
    pub use_unicode: u8,
    /// `FolderId`.
    pub folder_id: ObjectId,
    /// `NewFolderName`.
    pub new_folder_name: String,
}

impl RopCodec for CopyFolderRequest {
    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let logon_id = r.u8("LogonId")?;
        let source_handle_index = r.u8("SourceHandleIndex")?;
        let dest_handle_index = r.u8("DestHandleIndex")?;
        let want_asynchronous = r.u8("WantAsynchronous")?;
        let want_recursive = r.u8("WantRecursive")?;
        let use_unicode = r.u8("UseUnicode")?;
        let folder_id = r.object_id("FolderId")?;
        let new_folder_name = string(r, use_unicode != 0, "NewFolderName")?;
        Ok(CopyFolderRequest {
            logon_id,
            source_handle_index,
            dest_handle_index,
            want_asynchronous,
            want_recursive,
            use_unicode,
            folder_id,
            new_folder_name,
        })
    }
    fn encode(&self, w: &mut Writer) {
        for b in [
            self.logon_id,
            self.source_handle_index,
            self.dest_handle_index,
            self.want_asynchronous,
            self.want_recursive,
            self.use_unicode,
        ] {
            w.u8(b);
        }
        w.object_id(self.folder_id);
        write_string(w, &self.new_folder_name, self.use_unicode != 0);
    }
}

wire_struct! {
    /// RopEmptyFolder / RopHardDeleteMessagesAndSubfolders request (MS-OXCROPS 2.2.4.9.1, 2.2.4.10.1).
    pub struct EmptyFolderRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `WantAsynchronous`.
        want_asynchronous: u8 => U8,
        /// `WantDeleteAssociated`.
        want_delete_associated: u8 => U8,
    }
}
wire_struct! {
    /// RopGetHierarchyTable / RopGetContentsTable request (MS-OXCROPS 2.2.4.13.1, 2.2.4.14.1);
    /// RopGetPermissionsTable (MS-OXCPERM 2.2.1) and RopGetRulesTable (MS-OXORULE 2.2.2) share it.
    pub struct GetTableRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `OutputHandleIndex`.
        output_handle_index: u8 => U8,
        /// `TableFlags` (Associated 0x02, Depth 0x04, DeferredErrors 0x08, NoNotifications 0x10,
        /// SoftDeletes 0x20, UseUnicode 0x40, SuppressesNotifications / ConversationMembers 0x80).
        table_flags: u8 => U8,
    }
}
wire_struct! {
    /// RopGetHierarchyTable / RopGetContentsTable response: `RowCount`.
    pub struct GetTableResponse {
        /// `RowCount`.
        row_count: u32 => U32,
    }
}
wire_struct! {
    /// RopGetSearchCriteria request (MS-OXCROPS 2.2.4.5.1).
    pub struct GetSearchCriteriaRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `UseUnicode`.
        use_unicode: u8 => U8,
        /// `IncludeRestriction`.
        include_restriction: u8 => U8,
        /// `IncludeFolders`.
        include_folders: u8 => U8,
    }
}
wire_struct! {
    /// RopGetSearchCriteria response (MS-OXCROPS 2.2.4.5.2).
    pub struct GetSearchCriteriaResponse {
        /// `RestrictionDataSize` + `RestrictionData`.
        restriction: Option<oxmapi_core::restriction::Restriction> => SizedRestriction,
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `FolderIds`.
        folder_ids: Vec<ObjectId> => Ids16,
        /// `SearchFlags`.
        search_flags: u32 => U32,
    }
}
wire_struct! {
    /// RopSetSearchCriteria request (MS-OXCROPS 2.2.4.4.1).
    pub struct SetSearchCriteriaRequest {
        /// `LogonId`.
        logon_id: u8 => U8,
        /// `InputHandleIndex`.
        input_handle_index: u8 => U8,
        /// `RestrictionDataSize` + `RestrictionData`.
        restriction: Option<oxmapi_core::restriction::Restriction> => SizedRestriction,
        /// `FolderIds`.
        folder_ids: Vec<ObjectId> => Ids16,
        /// `SearchFlags`.
        search_flags: u32 => U32,
    }
}
plain_response!(OpenFolderResponse, CreateFolderResponse, GetTableResponse, GetSearchCriteriaResponse);
