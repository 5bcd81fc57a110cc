//! `oxmapi mailboxes` (through the server, as an administrator) and `oxmapi admin mailboxes`
//! (straight from the data directory): the administrator's mailbox table
//! (IExchangeManageStore::GetMailboxTable; [`oxmapi_wire::mapihttp::mailbox_table`]), one row
//! per mailbox — display name, account, legacy DN, size, item counts, last logon and logoff,
//! quota state and limits.

use oxmapi_core::MapiError;
use oxmapi_core::error::codes;
use oxmapi_core::time::FileTime;
use oxmapi_store::Site;
use oxmapi_wire::describe::Node;
use oxmapi_wire::mapihttp::mailbox_table::MailboxTableRow;

use crate::failure::Failure;
use crate::session_cmd::{LogonArgs, logon};

/// What a refused user is told: how the right is granted.
pub const NOT_ADMIN_HINT: &str = "the mailbox table is for administrators of the server: make one with \
     `oxmapi admin user add NAME --admin` (then `oxmapi --profile NAME mailboxes`), or read it on the \
     server's machine with `oxmapi admin --data DIR mailboxes`; to open the listed mailboxes the \
     administrator's profile sets CONNECT_USE_ADMIN_PRIVILEGE (0x1) in PR_PROFILE_CONNECT_FLAGS";

/// `oxmapi mailboxes`: logs on with the profile and reads the server's table.
pub fn mailboxes_cmd(args: &LogonArgs<'_>) -> Result<Node, Failure> {
    let session = logon(args)?;
    let rows = session.mailbox_table().map_err(|e| {
        if e.code == codes::MAPI_E_NO_ACCESS {
            Failure::with_hint(e, NOT_ADMIN_HINT)
        } else {
            Failure::from(e)
        }
    })?;
    Ok(rows_node(&rows))
}

/// `oxmapi admin mailboxes`: the same rows from the site's files or database.
pub fn admin_mailboxes(site: &Site) -> Result<Node, MapiError> {
    Ok(rows_node(&site.mailbox_table()?))
}

fn time(t: Option<i64>) -> Node {
    t.map_or(Node::Null, |s| Node::str(FileTime::from_unix_seconds(s).to_rfc3339()))
}

fn kb(k: Option<u32>) -> Node {
    k.map_or(Node::str("none"), |k| Node::Int(k.into()))
}

/// One map per row, the columns in the order people read them (the long ones last).
pub fn rows_node(rows: &[MailboxTableRow]) -> Node {
    Node::List(
        rows.iter()
            .map(|r| {
                let c = r.counts;
                let n = |f: fn(&oxmapi_wire::mapihttp::mailbox_table::MailboxCounts) -> i64| {
                    c.as_ref().map_or(Node::Null, |c| Node::Int(f(c).into()))
                };
                Node::map([
                    ("display_name", Node::str(r.display_name.clone())),
                    ("account", Node::str(r.account.clone())),
                    ("size", n(|c| c.size)),
                    ("items", n(|c| c.content_count.into())),
                    ("assoc_items", n(|c| c.assoc_content_count.into())),
                    (
                        "deleted_items",
                        n(|c| i64::from(c.deleted_msg_count) + i64::from(c.deleted_assoc_msg_count)),
                    ),
                    ("deleted_size", n(|c| c.deleted_size)),
                    ("last_logon", time(r.last_logon)),
                    ("last_logoff", time(r.last_logoff)),
                    ("quota", Node::str(r.quota_state())),
                    ("warning_kb", kb(r.warning_kb)),
                    ("send_kb", kb(r.send_kb)),
                    ("receive_kb", kb(r.receive_kb)),
                    ("smtp_address", Node::str(r.smtp_address.clone())),
                    ("mailbox_guid", Node::str(r.mailbox_guid.to_string())),
                    ("legacy_dn", Node::str(r.legacy_dn.clone())),
                ])
            })
            .collect(),
    )
}
