//! A message as a PST stores it ([MS-PST] 2.4.5, 2.4.6): the message's property context, its
//! recipient table (subnode 0x692, one row per recipient with every property the recipient
//! has), its attachment table (subnode 0x671, one summary row per attachment, the row id
//! naming the attachment's subnode), one attachment object per attachment (a property context
//! in a NID_TYPE_ATTACHMENT subnode) and, under an attachment, its PR_ATTACH_DATA_OBJ: an
//! embedded message (a message node of its own, nested) or an OLE storage (raw bytes).
//!
//! Named properties arrive with the message's own local ids ([`Message::names`]) and leave
//! with the file's ids ([`NameMap`]); a local id the message gives no name for cannot be
//! mapped and is left out.

use std::collections::BTreeSet;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_DATA_OBJ, PR_ATTACH_METHOD, PR_ATTACH_SIZE, PR_DISPLAY_BCC, PR_DISPLAY_CC,
    PR_DISPLAY_NAME, PR_DISPLAY_TO, PR_ENTRYID, PR_INSTANCE_KEY, PR_MAPPING_SIGNATURE, PR_MESSAGE_FLAGS,
    PR_MESSAGE_SIZE, PR_PARENT_ENTRYID, PR_RECIPIENT_TYPE, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY,
};
use oxmapi_core::consts::{attach_method, message_flags, recipient_type};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::NodeContent;
use super::names::NameMap;
use super::pc::build_pc;
use super::tc::build_tc;
use super::template::{
    ATTACHMENT_COLUMNS, LTP_ROW_ID, LTP_ROW_VER, NID_ATTACHMENT_TABLE, NID_RECIPIENT_TABLE,
    NID_TYPE_ATTACHMENT, NID_TYPE_NORMAL_MESSAGE, RECIPIENT_COLUMNS, columns,
};
use super::value::encode_value;
use crate::item::{FIRST_NAMED_ID, Item, Message};
use crate::pst::PstError;
use crate::pst::ltp::Row;
use crate::pst::message::MAX_EMBED_DEPTH;

/// The subnode id of an attachment's data object (embedded message or OLE storage) inside
/// the attachment's node: subnode ids are local to their node ([MS-PST] 2.2.2.8.3.3).
const DATA_OBJECT_NID: u32 = (1 << 5) | NID_TYPE_NORMAL_MESSAGE as u32;
/// The first index of attachment subnode ids (Outlook numbers them from 0x400 too).
const FIRST_ATTACHMENT_INDEX: u32 = 0x400;

/// Properties a PST computes from the node itself ([MS-PST] 2.4.2.3 calculated properties:
/// SPGET_EID, SPGET_PARENTEID, SPGET_STOREEID, …) and the table bookkeeping columns: never stored.
const CALCULATED: &[PropTag] = &[
    PR_ENTRYID,
    PR_PARENT_ENTRYID,
    PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY,
    PR_INSTANCE_KEY,
    PR_MAPPING_SIGNATURE,
];

/// A message encoded for the NDB layer.
pub struct Encoded {
    /// The node: the message's property context with its subnodes.
    pub content: NodeContent,
    /// The message's stored properties (for its contents table row).
    pub props: PropBag,
}

/// Encodes a top-level message, mapping its named properties into `names`.
pub fn encode_message(msg: &Message, names: &mut NameMap) -> Result<Encoded, PstError> {
    let mut cx = Mapper { msg, names };
    encode_item(&msg.item, &mut cx, 0)
}

/// Maps a message's local named ids to the file's.
struct Mapper<'a> {
    msg: &'a Message,
    names: &'a mut NameMap,
}

impl Mapper<'_> {
    /// `bag` with file ids for named properties, without calculated properties.
    fn bag(&mut self, bag: &PropBag) -> Result<PropBag, PstError> {
        let mut out = PropBag::new();
        for tv in bag.iter() {
            if let Some(t) = self.tag(tv.tag)? {
                out.set(t, tv.value.clone());
            }
        }
        Ok(out)
    }

    /// The tag to store `tag` under, `None` when it is not stored.
    fn tag(&mut self, tag: PropTag) -> Result<Option<PropTag>, PstError> {
        let id = tag.id();
        if CALCULATED.iter().any(|c| c.id() == id) || id == LTP_ROW_ID || id == LTP_ROW_VER {
            return Ok(None);
        }
        if id < FIRST_NAMED_ID {
            return Ok(Some(tag));
        }
        let Some(name) = self.msg.name_of(id) else { return Ok(None) };
        let file_id = self.names.id_of(name)?;
        Ok(Some(PropTag(((file_id as u32) << 16) | tag.raw_type() as u32)))
    }
}

/// Encodes a message (top-level or embedded) with its recipients and attachments.
fn encode_item(item: &Item, cx: &mut Mapper, depth: usize) -> Result<Encoded, PstError> {
    if depth > MAX_EMBED_DEPTH {
        return Err(PstError::Corrupt(format!(
            "embedded messages nested deeper than {MAX_EMBED_DEPTH} (MAPI_E_TOO_COMPLEX)"
        )));
    }
    let mut props = cx.bag(&item.props)?;
    // Both tables are written even when empty, so every message has a subnode tree, as
    // Outlook's messages do (outlook-pst refuses a message without one: "Missing Sub-Node Tree
    // on message"); [MS-PST] 2.4.5 sample 3.13 shows the recipient TC of a message.
    let mut subnodes = Vec::new();
    let recipients = item
        .recipients
        .iter()
        .enumerate()
        .map(|(i, r)| Ok(Row { id: i as u32, props: cx.bag(r)? }))
        .collect::<Result<Vec<_>, PstError>>()?;
    if !recipients.is_empty() {
        fill_display_lists(&mut props, &recipients);
    }
    subnodes
        .push((NID_RECIPIENT_TABLE, build_tc(&table_columns(RECIPIENT_COLUMNS, &recipients), &recipients)));
    let mut rows = Vec::with_capacity(item.attachments.len());
    let mut objects = Vec::with_capacity(item.attachments.len());
    for (i, att) in item.attachments.iter().enumerate() {
        let nid = ((FIRST_ATTACHMENT_INDEX + i as u32) << 5) | NID_TYPE_ATTACHMENT as u32;
        let (content, aprops) = encode_attachment(att, cx, depth)?;
        let summary: PropBag = ATTACHMENT_COLUMNS
            .iter()
            .filter_map(|t| aprops.get(PropTag(*t)).map(|v| TaggedValue::new(PropTag(*t), v.clone())))
            .collect();
        rows.push(Row { id: nid, props: summary });
        objects.push((nid, content));
    }
    subnodes.push((NID_ATTACHMENT_TABLE, build_tc(&columns(ATTACHMENT_COLUMNS), &rows)));
    subnodes.extend(objects);
    if !item.attachments.is_empty() {
        let flags = match props.get(PR_MESSAGE_FLAGS) {
            Some(PropValue::I32(f)) => *f,
            _ => 0,
        };
        props.set(PR_MESSAGE_FLAGS, PropValue::I32(flags | message_flags::MSGFLAG_HASATTACH as i32));
    }
    // PR_MESSAGE_SIZE as a store reports it: the bytes of the message's properties, tables and
    // attachments ([MS-PST] 2.4.2.3 lists it as stored in the PC; Outlook keeps it this way).
    let size = props_len(&props) + subnodes.iter().map(|(_, c)| tree_len(c)).sum::<u64>();
    props.set(PR_MESSAGE_SIZE, PropValue::I32(size.min(i32::MAX as u64) as i32));
    let mut content = build_pc(&props, Vec::new());
    content.subnodes.extend(subnodes);
    Ok(Encoded { content, props })
}

/// An attachment object: its property context and, as its subnode, its data object.
fn encode_attachment(
    att: &crate::item::Attachment,
    cx: &mut Mapper,
    depth: usize,
) -> Result<(NodeContent, PropBag), PstError> {
    let mut props = cx.bag(&att.props)?;
    // PR_ATTACH_DATA_OBJ and PR_ATTACH_DATA_BIN share an id: only an object value is dropped
    // (the object is the attachment's embedded message or storage, written below).
    if matches!(props.get(PR_ATTACH_DATA_OBJ), Some(PropValue::Object(_))) {
        props.remove(PR_ATTACH_DATA_OBJ);
    }
    let object = if let Some(inner) = &att.embedded {
        if props.get(PR_ATTACH_METHOD).is_none() {
            props.set(PR_ATTACH_METHOD, PropValue::I32(attach_method::EMBEDDED_MSG));
        }
        Some(encode_item(inner, cx, depth + 1)?.content)
    } else if let Some(storage) = &att.storage {
        if props.get(PR_ATTACH_METHOD).is_none() {
            props.set(PR_ATTACH_METHOD, PropValue::I32(attach_method::OLE));
        }
        Some(NodeContent::raw(storage))
    } else {
        // PR_ATTACH_METHOD is a required attachment property (MAPI IAttach; [MS-PST] 2.4.6.2
        // lists it in every attachment object PC): a source attachment without one (seen in
        // OSTs) gets afByValue where it has data, else afNone. outlook-pst refuses an
        // attachment without it ("Missing PidTagAttachMethod").
        if props.get(PR_ATTACH_METHOD).is_none() {
            let by_value = matches!(props.get(PR_ATTACH_DATA_BIN), Some(PropValue::Binary(_)));
            let method = if by_value { attach_method::BY_VALUE } else { attach_method::NO_ATTACHMENT };
            props.set(PR_ATTACH_METHOD, PropValue::I32(method));
        }
        None
    };
    let object_len = object.as_ref().map_or(0, tree_len);
    props.set(PR_ATTACH_SIZE, PropValue::I32((props_len(&props) + object_len).min(i32::MAX as u64) as i32));
    let mut objects = Vec::new();
    if let Some(o) = object {
        props.set(PR_ATTACH_DATA_OBJ, PropValue::Object(DATA_OBJECT_NID));
        objects.push((DATA_OBJECT_NID, o));
    }
    let content = build_pc(&props, objects);
    if matches!(props.get(PR_ATTACH_DATA_OBJ), Some(PropValue::Object(_))) {
        props.remove(PR_ATTACH_DATA_OBJ);
    }
    Ok((content, props))
}

/// PR_DISPLAY_TO / _CC / _BCC from the recipients when the message does not carry them
/// ([MS-PST] 2.4.2.3: SPGET_DISPLAY, computed from the recipient table).
fn fill_display_lists(props: &mut PropBag, rows: &[Row]) {
    let lists = [
        (PR_DISPLAY_TO, recipient_type::MAPI_TO),
        (PR_DISPLAY_CC, recipient_type::MAPI_CC),
        (PR_DISPLAY_BCC, recipient_type::MAPI_BCC),
    ];
    for (tag, kind) in lists {
        if props.get(tag).is_some() {
            continue;
        }
        let names: Vec<String> = rows
            .iter()
            .filter(|r| {
                matches!(r.props.get(PR_RECIPIENT_TYPE), Some(PropValue::I32(t)) if recipient_type::kind(*t as u32) == kind)
            })
            .filter_map(|r| match r.props.get(PR_DISPLAY_NAME) {
                Some(PropValue::Unicode(s)) => Some(s.clone()),
                _ => None,
            })
            .collect();
        props.set(tag, PropValue::Unicode(names.join("; ")));
    }
}

/// A table's columns: `template`, plus a column for every other property a row has.
pub(super) fn table_columns(template: &[u32], rows: &[Row]) -> Vec<PropTag> {
    let mut ids: BTreeSet<u16> = template.iter().map(|t| (t >> 16) as u16).collect();
    let mut cols = columns(template);
    for r in rows {
        for tv in r.props.iter() {
            if ids.insert(tv.tag.id()) {
                cols.push(tv.tag);
            }
        }
    }
    cols.sort_by_key(|t| t.id());
    cols
}

/// The stored size of a set of properties: each value's encoded bytes.
fn props_len(props: &PropBag) -> u64 {
    props.iter().map(|tv| encode_value(&tv.value).len() as u64).sum()
}

/// The bytes of a node with all its subnodes.
pub fn tree_len(c: &NodeContent) -> u64 {
    c.data_len() as u64 + c.subnodes.iter().map(|(_, s)| tree_len(s)).sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::PstFile;
    use crate::pst::ndb::Ndb;
    use crate::pst::write::testkit::{assert_same_message, rich_message};

    /// Reads `msg` back through the reader from an in-memory file holding only its node.
    fn read_back(msg: &Message) -> (Message, Encoded, NameMap) {
        let mut names = NameMap::new();
        let enc = encode_message(msg, &mut names).unwrap();
        let ndb = Ndb::from_nodes(&[(0x200024, enc.content.clone())]);
        let pst = PstFile {
            ndb,
            store: PropBag::new(),
            names: names.entries().clone(),
            codepage: crate::codepage::CP_WINDOWS_1252,
            problems: Vec::new(),
        };
        (pst.message(0x200024).unwrap(), enc, names)
    }

    #[test]
    fn a_message_with_every_part_reads_back_whole() {
        let msg = rich_message("x");
        let (back, enc, names) = read_back(&msg);
        assert_same_message(&msg, &back);
        // Three names used, mapped to the file's first ids.
        assert_eq!(names.entries().len(), 3);
        assert!(back.names.keys().all(|id| *id >= FIRST_NAMED_ID));
        // Computed: the size, the display lists, the has-attachments flag.
        let size = match back.item.props.get(PR_MESSAGE_SIZE) {
            Some(PropValue::I32(n)) => *n as u64,
            other => panic!("PR_MESSAGE_SIZE {other:?}"),
        };
        assert!(size >= tree_len(&enc.content) - 4096 && size > 20_000, "size {size}");
        assert_eq!(back.item.props.get(PR_DISPLAY_TO), Some(&PropValue::Unicode("to@example.test".into())));
        assert_eq!(back.item.props.get(PR_DISPLAY_CC), Some(&PropValue::Unicode("Carol".into())));
        assert_eq!(back.item.props.get(PR_DISPLAY_BCC), Some(&PropValue::Unicode("Bob".into())));
        assert_eq!(
            back.item.props.get(PR_MESSAGE_FLAGS),
            Some(&PropValue::I32(1 | message_flags::MSGFLAG_HASATTACH as i32))
        );
    }

    /// outlook-pst drops a message whose node has no subnode tree ("Missing Sub-Node Tree on
    /// message"): a message without recipients or attachments, and the embedded message of an
    /// attachment, still carry an (empty) recipient table and attachment table.
    #[test]
    fn a_message_without_recipients_or_attachments_still_has_both_tables_for_outlook_pst() {
        let bare = Item {
            props: PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode("bare".into())),
            ..Item::default()
        };
        let outer = Item {
            attachments: vec![crate::item::Attachment {
                embedded: Some(Box::new(bare.clone())),
                ..Default::default()
            }],
            ..bare.clone()
        };
        let msg = Message { item: outer, names: Default::default() };
        let enc = encode_message(&msg, &mut NameMap::new()).unwrap();
        let has = |c: &NodeContent, nid: u32| c.subnodes.iter().any(|(n, _)| *n == nid);
        assert!(has(&enc.content, NID_RECIPIENT_TABLE) && has(&enc.content, NID_ATTACHMENT_TABLE));
        let attachment =
            &enc.content.subnodes.iter().find(|(n, _)| *n & 0x1F == NID_TYPE_ATTACHMENT as u32).unwrap().1;
        let embedded = &attachment.subnodes.iter().find(|(n, _)| *n == DATA_OBJECT_NID).unwrap().1;
        assert!(has(embedded, NID_RECIPIENT_TABLE) && has(embedded, NID_ATTACHMENT_TABLE));
        // The reader sees no recipients and no attachments where there are none, and no
        // has-attachments flag on the bare embedded message.
        let (back, _, _) = read_back(&msg);
        assert!(back.item.recipients.is_empty());
        let inner = back.item.attachments[0].embedded.as_ref().unwrap();
        assert!(inner.recipients.is_empty() && inner.attachments.is_empty());
        assert!(inner.props.get(PR_MESSAGE_FLAGS).is_none());
    }

    /// outlook-pst drops an attachment without PR_ATTACH_METHOD (OST attachments lack it):
    /// the writer gives one, afByValue where the attachment has data, else afNone.
    #[test]
    fn an_attachment_without_a_method_gets_one_for_outlook_pst() {
        let data = crate::item::Attachment {
            props: PropBag::new().with(PR_ATTACH_DATA_BIN, PropValue::Binary(vec![1, 2, 3])),
            ..Default::default()
        };
        let empty = crate::item::Attachment::default();
        let item = Item { attachments: vec![data, empty], ..Item::default() };
        let (back, _, _) = read_back(&Message { item, names: Default::default() });
        let methods: Vec<_> =
            back.item.attachments.iter().map(|a| a.props.get(PR_ATTACH_METHOD).cloned()).collect();
        assert_eq!(
            methods,
            [
                Some(PropValue::I32(attach_method::BY_VALUE)),
                Some(PropValue::I32(attach_method::NO_ATTACHMENT))
            ]
        );
        assert_eq!(
            back.item.attachments[0].props.get(PR_ATTACH_DATA_BIN),
            Some(&PropValue::Binary(vec![1, 2, 3]))
        );
    }

    /// An OLE attachment's property context as [MS-PST] 2.4.6.2 and 2.3.3.5 lay it out and
    /// as Outlook writes it: PR_ATTACH_METHOD beside a PtypObject record whose HID names an
    /// 8-byte (NID, size) item for the storage subnode, all in one BTH leaf (bIdxLevels 0).
    /// outlook-pst 1.2.0 cannot parse the PtypObject record and loses the records after it
    /// (`tests/outlook_pst_peer.rs`); ending the leaf after it would get outlook-pst past it,
    /// but readpst and pst-extractor then lose the attachments (tried on a converted
    /// SampleOstFile.ost): the single leaf stays.
    #[test]
    fn an_ole_attachment_pc_keeps_its_object_record_in_one_bth_leaf() {
        let storage = vec![0xD0, 0xCF, 0x11, 0xE0, 9, 9];
        let ole = crate::item::Attachment {
            props: PropBag::new().with(PR_ATTACH_METHOD, PropValue::I32(attach_method::OLE)),
            storage: Some(storage.clone()),
            ..Default::default()
        };
        let msg =
            Message { item: Item { attachments: vec![ole], ..Item::default() }, names: Default::default() };
        let enc = encode_message(&msg, &mut NameMap::new()).unwrap();
        let (_, att) =
            enc.content.subnodes.iter().find(|(n, _)| *n & 0x1F == NID_TYPE_ATTACHMENT as u32).unwrap();
        let ndb = Ndb::from_nodes(&[(0x21, att.clone())]);
        let n = ndb.node(0x21).unwrap();
        let heap = crate::pst::heap::Heap::open(&ndb, n.data, n.sub).unwrap();
        let header = heap.item(0x20).unwrap();
        assert_eq!(&header[..4], &[0xB5, 2, 6, 0], "a BTH of 2-byte keys, 6-byte records, no index level");
        let records = heap.bth_records(0x20).unwrap();
        let record = |id: u16| records.iter().find(|r| r.0 == id.to_le_bytes()).map(|r| r.1.clone()).unwrap();
        assert_eq!(record(0x3705), [0x03, 0x00, 6, 0, 0, 0], "PR_ATTACH_METHOD: PtypInteger32, ATTACH_OLE");
        let object = record(0x3701);
        assert_eq!(object[..2], [0x0D, 0x00], "PR_ATTACH_DATA_OBJ: PtypObject");
        let hid = u32::from_le_bytes([object[2], object[3], object[4], object[5]]);
        let item = heap.item(hid).unwrap();
        assert_eq!(item.len(), 8);
        assert_eq!(u32::from_le_bytes([item[0], item[1], item[2], item[3]]), DATA_OBJECT_NID);
        assert_eq!(u32::from_le_bytes([item[4], item[5], item[6], item[7]]) as usize, storage.len());
        assert!(att.subnodes.iter().any(|(nid, c)| *nid == DATA_OBJECT_NID && c.data_len() == storage.len()));
    }

    #[test]
    fn a_local_id_without_a_name_is_left_out_not_stored_under_a_wrong_name() {
        let mut msg = rich_message("y");
        msg.item.props.set(PropTag(0x9999_0003), PropValue::I32(7));
        let (back, _, _) = read_back(&msg);
        assert!(back.item.props.iter().all(|tv| tv.value != PropValue::I32(7)));
    }

    #[test]
    fn embedded_messages_past_the_depth_limit_are_refused() {
        let mut item = Item::default();
        for _ in 0..=MAX_EMBED_DEPTH + 1 {
            item = Item {
                attachments: vec![crate::item::Attachment {
                    embedded: Some(Box::new(item)),
                    ..Default::default()
                }],
                ..Item::default()
            };
        }
        let msg = Message { item, names: Default::default() };
        assert!(encode_message(&msg, &mut NameMap::new()).is_err());
    }
}
