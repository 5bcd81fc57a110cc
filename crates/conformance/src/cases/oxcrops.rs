//! MS-OXCROPS: the ROP list and encoding protocol — buffer framing (2.2.1), the handle
//! table, and the response formats of each ROP. Ported from Microsoft's MS-OXCROPS suite
//! (ExchangeMAPI/Source/MS-OXCROPS/TestSuite: S01_LogonROPs …).

use oxmapi_wire::rop::response::RopResponse;

use crate::case::{Case, CaseResult, Protocol, ensure, expect_rv};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcRops;

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxcrops_release_has_no_response",
    protocol: P,
    section: "MS-OXCROPS 2.2.15.3",
    requirements: &["MS-OXCROPS 2.2.15.3 (RopRelease has no response buffer)"],
    needs: &[],
    run: release_has_no_response,
}];

fn release_has_no_response(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(crate::context::FOLDER_INBOX)?;
    let logon = ctx.logon_handle()?;
    let folder = ctx.open_folder(inbox)?;
    let exec = ctx.rops(&[rops::release(1), rops::get_store_state(0)], vec![logon, folder])?;
    ensure(
        exec.responses.len() == 1 && matches!(exec.responses[0], RopResponse::GetStoreState(_)),
        "one response (RopGetStoreState) for RopRelease + RopGetStoreState",
        format!("{:?}", exec.responses.iter().map(|r| r.rop_id()).collect::<Vec<_>>()),
    )?;
    expect_rv("RopGetStoreState", &exec.responses[0], 0)
}
