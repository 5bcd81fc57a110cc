//! Server answers whose expected bytes come from MS-OXCROPS / MS-OXCSTOR / MS-OXCTABL text and
//! from Microsoft's test suites rather than from our own response decoder: the Logon Map lookup
//! of every ROP, the per-user information ROPs on a private logon, and the collapse-state ROPs.

mod common;
mod suite_support;

use common::*;
use oxmapi_core::catalogue::tags::{PR_INST_ID, PR_INSTANCE_NUM, PR_SUBJECT};
use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::oxcstor::GetStoreStateRequest;
use oxmapi_wire::rop::oxctabl::{GetCollapseStateRequest, SetCollapseStateRequest};
use oxmapi_wire::rop::peruser::{GetPerUserGuidRequest, GetPerUserLongTermIdsRequest};
use oxmapi_wire::rop::request::RopRequest;
use suite_support::*;

/// ecError (0x80004005).
const EC_ERROR: u32 = 0x8000_4005;
/// ecNullObject.
const EC_NULL_OBJECT: u32 = 0x0000_04B9;

fn store_state(logon_id: u8) -> RopRequest {
    RopRequest::GetStoreState(GetStoreStateRequest { logon_id, input_handle_index: 0 })
}

/// MS-OXCROPS 3.2.5.1: the server looks each request's LogonId up in the Logon Map, and when
/// the lookup fails it SHOULD answer that ROP with a nonzero ReturnValue; the rest of the
/// buffer still runs. RopGetStoreState is `7B LogonId InputHandleIndex` (MS-OXCROPS
/// 2.2.4.30.1); its failure response is `7B InputHandleIndex ReturnValue` (2.2.4.30.3) and its
/// success response adds StoreState u32 (2.2.4.30.2), here 0 (no search folders).
#[tokio::test]
async fn a_rop_with_a_logon_id_no_rop_logon_created_fails_alone() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let (bytes, _) = raw_on(&mut c, &[store_state(0x77), store_state(0)], 0).await;
    let mut expected = head(0x7B, 0, EC_ERROR);
    expected.extend(head(0x7B, 0, 0));
    expected.extend(0u32.to_le_bytes());
    assert_eq!(bytes, expected);
}

/// MS-OXCSTOR 3.2.5.10 / 3.2.5.11 on a private mailbox logon with no cached public-folder
/// per-user data: RopGetPerUserLongTermIds succeeds with an empty list (response
/// `60 InputHandleIndex ReturnValue LongTermIdCount=0000`, MS-OXCROPS 2.2.3.9.2) and
/// RopGetPerUserGuid fails with ecNotFound ("If the server cannot find any per-user information
/// for the specified folder"), each in its own response.
#[tokio::test]
async fn per_user_information_on_a_private_logon() {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let ltids = RopRequest::GetPerUserLongTermIds(GetPerUserLongTermIdsRequest {
        logon_id: 0,
        input_handle_index: 0,
        database_guid: Guid([7; 16]),
    });
    let guid = RopRequest::GetPerUserGuid(GetPerUserGuidRequest {
        logon_id: 0,
        input_handle_index: 0,
        long_term_id: LongTermId { database_guid: Guid([9; 16]), global_counter: 1, pad: 0 },
    });
    let (bytes, _) = raw_on(&mut c, &[ltids, guid], 0).await;
    let mut expected = head(0x60, 0, 0);
    expected.extend([0, 0]);
    expected.extend(head(0x61, 0, EC_NOT_FOUND));
    assert_eq!(bytes, expected);
}

/// MS-OXCTABL: RopGetCollapseState before RopSetColumns is ecNullObject (MS-OXCTABL_R8275, as
/// Microsoft's S04_ExpandRowRops_GetorSetCollapseRowecNullObject expects); after it, the state
/// of a row restores through RopSetCollapseState to a bookmark (MS-OXCTABL 3.2.5.18–3.2.5.19,
/// R582: both MUST be supported on contents tables) and RopSeekRowBookmark to it puts the
/// cursor on that row. And a RopSetColumns that fails (a PT_ERROR column, ecInvalidParameter)
/// leaves the table without columns: RopQueryRows is then ecNullObject (MS-OXCTABL_R610, _R867).
#[tokio::test]
async fn collapse_state_and_failed_set_columns() {
    use oxmapi_wire::rop::response::RopResponse;
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let mut c = logon_private(&ts, &alice).await;
    let inbox = c.inbox();
    for subject in ["one", "two", "three"] {
        let (r, _) =
            c.m.rops(
                &[
                    req::create_message(0, 1, inbox, false),
                    req::set_props(1, vec![text(PR_SUBJECT, subject)]),
                    req::save_message(1, 1, 0x0C),
                ],
                c.slots(1),
            )
            .await;
        assert!(r.iter().all(|x| rv(x) == 0), "{r:?}");
    }
    let get_state = |row_id: u64| {
        RopRequest::GetCollapseState(GetCollapseStateRequest {
            logon_id: 0,
            input_handle_index: 2,
            row_id,
            row_instance_number: 0,
        })
    };
    // Before SetColumns.
    let (r, h) =
        c.m.rops(&[req::open_folder(0, 1, inbox), req::contents_table(1, 2, 0), get_state(1)], c.slots(2))
            .await;
    assert_eq!(rv(&r[2]), EC_NULL_OBJECT, "{r:?}");
    // After: the second row's state comes back as a bookmark on the second row.
    let cols = [PR_INST_ID, PR_INSTANCE_NUM, PR_SUBJECT];
    let (r, h) = c.m.rops(&[req::set_columns(2, &cols), req::query_rows(2, 10, true)], h).await;
    let rows = rows_of(&r[1]);
    assert_eq!(rows.len(), 3);
    let RowValue::Value(PropValue::I64(id)) = rows[1].values[0] else { panic!("{:?}", rows[1]) };
    let id = id as u64;
    let (r, h) = c.m.rops(&[get_state(id)], h).await;
    let RopResponse::GetCollapseState(o) = &r[0] else { panic!("{r:?}") };
    let state = o.body.as_ref().expect("a collapse state").collapse_state.clone();
    let set = RopRequest::SetCollapseState(SetCollapseStateRequest {
        logon_id: 0,
        input_handle_index: 2,
        collapse_state: state,
    });
    let (r, h) = c.m.rops(&[req::seek_row(2, 0, 0), set], h).await;
    let RopResponse::SetCollapseState(o) = &r[1] else { panic!("{r:?}") };
    let bookmark = o.body.as_ref().expect("a bookmark").bookmark.clone();
    let seek = RopRequest::SeekRowBookmark(oxmapi_wire::rop::oxctabl::SeekRowBookmarkRequest {
        logon_id: 0,
        input_handle_index: 2,
        bookmark,
        row_count: 0,
        want_row_moved_count: 0,
    });
    let (r, h) = c.m.rops(&[seek, req::query_rows(2, 1, true)], h).await;
    assert_eq!(rv(&r[0]), 0, "{r:?}");
    assert_eq!(rows_of(&r[1])[0].values[2], RowValue::Value(PropValue::Unicode("two".into())));
    // A failed SetColumns: PT_ERROR (0x000A) is no column type (MS-OXCTABL 2.2.2.1.1).
    let (r, _) =
        c.m.rops(&[req::set_columns(2, &[PropTag(0x0037_000A)]), req::query_rows(2, 1, true)], h).await;
    assert_eq!(rv(&r[0]), 0x8007_0057, "{r:?}");
    assert_eq!(rv(&r[1]), EC_NULL_OBJECT, "{r:?}");
}
