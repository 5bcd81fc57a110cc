//! How values look in the editor: one line in a list, the text `e` offers for editing (the form
//! `parse_value` reads back), and Enter on a property: its whole value and decoded view.

use oxmapi_core::{PropValue, TaggedValue};
use oxmapi_wire::describe::{Node, value_node};

use super::app::Pane;
use super::list::Rows;

/// A value on one line: integers in decimal and hex, text as is, binary as hex.
pub fn value_text(v: &PropValue) -> String {
    match v {
        PropValue::I16(x) => format!("{x} (0x{:04X})", *x as u16),
        PropValue::I32(x) => format!("{x} (0x{:08X})", *x as u32),
        PropValue::I64(x) => format!("{x} (0x{:016X})", *x as u64),
        other => node_text(&value_node(other)),
    }
}

/// A description node on one line.
pub fn node_text(n: &Node) -> String {
    match n {
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Str(s) => s.replace(['\r', '\n'], " "),
        Node::List(v) => format!("[{}]", v.iter().map(node_text).collect::<Vec<_>>().join(", ")),
        Node::Map(m) => {
            let inner: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {}", node_text(v))).collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// A value as `e` offers it for editing: the form [`parse_value`] reads back.
pub fn edit_text(v: &PropValue) -> String {
    match v {
        PropValue::I16(x) => format!("0x{:04X}", *x as u16),
        PropValue::I32(x) => format!("0x{:08X}", *x as u32),
        PropValue::I64(x) => format!("0x{:016X}", *x as u64),
        PropValue::Unicode(s) => s.clone(),
        PropValue::String8(b) => oxmapi_core::text::decode_cp1252(b),
        PropValue::Binary(b) | PropValue::ServerId(b) | PropValue::RuleAction(b) => {
            b.iter().map(|x| format!("{x:02x}")).collect()
        }
        PropValue::Error(e) => format!("0x{e:08X}"),
        other => match value_node(other) {
            Node::Str(s) => s,
            n @ Node::List(_) => crate::output::to_json(&n).to_string(),
            n => node_text(&n),
        },
    }
}

/// Enter on a property: its whole value, and the decoded view, one line a row.
pub struct DetailPane {
    title: String,
    rows: Rows,
}

impl DetailPane {
    /// The detail of `tv`.
    pub fn new(name: String, tv: &TaggedValue, decoded: Option<String>) -> DetailPane {
        let mut rows = vec![
            vec!["Property".into(), name.clone()],
            vec!["Tag".into(), format!("0x{:08X}", tv.tag.0)],
            vec!["Type".into(), tv.value.prop_type().pt_name().to_string()],
        ];
        let full = match &tv.value {
            PropValue::Binary(b) | PropValue::ServerId(b) => {
                b.chunks(16).map(|c| c.iter().map(|x| format!("{x:02X} ")).collect::<String>()).collect()
            }
            PropValue::Unicode(s) => s.lines().map(str::to_string).collect(),
            other => vec![value_text(other)],
        };
        for (i, line) in full.into_iter().enumerate() {
            rows.push(vec![if i == 0 { "Value".into() } else { String::new() }, line]);
        }
        if let Some(d) = decoded {
            rows.push(vec!["Decoded".into(), d]);
        }
        DetailPane { title: format!("{name} (q goes back)"), rows: Rows::new(&["Field", "Value"], rows) }
    }
}

impl Pane for DetailPane {
    fn kind(&self) -> &'static str {
        "detail"
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn rows(&self) -> &Rows {
        &self.rows
    }

    fn rows_mut(&mut self) -> &mut Rows {
        &mut self.rows
    }
}
