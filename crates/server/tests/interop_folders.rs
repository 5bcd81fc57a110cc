//! MS-OXCFOLD server behaviours checked against Microsoft's Exchange protocol test suite
//! (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCFOLD): each test names the test case
//! and requirement numbers its expected values come from; where the bytes matter the response
//! is read raw.

mod common;
mod suite_support;

use common::*;
use oxmapi_core::catalogue::tags::{PR_DELETED_ON, PR_DISPLAY_NAME, PR_FID, PR_SUBJECT};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use suite_support::*;

/// MSOXCFOLD_S02_TC07_RopEmptyFolderFailure and _TC10_RopHardDeleteMessagesAndSubfoldersFailure
/// (MS-OXCFOLD_R624/_R625, _R629/_R630): RopEmptyFolder and RopHardDeleteMessagesAndSubfolders
/// sent to the Logon object answer ecNotSupported — and empty nothing. On the Root folder
/// itself RopEmptyFolder is ecNotSupported too (MS-OXCFOLD 3.2.5.9 note <16>, _R124802).
/// MSOXCFOLD_S01_TC14_RopCreateFolderFailure (_R494/_R495) and _S01_TC15_RopDeleteFolderFailure
/// (_R2509): RopCreateFolder and RopDeleteFolder on the Logon object are ecNotSupported;
/// MSOXCFOLD_S02_TC08/_TC09 (_R637/_R638, _R644/_R645): RopDeleteMessages and
/// RopHardDeleteMessages on the Logon object as well.
#[tokio::test]
async fn folder_rops_on_the_logon_object_are_not_supported() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let root = c.folders[0];
    let ipm = c.folders[3];
    let mids = vec![ObjectId::new(1, 1)];
    let reqs = [
        empty_folder(0, false),
        empty_folder(0, true),
        req::create_folder(0, 1, "Top", false),
        delete_folder(0, ipm, 0x15),
        req::delete_messages(0, mids.clone(), false),
        req::delete_messages(0, mids, true),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    // RopEmptyFolder, RopHardDeleteMessagesAndSubfolders, RopDeleteFolder, RopDeleteMessages and
    // RopHardDeleteMessages have one response buffer whose PartialCompletion follows any
    // ReturnValue (MS-OXCROPS 2.2.4.3.2, 2.2.4.9.2–2.2.4.12.2; the Microsoft adapter's
    // RopEmptyFolderResponse reads these 7 bytes as a fixed structure); RopCreateFolder's
    // failure buffer ends after ReturnValue (MS-OXCROPS 2.2.4.2.3).
    let with_partial = |rop: u8| [head(rop, 0, EC_NOT_SUPPORTED), vec![0x00]].concat();
    let expected: Vec<u8> = [
        with_partial(0x58),
        with_partial(0x92),
        head(0x1C, 1, EC_NOT_SUPPORTED),
        with_partial(0x1D),
        with_partial(0x1E),
        with_partial(0x91),
    ]
    .concat();
    assert_eq!(bytes, expected);
    // The Root folder, opened as a folder, cannot be emptied either.
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, root), empty_folder(1, false)], c.slots(1)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1])), (0, EC_NOT_SUPPORTED));
    // Nothing was deleted: the mailbox root still lists its folders.
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, root), hierarchy(1, 2, 0)], c.slots(2)).await;
    assert!(row_count(&resp[1]) >= 5, "{resp:?}");
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, ipm)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0);
}

/// MSOXCFOLD_S01_TC13_RopOpenFolderFailure (MS-OXCFOLD_R472/_R473): RopOpenFolder on an object
/// that is neither a Folder nor a Logon object (a table) is ecNotSupported.
/// MSOXCFOLD_S01_TC02_RopMoveFolderFailure (_R601/_R602) and _TC04_RopCopyFolderFailure
/// (_R613/_R614): a source or destination that is not a Folder object (a message) is
/// ecNotSupported, not ecDstNullObject.
#[tokio::test]
async fn folder_rops_on_other_objects_are_not_supported() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "m")]).await;
    let (resp, _) =
        c.m.rops(&[req::open_folder(0, 1, inbox), req::create_folder(1, 2, "Target", false)], c.slots(2))
            .await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let target = o.body.as_ref().unwrap().folder_id;
    let move_folder = |src: u8, dst: u8| {
        RopRequest::MoveFolder(MoveFolderRequest {
            logon_id: 0,
            source_handle_index: src,
            dest_handle_index: dst,
            want_asynchronous: 0,
            use_unicode: 1,
            folder_id: target,
            new_folder_name: "Moved".into(),
        })
    };
    let copy_folder = |src: u8, dst: u8| {
        RopRequest::CopyFolder(CopyFolderRequest {
            logon_id: 0,
            source_handle_index: src,
            dest_handle_index: dst,
            want_asynchronous: 0,
            want_recursive: 1,
            use_unicode: 1,
            folder_id: target,
            new_folder_name: "Copied".into(),
        })
    };
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0x10),
        req::open_message(0, 3, inbox, mid, 0x00),
        req::open_folder(2, 4, inbox),
        move_folder(3, 1),
        copy_folder(1, 3),
        move_folder(1, 3),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(4)).await;
    let codes: Vec<u32> = resp[3..].iter().map(rv).collect();
    assert_eq!(codes, [EC_NOT_SUPPORTED; 4], "{resp:?}");
    // Read raw: a failing RopMoveFolder still ends with PartialCompletion, as for every
    // ReturnValue but ecDstNullObject (MS-OXCROPS 2.2.4.7.2; the Microsoft adapter's
    // RopMoveFolderResponse.Deserialize reads it whenever ReturnValue != 0x00000503).
    let h = c.slots(4);
    let (bytes, _) = raw(&mut c.m, &reqs[..5], h).await;
    let tail = [head(0x35, 3, EC_NOT_SUPPORTED), vec![0x00]].concat();
    assert!(bytes.ends_with(&tail), "{bytes:02X?}");
}

/// MSOXCFOLD_S01_TC03_RopCreateFolderSuccess (MS-OXCFOLD_R1197): "The server always sets this
/// field [IsExistingFolder] to zero for a folder that is created in a private mailbox", also
/// when OpenExisting opens the folder that exists (_R482). The response is then exactly
/// RopId, OutputHandleIndex, ReturnValue, FolderId and IsExistingFolder 0x00 (MS-OXCROPS
/// 2.2.4.2.2): no HasRules or IsGhosted follow.
#[tokio::test]
async fn create_folder_is_existing_folder_is_zero_in_a_private_mailbox() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let (resp, _) =
        c.m.rops(&[req::open_folder(0, 1, inbox), req::create_folder(1, 2, "Sub", false)], c.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let fid = o.body.as_ref().unwrap().folder_id;
    let (bytes, _) =
        raw_on(&mut c, &[req::open_folder(0, 1, inbox), req::create_folder(1, 2, "Sub", true)], 2).await;
    let mut expected = head(0x1C, 2, 0);
    expected.extend_from_slice(&fid.to_bytes());
    expected.push(0x00);
    // RopOpenFolder's response comes first: RopId 0x02, index 1, ReturnValue 0, HasRules,
    // IsGhosted (8 bytes).
    assert_eq!(&bytes[8..], &expected[..]);
}

/// MSOXCFOLD_S01_TC06_RopDeleteFolderWithDelMessages (MS-OXCFOLD_R371, _R816, _R817) and
/// _TC10_RopDeleteFolderWithNotSetDeleteFolderFlags (_R1079–_R1081): a folder holding messages
/// without DEL_MESSAGES (or subfolders without DEL_FOLDERS) is not deleted, ReturnValue 0 and
/// PartialCompletion nonzero; with the flags it goes (_R762, _R763: PartialCompletion 0).
#[tokio::test]
async fn deleting_a_non_empty_folder_without_the_flags_is_partial_completion() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let (resp, _) =
        c.m.rops(&[req::open_folder(0, 1, inbox), req::create_folder(1, 2, "Full", false)], c.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let full = o.body.as_ref().unwrap().folder_id;
    new_message(&mut c, full, false, vec![text(PR_SUBJECT, "keep me")]).await;
    const DELETE_HARD_DELETE: u8 = 0x10;
    let (bytes, _) =
        raw_on(&mut c, &[req::open_folder(0, 1, inbox), delete_folder(1, full, DELETE_HARD_DELETE)], 1).await;
    let mut expected = head(0x1D, 1, 0);
    expected.push(0x01);
    assert_eq!(&bytes[8..], &expected[..], "ReturnValue 0, PartialCompletion 1");
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, full)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), 0, "neither the folder nor its messages were deleted");
    let (bytes, _) = raw_on(&mut c, &[req::open_folder(0, 1, inbox), delete_folder(1, full, 0x11)], 1).await;
    let mut expected = head(0x1D, 1, 0);
    expected.push(0x00);
    assert_eq!(&bytes[8..], &expected[..]);
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, full)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), EC_NOT_FOUND);
}

/// MSOXCFOLD_S03_TC05 (MS-OXCFOLD_R806, _R1219): with SoftDeletes (0x20) "the hierarchy table
/// lists only the folders that are soft deleted" — none before a soft delete, the one after;
/// without it only the existing folders.
#[tokio::test]
async fn soft_deletes_hierarchy_table_lists_the_soft_deleted_folders() {
    const SOFT_DELETES: u8 = 0x20;
    const DEPTH: u8 = 0x04;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::create_folder(1, 2, "Parent", false),
        req::create_folder(2, 3, "Kept", false),
        req::create_folder(2, 4, "Gone", false),
    ];
    let (resp, h) = c.m.rops(&reqs, c.slots(5)).await;
    let fid = |r: &RopResponse| match r {
        RopResponse::CreateFolder(o) => o.body.as_ref().unwrap().folder_id,
        _ => panic!("{r:?}"),
    };
    let (kept, gone) = (fid(&resp[2]), fid(&resp[3]));
    let (resp, _) = c.m.rops(&[hierarchy(2, 5, SOFT_DELETES | DEPTH)], h.clone()).await;
    assert_eq!(row_count(&resp[0]), 0, "nothing is soft-deleted yet");
    // DEL_MESSAGES | DEL_FOLDERS without DELETE_HARD_DELETE: a soft delete.
    let (resp, _) = c.m.rops(&[delete_folder(2, gone, 0x05)], h.clone()).await;
    assert_eq!(rv(&resp[0]), 0);
    let reqs = [
        hierarchy(2, 5, SOFT_DELETES),
        req::set_columns(5, &[PR_FID, PR_DISPLAY_NAME, PR_DELETED_ON]),
        req::query_rows(5, 10, true),
        hierarchy(2, 5, 0),
        req::set_columns(5, &[PR_FID]),
        req::query_rows(5, 10, true),
    ];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert_eq!(row_count(&resp[0]), 1);
    let rows = rows_of(&resp[2]);
    assert_eq!(rows[0].values[0].value(), Some(&PropValue::I64(gone.to_u64() as i64)));
    assert_eq!(rows[0].values[1].value(), Some(&PropValue::Unicode("Gone".into())));
    // PidTagDeletedOn: "the time when the folder was soft deleted" (MS-OXCFOLD_R10348).
    assert!(matches!(rows[0].values[2].value(), Some(PropValue::SysTime(t)) if t.0 > 0), "{rows:?}");
    assert_eq!(row_count(&resp[3]), 1);
    assert_eq!(rows_of(&resp[5])[0].values[0].value(), Some(&PropValue::I64(kept.to_u64() as i64)));
}

/// MSOXCFOLD_S02_TC04_RopDeleteMessagesSuccess (MS-OXCFOLD_R262, _R1017): messages deleted with
/// RopDeleteMessages are soft deleted, and a contents table with SoftDeletes (0x20) "lists only
/// the messages that are soft deleted" — the three deleted ones; without the flag only the
/// existing messages (_R665). A hard-deleted message is in neither.
#[tokio::test]
async fn soft_deletes_contents_table_lists_the_soft_deleted_messages() {
    const SOFT_DELETES: u8 = 0x20;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let (resp, _) =
        c.m.rops(&[req::open_folder(0, 1, inbox), req::create_folder(1, 2, "Bin", false)], c.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let bin = o.body.as_ref().unwrap().folder_id;
    let mut mids = Vec::new();
    for s in ["one", "two", "three", "kept", "gone"] {
        mids.push(new_message(&mut c, bin, false, vec![text(PR_SUBJECT, s)]).await);
    }
    let reqs = [
        req::open_folder(0, 1, bin),
        req::delete_messages(1, vec![mids[0]], false),
        req::delete_messages(1, vec![mids[1], mids[2]], false),
        req::delete_messages(1, vec![mids[4]], true),
        req::contents_table(1, 2, SOFT_DELETES),
        req::set_columns(2, &[PR_SUBJECT]),
        req::query_rows(2, 10, true),
        req::contents_table(1, 3, 0),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(3)).await;
    for r in &resp[1..4] {
        assert_eq!(rv(r), 0, "{r:?}");
    }
    assert_eq!(row_count(&resp[4]), 3);
    let mut subjects: Vec<String> = rows_of(&resp[6])
        .iter()
        .map(|r| match r.values[0].value() {
            Some(PropValue::Unicode(s)) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    subjects.sort();
    assert_eq!(subjects, ["one", "three", "two"]);
    assert_eq!(row_count(&resp[7]), 1, "only the existing message");
}
