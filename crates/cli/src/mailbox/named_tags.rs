//! Property tags as the command line names them, named properties included (MS-OXPROPS 1.3.2,
//! MS-OXCDATA 2.6.1): `PR_SUBJECT`, `0x0037001F`, `PidLidEmail1EmailAddress`,
//! `{00062004-0000-0000-C000-000000000046}:0x8083`, `PSETID_Address:0x8083`,
//! `PS_PUBLIC_STRINGS:"Keywords"`, optionally with `:PT_TYPE`. A named property's id is the
//! store's mapping (RopGetPropertyIdsFromNames, MS-OXCPRPT 2.2.12): created only when the
//! command writes. Shown the other way: ids from 0x8000 up are named through
//! RopGetNamesFromPropertyIds and printed by their canonical name.

use std::collections::HashMap;

use oxmapi_client::store::{MsgStore, Row};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::named as catalogue;
use oxmapi_core::catalogue::tags::PR_ENTRYID;
use oxmapi_core::error::codes;
use oxmapi_core::named::PropertyName;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::{Node, tag_node, value_node};

use super::values::column_name;
use crate::failure::Failure;

/// The first property id of the named range (MS-OXPROPS 1.3.2: 0x8000–0xFFFE).
const FIRST_NAMED_ID: u16 = 0x8000;

/// The tag `text` names in `store`: an ordinary tag, or a named property mapped to its id
/// (`create`: map it when the store has not yet, as a write does). `arg` and `form` make the
/// hint of a bad one.
pub fn resolve(
    store: &MsgStore,
    arg: &str,
    text: &str,
    create: bool,
    form: &str,
) -> Result<PropTag, Failure> {
    let spec = catalogue::parse_named(text)
        .map_err(|why| Failure::bad_input(codes::MAPI_E_NOT_FOUND, arg, why, form))?;
    let Some(spec) = spec else {
        return oxmapi_client::profile::parse::parse_tag(text)
            .map_err(|e| Failure::with_hint(e, format!("{arg} takes {form}")));
    };
    let Some(ptype) = spec.ptype else {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_TYPE,
            arg,
            format!("{text}: the named property is not in the catalogue, so its type must be given"),
            "the type after the name, e.g. PSETID_Address:0x8099:PT_UNICODE or {GUID}:\"name\":PT_LONG",
        ));
    };
    let ids = store.get_ids_from_names(std::slice::from_ref(&spec.name), create)?;
    match ids.first() {
        Some(&id) if id >= FIRST_NAMED_ID => Ok(PropTag::new(id, ptype)),
        _ => Err(Failure::with_hint(
            MapiError::new(
                codes::MAPI_E_NOT_FOUND,
                format!("{text}: the store has no id for the named property {} yet", spec.name),
            ),
            "nothing in this store has the property yet; set it once (`oxmapi setprop ITEM NAME VALUE`) and it gets an id",
        )),
    }
}

/// The names of the named-property ids among some tags (RopGetNamesFromPropertyIds), for
/// output. A store that cannot say (an old server, a failure) leaves them by their hex tag.
#[derive(Default)]
pub struct Names {
    by_id: HashMap<u16, PropertyName>,
}

impl Names {
    /// Names for the named ids of `tags`.
    pub fn of_tags(store: &MsgStore, tags: &[PropTag]) -> Names {
        let mut ids: Vec<u16> = tags.iter().map(|t| t.id()).filter(|id| *id >= FIRST_NAMED_ID).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Names::default();
        }
        let Ok(names) = store.get_names_from_ids(&ids) else { return Names::default() };
        Names { by_id: ids.into_iter().zip(names).filter_map(|(id, n)| Some((id, n?))).collect() }
    }

    /// Names for the named ids among `values`.
    pub fn of_values(store: &MsgStore, values: &[TaggedValue]) -> Names {
        Names::of_tags(store, &values.iter().map(|v| v.tag).collect::<Vec<_>>())
    }

    /// The property set and name of `tag`, when it is a named property the store named.
    pub fn property_name(&self, tag: PropTag) -> Option<&PropertyName> {
        self.by_id.get(&tag.id())
    }

    /// How `tag` is shown: a catalogued named property by its canonical name
    /// (PidLidEmail1EmailAddress), another by set and name (PS_PUBLIC_STRINGS:"Keywords"), an
    /// ordinary tag by its PR_ name.
    pub fn name(&self, tag: PropTag) -> String {
        match self.property_name(tag) {
            Some(n) => catalogue::display(n),
            None => column_name(tag),
        }
    }

    /// A table row: `entry_id` first (hex), then each column with a value by its name.
    pub fn row_node(&self, row: &Row) -> Node {
        let mut pairs: Vec<(String, Node)> = Vec::new();
        for (tag, v) in row.columns.iter().zip(&row.values) {
            if let RowValue::Value(v) = v {
                if tag.id() == PR_ENTRYID.id()
                    && let PropValue::Binary(b) = v
                {
                    pairs.insert(0, ("entry_id".into(), Node::hex(b)));
                    continue;
                }
                pairs.push((self.name(*tag), value_node(v)));
            }
        }
        Node::Map(pairs)
    }

    /// Every property, one row each: name, tag, type, value and the decoded view where there
    /// is one (flags by name, entry IDs, times, structures: [`oxmapi_wire::smartview`]).
    pub fn props_node(&self, values: &[TaggedValue]) -> Node {
        let mut sorted: Vec<&TaggedValue> = values.iter().collect();
        sorted.sort_by_key(|v| v.tag.id());
        Node::List(sorted.into_iter().map(|v| self.prop_row(v)).collect())
    }

    fn prop_row(&self, v: &TaggedValue) -> Node {
        let base = tag_node(v.tag);
        let field = |k: &str| match &base {
            Node::Map(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()),
            _ => None,
        };
        // The MS-OXPROPS canonical name: PidTag… from the tag catalogue, PidLid…/PidName… from
        // the named-property catalogue.
        let canonical = match self.property_name(v.tag) {
            Some(n) => catalogue::by_property_name(n).map(|e| Node::str(e.canonical)),
            None => field("canonical"),
        };
        let mut row = Node::map([
            ("name", Node::str(self.name(v.tag))),
            ("tag", field("tag").unwrap_or(Node::Null)),
            ("type", field("type").unwrap_or(Node::Null)),
            ("value", value_node(&v.value)),
        ]);
        if let Some(c) = canonical {
            row = row.with("canonical", c);
        }
        let decoded = match self.property_name(v.tag) {
            Some(n) => {
                row = row.with("set", Node::str(n.to_string()));
                oxmapi_wire::smartview::decode_named(n, &v.value)
            }
            None => oxmapi_wire::smartview::decode_property(v.tag, &v.value),
        };
        if let Some(d) = decoded {
            row = row.with("decoded", d);
        }
        row
    }
}
