//! MS-OXCROPS cases on the response formats of RopLogon (2.2.3.1) and other store and table
//! ROPs.

use super::*;

/// A RopLogon of the first user on a new session with `output` as OutputHandleIndex in a table
/// of `output + 1` slots; returns the raw output buffer.
pub(super) fn raw_logon(ctx: &Ctx, output: u8, dn: &str) -> Result<OutputBuffer, Verdict> {
    let mut e = ctx.connected()?;
    let reqs = encode_requests(&[rops::logon_private(output, dn)]);
    let r = raw::execute_raw(&mut e, &reqs, &vec![UNUSED_HANDLE; output as usize + 1], DEFAULT_MAX_ROP_OUT);
    let _ = e.disconnect();
    r?.buffer("Execute with RopLogon")
}

pub(super) fn logon_layout(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    let out = raw_logon(ctx, 0, &dn)?;
    let b = &out.rops;
    ensure(
        b.first() == Some(&0xFE) && b.get(1) == Some(&0) && b.get(2..6) == Some(&[0, 0, 0, 0][..]),
        "RopId 0xFE, OutputHandleIndex 0, ReturnValue 0",
        format!("{:02X?}", &b[..b.len().min(6)]),
    )?;
    eq("length of the private-mailbox RopLogon response", LOGON_PRIVATE_RESPONSE_LEN, b.len())
}

pub(super) fn logon_output_index(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    let out = raw_logon(ctx, 2, &dn)?;
    eq("OutputHandleIndex of the RopLogon response", Some(&2u8), out.rops.get(1))?;
    let h = out.handles.get(2).copied().unwrap_or(UNUSED_HANDLE);
    ensure(h != UNUSED_HANDLE, "the logon handle in slot 2", format!("{:08X?}", out.handles))
}

pub(super) fn logon_folder_ids(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let mut seen = std::collections::HashSet::new();
    for (i, f) in info.folder_ids.iter().enumerate() {
        ensure(*f != ObjectId::ZERO, format!("FolderIds[{i}] set"), "0")?;
        ensure(
            seen.insert(*f),
            format!("FolderIds[{i}] distinct from the others"),
            format!("{f:?} repeated"),
        )?;
    }
    Ok(())
}

pub(super) fn logon_replid(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    for (i, f) in info.folder_ids.iter().enumerate() {
        eq(&format!("ReplicaId of FolderIds[{i}] (the logon's ReplId)"), info.repl_id, f.replica_id)?;
    }
    Ok(())
}

pub(super) fn logon_time(ctx: &mut Ctx) -> CaseResult {
    let t = ctx.logon_info()?.logon_time;
    let year_now = 1970
        + (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            / 31_556_952) as u16;
    ensure(
        t.seconds < 60
            && t.minutes < 60
            && t.hour < 24
            && t.day_of_week < 7
            && (1..=31).contains(&t.day)
            && (1..=12).contains(&t.month)
            && t.year.abs_diff(year_now) <= 1,
        format!("a valid LogonTime in {year_now}"),
        format!("{t:?}"),
    )
}

pub(super) fn logon_response_flags(ctx: &mut Ctx) -> CaseResult {
    let f = ctx.logon_info()?.response_flags;
    eq("ResponseFlags bits outside Reserved|OwnerRight|SendAsRight|OOF", 0, f & !0x17)?;
    eq("ResponseFlags Reserved|OwnerRight|SendAsRight for the owner's own mailbox", 0x07, f & 0x07)
}

pub(super) fn logon_wrong_dn(ctx: &mut Ctx) -> CaseResult {
    let out = raw_logon(ctx, 0, "/o=oxmapi-conformance/ou=nowhere/cn=Recipients/cn=nobody-at-all")?;
    let b = &out.rops;
    ensure(b.len() >= 6 && b[0] == 0xFE, "a RopLogon response", format!("{b:02X?}"))?;
    let c = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    ensure(c != 0 && c != EC_WRONG_SERVER, "a failing ReturnValue other than ecWrongServer", code(c))?;
    eq("length of the RopLogon failure response", 6, b.len())
}

pub(super) fn logon_unknown_user(ctx: &mut Ctx) -> CaseResult {
    let out = raw_logon(ctx, 0, "/o=oxmapi-conformance/ou=nowhere/cn=Recipients/cn=nobody-at-all")?;
    let b = &out.rops;
    ensure(b.len() >= 6 && b[0] == 0xFE, "a RopLogon response", format!("{b:02X?}"))?;
    eq("RopLogon ReturnValue", code(EC_UNKNOWN_USER), code(u32::from_le_bytes([b[2], b[3], b[4], b[5]])))
}

pub(super) fn second_logon(ctx: &mut Ctx) -> CaseResult {
    let dn = ctx.me.dn.clone();
    with_session(ctx, |m| {
        let logon = RopRequest::Logon(LogonRequest {
            logon_id: 1,
            output_handle_index: 1,
            logon_flags: oxmapi_core::consts::logon_rop_flags::PRIVATE,
            open_flags: rops::PRIVATE_OPEN_FLAGS,
            store_state: 0,
            essdn: Some(dn),
        });
        let state = RopRequest::GetStoreState(oxmapi_wire::rop::oxcstor::GetStoreStateRequest {
            logon_id: 1,
            input_handle_index: 1,
        });
        let exec = m.ems.execute(&[logon, state], vec![m.logon, UNUSED_HANDLE])?;
        eq("responses", 2, exec.responses.len())?;
        let LogonResponse::Private(_) = body!(exec.responses[0], Logon)? else {
            return Err(fail("a private-mailbox RopLogon response", "a public one"));
        };
        expect_rv("RopGetStoreState with LogonId 1", &exec.responses[1], 0)
    })
}

pub(super) fn store_state_format(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let out = raw_buffer(m, &encode_requests(&[rops::get_store_state(0)]), &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() == 10 && b[0] == 0x7B && b[1] == 0 && b[2..6] == [0, 0, 0, 0],
            "RopId 0x7B, InputHandleIndex 0, ReturnValue 0, StoreState (10 bytes)",
            format!("{b:02X?}"),
        )?;
        let state = u32::from_le_bytes([b[6], b[7], b[8], b[9]]);
        eq("StoreState bits other than STORE_HAS_SEARCHES", 0, state & !STORE_HAS_SEARCHES)
    })
}

pub(super) fn long_term_id_format(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let inbox = info.folder_ids[FOLDER_INBOX];
    let one = ctx.on_logon(rops::long_term_id_from_id(0, inbox))?;
    let l = body!(one.resp, LongTermIdFromId)?.long_term_id;
    eq("GlobalCounter", inbox.global_counter, l.global_counter)?;
    eq("Pad", 0, l.pad)?;
    eq("DatabaseGuid (the ReplGuid of the logon's ReplId)", info.repl_guid, l.database_guid)
}

pub(super) fn receive_folder(ctx: &mut Ctx) -> CaseResult {
    let info = ctx.logon_info()?;
    let one = ctx.on_logon(rops::get_receive_folder(0, "IPM"))?;
    let b = body!(one.resp, GetReceiveFolder)?;
    ensure(
        info.folder_ids.contains(&b.folder_id),
        "a receive folder among the logon's FolderIds",
        format!("{:?}", b.folder_id),
    )
}

pub(super) fn set_columns_complete(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let one = ctx.rop(&[h], rops::hierarchy_table(0, 1, 0))?;
    let t = one.out.ok_or_else(|| fail("a table handle", "none"))?;
    let one = ctx.rop(&[t], rops::set_columns(0, &[crate::context::PR_DISPLAY_NAME_W]))?;
    eq("TableStatus", 0, body!(one.resp, SetColumns)?.table_status)
}

pub(super) fn table_rop_on_folder(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::set_columns(0, &[crate::context::PR_DISPLAY_NAME_W]), rops::get_store_state(1)],
        vec![h, logon],
    )?;
    eq("responses", 2, exec.responses.len())?;
    expect_rv("RopSetColumns on a folder", &exec.responses[0], EC_NOT_SUPPORTED)?;
    expect_rv("RopGetStoreState after it", &exec.responses[1], 0)
}
