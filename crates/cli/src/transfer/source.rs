//! What `oxmapi import` reads: `.eml`, `.msg`, `.mbox`, `.pst` / `.ost` files and directories
//! of them, turned into items (a message in [`oxmapi_pst::item`] form, the folder it goes to
//! under the target, and the key that makes a second import skip it).

use std::path::{Path, PathBuf};

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{PR_INTERNET_MESSAGE_ID, PR_IPM_SUBTREE_ENTRYID, PR_RECORD_KEY};
use oxmapi_core::value::PropValue;
use oxmapi_pst::item::Message;
use oxmapi_pst::mime::read_eml;
use oxmapi_pst::msg::{ReadOptions, read_msg};
use oxmapi_pst::pst::{NID_ROOT_FOLDER, PstFile};
use sha2::{Digest, Sha256};

use super::mbox;

/// The largest `.eml`, `.msg` or `.mbox` file read (a PST is read through its own bounds):
/// past it the file is reported in `errors` (MAPI_E_TOO_BIG) and the import goes on.
pub const MAX_SOURCE_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// How deep directories given as SOURCE are walked.
pub const MAX_DIRECTORY_DEPTH: usize = 16;

/// The kinds of source file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An Internet message (.eml).
    Eml,
    /// An Outlook item (.msg, .oft).
    Msg,
    /// An mbox file (.mbox, .mbx).
    Mbox,
    /// A Personal Folders file (.pst, .ost).
    Pst,
}

impl Kind {
    fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "eml" => Kind::Eml,
            "msg" | "oft" => Kind::Msg,
            "mbox" | "mbx" => Kind::Mbox,
            "pst" | "ost" => Kind::Pst,
            _ => return None,
        })
    }
}

/// One message to import, or why it could not be read.
pub struct SourceItem {
    /// The file it came from.
    pub source: String,
    /// Where in the file ("" for a file holding one message).
    pub item: String,
    /// The folder under the import's target ([] for the target itself).
    pub folder: Vec<String>,
    /// The resume key ([`file_key`], [`pst_key`]).
    pub key: String,
    /// Bytes read for it.
    pub bytes: u64,
    /// The message.
    pub message: Result<Message, String>,
}

/// An error that is not one item's (an unreadable file or directory).
pub fn failed(source: &Path, item: &str, why: String) -> SourceItem {
    SourceItem {
        source: source.display().to_string(),
        item: item.to_string(),
        folder: Vec::new(),
        key: String::new(),
        bytes: 0,
        message: Err(why),
    }
}

/// The source files named on the command line, directories walked (sorted by name; files of
/// other extensions in a directory are passed over), files named explicitly kept whatever their
/// extension (an unknown one is reported). A directory that cannot be read, or that lies more
/// than [`MAX_DIRECTORY_DEPTH`] levels down, is kept as it is and reported by [`read_source`].
pub fn expand(sources: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for s in sources {
        if s.is_dir() {
            walk(s, 0, &mut out);
        } else {
            out.push(s.clone());
        }
    }
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if depth < MAX_DIRECTORY_DEPTH {
                walk(&p, depth + 1, out);
            } else {
                out.push(p);
            }
        } else if Kind::of(&p).is_some() {
            out.push(p);
        }
    }
}

/// The resume key of a message read from bytes: its Message-ID and the SHA-256 of the bytes.
pub fn file_key(message: Option<&Message>, bytes: &[u8]) -> String {
    let id = message
        .and_then(|m| match m.item.props.get(PR_INTERNET_MESSAGE_ID) {
            Some(PropValue::Unicode(s)) => Some(s.trim().to_string()),
            _ => None,
        })
        .unwrap_or_default();
    format!("{id} sha256:{}", hex(&Sha256::digest(bytes)))
}

/// The resume key of a PST item: the store's PR_RECORD_KEY and the item's node id.
pub fn pst_key(store: &str, nid: u32) -> String {
    format!("pst:{store}:{nid:#x}")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if len > MAX_SOURCE_FILE_BYTES {
        return Err(format!(
            "MAPI_E_TOO_BIG: {len} bytes, more than the {MAX_SOURCE_FILE_BYTES} a source file may have"
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Reads one source file and hands each item to `emit` (which returns false to stop);
/// `total` is told how many items a PST or mbox holds once it is opened.
pub fn read_source(path: &Path, total: &mut dyn FnMut(u64), emit: &mut dyn FnMut(SourceItem) -> bool) {
    let name = path.display().to_string();
    let one = |bytes: Vec<u8>, message: Result<Message, String>, item: String| SourceItem {
        source: name.clone(),
        item,
        folder: Vec::new(),
        key: file_key(message.as_ref().ok(), &bytes),
        bytes: bytes.len() as u64,
        message,
    };
    if path.is_dir() {
        emit(failed(
            path,
            "",
            format!(
                "directory not walked: unreadable, or more than {MAX_DIRECTORY_DEPTH} levels below the SOURCE given"
            ),
        ));
        return;
    }
    match Kind::of(path) {
        None => {
            emit(failed(path, "", "not a .eml, .msg, .mbox, .pst or .ost file".into()));
        }
        Some(Kind::Eml) => match read_file(path) {
            Ok(b) => {
                let m = read_eml(&b).map_err(|e| e.to_string());
                emit(one(b, m, String::new()));
            }
            Err(e) => {
                emit(failed(path, "", e));
            }
        },
        Some(Kind::Msg) => match read_file(path) {
            Ok(b) => {
                let m = read_msg(&b, &ReadOptions::default()).map_err(|e| e.to_string());
                emit(one(b, m, String::new()));
            }
            Err(e) => {
                emit(failed(path, "", e));
            }
        },
        Some(Kind::Mbox) => match read_file(path) {
            Ok(b) => {
                let messages = mbox::split(&b);
                if messages.is_empty() {
                    emit(failed(path, "", "no \"From \" line: not an mbox file".into()));
                    return;
                }
                total(messages.len() as u64 - 1);
                for (i, raw) in messages.into_iter().enumerate() {
                    let m = read_eml(&raw).map_err(|e| e.to_string());
                    if !emit(one(raw, m, format!("message {}", i + 1))) {
                        return;
                    }
                }
            }
            Err(e) => {
                emit(failed(path, "", e));
            }
        },
        Some(Kind::Pst) => read_pst(path, total, emit),
    }
}

/// The node id in a folder entry ID of a PST (MS-PST 2.4.3.2: flags, provider UID, node id).
pub(super) fn entry_nid(v: Option<&PropValue>) -> Option<u32> {
    match v {
        Some(PropValue::Binary(b)) if b.len() == 24 => Some(u32::from_le_bytes([b[20], b[21], b[22], b[23]])),
        _ => None,
    }
}

/// Every message of every folder of a PST (contents tables; the associated contents are
/// folder settings, not mail, and stay behind), the folders under the store's IPM subtree
/// placed under the target as they are, the others by their whole path.
fn read_pst(path: &Path, total: &mut dyn FnMut(u64), emit: &mut dyn FnMut(SourceItem) -> bool) {
    let pst = match PstFile::open(path) {
        Ok(p) => p,
        Err(e) => {
            emit(failed(path, "", e.to_string()));
            return;
        }
    };
    let store = match pst.store_props().get(PR_RECORD_KEY) {
        Some(PropValue::Binary(b)) => hex(b),
        _ => hex(&Sha256::digest(path.display().to_string().as_bytes())[..8]),
    };
    let ipm = entry_nid(pst.store_props().get(PR_IPM_SUBTREE_ENTRYID));
    let (folders, skipped) = pst.folders();
    for s in skipped.iter().filter(|s| s.damaged) {
        if !emit(failed(path, &format!("node {:#x}", s.nid), s.why.clone())) {
            return;
        }
    }
    let ipm_path =
        folders.iter().find(|f| Some(f.nid) == ipm && f.nid != NID_ROOT_FOLDER).map(|f| f.path.clone());
    total(folders.iter().map(|f| f.items as u64).sum::<u64>().saturating_sub(1));
    let name = path.display().to_string();
    for f in &folders {
        let folder = match &ipm_path {
            Some(p) if f.path.starts_with(p) => f.path[p.len()..].to_vec(),
            _ => f.path.clone(),
        };
        let shown = format!("/{}", f.path.join("/"));
        let rows = match pst.contents(f.nid) {
            Ok(r) => r,
            Err(e) => {
                if !emit(failed(path, &shown, e.to_string())) {
                    return;
                }
                continue;
            }
        };
        for row in rows {
            let message = pst.message(row.id).map_err(|e| e.to_string());
            let item = SourceItem {
                source: name.clone(),
                item: format!("{shown} (node {:#x})", row.id),
                folder: folder.clone(),
                key: pst_key(&store, row.id),
                bytes: 0,
                message,
            };
            if !emit(item) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_deeper_than_the_limit_is_reported_not_walked() {
        let top = tempfile::tempdir().unwrap();
        let mut d = top.path().to_path_buf();
        for i in 0..MAX_DIRECTORY_DEPTH + 2 {
            d.push(format!("d{i}"));
        }
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("deep.eml"), b"Subject: deep\r\n\r\nbody\r\n").unwrap();
        std::fs::write(top.path().join("top.eml"), b"Subject: top\r\n\r\nbody\r\n").unwrap();
        let files = expand(&[top.path().to_path_buf()]);
        assert_eq!(files.len(), 2, "{files:?}");
        let mut seen = Vec::new();
        for f in &files {
            read_source(f, &mut |_| {}, &mut |item| {
                seen.push((item.source, item.message.is_ok()));
                true
            });
        }
        assert!(seen.iter().any(|(s, ok)| s.ends_with("top.eml") && *ok), "{seen:?}");
        assert!(
            seen.iter().any(|(s, ok)| !s.ends_with(".eml") && !*ok),
            "the deep directory is reported: {seen:?}"
        );
    }

    #[test]
    fn the_resume_key_is_the_message_id_and_the_bytes_hash() {
        let a = read_eml(b"Message-ID: <x@y>\r\nSubject: a\r\n\r\nbody\r\n").unwrap();
        let k1 = file_key(Some(&a), b"one");
        assert!(k1.starts_with("<x@y> sha256:"), "{k1}");
        assert_ne!(k1, file_key(Some(&a), b"two"));
        assert_eq!(pst_key("ab", 0x200024), "pst:ab:0x200024");
    }

    #[test]
    fn an_mbox_gives_one_item_per_message() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.mbox");
        let mut bytes = mbox::entry(&mbox::separator(None, 0), b"Subject: one\n\nFrom inside\n");
        bytes.extend(mbox::entry(&mbox::separator(None, 0), b"Subject: two\n\nbody\n"));
        std::fs::write(&p, bytes).unwrap();
        let mut items = Vec::new();
        read_source(&p, &mut |_| {}, &mut |i| {
            items.push(i);
            true
        });
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].item, "message 2");
        assert!(items.iter().all(|i| i.message.is_ok()));
    }
}
