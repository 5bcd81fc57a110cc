//! PropertyName (MS-OXCDATA 2.6.1).

use oxmapi_core::codec::{DecodeResult, Reader, Writer, utf16z_len};
use oxmapi_core::named::{NameId, PropertyName, kind};

/// Reads a PropertyName: `Kind u8, Guid, LID u32 | NameSize u8 + Name UTF-16Z`.
pub fn read_property_name(r: &mut Reader<'_>) -> DecodeResult<PropertyName> {
    match read_property_name_or_none(r)? {
        Some(n) => Ok(n),
        None => Err(r.invalid("Kind", "0xFF (no name) where a name is required")),
    }
}

/// Reads a PropertyName that may be `Kind 0xFF` with nothing after it (RopGetNamesFromPropertyIds,
/// MS-OXCPRPT 3.2.5.9).
pub fn read_property_name_or_none(r: &mut Reader<'_>) -> DecodeResult<Option<PropertyName>> {
    let k = r.u8("Kind")?;
    if k == kind::NONE {
        return Ok(None);
    }
    let guid = r.guid("Guid")?;
    let name = match k {
        kind::MNID_ID => NameId::Id(r.u32("LID")?),
        kind::MNID_STRING => {
            let size = r.u8("NameSize")? as usize;
            let bytes = r.take(size, "Name")?;
            let mut sub = Reader::new(bytes);
            let s = sub.utf16z("Name")?;
            sub.finish("Name")?;
            NameId::String(s)
        }
        other => return Err(r.invalid("Kind", format!("0x{other:02X}"))),
    };
    Ok(Some(PropertyName { guid, name }))
}

/// Writes a PropertyName (`None` writes `Kind 0xFF`). String names longer than the u8
/// `NameSize` allows are truncated to 126 UTF-16 units.
pub fn write_property_name(w: &mut Writer, n: Option<&PropertyName>) {
    let Some(n) = n else {
        w.u8(kind::NONE);
        return;
    };
    w.u8(n.kind());
    w.guid(&n.guid);
    match &n.name {
        NameId::Id(lid) => w.u32(*lid),
        NameId::String(s) => {
            let mut s = s.as_str();
            while utf16z_len(s) > 254 {
                let mut cut = s.len() - 1;
                while !s.is_char_boundary(cut) {
                    cut -= 1;
                }
                s = &s[..cut];
            }
            w.u8(utf16z_len(s) as u8);
            w.utf16z(s);
        }
    }
}
