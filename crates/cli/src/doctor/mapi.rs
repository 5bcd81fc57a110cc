//! The `connect`, `logon` and `address-book` checks, through the client's MAPI session:
//! MAPILogonEx with the profile (the MSEMS provider's Connect, MS-OXCMAPIHTTP 2.2.4.1 — the
//! EcDoConnectEx of MS-OXCRPC 3.1.4.1), OpenMsgStore on the default store (RopLogon,
//! MS-OXCSTOR 2.2.1.1), and the address book provider's NSPI Bind with one ResolveNames of the
//! user's own name (MS-OXNSPI 3.1.4.1.1, 3.1.4.1.17).

use oxmapi_client::LogonOptions;
use oxmapi_client::session::{Mapi, ProviderState, Session, TransportSettings};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::{
    PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_MAILBOX_OWNER_NAME, PR_SMTP_ADDRESS,
};
use oxmapi_core::consts::connect_flags::{CONNECT_IGNORE_NO_PF, CONNECT_USE_ADMIN_PRIVILEGE};
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::error::codes;
use oxmapi_core::value::PropValue;
use oxmapi_wire::cdata::RowValue;

use super::profile::{connect_flags_text, ignore_no_pf_command, version_text};
use super::{Check, Context, ms};
use crate::session_cmd::LogonArgs;

/// The MSEMS provider of the user's own mailbox, whose logon is the Connect.
const PRIVATE_STORE_PROVIDER: &str = "EMS_MDB_private";

/// MAPILogonEx as the CLI does it, on a new session, without UI (the password is known).
pub fn logon(mapi: &Mapi, ctx: &Context, args: &LogonArgs<'_>) -> Result<Session, MapiError> {
    let flags = MAPI_EXTENDED | MAPI_UNICODE | MAPI_NO_MAIL | MAPI_NEW_SESSION | MAPI_EXPLICIT_PROFILE;
    let options = LogonOptions {
        password: ctx.credentials.as_ref().map(|c| c.password.clone()),
        client_version: args.client_version.map(Into::into),
    };
    mapi.logon_ex(None, ctx.profile_name.as_deref(), flags, &options)
}

/// `connect`: logs on; the store provider's logon is the Connect.
pub fn connect(ctx: &mut Context, args: &LogonArgs<'_>) -> Check {
    let mut settings =
        TransportSettings { trust_autodiscover_origin: args.trust_autodiscover_origin, ..Default::default() };
    if let Some(t) = args.request_timeout {
        settings.request_timeout = t;
    }
    let mapi = match Mapi::initialize() {
        Ok(m) => m.with_settings(settings),
        Err(e) => {
            return Check::fail("connect", e.code, e.message.clone(), "check the client home (OXMAPI_HOME)");
        }
    };
    let session = match logon(&mapi, ctx, args) {
        Ok(s) => s,
        Err(e) => return refused(ctx, &e),
    };
    ctx.mapi = Some(mapi);
    let failed = session.status_table().into_iter().find_map(|r| match r.state {
        ProviderState::Disabled(e) if r.provider_name == PRIVATE_STORE_PROVIDER => Some(e),
        _ => None,
    });
    ctx.session = Some(session.clone());
    if let Some(e) = failed {
        return refused(ctx, &e);
    }
    let sent = format!(
        "client version {} sent with PR_PROFILE_CONNECT_FLAGS {}",
        version_text(session.client_version()),
        connect_flags_text(session.connect_flags())
    );
    let who = session.identity().map(|(name, dn)| format!("{name} ({dn})")).unwrap_or_default();
    let Some(info) = session.connection_info() else {
        return Check::ok("connect", format!("{sent}; logged on as {who}"));
    };
    let server = info.server_application.unwrap_or_else(|| "no X-ServerApplication".into());
    let scheme = info.auth_scheme.map(|s| format!(", authenticated with {s}")).unwrap_or_default();
    let idle = info
        .expiration_ms
        .map(|e| format!(", idle contexts expire after {} s", e / 1000))
        .unwrap_or_default();
    Check::ok(
        "connect",
        format!(
            "EcDoConnect at {}: {sent}; server {server}; logged on as {who}; public folders {}{scheme}{idle}",
            info.mailstore_url,
            if info.public_folders { "present" } else { "absent" },
        ),
    )
}

/// The check for a refused logon, with what to do for the Connect errors of protocol-facts
/// §2.6–2.8.
fn refused(ctx: &Context, e: &MapiError) -> Check {
    let name = ctx.name();
    let v = ctx.client_version;
    let flags = ctx.connect_flags;
    let fix = match e.code {
        codes::EC_CLIENT_VER_DISALLOWED if v[0] < 12 && flags & CONNECT_IGNORE_NO_PF == 0 => {
            let detail = format!(
                "EcDoConnect refused with ecClientVerDisallowed: client version {} is below 12.0 and \
                 CONNECT_IGNORE_NO_PF (0x8000) is not in PR_PROFILE_CONNECT_FLAGS ({}); a server without public \
                 folders refuses such a client (if the server has public folders, its min-client-version is above \
                 {0})",
                version_text(v),
                connect_flags_text(flags)
            );
            let fix = format!(
                "set CONNECT_IGNORE_NO_PF: `{}`; or report version 12.0 or later (--client-version 16.0.0.0, or \
                 `oxmapi profile set {name} PR_OXMAPI_CLIENT_VERSION 16.0.0.0`)",
                ignore_no_pf_command(name)
            );
            return Check::fail("connect", e.code, detail, fix);
        }
        codes::EC_CLIENT_VER_DISALLOWED => format!(
            "the server's min-client-version is above {}: report a newer version (--client-version, or `oxmapi \
             profile set {name} PR_OXMAPI_CLIENT_VERSION 16.0.0.0`), or lower the setting on the server (`oxmapi \
             admin set min-client-version …`)",
            version_text(v)
        ),
        codes::MAPI_E_SESSION_LIMIT => {
            let user = ctx.credentials.as_ref().map_or("USER", |c| c.user.as_str()).to_string();
            format!(
                "end sessions of {user} that are no longer used (`oxmapi admin sessions ls`, `oxmapi admin sessions \
                 kill {user}` on the server), or raise the limit (`oxmapi admin set max-sessions-per-user N`)"
            )
        }
        codes::EC_LOGIN_PERM if flags & CONNECT_USE_ADMIN_PRIVILEGE != 0 => format!(
            "clear CONNECT_USE_ADMIN_PRIVILEGE: `oxmapi profile set {name} --section global PR_PROFILE_CONNECT_FLAGS \
             --clear 0x1`"
        ),
        codes::EC_UNKNOWN_USER | codes::MAPI_E_NO_ACCESS if e.message.contains("legacy DN") => {
            match &ctx.discovered_dn {
                Some(dn) => format!(
                    "set the legacy DN Autodiscover returned: `oxmapi profile set {name} PR_PROFILE_USER \"{dn}\"`"
                ),
                None => format!("correct PR_PROFILE_USER in the profile (`oxmapi profile show {name}`)"),
            }
        }
        codes::MAPI_E_LOGON_FAILED => format!(
            "check the password and the user name (`oxmapi profile set {name} PR_PROFILE_AUTH_USER_W USER`); the \
             account may be disabled or have no mailbox (`oxmapi admin user …` on the server)"
        ),
        codes::MAPI_E_NO_ACCESS | codes::MAPI_E_NETWORK_ERROR if ctx.stale_fix.is_some() => {
            ctx.stale_fix.clone().unwrap_or_default()
        }
        codes::MAPI_E_NETWORK_ERROR | codes::MAPI_E_TIMEOUT => {
            "see the tcp, tls and authentication checks; the server may be overloaded".to_string()
        }
        _ => e
            .advice()
            .map_or_else(|| format!("`oxmapi error 0x{:08X}` explains the code", e.code.0), str::to_string),
    };
    Check::fail("connect", e.code, e.message.clone(), fix)
}

fn text(v: Option<&RowValue>) -> Option<String> {
    match v {
        Some(RowValue::Value(PropValue::Unicode(s))) => Some(s.clone()),
        Some(RowValue::Value(PropValue::String8(b))) => Some(oxmapi_core::text::decode_cp1252(b)),
        _ => None,
    }
}

/// `logon`: OpenMsgStore on the default store (RopLogon) and its display name.
pub fn store_logon(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(s) = ctx.session.clone() else {
        return Check::blocked("logon", "no session");
    };
    let Some(row) = s.msg_stores_table().into_iter().find(|r| r.default_store) else {
        return Check::fail(
            "logon",
            codes::MAPI_E_NOT_FOUND,
            "the message store table has no default store",
            format!(
                "the profile lacks the mailbox store provider: recreate it (`oxmapi profile create {} …`)",
                ctx.name()
            ),
        );
    };
    let started = std::time::Instant::now();
    let store = match s.open_msg_store(&row.entry_id) {
        Ok(st) => st,
        Err(e) => {
            let fix = e.advice().unwrap_or("see the connect check").to_string();
            return Check::fail(
                "logon",
                e.code,
                format!("RopLogon on {:?}: {}", row.display_name, e.message),
                fix,
            );
        }
    };
    let took = ms(started.elapsed());
    let vals = store.get_props(&[PR_DISPLAY_NAME, PR_MAILBOX_OWNER_NAME]).unwrap_or_default();
    let display = text(vals.first()).unwrap_or(row.display_name);
    let owner = text(vals.get(1)).map(|o| format!(", owner {o}")).unwrap_or_default();
    let guid = store.mailbox_guid().map(|g| format!(", mailbox GUID {g}")).unwrap_or_default();
    ctx.store = Some(store);
    Check::ok("logon", format!("RopLogon opened the mailbox {display:?}{owner}{guid} in {took}"))
}

/// `address-book`: NSPI Bind, then ResolveNames of the user's own account name.
pub fn address_book(ctx: &mut Context, _args: &LogonArgs<'_>) -> Check {
    let Some(s) = ctx.session.clone() else {
        return Check::blocked(
            "address-book",
            "not checked: the logon did not make a session (see the connect check)",
        );
    };
    let url = s
        .connection_info()
        .and_then(|i| i.addressbook_urls.first().cloned())
        .or_else(|| ctx.endpoints.as_ref().map(|e| e.addressbook.clone()))
        .unwrap_or_default();
    let ab = match s.open_address_book().and_then(|ab| ab.logon().map(|()| ab)) {
        Ok(ab) => ab,
        Err(e) => {
            let fix = e.advice().unwrap_or("see the authentication check").to_string();
            return Check::fail("address-book", e.code, format!("NSPI Bind at {url}: {}", e.message), fix);
        }
    };
    let name = ctx.credentials.as_ref().map(|c| c.user.clone()).unwrap_or_else(|| s.user().to_string());
    let bound = format!("NSPI Bind at {url}");
    match ab.resolve_name(&name, false) {
        Ok(r) => {
            let dn = r.text(PR_EMAIL_ADDRESS).to_string();
            let own = s.identity().map(|(_, d)| d);
            let found = format!(
                "{bound}; ResolveNames {name:?} → {} <{}> ({dn})",
                r.text(PR_DISPLAY_NAME),
                r.text(PR_SMTP_ADDRESS)
            );
            match own {
                Some(own) if !own.eq_ignore_ascii_case(&dn) && !dn.is_empty() => Check::warn(
                    "address-book",
                    format!("{found}: another entry than the mailbox's owner ({own})"),
                    "the account name resolves to someone else: check the directory's names",
                ),
                _ => Check::ok("address-book", found),
            }
        }
        Err(e) => Check::warn(
            "address-book",
            format!("{bound}; ResolveNames {name:?} failed: {}", e.message),
            "the user's own name should resolve: is the account hidden from the address list?",
        ),
    }
}
