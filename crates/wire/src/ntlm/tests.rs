//! MS-NLMP 4.2.4 NTLMv2 test vectors and client/server exchanges.

use super::avpair::*;
use super::crypto::*;
use super::flags::*;
use super::messages::*;
use super::*;

pub(super) fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

fn hex16(s: &str) -> [u8; 16] {
    hex(s).try_into().unwrap()
}

// MS-NLMP 4.2.1 common values and 4.2.4 NTLMv2 inputs.
const SERVER_CHALLENGE: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
const CLIENT_CHALLENGE: [u8; 8] = [0xaa; 8];
const RANDOM_SESSION_KEY: [u8; 16] = [0x55; 16];

/// 4.2.4.3: the CHALLENGE_MESSAGE.
pub(super) const SPEC_CHALLENGE: &str = "
    4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00 38 00 00 00 33 82 8a e2 01 23 45 67 89 ab cd ef
    00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00 06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00
    65 00 72 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
    65 00 72 00 00 00 00 00";

/// 4.2.4.3: the AUTHENTICATE_MESSAGE.
pub(super) const SPEC_AUTHENTICATE: &str = "
    4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00 6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00
    48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00 5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2
    05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00 69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00
    4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa
    aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
    01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90
    94 ce 1c e9 0b c9 d0 3e";

/// 4.2.4.1.3: temp.
const SPEC_TEMP: &str = "
    01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00
    02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
    65 00 72 00 00 00 00 00 00 00 00 00";

/// The 4.2.4 `TargetInfo`: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server".
fn spec_av_pairs() -> AvPairs {
    let mut l = AvPairs::default();
    l.push_text(MSV_AV_NB_DOMAIN_NAME, "Domain");
    l.push_text(MSV_AV_NB_COMPUTER_NAME, "Server");
    l
}

#[test]
fn ms_nlmp_4_2_4_ntlmv2_vectors() {
    let hash = nt_hash("Password");
    // 4.2.4.1.1 NTOWFv2() and LMOWFv2().
    let key = ntowfv2(&hash, "User", "Domain");
    assert_eq!(key, hex16("0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f"));
    assert_eq!(lmowfv2(&hash, "User", "Domain"), key);
    // 4.2.4.1.3 temp.
    let client = NtlmV2ClientChallenge {
        time_stamp: 0,
        challenge_from_client: CLIENT_CHALLENGE,
        av_pairs: spec_av_pairs(),
    };
    let temp = client.temp().unwrap();
    assert_eq!(temp, hex(SPEC_TEMP));
    assert_eq!(NtlmV2ClientChallenge::decode(&temp).unwrap(), client);
    // 4.2.4.2.2 NTLMv2 Response (NTProofStr), then NtChallengeResponse = NTProofStr || temp.
    let proof = nt_proof_str(&key, &SERVER_CHALLENGE, &temp);
    assert_eq!(proof, hex16("68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c"));
    let r = compute_response(&key, &SERVER_CHALLENGE, &client).unwrap();
    assert_eq!(r.nt_challenge_response[..16], proof);
    assert_eq!(r.nt_challenge_response[16..], temp[..]);
    // 4.2.4.1.2 Session Base Key.
    assert_eq!(r.session_base_key, hex16("8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3"));
    assert_eq!(session_base_key(&key, &proof), r.session_base_key);
    // 4.2.4.2.1 LMv2 Response.
    assert_eq!(
        r.lm_challenge_response.to_vec(),
        hex("86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa")
    );
    // 4.2.4.2.3 Encrypted Session Key: RC4(KeyExchangeKey = SessionBaseKey, RandomSessionKey).
    assert_eq!(
        rc4(&r.session_base_key, &RANDOM_SESSION_KEY),
        hex("c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e")
    );
}

#[test]
fn ms_nlmp_4_2_4_3_messages_decode_and_reencode_byte_exact() {
    let bytes = hex(SPEC_CHALLENGE);
    let c = ChallengeMessage::decode(&bytes).unwrap();
    assert_eq!(c.negotiate_flags, 0xe28a8233);
    assert_eq!(c.target_name, "Server");
    assert_eq!(c.server_challenge, SERVER_CHALLENGE);
    assert_eq!(c.target_info, spec_av_pairs());
    let v = c.version.unwrap();
    assert_eq!((v.product_major_version, v.product_minor_version, v.product_build), (6, 0, 6000));
    assert_eq!(v.ntlm_revision_current, NTLMSSP_REVISION_W2K3);
    assert_eq!(c.encode().unwrap(), bytes);

    let bytes = hex(SPEC_AUTHENTICATE);
    let a = AuthenticateMessage::decode(&bytes).unwrap();
    assert_eq!(a.negotiate_flags, 0xe2888235);
    assert_eq!(
        (a.domain_name.as_str(), a.user_name.as_str(), a.workstation.as_str()),
        ("Domain", "User", "COMPUTER")
    );
    assert_eq!(a.lm_challenge_response.len(), 24);
    assert_eq!(a.nt_challenge_response.len(), 84);
    assert_eq!(a.encrypted_random_session_key, hex("c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e"));
    assert_eq!(a.version.unwrap().product_build, 2600);
    assert_eq!(a.mic, None);
    assert_eq!(a.encode().unwrap(), bytes);
}

#[test]
fn server_accepts_the_spec_authenticate_message() {
    let server = NtlmServer::from_exchange(&[], &hex(SPEC_CHALLENGE)).unwrap();
    let mut asked = None;
    let who = server
        .authenticate(&hex(SPEC_AUTHENTICATE), |u, d| {
            asked = Some((u.to_string(), d.to_string()));
            Some(nt_hash("Password"))
        })
        .unwrap();
    assert_eq!(asked, Some(("User".into(), "Domain".into())));
    assert_eq!(
        (who.user.as_str(), who.domain.as_str(), who.workstation.as_str()),
        ("User", "Domain", "COMPUTER")
    );
    assert!(!who.mic_verified);
    let wrong = server.authenticate(&hex(SPEC_AUTHENTICATE), |_, _| Some(nt_hash("password")));
    assert_eq!(wrong, Err(NtlmError::BadCredentials));
}

fn target() -> TargetNames {
    TargetNames {
        nb_computer_name: "MBX01".into(),
        nb_domain_name: "CONTOSO".into(),
        dns_computer_name: "mbx01.contoso.test".into(),
        dns_domain_name: "contoso.test".into(),
        dns_tree_name: String::new(),
    }
}

const TIME: u64 = 133_000_000_000_000_000;

/// One full exchange; returns the server (for more attempts) and the AUTHENTICATE bytes.
pub(super) fn exchange(user: &str, domain: &str, password: &str) -> (NtlmServer, Vec<u8>) {
    let mut client = NtlmClient::new();
    client.workstation = "WS1".into();
    let mut server = NtlmServer::new();
    let challenge = server.challenge(&client.negotiate(), [7; 8], TIME, &target()).unwrap();
    let auth = client.authenticate(&challenge, user, domain, password, [9; 8], 0).unwrap();
    (server, auth)
}

pub(super) fn accounts(user: &str, _domain: &str) -> Option<[u8; 16]> {
    user.eq_ignore_ascii_case("alice").then(|| nt_hash("S3cret!"))
}

#[test]
fn client_server_round_trip() {
    let (server, auth) = exchange("Alice", "CONTOSO", "S3cret!");
    let who = server.authenticate(&auth, accounts).unwrap();
    assert_eq!(
        (who.user.as_str(), who.domain.as_str(), who.workstation.as_str()),
        ("Alice", "CONTOSO", "WS1")
    );
    assert!(who.mic_verified);

    let a = AuthenticateMessage::decode(&auth).unwrap();
    assert_eq!(a.lm_challenge_response, vec![0; 24], "Z(24) when the server sent MsvAvTimestamp");
    assert_eq!(a.negotiate_flags & (NTLMSSP_NEGOTIATE_KEY_EXCH | NTLM_NEGOTIATE_OEM), 0);
    let blob = NtlmV2ClientChallenge::decode(&a.nt_challenge_response[16..]).unwrap();
    assert_eq!(blob.time_stamp, TIME);
    assert_eq!(blob.av_pairs.flags(), Some(MSV_AV_FLAG_MIC_PRESENT));
    assert_eq!(blob.av_pairs.text(MSV_AV_DNS_DOMAIN_NAME).as_deref(), Some("contoso.test"));

    let (server, auth) = exchange("alice", "CONTOSO", "wrong");
    assert_eq!(server.authenticate(&auth, accounts), Err(NtlmError::BadCredentials));
    let (server, auth) = exchange("bob", "CONTOSO", "S3cret!");
    assert_eq!(server.authenticate(&auth, accounts), Err(NtlmError::UnknownUser));
    let (server, auth) = exchange("", "", "");
    assert_eq!(server.authenticate(&auth, accounts), Err(NtlmError::Anonymous));
}

#[test]
fn server_challenge_flags() {
    let mut server = NtlmServer::new();
    let mut client = NtlmClient::new();
    let c =
        ChallengeMessage::decode(&server.challenge(&client.negotiate(), [1; 8], TIME, &target()).unwrap())
            .unwrap();
    let want = NTLMSSP_NEGOTIATE_UNICODE
        | NTLMSSP_REQUEST_TARGET
        | NTLMSSP_NEGOTIATE_NTLM
        | NTLMSSP_NEGOTIATE_ALWAYS_SIGN
        | NTLMSSP_TARGET_TYPE_DOMAIN
        | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
        | NTLMSSP_NEGOTIATE_TARGET_INFO
        | NTLMSSP_NEGOTIATE_128
        | NTLMSSP_NEGOTIATE_56;
    assert_eq!(c.negotiate_flags, want, "{:?}", flag_names(c.negotiate_flags));
    assert_eq!(c.target_name, "CONTOSO");
    assert_eq!(c.target_info.timestamp(), Some(TIME));
    assert_eq!(c.target_info.text(MSV_AV_NB_COMPUTER_NAME).as_deref(), Some("MBX01"));
    assert_eq!(c.target_info.get(MSV_AV_DNS_TREE_NAME), None);

    // A Windows-style NEGOTIATE asking for key exchange, signing, sealing and VERSION.
    let neg = NegotiateMessage {
        negotiate_flags: 0xe208_82b7 | NTLMSSP_NEGOTIATE_VERSION,
        version: Some(Version { product_major_version: 10, ntlm_revision_current: 15, ..Default::default() }),
        ..Default::default()
    };
    let c =
        ChallengeMessage::decode(&server.challenge(&neg.encode().unwrap(), [1; 8], TIME, &target()).unwrap())
            .unwrap();
    let never = NTLMSSP_NEGOTIATE_KEY_EXCH
        | NTLMSSP_NEGOTIATE_SIGN
        | NTLMSSP_NEGOTIATE_SEAL
        | NTLMSSP_NEGOTIATE_LM_KEY;
    assert_eq!(c.negotiate_flags & never, 0);
    assert_eq!(c.version, Some(server::SERVER_VERSION));

    // OEM-only clients get OEM; no REQUEST_TARGET means no TargetName.
    let neg = NegotiateMessage {
        negotiate_flags: NTLM_NEGOTIATE_OEM | NTLMSSP_NEGOTIATE_NTLM,
        ..Default::default()
    };
    let c =
        ChallengeMessage::decode(&server.challenge(&neg.encode().unwrap(), [1; 8], TIME, &target()).unwrap())
            .unwrap();
    assert_eq!(c.negotiate_flags & (NTLMSSP_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_OEM), NTLM_NEGOTIATE_OEM);
    assert_eq!(c.target_name, "");
}

/// An AUTHENTICATE_MESSAGE built by hand against `server`'s challenge, without MIC.
fn handmade(server_challenge: [u8; 8], key: &[u8; 16], user: &str, domain: &str) -> Vec<u8> {
    let client =
        NtlmV2ClientChallenge { time_stamp: TIME, challenge_from_client: [3; 8], av_pairs: spec_av_pairs() };
    let r = compute_response(key, &server_challenge, &client).unwrap();
    AuthenticateMessage {
        negotiate_flags: NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_NTLM,
        lm_challenge_response: r.lm_challenge_response.to_vec(),
        nt_challenge_response: r.nt_challenge_response,
        domain_name: domain.into(),
        user_name: user.into(),
        ..Default::default()
    }
    .encode()
    .unwrap()
}

#[test]
fn domain_variants_empty_and_uppercase() {
    let mut server = NtlmServer::new();
    server.challenge(&NtlmClient::new().negotiate(), [5; 8], TIME, &target()).unwrap();
    let hash = nt_hash("S3cret!");
    let lookup = |_: &str, _: &str| Some(hash);
    // Key over the empty domain, message names "CONTOSO".
    let auth = handmade([5; 8], &ntowfv2(&hash, "alice", ""), "alice", "CONTOSO");
    assert_eq!(server.authenticate(&auth, lookup).unwrap().domain, "CONTOSO");
    // Key over the uppercase domain, message names "contoso".
    let auth = handmade([5; 8], &ntowfv2(&hash, "alice", "CONTOSO"), "alice", "contoso");
    assert!(server.authenticate(&auth, lookup).is_ok());
    // Key over another domain is refused.
    let auth = handmade([5; 8], &ntowfv2(&hash, "alice", "FABRIKAM"), "alice", "contoso");
    assert_eq!(server.authenticate(&auth, lookup), Err(NtlmError::BadCredentials));
    // A challenge for another server challenge is refused.
    let auth = handmade([6; 8], &ntowfv2(&hash, "alice", "contoso"), "alice", "contoso");
    assert_eq!(server.authenticate(&auth, lookup), Err(NtlmError::BadCredentials));
}

#[test]
fn ntlmv1_lm_only_and_anonymous_are_refused() {
    let mut server = NtlmServer::new();
    server.challenge(&NtlmClient::new().negotiate(), [5; 8], TIME, &target()).unwrap();
    let msg = |lm: Vec<u8>, nt: Vec<u8>, user: &str| {
        AuthenticateMessage {
            negotiate_flags: NTLMSSP_NEGOTIATE_UNICODE,
            lm_challenge_response: lm,
            nt_challenge_response: nt,
            user_name: user.into(),
            ..Default::default()
        }
        .encode()
        .unwrap()
    };
    let all = |_: &str, _: &str| Some([0u8; 16]);
    assert!(matches!(
        server.authenticate(&msg(vec![1; 24], vec![2; 24], "u"), all),
        Err(NtlmError::Unsupported(_))
    ));
    assert!(matches!(
        server.authenticate(&msg(vec![1; 24], vec![], "u"), all),
        Err(NtlmError::Unsupported(_))
    ));
    assert!(matches!(
        server.authenticate(&msg(vec![], vec![2; 40], "u"), all),
        Err(NtlmError::Unsupported(_))
    ));
    assert_eq!(server.authenticate(&msg(vec![0], vec![], ""), all), Err(NtlmError::Anonymous));
    assert_eq!(server.authenticate(&msg(vec![], vec![], "u"), all), Err(NtlmError::Anonymous));
    let mut v3 = vec![0u8; 16 + 32];
    v3[16] = 2;
    v3[17] = 2;
    assert!(matches!(server.authenticate(&msg(vec![], v3, "u"), all), Err(NtlmError::Unsupported(_))));
}

#[test]
fn mic_is_verified() {
    let (server, auth) = exchange("alice", "CONTOSO", "S3cret!");
    // Flipping NTLMSSP_NEGOTIATE_ALWAYS_SIGN in NegotiateFlags changes nothing but the MIC input.
    let mut tampered = auth.clone();
    tampered[61] ^= 0x80;
    assert_eq!(server.authenticate(&tampered, accounts), Err(NtlmError::MicMismatch));
    let mut tampered = auth.clone();
    tampered[MIC_OFFSET] ^= 1;
    assert_eq!(server.authenticate(&tampered, accounts), Err(NtlmError::MicMismatch));
    // A MIC over another NEGOTIATE_MESSAGE (the server saw a different one).
    let mut other = NtlmServer::new();
    let neg =
        NegotiateMessage { negotiate_flags: CLIENT_FLAGS_FOR_TEST, ..Default::default() }.encode().unwrap();
    let mut client = NtlmClient::new();
    let _ = client.negotiate();
    let challenge = other.challenge(&neg, [7; 8], TIME, &target()).unwrap();
    let auth = client.authenticate(&challenge, "alice", "CONTOSO", "S3cret!", [9; 8], 0).unwrap();
    assert_eq!(other.authenticate(&auth, accounts), Err(NtlmError::MicMismatch));
}

const CLIENT_FLAGS_FOR_TEST: u32 = client::CLIENT_NEGOTIATE_FLAGS | NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED;

#[test]
fn mic_with_key_exchange() {
    // A client that exchanges a key although the server did not offer it: the MIC is keyed
    // with the RandomSessionKey, recovered by RC4 from EncryptedRandomSessionKey.
    let negotiate = NtlmClient::new().negotiate();
    let mut server = NtlmServer::new();
    let challenge = server.challenge(&negotiate, [4; 8], TIME, &target()).unwrap();
    let hash = nt_hash("S3cret!");
    let key = ntowfv2(&hash, "alice", "CONTOSO");
    let mut av_pairs = ChallengeMessage::decode(&challenge).unwrap().target_info;
    av_pairs.set(MSV_AV_FLAGS, MSV_AV_FLAG_MIC_PRESENT.to_le_bytes().to_vec());
    let client = NtlmV2ClientChallenge { time_stamp: TIME, challenge_from_client: [3; 8], av_pairs };
    let r = compute_response(&key, &[4; 8], &client).unwrap();
    let msg = AuthenticateMessage {
        negotiate_flags: NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_KEY_EXCH,
        lm_challenge_response: vec![0; 24],
        nt_challenge_response: r.nt_challenge_response,
        domain_name: "CONTOSO".into(),
        user_name: "alice".into(),
        encrypted_random_session_key: rc4(&r.session_base_key, &RANDOM_SESSION_KEY),
        mic: Some([0; 16]),
        ..Default::default()
    };
    let mut bytes = msg.encode().unwrap();
    let code = mic(&RANDOM_SESSION_KEY, &negotiate, &challenge, &bytes);
    bytes[MIC_OFFSET..MIC_OFFSET + 16].copy_from_slice(&code);
    assert!(server.authenticate(&bytes, accounts).unwrap().mic_verified);
    let code = mic(&r.session_base_key, &negotiate, &challenge, &bytes);
    bytes[MIC_OFFSET..MIC_OFFSET + 16].copy_from_slice(&code);
    assert_eq!(server.authenticate(&bytes, accounts), Err(NtlmError::MicMismatch));
}

#[test]
fn out_of_sequence() {
    let (_, auth) = exchange("alice", "CONTOSO", "S3cret!");
    assert!(matches!(NtlmServer::new().authenticate(&auth, accounts), Err(NtlmError::OutOfSequence(_))));
    let mut client = NtlmClient::new();
    assert!(matches!(
        client.authenticate(&hex(SPEC_CHALLENGE), "u", "d", "p", [0; 8], 0),
        Err(NtlmError::OutOfSequence(_))
    ));
    let mut server = NtlmServer::new();
    assert!(matches!(
        server.challenge(&auth, [0; 8], 0, &target()),
        Err(NtlmError::WrongMessageType { expected: 1, found: 3 })
    ));
    assert!(!server.is_challenged());
}

#[test]
fn client_without_server_timestamp_sends_lmv2() {
    let mut client = NtlmClient::new();
    let negotiate = client.negotiate();
    let auth =
        client.authenticate(&hex(SPEC_CHALLENGE), "User", "Domain", "Password", CLIENT_CHALLENGE, 0).unwrap();
    let a = AuthenticateMessage::decode(&auth).unwrap();
    // 4.2.4.2.1 again, through the client.
    assert_eq!(
        a.lm_challenge_response,
        hex("86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa")
    );
    assert_eq!(a.negotiate_flags & NTLMSSP_NEGOTIATE_KEY_EXCH, 0);
    assert!(a.mic.is_some());
    let server = NtlmServer::from_exchange(&negotiate, &hex(SPEC_CHALLENGE)).unwrap();
    let who = server.authenticate(&auth, |_, _| Some(nt_hash("Password")));
    assert_eq!(who.map(|u| u.mic_verified), Ok(true));
}
