//! Execute (MS-OXCMAPIHTTP 2.2.4.2; MS-OXCRPC 3.1.4.2 EcDoRpcExt2): limits, the RPC_HEADER_EXT
//! envelope (un-XOR, decompress; compress and XOR the answer as the Flags allow), and the ROP
//! buffer run on the session's handle table.

use std::sync::Arc;

use bytes::Bytes;
use hyper::Response;
use oxmapi_core::error::codes;
use oxmapi_wire::mapihttp::common::ResponseCode;
use oxmapi_wire::mapihttp::emsmdb::*;
use oxmapi_wire::rop::buffer::RopBuffer;
use oxmapi_wire::rpc_ext::{self, EncodeOptions, MAX_PAYLOAD, RpcHeaderExt};

use crate::http::request::RequestMeta;
use crate::http::respond::{Body, Extra, failure_with, streamed};
use crate::rops::{self, Env, oxcnotif};
use crate::session::{Activity, Session};
use crate::state::ServerState;

/// Payloads below this size are sent uncompressed (compression would not pay).
const COMPRESS_THRESHOLD: usize = 256;

fn success(error_code: u32, rop_buffer: Vec<u8>) -> Vec<u8> {
    ExecuteResponse::Success(ExecuteSuccess { error_code, flags: 0, rop_buffer, auxiliary_buffer: vec![] })
        .encode()
}

/// Runs one Execute; the ROP work happens on a blocking thread while the response streams
/// keep-alives.
pub async fn execute(
    state: &Arc<ServerState>,
    session: Arc<Session>,
    activity: Activity,
    meta: &RequestMeta,
    extra: &Extra,
    body: Bytes,
) -> Response<Body> {
    let req = match ExecuteRequest::decode(&body) {
        Ok(r) => r,
        Err(e) => {
            return failure_with(
                meta,
                ResponseCode::InvalidRequestBody,
                &format!("Execute body: {e}"),
                extra,
            );
        }
    };
    let st = state.clone();
    streamed(meta, extra, state.config.pending_period, async move {
        let _activity = activity;
        if let Err(status) = req.check_limits(false) {
            return FailureResponse::new(status).encode();
        }
        let (input, limit) = match decode(&req) {
            Ok(x) => x,
            Err(answer) => return answer,
        };
        if input.rops.is_empty() && !session.events.has_unresolved() {
            return collect(&session, &req, &input, limit);
        }
        crate::blocking::run(move || run(&st, &session, &req, &input, limit))
            .await
            .unwrap_or_else(|_| FailureResponse::new(codes::MAPI_E_CALL_FAILED.0).encode())
    })
    .await
}

/// The request's single ROP input buffer and the most bytes the ROP output may take; `Err` is
/// the answer to a malformed request.
fn decode(req: &ExecuteRequest) -> Result<(RopBuffer, usize), Vec<u8>> {
    let blocks = match rpc_ext::decode_blocks(&req.rop_buffer) {
        Ok(b) if b.len() == 1 => b,
        Ok(_) => return Err(success(codes::EC_RPC_FORMAT.0, vec![])),
        Err(e) => {
            tracing::debug!(error = %e, "bad RPC_HEADER_EXT in Execute");
            return Err(success(codes::EC_RPC_FORMAT.0, vec![]));
        }
    };
    let input = RopBuffer::decode(&blocks[0].payload).map_err(|_| success(codes::EC_RPC_FORMAT.0, vec![]))?;
    let limit = (req.max_rop_out as usize).saturating_sub(RpcHeaderExt::LEN).min(MAX_PAYLOAD);
    Ok((input, limit))
}

/// An Execute with no ROP: what a client sends after NotificationWait to collect its
/// notifications (MS-OXCMAPIHTTP 3.1.5.x, MS-OXCNOTIF 3.2.5.5.3). Answered on the request's own
/// task, with no blocking thread and no store read, when no table's raw events wait to be
/// resolved (otherwise it takes the blocking path, which resolves them). Table events that
/// arrive meanwhile stay queued behind RopPending; the client's next Execute resolves them.
fn collect(session: &Session, req: &ExecuteRequest, input: &RopBuffer, limit: usize) -> Vec<u8> {
    let mut output = RopBuffer { rops: Vec::new(), handles: input.handles.clone() };
    oxcnotif::append_resolved_notifications(&mut output, &session.events, limit, session.info.index);
    respond(req, &output)
}

fn run(
    state: &ServerState,
    session: &Session,
    req: &ExecuteRequest,
    input: &RopBuffer,
    limit: usize,
) -> Vec<u8> {
    let env = Env { state, session: &session.info };
    let output = {
        let mut rs = session.rops.lock().unwrap_or_else(|e| e.into_inner());
        rops::execute(&env, &mut rs, input, limit)
    };
    match output {
        Ok(o) => respond(req, &o),
        Err(code) => success(code.0, vec![]),
    }
}

/// The Execute success body carrying `output`, compressed and obfuscated as the request's Flags
/// allow.
fn respond(req: &ExecuteRequest, output: &RopBuffer) -> Vec<u8> {
    let payload = output.encode();
    let opts = EncodeOptions {
        compress: req.flags & execute_flags::NO_COMPRESSION == 0 && payload.len() >= COMPRESS_THRESHOLD,
        xor: req.flags & execute_flags::NO_XOR_MAGIC == 0,
        last: true,
    };
    match rpc_ext::encode_block(&payload, opts) {
        Ok(block) => success(0, block),
        Err(_) => success(codes::MAPI_E_CALL_FAILED.0, vec![]),
    }
}
