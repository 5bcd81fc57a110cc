//! `oxmapi import FOLDER SOURCE…` (CLI.md): messages from `.eml`, `.msg`, `.mbox`, `.pst` and
//! `.ost` files (and directories of them) into a folder of the store, the PST's folder tree
//! recreated under FOLDER, FOLDER created when missing.
//!
//! Resumable: every imported message carries its source key (the Message-ID and SHA-256 of its
//! bytes, or for a PST item the PST's record key and node id) in the named property
//! [`import_key_name`]; an import first reads the keys a folder already holds and skips those
//! items, so a run that was interrupted and is started again adds only what is missing.
//! Per-item failures (a damaged file, a message the store refuses) are listed under `errors`
//! and never stop the run. Files are read and parsed on a second thread while the first one
//! writes into the store.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use oxmapi_client::MsgStore;
use oxmapi_client::item_io::ItemIo;
use oxmapi_client::store::{Folder, PropertyName};
use oxmapi_core::MapiError;
use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_NAME, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS,
};
use oxmapi_core::consts::message_flags;
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message as FileMessage;
use oxmapi_wire::describe::Node;

use super::progress::Progress;
use super::source::{SourceItem, expand, read_source};
use super::writers::{OpenWriter, Work, WriterStore, writer};
use crate::failure::Failure;
use crate::mailbox::{Mailbox, open};
use crate::session_cmd::LogonArgs;

/// Items parsed ahead of the writer (the bound keeps a large PST from being read into memory
/// faster than the store takes it).
pub const READ_AHEAD_ITEMS: usize = 32;

/// The most sessions `--jobs` may write with (each is a session of the user, counted against
/// the server's per-user session limit).
pub const MAX_IMPORT_JOBS: usize = 8;

/// `--jobs` by default: two sessions write (about 1.6 times one on two cores).
pub const DEFAULT_IMPORT_JOBS: usize = 2;

/// The named property that holds an imported message's source key (PS_PUBLIC_STRINGS,
/// "OxmapiImportKey", PtypString).
pub fn import_key_name() -> PropertyName {
    PropertyName::string(PS_PUBLIC_STRINGS, "OxmapiImportKey")
}

/// What the producer thread sends.
enum Event {
    /// More items than the file count promised (a PST or mbox was opened).
    More(u64),
    /// An item (or a failure to read one).
    Item(Box<SourceItem>),
}

/// The outcome of an import.
#[derive(Default)]
pub struct Summary {
    /// Messages created.
    pub imported: u64,
    /// Items the target already had (same key).
    pub skipped: u64,
    /// (source, item, error) of each failure.
    pub errors: Vec<(String, String, String)>,
    /// Bytes of the source messages imported (files; PST items count 0).
    pub bytes: u64,
    /// Folders created.
    pub folders_created: u64,
    /// What did not go as asked but lost nothing (a parallel writer that could not log on).
    pub warnings: Vec<String>,
}

impl Summary {
    /// The summary under the keys CLI.md names (and `bytes`, `folders_created`, `seconds`).
    pub fn node(&self, seconds: f64) -> Node {
        let errors = self
            .errors
            .iter()
            .map(|(s, i, e)| {
                Node::map([("source", Node::str(s)), ("item", Node::str(i)), ("error", Node::str(e))])
            })
            .collect();
        Node::map([
            ("imported", Node::Int(self.imported as i128)),
            ("skipped", Node::Int(self.skipped as i128)),
            ("errors", Node::List(errors)),
            ("bytes", Node::Int(self.bytes as i128)),
            ("folders_created", Node::Int(self.folders_created as i128)),
            ("warnings", Node::List(self.warnings.iter().map(|w| Node::str(w.as_str())).collect())),
            ("seconds", Node::Float((seconds * 1000.0).round() / 1000.0)),
        ])
    }
}

/// A target folder with the keys it holds.
struct Target {
    folder: Folder,
    keys: HashSet<String>,
}

/// The folders written into, by path under the import's FOLDER.
struct Targets<'m> {
    io: ItemIo<'m>,
    key_tag: PropTag,
    folders: HashMap<Vec<String>, Target>,
}

impl<'m> Targets<'m> {
    fn new(store: &'m MsgStore, root: Folder) -> Result<Targets<'m>, MapiError> {
        let mut io = ItemIo::new(store);
        let key_tag = PropTag::new(io.store_id(&import_key_name())?, PropType::String);
        let mut t = Targets { io, key_tag, folders: HashMap::new() };
        let keys = t.keys_of(&root)?;
        t.folders.insert(Vec::new(), Target { folder: root, keys });
        Ok(t)
    }

    /// The keys the folder's messages carry.
    fn keys_of(&self, folder: &Folder) -> Result<HashSet<String>, MapiError> {
        let mut table = folder.contents_table(false)?;
        table.set_columns(&[self.key_tag])?;
        Ok(table
            .query_rows(usize::MAX, true)?
            .into_iter()
            .filter_map(|r| match r.get(self.key_tag) {
                Some(PropValue::Unicode(k)) => Some(k.clone()),
                _ => None,
            })
            .collect())
    }

    /// The folder at `path` under the target, created (with its parents) when missing.
    fn folder(&mut self, path: &[String], summary: &mut Summary) -> Result<&mut Target, MapiError> {
        if !self.folders.contains_key(path) {
            let parent = path[..path.len() - 1].to_vec();
            self.folder(&parent, summary)?;
            let name = &path[path.len() - 1];
            let parent = &self.folders[&parent].folder;
            if !has_child(parent, name)? {
                summary.folders_created += 1;
            }
            let f = parent.create_folder(name, None, true)?;
            let keys = self.keys_of(&f)?;
            self.folders.insert(path.to_vec(), Target { folder: f, keys });
        }
        self.folders
            .get_mut(path)
            .ok_or_else(|| MapiError::new(oxmapi_core::error::codes::MAPI_E_NOT_FOUND, "folder"))
    }
}

/// Whether `folder` has a sub-folder named `name` (folder names compare without case, as the
/// store's RopCreateFolder does).
fn has_child(folder: &Folder, name: &str) -> Result<bool, MapiError> {
    let mut t = folder.hierarchy_table(false)?;
    t.set_columns(&[PR_DISPLAY_NAME])?;
    Ok(t.query_rows(usize::MAX, true)?.iter().any(|r| match r.get(PR_DISPLAY_NAME) {
        Some(PropValue::Unicode(n)) => n.to_lowercase() == name.to_lowercase(),
        _ => false,
    }))
}

/// What an imported message gets when its source has no such property: read (not a draft),
/// and a delivery time (the folder's default view sorts by it).
fn complete(m: &mut FileMessage) {
    let props = &mut m.item.props;
    if props.get(PR_MESSAGE_FLAGS).is_none() {
        props.set(PR_MESSAGE_FLAGS, PropValue::I32(message_flags::MSGFLAG_READ as i32));
    }
    if props.get(PR_MESSAGE_DELIVERY_TIME).is_none() {
        let when = props.get(PR_CLIENT_SUBMIT_TIME).cloned().unwrap_or(PropValue::SysTime(FileTime::now()));
        props.set(PR_MESSAGE_DELIVERY_TIME, when);
    }
}

/// FOLDER (a path or `eid:HEX`), created with its missing parents when it is a path.
fn target_folder(mb: &Mailbox, spec: &str, summary: &mut Summary) -> Result<Folder, Failure> {
    match mb.folder(spec) {
        Ok(f) => Ok(f),
        Err(_) if !spec.starts_with("eid:") => {
            let mut f = mb.store.ipm_subtree()?;
            for part in spec.split('/').filter(|p| !p.is_empty()) {
                f = f.create_folder(part, None, true)?;
            }
            summary.folders_created += 1;
            Ok(f)
        }
        Err(e) => Err(e),
    }
}

/// Whether more sessions can log on without asking for a password again (they cannot prompt:
/// only the first logon may).
fn password_given(args: &LogonArgs<'_>) -> bool {
    args.password_file.is_some() || std::env::var_os("OXMAPI_PASSWORD").is_some()
}

/// `oxmapi import FOLDER SOURCE… [--jobs N]`.
pub fn import_cmd(
    args: &LogonArgs<'_>,
    folder: &str,
    sources: &[PathBuf],
    jobs: usize,
) -> Result<Node, Failure> {
    let started = Instant::now();
    check_jobs(jobs)?;
    let mb = open(args, false)?;
    let mut summary = Summary::default();
    let root = target_folder(&mb, folder, &mut summary)?;
    let jobs = if password_given(args) { jobs } else { 1 };
    let more = LogonArgs { new_session: true, ..*args };
    let open_writer = move || -> Result<Box<dyn WriterStore>, MapiError> {
        match open(&more, false) {
            Ok(mb) => Ok(Box::new(mb)),
            Err(f) => Err(f.error),
        }
    };
    import_into(&mb.store, root, sources, jobs, &open_writer, &mut summary)?;
    Ok(summary.node(started.elapsed().as_secs_f64()))
}

/// Refuses a `--jobs` outside 1..=[`MAX_IMPORT_JOBS`].
pub fn check_jobs(jobs: usize) -> Result<(), Failure> {
    if (1..=MAX_IMPORT_JOBS).contains(&jobs) {
        return Ok(());
    }
    Err(Failure::bad_input(
        oxmapi_core::error::codes::MAPI_E_INVALID_PARAMETER,
        "--jobs",
        format!("{jobs} writers"),
        "a number of sessions from 1 to 8 (each one is a session of the user on the server)",
    ))
}

/// Imports `sources` into `root` of `store`, adding to `summary`; fails only when the target
/// cannot be read (every item's failure is in `summary.errors`). With `jobs` > 1, `jobs - 1`
/// more sessions (opened by `open_writer`) write beside this one: a message goes to a writer
/// that is waiting, else this thread writes it. Folders are created and keys checked here
/// only, so the writers never race on them.
pub fn import_into(
    store: &MsgStore,
    root: Folder,
    sources: &[PathBuf],
    jobs: usize,
    open_writer: &OpenWriter<'_>,
    summary: &mut Summary,
) -> Result<(), MapiError> {
    let files = expand(sources);
    let progress = Progress::new(files.len() as u64, "import");
    let mut targets = Targets::new(store, root)?;
    let key_name = import_key_name();
    let (tx, rx) = mpsc::sync_channel::<Event>(READ_AHEAD_ITEMS);
    let (work_tx, work_rx) = mpsc::sync_channel::<Work>(0);
    let work_rx = std::sync::Mutex::new(work_rx);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for path in files {
                let more = tx.clone();
                let items = tx.clone();
                read_source(&path, &mut |n| drop(more.send(Event::More(n))), &mut |item| {
                    items.send(Event::Item(Box::new(item))).is_ok()
                });
            }
        });
        let writers: Vec<_> = (1..jobs).map(|_| scope.spawn(|| writer(open_writer, &work_rx))).collect();
        for event in rx {
            let item = match event {
                Event::More(n) => {
                    progress.add_total(n);
                    continue;
                }
                Event::Item(item) => *item,
            };
            progress.step(if item.item.is_empty() { &item.source } else { &item.item });
            let mut message = match item.message {
                Ok(m) => m,
                Err(e) => {
                    summary.errors.push((item.source, item.item, e));
                    continue;
                }
            };
            let target = match targets.folder(&item.folder, summary) {
                Ok(t) => t,
                Err(e) => {
                    summary.errors.push((item.source, item.item, e.to_string()));
                    continue;
                }
            };
            if !target.keys.insert(item.key.clone()) {
                summary.skipped += 1;
                continue;
            }
            complete(&mut message);
            let id = message.id_of(&key_name);
            message.item.props.set(PropTag::new(id, PropType::String), PropValue::Unicode(item.key.clone()));
            let work = Work {
                fid: target.folder.id(),
                message,
                source: item.source,
                item: item.item,
                bytes: item.bytes,
            };
            // A waiting writer takes it; else this thread writes it.
            let work = match work_tx.try_send(work) {
                Ok(()) => continue,
                Err(mpsc::TrySendError::Full(w) | mpsc::TrySendError::Disconnected(w)) => w,
            };
            let Targets { io, folders, .. } = &mut targets;
            let Some(target) = folders.get_mut(&item.folder) else { continue };
            match io.write(&target.folder, &work.message) {
                Ok(_) => {
                    summary.imported += 1;
                    summary.bytes += work.bytes;
                }
                Err(e) => {
                    target.keys.remove(&item.key);
                    summary.errors.push((work.source, work.item, e.to_string()));
                }
            }
        }
        drop(work_tx);
        for w in writers {
            match w.join() {
                Ok(Ok(done)) => {
                    summary.imported += done.imported;
                    summary.bytes += done.bytes;
                    summary.errors.extend(done.errors);
                }
                Ok(Err(e)) => summary.warnings.push(format!("a parallel writer could not log on: {e}")),
                Err(_) => summary.warnings.push("a parallel writer stopped".into()),
            }
        }
    });
    progress.finish();
    Ok(())
}
