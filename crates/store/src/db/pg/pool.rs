//! The connection pool: at most [`PoolOptions::max_size`] connections to one database, handed
//! out by [`PgPool::get`] and taken back when the [`PgConn`] is dropped.
//!
//! Our own rather than r2d2: r2d2 opens connections on background threads and reports a refused
//! connection (a wrong password, a server that is down) only when the checkout timeout ends,
//! so every request would hang for the whole timeout; here a checkout that needs a new
//! connection opens it on the caller's thread and fails at once with the server's reason.
//!
//! * Checkout: an idle connection (the most recently used first), else a new one while fewer
//!   than `max_size` are open, else a wait of at most `checkout_timeout` for one to come back
//!   (then `ErrorKind::Busy`: MAPI_E_TIMEOUT for the client).
//! * Health: a connection idle for [`PoolOptions::idle_check_after`] or more is pinged (an empty query)
//!   before it is handed out; a closed or failing one is discarded, as is one that saw a
//!   connection error or could not roll back when it came back.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::tls::TlsSettings;

use super::conn::{Conn, PgConn};
use super::{PASSWORD_ENV, pg_error, redacted, schema};
use crate::db::{Error, ErrorKind, Result};

/// Default of [`PoolOptions::max_size`]: connections one process keeps to the database.
pub const POOL_MAX_SIZE: usize = 16;
/// Default of [`PoolOptions::checkout_timeout`]: how long a checkout waits when every
/// connection is in use.
pub const POOL_CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default of [`PoolOptions::connect_timeout`] (when the URL sets no `connect_timeout`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`PoolOptions::lock_timeout`]: as long as SQLite's busy timeout
/// (`crate::sqlite::BUSY_TIMEOUT`), so a writer blocked by another's lock fails alike
/// (MAPI_E_TIMEOUT) on both backends.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);
/// Default of [`PoolOptions::idle_check_after`].
pub const IDLE_CHECK_AFTER: Duration = Duration::from_secs(30);
/// How long that ping may take before the connection is discarded.
pub const IDLE_CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// The `application_name` of our connections (pg_stat_activity), unless the URL sets one.
pub const APPLICATION_NAME: &str = "oxmapi";
/// The schemas unqualified names are looked up in: the current mailbox's views, then the
/// directory's tables.
pub const SEARCH_PATH: &str = "mailbox,directory";
/// Translated statement texts the pool remembers (see `PgPool::translated`); past this the
/// memory is emptied and refilled.
pub const TRANSLATION_CACHE_CAPACITY: usize = 4096;

/// How the pool connects and how many connections it keeps.
#[derive(Clone)]
pub struct PoolOptions {
    /// At most this many connections are open at once.
    pub max_size: usize,
    /// A checkout waits at most this long for a connection to come back.
    pub checkout_timeout: Duration,
    /// Opening a connection may take this long (unless the URL says otherwise).
    pub connect_timeout: Duration,
    /// A statement waits at most this long for a row or table lock another transaction holds
    /// (then `ErrorKind::Busy`), like SQLite's busy timeout; 0 waits for ever.
    pub lock_timeout: Duration,
    /// An idle connection is pinged before it is handed out when it has been idle this long
    /// (a server restart or failover meanwhile is then noticed before a statement fails).
    pub idle_check_after: Duration,
    /// The password, when the URL has none (e.g. read from the server's
    /// `database-password-file`); else [`PASSWORD_ENV`] is used when set.
    pub password: Option<String>,
}

impl std::fmt::Debug for PoolOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoolOptions")
            .field("max_size", &self.max_size)
            .field("checkout_timeout", &self.checkout_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("lock_timeout", &self.lock_timeout)
            .field("idle_check_after", &self.idle_check_after)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_size: POOL_MAX_SIZE,
            checkout_timeout: POOL_CHECKOUT_TIMEOUT,
            connect_timeout: CONNECT_TIMEOUT,
            lock_timeout: LOCK_TIMEOUT,
            idle_check_after: IDLE_CHECK_AFTER,
            password: None,
        }
    }
}

/// A pool of connections to one PostgreSQL database (cheap to clone: the clones share it).
#[derive(Clone)]
pub struct PgPool(pub(super) Arc<Shared>);

impl std::fmt::Debug for PgPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgPool").field("database", &self.0.database).finish_non_exhaustive()
    }
}

pub(super) struct Shared {
    config: Config,
    /// The TLS connector when the URL asks for TLS ([`super::tls`]).
    tls: Option<MakeRustlsConnect>,
    /// The URL without its password, for messages.
    pub(super) database: String,
    max_size: usize,
    checkout_timeout: Duration,
    idle_check_after: Duration,
    state: Mutex<State>,
    returned: Condvar,
    /// `(table or view oid, column number)` of every `store.oxvalue` column; loaded on first
    /// need and forgotten by `migrate`.
    oxvalue_columns: RwLock<Option<OxvalueColumns>>,
    translations: Mutex<HashMap<String, Arc<str>>>,
}

/// `(table or view oid, column number)` of the `store.oxvalue` columns.
pub(super) type OxvalueColumns = Arc<HashSet<(u32, i16)>>;

struct State {
    idle: Vec<Idle>,
    /// Idle, checked-out and being-opened connections.
    open: usize,
}

struct Idle {
    conn: Conn,
    since: Instant,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How the pool's connections commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Commits {
    /// PostgreSQL's default (`synchronous_commit = on`): a commit returns once its WAL is
    /// flushed to disk. Every pool but one made by [`PgPool::connect_for_bench_seeding`].
    Durable,
    /// `synchronous_commit = off`: see [`PgPool::connect_for_bench_seeding`].
    BenchSeeding,
}

/// The driver's configuration for `url`: the password from the URL, else `options.password`,
/// else `env_password` (the value of [`PASSWORD_ENV`]); our `application_name` unless the URL
/// names one; the `search_path` and `lock_timeout` of every connection (and
/// `synchronous_commit = off` for [`Commits::BenchSeeding`]); a connect timeout unless the URL
/// sets one.
fn client_config(
    url: &str,
    options: &PoolOptions,
    env_password: Option<String>,
    commits: Commits,
) -> Result<Config> {
    let mut config: Config = url.parse().map_err(|e| Error::Postgres {
        code: None,
        kind: ErrorKind::Unavailable,
        message: format!("invalid database URL {}: {e}", redacted(url)),
    })?;
    if config.get_password().is_none()
        && let Some(p) = options.password.clone().or(env_password).filter(|p| !p.is_empty())
    {
        config.password(p);
    }
    if config.get_application_name().is_none() {
        config.application_name(APPLICATION_NAME);
    }
    let mut ours =
        format!("-c search_path={SEARCH_PATH} -c lock_timeout={}", options.lock_timeout.as_millis());
    if commits == Commits::BenchSeeding {
        ours.push_str(" -c synchronous_commit=off");
    }
    let startup = match config.get_options() {
        Some(o) if !o.is_empty() => format!("{o} {ours}"),
        _ => ours,
    };
    config.options(&startup);
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(options.connect_timeout);
    }
    Ok(config)
}

impl PgPool {
    /// A pool on the database at `url` (`postgres://user[:password]@host[:port]/database`, or
    /// libpq's `key=value` form), with default [`PoolOptions`]. The password comes from the URL,
    /// else from the environment variable [`PASSWORD_ENV`]. One connection is opened at once, so
    /// a wrong URL, password or a server that is down fails here with the server's reason.
    pub fn connect(url: &str) -> Result<PgPool> {
        Self::connect_with(url, PoolOptions::default())
    }

    /// [`PgPool::connect`] with options.
    pub fn connect_with(url: &str, options: PoolOptions) -> Result<PgPool> {
        Self::connect_committing(url, options, Commits::Durable)
    }

    /// A pool for the bulk seeding of benchmarks ONLY (`oxmapi bench contents` fills folders of
    /// up to a million messages through the store API, one transaction per message as through
    /// the server, before it measures): its connections run with `SET synchronous_commit =
    /// off`, so a commit returns without waiting for its WAL to reach the disk. PostgreSQL
    /// documents this as losing no consistency — a crash can lose only the last commits
    /// (within `3 × wal_writer_delay`), never corrupt or half-apply one — and the bench's data
    /// is throwaway. It is the PostgreSQL counterpart of seeding an SQLite mailbox on tmpfs.
    /// Never use it for a site that serves anyone: every other pool commits durably.
    pub fn connect_for_bench_seeding(url: &str) -> Result<PgPool> {
        Self::connect_committing(url, PoolOptions::default(), Commits::BenchSeeding)
    }

    fn connect_committing(url: &str, options: PoolOptions, commits: Commits) -> Result<PgPool> {
        let database = redacted(url);
        let env_password = std::env::var(PASSWORD_ENV).ok();
        let (url, tls) = TlsSettings::from_url(url)?;
        let config = client_config(&url, &options, env_password, commits)?;
        let shared = Arc::new(Shared {
            config,
            tls: tls.connector()?,
            database,
            max_size: options.max_size.max(1),
            checkout_timeout: options.checkout_timeout,
            idle_check_after: options.idle_check_after,
            state: Mutex::new(State { idle: Vec::new(), open: 0 }),
            returned: Condvar::new(),
            oxvalue_columns: RwLock::new(None),
            translations: Mutex::new(HashMap::new()),
        });
        let pool = PgPool(shared);
        drop(pool.get()?);
        Ok(pool)
    }

    /// The database's URL without its password.
    pub fn database(&self) -> &str {
        &self.0.database
    }

    /// Creates or upgrades the schema (see `schema.rs`); safe when several processes start at
    /// once.
    pub fn migrate(&self) -> Result<()> {
        let conn = self.get()?;
        conn.with_client(|c| schema::migrate(c, &self.0.database))?;
        *self.0.oxvalue_columns.write().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// Moves the id sequences past the ids in use, after a copy that inserted explicit ids
    /// (see `schema::advance_identities`).
    pub fn advance_identities(&self) -> Result<()> {
        self.get()?.with_client(schema::advance_identities)
    }

    /// The recorded schema version of each component.
    pub fn schema_versions(&self) -> Result<Vec<(String, i32)>> {
        self.get()?.with_client(schema::versions)
    }

    /// A connection of the pool, returned to it when dropped. No mailbox is selected on it
    /// ([`PgConn::set_mailbox`]).
    pub fn get(&self) -> Result<PgConn> {
        let shared = &self.0;
        let deadline = Instant::now() + shared.checkout_timeout;
        let mut state = lock(&shared.state);
        loop {
            if let Some(idle) = state.idle.pop() {
                drop(state);
                let mut conn = idle.conn;
                let healthy = !conn.client.is_closed()
                    && (idle.since.elapsed() < shared.idle_check_after
                        || conn.client.is_valid(IDLE_CHECK_TIMEOUT).is_ok());
                if healthy {
                    return Ok(PgConn::new(Arc::clone(shared), conn));
                }
                drop(conn);
                shared.forget_one();
                state = lock(&shared.state);
                continue;
            }
            if state.open < shared.max_size {
                state.open += 1;
                drop(state);
                return match shared.open() {
                    Ok(conn) => Ok(PgConn::new(Arc::clone(shared), conn)),
                    Err(e) => {
                        shared.forget_one();
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Postgres {
                    code: None,
                    kind: ErrorKind::Busy,
                    message: format!(
                        "all {} connections to {} stayed in use for {} s (raise the pool size or the server's \
                         max_connections)",
                        shared.max_size,
                        shared.database,
                        shared.checkout_timeout.as_secs()
                    ),
                });
            }
            state = shared.returned.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// A connection of its own, outside the pool and not counted in its size, with the pool's
    /// settings: for a session that stays open for long, e.g. one that `LISTEN`s for the other
    /// nodes' notifications. The caller runs it (and must not share it with the pool's users).
    pub fn dedicated(&self) -> Result<Client> {
        Ok(self.0.open()?.client)
    }

    /// How many connections are open (idle or in use).
    pub fn open_connections(&self) -> usize {
        lock(&self.0.state).open
    }

    /// The PostgreSQL text of `sql` ([`super::translate`]), remembered per text.
    pub(super) fn translated(shared: &Shared, sql: &str) -> Arc<str> {
        let mut cache = lock(&shared.translations);
        if let Some(t) = cache.get(sql) {
            return Arc::clone(t);
        }
        if cache.len() >= TRANSLATION_CACHE_CAPACITY {
            cache.clear();
        }
        let t: Arc<str> = super::translate(sql).into();
        cache.insert(sql.to_string(), Arc::clone(&t));
        t
    }
}

impl Drop for Shared {
    /// Closes the idle connections on a thread of its own, joined: closing one waits for the
    /// server on the driver's private runtime, which panics on a thread that drives a tokio
    /// runtime — where the last user of a site may well be dropped (an async task of the server,
    /// the end of an async test).
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.state.get_mut().unwrap_or_else(|e| e.into_inner()).idle);
        if !idle.is_empty() {
            std::thread::scope(|s| {
                s.spawn(move || drop(idle));
            });
        }
    }
}

impl Shared {
    fn open(&self) -> Result<Conn> {
        let client = match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(NoTls),
        };
        let client = client.map_err(|e| {
            let mut err = pg_error(&e);
            if let Error::Postgres { message, .. } = &mut err {
                *message = format!("cannot connect to {}: {message}", self.database);
            }
            err
        })?;
        Ok(Conn::new(client))
    }

    /// One connection less (discarded or never opened).
    fn forget_one(&self) {
        let mut state = lock(&self.state);
        state.open = state.open.saturating_sub(1);
        self.returned.notify_one();
    }

    /// Takes a connection back: idle again, or discarded when it is no longer usable.
    pub(super) fn give_back(&self, conn: Conn) {
        if conn.broken || conn.client.is_closed() {
            drop(conn);
            self.forget_one();
            return;
        }
        let mut state = lock(&self.state);
        state.idle.push(Idle { conn, since: Instant::now() });
        self.returned.notify_one();
    }

    /// The set of `store.oxvalue` columns, loaded with `client` when not known yet.
    pub(super) fn oxvalue_columns(&self, client: &mut Client) -> Result<OxvalueColumns> {
        if let Some(set) = self.oxvalue_columns.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            return Ok(Arc::clone(set));
        }
        let rows = client
            .query(
                "SELECT a.attrelid::oid::int8, a.attnum::int8 FROM pg_attribute a \
                 WHERE a.atttypid = to_regtype('store.oxvalue')::oid AND NOT a.attisdropped",
                &[],
            )
            .map_err(|e| pg_error(&e))?;
        let set: HashSet<(u32, i16)> = rows
            .iter()
            .filter_map(|r| {
                Some((u32::try_from(r.get::<_, i64>(0)).ok()?, i16::try_from(r.get::<_, i64>(1)).ok()?))
            })
            .collect();
        let set = Arc::new(set);
        // An empty set (no schema yet) is not remembered: the schema may be created next.
        if !set.is_empty() {
            *self.oxvalue_columns.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&set));
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_comes_from_the_url_then_the_options_then_the_environment() {
        let opts = |password: Option<&str>| PoolOptions {
            password: password.map(str::to_string),
            ..PoolOptions::default()
        };
        let pw = |c: Config| c.get_password().map(|p| String::from_utf8_lossy(p).into_owned());
        let env = || Some("from-env".to_string());
        assert_eq!(
            pw(client_config("postgres://u:in-url@h/d", &opts(Some("opt")), env(), Commits::Durable)
                .unwrap()),
            Some("in-url".into())
        );
        assert_eq!(
            pw(client_config("postgres://u@h/d", &opts(Some("opt")), env(), Commits::Durable).unwrap()),
            Some("opt".into())
        );
        assert_eq!(
            pw(client_config("postgres://u@h/d", &opts(None), env(), Commits::Durable).unwrap()),
            Some("from-env".into())
        );
        assert_eq!(
            pw(client_config("postgres://u@h/d", &opts(None), Some(String::new()), Commits::Durable)
                .unwrap()),
            None
        );
        assert_eq!(pw(client_config("postgres://u@h/d", &opts(None), None, Commits::Durable).unwrap()), None);
        // The options never show the password.
        assert!(!format!("{:?}", opts(Some("s3cret"))).contains("s3cret"));
    }

    #[test]
    fn every_connection_gets_our_name_search_path_and_lock_timeout() {
        let c = client_config(
            "postgres://u@h/d?options=-c%20work_mem%3D8MB",
            &PoolOptions::default(),
            None,
            Commits::Durable,
        )
        .unwrap();
        assert_eq!(c.get_application_name(), Some(APPLICATION_NAME));
        assert_eq!(
            c.get_options(),
            Some("-c work_mem=8MB -c search_path=mailbox,directory -c lock_timeout=5000")
        );
        assert_eq!(c.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        let c = client_config(
            "postgres://u@h/d?application_name=node1&connect_timeout=3",
            &PoolOptions::default(),
            None,
            Commits::Durable,
        )
        .unwrap();
        assert_eq!(c.get_application_name(), Some("node1"));
        assert_eq!(c.get_connect_timeout(), Some(&Duration::from_secs(3)));
        let e =
            client_config("postgres://u:pw@h:notaport/d", &PoolOptions::default(), None, Commits::Durable)
                .unwrap_err();
        assert!(!e.to_string().contains("pw@"), "{e}");
    }

    #[test]
    fn only_the_bench_seeding_pool_turns_synchronous_commit_off() {
        let url = "postgres://u@h/d";
        let durable = client_config(url, &PoolOptions::default(), None, Commits::Durable).unwrap();
        assert!(!durable.get_options().unwrap().contains("synchronous_commit"));
        let seeding = client_config(url, &PoolOptions::default(), None, Commits::BenchSeeding).unwrap();
        assert_eq!(
            seeding.get_options(),
            Some("-c search_path=mailbox,directory -c lock_timeout=5000 -c synchronous_commit=off")
        );
    }
}
