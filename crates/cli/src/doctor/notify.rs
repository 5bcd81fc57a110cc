//! The `notification` check: a round trip of a push notification. Advise on a temporary folder
//! (RopRegisterNotification, MS-OXCNOTIF 3.1.4.1), a change made in it by a second session (a
//! message created, so fnevObjectCreated, MS-OXCNOTIF 2.2.1.4.1.2), and the time until the
//! notification arrives — through the session's NotificationWait (MS-OXCMAPIHTTP 2.2.4.4) and
//! the Execute that collects it, since the change was not made on this session's context. The
//! folder is deleted afterwards.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxmapi_client::notify::Notification;
use oxmapi_client::store::{Folder, FolderFlags, MsgStore, SaveFlags};
use oxmapi_core::MapiError;
use oxmapi_core::catalogue::tags::PR_SUBJECT;
use oxmapi_core::consts::fnev;
use oxmapi_core::error::codes;
use oxmapi_core::ids::ObjectId;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::{Check, Context, ms};
use crate::session_cmd::LogonArgs;

/// Longest wait for the notification.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(20);
/// The events watched on the temporary folder.
const EVENTS: u32 = fnev::OBJECT_CREATED | fnev::OBJECT_MODIFIED | fnev::NEW_MAIL | fnev::CRITICAL_ERROR;

/// `notification`.
pub fn round_trip(ctx: &mut Context, args: &LogonArgs<'_>) -> Check {
    let Some(store) = ctx.store.take() else { return Check::blocked("notification", "no store") };
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let name = format!("oxmapi doctor {} {stamp}", std::process::id());
    let ipm = match store.ipm_subtree() {
        Ok(f) => f,
        Err(e) => return failed(&e, "opening the IPM subtree"),
    };
    let folder = match ipm.create_folder(&name, Some("made by `oxmapi doctor`; safe to delete"), false) {
        Ok(f) => f,
        Err(e) => return failed(&e, "creating a temporary folder"),
    };
    let fid = folder.id();
    let check = watch_and_change(ctx, args, &store, &folder);
    drop(folder);
    let flags = FolderFlags::DEL_MESSAGES | FolderFlags::DEL_FOLDERS | FolderFlags::DELETE_HARD_DELETE;
    match ipm.delete_folder(fid, flags) {
        Ok(false) => check,
        Ok(true) | Err(_) if check.status == super::Status::Fail => check,
        Ok(true) | Err(_) => Check::warn(
            "notification",
            format!("{}; the temporary folder /{name} could not be deleted", check.detail),
            format!("delete it: `oxmapi rmdir --recursive \"/{name}\"`"),
        ),
    }
}

fn failed(e: &MapiError, what: &str) -> Check {
    Check::fail(
        "notification",
        e.code,
        format!("{what}: {}", e.message),
        e.advice().unwrap_or("see the logon check").to_string(),
    )
}

/// Creates a message in `folder` and returns when it was sent to the server.
fn change(store: &MsgStore, fid: ObjectId) -> Result<Instant, MapiError> {
    let folder = store.open_folder(fid)?;
    let mut m = folder.create_message(false)?;
    m.set_props(&[TaggedValue { tag: PR_SUBJECT, value: PropValue::Unicode("oxmapi doctor".into()) }])?;
    let sent = Instant::now();
    m.save_changes(SaveFlags::KeepOpenReadOnly)?;
    Ok(sent)
}

fn watch_and_change(ctx: &Context, args: &LogonArgs<'_>, store: &MsgStore, folder: &Folder) -> Check {
    let mut stream = match folder.advise_stream(EVENTS) {
        Ok(s) => s,
        Err(e) => return failed(&e, "Advise on the temporary folder"),
    };
    // A second session makes the change, so that the notification has to come through this
    // session's NotificationWait rather than in the answer to its own request.
    let second = ctx.mapi.as_ref().map(|m| super::mapi::logon(m, ctx, args));
    let other = match &second {
        Some(Ok(s)) => {
            s.msg_stores_table().into_iter().find(|r| r.default_store).map(|r| s.open_msg_store(&r.entry_id))
        }
        _ => None,
    };
    let (sent, by, note) = match other {
        Some(Ok(other)) => (change(&other, folder.id()), "a second session", None),
        Some(Err(e)) => (change(store, folder.id()), "this session", Some(e)),
        None => {
            let why = match &second {
                Some(Err(e)) => e.clone(),
                _ => MapiError::new(codes::MAPI_E_NOT_INITIALIZED, "no second session"),
            };
            (change(store, folder.id()), "this session", Some(why))
        }
    };
    let sent = match sent {
        Ok(t) => t,
        Err(e) => return failed(&e, "creating a message in the temporary folder"),
    };
    let arrived = match stream.recv_timeout(NOTIFY_TIMEOUT.saturating_sub(sent.elapsed())) {
        Some(Notification::CriticalError { code, reason }) => {
            return Check::fail(
                "notification",
                code,
                format!("the subscription failed: {reason}"),
                "see the server's log; a proxy that buffers responses breaks NotificationWait",
            );
        }
        Some(n) => Some((n, sent.elapsed())),
        None => None,
    };
    if let Some(s) = second.and_then(Result::ok) {
        let _ = s.logoff();
    }
    let Some((n, took)) = arrived else {
        return Check::fail(
            "notification",
            codes::MAPI_E_TIMEOUT,
            format!(
                "Advise on a temporary folder, {by} created a message in it, and no notification arrived within {} s",
                NOTIFY_TIMEOUT.as_secs()
            ),
            "the server did not complete the NotificationWait (MS-OXCMAPIHTTP 2.2.4.4): check its log, and that no \
             proxy between here and the server buffers or cuts long-running responses",
        );
    };
    let detail = format!(
        "Advise on a temporary folder; {by} created a message in it; {} arrived {} after the change was sent",
        n.name(),
        ms(took)
    );
    match note {
        None => Check::ok("notification", format!("{detail} (through NotificationWait)")),
        Some(why) => Check::warn(
            "notification",
            format!(
                "{detail}; a second session could not log on ({}), so NotificationWait itself was not tested",
                why.message
            ),
            // The provider's failure comes as MAPI_E_FAILONEPROVIDER caused by the Connect's error.
            if why.code == codes::MAPI_E_SESSION_LIMIT || why.cause == Some(codes::MAPI_E_SESSION_LIMIT) {
                "the user may hold one session only (max-sessions-per-user): allow two to check notifications from \
                 another session (`oxmapi admin set max-sessions-per-user 2`)"
            } else {
                "see why the second session failed to log on"
            },
        ),
    }
}
