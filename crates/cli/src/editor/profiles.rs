//! The profile panes: the profile table (IProfAdmin::GetProfileTable), a profile's message
//! service table (IMsgServiceAdmin::GetMsgServiceTable) and a service's provider table
//! (GetProviderTable), with `l` to log on (MAPILogonEx) from any of them.

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::profile::consts::{provider_flags, service_flags};
use oxmapi_core::MapiUid;
use oxmapi_core::consts::flag_names;

use super::app::{Ctx, Outcome, Pane, Prompt};
use super::list::Rows;
use super::props::PropsPane;
use super::sections::SectionsPane;
use super::session::Online;
use super::stores::StoresPane;
use crate::failure::Failure;
use crate::profile_cmd::uid_hex;

/// `l`: log on with `profile` (asking for the password when neither `--password-file` nor
/// OXMAPI_PASSWORD gives one) and show the stores.
fn logon_key(ctx: &mut Ctx, profile: &str) -> Outcome {
    match ctx.logon.known_password(profile) {
        Ok(Some(pw)) => logon(ctx, profile, pw),
        Ok(None) => {
            let who =
                ctx.store.get(profile).ok().and_then(|p| p.auth_user()).unwrap_or_else(|| profile.into());
            Outcome::Ask(Prompt {
                purpose: "password",
                label: format!("password for {who}"),
                text: String::new(),
                masked: true,
            })
        }
        Err(f) => Outcome::Failed(f),
    }
}

/// MAPILogonEx, then the message store table.
pub fn logon(ctx: &mut Ctx, profile: &str, password: String) -> Outcome {
    ctx.online = None;
    match Online::logon(&ctx.logon, profile, Some(password)) {
        Ok(o) => {
            ctx.online = Some(o);
            StoresPane::new(ctx).map(|p| Outcome::Push(Box::new(p))).into()
        }
        Err(f) => Outcome::Failed(f),
    }
}

/// The profile list.
pub struct ProfilesPane {
    rows: Rows,
}

impl ProfilesPane {
    /// The profile table of the store.
    pub fn new(ctx: &Ctx) -> Result<ProfilesPane, Failure> {
        let mut p = ProfilesPane { rows: Rows::new(&["Profile", "Default", "Services"], Vec::new()) };
        p.load(ctx)?;
        Ok(p)
    }

    fn load(&mut self, ctx: &Ctx) -> Result<(), Failure> {
        let rows = ctx
            .store
            .list()?
            .into_iter()
            .map(|r| {
                vec![r.name, if r.is_default { "yes".into() } else { String::new() }, r.services.join(", ")]
            })
            .collect();
        self.rows.replace(rows);
        Ok(())
    }

    /// Selects the profile `name` (case-insensitive).
    pub fn select(&mut self, name: &str) {
        if let Some(i) = self.rows.rows.iter().position(|r| r[0].eq_ignore_ascii_case(name)) {
            self.rows.select(i);
        }
    }
}

impl Pane for ProfilesPane {
    fn kind(&self) -> &'static str {
        "profiles"
    }
    fn title(&self) -> String {
        "Profiles (Enter opens, l logs on)".into()
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, ctx: &mut Ctx) -> Outcome {
        let Some(name) = self.rows.cell(0).map(str::to_string) else {
            return Outcome::Status(
                "no profiles: `oxmapi profile create NAME --server URL --user USER` makes one".into(),
            );
        };
        ServicesPane::new(ctx, &name).map(|p| Outcome::Push(Box::new(p))).into()
    }
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match (key.code, self.rows.cell(0).map(str::to_string)) {
            (KeyCode::Char('l'), Some(name)) => logon_key(ctx, &name),
            (KeyCode::Char('x'), Some(name)) => {
                SectionsPane::new(ctx, &name).map(|p| Outcome::Push(Box::new(p))).into()
            }
            _ => Outcome::Ignored,
        }
    }
    fn on_input(&mut self, purpose: &'static str, text: String, ctx: &mut Ctx) -> Outcome {
        match (purpose, self.rows.cell(0).map(str::to_string)) {
            ("password", Some(name)) => logon(ctx, &name, text),
            _ => Outcome::Ignored,
        }
    }
    fn refresh(&mut self, ctx: &mut Ctx) {
        let _ = self.load(ctx);
    }
}

/// A profile's message services; the last row opens every profile section.
pub struct ServicesPane {
    profile: String,
    uids: Vec<Option<MapiUid>>,
    rows: Rows,
}

/// The text of the row that opens the section list.
const ALL_SECTIONS: &str = "[profile sections]";

impl ServicesPane {
    /// The services of `profile`.
    pub fn new(ctx: &Ctx, profile: &str) -> Result<ServicesPane, Failure> {
        let mut p = ServicesPane {
            profile: profile.into(),
            uids: Vec::new(),
            rows: Rows::new(&["Service", "Display name", "PR_SERVICE_UID", "PR_RESOURCE_FLAGS"], Vec::new()),
        };
        p.load(ctx)?;
        Ok(p)
    }

    fn load(&mut self, ctx: &Ctx) -> Result<(), Failure> {
        let p = ctx.store.get(&self.profile)?;
        self.profile = p.name.clone();
        let mut rows = Vec::new();
        self.uids.clear();
        for s in p.service_table() {
            let flags = flag_names(s.resource_flags, service_flags::NAMES).join(" | ");
            rows.push(vec![s.service_name, s.display_name, uid_hex(&s.service_uid), flags]);
            self.uids.push(Some(s.service_uid));
        }
        let n = p.sections.len();
        rows.push(vec![
            ALL_SECTIONS.into(),
            format!("every section of the profile ({n}), the global one first"),
            String::new(),
            String::new(),
        ]);
        self.uids.push(None);
        self.rows.replace(rows);
        Ok(())
    }
}

impl Pane for ServicesPane {
    fn kind(&self) -> &'static str {
        "services"
    }
    fn title(&self) -> String {
        format!("{} — message services (Enter: providers, x: profile sections, l: log on)", self.profile)
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, ctx: &mut Ctx) -> Outcome {
        match self.uids.get(self.rows.selected) {
            Some(Some(uid)) => {
                ProvidersPane::new(ctx, &self.profile, *uid).map(|p| Outcome::Push(Box::new(p))).into()
            }
            Some(None) => SectionsPane::new(ctx, &self.profile).map(|p| Outcome::Push(Box::new(p))).into(),
            None => Outcome::Ignored,
        }
    }
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match key.code {
            KeyCode::Char('x') => {
                SectionsPane::new(ctx, &self.profile).map(|p| Outcome::Push(Box::new(p))).into()
            }
            KeyCode::Char('l') => logon_key(ctx, &self.profile.clone()),
            _ => Outcome::Ignored,
        }
    }
    fn on_input(&mut self, purpose: &'static str, text: String, ctx: &mut Ctx) -> Outcome {
        match purpose {
            "password" => logon(ctx, &self.profile.clone(), text),
            _ => Outcome::Ignored,
        }
    }
    fn refresh(&mut self, ctx: &mut Ctx) {
        let _ = self.load(ctx);
    }
}

/// A service's own section and its providers; Enter opens a section's properties.
pub struct ProvidersPane {
    profile: String,
    uids: Vec<MapiUid>,
    rows: Rows,
    service: String,
}

impl ProvidersPane {
    /// The providers of service `service` of `profile`.
    pub fn new(ctx: &Ctx, profile: &str, service: MapiUid) -> Result<ProvidersPane, Failure> {
        let p = ctx.store.get(profile)?;
        let Some(s) = p.service_by_uid(&service) else {
            return Err(oxmapi_core::MapiError::new(
                oxmapi_core::error::codes::MAPI_E_NOT_FOUND,
                format!("profile {profile:?} has no service {}", uid_hex(&service)),
            )
            .into());
        };
        let mut rows = vec![vec![
            format!("{} (service section)", s.name),
            s.display_name.clone(),
            "service".into(),
            uid_hex(&s.uid),
            flag_names(s.resource_flags, service_flags::NAMES).join(" | "),
        ]];
        let mut uids = vec![s.uid];
        for v in &s.providers {
            rows.push(vec![
                v.name.clone(),
                v.display_name.clone(),
                v.kind.resource_type_name().into(),
                uid_hex(&v.uid),
                flag_names(v.resource_flags, provider_flags::NAMES).join(" | "),
            ]);
            uids.push(v.uid);
        }
        Ok(ProvidersPane {
            profile: p.name.clone(),
            uids,
            rows: Rows::new(
                &["Provider", "Display name", "Resource type", "PR_PROVIDER_UID", "PR_RESOURCE_FLAGS"],
                rows,
            ),
            service: s.name.clone(),
        })
    }
}

impl Pane for ProvidersPane {
    fn kind(&self) -> &'static str {
        "providers"
    }
    fn title(&self) -> String {
        format!(
            "{} — {} providers (Enter: section properties, x: every profile section)",
            self.profile, self.service
        )
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, ctx: &mut Ctx) -> Outcome {
        match self.uids.get(self.rows.selected) {
            Some(uid) => {
                PropsPane::section(ctx, &self.profile, *uid).map(|p| Outcome::Push(Box::new(p))).into()
            }
            None => Outcome::Ignored,
        }
    }
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match key.code {
            KeyCode::Char('x') => {
                SectionsPane::new(ctx, &self.profile).map(|p| Outcome::Push(Box::new(p))).into()
            }
            _ => Outcome::Ignored,
        }
    }
}
