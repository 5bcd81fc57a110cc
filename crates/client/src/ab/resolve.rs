//! Name resolution (IAddrBook::ResolveName): ambiguous name resolution in the directory with
//! NSPI ResolveNames (MS-OXNSPI 3.1.4.1.17; MID_AMBIGUOUS → MAPI_E_AMBIGUOUS_RECIP,
//! MID_UNRESOLVED → MAPI_E_NOT_FOUND), and one-off entries (MS-OXCDATA 2.2.5.1) for addresses
//! written as `[TYPE:address]` or, when asked for, for SMTP addresses the directory lacks.

use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::OneOffEntryId;
use oxmapi_core::error::codes;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::nspi::{MID_AMBIGUOUS, MID_RESOLVED, MID_UNRESOLVED};

use super::AddressBook;
use super::entry::one_off_props;
use super::link::base_stat;
use crate::profile::MapiResult;
use crate::store::{Recipient, RecipientType};

/// The properties ResolveNames asks for: what a recipient row of an Exchange client carries
/// (MS-OXOMSG 2.2.3; MS-OXOABK 2.2.3).
pub const RECIPIENT_COLUMNS: &[PropTag] = &[
    PR_DISPLAY_NAME,
    PR_ADDRTYPE,
    PR_EMAIL_ADDRESS,
    PR_SMTP_ADDRESS,
    PR_ENTRYID,
    PR_SEARCH_KEY,
    PR_RECORD_KEY,
    PR_DISPLAY_TYPE,
    PR_DISPLAY_TYPE_EX,
    PR_OBJECT_TYPE,
    PR_TRANSMITABLE_DISPLAY_NAME,
    PR_SEND_RICH_INFO,
    PR_ACCOUNT,
    PR_INSTANCE_KEY,
];

/// The MId of a resolved entry. MS-OXNSPI 3.1.4.1.17 puts MID_RESOLVED in the MIds array for
/// a unique match (Exchange and our server do; older servers put the MId itself); the entry's
/// own MId is then read from its PR_INSTANCE_KEY, which address book rows carry as the MId in 4
/// little-endian bytes (gromox's and our server's rows); without one the MId stays unknown to
/// the client and MID_RESOLVED is kept.
fn entry_mid(mid: u32, props: &[TaggedValue]) -> u32 {
    if mid != MID_RESOLVED {
        return mid;
    }
    props
        .iter()
        .find(|p| p.tag == PR_INSTANCE_KEY)
        .and_then(|p| match &p.value {
            PropValue::Binary(b) => <[u8; 4]>::try_from(b.as_slice()).ok().map(u32::from_le_bytes),
            _ => None,
        })
        .unwrap_or(mid)
}

/// How many candidates an MAPI_E_AMBIGUOUS_RECIP message names.
const CANDIDATES_SHOWN: usize = 10;

/// A resolved name: the entry's properties.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The directory MId; None for a one-off.
    pub mid: Option<u32>,
    /// The properties (those of [`RECIPIENT_COLUMNS`] the entry has).
    pub props: Vec<TaggedValue>,
}

impl Resolved {
    /// The value of one property.
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        super::entry::find(&self.props, tag)
    }

    /// A text property ("" when absent).
    pub fn text(&self, tag: PropTag) -> &str {
        match self.get(tag) {
            Some(PropValue::Unicode(s)) => s,
            _ => "",
        }
    }

    /// True for a one-off entry.
    pub fn is_one_off(&self) -> bool {
        self.mid.is_none()
    }

    /// The entry as a message recipient of `kind` (To, Cc, Bcc) with the properties ResolveName
    /// gives an ADRENTRY.
    pub fn recipient(&self, kind: RecipientType) -> Recipient {
        let props = self.props.iter().filter(|v| v.tag.id() != PR_INSTANCE_KEY.id()).cloned().collect();
        Recipient { row_id: 0, kind, props }
    }
}

/// `[TYPE:address]`: an explicit one-off (TYPE is letters and digits, as SMTP, X400, FAX).
fn explicit_one_off(name: &str) -> Option<(&str, &str)> {
    let inner = name.trim().strip_prefix('[')?.strip_suffix(']')?;
    let (ty, addr) = inner.split_once(':')?;
    let valid = !ty.is_empty() && ty.bytes().all(|b| b.is_ascii_alphanumeric()) && !addr.trim().is_empty();
    valid.then(|| (ty, addr.trim()))
}

/// A plausible SMTP address: `local@domain` without spaces.
fn smtp_like(name: &str) -> bool {
    let n = name.trim();
    match n.split_once('@') {
        Some((l, d)) => {
            !l.is_empty() && d.contains('.') && !d.contains('@') && !n.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn one_off(ty: &str, addr: &str) -> Resolved {
    let o = OneOffEntryId::new(addr, &ty.to_ascii_uppercase(), addr);
    let props = one_off_props(&o);
    Resolved { mid: None, props }
}

impl AddressBook {
    /// IAddrBook::ResolveName for one name; see [`AddressBook::resolve_names`].
    pub fn resolve_name(&self, name: &str, one_offs: bool) -> MapiResult<Resolved> {
        self.resolve_names(&[name], one_offs)?.pop().unwrap_or_else(|| {
            Err(MapiError::new(codes::MAPI_E_CALL_FAILED, "ResolveNames returned no result"))
        })
    }

    /// IAddrBook::ResolveName for several names in one ResolveNames call. Each name resolves
    /// to one directory entry, or fails on its own with MAPI_E_AMBIGUOUS_RECIP (naming the
    /// candidates) or MAPI_E_NOT_FOUND. `[TYPE:address]` is a one-off; with `one_offs`, an SMTP
    /// address the directory does not know becomes a one-off too (as the One-Off Address
    /// provider of an Outlook profile does).
    pub fn resolve_names(&self, names: &[&str], one_offs: bool) -> MapiResult<Vec<MapiResult<Resolved>>> {
        let lookup: Vec<String> =
            names.iter().filter(|n| explicit_one_off(n).is_none()).map(|n| n.trim().to_string()).collect();
        let (mids, rows) = if lookup.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            let columns = RECIPIENT_COLUMNS.to_vec();
            let stat = base_stat(0);
            let c = self.session.with_ab(|l| {
                l.call("ResolveNames", &[], async |c| {
                    c.resolve_names(stat, lookup.clone(), columns.clone()).await
                })
            })?;
            let (mids, car) = c.body;
            let rows = car.map(|c| c.row_data).unwrap_or_default();
            (mids, rows)
        };
        if mids.len() != lookup.len() {
            return Err(MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!("ResolveNames answered {} MIds for {} names", mids.len(), lookup.len()),
            ));
        }
        let mut rows = rows.into_iter();
        let mut mids = mids.into_iter();
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            if let Some((ty, addr)) = explicit_one_off(name) {
                out.push(Ok(one_off(ty, addr)));
                continue;
            }
            let mid = mids.next().unwrap_or(MID_UNRESOLVED);
            out.push(match mid {
                MID_UNRESOLVED if one_offs && smtp_like(name) => Ok(one_off("SMTP", name.trim())),
                MID_UNRESOLVED => Err(MapiError::new(
                    codes::MAPI_E_NOT_FOUND,
                    format!("no address book entry matches {name:?}"),
                )),
                MID_AMBIGUOUS => Err(self.ambiguous(name)),
                mid => {
                    let row = rows.next().ok_or_else(|| {
                        MapiError::new(
                            codes::MAPI_E_CORRUPT_DATA,
                            "ResolveNames returned fewer rows than resolved names",
                        )
                    })?;
                    let props: Vec<TaggedValue> = RECIPIENT_COLUMNS
                        .iter()
                        .zip(row.values)
                        .filter_map(|(t, v)| match v {
                            RowValue::Value(value) => Some(TaggedValue { tag: *t, value }),
                            _ => None,
                        })
                        .collect();
                    Ok(Resolved { mid: Some(entry_mid(mid, &props)), props })
                }
            });
        }
        Ok(out)
    }

    /// MAPI_E_AMBIGUOUS_RECIP naming the entries `name` matches (found with a PR_ANR
    /// restriction, best effort).
    fn ambiguous(&self, name: &str) -> MapiError {
        let filter = Restriction::Property {
            relop: RelOp::Eq,
            prop_tag: PR_ANR,
            value: TaggedValue { tag: PR_ANR, value: PropValue::Unicode(name.trim().to_string()) },
        };
        let stat = base_stat(0);
        let columns = vec![PR_DISPLAY_NAME, PR_SMTP_ADDRESS];
        let candidates = self
            .session
            .with_ab(|l| {
                l.call("GetMatches", &[], async |c| {
                    c.get_matches(stat, filter.clone(), super::table::MAX_MATCHES, Some(columns.clone()))
                        .await
                })
            })
            .ok()
            .and_then(|c| c.body.1)
            .map(|car| {
                car.row_data
                    .into_iter()
                    .map(|r| {
                        let cell = |i: usize| match r.values.get(i) {
                            Some(RowValue::Value(PropValue::Unicode(s))) => s.clone(),
                            _ => String::new(),
                        };
                        format!("{} <{}>", cell(0), cell(1))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        ambiguous_error(name, &candidates)
    }
}

/// MAPI_E_AMBIGUOUS_RECIP for `name`, naming up to [`CANDIDATES_SHOWN`] of the `candidates`.
/// Without candidates (the server answered MID_AMBIGUOUS, but a search finds nothing — gromox
/// answers MID_AMBIGUOUS for names it does not know, protocol-facts §7.x) the message says so
/// and what to try instead of promising matches it cannot show.
fn ambiguous_error(name: &str, candidates: &[String]) -> MapiError {
    let text = if candidates.is_empty() {
        format!(
            "{name:?} is ambiguous: the address book server answered MID_AMBIGUOUS but listed no \
             matching entries (some servers answer so for a name they do not know); check the \
             spelling, look the entry up in the global address list (`oxmapi ab ls`), or give the \
             SMTP address (e.g. [SMTP:user@example.org])"
        )
    } else {
        let more = candidates.len().saturating_sub(CANDIDATES_SHOWN);
        let mut list = candidates[..candidates.len().min(CANDIDATES_SHOWN)].join(", ");
        if more > 0 {
            list.push_str(&format!(" and {more} more"));
        }
        format!(
            "{name:?} matches more than one address book entry: {list}; give more of the name, the \
             account or the SMTP address"
        )
    };
    MapiError::new(codes::MAPI_E_AMBIGUOUS_RECIP, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_off_syntax() {
        assert_eq!(explicit_one_off("[SMTP:bob@example.org]"), Some(("SMTP", "bob@example.org")));
        assert_eq!(explicit_one_off(" [FAX:+1 555 0100] "), Some(("FAX", "+1 555 0100")));
        assert_eq!(explicit_one_off("[SMTP:]"), None);
        assert_eq!(explicit_one_off("SMTP:bob@example.org"), None);
        assert_eq!(explicit_one_off("[:x]"), None);
        assert!(smtp_like("bob@example.org"));
        assert!(!smtp_like("Bob Smith"));
        assert!(!smtp_like("bob@localhost"));
        assert!(!smtp_like("a b@example.org"));
    }

    /// gromox answers MID_AMBIGUOUS for a name it does not know (protocol-facts §7.x), so
    /// an ambiguous answer may come without candidates: the message must still say what
    /// happened and what to do, and keep MAPI_E_AMBIGUOUS_RECIP.
    #[test]
    fn ambiguous_answers_with_and_without_candidates() {
        let e = ambiguous_error("zz", &[]);
        assert_eq!(e.code, codes::MAPI_E_AMBIGUOUS_RECIP);
        assert!(e.to_string().contains("MID_AMBIGUOUS") && e.to_string().contains("[SMTP:"), "{e}");
        assert!(!e.to_string().contains("matches more than one"), "{e}");
        let names: Vec<String> = (0..7).map(|i| format!("User {i} <u{i}@x.t>")).collect();
        let e = ambiguous_error("user", &names);
        assert_eq!(e.code, codes::MAPI_E_AMBIGUOUS_RECIP);
        assert!(e.to_string().contains("User 0 <u0@x.t>") && e.to_string().contains("more"), "{e}");
    }

    #[test]
    fn one_off_recipient_properties() {
        let r = one_off("smtp", "bob@example.org");
        assert!(r.is_one_off());
        assert_eq!(r.text(PR_ADDRTYPE), "SMTP");
        assert_eq!(r.text(PR_EMAIL_ADDRESS), "bob@example.org");
        assert_eq!(r.text(PR_SMTP_ADDRESS), "bob@example.org");
        assert_eq!(r.get(PR_SEARCH_KEY), Some(&PropValue::Binary(b"SMTP:BOB@EXAMPLE.ORG\0".to_vec())));
        let rec = r.recipient(RecipientType::To);
        assert!(rec.props.iter().any(|v| v.tag == PR_ENTRYID));
    }
}
