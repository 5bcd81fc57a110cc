//! The hierarchy, templates and endpoint URLs (MS-OXNSPI 3.1.4.1.3 GetSpecialTable, 3.1.4.1.18
//! GetTemplateInfo; MS-OXCMAPIHTTP 2.2.5.18 GetMailboxUrl, 2.2.5.19 GetAddressBookUrl).

use oxmapi_core::ErrorCode;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::display_type::DT_CONTAINER;
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;
use oxmapi_wire::mapihttp::nspi::*;

use super::entry::string_width;
use super::tables::GAL_CONTAINER_ID;
use super::{Ctx, codepage};

/// Version of the address book hierarchy table: the hierarchy is one fixed container, so it
/// never changes.
pub const HIERARCHY_VERSION: u32 = 1;
/// PR_CONTAINER_FLAGS AB_RECIPIENTS: the container holds recipients.
pub const AB_RECIPIENTS: i32 = 0x0000_0001;
/// PR_CONTAINER_FLAGS AB_UNMODIFIABLE: entries cannot be added or removed.
pub const AB_UNMODIFIABLE: i32 = 0x0000_0008;
/// The display name of the GAL container.
pub const GAL_DISPLAY_NAME: &str = "Global Address List";
/// The DN in the GAL container's permanent entry ID.
pub const GAL_DN: &str = "/";

/// MS-OXNSPI 3.1.4.1.3 NspiGetSpecialTable: the address book hierarchy table — one row, the
/// GAL — unless the client already holds its version; the address creation templates table
/// (NspiAddressCreationTemplates) is empty. Strings are PtypString with NspiUnicodeStrings,
/// else PtypString8 in the STAT's code page (which may then not be CP_WINUNICODE).
pub fn get_special_table(
    cx: &Ctx<'_>,
    q: &GetSpecialTableRequest,
) -> Result<GetSpecialTableSuccess, ErrorCode> {
    let unicode = q.flags & NSPI_UNICODE_STRINGS != 0;
    let cp = q.state.map_or(cx.session.info.code_page, |s| s.code_page);
    if !(unicode && cp == CP_WINUNICODE) {
        codepage::refusal(cp).map_or(Ok(()), Err)?;
    }
    let success = |version, rows| GetSpecialTableSuccess {
        error_code: 0,
        code_page: cp,
        version,
        rows,
        auxiliary_buffer: vec![],
    };
    if q.flags & NSPI_ADDRESS_CREATION_TEMPLATES != 0 {
        return Ok(success(q.version, Some(Vec::new())));
    }
    if q.version == Some(HIERARCHY_VERSION) {
        return Ok(success(Some(HIERARCHY_VERSION), None));
    }
    let entry_id = EntryId::AbPermanent(AbPermanentEntryId {
        flags: 0,
        version: 1,
        display_type: DT_CONTAINER,
        dn: GAL_DN.into(),
    });
    let name = if unicode {
        PropValue::Unicode(GAL_DISPLAY_NAME.into())
    } else {
        PropValue::String8(codepage::encode(GAL_DISPLAY_NAME, cp))
    };
    let gal = vec![
        AddressBookTaggedPropertyValue::new(PR_ENTRYID, PropValue::Binary(entry_id.to_bytes())),
        AddressBookTaggedPropertyValue::new(
            PR_CONTAINER_FLAGS,
            PropValue::I32(AB_RECIPIENTS | AB_UNMODIFIABLE),
        ),
        AddressBookTaggedPropertyValue::new(PR_DEPTH, PropValue::I32(0)),
        AddressBookTaggedPropertyValue::new(PR_EMS_AB_CONTAINERID, PropValue::I32(GAL_CONTAINER_ID as i32)),
        AddressBookTaggedPropertyValue::new(string_width(PR_DISPLAY_NAME, unicode), name),
        AddressBookTaggedPropertyValue::new(PR_EMS_AB_IS_MASTER, PropValue::Bool(false)),
    ];
    Ok(success(Some(HIERARCHY_VERSION), Some(vec![gal])))
}

/// MS-OXNSPI 3.1.4.1.18 NspiGetTemplateInfo: the server keeps no display or addressing
/// templates, so every template is NotFound (after the code page is checked: InvalidCodepage).
pub fn get_template_info(q: &GetTemplateInfoRequest) -> Result<GetTemplateInfoSuccess, ErrorCode> {
    if q.code_page != CP_WINUNICODE && !codepage::is_supported(q.code_page) {
        return Err(codes::MAPI_E_UNKNOWN_CPID);
    }
    Err(codes::MAPI_E_NOT_FOUND)
}

/// MS-OXCMAPIHTTP 2.2.5.18 GetMailboxUrl: the mailbox endpoint URL of the bound user (the one
/// server holds every mailbox, whatever ServerDn names).
pub fn get_mailbox_url(cx: &Ctx<'_>, _q: &GetMailboxUrlRequest) -> Result<GetMailboxUrlSuccess, ErrorCode> {
    let (emsmdb, _) = crate::autodiscover::endpoint_urls(cx.state, cx.host, &cx.session.info.user);
    Ok(GetMailboxUrlSuccess { error_code: 0, server_url: emsmdb, auxiliary_buffer: vec![] })
}

/// MS-OXCMAPIHTTP 2.2.5.19 GetAddressBookUrl: the address book endpoint URL for the user with
/// legacy DN UserDn (the bound user when it is empty); an unknown DN is NotFound.
pub fn get_address_book_url(
    cx: &Ctx<'_>,
    q: &GetAddressBookUrlRequest,
) -> Result<GetAddressBookUrlSuccess, ErrorCode> {
    let user = if q.user_dn.trim().is_empty() {
        cx.session.info.user.clone()
    } else {
        cx.directory()?.user_by_dn(&q.user_dn).ok().flatten().ok_or(codes::MAPI_E_NOT_FOUND)?
    };
    let (_, nspi) = crate::autodiscover::endpoint_urls(cx.state, cx.host, &user);
    Ok(GetAddressBookUrlSuccess { error_code: 0, server_url: nspi, auxiliary_buffer: vec![] })
}
