//! ROP batching (MS-OXCROPS 3.1.4): several ROPs and their server object handle table go out in
//! one Execute; a ROP names its input object by a slot of that table and puts the object it
//! creates into another slot. When the server answers RopBufferTooSmall (MS-OXCROPS 2.2.15.1)
//! the ROPs it did not run are sent again with the handle table it returned.

use oxmapi_core::error::codes;
use oxmapi_core::tag::PropTag;
use oxmapi_core::{ErrorCode, MapiError};
use oxmapi_wire::mapihttp::emsmdb::MAX_ROP_OUT;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::request::RequestContext;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rop::{RopId, RopRequest};

use crate::profile::MapiResult;
use crate::session::msems::{EmsmdbLink, unreachable};
use crate::transport::TransportError;

/// Execute calls one batch may take before giving up on RopBufferTooSmall (each one makes
/// progress, so this only bounds a misbehaving server).
const MAX_RESENDS: usize = 64;

/// ROPs to send in one Execute, with their handle table.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// The requests in order.
    pub rops: Vec<RopRequest>,
    /// The server object handle table.
    pub handles: Vec<u32>,
    /// Columns for row-bearing responses, by response position.
    columns: Vec<(usize, Vec<PropTag>)>,
    answered: usize,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// A slot holding an existing server handle.
    pub fn input(&mut self, handle: u32) -> u8 {
        if let Some(i) = self.handles.iter().position(|h| *h == handle && handle != UNUSED_HANDLE) {
            return i as u8;
        }
        self.handles.push(handle);
        (self.handles.len() - 1) as u8
    }

    /// A slot for an object a ROP of this batch creates.
    pub fn output(&mut self) -> u8 {
        self.handles.push(UNUSED_HANDLE);
        (self.handles.len() - 1) as u8
    }

    /// Adds a request; returns the position of its response (`None` for RopRelease, which has
    /// none).
    pub fn push(&mut self, rop: RopRequest) -> usize {
        let pos = self.answered;
        if rop.rop_id() != RopId::Release {
            self.answered += 1;
        }
        self.rops.push(rop);
        pos
    }

    /// Adds a request whose response carries rows in `columns` (RopQueryRows, RopFindRow).
    pub fn push_rows(&mut self, rop: RopRequest, columns: Vec<PropTag>) -> usize {
        let pos = self.push(rop);
        self.columns.push((pos, columns));
        pos
    }
}

/// What one batch returned: a response per answered request, in order, and the final handle
/// table (slots filled by the ROPs that created objects).
#[derive(Debug)]
pub(crate) struct BatchResult {
    pub responses: Vec<Option<RopResponse>>,
    pub handles: Vec<u32>,
}

impl BatchResult {
    /// Takes the response at `pos`.
    pub fn take(&mut self, pos: usize) -> MapiResult<RopResponse> {
        self.responses.get_mut(pos).and_then(Option::take).ok_or_else(|| {
            MapiError::new(codes::MAPI_E_CALL_FAILED, "the server sent fewer ROP responses than requests")
        })
    }

    /// The server handle now in `slot`.
    pub fn handle(&self, slot: u8) -> MapiResult<u32> {
        match self.handles.get(slot as usize) {
            Some(&h) if h != UNUSED_HANDLE => Ok(h),
            _ => Err(MapiError::new(
                codes::MAPI_E_CALL_FAILED,
                "the server returned no handle for a new object",
            )),
        }
    }
}

/// Sends `batch` on `link`. Returns MAPI_E_END_OF_SESSION after reconnecting when the server had
/// lost the session context, or its endpoint stopped answering and another endpoint of the site
/// took over (every handle of the old context is gone).
pub(crate) fn run(link: &mut EmsmdbLink, batch: Batch) -> MapiResult<BatchResult> {
    let Batch { mut rops, mut handles, columns, .. } = batch;
    let mut responses: Vec<Option<RopResponse>> = Vec::new();
    for _ in 0..MAX_RESENDS {
        let base = responses.len();
        let out = crate::transport::block_on(async {
            match link
                .client
                .execute_with_columns(&rops, &handles, MAX_ROP_OUT, |pos, _, _| {
                    columns.iter().find(|(p, _)| *p == base + pos).map(|(_, c)| c.clone())
                })
                .await
            {
                Err(TransportError::ResponseCode { code: 10, .. }) => {
                    link.reconnect().await?;
                    Err(MapiError::new(
                        codes::MAPI_E_END_OF_SESSION,
                        "the server had lost the session context; reconnected, reopen the objects and repeat",
                    ))
                }
                // The node holding the context is gone and the site has other endpoints: the
                // context is lost with it, so connect through another one (the ROPs are not
                // sent again: their handles belonged to the lost context).
                Err(e) if unreachable(&e) && !link.endpoints.mailstore_alternates.is_empty() => {
                    let from = link.endpoints.mailstore.clone();
                    link.reconnect().await?;
                    Err(MapiError::new(
                        codes::MAPI_E_END_OF_SESSION,
                        format!(
                            "{from} did not answer ({e}); reconnected through {}, reopen the objects and repeat",
                            link.endpoints.mailstore
                        ),
                    ))
                }
                r => r.map_err(|e| e.to_mapi()),
            }
        })?;
        if out.error_code != 0 {
            return Err(MapiError::new(ErrorCode(out.error_code), "Execute failed on the server"));
        }
        handles = out.handles;
        let mut rest = None;
        for r in out.responses {
            match r {
                RopResponse::BufferTooSmall(b) => rest = Some(b.request_buffers),
                // Notifications go to the session's subscriptions; RopPending needs nothing:
                // the NotificationWait thread collects what is still queued.
                RopResponse::Notify(n) => {
                    if let Some(notifier) = &link.notifier {
                        notifier.deliver(link.generation, &n);
                    }
                }
                RopResponse::Pending(_) => {}
                r => responses.push(Some(r)),
            }
        }
        let Some(rest) = rest else {
            return Ok(BatchResult { responses, handles });
        };
        rops = decode_rest(&rest)?;
        if rops.is_empty() {
            return Ok(BatchResult { responses, handles });
        }
    }
    Err(MapiError::new(
        codes::MAPI_E_CALL_FAILED,
        "the server kept answering RopBufferTooSmall; send fewer ROPs per call",
    ))
}

/// The requests the server did not run (the `RequestBuffers` of RopBufferTooSmall).
fn decode_rest(bytes: &[u8]) -> MapiResult<Vec<RopRequest>> {
    let ctx = RequestContext::default();
    let mut r = oxmapi_core::codec::Reader::new(bytes);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(RopRequest::decode(&mut r, &ctx).map_err(|e| {
            MapiError::new(
                codes::MAPI_E_CORRUPT_DATA,
                format!("RopBufferTooSmall carried unreadable ROPs: {e}"),
            )
        })?);
    }
    Ok(out)
}

/// The body of a successful response of the expected kind, or the ROP's error.
macro_rules! expect_rop {
    ($resp:expr, $variant:ident) => {
        match $resp {
            oxmapi_wire::rop::response::RopResponse::$variant(o) if o.return_value == 0 => {
                o.body.ok_or_else(|| {
                    oxmapi_core::MapiError::new(
                        oxmapi_core::error::codes::MAPI_E_CORRUPT_DATA,
                        concat!("Rop", stringify!($variant), " succeeded without a body"),
                    )
                })
            }
            oxmapi_wire::rop::response::RopResponse::$variant(o) => {
                Err($crate::store::batch::rop_error(concat!("Rop", stringify!($variant)), o.return_value))
            }
            other => Err($crate::store::batch::unexpected(concat!("Rop", stringify!($variant)), &other)),
        }
    };
}
pub(crate) use expect_rop;

/// A failing ROP as a MAPI error.
pub(crate) fn rop_error(rop: &str, code: u32) -> MapiError {
    let e = ErrorCode(code);
    MapiError::new(e, format!("{rop} failed with {}", e.name()))
}

/// A response of the wrong kind.
pub(crate) fn unexpected(rop: &str, got: &RopResponse) -> MapiError {
    MapiError::new(codes::MAPI_E_CALL_FAILED, format!("expected a {rop} response, got {:?}", got.rop_id()))
}
