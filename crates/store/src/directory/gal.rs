//! The global address list as the address book endpoint serves it (MS-OXNSPI 3.1.1): one
//! container of the directory's users, hidden users left out, sorted by display name, each
//! with a Minimal Entry ID (MId), and ambiguous name resolution (ANR, MS-OXNSPI 3.1.4.7) over
//! display name, account, SMTP address and the words of the display name (given name and
//! surname prefixes).

use std::collections::HashMap;

use super::{Directory, User};
use crate::error::StoreResult;

/// The first MId given to a user; MIds below are the protocol's reserved values
/// (MID_BEGINNING_OF_TABLE 0, MID_CURRENT 1, MID_END_OF_TABLE 2; MS-OXNSPI 2.2.1.8).
pub const FIRST_USER_MID: u32 = 0x0000_1000;

/// One GAL entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GalEntry {
    /// The entry's Minimal Entry ID (stable for the user: derived from the directory row id).
    pub mid: u32,
    /// The user.
    pub user: User,
}

/// What ANR made of a name (MS-OXNSPI 2.2.1.9: MID_UNRESOLVED, MID_AMBIGUOUS, or the MId).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// No entry matches.
    Unresolved,
    /// Several entries match (their MIds, in GAL order).
    Ambiguous(Vec<u32>),
    /// Exactly one entry matches.
    Resolved(u32),
}

/// The GAL: visible users in display-name order, with an MId index and sorted ANR keys, so
/// that look-ups and name resolution do not scan the entries.
#[derive(Clone, Debug, Default)]
pub struct Gal {
    entries: Vec<GalEntry>,
    index: HashMap<u32, usize>,
    /// Folded exact-match keys (display name, account, SMTP address, legacy DN) with the
    /// entry's index, sorted.
    exact: Vec<(String, usize)>,
    /// Folded prefix-match keys (display name and its words, account, SMTP address) with the
    /// entry's index, sorted.
    prefixes: Vec<(String, usize)>,
}

/// The MId of a directory user.
pub fn mid_of(user: &User) -> u32 {
    FIRST_USER_MID + user.id as u32
}

fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// The entries (indexes, ascending and unique) whose key in sorted `keys` satisfies `hit`,
/// starting at the first key not below `t`.
fn matches(keys: &[(String, usize)], t: &str, hit: impl Fn(&str) -> bool) -> Vec<usize> {
    let from = keys.partition_point(|(k, _)| k.as_str() < t);
    let mut found: Vec<usize> = keys[from..].iter().take_while(|(k, _)| hit(k)).map(|(_, i)| *i).collect();
    found.sort_unstable();
    found.dedup();
    found
}

impl Gal {
    /// Builds the GAL from every user of the directory: hidden users are left out; the order is
    /// display name (case-insensitive), then account name.
    pub fn new(users: Vec<User>) -> Gal {
        let mut entries: Vec<GalEntry> =
            users.into_iter().filter(|u| !u.hidden).map(|u| GalEntry { mid: mid_of(&u), user: u }).collect();
        entries.sort_by_cached_key(|e| (fold(&e.user.display_name), e.user.name.clone()));
        let index = entries.iter().enumerate().map(|(i, e)| (e.mid, i)).collect();
        let mut exact = Vec::with_capacity(entries.len() * 4);
        let mut prefixes = Vec::with_capacity(entries.len() * 5);
        for (i, e) in entries.iter().enumerate() {
            let u = &e.user;
            for f in [&u.display_name, &u.name, &u.smtp_address, &u.legacy_dn] {
                exact.push((fold(f), i));
            }
            for f in [&u.display_name, &u.name, &u.smtp_address] {
                prefixes.push((fold(f), i));
            }
            prefixes.extend(u.display_name.split_whitespace().skip(1).map(|w| (fold(w), i)));
        }
        exact.sort_unstable();
        prefixes.sort_unstable();
        Gal { entries, index, exact, prefixes }
    }

    /// The entries in table order.
    pub fn entries(&self) -> &[GalEntry] {
        &self.entries
    }

    /// The entry with this MId.
    pub fn by_mid(&self, mid: u32) -> Option<&GalEntry> {
        self.position(mid).map(|i| &self.entries[i])
    }

    /// The position of an MId in the table.
    pub fn position(&self, mid: u32) -> Option<usize> {
        self.index.get(&mid).copied()
    }

    /// ANR: an exact match of the display name, account, SMTP address or legacy DN wins when it
    /// is unique; otherwise prefixes of the display name, its words (given name, surname), the
    /// account and the SMTP address are matched, case-insensitively.
    pub fn resolve(&self, text: &str) -> Resolution {
        let t = fold(text.trim());
        if t.is_empty() {
            return Resolution::Unresolved;
        }
        let exact = matches(&self.exact, &t, |k| k == t);
        if let [i] = exact[..] {
            return Resolution::Resolved(self.entries[i].mid);
        }
        let prefix = matches(&self.prefixes, &t, |k| k.starts_with(&t));
        match prefix[..] {
            [] => Resolution::Unresolved,
            [i] => Resolution::Resolved(self.entries[i].mid),
            _ => Resolution::Ambiguous(prefix.iter().map(|&i| self.entries[i].mid).collect()),
        }
    }
}

/// The directory user behind an MId (`FIRST_USER_MID` + row id), hidden or not.
fn id_of_mid(mid: u32) -> Option<i64> {
    mid.checked_sub(FIRST_USER_MID).map(i64::from)
}

impl Directory {
    /// The user whose MId is `mid`, hidden users included. MIds are guessable (the first user
    /// MId plus the row id), so a caller serving a client must only pass MIds the client may
    /// reach: a GAL row, or a hidden user's MId the client obtained by exact legacy DN (the
    /// address book endpoint keeps those per session; MS-OXNSPI 3.1.4.1.14 NspiDNToMId).
    pub fn user_by_mid(&self, mid: u32) -> StoreResult<Option<User>> {
        match id_of_mid(mid) {
            Some(id) => self.user_by_id(id),
            None => Ok(None),
        }
    }

    /// The MId of the user with this exact legacy DN (ignoring case), hidden users included
    /// (MS-OXNSPI DNToMId: a hidden user still resolves their own DN).
    pub fn mid_by_dn(&self, legacy_dn: &str) -> StoreResult<Option<u32>> {
        Ok(self.user_by_dn(legacy_dn)?.map(|u| mid_of(&u)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::guid::Guid;

    fn user(id: i64, name: &str, display: &str, hidden: bool) -> User {
        User {
            id,
            name: name.into(),
            display_name: display.into(),
            smtp_address: format!("{name}@example.test"),
            legacy_dn: format!("/o=Org/ou=Exchange Administrative Group/cn=Recipients/cn={name}"),
            mailbox_guid: Guid::default(),
            enabled: true,
            hidden,
            admin: false,
        }
    }

    fn gal() -> Gal {
        Gal::new(vec![
            user(1, "alice", "Alice Archer", false),
            user(2, "alfred", "Alfred Allen", false),
            user(3, "svc-phone", "Phone Service", false),
            user(4, "auditor", "Hidden Auditor", true),
            user(5, "bob", "bob Zimmer", false),
        ])
    }

    #[test]
    fn hidden_users_are_not_listed_and_order_is_by_display_name() {
        let g = gal();
        let names: Vec<&str> = g.entries().iter().map(|e| e.user.display_name.as_str()).collect();
        assert_eq!(names, ["Alfred Allen", "Alice Archer", "bob Zimmer", "Phone Service"]);
        assert!(g.entries().iter().all(|e| e.mid >= FIRST_USER_MID));
        assert_eq!(g.resolve("Hidden Auditor"), Resolution::Unresolved, "ANR skips hidden users");
    }

    #[test]
    fn ambiguous_name_resolution() {
        let g = gal();
        let m = |name: &str| g.entries().iter().find(|e| e.user.name == name).unwrap().mid;
        assert_eq!(g.resolve("Phone"), Resolution::Resolved(m("svc-phone")));
        assert_eq!(g.resolve("service"), Resolution::Resolved(m("svc-phone")), "second word (surname)");
        assert_eq!(g.resolve("Al"), Resolution::Ambiguous(vec![m("alfred"), m("alice")]));
        assert_eq!(g.resolve("Zebulon"), Resolution::Unresolved);
        assert_eq!(g.resolve("ALFRED@example.test"), Resolution::Resolved(m("alfred")));
        assert_eq!(g.resolve("alice"), Resolution::Resolved(m("alice")), "exact account wins");
        assert_eq!(g.resolve("  "), Resolution::Unresolved);
    }

    #[test]
    fn mids_map_back_to_row_ids() {
        assert_eq!(id_of_mid(FIRST_USER_MID + 7), Some(7));
        assert_eq!(id_of_mid(2), None, "positional MIds are no users");
    }
}
