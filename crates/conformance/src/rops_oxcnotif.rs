//! Request builders for the MS-OXCNOTIF cases: the subscription itself (MS-OXCROPS 2.2.14.1)
//! and the folder and message ROPs that make the events (MS-OXCROPS 2.2.4, 2.2.7, 2.2.5.15).
//! Every request uses `LogonId` 0 unless it says otherwise.

use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::oxcnotif::RegisterNotificationRequest;
use oxmapi_wire::rop::oxctabl::ResetTableRequest;
use oxmapi_wire::rop::oxomsg::TransportNewMailRequest;
use oxmapi_wire::rop::request::RopRequest;

/// `NotificationTypes` bits (MS-OXCNOTIF 2.2.1.2.1.1).
pub mod types {
    /// NewMail.
    pub const NEW_MAIL: u16 = 0x0002;
    /// ObjectCreated.
    pub const OBJECT_CREATED: u16 = 0x0004;
    /// ObjectDeleted.
    pub const OBJECT_DELETED: u16 = 0x0008;
    /// ObjectModified.
    pub const OBJECT_MODIFIED: u16 = 0x0010;
    /// ObjectMoved.
    pub const OBJECT_MOVED: u16 = 0x0020;
    /// ObjectCopied.
    pub const OBJECT_COPIED: u16 = 0x0040;
    /// SearchCompleted.
    pub const SEARCH_COMPLETED: u16 = 0x0080;
}

/// What a subscription watches (MS-OXCNOTIF 2.2.1.2.1: `WantWholeStore`, `FolderId`,
/// `MessageId`).
#[derive(Clone, Copy, Debug)]
pub enum Watch {
    /// The whole mailbox (`WantWholeStore` nonzero).
    Store,
    /// One folder.
    Folder(ObjectId),
    /// One message of a folder.
    Message(ObjectId, ObjectId),
}

/// RopRegisterNotification on the logon in `input`, subscription handle to `output`.
pub fn register(input: u8, output: u8, notification_types: u16, watch: Watch) -> RopRequest {
    register_on_logon(0, input, output, notification_types, watch)
}

/// [`register`] for logon `logon_id`.
pub fn register_on_logon(
    logon_id: u8,
    input: u8,
    output: u8,
    notification_types: u16,
    watch: Watch,
) -> RopRequest {
    let (want_whole_store, scope) = match watch {
        Watch::Store => (1, None),
        Watch::Folder(f) => (0, Some((f, ObjectId::ZERO))),
        Watch::Message(f, m) => (0, Some((f, m))),
    };
    RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id,
        input_handle_index: input,
        output_handle_index: output,
        notification_types,
        reserved: None,
        want_whole_store,
        scope,
    })
}

/// RopDeleteMessages (hard enough for a notification: synchronous, no read receipts).
pub fn delete_messages(input: u8, mids: &[ObjectId]) -> RopRequest {
    RopRequest::DeleteMessages(DeleteMessagesRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        notify_non_read: 0,
        message_ids: mids.to_vec(),
    })
}

/// RopMoveCopyMessages from the folder in `source` to the folder in `dest`.
pub fn move_copy_messages(source: u8, dest: u8, mids: &[ObjectId], copy: bool) -> RopRequest {
    RopRequest::MoveCopyMessages(MoveCopyMessagesRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        message_ids: mids.to_vec(),
        want_asynchronous: 0,
        want_copy: copy as u8,
    })
}

/// RopMoveFolder of `fid` from the folder in `source` to the folder in `dest` as `name`.
pub fn move_folder(source: u8, dest: u8, fid: ObjectId, name: &str) -> RopRequest {
    RopRequest::MoveFolder(MoveFolderRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        want_asynchronous: 0,
        use_unicode: 1,
        folder_id: fid,
        new_folder_name: name.to_string(),
    })
}

/// RopCopyFolder (not recursive) of `fid` from `source` to `dest` as `name`.
pub fn copy_folder(source: u8, dest: u8, fid: ObjectId, name: &str) -> RopRequest {
    RopRequest::CopyFolder(CopyFolderRequest {
        logon_id: 0,
        source_handle_index: source,
        dest_handle_index: dest,
        want_asynchronous: 0,
        want_recursive: 0,
        use_unicode: 1,
        folder_id: fid,
        new_folder_name: name.to_string(),
    })
}

/// RopTransportNewMail (MS-OXOMSG 2.2.3.18) for message `mid` of folder `fid`.
pub fn transport_new_mail(input: u8, fid: ObjectId, mid: ObjectId, class: &str, flags: u32) -> RopRequest {
    RopRequest::TransportNewMail(TransportNewMailRequest {
        logon_id: 0,
        input_handle_index: input,
        message_id: mid,
        folder_id: fid,
        message_class: class.to_string(),
        message_flags: flags,
    })
}

/// RopSetSearchCriteria on the search folder in `input`: messages of `scope` that have
/// `restriction`, search restarted, not recursive (MS-OXCFOLD 2.2.1.4.1: RESTART_SEARCH 0x02,
/// SHALLOW_SEARCH 0x08).
pub fn set_search_criteria(input: u8, restriction: Restriction, scope: &[ObjectId]) -> RopRequest {
    RopRequest::SetSearchCriteria(SetSearchCriteriaRequest {
        logon_id: 0,
        input_handle_index: input,
        restriction: Some(restriction),
        folder_ids: scope.to_vec(),
        search_flags: 0x0000_0002 | 0x0000_0008,
    })
}

/// RopResetTable.
pub fn reset_table(input: u8) -> RopRequest {
    RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: input })
}

/// RopCreateFolder of a search folder (FolderType 2, MS-OXCFOLD 2.2.1.2.1).
pub fn create_search_folder(input: u8, output: u8, name: &str) -> RopRequest {
    RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: output,
        folder_type: 2,
        use_unicode_strings: 1,
        open_existing: 0,
        reserved: 0,
        display_name: name.to_string(),
        comment: String::new(),
    })
}
