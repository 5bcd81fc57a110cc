//! MSG file → [`Message`] ([MS-OXMSG] 2.2, 2.4).

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::PR_ATTACH_METHOD;
use oxmapi_core::ptype::{MV_INSTANCE, PropType};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::layout::{
    ATTACH_DATA_OBJ, ATTACH_PREFIX, NAMEID_STORAGE, PROPERTIES_STREAM, RECIP_PREFIX, StreamKind, join,
    substg_name, tag_of_substg,
};
use super::limits::{MAX_ATTACHMENTS, MAX_EMBEDDING_DEPTH, MAX_RECIPIENTS};
use super::storage::Source;
use super::{MsgError, ReadOptions, nameid, propstream, values};
use crate::codepage;
use crate::item::{Attachment, Item, Message};

/// PR_ATTACH_METHOD value afStorage: the attachment is an OLE storage ([MS-OXCMSG] 2.2.2.9).
use oxmapi_core::consts::attach_method::OLE as ATTACH_OLE;

/// Reads the MSG file `bytes`: the message, its recipients, attachments and embedded messages,
/// and its named-property map. 8-bit strings are decoded by [`codepage::string8_codepage`]
/// unless `opts.keep_string8`.
pub fn read_msg(bytes: &[u8], opts: &ReadOptions) -> Result<Message, MsgError> {
    let repaired;
    let mut src = match Source::open(bytes) {
        Ok(src) => src,
        Err(e) => {
            repaired = super::repair::repair(bytes).ok_or(e)?;
            Source::open(&repaired)?
        }
    };
    if !src.is_stream(&join("/", PROPERTIES_STREAM)) {
        return Err(MsgError::Malformed(format!("the root storage has no {PROPERTIES_STREAM} stream")));
    }
    let names = read_names(&mut src)?;
    let item = read_item(&mut src, "/", StreamKind::TopLevel, opts, opts.default_codepage, 0)?;
    Ok(Message { item, names })
}

fn read_names(
    src: &mut Source<'_>,
) -> Result<std::collections::BTreeMap<u16, oxmapi_core::named::PropertyName>, MsgError> {
    let dir = join("/", NAMEID_STORAGE);
    if !src.is_storage(&dir) {
        return Ok(Default::default());
    }
    let mut load = |name| src.stream(&join(&dir, name)).map(Option::unwrap_or_default);
    let streams = nameid::Streams {
        guids: load(nameid::GUID_STREAM)?,
        entries: load(nameid::ENTRY_STREAM)?,
        strings: load(nameid::STRING_STREAM)?,
    };
    Ok(nameid::parse(&streams))
}

fn read_item(
    src: &mut Source<'_>,
    path: &str,
    kind: StreamKind,
    opts: &ReadOptions,
    inherited_cp: u32,
    depth: usize,
) -> Result<Item, MsgError> {
    if depth > MAX_EMBEDDING_DEPTH {
        return Err(MsgError::Limit { what: "embedded message depth", limit: MAX_EMBEDDING_DEPTH as u64 });
    }
    let mut props = read_props(src, path, kind)?;
    let cp = codepage::string8_codepage(&props, inherited_cp);
    let decode = |bag: &mut PropBag| {
        if !opts.keep_string8 {
            codepage::decode_string8_props(bag, cp);
        }
    };
    decode(&mut props);
    let children = src.children(path)?;
    let mut recipients = Vec::new();
    for storage in numbered(&children, RECIP_PREFIX, MAX_RECIPIENTS, "recipient storages")? {
        let mut bag = read_props(src, &join(path, &storage), StreamKind::Child)?;
        decode(&mut bag);
        recipients.push(bag);
    }
    let mut attachments = Vec::new();
    for storage in numbered(&children, ATTACH_PREFIX, MAX_ATTACHMENTS, "attachment storages")? {
        let at = join(path, &storage);
        let mut att = Attachment { props: read_props(src, &at, StreamKind::Child)?, ..Default::default() };
        decode(&mut att.props);
        let object = join(&at, &substg_name(ATTACH_DATA_OBJ));
        if src.is_storage(&object) {
            let ole = matches!(att.props.get(PR_ATTACH_METHOD), Some(PropValue::I32(ATTACH_OLE)));
            if !ole && src.is_stream(&join(&object, PROPERTIES_STREAM)) {
                att.embedded =
                    Some(Box::new(read_item(src, &object, StreamKind::Embedded, opts, cp, depth + 1)?));
            } else {
                att.storage = Some(src.storage_copy(&object)?);
            }
        }
        attachments.push(att);
    }
    Ok(Item { props, recipients, attachments })
}

/// The names of the storages `prefix` + 8 hex digits among `children`, in number order.
fn numbered(
    children: &[super::storage::Child],
    prefix: &str,
    limit: usize,
    what: &'static str,
) -> Result<Vec<String>, MsgError> {
    let mut found: Vec<(u32, String)> = children
        .iter()
        .filter(|c| !c.is_stream)
        .filter_map(|c| {
            let hex = c.name.strip_prefix(prefix)?;
            u32::from_str_radix(hex, 16).ok().map(|n| (n, c.name.clone()))
        })
        .collect();
    if found.len() > limit {
        return Err(MsgError::Limit { what, limit: limit as u64 });
    }
    found.sort();
    Ok(found.into_iter().map(|(_, n)| n).collect())
}

/// The properties of the storage at `path`: its property stream's entries, then any
/// `__substg1.0_` stream whose property has no entry (some writers list only fixed-length
/// properties). A missing property stream gives an empty bag.
fn read_props(src: &mut Source<'_>, path: &str, kind: StreamKind) -> Result<PropBag, MsgError> {
    let mut bag = PropBag::new();
    let stream = src.stream(&join(path, PROPERTIES_STREAM))?.unwrap_or_default();
    let mut load = |name: &str| src.stream(&join(path, name));
    for entry in propstream::parse(&stream, kind) {
        let Ok(ty) = PropType::try_from(entry.tag.raw_type() & !MV_INSTANCE) else { continue };
        let value = match propstream::inline_value(ty, &entry.value) {
            Some(v) if propstream::is_inline(ty) => Some(v),
            _ if ty == PropType::Object => None,
            _ => values::read(entry.tag, ty, &mut load)?,
        };
        if let Some(v) = value {
            put(&mut bag, entry.tag, v);
        }
    }
    for child in src.children(path)? {
        let Some(tag) = tag_of_substg(&child.name).filter(|_| child.is_stream) else { continue };
        let Ok(ty) = PropType::try_from(tag.raw_type() & !MV_INSTANCE) else { continue };
        if bag.get(tag).is_some() || propstream::is_inline(ty) || ty == PropType::Object {
            continue;
        }
        let mut load = |name: &str| src.stream(&join(path, name));
        if let Some(v) = values::read(tag, ty, &mut load)? {
            put(&mut bag, tag, v);
        }
    }
    Ok(bag)
}

/// Stores `v` under `tag`, except over a PtypString value of the same id with a PtypString8
/// one (files that carry both keep the Unicode one).
fn put(bag: &mut PropBag, tag: PropTag, v: PropValue) {
    let unicode_there = matches!(bag.get(tag), Some(PropValue::Unicode(_) | PropValue::MvUnicode(_)));
    if unicode_there && matches!(v, PropValue::String8(_) | PropValue::MvString8(_)) {
        return;
    }
    bag.set(tag, v);
}
