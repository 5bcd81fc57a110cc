//! NTLM authentication (MS-NLMP), NTLMv2 only, without I/O.
//!
//! - [`messages`](crate::ntlm::messages): NEGOTIATE_MESSAGE, CHALLENGE_MESSAGE and
//!   AUTHENTICATE_MESSAGE (2.2.1);
//! - [`avpair`](crate::ntlm::avpair): the `AV_PAIR` lists of `TargetInfo` (2.2.2.1);
//! - [`flags`](crate::ntlm::flags): `NegotiateFlags` (2.2.2.5);
//! - [`crypto`](crate::ntlm::crypto): NTOWFv2/LMOWFv2 and the NTLMv2 and LMv2 responses
//!   (3.3.2), the `MIC` (3.1.5.1.2), RC4 for an `EncryptedRandomSessionKey`;
//! - [`server`](crate::ntlm::server): [`NtlmServer`](crate::ntlm::server::NtlmServer), the
//!   acceptor for one HTTP connection;
//! - [`client`](crate::ntlm::client): [`NtlmClient`](crate::ntlm::client::NtlmClient), the
//!   initiator;
//! - [`http`](crate::ntlm::http): `Authorization`/`WWW-Authenticate` values (`NTLM`,
//!   `Negotiate` carrying raw NTLM, `Basic`) with a small strict base64.
//!
//! Scope: connection-oriented NTLMv2 for HTTP over TLS. NTLMv1, LM and anonymous logons are
//! refused. No session security: the server never offers `NTLMSSP_NEGOTIATE_KEY_EXCH`,
//! `NTLMSSP_NEGOTIATE_SIGN` or `NTLMSSP_NEGOTIATE_SEAL`, the client never asks for them, and
//! no signing or sealing keys are derived (TLS protects the channel). The session base key is
//! still computed, because it keys the `MIC`; should a client send a key exchange anyway, the
//! server decrypts `EncryptedRandomSessionKey` with RC4 to check the `MIC`.
//! `Negotiate` tokens are accepted only when they carry raw NTLMSSP, not SPNEGO.

pub mod avpair;
pub mod client;
pub mod crypto;
pub mod flags;
pub mod http;
pub mod messages;
pub mod server;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

use oxmapi_core::codec::DecodeError;

pub use avpair::{AvPair, AvPairs};
pub use client::NtlmClient;
pub use crypto::nt_hash;
pub use http::{Scheme, parse_authorization};
pub use messages::{AuthenticateMessage, ChallengeMessage, NegotiateMessage, Version};
pub use server::{AuthenticatedUser, NtlmServer, TargetNames};

/// The `Signature` every NTLM message starts with: "NTLMSSP\0".
pub const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

/// Why an NTLM message could not be processed or a logon was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NtlmError {
    /// The message is not well formed.
    #[error("malformed NTLM message: {0}")]
    Malformed(#[from] DecodeError),
    /// A message of another `MessageType` arrived.
    #[error("expected NTLM message type {expected}, got {found}")]
    WrongMessageType {
        /// The `MessageType` wanted.
        expected: u32,
        /// The `MessageType` received.
        found: u32,
    },
    /// The peer uses something this implementation refuses (NTLMv1, LM-only, SPNEGO…).
    #[error("unsupported NTLM variant: {0}")]
    Unsupported(&'static str),
    /// The response does not prove knowledge of the password.
    #[error("NTLM logon failed: bad credentials")]
    BadCredentials,
    /// The account is not known to the server.
    #[error("NTLM logon failed: unknown user")]
    UnknownUser,
    /// An anonymous (empty user name) logon was attempted.
    #[error("anonymous NTLM logon refused")]
    Anonymous,
    /// The `MIC` announced by `MsvAvFlags` is missing or wrong.
    #[error("NTLM message integrity check (MIC) failed")]
    MicMismatch,
    /// A message arrived before the one that must precede it.
    #[error("NTLM message out of sequence: {0}")]
    OutOfSequence(&'static str),
    /// A value cannot be represented on the wire (a field longer than 65535 bytes…).
    #[error("cannot encode NTLM field: {0}")]
    Unencodable(&'static str),
}

/// True when `token` starts with the NTLMSSP `Signature` (raw NTLM rather than SPNEGO).
pub fn is_ntlmssp(token: &[u8]) -> bool {
    token.starts_with(SIGNATURE)
}

/// The `MessageType` of a raw NTLMSSP token, if it has a signature and a type.
pub fn message_type(token: &[u8]) -> Option<u32> {
    if !is_ntlmssp(token) {
        return None;
    }
    Some(u32::from_le_bytes(token.get(8..12)?.try_into().ok()?))
}
