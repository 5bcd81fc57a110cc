//! Search folders over real HTTP with raw oxmapi-wire ROPs (MS-OXCFOLD 2.2.1.2 RopCreateFolder
//! with FolderType 2, 2.2.1.4 RopSetSearchCriteria, 2.2.1.5 RopGetSearchCriteria, 3.2.5.4,
//! 3.2.5.5; MS-OXCNOTIF 2.2.1.4.1.2 SearchComplete). The steps and expected values follow
//! Microsoft's MS-OXCFOLD test suite (OfficeDev/Interop-TestSuites,
//! ExchangeMAPI/Source/MS-OXCFOLD/TestSuite/S03_FolderInformation.cs,
//! `MSOXCFOLD_S03_TC01_StaticSearchVerification`) and the return codes gromox gives
//! (grommunio/gromox exch/emsmdb/oxcfold.cpp `rop_setsearchcriteria`, `rop_getsearchcriteria`).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{FL_IGNORECASE, FL_SUBSTRING, Restriction};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcfold::{
    CreateFolderRequest, GetSearchCriteriaRequest, GetSearchCriteriaResponse, SetSearchCriteriaRequest,
};
use oxmapi_wire::rop::oxcnotif::{NotifyResponse, RegisterNotificationRequest};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

// RopSetSearchCriteria SearchFlags (MS-OXCFOLD 2.2.1.4.1).
const RESTART_SEARCH: u32 = 0x0000_0002;
const RECURSIVE_SEARCH: u32 = 0x0000_0004;
const SHALLOW_SEARCH: u32 = 0x0000_0008;
const CONTENT_INDEXED_SEARCH: u32 = 0x0001_0000;
const STATIC_SEARCH: u32 = 0x0004_0000;
// RopGetSearchCriteria SearchFlags (MS-OXCFOLD 2.2.1.5.2).
const SEARCH_RUNNING: u32 = 0x0000_0001;
const SEARCH_RECURSIVE: u32 = 0x0000_0004;
const SEARCH_COMPLETE: u32 = 0x0000_1000;
const SEARCH_STATIC: u32 = 0x0001_0000;
/// ecNotSearchFolder (MS-OXCDATA 2.4.1: 0x00000461).
const EC_NOT_SEARCH_FOLDER: u32 = 0x0000_0461;
/// ecSearchFolderScopeViolation (MS-OXCDATA 2.4.1: 0x00000490).
const EC_SEARCH_FOLDER_SCOPE_VIOLATION: u32 = 0x0000_0490;
/// ecNotInitialized / MAPI_E_NOT_INITIALIZED (MS-OXCDATA 2.4.1: 0x80040605).
const EC_NOT_INITIALIZED: u32 = 0x8004_0605;
/// fnevSearchComplete (MS-OXCNOTIF 2.2.1.4.1.2 NotificationType: 0x0080).
const FNEV_SEARCH_COMPLETE: u16 = 0x0080;

/// RopCreateFolder under the folder in slot `input` (FolderType 1 generic, 2 search).
fn create_folder(input: u8, out: u8, folder_type: u8, name: &str) -> RopRequest {
    RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        folder_type,
        use_unicode_strings: 1,
        open_existing: 0,
        reserved: 0,
        display_name: name.into(),
        comment: String::new(),
    })
}

fn set_criteria(input: u8, r: Option<Restriction>, scope: &[ObjectId], flags: u32) -> RopRequest {
    RopRequest::SetSearchCriteria(SetSearchCriteriaRequest {
        logon_id: 0,
        input_handle_index: input,
        restriction: r,
        folder_ids: scope.to_vec(),
        search_flags: flags,
    })
}

fn get_criteria(input: u8) -> RopRequest {
    RopRequest::GetSearchCriteria(GetSearchCriteriaRequest {
        logon_id: 0,
        input_handle_index: input,
        use_unicode: 1,
        include_restriction: 1,
        include_folders: 1,
    })
}

fn criteria(r: &RopResponse) -> GetSearchCriteriaResponse {
    let RopResponse::GetSearchCriteria(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    o.body.clone().expect("GetSearchCriteria body")
}

fn subject(s: &str) -> TaggedValue {
    TaggedValue::new(PR_SUBJECT, PropValue::Unicode(s.into()))
}

fn class(s: &str) -> TaggedValue {
    TaggedValue::new(PR_MESSAGE_CLASS, PropValue::Unicode(s.into()))
}

/// Creates a folder of `folder_type` named `name` under the Inbox; its FID.
async fn new_folder(c: &mut Logon, folder_type: u8, name: &str) -> ObjectId {
    new_subfolder(c, c.inbox(), folder_type, name).await
}

async fn new_subfolder(c: &mut Logon, parent: ObjectId, folder_type: u8, name: &str) -> ObjectId {
    let (resp, _) =
        c.m.rops(&[req::open_folder(0, 1, parent), create_folder(1, 2, folder_type, name)], c.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0, "{resp:?}");
    o.body.as_ref().unwrap().folder_id
}

/// Sends `rops` with the folder `fid` opened into slot 1 (and one more free slot); the
/// responses after RopOpenFolder.
async fn on_folder(c: &mut Logon, fid: ObjectId, rops: Vec<RopRequest>) -> Vec<RopResponse> {
    let mut reqs = vec![req::open_folder(0, 1, fid)];
    reqs.extend(rops);
    let (mut resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    resp.remove(0);
    resp
}

/// RopGetContentsTable's RowCount for folder `fid`.
async fn row_count(c: &mut Logon, fid: ObjectId) -> u32 {
    let resp = on_folder(c, fid, vec![req::contents_table(1, 2, 0x40)]).await;
    let RopResponse::GetContentsTable(o) = &resp[0] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0, "{resp:?}");
    o.body.as_ref().unwrap().row_count
}

/// MS-OXCFOLD S03_TC01 (StaticSearchVerification): two messages in a generic folder, a search
/// folder with an ExistRestriction on PidTagMessageClass (PtypString) over that folder,
/// SearchFlags CONTENT_INDEXED_SEARCH | STATIC_SEARCH | RESTART_SEARCH. GetSearchCriteria gives
/// back the FolderIds and restriction, without SEARCH_RECURSIVE (MS-OXCFOLD_R1200: SHALLOW is
/// the default) and without the search folder in FolderIds (R1233); the contents table has the
/// two messages. A static search is not updated after its population (R784, R1084, R1093: a
/// new matching message does not appear). The rows are the original messages: PidTagFolderId
/// is their own folder, and the row's IDs open them (MS-OXCFOLD 3.2.5.4: "The messages that
/// satisfy the search criteria appear as links in the search folder").
#[tokio::test]
async fn static_search_round_trip_and_contents() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let sub = new_folder(&mut c, 1, "MSOXCFOLDSubfolder1").await;
    let m1 = new_message(&mut c, sub, false, vec![subject("one"), class("IPM.Note")]).await;
    let m2 = new_message(&mut c, sub, false, vec![subject("two"), class("IPM.Note")]).await;
    let search = new_folder(&mut c, 2, "MSOXCFOLDSearchFolder2").await;

    let exist = Restriction::Exist { prop_tag: PR_MESSAGE_CLASS };
    let flags = CONTENT_INDEXED_SEARCH | STATIC_SEARCH | RESTART_SEARCH;
    let resp =
        on_folder(&mut c, search, vec![set_criteria(1, Some(exist.clone()), &[sub], flags), get_criteria(1)])
            .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let got = criteria(&resp[1]);
    assert_eq!(got.folder_ids, vec![sub]);
    assert!(!got.folder_ids.contains(&search), "R1233");
    assert_eq!(got.restriction, Some(exist));
    assert_eq!(got.search_flags & SEARCH_RECURSIVE, 0, "R1200: {:#x}", got.search_flags);
    assert_ne!(got.search_flags & SEARCH_STATIC, 0, "R795: {:#x}", got.search_flags);
    assert_eq!(row_count(&mut c, search).await, 2);

    // The rows: the originals, in their own folder.
    let cols = [PR_MID, PR_FID, PR_SUBJECT];
    let resp = on_folder(
        &mut c,
        search,
        vec![req::contents_table(1, 2, 0x40), req::set_columns(2, &cols), req::query_rows(2, 10, true)],
    )
    .await;
    let rows = rows_of(&resp[2]);
    let ids: Vec<(u64, u64)> = rows
        .iter()
        .map(|r| match (&r.values[0], &r.values[1]) {
            (RowValue::Value(PropValue::I64(m)), RowValue::Value(PropValue::I64(f))) => {
                (*m as u64, *f as u64)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    let mut want = vec![(m1.to_u64(), sub.to_u64()), (m2.to_u64(), sub.to_u64())];
    let mut ids_sorted = ids.clone();
    ids_sorted.sort();
    want.sort();
    assert_eq!(ids_sorted, want);
    let (resp, _) = c.m.rops(&[req::open_message(0, 1, sub, m1, 0)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0, "the row's IDs open the original: {resp:?}");

    // Static: a new matching message in scope does not appear (MS-OXCFOLD_R1093).
    new_message(&mut c, sub, false, vec![subject("three"), class("IPM.Note")]).await;
    assert_eq!(row_count(&mut c, search).await, 2);
}

/// A dynamic recursive search (RECURSIVE_SEARCH | RESTART_SEARCH): the scope folder and its
/// subfolder are searched (MS-OXCFOLD 2.2.1.4.1 RECURSIVE_SEARCH), GetSearchCriteria reports
/// SEARCH_RECURSIVE and SEARCH_RUNNING without SEARCH_STATIC (2.2.1.5.2), and the contents
/// follow the mailbox (3.2.5.4: "For dynamic search folders, the contents of the search folder
/// MUST continue to be updated as messages move around the mailbox"). A second
/// RopSetSearchCriteria with RestrictionDataSize 0 and FolderIdCount 0 reuses the previous
/// restriction and scope (2.2.1.4.1), here as a shallow search.
#[tokio::test]
async fn recursive_dynamic_search_follows_the_mailbox() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let parent = new_folder(&mut c, 1, "Projects").await;
    let child = new_subfolder(&mut c, parent, 1, "Archive").await;
    new_message(&mut c, parent, false, vec![subject("Alpha plan")]).await;
    new_message(&mut c, parent, false, vec![subject("beta plan")]).await;
    new_message(&mut c, child, false, vec![subject("old alpha notes")]).await;
    let search = new_folder(&mut c, 2, "Alphas").await;

    let alpha = Restriction::Content {
        fuzzy_level_low: FL_SUBSTRING,
        fuzzy_level_high: FL_IGNORECASE,
        prop_tag: PR_SUBJECT,
        value: subject("alpha"),
    };
    let resp = on_folder(
        &mut c,
        search,
        vec![
            set_criteria(1, Some(alpha.clone()), &[parent], RECURSIVE_SEARCH | RESTART_SEARCH),
            get_criteria(1),
        ],
    )
    .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let got = criteria(&resp[1]);
    assert_eq!(got.search_flags & (SEARCH_RECURSIVE | SEARCH_RUNNING), SEARCH_RECURSIVE | SEARCH_RUNNING);
    assert_eq!(got.search_flags & SEARCH_STATIC, 0);
    assert_eq!(got.restriction, Some(alpha));
    assert_eq!(row_count(&mut c, search).await, 2);

    new_message(&mut c, child, false, vec![subject("ALPHA again")]).await;
    assert_eq!(row_count(&mut c, search).await, 3, "a dynamic search follows new messages");

    let resp = on_folder(
        &mut c,
        search,
        vec![set_criteria(1, None, &[], SHALLOW_SEARCH | RESTART_SEARCH), get_criteria(1)],
    )
    .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let got = criteria(&resp[1]);
    assert_eq!(got.folder_ids, vec![parent], "the previous scope is used again");
    assert_eq!(got.search_flags & SEARCH_RECURSIVE, 0);
    assert_eq!(row_count(&mut c, search).await, 1, "shallow: only the scope folder itself");
}

/// The refusals: RopGetSearchCriteria and RopSetSearchCriteria on a generic folder answer
/// ecNotSearchFolder (MS-OXCFOLD 2.2.1.5.1 / 2.2.1.4.1: the input object is the search
/// folder; gromox `rop_getsearchcriteria`: `ecNotSearchFolder`); a first search without a
/// restriction (2.2.1.4.1: RestrictionDataSize "MUST NOT be set to zero for the first search")
/// is ecNotInitialized, as gromox answers; a scope with the search folder itself is
/// ecSearchFolderScopeViolation (MS-OXCFOLD_R1233; gromox).
#[tokio::test]
async fn refusals() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let generic = new_folder(&mut c, 1, "Plain").await;
    let search = new_folder(&mut c, 2, "Finder").await;
    let exist = Restriction::Exist { prop_tag: PR_SUBJECT };
    let inbox = c.inbox();

    let resp = on_folder(
        &mut c,
        generic,
        vec![get_criteria(1), set_criteria(1, Some(exist.clone()), &[inbox], RESTART_SEARCH)],
    )
    .await;
    assert_eq!(rv(&resp[0]), EC_NOT_SEARCH_FOLDER, "{resp:?}");
    assert_eq!(rv(&resp[1]), EC_NOT_SEARCH_FOLDER, "{resp:?}");

    let resp = on_folder(
        &mut c,
        search,
        vec![
            set_criteria(1, None, &[inbox], RESTART_SEARCH),
            set_criteria(1, Some(exist.clone()), &[search], RESTART_SEARCH),
            set_criteria(1, Some(exist), &[inbox], RESTART_SEARCH),
        ],
    )
    .await;
    assert_eq!(rv(&resp[0]), EC_NOT_INITIALIZED, "{resp:?}");
    assert_eq!(rv(&resp[1]), EC_SEARCH_FOLDER_SCOPE_VIOLATION, "{resp:?}");
    assert_eq!(rv(&resp[2]), 0, "{resp:?}");
}

/// MS-OXCNOTIF 2.2.1.4.1.2: after RopSetSearchCriteria populated the search folder, a
/// subscription for fnevSearchComplete (NotificationType 0x0080) on the whole store gets a
/// SearchComplete notification whose FolderId is the search folder and without a MessageId
/// (the M flag is clear: no message is named).
#[tokio::test]
async fn search_complete_notification() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let scope = new_folder(&mut c, 1, "Scope").await;
    new_message(&mut c, scope, false, vec![subject("x")]).await;
    let search = new_folder(&mut c, 2, "Finder").await;
    let register = RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        notification_types: FNEV_SEARCH_COMPLETE,
        reserved: None,
        want_whole_store: 1,
        scope: None,
    });
    let (_, handles) = c.m.rops(&[register], c.slots(1)).await;
    let sub = handles[1];
    c.m.notes.clear();
    let exist = Restriction::Exist { prop_tag: PR_SUBJECT };
    let resp = on_folder(
        &mut c,
        search,
        vec![set_criteria(1, Some(exist), &[scope], RESTART_SEARCH | SHALLOW_SEARCH)],
    )
    .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let notes: Vec<NotifyResponse> = std::mem::take(&mut c.m.notes)
        .into_iter()
        .filter_map(|r| match r {
            RopResponse::Notify(n) => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let n = &notes[0];
    assert_eq!(n.notification_handle, sub);
    assert_eq!(n.data.flags, FNEV_SEARCH_COMPLETE, "NotificationFlags: type 0x0080, no M/S/T/U flag");
    assert_eq!(n.data.folder_id, Some(search));
    assert_eq!(n.data.message_id, None);
    let resp = on_folder(&mut c, search, vec![get_criteria(1)]).await;
    assert_ne!(criteria(&resp[0]).search_flags & SEARCH_COMPLETE, 0);
}
