//! Search folders copied by `pst convert` and `pst merge` ([MS-PST] 2.4.8.6 "Search Folder
//! Objects"). The specification describes these objects only "so that they can be identified
//! when reading existing PSTs", not how to build them, so a copy carries what the source
//! stores and changes only what names the source's nodes:
//! - the folder's property context (display name, container class, …; the counts are
//!   recomputed from the copied contents table);
//! - its search criteria object as stored (the restriction, the flags and the values the
//!   restriction refers to). Outlook keeps there, in two binary properties, the folders the
//!   search starts from ([`PR_SEARCH_ROOT_NIDS`]) and every folder it covers
//!   ([`PR_SEARCH_SCOPE_NIDS`]) as arrays of NIDs, and entry IDs of folders among the
//!   restriction's values: those are mapped to the target's folders;
//! - its contents table, one row per message the source's table lists and the copy wrote,
//!   with the row id and PidTagLtpParentNid mapped to the target's message and folder, named
//!   property columns mapped to the target's name-to-id map;
//! - its entry in the search activity list (when the source's had it), and the folders of the
//!   source's search domain object (mapped) in the target's, so later changes to them queue
//!   search updates; SUDT_SRCH_ADD is queued for each (2.4.8.1 rule 2), which tells Outlook
//!   to bring the folder up to date itself.
//!
//! The source's spam search folder (NID 0x2223) is the target's own when the target has one,
//! and a search folder whose parent already holds one of the same name (a merge into a file
//! with Outlook's standard search folders) is not copied twice.

use std::collections::{HashMap, HashSet};

use oxmapi_core::bag::{PropBag, PropertyBag};
use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_RECORD_KEY};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::PstWriter;
use super::copy::CopyReport;
use super::folder::strip_row_bookkeeping;
use super::store_folders::SearchFolder;
use super::template::{
    NID_SEARCH_ACTIVITY_LIST, NID_SEARCH_DOMAIN_OBJECT, NID_SPAM_SEARCH_FOLDER,
    NID_TYPE_SEARCH_CRITERIA_OBJECT, NID_TYPE_SEARCH_FOLDER, with_type,
};
use crate::item::FIRST_NAMED_ID;
use crate::pst::folder::{FolderInfo, Skipped};
use crate::pst::ltp::Row;
use crate::pst::{PstError, PstFile};

/// The search criteria object's array of the folders a search starts from (as Outlook's
/// files carry it: 4-byte NIDs).
pub const PR_SEARCH_ROOT_NIDS: PropTag = PropTag(0x6609_0102);
/// The search criteria object's array of every folder a search covers (4-byte NIDs).
pub const PR_SEARCH_SCOPE_NIDS: PropTag = PropTag(0x660A_0102);
/// PidTagLtpParentNid: the folder of a search folder contents table's message.
const PR_LTP_PARENT_NID: PropTag = PropTag(0x67F1_0003);

/// Where the copy's messages and folders went.
pub struct Targets<'a> {
    /// Source folder → target folder.
    pub folders: &'a HashMap<u32, u32>,
    /// Source message → target message.
    pub messages: &'a HashMap<u32, u32>,
}

/// The NIDs of an array of 4-byte NIDs.
fn nid_array(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// Copies the search folders of `src` (those its folders' hierarchy tables list) into `dst`,
/// after its folders and messages were copied.
pub fn copy_search_folders(
    src: &PstFile,
    dst: &mut PstWriter,
    folders: &[FolderInfo],
    to: &Targets<'_>,
    report: &mut CopyReport,
) -> Result<(), PstError> {
    let active: HashSet<u32> = src
        .raw_node(NID_SEARCH_ACTIVITY_LIST)
        .map(|d| nid_array(&d))
        .unwrap_or_default()
        .into_iter()
        .collect();
    let has_spam = dst.ndb().node(NID_SPAM_SEARCH_FOLDER).is_some();
    for f in folders {
        let Some(&parent) = to.folders.get(&f.nid) else { continue };
        for &nid in f.children.iter().filter(|c| *c & 0x1F == NID_TYPE_SEARCH_FOLDER as u32) {
            if nid == NID_SPAM_SEARCH_FOLDER && has_spam {
                continue;
            }
            let mut props = match src.folder_props(nid) {
                Ok(p) => p,
                Err(e) => {
                    report.skipped.push(Skipped::damage(nid, format!("search folder: {e}")));
                    continue;
                }
            };
            crate::codepage::decode_string8_props(&mut props, src.codepage());
            let name = match props.get(PR_DISPLAY_NAME) {
                Some(PropValue::Unicode(s)) => s.to_lowercase(),
                _ => String::new(),
            };
            if dst.search_folders_in(parent)?.iter().any(|(_, n)| n.to_lowercase() == name) {
                continue;
            }
            let criteria = match src.search_criteria(nid) {
                Ok(c) => map_criteria(&c, src, dst, to.folders),
                // Outlook.pst's "All Messages" has none: not damage, nothing to carry.
                Err(_) if src.node_entry(with_type(nid, NID_TYPE_SEARCH_CRITERIA_OBJECT)).is_none() => {
                    PropBag::new()
                }
                Err(e) => {
                    report.skipped.push(Skipped::damage(nid, format!("search criteria: {e}")));
                    PropBag::new()
                }
            };
            let rows = match src.search_contents(nid) {
                Ok(rows) => {
                    let mut out = Vec::with_capacity(rows.len());
                    for r in &rows {
                        out.extend(map_row(r, src, dst, to)?);
                    }
                    out
                }
                Err(e) => {
                    report.skipped.push(Skipped::damage(nid, format!("search folder contents: {e}")));
                    Vec::new()
                }
            };
            let folder = SearchFolder { props, criteria, rows, active: active.contains(&nid) };
            match dst.create_search_folder(parent, &folder) {
                Ok(_) => report.search_folders += 1,
                // Refused before anything is written (a search folder deeper than the
                // folders readers walk): left out and reported, the copy goes on.
                Err(PstError::Corrupt(why)) => {
                    report.skipped.push(Skipped::damage(nid, format!("search folder not copied: {why}")))
                }
                Err(e) => return Err(e),
            }
        }
    }
    let domain: Vec<u32> = src
        .raw_node(NID_SEARCH_DOMAIN_OBJECT)
        .map(|d| nid_array(&d))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| to.folders.get(&n).copied())
        .collect();
    dst.extend_search_domain(&domain);
    Ok(())
}

/// The criteria with the source's folder NIDs and folder entry IDs replaced by the
/// target's (NIDs of folders not copied are left out of the arrays).
fn map_criteria(criteria: &PropBag, src: &PstFile, dst: &PstWriter, folders: &HashMap<u32, u32>) -> PropBag {
    let src_key = match src.store_props().get(PR_RECORD_KEY) {
        Some(PropValue::Binary(b)) if b.len() == 16 => Some(b.clone()),
        _ => None,
    };
    // 8-bit strings stay 8-bit (a Unicode PST stores PtypString8 too): the restriction names
    // its values by their tags, type included.
    let mut out = criteria.clone();
    let mapped: Vec<TaggedValue> = out
        .iter()
        .filter_map(|tv| {
            let PropValue::Binary(b) = &tv.value else { return None };
            let value = if tv.tag == PR_SEARCH_ROOT_NIDS || tv.tag == PR_SEARCH_SCOPE_NIDS {
                nid_array(b).iter().filter_map(|n| folders.get(n)).flat_map(|n| n.to_le_bytes()).collect()
            } else if b.len() == 24 && src_key.as_deref() == Some(&b[4..20]) {
                let nid = u32::from_le_bytes([b[20], b[21], b[22], b[23]]);
                let target = folders.get(&nid)?;
                let mut e = b[..4].to_vec();
                e.extend_from_slice(&dst.entry_id(*target)[4..]);
                e
            } else {
                return None;
            };
            Some(TaggedValue::new(tv.tag, PropValue::Binary(value)))
        })
        .collect();
    for tv in mapped {
        out.set(tv.tag, tv.value);
    }
    out
}

/// A source search contents row as the target's: `None` when its message or folder was not
/// copied. Named property columns get the target's ids (or are left out when the source's
/// map has no name for them).
fn map_row(row: &Row, src: &PstFile, dst: &mut PstWriter, to: &Targets<'_>) -> Result<Option<Row>, PstError> {
    let Some(&id) = to.messages.get(&row.id) else { return Ok(None) };
    let mut props = row.props.clone();
    strip_row_bookkeeping(&mut props);
    crate::codepage::decode_string8_props(&mut props, src.codepage());
    let mut out = PropBag::new();
    for tv in props.iter() {
        let tag = if tv.tag.id() < FIRST_NAMED_ID {
            tv.tag
        } else {
            let Some(name) = src.named_properties().get(&tv.tag.id()) else { continue };
            PropTag(((dst.named_id(name)? as u32) << 16) | tv.tag.raw_type() as u32)
        };
        let value = match (tag == PR_LTP_PARENT_NID, &tv.value) {
            (true, PropValue::I32(n)) => match to.folders.get(&(*n as u32)) {
                Some(f) => PropValue::I32(*f as i32),
                None => return Ok(None),
            },
            _ => tv.value.clone(),
        };
        out.set(tag, value);
    }
    Ok(Some(Row { id, props: out }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pst::crypt::CryptMethod;
    use crate::pst::write::copy::{CopyOptions, copy_store};
    use crate::pst::write::template::NID_SEARCH_MANAGEMENT_QUEUE;
    use crate::pst::write::testkit::{simple_message, temp_path};
    use oxmapi_core::catalogue::tags::{PR_CONTENT_COUNT, PR_SUBJECT};
    use oxmapi_core::named::PropertyName;

    /// The search folders a reader finds by walking the hierarchy (what every peer counts).
    fn search_folders(pst: &PstFile) -> Vec<(u32, u32)> {
        let (folders, _) = pst.folders();
        folders
            .iter()
            .flat_map(|f| f.children.iter().filter(|c| *c & 0x1F == 0x03).map(move |c| (f.nid, *c)))
            .collect()
    }

    fn text(s: &str) -> PropValue {
        PropValue::Unicode(s.into())
    }

    /// A conversion dropped every search folder (the peers counted "+N search" in the source
    /// and one, the new file's spam folder, in the copy). A search folder arrives with its
    /// criteria (folder NIDs and folder entry IDs mapped to the target's), its contents
    /// table (rows naming the target's message and folder, named columns in the target's
    /// map), the search activity list and search domain entries, and a SUDT_SRCH_ADD; a
    /// second merge of the same source does not copy it twice.
    #[test]
    fn a_conversion_copies_search_folders_with_criteria_and_found_messages() {
        let (src_path, dst_path) = (temp_path("search-src.pst"), temp_path("search-dst.pst"));
        let mut s = PstWriter::create(&src_path.0, CryptMethod::Permute, "Src").unwrap();
        let mail =
            s.create_folder(s.ipm_subtree(), &PropBag::new().with(PR_DISPLAY_NAME, text("Mail"))).unwrap();
        let m = s.add_message(mail, &simple_message("found", "b", "x@example.test"), false).unwrap();
        let flag = PropertyName::id(oxmapi_core::guid::Guid([7; 16]), 0x42);
        let flag_id = s.named_id(&flag).unwrap();
        let row = Row {
            id: m,
            props: PropBag::new()
                .with(PR_SUBJECT, text("found"))
                .with(PR_LTP_PARENT_NID, PropValue::I32(mail as i32))
                .with(PropTag(((flag_id as u32) << 16) | 0x0003), PropValue::I32(9)),
        };
        let ipm = s.ipm_subtree();
        let criteria = PropBag::new()
            .with(PR_SEARCH_ROOT_NIDS, PropValue::Binary(ipm.to_le_bytes().to_vec()))
            .with(
                PR_SEARCH_SCOPE_NIDS,
                PropValue::Binary([ipm, mail].iter().flat_map(|n| n.to_le_bytes()).collect()),
            )
            .with(PropTag(0x660B_0003), PropValue::I32(5))
            .with(PropTag(0x8001_0102), PropValue::Binary(s.entry_id(mail)));
        let found = SearchFolder {
            props: PropBag::new().with(PR_DISPLAY_NAME, text("Found")),
            criteria,
            rows: vec![row],
            active: true,
        };
        let finder = s.search_root().unwrap();
        s.create_search_folder(finder, &found).unwrap();
        s.extend_search_domain(&[ipm, mail]);
        s.commit().unwrap();
        drop(s);
        let src = PstFile::open(&src_path.0).unwrap();
        assert_eq!(search_folders(&src).len(), 2, "the spam search folder and Found");

        let mut d = PstWriter::create(&dst_path.0, CryptMethod::Permute, "Dst").unwrap();
        // A folder first, so the target's node ids differ from the source's.
        d.create_folder(d.ipm_subtree(), &PropBag::new().with(PR_DISPLAY_NAME, text("Other"))).unwrap();
        let report =
            copy_store(&src, &mut d, &mut HashMap::new(), &CopyOptions::default(), None, &mut |_| {})
                .unwrap();
        assert_eq!(report.search_folders, 1, "{report:?}");
        d.commit().unwrap();
        let record_key = d.record_key();
        drop(d);
        let dst = PstFile::open(&dst_path.0).unwrap();
        let searches = search_folders(&dst);
        assert_eq!(searches.len(), 2);
        let (folders, _) = dst.folders();
        let by_name = |n: &str| folders.iter().find(|f| f.name == n).unwrap().nid;
        let (dst_mail, dst_ipm, dst_finder) =
            (by_name("Mail"), by_name("Top of Personal Folders"), by_name("Search Root"));
        assert_ne!(dst_mail, mail);
        let dst_msg = dst.contents(dst_mail).unwrap()[0].id;
        let (parent, sf) = *searches.iter().find(|(_, n)| *n != NID_SPAM_SEARCH_FOLDER).unwrap();
        assert_eq!(parent, dst_finder);
        let props = dst.folder_props(sf).unwrap();
        assert_eq!(props.get(PR_DISPLAY_NAME), Some(&text("Found")));
        assert_eq!(props.get(PR_CONTENT_COUNT), Some(&PropValue::I32(1)));
        // The criteria name the target's folders.
        let c = dst.search_criteria(sf).unwrap();
        assert_eq!(c.get(PR_SEARCH_ROOT_NIDS), Some(&PropValue::Binary(dst_ipm.to_le_bytes().to_vec())));
        let scope: Vec<u8> = [dst_ipm, dst_mail].iter().flat_map(|n| n.to_le_bytes()).collect();
        assert_eq!(c.get(PR_SEARCH_SCOPE_NIDS), Some(&PropValue::Binary(scope)));
        assert_eq!(c.get(PropTag(0x660B_0003)), Some(&PropValue::I32(5)));
        assert_eq!(
            c.get(PropTag(0x8001_0102)),
            Some(&PropValue::Binary(crate::pst::write::store::entry_id(&record_key, dst_mail)))
        );
        // The contents row names the copied message in the copied folder; the named column
        // has the target's id for the same name.
        let rows = dst.search_contents(sf).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].id, dst_msg);
        assert_eq!(rows[0].props.get(PR_LTP_PARENT_NID), Some(&PropValue::I32(dst_mail as i32)));
        let dst_flag = *dst.named_properties().iter().find(|(_, n)| **n == flag).unwrap().0;
        assert_eq!(rows[0].props.get(PropTag(((dst_flag as u32) << 16) | 0x0003)), Some(&PropValue::I32(9)));
        // The search objects of 2.4.8.4.
        let nids = |n: u32| nid_array(&dst.raw_node(n).unwrap());
        assert!(nids(NID_SEARCH_ACTIVITY_LIST).contains(&sf));
        assert!(nids(NID_SEARCH_DOMAIN_OBJECT).contains(&dst_mail));
        let smq = dst.raw_node(NID_SEARCH_MANAGEMENT_QUEUE).unwrap();
        let srch_add = smq.chunks_exact(20).any(|sud| sud[2..4] == [9, 0] && sud[4..8] == sf.to_le_bytes());
        assert!(srch_add, "SUDT_SRCH_ADD for the new search folder");

        // A merge of the same source into the converted file: nothing copied twice.
        drop(dst);
        let mut d = PstWriter::open(&dst_path.0).unwrap();
        let mut existing = crate::pst::write::copy::existing_folders(&PstFile::open(&dst_path.0).unwrap());
        let report =
            copy_store(&src, &mut d, &mut existing, &CopyOptions::default(), None, &mut |_| {}).unwrap();
        assert_eq!(report.search_folders, 0);
        d.commit().unwrap();
        drop(d);
        assert_eq!(search_folders(&PstFile::open(&dst_path.0).unwrap()).len(), 2);
    }

    /// A search folder inside a deleted folder used to stay behind: its four nodes dangling
    /// and the search activity list naming it.
    #[test]
    fn deleting_a_folder_deletes_the_search_folders_in_it() {
        let path = temp_path("search-del.pst");
        let mut w = PstWriter::create(&path.0, CryptMethod::Permute, "Del").unwrap();
        let holder =
            w.create_folder(w.ipm_subtree(), &PropBag::new().with(PR_DISPLAY_NAME, text("Holder"))).unwrap();
        let folder = SearchFolder {
            props: PropBag::new().with(PR_DISPLAY_NAME, text("All")),
            active: true,
            ..Default::default()
        };
        let sf = w.create_search_folder(holder, &folder).unwrap();
        w.commit().unwrap();
        assert!(
            nid_array(&PstFile::open(&path.0).unwrap().raw_node(NID_SEARCH_ACTIVITY_LIST).unwrap())
                .contains(&sf)
        );
        w.delete_folder(holder).unwrap();
        w.commit().unwrap();
        drop(w);
        let pst = PstFile::open(&path.0).unwrap();
        for n in crate::pst::write::store_folders::search_folder_node_ids(sf) {
            assert!(pst.node_entry(n).is_none(), "node {n:#x} left behind");
        }
        let sal = nid_array(&pst.raw_node(NID_SEARCH_ACTIVITY_LIST).unwrap());
        assert_eq!(sal, [NID_SPAM_SEARCH_FOLDER]);
    }

    /// Outlook's own files (2 to 8 search folders each, one with no criteria object and a
    /// damaged contents table) convert with every search folder and every message found.
    #[test]
    fn outlook_files_convert_with_every_search_folder() {
        let Some(dir) = crate::pst::write::store_tests::outlook_file()
            .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()))
        else {
            println!("SKIPPED: no test data");
            return;
        };
        for f in [
            "Aspose.Email-for-.NET/Outlook.pst",
            "Aspose.Email-for-.NET/SampleOstFile.ost",
            "pstsdk/sample1.pst",
            "tika/testPST.pst",
        ] {
            let src = PstFile::open(dir.join(f)).unwrap();
            let dst_path = temp_path("search-conv.pst");
            let mut d = PstWriter::create(&dst_path.0, CryptMethod::Permute, "Conv").unwrap();
            crate::pst::write::copy::adopt_names(&src, &mut d).unwrap();
            copy_store(&src, &mut d, &mut HashMap::new(), &CopyOptions::default(), None, &mut |_| {})
                .unwrap();
            d.commit().unwrap();
            drop(d);
            let dst = PstFile::open(&dst_path.0).unwrap();
            let names = |p: &PstFile| {
                let mut n: Vec<String> = search_folders(p)
                    .iter()
                    .map(|(_, s)| match p.folder_props(*s).unwrap().get(PR_DISPLAY_NAME) {
                        Some(PropValue::Unicode(n)) => n.clone(),
                        other => format!("{other:?}"),
                    })
                    .collect();
                n.sort();
                n
            };
            assert!(search_folders(&src).len() >= 2, "{f}");
            assert_eq!(names(&dst), names(&src), "{f}");
            // Every message the search folders list (SampleOstFile.ost: 2; Outlook.pst's one
            // table is damaged and counts 0) is listed in the copy too.
            let found = |p: &PstFile| -> usize {
                search_folders(p).iter().map(|(_, s)| p.search_contents(*s).map_or(0, |r| r.len())).sum()
            };
            assert_eq!(found(&dst), found(&src), "{f}");
        }
    }
}
