//! Moving an item read with its own named-property map (a TNEF stream, a message/rfc822
//! part) under a top-level [`Message`], whose one map covers the whole tree (see
//! [`crate::item`]): its local named ids are rewritten to the parent's.

use std::collections::BTreeMap;

use oxmapi_core::bag::PropBag;
use oxmapi_core::tag::PropTag;

use crate::item::{Attachment, FIRST_NAMED_ID, Item, Message};

/// `child`'s item with its named ids mapped into `parent`'s map (names added as needed).
pub(crate) fn adopt(parent: &mut Message, child: Message) -> Item {
    let map: BTreeMap<u16, u16> = child.names.iter().map(|(id, name)| (*id, parent.id_of(name))).collect();
    remap_item(&child.item, &map)
}

/// A copy of `bag` with named ids mapped through `map` (old local id → new); a named id the
/// map does not know is dropped, as its name is unknown.
pub(crate) fn remap_bag(bag: &PropBag, map: &BTreeMap<u16, u16>) -> PropBag {
    let mut out = PropBag::new();
    out.sub_objects = bag.sub_objects.clone();
    for tv in bag.iter() {
        let id = tv.tag.id();
        if id < FIRST_NAMED_ID {
            out.set(tv.tag, tv.value.clone());
        } else if let Some(&to) = map.get(&id) {
            out.set(PropTag::from_parts(to, tv.tag.raw_type()), tv.value.clone());
        }
    }
    out
}

fn remap_item(item: &Item, map: &BTreeMap<u16, u16>) -> Item {
    Item {
        props: remap_bag(&item.props, map),
        recipients: item.recipients.iter().map(|r| remap_bag(r, map)).collect(),
        attachments: item
            .attachments
            .iter()
            .map(|a| Attachment {
                props: remap_bag(&a.props, map),
                embedded: a.embedded.as_ref().map(|e| Box::new(remap_item(e, map))),
                storage: a.storage.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::bag::PropertyBag;
    use oxmapi_core::guid::PS_PUBLIC_STRINGS;
    use oxmapi_core::named::PropertyName;
    use oxmapi_core::ptype::PropType;
    use oxmapi_core::value::PropValue;

    #[test]
    fn named_ids_follow_the_parent_map() {
        let mut parent = Message::default();
        let a = PropertyName::string(PS_PUBLIC_STRINGS, "A");
        let b = PropertyName::string(PS_PUBLIC_STRINGS, "B");
        parent.id_of(&a);
        let mut child = Message::default();
        let cb = child.id_of(&b);
        let ca = child.id_of(&a);
        child.item.props.set(PropTag::new(cb, PropType::Integer32), PropValue::I32(2));
        child.item.props.set(PropTag::new(ca, PropType::Integer32), PropValue::I32(1));
        child.item.props.set(PropTag::new(0x9999, PropType::Integer32), PropValue::I32(9));
        let item = adopt(&mut parent, child);
        assert_eq!(item.props.get(PropTag::new(0x8000, PropType::Integer32)), Some(&PropValue::I32(1)));
        assert_eq!(item.props.get(PropTag::new(0x8001, PropType::Integer32)), Some(&PropValue::I32(2)));
        assert_eq!(item.props.len(), 2);
    }
}
