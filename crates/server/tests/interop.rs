//! What independent peers expect of the server: sensepost/ruler (a public MAPI/HTTP client
//! written against Exchange), Microsoft's MS-OXCMAPIHTTP test suite, and the specifications'
//! own text for authentication, Autodiscover, handle values and ROPs the server does not
//! implement (issue 13, items 9–14).

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use oxmapi_core::error::codes;
use oxmapi_wire::ntlm::{AuthenticateMessage, NtlmClient};
use oxmapi_wire::rop::buffer::{UNUSED_HANDLE, decode_requests};
use oxmapi_wire::rop::oxcstor::LogonRequest;
use oxmapi_wire::rop::request::{RequestContext, RopRequest};
use oxmapi_wire::rop::response::RopResponse;

/// The NEGOTIATE_MESSAGE of the acceptance check (flags 0xA2088207, Version 6.1.7601 rev 15).
const NEGOTIATE: &str = "TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==";

fn challenge_of(r: &Reply) -> Vec<u8> {
    let v = r.header("WWW-Authenticate").expect("a WWW-Authenticate challenge");
    let token = v.strip_prefix("NTLM ").unwrap_or_else(|| panic!("not an NTLM challenge: {v}"));
    B64.decode(token).expect("base64 challenge")
}

/// Item 9: a client that starts NTLM with a GET on either MAPI/HTTP endpoint gets the 401
/// challenge (CHALLENGE_MESSAGE, MS-NLMP 2.2.1.2: signature "NTLMSSP\0", MessageType 2), not an
/// X-ResponseCode: authentication comes before the verb check, as on Exchange's front end.
#[tokio::test]
async fn ntlm_negotiate_on_a_get_is_challenged() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    for path in ["/mapi/emsmdb/", "/mapi/nspi/"] {
        let mut c = Conn::open(ts.addr()).await;
        let r = c.send("GET", path, &[("Authorization", format!("NTLM {NEGOTIATE}"))], vec![]).await;
        assert_eq!(r.status, 401, "{path}");
        assert_eq!(r.header("X-ResponseCode"), None, "{path}");
        let ch = challenge_of(&r);
        assert_eq!(&ch[..8], b"NTLMSSP\0");
        assert_eq!(u32::from_le_bytes(ch[8..12].try_into().unwrap()), 2, "MessageType CHALLENGE");
    }
}

/// Items 9 and 13: a whole NTLMv2 handshake that starts on a GET authenticates the connection;
/// the authenticated GET then gets the specification's invalid-verb answer (MS-OXCMAPIHTTP
/// 2.2.3.3.3: X-ResponseCode 2 "Invalid Verb"), and the POSTs that follow on the connection are
/// served — on both endpoints.
#[tokio::test]
async fn ntlmv2_handshake_starting_with_a_get_works_on_every_endpoint() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    for path in ["/mapi/emsmdb/", "/mapi/nspi/"] {
        let mut c = Conn::open(ts.addr()).await;
        let mut ntlm = NtlmClient::new();
        let r = c
            .send("GET", path, &[("Authorization", format!("NTLM {}", B64.encode(ntlm.negotiate())))], vec![])
            .await;
        assert_eq!(r.status, 401);
        let auth = ntlm.authenticate(&challenge_of(&r), "alice", "OXMAPI", PASSWORD, [3; 8], 0).unwrap();
        let r = c.send("GET", path, &[("Authorization", format!("NTLM {}", B64.encode(auth)))], vec![]).await;
        assert_eq!((r.status, r.response_code()), (200, Some(2)), "{path}: authenticated GET");
        let r = c
            .send("POST", path, &[("X-RequestType", "PING".into()), ("X-RequestId", "{A}:1".into())], vec![])
            .await;
        assert_eq!(r.status, 200, "{path}: the connection stays authenticated");
    }
    // Autodiscover over NTLMv2 as well.
    let mut c = Conn::open(ts.addr()).await;
    let mut ntlm = NtlmClient::new();
    let xml = "/autodiscover/autodiscover.xml";
    let r = c
        .send("POST", xml, &[("Authorization", format!("NTLM {}", B64.encode(ntlm.negotiate())))], vec![])
        .await;
    assert_eq!(r.status, 401);
    let auth = ntlm.authenticate(&challenge_of(&r), "alice", "", PASSWORD, [4; 8], 0).unwrap();
    let r = c.send("POST", xml, &[("Authorization", format!("NTLM {}", B64.encode(auth)))], vec![]).await;
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains(&alice.legacy_dn));
}

/// Item 13: NTLMv1 stays refused, and the 401 says why. An AUTHENTICATE_MESSAGE whose
/// NtChallengeResponse is 24 bytes is NTLMv1 (MS-NLMP 2.2.2.6 NTLM v1 Response; 3.3.1).
#[tokio::test]
async fn ntlmv1_is_refused_and_the_answer_says_so() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let mut c = Conn::open(ts.addr()).await;
    let r = c.send("GET", "/mapi/emsmdb/", &[("Authorization", format!("NTLM {NEGOTIATE}"))], vec![]).await;
    assert_eq!(r.status, 401);
    let v1 = AuthenticateMessage {
        negotiate_flags: 0xA208_8205,
        lm_challenge_response: vec![0x11; 24],
        nt_challenge_response: vec![0x22; 24],
        domain_name: "OXMAPI".into(),
        user_name: "alice".into(),
        workstation: "WS".into(),
        encrypted_random_session_key: vec![],
        version: None,
        mic: None,
    }
    .encode()
    .unwrap();
    let r = c
        .send("GET", "/mapi/emsmdb/", &[("Authorization", format!("NTLM {}", B64.encode(v1)))], vec![])
        .await;
    assert_eq!(r.status, 401);
    let text = String::from_utf8_lossy(&r.body);
    assert!(
        text.contains("NTLMv1") && text.contains("refused by design") && text.contains("NTLMv2"),
        "{text}"
    );
}

/// Item 14: OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCMAPIHTTP/TestSuite/
/// S01_RequestTypesForMailboxServerEndpoint.cs, `MSOXCMAPIHTTP_S01_TC04_SendInvalidContextCookie`:
/// after a Connect, every session cookie's value is replaced by "Invalid cookie" and an Execute
/// must answer X-ResponseCode 6 (MS-OXCMAPIHTTP_R142: "Invalid Context Cookie (6): The request
/// has an invalid session context cookie"). A well-formed cookie naming no context stays 10.
#[tokio::test]
async fn invalid_context_cookie_is_code_6() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut m = Mapi::new(&ts, "alice").await;
    assert_eq!(m.connect(&alice.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let real = m.cookies.clone();
    for v in m.cookies.values_mut() {
        *v = "Invalid cookie".into();
    }
    let r = m.execute_raw(3, vec![], 0x10008).await;
    assert_eq!(r.response_code(), Some(6), "{}", String::from_utf8_lossy(&r.body));
    // The same on the address book endpoint.
    let mut c = Conn::open(ts.addr()).await;
    let h = [
        ("Authorization", basic("alice", PASSWORD)),
        ("Content-Type", "application/mapi-http".into()),
        ("X-RequestType", "Unbind".into()),
        ("X-RequestId", "{B}:1".into()),
        ("Cookie", "MapiContext=Invalid cookie".into()),
    ];
    assert_eq!(c.send("POST", "/mapi/nspi/", &h, vec![0; 8]).await.response_code(), Some(6));
    // A cookie of the right shape for a context that does not exist: Context Not Found.
    m.cookies = real;
    m.cookies.insert("MapiContext".into(), "f".repeat(32));
    assert_eq!(m.execute_raw(3, vec![], 0x10008).await.response_code(), Some(10));
}

async fn autodiscover(ts: &TestServer, capability: Option<&str>) -> String {
    let mut c = Conn::open(ts.addr()).await;
    let mut h = vec![("Authorization", basic("alice", PASSWORD)), ("Content-Type", "text/xml".to_string())];
    if let Some(v) = capability {
        h.push(("X-MapiHttpCapability", v.to_string()));
    }
    let r = c.send("POST", "/autodiscover/autodiscover.xml", &h, b"<Autodiscover/>".to_vec()).await;
    assert_eq!(r.status, 200);
    String::from_utf8(r.body).unwrap()
}

/// Item 12: MS-OXDSCLI 2.2.4.1.1.2.6 — the mapiHttp Protocol's "Version: An integer value that
/// MUST be greater than zero (0) and less than or equal to the value of the
/// X-MapiHttpCapability header (section 2.2.2.1) included in the Autodiscover request"; the
/// Autodiscover POX reference: the header, "if present and set to 1, indicates that the client
/// is requesting information that can be used to connect to the server by using the MAPI/HTTP
/// protocol". ruler (`autodiscover/autodiscover.go` `MAPIDiscover`) sends `X-MapiHttpCapability:
/// 1` to get the MAPI/HTTP URLs and reads EXCH/EXPR otherwise.
#[tokio::test]
async fn autodiscover_offers_mapi_http_only_to_clients_that_declare_it() {
    let ts = TestServer::start().await;
    ts.add_user("alice", false);
    let without = autodiscover(&ts, None).await;
    assert!(!without.contains("mapiHttp"), "{without}");
    assert!(without.contains("<Type>EXCH</Type>") && without.contains("<Type>EXPR</Type>"), "{without}");
    let zero = autodiscover(&ts, Some("0")).await;
    assert!(!zero.contains("mapiHttp"), "{zero}");
    let one = autodiscover(&ts, Some("1")).await;
    assert!(one.contains(r#"<Protocol Type="mapiHttp" Version="1">"#), "{one}");
    assert!(one.contains("/mapi/emsmdb/?MailboxId="), "{one}");
    let later = autodiscover(&ts, Some("2")).await;
    assert!(later.contains(r#"Version="1""#), "never more than the server speaks: {later}");
}

/// Logs on as ruler does (`mapi/mapi.go` `AuthenticateFetchMailbox`: LogonID 0x09,
/// OutputHandleIndex 0, handle table `FF FF FF FF`) and returns the driver, the handle the
/// server gave and the Inbox FID.
async fn ruler_logon(ts: &TestServer, user: &oxmapi_store::User) -> (Mapi, u32, oxmapi_core::ids::ObjectId) {
    use oxmapi_wire::rop::oxcstor::LogonResponse;
    let mut m = Mapi::new(ts, &user.name).await;
    assert_eq!(m.connect(&user.legacy_dn, 0).await.1.unwrap().error_code, 0);
    let logon = RopRequest::Logon(LogonRequest {
        logon_id: 0x09,
        output_handle_index: 0,
        logon_flags: 0x01,
        open_flags: 0x0100_0000 | 0x0004 | 0x0008,
        store_state: 0,
        essdn: Some(user.legacy_dn.clone()),
    });
    let (resp, handles) = m.rops(&[logon], vec![UNUSED_HANDLE]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    let Some(LogonResponse::Private(p)) = &o.body else { panic!("{o:?}") };
    (m, handles[0], p.folder_ids[4])
}

/// Item 10: ruler never reads the handle RopLogon returns. It sends the bytes `00 00 00
/// <LogonID>` as the Logon object's handle (sensepost/ruler `mapi/mapi.go`: `ReleaseObject`,
/// `SendMessage`, `CreateMessage`, `GetFolder` set `ServerObjectHandleTable = []byte{0x00, 0x00,
/// 0x00, AuthSession.LogonID, 0xFF, 0xFF, 0xFF, 0xFF}` with LogonID 0x09), i.e. 0x09000000 —
/// the handle shape Exchange hands out: LogonId in the top byte, object number in the low 24
/// bits (MS-OXCROPS 4.4's example handles of LogonId 0 objects are 0x0000006F and 0x0000006E).
/// Ruler's `GetFolder` then opens the Inbox into slot 1 and reads its properties; with that
/// handle table it must succeed.
#[tokio::test]
async fn ruler_hard_coded_logon_handle_works() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (mut m, handle, inbox) = ruler_logon(&ts, &alice).await;
    assert_eq!(handle, 0x0900_0000, "Exchange's Logon handle shape: LogonId << 24");
    // ruler's GetFolder ROPs: RopOpenFolder {02 09 00 01 <inbox FID> 00} and
    // RopGetPropertiesSpecific {07 09 01 00 00 01 00 <count> <tags>} (two of ruler's tags).
    let mut rops = vec![0x02, 0x09, 0x00, 0x01];
    rops.extend(inbox.to_bytes());
    rops.extend([
        0x00, 0x07, 0x09, 0x01, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x1f, 0x00, 0x01, 0x30, 0x03, 0x00, 0x02,
        0x36,
    ]);
    let reqs = decode_requests(&rops, &RequestContext::default()).unwrap();
    let table = vec![u32::from_le_bytes([0x00, 0x00, 0x00, 0x09]), UNUSED_HANDLE];
    let (resp, handles) = m.rops(&reqs, table).await;
    assert_eq!(resp.len(), 2, "{resp:?}");
    for r in &resp {
        assert_eq!(r.status().map(|s| s.1), Some(0), "{r:?}");
    }
    // The first object opened after the logon is `01 00 00 <LogonID>`: early ruler versions
    // (`mapi/mapi.go` `GetContentsTable`, `DisplayRules`, `ExecuteMailRuleAdd`) send that handle
    // for the folder `GetFolder` left open, e.g. `GetContentsTable` = `05 09 00 01 02` with the
    // handle table `01 00 00 09 FF FF FF FF`.
    assert_eq!(handles[1], u32::from_le_bytes([0x01, 0x00, 0x00, 0x09]));
    let reqs = decode_requests(&[0x05, 0x09, 0x00, 0x01, 0x02], &RequestContext::default()).unwrap();
    let (resp, _) = m.rops(&reqs, vec![u32::from_le_bytes([0x01, 0x00, 0x00, 0x09]), UNUSED_HANDLE]).await;
    assert_eq!(resp[0].status(), Some((1, 0)), "{resp:?}");
}

/// A second RopLogon with an active LogonId replaces the first (MS-OXCROPS 3.1.4.2) and takes
/// its handle; objects of the old logon are released.
#[tokio::test]
async fn a_logon_with_an_active_logon_id_replaces_it() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let (mut m, first, inbox) = ruler_logon(&ts, &alice).await;
    let open = RopRequest::OpenFolder(oxmapi_wire::rop::oxcfold::OpenFolderRequest {
        logon_id: 0x09,
        input_handle_index: 0,
        output_handle_index: 1,
        folder_id: inbox,
        open_mode_flags: 0,
    });
    let (_, handles) = m.rops(&[open], vec![first, UNUSED_HANDLE]).await;
    let folder = handles[1];
    let logon = RopRequest::Logon(LogonRequest {
        logon_id: 0x09,
        output_handle_index: 0,
        logon_flags: 0x01,
        open_flags: 0x0100_040C,
        store_state: 0,
        essdn: Some(alice.legacy_dn.clone()),
    });
    let (_, handles) = m.rops(&[logon], vec![UNUSED_HANDLE]).await;
    assert_eq!(handles[0], first);
    let props = req::get_props(0, &[oxmapi_core::tag::PropTag(0x3001_001F)]);
    let RopRequest::GetPropertiesSpecific(mut g) = props else { unreachable!() };
    g.logon_id = 0x09;
    let (resp, _) = m.rops(&[RopRequest::GetPropertiesSpecific(g)], vec![folder]).await;
    assert_eq!(resp[0].status(), Some((0, codes::EC_NULL_OBJECT.0)), "the old logon's folder is gone");
}

/// Item 11: a RopModifyRules that fails is answered on its own with `RopId 0x41,
/// InputHandleIndex, ReturnValue` (MS-OXCROPS 2.2.11.1.2 response layout; 2.2.1 failure
/// response), and the ROPs around it run. The request is ruler's (`mapi/mapi.go`
/// `ExecuteMailRuleDelete`: ROW_REMOVE of one PidTagRuleId); the folder has no rule with that
/// id, so the answer is ecNotFound (0x8004010F).
#[tokio::test]
async fn a_failing_modify_rules_is_answered_on_its_own_and_the_buffer_goes_on() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let l = logon_private(&ts, &alice).await;
    let slots = l.slots(1);
    let mut m = l.m;
    let mut rops = Vec::new();
    let open = req::open_folder(0, 1, l.folders[4]);
    let mut w = oxmapi_core::codec::Writer::new();
    open.encode(&mut w);
    rops.extend(w.into_vec());
    rops.extend([0x41, 0x00, 0x01, 0x00, 0x01, 0x00, 0x04, 0x01, 0x00, 0x14, 0x00, 0x74, 0x66]);
    rops.extend(1u64.to_le_bytes());
    let props = req::get_props(1, &[oxmapi_core::tag::PropTag(0x3001_001F)]);
    let mut w = oxmapi_core::codec::Writer::new();
    props.encode(&mut w);
    rops.extend(w.into_vec());
    let reqs = decode_requests(&rops, &RequestContext::default()).unwrap();
    assert!(matches!(reqs[1], RopRequest::ModifyRules(_)));
    let (resp, _) = m.rops(&reqs, slots).await;
    assert_eq!(resp.len(), 3, "{resp:?}");
    assert_eq!(resp[0].status(), Some((1, 0)));
    assert!(matches!(resp[1], RopResponse::ModifyRules(_)), "{:?}", resp[1]);
    assert_eq!(resp[1].status(), Some((1, codes::MAPI_E_NOT_FOUND.0)));
    assert_eq!(codes::MAPI_E_NOT_FOUND.0, 0x8004_010F);
    assert_eq!(resp[2].status(), Some((1, 0)));
}

/// Item 11, with ruler's FastTransfer upload (`mapi/mapi.go` `SetPropertyFast`: a
/// RopFastTransferDestinationConfigure `53 09 01 02 01 01` into slot 2, then
/// RopFastTransferDestinationPutBuffer on slot 2): both are answered ecNotSupported, the
/// PutBuffer response with its always-present fields (MS-OXCFXICS 2.2.3.1.2.2.2), and the
/// ROP after them still runs and is read at the right offset.
#[tokio::test]
async fn unimplemented_fast_transfer_upload_is_refused_rop_by_rop() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let l = logon_private(&ts, &alice).await;
    let slots = l.slots(2);
    let mut m = l.m;
    let mut rops = vec![0x53, 0x00, 0x00, 0x02, 0x01, 0x01, 0x54, 0x00, 0x02, 0x02, 0x00, 0xAA, 0xBB];
    let mut w = oxmapi_core::codec::Writer::new();
    req::get_props(0, &[oxmapi_core::tag::PropTag(0x3001_001F)]).encode(&mut w);
    rops.extend(w.into_vec());
    let reqs = decode_requests(&rops, &RequestContext::default()).unwrap();
    let (resp, _) = m.rops(&reqs, slots).await;
    assert_eq!(resp.len(), 3, "{resp:?}");
    assert_eq!(resp[0].status(), Some((2, codes::MAPI_E_NO_SUPPORT.0)), "OutputHandleIndex echoed");
    let RopResponse::FastTransferDestinationPutBuffer(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!((o.handle_index, o.return_value), (2, codes::MAPI_E_NO_SUPPORT.0));
    let body = o.body.as_ref().expect("PutBuffer fields on failure");
    assert_eq!((body.transfer_status, body.buffer_used_size), (0, 0));
    assert_eq!(resp[2].status(), Some((0, 0)));
}
