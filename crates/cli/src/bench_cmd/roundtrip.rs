//! `oxmapi bench roundtrip DIR`: every .msg/.oft and .eml under DIR read with oxmapi-pst
//! (`msg::read_msg`, `mime::read_eml`), written back in its own format (MSG → MSG with
//! `msg::write_msg`, EML → EML with `mime::write_eml`), read again, and the two readings
//! compared on what a person moving mail sees ([`Fingerprint`]): subject, addresses (sender and
//! recipients with their kind), body text, HTML, attachment names and the SHA-256 of each
//! attachment's data. Prints a table of files and outcomes (and with `--json` the same as a
//! list); per file: `ok`, `read failed`, `write failed`, `reread failed` or `changed: FIELDS`.

use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_pst::item::Message;
use oxmapi_pst::mime::{read_eml, write_eml};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};
use oxmapi_wire::describe::Node;

use super::fail;

mod fingerprint;

pub use fingerprint::{Difference, FIELDS, Fingerprint};

/// `oxmapi bench roundtrip` options.
#[derive(clap::Args, Debug)]
pub struct BenchRoundtripArgs {
    /// Directories (searched recursively) or files: .msg, .oft and .eml.
    #[arg(required = true, value_name = "DIR|FILE")]
    pub paths: Vec<PathBuf>,
}

/// The file formats that round-trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Msg,
    Eml,
}

impl Format {
    fn of(p: &Path) -> Option<Format> {
        match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "msg" | "oft" => Some(Format::Msg),
            "eml" => Some(Format::Eml),
            _ => None,
        }
    }

    fn read(self, bytes: &[u8]) -> Result<Message, String> {
        match self {
            Format::Msg => read_msg(bytes, &ReadOptions::default()).map_err(|e| e.to_string()),
            Format::Eml => read_eml(bytes).map_err(|e| e.to_string()),
        }
    }

    fn write(self, m: &Message) -> Result<Vec<u8>, String> {
        match self {
            Format::Msg => write_msg(m).map_err(|e| e.to_string()),
            Format::Eml => write_eml(m).map_err(|e| e.to_string()),
        }
    }
}

/// How one file's round trip went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Read, written, read again, every field kept.
    Ok,
    /// The first read failed.
    ReadFailed(String),
    /// Writing it back failed.
    WriteFailed(String),
    /// The written file could not be read.
    RereadFailed(String),
    /// Read both times, but these fields differ.
    Changed(Vec<Difference>),
}

impl Outcome {
    fn label(&self) -> String {
        match self {
            Outcome::Ok => "ok".into(),
            Outcome::ReadFailed(e) => format!("read failed: {e}"),
            Outcome::WriteFailed(e) => format!("write failed: {e}"),
            Outcome::RereadFailed(e) => format!("reread failed: {e}"),
            Outcome::Changed(d) => {
                format!("changed: {}", d.iter().map(|d| d.field).collect::<Vec<_>>().join(","))
            }
        }
    }
}

/// Reads, writes back and re-reads one file; with the fingerprint of the first reading (what
/// was compared).
fn round_trip(path: &Path) -> (Outcome, Option<Fingerprint>) {
    let Some(format) = Format::of(path) else {
        return (Outcome::ReadFailed("not a .msg/.oft/.eml file".into()), None);
    };
    let first = match std::fs::read(path).map_err(|e| e.to_string()).and_then(|b| format.read(&b)) {
        Ok(m) => m,
        Err(e) => return (Outcome::ReadFailed(e), None),
    };
    let before = Fingerprint::of(&first);
    let outcome = match format.write(&first) {
        Err(e) => Outcome::WriteFailed(e),
        Ok(written) => match format.read(&written) {
            Err(e) => Outcome::RereadFailed(e),
            Ok(second) => {
                let changed = before.changed(&Fingerprint::of(&second));
                if changed.is_empty() { Outcome::Ok } else { Outcome::Changed(changed) }
            }
        },
    };
    (outcome, Some(before))
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_file() {
        out.push(p.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(p)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect(&e, out)?;
        } else if Format::of(&e).is_some() {
            out.push(e);
        }
    }
    Ok(())
}

/// Runs `oxmapi bench roundtrip`.
pub fn run(args: &BenchRoundtripArgs) -> Result<Node, MapiError> {
    let mut files = Vec::new();
    let mut shown = Vec::new();
    for p in &args.paths {
        let before = files.len();
        collect(p, &mut files).map_err(|e| fail(format!("{}: {e}", p.display())))?;
        // The table names files below a directory argument relative to it.
        for f in &files[before..] {
            let rel = if p.is_dir() { f.strip_prefix(p).unwrap_or(f) } else { f.as_path() };
            shown.push(rel.display().to_string());
        }
    }
    if files.is_empty() {
        return Err(fail("no .msg, .oft or .eml file found"));
    }
    let mut table = Vec::new();
    let mut rows = Vec::new();
    let (mut ok, mut read) = (0, 0);
    for (f, name) in files.iter().zip(&shown) {
        let (outcome, compared) = round_trip(f);
        ok += usize::from(outcome == Outcome::Ok);
        read += usize::from(!matches!(outcome, Outcome::ReadFailed(_)));
        let label = outcome.label();
        let summary = compared.as_ref().map_or(String::new(), Fingerprint::summary);
        table.push(format!("{name:<60} {summary:<27} {label}"));
        let mut row =
            Node::map([("file", Node::str(f.display().to_string())), ("outcome", Node::str(label))]);
        if let Outcome::Changed(diffs) = &outcome {
            let diffs = diffs.iter().map(|d| {
                Node::map([
                    ("field", Node::str(d.field)),
                    ("before", Node::str(d.before.clone())),
                    ("after", Node::str(d.after.clone())),
                ])
            });
            row = row.with("differences", Node::List(diffs.collect()));
        }
        rows.push(row);
    }
    Ok(Node::map([
        ("bench", Node::str("roundtrip")),
        ("files", Node::Int(files.len() as i128)),
        ("read", Node::Int(read as i128)),
        ("kept", Node::Int(ok as i128)),
        ("fields", Node::List(FIELDS.iter().map(|f| Node::str(*f)).collect())),
        ("table", Node::List(table.into_iter().map(Node::Str).collect())),
        ("compared", Node::str("per file: addresses, attachments and bodies as first read")),
        ("outcomes", Node::List(rows)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::fingerprint::tests::message;
    use super::*;

    #[test]
    fn an_eml_round_trip_of_a_message_with_an_attachment_is_ok() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.eml");
        std::fs::write(&p, write_eml(&message(b"\x00\x01\x02")).unwrap()).unwrap();
        assert_eq!(round_trip(&p).0, Outcome::Ok);
        let p = d.path().join("m.msg");
        std::fs::write(&p, write_msg(&message(b"\x00\x01\x02")).unwrap()).unwrap();
        assert_eq!(round_trip(&p).0, Outcome::Ok);
    }
}
