//! An item into a store: a new message in a folder (IMAPIFolder::CreateMessage), its
//! properties (IMAPIProp::SetProps; large values through streams, MS-OXCPRPT 3.1.4.2),
//! recipients (IMessage::ModifyRecipients, MS-OXCMSG 2.2.3.5), attachments (CreateAttach,
//! SetProps, SaveChanges, MS-OXCMSG 2.2.3.13–2.2.3.15) and embedded messages
//! (RopOpenEmbeddedMessage with Create, MS-OXCMSG 2.2.3.16), then SaveChanges.

use std::collections::{BTreeSet, HashMap};

use oxmapi_core::MapiError;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_ATTACH_METHOD, PR_RECIPIENT_TYPE};
use oxmapi_core::consts::attach_method;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::item::{FIRST_NAMED_ID, Item, Message as FileMessage};

use super::read::collect_named;
use super::writable::{writable_attachment_property, writable_message_property};
use super::{ItemIo, MAX_EMBEDDED_DEPTH};
use crate::profile::MapiResult;
use crate::store::{Folder, Message, OpenMode, Recipient, RecipientType, SaveFlags};

/// The most inline property bytes sent in one RopSetProperties: the ROP request buffer of a
/// MAPI/HTTP Execute is at most 32 KiB (MS-OXCMAPIHTTP 2.2.4.2.1; MS-OXCROPS 2.2.1), and values
/// over the client's inline limit already go through streams; the rest is cut into calls of at
/// most this much.
pub const SET_PROPS_CHUNK_BYTES: usize = 0x6000;

/// Local named id → the store's id, for one item tree.
type IdMap = HashMap<u16, u16>;

impl ItemIo<'_> {
    /// Creates `msg` as a new message in `folder` (read-write) and saves it; returns its
    /// message id. Named properties are mapped to the store's ids (created where new);
    /// properties the store computes are left out ([`super::writable_message_property`]).
    pub fn write(&mut self, folder: &Folder, msg: &FileMessage) -> MapiResult<ObjectId> {
        self.write_in(folder, msg, false)
    }

    /// [`ItemIo::write`], into the folder's associated contents when `associated` (an FAI
    /// message: a view, a rule, a form; MS-OXCMSG 2.2.3.2 RopCreateMessage AssociatedFlag).
    pub fn write_in(&mut self, folder: &Folder, msg: &FileMessage, associated: bool) -> MapiResult<ObjectId> {
        let ids = self.map_names(msg)?;
        let mut m = folder.create_message(associated)?;
        fill(&mut m, &msg.item, &ids, 0)?;
        m.save_changes(SaveFlags::KeepOpenReadOnly)
    }

    /// Attaches `msg` to `parent` as an embedded message (afEmbeddedMessage: RopCreateAttachment,
    /// then RopOpenEmbeddedMessage with Create, MS-OXCMSG 2.2.3.16), named `display_name`; the
    /// embedded message and the attachment are saved, `parent` is left for the caller to save.
    /// Returns the attachment number.
    pub fn attach_embedded(
        &mut self,
        parent: &Message,
        msg: &FileMessage,
        display_name: &str,
    ) -> MapiResult<u32> {
        let ids = self.map_names(msg)?;
        let att = parent.create_attachment()?;
        let props = [
            TaggedValue { tag: PR_ATTACH_METHOD, value: PropValue::I32(attach_method::EMBEDDED_MSG) },
            TaggedValue {
                tag: oxmapi_core::catalogue::tags::PR_DISPLAY_NAME,
                value: PropValue::Unicode(display_name.to_string()),
            },
        ];
        if let Some(p) = att.set_props(&props)?.first() {
            return Err(MapiError::new(p.error, "the server refused the embedded attachment's properties"));
        }
        let mut inner = att.open_embedded_message(OpenMode::ReadWrite, true)?;
        fill(&mut inner, &msg.item, &ids, 1)?;
        inner.save_changes(SaveFlags::KeepOpenReadOnly)?;
        drop(inner);
        att.save_changes(SaveFlags::KeepOpenReadOnly)?;
        Ok(att.attach_num())
    }

    /// The store ids of every named property the item tree uses.
    fn map_names(&mut self, msg: &FileMessage) -> MapiResult<IdMap> {
        let mut used = BTreeSet::new();
        collect_named(&msg.item, &mut used);
        let names: Vec<_> = used.iter().filter_map(|id| msg.names.get(id).cloned()).collect();
        if names.is_empty() {
            return Ok(IdMap::new());
        }
        let store_ids = self.names.store_ids(self.store, &names)?;
        Ok(used
            .into_iter()
            .filter_map(|local| {
                let name = msg.names.get(&local)?;
                store_ids.get(name).map(|sid| (local, *sid))
            })
            .collect())
    }
}

/// The tag in the store: standard ids stay, named ids are mapped (`None`: a name the item does
/// not define or the store would not map — the value is left out).
fn store_tag(tag: PropTag, ids: &IdMap) -> Option<PropTag> {
    if tag.id() < FIRST_NAMED_ID {
        return Some(tag);
    }
    ids.get(&tag.id()).map(|sid| PropTag::from_parts(*sid, tag.raw_type()))
}

/// The values of a bag that are written, with store tags.
fn values<'a>(
    bag: impl Iterator<Item = &'a TaggedValue>,
    ids: &IdMap,
    keep: fn(PropTag, &PropValue) -> bool,
) -> Vec<TaggedValue> {
    bag.filter(|v| keep(v.tag, &v.value))
        .filter_map(|v| Some(TaggedValue { tag: store_tag(v.tag, ids)?, value: v.value.clone() }))
        .collect()
}

/// Rough size of a value in a RopSetProperties buffer.
fn inline_size(v: &TaggedValue) -> usize {
    6 + crate::store::props::wire_size(&v.value)
}

/// SetProps in calls of at most [`SET_PROPS_CHUNK_BYTES`] (large single values are streamed by
/// `set_props` itself). Per-property problems are not fatal: a store may refuse a property it
/// does not keep, and the rest of the message still goes in.
fn set_chunked(set: impl Fn(&[TaggedValue]) -> MapiResult<()>, values: Vec<TaggedValue>) -> MapiResult<()> {
    let mut chunk: Vec<TaggedValue> = Vec::new();
    let mut bytes = 0;
    for v in values {
        let size = inline_size(&v);
        if !chunk.is_empty() && bytes + size > SET_PROPS_CHUNK_BYTES {
            set(&chunk)?;
            chunk.clear();
            bytes = 0;
        }
        bytes += size;
        chunk.push(v);
    }
    if !chunk.is_empty() {
        set(&chunk)?;
    }
    Ok(())
}

/// Rough size of a recipient row in a RopModifyRecipients buffer.
fn recipient(bag: &oxmapi_core::bag::PropBag, row: usize, ids: &IdMap) -> Recipient {
    let kind = match bag.get(PR_RECIPIENT_TYPE) {
        Some(PropValue::I32(k)) => RecipientType::from_code(*k as u8),
        _ => RecipientType::To,
    };
    let props = values(bag.iter(), ids, writable_message_property)
        .into_iter()
        .filter(|v| v.tag.id() != PR_RECIPIENT_TYPE.id())
        .collect();
    Recipient { row_id: row as u32, kind, props }
}

/// Writes `item` into the open new message `m` (not saved).
fn fill(m: &mut Message, item: &Item, ids: &IdMap, depth: usize) -> MapiResult<()> {
    if depth > MAX_EMBEDDED_DEPTH {
        return Err(MapiError::new(
            codes::MAPI_E_TOO_COMPLEX,
            format!("embedded messages nested deeper than {MAX_EMBEDDED_DEPTH}"),
        ));
    }
    set_chunked(|c| m.set_props(c).map(drop), values(item.props.iter(), ids, writable_message_property))?;
    if !item.recipients.is_empty() {
        let rows: Vec<Recipient> =
            item.recipients.iter().enumerate().map(|(i, r)| recipient(r, i, ids)).collect();
        // ModifyRecipients splits what does not fit one ROP buffer (a message may have hundreds).
        m.modify_recipients(&rows)?;
    }
    for a in &item.attachments {
        let att = m.create_attachment()?;
        let mut props = values(a.props.iter(), ids, writable_attachment_property);
        if let Some(storage) = &a.storage {
            // An OLE attachment's storage kept as its compound file, under the binary form of
            // PR_ATTACH_DATA_OBJ's id (PR_ATTACH_DATA_BIN), as MS-OXCMSG 2.2.2.8 lets a store do.
            props.retain(|v| v.tag.id() != PR_ATTACH_DATA_BIN.id());
            props.push(TaggedValue { tag: PR_ATTACH_DATA_BIN, value: PropValue::Binary(storage.clone()) });
        }
        if a.embedded.is_some() {
            props.retain(|v| v.tag.id() != PR_ATTACH_METHOD.id());
            props.push(TaggedValue {
                tag: PR_ATTACH_METHOD,
                value: PropValue::I32(attach_method::EMBEDDED_MSG),
            });
        }
        set_chunked(|c| att.set_props(c).map(drop), props)?;
        if let Some(e) = &a.embedded {
            let mut inner = att.open_embedded_message(OpenMode::ReadWrite, true)?;
            fill(&mut inner, e, ids, depth + 1)?;
            inner.save_changes(SaveFlags::KeepOpenReadOnly)?;
        }
        att.save_changes(SaveFlags::KeepOpenReadOnly)?;
    }
    Ok(())
}
