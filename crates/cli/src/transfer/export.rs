//! `oxmapi export ITEM|FOLDER [--recursive] [--all] --to TARGET [--format eml|msg]` (CLI.md):
//! a message to an `.msg` ([MS-OXMSG]) or `.eml` ([MS-OXCMAIL]) file, a folder to an mbox file
//! (mboxrd) or to a directory of `.eml` (or `.msg`) files; `--recursive` takes the
//! sub-folders too (into the same mbox, or into sub-directories), `--all` also the folder's
//! associated (hidden) messages. A message that cannot be read or converted is listed under
//! `errors` and the export goes on; a lost session (MAPI_E_NETWORK_ERROR,
//! MAPI_E_END_OF_SESSION: the server went away) stops it. A `.pst` target is a new Unicode PST with the folder tree,
//! committed every `--commit-every` messages; `--resume` continues an interrupted export into
//! the file it left ([`super::pst_sink`]).

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::{Folder, Message, OpenMode};
use oxmapi_core::MapiError;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_CLIENT_SUBMIT_TIME, PR_CONTAINER_CLASS, PR_DISPLAY_NAME, PR_ENTRYID, PR_FID, PR_MESSAGE_DELIVERY_TIME,
    PR_MID, PR_SENDER_EMAIL_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_SUBJECT,
};
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message as FileMessage;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::describe::Node;

use super::mbox;
use super::progress::Progress;
use super::pst_sink::{PstSink, TopFolder, entry_key, message_key, refuse_existing};
use crate::failure::Failure;
use crate::mailbox::{Mailbox, Target, open};
use crate::session_cmd::LogonArgs;

/// `--commit-every` by default: messages written to a PST between two commits (what a crash
/// can cost a `--resume`).
pub const DEFAULT_COMMIT_EVERY: usize = oxmapi_pst::pst::write::copy::COMMIT_EVERY;

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
    /// `--resume` (PST targets).
    pub resume: bool,
    /// `--commit-every` (PST targets).
    pub commit_every: usize,
}

/// Where the messages go.
enum Sink {
    /// One file, in this format.
    File(Format),
    /// One mbox file.
    Mbox(std::fs::File),
    /// One file per message in a directory.
    Dir(Format),
    /// A Unicode PST: messages go into its current folder, sub-folders become sub-folders.
    Pst(Box<PstSink>),
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

/// The text of a string value.
fn text(v: Option<&PropValue>) -> Option<String> {
    match v {
        Some(PropValue::Unicode(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The values of `tags` an object has (missing ones absent).
fn values(got: Vec<RowValue>, tags: &[PropTag]) -> Vec<Option<PropValue>> {
    let mut out: Vec<Option<PropValue>> = got
        .into_iter()
        .map(|v| match v {
            RowValue::Value(v) => Some(v),
            _ => None,
        })
        .collect();
    out.resize(tags.len(), None);
    out
}

/// Writes one message into a sink; the bytes written (0 for a PST).
fn write_one(
    fm: FileMessage,
    sink: &mut Sink,
    dir: &Path,
    to: &Path,
    taken: &mut HashSet<PathBuf>,
    key: &str,
    associated: bool,
) -> Result<u64, String> {
    let format = match sink {
        Sink::File(f) | Sink::Dir(f) => *f,
        Sink::Mbox(_) => Format::Eml,
        Sink::Pst(p) => return p.add(fm, key, associated).map(|_| 0),
    };
    let bytes = encode(&fm, format)?;
    let written = match sink {
        Sink::File(_) => std::fs::write(to, &bytes),
        Sink::Dir(_) => std::fs::write(file_name(&fm, format, dir, taken), &bytes),
        Sink::Mbox(f) => f.write_all(&mbox::entry(&mbox_separator(&fm), &bytes)),
        Sink::Pst(_) => Ok(()),
    };
    written.map_err(|e| format!("{}: {e}", to.display()))?;
    Ok(bytes.len() as u64)
}

/// Whether an error means the session is gone (the server went away, the session ended), not
/// that one message failed: the export stops there, and a PST keeps what it committed.
fn session_lost(e: &MapiError) -> bool {
    [codes::MAPI_E_NETWORK_ERROR, codes::MAPI_E_END_OF_SESSION].contains(&e.code)
}

/// The export's running state.
struct Run<'m> {
    mb: &'m Mailbox,
    io: ItemIo<'m>,
    all: bool,
    recursive: bool,
    exported: u64,
    /// Messages a resumed PST already held.
    skipped: u64,
    bytes: u64,
    errors: Vec<(String, String)>,
    taken: HashSet<PathBuf>,
    progress: Progress,
}

impl Run<'_> {
    /// Writes one message into the sink (`dir` for a directory sink) under its resume `key`.
    /// A message that fails is listed in `errors`; only a lost session is returned.
    #[allow(clippy::too_many_arguments)]
    fn message(
        &mut self,
        m: &Message,
        label: &str,
        sink: &mut Sink,
        dir: &Path,
        to: &Path,
        key: &str,
        associated: bool,
    ) -> Result<(), MapiError> {
        self.progress.step(label);
        let out = match self.io.read(m) {
            Ok(fm) => write_one(fm, sink, dir, to, &mut self.taken, key, associated),
            Err(e) if session_lost(&e) => return Err(e),
            Err(e) => Err(e.to_string()),
        };
        match out {
            Ok(n) => {
                self.exported += 1;
                self.bytes += n;
            }
            Err(e) => self.errors.push((label.to_string(), e)),
        }
        Ok(())
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
            let key = message_key(mid);
            if let Sink::Pst(p) = &*sink
                && p.has(&key)
            {
                self.skipped += 1;
                self.progress.step(&label);
                continue;
            }
            match self.mb.store.open_message(folder.id(), mid, OpenMode::ReadOnly) {
                Ok(m) => self.message(&m, &label, sink, dir, to, &key, associated)?,
                Err(e) if session_lost(&e) => return Err(e),
                Err(e) => self.errors.push((label, e.to_string())),
            }
        }
        if !self.recursive {
            return Ok(());
        }
        let mut h = folder.hierarchy_table(false)?;
        h.set_columns(&[PR_FID, PR_DISPLAY_NAME, PR_CONTAINER_CLASS, PR_ENTRYID])?;
        for r in h.query_rows(usize::MAX, true)? {
            let Some(PropValue::I64(fid)) = r.get(PR_FID) else { continue };
            let name = text(r.get(PR_DISPLAY_NAME)).unwrap_or_else(|| format!("{fid:x}"));
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
                    let key = match r.get(PR_ENTRYID) {
                        Some(PropValue::Binary(e)) => entry_key(e),
                        _ => format!("fid:{fid:016x}"),
                    };
                    p.folder = p.sub_folder(&key, &name, text(r.get(PR_CONTAINER_CLASS)))?;
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

/// Where a PST export starts: a folder is exported into a folder of its name under the file's
/// IPM subtree (the whole mailbox, `/`, and one message into the IPM subtree itself), keyed by
/// the source's entry ID.
fn top_folder(source: &str, entry_id: Option<PropValue>, class: Option<PropValue>, item: bool) -> TopFolder {
    let name = source.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty() && !item);
    let key = match entry_id {
        Some(PropValue::Binary(e)) => entry_key(&e),
        _ => format!("source:{source}"),
    };
    TopFolder { name: name.map(str::to_string), key, class: text(class.as_ref()) }
}

fn refuse(message: String, hint: &str) -> Failure {
    Failure::bad_input(codes::MAPI_E_INVALID_PARAMETER, "--to", message, hint)
}

/// What an interrupted PST export says: what was committed stays, `--resume` continues.
const RESUME_HINT: &str = "what was written before the failure is committed in the PST: \
                           run the same export with --resume to continue it";

/// `oxmapi export`.
pub fn export_cmd(args: &LogonArgs<'_>, ex: &ExportArgs<'_>) -> Result<Node, Failure> {
    let to = ex.to;
    let ext = extension(to);
    if ex.resume && ext != "pst" {
        return Err(Failure::bad_input(
            codes::MAPI_E_INVALID_PARAMETER,
            "--resume",
            format!("--resume continues an export into a .pst file; {} is not one", to.display()),
            "--to FILE.pst with --resume, or no --resume",
        ));
    }
    if ext == "pst" && to.exists() && !ex.resume {
        // Refused before logging on; PstSink::open says the same of a file that appears later.
        return Err(refuse_existing(to));
    }
    let mb = open(args, false)?;
    let target = mb.target(ex.source, OpenMode::ReadOnly)?;
    let mut run = Run {
        mb: &mb,
        io: ItemIo::new(&mb.store),
        all: ex.all,
        recursive: ex.recursive,
        exported: 0,
        skipped: 0,
        bytes: 0,
        errors: Vec::new(),
        taken: HashSet::new(),
        progress: Progress::new(0, "export"),
    };
    let dir_format = ex.format.unwrap_or(Format::Eml);
    let io_err = |e: std::io::Error| Failure::local_file("export target", to, &e);
    let key_tags = [PR_ENTRYID, PR_CONTAINER_CLASS];
    match target {
        Target::Message(m) => {
            let (mut sink, dir) = match ext.as_str() {
                "msg" => (Sink::File(Format::Msg), PathBuf::new()),
                "eml" => (Sink::File(Format::Eml), PathBuf::new()),
                "mbox" => (Sink::Mbox(std::fs::File::create(to).map_err(io_err)?), PathBuf::new()),
                "pst" => {
                    let [eid, _] =
                        <[_; 2]>::try_from(values(m.get_props(&key_tags)?, &key_tags)).unwrap_or_default();
                    let top = top_folder(ex.source, eid, None, true);
                    (
                        Sink::Pst(Box::new(PstSink::open(to, &top, ex.commit_every, ex.resume)?)),
                        PathBuf::new(),
                    )
                }
                _ => {
                    std::fs::create_dir_all(to).map_err(io_err)?;
                    (Sink::Dir(dir_format), to.to_path_buf())
                }
            };
            run.progress.add_total(1);
            let label = ex.source.to_string();
            let key = m.id().map(message_key).unwrap_or_default();
            match &sink {
                Sink::Pst(p) if p.has(&key) => run.skipped += 1,
                _ => run.message(&m, &label, &mut sink, &dir, to, &key, false)?,
            }
            if let Sink::Pst(p) = &mut sink {
                p.commit()?;
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
                    let [eid, class] =
                        <[_; 2]>::try_from(values(f.get_props(&key_tags)?, &key_tags)).unwrap_or_default();
                    let top = top_folder(ex.source, eid, class, false);
                    let mut p = PstSink::open(to, &top, ex.commit_every, ex.resume)?;
                    if top.name.is_none() {
                        // The whole mailbox: its Deleted Items (if the store names one) is the
                        // file's.
                        let deleted = mb.store.logon_info().folder_ids[DELETED_ITEMS_INDEX];
                        let eid = mb.store.open_folder(deleted).and_then(|d| d.get_props(&[PR_ENTRYID]));
                        if let Ok(got) = eid
                            && let [Some(PropValue::Binary(eid))] = &values(got, &[PR_ENTRYID])[..]
                        {
                            p.use_wastebasket_for(&entry_key(eid))?;
                        }
                    }
                    Sink::Pst(Box::new(p))
                }
                _ => {
                    std::fs::create_dir_all(to).map_err(io_err)?;
                    Sink::Dir(dir_format)
                }
            };
            let walked = run.folder(&f, ex.source.trim_end_matches('/'), &mut sink, to, to);
            match &mut sink {
                Sink::Mbox(file) => file.flush().map_err(io_err)?,
                Sink::Pst(p) => {
                    let committed = p.commit();
                    if let Err(e) = walked {
                        return Err(Failure::with_hint(e, RESUME_HINT));
                    }
                    committed?;
                }
                _ => {}
            }
            walked?;
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
    // A PST's bytes are its size once written (a message there is no byte string of its own).
    if to.extension().is_some_and(|e| e.eq_ignore_ascii_case("pst")) {
        run.bytes = std::fs::metadata(to).map_or(0, |m| m.len());
    }
    let errors = run
        .errors
        .iter()
        .map(|(i, e)| Node::map([("item", Node::str(i)), ("error", Node::str(e))]))
        .collect();
    Ok(Node::map([
        ("exported", Node::Int(run.exported as i128)),
        ("skipped", Node::Int(run.skipped as i128)),
        ("bytes", Node::Int(run.bytes as i128)),
        ("to", Node::str(to.display().to_string())),
        ("errors", Node::List(errors)),
    ]))
}
