//! Rows and property lists as output nodes: columns by their PR_ name, entry IDs as hex.

use oxmapi_client::store::Row;
use oxmapi_core::catalogue;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::TaggedValue;
use oxmapi_wire::describe::Node;

/// The name a column goes by in output: its PR_ name without the `_W` string-width suffix,
/// else the hex tag.
pub fn column_name(tag: PropTag) -> String {
    catalogue::by_tag(tag).map(|m| m.entry.pr_name.to_string()).unwrap_or_else(|| format!("0x{:08X}", tag.0))
}

/// A table row: `entry_id` (hex) first when the row has PR_ENTRYID, then every column with a
/// value by name (named properties by their hex tag: [`super::named_tags::Names::row_node`]
/// names them).
pub fn row_node(row: &Row) -> Node {
    super::named_tags::Names::default().row_node(row)
}

/// Every property, one row each, decoded ([`super::named_tags::Names::props_node`]; named
/// properties by their hex tag, as a file's or an address book entry's ids name no store).
pub fn props_node(values: &[TaggedValue]) -> Node {
    super::named_tags::Names::default().props_node(values)
}
