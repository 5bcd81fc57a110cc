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

mod buffer;
mod formats;
mod handles;

use buffer::*;
use formats::*;
use handles::*;

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
/// ecUnknownUser (MS-OXCSTOR 3.2.5.1.3).
const EC_UNKNOWN_USER: u32 = 0x0000_03EB;
/// STORE_HAS_SEARCHES, the only StoreState bit (MS-OXCSTOR 2.2.1.5.2).
const STORE_HAS_SEARCHES: u32 = 0x0100_0000;
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
        "oxcrops_unknown_logon_id_fails_rop",
        "MS-OXCROPS 3.2.5.1",
        [
            "MS-OXCROPS 3.2.5.1 (a failed Logon Map lookup: the server SHOULD send a failure response with a nonzero ReturnValue)"
        ],
        unknown_logon_id
    ),
    case!(
        "oxcrops_new_handles_are_unused",
        "MS-OXCROPS 3.2.5.1",
        ["MS-OXCROPS 3.2.5.1 (the server MUST assign an unused Server object handle)"],
        new_handles_unused
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
        "oxcrops_logon_unknown_dn_is_unknown_user",
        "MS-OXCSTOR 3.2.5.1.1, 3.2.5.1.3",
        ["MS-OXCSTOR 3.2.5.1.1 (an ESSDN that is not found: ecUnknownUser 0x000003EB)"],
        logon_unknown_user
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
        ["MS-OXCROPS_R312601", "MS-OXCSTOR 2.2.1.5.2 (StoreState: only STORE_HAS_SEARCHES may be set)"],
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
