//! Raw ROP buffers for the MS-OXCROPS cases: requests the codecs do not model (reserved RopIds,
//! RopModifyRules, RopGetPerUserLongTermIds, truncated requests) and answers read byte by byte
//! (MS-OXCROPS 2.2.1: `RopSize`, `RopsList`, `ServerObjectHandleTable`), so that the framing
//! itself can be judged rather than what a decoder makes of it.

use oxmapi_core::codec::Reader;
use oxmapi_wire::mapihttp::common::Response;
use oxmapi_wire::rop::outcome::ResponseContext;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::decode_blocks;

use crate::case::{Verdict, fail};
use crate::session::Emsmdb;

/// RopModifyRules (MS-OXCROPS 2.2.11.1).
pub const ROP_MODIFY_RULES: u8 = 0x41;
/// RopGetPerUserLongTermIds (MS-OXCROPS 2.2.3.10).
pub const ROP_GET_PER_USER_LONG_TERM_IDS: u8 = 0x60;
/// RopGetPerUserGuid (MS-OXCROPS 2.2.3.11).
pub const ROP_GET_PER_USER_GUID: u8 = 0x61;

/// What an Execute with a raw ROP buffer came back with.
#[derive(Clone, Debug)]
pub enum RawAnswer {
    /// No MAPI/HTTP success: HTTP status or `X-ResponseCode` other than 200/0.
    Refused(String),
    /// An Execute failure body (MS-OXCMAPIHTTP 2.2.2.2) with this `StatusCode`.
    Failure(u32),
    /// An Execute success body whose `ErrorCode` is not 0.
    ErrorCode(u32),
    /// The ROP output buffer.
    Buffer(OutputBuffer),
}

impl RawAnswer {
    /// The output buffer, or a failure naming what came instead.
    pub fn buffer(self, what: &str) -> Result<OutputBuffer, Verdict> {
        match self {
            RawAnswer::Buffer(b) => Ok(b),
            other => Err(fail(format!("{what}: a ROP output buffer"), format!("{other:?}"))),
        }
    }

    /// The error the Execute carried (`StatusCode` or `ErrorCode`), if any.
    pub fn error(&self) -> Option<u32> {
        match self {
            RawAnswer::Failure(c) | RawAnswer::ErrorCode(c) => Some(*c),
            _ => None,
        }
    }
}

/// A ROP output buffer as it came on the wire (after RPC_HEADER_EXT).
#[derive(Clone, Debug)]
pub struct OutputBuffer {
    /// The whole payload.
    pub payload: Vec<u8>,
    /// `RopSize`.
    pub rop_size: u16,
    /// `RopsList`.
    pub rops: Vec<u8>,
    /// `ServerObjectHandleTable`.
    pub handles: Vec<u32>,
    /// Bytes after `RopsList` that are not a whole number of handles.
    pub trailing: usize,
}

/// The ROP input buffer of `rops` with handle table `handles` (MS-OXCROPS 2.2.1).
pub fn input_buffer(rops: &[u8], handles: &[u32]) -> Vec<u8> {
    let mut v = Vec::with_capacity(2 + rops.len() + 4 * handles.len());
    v.extend_from_slice(&((rops.len() + 2) as u16).to_le_bytes());
    v.extend_from_slice(rops);
    handles.iter().for_each(|h| v.extend_from_slice(&h.to_le_bytes()));
    v
}

/// Sends the ROP list `rops` with `handles` on `ems` with `MaxRopOut` `max_rop_out`.
pub fn execute_raw(
    ems: &mut Emsmdb,
    rops: &[u8],
    handles: &[u32],
    max_rop_out: u32,
) -> Result<RawAnswer, Verdict> {
    let req = Emsmdb::execute_request(&input_buffer(rops, handles), max_rop_out)?;
    let (reply, resp) = ems.execute_body(&req)?;
    let ok = match resp {
        None => return Ok(RawAnswer::Refused(reply.summary())),
        Some(Response::Failure(f)) => return Ok(RawAnswer::Failure(f.status_code)),
        Some(Response::Success(s)) => s,
    };
    if ok.error_code != 0 {
        return Ok(RawAnswer::ErrorCode(ok.error_code));
    }
    let blocks =
        decode_blocks(&ok.rop_buffer).map_err(|e| fail("a well-formed RPC_HEADER_EXT", e.to_string()))?;
    let payload: Vec<u8> = blocks.into_iter().flat_map(|b| b.payload).collect();
    Ok(RawAnswer::Buffer(split(payload)?))
}

/// Splits an output payload into its three parts without judging them.
pub fn split(payload: Vec<u8>) -> Result<OutputBuffer, Verdict> {
    if payload.len() < 2 {
        return Err(fail(
            "a ROP output buffer of at least 2 bytes (RopSize)",
            format!("{} bytes", payload.len()),
        ));
    }
    let rop_size = u16::from_le_bytes([payload[0], payload[1]]);
    let end = rop_size as usize;
    if end < 2 || end > payload.len() {
        return Err(fail(
            "RopSize between 2 and the payload length",
            format!("RopSize {rop_size} in a payload of {} bytes", payload.len()),
        ));
    }
    let rops = payload[2..end].to_vec();
    let tail = &payload[end..];
    let handles =
        tail.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<_>>();
    let trailing = tail.len() % 4;
    Ok(OutputBuffer { payload, rop_size, rops, handles, trailing })
}

/// Decodes a ROP response list whose responses need no columns; stops at the first response
/// the codecs do not know and returns it with the undecoded rest.
pub fn decode_plain(rops: &[u8]) -> (Vec<RopResponse>, Vec<u8>) {
    let mut r = Reader::new(rops);
    let mut out = Vec::new();
    while !r.is_empty() {
        let before = r.rest().to_vec();
        match RopResponse::decode(&mut r, &ResponseContext::default()) {
            Ok(x) => out.push(x),
            Err(_) => return (out, before),
        }
    }
    (out, Vec::new())
}

/// Decodes the first response of a ROP list; the rest stays raw (for checking a response byte by
/// byte, whatever our own decoder makes of it).
pub fn decode_first(rops: &[u8]) -> (Option<RopResponse>, Vec<u8>) {
    let mut r = Reader::new(rops);
    match RopResponse::decode(&mut r, &ResponseContext::default()) {
        Ok(x) => (Some(x), r.rest().to_vec()),
        Err(_) => (None, rops.to_vec()),
    }
}

/// RopModifyRules with no rule (MS-OXCROPS 2.2.11.1.1): `ModifyRulesFlags` 0, `RulesCount` 0.
pub fn modify_rules_empty(input: u8) -> Vec<u8> {
    vec![ROP_MODIFY_RULES, 0, input, 0x00, 0x00, 0x00]
}

/// RopGetPerUserLongTermIds (MS-OXCROPS 2.2.3.10.1) for `database_guid`.
pub fn get_per_user_long_term_ids(input: u8, database_guid: [u8; 16]) -> Vec<u8> {
    let mut v = vec![ROP_GET_PER_USER_LONG_TERM_IDS, 0, input];
    v.extend_from_slice(&database_guid);
    v
}

/// RopGetPerUserGuid (MS-OXCROPS 2.2.3.11.1) for `long_term_id` (24 bytes).
pub fn get_per_user_guid(input: u8, long_term_id: [u8; 24]) -> Vec<u8> {
    let mut v = vec![ROP_GET_PER_USER_GUID, 0, input];
    v.extend_from_slice(&long_term_id);
    v
}
