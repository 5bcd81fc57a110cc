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
                        out.push_str(&format!("{pad}[{i}]\n"));
                        write_text(x, indent + 1, out);
                    }
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other).unwrap_or_default())),
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
