//! The editor's state machine: a stack of panes (the profile list at the bottom, the pane on
//! screen at the top), the modal input line, the bit list of a flag property, the help overlay
//! and the status line. Keys go in as crossterm [`KeyEvent`]s and change the state; nothing here
//! touches the terminal, so the whole editor can be driven from tests.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use oxmapi_client::profile::ProfileStore;
use oxmapi_core::consts::FlagName;

use super::list::Rows;
use super::session::Online;
use crate::failure::Failure;

/// What a pane's key handler asks the editor to do.
pub enum Outcome {
    /// Nothing (the key is not this pane's).
    Ignored,
    /// Done; the status line says this.
    Status(String),
    /// Open a pane on top.
    Push(Box<dyn Pane>),
    /// Ask for a line of text; the answer comes back to [`Pane::on_input`] with `purpose`.
    Ask(Prompt),
    /// Show the bits of a flag value; the new value comes back to [`Pane::on_bits`].
    Bits(BitsEdit),
    /// A failure, shown on the status line.
    Failed(Failure),
}

impl From<Result<Outcome, Failure>> for Outcome {
    fn from(r: Result<Outcome, Failure>) -> Outcome {
        r.unwrap_or_else(Outcome::Failed)
    }
}

/// A question on the input line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What the answer is for (the pane's own code).
    pub purpose: &'static str,
    /// The label before the text.
    pub label: String,
    /// The text, starting with the current value.
    pub text: String,
    /// Echo `*` instead of the text (passwords).
    pub masked: bool,
}

/// The bit list of a PT_LONG flag property (`b`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitsEdit {
    /// The property's name (the title).
    pub name: String,
    /// The value being edited.
    pub value: u32,
    /// The named bits.
    pub names: &'static [FlagName],
    /// The selected bit.
    pub selected: usize,
}

/// One pane of the editor (a list with its own keys).
pub trait Pane {
    /// A short kind name (`profiles`, `services`, `props`, …): tests and the help overlay.
    fn kind(&self) -> &'static str;
    /// The title shown in the pane's border.
    fn title(&self) -> String;
    /// The rows.
    fn rows(&self) -> &Rows;
    /// The rows, to move the selection.
    fn rows_mut(&mut self) -> &mut Rows;
    /// Enter on the selected row.
    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// A key the editor does not handle itself.
    fn on_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// The answer to a [`Prompt`] this pane asked.
    fn on_input(&mut self, _purpose: &'static str, _text: String, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// The value chosen in the bit list.
    fn on_bits(&mut self, _value: u32, _ctx: &mut Ctx) -> Outcome {
        Outcome::Ignored
    }
    /// Unsaved changes that `q` would lose.
    fn dirty(&self) -> bool {
        false
    }
    /// Called when the pane above it closed (to reload what may have changed).
    fn refresh(&mut self, _ctx: &mut Ctx) {}
}

/// What every pane may use: the profile store and, after `l`, the MAPI session.
pub struct Ctx {
    /// The profile store (`$OXMAPI_HOME`).
    pub store: ProfileStore,
    /// The logon settings from the command line.
    pub logon: super::session::LogonSettings,
    /// The session after a logon.
    pub online: Option<Online>,
    /// Notifications of `w` (newest last), shown in the bottom pane.
    pub events: Vec<String>,
}

/// The input line while it is open.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Input {
    /// `/`: the search text and the selection before it started.
    Search { text: String, before: usize },
    /// A pane's question.
    Ask(Prompt),
}

/// The whole editor.
pub struct App {
    /// The panes, bottom first.
    pub stack: Vec<Box<dyn Pane>>,
    /// What the editor shares with its panes.
    pub ctx: Ctx,
    /// The status line.
    pub status: String,
    /// The help overlay is shown.
    pub help: bool,
    input: Option<Input>,
    bits: Option<BitsEdit>,
    /// `q` on a pane with unsaved changes was pressed once.
    confirm_discard: bool,
    /// The editor is done.
    pub quit: bool,
}

/// The keys that move the selection, with the distance.
fn movement(key: &KeyEvent) -> Option<isize> {
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => -1,
        KeyCode::Down | KeyCode::Char('j') => 1,
        KeyCode::PageUp => -10,
        KeyCode::PageDown => 10,
        KeyCode::Home => isize::MIN / 2,
        KeyCode::End => isize::MAX / 2,
        _ => return None,
    })
}

impl App {
    /// An editor showing `stack` (bottom first; at least one pane).
    pub fn new(ctx: Ctx, stack: Vec<Box<dyn Pane>>) -> App {
        App {
            stack,
            ctx,
            status: "? shows the keys".into(),
            help: false,
            input: None,
            bits: None,
            confirm_discard: false,
            quit: false,
        }
    }

    /// The pane on screen.
    pub fn top(&self) -> &dyn Pane {
        self.stack.last().map(|b| b.as_ref()).expect("the stack always has a pane")
    }

    fn top_mut(&mut self) -> &mut Box<dyn Pane> {
        self.stack.last_mut().expect("the stack always has a pane")
    }

    /// The kinds of the panes, bottom first.
    #[cfg(test)]
    pub fn kinds(&self) -> Vec<&'static str> {
        self.stack.iter().map(|p| p.kind()).collect()
    }

    /// The input line's label and text (masked where asked) while it is open.
    pub fn input_line(&self) -> Option<(String, String)> {
        match &self.input {
            Some(Input::Search { text, .. }) => Some(("/".into(), text.clone())),
            Some(Input::Ask(p)) => {
                let t = if p.masked { "*".repeat(p.text.chars().count()) } else { p.text.clone() };
                Some((format!("{}: ", p.label), t))
            }
            None => None,
        }
    }

    /// The bit list while it is open.
    pub fn bits(&self) -> Option<&BitsEdit> {
        self.bits.as_ref()
    }

    /// Handles one key.
    pub fn key(&mut self, key: KeyEvent) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        if self.help {
            self.help = false;
            return;
        }
        if self.input.is_some() {
            self.input_key(key);
            return;
        }
        if self.bits.is_some() {
            self.bits_key(key);
            return;
        }
        let confirm = std::mem::take(&mut self.confirm_discard);
        if let Some(d) = movement(&key) {
            let rows = self.top_mut().rows_mut();
            match d {
                d if d <= isize::MIN / 2 => rows.select_edge(false),
                d if d >= isize::MAX / 2 => rows.select_edge(true),
                d => rows.move_by(d),
            }
            return;
        }
        match key.code {
            KeyCode::Char('?') | KeyCode::F(1) => self.help = true,
            KeyCode::Char('/') => {
                let before = self.top().rows().selected;
                self.input = Some(Input::Search { text: String::new(), before });
            }
            KeyCode::Char('q') | KeyCode::Esc => {
                let esc = key.code == KeyCode::Esc;
                if self.top().dirty() && !confirm {
                    self.confirm_discard = true;
                    self.status = "unsaved changes: s saves them, q again leaves without saving".into();
                } else if self.stack.len() > 1 {
                    self.stack.pop();
                    let (stack, ctx) = (&mut self.stack, &mut self.ctx);
                    if let Some(p) = stack.last_mut() {
                        p.refresh(ctx);
                    }
                } else if !esc {
                    self.quit = true;
                }
            }
            KeyCode::Enter => {
                let (stack, ctx) = (&mut self.stack, &mut self.ctx);
                let out = stack.last_mut().map(|p| p.open(ctx)).unwrap_or(Outcome::Ignored);
                self.apply(out);
            }
            _ => {
                let (stack, ctx) = (&mut self.stack, &mut self.ctx);
                let out = stack.last_mut().map(|p| p.on_key(key, ctx)).unwrap_or(Outcome::Ignored);
                self.apply(out);
            }
        }
    }

    /// Carries out what a pane asked for.
    pub fn apply(&mut self, out: Outcome) {
        match out {
            Outcome::Ignored => {}
            Outcome::Status(s) => self.status = s,
            Outcome::Push(p) => {
                self.status = format!("{} — q goes back", p.title());
                self.stack.push(p);
            }
            Outcome::Ask(p) => self.input = Some(Input::Ask(p)),
            Outcome::Bits(b) => self.bits = Some(b),
            Outcome::Failed(f) => self.status = failure_text(&f),
        }
    }

    fn input_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(input) = self.input.as_mut() else { return };
        let text = match input {
            Input::Search { text, .. } => text,
            Input::Ask(p) => &mut p.text,
        };
        match key.code {
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Char('w') if ctrl => {
                let keep = text.trim_end().rfind(' ').map(|i| i + 1).unwrap_or(0);
                text.truncate(keep);
            }
            KeyCode::Char(c) if !ctrl => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Esc => {
                if let Some(Input::Search { before, .. }) = self.input.take() {
                    self.top_mut().rows_mut().select(before);
                }
                self.status = "cancelled".into();
                return;
            }
            KeyCode::Enter => {
                match self.input.take() {
                    Some(Input::Search { text, before }) => {
                        let rows = self.top_mut().rows_mut();
                        match rows.find(&text) {
                            Some(i) => {
                                rows.select(i);
                                self.status = format!("found {text:?}");
                            }
                            None => {
                                rows.select(before);
                                self.status = format!("no row contains {text:?}");
                            }
                        }
                    }
                    Some(Input::Ask(p)) => {
                        let (stack, ctx) = (&mut self.stack, &mut self.ctx);
                        let out = stack
                            .last_mut()
                            .map(|t| t.on_input(p.purpose, p.text, ctx))
                            .unwrap_or(Outcome::Ignored);
                        self.apply(out);
                    }
                    None => {}
                }
                return;
            }
            _ => {}
        }
        // Incremental search: the selection follows the text as it is typed.
        if let Some(Input::Search { text, .. }) = &self.input {
            let text = text.clone();
            let rows = self.top_mut().rows_mut();
            if let Some(i) = rows.find(&text) {
                rows.select(i);
            }
        }
    }

    fn bits_key(&mut self, key: KeyEvent) {
        let Some(b) = self.bits.as_mut() else { return };
        let n = b.names.len();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => b.selected = b.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => b.selected = (b.selected + 1).min(n.saturating_sub(1)),
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                if let Some((bit, _)) = b.names.get(b.selected) {
                    b.value ^= bit;
                }
            }
            KeyCode::Esc | KeyCode::Char('q') => {
                self.bits = None;
                self.status = "bits unchanged".into();
            }
            KeyCode::Enter => {
                let value = b.value;
                self.bits = None;
                let (stack, ctx) = (&mut self.stack, &mut self.ctx);
                let out = stack.last_mut().map(|t| t.on_bits(value, ctx)).unwrap_or(Outcome::Ignored);
                self.apply(out);
            }
            _ => {}
        }
    }

    /// Work between keys: notifications of `w` arriving.
    pub fn tick(&mut self) {
        if let Some(o) = self.ctx.online.as_mut() {
            let fresh = o.poll_events();
            if !fresh.is_empty() {
                self.ctx.events.extend(fresh);
                let excess = self.ctx.events.len().saturating_sub(super::session::MAX_EVENTS);
                self.ctx.events.drain(..excess);
            }
        }
    }
}

/// A failure on the status line: the MAPI error (name, code, message) and its hint.
pub fn failure_text(f: &Failure) -> String {
    match f.hint() {
        Some(h) => format!("error: {} — hint: {h}", f.error),
        None => format!("error: {}", f.error),
    }
}
