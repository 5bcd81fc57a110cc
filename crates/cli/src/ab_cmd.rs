//! `oxmapi ab ls|resolve|show` (CLI.md "Address book"): the Global Address List, ambiguous name
//! resolution and every property of one entry, through the session's address book provider.

use oxmapi_client::ab::{AddressBook, Resolved};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::value::PropValue;
use oxmapi_wire::describe::Node;

use crate::failure::Failure;
use crate::mailbox::values::{props_node, row_node};
use crate::session_cmd::{LogonArgs, logon};

/// Rows per QueryRows while listing.
const PAGE: u32 = 500;

/// The columns `ab ls` shows.
const LS_COLUMNS: &[oxmapi_core::tag::PropTag] =
    &[PR_ENTRYID, PR_DISPLAY_NAME, PR_SMTP_ADDRESS, PR_ACCOUNT, PR_DISPLAY_TYPE];

fn address_book(args: &LogonArgs<'_>) -> Result<AddressBook, Failure> {
    crate::session_cmd::refuse_mailbox(args, "ab", "the address book is the same for every mailbox")?;
    Ok(logon(args)?.open_address_book()?)
}

/// `oxmapi ab ls [--limit N]`: the GAL in display-name order.
pub fn ls_cmd(args: &LogonArgs<'_>, limit: Option<usize>) -> Result<Node, Failure> {
    let ab = address_book(args)?;
    let mut table = ab.gal().contents_table()?;
    table.set_columns(LS_COLUMNS)?;
    let limit = limit.unwrap_or(usize::MAX);
    let mut out = Vec::new();
    while out.len() < limit {
        let want = (limit - out.len()).min(PAGE as usize) as u32;
        let rows = table.query_rows(want)?;
        if rows.is_empty() {
            break;
        }
        out.extend(rows.iter().map(row_node));
    }
    Ok(Node::List(out))
}

/// `ab ls` as text: one line per entry, `Display Name <smtp>  (account)`.
pub fn ls_text(node: &Node) -> String {
    let Node::List(rows) = node else { return String::new() };
    let field = |row: &Node, key: &str| match row {
        Node::Map(m) => m.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
            Node::Str(s) => Some(s.clone()),
            _ => None,
        }),
        _ => None,
    };
    let mut out = String::new();
    for row in rows {
        let name = field(row, "PR_DISPLAY_NAME").unwrap_or_default();
        let smtp = field(row, "PR_SMTP_ADDRESS").map(|s| format!(" <{s}>")).unwrap_or_default();
        let account = field(row, "PR_ACCOUNT").map(|s| format!("  ({s})")).unwrap_or_default();
        out.push_str(&format!("{name}{smtp}{account}\n"));
    }
    out
}

fn resolved_node(r: &Resolved) -> Node {
    let entry_id = match r.get(PR_ENTRYID) {
        Some(PropValue::Binary(b)) => Node::hex(b),
        _ => Node::Null,
    };
    let smtp = r.text(PR_SMTP_ADDRESS);
    Node::Map(vec![
        ("display_name".into(), Node::Str(r.text(PR_DISPLAY_NAME).into())),
        ("smtp_address".into(), if smtp.is_empty() { Node::Null } else { Node::Str(smtp.into()) }),
        ("address_type".into(), Node::Str(r.text(PR_ADDRTYPE).into())),
        ("email_address".into(), Node::Str(r.text(PR_EMAIL_ADDRESS).into())),
        ("account".into(), Node::Str(r.text(PR_ACCOUNT).into())),
        ("one_off".into(), Node::Bool(r.is_one_off())),
        ("entry_id".into(), entry_id),
    ])
}

/// `oxmapi ab resolve NAME`: the one entry NAME resolves to, or MAPI_E_AMBIGUOUS_RECIP /
/// MAPI_E_NOT_FOUND. `[SMTP:address]` gives a one-off entry.
pub fn resolve_cmd(args: &LogonArgs<'_>, name: &str) -> Result<Node, Failure> {
    let ab = address_book(args)?;
    Ok(resolved_node(&ab.resolve_name(name, false)?))
}

/// `oxmapi ab show NAME`: every property of the entry NAME resolves to (opened by its entry
/// ID, as IAddrBook::OpenEntry does).
pub fn show_cmd(args: &LogonArgs<'_>, name: &str) -> Result<Node, Failure> {
    let ab = address_book(args)?;
    let r = ab.resolve_name(name, false)?;
    let Some(PropValue::Binary(entry_id)) = r.get(PR_ENTRYID) else {
        return Err(MapiError::new(
            oxmapi_core::error::codes::MAPI_E_NOT_FOUND,
            format!("{name:?} resolved to an entry without PR_ENTRYID"),
        )
        .into());
    };
    let user = ab.open_entry(entry_id)?;
    Ok(props_node(user.get_all_props()))
}
