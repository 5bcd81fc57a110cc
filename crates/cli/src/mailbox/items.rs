//! `oxmapi ls`, `show`, `props`, `setprop`, `mv`, `cp`, `rm`, `attachment`.

use std::io::Write;

use oxmapi_client::profile::parse::{parse_tag, parse_value};
use oxmapi_client::store::{OpenMode, Row, SaveFlags, SortOrder, StreamMode};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::values::{column_name, row_node};
use super::{Target, default_view, open};
use crate::failure::Failure;
use crate::session_cmd::LogonArgs;

/// Columns `ls` shows when `--columns` is not given.
const LS_COLUMNS: &[PropTag] = &[
    PR_SUBJECT,
    PR_SENT_REPRESENTING_NAME,
    PR_DISPLAY_TO,
    PR_MESSAGE_DELIVERY_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_MESSAGE_SIZE,
    PR_MESSAGE_FLAGS,
    PR_HASATTACH,
    PR_MESSAGE_CLASS,
];

/// Attachment table columns `show` and `attachment` use.
pub(super) const ATTACH_COLUMNS: &[PropTag] = &[
    PR_ATTACH_NUM,
    PR_ATTACH_LONG_FILENAME,
    PR_ATTACH_FILENAME,
    PR_DISPLAY_NAME,
    PR_ATTACH_SIZE,
    PR_ATTACH_METHOD,
    PR_ATTACH_MIME_TAG,
];

/// What `--sort` takes (the hint of a bad one).
const SORT_FORM: &str = "TAG, TAG:asc or TAG:desc, where TAG is a name (PR_SUBJECT) or a value (0x0037001F); \
                         `oxmapi tag NAME` looks one up";

/// A property tag named on the command line by `arg` (`--columns`, `--sort`, TAG).
fn tag_arg(arg: &str, text: &str, form: &str) -> Result<oxmapi_core::tag::PropTag, Failure> {
    parse_tag(text).map_err(|e| Failure::with_hint(e, format!("{arg} takes {form}")))
}

fn parse_sort(spec: &str) -> Result<SortOrder, Failure> {
    let (tag, dir) = spec.rsplit_once(':').unwrap_or((spec, "asc"));
    let descending = match dir.to_ascii_lowercase().as_str() {
        "desc" | "descending" => true,
        "asc" | "ascending" => false,
        other => {
            return Err(Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "--sort",
                format!("sort direction {other:?}: use TAG, TAG:asc or TAG:desc"),
                SORT_FORM,
            ));
        }
    };
    Ok(SortOrder { tag: tag_arg("--sort", tag, SORT_FORM)?, descending })
}

/// Where `ls` starts its page (MS-OXCTABL 3.2.5.7 RopSeekRow, 3.2.5.9 RopSeekRowFractional).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStart {
    /// The first row.
    Beginning,
    /// Row N (0-based): `--offset N`.
    Row(i32),
    /// PCT/100 of the table: `--position PCT%`.
    Fraction(u32),
}

impl PageStart {
    /// From `--offset N` and `--position PCT%` (clap keeps them exclusive).
    pub fn parse(offset: Option<usize>, position: Option<&str>) -> Result<PageStart, Failure> {
        if let Some(p) = position {
            let digits = p.trim().strip_suffix('%').unwrap_or(p.trim());
            return match digits.parse::<u32>() {
                Ok(pct) if pct <= 100 => Ok(PageStart::Fraction(pct)),
                _ => Err(Failure::bad_input(
                    codes::MAPI_E_INVALID_PARAMETER,
                    "--position",
                    format!("position {p:?} is not a percentage from 0% to 100%"),
                    "a percentage of the table, 0% to 100% (e.g. 50%)",
                )),
            };
        }
        match offset {
            None => Ok(PageStart::Beginning),
            Some(n) => i32::try_from(n).map(PageStart::Row).map_err(|_| {
                Failure::bad_input(
                    codes::MAPI_E_INVALID_PARAMETER,
                    "--offset",
                    format!("offset {n} is beyond the largest row a table can seek to"),
                    "a row number from 0 to 2147483647",
                )
            }),
        }
    }
}

/// What `ls` reads of a folder's contents table.
pub struct View<'a> {
    /// `--columns`.
    pub columns: &'a [String],
    /// `--sort`.
    pub sort: &'a [String],
    /// `--offset` / `--position`.
    pub start: PageStart,
    /// `--limit`.
    pub limit: Option<usize>,
    /// `--restrict EXPR` (the condition syntax of `rules add --if`).
    pub restrict: Option<&'a str>,
    /// `--associated`: the FAI contents table.
    pub associated: bool,
}

/// `--restrict EXPR` as a restriction (MS-OXCDATA 2.12).
fn restriction_arg(expr: &str) -> Result<oxmapi_core::restriction::Restriction, Failure> {
    crate::rules_cmd::condition::parse(expr).map_err(|e| {
        Failure::bad_input(
            codes::MAPI_E_TOO_COMPLEX,
            "--restrict",
            format!("--restrict {expr:?}: {}", e.0),
            "tests such as subject~TEXT, body~TEXT, from=ADDR, to=ADDR, importance>=N, size>N, has-attachment, \
             combined with and, or, not and parentheses (the syntax of `oxmapi rules add --if`)",
        )
    })
}

/// `oxmapi ls FOLDER [--columns TAGS] [--sort TAG[:desc]] [--offset N | --position PCT%]
/// [--limit N] [--restrict EXPR] [--associated]`: rows with `entry_id` and the columns by name
/// (named properties by their canonical name).
pub fn ls_cmd(args: &LogonArgs<'_>, folder: &str, view: &View<'_>) -> Result<Node, Failure> {
    let restriction = view.restrict.map(restriction_arg).transpose()?;
    let mb = open(args, false)?;
    let f = mb.folder(folder)?;
    let mut cols = vec![PR_ENTRYID];
    if view.columns.is_empty() {
        cols.extend_from_slice(LS_COLUMNS);
    } else {
        for c in view.columns {
            cols.push(super::named_tags::resolve(
                &mb.store,
                "--columns",
                c,
                false,
                "comma-separated property tags, by name (PR_SUBJECT, PidLidEmail1EmailAddress) or value (0x0037001F)",
            )?);
        }
    }
    let order = if view.sort.is_empty() {
        default_view()
    } else {
        view.sort.iter().map(|s| parse_sort(s)).collect::<Result<_, _>>()?
    };
    let mut t = f.contents_table(view.associated)?;
    t.set_columns(&cols)?;
    if let Some(r) = &restriction {
        t.restrict(Some(r))?;
    }
    t.sort(&order)?;
    match view.start {
        PageStart::Beginning => {}
        PageStart::Row(n) => {
            t.seek(oxmapi_client::store::SeekOrigin::Beginning, n)?;
        }
        PageStart::Fraction(pct) => t.seek_fractional(pct, 100)?,
    }
    let rows = t.query_rows(view.limit.unwrap_or(usize::MAX), true)?;
    let names = super::named_tags::Names::of_tags(&mb.store, &cols);
    Ok(Node::List(rows.iter().map(|r| names.row_node(r)).collect()))
}

fn text(v: &RowValue) -> Option<String> {
    match v {
        RowValue::Value(PropValue::Unicode(s)) => Some(s.clone()),
        RowValue::Value(PropValue::String8(b)) => Some(oxmapi_core::text::decode_cp1252(b)),
        _ => None,
    }
}

/// The properties `show` prints (PR_BODY last: it becomes `body`).
pub(super) const SHOW_TAGS: [PropTag; 13] = [
    PR_SUBJECT,
    PR_MESSAGE_CLASS,
    PR_SENT_REPRESENTING_NAME,
    PR_DISPLAY_TO,
    PR_DISPLAY_CC,
    PR_MESSAGE_DELIVERY_TIME,
    PR_LAST_MODIFICATION_TIME,
    PR_MESSAGE_SIZE,
    PR_MESSAGE_FLAGS,
    PR_IMPORTANCE,
    PR_HASATTACH,
    PR_ENTRYID,
    PR_BODY,
];

/// `oxmapi show ITEM`: the message's main properties, recipients and attachments. ITEM may be
/// the path of an item file (`.msg`), read directly.
pub fn show_cmd(args: &LogonArgs<'_>, item: &str) -> Result<Node, Failure> {
    if let Some(path) = super::item_file::item_file(item) {
        return super::item_file::show(path);
    }
    let mb = open(args, false)?;
    let m = mb.message(item, OpenMode::ReadOnly)?;
    let values = m.get_props(&SHOW_TAGS)?;
    let recipients = m
        .recipients()?
        .iter()
        .map(|r| recipient_node(r.kind, r.display_name(), r.email(), r.text(PR_ADDRTYPE)))
        .collect();
    let mut at = m.attachment_table()?;
    at.set_columns(ATTACH_COLUMNS)?;
    let attachments = at.query_rows(usize::MAX, true)?;
    Ok(message_node(&values, recipients, &attachments))
}

/// One recipient as `show` prints it.
pub(super) fn recipient_node(
    kind: oxmapi_client::store::RecipientType,
    display_name: Option<&str>,
    email: Option<&str>,
    address_type: Option<&str>,
) -> Node {
    Node::map([
        ("type", Node::str(format!("{kind:?}"))),
        ("display_name", Node::str(display_name.unwrap_or(""))),
        ("email", Node::str(email.unwrap_or(""))),
        ("address_type", Node::str(address_type.unwrap_or(""))),
    ])
}

/// What `show` prints: the values of [`SHOW_TAGS`] (in that order), the recipients, the
/// attachment rows (columns [`ATTACH_COLUMNS`]) numbered from 1, and the body.
pub(super) fn message_node(values: &[RowValue], recipients: Vec<Node>, attachments: &[Row]) -> Node {
    let mut props = Vec::new();
    for (t, v) in SHOW_TAGS.iter().zip(values) {
        if *t == PR_BODY {
            continue;
        }
        if let RowValue::Value(v) = v {
            props.push((column_name(*t), oxmapi_wire::describe::value_node(v)));
        }
    }
    let attachments = attachments
        .iter()
        .enumerate()
        .map(|(i, r)| row_node(r).with_first("n", Node::Int(i as i128 + 1)))
        .collect();
    let body = values.last().and_then(text).unwrap_or_default();
    Node::Map(props)
        .with("recipients", Node::List(recipients))
        .with("attachments", Node::List(attachments))
        .with("body", Node::str(body))
}

/// `oxmapi props ITEM|FOLDER|store`: every property (name, tag, type, value).
pub fn props_cmd(args: &LogonArgs<'_>, target: &str) -> Result<Node, Failure> {
    if let Some(path) = super::item_file::item_file(target) {
        return super::item_file::props(path);
    }
    let mb = open(args, false)?;
    let values = match mb.target(target, OpenMode::ReadOnly)? {
        Target::Store => mb.store.get_all_props()?,
        Target::Folder(f) => f.get_all_props()?,
        Target::Message(m) => m.get_all_props()?,
    };
    let names = super::named_tags::Names::of_values(&mb.store, &values);
    Ok(names.props_node(&values))
}

/// `oxmapi setprop ITEM TAG VALUE` (also on a FOLDER): a message is saved afterwards.
pub fn setprop_cmd(args: &LogonArgs<'_>, target: &str, tag: &str, value: &str) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    let tag = super::named_tags::resolve(
        &mb.store,
        "TAG",
        tag,
        true,
        "a property tag by name (PR_IMPORTANCE, PidTagImportance), value (0x00170003) or a named property \
         (PidLidEmail1EmailAddress, {GUID}:0x8083, PSETID_Address:0x8083, PS_PUBLIC_STRINGS:\"Keywords\", with :PT_TYPE when not catalogued)",
    )?;
    let value = TaggedValue { tag, value: parse_value(tag, value)? };
    let one = std::slice::from_ref(&value);
    let problems = match mb.target(target, OpenMode::ReadWrite)? {
        Target::Store => {
            return Err(
                MapiError::new(codes::MAPI_E_NO_ACCESS, "store properties are set by the server").into()
            );
        }
        Target::Folder(f) => f.set_props(one)?,
        Target::Message(mut m) => {
            let p = m.set_props(one)?;
            if p.is_empty() {
                m.save_changes(SaveFlags::KeepOpenReadOnly)?;
            }
            p
        }
    };
    if let Some(p) = problems.first() {
        return Err(MapiError::new(p.error, format!("the server refused {}", column_name(p.tag))).into());
    }
    let names = super::named_tags::Names::of_tags(&mb.store, &[tag]);
    Ok(Node::map([
        ("set", Node::str(names.name(tag))),
        ("value", oxmapi_wire::describe::value_node(&value.value)),
    ]))
}

/// `oxmapi mv ITEM FOLDER` / `oxmapi cp ITEM FOLDER`; with `recursive`, ITEM is a folder
/// copied whole ([`crate::transfer::copy_folder_cmd`]).
pub fn copy_cmd(
    args: &LogonArgs<'_>,
    item: &str,
    dest: &str,
    is_move: bool,
    to_store: Option<&str>,
    recursive: bool,
) -> Result<Node, Failure> {
    // `mv FOLDER DEST` moves a folder as `mv` moves a directory: with what it holds, no
    // --recursive needed (ITEM forms are eid:HEX and FOLDER#N; a bare path is a folder).
    let folder_path = !item.starts_with("eid:") && !item.contains('#');
    if recursive || (is_move && folder_path) {
        let fc = crate::transfer::FolderCopyArgs { source: item, dest, is_move, to_store };
        return crate::transfer::copy_folder_cmd(args, &fc);
    }
    let mb = open(args, false)?;
    let (fid, mid) = mb.item_ids(item)?;
    let src = mb.store.open_folder(fid)?;
    if let Some(name) = to_store {
        return copy_to_store(&mb, &src, mid, item, dest, name, is_move);
    }
    let dst = mb.folder(dest)?;
    if src.copy_messages(&[mid], &dst, is_move)? {
        return Err(
            MapiError::new(codes::MAPI_W_PARTIAL_COMPLETION, format!("{item} could not be copied")).into()
        );
    }
    Ok(Node::map([(if is_move { "moved" } else { "copied" }, Node::str(item)), ("to", Node::str(dest))]))
}

/// `cp|mv ITEM FOLDER --to-store NAME`: the message read whole from its store (properties,
/// recipients, attachments, embedded messages, named properties by name) and written into FOLDER
/// of the other store; a move then deletes the original, only once the copy is saved.
fn copy_to_store(
    mb: &super::Mailbox,
    src: &oxmapi_client::store::Folder,
    mid: oxmapi_core::ids::ObjectId,
    item: &str,
    dest: &str,
    store_name: &str,
    is_move: bool,
) -> Result<Node, Failure> {
    let other = super::open_named(&mb.session, store_name)?;
    let dst = super::folder_in(&other, dest)?;
    let m = mb.store.open_message(src.id(), mid, OpenMode::ReadOnly)?;
    let file = oxmapi_client::item_io::ItemIo::new(&mb.store).read(&m)?;
    drop(m);
    let new_id = oxmapi_client::item_io::ItemIo::new(&other).write(&dst, &file)?;
    if is_move && src.delete_messages(&[mid], false)? {
        return Err(MapiError::new(
            codes::MAPI_W_PARTIAL_COMPLETION,
            format!("{item} was copied to {store_name} but could not be deleted from its folder"),
        )
        .into());
    }
    Ok(Node::map([
        (if is_move { "moved" } else { "copied" }, Node::str(item)),
        ("to", Node::str(dest)),
        ("to_store", Node::str(store_name)),
        ("message_id", Node::str(new_id.to_string())),
    ]))
}

/// `oxmapi rm ITEM`.
pub fn rm_cmd(args: &LogonArgs<'_>, item: &str) -> Result<Node, Failure> {
    let mb = open(args, false)?;
    let (fid, mid) = mb.item_ids(item)?;
    if mb.store.open_folder(fid)?.delete_messages(&[mid], false)? {
        return Err(
            MapiError::new(codes::MAPI_W_PARTIAL_COMPLETION, format!("{item} could not be deleted")).into()
        );
    }
    Ok(Node::map([("deleted", Node::str(item))]))
}

/// `oxmapi attachment ITEM N --out FILE`: saves attachment N (1-based, attachment-table
/// order), streaming its PR_ATTACH_DATA_BIN.
pub fn attachment_cmd(
    args: &LogonArgs<'_>,
    item: &str,
    n: usize,
    out: &std::path::Path,
) -> Result<Node, Failure> {
    if let Some(path) = super::item_file::item_file(item) {
        return super::item_file::attachment(path, n, out);
    }
    let mb = open(args, false)?;
    let m = mb.message(item, OpenMode::ReadOnly)?;
    let mut at = m.attachment_table()?;
    at.set_columns(ATTACH_COLUMNS)?;
    let rows = at.query_rows(usize::MAX, true)?;
    let row = n.checked_sub(1).and_then(|i| rows.get(i)).ok_or_else(|| {
        MapiError::new(
            codes::MAPI_E_NOT_FOUND,
            format!("{item} has {} attachments; there is no number {n}", rows.len()),
        )
    })?;
    let num = match row.get(PR_ATTACH_NUM) {
        Some(PropValue::I32(i)) => *i as u32,
        _ => {
            return Err(
                MapiError::new(codes::MAPI_E_CORRUPT_DATA, "attachment row without PR_ATTACH_NUM").into()
            );
        }
    };
    let a = m.open_attachment(num, OpenMode::ReadOnly)?;
    let mut s = a.open_stream(PR_ATTACH_DATA_BIN, StreamMode::ReadOnly)?;
    let io_err = |e: std::io::Error| Failure::local_file("output file", out, &e);
    let to_stdout = out.as_os_str() == "-";
    let mut sink: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(out).map_err(io_err)?)
    };
    let bytes = std::io::copy(&mut s, &mut sink).map_err(|e| {
        match e.get_ref().and_then(|i| i.downcast_ref::<MapiError>()) {
            Some(m) => m.clone().into(),
            None => io_err(e),
        }
    })?;
    sink.flush().map_err(io_err)?;
    Ok(saved_node(out, bytes))
}

/// What `attachment` prints: nothing when the bytes went to standard output (`--out -`: they
/// are the output), else the file and its size.
pub(super) fn saved_node(out: &std::path::Path, bytes: u64) -> Node {
    if out.as_os_str() == "-" {
        return Node::Null;
    }
    Node::map([("saved", Node::str(out.display().to_string())), ("bytes", Node::Int(bytes.into()))])
}

#[cfg(test)]
mod tests {
    use super::PageStart;

    #[test]
    fn page_starts_parse_offsets_and_percentages() {
        assert_eq!(PageStart::parse(None, None).unwrap(), PageStart::Beginning);
        assert_eq!(PageStart::parse(Some(100), None).unwrap(), PageStart::Row(100));
        assert_eq!(PageStart::parse(None, Some("50%")).unwrap(), PageStart::Fraction(50));
        assert_eq!(PageStart::parse(None, Some("100")).unwrap(), PageStart::Fraction(100));
        for bad in ["101%", "-5%", "half", "%"] {
            assert!(PageStart::parse(None, Some(bad)).is_err(), "{bad}");
        }
        assert!(PageStart::parse(Some(usize::MAX), None).is_err());
    }
}
