//! `oxmapi folders`, `mkdir`, `rmdir`.

use oxmapi_client::store::FolderFlags;
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_CONTAINER_CLASS, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DEPTH,
    PR_DISPLAY_NAME, PR_ENTRYID, PR_FID,
};
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;
use oxmapi_wire::describe::Node;

use super::{Mailbox, open};
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

fn int(v: Option<&PropValue>) -> i64 {
    match v {
        Some(PropValue::I32(i)) => *i as i64,
        Some(PropValue::I64(i)) => *i,
        _ => 0,
    }
}

/// `oxmapi folders [--public] [--all]`: the tree under the IPM subtree (with `--all` the whole
/// store from its root, with associated-message counts) with item and unread counts.
pub fn folders_cmd(args: &LogonArgs<'_>, public: bool, all: bool) -> Result<Node, Failure> {
    let mb = open(args, public)?;
    let root = if all { mb.store.open_folder(mb.store.root_folder_id())? } else { mb.store.ipm_subtree()? };
    let mut t = root.hierarchy_table(true)?;
    let columns = [
        PR_FID,
        PR_DISPLAY_NAME,
        PR_DEPTH,
        PR_CONTENT_COUNT,
        PR_CONTENT_UNREAD,
        PR_CONTAINER_CLASS,
        PR_ENTRYID,
        PR_ASSOC_CONTENT_COUNT,
    ];
    t.set_columns(&columns)?;
    let rows = t.query_rows(usize::MAX, true)?;
    let mut path: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for r in rows {
        let name = super::text_of(r.get(PR_DISPLAY_NAME)).unwrap_or("").to_string();
        let depth = int(r.get(PR_DEPTH)).max(1) as usize;
        path.truncate(depth - 1);
        path.push(name.clone());
        let mut n = Node::map([
            ("path", Node::str(format!("/{}", path.join("/")))),
            ("display_name", Node::str(name)),
            ("depth", Node::Int(depth as i128)),
            ("items", Node::Int(int(r.get(PR_CONTENT_COUNT)).into())),
            ("unread", Node::Int(int(r.get(PR_CONTENT_UNREAD)).into())),
        ]);
        if all {
            n = n.with("associated", Node::Int(int(r.get(PR_ASSOC_CONTENT_COUNT)).into()));
        }
        if let Some(c) = super::text_of(r.get(PR_CONTAINER_CLASS)) {
            n = n.with("container_class", Node::str(c));
        }
        if let Some(PropValue::Binary(e)) = r.get(PR_ENTRYID) {
            n = n.with("entry_id", Node::hex(e));
        }
        out.push(n);
    }
    Ok(Node::List(out))
}

/// The tree as indented text lines (the human form of `folders`).
pub fn folders_text(node: &Node) -> String {
    let Node::List(rows) = node else { return String::new() };
    let mut s = String::new();
    for r in rows {
        let get = |k: &str| match r {
            Node::Map(m) => m.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
            _ => None,
        };
        let depth = match get("depth") {
            Some(Node::Int(d)) => d as usize,
            _ => 1,
        };
        let name = match get("display_name") {
            Some(Node::Str(n)) => n,
            _ => String::new(),
        };
        let num = |k| match get(k) {
            Some(Node::Int(i)) => i,
            _ => 0,
        };
        let fai = match get("associated") {
            Some(Node::Int(a)) => format!(", {a} associated"),
            _ => String::new(),
        };
        s.push_str(&format!(
            "{}{name}  ({} items, {} unread{fai})\n",
            "  ".repeat(depth - 1),
            num("items"),
            num("unread")
        ));
    }
    s
}

/// `oxmapi mkdir FOLDER`: creates the last component under its parent; with `parents`
/// (`-p`) every missing folder of the path, and an existing FOLDER is not an error
/// (RopCreateFolder with OpenExisting, MS-OXCFOLD 2.2.1.2).
pub fn mkdir_cmd(args: &LogonArgs<'_>, spec: &str, parents: bool) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    if !parents {
        let (parent, name) = mb.parent_and_name(spec)?;
        let f = parent.create_folder(name, None, false)?;
        return Ok(Node::map([("path", Node::str(spec)), ("folder_id", Node::str(f.id().to_string()))]));
    }
    if spec.starts_with("eid:") || spec.split('/').all(str::is_empty) {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "FOLDER",
            format!("{spec:?} is not a folder path such as /Inbox/Projects"),
            "a path under the mailbox, such as /Inbox/Projects/2026",
        ));
    }
    let mut folder = mb.store.ipm_subtree()?;
    let mut created = Vec::new();
    let mut walked = String::new();
    for part in spec.split('/').filter(|p| !p.is_empty()) {
        walked.push('/');
        walked.push_str(part);
        folder = match super::child_by_name(&folder, part)? {
            Some(fid) => folder.open_folder(fid)?,
            None => {
                created.push(Node::str(walked.clone()));
                folder.create_folder(part, None, true)?
            }
        };
    }
    Ok(Node::map([
        ("path", Node::str(spec)),
        ("folder_id", Node::str(folder.id().to_string())),
        ("created", Node::List(created)),
    ]))
}

/// `oxmapi rmdir FOLDER [--recursive]`: without `--recursive` a folder with messages or
/// subfolders is refused (MAPI_E_HAS_MESSAGES / MAPI_E_HAS_FOLDERS).
pub fn rmdir_cmd(args: &LogonArgs<'_>, spec: &str, recursive: bool) -> Result<Node, Failure> {
    let mb: Mailbox = open(args, false)?;
    let (parent, name) = mb.parent_and_name(spec)?;
    let fid = super::child_by_name(&parent, name)?
        .ok_or_else(|| MapiError::new(codes::MAPI_E_NOT_FOUND, format!("no folder {spec}")))?;
    let flags = if recursive { FolderFlags::DEL_MESSAGES | FolderFlags::DEL_FOLDERS } else { 0 };
    if parent.delete_folder(fid, flags)? {
        return Err(MapiError::new(
            codes::MAPI_W_PARTIAL_COMPLETION,
            format!("{spec} was only partly deleted: some of its contents could not be removed"),
        )
        .into());
    }
    Ok(Node::map([("deleted", Node::str(spec))]))
}
