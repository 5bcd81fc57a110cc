//! The memory allocator of the `oxmapi` process, chosen at build time (BENCHMARKS.md "Server
//! memory: allocators"):
//!
//! * feature `jemalloc` — jemalloc (`tikv-jemallocator`) with its background purging thread
//!   and short decay times ([`JEMALLOC_CONF`]), so freed pages go back to the system within
//!   about a second even when no thread allocates any more;
//! * feature `mimalloc` — mimalloc (measured, not the default);
//! * neither — the C library's malloc.
//!
//! Whatever serves Rust, C code (SQLite) allocates with the C library's malloc:
//! [`configure_for_server`] caps glibc's arenas ([`GLIBC_ARENA_MAX`]) and
//! [`release_free_memory`] trims its heap.

#[cfg(all(feature = "jemalloc", feature = "mimalloc"))]
compile_error!("choose one allocator: the features `jemalloc` and `mimalloc` exclude each other");

#[cfg(feature = "jemalloc")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// jemalloc's options (its `malloc_conf`, read once when it initialises): a background thread
/// purges unused dirty pages after `dirty_decay_ms` and lazily-freed ones after
/// `muzzy_decay_ms`, so the resident size follows the live data within about a second; at
/// most `narenas` arenas (threads share them, as with glibc's capped arenas). The
/// `_RJEM_MALLOC_CONF` environment variable still overrides these at start.
#[cfg(feature = "jemalloc")]
pub const JEMALLOC_CONF: &str = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,narenas:4";

/// The symbol jemalloc reads its options from (`malloc_conf` with tikv-jemalloc-sys's `_rjem_`
/// prefix): a NUL-terminated copy of [`JEMALLOC_CONF`].
#[cfg(feature = "jemalloc")]
#[unsafe(export_name = "_rjem_malloc_conf")]
#[used]
static MALLOC_CONF: &[u8; JEMALLOC_CONF.len() + 1] = &nul_terminated();

#[cfg(feature = "jemalloc")]
const fn nul_terminated() -> [u8; JEMALLOC_CONF.len() + 1] {
    let mut out = [0u8; JEMALLOC_CONF.len() + 1];
    let bytes = JEMALLOC_CONF.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// Most glibc malloc arenas in `oxmapi serve`. glibc gives a thread that finds the arenas
/// busy a new one, up to 8 per core; each keeps the memory it once held, so a load that adds
/// threads on a busy machine leaves the server hundreds of MB larger (BENCHMARKS.md). Two
/// arenas serve two cores. This holds for the C library's malloc whatever the Rust allocator:
/// SQLite allocates there. `MALLOC_ARENA_MAX` in the environment wins.
pub const GLIBC_ARENA_MAX: i32 = 2;

/// Which allocator serves Rust allocations in this build, for `oxmapi serve`'s start-up log.
pub fn name() -> &'static str {
    if cfg!(feature = "jemalloc") {
        "jemalloc"
    } else if cfg!(feature = "mimalloc") {
        "mimalloc"
    } else if cfg!(all(target_os = "linux", target_env = "gnu")) {
        "glibc malloc"
    } else {
        "system malloc"
    }
}

/// Tunes the allocators for a long-running server; call at `oxmapi serve` start, before any
/// thread is spawned. With glibc: caps its arenas at [`GLIBC_ARENA_MAX`] unless
/// `MALLOC_ARENA_MAX` is set. Returns what is in force, for the log.
pub fn configure_for_server() -> String {
    let mut what = name().to_string();
    #[cfg(feature = "jemalloc")]
    what.push_str(&format!(" ({JEMALLOC_CONF})"));
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let libc_arenas = if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
            "glibc arenas from MALLOC_ARENA_MAX".to_string()
        // SAFETY: mallopt only changes a malloc parameter; it runs before the runtime starts
        // its threads.
        } else if unsafe { libc::mallopt(libc::M_ARENA_MAX, GLIBC_ARENA_MAX) } == 1 {
            format!("at most {GLIBC_ARENA_MAX} glibc arenas")
        } else {
            "glibc arenas uncapped (mallopt M_ARENA_MAX refused)".to_string()
        };
        what.push_str(&format!(", {libc_arenas}"));
    }
    what
}

/// Gives free memory of the C library's heap back to the system (glibc's `malloc_trim`), which
/// glibc does only at the top of the main heap by itself; jemalloc purges its own pages on its
/// background thread and mimalloc after its purge delay. Cheap when little is free.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the heap to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_allocator_is_named_and_configured() {
        let what = super::configure_for_server();
        assert!(what.starts_with(super::name()), "{what}");
        super::release_free_memory();
    }

    #[cfg(feature = "jemalloc")]
    #[test]
    fn jemalloc_reads_its_options_nul_terminated() {
        assert_eq!(super::MALLOC_CONF.last(), Some(&0));
        assert_eq!(&super::MALLOC_CONF[..super::JEMALLOC_CONF.len()], super::JEMALLOC_CONF.as_bytes());
    }
}
