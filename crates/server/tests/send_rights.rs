//! Send As and Send on Behalf over real HTTP with raw oxmapi-wire (issue 17 item 4;
//! MS-OXOMSG 3.2.5.1 RopSubmitMessage, 2.2.1.46–2.2.1.54 the PidTagSender* / PidTagSentRepresenting*
//! properties; MS-OXODLGT 1.3 "on behalf of"). Checked against gromox's rop_submitmessage
//! (exch/emsmdb/oxomsg.cpp): a represented sender other than the user needs the send-as
//! permission or a place in the owner's delegate list, else the submission is refused before
//! anything is queued. Exchange answers ecSendAsDenied (0x4DC), which oxmapi returns.

mod common;
mod sending;

use std::time::Duration;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::TaggedValue;
use oxmapi_store::directory::Access;
use sending::*;

/// Properties a client sets to send "on behalf of" `owner`: the ones the CLI's `--prop` sets.
fn representing(owner: &oxmapi_store::User, subject: &str) -> Vec<TaggedValue> {
    vec![
        text(PR_SENT_REPRESENTING_EMAIL_ADDRESS, &owner.smtp_address),
        text(PR_SENT_REPRESENTING_NAME, &owner.display_name),
        text(PR_SUBJECT, subject),
    ]
}

fn grant(t: &Three, owner: &str, to: &str, access: Access) {
    t.ts.site(|d| d.directory().unwrap().grant(owner, to, access).unwrap());
}

/// Reads subject, sender and represented sender of every message in `u`'s Inbox once it holds
/// `n`.
async fn inbox_senders(t: &Three, u: &oxmapi_store::User, n: usize) -> Vec<(String, String, String)> {
    let mut c = logon_private(&t.ts, u).await;
    let inbox = c.inbox();
    let mut out = Vec::new();
    for mid in wait_for(&mut c, inbox, n).await {
        let tags = [PR_SUBJECT, PR_SENDER_SMTP_ADDRESS, PR_SENT_REPRESENTING_SMTP_ADDRESS];
        let (v, _) = read(&mut c, inbox, mid, &tags).await;
        out.push((s(&v[0]), s(&v[1]), s(&v[2])));
    }
    out.sort();
    out
}

/// Without a right, a representing address naming another user is refused (ecSendAsDenied)
/// and nothing is queued; a right on one owner does not cover another.
#[tokio::test]
async fn a_forged_representing_address_is_refused() {
    let t = three().await;
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let (mid, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "spoof")).await;
    assert_eq!(code, codes::EC_SEND_AS_DENIED.0, "{code:#x}");
    assert_eq!(mid, ObjectId::ZERO, "refused before it was saved");
    grant(&t, "carol", "bob", Access::SendOnBehalf);
    grant(&t, "carol", "bob", Access::SendAs);
    let (_, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "spoof 2")).await;
    assert_eq!(code, codes::EC_SEND_AS_DENIED.0, "rights on carol do not cover alice");
    let (_, code) = send(&mut bob, vec![(TO, ex(&t.carol))], vec![text(PR_SUBJECT, "honest")]).await;
    assert_eq!(code, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = inbox_senders(&t, &t.carol, 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "honest");
}

/// Send on Behalf: the delivered copy shows the delegate as sender and the owner as the one it
/// was sent for ("Bob on behalf of Alice").
#[tokio::test]
async fn send_on_behalf_shows_the_delegate_as_sender_and_the_owner_as_represented() {
    let t = three().await;
    grant(&t, "alice", "bob", Access::SendOnBehalf);
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let (_, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "on behalf")).await;
    assert_eq!(code, 0, "{code:#x}");
    let got = inbox_senders(&t, &t.carol, 1).await;
    assert_eq!(got, vec![("on behalf".into(), t.bob.smtp_address.clone(), t.alice.smtp_address.clone())]);
}

/// Send As: the owner is both the sender and the represented sender; the delegate does not
/// appear. Holding both rights, Send As wins (as on Exchange).
#[tokio::test]
async fn send_as_shows_the_owner_as_the_sender() {
    let t = three().await;
    grant(&t, "alice", "bob", Access::SendAs);
    grant(&t, "alice", "bob", Access::SendOnBehalf);
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let (_, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "as alice")).await;
    assert_eq!(code, 0, "{code:#x}");
    let got = inbox_senders(&t, &t.carol, 1).await;
    assert_eq!(got, vec![("as alice".into(), t.alice.smtp_address.clone(), t.alice.smtp_address.clone())]);
}

/// The right is read from the directory at every submission: a revoke stops the next one on the
/// same open session, with no new logon.
#[tokio::test]
async fn a_revoked_send_on_behalf_stops_the_next_submission() {
    let t = three().await;
    grant(&t, "alice", "bob", Access::SendOnBehalf);
    let mut bob = logon_private(&t.ts, &t.bob).await;
    let (_, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "first")).await;
    assert_eq!(code, 0);
    t.ts.site(|d| d.directory().unwrap().revoke("alice", "bob", Access::SendOnBehalf).unwrap());
    let (mid, code) = send(&mut bob, vec![(TO, ex(&t.carol))], representing(&t.alice, "second")).await;
    assert_eq!(code, codes::EC_SEND_AS_DENIED.0, "{code:#x}");
    assert_eq!(mid, ObjectId::ZERO);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = inbox_senders(&t, &t.carol, 1).await;
    assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), vec!["first"]);
}
