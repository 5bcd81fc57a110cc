//! Mailbox limits over real HTTP with raw oxmapi-wire: the private-logon properties of
//! MS-OXCSTOR 2.2.2.1.1 (PidTagExtendedRuleSizeLimit, PidTagMaximumSubmitMessageSize,
//! PidTagProhibitReceiveQuota, PidTagProhibitSendQuota, PidTagUserEntryId), read-only as
//! Microsoft's MS-OXCSTOR suite checks them (OfficeDev/Interop-TestSuites,
//! ExchangeMAPI/Source/MS-OXCSTOR/TestSuite/S01_PrivateMailboxLogon.cs,
//! MSOXCSTOR_S01_TC09_TestOperationsOnReadOnlyProperties), a delegate's PidTagUserEntryId, and
//! what the limits do: RopSubmitMessage refused over the send quota or the size limit (as
//! grommunio/gromox exch/emsmdb/oxomsg.cpp rop_submitmessage does), and no delivery to a mailbox
//! over its receive quota.

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::entryid::EntryId;
use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcmsg::{ModifyRecipientRow, ModifyRecipientsRequest};
use oxmapi_wire::rop::oxcprpt::DeletePropertiesRequest;
use oxmapi_wire::rop::oxomsg::SubmitMessageRequest;
use oxmapi_wire::rop::recipients::row_from_properties;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// The five properties, in MS-OXCSTOR 2.2.2.1.1 order.
const LIMIT_TAGS: [PropTag; 5] = [
    PR_EXTENDED_RULE_SIZE_LIMIT,
    PR_MAX_SUBMIT_MESSAGE_SIZE,
    PR_PROHIBIT_RECEIVE_QUOTA,
    PR_PROHIBIT_SEND_QUOTA,
    PR_USER_ENTRYID,
];

async fn logon_props(c: &mut Logon, tags: &[PropTag]) -> Vec<RowValue> {
    let (resp, _) = c.m.rops(&[req::get_props(0, tags)], c.slots(0)).await;
    props_of(&resp[0])
}

fn problems(r: &RopResponse) -> Vec<(u16, u32, u32)> {
    match r {
        RopResponse::SetProperties(o) | RopResponse::DeleteProperties(o) => {
            assert_eq!(o.return_value, 0, "{r:?}");
            o.body.as_ref().unwrap().problems.iter().map(|p| (p.index, p.tag.0, p.error.0)).collect()
        }
        other => panic!("{other:?}"),
    }
}

fn ab_dn(v: &RowValue) -> String {
    let RowValue::Value(PropValue::Binary(b)) = v else { panic!("{v:?}") };
    let EntryId::AbPermanent(ab) = EntryId::parse(b).unwrap() else { panic!("not an AB entry ID: {b:02X?}") };
    ab.dn
}

/// MS-OXCSTOR 2.2.2.1.1.1–2.2.2.1.1.4 (R3056–R3059): each limit is a PtypInteger32 that
/// RopGetPropertiesSpecific returns without error (the suite checks the row's flag is 0); the
/// values are the server's settings, Exchange's defaults here. 2.2.2.1.1.11 (R3066, R59737):
/// PidTagUserEntryId is a PtypBinary, the logged-on user's address book entry ID.
#[tokio::test]
async fn a_private_logon_reports_the_limits_and_the_user() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut a = logon_private(&ts, &alice).await;
    let v = logon_props(&mut a, &LIMIT_TAGS).await;
    assert_eq!(v[0], RowValue::Value(PropValue::I32(64 * 1024)), "bytes (Exchange RulesQuota 64 KB)");
    assert_eq!(v[1], RowValue::Value(PropValue::I32(10 * 1024)), "KiB (Exchange MaxSendSize 10 MB)");
    assert_eq!(v[2], RowValue::Value(PropValue::I32(2_411_724)), "KiB (ProhibitSendReceiveQuota 2.3 GB)");
    assert_eq!(v[3], RowValue::Value(PropValue::I32(2 * 1024 * 1024)), "KiB (ProhibitSendQuota 2 GB)");
    assert_eq!(ab_dn(&v[4]), alice.legacy_dn);

    // A new logon sees changed settings; -1 is "no limit" (MS-OXCSTOR 2.2.2.1.1.3).
    ts.set("prohibit-receive-quota-kb", "unlimited");
    ts.set("max-submit-message-size-kb", "25600");
    let mut a = logon_private(&ts, &alice).await;
    let v = logon_props(&mut a, &LIMIT_TAGS[1..3]).await;
    assert_eq!(v, [RowValue::Value(PropValue::I32(25_600)), RowValue::Value(PropValue::I32(-1))]);
}

/// MS-OXCSTOR 2.2.2.1.1, Read-Only Properties (R3055001, R3055011): the suite writes
/// PidTagExtendedRuleSizeLimit + 1 and PidTagUserEntryId = 00 00 with RopSetProperties and
/// passes when the value read back is not the one written. Each comes back as a PropertyProblem
/// (MAPI_E_COMPUTED; gromox answers ecAccessDenied, the suite reads neither) and nothing changes;
/// RopDeleteProperties is refused the same way.
#[tokio::test]
async fn the_limits_and_the_user_entry_id_are_read_only() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut a = logon_private(&ts, &alice).await;
    let before = logon_props(&mut a, &LIMIT_TAGS).await;
    let RowValue::Value(PropValue::I32(rule)) = before[0] else { panic!("{before:?}") };
    let writes = vec![
        TaggedValue::new(PR_EXTENDED_RULE_SIZE_LIMIT, PropValue::I32(rule + 1)),
        TaggedValue::new(PR_MAX_SUBMIT_MESSAGE_SIZE, PropValue::I32(0x7EAD_BEEF)),
        TaggedValue::new(PR_PROHIBIT_RECEIVE_QUOTA, PropValue::I32(0x7EAD_BEEF)),
        TaggedValue::new(PR_PROHIBIT_SEND_QUOTA, PropValue::I32(0x7EAD_BEEF)),
        TaggedValue::new(PR_USER_ENTRYID, PropValue::Binary(vec![0, 0])),
    ];
    let delete = RopRequest::DeleteProperties(DeletePropertiesRequest {
        logon_id: 0,
        input_handle_index: 0,
        property_tags: LIMIT_TAGS.to_vec(),
    });
    let (resp, _) = a.m.rops(&[req::set_props(0, writes), delete], a.slots(0)).await;
    let want: Vec<(u16, u32, u32)> =
        LIMIT_TAGS.iter().enumerate().map(|(i, t)| (i as u16, t.0, codes::MAPI_E_COMPUTED.0)).collect();
    assert_eq!(problems(&resp[0]), want, "RopSetProperties");
    assert_eq!(problems(&resp[1]), want, "RopDeleteProperties");
    assert_eq!(logon_props(&mut a, &LIMIT_TAGS).await, before, "unchanged");
}

/// MS-OXCSTOR 2.2.2.1.1.11: PidTagUserEntryId "contains the address book EntryID of the
/// logged-on user" — on a delegate's logon to another mailbox the delegate, while
/// PidTagMailboxOwnerEntryId (2.2.2.1.1.7) names the owner. gromox answers it from the RPC
/// session's user (exch/emsmdb/logon_object.cpp, PR_USER_ENTRYID), not the store's owner.
#[tokio::test]
async fn a_delegate_logon_names_the_delegate_as_its_user() {
    use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    ts.site(|d| d.directory().unwrap().grant_full_access("bob", "alice").unwrap());
    let mut a = logon_private(&ts, &alice).await;
    let to_bob = req::logon(0, 0, &bob.legacy_dn);
    let tags = [PR_USER_ENTRYID, PR_MAILBOX_OWNER_ENTRYID, PR_USER_NAME, PR_MAILBOX_OWNER_NAME];
    let (resp, handles) = a.m.rops(&[to_bob], vec![UNUSED_HANDLE]).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let (resp, _) = a.m.rops(&[req::get_props(0, &tags)], handles).await;
    let v = props_of(&resp[0]);
    assert_eq!(ab_dn(&v[0]), alice.legacy_dn, "the logged-on user");
    assert_eq!(ab_dn(&v[1]), bob.legacy_dn, "the mailbox owner");
    let RowValue::Value(name) = &v[2] else { panic!("{v:?}") };
    assert_eq!(name.as_text().unwrap(), "alice");
    let RowValue::Value(owner) = &v[3] else { panic!("{v:?}") };
    assert_eq!(owner.as_text().unwrap(), bob.display_name);
}

fn text(tag: PropTag, s: &str) -> TaggedValue {
    TaggedValue::new(tag, PropValue::Unicode(s.into()))
}

/// Creates a message to `to` in the Outbox and submits it; the RopSubmitMessage ReturnValue.
async fn submit(c: &mut Logon, to: &User, body: &str) -> u32 {
    let outbox = c.folders[5];
    let recipient = vec![
        text(PR_DISPLAY_NAME, &to.display_name),
        text(PR_ADDRTYPE, "EX"),
        text(PR_EMAIL_ADDRESS, &to.legacy_dn),
    ];
    let reqs = [
        req::open_folder(0, 1, outbox),
        req::create_message(1, 2, outbox, false),
        req::set_props(2, vec![text(PR_SUBJECT, "quota"), text(PR_BODY, body)]),
        RopRequest::ModifyRecipients(ModifyRecipientsRequest {
            logon_id: 0,
            input_handle_index: 2,
            recipient_columns: vec![PR_ENTRYID],
            recipient_rows: vec![ModifyRecipientRow {
                row_id: 0,
                recipient_type: 1,
                recipient_row: Some(row_from_properties(&recipient, &[PR_ENTRYID])),
            }],
        }),
        RopRequest::SubmitMessage(SubmitMessageRequest {
            logon_id: 0,
            input_handle_index: 2,
            submit_flags: 0,
        }),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = c.m.rops(&reqs, c.slots(2)).await;
    for r in &resp[..4] {
        assert_eq!(rv(r), 0, "{resp:?}");
    }
    rv(&resp[4])
}

/// gromox exch/emsmdb/oxomsg.cpp rop_submitmessage: "Sendquota is in KiB, storesize in bytes";
/// a mailbox whose PR_MESSAGE_SIZE_EXTENDED is at least PR_PROHIBIT_SEND_QUOTA × 1024 gets
/// ecQuotaExceeded (0x000004D9); a message larger than PR_MAX_SUBMIT_MESSAGE_SIZE KiB is refused
/// with ecMaxSubmissionExceeded (MS-OXCDATA 2.4.2: 0x000004DA, "A message could not be submitted
/// because its size exceeds the defined maximum").
#[tokio::test]
async fn submission_over_the_send_quota_or_the_size_limit_is_refused() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    ts.set("prohibit-send-quota-kb", "0");
    let mut a = logon_private(&ts, &alice).await;
    assert_eq!(submit(&mut a, &bob, "hi").await, 0x0000_04D9);
    assert_eq!(codes::EC_QUOTA_EXCEEDED.0, 0x0000_04D9);

    ts.set("prohibit-send-quota-kb", "unlimited");
    ts.set("max-submit-message-size-kb", "1");
    let mut a = logon_private(&ts, &alice).await;
    assert_eq!(submit(&mut a, &bob, &"x".repeat(4096)).await, 0x0000_04DA);
    assert_eq!(codes::EC_MAX_SUBMISSION_EXCEEDED.0, 0x0000_04DA);
    assert_eq!(submit(&mut a, &bob, "small").await, 0, "a message under the limit goes");
}

/// MS-OXCSTOR 2.2.2.1.1.3: PidTagProhibitReceiveQuota is the size a user may accumulate "before
/// no further mail will be delivered". Bob's mailbox at its quota gets no copy; alice gets a
/// non-delivery report (MS-OXOMSG: class REPORT.IPM.Note.NDR) that says why.
#[tokio::test]
async fn delivery_to_a_mailbox_over_its_receive_quota_comes_back_as_an_ndr() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    ts.set("prohibit-receive-quota-kb", "0");
    let mut a = logon_private(&ts, &alice).await;
    assert_eq!(submit(&mut a, &bob, "anyone there?").await, 0);
    let inbox = a.inbox();
    let mids = wait_for(&mut a, inbox, 1).await;
    let reqs = [
        req::open_message(0, 1, inbox, mids[0], 0),
        req::get_props(1, &[PR_MESSAGE_CLASS, PR_REPORT_TEXT]),
        req::release(1),
    ];
    let (resp, _) = a.m.rops(&reqs, a.slots(1)).await;
    let v = props_of(&resp[1]);
    let RowValue::Value(class) = &v[0] else { panic!("{v:?}") };
    assert_eq!(class.as_text().unwrap(), "REPORT.IPM.Note.NDR");
    let RowValue::Value(report) = &v[1] else { panic!("{v:?}") };
    assert!(report.as_text().unwrap().contains("mailbox is full"), "{report:?}");
    let mut b = logon_private(&ts, &bob).await;
    let b_inbox = b.inbox();
    assert!(wait_for(&mut b, b_inbox, 0).await.is_empty(), "no copy for a full mailbox");
}
