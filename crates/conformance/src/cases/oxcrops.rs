//! MS-OXCROPS: the ROP list and encoding protocol — buffer framing (2.2.1), the server object
//! handle table, response order and format, RopBufferTooSmall (2.2.15.1), reserved RopIds
//! (2.2.2), and the response formats of RopLogon and the other store ROPs. Ported from
//! Microsoft's MS-OXCROPS suite (ExchangeMAPI/Source/MS-OXCROPS/TestSuite: S01_LogonROPs …,
//! and the adapter's CaptureCode.cs for the requirement numbers).

use oxmapi_core::ids::ObjectId;
use oxmapi_wire::rop::buffer::{UNUSED_HANDLE, encode_requests};
use oxmapi_wire::rop::oxcstor::{LogonRequest, LogonResponse};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, expect_rv, expect_rv_in, fail, rv};
use crate::context::{Ctx, FOLDER_INBOX, Main};
use crate::rops;
use crate::rops_oxcrops::{self as raw, OutputBuffer, RawAnswer};
use crate::session::DEFAULT_MAX_ROP_OUT;

const P: Protocol = Protocol::OxcRops;

/// ecNullObject (MS-OXCROPS 3.2.5.4 / MS-OXCDATA 2.4.1).
const EC_NULL_OBJECT: u32 = 0x0000_04B9;
/// ecRpcFormat: the ROP input buffer could not be parsed (MS-OXCROPS 3.2.5.1).
const EC_RPC_FORMAT: u32 = 0x0000_04B6;
/// ecNotSupported.
const EC_NOT_SUPPORTED: u32 = 0x8004_0102;
/// ecInvalidObject.
const EC_INVALID_OBJECT: u32 = 0x8004_0108;
/// ecDstNullObject: the destination handle of a move/copy ROP is invalid (MS-OXCROPS 2.2.4.6.3).
const EC_DST_NULL_OBJECT: u32 = 0x0000_0503;
/// ecWrongServer: the redirect response of RopLogon (MS-OXCROPS 2.2.3.1.4).
const EC_WRONG_SERVER: u32 = 0x0000_0478;
/// A handle value no server hands out before the first few thousand objects.
const NEVER_ASSIGNED: u32 = 0x7FFF_FF0D;
/// A FID no mailbox has: replica 1, a global counter far beyond any allocated one.
const MISSING_FID: ObjectId = ObjectId { replica_id: 1, global_counter: 0x0000_7FFF_FFFF_FF00 };
/// RopLogon private success response length (MS-OXCROPS 2.2.3.1.2): 6 + 1 + 104 + 1 + 16 + 2
/// + 16 + 8 + 8 + 4.
const LOGON_PRIVATE_RESPONSE_LEN: usize = 166;

macro_rules! case {
    ($name:literal, $section:literal, [$($req:literal),+ $(,)?], $run:ident) => {
        Case { name: $name, protocol: P, section: $section, requirements: &[$($req),+], needs: &[], run: $run }
    };
}

/// The cases of this module.
pub const CASES: &[Case] = &[
    case!(
        "oxcrops_release_has_no_response",
        "MS-OXCROPS 2.2.15.3",
        ["MS-OXCROPS 2.2.15.3 (RopRelease has no response buffer)"],
        release_has_no_response
    ),
    case!(
        "oxcrops_rops_list_holds_exactly_the_responses",
        "MS-OXCROPS 2.2.1",
        ["MS-OXCROPS_R6", "MS-OXCROPS_R4673", "MS-OXCROPS_R4671"],
        rops_list_exact
    ),
    case!(
        "oxcrops_handle_table_is_whole_handles",
        "MS-OXCROPS 2.2.1",
        ["MS-OXCROPS_R11", "MS-OXCROPS_R4675"],
        handle_table_whole
    ),
    case!(
        "oxcrops_handle_table_order_preserved",
        "MS-OXCROPS 3.2.5.2",
        ["MS-OXCROPS 3.2.5.2 (the server MUST preserve the order of entries in the handle table)"],
        handle_table_preserved
    ),
    case!(
        "oxcrops_release_pair_example_has_empty_output",
        "MS-OXCROPS 4.4, 2.2.15.3",
        ["MS-OXCROPS 4.4 (two RopRelease requests in one buffer)", "MS-OXCROPS 2.2.15.3"],
        release_pair
    ),
    case!(
        "oxcrops_output_handle_in_output_slot",
        "MS-OXCROPS 2.2.1, 2.2.4.1",
        ["MS-OXCROPS 2.2.4.1.1 (OutputHandleIndex: where the output handle is stored)"],
        output_slot
    ),
    case!(
        "oxcrops_chained_rops_use_earlier_output",
        "MS-OXCROPS 2.2.1, 3.2.5.1",
        ["MS-OXCROPS 3.2.5.1 (ROPs run in order; a later ROP may use an earlier ROP's output handle)"],
        chained
    ),
    case!(
        "oxcrops_responses_in_request_order",
        "MS-OXCROPS 3.2.5.1",
        ["MS-OXCROPS 3.2.5.1 (responses in the order of the requests)"],
        responses_in_order
    ),
    case!(
        "oxcrops_one_response_per_rop_despite_failures",
        "MS-OXCROPS 3.2.5.1",
        ["MS-OXCROPS 3.2.5.1 (a failing ROP does not stop the buffer)"],
        one_response_per_rop
    ),
    case!(
        "oxcrops_unused_slot_handle_is_null_object",
        "MS-OXCROPS 3.2.5.4",
        ["MS-OXCROPS_R457302"],
        unused_slot_null_object
    ),
    case!(
        "oxcrops_never_assigned_handle_is_null_object",
        "MS-OXCROPS 3.2.5.4",
        ["MS-OXCROPS_R457302"],
        never_assigned_null_object
    ),
    case!(
        "oxcrops_null_object_rest_of_buffer_runs",
        "MS-OXCROPS 3.2.5.1, 3.2.5.4",
        ["MS-OXCROPS_R457302", "MS-OXCROPS 3.2.5.1 (the rest of the buffer still runs)"],
        null_object_rest_runs
    ),
    case!(
        "oxcrops_handle_index_beyond_table_is_null_object",
        "MS-OXCROPS 3.2.5.1",
        ["MS-OXCROPS 3.2.5.1 (an invalid index: the server SHOULD fail the ROP with 0x000004B9)"],
        index_beyond_table
    ),
    case!(
        "oxcrops_failure_response_is_header_only",
        "MS-OXCROPS 2.2.4.1.3",
        ["MS-OXCROPS 2.2.4.1.3 (failure response: RopId, OutputHandleIndex, ReturnValue)"],
        failure_header_only
    ),
    case!(
        "oxcrops_failure_response_echoes_output_index",
        "MS-OXCROPS 2.2.4.1.3",
        ["MS-OXCROPS 2.2.4.1.3 (OutputHandleIndex set to the value in the request)"],
        failure_echoes_output
    ),
    case!(
        "oxcrops_release_unknown_handle_is_silent",
        "MS-OXCROPS 2.2.15.3",
        ["MS-OXCROPS 2.2.15.3 (RopRelease has no response buffer)"],
        release_unknown_silent
    ),
    case!(
        "oxcrops_released_handle_is_unusable",
        "MS-OXCROPS 3.2.5.4",
        ["MS-OXCROPS 3.2.5.4 (a released handle: ecNullObject or ecInvalidObject)"],
        released_unusable
    ),
    case!(
        "oxcrops_input_handle_index_echoed",
        "MS-OXCROPS 2.2.3.5.2",
        ["MS-OXCROPS 2.2.3.5.2 (InputHandleIndex set to the value in the request)"],
        input_index_echoed
    ),
    case!(
        "oxcrops_response_handle_index_echoed",
        "MS-OXCROPS 2.2.6.3.2",
        ["MS-OXCROPS 2.2.6.3.2 (ResponseHandleIndex set to the value in the request)"],
        response_index_echoed
    ),
    case!(
        "oxcrops_save_attachment_echoes_response_index",
        "MS-OXCROPS 2.2.6.15.2, MS-OXCMSG 2.2.3.15",
        ["MS-OXCROPS 2.2.6.15.2 (ResponseHandleIndex set to the value in the request)"],
        save_attachment_index
    ),
    case!(
        "oxcrops_handle_index_echo_per_rop",
        "MS-OXCROPS 2.2.4, 2.2.5, 2.2.6, 2.2.8",
        [
            "MS-OXCROPS 2.2.4.1.2, 2.2.4.13.2, 2.2.4.14.2, 2.2.6.2.2 (OutputHandleIndex echoed)",
            "MS-OXCROPS 2.2.5.1.2, 2.2.5.4.2, 2.2.8.3.2, 2.2.8.6.2, 2.2.3.5.2 (InputHandleIndex echoed)"
        ],
        handle_index_per_rop
    ),
    case!(
        "oxcrops_move_copy_messages_null_destination_response",
        "MS-OXCROPS 2.2.4.6.3",
        [
            "MS-OXCROPS 2.2.4.6.3 (ecDstNullObject 0x503: SourceHandleIndex, DestHandleIndex u32, PartialCompletion)"
        ],
        move_copy_null_destination
    ),
    case!(
        "oxcrops_move_folder_null_destination_response",
        "MS-OXCROPS 2.2.4.7.3",
        [
            "MS-OXCROPS 2.2.4.7.3 (ecDstNullObject 0x503: SourceHandleIndex, DestHandleIndex u32, PartialCompletion)"
        ],
        move_folder_null_destination
    ),
    case!(
        "oxcrops_modify_rules_answered_in_own_response",
        "MS-OXCROPS 2.2.11.1, 3.2.5.1",
        [
            "MS-OXCROPS 2.2.11.1.2 (RopModifyRules response: RopId, InputHandleIndex, ReturnValue)",
            "MS-OXCROPS 3.2.5.1 (the rest of the buffer still runs)"
        ],
        modify_rules_own_response
    ),
    case!(
        "oxcrops_get_per_user_long_term_ids_private_logon",
        "MS-OXCROPS 2.2.3.10, MS-OXCSTOR 2.2.1.10, 3.2.5.10",
        [
            "MS-OXCSTOR 3.2.5.10 (private logon: success, the list may be empty)",
            "MS-OXCROPS 2.2.3.10.2 (LongTermIdCount, LongTermIds)"
        ],
        per_user_ltids
    ),
    case!(
        "oxcrops_get_per_user_guid_unknown_folder",
        "MS-OXCROPS 2.2.3.11, MS-OXCSTOR 2.2.1.11",
        ["MS-OXCSTOR 2.2.1.11 (no cached per-user data for the folder: no REPLGUID to return)"],
        per_user_guid_unknown
    ),
    case!(
        "oxcrops_reserved_rop_id_0x28_fails_execute",
        "MS-OXCROPS 2.2.2",
        ["MS-OXCROPS_R180005", "MS-OXCROPS_R213"],
        reserved_0x28
    ),
    case!(
        "oxcrops_reserved_rop_id_0x62_fails_execute",
        "MS-OXCROPS 2.2.2",
        ["MS-OXCROPS_R180005", "MS-OXCROPS_R213"],
        reserved_0x62
    ),
    case!(
        "oxcrops_unparseable_request_is_rpc_format",
        "MS-OXCROPS 3.2.5.1",
        ["MS-OXCROPS_R4551"],
        unparseable_request
    ),
    case!(
        "oxcrops_empty_rop_list_succeeds",
        "MS-OXCROPS 2.2.1, MS-OXCMAPIHTTP 2.2.4.2",
        ["MS-OXCROPS 2.2.1 (RopSize 2: an empty RopsList)"],
        empty_rop_list
    ),
    case!(
        "oxcrops_buffer_too_small_carries_unprocessed_requests",
        "MS-OXCROPS 2.2.15.1, 3.2.4.3",
        ["MS-OXCROPS 2.2.15.1.1 (SizeNeeded, RequestBuffers)", "MS-OXCRPC 3.1.4.2 (pcbOut)"],
        buffer_too_small
    ),
    case!(
        "oxcrops_buffer_too_small_retry_succeeds",
        "MS-OXCROPS 3.2.4.3",
        ["MS-OXCROPS 3.2.4.3 (the client resends RequestBuffers with a larger buffer)"],
        buffer_too_small_retry
    ),
    case!(
        "oxcrops_logon_private_response_layout",
        "MS-OXCROPS 2.2.3.1.2",
        [
            "MS-OXCROPS_R43",
            "MS-OXCROPS_R45",
            "MS-OXCROPS_R46",
            "MS-OXCROPS_R48",
            "MS-OXCROPS_R50",
            "MS-OXCROPS_R53"
        ],
        logon_layout
    ),
    case!(
        "oxcrops_logon_output_handle_index_echoed",
        "MS-OXCROPS 2.2.3.1.2",
        ["MS-OXCROPS_R46", "MS-OXCROPS 2.2.3.1.2 (OutputHandleIndex set to the value in the request)"],
        logon_output_index
    ),
    case!(
        "oxcrops_logon_folder_ids_distinct",
        "MS-OXCROPS 2.2.3.1.2, MS-OXCSTOR 2.2.1.1.3",
        ["MS-OXCROPS_R53", "MS-OXCSTOR_R767", "MS-OXCSTOR_R821"],
        logon_folder_ids
    ),
    case!(
        "oxcrops_logon_folder_ids_use_logon_replid",
        "MS-OXCROPS 2.2.3.1.2, MS-OXCDATA 2.2.1.1",
        ["MS-OXCROPS_R59", "MS-OXCROPS_R62"],
        logon_replid
    ),
    case!(
        "oxcrops_logon_time_is_a_time",
        "MS-OXCROPS 2.2.3.1.2, 2.2.3.1.2.1",
        [
            "MS-OXCROPS_R63",
            "MS-OXCROPS_R77",
            "MS-OXCROPS_R79",
            "MS-OXCROPS_R81",
            "MS-OXCROPS_R83",
            "MS-OXCROPS_R85",
            "MS-OXCROPS_R87",
            "MS-OXCROPS_R89"
        ],
        logon_time
    ),
    case!(
        "oxcrops_logon_response_flags_own_mailbox",
        "MS-OXCROPS 2.2.3.1.2, MS-OXCSTOR 2.2.1.1.3",
        ["MS-OXCROPS_R55", "MS-OXCROPS_R71", "MS-OXCSTOR_R124", "MS-OXCSTOR_R126", "MS-OXCSTOR_R127"],
        logon_response_flags
    ),
    case!(
        "oxcrops_logon_wrong_dn_failure_response",
        "MS-OXCROPS 2.2.3.1.4",
        ["MS-OXCROPS 2.2.3.1.4 (failure response: RopId, OutputHandleIndex, ReturnValue)"],
        logon_wrong_dn
    ),
    case!(
        "oxcrops_second_logon_with_other_logon_id",
        "MS-OXCROPS 2.2.3.1.1, 3.1.4.2",
        ["MS-OXCROPS 2.2.3.1.1 (LogonId chosen by the client, one per logon)"],
        second_logon
    ),
    case!(
        "oxcrops_get_store_state_response_format",
        "MS-OXCROPS 2.2.3.5.2",
        ["MS-OXCROPS_R312601"],
        store_state_format
    ),
    case!(
        "oxcrops_long_term_id_from_id_response_format",
        "MS-OXCROPS 2.2.3.10.2, MS-OXCDATA 2.2.1.3.1",
        ["MS-OXCSTOR_R131", "MS-OXCDATA 2.2.1.3.1 (LongTermID: DatabaseGuid, GlobalCounter, Pad 0)"],
        long_term_id_format
    ),
    case!(
        "oxcrops_get_receive_folder_is_a_mailbox_folder",
        "MS-OXCROPS 2.2.3.2.2",
        ["MS-OXCROPS S01_TC03 (the receive folder is one of the logon's FolderIds)"],
        receive_folder
    ),
    case!(
        "oxcrops_set_columns_synchronous_status_complete",
        "MS-OXCROPS 2.2.5.1.2, MS-OXCTABL 2.2.2.1.3",
        ["MS-OXCTABL 2.2.2.1.3 (TBLSTAT_COMPLETE 0x00)"],
        set_columns_complete
    ),
    case!(
        "oxcrops_table_rop_on_folder_not_supported",
        "MS-OXCROPS 2.2.5.1, MS-OXCTABL 3.2.5.1",
        ["MS-OXCTABL 3.2.5.1 (a table ROP on an object that is not a table: ecNotSupported)"],
        table_rop_on_folder
    ),
];

/// Runs `f` on a new logged-on session and disconnects it afterwards.
fn with_session<T>(ctx: &Ctx, f: impl FnOnce(&mut Main) -> Result<T, Verdict>) -> Result<T, Verdict> {
    let mut m = ctx.logged_on()?;
    let r = f(&mut m);
    let _ = m.ems.disconnect();
    r
}

/// Sends raw ROP bytes on a session with the default `MaxRopOut`; expects an output buffer.
fn raw_buffer(m: &mut Main, rops: &[u8], handles: &[u32]) -> Result<OutputBuffer, Verdict> {
    raw::execute_raw(&mut m.ems, rops, handles, DEFAULT_MAX_ROP_OUT)?.buffer("Execute")
}

fn ids(resps: &[RopResponse]) -> Vec<String> {
    resps.iter().map(|r| r.rop_id().name().to_string()).collect()
}

fn first(exec: &crate::session::Exec, what: &str) -> Result<RopResponse, Verdict> {
    exec.responses.first().cloned().ok_or_else(|| fail(format!("a {what} response"), "none"))
}

fn release_has_no_response(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let logon = ctx.logon_handle()?;
    let folder = ctx.open_folder(inbox)?;
    let exec = ctx.rops(&[rops::release(1), rops::get_store_state(0)], vec![logon, folder])?;
    ensure(
        exec.responses.len() == 1 && matches!(exec.responses[0], RopResponse::GetStoreState(_)),
        "one response (RopGetStoreState) for RopRelease + RopGetStoreState",
        format!("{:?}", ids(&exec.responses)),
    )?;
    expect_rv("RopGetStoreState", &exec.responses[0], 0)
}

fn rops_list_exact(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::get_store_state(0), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        eq("RopSize", out.rops.len() + 2, out.rop_size as usize)?;
        let (resps, rest) = raw::decode_plain(&out.rops);
        ensure(
            rest.is_empty() && resps.len() == 2,
            "RopsList = exactly two RopGetStoreState responses (RopSize − 2 bytes)",
            format!("{:?} and {} bytes left over", ids(&resps), rest.len()),
        )
    })
}

fn handle_table_whole(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, UNUSED_HANDLE])?;
        eq("bytes after RopsList that are not a whole 32-bit handle", 0, out.trailing)?;
        eq("ServerObjectHandleTable size", out.payload.len() - out.rop_size as usize, out.handles.len() * 4)
    })
}

fn handle_table_preserved(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let folder = ctx.open_folder(scratch)?;
    let logon = ctx.logon_handle()?;
    // Slot 2 is never referenced; slot 3 receives a new object.
    let exec = ctx.rops(
        &[rops::get_store_state(0), rops::get_props_all(1), rops::hierarchy_table(1, 3, 0)],
        vec![logon, folder, NEVER_ASSIGNED, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    ensure(
        exec.handles.len() >= 4,
        "a handle table reaching the highest index used (3)",
        format!("{:08X?}", exec.handles),
    )?;
    eq("slot 0 (the logon)", format!("{logon:08X}"), format!("{:08X}", exec.handles[0]))?;
    eq("slot 1 (the folder)", format!("{folder:08X}"), format!("{:08X}", exec.handles[1]))
}

/// MS-OXCROPS 4.4: `08 00 | 01 00 00 | 01 00 01 | handle 0 | handle 1`.
fn release_pair(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(0, 1, scratch), rops::open_folder(0, 2, scratch)]);
        let out = raw_buffer(m, &open, &[m.logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        let (a, b) = (out.handles.get(1).copied(), out.handles.get(2).copied());
        let (Some(a), Some(b)) = (a, b) else {
            return Err(fail("two folder handles", format!("{:08X?}", out.handles)));
        };
        let rops_list = [0x01, 0x00, 0x00, 0x01, 0x00, 0x01];
        let req = raw::input_buffer(&rops_list, &[a, b]);
        eq("the request buffer's RopSize (MS-OXCROPS 4.4: 08 00)", [0x08u8, 0x00], [req[0], req[1]])?;
        let out = raw_buffer(m, &rops_list, &[a, b])?;
        eq("RopsList of the answer to two RopRelease requests", Vec::<u8>::new(), out.rops)
    })
}

fn output_slot(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::open_folder(0, 3, scratch)],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    let r = first(&exec, "RopOpenFolder")?;
    expect_rv("RopOpenFolder", &r, 0)?;
    eq("RopOpenFolder OutputHandleIndex", Some(3), r.status().map(|s| s.0))?;
    let h = exec.handles.get(3).copied().unwrap_or(UNUSED_HANDLE);
    ensure(
        h != UNUSED_HANDLE && h != logon,
        "a new handle in slot 3 of the ServerObjectHandleTable",
        format!("{:08X?}", exec.handles),
    )?;
    let one = ctx.rop(&[h], rops::get_props(0, &[crate::context::PR_DISPLAY_NAME_W]))?;
    expect_rv("RopGetPropertiesSpecific on the returned handle", &one.resp, 0)
}

fn chained(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::open_folder(0, 1, scratch), rops::hierarchy_table(1, 2, 0), rops::contents_table(1, 3, 0)],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    for r in &exec.responses {
        expect_rv(r.rop_id().name(), r, 0)?;
    }
    let hs: Vec<u32> = exec.handles.iter().skip(1).take(3).copied().collect();
    ensure(
        hs.len() == 3
            && hs.iter().all(|h| *h != UNUSED_HANDLE)
            && hs[0] != hs[1]
            && hs[1] != hs[2]
            && hs[0] != hs[2],
        "three distinct new handles in slots 1–3",
        format!("{:08X?}", exec.handles),
    )
}

fn responses_in_order(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[
            rops::get_store_state(0),
            rops::long_term_id_from_id(0, inbox),
            rops::get_receive_folder(0, ""),
            rops::get_store_state(0),
        ],
        vec![logon],
    )?;
    eq(
        "response order",
        vec!["RopGetStoreState", "RopLongTermIdFromId", "RopGetReceiveFolder", "RopGetStoreState"],
        ids(&exec.responses).iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    )
}

fn one_response_per_rop(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[
            rops::open_folder(0, 1, MISSING_FID),
            rops::get_store_state(0),
            rops::open_folder(0, 2, MISSING_FID),
            rops::get_store_state(0),
        ],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 4, exec.responses.len())?;
    ensure(
        rv(&exec.responses[0]) != 0 && rv(&exec.responses[2]) != 0,
        "RopOpenFolder of a missing folder to fail",
        format!("{} and {}", code(rv(&exec.responses[0])), code(rv(&exec.responses[2]))),
    )?;
    expect_rv("first RopGetStoreState", &exec.responses[1], 0)?;
    expect_rv("second RopGetStoreState", &exec.responses[3], 0)
}

/// RopGetPropertiesAll on handle value `bogus` (slot 1) followed by RopGetStoreState (slot 0).
fn null_object_pair(ctx: &mut Ctx, bogus: u32) -> Result<Vec<RopResponse>, Verdict> {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_props_all(1), rops::get_store_state(0)], vec![logon, bogus])?;
    Ok(exec.responses)
}

fn unused_slot_null_object(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, UNUSED_HANDLE)?;
    let first = r.first().ok_or_else(|| fail("a RopGetPropertiesAll response", "none"))?;
    expect_rv("RopGetPropertiesAll on handle 0xFFFFFFFF", first, EC_NULL_OBJECT)
}

fn never_assigned_null_object(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, NEVER_ASSIGNED)?;
    let first = r.first().ok_or_else(|| fail("a RopGetPropertiesAll response", "none"))?;
    expect_rv("RopGetPropertiesAll on a handle never assigned", first, EC_NULL_OBJECT)
}

fn null_object_rest_runs(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, NEVER_ASSIGNED)?;
    eq("responses", 2, r.len())?;
    expect_rv("RopGetPropertiesAll on a handle never assigned", &r[0], EC_NULL_OBJECT)?;
    expect_rv("RopGetStoreState after it", &r[1], 0)
}

fn index_beyond_table(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_props_all(5), rops::get_store_state(0)], vec![logon])?;
    eq("responses", 2, exec.responses.len())?;
    expect_rv(
        "RopGetPropertiesAll with InputHandleIndex 5 in a 1-entry table",
        &exec.responses[0],
        EC_NULL_OBJECT,
    )?;
    expect_rv("RopGetStoreState after it", &exec.responses[1], 0)
}

fn failure_header_only(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::open_folder(0, 1, MISSING_FID), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, UNUSED_HANDLE])?;
        let b = &out.rops;
        ensure(
            b.len() >= 7 && b[0] == 0x02 && b[2..6] != [0, 0, 0, 0],
            "a failing RopOpenFolder response first",
            format!("{b:02X?}"),
        )?;
        ensure(
            b[6] == 0x7B && b.len() == 6 + 10,
            "6 bytes of RopOpenFolder failure response, then the 10-byte RopGetStoreState response",
            format!("{} bytes: {b:02X?}", b.len()),
        )
    })
}

fn failure_echoes_output(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec =
        ctx.rops(&[rops::open_folder(0, 2, MISSING_FID)], vec![logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
    let r = first(&exec, "RopOpenFolder")?;
    ensure(rv(&r) != 0, "RopOpenFolder of a missing folder to fail", code(rv(&r)))?;
    eq("OutputHandleIndex of the failure response", Some(2), r.status().map(|s| s.0))
}

fn release_unknown_silent(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::release(1), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, NEVER_ASSIGNED])?;
        let (resps, _) = raw::decode_plain(&out.rops);
        ensure(
            resps.len() == 1 && matches!(resps[0], RopResponse::GetStoreState(_)),
            "only the RopGetStoreState response",
            format!("{:?}", ids(&resps)),
        )?;
        expect_rv("RopGetStoreState", &resps[0], 0)
    })
}

fn released_unusable(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let exec = ctx.rops(&[rops::release(0)], vec![h])?;
    eq("responses to RopRelease", 0, exec.responses.len())?;
    let one = ctx.rop(&[h], rops::get_props_all(0))?;
    expect_rv_in(
        "RopGetPropertiesAll on the released handle",
        &one.resp,
        &[EC_NULL_OBJECT, EC_INVALID_OBJECT],
    )
}

fn input_index_echoed(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_store_state(2)], vec![UNUSED_HANDLE, UNUSED_HANDLE, logon])?;
    let r = first(&exec, "RopGetStoreState")?;
    expect_rv("RopGetStoreState", &r, 0)?;
    eq("InputHandleIndex of the response", Some(2), r.status().map(|s| s.0))
}

fn response_index_echoed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcrops-save")?;
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, false))?;
    expect_rv("RopCreateMessage", &one.resp, 0)?;
    let msg = one.out.ok_or_else(|| fail("a message handle", "none"))?;
    let exec =
        ctx.rops(&[rops::save_message(0, 1, rops::save_flags::KEEP_OPEN_READ_WRITE)], vec![folder, msg])?;
    let r = first(&exec, "RopSaveChangesMessage")?;
    expect_rv("RopSaveChangesMessage", &r, 0)?;
    eq("ResponseHandleIndex of the response", Some(0), r.status().map(|s| s.0))?;
    eq("InputHandleIndex in the response body", 1, body!(r, SaveChangesMessage)?.input_handle_index)
}

fn save_attachment_index(ctx: &mut Ctx) -> CaseResult {
    use oxmapi_wire::rop::oxcmsg::{CreateAttachmentRequest, SaveChangesAttachmentRequest};
    let (fid, folder) = ctx.new_folder("oxcrops-attach")?;
    let create = RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
    });
    // ResponseHandleIndex 1 names the message (MS-OXCMSG 2.2.3.15), InputHandleIndex 2 the
    // attachment.
    let save = RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: 1,
        input_handle_index: 2,
        save_flags: rops::save_flags::KEEP_OPEN_READ_WRITE,
    });
    let exec = ctx.rops(
        &[rops::create_message(0, 1, fid, false), create, save],
        vec![folder, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    for r in &exec.responses {
        expect_rv(r.rop_id().name(), r, 0)?;
    }
    eq(
        "ResponseHandleIndex of the RopSaveChangesAttachment response",
        Some(1),
        exec.responses[2].status().map(|s| s.0),
    )
}

fn handle_index_per_rop(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let subject = oxmapi_core::value::TaggedValue {
        tag: oxmapi_core::tag::PropTag(0x0037_001F),
        value: oxmapi_core::value::PropValue::Unicode("oxcrops".into()),
    };
    // Slots chosen so that input and output indexes all differ.
    let reqs = [
        rops::open_folder(1, 4, scratch),
        rops::contents_table(4, 5, 0),
        rops::set_columns(5, &[crate::context::PR_DISPLAY_NAME_W]),
        rops::query_rows(5, 10, true),
        rops::get_props(4, &[crate::context::PR_DISPLAY_NAME_W]),
        rops::create_message(4, 6, scratch, false),
        rops::set_props(6, vec![subject]),
        rops::hierarchy_table(4, 3, 0),
        rops::get_store_state(1),
    ];
    let expected: [(&str, u8); 9] = [
        ("RopOpenFolder", 4),
        ("RopGetContentsTable", 5),
        ("RopSetColumns", 5),
        ("RopQueryRows", 5),
        ("RopGetPropertiesSpecific", 4),
        ("RopCreateMessage", 6),
        ("RopSetProperties", 6),
        ("RopGetHierarchyTable", 3),
        ("RopGetStoreState", 1),
    ];
    let mut handles = vec![UNUSED_HANDLE; 7];
    handles[1] = logon;
    let exec = ctx.rops(&reqs, handles)?;
    eq("responses", expected.len(), exec.responses.len())?;
    for ((name, idx), r) in expected.iter().zip(&exec.responses) {
        eq("ROP", *name, r.rop_id().name())?;
        expect_rv(name, r, 0)?;
        eq(&format!("{name} handle index"), Some(*idx), r.status().map(|s| s.0))?;
    }
    Ok(())
}

/// Checks the null-destination failure response (RopId, SourceHandleIndex 0, ReturnValue
/// 0x503, DestHandleIndex 2 as u32, PartialCompletion) followed by RopGetStoreState.
fn null_destination(b: &[u8], rop_id: u8) -> CaseResult {
    ensure(
        b.len() >= 11 && b[0] == rop_id && b[1] == 0,
        format!("a response of RopId 0x{rop_id:02X} with SourceHandleIndex 0"),
        format!("{:02X?}", &b[..b.len().min(16)]),
    )?;
    let rv_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    eq("ReturnValue for a destination handle never assigned", code(EC_DST_NULL_OBJECT), code(rv_))?;
    eq("DestHandleIndex (4 bytes)", 2u32, u32::from_le_bytes([b[6], b[7], b[8], b[9]]))?;
    ensure(b[10] <= 1, "PartialCompletion 0 or 1", format!("{}", b[10]))?;
    ensure(b.get(11) == Some(&0x7B), "RopGetStoreState right after the 11-byte response", format!("{b:02X?}"))
}

fn move_copy_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (fid, _) = ctx.new_folder("oxcrops-nulldst")?;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(1, 0, fid)]);
        let out = raw_buffer(m, &open, &[UNUSED_HANDLE, m.logon])?;
        let folder = out.handles.first().copied().unwrap_or(UNUSED_HANDLE);
        let mv = RopRequest::MoveCopyMessages(oxmapi_wire::rop::oxcfold::MoveCopyMessagesRequest {
            logon_id: 0,
            source_handle_index: 0,
            dest_handle_index: 2,
            message_ids: vec![MISSING_FID],
            want_asynchronous: 0,
            want_copy: 1,
        });
        let reqs = encode_requests(&[mv, rops::get_store_state(1)]);
        let out = raw_buffer(m, &reqs, &[folder, m.logon, NEVER_ASSIGNED])?;
        null_destination(&out.rops, 0x33)
    })
}

fn move_folder_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder_shared) = ctx.new_folder("oxcrops-nulldst-f")?;
    let one = ctx.rop(&[folder_shared], rops::create_folder(0, 1, "child", false))?;
    let child = body!(one.resp, CreateFolder)?.folder_id;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(1, 0, fid)]);
        let out = raw_buffer(m, &open, &[UNUSED_HANDLE, m.logon])?;
        let folder = out.handles.first().copied().unwrap_or(UNUSED_HANDLE);
        let mv = RopRequest::MoveFolder(oxmapi_wire::rop::oxcfold::MoveFolderRequest {
            logon_id: 0,
            source_handle_index: 0,
            dest_handle_index: 2,
            want_asynchronous: 0,
            use_unicode: 1,
            folder_id: child,
            new_folder_name: "moved".into(),
        });
        let reqs = encode_requests(&[mv, rops::get_store_state(1)]);
        let out = raw_buffer(m, &reqs, &[folder, m.logon, NEVER_ASSIGNED])?;
        null_destination(&out.rops, 0x35)
    })
}

fn modify_rules_own_response(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    with_session(ctx, |m| {
        let mut reqs = encode_requests(&[rops::open_folder(0, 1, scratch)]);
        reqs.extend(raw::modify_rules_empty(1));
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon, UNUSED_HANDLE], DEFAULT_MAX_ROP_OUT)?;
        let out = ans.buffer("Execute with RopModifyRules")?;
        let (resps, rest) = raw::decode_plain(&out.rops);
        ensure(
            resps.len() == 1 && rv(&resps[0]) == 0,
            "RopOpenFolder to succeed first",
            format!("{:?}", ids(&resps)),
        )?;
        ensure(
            rest.len() >= 6 && rest[0] == raw::ROP_MODIFY_RULES && rest[1] == 1,
            "a RopModifyRules response (RopId 0x41, InputHandleIndex 1)",
            format!("{:02X?}", &rest[..rest.len().min(12)]),
        )?;
        let code_ = u32::from_le_bytes([rest[2], rest[3], rest[4], rest[5]]);
        ensure(code_ == 0 || code_ == EC_NOT_SUPPORTED, "ReturnValue 0 or ecNotSupported", code(code_))?;
        let (after, _) = raw::decode_plain(&rest[6..]);
        ensure(
            after.first().is_some_and(|r| matches!(r, RopResponse::GetStoreState(_)) && rv(r) == 0),
            "the RopGetStoreState after RopModifyRules to run and succeed",
            format!("{:?}", ids(&after)),
        )
    })
}

fn per_user_ltids(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let guid: [u8; 16] = rand::random();
        let mut reqs = raw::get_per_user_long_term_ids(0, guid);
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() >= 6 && b[0] == raw::ROP_GET_PER_USER_LONG_TERM_IDS && b[1] == 0,
            "a RopGetPerUserLongTermIds response (RopId 0x60, InputHandleIndex 0)",
            format!("{:02X?}", &b[..b.len().min(12)]),
        )?;
        let code_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
        // MS-OXCSTOR 3.2.5.10: only a public folders logon fails (ecNotSupported).
        eq("RopGetPerUserLongTermIds ReturnValue on a private logon", code(0), code(code_))?;
        let n = b.get(6..8).map(|x| u16::from_le_bytes([x[0], x[1]]) as usize).unwrap_or(usize::MAX);
        let next = 8usize.saturating_add(n.saturating_mul(24));
        ensure(
            b.get(next) == Some(&0x7B),
            "the RopGetStoreState response right after the RopGetPerUserLongTermIds response",
            format!("ReturnValue {}, {} bytes: {b:02X?}", code(code_), b.len()),
        )
    })
}

fn per_user_guid_unknown(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let mut ltid = [0u8; 24];
        ltid[..22].copy_from_slice(&rand::random::<[u8; 22]>());
        let mut reqs = raw::get_per_user_guid(0, ltid);
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() >= 6 && b[0] == raw::ROP_GET_PER_USER_GUID && b[1] == 0,
            "a RopGetPerUserGuid response (RopId 0x61, InputHandleIndex 0)",
            format!("{:02X?}", &b[..b.len().min(12)]),
        )?;
        let code_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
        ensure(code_ != 0, "RopGetPerUserGuid to fail for a folder without per-user data", code(code_))?;
        ensure(b.get(6) == Some(&0x7B), "RopGetStoreState to follow", format!("{b:02X?}"))
    })
}

fn reserved_rop(ctx: &mut Ctx, id: u8) -> CaseResult {
    with_session(ctx, |m| {
        let mut reqs = vec![id, 0, 0];
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon], DEFAULT_MAX_ROP_OUT)?;
        ensure(
            !matches!(ans, RawAnswer::Buffer(_)),
            format!("Execute to fail for reserved RopId 0x{id:02X}"),
            format!("{ans:?}"),
        )
    })
}

fn reserved_0x28(ctx: &mut Ctx) -> CaseResult {
    reserved_rop(ctx, 0x28)
}

fn reserved_0x62(ctx: &mut Ctx) -> CaseResult {
    reserved_rop(ctx, 0x62)
}

fn unparseable_request(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        // RopOpenFolder cut inside FolderId.
        let reqs = [0x02, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00];
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon, UNUSED_HANDLE], DEFAULT_MAX_ROP_OUT)?;
        eq("Execute error for a truncated request", Some(code(EC_RPC_FORMAT)), ans.error().map(code))
    })
}

fn empty_rop_list(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let out = raw_buffer(m, &[], &[m.logon])?;
        eq("RopSize of the output buffer", 2, out.rop_size)
    })
}

/// RopGetStoreState then RopGetPropertiesAll on the logon, with an output buffer too small for
/// both; returns the request bytes and the answer.
fn too_small(m: &mut Main) -> Result<(Vec<u8>, OutputBuffer), Verdict> {
    let reqs = encode_requests(&[rops::get_store_state(0), rops::get_props_all(0)]);
    // RPC_HEADER_EXT (8) + RopSize (2) + handle table (4) + RopGetStoreState (10) + room for
    // RopBufferTooSmall with the 7-byte request: far less than a RopGetPropertiesAll of a store.
    // (RopGetStoreState is 3 request bytes, RopGetPropertiesAll 7.)
    let max = 8 + 2 + 4 + 10 + 3 + 7 + 64;
    let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon], max)?;
    Ok((reqs, ans.buffer("Execute with a small MaxRopOut")?))
}

fn buffer_too_small(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let (reqs, out) = too_small(m)?;
        let (resps, rest) = raw::decode_plain(&out.rops);
        let Some(RopResponse::BufferTooSmall(b)) = resps.last() else {
            return Err(fail(
                "RopBufferTooSmall as the last response",
                format!("{:?} + {rest:02X?}", ids(&resps)),
            ));
        };
        let done = resps.len() - 1;
        // The unprocessed requests are a suffix of the request list starting at a ROP boundary.
        let boundaries = [0usize, 3, reqs.len()];
        let expected = boundaries.get(done).map(|s| &reqs[*s..]);
        ensure(
            expected == Some(b.request_buffers.as_slice()) && !b.request_buffers.is_empty(),
            "RequestBuffers = the request ROPs not processed, verbatim",
            format!("{} responses before it, RequestBuffers {:02X?}", done, b.request_buffers),
        )?;
        ensure(
            b.size_needed as usize > out.payload.len(),
            "SizeNeeded larger than the output buffer returned",
            format!("SizeNeeded {} for a {}-byte buffer", b.size_needed, out.payload.len()),
        )
    })
}

fn buffer_too_small_retry(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let (_, out) = too_small(m)?;
        let (resps, _) = raw::decode_plain(&out.rops);
        let Some(RopResponse::BufferTooSmall(b)) = resps.last() else {
            return Err(fail("RopBufferTooSmall as the last response", format!("{:?}", ids(&resps))));
        };
        let again = raw_buffer(m, &b.request_buffers, &[m.logon])?;
        let (resps, _) = raw::decode_plain(&again.rops);
        let last = resps.last().ok_or_else(|| fail("responses to the resent requests", "none"))?;
        ensure(
            matches!(last, RopResponse::GetPropertiesAll(_)),
            "RopGetPropertiesAll answered when resent",
            format!("{:?}", ids(&resps)),
        )?;
        expect_rv("resent RopGetPropertiesAll", last, 0)
    })
}

/// A RopLogon of the first user on a new session with `output` as OutputHandleIndex in a table
/// of `output + 1` slots; returns the raw output buffer.
fn raw_logon(ctx: &Ctx, output: u8, dn: &str) -> Result<OutputBuffer, Verdict> {
    let mut e = ctx.connected()?;
    let reqs = encode_requests(&[rops::logon_private(output, dn)]);
    let r = raw::execute_raw(&mut e, &reqs, &vec![UNUSED_HANDLE; output as usize + 1], DEFAULT_MAX_ROP_OUT);
    let _ = e.disconnect();
    r?.buffer("Execute with RopLogon")
}

fn logon_layout(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    let out = raw_logon(ctx, 0, &dn)?;
    let b = &out.rops;
    ensure(
        b.first() == Some(&0xFE) && b.get(1) == Some(&0) && b.get(2..6) == Some(&[0, 0, 0, 0][..]),
        "RopId 0xFE, OutputHandleIndex 0, ReturnValue 0",
        format!("{:02X?}", &b[..b.len().min(6)]),
    )?;
    eq("length of the private-mailbox RopLogon response", LOGON_PRIVATE_RESPONSE_LEN, b.len())
}

fn logon_output_index(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    let out = raw_logon(ctx, 2, &dn)?;
    eq("OutputHandleIndex of the RopLogon response", Some(&2u8), out.rops.get(1))?;
    let h = out.handles.get(2).copied().unwrap_or(UNUSED_HANDLE);
    ensure(h != UNUSED_HANDLE, "the logon handle in slot 2", format!("{:08X?}", out.handles))
}

fn logon_folder_ids(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let mut seen = std::collections::HashSet::new();
    for (i, f) in info.folder_ids.iter().enumerate() {
        ensure(*f != ObjectId::ZERO, format!("FolderIds[{i}] set"), "0")?;
        ensure(
            seen.insert(*f),
            format!("FolderIds[{i}] distinct from the others"),
            format!("{f:?} repeated"),
        )?;
    }
    Ok(())
}

fn logon_replid(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    for (i, f) in info.folder_ids.iter().enumerate() {
        eq(&format!("ReplicaId of FolderIds[{i}] (the logon's ReplId)"), info.repl_id, f.replica_id)?;
    }
    Ok(())
}

fn logon_time(ctx: &mut Ctx) -> CaseResult {
    let t = ctx.logon_info()?.logon_time;
    let year_now = 1970
        + (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            / 31_556_952) as u16;
    ensure(
        t.seconds < 60
            && t.minutes < 60
            && t.hour < 24
            && t.day_of_week < 7
            && (1..=31).contains(&t.day)
            && (1..=12).contains(&t.month)
            && t.year.abs_diff(year_now) <= 1,
        format!("a valid LogonTime in {year_now}"),
        format!("{t:?}"),
    )
}

fn logon_response_flags(ctx: &mut Ctx) -> CaseResult {
    let f = ctx.logon_info()?.response_flags;
    eq("ResponseFlags bits outside Reserved|OwnerRight|SendAsRight|OOF", 0, f & !0x17)?;
    eq("ResponseFlags Reserved|OwnerRight|SendAsRight for the owner's own mailbox", 0x07, f & 0x07)
}

fn logon_wrong_dn(ctx: &mut Ctx) -> CaseResult {
    let out = raw_logon(ctx, 0, "/o=oxmapi-conformance/ou=nowhere/cn=Recipients/cn=nobody-at-all")?;
    let b = &out.rops;
    ensure(b.len() >= 6 && b[0] == 0xFE, "a RopLogon response", format!("{b:02X?}"))?;
    let c = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    ensure(c != 0 && c != EC_WRONG_SERVER, "a failing ReturnValue other than ecWrongServer", code(c))?;
    eq("length of the RopLogon failure response", 6, b.len())
}

fn second_logon(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    with_session(ctx, |m| {
        let logon = RopRequest::Logon(LogonRequest {
            logon_id: 1,
            output_handle_index: 1,
            logon_flags: oxmapi_core::consts::logon_rop_flags::PRIVATE,
            open_flags: rops::PRIVATE_OPEN_FLAGS,
            store_state: 0,
            essdn: Some(dn),
        });
        let state = RopRequest::GetStoreState(oxmapi_wire::rop::oxcstor::GetStoreStateRequest {
            logon_id: 1,
            input_handle_index: 1,
        });
        let exec = m.ems.execute(&[logon, state], vec![m.logon, UNUSED_HANDLE])?;
        eq("responses", 2, exec.responses.len())?;
        let LogonResponse::Private(_) = body!(exec.responses[0], Logon)? else {
            return Err(fail("a private-mailbox RopLogon response", "a public one"));
        };
        expect_rv("RopGetStoreState with LogonId 1", &exec.responses[1], 0)
    })
}

fn store_state_format(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let out = raw_buffer(m, &encode_requests(&[rops::get_store_state(0)]), &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() == 10 && b[0] == 0x7B && b[1] == 0 && b[2..6] == [0, 0, 0, 0],
            "RopId 0x7B, InputHandleIndex 0, ReturnValue 0, StoreState (10 bytes)",
            format!("{b:02X?}"),
        )
    })
}

fn long_term_id_format(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let inbox = info.folder_ids[FOLDER_INBOX];
    let one = ctx.on_logon(rops::long_term_id_from_id(0, inbox))?;
    let l = body!(one.resp, LongTermIdFromId)?.long_term_id;
    eq("GlobalCounter", inbox.global_counter, l.global_counter)?;
    eq("Pad", 0, l.pad)?;
    eq("DatabaseGuid (the ReplGuid of the logon's ReplId)", info.repl_guid, l.database_guid)
}

fn receive_folder(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let one = ctx.on_logon(rops::get_receive_folder(0, "IPM"))?;
    let b = body!(one.resp, GetReceiveFolder)?;
    ensure(
        info.folder_ids.contains(&b.folder_id),
        "a receive folder among the logon's FolderIds",
        format!("{:?}", b.folder_id),
    )
}

fn set_columns_complete(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let one = ctx.rop(&[h], rops::hierarchy_table(0, 1, 0))?;
    let t = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    let one = ctx.rop(&[t], rops::set_columns(0, &[crate::context::PR_DISPLAY_NAME_W]))?;
    eq("TableStatus", 0, body!(one.resp, SetColumns)?.table_status)
}

fn table_rop_on_folder(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::set_columns(0, &[crate::context::PR_DISPLAY_NAME_W]), rops::get_store_state(1)],
        vec![h, logon],
    )?;
    eq("responses", 2, exec.responses.len())?;
    expect_rv("RopSetColumns on a folder", &exec.responses[0], EC_NOT_SUPPORTED)?;
    expect_rv("RopGetStoreState after it", &exec.responses[1], 0)
}
