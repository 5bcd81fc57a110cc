//! The directory settings the server applies, read fresh for every Connect so that
//! `oxmapi admin set` takes effect without a restart.

use std::time::Duration;

use oxmapi_store::{Directory, StoreResult};

/// `max-notification-waits-per-session` when the directory cannot be read.
pub const DEFAULT_NOTIFICATION_WAITS: u32 = 1;

/// Typed view of the settings a Connect needs.
pub struct Settings {
    /// `min-client-version`.
    pub min_client_version: [u16; 4],
    /// `max-sessions-per-user`.
    pub max_sessions_per_user: u32,
    /// `session-idle-timeout`.
    pub idle_timeout: Duration,
}

impl Settings {
    /// Reads the settings (defaults where unset).
    pub fn read(dir: &Directory) -> StoreResult<Settings> {
        Ok(Settings {
            min_client_version: dir.min_client_version()?,
            max_sessions_per_user: dir.max_sessions_per_user()?,
            idle_timeout: dir.session_idle_timeout()?,
        })
    }
}
