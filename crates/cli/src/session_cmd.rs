//! `oxmapi logon`, `stores` and `status` (CLI.md "Logon, stores, folders, messages"): MAPILogonEx
//! with the profile, the message store table with OpenMsgStore on each store, and the session
//! status table.

use std::io::IsTerminal;
use std::time::Duration;

use oxmapi_client::session::{LogonOptions, Mapi, Session};
use oxmapi_core::MapiError;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::consts::{flag_names, store_support};
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use crate::terminal_ui::TerminalUi;

const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PR_STORE_SUPPORT_MASK: PropTag = PropTag(0x340D_0003);
const PR_MAILBOX_OWNER_NAME: PropTag = PropTag(0x661C_001F);

/// What the global options say about a logon.
pub struct LogonArgs<'a> {
    /// `--profile`.
    pub profile: Option<&'a str>,
    /// `--password-file`.
    pub password_file: Option<&'a std::path::Path>,
    /// `--client-version`.
    pub client_version: Option<&'a str>,
    /// `--new-session`.
    pub new_session: bool,
    /// `--mailbox`: another user's mailbox (delegate access).
    pub mailbox: Option<&'a str>,
}

fn read_password(args: &LogonArgs<'_>) -> Result<Option<String>, MapiError> {
    if let Some(p) = args.password_file {
        let mut s = std::fs::read_to_string(p).map_err(|e| {
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("password file {}: {e}", p.display()))
        })?;
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        return Ok(Some(s));
    }
    Ok(std::env::var("OXMAPI_PASSWORD").ok())
}

/// MAPILogonEx as the CLI does it: extended, Unicode, no mail; UI only on a terminal.
pub fn logon(args: &LogonArgs<'_>) -> Result<Session, MapiError> {
    let mapi = Mapi::initialize()?;
    let mut flags = MAPI_EXTENDED | MAPI_UNICODE | MAPI_NO_MAIL;
    if args.new_session {
        flags |= MAPI_NEW_SESSION;
    }
    if args.profile.is_none() {
        flags |= MAPI_USE_DEFAULT;
    } else {
        flags |= MAPI_EXPLICIT_PROFILE;
    }
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        flags |= MAPI_LOGON_UI;
    }
    let options =
        LogonOptions { password: read_password(args)?, client_version: args.client_version.map(Into::into) };
    let ui = TerminalUi;
    mapi.logon_ex(interactive.then_some(&ui as &dyn oxmapi_client::LogonUi), args.profile, flags, &options)
}

fn version(v: [u16; 4]) -> String {
    format!("{}.{}.{}.{}", v[0], v[1], v[2], v[3])
}

fn stores_table(s: &Session) -> Node {
    Node::List(
        s.msg_stores_table()
            .into_iter()
            .map(|r| {
                Node::map([
                    ("display_name", Node::str(r.display_name)),
                    ("entry_id", Node::hex(&r.entry_id)),
                    ("default_store", Node::Bool(r.default_store)),
                    ("provider", Node::str(r.provider_name)),
                ])
            })
            .collect(),
    )
}

/// `oxmapi logon [--hold SECONDS]`.
pub fn logon_cmd(args: &LogonArgs<'_>, hold: Option<u64>, json: bool) -> Result<Node, MapiError> {
    let s = logon(args)?;
    let (display, dn) = s.identity().unwrap_or_default();
    let node = Node::map([
        ("profile", Node::str(s.profile().name.clone())),
        ("user", Node::str(s.user())),
        ("display_name", Node::str(display)),
        ("legacy_dn", Node::str(dn)),
        ("server", Node::str(s.server_url())),
        ("client_version", Node::str(version(s.client_version()))),
        ("connect_flags", Node::str(format!("0x{:08X}", s.connect_flags()))),
        ("stores", stores_table(&s)),
    ]);
    if let Some(secs) = hold {
        // Print first so that an observer sees the session while it is held.
        crate::output::print(&node.clone().with("held_seconds", Node::Int(secs.into())), json);
        std::thread::sleep(Duration::from_secs(secs));
        s.logoff()?;
        return Ok(Node::Null);
    }
    s.logoff()?;
    Ok(node)
}

fn value_text(v: &RowValue) -> Option<String> {
    match v {
        RowValue::Value(PropValue::Unicode(s)) => Some(s.clone()),
        RowValue::Value(PropValue::String8(b)) => Some(oxmapi_core::text::decode_cp1252(b)),
        _ => None,
    }
}

/// PR_STORE_SUPPORT_MASK as shown: hex, or "not reported" when the store did not return it.
fn support_mask_text(mask: Option<u32>) -> String {
    mask.map_or_else(|| "not reported".to_string(), |m| format!("0x{m:08X}"))
}

/// `oxmapi stores`: OpenMsgStore on every store of the table; the first failure is returned after
/// the stores that opened are listed.
pub fn stores_cmd(args: &LogonArgs<'_>, json: bool) -> Result<Node, MapiError> {
    let s = logon(args)?;
    let mut out = Vec::new();
    let mut first_error = None;
    for row in s.msg_stores_table() {
        let opened = s.open_msg_store(&row.entry_id).and_then(|store| {
            store.get_props(&[PR_DISPLAY_NAME, PR_STORE_SUPPORT_MASK, PR_MAILBOX_OWNER_NAME])
        });
        match opened {
            Ok(vals) => {
                // A store that does not report PR_STORE_SUPPORT_MASK (NotFound; gromox's logon
                // object) has no mask to show, which is not the same as a mask of 0.
                let mask = match vals.get(1) {
                    Some(RowValue::Value(PropValue::I32(m))) => Some(*m as u32),
                    _ => None,
                };
                let mut n = Node::map([
                    ("display_name", Node::str(value_text(&vals[0]).unwrap_or(row.display_name))),
                    ("entry_id", Node::hex(&row.entry_id)),
                    ("default_store", Node::Bool(row.default_store)),
                    ("store_support_mask", Node::str(support_mask_text(mask))),
                    (
                        "store_support_flags",
                        Node::List(
                            flag_names(mask.unwrap_or(0), store_support::NAMES)
                                .into_iter()
                                .map(Node::Str)
                                .collect(),
                        ),
                    ),
                ]);
                if let Some(owner) = vals.get(2).and_then(value_text) {
                    n = n.with("mailbox_owner", Node::str(owner));
                }
                out.push(n);
            }
            Err(e) => {
                // The first failure becomes the command's error; later ones are reported here.
                if first_error.is_some() && !json {
                    eprintln!("{}: {e}", row.display_name);
                }
                first_error.get_or_insert(e);
            }
        }
    }
    let _ = s.logoff();
    match first_error {
        Some(e) => {
            if !out.is_empty() {
                crate::output::print(&Node::List(out), json);
            }
            Err(e)
        }
        None => Ok(Node::List(out)),
    }
}

/// `oxmapi status`.
pub fn status_cmd(args: &LogonArgs<'_>) -> Result<Node, MapiError> {
    let s = logon(args)?;
    // The address book binds on first use; bind it now so its row tells whether it works
    // (a failure shows as "disabled" in the table).
    if let Ok(ab) = s.open_address_book() {
        let _ = ab.logon();
    }
    let rows = s
        .status_table()
        .into_iter()
        .map(|r| {
            Node::map([
                ("display_name", Node::str(r.display_name.clone())),
                ("provider", Node::str(r.provider_name.clone())),
                ("provider_display", Node::str(r.provider_display.clone())),
                ("resource_type", Node::Int(r.resource_type.into())),
                ("status_code", Node::str(format!("0x{:08X}", r.status_code()))),
                ("status", Node::str(r.status_string())),
            ])
        })
        .collect();
    let _ = s.logoff();
    Ok(Node::List(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A logon object without PR_STORE_SUPPORT_MASK (gromox 3.10's, protocol-facts §7.x)
    /// shows "not reported", never a mask of 0.
    #[test]
    fn a_missing_support_mask_is_not_reported_rather_than_zero() {
        assert_eq!(support_mask_text(None), "not reported");
        assert_eq!(support_mask_text(Some(0)), "0x00000000");
        assert_eq!(support_mask_text(Some(0x0004_0E79)), "0x00040E79");
    }
}
