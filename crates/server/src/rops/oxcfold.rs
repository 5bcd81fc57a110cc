//! Folder ROPs (MS-OXCFOLD 3.2.5): open, create, delete, move, copy, empty, and the hierarchy
//! table.

use std::sync::Arc;

use oxmapi_core::ErrorCode;
use oxmapi_core::bag::PropBag;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_store::StoreError;
use oxmapi_store::mailbox::{DeleteFolderFlags, FolderType};
use oxmapi_store::table::SourceRow;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::oxcstor::Ghosted;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{FolderObject, LogonObject, ObjectKind, ServerObject, Slots, TableObject, TableSource};
use super::oxcstor::store_code;
use super::{Env, RopResult, RopSession, object};

/// RopGetHierarchyTable / RopGetContentsTable `TableFlags` (MS-OXCFOLD 2.2.1.13–2.2.1.14).
pub mod table_flags {
    /// Associated (contents tables: the folder associated information).
    pub const ASSOCIATED: u8 = 0x02;
    /// Depth (hierarchy tables: the whole subtree).
    pub const DEPTH: u8 = 0x04;
    /// NoNotifications: no TableModified notifications for this table.
    pub const NO_NOTIFICATIONS: u8 = 0x10;
    /// SoftDeletes: only the soft-deleted folders or messages.
    pub const SOFT_DELETES: u8 = 0x20;
    /// UseUnicode.
    pub const USE_UNICODE: u8 = 0x40;
}

/// The folder in slot `index`, where a Logon object stands for its Root folder: for the ROPs
/// whose input is "a Folder object or Logon object" (RopOpenFolder, RopOpenMessage,
/// RopCreateMessage …). Other objects are ecNotSupported (MS-OXCFOLD_R473).
pub(crate) fn folder_in(
    rs: &RopSession,
    slots: &Slots,
    index: u8,
) -> Result<(Arc<LogonObject>, ObjectId), ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Folder(f) => Ok((f.logon.clone(), f.fid)),
        ServerObject::Logon(l) => Ok((l.clone(), l.store.logon_folder_ids()[0])),
        _ => Err(codes::MAPI_E_NO_SUPPORT),
    }
}

/// The folder in slot `index`, which must be a Folder object: the ROPs that act on a folder's
/// contents or subfolders answer ecNotSupported (0x80040102) for any other object, the Logon
/// object included — RopCreateFolder (MS-OXCFOLD_R494/_R495), RopDeleteFolder (_R509, _R2509),
/// RopEmptyFolder (_R624/_R625), RopHardDeleteMessagesAndSubfolders (_R629/_R630),
/// RopDeleteMessages (_R637/_R638), RopHardDeleteMessages (_R644/_R645), RopMoveCopyMessages,
/// RopMoveFolder and RopCopyFolder (_R589/_R590, _R601/_R602, _R613/_R614) and the table ROPs.
pub(crate) fn folder_only(
    rs: &RopSession,
    slots: &Slots,
    index: u8,
) -> Result<(Arc<LogonObject>, ObjectId), ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Folder(f) => Ok((f.logon.clone(), f.fid)),
        _ => Err(codes::MAPI_E_NO_SUPPORT),
    }
}

/// Puts a new object into the handle table and its handle into slot `index`.
pub(crate) fn new_object(
    rs: &mut RopSession,
    slots: &mut Slots,
    index: u8,
    obj: ServerObject,
) -> Result<u32, ErrorCode> {
    let h = rs.handles.insert(obj)?;
    if let Err(e) = slots.set(index, h) {
        rs.handles.release(h);
        return Err(e);
    }
    Ok(h)
}

fn opened() -> OpenFolderResponse {
    OpenFolderResponse { has_rules: 0, ghosted: Ghosted { servers: None } }
}

/// RopOpenFolder (MS-OXCFOLD 3.2.5.1) on a Logon or Folder object (other objects:
/// ecNotSupported, MS-OXCFOLD_R472/_R473). Bits of OpenModeFlags other than OpenSoftDeleted
/// are ignored (_R46501–_R46507).
pub fn open_folder(rs: &mut RopSession, slots: &mut Slots, q: &OpenFolderRequest) -> RopResult {
    let (logon, _) = folder_in(rs, slots, q.input_handle_index)?;
    if !logon.store.folder_exists(q.folder_id).map_err(store_code)? {
        return Err(codes::MAPI_E_NOT_FOUND);
    }
    new_object(
        rs,
        slots,
        q.output_handle_index,
        ServerObject::Folder(FolderObject { logon, fid: q.folder_id }),
    )?;
    Ok(RopResponse::OpenFolder(Outcome::ok(q.output_handle_index, opened())))
}

/// RopCreateFolder (MS-OXCFOLD 3.2.5.2) under a Folder object (the Logon object is
/// ecNotSupported, MS-OXCFOLD_R494/_R495): OpenExisting returns the folder of that name.
/// `IsExistingFolder` is always zero in a private mailbox, existing folder or not (MS-OXCFOLD
/// 2.2.1.2.2, MS-OXCFOLD_R1197); in the public store it tells whether the folder existed and is
/// then followed by the RopOpenFolder fields.
pub fn create_folder(rs: &mut RopSession, slots: &mut Slots, q: &CreateFolderRequest) -> RopResult {
    let (logon, parent) = folder_only(rs, slots, q.input_handle_index)?;
    // The folder is created before its object is opened: a session at its folder limit must be
    // refused first, so that the refused ROP creates nothing.
    rs.handles.check_room(ObjectKind::Folder)?;
    let kind = FolderType::try_from(q.folder_type).map_err(store_code)?;
    let comment = (!q.comment.is_empty()).then_some(q.comment.as_str());
    let (fid, existed) = logon
        .store
        .create_folder(parent, &q.display_name, comment, None, kind, q.open_existing != 0)
        .map_err(store_code)?;
    if !existed {
        super::access::creator_owns(&logon, fid)?;
    }
    let existing = (existed && !logon.private).then(opened);
    new_object(rs, slots, q.output_handle_index, ServerObject::Folder(FolderObject { logon, fid }))?;
    Ok(RopResponse::CreateFolder(Outcome::ok(
        q.output_handle_index,
        CreateFolderResponse { folder_id: fid, existing },
    )))
}

/// The response of the ROPs whose response buffer carries `PartialCompletion` whatever the
/// ReturnValue — RopDeleteFolder, RopEmptyFolder, RopHardDeleteMessagesAndSubfolders,
/// RopDeleteMessages, RopHardDeleteMessages and RopSetReadFlags (MS-OXCROPS 2.2.4.3.2, 2.2.4.9.2,
/// 2.2.4.10.2, 2.2.4.11.2, 2.2.4.12.2, 2.2.6.10.2: one response buffer, no failure variant; the
/// Microsoft test adapter reads these seven bytes for any ReturnValue, and gromox sends them):
/// a failure carries `PartialCompletion` 0.
pub(crate) fn partial_outcome(index: u8, r: Result<bool, ErrorCode>) -> Outcome<PartialCompletionResponse> {
    match r {
        Ok(partial) => Outcome::ok(index, PartialCompletionResponse { partial_completion: partial as u8 }),
        Err(code) => Outcome {
            handle_index: index,
            return_value: code.0,
            body: Some(PartialCompletionResponse { partial_completion: 0 }),
        },
    }
}

/// RopDeleteFolder (MS-OXCFOLD 3.2.5.3) on a Folder object (else ecNotSupported,
/// MS-OXCFOLD_R509/_R2509); invalid DeleteFolderFlags bits are ignored (_R123402). A folder
/// that still holds messages without DEL_MESSAGES, or subfolders without DEL_FOLDERS, is not
/// deleted, and the ROP succeeds with `PartialCompletion` nonzero: "neither the folder nor any
/// of its Message objects will be deleted ... the ReturnValue field ... will be set to
/// 0x00000000 ... the PartialCompletion field will be set to a nonzero (TRUE) value"
/// (MS-OXCFOLD_R371/_R816/_R817, _R1079/_R1080/_R1081).
pub fn delete_folder(rs: &RopSession, slots: &Slots, q: &DeleteFolderRequest) -> RopResult {
    let run = || {
        let (logon, parent) = folder_only(rs, slots, q.input_handle_index)?;
        let flags = DeleteFolderFlags::from_bits(q.delete_folder_flags);
        match logon.store.delete_folder(parent, q.folder_id, flags) {
            Ok(partial) => Ok(partial),
            Err(StoreError::HasMessages(_) | StoreError::HasFolders(_)) => Ok(true),
            Err(e) => Err(store_code(e)),
        }
    };
    Ok(RopResponse::DeleteFolder(partial_outcome(q.input_handle_index, run())))
}

/// How a move or copy (RopMoveCopyMessages, RopMoveFolder, RopCopyFolder) did not complete.
pub(crate) enum MoveCopyFailure {
    /// The destination slot holds no object: ecDstNullObject with `DestHandleIndex`.
    NullDestination(u8),
    /// Any other failure, ecNotSupported for a source or destination that is not a Folder
    /// object included (MS-OXCFOLD_R589/_R590, _R601/_R602, _R613/_R614).
    Code(ErrorCode),
}

impl From<ErrorCode> for MoveCopyFailure {
    fn from(code: ErrorCode) -> Self {
        MoveCopyFailure::Code(code)
    }
}

/// The destination folder of a move or copy.
pub(crate) fn destination(
    rs: &RopSession,
    slots: &Slots,
    dest_index: u8,
) -> Result<(Arc<LogonObject>, ObjectId), MoveCopyFailure> {
    match folder_only(rs, slots, dest_index) {
        Ok(d) => Ok(d),
        Err(e) if e == codes::MAPI_E_NO_SUPPORT => Err(MoveCopyFailure::Code(e)),
        Err(_) => Err(MoveCopyFailure::NullDestination(dest_index)),
    }
}

/// The response of a move or copy: `PartialCompletion` whatever the ReturnValue, preceded by
/// `DestHandleIndex` for ecDstNullObject (MS-OXCROPS 2.2.4.6.2/2.2.4.6.3, 2.2.4.7.2/2.2.4.7.3,
/// 2.2.4.8.2/2.2.4.8.3; the Microsoft test adapter's RopMoveFolderResponse reads
/// PartialCompletion for every ReturnValue but 0x00000503).
pub(crate) fn move_copy_outcome(
    source_index: u8,
    r: Result<bool, MoveCopyFailure>,
) -> Outcome<MoveCopyResponse> {
    let (return_value, dest_handle_index, partial) = match r {
        Ok(partial) => (0, None, partial),
        Err(MoveCopyFailure::NullDestination(d)) => (codes::EC_DST_NULL_OBJECT.0, Some(u32::from(d)), false),
        Err(MoveCopyFailure::Code(code)) => (code.0, None, false),
    };
    Outcome {
        handle_index: source_index,
        return_value,
        body: Some(MoveCopyResponse { dest_handle_index, partial_completion: partial as u8 }),
    }
}

/// RopMoveFolder (MS-OXCFOLD 3.2.5.6).
pub fn move_folder(rs: &RopSession, slots: &Slots, q: &MoveFolderRequest) -> RopResult {
    let run = || {
        let (logon, src) = folder_only(rs, slots, q.source_handle_index)?;
        let (_, dst) = destination(rs, slots, q.dest_handle_index)?;
        logon.store.move_folder(src, q.folder_id, dst, &q.new_folder_name).map_err(store_code)?;
        Ok(false)
    };
    Ok(RopResponse::MoveFolder(move_copy_outcome(q.source_handle_index, run())))
}

/// RopCopyFolder (MS-OXCFOLD 3.2.5.7).
pub fn copy_folder(rs: &RopSession, slots: &Slots, q: &CopyFolderRequest) -> RopResult {
    let run = || {
        let (logon, src) = folder_only(rs, slots, q.source_handle_index)?;
        let (_, dst) = destination(rs, slots, q.dest_handle_index)?;
        logon
            .store
            .copy_folder(src, q.folder_id, dst, &q.new_folder_name, q.want_recursive != 0)
            .map_err(store_code)?;
        Ok(false)
    };
    Ok(RopResponse::CopyFolder(move_copy_outcome(q.source_handle_index, run())))
}

/// RopEmptyFolder (MS-OXCFOLD 3.2.5.9) and RopHardDeleteMessagesAndSubfolders (3.2.5.10), on
/// a Folder object only: sent to the Logon object they answer ecNotSupported (MS-OXCFOLD_R624,
/// _R630) and empty nothing. The Root folder and search folders cannot be emptied either
/// (ecNotSupported, _R124802, _R124901; see [`oxmapi_store::MessageStore::empty_folder`]).
pub fn empty_folder(rs: &RopSession, slots: &Slots, q: &EmptyFolderRequest, hard: bool) -> RopResult {
    let run = || {
        let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
        logon.store.empty_folder(fid, q.want_delete_associated != 0, hard).map_err(store_code)
    };
    let outcome = partial_outcome(q.input_handle_index, run());
    Ok(if hard {
        RopResponse::HardDeleteMessagesAndSubfolders(outcome)
    } else {
        RopResponse::EmptyFolder(outcome)
    })
}

/// The rows of a hierarchy table.
pub(crate) fn hierarchy_rows(
    logon: &LogonObject,
    fid: ObjectId,
    depth: bool,
) -> Result<Vec<SourceRow>, ErrorCode> {
    hierarchy_rows_of(logon, fid, depth, false)
}

/// The rows of a hierarchy table, of the soft-deleted folders with `soft_deleted`.
pub(crate) fn hierarchy_rows_of(
    logon: &LogonObject,
    fid: ObjectId,
    depth: bool,
    soft_deleted: bool,
) -> Result<Vec<SourceRow>, ErrorCode> {
    let rows = if soft_deleted {
        logon.store.soft_deleted_hierarchy(fid, depth)
    } else {
        logon.store.hierarchy(fid, depth)
    }
    .map_err(store_code)?;
    let rows: Vec<SourceRow> = rows
        .iter()
        .map(|r| {
            let props = logon.store.hierarchy_row_properties(r).map_err(store_code)?;
            let mut bag = PropBag::new();
            for tv in props {
                bag.set(tv.tag, tv.value);
            }
            Ok(SourceRow { id: r.fid.to_u64(), props: bag })
        })
        .collect::<Result<_, ErrorCode>>()?;
    super::access::visible_rows(logon, rows)
}

/// RopGetHierarchyTable (MS-OXCFOLD 3.2.5.13) on a Folder object. With SoftDeletes the table
/// "lists only the folders that are soft deleted" (MS-OXCFOLD 2.2.1.13.1, MS-OXCFOLD_R806; an
/// empty table when there are none), without it only the existing ones (_R1219). A
/// SoftDeletes table sends no notifications (the hub follows live folders).
pub fn get_hierarchy_table(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetTableRequest,
) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let depth = q.table_flags & table_flags::DEPTH != 0;
    let soft_deleted = q.table_flags & table_flags::SOFT_DELETES != 0;
    let generation = logon.store.generation().map_err(store_code)?;
    let rows = hierarchy_rows_of(&logon, fid, depth, soft_deleted)?;
    let row_count = rows.len() as u32;
    let table = TableObject::loaded(
        logon,
        TableSource::Hierarchy { fid, depth, soft_deleted },
        rows,
        q.table_flags & table_flags::USE_UNICODE != 0,
        generation,
    );
    let h = new_object(rs, slots, q.output_handle_index, ServerObject::Table(Box::new(table)))?;
    if q.table_flags & table_flags::NO_NOTIFICATIONS == 0 && !soft_deleted {
        super::oxcnotif::subscribe_table(env, rs, h, super::oxcnotif::table_target(true, fid));
    }
    Ok(RopResponse::GetHierarchyTable(Outcome::ok(q.output_handle_index, GetTableResponse { row_count })))
}
