//! Every profile section of a profile (IMsgServiceAdmin::OpenProfileSection on each): the
//! global section (`pbGlobalProfileSectionGuid`, 13DBB0C8AA05101A9BB000AA002FC45A, named
//! "global"), each service's, each provider's, then any other section, with its MAPIUID.

use oxmapi_client::profile::{GLOBAL_SECTION_UID, Profile, SectionOwner};
use oxmapi_core::MapiUid;

use super::app::{Ctx, Outcome, Pane};
use super::list::Rows;
use super::props::PropsPane;
use crate::failure::Failure;
use crate::profile_cmd::uid_hex;

/// What a section is called in the editor: `global`, the service's or provider's name.
pub fn section_label(p: &Profile, uid: &MapiUid) -> String {
    match p.section_owner(uid) {
        SectionOwner::Global => "global".into(),
        SectionOwner::Service(s) => format!("service {}", s.name),
        SectionOwner::Provider(s, v) => format!("provider {} of {}", v.name, s.name),
        SectionOwner::Other => format!("section {}", uid_hex(uid)),
    }
}

/// The sections in the order `profile show` prints them: global, then each service and its
/// providers, then the rest.
pub fn section_order(p: &Profile) -> Vec<MapiUid> {
    let mut order = vec![GLOBAL_SECTION_UID];
    for s in &p.services {
        order.push(s.uid);
        order.extend(s.providers.iter().map(|v| v.uid));
    }
    let rest: Vec<MapiUid> = p.sections.keys().filter(|u| !order.contains(u)).copied().collect();
    order.extend(rest);
    order
}

/// The section list of a profile.
pub struct SectionsPane {
    profile: String,
    uids: Vec<MapiUid>,
    rows: Rows,
}

impl SectionsPane {
    /// The sections of `profile`.
    pub fn new(ctx: &Ctx, profile: &str) -> Result<SectionsPane, Failure> {
        let mut pane = SectionsPane {
            profile: profile.into(),
            uids: Vec::new(),
            rows: Rows::new(&["Section", "MAPIUID", "Properties"], Vec::new()),
        };
        pane.load(ctx)?;
        Ok(pane)
    }

    fn load(&mut self, ctx: &Ctx) -> Result<(), Failure> {
        let p = ctx.store.get(&self.profile)?;
        self.profile = p.name.clone();
        self.uids = section_order(&p);
        let rows = self
            .uids
            .iter()
            .map(|u| {
                let n = p.section_view(u).len();
                vec![section_label(&p, u), uid_hex(u), n.to_string()]
            })
            .collect();
        self.rows.replace(rows);
        Ok(())
    }

    /// Selects the section `uid`.
    pub fn select(&mut self, uid: &MapiUid) {
        if let Some(i) = self.uids.iter().position(|u| u == uid) {
            self.rows.select(i);
        }
    }
}

impl Pane for SectionsPane {
    fn kind(&self) -> &'static str {
        "sections"
    }
    fn title(&self) -> String {
        format!("{} — profile sections (Enter: properties)", self.profile)
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
    fn refresh(&mut self, ctx: &mut Ctx) {
        let _ = self.load(ctx);
    }
}
