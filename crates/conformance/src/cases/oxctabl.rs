//! MS-OXCTABL: the table object protocol. Ported from Microsoft's MS-OXCTABL suite
//! (ExchangeMAPI/Source/MS-OXCTABL: the model's requirement capture).

use crate::case::{Case, CaseResult, Protocol, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcTabl;

/// `ecNullObject`.
const EC_NULL_OBJECT: u32 = 0x0000_04B9;

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxctabl_query_rows_before_set_columns_fails",
    protocol: P,
    section: "MS-OXCTABL 3.2.5.1",
    requirements: &["MS-OXCTABL_R866", "MS-OXCTABL_R867"],
    needs: &[],
    run: query_rows_before_set_columns,
}];

fn query_rows_before_set_columns(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let folder = ctx.open_folder(scratch)?;
    let one = ctx.rop(&[folder], rops::hierarchy_table(0, 1, 0))?;
    expect_rv("RopGetHierarchyTable", &one.resp, 0)?;
    let table = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    let one = ctx.rop(&[table], rops::query_rows(0, 10, true))?;
    expect_rv("RopQueryRows before RopSetColumns", &one.resp, EC_NULL_OBJECT)
}
