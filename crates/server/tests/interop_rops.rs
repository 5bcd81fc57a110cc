//! Server behaviours checked against Microsoft's Exchange protocol test suites
//! (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCFOLD, MS-OXCSTOR, MS-OXCMSG,
//! MS-OXCTABL) and the specifications they capture. Each test names the test case and the
//! requirement numbers its expected values come from; where the bytes matter the response is
//! read raw, so the expectations do not come from our own decoder.

mod common;

use common::*;
use oxmapi_core::catalogue::tags::{PR_DISPLAY_NAME, PR_FID, PR_OOF_STATE, PR_SUBJECT};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder};
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::mapihttp::emsmdb::ExecuteResponse;
use oxmapi_wire::rop::buffer::{RopBuffer, UNUSED_HANDLE, encode_requests};
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::oxcmsg::SetMessageReadFlagRequest;
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{EncodeOptions, decode_blocks, encode_block};

/// ecNotSupported.
const EC_NOT_SUPPORTED: u32 = 0x8004_0102;
/// ecNotFound.
const EC_NOT_FOUND: u32 = 0x8004_010F;

/// Sends ROPs and returns the raw ROP output bytes and the handle table.
async fn raw(m: &mut Mapi, requests: &[RopRequest], handles: Vec<u32>) -> (Vec<u8>, Vec<u32>) {
    let payload = RopBuffer { rops: encode_requests(requests), handles }.encode();
    let block = encode_block(&payload, EncodeOptions { compress: false, xor: false, last: true }).unwrap();
    let r = m.execute_raw(0, block, 0x10008).await;
    assert_eq!(r.response_code(), Some(0));
    let resp = ExecuteResponse::decode(&r.mapi_body()).unwrap();
    let ok = resp.success().expect("Execute success").clone();
    let blocks = decode_blocks(&ok.rop_buffer).unwrap();
    let buf = RopBuffer::decode(&blocks[0].payload).unwrap();
    (buf.rops, buf.handles)
}

/// [`raw`] on a private logon with the logon in slot 0 and `n` empty slots.
async fn raw_on(c: &mut Logon, requests: &[RopRequest], n: usize) -> (Vec<u8>, Vec<u32>) {
    let h = c.slots(n);
    raw(&mut c.m, requests, h).await
}

/// `RopId, HandleIndex, ReturnValue` as the response bytes start.
fn head(rop: u8, index: u8, rv: u32) -> Vec<u8> {
    let mut v = vec![rop, index];
    v.extend_from_slice(&rv.to_le_bytes());
    v
}

fn create_folder(input: u8, out: u8, name: &str, open_existing: bool) -> RopRequest {
    RopRequest::CreateFolder(CreateFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        folder_type: 1,
        use_unicode_strings: 1,
        open_existing: open_existing as u8,
        reserved: 0,
        display_name: name.into(),
        comment: String::new(),
    })
}

fn delete_folder(input: u8, fid: ObjectId, flags: u8) -> RopRequest {
    RopRequest::DeleteFolder(DeleteFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        delete_folder_flags: flags,
        folder_id: fid,
    })
}

fn empty_folder(input: u8, hard: bool) -> RopRequest {
    let q = EmptyFolderRequest {
        logon_id: 0,
        input_handle_index: input,
        want_asynchronous: 0,
        want_delete_associated: 0xFF,
    };
    if hard { RopRequest::HardDeleteMessagesAndSubfolders(q) } else { RopRequest::EmptyFolder(q) }
}

fn hierarchy(input: u8, out: u8, flags: u8) -> RopRequest {
    RopRequest::GetHierarchyTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: flags,
    })
}

fn row_count(r: &RopResponse) -> u32 {
    match r {
        RopResponse::GetHierarchyTable(o) | RopResponse::GetContentsTable(o) => {
            assert_eq!(o.return_value, 0, "{r:?}");
            o.body.as_ref().unwrap().row_count
        }
        _ => panic!("{r:?}"),
    }
}

fn text(tag: oxmapi_core::tag::PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

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
        create_folder(0, 1, "Top", false),
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
        c.m.rops(&[req::open_folder(0, 1, inbox), create_folder(1, 2, "Target", false)], c.slots(2)).await;
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
        c.m.rops(&[req::open_folder(0, 1, inbox), create_folder(1, 2, "Sub", false)], c.slots(2)).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let fid = o.body.as_ref().unwrap().folder_id;
    let (bytes, _) =
        raw_on(&mut c, &[req::open_folder(0, 1, inbox), create_folder(1, 2, "Sub", true)], 2).await;
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
        c.m.rops(&[req::open_folder(0, 1, inbox), create_folder(1, 2, "Full", false)], c.slots(2)).await;
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
        create_folder(1, 2, "Parent", false),
        create_folder(2, 3, "Kept", false),
        create_folder(2, 4, "Gone", false),
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
        req::set_columns(5, &[PR_FID, PR_DISPLAY_NAME]),
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
    assert_eq!(row_count(&resp[3]), 1);
    assert_eq!(rows_of(&resp[5])[0].values[0].value(), Some(&PropValue::I64(kept.to_u64() as i64)));
}

/// MSOXCSTOR_S01_TC01 (MS-OXCSTOR_R128, _R129): after the client sets PidTagOutOfOfficeState on
/// the mailbox, the next RopLogon has the OOF flag 0x10 in ResponseFlags (MS-OXCSTOR 2.2.1.1.3).
#[tokio::test]
async fn logon_response_flags_reflect_out_of_office() {
    const OOF: u8 = 0x10;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let logon = || {
        RopRequest::Logon(LogonRequest {
            logon_id: 0,
            output_handle_index: 0,
            logon_flags: 0x01,
            open_flags: 0x0100_040C,
            store_state: 0,
            essdn: Some(alice.legacy_dn.clone()),
        })
    };
    let flags = |r: &RopResponse| match r {
        RopResponse::Logon(o) => match o.body.as_ref().unwrap() {
            LogonResponse::Private(p) => p.response_flags,
            other => panic!("{other:?}"),
        },
        _ => panic!("{r:?}"),
    };
    let mut c = logon_private(&ts, &alice).await;
    let (resp, _) = c.m.rops(&[logon()], vec![UNUSED_HANDLE]).await;
    assert_eq!(flags(&resp[0]) & OOF, 0);
    let oof = TaggedValue::new(PR_OOF_STATE, PropValue::Bool(true));
    let (resp, _) = c.m.rops(&[req::set_props(0, vec![oof])], c.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0);
    let (resp, _) = c.m.rops(&[logon()], vec![UNUSED_HANDLE]).await;
    assert_eq!(flags(&resp[0]) & OOF, OOF);
}

/// RopGetReceiveFolderTable (MS-OXCSTOR 2.2.1.4.2, 3.2.5.4; MS-OXCROPS 2.2.3.4.2): RowCount,
/// then one StandardPropertyRow (flag 0x00) per entry with exactly PidTagFolderId (8 bytes),
/// PidTagMessageClass (PtypString8, NUL-terminated) and PidTagLastModificationTime (FILETIME),
/// as the Microsoft adapter's RopGetReceiveFolderTableResponse deserializer reads them
/// (Interop-TestSuites Common/.../RopGetReceiveFolderTableResponse.cs). A new mailbox has the
/// default entries: "", "IPM" and "REPORT.IPM" to the Inbox (MS-OXCSTOR 3.2.5.2), "IPC" to
/// the Root folder.
#[tokio::test]
async fn get_receive_folder_table_lists_the_entries() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let (root, inbox) = (c.folders[0], c.inbox());
    let q = RopRequest::GetReceiveFolderTable(GetReceiveFolderTableRequest {
        logon_id: 0,
        input_handle_index: 0,
    });
    let (bytes, _) = raw_on(&mut c, &[q], 0).await;
    assert_eq!(&bytes[..6], &head(0x68, 0, 0)[..]);
    let count = u32::from_le_bytes(bytes[6..10].try_into().unwrap()) as usize;
    let mut at = 10;
    let mut rows = Vec::new();
    for _ in 0..count {
        assert_eq!(bytes[at], 0x00, "StandardPropertyRow");
        let fid = ObjectId::from_bytes(bytes[at + 1..at + 9].try_into().unwrap());
        let end = at + 9 + bytes[at + 9..].iter().position(|b| *b == 0).unwrap();
        let class = String::from_utf8(bytes[at + 9..end].to_vec()).unwrap();
        let time = u64::from_le_bytes(bytes[end + 1..end + 9].try_into().unwrap());
        assert!(time > 0, "PidTagLastModificationTime");
        rows.push((class, fid));
        at = end + 9;
    }
    assert_eq!(at, bytes.len(), "nothing follows the rows");
    rows.sort();
    let expected = [("", inbox), ("IPC", root), ("IPM", inbox), ("REPORT.IPM", inbox)];
    assert_eq!(rows, expected.map(|(c, f)| (c.to_string(), f)));
}

/// MSOXCSTOR_S02_TC03_TestPublicFolderIsGhosted (MS-OXCSTOR_R917, _R1237): against a private
/// mailbox IsGhosted is FALSE and no servers follow — the response is RopId 0x45,
/// InputHandleIndex, ReturnValue 0, IsGhosted 0x00. MSOXCSTOR_S02_TC04 (_R892): RopGetOwningServers
/// against a private mailbox fails.
#[tokio::test]
async fn public_folder_is_ghosted_and_owning_servers_on_a_private_mailbox() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let root = c.folders[0];
    let ghosted = RopRequest::PublicFolderIsGhosted(PublicFolderIsGhostedRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: root,
    });
    let owning = RopRequest::GetOwningServers(GetOwningServersRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: root,
    });
    let (bytes, _) = raw_on(&mut c, &[ghosted, owning], 0).await;
    let mut expected = head(0x45, 0, 0);
    expected.push(0x00);
    assert_eq!(&bytes[..7], &expected[..]);
    assert_eq!(bytes[7], 0x42, "RopGetOwningServers follows");
    assert_ne!(u32::from_le_bytes(bytes[9..13].try_into().unwrap()), 0, "MS-OXCSTOR_R892");
}

/// MSOXCSTOR_S02_TC03_TestPublicFolderIsGhosted against the public folders: the IPM subtree is
/// not ghosted (MS-OXCSTOR_R1239, _R1098: no ServersCount), an unknown FID (0x01) is
/// ecNotFound (_R1236); RopGetOwningServers lists the replica servers (MS-OXCSTOR 2.2.1.6.2).
#[tokio::test]
async fn public_folder_is_ghosted_and_owning_servers_on_public_folders() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    ts.data.set_public_folders(true).unwrap();
    let mut m = Mapi::new(&ts, "alice").await;
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let logon = RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 0,
        open_flags: 0x0100_0202,
        store_state: 0,
        essdn: None,
    });
    let (resp, h) = m.rops(&[logon], vec![UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(LogonResponse::Public(p)) = &o.body else { panic!("{o:?}") };
    let ipm = p.folder_ids[1];
    let ghosted = |fid| {
        RopRequest::PublicFolderIsGhosted(PublicFolderIsGhostedRequest {
            logon_id: 0,
            input_handle_index: 0,
            folder_id: fid,
        })
    };
    let owning = RopRequest::GetOwningServers(GetOwningServersRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: ipm,
    });
    let (bytes, _) = raw(&mut m, &[ghosted(ipm), ghosted(ObjectId::from_u64(1)), owning], h).await;
    let mut expected = head(0x45, 0, 0);
    expected.push(0x00);
    expected.extend(head(0x45, 0, EC_NOT_FOUND));
    assert_eq!(&bytes[..13], &expected[..]);
    assert_eq!(&bytes[13..19], &head(0x42, 0, 0)[..]);
    let servers = u16::from_le_bytes([bytes[19], bytes[20]]);
    let cheap = u16::from_le_bytes([bytes[21], bytes[22]]);
    assert_eq!((servers, cheap), (1, 1));
    assert!(bytes[23..].starts_with(b"/o="), "an ESSDN");
}

/// MSOXCMSG_S03_TC05_RopSetMessageReadFlagsNotInPublicFolderMode (MS-OXCMSG_R1841): in a private
/// mailbox ReadStatusChanged is 0x00 even when the flag changes (MS-OXCMSG_R835), so the
/// response is RopId 0x11, ResponseHandleIndex, ReturnValue, ReadStatusChanged with no LogonId
/// or ClientData (MS-OXCROPS 2.2.6.11.2, MS-OXCROPS_R2110) and the next response starts right
/// after it.
#[tokio::test]
async fn set_message_read_flag_in_a_private_mailbox() {
    const RF_CLEAR_READ_FLAG: u8 = 0x04;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "read me")]).await;
    let reqs = [
        req::open_message(0, 1, inbox, mid, 0x01),
        RopRequest::SetMessageReadFlag(SetMessageReadFlagRequest {
            logon_id: 0,
            response_handle_index: 0,
            input_handle_index: 1,
            read_flags: RF_CLEAR_READ_FLAG,
            client_data: None,
        }),
        RopRequest::GetStoreState(GetStoreStateRequest { logon_id: 0, input_handle_index: 0 }),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let at = bytes.windows(6).position(|w| w == head(0x11, 0, 0)).expect("RopSetMessageReadFlag");
    assert_eq!(bytes[at + 6], 0x00, "ReadStatusChanged");
    assert_eq!(bytes[at + 7], 0x7B, "RopGetStoreState follows at once");
}

/// MS-OXCTABL 3.2.5.3: "When this ROP [RopSortTable] is sent, the server MUST invalidate all
/// current bookmarks of the table"; RopRestrict and RopResetTable do the same, and a later
/// RopSeekRowBookmark or RopFindRow with such a bookmark answers ecInvalidBookmark
/// (0x80040405; MS-OXCTABL 3.2.5.8, 3.2.5.14; test suite S03_BookmarkRops_SeekRowBookmarkAfterInvalidBookmark).
/// MS-OXCTABL 3.2.5.17: RopAbort with no asynchronous operation in progress is ecUnableToAbort
/// (0x80040114). MS-OXCTABL 3.2.5.15 / 3.1.5: RopResetTable removes the column set, so a
/// RopQueryRows before the next RopSetColumns is ecNullObject (0x000004B9), as on a new table.
#[tokio::test]
async fn bookmarks_abort_and_reset_table() {
    const EC_INVALID_BOOKMARK: u32 = 0x8004_0405;
    const EC_UNABLE_TO_ABORT: u32 = 0x8004_0114;
    const EC_NULL_OBJECT: u32 = 0x0000_04B9;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    for s in ["a", "b", "c"] {
        new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, s)]).await;
    }
    let open = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0x10),
        req::set_columns(2, &[PR_SUBJECT]),
        req::seek_row(2, 0, 1),
        RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let bookmark = |r: &RopResponse| match r {
        RopResponse::CreateBookmark(o) => o.body.as_ref().unwrap().bookmark.clone(),
        _ => panic!("{r:?}"),
    };
    let seek = |b: Vec<u8>| {
        RopRequest::SeekRowBookmark(SeekRowBookmarkRequest {
            logon_id: 0,
            input_handle_index: 2,
            bookmark: b,
            row_count: 0,
            want_row_moved_count: 1,
        })
    };
    let find = |b: Vec<u8>| {
        let r = Restriction::Exist { prop_tag: PR_SUBJECT };
        req::find_row(2, r, 0x03, false, b)
    };
    let by_subject = vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Descend }];
    let no_subject =
        Restriction::Property { relop: RelOp::Ne, prop_tag: PR_SUBJECT, value: text(PR_SUBJECT, "zzz") };
    let changes: [(&str, RopRequest); 3] = [
        ("RopSortTable", req::sort(2, by_subject)),
        ("RopRestrict", req::restrict(2, Some(no_subject))),
        ("RopResetTable", RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: 2 })),
    ];
    for (name, change) in changes {
        let (resp, h) = c.m.rops(&open, c.slots(2)).await;
        let b = bookmark(&resp[4]);
        let (resp, _) = c.m.rops(&[seek(b.clone())], h.clone()).await;
        assert_eq!(rv(&resp[0]), 0, "the bookmark works before {name}");
        let (resp, _) =
            c.m.rops(&[change, req::set_columns(2, &[PR_SUBJECT]), seek(b.clone()), find(b)], h).await;
        assert_eq!(rv(&resp[0]), 0, "{name}");
        assert_eq!((rv(&resp[2]), rv(&resp[3])), (EC_INVALID_BOOKMARK, EC_INVALID_BOOKMARK), "after {name}");
    }
    // On a table that never had columns RopSeekRowBookmark is ecNullObject (MS-OXCTABL_R8276).
    let (resp, _) = c.m.rops(&[open[0].clone(), open[1].clone(), seek(vec![1, 0, 0, 0])], c.slots(2)).await;
    assert_eq!(rv(&resp[2]), EC_NULL_OBJECT);
    let (resp, h) = c.m.rops(&open, c.slots(2)).await;
    assert_eq!(rv(&resp[4]), 0);
    let reqs = [
        RopRequest::Abort(AbortRequest { logon_id: 0, input_handle_index: 2 }),
        RopRequest::GetStatus(GetStatusRequest { logon_id: 0, input_handle_index: 2 }),
        req::query_rows(2, 10, true),
        RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let (resp, h) = c.m.rops(&reqs, h).await;
    assert_eq!(rv(&resp[0]), EC_UNABLE_TO_ABORT);
    assert_eq!(rv(&resp[1]), 0);
    assert_eq!(rows_of(&resp[2]).len(), 2, "the cursor was on the second row");
    assert_eq!(rv(&resp[3]), 0);
    let (bytes, _) = raw(&mut c.m, &[req::query_rows(2, 10, true)], h.clone()).await;
    assert_eq!(bytes, head(0x15, 2, EC_NULL_OBJECT));
    let (resp, _) = c.m.rops(&[req::set_columns(2, &[PR_SUBJECT]), req::query_rows(2, 10, true)], h).await;
    assert_eq!(rows_of(&resp[1]).len(), 3, "the cursor is back at the beginning");
}

/// MS-OXCDATA 2.4.2 ("NotFound: On get, indicates that the property or column has no value for
/// this object", 0x8004010F) and 2.8.1.2 / 2.11.5: RopGetPropertiesSpecific answers a property
/// the object does not have with a FlaggedPropertyRow (0x01) whose FlaggedPropertyValue is Flag
/// 0x0A and the PtypErrorCode 0x8004010F (MS-OXCPRPT 3.2.5.1); the property that is set is Flag
/// 0x00 and its value.
#[tokio::test]
async fn get_properties_specific_missing_property_is_flagged_not_found() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "x")]).await;
    const PR_NOT_SET: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x6701_0003);
    let reqs = [
        req::open_message(0, 1, inbox, mid, 0x00),
        req::get_props(1, &[PR_NOT_SET, oxmapi_core::tag::PropTag(0x0037_001F)]),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let at = bytes.windows(6).position(|w| w == head(0x07, 1, 0)).expect("RopGetPropertiesSpecific");
    let mut expected = vec![0x01, 0x0A];
    expected.extend_from_slice(&EC_NOT_FOUND.to_le_bytes());
    expected.push(0x00);
    expected.extend(b"x\0\0\0".iter());
    assert_eq!(&bytes[at + 6..], &expected[..]);
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
        c.m.rops(&[req::open_folder(0, 1, inbox), create_folder(1, 2, "Bin", false)], c.slots(2)).await;
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

/// Which tables the table ROPs are defined on, as the MS-OXCTABL test suite's model
/// (Interop-TestSuites MS-OXCTABL/Model/Model.cs) checks them: RopSortTable and RopResetTable
/// on contents tables only (MS-OXCTABL_R450, _R566), RopRestrict, RopCreateBookmark and
/// RopFindRow on contents and hierarchy tables (_R461, _R529, _R544); the others answer
/// ecNotSupported (0x80040102). RopSetColumns refuses a PT_UNSPECIFIED or PT_ERROR column with
/// ecInvalidParam (0x80070057, _R435).
#[tokio::test]
async fn table_rops_on_the_tables_they_are_defined_on() {
    const EC_INVALID_PARAM: u32 = 0x8007_0057;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "m")]).await;
    let exists = Restriction::Exist { prop_tag: PR_SUBJECT };
    let checks = |t: u8| {
        [
            req::sort(t, vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }]),
            RopRequest::ResetTable(ResetTableRequest { logon_id: 0, input_handle_index: t }),
            req::restrict(t, Some(exists.clone())),
            RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: t }),
            req::find_row(t, exists.clone(), 0x00, false, vec![]),
        ]
    };
    let attachments = RopRequest::GetAttachmentTable(oxmapi_wire::rop::oxcmsg::GetAttachmentTableRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
        table_flags: 0,
    });
    let mut reqs =
        vec![req::open_message(0, 1, inbox, mid, 0x00), attachments, req::set_columns(2, &[PR_SUBJECT])];
    reqs.extend(checks(2));
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let codes: Vec<u32> = resp[3..].iter().map(rv).collect();
    assert_eq!(codes, [EC_NOT_SUPPORTED; 5], "attachment table: {resp:?}");
    let mut reqs =
        vec![req::open_folder(0, 1, inbox), hierarchy(1, 2, 0), req::set_columns(2, &[PR_DISPLAY_NAME])];
    reqs.extend(checks(2));
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    let codes: Vec<u32> = resp[3..].iter().map(rv).collect();
    assert_eq!(codes[..2], [EC_NOT_SUPPORTED; 2], "hierarchy table: {resp:?}");
    assert_eq!(rv(&resp[5]), 0, "RopRestrict on a hierarchy table");
    assert_eq!(rv(&resp[6]), 0, "RopCreateBookmark on a hierarchy table");
    assert_ne!(rv(&resp[7]), EC_NOT_SUPPORTED, "RopFindRow on a hierarchy table");
    let (resp, _) =
        c.m.rops(
            &[
                req::open_folder(0, 1, inbox),
                req::contents_table(1, 2, 0x10),
                req::set_columns(2, &[PR_SUBJECT, oxmapi_core::tag::PropTag(0x3001_0000)]),
                req::set_columns(2, &[PR_SUBJECT, oxmapi_core::tag::PropTag(0x0037_000A)]),
                req::set_columns(2, &[PR_SUBJECT]),
            ],
            c.slots(2),
        )
        .await;
    assert_eq!((rv(&resp[2]), rv(&resp[3]), rv(&resp[4])), (EC_INVALID_PARAM, EC_INVALID_PARAM, 0));
}

/// MSOXCMSG_S02_TC01 (MS-OXCMSG_R773, _R786, _R784, _R416, _R1500, _R1501, _R2028–_R2030) and
/// _TC02_ErrorCodeOfMessageStatus (_R1505, _R1507): RopSetMessageStatus sets the mask's bits of
/// PidTagMessageStatus from MessageStatusFlags and answers the previous status;
/// RopGetMessageStatus reads it, with the RopSetMessageStatus response buffer (RopId 0x20); the
/// change key and last modification time do not change; an input that is not a Folder object
/// is ecNullObject.
#[tokio::test]
async fn set_and_get_message_status() {
    use oxmapi_core::catalogue::tags::{PR_CHANGE_KEY, PR_LAST_MODIFICATION_TIME, PR_MSG_STATUS};
    use oxmapi_wire::rop::oxcmsg::{GetMessageStatusRequest, SetMessageStatusRequest};
    const MS_IN_CONFLICT: u32 = 0x0800;
    const MS_REMOTE_DOWNLOAD: u32 = 0x1000;
    const MS_REMOTE_DELETE: u32 = 0x2000;
    const MASK: u32 = MS_IN_CONFLICT | MS_REMOTE_DOWNLOAD | MS_REMOTE_DELETE;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mid = new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "status")]).await;
    let set = |input: u8, flags: u32| {
        RopRequest::SetMessageStatus(SetMessageStatusRequest {
            logon_id: 0,
            input_handle_index: input,
            message_id: mid,
            message_status_flags: flags,
            message_status_mask: MASK,
        })
    };
    let get = |input: u8| {
        RopRequest::GetMessageStatus(GetMessageStatusRequest {
            logon_id: 0,
            input_handle_index: input,
            message_id: mid,
        })
    };
    let stamps = [PR_CHANGE_KEY, PR_LAST_MODIFICATION_TIME, PR_MSG_STATUS];
    let (resp, _) =
        c.m.rops(&[req::open_message(0, 1, inbox, mid, 0x00), req::get_props(1, &stamps)], c.slots(1)).await;
    let before = props_of(&resp[1]);
    let reqs =
        [req::open_folder(0, 1, inbox), set(1, MS_REMOTE_DOWNLOAD), get(1), set(1, MS_IN_CONFLICT), get(1)];
    let (bytes, _) = raw_on(&mut c, &reqs, 1).await;
    let status = |rv: u32, flags: u32| [head(0x20, 1, rv), flags.to_le_bytes().to_vec()].concat();
    let expected = [
        status(0, 0),
        status(0, MS_REMOTE_DOWNLOAD),
        status(0, MS_REMOTE_DOWNLOAD),
        status(0, MS_IN_CONFLICT),
    ]
    .concat();
    assert_eq!(&bytes[8..], &expected[..], "after RopOpenFolder's 8 bytes");
    let (resp, _) =
        c.m.rops(&[req::open_message(0, 1, inbox, mid, 0x00), req::get_props(1, &stamps)], c.slots(1)).await;
    let after = props_of(&resp[1]);
    assert_eq!(&after[..2], &before[..2], "change key and last modification time are kept");
    assert_eq!(after[2].value(), Some(&PropValue::I32(MS_IN_CONFLICT as i32)));
    // The Logon object is no Folder object: ecNullObject, in the RopSetMessageStatus buffer.
    let (bytes, _) = raw_on(&mut c, &[set(0, MS_REMOTE_DELETE), get(0)], 0).await;
    assert_eq!(bytes, [head(0x20, 0, 0x0000_04B9), head(0x20, 0, 0x0000_04B9)].concat());
}

/// A table column a row has no value for is the error NotFound too (MS-OXCDATA 2.4.2: "the
/// property or column has no value for this object"): a FlaggedPropertyRow whose cell is Flag
/// 0x0A and 0x8004010F, as gromox writes empty cells (exch/emsmdb/common_util.cpp,
/// common_util_propvals_to_row_ex).
#[tokio::test]
async fn query_rows_missing_column_is_flagged_not_found() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    new_message(&mut c, inbox, false, vec![text(PR_SUBJECT, "x")]).await;
    const PR_NOT_SET: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x6701_0003);
    let reqs = [
        req::open_folder(0, 1, inbox),
        req::contents_table(1, 2, 0x10 | 0x40),
        req::set_columns(2, &[PR_SUBJECT, PR_NOT_SET]),
        req::query_rows(2, 10, true),
    ];
    let (bytes, _) = raw_on(&mut c, &reqs, 2).await;
    let at = bytes.windows(6).position(|w| w == head(0x15, 2, 0)).expect("RopQueryRows");
    // Origin BOOKMARK_END, RowCount 1, then the row.
    let mut expected = vec![0x02, 0x01, 0x00, 0x01, 0x00];
    expected.extend(b"x\0\0\0".iter());
    expected.push(0x0A);
    expected.extend_from_slice(&EC_NOT_FOUND.to_le_bytes());
    assert_eq!(&bytes[at + 6..], &expected[..]);
}
