//! Rows and property lists as output nodes: columns by their PR_ name, entry IDs as hex.

use oxmapi_client::store::Row;
use oxmapi_core::catalogue;
use oxmapi_core::catalogue::tags::PR_ENTRYID;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::{Node, tag_node, value_node};

/// The name a column goes by in output: its PR_ name without the `_W` string-width suffix,
/// else the hex tag.
pub fn column_name(tag: PropTag) -> String {
    catalogue::by_tag(tag).map(|m| m.entry.pr_name.to_string()).unwrap_or_else(|| format!("0x{:08X}", tag.0))
}

/// A table row: `entry_id` (hex) first when the row has PR_ENTRYID, then every column with a
/// value by name.
pub fn row_node(row: &Row) -> Node {
    let mut pairs: Vec<(String, Node)> = Vec::new();
    for (tag, v) in row.columns.iter().zip(&row.values) {
        if let RowValue::Value(v) = v {
            if tag.id() == PR_ENTRYID.id()
                && let PropValue::Binary(b) = v
            {
                pairs.insert(0, ("entry_id".into(), Node::hex(b)));
                continue;
            }
            pairs.push((column_name(*tag), value_node(v)));
        }
    }
    Node::Map(pairs)
}

/// Every property: name, tag, type, value.
pub fn props_node(values: &[TaggedValue]) -> Node {
    let mut sorted: Vec<&TaggedValue> = values.iter().collect();
    sorted.sort_by_key(|v| v.tag.id());
    Node::List(sorted.into_iter().map(|v| tag_node(v.tag).with("value", value_node(&v.value))).collect())
}
