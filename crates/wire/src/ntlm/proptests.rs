//! Malformed input and proptest round trips of the three messages.

use proptest::collection::vec;
use proptest::prelude::*;

use super::crypto::NtlmV2ClientChallenge;
use super::flags::*;
use super::messages::*;
use super::tests::{SPEC_CHALLENGE, accounts, exchange, hex};
use super::*;

#[test]
fn malformed_messages_are_errors() {
    let (_, auth) = exchange("alice", "CONTOSO", "S3cret!");
    let challenge = hex(SPEC_CHALLENGE);
    for n in 0..auth.len() {
        assert!(AuthenticateMessage::decode(&auth[..n]).is_err(), "authenticate prefix {n}");
    }
    for n in 0..challenge.len() {
        assert!(ChallengeMessage::decode(&challenge[..n]).is_err(), "challenge prefix {n}");
    }
    let negotiate = NtlmClient::new().negotiate();
    for n in (0..16).chain(17..32) {
        assert!(NegotiateMessage::decode(&negotiate[..n]).is_err(), "negotiate prefix {n}");
    }
    // Offsets past the end and huge lengths, on every field triple.
    for field in (12..60).step_by(8) {
        let mut m = auth.clone();
        m[field + 4..field + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        m[field] = 1;
        assert!(matches!(AuthenticateMessage::decode(&m), Err(NtlmError::Malformed(_))), "offset at {field}");
        let mut m = auth.clone();
        m[field..field + 2].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(matches!(AuthenticateMessage::decode(&m), Err(NtlmError::Malformed(_))), "length at {field}");
    }
    let mut m = challenge.clone();
    m[40..42].copy_from_slice(&0x25u16.to_le_bytes());
    assert!(ChallengeMessage::decode(&m).is_err(), "TargetInfo one past the end");
    let mut m = challenge.clone();
    m[12] = 0x0b;
    assert!(ChallengeMessage::decode(&m).is_err(), "odd UTF-16 TargetName");
    let mut m = challenge.clone();
    m[0] = b'X';
    assert!(matches!(ChallengeMessage::decode(&m), Err(NtlmError::Malformed(_))));
    assert!(matches!(
        ChallengeMessage::decode(&auth),
        Err(NtlmError::WrongMessageType { expected: 2, found: 3 })
    ));
    assert_eq!(
        NegotiateMessage::decode(&negotiate[..16]).unwrap().negotiate_flags,
        client::CLIENT_NEGOTIATE_FLAGS
    );
    assert_eq!(message_type(&auth), Some(NTLM_AUTHENTICATE));
    assert_eq!(message_type(b"NTLMSSP\0\x01"), None);
}

fn version() -> impl Strategy<Value = Version> {
    (any::<u8>(), any::<u8>(), any::<u16>(), any::<u8>()).prop_map(|(a, b, c, d)| Version {
        product_major_version: a,
        product_minor_version: b,
        product_build: c,
        ntlm_revision_current: d,
    })
}

fn unicode_text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..10).prop_map(|v| v.into_iter().collect())
}

fn oem_text() -> impl Strategy<Value = String> {
    vec(any::<u8>(), 0..10).prop_map(|b| oxmapi_core::text::decode_cp1252(&b))
}

fn text(unicode: bool, u: String, o: String) -> String {
    if unicode { u } else { o }
}

fn av_pairs() -> impl Strategy<Value = AvPairs> {
    vec((1u16..=u16::MAX, vec(any::<u8>(), 0..12)), 0..5)
        .prop_map(|v| AvPairs(v.into_iter().map(|(av_id, value)| AvPair { av_id, value }).collect()))
}

/// Sets `NTLMSSP_NEGOTIATE_VERSION` exactly when a `Version` is present.
fn with_version_flag(flags: u32, version: &Option<Version>) -> u32 {
    if version.is_some() { flags | NTLMSSP_NEGOTIATE_VERSION } else { flags & !NTLMSSP_NEGOTIATE_VERSION }
}

fn with_unicode_flag(flags: u32, unicode: bool) -> u32 {
    if unicode { flags | NTLMSSP_NEGOTIATE_UNICODE } else { flags & !NTLMSSP_NEGOTIATE_UNICODE }
}

proptest! {
    #[test]
    fn negotiate_round_trip(
        flags in any::<u32>(), d in oem_text(), w in oem_text(), v in proptest::option::of(version()),
    ) {
        let negotiate_flags = with_version_flag(flags, &v);
        let m = NegotiateMessage { negotiate_flags, domain_name: d, workstation: w, version: v };
        prop_assert_eq!(NegotiateMessage::decode(&m.encode().unwrap()).unwrap(), m);
    }

    #[test]
    fn challenge_round_trip(
        flags in any::<u32>(), unicode in any::<bool>(), u in unicode_text(), o in oem_text(),
        server_challenge in any::<[u8; 8]>(), target_info in av_pairs(), v in proptest::option::of(version()),
    ) {
        let m = ChallengeMessage {
            negotiate_flags: with_unicode_flag(with_version_flag(flags, &v), unicode),
            target_name: text(unicode, u, o),
            server_challenge,
            target_info,
            version: v,
        };
        prop_assert_eq!(ChallengeMessage::decode(&m.encode().unwrap()).unwrap(), m);
    }

    #[test]
    fn authenticate_round_trip(
        flags in any::<u32>(), unicode in any::<bool>(),
        names in ((unicode_text(), oem_text()), (unicode_text(), oem_text()), (unicode_text(), oem_text())),
        lm in vec(any::<u8>(), 0..30), nt in vec(any::<u8>(), 0..80), key in vec(any::<u8>(), 0..17),
        v in proptest::option::of(version()), m in proptest::option::of(any::<[u8; 16]>()),
    ) {
        let ((du, dobj), (uu, uo), (wu, wo)) = names;
        let msg = AuthenticateMessage {
            negotiate_flags: with_unicode_flag(with_version_flag(flags, &v), unicode),
            lm_challenge_response: lm,
            nt_challenge_response: nt,
            domain_name: text(unicode, du, dobj),
            user_name: text(unicode, uu, uo),
            workstation: text(unicode, wu, wo),
            encrypted_random_session_key: key,
            version: v,
            mic: m,
        };
        prop_assert_eq!(AuthenticateMessage::decode(&msg.encode().unwrap()).unwrap(), msg);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in vec(any::<u8>(), 0..200), kind in 1u32..4) {
        let mut data = data;
        if data.len() >= 12 {
            data[..8].copy_from_slice(SIGNATURE);
            data[8..12].copy_from_slice(&kind.to_le_bytes());
        }
        // Whatever decodes re-encodes to something that decodes the same (the fuzz target's
        // property).
        if let Ok(m) = NegotiateMessage::decode(&data) {
            prop_assert_eq!(NegotiateMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
        if let Ok(m) = ChallengeMessage::decode(&data) {
            prop_assert_eq!(ChallengeMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
        if let Ok(m) = AuthenticateMessage::decode(&data) {
            prop_assert_eq!(AuthenticateMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
        let _ = NtlmV2ClientChallenge::decode(&data);
        let server = NtlmServer::from_exchange(&[], &hex(SPEC_CHALLENGE)).unwrap();
        prop_assert!(server.authenticate(&data, |_, _| Some([0; 16])).is_err());
    }

    #[test]
    fn every_single_byte_change_is_refused(at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let (server, mut auth) = exchange("alice", "CONTOSO", "S3cret!");
        let i = at.index(auth.len());
        auth[i] ^= xor;
        prop_assert!(server.authenticate(&auth, accounts).is_err(), "byte {} ^ {:#x} accepted", i, xor);
    }

    #[test]
    fn mutated_messages_decode_consistently(
        which in 0usize..4, edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut data = match which {
            0 => NtlmClient::new().negotiate(),
            1 => hex(SPEC_CHALLENGE),
            2 => hex(super::tests::SPEC_AUTHENTICATE),
            _ => exchange("alice", "CONTOSO", "S3cret!").1,
        };
        for (at, v) in edits {
            let i = at.index(data.len());
            data[i] = v;
        }
        if let Ok(m) = NegotiateMessage::decode(&data) {
            prop_assert_eq!(NegotiateMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
        if let Ok(m) = ChallengeMessage::decode(&data) {
            prop_assert_eq!(ChallengeMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
        if let Ok(m) = AuthenticateMessage::decode(&data) {
            prop_assert_eq!(AuthenticateMessage::decode(&m.encode().unwrap()).unwrap(), m);
        }
    }
}
