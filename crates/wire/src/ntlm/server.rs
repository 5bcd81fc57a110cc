//! The NTLM acceptor for one connection (MS-NLMP 3.2): NEGOTIATE_MESSAGE in, CHALLENGE_MESSAGE
//! out (3.2.5.1.1), AUTHENTICATE_MESSAGE verified (3.2.5.1.2, NTLMv2 only).
//!
//! HTTP NTLM authenticates the connection, so one [`NtlmServer`] lives as long as one kept-alive
//! connection. Random challenges, clocks and the account database stay with the caller.

use super::NtlmError;
use super::avpair::{
    AvPairs, MSV_AV_DNS_COMPUTER_NAME, MSV_AV_DNS_DOMAIN_NAME, MSV_AV_DNS_TREE_NAME, MSV_AV_FLAG_MIC_PRESENT,
    MSV_AV_NB_COMPUTER_NAME, MSV_AV_NB_DOMAIN_NAME, MSV_AV_TIMESTAMP,
};
use super::crypto::{
    NtlmV2ClientChallenge, ct_eq, mic, nt_proof_str, ntowfv2, rc4, session_base_key, uppercase,
};
use super::flags::*;
use super::messages::{
    AuthenticateMessage, ChallengeMessage, MIC_OFFSET, NTLMSSP_REVISION_W2K3, NegotiateMessage, Version,
};

/// The `Version` the server sends when the client sets `NTLMSSP_NEGOTIATE_VERSION`.
pub const SERVER_VERSION: Version = Version {
    product_major_version: 10,
    product_minor_version: 0,
    product_build: 0,
    ntlm_revision_current: NTLMSSP_REVISION_W2K3,
};

/// The server's names for the CHALLENGE_MESSAGE `TargetInfo` (2.2.2.1). The NetBIOS names are
/// always sent (the specification requires them); empty DNS names are left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TargetNames {
    /// `MsvAvNbComputerName`.
    pub nb_computer_name: String,
    /// `MsvAvNbDomainName`; also the `TargetName` when non-empty.
    pub nb_domain_name: String,
    /// `MsvAvDnsComputerName`.
    pub dns_computer_name: String,
    /// `MsvAvDnsDomainName`.
    pub dns_domain_name: String,
    /// `MsvAvDnsTreeName`.
    pub dns_tree_name: String,
}

/// Who logged on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatedUser {
    /// `UserName` as sent.
    pub user: String,
    /// `DomainName` as sent.
    pub domain: String,
    /// `Workstation` as sent.
    pub workstation: String,
    /// True when the client sent a `MIC` (announced in `MsvAvFlags`) and it was verified.
    pub mic_verified: bool,
}

/// NTLM acceptor state for one connection.
#[derive(Debug, Clone, Default)]
pub struct NtlmServer {
    /// NEGOTIATE_MESSAGE and CHALLENGE_MESSAGE bytes and the challenge, once challenged.
    exchange: Option<Exchange>,
}

#[derive(Debug, Clone)]
struct Exchange {
    negotiate: Vec<u8>,
    challenge: Vec<u8>,
    server_challenge: [u8; 8],
}

impl NtlmServer {
    /// A server that has not yet seen a NEGOTIATE_MESSAGE.
    pub fn new() -> Self {
        NtlmServer::default()
    }

    /// The state after `negotiate` (the NEGOTIATE_MESSAGE bytes as received) was answered
    /// with `challenge`, for callers that keep the exchange elsewhere between requests.
    pub fn from_exchange(negotiate: &[u8], challenge: &[u8]) -> Result<Self, NtlmError> {
        let c = ChallengeMessage::decode(challenge)?;
        Ok(NtlmServer {
            exchange: Some(Exchange {
                negotiate: negotiate.to_vec(),
                challenge: challenge.to_vec(),
                server_challenge: c.server_challenge,
            }),
        })
    }

    /// True once [`NtlmServer::challenge`] has succeeded.
    pub fn is_challenged(&self) -> bool {
        self.exchange.is_some()
    }

    /// Forgets the exchange (a new NEGOTIATE_MESSAGE also does that).
    pub fn reset(&mut self) {
        self.exchange = None;
    }

    /// Answers a NEGOTIATE_MESSAGE with a CHALLENGE_MESSAGE (3.2.5.1.1).
    ///
    /// `server_challenge` must be 8 fresh random bytes; `timestamp_filetime` is the current
    /// time (100 ns since 1601-01-01 UTC) for `MsvAvTimestamp`. The flags offered are
    /// `NTLMSSP_NEGOTIATE_NTLM` and `NTLMSSP_NEGOTIATE_TARGET_INFO`, Unicode (OEM only for a
    /// client that asks for OEM alone), and, echoed when requested, `NTLMSSP_REQUEST_TARGET`
    /// (with `NTLMSSP_TARGET_TYPE_*` and a `TargetName`),
    /// `NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY`, `NTLMSSP_NEGOTIATE_ALWAYS_SIGN`,
    /// `NTLMSSP_NEGOTIATE_128`, `NTLMSSP_NEGOTIATE_56` and `NTLMSSP_NEGOTIATE_VERSION`. Never
    /// `NTLMSSP_NEGOTIATE_KEY_EXCH`, `_SIGN`, `_SEAL`, `_LM_KEY` or `_DATAGRAM`.
    pub fn challenge(
        &mut self,
        negotiate: &[u8],
        server_challenge: [u8; 8],
        timestamp_filetime: u64,
        target: &TargetNames,
    ) -> Result<Vec<u8>, NtlmError> {
        self.exchange = None;
        let neg = NegotiateMessage::decode(negotiate)?;
        let asked = neg.negotiate_flags;
        if asked & NTLMSSP_NEGOTIATE_DATAGRAM != 0 {
            return Err(NtlmError::Unsupported("connectionless (datagram) NTLM"));
        }
        let mut flags = NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_TARGET_INFO;
        let unicode = asked & NTLMSSP_NEGOTIATE_UNICODE != 0 || asked & NTLM_NEGOTIATE_OEM == 0;
        flags |= if unicode { NTLMSSP_NEGOTIATE_UNICODE } else { NTLM_NEGOTIATE_OEM };
        for echoed in [
            NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
            NTLMSSP_NEGOTIATE_ALWAYS_SIGN,
            NTLMSSP_NEGOTIATE_128,
            NTLMSSP_NEGOTIATE_56,
            NTLMSSP_NEGOTIATE_VERSION,
        ] {
            flags |= asked & echoed;
        }
        let mut target_name = String::new();
        if asked & NTLMSSP_REQUEST_TARGET != 0 {
            flags |= NTLMSSP_REQUEST_TARGET;
            if target.nb_domain_name.is_empty() {
                flags |= NTLMSSP_TARGET_TYPE_SERVER;
                target_name = target.nb_computer_name.clone();
            } else {
                flags |= NTLMSSP_TARGET_TYPE_DOMAIN;
                target_name = target.nb_domain_name.clone();
            }
        }
        let mut info = AvPairs::default();
        info.push_text(MSV_AV_NB_DOMAIN_NAME, &target.nb_domain_name);
        info.push_text(MSV_AV_NB_COMPUTER_NAME, &target.nb_computer_name);
        for (id, name) in [
            (MSV_AV_DNS_DOMAIN_NAME, &target.dns_domain_name),
            (MSV_AV_DNS_COMPUTER_NAME, &target.dns_computer_name),
            (MSV_AV_DNS_TREE_NAME, &target.dns_tree_name),
        ] {
            if !name.is_empty() {
                info.push_text(id, name);
            }
        }
        info.set(MSV_AV_TIMESTAMP, timestamp_filetime.to_le_bytes().to_vec());
        let msg = ChallengeMessage {
            negotiate_flags: flags,
            target_name,
            server_challenge,
            target_info: info,
            version: (flags & NTLMSSP_NEGOTIATE_VERSION != 0).then_some(SERVER_VERSION),
        };
        let challenge = msg.encode()?;
        self.exchange =
            Some(Exchange { negotiate: negotiate.to_vec(), challenge: challenge.clone(), server_challenge });
        Ok(challenge)
    }

    /// Verifies an AUTHENTICATE_MESSAGE (3.2.5.1.2) against the challenge sent.
    ///
    /// `lookup(user, domain)` gets `UserName` and `DomainName` as sent and returns the
    /// account's NT hash (MD4 of the UTF-16LE password, see [`super::nt_hash`]). The response
    /// is checked with `NTOWFv2` over Uppercase(`UserName`) and, in turn, `DomainName` as
    /// sent, its uppercase form and the empty domain. Refused: empty `UserName` (anonymous),
    /// NTLMv1 (24-byte `NtChallengeResponse`) and LM-only responses. When `MsvAvFlags` in the
    /// client's `AvPairs` announces a `MIC`, the `MIC` must be present and correct.
    /// The `TimeStamp` of the response is not checked against a clock: the server challenge
    /// is fresh for every exchange, which already defeats replay.
    pub fn authenticate(
        &self,
        authenticate: &[u8],
        lookup: impl FnOnce(&str, &str) -> Option<[u8; 16]>,
    ) -> Result<AuthenticatedUser, NtlmError> {
        let ex = self
            .exchange
            .as_ref()
            .ok_or(NtlmError::OutOfSequence("AUTHENTICATE_MESSAGE before CHALLENGE"))?;
        let msg = AuthenticateMessage::decode(authenticate)?;
        let nt = &msg.nt_challenge_response;
        if msg.user_name.is_empty() {
            return Err(NtlmError::Anonymous);
        }
        match nt.len() {
            0 if msg.lm_challenge_response.is_empty() => return Err(NtlmError::Anonymous),
            0 => return Err(NtlmError::Unsupported("LM-only response (no NtChallengeResponse)")),
            24 => return Err(NtlmError::Unsupported("NTLMv1 response (24-byte NtChallengeResponse)")),
            n if n < 16 + NtlmV2ClientChallenge::HEADER_LEN + 4 => {
                return Err(NtlmError::Unsupported("NtChallengeResponse is neither NTLMv1 nor NTLMv2"));
            }
            _ => {}
        }
        let (proof, temp) = nt.split_at(16);
        if temp[0] != 1 || temp[1] != 1 {
            return Err(NtlmError::Unsupported("NTLMv2_CLIENT_CHALLENGE RespType other than 1"));
        }
        let client = NtlmV2ClientChallenge::decode(temp)?;
        let hash = lookup(&msg.user_name, &msg.domain_name).ok_or(NtlmError::UnknownUser)?;

        let mut domains = vec![msg.domain_name.clone()];
        for d in [uppercase(&msg.domain_name), String::new()] {
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        let response_key = domains
            .iter()
            .map(|d| ntowfv2(&hash, &msg.user_name, d))
            .find(|key| ct_eq(&nt_proof_str(key, &ex.server_challenge, temp), proof))
            .ok_or(NtlmError::BadCredentials)?;

        let mic_announced = client.av_pairs.flags().is_some_and(|f| f & MSV_AV_FLAG_MIC_PRESENT != 0);
        if mic_announced {
            let sent = msg.mic.ok_or(NtlmError::MicMismatch)?;
            let proof: [u8; 16] = proof.try_into().map_err(|_| NtlmError::BadCredentials)?;
            let key_exchange_key = session_base_key(&response_key, &proof);
            let exported = if msg.negotiate_flags & NTLMSSP_NEGOTIATE_KEY_EXCH != 0
                && msg.encrypted_random_session_key.len() == 16
            {
                let k = rc4(&key_exchange_key, &msg.encrypted_random_session_key);
                k.try_into().map_err(|_| NtlmError::MicMismatch)?
            } else {
                key_exchange_key
            };
            debug_assert!(authenticate.len() >= MIC_OFFSET + 16);
            let expected = mic(&exported, &ex.negotiate, &ex.challenge, authenticate);
            if !ct_eq(&expected, &sent) {
                return Err(NtlmError::MicMismatch);
            }
        }
        Ok(AuthenticatedUser {
            user: msg.user_name,
            domain: msg.domain_name,
            workstation: msg.workstation,
            mic_verified: mic_announced,
        })
    }
}
