//! Property ROPs (MS-OXCPRPT 3.2.5) on the objects this server opens.

use oxmapi_core::ErrorCode;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::rop::outcome::{Outcome, Rows};
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::response::RopResponse;

use super::handles::{ServerObject, Slots};
use super::oxcstor::store_code;
use super::props::{all_values, specific_row};
use super::{RopResult, RopSession, object};

/// Every property of the object in slot `index`.
fn properties(rs: &RopSession, slots: &Slots, index: u8) -> Result<Vec<TaggedValue>, ErrorCode> {
    match object(rs, slots, index)? {
        ServerObject::Logon(l) => l.store.store_properties().map_err(store_code),
        ServerObject::Folder(f) => f.logon.store.folder_properties(f.fid).map_err(store_code),
        _ => Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT),
    }
}

/// RopGetPropertiesSpecific (MS-OXCPRPT 3.2.5.1).
pub fn get_properties_specific(
    rs: &RopSession,
    slots: &Slots,
    q: &GetPropertiesSpecificRequest,
) -> RopResult {
    let values = properties(rs, slots, q.input_handle_index)?;
    let row = specific_row(&values, &q.property_tags, q.property_size_limit, q.want_unicode != 0);
    let rows = Rows::Decoded { columns: q.property_tags.clone(), rows: vec![row] };
    Ok(RopResponse::GetPropertiesSpecific(Outcome::ok(
        q.input_handle_index,
        GetPropertiesSpecificResponse { row: rows },
    )))
}

/// RopGetPropertiesAll (MS-OXCPRPT 3.2.5.2).
pub fn get_properties_all(rs: &RopSession, slots: &Slots, q: &GetPropertiesAllRequest) -> RopResult {
    let values = properties(rs, slots, q.input_handle_index)?;
    let property_values = all_values(&values, q.property_size_limit, q.want_unicode != 0);
    Ok(RopResponse::GetPropertiesAll(Outcome::ok(
        q.input_handle_index,
        GetPropertiesAllResponse { property_values },
    )))
}

/// RopGetPropertiesList (MS-OXCPRPT 3.2.5.3).
pub fn get_properties_list(rs: &RopSession, slots: &Slots, q: &HandleRequest) -> RopResult {
    let values = properties(rs, slots, q.input_handle_index)?;
    let property_tags = values.iter().map(|v| v.tag).collect();
    Ok(RopResponse::GetPropertiesList(Outcome::ok(
        q.input_handle_index,
        PropertyTagsResponse { property_tags },
    )))
}

/// RopSetProperties / RopSetPropertiesNoReplicate (MS-OXCPRPT 3.2.5.4–3.2.5.5).
pub fn set_properties(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &SetPropertiesRequest,
    _no_replicate: bool,
) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopDeleteProperties / RopDeletePropertiesNoReplicate (MS-OXCPRPT 3.2.5.6–3.2.5.7).
pub fn delete_properties(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &DeletePropertiesRequest,
    _no_replicate: bool,
) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopCopyProperties (MS-OXCPRPT 3.2.5.10).
pub fn copy_properties(_rs: &mut RopSession, _slots: &mut Slots, _q: &CopyPropertiesRequest) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopCopyTo (MS-OXCPRPT 3.2.5.11).
pub fn copy_to(_rs: &mut RopSession, _slots: &mut Slots, _q: &CopyToRequest) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopGetPropertyIdsFromNames (MS-OXCPRPT 3.2.5.8).
pub fn get_property_ids_from_names(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &GetPropertyIdsFromNamesRequest,
) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopGetNamesFromPropertyIds (MS-OXCPRPT 3.2.5.9).
pub fn get_names_from_property_ids(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &GetNamesFromPropertyIdsRequest,
) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}

/// RopQueryNamedProperties (MS-OXCPRPT 3.2.5.12).
pub fn query_named_properties(
    _rs: &mut RopSession,
    _slots: &mut Slots,
    _q: &QueryNamedPropertiesRequest,
) -> RopResult {
    Err(oxmapi_core::error::codes::MAPI_E_NO_SUPPORT)
}
