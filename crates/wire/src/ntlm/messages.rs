//! The three NTLM messages (MS-NLMP 2.2.1): NEGOTIATE_MESSAGE, CHALLENGE_MESSAGE and
//! AUTHENTICATE_MESSAGE, with the `VERSION` structure (2.2.2.10).
//!
//! Every variable field is described by a `Len`/`MaxLen`/`BufferOffset` triple pointing into
//! the payload. Decoding checks each triple against the message length before copying;
//! `MaxLen` is ignored as the specification requires. A zero-length field's offset is not
//! checked (clients send 0 there as often as the payload start).
//!
//! The optional `Version` and `MIC` sit between the fixed header and the payload, so their
//! presence is read from the layout: the payload starts at the smallest offset of a non-empty
//! field (the message end if all are empty); `Version` is decoded when there is room for it
//! and `NTLMSSP_NEGOTIATE_VERSION` is set, `MIC` when there is room for it. Encoding writes
//! the payload in the order of the MS-NLMP 4.2.4.3 examples, so those re-encode byte for byte.

use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};
use oxmapi_core::text::{decode_cp1252, encode_cp1252};

use super::avpair::{AvPairs, utf16le};
use super::flags::{NTLMSSP_NEGOTIATE_UNICODE, NTLMSSP_NEGOTIATE_VERSION};
use super::{NtlmError, SIGNATURE};

/// `MessageType` of a NEGOTIATE_MESSAGE (`NtLmNegotiate`).
pub const NTLM_NEGOTIATE: u32 = 1;
/// `MessageType` of a CHALLENGE_MESSAGE (`NtLmChallenge`).
pub const NTLM_CHALLENGE: u32 = 2;
/// `MessageType` of an AUTHENTICATE_MESSAGE (`NtLmAuthenticate`).
pub const NTLM_AUTHENTICATE: u32 = 3;
/// Offset of the `MIC` inside an AUTHENTICATE_MESSAGE that carries one (2.2.1.3).
pub const MIC_OFFSET: usize = 72;
/// `NTLMRevisionCurrent` value `NTLMSSP_REVISION_W2K3` (2.2.2.10).
pub const NTLMSSP_REVISION_W2K3: u8 = 0x0F;

/// MS-NLMP 2.2.2.10 `VERSION`, for debugging only. `Reserved` is written as zero and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Version {
    /// `ProductMajorVersion`.
    pub product_major_version: u8,
    /// `ProductMinorVersion`.
    pub product_minor_version: u8,
    /// `ProductBuild`.
    pub product_build: u16,
    /// `NTLMRevisionCurrent`, normally [`NTLMSSP_REVISION_W2K3`].
    pub ntlm_revision_current: u8,
}

impl Version {
    /// Reads the 8 bytes.
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let product_major_version = r.u8("VERSION ProductMajorVersion")?;
        let product_minor_version = r.u8("VERSION ProductMinorVersion")?;
        let product_build = r.u16("VERSION ProductBuild")?;
        r.take(3, "VERSION Reserved")?;
        let ntlm_revision_current = r.u8("VERSION NTLMRevisionCurrent")?;
        Ok(Version { product_major_version, product_minor_version, product_build, ntlm_revision_current })
    }
    /// Writes the 8 bytes.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.product_major_version);
        w.u8(self.product_minor_version);
        w.u16(self.product_build);
        w.bytes(&[0, 0, 0]);
        w.u8(self.ntlm_revision_current);
    }
}

/// Reads the 12-byte `Signature`+`MessageType` prefix and checks both.
fn read_prefix(r: &mut Reader<'_>, expected: u32) -> Result<(), NtlmError> {
    if r.array::<8>("Signature")? != *SIGNATURE {
        return Err(DecodeError::Invalid {
            offset: 0,
            what: "Signature",
            detail: "not \"NTLMSSP\\0\"".into(),
        }
        .into());
    }
    let found = r.u32("MessageType")?;
    if found != expected {
        return Err(NtlmError::WrongMessageType { expected, found });
    }
    Ok(())
}

/// A `Len`/`MaxLen`/`BufferOffset` triple, resolved against the message.
struct Field<'a> {
    offset: usize,
    bytes: &'a [u8],
}

/// Reads a field triple and returns the payload bytes it points to.
fn read_field<'a>(r: &mut Reader<'_>, msg: &'a [u8], what: &'static str) -> DecodeResult<Field<'a>> {
    let at = r.position();
    let len = r.u16(what)? as usize;
    let _max_len = r.u16(what)?;
    let offset = r.u32(what)? as usize;
    if len == 0 {
        return Ok(Field { offset: usize::MAX, bytes: &[] });
    }
    match offset.checked_add(len) {
        Some(end) if end <= msg.len() => Ok(Field { offset, bytes: &msg[offset..end] }),
        _ => Err(DecodeError::TooLarge {
            offset: at,
            what,
            value: offset as u64 + len as u64,
            limit: msg.len() as u64,
        }),
    }
}

/// Where the payload starts: the smallest offset of a non-empty field, else the message end.
fn payload_start(fields: &[&Field<'_>], msg_len: usize) -> usize {
    fields.iter().map(|f| f.offset).min().unwrap_or(usize::MAX).min(msg_len)
}

/// Decodes a string field: UTF-16LE when `unicode`, otherwise OEM (read as Windows-1252,
/// which maps every byte).
fn field_text(f: &Field<'_>, unicode: bool, what: &'static str) -> DecodeResult<String> {
    if !unicode {
        return Ok(decode_cp1252(f.bytes));
    }
    if f.bytes.len() % 2 != 0 {
        return Err(DecodeError::Invalid { offset: f.offset, what, detail: "odd UTF-16LE length".into() });
    }
    let units: Vec<u16> = f.bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    Ok(String::from_utf16_lossy(&units))
}

/// Text as it goes on the wire for the given character set.
pub(crate) fn text_bytes(s: &str, unicode: bool) -> Vec<u8> {
    if unicode { utf16le(s) } else { encode_cp1252(s) }
}

/// Builds header field triples and the payload behind a fixed-size header.
struct Payload {
    header_len: usize,
    data: Vec<u8>,
}

impl Payload {
    /// Appends `bytes` to the payload and writes its triple.
    fn field(&mut self, w: &mut Writer, bytes: &[u8], what: &'static str) -> Result<(), NtlmError> {
        let len = u16::try_from(bytes.len()).map_err(|_| NtlmError::Unencodable(what))?;
        let offset =
            u32::try_from(self.header_len + self.data.len()).map_err(|_| NtlmError::Unencodable(what))?;
        w.u16(len);
        w.u16(len);
        w.u32(offset);
        self.data.extend_from_slice(bytes);
        Ok(())
    }
}

/// MS-NLMP 2.2.1.1 NEGOTIATE_MESSAGE. `DomainName` and `Workstation` are always OEM.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NegotiateMessage {
    /// `NegotiateFlags` (2.2.2.5).
    pub negotiate_flags: u32,
    /// `DomainName`, empty unless `NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED`.
    pub domain_name: String,
    /// `Workstation`, empty unless `NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED`.
    pub workstation: String,
    /// `Version`.
    pub version: Option<Version>,
}

impl NegotiateMessage {
    /// Decodes a whole message. The 16-byte legacy form without field triples is accepted.
    pub fn decode(msg: &[u8]) -> Result<Self, NtlmError> {
        let mut r = Reader::new(msg);
        read_prefix(&mut r, NTLM_NEGOTIATE)?;
        let negotiate_flags = r.u32("NegotiateFlags")?;
        if r.is_empty() {
            return Ok(NegotiateMessage { negotiate_flags, ..Default::default() });
        }
        let domain = read_field(&mut r, msg, "DomainNameFields")?;
        let workstation = read_field(&mut r, msg, "WorkstationFields")?;
        let start = payload_start(&[&domain, &workstation], msg.len());
        let version = if negotiate_flags & NTLMSSP_NEGOTIATE_VERSION != 0 && start >= 40 {
            Some(Version::decode(&mut r)?)
        } else {
            None
        };
        Ok(NegotiateMessage {
            negotiate_flags,
            domain_name: field_text(&domain, false, "DomainName")?,
            workstation: field_text(&workstation, false, "Workstation")?,
            version,
        })
    }

    /// Encodes the message (32 bytes of header, 40 with `Version`).
    pub fn encode(&self) -> Result<Vec<u8>, NtlmError> {
        let header_len = if self.version.is_some() { 40 } else { 32 };
        let mut p = Payload { header_len, data: Vec::new() };
        let mut w = Writer::with_capacity(header_len + 32);
        w.bytes(SIGNATURE);
        w.u32(NTLM_NEGOTIATE);
        w.u32(self.negotiate_flags);
        p.field(&mut w, &encode_cp1252(&self.domain_name), "DomainName")?;
        p.field(&mut w, &encode_cp1252(&self.workstation), "Workstation")?;
        if let Some(v) = &self.version {
            v.encode(&mut w);
        }
        w.bytes(&p.data);
        Ok(w.into_vec())
    }
}

/// MS-NLMP 2.2.1.2 CHALLENGE_MESSAGE. `Reserved` is written as zero and ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChallengeMessage {
    /// `NegotiateFlags` (2.2.2.5).
    pub negotiate_flags: u32,
    /// `TargetName`, Unicode or OEM per `NTLMSSP_NEGOTIATE_UNICODE`.
    pub target_name: String,
    /// `ServerChallenge`.
    pub server_challenge: [u8; 8],
    /// `TargetInfo`; an empty list is sent as an empty field.
    pub target_info: AvPairs,
    /// `Version`.
    pub version: Option<Version>,
}

impl ChallengeMessage {
    /// Decodes a whole message; at least the 48 bytes through `TargetInfoFields` are required.
    pub fn decode(msg: &[u8]) -> Result<Self, NtlmError> {
        let mut r = Reader::new(msg);
        read_prefix(&mut r, NTLM_CHALLENGE)?;
        let target_name = read_field(&mut r, msg, "TargetNameFields")?;
        let negotiate_flags = r.u32("NegotiateFlags")?;
        let server_challenge = r.array::<8>("ServerChallenge")?;
        r.take(8, "Reserved")?;
        let target_info = read_field(&mut r, msg, "TargetInfoFields")?;
        let start = payload_start(&[&target_name, &target_info], msg.len());
        let version = if negotiate_flags & NTLMSSP_NEGOTIATE_VERSION != 0 && start >= 56 {
            Some(Version::decode(&mut r)?)
        } else {
            None
        };
        let unicode = negotiate_flags & NTLMSSP_NEGOTIATE_UNICODE != 0;
        Ok(ChallengeMessage {
            negotiate_flags,
            target_name: field_text(&target_name, unicode, "TargetName")?,
            server_challenge,
            target_info: AvPairs::decode_buffer(target_info.bytes)?,
            version,
        })
    }

    /// Encodes the message (48 bytes of header, 56 with `Version`).
    pub fn encode(&self) -> Result<Vec<u8>, NtlmError> {
        let header_len = if self.version.is_some() { 56 } else { 48 };
        let unicode = self.negotiate_flags & NTLMSSP_NEGOTIATE_UNICODE != 0;
        let mut p = Payload { header_len, data: Vec::new() };
        let mut w = Writer::with_capacity(header_len + 128);
        w.bytes(SIGNATURE);
        w.u32(NTLM_CHALLENGE);
        p.field(&mut w, &text_bytes(&self.target_name, unicode), "TargetName")?;
        w.u32(self.negotiate_flags);
        w.bytes(&self.server_challenge);
        w.u64(0);
        let info = if self.target_info.0.is_empty() { Vec::new() } else { self.target_info.to_bytes()? };
        p.field(&mut w, &info, "TargetInfo")?;
        if let Some(v) = &self.version {
            v.encode(&mut w);
        }
        w.bytes(&p.data);
        Ok(w.into_vec())
    }
}

/// MS-NLMP 2.2.1.3 AUTHENTICATE_MESSAGE. Names are Unicode or OEM per
/// `NTLMSSP_NEGOTIATE_UNICODE` in this message's `NegotiateFlags`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthenticateMessage {
    /// `NegotiateFlags` (2.2.2.5).
    pub negotiate_flags: u32,
    /// `LmChallengeResponse` (an `LMv2_RESPONSE` for NTLMv2, 2.2.2.4).
    pub lm_challenge_response: Vec<u8>,
    /// `NtChallengeResponse` (an `NTLMv2_RESPONSE` for NTLMv2, 2.2.2.8).
    pub nt_challenge_response: Vec<u8>,
    /// `DomainName`.
    pub domain_name: String,
    /// `UserName`.
    pub user_name: String,
    /// `Workstation`.
    pub workstation: String,
    /// `EncryptedRandomSessionKey`, empty unless `NTLMSSP_NEGOTIATE_KEY_EXCH`.
    pub encrypted_random_session_key: Vec<u8>,
    /// `Version`. When only `mic` is set, an all-zero `Version` is written in its place.
    pub version: Option<Version>,
    /// `MIC` (at [`MIC_OFFSET`]).
    pub mic: Option<[u8; 16]>,
}

impl AuthenticateMessage {
    /// Decodes a whole message; at least the 64 bytes through `NegotiateFlags` are required.
    pub fn decode(msg: &[u8]) -> Result<Self, NtlmError> {
        let mut r = Reader::new(msg);
        read_prefix(&mut r, NTLM_AUTHENTICATE)?;
        let lm = read_field(&mut r, msg, "LmChallengeResponseFields")?;
        let nt = read_field(&mut r, msg, "NtChallengeResponseFields")?;
        let domain = read_field(&mut r, msg, "DomainNameFields")?;
        let user = read_field(&mut r, msg, "UserNameFields")?;
        let workstation = read_field(&mut r, msg, "WorkstationFields")?;
        let key = read_field(&mut r, msg, "EncryptedRandomSessionKeyFields")?;
        let negotiate_flags = r.u32("NegotiateFlags")?;
        let start = payload_start(&[&lm, &nt, &domain, &user, &workstation, &key], msg.len());
        let mut version = None;
        let mut mic = None;
        if start >= MIC_OFFSET {
            let v = Version::decode(&mut r)?;
            if negotiate_flags & NTLMSSP_NEGOTIATE_VERSION != 0 {
                version = Some(v);
            }
            if start >= MIC_OFFSET + 16 {
                mic = Some(r.array::<16>("MIC")?);
            }
        }
        let unicode = negotiate_flags & NTLMSSP_NEGOTIATE_UNICODE != 0;
        Ok(AuthenticateMessage {
            negotiate_flags,
            lm_challenge_response: lm.bytes.to_vec(),
            nt_challenge_response: nt.bytes.to_vec(),
            domain_name: field_text(&domain, unicode, "DomainName")?,
            user_name: field_text(&user, unicode, "UserName")?,
            workstation: field_text(&workstation, unicode, "Workstation")?,
            encrypted_random_session_key: key.bytes.to_vec(),
            version,
            mic,
        })
    }

    /// Encodes the message (64 bytes of header, 72 with `Version`, 88 with `MIC`).
    pub fn encode(&self) -> Result<Vec<u8>, NtlmError> {
        let header_len = match (self.version, self.mic) {
            (_, Some(_)) => MIC_OFFSET + 16,
            (Some(_), None) => MIC_OFFSET,
            (None, None) => 64,
        };
        let unicode = self.negotiate_flags & NTLMSSP_NEGOTIATE_UNICODE != 0;
        let domain = text_bytes(&self.domain_name, unicode);
        let user = text_bytes(&self.user_name, unicode);
        let workstation = text_bytes(&self.workstation, unicode);
        // Payload order of the 4.2.4.3 example: names first, then responses, then the key.
        let off = |before: usize| -> Result<u32, NtlmError> {
            u32::try_from(header_len + before).map_err(|_| NtlmError::Unencodable("payload offset"))
        };
        let len = |b: &[u8], what| u16::try_from(b.len()).map_err(|_| NtlmError::Unencodable(what));
        let order: [(&[u8], &'static str); 6] = [
            (&domain, "DomainName"),
            (&user, "UserName"),
            (&workstation, "Workstation"),
            (&self.lm_challenge_response, "LmChallengeResponse"),
            (&self.nt_challenge_response, "NtChallengeResponse"),
            (&self.encrypted_random_session_key, "EncryptedRandomSessionKey"),
        ];
        let mut offsets = [0u32; 6];
        let mut payload = Vec::new();
        for (i, (b, what)) in order.iter().enumerate() {
            len(b, what)?;
            offsets[i] = off(payload.len())?;
            payload.extend_from_slice(b);
        }
        let mut w = Writer::with_capacity(header_len + payload.len());
        w.bytes(SIGNATURE);
        w.u32(NTLM_AUTHENTICATE);
        // Header order: Lm, Nt, DomainName, UserName, Workstation, EncryptedRandomSessionKey.
        for i in [3, 4, 0, 1, 2, 5] {
            let l = order[i].0.len() as u16;
            w.u16(l);
            w.u16(l);
            w.u32(offsets[i]);
        }
        w.u32(self.negotiate_flags);
        if header_len > 64 {
            self.version.unwrap_or_default().encode(&mut w);
        }
        if let Some(m) = &self.mic {
            w.bytes(m);
        }
        w.bytes(&payload);
        Ok(w.into_vec())
    }
}
