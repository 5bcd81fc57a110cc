//! A profile section as MFCMAPI shows it: its stored properties plus the rows it is known by
//! (PR_PROVIDER_UID, PR_SERVICE_UID: the UIDs the field's procedures look for, e.g. "the
//! profile section with the PR_PROVIDER_UID of 13DBB0C8AA05101A9BB000AA002FC45A"), and where a
//! property must be set to take effect.

use oxmapi_core::MapiUid;
use oxmapi_core::catalogue::tags::{
    PR_PROFILE_AUTH_USER, PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_HOME_SERVER, PR_PROFILE_OPEN_FLAGS,
    PR_PROVIDER_UID, PR_SERVICE_UID,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::GLOBAL_SECTION_UID;
use super::model::{Profile, SectionOwner};

/// Properties read from the global section, or failing that from the MSEMS service's own section
/// (`Profile::global_text`): the server, the user and oxmapi's connection settings. Anywhere
/// else they are never read.
pub const GLOBAL_OR_SERVICE: &[PropTag] = &[
    PR_PROFILE_HOME_SERVER,
    PR_PROFILE_AUTH_USER,
    super::PR_OXMAPI_CLIENT_VERSION,
    super::PR_OXMAPI_TLS_CA_FILE,
    super::PR_OXMAPI_TLS_PIN_SHA256,
];

/// Properties read only from the global profile section (pbGlobalProfileSectionGuid): the
/// Connect flags and the open flags of the MSEMS provider (Exchange's emsabtag.h/edkmdb.h put
/// PR_PROFILE_CONNECT_FLAGS and PR_PROFILE_OPEN_FLAGS in the global section; oxmapi's session
/// reads them there, `Profile::connect_flags`).
pub const GLOBAL_ONLY: &[PropTag] = &[PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_OPEN_FLAGS];

impl Profile {
    /// The rows a section is known by: PR_PROVIDER_UID (the global section's UID, or a
    /// provider's) and PR_SERVICE_UID (the owning service's), for those the section does not
    /// store itself.
    pub fn section_identity(&self, uid: &MapiUid) -> Vec<TaggedValue> {
        let bin = |u: &MapiUid| PropValue::Binary(u.0.to_vec());
        let mut rows = match self.section_owner(uid) {
            SectionOwner::Global => vec![TaggedValue::new(PR_PROVIDER_UID, bin(&GLOBAL_SECTION_UID))],
            SectionOwner::Service(s) => vec![TaggedValue::new(PR_SERVICE_UID, bin(&s.uid))],
            SectionOwner::Provider(s, p) => {
                vec![
                    TaggedValue::new(PR_PROVIDER_UID, bin(&p.uid)),
                    TaggedValue::new(PR_SERVICE_UID, bin(&s.uid)),
                ]
            }
            SectionOwner::Other => Vec::new(),
        };
        if let Some(sect) = self.section(uid) {
            rows.retain(|r| sect.get_any(r.tag).is_none());
        }
        rows
    }

    /// Every row of a section: [`Profile::section_identity`] first, then what it stores.
    pub fn section_view(&self, uid: &MapiUid) -> Vec<TaggedValue> {
        let mut rows = self.section_identity(uid);
        if let Some(sect) = self.section(uid) {
            rows.extend(sect.iter().cloned());
        }
        rows
    }

    /// When `tag` has no effect in section `uid`: the section where it does (its UID).
    pub fn effective_section(&self, uid: &MapiUid, tag: PropTag) -> Option<MapiUid> {
        let is = |list: &[PropTag]| list.iter().any(|t| t.id() == tag.id());
        if *uid == GLOBAL_SECTION_UID {
            return None;
        }
        let msems = self.service(super::msems::MSEMS.name).map(|s| s.uid);
        let effective = is(GLOBAL_ONLY) || (is(GLOBAL_OR_SERVICE) && msems != Some(*uid));
        effective.then_some(GLOBAL_SECTION_UID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_global_section_is_known_by_its_provider_uid() {
        let p = Profile::new("work");
        let rows = p.section_view(&GLOBAL_SECTION_UID);
        let uid = rows.iter().find(|r| r.tag == PR_PROVIDER_UID).expect("PR_PROVIDER_UID row");
        // pbGlobalProfileSectionGuid, as the field's procedures spell it.
        let hex: String = match &uid.value {
            PropValue::Binary(b) => b.iter().map(|x| format!("{x:02X}")).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(hex, "13DBB0C8AA05101A9BB000AA002FC45A");
    }

    #[test]
    fn connect_flags_belong_in_the_global_section() {
        let mut p = Profile::new("work");
        p.add_msems_service(Some("http://127.0.0.1:1"), Some("alice")).unwrap();
        let msems = p.service("MSEMS").unwrap().uid;
        assert_eq!(p.effective_section(&msems, PR_PROFILE_CONNECT_FLAGS), Some(GLOBAL_SECTION_UID));
        assert_eq!(p.effective_section(&GLOBAL_SECTION_UID, PR_PROFILE_CONNECT_FLAGS), None);
        let rows = p.section_view(&msems);
        assert!(rows.iter().any(|r| r.tag == PR_SERVICE_UID));
        // The server URL is read from the global section or the MSEMS service's, not a provider's.
        assert_eq!(p.effective_section(&msems, PR_PROFILE_HOME_SERVER), None);
        let private = p.service("MSEMS").unwrap().providers[0].uid;
        assert_eq!(p.effective_section(&private, PR_PROFILE_HOME_SERVER), Some(GLOBAL_SECTION_UID));
    }
}
