//! The `profile` check: the profile exists, its MSEMS service has what a logon needs (the
//! server URL in PR_PROFILE_HOME_SERVER, the user in PR_PROFILE_AUTH_USER_W), the Connect flags
//! of the global section (PR_PROFILE_CONNECT_FLAGS, protocol-facts §6.2) decoded, the client
//! version and the password to use.

use std::io::IsTerminal;

use oxmapi_client::LogonUi;
use oxmapi_client::profile::ProfileStore;
use oxmapi_client::profile::msems::{MSEMS, check_server_url};
use oxmapi_client::session::parse_version;
use oxmapi_client::transport::{Credentials, Origin, TlsOptions};
use oxmapi_core::consts::connect_flags::{CONNECT_IGNORE_NO_PF, NAMES as CONNECT_FLAG_NAMES};
use oxmapi_core::consts::flag_names;
use oxmapi_core::error::codes;

use super::{Check, Context};
use crate::session_cmd::{LogonArgs, read_password};
use crate::terminal_ui::TerminalUi;

const NAME: &str = "profile";
/// Below this major version a server without public folders refuses Connect unless
/// CONNECT_IGNORE_NO_PF is set (protocol-facts §2.7; the server's `NO_PF_MIN_CLIENT`).
const NO_PF_MIN_MAJOR: u16 = 12;

/// `0x00008002 (CONNECT_IGNORE_NO_PF, 0x2)`, or `0 (none)`.
pub fn connect_flags_text(flags: u32) -> String {
    if flags == 0 {
        return "0 (none)".to_string();
    }
    format!("0x{flags:08X} ({})", flag_names(flags, CONNECT_FLAG_NAMES).join(", "))
}

/// The command that sets CONNECT_IGNORE_NO_PF in profile `name`.
pub fn ignore_no_pf_command(name: &str) -> String {
    format!("oxmapi profile set {name} --section global PR_PROFILE_CONNECT_FLAGS --or 0x8000")
}

/// `A.B.C.D`.
pub fn version_text(v: [u16; 4]) -> String {
    format!("{}.{}.{}.{}", v[0], v[1], v[2], v[3])
}

/// The `profile` check; fills the context's profile, server, credentials and TLS trust.
pub fn check(ctx: &mut Context, args: &LogonArgs<'_>) -> Check {
    let store = match ProfileStore::open_default() {
        Ok(s) => s,
        Err(e) => {
            return Check::fail(
                NAME,
                e.code,
                format!("the profile store cannot be read: {}", e.message),
                "check OXMAPI_HOME and the permissions of the client home directory",
            );
        }
    };
    let name = match args.profile.map(str::to_string).or_else(|| store.default_profile().ok().flatten()) {
        Some(n) => n,
        None => {
            return Check::fail(
                NAME,
                codes::MAPI_E_NOT_FOUND,
                "no profile was named (--profile) and there is no default profile",
                "create one: `oxmapi profile create NAME --server URL --user USER --default`, or name one with \
                 --profile NAME (`oxmapi profile list` lists them)",
            );
        }
    };
    ctx.profile_name = Some(name.clone());
    let profile = match store.get(&name) {
        Ok(p) => p,
        Err(e) => {
            return Check::fail(
                NAME,
                e.code,
                e.message,
                format!(
                    "create it: `oxmapi profile create {name} --server URL --user USER`, or name another with \
                     --profile (`oxmapi profile list` lists them)"
                ),
            );
        }
    };
    ctx.profile = Some(profile.clone());
    if profile.service(MSEMS.name).is_none() {
        let psts = profile.pst_stores().len();
        if psts > 0 {
            return Check::ok(
                NAME,
                format!(
                    "{name}: {psts} Personal Folders store(s) and no Exchange (MSEMS) service: nothing on the network to check"
                ),
            );
        }
        return Check::fail(
            NAME,
            codes::MAPI_E_UNCONFIGURED,
            format!("{name}: the profile has no Microsoft Exchange (MSEMS) message service"),
            format!(
                "recreate it with the service: `oxmapi profile delete {name}` then `oxmapi profile create {name} --server URL --user USER`"
            ),
        );
    }
    if let Err(missing) = profile.is_configured() {
        return Check::fail(
            NAME,
            codes::MAPI_E_UNCONFIGURED,
            format!("{name}: the MSEMS service lacks {}", missing.join(" and ")),
            format!(
                "`oxmapi profile set {name} PR_PROFILE_HOME_SERVER https://mail.example.com` and `oxmapi profile set \
                 {name} PR_PROFILE_AUTH_USER_W USER`"
            ),
        );
    }
    let server = profile.server_url().unwrap_or_default();
    let user = profile.auth_user().unwrap_or_default();
    let (server, origin) = match check_server_url(&server).map(|u| (Origin::of(&u), u)) {
        Ok((Ok(o), u)) => (u, o),
        Ok((Err(e), _)) => {
            let e = e.to_mapi();
            return Check::fail(
                NAME,
                e.code,
                format!("{name}: server URL {server:?}: {}", e.message),
                fix_url(&name),
            );
        }
        Err(e) => {
            return Check::fail(NAME, e.code, format!("{name}: {}", e.message), fix_url(&name));
        }
    };
    ctx.server_url = Some(server.clone());
    ctx.origin = Some(origin);
    ctx.tls =
        TlsOptions { ca_file: profile.tls_ca_file().map(Into::into), pin_sha256: profile.tls_pin_sha256() };
    ctx.connect_flags = profile.connect_flags();
    let version_text_in =
        args.client_version.map(str::to_string).unwrap_or_else(|| profile.client_version_or_default());
    ctx.client_version = match parse_version(&version_text_in) {
        Ok(v) => v,
        Err(e) => {
            return Check::fail(
                NAME,
                e.code,
                e.message,
                format!(
                    "give A.B.C.D with --client-version, or `oxmapi profile set {name} PR_OXMAPI_CLIENT_VERSION 16.0.0.0`"
                ),
            );
        }
    };
    let password = match password(args, &name, &user, &server) {
        Ok(p) => p,
        Err(c) => return *c,
    };
    ctx.credentials = Some(Credentials { user: user.clone(), domain: String::new(), password: password.0 });
    let mut detail = format!(
        "{name}: MSEMS service with server {server}, user {user}; PR_PROFILE_CONNECT_FLAGS {}; client version {}{}; \
         password from {}",
        connect_flags_text(ctx.connect_flags),
        version_text(ctx.client_version),
        if args.client_version.is_some() { " (--client-version)" } else { "" },
        password.1,
    );
    match profile.profile_user() {
        Some(dn) => detail.push_str(&format!("; legacy DN {dn}")),
        None => detail.push_str("; legacy DN not known yet (Autodiscover tells it at logon)"),
    }
    if ctx.tls.pin_sha256.is_some() {
        detail.push_str("; TLS certificate pinned (PR_OXMAPI_TLS_PIN_SHA256)");
    }
    if let Some(ca) = &ctx.tls.ca_file {
        detail.push_str(&format!("; CA file {}", ca.display()));
    }
    if ctx.client_version[0] < NO_PF_MIN_MAJOR && ctx.connect_flags & CONNECT_IGNORE_NO_PF == 0 {
        return Check::warn(
            NAME,
            format!(
                "{detail}; client version {} is below 12.0 and CONNECT_IGNORE_NO_PF (0x8000) is not set: a server \
                 without public folders refuses Connect",
                version_text(ctx.client_version)
            ),
            format!("`{}`, or report version 16.0.0.0", ignore_no_pf_command(&name)),
        );
    }
    Check::ok(NAME, detail)
}

fn fix_url(name: &str) -> String {
    format!(
        "set the server's MAPI/HTTP URL: `oxmapi profile set {name} PR_PROFILE_HOME_SERVER https://mail.example.com`"
    )
}

/// The password and where it came from: `--password-file`, `OXMAPI_PASSWORD`, or a prompt on
/// a terminal (the logon asks the same way).
fn password(
    args: &LogonArgs<'_>,
    name: &str,
    user: &str,
    server: &str,
) -> Result<(String, &'static str), Box<Check>> {
    match read_password(args) {
        Ok(Some(p)) if args.password_file.is_some() => return Ok((p, "--password-file")),
        Ok(Some(p)) => return Ok((p, "OXMAPI_PASSWORD")),
        Ok(None) => {}
        Err(f) => {
            return Err(Box::new(Check::fail(
                NAME,
                f.error.code,
                f.error.message.clone(),
                f.hint().unwrap_or_else(|| "check the password file".into()),
            )));
        }
    }
    if std::io::stdin().is_terminal()
        && let Some(p) = TerminalUi.password(name, user, server, 1)
    {
        return Ok((p, "the terminal"));
    }
    Err(Box::new(Check::fail(
        NAME,
        codes::MAPI_E_LOGON_FAILED,
        format!("{name}: no password for {user}"),
        "give it with --password-file FILE or in OXMAPI_PASSWORD (or run on a terminal to be asked)",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PR_PROFILE_CONNECT_FLAGS values as edkmdb.h defines them (CONNECT_USE_ADMIN_PRIVILEGE 0x1,
    /// CONNECT_NO_RPC_ENCRYPTION 0x2) and CONNECT_IGNORE_NO_PF 0x8000 (MS-OXCRPC 3.1.4.1);
    /// unnamed bits stay in hex.
    #[test]
    fn connect_flags_are_decoded() {
        assert_eq!(connect_flags_text(0), "0 (none)");
        assert_eq!(connect_flags_text(0x8000), "0x00008000 (CONNECT_IGNORE_NO_PF)");
        assert_eq!(
            connect_flags_text(0x1_8003),
            "0x00018003 (CONNECT_USE_ADMIN_PRIVILEGE, CONNECT_NO_RPC_ENCRYPTION, CONNECT_IGNORE_NO_PF, 0x10000)"
        );
        assert_eq!(
            ignore_no_pf_command("work"),
            "oxmapi profile set work --section global PR_PROFILE_CONNECT_FLAGS --or 0x8000"
        );
    }
}
