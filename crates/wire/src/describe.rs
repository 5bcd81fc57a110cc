//! A neutral description tree of decoded wire structures, for inspection tools.
//!
//! Conventions (CLI.md "inspect"): byte strings are lowercase hex, FIDs/MIDs `RRRR-GGGGGGGGGGGG`,
//! GUIDs `{XXXXXXXX-…}`, flag fields `0x`-prefixed hex, status codes hex with their MAPI name,
//! and every ROP and property carries its name.

use oxmapi_core::catalogue;
use oxmapi_core::error::ErrorCode;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_core::named::{NameId, PropertyName};
use oxmapi_core::restriction::Restriction;
use oxmapi_core::sort::SortOrderSet;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use crate::cdata::{PropertyProblem, PropertyRow, RowValue};

/// A node of the description tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Nothing.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    List(Vec<Node>),
    /// Named fields, in order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A map from pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Node)>) -> Node {
        Node::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    /// Text.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }
    /// Lowercase hex of bytes.
    pub fn hex(b: &[u8]) -> Node {
        Node::Str(hex(b))
    }
    /// Adds a field to a map node (no-op on other nodes).
    pub fn with(mut self, k: &str, v: Node) -> Node {
        if let Node::Map(m) = &mut self {
            m.push((k.to_string(), v));
        }
        self
    }
    /// Prepends a field to a map node.
    pub fn with_first(mut self, k: &str, v: Node) -> Node {
        if let Node::Map(m) = &mut self {
            m.insert(0, (k.to_string(), v));
        }
        self
    }
}

/// Lowercase hex.
pub fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter().fold(String::with_capacity(b.len() * 2), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

/// Describes a value for inspection; `field` is the field name, which decides number styles.
pub trait Describe {
    /// The description.
    fn describe(&self, field: &str) -> Node;
}

fn is_flag_field(f: &str) -> bool {
    f.contains("flags") || f.ends_with("_mask") || f == "notification_types"
}

fn is_status_field(f: &str) -> bool {
    matches!(f, "return_value" | "error_code" | "status_code" | "error")
}

/// A status code with its name.
pub fn status(code: u32) -> Node {
    Node::map([("code", Node::str(format!("0x{code:08x}"))), ("name", Node::str(ErrorCode(code).name()))])
}

macro_rules! describe_int {
    ($($t:ty),*) => {$(
        impl Describe for $t {
            fn describe(&self, field: &str) -> Node {
                if is_status_field(field) {
                    status(*self as u32)
                } else if is_flag_field(field) {
                    Node::Str(format!("0x{:0w$x}", self, w = 2 * std::mem::size_of::<$t>()))
                } else {
                    Node::Int(*self as i128)
                }
            }
        }
    )*};
}
describe_int!(u8, u16, u32, u64, i16, i32, i64);

impl Describe for bool {
    fn describe(&self, _f: &str) -> Node {
        Node::Bool(*self)
    }
}
impl Describe for String {
    fn describe(&self, _f: &str) -> Node {
        Node::Str(self.clone())
    }
}
impl Describe for Vec<u8> {
    fn describe(&self, _f: &str) -> Node {
        Node::hex(self)
    }
}
impl<const N: usize> Describe for [u8; N] {
    fn describe(&self, _f: &str) -> Node {
        Node::hex(self)
    }
}
impl<T: Describe> Describe for Option<T> {
    fn describe(&self, f: &str) -> Node {
        self.as_ref().map(|x| x.describe(f)).unwrap_or(Node::Null)
    }
}
impl Describe for ObjectId {
    fn describe(&self, _f: &str) -> Node {
        Node::Str(self.to_string())
    }
}
impl Describe for Guid {
    fn describe(&self, _f: &str) -> Node {
        match oxmapi_core::guid::well_known_name(self) {
            Some(n) => Node::map([("guid", Node::str(self.to_string())), ("name", Node::str(n))]),
            None => Node::Str(self.to_string()),
        }
    }
}
impl Describe for LongTermId {
    fn describe(&self, _f: &str) -> Node {
        Node::map([
            ("database_guid", Node::str(self.database_guid.to_string())),
            ("global_counter", Node::str(format!("{:012x}", self.global_counter))),
        ])
    }
}
impl Describe for PropTag {
    fn describe(&self, _f: &str) -> Node {
        tag_node(*self)
    }
}

/// A property tag with its name.
pub fn tag_node(t: PropTag) -> Node {
    let mut m = vec![("tag".to_string(), Node::str(format!("0x{:08x}", t.0)))];
    if let Some(found) = catalogue::by_tag(t) {
        m.push(("name".into(), Node::str(found.pr_name())));
        m.push(("canonical".into(), Node::str(found.entry.canonical)));
    }
    m.push((
        "type".into(),
        Node::str(
            t.prop_type()
                .map(|p| p.ptyp_name().to_string())
                .unwrap_or_else(|_| format!("0x{:04x}", t.raw_type())),
        ),
    ));
    Node::Map(m)
}

/// Implements [`Describe`] for `Vec<T>` of the listed element types (bytes are hex instead).
#[macro_export]
#[doc(hidden)]
macro_rules! describe_vec {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::describe::Describe for Vec<$t> {
            fn describe(&self, f: &str) -> $crate::describe::Node {
                $crate::describe::Node::List(self.iter().map(|x| $crate::describe::Describe::describe(x, f)).collect())
            }
        }
    )*};
}
describe_vec!(
    u16,
    u32,
    String,
    ObjectId,
    PropTag,
    TaggedValue,
    PropertyProblem,
    PropertyName,
    Option<PropertyName>,
    Vec<u8>
);

/// A property value.
pub fn value_node(v: &PropValue) -> Node {
    use PropValue as V;
    match v {
        V::Null => Node::Null,
        V::I16(x) => Node::Int(*x as i128),
        V::I32(x) => Node::Int(*x as i128),
        V::I64(x) | V::Currency(x) => Node::Int(*x as i128),
        V::F32(x) => Node::Float(*x as f64),
        V::F64(x) | V::AppTime(x) => Node::Float(*x),
        V::Error(x) => status(*x),
        V::Bool(b) => Node::Bool(*b),
        V::Object(x) => Node::Int(*x as i128),
        V::String8(b) => Node::Str(oxmapi_core::text::decode_cp1252(b)),
        V::Unicode(s) => Node::Str(s.clone()),
        V::SysTime(t) => Node::Str(t.to_rfc3339()),
        V::Guid(g) => Node::Str(g.to_string()),
        V::ServerId(b) | V::Binary(b) | V::RuleAction(b) => Node::hex(b),
        V::Restriction(r) => r.describe(""),
        other => Node::List(other.elements().iter().map(value_node).collect()),
    }
}

impl Describe for PropValue {
    fn describe(&self, _f: &str) -> Node {
        value_node(self)
    }
}

impl Describe for TaggedValue {
    fn describe(&self, _f: &str) -> Node {
        tag_node(self.tag).with("value", value_node(&self.value))
    }
}

impl Describe for PropertyProblem {
    fn describe(&self, _f: &str) -> Node {
        Node::map([
            ("index", Node::Int(self.index as i128)),
            ("tag", tag_node(self.tag)),
            ("error", status(self.error.0)),
        ])
    }
}

impl Describe for PropertyName {
    fn describe(&self, _f: &str) -> Node {
        let name = match &self.name {
            NameId::Id(lid) => ("lid", Node::str(format!("0x{lid:08x}"))),
            NameId::String(s) => ("name", Node::str(s.clone())),
        };
        Node::map([("guid", self.guid.describe("")), name])
    }
}

impl Describe for SortOrderSet {
    fn describe(&self, _f: &str) -> Node {
        Node::map([
            (
                "orders",
                Node::List(
                    self.orders
                        .iter()
                        .map(|o| tag_node(o.tag).with("order", Node::str(o.direction.name())))
                        .collect(),
                ),
            ),
            ("categorized_count", Node::Int(self.categorized_count as i128)),
            ("expanded_count", Node::Int(self.expanded_count as i128)),
        ])
    }
}

impl Describe for Restriction {
    fn describe(&self, _f: &str) -> Node {
        let base = Node::map([("type", Node::str(self.type_name()))]);
        match self {
            Restriction::And(v) | Restriction::Or(v) => {
                base.with("restrictions", Node::List(v.iter().map(|r| r.describe("")).collect()))
            }
            Restriction::Not(r) => base.with("restriction", r.describe("")),
            Restriction::Content { fuzzy_level_low, fuzzy_level_high, prop_tag, value } => base
                .with("fuzzy_level_low", Node::str(format!("0x{fuzzy_level_low:04x}")))
                .with("fuzzy_level_high", Node::str(format!("0x{fuzzy_level_high:04x}")))
                .with("property", tag_node(*prop_tag))
                .with("value", value.describe("")),
            Restriction::Property { relop, prop_tag, value } => base
                .with("relop", Node::str(relop.name()))
                .with("property", tag_node(*prop_tag))
                .with("value", value.describe("")),
            Restriction::CompareProperties { relop, prop_tag1, prop_tag2 } => base
                .with("relop", Node::str(relop.name()))
                .with("property1", tag_node(*prop_tag1))
                .with("property2", tag_node(*prop_tag2)),
            Restriction::BitMask { relop, prop_tag, mask } => base
                .with(
                    "relop",
                    Node::str(
                        format!("{relop:?}")
                            .to_uppercase()
                            .replace("EQZ", "BMR_EQZ")
                            .replace("NEZ", "BMR_NEZ"),
                    ),
                )
                .with("property", tag_node(*prop_tag))
                .with("mask", Node::str(format!("0x{mask:08x}"))),
            Restriction::Size { relop, prop_tag, size } => base
                .with("relop", Node::str(relop.name()))
                .with("property", tag_node(*prop_tag))
                .with("size", Node::Int(*size as i128)),
            Restriction::Exist { prop_tag } => base.with("property", tag_node(*prop_tag)),
            Restriction::SubObject { subobject, restriction } => {
                base.with("subobject", tag_node(*subobject)).with("restriction", restriction.describe(""))
            }
            Restriction::Comment { values, restriction } => base
                .with("values", Node::List(values.iter().map(|v| v.describe("")).collect()))
                .with("restriction", restriction.as_ref().map(|r| r.describe("")).unwrap_or(Node::Null)),
            Restriction::Count { count, restriction } => {
                base.with("count", Node::Int(*count as i128)).with("restriction", restriction.describe(""))
            }
        }
    }
}

impl Describe for Box<Restriction> {
    fn describe(&self, f: &str) -> Node {
        (**self).describe(f)
    }
}

/// A row over columns.
pub fn row_node(row: &PropertyRow, columns: &[PropTag]) -> Node {
    Node::List(
        row.values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let col = columns.get(i).copied().unwrap_or_default();
                let base = tag_node(col);
                match v {
                    RowValue::Value(v) => base.with("value", value_node(v)),
                    RowValue::NotFound { .. } => {
                        base.with("value", Node::Null).with("flag", Node::str("not_found"))
                    }
                    RowValue::Error { code, .. } => base.with("error", status(*code)),
                }
            })
            .collect(),
    )
}

/// Implements [`Describe`] for a struct as a map of the listed fields.
#[macro_export]
#[doc(hidden)]
macro_rules! describe_fields {
    ($name:ty { $($f:ident),* $(,)? }) => {
        impl $crate::describe::Describe for $name {
            fn describe(&self, _field: &str) -> $crate::describe::Node {
                $crate::describe::Node::Map(vec![
                    $( (stringify!($f).to_string(), $crate::describe::Describe::describe(&self.$f, stringify!($f))), )*
                ])
            }
        }
    };
}

impl Describe for crate::aux::AuxBlock {
    fn describe(&self, _f: &str) -> Node {
        use crate::aux::AuxBlock as A;
        let hex32 = |v: u32| Node::str(format!("0x{v:08x}"));
        match self {
            A::PerfRequestId { session_id, request_id } => Node::map([
                ("type", Node::str("AUX_PERF_REQUESTID")),
                ("session_id", Node::Int(*session_id as i128)),
                ("request_id", Node::Int(*request_id as i128)),
            ]),
            A::PerfSessionInfo { session_id, session_guid, .. } => Node::map([
                ("type", Node::str("AUX_PERF_SESSIONINFO")),
                ("session_id", Node::Int(*session_id as i128)),
                ("session_guid", Node::str(session_guid.to_string())),
            ]),
            A::PerfSessionInfoV2 { session_id, session_guid, connection_id, .. } => Node::map([
                ("type", Node::str("AUX_PERF_SESSIONINFO_V2")),
                ("session_id", Node::Int(*session_id as i128)),
                ("session_guid", Node::str(session_guid.to_string())),
                ("connection_id", Node::Int(*connection_id as i128)),
            ]),
            A::ClientControl { enable_flags, expiry_time } => Node::map([
                ("type", Node::str("AUX_CLIENT_CONTROL")),
                ("enable_flags", hex32(*enable_flags)),
                ("expiry_time", Node::Int(*expiry_time as i128)),
            ]),
            A::ExOrgInfo { org_flags } => {
                Node::map([("type", Node::str("AUX_EXORGINFO")), ("org_flags", hex32(*org_flags))])
            }
            A::ServerCapabilities { flags } => {
                Node::map([("type", Node::str("AUX_SERVER_CAPABILITIES")), ("flags", hex32(*flags))])
            }
            A::EndpointCapabilities { flags } => {
                Node::map([("type", Node::str("AUX_ENDPOINT_CAPABILITIES")), ("flags", hex32(*flags))])
            }
            A::Unknown { version, aux_type, data } => Node::map([
                ("type", Node::str(crate::aux::type_name(*version, *aux_type))),
                ("version", Node::Int(*version as i128)),
                ("aux_type", Node::str(format!("0x{aux_type:02x}"))),
                ("data", Node::hex(data)),
            ]),
            other => Node::map([("block", Node::str(format!("{other:?}")))]),
        }
    }
}
