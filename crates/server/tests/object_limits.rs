//! Per-session limits on open server objects (issue 14 item 7), over real HTTP with raw
//! oxmapi-wire ROP buffers: Exchange's MaxObjsPerMapiSession defaults (500 folders, 250
//! messages, …) answered with ecMaxObjsExceeded (0x4DE), the refused ROP changing nothing, and
//! RopRelease making room again.

mod common;

use common::*;
use oxmapi_core::error::codes;
use oxmapi_wire::rop::request::RopRequest;

/// Exchange's `objtFolder` default, which the server keeps.
const FOLDER_LIMIT: usize = 500;
/// Folders opened per Execute (each into its own handle slot 1..=BATCH).
const BATCH: usize = 100;

/// One session opened 24,400 tables (516 MB) in 5 s before: now the object after the limit of
/// its kind fails with ecMaxObjsExceeded, RopCreateFolder at the limit creates no folder, other
/// kinds still open, and releasing one object makes room for exactly one more.
#[tokio::test]
async fn the_object_past_the_per_session_limit_fails_and_release_makes_room() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    let mut handles = Vec::new();
    for _ in 0..FOLDER_LIMIT / BATCH {
        let reqs: Vec<RopRequest> = (1..=BATCH as u8).map(|slot| req::open_folder(0, slot, inbox)).collect();
        let (resp, h) = c.m.rops(&reqs, c.slots(BATCH)).await;
        assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
        handles = h;
    }
    // The 501st folder of the session.
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, inbox)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), codes::EC_MAX_OBJS_EXCEEDED.0);
    // RopCreateFolder at the limit is refused before it creates anything …
    let (resp, _) = c.m.rops(&[req::create_folder(1, 2, "Over the limit", false)], handles.clone()).await;
    assert_eq!(rv(&resp[0]), codes::EC_MAX_OBJS_EXCEEDED.0);
    // … while another kind of object (a contents table, limit 500) still opens.
    let (resp, _) = c.m.rops(&[req::contents_table(1, 2, 0), req::release(2)], handles.clone()).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    // Releasing one folder makes room for one: the same name creates (no collision: the
    // refused ROP created nothing), and the next object is refused again.
    let (resp, h) =
        c.m.rops(&[req::release(2), req::create_folder(1, 2, "Over the limit", false)], handles.clone())
            .await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    assert_ne!(h[2], handles[2], "a new folder object in slot 2");
    let (resp, _) = c.m.rops(&[req::open_folder(0, 1, inbox)], c.slots(1)).await;
    assert_eq!(rv(&resp[0]), codes::EC_MAX_OBJS_EXCEEDED.0);
    // Releasing the logon releases every object opened through it (MS-OXCROPS 2.2.15.3), and
    // their room with them: after a new RopLogon, a whole batch of folders opens again.
    let logon = req::logon(0, 0, &alice.legacy_dn);
    let (resp, h) = c.m.rops(&[req::release(0), logon], c.slots(0)).await;
    assert_eq!(rv(&resp[0]), 0, "{resp:?}");
    c.handle = h[0];
    let reqs: Vec<RopRequest> = (1..=BATCH as u8).map(|slot| req::open_folder(0, slot, inbox)).collect();
    let (resp, _) = c.m.rops(&reqs, c.slots(BATCH)).await;
    assert!(resp.iter().all(|r| rv(r) == 0), "{resp:?}");
}
