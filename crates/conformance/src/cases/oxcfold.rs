//! MS-OXCFOLD: the folder object protocol. Ported from Microsoft's MS-OXCFOLD suite
//! (ExchangeMAPI/Source/MS-OXCFOLD/TestSuite: S01_FolderRopOperations …). Every folder a case
//! creates lives inside the suite's own folder ([`Ctx::new_folder`]).

use crate::case::{Case, CaseResult, Need, Protocol, expect_rv};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcFold;

/// The cases of this module.
pub const CASES: &[Case] = &[
    Case {
        name: "oxcfold_create_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.2",
        requirements: &["MS-OXCFOLD_R37"],
        needs: &[],
        run: create_folder,
    },
    Case {
        name: "oxcfold_empty_folder_on_logon_object_not_supported",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.9",
        requirements: &["MS-OXCFOLD 2.2.1.9 (RopEmptyFolder applies to a Folder object only)"],
        // A server that wrongly accepts it empties the mailbox root.
        needs: &[Need::Destructive],
        run: empty_folder_on_logon,
    },
];

fn create_folder(ctx: &mut Ctx) -> CaseResult {
    ctx.new_folder("oxcfold-create").map(|_| ())
}

fn empty_folder_on_logon(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(rops::empty_folder(0, false))?;
    expect_rv("RopEmptyFolder on the Logon object", &one.resp, 0x8004_0102)
}
