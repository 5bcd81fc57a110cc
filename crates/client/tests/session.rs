//! MAPILogonEx semantics against the real server on 127.0.0.1 (DESIGN.md §2 item 3): shared
//! versus individual sessions, several users, MAPI_E_UNCONFIGURED, one retry of a failed
//! provider logon then the service disabled (status table, MAPI_E_FAILONEPROVIDER), the connect
//! flags and client version read at logon, reconnect after the server lost the context.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use oxmapi_client::LogonUi;
use oxmapi_client::session::{LogonOptions, Mapi, ProviderState};
use oxmapi_core::consts::logon_flags::*;
use oxmapi_core::error::codes;
use oxmapi_store::NewUser;

mod common;
use common::{RealServer, user};

const PW: &str = "Secret-1";

struct Env {
    real: RealServer,
    mapi: Mapi,
}

impl Env {
    fn new() -> Env {
        let users = ["alice", "bob"]
            .map(|name| NewUser { display_name: Some(format!("{name} display")), ..user(name, PW) });
        let real = RealServer::start(&users, |cfg| cfg.reap_interval = std::time::Duration::from_millis(100));
        let profiles = real.profiles(&[("a", "alice"), ("b", "bob")]);
        profiles.set_default("a").unwrap();
        Env { real, mapi: Mapi::with_profiles(profiles) }
    }

    fn opts(&self) -> LogonOptions {
        LogonOptions { password: Some(PW.into()), client_version: None }
    }

    fn sessions_on_server(&self) -> usize {
        self.real.server().state.sessions.len()
    }
}

#[test]
fn shared_session_is_reused_and_new_session_is_not() {
    let env = Env::new();
    let o = env.opts();
    let s1 = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED, &o).unwrap();
    let s2 = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED, &o).unwrap();
    assert!(s1.same_as(&s2), "without MAPI_NEW_SESSION the shared session is returned");
    assert_eq!(env.sessions_on_server(), 1);
    let s3 = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &o).unwrap();
    assert!(!s1.same_as(&s3));
    assert_eq!(env.sessions_on_server(), 2);
    // A different user in the same process.
    let b = env.mapi.logon_ex(None, Some("b"), MAPI_EXTENDED, &o).unwrap();
    assert_eq!(b.identity().unwrap().0, "bob display");
    assert_eq!(s1.identity().unwrap().0, "alice display");
    assert_eq!(env.sessions_on_server(), 3);
    // The default profile with MAPI_USE_DEFAULT.
    let d = env.mapi.logon_ex(None, None, MAPI_EXTENDED | MAPI_USE_DEFAULT, &o).unwrap();
    assert!(d.same_as(&s1));
    drop((s1, s2, d));
    // The last handle of the shared session logs off; a new logon makes a new session.
    let s4 = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED, &o).unwrap();
    assert!(!s4.same_as(&s3));
}

#[test]
fn unconfigured_profile_without_ui_fails_and_with_ui_is_configured() {
    let env = Env::new();
    env.mapi
        .profiles()
        .create_with("empty", |p| p.add_msems_service(None, Some("alice")).map(|_| ()))
        .unwrap();
    let e = env.mapi.logon_ex(None, Some("empty"), MAPI_EXTENDED, &env.opts()).err().unwrap();
    assert_eq!(e.code, codes::MAPI_E_UNCONFIGURED, "{e}");
    assert!(e.message.contains("server URL"), "{e}");
    // A UI, but without MAPI_LOGON_UI: still no prompts.
    struct Configure(String, AtomicU32);
    impl LogonUi for Configure {
        fn choose_profile(&self, _: &[String]) -> Option<String> {
            None
        }
        fn password(&self, _: &str, _: &str, _: &str, _: u32) -> Option<String> {
            Some(PW.into())
        }
        fn configure(&self, _: &str, _: &str, _: &[&str]) -> Option<(String, String)> {
            self.1.fetch_add(1, Ordering::SeqCst);
            Some((self.0.clone(), "alice".into()))
        }
        fn report(&self, _: &str) {}
    }
    let ui = Configure(env.real.server().url(), AtomicU32::new(0));
    let no_pw = LogonOptions::default();
    let e = env.mapi.logon_ex(Some(&ui), Some("empty"), MAPI_EXTENDED, &no_pw).err().unwrap();
    assert_eq!(e.code, codes::MAPI_E_UNCONFIGURED);
    assert_eq!(ui.1.load(Ordering::SeqCst), 0);
    let s = env.mapi.logon_ex(Some(&ui), Some("empty"), MAPI_EXTENDED | MAPI_LOGON_UI, &no_pw).unwrap();
    assert_eq!(ui.1.load(Ordering::SeqCst), 1);
    assert_eq!(s.identity().unwrap().0, "alice display");
    assert!(env.mapi.profiles().get("empty").unwrap().is_configured().is_ok(), "saved in the profile");
}

#[test]
fn failed_provider_logon_is_retried_once_then_the_service_is_disabled() {
    let env = Env::new();
    struct Prompts(Mutex<Vec<String>>, AtomicU32);
    impl LogonUi for Prompts {
        fn choose_profile(&self, _: &[String]) -> Option<String> {
            None
        }
        fn password(&self, _: &str, _: &str, _: &str, attempt: u32) -> Option<String> {
            self.1.fetch_add(1, Ordering::SeqCst);
            Some(if attempt == 1 { "wrong".into() } else { "still wrong".into() })
        }
        fn configure(&self, _: &str, _: &str, _: &[&str]) -> Option<(String, String)> {
            None
        }
        fn report(&self, m: &str) {
            self.0.lock().unwrap().push(m.to_string());
        }
    }
    let ui = Prompts(Mutex::new(vec![]), AtomicU32::new(0));
    let s = env
        .mapi
        .logon_ex(Some(&ui), Some("a"), MAPI_EXTENDED | MAPI_LOGON_UI, &LogonOptions::default())
        .unwrap();
    assert_eq!(ui.1.load(Ordering::SeqCst), 2, "prompted, then prompted again for the retry");
    let reports = ui.0.lock().unwrap().clone();
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(reports[0].contains("retrying") && reports[1].contains("disabled"), "{reports:?}");
    let status = s.status_table();
    for name in ["EMS_MDB_private", "EMS_MDB_public", "EMS_MSX"] {
        let row = status.iter().find(|r| r.provider_name == name).unwrap();
        assert!(
            matches!(&row.state, ProviderState::Disabled(e) if e.code == codes::MAPI_E_LOGON_FAILED),
            "{row:?}"
        );
    }
    let dsa = status.iter().find(|r| r.provider_name == "EMS_DSA").unwrap();
    assert!(!matches!(dsa.state, ProviderState::Disabled(_)), "the address book logs on on its own");
    // Calls on the disabled providers fail with MAPI_E_FAILONEPROVIDER, naming the cause.
    let row = s.msg_stores_table().into_iter().next().unwrap();
    let e = s.open_msg_store(&row.entry_id).err().unwrap();
    assert_eq!(e.code, codes::MAPI_E_FAILONEPROVIDER);
    assert_eq!(e.cause, Some(codes::MAPI_E_LOGON_FAILED));
    assert_eq!(env.sessions_on_server(), 0);
}

#[test]
fn connect_flags_and_client_version_are_read_at_logon() {
    let env = Env::new();
    let o = LogonOptions { password: Some(PW.into()), client_version: Some("6.5.8353.0".into()) };
    let flags = MAPI_EXTENDED | MAPI_NEW_SESSION;
    // The version gate: refused, surfaced as MAPI_E_FAILONEPROVIDER with the Exchange cause.
    let s = env.mapi.logon_ex(None, Some("a"), flags, &o).unwrap();
    let row = s.msg_stores_table().into_iter().next().unwrap();
    let e = s.open_msg_store(&row.entry_id).err().unwrap();
    assert_eq!((e.code, e.cause), (codes::MAPI_E_FAILONEPROVIDER, Some(codes::EC_CLIENT_VER_DISALLOWED)));
    // Setting CONNECT_IGNORE_NO_PF in the global section takes effect at the next logon only.
    env.mapi
        .profiles()
        .update("a", |p| {
            let g = p.global_section_mut();
            g.set_u32(oxmapi_core::catalogue::tags::PR_PROFILE_CONNECT_FLAGS, 0x8002);
            Ok(())
        })
        .unwrap();
    assert_eq!(s.connect_flags(), 0x2, "a running session keeps what it read");
    let s2 = env.mapi.logon_ex(None, Some("a"), flags, &o).unwrap();
    assert_eq!(s2.connect_flags(), 0x8002);
    let store = s2.open_msg_store(&row.entry_id).unwrap();
    assert!(!store.is_public());
    assert_eq!(s2.client_version(), [6, 5, 8353, 0]);
}

#[test]
fn reconnects_after_the_server_lost_the_context() {
    let env = Env::new();
    let s = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &env.opts()).unwrap();
    let row = s.msg_stores_table().into_iter().next().unwrap();
    let store = s.open_msg_store(&row.entry_id).unwrap();
    let tag = oxmapi_core::tag::PropTag(0x3001_001F);
    assert!(store.get_props(&[tag]).is_ok());
    // The server forgets every context (as after a restart): the next call gets X-ResponseCode
    // 10, reconnects with the old cookies, logs on to the store again and repeats the ROP.
    let state = env.real.server().state.clone();
    assert_eq!(state.sessions.clear(), 1);
    assert!(store.get_props(&[tag]).is_ok());
    assert_eq!(state.sessions.len(), 1, "one new context");
}

#[test]
fn keepalive_pings_hold_the_context() {
    let env = Env::new();
    env.real.data.directory().unwrap().set_setting("session-idle-timeout", "2").unwrap();
    let s = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &env.opts()).unwrap();
    let state = env.real.server().state.clone();
    std::thread::sleep(std::time::Duration::from_millis(4500));
    assert_eq!(state.sessions.len(), 1, "PING at half the expiration kept the context");
    s.logoff().unwrap();
    assert_eq!(state.sessions.len(), 0, "logoff disconnects");
}

mod endpoints {
    //! The endpoint URLs Autodiscover returns are kept in the profile and used at the next
    //! logon (issue 13 item 6; MFCMAPI's PR_PROFILE_MAPIHTTP_* tags, protocol-facts §7.x), an
    //! endpoint that answers 404 sends the client back to Autodiscover, and a server URL that is
    //! already a mailbox endpoint URL (Exchange's published form
    //! `/mapi/emsmdb/?MailboxId=…`, protocol-facts §1.1) works.

    use super::*;
    use oxmapi_core::catalogue::tags::*;

    fn global_text(env: &Env, tag: oxmapi_core::tag::PropTag) -> Option<String> {
        let p = env.mapi.profiles().get("a").unwrap();
        p.sections.values().find_map(|s| s.get_text(tag))
    }

    /// A logon that opens the mailbox and the address book (both endpoints).
    fn full_logon(env: &Env) {
        let s = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &env.opts()).unwrap();
        let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
        s.open_msg_store(&row.entry_id).unwrap();
        let ab = s.open_address_book().unwrap();
        ab.resolve_name("bob", false).unwrap();
    }

    #[test]
    fn autodiscovered_urls_are_kept_in_the_profile_and_used_next_time() {
        let env = Env::new();
        full_logon(&env);
        let ms = global_text(&env, PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL).unwrap();
        assert!(ms.contains("/mapi/emsmdb/?MailboxId="), "{ms}");
        assert!(
            global_text(&env, PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL).unwrap().contains("/mapi/emsmdb/")
        );
        let ab = global_text(&env, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL).unwrap();
        assert!(ab.contains("/mapi/nspi/?MailboxId="), "{ab}");
        assert!(
            global_text(&env, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL).unwrap().contains("/mapi/nspi/")
        );
        let lkg = global_text(&env, PR_PROFILE_LKG_AUTODISCOVER_URL).unwrap();
        assert!(lkg.ends_with("/autodiscover/autodiscover.xml"), "{lkg}");
        // The next logon goes to the kept URLs, not to the server URL: with a server URL that
        // leads nowhere (set behind the profile API's back, which would drop the URLs) it still
        // works — once their origin, no longer the server's, is trusted (issue 14 item 9).
        env.mapi
            .profiles()
            .update("a", |p| {
                p.global_section_mut().set_text(PR_PROFILE_HOME_SERVER, "http://127.0.0.1:1");
                Ok(())
            })
            .unwrap();
        let s = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &env.opts()).unwrap();
        let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
        let e = s.open_msg_store(&row.entry_id).err().expect("an untrusted kept URL is refused");
        assert!(e.message.contains("another server"), "{e}");
        let url = env.real.server().url();
        env.mapi.profiles().update("a", |p| p.add_trusted_origins(std::slice::from_ref(&url))).unwrap();
        full_logon(&env);
        // Setting a new server URL forgets them.
        env.mapi.profiles().update("a", |p| p.configure_msems(Some(&url), None)).unwrap();
        assert_eq!(global_text(&env, PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL), None);
        assert_eq!(global_text(&env, PR_PROFILE_LKG_AUTODISCOVER_URL), None);
    }

    #[test]
    fn an_endpoint_that_answers_404_sends_the_client_back_to_autodiscover() {
        let env = Env::new();
        full_logon(&env);
        let url = env.real.server().url();
        // The kept URLs point where the server has nothing (it answers 404), as after a move.
        let gone = |e: &str| format!("{url}/gone/mapi/{e}/?MailboxId=old@x");
        env.mapi
            .profiles()
            .update("a", |p| {
                let urls = oxmapi_client::transport::MapiHttpUrls {
                    mailstore_internal: Some(gone("emsmdb")),
                    mailstore_external: None,
                    addressbook_internal: Some(gone("nspi")),
                    addressbook_external: None,
                };
                p.set_mapihttp_urls(&urls, "http://old/autodiscover/autodiscover.xml");
                Ok(())
            })
            .unwrap();
        full_logon(&env);
        let ms = global_text(&env, PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL).unwrap();
        assert!(ms.starts_with(&format!("{url}/mapi/emsmdb/?MailboxId=")), "{ms}");
        let ab = global_text(&env, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL).unwrap();
        assert!(ab.starts_with(&format!("{url}/mapi/nspi/?MailboxId=")), "{ab}");
        assert_ne!(
            global_text(&env, PR_PROFILE_LKG_AUTODISCOVER_URL).unwrap(),
            "http://old/autodiscover/autodiscover.xml"
        );
        // Only the address book endpoint gone: the mailbox logon works at the kept URL, the
        // address book asks Autodiscover when it binds.
        env.mapi
            .profiles()
            .update("a", |p| {
                let mut urls = p.mapihttp_urls();
                urls.addressbook_internal = Some(gone("nspi"));
                urls.addressbook_external = None;
                p.set_mapihttp_urls(&urls, "http://old/autodiscover/autodiscover.xml");
                Ok(())
            })
            .unwrap();
        full_logon(&env);
        let ab = global_text(&env, PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL).unwrap();
        assert!(ab.starts_with(&format!("{url}/mapi/nspi/?MailboxId=")), "{ab}");
    }

    #[test]
    fn a_server_url_that_is_a_mailbox_endpoint_url_works() {
        let env = Env::new();
        let url = env.real.server().url();
        let endpoint =
            format!("{url}/mapi/emsmdb/?MailboxId=0b1c2d3e-0000-4000-8000-000000000001@oxmapi.local");
        // Without the legacy DN (Autodiscover is asked at the server, not at the endpoint URL)…
        env.mapi.profiles().update("a", |p| p.configure_msems(Some(&endpoint), None)).unwrap();
        full_logon(&env);
        // …and with it, without any kept URL: both endpoints are derived from the server URL.
        env.mapi
            .profiles()
            .update("a", |p| {
                p.clear_mapihttp_urls();
                Ok(())
            })
            .unwrap();
        assert!(env.mapi.profiles().get("a").unwrap().profile_user().is_some());
        full_logon(&env);
    }
}

/// Logs on to profile `a` with a store context and an address book context bound (a name
/// resolved): two contexts on the server.
fn logged_on_with_both_contexts(env: &Env) -> oxmapi_client::session::Session {
    let s = env.mapi.logon_ex(None, Some("a"), MAPI_EXTENDED | MAPI_NEW_SESSION, &env.opts()).unwrap();
    let ab = s.open_address_book().unwrap();
    ab.resolve_name("bob", false).unwrap();
    assert_eq!(env.sessions_on_server(), 2, "a store context and an address book context");
    s
}

/// Issue 15: Logoff sends EMSMDB Disconnect (MS-OXCMAPIHTTP 2.2.4.3) and NSPI Unbind (2.2.5.2):
/// no context is left on the server, and later calls fail with MAPI_E_END_OF_SESSION.
#[test]
fn logoff_leaves_no_context_on_the_server() {
    let env = Env::new();
    let s = logged_on_with_both_contexts(&env);
    let started = std::time::Instant::now();
    s.logoff().unwrap();
    assert!(started.elapsed() < oxmapi_client::session::LOGOFF_TIMEOUT * 2);
    assert_eq!(env.sessions_on_server(), 0);
    let row = s.msg_stores_table().into_iter().find(|r| r.default_store).unwrap();
    assert_eq!(s.open_msg_store(&row.entry_id).err().map(|e| e.code), Some(codes::MAPI_E_END_OF_SESSION));
}

/// Issue 15: dropping the last reference to a session logs it off too.
#[test]
fn dropping_the_last_reference_leaves_no_context_on_the_server() {
    let env = Env::new();
    let s = logged_on_with_both_contexts(&env);
    let clone = s.clone();
    drop(s);
    assert_eq!(env.sessions_on_server(), 2, "a clone still holds the session");
    drop(clone);
    // The keep-alive thread may hold the session for an instant; it then drops it itself.
    let deadline = std::time::Instant::now() + oxmapi_client::session::LOGOFF_TIMEOUT;
    while env.sessions_on_server() != 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(env.sessions_on_server(), 0);
}
