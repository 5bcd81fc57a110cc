//! MS-OXCPRPT: the property and stream object protocol. Ported from Microsoft's MS-OXCPRPT
//! suite (ExchangeMAPI/Source/MS-OXCPRPT).

use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::outcome::Rows;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, ensure, fail};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcPrpt;

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxcprpt_get_properties_specific_unset_property_is_not_found",
    protocol: P,
    section: "MS-OXCPRPT 2.2.2.1",
    requirements: &[
        "MS-OXCPRPT 2.2.2.1 (PropertyValues: a FlaggedPropertyRow with NotFound for an unset property)",
    ],
    needs: &[],
    run: unset_property_not_found,
}];

fn unset_property_not_found(ctx: &mut Ctx) -> CaseResult {
    let (_, folder) = ctx.new_folder("oxcprpt-unset")?;
    // A named-range ID nobody sets, PtypInteger32.
    let tag = oxmapi_core::tag::PropTag(0x7FF0_0003);
    let one = ctx.rop(&[folder], rops::get_props(0, &[tag]))?;
    let b = body!(one.resp, GetPropertiesSpecific)?;
    let Rows::Decoded { rows, .. } = &b.row else { return Err(fail("a decoded row", "raw bytes")) };
    let row = rows.first().ok_or_else(|| fail("one row", "none"))?;
    ensure(row.flagged, "a FlaggedPropertyRow (some value is missing)", "a StandardPropertyRow")?;
    match row.values.first() {
        Some(RowValue::Error { code: 0x8004_010F, .. }) => Ok(()),
        other => Err(fail("an error value NotFound (0x8004010F)", format!("{other:?}"))),
    }
}
