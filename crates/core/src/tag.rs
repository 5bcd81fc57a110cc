//! Property tags (MS-OXCDATA 2.9): `(PropertyId << 16) | PropertyType`.

use std::fmt;

use crate::ptype::{MV_INSTANCE, PropType, UnknownPropType};

/// A property tag: id in the high 16 bits, type (with flags) in the low 16 bits.
/// On the wire it is the u32 little-endian, i.e. `PropertyType u16, PropertyId u16`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PropTag(pub u32);

/// First property id of the named-property range (MS-OXPROPS 1.3.2).
pub const NAMED_PROP_ID_FIRST: u16 = 0x8000;
/// PROP_ID_INVALID.
pub const PROP_ID_INVALID: u16 = 0xFFFF;
/// PR_NULL (0x00000001).
pub const PR_NULL: PropTag = PropTag(0x0000_0001);

impl PropTag {
    /// Builds a tag from id and type.
    pub const fn new(id: u16, ty: PropType) -> PropTag {
        PropTag(((id as u32) << 16) | ty as u32)
    }
    /// Builds a tag from id and a raw type code.
    pub const fn from_parts(id: u16, raw_type: u16) -> PropTag {
        PropTag(((id as u32) << 16) | raw_type as u32)
    }
    /// The property id.
    pub const fn id(self) -> u16 {
        (self.0 >> 16) as u16
    }
    /// The raw type code, flags included.
    pub const fn raw_type(self) -> u16 {
        self.0 as u16
    }
    /// The property type (without `MV_INSTANCE`).
    pub fn prop_type(self) -> Result<PropType, UnknownPropType> {
        PropType::try_from(self.raw_type())
    }
    /// True when the `MV_INSTANCE` flag is set.
    pub const fn is_mv_instance(self) -> bool {
        self.raw_type() & MV_INSTANCE != 0
    }
    /// The same id with another type.
    pub const fn with_type(self, ty: PropType) -> PropTag {
        PropTag::new(self.id(), ty)
    }
    /// The tag with the `MV_INSTANCE` flag cleared.
    pub const fn without_mv_instance(self) -> PropTag {
        PropTag(self.0 & !(MV_INSTANCE as u32))
    }
    /// True for ids in the named-property range 0x8000–0xFFFE.
    pub const fn is_named(self) -> bool {
        let id = self.id();
        id >= NAMED_PROP_ID_FIRST && id != PROP_ID_INVALID
    }
    /// Parses `0x0037001F`, `0037001F` or a decimal number.
    pub fn parse_hex(s: &str) -> Option<PropTag> {
        let t = s.trim();
        let h = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"));
        match h {
            Some(h) => u32::from_str_radix(h, 16).ok().map(PropTag),
            None if t.len() == 8 && t.chars().all(|c| c.is_ascii_hexdigit()) => {
                u32::from_str_radix(t, 16).ok().map(PropTag)
            }
            None => t.parse::<u32>().ok().map(PropTag),
        }
    }
}

impl fmt::Display for PropTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

impl fmt::Debug for PropTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PropTag(0x{:08X})", self.0)
    }
}

impl From<u32> for PropTag {
    fn from(v: u32) -> Self {
        PropTag(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        let t = PropTag(0x0037_001F);
        assert_eq!(t.id(), 0x0037);
        assert_eq!(t.prop_type().unwrap(), PropType::String);
        assert_eq!(t.with_type(PropType::String8), PropTag(0x0037_001E));
        assert_eq!(PropTag::new(0x3001, PropType::String), PropTag(0x3001_001F));
        assert!(PropTag(0x8001_0003).is_named());
        assert!(!PropTag(0xFFFF_0003).is_named());
        assert!(PropTag(0x0E12_301F).is_mv_instance());
        assert_eq!(PropTag::parse_hex("0x66040003"), Some(PropTag(0x6604_0003)));
        assert_eq!(PropTag::parse_hex("66040003"), Some(PropTag(0x6604_0003)));
        assert_eq!(t.to_string(), "0x0037001F");
    }
}
