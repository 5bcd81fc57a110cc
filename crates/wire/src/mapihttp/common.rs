//! Pieces shared by the EMSMDB and NSPI MAPI/HTTP endpoints (MS-OXCMAPIHTTP 2.2.2–2.2.3,
//! protocol-facts §1.2–1.4, §1.7): header names, `X-RequestType` and `X-ResponseCode` values, the
//! common failure body, the `AuxiliaryBufferSize`/`AuxiliaryBuffer` pair, and the client version
//! carried in `X-ClientApplication` (with the MS-OXCRPC 3-word version normalisation, §2.7).

use std::fmt;
use std::str::FromStr;

use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};

/// `Content-Type` of requests and of responses with `X-ResponseCode: 0` (MS-OXCMAPIHTTP 2.2.3.2.2).
pub const CONTENT_TYPE_MAPI_HTTP: &str = "application/mapi-http";

/// `X-RequestType` header (MS-OXCMAPIHTTP 2.2.3.3.1); values in [`RequestType`].
pub const HEADER_REQUEST_TYPE: &str = "X-RequestType";
/// `X-RequestId` header: `<GUID>:<decimal counter>`, echoed by the server (2.2.3.3.2).
pub const HEADER_REQUEST_ID: &str = "X-RequestId";
/// `X-ResponseCode` header (2.2.3.3.3); values in [`ResponseCode`].
pub const HEADER_RESPONSE_CODE: &str = "X-ResponseCode";
/// oxmapi extension header: on an X-ResponseCode 10 answer, why the session context ended
/// (value [`CONTEXT_ENDED_KILLED`]: an administrator ended it; the client ends its session
/// instead of reconnecting silently). Absent when the context expired or was disconnected.
pub const HEADER_CONTEXT_ENDED: &str = "X-Oxmapi-Context-Ended";
/// Value of [`HEADER_CONTEXT_ENDED`]: ended by an administrator (`oxmapi admin sessions kill`).
pub const CONTEXT_ENDED_KILLED: &str = "killed";
/// `X-ClientInfo` header: `{GUID}:<decimal>`, echoed by the server (2.2.3.3.4).
pub const HEADER_CLIENT_INFO: &str = "X-ClientInfo";
/// `X-PendingPeriod` header: milliseconds between `PENDING` keep-alives (2.2.3.3.5).
pub const HEADER_PENDING_PERIOD: &str = "X-PendingPeriod";
/// `X-ClientApplication` header: `Outlook/15.xx.xxxx.xxxx` (2.2.3.3.6); see
/// [`parse_client_application`].
pub const HEADER_CLIENT_APPLICATION: &str = "X-ClientApplication";
/// `X-ServerApplication` header: `Exchange/15.xx.xxxx.xxx` (2.2.3.3.7).
pub const HEADER_SERVER_APPLICATION: &str = "X-ServerApplication";
/// `X-ExpirationInfo` header: milliseconds until the Session Context times out (2.2.3.3.8).
pub const HEADER_EXPIRATION_INFO: &str = "X-ExpirationInfo";
/// `X-ElapsedTime` additional header after `DONE`: milliseconds spent (2.2.3.3.9).
pub const HEADER_ELAPSED_TIME: &str = "X-ElapsedTime";
/// `X-StartTime` additional header after `DONE`: RFC 1123 date of the start (2.2.3.3.10).
pub const HEADER_START_TIME: &str = "X-StartTime";

/// Default `X-PendingPeriod` in milliseconds (Exchange 2016 SP1 and later).
pub const DEFAULT_PENDING_PERIOD_MS: u32 = 30_000;

/// Largest `AuxiliaryBufferSize` accepted in either direction (MS-OXCRPC 3.1.4.1, 3.1.4.2;
/// protocol-facts §2.2): larger buffers fail with [`RPC_X_BAD_STUB_DATA`].
pub const MAX_AUX_SIZE: usize = 0x1008;

/// `RPC_X_BAD_STUB_DATA` (0x000006F7): a size exceeds the MS-OXCRPC limits (protocol-facts §2.2).
pub const RPC_X_BAD_STUB_DATA: u32 = 0x0000_06F7;
/// `ecRpcFailed` (0x80040115): e.g. a ROP buffer or `MaxRopOut` below 8 bytes, or an auxiliary
/// buffer of 1 to 7 bytes (protocol-facts §2.2, §2.8).
pub const EC_RPC_FAILED: u32 = 0x8004_0115;
/// `ecRpcFormat` (0x000004B6): malformed ROP input (MS-OXCROPS 3.2.5.1).
pub const EC_RPC_FORMAT: u32 = 0x0000_04B6;

/// The `StatusCode` a server puts in a failure body for a request body that failed to decode:
/// [`RPC_X_BAD_STUB_DATA`] for sizes beyond the limits, [`EC_RPC_FORMAT`] otherwise.
pub fn status_for_decode_error(e: &DecodeError) -> u32 {
    match e {
        DecodeError::TooLarge { .. } => RPC_X_BAD_STUB_DATA,
        _ => EC_RPC_FORMAT,
    }
}

/// Reads `AuxiliaryBufferSize` (u32) and `AuxiliaryBuffer`; sizes above [`MAX_AUX_SIZE`] fail with
/// [`DecodeError::TooLarge`] (→ [`RPC_X_BAD_STUB_DATA`]).
pub fn read_aux(r: &mut Reader<'_>) -> DecodeResult<Vec<u8>> {
    read_sized(r, MAX_AUX_SIZE, "AuxiliaryBufferSize")
}

/// Writes `AuxiliaryBufferSize` and `AuxiliaryBuffer`.
pub fn write_aux(w: &mut Writer, aux: &[u8]) {
    write_sized(w, aux);
}

/// Reads a u32 byte count followed by that many bytes, refusing counts above `limit` or above
/// the remaining input before allocating.
pub fn read_sized(r: &mut Reader<'_>, limit: usize, what: &'static str) -> DecodeResult<Vec<u8>> {
    let at = r.position();
    let n = r.u32(what)? as u64;
    if n > limit as u64 {
        return Err(DecodeError::TooLarge { offset: at, what, value: n, limit: limit as u64 });
    }
    let n = r.check_count(n, 1, limit as u64, what)?;
    Ok(r.take(n, what)?.to_vec())
}

/// Writes a u32 byte count followed by the bytes. Lengths beyond `u32::MAX` are not
/// representable; the count saturates (a decoder then rejects the body).
pub fn write_sized(w: &mut Writer, bytes: &[u8]) {
    w.u32(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
    w.bytes(bytes);
}

/// The failure body shared by every MAPI/HTTP response type (MS-OXCMAPIHTTP 2.2.4.x, 2.2.5.x;
/// protocol-facts §1.7): `StatusCode` (≠ 0), `AuxiliaryBufferSize`, `AuxiliaryBuffer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureResponse {
    /// `StatusCode`: never 0 (0 means a success body follows).
    pub status_code: u32,
    /// `AuxiliaryBuffer`.
    pub auxiliary_buffer: Vec<u8>,
}

impl FailureResponse {
    /// A failure body with `status_code` and no auxiliary buffer.
    pub fn new(status_code: u32) -> Self {
        FailureResponse { status_code, auxiliary_buffer: Vec::new() }
    }

    /// Decodes a whole failure body.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let status_code = r.u32("StatusCode")?;
        if status_code == 0 {
            return Err(DecodeError::Invalid {
                offset: 0,
                what: "StatusCode",
                detail: "a failure body needs a non-zero StatusCode".into(),
            });
        }
        let v = Self::decode_after_status(status_code, &mut r)?;
        r.finish("failure response body")?;
        Ok(v)
    }

    fn decode_after_status(status_code: u32, r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(FailureResponse { status_code, auxiliary_buffer: read_aux(r)? })
    }

    /// Encodes the failure body.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::with_capacity(8 + self.auxiliary_buffer.len());
        w.u32(self.status_code);
        write_aux(&mut w, &self.auxiliary_buffer);
        w.into_vec()
    }
}

/// The fields of a success body after its `StatusCode` (which is 0). Implemented by every
/// `*Success` type so that [`Response`] handles the success/failure split once.
pub trait SuccessBody: Sized {
    /// Name of the body, for error messages.
    const WHAT: &'static str;
    /// Decodes the fields that follow `StatusCode` = 0.
    fn decode_fields(r: &mut Reader<'_>) -> DecodeResult<Self>;
    /// Encodes the fields that follow `StatusCode` = 0.
    fn encode_fields(&self, w: &mut Writer);
}

/// A MAPI/HTTP response body: a success body (`StatusCode` = 0) or the common failure body
/// (MS-OXCMAPIHTTP 2.2.4.x; protocol-facts §1.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response<T> {
    /// `StatusCode` = 0 and the request type's success fields.
    Success(T),
    /// `StatusCode` ≠ 0 with only the auxiliary buffer.
    Failure(FailureResponse),
}

impl<T: SuccessBody> Response<T> {
    /// Decodes a whole response body; trailing bytes are an error.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let status_code = r.u32("StatusCode")?;
        let v = if status_code == 0 {
            Response::Success(T::decode_fields(&mut r)?)
        } else {
            Response::Failure(FailureResponse::decode_after_status(status_code, &mut r)?)
        };
        r.finish(T::WHAT)?;
        Ok(v)
    }

    /// Encodes the response body.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Response::Success(s) => {
                let mut w = Writer::new();
                w.u32(0);
                s.encode_fields(&mut w);
                w.into_vec()
            }
            Response::Failure(f) => f.encode(),
        }
    }

    /// `StatusCode`: 0 for a success body.
    pub fn status_code(&self) -> u32 {
        match self {
            Response::Success(_) => 0,
            Response::Failure(f) => f.status_code,
        }
    }

    /// The success body, if any.
    pub fn success(&self) -> Option<&T> {
        match self {
            Response::Success(s) => Some(s),
            Response::Failure(_) => None,
        }
    }
}

impl<T> From<FailureResponse> for Response<T> {
    fn from(f: FailureResponse) -> Self {
        Response::Failure(f)
    }
}

/// Which endpoint a request type belongs to (MS-OXCMAPIHTTP 2.2.3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// The mailbox endpoint (`/mapi/emsmdb/`).
    Emsmdb,
    /// The address-book endpoint (`/mapi/nspi/`).
    Nspi,
    /// Valid on both endpoints (`PING`).
    Both,
}

macro_rules! request_types {
    ($($variant:ident = $text:literal, $ep:ident;)*) => {
        /// `X-RequestType` values of both endpoints (MS-OXCMAPIHTTP 2.2.3.3.1; protocol-facts §1.3).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RequestType {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl RequestType {
            /// Every request type, EMSMDB first.
            pub const ALL: &'static [RequestType] = &[$(RequestType::$variant),*];

            /// The exact header spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RequestType::$variant => $text,)*
                }
            }

            /// The endpoint that accepts this request type.
            pub fn endpoint(self) -> Endpoint {
                match self {
                    $(RequestType::$variant => Endpoint::$ep,)*
                }
            }
        }
    };
}

request_types! {
    Connect = "Connect", Emsmdb;
    Execute = "Execute", Emsmdb;
    Disconnect = "Disconnect", Emsmdb;
    NotificationWait = "NotificationWait", Emsmdb;
    Ping = "PING", Both;
    Bind = "Bind", Nspi;
    Unbind = "Unbind", Nspi;
    CompareMIds = "CompareMIds", Nspi;
    DnToMId = "DNToMId", Nspi;
    GetMatches = "GetMatches", Nspi;
    GetPropList = "GetPropList", Nspi;
    GetProps = "GetProps", Nspi;
    GetSpecialTable = "GetSpecialTable", Nspi;
    GetTemplateInfo = "GetTemplateInfo", Nspi;
    ModLinkAtt = "ModLinkAtt", Nspi;
    ModProps = "ModProps", Nspi;
    QueryColumns = "QueryColumns", Nspi;
    QueryRows = "QueryRows", Nspi;
    ResolveNames = "ResolveNames", Nspi;
    ResortRestriction = "ResortRestriction", Nspi;
    SeekEntries = "SeekEntries", Nspi;
    UpdateStat = "UpdateStat", Nspi;
    GetMailboxUrl = "GetMailboxUrl", Nspi;
    GetAddressBookUrl = "GetAddressBookUrl", Nspi;
}

impl RequestType {
    /// True when `endpoint` accepts this request type.
    pub fn valid_on(self, endpoint: Endpoint) -> bool {
        let own = self.endpoint();
        own == Endpoint::Both || own == endpoint || endpoint == Endpoint::Both
    }
}

/// An `X-RequestType` value that is not in [`RequestType`] (→ `X-ResponseCode` 5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown X-RequestType {0:?}")]
pub struct UnknownRequestType(pub String);

impl FromStr for RequestType {
    type Err = UnknownRequestType;

    /// Parses the header value: the exact spelling, or the same letters in another case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        RequestType::ALL
            .iter()
            .find(|r| r.as_str() == t)
            .or_else(|| RequestType::ALL.iter().find(|r| r.as_str().eq_ignore_ascii_case(t)))
            .copied()
            .ok_or_else(|| UnknownRequestType(s.chars().take(64).collect()))
    }
}

impl fmt::Display for RequestType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! response_codes {
    ($($variant:ident = $num:literal, $name:literal;)*) => {
        /// `X-ResponseCode` values (MS-OXCMAPIHTTP 2.2.3.3.3; protocol-facts §1.4). The numbering
        /// is the specification's, not gromox's internal one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        pub enum ResponseCode {
            $(
                #[doc = concat!("`", stringify!($num), "` ", $name)]
                $variant = $num,
            )*
        }

        impl ResponseCode {
            /// Every response code in numeric order.
            pub const ALL: &'static [ResponseCode] = &[$(ResponseCode::$variant),*];

            /// The specification's name, e.g. `Invalid Context Cookie`.
            pub fn name(self) -> &'static str {
                match self {
                    $(ResponseCode::$variant => $name,)*
                }
            }
        }

        impl TryFrom<u32> for ResponseCode {
            type Error = u32;

            /// Fails with the value itself when it is not in the table.
            fn try_from(v: u32) -> Result<Self, u32> {
                match v {
                    $($num => Ok(ResponseCode::$variant),)*
                    _ => Err(v),
                }
            }
        }
    };
}

response_codes! {
    Success = 0, "Success";
    UnknownFailure = 1, "Unknown Failure";
    InvalidVerb = 2, "Invalid Verb";
    InvalidPath = 3, "Invalid Path";
    InvalidHeader = 4, "Invalid Header";
    InvalidRequestType = 5, "Invalid Request Type";
    InvalidContextCookie = 6, "Invalid Context Cookie";
    MissingHeader = 7, "Missing Header";
    AnonymousNotAllowed = 8, "Anonymous Not Allowed";
    TooLarge = 9, "Too Large";
    ContextNotFound = 10, "Context Not Found";
    NoPrivilege = 11, "No Privilege";
    InvalidRequestBody = 12, "Invalid Request Body";
    MissingCookie = 13, "Missing Cookie";
    Reserved = 14, "Reserved";
    InvalidSequence = 15, "Invalid Sequence";
    EndpointDisabled = 16, "Endpoint Disabled";
    InvalidResponse = 17, "Invalid Response";
    EndpointShuttingDown = 18, "Endpoint Shutting Down";
}

impl ResponseCode {
    /// The numeric header value.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// Parses the decimal header value; `Err` carries the raw text for unknown or malformed values.
    pub fn from_header(value: &str) -> Result<Self, String> {
        value
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|v| ResponseCode::try_from(v).ok())
            .ok_or_else(|| value.to_string())
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.name())
    }
}

/// Parses the version in an `X-ClientApplication` value such as `Outlook/15.0.4815.1002`
/// (MS-OXCMAPIHTTP 2.2.3.3.6) into four numbers. Any product name is accepted, as is a bare
/// version; 2 to 4 dot-separated components are accepted (missing ones are 0) and text after
/// the version (after whitespace, `;` or `(`) is ignored. Returns `None` when no version is found
/// or a component does not fit in 16 bits.
pub fn parse_client_application(value: &str) -> Option<[u16; 4]> {
    let v = value.trim();
    let after = match v.split_once('/') {
        Some((_, rest)) => rest,
        None => v,
    };
    let token = after.split(|c: char| c.is_whitespace() || c == ';' || c == '(').next().unwrap_or("");
    let parts: Vec<&str> = token.split('.').collect();
    if !(2..=4).contains(&parts.len()) {
        return None;
    }
    let mut out = [0u16; 4];
    for (slot, p) in out.iter_mut().zip(&parts) {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    Some(out)
}

/// Formats a four-number version as `Product/a.b.c.d` for `X-ClientApplication` or
/// `X-ServerApplication`.
pub fn format_application(product: &str, v: [u16; 4]) -> String {
    format!("{product}/{}.{}.{}.{}", v[0], v[1], v[2], v[3])
}

/// Normalises a 3-word MS-OXCRPC version (`rgwClientVersion`, `rgwServerVersion`,
/// `rgwBestVersion`) to major.minor.build.buildminor (MS-OXCRPC 3.1.4.1.3; protocol-facts §2.7):
/// when the high bit of word 1 is set, major/minor are the high/low byte of word 0 and build is
/// word 1 without the high bit; otherwise major is word 0, minor 0 and build word 1.
pub fn normalize_version_words(w: [u16; 3]) -> [u16; 4] {
    if w[1] & 0x8000 != 0 { [w[0] >> 8, w[0] & 0xFF, w[1] & 0x7FFF, w[2]] } else { [w[0], 0, w[1], w[2]] }
}

/// Encodes a four-number version as three words, the inverse of [`normalize_version_words`].
/// Uses the new scheme (`(major << 8) | minor`, `build | 0x8000`, `buildminor`, as gromox does)
/// when major and minor fit in a byte and build in 15 bits; otherwise the old scheme when minor
/// is 0 and build fits in 15 bits; otherwise the new scheme with each field saturated.
pub fn encode_version_words(v: [u16; 4]) -> [u16; 3] {
    let [major, minor, build, buildminor] = v;
    if major <= 0xFF && minor <= 0xFF && build <= 0x7FFF {
        [(major << 8) | minor, build | 0x8000, buildminor]
    } else if minor == 0 && build <= 0x7FFF {
        [major, build, buildminor]
    } else {
        [(major.min(0xFF) << 8) | minor.min(0xFF), build.min(0x7FFF) | 0x8000, buildminor]
    }
}

/// Reads three little-endian version words from 6 bytes.
pub fn version_words_from_bytes(b: [u8; 6]) -> [u16; 3] {
    [u16::from_le_bytes([b[0], b[1]]), u16::from_le_bytes([b[2], b[3]]), u16::from_le_bytes([b[4], b[5]])]
}

impl<T: crate::describe::Describe> crate::describe::Describe for Response<T> {
    fn describe(&self, _f: &str) -> crate::describe::Node {
        use crate::describe::{Node, status};
        match self {
            Response::Success(t) => t.describe("").with_first("status_code", status(0)),
            Response::Failure(f) => Node::map([
                ("status_code", status(f.status_code)),
                ("auxiliary_buffer", Node::hex(&f.auxiliary_buffer)),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn request_type_spelling() {
        assert_eq!(RequestType::ALL.len(), 24);
        for rt in RequestType::ALL {
            assert_eq!(rt.as_str().parse::<RequestType>().unwrap(), *rt);
            assert_eq!(rt.to_string(), rt.as_str());
        }
        assert_eq!("PING".parse::<RequestType>().unwrap(), RequestType::Ping);
        assert_eq!("ping".parse::<RequestType>().unwrap(), RequestType::Ping);
        assert_eq!("DNToMId".parse::<RequestType>().unwrap(), RequestType::DnToMId);
        assert_eq!(RequestType::NotificationWait.as_str(), "NotificationWait");
        assert!("Frobnicate".parse::<RequestType>().is_err());
        assert!(RequestType::Ping.valid_on(Endpoint::Nspi));
        assert!(RequestType::Execute.valid_on(Endpoint::Emsmdb));
        assert!(!RequestType::Execute.valid_on(Endpoint::Nspi));
        assert!(!RequestType::Bind.valid_on(Endpoint::Emsmdb));
    }

    #[test]
    fn response_codes_follow_the_spec_table() {
        assert_eq!(ResponseCode::ALL.len(), 19);
        for (i, rc) in ResponseCode::ALL.iter().enumerate() {
            assert_eq!(rc.code(), i as u32);
            assert_eq!(ResponseCode::try_from(i as u32), Ok(*rc));
        }
        assert_eq!(ResponseCode::InvalidContextCookie.code(), 6);
        assert_eq!(ResponseCode::ContextNotFound.code(), 10);
        assert_eq!(ResponseCode::InvalidSequence.code(), 15);
        assert_eq!(ResponseCode::InvalidRequestType.name(), "Invalid Request Type");
        assert_eq!(ResponseCode::try_from(19), Err(19));
        assert_eq!(ResponseCode::from_header(" 12 "), Ok(ResponseCode::InvalidRequestBody));
        assert!(ResponseCode::from_header("x").is_err());
        assert_eq!(ResponseCode::EndpointShuttingDown.to_string(), "18 (Endpoint Shutting Down)");
    }

    #[test]
    fn client_application_versions() {
        assert_eq!(parse_client_application("Outlook/15.0.4815.1002"), Some([15, 0, 4815, 1002]));
        assert_eq!(parse_client_application("oxmapi/0.1"), Some([0, 1, 0, 0]));
        assert_eq!(parse_client_application("MapiHttpClient/12.0.4228"), Some([12, 0, 4228, 0]));
        assert_eq!(
            parse_client_application("Outlook/16.0.14326.20404 (Windows)"),
            Some([16, 0, 14326, 20404])
        );
        assert_eq!(parse_client_application("15.20.1.2"), Some([15, 20, 1, 2]));
        assert_eq!(parse_client_application("Outlook/15"), None);
        assert_eq!(parse_client_application("Outlook/1.2.3.4.5"), None);
        assert_eq!(parse_client_application("Outlook/15.x.1.2"), None);
        assert_eq!(parse_client_application("Outlook/15..1"), None);
        assert_eq!(parse_client_application("Outlook/70000.0"), None);
        assert_eq!(parse_client_application(""), None);
        assert_eq!(format_application("Outlook", [15, 0, 4815, 1002]), "Outlook/15.0.4815.1002");
    }

    #[test]
    fn ruler_version_words() {
        let w = version_words_from_bytes([0x0f, 0x00, 0x03, 0x13, 0xe8, 0x03]);
        assert_eq!(w, [0x000F, 0x1303, 0x03E8]);
        assert_eq!(normalize_version_words(w), [15, 0, 4867, 1000]);
        // gromox-style new scheme for the same version.
        assert_eq!(encode_version_words([15, 0, 4867, 1000]), [0x0F00, 0x1303 | 0x8000, 1000]);
        assert_eq!(normalize_version_words([0x0F00, 0x9303, 1000]), [15, 0, 4867, 1000]);
        // Old scheme when the major number does not fit in a byte.
        assert_eq!(encode_version_words([300, 0, 5, 6]), [300, 5, 6]);
        assert_eq!(normalize_version_words(encode_version_words([300, 0, 5, 6])), [300, 0, 5, 6]);
    }

    #[test]
    fn failure_body() {
        let f = FailureResponse::new(0x6F7);
        assert_eq!(f.encode(), [0xF7, 0x06, 0, 0, 0, 0, 0, 0]);
        assert_eq!(FailureResponse::decode(&f.encode()).unwrap(), f);
        assert!(FailureResponse::decode(&[0, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(FailureResponse::decode(&[1, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(FailureResponse::decode(&[1, 0, 0, 0, 0, 0, 0, 0, 9]).is_err());
        let mut big = vec![1, 0, 0, 0];
        big.extend_from_slice(&0x1009u32.to_le_bytes());
        big.resize(8 + 0x1009, 0);
        let e = FailureResponse::decode(&big).unwrap_err();
        assert!(matches!(e, DecodeError::TooLarge { .. }));
        assert_eq!(status_for_decode_error(&e), RPC_X_BAD_STUB_DATA);
    }

    proptest! {
        #[test]
        fn version_words_round_trip(major in 0u16..=255, minor in 0u16..=255, build in 0u16..0x8000, bm: u16) {
            let v = [major, minor, build, bm];
            prop_assert_eq!(normalize_version_words(encode_version_words(v)), v);
        }

        #[test]
        fn version_words_never_panic(w: [u16; 3]) {
            let v = normalize_version_words(w);
            let _ = encode_version_words(v);
        }

        #[test]
        fn failure_round_trip(status in 1u32.., aux in proptest::collection::vec(any::<u8>(), 0..=MAX_AUX_SIZE)) {
            let f = FailureResponse { status_code: status, auxiliary_buffer: aux };
            prop_assert_eq!(FailureResponse::decode(&f.encode()).unwrap(), f);
        }

        #[test]
        fn client_application_never_panics(s in ".{0,40}") {
            let _ = parse_client_application(&s);
        }

        #[test]
        fn client_application_round_trip(v: [u16; 4], product in "[A-Za-z]{1,12}") {
            prop_assert_eq!(parse_client_application(&format_application(&product, v)), Some(v));
        }
    }
}
