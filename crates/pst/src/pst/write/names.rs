//! The file's name-to-id map being written ([MS-PST] 2.4.7): which named property each id
//! 0x8000 + n stands for, grown as messages bring new names, and written back as the map's
//! property context (bucket count, GUID, entry and string streams, hash buckets) — the same
//! streams an MSG file has ([MS-OXMSG] 2.2.3), built by [`crate::msg::nameid`].

use std::collections::{BTreeMap, HashMap};

use oxmapi_core::bag::PropBag;
use oxmapi_core::guid::PSETID_COMMON;
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use crate::item::FIRST_NAMED_ID;
use crate::msg::nameid;
use crate::pst::PstError;

/// PidTagNameidBucketCount.
const BUCKET_COUNT_TAG: PropTag = PropTag(0x0001_0003);
/// PidTagNameidStreamGuid.
const STREAM_GUID: PropTag = PropTag(0x0002_0102);
/// PidTagNameidStreamEntry.
const STREAM_ENTRY: PropTag = PropTag(0x0003_0102);
/// PidTagNameidStreamString.
const STREAM_STRING: PropTag = PropTag(0x0004_0102);
/// The number of hash buckets a new map has (Outlook's choice; [MS-PST] 2.4.7.5).
pub const BUCKETS: u32 = 251;
/// The last id a named property can have: 0x8000 + 0x7FFE (0xFFFF is PROP_ID_INVALID).
pub const LAST_NAMED_ID: u16 = 0xFFFE;

/// The PSETID_Common LIDs a new store's map starts with: PidLidReminderDelta (0x8501),
/// PidLidReminderTime (0x8502), PidLidReminderSet (0x8503), PidLidPrivate (0x8506),
/// PidLidSmartNoAttach (0x8514), PidLidCommonStart (0x8516), PidLidCommonEnd (0x8517),
/// PidLidCurrentVersion (0x8552), PidLidCurrentVersionName (0x8554), PidLidReminderSignalTime
/// (0x8560).
const NEW_STORE_LIDS: &[u32] =
    &[0x8501, 0x8502, 0x8503, 0x8506, 0x8514, 0x8516, 0x8517, 0x8552, 0x8554, 0x8560];

/// The map: id → name and name → id.
#[derive(Debug, Default)]
pub struct NameMap {
    by_id: BTreeMap<u16, PropertyName>,
    by_name: HashMap<PropertyName, u16>,
    buckets: u32,
    dirty: bool,
}

impl NameMap {
    /// An empty map of a new file.
    pub fn new() -> NameMap {
        NameMap { buckets: BUCKETS, dirty: true, ..NameMap::default() }
    }

    /// The map of a new store: a few named properties every mail client uses (the reminder
    /// and common start/end properties of PSETID_Common, [MS-OXPROPS] 2.221 ff.) are
    /// registered from the start, as Outlook registers names in a new store: libpff refuses a
    /// file whose map has no entry at all ("libpff_name_to_id_map_read: missing name to id map
    /// entries data"), so an empty entry stream would make a file without named properties
    /// unreadable to it.
    pub fn for_new_store() -> NameMap {
        let mut m = NameMap::new();
        for lid in NEW_STORE_LIDS {
            // Cannot fail: far fewer than the 0x7FFF ids.
            let _ = m.id_of(&PropertyName::id(PSETID_COMMON, *lid));
        }
        // pst-extractor (1.12.0) refuses a file whose string stream is empty ("External
        // reference but no localDescriptorItems"): one string name, PidNameKeywords
        // ([MS-OXPROPS] 2.446, the categories of every item class), fills it.
        let _ = m.id_of(&PropertyName::string(oxmapi_core::guid::PS_PUBLIC_STRINGS, "Keywords"));
        m
    }

    /// The map a file holds, from its property context (entries the reader could not follow
    /// are left out and their ids never reused: new ids go after the highest one).
    pub fn from_bag(bag: &PropBag) -> NameMap {
        use oxmapi_core::bag::PropertyBag;
        let (by_id, _) = crate::pst::names::parse(bag);
        let by_name = by_id.iter().map(|(id, n)| (n.clone(), *id)).collect();
        let buckets = match bag.get(BUCKET_COUNT_TAG) {
            Some(PropValue::I32(n)) if *n > 0 => *n as u32,
            _ => BUCKETS,
        };
        NameMap { by_id, by_name, buckets, dirty: false }
    }

    /// The file's id of `name`, assigning the next free one when the name is new.
    pub fn id_of(&mut self, name: &PropertyName) -> Result<u16, PstError> {
        if let Some(id) = self.by_name.get(name) {
            return Ok(*id);
        }
        let next = self.by_id.keys().next_back().map_or(Some(FIRST_NAMED_ID), |last| last.checked_add(1));
        let id = next.filter(|id| *id <= LAST_NAMED_ID).ok_or_else(|| {
            PstError::Corrupt(format!(
                "the file's name-to-id map is full (ids 0x8000–{LAST_NAMED_ID:#06x} are all used): \
                 named property {name} cannot be stored (MAPI_E_NOT_ENOUGH_RESOURCES)"
            ))
        })?;
        self.by_id.insert(id, name.clone());
        self.by_name.insert(name.clone(), id);
        self.dirty = true;
        Ok(id)
    }

    /// The name of file id `id`.
    pub fn name_of(&self, id: u16) -> Option<&PropertyName> {
        self.by_id.get(&id)
    }

    /// Every id and its name.
    pub fn entries(&self) -> &BTreeMap<u16, PropertyName> {
        &self.by_id
    }

    /// True when names were added since the map was last written.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Marks the map written.
    pub fn mark_clean(&mut self) {
        self.dirty = false;
    }

    /// The map's property context ([MS-PST] 2.4.7.6): the bucket count, the three streams and
    /// one binary property 0x1000 + n per non-empty hash bucket.
    pub fn to_bag(&self) -> PropBag {
        let (streams, buckets) = nameid::build_with_buckets(&self.by_id, self.buckets);
        let mut bag = PropBag::new();
        bag.set(BUCKET_COUNT_TAG, PropValue::I32(self.buckets as i32));
        bag.set(STREAM_GUID, PropValue::Binary(streams.guids));
        bag.set(STREAM_ENTRY, PropValue::Binary(streams.entries));
        bag.set(STREAM_STRING, PropValue::Binary(streams.strings));
        for (id, bytes) in buckets {
            bag.set(PropTag((id << 16) | 0x0102), PropValue::Binary(bytes));
        }
        bag
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::guid::{Guid, PS_PUBLIC_STRINGS};

    #[test]
    fn names_round_trip_through_the_maps_property_context() {
        let mut m = NameMap::new();
        let custom = Guid::from_fields(0x1234_5678, 1, 2, [3; 8]);
        let a = PropertyName::id(PS_PUBLIC_STRINGS, 0x8233);
        let b = PropertyName::string(custom, "Keywords");
        let c = PropertyName::string(Guid::default(), "x");
        assert_eq!(m.id_of(&a).unwrap(), 0x8000);
        assert_eq!(m.id_of(&b).unwrap(), 0x8001);
        assert_eq!(m.id_of(&c).unwrap(), 0x8002);
        assert_eq!(m.id_of(&a).unwrap(), 0x8000);
        let back = NameMap::from_bag(&m.to_bag());
        assert_eq!(back.entries(), m.entries());
        assert!(!back.is_dirty());
    }

    #[test]
    fn a_full_map_refuses_a_new_name_instead_of_wrapping() {
        let mut m = NameMap::new();
        for lid in 0..=(LAST_NAMED_ID - FIRST_NAMED_ID) as u32 {
            m.id_of(&PropertyName::id(PS_PUBLIC_STRINGS, lid)).unwrap();
        }
        assert!(m.id_of(&PropertyName::id(PS_PUBLIC_STRINGS, 0xFFFF_0000)).is_err());
    }
}
