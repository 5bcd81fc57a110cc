//! One message (IMessage): its properties, recipients (the recipient table) and attachments
//! (the attachment table), one tab each (Tab switches). On the properties tab Enter shows a
//! property's whole value and decoded view and `p` opens the editable property pane; on the
//! attachments tab Enter opens an embedded message (afEmbeddedMessage, MS-OXCMSG 2.2.2.9) or an
//! attachment's properties, and `S` saves the attachment's data to a file.

use std::io::Write;
use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::store::{Message, MsgStore, OpenMode, SaveFlags, StreamMode};
use oxmapi_core::catalogue::tags::{
    PR_ADDRTYPE, PR_ATTACH_DATA_BIN, PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_ATTACH_METHOD,
    PR_ATTACH_NUM, PR_ATTACH_SIZE, PR_DISPLAY_NAME,
};
use oxmapi_core::consts::attach_method;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::{MapiError, PropTag, PropValue, TaggedValue};

use super::app::{Ctx, Outcome, Pane, Prompt};
use super::detail::{DetailPane, value_text};
use super::list::Rows;
use super::props::{PropObject, PropsPane, decoded};
use crate::failure::Failure;

/// The tabs.
const TABS: [&str; 3] = ["Properties", "Recipients", "Attachments"];

/// Attachment table columns.
const ATTACH_COLUMNS: &[PropTag] = &[
    PR_ATTACH_NUM,
    PR_ATTACH_LONG_FILENAME,
    PR_ATTACH_FILENAME,
    PR_DISPLAY_NAME,
    PR_ATTACH_SIZE,
    PR_ATTACH_METHOD,
];

/// Where a message came from, for the editable property pane.
#[derive(Clone)]
enum Origin {
    /// A message of a folder: reopened read-write to save.
    Stored { store: Rc<MsgStore>, fid: ObjectId, mid: ObjectId },
    /// An embedded message: read-only here.
    Embedded,
}

/// One attachment row.
struct AttachRow {
    num: u32,
    method: i32,
    name: String,
}

/// A message.
pub struct MessagePane {
    message: Message,
    origin: Origin,
    subject: String,
    tab: usize,
    props: Vec<TaggedValue>,
    attachments: Vec<AttachRow>,
    tabs: [Rows; 3],
}

fn text(v: Option<&PropValue>) -> String {
    v.and_then(|v| v.as_text()).map(|t| t.into_owned()).unwrap_or_default()
}

impl MessagePane {
    /// Opens message `mid` of folder `fid` read-only.
    pub fn open(
        store: Rc<MsgStore>,
        fid: ObjectId,
        mid: ObjectId,
        subject: String,
    ) -> Result<MessagePane, Failure> {
        let message = store.open_message(fid, mid, OpenMode::ReadOnly)?;
        MessagePane::new(message, Origin::Stored { store, fid, mid }, subject)
    }

    fn new(message: Message, origin: Origin, subject: String) -> Result<MessagePane, Failure> {
        let mut props = message.get_all_props()?;
        props.sort_by_key(|t| t.tag.id());
        // Named properties by their names (RopGetNamesFromPropertyIds on the message's store).
        let names = match &origin {
            Origin::Stored { store, .. } => crate::mailbox::named_tags::Names::of_values(store, &props),
            Origin::Embedded => crate::mailbox::named_tags::Names::default(),
        };
        let prop_rows = props
            .iter()
            .map(|tv| {
                let decoded = match names.property_name(tv.tag) {
                    Some(n) => {
                        oxmapi_wire::smartview::decode_named(n, &tv.value).map(|d| crate::table::cell(&d))
                    }
                    None => decoded(tv.tag, &tv.value, None),
                };
                vec![
                    names.name(tv.tag),
                    format!("0x{:08X}", tv.tag.0),
                    tv.value.prop_type().pt_name().to_string(),
                    value_text(&tv.value),
                    decoded.unwrap_or_default(),
                ]
            })
            .collect();
        let recips = message
            .recipients()?
            .iter()
            .map(|r| {
                vec![
                    format!("{:?}", r.kind),
                    r.display_name().unwrap_or("").to_string(),
                    r.email().unwrap_or("").to_string(),
                    r.text(PR_ADDRTYPE).unwrap_or("").to_string(),
                ]
            })
            .collect();
        let mut at = message.attachment_table()?;
        at.set_columns(ATTACH_COLUMNS)?;
        let mut attachments = Vec::new();
        let mut attach_rows = Vec::new();
        for (i, r) in at.query_rows(usize::MAX, true)?.iter().enumerate() {
            let num = match r.get(PR_ATTACH_NUM) {
                Some(PropValue::I32(n)) => *n as u32,
                _ => continue,
            };
            let method = match r.get(PR_ATTACH_METHOD) {
                Some(PropValue::I32(m)) => *m,
                _ => attach_method::NO_ATTACHMENT,
            };
            let name = [PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME]
                .iter()
                .map(|t| text(r.get(*t)))
                .find(|s| !s.is_empty())
                .unwrap_or_else(|| format!("attachment-{}", i + 1));
            let kind = if method == attach_method::EMBEDDED_MSG { "embedded message" } else { "file" };
            let size = match r.get(PR_ATTACH_SIZE) {
                Some(PropValue::I32(s)) => s.to_string(),
                _ => String::new(),
            };
            attach_rows.push(vec![(i + 1).to_string(), name.clone(), kind.into(), size]);
            attachments.push(AttachRow { num, method, name });
        }
        Ok(MessagePane {
            message,
            origin,
            subject,
            tab: 0,
            props,
            attachments,
            tabs: [
                Rows::new(&["Property", "Tag", "Type", "Value", "Decoded"], prop_rows),
                Rows::new(&["Type", "Display name", "Address", "Address type"], recips),
                Rows::new(&["N", "Name", "Kind", "Size"], attach_rows),
            ],
        })
    }

    fn save_attachment(&self, path: &str) -> Result<Outcome, Failure> {
        let Some(a) = self.attachments.get(self.tabs[2].selected) else { return Ok(Outcome::Ignored) };
        let att = self.message.open_attachment(a.num, OpenMode::ReadOnly)?;
        let mut s = att.open_stream(PR_ATTACH_DATA_BIN, StreamMode::ReadOnly)?;
        let out = std::path::Path::new(path);
        let io_err = |e: std::io::Error| Failure::local_file("attachment file", out, &e);
        let mut file = std::fs::File::create(out).map_err(io_err)?;
        let bytes = std::io::copy(&mut s, &mut file).map_err(io_err)?;
        file.flush().map_err(io_err)?;
        Ok(Outcome::Status(format!("saved {} ({bytes} bytes) to {path}", a.name)))
    }
}

/// A stored message's properties: SetProps / DeleteProps on the message opened read-write,
/// then SaveChanges.
struct MessageObj(Origin, Vec<TaggedValue>);

impl PropObject for MessageObj {
    fn load(&mut self) -> Result<Vec<TaggedValue>, Failure> {
        if let Origin::Stored { store, fid, mid } = &self.0 {
            self.1 = store.open_message(*fid, *mid, OpenMode::ReadOnly)?.get_all_props()?;
        }
        Ok(self.1.clone())
    }
    fn save(&mut self, set: &[TaggedValue], delete: &[PropTag]) -> Result<(), Failure> {
        let Origin::Stored { store, fid, mid } = &self.0 else {
            return Err(MapiError::new(
                codes::MAPI_E_NO_SUPPORT,
                "an embedded message is read-only in the editor",
            )
            .into());
        };
        let mut m = store.open_message(*fid, *mid, OpenMode::ReadWrite)?;
        let mut problems = if set.is_empty() { Vec::new() } else { m.set_props(set)? };
        if !delete.is_empty() {
            problems.extend(m.delete_props(delete)?);
        }
        if let Some(p) = problems.first() {
            let name = crate::mailbox::values::column_name(p.tag);
            return Err(MapiError::new(p.error, format!("the server refused {name}")).into());
        }
        m.save_changes(SaveFlags::KeepOpenReadOnly)?;
        Ok(())
    }
}

impl Pane for MessagePane {
    fn kind(&self) -> &'static str {
        "message"
    }
    fn title(&self) -> String {
        let tabs: Vec<String> = TABS
            .iter()
            .enumerate()
            .map(|(i, t)| if i == self.tab { format!("[{t}]") } else { t.to_string() })
            .collect();
        format!("{} — {} (Tab switches)", self.subject, tabs.join(" "))
    }
    fn rows(&self) -> &Rows {
        &self.tabs[self.tab]
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.tabs[self.tab]
    }
    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            match self.tab {
                0 => {
                    let Some(tv) = self.props.get(self.tabs[0].selected) else { return Ok(Outcome::Ignored) };
                    let name = crate::mailbox::values::column_name(tv.tag);
                    Ok(Outcome::Push(Box::new(DetailPane::new(name, tv, decoded(tv.tag, &tv.value, None)))))
                }
                2 => {
                    let Some(a) = self.attachments.get(self.tabs[2].selected) else {
                        return Ok(Outcome::Ignored);
                    };
                    let att = self.message.open_attachment(a.num, OpenMode::ReadOnly)?;
                    if a.method == attach_method::EMBEDDED_MSG {
                        let m = att.open_embedded_message(OpenMode::ReadOnly, false)?;
                        let pane = MessagePane::new(m, Origin::Embedded, format!("{} (embedded)", a.name))?;
                        return Ok(Outcome::Push(Box::new(pane)));
                    }
                    let props = att.get_all_props()?;
                    let pane = PropsPane::object(
                        format!("{} — attachment properties", a.name),
                        Box::new(Fixed(props)),
                    )?;
                    Ok(Outcome::Push(Box::new(pane)))
                }
                _ => Ok(Outcome::Ignored),
            }
        })();
        r.into()
    }
    fn on_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Outcome {
        match key.code {
            KeyCode::Tab | KeyCode::Right => {
                self.tab = (self.tab + 1) % TABS.len();
                Outcome::Status(TABS[self.tab].into())
            }
            KeyCode::BackTab | KeyCode::Left => {
                self.tab = (self.tab + TABS.len() - 1) % TABS.len();
                Outcome::Status(TABS[self.tab].into())
            }
            KeyCode::Char('p') => {
                let obj = MessageObj(self.origin.clone(), self.props.clone());
                PropsPane::object(format!("{} — properties", self.subject), Box::new(obj))
                    .map(|p| Outcome::Push(Box::new(p)))
                    .into()
            }
            KeyCode::Char('S') if self.tab == 2 => match self.attachments.get(self.tabs[2].selected) {
                Some(a) => Outcome::Ask(Prompt {
                    purpose: "save",
                    label: "save the attachment to".into(),
                    text: a.name.replace('/', "_"),
                    masked: false,
                }),
                None => Outcome::Status("no attachment selected".into()),
            },
            _ => Outcome::Ignored,
        }
    }
    fn on_input(&mut self, purpose: &'static str, text: String, _ctx: &mut Ctx) -> Outcome {
        match purpose {
            "save" => self.save_attachment(text.trim()).into(),
            _ => Outcome::Ignored,
        }
    }
}

/// Properties read once, shown read-only (attachments, address book entries).
pub struct Fixed(pub Vec<TaggedValue>);

impl PropObject for Fixed {
    fn load(&mut self) -> Result<Vec<TaggedValue>, Failure> {
        Ok(self.0.clone())
    }
    fn save(&mut self, _set: &[TaggedValue], _delete: &[PropTag]) -> Result<(), Failure> {
        Err(MapiError::new(codes::MAPI_E_NO_SUPPORT, "these properties are read-only in the editor").into())
    }
}
