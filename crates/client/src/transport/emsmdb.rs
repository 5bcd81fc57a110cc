//! Typed EMSMDB calls over [`MapiHttp`] (MS-OXCMAPIHTTP 2.2.4; protocol-facts §1.7): Connect,
//! Execute (ROP buffers in one `RPC_HEADER_EXT` block, MS-OXCRPC 2.2.2.1), Disconnect, PING
//! and NotificationWait.

use oxmapi_core::tag::PropTag;
use oxmapi_wire::mapihttp::common::{RequestType, Response};
use oxmapi_wire::mapihttp::emsmdb::{
    ConnectRequest, ConnectResponse, ConnectSuccess, DisconnectRequest, DisconnectResponse, ExecuteRequest,
    ExecuteResponse, NotificationWaitRequest, NotificationWaitResponse,
};
use oxmapi_wire::rop::{
    ResponseHint, RopBuffer, RopId, RopRequest, RopResponse, decode_responses_with, encode_requests,
};
use oxmapi_wire::rpc_ext::{self, EncodeOptions};

use super::{MapiHttp, TransportError};

/// The decoded result of an Execute.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecuteOutput {
    /// The Execute `ErrorCode` (0 on success; a failing call carries no ROP responses).
    pub error_code: u32,
    /// One response per request except RopRelease, then any RopNotify / RopPending /
    /// RopBufferTooSmall / RopBackoff the server added.
    pub responses: Vec<RopResponse>,
    /// The response's server object handle table.
    pub handles: Vec<u32>,
}

/// The undecoded result of an Execute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawExecuteOutput {
    /// The Execute `ErrorCode`.
    pub error_code: u32,
    /// The payload of every `RPC_HEADER_EXT` block of `RopBuffer` after un-XOR and
    /// decompression: each is a ROP output buffer (`RopSize`, ROP list, handle table). One
    /// block unless the request asked for chaining.
    pub rop_buffers: Vec<Vec<u8>>,
    /// `AuxiliaryBuffer` as received.
    pub auxiliary_buffer: Vec<u8>,
}

/// EMSMDB (mailbox endpoint) calls on one session context.
pub struct EmsmdbClient {
    /// The transport (cookies, connection, authentication).
    pub http: MapiHttp,
    connected: bool,
}

impl EmsmdbClient {
    /// A client using `http` (which should point at the mailbox endpoint).
    pub fn new(http: MapiHttp) -> EmsmdbClient {
        EmsmdbClient { http, connected: false }
    }

    /// True after a Connect returned ErrorCode 0 and until Disconnect or [`Self::forget`].
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Forgets the session context without telling the server (cookies cleared): the next
    /// [`Self::connect`] creates a new context instead of replacing this one.
    pub fn forget(&mut self) {
        self.connected = false;
        self.http.clear_cookies();
    }

    /// Connect (MS-OXCMAPIHTTP 2.2.4.1). A first Connect starts with no cookies; a Connect while
    /// a context is live (a reconnect, e.g. after X-ResponseCode 10) sends the old cookies so
    /// that the server destroys the old context (MS-OXCMAPIHTTP 3.1.5.x). The success body is
    /// returned even when its `ErrorCode` ≠ 0 (the caller maps it); a failure body is
    /// [`TransportError::Protocol`] naming the `StatusCode`.
    pub async fn connect(&mut self, req: &ConnectRequest) -> Result<ConnectSuccess, TransportError> {
        if !self.connected {
            self.http.clear_cookies();
        }
        let body = self.http.request(RequestType::Connect, req.encode()).await?;
        let resp = ConnectResponse::decode(&body).map_err(|e| self.malformed("Connect", &e))?;
        let s = self.success(resp, "Connect")?;
        self.connected = s.error_code == 0;
        Ok(s)
    }

    /// Execute (MS-OXCMAPIHTTP 2.2.4.2) with `requests` and the server object handle table
    /// `handles`; `max_rop_out` is the largest ROP output buffer accepted (0x8000 is one
    /// block, [`oxmapi_wire::mapihttp::emsmdb::MAX_ROP_OUT`] the protocol's maximum).
    ///
    /// RopGetPropertiesSpecific responses are decoded with the tags of the matching request;
    /// for row-bearing responses that need a table's columns (RopQueryRows, RopFindRow,
    /// RopExpandRow) use [`Self::execute_with_columns`].
    pub async fn execute(
        &mut self,
        requests: &[RopRequest],
        handles: &[u32],
        max_rop_out: u32,
    ) -> Result<ExecuteOutput, TransportError> {
        self.execute_with_columns(requests, handles, max_rop_out, |_, _, _| None).await
    }

    /// [`Self::execute`] with a callback `columns(position, rop_id, handle_index)` that supplies
    /// the columns of row-bearing responses; when it returns `None` for a
    /// RopGetPropertiesSpecific response, the tags of the matching request are used.
    pub async fn execute_with_columns(
        &mut self,
        requests: &[RopRequest],
        handles: &[u32],
        max_rop_out: u32,
        mut columns: impl FnMut(usize, RopId, u8) -> Option<Vec<PropTag>>,
    ) -> Result<ExecuteOutput, TransportError> {
        let buffer = RopBuffer { rops: encode_requests(requests), handles: handles.to_vec() }.encode();
        let raw = self.execute_raw(&buffer, 0, max_rop_out).await?;
        let mut out =
            ExecuteOutput { error_code: raw.error_code, responses: Vec::new(), handles: Vec::new() };
        // Responses come in request order; RopRelease has none.
        let answered: Vec<&RopRequest> = requests.iter().filter(|r| r.rop_id() != RopId::Release).collect();
        for payload in &raw.rop_buffers {
            let rb =
                RopBuffer::decode(payload).map_err(|e| self.malformed("Execute ROP output buffer", &e))?;
            let base = out.responses.len();
            let responses = decode_responses_with(&rb.rops, |pos, id, hi| ResponseHint {
                columns: columns(base + pos, id, hi)
                    .or_else(|| requested_tags(&answered, base + pos, id, hi)),
                public_logon: matches!(
                    answered.get(base + pos),
                    Some(RopRequest::SetMessageReadFlag(q)) if q.client_data.is_some()
                ),
            })
            .map_err(|e| self.malformed("Execute ROP responses", &e))?;
            out.responses.extend(responses);
            out.handles = rb.handles;
        }
        Ok(out)
    }

    /// Execute with an already encoded ROP input buffer (`RopSize`, ROP list, handle table),
    /// sent as one `RPC_HEADER_EXT` block without compression or XorMagic, and the Execute
    /// `flags` (MS-OXCRPC 3.1.4.2: NoCompression 0x1, NoXorMagic 0x2, Chain 0x4). Returns the
    /// response's ROP output buffers after un-XOR and decompression.
    pub async fn execute_raw(
        &mut self,
        rop_buffer: &[u8],
        flags: u32,
        max_rop_out: u32,
    ) -> Result<RawExecuteOutput, TransportError> {
        let block = rpc_ext::encode_block(
            rop_buffer,
            EncodeOptions { compress: false, xor: false, last: true },
        )
        .map_err(|e| {
            TransportError::Protocol(format!(
                "{}: the ROP request buffer cannot be sent in one block: {e}; send fewer ROPs per Execute",
                self.http.endpoint().url
            ))
        })?;
        let req = ExecuteRequest { flags, rop_buffer: block, max_rop_out, auxiliary_buffer: Vec::new() };
        let body = self.http.request(RequestType::Execute, req.encode()).await?;
        let resp = ExecuteResponse::decode(&body).map_err(|e| self.malformed("Execute", &e))?;
        let s = self.success(resp, "Execute")?;
        let rop_buffers = if s.rop_buffer.is_empty() {
            Vec::new()
        } else {
            rpc_ext::decode_blocks(&s.rop_buffer)
                .map_err(|e| self.malformed("Execute RPC_HEADER_EXT blocks", &e))?
                .into_iter()
                .map(|b| b.payload)
                .collect()
        };
        Ok(RawExecuteOutput { error_code: s.error_code, rop_buffers, auxiliary_buffer: s.auxiliary_buffer })
    }

    /// Disconnect (MS-OXCMAPIHTTP 2.2.4.3): ends the session context; the cookies are dropped.
    pub async fn disconnect(&mut self) -> Result<(), TransportError> {
        let req = DisconnectRequest { auxiliary_buffer: Vec::new() };
        let body = self.http.request(RequestType::Disconnect, req.encode()).await?;
        let resp = DisconnectResponse::decode(&body).map_err(|e| self.malformed("Disconnect", &e))?;
        self.success(resp, "Disconnect")?;
        self.forget();
        Ok(())
    }

    /// PING (MS-OXCMAPIHTTP 2.2.6): keeps the session context alive.
    pub async fn ping(&mut self) -> Result<(), TransportError> {
        self.http.request(RequestType::Ping, Vec::new()).await.map(|_| ())
    }

    /// NotificationWait (MS-OXCMAPIHTTP 2.2.4.4): returns when an event is pending (`true`:
    /// send an Execute, possibly empty, to collect RopNotify responses) or after the server's
    /// maximum wait (`false`).
    pub async fn notification_wait(&mut self) -> Result<bool, TransportError> {
        let req = NotificationWaitRequest { flags: 0, auxiliary_buffer: Vec::new() };
        let body = self.http.request(RequestType::NotificationWait, req.encode()).await?;
        let resp =
            NotificationWaitResponse::decode(&body).map_err(|e| self.malformed("NotificationWait", &e))?;
        Ok(self.success(resp, "NotificationWait")?.is_event_pending())
    }

    fn success<T>(&self, resp: Response<T>, what: &str) -> Result<T, TransportError> {
        match resp {
            Response::Success(s) => Ok(s),
            Response::Failure(f) => {
                let name = oxmapi_core::ErrorCode(f.status_code).name();
                Err(TransportError::Protocol(format!(
                    "{}: {what} failed with StatusCode 0x{:08X} ({name})",
                    self.http.endpoint().url,
                    f.status_code
                )))
            }
        }
    }

    fn malformed(&self, what: &str, e: &dyn std::fmt::Display) -> TransportError {
        TransportError::Protocol(format!("{}: malformed {what} response: {e}", self.http.endpoint().url))
    }
}

/// The tags of the RopGetPropertiesSpecific request answered at `pos`: the request at the same
/// position when it matches, else the first such request on the same handle index.
fn requested_tags(answered: &[&RopRequest], pos: usize, id: RopId, handle_index: u8) -> Option<Vec<PropTag>> {
    if id != RopId::GetPropertiesSpecific {
        return None;
    }
    let tags_of = |r: &RopRequest| match r {
        RopRequest::GetPropertiesSpecific(q) if q.input_handle_index == handle_index => {
            Some(q.property_tags.clone())
        }
        _ => None,
    };
    answered.get(pos).and_then(|r| tags_of(r)).or_else(|| answered.iter().find_map(|r| tags_of(r)))
}
