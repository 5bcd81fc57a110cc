//! The named-property catalogue: the canonical MS-OXPROPS names of named properties
//! (`PidLidEmail1EmailAddress`, `PidNameKeywords`) with their property set, their LID
//! (MNID_ID) or string name (MNID_STRING) and their type (MS-OXPROPS section 2, property sets
//! of MS-OXPROPS 1.3.2; the name itself is an MS-OXCDATA 2.6.1 PropertyName).
//!
//! The entries are declared per property set in the data files of this module; [`spec`] parses
//! the spellings a user types (`PidLidEmail1EmailAddress`, `PSETID_Address:0x8083`,
//! `{00062004-0000-0000-C000-000000000046}:0x8083`, `PS_PUBLIC_STRINGS:"Keywords"`, each with an
//! optional `:PT_UNICODE` type) into a [`PropertyName`].

use crate::guid::Guid;
use crate::named::{NameId, PropertyName};
use crate::ptype::PropType;

/// Declares the entries of one data file: blocks of `[SET, "area"]` followed by
/// `Canonical = Id(0x8083), Type;` or `Canonical = Str("Keywords"), Type;` lines.
macro_rules! named_entries {
    ($( [$set:expr, $area:literal] $( $canon:ident = $kind:ident($key:literal), $ty:ident; )* )*) => {
        /// The entries of this file.
        pub(super) static ENTRIES: &[NamedEntry] = &[
            $( $( NamedEntry {
                canonical: stringify!($canon),
                name: NameRef { set: $set, key: NameKey::$kind($key) },
                ptype: PropType::$ty,
                area: Some($area),
            }, )* )*
        ];
    };
}

mod address;
mod appointment;
mod common;
mod meeting;
mod other;
mod sharing;
pub mod spec;
mod strings;
mod task;

pub use spec::{NamedSpec, parse_named};

/// The name of a catalogued named property within its set (MS-OXCDATA 2.6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKey {
    /// MNID_ID: a 32-bit LID.
    Id(u32),
    /// MNID_STRING: a string name.
    Str(&'static str),
}

/// A catalogued PropertyName: its property set and its LID or string name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRef {
    /// The property set GUID.
    pub set: Guid,
    /// The LID or string name.
    pub key: NameKey,
}

impl NameRef {
    /// True when `n` names this property (string names compare exactly: a store may keep
    /// `keywords` and `Keywords` apart).
    pub fn matches(&self, n: &PropertyName) -> bool {
        self.set == n.guid
            && match (&self.key, &n.name) {
                (NameKey::Id(a), NameId::Id(b)) => a == b,
                (NameKey::Str(a), NameId::String(b)) => a == b,
                _ => false,
            }
    }
}

/// One catalogued named property (an MS-OXPROPS section 2 entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedEntry {
    /// The canonical MS-OXPROPS name (`PidLidEmail1EmailAddress`).
    pub canonical: &'static str,
    /// Property set and LID or string name.
    pub name: NameRef,
    /// The property's type.
    pub ptype: PropType,
    /// The MS-OXPROPS area (functional area), where given.
    pub area: Option<&'static str>,
}

impl NamedEntry {
    /// The entry's MS-OXCDATA 2.6.1 PropertyName.
    pub fn property_name(&self) -> PropertyName {
        match self.name.key {
            NameKey::Id(lid) => PropertyName::id(self.name.set, lid),
            NameKey::Str(s) => PropertyName::string(self.name.set, s),
        }
    }
    /// The LID, for an MNID_ID entry.
    pub fn lid(&self) -> Option<u32> {
        match self.name.key {
            NameKey::Id(l) => Some(l),
            NameKey::Str(_) => None,
        }
    }
}

/// The data files, one slice per file.
static SETS: &[&[NamedEntry]] = &[
    address::ENTRIES,
    appointment::ENTRIES,
    meeting::ENTRIES,
    task::ENTRIES,
    common::ENTRIES,
    sharing::ENTRIES,
    other::ENTRIES,
    strings::ENTRIES,
];

/// Every catalogued named property.
pub fn entries() -> impl Iterator<Item = &'static NamedEntry> {
    SETS.iter().flat_map(|s| s.iter())
}

/// Looks an entry up by its canonical name (`PidLidEmail1EmailAddress`), case-insensitive.
pub fn by_canonical(name: &str) -> Option<&'static NamedEntry> {
    let n = name.trim();
    entries().find(|e| e.canonical.eq_ignore_ascii_case(n))
}

/// Looks an entry up by its PropertyName, for display.
pub fn by_property_name(n: &PropertyName) -> Option<&'static NamedEntry> {
    entries().find(|e| e.name.matches(n))
}

/// A number as typed: `0x8083` or bare hex digits `8083`.
fn parse_id_query(q: &str) -> Option<u32> {
    let h = q.strip_prefix("0x").or_else(|| q.strip_prefix("0X")).unwrap_or(q);
    if h.is_empty() || h.len() > 8 {
        return None;
    }
    u32::from_str_radix(h, 16).ok()
}

/// Partial, case-insensitive search: entries whose canonical name or string name contains
/// `query`, whose LID equals it (`8083`, `0x8083`), or whose property set is named by it
/// (`PSETID_Note`). In catalogue order.
pub fn search(query: &str) -> Vec<&'static NamedEntry> {
    let q = query.trim();
    if q.is_empty() {
        return Vec::new();
    }
    let lower = q.to_ascii_lowercase();
    let id = parse_id_query(q);
    let set = crate::guid::well_known_by_name(q);
    entries()
        .filter(|e| {
            e.canonical.to_ascii_lowercase().contains(&lower)
                || matches!(e.name.key, NameKey::Str(s) if s.to_ascii_lowercase().contains(&lower))
                || (id.is_some() && e.lid() == id)
                || set == Some(e.name.set)
        })
        .collect()
}

/// How a named property is shown: its canonical name when catalogued, else
/// `PSETID_Address:0x8099` (a known set by name) or `{GUID}:"name"`.
pub fn display(n: &PropertyName) -> String {
    if let Some(e) = by_property_name(n) {
        return e.canonical.to_string();
    }
    match &n.name {
        NameId::Id(lid) => {
            let set = crate::guid::well_known_name(&n.guid)
                .map(str::to_string)
                .unwrap_or_else(|| n.guid.to_string());
            format!("{set}:0x{lid:04X}")
        }
        NameId::String(_) => n.to_string(),
    }
}

#[cfg(test)]
mod tests;
