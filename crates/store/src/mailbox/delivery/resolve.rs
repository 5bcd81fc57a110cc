//! Recipient resolution for local delivery (MS-OXOMSG 3.2.5.1; address forms MS-OXCDATA 2.2.5):
//! a recipient row names a mailbox user by PR_ADDRTYPE "SMTP" with PR_EMAIL_ADDRESS (or
//! PR_SMTP_ADDRESS), by "EX" with a legacy DN, or — without an address type — by its PR_ENTRYID:
//! a one-off entry ID (its address type and address) or an address book permanent entry ID (its
//! DN). There is no outbound relay, so an address outside the directory is unknown.

use oxmapi_core::catalogue::tags::{PR_ADDRTYPE, PR_EMAIL_ADDRESS, PR_ENTRYID, PR_SMTP_ADDRESS};
use oxmapi_core::consts::{address_type, ndr_diag, ndr_reason};
use oxmapi_core::entryid::EntryId;
use oxmapi_core::tag::PropTag;

use crate::directory::{Directory, User};
use crate::error::StoreResult;
use crate::mailbox::RecipientRow;

/// Why a recipient was not delivered to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No user of the directory has the address (external domains included: no relay).
    Unknown,
    /// The address type is neither "EX" nor "SMTP", or the row has no usable address.
    BadAddress,
    /// The user's account is disabled.
    Disabled,
    /// The user has no mailbox file.
    NoMailbox,
    /// PR_LATEST_DELIVERY_TIME passed before delivery.
    Expired,
    /// The recipient's mailbox could not be written to in [`super::MAX_ATTEMPTS`] attempts.
    Unavailable,
    /// The recipient's mailbox is at or over its receive quota (PidTagProhibitReceiveQuota,
    /// MS-OXCSTOR 2.2.2.1.1.3: "before no further mail will be delivered").
    MailboxFull,
}

impl Failure {
    /// PR_NDR_REASON_CODE (MS-OXOMSG 2.2.2.x).
    pub fn reason_code(self) -> u32 {
        ndr_reason::MAPI_REASON_TRANSFER_FAILED
    }

    /// PR_NDR_DIAG_CODE (MS-OXOMSG 2.2.2.x).
    pub fn diag_code(self) -> u32 {
        match self {
            Failure::Unknown => ndr_diag::MAPI_DIAG_MAIL_RECIPIENT_UNKNOWN,
            Failure::BadAddress => ndr_diag::MAPI_DIAG_MAIL_ADDRESS_INCORRECT,
            Failure::Disabled => ndr_diag::MAPI_DIAG_MAIL_REFUSED,
            Failure::NoMailbox | Failure::Unavailable => ndr_diag::MAPI_DIAG_RECIPIENT_UNAVAILABLE,
            Failure::Expired => ndr_diag::MAPI_DIAG_MAXIMUM_TIME_EXPIRED,
            // Enhanced status 5.2.2 "Mailbox full" (RFC 3463), as gromox maps it.
            Failure::MailboxFull => ndr_diag::MAPI_DIAG_LENGTH_CONSTRAINT_VIOLATD,
        }
    }

    /// What the report says (PR_REPORT_TEXT of the recipient row, and the report's body).
    pub fn text(self) -> &'static str {
        match self {
            Failure::Unknown => {
                "the address was not found in the directory (this server delivers only to its own mailboxes)"
            }
            Failure::BadAddress => "the recipient has no address this server can deliver to (EX or SMTP)",
            Failure::Disabled => "the recipient's mailbox is disabled",
            Failure::NoMailbox => "the recipient has no mailbox on this server",
            Failure::Expired => {
                "the message expired (its latest delivery time passed) before it could be delivered"
            }
            Failure::Unavailable => "the recipient's mailbox could not be reached after several attempts",
            Failure::MailboxFull => "the recipient's mailbox is full (it is over its receive quota)",
        }
    }
}

/// The value of the property with `tag`'s id in `row` as text, trimmed; `None` when absent,
/// not text or blank.
pub(crate) fn text(row: &RecipientRow, tag: PropTag) -> Option<String> {
    row.props
        .iter()
        .find(|p| p.tag.id() == tag.id())
        .and_then(|p| p.value.as_text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn by_address(dir: &Directory, addrtype: &str, address: &str) -> StoreResult<Result<User, Failure>> {
    let found = if addrtype.eq_ignore_ascii_case(address_type::SMTP) {
        dir.user_by_email(address)?
    } else if addrtype.eq_ignore_ascii_case(address_type::EX) {
        dir.user_by_dn(address)?
    } else {
        return Ok(Err(Failure::BadAddress));
    };
    Ok(found.ok_or(Failure::Unknown))
}

/// The user a recipient row names (disabled or not), or why there is none.
pub(crate) fn resolve_user(dir: &Directory, row: &RecipientRow) -> StoreResult<Result<User, Failure>> {
    let addrtype = text(row, PR_ADDRTYPE);
    let email = text(row, PR_EMAIL_ADDRESS);
    let smtp = text(row, PR_SMTP_ADDRESS);
    let resolved = match (&addrtype, &email) {
        (Some(t), Some(a)) => {
            let r = by_address(dir, t, a)?;
            // An "EX" row whose DN is unknown may still carry the SMTP address.
            match (r, &smtp) {
                (Err(Failure::Unknown), Some(s)) => by_address(dir, address_type::SMTP, s)?,
                (r, _) => r,
            }
        }
        _ => {
            let eid = row.props.iter().find(|p| p.tag == PR_ENTRYID).and_then(|p| p.value.as_bytes());
            match eid.map(EntryId::parse) {
                Some(Ok(EntryId::OneOff(o))) => by_address(dir, &o.address_type, &o.email_address)?,
                Some(Ok(EntryId::AbPermanent(a))) => by_address(dir, address_type::EX, &a.dn)?,
                _ => match &smtp {
                    Some(s) => by_address(dir, address_type::SMTP, s)?,
                    None => Err(Failure::BadAddress),
                },
            }
        }
    };
    Ok(resolved)
}

/// The user a recipient row names, or why there is none (a disabled user: [`Failure::Disabled`]).
pub fn resolve_recipient(dir: &Directory, row: &RecipientRow) -> StoreResult<Result<User, Failure>> {
    Ok(match resolve_user(dir, row)? {
        Ok(u) if !u.enabled => Err(Failure::Disabled),
        r => r,
    })
}
