//! `oxmapi logon`, `stores` and `status` (CLI.md "Logon, stores, folders, messages"): MAPILogonEx
//! with the profile, the message store table with OpenMsgStore on each store, and the session
//! status table.

use std::io::IsTerminal;
use std::time::Duration;

use oxmapi_client::session::{LogonOptions, Mapi, ProviderState, Session, StoreRow, TransportSettings};
use oxmapi_core::MapiError;
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::consts::{flag_names, store_support};
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use crate::failure::Failure;
use crate::terminal_ui::TerminalUi;

const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PR_STORE_SUPPORT_MASK: PropTag = PropTag(0x340D_0003);
const PR_MAILBOX_OWNER_NAME: PropTag = PropTag(0x661C_001F);
/// The MSEMS provider of the user's own mailbox (the default store).
const PRIVATE_STORE_PROVIDER: &str = "EMS_MDB_private";

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
    /// `--trust-autodiscover-origin`.
    pub trust_autodiscover_origin: bool,
    /// `--request-timeout`.
    pub request_timeout: Option<Duration>,
    /// `--public`: the public folder store instead of the mailbox (`folders`, `ls`, `show`,
    /// `mkdir`, `put`, `rm`, `perms`, …; paths are under the public IPM subtree).
    pub public: bool,
    /// `--store`: a store of the profile by display name or `eid:HEX`.
    pub store: Option<&'a str>,
}

/// The password of `--password-file`, else `OXMAPI_PASSWORD`, else none.
pub(crate) fn read_password(args: &LogonArgs<'_>) -> Result<Option<String>, Failure> {
    if let Some(p) = args.password_file {
        let mut s = std::fs::read_to_string(p).map_err(|e| Failure::local_file("password file", p, &e))?;
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
///
/// MAPILogonEx succeeds even when a provider's logon fails: the provider is then disabled for the
/// session and calls on it fail with MAPI_E_FAILONEPROVIDER. Commands that need the mailbox see
/// that when they open it; `logon` itself checks it with [`store_logon_failure`].
pub fn logon(args: &LogonArgs<'_>) -> Result<Session, Failure> {
    let interactive = std::io::stdin().is_terminal();
    let ui = TerminalUi;
    logon_with(args, read_password(args)?, interactive.then_some(&ui as &dyn oxmapi_client::LogonUi))
}

/// MAPILogonEx with `password` and, when `ui` is given, MAPI_LOGON_UI through it (`oxmapi
/// editor` asks for the password itself and logs on without a UI).
pub fn logon_with(
    args: &LogonArgs<'_>,
    password: Option<String>,
    ui: Option<&dyn oxmapi_client::LogonUi>,
) -> Result<Session, Failure> {
    let mut settings = TransportSettings {
        trust_autodiscover_origin: args.trust_autodiscover_origin,
        ..TransportSettings::default()
    };
    if let Some(t) = args.request_timeout {
        settings.request_timeout = t;
    }
    let mapi = Mapi::initialize()?.with_settings(settings);
    let mut flags = MAPI_EXTENDED | MAPI_UNICODE | MAPI_NO_MAIL;
    if args.new_session {
        flags |= MAPI_NEW_SESSION;
    }
    if args.profile.is_none() {
        flags |= MAPI_USE_DEFAULT;
    } else {
        flags |= MAPI_EXPLICIT_PROFILE;
    }
    if ui.is_some() {
        flags |= MAPI_LOGON_UI;
    }
    let options = LogonOptions { password, client_version: args.client_version.map(Into::into) };
    Ok(mapi.logon_ex(ui, args.profile, flags, &options)?)
}

/// Why the session has no mailbox: the logon error of the private store provider
/// (EMS_MDB_private) when it was disabled for the session — wrong password, session limit,
/// refused client version — else None. For the `logon` command a session whose default store
/// provider failed is a failed logon.
pub fn store_logon_failure(s: &Session) -> Option<MapiError> {
    s.status_table().into_iter().find(|r| r.provider_name == PRIVATE_STORE_PROVIDER).and_then(|r| match r.state {
        ProviderState::Disabled(e) => Some(MapiError::new(
            e.code,
            format!(
                "logon of {} failed: the mailbox store provider ({PRIVATE_STORE_PROVIDER}) could not log on and is \
                 disabled for this session: {}",
                s.user(),
                e.message
            ),
        )),
        _ => None,
    })
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

/// Refuses `--mailbox` for a command it cannot apply to (`what` says why), rather than ignoring
/// it: MAPI_E_INVALID_PARAMETER, with a hint naming the commands that take it.
pub fn refuse_mailbox(args: &LogonArgs<'_>, command: &str, what: &str) -> Result<(), Failure> {
    match args.mailbox {
        Some(user) => Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "--mailbox",
            format!("--mailbox {user} does not apply to `{command}`: {what}"),
            &format!(
                "effect with logon, stores and the mailbox commands (folders, ls, show, props, …), e.g. \
                 `oxmapi --mailbox {user} stores`; leave it out for `{command}`"
            ),
        )),
        None => Ok(()),
    }
}

/// MAPI_E_END_OF_SESSION when the session has no identity (it cannot: the store logged on).
fn identity(s: &Session) -> Result<(String, String), MapiError> {
    s.identity()
        .ok_or_else(|| MapiError::new(codes::MAPI_E_END_OF_SESSION, "the session has no mailbox logon"))
}

/// Fails when the session's own mailbox did not log on (see [`store_logon_failure`]), after
/// logging off.
fn require_store_logon(s: &Session) -> Result<(), Failure> {
    match store_logon_failure(s) {
        Some(e) => {
            let _ = s.logoff();
            Err(e.into())
        }
        None => Ok(()),
    }
}

/// `oxmapi logon [--hold SECONDS]`: who you are, the server, the stores; with `--mailbox USER`
/// also USER's mailbox, opened as the mailbox commands open it. Fails (non-zero exit) when the
/// mailbox store provider could not log on.
pub fn logon_cmd(args: &LogonArgs<'_>, hold: Option<u64>, json: bool) -> Result<Node, Failure> {
    let s = logon(args)?;
    require_store_logon(&s)?;
    let (display, dn) = identity(&s)?;
    let mut node = Node::map([
        ("profile", Node::str(s.profile().name.clone())),
        ("user", Node::str(s.user())),
        ("display_name", Node::str(display)),
        ("legacy_dn", Node::str(dn)),
        ("server", Node::str(s.server_url())),
        ("client_version", Node::str(version(s.client_version()))),
        ("connect_flags", Node::str(format!("0x{:08X}", s.connect_flags()))),
        ("locale", locale_node(&s)),
        ("stores", stores_table(&s)),
    ]);
    if let Some(user) = args.mailbox {
        let (store, entry_id) = crate::mailbox::open_other(&s, user)?;
        let vals = store.get_props(&[PR_DISPLAY_NAME, PR_MAILBOX_OWNER_NAME])?;
        let mut mailbox = Node::map([("requested", Node::str(user)), ("entry_id", Node::hex(&entry_id))]);
        for (key, v) in [("display_name", vals.first()), ("mailbox_owner", vals.get(1))] {
            if let Some(text) = v.and_then(value_text) {
                mailbox = mailbox.with(key, Node::str(text));
            }
        }
        node = node.with("mailbox", mailbox);
    }
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

/// The locale the session sent in Connect (MS-OXCMAPIHTTP 2.2.4.1.1: DefaultCodePage,
/// LcidSort, LcidString) beside the profile's own PR_LOCALE_ID, read again from the profile
/// file after the logon: the logon does not write it, and this shows that it did not.
fn locale_node(s: &Session) -> Node {
    use oxmapi_client::session::msems::{CODE_PAGE, LCID};
    use oxmapi_core::catalogue::tags::PR_LOCALE_ID;
    let locale_id =
        |p: &oxmapi_client::profile::Profile| p.global_section().and_then(|g| g.get_u32(PR_LOCALE_ID));
    let before = locale_id(s.profile());
    let after = oxmapi_client::profile::ProfileStore::open_default()
        .and_then(|store| store.get(&s.profile().name))
        .map(|p| locale_id(&p))
        .unwrap_or(before);
    let id = |v: Option<u32>| v.map_or(Node::Null, |v| Node::Int(v.into()));
    Node::map([
        ("connect_lcid_sort", Node::Int(LCID.into())),
        ("connect_lcid_string", Node::Int(LCID.into())),
        ("connect_code_page", Node::Int(CODE_PAGE.into())),
        ("profile_locale_id", id(after)),
        ("profile_locale_id_unchanged_by_logon", Node::Bool(before == after)),
    ])
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

/// The stores `stores` opens: the rows of the message store table, where `--mailbox USER` puts
/// USER's mailbox in place of your own.
fn stores_to_open(s: &Session, mailbox: Option<&str>) -> Result<Vec<(StoreRow, bool)>, Failure> {
    let mut rows = Vec::new();
    for mut row in s.msg_stores_table() {
        let delegate = match mailbox {
            Some(user) if row.default_store => {
                row.entry_id = crate::mailbox::other_store_entry_id(s, user)?;
                row.display_name = format!("Mailbox - {user}");
                row.default_store = false;
                true
            }
            _ => false,
        };
        rows.push((row, delegate));
    }
    Ok(rows)
}

/// `oxmapi stores`: OpenMsgStore on every store of the table (with `--mailbox USER`, USER's
/// mailbox instead of your own); the first failure is returned after the stores that opened are
/// listed (in text form; `--json` prints only the error document).
pub fn stores_cmd(args: &LogonArgs<'_>, json: bool) -> Result<Node, Failure> {
    let s = logon(args)?;
    if args.mailbox.is_some() {
        // Your own logon opens the other mailbox too: say why it failed before asking the
        // address book for the name. Without --mailbox, OpenMsgStore itself reports the disabled
        // provider (MAPI_E_FAILONEPROVIDER, caused by the logon error), as MAPI does.
        require_store_logon(&s)?;
    }
    let mut out = Vec::new();
    let mut first_error: Option<Failure> = None;
    for (row, delegate) in stores_to_open(&s, args.mailbox)? {
        let opened = if delegate {
            let user = args.mailbox.unwrap_or_default();
            crate::mailbox::open_delegate(&s, user, &row.entry_id)
        } else {
            s.open_msg_store(&row.entry_id).map_err(Failure::from)
        };
        let opened = opened.and_then(|store| {
            Ok(store.get_props(&[PR_DISPLAY_NAME, PR_STORE_SUPPORT_MASK, PR_MAILBOX_OWNER_NAME])?)
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
                if delegate {
                    n = n.with("delegate", Node::Bool(true));
                }
                out.push(n);
            }
            Err(e) => {
                // The first failure becomes the command's error; later ones are reported here.
                if first_error.is_some() && !json {
                    eprintln!("{}: {}", row.display_name, e.error);
                }
                first_error.get_or_insert(e);
            }
        }
    }
    let _ = s.logoff();
    match first_error {
        Some(e) => {
            if !out.is_empty() && !json {
                crate::output::print(&Node::List(out), json);
            }
            Err(e)
        }
        None => Ok(Node::List(out)),
    }
}

/// `oxmapi status`: the session's status table (PR_IDENTITY_DISPLAY only where a provider knows
/// who it is logged on as). When the mailbox store provider could not log on, the table is
/// printed (text form) and the command fails with that provider's error.
pub fn status_cmd(args: &LogonArgs<'_>, json: bool) -> Result<Node, Failure> {
    refuse_mailbox(args, "status", "the status table belongs to your session, not to a mailbox")?;
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
            let mut n = Node::map([
                ("display_name", Node::str(r.display_name.clone())),
                ("provider", Node::str(r.provider_name.clone())),
                ("provider_display", Node::str(r.provider_display.clone())),
                ("resource_type", Node::Int(r.resource_type.into())),
                ("status_code", Node::str(format!("0x{:08X}", r.status_code()))),
                ("status", Node::str(r.status_string())),
            ]);
            if let Some(who) = r.identity.as_deref().filter(|w| !w.is_empty()) {
                n = n.with("identity", Node::str(who));
            }
            n
        })
        .collect();
    let failure = store_logon_failure(&s);
    let _ = s.logoff();
    match failure {
        Some(e) => {
            if !json {
                crate::output::print(&Node::List(rows), false);
            }
            Err(e.into())
        }
        None => Ok(Node::List(rows)),
    }
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
