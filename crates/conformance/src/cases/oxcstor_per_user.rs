//! MS-OXCSTOR per-user information on a private mailbox logon: RopWritePerUserInformation,
//! RopReadPerUserInformation, RopGetPerUserLongTermIds and RopGetPerUserGuid on the cached read
//! state of a public folder (MS-OXCSTOR 2.2.1.10–2.2.1.13, 3.2.5.10–3.2.5.13). Ported from
//! Microsoft's MS-OXCSTOR suite (OfficeDev/Interop-TestSuites, ExchangeMAPI/Source/MS-OXCSTOR,
//! S03_SyncUpReadAndUnreadInformation TC02/TC03), whose requirement numbers the cases cite. The
//! public folder is the public IPM subtree (its long-term id from the public logon's FolderIds
//! and ReplGuid); a server without public folders skips them. Every case leaves the cache as it
//! found it empty (an empty write, as TC03 step 4 does).

use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;
use oxmapi_wire::rop::peruser::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, expect_rv, fail, rv};
use crate::context::Ctx;

const P: Protocol = Protocol::OxcStor;
crate::case_constructor!(P);

/// ecError.
const EC_ERROR: u32 = 0x8000_4005;
/// ecRpcFormat (Exchange 2010 and earlier for a negative DataOffset, MS-OXCSTOR R1007).
const EC_RPC_FORMAT: u32 = 0x0000_04B6;
/// The adjusted MaxDataSize when the request's is 0 (MS-OXCSTOR R1005).
const DEFAULT_MAX: usize = 4096;

pub const CASES: &[Case] = &[
    case(
        "oxcstor_per_user_write_then_read_private",
        "MS-OXCSTOR 3.2.5.12, 3.2.5.13",
        &[
            "MS-OXCSTOR_R516",
            "MS-OXCSTOR_R966",
            "MS-OXCSTOR_R967",
            "MS-OXCSTOR_R1025",
            "MS-OXCSTOR_R1012",
            "MS-OXCSTOR_R1016",
        ],
        write_then_read,
    ),
    case(
        "oxcstor_per_user_read_in_chunks",
        "MS-OXCSTOR 3.2.5.12.1",
        &["MS-OXCSTOR_R543", "MS-OXCSTOR_R1284", "MS-OXCSTOR_R1005", "MS-OXCSTOR_R1010", "MS-OXCSTOR_R1002"],
        read_in_chunks,
    ),
    case(
        "oxcstor_per_user_listed_by_repl_guid",
        "MS-OXCSTOR 3.2.5.10, 3.2.5.11",
        &["MS-OXCSTOR 3.2.5.10 (the folders of the entries with DatabaseGuid)", "MS-OXCSTOR 3.2.5.11"],
        listed_by_repl_guid,
    ),
    case(
        "oxcstor_per_user_read_negative_offset_fails",
        "MS-OXCSTOR 3.2.5.12.1",
        &["MS-OXCSTOR_R1042", "MS-OXCSTOR_R1007"],
        read_negative_offset,
    ),
    case(
        "oxcstor_per_user_read_offset_past_end_fails",
        "MS-OXCSTOR 3.2.5.12.1",
        &["MS-OXCSTOR_R1260", "MS-OXCSTOR_R556", "MS-OXCSTOR_R557"],
        read_past_end,
    ),
    case(
        "oxcstor_per_user_write_out_of_step_fails",
        "MS-OXCSTOR 3.2.5.13.1",
        &["MS-OXCSTOR_R1019", "MS-OXCSTOR_R599", "MS-OXCSTOR_R600", "MS-OXCSTOR_R1033"],
        write_out_of_step,
    ),
    case(
        "oxcstor_per_user_write_folder_changed_fails",
        "MS-OXCSTOR 3.2.5.13.1",
        &["MS-OXCSTOR_R601"],
        write_folder_changed,
    ),
];

/// A serialized IDSET with REPLGUID (MS-OXCFXICS 2.2.2.4.2) of change numbers 1..=`n`: the
/// REPLGUID, one Range command (0x52) with 6-byte low and high values, End (0x00).
fn idset(g: Guid, n: u64) -> Vec<u8> {
    let mut b = g.0.to_vec();
    b.push(0x52);
    b.extend_from_slice(&oxmapi_core::ids::counter_to_be(1));
    b.extend_from_slice(&oxmapi_core::ids::counter_to_be(n));
    b.push(0x00);
    b
}

/// The long-term id of the public IPM subtree and the private logon's ReplGuid.
fn public_folder(ctx: &mut Ctx) -> Result<(LongTermId, Guid), Verdict> {
    let (mut e, _, p) = super::oxcstor::public_logon(ctx)?;
    let _ = e.disconnect();
    let ltid = LongTermId::from_object_id(p.folder_ids[1], p.repl_guid);
    let me = ctx.logon_info()?;
    Ok((ltid, me.repl_guid))
}

fn read(folder: LongTermId, offset: u32, max: u16) -> RopRequest {
    RopRequest::ReadPerUserInformation(ReadPerUserInformationRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: folder,
        reserved: 0,
        data_offset: offset,
        max_data_size: max,
    })
}

fn write(
    folder: LongTermId,
    offset: u32,
    data: &[u8],
    finished: bool,
    repl_guid: Option<Guid>,
) -> RopRequest {
    RopRequest::WritePerUserInformation(WritePerUserInformationRequest {
        logon_id: 0,
        input_handle_index: 0,
        folder_id: folder,
        has_finished: u8::from(finished),
        data_offset: offset,
        data: data.to_vec(),
        repl_guid,
    })
}

/// Sends `requests` on the logon; the responses.
fn on_logon(ctx: &mut Ctx, requests: &[RopRequest]) -> Result<Vec<RopResponse>, Verdict> {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(requests, vec![logon])?;
    if exec.responses.len() != requests.len() {
        return Err(fail(format!("{} responses", requests.len()), format!("{:?}", exec.responses)));
    }
    Ok(exec.responses)
}

/// Writes `blob` in two chunks (ReplGuid with the first, as a private logon sends it).
fn write_two(ctx: &mut Ctx, folder: LongTermId, repl: Guid, blob: &[u8]) -> CaseResult {
    let cut = blob.len() / 2;
    let r = on_logon(
        ctx,
        &[
            write(folder, 0, &blob[..cut], false, Some(repl)),
            write(folder, cut as u32, &blob[cut..], true, None),
        ],
    )?;
    expect_rv("RopWritePerUserInformation (first chunk)", &r[0], 0)?;
    expect_rv("RopWritePerUserInformation (last chunk)", &r[1], 0)
}

/// Empties the cache of `folder` again.
fn clear(ctx: &mut Ctx, folder: LongTermId, repl: Guid) -> CaseResult {
    let r = on_logon(ctx, &[write(folder, 0, &[], true, Some(repl))])?;
    expect_rv("RopWritePerUserInformation (empty)", &r[0], 0)
}

/// Runs `f` with data written for the public folder, and clears it afterwards whatever `f` did.
fn with_data(
    ctx: &mut Ctx,
    n: u64,
    f: impl FnOnce(&mut Ctx, LongTermId, Guid, &[u8]) -> CaseResult,
) -> CaseResult {
    let (folder, repl) = public_folder(ctx)?;
    let blob = idset(folder.database_guid, n);
    write_two(ctx, folder, repl, &blob)?;
    let result = f(ctx, folder, repl, &blob);
    let cleared = clear(ctx, folder, repl);
    result.and(cleared)
}

fn write_then_read(ctx: &mut Ctx) -> CaseResult {
    with_data(ctx, 40, |ctx, folder, _, blob| {
        let r = on_logon(ctx, &[read(folder, 0, 0)])?;
        let b = body!(r[0], ReadPerUserInformation)?;
        eq("the data written", blob.to_vec(), b.data.clone())
    })
}

fn read_in_chunks(ctx: &mut Ctx) -> CaseResult {
    with_data(ctx, 7, |ctx, folder, _, blob| {
        let r = on_logon(ctx, &[read(folder, 0, 1), read(folder, 1, 0)])?;
        let first = body!(r[0], ReadPerUserInformation)?;
        let rest = body!(r[1], ReadPerUserInformation)?;
        eq("first chunk (MaxDataSize 1)", (0, blob[..1].to_vec()), (first.has_finished, first.data.clone()))?;
        let expected = blob.len().saturating_sub(1).min(DEFAULT_MAX);
        eq("DataSize of the rest (MaxDataSize 0 → 4096)", expected, rest.data.len())?;
        ensure(rest.has_finished != 0, "HasFinished TRUE on the last chunk", rest.has_finished)
    })
}

fn listed_by_repl_guid(ctx: &mut Ctx) -> CaseResult {
    with_data(ctx, 3, |ctx, folder, repl, _| {
        let ids = RopRequest::GetPerUserLongTermIds(GetPerUserLongTermIdsRequest {
            logon_id: 0,
            input_handle_index: 0,
            database_guid: repl,
        });
        let guid = RopRequest::GetPerUserGuid(GetPerUserGuidRequest {
            logon_id: 0,
            input_handle_index: 0,
            long_term_id: folder,
        });
        let r = on_logon(ctx, &[ids, guid])?;
        let listed = body!(r[0], GetPerUserLongTermIds)?;
        ensure(
            listed.long_term_ids.contains(&folder),
            "the folder among the LongTermIds",
            format!("{:?}", listed.long_term_ids),
        )?;
        eq("DatabaseGuid of the folder's per-user data", repl, body!(r[1], GetPerUserGuid)?.database_guid)
    })
}

fn read_negative_offset(ctx: &mut Ctx) -> CaseResult {
    let (folder, _) = public_folder(ctx)?;
    let r = on_logon(ctx, &[read(folder, 0xFFFF_FFFF, 0)])?;
    let got = rv(&r[0]);
    ensure(
        got == EC_ERROR || got == EC_RPC_FORMAT,
        format!("ReturnValue {} (or {} before Exchange 2013)", code(EC_ERROR), code(EC_RPC_FORMAT)),
        code(got),
    )
}

fn read_past_end(ctx: &mut Ctx) -> CaseResult {
    with_data(ctx, 3, |ctx, folder, _, blob| {
        let r = on_logon(ctx, &[read(folder, blob.len() as u32 + 1, 0)])?;
        expect_rv("RopReadPerUserInformation past the end", &r[0], EC_ERROR)
    })
}

fn write_out_of_step(ctx: &mut Ctx) -> CaseResult {
    let (folder, repl) = public_folder(ctx)?;
    let blob = idset(folder.database_guid, 5);
    let r = on_logon(
        ctx,
        &[
            write(folder, 0, &blob[..4], false, Some(repl)),
            write(folder, 5, &blob[5..], true, None),
            write(folder, 4, &blob[4..], true, None),
        ],
    )?;
    expect_rv("RopWritePerUserInformation (first chunk)", &r[0], 0)?;
    expect_rv("RopWritePerUserInformation at the wrong DataOffset", &r[1], EC_ERROR)?;
    ensure(rv(&r[2]) != 0, "the right continuation to fail: the upload was aborted (R1033)", code(rv(&r[2])))
}

fn write_folder_changed(ctx: &mut Ctx) -> CaseResult {
    let (folder, repl) = public_folder(ctx)?;
    let blob = idset(folder.database_guid, 5);
    let mut other = folder;
    other.global_counter = other.global_counter.wrapping_add(1);
    let r = on_logon(
        ctx,
        &[write(folder, 0, &blob[..4], false, Some(repl)), write(other, 4, &blob[4..], true, None)],
    )?;
    expect_rv("RopWritePerUserInformation (first chunk)", &r[0], 0)?;
    expect_rv("RopWritePerUserInformation for another FolderId", &r[1], EC_ERROR)
}
