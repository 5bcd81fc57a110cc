//! The logon UI callback (MAPILogonEx with MAPI_LOGON_UI / MAPI_PASSWORD_UI): how a session asks
//! its user for a profile, a password or missing service configuration. The CLI implements it on
//! a terminal; services pass no UI and get MAPI_E_UNCONFIGURED / MAPI_E_LOGON_FAILED instead.

/// Prompts a logon may show. Every method may decline by returning `None` (the user cancelled),
/// which fails the logon with MAPI_E_USER_CANCEL.
pub trait LogonUi: Send + Sync {
    /// Choose a profile when none was named and there is no default.
    fn choose_profile(&self, profiles: &[String]) -> Option<String>;
    /// The password of `user` for `server`; `attempt` is 1 for the first prompt, 2 for the
    /// retry after a refusal.
    fn password(&self, profile: &str, user: &str, server: &str, attempt: u32) -> Option<String>;
    /// Values for what a message service still lacks (`missing` names them, e.g. "server URL",
    /// "user"); returns `(server_url, user)` as entered.
    fn configure(&self, profile: &str, service: &str, missing: &[&str]) -> Option<(String, String)>;
    /// A provider logon failed and will be retried (or the service is now disabled).
    fn report(&self, message: &str);
}
