//! Folder permissions over the wire (MS-OXCPERM; MS-OXCROPS 2.2.10): RopGetPermissionsTable,
//! RopModifyPermissions, and what a logon without a full-access grant may do with the rights the
//! lists give it. Expected behaviour from MS-OXCPERM and Microsoft's MS-OXCPERM test suite
//! (OfficeDev/Interop-TestSuites ExchangeMAPI/Source/MS-OXCPERM, its requirement list cited by
//! number: MS-OXCPERM_Rnnn).

mod common;

use common::*;
use oxmapi_core::catalogue::tags::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::User;
use oxmapi_store::mailbox::SpecialFolder;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxcperm::{ModifyPermissionsRequest, PermissionData};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

const ACCESS_DENIED: u32 = 0x8007_0005;
const READ_ANY: i32 = 0x1;
const CREATE: i32 = 0x2;
const EDIT_OWNED: i32 = 0x8;
const DELETE_OWNED: i32 = 0x10;
const FOLDER_OWNER: i32 = 0x100;
const FOLDER_VISIBLE: i32 = 0x400;
const FREE_BUSY_SIMPLE: i32 = 0x800;
const FREE_BUSY_DETAILED: i32 = 0x1000;
/// Outlook's Reviewer: ReadAny | FolderVisible.
const REVIEWER: i32 = READ_ANY | FOLDER_VISIBLE;
/// Outlook's Author: ReadAny | Create | EditOwned | DeleteOwned | FolderVisible.
const AUTHOR: i32 = READ_ANY | CREATE | EDIT_OWNED | DELETE_OWNED | FOLDER_VISIBLE;

fn calendar(ts: &TestServer, owner: &User) -> ObjectId {
    server_store(ts, owner).special_folder(SpecialFolder::Calendar).unwrap()
}

fn get_permissions_table(input: u8, out: u8, flags: u8) -> RopRequest {
    RopRequest::GetPermissionsTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: flags,
    })
}

fn modify(input: u8, flags: u8, rows: Vec<(u8, Vec<TaggedValue>)>) -> RopRequest {
    RopRequest::ModifyPermissions(ModifyPermissionsRequest {
        logon_id: 0,
        input_handle_index: input,
        modify_flags: flags,
        permissions_data: rows
            .into_iter()
            .map(|(permission_data_flags, property_values)| PermissionData {
                permission_data_flags,
                property_values,
            })
            .collect(),
    })
}

/// An AddRow for `user` (MS-OXCPERM 3.1.4.2: PidTagEntryId and PidTagMemberRights).
fn add_user(user: &User, rights: i32) -> (u8, Vec<TaggedValue>) {
    let eid = oxmapi_core::entryid::EntryId::AbPermanent(oxmapi_core::entryid::AbPermanentEntryId {
        flags: 0,
        version: 1,
        display_type: 0,
        dn: user.legacy_dn.clone(),
    })
    .to_bytes();
    (
        0x01,
        vec![
            TaggedValue::new(PR_ENTRYID, PropValue::Binary(eid)),
            TaggedValue::new(PR_MEMBER_RIGHTS, PropValue::I32(rights)),
        ],
    )
}

/// A ModifyRow (3.1.4.3) or RemoveRow (3.1.4.4) by PidTagMemberId.
fn by_id(flag: u8, member_id: i64, rights: Option<i32>) -> (u8, Vec<TaggedValue>) {
    let mut v = vec![TaggedValue::new(PR_MEMBER_ID, PropValue::I64(member_id))];
    if let Some(r) = rights {
        v.push(TaggedValue::new(PR_MEMBER_RIGHTS, PropValue::I32(r)));
    }
    (flag, v)
}

/// Alice's changes to the permission list of `fid` on her own logon; the ReturnValue.
async fn alice_modifies(
    alice: &mut Logon,
    fid: ObjectId,
    flags: u8,
    rows: Vec<(u8, Vec<TaggedValue>)>,
) -> u32 {
    let (resp, _) = alice
        .m
        .rops(&[req::open_folder(0, 1, fid), modify(1, flags, rows), req::release(1)], alice.slots(1))
        .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    rv(&resp[1])
}

/// The permission list of `fid` as (member id, name, rights, entry ID length) rows.
async fn list(l: &mut Logon, fid: ObjectId, flags: u8) -> Result<Vec<(i64, String, i32, usize)>, u32> {
    let reqs = [
        req::open_folder(0, 1, fid),
        get_permissions_table(1, 2, flags),
        req::set_columns(2, &[PR_MEMBER_ID, PR_MEMBER_NAME, PR_MEMBER_RIGHTS, PR_ENTRYID]),
        req::query_rows(2, 100, true),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    for r in &resp[..3] {
        if rv(r) != 0 {
            return Err(rv(r));
        }
    }
    if rv(&resp[3]) != 0 {
        return Err(rv(&resp[3]));
    }
    Ok(rows_of(&resp[3])
        .iter()
        .map(|r| match &r.values[..] {
            [
                RowValue::Value(PropValue::I64(id)),
                RowValue::Value(PropValue::Unicode(name)),
                RowValue::Value(PropValue::I32(rights)),
                RowValue::Value(PropValue::Binary(eid)),
            ] => (*id, name.clone(), *rights, eid.len()),
            other => panic!("{other:?}"),
        })
        .collect())
}

struct Pair {
    ts: TestServer,
    alice: User,
    bob: User,
}

async fn pair() -> Pair {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    Pair { ts, alice, bob }
}

/// MS-OXCPERM 2.2.4–2.2.6 (R189, R190, R1079, R1080, R1070): a new folder's list has the
/// Default entry (member id 0, name "") and the Anonymous entry (member id -1, "Anonymous"),
/// both with an empty PidTagEntryId; the RopGetPermissionsTable response is the bare
/// RopId/OutputHandleIndex/ReturnValue (MS-OXCROPS 2.2.10.2.2).
#[tokio::test]
async fn the_permissions_table_lists_default_and_anonymous() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let rows = list(&mut alice, cal, 0).await.unwrap();
    assert_eq!(rows, vec![(0, String::new(), 0, 0), (-1, "Anonymous".into(), 0, 0)]);
}

/// AddRow, ModifyRow and RemoveRow (R47, R1187, R1188, R51, R52, R186); the user's row carries
/// the display name and AB entry ID (R1081, R1069); IncludeFreeBusy on both ROPs (R19, R40):
/// the free/busy flags are set only with it and reported only with it.
#[tokio::test]
async fn add_modify_and_remove_a_member_with_and_without_free_busy() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let fb = FREE_BUSY_SIMPLE | FREE_BUSY_DETAILED;
    assert_eq!(alice_modifies(&mut alice, cal, 0x02, vec![add_user(&p.bob, REVIEWER | fb)]).await, 0);
    let rows = list(&mut alice, cal, 0x02).await.unwrap();
    assert_eq!(rows.len(), 3);
    let (bob_id, name, rights, eid) = rows[2].clone();
    assert_eq!((name.as_str(), rights), ("bob display", REVIEWER | fb));
    assert!(bob_id > 0 && eid > 0);
    assert_eq!(
        list(&mut alice, cal, 0).await.unwrap()[2].2,
        REVIEWER,
        "no free/busy without IncludeFreeBusy"
    );

    // ModifyRow without IncludeFreeBusy keeps the free/busy flags the entry had.
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x02, bob_id, Some(AUTHOR))]).await, 0);
    assert_eq!(list(&mut alice, cal, 0x02).await.unwrap()[2].2, AUTHOR | fb);
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x04, bob_id, None)]).await, 0);
    assert_eq!(list(&mut alice, cal, 0).await.unwrap().len(), 2);
    // The Default entry is changed by ModifyRow on member id 0.
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x02, 0, Some(FOLDER_VISIBLE))]).await, 0);
    assert_eq!(list(&mut alice, cal, 0).await.unwrap()[0].2, FOLDER_VISIBLE);
}

/// ReplaceRows (R1197, R45): every entry but Default's is replaced; with a ModifyRow in it the
/// request is ecInvalidParam and nothing changes. Undefined rights flags are not set (R1093).
#[tokio::test]
async fn replace_rows_keeps_default_and_drops_undefined_flags() {
    let p = pair().await;
    let carol = p.ts.add_user("carol", false);
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let rows = vec![by_id(0x02, 0, Some(FOLDER_VISIBLE)), add_user(&p.bob, REVIEWER)];
    assert_eq!(alice_modifies(&mut alice, cal, 0, rows).await, 0);
    assert_eq!(
        alice_modifies(&mut alice, cal, 0x01, vec![add_user(&carol, READ_ANY | 0x0010_0000)]).await,
        0
    );
    let rows = list(&mut alice, cal, 0).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].2, FOLDER_VISIBLE, "Default kept");
    assert_eq!(
        (rows[2].1.as_str(), rows[2].2),
        ("carol display", READ_ANY),
        "carol replaced bob, flag dropped"
    );
    let bad = vec![add_user(&p.bob, REVIEWER), by_id(0x02, 0, Some(0))];
    assert_eq!(alice_modifies(&mut alice, cal, 0x01, bad).await, codes::MAPI_E_INVALID_PARAMETER.0);
    assert_eq!(list(&mut alice, cal, 0).await.unwrap().len(), 3);
}

/// Bob's logon to alice's mailbox (no full-access grant). With no right anywhere it is refused
/// with ecLoginPerm (MS-OXCSTOR 3.2.5.1.1).
async fn bob_on_alice(p: &Pair) -> Result<Logon, u32> {
    let mut m = connected_user(&p.ts, &p.bob).await;
    let (resp, handles) = m.rops(&[req::logon(0, 0, &p.alice.legacy_dn)], vec![u32::MAX]).await;
    let RopResponse::Logon(o) = &resp[0] else { panic!("{resp:?}") };
    if o.return_value != 0 {
        return Err(o.return_value);
    }
    let Some(oxmapi_wire::rop::oxcstor::LogonResponse::Private(l)) = &o.body else { panic!() };
    Ok(Logon { m, handle: handles[0], folders: l.folder_ids })
}

/// The names of the folders in the hierarchy table of `fid`, or the failing ReturnValue.
async fn children(l: &mut Logon, fid: ObjectId) -> Result<Vec<String>, u32> {
    let reqs = [
        req::open_folder(0, 1, fid),
        RopRequest::GetHierarchyTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: 1,
            output_handle_index: 2,
            table_flags: 0x40,
        }),
        req::set_columns(2, &[PR_DISPLAY_NAME]),
        req::query_rows(2, 100, true),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    if let Some(r) = resp[..4].iter().find(|r| rv(r) != 0) {
        return Err(rv(r));
    }
    Ok(rows_of(&resp[3])
        .iter()
        .map(|r| match &r.values[0] {
            RowValue::Value(v) => v.as_text().unwrap().into_owned(),
            other => panic!("{other:?}"),
        })
        .collect())
}

/// The subjects in folder `fid`'s contents table, or the failing ReturnValue.
async fn subjects(l: &mut Logon, fid: ObjectId) -> Result<Vec<String>, u32> {
    let reqs = [
        req::open_folder(0, 1, fid),
        req::contents_table(1, 2, 0x40),
        req::set_columns(2, &[PR_SUBJECT]),
        req::query_rows(2, 100, true),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    if let Some(r) = resp[..4].iter().find(|r| rv(r) != 0) {
        return Err(rv(r));
    }
    Ok(rows_of(&resp[3])
        .iter()
        .map(|r| match &r.values[0] {
            RowValue::Value(v) => v.as_text().unwrap().into_owned(),
            other => panic!("{other:?}"),
        })
        .collect())
}

/// Creates and saves a message with `subject` in `fid`: the MID, or the first failing
/// ReturnValue.
async fn create(l: &mut Logon, fid: ObjectId, subject: &str) -> Result<ObjectId, u32> {
    let reqs = [
        req::open_folder(0, 1, fid),
        req::create_message(1, 2, fid, false),
        req::set_props(2, vec![TaggedValue::new(PR_SUBJECT, PropValue::Unicode(subject.into()))]),
        req::save_message(1, 2, 0x02),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    if let Some(r) = resp[..4].iter().find(|r| rv(r) != 0) {
        return Err(rv(r));
    }
    let RopResponse::SaveChangesMessage(o) = &resp[3] else { panic!("{resp:?}") };
    Ok(o.body.as_ref().unwrap().message_id)
}

/// Sets the subject of message `mid` in `fid` and saves it: the first failing ReturnValue.
async fn edit(l: &mut Logon, fid: ObjectId, mid: ObjectId) -> u32 {
    let reqs = [
        req::open_folder(0, 1, fid),
        req::open_message(1, 2, fid, mid, 0x01),
        req::set_props(2, vec![TaggedValue::new(PR_SUBJECT, PropValue::Unicode("changed".into()))]),
        req::save_message(1, 2, 0x02),
        req::release(2),
        req::release(1),
    ];
    let (resp, _) = l.m.rops(&reqs, l.slots(2)).await;
    resp[..4].iter().map(rv).find(|c| *c != 0).unwrap_or(0)
}

/// Hard-deletes `mids` of `fid`: the first failing ReturnValue (0 when none) and
/// PartialCompletion.
async fn delete(l: &mut Logon, fid: ObjectId, mids: Vec<ObjectId>) -> (u32, bool) {
    let (resp, _) =
        l.m.rops(
            &[req::open_folder(0, 1, fid), req::delete_messages(1, mids, true), req::release(1)],
            l.slots(1),
        )
        .await;
    let RopResponse::HardDeleteMessages(o) = &resp[1] else { panic!("{resp:?}") };
    let partial = o.body.as_ref().is_some_and(|b| b.partial_completion != 0);
    (resp[..2].iter().map(rv).find(|c| *c != 0).unwrap_or(0), partial)
}

/// Without any right bob's RopLogon to alice's mailbox is ecLoginPerm; once alice makes him a
/// Reviewer of her Calendar the logon works, shows him only the Calendar in the IPM subtree
/// (R103), reads it (R143) — and refuses to create (R141), to open the Inbox (R1192), to change
/// the folder or its permission list (R181), each with ecAccessDenied.
#[tokio::test]
async fn a_reviewer_cannot_create_in_the_calendar() {
    let p = pair().await;
    assert_eq!(bob_on_alice(&p).await.err(), Some(codes::EC_LOGIN_PERM.0), "no rights: no logon");
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    create(&mut alice, cal, "Dentist").await.unwrap();
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, REVIEWER)]).await, 0);

    let mut bob = bob_on_alice(&p).await.expect("a reviewer logs on");
    let ipm = bob.folders[3];
    assert_eq!(children(&mut bob, ipm).await.unwrap(), vec!["Calendar".to_string()]);
    assert_eq!(subjects(&mut bob, cal).await.unwrap(), vec!["Dentist".to_string()]);
    assert_eq!(create(&mut bob, cal, "planted").await, Err(ACCESS_DENIED));
    let inbox = bob.inbox();
    assert_eq!(subjects(&mut bob, inbox).await, Err(ACCESS_DENIED));
    assert_eq!(children(&mut bob, inbox).await, Err(ACCESS_DENIED));
    let set = [
        req::open_folder(0, 1, cal),
        req::set_props(1, vec![TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode("Mine".into()))]),
        modify(1, 0, vec![by_id(0x02, 0, Some(REVIEWER))]),
    ];
    let (resp, _) = bob.m.rops(&set, bob.slots(1)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1]), rv(&resp[2])), (0, ACCESS_DENIED, ACCESS_DENIED));
    // The reviewer may read the list (FolderVisible, R103/R2014).
    assert_eq!(list(&mut bob, cal, 0).await.unwrap().len(), 3);
    assert_eq!(subjects(&mut alice, cal).await.unwrap(), vec!["Dentist".to_string()], "nothing planted");
}

/// A permission removed while bob's logon is open takes effect at his next ROP: the contents
/// table he holds answers ecAccessDenied (R2007's code), and the folder cannot be opened again.
#[tokio::test]
async fn a_removed_member_loses_access_at_once() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    create(&mut alice, cal, "Dentist").await.unwrap();
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, REVIEWER)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let open =
        [req::open_folder(0, 1, cal), req::contents_table(1, 2, 0x40), req::set_columns(2, &[PR_SUBJECT])];
    let (resp, handles) = bob.m.rops(&open, bob.slots(2)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let bob_id = list(&mut alice, cal, 0).await.unwrap()[2].0;
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x04, bob_id, None)]).await, 0);
    let (resp, _) = bob.m.rops(&[req::query_rows(2, 10, true)], handles).await;
    assert_eq!(rv(&resp[0]), ACCESS_DENIED);
    assert_eq!(subjects(&mut bob, cal).await, Err(ACCESS_DENIED));
}

/// RopModifyPermissions needs FolderOwner (R180/R181; with it the change is made, R115002 as
/// Exchange 2010 and later); RopQueryRows on the permissions table needs FolderVisible (R2007).
#[tokio::test]
async fn only_a_folder_owner_changes_the_permission_list() {
    let p = pair().await;
    let carol = p.ts.add_user("carol", false);
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, AUTHOR)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let (resp, _) = bob
        .m
        .rops(&[req::open_folder(0, 1, cal), modify(1, 0, vec![add_user(&carol, REVIEWER)])], bob.slots(1))
        .await;
    assert_eq!(rv(&resp[1]), ACCESS_DENIED);
    let bob_id = list(&mut alice, cal, 0).await.unwrap()[2].0;
    assert_eq!(
        alice_modifies(&mut alice, cal, 0, vec![by_id(0x02, bob_id, Some(FOLDER_OWNER | FOLDER_VISIBLE))])
            .await,
        0
    );
    let (resp, _) = bob
        .m
        .rops(&[req::open_folder(0, 1, cal), modify(1, 0, vec![add_user(&carol, REVIEWER)])], bob.slots(1))
        .await;
    assert_eq!(rv(&resp[1]), 0);
    assert_eq!(list(&mut alice, cal, 0).await.unwrap().len(), 4);
    // FolderContact alone: the table opens, RopQueryRows is ecAccessDenied (R2007).
    let open = [req::open_folder(0, 1, cal), get_permissions_table(1, 2, 0)];
    let (resp, handles) = bob.m.rops(&open, bob.slots(2)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x02, bob_id, Some(0x200))]).await, 0);
    let (resp, _) =
        bob.m.rops(&[req::set_columns(2, &[PR_MEMBER_ID]), req::query_rows(2, 10, true)], handles).await;
    assert_eq!(rv(&resp[1]), ACCESS_DENIED);
}

/// EditOwned and DeleteOwned follow the message's creator (R131/R132, R127/R128; R125, R122 for
/// others' messages); the server stamps PidTagCreatorEntryId and a delegate cannot forge it.
#[tokio::test]
async fn an_author_edits_and_deletes_only_their_own_items() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let hers = create(&mut alice, cal, "alice's").await.unwrap();
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, AUTHOR)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let his = create(&mut bob, cal, "bob's").await.unwrap();
    assert_eq!(edit(&mut bob, cal, his).await, 0);
    assert_eq!(edit(&mut bob, cal, hers).await, ACCESS_DENIED);
    // DeleteOwned only: a request naming her message and his deletes his and answers
    // PartialCompletion (MS-OXCFOLD R991/R1147, the MS-OXCFOLD suite's S05_TC02).
    let his2 = create(&mut bob, cal, "bob's second").await.unwrap();
    assert_eq!(delete(&mut bob, cal, vec![hers, his2]).await, (0, true));
    // Forging the creator is refused.
    let forge = [
        req::open_folder(0, 1, cal),
        req::create_message(1, 2, cal, false),
        req::set_props(2, vec![TaggedValue::new(PR_CREATOR_ENTRYID, PropValue::Binary(vec![0; 28]))]),
    ];
    let (resp, _) = bob.m.rops(&forge, bob.slots(2)).await;
    assert_eq!(rv(&resp[2]), ACCESS_DENIED);
    assert_eq!(delete(&mut bob, cal, vec![his]).await, (0, false));
    assert_eq!(subjects(&mut alice, cal).await.unwrap(), vec!["alice's".to_string()]);
}

/// MS-OXCPERM 3.2.5.3 (R183, R152): RopOpenStream on PidTagSecurityDescriptorAsXml of a folder
/// is answered ecNotImplemented, which the test suite expects as 0x80040102.
#[tokio::test]
async fn the_security_descriptor_stream_is_not_implemented() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let open = RopRequest::OpenStream(oxmapi_wire::rop::oxcprpt::OpenStreamRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
        property_tag: PR_NT_SECURITY_DESCRIPTOR_AS_XML,
        open_mode_flags: 0,
    });
    let (resp, _) = alice.m.rops(&[req::open_folder(0, 1, cal), open], alice.slots(2)).await;
    assert_eq!(rv(&resp[1]), 0x8004_0102);
}

/// A subscribed contents table of a reviewer stops carrying rows the moment the permission is
/// removed: the owner's next message reaches it while bob may read the folder, and not after.
#[tokio::test]
async fn a_removed_member_gets_no_more_rows_by_notification() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, REVIEWER)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let open = [
        req::open_folder(0, 1, cal),
        req::contents_table(1, 2, 0x40),
        req::set_columns(2, &[PR_MID, PR_SUBJECT]),
        req::sort(
            2,
            vec![oxmapi_core::sort::SortOrder {
                tag: PR_SUBJECT,
                direction: oxmapi_core::sort::SortDirection::Ascend,
            }],
        ),
        req::query_rows(2, 10, true),
    ];
    let (resp, _) = bob.m.rops(&open, bob.slots(2)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let first = create(&mut alice, cal, "first").await.unwrap();
    let got = drain(&mut bob).await;
    assert!(got.iter().any(|n| n.data.table_row_message_id == Some(first)), "control: {got:?}");
    let bob_id = list(&mut alice, cal, 0).await.unwrap()[2].0;
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x04, bob_id, None)]).await, 0);
    let second = create(&mut alice, cal, "second").await.unwrap();
    let got = drain(&mut bob).await;
    assert!(!got.iter().any(|n| n.data.table_row_message_id == Some(second)), "{got:?}");
}

/// A copy from bob's own mailbox (his own logon, LogonId 0) into alice's Calendar, opened
/// through his logon limited to Reviewer (LogonId 1), is checked against the destination's
/// list: no Create, ecAccessDenied, nothing lands there (MS-OXCPERM R141).
#[tokio::test]
async fn a_reviewer_cannot_copy_into_the_calendar_from_his_own_mailbox() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, REVIEWER)]).await, 0);
    let mut own = logon_private(&p.ts, &p.bob).await;
    let inbox = own.inbox();
    let mid = create(&mut own, inbox, "planted").await.unwrap();
    let other = req::logon(1, 1, &p.alice.legacy_dn);
    let open_cal = RopRequest::OpenFolder(oxmapi_wire::rop::oxcfold::OpenFolderRequest {
        logon_id: 1,
        input_handle_index: 1,
        output_handle_index: 3,
        folder_id: cal,
        open_mode_flags: 0,
    });
    let reqs = [other, req::open_folder(0, 2, inbox), open_cal, req::move_copy(2, 3, vec![mid], true)];
    let (resp, _) = own.m.rops(&reqs, own.slots(3)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1]), rv(&resp[2])), (0, 0, 0), "{resp:?}");
    assert_eq!(rv(&resp[3]), ACCESS_DENIED, "{resp:?}");
    assert_eq!(subjects(&mut alice, cal).await.unwrap(), Vec::<String>::new());
}

/// PidTagRights of a folder is the logon's own rights on it (MS-OXCFOLD 2.2.2.2.2.8, the
/// PidTagMemberRights flags without free/busy): everything but free/busy for the owner, the
/// list's rights for bob, FolderVisible added for his ReadAny (MS-OXCPERM R104).
#[tokio::test]
async fn pidtagrights_tells_each_logon_its_own_rights() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    assert_eq!(
        alice_modifies(&mut alice, cal, 0x02, vec![add_user(&p.bob, READ_ANY | FREE_BUSY_SIMPLE)]).await,
        0
    );
    let rights = |resp: &[RopResponse]| props_of(&resp[1])[0].clone();
    let get = [req::open_folder(0, 1, cal), req::get_props(1, &[PR_RIGHTS])];
    let (resp, _) = alice.m.rops(&get, alice.slots(1)).await;
    assert_eq!(rights(&resp), RowValue::Value(PropValue::I32(0x7FB)));
    let mut bob = bob_on_alice(&p).await.unwrap();
    let (resp, _) = bob.m.rops(&get, bob.slots(1)).await;
    assert_eq!(rights(&resp), RowValue::Value(PropValue::I32(READ_ANY | FOLDER_VISIBLE)));
}

/// A folder bob creates with CreateSubFolder (MS-OXCPERM R118) is his: he may open it, create
/// and change items in it and set its list, while the parent stays as alice set it.
#[tokio::test]
async fn a_delegate_owns_the_folder_it_creates() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    let rights = FOLDER_VISIBLE | 0x80;
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, rights)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let (resp, _) = bob
        .m
        .rops(&[req::open_folder(0, 1, cal), req::create_folder(1, 2, "Bob's", false)], bob.slots(2))
        .await;
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    let sub = o.body.as_ref().expect("created").folder_id;
    let mid = create(&mut bob, sub, "mine").await.unwrap();
    assert_eq!(edit(&mut bob, sub, mid).await, 0);
    assert_eq!(list(&mut bob, sub, 0).await.unwrap()[2].2, 0x7FB);
    assert_eq!(create(&mut bob, cal, "not here").await, Err(ACCESS_DENIED));
}

/// A folder's server-side rules are its owner's (gromox's rop_getrulestable/rop_modifyrules
/// answer ecAccessDenied without frightsOwner): an editor of alice's Inbox can neither list nor
/// change its rules, and the owner still can.
#[tokio::test]
async fn an_editor_cannot_read_or_change_the_folders_rules() {
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let inbox = alice.inbox();
    const EDITOR: i32 = 0x47B;
    assert_eq!(alice_modifies(&mut alice, inbox, 0, vec![add_user(&p.bob, EDITOR)]).await, 0);
    let rules_table = |input: u8, out: u8| {
        RopRequest::GetRulesTable(GetTableRequest {
            logon_id: 0,
            input_handle_index: input,
            output_handle_index: out,
            table_flags: 0x40,
        })
    };
    let modify_rules = RopRequest::ModifyRules(oxmapi_wire::rop::oxorule::ModifyRulesRequest {
        logon_id: 0,
        input_handle_index: 1,
        modify_rules_flag: 0,
        rules_data: Vec::new(),
    });
    let mut bob = bob_on_alice(&p).await.expect("an editor logs on");
    let reqs = [req::open_folder(0, 1, inbox), rules_table(1, 2), modify_rules.clone()];
    let (resp, _) = bob.m.rops(&reqs, bob.slots(2)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1]), rv(&resp[2])), (0, ACCESS_DENIED, ACCESS_DENIED));
    let (resp, _) = alice.m.rops(&reqs, alice.slots(2)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1]), rv(&resp[2])), (0, 0, 0), "the owner's own rules");
}

// Public folders (issue 17 item 5): the public store's folders and messages through the same
// ROPs, each public logon limited by the folders' permission lists (MS-OXCPERM 3.2.4.1) like a
// delegate logon; an administrator's public logon may do everything.

/// Creates folder `name` under `parent`: its FID, or the failing ReturnValue.
async fn mkdir(l: &mut Logon, parent: ObjectId, name: &str) -> Result<ObjectId, u32> {
    let (resp, _) =
        l.m.rops(
            &[
                req::open_folder(0, 1, parent),
                req::create_folder(1, 2, name, false),
                req::release(2),
                req::release(1),
            ],
            l.slots(2),
        )
        .await;
    if let Some(r) = resp[..2].iter().find(|r| rv(r) != 0) {
        return Err(rv(r));
    }
    let RopResponse::CreateFolder(o) = &resp[1] else { panic!("{resp:?}") };
    Ok(o.body.as_ref().expect("created").folder_id)
}

/// Public folders enabled, alice and bob, and a public folder alice created with one item.
async fn public_pair() -> (Pair, Logon, ObjectId, ObjectId) {
    let p = pair().await;
    p.ts.site(|d| d.set_public_folders(true).unwrap());
    let mut alice = logon_public(&p.ts, &p.alice).await;
    let top = alice.folders[1];
    let fid = mkdir(&mut alice, top, "Company-Contacts").await.unwrap();
    let mid = create(&mut alice, fid, "Reception +49 30 1234").await.unwrap();
    (p, alice, fid, mid)
}

/// The integrator case of the issue: alice creates a public folder and an item in it; she owns
/// the folder (her entry has Outlook's Owner rights, 0x7FB) and its Default entry is Reviewer;
/// bob sees the folder at the top of the public folders and reads the item — and his
/// RopHardDeleteMessages, RopModifyPermissions and RopCreateMessage there are ecAccessDenied
/// (MS-OXCPERM R121/R127, R181, R141), while the item stays.
#[tokio::test]
async fn a_reviewer_cannot_delete_a_public_item() {
    let (p, mut alice, fid, mid) = public_pair().await;
    let perms = list(&mut alice, fid, 0).await.unwrap();
    assert_eq!(perms[0].0, 0, "Default first");
    assert_eq!(perms[0].2, REVIEWER, "a new public folder: Default is Reviewer");
    assert_eq!(perms[2].1, "alice display", "{perms:?}");
    assert_eq!(perms[2].2, 0x7FB, "the creator owns it");
    let mut bob = logon_public(&p.ts, &p.bob).await;
    let top = bob.folders[1];
    assert_eq!(children(&mut bob, top).await.unwrap(), vec!["Company-Contacts".to_string()]);
    assert_eq!(subjects(&mut bob, fid).await.unwrap(), vec!["Reception +49 30 1234".to_string()]);
    assert_eq!(delete(&mut bob, fid, vec![mid]).await.0, ACCESS_DENIED);
    assert_eq!(edit(&mut bob, fid, mid).await, ACCESS_DENIED);
    assert_eq!(create(&mut bob, fid, "spam").await, Err(ACCESS_DENIED));
    let (resp, _) = bob
        .m
        .rops(
            &[req::open_folder(0, 1, fid), modify(1, 0, vec![by_id(0x02, 0, Some(0x7FB))]), req::release(1)],
            bob.slots(1),
        )
        .await;
    assert_eq!(rv(&resp[1]), ACCESS_DENIED, "only the folder owner changes the list");
    assert_eq!(subjects(&mut alice, fid).await.unwrap().len(), 1, "the item stays");
    assert_eq!(delete(&mut alice, fid, vec![mid]).await.0, 0, "its owner deletes it");
}

/// The owner of a public folder sets its Default entry to none: bob no longer sees the folder
/// in the hierarchy (R103) nor opens it (ecAccessDenied); made an Author he creates there, and
/// deletes his own item but not alice's (R127/R121).
#[tokio::test]
async fn a_public_folder_closed_by_its_owner_is_hidden() {
    let (p, mut alice, fid, mid) = public_pair().await;
    assert_eq!(alice_modifies(&mut alice, fid, 0, vec![by_id(0x02, 0, Some(0))]).await, 0);
    let mut bob = logon_public(&p.ts, &p.bob).await;
    let top = bob.folders[1];
    assert_eq!(children(&mut bob, top).await.unwrap(), Vec::<String>::new());
    assert_eq!(subjects(&mut bob, fid).await, Err(ACCESS_DENIED));
    assert_eq!(alice_modifies(&mut alice, fid, 0, vec![add_user(&p.bob, AUTHOR)]).await, 0);
    let mine = create(&mut bob, fid, "bob's").await.unwrap();
    // DeleteOwned only: his goes, hers stays, PartialCompletion (MS-OXCFOLD R991/R1147).
    assert_eq!(delete(&mut bob, fid, vec![mid, mine]).await, (0, true));
    assert_eq!(subjects(&mut alice, fid).await.unwrap(), vec!["Reception +49 30 1234".to_string()]);
}

/// Anyone may create a top-level public folder (and then owns it), but not a message at the
/// top of the public folders nor a folder inside someone else's public folder without
/// CreateSubFolder (R118).
#[tokio::test]
async fn a_user_cannot_create_a_subfolder_in_anothers_public_folder() {
    let (p, _alice, fid, _) = public_pair().await;
    let mut bob = logon_public(&p.ts, &p.bob).await;
    let top = bob.folders[1];
    assert_eq!(mkdir(&mut bob, fid, "Inside").await, Err(ACCESS_DENIED));
    assert_eq!(create(&mut bob, top, "at the top").await, Err(ACCESS_DENIED));
    assert_eq!(subjects(&mut bob, top).await, Ok(vec![]), "the top reads, empty");
    let own = mkdir(&mut bob, top, "Bob's Public").await.unwrap();
    assert_eq!(create(&mut bob, own, "hello").await.map(|_| ()), Ok(()));
}

/// The public store's own folders stay readable by every user after the permission gate came
/// to public logons: bob sees IPM_SUBTREE and NON_IPM_SUBTREE under the public root and opens
/// the free/busy folder (MS-OXCSTOR 2.2.1.1.4 FolderIds), but cannot create in it.
#[tokio::test]
async fn the_public_system_folders_stay_readable_but_not_writable() {
    let p = pair().await;
    p.ts.site(|d| d.set_public_folders(true).unwrap());
    let mut bob = logon_public(&p.ts, &p.bob).await;
    let (root, free_busy) = (bob.folders[0], bob.folders[4]);
    let names = children(&mut bob, root).await.unwrap();
    assert!(
        names.iter().any(|n| n == "IPM_SUBTREE") && names.iter().any(|n| n == "NON_IPM_SUBTREE"),
        "{names:?}"
    );
    assert_eq!(subjects(&mut bob, free_busy).await.map(|_| ()), Ok(()));
    assert_eq!(create(&mut bob, free_busy, "forged").await, Err(ACCESS_DENIED));
}

/// An administrator's public logon is not limited by the permission lists (it deletes an item
/// in alice's folder); the administrator flag counts as the directory holds it at RopLogon, not
/// as at Connect: withdrawn in between, the logon is limited like any user's.
#[tokio::test]
async fn a_demoted_administrator_cannot_delete_a_public_item() {
    let (p, _alice, fid, mid) = public_pair().await;
    let root = p.ts.add_user("root", true);
    let mut admin = logon_public(&p.ts, &root).await;
    let spare = create(&mut admin, fid, "spare").await.unwrap();
    assert_eq!(delete(&mut admin, fid, vec![spare]).await, (0, false));
    let connected = connected_user(&p.ts, &root).await;
    p.ts.site(|d| d.directory().unwrap().set_admin("root", false).unwrap());
    let mut demoted = logon_public_on(connected).await;
    assert_eq!(delete(&mut demoted, fid, vec![mid]).await.0, ACCESS_DENIED);
}

/// The administrator flag withdrawn while the administrator's public logon is open: that logon
/// was unlimited by the permission lists, so it is revoked at the next request (ecAccessDenied
/// on every ROP through it) instead of keeping its rights until the client logs on again.
#[tokio::test]
async fn an_open_public_logon_of_a_demoted_administrator_is_revoked() {
    let (p, mut alice, fid, mid) = public_pair().await;
    let root = p.ts.add_user("root", true);
    let mut admin = logon_public(&p.ts, &root).await;
    let spare = create(&mut admin, fid, "spare").await.unwrap();
    assert_eq!(delete(&mut admin, fid, vec![spare]).await, (0, false));
    p.ts.site(|d| d.directory().unwrap().set_admin("root", false).unwrap());
    assert_eq!(delete(&mut admin, fid, vec![mid]).await.0, ACCESS_DENIED);
    assert_eq!(subjects(&mut alice, fid).await.unwrap().len(), 1, "alice's item stays");
}

/// RopExpandRow / RopCollapseRow pass the access gate like the other table ROPs (read access
/// to the contents table: ReadAny on its folder, MS-OXCPERM 2.2.7): a reviewer works the
/// categories of a categorized view, and once removed from the list is refused at once.
#[tokio::test]
async fn a_removed_reviewer_can_no_longer_expand_or_collapse_a_category() {
    use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
    use oxmapi_wire::rop::oxctabl::{CollapseRowRequest, ExpandRowRequest, SortTableRequest};
    let p = pair().await;
    let mut alice = logon_private(&p.ts, &p.alice).await;
    let cal = calendar(&p.ts, &p.alice);
    create(&mut alice, cal, "Dentist").await.unwrap();
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![add_user(&p.bob, REVIEWER)]).await, 0);
    let mut bob = bob_on_alice(&p).await.unwrap();
    let by_subject = RopRequest::SortTable(SortTableRequest {
        logon_id: 0,
        input_handle_index: 2,
        sort_table_flags: 0,
        sort_orders: SortOrderSet {
            orders: vec![SortOrder { tag: PR_SUBJECT, direction: SortDirection::Ascend }],
            categorized_count: 1,
            expanded_count: 1,
        },
    });
    let open = [
        req::open_folder(0, 1, cal),
        req::contents_table(1, 2, 0x40),
        req::set_columns(2, &[PR_INST_ID, PR_ROW_TYPE, PR_SUBJECT]),
        by_subject,
        req::query_rows(2, 10, true),
    ];
    let (resp, handles) = bob.m.rops(&open, bob.slots(2)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let rows = rows_of(&resp[4]);
    let RowValue::Value(PropValue::I64(category)) = rows[0].values[0] else { panic!("{rows:?}") };
    let collapse = RopRequest::CollapseRow(CollapseRowRequest {
        logon_id: 0,
        input_handle_index: 2,
        category_id: category as u64,
    });
    let (resp, handles) = bob.m.rops(&[collapse], handles).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    let bob_id = list(&mut alice, cal, 0).await.unwrap()[2].0;
    assert_eq!(alice_modifies(&mut alice, cal, 0, vec![by_id(0x04, bob_id, None)]).await, 0);
    let expand = RopRequest::ExpandRow(ExpandRowRequest {
        logon_id: 0,
        input_handle_index: 2,
        max_row_count: 10,
        category_id: category as u64,
    });
    let (resp, _) = bob.m.rops(&[expand], handles).await;
    assert_eq!(rv(&resp[0]), ACCESS_DENIED);
}
