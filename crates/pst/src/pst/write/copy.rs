//! Copying one store into another: what `oxmapi pst convert` and `pst merge` do. Every
//! readable folder and message of the source (PST or OST, ANSI or Unicode, through the
//! reader) is written into a Unicode PST through the writer; folders are matched by role (the
//! IPM subtree and Deleted Items of one are those of the other) and then by name under their
//! parent, so merging two files gives one tree. What the reader cannot read is left out and
//! reported, never copied half. A whole-store copy (no `--folder`) then copies the source's
//! search folders ([`super::copy_search`]) with the messages they list that were copied
//! into the last target file.

use std::collections::HashMap;

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_DISPLAY_NAME, PR_FINDER_ENTRYID,
    PR_IPM_SUBTREE_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_SUBFOLDERS,
};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use super::PstWriter;
use super::copy_search::{Targets, copy_search_folders};
use crate::pst::folder::{FolderInfo, Skipped};
use crate::pst::{NID_ROOT_FOLDER, PstError, PstFile};

/// Messages written between two commits: a crash loses at most this many, and the commit's
/// cost is spread over them.
pub const COMMIT_EVERY: usize = 500;

/// What to copy.
#[derive(Clone, Debug, Default)]
pub struct CopyOptions {
    /// Only the folders under these paths (names from the root's child down, compared
    /// case-insensitively), with their ancestors created; empty: everything.
    pub folders: Vec<Vec<String>>,
}

/// What a copy did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CopyReport {
    /// Folders created in the target.
    pub folders_created: usize,
    /// Messages written (contents tables).
    pub items: usize,
    /// Folder-associated messages written.
    pub associated: usize,
    /// Search folders written ([MS-PST] 2.4.8.6; see [`super::copy_search`]).
    pub search_folders: usize,
    /// What the source could not give (damaged folders and messages), by node id.
    pub skipped: Vec<Skipped>,
}

/// The node id an entry ID of [MS-PST] 2.4.3.2 names (flags, record key, NID).
fn nid_of_entry_id(v: Option<&PropValue>) -> Option<u32> {
    match v {
        Some(PropValue::Binary(b)) if b.len() == 24 => Some(u32::from_le_bytes([b[20], b[21], b[22], b[23]])),
        _ => None,
    }
}

/// The folder properties a copy carries: the folder's own, not the counts the target computes.
fn folder_props(bag: &PropBag) -> PropBag {
    let computed: [PropTag; 4] = [PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT, PR_SUBFOLDERS];
    bag.iter().filter(|v| !computed.iter().any(|c| c.id() == v.tag.id())).cloned().collect()
}

/// The sub-folders a target file already has, by (parent node, lower-case name): what a merge
/// into an existing file matches against. Empty for a new file.
pub fn existing_folders(target: &PstFile) -> HashMap<(u32, String), u32> {
    let (folders, _) = target.folders();
    folders
        .iter()
        .filter(|f| f.nid != NID_ROOT_FOLDER)
        .map(|f| ((f.parent, f.name.to_lowercase()), f.nid))
        .collect()
}

/// Where a copy may continue when the target grows too large (`pst convert --split-size`):
/// after a commit, `full` says whether the current file is full; `next` gives the next one.
pub struct Split<'a> {
    /// True when the file written so far has reached the size limit.
    pub full: &'a mut dyn FnMut(&PstWriter) -> bool,
    /// A new target file (its folders are created again as messages need them).
    pub next: &'a mut dyn FnMut() -> Result<PstWriter, PstError>,
}

/// The target folders of the source's special folders in `dst`: those the source's store
/// names by entry ID and, for an OST (whose store names none), its mailbox's.
fn roots(src: &PstFile, dst: &PstWriter) -> HashMap<u32, u32> {
    let mut map = named_roots(src, dst);
    map.extend(ost_roots(src, dst));
    map
}

/// The special folders the source's store names by entry ID ([MS-PST] 2.4.3: the IPM
/// subtree, Deleted Items, the search root), mapped to the target's.
fn named_roots(src: &PstFile, dst: &PstWriter) -> HashMap<u32, u32> {
    let store = src.store_props();
    let mut map = HashMap::new();
    map.insert(NID_ROOT_FOLDER, dst.root_folder());
    if let Some(n) = nid_of_entry_id(store.get(PR_IPM_SUBTREE_ENTRYID)) {
        map.insert(n, dst.ipm_subtree());
    }
    if let (Some(n), Some(d)) = (nid_of_entry_id(store.get(PR_IPM_WASTEBASKET_ENTRYID)), dst.deleted_items())
    {
        map.insert(n, d);
    }
    if let (Some(n), Some(d)) = (nid_of_entry_id(store.get(PR_FINDER_ENTRYID)), dst.search_root()) {
        map.insert(n, d);
    }
    map
}

/// Exchange's name of the mailbox root in an OST, under the root folder.
const OST_MAILBOX_ROOT: &str = "Root - Mailbox";
/// Exchange's names of the IPM subtree and the search root under the mailbox root.
const OST_IPM_SUBTREE: &str = "IPM_SUBTREE";
const OST_FINDER: &str = "Finder";
/// The Deleted Items folder's name under an (English) OST's IPM subtree.
const OST_DELETED_ITEMS: &str = "Deleted Items";

/// An OST's store names no IPM subtree (it keeps Exchange's layout: "Root - Mailbox" under the
/// root folder, holding "IPM_SUBTREE" and "Finder"): its IPM subtree, Deleted Items and search
/// root are found by those names and mapped to the target's, so the copied mail lands in the
/// IPM subtree the new file names (the only tree Outlook and readpst show). Empty for a file
/// whose store names its IPM subtree.
fn ost_roots(src: &PstFile, dst: &PstWriter) -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    if src.store_props().get(PR_IPM_SUBTREE_ENTRYID).is_some() {
        return map;
    }
    let (folders, _) = src.folders();
    let child = |parent: u32, name: &str| {
        folders
            .iter()
            .find(|f| f.parent == parent && f.nid != parent && f.name.eq_ignore_ascii_case(name))
            .map(|f| f.nid)
    };
    let Some(mailbox) = child(NID_ROOT_FOLDER, OST_MAILBOX_ROOT) else { return map };
    let Some(ipm) = child(mailbox, OST_IPM_SUBTREE) else { return map };
    map.insert(ipm, dst.ipm_subtree());
    if let (Some(n), Some(d)) = (child(ipm, OST_DELETED_ITEMS), dst.deleted_items()) {
        map.insert(n, d);
    }
    if let (Some(n), Some(d)) = (child(mailbox, OST_FINDER), dst.search_root()) {
        map.insert(n, d);
    }
    map
}

/// Gives a new target's special folders (the IPM subtree, Deleted Items and the Search Root)
/// the source's names ("Top of Outlook data file", "Outlook データ ファイルのトップ",
/// "削除済みアイテム", …), so paths read the same in both files (`pst convert`; a merge keeps
/// the target's).
pub fn adopt_names(src: &PstFile, dst: &mut PstWriter) -> Result<(), PstError> {
    let (folders, _) = src.folders();
    for (source, target) in named_roots(src, dst) {
        if source == NID_ROOT_FOLDER {
            continue;
        }
        if let Some(f) = folders.iter().find(|f| f.nid == source).filter(|f| !f.name.is_empty()) {
            let name = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(f.name.clone()));
            dst.set_folder_props(target, &name)?;
        }
    }
    Ok(())
}

/// Copies `src` into `dst`; `existing` maps the target's folders (see [`existing_folders`]);
/// `progress` is told after every commit. The caller commits at the end.
pub fn copy_store(
    src: &PstFile,
    dst: &mut PstWriter,
    existing: &mut HashMap<(u32, String), u32>,
    opts: &CopyOptions,
    mut split: Option<Split<'_>>,
    progress: &mut dyn FnMut(&CopyReport),
) -> Result<CopyReport, PstError> {
    let mut report = CopyReport::default();
    let (folders, skipped) = src.folders();
    report.skipped.extend(skipped.into_iter().filter(|s| s.damaged));
    let by_nid: HashMap<u32, &FolderInfo> = folders.iter().map(|f| (f.nid, f)).collect();
    let mut map = roots(src, dst);
    // Source message → target message, for the search folders' contents tables (the current
    // target file's only).
    let mut messages: HashMap<u32, u32> = HashMap::new();
    let mut pending = 0usize;
    for f in &folders {
        if !opts.folders.is_empty() && !covers(opts, f) {
            // Not named (at most on the way to a named folder, created when that one is).
            continue;
        }
        for (rows, associated) in [(src.contents(f.nid), false), (src.associated(f.nid), true)] {
            let rows = match rows {
                Ok(r) => r,
                Err(e) => {
                    report.skipped.push(Skipped::damage(f.nid, e.to_string()));
                    continue;
                }
            };
            for row in rows {
                let Some(target) = folder_target(src, dst, existing, &mut map, &by_nid, f.nid, &mut report)?
                else {
                    break;
                };
                match src.message(row.id) {
                    Ok(m) => {
                        messages.insert(row.id, dst.add_message(target, &m, associated)?);
                        if associated {
                            report.associated += 1;
                        } else {
                            report.items += 1;
                        }
                        pending += 1;
                    }
                    Err(e) => report.skipped.push(Skipped::damage(e.nid, e.why)),
                }
                if pending >= COMMIT_EVERY {
                    dst.commit()?;
                    pending = 0;
                    progress(&report);
                    if let Some(s) = split.as_mut()
                        && (s.full)(dst)
                    {
                        *dst = (s.next)()?;
                        map = roots(src, dst);
                        existing.clear();
                        messages.clear();
                    }
                }
            }
        }
        // An empty folder is copied too.
        folder_target(src, dst, existing, &mut map, &by_nid, f.nid, &mut report)?;
    }
    if opts.folders.is_empty() {
        let to = Targets { folders: &map, messages: &messages };
        copy_search_folders(src, dst, &folders, &to, &mut report)?;
    }
    Ok(report)
}

/// True when an option names this folder or one above it (its messages are copied); a folder
/// only on the way to a named one is created but not filled.
fn covers(opts: &CopyOptions, f: &FolderInfo) -> bool {
    let path: Vec<String> = f.path.iter().map(|s| s.to_lowercase()).collect();
    opts.folders.iter().any(|w| {
        let w: Vec<String> = w.iter().map(|s| s.to_lowercase()).collect();
        path.starts_with(&w)
    })
}

/// The target folder of source folder `nid`: mapped by role, matched by name under the
/// mapped parent, or created (with its ancestors).
fn folder_target(
    src: &PstFile,
    dst: &mut PstWriter,
    existing: &mut HashMap<(u32, String), u32>,
    map: &mut HashMap<u32, u32>,
    by_nid: &HashMap<u32, &FolderInfo>,
    nid: u32,
    report: &mut CopyReport,
) -> Result<Option<u32>, PstError> {
    // Ancestors first, from the nearest mapped one down (a walk bounded by the tree's depth).
    let mut chain = Vec::new();
    let mut at = nid;
    while !map.contains_key(&at) {
        let Some(f) = by_nid.get(&at) else { return Ok(None) };
        if chain.len() > crate::pst::folder::MAX_FOLDER_DEPTH || chain.contains(&at) {
            return Ok(None);
        }
        chain.push(at);
        at = f.parent;
    }
    for n in chain.into_iter().rev() {
        let (f, parent) = (by_nid[&n], map[&by_nid[&n].parent]);
        let key = (parent, f.name.to_lowercase());
        // A folder of the target with that name is taken unless another folder of this source
        // already went there: two sibling folders of one name in the source stay two (folders
        // merge across sources, never within one).
        let target = match existing.get(&key).filter(|t| !map.values().any(|m| m == *t)) {
            Some(t) => *t,
            None => {
                let mut props = match src.folder_props(f.nid) {
                    Ok(mut p) => {
                        crate::codepage::decode_string8_props(&mut p, src.codepage());
                        folder_props(&p)
                    }
                    Err(e) => {
                        report.skipped.push(Skipped::damage(f.nid, e.to_string()));
                        return Ok(None);
                    }
                };
                props.set(PR_DISPLAY_NAME, PropValue::Unicode(f.name.clone()));
                let t = dst.create_folder(parent, &props)?;
                report.folders_created += 1;
                existing.insert(key, t);
                t
            }
        };
        map.insert(n, target);
    }
    Ok(map.get(&nid).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::crypt::CryptMethod;
    use crate::pst::write::testkit::{simple_message, temp_path};

    fn paths(pst: &PstFile) -> Vec<String> {
        let mut p: Vec<String> = pst.folders().0.iter().map(|f| f.path.join("/")).collect();
        p.sort();
        p
    }

    /// Outlook allows two sibling folders of one name (Aspose's Test_part1.pst has two Inbox
    /// folders): a conversion keeps both, each with its own messages.
    #[test]
    fn two_sibling_folders_of_one_name_stay_two_in_a_conversion() {
        let (src_path, dst_path) = (temp_path("twins-src.pst"), temp_path("twins-dst.pst"));
        let mut s = PstWriter::create(&src_path.0, CryptMethod::Permute, "Src").unwrap();
        let name = PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode("Twin".into()));
        for subject in ["first", "second"] {
            let f = s.create_folder(s.ipm_subtree(), &name).unwrap();
            s.add_message(f, &simple_message(subject, "b", "x@example.test"), false).unwrap();
        }
        s.commit().unwrap();
        drop(s);
        let src = PstFile::open(&src_path.0).unwrap();
        let mut d = PstWriter::create(&dst_path.0, CryptMethod::Permute, "Dst").unwrap();
        copy_store(&src, &mut d, &mut HashMap::new(), &CopyOptions::default(), None, &mut |_| {}).unwrap();
        d.commit().unwrap();
        drop(d);
        let dst = PstFile::open(&dst_path.0).unwrap();
        let twins: Vec<usize> =
            dst.folders().0.iter().filter(|f| f.name == "Twin").map(|f| f.items).collect();
        assert_eq!(twins, [1, 1]);
    }

    /// An OST's mail must land in the new file's IPM subtree (readpst and Outlook show only
    /// that tree; a converted SampleOstFile.ost showed readpst none of its 92 items).
    #[test]
    fn a_converted_ost_puts_its_mailbox_in_the_ipm_subtree() {
        let Some(ost) = crate::pst::write::store_tests::outlook_file()
            .and_then(|p| p.parent()?.parent().map(|d| d.join("Aspose.Email-for-.NET/SampleOstFile.ost")))
            .filter(|p| p.exists())
        else {
            println!("SKIPPED: no test data (Aspose.Email-for-.NET/SampleOstFile.ost)");
            return;
        };
        let dst_path = temp_path("ost.pst");
        let src = PstFile::open(&ost).unwrap();
        let mut d = PstWriter::create(&dst_path.0, CryptMethod::Permute, "Ost").unwrap();
        adopt_names(&src, &mut d).unwrap();
        let report =
            copy_store(&src, &mut d, &mut HashMap::new(), &CopyOptions::default(), None, &mut |_| {})
                .unwrap();
        d.commit().unwrap();
        let ipm = d.ipm_subtree();
        drop(d);
        let dst = PstFile::open(&dst_path.0).unwrap();
        let folders = dst.folders().0;
        let by_nid: HashMap<u32, &FolderInfo> = folders.iter().map(|f| (f.nid, f)).collect();
        let under_ipm = |mut n: u32| {
            while n != NID_ROOT_FOLDER {
                if n == ipm {
                    return true;
                }
                n = by_nid[&n].parent;
            }
            false
        };
        let in_ipm: usize = folders.iter().filter(|f| under_ipm(f.nid)).map(|f| f.items).sum();
        assert_eq!((report.items, in_ipm), (92, 92));
        // One Deleted Items, the new file's, holding the OST's deleted mail.
        let deleted: Vec<&&FolderInfo> =
            by_nid.values().filter(|f| f.parent == ipm && f.name == OST_DELETED_ITEMS).collect();
        assert_eq!(deleted.len(), 1);
        assert!(deleted[0].items > 0);
        assert_eq!(by_nid[&ipm].name, "Top of Personal Folders");
    }

    /// A Japanese Outlook file names its Deleted Items "削除済みアイテム" and its Search Root
    /// "検索ルート": a converted file must show the same paths, not the English names a new
    /// store starts with (every peer compares folders by path).
    #[test]
    fn a_converted_file_keeps_the_source_names_of_its_special_folders() {
        let (src_path, dst_path) = (temp_path("names-src.pst"), temp_path("names-dst.pst"));
        let mut s = PstWriter::create(&src_path.0, CryptMethod::Permute, "Src").unwrap();
        let rename = |name: &str| PropBag::new().with(PR_DISPLAY_NAME, PropValue::Unicode(name.into()));
        let (ipm, deleted, finder) = (s.ipm_subtree(), s.deleted_items().unwrap(), s.search_root().unwrap());
        s.set_folder_props(ipm, &rename("Outlook データ ファイルのトップ")).unwrap();
        s.set_folder_props(deleted, &rename("削除済みアイテム")).unwrap();
        s.set_folder_props(finder, &rename("検索ルート")).unwrap();
        s.add_message(deleted, &simple_message("gone", "b", "x@example.test"), false).unwrap();
        s.commit().unwrap();
        drop(s);
        let src = PstFile::open(&src_path.0).unwrap();
        let mut d = PstWriter::create(&dst_path.0, CryptMethod::Permute, "Dst").unwrap();
        adopt_names(&src, &mut d).unwrap();
        let report =
            copy_store(&src, &mut d, &mut HashMap::new(), &CopyOptions::default(), None, &mut |_| {})
                .unwrap();
        d.commit().unwrap();
        drop(d);
        let dst = PstFile::open(&dst_path.0).unwrap();
        assert_eq!(paths(&dst), paths(&src));
        assert!(paths(&dst).contains(&"Outlook データ ファイルのトップ/削除済みアイテム".to_string()));
        assert_eq!((report.items, report.folders_created), (1, 0));
    }
}
