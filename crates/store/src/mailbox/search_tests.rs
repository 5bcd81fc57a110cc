//! Search folders against real mailbox files (MS-OXCFOLD 2.2.1.4, 3.2.5.4).

use oxmapi_core::catalogue::tags::{PR_FID, PR_SUBJECT};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{FL_SUBSTRING, Restriction};
use oxmapi_core::value::{PropValue, TaggedValue};

use super::set_flags::*;
use super::state_flags::*;
use super::{SearchRefusal, SearchRun};
use crate::mailbox::{DeleteFolderFlags, FolderType, MessageStore, SpecialFolder};
use crate::tests::{site, user_with_mailbox};

fn subject(s: &str) -> TaggedValue {
    TaggedValue::new(PR_SUBJECT, PropValue::Unicode(s.into()))
}

fn put(s: &MessageStore, fid: ObjectId, text: &str) -> ObjectId {
    let mut d = s.create_message(fid, false).unwrap();
    assert!(s.set_properties(&mut d, &[subject(text)]).unwrap().is_empty());
    s.save_message(&mut d, false).unwrap()
}

fn mkdir(s: &MessageStore, parent: ObjectId, name: &str, ty: FolderType) -> ObjectId {
    s.create_folder(parent, name, None, None, ty, false).unwrap().0
}

/// ContentRestriction FL_SUBSTRING on PR_SUBJECT (MS-OXCDATA 2.12.4).
fn containing(text: &str) -> Restriction {
    Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: 0,
        prop_tag: PR_SUBJECT,
        value: subject(text),
    }
}

/// The (MID, PR_FID) of the search folder's contents rows.
fn rows(s: &MessageStore, fid: ObjectId) -> Vec<(ObjectId, ObjectId)> {
    s.contents_rows(fid, false, &[PR_FID])
        .unwrap()
        .into_iter()
        .map(|r| match &r.values[0] {
            Some(PropValue::I64(f)) => (r.mid, ObjectId::from_u64(*f as u64)),
            v => panic!("{v:?}"),
        })
        .collect()
}

#[test]
fn recursive_static_search_lists_originals_and_skips_search_folders() {
    let (_t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let top = mkdir(&s, inbox, "top", FolderType::Generic);
    let sub = mkdir(&s, top, "sub", FolderType::Generic);
    let finder = mkdir(&s, top, "finder", FolderType::Search);
    let a = put(&s, top, "report one");
    let b = put(&s, sub, "report two");
    put(&s, sub, "lunch");

    // Before any criteria: no restriction, no scope, no state (and no rows).
    let c = s.search_criteria(finder).unwrap().unwrap();
    assert_eq!((c.restriction, c.folder_ids, c.search_flags), (None, vec![], 0));
    assert!(rows(&s, finder).is_empty());

    let flags = RESTART_SEARCH | RECURSIVE_SEARCH | STATIC_SEARCH;
    let run = s.set_search_criteria(finder, Some(&containing("report")), &[top], flags).unwrap();
    assert_eq!(run, Ok(SearchRun { populated: true }));
    let mut got = rows(&s, finder);
    got.sort();
    assert_eq!(got, vec![(a, top), (b, sub)], "the originals, with their own PR_FID");
    assert_eq!(s.contents_count(finder, false).unwrap(), 2);
    let c = s.search_criteria(finder).unwrap().unwrap();
    assert_eq!(c.search_flags, SEARCH_COMPLETE | SEARCH_RECURSIVE | SEARCH_STATIC);

    // Static (MS-OXCFOLD 3.2.5.4): a new match is not added; a deleted message cannot stay.
    put(&s, top, "report three");
    assert_eq!(s.contents_count(finder, false).unwrap(), 2);
    assert!(!s.delete_messages(top, &[a], true).unwrap());
    assert_eq!(rows(&s, finder), vec![(b, sub)]);

    // Deleting the search folder drops its criteria and links with it.
    let hard = DeleteFolderFlags { hard_delete: true, ..Default::default() };
    s.delete_folder(top, finder, hard).unwrap();
    let left: i64 =
        s.lock().unwrap().query_row("SELECT COUNT(*) FROM search_folders", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
}

#[test]
fn refusals_and_dynamic_state() {
    let (_t, dd) = site();
    let u = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&u).unwrap();
    let inbox = s.special_folder(SpecialFolder::Inbox).unwrap();
    let finder = mkdir(&s, inbox, "finder", FolderType::Search);
    let other = mkdir(&s, inbox, "other", FolderType::Search);
    let r = containing("x");
    assert_eq!(s.search_criteria(inbox).unwrap(), Err(SearchRefusal::NotSearchFolder));
    assert_eq!(
        s.set_search_criteria(inbox, Some(&r), &[inbox], RESTART_SEARCH).unwrap(),
        Err(SearchRefusal::NotSearchFolder)
    );
    assert_eq!(
        s.set_search_criteria(finder, None, &[inbox], RESTART_SEARCH).unwrap(),
        Err(SearchRefusal::NotInitialized)
    );
    assert_eq!(
        s.set_search_criteria(finder, Some(&r), &[], RESTART_SEARCH).unwrap(),
        Err(SearchRefusal::NotInitialized)
    );
    for scope in [finder, other, ObjectId::new(2, inbox.global_counter)] {
        assert!(matches!(
            s.set_search_criteria(finder, Some(&r), &[scope], RESTART_SEARCH).unwrap(),
            Err(SearchRefusal::ScopeViolation(_))
        ));
    }
    // Dynamic: running, evaluated when read; STOP_SEARCH freezes it.
    assert!(s.set_search_criteria(finder, Some(&r), &[inbox], RESTART_SEARCH).unwrap().is_ok());
    assert_eq!(s.search_criteria(finder).unwrap().unwrap().search_flags, SEARCH_COMPLETE | SEARCH_RUNNING);
    put(&s, inbox, "x1");
    assert_eq!(s.contents_count(finder, false).unwrap(), 1);
    assert!(s.set_search_criteria(finder, None, &[], STOP_SEARCH).unwrap().is_ok());
    assert_eq!(s.search_criteria(finder).unwrap().unwrap().search_flags, SEARCH_COMPLETE);
    put(&s, inbox, "x2");
    assert_eq!(s.contents_count(finder, false).unwrap(), 1);
    // Nothing named and no restart: nothing changes.
    assert_eq!(s.set_search_criteria(finder, None, &[], 0).unwrap(), Ok(SearchRun { populated: false }));
}
