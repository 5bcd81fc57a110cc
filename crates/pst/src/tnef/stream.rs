//! The TNEF attribute stream ([MS-OXTNEF] 2.1.3.1–2.1.3.3): signature, legacy key, then
//! attributes (level, id, length, data, checksum). Message-level attributes fill the
//! message; attAttachRendData starts an attachment and the attachment-level attributes after
//! it fill that one. Checksums are not enforced (writers disagree on them; the bounds checks
//! are what protect the reader).

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::guid::Guid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::TNEF_SIGNATURE;
use super::props::{Key, Prop, read_list, read_rows};
use super::reader::Cursor;
use crate::codepage;
use crate::item::{Attachment, Item, Message};
use crate::mime::adopt::adopt;

/// How deep embedded messages (TNEF in PR_ATTACH_DATA_OBJ) may nest (8); deeper ones are
/// refused with [`TnefError::TooDeep`].
pub const MAX_TNEF_DEPTH: usize = 8;

/// The code page of 8-bit strings when the stream has no attOemCodepage.
const DEFAULT_CODEPAGE: u32 = 1252;

// Attribute ids, type included ([MS-OXTNEF] 2.1.3.3).
const ATT_OEM_CODEPAGE: u32 = 0x0006_9007;
const ATT_MSG_PROPS: u32 = 0x0006_9003;
const ATT_RECIP_TABLE: u32 = 0x0006_9004;
const ATT_MESSAGE_CLASS: u32 = 0x0007_8008;
const ATT_SUBJECT: u32 = 0x0001_8004;
const ATT_BODY: u32 = 0x0002_800C;
const ATT_ATTACH_REND_DATA: u32 = 0x0006_9002;
const ATT_ATTACH_DATA: u32 = 0x0006_800F;
const ATT_ATTACH_TITLE: u32 = 0x0001_8010;
const ATT_ATTACHMENT: u32 = 0x0006_9005;
/// Attribute levels.
const LVL_MESSAGE: u8 = 1;
const LVL_ATTACHMENT: u8 = 2;
/// IID_IMessage {00020307-0000-0000-C000-000000000046}: a PR_ATTACH_DATA_OBJ holding an
/// embedded message as TNEF.
const IID_IMESSAGE: Guid = Guid::from_fields(0x0002_0307, 0, 0, [0xC0, 0, 0, 0, 0, 0, 0, 0x46]);
use oxmapi_core::consts::attach_method::{BY_VALUE as ATTACH_BY_VALUE, EMBEDDED_MSG as ATTACH_EMBEDDED_MSG};

/// Why a TNEF stream could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TnefError {
    /// The stream does not start with [`TNEF_SIGNATURE`].
    BadSignature,
    /// An attribute or value runs past the end of its data.
    Truncated,
    /// A property type the format does not define.
    UnknownType(u16),
    /// A named property whose kind is neither MNID_ID nor MNID_STRING.
    BadNameKind(u32),
    /// Embedded messages nested deeper than [`MAX_TNEF_DEPTH`].
    TooDeep,
}

impl std::fmt::Display for TnefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TnefError::BadSignature => write!(f, "not a TNEF stream (bad signature)"),
            TnefError::Truncated => write!(f, "TNEF stream is truncated"),
            TnefError::UnknownType(t) => write!(f, "TNEF property of unknown type 0x{t:04X}"),
            TnefError::BadNameKind(k) => write!(f, "TNEF named property of unknown kind {k}"),
            TnefError::TooDeep => write!(f, "TNEF embedded messages nest deeper than {MAX_TNEF_DEPTH}"),
        }
    }
}

impl std::error::Error for TnefError {}

/// Reads a TNEF stream into a message (its own named-property map).
pub fn read(data: &[u8]) -> Result<Message, TnefError> {
    read_at(data, 0)
}

fn read_at(data: &[u8], depth: usize) -> Result<Message, TnefError> {
    if depth > MAX_TNEF_DEPTH {
        return Err(TnefError::TooDeep);
    }
    let mut c = Cursor::new(data);
    if c.u32()? != TNEF_SIGNATURE {
        return Err(TnefError::BadSignature);
    }
    let _legacy_key = c.u16()?;
    let mut msg = Message::default();
    let mut codepage = DEFAULT_CODEPAGE;
    while !c.is_empty() {
        let level = c.u8()?;
        let id = c.u32()?;
        let len = c.u32()? as usize;
        let value = c.bytes(len)?;
        let _checksum = c.u16()?;
        let legacy = |v: &[u8]| {
            let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
            PropValue::Unicode(codepage::decode(&v[..end], codepage))
        };
        match (level, id) {
            (_, ATT_OEM_CODEPAGE) if value.len() >= 4 => {
                codepage = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
            }
            (LVL_MESSAGE, ATT_MESSAGE_CLASS) => msg.item.props.set(PR_MESSAGE_CLASS, legacy(value)),
            (LVL_MESSAGE, ATT_SUBJECT) => msg.item.props.set(PR_SUBJECT, legacy(value)),
            (LVL_MESSAGE, ATT_BODY) => msg.item.props.set(PR_BODY, legacy(value)),
            (LVL_MESSAGE, ATT_MSG_PROPS) => {
                let props = read_list(value, codepage)?;
                apply(&mut msg, None, props, depth)?;
            }
            (LVL_MESSAGE, ATT_RECIP_TABLE) => {
                for row in read_rows(value, codepage)? {
                    msg.item.recipients.push(Default::default());
                    let at = msg.item.recipients.len() - 1;
                    apply(&mut msg, Some(Target::Recipient(at)), row, depth)?;
                }
            }
            (LVL_ATTACHMENT, ATT_ATTACH_REND_DATA) => {
                let mut a = Attachment::default();
                a.props.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_BY_VALUE));
                msg.item.attachments.push(a);
            }
            (LVL_ATTACHMENT, _) if msg.item.attachments.is_empty() => {}
            (LVL_ATTACHMENT, ATT_ATTACH_DATA) => {
                last(&mut msg).props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(value.to_vec()));
            }
            (LVL_ATTACHMENT, ATT_ATTACH_TITLE) => last(&mut msg).props.set(PR_ATTACH_FILENAME, legacy(value)),
            (LVL_ATTACHMENT, ATT_ATTACHMENT) => {
                let props = read_list(value, codepage)?;
                let at = msg.item.attachments.len() - 1;
                apply(&mut msg, Some(Target::Attachment(at)), props, depth)?;
            }
            _ => {}
        }
    }
    Ok(msg)
}

fn last(msg: &mut Message) -> &mut Attachment {
    let at = msg.item.attachments.len() - 1;
    &mut msg.item.attachments[at]
}

/// Where a property list goes: the message (None), a recipient row or an attachment.
enum Target {
    Recipient(usize),
    Attachment(usize),
}

fn apply(msg: &mut Message, target: Option<Target>, props: Vec<Prop>, depth: usize) -> Result<(), TnefError> {
    for p in props {
        let id = match &p.key {
            Key::Id(id) => *id,
            Key::Named(name) => msg.id_of(name),
        };
        let tag = PropTag::new(id, p.value.prop_type());
        if let (Some(obj), Some(Target::Attachment(at))) = (&p.object, &target) {
            if id == PR_ATTACH_DATA_OBJ.id() {
                attach_object(msg, *at, obj, depth)?;
            }
            continue;
        }
        if p.object.is_some() {
            continue;
        }
        let bag = match &target {
            None => &mut msg.item.props,
            Some(Target::Recipient(i)) => &mut msg.item.recipients[*i],
            Some(Target::Attachment(i)) => &mut msg.item.attachments[*i].props,
        };
        bag.set(tag, p.value);
    }
    Ok(())
}

/// PR_ATTACH_DATA_OBJ: an embedded message (IID_IMessage + TNEF) or other object data,
/// kept as PR_ATTACH_DATA_BIN without the IID.
fn attach_object(msg: &mut Message, at: usize, obj: &[u8], depth: usize) -> Result<(), TnefError> {
    let (iid, rest) = if obj.len() >= 16 { obj.split_at(16) } else { (&[][..], obj) };
    if iid == IID_IMESSAGE.0 {
        let inner = read_at(rest, depth + 1)?;
        let item: Item = adopt(msg, inner);
        let a = &mut msg.item.attachments[at];
        a.props.set(PR_ATTACH_METHOD, PropValue::I32(ATTACH_EMBEDDED_MSG));
        a.props.remove(PR_ATTACH_DATA_BIN);
        a.embedded = Some(Box::new(item));
    } else {
        msg.item.attachments[at].props.set(PR_ATTACH_DATA_BIN, PropValue::Binary(rest.to_vec()));
    }
    Ok(())
}
