//! A stored message into an item: IMAPIProp::GetProps without a tag list (large values read
//! through streams, MS-OXCPRPT 3.1.4.2), the recipients, the attachment table and every
//! attachment (MS-OXCMSG 3.1.4), embedded messages (RopOpenEmbeddedMessage), and the names of
//! its named properties (IMAPIProp::GetNamesFromIDs).

use std::collections::{BTreeSet, HashMap};

use oxmapi_core::MapiError;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_ATTACH_DATA_BIN, PR_ATTACH_METHOD, PR_ATTACH_NUM, PR_RECIPIENT_TYPE};
use oxmapi_core::consts::attach_method;
use oxmapi_core::error::codes;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_pst::item::{Attachment as FileAttachment, FIRST_NAMED_ID, Item, Message as FileMessage};
use oxmapi_wire::cdata::RowValue;

use super::{ItemIo, MAX_EMBEDDED_DEPTH};
use crate::profile::MapiResult;
use crate::store::{Message, OpenMode};

impl ItemIo<'_> {
    /// The message `m` (opened from this store) as an item: every property the store gives,
    /// its recipients and attachments with embedded messages; named properties renumbered
    /// into the item's local ids with their names.
    pub fn read(&mut self, m: &Message) -> MapiResult<FileMessage> {
        let item = read_item(m, 0)?;
        let mut used = BTreeSet::new();
        collect_named(&item, &mut used);
        let ids: Vec<u16> = used.into_iter().collect();
        let names = self.names.names_of(self.store, &ids)?;
        let mut out = FileMessage::default();
        let local: HashMap<u16, u16> = names.iter().map(|(sid, n)| (*sid, out.id_of(n))).collect();
        out.item = renumber(item, &local);
        Ok(out)
    }
}

/// Values a reader can use: errors (not found, too big and unread) and object placeholders
/// are not properties of the message.
fn useful(v: &TaggedValue) -> bool {
    !matches!(v.value.prop_type(), PropType::ErrorCode | PropType::Object | PropType::Null)
}

fn bag(values: Vec<TaggedValue>) -> PropBag {
    values.into_iter().filter(useful).collect()
}

/// MAPI_E_NOT_ENOUGH_MEMORY (ecMAPIOOM): in a RopGetPropertiesAll answer, a value larger than
/// the PropertySizeLimit (MS-OXCPRPT 3.2.5.1), to be read through a stream.
const VALUE_TOO_BIG: u32 = 0x8007_000E;

/// The values RopGetPropertiesAll left as ecMAPIOOM, read again with their real type: the
/// answer tags such a value PtypErrorCode, so its type comes from GetPropList and the value
/// from GetProps (which streams what is large, MS-OXCPRPT 3.1.4.2).
fn fill_too_big(mut values: Vec<TaggedValue>, access: &PropAccess<'_>) -> MapiResult<Vec<TaggedValue>> {
    if !values.iter().any(|v| v.value == PropValue::Error(VALUE_TOO_BIG)) {
        return Ok(values);
    }
    let typed = (access.list)()?;
    let wanted: Vec<PropTag> = values
        .iter()
        .filter(|v| v.value == PropValue::Error(VALUE_TOO_BIG))
        .filter_map(|v| typed.iter().find(|t| t.id() == v.tag.id()).copied())
        .collect();
    for (tag, cell) in wanted.iter().zip((access.get)(&wanted)?) {
        if let (RowValue::Value(value), Some(slot)) =
            (cell, values.iter_mut().find(|v| v.tag.id() == tag.id()))
        {
            *slot = TaggedValue { tag: *tag, value };
        }
    }
    Ok(values)
}

/// Tags read per RopGetPropertiesSpecific when the whole object does not fit in one answer
/// (each value is at most the client's inline read limit; larger ones are streamed).
const PROPS_PER_READ: usize = 8;

/// The property calls of one object (a message or an attachment).
struct PropAccess<'a> {
    all: &'a dyn Fn() -> MapiResult<Vec<TaggedValue>>,
    list: &'a dyn Fn() -> MapiResult<Vec<PropTag>>,
    get: &'a dyn Fn(&[PropTag]) -> MapiResult<Vec<RowValue>>,
}

/// Every property of an object: RopGetPropertiesAll; where its answer cannot fit in one ROP
/// response buffer (MS-OXCROPS 2.2.1: the server answers RopBufferTooSmall however few ROPs are
/// sent), the property list (RopGetPropertiesList) read in groups of [`PROPS_PER_READ`], a group
/// that still does not fit one tag at a time.
fn all_props(access: &PropAccess<'_>) -> MapiResult<Vec<TaggedValue>> {
    let first = match (access.all)() {
        Ok(values) => return fill_too_big(values, access),
        Err(e) => e,
    };
    let tags = (access.list)().map_err(|_| first)?;
    let mut out = Vec::with_capacity(tags.len());
    let mut keep = |tags: &[PropTag], cells: Vec<RowValue>| {
        for (tag, cell) in tags.iter().zip(cells) {
            if let RowValue::Value(value) = cell {
                out.push(TaggedValue { tag: *tag, value });
            }
        }
    };
    for group in tags.chunks(PROPS_PER_READ) {
        match (access.get)(group) {
            Ok(cells) => keep(group, cells),
            Err(_) => {
                for tag in group {
                    keep(std::slice::from_ref(tag), (access.get)(std::slice::from_ref(tag))?);
                }
            }
        }
    }
    Ok(out)
}

fn read_item(m: &Message, depth: usize) -> MapiResult<Item> {
    if depth > MAX_EMBEDDED_DEPTH {
        return Err(MapiError::new(
            codes::MAPI_E_TOO_COMPLEX,
            format!("embedded messages nested deeper than {MAX_EMBEDDED_DEPTH}"),
        ));
    }
    let props = bag(all_props(&PropAccess {
        all: &|| m.get_all_props(),
        list: &|| m.get_prop_list(),
        get: &|t| m.get_props(t),
    })?);
    let recipients = m
        .recipients()?
        .into_iter()
        .map(|r| {
            let mut b = bag(r.props);
            b.set(PR_RECIPIENT_TYPE, PropValue::I32(r.kind.code() as i32));
            b
        })
        .collect();
    let mut table = m.attachment_table()?;
    table.set_columns(&[PR_ATTACH_NUM])?;
    let mut nums: Vec<u32> = table
        .query_rows(usize::MAX, true)?
        .iter()
        .filter_map(|r| match r.get(PR_ATTACH_NUM) {
            Some(PropValue::I32(n)) => Some(*n as u32),
            _ => None,
        })
        .collect();
    drop(table);
    nums.sort_unstable();
    let mut attachments = Vec::with_capacity(nums.len());
    for n in nums {
        let a = m.open_attachment(n, OpenMode::ReadOnly)?;
        let mut props = bag(all_props(&PropAccess {
            all: &|| a.get_all_props(),
            list: &|| a.get_prop_list(),
            get: &|t| a.get_props(t),
        })?);
        let method = match props.get(PR_ATTACH_METHOD) {
            Some(PropValue::I32(m)) => *m,
            _ => attach_method::BY_VALUE,
        };
        let mut out = FileAttachment { props: PropBag::new(), embedded: None, storage: None };
        if method == attach_method::EMBEDDED_MSG {
            let inner = a.open_embedded_message(OpenMode::ReadOnly, false)?;
            out.embedded = Some(Box::new(read_item(&inner, depth + 1)?));
        } else if method == attach_method::OLE {
            // The storage as a compound file, as `ItemIo::write` keeps it.
            if let Some(PropValue::Binary(b)) = props.remove(PR_ATTACH_DATA_BIN) {
                out.storage = Some(b);
            }
        }
        out.props = props;
        attachments.push(out);
    }
    Ok(Item { props, recipients, attachments })
}

/// The named ids (≥ 0x8000) the item tree uses.
pub(super) fn collect_named(item: &Item, out: &mut BTreeSet<u16>) {
    let bags = std::iter::once(&item.props)
        .chain(item.recipients.iter())
        .chain(item.attachments.iter().map(|a| &a.props));
    for b in bags {
        out.extend(b.iter().map(|v| v.tag.id()).filter(|id| *id >= FIRST_NAMED_ID));
    }
    for e in item.attachments.iter().filter_map(|a| a.embedded.as_deref()) {
        collect_named(e, out);
    }
}

/// Store named ids → the item's local ids (values whose id the store cannot name are left out).
fn renumber_bag(b: PropBag, local: &HashMap<u16, u16>) -> PropBag {
    b.iter()
        .filter_map(|v| {
            let id = v.tag.id();
            let tag = if id < FIRST_NAMED_ID {
                v.tag
            } else {
                PropTag::from_parts(*local.get(&id)?, v.tag.raw_type())
            };
            Some(TaggedValue { tag, value: v.value.clone() })
        })
        .collect()
}

fn renumber(item: Item, local: &HashMap<u16, u16>) -> Item {
    Item {
        props: renumber_bag(item.props, local),
        recipients: item.recipients.into_iter().map(|r| renumber_bag(r, local)).collect(),
        attachments: item
            .attachments
            .into_iter()
            .map(|a| FileAttachment {
                props: renumber_bag(a.props, local),
                embedded: a.embedded.map(|e| Box::new(renumber(*e, local))),
                storage: a.storage,
            })
            .collect(),
    }
}
