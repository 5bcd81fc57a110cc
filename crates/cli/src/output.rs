//! Output in the two forms of CLI.md: human-readable text, or one JSON document (`--json`).

use oxmapi_wire::describe::Node;
use serde_json::Value;

use crate::failure::Failure;

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

/// Prints a result: a list of rows as [`print_rows`] does (a table), anything else as [`print`].
pub fn print_result(n: &Node, json: bool) {
    match n {
        Node::List(items) if items.iter().all(|i| matches!(i, Node::Map(_))) => {
            print_rows(n, json, "no items")
        }
        _ => print(n, json),
    }
}

/// Prints a list of rows (maps): JSON with `--json`, tab-separated with `--format tsv`, else an
/// aligned table (one line per row, see [`crate::table`]). An empty list says `empty` in words
/// in the text form; JSON prints `[]` and TSV nothing, as a script expects.
pub fn print_rows(rows: &Node, json: bool, empty: &str) {
    if json {
        return print(rows, true);
    }
    let Node::List(items) = rows else { return print(rows, false) };
    match crate::table::format() {
        crate::table::Format::Tsv => print!("{}", crate::table::tsv(items)),
        _ if items.is_empty() => println!("{empty}"),
        _ => print!("{}", crate::table::aligned(items, crate::table::terminal_width())),
    }
}

/// Prints a failure as CLI.md requires: `error: NAME (0xXXXXXXXX): message` on stderr, then the
/// hint for the situation, or the JSON error document on stdout with `--json` (the hint under
/// `hint`).
pub fn print_error(f: &Failure, json: bool) {
    let e = &f.error;
    let hint = f.hint();
    if json {
        let mut v = serde_json::json!({"error": {
            "name": e.code.name(),
            "code": format!("0x{:08X}", e.code.0),
            "message": e.message,
        }});
        if let Some(c) = e.cause {
            v["error"]["cause"] = serde_json::json!({"name": c.name(), "code": format!("0x{:08X}", c.0)});
        }
        if let Some(h) = hint {
            v["error"]["hint"] = Value::String(h);
        }
        println!("{v}");
    } else {
        eprintln!("error: {e}");
        if let Some(h) = hint {
            eprintln!("hint: {h}");
        }
    }
}

/// Makes a write to a closed pipe (`oxmapi … | head`) end the process quietly, as it ends `cat`
/// or `ls`: SIGPIPE gets its default action back, so the shell sees status 141 (128 + SIGPIPE)
/// and nothing is printed.
///
/// Rust starts programs with SIGPIPE ignored, so every `print!` to a closed pipe returns EPIPE
/// and `print!` panics on it (exit 101). Restoring the default once, here, covers every write
/// to stdout and stderr — `print!`, `eprint!` and writers alike, in every command, including
/// ones added later — where wrapping each write would miss any that does not go through the
/// wrapper. This is what rustc's `-Zon-broken-pipe=kill` does. Sockets are not affected: the
/// standard library sends with MSG_NOSIGNAL on Linux, so a peer that goes away is an error, not
/// a signal. `oxmapi serve` does not call this: a server must outlive the terminal or pipe that
/// started it.
#[cfg(unix)]
pub fn end_quietly_on_closed_pipe() {
    // SAFETY: signal(2) with SIG_DFL installs no handler; called once on the main thread
    // before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Elsewhere a closed pipe is an error as before.
#[cfg(not(unix))]
pub fn end_quietly_on_closed_pipe() {}

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
