//! Property bags: anything a restriction can be evaluated against and a property list can be
//! read from (a message, a folder, a recipient row, a profile section).

use std::collections::BTreeMap;

use crate::tag::PropTag;
use crate::value::{PropValue, TaggedValue};

/// Read access to an object's properties, addressed by property id.
pub trait PropertyBag {
    /// The value stored under the id of `tag`, whatever its type.
    fn get(&self, tag: PropTag) -> Option<&PropValue>;

    /// Calls `f` for each sub-object of `kind` (PR_MESSAGE_RECIPIENTS → recipient rows,
    /// PR_MESSAGE_ATTACHMENTS → attachments) until `f` returns true; returns whether it did.
    /// Objects without sub-objects keep the default, which visits nothing.
    fn any_sub_object(&self, kind: PropTag, f: &mut dyn FnMut(&dyn PropertyBag) -> bool) -> bool {
        let _ = (kind, f);
        false
    }
}

/// An in-memory property bag keyed by property id (one value per id, as in MAPI).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropBag {
    props: BTreeMap<u16, TaggedValue>,
    /// Sub-objects by kind tag (recipients, attachments).
    pub sub_objects: BTreeMap<PropTag, Vec<PropBag>>,
}

impl PropBag {
    /// An empty bag.
    pub fn new() -> PropBag {
        PropBag::default()
    }
    /// Sets a value; the stored tag takes the value's own type.
    pub fn set(&mut self, tag: PropTag, value: PropValue) {
        let tv = TaggedValue::new(tag, value);
        self.props.insert(tv.tag.id(), tv);
    }
    /// Builder form of [`PropBag::set`].
    pub fn with(mut self, tag: PropTag, value: PropValue) -> PropBag {
        self.set(tag, value);
        self
    }
    /// Removes the property with the id of `tag`; returns the old value.
    pub fn remove(&mut self, tag: PropTag) -> Option<PropValue> {
        self.props.remove(&tag.id()).map(|t| t.value)
    }
    /// Number of properties.
    pub fn len(&self) -> usize {
        self.props.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.props.is_empty()
    }
    /// The properties in id order.
    pub fn iter(&self) -> impl Iterator<Item = &TaggedValue> {
        self.props.values()
    }
    /// The tags in id order.
    pub fn tags(&self) -> Vec<PropTag> {
        self.props.values().map(|t| t.tag).collect()
    }
}

impl PropertyBag for PropBag {
    fn get(&self, tag: PropTag) -> Option<&PropValue> {
        self.props.get(&tag.id()).map(|t| &t.value)
    }

    fn any_sub_object(&self, kind: PropTag, f: &mut dyn FnMut(&dyn PropertyBag) -> bool) -> bool {
        self.sub_objects.get(&kind).map(|v| v.iter().any(|b| f(b))).unwrap_or(false)
    }
}

impl FromIterator<TaggedValue> for PropBag {
    fn from_iter<I: IntoIterator<Item = TaggedValue>>(iter: I) -> Self {
        let mut b = PropBag::new();
        for t in iter {
            b.set(t.tag, t.value);
        }
        b
    }
}
