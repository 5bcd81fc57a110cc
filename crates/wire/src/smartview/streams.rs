//! Outlook's form and field streams: PidLidVerbStream (MS-OXOMSG 2.2.1.74: VoteOption
//! structures, then VoteOptionExtras) and PidTagUserFields (0x36E3, the folder's user-defined fields,
//! read as MFCMAPI's FolderUserFieldStream reads it: an ANSI then a Unicode list of fields).

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{ansi, count, enumerated, flags, guid, hex32, hexn, int, utf16_units};
use super::flags::{FOLDER_FIELD_CAPS, FOLDER_FIELD_TYPE, VERB_ID};
use crate::describe::Node;

/// Version of VerbStream and of its extra data.
const VERB_STREAM_VERSION: u16 = 0x0102;
const VERB_EXTRA_VERSION: u16 = 0x0104;

fn counted_ansi(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u8(what)? as usize;
    Ok(Node::str(ansi(r.take(n, what)?)))
}

fn counted_unicode(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u8(what)? as usize;
    Ok(Node::str(utf16_units(r, n, what)?))
}

/// One VerbData.
fn verb_data(r: &mut Reader<'_>) -> DecodeResult<Node> {
    let verb_type = r.u32("VerbType")?;
    let display_name = counted_ansi(r, "DisplayName")?;
    let msg_class = counted_ansi(r, "MsgClsName")?;
    let internal1 = counted_ansi(r, "Internal1String")?;
    let display_repeat = counted_ansi(r, "DisplayNameRepeat")?;
    let internal2 = r.u32("Internal2")?;
    let internal3 = r.u8("Internal3")?;
    let us_headers = r.u32("fUseUSHeaders")?;
    let internal4 = r.u32("Internal4")?;
    let send_behavior = r.u32("SendBehavior")?;
    let internal5 = r.u32("Internal5")?;
    let id = r.u32("ID")?;
    let internal6 = r.u32("Internal6")?;
    Ok(Node::map([
        ("verb_type", hex32(verb_type)),
        ("display_name", display_name),
        ("message_class", msg_class),
        ("internal1", internal1),
        ("display_name_repeat", display_repeat),
        ("internal2", hex32(internal2)),
        ("internal3", hexn(internal3 as u64, 1)),
        ("use_us_headers", hex32(us_headers)),
        ("internal4", hex32(internal4)),
        ("send_behavior", hex32(send_behavior)),
        ("internal5", hex32(internal5)),
        ("id", enumerated(id, VERB_ID)),
        ("internal6", hex32(internal6)),
    ]))
}

/// PidLidVerbStream: Version 0x0102, Count, Count VerbData, Version2 0x0104, Count
/// VerbExtraData (the display names again, in UTF-16).
pub fn verb_stream(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let version = r.u16("Version")?;
    if version != VERB_STREAM_VERSION {
        return Err(Reader::new(b).invalid("Version", format!("0x{version:04X}, not 0x0102")));
    }
    let n = r.u32("Count")?;
    let n = count(&r, n as u64, 33, "Count")?;
    let mut verbs = Vec::with_capacity(n);
    for _ in 0..n {
        verbs.push(verb_data(&mut r)?);
    }
    let mut out = Node::map([
        ("version", hexn(version as u64, 2)),
        ("count", int(n as u32)),
        ("verbs", Node::List(verbs)),
    ]);
    if !r.is_empty() {
        let v2 = r.u16("Version2")?;
        if v2 != VERB_EXTRA_VERSION {
            return Err(r.invalid("Version2", format!("0x{v2:04X}, not 0x0104")));
        }
        let mut extra = Vec::with_capacity(n);
        for _ in 0..n {
            extra.push(Node::map([
                ("display_name", counted_unicode(&mut r, "DisplayName")?),
                ("display_name_repeat", counted_unicode(&mut r, "DisplayNameRepeat")?),
            ]));
        }
        out = out.with("version2", hexn(v2 as u64, 2)).with("extra", Node::List(extra));
    }
    r.finish("VerbStream")?;
    Ok(out)
}

/// The part of a field definition both lists share.
fn field_common(r: &mut Reader<'_>, n: Node) -> DecodeResult<Node> {
    let g = r.guid("PropSetGuid")?;
    let caps = r.u32("fcapm")?;
    let n = n
        .with("property_set", guid(&g))
        .with("capabilities", flags(caps, 4, FOLDER_FIELD_CAPS))
        .with("string", hex32(r.u32("dwString")?))
        .with("bitmap", hex32(r.u32("dwBitmap")?))
        .with("display", hex32(r.u32("dwDisplay")?))
        .with("format", int(r.u32("iFmt")?));
    let len = r.u16("wszFormulaLength")? as usize;
    Ok(n.with("formula", Node::str(utf16_units(r, len, "wszFormula")?)))
}

fn field_list(r: &mut Reader<'_>, unicode: bool) -> DecodeResult<Node> {
    let n = r.u32("FieldDefinitionCount")?;
    let n = count(r, n as u64, 44, "FieldDefinitionCount")?;
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        let ty = r.u32("FieldType")?;
        let len = r.u16("FieldNameLength")? as usize;
        let name = if unicode { utf16_units(r, len, "FieldName")? } else { ansi(r.take(len, "FieldName")?) };
        let base = Node::map([("type", enumerated(ty, FOLDER_FIELD_TYPE)), ("name", Node::str(name))]);
        fields.push(field_common(r, base)?);
    }
    Ok(Node::List(fields))
}

/// PidTagUserFields: FolderUserFieldsAnsi (count, then FieldType, FieldNameLength, 8-bit
/// FieldName and the common part) then FolderUserFieldsUnicode (the same, UTF-16 names).
pub fn folder_user_fields(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let a = field_list(&mut r, false)?;
    let u = if r.is_empty() { Node::Null } else { field_list(&mut r, true)? };
    r.finish("FolderUserFields")?;
    Ok(Node::map([("ansi", a), ("unicode", u)]))
}
