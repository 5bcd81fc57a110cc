//! The MAPI/HTTP endpoint URLs a profile keeps, as Outlook keeps them (Microsoft's Office
//! profile sample `HrCreateMsemsServiceMOH`, MFCMAPI's tag names; protocol-facts §7.x): the
//! address book URLs (PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL / _EXTERNAL_URL) and the
//! last Autodiscover URL that answered (PR_PROFILE_LKG_AUTODISCOVER_URL) in the global section,
//! the mailbox URLs (PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL / _EXTERNAL_URL) in the private
//! store provider's section. Reading also looks in the global section for the mailbox URLs.

use oxmapi_core::catalogue::tags::{
    PR_PROFILE_LKG_AUTODISCOVER_URL, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL,
    PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL, PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL,
    PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL,
};
use oxmapi_core::{MapiUid, PropTag};

use super::consts::GLOBAL_SECTION_UID;
use super::model::Profile;
use crate::transport::MapiHttpUrls;

/// The provider whose section holds the mailbox URLs.
const PRIVATE_STORE_PROVIDER: &str = "EMS_MDB_private";

/// Every endpoint property, for clearing them together.
pub const ENDPOINT_TAGS: &[PropTag] = &[
    PR_PROFILE_LKG_AUTODISCOVER_URL,
    PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL,
    PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL,
    PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL,
    PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL,
];

impl Profile {
    /// The private store provider's section (the MSEMS service's `EMS_MDB_private`).
    fn private_store_uid(&self) -> Option<MapiUid> {
        let svc = self.service(super::msems::MSEMS.name)?;
        svc.providers.iter().find(|p| p.name.eq_ignore_ascii_case(PRIVATE_STORE_PROVIDER)).map(|p| p.uid)
    }

    fn store_text(&self, tag: PropTag) -> Option<String> {
        self.private_store_uid()
            .and_then(|uid| self.section(&uid)?.get_text(tag))
            .filter(|s| !s.is_empty())
            .or_else(|| self.global_text(tag))
    }

    /// The endpoint URLs the profile keeps (Autodiscover's answer of an earlier logon).
    pub fn mapihttp_urls(&self) -> MapiHttpUrls {
        MapiHttpUrls {
            mailstore_internal: self.store_text(PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL),
            mailstore_external: self.store_text(PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL),
            addressbook_internal: self.global_text(PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL),
            addressbook_external: self.global_text(PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL),
        }
    }

    /// PR_PROFILE_LKG_AUTODISCOVER_URL: the Autodiscover URL that last answered.
    pub fn lkg_autodiscover_url(&self) -> Option<String> {
        self.global_text(PR_PROFILE_LKG_AUTODISCOVER_URL)
    }

    /// Keeps what Autodiscover (at `autodiscover_url`) answered; URLs it did not name are
    /// removed, so that none of an older answer survives.
    pub fn set_mapihttp_urls(&mut self, urls: &MapiHttpUrls, autodiscover_url: &str) {
        let store = self.private_store_uid().unwrap_or(GLOBAL_SECTION_UID);
        let put = |p: &mut Profile, uid: MapiUid, tag: PropTag, v: &Option<String>| {
            let sect = p.section_mut(&uid);
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(v) => sect.set_text(tag, v),
                None => {
                    sect.remove(tag);
                }
            }
        };
        put(self, store, PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL, &urls.mailstore_internal);
        put(self, store, PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL, &urls.mailstore_external);
        let g = GLOBAL_SECTION_UID;
        put(self, g, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL, &urls.addressbook_internal);
        put(self, g, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL, &urls.addressbook_external);
        put(self, g, PR_PROFILE_LKG_AUTODISCOVER_URL, &Some(autodiscover_url.to_string()));
    }

    /// Forgets the endpoint URLs (the server URL changed: they belong to the old server).
    pub fn clear_mapihttp_urls(&mut self) {
        let uids: Vec<MapiUid> =
            [Some(GLOBAL_SECTION_UID), self.private_store_uid()].into_iter().flatten().collect();
        for uid in uids {
            if let Some(sect) = self.sections.get_mut(&uid) {
                for &tag in ENDPOINT_TAGS {
                    sect.remove(tag);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::catalogue::tags::PR_PROFILE_HOME_SERVER;
    use oxmapi_core::value::PropValue;

    /// `profile set NAME PR_PROFILE_HOME_SERVER URL` is a new server as much as
    /// ConfigureMsgService is: the endpoints the old server's Autodiscover named must go, or every
    /// logon keeps going to the old origin.
    #[test]
    fn setting_the_home_server_forgets_the_old_servers_endpoints() {
        let mut p = Profile::new("work");
        p.add_msems_service(Some("http://old.example.test"), Some("alice")).unwrap();
        let urls = MapiHttpUrls {
            mailstore_internal: Some("http://old.example.test/mapi/emsmdb/?MailboxId=x".into()),
            addressbook_internal: Some("http://old.example.test/mapi/nspi/?MailboxId=x".into()),
            ..MapiHttpUrls::default()
        };
        p.set_mapihttp_urls(&urls, "http://old.example.test/autodiscover/autodiscover.xml");
        // The same URL again keeps them (nothing changed).
        p.set_prop(
            &GLOBAL_SECTION_UID,
            PR_PROFILE_HOME_SERVER,
            PropValue::Unicode("http://old.example.test/".into()),
        )
        .unwrap();
        assert!(p.mapihttp_urls().mailstore_internal.is_some());
        p.set_prop(
            &GLOBAL_SECTION_UID,
            PR_PROFILE_HOME_SERVER,
            PropValue::Unicode("http://new.example.test".into()),
        )
        .unwrap();
        assert_eq!(p.mapihttp_urls(), MapiHttpUrls::default());
        assert_eq!(p.lkg_autodiscover_url(), None);
    }
}
