//! The text forms of a list of rows (CLI.md "Output"): an aligned table for people — one line
//! per row, a header naming the columns — and tab-separated values (`--format tsv`) for
//! scripts. Rows are maps; the columns are every key in the order first seen.

use std::sync::OnceLock;

use oxmapi_wire::describe::Node;

/// How rows print when `--json` is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns (the default).
    Table,
    /// Tab-separated values with a header line; tabs, newlines and backslashes escaped.
    Tsv,
    /// One JSON document (the same as `--json`).
    Json,
}

static FORMAT: OnceLock<Format> = OnceLock::new();

/// Sets the format for this process (from `--format`; once, at start).
pub fn set_format(f: Format) {
    let _ = FORMAT.set(f);
}

/// The format `--format` chose (default: table).
pub fn format() -> Format {
    FORMAT.get().copied().unwrap_or(Format::Table)
}

/// On a terminal, a cell is cut to this many characters in the aligned form (the last column
/// is cut to the terminal's width instead). Into a pipe or a file nothing is cut.
pub const MAX_CELL: usize = 64;

/// Columns the aligned form puts last, in this order (long hex and second names a person rarely
/// reads in a table; `--json` and `--format tsv` keep the order of the data).
const LAST_COLUMNS: &[&str] = &["canonical", "entry_id"];

/// Where the aligned form is cut: `Some(width)` on a terminal (`COLUMNS`, else 80), `None`
/// (nothing cut) when standard output is a pipe or a file.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    Some(std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| *w >= 20).unwrap_or(80))
}

/// The columns: every key of every row, in the order first seen.
fn columns(rows: &[Node]) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    for r in rows {
        if let Node::Map(m) = r {
            for (k, _) in m {
                if !cols.iter().any(|c| c == k) {
                    cols.push(k.clone());
                }
            }
        }
    }
    cols
}

/// A cell's text: scalars as they are, lists as `a, b`, and maps — decoded views above all —
/// as one line a person reads: flag sets as `A | B`, a named value by its name, a time as
/// `UTC …, local …`, anything else as `key: value; …`.
pub fn cell(n: &Node) -> String {
    match n {
        Node::Null => String::new(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        Node::Str(s) => s.clone(),
        Node::List(v) => v.iter().map(cell).collect::<Vec<_>>().join(", "),
        Node::Map(m) => {
            let field = |k: &str| m.iter().find(|(key, _)| key == k).map(|(_, v)| v);
            if let Some(Node::List(names)) = field("names") {
                return if names.is_empty() {
                    "(none)".into()
                } else {
                    names.iter().map(cell).collect::<Vec<_>>().join(" | ")
                };
            }
            if let (Some(Node::Str(name)), 2) = (field("name"), m.len()) {
                return name.clone();
            }
            if let (Some(utc), Some(local)) = (field("utc"), field("local")) {
                return format!("UTC {}, local {}", cell(utc), cell(local));
            }
            m.iter()
                .map(|(k, v)| match (v, cell(v)) {
                    (Node::Map(_), inner) if inner.contains("; ") => format!("{k}: {{{inner}}}"),
                    (_, inner) => format!("{k}: {inner}"),
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

fn get<'a>(row: &'a Node, key: &str) -> Option<&'a Node> {
    match row {
        Node::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// `s` cut to `max` characters, the cut marked with `…`; line breaks shown as `⏎`.
fn fit(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| match c {
            '\n' | '\r' => '⏎',
            '\t' => ' ',
            c => c,
        })
        .collect();
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut out: String = one_line.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The aligned table: a header line and one line per row, columns at most [`MAX_CELL`] wide.
/// With a `width` (a terminal), longer cells other than the last are cut to that and the last to
/// what is left of the width; without one nothing is cut (a longer cell runs past its column).
pub fn aligned(rows: &[Node], width: Option<usize>) -> String {
    let mut cols = columns(rows);
    if cols.is_empty() {
        return String::new();
    }
    cols.sort_by_key(|c| LAST_COLUMNS.iter().position(|l| l == c));
    let max_cell = if width.is_some() { MAX_CELL } else { usize::MAX };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| cols.iter().map(|c| fit(&get(r, c).map(cell).unwrap_or_default(), usize::MAX)).collect())
        .collect();
    let last = cols.len() - 1;
    let mut widths: Vec<usize> = cols.iter().map(|c| c.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate().take(last) {
            // A column is at most MAX_CELL wide; a longer cell (not cut without a terminal)
            // runs past it rather than widening every row.
            widths[i] = widths[i].max(c.chars().count().min(MAX_CELL));
        }
    }
    let lead: usize = widths[..last].iter().map(|w| w + 2).sum();
    let last_max = width.map(|w| w.saturating_sub(lead).max(12)).unwrap_or(usize::MAX);
    let line = |row: &[String]| {
        let mut s = String::new();
        for (i, c) in row.iter().enumerate() {
            if i == last {
                s.push_str(&fit(c, last_max));
            } else {
                let t = fit(c, max_cell);
                s.push_str(&t);
                s.push_str(&" ".repeat(widths[i].saturating_sub(t.chars().count()) + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&cols);
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

fn tsv_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

/// Tab-separated values: the header line, then one line per row, nothing cut.
pub fn tsv(rows: &[Node]) -> String {
    let cols = columns(rows);
    let mut out = String::new();
    if cols.is_empty() {
        return out;
    }
    out.push_str(&cols.iter().map(|c| tsv_escape(c)).collect::<Vec<_>>().join("\t"));
    out.push('\n');
    for r in rows {
        let line: Vec<String> =
            cols.iter().map(|c| tsv_escape(&get(r, c).map(cell).unwrap_or_default())).collect();
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Node> {
        vec![
            Node::map([("n", Node::Int(1)), ("subject", Node::str("invoice\t1")), ("size", Node::Int(120))]),
            Node::map([("n", Node::Int(2)), ("subject", Node::str("a much longer subject line"))]),
        ]
    }

    #[test]
    fn an_aligned_table_has_a_header_and_one_line_per_row() {
        let t = aligned(&rows(), None);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        // The subject column is as wide as its longest cell (26) plus two spaces.
        assert_eq!(lines[0], format!("n  subject{}size", " ".repeat(26 - 7 + 2)));
        assert_eq!(lines[1], format!("1  invoice 1{}120", " ".repeat(26 - 9 + 2)));
        assert_eq!(lines[2], "2  a much longer subject line");
    }

    #[test]
    fn entry_ids_go_last_and_nothing_is_cut_without_a_terminal() {
        let long = "ab".repeat(60);
        let t = aligned(&[Node::map([("entry_id", Node::str(&long)), ("subject", Node::str("hi"))])], None);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "subject  entry_id");
        assert_eq!(lines[1], format!("hi       {long}"));
    }

    #[test]
    fn without_a_terminal_a_long_cell_runs_past_its_column() {
        let long = "x".repeat(100);
        let rows = [
            Node::map([("a", Node::str(&long)), ("b", Node::str("1"))]),
            Node::map([("a", Node::str("short")), ("b", Node::str("2"))]),
        ];
        let t = aligned(&rows, None);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[1], format!("{long}  1"));
        assert_eq!(lines[2], format!("short{}2", " ".repeat(MAX_CELL - 5 + 2)));
    }

    #[test]
    fn long_cells_are_cut_and_marked() {
        let long = "x".repeat(100);
        let t = aligned(&[Node::map([("a", Node::str(&long)), ("b", Node::str(&long))])], Some(80));
        let row = t.lines().nth(1).unwrap();
        assert!(row.starts_with(&format!("{}…  ", "x".repeat(MAX_CELL - 1))), "{row}");
        assert_eq!(row.chars().count(), 80);
    }

    #[test]
    fn decoded_views_read_as_one_line() {
        let flags = Node::map([
            ("value", Node::str("0x00000401")),
            ("names", Node::List(vec![Node::str("MSGFLAG_READ"), Node::str("MSGFLAG_EVERREAD")])),
        ]);
        assert_eq!(cell(&flags), "MSGFLAG_READ | MSGFLAG_EVERREAD");
        assert_eq!(
            cell(&Node::map([("value", Node::Int(1)), ("name", Node::str("IMPORTANCE_NORMAL"))])),
            "IMPORTANCE_NORMAL"
        );
        let time =
            Node::map([("filetime", Node::str("0x1")), ("utc", Node::str("u")), ("local", Node::str("l"))]);
        assert_eq!(cell(&time), "UTC u, local l");
        let nested = Node::map([
            ("kind", Node::str("folder")),
            ("type", Node::map([("value", Node::str("0x1")), ("name", Node::str("eit"))])),
        ]);
        assert_eq!(cell(&nested), "kind: folder; type: eit");
        let deeper = Node::map([("xid", Node::map([("guid", Node::str("g")), ("id", Node::str("1"))]))]);
        assert_eq!(cell(&deeper), "xid: {guid: g; id: 1}");
    }

    #[test]
    fn tsv_escapes_tabs_and_newlines_and_keeps_every_column() {
        let t = tsv(&rows());
        assert_eq!(
            t,
            "n\\tsubject\\tsize\n".replace("\\t", "\t")
                + "1\tinvoice\\t1\t120\n2\ta much longer subject line\t\n"
        );
    }
}
