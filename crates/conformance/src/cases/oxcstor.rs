//! MS-OXCSTOR: the store object protocol — RopLogon (2.2.1.1), receive folders (2.2.1.2–4),
//! store state (2.2.1.5), long-term IDs (2.2.1.8–9). Ported from Microsoft's MS-OXCSTOR suite
//! (ExchangeMAPI/Source/MS-OXCSTOR: S01_PrivateMailboxLogon and the adapter's capture code).

use oxmapi_core::consts::logon_rop_flags;
use oxmapi_wire::rop::oxcstor::LogonResponse;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, ensure, eq, expect_rv, fail};
use crate::context::Ctx;
use crate::rops;

const P: Protocol = Protocol::OxcStor;

/// The cases of this module.
pub const CASES: &[Case] = &[
    Case {
        name: "oxcstor_logon_private_mailbox",
        protocol: P,
        section: "MS-OXCSTOR 2.2.1.1",
        requirements: &["MS-OXCSTOR_R13", "MS-OXCSTOR_R106", "MS-OXCSTOR_R117"],
        needs: &[],
        run: logon_private,
    },
    Case {
        name: "oxcstor_logon_response_flags_reserved_bit_set",
        protocol: P,
        section: "MS-OXCSTOR 2.2.1.1.3",
        requirements: &["MS-OXCSTOR_R122", "MS-OXCSTOR_R123"],
        needs: &[],
        run: response_flags_reserved,
    },
    Case {
        name: "oxcstor_logon_flags_echoed",
        protocol: P,
        section: "MS-OXCSTOR 2.2.1.1.3",
        requirements: &["MS-OXCSTOR_R118", "MS-OXCSTOR_R1062"],
        needs: &[],
        run: logon_flags_echoed,
    },
    Case {
        name: "oxcstor_id_from_long_term_id_round_trip",
        protocol: P,
        section: "MS-OXCSTOR 2.2.1.9",
        requirements: &["MS-OXCSTOR_R59721", "MS-OXCSTOR_R458", "MS-OXCSTOR_R459", "MS-OXCSTOR_R1253"],
        needs: &[],
        run: long_term_id_round_trip,
    },
];

/// A fresh private logon's response (a new session, disconnected afterwards).
fn fresh_logon(ctx: &mut Ctx) -> Result<(u8, RopResponse), crate::case::Verdict> {
    let mut e = ctx.connected()?;
    let exec =
        e.execute(&[rops::logon_private(0, &ctx.me.dn)], vec![oxmapi_wire::rop::buffer::UNUSED_HANDLE]);
    let _ = e.disconnect();
    let exec = exec?;
    let r = exec.responses.first().cloned().ok_or_else(|| fail("a RopLogon response", "none"))?;
    Ok((logon_rop_flags::PRIVATE, r))
}

fn logon_private(ctx: &mut Ctx) -> CaseResult {
    let (_, r) = fresh_logon(ctx)?;
    expect_rv("RopLogon", &r, 0)?;
    let b = body!(r, Logon)?;
    ensure(
        matches!(b, LogonResponse::Private(_)),
        "the private-mailbox response layout (LogonFlags, FolderIds, ResponseFlags, MailboxGuid …)",
        format!("{b:?}"),
    )
}

fn response_flags_reserved(ctx: &mut Ctx) -> CaseResult {
    let (_, r) = fresh_logon(ctx)?;
    let LogonResponse::Private(p) = body!(r, Logon)? else {
        return Err(fail("a private logon response", "a public one"));
    };
    eq("ResponseFlags & Reserved (0x01)", 0x01, p.response_flags & 0x01)
}

fn logon_flags_echoed(ctx: &mut Ctx) -> CaseResult {
    let (sent, r) = fresh_logon(ctx)?;
    let LogonResponse::Private(p) = body!(r, Logon)? else {
        return Err(fail("a private logon response", "a public one"));
    };
    eq("LogonFlags", sent, p.logon_flags)
}

fn long_term_id_round_trip(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(crate::context::FOLDER_INBOX)?;
    let one = ctx.on_logon(rops::long_term_id_from_id(0, inbox))?;
    let ltid = body!(one.resp, LongTermIdFromId)?.long_term_id;
    let one = ctx.on_logon(rops::id_from_long_term_id(0, ltid))?;
    let id = body!(one.resp, IdFromLongTermId)?.object_id;
    // MS-OXCSTOR 2.2.1.9.2: the ID is the REPLID followed by the LongTermID's GlobalCounter.
    eq("GlobalCounter of the returned FID", inbox.global_counter, id.global_counter)?;
    eq("the returned FID", inbox, id)
}
