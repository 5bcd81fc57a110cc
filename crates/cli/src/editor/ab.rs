//! The address book: the Global Address List (the GAL container's contents table, MS-OXNSPI
//! through MS-OXCMAPIHTTP) and an entry's properties (IAddrBook::OpenEntry).

use oxmapi_client::ab::AddressBook;
use oxmapi_core::catalogue::tags::{PR_ACCOUNT, PR_DISPLAY_NAME, PR_ENTRYID, PR_SMTP_ADDRESS};
use oxmapi_core::{PropTag, PropValue};

use super::app::{Ctx, Outcome, Pane};
use super::list::Rows;
use super::message::Fixed;
use super::props::PropsPane;
use crate::failure::Failure;

/// Columns of the GAL list.
const COLUMNS: &[PropTag] = &[PR_ENTRYID, PR_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_ACCOUNT];
/// Rows per QueryRows.
const PAGE: u32 = 500;
/// Entries listed at most.
const MAX_ENTRIES: usize = 10_000;

/// The GAL.
pub struct GalPane {
    ab: AddressBook,
    entry_ids: Vec<Vec<u8>>,
    rows: Rows,
}

fn text(v: Option<&PropValue>) -> String {
    v.and_then(|v| v.as_text()).map(|t| t.into_owned()).unwrap_or_default()
}

impl GalPane {
    /// The GAL of the session's address book.
    pub fn new(ctx: &Ctx) -> Result<GalPane, Failure> {
        let ab = super::stores::online(ctx)?.session.open_address_book()?;
        let mut table = ab.gal().contents_table()?;
        table.set_columns(COLUMNS)?;
        let mut entry_ids = Vec::new();
        let mut rows = Vec::new();
        while rows.len() < MAX_ENTRIES {
            let page = table.query_rows(PAGE)?;
            if page.is_empty() {
                break;
            }
            for r in page {
                entry_ids.push(match r.get(PR_ENTRYID) {
                    Some(PropValue::Binary(b)) => b.clone(),
                    _ => Vec::new(),
                });
                rows.push(vec![
                    text(r.get(PR_DISPLAY_NAME)),
                    text(r.get(PR_SMTP_ADDRESS)),
                    text(r.get(PR_ACCOUNT)),
                ]);
            }
        }
        Ok(GalPane { ab, entry_ids, rows: Rows::new(&["Display name", "SMTP address", "Account"], rows) })
    }
}

impl Pane for GalPane {
    fn kind(&self) -> &'static str {
        "gal"
    }
    fn title(&self) -> String {
        format!("Global Address List, {} entries (Enter: properties)", self.rows.len())
    }
    fn rows(&self) -> &Rows {
        &self.rows
    }
    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
    fn open(&mut self, _ctx: &mut Ctx) -> Outcome {
        let r = (|| -> Result<Outcome, Failure> {
            let Some(eid) = self.entry_ids.get(self.rows.selected) else { return Ok(Outcome::Ignored) };
            let entry = self.ab.open_entry(eid)?;
            let name = entry.display_name().to_string();
            let pane = PropsPane::object(
                format!("{name} — address book entry"),
                Box::new(Fixed(entry.get_all_props().to_vec())),
            )?;
            Ok(Outcome::Push(Box::new(pane)))
        })();
        r.into()
    }
}
