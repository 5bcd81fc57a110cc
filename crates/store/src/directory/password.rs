//! Password storage: an argon2id hash (PHC string) for password logons, and the NT hash for
//! NTLM.
//!
//! Why two: HTTP Basic logons send the password, which is checked against the argon2id hash
//! (slow and salted, so a stolen directory does not give passwords away cheaply). NTLMv2
//! (MS-NLMP 3.3.2) never sends the password: the server must compute
//! `NTOWFv2 = HMAC_MD5(NT hash, UPPER(user) + domain)` itself to check the client's NTProofStr,
//! and the NT hash (`MD4(UTF-16LE(password))`, MS-NLMP 3.3.1) cannot be derived from an argon2
//! hash. The NT hash is password-equivalent for NTLM, so the directory file is created readable by
//! its owner only.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use md4::{Digest, Md4};

use crate::error::{StoreError, StoreResult};

/// The hasher for new passwords: argon2id v0x13 with the argon2 crate's default cost (19 MiB,
/// 2 passes, 1 lane). Unit tests use a tiny cost so they stay fast; verification always takes
/// the cost from the stored PHC string.
fn hasher() -> Argon2<'static> {
    let params = if cfg!(test) {
        Params::new(64, 1, 1, None).expect("valid test parameters")
    } else {
        Params::default()
    };
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=…`).
pub(crate) fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Failed(format!("cannot hash the password: {e}")))
}

/// Checks a password against a stored PHC string.
pub(crate) fn verify_password(password: &str, phc: &str) -> StoreResult<bool> {
    let parsed = PasswordHash::new(phc)
        .map_err(|e| StoreError::Corrupt(format!("stored password hash is not a PHC string: {e}")))?;
    Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The NT hash of a password: MD4 of its UTF-16LE encoding (MS-NLMP 3.3.1 `NTOWFv1`).
pub fn nt_hash(password: &str) -> [u8; 16] {
    let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    Md4::digest(&utf16).into()
}

/// Reads a password file (`--password-file`): the whole file, UTF-8, with one trailing newline
/// (`\n` or `\r\n`) removed, so `echo secret > file` works.
pub fn read_password_file(path: &std::path::Path) -> StoreResult<String> {
    let bytes = std::fs::read(path).map_err(|e| StoreError::io_at(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        StoreError::InvalidParameter(format!("password file {} is not UTF-8 text", path.display()))
    })?;
    Ok(strip_one_newline(text))
}

/// Removes one trailing `\n` or `\r\n`.
pub fn strip_one_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

/// Checks a new password: not empty, at most 1024 characters.
pub(crate) fn check_password(password: &str) -> StoreResult<()> {
    if password.is_empty() {
        return Err(StoreError::InvalidParameter(
            "the password is empty: put the password in the password file (one trailing newline is ignored)"
                .into(),
        ));
    }
    if password.chars().count() > 1024 {
        return Err(StoreError::InvalidParameter("the password is longer than 1024 characters".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nt_hash_matches_ms_nlmp_vector() {
        // MS-NLMP 4.2.4.1.1: NTOWFv1("Password") = a4f49c406510bdcab6824ee7c30fd852.
        let h = nt_hash("Password");
        assert_eq!(oxmapi_wire::describe::hex(&h), "a4f49c406510bdcab6824ee7c30fd852");
    }

    #[test]
    fn hash_and_verify() {
        let phc = hash_password("Secret-1").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(verify_password("Secret-1", &phc).unwrap());
        assert!(!verify_password("secret-1", &phc).unwrap());
        assert_ne!(hash_password("Secret-1").unwrap(), phc, "salted");
        assert!(verify_password("x", "not a hash").is_err());
        // Hashes made with the production cost verify too.
        let strong = Argon2::default()
            .hash_password(b"pw", &SaltString::generate(&mut rand::rngs::OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password("pw", &strong).unwrap());
    }

    #[test]
    fn password_files() {
        assert_eq!(strip_one_newline("pw\n".into()), "pw");
        assert_eq!(strip_one_newline("pw\r\n".into()), "pw");
        assert_eq!(strip_one_newline("pw\n\n".into()), "pw\n");
        assert_eq!(strip_one_newline("pw".into()), "pw");
        assert_eq!(strip_one_newline(" pw \n".into()), " pw ");
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("pw");
        std::fs::write(&p, "Secret-1\n").unwrap();
        assert_eq!(read_password_file(&p).unwrap(), "Secret-1");
        std::fs::write(&p, [0xFF, 0xFE]).unwrap();
        assert!(matches!(read_password_file(&p), Err(StoreError::InvalidParameter(_))));
        let e = read_password_file(&t.path().join("missing")).unwrap_err();
        assert!(e.to_string().contains("missing"), "{e}");
    }

    #[test]
    fn password_rules() {
        assert!(check_password("").is_err());
        assert!(check_password(&"x".repeat(1025)).is_err());
        assert!(check_password("ok").is_ok());
    }
}
