//! Folder contents (MS-OXCFOLD 3.2.5): the contents table (RopGetContentsTable, 3.2.5.14) and
//! the ROPs that delete, move and copy a folder's messages (RopDeleteMessages 3.2.5.11,
//! RopHardDeleteMessages 3.2.5.12, RopMoveCopyMessages 3.2.5.6).

use std::sync::Arc;

use oxmapi_core::error::codes;
use oxmapi_store::table::Table;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{STALE, ServerObject, Slots, TableObject, TableSource};
use super::oxcfold::{
    MoveCopyFailure, destination, folder_only, move_copy_outcome, new_object, partial_outcome, table_flags,
};
use super::oxcstor::store_code;
use super::table_rows::{View, select_engine};
use super::{Env, RopResult, RopSession};

/// RopGetContentsTable (MS-OXCFOLD 3.2.5.14): a table of the folder's normal messages, or with
/// TableFlags Associated (0x02) of its folder associated information; UseUnicode (0x40) makes
/// PtypUnspecified string columns Unicode. `RowCount` is the number of messages. The table
/// follows the folder: rows come and go as messages are saved, moved and deleted. With
/// SoftDeletes (0x20) it "lists only the messages that are soft deleted" (MS-OXCFOLD
/// 2.2.1.14.1, MS-OXCFOLD_R1017) and sends no notifications.
pub fn get_contents_table(
    env: &Env<'_>,
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetTableRequest,
) -> RopResult {
    let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
    let associated = q.table_flags & table_flags::ASSOCIATED != 0;
    let soft_deleted = q.table_flags & table_flags::SOFT_DELETES != 0;
    // The rows load when first read (after the SetColumns/SortTable/Restrict that usually
    // follow in the same Execute); the count comes from the folder index.
    let row_count = logon.store.contents_count_in(fid, associated, soft_deleted).map_err(store_code)?;
    // A search folder lists what its search found: the in-memory engine serves it.
    let indexable = logon.store.search_criteria(fid).map_err(store_code)?.is_err();
    let mut table = TableObject {
        logon,
        source: TableSource::Contents { fid, associated, soft_deleted, indexable },
        table: Table::new(Vec::new(), Vec::new()).into(),
        unicode: q.table_flags & table_flags::USE_UNICODE != 0,
        columns_set: false,
        loaded: Vec::new(),
        generation: STALE,
        filter: None,
        notifications: None,
    };
    select_engine(
        &mut table,
        View { columns: &[], sort: &Default::default(), restriction: None, columns_only: false },
    )?;
    let h = new_object(rs, slots, q.output_handle_index, ServerObject::Table(Box::new(table)))?;
    if q.table_flags & table_flags::NO_NOTIFICATIONS == 0 && !soft_deleted {
        super::oxcnotif::subscribe_table(env, rs, h, super::oxcnotif::table_target(false, fid));
    }
    Ok(RopResponse::GetContentsTable(Outcome::ok(q.output_handle_index, GetTableResponse { row_count })))
}

/// RopDeleteMessages (MS-OXCFOLD 3.2.5.11, soft delete: recoverable) and RopHardDeleteMessages
/// (3.2.5.12) on a Folder object. `PartialCompletion` is set when some MIDs are not messages of
/// the folder, or are messages a logon limited by folder permissions may not delete (others'
/// messages with DeleteOwned only: the user's own go, MS-OXCFOLD R991/R1147 as the MS-OXCFOLD
/// suite's S05_TC02 expects), and is in the response whatever the ReturnValue
/// ([`partial_outcome`]).
/// `WantAsynchronous` and `NotifyNonRead` are accepted and ignored: the delete completes before
/// the response, and no non-read receipts are sent.
pub fn delete_messages(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &DeleteMessagesRequest,
    hard: bool,
) -> RopResult {
    let run = || {
        let (logon, fid) = folder_only(rs, slots, q.input_handle_index)?;
        let (mids, skipped) = super::access::deletable(&logon, fid, &q.message_ids)?;
        let partial = logon.store.delete_messages(fid, &mids, hard).map_err(store_code)?;
        Ok(partial || skipped)
    };
    let outcome = partial_outcome(q.input_handle_index, run());
    Ok(if hard { RopResponse::HardDeleteMessages(outcome) } else { RopResponse::DeleteMessages(outcome) })
}

/// RopMoveCopyMessages (MS-OXCFOLD 3.2.5.6): moves (or with `WantCopy` copies) messages of
/// the source folder into the destination folder of the same store; `PartialCompletion` when
/// some MIDs are not messages of the source. An empty destination slot answers ecDstNullObject
/// with `DestHandleIndex` (MS-OXCROPS 2.2.4.6.2); a folder of another store is not supported.
pub fn move_copy_messages(rs: &mut RopSession, slots: &mut Slots, q: &MoveCopyMessagesRequest) -> RopResult {
    let run = || {
        let (logon, src) = folder_only(rs, slots, q.source_handle_index)?;
        let (dst_logon, dst) = destination(rs, slots, q.dest_handle_index)?;
        if !Arc::ptr_eq(&logon.store, &dst_logon.store) {
            return Err(MoveCopyFailure::Code(codes::MAPI_E_NO_SUPPORT));
        }
        let (partial, _) =
            logon.store.move_copy_messages(src, &q.message_ids, dst, q.want_copy != 0).map_err(store_code)?;
        Ok(partial)
    };
    Ok(RopResponse::MoveCopyMessages(move_copy_outcome(q.source_handle_index, run())))
}
