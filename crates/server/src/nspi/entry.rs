//! The properties of an address book object as the NSPI methods return them: a directory user
//! seen as a mail user (MS-OXOABK 2.2.3; MS-OXNSPI 2.2.9 entry IDs), with string values in the
//! width the request asks for (PtypString, or PtypString8 in the STAT's code page) and
//! PtypErrorCode cells for properties the object does not have.

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{display_type::DT_MAILUSER, object_type::MAPI_MAILUSER};
use oxmapi_core::entryid::{AbEphemeralEntryId, AbPermanentEntryId, EPHEMERAL_ID_TYPE, EntryId};
use oxmapi_core::error::codes::MAPI_E_NOT_FOUND;
use oxmapi_core::guid::{GUID_NSPI, Guid};
use oxmapi_core::ptype::{MV_INSTANCE, PropType};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_store::User;
use oxmapi_wire::cdata::{PropertyRow, RowValue};
use oxmapi_wire::mapihttp::nspi::{AddressBookTaggedPropertyValue, CP_WINUNICODE};

use super::codepage;

/// PidTagDisplayTypeEx of a mailbox user: DT_MAILUSER with DTE_FLAG_ACL_CAPABLE (MS-OXOABK
/// 2.2.3.11).
pub const DISPLAY_TYPE_EX_MAILUSER: i32 = 0x4000_0000;

/// The properties a mail user has, with their canonical (Unicode) tags, in the order
/// GetPropList and GetProps-without-tags list them.
pub const USER_PROPS: &[PropTag] = &[
    PR_DISPLAY_NAME,
    PR_ADDRTYPE,
    PR_EMAIL_ADDRESS,
    PR_EMS_AB_DISPLAY_NAME_PRINTABLE,
    PR_OBJECT_TYPE,
    PR_DISPLAY_TYPE,
    PR_DISPLAY_TYPE_EX,
    PR_ENTRYID,
    PR_RECORD_KEY,
    PR_ORIGINAL_ENTRYID,
    PR_SEARCH_KEY,
    PR_INSTANCE_KEY,
    PR_MAPPING_SIGNATURE,
    PR_SEND_RICH_INFO,
    PR_TEMPLATEID,
    PR_EMS_AB_OBJECT_GUID,
    PR_SMTP_ADDRESS,
    PR_ACCOUNT,
    PR_TRANSMITABLE_DISPLAY_NAME,
    PR_EMS_AB_PROXY_ADDRESSES,
    PR_EMS_AB_HOME_MDB,
    PR_EMS_AB_CONTAINERID,
];

/// Columns clients show in address book views that the directory does not fill (QueryColumns
/// lists them; reading them gives NotFound cells).
pub const OPTIONAL_COLUMNS: &[PropTag] = &[
    PR_TITLE,
    PR_COMPANY_NAME,
    PR_DEPARTMENT_NAME,
    PR_OFFICE_LOCATION,
    PR_PRIMARY_TELEPHONE_NUMBER,
    PR_BUSINESS_TELEPHONE_NUMBER,
    PR_MOBILE_TELEPHONE_NUMBER,
];

/// Property ids of [`USER_PROPS`], as match patterns.
mod ids {
    use super::*;
    pub const DISPLAY_NAME: u16 = PR_DISPLAY_NAME.id();
    pub const TRANSMITABLE_DISPLAY_NAME: u16 = PR_TRANSMITABLE_DISPLAY_NAME.id();
    pub const DISPLAY_NAME_PRINTABLE: u16 = PR_EMS_AB_DISPLAY_NAME_PRINTABLE.id();
    pub const ACCOUNT: u16 = PR_ACCOUNT.id();
    pub const EMAIL_ADDRESS: u16 = PR_EMAIL_ADDRESS.id();
    pub const ADDRTYPE: u16 = PR_ADDRTYPE.id();
    pub const SMTP_ADDRESS: u16 = PR_SMTP_ADDRESS.id();
    pub const PROXY_ADDRESSES: u16 = PR_EMS_AB_PROXY_ADDRESSES.id();
    pub const HOME_MDB: u16 = PR_EMS_AB_HOME_MDB.id();
    pub const OBJECT_TYPE: u16 = PR_OBJECT_TYPE.id();
    pub const DISPLAY_TYPE: u16 = PR_DISPLAY_TYPE.id();
    pub const DISPLAY_TYPE_EX: u16 = PR_DISPLAY_TYPE_EX.id();
    pub const ENTRYID: u16 = PR_ENTRYID.id();
    pub const RECORD_KEY: u16 = PR_RECORD_KEY.id();
    pub const ORIGINAL_ENTRYID: u16 = PR_ORIGINAL_ENTRYID.id();
    pub const TEMPLATEID: u16 = PR_TEMPLATEID.id();
    pub const SEARCH_KEY: u16 = PR_SEARCH_KEY.id();
    pub const INSTANCE_KEY: u16 = PR_INSTANCE_KEY.id();
    pub const MAPPING_SIGNATURE: u16 = PR_MAPPING_SIGNATURE.id();
    pub const SEND_RICH_INFO: u16 = PR_SEND_RICH_INFO.id();
    pub const OBJECT_GUID: u16 = PR_EMS_AB_OBJECT_GUID.id();
    pub const CONTAINER_ID: u16 = PR_EMS_AB_CONTAINERID.id();
}

/// How values are rendered for one request.
#[derive(Clone, Copy, Debug)]
pub struct Render<'a> {
    /// Code page of PtypString8 values.
    pub code_page: u32,
    /// PR_ENTRYID and PR_RECORD_KEY as ephemeral entry IDs (`fEphID`).
    pub ephemeral: bool,
    /// The NSPI server GUID (ephemeral entry IDs).
    pub server_guid: Guid,
    /// The server's name (PR_EMS_AB_HOME_MDB).
    pub server_name: &'a str,
}

/// An address book object: a directory user and its MId.
#[derive(Clone, Copy, Debug)]
pub struct AbObject<'a> {
    /// Minimal Entry ID.
    pub mid: u32,
    /// The user.
    pub user: &'a User,
}

/// The permanent entry ID of a mail user (MS-OXNSPI 2.2.9.3).
pub fn permanent_entry_id(dn: &str) -> Vec<u8> {
    EntryId::AbPermanent(AbPermanentEntryId {
        flags: 0,
        version: 1,
        display_type: DT_MAILUSER,
        dn: dn.into(),
    })
    .to_bytes()
}

/// The ephemeral entry ID of an object (MS-OXNSPI 2.2.9.2).
pub fn ephemeral_entry_id(server_guid: Guid, mid: u32, display_type: u32) -> Vec<u8> {
    EntryId::AbEphemeral(AbEphemeralEntryId {
        flags: u32::from(EPHEMERAL_ID_TYPE),
        server_guid,
        version: 1,
        display_type,
        mid,
    })
    .to_bytes()
}

/// The DN prefix of the user's organization (`/o=…/ou=…`), from the legacy DN.
pub(crate) fn org_prefix(dn: &str) -> &str {
    dn.rsplit_once("/cn=Recipients").map(|(p, _)| p).unwrap_or(dn)
}

impl AbObject<'_> {
    /// The value of property `id` in its natural type, `None` when the object has none.
    pub fn natural(&self, r: &Render<'_>, id: u16) -> Option<PropValue> {
        use ids::*;
        let u = self.user;
        let text = |s: &str| PropValue::Unicode(s.to_string());
        Some(match id {
            DISPLAY_NAME | TRANSMITABLE_DISPLAY_NAME => text(&u.display_name),
            DISPLAY_NAME_PRINTABLE | ACCOUNT => text(&u.name),
            EMAIL_ADDRESS => text(&u.legacy_dn),
            ADDRTYPE => text("EX"),
            SMTP_ADDRESS => text(&u.smtp_address),
            PROXY_ADDRESSES => PropValue::MvUnicode(vec![format!("SMTP:{}", u.smtp_address)]),
            HOME_MDB => PropValue::Unicode(format!(
                "{}/cn=Configuration/cn=Servers/cn={}/cn=Microsoft Private MDB",
                org_prefix(&u.legacy_dn),
                r.server_name
            )),
            OBJECT_TYPE => PropValue::I32(MAPI_MAILUSER as i32),
            DISPLAY_TYPE => PropValue::I32(DT_MAILUSER as i32),
            DISPLAY_TYPE_EX => PropValue::I32(DISPLAY_TYPE_EX_MAILUSER),
            ENTRYID | RECORD_KEY if r.ephemeral => {
                PropValue::Binary(ephemeral_entry_id(r.server_guid, self.mid, DT_MAILUSER))
            }
            ENTRYID | RECORD_KEY | ORIGINAL_ENTRYID | TEMPLATEID => {
                PropValue::Binary(permanent_entry_id(&u.legacy_dn))
            }
            SEARCH_KEY => {
                let mut k = format!("EX:{}", u.legacy_dn).to_ascii_uppercase().into_bytes();
                k.push(0);
                PropValue::Binary(k)
            }
            INSTANCE_KEY => PropValue::Binary(self.mid.to_le_bytes().to_vec()),
            MAPPING_SIGNATURE => PropValue::Binary(GUID_NSPI.0.to_vec()),
            SEND_RICH_INFO => PropValue::Bool(true),
            OBJECT_GUID => PropValue::Binary(u.mailbox_guid.0.to_vec()),
            CONTAINER_ID => PropValue::I32(0),
            _ => return None,
        })
    }

    /// The value for `tag` in the type the tag asks for, or the error code of its cell.
    pub fn value(&self, r: &Render<'_>, tag: PropTag) -> Result<PropValue, u32> {
        self.natural(r, tag.id())
            .and_then(|v| in_type(v, tag.raw_type(), r.code_page))
            .ok_or(MAPI_E_NOT_FOUND.0)
    }

    /// The tags of the properties the object has, strings typed PtypString when `unicode`,
    /// PtypString8 otherwise (GetPropList).
    pub fn prop_list(&self, r: &Render<'_>, unicode: bool) -> Vec<PropTag> {
        USER_PROPS
            .iter()
            .filter(|t| self.natural(r, t.id()).is_some())
            .map(|&t| string_width(t, unicode))
            .collect()
    }

    /// The object as a property bag for restrictions, in natural types, with PR_ANR holding the
    /// ambiguous-name-resolution keys (display name and its words, account, SMTP address).
    pub fn bag(&self, r: &Render<'_>) -> PropBag {
        let mut b = PropBag::new();
        for t in USER_PROPS {
            if let Some(v) = self.natural(r, t.id()) {
                b.set(*t, v);
            }
        }
        let u = self.user;
        let mut keys = vec![u.display_name.clone(), u.name.clone(), u.smtp_address.clone()];
        keys.extend(u.display_name.split_whitespace().map(str::to_string));
        b.set(PR_ANR.with_type(PropType::MultipleString), PropValue::MvUnicode(keys));
        b
    }
}

/// The tag with its string type switched to PtypString (`unicode`) or PtypString8.
pub fn string_width(t: PropTag, unicode: bool) -> PropTag {
    match t.prop_type() {
        Ok(PropType::String | PropType::String8) => {
            t.with_type(if unicode { PropType::String } else { PropType::String8 })
        }
        Ok(PropType::MultipleString | PropType::MultipleString8) => {
            t.with_type(if unicode { PropType::MultipleString } else { PropType::MultipleString8 })
        }
        _ => t,
    }
}

/// `v` in the type `requested`: strings convert between PtypString and PtypString8 (code page
/// `cp`), PtypUnspecified takes the natural type (strings as PtypString), anything else must
/// match. `None` when it cannot be given in that type.
fn in_type(v: PropValue, requested: u16, cp: u32) -> Option<PropValue> {
    if requested == PropType::Unspecified.code() {
        return Some(v);
    }
    if requested & MV_INSTANCE != 0 {
        return None;
    }
    let ty = PropType::try_from(requested).ok()?;
    let cp = if cp == CP_WINUNICODE { codepage::CP_WINDOWS_1252 } else { cp };
    match (v, ty) {
        (PropValue::Unicode(s), PropType::String8) => Some(PropValue::String8(codepage::encode(&s, cp))),
        (PropValue::MvUnicode(v), PropType::MultipleString8) => {
            Some(PropValue::MvString8(v.iter().map(|s| codepage::encode(s, cp)).collect()))
        }
        (v, ty) if v.prop_type() == ty => Some(v),
        _ => None,
    }
}

/// The PtypErrorCode cell of a column whose value is missing.
pub fn error_cell(tag: PropTag, code: u32) -> RowValue {
    let ty = if tag.raw_type() == PropType::Unspecified.code() {
        PropType::ErrorCode.code()
    } else {
        tag.raw_type()
    };
    RowValue::Error { ty, code }
}

/// A row of `columns` for `obj` (MS-OXCMAPIHTTP 2.2.1.7); `None` gives a row of NotFound cells
/// (an MId that names no object).
pub fn row(r: &Render<'_>, obj: Option<&AbObject<'_>>, columns: &[PropTag]) -> PropertyRow {
    PropertyRow::new(
        columns
            .iter()
            .map(|&t| match obj.map(|o| o.value(r, t)) {
                Some(Ok(v)) => RowValue::Value(v),
                Some(Err(code)) => error_cell(t, code),
                None => error_cell(t, MAPI_E_NOT_FOUND.0),
            })
            .collect(),
    )
}

/// A tagged value for a property list; a missing value becomes the tag with type PtypErrorCode
/// and the error code (MS-OXNSPI 3.1.4.1.7 constraint 12).
pub fn tagged(tag: PropTag, value: Result<PropValue, u32>) -> AddressBookTaggedPropertyValue {
    match value {
        Ok(v) => AddressBookTaggedPropertyValue::new(tag, v),
        Err(code) => {
            AddressBookTaggedPropertyValue::new(tag.with_type(PropType::ErrorCode), PropValue::Error(code))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            id: 5,
            name: "zoe".into(),
            display_name: "Zoë Zimmer".into(),
            smtp_address: "zoe@example.test".into(),
            legacy_dn: "/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=zoe"
                .into(),
            mailbox_guid: Guid([7; 16]),
            enabled: true,
            hidden: false,
            admin: false,
        }
    }

    #[test]
    fn values_follow_the_requested_type() {
        let u = user();
        let o = AbObject { mid: 0x1005, user: &u };
        let r = Render { code_page: 1252, ephemeral: false, server_guid: Guid([9; 16]), server_name: "mx" };
        assert_eq!(o.value(&r, PR_DISPLAY_NAME), Ok(PropValue::Unicode("Zoë Zimmer".into())));
        assert_eq!(
            o.value(&r, PR_DISPLAY_NAME.with_type(PropType::String8)),
            Ok(PropValue::String8(b"Zo\xEB Zimmer".to_vec()))
        );
        assert_eq!(o.value(&r, PR_DISPLAY_NAME.with_type(PropType::Integer32)), Err(MAPI_E_NOT_FOUND.0));
        assert_eq!(o.value(&r, PR_TITLE), Err(MAPI_E_NOT_FOUND.0));
        let Ok(PropValue::Binary(sk)) = o.value(&r, PR_SEARCH_KEY) else { panic!() };
        assert!(sk.starts_with(b"EX:/O=ORG/OU=") && sk.ends_with(b"/CN=ZOE\0"));
        let Ok(PropValue::Binary(eid)) = o.value(&r, PR_ENTRYID) else { panic!() };
        assert!(matches!(EntryId::parse(&eid).unwrap(), EntryId::AbPermanent(p) if p.dn == u.legacy_dn));
        let eph = Render { ephemeral: true, ..r };
        let Ok(PropValue::Binary(eid)) = o.value(&eph, PR_ENTRYID) else { panic!() };
        assert!(
            matches!(EntryId::parse(&eid).unwrap(), EntryId::AbEphemeral(e) if e.mid == 0x1005 && e.server_guid == Guid([9; 16]))
        );
        assert_eq!(
            o.value(&r, PR_EMS_AB_PROXY_ADDRESSES.with_type(PropType::MultipleString8)),
            Ok(PropValue::MvString8(vec![b"SMTP:zoe@example.test".to_vec()]))
        );
        assert_eq!(o.value(&r, PR_EMS_AB_HOME_MDB).unwrap(), PropValue::String8(
            b"/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=mx/cn=Microsoft Private MDB".to_vec()
        ));
        assert!(o.prop_list(&r, false).contains(&PR_DISPLAY_NAME.with_type(PropType::String8)));
        assert!(o.prop_list(&r, true).contains(&PR_SMTP_ADDRESS));
    }
}
