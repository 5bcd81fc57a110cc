//! Authorisation that follows the directory at once: a revoked full-access grant, a disabled or
//! deleted user, a demoted administrator or a changed password takes effect on the next request,
//! not at the next logon.
//!
//! The directory keeps an *authorisation generation* that moves with every such change, in the
//! same transaction, whichever process made it (`oxmapi admin` writes the same SQLite file;
//! [`oxmapi_store::Directory::authz_generation`]). Each session context remembers the generation
//! it was last checked against:
//!
//! - every request on a context reads the generation (one single-row read) and, when it moved,
//!   checks the context again before the request runs ([`admit`]);
//! - a poller reads it every [`POLL_INTERVAL`] and checks every context ([`watch`]), so that a
//!   context with nothing but an idle NotificationWait learns of a change too.
//!
//! Checking a context ([`check`]):
//!
//! - its user was deleted or disabled: the context ends (mailbox and address book endpoints
//!   alike). Its next request gets X-ResponseCode 10 (Context Not Found, MS-OXCMAPIHTTP
//!   2.2.3.3.3) and its pending NotificationWait is answered at once with the same code; the
//!   client's reconnect is then refused (Connect/Bind answer MAPI_E_LOGON_FAILED for a disabled
//!   user; an NTLM-authenticated connection of a disabled user is refused with 401,
//!   [`crate::auth`]).
//! - a delegate logon (MS-OXCSTOR 3.2.5.1.1, someone else's mailbox) whose full-access grant is
//!   gone, whose owner was disabled or deleted, or that was made by administrator privilege by
//!   a user no longer an administrator, and a public logon that an administrator made (so not
//!   limited by the folders' permission lists) whose user is no longer one, is marked revoked: every ROP on it or on an object opened
//!   through it fails with ecAccessDenied (0x80070005, `rops::revoked`); a new RopLogon fails
//!   with ecLoginPerm (0x000003F2) as before.
//! - when such a revoked logon feeds notifications (an Advise subscription or a subscribed
//!   table), the context ends as well. A client that only waits for notifications sends no ROP
//!   that could be refused, and MS-OXCNOTIF has no notification saying "your subscription was
//!   withdrawn"; ending the context answers its NotificationWait with X-ResponseCode 10, the
//!   client reconnects and registers its subscriptions again (MS-OXCMAPIHTTP 3.1.5.x), and that
//!   RopLogon is refused with ecLoginPerm — a refusal the client reports instead of waiting on a
//!   subscription that no longer delivers anything. Ending the context also releases the
//!   revoked logon's subscriptions at once, so no event of the owner's mailbox reaches the
//!   former delegate after the revoke.

use std::sync::Arc;
use std::time::Duration;

use crate::session::{ContextKind, Session};
use crate::state::ServerState;

/// How often the server reads the directory's authorisation generation on its own (besides the
/// read every request makes), so that idle contexts and pending NotificationWaits learn of a
/// change within this time.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The directory's authorisation generation, `None` when the directory cannot be read (the
/// caller then keeps what it had: a failing read must not end every context).
pub fn generation(state: &ServerState) -> Option<u64> {
    match state.directory().and_then(|d| d.authz_generation()) {
        Ok(g) => Some(g),
        Err(e) => {
            tracing::warn!(error = %e, "reading the authorisation generation failed");
            None
        }
    }
}

/// The directory's authorisation generation, read at most once for one request: its
/// authentication ([`crate::auth`]) and its context's check ([`admit`]) both need it, and on
/// PostgreSQL every read is a round trip to the database.
pub struct GenerationOnce<'a> {
    state: &'a ServerState,
    read: std::cell::OnceCell<Option<u64>>,
}

impl<'a> GenerationOnce<'a> {
    /// Nothing read yet.
    pub fn new(state: &'a ServerState) -> Self {
        GenerationOnce { state, read: std::cell::OnceCell::new() }
    }

    /// The generation ([`generation`]), read on the first call.
    pub fn get(&self) -> Option<u64> {
        *self.read.get_or_init(|| generation(self.state))
    }
}

/// Checks a context before a request on it runs: `Err(reason)` when the context has ended (the
/// request is answered with X-ResponseCode 10). Cheap when nothing changed: one read of the
/// generation. When it moved, the context is checked again — which locks the context's handle
/// table, held by a running Execute, so it may wait: with `may_block` false that check is not
/// made here and its generation is returned (`Ok(Some(g))`) for the caller to run [`check`] on
/// the blocking pool ([`crate::session::enter_now`]).
pub fn admit(
    state: &ServerState,
    session: &Session,
    may_block: bool,
    generation: &GenerationOnce<'_>,
) -> Result<Option<u64>, String> {
    if let Some(g) = generation.get()
        && g > session.authz_checked()
    {
        if !may_block {
            return Ok(Some(g));
        }
        check(state, session, g);
    }
    match session.ended() {
        Some(reason) => Err(reason),
        None => Ok(None),
    }
}

/// Reads the generation every [`POLL_INTERVAL`] (light store work) and, when it moved, checks
/// every context on the blocking pool (checking locks handle tables a running Execute holds).
pub async fn watch(state: Arc<ServerState>) {
    let mut tick = tokio::time::interval(POLL_INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = 0;
    loop {
        tick.tick().await;
        let st = state.clone();
        let Ok(Some(g)) = crate::blocking::light(state.light_inline, move || generation(&st)).await else {
            continue;
        };
        if g == last {
            continue;
        }
        let st = state.clone();
        if crate::blocking::run(move || sweep(&st, g)).await.is_ok() {
            last = g;
        }
    }
}

/// Checks every live context against generation `g`.
pub fn sweep(state: &ServerState, g: u64) {
    for s in state.sessions.all() {
        check(state, &s, g);
    }
    state.metrics.sessions.set(state.sessions.len() as i64);
}

/// Checks one context against the directory as it is now (see the module documentation) and
/// records generation `g` as checked. Runs on a blocking thread: it locks the context's handle
/// table. The directory is read before that lock is taken and never under it (a running Execute
/// holds the handle table and takes the directory).
pub fn check(state: &ServerState, session: &Session, g: u64) {
    if session.authz_checked() >= g || session.ended().is_some() {
        return;
    }
    if state.sessions.marked_killed(&session.id) {
        end(state, session, crate::session::KILLED);
        return;
    }
    let me = &session.info.user;
    let current = match state.directory().and_then(|d| d.user_by_id(me.id)) {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(error = %e, "authorisation check: reading the directory failed");
            return;
        }
    };
    let Some(user) = current.filter(|u| u.enabled) else {
        end(state, session, &format!("the account {:?} was disabled or deleted", me.name));
        return;
    };
    if session.info.kind == ContextKind::Emsmdb {
        let delegates: Vec<_> = {
            let rs = session.rops.lock().unwrap_or_else(|e| e.into_inner());
            rs.handles.logons().into_iter().filter(|l| !l.is_revoked() && rests_on_the_directory(l)).collect()
        };
        let mut revoked = Vec::new();
        for logon in delegates {
            let (allowed, mailbox) = match &logon.owner {
                Some(owner) => (
                    still_allowed(state, &user, owner, logon.admin_privilege, logon.by_rights),
                    owner.name.clone(),
                ),
                // A public logon unlimited by the permission lists because its user was an
                // administrator at RopLogon keeps that only while the user still is one.
                None => (user.admin, "public folders".to_string()),
            };
            if !allowed {
                tracing::info!(user = %user.name, mailbox = %mailbox, "logon revoked");
                logon.revoke();
                revoked.push((logon.logon_id, mailbox));
            }
        }
        let feeding = {
            let rs = session.rops.lock().unwrap_or_else(|e| e.into_inner());
            revoked.iter().find(|(id, _)| rs.handles.has_subscriptions(*id)).cloned()
        };
        if let Some((_, owner)) = feeding {
            end(
                state,
                session,
                &format!(
                    "access to {owner:?}'s mailbox was revoked (its logon is refused with ecLoginPerm \
                     0x000003F2 from now on)"
                ),
            );
            return;
        }
    }
    session.set_authz_checked(g);
}

/// True for the logons whose access rests on the directory rather than on the permission
/// lists the access gate reads on every ROP: a delegate logon to someone else's mailbox, and a
/// public logon made by an administrator (not limited by the lists, `by_rights` false).
fn rests_on_the_directory(l: &crate::rops::handles::LogonObject) -> bool {
    if l.private { l.delegate } else { !l.by_rights }
}

/// True while `user` may keep a delegate logon to `owner`'s mailbox: the owner still exists and
/// is enabled, and the grant (or, for a logon made by administrator privilege, the
/// administrator flag) is still there. A logon limited by folder permissions (`by_rights`) needs
/// only the owner: its rights are checked on every request against the permission lists
/// ([`crate::rops`]'s access gate), so a removed permission applies at once without this sweep.
/// A failing read keeps the logon (it is checked again at the next change).
fn still_allowed(
    state: &ServerState,
    user: &oxmapi_store::User,
    owner: &oxmapi_store::User,
    by_admin: bool,
    by_rights: bool,
) -> bool {
    let Ok(dir) = state.directory() else { return true };
    match dir.user_by_id(owner.id) {
        Ok(Some(o)) if o.enabled => {}
        Ok(_) => return false,
        Err(_) => return true,
    }
    if by_admin {
        return user.admin;
    }
    if by_rights {
        return true;
    }
    dir.has_full_access(&owner.name, &user.name).unwrap_or(true)
}

/// Ends a context whose rights are gone: it leaves the session table, its pending
/// NotificationWaits are answered with X-ResponseCode 10 carrying `reason`, and its server
/// objects are released (their subscriptions stop at once).
fn end(state: &ServerState, session: &Session, reason: &str) {
    tracing::info!(user = %session.info.user.name, endpoint = ?session.info.kind, reason, "session context ended");
    state.sessions.end(&session.id, reason);
    session.end(reason);
    let released = std::mem::take(&mut session.rops.lock().unwrap_or_else(|e| e.into_inner()).handles);
    drop(released);
}
