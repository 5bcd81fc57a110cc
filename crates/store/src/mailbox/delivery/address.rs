//! The addressing properties delivery stamps on messages (MS-OXOMSG 2.2.1.x): a mailbox user as
//! sender (PR_SENDER_*), represented sender (PR_SENT_REPRESENTING_*) and receiver
//! (PR_RECEIVED_BY_*, PR_RCVD_REPRESENTING_*), each with its display name, address type "EX",
//! legacy DN, address book entry ID (MS-OXNSPI 2.2.9.3), search key (MS-OXCDATA 2.2.5.x:
//! `EX:` + the upper-case DN + NUL) and SMTP address.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::{address_type, display_type};
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use crate::directory::User;
use crate::mailbox::StoreOwner;

/// A mailbox user as an address on a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Originator {
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// The legacy DN (the "EX" address).
    pub legacy_dn: String,
    /// The primary SMTP address.
    pub smtp_address: String,
}

impl From<&User> for Originator {
    fn from(u: &User) -> Originator {
        Originator {
            display_name: u.display_name.clone(),
            legacy_dn: u.legacy_dn.clone(),
            smtp_address: u.smtp_address.clone(),
        }
    }
}

impl From<&StoreOwner> for Originator {
    fn from(o: &StoreOwner) -> Originator {
        Originator {
            display_name: o.display_name.clone(),
            legacy_dn: o.legacy_dn.clone(),
            smtp_address: o.smtp_address.clone(),
        }
    }
}

/// The six tags of one addressing role, in the order name, address type, e-mail address, entry
/// ID, search key, SMTP address.
type Role = [PropTag; 6];

const SENDER: Role = [
    PR_SENDER_NAME,
    PR_SENDER_ADDRTYPE,
    PR_SENDER_EMAIL_ADDRESS,
    PR_SENDER_ENTRYID,
    PR_SENDER_SEARCH_KEY,
    PR_SENDER_SMTP_ADDRESS,
];
/// The represented sender (PR_SENT_REPRESENTING_*): what delivery stamps, and what a client may
/// set only to the sender's own identity (`mailbox::representing`).
pub(crate) const SENT_REPRESENTING: Role = [
    PR_SENT_REPRESENTING_NAME,
    PR_SENT_REPRESENTING_ADDRTYPE,
    PR_SENT_REPRESENTING_EMAIL_ADDRESS,
    PR_SENT_REPRESENTING_ENTRYID,
    PR_SENT_REPRESENTING_SEARCH_KEY,
    PR_SENT_REPRESENTING_SMTP_ADDRESS,
];
const RECEIVED_BY: Role = [
    PR_RECEIVED_BY_NAME,
    PR_RECEIVED_BY_ADDRTYPE,
    PR_RECEIVED_BY_EMAIL_ADDRESS,
    PR_RECEIVED_BY_ENTRYID,
    PR_RECEIVED_BY_SEARCH_KEY,
    PR_RECEIVED_BY_SMTP_ADDRESS,
];
const RCVD_REPRESENTING: Role = [
    PR_RCVD_REPRESENTING_NAME,
    PR_RCVD_REPRESENTING_ADDRTYPE,
    PR_RCVD_REPRESENTING_EMAIL_ADDRESS,
    PR_RCVD_REPRESENTING_ENTRYID,
    PR_RCVD_REPRESENTING_SEARCH_KEY,
    PR_RCVD_REPRESENTING_SMTP_ADDRESS,
];

/// The permanent address book entry ID of a mail user with legacy DN `dn` (MS-OXNSPI 2.2.9.3).
pub fn user_entry_id(dn: &str) -> Vec<u8> {
    EntryId::AbPermanent(AbPermanentEntryId {
        flags: 0,
        version: 1,
        display_type: display_type::DT_MAILUSER,
        dn: dn.into(),
    })
    .to_bytes()
}

/// The search key of an address (MS-OXCDATA 2.2.5.x PidTagSearchKey of a recipient):
/// `ADDRTYPE:ADDRESS` in upper case, NUL-terminated.
pub fn search_key(addrtype: &str, address: &str) -> Vec<u8> {
    let mut k = format!("{addrtype}:{address}").to_ascii_uppercase().into_bytes();
    k.push(0);
    k
}

impl Originator {
    fn role(&self, role: Role) -> Vec<(PropTag, PropValue)> {
        let text = |s: &str| PropValue::Unicode(s.to_string());
        let values = [
            text(&self.display_name),
            text(address_type::EX),
            text(&self.legacy_dn),
            PropValue::Binary(user_entry_id(&self.legacy_dn)),
            PropValue::Binary(search_key(address_type::EX, &self.legacy_dn)),
            text(&self.smtp_address),
        ];
        role.into_iter().zip(values).collect()
    }

    /// PR_SENDER_NAME, _ADDRTYPE, _EMAIL_ADDRESS, _ENTRYID, _SEARCH_KEY, _SMTP_ADDRESS.
    pub fn sender_props(&self) -> Vec<(PropTag, PropValue)> {
        self.role(SENDER)
    }

    /// The PR_SENT_REPRESENTING_* counterparts.
    pub fn sent_representing_props(&self) -> Vec<(PropTag, PropValue)> {
        self.role(SENT_REPRESENTING)
    }

    /// PR_RECEIVED_BY_* and PR_RCVD_REPRESENTING_* (the mailbox a copy was delivered to).
    pub fn received_by_props(&self) -> Vec<(PropTag, PropValue)> {
        let mut v = self.role(RECEIVED_BY);
        v.extend(self.role(RCVD_REPRESENTING));
        v
    }

    /// A new PR_INTERNET_MESSAGE_ID: `<random@domain of the SMTP address>` (RFC 5322 msg-id).
    pub fn new_message_id(&self) -> String {
        let domain = self.smtp_address.rsplit_once('@').map_or("localhost", |(_, d)| d);
        let g = Guid::new_random();
        let hex: String = g.0.iter().map(|b| format!("{b:02x}")).collect();
        format!("<{hex}@{domain}>")
    }
}
