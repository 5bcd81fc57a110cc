//! Named properties (MS-OXCDATA 2.6.1 PropertyName, MS-OXPROPS 1.3.2).

use std::fmt;

use crate::guid::{Guid, well_known_name};

/// `Kind` of a PropertyName.
pub mod kind {
    /// MNID_ID: the name is a 32-bit LID.
    pub const MNID_ID: u8 = 0x00;
    /// MNID_STRING: the name is a string.
    pub const MNID_STRING: u8 = 0x01;
    /// No name is registered for the id (RopGetNamesFromPropertyIds, MS-OXCPRPT 3.2.5.9).
    pub const NONE: u8 = 0xFF;
}

/// The name part of a named property.
#[derive(Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum NameId {
    /// MNID_ID: a numeric LID.
    Id(u32),
    /// MNID_STRING: a string name.
    String(String),
}

/// A named property: a property-set GUID and a LID or string name.
#[derive(Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct PropertyName {
    /// The property set.
    pub guid: Guid,
    /// The name within the set.
    pub name: NameId,
}

impl PropertyName {
    /// An MNID_ID name.
    pub fn id(guid: Guid, lid: u32) -> PropertyName {
        PropertyName { guid, name: NameId::Id(lid) }
    }
    /// An MNID_STRING name.
    pub fn string(guid: Guid, name: impl Into<String>) -> PropertyName {
        PropertyName { guid, name: NameId::String(name.into()) }
    }
    /// The `Kind` byte.
    pub fn kind(&self) -> u8 {
        match self.name {
            NameId::Id(_) => kind::MNID_ID,
            NameId::String(_) => kind::MNID_STRING,
        }
    }
}

impl fmt::Display for PropertyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = well_known_name(&self.guid).map(str::to_string).unwrap_or_else(|| self.guid.to_string());
        match &self.name {
            NameId::Id(lid) => write!(f, "{set}:0x{lid:08X}"),
            NameId::String(s) => write!(f, "{set}:{s:?}"),
        }
    }
}
