//! Per-user information ROPs (MS-OXCSTOR 2.2.1.10–2.2.1.13, 3.2.5.10–3.2.5.13): the read state
//! of public folders kept per user, as serialized IDSETs with REPLGUID of read change numbers
//! ([`super::idset`]), in the store's `per_user_data` ([`oxmapi_store::mailbox::per_user`]).
//!
//! * On a private mailbox logon the rows are the mailbox's cache of public folders' read state
//!   (the "Private Mailbox Specific Behavior" of 3.2.5.12 and 3.2.5.13): keyed by the mailbox, for folders of this site's public store
//!   only (a long-term id naming anything else — a folder of this or another mailbox, an
//!   unknown folder, or any folder when public folders are off — is ecNotFound, so that no
//!   client can park data under another store's ids). RopGetPerUserLongTermIds lists them by
//!   the REPLGUID they were written with, RopGetPerUserGuid answers that REPLGUID.
//! * On a public folders logon the rows are the logged-on user's read state of folders of the
//!   public store ("Public Folders Specific Behavior"); RopGetPerUserLongTermIds and RopGetPerUserGuid are
//!   ecNotSupported there, as the spec says. This server keeps no other per-user read state of
//!   public messages, so a folder without a row reads as an empty blob (MS-OXCSTOR R1257)
//!   where Exchange would compute one from the user's reads (Microsoft's
//!   MSOXCSTOR_S03_TC01 step 8 expects data after the user created a message there).
//!
//! Checked against Microsoft's MS-OXCSTOR suite (S03_SyncUpReadAndUnreadInformation: chunked
//! reads with MaxDataSize 0 → 4096 (R1005), DataOffset "below zero" and past the end →
//! 0x80004005 (R1042, R1260), HasFinished (R1010, R1284); chunked writes, a changed FolderId or
//! an out-of-step DataOffset discard the upload and fail 0x80004005 (R601, R1019, R1033); an
//! empty write on a private logon leaves no data (TC03 steps 4–5)). gromox
//! (exch/emsmdb/oxcstore.cpp) answers these ROPs with no data and keeps nothing.

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;
use oxmapi_store::MessageStore;
use oxmapi_store::mailbox::LOCAL_REPLICA_ID;
use oxmapi_store::mailbox::per_user::PER_USER_DATA_MAX;
use oxmapi_wire::rop::outcome::{Empty, Outcome};
use oxmapi_wire::rop::peruser::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{LogonObject, Slots};
use super::oxcstor::{logon_in, store_code};
use super::{Env, RopResult, RopSession};

mod idset;

/// The most a RopReadPerUserInformation answers at once, and what a `MaxDataSize` of 0 (or
/// above it) is adjusted to (MS-OXCSTOR 3.2.5.12.1, R1005).
pub const READ_CHUNK_MAX: usize = 4096;

/// A RopWritePerUserInformation upload under way on a logon (MS-OXCSTOR 3.2.5.13.1).
#[derive(Debug)]
pub struct Upload {
    folder: LongTermId,
    repl_guid: Option<Guid>,
    data: Vec<u8>,
}

/// ecError (0x80004005), the code MS-OXCSTOR 3.2.5.12.1/3.2.5.13.1 name for an offset out of
/// step.
const EC_ERROR: ErrorCode = codes::MAPI_E_CALL_FAILED;

/// The user whose rows a logon reads and writes: the mailbox on a private logon ("the per-user
/// data table for the mailbox"), the logged-on user on a public one.
fn row_owner(logon: &LogonObject) -> Guid {
    if logon.private { logon.store.mailbox_guid() } else { logon.user.mailbox_guid }
}

/// True when `ltid` names a folder of `store` (every folder a store creates is replica 1's).
fn folder_of(store: &MessageStore, ltid: &LongTermId) -> Result<bool, ErrorCode> {
    if ltid.database_guid != store.replica_guid() {
        return Ok(false);
    }
    store.folder_exists(ltid.to_object_id(LOCAL_REPLICA_ID)).map_err(store_code)
}

/// Refuses (ecNotFound) a folder the logon may not keep per-user data for: on a public logon a
/// folder of that store; on a private logon a folder of the site's public store.
fn check_folder(env: &Env<'_>, logon: &LogonObject, ltid: &LongTermId) -> Result<(), ErrorCode> {
    let known = if logon.private {
        match env.state.stores.public(&env.state.data).map_err(store_code)? {
            Some(public) => folder_of(&public, ltid)?,
            None => false,
        }
    } else {
        folder_of(&logon.store, ltid)?
    };
    if known { Ok(()) } else { Err(codes::MAPI_E_NOT_FOUND) }
}

/// RopGetPerUserLongTermIds (MS-OXCSTOR 3.2.5.10): the public folders whose read state the
/// private mailbox caches with REPLGUID `DatabaseGuid`. On a public folders logon:
/// ecNotSupported.
pub fn get_per_user_long_term_ids(
    rs: &RopSession,
    slots: &Slots,
    q: &GetPerUserLongTermIdsRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    let long_term_ids =
        logon.store.per_user_folders(&row_owner(&logon), &q.database_guid).map_err(store_code)?;
    Ok(RopResponse::GetPerUserLongTermIds(Outcome::ok(
        q.input_handle_index,
        GetPerUserLongTermIdsResponse { long_term_ids },
    )))
}

/// RopGetPerUserGuid (MS-OXCSTOR 3.2.5.11): the REPLGUID the cached read state of public folder
/// `LongTermId` was written with; "If the server cannot find any per-user information for the
/// specified folder, [it] MUST fail the operation with ecNotFound". On a public folders logon:
/// ecNotSupported.
pub fn get_per_user_guid(rs: &RopSession, slots: &Slots, q: &GetPerUserGuidRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    let row = logon.store.per_user_data(&row_owner(&logon), &q.long_term_id).map_err(store_code)?;
    let row = row.ok_or(codes::MAPI_E_NOT_FOUND)?;
    Ok(RopResponse::GetPerUserGuid(Outcome::ok(
        q.input_handle_index,
        GetPerUserGuidResponse { database_guid: row.repl_guid },
    )))
}

/// RopReadPerUserInformation (MS-OXCSTOR 3.2.5.12): up to the adjusted `MaxDataSize` bytes of the
/// folder's read state from `DataOffset` on, and whether that is the end (HasFinished). A
/// folder without a row reads as empty (R1257). `DataOffset` with its top bit set ("less than
/// zero") or past the end of the blob: ecError 0x80004005 (R1042, R1260).
pub fn read_per_user_information(
    env: &Env<'_>,
    rs: &RopSession,
    slots: &Slots,
    q: &ReadPerUserInformationRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if (q.data_offset as i32) < 0 {
        return Err(EC_ERROR);
    }
    check_folder(env, &logon, &q.folder_id)?;
    let row = logon.store.per_user_data(&row_owner(&logon), &q.folder_id).map_err(store_code)?;
    let blob = row.map(|r| r.data).unwrap_or_default();
    let offset = q.data_offset as usize;
    if offset > blob.len() {
        return Err(EC_ERROR);
    }
    let max = match q.max_data_size as usize {
        0 => READ_CHUNK_MAX,
        n => n.min(READ_CHUNK_MAX),
    };
    let end = offset + max.min(blob.len() - offset);
    Ok(RopResponse::ReadPerUserInformation(Outcome::ok(
        q.input_handle_index,
        ReadPerUserInformationResponse {
            has_finished: u8::from(end == blob.len()),
            data: blob[offset..end].to_vec(),
        },
    )))
}

/// RopWritePerUserInformation (MS-OXCSTOR 3.2.5.13): accumulates the chunks of one folder's
/// read state on the logon and, with HasFinished, validates the whole (empty, or a serialized
/// IDSET with REPLGUID: else MAPI_E_CORRUPT_DATA 0x8004011B, the SHOULD of 3.2.5.13.1) and
/// stores it for the user and folder (empty removes the row). A chunk for another folder, or
/// whose `DataOffset` is not the size written so far, discards the upload and, unless its
/// offset is 0 (a new upload), fails with ecError 0x80004005. An upload larger than
/// [`PER_USER_DATA_MAX`] is discarded with MAPI_E_TOO_BIG.
pub fn write_per_user_information(
    env: &Env<'_>,
    rs: &RopSession,
    slots: &Slots,
    q: &WritePerUserInformationRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    let mut upload = logon.per_user_upload.lock().unwrap_or_else(|e| e.into_inner());
    let continues =
        upload.as_ref().is_some_and(|u| u.folder == q.folder_id && u.data.len() == q.data_offset as usize);
    if !continues {
        *upload = None;
        if q.data_offset != 0 {
            return Err(EC_ERROR);
        }
        check_folder(env, &logon, &q.folder_id)?;
        *upload = Some(Upload { folder: q.folder_id, repl_guid: q.repl_guid, data: Vec::new() });
    }
    let Some(u) = upload.as_mut() else { return Err(EC_ERROR) };
    if u.data.len() + q.data.len() > PER_USER_DATA_MAX {
        *upload = None;
        return Err(codes::MAPI_E_TOO_BIG);
    }
    u.data.extend_from_slice(&q.data);
    if q.has_finished == 0 {
        return Ok(RopResponse::WritePerUserInformation(Outcome::ok(q.input_handle_index, Empty)));
    }
    let Some(done) = upload.take() else { return Err(EC_ERROR) };
    drop(upload);
    if !done.data.is_empty() && !idset::is_well_formed(&done.data) {
        return Err(codes::MAPI_E_CORRUPT_DATA);
    }
    // The REPLGUID the private logon sent, else the IDSET's own, else the store's.
    let repl_guid = done
        .repl_guid
        .or_else(|| done.data.get(..16).and_then(|g| <[u8; 16]>::try_from(g).ok()).map(Guid))
        .unwrap_or_else(|| logon.store.replica_guid());
    logon
        .store
        .set_per_user_data(&row_owner(&logon), &done.folder, &repl_guid, &done.data)
        .map_err(store_code)?;
    Ok(RopResponse::WritePerUserInformation(Outcome::ok(q.input_handle_index, Empty)))
}
