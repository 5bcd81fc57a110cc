//! MS-OXCNOTIF: the core notifications protocol. Ported from Microsoft's MS-OXCNOTIF suite
//! (ExchangeMAPI/Source/MS-OXCNOTIF: the adapter's capture code).

use oxmapi_wire::rop::oxcnotif::RegisterNotificationRequest;
use oxmapi_wire::rop::request::RopRequest;

use crate::case::{Case, CaseResult, Protocol, ensure, expect_rv};
use crate::context::Ctx;

const P: Protocol = Protocol::OxcNotif;

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxcnotif_register_notification_returns_handle",
    protocol: P,
    section: "MS-OXCNOTIF 2.2.1.2.1",
    requirements: &["MS-OXCNOTIF_R35"],
    needs: &[],
    run: register_returns_handle,
}];

fn register_returns_handle(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let req = RopRequest::RegisterNotification(RegisterNotificationRequest {
        logon_id: 0,
        input_handle_index: 0,
        output_handle_index: 1,
        // NewMail | ObjectCreated | ObjectDeleted (MS-OXCNOTIF 2.2.1.2.1.1).
        notification_types: 0x02 | 0x04 | 0x08,
        reserved: None,
        want_whole_store: 0,
        scope: Some((scratch, oxmapi_core::ids::ObjectId::ZERO)),
    });
    let one = ctx.rop(&[logon], req)?;
    expect_rv("RopRegisterNotification", &one.resp, 0)?;
    ensure(one.out.is_some(), "a subscription handle in the output slot", "none")
}
