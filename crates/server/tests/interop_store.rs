//! MS-OXCSTOR server behaviours checked against Microsoft's Exchange protocol test suite
//! (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCSTOR): each test names the test case
//! and requirement numbers its expected values come from; where the bytes matter the response
//! is read raw.

mod common;
mod suite_support;

use common::*;
use oxmapi_core::catalogue::tags::PR_OOF_STATE;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use suite_support::*;

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
    ts.site(|d| d.set_public_folders(true).unwrap());
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

/// RopLongTermIdFromId and RopIdFromLongTermId on the public replica (MS-OXCSTOR 3.2.5.8,
/// 3.2.5.9; MSOXCSTOR_S03 on a public logon): the long-term ID of a public folder carries the
/// public store's ReplGuid from the RopLogon response (2.2.1.1.4) and maps back to the same
/// FID, for the IPM subtree and for a folder a user created there.
#[tokio::test]
async fn long_term_ids_round_trip_on_the_public_replica() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    ts.site(|d| d.set_public_folders(true).unwrap());
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
    let (resp, h) = m.rops(&[logon], vec![UNUSED_HANDLE; 3]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(LogonResponse::Public(p)) = &o.body else { panic!("{o:?}") };
    let (ipm, repl_guid) = (p.folder_ids[1], p.repl_guid);
    let (resp, h) =
        m.rops(&[req::open_folder(0, 1, ipm), req::create_folder(1, 2, "Projects", false)], h).await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let created = o.body.as_ref().expect("created").folder_id;
    for fid in [ipm, created] {
        let to_long = RopRequest::LongTermIdFromId(LongTermIdFromIdRequest {
            logon_id: 0,
            input_handle_index: 0,
            object_id: fid,
        });
        let (resp, _) = m.rops(&[to_long], h.clone()).await;
        let RopResponse::LongTermIdFromId(o) = &resp[0] else { panic!("{resp:?}") };
        let ltid = o.body.as_ref().expect("a long-term ID").long_term_id;
        assert_eq!(ltid.database_guid, repl_guid, "the public replica's GUID");
        let back = RopRequest::IdFromLongTermId(IdFromLongTermIdRequest {
            logon_id: 0,
            input_handle_index: 0,
            long_term_id: ltid,
        });
        let (resp, _) = m.rops(&[back], h.clone()).await;
        let RopResponse::IdFromLongTermId(o) = &resp[0] else { panic!("{resp:?}") };
        assert_eq!(o.body.as_ref().expect("an id").object_id, fid);
    }
}
