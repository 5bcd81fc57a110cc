//! Server settings kept in the directory (`oxmapi admin set KEY VALUE` / `get KEY`): the known
//! keys, their defaults and their validation, in one table ([`SETTINGS`]).
//!
//! Values are stored in their normalized text form; typed getters live on
//! [`crate::Directory`] (`max_sessions_per_user`, `min_client_version`, …).

use crate::error::{StoreError, StoreResult};

/// One known setting.
#[derive(Debug)]
pub struct Setting {
    /// The key (`max-sessions-per-user`).
    pub key: &'static str,
    /// The effective value when the key is unset.
    pub default: &'static str,
    /// What it controls and which values it takes.
    pub help: &'static str,
    /// Validates a value and returns its normalized form, or says what is wrong.
    check: fn(&str) -> Result<String, String>,
}

/// `max-sessions-per-user`.
pub const MAX_SESSIONS_PER_USER: &str = "max-sessions-per-user";
/// `min-client-version`.
pub const MIN_CLIENT_VERSION: &str = "min-client-version";
/// `session-idle-timeout`.
pub const SESSION_IDLE_TIMEOUT: &str = "session-idle-timeout";
/// `organization`.
pub const ORGANIZATION: &str = "organization";
/// `domain`.
pub const DOMAIN: &str = "domain";
/// `public-folders`.
pub const PUBLIC_FOLDERS: &str = "public-folders";

/// Every known setting.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: MAX_SESSIONS_PER_USER,
        default: "32",
        help: "sessions one user may hold at once; the next logon gets MAPI_E_SESSION_LIMIT (integer ≥ 1)",
        check: check_positive_u32,
    },
    Setting {
        key: MIN_CLIENT_VERSION,
        default: "0.0.0.0",
        help: "oldest client version (A.B.C.D) the server accepts; older clients get ecClientVerDisallowed",
        check: check_version,
    },
    Setting {
        key: SESSION_IDLE_TIMEOUT,
        default: "900",
        help: "seconds after which an idle session context is dropped (integer ≥ 1)",
        check: check_positive_u32,
    },
    Setting {
        key: ORGANIZATION,
        default: "oxmapi",
        help: "organization name used in new users' legacy DNs (/o=ORGANIZATION/...)",
        check: check_organization,
    },
    Setting {
        key: DOMAIN,
        default: "oxmapi.local",
        help: "mail domain of new users' default SMTP addresses (NAME@DOMAIN)",
        check: check_domain,
    },
    Setting {
        key: PUBLIC_FOLDERS,
        default: "disabled",
        help: "whether the server offers the public folder store (enabled or disabled)",
        check: check_enabled,
    },
];

/// The setting named `key`.
pub fn find(key: &str) -> StoreResult<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key.trim()).ok_or_else(|| {
        StoreError::InvalidParameter(format!("unknown setting {key:?}; known settings: {}", known_keys()))
    })
}

/// The known keys, comma-separated, for messages.
pub fn known_keys() -> String {
    SETTINGS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
}

impl Setting {
    /// Validates `value` for this key and returns the form to store.
    pub fn normalize(&self, value: &str) -> StoreResult<String> {
        (self.check)(value.trim()).map_err(|why| {
            StoreError::InvalidParameter(format!("invalid value {value:?} for {}: {why}", self.key))
        })
    }
}

/// Validates `value` for `key` and returns the form to store.
pub fn normalize(key: &str, value: &str) -> StoreResult<String> {
    find(key)?.normalize(value)
}

fn check_positive_u32(v: &str) -> Result<String, String> {
    match v.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n.to_string()),
        _ => Err(format!("expected a whole number from 1 to {}", u32::MAX)),
    }
}

/// Parses a client version `A.B.C.D` (each part 0–65535), the form MS-OXCRPC 3.1.4.1.3 compares.
pub fn parse_version(v: &str) -> Option<[u16; 4]> {
    let parts: Vec<&str> = v.trim().split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u16; 4];
    for (o, p) in out.iter_mut().zip(&parts) {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    Some(out)
}

fn check_version(v: &str) -> Result<String, String> {
    parse_version(v)
        .map(|p| format!("{}.{}.{}.{}", p[0], p[1], p[2], p[3]))
        .ok_or_else(|| "expected four numbers 0–65535 separated by dots, e.g. 12.0.0.0".into())
}

fn check_organization(v: &str) -> Result<String, String> {
    if v.is_empty() || v.len() > 64 {
        return Err("expected 1 to 64 characters".into());
    }
    if !v.bytes().all(|b| (0x20..0x7F).contains(&b) && b != b'/' && b != b'=') {
        return Err("use printable ASCII without '/' or '=' (it becomes part of legacy DNs)".into());
    }
    Ok(v.to_string())
}

/// Validates a DNS domain name and returns it in lower case.
pub fn check_domain(v: &str) -> Result<String, String> {
    let d = v.to_ascii_lowercase();
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if ok { Ok(d) } else { Err("expected a domain name such as example.com".into()) }
}

fn check_enabled(v: &str) -> Result<String, String> {
    match v.to_ascii_lowercase().as_str() {
        "enabled" | "enable" | "on" | "true" | "yes" => Ok("enabled".into()),
        "disabled" | "disable" | "off" | "false" | "no" => Ok("disabled".into()),
        _ => Err("expected enabled or disabled".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_normalized() {
        for s in SETTINGS {
            assert_eq!(s.normalize(s.default).unwrap(), s.default, "{}", s.key);
        }
    }

    #[test]
    fn validation() {
        assert_eq!(normalize("max-sessions-per-user", " 2 ").unwrap(), "2");
        assert!(normalize("max-sessions-per-user", "0").is_err());
        assert!(normalize("max-sessions-per-user", "-1").is_err());
        assert!(normalize("max-sessions-per-user", "many").is_err());
        assert_eq!(normalize("min-client-version", "11.0.0.0").unwrap(), "11.0.0.0");
        assert_eq!(normalize("min-client-version", "012.0.4518.1014").unwrap(), "12.0.4518.1014");
        assert!(normalize("min-client-version", "11.0.0").is_err());
        assert!(normalize("min-client-version", "11.0.0.70000").is_err());
        assert!(normalize("min-client-version", "11.0.0.+1").is_err());
        assert_eq!(normalize("domain", "Example.COM").unwrap(), "example.com");
        assert!(normalize("domain", "exa mple.com").is_err());
        assert!(normalize("domain", "a..b").is_err());
        assert!(normalize("organization", "A/B").is_err());
        assert_eq!(normalize("public-folders", "Enabled").unwrap(), "enabled");
        assert_eq!(normalize("public-folders", "off").unwrap(), "disabled");
        assert!(normalize("public-folders", "maybe").is_err());
        assert_eq!(normalize("session-idle-timeout", "60").unwrap(), "60");
        let e = normalize("no-such-key", "1").unwrap_err().to_string();
        assert!(e.contains("max-sessions-per-user") && e.contains("public-folders"), "{e}");
        assert_eq!(parse_version("15.0.847.32"), Some([15, 0, 847, 32]));
    }
}
