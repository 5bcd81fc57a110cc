//! The object methods (MS-OXNSPI 3.1.4.1.6 GetPropList, 3.1.4.1.7 GetProps, 3.1.4.1.5
//! CompareMIds, 3.1.4.1.13 QueryColumns, 3.1.4.1.12 ModProps, 3.1.4.1.15 ModLinkAtt). The address
//! book is read-only over NSPI (the directory is administered with `oxmapi admin`): ModProps and
//! ModLinkAtt check their request, then answer NotSupported.

use oxmapi_core::ErrorCode;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::mapihttp::nspi::*;

use super::entry::{self, AbObject, OPTIONAL_COLUMNS, USER_PROPS, string_width};
use super::tables::{Table, check_code_page, check_container};
use super::{Ctx, codepage};

/// A code page a method with its own string-width rule accepts: CP_WINUNICODE or a known 8-bit
/// one (else InvalidCodepage).
fn check_any_code_page(cp: u32) -> Result<(), ErrorCode> {
    if cp == CP_WINUNICODE || codepage::is_supported(cp) { Ok(()) } else { Err(codes::MAPI_E_UNKNOWN_CPID) }
}

/// MS-OXNSPI 3.1.4.1.7 NspiGetProps: the properties of the object at CurrentRec. Asked-for
/// properties the object lacks come back as PtypErrorCode values with ErrorCode ErrorsReturned
/// (an MId naming no object, MID_CURRENT included, behaves as an object without properties);
/// without a tag list every property the object has is returned (strings as PtypString when the
/// code page is CP_WINUNICODE, else PtypString8).
pub fn get_props(cx: &Ctx<'_>, q: &GetPropsRequest) -> Result<GetPropsSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_any_code_page(stat.code_page)?;
    check_container(&stat)?;
    let render = cx.render(stat.code_page, q.flags & F_EPH_ID != 0);
    let table = Table::load(cx)?;
    let user = table.user(cx, stat.current_rec);
    let obj = user.as_ref().map(|user| AbObject { mid: stat.current_rec, user });
    let (values, error_code) = match &q.property_tags {
        Some(tags) => {
            let mut errors = false;
            let values = tags
                .iter()
                .map(|&t| {
                    let v = obj.map_or(Err(codes::MAPI_E_NOT_FOUND.0), |o| o.value(&render, t));
                    errors |= v.is_err();
                    entry::tagged(t, v)
                })
                .collect();
            (values, if errors { codes::MAPI_W_ERRORS_RETURNED.0 } else { 0 })
        }
        None => {
            let unicode = stat.code_page == CP_WINUNICODE;
            let values = obj
                .map(|o| {
                    o.prop_list(&render, unicode)
                        .into_iter()
                        .map(|t| entry::tagged(t, o.value(&render, t)))
                        .collect()
                })
                .unwrap_or_default();
            (values, 0)
        }
    };
    Ok(GetPropsSuccess {
        error_code,
        code_page: stat.code_page,
        property_values: Some(values),
        auxiliary_buffer: vec![],
    })
}

/// MS-OXNSPI 3.1.4.1.6 NspiGetPropList: the tags of the properties the object has, strings as
/// PtypString when CodePage is CP_WINUNICODE, else PtypString8. An MId naming no object is
/// InvalidObject.
pub fn get_prop_list(cx: &Ctx<'_>, q: &GetPropListRequest) -> Result<GetPropListSuccess, ErrorCode> {
    check_any_code_page(q.code_page)?;
    let table = Table::load(cx)?;
    let user = table.user(cx, q.minimal_id).ok_or(codes::MAPI_E_INVALID_OBJECT)?;
    let render = cx.render(q.code_page, false);
    let tags = AbObject { mid: q.minimal_id, user: &user }.prop_list(&render, q.code_page == CP_WINUNICODE);
    Ok(GetPropListSuccess { error_code: 0, property_tags: Some(tags), auxiliary_buffer: vec![] })
}

/// MS-OXNSPI 3.1.4.1.13 NspiQueryColumns: every property the address book knows of, strings as
/// PtypString with NspiUnicodeProptypes, else PtypString8.
pub fn query_columns(q: &QueryColumnsRequest) -> Result<QueryColumnsSuccess, ErrorCode> {
    let unicode = q.mapi_flags & NSPI_UNICODE_PROPTYPES != 0;
    let columns: Vec<PropTag> =
        USER_PROPS.iter().chain(OPTIONAL_COLUMNS).map(|&t| string_width(t, unicode)).collect();
    Ok(QueryColumnsSuccess { error_code: 0, columns: Some(columns), auxiliary_buffer: vec![] })
}

/// MS-OXNSPI 3.1.4.1.5 NspiCompareMIds: the order of two rows of the GAL (`Result` < 0 when
/// MinimalId1 comes first). An MId that is not a row is GeneralFailure.
pub fn compare_mids(cx: &Ctx<'_>, q: &CompareMIdsRequest) -> Result<CompareMIdsSuccess, ErrorCode> {
    if let Some(stat) = &q.state {
        check_code_page(stat)?;
        check_container(stat)?;
    }
    let table = Table::load(cx)?;
    let (Some(a), Some(b)) = (table.position(q.minimal_id1), table.position(q.minimal_id2)) else {
        return Err(codes::MAPI_E_CALL_FAILED);
    };
    let result = (a as i64 - b as i64).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    Ok(CompareMIdsSuccess { error_code: 0, result, auxiliary_buffer: vec![] })
}

/// MS-OXNSPI 3.1.4.1.12 NspiModProps: checked (a STAT with an 8-bit code page, values, an
/// object at CurrentRec — else InvalidParameter), then refused with NotSupported.
pub fn mod_props(cx: &Ctx<'_>, q: &ModPropsRequest) -> Result<ModPropsSuccess, ErrorCode> {
    let stat = q.state.ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    check_code_page(&stat)?;
    q.property_values.as_ref().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    Table::load(cx)?.user(cx, stat.current_rec).ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    Err(codes::MAPI_E_NO_SUPPORT)
}

/// MS-OXNSPI 3.1.4.1.15 NspiModLinkAtt: an MId naming no object is InvalidParameter (constraint
/// 4); otherwise NotSupported (the directory holds no link attributes).
pub fn mod_link_att(cx: &Ctx<'_>, q: &ModLinkAttRequest) -> Result<ModLinkAttSuccess, ErrorCode> {
    Table::load(cx)?.user(cx, q.minimal_id).ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    q.entry_ids.as_ref().ok_or(codes::MAPI_E_INVALID_PARAMETER)?;
    Err(codes::MAPI_E_NO_SUPPORT)
}
