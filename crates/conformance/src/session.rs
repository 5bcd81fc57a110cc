//! MAPI/HTTP session contexts at the wire level (MS-OXCMAPIHTTP 2.2.2–2.2.5): the common
//! request headers, the context cookies, and the EMSMDB (Connect/Execute/Disconnect) and NSPI
//! (Bind/…/Unbind) request types with their bodies from [`oxmapi_wire::mapihttp`]. Nothing
//! here interprets the answers beyond decoding them; judging them is the cases' job.

use std::collections::HashMap;

use oxmapi_core::tag::PropTag;
use oxmapi_wire::mapihttp::common::{Response, SuccessBody};
use oxmapi_wire::mapihttp::emsmdb::{
    ConnectRequest, ConnectResponse, DisconnectRequest, ExecuteRequest, ExecuteResponse,
};
use oxmapi_wire::rop::buffer::{ResponseHint, RopBuffer, encode_requests};
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;
use oxmapi_wire::rpc_ext::{EncodeOptions, decode_blocks, encode_block};

use crate::http::{DriverResult, Http, Reply, derr};

/// The `X-ClientApplication` the suite announces (MS-OXCMAPIHTTP 2.2.3.3.6): a current Outlook,
/// so that no server refuses it for its version.
pub const CLIENT_APPLICATION: &str = "Outlook/16.0.10000.1000";
/// `MaxRopOut` the suite asks for by default (MS-OXCRPC 3.1.4.2: at most 0x40000).
pub const DEFAULT_MAX_ROP_OUT: u32 = 0x10008;
/// Code page the suite connects with (Windows-1252).
pub const CODE_PAGE: u32 = 1252;
/// LCID the suite connects with (en-US).
pub const LCID: u32 = 1033;

/// Cookies of one session context (MS-OXCMAPIHTTP 2.2.3.2.1–2), kept in arrival order.
#[derive(Clone, Debug, Default)]
pub struct Cookies(pub Vec<(String, String)>);

impl Cookies {
    /// The `Cookie` header value, or `None` when there are none.
    pub fn header(&self) -> Option<String> {
        if self.0.is_empty() {
            None
        } else {
            Some(self.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
        }
    }

    /// Takes the `Set-Cookie` headers of `reply`: a cookie with `Max-Age=0` or an expiry in
    /// 1970 is dropped, any other replaces the one with its name. Only the attributes are
    /// looked at: a value may well contain "1970" (a random hex token does, now and then).
    pub fn absorb(&mut self, reply: &Reply) {
        for v in reply.headers_named("Set-Cookie") {
            let first = v.split(';').next().unwrap_or("").trim();
            let Some((name, value)) = first.split_once('=') else { continue };
            let expired = v
                .split(';')
                .skip(1)
                .map(|a| a.trim().to_ascii_lowercase())
                .any(|a| a == "max-age=0" || (a.starts_with("expires=") && a.contains("1970")));
            self.0.retain(|(k, _)| k != name);
            if !expired {
                self.0.push((name.to_string(), value.to_string()));
            }
        }
    }

    /// The value of cookie `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) cookie `name`.
    pub fn set(&mut self, name: &str, value: &str) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.to_string(), value.to_string()));
    }
}

/// One MAPI/HTTP session context on one endpoint: a connection, its cookies and the request
/// counter of `X-RequestId` (MS-OXCMAPIHTTP 2.2.3.3.2).
pub struct Context {
    /// The HTTP connection.
    pub http: Http,
    /// The endpoint path, e.g. `/mapi/emsmdb/` or `/mapi/emsmdb/?MailboxId=…`.
    pub path: String,
    /// The context's cookies.
    pub cookies: Cookies,
    /// `X-ClientApplication`.
    pub client_application: String,
    request_guid: String,
    counter: u32,
    client_info: String,
}

/// A fresh `{GUID}` in registry format.
pub fn random_guid() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{{{:02X}{:02X}{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    )
}

impl Context {
    /// A context on `path` over `http`.
    pub fn new(http: Http, path: String) -> Context {
        Context {
            http,
            path,
            cookies: Cookies::default(),
            client_application: CLIENT_APPLICATION.to_string(),
            request_guid: random_guid(),
            counter: 0,
            client_info: format!("{}:1", random_guid()),
        }
    }

    /// The headers of a MAPI/HTTP POST of `request_type` (MS-OXCMAPIHTTP 2.2.3.3), with the
    /// next `X-RequestId` and the context's cookies.
    pub fn headers(&mut self, request_type: &str) -> Vec<(String, String)> {
        self.counter += 1;
        let mut h = vec![
            ("Content-Type".to_string(), "application/mapi-http".to_string()),
            ("Accept".to_string(), "application/mapi-http".to_string()),
            ("X-RequestType".to_string(), request_type.to_string()),
            ("X-RequestId".to_string(), format!("{}:{}", self.request_guid, self.counter)),
            ("X-ClientInfo".to_string(), self.client_info.clone()),
            ("X-ClientApplication".to_string(), self.client_application.clone()),
        ];
        if let Some(c) = self.cookies.header() {
            h.push(("Cookie".to_string(), c));
        }
        h
    }

    /// POSTs `body` as `request_type` with the standard headers; keeps the cookies set.
    pub fn post(&mut self, request_type: &str, body: &[u8]) -> DriverResult<Reply> {
        self.post_with(request_type, body, |_| {})
    }

    /// [`Context::post`] after `edit` changed the headers (to leave one out, spoil one…).
    pub fn post_with(
        &mut self,
        request_type: &str,
        body: &[u8],
        edit: impl FnOnce(&mut Vec<(String, String)>),
    ) -> DriverResult<Reply> {
        let mut h = self.headers(request_type);
        edit(&mut h);
        let path = self.path.clone();
        let r = self.http.send("POST", &path, &h, body)?;
        self.cookies.absorb(&r);
        Ok(r)
    }

    /// POSTs and decodes a `Response<T>` when `X-ResponseCode` is 0; the reply is returned
    /// either way.
    pub fn call<T: SuccessBody>(
        &mut self,
        request_type: &str,
        body: &[u8],
    ) -> DriverResult<(Reply, Option<Response<T>>)> {
        let r = self.post(request_type, body)?;
        if r.status != 200 || r.response_code() != Some(0) {
            return Ok((r, None));
        }
        let b = r.mapi_body()?;
        let decoded =
            Response::<T>::decode(&b).map_err(|e| derr(format!("{request_type} response body: {e}")))?;
        Ok((r, Some(decoded)))
    }
}

/// What one Execute returned: the ROP responses (RopNotify/RopPending set apart), the handle
/// table, and the raw ROP list for the cases that check bytes the codecs do not model.
#[derive(Clone, Debug, Default)]
pub struct Exec {
    /// Responses in order.
    pub responses: Vec<RopResponse>,
    /// RopNotify and RopPending responses the server appended.
    pub notes: Vec<RopResponse>,
    /// The server object handle table of the response.
    pub handles: Vec<u32>,
    /// The raw `RopsList` of the response.
    pub raw_rops: Vec<u8>,
    /// Set when the ROP list did not decode; `responses` then holds what decoded before.
    pub decode_error: Option<String>,
    /// Execute `ErrorCode`.
    pub error_code: u32,
}

/// An EMSMDB session context (MS-OXCMAPIHTTP 2.2.4): Connect, Execute, Disconnect.
pub struct Emsmdb {
    /// The MAPI/HTTP context.
    pub ctx: Context,
    /// Table columns by server handle value (set by RopSetColumns), to decode rows.
    columns: HashMap<u32, Vec<PropTag>>,
}

impl Emsmdb {
    /// A not yet connected context.
    pub fn new(ctx: Context) -> Emsmdb {
        Emsmdb { ctx, columns: HashMap::new() }
    }

    /// The Connect body the suite sends for `user_dn` with `flags`.
    pub fn connect_request(user_dn: &str, flags: u32) -> ConnectRequest {
        ConnectRequest {
            user_dn: user_dn.to_string(),
            flags,
            default_code_page: CODE_PAGE,
            lcid_sort: LCID,
            lcid_string: LCID,
            auxiliary_buffer: vec![],
        }
    }

    /// Connect (MS-OXCMAPIHTTP 2.2.4.1).
    pub fn connect(&mut self, user_dn: &str, flags: u32) -> DriverResult<(Reply, Option<ConnectResponse>)> {
        self.ctx.call("Connect", &Self::connect_request(user_dn, flags).encode())
    }

    /// Execute with a raw body (MS-OXCMAPIHTTP 2.2.4.2).
    pub fn execute_body(&mut self, req: &ExecuteRequest) -> DriverResult<(Reply, Option<ExecuteResponse>)> {
        self.ctx.call("Execute", &req.encode())
    }

    /// The Execute body carrying `payload` (a ROP buffer) in one uncompressed RPC_HEADER_EXT
    /// block with Last set.
    pub fn execute_request(payload: &[u8], max_rop_out: u32) -> DriverResult<ExecuteRequest> {
        let block = encode_block(payload, EncodeOptions { compress: false, xor: false, last: true })
            .map_err(|e| derr(format!("RPC_HEADER_EXT: {e}")))?;
        Ok(ExecuteRequest { flags: 0, rop_buffer: block, max_rop_out, auxiliary_buffer: vec![] })
    }

    /// Sends `requests` with handle table `handles` and decodes the answer.
    pub fn execute(&mut self, requests: &[RopRequest], handles: Vec<u32>) -> DriverResult<Exec> {
        self.execute_limited(requests, handles, DEFAULT_MAX_ROP_OUT)
    }

    /// [`Emsmdb::execute`] with an explicit `MaxRopOut`.
    pub fn execute_limited(
        &mut self,
        requests: &[RopRequest],
        handles: Vec<u32>,
        max_rop_out: u32,
    ) -> DriverResult<Exec> {
        let payload = RopBuffer { rops: encode_requests(requests), handles: handles.clone() }.encode();
        let req = Self::execute_request(&payload, max_rop_out)?;
        let (reply, resp) = self.execute_body(&req)?;
        let Some(resp) = resp else {
            return Err(derr(format!("Execute answered {}", reply.summary())));
        };
        let ok = match resp {
            Response::Success(s) => s,
            Response::Failure(f) => {
                return Err(derr(format!("Execute failure body, StatusCode 0x{:08X}", f.status_code)));
            }
        };
        let mut exec = Exec { error_code: ok.error_code, ..Exec::default() };
        if ok.error_code != 0 {
            return Ok(exec);
        }
        let blocks = decode_blocks(&ok.rop_buffer).map_err(|e| derr(format!("RPC_HEADER_EXT: {e}")))?;
        let payload: Vec<u8> = blocks.into_iter().flat_map(|b| b.payload).collect();
        let buf = RopBuffer::decode(&payload).map_err(|e| derr(format!("ROP buffer: {e}")))?;
        exec.raw_rops = buf.rops.clone();
        exec.handles = buf.handles.clone();
        let hints = self.hints(requests, &handles);
        let mut decoded = Vec::new();
        // Decode response by response so that what precedes an undecodable one is kept.
        let mut rest: &[u8] = &buf.rops;
        while !rest.is_empty() {
            let idx = decoded.iter().filter(|r: &&RopResponse| !is_note(r)).count();
            let hint = hints.get(idx).cloned().unwrap_or_default();
            let mut r = oxmapi_core::codec::Reader::new(rest);
            let ctx = oxmapi_wire::rop::outcome::ResponseContext {
                columns: hint.columns.as_deref(),
                public_logon: hint.public_logon,
            };
            match RopResponse::decode(&mut r, &ctx) {
                Ok(resp) => {
                    let used = rest.len() - r.rest().len();
                    rest = &rest[used..];
                    decoded.push(resp);
                }
                Err(e) => {
                    exec.decode_error = Some(format!("response {}: {e}", idx + 1));
                    break;
                }
            }
        }
        let (notes, responses): (Vec<_>, Vec<_>) = decoded.into_iter().partition(is_note);
        // Remember the columns of tables for later RopQueryRows.
        for (q, r) in requests.iter().filter(|q| !matches!(q, RopRequest::Release(_))).zip(&responses) {
            if let (RopRequest::SetColumns(s), Some((_, 0))) = (q, r.status()) {
                if let Some(h) = exec.handles.get(s.input_handle_index as usize) {
                    self.columns.insert(*h, s.property_tags.clone());
                }
            }
        }
        exec.responses = responses;
        exec.notes = notes;
        Ok(exec)
    }

    /// What the decoder needs per response: the tags of RopGetPropertiesSpecific, the columns
    /// of RopQueryRows/RopFindRow/RopExpandRow (set earlier in this buffer or on the handle).
    fn hints(&self, requests: &[RopRequest], handles: &[u32]) -> Vec<ResponseHint> {
        let mut by_slot: HashMap<u8, Vec<PropTag>> = HashMap::new();
        let mut out = Vec::new();
        for q in requests.iter().filter(|q| !matches!(q, RopRequest::Release(_))) {
            let slot_cols = |slot: u8, by_slot: &HashMap<u8, Vec<PropTag>>| {
                by_slot
                    .get(&slot)
                    .cloned()
                    .or_else(|| handles.get(slot as usize).and_then(|h| self.columns.get(h).cloned()))
            };
            let columns = match q {
                RopRequest::GetPropertiesSpecific(g) => Some(g.property_tags.clone()),
                RopRequest::SetColumns(s) => {
                    by_slot.insert(s.input_handle_index, s.property_tags.clone());
                    None
                }
                RopRequest::QueryRows(x) => slot_cols(x.input_handle_index, &by_slot),
                RopRequest::FindRow(x) => slot_cols(x.input_handle_index, &by_slot),
                RopRequest::ExpandRow(x) => slot_cols(x.input_handle_index, &by_slot),
                _ => None,
            };
            let public_logon = matches!(q, RopRequest::SetMessageReadFlag(r) if r.client_data.is_some());
            out.push(ResponseHint { columns, public_logon });
        }
        out
    }

    /// Disconnect (MS-OXCMAPIHTTP 2.2.4.3).
    pub fn disconnect(&mut self) -> DriverResult<Reply> {
        self.ctx.post("Disconnect", &DisconnectRequest::default().encode())
    }
}

fn is_note(r: &RopResponse) -> bool {
    matches!(r, RopResponse::Notify(_) | RopResponse::Pending(_))
}

/// An NSPI session context on the address-book endpoint (MS-OXCMAPIHTTP 2.2.5).
pub struct Nspi {
    /// The MAPI/HTTP context.
    pub ctx: Context,
}

impl Nspi {
    /// A not yet bound context.
    pub fn new(ctx: Context) -> Nspi {
        Nspi { ctx }
    }

    /// Sends one NSPI request type and decodes its success or failure body.
    pub fn call<T: SuccessBody>(
        &mut self,
        request_type: &str,
        body: &[u8],
    ) -> DriverResult<(Reply, Option<Response<T>>)> {
        self.ctx.call(request_type, body)
    }

    /// Sends one NSPI request and returns the success fields; anything else is a driver error
    /// naming the request type.
    pub fn ok<T: SuccessBody>(&mut self, request_type: &str, body: &[u8]) -> DriverResult<T> {
        let (reply, resp) = self.call::<T>(request_type, body)?;
        match resp {
            Some(Response::Success(s)) => Ok(s),
            Some(Response::Failure(f)) => {
                Err(derr(format!("{request_type}: failure body StatusCode 0x{:08X}", f.status_code)))
            }
            None => Err(derr(format!("{request_type}: {}", reply.summary()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_value_containing_1970_is_kept() {
        let reply = Reply {
            status: 200,
            headers: vec![
                ("Set-Cookie".into(), "sid=ab1970cd; Path=/mapi/emsmdb/; HttpOnly".into()),
                ("Set-Cookie".into(), "old=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT".into()),
                ("Set-Cookie".into(), "gone=; Max-Age=0".into()),
            ],
            body: vec![],
        };
        let mut c = Cookies(vec![("old".into(), "1".into()), ("gone".into(), "2".into())]);
        c.absorb(&reply);
        assert_eq!(c.get("sid"), Some("ab1970cd"));
        assert_eq!(c.get("old"), None);
        assert_eq!(c.get("gone"), None);
    }
}
