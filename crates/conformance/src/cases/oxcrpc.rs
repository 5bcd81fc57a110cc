//! MS-OXCRPC: the Wire Format Protocol as MAPI/HTTP carries it — the EcDoConnectEx and
//! EcDoRpcExt2 semantics of Connect and Execute (MS-OXCMAPIHTTP 2.2.4 maps their fields), the
//! RPC_HEADER_EXT framing of rgbIn/rgbOut (2.2.2.1), buffer size limits (3.1.4.2) and the
//! auxiliary buffers (2.2.2.2). Ported from Microsoft's MS-OXCRPC suite
//! (ExchangeMAPI/Source/MS-OXCRPC: S01_SynchronousCall and the adapter's VerifyRPCHeaderExt …).

use oxmapi_core::codec::Reader;
use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::rop::buffer::RopBuffer;
use oxmapi_wire::rpc_ext::RpcHeaderExt;

use crate::case::{Case, CaseResult, Protocol, Verdict, eq, fail};
use crate::context::Ctx;
use crate::rops;
use crate::session::{DEFAULT_MAX_ROP_OUT, Emsmdb};

const P: Protocol = Protocol::OxcRpc;

/// The cases of this module.
pub const CASES: &[Case] = &[Case {
    name: "oxcrpc_rgbout_rpc_header_ext_version_zero",
    protocol: P,
    section: "MS-OXCRPC 2.2.2.1",
    requirements: &["MS-OXCRPC_R33", "MS-OXCRPC_R658"],
    needs: &[],
    run: rgbout_version_zero,
}];

/// The raw `RopBuffer` (rgbOut) of an Execute of `payload` on a fresh connected context.
pub fn raw_rgb_out(ctx: &mut Ctx, payload: &[u8], max_rop_out: u32) -> Result<Vec<u8>, Verdict> {
    let mut e = ctx.connected()?;
    let req = Emsmdb::execute_request(payload, max_rop_out)?;
    let r = e.execute_body(&req);
    let _ = e.disconnect();
    match r? {
        (_, Some(Response::Success(s))) if s.error_code == 0 => Ok(s.rop_buffer),
        (_, Some(Response::Success(s))) => Err(fail("Execute ErrorCode 0", crate::case::code(s.error_code))),
        (_, Some(Response::Failure(f))) => {
            Err(fail("an Execute success body", format!("StatusCode {}", crate::case::code(f.status_code))))
        }
        (reply, None) => Err(fail("Execute X-ResponseCode 0", reply.summary())),
    }
}

/// A ROP buffer with one RopLogon for the first user.
fn logon_payload(ctx: &Ctx) -> Vec<u8> {
    let rops = oxmapi_wire::rop::buffer::encode_requests(&[rops::logon_private(0, &ctx.me.dn)]);
    RopBuffer { rops, handles: vec![oxmapi_wire::rop::buffer::UNUSED_HANDLE] }.encode()
}

fn rgbout_version_zero(ctx: &mut Ctx) -> CaseResult {
    let payload = logon_payload(ctx);
    let out = raw_rgb_out(ctx, &payload, DEFAULT_MAX_ROP_OUT)?;
    let h = RpcHeaderExt::decode(&mut Reader::new(&out)).map_err(|e| fail("an RPC_HEADER_EXT", e))?;
    eq("RPC_HEADER_EXT Version", 0x0000, h.version)
}
