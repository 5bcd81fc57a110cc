//! The MSEMS (Microsoft Exchange Server) message service: its mapisvc.inf entry as a constant
//! table, IMsgServiceAdmin::CreateMsgService("MSEMS") and ConfigureMsgService.
//!
//! The table mirrors what MFCMAPI writes into mapisvc.inf for MSEMS (protocol-facts §6.2):
//! the service, its six providers with their PR_RESOURCE_FLAGS, PR_PROFILE_OPEN_FLAGS,
//! PR_PROFILE_TYPE and PR_MDB_PROVIDER, and the `MSEMS_MSMail_Section` defaults of the global
//! profile section. oxmapi has no DLLs, so PR_SERVICE_DLL_NAME / PR_PROVIDER_DLL_NAME are not
//! written. Two display names differ from mapisvc.inf on purpose: the private store shows as
//! "Mailbox" (mapisvc.inf: "Private Folders") and the address book as "Microsoft Exchange Global
//! Address List" (mapisvc.inf: "Microsoft Exchange Directory Service"); PR_PROVIDER_DISPLAY
//! keeps the mapisvc.inf names.

use oxmapi_core::catalogue::tags::{
    PR_AB_PROVIDERS, PR_DISPLAY_NAME, PR_MDB_PROVIDER, PR_PROFILE_AUTH_USER, PR_PROFILE_CONFIG_FLAGS,
    PR_PROFILE_CONNECT_FLAGS, PR_PROFILE_HOME_SERVER, PR_PROFILE_OPEN_FLAGS, PR_PROFILE_TRANSPORT_FLAGS,
    PR_PROFILE_TYPE, PR_PROFILE_VERSION, PR_PROVIDER_DISPLAY, PR_PROVIDER_UID, PR_RESOURCE_FLAGS,
    PR_RESOURCE_TYPE, PR_SERVICE_INSTALL_ID, PR_SERVICE_NAME, PR_SERVICE_UID, PR_STORE_PROVIDERS,
    PR_TRANSPORT_PROVIDERS,
};
use oxmapi_core::error::codes;
use oxmapi_core::guid::{EXCHANGE_PROVIDER_PRIMARY_USER_GUID, EXCHANGE_PROVIDER_PUBLIC_GUID};
use oxmapi_core::{Guid, MapiError, MapiUid, PropTag, PropValue};

use super::MapiResult;
use super::consts::provider_flags::{
    HOOK_INBOUND, STATUS_DEFAULT_STORE, STATUS_NO_DEFAULT_STORE, STATUS_PRIMARY_IDENTITY,
    STATUS_PRIMARY_STORE,
};
use super::consts::service_flags::SERVICE_SINGLE_COPY;
use super::model::{MessageService, Profile, Provider, ProviderKind};

/// One provider entry of a mapisvc.inf service.
#[derive(Debug)]
pub struct ProviderTemplate {
    /// The provider section name (`EMS_MDB_private`).
    pub name: &'static str,
    /// PR_DISPLAY_NAME.
    pub display_name: &'static str,
    /// PR_PROVIDER_DISPLAY.
    pub provider_display: &'static str,
    /// PR_RESOURCE_TYPE, as a kind.
    pub kind: ProviderKind,
    /// PR_RESOURCE_FLAGS.
    pub resource_flags: u32,
    /// PR_PROFILE_OPEN_FLAGS, where mapisvc.inf sets it.
    pub open_flags: Option<u32>,
    /// PR_PROFILE_TYPE, where mapisvc.inf sets it.
    pub profile_type: Option<u32>,
    /// PR_MDB_PROVIDER of a store provider.
    pub mdb_provider: Option<Guid>,
}

/// A mapisvc.inf service entry.
#[derive(Debug)]
pub struct ServiceTemplate {
    /// PR_SERVICE_NAME.
    pub name: &'static str,
    /// PR_DISPLAY_NAME.
    pub display_name: &'static str,
    /// PR_RESOURCE_FLAGS (`SERVICE_*`).
    pub resource_flags: u32,
    /// PR_SERVICE_INSTALL_ID.
    pub install_id: &'static str,
    /// The providers, in provider-table order.
    pub providers: &'static [ProviderTemplate],
    /// PT_LONG defaults of the global profile section (`MSEMS_MSMail_Section`).
    pub global_defaults: &'static [(PropTag, u32)],
}

/// The MSEMS service (protocol-facts §6.2; MFCMAPI `aEMSServicesIni`).
pub const MSEMS: ServiceTemplate = ServiceTemplate {
    name: "MSEMS",
    display_name: "Microsoft Exchange Server",
    resource_flags: SERVICE_SINGLE_COPY,
    install_id: "{6485D26A-C2AC-11D1-AD3E-10A0C911C9C0}",
    providers: &[
        ProviderTemplate {
            name: "EMS_MDB_private",
            display_name: "Mailbox",
            provider_display: "Microsoft Exchange Message Store",
            kind: ProviderKind::Store,
            resource_flags: STATUS_PRIMARY_IDENTITY | STATUS_DEFAULT_STORE | STATUS_PRIMARY_STORE,
            open_flags: Some(0x0C),
            profile_type: Some(1),
            mdb_provider: Some(EXCHANGE_PROVIDER_PRIMARY_USER_GUID),
        },
        ProviderTemplate {
            name: "EMS_MDB_public",
            display_name: "Public Folders",
            provider_display: "Microsoft Exchange Message Store",
            kind: ProviderKind::Store,
            resource_flags: STATUS_NO_DEFAULT_STORE,
            open_flags: Some(0x06),
            profile_type: Some(3),
            mdb_provider: Some(EXCHANGE_PROVIDER_PUBLIC_GUID),
        },
        ProviderTemplate {
            name: "EMS_DSA",
            display_name: "Microsoft Exchange Global Address List",
            provider_display: "Microsoft Exchange Directory Service",
            kind: ProviderKind::AddressBook,
            resource_flags: 0,
            open_flags: None,
            profile_type: None,
            mdb_provider: None,
        },
        ProviderTemplate {
            name: "EMS_MSX",
            display_name: "Microsoft Exchange Transport",
            provider_display: "Microsoft Exchange Transport",
            kind: ProviderKind::Transport,
            resource_flags: 0,
            open_flags: Some(0),
            profile_type: None,
            mdb_provider: None,
        },
        ProviderTemplate {
            name: "EMS_RXP",
            display_name: "Microsoft Exchange Remote Transport",
            provider_display: "Microsoft Exchange Remote Transport",
            kind: ProviderKind::Transport,
            resource_flags: 0,
            open_flags: Some(0x40),
            profile_type: Some(0x0A),
            mdb_provider: None,
        },
        ProviderTemplate {
            name: "EMS_Hook",
            display_name: "Microsoft Exchange Hook",
            provider_display: "Microsoft Exchange Hook",
            kind: ProviderKind::Hook,
            resource_flags: HOOK_INBOUND,
            open_flags: None,
            profile_type: None,
            mdb_provider: None,
        },
    ],
    global_defaults: &[
        (PR_PROFILE_VERSION, 0x0000_0501),
        (PR_PROFILE_CONFIG_FLAGS, 0x0000_0004),
        (PR_PROFILE_TRANSPORT_FLAGS, 0x0000_0003),
        (PR_PROFILE_CONNECT_FLAGS, 0x0000_0002),
    ],
};

impl Profile {
    /// A MAPIUID no section of this profile uses yet.
    fn fresh_uid(&self) -> MapiUid {
        loop {
            let uid = MapiUid::from_guid(Guid::new_random());
            if !self.sections.contains_key(&uid) && uid != super::consts::GLOBAL_SECTION_UID {
                return uid;
            }
        }
    }

    /// IMsgServiceAdmin::CreateMsgService from a mapisvc.inf entry: the service and its
    /// providers with fresh UIDs, their profile sections written from the template, and the
    /// service appended to the message service table. Returns the new service's UID.
    pub(crate) fn create_service(&mut self, t: &ServiceTemplate) -> MapiUid {
        let service_uid = self.fresh_uid();
        self.sections.insert(service_uid, Default::default());
        let mut svc = MessageService {
            uid: service_uid,
            name: t.name.to_string(),
            display_name: t.display_name.to_string(),
            resource_flags: t.resource_flags,
            providers: Vec::new(),
        };
        for pt in t.providers {
            let uid = self.fresh_uid();
            let sect = self.section_mut(&uid);
            sect.set_text(PR_SERVICE_NAME, t.name);
            sect.set(PR_SERVICE_UID, PropValue::Binary(service_uid.0.to_vec()));
            sect.set(PR_PROVIDER_UID, PropValue::Binary(uid.0.to_vec()));
            sect.set_text(PR_DISPLAY_NAME, pt.display_name);
            sect.set_text(PR_PROVIDER_DISPLAY, pt.provider_display);
            sect.set_u32(PR_RESOURCE_TYPE, pt.kind.resource_type());
            sect.set_u32(PR_RESOURCE_FLAGS, pt.resource_flags);
            if let Some(v) = pt.open_flags {
                sect.set_u32(PR_PROFILE_OPEN_FLAGS, v);
            }
            if let Some(v) = pt.profile_type {
                sect.set_u32(PR_PROFILE_TYPE, v);
            }
            if let Some(g) = pt.mdb_provider {
                sect.set(PR_MDB_PROVIDER, PropValue::Binary(g.0.to_vec()));
            }
            svc.providers.push(Provider {
                uid,
                name: pt.name.to_string(),
                display_name: pt.display_name.to_string(),
                provider_display: pt.provider_display.to_string(),
                kind: pt.kind,
                resource_flags: pt.resource_flags,
            });
        }
        let uids_of = |kind: ProviderKind| -> Vec<u8> {
            svc.providers.iter().filter(|p| p.kind == kind).flat_map(|p| p.uid.0).collect()
        };
        let (stores, abs, xports) = (
            uids_of(ProviderKind::Store),
            uids_of(ProviderKind::AddressBook),
            uids_of(ProviderKind::Transport),
        );
        let sect = self.section_mut(&service_uid);
        sect.set_text(PR_SERVICE_NAME, t.name);
        sect.set_text(PR_DISPLAY_NAME, t.display_name);
        sect.set(PR_SERVICE_UID, PropValue::Binary(service_uid.0.to_vec()));
        sect.set_u32(PR_RESOURCE_FLAGS, t.resource_flags);
        sect.set_text(PR_SERVICE_INSTALL_ID, t.install_id);
        sect.set(PR_STORE_PROVIDERS, PropValue::Binary(stores));
        sect.set(PR_AB_PROVIDERS, PropValue::Binary(abs));
        sect.set(PR_TRANSPORT_PROVIDERS, PropValue::Binary(xports));
        self.services.push(svc);
        service_uid
    }

    /// IMsgServiceAdmin::CreateMsgService("MSEMS") followed by ConfigureMsgService: adds the
    /// MSEMS service and its providers with fresh UIDs, writes their profile sections from
    /// [`MSEMS`], fills the global section's defaults where they are absent (existing values such
    /// as a modified PR_PROFILE_CONNECT_FLAGS are kept), then stores `server_url` and `user` when
    /// given. MSEMS is SERVICE_SINGLE_COPY: a second one is MAPI_E_COLLISION.
    pub fn add_msems_service(
        &mut self,
        server_url: Option<&str>,
        user: Option<&str>,
    ) -> MapiResult<&MessageService> {
        let t = &MSEMS;
        let server_url = server_url.map(check_server_url).transpose()?;
        let user = user.map(check_user).transpose()?;
        if self.service(t.name).is_some() {
            return Err(MapiError::new(
                codes::MAPI_E_COLLISION,
                format!(
                    "profile {:?} already has the {} service (it is SERVICE_SINGLE_COPY)",
                    self.name, t.name
                ),
            ));
        }
        self.create_service(t);
        let global = self.global_section_mut();
        for &(tag, v) in t.global_defaults {
            global.set_default(tag, PropValue::I32(v as i32));
        }
        self.configure_msems(server_url.as_deref(), user.as_deref())?;
        Ok(self.services.last().expect("just pushed"))
    }

    /// IMsgServiceAdmin::ConfigureMsgService for MSEMS without UI: stores the server URL in
    /// PR_PROFILE_HOME_SERVER and the user in PR_PROFILE_AUTH_USER_W of the global section
    /// (`None` leaves a value unchanged); a new server URL drops the endpoint URLs kept from
    /// the old server's Autodiscover. The URL must be `http://` or `https://` with a host.
    pub fn configure_msems(&mut self, server_url: Option<&str>, user: Option<&str>) -> MapiResult<()> {
        if let Some(url) = server_url {
            let url = check_server_url(url)?;
            if self.server_url().as_deref() != Some(url.as_str()) {
                // The endpoint URLs Autodiscover gave belong to the old server.
                self.clear_mapihttp_urls();
            }
            self.global_section_mut().set_text(PR_PROFILE_HOME_SERVER, url);
        }
        if let Some(user) = user {
            let user = check_user(user)?;
            self.global_section_mut().set_text(PR_PROFILE_AUTH_USER, user);
        }
        Ok(())
    }
}

/// Checks a MAPI/HTTP server URL (`http://host[:port][/path]` or `https://…`) and returns it
/// without surrounding blanks or a trailing `/`.
pub fn check_server_url(url: &str) -> MapiResult<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let host_ok = host.is_some_and(|h| {
        let h = h.rsplit('@').next().unwrap_or(h);
        !h.is_empty() && !h.starts_with(':') && !h.chars().any(|c| c.is_whitespace() || c.is_control())
    });
    if !host_ok || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!(
                "server URL {url:?} is not an http:// or https:// URL with a host (e.g. https://mail.example.test)"
            ),
        ));
    }
    Ok(u.trim_end_matches('/').to_string())
}

/// Checks a user name (non-empty, no control characters) and returns it trimmed.
pub fn check_user(user: &str) -> MapiResult<String> {
    let u = user.trim();
    if u.is_empty() || u.chars().any(char::is_control) {
        return Err(MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!("user name {user:?} is empty or contains control characters"),
        ));
    }
    Ok(u.to_string())
}
