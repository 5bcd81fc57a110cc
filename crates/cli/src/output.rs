//! Output in the two forms of CLI.md: human-readable text, or one JSON document (`--json`).

use oxmapi_core::MapiError;
use oxmapi_wire::describe::Node;
use serde_json::Value;

/// Converts a description tree to JSON.
pub fn to_json(n: &Node) -> Value {
    match n {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Int(i) => match i64::try_from(*i) {
            Ok(v) => Value::from(v),
            Err(_) => Value::from(u64::try_from(*i).unwrap_or(u64::MAX)),
        },
        Node::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        Node::Str(s) => Value::String(s.clone()),
        Node::List(v) => Value::Array(v.iter().map(to_json).collect()),
        Node::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// Renders a description tree as indented text.
pub fn to_text(n: &Node) -> String {
    let mut out = String::new();
    write_text(n, 0, &mut out);
    out
}

fn scalar(n: &Node) -> Option<String> {
    Some(match n {
        Node::Null => "-".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Str(s) => s.clone(),
        Node::List(v) if v.is_empty() => "[]".into(),
        Node::Map(m) if m.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn write_text(n: &Node, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match n {
        Node::Map(m) => {
            for (k, v) in m {
                match scalar(v) {
                    Some(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        write_text(v, indent + 1, out);
                    }
                }
            }
        }
        Node::List(v) => {
            for (i, x) in v.iter().enumerate() {
                match scalar(x) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}[{i}]{}\n", headline(x)));
                        write_text(x, indent + 1, out);
                    }
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other).unwrap_or_default())),
    }
}

/// For a list item describing a property (a map with scalar `name` and `value`), ` NAME: VALUE`
/// to put on its `[i]` line, so that a property's name and value can be found on one line.
fn headline(n: &Node) -> String {
    let Node::Map(m) = n else { return String::new() };
    let field = |k: &str| m.iter().find(|(key, _)| key == k).and_then(|(_, v)| scalar(v));
    match (field("name"), field("value")) {
        (Some(name), Some(value)) => format!(" {name}: {value}"),
        _ => String::new(),
    }
}

/// Prints a result in the selected form.
pub fn print(n: &Node, json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(n)).unwrap_or_else(|_| "null".into()));
    } else {
        print!("{}", to_text(n));
    }
}

/// Prints a failure as CLI.md requires: `error: NAME (0xXXXXXXXX): message` on stderr, or the
/// JSON error document on stdout with `--json`.
pub fn print_error(e: &MapiError, json: bool) {
    if json {
        let mut v = serde_json::json!({"error": {
            "name": e.code.name(),
            "code": format!("0x{:08X}", e.code.0),
            "message": e.message,
        }});
        if let Some(c) = e.cause {
            v["error"]["cause"] = serde_json::json!({"name": c.name(), "code": format!("0x{:08X}", c.0)});
        }
        println!("{v}");
    } else {
        eprintln!("error: {e}");
        if let Some(a) = e.advice() {
            eprintln!("hint: {a}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_property_in_a_list_has_its_name_and_value_on_one_line() {
        let prop =
            Node::map([("name", Node::str("PR_X_W")), ("tag", Node::str("0x1")), ("value", Node::str("v"))]);
        let other = Node::map([("a", Node::Int(1))]);
        let text = to_text(&Node::List(vec![prop, other]));
        assert_eq!(text, "[0] PR_X_W: v\n  name: PR_X_W\n  tag: 0x1\n  value: v\n[1]\n  a: 1\n");
    }
}
