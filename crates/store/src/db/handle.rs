//! A store's access to its database: SQLite keeps one connection behind a mutex; PostgreSQL
//! keeps a pool and the mailbox id, and checks a connection out (scoped to that mailbox) each
//! time the store is locked.

use std::any::Any;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::Result;
use super::conn::Conn;
use super::pg::{PgConn, PgPool};

/// A PostgreSQL database as the stores and directories of a site use it: its pool, and what
/// must live as long as any of them does (a test's throwaway database, dropped after its last
/// user; fields drop in order, so the pool's connections close first).
#[derive(Clone)]
pub struct PgDatabase {
    pool: PgPool,
    /// The node this process is ([`PgDatabase::set_node`]): it names the change-log rows its
    /// stores write and which rows they skip when catching up.
    node: Option<u16>,
    _keep: Option<Arc<dyn Any + Send + Sync>>,
}

impl PgDatabase {
    /// The database behind `pool`.
    pub fn new(pool: PgPool) -> PgDatabase {
        PgDatabase { pool, node: None, _keep: None }
    }

    /// The database behind `pool`, keeping `keep` alive while anything uses it.
    pub fn keeping(pool: PgPool, keep: Arc<dyn Any + Send + Sync>) -> PgDatabase {
        PgDatabase { pool, node: None, _keep: Some(keep) }
    }

    /// Names the node this process is, for the stores opened from now on (the change log,
    /// `crate::mailbox::change_log`); `None`: no node (every row is replayed).
    pub fn set_node(&mut self, node: Option<u16>) {
        self.node = node;
    }

    /// The node this process is, if it is one.
    pub fn node(&self) -> Option<u16> {
        self.node
    }

    /// The pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A pooled connection (no mailbox selected).
    pub fn get(&self) -> Result<PgConn> {
        self.pool.get()
    }
}

/// How a store reaches its database.
pub enum Handle {
    /// An SQLite file's connection, shared under the mutex.
    Sqlite(Mutex<Conn>),
    /// A mailbox in a PostgreSQL database.
    Postgres {
        /// Serialises this process's users of the store, as the SQLite mutex does (the event
        /// bookkeeping of a write relies on it).
        lock: Mutex<()>,
        /// Where connections come from.
        pool: PgDatabase,
        /// The mailbox (`store.mailboxes.mbx`); `None` for the directory.
        mbx: Option<i64>,
    },
}

/// A locked store's connection; derefs to [`Conn`].
pub enum ConnGuard<'a> {
    /// The SQLite connection, locked.
    Sqlite(MutexGuard<'a, Conn>),
    /// A pooled PostgreSQL connection scoped to the mailbox, held with the store's mutex.
    Postgres {
        /// The store's mutex.
        _lock: MutexGuard<'a, ()>,
        /// The connection (back to the pool when the guard drops).
        conn: Conn,
    },
}

impl Handle {
    /// A handle on an SQLite connection.
    pub fn sqlite(conn: rusqlite::Connection) -> Handle {
        Handle::Sqlite(Mutex::new(Conn::Sqlite(conn)))
    }

    /// Locks the store and returns its connection (PostgreSQL: checked out of the pool and
    /// scoped to the mailbox with `set_mailbox`).
    pub fn lock(&self) -> Result<ConnGuard<'_>> {
        match self {
            Handle::Sqlite(m) => Ok(ConnGuard::Sqlite(m.lock().unwrap_or_else(PoisonError::into_inner))),
            Handle::Postgres { lock, pool, mbx } => {
                let guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
                let pg = pool.get()?;
                pg.set_mailbox(*mbx)?;
                Ok(ConnGuard::Postgres { _lock: guard, conn: Conn::Postgres(Box::new(pg)) })
            }
        }
    }

    /// The engine behind the handle.
    pub fn backend(&self) -> super::Backend {
        match self {
            Handle::Sqlite(_) => super::Backend::Sqlite,
            Handle::Postgres { .. } => super::Backend::Postgres,
        }
    }

    /// The PostgreSQL database and mailbox, `None` on SQLite.
    pub fn postgres(&self) -> Option<(&PgDatabase, Option<i64>)> {
        match self {
            Handle::Sqlite(_) => None,
            Handle::Postgres { pool, mbx, .. } => Some((pool, *mbx)),
        }
    }
}

impl Deref for ConnGuard<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        match self {
            ConnGuard::Sqlite(g) => g,
            ConnGuard::Postgres { conn, .. } => conn,
        }
    }
}
