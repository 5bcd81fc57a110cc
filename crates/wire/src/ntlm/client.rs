//! The NTLM initiator (MS-NLMP 3.1): NEGOTIATE_MESSAGE out (3.1.5.1.1), CHALLENGE_MESSAGE in,
//! NTLMv2 AUTHENTICATE_MESSAGE with a `MIC` out (3.1.5.1.2).

use super::NtlmError;
use super::avpair::{MSV_AV_FLAG_MIC_PRESENT, MSV_AV_FLAGS};
use super::crypto::{NtlmV2ClientChallenge, compute_response, mic, nt_hash, ntowfv2};
use super::flags::*;
use super::messages::{AuthenticateMessage, ChallengeMessage, MIC_OFFSET, NegotiateMessage};

/// `NegotiateFlags` of the NEGOTIATE_MESSAGE: the 3.1.5.1.1 configuration flags, OEM as a
/// fallback, 128/56-bit, and no signing, sealing, key exchange or `Version`.
pub const CLIENT_NEGOTIATE_FLAGS: u32 = NTLMSSP_NEGOTIATE_UNICODE
    | NTLM_NEGOTIATE_OEM
    | NTLMSSP_REQUEST_TARGET
    | NTLMSSP_NEGOTIATE_NTLM
    | NTLMSSP_NEGOTIATE_ALWAYS_SIGN
    | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
    | NTLMSSP_NEGOTIATE_128
    | NTLMSSP_NEGOTIATE_56;

/// NTLM initiator state for one connection.
#[derive(Debug, Clone, Default)]
pub struct NtlmClient {
    /// Sent as `Workstation` in the AUTHENTICATE_MESSAGE (empty by default).
    pub workstation: String,
    negotiate: Option<Vec<u8>>,
    session_base_key: Option<[u8; 16]>,
}

impl NtlmClient {
    /// A client that sends an empty `Workstation`.
    pub fn new() -> Self {
        NtlmClient::default()
    }

    /// The NEGOTIATE_MESSAGE (with [`CLIENT_NEGOTIATE_FLAGS`], no domain or workstation);
    /// remembered for the `MIC`.
    pub fn negotiate(&mut self) -> Vec<u8> {
        let mut w = oxmapi_core::codec::Writer::with_capacity(32);
        w.bytes(super::SIGNATURE);
        w.u32(super::messages::NTLM_NEGOTIATE);
        w.u32(CLIENT_NEGOTIATE_FLAGS);
        // Empty DomainNameFields and WorkstationFields pointing at the payload start (32).
        for _ in 0..2 {
            w.u16(0);
            w.u16(0);
            w.u32(32);
        }
        let bytes = w.into_vec();
        self.negotiate = Some(bytes.clone());
        self.session_base_key = None;
        bytes
    }

    /// The `SessionBaseKey` (= `ExportedSessionKey`, no key exchange) of the last
    /// AUTHENTICATE_MESSAGE built.
    pub fn session_base_key(&self) -> Option<[u8; 16]> {
        self.session_base_key
    }

    /// Builds the NTLMv2 AUTHENTICATE_MESSAGE answering `challenge` (3.1.5.1.2).
    ///
    /// The `TimeStamp` is the server's `MsvAvTimestamp` when present, else
    /// `timestamp_if_absent`; with a server timestamp `LmChallengeResponse` is Z(24), else the
    /// LMv2 response. The server's `TargetInfo` is echoed in the `NTLMv2_CLIENT_CHALLENGE`
    /// with `MsvAvFlags` announcing the `MIC`, which is always sent.
    pub fn authenticate(
        &mut self,
        challenge: &[u8],
        user: &str,
        domain: &str,
        password: &str,
        client_challenge: [u8; 8],
        timestamp_if_absent: u64,
    ) -> Result<Vec<u8>, NtlmError> {
        let negotiate =
            self.negotiate.as_ref().ok_or(NtlmError::OutOfSequence("negotiate() must come first"))?;
        debug_assert!(NegotiateMessage::decode(negotiate).is_ok());
        let chal = ChallengeMessage::decode(challenge)?;
        if chal.negotiate_flags & NTLMSSP_NEGOTIATE_DATAGRAM != 0 {
            return Err(NtlmError::Unsupported("connectionless (datagram) NTLM"));
        }
        let mut flags = chal.negotiate_flags & CLIENT_NEGOTIATE_FLAGS;
        if chal.negotiate_flags & NTLMSSP_NEGOTIATE_UNICODE != 0 {
            flags &= !NTLM_NEGOTIATE_OEM;
        } else {
            flags |= NTLM_NEGOTIATE_OEM;
        }

        let mut av_pairs = chal.target_info.clone();
        let server_time = av_pairs.timestamp();
        let av_flags = av_pairs.flags().unwrap_or(0) | MSV_AV_FLAG_MIC_PRESENT;
        av_pairs.set(MSV_AV_FLAGS, av_flags.to_le_bytes().to_vec());
        let client = NtlmV2ClientChallenge {
            time_stamp: server_time.unwrap_or(timestamp_if_absent),
            challenge_from_client: client_challenge,
            av_pairs,
        };
        let response_key = ntowfv2(&nt_hash(password), user, domain);
        let r = compute_response(&response_key, &chal.server_challenge, &client)?;

        let msg = AuthenticateMessage {
            negotiate_flags: flags,
            lm_challenge_response: if server_time.is_some() {
                vec![0; 24]
            } else {
                r.lm_challenge_response.to_vec()
            },
            nt_challenge_response: r.nt_challenge_response,
            domain_name: domain.to_string(),
            user_name: user.to_string(),
            workstation: self.workstation.clone(),
            encrypted_random_session_key: Vec::new(),
            version: None,
            mic: Some([0; 16]),
        };
        let mut bytes = msg.encode()?;
        let code = mic(&r.session_base_key, negotiate, challenge, &bytes);
        bytes[MIC_OFFSET..MIC_OFFSET + 16].copy_from_slice(&code);
        self.session_base_key = Some(r.session_base_key);
        Ok(bytes)
    }
}
