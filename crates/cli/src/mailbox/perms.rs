//! `oxmapi perms ls FOLDER`, `perms set FOLDER USER|default|anonymous ROLE|RIGHTS`,
//! `perms rm FOLDER USER`: a folder's permission list (MS-OXCPERM) through the client's
//! [`oxmapi_client::store::permissions`].

use clap::Subcommand;
use oxmapi_client::store::Folder;
use oxmapi_client::store::permissions::{
    ANONYMOUS_MEMBER, DEFAULT_MEMBER, FREE_BUSY, INCLUDE_FREE_BUSY, Permission, PermissionChange, ROLES,
    parse_rights, right_names, role_of,
};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_EMAIL_ADDRESS;
use oxmapi_core::entryid::{AbPermanentEntryId, EntryId};
use oxmapi_core::error::codes;
use oxmapi_wire::describe::Node;

use super::{Mailbox, open};
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

/// `oxmapi perms …`.
#[derive(Subcommand)]
pub enum PermsCommand {
    /// The permission list of FOLDER: member, rights, Outlook role.
    Ls {
        /// FOLDER: /Calendar, /Inbox/Projects or eid:HEX.
        folder: String,
    },
    /// Give USER (or `default`, `anonymous`) a ROLE or RIGHTS on FOLDER.
    Set {
        /// FOLDER: /Calendar, /Inbox/Projects or eid:HEX.
        folder: String,
        /// A user the address book resolves, `default` (everyone without an entry) or `anonymous`.
        member: String,
        /// A role: owner, publishing-editor, editor, publishing-author, author,
        /// nonediting-author, reviewer, contributor, none; or RIGHTS, a comma list of read-any,
        /// create, edit-owned, delete-owned, edit-any, delete-any, create-subfolder,
        /// folder-owner, folder-contact, folder-visible, free-busy-simple, free-busy-detailed.
        rights: String,
    },
    /// Remove USER (or `default`, `anonymous`: back to no rights) from FOLDER's list.
    Rm {
        /// FOLDER: /Calendar, /Inbox/Projects or eid:HEX.
        folder: String,
        /// A user the address book resolves, `default` or `anonymous`.
        member: String,
    },
}

/// Runs a `perms` command.
pub fn perms_cmd(args: &LogonArgs<'_>, cmd: &PermsCommand) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    match cmd {
        PermsCommand::Ls { folder } => {
            let f = mb.folder(folder)?;
            let list = f.permissions(true).map_err(|e| denied(e, folder, "read"))?;
            Ok(Node::List(list.iter().map(describe).collect()))
        }
        PermsCommand::Set { folder, member, rights } => {
            let r = parse_rights(rights).map_err(|why| {
                Failure::bad_input(
                    codes::MAPI_E_INVALID_PARAMETER,
                    "ROLE|RIGHTS",
                    why,
                    &format!(
                        "a role ({}) or a comma list of rights such as read-any,folder-visible",
                        ROLES.iter().map(|r| r.0).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            let f = mb.folder(folder)?;
            let change = match find(&mb, &f, member)? {
                Found::Entry(id) => PermissionChange::Modify { member_id: id, rights: r },
                Found::NewUser(entry_id) => PermissionChange::Add { entry_id, rights: r },
            };
            let flags = if r & FREE_BUSY != 0 { INCLUDE_FREE_BUSY } else { 0 };
            f.modify_permissions(flags, &[change]).map_err(|e| denied(e, folder, "change"))?;
            Ok(Node::map([
                ("folder", Node::str(folder)),
                ("member", Node::str(member)),
                ("rights", Node::Int(r as i128)),
                ("rights_names", Node::List(right_names(r).into_iter().map(Node::str).collect())),
                ("role", role_of(r).map_or(Node::Null, Node::str)),
            ]))
        }
        PermsCommand::Rm { folder, member } => {
            let f = mb.folder(folder)?;
            let id = match find(&mb, &f, member)? {
                Found::Entry(id) => id,
                Found::NewUser(_) => {
                    return Err(MapiError::new(
                        codes::MAPI_E_NOT_FOUND,
                        format!(
                            "{member} is not in the permission list of {folder} (`oxmapi perms ls {folder}`)"
                        ),
                    )
                    .into());
                }
            };
            f.modify_permissions(0, &[PermissionChange::Remove { member_id: id }])
                .map_err(|e| denied(e, folder, "change"))?;
            Ok(Node::map([("folder", Node::str(folder)), ("removed", Node::str(member))]))
        }
    }
}

fn describe(p: &Permission) -> Node {
    let member = match p.member_id {
        DEFAULT_MEMBER => "Default".to_string(),
        ANONYMOUS_MEMBER => "Anonymous".to_string(),
        _ => p.name.clone(),
    };
    Node::map([
        ("member_id", Node::Int(p.member_id as i128)),
        ("member", Node::str(&member)),
        ("dn", dn_of(&p.entry_id).map_or(Node::Null, |d| Node::str(&d))),
        ("rights", Node::Int(p.rights as i128)),
        ("rights_names", Node::List(right_names(p.rights).into_iter().map(Node::str).collect())),
        ("role", role_of(p.rights).map_or(Node::Null, Node::str)),
    ])
}

fn dn_of(entry_id: &[u8]) -> Option<String> {
    match EntryId::parse(entry_id) {
        Ok(EntryId::AbPermanent(ab)) => Some(ab.dn),
        _ => None,
    }
}

/// Who a MEMBER argument names.
enum Found {
    /// An entry already in the list (its PidTagMemberId).
    Entry(i64),
    /// A user not in the list yet (their AB entry ID, for AddRow).
    NewUser(Vec<u8>),
}

fn find(mb: &Mailbox, f: &Folder, member: &str) -> Result<Found, Failure> {
    if member.eq_ignore_ascii_case("default") {
        return Ok(Found::Entry(DEFAULT_MEMBER));
    }
    if member.eq_ignore_ascii_case("anonymous") {
        return Ok(Found::Entry(ANONYMOUS_MEMBER));
    }
    let ab = mb.session.open_address_book()?;
    let entry = ab.resolve_name(member, false).map_err(|e| {
        Failure::with_hint(
            MapiError::new(e.code, format!("{member}: the address book cannot resolve it: {}", e.message)),
            format!(
                "USER is a user's name, account or SMTP address as the address book knows it, or default or \
                 anonymous; `oxmapi ab resolve {member}` shows what it finds"
            ),
        )
    })?;
    let dn = entry.text(PR_EMAIL_ADDRESS).to_string();
    if dn.is_empty() {
        return Err(MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!("{member}: the address book entry has no DN"),
        )
        .into());
    }
    let list = f.permissions(false)?;
    if let Some(p) = list.iter().find(|p| dn_of(&p.entry_id).is_some_and(|d| d.eq_ignore_ascii_case(&dn))) {
        return Ok(Found::Entry(p.member_id));
    }
    let eid =
        EntryId::AbPermanent(AbPermanentEntryId { flags: 0, version: 1, display_type: 0, dn }).to_bytes();
    Ok(Found::NewUser(eid))
}

/// A refusal names what was refused and what gives the right.
fn denied(e: MapiError, folder: &str, what: &str) -> Failure {
    if e.code == codes::MAPI_E_NO_ACCESS {
        Failure::with_hint(
            MapiError::new(e.code, format!("you may not {what} the permissions of {folder}: {}", e.message)),
            format!(
                "reading the list needs folder-visible on {folder}, changing it folder-owner (or being the \
                 mailbox's owner); the owner grants it with `oxmapi perms set {folder} USER owner`"
            ),
        )
    } else {
        e.into()
    }
}
