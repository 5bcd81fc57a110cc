//! Store ROPs over real HTTP (MS-OXCSTOR 3.2.5, MS-OXCPRPT 3.2.5, MS-OXCROPS 3.2.4–3.2.5):
//! RopLogon private and public, properties of the logon object, receive folders, store state,
//! long-term IDs, bad and released handles, RopBufferTooSmall, unsupported ROPs, response
//! compression and obfuscation as the Execute flags allow.

mod common;

use common::*;
use oxmapi_core::consts::store_support::STORE_UNICODE_OK;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_store::SpecialFolder;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::emsmdb::*;
use oxmapi_wire::rop::buffer::{RopBuffer, UNUSED_HANDLE, encode_requests};
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::oxcrops::ReleaseRequest;
use oxmapi_wire::rop::oxcstor::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

const PR_STORE_SUPPORT_MASK: PropTag = PropTag(0x340D_0003);
const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PR_DISPLAY_NAME_UNSPECIFIED: PropTag = PropTag(0x3001_0000);
const PR_SUBJECT: PropTag = PropTag(0x0037_001F);

fn logon_req(logon_id: u8, private: bool, dn: Option<&str>) -> RopRequest {
    RopRequest::Logon(LogonRequest {
        logon_id,
        output_handle_index: 0,
        logon_flags: if private { 1 } else { 0 },
        open_flags: if private { 0x0100_040C } else { 0x0100_0006 },
        store_state: 0,
        essdn: dn.map(str::to_string),
    })
}

async fn logged_on(ts: &TestServer, user: &str) -> (Mapi, u32, LogonPrivate) {
    let dn = ts.site(|d| d.directory().unwrap().user(user).unwrap().unwrap().legacy_dn);
    let mut m = Mapi::new(ts, user).await;
    assert_eq!(m.connect(&dn, 0).await.1.unwrap().error_code, 0);
    let (resp, handles) = m.rops(&[logon_req(0, true, Some(&dn))], vec![UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0);
    let Some(LogonResponse::Private(p)) = o.body.clone() else { panic!() };
    (m, handles[0], p)
}

fn props_req(tags: &[PropTag]) -> RopRequest {
    RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: 0,
        property_size_limit: 0,
        want_unicode: 1,
        property_tags: tags.to_vec(),
    })
}

fn all_props_req(want_unicode: u16) -> RopRequest {
    RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
        logon_id: 0,
        input_handle_index: 0,
        property_size_limit: 0,
        want_unicode,
    })
}

fn row_of(r: &RopResponse) -> Vec<RowValue> {
    let RopResponse::GetPropertiesSpecific(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0);
    match &o.body.as_ref().unwrap().row {
        Rows::Decoded { rows, .. } => rows[0].values.clone(),
        Rows::Raw(_) => panic!("undecoded"),
    }
}

#[tokio::test]
async fn private_logon_returns_the_mailbox_folders() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (_m, handle, p) = logged_on(&ts, "alice").await;
    assert_ne!(handle, UNUSED_HANDLE);
    let (folder_ids, replica_guid, inbox) = ts.site(|d| {
        let store = d.open_mailbox(&alice).unwrap();
        (store.logon_folder_ids(), store.replica_guid(), store.special_folder(SpecialFolder::Inbox).unwrap())
    });
    assert_eq!(p.folder_ids, folder_ids);
    assert_eq!(p.mailbox_guid, alice.mailbox_guid);
    assert_eq!(p.repl_guid, replica_guid);
    assert_eq!(p.response_flags, 0x07, "owner: Reserved | OwnerRight | SendAsRight");
    assert!(p.logon_time.year >= 2024);
    assert_eq!(p.folder_ids[4], inbox);
}

#[tokio::test]
async fn store_properties_on_the_logon_object() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    let (resp, _) = m
        .rops(
            &[props_req(&[PR_STORE_SUPPORT_MASK, PR_DISPLAY_NAME, PR_SUBJECT, PR_DISPLAY_NAME_UNSPECIFIED])],
            vec![h],
        )
        .await;
    let row = row_of(&resp[0]);
    let RowValue::Value(PropValue::I32(mask)) = row[0] else { panic!("{row:?}") };
    assert!(mask as u32 & STORE_UNICODE_OK != 0);
    assert_eq!(row[1], RowValue::Value(PropValue::Unicode("Mailbox - alice display".into())));
    assert!(matches!(row[2], RowValue::NotFound { .. } | RowValue::Error { .. }), "no subject on a store");
    assert_eq!(row[3], RowValue::Value(PropValue::Unicode("Mailbox - alice display".into())));
    let all = all_props_req(0);
    let list = RopRequest::GetPropertiesList(HandleRequest { logon_id: 0, input_handle_index: 0 });
    let (resp, _) = m.rops(&[all, list], vec![h]).await;
    let RopResponse::GetPropertiesAll(o) = &resp[0] else { panic!() };
    let vals = &o.body.as_ref().unwrap().property_values;
    assert!(vals.iter().any(|v| v.tag == PropTag(0x3001_001E)), "WantUnicode 0 gives PtypString8");
    let RopResponse::GetPropertiesList(o) = &resp[1] else { panic!() };
    assert!(o.body.as_ref().unwrap().property_tags.contains(&PR_STORE_SUPPORT_MASK));
}

#[tokio::test]
async fn receive_folders_store_state_and_long_term_ids() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (mut m, h, p) = logged_on(&ts, "alice").await;
    let inbox = p.folder_ids[4];
    let drafts = ts.site(|d| d.open_mailbox(&alice).unwrap().special_folder(SpecialFolder::Drafts).unwrap());
    let get = |class: &str| {
        RopRequest::GetReceiveFolder(GetReceiveFolderRequest {
            logon_id: 0,
            input_handle_index: 0,
            message_class: class.into(),
        })
    };
    let set = RopRequest::SetReceiveFolder(SetReceiveFolderRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: drafts,
        message_class: "IPM.Note.Custom".into(),
    });
    let state = RopRequest::GetStoreState(GetStoreStateRequest { logon_id: 0, input_handle_index: 0 });
    let ltid = RopRequest::LongTermIdFromId(LongTermIdFromIdRequest {
        logon_id: 0,
        input_handle_index: 0,
        object_id: inbox,
    });
    let (resp, _) = m.rops(&[get("IPM.Note"), set, get("IPM.Note.Custom.Sub"), state, ltid], vec![h]).await;
    let RopResponse::GetReceiveFolder(o) = &resp[0] else { panic!() };
    let b = o.body.as_ref().unwrap();
    assert_eq!((b.folder_id, b.explicit_message_class.as_str()), (inbox, "IPM"));
    let RopResponse::SetReceiveFolder(o) = &resp[1] else { panic!() };
    assert_eq!(o.return_value, 0);
    let RopResponse::GetReceiveFolder(o) = &resp[2] else { panic!() };
    let b = o.body.as_ref().unwrap();
    assert_eq!(b.folder_id, drafts);
    assert_eq!(b.explicit_message_class.to_lowercase(), "ipm.note.custom");
    let RopResponse::GetStoreState(o) = &resp[3] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().store_state, 0);
    let RopResponse::LongTermIdFromId(o) = &resp[4] else { panic!() };
    let lt = o.body.as_ref().unwrap().long_term_id;
    assert_eq!(lt.database_guid, p.repl_guid);
    let back = RopRequest::IdFromLongTermId(IdFromLongTermIdRequest {
        logon_id: 0,
        input_handle_index: 0,
        long_term_id: lt,
    });
    let mut unknown = lt;
    unknown.database_guid = oxmapi_core::guid::Guid([9; 16]);
    let bad = RopRequest::IdFromLongTermId(IdFromLongTermIdRequest {
        logon_id: 0,
        input_handle_index: 0,
        long_term_id: unknown,
    });
    let bad_id = RopRequest::LongTermIdFromId(LongTermIdFromIdRequest {
        logon_id: 0,
        input_handle_index: 0,
        object_id: ObjectId { replica_id: 77, global_counter: 5 },
    });
    let (resp, _) = m.rops(&[back, bad, bad_id], vec![h]).await;
    let RopResponse::IdFromLongTermId(o) = &resp[0] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().object_id, inbox);
    // An unknown replica GUID is registered under a new replica id (MS-OXCSTOR 3.2.5.9).
    let RopResponse::IdFromLongTermId(o) = &resp[1] else { panic!() };
    let registered = o.body.as_ref().unwrap().object_id;
    assert_eq!((registered.global_counter, registered.replica_id != 1), (lt.global_counter, true));
    assert_eq!(resp[2].status().unwrap().1, codes::MAPI_E_NOT_FOUND.0);
}

#[tokio::test]
async fn bad_and_released_handles() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    // A slot that holds no server object, and an index outside the table.
    let out_of_table = RopRequest::GetPropertiesSpecific(GetPropertiesSpecificRequest {
        logon_id: 0,
        input_handle_index: 5,
        property_size_limit: 0,
        want_unicode: 1,
        property_tags: vec![PR_DISPLAY_NAME],
    });
    let (resp, _) = m.rops(&[props_req(&[PR_DISPLAY_NAME]), out_of_table], vec![0x1234_5678]).await;
    assert_eq!(resp[0].status(), Some((0, codes::EC_NULL_OBJECT.0)));
    assert_eq!(resp[1].status(), Some((5, codes::EC_NULL_OBJECT.0)));
    // Release, then use: ecNullObject; RopRelease itself has no response.
    let release = RopRequest::Release(ReleaseRequest { logon_id: 0, input_handle_index: 0 });
    let (resp, _) = m.rops(&[release, props_req(&[PR_DISPLAY_NAME])], vec![h]).await;
    assert_eq!(resp.len(), 1);
    assert_eq!(resp[0].status(), Some((0, codes::EC_NULL_OBJECT.0)));
}

#[tokio::test]
async fn unsupported_rops_and_logon_failures() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    let abort =
        RopRequest::Abort(oxmapi_wire::rop::oxctabl::AbortRequest { logon_id: 0, input_handle_index: 0 });
    let (resp, _) = m.rops(&[abort], vec![h]).await;
    assert_eq!(resp[0].status(), Some((0, codes::MAPI_E_NO_SUPPORT.0)));
    // Another user's mailbox without a grant, an unknown DN, public folders while disabled.
    let (resp, _) = m
        .rops(
            &[
                logon_req(1, true, Some(&bob.legacy_dn)),
                logon_req(2, true, Some("/o=x/cn=nobody")),
                logon_req(3, false, None),
            ],
            vec![UNUSED_HANDLE],
        )
        .await;
    assert_eq!(resp[0].status().unwrap().1, codes::EC_LOGIN_PERM.0);
    assert_eq!(resp[1].status().unwrap().1, codes::EC_UNKNOWN_USER.0);
    assert_eq!(resp[2].status().unwrap().1, codes::MAPI_E_LOGON_FAILED.0);
    // With a full-access grant the delegate logon works and reports no send-as right.
    ts.site(|d| d.directory().unwrap().grant_full_access("bob", "alice").unwrap());
    let (resp, _) = m.rops(&[logon_req(1, true, Some(&bob.legacy_dn))], vec![UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!() };
    let Some(LogonResponse::Private(p)) = &o.body else { panic!("{o:?}") };
    assert_eq!(p.mailbox_guid, bob.mailbox_guid);
    assert_eq!(p.response_flags, 0x03);
    let _ = alice;
}

#[tokio::test]
async fn public_logon_when_enabled() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    ts.site(|d| d.set_public_folders(true).unwrap());
    let (mut m, _, _) = logged_on(&ts, "alice").await;
    let (resp, handles) = m.rops(&[logon_req(1, false, None)], vec![UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!() };
    let Some(LogonResponse::Public(p)) = &o.body else { panic!("{o:?}") };
    assert!(!p.folder_ids[0].is_zero() && !p.folder_ids[1].is_zero());
    let (resp, _) = m.rops(&[props_req(&[PR_DISPLAY_NAME])], handles).await;
    assert_eq!(row_of(&resp[0])[0], RowValue::Value(PropValue::Unicode("Public Folders".into())));
}

#[tokio::test]
async fn buffer_too_small_returns_the_unprocessed_rops() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    let all = all_props_req(1);
    let state = RopRequest::GetStoreState(GetStoreStateRequest { logon_id: 0, input_handle_index: 0 });
    let requests = [state.clone(), all.clone(), state];
    let (resp, _) = m.rops_limited(&requests, vec![h], 200).await;
    assert!(matches!(resp[0], RopResponse::GetStoreState(_)));
    let RopResponse::BufferTooSmall(b) = &resp[1] else { panic!("{resp:?}") };
    assert!(b.size_needed as usize > 200 - 8);
    assert_eq!(b.request_buffers, encode_requests(&requests[1..]));
    // Retried with room it succeeds.
    let (resp, _) = m.rops_limited(&requests[1..], vec![h], 0x10008).await;
    assert!(matches!(&resp[0], RopResponse::GetPropertiesAll(o) if o.return_value == 0));
}

/// Many requests against the largest output (pcbOut 0x40000, MS-OXCRPC 3.1.4.2): the output
/// stays one RPC_HEADER_EXT payload of at most 32 KB (MS-OXCRPC_R1628) and ends with a
/// RopBufferTooSmall that carries exactly the requests not run (MS-OXCROPS 2.2.15.1), however
/// many of them are left — the space for it is kept free before each ROP runs.
#[tokio::test]
async fn buffer_too_small_always_fits_with_many_requests_left() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    let requests: Vec<RopRequest> = (0..1500)
        .map(|_| props_req(&[PR_DISPLAY_NAME, oxmapi_core::catalogue::tags::PR_MAILBOX_OWNER_NAME]))
        .collect();
    let (resp, _) = m.rops_limited(&requests, vec![h], 0x40000).await;
    let RopResponse::BufferTooSmall(b) = resp.last().unwrap() else { panic!("{:?}", resp.last()) };
    let done = resp.len() - 1;
    assert!(done > 100, "{done} ROPs ran");
    assert!(resp[..done].iter().all(|r| r.status() == Some((0, 0))));
    assert_eq!(b.request_buffers, encode_requests(&requests[done..]));
}

#[tokio::test]
async fn response_compression_and_xor_follow_the_flags() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let (mut m, h, _) = logged_on(&ts, "alice").await;
    let all = all_props_req(1);
    let payload = RopBuffer { rops: encode_requests(std::slice::from_ref(&all)), handles: vec![h] }.encode();
    let block = oxmapi_wire::rpc_ext::encode_block(
        &payload,
        oxmapi_wire::rpc_ext::EncodeOptions { compress: true, xor: true, last: true },
    )
    .unwrap();
    for (flags, compressed, xored) in
        [(0u32, true, true), (execute_flags::NO_COMPRESSION | execute_flags::NO_XOR_MAGIC, false, false)]
    {
        let r = m.execute_raw(flags, block.clone(), 0x10008).await;
        let ok = ExecuteResponse::decode(&r.mapi_body()).unwrap();
        let blocks = oxmapi_wire::rpc_ext::decode_blocks(&ok.success().unwrap().rop_buffer).unwrap();
        assert_eq!(blocks[0].header.is_compressed(), compressed, "flags {flags:#x}");
        assert_eq!(blocks[0].header.is_xor_magic(), xored, "flags {flags:#x}");
    }
}
