//! `NegotiateFlags` bits (MS-NLMP 2.2.2.5), named as the specification names them.
//!
//! The bit letters of the specification's diagram are given in each doc line; `r1`–`r10` are
//! unused bits that must be zero.

/// A: Unicode strings in the payload. Alternate name `NTLMSSP_NEGOTIATE_UNICODE`.
pub const NTLMSSP_NEGOTIATE_UNICODE: u32 = 0x0000_0001;
/// B: OEM strings in the payload. Alternate name `NTLM_NEGOTIATE_OEM`.
pub const NTLM_NEGOTIATE_OEM: u32 = 0x0000_0002;
/// C: the client asks for the server's `TargetName`. Alternate name `NTLMSSP_REQUEST_TARGET`.
pub const NTLMSSP_REQUEST_TARGET: u32 = 0x0000_0004;
/// D: session key for message signatures. Alternate name `NTLMSSP_NEGOTIATE_SIGN`.
pub const NTLMSSP_NEGOTIATE_SIGN: u32 = 0x0000_0010;
/// E: session key for message confidentiality. Alternate name `NTLMSSP_NEGOTIATE_SEAL`.
pub const NTLMSSP_NEGOTIATE_SEAL: u32 = 0x0000_0020;
/// F: connectionless authentication. Alternate name `NTLMSSP_NEGOTIATE_DATAGRAM`.
pub const NTLMSSP_NEGOTIATE_DATAGRAM: u32 = 0x0000_0040;
/// G: LAN Manager session key computation. Alternate name `NTLMSSP_NEGOTIATE_LM_KEY`.
pub const NTLMSSP_NEGOTIATE_LM_KEY: u32 = 0x0000_0080;
/// H: NTLM v1 session security. Alternate name `NTLMSSP_NEGOTIATE_NTLM`.
pub const NTLMSSP_NEGOTIATE_NTLM: u32 = 0x0000_0200;
/// J: the connection should be anonymous (the specification gives no alternate name).
pub const NTLMSSP_ANONYMOUS: u32 = 0x0000_0800;
/// K: the NEGOTIATE_MESSAGE carries `DomainName`. Alternate name
/// `NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED`.
pub const NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED: u32 = 0x0000_1000;
/// L: the NEGOTIATE_MESSAGE carries `Workstation`. Alternate name
/// `NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED`.
pub const NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED: u32 = 0x0000_2000;
/// M: a signature block on all messages. Alternate name `NTLMSSP_NEGOTIATE_ALWAYS_SIGN`.
pub const NTLMSSP_NEGOTIATE_ALWAYS_SIGN: u32 = 0x0000_8000;
/// N: `TargetName` is a domain name. Alternate name `NTLMSSP_TARGET_TYPE_DOMAIN`.
pub const NTLMSSP_TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
/// O: `TargetName` is a server name. Alternate name `NTLMSSP_TARGET_TYPE_SERVER`.
pub const NTLMSSP_TARGET_TYPE_SERVER: u32 = 0x0002_0000;
/// P: NTLM v2 session security. Alternate name `NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY`.
pub const NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY: u32 = 0x0008_0000;
/// Q: identify-level token. Alternate name `NTLMSSP_NEGOTIATE_IDENTIFY`.
pub const NTLMSSP_NEGOTIATE_IDENTIFY: u32 = 0x0010_0000;
/// R: LMOWF for the session key. Alternate name `NTLMSSP_REQUEST_NON_NT_SESSION_KEY`.
pub const NTLMSSP_REQUEST_NON_NT_SESSION_KEY: u32 = 0x0040_0000;
/// S: `TargetInfo` is populated. Alternate name `NTLMSSP_NEGOTIATE_TARGET_INFO`.
pub const NTLMSSP_NEGOTIATE_TARGET_INFO: u32 = 0x0080_0000;
/// T: the `Version` field is populated. Alternate name `NTLMSSP_NEGOTIATE_VERSION`.
pub const NTLMSSP_NEGOTIATE_VERSION: u32 = 0x0200_0000;
/// U: 128-bit session key. Alternate name `NTLMSSP_NEGOTIATE_128`.
pub const NTLMSSP_NEGOTIATE_128: u32 = 0x2000_0000;
/// V: explicit key exchange. Alternate name `NTLMSSP_NEGOTIATE_KEY_EXCH`.
pub const NTLMSSP_NEGOTIATE_KEY_EXCH: u32 = 0x4000_0000;
/// W: 56-bit encryption. Alternate name `NTLMSSP_NEGOTIATE_56`.
pub const NTLMSSP_NEGOTIATE_56: u32 = 0x8000_0000;

/// Every defined flag with its specification name, lowest bit first.
pub const FLAG_NAMES: [(u32, &str); 22] = [
    (NTLMSSP_NEGOTIATE_UNICODE, "NTLMSSP_NEGOTIATE_UNICODE"),
    (NTLM_NEGOTIATE_OEM, "NTLM_NEGOTIATE_OEM"),
    (NTLMSSP_REQUEST_TARGET, "NTLMSSP_REQUEST_TARGET"),
    (NTLMSSP_NEGOTIATE_SIGN, "NTLMSSP_NEGOTIATE_SIGN"),
    (NTLMSSP_NEGOTIATE_SEAL, "NTLMSSP_NEGOTIATE_SEAL"),
    (NTLMSSP_NEGOTIATE_DATAGRAM, "NTLMSSP_NEGOTIATE_DATAGRAM"),
    (NTLMSSP_NEGOTIATE_LM_KEY, "NTLMSSP_NEGOTIATE_LM_KEY"),
    (NTLMSSP_NEGOTIATE_NTLM, "NTLMSSP_NEGOTIATE_NTLM"),
    (NTLMSSP_ANONYMOUS, "NTLMSSP_ANONYMOUS"),
    (NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, "NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED"),
    (NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, "NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED"),
    (NTLMSSP_NEGOTIATE_ALWAYS_SIGN, "NTLMSSP_NEGOTIATE_ALWAYS_SIGN"),
    (NTLMSSP_TARGET_TYPE_DOMAIN, "NTLMSSP_TARGET_TYPE_DOMAIN"),
    (NTLMSSP_TARGET_TYPE_SERVER, "NTLMSSP_TARGET_TYPE_SERVER"),
    (NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, "NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY"),
    (NTLMSSP_NEGOTIATE_IDENTIFY, "NTLMSSP_NEGOTIATE_IDENTIFY"),
    (NTLMSSP_REQUEST_NON_NT_SESSION_KEY, "NTLMSSP_REQUEST_NON_NT_SESSION_KEY"),
    (NTLMSSP_NEGOTIATE_TARGET_INFO, "NTLMSSP_NEGOTIATE_TARGET_INFO"),
    (NTLMSSP_NEGOTIATE_VERSION, "NTLMSSP_NEGOTIATE_VERSION"),
    (NTLMSSP_NEGOTIATE_128, "NTLMSSP_NEGOTIATE_128"),
    (NTLMSSP_NEGOTIATE_KEY_EXCH, "NTLMSSP_NEGOTIATE_KEY_EXCH"),
    (NTLMSSP_NEGOTIATE_56, "NTLMSSP_NEGOTIATE_56"),
];

/// Names of the flags set in `flags`, plus `0x........` for reserved bits, for display.
pub fn flag_names(flags: u32) -> Vec<String> {
    let mut names = Vec::new();
    let mut known = 0u32;
    for (bit, name) in FLAG_NAMES.iter() {
        known |= bit;
        if flags & bit != 0 {
            names.push((*name).to_string());
        }
    }
    let other = flags & !known;
    if other != 0 {
        names.push(format!("0x{other:08X}"));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_spec_challenge_flags() {
        // MS-NLMP 4.2.4: the Challenge Flags 0xE28A8233 are exactly these thirteen.
        let names = flag_names(0xE28A_8233);
        assert_eq!(names.len(), 13);
        assert!(names.contains(&"NTLMSSP_NEGOTIATE_KEY_EXCH".to_string()));
        assert!(names.contains(&"NTLM_NEGOTIATE_OEM".to_string()));
        assert_eq!(flag_names(0x0000_0008), vec!["0x00000008".to_string()]);
    }
}
