//! The name-to-id map of a file (NID_NAME_TO_ID_MAP, [MS-PST] 2.4.7): which named property
//! each local id 0x8000 + wPropIdx stands for.

use std::collections::BTreeMap;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::guid::{Guid, PS_MAPI, PS_PUBLIC_STRINGS};
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::ndb::Le;
use super::value::utf16;

/// PidTagNameidStreamGuid.
const STREAM_GUID: PropTag = PropTag(0x0002_0102);
/// PidTagNameidStreamEntry.
const STREAM_ENTRY: PropTag = PropTag(0x0003_0102);
/// PidTagNameidStreamString.
const STREAM_STRING: PropTag = PropTag(0x0004_0102);

fn binary(bag: &PropBag, tag: PropTag) -> &[u8] {
    match bag.get(tag) {
        Some(PropValue::Binary(b)) => b,
        _ => &[],
    }
}

/// Builds the map from the name-to-id map's property context. Entries that point outside
/// their streams are left out and counted in the second value.
pub fn parse(bag: &PropBag) -> (BTreeMap<u16, PropertyName>, usize) {
    let (guids, entries, strings) =
        (binary(bag, STREAM_GUID), binary(bag, STREAM_ENTRY), binary(bag, STREAM_STRING));
    let mut map = BTreeMap::new();
    let mut bad = 0;
    for e in entries.chunks_exact(8) {
        let (Ok(prop), Ok(flags), Ok(index)) = (e.u32_at(0), e.u16_at(4), e.u16_at(6)) else {
            bad += 1;
            continue;
        };
        let Some(id) = 0x8000u16.checked_add(index) else {
            bad += 1;
            continue;
        };
        let guid = match flags >> 1 {
            0 => Guid::default(),
            1 => PS_MAPI,
            2 => PS_PUBLIC_STRINGS,
            n => match guids.slice_at((n as usize - 3) * 16, 16) {
                Ok(g) => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(g);
                    Guid(a)
                }
                Err(_) => {
                    bad += 1;
                    continue;
                }
            },
        };
        let name = if flags & 1 == 0 {
            PropertyName::id(guid, prop)
        } else {
            let at = prop as usize;
            match strings.u32_at(at).and_then(|len| strings.slice_at(at + 4, len as usize)) {
                Ok(s) => PropertyName::string(guid, utf16(s)),
                Err(_) => {
                    bad += 1;
                    continue;
                }
            }
        };
        map.insert(id, name);
    }
    (map, bad)
}
