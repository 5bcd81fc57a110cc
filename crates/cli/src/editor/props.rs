//! The property pane (MFCMAPI's property list): one row per property with its name, tag, type,
//! value and decoded view. On a profile section (IProfSect) a property can be edited (`e`),
//! its flag bits toggled (`b`), added (`n`) or deleted (`d`), and the section saved (`s`)
//! into the profile store; on a MAPI object (folder, message) `e`, `n` and `s` go through
//! IMAPIProp::SetProps (and SaveChanges for a message). Unsaved changes are marked `*`.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::profile::{Profile, SectionOwner, parse_tag, parse_value, widen_string_tag};
use oxmapi_core::catalogue::tags::{PR_MESSAGE_FLAGS, PR_RESOURCE_TYPE, PR_STORE_SUPPORT_MASK};
use oxmapi_core::consts::{FlagName, flag_names, message_flags, store_support};
use oxmapi_core::{MapiUid, PropTag, PropValue, TaggedValue};

use super::app::{BitsEdit, Ctx, Outcome, Pane, Prompt};
use super::detail::{DetailPane, edit_text, value_text};
use super::list::Rows;
use crate::failure::Failure;
use crate::profile_cmd::{flag_table, section_tag_name};

/// Column headers of the property pane.
pub const HEADERS: &[&str] = &["", "Property", "Tag", "Type", "Value", "Decoded"];

/// Where the properties live and how they are written back.
pub enum Source {
    /// A profile section of a profile in the profile store.
    Section {
        /// The profile (as last read; the name is the key in the store).
        profile: Box<Profile>,
        /// The section's MAPIUID.
        uid: MapiUid,
    },
    /// A MAPI object.
    Object(Box<dyn PropObject>),
}

/// A MAPI object whose properties the pane shows.
pub trait PropObject {
    /// IMAPIProp::GetProps(NULL): every property.
    fn load(&mut self) -> Result<Vec<TaggedValue>, Failure>;
    /// IMAPIProp::SetProps / DeleteProps (and SaveChanges where the object needs it).
    fn save(&mut self, set: &[TaggedValue], delete: &[PropTag]) -> Result<(), Failure>;
}

/// An unsaved change.
#[derive(Clone, Debug, PartialEq)]
enum Change {
    Set(TaggedValue),
    Delete(PropTag),
}

/// The property pane.
pub struct PropsPane {
    title: String,
    source: Source,
    base: Vec<TaggedValue>,
    changes: BTreeMap<u16, Change>,
    rows: Rows,
    /// The tag of each row.
    tags: Vec<PropTag>,
}

impl PropsPane {
    /// The pane of section `uid` of `profile`.
    pub fn section(ctx: &Ctx, profile: &str, uid: MapiUid) -> Result<PropsPane, Failure> {
        let p = ctx.store.get(profile)?;
        let title = format!("{} — {}", p.name, super::sections::section_label(&p, &uid));
        let mut pane = PropsPane {
            title,
            source: Source::Section { profile: Box::new(p), uid },
            base: Vec::new(),
            changes: BTreeMap::new(),
            rows: Rows::new(HEADERS, Vec::new()),
            tags: Vec::new(),
        };
        pane.reload_base(ctx)?;
        Ok(pane)
    }

    /// The pane of a MAPI object.
    pub fn object(title: String, mut obj: Box<dyn PropObject>) -> Result<PropsPane, Failure> {
        let base = obj.load()?;
        let mut pane = PropsPane {
            title,
            source: Source::Object(obj),
            base,
            changes: BTreeMap::new(),
            rows: Rows::new(HEADERS, Vec::new()),
            tags: Vec::new(),
        };
        pane.rebuild();
        Ok(pane)
    }

    fn reload_base(&mut self, ctx: &Ctx) -> Result<(), Failure> {
        match &mut self.source {
            Source::Section { profile, uid } => {
                let fresh = ctx.store.get(&profile.name)?;
                // What the section stores and the UIDs it is known by (PR_PROVIDER_UID, PR_SERVICE_UID).
                self.base = fresh.section_view(uid);
                **profile = fresh;
            }
            Source::Object(o) => self.base = o.load()?,
        }
        self.rebuild();
        Ok(())
    }

    /// The properties as they are with the unsaved changes, in property-id order.
    fn current(&self) -> Vec<(TaggedValue, bool)> {
        let mut out: BTreeMap<u16, (TaggedValue, bool)> =
            self.base.iter().map(|tv| (tv.tag.id(), (tv.clone(), false))).collect();
        for (id, c) in &self.changes {
            match c {
                Change::Set(tv) => {
                    out.insert(*id, (tv.clone(), true));
                }
                Change::Delete(_) => {
                    out.remove(id);
                }
            }
        }
        out.into_values().collect()
    }

    fn rebuild(&mut self) {
        let current = self.current();
        let owner = match &self.source {
            Source::Section { profile, uid } => Some(profile.section_owner(uid)),
            Source::Object(_) => None,
        };
        self.tags = current.iter().map(|(tv, _)| tv.tag).collect();
        let rows = current
            .iter()
            .map(|(tv, changed)| {
                vec![
                    if *changed { "*".into() } else { String::new() },
                    prop_name(tv.tag, owner),
                    format!("0x{:08X}", tv.tag.0),
                    tv.value.prop_type().pt_name().to_string(),
                    value_text(&tv.value),
                    decoded(tv.tag, &tv.value, owner).unwrap_or_default(),
                ]
            })
            .collect();
        self.rows.replace(rows);
    }

    fn selected(&self) -> Option<TaggedValue> {
        let tag = *self.tags.get(self.rows.selected)?;
        self.current().into_iter().map(|(tv, _)| tv).find(|tv| tv.tag == tag)
    }

    fn owner(&self) -> Option<SectionOwner<'_>> {
        match &self.source {
            Source::Section { profile, uid } => Some(profile.section_owner(uid)),
            Source::Object(_) => None,
        }
    }

    fn set(&mut self, tv: TaggedValue) {
        self.changes.insert(tv.tag.id(), Change::Set(tv));
        self.rebuild();
    }

    fn save(&mut self, ctx: &mut Ctx) -> Result<Outcome, Failure> {
        if self.changes.is_empty() {
            return Ok(Outcome::Status("nothing to save".into()));
        }
        let n = self.changes.len();
        match &mut self.source {
            Source::Section { profile, uid } => {
                let uid = *uid;
                let changes: Vec<Change> = self.changes.values().cloned().collect();
                ctx.store.update(&profile.name, |p| {
                    for c in &changes {
                        match c {
                            Change::Set(tv) => p.set_prop(&uid, tv.tag, tv.value.clone())?,
                            Change::Delete(tag) => {
                                p.section_mut(&uid).remove(*tag);
                            }
                        }
                    }
                    Ok(())
                })?;
            }
            Source::Object(o) => {
                let mut set = Vec::new();
                let mut delete = Vec::new();
                for c in self.changes.values() {
                    match c {
                        Change::Set(tv) => set.push(tv.clone()),
                        Change::Delete(t) => delete.push(*t),
                    }
                }
                o.save(&set, &delete)?;
            }
        }
        self.changes.clear();
        self.reload_base(ctx)?;
        let note = match self.source {
            Source::Section { .. } => " to the profile store (takes effect at the next logon)",
            Source::Object(_) => "",
        };
        Ok(Outcome::Status(format!("saved {n} change{}{note}", if n == 1 { "" } else { "s" })))
    }
}

impl Pane for PropsPane {
    fn kind(&self) -> &'static str {
        "props"
    }

    fn title(&self) -> String {
        let mark = if self.changes.is_empty() { "" } else { " [modified: s saves]" };
        format!("{}{mark}", self.title)
    }

    fn rows(&self) -> &Rows {
        &self.rows
    }

    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }

    fn dirty(&self) -> bool {
        !self.changes.is_empty()
    }

    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        match self.selected() {
            Some(tv) => {
                let name = prop_name(tv.tag, self.owner());
                let dec = decoded(tv.tag, &tv.value, self.owner());
                Outcome::Push(Box::new(DetailPane::new(name, &tv, dec)))
            }
            None => Outcome::Ignored,
        }
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match key.code {
            KeyCode::Char('e') => match self.selected() {
                Some(tv) => Outcome::Ask(Prompt {
                    purpose: "edit",
                    label: format!(
                        "{} ({})",
                        prop_name(tv.tag, self.owner()),
                        tv.value.prop_type().pt_name()
                    ),
                    text: edit_text(&tv.value),
                    masked: false,
                }),
                None => Outcome::Status("no property selected: n adds one".into()),
            },
            KeyCode::Char('b') => match self.selected() {
                Some(TaggedValue { tag, value: PropValue::I32(v) }) => {
                    let names = flag_table_of(tag, self.owner()).unwrap_or(&[]);
                    if names.is_empty() {
                        return Outcome::Status(format!(
                            "{} has no named bits: e edits it",
                            prop_name(tag, self.owner())
                        ));
                    }
                    Outcome::Bits(BitsEdit {
                        name: prop_name(tag, self.owner()),
                        value: v as u32,
                        names,
                        selected: 0,
                    })
                }
                _ => Outcome::Status("b toggles the bits of a PT_LONG flag property".into()),
            },
            KeyCode::Char('n') => Outcome::Ask(Prompt {
                purpose: "new",
                label: "new property: TAG VALUE".into(),
                text: String::new(),
                masked: false,
            }),
            KeyCode::Char('d') => match self.selected() {
                Some(tv) => {
                    self.changes.insert(tv.tag.id(), Change::Delete(tv.tag));
                    self.rebuild();
                    Outcome::Status(format!("{} deleted (s saves)", prop_name(tv.tag, self.owner())))
                }
                None => Outcome::Ignored,
            },
            KeyCode::Char('s') => self.save(ctx).into(),
            KeyCode::Char('u') => {
                self.changes.clear();
                self.rebuild();
                Outcome::Status("changes undone".into())
            }
            _ => Outcome::Ignored,
        }
    }

    fn on_input(&mut self, purpose: &'static str, text: String, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            let tv = match purpose {
                "edit" => {
                    let Some(cur) = self.selected() else { return Ok(Outcome::Ignored) };
                    TaggedValue::new(cur.tag, parse_value(cur.tag, &text).map_err(value_hint)?)
                }
                "new" => {
                    let (tag, value) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
                    let tag = widen_string_tag(parse_tag(tag).map_err(|e| {
                        Failure::with_hint(e, "n takes TAG VALUE: a tag by name (PR_PROFILE_OPEN_FLAGS) or number (0x66090003), a space, the value")
                    })?);
                    TaggedValue::new(tag, parse_value(tag, value).map_err(value_hint)?)
                }
                _ => return Ok(Outcome::Ignored),
            };
            let msg = format!("{} = {} (s saves)", prop_name(tv.tag, self.owner()), value_text(&tv.value));
            let tag = tv.tag;
            self.set(tv);
            if let Some(i) = self.tags.iter().position(|t| *t == tag) {
                self.rows.select(i);
            }
            Ok(Outcome::Status(msg))
        })();
        r.into()
    }

    fn on_bits(&mut self, value: u32, _ctx: &mut Ctx) -> Outcome {
        let Some(cur) = self.selected() else { return Outcome::Ignored };
        let tv = TaggedValue::new(cur.tag, PropValue::I32(value as i32));
        let msg = format!("{} = 0x{value:08X} (s saves)", prop_name(cur.tag, self.owner()));
        self.set(tv);
        Outcome::Status(msg)
    }
}

/// A value that does not parse: the hint says how values are typed (the error table's advice
/// for MAPI_E_INVALID_PARAMETER is about RopLogon).
fn value_hint(e: oxmapi_core::MapiError) -> Failure {
    Failure::with_hint(
        e,
        "type the value as `oxmapi profile set` takes it: 0x8002 or 32770 for integers, text as is, hex bytes for \
         binary, true/false, RFC 3339 times, a JSON array for multiple values; Esc cancels",
    )
}

/// A property's name: a profile section's own names for provider-private ids, else the
/// catalogue's PR_ name.
fn prop_name(tag: PropTag, owner: Option<SectionOwner<'_>>) -> String {
    match owner {
        Some(o) => section_tag_name(tag, o),
        None => crate::mailbox::values::column_name(tag),
    }
}

/// The named bits of a PT_LONG flag property.
fn flag_table_of(tag: PropTag, owner: Option<SectionOwner<'_>>) -> Option<&'static [FlagName]> {
    if let Some(o) = owner {
        return flag_table(tag, o);
    }
    if tag.id() == PR_MESSAGE_FLAGS.id() {
        Some(message_flags::NAMES)
    } else if tag.id() == PR_STORE_SUPPORT_MASK.id() {
        Some(store_support::NAMES)
    } else {
        None
    }
}

/// The "Decoded" column: in a profile section the section's own flag tables (a service's and a
/// provider's PR_RESOURCE_FLAGS differ) and the meaning of PR_RESOURCE_TYPE; elsewhere the
/// SmartView view of the property ([`oxmapi_wire::smartview::decode_property`]) on one line, and
/// the flag names as the fallback.
pub fn decoded(tag: PropTag, value: &PropValue, owner: Option<SectionOwner<'_>>) -> Option<String> {
    if owner.is_none()
        && let Some(node) = oxmapi_wire::smartview::decode_property(tag, value)
    {
        return Some(crate::table::cell(&node));
    }
    let PropValue::I32(v) = value else { return None };
    if let Some(table) = flag_table_of(tag, owner) {
        let names = flag_names(*v as u32, table);
        return Some(if names.is_empty() { "(none)".into() } else { names.join(" | ") });
    }
    if owner.is_some() && tag.id() == PR_RESOURCE_TYPE.id() {
        return oxmapi_client::profile::consts::resource_type::name(*v as u32).map(str::to_string);
    }
    None
}
