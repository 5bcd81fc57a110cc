//! SMTP addresses as MAPI sees them ([MS-OXCMAIL] 2.2.3.2.1–2.2.3.2.4): display name, address
//! type `SMTP`, e-mail address, a one-off entry ID ([MS-OXCDATA] 2.2.5.1, built by
//! `oxmapi_core::entryid`) and a search key (`SMTP:ADDRESS` upper-cased, NUL-terminated,
//! [MS-OXCPRPT] 2.2.1.9 / [MS-OXPROPS] PidTagSearchKey).

use oxmapi_core::bag::PropBag;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::{EntryId, OneOffEntryId};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

/// The address type of Internet mail.
pub const SMTP: &str = "SMTP";

/// One mailbox: a display name (may be empty) and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, or the address when the header gave none.
    pub name: String,
    /// The e-mail address.
    pub address: String,
}

impl Mailbox {
    /// A mailbox; an empty name is replaced by the address.
    pub fn new(name: Option<&str>, address: &str) -> Mailbox {
        let name = name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or(address);
        Mailbox { name: name.to_string(), address: address.trim().to_string() }
    }

    /// Its one-off entry ID bytes.
    pub fn entry_id(&self) -> Vec<u8> {
        EntryId::OneOff(OneOffEntryId::new(&self.name, SMTP, &self.address)).to_bytes()
    }

    /// Its search key: `SMTP:` + the upper-cased address + NUL.
    pub fn search_key(&self) -> Vec<u8> {
        let mut k = format!("{SMTP}:{}", self.address.to_ascii_uppercase()).into_bytes();
        k.push(0);
        k
    }
}

/// The five properties of one address role (PR_SENDER_* or PR_SENT_REPRESENTING_* or
/// PR_READ_RECEIPT_*): name, address type, e-mail address, entry ID, search key, SMTP address.
pub struct Role {
    pub name: PropTag,
    pub addrtype: PropTag,
    pub email: PropTag,
    pub entry_id: PropTag,
    pub search_key: Option<PropTag>,
    pub smtp: PropTag,
}

/// From → PR_SENT_REPRESENTING_* ([MS-OXCMAIL] 2.2.3.2.2).
pub const SENT_REPRESENTING: Role = Role {
    name: PR_SENT_REPRESENTING_NAME,
    addrtype: PR_SENT_REPRESENTING_ADDRTYPE,
    email: PR_SENT_REPRESENTING_EMAIL_ADDRESS,
    entry_id: PR_SENT_REPRESENTING_ENTRYID,
    search_key: Some(PR_SENT_REPRESENTING_SEARCH_KEY),
    smtp: PR_SENT_REPRESENTING_SMTP_ADDRESS,
};

/// Sender (or From when there is none) → PR_SENDER_* ([MS-OXCMAIL] 2.2.3.2.1).
pub const SENDER: Role = Role {
    name: PR_SENDER_NAME,
    addrtype: PR_SENDER_ADDRTYPE,
    email: PR_SENDER_EMAIL_ADDRESS,
    entry_id: PR_SENDER_ENTRYID,
    search_key: Some(PR_SENDER_SEARCH_KEY),
    smtp: PR_SENDER_SMTP_ADDRESS,
};

/// Disposition-Notification-To → PR_READ_RECEIPT_* ([MS-OXCMAIL] 2.2.3.2.8).
pub const READ_RECEIPT: Role = Role {
    name: PR_READ_RECEIPT_NAME,
    addrtype: PR_READ_RECEIPT_ADDRTYPE,
    email: PR_READ_RECEIPT_EMAIL_ADDRESS,
    entry_id: PR_READ_RECEIPT_ENTRYID,
    search_key: Some(PR_READ_RECEIPT_SEARCH_KEY),
    smtp: PR_READ_RECEIPT_SMTP_ADDRESS,
};

impl Role {
    /// Sets this role's properties for `m`.
    pub fn set(&self, bag: &mut PropBag, m: &Mailbox) {
        bag.set(self.name, PropValue::Unicode(m.name.clone()));
        bag.set(self.addrtype, PropValue::Unicode(SMTP.into()));
        bag.set(self.email, PropValue::Unicode(m.address.clone()));
        bag.set(self.smtp, PropValue::Unicode(m.address.clone()));
        bag.set(self.entry_id, PropValue::Binary(m.entry_id()));
        if let Some(k) = self.search_key {
            bag.set(k, PropValue::Binary(m.search_key()));
        }
    }

    /// This role's mailbox in `bag`: the SMTP address, else an SMTP e-mail address, else the
    /// address in a one-off entry ID.
    pub fn get(&self, bag: &PropBag) -> Option<Mailbox> {
        mailbox_of(bag, self.name, self.addrtype, self.email, self.smtp, self.entry_id)
    }
}

fn text(bag: &PropBag, tag: PropTag) -> Option<String> {
    use oxmapi_core::bag::PropertyBag;
    match bag.get(tag)? {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// The SMTP mailbox a set of address properties stands for.
pub fn mailbox_of(
    bag: &PropBag,
    name: PropTag,
    addrtype: PropTag,
    email: PropTag,
    smtp: PropTag,
    entry_id: PropTag,
) -> Option<Mailbox> {
    use oxmapi_core::bag::PropertyBag;
    let display = text(bag, name);
    let address = text(bag, smtp)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            let t = text(bag, addrtype)?;
            t.eq_ignore_ascii_case(SMTP).then(|| text(bag, email)).flatten()
        })
        .or_else(|| match bag.get(entry_id) {
            Some(PropValue::Binary(b)) => match EntryId::parse(b) {
                Ok(EntryId::OneOff(o)) if o.address_type.eq_ignore_ascii_case(SMTP) => Some(o.email_address),
                _ => None,
            },
            _ => None,
        })?;
    Some(Mailbox::new(display.as_deref(), &address))
}

/// A recipient row (PR_RECIPIENT_TYPE `kind`: MAPI_TO 1, MAPI_CC 2, MAPI_BCC 3).
pub fn recipient_row(m: &Mailbox, kind: i32) -> PropBag {
    let mut r = PropBag::new();
    r.set(PR_RECIPIENT_TYPE, PropValue::I32(kind));
    r.set(PR_DISPLAY_NAME, PropValue::Unicode(m.name.clone()));
    r.set(PR_ADDRTYPE, PropValue::Unicode(SMTP.into()));
    r.set(PR_EMAIL_ADDRESS, PropValue::Unicode(m.address.clone()));
    r.set(PR_SMTP_ADDRESS, PropValue::Unicode(m.address.clone()));
    r.set(PR_ENTRYID, PropValue::Binary(m.entry_id()));
    r.set(PR_SEARCH_KEY, PropValue::Binary(m.search_key()));
    r.set(PR_RECIPIENT_DISPLAY_NAME, PropValue::Unicode(m.name.clone()));
    r
}

/// The mailbox of a recipient row.
pub fn recipient_mailbox(row: &PropBag) -> Option<Mailbox> {
    mailbox_of(row, PR_DISPLAY_NAME, PR_ADDRTYPE, PR_EMAIL_ADDRESS, PR_SMTP_ADDRESS, PR_ENTRYID)
}

/// PR_REPLY_RECIPIENT_ENTRIES: a FlatEntryList ([MS-OXCDATA] 2.3.3) of one-off entry IDs.
pub fn flat_entry_list(boxes: &[Mailbox]) -> Vec<u8> {
    let mut body = Vec::new();
    for m in boxes {
        let id = m.entry_id();
        body.extend_from_slice(&(id.len() as u32).to_le_bytes());
        body.extend_from_slice(&id);
        while body.len() % 4 != 0 {
            body.push(0);
        }
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(&(boxes.len() as u32).to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// The SMTP mailboxes of a FlatEntryList (entries that are not SMTP one-offs are skipped).
pub fn parse_flat_entry_list(b: &[u8]) -> Vec<Mailbox> {
    let mut out = Vec::new();
    let mut at = 8usize;
    while at + 4 <= b.len() {
        let n = u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
        at += 4;
        let Some(id) = at.checked_add(n).and_then(|end| b.get(at..end)) else { break };
        if let Ok(EntryId::OneOff(o)) = EntryId::parse(id) {
            if o.address_type.eq_ignore_ascii_case(SMTP) {
                out.push(Mailbox::new(Some(&o.display_name), &o.email_address));
            }
        }
        at += n.div_ceil(4) * 4;
    }
    out
}
