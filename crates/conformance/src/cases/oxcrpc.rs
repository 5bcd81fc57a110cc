//! MS-OXCRPC: the Wire Format Protocol as MAPI/HTTP carries it — the EcDoConnectEx and
//! EcDoRpcExt2 semantics of Connect and Execute (MS-OXCMAPIHTTP 2.2.4 maps their fields), the
//! RPC_HEADER_EXT framing of rgbIn/rgbOut (2.2.2.1, 3.1.4.1.1), the pulFlags (3.1.4.2),
//! buffer limits, and the auxiliary buffers (2.2.2.2). Ported from Microsoft's MS-OXCRPC
//! suite (ExchangeMAPI/Source/MS-OXCRPC: S01_SynchronousCall and the adapter's
//! VerifyRPCHeaderExt / VerifyRgbAuxOutPayLoadOnEcDoConnectEx / VerifyPayloadLengthResponse).

use oxmapi_core::codec::Reader;
use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::mapihttp::emsmdb::{ConnectSuccess, ExecuteRequest, ExecuteSuccess};
use oxmapi_wire::rop::buffer::{RopBuffer, UNUSED_HANDLE, encode_requests};
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{BlockDetails, EncodeOptions, RpcHeaderExt, encode_block, inspect_blocks};

use crate::case::{Case, CaseResult, Protocol, Verdict, code, ensure, eq, fail, skip};
use crate::context::Ctx;
use crate::http::Reply;
use crate::rops;
use crate::session::{DEFAULT_MAX_ROP_OUT, Emsmdb};

const P: Protocol = Protocol::OxcRpc;

/// pulFlags (MS-OXCRPC 3.1.4.2; MS-OXCMAPIHTTP 2.2.4.2.1 Flags).
mod pul {
    pub const NO_COMPRESSION: u32 = 0x0000_0001;
    pub const NO_XOR_MAGIC: u32 = 0x0000_0002;
}

/// RPC_HEADER_EXT Flags (MS-OXCRPC 2.2.2.1).
mod hdr {
    pub const COMPRESSED: u16 = 0x0001;
    pub const XOR_MAGIC: u16 = 0x0002;
    pub const LAST: u16 = 0x0004;
}

/// AUX_HEADER Version 1 block types a server sends (MS-OXCRPC 2.2.2.2).
const SERVER_AUX_TYPES: &[u8] = &[0x0A, 0x16, 0x17, 0x48, 0x4B];

/// The cases of this module.
pub const CASES: &[Case] = &[
    case(
        "oxcrpc_rgbout_rpc_header_ext_version_zero",
        "MS-OXCRPC 2.2.2.1",
        &["MS-OXCRPC_R33", "MS-OXCRPC_R658"],
        rgbout_version_zero,
    ),
    case(
        "oxcrpc_rgbout_flags_are_valid",
        "MS-OXCRPC 2.2.2.1",
        &["MS-OXCRPC_R34", "MS-OXCRPC_R35"],
        rgbout_flags_valid,
    ),
    case(
        "oxcrpc_rgbout_last_header_has_last_flag",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC_R779", "MS-OXCRPC_R40", "MS-OXCRPC_R778"],
        rgbout_last_flag,
    ),
    case(
        "oxcrpc_rgbout_uncompressed_size_equals_size_actual",
        "MS-OXCRPC 2.2.2.1",
        &["MS-OXCRPC_R38", "MS-OXCRPC_R46"],
        rgbout_sizes_equal,
    ),
    case(
        "oxcrpc_rgbout_compressed_size_below_size_actual",
        "MS-OXCRPC 2.2.2.1",
        &["MS-OXCRPC_R4794"],
        rgbout_compressed_sizes,
    ),
    case(
        "oxcrpc_no_compression_flag_honoured",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (pulFlags NoCompression: the server MUST NOT compress rgbOut)"],
        no_compression_honoured,
    ),
    case(
        "oxcrpc_no_xor_magic_flag_honoured",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (pulFlags NoXorMagic: the server MUST NOT obfuscate rgbOut)"],
        no_xor_honoured,
    ),
    case(
        "oxcrpc_no_chain_flag_single_payload",
        "MS-OXCRPC 3.1.4.2",
        &[
            "MS-OXCRPC 3.1.4.2 (without the Chain flag the server returns one extended buffer)",
            "MS-OXCRPC_R779",
        ],
        no_chain_single,
    ),
    case(
        "oxcrpc_rgbout_payload_at_most_32k",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC_R1628", "MS-OXCRPC_R961", "MS-OXCRPC_R964"],
        payload_at_most_32k,
    ),
    case(
        "oxcrpc_rgbout_at_most_96_payloads",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC_R969"],
        at_most_96_payloads,
    ),
    case(
        "oxcrpc_rgbout_is_the_rop_response_payload",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC_R657", "MS-OXCRPC_R668", "MS-OXCRPC_R1320", "MS-OXCRPC_R660"],
        rgbout_is_rop_payload,
    ),
    case(
        "oxcrpc_compressed_rgbin_accepted",
        "MS-OXCRPC 3.1.4.1.1.1.1",
        &["MS-OXCRPC 3.1.4.1.1.1.1 (the server decompresses an rgbIn payload with the Compressed flag)"],
        compressed_rgbin,
    ),
    case(
        "oxcrpc_xor_magic_rgbin_accepted",
        "MS-OXCRPC 3.1.4.1.1.1.2",
        &["MS-OXCRPC 3.1.4.1.1.1.2 (the server un-obfuscates an rgbIn payload with the XorMagic flag)"],
        xor_rgbin,
    ),
    case(
        "oxcrpc_compressed_and_xor_rgbin_accepted",
        "MS-OXCRPC 3.1.4.1.1.1",
        &["MS-OXCRPC 3.1.4.1.1.1 (compression, then obfuscation, undone in reverse)"],
        compressed_xor_rgbin,
    ),
    case(
        "oxcrpc_rgbin_without_rops",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (an rgbIn with an empty ROP list succeeds with an empty response)"],
        rgbin_without_rops,
    ),
    case(
        "oxcrpc_handle_table_size_preserved",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCROPS 2.2.1 (the response's handle table has as many entries as the request's)"],
        handle_table_size,
    ),
    case(
        "oxcrpc_max_rop_out_below_8_fails",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (pcbOut below 0x00000008 fails the call)"],
        max_rop_out_below_8,
    ),
    case(
        "oxcrpc_rgbin_below_8_fails",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (cbIn below 0x00000008 fails the call)"],
        rgbin_below_8,
    ),
    case(
        "oxcrpc_aux_in_of_1_to_7_bytes_fails",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (cbAuxIn of 1 to 7 bytes fails the call)"],
        aux_in_too_short,
    ),
    case(
        "oxcrpc_small_max_rop_out_gives_buffer_too_small",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCROPS 2.2.15.1 (RopBufferTooSmall when the ROP output buffer is too small)"],
        buffer_too_small,
    ),
    case(
        "oxcrpc_connect_returns_0",
        "MS-OXCRPC 3.1.4.1",
        &["MS-OXCRPC_R582", "MS-OXCRPC_R477", "MS-OXCRPC_R1212"],
        connect_returns_0,
    ),
    case(
        "oxcrpc_connect_session_contexts_are_distinct",
        "MS-OXCRPC 3.1.4.1",
        &["MS-OXCRPC_R4790", "MS-OXCRPC_R1266"],
        distinct_contexts,
    ),
    case(
        "oxcrpc_disconnect_destroys_session_context",
        "MS-OXCRPC 3.1.4.3",
        &["MS-OXCRPC_R1268", "MS-OXCRPC_R406"],
        disconnect_destroys,
    ),
    case(
        "oxcrpc_connect_accepts_client_aux_blocks",
        "MS-OXCRPC 2.2.2.2",
        &["MS-OXCRPC_R990", "MS-OXCRPC 3.1.4.1 (rgbAuxIn: auxiliary payload the client sends)"],
        connect_with_aux_in,
    ),
    case(
        "oxcrpc_connect_rgbauxout_header",
        "MS-OXCRPC 3.1.4.1.1.1.2",
        &["MS-OXCRPC_R575", "MS-OXCRPC_R747", "MS-OXCRPC_R748"],
        connect_aux_header,
    ),
    case(
        "oxcrpc_connect_rgbauxout_blocks_well_formed",
        "MS-OXCRPC 2.2.2.2",
        &["MS-OXCRPC_R990", "MS-OXCRPC_R1597", "MS-OXCRPC_R993", "MS-OXCRPC_R4847", "MS-OXCRPC_R1061"],
        connect_aux_blocks,
    ),
    case(
        "oxcrpc_connect_rgbauxout_block_types",
        "MS-OXCRPC 2.2.2.2",
        &["MS-OXCRPC_R55", "MS-OXCRPC_R1060"],
        connect_aux_types,
    ),
    case(
        "oxcrpc_connect_exorginfo_flags",
        "MS-OXCRPC 2.2.2.19",
        &["MS-OXCRPC_R283", "MS-OXCRPC_R1692"],
        connect_exorginfo,
    ),
    case(
        "oxcrpc_connect_endpoint_capabilities",
        "MS-OXCRPC 2.2.2.23",
        &["MS-OXCRPC_R1521"],
        connect_endpoint_capabilities,
    ),
    case(
        "oxcrpc_connect_server_session_info",
        "MS-OXCRPC 2.2.2.25",
        &["MS-OXCRPC_R1535", "MS-OXCRPC_R1540", "MS-OXCRPC_R1539"],
        connect_server_session_info,
    ),
    case(
        "oxcrpc_connect_rgbauxout_payload_at_most_32k",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC_R726", "MS-OXCRPC_R21"],
        connect_aux_size,
    ),
    case(
        "oxcrpc_execute_rgbauxout_header",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC_R682", "MS-OXCRPC_R1649"],
        execute_aux_header,
    ),
    case(
        "oxcrpc_execute_accepts_client_aux_blocks",
        "MS-OXCRPC 3.1.4.2",
        &[
            "MS-OXCRPC 3.1.4.2 (rgbAuxIn: auxiliary payload the client sends with EcDoRpcExt2)",
            "MS-OXCRPC_R990",
        ],
        execute_with_aux_in,
    ),
    case("oxcrpc_aux_in_above_0x1008_fails", "MS-OXCRPC 2.2.1.2", &["MS-OXCRPC_R21"], aux_in_too_large),
    case(
        "oxcrpc_chained_rgbout_blocks_each_framed",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC_R775", "MS-OXCRPC_R965", "MS-OXCRPC_R777"],
        chained_blocks,
    ),
    case(
        "oxcrpc_obfuscated_rgbout_decodes",
        "MS-OXCRPC 3.1.4.1.1.1.2",
        &["MS-OXCRPC 3.1.4.1.1.1.2 (XorMagic: every payload byte XORed with 0xA5)"],
        obfuscated_rgbout,
    ),
    case(
        "oxcrpc_max_rop_out_0x40000_accepted",
        "MS-OXCRPC 2.2.1.1",
        &["MS-OXCRPC_R20"],
        max_rop_out_limit_accepted,
    ),
    case("oxcrpc_rgbin_bad_version_fails", "MS-OXCRPC 2.2.2.1", &["MS-OXCRPC_R33"], rgbin_bad_version),
    case(
        "oxcrpc_rgbin_without_last_flag_fails",
        "MS-OXCRPC 3.1.4.1.1",
        &["MS-OXCRPC 3.1.4.1.1 (the last RPC_HEADER_EXT of rgbIn carries Last)"],
        rgbin_without_last,
    ),
    case(
        "oxcrpc_rgbin_size_beyond_buffer_fails",
        "MS-OXCRPC 2.2.2.1",
        &["MS-OXCRPC 2.2.2.1 (Size is the length of the payload that follows)"],
        rgbin_size_beyond,
    ),
    case(
        "oxcrpc_malformed_rop_fails_with_rpc_format",
        "MS-OXCRPC 3.1.4.2",
        &["MS-OXCRPC 3.1.4.2 (ecRpcFormat 0x000004B6: the request format is invalid)"],
        malformed_rop,
    ),
    case(
        "oxcrpc_connect_ignore_no_pf_flag",
        "MS-OXCRPC 3.1.4.1",
        &["MS-OXCRPC 3.1.4.1 (ulFlags CONNECT_IGNORE_NO_PF 0x00008000)"],
        connect_ignore_no_pf,
    ),
    case(
        "oxcrpc_connect_unknown_user_dn_fails",
        "MS-OXCRPC 3.1.4.1",
        &["MS-OXCRPC 3.1.4.1 (szUserDN must name the authenticated user)"],
        connect_unknown_dn,
    ),
    case(
        "oxcrpc_connect_empty_user_dn_fails",
        "MS-OXCRPC 3.1.4.1",
        &["MS-OXCRPC 3.1.4.1 (szUserDN must name the authenticated user)"],
        connect_empty_dn,
    ),
    Case {
        needs: &[crate::case::Need::User2],
        ..case(
            "oxcrpc_connect_as_another_users_dn_fails",
            "MS-OXCRPC 3.1.4.1",
            &["MS-OXCRPC 3.1.4.1 (szUserDN must name the authenticated user)"],
            connect_other_dn,
        )
    },
];

crate::case_constructor!(P);

/// A ROP buffer with one RopLogon for the first user.
fn logon_payload(ctx: &Ctx) -> Vec<u8> {
    let rops = encode_requests(&[rops::logon_private(0, &ctx.me.dn)]);
    RopBuffer { rops, handles: vec![UNUSED_HANDLE] }.encode()
}

/// A ROP buffer with a RopLogon and `n` RopGetPropertiesSpecific on it (a compressible request
/// and a larger response).
fn logon_and_props_payload(ctx: &Ctx, n: usize) -> Vec<u8> {
    let tags = [
        oxmapi_core::tag::PropTag(0x3001_001F),
        oxmapi_core::tag::PropTag(0x0FFF_0102),
        oxmapi_core::tag::PropTag(0x6619_0102),
    ];
    let mut reqs = vec![rops::logon_private(0, &ctx.me.dn)];
    reqs.extend((0..n).map(|_| rops::get_props(0, &tags)));
    RopBuffer { rops: encode_requests(&reqs), handles: vec![UNUSED_HANDLE] }.encode()
}

/// Sends an Execute `req` on a fresh connected context; the success body.
fn execute(ctx: &Ctx, req: &ExecuteRequest) -> Result<ExecuteSuccess, Verdict> {
    let mut e = ctx.connected()?;
    let r = e.execute_body(req);
    let _ = e.disconnect();
    match r? {
        (_, Some(Response::Success(s))) if s.error_code == 0 => Ok(s),
        (_, Some(Response::Success(s))) => Err(fail("Execute ErrorCode 0", code(s.error_code))),
        (_, Some(Response::Failure(f))) => {
            Err(fail("an Execute success body", format!("StatusCode {}", code(f.status_code))))
        }
        (reply, None) => Err(fail("Execute X-ResponseCode 0", reply.summary())),
    }
}

/// The raw rgbOut of an Execute of `payload` (one plain block) with `flags`.
fn rgb_out(ctx: &Ctx, payload: &[u8], flags: u32, max_rop_out: u32) -> Result<Vec<u8>, Verdict> {
    let mut req = Emsmdb::execute_request(payload, max_rop_out)?;
    req.flags = flags;
    Ok(execute(ctx, &req)?.rop_buffer)
}

/// The blocks of an rgbOut, each as transmitted and decoded.
fn blocks(out: &[u8]) -> Result<Vec<BlockDetails>, Verdict> {
    let i = inspect_blocks(out);
    match i.error {
        Some(e) => Err(fail("rgbOut made of RPC_HEADER_EXT blocks", e)),
        None => Ok(i.blocks),
    }
}

/// The raw rgbOut of an Execute of `payload` (one plain block) — public for other modules.
pub fn raw_rgb_out(ctx: &mut Ctx, payload: &[u8], max_rop_out: u32) -> Result<Vec<u8>, Verdict> {
    rgb_out(ctx, payload, 0, max_rop_out)
}

fn rgbout_version_zero(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_payload(ctx), 0, DEFAULT_MAX_ROP_OUT)?;
    let h = RpcHeaderExt::decode(&mut Reader::new(&out)).map_err(|e| fail("an RPC_HEADER_EXT", e))?;
    eq("RPC_HEADER_EXT Version", 0x0000, h.version)
}

fn rgbout_flags_valid(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_payload(ctx), 0, DEFAULT_MAX_ROP_OUT)?;
    for b in blocks(&out)? {
        let extra = b.header.flags & !(hdr::COMPRESSED | hdr::XOR_MAGIC | hdr::LAST);
        ensure(
            extra == 0,
            "only Compressed, XorMagic and Last in Flags",
            format!("Flags 0x{:04X}", b.header.flags),
        )?;
    }
    Ok(())
}

fn rgbout_last_flag(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_and_props_payload(ctx, 4), 0, DEFAULT_MAX_ROP_OUT)?;
    let bs = blocks(&out)?;
    for (i, b) in bs.iter().enumerate() {
        let last = i + 1 == bs.len();
        ensure(
            (b.header.flags & hdr::LAST != 0) == last,
            "the Last flag on the last RPC_HEADER_EXT only",
            format!("block {} of {} has Flags 0x{:04X}", i + 1, bs.len(), b.header.flags),
        )?;
    }
    Ok(())
}

fn rgbout_sizes_equal(ctx: &mut Ctx) -> CaseResult {
    let out =
        rgb_out(ctx, &logon_payload(ctx), pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, DEFAULT_MAX_ROP_OUT)?;
    for b in blocks(&out)? {
        if b.header.flags & hdr::COMPRESSED == 0 {
            eq("SizeActual (no Compressed flag)", b.header.size, b.header.size_actual)?;
        }
    }
    Ok(())
}

fn rgbout_compressed_sizes(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_and_props_payload(ctx, 30), 0, DEFAULT_MAX_ROP_OUT)?;
    let compressed: Vec<BlockDetails> =
        blocks(&out)?.into_iter().filter(|b| b.header.flags & hdr::COMPRESSED != 0).collect();
    if compressed.is_empty() {
        return skip("the server did not compress this response (compression is its choice)");
    }
    for b in compressed {
        ensure(
            b.header.size < b.header.size_actual,
            "Size below SizeActual for a compressed payload",
            format!("Size {} SizeActual {}", b.header.size, b.header.size_actual),
        )?;
    }
    Ok(())
}

fn no_compression_honoured(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_and_props_payload(ctx, 30), pul::NO_COMPRESSION, DEFAULT_MAX_ROP_OUT)?;
    for b in blocks(&out)? {
        ensure(
            b.header.flags & hdr::COMPRESSED == 0,
            "no Compressed flag",
            format!("Flags 0x{:04X}", b.header.flags),
        )?;
    }
    Ok(())
}

fn no_xor_honoured(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_and_props_payload(ctx, 4), pul::NO_XOR_MAGIC, DEFAULT_MAX_ROP_OUT)?;
    for b in blocks(&out)? {
        ensure(
            b.header.flags & hdr::XOR_MAGIC == 0,
            "no XorMagic flag",
            format!("Flags 0x{:04X}", b.header.flags),
        )?;
    }
    Ok(())
}

fn no_chain_single(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(
        ctx,
        &logon_and_props_payload(ctx, 4),
        pul::NO_COMPRESSION | pul::NO_XOR_MAGIC,
        DEFAULT_MAX_ROP_OUT,
    )?;
    let bs = blocks(&out)?;
    eq("number of extended buffers without the Chain flag", 1, bs.len())
}

fn payload_at_most_32k(ctx: &mut Ctx) -> CaseResult {
    let out =
        rgb_out(ctx, &logon_and_props_payload(ctx, 200), pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, 0x40000)?;
    for b in blocks(&out)? {
        ensure(
            b.payload.len() <= 0x8000,
            "payloads of at most 32 KB",
            format!("a payload of {} bytes", b.payload.len()),
        )?;
    }
    Ok(())
}

fn at_most_96_payloads(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_and_props_payload(ctx, 200), 0, 0x40000)?;
    let n = blocks(&out)?.len();
    ensure(n <= 96, "at most 96 payloads", format!("{n}"))
}

fn rgbout_is_rop_payload(ctx: &mut Ctx) -> CaseResult {
    let out =
        rgb_out(ctx, &logon_payload(ctx), pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, DEFAULT_MAX_ROP_OUT)?;
    let bs = blocks(&out)?;
    let payload: Vec<u8> = bs.iter().flat_map(|b| b.payload.clone()).collect();
    let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
    let mut r = Reader::new(&buf.rops);
    let resp =
        RopResponse::decode(&mut r, &Default::default()).map_err(|e| fail("a RopLogon response", e))?;
    ensure(matches!(resp, RopResponse::Logon(_)), "a RopLogon response", format!("{:?}", resp.rop_id()))
}

/// Executes a RopLogon sent with `opts` framing; passes when the logon succeeds.
fn framed_logon(ctx: &Ctx, payload: &[u8], opts: EncodeOptions, flag: u16) -> CaseResult {
    let block = encode_block(payload, opts).map_err(|e| fail("an rgbIn block", e))?;
    let h = RpcHeaderExt::decode(&mut Reader::new(&block)).map_err(|e| fail("an RPC_HEADER_EXT", e))?;
    if h.flags & flag != flag {
        return skip("the request did not become smaller when compressed, so it went uncompressed");
    }
    let req = ExecuteRequest {
        flags: pul::NO_COMPRESSION | pul::NO_XOR_MAGIC,
        rop_buffer: block,
        max_rop_out: DEFAULT_MAX_ROP_OUT,
        auxiliary_buffer: vec![],
    };
    let out = execute(ctx, &req)?;
    let bs = blocks(&out.rop_buffer)?;
    let payload: Vec<u8> = bs.iter().flat_map(|b| b.payload.clone()).collect();
    let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
    let mut r = Reader::new(&buf.rops);
    let resp =
        RopResponse::decode(&mut r, &Default::default()).map_err(|e| fail("a RopLogon response", e))?;
    crate::case::expect_rv("RopLogon sent in the transformed rgbIn", &resp, 0)
}

fn compressed_rgbin(ctx: &mut Ctx) -> CaseResult {
    let payload = logon_and_props_payload(ctx, 20);
    framed_logon(ctx, &payload, EncodeOptions { compress: true, xor: false, last: true }, hdr::COMPRESSED)
}

fn xor_rgbin(ctx: &mut Ctx) -> CaseResult {
    let payload = logon_payload(ctx);
    framed_logon(ctx, &payload, EncodeOptions { compress: false, xor: true, last: true }, hdr::XOR_MAGIC)
}

fn compressed_xor_rgbin(ctx: &mut Ctx) -> CaseResult {
    let payload = logon_and_props_payload(ctx, 20);
    framed_logon(
        ctx,
        &payload,
        EncodeOptions { compress: true, xor: true, last: true },
        hdr::COMPRESSED | hdr::XOR_MAGIC,
    )
}

fn rgbin_without_rops(ctx: &mut Ctx) -> CaseResult {
    let payload = RopBuffer { rops: vec![], handles: vec![] }.encode();
    let out = rgb_out(ctx, &payload, pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, DEFAULT_MAX_ROP_OUT)?;
    let payload: Vec<u8> = blocks(&out)?.iter().flat_map(|b| b.payload.clone()).collect();
    let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
    // Pending notifications may come back as RopNotify/RopPending; nothing else may.
    let mut r = Reader::new(&buf.rops);
    while !r.is_empty() {
        let resp = RopResponse::decode(&mut r, &Default::default()).map_err(|e| fail("ROP responses", e))?;
        ensure(
            matches!(resp, RopResponse::Notify(_) | RopResponse::Pending(_)),
            "no responses but RopNotify/RopPending",
            format!("{:?}", resp.rop_id()),
        )?;
    }
    Ok(())
}

fn handle_table_size(ctx: &mut Ctx) -> CaseResult {
    let rops = encode_requests(&[rops::logon_private(0, &ctx.me.dn)]);
    let payload = RopBuffer { rops, handles: vec![UNUSED_HANDLE; 5] }.encode();
    let out = rgb_out(ctx, &payload, pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, DEFAULT_MAX_ROP_OUT)?;
    let payload: Vec<u8> = blocks(&out)?.iter().flat_map(|b| b.payload.clone()).collect();
    let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
    eq("handle table entries", 5, buf.handles.len())
}

/// Passes when an Execute with `req` on a fresh context fails in any of the ways MAPI/HTTP can
/// report it (X-ResponseCode, failure body, or a nonzero ErrorCode).
fn expect_execute_failure(ctx: &Ctx, req: &ExecuteRequest, what: &str) -> CaseResult {
    let mut e = ctx.connected()?;
    let r = e.execute_body(req);
    let _ = e.disconnect();
    match r? {
        (_, Some(Response::Success(s))) if s.error_code == 0 => {
            Err(fail(format!("{what} to fail"), "Execute ErrorCode 0"))
        }
        _ => Ok(()),
    }
}

fn max_rop_out_below_8(ctx: &mut Ctx) -> CaseResult {
    let req = Emsmdb::execute_request(&logon_payload(ctx), 4)?;
    expect_execute_failure(ctx, &req, "an Execute with MaxRopOut 4")
}

fn rgbin_below_8(ctx: &mut Ctx) -> CaseResult {
    let req = ExecuteRequest {
        flags: 0,
        rop_buffer: vec![0, 0, 0, 0],
        max_rop_out: DEFAULT_MAX_ROP_OUT,
        auxiliary_buffer: vec![],
    };
    expect_execute_failure(ctx, &req, "an Execute with a 4-byte RopBuffer")
}

fn aux_in_too_short(ctx: &mut Ctx) -> CaseResult {
    let mut req = Emsmdb::execute_request(&logon_payload(ctx), DEFAULT_MAX_ROP_OUT)?;
    req.auxiliary_buffer = vec![0, 0, 0];
    expect_execute_failure(ctx, &req, "an Execute with a 3-byte AuxiliaryBuffer")
}

fn buffer_too_small(ctx: &mut Ctx) -> CaseResult {
    // The RopLogon response alone needs far more than 32 bytes.
    let out = rgb_out(ctx, &logon_payload(ctx), pul::NO_COMPRESSION | pul::NO_XOR_MAGIC, 0x20)?;
    let payload: Vec<u8> = blocks(&out)?.iter().flat_map(|b| b.payload.clone()).collect();
    let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
    let mut r = Reader::new(&buf.rops);
    let resp = RopResponse::decode(&mut r, &Default::default()).map_err(|e| fail("a ROP response", e))?;
    ensure(
        matches!(resp, RopResponse::BufferTooSmall(_)),
        "RopBufferTooSmall",
        format!("{:?}", resp.rop_id()),
    )
}

/// A Connect on a fresh context: the reply and the success body (disconnected afterwards).
fn connect_with(ctx: &Ctx, aux: Vec<u8>) -> Result<(Reply, ConnectSuccess), Verdict> {
    let mut e = ctx.emsmdb();
    let mut req = Emsmdb::connect_request(&ctx.me.dn, 0);
    req.auxiliary_buffer = aux;
    let (reply, resp) = e.ctx.call::<ConnectSuccess>("Connect", &req.encode())?;
    if reply.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    match resp {
        Some(Response::Success(s)) => Ok((reply, s)),
        other => Err(fail("a Connect success body", format!("{other:?} ({})", reply.summary()))),
    }
}

fn connect_returns_0(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = connect_with(ctx, vec![])?;
    crate::case::eq_code("Connect ErrorCode", 0, s.error_code)
}

fn distinct_contexts(ctx: &mut Ctx) -> CaseResult {
    let mut a = ctx.connected()?;
    let b = ctx.connected();
    let ca = a.ctx.cookies.0.clone();
    let _ = a.disconnect();
    let mut b = b?;
    let cb = b.ctx.cookies.0.clone();
    let _ = b.disconnect();
    ensure(ca != cb, "different session context cookies for two Connects", format!("the same cookies {ca:?}"))
}

fn disconnect_destroys(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.connected()?;
    let saved = e.ctx.cookies.clone();
    e.disconnect()?;
    e.ctx.cookies = saved;
    let req = Emsmdb::execute_request(&logon_payload(ctx), DEFAULT_MAX_ROP_OUT)?;
    let (reply, resp) = e.execute_body(&req)?;
    ensure(
        !matches!(resp, Some(Response::Success(ref s)) if s.error_code == 0),
        "an Execute on a disconnected Session Context to fail",
        reply.summary(),
    )
}

/// An rgbAuxIn with AUX_PERF_CLIENTINFO-free, minimal client blocks: AUX_CLIENT_CONNECTION_INFO
/// (Version 1, Type 0x4A) with an empty context string (MS-OXCRPC 2.2.2.24).
fn client_aux() -> Vec<u8> {
    let mut block = Vec::new();
    // AUX_HEADER: Size (header + body), Version 1, Type 0x4A.
    let guid: [u8; 16] = rand::random();
    let body_len = 16 + 2 + 2 + 4 + 4 + 2; // ConnectionGUID, Offset, Reserved, Attempts, Flags, "\0"
    block.extend_from_slice(&((4 + body_len) as u16).to_le_bytes());
    block.push(0x01);
    block.push(0x4A);
    block.extend_from_slice(&guid);
    block.extend_from_slice(&((4 + 16 + 2 + 2 + 4 + 4) as u16).to_le_bytes());
    block.extend_from_slice(&0u16.to_le_bytes());
    block.extend_from_slice(&1u32.to_le_bytes());
    block.extend_from_slice(&0u32.to_le_bytes());
    block.extend_from_slice(&[0, 0]);
    encode_block(&block, EncodeOptions { compress: false, xor: false, last: true }).unwrap_or_default()
}

fn connect_with_aux_in(ctx: &mut Ctx) -> CaseResult {
    let (_, s) = connect_with(ctx, client_aux())?;
    crate::case::eq_code("Connect ErrorCode with an rgbAuxIn", 0, s.error_code)
}

/// The rgbAuxOut of a Connect, or a skip when the server sent none (it may).
fn connect_aux(ctx: &Ctx) -> Result<Vec<u8>, Verdict> {
    let (_, s) = connect_with(ctx, vec![])?;
    if s.auxiliary_buffer.is_empty() {
        return Err(Verdict::Skip("the server returned no rgbAuxOut on Connect (it may)".into()));
    }
    Ok(s.auxiliary_buffer)
}

/// `(Version, Type, body)` of each AUX_HEADER block in `aux`.
fn aux_blocks(aux: &[u8]) -> Result<Vec<(u8, u8, Vec<u8>)>, Verdict> {
    let payload: Vec<u8> = blocks(aux)?.into_iter().flat_map(|b| b.payload).collect();
    let mut out = Vec::new();
    let mut rest = &payload[..];
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err(fail("an AUX_HEADER", format!("{} trailing bytes", rest.len())));
        }
        let size = u16::from_le_bytes([rest[0], rest[1]]) as usize;
        if size < 4 || size > rest.len() {
            return Err(fail(
                "AUX_HEADER Size covering the header and its block",
                format!("Size {size} of {} bytes", rest.len()),
            ));
        }
        out.push((rest[2], rest[3], rest[4..size].to_vec()));
        rest = &rest[size..];
    }
    Ok(out)
}

fn connect_aux_header(ctx: &mut Ctx) -> CaseResult {
    let aux = connect_aux(ctx)?;
    let bs = blocks(&aux)?;
    let h = bs.last().map(|b| b.header).ok_or_else(|| fail("an RPC_HEADER_EXT", "none"))?;
    eq("RPC_HEADER_EXT Version", 0, bs[0].header.version)?;
    ensure(h.flags & hdr::LAST != 0, "the Last flag", format!("Flags 0x{:04X}", h.flags))
}

fn connect_aux_blocks(ctx: &mut Ctx) -> CaseResult {
    let aux = connect_aux(ctx)?;
    let b = aux_blocks(&aux)?;
    ensure(!b.is_empty(), "at least one AUX_HEADER block", "none")
}

fn connect_aux_types(ctx: &mut Ctx) -> CaseResult {
    let aux = connect_aux(ctx)?;
    for (version, ty, _) in aux_blocks(&aux)? {
        ensure(
            version == 0x01 && SERVER_AUX_TYPES.contains(&ty) || version == 0x02,
            "server topology blocks (AUX_CLIENT_CONTROL, AUX_OSVERSIONINFO, AUX_EXORGINFO, AUX_ENDPOINT_CAPABILITIES, AUX_SERVER_SESSION_INFO)",
            format!("Version {version} Type 0x{ty:02X}"),
        )?;
    }
    Ok(())
}

fn find_block(ctx: &Ctx, ty: u8) -> Result<Vec<u8>, Verdict> {
    let aux = connect_aux(ctx)?;
    aux_blocks(&aux)?
        .into_iter()
        .find(|(v, t, _)| *v == 1 && *t == ty)
        .map(|(_, _, b)| b)
        .ok_or_else(|| Verdict::Skip(format!("the server sent no block of type 0x{ty:02X} (it may)")))
}

fn connect_exorginfo(ctx: &mut Ctx) -> CaseResult {
    let b = find_block(ctx, 0x17)?;
    ensure(b.len() >= 4, "a 4-byte OrgFlags", format!("{} bytes", b.len()))?;
    let flags = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    ensure(
        flags & !0x1 == 0,
        "OrgFlags from PUBLIC_FOLDERS_ENABLED (0x00000001) only",
        format!("0x{flags:08X}"),
    )
}

fn connect_endpoint_capabilities(ctx: &mut Ctx) -> CaseResult {
    let b = find_block(ctx, 0x48)?;
    ensure(b.len() >= 4, "a 4-byte EndpointCapabilityFlag", format!("{} bytes", b.len()))?;
    eq("EndpointCapabilityFlag", 0x0000_0001, u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn connect_server_session_info(ctx: &mut Ctx) -> CaseResult {
    let b = find_block(ctx, 0x4B)?;
    ensure(b.len() >= 2, "OffsetServerSessionContextInfo", format!("{} bytes", b.len()))?;
    eq("OffsetServerSessionContextInfo", 6, u16::from_le_bytes([b[0], b[1]]))?;
    let s = &b[2..];
    ensure(
        s.len() >= 2 && s[s.len() - 2..] == [0, 0],
        "a NUL-terminated UTF-16 ServerSessionContextInfo",
        format!("{s:02X?}"),
    )
}

fn connect_aux_size(ctx: &mut Ctx) -> CaseResult {
    let aux = connect_aux(ctx)?;
    ensure(aux.len() <= 0x1008, "rgbAuxOut of at most 0x1008 bytes", format!("{} bytes", aux.len()))?;
    for b in blocks(&aux)? {
        ensure(b.payload.len() <= 0x8000, "payloads of at most 32 KB", format!("{} bytes", b.payload.len()))?;
    }
    Ok(())
}

fn execute_aux_header(ctx: &mut Ctx) -> CaseResult {
    let req = Emsmdb::execute_request(&logon_payload(ctx), DEFAULT_MAX_ROP_OUT)?;
    let s = execute(ctx, &req)?;
    if s.auxiliary_buffer.is_empty() {
        return skip(
            "the server returned no rgbAuxOut on Execute (Exchange 2010 and later return none, R1926)",
        );
    }
    let bs = blocks(&s.auxiliary_buffer)?;
    eq("RPC_HEADER_EXT Version of rgbAuxOut", 0, bs[0].header.version)
}

fn chained_blocks(ctx: &mut Ctx) -> CaseResult {
    const CHAIN: u32 = 0x0000_0004;
    let out = rgb_out(
        ctx,
        &logon_and_props_payload(ctx, 400),
        pul::NO_COMPRESSION | pul::NO_XOR_MAGIC | CHAIN,
        0x40000,
    )?;
    let bs = blocks(&out)?;
    if bs.len() < 2 {
        return skip("the server returned one extended buffer (chaining is its choice)");
    }
    for b in &bs {
        eq("RPC_HEADER_EXT Version of each chained block", 0, b.header.version)?;
        ensure(b.payload.len() <= 0x8000, "payloads of at most 32 KB", format!("{} bytes", b.payload.len()))?;
    }
    Ok(())
}

fn obfuscated_rgbout(ctx: &mut Ctx) -> CaseResult {
    let out = rgb_out(ctx, &logon_payload(ctx), pul::NO_COMPRESSION, DEFAULT_MAX_ROP_OUT)?;
    let bs = blocks(&out)?;
    if bs.iter().all(|b| b.header.flags & hdr::XOR_MAGIC == 0) {
        return skip("the server did not obfuscate this response (obfuscation is its choice)");
    }
    let payload: Vec<u8> = bs.iter().flat_map(|b| b.payload.clone()).collect();
    RopBuffer::decode(&payload).map(|_| ()).map_err(|e| fail("a ROP output buffer after un-XORing", e))
}

fn max_rop_out_limit_accepted(ctx: &mut Ctx) -> CaseResult {
    rgb_out(ctx, &logon_payload(ctx), 0, 0x40000).map(|_| ())
}

/// An Execute whose rgbIn is `block` (raw).
fn raw_block_request(block: Vec<u8>) -> ExecuteRequest {
    ExecuteRequest { flags: 0, rop_buffer: block, max_rop_out: DEFAULT_MAX_ROP_OUT, auxiliary_buffer: vec![] }
}

/// An RPC_HEADER_EXT + `payload` with the given header fields.
fn raw_block(version: u16, flags: u16, size: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(8 + payload.len());
    b.extend_from_slice(&version.to_le_bytes());
    b.extend_from_slice(&flags.to_le_bytes());
    b.extend_from_slice(&size.to_le_bytes());
    b.extend_from_slice(&size.to_le_bytes());
    b.extend_from_slice(payload);
    b
}

fn rgbin_bad_version(ctx: &mut Ctx) -> CaseResult {
    let p = logon_payload(ctx);
    let req = raw_block_request(raw_block(0x0001, hdr::LAST, p.len() as u16, &p));
    expect_execute_failure(ctx, &req, "an rgbIn whose RPC_HEADER_EXT Version is 1")
}

fn rgbin_without_last(ctx: &mut Ctx) -> CaseResult {
    let p = logon_payload(ctx);
    let req = raw_block_request(raw_block(0, 0, p.len() as u16, &p));
    expect_execute_failure(ctx, &req, "an rgbIn without the Last flag")
}

fn rgbin_size_beyond(ctx: &mut Ctx) -> CaseResult {
    let p = logon_payload(ctx);
    let req = raw_block_request(raw_block(0, hdr::LAST, p.len() as u16 + 100, &p));
    expect_execute_failure(ctx, &req, "an rgbIn whose Size exceeds the payload")
}

fn malformed_rop(ctx: &mut Ctx) -> CaseResult {
    // RopSize 5 announcing a RopLogon cut after three bytes.
    let payload = [0x05u8, 0x00, 0xFE, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF];
    let req = Emsmdb::execute_request(&payload, DEFAULT_MAX_ROP_OUT)?;
    let mut e = ctx.connected()?;
    let r = e.execute_body(&req);
    let _ = e.disconnect();
    match r? {
        (_, Some(Response::Success(s))) if s.error_code == 0 => {
            let bs = blocks(&s.rop_buffer)?;
            let payload: Vec<u8> = bs.iter().flat_map(|b| b.payload.clone()).collect();
            let buf = RopBuffer::decode(&payload).map_err(|e| fail("a ROP output buffer", e))?;
            ensure(
                buf.rops.is_empty(),
                "ecRpcFormat, or no ROP executed",
                format!("{} response bytes", buf.rops.len()),
            )
        }
        _ => Ok(()),
    }
}

fn connect_ignore_no_pf(ctx: &mut Ctx) -> CaseResult {
    let mut e = ctx.emsmdb();
    let dn = ctx.me.dn.clone();
    let (reply, resp) = e.connect(&dn, 0x0000_8000)?;
    if reply.response_code() == Some(0) {
        let _ = e.disconnect();
    }
    match resp {
        Some(Response::Success(s)) => {
            crate::case::eq_code("Connect ErrorCode with CONNECT_IGNORE_NO_PF", 0, s.error_code)
        }
        other => Err(fail("a Connect success body", format!("{other:?} ({})", reply.summary()))),
    }
}

/// Passes when a Connect with `dn` does not create a session (any failure form).
fn connect_fails(mut e: Emsmdb, dn: &str) -> CaseResult {
    let (reply, resp) = e.connect(dn, 0)?;
    let ok = matches!(resp, Some(Response::Success(ref s)) if s.error_code == 0);
    if ok {
        let _ = e.disconnect();
    }
    ensure(
        !ok,
        format!("a failed Connect for szUserDN {dn:?}"),
        format!("Connect succeeded ({})", reply.summary()),
    )
}

fn connect_unknown_dn(ctx: &mut Ctx) -> CaseResult {
    let dn = format!("{}-oxmapi-conformance-nobody", ctx.me.dn);
    connect_fails(ctx.emsmdb(), &dn)
}

fn connect_empty_dn(ctx: &mut Ctx) -> CaseResult {
    connect_fails(ctx.emsmdb(), "")
}

fn connect_other_dn(ctx: &mut Ctx) -> CaseResult {
    let Some(me2) = ctx.me2.clone() else { return skip("needs a second account") };
    connect_fails(ctx.emsmdb(), &me2.dn)
}

fn execute_with_aux_in(ctx: &mut Ctx) -> CaseResult {
    let mut req = Emsmdb::execute_request(&logon_payload(ctx), DEFAULT_MAX_ROP_OUT)?;
    req.auxiliary_buffer = client_aux();
    execute(ctx, &req).map(|_| ())
}

fn aux_in_too_large(ctx: &mut Ctx) -> CaseResult {
    let mut req = Emsmdb::execute_request(&logon_payload(ctx), DEFAULT_MAX_ROP_OUT)?;
    // 0x1009 bytes: one more than SMALL_RANGE_ULONG allows.
    req.auxiliary_buffer = vec![0; 0x1009];
    expect_execute_failure(ctx, &req, "an Execute with a 0x1009-byte AuxiliaryBuffer")
}
