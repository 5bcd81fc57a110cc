//! A store's folder tree (the hierarchy table with depth, MS-OXCFOLD): the IPM subtree, or with
//! `t` the whole store from its root folder. Enter opens a folder's contents, `p` its
//! properties, `w` advises on it (MS-OXCNOTIF) with the events in the bottom pane, `W` stops.

use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::store::{Folder, MsgStore};
use oxmapi_core::catalogue::tags::{
    PR_CONTAINER_CLASS, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DEPTH, PR_DISPLAY_NAME, PR_FID,
};
use oxmapi_core::consts::fnev;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::{MapiError, PropTag, PropValue, TaggedValue};

use super::app::{Ctx, Outcome, Pane};
use super::contents::ContentsPane;
use super::list::Rows;
use super::props::{PropObject, PropsPane};
use crate::failure::Failure;

/// The events `w` watches: new mail and every object event (as `oxmapi watch` by default).
const WATCH_EVENTS: u32 = fnev::NEW_MAIL
    | fnev::OBJECT_CREATED
    | fnev::OBJECT_DELETED
    | fnev::OBJECT_MODIFIED
    | fnev::OBJECT_MOVED
    | fnev::OBJECT_COPIED
    | fnev::CRITICAL_ERROR;

/// The folder tree of a store.
pub struct FoldersPane {
    store: Rc<MsgStore>,
    name: String,
    whole: bool,
    ids: Vec<ObjectId>,
    rows: Rows,
}

fn int(v: Option<&PropValue>) -> i64 {
    match v {
        Some(PropValue::I32(i)) => (*i).into(),
        Some(PropValue::I64(i)) => *i,
        _ => 0,
    }
}

fn text(v: Option<&PropValue>) -> String {
    v.and_then(|v| v.as_text()).map(|t| t.into_owned()).unwrap_or_default()
}

impl FoldersPane {
    /// The IPM subtree of `store`.
    pub fn new(store: Rc<MsgStore>, name: String) -> Result<FoldersPane, Failure> {
        let mut p = FoldersPane {
            store,
            name,
            whole: false,
            ids: Vec::new(),
            rows: Rows::new(&["Folder", "Items", "Unread", "Class"], Vec::new()),
        };
        p.load()?;
        Ok(p)
    }

    fn load(&mut self) -> Result<(), Failure> {
        let top = if self.whole {
            self.store.open_folder(self.store.root_folder_id())?
        } else {
            self.store.ipm_subtree()?
        };
        let mut t = top.hierarchy_table(true)?;
        t.set_columns(&[
            PR_FID,
            PR_DISPLAY_NAME,
            PR_DEPTH,
            PR_CONTENT_COUNT,
            PR_CONTENT_UNREAD,
            PR_CONTAINER_CLASS,
        ])?;
        let found = t.query_rows(usize::MAX, true)?;
        let root_name = if self.whole { "(root)" } else { "Top of Information Store" };
        self.ids = vec![top.id()];
        let mut rows = vec![vec![root_name.to_string(), String::new(), String::new(), String::new()]];
        for r in found {
            let Some(PropValue::I64(fid)) = r.get(PR_FID) else { continue };
            let depth = int(r.get(PR_DEPTH)).clamp(1, 64) as usize;
            rows.push(vec![
                format!("{}{}", "  ".repeat(depth), text(r.get(PR_DISPLAY_NAME))),
                int(r.get(PR_CONTENT_COUNT)).to_string(),
                int(r.get(PR_CONTENT_UNREAD)).to_string(),
                text(r.get(PR_CONTAINER_CLASS)),
            ]);
            self.ids.push(ObjectId::from_u64(*fid as u64));
        }
        self.rows.replace(rows);
        Ok(())
    }

    fn selected(&self) -> Result<(Folder, String), Failure> {
        let fid = *self
            .ids
            .get(self.rows.selected)
            .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, "no folder selected"))?;
        let name = self.rows.cell(0).unwrap_or_default().trim().to_string();
        Ok((self.store.open_folder(fid)?, name))
    }
}

/// A folder's properties through IMAPIProp (SetProps writes at once; folders have no
/// SaveChanges).
pub struct FolderObj {
    store: Rc<MsgStore>,
    fid: ObjectId,
}

impl PropObject for FolderObj {
    fn load(&mut self) -> Result<Vec<TaggedValue>, Failure> {
        Ok(self.store.open_folder(self.fid)?.get_all_props()?)
    }
    fn save(&mut self, set: &[TaggedValue], delete: &[PropTag]) -> Result<(), Failure> {
        let f = self.store.open_folder(self.fid)?;
        let mut problems = if set.is_empty() { Vec::new() } else { f.set_props(set)? };
        if !delete.is_empty() {
            problems.extend(f.delete_props(delete)?);
        }
        match problems.first() {
            Some(p) => Err(MapiError::new(
                p.error,
                format!("the server refused {}", crate::mailbox::values::column_name(p.tag)),
            )
            .into()),
            None => Ok(()),
        }
    }
}

impl Pane for FoldersPane {
    fn kind(&self) -> &'static str {
        "folders"
    }
    fn title(&self) -> String {
        let what = if self.whole { "whole store" } else { "IPM subtree" };
        format!("{} — folders, {what} (Enter: contents, p: properties, t: toggle tree, w: watch)", self.name)
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            let (f, name) = self.selected()?;
            Ok(Outcome::Push(Box::new(ContentsPane::new(self.store.clone(), f, name)?)))
        })();
        r.into()
    }
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            Ok(match key.code {
                KeyCode::Char('t') => {
                    self.whole = !self.whole;
                    self.load()?;
                    Outcome::Status(if self.whole { "the whole store" } else { "the IPM subtree" }.into())
                }
                KeyCode::Char('p') => {
                    let (f, name) = self.selected()?;
                    let obj = FolderObj { store: self.store.clone(), fid: f.id() };
                    Outcome::Push(Box::new(PropsPane::object(
                        format!("{name} — folder properties"),
                        Box::new(obj),
                    )?))
                }
                KeyCode::Char('w') => {
                    let (f, name) = self.selected()?;
                    let stream = f.advise_stream(WATCH_EVENTS)?;
                    let o = super::stores::online(ctx)?;
                    let _ = o;
                    if let Some(o) = ctx.online.as_mut() {
                        o.watch(name.clone(), stream);
                    }
                    Outcome::Status(format!("watching {name}: events appear below (W stops)"))
                }
                KeyCode::Char('W') => match ctx.online.as_mut().and_then(|o| o.unwatch()) {
                    Some(l) => Outcome::Status(format!("stopped watching {l}")),
                    None => Outcome::Status("nothing is watched".into()),
                },
                KeyCode::Char('r') => {
                    self.load()?;
                    Outcome::Status("reloaded".into())
                }
                _ => Outcome::Ignored,
            })
        })();
        r.into()
    }
    fn refresh(&mut self, _ctx: &mut Ctx) {
        let _ = self.load();
    }
}
