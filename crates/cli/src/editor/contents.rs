//! A folder's contents table (MS-OXCTABL): sorted by a column (`1`…`5`, again for descending,
//! RopSortTable), restricted by a condition in the rules syntax (`r`, RopRestrict; the parser of
//! `oxmapi rules add --if`), the associated (FAI) contents with `a`. Enter opens a message.

use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::store::{Folder, MsgStore, SortOrder};
use oxmapi_core::catalogue::tags::{
    PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE, PR_MID, PR_SENT_REPRESENTING_NAME,
    PR_SUBJECT,
};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::{MapiError, PropTag, PropValue};

use super::app::{Ctx, Outcome, Pane, Prompt};
use super::list::Rows;
use super::message::MessagePane;
use crate::failure::Failure;

/// The columns shown, with their headers (PR_MID is fetched first, not shown).
const COLUMNS: &[(PropTag, &str)] = &[
    (PR_SUBJECT, "Subject"),
    (PR_SENT_REPRESENTING_NAME, "From"),
    (PR_MESSAGE_DELIVERY_TIME, "Received"),
    (PR_MESSAGE_SIZE, "Size"),
    (PR_MESSAGE_CLASS, "Class"),
];

/// Rows read at most (a page of the table).
const MAX_ROWS: usize = 5000;

/// A folder's contents.
pub struct ContentsPane {
    store: Rc<MsgStore>,
    folder: Folder,
    name: String,
    associated: bool,
    sort: Option<(usize, bool)>,
    restriction: Option<(String, Restriction)>,
    mids: Vec<ObjectId>,
    rows: Rows,
}

fn cell(v: Option<&PropValue>) -> String {
    match v {
        None => String::new(),
        Some(PropValue::SysTime(t)) => {
            let s = t.to_rfc3339();
            s.get(..16).map(|d| d.replace('T', " ")).unwrap_or(s)
        }
        Some(PropValue::I32(i)) => i.to_string(),
        Some(v) => v.as_text().map(|t| t.into_owned()).unwrap_or_else(|| super::detail::value_text(v)),
    }
}

impl ContentsPane {
    /// The contents of `folder`.
    pub fn new(store: Rc<MsgStore>, folder: Folder, name: String) -> Result<ContentsPane, Failure> {
        let headers: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
        let mut p = ContentsPane {
            store,
            folder,
            name,
            associated: false,
            sort: None,
            restriction: None,
            mids: Vec::new(),
            rows: Rows::new(&headers, Vec::new()),
        };
        p.headers();
        p.load()?;
        Ok(p)
    }

    fn load(&mut self) -> Result<(), Failure> {
        let mut t = self.folder.contents_table(self.associated)?;
        let mut cols = vec![PR_MID];
        cols.extend(COLUMNS.iter().map(|(t, _)| *t));
        t.set_columns(&cols)?;
        let order = match self.sort {
            Some((c, descending)) => vec![SortOrder { tag: COLUMNS[c].0, descending }],
            None => crate::mailbox::default_view(),
        };
        t.sort(&order)?;
        t.restrict(self.restriction.as_ref().map(|(_, r)| r))?;
        let found = t.query_rows(MAX_ROWS, true)?;
        self.mids.clear();
        let mut rows = Vec::new();
        for r in found {
            let Some(PropValue::I64(mid)) = r.get(PR_MID) else { continue };
            self.mids.push(ObjectId::from_u64(*mid as u64));
            rows.push(COLUMNS.iter().map(|(tag, _)| cell(r.get(*tag))).collect());
        }
        self.rows.replace(rows);
        Ok(())
    }

    fn headers(&mut self) {
        let mut h: Vec<String> = COLUMNS.iter().map(|(_, h)| h.to_string()).collect();
        if let Some((c, desc)) = self.sort {
            h[c] = format!("{} {}", h[c], if desc { "▼" } else { "▲" });
        }
        for (i, x) in h.iter_mut().enumerate() {
            *x = format!("{} {x}", i + 1);
        }
        self.rows.headers = h;
    }
}

impl Pane for ContentsPane {
    fn kind(&self) -> &'static str {
        "contents"
    }
    fn title(&self) -> String {
        let fai = if self.associated { " associated (FAI)" } else { "" };
        let r = self.restriction.as_ref().map(|(t, _)| format!(" where {t}")).unwrap_or_default();
        format!(
            "{} —{fai} contents, {} rows{r} (Enter: open, 1-5: sort, r: restrict, a: FAI)",
            self.name,
            self.rows.len()
        )
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            let mid = *self
                .mids
                .get(self.rows.selected)
                .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, "the folder has no messages here"))?;
            let subject = self.rows.cell(0).unwrap_or_default().to_string();
            Ok(Outcome::Push(Box::new(MessagePane::open(
                self.store.clone(),
                self.folder.id(),
                mid,
                subject,
            )?)))
        })();
        r.into()
    }
    fn on_key(&mut self, key: KeyEvent, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            Ok(match key.code {
                KeyCode::Char(c @ '1'..='5') => {
                    let col = (c as u8 - b'1') as usize;
                    self.sort = match self.sort {
                        Some((x, false)) if x == col => Some((col, true)),
                        _ => Some((col, false)),
                    };
                    self.headers();
                    self.load()?;
                    Outcome::Status(format!("sorted by {}", COLUMNS[col].1))
                }
                KeyCode::Char('a') => {
                    self.associated = !self.associated;
                    self.load()?;
                    Outcome::Status(
                        if self.associated { "associated (FAI) contents" } else { "normal contents" }.into(),
                    )
                }
                KeyCode::Char('r') => Outcome::Ask(Prompt {
                    purpose: "restrict",
                    label: "restriction (subject~TEXT, from=ADDR, size>N, has-attachment, and/or/not)".into(),
                    text: self.restriction.as_ref().map(|(t, _)| t.clone()).unwrap_or_default(),
                    masked: false,
                }),
                KeyCode::Char('R') => {
                    self.restriction = None;
                    self.load()?;
                    Outcome::Status("restriction removed".into())
                }
                _ => Outcome::Ignored,
            })
        })();
        r.into()
    }
    fn on_input(&mut self, purpose: &'static str, text: String, _ctx: &mut Ctx) -> Outcome {
        if purpose != "restrict" {
            return Outcome::Ignored;
        }
        if text.trim().is_empty() {
            self.restriction = None;
        } else {
            match crate::rules_cmd::condition::parse(&text) {
                Ok(r) => self.restriction = Some((text.trim().to_string(), r)),
                Err(e) => {
                    return Outcome::Failed(Failure::with_hint(
                        MapiError::new(
                            codes::MAPI_E_INVALID_PARAMETER,
                            format!("restriction {text:?}: {}", e.0),
                        ),
                        "the rules syntax: subject~TEXT, body~TEXT, from=ADDR, to=ADDR, importance=N, size>N, has-attachment, with and, or, not and parentheses",
                    ));
                }
            }
        }
        match self.load() {
            Ok(()) => Outcome::Status(format!("{} rows", self.rows.len())),
            Err(f) => Outcome::Failed(f),
        }
    }
    fn refresh(&mut self, _ctx: &mut Ctx) {
        let _ = self.load();
    }
}
