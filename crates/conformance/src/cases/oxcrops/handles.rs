//! MS-OXCROPS cases on the server object handle table (2.2.1, 3.2.5.1–3.2.5.4), the handle
//! index each response echoes, and failure response formats.

use super::*;

pub(super) fn release_has_no_response(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let logon = ctx.logon_handle()?;
    let folder = ctx.open_folder(inbox)?;
    let exec = ctx.rops(&[rops::release(1), rops::get_store_state(0)], vec![logon, folder])?;
    ensure(
        exec.responses.len() == 1 && matches!(exec.responses[0], RopResponse::GetStoreState(_)),
        "one response (RopGetStoreState) for RopRelease + RopGetStoreState",
        format!("{:?}", ids(&exec.responses)),
    )?;
    expect_rv("RopGetStoreState", &exec.responses[0], 0)
}

pub(super) fn rops_list_exact(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::get_store_state(0), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        eq("RopSize", out.rops.len() + 2, out.rop_size as usize)?;
        let (resps, rest) = raw::decode_plain(&out.rops);
        ensure(
            rest.is_empty() && resps.len() == 2,
            "RopsList = exactly two RopGetStoreState responses (RopSize − 2 bytes)",
            format!("{:?} and {} bytes left over", ids(&resps), rest.len()),
        )
    })
}

pub(super) fn handle_table_whole(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, UNUSED_HANDLE])?;
        eq("bytes after RopsList that are not a whole 32-bit handle", 0, out.trailing)?;
        eq("ServerObjectHandleTable size", out.payload.len() - out.rop_size as usize, out.handles.len() * 4)
    })
}

pub(super) fn handle_table_preserved(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let folder = ctx.open_folder(scratch)?;
    let logon = ctx.logon_handle()?;
    // Slot 2 is never referenced; slot 3 receives a new object.
    let exec = ctx.rops(
        &[rops::get_store_state(0), rops::get_props_all(1), rops::hierarchy_table(1, 3, 0)],
        vec![logon, folder, NEVER_ASSIGNED, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    ensure(
        exec.handles.len() >= 4,
        "a handle table reaching the highest index used (3)",
        format!("{:08X?}", exec.handles),
    )?;
    eq("slot 0 (the logon)", format!("{logon:08X}"), format!("{:08X}", exec.handles[0]))?;
    eq("slot 1 (the folder)", format!("{folder:08X}"), format!("{:08X}", exec.handles[1]))
}

/// MS-OXCROPS 4.4: `08 00 | 01 00 00 | 01 00 01 | handle 0 | handle 1`.
pub(super) fn release_pair(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(0, 1, scratch), rops::open_folder(0, 2, scratch)]);
        let out = raw_buffer(m, &open, &[m.logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
        let (a, b) = (out.handles.get(1).copied(), out.handles.get(2).copied());
        let (Some(a), Some(b)) = (a, b) else {
            return Err(fail("two folder handles", format!("{:08X?}", out.handles)));
        };
        let rops_list = [0x01, 0x00, 0x00, 0x01, 0x00, 0x01];
        let req = raw::input_buffer(&rops_list, &[a, b]);
        eq("the request buffer's RopSize (MS-OXCROPS 4.4: 08 00)", [0x08u8, 0x00], [req[0], req[1]])?;
        let out = raw_buffer(m, &rops_list, &[a, b])?;
        eq("RopsList of the answer to two RopRelease requests", Vec::<u8>::new(), out.rops)
    })
}

pub(super) fn output_slot(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::open_folder(0, 3, scratch)],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    let r = first(&exec, "RopOpenFolder")?;
    expect_rv("RopOpenFolder", &r, 0)?;
    eq("RopOpenFolder OutputHandleIndex", Some(3), r.status().map(|s| s.0))?;
    let h = exec.handles.get(3).copied().unwrap_or(UNUSED_HANDLE);
    ensure(
        h != UNUSED_HANDLE && h != logon,
        "a new handle in slot 3 of the ServerObjectHandleTable",
        format!("{:08X?}", exec.handles),
    )?;
    let one = ctx.rop(&[h], rops::get_props(0, &[crate::context::PR_DISPLAY_NAME_W]))?;
    expect_rv("RopGetPropertiesSpecific on the returned handle", &one.resp, 0)
}

pub(super) fn chained(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[rops::open_folder(0, 1, scratch), rops::hierarchy_table(1, 2, 0), rops::contents_table(1, 3, 0)],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    for r in &exec.responses {
        expect_rv(r.rop_id().name(), r, 0)?;
    }
    let hs: Vec<u32> = exec.handles.iter().skip(1).take(3).copied().collect();
    ensure(
        hs.len() == 3
            && hs.iter().all(|h| *h != UNUSED_HANDLE)
            && hs[0] != hs[1]
            && hs[1] != hs[2]
            && hs[0] != hs[2],
        "three distinct new handles in slots 1–3",
        format!("{:08X?}", exec.handles),
    )
}

pub(super) fn responses_in_order(ctx: &mut Ctx) -> CaseResult {
    let inbox = ctx.special_folder(FOLDER_INBOX)?;
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[
            rops::get_store_state(0),
            rops::long_term_id_from_id(0, inbox),
            rops::get_receive_folder(0, ""),
            rops::get_store_state(0),
        ],
        vec![logon],
    )?;
    eq(
        "response order",
        vec!["RopGetStoreState", "RopLongTermIdFromId", "RopGetReceiveFolder", "RopGetStoreState"],
        ids(&exec.responses).iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    )
}

pub(super) fn one_response_per_rop(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(
        &[
            rops::open_folder(0, 1, MISSING_FID),
            rops::get_store_state(0),
            rops::open_folder(0, 2, MISSING_FID),
            rops::get_store_state(0),
        ],
        vec![logon, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 4, exec.responses.len())?;
    ensure(
        rv(&exec.responses[0]) != 0 && rv(&exec.responses[2]) != 0,
        "RopOpenFolder of a missing folder to fail",
        format!("{} and {}", code(rv(&exec.responses[0])), code(rv(&exec.responses[2]))),
    )?;
    expect_rv("first RopGetStoreState", &exec.responses[1], 0)?;
    expect_rv("second RopGetStoreState", &exec.responses[3], 0)
}

/// RopGetPropertiesAll on handle value `bogus` (slot 1) followed by RopGetStoreState (slot 0).
pub(super) fn null_object_pair(ctx: &mut Ctx, bogus: u32) -> Result<Vec<RopResponse>, Verdict> {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_props_all(1), rops::get_store_state(0)], vec![logon, bogus])?;
    Ok(exec.responses)
}

pub(super) fn unused_slot_null_object(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, UNUSED_HANDLE)?;
    let first = r.first().ok_or_else(|| fail("a RopGetPropertiesAll response", "none"))?;
    expect_rv("RopGetPropertiesAll on handle 0xFFFFFFFF", first, EC_NULL_OBJECT)
}

pub(super) fn never_assigned_null_object(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, NEVER_ASSIGNED)?;
    let first = r.first().ok_or_else(|| fail("a RopGetPropertiesAll response", "none"))?;
    expect_rv("RopGetPropertiesAll on a handle never assigned", first, EC_NULL_OBJECT)
}

pub(super) fn null_object_rest_runs(ctx: &mut Ctx) -> CaseResult {
    let r = null_object_pair(ctx, NEVER_ASSIGNED)?;
    eq("responses", 2, r.len())?;
    expect_rv("RopGetPropertiesAll on a handle never assigned", &r[0], EC_NULL_OBJECT)?;
    expect_rv("RopGetStoreState after it", &r[1], 0)
}

pub(super) fn index_beyond_table(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_props_all(5), rops::get_store_state(0)], vec![logon])?;
    eq("responses", 2, exec.responses.len())?;
    expect_rv(
        "RopGetPropertiesAll with InputHandleIndex 5 in a 1-entry table",
        &exec.responses[0],
        EC_NULL_OBJECT,
    )?;
    expect_rv("RopGetStoreState after it", &exec.responses[1], 0)
}

pub(super) fn unknown_logon_id(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let stray = RopRequest::GetStoreState(oxmapi_wire::rop::oxcstor::GetStoreStateRequest {
        logon_id: 0x77,
        input_handle_index: 0,
    });
    let exec = ctx.rops(&[stray, rops::get_store_state(0)], vec![logon])?;
    eq("responses", 2, exec.responses.len())?;
    ensure(
        rv(&exec.responses[0]) != 0,
        "RopGetStoreState with a LogonId no RopLogon created to fail",
        code(rv(&exec.responses[0])),
    )?;
    expect_rv("RopGetStoreState with LogonId 0 after it", &exec.responses[1], 0)
}

pub(super) fn new_handles_unused(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let first = ctx.open_folder(scratch)?;
    let second = ctx.open_folder(scratch)?;
    let third = ctx.rop(&[first], rops::contents_table(0, 1, 0))?.out;
    let all = [Some(logon), Some(first), Some(second), third];
    let distinct: std::collections::HashSet<_> = all.iter().collect();
    ensure(
        third.is_some() && distinct.len() == all.len(),
        "four distinct handles for the logon, two opens of one folder and a table",
        format!("{all:08X?}"),
    )
}

pub(super) fn failure_header_only(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::open_folder(0, 1, MISSING_FID), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, UNUSED_HANDLE])?;
        let b = &out.rops;
        ensure(
            b.len() >= 7 && b[0] == 0x02 && b[2..6] != [0, 0, 0, 0],
            "a failing RopOpenFolder response first",
            format!("{b:02X?}"),
        )?;
        ensure(
            b[6] == 0x7B && b.len() == 6 + 10,
            "6 bytes of RopOpenFolder failure response, then the 10-byte RopGetStoreState response",
            format!("{} bytes: {b:02X?}", b.len()),
        )
    })
}

pub(super) fn failure_echoes_output(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec =
        ctx.rops(&[rops::open_folder(0, 2, MISSING_FID)], vec![logon, UNUSED_HANDLE, UNUSED_HANDLE])?;
    let r = first(&exec, "RopOpenFolder")?;
    ensure(rv(&r) != 0, "RopOpenFolder of a missing folder to fail", code(rv(&r)))?;
    eq("OutputHandleIndex of the failure response", Some(2), r.status().map(|s| s.0))
}

pub(super) fn release_unknown_silent(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let reqs = encode_requests(&[rops::release(1), rops::get_store_state(0)]);
        let out = raw_buffer(m, &reqs, &[m.logon, NEVER_ASSIGNED])?;
        let (resps, _) = raw::decode_plain(&out.rops);
        ensure(
            resps.len() == 1 && matches!(resps[0], RopResponse::GetStoreState(_)),
            "only the RopGetStoreState response",
            format!("{:?}", ids(&resps)),
        )?;
        expect_rv("RopGetStoreState", &resps[0], 0)
    })
}

pub(super) fn released_unusable(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let exec = ctx.rops(&[rops::release(0)], vec![h])?;
    eq("responses to RopRelease", 0, exec.responses.len())?;
    let one = ctx.rop(&[h], rops::get_props_all(0))?;
    expect_rv_in(
        "RopGetPropertiesAll on the released handle",
        &one.resp,
        &[EC_NULL_OBJECT, EC_INVALID_OBJECT],
    )
}

pub(super) fn input_index_echoed(ctx: &mut Ctx) -> CaseResult {
    let logon = ctx.logon_handle()?;
    let exec = ctx.rops(&[rops::get_store_state(2)], vec![UNUSED_HANDLE, UNUSED_HANDLE, logon])?;
    let r = first(&exec, "RopGetStoreState")?;
    expect_rv("RopGetStoreState", &r, 0)?;
    eq("InputHandleIndex of the response", Some(2), r.status().map(|s| s.0))
}

pub(super) fn response_index_echoed(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder) = ctx.new_folder("oxcrops-save")?;
    let one = ctx.rop(&[folder], rops::create_message(0, 1, fid, false))?;
    expect_rv("RopCreateMessage", &one.resp, 0)?;
    let msg = one.out.ok_or_else(|| fail("a message handle", "none"))?;
    let exec =
        ctx.rops(&[rops::save_message(0, 1, rops::save_flags::KEEP_OPEN_READ_WRITE)], vec![folder, msg])?;
    let r = first(&exec, "RopSaveChangesMessage")?;
    expect_rv("RopSaveChangesMessage", &r, 0)?;
    eq("ResponseHandleIndex of the response", Some(0), r.status().map(|s| s.0))?;
    eq("InputHandleIndex in the response body", 1, body!(r, SaveChangesMessage)?.input_handle_index)
}

pub(super) fn save_attachment_index(ctx: &mut Ctx) -> CaseResult {
    use oxmapi_wire::rop::oxcmsg::{CreateAttachmentRequest, SaveChangesAttachmentRequest};
    let (fid, folder) = ctx.new_folder("oxcrops-attach")?;
    let create = RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: 1,
        output_handle_index: 2,
    });
    // ResponseHandleIndex 1 names the message (MS-OXCMSG 2.2.3.15), InputHandleIndex 2 the
    // attachment.
    let save = RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: 1,
        input_handle_index: 2,
        save_flags: rops::save_flags::KEEP_OPEN_READ_WRITE,
    });
    let exec = ctx.rops(
        &[rops::create_message(0, 1, fid, false), create, save],
        vec![folder, UNUSED_HANDLE, UNUSED_HANDLE],
    )?;
    eq("responses", 3, exec.responses.len())?;
    for r in &exec.responses {
        expect_rv(r.rop_id().name(), r, 0)?;
    }
    eq(
        "ResponseHandleIndex of the RopSaveChangesAttachment response",
        Some(1),
        exec.responses[2].status().map(|s| s.0),
    )
}

pub(super) fn handle_index_per_rop(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let logon = ctx.logon_handle()?;
    let subject = oxmapi_core::value::TaggedValue {
        tag: oxmapi_core::tag::PropTag(0x0037_001F),
        value: oxmapi_core::value::PropValue::Unicode("oxcrops".into()),
    };
    // Slots chosen so that input and output indexes all differ.
    let reqs = [
        rops::open_folder(1, 4, scratch),
        rops::contents_table(4, 5, 0),
        rops::set_columns(5, &[crate::context::PR_DISPLAY_NAME_W]),
        rops::query_rows(5, 10, true),
        rops::get_props(4, &[crate::context::PR_DISPLAY_NAME_W]),
        rops::create_message(4, 6, scratch, false),
        rops::set_props(6, vec![subject]),
        rops::hierarchy_table(4, 3, 0),
        rops::get_store_state(1),
    ];
    let expected: [(&str, u8); 9] = [
        ("RopOpenFolder", 4),
        ("RopGetContentsTable", 5),
        ("RopSetColumns", 5),
        ("RopQueryRows", 5),
        ("RopGetPropertiesSpecific", 4),
        ("RopCreateMessage", 6),
        ("RopSetProperties", 6),
        ("RopGetHierarchyTable", 3),
        ("RopGetStoreState", 1),
    ];
    let mut handles = vec![UNUSED_HANDLE; 7];
    handles[1] = logon;
    let exec = ctx.rops(&reqs, handles)?;
    eq("responses", expected.len(), exec.responses.len())?;
    for ((name, idx), r) in expected.iter().zip(&exec.responses) {
        eq("ROP", *name, r.rop_id().name())?;
        expect_rv(name, r, 0)?;
        eq(&format!("{name} handle index"), Some(*idx), r.status().map(|s| s.0))?;
    }
    Ok(())
}

/// Checks the null-destination failure response (RopId, SourceHandleIndex 0, ReturnValue
/// 0x503, DestHandleIndex 2 as u32, PartialCompletion) followed by RopGetStoreState.
pub(super) fn null_destination(b: &[u8], rop_id: u8) -> CaseResult {
    ensure(
        b.len() >= 11 && b[0] == rop_id && b[1] == 0,
        format!("a response of RopId 0x{rop_id:02X} with SourceHandleIndex 0"),
        format!("{:02X?}", &b[..b.len().min(16)]),
    )?;
    let rv_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
    eq("ReturnValue for a destination handle never assigned", code(EC_DST_NULL_OBJECT), code(rv_))?;
    eq("DestHandleIndex (4 bytes)", 2u32, u32::from_le_bytes([b[6], b[7], b[8], b[9]]))?;
    ensure(b[10] <= 1, "PartialCompletion 0 or 1", format!("{}", b[10]))?;
    ensure(b.get(11) == Some(&0x7B), "RopGetStoreState right after the 11-byte response", format!("{b:02X?}"))
}

pub(super) fn move_copy_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (fid, _) = ctx.new_folder("oxcrops-nulldst")?;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(1, 0, fid)]);
        let out = raw_buffer(m, &open, &[UNUSED_HANDLE, m.logon])?;
        let folder = out.handles.first().copied().unwrap_or(UNUSED_HANDLE);
        let mv = RopRequest::MoveCopyMessages(oxmapi_wire::rop::oxcfold::MoveCopyMessagesRequest {
            logon_id: 0,
            source_handle_index: 0,
            dest_handle_index: 2,
            message_ids: vec![MISSING_FID],
            want_asynchronous: 0,
            want_copy: 1,
        });
        let reqs = encode_requests(&[mv, rops::get_store_state(1)]);
        let out = raw_buffer(m, &reqs, &[folder, m.logon, NEVER_ASSIGNED])?;
        null_destination(&out.rops, 0x33)
    })
}

pub(super) fn move_folder_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (fid, folder_shared) = ctx.new_folder("oxcrops-nulldst-f")?;
    let one = ctx.rop(&[folder_shared], rops::create_folder(0, 1, "child", false))?;
    let child = body!(one.resp, CreateFolder)?.folder_id;
    with_session(ctx, |m| {
        let open = encode_requests(&[rops::open_folder(1, 0, fid)]);
        let out = raw_buffer(m, &open, &[UNUSED_HANDLE, m.logon])?;
        let folder = out.handles.first().copied().unwrap_or(UNUSED_HANDLE);
        let mv = RopRequest::MoveFolder(oxmapi_wire::rop::oxcfold::MoveFolderRequest {
            logon_id: 0,
            source_handle_index: 0,
            dest_handle_index: 2,
            want_asynchronous: 0,
            use_unicode: 1,
            folder_id: child,
            new_folder_name: "moved".into(),
        });
        let reqs = encode_requests(&[mv, rops::get_store_state(1)]);
        let out = raw_buffer(m, &reqs, &[folder, m.logon, NEVER_ASSIGNED])?;
        null_destination(&out.rops, 0x35)
    })
}
