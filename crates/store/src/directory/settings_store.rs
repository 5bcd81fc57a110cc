//! Settings in the directory: stored values, effective values (default when unset) and typed
//! getters. The keys, defaults and validation are in [`crate::settings`].

use std::time::Duration;

use crate::db::{OptionalExt, params};

use super::Directory;
use crate::error::{StoreError, StoreResult};
use crate::settings::{self, MailboxLimits, Setting};

impl Directory {
    /// The stored value of a known setting, `None` when unset (the default applies). Unknown
    /// keys are InvalidParameter.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        let s = settings::find(key)?;
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([s.key], |r| r.get(0))
            .optional()?)
    }

    /// The effective value of a known setting: the stored value, else the default.
    pub fn effective_setting(&self, key: &str) -> StoreResult<String> {
        let s = settings::find(key)?;
        Ok(self.setting(s.key)?.unwrap_or_else(|| s.default.to_string()))
    }

    /// Validates and stores a setting; the server reads settings when it needs them, so a change
    /// takes effect at the next logon.
    pub fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        let s = settings::find(key)?;
        let v = s.normalize(value)?;
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
            params![s.key, v],
        )?;
        Ok(())
    }

    /// Removes a stored setting so its default applies again.
    pub fn reset_setting(&self, key: &str) -> StoreResult<()> {
        let s = settings::find(key)?;
        self.conn.execute("DELETE FROM settings WHERE key = ?1", [s.key])?;
        Ok(())
    }

    /// Every known setting with its effective value, in table order.
    pub fn settings(&self) -> StoreResult<Vec<(String, String)>> {
        settings::SETTINGS.iter().map(|s| Ok((s.key.to_string(), self.effective_setting(s.key)?))).collect()
    }

    fn typed<T>(&self, key: &str, parse: impl FnOnce(&str) -> Option<T>) -> StoreResult<T> {
        let s: &Setting = settings::find(key)?;
        let v = self.effective_setting(key)?;
        parse(&v).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "stored setting {}={v:?} is invalid; fix it with `oxmapi admin set {} {}`",
                s.key, s.key, s.default
            ))
        })
    }

    /// `max-sessions-per-user` (default 32).
    pub fn max_sessions_per_user(&self) -> StoreResult<u32> {
        self.typed(settings::MAX_SESSIONS_PER_USER, |v| v.parse().ok().filter(|n| *n >= 1))
    }

    /// `max-notification-waits-per-session` (default 1).
    pub fn max_notification_waits(&self) -> StoreResult<u32> {
        self.typed(settings::MAX_NOTIFICATION_WAITS, |v| v.parse().ok().filter(|n| *n >= 1))
    }

    /// `min-client-version` as `[A, B, C, D]` (default 0.0.0.0); compare arrays lexicographically.
    pub fn min_client_version(&self) -> StoreResult<[u16; 4]> {
        self.typed(settings::MIN_CLIENT_VERSION, settings::parse_version)
    }

    /// `session-idle-timeout` (default 900 s).
    pub fn session_idle_timeout(&self) -> StoreResult<Duration> {
        self.typed(settings::SESSION_IDLE_TIMEOUT, |v| {
            v.parse().ok().filter(|n| *n >= 1).map(Duration::from_secs)
        })
    }

    /// `max-delivery-retry-time` (default 1 day).
    pub fn max_delivery_retry_time(&self) -> StoreResult<Duration> {
        self.typed(settings::MAX_DELIVERY_RETRY_TIME, |v| {
            v.parse().ok().filter(|n| *n >= 1).map(Duration::from_secs)
        })
    }

    /// `organization` (default "oxmapi").
    pub fn organization(&self) -> StoreResult<String> {
        self.effective_setting(settings::ORGANIZATION)
    }

    /// `domain` (default "oxmapi.local").
    pub fn domain(&self) -> StoreResult<String> {
        self.effective_setting(settings::DOMAIN)
    }

    /// `public-folders` (default disabled).
    pub fn public_folders_setting(&self) -> StoreResult<bool> {
        self.typed(settings::PUBLIC_FOLDERS, |v| match v {
            "enabled" => Some(true),
            "disabled" => Some(false),
            _ => None,
        })
    }

    /// The mailbox size limits (`max-submit-message-size-kb`, `prohibit-send-quota-kb`,
    /// `prohibit-receive-quota-kb`, `extended-rule-size-limit`; Exchange's defaults).
    pub fn mailbox_limits(&self) -> StoreResult<MailboxLimits> {
        let limit = |key| self.typed(key, settings::parse_limit);
        Ok(MailboxLimits {
            max_submit_kb: limit(settings::MAX_SUBMIT_MESSAGE_SIZE_KB)?,
            send_quota_kb: limit(settings::PROHIBIT_SEND_QUOTA_KB)?,
            receive_quota_kb: limit(settings::PROHIBIT_RECEIVE_QUOTA_KB)?,
            extended_rule_size: limit(settings::EXTENDED_RULE_SIZE_LIMIT)?,
            storage_warning_kb: None,
        })
    }
}
