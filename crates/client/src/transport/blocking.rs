//! A blocking facade for callers without a tokio runtime (the MAPI object API, the CLI).
//!
//! Integrators whose code is already async must call the async API directly; from a
//! synchronous function running inside a runtime, move the blocking call to
//! `tokio::task::spawn_blocking`. [`block_on`] refuses to run inside a runtime because blocking
//! a runtime worker can deadlock it.

use std::future::Future;
use std::sync::OnceLock;

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// The shared runtime behind [`block_on`]: multi-threaded with 2 workers, built on first use.
///
/// # Panics
/// If the operating system refuses to create the runtime's threads.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("oxmapi-transport")
            .enable_all()
            .build()
            .expect("oxmapi: cannot start the transport runtime (thread creation failed)")
    })
}

/// Runs `f` to completion on [`runtime`] and returns its output.
///
/// # Panics
/// When called from inside a tokio runtime: call the async API directly there, or wrap the
/// blocking caller in `tokio::task::spawn_blocking`.
pub fn block_on<F: Future>(f: F) -> F::Output {
    if tokio::runtime::Handle::try_current().is_ok() {
        panic!(
            "oxmapi_client::transport::block_on was called from inside a tokio runtime; async code must \
             call the async transport API directly (or run this blocking caller in \
             tokio::task::spawn_blocking)"
        );
    }
    runtime().block_on(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_futures_and_refuses_nesting() {
        assert_eq!(block_on(async { 40 + 2 }), 42);
        // The runtime's own tasks can use timers and spawn.
        let v = block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            tokio::spawn(async { 7 }).await.unwrap()
        });
        assert_eq!(v, 7);
        let nested = std::panic::catch_unwind(|| block_on(async { block_on(async { 1 }) }));
        let msg = nested.unwrap_err();
        let text = msg
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| msg.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        assert!(text.contains("inside a tokio runtime"), "{text}");
    }
}
