//! `oxmapi bench roundtrip DIR`: every .msg/.oft and .eml under DIR read with oxmapi-pst
//! (`msg::read_msg`, `mime::read_eml`), written back in its own format (MSG → MSG with
//! `msg::write_msg`, EML → EML with `mime::write_eml`), read again, and the two readings
//! compared on what a person moving mail sees ([`Fingerprint`]): subject, addresses (sender and
//! recipients with their kind), body text, HTML, attachment names and the SHA-256 of each
//! attachment's data. Prints a table of files and outcomes (and with `--json` the same as a
//! list); per file: `ok`, `read failed`, `write failed`, `reread failed` or `changed: FIELDS`.

use std::path::{Path, PathBuf};

use oxmapi_core::MapiError;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ATTACH_DATA_BIN, PR_ATTACH_FILENAME, PR_ATTACH_LONG_FILENAME, PR_BODY, PR_DISPLAY_NAME,
    PR_EMAIL_ADDRESS, PR_HTML, PR_INTERNET_CPID, PR_RECIPIENT_TYPE, PR_SENDER_EMAIL_ADDRESS,
    PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_SMTP_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::codepage;
use oxmapi_pst::item::{Item, Message};
use oxmapi_pst::mime::{read_eml, write_eml};
use oxmapi_pst::msg::{ReadOptions, read_msg, write_msg};
use oxmapi_wire::describe::Node;
use sha2::{Digest, Sha256};

use super::fail;

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

/// What a round trip must keep of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// PR_SUBJECT.
    pub subject: Option<String>,
    /// The sender's and the recipients' addresses: (kind, address), sorted. Kind is `from`
    /// (PR_SENT_REPRESENTING_EMAIL_ADDRESS), `sender` (PR_SENDER_EMAIL_ADDRESS) or the
    /// recipient type (1 To, 2 Cc, 3 Bcc); the address is PR_SMTP_ADDRESS, else
    /// PR_EMAIL_ADDRESS, else PR_DISPLAY_NAME, lower-cased.
    pub addresses: Vec<(String, String)>,
    /// PR_BODY, line ends as LF, trailing white space dropped.
    pub text: Option<String>,
    /// PR_HTML as text (its bytes in PR_INTERNET_CPID, else UTF-8), line ends as LF, trailing
    /// white space dropped.
    pub html: Option<String>,
    /// Per attachment: its name (long file name, else file name, else display name) and the
    /// SHA-256 of PR_ATTACH_DATA_BIN (an embedded message: `embedded:` and its subject).
    pub attachments: Vec<(String, String)>,
}

/// The fields of [`Fingerprint`], as the table names them.
pub const FIELDS: [&str; 5] = ["subject", "addresses", "text", "html", "attachments"];

fn text_of(bag: &PropBag, tag: PropTag, cp: u32) -> Option<String> {
    match bag.get(tag)? {
        PropValue::Unicode(s) => Some(s.clone()),
        PropValue::String8(b) => Some(codepage::decode(b, cp)),
        _ => None,
    }
}

fn normalized(s: &str) -> String {
    s.replace("\r\n", "\n").trim_end().to_string()
}

impl Fingerprint {
    /// The fingerprint of a message.
    pub fn of(m: &Message) -> Fingerprint {
        Fingerprint::of_item(&m.item)
    }

    fn of_item(item: &Item) -> Fingerprint {
        let p = &item.props;
        let cp = codepage::string8_codepage(p, codepage::CP_WINDOWS_1252);
        let mut addresses = Vec::new();
        for (kind, tag) in [("from", PR_SENT_REPRESENTING_EMAIL_ADDRESS), ("sender", PR_SENDER_EMAIL_ADDRESS)]
        {
            if let Some(a) = text_of(p, tag, cp).filter(|a| !a.is_empty()) {
                addresses.push((kind.to_string(), a.to_lowercase()));
            }
        }
        for r in &item.recipients {
            let kind = match r.get(PR_RECIPIENT_TYPE) {
                Some(PropValue::I32(t)) => (t & 0xff).to_string(),
                _ => "?".into(),
            };
            let address = [PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS, PR_DISPLAY_NAME]
                .into_iter()
                .find_map(|t| text_of(r, t, cp).filter(|a| !a.is_empty()))
                .unwrap_or_default();
            addresses.push((kind, address.to_lowercase()));
        }
        addresses.sort();
        let html = match p.get(PR_HTML) {
            Some(PropValue::Binary(b)) => {
                let html_cp = match p.get(PR_INTERNET_CPID) {
                    Some(PropValue::I32(c)) => *c as u32,
                    _ => codepage::CP_UTF8,
                };
                Some(codepage::decode(b, html_cp))
            }
            Some(PropValue::Unicode(s)) => Some(s.clone()),
            Some(PropValue::String8(b)) => Some(codepage::decode(b, cp)),
            _ => None,
        };
        let attachments = item
            .attachments
            .iter()
            .map(|a| {
                let name = [PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME]
                    .into_iter()
                    .find_map(|t| text_of(&a.props, t, cp).filter(|n| !n.is_empty()))
                    .unwrap_or_default();
                let data = match (&a.embedded, a.props.get(PR_ATTACH_DATA_BIN)) {
                    (Some(e), _) => {
                        format!("embedded:{}", text_of(&e.props, PR_SUBJECT, cp).unwrap_or_default())
                    }
                    (None, Some(PropValue::Binary(b))) => hex(&Sha256::digest(b)),
                    (None, _) => "-".into(),
                };
                (name, data)
            })
            .collect();
        Fingerprint {
            subject: text_of(p, PR_SUBJECT, cp),
            addresses,
            text: text_of(p, PR_BODY, cp).map(|s| normalized(&s)),
            html: html.map(|s| normalized(&s)),
            attachments,
        }
    }

    /// The fields in which `other` differs from this one.
    pub fn changed(&self, other: &Fingerprint) -> Vec<&'static str> {
        let same = [
            self.subject == other.subject,
            self.addresses == other.addresses,
            self.text == other.text,
            self.html == other.html,
            self.attachments == other.attachments,
        ];
        FIELDS.iter().zip(same).filter(|(_, s)| !s).map(|(f, _)| *f).collect()
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
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
    Changed(Vec<&'static str>),
}

impl Outcome {
    fn label(&self) -> String {
        match self {
            Outcome::Ok => "ok".into(),
            Outcome::ReadFailed(e) => format!("read failed: {e}"),
            Outcome::WriteFailed(e) => format!("write failed: {e}"),
            Outcome::RereadFailed(e) => format!("reread failed: {e}"),
            Outcome::Changed(f) => format!("changed: {}", f.join(",")),
        }
    }
}

/// Reads, writes back and re-reads one file.
pub fn round_trip(path: &Path) -> Outcome {
    let Some(format) = Format::of(path) else {
        return Outcome::ReadFailed("not a .msg/.oft/.eml file".into());
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::ReadFailed(e.to_string()),
    };
    let first = match format.read(&bytes) {
        Ok(m) => m,
        Err(e) => return Outcome::ReadFailed(e),
    };
    let written = match format.write(&first) {
        Ok(b) => b,
        Err(e) => return Outcome::WriteFailed(e),
    };
    let second = match format.read(&written) {
        Ok(m) => m,
        Err(e) => return Outcome::RereadFailed(e),
    };
    let changed = Fingerprint::of(&first).changed(&Fingerprint::of(&second));
    if changed.is_empty() { Outcome::Ok } else { Outcome::Changed(changed) }
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
    for p in &args.paths {
        collect(p, &mut files).map_err(|e| fail(format!("{}: {e}", p.display())))?;
    }
    if files.is_empty() {
        return Err(fail("no .msg, .oft or .eml file found"));
    }
    let mut table = Vec::new();
    let mut rows = Vec::new();
    let (mut ok, mut read) = (0, 0);
    for f in &files {
        let outcome = round_trip(f);
        ok += usize::from(outcome == Outcome::Ok);
        read += usize::from(!matches!(outcome, Outcome::ReadFailed(_)));
        let label = outcome.label();
        table.push(format!("{:<60} {label}", f.display()));
        rows.push(Node::map([("file", Node::str(f.display().to_string())), ("outcome", Node::str(label))]));
    }
    Ok(Node::map([
        ("bench", Node::str("roundtrip")),
        ("files", Node::Int(files.len() as i128)),
        ("read", Node::Int(read as i128)),
        ("kept", Node::Int(ok as i128)),
        ("fields", Node::List(FIELDS.iter().map(|f| Node::str(*f)).collect())),
        ("table", Node::List(table.into_iter().map(Node::Str).collect())),
        ("outcomes", Node::List(rows)),
    ]))
}
