//! `oxmapi cp|mv --recursive FOLDER DEST [--to-store NAME]`: a folder with everything under it
//! copied (or moved) under DEST.
//!
//! Within one store the store does it: RopCopyFolder with WantRecursive, or RopMoveFolder
//! ([MS-OXCFOLD] 2.2.1.6, 2.2.1.7). Across stores (a mailbox and a PST, two PSTs, …) no ROP
//! spans both, so the tree is recreated: each folder created under its new parent with its
//! display name, comment and container class, each message and FAI message read whole from
//! the source store and written into the other ([`ItemIo`]). What fails (a message the target
//! refuses, a folder that cannot be made) is listed and the copy goes on; the command then
//! answers MAPI_W_PARTIAL_COMPLETION naming it. A move deletes the source folder only once
//! everything was copied; after a partial copy the source is kept whole.

use oxmapi_client::MsgStore;
use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::{Folder, FolderFlags, OpenMode};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{PR_COMMENT, PR_CONTAINER_CLASS, PR_DISPLAY_NAME, PR_FID, PR_MID};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::progress::Progress;
use crate::failure::Failure;
use crate::mailbox::{Mailbox, folder_in, open, open_named};
use crate::session_cmd::LogonArgs;

/// How many levels below FOLDER a copy across stores follows; a deeper folder is listed as
/// failed (MAPI_E_TOO_COMPLEX) and left out. The same depth as the PST readers walk.
pub const MAX_FOLDER_COPY_DEPTH: usize = oxmapi_pst::pst::folder::MAX_FOLDER_DEPTH;

/// How many failures the MAPI_W_PARTIAL_COMPLETION message names one by one (the rest are
/// counted).
const FAILURES_NAMED: usize = 10;

/// The folder properties a copy across stores carries besides the name.
const FOLDER_TAGS: [PropTag; 3] = [PR_DISPLAY_NAME, PR_COMMENT, PR_CONTAINER_CLASS];

/// What `cp|mv --recursive` is asked.
pub struct FolderCopyArgs<'a> {
    /// FOLDER: the folder copied (a path).
    pub source: &'a str,
    /// DEST: the folder it goes under.
    pub dest: &'a str,
    /// `mv`.
    pub is_move: bool,
    /// `--to-store`.
    pub to_store: Option<&'a str>,
}

fn text(v: Option<&RowValue>) -> Option<String> {
    match v {
        Some(RowValue::Value(PropValue::Unicode(s))) => Some(s.clone()),
        _ => None,
    }
}

/// A folder's name, comment and container class.
struct FolderProps {
    name: String,
    comment: Option<String>,
    class: Option<String>,
}

impl FolderProps {
    fn of(folder: &Folder, fallback: &str) -> Result<FolderProps, MapiError> {
        let v = folder.get_props(&FOLDER_TAGS)?;
        Ok(FolderProps {
            name: text(v.first()).unwrap_or_else(|| fallback.to_string()),
            comment: text(v.get(1)).filter(|c| !c.is_empty()),
            class: text(v.get(2)),
        })
    }
}

/// `oxmapi cp|mv --recursive FOLDER DEST [--to-store NAME]`.
pub fn copy_folder_cmd(args: &LogonArgs<'_>, fc: &FolderCopyArgs<'_>) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    let (parent, name) = mb.parent_and_name(fc.source)?;
    let src = mb.folder(fc.source)?;
    let props = FolderProps::of(&src, name)?;
    let verb = if fc.is_move { "moved" } else { "copied" };
    let other = fc.to_store.map(|name| open_named(&mb.session, name).map(|s| (name, s))).transpose()?;
    // The same store named by --to-store is still one store: the store copies (and refuses a
    // folder copied into itself, which a copy by reading could not see).
    let other = other.filter(|(_, s)| s.entry_id() != mb.store.entry_id());
    let Some((store_name, other)) = other else {
        let dst = mb.folder(fc.dest)?;
        if parent.copy_folder(src.id(), &dst, &props.name, fc.is_move)? {
            return Err(MapiError::new(
                codes::MAPI_W_PARTIAL_COMPLETION,
                format!(
                    "{} was only partly {verb}: the store could not take some of its contents",
                    fc.source
                ),
            )
            .into());
        }
        return Ok(Node::map([(verb, Node::str(fc.source)), ("to", Node::str(fc.dest))]));
    };
    let dst = folder_in(&other, fc.dest)?;
    let mut copy = TreeCopy::new(&mb, &other, fc.is_move);
    copy.tree(&src, &dst, &props, fc.source.trim_end_matches('/'), 0)?;
    copy.progress.finish();
    if !copy.failed.is_empty() {
        let kept = if fc.is_move { "; the source folder was kept whole" } else { "" };
        return Err(MapiError::new(codes::MAPI_W_PARTIAL_COMPLETION, copy.failures(fc.source, kept)).into());
    }
    if fc.is_move && parent.delete_folder(src.id(), FolderFlags::DEL_MESSAGES | FolderFlags::DEL_FOLDERS)? {
        return Err(MapiError::new(
            codes::MAPI_W_PARTIAL_COMPLETION,
            format!("{} was copied to {store_name} but only partly deleted from its store", fc.source),
        )
        .into());
    }
    Ok(Node::map([
        (verb, Node::str(fc.source)),
        ("to", Node::str(fc.dest)),
        ("to_store", Node::str(store_name)),
        ("folders", Node::Int(copy.folders as i128)),
        ("messages", Node::Int(copy.messages as i128)),
        ("associated", Node::Int(copy.associated as i128)),
    ]))
}

/// A folder tree being copied from one store into another.
struct TreeCopy<'s> {
    from: ItemIo<'s>,
    into: ItemIo<'s>,
    progress: Progress,
    folders: u64,
    messages: u64,
    associated: u64,
    /// (what, why) of each failure.
    failed: Vec<(String, String)>,
}

impl<'s> TreeCopy<'s> {
    fn new(mb: &'s Mailbox, other: &'s MsgStore, is_move: bool) -> TreeCopy<'s> {
        TreeCopy {
            from: ItemIo::new(&mb.store),
            into: ItemIo::new(other),
            progress: Progress::new(0, if is_move { "mv" } else { "cp" }),
            folders: 0,
            messages: 0,
            associated: 0,
            failed: Vec::new(),
        }
    }

    /// `src` recreated under `parent` as `props` say, with its messages and sub-folders.
    /// Only the top folder's own failure (it cannot be created: a name taken, no access) ends
    /// the copy; below it failures are listed.
    fn tree(
        &mut self,
        src: &Folder,
        parent: &Folder,
        props: &FolderProps,
        path: &str,
        depth: usize,
    ) -> Result<(), MapiError> {
        let made = parent.create_folder(&props.name, props.comment.as_deref(), false)?;
        self.folders += 1;
        if let Some(class) = &props.class {
            let v = TaggedValue { tag: PR_CONTAINER_CLASS, value: PropValue::Unicode(class.clone()) };
            match made.set_props(&[v]) {
                Ok(p) if p.is_empty() => {}
                Ok(p) => self.failed.push((format!("{path} (container class)"), format!("{:?}", p[0].error))),
                Err(e) => self.failed.push((format!("{path} (container class)"), e.to_string())),
            }
        }
        for associated in [false, true] {
            if let Err(e) = self.messages(src, &made, path, associated) {
                self.failed.push((format!("{path} (messages)"), e.to_string()));
            }
        }
        let mut h = src.hierarchy_table(false)?;
        h.set_columns(&[PR_FID, PR_DISPLAY_NAME])?;
        for r in h.query_rows(usize::MAX, true)? {
            let Some(PropValue::I64(fid)) = r.get(PR_FID) else { continue };
            let fallback = format!("{fid:x}");
            let name = match r.get(PR_DISPLAY_NAME) {
                Some(PropValue::Unicode(n)) => n.clone(),
                _ => fallback.clone(),
            };
            let sub_path = format!("{path}/{name}");
            if depth + 1 > MAX_FOLDER_COPY_DEPTH {
                let why =
                    format!("MAPI_E_TOO_COMPLEX: more than {MAX_FOLDER_COPY_DEPTH} levels below FOLDER");
                self.failed.push((sub_path, why));
                continue;
            }
            let sub = src
                .open_folder(ObjectId::from_u64(*fid as u64))
                .and_then(|sub| FolderProps::of(&sub, &fallback).map(|p| (sub, p)))
                .and_then(|(sub, p)| self.tree(&sub, &made, &p, &sub_path, depth + 1));
            if let Err(e) = sub {
                self.failed.push((sub_path, e.to_string()));
            }
        }
        Ok(())
    }

    /// The messages (or FAI messages) of `src` written into `made`.
    fn messages(
        &mut self,
        src: &Folder,
        made: &Folder,
        path: &str,
        associated: bool,
    ) -> Result<(), MapiError> {
        let mut t = src.contents_table(associated)?;
        t.set_columns(&[PR_MID])?;
        let mids: Vec<ObjectId> = t
            .query_rows(usize::MAX, true)?
            .iter()
            .filter_map(|r| match r.get(PR_MID) {
                Some(PropValue::I64(i)) => Some(ObjectId::from_u64(*i as u64)),
                _ => None,
            })
            .collect();
        self.progress.add_total(mids.len() as u64);
        for (i, mid) in mids.into_iter().enumerate() {
            let label =
                if associated { format!("{path} (FAI #{})", i + 1) } else { format!("{path}#{}", i + 1) };
            self.progress.step(&label);
            let done = src
                .open_message(mid, OpenMode::ReadOnly)
                .and_then(|m| self.from.read(&m))
                .and_then(|fm| self.into.write_in(made, &fm, associated));
            match done {
                Ok(_) if associated => self.associated += 1,
                Ok(_) => self.messages += 1,
                Err(e) => self.failed.push((label, e.to_string())),
            }
        }
        Ok(())
    }

    /// The message of a partial copy: what failed and why.
    fn failures(&self, source: &str, kept: &str) -> String {
        let named: Vec<String> =
            self.failed.iter().take(FAILURES_NAMED).map(|(what, why)| format!("{what}: {why}")).collect();
        let more = self.failed.len().saturating_sub(FAILURES_NAMED);
        let more = if more > 0 { format!("; and {more} more") } else { String::new() };
        format!(
            "{source} was only partly copied ({} folders, {} messages, {} FAI messages); not copied: {}{more}{kept}",
            self.folders,
            self.messages,
            self.associated,
            named.join("; ")
        )
    }
}
