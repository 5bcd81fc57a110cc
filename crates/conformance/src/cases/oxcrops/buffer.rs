//! MS-OXCROPS cases on the ROP buffer as a whole: ROPs the server may not implement, reserved
//! RopIds (2.2.2), unparseable input (3.2.5.1), empty ROP lists and RopBufferTooSmall (2.2.15.1).

use super::*;

pub(super) fn modify_rules_own_response(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    with_session(ctx, |m| {
        let mut reqs = encode_requests(&[rops::open_folder(0, 1, scratch)]);
        reqs.extend(raw::modify_rules_empty(1));
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon, UNUSED_HANDLE], DEFAULT_MAX_ROP_OUT)?;
        let out = ans.buffer("Execute with RopModifyRules")?;
        let (first, rest) = raw::decode_first(&out.rops);
        ensure(
            first.as_ref().is_some_and(|r| matches!(r, RopResponse::OpenFolder(_)) && rv(r) == 0),
            "RopOpenFolder to succeed first",
            format!("{:?}", first.iter().map(|r| r.rop_id()).collect::<Vec<_>>()),
        )?;
        ensure(
            rest.len() >= 6 && rest[0] == raw::ROP_MODIFY_RULES && rest[1] == 1,
            "a RopModifyRules response (RopId 0x41, InputHandleIndex 1)",
            format!("{:02X?}", &rest[..rest.len().min(12)]),
        )?;
        // Whatever the ReturnValue (success, ecNotSupported from a server without rules, or a
        // complaint about the empty rule list), the response is the 6-byte header
        // (MS-OXCROPS 2.2.11.1.2) and the buffer goes on.
        let (after, _) = raw::decode_plain(&rest[6..]);
        ensure(
            after.first().is_some_and(|r| matches!(r, RopResponse::GetStoreState(_)) && rv(r) == 0),
            "the RopGetStoreState after RopModifyRules to run and succeed",
            format!("{:?}", ids(&after)),
        )
    })
}

pub(super) fn per_user_ltids(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let guid: [u8; 16] = rand::random();
        let mut reqs = raw::get_per_user_long_term_ids(0, guid);
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() >= 6 && b[0] == raw::ROP_GET_PER_USER_LONG_TERM_IDS && b[1] == 0,
            "a RopGetPerUserLongTermIds response (RopId 0x60, InputHandleIndex 0)",
            format!("{:02X?}", &b[..b.len().min(12)]),
        )?;
        let code_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
        // MS-OXCSTOR 3.2.5.10: only a public folders logon fails (ecNotSupported).
        eq("RopGetPerUserLongTermIds ReturnValue on a private logon", code(0), code(code_))?;
        let n = b.get(6..8).map(|x| u16::from_le_bytes([x[0], x[1]]) as usize).unwrap_or(usize::MAX);
        let next = 8usize.saturating_add(n.saturating_mul(24));
        ensure(
            b.get(next) == Some(&0x7B),
            "the RopGetStoreState response right after the RopGetPerUserLongTermIds response",
            format!("ReturnValue {}, {} bytes: {b:02X?}", code(code_), b.len()),
        )
    })
}

pub(super) fn per_user_guid_unknown(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let mut ltid = [0u8; 24];
        ltid[..22].copy_from_slice(&rand::random::<[u8; 22]>());
        let mut reqs = raw::get_per_user_guid(0, ltid);
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let out = raw_buffer(m, &reqs, &[m.logon])?;
        let b = &out.rops;
        ensure(
            b.len() >= 6 && b[0] == raw::ROP_GET_PER_USER_GUID && b[1] == 0,
            "a RopGetPerUserGuid response (RopId 0x61, InputHandleIndex 0)",
            format!("{:02X?}", &b[..b.len().min(12)]),
        )?;
        let code_ = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
        ensure(code_ != 0, "RopGetPerUserGuid to fail for a folder without per-user data", code(code_))?;
        ensure(b.get(6) == Some(&0x7B), "RopGetStoreState to follow", format!("{b:02X?}"))
    })
}

pub(super) fn reserved_rop(ctx: &mut Ctx, id: u8) -> CaseResult {
    with_session(ctx, |m| {
        let mut reqs = vec![id, 0, 0];
        reqs.extend(encode_requests(&[rops::get_store_state(0)]));
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon], DEFAULT_MAX_ROP_OUT)?;
        ensure(
            !matches!(ans, RawAnswer::Buffer(_)),
            format!("Execute to fail for reserved RopId 0x{id:02X}"),
            format!("{ans:?}"),
        )
    })
}

pub(super) fn reserved_0x28(ctx: &mut Ctx) -> CaseResult {
    reserved_rop(ctx, 0x28)
}

pub(super) fn reserved_0x62(ctx: &mut Ctx) -> CaseResult {
    reserved_rop(ctx, 0x62)
}

pub(super) fn unparseable_request(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        // RopOpenFolder cut inside FolderId.
        let reqs = [0x02, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00];
        let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon, UNUSED_HANDLE], DEFAULT_MAX_ROP_OUT)?;
        eq("Execute error for a truncated request", Some(code(EC_RPC_FORMAT)), ans.error().map(code))
    })
}

pub(super) fn empty_rop_list(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let out = raw_buffer(m, &[], &[m.logon])?;
        eq("RopSize of the output buffer", 2, out.rop_size)
    })
}

/// RopGetStoreState then RopGetPropertiesAll on the logon, with an output buffer too small for
/// both; returns the request bytes and the answer.
pub(super) fn too_small(m: &mut Main) -> Result<(Vec<u8>, OutputBuffer), Verdict> {
    let reqs = encode_requests(&[rops::get_store_state(0), rops::get_props_all(0)]);
    // RPC_HEADER_EXT (8) + RopSize (2) + handle table (4) + RopGetStoreState (10) + room for
    // RopBufferTooSmall with the 7-byte request: far less than a RopGetPropertiesAll of a store.
    // (RopGetStoreState is 3 request bytes, RopGetPropertiesAll 7.)
    let max = 8 + 2 + 4 + 10 + 3 + 7 + 64;
    let ans = raw::execute_raw(&mut m.ems, &reqs, &[m.logon], max)?;
    Ok((reqs, ans.buffer("Execute with a small MaxRopOut")?))
}

pub(super) fn buffer_too_small(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let (reqs, out) = too_small(m)?;
        let (resps, rest) = raw::decode_plain(&out.rops);
        let Some(RopResponse::BufferTooSmall(b)) = resps.last() else {
            return Err(fail(
                "RopBufferTooSmall as the last response",
                format!("{:?} + {rest:02X?}", ids(&resps)),
            ));
        };
        let done = resps.len() - 1;
        // The unprocessed requests are a suffix of the request list starting at a ROP boundary.
        let boundaries = [0usize, 3, reqs.len()];
        let expected = boundaries.get(done).map(|s| &reqs[*s..]);
        ensure(
            expected == Some(b.request_buffers.as_slice()) && !b.request_buffers.is_empty(),
            "RequestBuffers = the request ROPs not processed, verbatim",
            format!("{} responses before it, RequestBuffers {:02X?}", done, b.request_buffers),
        )?;
        ensure(
            b.size_needed as usize > out.payload.len(),
            "SizeNeeded larger than the output buffer returned",
            format!("SizeNeeded {} for a {}-byte buffer", b.size_needed, out.payload.len()),
        )
    })
}

pub(super) fn buffer_too_small_retry(ctx: &mut Ctx) -> CaseResult {
    with_session(ctx, |m| {
        let (_, out) = too_small(m)?;
        let (resps, _) = raw::decode_plain(&out.rops);
        let Some(RopResponse::BufferTooSmall(b)) = resps.last() else {
            return Err(fail("RopBufferTooSmall as the last response", format!("{:?}", ids(&resps))));
        };
        let again = raw_buffer(m, &b.request_buffers, &[m.logon])?;
        let (resps, _) = raw::decode_plain(&again.rops);
        let last = resps.last().ok_or_else(|| fail("responses to the resent requests", "none"))?;
        ensure(
            matches!(last, RopResponse::GetPropertiesAll(_)),
            "RopGetPropertiesAll answered when resent",
            format!("{:?}", ids(&resps)),
        )?;
        expect_rv("resent RopGetPropertiesAll", last, 0)
    })
}
