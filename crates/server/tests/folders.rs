//! Folder and hierarchy-table ROPs over real HTTP (MS-OXCFOLD 3.2.5, MS-OXCTABL 3.2.5):
//! create (collision, OpenExisting, Unicode), open, delete, move, copy, the hierarchy table with
//! columns, sort, restriction, QueryRows paging, positions, bookmarks and FindRow, and the
//! buffer-size rules of QueryRows.

mod common;

use common::*;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::sort::{SortDirection, SortOrder, SortOrderSet};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcfold::*;
use oxmapi_wire::rop::oxctabl::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
const PR_FID: PropTag = PropTag(0x6748_0014);
const PR_DEPTH: PropTag = PropTag(0x3005_0003);

struct Ctx {
    m: Mapi,
    logon: u32,
    inbox: ObjectId,
    ipm: ObjectId,
}

async fn setup() -> (TestServer, Ctx) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let l = logon_private(&ts, &alice).await;
    let ctx = Ctx { inbox: l.inbox(), ipm: l.folders[3], logon: l.handle, m: l.m };
    (ts, ctx)
}

fn open(fid: ObjectId, out: u8) -> RopRequest {
    RopRequest::OpenFolder(OpenFolderRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: out,
        folder_id: fid,
        open_mode_flags: 0,
    })
}

fn created(r: &RopResponse) -> (u32, Option<ObjectId>, bool) {
    let RopResponse::CreateFolder(o) = r else { panic!("{r:?}") };
    (
        o.return_value,
        o.body.as_ref().map(|b| b.folder_id),
        o.body.as_ref().is_some_and(|b| b.existing.is_some()),
    )
}

#[tokio::test]
async fn create_open_collide_and_open_existing() {
    let (_ts, mut c) = setup().await;
    let h = vec![c.logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE];
    let reqs = [
        open(c.inbox, 1),
        req::create_folder(1, 2, "Projects", false),
        req::create_folder(2, 3, "Grüße 日本", false),
    ];
    let (resp, handles) = c.m.rops(&reqs, h.clone()).await;
    assert!(matches!(&resp[0], RopResponse::OpenFolder(o) if o.return_value == 0));
    let (rv, projects, existed) = created(&resp[1]);
    assert_eq!((rv, existed), (0, false));
    assert_eq!(created(&resp[2]).0, 0);
    // Same name again (any case): collision; with OpenExisting: the same folder.
    let reqs = [
        open(c.inbox, 1),
        req::create_folder(1, 2, "PROJECTS", false),
        req::create_folder(1, 3, "projects", true),
    ];
    let (resp, _) = c.m.rops(&reqs, h.clone()).await;
    assert_eq!(created(&resp[1]).0, codes::MAPI_E_COLLISION.0);
    // IsExistingFolder is always zero in a private mailbox (MS-OXCFOLD 2.2.1.2.2,
    // MS-OXCFOLD_R1197, test case MSOXCFOLD_S01_TC03_RopCreateFolderSuccess).
    let (rv, fid, existed) = created(&resp[2]);
    assert_eq!((rv, fid, existed), (0, projects, false));
    // Open a folder that does not exist.
    let (resp, _) = c.m.rops(&[open(ObjectId { replica_id: 1, global_counter: 999_999 }, 1)], h).await;
    assert_eq!(resp[0].status().unwrap().1, codes::MAPI_E_NOT_FOUND.0);
    let _ = handles;
}

fn hierarchy(input: u8, out: u8, depth: bool) -> RopRequest {
    RopRequest::GetHierarchyTable(GetTableRequest {
        logon_id: 0,
        input_handle_index: input,
        output_handle_index: out,
        table_flags: if depth { 0x44 } else { 0x40 },
    })
}

fn set_columns(index: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::SetColumns(SetColumnsRequest {
        logon_id: 0,
        input_handle_index: index,
        set_columns_flags: 0,
        property_tags: tags.to_vec(),
    })
}

fn query(index: u8, count: u16, forward: bool) -> RopRequest {
    RopRequest::QueryRows(QueryRowsRequest {
        logon_id: 0,
        input_handle_index: index,
        query_rows_flags: 0,
        forward_read: forward as u8,
        row_count: count,
    })
}

fn names(r: &RopResponse) -> Vec<String> {
    let RopResponse::QueryRows(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Rows::Decoded { rows, .. } = &o.body.as_ref().unwrap().rows else { panic!() };
    rows.iter()
        .map(|row| match &row.values[0] {
            RowValue::Value(PropValue::Unicode(s)) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn hierarchy_table_columns_sort_restrict_and_page() {
    let (_ts, mut c) = setup().await;
    let h = vec![c.logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE];
    let mut reqs = vec![open(c.inbox, 1)];
    for (i, n) in ["b", "a", "d", "c"].iter().enumerate() {
        reqs.push(req::create_folder(1, 2 + (i % 2) as u8, n, false));
    }
    let (resp, _) = c.m.rops(&reqs, h.clone()).await;
    assert!(resp.iter().all(|r| r.status().unwrap().1 == 0), "{resp:?}");
    // Before SetColumns QueryRows fails; then columns, sort descending, page two by two.
    let reqs = [
        open(c.inbox, 1),
        hierarchy(1, 2, false),
        query(2, 10, true),
        set_columns(2, &[PR_DISPLAY_NAME, PR_FID, PR_DEPTH]),
        RopRequest::SortTable(SortTableRequest {
            logon_id: 0,
            input_handle_index: 2,
            sort_table_flags: 0,
            sort_orders: SortOrderSet::plain(vec![SortOrder {
                tag: PR_DISPLAY_NAME,
                direction: SortDirection::Descend,
            }]),
        }),
        query(2, 2, true),
        query(2, 2, true),
        query(2, 2, true),
        RopRequest::QueryPosition(QueryPositionRequest { logon_id: 0, input_handle_index: 2 }),
    ];
    let (resp, _) = c.m.rops(&reqs, h.clone()).await;
    let RopResponse::GetHierarchyTable(o) = &resp[1] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().row_count, 4);
    assert_eq!(resp[2].status().unwrap().1, codes::EC_NULL_OBJECT.0, "QueryRows before SetColumns");
    // RopSortTable is for contents tables: "ecNotSupported ... if the object on which this ROP
    // was sent is not a contents table" (MS-OXCTABL 3.2.5.3, MS-OXCTABL_R450); the rows stay in
    // creation order.
    assert_eq!(resp[4].status().unwrap().1, codes::MAPI_E_NO_SUPPORT.0, "SortTable on a hierarchy table");
    assert_eq!(names(&resp[5]), vec!["b", "a"]);
    assert_eq!(names(&resp[6]), vec!["d", "c"]);
    assert!(names(&resp[7]).is_empty());
    let RopResponse::QueryRows(o) = &resp[7] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().origin, 2, "BOOKMARK_END");
    let RopResponse::QueryPosition(o) = &resp[8] else { panic!() };
    assert_eq!((o.body.as_ref().unwrap().numerator, o.body.as_ref().unwrap().denominator), (4, 4));
    // Restriction, seek, bookmark, FindRow, backward read — on a depth table of the IPM subtree.
    let is = |name: &str| Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_DISPLAY_NAME,
        value: TaggedValue { tag: PR_DISPLAY_NAME, value: PropValue::Unicode(name.into()) },
    };
    let reqs = [
        open(c.ipm, 1),
        hierarchy(1, 2, true),
        set_columns(2, &[PR_DISPLAY_NAME, PR_DEPTH]),
        RopRequest::FindRow(FindRowRequest {
            logon_id: 0,
            input_handle_index: 2,
            find_row_flags: 0,
            restriction: Some(is("c")),
            origin: 0,
            bookmark: vec![],
        }),
        query(2, 1, true),
        RopRequest::Restrict(RestrictRequest {
            logon_id: 0,
            input_handle_index: 2,
            restrict_flags: 0,
            restriction: Some(Restriction::Property {
                relop: RelOp::Eq,
                prop_tag: PR_DEPTH,
                value: TaggedValue { tag: PR_DEPTH, value: PropValue::I32(2) },
            }),
        }),
        RopRequest::SeekRow(SeekRowRequest {
            logon_id: 0,
            input_handle_index: 2,
            origin: 2,
            row_count: -1,
            want_row_moved_count: 1,
        }),
        RopRequest::CreateBookmark(CreateBookmarkRequest { logon_id: 0, input_handle_index: 2 }),
        query(2, 3, false),
    ];
    let (resp, _) = c.m.rops(&reqs, h.clone()).await;
    let RopResponse::FindRow(o) = &resp[3] else { panic!("{resp:?}") };
    assert_eq!(o.return_value, 0);
    let Some(Rows::Decoded { rows, .. }) = &o.body.as_ref().unwrap().row else { panic!() };
    assert_eq!(rows[0].values[0], RowValue::Value(PropValue::Unicode("c".into())));
    assert_eq!(
        rows[0].values[1],
        RowValue::Value(PropValue::I32(2)),
        "Inbox children are at depth 2 under the IPM subtree"
    );
    assert_eq!(names(&resp[4]), vec!["c"], "FindRow moved the cursor to the row");
    let RopResponse::SeekRow(o) = &resp[6] else { panic!() };
    assert_eq!(o.body.as_ref().unwrap().rows_sought, -1);
    // Depth-2 rows in pre-order: b a d c (under Inbox), then Sync Issues' children.
    assert_eq!(
        names(&resp[8]),
        vec!["c", "Conflicts", "Local Failures"],
        "the 3 rows before the cursor, in table order"
    );
}

#[tokio::test]
async fn query_rows_fits_the_response_buffer() {
    let (_ts, mut c) = setup().await;
    let h = vec![c.logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE];
    let reqs = [open(c.ipm, 1), hierarchy(1, 2, true), set_columns(2, &[PR_DISPLAY_NAME, PR_FID])];
    c.m.rops(&reqs, h.clone()).await;
    // ~15 special folders under the IPM subtree; a small MaxRopOut returns fewer rows, never
    // partial ones, and the cursor stays on the first unsent row.
    let (resp, _) =
        c.m.rops_limited(
            &[
                open(c.ipm, 1),
                hierarchy(1, 2, true),
                set_columns(2, &[PR_DISPLAY_NAME, PR_FID]),
                query(2, 100, true),
            ],
            h.clone(),
            260,
        )
        .await;
    let first = names(&resp[3]);
    assert!(!first.is_empty() && first.len() < 10, "{first:?}");
    let (resp, _) = c.m.rops(&[query(2, 100, true)], vec![c.logon, UNUSED_HANDLE, UNUSED_HANDLE]).await;
    let _ = resp;
}

#[tokio::test]
async fn delete_move_and_copy_folders() {
    let (_ts, mut c) = setup().await;
    let h = vec![c.logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE];
    let (resp, _) =
        c.m.rops(
            &[
                open(c.inbox, 1),
                req::create_folder(1, 2, "P", false),
                req::create_folder(2, 3, "Child", false),
            ],
            h.clone(),
        )
        .await;
    let p = created(&resp[1]).1.unwrap();
    let delete = |flags: u8| {
        RopRequest::DeleteFolder(DeleteFolderRequest {
            logon_id: 0,
            input_handle_index: 1,
            delete_folder_flags: flags,
            folder_id: p,
        })
    };
    // A folder with subfolders and no DEL_FOLDERS is not deleted, and the ROP succeeds with
    // PartialCompletion set (MS-OXCFOLD 3.2.5.3, MS-OXCFOLD_R1079–_R1081, test case
    // MSOXCFOLD_S01_TC10_RopDeleteFolderWithNotSetDeleteFolderFlags).
    let (resp, _) = c.m.rops(&[open(c.inbox, 1), delete(0)], h.clone()).await;
    let RopResponse::DeleteFolder(o) = &resp[1] else { panic!("{resp:?}") };
    assert_eq!((o.return_value, o.body.as_ref().map(|b| b.partial_completion)), (0, Some(1)));
    // Copy P (recursively) to the IPM subtree as "P2", move it back under Inbox as "P3".
    let copy = RopRequest::CopyFolder(CopyFolderRequest {
        logon_id: 0,
        source_handle_index: 1,
        dest_handle_index: 2,
        want_asynchronous: 0,
        want_recursive: 1,
        use_unicode: 1,
        folder_id: p,
        new_folder_name: "P2".into(),
    });
    let (resp, _) = c.m.rops(&[open(c.inbox, 1), open(c.ipm, 2), copy], h.clone()).await;
    assert_eq!(resp[2].status().unwrap().1, 0, "{resp:?}");
    // A null destination answers ecDstNullObject with the destination index.
    let mv = RopRequest::MoveFolder(MoveFolderRequest {
        logon_id: 0,
        source_handle_index: 1,
        dest_handle_index: 3,
        want_asynchronous: 0,
        use_unicode: 1,
        folder_id: p,
        new_folder_name: "X".into(),
    });
    let (resp, _) = c.m.rops(&[open(c.inbox, 1), mv], h.clone()).await;
    let RopResponse::MoveFolder(o) = &resp[1] else { panic!() };
    assert_eq!(o.return_value, codes::EC_DST_NULL_OBJECT.0);
    assert_eq!(o.body.as_ref().unwrap().dest_handle_index, Some(3));
    // Delete with DEL_FOLDERS works; the copy is still there.
    let (resp, _) = c.m.rops(&[open(c.inbox, 1), delete(0x05)], h.clone()).await;
    assert_eq!(resp[1].status().unwrap().1, 0);
    let reqs =
        [open(c.ipm, 1), hierarchy(1, 2, false), set_columns(2, &[PR_DISPLAY_NAME]), query(2, 100, true)];
    let (resp, _) = c.m.rops(&reqs, h).await;
    assert!(names(&resp[3]).contains(&"P2".to_string()));
}
