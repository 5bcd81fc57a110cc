//! MS-OXOMSG: the transport ROPs a client acting as its own spooler uses — RopSetSpooler,
//! RopSpoolerLockMessage, RopTransportSend, RopOptionsData (MS-OXOMSG 2.2.4.4, 2.2.5.1–2.2.5.4;
//! MS-OXCROPS 2.2.7.4–2.2.7.6, 2.2.7.9). Expected behaviour from the spec and Microsoft's
//! MS-OXCROPS suite (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCROPS,
//! S05_TC04 RopOptionsData, S05_TC05 RopSetSpooler, S05_TC06 RopSpoolerLockMessage, S05_TC07
//! RopTransportSend, whose
//! requirement numbers the cases cite); where the spec leaves the ReturnValue open (a lock on a
//! message that is not queued) the case checks only the response's framing.

use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::oxomsg::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Case, CaseResult, Need, Protocol, ensure, eq, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;
use crate::rops_oxcmsg::{
    PR_SUBJECT_W, modify_recipients, new_message, save_ok, set_ok, smtp_recipient, text,
};

const P: Protocol = Protocol::OxoMsg;
crate::case_constructor!(P);

/// RecipientType To (MS-OXCMSG 2.2.3.6.1).
const TO: u8 = 1;

fn handle(input: u8) -> TransportHandleRequest {
    TransportHandleRequest { logon_id: 0, input_handle_index: input }
}

pub const CASES: &[Case] = &[
    case("oxomsg_set_spooler_private_logon", "MS-OXOMSG 2.2.5.1", &["MS-OXCROPS_S05_TC05"], set_spooler),
    case(
        "oxomsg_options_data_supported_address_types",
        "MS-OXOMSG 2.2.4.4",
        &["MS-OXCROPS_R2589", "MS-OXCROPS_S05_TC04"],
        options_data_supported,
    ),
    case(
        "oxomsg_options_data_bad_handle_fails",
        "MS-OXCROPS 2.2.7.9.3",
        &["MS-OXCROPS_S05_TC04"],
        options_data_bad_handle,
    ),
    case(
        "oxomsg_spooler_lock_message_responses",
        "MS-OXOMSG 2.2.5.3",
        &["MS-OXCROPS_S05_TC06"],
        spooler_lock_framing,
    ),
    case(
        "oxomsg_transport_send_null_object",
        "MS-OXCROPS 2.2.7.6",
        &["MS-OXCROPS_R457302"],
        transport_send_null_object,
    ),
    Case {
        name: "oxomsg_transport_send_to_self",
        protocol: P,
        section: "MS-OXOMSG 2.2.5.4",
        requirements: &["MS-OXCROPS 2.2.7.6.2 (NoPropertiesReturned, PropertyValues)"],
        needs: &[Need::Destructive],
        run: transport_send_to_self,
    },
];

/// RopSetSpooler on a private mailbox logon succeeds (MS-OXCROPS suite S05_TC05).
fn set_spooler(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(RopRequest::SetSpooler(handle(0)))?;
    expect_rv("RopSetSpooler", &one.resp, 0)
}

/// RopOptionsData for every address type RopGetAddressTypes lists ("an address type of
/// recipients supported by the server", MS-OXOMSG 2.2.4.4) succeeds, and HelpFileName is absent
/// when HelpFileSize is 0 (MS-OXCROPS R2589).
fn options_data_supported(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(RopRequest::GetAddressTypes(handle(0)))?;
    let types = body!(one.resp, GetAddressTypes)?.address_types.clone();
    ensure(!types.is_empty(), "RopGetAddressTypes to list an address type", "none")?;
    for t in types {
        let q = RopRequest::OptionsData(OptionsDataRequest {
            logon_id: 0,
            input_handle_index: 0,
            address_type: t.clone(),
            want_win32: 0xFF,
        });
        let one = ctx.on_logon(q)?;
        let b = body!(one.resp, OptionsData)
            .map_err(|v| fail(format!("RopOptionsData for {t:?} to succeed"), format!("{v:?}")))?;
        eq("HelpFileName present", !b.help_file.is_empty(), b.help_file_name.is_some())?;
    }
    Ok(())
}

/// RopOptionsData on an input handle slot that holds no object fails: "this field SHOULD be set
/// to a value other than 0x00000000" (MS-OXCROPS suite S05_TC04 step 2, outside Exchange 2007).
fn options_data_bad_handle(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let q = RopRequest::OptionsData(OptionsDataRequest {
        logon_id: 0,
        input_handle_index: 1,
        address_type: "EX".into(),
        want_win32: 0xFF,
    });
    let exec = ctx.rops(&[q], vec![logon, oxmapi_wire::rop::buffer::UNUSED_HANDLE])?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopOptionsData response", "none"))?;
    ensure(crate::case::rv(r) != 0, "a failing ReturnValue", crate::case::code(crate::case::rv(r)))
}

/// RopSpoolerLockMessage with each LockState on a saved message of the suite's folder, then
/// RopGetStoreState, in one Execute: each lock answers a RopSpoolerLockMessage response whatever
/// its ReturnValue (MS-OXCROPS suite S05_TC06 accepts either), and the ROP after them runs.
fn spooler_lock_framing(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let folder = ctx.open_folder(scratch)?;
    let msg = new_message(ctx, folder, scratch, false)?;
    set_ok(ctx, msg, vec![text(PR_SUBJECT_W, "oxomsg spooler lock")])?;
    let mid = save_ok(ctx, msg)?;
    let lock = |state| {
        RopRequest::SpoolerLockMessage(SpoolerLockMessageRequest {
            logon_id: 0,
            input_handle_index: 0,
            message_id: mid,
            lock_state: state,
        })
    };
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[lock(0), lock(1), lock(2), rops::get_store_state(0)], vec![logon])?;
    let kinds: Vec<_> = exec.responses.iter().map(|r| r.rop_id()).collect();
    ensure(
        exec.responses.len() == 4
            && exec.responses[..3].iter().all(|r| matches!(r, RopResponse::SpoolerLockMessage(_)))
            && matches!(&exec.responses[3], RopResponse::GetStoreState(_)),
        "three RopSpoolerLockMessage responses, then RopGetStoreState",
        format!("{kinds:?}"),
    )?;
    expect_rv("RopGetStoreState", &exec.responses[3], 0)
}

/// RopTransportSend on a handle slot that holds no object is ecNullObject (0x000004B9,
/// MS-OXCROPS_R457302, as the MS-OXCROPS suite's S05_TC07 step 3 checks it).
fn transport_send_null_object(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[RopRequest::TransportSend(handle(1))],
        vec![logon, oxmapi_wire::rop::buffer::UNUSED_HANDLE],
    )?;
    let r = exec.responses.first().ok_or_else(|| fail("a RopTransportSend response", "none"))?;
    expect_rv("RopTransportSend on an empty slot", r, 0x0000_04B9)
}

/// RopTransportSend of a message addressed to the user sends it: success, and when
/// NoPropertiesReturned is 0 the PropertyValues are the message's (none is an error value for
/// the whole response).
fn transport_send_to_self(ctx: &mut Ctx) -> CaseResult {
    let Some(smtp) = ctx.me.smtp.clone() else {
        return crate::case::skip("the user has no SMTP address");
    };
    let name = ctx.me.display_name.clone();
    let scratch = ctx.scratch()?;
    let folder = ctx.open_folder(scratch)?;
    let msg = new_message(ctx, folder, scratch, false)?;
    set_ok(ctx, msg, vec![text(PR_SUBJECT_W, "oxomsg transport send")])?;
    let one = ctx.rop(
        &[msg],
        modify_recipients(
            0,
            crate::rops_oxcmsg::RECIPIENT_COLUMNS,
            vec![smtp_recipient(0, TO, &name, &smtp)],
        ),
    )?;
    expect_rv("RopModifyRecipients", &one.resp, 0)?;
    let one = ctx.rop(&[msg], RopRequest::TransportSend(handle(0)))?;
    let b = body!(one.resp, TransportSend)?;
    if let Some(values) = &b.property_values {
        let errors: Vec<_> = values.iter().filter(|v| matches!(v.value, PropValue::Error(_))).collect();
        ensure(errors.len() < values.len() || values.is_empty(), "property values", format!("{values:?}"))?;
    }
    Ok(())
}
