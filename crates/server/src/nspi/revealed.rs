//! The hidden address book entries one address book session may reach (MS-OXNSPI 3.1.4.1.14
//! NspiDNToMId; issue 14: hidden users must not be enumerable through guessed MIds).
//!
//! Hidden users are not rows of the GAL, so no table method lists them, and their MIds
//! (`0x1000` + directory row id, [`oxmapi_store::directory::gal::mid_of`]) would be easy to
//! guess. Exchange hands out a hidden object's MId only to a client that names it by its exact
//! legacy DN (DNToMId); this server does the same and remembers, per session context, the MIds
//! it handed out that way, and the bound user's own. Every method that takes an MId
//! ([`super::tables::Table::user`]) reaches a hidden user only through this set; any other MId
//! of a hidden user behaves exactly as an MId that names nothing.
//!
//! The set only holds MIds of hidden users that exist, so it is bounded by the directory.

use std::collections::HashSet;
use std::sync::Mutex;

/// MIds of hidden users revealed to one session by exact DN.
#[derive(Debug, Default)]
pub struct RevealedMids(Mutex<HashSet<u32>>);

impl RevealedMids {
    /// Records that the session looked `mid` up by its exact legacy DN.
    pub fn reveal(&self, mid: u32) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(mid);
    }

    /// True when the session may reach hidden entry `mid`.
    pub fn contains(&self, mid: u32) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).contains(&mid)
    }
}
