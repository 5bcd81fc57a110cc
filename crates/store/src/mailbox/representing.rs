//! Whom a submitted message is sent on behalf of: the PidTagSentRepresenting* properties of
//! MS-OXOMSG 2.2.1 (name, address type, e-mail address, entry ID, search key, SMTP address).
//!
//! A client sets these to send "on behalf of" someone else (MS-OXOMSG 3.2.4.1: "the client can
//! also set the sender information of the message"); the server decides whether it may
//! ([`SendRights::decide`]). Every represented identity must be the sender's own, or that of a
//! mailbox owner who gave the sender the Send As or the Send on Behalf right
//! (`oxmapi admin grant send-as|send-on-behalf`, [`crate::directory::Access`]); the rights are
//! read from the directory at each submission, so a revoke stops the very next one:
//! - **Send on Behalf**: the message goes out with the delegate as PR_SENDER_* and the owner as
//!   PR_SENT_REPRESENTING_* ("Bob on behalf of Alice", MS-OXOMSG 2.2.1.46–54; MS-OXODLGT 1.3);
//! - **Send As**: the owner is both PR_SENDER_* and PR_SENT_REPRESENTING_*; the recipients see
//!   the owner only. Holding both rights, Send As wins (as on Exchange).
//!
//! A value that names anyone else refuses the submission. Exchange refuses such a message with
//! ecSendAsDenied (0x000004DC) — its non-delivery report reads "You can't send a message on
//! behalf of this user unless you have permission to do so" with the diagnostic
//! `[0x80070005-0x000004DC-…]` — and gromox's rop_submitmessage checks the same before
//! queueing (exch/emsmdb/oxomsg.cpp: `oxomsg_check_delegate` finds the represented user from
//! PR_SENT_REPRESENTING_ADDRTYPE/_EMAIL_ADDRESS, _SMTP_ADDRESS or _ENTRYID;
//! `oxomsg_check_permission` lets it through when that is the user or the user is on the
//! owner's delegate list, and newer versions tell send-as from send-on-behalf (`repr_grant`);
//! ecAccessDenied otherwise). oxmapi fails RopSubmitMessage with ecSendAsDenied, so nothing is
//! queued and the client sees why at once.

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::consts::address_type;
use oxmapi_core::entryid::EntryId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::delivery::{Originator, SENT_REPRESENTING, search_key};
use super::messages::{DraftValue, PropSet};

/// True when `text` is one of `me`'s own names or addresses (ignoring case and surrounding
/// blanks): display name, legacy DN ("EX" address) or SMTP address.
fn names_me(me: &Originator, text: &str) -> bool {
    let t = text.trim();
    t.to_lowercase() == me.display_name.to_lowercase()
        || t.eq_ignore_ascii_case(&me.legacy_dn)
        || t.eq_ignore_ascii_case(&me.smtp_address)
}

/// True when `address` of `kind` is `me`: an "EX" address is the legacy DN, an "SMTP" one the
/// SMTP address.
fn is_my_address(me: &Originator, kind: &str, address: &str) -> bool {
    let a = address.trim();
    if kind.eq_ignore_ascii_case(address_type::EX) {
        me.legacy_dn.eq_ignore_ascii_case(a)
    } else if kind.eq_ignore_ascii_case(address_type::SMTP) {
        me.smtp_address.eq_ignore_ascii_case(a)
    } else {
        false
    }
}

/// True when one value of the represented identity names `me`.
fn value_is_mine(me: &Originator, tag: PropTag, value: &PropValue) -> bool {
    let text = || value.as_text();
    match tag.id() {
        id if id == PR_SENT_REPRESENTING_NAME.id() => text().is_some_and(|t| names_me(me, &t)),
        id if id == PR_SENT_REPRESENTING_ADDRTYPE.id() => text().is_some_and(|t| {
            let t = t.trim();
            t.eq_ignore_ascii_case(address_type::EX) || t.eq_ignore_ascii_case(address_type::SMTP)
        }),
        id if id == PR_SENT_REPRESENTING_EMAIL_ADDRESS.id() => text().is_some_and(|t| {
            is_my_address(me, address_type::EX, &t) || is_my_address(me, address_type::SMTP, &t)
        }),
        id if id == PR_SENT_REPRESENTING_SMTP_ADDRESS.id() => {
            text().is_some_and(|t| is_my_address(me, address_type::SMTP, &t))
        }
        id if id == PR_SENT_REPRESENTING_SEARCH_KEY.id() => value.as_bytes().is_some_and(|b| {
            let upper = b.to_ascii_uppercase();
            upper == search_key(address_type::EX, &me.legacy_dn)
                || upper == search_key(address_type::SMTP, &me.smtp_address)
        }),
        id if id == PR_SENT_REPRESENTING_ENTRYID.id() => {
            match value.as_bytes().map(EntryId::parse) {
                Some(Ok(EntryId::AbPermanent(e))) => is_my_address(me, address_type::EX, &e.dn),
                Some(Ok(EntryId::OneOff(o))) => is_my_address(me, &o.address_type, &o.email_address),
                // An ephemeral entry ID names an address book row of some session; it cannot
                // be checked here, nor can anything else.
                _ => false,
            }
        }
        _ => true,
    }
}

/// The first PR_SENT_REPRESENTING_* property of `props` that names someone other than `me`
/// (a value too large to be held inline never names anyone's own identity), or `None` when
/// every one that is set is `me`'s own.
pub(crate) fn foreign_representing(props: &PropSet, me: &Originator) -> Option<PropTag> {
    SENT_REPRESENTING.into_iter().find(|&tag| match props.get(tag.id()) {
        None => false,
        Some(DraftValue::Inline(v)) => !value_is_mine(me, tag, v),
        Some(DraftValue::Blob(_)) => true,
    })
}

/// Who is submitting, and in whose names they may send: the rights the directory holds now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendRights {
    /// The logged-on user.
    pub sender: Originator,
    /// Owners who gave the sender the Send As right.
    pub send_as: Vec<Originator>,
    /// Owners who gave the sender the Send on Behalf right.
    pub send_on_behalf: Vec<Originator>,
}

/// Who a submission goes out as ([`SendRights::decide`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendIdentity {
    /// Stamped as PR_SENDER_*.
    pub sender: Originator,
    /// Stamped as PR_SENT_REPRESENTING_*.
    pub representing: Originator,
}

impl SendRights {
    /// The rights of a user who may send only in their own name.
    pub fn own(sender: Originator) -> SendRights {
        SendRights { sender, ..SendRights::default() }
    }

    /// Who a message with `props` goes out as: the sender themselves when every
    /// PR_SENT_REPRESENTING_* property set names them (or none is set); an owner with the Send As
    /// right when every one names that owner (then the owner is the sender too); an owner with
    /// the Send on Behalf right likewise (the sender stays the sender). Otherwise the first
    /// property naming someone the sender may not represent.
    pub(crate) fn decide(&self, props: &PropSet) -> Result<SendIdentity, PropTag> {
        let Some(tag) = foreign_representing(props, &self.sender) else {
            return Ok(SendIdentity { sender: self.sender.clone(), representing: self.sender.clone() });
        };
        let names = |owner: &&Originator| foreign_representing(props, owner).is_none();
        if let Some(owner) = self.send_as.iter().find(names) {
            return Ok(SendIdentity { sender: owner.clone(), representing: owner.clone() });
        }
        if let Some(owner) = self.send_on_behalf.iter().find(names) {
            return Ok(SendIdentity { sender: self.sender.clone(), representing: owner.clone() });
        }
        Err(tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::entryid::OneOffEntryId;

    fn alice() -> Originator {
        Originator {
            display_name: "Alice Archer".into(),
            legacy_dn: "/o=Org/ou=Exchange Administrative Group/cn=Recipients/cn=alice".into(),
            smtp_address: "alice@example.test".into(),
        }
    }

    fn root() -> Originator {
        Originator {
            display_name: "Root Administrator (CEO)".into(),
            legacy_dn: "/o=Org/ou=Exchange Administrative Group/cn=Recipients/cn=root".into(),
            smtp_address: "root@example.test".into(),
        }
    }

    fn with(values: Vec<(PropTag, PropValue)>) -> PropSet {
        let mut p = PropSet::default();
        for (t, v) in values {
            p.set(t, v);
        }
        p
    }

    #[test]
    fn the_senders_own_identity_passes_in_every_form() {
        let me = alice();
        assert_eq!(foreign_representing(&PropSet::default(), &me), None, "nothing set");
        assert_eq!(foreign_representing(&with(me.sent_representing_props()), &me), None);
        let eid = EntryId::OneOff(OneOffEntryId::new("Alice", "SMTP", "ALICE@example.test")).to_bytes();
        let p = with(vec![
            (PR_SENT_REPRESENTING_NAME, PropValue::Unicode(" alice archer ".into())),
            (PR_SENT_REPRESENTING_ADDRTYPE, PropValue::String8(b"SMTP".to_vec())),
            (PR_SENT_REPRESENTING_EMAIL_ADDRESS, PropValue::Unicode("Alice@Example.test".into())),
            (PR_SENT_REPRESENTING_ENTRYID, PropValue::Binary(eid)),
            (PR_SENT_REPRESENTING_SEARCH_KEY, PropValue::Binary(b"smtp:alice@example.test\0".to_vec())),
        ]);
        assert_eq!(foreign_representing(&p, &me), None);
    }

    #[test]
    fn any_property_naming_someone_else_is_found() {
        let me = alice();
        let other = root();
        for (tag, value) in other.sent_representing_props() {
            if tag == PR_SENT_REPRESENTING_ADDRTYPE {
                continue; // "EX" names nobody
            }
            assert_eq!(foreign_representing(&with(vec![(tag, value.clone())]), &me), Some(tag), "{tag:?}");
        }
        let p = with(vec![(PR_SENT_REPRESENTING_ADDRTYPE, PropValue::Unicode("X400".into()))]);
        assert_eq!(foreign_representing(&p, &me), Some(PR_SENT_REPRESENTING_ADDRTYPE));
        let p = with(vec![(PR_SENT_REPRESENTING_ENTRYID, PropValue::Binary(vec![0; 4]))]);
        assert_eq!(foreign_representing(&p, &me), Some(PR_SENT_REPRESENTING_ENTRYID), "unparsable");
    }

    fn forged(owner: &Originator) -> PropSet {
        with(vec![
            (PR_SENT_REPRESENTING_EMAIL_ADDRESS, PropValue::Unicode(owner.smtp_address.clone())),
            (PR_SENT_REPRESENTING_NAME, PropValue::Unicode(owner.display_name.clone())),
        ])
    }

    #[test]
    fn a_forged_representing_address_needs_a_right_and_the_right_decides_the_sender() {
        let (bob, alice) = (root(), alice());
        let p = forged(&alice);
        let none = SendRights::own(bob.clone());
        assert!(none.decide(&p).is_err());
        assert_eq!(none.decide(&PropSet::default()).unwrap().representing, bob);
        let behalf = SendRights { send_on_behalf: vec![alice.clone()], ..none.clone() };
        let id = behalf.decide(&p).unwrap();
        assert_eq!((id.sender, id.representing), (bob.clone(), alice.clone()));
        let as_ = SendRights { send_as: vec![alice.clone()], ..behalf.clone() };
        let id = as_.decide(&p).unwrap();
        assert_eq!((id.sender, id.representing), (alice.clone(), alice.clone()), "Send As wins");
        // A right on alice does not let bob mix alice's address with someone else's name.
        let mixed = with(vec![
            (PR_SENT_REPRESENTING_EMAIL_ADDRESS, PropValue::Unicode(alice.smtp_address.clone())),
            (PR_SENT_REPRESENTING_NAME, PropValue::Unicode("Carol Cole".into())),
        ]);
        assert!(as_.decide(&mixed).is_err());
    }
}
