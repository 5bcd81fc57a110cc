//! Store work off the async threads.
//!
//! The store is synchronous: SQLite calls block the calling thread, and the PostgreSQL backend
//! uses the sync `postgres` client, which starts a runtime of its own for every call and so
//! PANICS when called on a thread that runs a tokio runtime ("Cannot start a runtime from
//! within a runtime"). Every call into `oxmapi-store` the server makes from an async task
//! therefore goes through one of two helpers, one hop per handler step at most, with the store
//! calls of that step batched inside it (never a hop per row or per loop iteration):
//!
//! - [`run`]: work that may take long or wait on a lock (ROPs, NSPI methods, argon2, the
//!   authorisation sweep) — always on tokio's blocking pool;
//! - [`light`]: single-row reads and registry writes — on the pool for PostgreSQL, inline on a
//!   SQLite site ([`crate::state::ServerState::light_inline`]), where the hop would cost more
//!   than the read.
//!
//! [`check`] is the guard: the server's store access points ([`crate::state::ServerState::directory`],
//! the [`crate::state::StoreCache`], the session registry) call it, and in debug builds (every
//! `cargo test`) it panics when the calling thread has a tokio runtime and is not inside
//! [`run`] or [`light`] — on a PostgreSQL site exactly where its client would panic (there both
//! helpers hop), and on SQLite wherever a store call bypasses the helpers. A missed call thus
//! fails the server's integration tests on SQLite too (the panicking connection task drops the
//! connection; a panicking background task stops reaping or polling). Plain threads (the
//! delivery worker, `oxmapi admin`) have no runtime and pass.

use std::cell::Cell;

thread_local! {
    /// True while this thread runs a closure handed to [`run`] or [`light`].
    static IN_BLOCKING_POOL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (store work) on tokio's blocking pool and waits for it without blocking the async
/// thread. `Err` when `f` panicked or the runtime is shutting down.
pub async fn run<T, F>(f: F) -> Result<T, tokio::task::JoinError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(move || within(f)).await
}

/// Light store work — single-row reads of the directory, session registry writes — where the
/// site allows it: inline on the calling thread when `inline` (a SQLite site, where such a read
/// takes microseconds and a hop to the pool would cost more than the read itself: measured,
/// one hop is ~17 µs and an Execute that made two more hops lost a quarter of its round trips
/// per second on two cores), else on the blocking pool like [`run`] (PostgreSQL). Either way the
/// work runs inside this helper, so [`check`] holds it to the same rule: every store access
/// goes through [`run`] or [`light`], and with `inline` false (PostgreSQL) both hop.
pub async fn light<T, F>(inline: bool, f: F) -> Result<T, tokio::task::JoinError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    if inline { Ok(within(f)) } else { run(f).await }
}

/// Store work nobody waits for, done where a value is dropped (the clean-up in a `Drop`): inline
/// where the store may be used (a plain thread, or inside [`run`] or [`light`]), else handed to
/// the blocking pool without waiting. Such values end up dropped on async threads too — the last
/// reference to a session context goes with the request that held it (a Disconnect), or with
/// the server state when the server stops — where the PostgreSQL client would panic. If the
/// runtime is already shutting down the work is dropped undone, so it must be work the store
/// also does by itself later (as the sweep of stale pending blobs).
pub fn detached(f: impl FnOnce() + Send + 'static) {
    if on_async_thread() {
        drop(tokio::task::spawn_blocking(move || within(f)));
    } else {
        within(f)
    }
}

/// Runs `f` on this thread as store work of a helper ([`light`] with `inline`).
fn within<T>(f: impl FnOnce() -> T) -> T {
    let outer = IN_BLOCKING_POOL.with(|b| b.replace(true));
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            IN_BLOCKING_POOL.with(|b| b.set(self.0));
        }
    }
    let _restore = Restore(outer);
    f()
}

/// True when a store call here would run on an async thread: this thread has a tokio runtime
/// and is not inside [`run`] or [`light`].
pub fn on_async_thread() -> bool {
    tokio::runtime::Handle::try_current().is_ok() && !IN_BLOCKING_POOL.with(Cell::get)
}

/// The guard of the server's store access points (see the module documentation): in debug
/// builds, panics naming `what` when called on an async thread; free in release builds.
#[inline]
#[track_caller]
pub fn check(what: &str) {
    if cfg!(debug_assertions) && on_async_thread() {
        panic!(
            "store access ({what}) on an async thread: move it into oxmapi_server::blocking::run \
             (the PostgreSQL client panics here)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_thread_may_use_the_store() {
        assert!(!on_async_thread());
        check("plain thread");
    }

    #[tokio::test]
    async fn the_guard_fires_on_an_async_thread_and_not_inside_run() {
        assert!(on_async_thread());
        let caught = std::panic::catch_unwind(|| check("directory"));
        assert_eq!(caught.is_err(), cfg!(debug_assertions), "the guard panics in debug builds");
        assert!(!run(on_async_thread).await.unwrap(), "inside run the store may be used");
        // A blocking thread that did not come through `run` counts as async: every server
        // path must use the one helper.
        assert!(tokio::task::spawn_blocking(on_async_thread).await.unwrap());
        assert!(on_async_thread(), "the flag does not leak back");
        assert!(!light(true, on_async_thread).await.unwrap(), "light work inline is inside the helper");
        assert!(on_async_thread());
        let pool = light(false, || std::thread::current().id()).await.unwrap();
        assert_ne!(pool, std::thread::current().id(), "not inline: on the blocking pool");
    }

    #[tokio::test]
    async fn detached_work_leaves_the_async_thread_and_runs_inline_elsewhere() {
        let (tx, rx) = std::sync::mpsc::channel();
        let here = std::thread::current().id();
        let t = tx.clone();
        detached(move || t.send((std::thread::current().id(), on_async_thread())).unwrap());
        let (ran_on, was_async) = tokio::task::spawn_blocking(move || rx.recv().unwrap()).await.unwrap();
        assert_ne!(ran_on, here, "not on the async thread");
        assert!(!was_async, "inside the helper: the store may be used");
        // On a plain thread (and inside run) it runs at once, inline.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let me = std::thread::current().id();
            detached(move || tx.send(std::thread::current().id() == me).unwrap());
        })
        .join()
        .unwrap();
        assert!(rx.try_recv().unwrap(), "inline on a plain thread");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_closure_leaves_the_pool_thread_clean() {
        assert!(run(|| panic!("boom")).await.is_err());
        for _ in 0..8 {
            assert!(tokio::task::spawn_blocking(on_async_thread).await.unwrap());
        }
    }
}
