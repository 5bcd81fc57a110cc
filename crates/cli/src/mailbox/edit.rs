//! `oxmapi rmprop ITEM TAG…` (IMAPIProp::DeleteProps, RopDeleteProperties, MS-OXCPRPT 2.2.7)
//! and `oxmapi attach ITEM FILE… [--embed ITEM]` (attachments added to an existing message,
//! MS-OXCMSG 2.2.3.13–2.2.3.16): the message is saved afterwards.

use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::{OpenMode, SaveFlags};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_core::error::codes;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::named_tags::{Names, resolve};
use super::{Target, open};
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

/// What TAG takes in `rmprop`.
const TAG_FORM: &str = "property tags by name (PR_IMPORTANCE), value (0x00170003) or a named property \
                        (PidLidEmail1EmailAddress, PSETID_Address:0x8083, PS_PUBLIC_STRINGS:\"Keywords\")";

/// `oxmapi rmprop ITEM|FOLDER TAG…`: deletes the properties; a message is saved. A property the
/// object does not have is not an error (DeleteProps succeeds for it, MS-OXCPRPT 3.2.5.6).
pub fn rmprop_cmd(args: &LogonArgs<'_>, target: &str, tags: &[String]) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    let mut resolved = Vec::new();
    for t in tags {
        resolved.push(resolve(&mb.store, "TAG", t, false, TAG_FORM)?);
    }
    let problems = match mb.target(target, OpenMode::ReadWrite)? {
        Target::Store => {
            return Err(
                MapiError::new(codes::MAPI_E_NO_ACCESS, "store properties are kept by the server").into()
            );
        }
        Target::Folder(f) => f.delete_props(&resolved)?,
        Target::Message(mut m) => {
            let p = m.delete_props(&resolved)?;
            if p.is_empty() {
                m.save_changes(SaveFlags::KeepOpenReadOnly)?;
            }
            p
        }
    };
    let names = Names::of_tags(&mb.store, &resolved);
    if let Some(p) = problems.first() {
        return Err(
            MapiError::new(p.error, format!("the server refused to delete {}", names.name(p.tag))).into()
        );
    }
    Ok(Node::map([("deleted", Node::List(resolved.iter().map(|t| Node::str(names.name(*t))).collect()))]))
}

/// `oxmapi attach ITEM FILE… [--embed ITEM2]`: each file as a by-value attachment, ITEM2 copied
/// in as an embedded message; then ITEM is saved.
pub fn attach_cmd(
    args: &LogonArgs<'_>,
    item: &str,
    files: &[std::path::PathBuf],
    embed: Option<&str>,
) -> Result<Node, Failure> {
    if files.is_empty() && embed.is_none() {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "`oxmapi attach`",
            "nothing to attach: give FILEs or --embed ITEM",
            "ITEM, then one or more FILEs and/or --embed ITEM",
        ));
    }
    super::put::check_files(files)?;
    let mb = open(args, false)?;
    let embedded = match embed {
        Some(spec) => {
            let source = mb.message(spec, OpenMode::ReadOnly)?;
            let subject = match source.get_props(&[PR_SUBJECT])?.into_iter().next() {
                Some(RowValue::Value(v)) => v.as_text().map(|t| t.into_owned()).unwrap_or_default(),
                _ => String::new(),
            };
            Some((ItemIo::new(&mb.store).read(&source)?, subject))
        }
        None => None,
    };
    let mut m = mb.message(item, OpenMode::ReadWrite)?;
    let mut added = Vec::new();
    for f in files {
        super::put::attach(&m, f)?;
        added.push(Node::str(f.display().to_string()));
    }
    if let Some((file, subject)) = &embedded {
        ItemIo::new(&mb.store).attach_embedded(&m, file, subject)?;
        added.push(Node::str(format!("embedded: {subject}")));
    }
    m.save_changes(SaveFlags::KeepOpenReadOnly)?;
    Ok(Node::map([("item", Node::str(item)), ("attached", Node::List(added))]))
}
