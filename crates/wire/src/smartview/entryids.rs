//! Entry IDs and lists of them: any entry ID (wrapping [`oxmapi_core::entryid::EntryId`],
//! MS-OXCDATA 2.2.4–2.2.5, plus the contact address book wrapper), FlatEntryList (MS-OXCDATA
//! 2.3.3), the in-memory ENTRYLIST form, PidTagAdditionalRenEntryIdsEx and PidTagReportTag
//! (MS-OXOMSG 2.2.2.22).

use oxmapi_core::codec::{DecodeResult, Reader};
use oxmapi_core::entryid::{EntryId, eit};
use oxmapi_core::guid::MUID_CONTAB_DLL;

use super::common::{count, enumerated, guid, hex32, hexn};
use super::flags::{PERSIST_ELEMENT_ID, PERSIST_ID};
use crate::describe::Node;

/// Contact address book entry ID header values (MFCMAPI's CONTAB entry ID: Version 3,
/// Type CONTAB_USER 4 / CONTAB_DISTLIST 5; Index EEI_EMAIL_1..3, EEI_FAX_1..3).
const CONTAB_TYPES: &[(u32, &str)] = &[(4, "CONTAB_USER"), (5, "CONTAB_DISTLIST")];
const CONTAB_INDEX: &[(u32, &str)] = &[
    (0, "EEI_EMAIL_1"),
    (1, "EEI_EMAIL_2"),
    (2, "EEI_EMAIL_3"),
    (3, "EEI_FAX_1"),
    (4, "EEI_FAX_2"),
    (5, "EEI_FAX_3"),
];

fn long_term(prefix: &str, l: &oxmapi_core::entryid::LongTermRef) -> Vec<(String, Node)> {
    vec![
        (format!("{prefix}database_guid"), guid(&l.database_guid)),
        (format!("{prefix}global_counter"), hexn(l.global_counter, 6)),
    ]
}

/// Describes a parsed entry ID.
pub fn entry_id_node(e: &EntryId) -> Node {
    describe_entry_id(e, true)
}

/// Describes a parsed entry ID; `unwrap_contab` opens a contact address book wrapper (one
/// level only, so that nested wrappers cannot recurse without bound).
fn describe_entry_id(e: &EntryId, unwrap_contab: bool) -> Node {
    let mut m: Vec<(String, Node)> =
        vec![("kind".into(), Node::str(e.kind_name())), ("structure".into(), Node::str(structure_name(e)))];
    let mut put = |k: &str, v: Node| m.push((k.to_string(), v));
    match e {
        EntryId::Folder(f) => {
            put("flags", hex32(f.flags));
            put("provider_uid", guid(&f.provider_uid));
            put("folder_type", enum16(f.folder_type));
            for (k, v) in long_term("", &f.folder) {
                put(&k, v);
            }
        }
        EntryId::Message(x) => {
            put("flags", hex32(x.flags));
            put("provider_uid", guid(&x.provider_uid));
            put("message_type", enum16(x.message_type));
            for (k, v) in long_term("folder_", &x.folder).into_iter().chain(long_term("message_", &x.message))
            {
                put(&k, v);
            }
        }
        EntryId::Store(s) => {
            put("flags", hex32(s.flags));
            put("dll_name", Node::str(s.dll_name.clone()));
            put("wrapped_flags", hex32(s.wrapped_flags));
            put("wrapped_provider_uid", guid(&s.wrapped_provider_uid));
            put("wrapped_type", hex32(s.wrapped_type));
            put("server_name", Node::str(s.server_name.clone()));
            put("mailbox_dn", s.mailbox_dn.clone().map(Node::Str).unwrap_or(Node::Null));
            put("extension", Node::hex(&s.extension));
        }
        EntryId::AbPermanent(a) => {
            put("flags", hex32(a.flags));
            put("version", Node::Int(a.version as i128));
            put("display_type", enumerated(a.display_type, super::flags::DISPLAY_TYPE));
            put("dn", Node::str(a.dn.clone()));
        }
        EntryId::AbEphemeral(a) => {
            put("flags", hex32(a.flags));
            put("server_guid", guid(&a.server_guid));
            put("display_type", enumerated(a.display_type, super::flags::DISPLAY_TYPE));
            put("mid", hex32(a.mid));
        }
        EntryId::OneOff(o) => {
            put("flags", hex32(o.flags));
            put(
                "one_off_flags",
                super::common::flags(o.one_off_flags as u32, 2, super::flags::ONE_OFF_FLAGS),
            );
            put("display_name", Node::str(o.display_name.clone()));
            put("address_type", Node::str(o.address_type.clone()));
            put("email_address", Node::str(o.email_address.clone()));
        }
        EntryId::Other { flags, provider_uid, data } => {
            put("flags", hex32(*flags));
            put("provider_uid", guid(provider_uid));
            if unwrap_contab && *provider_uid == MUID_CONTAB_DLL {
                if let Ok(n) = contab(data) {
                    m[0].1 = Node::str("contact_address_book");
                    m[1].1 = Node::str("Contact Address Book EntryID");
                    m.push(("contab".into(), n));
                    return Node::Map(m);
                }
            }
            put("data", Node::hex(data));
        }
    }
    Node::Map(m)
}

/// The specification's name of an entry ID format (MS-OXCDATA 2.2.4.1–2.2.4.3, 2.2.5.1–2.2.5.2;
/// MS-OXNSPI 2.2.9.2).
fn structure_name(e: &EntryId) -> &'static str {
    match e {
        EntryId::Folder(_) => "Folder EntryID",
        EntryId::Message(_) => "Message EntryID",
        EntryId::Store(_) => "Store Object EntryID",
        EntryId::AbPermanent(_) => "Address Book EntryID (permanent)",
        EntryId::AbEphemeral(_) => "Address Book EntryID (ephemeral)",
        EntryId::OneOff(_) => "One-Off EntryID",
        EntryId::Other { .. } => "provider EntryID",
    }
}

fn enum16(v: u16) -> Node {
    Node::map([("value", hexn(v as u64, 2)), ("name", Node::str(eit::name(v)))])
}

/// The body of a contact address book entry ID: Version, Type, Index, then the wrapped
/// entry ID of the contact message with its size.
fn contab(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let version = r.u32("Version")?;
    let ty = r.u32("Type")?;
    let index = r.u32("Index")?;
    let n = r.u32("EntryIDCount")? as usize;
    let inner = r.take(n, "EntryID")?;
    Ok(Node::map([
        ("version", hex32(version)),
        ("type", enumerated(ty, CONTAB_TYPES)),
        ("index", enumerated(index, CONTAB_INDEX)),
        (
            "entry_id",
            EntryId::parse(inner).map(|e| describe_entry_id(&e, false)).unwrap_or_else(|_| Node::hex(inner)),
        ),
        ("unparsed", Node::hex(r.take_rest())),
    ]))
}

/// Any entry ID.
pub fn entry_id(b: &[u8]) -> DecodeResult<Node> {
    Ok(entry_id_node(&EntryId::parse(b)?))
}

/// An entry ID, or its hex with the reason it did not parse.
pub(crate) fn entry_id_or_hex(b: &[u8]) -> Node {
    match entry_id(b) {
        Ok(n) => n,
        Err(e) => Node::map([("bytes", Node::hex(b)), ("error", Node::str(e.to_string()))]),
    }
}

/// A FlatEntryList (MS-OXCDATA 2.3.3): `Count`, `Size`, then FlatEntry structures (a 4-byte
/// size and the entry ID), each padded to a multiple of 4 bytes.
pub fn flat_entry_list(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let n = r.u32("Count")?;
    let size = r.u32("Size")?;
    let n = count(&r, n as u64, 4, "Count")?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.u32("FlatEntry.Size")? as usize;
        let eid = r.take(len, "FlatEntry.EntryID")?;
        let pad = (4 - len % 4) % 4;
        let padding = r.take(pad.min(r.remaining()), "FlatEntry padding")?;
        entries.push(
            Node::map([("size", Node::Int(len as i128)), ("entry_id", entry_id_or_hex(eid))])
                .with("padding", Node::hex(padding)),
        );
    }
    r.finish("FlatEntryList")?;
    Ok(Node::map([
        ("count", Node::Int(n as i128)),
        ("size", Node::Int(size as i128)),
        ("entries", Node::List(entries)),
    ]))
}

/// An ENTRYLIST written as in memory (MFCMAPI EntryList, e.g. in PR_DAM_ORIGINAL... and
/// search folder definitions): `EntryCount` and a pointer, then `EntryCount` pairs of a size
/// and a pointer, then the entry IDs one after the other.
pub fn entry_list(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let n = r.u32("EntryCount")?;
    let pad = r.u32("Pad")?;
    let n = count(&r, n as u64, 8, "EntryCount")?;
    let mut sizes = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.u32("EntryLength")?;
        let _pad = r.u32("EntryLengthPad")?;
        sizes.push(len as usize);
    }
    let mut entries = Vec::with_capacity(n);
    for len in sizes {
        let eid = r.take(len, "EntryId")?;
        entries.push(Node::map([("size", Node::Int(len as i128)), ("entry_id", entry_id_or_hex(eid))]));
    }
    r.finish("EntryList")?;
    Ok(Node::map([("count", Node::Int(n as i128)), ("pad", hex32(pad)), ("entries", Node::List(entries))]))
}

/// The DataElements of one PersistData block: PersistElement blocks (ElementID,
/// ElementDataSize, ElementData) up to ELEMENT_SENTINEL.
fn persist_elements(b: &[u8]) -> DecodeResult<Vec<Node>> {
    let mut r = Reader::new(b);
    let mut out = Vec::new();
    while !r.is_empty() {
        let id = r.u16("ElementID")?;
        let size = r.u16("ElementDataSize")? as usize;
        let data = r.take(size, "ElementData")?;
        let value = if id == 0x0001 { entry_id_or_hex(data) } else { Node::hex(data) };
        out.push(Node::map([
            ("element_id", enumerated(id as u32, PERSIST_ELEMENT_ID)),
            ("size", Node::Int(size as i128)),
            ("data", value),
        ]));
        if id == 0 {
            break;
        }
    }
    Ok(out)
}

/// PidTagAdditionalRenEntryIdsEx (0x36D9; Outlook MAPI reference): PersistData blocks
/// (PersistID, DataElementsSize, DataElements) up to PERSIST_SENTINEL. A block whose elements
/// do not fit its size is shown as bytes.
pub fn additional_ren_entry_ids_ex(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let mut blocks = Vec::new();
    while !r.is_empty() {
        let id = r.u16("PersistID")?;
        let size = r.u16("DataElementsSize")? as usize;
        let data = r.take(size, "DataElements")?;
        let elements = match persist_elements(data) {
            Ok(v) => Node::List(v),
            Err(e) => Node::map([("bytes", Node::hex(data)), ("error", Node::str(e.to_string()))]),
        };
        blocks.push(Node::map([
            ("persist_id", enumerated(id as u32, PERSIST_ID)),
            ("size", Node::Int(size as i128)),
            ("elements", elements),
        ]));
        if id == 0 {
            break;
        }
    }
    let rest = r.take_rest();
    let mut n = Node::map([("count", Node::Int(blocks.len() as i128)), ("blocks", Node::List(blocks))]);
    if !rest.is_empty() {
        n = n.with("trailing", Node::hex(rest));
    }
    Ok(n)
}

/// The cookie of a report tag (MS-OXOMSG 2.2.2.22): "PCDFEB09" and a NUL.
const REPORT_TAG_COOKIE: &[u8; 9] = b"PCDFEB09\0";

/// Version of a report tag that has a search folder entry ID (MS-OXOMSG 2.2.2.22); 0x00010001
/// has none.
const REPORT_TAG_VERSION_SEARCH_FOLDER: u32 = 0x0002_0001;

/// PidTagReportTag (MS-OXOMSG 2.2.2.22): Cookie, Version (0x00010001, or 0x00020001 with the
/// search folder entry ID), then counted store, folder, message and search folder entry IDs,
/// message search key and ANSI text.
pub fn report_tag(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let cookie: [u8; 9] = r.array("Cookie")?;
    if &cookie != REPORT_TAG_COOKIE {
        return Err(Reader::new(b).invalid("Cookie", "not \"PCDFEB09\\0\""));
    }
    let version = r.u32("Version")?;
    let mut m = vec![
        ("cookie".to_string(), Node::str(super::common::ansi(&cookie))),
        ("version".to_string(), hex32(version)),
    ];
    let mut sized = |r: &mut Reader<'_>, name: &str, what: &'static str| -> DecodeResult<()> {
        let n = r.u32(what)? as usize;
        let v = r.take(n, what)?;
        let node = if v.is_empty() {
            Node::Null
        } else if name.ends_with("entry_id") {
            entry_id_or_hex(v)
        } else if name == "ansi_text" {
            Node::str(super::common::ansi(v))
        } else {
            Node::hex(v)
        };
        m.push((name.to_string(), node));
        Ok(())
    };
    sized(&mut r, "store_entry_id", "StoreEntryId")?;
    sized(&mut r, "folder_entry_id", "FolderEntryId")?;
    sized(&mut r, "message_entry_id", "MessageEntryId")?;
    if version >= REPORT_TAG_VERSION_SEARCH_FOLDER {
        sized(&mut r, "search_folder_entry_id", "SearchFolderEntryId")?;
    }
    sized(&mut r, "message_search_key", "MessageSearchKey")?;
    sized(&mut r, "ansi_text", "ANSIText")?;
    r.finish("ReportTag")?;
    Ok(Node::Map(m))
}

const SFST_BINARY: u32 = 0x0004;
const SFST_MRES: u32 = 0x0008;
const SFST_FILTERSTREAM: u32 = 0x0010;

/// A text of a search folder definition: a length byte (255: a 2-byte length follows), then
/// that many UTF-16 characters.
fn sf_text(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u8(what)?;
    let n = if n == 0xFF { r.u16(what)? as usize } else { n as usize };
    Ok(Node::str(super::common::utf16_units(r, n, what)?))
}

fn skip_block(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = r.u32(what)? as usize;
    Ok(Node::hex(r.take(n, what)?))
}

/// PidTagSearchFolderDefinition (MS-OXOSRCH 2.2.1.2.? ): Version, Flags (SFST_*),
/// NumericSearch, TextSearch, SkipBytes1, DeepSearch, FolderList1 (folder names), FolderList2
/// (an entry list of the folders), SkipBytes2, then the condition and SkipBytes3. The
/// address list (SFST_BINARY), the MRES restriction (SFST_MRES) and the filter stream
/// (SFST_FILTERSTREAM) are in-memory forms without a length of their own: they are shown
/// together as the bytes before the final 4-byte SkipLen3.
pub fn search_folder_definition(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let version = r.u32("Version")?;
    let fl = r.u32("Flags")?;
    let numeric = r.u32("NumericSearch")?;
    let text = sf_text(&mut r, "TextSearch")?;
    let skip1 = skip_block(&mut r, "SkipLen1")?;
    let deep = r.u32("DeepSearch")?;
    let list1 = sf_text(&mut r, "FolderList1")?;
    let list2_len = r.u32("FolderList2Length")? as usize;
    let list2 = r.take(list2_len, "FolderList2")?;
    let list2 = if list2.is_empty() { Node::Null } else { entry_list(list2)? };
    let mut n = Node::map([
        ("version", hex32(version)),
        ("flags", super::common::flags(fl, 4, super::flags::SEARCH_FOLDER_STORAGE)),
        ("numeric_search", hex32(numeric)),
        ("text_search", text),
        ("skip_bytes1", skip1),
        ("deep_search", Node::Bool(deep != 0)),
        ("folder_list1", list1),
        ("folder_list2", list2),
    ]);
    if fl & SFST_BINARY == 0 {
        n = n.with("skip_bytes2", skip_block(&mut r, "SkipLen2")?);
    }
    if fl & (SFST_BINARY | SFST_MRES | SFST_FILTERSTREAM) != 0 {
        let rest = r.remaining().saturating_sub(4);
        n = n.with("condition_bytes", Node::hex(r.take(rest, "condition")?));
    }
    n = n.with("skip_bytes3", skip_block(&mut r, "SkipLen3")?);
    r.finish("SearchFolderDefinition")?;
    Ok(n)
}

/// The base of Outlook's string form of an entry ID: each byte is written as the UTF-16 code
/// unit 0xAC00 + byte (MFCMAPI's "Decode Entry ID").
const ENCODED_EID_BASE: u16 = 0xAC00;

/// An entry ID in Outlook's string form (UTF-16LE code units 0xAC00–0xACFF, one per byte):
/// the bytes, and the entry ID they hold.
pub fn encoded_entry_id(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    if b.len() % 2 != 0 {
        return Err(r.invalid("encoded entry ID", "an odd number of bytes is not UTF-16"));
    }
    let mut bytes = Vec::with_capacity(b.len() / 2);
    while !r.is_empty() {
        let u = r.u16("encoded byte")?;
        if u & 0xFF00 != ENCODED_EID_BASE {
            return Err(r.invalid("encoded byte", format!("U+{u:04X} is not in U+AC00..U+ACFF")));
        }
        bytes.push((u & 0xFF) as u8);
    }
    Ok(Node::map([("bytes", Node::hex(&bytes)), ("entry_id", entry_id_or_hex(&bytes))]))
}
