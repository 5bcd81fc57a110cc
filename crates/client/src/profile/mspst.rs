//! The Personal Folders message services, MSUPST MS (Unicode PST) and MSPST MS (ANSI PST): their
//! mapisvc.inf entries as constant tables (MFCMAPI's `aPSTServicesIni` for MSPST MS; MSUPST MS
//! has the same shape), IMsgServiceAdmin::CreateMsgService + ConfigureMsgService with
//! PR_PST_PATH as MFCMAPI's HrAddPSTToProfile passes it (mspst.h: "CreateMsgService ... then
//! ConfigureMsgService"), and the lookups a session needs.
//!
//! Several PST services may be in one profile; each is one store. A PST store is never the
//! default store of a profile that has MSEMS (its provider is added without
//! STATUS_DEFAULT_STORE then).

use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_RESOURCE_FLAGS};
use oxmapi_core::error::codes;
use oxmapi_core::guid::MSPST_UID_PROVIDER;
use oxmapi_core::{MapiError, MapiUid, PropTag};

use super::MapiResult;
use super::consts::provider_flags::STATUS_DEFAULT_STORE;
use super::consts::service_flags::SERVICE_NO_PRIMARY_IDENTITY;
use super::model::{MessageService, Profile, ProviderKind};
use super::msems::{ProviderTemplate, ServiceTemplate};

/// PR_PST_PATH (mspst.h: PROP_TAG(PT_STRING8, 0x6700)), kept as PT_UNICODE as MFCMAPI writes it
/// (`CHANGE_PROP_TYPE(PR_PST_PATH, PT_UNICODE)`): the file's path, in the provider's section.
pub const PR_PST_PATH: PropTag = PropTag(0x6700_001F);

/// The properties mspst.h defines for a PST service's sections, with their names: they live in
/// the provider-private id range (0x6700–0x67FF), so in these sections the ids mean these,
/// not oxmapi's private global-section properties.
pub const PST_SECTION_TAGS: &[(PropTag, &str)] = &[
    (PR_PST_PATH, "PR_PST_PATH"),
    (PropTag(0x6701_000B), "PR_PST_REMEMBER_PW"),
    (PropTag(0x6702_0003), "PR_PST_ENCRYPTION"),
    (PropTag(0x6703_001E), "PR_PST_PW_SZ_OLD"),
    (PropTag(0x6704_001E), "PR_PST_PW_SZ_NEW"),
];

/// The name of `tag` in a section of a Personal Folders service (any string width).
pub fn pst_tag_name(tag: PropTag) -> Option<&'static str> {
    let string = |t: PropTag| matches!(t.raw_type(), 0x001E | 0x001F);
    PST_SECTION_TAGS
        .iter()
        .find(|(t, _)| t.id() == tag.id() && (*t == tag || string(*t) && string(tag)))
        .map(|(_, n)| *n)
}

/// The two PST formats a service opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PstKind {
    /// MSUPST MS: Unicode PST (Outlook 2003 and later).
    Unicode,
    /// MSPST MS: ANSI PST (Outlook 97–2002).
    Ansi,
}

/// The store provider of a Personal Folders service: PR_MDB_PROVIDER is MSPST_UID_PROVIDER and
/// the provider may be the default store (mapisvc.inf's `MSPST MSP` section).
const fn pst_provider(name: &'static str) -> ProviderTemplate {
    ProviderTemplate {
        name,
        display_name: "Personal Folders",
        provider_display: "Personal Folders File (.pst)",
        kind: ProviderKind::Store,
        resource_flags: STATUS_DEFAULT_STORE,
        open_flags: None,
        profile_type: None,
        mdb_provider: Some(MSPST_UID_PROVIDER),
    }
}

/// A Personal Folders service entry of mapisvc.inf (both formats have the same shape).
const fn pst_service(name: &'static str, providers: &'static [ProviderTemplate]) -> ServiceTemplate {
    ServiceTemplate {
        name,
        display_name: "Personal Folders",
        resource_flags: SERVICE_NO_PRIMARY_IDENTITY,
        install_id: "{6485D262-C2AC-11D1-AD3E-10A0C911C9C0}",
        providers,
        global_defaults: &[],
    }
}

/// The MSUPST MS service (Unicode Personal Folders).
pub const MSUPST: ServiceTemplate = pst_service("MSUPST MS", &[pst_provider("MSUPST MSP")]);

/// The MSPST MS service (ANSI Personal Folders), as MFCMAPI's `aPSTServicesIni` writes it.
pub const MSPST: ServiceTemplate = pst_service("MSPST MS", &[pst_provider("MSPST MSP")]);

impl PstKind {
    /// The kind a service name stands for: `MSUPST`, `MSUPST MS`, `MSPST`, `MSPST MS`
    /// (case-insensitive).
    pub fn from_service_name(name: &str) -> Option<PstKind> {
        match name.trim().to_ascii_uppercase().as_str() {
            "MSUPST" | "MSUPST MS" => Some(PstKind::Unicode),
            "MSPST" | "MSPST MS" => Some(PstKind::Ansi),
            _ => None,
        }
    }

    fn template(self) -> &'static ServiceTemplate {
        match self {
            PstKind::Unicode => &MSUPST,
            PstKind::Ansi => &MSPST,
        }
    }
}

/// Whether `service` is a Personal Folders service.
pub fn is_pst_service(service: &MessageService) -> bool {
    PstKind::from_service_name(&service.name).is_some()
}

impl Profile {
    /// CreateMsgService("MSUPST MS" / "MSPST MS") and ConfigureMsgService with PR_PST_PATH
    /// (an absolute path) and PR_DISPLAY_NAME: the store's name in the stores table. The
    /// display name must be unused by the profile's other stores, which `--store NAME` names.
    pub fn add_pst_service(
        &mut self,
        kind: PstKind,
        path: &str,
        display_name: Option<&str>,
    ) -> MapiResult<MapiUid> {
        let name =
            display_name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or(kind.template().display_name);
        if self.pst_stores().iter().any(|(n, _, _)| n.eq_ignore_ascii_case(name)) {
            return Err(MapiError::new(
                codes::MAPI_E_COLLISION,
                format!(
                    "profile {:?} already has a store named {name:?}; pass another --display-name",
                    self.name
                ),
            ));
        }
        if self.pst_stores().iter().any(|(_, p, _)| p == path) {
            return Err(MapiError::new(
                codes::MAPI_E_COLLISION,
                format!("profile {:?} already has a Personal Folders service for {path}", self.name),
            ));
        }
        let has_default = self.services.iter().any(|s| {
            s.providers
                .iter()
                .any(|p| p.kind == ProviderKind::Store && p.resource_flags & STATUS_DEFAULT_STORE != 0)
        });
        let uid = self.create_service(kind.template());
        let svc = self.services.iter_mut().find(|s| s.uid == uid).expect("just created");
        svc.display_name = name.to_string();
        let provider_uids: Vec<MapiUid> = svc.providers.iter().map(|p| p.uid).collect();
        for p in &mut svc.providers {
            p.display_name = name.to_string();
            if has_default {
                p.resource_flags &= !STATUS_DEFAULT_STORE;
            }
        }
        let flags: Vec<u32> = svc.providers.iter().map(|p| p.resource_flags).collect();
        self.section_mut(&uid).set_text(PR_DISPLAY_NAME, name);
        self.section_mut(&uid).set_text(PR_PST_PATH, path);
        for (p, f) in provider_uids.iter().zip(flags) {
            let sect = self.section_mut(p);
            sect.set_text(PR_DISPLAY_NAME, name);
            sect.set_text(PR_PST_PATH, path);
            sect.set_u32(PR_RESOURCE_FLAGS, f);
        }
        Ok(uid)
    }

    /// The Personal Folders stores of the profile: (display name, PR_PST_PATH, service UID).
    pub fn pst_stores(&self) -> Vec<(String, String, MapiUid)> {
        self.services
            .iter()
            .filter(|s| is_pst_service(s))
            .map(|s| {
                let path =
                    self.section(&s.uid).and_then(|sect| sect.get_text(PR_PST_PATH)).unwrap_or_default();
                (s.display_name.clone(), path, s.uid)
            })
            .collect()
    }

    /// The service `name` names: its display name, its service name (when only one service
    /// has it) or its PR_SERVICE_UID in hex.
    pub fn find_service(&self, name: &str) -> MapiResult<MapiUid> {
        let by_display: Vec<&MessageService> =
            self.services.iter().filter(|s| s.display_name.eq_ignore_ascii_case(name)).collect();
        let by_name: Vec<&MessageService> =
            self.services.iter().filter(|s| s.name.eq_ignore_ascii_case(name)).collect();
        let pick = if by_display.len() == 1 {
            by_display[0]
        } else if by_display.is_empty() && by_name.len() == 1 {
            by_name[0]
        } else if let Some(s) = self.services.iter().find(|s| s.uid.to_string().eq_ignore_ascii_case(name)) {
            s
        } else {
            let names: Vec<String> =
                self.services.iter().map(|s| format!("{} ({}, {})", s.display_name, s.name, s.uid)).collect();
            let what = if by_display.len() + by_name.len() > 1 {
                "more than one service is called"
            } else {
                "no service is called"
            };
            return Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("profile {:?}: {what} {name:?}; its services: {}", self.name, names.join(", ")),
            ));
        };
        Ok(pick.uid)
    }
}
