//! The mailbox commands of CLI.md ("Logon, stores, folders, messages"): `folders`, `ls`, `show`,
//! `props`, `setprop`, `mkdir`, `rmdir`, `mv`, `cp`, `rm`, `put`, `send`, `watch`, `attachment`. Each logs on
//! with the profile, opens the default (or public) store and works through the client's MAPI
//! objects.
//!
//! FOLDER is a path under the IPM subtree (`/Inbox/Projects`, case-insensitive) or `eid:HEX`;
//! ITEM is `eid:HEX` or `FOLDER#N`, the N-th row (1-based) of the folder's default view.

mod edit;
mod folders;
mod item_file;
mod items;
pub mod named_tags;
pub mod perms;
mod put;
mod send;
pub mod values;
mod watch;

pub use edit::{attach_cmd, rmprop_cmd};
pub use folders::{folders_cmd, folders_text, mkdir_cmd, rmdir_cmd};
pub use items::{
    PageStart, View, attachment_cmd, copy_cmd, ls_cmd, props_cmd, rm_cmd, setprop_cmd, show_cmd,
};
pub use perms::{PermsCommand, perms_cmd};
pub use put::{PutArgs, put_cmd};
pub use send::{SendArgs, send_cmd, submit_cmd};
pub use watch::{WatchArgs, describe as describe_notification, watch_cmd};

use oxmapi_client::session::Session;
use oxmapi_client::store::{Entry, Folder, Message, MsgStore, OpenMode, SortOrder};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_ENTRYID, PR_FID, PR_LAST_MODIFICATION_TIME,
    PR_MESSAGE_DELIVERY_TIME, PR_MID,
};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;

use crate::failure::Failure;
use crate::session_cmd::{LogonArgs, logon};

/// A logged-on session with its store open.
pub struct Mailbox {
    /// The session (kept for the store's lifetime).
    pub session: Session,
    /// The store.
    pub store: MsgStore,
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        let _ = self.session.logoff();
    }
}

/// Logs on and opens the default store (or the public folder store, or with `--mailbox` the
/// named user's mailbox).
pub fn open(args: &LogonArgs<'_>, public: bool) -> Result<Mailbox, Failure> {
    let public = public || args.public;
    if public {
        crate::session_cmd::refuse_mailbox(
            args,
            "--public",
            "the public folder store is not a user's mailbox",
        )?;
    }
    if args.store.is_some() && (public || args.mailbox.is_some()) {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "--store",
            "--store names a store of the profile; it does not combine with --public or --mailbox"
                .to_string(),
            "one of --store NAME, --public or --mailbox USER",
        ));
    }
    let session = logon(args)?;
    if let Some(spec) = args.store {
        let store = open_named(&session, spec)?;
        return Ok(Mailbox { session, store });
    }
    if let Some(user) = args.mailbox {
        let (store, _) = open_other(&session, user)?;
        return Ok(Mailbox { session, store });
    }
    let row = session
        .msg_stores_table()
        .into_iter()
        .find(|r| if public { r.provider_name == "EMS_MDB_public" } else { r.default_store })
        .ok_or_else(|| {
            let what = if public {
                "no public folder store (the server has no public folders)"
            } else {
                "no default store"
            };
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("the profile's stores table has {what}"))
        })?;
    let store = session.open_msg_store(&row.entry_id)?;
    Ok(Mailbox { session, store })
}

/// Opens the store `spec` names (`--store`): a display name from the message store table
/// (case-insensitive) or `eid:HEX` of a store entry ID.
pub fn open_named(session: &Session, spec: &str) -> Result<MsgStore, Failure> {
    let rows = session.msg_stores_table();
    let row = match entry_id_arg(spec) {
        Some(eid) => {
            let eid = eid?;
            rows.into_iter().find(|r| r.entry_id == eid)
        }
        None => rows.into_iter().find(|r| {
            r.display_name.eq_ignore_ascii_case(spec)
                || r.display_name.strip_prefix("Mailbox - ").is_some() && spec.eq_ignore_ascii_case("Mailbox")
        }),
    };
    let Some(row) = row else {
        let names: Vec<String> = session.msg_stores_table().into_iter().map(|r| r.display_name).collect();
        return Err(Failure::with_hint(
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("the profile has no store {spec:?}")),
            format!(
                "--store takes a store's display name or eid:HEX as `oxmapi stores` prints them; this profile's stores: {}",
                names.join(", ")
            ),
        ));
    };
    Ok(session.open_msg_store(&row.entry_id)?)
}

/// The store entry ID of `user`'s mailbox (IExchangeManageStore::CreateStoreEntryID): the
/// address book resolves the name to its legacy DN.
pub fn other_store_entry_id(session: &Session, user: &str) -> Result<Vec<u8>, Failure> {
    let ab = session.open_address_book()?;
    let entry = ab.resolve_name(user, false).map_err(|e| {
        Failure::with_hint(
            MapiError::new(
                e.code,
                format!("--mailbox {user}: the address book cannot resolve it: {}", e.message),
            ),
            format!(
                "--mailbox takes a user's name, account or SMTP address as the address book knows it; \
                 `oxmapi ab resolve {user}` shows what it finds, `oxmapi ab ls` lists the users"
            ),
        )
    })?;
    let dn = entry.text(PR_EMAIL_ADDRESS).to_string();
    if dn.is_empty() {
        return Err(MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!("--mailbox {user}: the address book entry has no mailbox DN"),
        )
        .into());
    }
    Ok(session.create_store_entry_id(&dn))
}

/// Opens `user`'s mailbox by its store entry ID: RopLogon on another user's mailbox needs a
/// right on one of its folders (MS-OXCPERM) or a full-access grant (MS-OXCSTOR 3.2.5.1.1);
/// without either the server answers ecLoginPerm, and the hint names what fixes it.
pub fn open_delegate(session: &Session, user: &str, entry_id: &[u8]) -> Result<MsgStore, Failure> {
    session.open_msg_store(entry_id).map_err(|e| {
        if e.code == codes::EC_LOGIN_PERM || e.code == codes::MAPI_E_NO_ACCESS {
            let me = session.user();
            Failure::with_hint(
                MapiError::new(
                    e.code,
                    format!("{me} has no access to {user}'s mailbox: the server refused the logon ({})", e.message),
                ),
                format!(
                    "opening another user's mailbox needs a right on one of its folders (the owner gives it with \
                     `oxmapi perms set /Calendar {me} reviewer`) or a full-access grant (an administrator gives it \
                     with `oxmapi admin grant full-access --mailbox {user} --to {me}`)"
                ),
            )
        } else {
            e.into()
        }
    })
}

/// Opens `user`'s mailbox (delegate access): its store and its store entry ID.
pub fn open_other(session: &Session, user: &str) -> Result<(MsgStore, Vec<u8>), Failure> {
    let eid = other_store_entry_id(session, user)?;
    Ok((open_delegate(session, user, &eid)?, eid))
}

/// Hex bytes of `eid:HEX`.
fn entry_id_arg(text: &str) -> Option<Result<Vec<u8>, Failure>> {
    let hex = text.strip_prefix("eid:")?;
    Some(oxmapi_client::profile::parse::parse_hex_bytes(hex).ok_or_else(|| {
        Failure::bad_input(
            codes::MAPI_E_INVALID_ENTRYID,
            "an eid: argument",
            format!("{text:?} is not eid: followed by hex bytes"),
            "eid: and the entry ID's bytes in hex, as `oxmapi ls` and `oxmapi put` print them under entry_id",
        )
    }))
}

fn text_of(v: Option<&PropValue>) -> Option<&str> {
    match v {
        Some(PropValue::Unicode(s)) => Some(s),
        _ => None,
    }
}

fn id_of(v: Option<&PropValue>) -> Option<ObjectId> {
    match v {
        Some(PropValue::I64(i)) => Some(ObjectId::from_u64(*i as u64)),
        _ => None,
    }
}

/// Opens FOLDER of `store`: a path under its IPM subtree or `eid:HEX`.
pub fn folder_in(store: &MsgStore, spec: &str) -> Result<Folder, Failure> {
    if let Some(eid) = entry_id_arg(spec) {
        return match store.open_entry(&eid?, OpenMode::ReadOnly)? {
            Entry::Folder(f) => Ok(f),
            Entry::Message(_) => Err(Failure::bad_input(
                codes::MAPI_E_INVALID_ENTRYID,
                "FOLDER",
                format!("{spec} names a message, not a folder"),
                "a folder's path or eid:HEX of a folder; `oxmapi --json folders` prints the entry IDs",
            )),
        };
    }
    let mut folder = store.ipm_subtree()?;
    let mut walked = String::new();
    for part in spec.split('/').filter(|p| !p.is_empty()) {
        let fid = child_by_name(&folder, part)?.ok_or_else(|| {
                let parent = if walked.is_empty() { "/" } else { &walked };
                Failure::with_hint(
                    MapiError::new(codes::MAPI_E_NOT_FOUND, format!("no folder {part:?} under {parent}")),
                    format!(
                        "FOLDER is a path under the mailbox's top of information store (names are not case-sensitive); \
                         `oxmapi folders` lists them, `oxmapi mkdir {parent}{}{part}` creates this one",
                        if parent == "/" { "" } else { "/" }
                    ),
                )
            })?;
        walked.push('/');
        walked.push_str(part);
        folder = folder.open_folder(fid)?;
    }
    Ok(folder)
}

impl Mailbox {
    /// Opens FOLDER: a path under the IPM subtree or `eid:HEX`.
    pub fn folder(&self, spec: &str) -> Result<Folder, Failure> {
        folder_in(&self.store, spec)
    }

    /// Splits FOLDER into its parent folder and last component name.
    pub fn parent_and_name<'a>(&self, spec: &'a str) -> Result<(Folder, &'a str), Failure> {
        let trimmed = spec.trim_end_matches('/');
        let (parent, name) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
        if name.is_empty() || spec.starts_with("eid:") {
            return Err(Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "FOLDER",
                format!("{spec:?} is not a folder path such as /Inbox/Projects"),
                "a path under the mailbox, such as /Inbox/Projects (here not eid:HEX: the last name is the folder's)",
            ));
        }
        Ok((self.folder(parent)?, name))
    }

    /// Resolves ITEM to (folder id, message id).
    pub fn item_ids(&self, spec: &str) -> Result<(ObjectId, ObjectId), Failure> {
        if let Some(eid) = entry_id_arg(spec) {
            return match self.store.open_entry(&eid?, OpenMode::ReadOnly)? {
                Entry::Message(m) => Ok((
                    m.folder_id()
                        .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, "message without folder"))?,
                    m.id().ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, "message without id"))?,
                )),
                Entry::Folder(_) => Err(Failure::bad_input(
                    codes::MAPI_E_INVALID_ENTRYID,
                    "ITEM",
                    format!("{spec} names a folder, not a message"),
                    "eid:HEX of a message or FOLDER#N (the N-th message of the folder's default view)",
                )),
            };
        }
        const ITEM_FORM: &str = "eid:HEX of a message, or FOLDER#N: the N-th message (from 1) of the folder's default view, e.g. /Inbox#1";
        let (folder_spec, n) = spec.rsplit_once('#').ok_or_else(|| {
            Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "ITEM",
                format!("{spec:?} is neither eid:HEX nor FOLDER#N"),
                ITEM_FORM,
            )
        })?;
        let n: usize = n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
            Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "ITEM",
                format!("{spec:?}: N in FOLDER#N counts from 1"),
                ITEM_FORM,
            )
        })?;
        let folder = self.folder(folder_spec)?;
        let mut table = folder.contents_table(false)?;
        table.set_columns(&[PR_MID])?;
        table.sort(&default_view())?;
        table.seek(oxmapi_client::store::SeekOrigin::Beginning, (n - 1) as i32)?;
        let row = table.query_rows(1, true)?.into_iter().next().ok_or_else(|| {
            MapiError::new(codes::MAPI_E_NOT_FOUND, format!("{folder_spec} has fewer than {n} messages"))
        })?;
        let mid = id_of(row.get(PR_MID))
            .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, "row without PR_MID"))?;
        Ok((folder.id(), mid))
    }

    /// Opens ITEM.
    pub fn message(&self, spec: &str, mode: OpenMode) -> Result<Message, Failure> {
        let (fid, mid) = self.item_ids(spec)?;
        Ok(self.store.open_message(fid, mid, mode)?)
    }
}

/// What `props` and `setprop` work on.
pub enum Target {
    /// `store`: the message store object.
    Store,
    /// A folder.
    Folder(Folder),
    /// A message.
    Message(Message),
}

impl Mailbox {
    /// Opens `store`, FOLDER or ITEM (an `eid:` names either a folder or a message).
    pub fn target(&self, spec: &str, mode: OpenMode) -> Result<Target, Failure> {
        if spec.eq_ignore_ascii_case("store") {
            return Ok(Target::Store);
        }
        if let Some(eid) = entry_id_arg(spec) {
            return Ok(match self.store.open_entry(&eid?, mode)? {
                Entry::Folder(f) => Target::Folder(f),
                Entry::Message(m) => Target::Message(m),
            });
        }
        if spec.contains('#') {
            return Ok(Target::Message(self.message(spec, mode)?));
        }
        Ok(Target::Folder(self.folder(spec)?))
    }
}

/// The sort of a folder's default view: newest delivered first, then newest modified.
pub fn default_view() -> Vec<SortOrder> {
    vec![
        SortOrder { tag: PR_MESSAGE_DELIVERY_TIME, descending: true },
        SortOrder { tag: PR_LAST_MODIFICATION_TIME, descending: true },
    ]
}

/// The id of the subfolder named `name` (case-insensitive), if any.
fn child_by_name(folder: &Folder, name: &str) -> Result<Option<ObjectId>, MapiError> {
    let mut t = folder.hierarchy_table(false)?;
    t.set_columns(&[PR_FID, PR_DISPLAY_NAME, PR_ENTRYID])?;
    let rows = t.query_rows(usize::MAX, true)?;
    Ok(rows
        .iter()
        .find(|r| text_of(r.get(PR_DISPLAY_NAME)).is_some_and(|n| n.to_lowercase() == name.to_lowercase()))
        .and_then(|r| id_of(r.get(PR_FID))))
}
