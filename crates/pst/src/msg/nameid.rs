//! The named property mapping storage `__nameid_version1.0` ([MS-OXMSG] 2.2.3): the GUID
//! stream (2.2.3.1.1), the entry stream (2.2.3.1.2), the string stream (2.2.3.1.3), and — written
//! for Outlook, never needed to read — the name-to-id hash bucket streams (2.2.3.2).

use std::collections::BTreeMap;

use oxmapi_core::guid::{Guid, PS_MAPI, PS_PUBLIC_STRINGS};
use oxmapi_core::named::{NameId, PropertyName};

use crate::item::FIRST_NAMED_ID;

/// The GUID stream.
pub const GUID_STREAM: &str = "__substg1.0_00020102";
/// The entry stream.
pub const ENTRY_STREAM: &str = "__substg1.0_00030102";
/// The string stream.
pub const STRING_STREAM: &str = "__substg1.0_00040102";
/// The number of hash bucket streams (2.2.3.2.2).
const BUCKETS: u32 = 0x1F;

/// The three streams of the mapping storage.
#[derive(Default)]
pub struct Streams {
    /// GUID stream bytes.
    pub guids: Vec<u8>,
    /// Entry stream bytes.
    pub entries: Vec<u8>,
    /// String stream bytes.
    pub strings: Vec<u8>,
}

/// The local id → name map the streams describe. Entries naming a GUID the stream lacks, a
/// string past the string stream, or an index beyond the named range are skipped.
pub fn parse(s: &Streams) -> BTreeMap<u16, PropertyName> {
    let mut names = BTreeMap::new();
    for e in s.entries.chunks_exact(8) {
        let id_or_offset = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        let kind_and_guid = u16::from_le_bytes([e[4], e[5]]);
        let index = u16::from_le_bytes([e[6], e[7]]);
        let Some(id) = FIRST_NAMED_ID.checked_add(index).filter(|id| *id != 0xFFFF) else { continue };
        let Some(guid) = guid_at(&s.guids, kind_and_guid >> 1) else { continue };
        let name = if kind_and_guid & 1 == 0 {
            NameId::Id(id_or_offset)
        } else {
            match string_at(&s.strings, id_or_offset as usize) {
                Some(n) => NameId::String(n),
                None => continue,
            }
        };
        names.insert(id, PropertyName { guid, name });
    }
    names
}

fn guid_at(guids: &[u8], index: u16) -> Option<Guid> {
    match index {
        1 => Some(PS_MAPI),
        2 => Some(PS_PUBLIC_STRINGS),
        0 => None,
        i => {
            let at = (i as usize - 3) * 16;
            super::propstream::guid(guids.get(at..)?)
        }
    }
}

fn string_at(strings: &[u8], offset: usize) -> Option<String> {
    let len_bytes = strings.get(offset..offset.checked_add(4)?)?;
    let len = u32::from_le_bytes(len_bytes.try_into().ok()?) as usize;
    let start = offset + 4;
    let raw = strings.get(start..start.checked_add(len)?)?;
    let units: Vec<u16> = raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    Some(String::from_utf16_lossy(&units))
}

/// The streams describing `names`, with the bucket streams as (stream id, bytes).
pub fn build(names: &BTreeMap<u16, PropertyName>) -> (Streams, BTreeMap<u32, Vec<u8>>) {
    build_with_buckets(names, BUCKETS)
}

/// [`build`] with `buckets` hash buckets: a PST's name-to-id map has the same streams and
/// its bucket count in PidTagNameidBucketCount ([MS-PST] 2.4.7.5), 251 as Outlook writes it.
pub fn build_with_buckets(
    names: &BTreeMap<u16, PropertyName>,
    buckets_count: u32,
) -> (Streams, BTreeMap<u32, Vec<u8>>) {
    let mut s = Streams::default();
    let mut guid_list: Vec<Guid> = Vec::new();
    let mut buckets: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    for (&id, name) in names {
        let Some(index) = id.checked_sub(FIRST_NAMED_ID) else { continue };
        let guid_index: u16 = match name.guid {
            g if g == PS_MAPI => 1,
            g if g == PS_PUBLIC_STRINGS => 2,
            g => {
                let at = guid_list.iter().position(|x| *x == g).unwrap_or_else(|| {
                    guid_list.push(g);
                    s.guids.extend_from_slice(&g.0);
                    guid_list.len() - 1
                });
                (at + 3) as u16
            }
        };
        let (first, kind, hash_id) = match &name.name {
            NameId::Id(lid) => (*lid, 0u16, *lid),
            NameId::String(n) => {
                let offset = s.strings.len() as u32;
                let utf16: Vec<u8> = n.encode_utf16().flat_map(u16::to_le_bytes).collect();
                s.strings.extend_from_slice(&(utf16.len() as u32).to_le_bytes());
                s.strings.extend_from_slice(&utf16);
                while s.strings.len() % 4 != 0 {
                    s.strings.push(0);
                }
                (offset, 1u16, crc32(&utf16))
            }
        };
        let second = ((index as u32) << 16) | ((guid_index as u32) << 1) | kind as u32;
        s.entries.extend_from_slice(&first.to_le_bytes());
        s.entries.extend_from_slice(&second.to_le_bytes());
        let bucket = 0x1000 + ((hash_id ^ (((guid_index as u32) << 1) | kind as u32)) % buckets_count.max(1));
        let b = buckets.entry(bucket).or_default();
        b.extend_from_slice(&hash_id.to_le_bytes());
        b.extend_from_slice(&second.to_le_bytes());
    }
    (s, buckets)
}

/// The CRC-32 the bucket streams use for string names (2.2.3.2.2: the reflected 0xEDB88320
/// polynomial, initial value 0, no final XOR).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_string_entry_example_parses() {
        // [MS-OXMSG] 3.2: entry 10 00 00 00 07 00 05 00, string offset 0x10 → "ZM\x91HEADER SIZ" style
        // name; here with a one-GUID stream and a string at offset 0x10.
        let mut strings = vec![0u8; 0x10];
        strings.extend_from_slice(&4u32.to_le_bytes());
        strings.extend_from_slice(&[b'a', 0, b'b', 0]);
        let s = Streams { guids: vec![0x11; 16], entries: vec![0x10, 0, 0, 0, 0x07, 0, 0x05, 0], strings };
        let names = parse(&s);
        assert_eq!(names.get(&0x8005), Some(&PropertyName::string(Guid([0x11; 16]), "ab")));
    }

    #[test]
    fn names_round_trip_through_the_streams() {
        let mut names = BTreeMap::new();
        names.insert(0x8000, PropertyName::id(PS_MAPI, 0x8233));
        names.insert(0x8001, PropertyName::string(PS_PUBLIC_STRINGS, "Keywords"));
        names.insert(0x8004, PropertyName::id(Guid([7; 16]), 0x1));
        names.insert(0x8005, PropertyName::string(Guid([7; 16]), "x-custom"));
        let (s, buckets) = build(&names);
        assert_eq!(parse(&s), names);
        assert!(buckets.keys().all(|k| (0x1000..0x101F).contains(k)));
    }
}
