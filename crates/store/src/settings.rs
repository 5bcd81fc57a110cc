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
/// `max-notification-waits-per-session`.
pub const MAX_NOTIFICATION_WAITS: &str = "max-notification-waits-per-session";
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
/// `max-submit-message-size-kb` (PidTagMaximumSubmitMessageSize, MS-OXCSTOR 2.2.2.1.1.2).
pub const MAX_SUBMIT_MESSAGE_SIZE_KB: &str = "max-submit-message-size-kb";
/// `prohibit-send-quota-kb` (PidTagProhibitSendQuota, MS-OXCSTOR 2.2.2.1.1.4).
pub const PROHIBIT_SEND_QUOTA_KB: &str = "prohibit-send-quota-kb";
/// `prohibit-receive-quota-kb` (PidTagProhibitReceiveQuota, MS-OXCSTOR 2.2.2.1.1.3).
pub const PROHIBIT_RECEIVE_QUOTA_KB: &str = "prohibit-receive-quota-kb";
/// `extended-rule-size-limit` (PidTagExtendedRuleSizeLimit, MS-OXCSTOR 2.2.2.1.1.1).
pub const EXTENDED_RULE_SIZE_LIMIT: &str = "extended-rule-size-limit";

/// `max-delivery-retry-time`: how long delivery keeps retrying a recipient that cannot take a
/// message now (a disabled mailbox) before the sender gets a non-delivery report, when the
/// message names no earlier PR_LATEST_DELIVERY_TIME / PR_EXPIRY_TIME.
pub const MAX_DELIVERY_RETRY_TIME: &str = "max-delivery-retry-time";

/// The value of a size limit setting that means "no limit".
pub const UNLIMITED: &str = "unlimited";

/// Every known setting.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: MAX_SESSIONS_PER_USER,
        default: "32",
        help: "sessions one user may hold at once; the next logon gets MAPI_E_SESSION_LIMIT (integer ≥ 1)",
        check: check_positive_u32,
    },
    Setting {
        key: MAX_NOTIFICATION_WAITS,
        default: "1",
        help: "NotificationWait requests one session context may hold at once; one more completes at \
               once with ErrorCode ecRejected (0x000007EE) and no event pending (integer ≥ 1)",
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
    // The four mailbox limits default to Exchange's: an organisation's MaxSendSize of 10 MB; a
    // mailbox database's ProhibitSendQuota of 2 GB and ProhibitSendReceiveQuota of 2.3 GB
    // (Exchange 2016/2019); a mailbox's RulesQuota of 64 KB (Exchange 2010 SDK,
    // Mailbox.RulesQuota: "The default is 64 KB").
    Setting {
        key: MAX_SUBMIT_MESSAGE_SIZE_KB,
        default: "10240",
        help: "largest message, in KiB, a user may submit; a larger one gets ecMaxSubmissionExceeded \
               (PidTagMaximumSubmitMessageSize; whole number or unlimited)",
        check: check_limit,
    },
    Setting {
        key: PROHIBIT_SEND_QUOTA_KB,
        default: "2097152",
        help: "mailbox size, in KiB, from which its user can no longer submit messages \
               (ecQuotaExceeded; PidTagProhibitSendQuota; whole number or unlimited)",
        check: check_limit,
    },
    Setting {
        key: PROHIBIT_RECEIVE_QUOTA_KB,
        default: "2411724",
        help: "mailbox size, in KiB, from which delivery to it fails with a non-delivery report \
               (PidTagProhibitReceiveQuota; whole number or unlimited)",
        check: check_limit,
    },
    // Exchange's transport gives up on a message after its MessageExpirationTimeout, 2 days by
    // default; the issue asks for 1 day here.
    Setting {
        key: MAX_DELIVERY_RETRY_TIME,
        default: "86400",
        help: "seconds (or N followed by s, m, h or d) delivery keeps retrying a recipient that \
               cannot take a message now (a disabled mailbox) before the sender gets a non-delivery \
               report; a message's PR_LATEST_DELIVERY_TIME or PR_EXPIRY_TIME ends it sooner",
        check: check_duration,
    },
    Setting {
        key: EXTENDED_RULE_SIZE_LIMIT,
        default: "65536",
        help: "largest extended rule, in bytes, a user may store (PidTagExtendedRuleSizeLimit; \
               whole number or unlimited)",
        check: check_limit,
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

/// A duration: whole seconds, or a whole number followed by `s`, `m`, `h` or `d`; stored in
/// seconds (at least 1).
fn check_duration(v: &str) -> Result<String, String> {
    let v = v.trim();
    let (n, unit) = match v.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&v[..i], c.to_ascii_lowercase()),
        _ => (v, 's'),
    };
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => 0,
    };
    match n.parse::<u64>().ok().and_then(|n| n.checked_mul(per)) {
        Some(secs) if secs >= 1 && per > 0 => Ok(secs.to_string()),
        _ => Err("expected a whole number of seconds ≥ 1, or N followed by s, m, h or d (30m, 1d)".into()),
    }
}

/// A size limit: a whole number from 0 to 2147483647 (it is announced as a PtypInteger32), or
/// `unlimited`.
fn check_limit(v: &str) -> Result<String, String> {
    if v.eq_ignore_ascii_case(UNLIMITED) || v == "-1" {
        return Ok(UNLIMITED.into());
    }
    match v.parse::<u32>() {
        Ok(n) if n <= i32::MAX as u32 => Ok(n.to_string()),
        _ => Err(format!("expected a whole number from 0 to {} or {UNLIMITED}", i32::MAX)),
    }
}

/// Parses a size limit setting as it is stored: `Some(Some(n))`, `Some(None)` for unlimited,
/// `None` when invalid.
pub fn parse_limit(v: &str) -> Option<Option<u32>> {
    match check_limit(v.trim()).ok()?.as_str() {
        UNLIMITED => Some(None),
        n => n.parse().ok().map(Some),
    }
}

/// The size limits a mailbox announces on its logon (MS-OXCSTOR 2.2.2.1.1) and the server
/// enforces; `None` is no limit. Read from the settings with [`crate::Directory::mailbox_limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailboxLimits {
    /// `max-submit-message-size-kb`, KiB.
    pub max_submit_kb: Option<u32>,
    /// `prohibit-send-quota-kb`, KiB.
    pub send_quota_kb: Option<u32>,
    /// `prohibit-receive-quota-kb`, KiB.
    pub receive_quota_kb: Option<u32>,
    /// `extended-rule-size-limit`, bytes.
    pub extended_rule_size: Option<u32>,
    /// The warning level, KiB (PidTagStorageQuotaLimit; only set per user, `oxmapi admin user
    /// quota NAME --storage SIZE`).
    pub storage_warning_kb: Option<u32>,
}

impl Default for MailboxLimits {
    /// The defaults of [`SETTINGS`].
    fn default() -> MailboxLimits {
        let default =
            |key: &str| SETTINGS.iter().find(|s| s.key == key).and_then(|s| parse_limit(s.default)).flatten();
        MailboxLimits {
            max_submit_kb: default(MAX_SUBMIT_MESSAGE_SIZE_KB),
            send_quota_kb: default(PROHIBIT_SEND_QUOTA_KB),
            receive_quota_kb: default(PROHIBIT_RECEIVE_QUOTA_KB),
            extended_rule_size: default(EXTENDED_RULE_SIZE_LIMIT),
            storage_warning_kb: None,
        }
    }
}

impl MailboxLimits {
    /// No limit at all.
    pub const UNLIMITED: MailboxLimits = MailboxLimits {
        max_submit_kb: None,
        send_quota_kb: None,
        receive_quota_kb: None,
        extended_rule_size: None,
        storage_warning_kb: None,
    };

    /// A limit as its PtypInteger32 property value: -1 for no limit (MS-OXCSTOR 2.2.2.1.1.3:
    /// "An unset value or a value of -1 indicates that there is no limit").
    pub fn property_value(limit: Option<u32>) -> i32 {
        limit.map_or(-1, |n| n.min(i32::MAX as u32) as i32)
    }

    /// True when a mailbox of `size` bytes is at or over a quota of `quota_kb` KiB (the
    /// comparison gromox's rop_submitmessage makes: quota × 1024 ≤ size).
    pub fn reached(quota_kb: Option<u32>, size: u64) -> bool {
        quota_kb.is_some_and(|q| u64::from(q) * 1024 <= size)
    }

    /// True when a message of `size` bytes is larger than a limit of `limit_kb` KiB.
    pub fn exceeds(limit_kb: Option<u32>, size: u64) -> bool {
        limit_kb.is_some_and(|l| size > u64::from(l) * 1024)
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
        assert_eq!(normalize("prohibit-send-quota-kb", " 100 ").unwrap(), "100");
        assert_eq!(normalize("prohibit-send-quota-kb", "Unlimited").unwrap(), "unlimited");
        assert_eq!(normalize("prohibit-send-quota-kb", "-1").unwrap(), "unlimited");
        assert_eq!(normalize("max-submit-message-size-kb", "0").unwrap(), "0");
        assert!(normalize("max-submit-message-size-kb", "2147483648").is_err());
        assert!(normalize("extended-rule-size-limit", "64K").is_err());
    }

    /// Exchange's defaults: MaxSendSize 10 MB, ProhibitSendQuota 2 GB, ProhibitSendReceiveQuota
    /// 2.3 GB (2.3 × 1048576 KiB, as Exchange rounds it: 2411724), RulesQuota 64 KB (Exchange
    /// 2010 SDK, Mailbox.RulesQuota).
    #[test]
    fn limit_defaults_are_exchanges() {
        let d = MailboxLimits::default();
        assert_eq!(d.max_submit_kb, Some(10 * 1024));
        assert_eq!(d.send_quota_kb, Some(2 * 1024 * 1024));
        assert_eq!(d.receive_quota_kb, Some(2_411_724));
        assert_eq!(d.extended_rule_size, Some(64 * 1024));
        assert_eq!(MailboxLimits::property_value(None), -1);
        assert!(MailboxLimits::reached(Some(1), 1024));
        assert!(!MailboxLimits::reached(Some(1), 1023));
        assert!(!MailboxLimits::reached(None, u64::MAX));
        assert!(MailboxLimits::exceeds(Some(1), 1025));
        assert!(!MailboxLimits::exceeds(Some(1), 1024));
    }
}
