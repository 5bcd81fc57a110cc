//! Per-user information ROPs on a private mailbox logon (MS-OXCSTOR 3.2.5.10–3.2.5.11): the
//! cache of public-folder read state a private mailbox keeps per user. This server keeps no such
//! cache (its public folders have no per-user read state to replicate), so a private logon has
//! per-user data for no folder: RopGetPerUserLongTermIds lists none and RopGetPerUserGuid
//! finds none. Both are refused on a public folders logon (ecNotSupported), as the spec says.

use oxmapi_core::error::codes;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::peruser::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::Slots;
use super::oxcstor::logon_in;
use super::{RopResult, RopSession};

/// RopGetPerUserLongTermIds (MS-OXCSTOR 3.2.5.10): the public folders of database
/// `DatabaseGuid` for which the user has per-user data cached in the private mailbox — none
/// here, so an empty list. On a public folders logon: ecNotSupported.
pub fn get_per_user_long_term_ids(
    rs: &RopSession,
    slots: &Slots,
    q: &GetPerUserLongTermIdsRequest,
) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    Ok(RopResponse::GetPerUserLongTermIds(Outcome::ok(
        q.input_handle_index,
        GetPerUserLongTermIdsResponse { long_term_ids: Vec::new() },
    )))
}

/// RopGetPerUserGuid (MS-OXCSTOR 3.2.5.11): the database of the public folder `LongTermId`
/// whose per-user data the private mailbox caches; "If the server cannot find any per-user
/// information for the specified folder, [it] MUST fail the operation with ecNotFound" — which
/// is every folder here. On a public folders logon: ecNotSupported.
pub fn get_per_user_guid(rs: &RopSession, slots: &Slots, q: &GetPerUserGuidRequest) -> RopResult {
    let logon = logon_in(rs, slots, q.input_handle_index)?;
    if !logon.private {
        return Err(codes::MAPI_E_NO_SUPPORT);
    }
    Err(codes::MAPI_E_NOT_FOUND)
}
