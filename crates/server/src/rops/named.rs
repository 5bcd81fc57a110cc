//! Named-property ROPs (MS-OXCPRPT 3.2.5.8 RopGetPropertyIdsFromNames, 3.2.5.9
//! RopGetNamesFromPropertyIds, 3.2.5.10 RopQueryNamedProperties). The mapping belongs to the
//! store the object was opened from (one map per mailbox or public store), so every property
//! object of a logon answers the same.

use oxmapi_core::error::codes;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::Slots;
use super::oxcprpt::target;
use super::oxcstor::store_code;
use super::{RopResult, RopSession};

/// `Flags` of RopGetPropertyIdsFromNames (MS-OXCPRPT 2.2.12.1).
pub mod id_flags {
    /// Create: register the names that have no id yet.
    pub const CREATE: u8 = 0x02;
}

/// `QueryFlags` of RopQueryNamedProperties (MS-OXCPRPT 2.2.9.1).
pub mod query_flags {
    /// NoStrings: leave out MNID_STRING names.
    pub const NO_STRINGS: u8 = 0x01;
    /// NoIds: leave out MNID_ID names.
    pub const NO_IDS: u8 = 0x02;
}

/// RopGetPropertyIdsFromNames (MS-OXCPRPT 3.2.5.8): the id of each name in request order, 0 for
/// a name that cannot be mapped (not registered and Create not set, a PS_MAPI string name,
/// the id range used up); when any is 0 the ReturnValue is ecWarnWithErrors (0x00040380) and the
/// ids follow as on success. PropertyNameCount 0 lists every registered id (2.2.12.2).
pub fn get_property_ids_from_names(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetPropertyIdsFromNamesRequest,
) -> RopResult {
    let t = target(rs, slots, q.input_handle_index)?;
    let store = &t.logon().store;
    let property_ids = if q.property_names.is_empty() {
        store.all_named_ids()
    } else {
        store.ids_from_names(&q.property_names, q.flags & id_flags::CREATE != 0)
    }
    .map_err(store_code)?;
    let mut out = Outcome::ok(q.input_handle_index, GetPropertyIdsFromNamesResponse { property_ids });
    if out.body.as_ref().is_some_and(|b| b.property_ids.contains(&0)) {
        out.return_value = codes::MAPI_W_ERRORS_RETURNED.0;
    }
    Ok(RopResponse::GetPropertyIdsFromNames(out))
}

/// RopGetNamesFromPropertyIds (MS-OXCPRPT 3.2.5.9): the name of each id; ids below 0x8000 are
/// PS_MAPI names with the id as LID, unknown ids Kind 0xFF.
pub fn get_names_from_property_ids(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &GetNamesFromPropertyIdsRequest,
) -> RopResult {
    let t = target(rs, slots, q.input_handle_index)?;
    let property_names = t.logon().store.names_from_ids(&q.property_ids).map_err(store_code)?;
    Ok(RopResponse::GetNamesFromPropertyIds(Outcome::ok(
        q.input_handle_index,
        GetNamesFromPropertyIdsResponse { property_names },
    )))
}

/// RopQueryNamedProperties (MS-OXCPRPT 3.2.5.10): the registered names, filtered by `QueryFlags`
/// and the optional `PropertyGuid`.
pub fn query_named_properties(
    rs: &mut RopSession,
    slots: &mut Slots,
    q: &QueryNamedPropertiesRequest,
) -> RopResult {
    let t = target(rs, slots, q.input_handle_index)?;
    let properties = t
        .logon()
        .store
        .query_named(
            q.property_guid,
            q.query_flags & query_flags::NO_STRINGS != 0,
            q.query_flags & query_flags::NO_IDS != 0,
        )
        .map_err(store_code)?;
    Ok(RopResponse::QueryNamedProperties(Outcome::ok(
        q.input_handle_index,
        QueryNamedPropertiesResponse { properties },
    )))
}
