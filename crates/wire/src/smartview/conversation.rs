//! PidTagConversationIndex (MS-OXOMSG 2.2.1.3) and PidLidGlobalObjectId /
//! PidLidCleanGlobalObjectId (MS-OXOCAL 2.2.1.27, 2.2.1.28).

use oxmapi_core::codec::{DecodeResult, Reader};

use super::common::{filetime, guid_be, hex32, hexn};
use crate::describe::Node;

/// A conversation index: a 22-byte header (a reserved byte and the top 40 bits of a FILETIME,
/// which together are the FILETIME's top 6 bytes, then a GUID in network order) and 5-byte
/// response levels (DeltaCode bit, 31-bit TimeDelta, 4-bit Random, 4-bit ResponseLevel).
pub fn conversation_index(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let head: [u8; 6] = r.array("Header time")?;
    let g: [u8; 16] = r.array("Header GUID")?;
    let mut top = [0u8; 8];
    top[..6].copy_from_slice(&head);
    let mut time = u64::from_be_bytes(top);
    let mut levels = Vec::new();
    while !r.is_empty() {
        let w = u32::from_be_bytes(r.array("TimeDelta")?);
        let last = r.u8("Random/ResponseLevel")?;
        let delta_code = w >> 31;
        let delta = (w & 0x7FFF_FFFF) as u64;
        // DeltaCode 0: TimeDelta holds bits 48..18 of the difference; 1: bits 53..23.
        let diff = if delta_code == 0 { delta << 18 } else { delta << 23 };
        time = time.wrapping_add(diff);
        levels.push(Node::map([
            ("delta_code", Node::Int(delta_code as i128)),
            ("time_delta", hex32(delta as u32)),
            ("random", Node::Int((last >> 4) as i128)),
            ("response_level", Node::Int((last & 0x0F) as i128)),
            ("time", filetime(time)),
        ]));
    }
    Ok(Node::map([
        ("reserved", hexn(head[0] as u64, 1)),
        ("time", filetime(u64::from_be_bytes(top))),
        ("guid", guid_be(&g)),
        ("response_levels", Node::List(levels)),
    ]))
}

/// The class id that begins every global object id (MS-OXOCAL 2.2.1.27).
pub const GLOBAL_OBJECT_ID_CLASS: [u8; 16] =
    [0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08];

/// A global object id: the class id, year (big-endian), month and day of an exception's
/// original instance (zero for the series), the creation time, 8 reserved bytes, and the
/// counted data (which may hold a vCal UID, "vCal-Uid" + version + UID text).
pub fn global_object_id(b: &[u8]) -> DecodeResult<Node> {
    let mut r = Reader::new(b);
    let class: [u8; 16] = r.array("Byte Array ID")?;
    let year = u16::from_be_bytes(r.array("Year")?);
    let month = r.u8("Month")?;
    let day = r.u8("Day")?;
    let creation = r.u64("CreationTime")?;
    let x: [u8; 8] = r.array("X")?;
    let size = r.u32("Size")? as usize;
    let data = r.take(size, "Data")?;
    r.finish("GlobalObjectId")?;
    let mut n = Node::map([
        ("byte_array_id", Node::hex(&class)),
        ("is_outlook_id", Node::Bool(class == GLOBAL_OBJECT_ID_CLASS)),
        ("year", Node::Int(year as i128)),
        ("month", Node::Int(month as i128)),
        ("day", Node::Int(day as i128)),
        ("creation_time", filetime(creation)),
        ("x", Node::hex(&x)),
        ("size", Node::Int(size as i128)),
        ("data", Node::hex(data)),
    ]);
    // MS-OXOCAL 2.2.1.27: a UID from iCalendar that is not a GUID is kept as
    // "vCal-Uid" 0x01000000 then the UID and a NUL.
    if let Some(rest) = data.strip_prefix(b"vCal-Uid\x01\x00\x00\x00") {
        n = n.with("vcal_uid", Node::str(super::common::ansi(rest)));
    }
    Ok(n)
}
