//! The NotificationWait thread of a session (MS-OXCMAPIHTTP 2.2.4.4, 3.1.5.x; protocol-facts
//! §5.4): a second connection holds a NotificationWait on the session context; when it ends
//! with EventPending the thread sends an empty Execute, whose response carries the RopNotify
//! responses. It registers subscriptions again after the context was re-established, and
//! reconnects the context itself when the server lost it (X-ResponseCode 10) — but not when
//! the administrator ended it (X-ResponseCode 10 with `X-Oxmapi-Context-Ended: killed`): then
//! every subscription ends with MAPI_E_END_OF_SESSION and the session with it.
//!
//! A refusal is not retried: when the reconnect is refused (the account was disabled, the
//! password changed: the server ends such a user's contexts, MS-OXCMAPIHTTP 3.2.5.x) every
//! subscription ends with that error, and when a subscription cannot be registered again
//! (RopLogon refused with ecLoginPerm after a full-access grant was revoked, MS-OXCSTOR
//! 3.2.5.1.1) that subscription ends with it. Either way the sink hears the server's own error
//! text as a last CriticalError and a stream closes, so `oxmapi watch` exits naming the refusal.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use super::registry::Notifier;
use crate::session::msems::unreachable;
use crate::session::{Session, SessionInner};
use crate::store::batch::{self, Batch};
use crate::transport::{EmsmdbClient, TransportError};

/// First pause after a failed NotificationWait; doubled up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(250);
/// Longest pause between attempts while the server is unreachable.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// X-ResponseCode 10: the session context is gone (MS-OXCMAPIHTTP 2.2.3.3.3).
const CONTEXT_NOT_FOUND: u32 = 10;
/// A NotificationWait that ends without an event sooner than this was not a real wait (the
/// server answered at once, e.g. ecRejected for one wait too many on the context): the next
/// one waits for the backoff first, so the thread never spins.
const SHORTEST_WAIT: Duration = Duration::from_secs(1);

/// Starts the session's NotificationWait thread unless it runs.
pub(crate) fn ensure_started(session: &Session) {
    let notifier = session.notifier();
    if notifier.waiter_started.swap(true, Ordering::AcqRel) {
        return;
    }
    let weak = Arc::downgrade(&session.inner);
    let notifier = notifier.clone();
    let _ = std::thread::Builder::new()
        .name("oxmapi-notification-wait".into())
        .spawn(move || run(weak, notifier));
}

/// What one round found.
enum Next {
    /// Wait on this connection; the context generation it waits on.
    Wait(Box<EmsmdbClient>, u64),
    Stop,
}

fn run(weak: Weak<SessionInner>, notifier: Arc<Notifier>) {
    let mut side: Option<Box<EmsmdbClient>> = None;
    let mut backoff = MIN_BACKOFF;
    loop {
        let (client, generation) = match prepare(&weak, &notifier, side.take()) {
            Ok(Next::Wait(c, g)) => (c, g),
            Ok(Next::Stop) => return,
            Err(e) => {
                tracing::debug!(error = %e, "notifications: registering again failed; retrying");
                pause(&notifier, &mut backoff);
                continue;
            }
        };
        let mut client = client;
        let started = std::time::Instant::now();
        let outcome = crate::transport::block_on(async {
            tokio::select! {
                r = client.notification_wait() => Some(r),
                _ = notifier.kick.notified() => None,
            }
        });
        match outcome {
            // Kicked: the context changed or the session is ending.
            None => side = Some(client),
            Some(Ok(pending)) => {
                side = Some(client);
                if !pending && started.elapsed() < SHORTEST_WAIT {
                    pause(&notifier, &mut backoff);
                    continue;
                }
                backoff = MIN_BACKOFF;
                if pending && let Err(e) = collect(&weak) {
                    tracing::debug!(error = %e, "notifications: collecting pending events failed");
                    pause(&notifier, &mut backoff);
                }
            }
            Some(Err(e @ TransportError::ContextEnded(_))) => {
                // Killed by the administrator: no silent reconnect. The session's own link ends
                // too, so every later call fails with the same MAPI_E_END_OF_SESSION.
                let _ = with_link(&weak, |link| {
                    link.client.http.mark_ended(e.clone());
                    Ok(())
                });
                notifier.end_all(&e.to_mapi());
                return;
            }
            Some(Err(TransportError::ResponseCode { code: CONTEXT_NOT_FOUND, .. })) => {
                match reconnect(&weak, generation) {
                    Ok(()) => {}
                    Err(e) if transient(&e) => {
                        tracing::debug!(error = %e, "notifications: re-establishing the session context failed");
                        pause(&notifier, &mut backoff);
                    }
                    Err(e) => {
                        // Refused, not away: retrying would not change the answer.
                        tracing::debug!(error = %e, "notifications: the server refused the session context");
                        let why = oxmapi_core::MapiError::new(
                            e.code,
                            format!(
                                "the server ended the session context and refused to re-establish it \
                                 (was the account disabled or its password changed?): {}",
                                e.message
                            ),
                        );
                        notifier.end_all(&why);
                        return;
                    }
                }
            }
            // The node holding the context stopped answering and the site has other endpoints:
            // the context is gone with the node, so connect through another endpoint at once;
            // the next round registers every subscription again (fnevCriticalError tells the
            // sinks of the gap).
            Some(Err(e)) if unreachable(&e) && has_alternates(&weak) => {
                tracing::debug!(error = %e, "notifications: the endpoint is unreachable; failing over");
                if let Err(e) = reconnect(&weak, generation) {
                    tracing::debug!(error = %e, "notifications: no other endpoint answered");
                    pause(&notifier, &mut backoff);
                }
            }
            Some(Err(e)) => {
                tracing::debug!(error = %e, "notifications: NotificationWait failed; waiting again");
                pause(&notifier, &mut backoff);
            }
        }
    }
}

/// Registers what is not registered on the current context and readies the wait connection
/// with the context's cookies.
fn prepare(
    weak: &Weak<SessionInner>,
    notifier: &Notifier,
    side: Option<Box<EmsmdbClient>>,
) -> Result<Next, oxmapi_core::MapiError> {
    let Some(inner) = weak.upgrade() else { return Ok(Next::Stop) };
    let session = Session { inner };
    let Some(generation) = session.link_generation() else { return Ok(Next::Stop) };
    notifier.release_dropped();
    for p in notifier.stale(generation) {
        if let Err(e) = super::advise::register(&p) {
            if transient(&e) {
                return Err(e);
            }
            // The object is gone or no longer accessible: the subscription ends, and says so.
            let why = oxmapi_core::MapiError::new(
                e.code,
                format!("the subscription could not be registered again: {}", e.message),
            );
            notifier.end(p.connection, &why);
        }
    }
    let Some((url, cookies)) = session.link_cookies() else { return Ok(Next::Stop) };
    let mut client = match side {
        Some(c) if c.http.endpoint().url == url => c,
        _ => Box::new(crate::session::msems::emsmdb_client(&session.inner.msems, url)),
    };
    for (name, value) in cookies {
        client.http.set_cookie(&name, &value);
    }
    Ok(Next::Wait(client, generation))
}

/// Whether the session's link knows other mailbox endpoints to fail over to.
fn has_alternates(weak: &Weak<SessionInner>) -> bool {
    let mut any = false;
    let _ = with_link(weak, |link| {
        any = !link.endpoints.mailstore_alternates.is_empty();
        Ok(())
    });
    any
}

/// Errors worth retrying (the server or the context is away), as opposed to a refusal.
fn transient(e: &oxmapi_core::MapiError) -> bool {
    use oxmapi_core::error::codes;
    [
        codes::MAPI_E_NETWORK_ERROR,
        codes::MAPI_E_END_OF_SESSION,
        codes::MAPI_E_CALL_FAILED,
        codes::MAPI_E_TIMEOUT,
    ]
    .contains(&e.code)
}

/// An empty Execute: its response carries the queued RopNotify responses, which the batch
/// runner hands to the notifier.
fn collect(weak: &Weak<SessionInner>) -> Result<(), oxmapi_core::MapiError> {
    with_link(weak, |link| batch::run(link, Batch::new()).map(|_| ()))
}

/// Re-establishes the session context the wait found gone — unless another call already did
/// (a second Connect would destroy the fresh context and every handle opened on it).
fn reconnect(weak: &Weak<SessionInner>, waited_on: u64) -> Result<(), oxmapi_core::MapiError> {
    with_link(weak, |link| {
        if link.generation != waited_on {
            return Ok(());
        }
        crate::transport::block_on(link.reconnect())
    })
}

fn with_link(
    weak: &Weak<SessionInner>,
    f: impl FnOnce(&mut crate::session::msems::EmsmdbLink) -> Result<(), oxmapi_core::MapiError>,
) -> Result<(), oxmapi_core::MapiError> {
    let Some(inner) = weak.upgrade() else { return Ok(()) };
    let mut link = inner.link.lock().unwrap_or_else(|e| e.into_inner());
    match link.as_mut() {
        Some(link) => f(link),
        None => Ok(()),
    }
}

/// Sleeps `backoff` (woken early by a kick) and doubles it.
fn pause(notifier: &Notifier, backoff: &mut Duration) {
    let d = *backoff;
    crate::transport::block_on(async {
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = notifier.kick.notified() => {}
        }
    });
    *backoff = (d * 2).min(MAX_BACKOFF);
}
