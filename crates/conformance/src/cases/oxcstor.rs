//! MS-OXCSTOR: the store object protocol — RopLogon (2.2.1.1), receive folders (2.2.1.2–4),
//! store state (2.2.1.5), long-term IDs (2.2.1.8–9), ghosting (2.2.1.7) and the logon object's
//! properties (2.2.2). Ported from Microsoft's MS-OXCSTOR suite
//! (ExchangeMAPI/Source/MS-OXCSTOR/TestSuite/S01_PrivateMailboxLogon.cs and the adapter's
//! CaptureCode.cs).
//!
//! Receive-folder cases only touch a message class of their own
//! (`OXMAPI.Conformance.<random>`), and put back anything a faulty server let them change.

use oxmapi_core::codec::Reader;
use oxmapi_core::consts::logon_rop_flags;
use oxmapi_core::ids::{LongTermId, ObjectId};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::{Form, RowValue, read_row};
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcprpt::DeletePropertiesRequest;
use oxmapi_wire::rop::oxcstor::{
    GetOwningServersRequest, GetReceiveFolderTableRequest, LogonPrivate, LogonPublic, LogonRequest,
    LogonResponse, PublicFolderIsGhostedRequest, SetReceiveFolderRequest,
};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{
    Case, CaseResult, Need, Protocol, Verdict, code, ensure, eq, eq_code, expect_failure, expect_rv, fail,
    skip,
};
use crate::context::{Ctx, FOLDER_INBOX, FOLDER_IPM_SUBTREE};
use crate::rops;

const P: Protocol = Protocol::OxcStor;

/// RopLogon `OpenFlags` bits (MS-OXCSTOR 2.2.1.1.1).
mod open {
    pub const HOME_LOGON: u32 = 0x0000_0004;
    pub const TAKE_OWNERSHIP: u32 = 0x0000_0008;
    pub const NO_MAIL: u32 = 0x0000_0400;
    pub const USE_PER_MDB_REPLID_MAPPING: u32 = 0x0100_0000;
}

/// RopLogon `ResponseFlags` bits (MS-OXCSTOR 2.2.1.1.3).
use oxmapi_core::consts::logon_response_flags as response_flags;

const EC_NOT_SUPPORTED: u32 = 0x8004_0102;
const EC_NOT_IMPLEMENTED: u32 = 0x8004_0FFF;
const EC_INVALID_PARAM: u32 = 0x8007_0057;
const EC_ACCESS_DENIED: u32 = 0x8007_0005;
const EC_ERROR: u32 = 0x8000_4005;
/// StoreState STORE_HAS_SEARCHES (MS-OXCSTOR 2.2.1.5.2).
const STORE_HAS_SEARCHES: u32 = 0x0100_0000;

/// The cases of this module.
pub const CASES: &[Case] = &[
    case(
        "oxcstor_logon_private_mailbox",
        "MS-OXCSTOR 2.2.1.1",
        &[
            "MS-OXCSTOR_R13",
            "MS-OXCSTOR_R106",
            "MS-OXCSTOR_R117",
            "MS-OXCSTOR_R165",
            "MS-OXCSTOR_R166",
            "MS-OXCSTOR_R56",
            "MS-OXCSTOR_R785",
        ],
        logon_private,
    ),
    case(
        "oxcstor_logon_response_flags_reserved_bit_set",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R122", "MS-OXCSTOR_R123"],
        response_flags_reserved,
    ),
    case(
        "oxcstor_logon_flags_echoed",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R118", "MS-OXCSTOR_R1062"],
        logon_flags_echoed,
    ),
    case(
        "oxcstor_logon_owner_right_on_own_mailbox",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R124"],
        owner_right,
    ),
    case(
        "oxcstor_logon_send_as_right_on_own_mailbox",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R126", "MS-OXCSTOR_R127"],
        send_as_right,
    ),
    case(
        "oxcstor_logon_folder_ids_all_set",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R767", "MS-OXCSTOR_R821"],
        folder_ids_set,
    ),
    case(
        "oxcstor_logon_repl_id_is_short_form_of_repl_guid",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R131"],
        repl_id_of_repl_guid,
    ),
    case(
        "oxcstor_logon_home_logon_flag_same_result",
        "MS-OXCSTOR 3.2.5.1.1",
        &["MS-OXCSTOR_R7900"],
        home_logon_same,
    ),
    case(
        "oxcstor_logon_take_ownership_flag",
        "MS-OXCSTOR 2.2.1.1.1",
        &["MS-OXCSTOR 2.2.1.1.1 (TAKE_OWNERSHIP is accepted on a private logon)"],
        take_ownership,
    ),
    case(
        "oxcstor_logon_no_mail_flag",
        "MS-OXCSTOR 2.2.1.1.1",
        &["MS-OXCSTOR 2.2.1.1.1 (NO_MAIL is accepted on a private logon)"],
        no_mail,
    ),
    case(
        "oxcstor_logon_without_per_mdb_mapping_first_logon",
        "MS-OXCSTOR 3.2.5.1.1",
        &["MS-OXCSTOR_R3145"],
        without_per_mdb_first,
    ),
    case(
        "oxcstor_logon_repl_guid_same_for_logons_on_one_session",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R133", "MS-OXCSTOR_R3145"],
        repl_guid_same_on_session,
    ),
    case(
        "oxcstor_logon_store_state_flags",
        "MS-OXCSTOR 2.2.1.1.3",
        &["MS-OXCSTOR_R1410001", "MS-OXCSTOR_R59781"],
        logon_store_state,
    ),
    case(
        "oxcstor_logon_unknown_essdn_fails",
        "MS-OXCSTOR 3.2.5.1.1",
        &["MS-OXCSTOR 3.2.5.1.1 (a mailbox that cannot be found fails the logon)"],
        unknown_essdn,
    ),
    Case {
        needs: &[Need::User2],
        ..case(
            "oxcstor_logon_other_users_mailbox_response_flags",
            "MS-OXCSTOR 2.2.1.1.3",
            &["MS-OXCSTOR 2.2.1.1.3 (ResponseFlags Reserved 0x01: this bit MUST be set)", "MS-OXCSTOR_R125"],
            other_user_response_flags,
        )
    },
    case(
        "oxcstor_id_from_long_term_id_round_trip",
        "MS-OXCSTOR 2.2.1.9",
        &["MS-OXCSTOR_R59721", "MS-OXCSTOR_R458", "MS-OXCSTOR_R459", "MS-OXCSTOR_R1253"],
        long_term_id_round_trip,
    ),
    case(
        "oxcstor_long_term_id_from_id_uses_repl_guid",
        "MS-OXCSTOR 2.2.1.8",
        &["MS-OXCSTOR_R131", "MS-OXCSTOR 2.2.1.8.2 (DatabaseGuid is the REPLGUID the REPLID maps to)"],
        long_term_id_database_guid,
    ),
    case(
        "oxcstor_id_from_long_term_id_registers_unknown_repl_guid",
        "MS-OXCSTOR 3.2.5.9",
        &["MS-OXCSTOR 3.2.5.9 (an unknown REPLGUID is added to the REPLID mapping)"],
        unknown_repl_guid_registered,
    ),
    case(
        "oxcstor_get_receive_folder_unmatched_class_gives_inbox",
        "MS-OXCSTOR 3.2.5.2",
        &["MS-OXCSTOR_R852", "MS-OXCSTOR_R1223"],
        unmatched_class_inbox,
    ),
    case(
        "oxcstor_get_receive_folder_is_case_insensitive",
        "MS-OXCSTOR 2.2.1.2.1",
        &["MS-OXCSTOR_R201", "MS-OXCSTOR_R862", "MS-OXCSTOR_R1225"],
        receive_folder_case_insensitive,
    ),
    case(
        "oxcstor_get_receive_folder_longest_prefix",
        "MS-OXCSTOR 3.2.5.2",
        &["MS-OXCSTOR_R196", "MS-OXCSTOR_R847"],
        receive_folder_prefix,
    ),
    case(
        "oxcstor_get_receive_folder_leading_period_invalid",
        "MS-OXCSTOR 2.2.1.2.1",
        &["MS-OXCSTOR_R59785", "MS-OXCSTOR_R234", "MS-OXCSTOR_R235", "MS-OXCSTOR_R59784", "MS-OXCSTOR_R205"],
        class_leading_period,
    ),
    case(
        "oxcstor_get_receive_folder_trailing_period_invalid",
        "MS-OXCSTOR 2.2.1.2.1",
        &["MS-OXCSTOR_R206"],
        class_trailing_period,
    ),
    case(
        "oxcstor_get_receive_folder_adjacent_periods_invalid",
        "MS-OXCSTOR 2.2.1.2.1",
        &["MS-OXCSTOR_R207"],
        class_adjacent_periods,
    ),
    case(
        "oxcstor_set_receive_folder_then_get",
        "MS-OXCSTOR 2.2.1.3",
        &[
            "MS-OXCSTOR_R59756",
            "MS-OXCSTOR_R59757",
            "MS-OXCSTOR_R232",
            "MS-OXCSTOR_R1224",
            "MS-OXCSTOR_R59754",
            "MS-OXCSTOR_R210",
            "MS-OXCSTOR_R1235",
            "MS-OXCSTOR_R208",
            "MS-OXCSTOR_R195",
            "MS-OXCSTOR_R851",
            "MS-OXCSTOR_R59801",
        ],
        set_then_get_receive_folder,
    ),
    case(
        "oxcstor_set_receive_folder_zero_fid_deletes_row",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R864", "MS-OXCSTOR_R247"],
        set_zero_fid_deletes,
    ),
    case(
        "oxcstor_set_receive_folder_invalid_class",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R273", "MS-OXCSTOR_R274", "MS-OXCSTOR_R858", "MS-OXCSTOR_R845"],
        set_invalid_class,
    ),
    case(
        "oxcstor_set_receive_folder_ipm_access_denied",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R271", "MS-OXCSTOR_R272", "MS-OXCSTOR_R859"],
        set_ipm_denied,
    ),
    case(
        "oxcstor_set_receive_folder_report_ipm_access_denied",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R271", "MS-OXCSTOR_R272"],
        set_report_ipm_denied,
    ),
    case(
        "oxcstor_set_receive_folder_empty_class_zero_fid_fails",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R860", "MS-OXCSTOR_R275", "MS-OXCSTOR_R277"],
        set_empty_zero_fails,
    ),
    case(
        "oxcstor_get_receive_folder_table",
        "MS-OXCSTOR 2.2.1.4",
        &["MS-OXCSTOR_R320", "MS-OXCSTOR_R321", "MS-OXCSTOR_R287", "MS-OXCSTOR_R868", "MS-OXCSTOR_R874"],
        receive_folder_table,
    ),
    case(
        "oxcstor_receive_folder_table_initial_entries",
        "MS-OXCSTOR 3.1.3",
        &["MS-OXCSTOR_R782"],
        receive_folder_table_initial,
    ),
    case(
        "oxcstor_get_store_state",
        "MS-OXCSTOR 2.2.1.5",
        &[
            "MS-OXCSTOR_R3126",
            "MS-OXCSTOR_R339",
            "MS-OXCSTOR_R334",
            "MS-OXCSTOR_R891",
            "MS-OXCSTOR_R884",
            "MS-OXCSTOR_R3125",
        ],
        get_store_state,
    ),
    case(
        "oxcstor_public_folder_is_ghosted_on_private_logon",
        "MS-OXCSTOR 3.2.5.7",
        &["MS-OXCSTOR_R917", "MS-OXCSTOR_R1237"],
        is_ghosted_private,
    ),
    case(
        "oxcstor_prop_extended_rule_size_limit_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.1",
        &["MS-OXCSTOR_R3056"],
        prop_extended_rule_size_limit,
    ),
    case(
        "oxcstor_prop_maximum_submit_message_size_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.2",
        &["MS-OXCSTOR_R3057"],
        prop_maximum_submit_message_size,
    ),
    case(
        "oxcstor_prop_prohibit_receive_quota_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.3",
        &["MS-OXCSTOR_R3058"],
        prop_prohibit_receive_quota,
    ),
    case(
        "oxcstor_prop_prohibit_send_quota_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.4",
        &["MS-OXCSTOR_R3059"],
        prop_prohibit_send_quota,
    ),
    case(
        "oxcstor_prop_content_count_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.6",
        &["MS-OXCSTOR_R3061"],
        prop_content_count,
    ),
    case(
        "oxcstor_prop_mailbox_owner_entry_id_is_binary",
        "MS-OXCSTOR 2.2.2.1.1.7",
        &["MS-OXCSTOR_R3062"],
        prop_mailbox_owner_entry_id,
    ),
    case(
        "oxcstor_prop_mailbox_owner_name_is_string",
        "MS-OXCSTOR 2.2.2.1.1.8",
        &["MS-OXCSTOR_R3063"],
        prop_mailbox_owner_name,
    ),
    case(
        "oxcstor_prop_message_size_is_int32",
        "MS-OXCSTOR 2.2.2.1.1.9",
        &["MS-OXCSTOR_R3064"],
        prop_message_size,
    ),
    case(
        "oxcstor_prop_message_size_extended_is_int64",
        "MS-OXCSTOR 2.2.2.1.1.10",
        &["MS-OXCSTOR_R3065"],
        prop_message_size_extended,
    ),
    case(
        "oxcstor_prop_user_entry_id_is_binary",
        "MS-OXCSTOR 2.2.2.1.1.11",
        &["MS-OXCSTOR_R3066", "MS-OXCSTOR_R59737"],
        prop_user_entry_id,
    ),
    case(
        "oxcstor_prop_extended_rule_size_limit_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055001"],
        ro_extended_rule_size_limit,
    ),
    case(
        "oxcstor_prop_content_count_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055006"],
        ro_content_count,
    ),
    case(
        "oxcstor_prop_mailbox_owner_entry_id_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055007"],
        ro_mailbox_owner_entry_id,
    ),
    case(
        "oxcstor_prop_mailbox_owner_name_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055008"],
        ro_mailbox_owner_name,
    ),
    case(
        "oxcstor_prop_message_size_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055009"],
        ro_message_size,
    ),
    case(
        "oxcstor_prop_message_size_extended_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055010"],
        ro_message_size_extended,
    ),
    case(
        "oxcstor_prop_user_entry_id_is_read_only",
        "MS-OXCSTOR 2.2.2.1.1",
        &["MS-OXCSTOR_R3055011"],
        ro_user_entry_id,
    ),
    case(
        "oxcstor_logon_public_folders",
        "MS-OXCSTOR 2.2.1.1.4",
        &["MS-OXCSTOR_R13", "MS-OXCSTOR_R146", "MS-OXCSTOR_R1071"],
        public_logon_case,
    ),
    case(
        "oxcstor_logon_public_per_user_guid_empty",
        "MS-OXCSTOR 2.2.1.1.4",
        &["MS-OXCSTOR_R163"],
        public_per_user_guid,
    ),
    case(
        "oxcstor_get_receive_folder_on_public_logon_fails",
        "MS-OXCSTOR 2.2.1.2.1",
        &["MS-OXCSTOR_R198", "MS-OXCSTOR_R59782"],
        public_get_receive_folder,
    ),
    case(
        "oxcstor_set_receive_folder_on_public_logon_not_supported",
        "MS-OXCSTOR 3.2.5.3",
        &["MS-OXCSTOR_R279", "MS-OXCSTOR_R280", "MS-OXCSTOR_R856", "MS-OXCSTOR_R249"],
        public_set_receive_folder,
    ),
    case(
        "oxcstor_get_receive_folder_table_on_public_logon_not_supported",
        "MS-OXCSTOR 3.2.5.4",
        &["MS-OXCSTOR_R324", "MS-OXCSTOR_R325", "MS-OXCSTOR_R875"],
        public_receive_folder_table,
    ),
    case(
        "oxcstor_get_store_state_on_public_logon_not_supported",
        "MS-OXCSTOR 3.2.5.5",
        &["MS-OXCSTOR_R341", "MS-OXCSTOR_R342", "MS-OXCSTOR_R888", "MS-OXCSTOR_R887"],
        public_store_state,
    ),
    case(
        "oxcstor_public_folder_is_ghosted_on_public_root",
        "MS-OXCSTOR 3.2.5.7",
        &["MS-OXCSTOR_R431", "MS-OXCSTOR_R432", "MS-OXCSTOR_R400001"],
        public_is_ghosted,
    ),
    case(
        "oxcstor_public_folder_is_ghosted_unknown_fid",
        "MS-OXCSTOR 3.2.5.7",
        &["MS-OXCSTOR_R43401"],
        public_is_ghosted_unknown,
    ),
    case(
        "oxcstor_get_owning_servers_on_public_logon",
        "MS-OXCSTOR 2.2.1.6",
        &[
            "MS-OXCSTOR 3.2.5.6 (the servers holding a replica of the folder, CheapServersCount of them first)",
        ],
        public_owning_servers,
    ),
    case(
        "oxcstor_get_owning_servers_on_private_logon_fails",
        "MS-OXCSTOR 2.2.1.6.1",
        &["MS-OXCSTOR 2.2.1.6.1 (RopGetOwningServers is issued against a public folders logon)"],
        private_owning_servers,
    ),
    Case {
        needs: &[Need::Destructive],
        ..case(
            "oxcstor_logon_response_flags_oof",
            "MS-OXCSTOR 2.2.1.1.3",
            &["MS-OXCSTOR_R128", "MS-OXCSTOR_R129"],
            oof_flag,
        )
    },
];

crate::case_constructor!(P);

/// RopLogon for the private mailbox `essdn` with `open_flags`.
fn logon_request(essdn: &str, open_flags: u32) -> RopRequest {
    RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: logon_rop_flags::PRIVATE,
        open_flags,
        store_state: 0,
        essdn: Some(essdn.to_string()),
    })
}

/// Sends RopLogon requests (each alone, in order) on one fresh session; returns the responses.
fn logons(ctx: &Ctx, requests: &[RopRequest]) -> Result<Vec<RopResponse>, Verdict> {
    let mut e = ctx.connected()?;
    let mut out = Vec::new();
    let mut result = Ok(());
    for q in requests {
        match e.execute(std::slice::from_ref(q), vec![UNUSED_HANDLE]) {
            Ok(x) => match x.responses.into_iter().next() {
                Some(r) => out.push(r),
                None => {
                    result =
                        Err(fail("a RopLogon response", x.decode_error.unwrap_or_else(|| "none".into())));
                    break;
                }
            },
            Err(err) => {
                result = Err(err.into());
                break;
            }
        }
    }
    let _ = e.disconnect();
    result.map(|_| out)
}

/// A fresh private logon's response with the suite's usual OpenFlags.
fn fresh_logon(ctx: &Ctx) -> Result<RopResponse, Verdict> {
    let mut r = logons(ctx, &[rops::logon_private(0, &ctx.me.dn)])?;
    Ok(r.remove(0))
}

fn private(r: &RopResponse) -> Result<LogonPrivate, Verdict> {
    match body!(r, Logon)? {
        LogonResponse::Private(p) => Ok(p.clone()),
        other => Err(fail("the private-mailbox RopLogon response", format!("{other:?}"))),
    }
}

fn logon_private(ctx: &mut Ctx) -> CaseResult {
    let r = fresh_logon(ctx)?;
    expect_rv("RopLogon", &r, 0)?;
    private(&r).map(|_| ())
}

fn response_flags_reserved(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    eq("ResponseFlags & Reserved (0x01)", 0x01, p.response_flags & 0x01)
}

fn logon_flags_echoed(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    eq("LogonFlags", logon_rop_flags::PRIVATE, p.logon_flags)
}

fn owner_right(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    eq(
        "ResponseFlags & OwnerRight (0x02)",
        response_flags::OWNER_RIGHT,
        p.response_flags & response_flags::OWNER_RIGHT,
    )
}

fn send_as_right(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    eq(
        "ResponseFlags & SendAsRight (0x04)",
        response_flags::SEND_AS_RIGHT,
        p.response_flags & response_flags::SEND_AS_RIGHT,
    )
}

fn folder_ids_set(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    let zero: Vec<usize> =
        p.folder_ids.iter().enumerate().filter(|(_, f)| f.is_zero()).map(|(i, _)| i).collect();
    ensure(zero.is_empty(), "all 13 FolderIds set", format!("FolderIds {zero:?} are 0"))
}

fn repl_id_of_repl_guid(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let inbox = info.folder_ids[FOLDER_INBOX];
    eq("REPLID of the Inbox FID", info.repl_id, inbox.replica_id)?;
    let one = ctx.on_logon(rops::long_term_id_from_id(0, inbox))?;
    let ltid = body!(one.resp, LongTermIdFromId)?.long_term_id;
    eq("DatabaseGuid of the Inbox's LongTermID", info.repl_guid, ltid.database_guid)
}

fn home_logon_same(ctx: &mut Ctx) -> CaseResult {
    let with =
        logons(ctx, &[logon_request(&ctx.me.dn, open::HOME_LOGON | open::USE_PER_MDB_REPLID_MAPPING)])?;
    let without = logons(ctx, &[logon_request(&ctx.me.dn, open::USE_PER_MDB_REPLID_MAPPING)])?;
    eq_code(
        "RopLogon ReturnValue with HOME_LOGON (as without)",
        crate::case::rv(&without[0]),
        crate::case::rv(&with[0]),
    )
}

fn take_ownership(ctx: &mut Ctx) -> CaseResult {
    let r =
        logons(ctx, &[logon_request(&ctx.me.dn, open::TAKE_OWNERSHIP | open::USE_PER_MDB_REPLID_MAPPING)])?;
    expect_rv("RopLogon with TAKE_OWNERSHIP", &r[0], 0)
}

fn no_mail(ctx: &mut Ctx) -> CaseResult {
    let r = logons(ctx, &[logon_request(&ctx.me.dn, open::NO_MAIL | open::USE_PER_MDB_REPLID_MAPPING)])?;
    expect_rv("RopLogon with NO_MAIL", &r[0], 0)
}

fn without_per_mdb_first(ctx: &mut Ctx) -> CaseResult {
    let r = logons(ctx, &[logon_request(&ctx.me.dn, 0)])?;
    expect_rv("first RopLogon without USE_PER_MDB_REPLID_MAPPING", &r[0], 0)
}

fn repl_guid_same_on_session(ctx: &mut Ctx) -> CaseResult {
    let r = logons(
        ctx,
        &[logon_request(&ctx.me.dn, open::USE_PER_MDB_REPLID_MAPPING), logon_request(&ctx.me.dn, 0)],
    )?;
    let (a, b) = (private(&r[0])?, private(&r[1])?);
    eq("ReplGuid of the second logon on the session", a.repl_guid, b.repl_guid)
}

fn logon_store_state(ctx: &mut Ctx) -> CaseResult {
    let p = private(&fresh_logon(ctx)?)?;
    ensure(
        p.store_state & !STORE_HAS_SEARCHES == 0,
        "StoreState 0 or STORE_HAS_SEARCHES (0x01000000)",
        format!("StoreState 0x{:08X}", p.store_state),
    )
}

fn unknown_essdn(ctx: &mut Ctx) -> CaseResult {
    let dn = format!("{}-oxmapi-conformance-nobody", ctx.me.dn);
    let r = logons(ctx, &[logon_request(&dn, open::USE_PER_MDB_REPLID_MAPPING)])?;
    expect_failure("RopLogon to a mailbox DN that does not exist", &r[0])
}

fn other_user_response_flags(ctx: &mut Ctx) -> CaseResult {
    let Some(me2) = ctx.me2.clone() else { return skip("needs a second account") };
    // The first account opens the second account's mailbox.
    let r = logons(ctx, &[logon_request(&me2.dn, open::USE_PER_MDB_REPLID_MAPPING)])?;
    if crate::case::rv(&r[0]) != 0 {
        return skip(format!(
            "the first account may not open the second account's mailbox ({}); grant it access to run this case",
            code(crate::case::rv(&r[0]))
        ));
    }
    // Whether OwnerRight (R125) is set depends on the access the server granted (a full-access
    // grant is owner permission on Exchange and gromox), which a client cannot know; the
    // Reserved bit MUST be set whatever the access.
    let p = private(&r[0])?;
    let reserved = response_flags::RESERVED;
    eq("ResponseFlags & Reserved on another user's mailbox", reserved, p.response_flags & reserved)
}

fn long_term_id_round_trip(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let one = ctx.on_logon(rops::long_term_id_from_id(0, inbox))?;
    let ltid = body!(one.resp, LongTermIdFromId)?.long_term_id;
    let one = ctx.on_logon(rops::id_from_long_term_id(0, ltid))?;
    let id = body!(one.resp, IdFromLongTermId)?.object_id;
    // MS-OXCSTOR 2.2.1.9.2: the ID is the REPLID followed by the LongTermID's GlobalCounter.
    eq("GlobalCounter of the returned FID", inbox.global_counter, id.global_counter)?;
    eq("the returned FID", inbox, id)
}

fn long_term_id_database_guid(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let ipm = info.folder_ids[FOLDER_IPM_SUBTREE];
    let one = ctx.on_logon(rops::long_term_id_from_id(0, ipm))?;
    let ltid = body!(one.resp, LongTermIdFromId)?.long_term_id;
    eq("DatabaseGuid", info.repl_guid, ltid.database_guid)?;
    eq("GlobalCounter", ipm.global_counter, ltid.global_counter)?;
    eq("Pad", 0, ltid.pad)
}

fn unknown_repl_guid_registered(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let guid = oxmapi_core::guid::Guid::new_random();
    let ltid = LongTermId { database_guid: guid, global_counter: 0x0000_1234_5678, pad: 0 };
    let one = ctx.on_logon(rops::id_from_long_term_id(0, ltid))?;
    let id = body!(one.resp, IdFromLongTermId)?.object_id;
    eq("GlobalCounter of the returned ID", ltid.global_counter, id.global_counter)?;
    ensure(
        id.replica_id != info.repl_id,
        "a new REPLID for the new REPLGUID",
        format!("REPLID {} (the logon's own)", id.replica_id),
    )?;
    // The mapping is now known: LongTermIdFromId gives the GUID back.
    let one = ctx.on_logon(rops::long_term_id_from_id(0, id))?;
    let back = body!(one.resp, LongTermIdFromId)?.long_term_id;
    eq("DatabaseGuid mapped back from the new REPLID", guid, back.database_guid)
}

/// RopGetReceiveFolder on the logon: `(ReturnValue, FolderId, ExplicitMessageClass)`.
fn get_receive_folder(ctx: &mut Ctx, class: &str) -> Result<(u32, ObjectId, String), Verdict> {
    let one = ctx.on_logon(rops::get_receive_folder(0, class))?;
    let rv = crate::case::rv(&one.resp);
    match &one.resp {
        RopResponse::GetReceiveFolder(o) => match &o.body {
            Some(b) => Ok((rv, b.folder_id, b.explicit_message_class.clone())),
            None => Ok((rv, ObjectId::ZERO, String::new())),
        },
        other => Err(fail("a RopGetReceiveFolder response", format!("{:?}", other.rop_id()))),
    }
}

/// RopSetReceiveFolder on the logon; the ReturnValue.
fn set_receive_folder(ctx: &mut Ctx, class: &str, fid: ObjectId) -> Result<u32, Verdict> {
    let req = RopRequest::SetReceiveFolder(SetReceiveFolderRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: fid,
        message_class: class.to_string(),
    });
    Ok(crate::case::rv(&ctx.on_logon(req)?.resp))
}

/// A message class of this run's own.
fn own_class() -> String {
    format!("OXMAPI.Conformance.C{:08x}", rand::random::<u32>())
}

fn unmatched_class_inbox(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let (rv, fid, explicit) = get_receive_folder(ctx, &own_class())?;
    eq_code("ReturnValue", 0, rv)?;
    eq("FolderId (the Inbox)", inbox, fid)?;
    eq("ExplicitMessageClass", "", explicit.as_str())
}

fn receive_folder_case_insensitive(ctx: &mut Ctx) -> CaseResult {
    let (rv1, f1, _) = get_receive_folder(ctx, "IPM")?;
    let (rv2, f2, _) = get_receive_folder(ctx, "ipm")?;
    eq_code("ReturnValue for IPM", 0, rv1)?;
    eq_code("ReturnValue for ipm", 0, rv2)?;
    eq("FolderId for ipm (as for IPM)", f1, f2)
}

fn receive_folder_prefix(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let (rv, fid, explicit) = get_receive_folder(ctx, "IPM.Note.OXMAPI.Conformance")?;
    eq_code("ReturnValue", 0, rv)?;
    eq("FolderId (the IPM entry's Inbox)", inbox, fid)?;
    ensure(
        explicit.eq_ignore_ascii_case("IPM") || explicit.to_ascii_uppercase().starts_with("IPM.NOTE"),
        "ExplicitMessageClass: the longest configured prefix (IPM)",
        format!("{explicit:?}"),
    )
}

fn class_leading_period(ctx: &mut Ctx) -> CaseResult {
    let (rv, _, _) = get_receive_folder(ctx, ".My.Class")?;
    eq_code("ReturnValue for \".My.Class\"", EC_INVALID_PARAM, rv)
}

fn class_trailing_period(ctx: &mut Ctx) -> CaseResult {
    let (rv, _, _) = get_receive_folder(ctx, "My.Class.")?;
    ensure(rv != 0, "a failing ReturnValue for \"My.Class.\"", code(rv))
}

fn class_adjacent_periods(ctx: &mut Ctx) -> CaseResult {
    let (rv, _, _) = get_receive_folder(ctx, "My..Class")?;
    ensure(rv != 0, "a failing ReturnValue for \"My..Class\"", code(rv))
}

fn set_then_get_receive_folder(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let class = own_class();
    let rv = set_receive_folder(ctx, &class, scratch)?;
    let got = get_receive_folder(ctx, &class);
    let removed = set_receive_folder(ctx, &class, ObjectId::ZERO);
    eq_code("RopSetReceiveFolder ReturnValue", 0, rv)?;
    let (rv, fid, explicit) = got?;
    eq_code("RopGetReceiveFolder ReturnValue", 0, rv)?;
    eq("FolderId", scratch, fid)?;
    ensure(
        explicit.eq_ignore_ascii_case(&class),
        format!("ExplicitMessageClass {class:?} (any case)"),
        format!("{explicit:?}"),
    )?;
    eq_code("RopSetReceiveFolder (FolderId 0, to remove the row) ReturnValue", 0, removed?)
}

fn set_zero_fid_deletes(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let class = own_class();
    eq_code("RopSetReceiveFolder ReturnValue", 0, set_receive_folder(ctx, &class, scratch)?)?;
    eq_code(
        "RopSetReceiveFolder (FolderId 0) ReturnValue",
        0,
        set_receive_folder(ctx, &class, ObjectId::ZERO)?,
    )?;
    let (rv, fid, explicit) = get_receive_folder(ctx, &class)?;
    eq_code("RopGetReceiveFolder ReturnValue", 0, rv)?;
    eq("ExplicitMessageClass after the row was deleted", "", explicit.as_str())?;
    eq("FolderId after the row was deleted (the Inbox)", inbox, fid)
}

fn set_invalid_class(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let rv = set_receive_folder(ctx, ".My.Class", scratch)?;
    if rv == 0 {
        let _ = set_receive_folder(ctx, ".My.Class", ObjectId::ZERO);
    }
    eq_code("RopSetReceiveFolder ReturnValue for \".My.Class\"", EC_INVALID_PARAM, rv)
}

/// Sets `class` to the IPM subtree, expecting `expected`; puts back what a faulty server
/// changed.
fn set_protected(ctx: &mut Ctx, class: &str, fid: ObjectId, expected: u32) -> CaseResult {
    let before = get_receive_folder(ctx, class)?;
    let rv = set_receive_folder(ctx, class, fid)?;
    let after = get_receive_folder(ctx, class)?;
    if after.1 != before.1 || after.2 != before.2 {
        let restore = if before.2.eq_ignore_ascii_case(class) { before.1 } else { ObjectId::ZERO };
        let _ = set_receive_folder(ctx, class, restore);
    }
    eq_code(&format!("RopSetReceiveFolder ReturnValue for {class:?}"), expected, rv)
}

fn set_ipm_denied(ctx: &mut Ctx) -> CaseResult {
    let ipm = ctx.special_folder(FOLDER_IPM_SUBTREE)?;
    set_protected(ctx, "IPM", ipm, EC_ACCESS_DENIED)
}

fn set_report_ipm_denied(ctx: &mut Ctx) -> CaseResult {
    let ipm = ctx.special_folder(FOLDER_IPM_SUBTREE)?;
    set_protected(ctx, "Report.IPM", ipm, EC_ACCESS_DENIED)
}

fn set_empty_zero_fails(ctx: &mut Ctx) -> CaseResult {
    set_protected(ctx, "", ObjectId::ZERO, EC_ERROR)
}

/// PidTagFolderId, PidTagMessageClass (PtypString8), PidTagLastModificationTime: the
/// RopGetReceiveFolderTable columns (MS-OXCSTOR 2.2.1.4.2).
const RECEIVE_TABLE_COLUMNS: [PropTag; 3] =
    [PropTag(0x6748_0014), PropTag(0x001A_001E), PropTag(0x3008_0040)];

/// RopGetReceiveFolderTable, decoded from the raw response (`RopId 0x68, InputHandleIndex,
/// ReturnValue, RowCount u32, Rows`): the ReturnValue and `(FolderId, MessageClass)` per row.
fn receive_folder_rows(ctx: &mut Ctx) -> Result<(u32, Vec<(u64, String)>), Verdict> {
    let logon = ctx.logon_handle()?;
    let req = RopRequest::GetReceiveFolderTable(GetReceiveFolderTableRequest {
        logon_id: 0,
        input_handle_index: 0,
    });
    let exec = ctx.rops(&[req], vec![logon])?;
    let raw = exec.raw_rops;
    let mut r = Reader::new(&raw);
    let parse = (|| {
        let id = r.u8("RopId")?;
        let _hi = r.u8("InputHandleIndex")?;
        let rv = r.u32("ReturnValue")?;
        Ok::<_, oxmapi_core::codec::DecodeError>((id, rv))
    })();
    let (id, rv) = parse.map_err(|e| fail("a RopGetReceiveFolderTable response", e))?;
    eq("RopId of the response", 0x68, id)?;
    if rv != 0 {
        return Ok((rv, vec![]));
    }
    let count = r.u32("RowCount").map_err(|e| fail("RowCount", e))?;
    let mut rows = Vec::new();
    for _ in 0..count {
        let row = read_row(&mut r, &RECEIVE_TABLE_COLUMNS, Form::Rop)
            .map_err(|e| fail("a receive folder row", e))?;
        let fid = match row.values.first() {
            Some(RowValue::Value(PropValue::I64(v))) => *v as u64,
            _ => 0,
        };
        let class = match row.values.get(1) {
            Some(RowValue::Value(PropValue::String8(b))) => String::from_utf8_lossy(b).into_owned(),
            Some(RowValue::Value(PropValue::Unicode(s))) => s.clone(),
            _ => String::from("\u{0}error"),
        };
        rows.push((fid, class));
    }
    Ok((rv, rows))
}

fn receive_folder_table(ctx: &mut Ctx) -> CaseResult {
    let (rv, rows) = receive_folder_rows(ctx)?;
    eq_code("RopGetReceiveFolderTable ReturnValue", 0, rv)?;
    ensure(!rows.is_empty(), "at least one row", "none")
}

fn receive_folder_table_initial(ctx: &mut Ctx) -> CaseResult {
    let (rv, rows) = receive_folder_rows(ctx)?;
    eq_code("RopGetReceiveFolderTable ReturnValue", 0, rv)?;
    let classes: Vec<String> = rows.iter().map(|(_, c)| c.to_ascii_uppercase()).collect();
    for want in ["", "IPM", "REPORT.IPM", "IPC"] {
        ensure(
            classes.iter().any(|c| c == want),
            format!("a row for {want:?}"),
            format!("classes {classes:?}"),
        )?;
    }
    Ok(())
}

fn get_store_state(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(rops::get_store_state(0))?;
    match crate::case::rv(&one.resp) {
        // Exchange 2010 and later do not implement it (R884, R3125).
        EC_NOT_IMPLEMENTED => Ok(()),
        0 => {
            let state = body!(one.resp, GetStoreState)?.store_state;
            ensure(
                state & !STORE_HAS_SEARCHES == 0,
                "StoreState with no flag but STORE_HAS_SEARCHES",
                format!("0x{state:08X}"),
            )
        }
        other => Err(fail("ReturnValue 0 or NotImplemented (0x80040FFF)", code(other))),
    }
}

fn is_ghosted_private(ctx: &mut Ctx) -> CaseResult {
    let root = ctx.special_folder(0)?;
    let req = RopRequest::PublicFolderIsGhosted(PublicFolderIsGhostedRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: root,
    });
    let one = ctx.on_logon(req)?;
    expect_rv("RopPublicFolderIsGhosted on a private logon", &one.resp, 0)?;
    let g = body!(one.resp, PublicFolderIsGhosted)?;
    ensure(g.servers.is_none(), "IsGhosted FALSE and no server list", format!("{g:?}"))
}

/// The logon object's value of `tag` (GetPropertiesSpecific).
fn logon_prop(ctx: &mut Ctx, tag: PropTag) -> Result<RowValue, Verdict> {
    let one = ctx.on_logon(rops::get_props(0, &[tag]))?;
    let b = body!(one.resp, GetPropertiesSpecific)?;
    let Rows::Decoded { rows, .. } = &b.row else { return Err(fail("a decoded row", "raw bytes")) };
    rows.first().and_then(|r| r.values.first().cloned()).ok_or_else(|| fail("one value", "none"))
}

/// Passes when the logon object has `tag` with a value of its type.
fn store_prop_present(ctx: &mut Ctx, tag: PropTag) -> CaseResult {
    match logon_prop(ctx, tag)? {
        RowValue::Value(v) if Ok(v.prop_type()) == tag.prop_type() => Ok(()),
        other => Err(fail(format!("a value of {tag} on the logon object"), format!("{other:?}"))),
    }
}

/// Tries to overwrite read-only `tag` with `value`; passes when the value did not change (and
/// puts back the original where a faulty server took it).
fn store_prop_read_only(ctx: &mut Ctx, tag: PropTag, value: PropValue) -> CaseResult {
    let before = logon_prop(ctx, tag)?;
    let one = ctx.on_logon(rops::set_props(0, vec![TaggedValue { tag, value: value.clone() }]))?;
    let after = logon_prop(ctx, tag)?;
    let changed = after == RowValue::Value(value);
    if changed {
        let _ = match before {
            RowValue::Value(orig) => ctx.on_logon(rops::set_props(0, vec![TaggedValue { tag, value: orig }])),
            _ => ctx.on_logon(RopRequest::DeleteProperties(DeletePropertiesRequest {
                logon_id: 0,
                input_handle_index: 0,
                property_tags: vec![tag],
            })),
        };
    }
    ensure(
        !changed,
        format!("{tag} unchanged by RopSetProperties (read-only)"),
        format!("it took the new value (RopSetProperties {})", code(crate::case::rv(&one.resp))),
    )
}

macro_rules! prop_cases {
    ($($present:ident, $ro:ident, $tag:expr, $new:expr;)*) => {$(
        fn $present(ctx: &mut Ctx) -> CaseResult {
            store_prop_present(ctx, PropTag($tag))
        }
        fn $ro(ctx: &mut Ctx) -> CaseResult {
            store_prop_read_only(ctx, PropTag($tag), $new)
        }
    )*};
}

prop_cases! {
    prop_extended_rule_size_limit, ro_extended_rule_size_limit, 0x0E9B_0003, PropValue::I32(0x7EAD_BEEF);
    prop_content_count, ro_content_count, 0x3602_0003, PropValue::I32(0x7EAD_BEEF);
    prop_mailbox_owner_entry_id, ro_mailbox_owner_entry_id, 0x661B_0102, PropValue::Binary(vec![0, 0]);
    prop_mailbox_owner_name, ro_mailbox_owner_name, 0x661C_001F, PropValue::Unicode("50".into());
    prop_message_size, ro_message_size, 0x0E08_0003, PropValue::I32(0x7EAD_BEEF);
    prop_message_size_extended, ro_message_size_extended, 0x0E08_0014, PropValue::I64(0x7EAD_BEEF_0000);
    prop_user_entry_id, ro_user_entry_id, 0x6619_0102, PropValue::Binary(vec![0, 0]);
}

fn prop_maximum_submit_message_size(ctx: &mut Ctx) -> CaseResult {
    store_prop_present(ctx, PropTag(0x666D_0003))
}

fn prop_prohibit_receive_quota(ctx: &mut Ctx) -> CaseResult {
    store_prop_present(ctx, PropTag(0x666A_0003))
}

fn prop_prohibit_send_quota(ctx: &mut Ctx) -> CaseResult {
    store_prop_present(ctx, PropTag(0x666E_0003))
}

fn oof_flag(ctx: &mut Ctx) -> CaseResult {
    // PidTagOutOfOfficeState (PtypBoolean), MS-OXCSTOR 2.2.2.1.2.4.
    let tag = PropTag(0x661D_000B);
    let before = logon_prop(ctx, tag)?;
    let set = ctx.on_logon(rops::set_props(0, vec![TaggedValue { tag, value: PropValue::Bool(true) }]))?;
    let p = private(&fresh_logon(ctx)?);
    let original = match before {
        RowValue::Value(v) => v,
        _ => PropValue::Bool(false),
    };
    let _ = ctx.on_logon(rops::set_props(0, vec![TaggedValue { tag, value: original }]));
    expect_rv("RopSetProperties PidTagOutOfOfficeState", &set.resp, 0)?;
    eq(
        "ResponseFlags & OOF (0x10) with PidTagOutOfOfficeState set",
        response_flags::OOF,
        p?.response_flags & response_flags::OOF,
    )
}

/// A public-folders logon on a new session: the session, the logon handle and the response;
/// a skip when the server has no public folder store.
pub(crate) fn public_logon(ctx: &Ctx) -> Result<(crate::session::Emsmdb, u32, LogonPublic), Verdict> {
    let mut e = ctx.connected()?;
    let req = RopRequest::Logon(LogonRequest {
        logon_id: 0,
        output_handle_index: 0,
        logon_flags: 0,
        open_flags: rops::PUBLIC_OPEN_FLAGS,
        store_state: 0,
        essdn: None,
    });
    let x = match e.execute(&[req], vec![UNUSED_HANDLE]) {
        Ok(x) => x,
        Err(err) => {
            let _ = e.disconnect();
            return Err(err.into());
        }
    };
    let r = x.responses.first().cloned().ok_or_else(|| fail("a RopLogon response", "none"))?;
    match &r {
        RopResponse::Logon(o) if o.return_value == 0 => match &o.body {
            Some(LogonResponse::Public(p)) => Ok((e, x.handles[0], p.clone())),
            other => {
                let _ = e.disconnect();
                Err(fail("the public-folders RopLogon response", format!("{other:?}")))
            }
        },
        _ => {
            let _ = e.disconnect();
            Err(Verdict::Skip(format!(
                "the server has no public folder store to log on to (RopLogon {})",
                code(crate::case::rv(&r))
            )))
        }
    }
}

/// One request on a public logon; the response (the session is disconnected).
fn on_public(ctx: &Ctx, build: impl FnOnce(&LogonPublic) -> RopRequest) -> Result<RopResponse, Verdict> {
    let (mut e, handle, info) = public_logon(ctx)?;
    let x = e.execute(&[build(&info)], vec![handle, UNUSED_HANDLE]);
    let _ = e.disconnect();
    let x = x?;
    x.responses
        .into_iter()
        .next()
        .ok_or_else(|| fail("a response", x.decode_error.unwrap_or_else(|| "none".into())))
}

fn public_logon_case(ctx: &mut Ctx) -> CaseResult {
    let (mut e, _, p) = public_logon(ctx)?;
    let _ = e.disconnect();
    eq("LogonFlags (as requested)", 0, p.logon_flags)
}

fn public_per_user_guid(ctx: &mut Ctx) -> CaseResult {
    let (mut e, _, p) = public_logon(ctx)?;
    let _ = e.disconnect();
    ensure(p.per_user_guid.is_null(), "an empty PerUserGuid", format!("{:?}", p.per_user_guid))
}

fn public_get_receive_folder(ctx: &mut Ctx) -> CaseResult {
    let r = on_public(ctx, |_| rops::get_receive_folder(0, "IPM"))?;
    expect_failure("RopGetReceiveFolder on a public folders logon", &r)
}

fn public_set_receive_folder(ctx: &mut Ctx) -> CaseResult {
    let class = own_class();
    let r = on_public(ctx, |p| {
        RopRequest::SetReceiveFolder(SetReceiveFolderRequest {
            logon_id: 0,
            input_handle_index: 0,
            folder_id: p.folder_ids[2],
            message_class: class.clone(),
        })
    })?;
    expect_rv("RopSetReceiveFolder on a public folders logon", &r, EC_NOT_SUPPORTED)
}

fn public_receive_folder_table(ctx: &mut Ctx) -> CaseResult {
    let (mut e, handle, _) = public_logon(ctx)?;
    let req = RopRequest::GetReceiveFolderTable(GetReceiveFolderTableRequest {
        logon_id: 0,
        input_handle_index: 0,
    });
    let x = e.execute(&[req], vec![handle]);
    let _ = e.disconnect();
    // RopId, InputHandleIndex, ReturnValue (MS-OXCROPS 2.2.3.4.2), read from the raw bytes.
    let raw = x?.raw_rops;
    ensure(raw.len() >= 6, "a RopGetReceiveFolderTable response", format!("{} bytes", raw.len()))?;
    let rv = u32::from_le_bytes([raw[2], raw[3], raw[4], raw[5]]);
    eq_code("RopGetReceiveFolderTable ReturnValue on a public folders logon", EC_NOT_SUPPORTED, rv)
}

fn public_store_state(ctx: &mut Ctx) -> CaseResult {
    let r = on_public(ctx, |_| rops::get_store_state(0))?;
    crate::case::expect_rv_in(
        "RopGetStoreState on a public folders logon",
        &r,
        &[EC_NOT_SUPPORTED, EC_NOT_IMPLEMENTED],
    )
}

fn public_is_ghosted(ctx: &mut Ctx) -> CaseResult {
    let r = on_public(ctx, |p| {
        RopRequest::PublicFolderIsGhosted(PublicFolderIsGhostedRequest {
            logon_id: 0,
            input_handle_index: 0,
            folder_id: p.folder_ids[0],
        })
    })?;
    expect_rv("RopPublicFolderIsGhosted on the public root", &r, 0)
}

fn public_is_ghosted_unknown(ctx: &mut Ctx) -> CaseResult {
    let r = on_public(ctx, |p| {
        let unknown = ObjectId::new(p.repl_id, 0x0000_FFFF_FFF0);
        RopRequest::PublicFolderIsGhosted(PublicFolderIsGhostedRequest {
            logon_id: 0,
            input_handle_index: 0,
            folder_id: unknown,
        })
    })?;
    expect_rv("RopPublicFolderIsGhosted for a FID that does not exist", &r, 0x8004_010F)
}

fn public_owning_servers(ctx: &mut Ctx) -> CaseResult {
    let r = on_public(ctx, |p| {
        RopRequest::GetOwningServers(GetOwningServersRequest {
            logon_id: 0,
            input_handle_index: 0,
            folder_id: p.folder_ids[1],
        })
    })?;
    let b = body!(r, GetOwningServers)?;
    ensure(!b.servers.is_empty(), "at least one owning server", "none")?;
    ensure(
        (b.cheap_count as usize) <= b.servers.len(),
        "CheapServersCount no larger than OwningServersCount",
        format!("{} of {}", b.cheap_count, b.servers.len()),
    )
}

fn private_owning_servers(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let one = ctx.on_logon(RopRequest::GetOwningServers(GetOwningServersRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: inbox,
    }))?;
    expect_failure("RopGetOwningServers on a private mailbox logon", &one.resp)
}

#[cfg(test)]
mod tests {
    #[test]
    fn receive_table_columns_are_the_specifications() {
        // MS-OXPROPS: PidTagFolderId 0x6748 PtypInteger64, PidTagMessageClass 0x001A,
        // PidTagLastModificationTime 0x3008 PtypTime.
        assert_eq!(super::RECEIVE_TABLE_COLUMNS.map(|t| t.0), [0x6748_0014, 0x001A_001E, 0x3008_0040]);
    }
}
