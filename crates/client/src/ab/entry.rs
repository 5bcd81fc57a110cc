//! Mail users opened from the address book (IMailUser; MS-OXOABK 2.2): a directory object read
//! with NSPI GetProps (MS-OXNSPI 3.1.4.1.7), or a one-off entry whose properties come from its
//! entry ID (MS-OXCDATA 2.2.5.1).

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{display_type::DT_MAILUSER, object_type::MAPI_MAILUSER};
use oxmapi_core::entryid::{EntryId, OneOffEntryId};
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::nspi::{AddressBookPropertyValueList, CP_WINUNICODE, Stat};

use super::link::base_stat;
use crate::profile::MapiResult;
use crate::session::Session;

/// A mail user: its properties as read when it was opened.
#[derive(Clone, Debug, PartialEq)]
pub struct MailUser {
    mid: Option<u32>,
    props: Vec<TaggedValue>,
}

/// The present values of an NSPI property list; PtypErrorCode cells and absent values are
/// left out.
pub(crate) fn present(list: AddressBookPropertyValueList) -> Vec<TaggedValue> {
    list.into_iter()
        .filter(|v| v.tag.prop_type().ok() != Some(PropType::ErrorCode))
        .filter_map(|v| v.value.map(|value| TaggedValue { tag: v.tag, value }))
        .collect()
}

/// The value of `tag` in a property list, matched by property id (either string width).
pub(crate) fn find(props: &[TaggedValue], tag: PropTag) -> Option<&PropValue> {
    props.iter().find(|v| v.tag.id() == tag.id()).map(|v| &v.value)
}

/// The properties of a one-off address as the address book presents it.
pub(crate) fn one_off_props(o: &OneOffEntryId) -> Vec<TaggedValue> {
    let text = |s: &str| PropValue::Unicode(s.to_string());
    let entry_id = EntryId::OneOff(o.clone()).to_bytes();
    let mut search_key = format!("{}:{}", o.address_type, o.email_address).to_ascii_uppercase().into_bytes();
    search_key.push(0);
    let mut v = vec![
        TaggedValue { tag: PR_DISPLAY_NAME, value: text(&o.display_name) },
        TaggedValue { tag: PR_TRANSMITABLE_DISPLAY_NAME, value: text(&o.display_name) },
        TaggedValue { tag: PR_ADDRTYPE, value: text(&o.address_type) },
        TaggedValue { tag: PR_EMAIL_ADDRESS, value: text(&o.email_address) },
        TaggedValue { tag: PR_ENTRYID, value: PropValue::Binary(entry_id.clone()) },
        TaggedValue { tag: PR_RECORD_KEY, value: PropValue::Binary(entry_id) },
        TaggedValue { tag: PR_SEARCH_KEY, value: PropValue::Binary(search_key) },
        TaggedValue { tag: PR_OBJECT_TYPE, value: PropValue::I32(MAPI_MAILUSER as i32) },
        TaggedValue { tag: PR_DISPLAY_TYPE, value: PropValue::I32(DT_MAILUSER as i32) },
        TaggedValue { tag: PR_SEND_RICH_INFO, value: PropValue::Bool(false) },
    ];
    if o.address_type.eq_ignore_ascii_case("SMTP") {
        v.push(TaggedValue { tag: PR_SMTP_ADDRESS, value: text(&o.email_address) });
    }
    v
}

impl MailUser {
    /// Reads every property of directory object `mid` (GetProps without tags, Unicode).
    pub(crate) fn open(session: &Session, mid: u32) -> MapiResult<MailUser> {
        let stat = Stat { current_rec: mid, code_page: CP_WINUNICODE, ..base_stat(0) };
        let c = session.with_ab(|l| l.call("GetProps", &[], async |c| c.get_props(0, stat, None).await))?;
        let props = present(c.body.unwrap_or_default());
        if props.is_empty() {
            return Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("the address book has no entry with MId 0x{mid:08X} (it may have been deleted)"),
            ));
        }
        Ok(MailUser { mid: Some(mid), props })
    }

    /// A mail user for a one-off entry ID.
    pub(crate) fn one_off(o: &OneOffEntryId) -> MailUser {
        MailUser { mid: None, props: one_off_props(o) }
    }

    /// The object's MId in the directory (None for a one-off).
    pub fn mid(&self) -> Option<u32> {
        self.mid
    }

    /// True for a one-off entry (an address outside the directory).
    pub fn is_one_off(&self) -> bool {
        self.mid.is_none()
    }

    /// IMAPIProp::GetProps: the value of each tag (matched by property id; a string tag of
    /// either width matches), `None` where the entry has no such property.
    pub fn get_props(&self, tags: &[PropTag]) -> Vec<Option<PropValue>> {
        tags.iter().map(|t| self.get(*t).cloned()).collect()
    }

    /// The value of one property.
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        find(&self.props, tag)
    }

    /// IMAPIProp::GetProps with no tags: every property.
    pub fn get_all_props(&self) -> &[TaggedValue] {
        &self.props
    }

    fn text(&self, tag: PropTag) -> Option<&str> {
        match self.get(tag) {
            Some(PropValue::Unicode(s)) => Some(s),
            _ => None,
        }
    }

    /// PR_DISPLAY_NAME.
    pub fn display_name(&self) -> &str {
        self.text(PR_DISPLAY_NAME).unwrap_or("")
    }

    /// PR_SMTP_ADDRESS, when the entry has one.
    pub fn smtp_address(&self) -> Option<&str> {
        self.text(PR_SMTP_ADDRESS)
    }

    /// PR_ADDRTYPE and PR_EMAIL_ADDRESS (`EX` and the legacy DN for directory objects).
    pub fn address(&self) -> (&str, &str) {
        (self.text(PR_ADDRTYPE).unwrap_or(""), self.text(PR_EMAIL_ADDRESS).unwrap_or(""))
    }

    /// PR_ENTRYID (permanent for directory objects).
    pub fn entry_id(&self) -> Option<&[u8]> {
        match self.get(PR_ENTRYID) {
            Some(PropValue::Binary(b)) => Some(b),
            _ => None,
        }
    }
}
