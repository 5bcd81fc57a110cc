//! Profile sections (IProfSect): a property bag keyed by a MAPIUID, one per message service,
//! one per provider, plus the global profile section (`pbGlobalProfileSectionGuid`).
//!
//! A section holds one value per property id, as every MAPI property object does; a value is
//! found by a tag of the same id and the same type, where the two string widths count as the
//! same type (MAPI converts between PT_STRING8 and PT_UNICODE in GetProps) and PT_UNSPECIFIED
//! matches any type.

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::ptype::PropType;
use oxmapi_core::{PropBag, PropTag, PropValue, TaggedValue};

/// One profile section's properties (IProfSect / IMAPIProp over a profile section).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileSection {
    props: PropBag,
}

impl ProfileSection {
    /// An empty section.
    pub fn new() -> ProfileSection {
        ProfileSection::default()
    }

    /// The value under `tag` (IMAPIProp::GetProps for one tag): same id, and the same type
    /// (either string width for a string tag; any type for PT_UNSPECIFIED).
    pub fn get(&self, tag: PropTag) -> Option<&PropValue> {
        let v = self.props.get(tag)?;
        types_match(tag, v.prop_type()).then_some(v)
    }

    /// The stored tag and value with the id of `tag`, whatever its type.
    pub fn get_any(&self, tag: PropTag) -> Option<&TaggedValue> {
        self.props.iter().find(|t| t.tag.id() == tag.id())
    }

    /// Sets a value (IMAPIProp::SetProps for one property); the stored tag takes the value's own
    /// type and replaces any value with the same id.
    pub fn set(&mut self, tag: PropTag, value: PropValue) {
        self.props.set(tag, value);
    }

    /// Removes the property with the id of `tag` (IMAPIProp::DeleteProps); returns the old value.
    pub fn remove(&mut self, tag: PropTag) -> Option<PropValue> {
        self.props.remove(tag)
    }

    /// The properties in property-id order.
    pub fn iter(&self) -> impl Iterator<Item = &TaggedValue> {
        self.props.iter()
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.props.len()
    }

    /// True when the section has no properties.
    pub fn is_empty(&self) -> bool {
        self.props.is_empty()
    }

    /// The section as a property bag (for restriction evaluation and display).
    pub fn as_bag(&self) -> &PropBag {
        &self.props
    }

    /// A PT_LONG value as its 32 bits.
    pub fn get_u32(&self, tag: PropTag) -> Option<u32> {
        match self.get(tag.with_type(PropType::Integer32))? {
            PropValue::I32(v) => Some(*v as u32),
            _ => None,
        }
    }

    /// A string value (PT_UNICODE, or PT_STRING8 decoded as Windows-1252).
    pub fn get_text(&self, tag: PropTag) -> Option<String> {
        self.get(tag.with_type(PropType::String))?.as_text().map(|t| t.into_owned())
    }

    /// Sets a PT_UNICODE value under the id of `tag`.
    pub fn set_text(&mut self, tag: PropTag, text: impl Into<String>) {
        self.set(tag, PropValue::Unicode(text.into()));
    }

    /// Sets a PT_LONG value under the id of `tag`.
    pub fn set_u32(&mut self, tag: PropTag, v: u32) {
        self.set(tag, PropValue::I32(v as i32));
    }

    /// Sets `value` only when the section has no property with the id of `tag`.
    pub fn set_default(&mut self, tag: PropTag, value: PropValue) {
        if self.get_any(tag).is_none() {
            self.set(tag, value);
        }
    }
}

impl FromIterator<TaggedValue> for ProfileSection {
    fn from_iter<I: IntoIterator<Item = TaggedValue>>(iter: I) -> Self {
        ProfileSection { props: iter.into_iter().collect() }
    }
}

/// True when a value of type `stored` answers a request for `tag`.
fn types_match(tag: PropTag, stored: PropType) -> bool {
    let Ok(want) = tag.prop_type() else { return false };
    let string = |t: PropType| t.is_string();
    let mv_string = |t: PropType| matches!(t, PropType::MultipleString | PropType::MultipleString8);
    want == PropType::Unspecified
        || want == stored
        || (string(want) && string(stored))
        || (mv_string(want) && mv_string(stored))
}
