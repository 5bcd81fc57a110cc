//! The editor's MAPI session (MAPILogonEx, as `oxmapi logon` does it, without the terminal
//! prompts: the editor asks for the password on its own input line) and the notifications of
//! `w` (IMsgStore::Advise, MS-OXCNOTIF), shown in the bottom pane.

use std::path::PathBuf;
use std::time::Duration;

use oxmapi_client::notify::{Notification, NotificationStream};
use oxmapi_client::session::Session;

use crate::failure::Failure;
use crate::session_cmd::{LogonArgs, logon_with, read_password};

/// Notifications kept for the bottom pane.
pub const MAX_EVENTS: usize = 200;

/// The global options of the command line that matter to a logon.
#[derive(Clone, Debug, Default)]
pub struct LogonSettings {
    /// `--password-file`.
    pub password_file: Option<PathBuf>,
    /// `--client-version`.
    pub client_version: Option<String>,
    /// `--new-session`.
    pub new_session: bool,
    /// `--trust-autodiscover-origin`.
    pub trust_autodiscover_origin: bool,
    /// `--request-timeout`.
    pub request_timeout: Option<Duration>,
    /// `--mailbox`: the mailbox `o` proposes.
    pub mailbox: Option<String>,
}

impl LogonSettings {
    /// The logon arguments for `profile`.
    pub fn args<'a>(&'a self, profile: &'a str) -> LogonArgs<'a> {
        LogonArgs {
            profile: Some(profile),
            password_file: self.password_file.as_deref(),
            client_version: self.client_version.as_deref(),
            new_session: self.new_session,
            mailbox: None,
            trust_autodiscover_origin: self.trust_autodiscover_origin,
            request_timeout: self.request_timeout,
            public: false,
            store: None,
        }
    }

    /// The password `--password-file` or `OXMAPI_PASSWORD` gives, if any (an empty
    /// OXMAPI_PASSWORD counts as none: the editor asks).
    pub fn known_password(&self, profile: &str) -> Result<Option<String>, Failure> {
        let pw = read_password(&self.args(profile))?;
        Ok(pw.filter(|p| !p.is_empty() || self.password_file.is_some()))
    }
}

/// A logged-on session and the subscription of `w`.
pub struct Online {
    /// The session.
    pub session: Session,
    /// The profile it logged on with.
    pub profile: String,
    /// What `w` watches (its label) and the stream.
    watch: Option<(String, NotificationStream)>,
}

impl Online {
    /// MAPILogonEx with `profile` and `password`, no UI.
    pub fn logon(
        settings: &LogonSettings,
        profile: &str,
        password: Option<String>,
    ) -> Result<Online, Failure> {
        let session = logon_with(&settings.args(profile), password, None)?;
        if let Some(e) = crate::session_cmd::store_logon_failure(&session) {
            let _ = session.logoff();
            return Err(e.into());
        }
        Ok(Online { session, profile: profile.to_string(), watch: None })
    }

    /// Starts watching (replacing an earlier watch).
    pub fn watch(&mut self, label: String, stream: NotificationStream) {
        self.watch = Some((label, stream));
    }

    /// Stops watching; returns what was watched.
    pub fn unwatch(&mut self) -> Option<String> {
        self.watch.take().map(|(l, _)| l)
    }

    /// What is watched.
    pub fn watching(&self) -> Option<&str> {
        self.watch.as_ref().map(|(l, _)| l.as_str())
    }

    /// The notifications that arrived since the last call, as lines.
    pub fn poll_events(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        let Some((label, stream)) = self.watch.as_mut() else { return out };
        while let Some(n) = stream.try_recv() {
            out.push(event_line(label, &n));
        }
        if stream.is_closed() {
            out.push(format!("{label}: the subscription ended"));
            self.watch = None;
        }
        out
    }
}

impl Drop for Online {
    fn drop(&mut self) {
        self.watch = None;
        let _ = self.session.logoff();
    }
}

/// One notification as a line of the bottom pane: the time, the folder watched, the event
/// (MS-OXCNOTIF 2.2.1.4.1.2 names) and its fields as `oxmapi watch` prints them.
fn event_line(label: &str, n: &Notification) -> String {
    let fields = crate::output::to_json(&crate::mailbox::describe_notification(n));
    let now = oxmapi_core::time::FileTime::now().to_rfc3339();
    let time = now.get(11..19).unwrap_or(&now).to_string();
    format!("{time} {label}: {fields}")
}
