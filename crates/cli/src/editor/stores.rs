//! After a logon: the message store table (IMAPISession::GetMsgStoresTable), OpenMsgStore on a
//! row (Enter), another user's mailbox (`o`, as `--mailbox` opens it), the store's own
//! properties (`p`) and the address book (`A`).

use std::rc::Rc;

use crossterm::event::{KeyCode, KeyEvent};
use oxmapi_client::session::StoreRow;
use oxmapi_client::store::MsgStore;
use oxmapi_core::error::codes;
use oxmapi_core::{MapiError, PropTag, TaggedValue};

use super::ab::GalPane;
use super::app::{Ctx, Outcome, Pane, Prompt};
use super::folders::FoldersPane;
use super::list::Rows;
use super::props::{PropObject, PropsPane};
use crate::failure::Failure;

/// The session, or the error that says to log on first.
pub fn online(ctx: &Ctx) -> Result<&super::session::Online, Failure> {
    ctx.online.as_ref().ok_or_else(|| {
        Failure::with_hint(
            MapiError::new(codes::MAPI_E_NOT_INITIALIZED, "not logged on"),
            "select a profile and press l to log on",
        )
    })
}

/// The store table of the session.
pub struct StoresPane {
    stores: Vec<StoreRow>,
    rows: Rows,
    profile: String,
}

impl StoresPane {
    /// The stores of the logged-on session.
    pub fn new(ctx: &Ctx) -> Result<StoresPane, Failure> {
        let o = online(ctx)?;
        let stores = o.session.msg_stores_table();
        let rows = stores
            .iter()
            .map(|r| {
                vec![
                    r.display_name.clone(),
                    if r.default_store { "yes".into() } else { String::new() },
                    r.provider_name.clone(),
                    oxmapi_wire::describe::hex(&r.entry_id),
                ]
            })
            .collect();
        Ok(StoresPane {
            stores,
            rows: Rows::new(&["Store", "Default", "Provider", "PR_ENTRYID"], rows),
            profile: o.profile.clone(),
        })
    }
}

/// IMsgStore's own properties, read-only (the server sets them).
struct StoreObj(Rc<MsgStore>);

impl PropObject for StoreObj {
    fn load(&mut self) -> Result<Vec<TaggedValue>, Failure> {
        Ok(self.0.get_all_props()?)
    }
    fn save(&mut self, _set: &[TaggedValue], _delete: &[PropTag]) -> Result<(), Failure> {
        Err(MapiError::new(codes::MAPI_E_NO_ACCESS, "store properties are set by the server").into())
    }
}

impl Pane for StoresPane {
    fn kind(&self) -> &'static str {
        "stores"
    }
    fn title(&self) -> String {
        format!(
            "{} — stores (Enter: folders, p: properties, o: another mailbox, A: address book)",
            self.profile
        )
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            let Some(row) = self.stores.get(self.rows.selected) else { return Ok(Outcome::Ignored) };
            let store = online(ctx)?.session.open_msg_store(&row.entry_id)?;
            Ok(Outcome::Push(Box::new(FoldersPane::new(Rc::new(store), row.display_name.clone())?)))
        })();
        r.into()
    }
    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        match key.code {
            KeyCode::Char('o') => Outcome::Ask(Prompt {
                purpose: "mailbox",
                label: "open the mailbox of (name, account or SMTP address)".into(),
                text: ctx.logon.mailbox.clone().unwrap_or_default(),
                masked: false,
            }),
            KeyCode::Char('A') => GalPane::new(ctx).map(|p| Outcome::Push(Box::new(p))).into(),
            KeyCode::Char('p') => {
                let r = (|| -> Result<Outcome, Failure> {
                    let Some(row) = self.stores.get(self.rows.selected) else { return Ok(Outcome::Ignored) };
                    let store = online(ctx)?.session.open_msg_store(&row.entry_id)?;
                    let pane = PropsPane::object(
                        format!("{} — store properties", row.display_name),
                        Box::new(StoreObj(Rc::new(store))),
                    )?;
                    Ok(Outcome::Push(Box::new(pane)))
                })();
                r.into()
            }
            _ => Outcome::Ignored,
        }
    }
    fn on_input(&mut self, purpose: &'static str, text: String, ctx: &mut Ctx) -> Outcome {
        if purpose != "mailbox" {
            return Outcome::Ignored;
        }
        let user = text.trim().to_string();
        let r = (|| -> Result<Outcome, Failure> {
            let (store, _) = crate::mailbox::open_other(&online(ctx)?.session, &user)?;
            Ok(Outcome::Push(Box::new(FoldersPane::new(Rc::new(store), format!("Mailbox - {user}"))?)))
        })();
        r.into()
    }
}
