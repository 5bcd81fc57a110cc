//! NTLM messages (MS-NLMP 2.2.1), AV_PAIR lists, the NTLMv2 client challenge, the acceptor and
//! the HTTP `Authorization` parser with its base64.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::ntlm::avpair::AvPairs;
use oxmapi_wire::ntlm::crypto::NtlmV2ClientChallenge;
use oxmapi_wire::ntlm::http::{base64_decode, base64_encode};
use oxmapi_wire::ntlm::{
    AuthenticateMessage, ChallengeMessage, NegotiateMessage, NtlmClient, NtlmServer, TargetNames,
    parse_authorization,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = NegotiateMessage::decode(data) {
        assert_eq!(NegotiateMessage::decode(&m.encode().unwrap()).unwrap(), m);
    }
    if let Ok(m) = ChallengeMessage::decode(data) {
        assert_eq!(ChallengeMessage::decode(&m.encode().unwrap()).unwrap(), m);
    }
    if let Ok(m) = AuthenticateMessage::decode(data) {
        assert_eq!(AuthenticateMessage::decode(&m.encode().unwrap()).unwrap(), m);
    }
    let _ = AvPairs::decode_buffer(data);
    let _ = NtlmV2ClientChallenge::decode(data);

    let target =
        TargetNames { nb_computer_name: "S".into(), nb_domain_name: "D".into(), ..Default::default() };
    let _ = NtlmServer::new().challenge(data, [1; 8], 0, &target);
    let mut client = NtlmClient::new();
    let mut server = NtlmServer::new();
    server.challenge(&client.negotiate(), [1; 8], 0, &target).unwrap();
    let _ = server.authenticate(data, |_, _| Some([0; 16]));
    let _ = client.authenticate(data, "u", "d", "p", [2; 8], 0);

    if let Ok(s) = std::str::from_utf8(data) {
        let _ = parse_authorization(s);
        if let Some(b) = base64_decode(s) {
            assert_eq!(base64_encode(&b), s);
        }
    }
});
