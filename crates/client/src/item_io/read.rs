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

fn read_item(m: &Message, depth: usize) -> MapiResult<Item> {
    if depth > MAX_EMBEDDED_DEPTH {
        return Err(MapiError::new(
            codes::MAPI_E_TOO_COMPLEX,
            format!("embedded messages nested deeper than {MAX_EMBEDDED_DEPTH}"),
        ));
    }
    // GetProps without a tag list streams what is too large and falls back to the property
    // list when the answer cannot fit a response buffer (store::props).
    let props = bag(m.get_all_props()?);
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
        let mut props = bag(a.get_all_props()?);
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
