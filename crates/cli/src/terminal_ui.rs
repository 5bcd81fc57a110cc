//! The logon UI on a terminal (MAPI_LOGON_UI for the CLI): password prompts without echo,
//! profile choice and service configuration read from stdin, reports on stderr.

use std::io::{BufRead, Write};

use oxmapi_client::LogonUi;

/// Prompts on the controlling terminal.
pub struct TerminalUi;

fn read_line(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut s = String::new();
    std::io::stdin().lock().read_line(&mut s).ok()?;
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

impl LogonUi for TerminalUi {
    fn choose_profile(&self, profiles: &[String]) -> Option<String> {
        eprintln!("profiles: {}", profiles.join(", "));
        read_line("profile: ")
    }

    fn password(&self, _profile: &str, user: &str, server: &str, attempt: u32) -> Option<String> {
        let again = if attempt > 1 { " (again)" } else { "" };
        rpassword::prompt_password(format!("password for {user} at {server}{again}: ")).ok()
    }

    fn configure(&self, profile: &str, service: &str, missing: &[&str]) -> Option<(String, String)> {
        eprintln!("profile {profile}: the {service} service needs {}", missing.join(" and "));
        let url = read_line("server URL: ")?;
        let user = read_line("user: ")?;
        Some((url, user))
    }

    fn report(&self, message: &str) {
        eprintln!("note: {message}");
    }
}
