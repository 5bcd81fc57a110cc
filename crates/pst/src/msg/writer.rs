//! [`Message`] → MSG file ([MS-OXMSG] 2.2, 2.4).

use oxmapi_core::bag::PropBag;
use oxmapi_core::tag::PropTag;

use super::layout::{
    ATTACH_DATA_OBJ, ATTACH_PREFIX, MSG_ROOT_CLSID, NAMEID_STORAGE, OBJECT_SIZE, PROPERTIES_STREAM,
    RECIP_PREFIX, StreamKind, join, numbered, substg_name,
};
use super::propstream::{self, Counts, Entry};
use super::storage::Sink;
use super::{MsgError, nameid, values};
use crate::item::{Item, Message};

/// The MSG file of `msg`. Every property keeps its id and type; named ids are described by
/// `msg.names` in the file's `__nameid_version1.0` storage. Fails only on a value the format
/// has no form for (PtypRestriction, PtypObject) or more than [`super::limits`] allow.
pub fn write_msg(msg: &Message) -> Result<Vec<u8>, MsgError> {
    let mut sink = Sink::new()?;
    sink.set_clsid("/", MSG_ROOT_CLSID)?;
    write_names(&mut sink, msg)?;
    write_item(&mut sink, "/", &msg.item, StreamKind::TopLevel, 0)?;
    sink.finish()
}

fn write_names(sink: &mut Sink, msg: &Message) -> Result<(), MsgError> {
    let dir = join("/", NAMEID_STORAGE);
    sink.storage(&dir)?;
    let (streams, buckets) = nameid::build(&msg.names);
    sink.stream(&join(&dir, nameid::GUID_STREAM), &streams.guids)?;
    sink.stream(&join(&dir, nameid::ENTRY_STREAM), &streams.entries)?;
    sink.stream(&join(&dir, nameid::STRING_STREAM), &streams.strings)?;
    for (id, bytes) in buckets {
        sink.stream(&join(&dir, &substg_name(PropTag((id << 16) | 0x0102))), &bytes)?;
    }
    Ok(())
}

fn write_item(
    sink: &mut Sink,
    path: &str,
    item: &Item,
    kind: StreamKind,
    depth: usize,
) -> Result<(), MsgError> {
    if depth > super::limits::MAX_EMBEDDING_DEPTH {
        return Err(MsgError::Limit {
            what: "embedded message depth",
            limit: super::limits::MAX_EMBEDDING_DEPTH as u64,
        });
    }
    check_count(item.recipients.len(), super::limits::MAX_RECIPIENTS, "recipients")?;
    check_count(item.attachments.len(), super::limits::MAX_ATTACHMENTS, "attachments")?;
    let entries = write_props(sink, path, &item.props)?;
    let counts = Counts {
        next_recipient: item.recipients.len() as u32,
        next_attachment: item.attachments.len() as u32,
        recipients: item.recipients.len() as u32,
        attachments: item.attachments.len() as u32,
    };
    sink.stream(&join(path, PROPERTIES_STREAM), &propstream::build(kind, counts, &entries))?;
    for (i, r) in item.recipients.iter().enumerate() {
        let at = join(path, &numbered(RECIP_PREFIX, i));
        sink.storage(&at)?;
        let entries = write_props(sink, &at, r)?;
        sink.stream(
            &join(&at, PROPERTIES_STREAM),
            &propstream::build(StreamKind::Child, Counts::default(), &entries),
        )?;
    }
    for (i, a) in item.attachments.iter().enumerate() {
        let at = join(path, &numbered(ATTACH_PREFIX, i));
        sink.storage(&at)?;
        let mut entries = write_props(sink, &at, &a.props)?;
        let object = join(&at, &substg_name(ATTACH_DATA_OBJ));
        if let Some(embedded) = &a.embedded {
            sink.storage(&object)?;
            write_item(sink, &object, embedded, StreamKind::Embedded, depth + 1)?;
        } else if let Some(storage) = &a.storage {
            sink.storage(&object)?;
            sink.paste(&object, storage)?;
        }
        if a.embedded.is_some() || a.storage.is_some() {
            entries.push(Entry { tag: ATTACH_DATA_OBJ, value: propstream::size_field(OBJECT_SIZE) });
        }
        sink.stream(
            &join(&at, PROPERTIES_STREAM),
            &propstream::build(StreamKind::Child, Counts::default(), &entries),
        )?;
    }
    Ok(())
}

fn check_count(n: usize, limit: usize, what: &'static str) -> Result<(), MsgError> {
    if n > limit { Err(MsgError::Limit { what, limit: limit as u64 }) } else { Ok(()) }
}

/// Writes the value streams of `props` under `path`; returns their property entries.
fn write_props(sink: &mut Sink, path: &str, props: &PropBag) -> Result<Vec<Entry>, MsgError> {
    let mut entries = Vec::with_capacity(props.len());
    for tv in props.iter() {
        if let Some(value) = propstream::inline_bytes(&tv.value) {
            entries.push(Entry { tag: tv.tag, value });
            continue;
        }
        let (streams, size) = values::write(tv.tag, &tv.value)?;
        for (name, bytes) in streams {
            sink.stream(&join(path, &name), &bytes)?;
        }
        entries.push(Entry { tag: tv.tag, value: propstream::size_field(size) });
    }
    Ok(entries)
}
