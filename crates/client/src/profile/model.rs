//! A profile as IMsgServiceAdmin sees it: its message services, their providers, and the profile
//! sections (IProfSect) that hold their configuration, including the global profile section.
//!
//! The service and provider lists are the registry of the profile (what CreateMsgService
//! records); each entry's properties are also present in its own profile section, which is what
//! OpenProfileSection returns. [`Profile::set_prop`] keeps the two in step for the properties
//! both carry (PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, PR_RESOURCE_FLAGS).

use std::collections::BTreeMap;

use oxmapi_core::catalogue::tags::{
    PR_DISPLAY_NAME, PR_INSTANCE_KEY, PR_PROFILE_AUTH_USER, PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_HOME_SERVER,
    PR_PROFILE_USER, PR_PROVIDER_DISPLAY, PR_PROVIDER_UID, PR_RESOURCE_FLAGS, PR_RESOURCE_TYPE,
    PR_SERVICE_NAME, PR_SERVICE_UID,
};
use oxmapi_core::error::codes;
use oxmapi_core::{MapiError, MapiUid, PropTag, PropValue, TaggedValue};

use super::MapiResult;
use super::consts::{
    DEFAULT_CLIENT_VERSION, GLOBAL_SECTION_UID, PR_OXMAPI_CLIENT_VERSION, PR_OXMAPI_TLS_CA_FILE,
    PR_OXMAPI_TLS_PIN_SHA256, PR_OXMAPI_TRUSTED_ORIGINS, resource_type,
};
use super::section::ProfileSection;

/// A MAPI profile: message services, providers and profile sections.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The profile name (unique in the profile store, compared case-insensitively).
    pub name: String,
    /// The message services, in creation order (the message service table).
    pub services: Vec<MessageService>,
    /// Every profile section by its MAPIUID, the global section included.
    pub sections: BTreeMap<MapiUid, ProfileSection>,
}

/// A message service (one row of IMsgServiceAdmin::GetMsgServiceTable).
#[derive(Clone, Debug, PartialEq)]
pub struct MessageService {
    /// PR_SERVICE_UID: random per service instance; also the key of its profile section.
    pub uid: MapiUid,
    /// PR_SERVICE_NAME: the mapisvc.inf service name (`MSEMS`).
    pub name: String,
    /// PR_DISPLAY_NAME (`Microsoft Exchange Server`).
    pub display_name: String,
    /// PR_RESOURCE_FLAGS: `SERVICE_*` bits.
    pub resource_flags: u32,
    /// The service's providers, in provider-table order.
    pub providers: Vec<Provider>,
}

/// A provider of a message service (one row of IMsgServiceAdmin::GetProviderTable).
#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    /// PR_PROVIDER_UID: random per provider instance; also the key of its profile section.
    pub uid: MapiUid,
    /// The mapisvc.inf provider section name (`EMS_MDB_private`).
    pub name: String,
    /// PR_DISPLAY_NAME (`Mailbox`).
    pub display_name: String,
    /// PR_PROVIDER_DISPLAY (`Microsoft Exchange Message Store`).
    pub provider_display: String,
    /// What the provider is; decides PR_RESOURCE_TYPE.
    pub kind: ProviderKind,
    /// PR_RESOURCE_FLAGS: `STATUS_*` / `HOOK_*` bits.
    pub resource_flags: u32,
}

/// The kind of a provider (PR_RESOURCE_TYPE). A public folder store is a [`ProviderKind::Store`]
/// with STATUS_NO_DEFAULT_STORE; a remote transport is a [`ProviderKind::Transport`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// MAPI_STORE_PROVIDER.
    Store,
    /// MAPI_AB_PROVIDER.
    AddressBook,
    /// MAPI_TRANSPORT_PROVIDER.
    Transport,
    /// MAPI_HOOK_PROVIDER (spooler hook).
    Hook,
}

impl ProviderKind {
    /// Every kind.
    pub const ALL: [ProviderKind; 4] =
        [ProviderKind::Store, ProviderKind::AddressBook, ProviderKind::Transport, ProviderKind::Hook];

    /// The PR_RESOURCE_TYPE value.
    pub fn resource_type(self) -> u32 {
        match self {
            ProviderKind::Store => resource_type::MAPI_STORE_PROVIDER,
            ProviderKind::AddressBook => resource_type::MAPI_AB_PROVIDER,
            ProviderKind::Transport => resource_type::MAPI_TRANSPORT_PROVIDER,
            ProviderKind::Hook => resource_type::MAPI_HOOK_PROVIDER,
        }
    }

    /// The MAPI name of the resource type (`MAPI_STORE_PROVIDER`).
    pub fn resource_type_name(self) -> &'static str {
        resource_type::name(self.resource_type()).unwrap_or("?")
    }

    /// The snake_case name used in the profile file and in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Store => "store",
            ProviderKind::AddressBook => "address_book",
            ProviderKind::Transport => "transport",
            ProviderKind::Hook => "hook",
        }
    }

    /// The kind of a [`ProviderKind::name`].
    pub fn from_name(s: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// A row of the message service table (IMsgServiceAdmin::GetMsgServiceTable).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceRow {
    /// PR_SERVICE_NAME.
    pub service_name: String,
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// PR_SERVICE_UID.
    pub service_uid: MapiUid,
    /// PR_RESOURCE_FLAGS (`SERVICE_*`).
    pub resource_flags: u32,
}

impl ServiceRow {
    /// The row as MAPI columns (PR_INSTANCE_KEY, PR_SERVICE_NAME, PR_DISPLAY_NAME,
    /// PR_SERVICE_UID, PR_RESOURCE_FLAGS).
    pub fn props(&self) -> Vec<TaggedValue> {
        vec![
            TaggedValue::new(PR_INSTANCE_KEY, PropValue::Binary(self.service_uid.0.to_vec())),
            TaggedValue::new(PR_SERVICE_NAME, PropValue::Unicode(self.service_name.clone())),
            TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode(self.display_name.clone())),
            TaggedValue::new(PR_SERVICE_UID, PropValue::Binary(self.service_uid.0.to_vec())),
            TaggedValue::new(PR_RESOURCE_FLAGS, PropValue::I32(self.resource_flags as i32)),
        ]
    }
}

/// A row of the provider table (IMsgServiceAdmin::GetProviderTable).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderRow {
    /// PR_SERVICE_NAME of the owning service.
    pub service_name: String,
    /// PR_SERVICE_UID of the owning service.
    pub service_uid: MapiUid,
    /// The provider's mapisvc.inf name (`EMS_MDB_private`).
    pub provider_name: String,
    /// PR_PROVIDER_UID.
    pub provider_uid: MapiUid,
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// PR_PROVIDER_DISPLAY.
    pub provider_display: String,
    /// The provider kind.
    pub kind: ProviderKind,
    /// PR_RESOURCE_TYPE.
    pub resource_type: u32,
    /// PR_RESOURCE_FLAGS (`STATUS_*`).
    pub resource_flags: u32,
}

impl ProviderRow {
    /// The row as MAPI columns (PR_INSTANCE_KEY, PR_SERVICE_NAME, PR_SERVICE_UID,
    /// PR_PROVIDER_UID, PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS).
    pub fn props(&self) -> Vec<TaggedValue> {
        vec![
            TaggedValue::new(PR_INSTANCE_KEY, PropValue::Binary(self.provider_uid.0.to_vec())),
            TaggedValue::new(PR_SERVICE_NAME, PropValue::Unicode(self.service_name.clone())),
            TaggedValue::new(PR_SERVICE_UID, PropValue::Binary(self.service_uid.0.to_vec())),
            TaggedValue::new(PR_PROVIDER_UID, PropValue::Binary(self.provider_uid.0.to_vec())),
            TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode(self.display_name.clone())),
            TaggedValue::new(PR_PROVIDER_DISPLAY, PropValue::Unicode(self.provider_display.clone())),
            TaggedValue::new(PR_RESOURCE_TYPE, PropValue::I32(self.resource_type as i32)),
            TaggedValue::new(PR_RESOURCE_FLAGS, PropValue::I32(self.resource_flags as i32)),
        ]
    }
}

/// What a section belongs to, for display.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SectionOwner<'a> {
    /// The global profile section.
    Global,
    /// A message service's section.
    Service(&'a MessageService),
    /// A provider's section, with its service.
    Provider(&'a MessageService, &'a Provider),
    /// A section no service or provider claims (created through its UID).
    Other,
}

impl Profile {
    /// An empty profile (IProfAdmin::CreateProfile): no services, and a global section that
    /// holds PR_PROFILE_NAME.
    pub fn new(name: &str) -> Profile {
        let mut p = Profile { name: name.to_string(), services: Vec::new(), sections: BTreeMap::new() };
        p.section_mut(&GLOBAL_SECTION_UID).set_text(oxmapi_core::catalogue::tags::PR_PROFILE_NAME, name);
        p
    }

    /// The section with `uid` (IMsgServiceAdmin::OpenProfileSection, read-only).
    pub fn section(&self, uid: &MapiUid) -> Option<&ProfileSection> {
        self.sections.get(uid)
    }

    /// The section with `uid`, created empty if missing (OpenProfileSection with MAPI_MODIFY).
    pub fn section_mut(&mut self, uid: &MapiUid) -> &mut ProfileSection {
        self.sections.entry(*uid).or_default()
    }

    /// The global profile section (`pbGlobalProfileSectionGuid`).
    pub fn global_section(&self) -> Option<&ProfileSection> {
        self.section(&GLOBAL_SECTION_UID)
    }

    /// The global profile section, created if missing.
    pub fn global_section_mut(&mut self) -> &mut ProfileSection {
        self.section_mut(&GLOBAL_SECTION_UID)
    }

    /// Resolves a section name: `global` (or empty), a service name (`MSEMS`), a provider name
    /// (`EMS_MDB_private`, `EMS_MDB_public`, `EMS_DSA`, `EMS_MSX`, `EMS_RXP`, `EMS_Hook`), or a
    /// MAPIUID as 32 hex digits or in GUID form (`{C8B0DB13-05AA-1A10-9BB0-00AA002FC45A}`,
    /// braces optional). Names compare case-insensitively. A UID need not name an existing
    /// section (OpenProfileSection with MAPI_MODIFY creates one).
    pub fn resolve_section(&self, spec: &str) -> MapiResult<MapiUid> {
        let s = spec.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("global") {
            return Ok(GLOBAL_SECTION_UID);
        }
        if let Some(svc) = self.services.iter().find(|v| v.name.eq_ignore_ascii_case(s)) {
            return Ok(svc.uid);
        }
        if let Some(p) =
            self.services.iter().flat_map(|v| &v.providers).find(|p| p.name.eq_ignore_ascii_case(s))
        {
            return Ok(p.uid);
        }
        let unbraced = s.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(s);
        let uid = if unbraced.contains('-') { MapiUid::parse(s) } else { MapiUid::parse(unbraced) };
        uid.ok_or_else(|| self.no_section(spec))
    }

    fn no_section(&self, spec: &str) -> MapiError {
        let names: Vec<&str> = self
            .services
            .iter()
            .flat_map(|s| std::iter::once(s.name.as_str()).chain(s.providers.iter().map(|p| p.name.as_str())))
            .collect();
        MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!(
                "no profile section {spec:?} in profile {:?}: use global, a service or provider name ({}) \
                 or a 32-digit MAPIUID",
                self.name,
                if names.is_empty() { "this profile has no services".to_string() } else { names.join(", ") }
            ),
        )
    }

    /// What the section with `uid` belongs to.
    pub fn section_owner(&self, uid: &MapiUid) -> SectionOwner<'_> {
        if *uid == GLOBAL_SECTION_UID {
            return SectionOwner::Global;
        }
        for s in &self.services {
            if s.uid == *uid {
                return SectionOwner::Service(s);
            }
            if let Some(p) = s.providers.iter().find(|p| p.uid == *uid) {
                return SectionOwner::Provider(s, p);
            }
        }
        SectionOwner::Other
    }

    /// The message service named `name` (case-insensitive).
    pub fn service(&self, name: &str) -> Option<&MessageService> {
        self.services.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// The message service with PR_SERVICE_UID `uid`.
    pub fn service_by_uid(&self, uid: &MapiUid) -> Option<&MessageService> {
        self.services.iter().find(|s| s.uid == *uid)
    }

    /// The first provider named `name` (case-insensitive), with its service.
    pub fn provider(&self, name: &str) -> Option<(&MessageService, &Provider)> {
        self.services
            .iter()
            .find_map(|s| s.providers.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| (s, p)))
    }

    /// IMsgServiceAdmin::DeleteMsgService: removes the service, its section and its providers'
    /// sections. The global section stays.
    pub fn remove_service(&mut self, uid: &MapiUid) -> MapiResult<()> {
        let Some(i) = self.services.iter().position(|s| s.uid == *uid) else {
            return Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("profile {:?} has no message service with PR_SERVICE_UID {uid}", self.name),
            ));
        };
        let svc = self.services.remove(i);
        self.sections.remove(&svc.uid);
        for p in &svc.providers {
            self.sections.remove(&p.uid);
        }
        Ok(())
    }

    /// The message service table (IMsgServiceAdmin::GetMsgServiceTable).
    pub fn service_table(&self) -> Vec<ServiceRow> {
        self.services
            .iter()
            .map(|s| ServiceRow {
                service_name: s.name.clone(),
                display_name: s.display_name.clone(),
                service_uid: s.uid,
                resource_flags: s.resource_flags,
            })
            .collect()
    }

    /// The provider table of every service (IMsgServiceAdmin::GetProviderTable).
    pub fn provider_table(&self) -> Vec<ProviderRow> {
        self.services
            .iter()
            .flat_map(|s| {
                s.providers.iter().map(move |p| ProviderRow {
                    service_name: s.name.clone(),
                    service_uid: s.uid,
                    provider_name: p.name.clone(),
                    provider_uid: p.uid,
                    display_name: p.display_name.clone(),
                    provider_display: p.provider_display.clone(),
                    kind: p.kind,
                    resource_type: p.kind.resource_type(),
                    resource_flags: p.resource_flags,
                })
            })
            .collect()
    }

    /// Sets a property in the section `uid` (IProfSect::SetProps), creating the section if
    /// needed. PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY and PR_RESOURCE_FLAGS of a service or
    /// provider section also update the service/provider tables; oxmapi's private properties are
    /// checked for their form (client version `A.B.C.D`, pin of 64 hex digits).
    pub fn set_prop(&mut self, uid: &MapiUid, tag: PropTag, value: PropValue) -> MapiResult<()> {
        let value = super::parse::private_value(tag, value)?;
        let text = value.as_text().map(|t| t.into_owned());
        if tag.id() == PR_PROFILE_HOME_SERVER.id()
            && text.as_deref().map(|t| t.trim().trim_end_matches('/')) != self.server_url().as_deref()
        {
            // As ConfigureMsgService does: the endpoint URLs Autodiscover gave belong to the old
            // server, and a logon must not keep going there.
            self.clear_mapihttp_urls();
        }
        let long = match value {
            PropValue::I32(v) => Some(v as u32),
            _ => None,
        };
        for s in &mut self.services {
            let provider = s.providers.iter_mut().find(|p| p.uid == *uid);
            match (s.uid == *uid, provider, tag.id()) {
                (true, _, id) if id == PR_DISPLAY_NAME.id() => {
                    s.display_name = text.clone().unwrap_or_default()
                }
                (true, _, id) if id == PR_RESOURCE_FLAGS.id() => s.resource_flags = long.unwrap_or(0),
                (_, Some(p), id) if id == PR_DISPLAY_NAME.id() => {
                    p.display_name = text.clone().unwrap_or_default()
                }
                (_, Some(p), id) if id == PR_PROVIDER_DISPLAY.id() => {
                    p.provider_display = text.clone().unwrap_or_default()
                }
                (_, Some(p), id) if id == PR_RESOURCE_FLAGS.id() => p.resource_flags = long.unwrap_or(0),
                _ => {}
            }
        }
        self.section_mut(uid).set(tag, value);
        Ok(())
    }

    fn global_u32(&self, tag: PropTag) -> Option<u32> {
        self.global_section()?.get_u32(tag)
    }

    /// A configuration string: from the global section, else from the MSEMS service's own
    /// section (where `profile set --section MSEMS` puts it).
    pub(super) fn global_text(&self, tag: PropTag) -> Option<String> {
        let text = |s: Option<&ProfileSection>| s?.get_text(tag).filter(|s| !s.is_empty());
        text(self.global_section())
            .or_else(|| text(self.service(super::msems::MSEMS.name).and_then(|s| self.section(&s.uid))))
    }

    /// PR_PROFILE_CONNECT_FLAGS of the global section (0 when absent): the Connect `Flags`
    /// (CONNECT_IGNORE_NO_PF 0x8000, CONNECT_USE_ADMIN_PRIVILEGE 0x1).
    pub fn connect_flags(&self) -> u32 {
        self.global_u32(PR_PROFILE_CONNECT_FLAGS).unwrap_or(0)
    }

    /// The MAPI/HTTP server URL: PR_PROFILE_HOME_SERVER of the global section (or, failing that,
    /// of the MSEMS service section), which oxmapi stores as the full URL
    /// (`https://mail.example.test`), not a bare host name. The other string getters below read
    /// the same two sections in the same order.
    pub fn server_url(&self) -> Option<String> {
        self.global_text(PR_PROFILE_HOME_SERVER)
    }

    /// The user to authenticate as: PR_PROFILE_AUTH_USER_W of the global section.
    pub fn auth_user(&self) -> Option<String> {
        self.global_text(PR_PROFILE_AUTH_USER)
    }

    /// PR_PROFILE_USER of the global section: the user's legacy DN, learned at logon.
    pub fn profile_user(&self) -> Option<String> {
        self.global_text(PR_PROFILE_USER)
    }

    /// The advertised client version (PR_OXMAPI_CLIENT_VERSION), if the profile sets one.
    pub fn client_version(&self) -> Option<String> {
        self.global_text(PR_OXMAPI_CLIENT_VERSION)
    }

    /// The advertised client version, or [`DEFAULT_CLIENT_VERSION`].
    pub fn client_version_or_default(&self) -> String {
        self.client_version().unwrap_or_else(|| DEFAULT_CLIENT_VERSION.to_string())
    }

    /// PR_OXMAPI_TLS_CA_FILE: extra CA certificates (PEM) for this profile's server.
    pub fn tls_ca_file(&self) -> Option<String> {
        self.global_text(PR_OXMAPI_TLS_CA_FILE)
    }

    /// PR_OXMAPI_TLS_PIN_SHA256: the pinned server certificate fingerprint (64 lowercase hex).
    pub fn tls_pin_sha256(&self) -> Option<String> {
        self.global_text(PR_OXMAPI_TLS_PIN_SHA256)
    }

    /// PR_OXMAPI_TRUSTED_ORIGINS: the origins besides the server's that may receive
    /// credentials.
    pub fn trusted_origins(&self) -> Vec<String> {
        self.global_text(PR_OXMAPI_TRUSTED_ORIGINS)
            .map(|t| t.split([' ', ',', '\t', '\n']).filter(|s| !s.is_empty()).map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// Adds origins to PR_OXMAPI_TRUSTED_ORIGINS (those already listed are kept once).
    pub fn add_trusted_origins(&mut self, origins: &[String]) -> MapiResult<()> {
        let mut all = self.trusted_origins();
        for o in origins {
            if !all.iter().any(|a| a.eq_ignore_ascii_case(o)) {
                all.push(o.clone());
            }
        }
        self.set_prop(&GLOBAL_SECTION_UID, PR_OXMAPI_TRUSTED_ORIGINS, PropValue::Unicode(all.join(" ")))
    }

    /// Sets PR_PROFILE_USER (the legacy DN learned at logon).
    pub fn set_profile_user(&mut self, legacy_dn: &str) {
        self.global_section_mut().set_text(PR_PROFILE_USER, legacy_dn);
    }

    /// Sets PR_OXMAPI_CLIENT_VERSION (`A.B.C.D`, each part 0–65535).
    pub fn set_client_version(&mut self, version: &str) -> MapiResult<()> {
        self.set_prop(&GLOBAL_SECTION_UID, PR_OXMAPI_CLIENT_VERSION, PropValue::Unicode(version.into()))
    }

    /// Sets PR_OXMAPI_TLS_CA_FILE.
    pub fn set_tls_ca_file(&mut self, path: &str) -> MapiResult<()> {
        self.set_prop(&GLOBAL_SECTION_UID, PR_OXMAPI_TLS_CA_FILE, PropValue::Unicode(path.into()))
    }

    /// Sets PR_OXMAPI_TLS_PIN_SHA256 (64 hex digits; `:` separators and case are normalised).
    pub fn set_tls_pin_sha256(&mut self, fingerprint: &str) -> MapiResult<()> {
        self.set_prop(&GLOBAL_SECTION_UID, PR_OXMAPI_TLS_PIN_SHA256, PropValue::Unicode(fingerprint.into()))
    }

    /// What the MSEMS service still lacks before a logon can succeed without asking the user:
    /// `Ok` when configured, else the missing items (MAPI_E_UNCONFIGURED material).
    pub fn is_configured(&self) -> Result<(), Vec<&'static str>> {
        if self.service(super::msems::MSEMS.name).is_none() {
            return Err(vec!["the MSEMS message service"]);
        }
        let mut missing = Vec::new();
        if self.server_url().is_none() {
            missing.push("the server URL (PR_PROFILE_HOME_SERVER)");
        }
        if self.auth_user().is_none() {
            missing.push("the user name (PR_PROFILE_AUTH_USER_W)");
        }
        if missing.is_empty() { Ok(()) } else { Err(missing) }
    }
}
