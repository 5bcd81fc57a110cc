//! Ending the CLI's sessions when the program ends (issue 15 "Sessions that end"): on a normal
//! exit and on SIGINT (Ctrl-C) or SIGTERM every session context is disconnected (EMSMDB
//! Disconnect, NSPI Unbind, MS-OXCMAPIHTTP 2.2.4.3 / 2.2.5.2, each within
//! [`LOGOFF_TIMEOUT`](oxmapi_client::session::LOGOFF_TIMEOUT)) instead of waiting on the server
//! for its idle timeout — where, with `max-sessions-per-user`, it would lock the user out.
//!
//! The signals are watched with tokio's signal support (already a dependency, with its
//! `signal` feature; no new crate): a small thread with its own runtime waits for either
//! signal, logs the sessions off and exits with the conventional status 128 + signal number
//! (130 for SIGINT, 143 for SIGTERM). The handler is installed even where the shell started
//! the program with SIGINT ignored (a background job), so that `kill -INT` still ends it
//! cleanly. `oxmapi serve` and `oxmapi conformance` keep their own handling and do not call
//! [`install`].

use tokio::signal::unix::{SignalKind, signal};

/// Exit status after SIGINT: 128 + 2.
const EXIT_SIGINT: i32 = 130;
/// Exit status after SIGTERM: 128 + 15.
const EXIT_SIGTERM: i32 = 143;

/// What runs first when a signal ends the program (`oxmapi editor` gives the terminal back).
static BEFORE_EXIT: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Makes `f` run before the sessions end on SIGINT or SIGTERM (the first call wins).
pub fn before_signal_exit(f: fn()) {
    let _ = BEFORE_EXIT.set(f);
}

/// Starts the thread that ends the sessions and the program on SIGINT or SIGTERM. Failing to
/// install it only loses the clean ending; the command still runs.
pub fn install() {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("oxmapi-signals".into()).spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread().enable_io().build() {
            Ok(rt) => rt,
            Err(e) => {
                tracing::debug!(error = %e, "no signal handling");
                let _ = ready_tx.send(());
                return;
            }
        };
        let status = rt.block_on(async move {
            let (int, term) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate()));
            let _ = ready_tx.send(());
            let (Ok(mut int), Ok(mut term)) = (int, term) else {
                tracing::debug!("no signal handling: the handlers could not be installed");
                return None;
            };
            Some(tokio::select! {
                _ = int.recv() => EXIT_SIGINT,
                _ = term.recv() => EXIT_SIGTERM,
            })
        });
        // Outside the runtime: logging off blocks on the client's own transport runtime.
        if let Some(status) = status {
            drop(rt);
            if let Some(f) = BEFORE_EXIT.get() {
                f();
            }
            oxmapi_client::session::end_all();
            std::process::exit(status);
        }
    });
    if spawned.is_ok() {
        // The handlers are in place before the command logs on.
        let _ = ready_rx.recv();
    }
}

/// Ends what is still open at a normal exit (a session a keep-alive or notification thread
/// happened to hold when the command returned).
pub fn at_exit() {
    oxmapi_client::session::end_all();
}
