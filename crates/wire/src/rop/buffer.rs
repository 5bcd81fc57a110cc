//! ROP input/output buffer framing (MS-OXCROPS 2.2.1): `RopSize u16` (counting itself and the
//! ROP list, not the handle table), the ROP list, then the server object handle table.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::tag::PropTag;

use super::ids::RopId;
use super::outcome::ResponseContext;
use super::request::{RequestContext, RopRequest};
use super::response::RopResponse;

/// Most handle slots a buffer can address (handle indexes are u8).
pub const MAX_HANDLES: usize = 256;
/// Handle value clients put in slots not yet assigned (a convention, MS-OXCROPS leaves them
/// undefined).
pub const UNUSED_HANDLE: u32 = 0xFFFF_FFFF;

/// A ROP buffer: the encoded ROP list and the server object handle table.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RopBuffer {
    /// `RopsList`: concatenated requests or responses.
    pub rops: Vec<u8>,
    /// `ServerObjectHandleTable`.
    pub handles: Vec<u32>,
}

impl RopBuffer {
    /// Splits a buffer into ROP list and handle table.
    pub fn decode(payload: &[u8]) -> DecodeResult<RopBuffer> {
        let mut r = Reader::new(payload);
        let rop_size = r.u16("RopSize")? as usize;
        if rop_size < 2 {
            return Err(r.invalid("RopSize", format!("{rop_size} is below 2")));
        }
        let rops = r.take(rop_size - 2, "RopsList")?.to_vec();
        let rest = r.rest();
        if rest.len() % 4 != 0 {
            return Err(
                r.invalid("ServerObjectHandleTable", format!("{} bytes is not a multiple of 4", rest.len()))
            );
        }
        if rest.len() / 4 > MAX_HANDLES {
            return Err(oxmapi_core::codec::DecodeError::TooLarge {
                offset: r.position(),
                what: "ServerObjectHandleTable",
                value: (rest.len() / 4) as u64,
                limit: MAX_HANDLES as u64,
            });
        }
        let handles = rest.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        Ok(RopBuffer { rops, handles })
    }

    /// Joins ROP list and handle table.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(2 + self.rops.len() + 4 * self.handles.len());
        w.u16((self.rops.len() + 2) as u16);
        w.bytes(&self.rops);
        self.handles.iter().for_each(|h| w.u32(*h));
        w.into_vec()
    }
}

/// Decodes every request of a ROP list.
pub fn decode_requests(rops: &[u8], ctx: &RequestContext) -> DecodeResult<Vec<RopRequest>> {
    let mut r = Reader::new(rops);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(RopRequest::decode(&mut r, ctx)?);
    }
    Ok(out)
}

/// Encodes requests into a ROP list.
pub fn encode_requests(requests: &[RopRequest]) -> Vec<u8> {
    let mut w = Writer::new();
    requests.iter().for_each(|q| q.encode(&mut w));
    w.into_vec()
}

/// Decodes every response of a ROP list. `columns_for(position, rop_id, handle_index)` supplies
/// the columns of row-bearing responses (the table's columns for RopQueryRows/RopFindRow/
/// RopExpandRow, the requested tags for RopGetPropertiesSpecific); without them the rows stay raw.
pub fn decode_responses(
    rops: &[u8],
    mut columns_for: impl FnMut(usize, RopId, u8) -> Option<Vec<PropTag>>,
) -> DecodeResult<Vec<RopResponse>> {
    decode_responses_with(rops, |pos, id, hi| ResponseHint {
        columns: columns_for(pos, id, hi),
        public_logon: false,
    })
}

/// What the caller knows about one response from its request (see [`ResponseContext`]).
#[derive(Clone, Debug, Default)]
pub struct ResponseHint {
    /// Columns of a row-bearing response.
    pub columns: Option<Vec<PropTag>>,
    /// The request ran on a public folder logon.
    pub public_logon: bool,
}

/// [`decode_responses`] with the full hint per response (`hint(position, rop_id, handle_index)`).
pub fn decode_responses_with(
    rops: &[u8],
    mut hint: impl FnMut(usize, RopId, u8) -> ResponseHint,
) -> DecodeResult<Vec<RopResponse>> {
    let mut r = Reader::new(rops);
    let mut out = Vec::new();
    while !r.is_empty() {
        let id = r.peek_u8(0).and_then(|b| RopId::try_from(b).ok());
        let handle = r.peek_u8(1).unwrap_or(0);
        let h = id.map(|id| hint(out.len(), id, handle)).unwrap_or_default();
        let ctx = ResponseContext { columns: h.columns.as_deref(), public_logon: h.public_logon };
        out.push(RopResponse::decode(&mut r, &ctx)?);
    }
    Ok(out)
}

/// Encodes responses into a ROP list.
pub fn encode_responses(responses: &[RopResponse]) -> Vec<u8> {
    let mut w = Writer::new();
    responses.iter().for_each(|q| q.encode(&mut w));
    w.into_vec()
}
