//! Folder configuration blobs: PidTagExtendedFolderFlags (MS-OXOCFG 2.2.7.1), PidTagFolderWebViewInfo
//! (Outlook MAPI reference, WebViewPersistenceObject) and PidLidPropertyDefinitionStream
//! (MS-OXOCFG 2.2.3.2.2 PropertyDefinition, 2.2.3.2.2.1 FieldDefinition).

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{count, enumerated, flags, hex32, hexn, int, utf16, utf16_units};
use super::flags::{EXTENDED_FOLDER_FLAG_ID, PDO_FLAGS, WEBVIEW_FLAGS, WEBVIEW_TYPE};
use crate::describe::Node;

/// PidTagExtendedFolderFlags: subproperties of an Id byte, a Cb byte and Cb bytes of data.
pub fn extended_folder_flags(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let mut items = Vec::new();
    while !r.is_empty() {
        let id = r.u8("Id")?;
        let cb = r.u8("Cb")? as usize;
        let data = r.take(cb, "Data")?;
        let value = match (id, data.len()) {
            (0x01 | 0x03 | 0x05, 4) => hex32(u32::from_le_bytes([data[0], data[1], data[2], data[3]])),
            (0x02, 16) => {
                let mut g = [0u8; 16];
                g.copy_from_slice(data);
                Node::str(oxmapi_core::guid::Guid(g).to_string())
            }
            _ => Node::hex(data),
        };
        items.push(Node::map([
            ("id", enumerated(id as u32, EXTENDED_FOLDER_FLAG_ID)),
            ("cb", int(cb as u32)),
            ("data", value),
        ]));
    }
    Ok(Node::map([("count", int(items.len() as u32)), ("subproperties", Node::List(items))]))
}

/// PidTagFolderWebViewInfo: WebViewPersistence records (dwVersion, dwType, dwFlags, 28
/// unused bytes, cbData, then cbData bytes: a NUL-terminated UTF-16 URL for WEBVIEWURL).
pub fn webview_info(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let mut views = Vec::new();
    while !r.is_empty() {
        let version = r.u32("dwVersion")?;
        let ty = r.u32("dwType")?;
        let fl = r.u32("dwFlags")?;
        let unused = r.take(28, "dwUnused")?;
        let cb = r.u32("cbData")? as usize;
        let data = r.take(cb, "wzURL")?;
        let value = if ty == 1 { Node::str(utf16(data)) } else { Node::hex(data) };
        views.push(Node::map([
            ("version", hex32(version)),
            ("type", enumerated(ty, WEBVIEW_TYPE)),
            ("flags", flags(fl, 4, WEBVIEW_FLAGS)),
            ("unused", Node::hex(unused)),
            ("data_size", int(cb as u32)),
            ("url", value),
        ]));
    }
    Ok(Node::map([("count", int(views.len() as u32)), ("views", Node::List(views))]))
}

/// PropertyDefinition versions (MS-OXOCFG 2.2.3.2.2).
const PROPDEF_V1: u16 = 0x0102;
const PROPDEF_V2: u16 = 0x0103;

/// A PackedAnsiString: a length byte (0xFF: a u16 length follows), then the bytes.
fn packed_len(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<usize> {
    let n = r.u8(what)?;
    Ok(if n == 0xFF { r.u16(what)? as usize } else { n as usize })
}

fn packed_ansi(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Node> {
    let n = packed_len(r, what)?;
    Ok(Node::str(super::common::ansi(r.take(n, what)?)))
}

fn packed_unicode(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<String> {
    let n = packed_len(r, what)?;
    utf16_units(r, n, what)
}

/// One FieldDefinition.
fn field_definition(r: &mut Reader<'_>, v2: bool) -> DecodeResult<Node> {
    let fl = r.u32("Flags")?;
    let vt = r.u16("VT")?;
    let dispid = r.u32("DispId")?;
    let nmid_len = r.u16("NmidNameLength")? as usize;
    let nmid = utf16_units(r, nmid_len, "NmidName")?;
    let mut n = Node::map([
        ("flags", flags(fl, 4, PDO_FLAGS)),
        ("vt", hexn(vt as u64, 2)),
        ("dispid", hex32(dispid)),
        ("nmid_name", Node::str(nmid)),
        ("name", packed_ansi(r, "NameANSI")?),
        ("formula", packed_ansi(r, "FormulaANSI")?),
        ("validation_rule", packed_ansi(r, "ValidationRuleANSI")?),
        ("validation_text", packed_ansi(r, "ValidationTextANSI")?),
        ("error", packed_ansi(r, "ErrorANSI")?),
    ]);
    if v2 {
        n = n.with("internal_type", hex32(r.u32("InternalType")?));
        // SkipBlocks: sized blocks up to one of size 0; the first holds the field's name as a
        // PackedUnicodeString (FirstSkipBlockContent).
        let mut blocks = Vec::new();
        loop {
            let size = r.u32("SkipBlock.Size")? as usize;
            if size == 0 {
                break;
            }
            let content = r.take(size, "SkipBlock.Content")?;
            if blocks.is_empty() {
                let mut cr = Reader::new(content);
                if let Ok(s) = packed_unicode(&mut cr, "FirstSkipBlockContent") {
                    n = n.with("name_unicode", Node::str(s));
                }
            }
            blocks.push(Node::hex(content));
        }
        n = n.with("skip_blocks", Node::List(blocks));
    }
    Ok(n)
}

/// PidLidPropertyDefinitionStream: Version (PropDefV1 0x0102 or PropDefV2 0x0103),
/// FieldDefinitionCount and the FieldDefinitions.
pub fn property_definition_stream(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let version = r.u16("Version")?;
    if version != PROPDEF_V1 && version != PROPDEF_V2 {
        return Err(Reader::new(b).invalid("Version", format!("0x{version:04X}, not 0x0102 or 0x0103")));
    }
    let n = r.u32("FieldDefinitionCount")?;
    let n = count(&r, n as u64, 20, "FieldDefinitionCount")?;
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        fields.push(field_definition(&mut r, version == PROPDEF_V2)?);
    }
    r.finish("PropertyDefinition")?;
    Ok(Node::map([
        (
            "version",
            Node::map([
                ("value", hexn(version as u64, 2)),
                ("name", Node::str(if version == PROPDEF_V2 { "PropDefV2" } else { "PropDefV1" })),
            ]),
        ),
        ("field_count", int(n as u32)),
        ("fields", Node::List(fields)),
    ]))
}
