//! `oxmapi export ITEM|FOLDER [--recursive] [--all] --to TARGET [--format eml|msg]` (CLI.md):
//! a message to an `.msg` ([MS-OXMSG]) or `.eml` ([MS-OXCMAIL]) file, a folder to an mbox file
//! (mboxrd) or to a directory of `.eml` (or `.msg`) files; `--recursive` takes the
//! sub-folders too (into the same mbox, or into sub-directories), `--all` also the folder's
//! associated (hidden) messages. A message that cannot be read or converted is listed under
//! `errors` and the export goes on.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::{Folder, Message, OpenMode};
use oxmapi_core::MapiError;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_CLIENT_SUBMIT_TIME, PR_CONTAINER_CLASS, PR_DISPLAY_NAME, PR_FID, PR_MESSAGE_DELIVERY_TIME, PR_MID,
    PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message as FileMessage;
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::write::PstWriter;
use oxmapi_pst::pst::write::copy::COMMIT_EVERY;
use oxmapi_wire::describe::Node;

use super::mbox;
use super::progress::Progress;
use crate::failure::Failure;
use crate::mailbox::{Mailbox, Target, open};
use crate::session_cmd::LogonArgs;

/// Where RopLogon's FolderIds put Deleted Items for a private mailbox ([MS-OXCROPS]
/// 2.2.3.1.3).
const DELETED_ITEMS_INDEX: usize = 7;

/// The most characters of a subject used in an exported file's name.
const FILE_NAME_CHARS: usize = 60;

/// The file format of exported messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Internet messages (MIME, RFC 5322).
    Eml,
    /// Outlook items (MS-OXMSG compound files).
    Msg,
}

/// What `export` does.
pub struct ExportArgs<'a> {
    /// ITEM or FOLDER.
    pub source: &'a str,
    /// `--to`.
    pub to: &'a Path,
    /// `--recursive`.
    pub recursive: bool,
    /// `--all`.
    pub all: bool,
    /// `--format` (directory targets).
    pub format: Option<Format>,
}

/// Where the messages go.
enum Sink {
    /// One file, in this format.
    File(Format),
    /// One mbox file.
    Mbox(std::fs::File),
    /// One file per message in a directory.
    Dir(Format),
    /// A new Unicode PST: messages go into `folder`, sub-folders become sub-folders.
    Pst(Box<PstSink>),
}

/// A PST being written by an export.
struct PstSink {
    writer: PstWriter,
    /// The folder messages go into now.
    folder: u32,
    /// Messages written since the last commit.
    pending: usize,
    /// The mailbox's Deleted Items and the file's (PR_IPM_WASTEBASKET_ENTRYID), when the whole
    /// mailbox is exported: its messages go there, not into a second folder of that name.
    wastebasket: Option<(ObjectId, u32)>,
}

impl PstSink {
    fn add(&mut self, m: &FileMessage, associated: bool) -> Result<(), String> {
        self.writer.add_message(self.folder, m, associated).map_err(|e| e.to_string())?;
        self.pending += 1;
        if self.pending >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), String> {
        self.pending = 0;
        self.writer.commit().map_err(|e| e.to_string())
    }

    /// The sub-folder `name` of the current folder, created with `class`.
    fn sub_folder(&mut self, name: &str, class: Option<String>) -> Result<u32, MapiError> {
        let mut props = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.to_string()));
        if let Some(c) = class {
            props.set(PR_CONTAINER_CLASS, PropValue::Unicode(c));
        }
        self.writer
            .create_folder(self.folder, &props)
            .map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, format!("PST folder {name:?}: {e}")))
    }
}

fn extension(p: &Path) -> String {
    p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The message in a file format.
fn encode(m: &FileMessage, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Eml => oxmapi_pst::mime::write_eml(m).map_err(|e| e.to_string()),
        Format::Msg => oxmapi_pst::msg::write_msg(m).map_err(|e| e.to_string()),
    }
}

/// A file name for a message: its subject made safe, numbered when taken.
fn file_name(m: &FileMessage, format: Format, dir: &Path, taken: &mut HashSet<PathBuf>) -> PathBuf {
    let subject = match m.item.props.get(PR_SUBJECT) {
        Some(PropValue::Unicode(s)) => s.as_str(),
        _ => "",
    };
    let mut stem: String = subject
        .chars()
        .map(|c| if c.is_alphanumeric() || " -_.,()".contains(c) { c } else { '_' })
        .take(FILE_NAME_CHARS)
        .collect();
    stem = stem.trim().trim_matches('.').to_string();
    if stem.is_empty() {
        stem = "message".into();
    }
    let ext = match format {
        Format::Eml => "eml",
        Format::Msg => "msg",
    };
    let mut n = 1;
    loop {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem} ({n}).{ext}") };
        let p = dir.join(name);
        if !p.exists() && taken.insert(p.clone()) {
            return p;
        }
        n += 1;
    }
}

/// The "From " line of a message in an mbox: its sender's address and delivery (else
/// submit) time.
fn mbox_separator(m: &FileMessage) -> String {
    let p = &m.item.props;
    let sender = match p.get(PR_SENDER_EMAIL_ADDRESS).or_else(|| p.get(PR_SENT_REPRESENTING_EMAIL_ADDRESS)) {
        Some(PropValue::Unicode(s)) => Some(s.as_str()),
        _ => None,
    };
    let when = match p.get(PR_MESSAGE_DELIVERY_TIME).or_else(|| p.get(PR_CLIENT_SUBMIT_TIME)) {
        Some(PropValue::SysTime(t)) => t.unix_seconds(),
        _ => 0,
    };
    mbox::separator(sender, when)
}

/// The export's running state.
struct Run<'m> {
    mb: &'m Mailbox,
    io: ItemIo<'m>,
    all: bool,
    recursive: bool,
    exported: u64,
    bytes: u64,
    errors: Vec<(String, String)>,
    taken: HashSet<PathBuf>,
    progress: Progress,
}

impl Run<'_> {
    /// Writes one message into the sink (`dir` for a directory sink).
    fn message(
        &mut self,
        m: &Message,
        label: &str,
        sink: &mut Sink,
        dir: &Path,
        to: &Path,
        associated: bool,
    ) {
        self.progress.step(label);
        let out = self.io.read(m).map_err(|e| e.to_string()).and_then(|fm| {
            let format = match sink {
                Sink::File(f) | Sink::Dir(f) => *f,
                Sink::Mbox(_) => Format::Eml,
                Sink::Pst(p) => {
                    p.add(&fm, associated)?;
                    return Ok(0);
                }
            };
            let bytes = encode(&fm, format)?;
            let written = match sink {
                Sink::File(_) => std::fs::write(to, &bytes),
                Sink::Dir(_) => std::fs::write(file_name(&fm, format, dir, &mut self.taken), &bytes),
                Sink::Mbox(f) => f.write_all(&mbox::entry(&mbox_separator(&fm), &bytes)),
                Sink::Pst(_) => Ok(()),
            };
            written.map_err(|e| format!("{}: {e}", to.display()))?;
            Ok(bytes.len() as u64)
        });
        match out {
            Ok(n) => {
                self.exported += 1;
                self.bytes += n;
            }
            Err(e) => self.errors.push((label.to_string(), e)),
        }
    }

    /// Every message of `folder` (and with `--recursive` of its sub-folders).
    fn folder(
        &mut self,
        folder: &Folder,
        path: &str,
        sink: &mut Sink,
        dir: &Path,
        to: &Path,
    ) -> Result<(), MapiError> {
        let mut mids = Vec::new();
        for associated in [false, true] {
            if associated && !self.all {
                continue;
            }
            let mut t = folder.contents_table(associated)?;
            t.set_columns(&[PR_MID])?;
            mids.extend(t.query_rows(usize::MAX, true)?.iter().filter_map(|r| match r.get(PR_MID) {
                Some(PropValue::I64(i)) => Some((ObjectId::from_u64(*i as u64), associated)),
                _ => None,
            }));
        }
        self.progress.add_total(mids.len() as u64);
        for (i, (mid, associated)) in mids.into_iter().enumerate() {
            let label = format!("{path}#{}", i + 1);
            match self.mb.store.open_message(folder.id(), mid, OpenMode::ReadOnly) {
                Ok(m) => self.message(&m, &label, sink, dir, to, associated),
                Err(e) => self.errors.push((label, e.to_string())),
            }
        }
        if !self.recursive {
            return Ok(());
        }
        let mut h = folder.hierarchy_table(false)?;
        h.set_columns(&[PR_FID, PR_DISPLAY_NAME, PR_CONTAINER_CLASS])?;
        for r in h.query_rows(usize::MAX, true)? {
            let (Some(PropValue::I64(fid)), name) = (r.get(PR_FID), r.get(PR_DISPLAY_NAME)) else { continue };
            let name = match name {
                Some(PropValue::Unicode(n)) => n.clone(),
                _ => format!("{fid:x}"),
            };
            let class = match r.get(PR_CONTAINER_CLASS) {
                Some(PropValue::Unicode(c)) => Some(c.clone()),
                _ => None,
            };
            let sub = folder.open_folder(ObjectId::from_u64(*fid as u64))?;
            let sub_dir = match sink {
                Sink::Dir(_) => {
                    let safe: String =
                        name.chars().map(|c| if "/\\\0".contains(c) { '_' } else { c }).collect();
                    let d = dir.join(safe);
                    std::fs::create_dir_all(&d).map_err(|e| {
                        MapiError::new(codes::MAPI_E_DISK_ERROR, format!("{}: {e}", d.display()))
                    })?;
                    d
                }
                _ => dir.to_path_buf(),
            };
            let parent = match sink {
                Sink::Pst(p) => {
                    let here = p.folder;
                    p.folder = match p.wastebasket {
                        Some((mailbox, file)) if mailbox == ObjectId::from_u64(*fid as u64) => file,
                        _ => p.sub_folder(&name, class)?,
                    };
                    Some(here)
                }
                _ => None,
            };
            self.folder(&sub, &format!("{path}/{name}"), sink, &sub_dir, to)?;
            if let (Sink::Pst(p), Some(here)) = (&mut *sink, parent) {
                p.folder = here;
            }
        }
        Ok(())
    }
}

/// A new PST for a folder export: the folder becomes a folder of the same name under the
/// file's IPM subtree (the whole mailbox, `/`, becomes the IPM subtree itself).
fn new_pst(to: &Path, source: &str) -> Result<PstSink, Failure> {
    let fail = |e: oxmapi_pst::pst::PstError| {
        MapiError::new(codes::MAPI_E_DISK_ERROR, format!("{}: {e}", to.display()))
    };
    let stem = to.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let writer = PstWriter::create(to, CryptMethod::Permute, &stem).map_err(fail)?;
    let top = writer.ipm_subtree();
    let mut sink = PstSink { writer, folder: top, pending: 0, wastebasket: None };
    if let Some(name) = source.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty()) {
        sink.folder = sink.sub_folder(name, None)?;
    }
    Ok(sink)
}

fn refuse(message: String, hint: &str) -> Failure {
    Failure::bad_input(codes::MAPI_E_INVALID_PARAMETER, "--to", message, hint)
}

/// `oxmapi export`.
pub fn export_cmd(args: &LogonArgs<'_>, ex: &ExportArgs<'_>) -> Result<Node, Failure> {
    let to = ex.to;
    let ext = extension(to);
    if ext == "pst" && to.exists() {
        return Err(Failure::bad_input(
            codes::MAPI_E_COLLISION,
            "--to",
            format!("{} exists: export writes a new PST", to.display()),
            "name a new file (`oxmapi pst merge` combines PST files)",
        ));
    }
    let mb = open(args, false)?;
    let target = mb.target(ex.source, OpenMode::ReadOnly)?;
    let mut run = Run {
        mb: &mb,
        io: ItemIo::new(&mb.store),
        all: ex.all,
        recursive: ex.recursive,
        exported: 0,
        bytes: 0,
        errors: Vec::new(),
        taken: HashSet::new(),
        progress: Progress::new(0, "export"),
    };
    let dir_format = ex.format.unwrap_or(Format::Eml);
    let io_err = |e: std::io::Error| Failure::local_file("export target", to, &e);
    match target {
        Target::Message(m) => {
            let (mut sink, dir) = match ext.as_str() {
                "msg" => (Sink::File(Format::Msg), PathBuf::new()),
                "eml" => (Sink::File(Format::Eml), PathBuf::new()),
                "mbox" => (Sink::Mbox(std::fs::File::create(to).map_err(io_err)?), PathBuf::new()),
                "pst" => (Sink::Pst(Box::new(new_pst(to, "")?)), PathBuf::new()),
                _ => {
                    std::fs::create_dir_all(to).map_err(io_err)?;
                    (Sink::Dir(dir_format), to.to_path_buf())
                }
            };
            run.progress.add_total(1);
            let label = ex.source.to_string();
            run.message(&m, &label, &mut sink, &dir, to, false);
            if let Sink::Pst(p) = &mut sink {
                p.commit().map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, e))?;
            }
            if let Some((_, e)) = run.errors.first() {
                return Err(MapiError::new(codes::MAPI_E_CALL_FAILED, format!("{}: {e}", ex.source)).into());
            }
        }
        Target::Folder(f) => {
            let mut sink = match ext.as_str() {
                "msg" | "eml" => {
                    return Err(refuse(
                        format!("{} is a folder; a .{ext} file holds one message", ex.source),
                        "an .mbox file or a directory (one .eml per message; --format msg for .msg)",
                    ));
                }
                "mbox" => Sink::Mbox(std::fs::File::create(to).map_err(io_err)?),
                "pst" => {
                    let mut p = new_pst(to, ex.source)?;
                    if ex.source.trim_end_matches('/').is_empty() {
                        let deleted = mb.store.logon_info().folder_ids[DELETED_ITEMS_INDEX];
                        p.wastebasket = p.writer.deleted_items().map(|nid| (deleted, nid));
                    }
                    Sink::Pst(Box::new(p))
                }
                _ => {
                    std::fs::create_dir_all(to).map_err(io_err)?;
                    Sink::Dir(dir_format)
                }
            };
            run.folder(&f, ex.source.trim_end_matches('/'), &mut sink, to, to)?;
            match &mut sink {
                Sink::Mbox(file) => file.flush().map_err(io_err)?,
                Sink::Pst(p) => p.commit().map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, e))?,
                _ => {}
            }
        }
        Target::Store => {
            return Err(Failure::bad_input(
                codes::MAPI_E_INVALID_PARAMETER,
                "ITEM|FOLDER",
                "export takes a message or a folder, not the store".to_string(),
                "ITEM (eid:HEX or FOLDER#N) or FOLDER (a path such as /Inbox, `/` for the whole mailbox with --recursive)",
            ));
        }
    }
    run.progress.finish();
    let errors = run
        .errors
        .iter()
        .map(|(i, e)| Node::map([("item", Node::str(i)), ("error", Node::str(e))]))
        .collect();
    Ok(Node::map([
        ("exported", Node::Int(run.exported as i128)),
        ("bytes", Node::Int(run.bytes as i128)),
        ("to", Node::str(to.display().to_string())),
        ("errors", Node::List(errors)),
    ]))
}
