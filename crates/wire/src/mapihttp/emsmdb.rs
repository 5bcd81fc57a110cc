//! MAPI/HTTP mailbox endpoint (EMSMDB) request and response bodies (MS-OXCMAPIHTTP 2.2.4;
//! protocol-facts §1.7): Connect (2.2.4.1), Execute (2.2.4.2), Disconnect (2.2.4.3) and
//! NotificationWait (2.2.4.4). `PING` (2.2.6) has no body.
//!
//! All bodies are packed little-endian structures. Every response is either a success body
//! (`StatusCode` = 0) or the common [`FailureResponse`]; [`Response`] models the split. Decoders
//! reject trailing bytes and check every size against the remaining input and the MS-OXCRPC limits
//! (protocol-facts §2.2) before allocating.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};

pub use super::common::{
    CONTENT_TYPE_MAPI_HTTP, EC_RPC_FAILED, EC_RPC_FORMAT, Endpoint, FailureResponse,
    HEADER_CLIENT_APPLICATION, HEADER_CLIENT_INFO, HEADER_ELAPSED_TIME, HEADER_EXPIRATION_INFO,
    HEADER_PENDING_PERIOD, HEADER_REQUEST_ID, HEADER_REQUEST_TYPE, HEADER_RESPONSE_CODE,
    HEADER_SERVER_APPLICATION, HEADER_START_TIME, MAX_AUX_SIZE, RPC_X_BAD_STUB_DATA, RequestType, Response,
    ResponseCode, SuccessBody, UnknownRequestType, encode_version_words, normalize_version_words,
    parse_client_application, status_for_decode_error,
};
use super::common::{read_aux, read_sized, write_aux, write_sized};

/// Largest request `RopBufferSize` (`cbIn`, headers included); larger fails with
/// [`RPC_X_BAD_STUB_DATA`] (MS-OXCRPC 3.1.4.2; protocol-facts §2.2).
pub const MAX_ROP_BUFFER_IN: usize = 0x40000;
/// Largest `MaxRopOut` a server accepts without ULTRA_LARGE_PACKED_DOWNLOAD_BUFFERS
/// (MS-OXCRPC 3.1.4.2).
pub const MAX_ROP_OUT: u32 = 0x40000;
/// Largest `MaxRopOut` with ULTRA_LARGE_PACKED_DOWNLOAD_BUFFERS advertised (believed 0x100000;
/// protocol-facts §2.2 marks it unconfirmed).
pub const MAX_ROP_OUT_ULTRA_LARGE: u32 = 0x100000;
/// Smallest ROP buffer / `MaxRopOut` (one RPC_HEADER_EXT); smaller fails with [`EC_RPC_FAILED`].
pub const MIN_ROP_BUFFER: usize = 8;

/// Execute `Flags` (`pulFlags`, MS-OXCRPC 3.1.4.2; protocol-facts §2.5).
pub mod execute_flags {
    /// `NoCompression`: the server must not compress `rgbOut` / `rgbAuxOut`.
    pub const NO_COMPRESSION: u32 = 0x0000_0001;
    /// `NoXorMagic`: the server must not obfuscate `rgbOut` / `rgbAuxOut`.
    pub const NO_XOR_MAGIC: u32 = 0x0000_0002;
    /// `Chain`: the client accepts chained (packed) response blocks.
    pub const CHAIN: u32 = 0x0000_0004;
}

/// NotificationWait `EventPending` value meaning events are waiting (`NotificationPending`,
/// MS-OXCRPC 3.3.4.1).
pub const EVENT_PENDING: u32 = 0x0000_0001;

/// MS-OXCMAPIHTTP 2.2.4.1.1 Connect request body (EcDoConnectEx inputs; protocol-facts §1.7, §2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectRequest {
    /// `UserDn`: the user's legacy DN, ASCII NUL-terminated (Windows-1252 decoded).
    pub user_dn: String,
    /// `Flags` (= `ulFlags`): 0x1 admin privilege, 0x8000 CONNECT_IGNORE_NO_PF.
    pub flags: u32,
    /// `DefaultCodePage` (= `ulCpid`).
    pub default_code_page: u32,
    /// `LcidSort`.
    pub lcid_sort: u32,
    /// `LcidString`.
    pub lcid_string: u32,
    /// `AuxiliaryBuffer` (an RPC_HEADER_EXT block of AUX blocks), at most [`MAX_AUX_SIZE`] bytes.
    pub auxiliary_buffer: Vec<u8>,
}

impl ConnectRequest {
    /// Decodes a whole Connect request body.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let v = ConnectRequest {
            user_dn: r.asciiz("UserDn")?,
            flags: r.u32("Flags")?,
            default_code_page: r.u32("DefaultCodePage")?,
            lcid_sort: r.u32("LcidSort")?,
            lcid_string: r.u32("LcidString")?,
            auxiliary_buffer: read_aux(&mut r)?,
        };
        r.finish("Connect request body")?;
        Ok(v)
    }

    /// Encodes the body.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(self.user_dn.len() + 21 + self.auxiliary_buffer.len());
        w.asciiz(&self.user_dn);
        w.u32(self.flags);
        w.u32(self.default_code_page);
        w.u32(self.lcid_sort);
        w.u32(self.lcid_string);
        write_aux(&mut w, &self.auxiliary_buffer);
        w.into_vec()
    }
}

/// MS-OXCMAPIHTTP 2.2.4.1.2 Connect success response fields (EcDoConnectEx outputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSuccess {
    /// `ErrorCode`: the EcDoConnectEx return value (protocol-facts §2.8).
    pub error_code: u32,
    /// `PollsMax` (ms, = `pcmsPollsMax`).
    pub polls_max: u32,
    /// `RetryCount` (= `pcRetry`).
    pub retry_count: u32,
    /// `RetryDelay` (ms, = `pcmsRetryDelay`).
    pub retry_delay: u32,
    /// `DnPrefix`: ASCII NUL-terminated (= `szDNPrefix`).
    pub dn_prefix: String,
    /// `DisplayName`: UTF-16LE NUL-terminated (= `szDisplayName`).
    pub display_name: String,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl SuccessBody for ConnectSuccess {
    const WHAT: &'static str = "Connect response body";

    fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(ConnectSuccess {
            error_code: r.u32("ErrorCode")?,
            polls_max: r.u32("PollsMax")?,
            retry_count: r.u32("RetryCount")?,
            retry_delay: r.u32("RetryDelay")?,
            dn_prefix: r.asciiz("DnPrefix")?,
            display_name: r.utf16z("DisplayName")?,
            auxiliary_buffer: read_aux(r)?,
        })
    }

    fn encode_fields(&self, w: &mut Writer) {
        w.u32(self.error_code);
        w.u32(self.polls_max);
        w.u32(self.retry_count);
        w.u32(self.retry_delay);
        w.asciiz(&self.dn_prefix);
        w.utf16z(&self.display_name);
        write_aux(w, &self.auxiliary_buffer);
    }
}

/// MS-OXCMAPIHTTP 2.2.4.1.2 Connect response body.
pub type ConnectResponse = Response<ConnectSuccess>;

/// MS-OXCMAPIHTTP 2.2.4.2.1 Execute request body (EcDoRpcExt2 inputs; protocol-facts §1.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecuteRequest {
    /// `Flags` (= `pulFlags`); see [`execute_flags`].
    pub flags: u32,
    /// `RopBuffer` (= `rgbIn`): raw RPC_HEADER_EXT blocks, at most [`MAX_ROP_BUFFER_IN`] bytes.
    pub rop_buffer: Vec<u8>,
    /// `MaxRopOut` (= `pcbOut`): the largest ROP output buffer the client accepts.
    pub max_rop_out: u32,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl ExecuteRequest {
    /// Decodes a whole Execute request body. A `RopBufferSize` above [`MAX_ROP_BUFFER_IN`] or an
    /// `AuxiliaryBufferSize` above [`MAX_AUX_SIZE`] fails with
    /// [`DecodeError::TooLarge`](oxmapi_core::codec::DecodeError::TooLarge) (→ [`RPC_X_BAD_STUB_DATA`] via [`status_for_decode_error`]).
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let v = ExecuteRequest {
            flags: r.u32("Flags")?,
            rop_buffer: read_sized(&mut r, MAX_ROP_BUFFER_IN, "RopBufferSize")?,
            max_rop_out: r.u32("MaxRopOut")?,
            auxiliary_buffer: read_aux(&mut r)?,
        };
        r.finish("Execute request body")?;
        Ok(v)
    }

    /// Encodes the body.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(16 + self.rop_buffer.len() + self.auxiliary_buffer.len());
        w.u32(self.flags);
        write_sized(&mut w, &self.rop_buffer);
        w.u32(self.max_rop_out);
        write_aux(&mut w, &self.auxiliary_buffer);
        w.into_vec()
    }

    /// The MS-OXCRPC 3.1.4.2 semantic checks a server makes after decoding, as the `StatusCode`
    /// of the failure body: ROP buffer or `MaxRopOut` below 8, or an auxiliary buffer of 1–7
    /// bytes → [`EC_RPC_FAILED`]; `MaxRopOut` above [`MAX_ROP_OUT`] (or
    /// [`MAX_ROP_OUT_ULTRA_LARGE`] when `ultra_large` buffers were advertised) →
    /// [`RPC_X_BAD_STUB_DATA`].
    pub fn check_limits(&self, ultra_large: bool) -> Result<(), u32> {
        let out_limit = if ultra_large { MAX_ROP_OUT_ULTRA_LARGE } else { MAX_ROP_OUT };
        if self.rop_buffer.len() > MAX_ROP_BUFFER_IN
            || self.auxiliary_buffer.len() > MAX_AUX_SIZE
            || self.max_rop_out > out_limit
        {
            return Err(RPC_X_BAD_STUB_DATA);
        }
        if self.rop_buffer.len() < MIN_ROP_BUFFER
            || (self.max_rop_out as usize) < MIN_ROP_BUFFER
            || (1..8).contains(&self.auxiliary_buffer.len())
        {
            return Err(EC_RPC_FAILED);
        }
        Ok(())
    }
}

/// MS-OXCMAPIHTTP 2.2.4.2.2 Execute success response fields (EcDoRpcExt2 outputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecuteSuccess {
    /// `ErrorCode`.
    pub error_code: u32,
    /// `Flags`: reserved; the server sets 0 and the client ignores it.
    pub flags: u32,
    /// `RopBuffer` (= `rgbOut`): raw RPC_HEADER_EXT block(s) with the ROP output buffer.
    /// Bounded only by the body length on decode (a client caps its body size when reading).
    pub rop_buffer: Vec<u8>,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl SuccessBody for ExecuteSuccess {
    const WHAT: &'static str = "Execute response body";

    fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(ExecuteSuccess {
            error_code: r.u32("ErrorCode")?,
            flags: r.u32("Flags")?,
            rop_buffer: read_sized(r, u32::MAX as usize, "RopBufferSize")?,
            auxiliary_buffer: read_aux(r)?,
        })
    }

    fn encode_fields(&self, w: &mut Writer) {
        w.u32(self.error_code);
        w.u32(self.flags);
        write_sized(w, &self.rop_buffer);
        write_aux(w, &self.auxiliary_buffer);
    }
}

/// MS-OXCMAPIHTTP 2.2.4.2.2 Execute response body.
pub type ExecuteResponse = Response<ExecuteSuccess>;

/// MS-OXCMAPIHTTP 2.2.4.3.1 Disconnect request body: only the auxiliary buffer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisconnectRequest {
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl DisconnectRequest {
    /// Decodes a whole Disconnect request body. An empty body (MS-OXCMAPIHTTP 3.1.5.4 says
    /// Disconnect has none) is accepted as an empty auxiliary buffer.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        if buf.is_empty() {
            return Ok(DisconnectRequest::default());
        }
        let mut r = Reader::new(buf);
        let v = DisconnectRequest { auxiliary_buffer: read_aux(&mut r)? };
        r.finish("Disconnect request body")?;
        Ok(v)
    }

    /// Encodes the body (always with the 4-byte `AuxiliaryBufferSize`).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(4 + self.auxiliary_buffer.len());
        write_aux(&mut w, &self.auxiliary_buffer);
        w.into_vec()
    }
}

/// MS-OXCMAPIHTTP 2.2.4.3.2 Disconnect success response fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisconnectSuccess {
    /// `ErrorCode`.
    pub error_code: u32,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl SuccessBody for DisconnectSuccess {
    const WHAT: &'static str = "Disconnect response body";

    fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(DisconnectSuccess { error_code: r.u32("ErrorCode")?, auxiliary_buffer: read_aux(r)? })
    }

    fn encode_fields(&self, w: &mut Writer) {
        w.u32(self.error_code);
        write_aux(w, &self.auxiliary_buffer);
    }
}

/// MS-OXCMAPIHTTP 2.2.4.3.2 Disconnect response body.
pub type DisconnectResponse = Response<DisconnectSuccess>;

/// MS-OXCMAPIHTTP 2.2.4.4.1 NotificationWait request body (EcDoAsyncWaitEx).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotificationWaitRequest {
    /// `Flags`: reserved; the client sends 0 and the server ignores it.
    pub flags: u32,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl NotificationWaitRequest {
    /// Decodes a whole NotificationWait request body.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let v = NotificationWaitRequest { flags: r.u32("Flags")?, auxiliary_buffer: read_aux(&mut r)? };
        r.finish("NotificationWait request body")?;
        Ok(v)
    }

    /// Encodes the body.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(8 + self.auxiliary_buffer.len());
        w.u32(self.flags);
        write_aux(&mut w, &self.auxiliary_buffer);
        w.into_vec()
    }
}

/// MS-OXCMAPIHTTP 2.2.4.4.2 NotificationWait success response fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotificationWaitSuccess {
    /// `ErrorCode`.
    pub error_code: u32,
    /// `EventPending`: [`EVENT_PENDING`] (1) when events wait for an Execute, 0 otherwise. Kept
    /// as the raw value so that re-encoding is byte-exact; see [`Self::is_event_pending`].
    pub event_pending: u32,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl NotificationWaitSuccess {
    /// True when the `NotificationPending` bit is set.
    pub fn is_event_pending(&self) -> bool {
        self.event_pending & EVENT_PENDING != 0
    }
}

impl SuccessBody for NotificationWaitSuccess {
    const WHAT: &'static str = "NotificationWait response body";

    fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(NotificationWaitSuccess {
            error_code: r.u32("ErrorCode")?,
            event_pending: r.u32("EventPending")?,
            auxiliary_buffer: read_aux(r)?,
        })
    }

    fn encode_fields(&self, w: &mut Writer) {
        w.u32(self.error_code);
        w.u32(self.event_pending);
        write_aux(w, &self.auxiliary_buffer);
    }
}

/// MS-OXCMAPIHTTP 2.2.4.4.2 NotificationWait response body.
pub type NotificationWaitResponse = Response<NotificationWaitSuccess>;

#[cfg(test)]
mod tests {
    use super::*;
    use oxmapi_core::codec::DecodeError;
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
    }

    const ESSDN: &str = "/o=First Organization/ou=First Administrative Group/cn=Recipients/cn=janedow";

    fn d_mh_exec() -> Vec<u8> {
        hex("03 00 00 00 69 00 00 00 00 00 04 00 61 00 61 00
             5d 00 fe 00 00 01 0c 04 00 01 00 00 00 00 4d 00
             2f 6f 3d 46 69 72 73 74 20 4f 72 67 61 6e 69 7a
             61 74 69 6f 6e 2f 6f 75 3d 46 69 72 73 74 20 41
             64 6d 69 6e 69 73 74 72 61 74 69 76 65 20 47 72
             6f 75 70 2f 63 6e 3d 52 65 63 69 70 69 65 6e 74
             73 2f 63 6e 3d 6a 61 6e 65 64 6f 77 00 ff ff ff
             ff 08 80 01 00 00 00 00 00")
    }

    fn d_mh_connect() -> Vec<u8> {
        hex("2f 6f 3d 46 69 72 73 74 20 4f 72 67 61 6e 69 7a
             61 74 69 6f 6e 2f 6f 75 3d 46 69 72 73 74 20 41
             64 6d 69 6e 69 73 74 72 61 74 69 76 65 20 47 72
             6f 75 70 2f 63 6e 3d 52 65 63 69 70 69 65 6e 74
             73 2f 63 6e 3d 6a 61 6e 65 64 6f 77 00 00 00 00
             00 e4 04 00 00 09 04 00 00 09 04 00 00 00 00 00
             00")
    }

    #[test]
    fn d_mh_exec_decodes_and_reencodes() {
        let bytes = d_mh_exec();
        let req = ExecuteRequest::decode(&bytes).unwrap();
        assert_eq!(req.flags, 3);
        assert_eq!(req.flags, execute_flags::NO_COMPRESSION | execute_flags::NO_XOR_MAGIC);
        assert_eq!(req.rop_buffer.len(), 0x69);
        assert_eq!(&req.rop_buffer[..8], &[0, 0, 4, 0, 0x61, 0, 0x61, 0]);
        assert_eq!(req.max_rop_out, 0x18008);
        assert!(req.auxiliary_buffer.is_empty());
        assert_eq!(req.encode(), bytes);
        assert_eq!(req.check_limits(false), Ok(()));
    }

    #[test]
    fn d_mh_connect_decodes_and_reencodes() {
        let bytes = d_mh_connect();
        let req = ConnectRequest::decode(&bytes).unwrap();
        assert_eq!(
            req,
            ConnectRequest {
                user_dn: ESSDN.into(),
                flags: 0,
                default_code_page: 1252,
                lcid_sort: 1033,
                lcid_string: 1033,
                auxiliary_buffer: vec![],
            }
        );
        assert_eq!(req.encode(), bytes);
    }

    #[test]
    fn d_mh_small_bodies() {
        let nw = NotificationWaitRequest::decode(&[0; 8]).unwrap();
        assert_eq!(nw, NotificationWaitRequest::default());
        assert_eq!(nw.encode(), [0; 8]);

        let ok = hex("00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00");
        let resp = NotificationWaitResponse::decode(&ok).unwrap();
        let s = resp.success().unwrap();
        assert!(s.is_event_pending());
        assert_eq!(s.error_code, 0);
        assert_eq!(resp.encode(), ok);

        let dr = DisconnectRequest::decode(&[0; 4]).unwrap();
        assert_eq!(dr, DisconnectRequest::default());
        assert_eq!(dr.encode(), [0; 4]);
        assert_eq!(DisconnectRequest::decode(&[]).unwrap(), DisconnectRequest::default());

        let fail = hex("f7 06 00 00 00 00 00 00");
        for decoded in [
            ConnectResponse::decode(&fail).unwrap().status_code(),
            ExecuteResponse::decode(&fail).unwrap().status_code(),
            DisconnectResponse::decode(&fail).unwrap().status_code(),
            NotificationWaitResponse::decode(&fail).unwrap().status_code(),
        ] {
            assert_eq!(decoded, RPC_X_BAD_STUB_DATA);
        }
        assert_eq!(ExecuteResponse::Failure(FailureResponse::new(0x6F7)).encode(), fail);
    }

    #[test]
    fn connect_response_layout() {
        let resp = ConnectResponse::Success(ConnectSuccess {
            error_code: 0,
            polls_max: 60_000,
            retry_count: 6,
            retry_delay: 10_000,
            dn_prefix: "/o=First Organization".into(),
            display_name: "Jane Dow".into(),
            auxiliary_buffer: vec![],
        });
        let bytes = resp.encode();
        assert_eq!(&bytes[..4], &[0; 4]);
        assert_eq!(&bytes[4..8], &[0; 4]);
        assert_eq!(&bytes[8..12], &60_000u32.to_le_bytes());
        assert_eq!(&bytes[20..41], b"/o=First Organization");
        assert_eq!(bytes[41], 0);
        assert_eq!(&bytes[42..44], &[b'J', 0]);
        assert_eq!(bytes.len(), 42 + 18 + 4);
        assert_eq!(ConnectResponse::decode(&bytes).unwrap(), resp);
    }

    #[test]
    fn execute_limits() {
        let mut body = vec![0u8; 4];
        body.extend_from_slice(&0x40001u32.to_le_bytes());
        body.resize(8 + 0x40001 + 8, 0);
        let e = ExecuteRequest::decode(&body).unwrap_err();
        assert!(matches!(e, DecodeError::TooLarge { value: 0x40001, .. }), "{e:?}");
        assert_eq!(status_for_decode_error(&e), RPC_X_BAD_STUB_DATA);

        // A huge size with a short body is refused without allocating.
        let e = ExecuteRequest::decode(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).unwrap_err();
        assert!(matches!(e, DecodeError::TooLarge { .. }));
        let e = ExecuteRequest::decode(&[0, 0, 0, 0, 0x10, 0, 0, 0, 1]).unwrap_err();
        assert!(matches!(e, DecodeError::Truncated { .. }));

        let mut body = d_mh_exec();
        let n = body.len();
        body[n - 4..].copy_from_slice(&0x1009u32.to_le_bytes());
        body.resize(n + 0x1009, 0);
        assert!(matches!(ExecuteRequest::decode(&body), Err(DecodeError::TooLarge { value: 0x1009, .. })));

        let mut body = d_mh_exec();
        body.push(0);
        assert!(matches!(ExecuteRequest::decode(&body), Err(DecodeError::Trailing { .. })));

        let req = ExecuteRequest::decode(&d_mh_exec()).unwrap();
        let with = |f: &dyn Fn(&mut ExecuteRequest)| {
            let mut r = req.clone();
            f(&mut r);
            r.check_limits(false)
        };
        assert_eq!(with(&|r| r.max_rop_out = 0x40001), Err(RPC_X_BAD_STUB_DATA));
        assert_eq!(with(&|r| r.max_rop_out = 7), Err(EC_RPC_FAILED));
        assert_eq!(with(&|r| r.rop_buffer.truncate(7)), Err(EC_RPC_FAILED));
        assert_eq!(with(&|r| r.auxiliary_buffer = vec![0; 3]), Err(EC_RPC_FAILED));
        let mut big = req.clone();
        big.max_rop_out = 0x100000;
        assert_eq!(big.check_limits(true), Ok(()));
    }

    #[test]
    fn strings_are_bounded_by_the_body() {
        // Unterminated UserDn.
        assert!(ConnectRequest::decode(b"/o=x").is_err());
        // Connect response whose DisplayName never ends.
        let mut b = vec![0u8; 20];
        b.extend_from_slice(b"/o\0");
        b.extend_from_slice(&[0x41, 0, 0x42]);
        assert!(ConnectResponse::decode(&b).is_err());
        assert!(ConnectResponse::decode(&[]).is_err());
    }

    fn aux() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![Just(Vec::new()), vec(any::<u8>(), 0..64), vec(any::<u8>(), MAX_AUX_SIZE..=MAX_AUX_SIZE)]
    }

    fn string8() -> impl Strategy<Value = String> {
        vec(1u8..=255, 0..80).prop_map(|b| oxmapi_core::text::decode_cp1252(&b))
    }

    fn failure() -> impl Strategy<Value = FailureResponse> {
        (1u32.., aux())
            .prop_map(|(status_code, auxiliary_buffer)| FailureResponse { status_code, auxiliary_buffer })
    }

    fn response<T: std::fmt::Debug + Clone>(
        s: impl Strategy<Value = T>,
    ) -> impl Strategy<Value = Response<T>> {
        prop_oneof![s.prop_map(Response::Success), failure().prop_map(Response::Failure)]
    }

    fn connect_success() -> impl Strategy<Value = ConnectSuccess> {
        (any::<[u32; 4]>(), string8(), "[^\u{0}]{0,40}", aux()).prop_map(
            |(n, dn_prefix, display_name, aux)| ConnectSuccess {
                error_code: n[0],
                polls_max: n[1],
                retry_count: n[2],
                retry_delay: n[3],
                dn_prefix,
                display_name,
                auxiliary_buffer: aux,
            },
        )
    }

    fn decoders() -> Vec<fn(&[u8]) -> bool> {
        vec![
            |b| ConnectRequest::decode(b).is_ok(),
            |b| ConnectResponse::decode(b).is_ok(),
            |b| ExecuteRequest::decode(b).is_ok(),
            |b| ExecuteResponse::decode(b).is_ok(),
            |b| DisconnectRequest::decode(b).is_ok(),
            |b| DisconnectResponse::decode(b).is_ok(),
            |b| NotificationWaitRequest::decode(b).is_ok(),
            |b| NotificationWaitResponse::decode(b).is_ok(),
            |b| FailureResponse::decode(b).is_ok(),
        ]
    }

    proptest! {
        #[test]
        fn connect_request_round_trip(dn in string8(), n in any::<[u32; 4]>(), aux in aux()) {
            let v = ConnectRequest {
                user_dn: dn, flags: n[0], default_code_page: n[1], lcid_sort: n[2], lcid_string: n[3],
                auxiliary_buffer: aux,
            };
            prop_assert_eq!(ConnectRequest::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn connect_response_round_trip(v in response(connect_success())) {
            prop_assert_eq!(ConnectResponse::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn execute_request_round_trip(
            flags: u32, rop in vec(any::<u8>(), 0..2048), max_rop_out: u32, aux in aux()
        ) {
            let v = ExecuteRequest { flags, rop_buffer: rop, max_rop_out, auxiliary_buffer: aux };
            prop_assert_eq!(ExecuteRequest::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn execute_response_round_trip(
            v in response((any::<[u32; 2]>(), vec(any::<u8>(), 0..2048), aux()).prop_map(|(n, rop, aux)| {
                ExecuteSuccess { error_code: n[0], flags: n[1], rop_buffer: rop, auxiliary_buffer: aux }
            }))
        ) {
            prop_assert_eq!(ExecuteResponse::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn disconnect_round_trip(
            req in aux(),
            v in response((any::<u32>(), aux()).prop_map(|(error_code, auxiliary_buffer)| {
                DisconnectSuccess { error_code, auxiliary_buffer }
            }))
        ) {
            let r = DisconnectRequest { auxiliary_buffer: req };
            prop_assert_eq!(DisconnectRequest::decode(&r.encode()).unwrap(), r);
            prop_assert_eq!(DisconnectResponse::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn notification_wait_round_trip(
            flags: u32,
            req in aux(),
            v in response((any::<[u32; 2]>(), aux()).prop_map(|(n, auxiliary_buffer)| {
                NotificationWaitSuccess { error_code: n[0], event_pending: n[1], auxiliary_buffer }
            }))
        ) {
            let r = NotificationWaitRequest { flags, auxiliary_buffer: req };
            prop_assert_eq!(NotificationWaitRequest::decode(&r.encode()).unwrap(), r);
            prop_assert_eq!(NotificationWaitResponse::decode(&v.encode()).unwrap(), v);
        }

        #[test]
        fn decoders_never_panic_on_random_bytes(b in vec(any::<u8>(), 0..256)) {
            for d in decoders() {
                let _ = d(&b);
            }
        }

        #[test]
        fn decoders_never_panic_on_truncation(v in response(connect_success()), cut in any::<prop::sample::Index>()) {
            let bytes = v.encode();
            let cut = cut.index(bytes.len() + 1);
            for d in decoders() {
                let _ = d(&bytes[..cut]);
            }
            if cut < bytes.len() {
                prop_assert!(ConnectResponse::decode(&bytes[..cut]).is_err());
            }
        }
    }

    #[test]
    fn truncated_vectors_fail_at_every_length() {
        for bytes in [d_mh_exec(), d_mh_connect()] {
            for cut in 0..bytes.len() {
                for d in decoders() {
                    let _ = d(&bytes[..cut]);
                }
            }
        }
        let exec = d_mh_exec();
        for cut in 0..exec.len() {
            assert!(ExecuteRequest::decode(&exec[..cut]).is_err());
        }
        let conn = d_mh_connect();
        for cut in 0..conn.len() {
            assert!(ConnectRequest::decode(&conn[..cut]).is_err());
        }
    }
}
