//! The PST an `export … --to FILE.pst` writes, and how an interrupted export is continued
//! (`--resume`).
//!
//! Every folder the export writes carries its source folder's key (the hex of the source
//! folder's PR_ENTRYID) in the named property [`folder_key_name`], and every message its
//! source message's key ([`message_key`]: the source's PR_MID, unique in its store) in
//! [`message_key_name`] (both PS_PUBLIC_STRINGS, PtypString). The writer commits every
//! `--commit-every` messages ([MS-PST] 2.6: what was committed survives a crash; what was not
//! is gone whole), so a file cut short holds exactly the messages of its last commit, each
//! with its key.
//!
//! `--resume` reads those keys back with the reader ([`PstFile`]), reuses the folders already
//! made (by key, not by name) and skips every source message whose key the file holds, so the
//! export ends with each source message exactly once. A file without a top folder that carries
//! the key of the FOLDER being exported (another source, another mailbox, a file not written
//! by `export`) is refused with MAPI_E_COLLISION and left untouched.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use oxmapi_core::MapiError;
use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_CONTAINER_CLASS, PR_DISPLAY_NAME, PR_IPM_SUBTREE_ENTRYID};
use oxmapi_core::error::codes;
use oxmapi_core::guid::PS_PUBLIC_STRINGS;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::named::PropertyName;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message as FileMessage;
use oxmapi_pst::pst::PstFile;
use oxmapi_pst::pst::crypt::CryptMethod;
use oxmapi_pst::pst::folder::MAX_FOLDER_DEPTH;
use oxmapi_pst::pst::write::PstWriter;

use super::source::entry_nid;
use crate::failure::Failure;

/// The named property that holds the key of the source folder an exported folder was made
/// from (PS_PUBLIC_STRINGS, "OxmapiExportFolder", PtypString).
pub fn folder_key_name() -> PropertyName {
    PropertyName::string(PS_PUBLIC_STRINGS, "OxmapiExportFolder")
}

/// The named property that holds the key of the source message an exported message was made
/// from (PS_PUBLIC_STRINGS, "OxmapiExportKey", PtypString).
pub fn message_key_name() -> PropertyName {
    PropertyName::string(PS_PUBLIC_STRINGS, "OxmapiExportKey")
}

/// The key of a source folder (or, for a one-message export, of the source message): its
/// entry ID in hex.
pub fn entry_key(entry_id: &[u8]) -> String {
    entry_id.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of a source message: its message id (PR_MID), unique in its store.
pub fn message_key(mid: ObjectId) -> String {
    format!("mid:{:016x}", mid.to_u64())
}

/// The folder of the PST an export starts in.
pub struct TopFolder {
    /// A new folder of this name under the IPM subtree; `None`: the IPM subtree itself (the
    /// whole mailbox, `/`, or one message).
    pub name: Option<String>,
    /// Its source's key ([`entry_key`]).
    pub key: String,
    /// The source folder's PR_CONTAINER_CLASS.
    pub class: Option<String>,
}

/// What a PST already holds of an export (read by [`scan`]).
#[derive(Default)]
struct Written {
    /// The top folder.
    top: u32,
    /// Source folder key → the folder made from it.
    folders: HashMap<String, u32>,
    /// The keys of the messages written.
    messages: HashSet<String>,
}

/// A PST being written by an export.
pub struct PstSink {
    writer: PstWriter,
    /// The folder messages go into now.
    pub folder: u32,
    /// Messages written since the last commit.
    pending: usize,
    /// Messages per commit.
    commit_every: usize,
    /// The file's tag of [`folder_key_name`].
    folder_tag: PropTag,
    /// What the file held when it was opened (empty for a new file).
    written: Written,
}

/// The refusal of an existing file without `--resume` (MAPI_E_COLLISION).
pub fn refuse_existing(to: &Path) -> Failure {
    Failure::bad_input(
        codes::MAPI_E_COLLISION,
        "--to",
        format!("{} exists: export writes a new PST", to.display()),
        "name a new file; add --resume to continue an interrupted export of the same FOLDER into it \
         (`oxmapi pst merge` combines PST files)",
    )
}

fn disk_error(to: &Path, e: impl std::fmt::Display) -> MapiError {
    MapiError::new(codes::MAPI_E_DISK_ERROR, format!("{}: {e}", to.display()))
}

impl PstSink {
    /// The PST for an export to `to`: a new file; with `resume`, the file an earlier export of
    /// the same source left (or a new one when there is none). An existing file without
    /// `resume` is refused with MAPI_E_COLLISION.
    pub fn open(to: &Path, top: &TopFolder, commit_every: usize, resume: bool) -> Result<PstSink, Failure> {
        match (to.exists(), resume) {
            (false, _) => PstSink::create(to, top, commit_every),
            (true, true) => PstSink::resume(to, top, commit_every),
            (true, false) => Err(refuse_existing(to)),
        }
    }

    fn create(to: &Path, top: &TopFolder, commit_every: usize) -> Result<PstSink, Failure> {
        let stem = to.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let writer = PstWriter::create(to, CryptMethod::Permute, &stem).map_err(|e| disk_error(to, e))?;
        let mut sink = PstSink::with(writer, commit_every, Written::default(), to)?;
        let ipm = sink.writer.ipm_subtree();
        sink.folder = match &top.name {
            Some(name) => sink.new_folder(ipm, &top.key, name, top.class.clone())?,
            None => {
                let key = PropBag::new().with(sink.folder_tag, PropValue::Unicode(top.key.clone()));
                sink.writer.set_folder_props(ipm, &key).map_err(|e| disk_error(to, e))?;
                ipm
            }
        };
        // From this commit on the file is recognisably this export's: a --resume finds it.
        sink.commit()?;
        Ok(sink)
    }

    fn resume(to: &Path, top: &TopFolder, commit_every: usize) -> Result<PstSink, Failure> {
        let written = scan(to, top)?;
        let writer = PstWriter::open(to).map_err(|e| disk_error(to, e))?;
        let mut sink = PstSink::with(writer, commit_every, written, to)?;
        sink.folder = sink.written.top;
        Ok(sink)
    }

    fn with(
        mut writer: PstWriter,
        commit_every: usize,
        written: Written,
        to: &Path,
    ) -> Result<PstSink, MapiError> {
        let id = writer.named_id(&folder_key_name()).map_err(|e| disk_error(to, e))?;
        Ok(PstSink {
            writer,
            folder: 0,
            pending: 0,
            commit_every: commit_every.max(1),
            folder_tag: PropTag::new(id, PropType::String),
            written,
        })
    }

    /// Whether the file already holds the message with this key (written before a resume).
    pub fn has(&self, key: &str) -> bool {
        self.written.messages.contains(key)
    }

    /// Writes a message, with its key, into the current folder; commits every
    /// `commit_every` messages.
    pub fn add(&mut self, mut m: FileMessage, key: &str, associated: bool) -> Result<(), String> {
        let id = m.id_of(&message_key_name());
        m.item.props.set(PropTag::new(id, PropType::String), PropValue::Unicode(key.to_string()));
        self.writer.add_message(self.folder, &m, associated).map_err(|e| e.to_string())?;
        self.pending += 1;
        if self.pending >= self.commit_every {
            self.commit().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Makes everything written so far durable.
    pub fn commit(&mut self) -> Result<(), MapiError> {
        self.pending = 0;
        self.writer
            .commit()
            .map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, format!("committing the PST: {e}")))
    }

    /// The sub-folder of the current folder for the source folder `key`: the one an earlier
    /// run made from it, else a new one named `name` with `class`.
    pub fn sub_folder(&mut self, key: &str, name: &str, class: Option<String>) -> Result<u32, MapiError> {
        if let Some(nid) = self.written.folders.get(key) {
            return Ok(*nid);
        }
        self.new_folder(self.folder, key, name, class)
    }

    /// The file's Deleted Items (PR_IPM_WASTEBASKET_ENTRYID) stands for the source folder of
    /// `key` (the mailbox's own Deleted Items, in a whole-mailbox export): that folder's
    /// messages go there instead of into a second folder of the same name beside it. The
    /// folder takes the key, so a `--resume` finds it as it finds the others.
    pub fn use_wastebasket_for(&mut self, key: &str) -> Result<(), MapiError> {
        let Some(nid) = self.writer.deleted_items() else { return Ok(()) };
        if self.written.folders.contains_key(key) {
            return Ok(());
        }
        let props = PropBag::new().with(self.folder_tag, PropValue::Unicode(key.to_string()));
        self.writer
            .set_folder_props(nid, &props)
            .map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, format!("PST Deleted Items: {e}")))?;
        self.written.folders.insert(key.to_string(), nid);
        Ok(())
    }

    fn new_folder(
        &mut self,
        parent: u32,
        key: &str,
        name: &str,
        class: Option<String>,
    ) -> Result<u32, MapiError> {
        let mut props = PropBag::new()
            .with(PR_DISPLAY_NAME, PropValue::Unicode(name.to_string()))
            .with(self.folder_tag, PropValue::Unicode(key.to_string()));
        if let Some(c) = class {
            props.set(PR_CONTAINER_CLASS, PropValue::Unicode(c));
        }
        self.writer
            .create_folder(parent, &props)
            .map_err(|e| MapiError::new(codes::MAPI_E_DISK_ERROR, format!("PST folder {name:?}: {e}")))
    }
}

/// The tag the file maps `name` to, if it maps it.
fn file_tag(pst: &PstFile, name: &PropertyName) -> Option<PropTag> {
    let (id, _) = pst.named_properties().iter().find(|(_, n)| *n == name)?;
    Some(PropTag::new(*id, PropType::String))
}

fn text(bag: &PropBag, tag: Option<PropTag>) -> Option<String> {
    match bag.get(tag?) {
        Some(PropValue::Unicode(s)) => Some(s.clone()),
        _ => None,
    }
}

/// What `to` holds of an export of `top`'s source, refused when it holds none.
fn scan(to: &Path, top: &TopFolder) -> Result<Written, Failure> {
    let pst = PstFile::open(to).map_err(|e| disk_error(to, e))?;
    let folder_tag = file_tag(&pst, &folder_key_name());
    let key_of = |nid: u32| pst.folder_props(nid).ok().and_then(|p| text(&p, folder_tag));
    let ipm = entry_nid(pst.store_props().get(PR_IPM_SUBTREE_ENTRYID));
    let found = ipm.and_then(|ipm| match top.name {
        None => (key_of(ipm).as_deref() == Some(top.key.as_str())).then_some(ipm),
        Some(_) => pst
            .hierarchy(ipm)
            .ok()?
            .iter()
            .map(|r| r.id)
            .find(|nid| key_of(*nid).as_deref() == Some(top.key.as_str())),
    });
    let Some(top_nid) = found else {
        return Err(Failure::bad_input(
            codes::MAPI_E_COLLISION,
            "--resume",
            format!(
                "{} holds no export of this FOLDER from this store (no folder carries its export key); \
                 the file was left as it was",
                to.display()
            ),
            "--resume continues an export of the same FOLDER of the same store into the file it was writing; \
             name a new file otherwise",
        ));
    };
    let key_tag = file_tag(&pst, &message_key_name());
    let mut w = Written { top: top_nid, ..Written::default() };
    let mut todo = vec![(top_nid, 0usize)];
    let mut seen = HashSet::new();
    while let Some((nid, depth)) = todo.pop() {
        if !seen.insert(nid) || depth > MAX_FOLDER_DEPTH {
            continue;
        }
        if let Some(k) = key_of(nid) {
            w.folders.insert(k, nid);
        }
        // A table or message that cannot be read would be written again: refused instead.
        let damaged = |e: String| {
            Failure::with_hint(
                MapiError::new(codes::MAPI_E_CORRUPT_DATA, format!("{}: folder {nid:#x}: {e}", to.display())),
                "`oxmapi pst check --repair FILE` mends what it can; then run the export with --resume again",
            )
        };
        let mut rows = pst.contents(nid).map_err(|e| damaged(e.to_string()))?;
        rows.extend(pst.associated(nid).map_err(|e| damaged(e.to_string()))?);
        for row in rows {
            let props = pst.message_props(row.id).map_err(|e| damaged(e.why))?;
            if let Some(k) = text(&props, key_tag) {
                w.messages.insert(k);
            }
        }
        let subs = pst.hierarchy(nid).map_err(|e| damaged(e.to_string()))?;
        todo.extend(subs.iter().map(|r| (r.id, depth + 1)));
    }
    Ok(w)
}
