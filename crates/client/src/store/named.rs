//! Named properties (MS-OXCPRPT 3.1.4.1): GetIDsFromNames and GetNamesFromIDs on the logon.
//! The mapping is per store.

use oxmapi_core::named::PropertyName;
use oxmapi_wire::rop::oxcprpt::{GetNamesFromPropertyIdsRequest, GetPropertyIdsFromNamesRequest};
use oxmapi_wire::rop::request::RopRequest;

use super::MsgStore;
use super::batch::expect_rop;
use crate::profile::MapiResult;

/// RopGetPropertyIdsFromNames `Flags` Create (MS-OXCPRPT 2.2.12.1): map unknown names.
const MAPI_CREATE: u8 = 0x02;

impl MsgStore {
    /// IMAPIProp::GetIDsFromNames: the property id of each name (0 where the name is not mapped
    /// and `create` is false).
    pub fn get_ids_from_names(&self, names: &[PropertyName], create: bool) -> MapiResult<Vec<u16>> {
        let logon_id = self.link.logon_id;
        let mut c = self.link.call(None, |b, logon| {
            let input_handle_index = b.input(logon);
            Ok(b.push(RopRequest::GetPropertyIdsFromNames(GetPropertyIdsFromNamesRequest {
                logon_id,
                input_handle_index,
                flags: if create { MAPI_CREATE } else { 0 },
                property_names: names.to_vec(),
            })))
        })?;
        match c.result.take(c.value)? {
            // ecWarnWithErrors: some names are unmapped (their ids are 0).
            oxmapi_wire::rop::response::RopResponse::GetPropertyIdsFromNames(o)
                if o.return_value == oxmapi_core::error::codes::MAPI_W_ERRORS_RETURNED.0 =>
            {
                Ok(o.body.map(|b| b.property_ids).unwrap_or_default())
            }
            r => Ok(expect_rop!(r, GetPropertyIdsFromNames)?.property_ids),
        }
    }

    /// IMAPIProp::GetNamesFromIDs: the name of each id (`None` where the id is not mapped).
    pub fn get_names_from_ids(&self, ids: &[u16]) -> MapiResult<Vec<Option<PropertyName>>> {
        let logon_id = self.link.logon_id;
        let mut c = self.link.call(None, |b, logon| {
            let input_handle_index = b.input(logon);
            Ok(b.push(RopRequest::GetNamesFromPropertyIds(GetNamesFromPropertyIdsRequest {
                logon_id,
                input_handle_index,
                property_ids: ids.to_vec(),
            })))
        })?;
        Ok(expect_rop!(c.result.take(c.value)?, GetNamesFromPropertyIds)?.property_names)
    }
}
