//! The MSEMS service's address book provider (EMS_DSA) and the objects it returns: the
//! address book (IAddrBook), the Global Address List container with its contents table, mail
//! users opened from address book entry IDs, one-off entries and name resolution.
//!
//! The provider talks NSPI over MAPI/HTTP to the server's address book endpoint (MS-OXCMAPIHTTP
//! 2.2.5; MS-OXNSPI 3.1.4; protocol-facts §1.9). Its session context is its own: it binds when
//! first used, independently of the store provider's Connect, so a store logon the server
//! refuses (an old client version, a session limit) leaves the address book working.

mod entry;
mod link;
mod resolve;
mod table;

use oxmapi_core::MapiError;
use oxmapi_core::entryid::{EntryId, OneOffEntryId};
use oxmapi_core::error::codes;

pub use entry::MailUser;
pub(crate) use link::AbLink;
pub use resolve::{RECIPIENT_COLUMNS, Resolved};
pub use table::{AbTable, DEFAULT_COLUMNS, MAX_MATCHES};

use crate::profile::MapiResult;
use crate::session::Session;

/// The provider name of the address book in the MSEMS service.
pub const PROVIDER: &str = "EMS_DSA";

/// The address book of a session (IAddrBook, from IMAPISession::OpenAddressBook).
#[derive(Clone)]
pub struct AddressBook {
    session: Session,
}

/// An address book container (IABContainer). The MSEMS provider has one: the Global Address
/// List (`ContainerID` 0, MS-OXNSPI 2.2.1.8).
pub struct Container {
    session: Session,
    container_id: u32,
}

impl Session {
    /// IMAPISession::OpenAddressBook. Nothing is sent yet: the provider binds on first use.
    /// MAPI_E_FAILONEPROVIDER when the provider was disabled for this session.
    pub fn open_address_book(&self) -> MapiResult<AddressBook> {
        self.check_provider(PROVIDER)?;
        Ok(AddressBook { session: self.clone() })
    }
}

impl AddressBook {
    /// Binds the provider's NSPI context now (it otherwise binds on first use), so that the
    /// status table shows whether the address book works. MAPI_E_FAILONEPROVIDER when the
    /// bind failed twice.
    pub fn logon(&self) -> MapiResult<()> {
        self.session.with_ab(|_| Ok(()))
    }

    /// The Global Address List (IAddrBook::GetDefaultDir / OpenEntry of the GAL).
    pub fn gal(&self) -> Container {
        Container { session: self.session.clone(), container_id: 0 }
    }

    /// IAddrBook::OpenEntry for an address book entry ID: permanent (by legacy DN) and
    /// ephemeral (by MId, from this server) entry IDs open the directory object; one-off entry
    /// IDs open a mail user built from the entry ID itself. Other entry IDs answer
    /// MAPI_E_INVALID_ENTRYID; an ID the directory does not know, MAPI_E_NOT_FOUND.
    pub fn open_entry(&self, entry_id: &[u8]) -> MapiResult<MailUser> {
        let parsed = EntryId::parse(entry_id).map_err(|e| {
            MapiError::new(codes::MAPI_E_INVALID_ENTRYID, format!("not an address book entry ID: {e}"))
        })?;
        match parsed {
            EntryId::AbPermanent(p) => {
                let mid = self.session.with_ab(|l| l.dn_to_mid(&p.dn))?;
                if mid == 0 {
                    return Err(MapiError::new(
                        codes::MAPI_E_NOT_FOUND,
                        format!("the address book has no entry with the legacy DN {:?}", p.dn),
                    ));
                }
                MailUser::open(&self.session, mid)
            }
            EntryId::AbEphemeral(e) => {
                let guid = self.session.with_ab(|l| Ok(l.server_guid))?;
                if e.server_guid != guid {
                    return Err(MapiError::new(
                        codes::MAPI_E_UNKNOWN_ENTRYID,
                        "the ephemeral entry ID comes from another address book server (its ProviderUID is \
                         not this server's GUID); use the entry's permanent entry ID",
                    ));
                }
                MailUser::open(&self.session, e.mid)
            }
            EntryId::OneOff(o) => Ok(MailUser::one_off(&o)),
            other => Err(MapiError::new(
                codes::MAPI_E_INVALID_ENTRYID,
                format!("a {} entry ID is not an address book entry", other.kind_name()),
            )),
        }
    }

    /// IAddrBook::CreateOneOff: a Unicode one-off entry ID for an address outside the directory.
    pub fn create_one_off(&self, display_name: &str, address_type: &str, address: &str) -> Vec<u8> {
        EntryId::OneOff(OneOffEntryId::new(display_name, address_type, address)).to_bytes()
    }
}

impl Container {
    /// The container's `ContainerID` (0: the GAL).
    pub fn container_id(&self) -> u32 {
        self.container_id
    }

    /// IMAPIContainer::GetContentsTable: the container's entries in display-name order.
    pub fn contents_table(&self) -> MapiResult<AbTable> {
        AbTable::open(&self.session, self.container_id)
    }
}
