//! Messages ([MS-PST] 2.4.5) and attachments (2.4.6) into the shared [`Message`]: the
//! message's property context, its recipient table (subnode 0x692) and attachment table
//! (subnode 0x671), each attachment's property context (the subnode its row names), embedded
//! messages (PR_ATTACH_DATA_OBJ naming a subnode that holds a message) to a bounded depth,
//! and the named properties the tree uses. 8-bit strings become Unicode by the message's code
//! page ([`super::codepage`]).

use std::collections::BTreeSet;
use std::fmt;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::value::PropValue;

use super::heap::Heap;
use super::ltp::{Row, property_context, table_context};
use super::ndb::SubNodes;
use super::{PstError, PstFile};
use crate::codepage;
use crate::item::{Attachment, FIRST_NAMED_ID, Item, Message};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_DATA_OBJ, PR_ATTACH_METHOD, PR_MESSAGE_CODEPAGE, PR_MESSAGE_LOCALE_ID,
    PR_SUBJECT,
};
use oxmapi_core::consts::attach_method;

/// The deepest chain of embedded messages read.
pub const MAX_EMBED_DEPTH: usize = 32;

/// What reading one message may cost, in bytes read, as a multiple of the file's size: a
/// message's tree cannot legitimately hold more than the file, but attachment rows that all
/// name one embedded message could make a tree of 32 levels explode; past this the message is
/// refused as damaged.
pub const MESSAGE_READ_FACTOR: u64 = 2;

/// The running state of one message read: problems found and bytes spent.
struct Ctx {
    problems: Vec<String>,
    spent: u64,
    limit: u64,
}

impl Ctx {
    /// Counts `n` more bytes read; an error once the message has cost more than allowed.
    fn spend(&mut self, n: u64) -> Result<(), PstError> {
        self.spent += n;
        if self.spent > self.limit {
            return Err(PstError::Corrupt(format!(
                "the message's objects add up to more than {} bytes (its tree repeats itself)",
                self.limit
            )));
        }
        Ok(())
    }

    /// Opens a heap and counts its bytes.
    fn heap<'a>(&mut self, pst: &'a PstFile, data: u64, sub: u64) -> Result<Heap<'a>, PstError> {
        let h = Heap::open(&pst.ndb, data, sub)?;
        self.spend(h.byte_len())?;
        Ok(h)
    }
}

/// NID_RECIPIENT_TABLE: a message's recipient table subnode.
const NID_RECIPIENT_TABLE: u32 = 0x692;
/// NID_ATTACHMENT_TABLE: a message's attachment table subnode.
const NID_ATTACHMENT_TABLE: u32 = 0x671;

/// A message that could not be read: its node id and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// The message's node id.
    pub nid: u32,
    /// What is damaged.
    pub why: String,
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {:#x}: {}", self.nid, self.why)
    }
}

impl std::error::Error for ItemError {}

impl PstFile {
    /// Reads message `nid` (a row id of a contents or associated table) whole. Damage in a
    /// single property, recipient or attachment leaves that part out and is listed in the
    /// second value; damage to the message's own node is an [`ItemError`].
    pub fn message_with_problems(&self, nid: u32) -> Result<(Message, Vec<String>), ItemError> {
        let fail = |e: PstError| ItemError { nid, why: e.to_string() };
        let n = self.ndb.node(nid).ok_or_else(|| fail(PstError::Corrupt("not in the node B-tree".into())))?;
        let limit = self.ndb.size().saturating_mul(MESSAGE_READ_FACTOR).max(1 << 20);
        let mut cx = Ctx { problems: Vec::new(), spent: 0, limit };
        let heap = cx.heap(self, n.data, n.sub).map_err(fail)?;
        let item = self.item(&heap, self.codepage, 0, &mut cx).map_err(fail)?;
        let mut used = BTreeSet::new();
        named_ids(&item, &mut used);
        let names = used.into_iter().filter_map(|id| self.names.get(&id).map(|n| (id, n.clone()))).collect();
        Ok((Message { item, names }, cx.problems))
    }

    /// The properties of message `nid` alone (its property context, strings decoded with its
    /// own code page), without recipients or attachments: what a table needs for a column its
    /// table context does not carry ([MS-PST] 2.4.5.1).
    pub fn message_props(&self, nid: u32) -> Result<PropBag, ItemError> {
        let fail = |e: PstError| ItemError { nid, why: e.to_string() };
        let n = self.ndb.node(nid).ok_or_else(|| fail(PstError::Corrupt("not in the node B-tree".into())))?;
        let heap = Heap::open(&self.ndb, n.data, n.sub).map_err(fail)?;
        let (mut props, _) = property_context(&heap).map_err(fail)?;
        let cp = codepage_of(&props).unwrap_or(self.codepage);
        decode_strings(&mut props, cp);
        strip_subject_marker(&mut props);
        Ok(props)
    }

    /// The code page the file's own strings (store, folders, tables) are in.
    pub fn codepage(&self) -> u32 {
        self.codepage
    }

    /// Reads message `nid`; see [`PstFile::message_with_problems`].
    pub fn message(&self, nid: u32) -> Result<Message, ItemError> {
        self.message_with_problems(nid).map(|(m, _)| m)
    }

    /// A message (top-level or embedded) from its heap.
    fn item(&self, heap: &Heap, inherited_cp: u32, depth: usize, cx: &mut Ctx) -> Result<Item, PstError> {
        let (mut props, p) = property_context(heap)?;
        cx.spend(heap.bytes_read() - heap.byte_len())?;
        cx.problems.extend(p);
        let cp = codepage_of(&props).unwrap_or(inherited_cp);
        decode_strings(&mut props, cp);
        strip_subject_marker(&mut props);
        let mut item = Item { props, ..Item::default() };
        for r in self.sub_rows(&heap.subnodes, NID_RECIPIENT_TABLE, "recipients", cx) {
            let mut bag = r.props;
            decode_strings(&mut bag, cp);
            item.recipients.push(bag);
        }
        for r in self.sub_rows(&heap.subnodes, NID_ATTACHMENT_TABLE, "attachments", cx) {
            match self.attachment(&heap.subnodes, r.id, cp, depth, cx) {
                Ok(a) => item.attachments.push(a),
                Err(e) => cx.problems.push(format!("attachment {:#x}: {e}", r.id)),
            }
        }
        Ok(item)
    }

    /// The rows of a message's recipient or attachment table (none when it has no table).
    fn sub_rows(&self, subs: &SubNodes, nid: u32, what: &str, cx: &mut Ctx) -> Vec<Row> {
        let Some(s) = subs.get(&nid) else { return Vec::new() };
        let read = cx.heap(self, s.data, s.sub).and_then(|h| {
            let t = table_context(&h)?;
            cx.spend(h.bytes_read() - h.byte_len())?;
            Ok(t)
        });
        match read {
            Ok((rows, p)) => {
                cx.problems.extend(p.into_iter().map(|w| format!("{what}: {w}")));
                rows
            }
            Err(e) => {
                cx.problems.push(format!("{what} table: {e}"));
                Vec::new()
            }
        }
    }

    /// One attachment: its property context, and its embedded message or OLE storage.
    fn attachment(
        &self,
        subs: &SubNodes,
        aid: u32,
        cp: u32,
        depth: usize,
        cx: &mut Ctx,
    ) -> Result<Attachment, PstError> {
        let s = subs.get(&aid).ok_or_else(|| PstError::Corrupt("its subnode is missing".into()))?;
        let heap = cx.heap(self, s.data, s.sub)?;
        let (mut props, p) = property_context(&heap)?;
        cx.spend(heap.bytes_read() - heap.byte_len())?;
        cx.problems.extend(p.into_iter().map(|w| format!("attachment {aid:#x}: {w}")));
        decode_strings(&mut props, cp);
        let mut att = Attachment { props, ..Default::default() };
        // PropBag is keyed by id: look before removing, so PR_ATTACH_DATA_BIN stays.
        let Some(PropValue::Object(obj)) = att.props.get(PR_ATTACH_DATA_OBJ).cloned() else {
            return Ok(att);
        };
        att.props.remove(PR_ATTACH_DATA_OBJ);
        let o = heap
            .subnodes
            .get(&obj)
            .ok_or_else(|| PstError::Corrupt(format!("data object subnode {obj:#x} is missing")))?;
        let embedded =
            matches!(att.props.get(PR_ATTACH_METHOD), Some(PropValue::I32(attach_method::EMBEDDED_MSG)));
        if embedded {
            if depth >= MAX_EMBED_DEPTH {
                return Err(PstError::Corrupt(format!(
                    "embedded messages nested deeper than {MAX_EMBED_DEPTH}"
                )));
            }
            let inner = cx.heap(self, o.data, o.sub)?;
            att.embedded = Some(Box::new(self.item(&inner, cp, depth + 1, cx)?));
        } else {
            let data = self.ndb.data(o.data)?;
            cx.spend(data.len() as u64)?;
            if matches!(att.props.get(PR_ATTACH_METHOD), Some(PropValue::I32(attach_method::OLE))) {
                // An OLE attachment's object is a compound file (MS-PST 2.4.6.2; MS-OXCMSG
                // 2.2.2.8): kept whole, as the MSG reader keeps its storage.
                att.storage = Some(data);
            } else {
                att.props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(data));
            }
        }
        Ok(att)
    }
}

/// A message's own code page for 8-bit strings: PR_MESSAGE_CODEPAGE, else the ANSI code page
/// of PR_MESSAGE_LOCALE_ID.
fn codepage_of(props: &PropBag) -> Option<u32> {
    match (props.get(PR_MESSAGE_CODEPAGE), props.get(PR_MESSAGE_LOCALE_ID)) {
        (Some(PropValue::I32(cp)), _) if codepage::encoding_for(*cp as u32).is_some() => Some(*cp as u32),
        (_, Some(PropValue::I32(lcid))) => codepage::ansi_codepage_of_lcid(*lcid as u32),
        _ => None,
    }
}

/// NID_TYPE_NORMAL_MESSAGE ([MS-PST] 2.2.2.1).
const NID_TYPE_NORMAL_MESSAGE: u32 = 0x04;
/// How many messages [`recorded_codepage`] looks at.
const CODEPAGE_SAMPLE: usize = 16;

/// The code page the file's messages record (PR_MESSAGE_CODEPAGE, else the ANSI code page of
/// PR_MESSAGE_LOCALE_ID), for a file whose message store records none: an ANSI PST's folder
/// names and table cells are in the code page of the Outlook that wrote it, and its messages
/// say which that is. The first of the first [`CODEPAGE_SAMPLE`] messages that says so wins.
pub(super) fn recorded_codepage(ndb: &super::ndb::Ndb) -> Option<u32> {
    ndb.nodes_of_type(NID_TYPE_NORMAL_MESSAGE).into_iter().take(CODEPAGE_SAMPLE).find_map(|nid| {
        let n = ndb.node(nid)?;
        let heap = Heap::open(ndb, n.data, n.sub).ok()?;
        let (props, _) = property_context(&heap).ok()?;
        codepage_of(&props)
    })
}

/// Turns every PT_STRING8 / PT_MV_STRING8 value into its Unicode form.
fn decode_strings(bag: &mut PropBag, cp: u32) {
    codepage::decode_string8_props(bag, cp);
}

/// PR_SUBJECT as a PST stores it may begin with U+0001 and a character giving the length of
/// the subject prefix (as Outlook stores it; libpff and readpst strip it too): the two are a
/// storage detail, not part of the subject.
pub fn strip_subject_marker(props: &mut PropBag) {
    if let Some(PropValue::Unicode(s)) = props.get(PR_SUBJECT) {
        if s.starts_with('\u{1}') {
            let rest: String = s.chars().skip(2).collect();
            props.set(PR_SUBJECT, PropValue::Unicode(rest));
        }
    }
}

/// Collects the named ids (≥ 0x8000) a message tree uses.
fn named_ids(item: &Item, out: &mut BTreeSet<u16>) {
    let bags = std::iter::once(&item.props)
        .chain(item.recipients.iter())
        .chain(item.attachments.iter().map(|a| &a.props));
    for b in bags {
        out.extend(b.iter().map(|t| (t.tag.0 >> 16) as u16).filter(|id| *id >= FIRST_NAMED_ID));
    }
    for a in &item.attachments {
        if let Some(e) = &a.embedded {
            named_ids(e, out);
        }
    }
}
