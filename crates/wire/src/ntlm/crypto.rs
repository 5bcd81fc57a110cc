//! NTLMv2 computations (MS-NLMP 3.3.2), the `MIC` (3.1.5.1.2) and RC4 (used only to recover
//! a key-exchanged session key, 3.4.5.2 `RC4K`).
//!
//! Strings enter the hashes as UTF-16LE (`UNICODE()` in the specification). `Uppercase(User)`
//! maps each character to its simple uppercase form (one character to one character, as
//! Windows does), leaving characters whose uppercase would expand unchanged.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};

use super::NtlmError;
use super::avpair::{AvPairs, utf16le};

type HmacMd5 = Hmac<md5::Md5>;

/// `NTOWFv1(Passwd)` = MD4(UNICODE(Passwd)): the NT hash of a password.
pub fn nt_hash(password: &str) -> [u8; 16] {
    Md4::digest(utf16le(password)).into()
}

/// `HMAC_MD5(K, M)` over the concatenation of `parts` (RFC 2104).
pub fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = <HmacMd5 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// `Uppercase()` for user names: simple per-character uppercase mapping.
pub fn uppercase(s: &str) -> String {
    s.chars()
        .map(|c| {
            let mut up = c.to_uppercase();
            match (up.next(), up.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// `NTOWFv2(Passwd, User, UserDom)` from the NT hash:
/// HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))).
pub fn ntowfv2(nt_hash: &[u8; 16], user: &str, user_dom: &str) -> [u8; 16] {
    let mut name = utf16le(&uppercase(user));
    name.extend_from_slice(&utf16le(user_dom));
    hmac_md5(nt_hash, &[&name])
}

/// `LMOWFv2(Passwd, User, UserDom)`, identical to [`ntowfv2`] in NTLMv2.
pub fn lmowfv2(nt_hash: &[u8; 16], user: &str, user_dom: &str) -> [u8; 16] {
    ntowfv2(nt_hash, user, user_dom)
}

/// `NTProofStr` = HMAC_MD5(ResponseKeyNT, ConcatenationOf(CHALLENGE_MESSAGE.ServerChallenge,
/// temp)).
pub fn nt_proof_str(response_key_nt: &[u8; 16], server_challenge: &[u8; 8], temp: &[u8]) -> [u8; 16] {
    hmac_md5(response_key_nt, &[server_challenge, temp])
}

/// `SessionBaseKey` = HMAC_MD5(ResponseKeyNT, NTProofStr). With NTLMv2 this is also the
/// `KeyExchangeKey`, and without key exchange the `ExportedSessionKey`.
pub fn session_base_key(response_key_nt: &[u8; 16], nt_proof_str: &[u8; 16]) -> [u8; 16] {
    hmac_md5(response_key_nt, &[nt_proof_str])
}

/// The `LMv2_RESPONSE` (2.2.2.4): HMAC_MD5(ResponseKeyLM, ConcatenationOf(ServerChallenge,
/// ClientChallenge)) followed by `ClientChallenge`.
pub fn lmv2_response(
    response_key_lm: &[u8; 16],
    server_challenge: &[u8; 8],
    client_challenge: &[u8; 8],
) -> [u8; 24] {
    let mut out = [0u8; 24];
    out[..16].copy_from_slice(&hmac_md5(response_key_lm, &[server_challenge, client_challenge]));
    out[16..].copy_from_slice(client_challenge);
    out
}

/// MS-NLMP 2.2.2.7 `NTLMv2_CLIENT_CHALLENGE` (`RespType` and `HiRespType` are 1, the
/// reserved fields zero).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NtlmV2ClientChallenge {
    /// `TimeStamp`, a FILETIME.
    pub time_stamp: u64,
    /// `ChallengeFromClient`.
    pub challenge_from_client: [u8; 8],
    /// `AvPairs`.
    pub av_pairs: AvPairs,
}

impl NtlmV2ClientChallenge {
    /// Bytes before `AvPairs`.
    pub const HEADER_LEN: usize = 28;

    /// Decodes the structure from the bytes after `Response` in an `NTLMv2_RESPONSE`;
    /// bytes after the `MsvAvEOL` (the `Z(4)` of 3.3.2) are ignored.
    pub fn decode(buf: &[u8]) -> DecodeResult<Self> {
        let mut r = Reader::new(buf);
        let resp_type = r.u8("RespType")?;
        let hi_resp_type = r.u8("HiRespType")?;
        if resp_type != 1 || hi_resp_type != 1 {
            return Err(DecodeError::Invalid {
                offset: 0,
                what: "RespType",
                detail: format!("RespType {resp_type}, HiRespType {hi_resp_type}; expected 1, 1"),
            });
        }
        r.take(6, "Reserved1/Reserved2")?;
        let time_stamp = r.u64("TimeStamp")?;
        let challenge_from_client = r.array::<8>("ChallengeFromClient")?;
        r.take(4, "Reserved3")?;
        let av_pairs = AvPairs::decode(&mut r)?;
        Ok(NtlmV2ClientChallenge { time_stamp, challenge_from_client, av_pairs })
    }

    /// `temp` of 3.3.2: ConcatenationOf(Responserversion, HiResponserversion, Z(6), Time,
    /// ClientChallenge, Z(4), ServerName, Z(4)).
    pub fn temp(&self) -> Result<Vec<u8>, NtlmError> {
        let mut w = Writer::new();
        w.bytes(&[1, 1, 0, 0, 0, 0, 0, 0]);
        w.u64(self.time_stamp);
        w.bytes(&self.challenge_from_client);
        w.u32(0);
        self.av_pairs.encode(&mut w)?;
        w.u32(0);
        Ok(w.into_vec())
    }
}

/// What `ComputeResponse` (3.3.2) yields for NTLMv2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtlmV2Responses {
    /// `NtChallengeResponse` = ConcatenationOf(NTProofStr, temp).
    pub nt_challenge_response: Vec<u8>,
    /// `LmChallengeResponse`, the LMv2 response.
    pub lm_challenge_response: [u8; 24],
    /// `SessionBaseKey`.
    pub session_base_key: [u8; 16],
}

/// `ComputeResponse` of 3.3.2 for NTLMv2 with ResponseKeyNT = ResponseKeyLM.
pub fn compute_response(
    response_key: &[u8; 16],
    server_challenge: &[u8; 8],
    client: &NtlmV2ClientChallenge,
) -> Result<NtlmV2Responses, NtlmError> {
    let temp = client.temp()?;
    let proof = nt_proof_str(response_key, server_challenge, &temp);
    let mut nt_challenge_response = proof.to_vec();
    nt_challenge_response.extend_from_slice(&temp);
    Ok(NtlmV2Responses {
        nt_challenge_response,
        lm_challenge_response: lmv2_response(response_key, server_challenge, &client.challenge_from_client),
        session_base_key: session_base_key(response_key, &proof),
    })
}

/// `MIC` = HMAC_MD5(ExportedSessionKey, ConcatenationOf(NEGOTIATE_MESSAGE, CHALLENGE_MESSAGE,
/// AUTHENTICATE_MESSAGE)), the last with its `MIC` field zeroed (3.1.5.1.2, 3.2.5.1.2).
/// `authenticate` must be at least [`super::messages::MIC_OFFSET`] + 16 bytes long.
pub fn mic(
    exported_session_key: &[u8; 16],
    negotiate: &[u8],
    challenge: &[u8],
    authenticate: &[u8],
) -> [u8; 16] {
    let at = super::messages::MIC_OFFSET.min(authenticate.len());
    let end = (at + 16).min(authenticate.len());
    hmac_md5(
        exported_session_key,
        &[negotiate, challenge, &authenticate[..at], &[0u8; 16][..end - at], &authenticate[end..]],
    )
}

/// RC4 (ARCFOUR) keystream XOR, `RC4K(Key, Message)`: encrypts and decrypts alike.
pub fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut s: [u8; 256] = std::array::from_fn(|i| i as u8);
    if !key.is_empty() {
        let mut j = 0u8;
        for i in 0..256 {
            j = j.wrapping_add(s[i]).wrapping_add(key[i % key.len()]);
            s.swap(i, j as usize);
        }
    }
    let (mut i, mut j) = (0u8, 0u8);
    data.iter()
        .map(|&b| {
            i = i.wrapping_add(1);
            j = j.wrapping_add(s[i as usize]);
            s.swap(i as usize, j as usize);
            b ^ s[s[i as usize].wrapping_add(s[j as usize]) as usize]
        })
        .collect()
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_known_answer() {
        // The classic "Key"/"Plaintext" ARCFOUR test value.
        assert_eq!(rc4(b"Key", b"Plaintext"), [0xBB, 0xF3, 0x16, 0xE8, 0xD9, 0x40, 0xAF, 0x0A, 0xD3]);
    }

    #[test]
    fn md4_of_empty_password() {
        // MD4("") = 31d6cfe0d16ae931b73c59d7e0c089c0, the well-known empty NT hash.
        assert_eq!(
            nt_hash(""),
            [0x31, 0xd6, 0xcf, 0xe0, 0xd1, 0x6a, 0xe9, 0x31, 0xb7, 0x3c, 0x59, 0xd7, 0xe0, 0xc0, 0x89, 0xc0]
        );
    }

    #[test]
    fn uppercase_is_one_to_one() {
        assert_eq!(uppercase("user_ä"), "USER_Ä");
        assert_eq!(uppercase("straße"), "STRAßE");
    }

    #[test]
    fn ct_eq_compares() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
