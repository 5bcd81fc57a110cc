//! RopReadPerUserInformation / RopWritePerUserInformation and the per-user ROPs that list what
//! they wrote (MS-OXCSTOR 2.2.1.10–2.2.1.13, 3.2.5.10–3.2.5.13) over real HTTP with raw
//! oxmapi-wire. Expected behaviour from the spec and Microsoft's MS-OXCSTOR suite
//! (S03_SyncUpReadAndUnreadInformation): chunked reads and writes, HasFinished, ecError
//! 0x80004005 for an offset out of step (R1042, R1260, R601, R1019, R1033), MaxDataSize 0 read as
//! 4096 (R1005), an empty row read as empty data (R1257).

mod common;

use common::*;
use oxmapi_core::error::codes;
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_store::User;
use oxmapi_wire::rop::outcome::Outcome;
use oxmapi_wire::rop::oxcstor::LongTermIdFromIdRequest;
use oxmapi_wire::rop::peruser::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

/// ecError (MS-OXCSTOR 3.2.5.12.1/3.2.5.13.1).
const EC_ERROR: u32 = 0x8000_4005;

/// A serialized IDSET with REPLGUID (MS-OXCFXICS 2.2.2.4.2) of change numbers 1..=`n`: the
/// REPLGUID, one Range command (0x52, low and high GLOBCNT), End.
fn idset(g: Guid, n: u64) -> Vec<u8> {
    let mut b = g.0.to_vec();
    b.push(0x52);
    b.extend_from_slice(&oxmapi_core::ids::counter_to_be(1));
    b.extend_from_slice(&oxmapi_core::ids::counter_to_be(n));
    b.push(0x00);
    b
}

fn read(folder: LongTermId, offset: u32, max: u16) -> RopRequest {
    RopRequest::ReadPerUserInformation(ReadPerUserInformationRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: folder,
        reserved: 0,
        data_offset: offset,
        max_data_size: max,
    })
}

fn write(
    folder: LongTermId,
    offset: u32,
    data: &[u8],
    finished: bool,
    repl_guid: Option<Guid>,
) -> RopRequest {
    RopRequest::WritePerUserInformation(WritePerUserInformationRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: folder,
        has_finished: u8::from(finished),
        data_offset: offset,
        data: data.to_vec(),
        repl_guid,
    })
}

/// The (HasFinished, Data) of a successful read.
fn data_of(r: &RopResponse) -> (u8, Vec<u8>) {
    let RopResponse::ReadPerUserInformation(Outcome { return_value: 0, body: Some(b), .. }) = r else {
        panic!("{r:?}")
    };
    (b.has_finished, b.data.clone())
}

/// RopLongTermIdFromId of `fid` on `l`.
async fn long_term_id(l: &mut Logon, fid: ObjectId) -> LongTermId {
    let q = RopRequest::LongTermIdFromId(LongTermIdFromIdRequest {
        logon_id: 0,
        input_handle_index: 0,
        object_id: fid,
    });
    let (resp, _) = l.m.rops(&[q], l.slots(0)).await;
    let RopResponse::LongTermIdFromId(o) = &resp[0] else { panic!("{resp:?}") };
    o.body.as_ref().expect("a long-term id").long_term_id
}

/// A server with public folders, alice and bob, and the long-term id of the public IPM subtree.
async fn setup() -> (TestServer, User, User, LongTermId) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let bob = ts.add_user("bob", false);
    ts.site(|d| d.set_public_folders(true).unwrap());
    let mut p = logon_public(&ts, &alice).await;
    let ipm = p.folders[1];
    let ltid = long_term_id(&mut p, ipm).await;
    (ts, alice, bob, ltid)
}

/// On a private logon: written in two chunks (ReplGuid with the first), read back in chunks
/// (MaxDataSize 1, then 0 = up to 4096) with HasFinished false then true; listed by
/// RopGetPerUserLongTermIds under its REPLGUID, answered by RopGetPerUserGuid; kept across
/// sessions; an empty write removes it (MSOXCSTOR_S03_TC03 steps 4–5).
#[tokio::test]
async fn per_user_data_round_trips_in_chunks_on_a_mailbox_logon() {
    let (ts, alice, _, folder) = setup().await;
    let repl = Guid([0x5A; 16]);
    let blob = idset(folder.database_guid, 40);
    let mut a = logon_private(&ts, &alice).await;
    let (resp, _) =
        a.m.rops(
            &[write(folder, 0, &blob[..10], false, Some(repl)), write(folder, 10, &blob[10..], true, None)],
            a.slots(0),
        )
        .await;
    assert_eq!((rv(&resp[0]), rv(&resp[1])), (0, 0), "{resp:?}");
    let (resp, _) = a.m.rops(&[read(folder, 0, 1), read(folder, 1, 0)], a.slots(0)).await;
    let (first, rest) = (data_of(&resp[0]), data_of(&resp[1]));
    assert_eq!(first, (0, blob[..1].to_vec()));
    assert_eq!(rest, (1, blob[1..].to_vec()));

    let mut again = logon_private(&ts, &alice).await;
    let ids = RopRequest::GetPerUserLongTermIds(GetPerUserLongTermIdsRequest {
        logon_id: 0,
        input_handle_index: 0,
        database_guid: repl,
    });
    let guid = RopRequest::GetPerUserGuid(GetPerUserGuidRequest {
        logon_id: 0,
        input_handle_index: 0,
        long_term_id: folder,
    });
    let (resp, _) = again.m.rops(&[read(folder, 0, 0), ids.clone(), guid.clone()], again.slots(0)).await;
    assert_eq!(data_of(&resp[0]), (1, blob.clone()), "kept");
    let RopResponse::GetPerUserLongTermIds(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().unwrap().long_term_ids, vec![folder]);
    let RopResponse::GetPerUserGuid(o) = &resp[2] else { panic!("{resp:?}") };
    assert_eq!(o.body.as_ref().unwrap().database_guid, repl);

    let (resp, _) = again
        .m
        .rops(&[write(folder, 0, &[], true, Some(repl)), read(folder, 0, 0), guid], again.slots(0))
        .await;
    assert_eq!(rv(&resp[0]), 0);
    assert_eq!(data_of(&resp[1]), (1, Vec::new()), "an empty write leaves no data");
    assert_eq!(rv(&resp[2]), codes::MAPI_E_NOT_FOUND.0);
}

/// Offsets out of step: a read at DataOffset 0xFFFFFFFF ("less than zero", R1042) or past the
/// end (R1260) is ecError; a write continuing at the wrong offset or for another folder fails
/// with ecError and discards the upload (R601, R1019), so the right continuation then fails too
/// (R1033) and nothing is stored.
#[tokio::test]
async fn per_user_offsets_out_of_step_are_refused() {
    let (ts, alice, _, folder) = setup().await;
    let blob = idset(folder.database_guid, 3);
    let mut a = logon_private(&ts, &alice).await;
    let (resp, _) =
        a.m.rops(&[read(folder, 0xFFFF_FFFF, 0), read(folder, 1, 0), read(folder, 0, 0)], a.slots(0)).await;
    assert_eq!((rv(&resp[0]), rv(&resp[1])), (EC_ERROR, EC_ERROR), "{resp:?}");
    assert_eq!(data_of(&resp[2]), (1, Vec::new()), "no row: empty (R1257)");
    let mut other = folder;
    other.global_counter += 1;
    let (resp, _) =
        a.m.rops(
            &[
                write(folder, 0, &blob[..5], false, Some(folder.database_guid)),
                write(folder, 6, &blob[6..], true, None),
                write(folder, 5, &blob[5..], true, None),
                write(folder, 0, &blob[..5], false, Some(folder.database_guid)),
                write(other, 5, &blob[5..], true, None),
                write(folder, 5, &blob[5..], true, None),
                read(folder, 0, 0),
            ],
            a.slots(0),
        )
        .await;
    let codes_: Vec<u32> = resp[..6].iter().map(rv).collect();
    assert_eq!(codes_, vec![0, EC_ERROR, EC_ERROR, 0, EC_ERROR, EC_ERROR], "{resp:?}");
    assert_eq!(data_of(&resp[6]), (1, Vec::new()), "nothing stored");
}

/// Hostile writes: data that is not an IDSET with REPLGUID is MAPI_E_CORRUPT_DATA (0x8004011B,
/// MS-OXCSTOR 3.2.5.13.1); an upload past the per-folder limit (1 MiB) is MAPI_E_TOO_BIG and is
/// discarded; a long-term id that is not a public folder — the user's own Inbox, a folder of
/// another store, an unknown one — is ecNotFound on a mailbox logon, and any folder is when
/// public folders are off.
#[tokio::test]
async fn hostile_per_user_writes_are_refused() {
    let (ts, alice, _, folder) = setup().await;
    let mut a = logon_private(&ts, &alice).await;
    let inbox = a.inbox();
    let own = long_term_id(&mut a, inbox).await;
    let (resp, _) =
        a.m.rops(&[write(folder, 0, b"not an idset at all", true, Some(Guid([1; 16])))], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_CORRUPT_DATA.0, "{resp:?}");

    // Chunks of 30000 bytes (a ROP buffer holds 32 KiB): the 35th passes 1 MiB.
    const CHUNK: u32 = 30_000;
    let chunk = vec![0u8; CHUNK as usize];
    let mut refused_at = None;
    for i in 0..40u32 {
        let q = write(folder, i * CHUNK, &chunk, false, (i == 0).then_some(Guid([1; 16])));
        let (resp, _) = a.m.rops(&[q], a.slots(0)).await;
        if rv(&resp[0]) != 0 {
            assert_eq!(rv(&resp[0]), codes::MAPI_E_TOO_BIG.0, "{resp:?}");
            refused_at = Some(i);
            break;
        }
    }
    assert_eq!(refused_at, Some(34), "1 MiB = 34.95 chunks");
    let (resp, _) = a.m.rops(&[write(folder, 35 * CHUNK, &[0], true, None)], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), EC_ERROR, "the upload was discarded");

    let unknown = LongTermId { database_guid: Guid([9; 16]), global_counter: 1, pad: 0 };
    let mut missing = folder;
    missing.global_counter = 0xFFFF_FFFF;
    for ltid in [own, unknown, missing] {
        let blob = idset(ltid.database_guid, 1);
        let (resp, _) =
            a.m.rops(&[write(ltid, 0, &blob, true, Some(ltid.database_guid)), read(ltid, 0, 0)], a.slots(0))
                .await;
        assert_eq!(
            (rv(&resp[0]), rv(&resp[1])),
            (codes::MAPI_E_NOT_FOUND.0, codes::MAPI_E_NOT_FOUND.0),
            "{ltid:?}"
        );
    }
    ts.site(|d| d.set_public_folders(false).unwrap());
    let (resp, _) = a.m.rops(&[read(folder, 0, 0)], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), codes::MAPI_E_NOT_FOUND.0, "public folders off");
}

/// On a public folders logon the rows are each user's own: bob does not read alice's read state
/// of the same folder; RopGetPerUserLongTermIds / RopGetPerUserGuid are ecNotSupported there
/// (MS-OXCSTOR 3.2.5.10/3.2.5.11); a folder handle is not a logon (ecNotSupported).
#[tokio::test]
async fn public_per_user_data_is_per_user() {
    let (ts, alice, bob, folder) = setup().await;
    let blob = idset(folder.database_guid, 7);
    let mut a = logon_public(&ts, &alice).await;
    let (resp, _) = a.m.rops(&[write(folder, 0, &blob, true, None), read(folder, 0, 0)], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    assert_eq!(data_of(&resp[1]), (1, blob.clone()));
    let mut b = logon_public(&ts, &bob).await;
    let ids = RopRequest::GetPerUserLongTermIds(GetPerUserLongTermIdsRequest {
        logon_id: 0,
        input_handle_index: 0,
        database_guid: folder.database_guid,
    });
    let (resp, _) = b.m.rops(&[read(folder, 0, 0), ids], b.slots(0)).await;
    assert_eq!(data_of(&resp[0]), (1, Vec::new()), "bob's own (none)");
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_SUPPORT.0);
    let ipm = b.folders[1];
    let mut on_folder = read(folder, 0, 0);
    if let RopRequest::ReadPerUserInformation(q) = &mut on_folder {
        q.input_handle_index = 1;
    }
    let (resp, _) = b.m.rops(&[req::open_folder(0, 1, ipm), on_folder, req::release(1)], b.slots(1)).await;
    assert_eq!(rv(&resp[1]), codes::MAPI_E_NO_SUPPORT.0, "{resp:?}");
}

/// A delegate logon limited by folder permissions (bob reads alice's Inbox through its
/// permission list, no full access) may neither read nor write alice's per-user cache: the
/// access gate answers ecAccessDenied before the ROP runs.
#[tokio::test]
async fn a_delegate_limited_by_folder_rights_cannot_touch_the_owners_per_user_data() {
    use oxmapi_store::mailbox::permissions::{Member, PermissionChange, rights};
    let (ts, alice, bob, folder) = setup().await;
    let mut a = logon_private(&ts, &alice).await;
    let blob = idset(folder.database_guid, 2);
    let (resp, _) = a.m.rops(&[write(folder, 0, &blob, true, Some(folder.database_guid))], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0);
    let inbox = a.inbox();
    let grant =
        PermissionChange::Add(Member::User(bob.mailbox_guid), rights::READ_ANY | rights::FOLDER_VISIBLE);
    with_server_store(&ts, &alice, |s| s.modify_permissions(inbox, false, false, &[grant]).unwrap());
    let mut b = logon_mailbox(connected_user(&ts, &bob).await, &alice).await;
    let (resp, _) =
        b.m.rops(&[read(folder, 0, 0), write(folder, 0, &[], true, Some(folder.database_guid))], b.slots(0))
            .await;
    assert_eq!(
        (rv(&resp[0]), rv(&resp[1])),
        (codes::MAPI_E_NO_ACCESS.0, codes::MAPI_E_NO_ACCESS.0),
        "{resp:?}"
    );
    let (resp, _) = a.m.rops(&[read(folder, 0, 0)], a.slots(0)).await;
    assert_eq!(data_of(&resp[0]), (1, blob), "alice's data is untouched");
}

/// A blob longer than a read chunk: MaxDataSize 0xFFFF is capped at 4096 bytes
/// (READ_CHUNK_MAX, MS-OXCSTOR 3.2.5.12.1 R1005) with HasFinished FALSE, and the rest follows;
/// a write starting at a huge DataOffset with no upload under way is ecError.
#[tokio::test]
async fn reads_are_capped_at_4096_bytes_and_a_huge_write_offset_is_refused() {
    let (ts, alice, _, folder) = setup().await;
    // 400 one-value ranges: 16 + 400 × 13 + 1 bytes.
    let mut blob = folder.database_guid.0.to_vec();
    for n in 0..400u64 {
        blob.push(0x52);
        blob.extend_from_slice(&oxmapi_core::ids::counter_to_be(2 * n + 1));
        blob.extend_from_slice(&oxmapi_core::ids::counter_to_be(2 * n + 1));
    }
    blob.push(0x00);
    assert_eq!(blob.len(), 5217);
    let mut a = logon_private(&ts, &alice).await;
    let mut reqs = Vec::new();
    let mut at = 0;
    for chunk in blob.chunks(2000) {
        let last = at + chunk.len() == blob.len();
        reqs.push(write(folder, at as u32, chunk, last, (at == 0).then_some(folder.database_guid)));
        at += chunk.len();
    }
    let (resp, _) = a.m.rops(&reqs, a.slots(0)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
    let (resp, _) = a.m.rops(&[read(folder, 0, 0xFFFF), read(folder, 4096, 0xFFFF)], a.slots(0)).await;
    assert_eq!(data_of(&resp[0]), (0, blob[..4096].to_vec()));
    assert_eq!(data_of(&resp[1]), (1, blob[4096..].to_vec()));
    let (resp, _) = a.m.rops(&[write(folder, 0xFFFF_FFF0, &[1, 2, 3], true, None)], a.slots(0)).await;
    assert_eq!(rv(&resp[0]), EC_ERROR);
}
