//! MAPI sessions (MAPILogonEx semantics, DESIGN.md §2 item 3; protocol-facts §6.1): profile
//! choice, shared versus individual sessions, configuration and password prompts through a
//! [`LogonUi`], provider logons with one retry after which every provider that depends on the
//! failed logon is disabled for the session, the message store table and the status table.

mod ending;
mod info;
mod keepalive;
pub mod mailbox_table;
pub mod msems;
pub mod status;
pub mod ui;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::entryid::{EntryId, StoreEntryId};
use oxmapi_core::error::codes;
use oxmapi_core::{MapiError, MapiUid};
use oxmapi_wire::mapihttp::common::parse_client_application;

use crate::ab::{self, AbLink};
use crate::notify::Notifier;
use crate::profile::consts::provider_flags::STATUS_DEFAULT_STORE;
use crate::profile::{MapiResult, Profile, ProfileStore, ProviderKind};
use crate::transport::{Auth, CredentialPolicy, Credentials, DEFAULT_REQUEST_TIMEOUT, Endpoints, TlsOptions};
pub use ending::{LOGOFF_TIMEOUT, end_all};
pub use info::ConnectionInfo;
use msems::{EmsmdbLink, MsemsConfig, provider_logon};
pub use status::{ProviderState, StatusRow};
pub use ui::LogonUi;

/// Provider names of the MSEMS service whose logon is the EMSMDB session context (the store
/// providers and the Exchange transport); the address book (EMS_DSA) logs on to NSPI on its own.
pub const EMSMDB_PROVIDERS: &[&str] = &["EMS_MDB_private", "EMS_MDB_public", "EMS_MSX", "EMS_RXP"];

/// Per-call options of a logon that do not live in the profile.
#[derive(Clone, Debug, Default)]
pub struct LogonOptions {
    /// The password (from `--password-file` or `OXMAPI_PASSWORD`); else the UI is asked.
    pub password: Option<String>,
    /// Overrides the client version the profile advertises (`--client-version`).
    pub client_version: Option<String>,
}

/// Transport settings of a MAPI subsystem that do not live in profiles (the CLI's global
/// options).
#[derive(Clone, Debug)]
pub struct TransportSettings {
    /// `--trust-autodiscover-origin`: credentials may also go to the origins of the endpoint
    /// URLs Autodiscover names (or named earlier, kept in the profile); a logon that succeeds
    /// this way remembers them in the profile's PR_OXMAPI_TRUSTED_ORIGINS. Off by default:
    /// credentials go only to the origin of the profile's server and to the origins listed in
    /// PR_OXMAPI_TRUSTED_ORIGINS.
    pub trust_autodiscover_origin: bool,
    /// The overall deadline of one MAPI/HTTP request (`--request-timeout`).
    pub request_timeout: Duration,
}

impl Default for TransportSettings {
    fn default() -> Self {
        TransportSettings { trust_autodiscover_origin: false, request_timeout: DEFAULT_REQUEST_TIMEOUT }
    }
}

/// The MAPI subsystem of this process (MAPIInitialize): the profile store and the shared
/// sessions.
pub struct Mapi {
    profiles: ProfileStore,
    shared: Mutex<HashMap<String, Weak<SessionInner>>>,
    settings: TransportSettings,
}

/// A MAPI session. Clones share the session; the last one dropped logs off.
#[derive(Clone)]
pub struct Session {
    pub(crate) inner: Arc<SessionInner>,
}

pub(crate) struct SessionInner {
    pub(crate) profile: Profile,
    pub(crate) flags: u32,
    pub(crate) user: String,
    pub(crate) server_url: String,
    pub(crate) client_version: [u16; 4],
    pub(crate) connect_flags: u32,
    pub(crate) link: Mutex<Option<EmsmdbLink>>,
    pub(crate) status: Mutex<Vec<StatusRow>>,
    pub(crate) next_logon_id: Mutex<u8>,
    /// What the providers log on with (the address book binds with it when first used).
    pub(crate) msems: MsemsConfig,
    /// The address book endpoints to bind at, in order (Autodiscover's, else derived from the
    /// server URL; the first that answers is used).
    pub(crate) ab_urls: Vec<String>,
    pub(crate) ab: Mutex<AbState>,
    /// Subscriptions and the notification threads.
    pub(crate) notifier: Arc<Notifier>,
    /// The profile store the session keeps what it learns in (endpoint URLs).
    pub(crate) profiles: ProfileStore,
}

/// The address book provider's NSPI context in this session.
pub(crate) enum AbState {
    /// Not bound yet: binds when first used.
    NotStarted,
    /// Bound.
    Bound(Box<AbLink>),
    /// The session logged off.
    LoggedOff,
}

impl Drop for SessionInner {
    fn drop(&mut self) {
        // The NotificationWait thread notices the session is gone.
        self.notifier.kick.notify_one();
        let ab =
            match std::mem::replace(self.ab.get_mut().unwrap_or_else(|e| e.into_inner()), AbState::LoggedOff)
            {
                AbState::Bound(ab) => Some(ab),
                _ => None,
            };
        let link = self.link.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Err(e) = ending::disconnect(ab, link) {
            tracing::debug!(error = %e, "logoff at the drop of the session");
        }
    }
}

fn ui_allowed(flags: u32) -> bool {
    flags & (MAPI_LOGON_UI | MAPI_PASSWORD_UI) != 0 && flags & MAPI_NT_SERVICE == 0
}

/// Parses `A.B.C.D` (2 to 4 numbers).
pub fn parse_version(text: &str) -> MapiResult<[u16; 4]> {
    parse_client_application(text).ok_or_else(|| {
        MapiError::new(
            codes::MAPI_E_INVALID_PARAMETER,
            format!(
                "client version {text:?} is not of the form A.B.C.D (for example 16.0.0.0 or 6.5.8353.0)"
            ),
        )
    })
}

impl Mapi {
    /// MAPIInitialize with the default client home (`$OXMAPI_HOME`, …).
    pub fn initialize() -> MapiResult<Mapi> {
        Ok(Mapi::with_profiles(ProfileStore::open_default()?))
    }

    /// MAPIInitialize over a given profile store.
    pub fn with_profiles(profiles: ProfileStore) -> Mapi {
        Mapi { profiles, shared: Mutex::new(HashMap::new()), settings: TransportSettings::default() }
    }

    /// Uses `settings` for the sessions logged on from now on.
    pub fn with_settings(mut self, settings: TransportSettings) -> Mapi {
        self.settings = settings;
        self
    }

    /// The profile store.
    pub fn profiles(&self) -> &ProfileStore {
        &self.profiles
    }

    /// MAPILogonEx. `profile` None (or MAPI_USE_DEFAULT) takes the default profile. Without
    /// MAPI_NEW_SESSION the shared session of the profile is returned when one is alive; the
    /// first session made without MAPI_NEW_SESSION (or with MAPI_ALLOW_OTHERS) becomes the
    /// shared one. Prompts happen only with MAPI_LOGON_UI / MAPI_PASSWORD_UI and a `ui`.
    pub fn logon_ex(
        &self,
        ui: Option<&dyn LogonUi>,
        profile: Option<&str>,
        flags: u32,
        options: &LogonOptions,
    ) -> MapiResult<Session> {
        let ui = ui.filter(|_| ui_allowed(flags));
        let name = self.profile_name(ui, profile, flags)?;
        let key = name.to_lowercase();
        if flags & MAPI_NEW_SESSION == 0 {
            let shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(inner) = shared.get(&key).and_then(Weak::upgrade) {
                return Ok(Session { inner });
            }
        }
        let mut profile = self.profiles.get(&name)?;
        self.ensure_configured(ui, &mut profile, flags)?;
        let inner = Arc::new(self.start(ui, profile, flags, options)?);
        keepalive::spawn(&inner);
        ending::register(&inner);
        if flags & MAPI_NEW_SESSION == 0 || flags & MAPI_ALLOW_OTHERS != 0 {
            let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
            if shared.get(&key).and_then(Weak::upgrade).is_none() {
                shared.insert(key, Arc::downgrade(&inner));
            }
        }
        Ok(Session { inner })
    }

    fn profile_name(
        &self,
        ui: Option<&dyn LogonUi>,
        profile: Option<&str>,
        flags: u32,
    ) -> MapiResult<String> {
        if let Some(p) = profile.filter(|p| !p.is_empty() && flags & MAPI_USE_DEFAULT == 0) {
            return Ok(p.to_string());
        }
        if let Some(d) = self.profiles.default_profile()? {
            return Ok(d);
        }
        let names: Vec<String> = self.profiles.list()?.into_iter().map(|p| p.name).collect();
        if let Some(ui) = ui
            && !names.is_empty()
        {
            return ui
                .choose_profile(&names)
                .ok_or_else(|| MapiError::new(codes::MAPI_E_USER_CANCEL, "no profile chosen"));
        }
        Err(MapiError::new(
            codes::MAPI_E_LOGON_FAILED,
            "no profile was named and there is no default profile; create one with `oxmapi profile create NAME \
             --server URL --user USER --default`",
        ))
    }

    /// MAPI_E_UNCONFIGURED unless the MSEMS service has what it needs; with UI, asks for it and
    /// saves it in the profile first (MAPI_SERVICE_UI_ALWAYS asks even when configured).
    fn ensure_configured(
        &self,
        ui: Option<&dyn LogonUi>,
        profile: &mut Profile,
        flags: u32,
    ) -> MapiResult<()> {
        if profile.service(crate::profile::msems::MSEMS.name).is_none() && !profile.pst_stores().is_empty() {
            // Only Personal Folders: nothing to configure, no server to reach.
            return Ok(());
        }
        let missing = match profile.is_configured() {
            Ok(()) if flags & MAPI_SERVICE_UI_ALWAYS == 0 => return Ok(()),
            Ok(()) => vec![],
            Err(m) => m,
        };
        let Some(ui) = ui else {
            return Err(MapiError::new(
                codes::MAPI_E_UNCONFIGURED,
                format!(
                    "profile {:?}: the MSEMS service lacks {}; configure it with `oxmapi profile create` / \
                     `oxmapi profile set`, or log on with UI allowed",
                    profile.name,
                    missing.join(" and ")
                ),
            ));
        };
        let (url, user) = ui
            .configure(&profile.name, "MSEMS", &missing)
            .ok_or_else(|| MapiError::new(codes::MAPI_E_USER_CANCEL, "service configuration cancelled"))?;
        *profile = self.profiles.update(&profile.name, |p| {
            p.configure_msems(Some(&url), Some(&user))?;
            Ok(p.clone())
        })?;
        profile.is_configured().map_err(|m| {
            MapiError::new(
                codes::MAPI_E_UNCONFIGURED,
                format!("the MSEMS service still lacks {}", m.join(" and ")),
            )
        })
    }

    fn start(
        &self,
        ui: Option<&dyn LogonUi>,
        profile: Profile,
        flags: u32,
        options: &LogonOptions,
    ) -> MapiResult<SessionInner> {
        let server_url = profile.server_url().unwrap_or_default();
        let user = profile.auth_user().unwrap_or_default();
        let version_text =
            options.client_version.clone().unwrap_or_else(|| profile.client_version_or_default());
        let client_version = parse_version(&version_text)?;
        let has_msems = profile.service(crate::profile::msems::MSEMS.name).is_some();
        let mut password = options.password.clone();
        if password.is_none() && !has_msems {
            // A profile of Personal Folders only logs on without credentials.
            password = Some(String::new());
        }
        if password.is_none() {
            password = ui.and_then(|u| u.password(&profile.name, &user, &server_url, 1));
        }
        let password = password.ok_or_else(|| {
            MapiError::new(
                codes::MAPI_E_LOGON_FAILED,
                format!("no password for {user}: use --password-file, OXMAPI_PASSWORD, or a terminal to be prompted"),
            )
        })?;
        let mut cfg = MsemsConfig {
            server_url: server_url.clone(),
            credentials: Credentials { user: user.clone(), domain: String::new(), password },
            auth: Auth::Auto,
            tls: TlsOptions {
                ca_file: profile.tls_ca_file().map(Into::into),
                pin_sha256: profile.tls_pin_sha256(),
            },
            client_version,
            connect_flags: profile.connect_flags(),
            legacy_dn: profile.profile_user(),
            urls: profile.mapihttp_urls(),
            timeout: if flags & MAPI_TIMEOUT_SHORT != 0 {
                Duration::from_secs(10)
            } else {
                Duration::from_secs(60)
            },
            request_timeout: self.settings.request_timeout,
            policy: credential_policy(&profile, &server_url),
            trust_autodiscover_origin: self.settings.trust_autodiscover_origin,
        };
        let notifier = Arc::new(Notifier::default());
        let link = if has_msems {
            self.logon_with_retry(ui, &profile, &mut cfg).map(|mut l| {
                l.notifier = Some(notifier.clone());
                l
            })
        } else {
            Err(MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("profile {:?} has no Microsoft Exchange (MSEMS) service", profile.name),
            ))
        };
        let mut status = vec![StatusRow::subsystem()];
        let (link, failure) = match link {
            Ok(l) => (Some(l), None),
            Err(e) => (None, Some(e)),
        };
        if let Some(r) = link.as_ref().and_then(|l| l.discovered.as_ref()) {
            // Remember the DN and the endpoints for the next logon, as Outlook does; this
            // session keeps what it read.
            let _ = self.profiles.update(&profile.name, |p| {
                p.set_profile_user(&r.legacy_dn);
                p.set_mapihttp_urls(&r.urls, &r.autodiscover_url);
                Ok(())
            });
        }
        let extra: Vec<String> = cfg.policy.extra_origins().iter().map(ToString::to_string).collect();
        if link.is_some() && cfg.trust_autodiscover_origin && !extra.is_empty() {
            // The user trusted these origins for this logon: later logons need no flag.
            let _ = self.profiles.update(&profile.name, |p| p.add_trusted_origins(&extra));
        }
        let display = link.as_ref().map(|l| l.display_name.clone());
        let ab_urls = match &link {
            Some(l) => l.endpoints.addressbook_candidates(),
            None => Endpoints::resolve(&cfg.urls, &server_url).addressbook_candidates(),
        };
        for svc in &profile.services {
            for p in &svc.providers {
                let state = if EMSMDB_PROVIDERS.contains(&p.name.as_str()) {
                    match &failure {
                        Some(e) => ProviderState::Disabled(e.clone()),
                        None if p.kind == ProviderKind::Transport && flags & MAPI_NO_MAIL != 0 => {
                            ProviderState::NotStarted("MAPI_NO_MAIL".into())
                        }
                        None => ProviderState::Available,
                    }
                } else {
                    ProviderState::NotStarted("logs on when first used".into())
                };
                status.push(StatusRow {
                    display_name: p.display_name.clone(),
                    provider_display: p.provider_display.clone(),
                    provider_name: p.name.clone(),
                    provider_uid: Some(p.uid),
                    resource_type: p.kind.resource_type(),
                    resource_flags: p.resource_flags,
                    state,
                    identity: display.clone(),
                });
            }
        }
        Ok(SessionInner {
            profile,
            flags,
            user,
            server_url,
            client_version,
            connect_flags: cfg.connect_flags,
            link: Mutex::new(link),
            status: Mutex::new(status),
            next_logon_id: Mutex::new(0),
            msems: cfg,
            ab_urls,
            ab: Mutex::new(AbState::NotStarted),
            notifier,
            profiles: self.profiles.clone(),
        })
    }

    /// One provider logon and, when it fails, one retry — after a password prompt when the
    /// server refused the credentials and UI is allowed.
    fn logon_with_retry(
        &self,
        ui: Option<&dyn LogonUi>,
        profile: &Profile,
        cfg: &mut MsemsConfig,
    ) -> Result<EmsmdbLink, MapiError> {
        let first = match provider_logon(cfg) {
            Ok(l) => return Ok(l),
            // A refusal (the client's own policy, or the server's ecAccessDenied) is not
            // transient: trying again would only repeat it.
            Err(e) if e.code == codes::MAPI_E_NO_ACCESS => return Err(e),
            Err(e) => e,
        };
        let note = format!("MSEMS: provider logon failed, retrying once: {first}");
        tracing::warn!("{note}");
        if let Some(ui) = ui {
            ui.report(&note);
            if first.code == codes::MAPI_E_LOGON_FAILED
                && let Some(pw) = ui.password(&profile.name, &cfg.credentials.user, &cfg.server_url, 2)
            {
                cfg.credentials.password = pw;
            }
        }
        provider_logon(cfg).inspect_err(|e| {
            let note = format!(
                "MSEMS: provider logon failed again; its providers are disabled for this session: {e}"
            );
            tracing::warn!("{note}");
            if let Some(ui) = ui {
                ui.report(&note);
            }
        })
    }
}

/// The credential policy of a logon with `profile`: the server's origin and the origins of
/// PR_OXMAPI_TRUSTED_ORIGINS; a refusal says how to trust another.
fn credential_policy(profile: &Profile, server_url: &str) -> CredentialPolicy {
    let policy = CredentialPolicy::new(
        server_url,
        format!(
            "if you trust it, run the command again with --trust-autodiscover-origin (the origin is then kept \
             in the profile), or add it with `oxmapi profile set {} PR_OXMAPI_TRUSTED_ORIGINS ORIGIN`",
            profile.name
        ),
    );
    for o in profile.trusted_origins() {
        policy.trust(&o);
    }
    policy
}

/// One row of the message store table (IMAPISession::GetMsgStoresTable).
#[derive(Clone, Debug, PartialEq)]
pub struct StoreRow {
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// PR_ENTRYID: a store entry ID (MS-OXCDATA 2.2.4.3).
    pub entry_id: Vec<u8>,
    /// PR_DEFAULT_STORE.
    pub default_store: bool,
    /// The provider (`EMS_MDB_private` / `EMS_MDB_public`).
    pub provider_name: String,
    /// PR_PROVIDER_UID / PR_RECORD_KEY of the provider instance.
    pub provider_uid: MapiUid,
    /// PR_RESOURCE_FLAGS.
    pub resource_flags: u32,
    /// True for the public folder store.
    pub public: bool,
}

/// MAPI_E_FAILONEPROVIDER for a call on a provider disabled after `e`.
fn disabled_error(provider: &str, e: &MapiError) -> MapiError {
    MapiError::with_cause(
        codes::MAPI_E_FAILONEPROVIDER,
        e.code,
        format!("the {provider} provider of the MSEMS service is disabled for this session: {e}"),
    )
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host_port = rest.split('/').next().unwrap_or(rest);
    match host_port.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h.trim_matches(['[', ']']).to_string(),
        _ => host_port.to_string(),
    }
}

impl Session {
    /// The profile this session logged on with (as read at logon).
    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// The MAPILogonEx flags.
    pub fn flags(&self) -> u32 {
        self.inner.flags
    }

    /// The user name the session authenticated as.
    pub fn user(&self) -> &str {
        &self.inner.user
    }

    /// The server base URL.
    pub fn server_url(&self) -> &str {
        &self.inner.server_url
    }

    /// The client version sent to the server.
    pub fn client_version(&self) -> [u16; 4] {
        self.inner.client_version
    }

    /// The Connect flags sent to the server.
    pub fn connect_flags(&self) -> u32 {
        self.inner.connect_flags
    }

    /// True when `other` is the same session (shared-session reuse).
    pub fn same_as(&self, other: &Session) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The user's display name and legacy DN as the server reported them, when logged on.
    pub fn identity(&self) -> Option<(String, String)> {
        let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
        link.as_ref().map(|l| (l.display_name.clone(), l.legacy_dn.clone()))
    }

    /// The status table (IMAPISession::GetStatusTable).
    pub fn status_table(&self) -> Vec<StatusRow> {
        self.inner.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// MAPI_E_FAILONEPROVIDER when `provider` is disabled for this session.
    pub(crate) fn check_provider(&self, provider: &str) -> MapiResult<()> {
        let status = self.inner.status.lock().unwrap_or_else(|e| e.into_inner());
        match status.iter().find(|r| r.provider_name == provider).map(|r| &r.state) {
            Some(ProviderState::Disabled(e)) => Err(disabled_error(provider, e)),
            _ => Ok(()),
        }
    }

    /// The message store table (IMAPISession::GetMsgStoresTable): the store providers of the
    /// profile; the public folder store only when the server reported public folders.
    pub fn msg_stores_table(&self) -> Vec<StoreRow> {
        let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
        let (dn, public_folders) = match link.as_ref() {
            Some(l) => (l.legacy_dn.clone(), l.public_folders),
            None => (self.inner.profile.profile_user().unwrap_or_default(), false),
        };
        let display = link.as_ref().map(|l| l.display_name.clone());
        drop(link);
        let server = host_of(&self.inner.server_url);
        let mut rows = Vec::new();
        for svc in self.inner.profile.services.iter().filter(|s| !crate::profile::mspst::is_pst_service(s)) {
            for p in svc.providers.iter().filter(|p| p.kind == ProviderKind::Store) {
                let public = p.name == "EMS_MDB_public";
                if public && !public_folders {
                    continue;
                }
                let (display_name, entry) = if public {
                    ("Public Folders".to_string(), StoreEntryId::public(&server))
                } else {
                    let who = display.clone().unwrap_or_else(|| self.inner.user.clone());
                    (format!("Mailbox - {who}"), StoreEntryId::private(&server, &dn))
                };
                rows.push(StoreRow {
                    display_name,
                    entry_id: EntryId::Store(entry).to_bytes(),
                    default_store: !public,
                    provider_name: p.name.clone(),
                    provider_uid: p.uid,
                    resource_flags: p.resource_flags,
                    public,
                });
            }
        }
        // Personal Folders stores: one per MSUPST / MSPST service, named by its display name.
        for (name, path, service_uid) in self.inner.profile.pst_stores() {
            let Some(p) = self.inner.profile.service_by_uid(&service_uid).and_then(|s| s.providers.first())
            else {
                continue;
            };
            rows.push(StoreRow {
                display_name: name,
                entry_id: crate::store::pst::ids::store_entry_id(&path),
                default_store: p.resource_flags & STATUS_DEFAULT_STORE != 0
                    && !rows.iter().any(|r: &StoreRow| r.default_store),
                provider_name: p.name.clone(),
                provider_uid: p.uid,
                resource_flags: p.resource_flags,
                public: false,
            });
        }
        rows
    }

    /// IExchangeManageStore::CreateStoreEntryID: the entry ID of the private mailbox whose
    /// owner has the legacy DN `mailbox_dn` (find it with the address book), for
    /// [`Session::open_msg_store`].
    pub fn create_store_entry_id(&self, mailbox_dn: &str) -> Vec<u8> {
        EntryId::Store(StoreEntryId::private(&host_of(&self.inner.server_url), mailbox_dn)).to_bytes()
    }

    /// Allocates a `LogonId` for a new store logon.
    pub(crate) fn next_logon_id(&self) -> u8 {
        let mut n = self.inner.next_logon_id.lock().unwrap_or_else(|e| e.into_inner());
        let id = *n;
        *n = n.wrapping_add(1);
        id
    }

    /// Runs `f` on the EMSMDB link (MAPI_E_FAILONEPROVIDER when the service is disabled).
    pub(crate) fn with_link<R>(
        &self,
        provider: &str,
        f: impl FnOnce(&mut EmsmdbLink) -> MapiResult<R>,
    ) -> MapiResult<R> {
        self.check_provider(provider)?;
        let mut link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
        let l = link
            .as_mut()
            .ok_or_else(|| MapiError::new(codes::MAPI_E_END_OF_SESSION, "the session has logged off"))?;
        f(l)
    }

    /// Runs `f` on the address book provider's NSPI context, binding it first when this is
    /// its first use: one retry, after which the provider is disabled for the session
    /// (MAPI_E_FAILONEPROVIDER). Independent of the store provider's logon.
    pub(crate) fn with_ab<R>(&self, f: impl FnOnce(&mut AbLink) -> MapiResult<R>) -> MapiResult<R> {
        self.check_provider(ab::PROVIDER)?;
        let mut state = self.inner.ab.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(*state, AbState::NotStarted) {
            let urls = self.inner.ab_urls.clone();
            let bound = AbLink::bind_at(&self.inner.msems, &urls).or_else(|first| {
                tracing::warn!("EMS_DSA: address book logon failed, retrying once: {}", first.error);
                let urls = match first.moved.then(|| self.rediscover_address_book()).flatten() {
                    Some(url) => vec![url],
                    None => urls,
                };
                AbLink::bind(&self.inner.msems, &urls)
            });
            let identity = self.identity().map(|(name, _)| name).unwrap_or_else(|| self.inner.user.clone());
            let new_state = match &bound {
                Ok(_) => ProviderState::Available,
                Err(e) => {
                    tracing::warn!(
                        "EMS_DSA: address book logon failed again; disabled for this session: {e}"
                    );
                    ProviderState::Disabled(e.clone())
                }
            };
            self.set_provider_state(ab::PROVIDER, new_state, Some(identity));
            *state = AbState::Bound(Box::new(bound.map_err(|e| disabled_error(ab::PROVIDER, &e))?));
        }
        match &mut *state {
            AbState::Bound(link) => f(link),
            _ => Err(MapiError::new(codes::MAPI_E_END_OF_SESSION, "the session has logged off")),
        }
    }

    /// The address book endpoint answered 404 or a redirect: asks Autodiscover for the
    /// current endpoints, keeps them in the profile and returns the address book's.
    fn rediscover_address_book(&self) -> Option<String> {
        let r = msems::rediscover(&self.inner.msems)
            .inspect_err(|e| tracing::warn!("EMS_DSA: Autodiscover after the endpoint moved failed: {e}"))
            .ok()?;
        let _ = self.inner.profiles.update(&self.inner.profile.name, |p| {
            p.set_mapihttp_urls(&r.urls, &r.autodiscover_url);
            Ok(())
        });
        Some(Endpoints::resolve(&r.urls, &self.inner.server_url).addressbook)
    }

    fn set_provider_state(&self, provider: &str, state: ProviderState, identity: Option<String>) {
        let mut status = self.inner.status.lock().unwrap_or_else(|e| e.into_inner());
        for r in status.iter_mut().filter(|r| r.provider_name == provider) {
            r.state = state.clone();
            if identity.is_some() {
                r.identity = identity.clone();
            }
        }
    }

    /// The state of the provider instance `uid` in the status table; for a Personal Folders
    /// store provider, of which a profile may hold several under one provider name.
    pub(crate) fn provider_state(&self, uid: &MapiUid) -> Option<ProviderState> {
        let status = self.inner.status.lock().unwrap_or_else(|e| e.into_inner());
        status.iter().find(|r| r.provider_uid.as_ref() == Some(uid)).map(|r| r.state.clone())
    }

    /// Sets the state of the provider instance `uid`.
    pub(crate) fn set_provider_state_of(&self, uid: &MapiUid, state: ProviderState) {
        let mut status = self.inner.status.lock().unwrap_or_else(|e| e.into_inner());
        for r in status.iter_mut().filter(|r| r.provider_uid.as_ref() == Some(uid)) {
            r.state = state.clone();
        }
    }

    /// MAPI_E_FAILONEPROVIDER for a call on a provider instance disabled after `e`.
    pub(crate) fn disabled_provider_error(&self, provider: &str, e: &MapiError) -> MapiError {
        disabled_error(provider, e)
    }

    /// The session's notification state.
    pub(crate) fn notifier(&self) -> &Arc<Notifier> {
        &self.inner.notifier
    }

    /// The session context's generation (`None` after logoff or without a store link).
    pub(crate) fn link_generation(&self) -> Option<u64> {
        self.inner.link.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|l| l.generation)
    }

    /// The mailbox endpoint and the session context's cookies.
    pub(crate) fn link_cookies(&self) -> Option<(String, Vec<(String, String)>)> {
        let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner());
        link.as_ref().map(|l| (l.client.http.endpoint().url.clone(), l.client.http.cookies()))
    }

    /// Logs off now (IMAPISession::Logoff): disconnects the session context and unbinds the
    /// address book's, each within [`LOGOFF_TIMEOUT`]. Other clones of a
    /// shared session see MAPI_E_END_OF_SESSION afterwards.
    pub fn logoff(&self) -> MapiResult<()> {
        let ab = std::mem::replace(
            &mut *self.inner.ab.lock().unwrap_or_else(|e| e.into_inner()),
            AbState::LoggedOff,
        );
        let ab = match ab {
            AbState::Bound(ab) => Some(ab),
            _ => None,
        };
        let link = self.inner.link.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.inner.notifier.kick.notify_one();
        ending::disconnect(ab, link)?;
        let mut status = self.inner.status.lock().unwrap_or_else(|e| e.into_inner());
        for r in status.iter_mut().filter(|r| {
            EMSMDB_PROVIDERS.contains(&r.provider_name.as_str()) || r.provider_name == ab::PROVIDER
        }) {
            if r.state == ProviderState::Available {
                r.state = ProviderState::NotStarted("logged off".into());
            }
        }
        Ok(())
    }
}
