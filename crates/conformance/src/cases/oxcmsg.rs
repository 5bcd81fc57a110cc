//! MS-OXCMSG: the message and attachment object protocol. Ported from Microsoft's MS-OXCMSG
//! suite (ExchangeMAPI/Source/MS-OXCMSG/TestSuite: S01_CreateAndSaveMessage …). Messages are
//! created only inside the suite's own folder.

use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, ensure, expect_rv};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcMsg;

/// PidTagSubject (PtypString).
const PR_SUBJECT_W: oxmapi_core::tag::PropTag = oxmapi_core::tag::PropTag(0x0037_001F);

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxcmsg_message_not_committed_before_save",
    protocol: P,
    section: "MS-OXCMSG 3.2.5.2",
    requirements: &["MS-OXCMSG_R339"],
    needs: &[],
    run: not_committed_before_save,
}];

/// Rows of the contents table of folder handle `folder`.
fn content_count(ctx: &mut Ctx, folder: u32) -> Result<u32, crate::case::Verdict> {
    let one = ctx.rop(&[folder], rops::contents_table(0, 1, 0))?;
    Ok(body!(one.resp, GetContentsTable)?.row_count)
}

fn not_committed_before_save(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcmsg-commit")?;
    let before = content_count(ctx, folder)?;
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, false))?;
    expect_rv("RopCreateMessage", &one.resp, 0)?;
    let msg = one.out.unwrap_or(UNUSED_HANDLE);
    let subject = oxmapi_core::value::TaggedValue {
        tag: PR_SUBJECT_W,
        value: PropValue::Unicode("conformance".into()),
    };
    let one = ctx.rop(&[msg], rops::set_props(0, vec![subject]))?;
    expect_rv("RopSetProperties", &one.resp, 0)?;
    let unsaved = content_count(ctx, folder)?;
    ensure(
        unsaved == before,
        format!("{before} rows before RopSaveChangesMessage"),
        format!("{unsaved} rows"),
    )?;
    let one =
        ctx.rops(&[rops::save_message(1, 0, rops::save_flags::KEEP_OPEN_READ_WRITE)], vec![msg, folder])?;
    let resp =
        one.responses.first().ok_or_else(|| crate::case::fail("a RopSaveChangesMessage response", "none"))?;
    expect_rv("RopSaveChangesMessage", resp, 0)?;
    let saved = content_count(ctx, folder)?;
    ensure(
        saved == before + 1,
        format!("{} rows after RopSaveChangesMessage", before + 1),
        format!("{saved} rows"),
    )
}
